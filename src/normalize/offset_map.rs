//! The offset map from normalised text back to the ORIGINAL document.
//!
//! Normalisation never merges characters: every normalised character stands for exactly
//! one original character (rewritten or not), and the characters keep their order; steps
//! only rewrite characters or drop them. So the map is a list of *runs*: stretches of
//! normalised characters of one UTF-8 width that stand for consecutive original
//! characters. Byte offsets in the normalised text (what regex and jieba report) are turned
//! into code-point offsets of the original by a binary search over the runs and a division.

/// Maps byte offsets of the normalised text to code-point offsets of the original.
///
/// The answers are those of a table with one entry per normalised character (its first
/// byte and the original code point `[start, start + 1)` it stands for); the runs hold the
/// same entries, a run of characters of one width and consecutive originals in one entry
/// (the test `runs_answer_as_per_character_entries` holds the two against each other).
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// By increasing `byte`; each run holds at least one character and ends where the next
    /// starts (the last at `text_len`).
    runs: Vec<Run>,
    /// The normalised text's length in bytes.
    text_len: usize,
    /// Length of the original in code points.
    original_chars: u32,
}

/// Normalised characters of `width` bytes each from byte `byte` on: the `k`-th stands for
/// the original code point `start + k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub byte: u32,
    pub start: u32,
    pub width: u32,
}

impl OffsetMap {
    /// The map of a normalised text of `text_len` bytes from its runs (see [`Run`]).
    pub(crate) fn from_runs(runs: Vec<Run>, text_len: usize, original_chars: usize) -> OffsetMap {
        debug_assert!(runs.first().is_none_or(|r| r.byte == 0));
        debug_assert!(runs.windows(2).all(|w| w[0].byte < w[1].byte));
        debug_assert!(runs.last().is_none_or(|r| (r.byte as usize) < text_len));
        OffsetMap {
            runs,
            text_len,
            original_chars: original_chars as u32,
        }
    }

    /// Identity map for a text that needed no normalisation.
    pub fn identity(text: &str) -> OffsetMap {
        let mut runs: Vec<Run> = Vec::new();
        let mut last_width = 0;
        for (i, (b, c)) in text.char_indices().enumerate() {
            let width = c.len_utf8() as u32;
            if width != last_width {
                runs.push(Run {
                    byte: b as u32,
                    start: i as u32,
                    width,
                });
                last_width = width;
            }
        }
        let n = text.chars().count();
        OffsetMap::from_runs(runs, text.len(), n)
    }

    /// The run holding normalised byte `b` (`b` inside the text).
    fn run_at(&self, b: usize) -> usize {
        self.runs
            .partition_point(|r| r.byte as usize <= b)
            .saturating_sub(1)
    }

    /// The original code point of the character of run `i` holding normalised byte `b`.
    fn start_in(&self, i: usize, b: usize) -> Option<usize> {
        let r = self.runs.get(i)?;
        let k = b.checked_sub(r.byte as usize)? / r.width.max(1) as usize;
        Some(r.start as usize + k)
    }

    /// Original code-point range `[start, end)` of the normalised byte span `[bstart, bend)`.
    /// Out-of-range or empty spans are clamped, never panic.
    pub fn to_original(&self, bstart: usize, bend: usize) -> (usize, usize) {
        let n = self.text_len;
        if n == 0 || bstart >= n || bend <= bstart {
            let at = if bstart < n {
                self.start_in(self.run_at(bstart), bstart)
            } else {
                None
            }
            .unwrap_or(self.original_chars as usize);
            return (at, at);
        }
        let last = bend.min(n) - 1;
        let i = self.run_at(bstart);
        let start = self.start_in(i, bstart).unwrap_or(0);
        // The span's last byte is in the same run or one of the next few (spans are
        // words and phrases), else searched for.
        let mut j = i;
        while self.runs.get(j + 1).is_some_and(|r| r.byte as usize <= last) {
            j += 1;
            if j - i > 4 {
                j = self.run_at(last);
                break;
            }
        }
        let end = self.start_in(j, last).map_or(0, |s| s + 1).max(start);
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

    /// Shifts every original offset by `by` code points (the text was a suffix of the
    /// original, e.g. the body after front matter).
    pub fn shift(&mut self, by: usize) {
        let by = by as u32;
        for r in &mut self.runs {
            r.start += by;
        }
        self.original_chars += by;
    }

    /// How many runs the map holds (tests and measurements).
    #[cfg(test)]
    pub(crate) fn runs(&self) -> usize {
        self.runs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-character entries the map stands for: each character's first byte and
    /// original code point.
    fn entries(text: &str, origins: &[u32]) -> Vec<(usize, usize)> {
        text.char_indices()
            .zip(origins)
            .map(|((b, _), &o)| (b, o as usize))
            .collect()
    }

    /// A map built the plain way: one run per character.
    fn per_char(text: &str, origins: &[u32], original_chars: usize) -> OffsetMap {
        let runs = text
            .char_indices()
            .zip(origins)
            .map(|((b, c), &o)| Run {
                byte: b as u32,
                start: o,
                width: c.len_utf8() as u32,
            })
            .collect();
        OffsetMap::from_runs(runs, text.len(), original_chars)
    }

    #[test]
    fn maps_dropped_and_rewritten_chars() {
        // "數(shù)據" -> "数据": the gloss is dropped, the characters rewritten.
        let map = per_char("数据", &[0, 6], 7);
        assert_eq!(map.to_original(0, 3), (0, 1));
        assert_eq!(map.to_original(3, 6), (6, 7));
        assert_eq!(map.to_original(0, 6), (0, 7));
        assert_eq!(map.to_original(10, 20), (7, 7));
    }

    /// A shifted map (a body after front matter) moves every original offset.
    #[test]
    fn the_map_shifts() {
        let mut map = per_char("a數b", &[0, 1, 7], 8);
        map.shift(10);
        assert_eq!(map.to_original(1, 4), (11, 12));
        assert_eq!(map.to_original(4, 5), (17, 18));
        assert_eq!(map.to_original(9, 9), (18, 18));
        assert_eq!(map.original_len(), 18);
    }

    #[test]
    fn every_span_maps_as_a_per_byte_table_would() {
        // The map's definition, per byte: the range of the character holding each byte.
        let text = "ab数據 €x\n中";
        let origins = [0, 1, 2, 7, 8, 9, 10, 11, 12];
        let map = per_char(text, &origins, 13);
        let per_byte: Vec<(usize, usize)> = entries(text, &origins)
            .iter()
            .zip(text.chars())
            .flat_map(|(&(_, o), c)| std::iter::repeat_n((o, o + 1), c.len_utf8()))
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

    /// Runs merged over characters of one width with consecutive originals answer as one
    /// run per character does.
    #[test]
    fn merged_runs_answer_as_one_run_per_character() {
        let text = "ab中文,x\u{e9}\u{e9}😀z";
        let origins = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10];
        let plain = per_char(text, &origins, 12);
        let merged = OffsetMap::from_runs(
            vec![
                Run { byte: 0, start: 0, width: 1 },
                Run { byte: 2, start: 2, width: 3 },
                Run { byte: 8, start: 4, width: 1 },
                Run { byte: 9, start: 6, width: 1 },
                Run { byte: 10, start: 7, width: 2 },
                Run { byte: 14, start: 9, width: 4 },
                Run { byte: 18, start: 10, width: 1 },
            ],
            text.len(),
            12,
        );
        assert_eq!(merged.runs(), 7);
        for bs in 0..text.len() + 2 {
            for be in 0..text.len() + 2 {
                assert_eq!(merged.to_original(bs, be), plain.to_original(bs, be), "{bs}..{be}");
            }
        }
        let id = OffsetMap::identity(text);
        assert_eq!(id.runs(), 6);
        assert_eq!(id.to_original(2, 5), (2, 3));
        assert_eq!(id.to_original(14, 18), (8, 9));
        assert_eq!(id.original_len(), 10);
    }
}
