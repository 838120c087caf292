//! English date patterns (`Sept. 3, 2025`, `3 September 2025`, `September 2025`, `in 2025`,
//! `last Tuesday`, `three days ago`, `Q3 2025`, `the 1990s`, `Thanksgiving`, `18 months`) and
//! the numeric forms shared by both languages (`2025-09-03`, `2025/9/3`, `3.9.2025`).
//! Each rule only describes what it saw as an [`Expr`]; resolution is `expr`'s job.

use std::sync::LazyLock;

use regex::Regex;

use super::Captures;

use super::expr::{Expr, MonthRef, WeekdayPick, YearRef};
use super::lexicon::{
    alternation, comparison_words, en_word, unit_of, CompareRole, Covers, EN_WORDS, HOLIDAYS,
    RELATIVE, REPORTS,
};
use super::lexicon::EN_CONTEXT;
use super::period::Gran;
use super::{Rule, Scan};
use crate::recognize::numeral::parse_numeral;


fn words_of(kind: &str) -> Vec<&'static str> {
    EN_WORDS
        .iter()
        .filter(|(_, (k, _))| *k == kind)
        .map(|(w, _)| *w)
        .collect()
}

/// Ordinal day words: first .. thirty-first.
const ORD_DAY: &str = r"(?:twenty|thirty)[- ]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth";
/// Cardinal amount words: one .. ninety-nine, a, an.
const NUM_WORDS: &str = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|an|a";

/// A year written in words: "two thousand and eighteen", "nineteen seventy eight",
/// "nineteen zero one", "seventeen hundred thirty three".
const YEAR_WORDS: &str = r"two thousand(?:\s+and)?(?:\s+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?|(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)(?:\s+hundred)?(?:\s+and)?\s+(?:(?:zero|oh)\s+(?:one|two|three|four|five|six|seven|eight|nine)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)";

/// The value of a year written in words (see [`YEAR_WORDS`]).
pub(super) fn year_in_words(s: &str) -> Option<i32> {
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split([' ', '-'])
        .filter(|w| !w.is_empty() && *w != "and")
        .collect();
    let rest_value = |rest: &[&str]| -> Option<i32> {
        match rest {
            [] => Some(0),
            ["zero" | "oh", d] => en_word(d, "number").map(|v| v as i32),
            _ => en_number(&rest.join(" ")).map(|v| v as i32),
        }
    };
    match words.as_slice() {
        ["two", "thousand", rest @ ..] => Some(2000 + rest_value(rest)?),
        [century, rest @ ..] => {
            let c = en_word(century, "number")? as i32;
            let rest = rest.strip_prefix(&["hundred"]).unwrap_or(rest);
            let v = rest_value(rest)?;
            (v < 100 && !rest.is_empty()).then_some(c * 100 + v)
        }
        _ => None,
    }
}

/// The value of a number or ordinal written in words or digits (`twenty-first` = 21).
pub(super) fn en_number(s: &str) -> Option<u32> {
    let s = s.trim().to_ascii_lowercase();
    let s = s.trim_end_matches(|c: char| {
        c.is_ascii_alphabetic() && s.chars().next().is_some_and(|f| f.is_ascii_digit())
    });
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total = 0;
    for part in s.split(['-', ' ']).filter(|p| !p.is_empty()) {
        total += en_word(part, "number").or_else(|| en_word(part, "ordinal"))?;
    }
    Some(total)
}

/// The previous word before byte `at` (lowercased), skipping spaces and a `the`.
///
/// Empty when that word ends in a character above ASCII (a Chinese run, which has no space
/// and may reach back a whole clause): every caller compares it with English words, so it is
/// not read (the test `prev_word_skips_words_above_ascii` holds this against the plain path).
fn prev_word(text: &str, at: usize) -> String {
    let head = text.get(..at).unwrap_or("");
    if head
        .chars()
        .rev()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| !c.is_ascii())
    {
        return String::new();
    }
    prev_word_plain(head)
}

/// [`prev_word`] of the whole of `head`, read word by word.
fn prev_word_plain(head: &str) -> String {
    let mut words = head
        .rsplit(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let w = words.next().unwrap_or("").to_ascii_lowercase();
    if w == "the" {
        return words.next().unwrap_or("").to_ascii_lowercase();
    }
    w
}

fn before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

fn after(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// A numeric date is not glued into a longer run of numbers (phone numbers, codes, IPs,
/// versions): no digit, letter or `-/.:,` + digit on either side.
fn numeric_boundary_ok(text: &str, start: usize, end: usize) -> bool {
    let glued = |c: Option<char>, next: Option<char>| match c {
        Some(c) if c.is_ascii_alphanumeric() || c == '$' || c == '+' => true,
        Some('-' | '/' | '.' | ':' | ',') => next.is_some_and(|n| n.is_ascii_digit()),
        _ => false,
    };
    let b = before(text, start);
    let bb = before(text, start.saturating_sub(b.map_or(0, char::len_utf8)));
    let a = after(text, end);
    let aa = after(text, end + a.map_or(0, char::len_utf8));
    !(glued(b, bb) || glued(a, aa) || a == Some('%'))
}

fn month_of(c: &Captures, name: &str) -> Option<u32> {
    en_word(c.name(name)?.as_str(), "month")
}

fn year_of(c: &Captures, name: &str) -> Option<i32> {
    if c.name(name).is_none() && name == "y" {
        if let Some(short) = c.name("ys") {
            return short.as_str().parse().ok().map(two_digit_year);
        }
        return year_in_words(c.name("yw")?.as_str());
    }
    let y: i32 = c
        .name(name)?
        .as_str()
        .trim_start_matches('\'')
        .parse()
        .ok()?;
    Some(if c.name(name)?.as_str().len() <= 3 {
        two_digit_year(y)
    } else {
        y
    })
}

/// A two-digit year: 00-39 are 20xx, 40-99 are 19xx.
fn two_digit_year(y: i32) -> i32 {
    if y < 40 {
        2000 + y
    } else {
        1900 + y
    }
}

fn cal(y: Option<i32>, m: Option<u32>, d: Option<u32>) -> Option<Expr> {
    if m.is_some_and(|m| !(1..=12).contains(&m)) || d.is_some_and(|d| !(1..=31).contains(&d)) {
        return None;
    }
    Some(Expr::Cal {
        year: y.map_or(YearRef::Missing, YearRef::Abs),
        month: m.map(MonthRef::Abs),
        day: d,
    })
}

/// "May" and "March" are also a verb and a noun: as a bare lowercase word they are not months.
fn ambiguous_month(c: &Captures) -> bool {
    c.name("mon").is_some_and(|m| {
        matches!(
            m.as_str(),
            "may" | "mar" | "march" | "sat" | "sun" | "wed" | "jan" | "dec"
        )
    })
}

fn month_day(c: &Captures, _s: &Scan) -> Option<Expr> {
    let dm = c.name("d").or(c.name("dw"))?;
    let d = en_number(dm.as_str())?;
    let y = year_of(c, "y");
    // A day in cardinal words ("March two", "one May") only with a year after it.
    if y.is_none()
        && !dm.as_str().starts_with(|ch: char| ch.is_ascii_digit())
        && en_word(
            dm.as_str().split([' ', '-']).next_back().unwrap_or(""),
            "ordinal",
        )
        .is_none()
    {
        return None;
    }
    if y.is_none() && ambiguous_month(c) {
        return None;
    }
    cal(y, month_of(c, "mon"), Some(d))
}

fn month_year(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end())
        && after(s.text, m0.end()).is_some_and(|ch| ch.is_ascii_digit())
    {
        return None;
    }
    cal(year_of(c, "y"), month_of(c, "mon"), None)
}

fn bare_month(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    // "may" and "march" alone are a verb and a noun: only capitalised are they months.
    if c.name("mon")
        .is_some_and(|x| matches!(x.as_str(), "may" | "march" | "MAY" | "MARCH" | "mar"))
    {
        return None;
    }
    let m = month_of(c, "mon")?;
    let year = match c.name("mod").map(|x| x.as_str().to_ascii_lowercase()) {
        Some(x) if x == "this" => YearRef::Rel(0),
        Some(x) if x == "next" || x == "coming" => YearRef::Rel(1),
        Some(_) => YearRef::Rel(-1),
        None => {
            let rest = s.text.get(m0.end()..).unwrap_or("").trim_start();
            // Jan-Feb 2017: a bare month right before a range word and another month.
            let lower = rest.to_ascii_lowercase();
            let after_word = lower
                .trim_start_matches(['-', '–'])
                .trim_start_matches("to ")
                .trim_start_matches("through ")
                .trim_start();
            let before_range = lower.len() != after_word.len()
                && after_word
                    .split(|ch: char| !ch.is_ascii_alphabetic())
                    .next()
                    .is_some_and(|w| en_word(w, "month").is_some());
            if !(EN_CONTEXT.preposition.contains(prev_word(s.text, m0.start()).as_str()) || before_range) {
                return None;
            }
            YearRef::Missing
        }
    };
    Some(Expr::Cal {
        year,
        month: Some(MonthRef::Abs(m)),
        day: None,
    })
}

/// [`Rule::passes`](super::Rule) of `context_year`: a four-digit year glued to a letter
/// above ASCII (`在2024年`, `于2025`) has no English preposition (nor `=`) before it, which
/// `context_year` rejects. Nearly every year of a Chinese text is one.
fn year_not_after_word_above_ascii(text: &str, start: usize, end: usize) -> bool {
    end - start != 4 || !before(text, start).is_some_and(|c| c.is_alphanumeric() && !c.is_ascii())
}

/// [`Rule::passes`](super::Rule) of `standing_year`: a four-digit year (no `'s` after it)
/// whose last character before it (past spaces) is none of a word's (an ASCII letter or
/// digit), a possessive's (`'`) or a sentence start's (a sentence end, `"`) has neither a
/// determiner nor a possessive before it nor opens a sentence, which `standing_year`
/// rejects (`在2024年`, `,2024年`, `(2024年`).
fn year_may_stand(text: &str, start: usize, end: usize) -> bool {
    let last = text.get(..start).and_then(|h| h.trim_end().chars().next_back());
    end - start != 4
        || last.is_none_or(|c| {
            c.is_ascii_alphanumeric() || c == '\'' || c == '"' || super::SENTENCE_ENDS.contains(&c)
        })
}

fn context_year(c: &Captures, s: &Scan) -> Option<Expr> {
    let m = c.name("y")?;
    if !numeric_boundary_ok(s.text, m.start(), m.end()) {
        return None;
    }
    let prev_char = s
        .text
        .get(..m.start())
        .unwrap_or("")
        .trim_end()
        .chars()
        .next_back();
    if !(EN_CONTEXT.preposition.contains(prev_word(s.text, m.start()).as_str()) || prev_char == Some('=')) {
        return None;
    }
    // "in 2000 stores", "by 2025 million": a count, not a year.
    let next = word_at(s, token_start(s.text, m.end())).to_ascii_lowercase();
    if EN_CONTEXT.counted.contains(next.as_str()) {
        return None;
    }
    let y: i32 = m.as_str().parse().ok()?;
    cal(Some(y), None, None)
}


fn fiscal_year(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let y = c.name("y").or(c.name("y4"))?.as_str();
    let v: i32 = y.parse().ok()?;
    Some(Expr::Fiscal {
        year: YearRef::Abs(if y.len() == 2 { two_digit_year(v) } else { v }),
        gran: Gran::Year,
        n: 0,
    })
}

/// The year of a fiscal rule: `y`/`ya` (2025, '25), `ry` (this, last, next), else the
/// story's.
fn fiscal_year_ref(c: &Captures) -> Option<YearRef> {
    if let Some(y) = c.name("y").or(c.name("ya")) {
        let raw = y.as_str().trim_start_matches('\'');
        let v: i32 = raw.parse().ok()?;
        return Some(YearRef::Abs(if raw.len() == 2 {
            two_digit_year(v)
        } else {
            v
        }));
    }
    Some(
        match c
            .name("ry")
            .map(|r| r.as_str().to_ascii_lowercase())
            .as_deref()
        {
            Some("this" | "current") => YearRef::Rel(0),
            Some("next" | "coming") => YearRef::Rel(1),
            Some(_) => YearRef::Rel(-1),
            None => YearRef::Missing,
        },
    )
}

/// A quarter or half number from the groups of a fiscal or abbreviated rule.
fn part_of(c: &Captures) -> Option<(Gran, u32)> {
    const GROUPS: [(&str, Gran); 8] = [
        ("q", Gran::Quarter),
        ("q2", Gran::Quarter),
        ("qa", Gran::Quarter),
        ("qb", Gran::Quarter),
        ("h", Gran::Half),
        ("h2", Gran::Half),
        ("ha", Gran::Half),
        ("hb", Gran::Half),
    ];
    for (name, gran) in GROUPS {
        if let Some(m) = c.name(name) {
            return Some((gran, m.as_str().parse().ok()?));
        }
    }
    let n = en_number(c.name("ord")?.as_str())?;
    let gran = if c.name("half").is_some() {
        Gran::Half
    } else {
        Gran::Quarter
    };
    Some((gran, n))
}

/// fiscal third quarter, third fiscal quarter, the second half of fiscal 2025, FY25 Q3,
/// this fiscal year: a fiscal period (the year the text gives, else the story's).
fn fiscal(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let year = fiscal_year_ref(c)?;
    let (gran, n) = match part_of(c) {
        Some(p) => p,
        None if c.name("ry").is_some() => (Gran::Year, 0),
        None => return None,
    };
    let max = if gran == Gran::Half { 2 } else { 4 };
    (gran == Gran::Year || (1..=max).contains(&n)).then_some(Expr::Fiscal { year, gran, n })
}

/// 2Q, 2Q25, Q2'25, 1H25, 2H 2025: a calendar quarter or half in analysts' shorthand. `nH`
/// needs its year (1H alone is as often an hour).
fn short_part(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let year = match (c.name("ys").or(c.name("yt")), c.name("y")) {
        (Some(y), _) => YearRef::Abs(two_digit_year(y.as_str().parse().ok()?)),
        (None, Some(y)) => YearRef::Abs(y.as_str().parse().ok()?),
        _ => YearRef::Missing,
    };
    let (gran, n) = part_of(c)?;
    if year == YearRef::Missing && (gran == Gran::Half || c.name("q").is_some()) {
        // H1 and Q3 alone are found by the older rule; 1H alone is as often an hour.
        return None;
    }
    Some(Expr::Part { year, gran, n })
}

/// 2024 annual report, quarterly results: a report's name (see `zh::report`).
fn report(c: &Captures, _s: &Scan) -> Option<Expr> {
    let covers: Covers = *REPORTS.get(c.name("rep")?.as_str().to_lowercase().as_str())?;
    let year = match c.name("y") {
        Some(y) => Some(YearRef::Abs(y.as_str().parse().ok()?)),
        None => None,
    };
    Some(super::zh::report_period(year, covers))
}

/// two decades, a decade, several decades: a length of time (P20Y, P10Y, null).
fn decade_length(c: &Captures, _s: &Scan) -> Option<Expr> {
    let raw = c.name("n")?.as_str().to_ascii_lowercase();
    let amount = match raw.as_str() {
        "several" | "a few" | "few" | "many" => None,
        n => Some(10 * en_number(n)?),
    };
    Some(Expr::Duration {
        amount: amount.map(|a| a.to_string()),
        unit: "Y",
    })
}

/// the first nine months (of 2025), the first three quarters: from the year's start.
fn first_of_year(c: &Captures, _s: &Scan) -> Option<Expr> {
    let last = en_number(c.name("n")?.as_str())?;
    let gran = if c.name("u")?.as_str().to_ascii_lowercase().starts_with('q') {
        Gran::Quarter
    } else {
        Gran::Month
    };
    let year = match c.name("thisyear") {
        Some(_) => YearRef::Missing,
        None => year_ref(c)?,
    };
    let max = if gran == Gran::Quarter { 4 } else { 12 };
    (1..=max)
        .contains(&last)
        .then_some(Expr::Cumulative { year, gran, last })
}

/// nine months to September, the 12 months ended March 31, 2025: the months up to one.
fn months_to(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n = en_number(c.name("n")?.as_str())?;
    let last = month_of(c, "mon")?;
    if !(1..=12).contains(&n) {
        return None;
    }
    let year = year_of(c, "y").map_or(YearRef::Missing, YearRef::Abs);
    if n == last {
        return Some(Expr::Cumulative {
            year,
            gran: Gran::Month,
            last,
        });
    }
    let first = (last + 12 - n) % 12 + 1;
    let month = |year, m| {
        Box::new(Expr::Cal {
            year,
            month: Some(MonthRef::Abs(m)),
            day: None,
        })
    };
    Some(Expr::Range(
        month(YearRef::Missing, first),
        month(year, last),
    ))
}

/// cy18, CY2018: a calendar year.
fn calendar_year(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let y = c.name("y")?.as_str();
    let v: i32 = y.parse().ok()?;
    cal(
        Some(if y.len() == 2 { two_digit_year(v) } else { v }),
        None,
        None,
    )
}

/// "on 2016 10 16": a date written with spaces, only after "on" (elsewhere three numbers in
/// a row are a table's).
fn spaced_ymd(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if prev_word(s.text, m0.start()) != "on" || !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    cal(
        c.name("y")?.as_str().parse().ok(),
        c.name("m")?.as_str().parse().ok(),
        c.name("d")?.as_str().parse().ok(),
    )
}

/// A comparison base (from a year earlier, the same period last year): no date.
fn mask(_c: &Captures, _s: &Scan) -> Option<Expr> {
    Some(Expr::Mask)
}

/// year to date, so far this year: from the year's first day to the document day.
fn year_to_date(_c: &Captures, _s: &Scan) -> Option<Expr> {
    Some(Expr::YearToDate)
}

/// the past year, the past 12 months: a length of time (P1Y), as news means it.
fn past_year(_c: &Captures, _s: &Scan) -> Option<Expr> {
    Some(Expr::Duration {
        amount: Some("1".into()),
        unit: "Y",
    })
}



/// The first whitespace-delimited token of `rest`, as `rest.split_whitespace().next()`
/// gives it (`""` when there is none): the plain path of [`word_at`].
#[cfg(test)]
fn first_token(rest: &str) -> &str {
    let t = rest.trim_start();
    t.find(char::is_whitespace).map_or(t, |e| &t[..e])
}

/// Where the first token of `text[at..]` starts: past the whitespace at `at` (`first_token`
/// skips it).
fn token_start(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    at + (rest.len() - rest.trim_start().len())
}

/// The lead bytes of the characters above ASCII that are whitespace (`char::is_whitespace`):
/// U+0085 and U+00A0, U+1680, U+2000 to U+205F, U+3000.
const WIDE_SPACE_LEADS: [u8; 4] = [0xC2, 0xE1, 0xE2, 0xE3];

/// What [`word_at`] knows of the token it read last, in byte offsets of the text: it runs to
/// `end` (the next whitespace, or the text's end), its last ASCII letter is at `last` (when
/// it has one), and from `from` on its first ASCII letter is at `first` (`end` if none).
#[derive(Debug, Default)]
pub(crate) struct TokenMemo(std::cell::Cell<Option<Token>>);

#[derive(Debug, Clone, Copy)]
struct Token {
    from: usize,
    first: usize,
    last: usize,
    end: usize,
}

/// `ascii_letters(first_token(&s.text[at..]))` for `at` from [`token_start`] (a
/// character boundary, not before whitespace): the letters of the token at `at`. The token
/// is read to its end once: a later `at` in the same token reuses what was read, reading
/// again only from `at` to its first letter when `at` lies past the one known.
fn word_at<'a>(s: &Scan<'a>, at: usize) -> &'a str {
    let text = s.text;
    let Some(rest) = text.get(at..) else {
        return "";
    };
    let t = match s.token.0.get() {
        // `at` lies in the remembered token (no whitespace between `from` and `end`).
        Some(t) if t.from <= at && at < t.end => {
            if at <= t.first {
                Token { from: at, ..t }
            } else {
                let first = if at > t.last {
                    t.end
                } else {
                    rest.bytes()
                        .position(|b| b.is_ascii_alphabetic())
                        .map_or(t.end, |i| at + i)
                };
                Token { from: at, first, ..t }
            }
        }
        _ => {
            // Read on bytes: ASCII letters and whitespace are single bytes; of the longer
            // characters only those with a lead byte in `WIDE_SPACE_LEADS` can be whitespace
            // (the unit test `wide_whitespace_leads` checks every character), so only those
            // are decoded.
            let bytes = rest.as_bytes();
            let (mut first, mut last) = (None, at);
            let mut end = text.len();
            let mut i = 0;
            while let Some(&b) = bytes.get(i) {
                let len = if b < 0x80 {
                    if b.is_ascii_whitespace() || b == 0x0B {
                        end = at + i;
                        break;
                    }
                    if b.is_ascii_alphabetic() {
                        first.get_or_insert(at + i);
                        last = at + i;
                    }
                    1
                } else if WIDE_SPACE_LEADS.contains(&b) {
                    let ch = rest.get(i..).and_then(|r| r.chars().next());
                    if ch.is_some_and(char::is_whitespace) {
                        end = at + i;
                        break;
                    }
                    ch.map_or(1, char::len_utf8)
                } else if b >= 0xF0 {
                    4
                } else if b >= 0xE0 {
                    3
                } else {
                    2
                };
                i += len;
            }
            Token {
                from: at,
                first: first.unwrap_or(end),
                last,
                end,
            }
        }
    };
    s.token.0.set(Some(t));
    if t.first >= t.end {
        return "";
    }
    text.get(t.first..=t.last).unwrap_or("")
}

/// `word` trimmed of everything but ASCII letters at both ends, as
/// `word.trim_matches(|c: char| !c.is_ascii_alphabetic())` gives it, read on bytes: an
/// ASCII letter is one byte and no byte of a longer character is ASCII, so the ends are
/// character boundaries, and a token of Chinese text (often a whole paragraph) is not
/// decoded character by character.
#[cfg(test)]
fn ascii_letters(word: &str) -> &str {
    let b = word.as_bytes();
    let Some(first) = b.iter().position(u8::is_ascii_alphabetic) else {
        return "";
    };
    let last = b.iter().rposition(u8::is_ascii_alphabetic).unwrap_or(first);
    word.get(first..=last).unwrap_or("")
}

/// A year standing with a determiner (`the 2024 results`, `its 2025 outlook`), with a
/// possessive (`2024's profit`), or opening a sentence as its subject (`2024 was`): not a
/// count, which takes a counted noun (`its 2000 stores`), nor a model number (`RTX 2080`).
fn standing_year(c: &Captures, s: &Scan) -> Option<Expr> {
    let m = c.name("y")?;
    let end = c.get(0)?.end();
    if !numeric_boundary_ok(s.text, m.start(), end) {
        return None;
    }
    let head = s.text.get(..m.start()).unwrap_or("").trim_end();
    let prev = head
        .rsplit(|ch: char| !ch.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let at_start = head
        .chars()
        .next_back()
        .is_none_or(|ch| super::SENTENCE_ENDS.contains(&ch) || ch == '"');
    // The word after the year: its first character, and its letters lower-cased, read only
    // when a rule below needs them, and then once. The "word" runs to the next space, which
    // in Chinese text is often the end of the paragraph (every 2024年 matches this rule's
    // pattern): `word_at` reads each such token once for all its years.
    let next_start = token_start(s.text, end);
    let word_cell = std::cell::OnceCell::new();
    let next_word = || word_cell.get_or_init(|| word_at(s, next_start).to_ascii_lowercase()).as_str();
    let noun_follows = || {
        s.text
            .as_bytes()
            .get(next_start)
            .is_some_and(u8::is_ascii_lowercase)
            && !EN_CONTEXT.counted.contains(next_word())
    };
    // A possessive noun determines as well: "the company's 2024 revenue".
    let possessive_before = head.ends_with("'s") || head.ends_with("’s") || head.ends_with("s'");
    let ok = c.name("poss").is_some()
        || ((EN_CONTEXT.year_determiner.contains(prev.as_str()) || possessive_before) && noun_follows())
        || (at_start && EN_CONTEXT.year_verb.contains(next_word()));
    if !ok {
        return None;
    }
    cal(Some(m.as_str().parse().ok()?), None, None)
}

fn year_range(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let (a, b) = (year_of(c, "y1")?, year_of(c, "y2")?);
    if b <= a || !(1000..=2199).contains(&a) || !(1000..=2199).contains(&b) {
        return None;
    }
    Some(Expr::Range(
        Box::new(cal(Some(a), None, None)?),
        Box::new(cal(Some(b), None, None)?),
    ))
}

fn ymd_numeric(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end())
        || c.name("s1")?.as_str() != c.name("s2")?.as_str()
    {
        return None;
    }
    let m = match c.name("mon") {
        Some(_) => month_of(c, "mon")?,
        None => c.name("m")?.as_str().parse().ok()?,
    };
    cal(
        year_of(c, "y"),
        Some(m),
        Some(c.name("d")?.as_str().parse().ok()?),
    )
}

fn dmy_numeric(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let s2 = c.name("s2")?.as_str();
    if s2 != "," && c.name("s1")?.as_str() != s2 {
        return None;
    }
    let a: u32 = c.name("a")?.as_str().parse().ok()?;
    let b: u32 = c.name("b")?.as_str().parse().ok()?;
    // In CJK text 12-11-10 is year-month-day (a two-digit year first).
    if s.day_first()
        && c.name("s1")?.as_str() == "-"
        && c.name("a")?.as_str().len() == 2
        && c.name("y")?.as_str().len() <= 2
    {
        let d: u32 = c.name("y")?.as_str().parse().ok()?;
        return cal(Some(two_digit_year(a as i32)), Some(b), Some(d));
    }
    // Short years only with - or / (1.2.3 is a version number).
    let ylen = c.name("y")?.as_str().len();
    if ylen == 1 || (ylen == 2 && c.name("s1")?.as_str() == ".") {
        return None;
    }
    let (d, m) = if a > 12 || (s.day_first() && b <= 12) || c.name("s1")?.as_str() == "." {
        (a, b)
    } else {
        (b, a)
    };
    // When the preferred order is impossible (10.31.1974), the other one is meant.
    cal(year_of(c, "y"), Some(m), Some(d)).or_else(|| {
        if m > 12 {
            cal(year_of(c, "y"), Some(d), Some(m))
        } else {
            None
        }
    })
}

fn dmy_named(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    cal(
        year_of(c, "y"),
        month_of(c, "mon"),
        Some(c.name("d")?.as_str().parse().ok()?),
    )
}

fn ym_numeric(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let m: u32 = c.name("m")?.as_str().parse().ok()?;
    let y: i32 = c.name("y")?.as_str().parse().ok()?;
    if !(1000..=2199).contains(&y) {
        return None;
    }
    cal(Some(y), Some(m), None)
}

fn relative_word(c: &Captures, s: &Scan) -> Option<Expr> {
    let m = c.get(0)?;
    let word = m.as_str().to_ascii_lowercase();
    // "the last night of the festival", "the last week of the campaign": the last of
    // something the text names, not the night or week before the document date.
    let of_follows = s
        .text
        .get(m.end()..)
        .unwrap_or("")
        .trim_start()
        .get(..3)
        .is_some_and(|w| w.eq_ignore_ascii_case("of "));
    if word.starts_with("last ") && of_follows {
        let head = s.text.get(..m.start()).unwrap_or("").trim_end();
        let tail = head.len().saturating_sub(4);
        if head
            .get(tail..)
            .is_some_and(|w| w.eq_ignore_ascii_case(" the") || w.eq_ignore_ascii_case("the"))
            || head.eq_ignore_ascii_case("the")
        {
            return None;
        }
    }
    let r = RELATIVE.get(word.as_str())?;
    Some(r.expr())
}

fn pick_of(modifier: Option<&str>) -> Option<WeekdayPick> {
    Some(match modifier.map(|m| m.to_ascii_lowercase()).as_deref() {
        None | Some("this") | Some("on") => WeekdayPick::Week(0),
        Some("next") | Some("following") | Some("the following") => WeekdayPick::Week(1),
        Some("last") | Some("previous") => WeekdayPick::Week(-1),
        Some("past") | Some("this past") => WeekdayPick::Prev,
        Some("coming") | Some("upcoming") | Some("this coming") | Some("this upcoming") => {
            WeekdayPick::Next
        }
        _ => return None,
    })
}

fn weekday(c: &Captures, _s: &Scan) -> Option<Expr> {
    let wd = en_word(c.name("wd")?.as_str(), "weekday")?;
    let modifier = c.name("mod").or(c.name("wk")).map(|m| m.as_str());
    // Abbreviations (sun, sat, wed) only with a modifier: alone they are ordinary words.
    if modifier.is_none() && c.name("wd")?.as_str().len() <= 4 {
        return None;
    }
    if modifier.is_none() {
        return Some(Expr::Weekday {
            weekday: wd,
            pick: WeekdayPick::Bare,
        });
    }
    Some(Expr::Weekday {
        weekday: wd,
        pick: pick_of(modifier)?,
    })
}

fn weekday_day(c: &Captures, _s: &Scan) -> Option<Expr> {
    en_word(c.name("wd")?.as_str(), "weekday")?;
    let d = en_number(c.name("d")?.as_str())?;
    (1..=31).contains(&d).then_some(Expr::Cal {
        year: YearRef::Missing,
        month: Some(MonthRef::Rel(0)),
        day: Some(d),
    })
}

fn day_of_rel_month(c: &Captures, _s: &Scan) -> Option<Expr> {
    let d = en_number(c.name("d")?.as_str())?;
    let n = match c.name("rel")?.as_str().to_ascii_lowercase().as_str() {
        "this" => 0,
        "next" => 1,
        _ => -1,
    };
    (1..=31).contains(&d).then_some(Expr::Cal {
        year: YearRef::Missing,
        month: Some(MonthRef::Rel(n)),
        day: Some(d),
    })
}

fn ago(c: &Captures, s: &Scan) -> Option<Expr> {
    let n = en_number(c.name("n")?.as_str())? as i64;
    let unit = unit_of(c.name("u")?.as_str())?;
    if !matches!(unit, "Y" | "M" | "W" | "D") {
        return None;
    }
    let dir = c.name("dir")?.as_str().to_ascii_lowercase();
    let sign = if dir.starts_with("ago") || dir.starts_with("before") || dir.starts_with("earlier")
    {
        -1
    } else {
        1
    };
    let base_days = if dir.ends_with("tomorrow") || dir.ends_with("tmrw") {
        1
    } else if dir.ends_with("yesterday") {
        -1
    } else {
        0
    };
    // "for 3 days from today": a stay of three days beginning today, not the day after.
    if sign > 0 && dir.starts_with("from") && prev_word(s.text, c.get(0)?.start()) == "for" {
        let start = Expr::Ago {
            amount: 0,
            unit: "D",
            base_days,
        };
        return Some(Expr::Range(
            Box::new(start.clone()),
            Box::new(Expr::Offset {
                base: Box::new(start),
                parts: vec![(n, unit), (-1, "D")],
            }),
        ));
    }
    Some(Expr::Ago {
        amount: sign * n,
        unit,
        base_days,
    })
}

fn span(c: &Captures, _s: &Scan) -> Option<Expr> {
    let raw = c.name("n")?.as_str();
    // "the next couple of weeks" is two of them.
    let n = if raw.to_ascii_lowercase().contains("couple") {
        2
    } else {
        en_number(raw)? as i64
    };
    let unit = unit_of(c.name("u")?.as_str())?;
    if !matches!(unit, "Y" | "M" | "W" | "D") {
        return None;
    }
    // over the next five years, the past three years: a length of time as news means it.
    if unit == "Y" {
        return Some(Expr::Duration {
            amount: Some(n.to_string()),
            unit,
        });
    }
    let forward = matches!(
        c.name("dir")?.as_str().to_ascii_lowercase().as_str(),
        "next" | "coming" | "upcoming" | "following"
    );
    Some(Expr::Span {
        amount: n,
        unit,
        forward,
    })
}

fn quarter_half(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let year = match (year_of(c, "y").or(year_of(c, "y2")), c.name("ry")) {
        (Some(y), _) => YearRef::Abs(y),
        (None, Some(r)) => match RELATIVE.get(r.as_str().to_ascii_lowercase().as_str()) {
            Some(r) => YearRef::Rel(r.offset),
            None => return None,
        },
        _ => YearRef::Missing,
    };
    if let Some(q) = c.name("q") {
        return Some(Expr::Part {
            year,
            gran: Gran::Quarter,
            n: q.as_str().parse().ok()?,
        });
    }
    if let Some(h) = c.name("h") {
        return Some(Expr::Part {
            year,
            gran: Gran::Half,
            n: h.as_str().parse().ok()?,
        });
    }
    let n = en_number(c.name("ord")?.as_str())?;
    let gran = if c.name("half").is_some() {
        Gran::Half
    } else {
        Gran::Quarter
    };
    // "the first quarter" alone needs a year somewhere: without one it is the current year's.
    Some(Expr::Part { year, gran, n })
}

fn duration(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if before(s.text, m0.start()).is_some_and(|ch| ch.is_ascii_digit() || ch == '.' || ch == '$') {
        return None;
    }
    let raw = c.name("n")?.as_str().to_ascii_lowercase();
    let u = c.name("u")?.as_str().to_ascii_lowercase();
    // A number word runs into its unit only with a space: "eighth" is not eight hours.
    if raw.ends_with(|ch: char| ch.is_ascii_alphabetic())
        && c.name("half0").is_none()
        && c.name("n")?.end() == c.name("u")?.start()
    {
        return None;
    }
    let unit = unit_of(&u)?;
    // "a second round" and "one second thought": an ordinal, not a duration.
    if unit == "S" && (raw == "a" || raw == "an") {
        return None;
    }
    let vague = matches!(
        raw.as_str(),
        "several" | "few" | "a few" | "many" | "some" | "a number of"
    );
    let amount = if vague {
        None
    } else if raw.contains("couple") {
        Some("2".to_string())
    } else {
        let n = if raw == "½" {
            crate::num::Num::new(5, 1)?
        } else if raw.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            parse_numeral(&raw)?
        } else {
            crate::num::Num::from_int(en_number(&raw)? as i128)
        };
        // "one and a half years", "one year and a quarter".
        let fraction = c.name("half").or(c.name("half0")).map(|m| {
            if m.as_str().to_ascii_lowercase().ends_with("quarter") {
                crate::num::Num::new(25, 2)
            } else {
                crate::num::Num::new(5, 1)
            }
        });
        let n = match fraction {
            Some(f) => n.checked_add(f?)?,
            None => n,
        };
        if n.is_zero() {
            return None;
        }
        Some(n.to_string())
    };
    Some(Expr::Duration { amount, unit })
}

fn decade(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if before(s.text, m0.start()).is_some_and(|ch| ch.is_ascii_digit() || ch == '$') {
        return None;
    }
    if let Some(y) = c.name("y") {
        let first: i32 = y.as_str().parse().ok()?;
        return Some(Expr::Years {
            first,
            last: first + 9,
        });
    }
    let century: i32 = c.name("c")?.as_str().parse().ok()?;
    if !(1..=30).contains(&century) {
        return None;
    }
    Some(Expr::Years {
        first: (century - 1) * 100,
        last: (century - 1) * 100 + 99,
    })
}

fn holiday(c: &Captures, _s: &Scan) -> Option<Expr> {
    let rule = HOLIDAYS
        .get(c.name("hol")?.as_str().to_lowercase().as_str())?
        .clone();
    match c
        .name("mod")
        .map(|m| m.as_str().to_ascii_lowercase())
        .as_deref()
    {
        Some("last" | "previous" | "past") => {
            return Some(Expr::HolidayNear {
                rule,
                forward: false,
            })
        }
        Some("next" | "following" | "coming") => {
            return Some(Expr::HolidayNear {
                rule,
                forward: true,
            })
        }
        Some(_) => {
            return Some(Expr::Holiday {
                year: YearRef::Rel(0),
                rule,
            })
        }
        None => {}
    }
    let year = year_of(c, "y").map_or(YearRef::Missing, YearRef::Abs);
    Some(Expr::Holiday { year, rule })
}

fn nth_weekday(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n = match c.name("n")?.as_str().to_ascii_lowercase().as_str() {
        "last" => -1,
        x => en_number(x)? as i32,
    };
    let month = if c.name("rel").is_none() && c.name("mon").is_none() {
        Expr::Cal {
            year: YearRef::Missing,
            month: Some(MonthRef::Rel(0)),
            day: None,
        }
    } else if let Some(rel) = c.name("rel") {
        let n = match rel.as_str().to_ascii_lowercase().split_whitespace().next() {
            Some("this") => 0,
            Some("next") => 1,
            _ => -1,
        };
        Expr::Cal {
            year: YearRef::Missing,
            month: Some(MonthRef::Rel(n)),
            day: None,
        }
    } else {
        cal(year_of(c, "y"), month_of(c, "mon"), None)?
    };
    Some(Expr::NthWeekday {
        month: Box::new(month),
        weekday: en_word(c.name("wd")?.as_str(), "weekday")?,
        n,
    })
}

/// Words that put "in two weeks" in the future (else it is a length of time).
/// Compiles [`FUTURE`] (see [`super::warm`]).
pub(super) fn warm() {
    LazyLock::force(&FUTURE);
}

static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:will|shall|would|going to|want to|hope to|plans? to|expects? to|expected to|scheduled)(?-u:\b)|'ll(?-u:\b)").expect("future")
});

/// The sentence text before byte `at` (back to the last sentence end).
fn sentence_head(text: &str, at: usize) -> &str {
    text.get(super::sentence_start(text, at)..at).unwrap_or("")
}

/// "in 3 days" is a day ahead only where the sentence looks ahead (a plan, or the phrase
/// alone); elsewhere ("sold out in 3 days") it is a length of time.
fn looks_ahead(c: &Captures, s: &Scan) -> Option<bool> {
    let m = c.get(0)?;
    Some(
        FUTURE.is_match(sentence_head(s.text, m.start()))
            || super::tense::at(s.text, (m.start(), m.end())).forward(),
    )
}

fn in_future(c: &Captures, s: &Scan) -> Option<Expr> {
    if !looks_ahead(c, s)? {
        return None;
    }
    let n = en_number(c.name("n")?.as_str())? as i64;
    let unit = unit_of(c.name("u")?.as_str())?;
    matches!(unit, "Y" | "M" | "W" | "D").then_some(Expr::Ago {
        amount: n,
        unit,
        base_days: 0,
    })
}

/// later this week (Thursday on, from the document day), earlier this week (to Wednesday),
/// the rest of the week (from the document day).
fn week_rest(c: &Captures, _s: &Scan) -> Option<Expr> {
    let w = c.name("w").map(|m| m.as_str().to_ascii_lowercase());
    Some(match w.as_deref() {
        Some("later") => Expr::WeekRest {
            later: true,
            rest: false,
        },
        Some(_) => Expr::WeekRest {
            later: false,
            rest: false,
        },
        None => Expr::WeekRest {
            later: true,
            rest: true,
        },
    })
}

/// The number of fortnights in a match (`a fortnight` = 1).
fn fortnights_of(c: &Captures) -> Option<i64> {
    Some(i64::from(en_number(c.name("n")?.as_str())?))
}

/// "a fortnight later", "two fortnights ago": a day 14 days per fortnight away.
fn fortnight_ago(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n = fortnights_of(c)?;
    let back = matches!(
        c.name("dir")?.as_str().to_ascii_lowercase().as_str(),
        "ago" | "earlier"
    );
    Some(Expr::Ago {
        amount: if back { -14 * n } else { 14 * n },
        unit: "D",
        base_days: 0,
    })
}

/// "in a fortnight": 14 days ahead where the sentence looks ahead.
fn in_fortnight(c: &Captures, s: &Scan) -> Option<Expr> {
    if !looks_ahead(c, s)? {
        return None;
    }
    Some(Expr::Ago {
        amount: 14,
        unit: "D",
        base_days: 0,
    })
}

/// "the fortnight" (this week and the next), "next fortnight" (the two weeks after those),
/// "the past fortnight" (the 14 days up to the document day).
fn the_fortnight(c: &Captures, _s: &Scan) -> Option<Expr> {
    // Fortnights are counted in pairs of weeks from this one: the next is the pair after.
    let first = match c.name("mod")?.as_str().to_ascii_lowercase().as_str() {
        "the" | "this" => 0,
        "next" | "coming" => 2,
        _ => {
            return Some(Expr::Span {
                amount: 14,
                unit: "D",
                forward: false,
            })
        }
    };
    let day = |weekday, n| {
        Box::new(Expr::Weekday {
            weekday,
            pick: WeekdayPick::Week(n),
        })
    };
    Some(Expr::Range(day(1, first), day(7, first + 1)))
}

/// "two fortnights": a length of two weeks each.
fn fortnights(c: &Captures, _s: &Scan) -> Option<Expr> {
    Some(Expr::Duration {
        amount: Some((2 * fortnights_of(c)?).to_string()),
        unit: "W",
    })
}

/// "this working week", "next workweek": Monday to Friday.
fn work_week(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n = match c.name("mod")?.as_str().to_ascii_lowercase().as_str() {
        "next" => 1,
        "last" | "previous" => -1,
        _ => 0,
    };
    let day = |weekday| {
        Box::new(Expr::Weekday {
            weekday,
            pick: WeekdayPick::Week(n),
        })
    };
    Some(Expr::Range(day(1), day(5)))
}

/// "the second week of March": the Monday-to-Sunday week of a month.
fn month_week(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n = match c.name("n")?.as_str().to_ascii_lowercase().as_str() {
        "last" => -1,
        w => i32::try_from(en_number(w)?).ok()?,
    };
    let month = Expr::Cal {
        year: year_of(c, "y").map_or(YearRef::Missing, YearRef::Abs),
        month: Some(MonthRef::Abs(en_word(c.name("mon")?.as_str(), "month")?)),
        day: None,
    };
    Some(Expr::MonthWeek {
        month: Box::new(month),
        n,
    })
}

/// A weekday with its date written after it ("this Friday-Jun-15", "next friday 5/12"):
/// the written date is the day; the weekday only names it.
fn weekday_with_date(c: &Captures, s: &Scan) -> Option<Expr> {
    en_word(c.name("wd")?.as_str(), "weekday")?;
    let (m, d) = match (c.name("mon"), c.name("d"), c.name("a"), c.name("b")) {
        (Some(mon), Some(d), _, _) => (en_word(mon.as_str(), "month")?, d.as_str().parse().ok()?),
        (_, _, Some(a), Some(b)) => {
            let (a, b): (u32, u32) = (a.as_str().parse().ok()?, b.as_str().parse().ok()?);
            if s.day_first() {
                (b, a)
            } else {
                (a, b)
            }
        }
        _ => return None,
    };
    cal(None, Some(m), Some(d))
}

fn weekend(c: &Captures, _s: &Scan) -> Option<Expr> {
    let pick = match c
        .name("mod")
        .map(|m| m.as_str().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("this") | Some("the") => WeekdayPick::Week(0),
        Some("next") | Some("coming") => WeekdayPick::Week(1),
        _ => WeekdayPick::Week(-1),
    };
    let day = |weekday| Box::new(Expr::Weekday { weekday, pick });
    Some(Expr::Range(day(6), day(7)))
}

/// A numeric date: Y-M-D, D-M-Y / M-D-Y (by `day_first` and plausibility), or M/D.
fn numeric_date(s: &str, day_first: bool) -> Option<Expr> {
    let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = s.split(sep).collect();
    let num = |x: &str| x.parse::<u32>().ok();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => cal(Some(y.parse().ok()?), num(m), num(d)),
        [a, b, y] if y.len() == 4 || y.len() == 2 => {
            let (a, b) = (num(a)?, num(b)?);
            let y: i32 = y.parse().ok()?;
            let y = if y < 100 { two_digit_year(y) } else { y };
            let (d, m) = if a > 12 || (day_first && b <= 12) {
                (a, b)
            } else {
                (b, a)
            };
            cal(Some(y), Some(m), Some(d))
        }
        [a, b] if sep == '/' => {
            let (a, b) = (num(a)?, num(b)?);
            let (d, m) = if a > 12 || (day_first && b <= 12) {
                (a, b)
            } else {
                (b, a)
            };
            cal(None, Some(m), Some(d))
        }
        _ => None,
    }
}

fn numeric_range(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let mut a = numeric_date(c.name("a")?.as_str(), s.day_first())?;
    let mut b = numeric_date(c.name("b")?.as_str(), s.day_first())?;
    if let Some(y) = c.name("y").and_then(|y| y.as_str().parse::<i32>().ok()) {
        for e in [&mut a, &mut b] {
            if let Expr::Cal {
                year: year @ YearRef::Missing,
                ..
            } = e
            {
                *year = YearRef::Abs(y);
            }
        }
    }
    Some(Expr::Range(Box::new(a), Box::new(b)))
}

fn month_slash_day(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    let prev = prev_word(s.text, m0.start());
    if !matches!(
        prev.as_str(),
        "on" | "from" | "between" | "to" | "this" | "until" | "by" | "since" | "till" | "through"
    ) {
        return None;
    }
    numeric_date(m0.as_str(), s.day_first())
}

/// The year of "of 2015" / "of last year" groups (`y`, `ry`), or Missing.
fn year_ref(c: &Captures) -> Option<YearRef> {
    Some(match (year_of(c, "y"), c.name("ry")) {
        (Some(y), _) => YearRef::Abs(y),
        (None, Some(r)) => YearRef::Rel(
            RELATIVE
                .get(r.as_str().to_ascii_lowercase().as_str())?
                .offset,
        ),
        _ => YearRef::Missing,
    })
}

fn iso_week(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n = match (c.name("num"), c.name("n")) {
        (Some(num), _) => num.as_str().parse::<i32>().ok()?,
        (None, Some(n)) if n.as_str().eq_ignore_ascii_case("last") => -1,
        (None, Some(n)) => en_number(n.as_str())? as i32,
        _ => return None,
    };
    if n == 0 || n > 53 {
        return None;
    }
    Some(Expr::IsoWeek {
        year: year_ref(c)?,
        n,
    })
}

fn nth_month(c: &Captures, _s: &Scan) -> Option<Expr> {
    let m = en_number(c.name("n")?.as_str())?;
    if !(1..=12).contains(&m) {
        return None;
    }
    Some(Expr::Cal {
        year: year_ref(c)?,
        month: Some(MonthRef::Abs(m)),
        day: None,
    })
}

fn year_slice(c: &Captures, _s: &Scan) -> Option<Expr> {
    let amount = en_number(c.name("n")?.as_str())?;
    let unit = unit_of(c.name("u")?.as_str())?;
    let first = c.name("fl")?.as_str().eq_ignore_ascii_case("first");
    matches!(unit, "M" | "W" | "D").then_some(Expr::YearSlice {
        year: year_ref(c)?,
        amount,
        unit,
        first,
    })
}

fn quarters(c: &Captures, _s: &Scan) -> Option<Expr> {
    let amount = en_number(c.name("n")?.as_str())? as i64;
    let forward = matches!(
        c.name("dir")?.as_str().to_ascii_lowercase().as_str(),
        "next" | "coming" | "upcoming" | "following"
    );
    (1..=40)
        .contains(&amount)
        .then_some(Expr::Quarters { amount, forward })
}

fn month_short_year(c: &Captures, _s: &Scan) -> Option<Expr> {
    let d = match c.name("d") {
        Some(d) => Some(d.as_str().parse().ok()?),
        None => None,
    };
    cal(year_of(c, "y"), month_of(c, "mon"), d)
}

fn year_words(c: &Captures, _s: &Scan) -> Option<Expr> {
    cal(year_of(c, "y"), None, None)
}

fn decades(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n = match c.name("n") {
        Some(n) => en_number(n.as_str())? as i32,
        None => 1,
    };
    // this decade is the calendar one (the 2020s); the past decade, the next two decades are
    // lengths of time (P10Y, P20Y), as news means them.
    match c.name("dir")?.as_str().to_ascii_lowercase().as_str() {
        "this" | "current" => Some(Expr::Decades { amount: 0 }),
        _ => (n <= 10).then(|| Expr::Duration {
            amount: Some((10 * n).to_string()),
            unit: "Y",
        }),
    }
}

fn now(c: &Captures, s: &Scan) -> Option<Expr> {
    // Only as an end of a range ("between May and now", "to date"); a lone one is dropped
    // after ranges are joined.
    let prev = prev_word(s.text, c.get(0)?.start());
    matches!(
        prev.as_str(),
        "and" | "to" | "till" | "until" | "through" | "between" | "from"
    )
    .then_some(Expr::Now)
}

/// "all day", "all week": one whole unit.
fn all_unit(c: &Captures, _s: &Scan) -> Option<Expr> {
    Some(Expr::Duration {
        amount: Some("1".into()),
        unit: unit_of(c.name("u")?.as_str())?,
    })
}

fn within(c: &Captures, _s: &Scan) -> Option<Expr> {
    let amount = en_number(c.name("n")?.as_str())? as i64;
    let unit = unit_of(c.name("u")?.as_str())?;
    matches!(unit, "Y" | "M" | "W" | "D").then_some(Expr::Within { amount, unit })
}

fn compact_ymd(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !numeric_boundary_ok(s.text, m0.start(), m0.end()) {
        return None;
    }
    cal(
        year_of(c, "y"),
        c.name("m")?.as_str().parse().ok(),
        c.name("d")?.as_str().parse().ok(),
    )
}

/// The English and numeric rules, compiled once.
pub(super) static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let mon = format!("(?P<mon>{})", alternation(words_of("month").into_iter()));
    let wd = format!("(?P<wd>{})", alternation(words_of("weekday").into_iter()));
    let rel: Vec<&str> = RELATIVE.keys().copied().filter(|w| w.is_ascii()).collect();
    let hol: Vec<&str> = HOLIDAYS
        .keys()
        .map(String::as_str)
        .filter(|w| w.is_ascii())
        .collect();
    let units = "years|year|yrs|yr|months|month|weeks|week|days|day|nights|night|hours|hour|hrs|hr|h|minutes|minute|mins|min|seconds|second|secs|sec";
    let du = "years|year|months|month|weeks|week|days|day";
    let num = format!(r"[0-9]+|{NUM_WORDS}");
    let ord = "(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)";
    let lead = comparison_words(CompareRole::Lead, false);
    let base = comparison_words(CompareRole::Base, false);
    let same = comparison_words(CompareRole::Same, false);
    let reports: Vec<&str> = REPORTS
        .keys()
        .map(String::as_str)
        .filter(|w| w.is_ascii())
        .collect();
    let wmod = "this past|this coming|this upcoming|this|next|last|previous|past|coming|upcoming|following";
    let rule = |re: String, parse: fn(&Captures, &Scan) -> Option<Expr>| {
        Rule::new(format!("(?i){re}"), parse)
    };
    vec![
        // Sept. 3, 2025 / Monday January 12th, 2016 / June the 28th 2020 / Dec31 , 1994
        rule(format!(r"(?-u:\b)(?:{wd},?\s+)?{mon}\.?\s*(?:the\s+)?(?P<d>[0-9]{{1,2}}(?:st|nd|rd|th)?|{ORD_DAY})(?-u:\b)(?:\s*,?\s*(?:of\s+|in\s+)?(?:(?P<y>[0-9]{{4}})|(?P<yw>{YEAR_WORDS}))(?-u:\b))?"), month_day),
        rule(format!(r"(?-u:\b)(?:{wd},?\s+)?{mon}\.?\s+(?P<dw>{NUM_WORDS}),?\s+(?:(?P<y>[0-9]{{4}})|(?P<yw>{YEAR_WORDS}))(?-u:\b)"), month_day),
        // 3 September 2025 / 04th Jan 2019 / 26th of june of 2020 / 16. Nov. 2016
        rule(format!(r"(?-u:\b)(?:{wd},?\s+)?(?:the\s+)?(?P<d>[0-9]{{1,2}}(?:st|nd|rd|th)?|{ORD_DAY}|{NUM_WORDS})\.?\s*(?:of\s+)?{mon}(?-u:\b)\.?(?:\s*,?\s*(?:of\s+|in\s+)?(?:(?P<y>[0-9]{{4}})|(?P<yw>{YEAR_WORDS}))(?-u:\b))?"), month_day),
        // September 2025 / Dec-2018 / Dec, 2018 / 2017 april
        rule(format!(r"(?-u:\b){mon}(?-u:\b)\.?\s*(?:,|/|-|of|in)?\s*(?:(?P<y>[0-9]{{4}})|(?P<yw>{YEAR_WORDS}))(?-u:\b)"), month_year),
        rule(format!(r"(?-u:\b)(?:(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+)?{mon}\s+(?:of\s+|')(?P<ys>[0-9]{{2}})(?-u:\b)"), month_short_year),
        rule(format!(r"(?-u:\b)(?:in|since|by|of|until|before|after|year)\s+(?P<yw>{YEAR_WORDS})(?-u:\b)"), year_words),
        rule(format!(r"(?-u:\b)(?P<y>[0-9]{{4}})\s+{mon}(?-u:\b)"), month_year),
        rule(format!(r"(?-u:\b)(?:(?P<mod>this|last|next|coming|past|previous)\s+)?{mon}(?-u:\b)"), bare_month),
        rule(r"(?-u:\b)(?P<y>1[0-9]{3}|20[0-9]{2}|21[0-9]{2})(?-u:\b)".into(), context_year).passing(year_not_after_word_above_ascii),
        rule(r"(?-u:\b)(?:(?:FY|fy|Fy)\s?'?(?P<y>[0-9]{4}|[0-9]{2})|(?:fiscal|financial)(?:\s+year)?\s+(?P<y4>[0-9]{4}))(?-u:\b)".into(), fiscal_year),
        rule(r"(?-u:\b)(?P<y1>[0-9]{4})\s*(?:-|–|~|to|through|till|until)\s*(?P<y2>[0-9]{4})(?-u:\b)".into(), year_range),
        // 2025-09-03, 2025/9/3, 2025.09.03, 2019-aug-1
        rule(r"(?P<y>[0-9]{4})(?P<s1>[-/.])(?P<m>[0-9]{1,2})(?P<s2>[-/.])(?P<d>[0-9]{1,2})".into(), ymd_numeric),
        rule(format!(r"(?P<y>[0-9]{{4}})(?P<s1>[-/])(?-u:\b){mon}(?-u:\b)(?P<s2>[-/])(?P<d>[0-9]{{1,2}})"), ymd_numeric),
        // 3/9/2025, 13.5.2015, 05/05/89, 08/12,2015
        rule(r"(?P<a>[0-9]{1,2})(?P<s1>[-/.])(?P<b>[0-9]{1,2})(?P<s2>[-/.]|,\s?)(?P<y>[0-9]{4}|[0-9]{1,2})".into(), dmy_numeric),
        rule(format!(r"(?P<d>[0-9]{{1,2}})[-/](?-u:\b){mon}(?-u:\b)[-/](?P<y>[0-9]{{4}}|[0-9]{{2}})"), dmy_named),
        // 2015-12, 2015/3, 12-2015
        rule(r"(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})".into(), ym_numeric),
        rule(r"(?P<m>[0-9]{1,2})[-/](?P<y>[0-9]{4})".into(), ym_numeric),
        rule(format!(r"(?-u:\b)(?:{})(?-u:\b)", alternation(rel.iter().copied())), relative_word),
        rule(format!(r"(?-u:\b)(?:(?P<mod>{wmod})\s+)?{wd}(?-u:\b)(?:\s+(?P<wk>next|last|this)\s+week)?"), weekday),
        rule(format!(r"(?-u:\b)(?P<wk>next|last|this)\s+week\s+(?:on\s+)?{wd}(?-u:\b)"), weekday),
        rule(format!(r"(?-u:\b){wd}\s+of\s+(?P<wk>next|last|this|the following)\s+week(?-u:\b)"), weekday),
        rule(format!(r"(?-u:\b){wd},?\s+(?:the\s+)?(?P<d>[0-9]{{1,2}}(?:st|nd|rd|th)?|{ORD_DAY})(?-u:\b)"), weekday_day),
        rule(format!(r"(?-u:\b)(?P<d>[0-9]{{1,2}}(?:st|nd|rd|th)|{ORD_DAY})\s+(?:day\s+)?of\s+(?P<rel>this|next|last|previous)\s+month(?-u:\b)"), day_of_rel_month),
        rule(format!(r"(?-u:\b)(?P<n>{num})\s+(?P<u>{du})\s+(?P<dir>ago|earlier|later|from now|hence|from today|after today|from tomorrow|from tmrw|after tomorrow|before yesterday|from yesterday|before today)(?-u:\b)"), ago),
        rule(format!(r"(?-u:\b)(?P<dir>next|past|last|previous|coming|upcoming|following)\s+(?P<n>{num}|(?:a\s+)?couple(?:\s+of)?)\s+(?P<u>{du})(?-u:\b)"), span),
        rule(format!(r"(?-u:\b)(?P<n>{num})\s+(?P<dir>upcoming|next|past|previous|coming)\s+(?P<u>years|months|weeks|days)(?-u:\b)"), span),
        rule(r"(?-u:\b)(?:(?P<y>[0-9]{4})\s*-?\s*)?(?:q(?P<q>[1-4])|h(?P<h>[12]))(?-u:\b)(?:\s*(?:of\s+|-|,)?\s*(?P<y2>[0-9]{4})(?-u:\b))?".into(), quarter_half),
        rule(r"(?-u:\b)(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)(?:\s+|\s*-\s*)(?:quarter|qtr|(?P<half>half))(?-u:\b)(?:\s+(?:of\s+)?(?:(?P<y>[0-9]{4})(?-u:\b)|(?P<ry>this year|last year|next year)))?".into(), quarter_half),
        rule(format!(r"(?-u:\b)(?P<n>[0-9]+(?:\.[0-9]+)?|½|{NUM_WORDS}|several|a few|few|many|some|a couple of|couple of)(?P<half0>\s+and\s+(?:a\s+)?(?:half|quarter))?\s*-?\s*(?P<u>{units})(?-u:\b)(?P<half>\s+and\s+(?:a\s+)?(?:half|quarter)(?-u:\b))?"), duration),
        // cy18, CY2018: a calendar year (as FY is a fiscal one).
        rule(r"(?-u:\b)(?:CY|cy|Cy)\s?'?(?P<y>[0-9]{4}|[0-9]{2})(?-u:\b)".into(), calendar_year),
        // on 2016 10 16: year, month and day written with spaces, after "on".
        rule(r"(?-u:\b)(?P<y>(?:19|20)[0-9]{2}) (?P<m>[0-9]{1,2}) (?P<d>[0-9]{1,2})(?-u:\b)".into(), spaced_ymd),
        rule(r"(?-u:\b)(?:the\s+)?(?P<y>1[0-9]{2}0|20[0-9]0)\s?'?s(?-u:\b)".into(), decade),
        rule(r"(?-u:\b)(?P<c>[0-9]{1,2})(?:st|nd|rd|th)\s+century(?-u:\b)".into(), decade),
        rule(format!(r"(?-u:\b)(?:(?P<mod>last|previous|past|next|following|coming|this)\s+)?(?P<hol>{})(?-u:\b)(?:\s+(?:of\s+)?(?P<y>[0-9]{{4}})(?-u:\b))?", alternation(hol.iter().copied())), holiday),
        rule(r"(?-u:\b)all\s+(?P<u>day|week|month|year)(?-u:\b)".into(), all_unit),
        rule(format!(r"(?-u:\b)in\s+(?P<n>{num})\s+(?P<u>{du})(?-u:\b)(?:(?:'s|'|’s|’)\s+time(?-u:\b))?"), in_future),
        rule(r"(?-u:\b)(?:now|current date|the present|date)(?-u:\b)".into(), now),
        rule(format!(r"(?-u:\b)(?:the\s+)?(?P<dir>next|last|past|previous|this|current|coming)\s+(?:(?P<n>{num})\s+)?decades?(?-u:\b)"), decades),
        rule(r"(?i)(?-u:\b)(?:the\s+)?(?P<n>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+week\s+(?:of|in)\s+(?:(?P<y>[0-9]{4})|(?P<ry>this year|last year|next year))(?-u:\b)".into(), iso_week),
        rule(r"(?i)(?-u:\b)week\s+(?P<num>[0-9]{1,2})(?-u:\b)(?:\s+(?:of|in)\s+(?:(?P<y>[0-9]{4})|(?P<ry>this year|last year|next year))(?-u:\b))?".into(), iso_week),
        rule(format!(r"(?-u:\b)(?:the\s+)?(?P<n>{ORD_DAY}|[0-9]{{1,2}}(?:st|nd|rd|th))\s+month\s+of\s+(?:(?P<y>[0-9]{{4}})|(?P<ry>this year|last year|next year))(?-u:\b)"), nth_month),
        rule(format!(r"(?-u:\b)(?:the\s+)?(?P<fl>first|last)\s+(?P<n>{num})\s+(?P<u>months|weeks|days)\s+of\s+(?:(?P<y>[0-9]{{4}})|(?P<ry>this year|last year|next year))(?-u:\b)"), year_slice),
        rule(format!(r"(?-u:\b)(?P<dir>next|past|last|previous|coming|upcoming|following)\s+(?P<n>{num})\s+quarters(?-u:\b)"), quarters),
        rule(format!(r"(?-u:\b)within\s+(?:the\s+)?(?:next\s+)?(?P<n>{num})\s+(?P<u>{du})(?-u:\b)"), within),
        rule(r"(?-u:\b)(?P<y>(?:19|20)[0-9]{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])(?-u:\b)".into(), compact_ymd),
        rule(format!(r"(?-u:\b){mon}[-/](?P<d>[0-9]{{1,2}})[-/](?P<y>[0-9]{{4}})(?-u:\b)"), dmy_named),
        rule(r"(?-u:\b)(?:(?P<mod>this|next|last|the|coming|previous)\s+)?weekend(?-u:\b)".into(), weekend),
        rule(r"(?-u:\b)(?P<w>later|earlier)\s+(?:this|in\s+the|this\s+coming)\s+week(?-u:\b)".into(), week_rest),
        rule(r"(?-u:\b)(?:the\s+)?(?:rest|remainder|remaining|balance)\s+of\s+(?:the|this)\s+week(?-u:\b)".into(), week_rest),
        rule(format!(r"(?-u:\b)(?P<n>{num})\s+fortnights?\s+(?P<dir>ago|earlier|later|from now|hence)(?-u:\b)"), fortnight_ago),
        rule(r"(?-u:\b)in\s+(?:a|one)\s+fortnight(?-u:\b)(?:(?:'s|’s)\s+time(?-u:\b))?".into(), in_fortnight),
        rule(r"(?-u:\b)(?P<mod>the|this|next|last|past|previous|coming)\s+fortnight(?-u:\b)".into(), the_fortnight),
        rule(format!(r"(?-u:\b)(?P<n>{num})\s+fortnights?(?-u:\b)"), fortnights),
        rule(r"(?-u:\b)(?P<mod>this|next|last|previous|the)\s+(?:work(?:ing)?\s*-?\s*week|business\s+week)(?-u:\b)".into(), work_week),
        rule(format!(r"(?-u:\b)(?:the\s+)?(?P<n>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+week\s+(?:of|in)\s+{mon}(?-u:\b)(?:\s*,?\s*(?P<y>[0-9]{{4}})(?-u:\b))?"), month_week),
        rule(format!(r"(?-u:\b)(?:(?:this|next|last|coming)\s+)?{wd}\s*(?:-|,|\()?\s*(?:{mon}[-\s](?P<d>[0-9]{{1,2}})|(?P<a>[0-9]{{1,2}})/(?P<b>[0-9]{{1,2}}))(?-u:\b)\)?"), weekday_with_date),
        rule(r"(?P<a>[0-9]{1,4}[-/.][0-9]{1,2}(?:[-/.][0-9]{2,4})?)\s*(?:-|–|~|to|through|till)\s*(?P<b>[0-9]{1,4}[-/.][0-9]{1,2}(?:[-/.][0-9]{2,4})?)(?:,\s*(?P<y>[0-9]{4}))?".into(), numeric_range),
        rule(r"[0-9]{1,2}/[0-9]{1,2}".into(), month_slash_day),
        rule(format!(r"(?-u:\b)(?P<n>first|second|third|fourth|1st|2nd|3rd|4th)\s+{wd}(?-u:\b)"), nth_weekday),
        rule(format!(r"(?-u:\b)(?:the\s+)?(?P<n>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+{wd}\s+(?:of|in)\s+(?:(?P<rel>this month|next month|last month|previous month)|{mon}(?:\s+(?P<y>[0-9]{{4}}))?)(?-u:\b)"), nth_weekday),
        // fiscal third quarter, fiscal 2025 second-quarter, the first half of fiscal 2025,
        // third fiscal quarter, FY25 Q3, Q3 FY2025, this fiscal year
        rule(format!(r"(?-u:\b)(?:the\s+)?(?:fiscal|financial)(?:\s+|\s*-\s*)(?:year\s+)?(?:(?P<y>[0-9]{{4}})\s+)?(?:the\s+)?{ord}(?:\s+|\s*-\s*)(?:quarter|qtr|(?P<half>half))(?-u:\b)"), fiscal),
        rule(format!(r"(?-u:\b)(?:the\s+)?{ord}(?:\s+|\s*-\s*)fiscal(?:\s+|\s*-\s*)(?:year\s+)?(?:quarter|qtr|(?P<half>half))(?:\s+of\s+(?:fiscal\s+)?(?:year\s+)?(?P<y>[0-9]{{4}}))?(?-u:\b)"), fiscal),
        rule(format!(r"(?-u:\b)(?:the\s+)?{ord}(?:\s+|\s*-\s*)(?:quarter|qtr|(?P<half>half))\s+of\s+(?:(?:the|its|their)\s+)?(?:(?P<ry>current|this|next|last|previous|prior)\s+)?(?:fiscal|financial|FY)(?:\s*year)?(?:\s*'?(?P<y>[0-9]{{4}}|[0-9]{{2}}))?(?-u:\b)"), fiscal),
        rule(r"(?-u:\b)(?:(?:FY|fy)\s?'?(?P<y>[0-9]{4}|[0-9]{2})\s*-?\s*(?:Q(?P<q>[1-4])|(?P<q2>[1-4])Q|H(?P<h>[12])|(?P<h2>[12])H)|(?:Q(?P<qa>[1-4])|(?P<qb>[1-4])Q|H(?P<ha>[12])|(?P<hb>[12])H)\s*-?\s*(?:FY|fy)\s?'?(?P<ya>[0-9]{4}|[0-9]{2}))(?-u:\b)".into(), fiscal),
        rule(r"(?-u:\b)(?:the\s+)?(?P<ry>current|this|next|last|previous|prior|coming)\s+(?:fiscal|financial)\s+year(?-u:\b)".into(), fiscal),
        rule(r"(?-u:\b)(?:(?P<q2>[1-4])Q|Q(?P<q>[1-4])|(?P<h2>[12])H|H(?P<h>[12]))(?:\s?'(?P<ys>[0-9]{2})|(?P<yt>[0-9]{2})|\s(?P<y>(?:19|20)[0-9]{2}))?(?-u:\b)".into(), short_part),
        rule(format!(r"(?-u:\b)(?:(?P<y>(?:19|20)[0-9]{{2}})\s+)?(?P<rep>{})(?-u:\b)", alternation(reports.iter().copied())), report),
        rule(format!(r"(?-u:\b)(?:{lead})\s+(?:(?:a\s+)?(?:net\s+)?(?:loss|profit|gain|deficit|surplus)\s+of\s+)?(?:[$€£¥]?\s?[0-9][0-9.,]*(?:\s?(?:%|percent|pct|per\s+cent|million|billion|trillion|mln|bln|bn|mn|cents?|yuan|euros?|dollars?|pounds?|yen|points?)){{0,2}}(?:\s+(?:a|per)\s+share)?\s+)?(?:(?:{same})\s+(?:of\s+)?)?(?:{base})(?-u:\b)|(?-u:\b)(?:{same})\s+(?:of\s+)?(?:{base})(?-u:\b)"), mask),
        rule(format!(r"(?-u:\b)(?P<n>{num}|several|a few|few|many)\s+decades?(?-u:\b)"), decade_length),
        rule(format!(r"(?-u:\b)(?:the\s+)?first\s+(?P<n>{num})\s+(?P<u>months|quarters)(?:\s+of\s+(?:(?P<y>[0-9]{{4}})|(?P<ry>this year|last year|next year)|(?P<thisyear>the year)))?(?-u:\b)"), first_of_year),
        rule(format!(r"(?-u:\b)(?P<n>{num})\s+months\s+(?:to|ended|ending|through|thru)\s+(?:the\s+end\s+of\s+)?{mon}\.?(?:\s+[0-9]{{1,2}})?(?:,?\s+(?P<y>[0-9]{{4}}))?(?-u:\b)"), months_to),
        rule(r"(?-u:\b)(?:(?:the\s+)?year[\s-]to[\s-]date|so\s+far\s+this\s+year|this\s+year\s+so\s+far|YTD)(?-u:\b)".into(), year_to_date),
        rule(r"(?-u:\b)(?:the\s+)?past\s+(?:year|twelve\s+months|12\s+months)(?-u:\b)".into(), past_year),
        rule(r"(?-u:\b)(?P<y>(?:19|20)[0-9]{2})(?-u:\b)(?P<poss>'s|’s)?".into(), standing_year).passing(year_may_stand),
    ]
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words() {
        assert_eq!(en_number("twenty-first"), Some(21));
        assert_eq!(en_number("three"), Some(3));
        assert_eq!(en_number("21st"), Some(21));
        assert_eq!(en_number("thirty first"), Some(31));
    }

    /// The byte-wise token and letter trims give what the general string functions give.
    #[test]
    fn next_word_reads_as_split_and_trim() {
        let texts = [
            "",
            "   ",
            " results were strong",
            "年,全年营业收入增长12%,其中GDP增速was",
            "年\u{3000}was",
            "\u{a0}\u{a0}Was. next",
            "'s profit",
            "’s profit rose",
            "-2025 season",
            "年度报告 (2024)ed",
            "x",
            "。。。",
            "é字母ab中c",
        ];
        for t in texts {
            let general = t.split_whitespace().next().unwrap_or("");
            assert_eq!(first_token(t), general, "{t:?}");
            assert_eq!(
                ascii_letters(general),
                general.trim_matches(|ch: char| !ch.is_ascii_alphabetic()),
                "{t:?}"
            );
        }
    }

    /// Every whitespace character above ASCII has its lead byte in `WIDE_SPACE_LEADS`.
    #[test]
    fn wide_whitespace_leads() {
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.is_whitespace() {
                let mut buf = [0; 4];
                let lead = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(WIDE_SPACE_LEADS.contains(&lead), "{c:?}");
            }
        }
        for b in 0..0x80u8 {
            assert_eq!(char::from(b).is_whitespace(), b.is_ascii_whitespace() || b == 0x0B);
        }
    }

    /// The remembered token gives the letters of the word after every position, whatever
    /// the order the positions are asked in: `ascii_letters(first_token(..))`.
    #[test]
    fn prev_word_skips_words_above_ascii() {
        let mut texts: Vec<String> = vec![
            "在2024年 in 2025 the 中the 2026 the東 2027 abc中 2028 中abc 2029 ä 2030".into(),
            "  the  ,the 2024".into(),
        ];
        for file in ["zh_news.txt", "en_news.txt"] {
            texts.extend(crate::test_support::corpus_lines(file, 100));
        }
        // Every English word a caller compares it with is ASCII.
        assert!(EN_CONTEXT.preposition.iter().all(|w| w.is_ascii() && !w.is_empty()));
        for t in &texts {
            for (at, _) in t.char_indices().chain([(t.len(), ' ')]) {
                let plain = prev_word_plain(&t[..at]);
                let fast = prev_word(t, at);
                // The same word, or none for a word above ASCII (which no caller looks for).
                assert!(
                    fast == plain || (fast.is_empty() && !plain.is_ascii()),
                    "{t:?} at {at}: {fast:?}, plain {plain:?}"
                );
            }
        }
    }

    #[test]
    fn word_at_reads_as_first_token() {
        let texts = [
            "",
            "2024年,全年营业收入增长12%,其中GDP增速was 2025 was a year",
            "。2024年\u{3000}was 2023年 was\n2022年的GDP, 2021年 saw x2020ed",
            "2024 Was. next 2023's profit 2022\u{a0}\u{a0}is 2021",
            "年度报告 (2024)ed é字母ab中c 2020年cd中文ef",
            "ab cd",
            " x ",
            "2024年\u{85}was 2023\u{1680}is 2022\u{2009}saw 2021\u{205F}had 2020\u{202F}ab é 2019ü\u{2028}x",
            "2024年。ña\u{3001}bc\u{3000}d 𝔸x😀y\u{2029}z\u{feff}q",
        ];
        for t in texts {
            let starts: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            let plain = |at: usize| ascii_letters(first_token(&t[at..]));
            let orders: [Vec<usize>; 3] = [
                starts.clone(),
                starts.iter().rev().copied().collect(),
                starts.iter().step_by(2).chain(starts.iter().skip(1).step_by(3)).copied().collect(),
            ];
            for order in orders {
                let scan = Scan {
                    text: t,
                    day_first: std::cell::OnceCell::from(false),
                    token: TokenMemo::default(),
                };
                for at in order {
                    let at = token_start(t, at);
                    assert_eq!(token_start(t, at), at);
                    assert_eq!(word_at(&scan, at), plain(at), "{t:?} at {at}");
                }
            }
        }
    }

    #[test]
    fn boundaries() {
        assert!(numeric_boundary_ok("on 2025-09-03.", 3, 13));
        assert!(!numeric_boundary_ok("138-2010-2015", 4, 13));
        assert!(!numeric_boundary_ok("2010-2015-86", 0, 9));
    }
}
