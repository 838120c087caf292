//! Cue lists from the `data/` tables, compiled once into Aho-Corasick automata.
//!
//! Every facts table (amount roles, fact triggers, modality cues) is a list of rows, each
//! keyed by a cue word. [`CueSet`] finds all cue occurrences in a span of the normalised
//! text: Chinese cues anywhere, Latin cues case-insensitively on word boundaries (with a
//! trailing `*` letting the cue run on into a longer word), minus `except` words (longer
//! words containing the cue that mean something else: 上市公司 is no listing).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::document::NSpan;

/// One cue word of a table row.
#[derive(Debug, Clone)]
pub(crate) struct Cue {
    /// The cue as matched (lower-cased Latin).
    pub text: String,
    /// `acquir*`: the match extends over the rest of the Latin word.
    pub prefix: bool,
    /// Longer words containing the cue that void a match.
    pub except: Vec<String>,
}

impl Cue {
    /// Parses a cue column: `word`, `word*`.
    pub(crate) fn parse(raw: &str, except: &str) -> Cue {
        let raw = raw.trim();
        let (text, prefix) = match raw.strip_suffix('*') {
            Some(t) => (t, true),
            None => (raw, false),
        };
        let except = except
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty() && *e != "-")
            .map(str::to_ascii_lowercase)
            .collect();
        Cue {
            text: text.to_ascii_lowercase(),
            prefix,
            except,
        }
    }
}

/// A cue occurrence: byte span in the normalised text and the row it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub row: usize,
}

/// The rows of one table with their cues, searchable together.
pub(crate) struct CueSet<T> {
    ac: AhoCorasick,
    /// Automaton pattern index -> rows sharing that cue text.
    rows_of_pattern: Vec<Vec<usize>>,
    cues: Vec<Cue>,
    pub rows: Vec<T>,
    overlapping: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

impl<T> CueSet<T> {
    /// Builds the set from `(cue, row)` pairs; the longest cue wins where cues overlap.
    pub(crate) fn new(entries: Vec<(Cue, T)>) -> CueSet<T> {
        Self::build(entries, false)
    }

    /// Builds a set that reports overlapping cues too (`stake` inside `stake in`), for
    /// tables whose rows differ by side rather than by length.
    pub(crate) fn overlapping(entries: Vec<(Cue, T)>) -> CueSet<T> {
        Self::build(entries, true)
    }

    fn build(entries: Vec<(Cue, T)>, overlapping: bool) -> CueSet<T> {
        let mut patterns: Vec<String> = Vec::new();
        let mut rows_of_pattern: Vec<Vec<usize>> = Vec::new();
        let mut cues = Vec::new();
        let mut rows = Vec::new();
        for (i, (cue, row)) in entries.into_iter().enumerate() {
            match patterns.iter().position(|p| *p == cue.text) {
                Some(p) => rows_of_pattern[p].push(i),
                None => {
                    patterns.push(cue.text.clone());
                    rows_of_pattern.push(vec![i]);
                }
            }
            cues.push(cue);
            rows.push(row);
        }
        let kind = if overlapping {
            MatchKind::Standard
        } else {
            MatchKind::LeftmostLongest
        };
        // A DFA: every sentence is scanned by each table, and the tables are small (a few
        // hundred cues), so its memory is little and its scan the fastest.
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(kind)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("cue patterns are plain strings");
        CueSet {
            ac,
            rows_of_pattern,
            cues,
            rows,
            overlapping,
        }
    }

    /// All cue occurrences inside `span` of `text`, one [`Hit`] per matching row, by position.
    pub(crate) fn find(&self, text: &str, span: NSpan) -> Vec<Hit> {
        let mut out = Vec::new();
        let Some(slice) = text.get(span.0..span.1) else {
            return out;
        };
        let matches: Vec<aho_corasick::Match> = if self.overlapping {
            self.ac.find_overlapping_iter(slice).collect()
        } else {
            self.ac.find_iter(slice).collect()
        };
        for m in matches {
            let (s, e) = (span.0 + m.start(), span.0 + m.end());
            for &row in &self.rows_of_pattern[m.pattern().as_usize()] {
                if let Some(end) = self.accept(text, s, e, row) {
                    out.push(Hit { start: s, end, row });
                }
            }
        }
        out.sort_by_key(|h| (h.start, h.end, h.row));
        out
    }

    /// Word-boundary and `except` checks; returns the end of the accepted match.
    fn accept(&self, text: &str, start: usize, end: usize, row: usize) -> Option<usize> {
        let cue = &self.cues[row];
        let first = cue.text.chars().next()?;
        let last = cue.text.chars().last()?;
        if is_word_char(first) && text[..start].chars().next_back().is_some_and(is_word_char) {
            return None;
        }
        let mut end = end;
        if cue.prefix {
            end += text[end..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .map(char::len_utf8)
                .sum::<usize>();
        } else if is_word_char(last) && text[end..].chars().next().is_some_and(is_word_char) {
            return None;
        }
        for ex in &cue.except {
            // Where would the cue sit inside the except word? Check every placement.
            let hay_lower = |a: usize, b: usize| text.get(a..b).map(|s| s.eq_ignore_ascii_case(ex));
            for (off, _) in ex.match_indices(cue.text.as_str()) {
                if let Some(a) = start.checked_sub(off) {
                    if hay_lower(a, a + ex.len()) == Some(true) {
                        return None;
                    }
                }
            }
        }
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(cues: &[(&str, &str)]) -> CueSet<usize> {
        CueSet::new(
            cues.iter()
                .enumerate()
                .map(|(i, (c, e))| (Cue::parse(c, e), i))
                .collect(),
        )
    }

    #[test]
    fn latin_word_boundaries_and_prefix() {
        let s = set(&[("acquir*", "-"), ("sued", "-")]);
        let t = "Oracle acquired Cerner; pseudo suedes. It sued.";
        let hits = s.find(t, (0, t.len()));
        let words: Vec<&str> = hits.iter().map(|h| &t[h.start..h.end]).collect();
        assert_eq!(words, vec!["acquired", "sued"]);
    }

    #[test]
    fn except_words_void_a_match() {
        let s = set(&[("上市", "上市公司,未上市")]);
        let t = "这家上市公司计划在港交所上市,此前未上市。";
        let hits = s.find(t, (0, t.len()));
        assert_eq!(hits.len(), 1);
        assert_eq!(
            &t[hits[0].start - "港交所".len()..hits[0].end],
            "港交所上市"
        );
    }

    #[test]
    fn overlapping_sets_report_nested_cues() {
        let s = CueSet::overlapping(vec![
            (Cue::parse("stake", "-"), 0),
            (Cue::parse("stake in", "-"), 1),
        ]);
        let t = "a 7.2 pct stake in Minstar";
        assert_eq!(s.find(t, (0, t.len())).len(), 2);
    }

    #[test]
    fn shared_cue_text_yields_every_row() {
        let s = set(&[("估值", "-"), ("估值", "-")]);
        let t = "估值20亿";
        assert_eq!(s.find(t, (0, t.len())).len(), 2);
    }
}
