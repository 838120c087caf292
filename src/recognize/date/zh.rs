//! Chinese date patterns (on the normalised, Simplified, half-width text): calendar dates
//! with Arabic or Chinese numerals, relative words, weekdays, quarters and halves, "N天前",
//! "过去N年", decades, holidays and durations. Each rule only describes what it saw as an
//! [`Expr`]; resolution is `expr`'s job.

use std::sync::LazyLock;

use super::Captures;

use super::expr::{Expr, MonthRef, WeekdayPick, YearRef};
use super::lexicon::{
    alternation, comparison_words, unit_of, CompareRole, Covers, HOLIDAYS, RELATIVE, REPORTS,
};
use super::period::Gran;
use super::{Rule, Scan};
use crate::num::Num;
use crate::recognize::numeral::parse_numeral;

/// Year digits: 2025, 08 (two digits), 二〇二五 (digit by digit), 两千零四.
const YEAR: &str =
    r"[0-9]{4}|[0-9]{2}|[〇零一二三四五六七八九]{2,4}|[两一二]千[零〇一二三四五六七八九十]{0,3}";
/// A month or day number: 1-31 in Arabic or Chinese numerals (廿 = 20, 卅 = 30).
const MD: &str = r"[0-9]{1,2}|[一二三四五六七八九十廿卅]{1,3}";
/// A relative year word.
const REL_YEAR: &str = "大前年|前年|去年|今年|本年|明年|后年|上年|下年";
/// A relative month word.
const REL_MONTH: &str =
    "上一个月|下一个月|前一个月|上个月|下个月|这个月|今个月|本月|当月|上月|下月|次月";

/// The units of a length of time (`duration_any`).
const UNITS: &str =
    r"个年头|个月|个星期|个礼拜|个小时|个钟头|星期|礼拜|小时|钟头|分钟|秒钟|年|月|周|天|秒";
/// The characters the units of [`UNITS`] begin with, but 个 (which also counts: 个半月):
/// no number, 个 or 半 of the duration rule begins with one (the test
/// `bare_unit_starts_are_the_units_own`).
const BARE_UNIT_STARTS: &str = "年月周天秒星礼小钟分";

/// [`Rule::passes`] of the duration rule: a match that begins with its unit has no number
/// and no 半 before it, which `duration_any` rejects (a bare 年 of 今年, 月 of 本月: most
/// of the rule's matches in news).
fn duration_has_count(text: &str, start: usize, _end: usize) -> bool {
    !after(text, start).is_some_and(|c| BARE_UNIT_STARTS.contains(c))
}

/// [`Rule::passes`] of the first fiscal rule: without 财 or 会计 a match has no fiscal year
/// (`fy`, `rf`) either, which `fiscal` rejects (第一季度 alone is a calendar quarter).
fn says_fiscal(text: &str, start: usize, end: usize) -> bool {
    text.get(start..end)
        .is_some_and(|m| m.contains('财') || m.contains("会计"))
}

/// Reads a month/day number written in Arabic or Chinese numerals (with 廿/卅).
pub(super) fn small_number(s: &str) -> Option<u32> {
    let s = s.trim();
    let (base, rest) = if let Some(r) = s.strip_prefix('廿') {
        (20, r)
    } else if let Some(r) = s.strip_prefix('卅') {
        (30, r)
    } else {
        (0, s)
    };
    let v = if rest.is_empty() {
        0
    } else {
        u32::try_from(parse_numeral(rest)?.as_int()?).ok()?
    };
    if base > 0 && v >= 10 {
        return None;
    }
    Some(base + v)
}

/// The year written in `s` (digits of `YEAR`), with two-digit years read as 19xx/20xx.
fn year_number(s: &str) -> Option<i32> {
    let ascii = s.bytes().all(|b| b.is_ascii_digit());
    let v = i32::try_from(parse_numeral(s)?.as_int()?).ok()?;
    let digit_count = s.chars().count();
    if digit_count == 2 && (ascii || !s.contains(['千', '十'])) {
        return Some(if v < 40 { 2000 + v } else { 1900 + v });
    }
    (1..=9999).contains(&v).then_some(v)
}

fn rel_year(s: &str) -> Option<i32> {
    RELATIVE
        .get(s)
        .filter(|r| r.gran == Gran::Year)
        .map(|r| r.offset)
}

fn rel_month(s: &str) -> Option<i32> {
    RELATIVE
        .get(s)
        .filter(|r| r.gran == Gran::Month)
        .map(|r| r.offset)
}

/// The year part of a match: `y` (written) or `ry` (relative word); `None` = no year part;
/// `Some(None)` = a year part that is not a year.
fn year_part(c: &Captures) -> Option<Option<YearRef>> {
    if let Some(y) = c.name("y") {
        return Some(year_number(y.as_str()).map(YearRef::Abs));
    }
    if let Some(r) = c.name("ry") {
        return Some(rel_year(r.as_str()).map(YearRef::Rel));
    }
    None
}

fn weekday_number(c: &str) -> Option<u32> {
    Some(match c {
        "一" => 1,
        "二" => 2,
        "三" => 3,
        "四" => 4,
        "五" => 5,
        "六" => 6,
        "日" | "天" => 7,
        _ => return None,
    })
}

/// A year written with only two digits and nothing after it (`10年`) is a duration, not 2010,
/// unless it starts with a zero (`08年`); a two-character Chinese digit run likewise (`零八年`).
fn short_year_ok(y: &str, has_month: bool) -> bool {
    let n = y.chars().count();
    if n >= 3 || has_month || y.contains('千') {
        return true;
    }
    y.starts_with(['0', '零', '〇'])
}

/// The character before byte `at`, if any.
fn before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

fn after(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

fn calendar(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    // A numeral glued to the front (`12025年`) or a digit right after is not a date.
    if before(s.text, m0.start()).is_some_and(|ch| ch.is_ascii_digit() || ch == '.') {
        return None;
    }
    let month = match (c.name("m"), c.name("rm")) {
        (Some(m), _) => {
            let v = small_number(m.as_str())?;
            if !(1..=12).contains(&v) {
                return None;
            }
            Some(MonthRef::Abs(v))
        }
        (None, Some(r)) => Some(MonthRef::Rel(rel_month(r.as_str())?)),
        _ => None,
    };
    let day = match c.name("d") {
        Some(d) => {
            let v = small_number(d.as_str())?;
            if !(1..=31).contains(&v) {
                return None;
            }
            Some(v)
        }
        None => None,
    };
    let year = match year_part(c) {
        Some(y) => {
            let y = y?;
            if let (YearRef::Abs(_), Some(raw)) = (y, c.name("y")) {
                if !short_year_ok(raw.as_str(), month.is_some()) {
                    return None;
                }
            }
            y
        }
        None => YearRef::Missing,
    };
    if year == YearRef::Missing && month.is_none() {
        return None;
    }
    // `6月` followed by 份/底 etc. is still June; but `6月` right before a digit or `个` is not.
    if month.is_some()
        && day.is_none()
        && after(s.text, m0.end()).is_some_and(|ch| ch.is_ascii_digit())
    {
        return None;
    }
    Some(Expr::Cal { year, month, day })
}

fn quarter_or_half(c: &Captures, _s: &Scan) -> Option<Expr> {
    let year = match year_part(c) {
        Some(y) => y?,
        None => YearRef::Missing,
    };
    if let Some(q) = c.name("q") {
        let n = small_number(q.as_str())?;
        return Some(Expr::Part {
            year,
            gran: Gran::Quarter,
            n,
        });
    }
    let h = c.name("h")?.as_str();
    let n = if h.starts_with(['上', '前']) || h.ends_with('1') {
        1
    } else {
        2
    };
    Some(Expr::Part {
        year,
        gran: Gran::Half,
        n,
    })
}

fn relative_word(c: &Captures, _s: &Scan) -> Option<Expr> {
    let r = RELATIVE.get(c.get(0)?.as_str())?;
    Some(r.expr())
}

fn weekday(c: &Captures, s: &Scan) -> Option<Expr> {
    let e = weekday_of(c, s, weekday_number(c.name("wd")?.as_str())?)?;
    match (c.name("wk"), e) {
        // 周三 alone: the latest Wednesday in a report, the next one in a plan.
        (None, Expr::Weekday { weekday, .. }) => Some(Expr::Weekday {
            weekday,
            pick: WeekdayPick::Bare,
        }),
        (_, e) => Some(e),
    }
}

fn weekday_of(c: &Captures, s: &Scan, wd: u32) -> Option<Expr> {
    // 每周一 is "every Monday", 两周一次 "once in two weeks".
    if c.name("wk").is_none()
        && before(s.text, c.get(0)?.start())
            .is_some_and(|ch| ch == '每' || crate::recognize::numeral::is_numeral_char(ch))
    {
        return None;
    }
    let weeks = match c.name("wk").map(|m| m.as_str().trim_end_matches('个')) {
        None | Some("这") | Some("本") | Some("今") => 0,
        Some("上") => -1,
        Some("上上") => -2,
        Some("下") => 1,
        Some("下下") => 2,
        _ => return None,
    };
    Some(Expr::Weekday {
        weekday: wd,
        pick: WeekdayPick::Week(weeks),
    })
}

fn weekend(c: &Captures, s: &Scan) -> Option<Expr> {
    let Expr::Weekday { pick, .. } = weekday_of(c, s, 6)? else {
        return None;
    };
    let day = |weekday| Box::new(Expr::Weekday { weekday, pick });
    Some(Expr::Range(day(6), day(7)))
}

fn nth_weekday(c: &Captures, s: &Scan) -> Option<Expr> {
    let month = Expr::Cal {
        year: YearRef::Missing,
        month: Some(MonthRef::Abs(small_number(c.name("m")?.as_str())?)),
        day: None,
    };
    let month = match year_part(c) {
        Some(y) => match month {
            Expr::Cal { month, day, .. } => Expr::Cal {
                year: y?,
                month,
                day,
            },
            e => e,
        },
        None => month,
    };
    let _ = s;
    let n = match c.name("n").map(|m| m.as_str()) {
        Some("最后") => -1,
        Some(x) => i32::try_from(small_number(x)?).ok()?,
        None => return None,
    };
    Some(Expr::NthWeekday {
        month: Box::new(month),
        weekday: weekday_number(c.name("wd")?.as_str())?,
        n,
    })
}

/// The amount of a duration or offset: Some(number string), or None when vague (数, 几).
fn amount(c: &Captures) -> Option<Option<Num>> {
    let mut n = match c.name("n").map(|m| m.as_str()) {
        Some("数" | "几" | "若干" | "好几") => return Some(None),
        Some(x) => parse_numeral(x)?,
        None => Num::ZERO,
    };
    if c.name("half").is_some() || c.name("half2").is_some() {
        n = n.checked_add(Num::new(5, 1)?)?;
    }
    if n.is_zero() {
        return None;
    }
    Some(Some(n))
}

fn ago(c: &Captures, _s: &Scan) -> Option<Expr> {
    let unit = unit_of(c.name("u")?.as_str())?;
    let n = amount(c)??;
    if !n.is_integer() {
        return None;
    }
    let n = i64::try_from(n.as_int()?).ok()?;
    // 2025年以前 is "before 2025", not two thousand years ago.
    if n > 200 {
        return None;
    }
    let dir = c.name("dir")?.as_str();
    let sign = if dir.contains('前') { -1 } else { 1 };
    Some(Expr::Ago {
        amount: sign * n,
        unit,
        base_days: 0,
    })
}

fn span(c: &Captures, _s: &Scan) -> Option<Expr> {
    let unit = unit_of(c.name("u")?.as_str())?;
    let n = i64::try_from(amount(c)??.as_int()?).ok()?;
    // 未来五年, 过去十年, 近30年: news means a length of time, not days counted from the
    // publication day (the article never said them).
    if unit == "Y" {
        return Some(Expr::Duration {
            amount: Some(n.to_string()),
            unit,
        });
    }
    let forward = matches!(
        c.name("dir")?.as_str(),
        "未来" | "今后" | "接下来" | "接下来的" | "后"
    );
    Some(Expr::Span {
        amount: n,
        unit,
        forward,
    })
}

fn duration(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    let u = c.name("u")?.as_str();
    let unit = unit_of(u)?;
    let prev = before(s.text, m0.start());
    // 第三年 is an ordinal, 2068 is part of a bigger number; 三年级 is a school grade.
    if prev.is_some_and(|ch| ch == '第' || ch.is_ascii_digit() || ch == '.') {
        return None;
    }
    if after(s.text, m0.end())
        .is_some_and(|ch| matches!(ch, '级' | '代' | '度' | '份' | '底' | '初' | '末' | '中'))
        && u == "年"
    {
        return None;
    }
    let raw = c.name("n").map(|m| m.as_str()).unwrap_or("");
    // 2025年半导体: a written year is never the amount of a duration, half or not.
    if u == "年" && raw.chars().filter(|ch| ch.is_ascii_digit()).count() >= 3 {
        return None;
    }
    // A written year (2025年, 08年) is a date, not a duration.
    if u == "年" && c.name("half").is_none() && c.name("half2").is_none() {
        let digits = raw.chars().filter(|ch| ch.is_ascii_digit()).count();
        if digits >= 3
            || (digits == 2 && raw.starts_with('0'))
            || (raw.chars().count() >= 2
                && raw.chars().all(|ch| "〇零一二三四五六七八九".contains(ch))
                && !raw.starts_with(['一', '两']))
        {
            return None;
        }
    }
    // `6月` is June; only `6个月` is a duration of months.
    if u == "月" && c.name("ge").is_none() {
        return None;
    }
    let n = amount(c)?;
    Some(Expr::Duration {
        amount: n.map(|n| n.to_string()),
        unit,
    })
}

fn holiday(c: &Captures, _s: &Scan) -> Option<Expr> {
    let rule = HOLIDAYS.get(c.name("hol")?.as_str())?.clone();
    let year = match year_part(c) {
        Some(y) => y?,
        None => YearRef::Missing,
    };
    Some(Expr::Holiday { year, rule })
}

fn year_range(c: &Captures, s: &Scan) -> Option<Expr> {
    if before(s.text, c.get(0)?.start()).is_some_and(|ch| ch.is_ascii_digit()) {
        return None;
    }
    let a = year_number(c.name("y1")?.as_str())?;
    let b = year_number(c.name("y2")?.as_str())?;
    if b <= a {
        return None;
    }
    let cal = |y| Expr::Cal {
        year: YearRef::Abs(y),
        month: None,
        day: None,
    };
    Some(Expr::Range(Box::new(cal(a)), Box::new(cal(b))))
}

fn decade(c: &Captures, _s: &Scan) -> Option<Expr> {
    let century = match c.name("c") {
        Some(m) => i32::try_from(small_number(m.as_str())?).ok()?,
        None => 20,
    };
    if !(1..=30).contains(&century) {
        return None;
    }
    match c.name("dec") {
        Some(d) => {
            let tens = i32::try_from(small_number(d.as_str())?).ok()?;
            if tens % 10 != 0 || tens > 90 {
                return None;
            }
            let first = (century - 1) * 100 + tens;
            Some(Expr::Years {
                first,
                last: first + 9,
            })
        }
        None => {
            c.name("c")?;
            let first = (century - 1) * 100;
            Some(Expr::Years {
                first,
                last: first + 99,
            })
        }
    }
}

/// 年初, 年底, 年中 alone: a part of the narrative's (or document's) year, at year granularity.
fn year_part_word(c: &Captures, s: &Scan) -> Option<Expr> {
    // 多年中, 三年底, 同年底: the 年 belongs to the word before.
    if before(s.text, c.get(0)?.start()).is_some_and(|ch| {
        "多几数每些同当前后".contains(ch)
            || crate::recognize::numeral::is_numeral_char(ch)
            || ch.is_ascii_digit()
    }) {
        return None;
    }
    Some(Expr::Cal {
        year: YearRef::Missing,
        month: None,
        day: None,
    })
}

fn nth_week_or_month(c: &Captures, _s: &Scan) -> Option<Expr> {
    let year = year_part(c)??;
    let n = small_number(c.name("n")?.as_str())?;
    match c.name("u")?.as_str() {
        "周" if (1..=53).contains(&n) => Some(Expr::IsoWeek { year, n: n as i32 }),
        "个月" if (1..=12).contains(&n) => Some(Expr::Cal {
            year,
            month: Some(MonthRef::Abs(n)),
            day: None,
        }),
        _ => None,
    }
}

fn year_slice(c: &Captures, _s: &Scan) -> Option<Expr> {
    let year = year_part(c)??;
    let amount = small_number(c.name("n")?.as_str())?;
    let unit = unit_of(c.name("u")?.as_str())?;
    Some(Expr::YearSlice {
        year,
        amount,
        unit,
        first: c.name("fl")?.as_str() == "前",
    })
}

/// The month of a match: `m` (written), `rm` (relative word), else this month.
fn month_of(c: &Captures) -> Option<Expr> {
    let year = match year_part(c) {
        Some(y) => y?,
        None => YearRef::Missing,
    };
    let month = match (c.name("m"), c.name("rm")) {
        (Some(m), _) => {
            let m = small_number(m.as_str())?;
            if !(1..=12).contains(&m) {
                return None;
            }
            MonthRef::Abs(m)
        }
        (None, Some(r)) => MonthRef::Rel(rel_month(r.as_str())?),
        (None, None) => MonthRef::Rel(0),
    };
    Some(Expr::Cal {
        year,
        month: Some(month),
        day: None,
    })
}

/// 上半月 (1-15), 下半月 (16-end), 上旬 (1-10), 中旬 (11-20), 下旬 (21-end) of a month,
/// this month when none is written.
fn month_part(c: &Captures, _s: &Scan) -> Option<Expr> {
    let (first, last) = match c.name("part")?.as_str() {
        "上半月" => (1, Some(15)),
        "下半月" => (16, None),
        "上旬" => (1, Some(10)),
        "中旬" => (11, Some(20)),
        _ => (21, None),
    };
    Some(Expr::MonthPart {
        month: Box::new(month_of(c)?),
        first,
        last,
    })
}

/// 9月第二周, 下个月的最后一周: a Monday-to-Sunday week of a month.
fn month_week(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n = match c.name("n") {
        Some(n) => i32::try_from(small_number(n.as_str())?).ok()?,
        None => -1,
    };
    Some(Expr::MonthWeek {
        month: Box::new(month_of(c)?),
        n,
    })
}

/// 上半周 (Monday to Wednesday) and 下半周 (Thursday to Sunday) of this week, or of the
/// week the prefix names (下周上半周).
fn half_week(c: &Captures, s: &Scan) -> Option<Expr> {
    let Expr::Weekday { pick, .. } = weekday_of(c, s, 1)? else {
        return None;
    };
    let (a, b) = if c.name("part")?.as_str() == "上半周" {
        (1, 3)
    } else {
        (4, 7)
    };
    let day = |weekday| Box::new(Expr::Weekday { weekday, pick });
    Some(Expr::Range(day(a), day(b)))
}

/// 三天内, 一周之内, 6个月以内: a deadline from the document day in a sentence that looks
/// ahead, a length of time elsewhere (decided on resolution, by the tense).
fn within(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    // 日内瓦 is Geneva; a numeral glued in front belongs to something else.
    if after(s.text, m0.end()) == Some('瓦')
        || before(s.text, m0.start()).is_some_and(crate::recognize::numeral::is_numeral_char)
    {
        return None;
    }
    let amount = i64::try_from(parse_numeral(c.name("n")?.as_str())?.as_int()?).ok()?;
    if !(1..=10_000).contains(&amount) {
        return None;
    }
    // 2025年内 is "within the year 2025": the year, found by the calendar rule.
    if c.name("u")?.as_str() == "年"
        && c.name("n")?
            .as_str()
            .bytes()
            .filter(u8::is_ascii_digit)
            .count()
            >= 4
    {
        return None;
    }
    let unit = match c.name("u")?.as_str() {
        "年" => "Y",
        "个月" => "M",
        "周" | "个星期" | "个礼拜" => "W",
        _ => "D",
    };
    Some(Expr::Within { amount, unit })
}

/// 本周晚些时候 (later this week), 本周早些时候 (earlier this week), 本周余下时间 (the
/// rest of the week).
fn week_rest(c: &Captures, _s: &Scan) -> Option<Expr> {
    let w = c.name("w")?.as_str();
    let rest = w.starts_with('余') || w.starts_with('剩');
    let later = rest || w.starts_with('晚') || w.starts_with("稍后");
    Some(Expr::WeekRest { later, rest })
}

/// 这一年, 同年: the year the story is in (the narrative's year, else the document's).
fn same_year(c: &Captures, s: &Scan) -> Option<Expr> {
    // 这年头 is "these days"; 这一年来 "over the past year" (a length of time).
    if after(s.text, c.get(0)?.end()).is_some_and(|ch| ch == '头' || ch == '来') {
        return None;
    }
    Some(Expr::Cal {
        year: YearRef::Missing,
        month: None,
        day: None,
    })
}

fn minguo(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n = i32::try_from(small_number(c.name("n")?.as_str())?).ok()?;
    Some(Expr::Cal {
        year: YearRef::Abs(1911 + n),
        month: None,
        day: None,
    })
}

/// The Chinese rules, compiled once.
pub(super) static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let yp = format!(r"(?:(?P<y>{YEAR})\s*年|(?P<ry>{REL_YEAR}))");
    let reports: Vec<&str> = REPORTS
        .keys()
        .map(String::as_str)
        .filter(|w| !w.is_ascii())
        .collect();
    let lead = comparison_words(CompareRole::Lead, true);
    let marker = comparison_words(CompareRole::Marker, true);
    let base = comparison_words(CompareRole::Base, true);
    let same = comparison_words(CompareRole::Same, true);
    let fy = r"(?:(?P<fy>[0-9]{4}|[0-9]{2}|[〇零一二三四五六七八九]{2,4})\s*(?:财年|财政年度|会计年度)|(?P<rf>本|今|上一?|下一?)(?:财年|财政年度|会计年度))";
    let zh_rel: Vec<&str> = RELATIVE.keys().copied().filter(|w| !w.is_ascii()).collect();
    let zh_hol: Vec<&str> = HOLIDAYS
        .keys()
        .map(String::as_str)
        .filter(|w| !w.is_ascii())
        .collect();
    let num = r"[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十两百千零〇]+";
    let units = UNITS;
    let rule = |re: String, parse: fn(&Captures, &Scan) -> Option<Expr>| Rule::new(re, parse);
    vec![
        // 2025年9月3日, 9月3号, 今年6月, 本月十日, 2025年, 去年, 2025年底
        rule(format!(r"{yp}\s*(?:(?P<m>{MD})\s*月份?\s*(?:(?P<d>{MD})\s*[日号]|(?P<d3>{MD}))?|(?P<rm>{REL_MONTH})\s*(?:(?P<d2>{MD})\s*[日号])?)?(?:初|底|末)?"), calendar_any),
        rule(format!(r"(?:(?P<m>{MD})\s*月份?|(?P<rm>{REL_MONTH}))\s*(?:(?P<d>{MD})\s*[日号])?"), calendar),
        // 第三季度, 三季度, 2025年第一季, Q3, 上半年, 2017年下半年, H1
        rule(format!(r"(?:{yp})?\s*的?\s*(?:第?(?P<q>[一二三四1-4])季度|第(?P<q2>[一二三四1-4])季|(?P<h>上半年|下半年|前半年|后半年))"), quarter_or_half_any),
        rule(format!(r"(?:{yp})?\s*(?:[Qq](?P<q>[1-4])|(?P<h>H1|H2))"), latin_quarter_or_half),
        rule(alternation(zh_rel.iter().copied()).to_string(), relative_word),
        rule(r"(?P<wk>上上个?|下下个?|上个?|下个?|这个?|本|今个?)?\s*(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])".into(), weekday),
        rule(format!(r"(?:{yp})?\s*(?P<m>{MD})月的?第?(?P<n>[一二三四五1-5]|最后)一?个(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])"), nth_weekday),
        rule(format!(r"(?P<n>{num}|数|几|好几)\s*(?P<half>个半)?(?P<u>个月|年|天|周|个星期|个礼拜|星期)(?P<half2>半)?多?\s*(?P<dir>之前|以前|之后|以后|前|后)"), ago_any),
        rule(format!(r"(?P<dir>过去|最近|近|未来|今后|接下来的?)\s*(?P<n>{num})\s*(?P<u>个月|年|天|周|个星期)"), span),
        rule(r"(?P<dir>前|后)\s*(?P<n>[0-9]+|[一二三四五六七八九十两]+)\s*(?P<u>天|周|个星期|年)".to_string(), span_short),
        rule(format!(r"(?P<n>{num}|数|几|好几|若干)?\s*(?P<ge>个)?(?P<half>半)?\s*(?P<u>{units})(?P<half2>半)?多?"), duration_any).passing(duration_has_count),
        rule(format!(r"(?:{yp})?(?P<hol>{})", alternation(zh_hol.iter().copied())), holiday),
        rule(r"(?P<wk>上上个?|下下个?|上个?|下个?|这个?|本|今个?)?(?:周末|星期末|礼拜末)".into(), weekend),
        rule(r"(?P<y1>[0-9]{4})\s*(?:年)?\s*[-–—~～至到]\s*(?P<y2>[0-9]{4})\s*年".into(), year_range),
        rule(r"(?:(?P<c>[0-9]{1,2}|[一二三四五六七八九十二]{1,3})世纪)?(?P<dec>[一二三四五六七八九]十|[1-9]0)年代".into(), decade),
        rule(r"(?P<c>[0-9]{1,2}|[一二三四五六七八九十二]{1,3})世纪".into(), decade),
        rule(r"年初|年底|年末|年中".into(), year_part_word),
        rule(format!(r"{yp}\s*的?\s*第(?P<n>[一二三四五六七八九十0-9]{{1,3}})(?P<u>周|个月)"), nth_week_or_month),
        rule(format!(r"{yp}\s*的?\s*(?P<fl>前|最后)\s*(?P<n>[0-9]{{1,2}}|[一二三四五六七八九十两]{{1,3}})\s*(?P<u>周|个星期|个月|天)"), year_slice),
        rule(r"民国(?P<n>[0-9]{1,3}|[一二三四五六七八九十百]+)年".into(), minguo),
        // 上半月, 9月下旬, 本月中旬, 2025年3月上旬
        rule(format!(r"(?:(?:{yp})?\s*(?P<m>{MD})\s*月份?|(?P<rm>{REL_MONTH}))?\s*的?\s*(?P<part>上半月|下半月|上旬|中旬|下旬)"), month_part),
        // 9月第二周, 下个月的最后一周
        rule(format!(r"(?:{yp})?\s*(?:(?P<m>{MD})\s*月份?|(?P<rm>{REL_MONTH}))\s*的?\s*(?:第(?P<n>[一二三四五1-5])|最后一)\s*(?:周|个星期|个礼拜)"), month_week),
        // 上半周, 下周下半周
        rule(r"(?P<wk>上上个?|下下个?|上个?|下个?|这个?|本|今个?)?(?:周|星期|礼拜)?(?P<part>上半周|下半周)".into(), half_week),
        rule(r"这一年|同年|这年".into(), same_year),
        rule(r"(?:本周|这周|这个星期|本星期)(?:的)?(?P<w>晚些时候|稍后|早些时候|稍早|余下时间|余下的时间|剩余时间|剩下的时间)".into(), week_rest),
        rule(r"(?P<n>[0-9]{1,4}|[一二三四五六七八九十两百]{1,4})\s*(?P<u>个月|年|天|日|周|个星期|个礼拜)\s*(?:之内|以内|内)".into(), within),
        // 2025年半年报, 2024年度, 一季报; 半年报 alone is a report, not half a year.
        rule(format!(r"(?:{yp}\s*的?|(?P<yy>[0-9]{{4}}))?(?P<rep>{})", alternation(reports.iter().copied())), report),
        // 同比去年, 较上年同期, 上年同期: a comparison base, not a date.
        rule(format!(r"(?:{lead}|{marker})\s*(?:{base})(?:\s*{same})?|(?:{base})\s*{same}"), mask),
        // 今(18)日, 昨(17)日, 本(11)月: the bracketed number is the day or month.
        rule(r"(?P<w>今|昨|前|明|后|次|本|上|下|去)\s*\(\s*(?P<n>[0-9]{1,4})\s*\)\s*(?P<u>日|号|月|年)".into(), bracketed),
        // 今年前9月, 前三季度, 前3季, 2025年前7个月
        rule(format!(r"(?:{yp}\s*的?)?前\s*(?P<n>[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*(?P<u>个月|月份|月|个季度|季度|季)"), cumulative),
        // 1至7月份, 2025年1-8月, 一至三季度: from the first month (quarter) on, a cumulative
        // period; from a later one, a range.
        rule(format!(r"(?:{yp}\s*的?)?(?P<a>{MD})\s*(?:至|到|-|–|—|~)\s*(?P<b>{MD})\s*(?P<u>月份|月|季度)"), month_run),
        // 8天20时, 3天12小时: days and hours of one length.
        rule(r"(?P<d>[0-9]{1,3}|[一二三四五六七八九十两]{1,3})\s*天\s*(?P<h>[0-9]{1,2}|[一二三四五六七八九十两]{1,3})\s*(?:个)?小?时".into(), days_hours),
        // 台积电10日公布, 记者16日获悉: a day of the month alone.
        rule(r"(?P<n>[0-9]{1,2})\s*日".into(), bare_day).passing(bare_day_stands_alone),
        // 114年1月, 113年度: a Minguo (ROC) year, as Taiwan writes it (with a month or 度
        // after it: 114年 alone may be a length of time).
        rule(format!(r"(?P<n>1[0-3][0-9])\s*年(?:(?P<du>度)|\s*(?P<m>{MD})\s*月份?(?:\s*(?P<d>{MD})\s*[日号])?)"), roc_year),
        rule(r"今年以来|本年以来|今年迄今|年初至今|年初以来|今年截至目前".into(), year_to_date),
        // 2025财年第一季度, 第三财季, 上半财年, 本财年, 2025财年
        rule(format!(r"{fy}?\s*的?\s*(?:第?(?P<q>[一二三四1-4])(?:财季|财政季度|季度|季)|(?P<h>上半|下半)(?:财年|财政年度|会计年度|年))"), fiscal).passing(says_fiscal),
        rule(fy.to_string(), fiscal),
    ]
});

/// A report's name: the period it covers where a year is written (2025年半年报 = 2025-H1) or
/// the report names its quarter (一季报); else a mask, so that 半年 inside it is no duration.
fn report(c: &Captures, _s: &Scan) -> Option<Expr> {
    let covers = *REPORTS.get(c.name("rep")?.as_str().to_lowercase().as_str())?;
    let year = match (c.name("yy"), year_part(c)) {
        (Some(y), _) => Some(YearRef::Abs(y.as_str().parse().ok()?)),
        (None, Some(y)) => Some(y?),
        (None, None) => None,
    };
    Some(report_period(year, covers))
}

/// The period a report covers (see [`report`]), shared with the English rule.
pub(crate) fn report_period(year: Option<YearRef>, covers: Covers) -> Expr {
    match (year, covers) {
        (Some(year), Covers::Part(gran, n)) => Expr::Part { year, gran, n },
        (Some(year), _) => Expr::Cal {
            year,
            month: None,
            day: None,
        },
        (None, Covers::Part(Gran::Quarter, n)) => Expr::Part {
            year: YearRef::Missing,
            gran: Gran::Quarter,
            n,
        },
        (None, _) => Expr::Mask,
    }
}

/// A comparison base (上年同期, 较去年): no date of its own.
pub(crate) fn mask(_c: &Captures, _s: &Scan) -> Option<Expr> {
    Some(Expr::Mask)
}

/// 今(18)日, 昨(17)日, 明(19)日, 本(11)月, 去(2024)年 (Taiwan and Hong Kong news).
fn bracketed(c: &Captures, _s: &Scan) -> Option<Expr> {
    let n: u32 = c.name("n")?.as_str().parse().ok()?;
    let side = match c.name("w")?.as_str() {
        "今" | "本" => 0,
        "昨" | "前" | "上" | "去" => -1,
        _ => 1,
    };
    let gran = match c.name("u")?.as_str() {
        "日" | "号" if (1..=31).contains(&n) => Gran::Day,
        "月" if (1..=12).contains(&n) => Gran::Month,
        "年" if (1000..=2999).contains(&n) => Gran::Year,
        _ => return None,
    };
    Some(Expr::Bracketed { gran, n, side })
}

/// Words ending right before 前 that make it "before" or "ago", not "the first": 此前,
/// 以前, 之前, 提前, 目前, 日前, 从前, 年前.
const NOT_FIRST: &str = "此以之提目日从年月天周当事空史生面眼跟门";

/// 今年前9月, 前三季度, 前3季: the first n months or quarters of a year.
fn cumulative(c: &Captures, s: &Scan) -> Option<Expr> {
    let year = match year_part(c) {
        Some(y) => y?,
        None => {
            let start = c.get(0)?.start();
            if before(s.text, start).is_some_and(|ch| NOT_FIRST.contains(ch)) {
                return None;
            }
            YearRef::Missing
        }
    };
    let last = small_number(c.name("n")?.as_str())?;
    let gran = if c.name("u")?.as_str().contains('季') {
        Gran::Quarter
    } else {
        Gran::Month
    };
    let max = if gran == Gran::Quarter { 4 } else { 12 };
    (1..=max)
        .contains(&last)
        .then_some(Expr::Cumulative { year, gran, last })
}

/// 1至7月份, 2025年3-5月, 一至三季度: from the first month (or quarter) a cumulative period,
/// else a range of months (quarters).
fn month_run(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if before(s.text, m0.start()).is_some_and(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-') {
        return None;
    }
    let year = match year_part(c) {
        Some(y) => y?,
        None => YearRef::Missing,
    };
    let (a, b) = (
        small_number(c.name("a")?.as_str())?,
        small_number(c.name("b")?.as_str())?,
    );
    let quarter = c.name("u")?.as_str() == "季度";
    let max = if quarter { 4 } else { 12 };
    if !(1..=max).contains(&a) || !(a..=max).contains(&b) || a == b {
        return None;
    }
    let gran = if quarter { Gran::Quarter } else { Gran::Month };
    if a == 1 {
        return Some(Expr::Cumulative {
            year,
            gran,
            last: b,
        });
    }
    let at = |n: u32| {
        Box::new(if quarter {
            Expr::Part { year, gran, n }
        } else {
            Expr::Cal {
                year,
                month: Some(MonthRef::Abs(n)),
                day: None,
            }
        })
    };
    Some(Expr::Range(at(a), at(b)))
}

/// 8天20时: days and hours (时 alone is an hour only after days: 20时 is also 8 p.m.).
fn days_hours(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if before(s.text, m0.start()).is_some_and(|ch| ch.is_ascii_digit() || ch == '.')
        || after(s.text, m0.end()).is_some_and(|ch| ch == '间' || ch == '候' || ch == '期')
    {
        return None;
    }
    let d = parse_numeral(c.name("d")?.as_str())?;
    let h = parse_numeral(c.name("h")?.as_str())?;
    if d.is_zero() || h.is_zero() {
        return None;
    }
    Some(Expr::Compound(vec![
        (d.to_string(), "D"),
        (h.to_string(), "H"),
    ]))
}

/// Words before a bare day that make it something else: 第10日, 每10日, 数10日.
const NOT_BEFORE_DAY: &str = "第每个数几多近逾超约(（";
/// Words after a bare day that make it a length of time: 10日内, 3日游, 5日均线, 7日以来.
const NOT_AFTER_DAY: &str = "内游均元间以之前后左线天份(（";

/// 台积电10日公布: a day of the month written alone (Arabic digits only: 十日 is as often
/// ten days).
fn bare_day(c: &Captures, s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?;
    if !bare_day_stands_alone(s.text, m0.start(), m0.end()) {
        return None;
    }
    let n: u32 = c.name("n")?.as_str().parse().ok()?;
    (1..=31).contains(&n).then_some(Expr::BareDay { n })
}

/// A bare day's match at `start..end` has none of the words around it that make it something
/// else ([`NOT_BEFORE_DAY`], [`NOT_AFTER_DAY`]), nor a number glued before it: what
/// `bare_day` asks first, and its rule's [`Rule::passes`].
fn bare_day_stands_alone(text: &str, start: usize, end: usize) -> bool {
    !(before(text, start).is_some_and(|ch| {
        ch.is_ascii_digit() || ".-/:月".contains(ch) || NOT_BEFORE_DAY.contains(ch)
    }) || after(text, end).is_some_and(|ch| NOT_AFTER_DAY.contains(ch)))
}

/// 114年1月, 113年度: a Minguo year (1911 + n) with a month or 度 after it.
fn roc_year(c: &Captures, s: &Scan) -> Option<Expr> {
    if before(s.text, c.get(0)?.start()).is_some_and(|ch| ch.is_ascii_digit() || ch == '.') {
        return None;
    }
    let n: i32 = c.name("n")?.as_str().parse().ok()?;
    let month = match c.name("m") {
        Some(m) => Some(MonthRef::Abs(
            small_number(m.as_str()).filter(|m| (1..=12).contains(m))?,
        )),
        None => None,
    };
    let day = match c.name("d") {
        Some(d) => Some(small_number(d.as_str()).filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    Some(Expr::Cal {
        year: YearRef::Abs(1911 + n),
        month,
        day,
    })
}

/// 今年以来, 年初至今: from the first day of the year to the document day.
pub(crate) fn year_to_date(_c: &Captures, _s: &Scan) -> Option<Expr> {
    Some(Expr::YearToDate)
}

/// 2025财年第一季度, 第三财季, 上半财年, 本财年, 2025财年: a fiscal period. Only where the
/// text says fiscal (财年, 财季): 第一季度 alone is a calendar quarter.
fn fiscal(c: &Captures, _s: &Scan) -> Option<Expr> {
    let m0 = c.get(0)?.as_str();
    let year = match (c.name("fy"), c.name("rf")) {
        (Some(y), _) => YearRef::Abs(year_number(y.as_str())?),
        (None, Some(r)) => YearRef::Rel(match r.as_str() {
            "本" | "今" => 0,
            r if r.starts_with('上') => -1,
            _ => 1,
        }),
        (None, None) => {
            if !(m0.contains("财") || m0.contains("会计")) {
                return None;
            }
            YearRef::Missing
        }
    };
    let (gran, n) = match (c.name("q"), c.name("h")) {
        (Some(q), _) => (Gran::Quarter, small_number(q.as_str())?),
        (None, Some(h)) => (Gran::Half, if h.as_str() == "上半" { 1 } else { 2 }),
        (None, None) => (Gran::Year, 0),
    };
    Some(Expr::Fiscal { year, gran, n })
}

/// `calendar` for the year-first rule, whose day group is split in two (after an absolute
/// or a relative month).
fn calendar_any(c: &Captures, s: &Scan) -> Option<Expr> {
    let e = calendar(c, s)?;
    // 二〇〇四年八月十五: a day without 日 only after a written year and month, and not
    // followed by a counter or another numeral (八月十五万).
    if let Some(d) = c.name("d3") {
        let next = after(s.text, d.end());
        if next.is_some_and(|ch| {
            ch.is_ascii_digit()
                || crate::recognize::numeral::is_numeral_char(ch)
                || "个万亿元年月天周日号%".contains(ch)
        }) {
            return None;
        }
        let Expr::Cal { year, month, .. } = e else {
            return None;
        };
        let v = small_number(d.as_str())?;
        return (1..=31).contains(&v).then_some(Expr::Cal {
            year,
            month,
            day: Some(v),
        });
    }
    match (e, c.name("d2")) {
        (
            Expr::Cal {
                year,
                month,
                day: None,
            },
            Some(d),
        ) => {
            let v = small_number(d.as_str())?;
            (1..=31).contains(&v).then_some(Expr::Cal {
                year,
                month,
                day: Some(v),
            })
        }
        (e, _) => Some(e),
    }
}

fn quarter_or_half_any(c: &Captures, s: &Scan) -> Option<Expr> {
    // 前三季度 is "the first three quarters", not Q3.
    let m0 = c.get(0)?;
    if c.name("y").is_none() && c.name("ry").is_none() && before(s.text, m0.start()) == Some('前')
    {
        return None;
    }
    if let Some(q) = c.name("q2") {
        let year = match year_part(c) {
            Some(y) => y?,
            None => YearRef::Missing,
        };
        return Some(Expr::Part {
            year,
            gran: Gran::Quarter,
            n: small_number(q.as_str())?,
        });
    }
    quarter_or_half(c, s)
}

fn latin_quarter_or_half(c: &Captures, s: &Scan) -> Option<Expr> {
    // Q3 / H1 as a word of its own: not inside FAQ3 or H100.
    let m0 = c.get(0)?;
    let letter = match (c.name("q"), c.name("h")) {
        (Some(q), _) => q.start().saturating_sub(1),
        (None, Some(h)) => h.start(),
        _ => return None,
    };
    if before(s.text, letter).is_some_and(|ch| ch.is_ascii_alphanumeric())
        || after(s.text, m0.end()).is_some_and(|ch| ch.is_ascii_alphanumeric())
    {
        return None;
    }
    quarter_or_half(c, s)
}

fn ago_any(c: &Captures, s: &Scan) -> Option<Expr> {
    // `6月前` is "before June"; only `6个月前` counts months.
    if c.name("u").map(|u| u.as_str()) == Some("月") {
        return None;
    }
    if before(s.text, c.get(0)?.start()).is_some_and(|ch| ch.is_ascii_digit()) {
        return None;
    }
    ago(c, s)
}

fn span_short(c: &Captures, s: &Scan) -> Option<Expr> {
    // 前3天 / 后1年 only at a word start: not inside 以前3天, 之后.
    if before(s.text, c.get(0)?.start()).is_some_and(|ch| {
        matches!(ch, '以' | '之' | '日' | '天' | '年' | '月') || ch.is_ascii_digit()
    }) {
        return None;
    }
    // 前3年 / 后1年 count from the document day (a range), unlike 过去三年 (a length).
    let unit = unit_of(c.name("u")?.as_str())?;
    let amount = i64::try_from(amount(c)??.as_int()?).ok()?;
    Some(Expr::Span {
        amount,
        unit,
        forward: c.name("dir")?.as_str() == "后",
    })
}

fn duration_any(c: &Captures, s: &Scan) -> Option<Expr> {
    if c.name("n").is_none() && c.name("half").is_none() {
        return None;
    }
    // 周三, 星期五 are weekdays; 一周 alone is a duration.
    let u = c.name("u")?.as_str();
    if matches!(u, "周" | "星期" | "礼拜")
        && after(s.text, c.get(0)?.end()).is_some_and(|ch| "一二三四五六日天".contains(ch))
    {
        return None;
    }
    duration(c, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `duration_has_count` relies on: [`BARE_UNIT_STARTS`] are the first characters of
    /// the units but 个, and no other part of the duration rule before the unit (a number,
    /// 数, 几, 好几, 若干, 个, 半, a space) begins with one.
    #[test]
    fn bare_unit_starts_are_the_units_own() {
        let mut starts: Vec<char> = UNITS
            .split('|')
            .filter_map(|u| u.chars().next())
            .filter(|&c| c != '个')
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let mut listed: Vec<char> = BARE_UNIT_STARTS.chars().collect();
        listed.sort_unstable();
        assert_eq!(starts, listed);
        let rule = RULES
            .iter()
            .find(|r| r.pattern().contains(UNITS))
            .expect("the duration rule");
        assert!(rule.passes.is_some());
        for c in BARE_UNIT_STARTS.chars() {
            for lead in [String::new(), "今".into(), "3".into()] {
                // A match starting at the unit character has no count.
                let t = format!("{lead}{c}钟头半多");
                let at = lead.len();
                if let Some(m) = rule.regex().captures_at(&t, at) {
                    if m.get(0).is_some_and(|m0| m0.start() == at) {
                        assert!(m.name("n").is_none() && m.name("half").is_none(), "{t:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn small_numbers() {
        assert_eq!(small_number("廿"), Some(20));
        assert_eq!(small_number("廿三"), Some(23));
        assert_eq!(small_number("十二"), Some(12));
        assert_eq!(small_number("09"), Some(9));
    }

    #[test]
    fn years() {
        assert_eq!(year_number("二〇二五"), Some(2025));
        assert_eq!(year_number("08"), Some(2008));
        assert_eq!(year_number("零八"), Some(2008));
        assert_eq!(year_number("两千零四"), Some(2004));
        assert_eq!(year_number("三六七"), Some(367));
    }
}
