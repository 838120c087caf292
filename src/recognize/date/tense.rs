//! The tense of the place a date is written, as a careful reader judges it: does the clause
//! announce something ahead (将, 计划, 预计, will, plans to, next), report something past
//! (了, 已经, 表示, said, was, announced), say neither, or is the date a fragment standing
//! alone (a heading, an agenda line, a bare query: no other word in its sentence)?
//!
//! It decides the direction of expressions that name a recurring day without saying which
//! one: a bare weekday (`周三`, `on Friday`), a year-less holiday (`春节`, `Christmas`), a
//! year-less month or day (`3月`, `January 15`). In a plan or a fragment they point forward
//! (the next occurrence on or after the document date); in a report, backward. An unmarked
//! sentence is read as news reads: a report.
//!
//! Only cues of the date's own clause (between commas) count, the nearest winning; a date
//! that is a clause of its own (a fronted adverbial) takes the clause it introduces: in
//! `李强周三表示，将于周五出访` 周三 goes with 表示 (past) and 周五 with 将于 (future). Cues
//! inside the date's own span (`next` of `next Friday`) do not count: the expression already
//! says its direction. Chinese news is full of future-sounding nouns (未来产业, 五年计划), so
//! a cue from another clause is not trusted.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::alternation;
use crate::document::NSpan;

/// How the sentence around a date places it in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Tense {
    /// A plan, forecast or schedule: 将, 计划, 预计, will, plans to, next.
    Future,
    /// A report of what happened: 了, 已经, 表示, said, was, announced.
    Past,
    /// A sentence with other words but no cue: news reports, so read as the past.
    #[default]
    Unmarked,
    /// The date alone in its sentence (a heading, an agenda line): read as the coming one.
    Fragment,
}

impl Tense {
    /// True when a recurring day should be taken on or after the document date.
    pub(crate) fn forward(self) -> bool {
        matches!(self, Tense::Future | Tense::Fragment)
    }
}

fn load_cues() -> Result<Vec<(&'static str, bool)>, crate::table::TableError> {
    let (file, text) = crate::data_table!("dates_tense_cues.tsv");
    crate::table::rows(file, text)
        .map(|r| {
            let future = match r.cell(1, "tense")? {
                "future" => true,
                "past" => false,
                other => return Err(r.error(format!("unknown tense {other:?}"))),
            };
            Ok((r.cell(0, "cue")?, future))
        })
        .collect()
}

/// Reads this module's table (for [`crate::table::check_all`]).
pub(crate) fn check() -> Result<(), crate::table::TableError> {
    crate::table::check_cell(&CUES)
}

/// The cue table: (cue, is future), from `data/dates_tense_cues.tsv`.
static CUES: crate::table::TableCell<Vec<(&'static str, bool)>> =
    crate::table::TableCell::new(load_cues);

/// The cue patterns of a tense: its Chinese cues (matched anywhere), and its English ones as
/// whole words (`'ll` after a word) plus `extra` (a pattern of its own), both ASCII-case-
/// insensitive. Empty when the tense has no cue of that script.
fn cue_parts(future: bool, extra: &str) -> (String, String) {
    let of_tense = || {
        CUES.iter()
            .filter(move |(_, f)| *f == future)
            .map(|(c, _)| *c)
    };
    let zh = alternation(of_tense().filter(|c| !c.is_ascii()));
    let en = alternation(of_tense().filter(|c| c.is_ascii() && !c.starts_with('\'')));
    let clitics = alternation(of_tense().filter(|c| c.starts_with('\'')));
    let mut english = format!(r"(?-u:\b)(?:{en}{extra})(?-u:\b)");
    if !clitics.is_empty() {
        english.push_str(&format!(r"|(?:{clitics})(?-u:\b)"));
    }
    (zh, english)
}

/// The cues of a tense as two regexes, Chinese and English. The Chinese cues are plain
/// literals, which the regex crate searches with one shared Aho-Corasick automaton; joined
/// with the English word boundaries in one pattern they made a lazy DFA that every new
/// worker thread built again from cold (about 11 M instructions per thread on 0.5 MB of
/// news, most of `at`'s cost there). A Chinese cue is CJK and an English match ASCII, so no
/// match of one can overlap one of the other: the two find the matches the one pattern found
/// (`split_cues_find_what_one_pattern_finds`).
fn cue_patterns(future: bool, extra: &str) -> Vec<Regex> {
    let (zh, english) = cue_parts(future, extra);
    [zh, english]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| Regex::new(&format!("(?i){p}")).expect("tense cues"))
        .collect()
}

/// Future cues: plans, forecasts and obligations (将于, 计划, 须在三天内完成, will, plans to).
/// Chinese 会 only in modal company (将会, 也会): alone it is too often part of a noun (会议).
static FUTURE: LazyLock<Vec<Regex>> = LazyLock::new(|| cue_patterns(true, ""));

/// Compiles both tense patterns (see [`super::warm`]).
pub(super) fn warm() {
    LazyLock::force(&FUTURE);
    LazyLock::force(&PAST);
}

/// Past cues: aspect markers, reporting verbs, and English verbs in -ed.
static PAST: LazyLock<Vec<Regex>> = LazyLock::new(|| cue_patterns(false, "|[a-z]{3,}ed"));

/// Sentence ends: the sentence is the scope of a cue.
const SENTENCE_ENDS: [char; 7] = ['.', '!', '?', '\n', '。', '！', '？'];
/// Clause breaks inside a sentence (normalised text has half-width `,` `;` `:`).
const CLAUSE_BREAKS: [char; 4] = [',', ';', ':', '、'];

/// Matches of a cue pattern that are not cues: 将近 (nearly), 将军; 为了, 除了, 了解;
/// 名称, 简称, 称为; 小说, 说明; 而已; 模拟, 虚拟; and English -ed words that are future cues or
/// not verbs.
fn is_false_cue(sentence: &str, start: usize, end: usize, past: bool) -> bool {
    let m = sentence.get(start..end).unwrap_or("");
    let next = sentence.get(end..).and_then(|t| t.chars().next());
    let prev = sentence.get(..start).and_then(|h| h.chars().next_back());
    match m {
        // 将 before its object is the disposal marker (将其列入, 将前客户告上法庭), not "will".
        "将" => {
            next.is_some_and(|c| "近军领士帅其该此这那前原之它他她我你各全所每双多自".contains(c))
                || prev.is_some_and(|c| "大主名老武干即".contains(c))
        }
        "了" => {
            matches!(prev, Some('为' | '除' | '罢' | '不')) || matches!(next, Some('解' | '结'))
        }
        "称" => {
            matches!(
                prev,
                Some('名' | '简' | '堪' | '号' | '统' | '对' | '职' | '俗' | '昵')
            ) || matches!(next, Some('为' | '号' | '作'))
        }
        "说" => {
            matches!(prev, Some('小' | '虽' | '学' | '传')) || matches!(next, Some('明' | '法'))
        }
        "已" => matches!(prev, Some('而' | '不')),
        "拟" => matches!(prev, Some('模' | '虚' | '草')),
        // "due to" is "because of".
        "due" | "DUE" | "Due" => sentence
            .get(end..)
            .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("to ")),
        _ if past && after_modal(sentence, start) => true,
        _ => {
            let lower = m.to_ascii_lowercase();
            past && lower.ends_with("ed")
                && matches!(
                    lower.as_str(),
                    "planned"
                        | "scheduled"
                        | "expected"
                        | "based"
                        | "need"
                        | "red"
                        | "bed"
                        | "limited"
                        | "listed"
                        | "related"
                        | "united"
                        | "indeed"
                        | "speed"
                        | "seed"
                        | "feed"
                        | "called"
                        | "named"
                )
        }
    }
}

/// True when the word before byte `at` is a modal or `to` (`will cut`, `plans to hit`): the
/// word at `at` is then an infinitive, not a past form.
fn after_modal(sentence: &str, at: usize) -> bool {
    let head = sentence.get(..at).unwrap_or("").trim_end();
    let prev = head
        .rsplit(|c: char| !c.is_ascii_alphabetic() && c != '\'')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        prev.as_str(),
        "will" | "would" | "to" | "may" | "might" | "can" | "could" | "shall" | "should" | "must"
    ) || prev.ends_with("'ll")
}

/// How far (bytes) either side of a date its cues are looked for: a cue further away is
/// not about it, and the bound keeps the cost per date constant on run-on text.
const REACH: usize = 240;

/// The char boundary at or before byte `i`.
fn boundary_before(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The char boundary at or after byte `i` (at most the text's length).
fn boundary_after(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// True when `s` holds no word but the prepositions and articles that may stand with a
/// fronted date (`In June,`, `在9月,`, `截至6月底,`).
fn only_function_words(s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| {
            let lower = w.to_ascii_lowercase();
            matches!(
                lower.as_str(),
                "in" | "on"
                    | "at"
                    | "by"
                    | "from"
                    | "since"
                    | "until"
                    | "during"
                    | "the"
                    | "of"
                    | "early"
                    | "late"
                    | "mid"
                    | "and"
            ) || w.chars().all(|c| "在于从自截至到的底初末中旬".contains(c))
        })
}

/// The tense at the date found at `span` (byte span in `text`).
pub(crate) fn at(text: &str, span: NSpan) -> Tense {
    let lo = boundary_before(text, span.0.saturating_sub(REACH));
    let hi = boundary_after(text, span.1.saturating_add(REACH));
    let head = text.get(lo..span.0).unwrap_or("");
    let from = head
        .char_indices()
        .rev()
        .find(|(_, c)| SENTENCE_ENDS.contains(c))
        .map_or(lo, |(i, c)| lo + i + c.len_utf8());
    let tail = text.get(span.1..hi).unwrap_or("");
    let to = tail
        .char_indices()
        .find(|(_, c)| SENTENCE_ENDS.contains(c))
        .map_or(hi, |(i, _)| span.1 + i);
    let Some(sentence) = text.get(from..to) else {
        return Tense::Unmarked;
    };
    let (s0, s1) = (
        span.0.saturating_sub(from),
        span.1.min(to).saturating_sub(from),
    );
    // The cues that count are those of the date's own clause; a date that is a clause of
    // its own (a fronted adverbial: `周三,公司将…`, `In June, sales fell`) takes the clause
    // it introduces. Cues further off are about other things.
    let clause_start = |at: usize| {
        sentence
            .get(..at)
            .unwrap_or("")
            .char_indices()
            .rev()
            .find(|(_, c)| CLAUSE_BREAKS.contains(c))
            .map_or(0, |(i, c)| i + c.len_utf8())
    };
    let clause_end = |at: usize| {
        sentence
            .get(at..)
            .unwrap_or("")
            .char_indices()
            .find(|(_, c)| CLAUSE_BREAKS.contains(c))
            .map_or(sentence.len(), |(i, _)| at + i)
    };
    let (c0, mut c1) = (clause_start(s0), clause_end(s1));
    let own = |a: usize, b: usize| sentence.get(a..b).unwrap_or("");
    let alone = only_function_words(own(c0, s0)) && only_function_words(own(s1, c1));
    if alone {
        if let Some(brk) = sentence.get(c1..).and_then(|t| t.chars().next()) {
            c1 = clause_end(c1 + brk.len_utf8());
        }
    }
    let nearest = |cues: &[Regex], past: bool| nearest_cue(cues, sentence, (c0, c1), (s0, s1), past);
    match (nearest(&FUTURE, false), nearest(&PAST, true)) {
        (Some(f), Some(p)) if f <= p => Tense::Future,
        (Some(_), Some(_)) => Tense::Past,
        (Some(_), None) => Tense::Future,
        (None, Some(_)) => Tense::Past,
        (None, None) => {
            let rest = sentence
                .get(..s0)
                .unwrap_or("")
                .chars()
                .chain(sentence.get(s1..).unwrap_or("").chars());
            if rest.clone().any(char::is_alphanumeric) {
                Tense::Unmarked
            } else {
                Tense::Fragment
            }
        }
    }
}

/// The distance from the date at `s0..s1` of `sentence` to the nearest cue of `cues` in its
/// clause `c0..c1` (outside the date, and not a false cue), if there is one.
///
/// Only the clause is searched, not the whole sentence: no cue holds a clause break (the test
/// `no_cue_holds_a_clause_break`), so no match crosses the break before `c0` or the one at
/// `c1`, and a search of the whole sentence reaches `c0` with no match pending; an ASCII word
/// boundary sees the same at the clause's ends as at the slice's (a break or the sentence's
/// end: no word character either way). So the clause holds the matches a search of the whole
/// sentence finds inside it ([`nearest_cue_plain`], the test `clause_search_equals_sentence_search`),
/// and a sentence of several clauses is read once per clause, not once per date.
fn nearest_cue(
    cues: &[Regex],
    sentence: &str,
    (c0, c1): (usize, usize),
    date: NSpan,
    past: bool,
) -> Option<usize> {
    let clause = sentence.get(c0..c1)?;
    let found = cues
        .iter()
        .flat_map(|re| re.find_iter(clause))
        .map(|m| (c0 + m.start(), c0 + m.end()));
    nearest_of(found, sentence, (c0, c1), date, past)
}

/// The distance from the date at `s0..s1` to the nearest of the cue matches `found` (byte
/// spans of `sentence`) that lie in the clause `c0..c1` outside the date and are not false
/// cues.
fn nearest_of(
    found: impl Iterator<Item = (usize, usize)>,
    sentence: &str,
    (c0, c1): (usize, usize),
    (s0, s1): NSpan,
    past: bool,
) -> Option<usize> {
    found
        .filter(|&(start, end)| (end <= s0 && start >= c0) || (start >= s1 && end <= c1))
        .filter(|&(start, end)| !is_false_cue(sentence, start, end, past))
        .map(|(start, end)| if end <= s0 { s0 - end } else { start - s1 })
        .min()
}

/// [`nearest_cue`] searching the whole sentence (the plain path).
#[cfg(test)]
fn nearest_cue_plain(
    cues: &[Regex],
    sentence: &str,
    clause: (usize, usize),
    date: NSpan,
    past: bool,
) -> Option<usize> {
    let found = cues
        .iter()
        .flat_map(|re| re.find_iter(sentence))
        .map(|m| (m.start(), m.end()));
    nearest_of(found, sentence, clause, date, past)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`nearest_cue`] relies on: no cue holds a clause break, and no cue pattern
    /// matches one, alone or inside text.
    #[test]
    fn no_cue_holds_a_clause_break() {
        for (cue, _) in CUES.iter() {
            assert!(!cue.is_empty());
            assert!(!cue.contains(CLAUSE_BREAKS), "{cue:?}");
        }
        for re in FUTURE.iter().chain(PAST.iter()) {
            let min = regex_syntax::Parser::new()
                .parse(re.as_str())
                .expect("cue pattern")
                .properties()
                .minimum_len();
            assert!(min.is_some_and(|n| n > 0), "{}", re.as_str());
            for brk in CLAUSE_BREAKS {
                let t = format!("will{brk}said将{brk}了cancelled{brk}ed");
                for m in re.find_iter(&t) {
                    assert!(!m.as_str().contains(brk), "{} in {t:?}", re.as_str());
                }
            }
        }
    }

    /// The first `n` lines of each of the shared Chinese and English news files.
    fn news_lines(n: usize) -> Vec<String> {
        ["zh_news.txt", "en_news.txt"]
            .into_iter()
            .flat_map(|file| crate::test_support::corpus_lines(file, n))
            .collect()
    }

    /// [`nearest_cue`] equals [`nearest_cue_plain`] for every clause and date-sized span of
    /// news sentences of both languages, and of made-up sentences with cues at the breaks.
    #[test]
    fn clause_search_equals_sentence_search() {
        let mut texts: Vec<String> = vec![
            "公司将于周三发布了新品,he said it will ship.".into(),
            "They'll meet;已经完成planned将在明天announced了".into(),
            "将近周五时为了安全。The firm plansto list, 预计".into(),
            "will,said;将:了、announced,x".into(),
            ",will周三said,".into(),
        ];
        texts.extend(news_lines(150));
        let mut checked = 0;
        for t in &texts {
            for sentence in t.split_inclusive(&SENTENCE_ENDS[..]) {
                let bounds: Vec<usize> =
                    sentence.char_indices().map(|(i, _)| i).chain([sentence.len()]).collect();
                let breaks: Vec<usize> = std::iter::once(0)
                    .chain(
                        sentence
                            .char_indices()
                            .filter(|(_, c)| CLAUSE_BREAKS.contains(c))
                            .flat_map(|(i, c)| [i, i + c.len_utf8()]),
                    )
                    .chain([sentence.len()])
                    .collect();
                // Clauses as `at` makes them: from 0 or just after a break to a break or the end.
                for (k, &c0) in breaks.iter().enumerate().step_by(2) {
                    for &c1 in breaks.iter().skip(k + 1).step_by(2) {
                        for (j, &s0) in bounds.iter().enumerate().step_by(3) {
                            let Some(&s1) = bounds.get(j + 2) else { continue };
                            if s0 < c0 || s1 > c1 {
                                continue;
                            }
                            for (cues, past) in [(&*FUTURE, false), (&*PAST, true)] {
                                let w = (c0, c1);
                                assert_eq!(
                                    nearest_cue(cues, sentence, w, (s0, s1), past),
                                    nearest_cue_plain(cues, sentence, w, (s0, s1), past),
                                    "{sentence:?} clause {w:?} date {:?}",
                                    (s0, s1)
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    /// The Chinese and English cue regexes together find the matches of the one pattern
    /// they were (Chinese cues `|` English ones), on news of both languages and sentences
    /// with the cues side by side.
    #[test]
    fn split_cues_find_what_one_pattern_finds() {
        let mut texts: Vec<String> = vec![
            "公司将于周三发布了新品,he said it will ship.".into(),
            "They'll meet;已经完成planned将在明天announced了".into(),
            "将近周五时为了安全。The firm plansto list, 预计".into(),
        ];
        texts.extend(news_lines(300));
        for (future, extra) in [(true, ""), (false, "|[a-z]{3,}ed")] {
            let (zh, english) = cue_parts(future, extra);
            let one = Regex::new(&format!("(?i){zh}|{english}")).expect("one pattern");
            let split = cue_patterns(future, extra);
            assert_eq!(split.len(), 2);
            for t in &texts {
                let spans = |re: &Regex| re.find_iter(t).map(|m| m.range()).collect::<Vec<_>>();
                let mut got: Vec<_> = split.iter().flat_map(spans).collect();
                got.sort_by_key(|r| r.start);
                assert_eq!(got, spans(&one), "{t:?}");
            }
        }
    }

    fn tense_of(text: &str, date: &str) -> Tense {
        let at_byte = text.find(date).expect("date in text");
        at(text, (at_byte, at_byte + date.len()))
    }

    #[test]
    fn chinese_plans_and_reports() {
        assert_eq!(tense_of("公司将于周三发布新品。", "周三"), Tense::Future);
        assert_eq!(tense_of("公司周三发布了新品。", "周三"), Tense::Past);
        assert_eq!(tense_of("公司周三发布新品。", "周三"), Tense::Unmarked);
        assert_eq!(tense_of("春节", "春节"), Tense::Fragment);
        assert_eq!(tense_of("星期一:", "星期一"), Tense::Fragment);
        // The nearest cue, in the date's own clause first.
        let s = "李强周三表示,中国将于周五出访。";
        assert_eq!(tense_of(s, "周三"), Tense::Past);
        assert_eq!(tense_of(s, "周五"), Tense::Future);
        // 将近 (nearly), disposal 将 (将其…) and 为了 are not cues.
        assert_eq!(tense_of("将近周五时为了安全。", "周五"), Tense::Unmarked);
        assert_eq!(tense_of("周五,公司将其告上法庭。", "周五"), Tense::Unmarked);
        // A fronted date takes the clause it introduces; cues further off do not count.
        assert_eq!(tense_of("周三,公司将发布新品。", "周三"), Tense::Future);
        assert_eq!(tense_of("周三,公司发布了新品。", "周三"), Tense::Past);
        assert_eq!(
            tense_of("记者10月17日,在未来产业论坛上,公司将发布新品。", "10月17日"),
            Tense::Unmarked
        );
        assert_eq!(
            tense_of("在越南,6月份,两家公司合并,并计划上市。", "6月份"),
            Tense::Unmarked
        );
        // 预期 is mostly a noun in financial news (超出预期): not a plan.
        assert_eq!(
            tense_of("澳大利亚10月CPI同比上涨超出预期", "10月"),
            Tense::Unmarked
        );
        // Traditional text is normalised to Simplified before recognition; 會 -> 会.
        assert_eq!(tense_of("他们也会在元旦回家。", "元旦"), Tense::Future);
    }

    #[test]
    fn english_plans_and_reports() {
        assert_eq!(
            tense_of("The board will meet on Friday.", "Friday"),
            Tense::Future
        );
        assert_eq!(
            tense_of("The board approved it on Friday.", "Friday"),
            Tense::Past
        );
        assert_eq!(
            tense_of("The board meets on Friday.", "Friday"),
            Tense::Unmarked
        );
        assert_eq!(tense_of("Christmas", "Christmas"), Tense::Fragment);
        let s = "She said on Monday, the firm plans to list in March.";
        assert_eq!(tense_of(s, "Monday"), Tense::Past);
        assert_eq!(tense_of(s, "March"), Tense::Future);
        assert_eq!(
            tense_of("In June, sales will recover.", "June"),
            Tense::Future
        );
        assert_eq!(
            tense_of("Shares slip due to weak demand in June.", "June"),
            Tense::Unmarked
        );
        // Irregular past forms are past cues, but not after a modal (will cut).
        assert_eq!(
            tense_of("Shares fell due to weak demand in June.", "June"),
            Tense::Past
        );
        assert_eq!(
            tense_of("The firm will cut jobs in June.", "June"),
            Tense::Future
        );
        // "scheduled" is a plan, not a past verb.
        assert_eq!(
            tense_of("The vote is scheduled for June.", "June"),
            Tense::Future
        );
    }
}
