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
/// text and the original range it stands for. Building it is one pass over the characters,
/// and a look-up is a binary search (a few thousand per document, against a build per byte).
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// One entry per normalised character, by increasing `byte`.
    entries: Vec<MapEntry>,
    /// The normalised text's length in bytes.
    text_len: usize,
    /// Length of the original in code points.
    original_chars: u32,
}

/// A normalised character's first byte in the normalised text and the original range
/// `[start, end)` it stands for. The size and alignment of an [`NChar`], so the map is
/// built in the vector the steps worked on (see [`OffsetMap::build`]).
#[derive(Debug, Clone, Copy, Default)]
struct MapEntry {
    byte: u32,
    start: u32,
    end: u32,
}

impl OffsetMap {
    /// Builds the normalised string and its map from the final character sequence.
    ///
    /// `chars` is consumed: each character becomes its map entry in place (a `map` and
    /// `collect` from a vector into one of a type of the same size and alignment reuses the
    /// allocation), so a document costs one allocation here, its text, instead of one per
    /// column of the map; for a one-line document those allocations were a large part of
    /// its fixed cost. The map keeps the capacity the steps left (at most the original's
    /// character count).
    pub fn build(chars: Vec<NChar>, original_chars: usize) -> (String, OffsetMap) {
        let mut text = String::with_capacity(chars.len() * 3);
        let entries: Vec<MapEntry> = chars
            .into_iter()
            .map(|c| {
                let byte = text.len() as u32;
                text.push(c.ch);
                MapEntry {
                    byte,
                    start: c.start,
                    end: c.end,
                }
            })
            .collect();
        let text_len = text.len();
        (
            text,
            OffsetMap {
                entries,
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
        let n = chars.len();
        OffsetMap::build(chars, n).1
    }

    /// The character holding normalised byte `b`.
    fn char_at(&self, b: usize) -> usize {
        self.entries
            .partition_point(|e| e.byte as usize <= b)
            .saturating_sub(1)
    }

    /// Original code-point range `[start, end)` of the normalised byte span `[bstart, bend)`.
    /// Out-of-range or empty spans are clamped, never panic.
    pub fn to_original(&self, bstart: usize, bend: usize) -> (usize, usize) {
        let n = self.text_len;
        if n == 0 || bstart >= n || bend <= bstart {
            let at = if bstart < n {
                self.entries.get(self.char_at(bstart)).map(|e| e.start)
            } else {
                None
            }
            .unwrap_or(self.original_chars) as usize;
            return (at, at);
        }
        let last = bend.min(n) - 1;
        let start = self.entries.get(self.char_at(bstart)).map_or(0, |e| e.start) as usize;
        let end = (self.entries.get(self.char_at(last)).map_or(0, |e| e.end) as usize).max(start);
        (start, end)
    }

    /// Length of the original in code points (with a [`OffsetMap::shift`], counting the
    /// part before the normalised text too).
    pub fn original_len(&self) -> usize {
        self.original_chars as usize
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
        for e in &mut self.entries {
            e.start += by;
            e.end += by;
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
        let (text, map) = OffsetMap::build(cs, 7);
        assert_eq!(text, "数据");
        assert_eq!(map.to_original(0, 3), (0, 1));
        assert_eq!(map.to_original(3, 6), (6, 7));
        assert_eq!(map.to_original(0, 6), (0, 7));
        assert_eq!(map.to_original(10, 20), (7, 7));
    }

    /// The map is built in the vector of characters (no allocation of its own), and a
    /// shifted map (a body after front matter) moves every original offset.
    #[test]
    fn the_map_reuses_the_characters_and_shifts() {
        let mut cs = chars_of("a數(shù)b");
        cs.retain(|c| !"(shù)".contains(c.ch));
        let at = cs.as_ptr() as usize;
        let (text, mut map) = OffsetMap::build(cs, 8);
        assert_eq!(text, "a數b");
        assert_eq!(map.entries.as_ptr() as usize, at);
        map.shift(10);
        assert_eq!(map.to_original(1, 4), (11, 12));
        assert_eq!(map.to_original(4, 5), (17, 18));
        assert_eq!(map.to_original(9, 9), (18, 18));
        assert_eq!(map.original_len(), 18);
    }

    #[test]
    fn every_span_maps_as_a_per_byte_table_would() {
        // The map's definition, per byte: the range of the character holding each byte.
        let mut cs = chars_of("ab數(shù)據 €x\n中");
        cs.retain(|c| !"(shù)".contains(c.ch));
        cs[2].ch = '数';
        let (text, map) = OffsetMap::build(cs.clone(), 13);
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
