//! The date recogniser: dates, ranges and durations in Chinese and English, resolved against
//! the document date and the narrative.
//!
//! Three steps, in order:
//! 1. **Find.** Every rule of [`zh`] and [`en`] (regexes compiled once) runs over the
//!    normalised text and describes each match as an [`expr::Expr`]; overlapping candidates
//!    are settled longest-first.
//! 2. **Join.** Neighbours joined by a range word (`至`, `到`, `-`, `to`, `through`, `和…之间`,
//!    `between … and`) become one range; a bare day after `至` (`9月3日至5日`) completes one.
//! 3. **Resolve**, in text order, against the anchors of each item's place:
//!    - a date without a year takes the nearest preceding explicit year of the same
//!      paragraph, else the document date's year, else the nearest preceding explicit year
//!      anywhere in the text (a year-less date is not marked `relative`);
//!    - month- and week-level relative words (`上个月`, `本月`, `上周`, `last month`) count from
//!      the nearest preceding explicit day or month date of the same paragraph (`上个月` in a
//!      paragraph about 9月4日 is August), else from the document date;
//!    - day- and year-level relative words (`今天`, `三天前`, `去年`, `yesterday`) count from the
//!      document date. Without a document date they come out with `value: null`;
//!    - a weekday without a modifier (`周三`, `on Friday`), a year-less holiday (`春节`) and a
//!      year-less month or day whose year would come from the document date follow the tense
//!      of their place ([`tense`]): on or after the document date in a plan (`将`, `will`) or
//!      a fragment standing alone, on or before it in a report (`了`, `said`) or an unmarked
//!      sentence;
//!      `上周三`, `last Tuesday` count whole weeks (last week's Tuesday);
//!    - a year-less holiday (`春节`, `Christmas`) otherwise falls in the anchor year; `last/next Easter`
//!      is the nearest occurrence before/after the document date;
//!    - explicit dates in plan sentences (`到2027年`, `by 2030`) do not anchor the narrative.
//!
//! Ranges are inclusive at the granularity the text uses (`2025年6月至7月` = 2025-06..2025-07);
//! durations are ISO 8601 (`P3Y`, `P18M`, `P1Y3M`), with `value: null` when vague (`数周`,
//! `several weeks`).
//!
//! Document-date inference ([`infer_document_date`]) is documented on the function.

mod en;
pub(crate) mod expr;
pub(crate) mod lexicon;
pub(crate) mod period;
pub(crate) mod tense;
mod zh;

use std::sync::{LazyLock, OnceLock};

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::gate::{Gate, Passes};
use super::{Candidates, Context, Recognizer};
use crate::document::{DateItem, NSpan};
use crate::segment::Segmented;
use expr::{resolve, Anchors, Expr, MonthRef, TenseAt, YearRef};

/// One pattern: a regex and the function that reads its captures into an expression
/// (or rejects the match, returning `None`).
pub(crate) struct Rule {
    /// The pattern, compiled on first use by [`Rule::regex`]: most rules never search a
    /// given text (the gate finds no literal of theirs), so compiling all 111 at start-up
    /// (about 40 ms) put the English rules on the critical path of a Chinese run.
    pattern: String,
    re: OnceLock<Regex>,
    /// The pattern's group names by [`name_key`], with their indices (see
    /// [`Captures::name`]), made with the regex.
    names: OnceLock<Vec<(u128, usize)>>,
    pub parse: fn(&Captures, &Scan) -> Option<Expr>,
    /// A test read off a match's bounds alone (the text, its start and end) that is false
    /// only for matches `parse` rejects: the others' groups are never resolved (see
    /// [`super::gate::Plan::for_each_match`]). For rules whose matches are mostly rejected
    /// on sight (a bare `年` for durations, a year glued to Chinese for English rules).
    /// The test `rule_passes_hold_only_rejected_matches` holds each against its `parse`.
    passes: Option<fn(&str, usize, usize) -> bool>,
}

/// A group name of at most 15 bytes as one integer (its bytes, then its length in the top
/// byte), so that [`Captures::name`] compares integers, not strings; `None` for a longer
/// name (looked up among the pattern's names as they are).
fn name_key(name: &str) -> Option<u128> {
    let b = name.as_bytes();
    if b.len() > 15 {
        return None;
    }
    let mut key = (b.len() as u128) << 120;
    for (i, &x) in b.iter().enumerate() {
        key |= u128::from(x) << (8 * i);
    }
    Some(key)
}

impl Rule {
    pub(crate) fn new(pattern: String, parse: fn(&Captures, &Scan) -> Option<Expr>) -> Rule {
        Rule {
            pattern,
            re: OnceLock::new(),
            names: OnceLock::new(),
            parse,
            passes: None,
        }
    }

    /// The rule with the test [`Rule::passes`] its matches must pass to be read.
    pub(crate) fn passing(mut self, passes: fn(&str, usize, usize) -> bool) -> Rule {
        self.passes = Some(passes);
        self
    }

    /// The group names of the pattern by [`name_key`] (those of at most 15 bytes).
    pub(crate) fn names(&self) -> &[(u128, usize)] {
        self.names.get_or_init(|| {
            self.regex()
                .capture_names()
                .enumerate()
                .filter_map(|(i, n)| Some((name_key(n?)?, i)))
                .collect()
        })
    }

    pub(crate) fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The compiled pattern. The patterns are ours, not input: the unit test
    /// `every_rule_compiles` compiles each one, so the `expect` cannot fire in a build
    /// that passed its tests.
    pub(crate) fn regex(&self) -> &Regex {
        self.re
            .get_or_init(|| Regex::new(&self.pattern).expect("date rule pattern (see every_rule_compiles)"))
    }
}

/// The capture groups of one match of a rule, owned (byte spans into the text), so that
/// the matches of a whole chunk of documents are found before any is read (see
/// [`find_matches`]). The rules read them as they would read `regex::Captures`.
pub(crate) struct Captures<'t> {
    text: &'t str,
    re: &'t Regex,
    /// The pattern's names ([`Rule::names`]).
    names: &'t [(u128, usize)],
    groups: &'t [Option<(usize, usize)>],
}

/// One capture group of a match: its text and byte span in the whole text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Group<'t> {
    pub(crate) fn as_str(&self) -> &'t str {
        self.text
    }

    pub(crate) fn start(&self) -> usize {
        self.start
    }

    pub(crate) fn end(&self) -> usize {
        self.end
    }
}

impl<'t> Captures<'t> {
    /// Group `i` (0: the whole match), if it took part in the match.
    pub(crate) fn get(&self, i: usize) -> Option<Group<'t>> {
        let (start, end) = (*self.groups.get(i)?)?;
        Some(Group {
            text: self.text.get(start..end)?,
            start,
            end,
        })
    }

    /// The group called `name`, if the pattern has one and it took part in the match.
    pub(crate) fn name(&self, name: &str) -> Option<Group<'t>> {
        let i = match name_key(name) {
            Some(key) => self.names.iter().find(|&&(k, _)| k == key)?.1,
            None => self.re.capture_names().position(|n| n == Some(name))?,
        };
        self.get(i)
    }
}

/// What a rule may look at besides its captures.
pub(crate) struct Scan<'a> {
    pub text: &'a str,
    /// Numeric dates read day-first (`3/7/2017` = 3 July): Chinese and most non-US text.
    /// Told on first use ([`Scan::day_first`]): only numeric dates ask, and most texts
    /// have none, so the text is not read for it otherwise.
    pub(crate) day_first: std::cell::OnceCell<bool>,
    /// The last token read by [`en::word_at`], so that the years of one long token (a
    /// Chinese paragraph, which has no space) do not each read it to its end.
    pub(crate) token: en::TokenMemo,
}

/// A candidate: byte span in the normalised text and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub span: NSpan,
    pub expr: Expr,
}

#[derive(Debug, Default)]
pub struct DateRecognizer;

impl DateRecognizer {
    pub fn new() -> Self {
        // Build the rule lists and the gate now, not on the first document; each pattern
        // is compiled where it first has a stretch to search (`Rule::regex`).
        LazyLock::force(&zh::RULES);
        LazyLock::force(&en::RULES);
        LazyLock::force(&GATE);
        DateRecognizer
    }
}

impl Recognizer for DateRecognizer {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn recognize(&self, ctx: &Context<'_>, out: &mut Candidates) {
        let found = find(ctx.text);
        self.resolve_found(ctx, &found, out);
    }
}

impl DateRecognizer {
    /// Resolves expressions already found by [`find`] (the pipeline finds them once, infers
    /// the document date from them, then resolves them against it).
    pub fn resolve_found(&self, ctx: &Context<'_>, found: &[Found], out: &mut Candidates) {
        out.dates
            .extend(resolve_all(ctx.text, found, ctx.seg, ctx.doc_date));
    }
}

impl Scan<'_> {
    /// Numeric dates read day-first (`3/7/2017` = 3 July): the text is mostly CJK.
    pub(crate) fn day_first(&self) -> bool {
        *self.day_first.get_or_init(|| mostly_cjk(self.text))
    }
}

/// True when the text is mostly CJK (numeric dates then read day-first): [`mostly_cjk_chars`]
/// read off the bytes. A character of U+4E00..U+9FFF is three bytes led by 0xE5..0xE9, or
/// by 0xE4 with a second byte 0xB8 or above (U+4E00 is E4 B8 80); a lead byte is never a
/// continuation byte, so counting leads counts characters. ASCII letters are single bytes.
/// The test `mostly_cjk_counts_bytes_as_characters` holds it against the plain count.
fn mostly_cjk(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some((&last, _)) = bytes.split_last() else {
        return true;
    };
    let (mut cjk, mut latin) = (0usize, 0usize);
    // Each byte with the one after it (the last byte alone, below), branch-free and in
    // blocks that 32-bit counters hold, so that the loop runs on vectors.
    let mut from = 0;
    while from + 1 < bytes.len() {
        let to = (from + (1 << 20)).min(bytes.len() - 1);
        let (here, next) = (&bytes[from..to], &bytes[from + 1..to + 1]);
        let (mut c, mut l) = (0u32, 0u32);
        for (&b, &n) in here.iter().zip(next) {
            c += u32::from((0xE5..=0xE9).contains(&b) | ((b == 0xE4) & (n >= 0xB8)));
            l += u32::from(b.is_ascii_alphabetic());
        }
        cjk += c as usize;
        latin += l as usize;
        from = to;
    }
    cjk += usize::from((0xE5..=0xE9).contains(&last));
    latin += usize::from(last.is_ascii_alphabetic());
    cjk >= latin
}

/// [`mostly_cjk`] counted a character at a time (the plain path).
#[cfg(test)]
fn mostly_cjk_chars(text: &str) -> bool {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    cjk >= latin
}

pub(crate) const SENTENCE_ENDS: [char; 7] = ['.', '!', '?', '\n', '。', '！', '？'];

/// The byte where the sentence holding byte `at` starts (just after the last sentence end).
pub(crate) fn sentence_start(text: &str, at: usize) -> usize {
    let head = text.get(..at).unwrap_or("");
    head.char_indices()
        .rev()
        .find(|(_, c)| SENTENCE_ENDS.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The required literals and alphabets of every rule, in the order of `zh::RULES` then
/// `en::RULES`: each rule is searched only where it can match (see [`crate::recognize::gate`]).
static GATE: LazyLock<Gate> = LazyLock::new(|| {
    Gate::new(
        zh::RULES
            .iter()
            .chain(en::RULES.iter())
            .map(Rule::pattern),
    )
});

/// Compiles the fixed patterns of date resolution and tense (a start-up task,
/// `crate::warm`; the first document's dates otherwise compile them).
pub(crate) fn warm() {
    for re in [
        &RANGE_GAP,
        &AND_GAP,
        &FROM_BEFORE,
        &BETWEEN_BEFORE,
        &BETWEEN_AFTER,
        &DAY_TAIL,
        &EN_DAY_TAIL,
        &COMPOUND_GAP,
        &OFFSET_GAP,
        &STARTING_GAP,
        &FOR_FROM_GAP,
        &FOR_BEFORE,
        &FUTURE,
    ] {
        LazyLock::force(re);
    }
    en::warm();
    tense::warm();
}

/// Step 1 and 2: every date expression of the text, non-overlapping, in text order.
pub fn find(text: &str) -> Vec<Found> {
    parse_matches(text, &find_matches(text))
}

/// Every match of every rule in a text, in rule order then text order, its capture groups
/// kept as spans: the first half of [`find`], the regex searches. The pipeline runs it as
/// a stage of its own over a chunk of documents, and [`parse_matches`] as the next one, so
/// that over a chunk of one-line documents the regex engines' code stays in the instruction
/// cache through the searches and the rules' readers through the reading.
#[derive(Debug, Default)]
pub struct Matches {
    /// (rule, span trimmed of whitespace, its groups in `groups`).
    found: Vec<(usize, NSpan, std::ops::Range<usize>)>,
    groups: Vec<Option<(usize, usize)>>,
}

/// The rule at index `i` of the gate's order (`zh::RULES` then `en::RULES`).
fn rule_at(i: usize) -> Option<&'static Rule> {
    let (zh_rules, en_rules) = (&*zh::RULES, &*en::RULES);
    zh_rules
        .get(i)
        .or_else(|| en_rules.get(i.wrapping_sub(zh_rules.len())))
}

thread_local! {
    /// This thread's own copies of the date rules' compiled patterns, by gate index (filled
    /// as the rules are first searched here). A `regex::Regex` hands its search cache fast
    /// only to the thread that searched with it first; any other thread takes it from a
    /// locked pool (about 450 instructions a search, in every worker but one), while a
    /// clone has a pool of its own that the cloning thread then owns. A clone shares the
    /// compiled pattern (it costs a pointer and an empty pool).
    static LOCAL_RULES: std::cell::Cell<Vec<Option<Regex>>> = const { std::cell::Cell::new(Vec::new()) };
    /// The rules a text's plan may match ([`super::gate::Plan::rules_into`]), a vector
    /// reused from text to text.
    static PLAN_RULES: std::cell::Cell<Vec<usize>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The regex searches of [`find`] (see [`Matches`]).
pub fn find_matches(text: &str) -> Matches {
    let mut out = Matches::default();
    // One pass over the text finds every rule's required literals; each rule then searches
    // only the stretches around them.
    let plan = GATE.plan(text);
    // Taken out of the thread-local for the searches, and put back.
    let mut local = LOCAL_RULES.take();
    let mut rules = PLAN_RULES.take();
    plan.rules_into(&mut rules);
    for &i in &rules {
        let Some(rule) = rule_at(i) else { continue };
        if local.len() <= i {
            local.resize_with(i + 1, || None);
        }
        let Some(slot) = local.get_mut(i) else { continue };
        // The lazy DFA finds matches fast; capture groups are resolved only where one is.
        let regex = move || {
            // Moved in (the closure is called once), so the pattern outlives the call.
            let slot = slot;
            &*slot.get_or_insert_with(|| rule.regex().clone())
        };
        let passes = rule.passes.as_ref().map(|p| p as &Passes);
        plan.for_each_match(i, regex, passes, |groups| {
            let Some(&Some(m)) = groups.first() else { return };
            let span = trim_span(text, m);
            if span.0 >= span.1 {
                return;
            }
            let first = out.groups.len();
            out.groups.extend_from_slice(groups);
            out.found.push((i, span, first..out.groups.len()));
        });
    }
    LOCAL_RULES.set(local);
    PLAN_RULES.set(rules);
    out
}

/// The second half of [`find`]: each match read by its rule into an expression, overlaps
/// settled, neighbours joined.
pub fn parse_matches(text: &str, matches: &Matches) -> Vec<Found> {
    let scan = Scan {
        text,
        day_first: std::cell::OnceCell::new(),
        token: en::TokenMemo::default(),
    };
    let mut cands: Vec<Found> = Vec::new();
    for (i, span, groups) in &matches.found {
        let Some(rule) = rule_at(*i) else { continue };
        let c = Captures {
            text,
            re: rule.regex(),
            names: rule.names(),
            groups: matches.groups.get(groups.clone()).unwrap_or(&[]),
        };
        if let Some(expr) = (rule.parse)(&c, &scan) {
            cands.push(Found { span: *span, expr });
        }
    }
    // Longest first; on equal length the earlier rule (pushed first) wins.
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (cands[a].span, cands[b].span);
        (sb.1 - sb.0)
            .cmp(&(sa.1 - sa.0))
            .then(sa.0.cmp(&sb.0))
            .then(a.cmp(&b))
    });
    // Kept spans never overlap, so only the kept span starting last before `s` ends can
    // overlap `s`: one ordered-map look-up per candidate, not a scan of all kept ones.
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut kept: Vec<Found> = Vec::new();
    for i in order {
        let s = cands[i].span;
        let overlaps = taken
            .range(..s.1)
            .next_back()
            .is_some_and(|(_, &end)| end > s.0);
        if !overlaps {
            taken.insert(s.0, s.1);
            kept.push(cands[i].clone());
        }
    }
    kept.sort_by_key(|f| f.span);
    join_ranges(text, kept)
}

/// Drops whitespace the optional parts of a pattern may have taken at either end.
fn trim_span(text: &str, (s, e): NSpan) -> NSpan {
    let Some(piece) = text.get(s..e) else {
        return (s, s);
    };
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    (s + lead, (e - trail).max(s + lead))
}

/// A range word between two dates: `至`, `到`, `-`, `to`, `through`.
static RANGE_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:至|到|-|–|—|~|～|－|to|through|thru|till|until)\s*(?:(?:the\s+)?(?:end|beginning|start)\s+of\s+)?$").expect("gap")
});
/// `和`/`与`/`and` between two dates, completed by `之间` after or `between` before.
static AND_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:和|与|跟|and)\s*(?:(?:the\s+)?(?:end|beginning|start)\s+of\s+)?$")
        .expect("and gap")
});
static FROM_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:从|自|由|(?-u:\b)from|(?-u:\b)between)\s*$").expect("from")
});
static BETWEEN_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)between\s+$").expect("between"));
static BETWEEN_AFTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*之间").expect("zhijian"));
/// A bare day (or month and day) completing a range: `至5日`, `到十二日`, `-6月30日`, `-19`.
static DAY_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:至|到|-|–|~|～)\s*(?:(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月)?\s*(?P<d>[0-9]{1,2}|[一二三四五六七八九十廿卅]{1,3})\s*[日号]").expect("day tail")
});
static EN_DAY_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:-|–|to|through|till|until)\s*(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?-u:\b)")
        .expect("en day tail")
});

fn is_point(e: &Expr) -> bool {
    !matches!(
        e,
        Expr::Duration { .. }
            | Expr::Compound(..)
            | Expr::Range(..)
            | Expr::Span { .. }
            | Expr::Within { .. }
            | Expr::Years { .. }
            | Expr::YearSlice { .. }
            | Expr::Quarters { .. }
            | Expr::Decades { .. }
            | Expr::MonthPart { .. }
            | Expr::WeekRest { .. }
            | Expr::Fiscal { .. }
            | Expr::Cumulative { .. }
            | Expr::YearToDate
            | Expr::Mask
    )
}

fn is_day_cal(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Cal {
            month: Some(_),
            day: Some(_),
            ..
        }
    )
}

/// What may stand between the parts of a compound duration: 又, 余, `and`, a comma.
static COMPOUND_GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:又|余|零|,|,?\s*and)?\s*$").expect("compound gap"));

/// Joins runs of exact durations in distinct units into one (一年又三个月, 8天20小时).
fn join_compounds(text: &str, items: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::with_capacity(items.len());
    for f in items {
        // The parts the next item adds: one exact duration, or a compound of its own (8天20时).
        let next: Option<Vec<(String, &'static str)>> = match &f.expr {
            Expr::Duration {
                amount: Some(n),
                unit,
            } => Some(vec![(n.clone(), *unit)]),
            Expr::Compound(p) => Some(p.clone()),
            _ => None,
        };
        if let (Some(last), Some(next)) = (out.last_mut(), next) {
            let gap = text.get(last.span.1..f.span.0).unwrap_or("");
            let parts = match &last.expr {
                Expr::Duration {
                    amount: Some(m),
                    unit: u,
                } => Some(vec![(m.clone(), *u)]),
                Expr::Compound(p) => Some(p.clone()),
                _ => None,
            };
            if let Some(mut parts) = parts {
                // Each unit once; written in any order (两天又一个月), kept largest first.
                if COMPOUND_GAP.is_match(gap)
                    && next.iter().all(|(_, v)| parts.iter().all(|(_, u)| u != v))
                {
                    parts.extend(next);
                    parts.sort_by_key(|(_, u)| expr::unit_rank(u));
                    last.expr = Expr::Compound(parts);
                    last.span.1 = f.span.1;
                    continue;
                }
            }
        }
        out.push(f);
    }
    out
}

/// `before` / `after` / `from` between a length of time and a date.
static OFFSET_GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:before|after|from)\s*$").expect("offset gap"));
/// `starting` between a length of time and its first day: "2 weeks starting May 20th".
static STARTING_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*,?\s*(?:starting|beginning)(?:\s+(?:from|on))?\s*$").expect("starting gap")
});
/// `from` after "for <length>": "for 1 week, from 20 December" is a stay beginning then.
static FOR_FROM_GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*,?\s*from\s*$").expect("for-from gap"));
static FOR_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)for\s+$").expect("for before"));

/// The exact whole-number parts of a duration (2 years 1 month -> [(2, Y), (1, M)]).
fn duration_parts(e: &Expr) -> Option<Vec<(i64, &'static str)>> {
    let one = |n: &str, u: &'static str| -> Option<(i64, &'static str)> {
        let v: i64 = n.parse().ok()?;
        matches!(u, "Y" | "M" | "W" | "D").then_some((v, u))
    };
    match e {
        Expr::Duration {
            amount: Some(n),
            unit,
        } => Some(vec![one(n, unit)?]),
        Expr::Compound(parts) => parts.iter().map(|(n, u)| one(n, u)).collect(),
        _ => None,
    }
}

/// Joins a length of time to the date it counts from: "2 weeks before Christmas",
/// "2 years 1 month 21 days ago" (the last part was found as "21 days ago").
fn join_offsets(text: &str, items: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::with_capacity(items.len());
    let mut it = items.into_iter().peekable();
    while let Some(x) = it.next() {
        if let (Some(parts), Some(y)) = (duration_parts(&x.expr), it.peek()) {
            let gap = text.get(x.span.1..y.span.0).unwrap_or("");
            let joined = match &y.expr {
                Expr::Ago { amount, .. } if COMPOUND_GAP.is_match(gap) => {
                    let sign = amount.signum();
                    Some(Expr::Offset {
                        base: Box::new(y.expr.clone()),
                        parts: parts.iter().map(|(n, u)| (sign * n, *u)).collect(),
                    })
                }
                e if is_point(e)
                    && (STARTING_GAP.is_match(gap)
                        || (FOR_FROM_GAP.is_match(gap)
                            && FOR_BEFORE.is_match(
                                text.get(x.span.0.saturating_sub(8)..x.span.0).unwrap_or(""),
                            ))) =>
                {
                    let mut last = parts.clone();
                    last.push((-1, "D"));
                    Some(Expr::Range(
                        Box::new(e.clone()),
                        Box::new(Expr::Offset {
                            base: Box::new(e.clone()),
                            parts: last,
                        }),
                    ))
                }
                e if is_point(e) && OFFSET_GAP.is_match(gap) => {
                    let sign = if gap.trim().eq_ignore_ascii_case("before") {
                        -1
                    } else {
                        1
                    };
                    Some(Expr::Offset {
                        base: Box::new(e.clone()),
                        parts: parts.iter().map(|(n, u)| (sign * n, *u)).collect(),
                    })
                }
                _ => None,
            };
            if let Some(expr) = joined {
                if let Some(y) = it.next() {
                    out.push(Found {
                        span: (x.span.0, y.span.1),
                        expr,
                    });
                    continue;
                }
            }
        }
        out.push(x);
    }
    out
}

/// Step 2: joins neighbouring expressions into ranges.
fn join_ranges(text: &str, items: Vec<Found>) -> Vec<Found> {
    let items = join_offsets(text, join_compounds(text, items));
    let mut out: Vec<Found> = Vec::with_capacity(items.len());
    let mut i = 0;
    while i < items.len() {
        let x = &items[i];
        let from_start = |start: usize| -> usize {
            let head = text.get(..start).unwrap_or("");
            FROM_BEFORE.find(head).map_or(start, |m| m.start())
        };
        if let Some(y) = items
            .get(i + 1)
            .filter(|y| is_point(&x.expr) && is_point(&y.expr))
        {
            let gap = text.get(x.span.1..y.span.0).unwrap_or("");
            if RANGE_GAP.is_match(gap) {
                let start = from_start(x.span.0);
                // "from next Monday to Friday": the second weekday is in the first one's week.
                let y_expr = match (&x.expr, &y.expr) {
                    (
                        Expr::Weekday { pick, .. },
                        Expr::Weekday {
                            weekday,
                            pick: expr::WeekdayPick::Week(0) | expr::WeekdayPick::Bare,
                        },
                    ) => Expr::Weekday {
                        weekday: *weekday,
                        pick: *pick,
                    },
                    (_, e) => e.clone(),
                };
                out.push(Found {
                    span: (start, y.span.1),
                    expr: Expr::Range(Box::new(x.expr.clone()), Box::new(y_expr)),
                });
                i += 2;
                continue;
            }
            if AND_GAP.is_match(gap) {
                let head = text.get(..x.span.0).unwrap_or("");
                let tail = text.get(y.span.1..).unwrap_or("");
                let between = BETWEEN_BEFORE.find(head).map(|m| m.start());
                let zhijian = BETWEEN_AFTER.find(tail).map(|m| y.span.1 + m.end());
                if between.is_some() || zhijian.is_some() {
                    let span = (between.unwrap_or(x.span.0), zhijian.unwrap_or(y.span.1));
                    out.push(Found {
                        span,
                        expr: Expr::Range(Box::new(x.expr.clone()), Box::new(y.expr.clone())),
                    });
                    i += 2;
                    continue;
                }
            }
        }
        if is_day_cal(&x.expr) {
            let rest = text.get(x.span.1..).unwrap_or("");
            let next_start = items.get(i + 1).map_or(usize::MAX, |y| y.span.0);
            let tail = DAY_TAIL.captures(rest).map(|c| {
                let m = c.name("m").and_then(|m| zh::small_number(m.as_str()));
                (
                    c.get(0).map_or(0, |m| m.end()),
                    m,
                    c.name("d").and_then(|d| zh::small_number(d.as_str())),
                )
            });
            let tail = tail.or_else(|| {
                EN_DAY_TAIL.captures(rest).map(|c| {
                    (
                        c.get(0).map_or(0, |m| m.end()),
                        None,
                        c.name("d").and_then(|d| d.as_str().parse().ok()),
                    )
                })
            });
            if let Some((len, m, Some(d))) = tail {
                if x.span.1 + len <= next_start && (1..=31).contains(&d) {
                    let y = Expr::Cal {
                        year: YearRef::Missing,
                        month: m.map(MonthRef::Abs),
                        day: Some(d),
                    };
                    out.push(Found {
                        span: (from_start(x.span.0), x.span.1 + len),
                        expr: Expr::Range(Box::new(x.expr.clone()), Box::new(y)),
                    });
                    i += 1;
                    continue;
                }
            }
        }
        let mut x = x.clone();
        if matches!(x.expr, Expr::Range(..)) {
            // A range found whole by one pattern (2014-2018) still owns its `from`.
            x.span.0 = from_start(x.span.0);
        }
        out.push(x);
        i += 1;
    }
    // "now" only ever ends a range; a mask (a comparison base, a report's name) has done its
    // work once it has won the overlap against the date-like words inside it.
    out.retain(|f| f.expr != Expr::Now && f.expr != Expr::Mask);
    out
}

/// Narrative state while resolving in text order.
#[derive(Default)]
#[cfg_attr(test, derive(Debug, Clone, PartialEq))]
struct Narrative {
    /// (paragraph, year) of the latest explicit year.
    year_in_para: Option<(usize, i32)>,
    last_year: Option<i32>,
    /// (paragraph, day) of the latest explicit day- or month-level date.
    point_in_para: Option<(usize, NaiveDate)>,
}

impl Narrative {
    fn anchors<'t>(&self, para: usize, doc: Option<NaiveDate>) -> Anchors<'t> {
        let (year, year_from_doc) = match self.year_in_para {
            Some((p, y)) if p == para => (Some(y), false),
            _ => match doc {
                Some(d) => (Some(d.year()), true),
                None => (self.last_year, false),
            },
        };
        let point = match self.point_in_para {
            Some((p, d)) if p == para => Some(d),
            _ => doc,
        };
        Anchors {
            doc,
            year,
            point,
            year_from_doc,
            tense: TenseAt::known(tense::Tense::Unmarked),
        }
    }

    /// [`Narrative::update`] with `e` and `period` changes the anchors: an expression that
    /// does not need not be judged a plan or not.
    fn moved_by(e: &Expr, period: Option<&period::Period>) -> bool {
        e.explicit_year().is_some() || (e.is_explicit_point() && period.is_some())
    }

    fn update(&mut self, para: usize, e: &Expr, period: Option<period::Period>) {
        if let Some(y) = e.explicit_year() {
            self.year_in_para = Some((para, y));
            self.last_year = Some(y);
        }
        if let (true, Some(p)) = (e.is_explicit_point(), period) {
            self.point_in_para = Some((para, p.start));
        }
    }
}

/// Step 3: resolves every found expression into a `DateItem`, in text order, updating the
/// narrative anchors from explicit dates outside plan sentences.
fn resolve_all(
    text: &str,
    found: &[Found],
    seg: &Segmented,
    doc: Option<NaiveDate>,
) -> Vec<DateItem> {
    let mut state = Narrative::default();
    let mut plan_sentence: Option<(Option<usize>, bool)> = None;
    let mut out = Vec::with_capacity(found.len());
    for f in found {
        let para = seg.paragraph_index(f.span.0).unwrap_or(0);
        let mut anchors = state.anchors(para, doc);
        // Read only if the expression's resolution asks for it.
        let tense_cell = std::cell::OnceCell::new();
        anchors.tense = TenseAt::of(text, f.span, &tense_cell);
        let Some(r) = resolve(&f.expr, &anchors) else {
            continue;
        };
        // A target year (到2027年, by 2030) is not where the story is. Judged once per
        // sentence: a run-on sentence holding many dates is not scanned once per date; and
        // only for an expression that would move the anchors (a duration, a relative word
        // or a bare weekday does not: its sentence is not scanned for it).
        let index = seg.sentence_index(f.span.0);
        let mut in_plan = || match plan_sentence {
            Some((i, plan)) if i == index => plan,
            _ => {
                let sentence = index
                    .and_then(|i| seg.sentences.get(i))
                    .and_then(|s| text.get(s.0..s.1))
                    .unwrap_or("");
                let plan = FUTURE.is_match(sentence);
                plan_sentence = Some((index, plan));
                plan
            }
        };
        if Narrative::moved_by(&f.expr, r.period.as_ref()) && !in_plan() {
            state.update(para, &f.expr, r.period);
        }
        let mut item = DateItem::new(r.kind, f.span);
        item.value = r.value;
        item.end_value = r.end_value;
        item.granularity = r.gran.map(|g| g.as_str().to_string());
        item.relative = r.relative;
        out.push(item);
    }
    out
}

/// Sentence words that make a date a plan rather than a report (`将于`, `will`).
static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)将于|将在|将会|预计|计划|拟于|届时|目标|到\s*[0-9]{4}\s*年|(?-u:\b)will(?-u:\b)|(?-u:\b)scheduled(?-u:\b)|(?-u:\b)expected to(?-u:\b)|(?-u:\b)plans? to(?-u:\b)|(?-u:\b)by\s+[0-9]{4}(?-u:\b)").expect("future")
});

/// Infers a document date from the text when none is given.
///
/// Rule: every calendar date written with a month and a day (`2025年9月3日`, `9月4日`,
/// `Sept. 3, 2025`, `2025-09-03`; not relative words, not ranges) in a sentence that does
/// not announce a plan (`将于`, `预计`, `计划`, `到2027年`, `will`, `scheduled`, `by 2030`) is a
/// reported date. A date without a year takes the nearest preceding explicit year of the
/// text, else the nearest following one (years in plan sentences do not count); a date with
/// no usable year is ignored. The document date is the latest reported day: a dateline is
/// the publication day and news reports the past, so the latest reported day is the dateline
/// or the nearest day before publication. Without any such date the document has no date
/// (`date_source: none`): nothing is guessed from the clock.
pub fn infer_document_date(text: &str, seg: &Segmented) -> Option<NaiveDate> {
    infer_document_date_from(text, seg, &find(text))
}

/// [`infer_document_date`] from expressions already found by [`find`].
pub fn infer_document_date_from(text: &str, seg: &Segmented, found: &[Found]) -> Option<NaiveDate> {
    let sentence_of = |at: usize| {
        seg.sentence_index(at)
            .and_then(|i| seg.sentences.get(i))
            .and_then(|s| text.get(s.0..s.1))
            .unwrap_or("")
    };
    // The year first: the sentence's future test is a regex search, needed only for
    // expressions that name a year.
    let years: Vec<(usize, i32)> = found
        .iter()
        .filter_map(|f| f.expr.explicit_year().map(|y| (f.span.0, y)))
        .filter(|&(at, _)| !FUTURE.is_match(sentence_of(at)))
        .collect();
    let mut best: Option<NaiveDate> = None;
    for f in found {
        let Expr::Cal {
            year,
            month: Some(MonthRef::Abs(m)),
            day: Some(d),
        } = f.expr
        else {
            continue;
        };
        if FUTURE.is_match(sentence_of(f.span.0)) {
            continue;
        }
        let y = match year {
            YearRef::Abs(y) => Some(y),
            YearRef::Rel(_) => None,
            YearRef::Missing => years
                .iter()
                .rev()
                .find(|(at, _)| *at < f.span.0)
                .or_else(|| years.iter().find(|(at, _)| *at > f.span.0))
                .map(|(_, y)| *y),
        };
        if let Some(date) = y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d)) {
            best = best.max(Some(date));
        }
    }
    best
}

#[cfg(test)]
mod tests;
