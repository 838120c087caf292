//! The gazetteer: organisations, people and places common in business and tech news, with
//! bilingual aliases (`data/entities.tsv`, curated), and the listed companies of mainland
//! China, Hong Kong and the US (`data/listed_companies.tsv`, generated from public stock
//! lists by `data/sources/build_listed_companies.py`; sources and licences in
//! `data/README.md`). Both are matched by one Aho-Corasick automaton built once over the
//! NORMALISED alias forms (Simplified, half-width), and looked up by surface form when
//! mentions are grouped into entities (canonical name, `name_en`). The curated table comes
//! first: a form it lists keeps its referent.
//!
//! A match must sit on word boundaries: a Latin alias between non-alphanumerics, a Chinese
//! alias on jieba token boundaries (so 中国银行业 is not 中国银行). Among overlapping matches
//! the longest wins (中国银行, not 中国 + 银行). Aliases marked `~` in the table are common
//! words too (苹果, 新希望, 平安银行, Apple, Target): they count only when the same document
//! names the referent by a strong alias, or business context says a company is meant
//! ([`company_context`]: an organisation head or title after it, a stock code, a business
//! predicate in the same clause, a deal verb before it: 苹果公司, 苹果股价, 收购了永辉超市,
//! `Apple shares`, `Target said`). A name with no ordinary reading (比亚迪 aside, the
//! build script decides: 宁德时代, 泡泡玛特, Medtronic) stands alone.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, OnceLock};

use rustc_hash::FxHashMap;

use crate::table::{rows, TableError};

use daachorse::CharwiseDoubleArrayAhoCorasick;

use super::cues;
use crate::document::EntityType;
use crate::normalize;
use crate::recognize::{MentionCandidate, MentionSource};
use crate::segment::Segmented;

/// Score of a gazetteer match: above rules and the tagger's usual scores, so a listed name
/// beats a partial span (a match inside a longer tagger span is dropped before arbitration).
pub const GAZ_SCORE: f32 = 0.99;
const WEAK_SCORE: f32 = 0.9;

/// One referent of the table.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: EntityType,
    /// Canonical name: Simplified Chinese, or the Latin original.
    pub name: String,
    pub name_en: Option<String>,
}

#[derive(Debug, Clone, Copy)]
struct Pattern {
    entry: usize,
    weak: bool,
    latin: bool,
    /// Whether [`Gazetteer::lookup`] answers for this form: every curated form, and the
    /// strong forms of the listed companies (a weak listed form is an ordinary word or a
    /// place, 松江 or 当代, and must not lend the company's type to every mention of it).
    lookup: bool,
}

/// The parsed table and its automaton.
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    patterns: Vec<Pattern>,
    /// Every normalised alias form, by pattern index: what the automaton is built from.
    forms: Vec<String>,
    /// The automaton over `forms`, built on first use or ahead of it by [`build`] (a
    /// start-up task): the build (about 30 ms) is off the path of
    /// [`crate::Pipeline::new`], which reads and checks the table itself.
    automaton: OnceLock<Result<Automaton, TableError>>,
    /// Normalised alias form -> pattern index, for lookups by surface form.
    by_form: FxHashMap<String, usize>,
    /// Bytes of the longest form.
    longest: usize,
}

/// The normalised form of a table string, exactly as the text normalisation would write it.
/// Most names are already in that form, which is told without running the pipeline (the
/// gazetteer's tens of thousands of forms took about 10 ms of start-up through it).
pub fn normalise_form(s: &str) -> String {
    if normalize::is_own_normal_form(s) {
        return s.to_string();
    }
    normalize::normalize(s).text
}

fn parse_type(s: &str) -> Option<EntityType> {
    match s {
        "PERSON" => Some(EntityType::Person),
        "ORG" => Some(EntityType::Org),
        "LOC" => Some(EntityType::Loc),
        _ => None,
    }
}

impl Gazetteer {
    fn from_tables(tables: &[(&str, &str)]) -> Result<Gazetteer, TableError> {
        let mut entries = Vec::new();
        let mut forms: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        // Sized once for every form the tables can name (a row's name, English name and
        // `|`-separated aliases): grown step by step, it rehashed every form again.
        let most_forms: usize = tables
            .iter()
            .map(|(_, t)| t.bytes().filter(|&b| b == b'\n' || b == b'|').count() * 3 + 3)
            .sum();
        let mut by_form: FxHashMap<String, usize> =
            FxHashMap::with_capacity_and_hasher(most_forms, Default::default());
        let curated_file = tables.first().map_or("", |t| t.0);
        for r in tables.iter().flat_map(|&(file, table)| rows(file, table)) {
            // The fifth column (the listing, `SZ:000001`) is for people reading the table.
            r.at_most(5)?;
            let kind = r.cell(0, "type")?;
            let kind = parse_type(kind).ok_or_else(|| r.error(format!("unknown type {kind:?}")))?;
            let name = normalise_form(r.cell(1, "name")?);
            if name.is_empty() {
                return Err(r.error("the name normalises to nothing"));
            }
            let name_en = r.optional(2).map(str::to_string);
            let entry = entries.len();
            // `~alias` marks a weak alias; it overrides the same form given as name or name_en.
            let listed: Vec<&str> = r
                .optional(3)
                .map(|a| {
                    a.split('|')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let weak_forms: Vec<String> = listed
                .iter()
                .filter_map(|a| a.strip_prefix('~'))
                .map(normalise_form)
                .collect();
            let all = std::iter::once(name.clone())
                .chain(name_en.iter().map(|s| normalise_form(s)))
                .chain(
                    listed
                        .iter()
                        .map(|a| normalise_form(a.trim_start_matches('~'))),
                );
            for form in all {
                if form.is_empty() || by_form.contains_key(&form) {
                    continue;
                }
                let weak = weak_forms.contains(&form);
                let latin = !form.chars().any(normalize::script::is_han);
                let lookup = !weak || r.file == curated_file;
                by_form.insert(form.clone(), patterns.len());
                patterns.push(Pattern {
                    entry,
                    weak,
                    latin,
                    lookup,
                });
                forms.push(form);
            }
            entries.push(Entry {
                kind,
                name,
                name_en,
            });
        }
        if forms.is_empty() {
            return Err(TableError {
                file: tables.last().map_or("", |t| t.0).to_string(),
                line: 0,
                reason: "the tables name no alias".to_string(),
            });
        }
        let longest = forms.iter().map(String::len).max().unwrap_or(0);
        Ok(Gazetteer {
            entries,
            patterns,
            forms,
            automaton: OnceLock::new(),
            by_form,
            longest,
        })
    }

    /// The entry a surface form names, when it is one of the table's aliases.
    pub fn lookup(&self, surface: &str) -> Option<(usize, &Entry)> {
        let p = self.patterns.get(*self.by_form.get(surface)?)?;
        if !p.lookup {
            return None;
        }
        Some((p.entry, self.entries.get(p.entry)?))
    }

    /// Pushes one candidate per accepted, non-overlapping alias match in `text`.
    pub fn find(&self, text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
        let in_place = FIND_SCRATCH.try_with(|cell| {
            let Ok(mut scratch) = cell.try_borrow_mut() else {
                return false;
            };
            self.find_with(text, seg, out, &mut scratch);
            scratch.trim();
            true
        });
        if in_place != Ok(true) {
            self.find_with(text, seg, out, &mut FindScratch::new());
        }
    }

    /// [`Gazetteer::find`] with the thread's working buffers.
    fn find_with(
        &self,
        text: &str,
        seg: &Segmented,
        out: &mut Vec<MentionCandidate>,
        scratch: &mut FindScratch,
    ) {
        let FindScratch {
            hits,
            kept,
            taken,
            strong_entries,
        } = scratch;
        hits.clear();
        self.word_hits_into(text, seg, hits);
        // Longest first, then leftmost; keep those that overlap nothing kept.
        hits.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
        keep_longest_into(hits, kept, taken);
        kept.sort_unstable_by_key(|k| (k.0, k.1));
        strong_entries.clear();
        strong_entries.extend(
            kept.iter()
                .filter_map(|k| self.patterns.get(k.2))
                .filter(|p| !p.weak)
                .map(|p| p.entry),
        );
        strong_entries.sort_unstable();
        strong_entries.dedup();
        // The end of the last name pushed: a name extended by its head or region
        // (星巴克 + 中国) covers the listed place after it.
        let mut pushed_end = 0;
        for &(s, e, p) in kept.iter() {
            if s < pushed_end {
                continue;
            }
            let Some(pat) = self.patterns.get(p) else {
                continue;
            };
            let Some(entry) = self.entries.get(pat.entry) else {
                continue;
            };
            // 新款手机Xiaomi 15, unveiled the Pixel 10: a product of the company, not it.
            if pat.latin && super::business::is_product_name(text, (s, e)) {
                continue;
            }
            let e = if entry.kind == EntityType::Org {
                extend_company_name(text, seg, s, e)
            } else {
                e
            };
            let score = if pat.weak {
                if strong_entries.binary_search(&pat.entry).is_err() && !company_context(text, s, e)
                {
                    continue;
                }
                WEAK_SCORE
            } else {
                GAZ_SCORE
            };
            pushed_end = e;
            out.push(MentionCandidate {
                nspan: (s, e),
                kind: entry.kind,
                score,
                source: MentionSource::Gazetteer,
            });
        }
    }
}

/// The working buffers of [`Gazetteer::find`], kept on the thread from one text to the next
/// (a one-line document allocated each of them anew). Each is cleared before use, so what
/// an earlier text left never changes an answer; they are dropped when grown past
/// [`SCRATCH_MOST`] elements.
struct FindScratch {
    hits: Vec<(usize, usize, usize)>,
    kept: Vec<(usize, usize, usize)>,
    taken: Vec<u64>,
    strong_entries: Vec<usize>,
}

/// The most elements a [`FindScratch`] buffer keeps between texts.
const SCRATCH_MOST: usize = 1 << 14;

impl FindScratch {
    const fn new() -> Self {
        FindScratch {
            hits: Vec::new(),
            kept: Vec::new(),
            taken: Vec::new(),
            strong_entries: Vec::new(),
        }
    }

    /// Drops the buffers grown past [`SCRATCH_MOST`].
    fn trim(&mut self) {
        fn trim<T>(v: &mut Vec<T>) {
            if v.capacity() > SCRATCH_MOST {
                *v = Vec::new();
            }
        }
        trim(&mut self.hits);
        trim(&mut self.kept);
        trim(&mut self.taken);
        trim(&mut self.strong_entries);
    }
}

thread_local! {
    static FIND_SCRATCH: std::cell::RefCell<FindScratch> =
        const { std::cell::RefCell::new(FindScratch::new()) };
}

/// The hits (sorted longest first, then leftmost) that overlap no hit kept before them,
/// in that order. A kept hit marks its bytes in a bit set over the text: a hit overlaps a
/// kept one exactly when one of its bytes is marked (two half-open spans overlap when they
/// share a byte). Bytes of a match are few, so this costs less than the ordered map of kept
/// starts it replaces (a look-up and an insertion of a B-tree per hit).
#[cfg(test)]
fn keep_longest(hits: Vec<(usize, usize, usize)>) -> Vec<(usize, usize, usize)> {
    let (mut kept, mut taken) = (Vec::new(), Vec::new());
    keep_longest_into(&hits, &mut kept, &mut taken);
    kept
}

/// [`keep_longest`] into `kept` (cleared first), with `taken` as the bit set.
fn keep_longest_into(
    hits: &[(usize, usize, usize)],
    kept: &mut Vec<(usize, usize, usize)>,
    taken: &mut Vec<u64>,
) {
    kept.clear();
    if hits.is_empty() {
        return;
    }
    // Bits up to the last end of a hit (not the whole text).
    let words = hits.iter().map(|h| h.1).max().unwrap_or(0) / 64 + 1;
    taken.clear();
    taken.resize(words, 0);
    let marked = |taken: &[u64], i: usize| taken.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 != 0);
    for &h in hits {
        if (h.0..h.1).any(|i| marked(taken, i)) {
            continue;
        }
        for i in h.0..h.1 {
            if let Some(w) = taken.get_mut(i / 64) {
                *w |= 1 << (i % 64);
            }
        }
        kept.push(h);
    }
}

/// The longest text whose alias matches are looked up form by form ([`Gazetteer::lookup_hits`])
/// while the automaton is not built (one hash look-up per start and end at most the longest
/// form apart; not timed on its own: the automaton's build is about 98 M instructions).
const LOOKUP_TEXT: usize = 4096;

impl Gazetteer {
    /// (start, end, pattern) of every match on word boundaries, in no particular order
    /// ([`Gazetteer::find`] orders them).
    ///
    /// By the automaton once it is built. Before that (start-up), a short text looks its
    /// substrings up among the forms instead, and the automaton is built on the start-up
    /// thread (`crate::warm`) for the texts after it: a short first document (the
    /// start-up to the first record) neither waits for the build nor needs it. A longer
    /// text builds it, or waits for the build under way.
    ///
    /// Only after [`defer_automaton`] (the start-up tasks of `crate::prepare_for`, which run
    /// on threads of their own anyway): a library caller that never asked for start-up work
    /// in the background gets no thread from a call, and builds the automaton on first use.
    fn word_hits_into(&self, text: &str, seg: &Segmented, out: &mut Vec<(usize, usize, usize)>) {
        if text.len() <= LOOKUP_TEXT
            && DEFERRED.load(Ordering::Relaxed)
            && self.automaton.get().is_none()
        {
            build_in_background();
            out.extend(self.lookup_hits(text, seg));
            return;
        }
        self.automaton_hits_into(text, seg, out)
    }

    /// [`Gazetteer::word_hits_into`] into a vector of their own.
    #[cfg(test)]
    fn word_hits(&self, text: &str, seg: &Segmented) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        self.word_hits_into(text, seg, &mut out);
        out
    }

    /// [`Gazetteer::word_hits`] by the automaton, in order of end.
    ///
    /// A plain loop over the matches, not a `filter` and `collect`: inside the adapters'
    /// `try_fold` the automaton's iterator lived in memory, stored back at every character
    /// (some 75 instructions a character of text, where the matches are a few hundredths).
    fn automaton_hits_into(
        &self,
        text: &str,
        seg: &Segmented,
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        for m in self.automaton().find_overlapping_iter(text) {
            let (s, e, p) = (m.start(), m.end(), m.value() as usize);
            if self.on_word_boundaries(text, seg, s, e, p) {
                out.push((s, e, p));
            }
        }
    }

    /// [`Gazetteer::automaton_hits_into`] into a vector of their own.
    #[cfg(test)]
    fn automaton_hits(&self, text: &str, seg: &Segmented) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        self.automaton_hits_into(text, seg, &mut out);
        out
    }

    /// [`Gazetteer::word_hits`] without the automaton: every stretch of `text` between two
    /// character boundaries, up to the longest form, looked up among the forms. The same
    /// hits: the automaton reports every occurrence of every form (all on character
    /// boundaries), and a form's pattern is its index in `forms`, which is its value in
    /// `by_form` (the reader puts both together). In order of start.
    fn lookup_hits(&self, text: &str, seg: &Segmented) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let ends: Vec<usize> = text
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .collect();
        for (k, (s, _)) in text.char_indices().enumerate() {
            // No form starts where neither a Han form (a token boundary) nor a Latin one
            // (after no ASCII letter or digit) can: skipped without its look-ups.
            let after_word = text[..s]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if after_word && !token_boundary(seg, text, s) {
                continue;
            }
            for &e in ends[k..].iter().take_while(|&&e| e - s <= self.longest) {
                let Some(&p) = text.get(s..e).and_then(|f| self.by_form.get(f)) else {
                    continue;
                };
                if self.on_word_boundaries(text, seg, s, e, p) {
                    out.push((s, e, p));
                }
            }
        }
        out
    }

    /// Whether the match `s..e` of pattern `p` sits on word boundaries (see the module notes).
    fn on_word_boundaries(&self, text: &str, seg: &Segmented, s: usize, e: usize, p: usize) -> bool {
        let Some(pat) = self.patterns.get(p) else {
            return false;
        };
        if pat.latin {
            latin_boundaries(text, s, e)
        } else {
            token_boundary(seg, text, s) && token_boundary(seg, text, e)
        }
    }
}

fn latin_boundaries(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    // `Corp.` ends with a dot; `U.S` must not match inside `U.S.A`.
    !word(before)
        && !word(after)
        && !(after == Some('.')
            && text[e..]
                .chars()
                .nth(1)
                .is_some_and(|c| c.is_ascii_alphabetic()))
}

/// True when byte `at` is the start or end of a jieba token (or the text has no tokens).
fn token_boundary(seg: &Segmented, text: &str, at: usize) -> bool {
    if seg.tokens.is_empty() || at == 0 || at >= text.len() {
        return true;
    }
    let i = seg.tokens.partition_point(|t| t.start < at);
    if seg.tokens.get(i).is_some_and(|t| t.start == at) {
        return true;
    }
    // The token before `at` either ends exactly there or runs across it.
    match i.checked_sub(1).and_then(|j| seg.tokens.get(j)) {
        Some(t) => t.end <= at,
        None => true,
    }
}

/// The end of a listed company's name in the text: its head when one follows on a word
/// boundary (蔚来 + 汽车), and its regional arm when the region is followed by what an arm
/// does (星巴克 + 中国 + 表示).
fn extend_company_name(text: &str, seg: &Segmented, s: usize, e: usize) -> usize {
    let after = text.get(e..).unwrap_or("");
    if text.get(s..e).is_some_and(|n| n.is_ascii()) {
        return e;
    }
    let c = cues::cues();
    if let Some(h) = cues::starts_with_any(after, &c.name_head) {
        if token_boundary(seg, text, e + h.len()) {
            return e + h.len();
        }
    }
    if let Some(r) = cues::starts_with_any(after, &c.arm_region) {
        if cues::starts_with_any(&after[r.len()..], &c.arm_verb).is_some() {
            return e + r.len();
        }
    }
    e
}

/// How far (bytes) after a Chinese name a business predicate of the same clause counts
/// (苹果今年第三季度营收: about ten characters).
const CLAUSE_REACH: usize = 30;
/// The same for a two-character name: four characters.
const SHORT_REACH: usize = 12;

/// Does business context make the text between `s` and `e` a company? See the module
/// notes; every look is within the name's clause, a few words either side. (A Chinese deal
/// verb before the name is no such context: 投资过大众点评 holds 大众 only as the start of a
/// longer name, which the business rules read.)
pub fn company_context(text: &str, s: usize, e: usize) -> bool {
    let c = cues::cues();
    let after = text.get(e..).unwrap_or("").trim_start_matches(' ');
    let before = text.get(..s).unwrap_or("").trim_end_matches(' ');
    // 这家机器人公司, 一家芯片公司: a kind of company, not a name.
    if super::business::descriptor_opener_before(text, s) {
        return false;
    }
    if after.starts_with('(') && super::business::stock_code_at(after) {
        return true;
    }
    let latin = text.get(s..e).is_some_and(|n| n.is_ascii());
    if latin {
        let rest = after.strip_prefix("'s ").unwrap_or(after);
        let word_after = |w: &str| {
            rest.strip_prefix(w)
                .is_some_and(|r| !r.starts_with(|ch: char| ch.is_ascii_alphanumeric()))
        };
        let word_before = |w: &str| {
            before
                .strip_suffix(w)
                .is_some_and(|b| !b.ends_with(|ch: char| ch.is_ascii_alphanumeric()))
        };
        return c.company_after_en.iter().any(|w| word_after(w))
            || c.company_before_en.iter().any(|w| word_before(w))
            || cues::title_after(text, e);
    }
    if cues::starts_with_any(after, &c.company_head).is_some()
        || cues::title_after(text, e)
        || cues::starts_with_any(after, &c.launch_after).is_some()
    {
        return true;
    }
    // A business predicate later in the same clause (苹果第三季度营收, 美团股价).
    // A two-character name (美团, 跨境) is a word too often: its predicate must follow closely
    // (美团股价, 苹果当季营收), not somewhere in the clause (跨境并购、境外上市).
    let short = text.get(s..e).is_some_and(|n| n.chars().count() <= 2);
    let reach = if short { SHORT_REACH } else { CLAUSE_REACH };
    let mut end = after.len().min(reach);
    while !after.is_char_boundary(end) {
        end -= 1;
    }
    let clause = after[..end]
        .split([',', '。', ';', '!', '?', ':'])
        .next()
        .unwrap_or("");
    clause.char_indices().any(|(i, ch)| {
        let rest = &clause[i..];
        // 农产品收购工作: a deal verb right after a common noun may take it as its object
        // (the buying of farm produce); 苹果收购了 is the company acting.
        let object_of_deal = i == 0
            && cues::starts_with_any(rest, &c.biz_object)
                .is_some_and(|v| !rest[v.len()..].starts_with('了') && !v.ends_with('了'));
        (super::business::starts_with_predicate(rest, ch) && !object_of_deal)
            || (c.company_after_zh_firsts.binary_search(&ch).is_ok()
                && c.company_after_zh
                    .iter()
                    .any(|cue| cues::starts_with_bytes(rest.as_bytes(), cue.as_bytes())))
    })
}

fn load() -> Result<Gazetteer, TableError> {
    Gazetteer::from_tables(&[
        crate::data_table!("entities.tsv"),
        crate::data_table!("listed_companies.tsv"),
    ])
}

/// Reads this module's tables (for [`crate::table::check_all`]): the process-wide
/// gazetteer is built here once, and its error, if any, is reported with file and line.
pub fn check() -> Result<(), TableError> {
    GAZETTEER.as_ref().map(|_| ()).map_err(Clone::clone)
}

static GAZETTEER: LazyLock<Result<Gazetteer, TableError>> = LazyLock::new(load);

/// Every form of the gazetteer in a character-wise double-array Aho-Corasick automaton: one
/// transition a character, where aho-corasick's byte-wise NFA takes three for a Han
/// character and, on 14,000 forms, misses the cache on most of them (the double array
/// halved the search's share of the pipeline's time). Its value is the pattern index.
type Automaton = CharwiseDoubleArrayAhoCorasick<u32>;

impl Gazetteer {
    /// The automaton over the forms, built once.
    fn automaton(&self) -> &Automaton {
        crate::table::built(
            self.automaton
                .get_or_init(|| self.build_automaton())
                .as_ref()
                .map_err(Clone::clone),
        )
    }

    /// Builds the automaton over the forms. They are non-empty and distinct (the reader
    /// skips repeats and checks that there is one), the two errors the builder knows
    /// besides a size in the billions.
    fn build_automaton(&self) -> Result<Automaton, TableError> {
        Automaton::with_values(self.forms.iter().zip(0u32..)).map_err(|e| TableError {
            file: "data/listed_companies.tsv".to_string(),
            line: 0,
            reason: format!("cannot build the matcher: {e}"),
        })
    }
}

/// Builds the gazetteer and its automaton (a start-up task, `crate::warm`: the first
/// document's entities otherwise build them); whoever needs them first waits only for
/// what is left (`LazyLock`, `OnceLock`).
pub(crate) fn build() {
    if let Ok(g) = GAZETTEER.as_ref() {
        let _ = g.automaton.get_or_init(|| g.build_automaton());
    }
}

/// Queues [`build`] on the start-up thread, once per process (see
/// [`Gazetteer::word_hits`]; the start-up tasks queue it themselves when the first
/// document is long, `crate::prepare_for`).
fn build_in_background() {
    static QUEUED: std::sync::Once = std::sync::Once::new();
    QUEUED.call_once(|| {
        if !crate::warm::enqueue([Box::new(build) as crate::warm::Task]) {
            // No thread could be started: the task is queued; build it here.
            crate::warm::help();
        }
    });
}

/// Whether a first document `text` needs the automaton (see [`Gazetteer::word_hits`]).
pub(crate) fn needs_automaton(text: &str) -> bool {
    text.len() > LOOKUP_TEXT
}

/// Whether the start-up tasks left the automaton's build to its first use
/// ([`defer_automaton`]).
static DEFERRED: AtomicBool = AtomicBool::new(false);

/// Lets short texts find their matches without the automaton until it is built, its
/// build queued on the start-up thread by the first of them (see [`Gazetteer::word_hits`]);
/// called by the start-up tasks of a short first document instead of building it.
pub(crate) fn defer_automaton() {
    DEFERRED.store(true, Ordering::Relaxed);
}

/// The process-wide gazetteer.
#[inline]
pub fn gazetteer() -> &'static Gazetteer {
    crate::table::built(GAZETTEER.as_ref().map_err(Clone::clone))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    fn found(text: &str) -> Vec<(String, EntityType)> {
        let norm = normalize::normalize(text).text;
        let seg = segment(&norm, true);
        let mut out = Vec::new();
        gazetteer().find(&norm, &seg, &mut out);
        out.sort_by_key(|m| m.nspan);
        out.iter()
            .map(|m| (norm[m.nspan.0..m.nspan.1].to_string(), m.kind))
            .collect()
    }

    #[test]
    fn table_is_large_and_bilingual() {
        let g = gazetteer();
        assert!(g.entries.len() >= 300, "{} entries", g.entries.len());
        let (_, e) = g.lookup("微软").unwrap();
        assert_eq!(
            (e.name.as_str(), e.name_en.as_deref()),
            ("微软", Some("Microsoft"))
        );
        // Traditional aliases are stored in their normalised (Simplified) form.
        let (_, e) = g.lookup(&normalise_form("輝達")).unwrap();
        assert_eq!(e.name, "英伟达");
        assert_eq!(
            g.lookup("马斯克").unwrap().1.name_en.as_deref(),
            Some("Elon Musk")
        );
    }

    #[test]
    fn every_form_normalises_as_the_pipeline_would() {
        // `normalise_form` skips the pipeline for forms already normal: over every string
        // of both tables it must give exactly what `normalize` gives.
        let (mut plain, mut all) = (0, 0);
        for (file, table) in [
            crate::data_table!("entities.tsv"),
            crate::data_table!("listed_companies.tsv"),
        ] {
            for r in rows(file, table) {
                let aliases = r.optional(3).unwrap_or("").split('|');
                let forms = [r.optional(1), r.optional(2)]
                    .into_iter()
                    .flatten()
                    .chain(aliases.map(|a| a.trim().trim_start_matches('~')));
                for s in forms {
                    all += 1;
                    plain += normalize::is_own_normal_form(s) as usize;
                    assert_eq!(normalise_form(s), normalize::normalize(s).text, "{file}:{}", r.line);
                }
            }
        }
        assert!(all > 15_000 && plain * 10 > all * 9, "{plain} of {all} plain");
    }

    #[test]
    fn longest_match_on_word_boundaries() {
        let f = found("中國銀行與微軟合作,Googleplex不算,Google算。");
        let names: Vec<&str> = f.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(names, vec!["中国银行", "微软", "Google"]);
        assert_eq!(f[0].1, EntityType::Org);
    }

    #[test]
    fn weak_aliases_need_support() {
        assert!(found("我喜欢吃苹果。").is_empty());
        assert!(found("微博客户端更新了。").is_empty());
        assert_eq!(found("苹果公司发布新品,苹果股价上涨。").len(), 2);
        assert_eq!(found("苹果股价上涨。").len(), 1);
    }

    #[test]
    fn listed_companies_are_in_the_table() {
        let g = gazetteer();
        assert!(g.entries.len() >= 9000, "{} entries", g.entries.len());
        for name in [
            "宁德时代",
            "药明生物",
            "海康威视",
            "Medtronic",
            "Nucor",
            "Cummins",
        ] {
            let (_, e) = g
                .lookup(name)
                .unwrap_or_else(|| panic!("{name} not listed"));
            assert_eq!(e.kind, EntityType::Org, "{name}");
        }
        // A weak listed form (a place, a phrase of common words) lends no type.
        assert!(g.lookup("张家界").is_none());
        assert!(g.lookup("新希望").is_none());
    }

    #[test]
    fn weak_listed_names_need_business_context() {
        let names = |t: &str| -> Vec<String> { found(t).into_iter().map(|(s, _)| s).collect() };
        assert_eq!(names("新希望发布公告称，拟出售资产。"), vec!["新希望"]);
        assert!(names("人们盼望着生活有新希望。").is_empty());
        assert_eq!(names("平安银行股价今年以来下跌一成。"), vec!["平安银行"]);
        assert!(names("Apple pie was served at the fair.").is_empty());
        assert_eq!(names("Apple shares rose on Monday."), vec!["Apple"]);
        assert_eq!(names("Target said sales fell."), vec!["Target"]);
        // A generic description is no context: 这家机器人公司.
        assert!(names("腾讯领投了这家机器人公司的融资。")
            .iter()
            .all(|n| n != "机器人"));
        // A unique name stands alone.
        assert_eq!(names("宁德时代周三发布新电池。"), vec!["宁德时代"]);
    }

    #[test]
    fn company_names_take_their_heads_and_arms_but_not_products() {
        let names = |t: &str| -> Vec<String> { found(t).into_iter().map(|(s, _)| s).collect() };
        assert_eq!(names("蔚来汽车宣布完成融资。"), vec!["蔚来汽车"]);
        assert_eq!(names("星巴克中国表示将开新店。"), vec!["星巴克中国"]);
        assert_eq!(names("小米发布了新款手机Xiaomi 15。"), vec!["小米"]);
        assert!(names("Google unveiled the Pixel 10 phone.")
            .iter()
            .all(|n| n != "Pixel"));
    }

    /// The double array finds what a byte-wise Aho-Corasick scan of the same forms finds,
    /// and so does looking every stretch of the text up among the forms (the start-up's
    /// way, before the double array is built).
    #[test]
    fn double_array_finds_what_a_bytewise_scan_finds() {
        let g = gazetteer();
        let reference = aho_corasick::AhoCorasick::new(&g.forms).unwrap();
        let texts = [
            "中國銀行與微軟合作,Googleplex不算,Google算。星巴克中国表示将开新店。",
            "a Hong Kong investment firm filed with the Securities and Exchange Commission.",
            "宁德时代周三发布新电池,比亚迪、小米和Apple Inc.跟进;U.S.A和3M公司。",
            "平安银行股价今年以来下跌一成。人们盼望着生活有新希望。",
            "",
        ];
        let sample = |file: &str| crate::test_support::corpus_sample(file, 20_000);
        let samples = [sample("zh_news.txt"), sample("en_news.txt")];
        for text in texts.iter().copied().chain(samples.iter().map(String::as_str)) {
            let norm = normalize::normalize(text).text;
            for seg in [segment(&norm, true), segment(&norm, false)] {
                let mut scanned = Vec::new();
                for m in reference.find_overlapping_iter(&norm) {
                    let (s, e) = (m.start(), m.end());
                    let p = m.pattern().as_usize();
                    if g.on_word_boundaries(&norm, &seg, s, e, p) {
                        scanned.push((s, e, p));
                    }
                }
                let mut found = g.automaton_hits(&norm, &seg);
                let mut looked_up = g.lookup_hits(&norm, &seg);
                let mut either = g.word_hits(&norm, &seg);
                scanned.sort_unstable();
                found.sort_unstable();
                looked_up.sort_unstable();
                either.sort_unstable();
                assert_eq!(text.is_empty(), found.is_empty(), "{text}");
                assert_eq!(found, scanned, "{text}");
                assert_eq!(looked_up, scanned, "{text}");
                assert_eq!(either, scanned, "{text}");
            }
        }
    }

    /// The bit set of taken bytes keeps what the ordered map of kept spans kept: of hits
    /// sorted longest first, then leftmost, each that overlaps no span kept before it.
    #[test]
    fn keep_longest_is_the_ordered_map_walk() {
        let mut seed = 7u64;
        let mut next = |m: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % m
        };
        for round in 0..300 {
            let len = 1 + next(200);
            let mut hits: Vec<(usize, usize, usize)> = (0..next(40))
                .map(|p| {
                    let s = next(len);
                    (s, s + 1 + next(12.min(len - s)), p)
                })
                .filter(|h| h.1 <= len)
                .collect();
            hits.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
            let mut plain = Vec::new();
            let mut taken = std::collections::BTreeMap::new();
            for &h in &hits {
                let clash = taken
                    .range(..h.1)
                    .next_back()
                    .is_some_and(|(_, &end)| end > h.0);
                if !clash {
                    taken.insert(h.0, h.1);
                    plain.push(h);
                }
            }
            assert_eq!(keep_longest(hits), plain, "round {round}");
        }
    }

    /// The thread's reused buffers find what fresh ones find, text after text, long texts
    /// and short ones in turn (each buffer is cleared before use).
    #[test]
    fn reused_buffers_find_what_fresh_ones_find() {
        let g = gazetteer();
        let long = crate::test_support::corpus_sample("zh_news.txt", 6_000);
        let texts = [
            "中國銀行與微軟合作,Googleplex不算,Google算。",
            long.as_str(),
            "苹果公司发布新品,苹果股价上涨。",
            "",
            "星巴克中国表示将开新店。宁德时代周三发布新电池。",
        ];
        let norms: Vec<String> = texts.iter().map(|t| normalize::normalize(t).text).collect();
        let run = |norm: &str, fresh: bool| {
            let seg = segment(norm, true);
            let mut out = Vec::new();
            if fresh {
                g.find_with(norm, &seg, &mut out, &mut FindScratch::new());
            } else {
                g.find(norm, &seg, &mut out);
            }
            format!("{out:?}")
        };
        let plain: Vec<String> = norms.iter().map(|n| run(n, true)).collect();
        for order in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 0, 3, 4, 2]] {
            for &i in &order {
                assert_eq!(run(&norms[i], false), plain[i], "text {i}");
            }
        }
    }

    #[test]
    fn places_in_english() {
        let f =
            found("a Hong Kong investment firm filed with the Securities and Exchange Commission.");
        let names: Vec<&str> = f.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            names,
            vec!["Hong Kong", "Securities and Exchange Commission"]
        );
    }
}
