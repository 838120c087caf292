//! Cue lists from the `data/` tables, compiled once into Aho-Corasick automata.
//!
//! Every facts table (amount roles, fact triggers, modality cues) is a list of rows, each
//! keyed by a cue word. [`CueSet`] finds all cue occurrences in a span of the normalised
//! text: Chinese cues anywhere, Latin cues case-insensitively on word boundaries (with a
//! trailing `*` letting the cue run on into a longer word), minus `except` words (longer
//! words containing the cue that mean something else: 上市公司 is no listing).

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use crate::document::NSpan;

/// One cue word of a table row.
#[derive(Debug, Clone)]
pub(crate) struct Cue {
    /// The cue as matched (lower-cased Latin).
    pub text: String,
    /// `acquir*`: the match extends over the rest of the Latin word.
    pub prefix: bool,
    /// Longer words containing the cue that void a match.
    pub except: Vec<Except>,
}

/// A longer word containing a cue that voids a match (上市公司 for 上市), with where the cue
/// sits inside it: found once when the table is read, not for every hit of the cue.
#[derive(Debug, Clone)]
pub(crate) struct Except {
    /// The word, lower-cased.
    pub word: String,
    /// Byte offsets of the cue's (non-overlapping) occurrences inside `word`.
    pub cue_at: Vec<usize>,
}

impl Cue {
    /// Parses a cue column: `word`, `word*`.
    pub(crate) fn parse(raw: &str, except: &str) -> Cue {
        let raw = raw.trim();
        let (text, prefix) = match raw.strip_suffix('*') {
            Some(t) => (t, true),
            None => (raw, false),
        };
        let text = text.to_ascii_lowercase();
        let except = except
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty() && *e != "-")
            .map(|e| {
                let word = e.to_ascii_lowercase();
                let cue_at = word.match_indices(text.as_str()).map(|(off, _)| off).collect();
                Except { word, cue_at }
            })
            .collect();
        Cue {
            text,
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
    /// The cue texts (lower-cased, distinct) in a character-wise double array, searched in
    /// the ASCII-lower-cased text; its value is the pattern index. `None` for no cue.
    ac: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
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
        // A double array: every sentence is scanned by each table, and it is small (a few
        // hundred cues) and steps once a character. aho-corasick's case-insensitive DFAs
        // were faster alone but, one per table, missed the cache in the pipeline.
        let ac = (!patterns.is_empty()).then(|| {
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(kind)
                .build_with_values(patterns.iter().zip(0u32..))
                .expect("cue patterns are distinct, non-empty strings")
        });
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
        self.find_into(text, span, &mut out);
        out
    }

    /// [`Self::find`] into `out` (emptied first), so that a caller scanning sentence after
    /// sentence reuses one buffer.
    pub(crate) fn find_into(&self, text: &str, span: NSpan, out: &mut Vec<Hit>) {
        out.clear();
        let Some(slice) = text.get(span.0..span.1) else {
            return;
        };
        let Some(ac) = &self.ac else {
            return;
        };
        // Cues are lower-cased and Latin ones match in any case: the slice is lower-cased
        // too (ASCII only, which keeps every byte offset), when it has an upper-case letter.
        let hay = crate::normalize::ascii_lowercase(slice);
        let hay = hay.as_ref();
        let mut add = |m: daachorse::Match<u32>| {
            let (s, e) = (span.0 + m.start(), span.0 + m.end());
            for &row in &self.rows_of_pattern[m.value() as usize] {
                if let Some(end) = self.accept(text, s, e, row) {
                    out.push(Hit { start: s, end, row });
                }
            }
        };
        if self.overlapping {
            ac.find_overlapping_iter(hay).for_each(&mut add);
        } else {
            ac.leftmost_find_iter(hay).for_each(&mut add);
        }
        out.sort_by_key(|h| (h.start, h.end, h.row));
    }

    /// The distinct cue texts, by pattern index (as in `rows_of_pattern`), for
    /// [`Combined::new`].
    pub(crate) fn patterns(&self) -> Vec<&str> {
        self.rows_of_pattern
            .iter()
            .map(|rows| {
                rows.first()
                    .and_then(|&r| self.cues.get(r))
                    .map_or("", |c| c.text.as_str())
            })
            .collect()
    }

    /// [`Self::find_into`] from the occurrences of this set's cues in the whole text
    /// (`occ`, one list of a [`Scanned`]), without scanning again: what a scan of the slice
    /// would match, leftmost-longest or every occurrence.
    pub(crate) fn find_scanned(&self, text: &str, span: NSpan, occ: &[Occurrence], out: &mut Vec<Hit>) {
        out.clear();
        if text.get(span.0..span.1).is_none() {
            return;
        }
        // Occurrences are by start, the longest first at each start. A scan of the slice
        // sees exactly those inside it; leftmost-longest takes, from where the last match
        // ended, the first that starts there or later: the longest at the leftmost start.
        let lo = occ.partition_point(|o| o.start < span.0);
        let mut cursor = span.0;
        for o in occ.get(lo..).unwrap_or(&[]) {
            if o.start >= span.1 {
                break;
            }
            if o.end > span.1 || o.start < cursor {
                continue;
            }
            if !self.overlapping {
                cursor = o.end;
            }
            for &row in self.rows_of_pattern.get(o.pattern).map_or(&[][..], |r| r.as_slice()) {
                if let Some(end) = self.accept(text, o.start, o.end, row) {
                    out.push(Hit {
                        start: o.start,
                        end,
                        row,
                    });
                }
            }
        }
        out.sort_by_key(|h| (h.start, h.end, h.row));
    }

    /// [`Self::find_scanned`] over the whole text.
    pub(crate) fn find_scanned_all(&self, text: &str, occ: &[Occurrence]) -> Vec<Hit> {
        let mut out = Vec::new();
        self.find_scanned(text, (0, text.len()), occ, &mut out);
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
            let hay_lower =
                |a: usize, b: usize| text.get(a..b).map(|s| s.eq_ignore_ascii_case(&ex.word));
            for &off in &ex.cue_at {
                if let Some(a) = start.checked_sub(off) {
                    if hay_lower(a, a + ex.word.len()) == Some(true) {
                        return None;
                    }
                }
            }
        }
        Some(end)
    }
}

/// One occurrence of a cue text of one set: byte span and pattern index in that set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Occurrence {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

/// Several cue sets searched together, reporting every occurrence: a document is scanned
/// once for all of them ([`Scanned`]), and each set's matches in any span are read from
/// the occurrences ([`CueSet::find_scanned`]) instead of a scan per set and sentence.
///
/// Every occurrence of every cue text, overlapping ones too, is what an Aho-Corasick
/// automaton reporting all matches finds; here each cue text is tried only where its first
/// character stands. A bit per code point of the Basic Multilingual Plane (8 KB) tells
/// the characters that start a cue text, most characters of a text start none, and those
/// that do start a handful: a step per character, not the automaton's decoding, code table
/// and transitions for every character (the test
/// `first_character_scan_finds_what_the_automaton_found` holds it against the automaton).
pub(crate) struct Combined {
    /// One bit per code point below U+10000: some cue text starts with it.
    starts: Vec<u64>,
    /// First character -> the range of `texts` starting with it.
    by_first: rustc_hash::FxHashMap<char, (usize, usize)>,
    /// The cue texts (lower-cased), grouped by first character.
    texts: Vec<CueText>,
    /// Combined pattern -> (set, pattern index in the set).
    owners: Vec<Vec<(usize, usize)>>,
    sets: usize,
    /// The automaton the first-character scan stands for, for its test.
    #[cfg(test)]
    ac: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
}

/// A cue text of a [`Combined`] search: its first eight bytes as a word (zero past its
/// end) and a mask of them, so that most cue texts (two or three Chinese characters, a
/// short Latin word) are told with one comparison, and the bytes after those eight.
struct CueText {
    head: u64,
    mask: u64,
    len: usize,
    tail: Box<[u8]>,
    /// The combined pattern index.
    pattern: usize,
}

/// The first eight bytes of `b` as a little-endian word, zero past its end.
#[inline]
fn first_eight(b: &[u8]) -> u64 {
    if let Some(w) = b.first_chunk::<8>() {
        return u64::from_le_bytes(*w);
    }
    let mut w = [0u8; 8];
    let n = b.len().min(8);
    w[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(w)
}

impl CueText {
    fn new(text: &[u8], pattern: usize) -> CueText {
        let n = text.len().min(8);
        CueText {
            head: first_eight(text),
            mask: if n == 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 },
            len: text.len(),
            tail: Box::from(text.get(8..).unwrap_or(&[])),
            pattern,
        }
    }

    /// Does `rest` (whose first eight bytes are `head`, [`first_eight`]) start with the text?
    #[inline]
    fn starts(&self, rest: &[u8], head: u64) -> bool {
        self.len <= rest.len()
            && head & self.mask == self.head
            && (self.tail.is_empty()
                || rest
                    .get(8..self.len)
                    .is_some_and(|r| r.iter().zip(self.tail.iter()).all(|(a, b)| a == b)))
    }
}

impl Combined {
    /// Builds the search for several sets' cue texts ([`CueSet::patterns`] of each).
    pub(crate) fn new(sets: &[Vec<&str>]) -> Combined {
        let mut patterns: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        for (k, set) in sets.iter().enumerate() {
            for (p, &text) in set.iter().enumerate() {
                match patterns.iter().position(|q| *q == text) {
                    Some(i) => owners[i].push((k, p)),
                    None => {
                        patterns.push(text);
                        owners.push(vec![(k, p)]);
                    }
                }
            }
        }
        let mut texts: Vec<(char, Box<[u8]>, usize)> = patterns
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((t.chars().next()?, Box::from(t.as_bytes()), i)))
            .collect();
        texts.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut starts = vec![0u64; 0x10000 / 64];
        let mut by_first: rustc_hash::FxHashMap<char, (usize, usize)> = Default::default();
        for (i, &(c, _, _)) in texts.iter().enumerate() {
            let cp = c as usize;
            if let Some(w) = starts.get_mut(cp >> 6) {
                *w |= 1 << (cp & 63);
            }
            by_first.entry(c).or_insert((i, i)).1 = i + 1;
        }
        #[cfg(test)]
        let ac = (!patterns.is_empty()).then(|| {
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build_with_values(patterns.iter().zip(0u32..))
                .expect("cue patterns are distinct, non-empty strings")
        });
        Combined {
            starts,
            by_first,
            texts: texts.into_iter().map(|(_, t, i)| CueText::new(&t, i)).collect(),
            owners,
            sets: sets.len(),
            #[cfg(test)]
            ac,
        }
    }

    /// Every occurrence of every set's cues in `text` (ASCII-lower-cased, as a set's scan
    /// reads it), one list a set, by start and the longest first at each start.
    #[cfg(test)]
    pub(crate) fn scan(&self, text: &str) -> Scanned {
        let mut out = Scanned::default();
        self.scan_into(text, &mut out);
        out
    }

    /// [`Self::scan`] into `out`, whose lists and lower-casing buffer are reused (emptied
    /// first): a thread scanning document after document allocates them once, not four or
    /// five times a document (most of a one-line document's scan).
    pub(crate) fn scan_into(&self, text: &str, out: &mut Scanned) {
        let occ = &mut out.occ;
        occ.iter_mut().for_each(Vec::clear);
        occ.resize_with(self.sets, Vec::new);
        if self.texts.is_empty() {
            return;
        }
        let hay = if text.bytes().any(|b| b.is_ascii_uppercase()) {
            out.lower.clear();
            out.lower.push_str(text);
            out.lower.make_ascii_lowercase();
            out.lower.as_str()
        } else {
            text
        };
        let bytes = hay.as_bytes();
        for (start, c) in hay.char_indices() {
            let cp = c as usize;
            let may_start = match self.starts.get(cp >> 6) {
                Some(w) => w & (1 << (cp & 63)) != 0,
                // Past U+FFFF: the map alone says.
                None => true,
            };
            if !may_start {
                continue;
            }
            let Some(&(from, to)) = self.by_first.get(&c) else {
                continue;
            };
            let rest = bytes.get(start..).unwrap_or(&[]);
            let head = first_eight(rest);
            for t in self.texts.get(from..to).unwrap_or(&[]) {
                if !t.starts(rest, head) {
                    continue;
                }
                for &(k, pattern) in self.owners.get(t.pattern).map_or(&[][..], |o| o.as_slice()) {
                    if let Some(list) = occ.get_mut(k) {
                        list.push(Occurrence {
                            start,
                            end: start + t.len,
                            pattern,
                        });
                    }
                }
            }
        }
        for list in occ.iter_mut() {
            list.sort_unstable_by_key(|o| (o.start, std::cmp::Reverse(o.end), o.pattern));
        }
    }

    /// [`Self::scan_into`] the long way: the automaton's every match (the reference of the
    /// first-character scan).
    #[cfg(test)]
    fn scan_by_automaton(&self, text: &str) -> Vec<Vec<Occurrence>> {
        let mut occ: Vec<Vec<Occurrence>> = vec![Vec::new(); self.sets];
        if let Some(ac) = &self.ac {
            let hay = text.to_ascii_lowercase();
            for m in ac.find_overlapping_iter(&hay) {
                for &(k, pattern) in &self.owners[m.value() as usize] {
                    occ[k].push(Occurrence {
                        start: m.start(),
                        end: m.end(),
                        pattern,
                    });
                }
            }
        }
        for list in &mut occ {
            list.sort_unstable_by_key(|o| (o.start, std::cmp::Reverse(o.end), o.pattern));
        }
        occ
    }
}

/// The cue occurrences of one document ([`Combined::scan`]), one list per set.
#[derive(Default)]
pub(crate) struct Scanned {
    occ: Vec<Vec<Occurrence>>,
    /// The lower-cased text, when it had an upper-case letter: a buffer kept for reuse.
    lower: String,
}

impl Scanned {
    /// Lets go of a lower-casing buffer grown for a very long document, so that one such
    /// document does not keep its size for the rest of the thread's life.
    pub(crate) fn shrink_large(&mut self) {
        if self.lower.capacity() > 1 << 20 {
            self.lower = String::new();
        }
    }

    /// The occurrences of set `k` (in the order given to [`Combined::new`]).
    pub(crate) fn of(&self, k: usize) -> &[Occurrence] {
        self.occ.get(k).map_or(&[], |v| v.as_slice())
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

    /// What the set found with aho-corasick's case-insensitive automata before the double
    /// array: the same hits, in both match kinds.
    fn reference_find(s: &CueSet<usize>, text: &str) -> Vec<Hit> {
        let patterns: Vec<&str> = s.cues.iter().map(|c| c.text.as_str()).collect();
        let kind = if s.overlapping {
            aho_corasick::MatchKind::Standard
        } else {
            aho_corasick::MatchKind::LeftmostLongest
        };
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(kind)
            .build(&patterns)
            .unwrap();
        let matches: Vec<aho_corasick::Match> = if s.overlapping {
            ac.find_overlapping_iter(text).collect()
        } else {
            ac.find_iter(text).collect()
        };
        let mut out = Vec::new();
        for m in matches {
            // Rows sharing a text: the automaton reports the first; every one counts.
            let text_of = patterns[m.pattern().as_usize()];
            for row in (0..patterns.len()).filter(|&r| patterns[r] == text_of) {
                if let Some(end) = s.accept(text, m.start(), m.end(), row) {
                    out.push(Hit { start: m.start(), end, row });
                }
            }
        }
        out.sort_by_key(|h| (h.start, h.end, h.row));
        out.dedup();
        out
    }

    #[test]
    fn double_array_finds_what_aho_corasick_found() {
        let cues = [
            ("stake", "-"),
            ("stake in", "-"),
            ("acquir*", "-"),
            ("ipo", "-"),
            ("上市", "上市公司"),
            ("收购", "-"),
            ("收购了", "-"),
            ("购", "-"),
        ];
        let texts = [
            "Oracle ACQUIRED Cerner, a 7.2 pct Stake In Minstar; the IPO of IPOs.",
            "阿里巴巴收购了饿了么,此后计划上市;这家上市公司收购Acquire Corp。",
            "",
        ];
        for overlapping in [false, true] {
            let entries = cues
                .iter()
                .enumerate()
                .map(|(i, (c, e))| (Cue::parse(c, e), i))
                .collect();
            let s = if overlapping {
                CueSet::overlapping(entries)
            } else {
                CueSet::new(entries)
            };
            for t in texts {
                let found = s.find(t, (0, t.len()));
                assert_eq!(found, reference_find(&s, t), "{t}");
                assert_eq!(found.is_empty(), t.is_empty(), "{t}");
            }
        }
    }

    /// One scan for several sets, read per span, finds what a scan of each set in the span
    /// found: leftmost-longest and overlapping sets, cues shared between sets, cues nested
    /// and crossing the span's ends, Latin word boundaries and `except` words.
    #[test]
    fn one_scan_for_several_sets_finds_what_each_scan_found() {
        let a = set(&[
            ("收购", "-"),
            ("收购了", "-"),
            ("购", "-"),
            ("上市", "上市公司"),
            ("acquir*", "-"),
            ("stake in", "-"),
            ("公司", "该公司"),
        ]);
        let b = CueSet::overlapping(
            [("stake", "-"), ("stake in", "-"), ("收购", "-"), ("估值", "-"), ("估值", "-")]
                .iter()
                .enumerate()
                .map(|(i, (c, e))| (Cue::parse(c, e), i))
                .collect(),
        );
        let c = set(&[("公司", "子公司"), ("该公司", "-"), ("its", "-"), ("it", "-"), ("the company", "-")]);
        let empty = set(&[]);
        let combined = Combined::new(&[a.patterns(), b.patterns(), c.patterns(), empty.patterns()]);
        let texts = [
            "阿里巴巴收购了饿了么,此后计划上市;这家上市公司收购Acquire Corp。该公司估值估值20亿,子公司。",
            "Oracle ACQUIRED Cerner, a 7.2 pct Stake In Minstar; its IPO. It said The Company's stake.",
            "收购收购了购购收",
            "",
        ];
        for t in texts {
            let scanned = combined.scan(t);
            let ends: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
            for (k, &x) in ends.iter().enumerate() {
                for &y in &ends[k..] {
                    let mut got = Vec::new();
                    for (n, s) in [&a, &b, &c, &empty].into_iter().enumerate() {
                        s.find_scanned(t, (x, y), scanned.of(n), &mut got);
                        assert_eq!(got, s.find(t, (x, y)), "set {n} {x}..{y} {t}");
                    }
                }
            }
            assert_eq!(a.find_scanned_all(t, scanned.of(0)), a.find(t, (0, t.len())));
        }
    }

    /// A reused [`Scanned`] gives what a fresh scan gives, whatever it held before: fewer
    /// sets, upper-case text after lower-case and the reverse, an empty text.
    #[test]
    fn a_reused_scan_finds_what_a_fresh_scan_found() {
        let a = set(&[("收购", "-"), ("acquir*", "-"), ("stake in", "-")]);
        let b = set(&[("公司", "子公司"), ("its", "-"), ("收购", "-")]);
        let one = Combined::new(&[a.patterns()]);
        let two = Combined::new(&[a.patterns(), b.patterns()]);
        let texts = [
            "Oracle ACQUIRED Cerner, a Stake In its 公司; 收购.",
            "阿里巴巴收购了饿了么,子公司 acquired its stake in x",
            "",
            "ITS STAKE IN 收购",
        ];
        let mut reused = Scanned::default();
        for combined in [&two, &one, &two] {
            for t in texts.iter().chain(texts.iter().rev()) {
                combined.scan_into(t, &mut reused);
                let fresh = combined.scan(t);
                assert_eq!(reused.occ, fresh.occ, "{t}");
                for k in 0..3 {
                    assert_eq!(reused.of(k), fresh.of(k), "{t}");
                }
            }
        }
    }

    /// The first-character scan finds what the automaton reporting every match found: on
    /// the facts stage's own cues over the test corpus and awkward texts (overlaps, cues
    /// inside cues, upper case, characters past U+FFFF, a cue at the very end).
    #[test]
    fn first_character_scan_finds_what_the_automaton_found() {
        let combined = &*super::super::DOC_CUES;
        let mut texts: Vec<String> = vec![
            "收购收购了购购收".into(),
            "".into(),
            "𝒳𝒴𠀀收购𠀀 Acquired ITS Stake In the Company. 该公司".into(),
            "阿里巴巴收购了饿了么,此后计划上市;这家上市公司收购Acquire Corp。该公司估值估值20亿".into(),
        ];
        for dir in ["corpus", "tests/golden"] {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    texts.push(t);
                }
            }
        }
        assert!(texts.len() > 4, "no corpus read");
        let mut reused = Scanned::default();
        for t in &texts {
            combined.scan_into(t, &mut reused);
            assert_eq!(reused.occ, combined.scan_by_automaton(t), "{t}");
        }
        let small = Combined::new(&[vec!["ab", "b", "abc"], vec![], vec!["bc", "c", "b"]]);
        for t in ["abc", "xabcabc", "ABC", "bcb"] {
            small.scan_into(t, &mut reused);
            assert_eq!(reused.occ, small.scan_by_automaton(t), "{t}");
        }
    }

    #[test]
    fn shared_cue_text_yields_every_row() {
        let s = set(&[("估值", "-"), ("估值", "-")]);
        let t = "估值20亿";
        assert_eq!(s.find(t, (0, t.len())).len(), 2);
    }
}
