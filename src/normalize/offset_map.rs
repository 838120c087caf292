//! The offset map from normalised text back to the ORIGINAL document.
//!
//! Every normalisation step works on a sequence of [`NChar`]s, each carrying the range of
//! original code points it came from. Steps that drop characters simply drop them; steps
//! that rewrite a character keep its range; so the steps compose for free. At the end,
//! [`OffsetMap`] indexes the ranges by *byte* position in the normalised string, because
//! recognisers (regex, jieba) report byte offsets.

/// A normalised character and the original code-point range `[start, end)` it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NChar {
    pub ch: char,
    pub start: u32,
    pub end: u32,
}

/// Maps byte offsets of the normalised text to code-point offsets of the original.
///
/// One entry per normalised character (not per byte): where it starts in the normalised
/// text and the original range it stands for. Building it is one push per character, and a
/// look-up is a binary search (a few thousand per document, against a build per byte).
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// For each normalised character: its first byte in the normalised text (increasing).
    bytes: Vec<u32>,
    /// For each normalised character: the original start of its range.
    starts: Vec<u32>,
    /// For each normalised character: the original end of its range.
    ends: Vec<u32>,
    /// The normalised text's length in bytes.
    text_len: usize,
    /// Length of the original in code points.
    original_chars: u32,
}

impl OffsetMap {
    /// Builds the normalised string and its map from the final character sequence.
    pub fn build(chars: &[NChar], original_chars: usize) -> (String, OffsetMap) {
        let mut text = String::with_capacity(chars.len() * 3);
        let mut bytes = Vec::with_capacity(chars.len());
        for c in chars {
            bytes.push(text.len() as u32);
            text.push(c.ch);
        }
        // The ranges in passes of their own: an exact-size `collect` copies them without a
        // capacity check per character.
        let starts: Vec<u32> = chars.iter().map(|c| c.start).collect();
        let ends: Vec<u32> = chars.iter().map(|c| c.end).collect();
        let text_len = text.len();
        (
            text,
            OffsetMap {
                bytes,
                starts,
                ends,
                text_len,
                original_chars: original_chars as u32,
            },
        )
    }

    /// Identity map for a text that needed no normalisation.
    pub fn identity(text: &str) -> OffsetMap {
        let chars: Vec<NChar> = text
            .chars()
            .enumerate()
            .map(|(i, ch)| NChar {
                ch,
                start: i as u32,
                end: i as u32 + 1,
            })
            .collect();
        OffsetMap::build(&chars, chars.len()).1
    }

    /// The character holding normalised byte `b`.
    fn char_at(&self, b: usize) -> usize {
        self.bytes
            .partition_point(|&x| x as usize <= b)
            .saturating_sub(1)
    }

    /// Original code-point range `[start, end)` of the normalised byte span `[bstart, bend)`.
    /// Out-of-range or empty spans are clamped, never panic.
    pub fn to_original(&self, bstart: usize, bend: usize) -> (usize, usize) {
        let n = self.text_len;
        if n == 0 || bstart >= n || bend <= bstart {
            let at = if bstart < n {
                self.starts.get(self.char_at(bstart)).copied()
            } else {
                None
            }
            .unwrap_or(self.original_chars) as usize;
            return (at, at);
        }
        let last = bend.min(n) - 1;
        let start = self.starts.get(self.char_at(bstart)).copied().unwrap_or(0) as usize;
        let end = (self.ends.get(self.char_at(last)).copied().unwrap_or(0) as usize).max(start);
        (start, end)
    }

    /// Length of the normalised text in bytes.
    pub fn len(&self) -> usize {
        self.text_len
    }

    pub fn is_empty(&self) -> bool {
        self.text_len == 0
    }
}

/// Splits `original` into identity-mapped characters, the input to every step.
pub(crate) fn chars_of(original: &str) -> Vec<NChar> {
    // Counted first: collecting from `chars()` alone would grow the vector several times.
    let mut out = Vec::with_capacity(original.chars().count());
    out.extend(
        original
            .chars()
        .enumerate()
        .map(|(i, ch)| NChar {
            ch,
            start: i as u32,
            end: i as u32 + 1,
        }),
    );
    out
}

impl OffsetMap {
    /// Shifts every original offset by `by` code points (the text was a suffix of the
    /// original, e.g. the body after front matter).
    pub fn shift(&mut self, by: usize) {
        let by = by as u32;
        for v in self.starts.iter_mut().chain(self.ends.iter_mut()) {
            *v += by;
        }
        self.original_chars += by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_dropped_and_rewritten_chars() {
        // "數(shù)據" -> "数据": the gloss is dropped, the characters rewritten.
        let mut cs = chars_of("數(shù)據");
        cs.retain(|c| !"(shù)".contains(c.ch));
        cs[0].ch = '数';
        cs[1].ch = '据';
        let (text, map) = OffsetMap::build(&cs, 7);
        assert_eq!(text, "数据");
        assert_eq!(map.to_original(0, 3), (0, 1));
        assert_eq!(map.to_original(3, 6), (6, 7));
        assert_eq!(map.to_original(0, 6), (0, 7));
        assert_eq!(map.to_original(10, 20), (7, 7));
    }

    #[test]
    fn every_span_maps_as_a_per_byte_table_would() {
        // The map's definition, per byte: the range of the character holding each byte.
        let mut cs = chars_of("ab數(shù)據 €x\n中");
        cs.retain(|c| !"(shù)".contains(c.ch));
        cs[2].ch = '数';
        let (text, map) = OffsetMap::build(&cs, 13);
        let per_byte: Vec<(usize, usize)> = cs
            .iter()
            .flat_map(|c| std::iter::repeat_n((c.start as usize, c.end as usize), c.ch.len_utf8()))
            .collect();
        let n = text.len();
        for bs in 0..n + 3 {
            for be in 0..n + 3 {
                let want = if bs >= n || be <= bs {
                    let at = per_byte.get(bs).map_or(13, |r| r.0);
                    (at, at)
                } else {
                    let s = per_byte[bs].0;
                    (s, per_byte[be.min(n) - 1].1.max(s))
                };
                assert_eq!(map.to_original(bs, be), want, "{bs}..{be}");
            }
        }
    }
}
