//! What a date expression says, before resolution ([`Expr`]), and its resolution against
//! the anchors of its place in the text ([`Anchors`]) into SPEC values ([`Resolved`]).
//!
//! The pattern modules (`zh`, `en`) only describe; every calendar decision is made here.

use chrono::{Datelike, Duration, NaiveDate};

use super::lexicon::{HolidayRule, LUNAR};
use super::period::{nth_weekday, Gran, Period};
use super::tense::Tense;
use crate::document::DateKind;
use crate::document::NSpan;

/// The year of a calendar expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRef {
    /// Written out: 2025年, in 2025.
    Abs(i32),
    /// Relative to the document date: 今年 = 0, 去年 = -1, next year = 1.
    Rel(i32),
    /// Not said: taken from the narrative or the document date.
    Missing,
}

/// The month of a calendar expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthRef {
    Abs(u32),
    /// Relative to the anchor month: 本月 = 0, 上个月 = -1.
    Rel(i32),
}

/// How a weekday is picked relative to the anchor day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekdayPick {
    /// That weekday of the anchor's week moved by n weeks (周三 = 0, 上周三 = -1).
    Week(i32),
    /// The next occurrence strictly after the anchor (this coming Friday).
    Next,
    /// The latest occurrence strictly before the anchor (this past Wednesday).
    Prev,
    /// A bare weekday in a report: the anchor day itself or the latest one before it.
    OnOrBefore,
    /// A bare weekday in a plan: the anchor day itself or the next one after it.
    OnOrAfter,
    /// A weekday without a modifier: `OnOrAfter` where the tense points forward, else
    /// `OnOrBefore`.
    Bare,
}

/// A temporal expression as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Year, month, day as far as written (at least one of them).
    Cal {
        year: YearRef,
        month: Option<MonthRef>,
        day: Option<u32>,
    },
    /// A quarter (n = 1..4) or half (n = 1..2) of a year.
    Part { year: YearRef, gran: Gran, n: u32 },
    /// A deictic period: 今天 (day 0), 上周 (week -1), 本季度, last month.
    Rel { gran: Gran, offset: i32 },
    /// A weekday: 周三, 上周三, last Tuesday.
    Weekday { weekday: u32, pick: WeekdayPick },
    /// The n-th weekday of a month: 十月的第一个星期一, the first Friday of next month.
    NthWeekday {
        month: Box<Expr>,
        weekday: u32,
        n: i32,
    },
    /// A day moved from the document date (itself first moved by `base_days`, for "two days
    /// after tomorrow"): 三天前 (-3 D), two years ago (-2 Y).
    Ago {
        amount: i64,
        unit: &'static str,
        base_days: i64,
    },
    /// An ISO week of a year: week 31, the first week of 2015 (n = -1: the last week).
    IsoWeek { year: YearRef, n: i32 },
    /// The first or last n months, weeks (ISO) or days of a year: 去年的前10天, the last four months of 2021.
    YearSlice {
        year: YearRef,
        amount: u32,
        unit: &'static str,
        first: bool,
    },
    /// Calendar decades around the document date: this decade (0), the next two decades (2),
    /// the last decade (-1).
    Decades { amount: i32 },
    /// The last or next n whole quarters: the past two quarters, the next 7 quarters.
    Quarters { amount: i64, forward: bool },
    /// A day moved from another point: "2 weeks before Christmas", "2 years 1 month 21 days ago".
    Offset {
        base: Box<Expr>,
        parts: Vec<(i64, &'static str)>,
    },
    /// The document day as the end of a range: "between Jan 2019 and now", "to date".
    Now,
    /// From the document date up to n units on: "within 9 months".
    Within { amount: i64, unit: &'static str },
    /// The last / next n units up to / from the document date: 过去十年, next 3 days.
    Span {
        amount: i64,
        unit: &'static str,
        forward: bool,
    },
    /// A holiday in a (possibly missing) year.
    Holiday { year: YearRef, rule: HolidayRule },
    /// The holiday's latest occurrence before the document date, or its next one after it
    /// (last Easter, next Christmas).
    HolidayNear { rule: HolidayRule, forward: bool },
    /// A fixed run of years: a decade (1990s) or century (21st century).
    Years { first: i32, last: i32 },
    /// A length of time: amount as an ISO 8601 number string (None = vague), unit designator.
    Duration {
        amount: Option<String>,
        unit: &'static str,
    },
    /// A length of time in several units, largest first: 一年又三个月, 2 years 21 days.
    Compound(Vec<(String, &'static str)>),
    /// From one expression to another (inclusive).
    Range(Box<Expr>, Box<Expr>),
    /// Days `first` to `last` (None: its last day) of a month: 上半月 (1-15), 下旬 (21-end).
    MonthPart {
        month: Box<Expr>,
        first: u32,
        last: Option<u32>,
    },
    /// The n-th Monday-to-Sunday week of a month, week 1 being the one that holds its first
    /// Thursday (n = -1: the one holding its last Thursday): 9月第二周, the first week of March.
    MonthWeek { month: Box<Expr>, n: i32 },
    /// A part of a fiscal year (`gran` Quarter or Half, n its number) or the whole fiscal year
    /// (`gran` Year): 第三财季, fiscal third quarter, 上半财年, FY2024. The fiscal calendar of a
    /// company is not known, so the value names the fiscal period (`FY2025-Q3`), not months.
    Fiscal { year: YearRef, gran: Gran, n: u32 },
    /// The months (or quarters) of a year up to the `last`-th: 1至7月份, 今年前9月, 前三季度,
    /// the first nine months.
    Cumulative {
        year: YearRef,
        gran: Gran,
        last: u32,
    },
    /// From the first day of the document's year to the document day: year to date, 今年以来.
    YearToDate,
    /// Taiwan and Hong Kong news style: a relative word with the day (or month, or year)
    /// written in brackets, `今(18)日`, `昨(17)日`, `本(11)月`: the bracketed number wins, the
    /// word says on which side of the document date it lies (0 = the nearest, -1 before,
    /// +1 after).
    Bracketed { gran: Gran, n: u32, side: i32 },
    /// A day of the month written alone (`台积电10日公布`, `记者16日获悉`): the month and year
    /// are the narrative's point (a date earlier in the paragraph) or the document date's,
    /// on the side the tense points to.
    BareDay { n: u32 },
    /// Not a date, though it looks like one: a comparison base (`a year earlier`, `上年同期`,
    /// `year-on-year`) or the name of a report (`半年报`, `quarterly results`). It wins the
    /// overlap against the shorter date inside it and is then dropped.
    Mask,
    /// A stretch of the document's week: the rest of it from the document day (`rest`: the
    /// rest of the week), its later half from Thursday on (`later`: later this week, 下半周),
    /// else its earlier half up to Wednesday (earlier this week, 上半周), clipped to the
    /// days before the document day.
    WeekRest { later: bool, rest: bool },
}

impl Expr {
    /// True when the expression names a year (or a point) by itself, not by deixis.
    pub fn explicit_year(&self) -> Option<i32> {
        match self {
            Expr::Cal {
                year: YearRef::Abs(y),
                ..
            }
            | Expr::Part {
                year: YearRef::Abs(y),
                ..
            } => Some(*y),
            Expr::Range(a, b) => b.explicit_year().or(a.explicit_year()),
            _ => None,
        }
    }

    /// True for a calendar date written with an absolute month (an anchor for 上个月).
    pub fn is_explicit_point(&self) -> bool {
        matches!(
            self,
            Expr::Cal {
                month: Some(MonthRef::Abs(_)),
                year: YearRef::Abs(_) | YearRef::Missing,
                ..
            }
        )
    }
}

/// What an expression is resolved against at its place in the text.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Anchors<'t> {
    /// The document date (今天, 去年, 三天前 count from it).
    pub doc: Option<NaiveDate>,
    /// The year a year-less date takes (narrative year, else the document's).
    pub year: Option<i32>,
    /// The day month- and week-level relatives (上个月, 上周) count from: the nearest
    /// preceding explicit date of the paragraph, else the document date.
    pub point: Option<NaiveDate>,
    /// True when `year` is the document date's (no explicit year in the paragraph): a
    /// year-less date may then move to the adjacent year the tense points to.
    pub year_from_doc: bool,
    /// The tense of the expression's place (plan, report, fragment).
    pub tense: TenseAt<'t>,
}

/// A tense, known or read from the text only when a rule asks for it (most expressions
/// resolve without it, and reading it scans the sentence).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TenseAt<'t> {
    known: Option<Tense>,
    /// The text and span whose tense [`tense::at`](super::tense::at) reads, with the cell
    /// that keeps it once read.
    place: Option<(&'t str, NSpan, &'t std::cell::OnceCell<Tense>)>,
}

impl<'t> TenseAt<'t> {
    pub(crate) fn known(t: Tense) -> TenseAt<'t> {
        TenseAt {
            known: Some(t),
            place: None,
        }
    }

    /// The tense of `span` in `text`, read on first use into `cell`.
    pub(crate) fn of(
        text: &'t str,
        span: NSpan,
        cell: &'t std::cell::OnceCell<Tense>,
    ) -> TenseAt<'t> {
        TenseAt {
            known: None,
            place: Some((text, span, cell)),
        }
    }

    pub(crate) fn get(&self) -> Tense {
        match (self.known, self.place) {
            (Some(t), _) => t,
            (None, Some((text, span, cell))) => *cell.get_or_init(|| super::tense::at(text, span)),
            (None, None) => Tense::default(),
        }
    }
}

/// The SPEC fields of one resolved item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolved {
    pub kind: DateKind,
    pub value: Option<String>,
    pub end_value: Option<String>,
    pub gran: Option<Gran>,
    pub relative: bool,
    /// The period a date resolved to (for narrative anchoring).
    pub period: Option<Period>,
}

/// A range from period `p` to period `q` (both inclusive) at granularity `gran`.
fn range(p: Period, q: Period, gran: Gran, relative: bool) -> Resolved {
    Resolved {
        kind: DateKind::Range,
        value: Some(p.value()),
        end_value: Some(q.value()),
        gran: Some(gran),
        relative,
        period: None,
    }
}

/// A range of whole days from `s` to `t` (both inclusive).
fn day_range(s: NaiveDate, t: NaiveDate, relative: bool) -> Option<Resolved> {
    Some(range(
        Period::of_day(s),
        Period::of_day(t),
        Gran::Day,
        relative,
    ))
}

/// Rank of a duration unit, largest first (compound durations go down the ranks).
pub(crate) fn unit_rank(unit: &str) -> u8 {
    match unit {
        "Y" => 0,
        "M" => 1,
        "W" => 2,
        "D" => 3,
        "H" => 4,
        "MIN" => 5,
        _ => 6,
    }
}

/// The granularity of a duration unit.
pub(crate) fn unit_gran(unit: &str) -> Option<Gran> {
    match unit {
        "Y" => Some(Gran::Year),
        "M" => Some(Gran::Month),
        "W" => Some(Gran::Week),
        "D" => Some(Gran::Day),
        _ => None,
    }
}

/// ISO 8601 duration from an amount string and unit designator: P3Y, P18M, PT5H, PT30M.
pub(crate) fn iso_duration(amount: &str, unit: &str) -> String {
    match unit {
        "H" => format!("PT{amount}H"),
        "MIN" => format!("PT{amount}M"),
        "S" => format!("PT{amount}S"),
        u => format!("P{amount}{u}"),
    }
}

/// `d` moved by `n` units (Y, M, W, D).
fn move_day(d: NaiveDate, n: i64, unit: &str) -> Option<NaiveDate> {
    match unit {
        "Y" => super::period::add_months(d, n.checked_mul(12)?),
        "M" => super::period::add_months(d, n),
        "W" => d.checked_add_signed(Duration::try_weeks(n)?),
        "D" => d.checked_add_signed(Duration::try_days(n)?),
        _ => None,
    }
}

fn year_of(y: YearRef, a: &Anchors, inherit: Option<Period>) -> (Option<i32>, bool) {
    match y {
        YearRef::Abs(y) => (Some(y), false),
        YearRef::Rel(n) => (a.doc.map(|d| d.year() + n), true),
        YearRef::Missing => (inherit.map(|p| p.year_num()).or(a.year), false),
    }
}

/// Resolves a single (non-range) expression to a period; `inherit` supplies the fields a
/// range's second half leaves out (9月3日至5日). Returns the period and whether it is relative.
pub(crate) fn resolve_period(
    e: &Expr,
    a: &Anchors,
    inherit: Option<Period>,
) -> Option<(Period, bool)> {
    match e {
        Expr::Cal { year, month, day } => {
            let (y, rel_y) = year_of(*year, a, inherit);
            match (month, day) {
                (None, None) => Some((Period::year(y?)?, rel_y)),
                (Some(MonthRef::Abs(m)), None) => Some((
                    by_tense(*year, a, inherit, y?, |y| Period::month(y, *m))?,
                    rel_y,
                )),
                (Some(MonthRef::Abs(m)), Some(d)) => {
                    // A written day standing alone (`9月3日` on a line of its own) within the
                    // week before the document date is a dateline, not next year's day.
                    let a = match a.tense.get() {
                        Tense::Fragment => &Anchors {
                            tense: TenseAt::known(Tense::Future),
                            ..*a
                        },
                        _ => a,
                    };
                    Some((
                        by_tense(*year, a, inherit, y?, |y| Period::day(y, *m, *d))?,
                        rel_y,
                    ))
                }
                (Some(MonthRef::Rel(n)), d) => {
                    let base = Period::containing(Gran::Month, a.point?).shift(*n as i64)?;
                    let base = match year {
                        YearRef::Missing => base,
                        _ => Period::month(y?, base.start.month())?,
                    };
                    match d {
                        None => Some((base, true)),
                        Some(d) => {
                            Some((Period::day(base.year_num(), base.start.month(), *d)?, true))
                        }
                    }
                }
                (None, Some(d)) => {
                    // A bare day: only inside a range, taking the first half's month.
                    let p = inherit?;
                    Some((Period::day(p.year_num(), p.start.month(), *d)?, false))
                }
            }
        }
        Expr::Part { year, gran, n } => {
            let (y, rel) = year_of(*year, a, inherit);
            let p = match gran {
                Gran::Quarter => Period::quarter(y?, *n)?,
                Gran::Half => Period::half(y?, *n)?,
                _ => return None,
            };
            Some((p, rel))
        }
        Expr::Rel { gran, offset } => {
            let from = if matches!(gran, Gran::Month | Gran::Week | Gran::Quarter) {
                a.point.or(a.doc)
            } else {
                a.doc
            };
            Some((
                Period::containing(*gran, from?).shift(*offset as i64)?,
                true,
            ))
        }
        Expr::Weekday { weekday, pick } => {
            let at = a.point.or(a.doc)?;
            let wd = *weekday as i64;
            let today = at.weekday().number_from_monday() as i64;
            let d = match pick {
                WeekdayPick::Week(n) => {
                    let monday = Period::week_of(at).shift(*n as i64)?.start;
                    monday.checked_add_signed(Duration::try_days(wd - 1)?)?
                }
                WeekdayPick::Next => {
                    at.checked_add_signed(Duration::try_days((wd - today - 1).rem_euclid(7) + 1)?)?
                }
                WeekdayPick::Prev => {
                    at.checked_sub_signed(Duration::try_days((today - wd - 1).rem_euclid(7) + 1)?)?
                }
                WeekdayPick::Bare if a.tense.get().forward() => {
                    at.checked_add_signed(Duration::try_days((wd - today).rem_euclid(7))?)?
                }
                WeekdayPick::OnOrBefore | WeekdayPick::Bare => {
                    at.checked_sub_signed(Duration::try_days((today - wd).rem_euclid(7))?)?
                }
                WeekdayPick::OnOrAfter => {
                    at.checked_add_signed(Duration::try_days((wd - today).rem_euclid(7))?)?
                }
            };
            Some((Period::of_day(d), true))
        }
        Expr::NthWeekday { month, weekday, n } => {
            let (m, rel) = resolve_period(month, a, inherit)?;
            if m.gran != Gran::Month {
                return None;
            }
            let d = nth_weekday(m.year_num(), m.start.month(), *weekday, *n)?;
            Some((Period::of_day(d), rel))
        }
        Expr::MonthWeek { month, n } => {
            let (m, rel) = resolve_period(month, a, inherit)?;
            if m.gran != Gran::Month {
                return None;
            }
            // As ISO weeks belong to the year of their Thursday, a week belongs to the month
            // that holds its Thursday: week 1 holds the month's first Thursday.
            let (y, mo) = (m.year_num(), m.start.month());
            let p = if *n < 0 {
                Period::week_of(nth_weekday(y, mo, 4, -1)?)
            } else {
                Period::week_of(nth_weekday(y, mo, 4, 1)?).shift(i64::from(*n) - 1)?
            };
            (p.start <= m.last_day()).then_some((p, rel))
        }
        Expr::Now => Some((Period::of_day(a.doc?), true)),
        Expr::IsoWeek { year, n } => {
            let (y, rel) = year_of(*year, a, inherit);
            let y = y?;
            let weeks = if NaiveDate::from_isoywd_opt(y, 53, chrono::Weekday::Mon).is_some() {
                53
            } else {
                52
            };
            let n = if *n < 0 {
                weeks
            } else {
                u32::try_from(*n).ok()?
            };
            let monday = NaiveDate::from_isoywd_opt(y, n, chrono::Weekday::Mon)?;
            Some((Period::week_of(monday), rel))
        }
        Expr::Offset { base, parts } => {
            // "2 years 1 month 21 days later": the larger units move first, from the anchor.
            let (mut d, last) = match base.as_ref() {
                Expr::Ago {
                    amount,
                    unit,
                    base_days,
                } => (
                    a.doc?.checked_add_signed(Duration::try_days(*base_days)?)?,
                    Some((*amount, *unit)),
                ),
                b => (resolve_period(b, a, inherit)?.0.start, None),
            };
            for (n, u) in parts.iter().chain(last.as_ref()) {
                d = move_day(d, *n, u)?;
            }
            let rel = last.is_some() || resolve_period(base, a, inherit).is_some_and(|(_, r)| r);
            Some((Period::of_day(d), rel))
        }
        Expr::Ago {
            amount,
            unit,
            base_days,
        } => {
            let base = a.doc?.checked_add_signed(Duration::try_days(*base_days)?)?;
            Some((Period::of_day(move_day(base, *amount, unit)?), true))
        }
        Expr::HolidayNear { rule, forward } => {
            let at = a.doc?;
            let dates = (at.year() - 1..=at.year() + 1).filter_map(|y| holiday_in(rule, y));
            let d = if *forward {
                dates.filter(|d| *d > at).min()?
            } else {
                dates.filter(|d| *d < at).max()?
            };
            Some((Period::of_day(d), true))
        }
        Expr::Holiday { year, rule } => {
            let (y, rel) = year_of(*year, a, inherit);
            let p = by_tense(*year, a, inherit, y?, |y| {
                Some(Period::of_day(holiday_in(rule, y)?))
            })?;
            Some((p, rel))
        }
        Expr::BareDay { n } => {
            let p = match (a.point, a.doc) {
                // A day after an explicit date of the paragraph is of that date's month.
                (Some(p), doc) if Some(p) != doc => Period::day(p.year(), p.month(), *n)?,
                (_, Some(doc)) => {
                    let side = if a.tense.get().forward() { 1 } else { -1 };
                    bracketed(doc, Gran::Day, *n, 0)
                        .filter(|p| p.start == doc)
                        .or_else(|| bracketed(doc, Gran::Day, *n, side))?
                }
                _ => return None,
            };
            Some((p, false))
        }
        Expr::Bracketed { gran, n, side } => {
            let at = a.point.or(a.doc)?;
            Some((bracketed(at, *gran, *n, *side)?, true))
        }
        Expr::Decades { .. }
        | Expr::Fiscal { .. }
        | Expr::Cumulative { .. }
        | Expr::YearToDate
        | Expr::Mask
        | Expr::YearSlice { .. }
        | Expr::Quarters { .. }
        | Expr::Years { .. }
        | Expr::Span { .. }
        | Expr::Within { .. }
        | Expr::Duration { .. }
        | Expr::Compound(..)
        | Expr::MonthPart { .. }
        | Expr::WeekRest { .. }
        | Expr::Range(..) => None,
    }
}

/// The period `make` gives for year `y`, where a year-less date took `y` from the document
/// date: moved to the next year when its tense points forward (a plan, a fragment) and it
/// would lie wholly before the document date, to the previous year when it is reported as
/// past and would begin after the document date (`将于3月` in a November report is next
/// March; `12月发布了` in a January report is last December).
fn by_tense(
    year: YearRef,
    a: &Anchors,
    inherit: Option<Period>,
    y: i32,
    make: impl Fn(i32) -> Option<Period>,
) -> Option<Period> {
    let p = make(y)?;
    let (Some(doc), YearRef::Missing, None, true) = (a.doc, year, inherit, a.year_from_doc) else {
        return Some(p);
    };
    let (before, after) = tense_window(a.tense.get(), doc)?;
    if p.last_day() < before {
        make(y + 1)
    } else if p.start > after {
        make(y - 1)
    } else {
        Some(p)
    }
}

/// The days a year-less date may lie in without moving (see [`by_tense`]): a plan keeps a
/// date up to a week past (news of a plan trails it by days, and a misread cue must not
/// throw a date a year ahead), a report a date up to a week ahead; a fragment standing alone
/// is the next occurrence (a written day alone gets the plan's week of grace: it may be a
/// dateline), an unmarked sentence never moves.
fn tense_window(tense: Tense, doc: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let week = Duration::try_days(7)?;
    Some(match tense {
        Tense::Future => (doc.checked_sub_signed(week)?, NaiveDate::MAX),
        Tense::Fragment => (doc, NaiveDate::MAX),
        Tense::Past => (NaiveDate::MIN, doc.checked_add_signed(week)?),
        Tense::Unmarked => (NaiveDate::MIN, NaiveDate::MAX),
    })
}

/// The day a holiday falls on in year `y`.
fn holiday_in(rule: &HolidayRule, y: i32) -> Option<NaiveDate> {
    Some(match rule {
        HolidayRule::Fixed(m, d) => NaiveDate::from_ymd_opt(y, *m, *d)?,
        HolidayRule::Lunar(key) => *LUNAR.get(&(*key, y))?,
        HolidayRule::Easter(plus) => {
            super::period::easter(y)?.checked_add_signed(Duration::try_days(*plus)?)?
        }
        HolidayRule::Nth {
            month,
            weekday,
            n,
            plus,
        } => {
            nth_weekday(y, *month, *weekday, *n)?.checked_add_signed(Duration::try_days(*plus)?)?
        }
    })
}

/// Resolves any expression to the SPEC fields. Unresolvable relative expressions (no
/// document date) come back with `value: None`; impossible dates (2月30日) give `None`.
/// Each kind of expression has its own resolver below.
pub(crate) fn resolve(e: &Expr, a: &Anchors) -> Option<Resolved> {
    match e {
        Expr::Duration { amount, unit } => Some(duration(
            amount.as_deref().map(|n| iso_duration(n, unit)),
            unit_gran(unit),
        )),
        Expr::Compound(parts) => Some(compound_duration(parts)),
        Expr::Years { first, last } => {
            let (p, q) = (Period::year(*first)?, Period::year(*last)?);
            Some(range(p, q, Gran::Year, false))
        }
        Expr::Mask => None,
        Expr::Fiscal { year, gran, n } => Some(fiscal(*year, *gran, *n, a)),
        Expr::Cumulative { year, gran, last } => cumulative_months(*year, *gran, *last, a),
        Expr::YearToDate => {
            let Some(doc) = a.doc else {
                return Some(unresolved(DateKind::Range, Some(Gran::Day)));
            };
            day_range(Period::year(doc.year())?.start, doc, true)
        }
        Expr::Span {
            amount,
            unit,
            forward,
        } => span_from_doc(*amount, unit, *forward, a),
        Expr::Range(x, y) => resolve_range(x, y, a),
        Expr::MonthPart { month, first, last } => month_part(month, *first, *last, a),
        Expr::WeekRest { later, rest } => week_rest(*later, *rest, a),
        Expr::YearSlice {
            year,
            amount,
            unit,
            first,
        } => year_slice(*year, *amount, unit, *first, a),
        Expr::Decades { amount } => decades(*amount, a),
        Expr::Quarters { amount, forward } => quarters(*amount, *forward, a),
        // "within three days" / 三天内 is a deadline from the document day where the
        // sentence looks ahead (须在三天内完成, will reply within 3 days); in a report
        // (三天内涨了50%, sold out within a week) it is a length of time.
        Expr::Within { amount, unit } if !a.tense.get().forward() => Some(duration(
            Some(iso_duration(&amount.to_string(), unit)),
            unit_gran(unit),
        )),
        Expr::Within { amount, unit } => {
            let Some(doc) = a.doc else {
                return Some(unresolved(DateKind::Range, Some(Gran::Day)));
            };
            day_range(doc, move_day(doc, *amount, unit)?, true)
        }
        _ => point(e, a),
    }
}

/// A relative expression that cannot be resolved (no document date): its kind and
/// granularity, no value.
fn unresolved(kind: DateKind, gran: Option<Gran>) -> Resolved {
    Resolved {
        kind,
        value: None,
        end_value: None,
        gran,
        relative: true,
        period: None,
    }
}

/// A length of time with its ISO 8601 value (`P3M`), if known.
fn duration(value: Option<String>, gran: Option<Gran>) -> Resolved {
    Resolved {
        kind: DateKind::Duration,
        value,
        end_value: None,
        gran,
        relative: false,
        period: None,
    }
}

/// 一年又三个月, 2 years 21 days: one ISO duration, its time units after `T`.
fn compound_duration(parts: &[(String, &'static str)]) -> Resolved {
    let (mut date, mut time) = (String::new(), String::new());
    for (n, u) in parts {
        match *u {
            "H" => time.push_str(&format!("{n}H")),
            "MIN" => time.push_str(&format!("{n}M")),
            "S" => time.push_str(&format!("{n}S")),
            u => date.push_str(&format!("{n}{u}")),
        }
    }
    let value = if time.is_empty() {
        format!("P{date}")
    } else {
        format!("P{date}T{time}")
    };
    duration(Some(value), parts.last().and_then(|(_, u)| unit_gran(u)))
}

/// 第三财季, FY2024: the fiscal period's name (`FY2025-Q3`), since a company's fiscal
/// calendar is not known.
fn fiscal(year: YearRef, gran: Gran, n: u32, a: &Anchors) -> Resolved {
    let (y, rel) = year_of(year, a, None);
    let value = y.map(|y| match gran {
        Gran::Quarter => format!("FY{y:04}-Q{n}"),
        Gran::Half => format!("FY{y:04}-H{n}"),
        _ => format!("FY{y:04}"),
    });
    Resolved {
        kind: DateKind::Date,
        value,
        end_value: None,
        gran: Some(gran),
        relative: rel,
        period: None,
    }
}

/// 1至7月份, 今年前9月, the first nine months: the months (or quarters) of a year up to the
/// `last`-th.
fn cumulative_months(year: YearRef, gran: Gran, last: u32, a: &Anchors) -> Option<Resolved> {
    let (y, rel) = year_of(year, a, None);
    let Some(y) = y else {
        // No year anywhere: still a period, reported unresolved (relative only when
        // the text said 今年 or this year).
        return Some(Resolved {
            relative: rel,
            ..unresolved(DateKind::Range, Some(gran))
        });
    };
    let (p, q) = cumulative(y, gran, last)?;
    // A year-less run of months reported as figures ("1至7月份利润增长") is complete:
    // when its last month has not begun by the document date, it is last year's.
    let (p, q) = match (a.doc, year, a.tense.get().forward()) {
        (Some(doc), YearRef::Missing, false) if a.year_from_doc && q.start > doc => {
            cumulative(y - 1, gran, last)?
        }
        _ => (p, q),
    };
    Some(range(p, q, gran, rel))
}

/// 过去十年, next 3 days: the last / next `amount` units up to / from the document date.
fn span_from_doc(amount: i64, unit: &str, forward: bool, a: &Anchors) -> Option<Resolved> {
    let Some(doc) = a.doc else {
        return Some(unresolved(DateKind::Range, Some(Gran::Day)));
    };
    let (s, t) = if forward {
        (doc.succ_opt()?, move_day(doc, amount, unit)?)
    } else {
        (move_day(doc, -amount, unit)?, doc)
    };
    day_range(s, t, true)
}

/// 上半月 (1-15), 下旬 (21-end): days `first` to `last` (None: its last day) of a month.
fn month_part(month: &Expr, first: u32, last: Option<u32>, a: &Anchors) -> Option<Resolved> {
    let Some((m, rel)) = resolve_period(month, a, None) else {
        return a
            .doc
            .is_none()
            .then(|| unresolved(DateKind::Range, Some(Gran::Day)));
    };
    if m.gran != Gran::Month {
        return None;
    }
    let (y, mo, end) = (m.year_num(), m.start.month(), m.last_day());
    let s = NaiveDate::from_ymd_opt(y, mo, first)?;
    let t = match last {
        Some(d) => NaiveDate::from_ymd_opt(y, mo, d)?.min(end),
        None => end,
    };
    day_range(s, t, rel)
}

/// The rest of the document's week, its later half from Thursday on, or its earlier half
/// up to Wednesday clipped to the days before the document day.
fn week_rest(later: bool, rest: bool, a: &Anchors) -> Option<Resolved> {
    let Some(doc) = a.doc else {
        return Some(unresolved(DateKind::Range, Some(Gran::Day)));
    };
    let week = Period::week_of(doc);
    let (monday, sunday) = (week.start, week.last_day());
    let day = |n: i64| monday.checked_add_signed(Duration::try_days(n)?);
    let (s, t) = if rest {
        (doc, sunday)
    } else if later {
        (doc.max(day(3)?), sunday)
    } else {
        (monday, doc.pred_opt()?.min(day(2)?).max(monday))
    };
    day_range(s, t, true)
}

/// 去年的前10天, the last four months of 2021: the first or last `n` months, ISO weeks or
/// days of a year.
fn year_slice(year: YearRef, n: u32, unit: &str, first: bool, a: &Anchors) -> Option<Resolved> {
    let (y, rel) = year_of(year, a, None);
    let Some(y) = y else {
        return Some(unresolved(DateKind::Range, None));
    };
    let (p, q) = match (unit, first) {
        ("M", true) if (1..=12).contains(&n) => (Period::month(y, 1)?, Period::month(y, n)?),
        ("M", false) if (1..=12).contains(&n) => {
            (Period::month(y, 13 - n)?, Period::month(y, 12)?)
        }
        ("D", true) => (
            Period::day(y, 1, 1)?,
            Period::day(y, 1, 1)?.shift(n as i64 - 1)?,
        ),
        ("D", false) => (
            Period::day(y, 12, 31)?.shift(1 - n as i64)?,
            Period::day(y, 12, 31)?,
        ),
        ("W", true) => (
            Period::week_of(NaiveDate::from_isoywd_opt(y, 1, chrono::Weekday::Mon)?),
            Period::week_of(NaiveDate::from_isoywd_opt(y, n, chrono::Weekday::Mon)?),
        ),
        ("W", false) => {
            let (last, _) = resolve_period(
                &Expr::IsoWeek {
                    year: YearRef::Abs(y),
                    n: -1,
                },
                a,
                None,
            )?;
            (last.shift(1 - n as i64)?, last)
        }
        _ => return None,
    };
    if q.start < p.start || q.year_num() != p.year_num() && unit != "W" {
        return None;
    }
    Some(range(p, q, p.gran, rel))
}

/// Calendar decades around the document date: this decade (0), the next two (2), the last
/// one (-1).
fn decades(amount: i32, a: &Anchors) -> Option<Resolved> {
    let Some(doc) = a.doc else {
        return Some(unresolved(DateKind::Range, Some(Gran::Year)));
    };
    let start = doc.year() - doc.year().rem_euclid(10);
    let (first, last) = match amount.signum() {
        0 => (start, start + 9),
        1 => (start + 10, start + 10 * amount + 9),
        _ => (start + 10 * amount, start - 1),
    };
    let (p, q) = (Period::year(first)?, Period::year(last)?);
    Some(range(p, q, Gran::Year, true))
}

/// The past two quarters, the next 7 quarters: whole quarters before or after the
/// document's.
fn quarters(amount: i64, forward: bool, a: &Anchors) -> Option<Resolved> {
    let Some(doc) = a.doc else {
        return Some(unresolved(DateKind::Range, Some(Gran::Quarter)));
    };
    let this = Period::containing(Gran::Quarter, doc);
    let (p, q) = if forward {
        (this.shift(1)?, this.shift(amount)?)
    } else {
        (this.shift(-amount)?, this.shift(-1)?)
    };
    Some(range(p, q, Gran::Quarter, true))
}

/// A point in time (a day, month, quarter, week, holiday ...) through [`resolve_period`];
/// unresolved where it needs the document date and there is none, or where a month has no
/// year to take.
fn point(e: &Expr, a: &Anchors) -> Option<Resolved> {
    match resolve_period(e, a, None) {
        Some((p, rel)) => Some(Resolved {
            kind: DateKind::Date,
            value: Some(p.value()),
            end_value: None,
            gran: Some(p.gran),
            relative: rel,
            period: Some(p),
        }),
        None if needs_doc(e) && a.doc.is_none() => Some(unresolved(DateKind::Date, gran_hint(e))),
        // A month or day without a year and nothing to take the year from (no document
        // date, no year in the story): still a date, reported unresolved.
        None if unanchored(e, a) => Some(Resolved {
            kind: DateKind::Date,
            value: None,
            end_value: None,
            gran: gran_hint(e),
            relative: false,
            period: None,
        }),
        None => None,
    }
}

/// Whether a point is told from the document date (a relative year, month or day).
fn needs_doc(e: &Expr) -> bool {
    matches!(
        e,
        Expr::IsoWeek {
            year: YearRef::Rel(_),
            ..
        } | Expr::HolidayNear { .. }
            | Expr::Rel { .. }
            | Expr::Weekday { .. }
            | Expr::Ago { .. }
            | Expr::Now
            | Expr::Offset { .. }
            | Expr::Bracketed { .. }
            | Expr::Cal {
                year: YearRef::Rel(_),
                ..
            }
            | Expr::Cal {
                month: Some(MonthRef::Rel(_)),
                ..
            }
            | Expr::Part {
                year: YearRef::Rel(_),
                ..
            }
    )
}

/// A month without a year (`6月`), or a bare day (`10日`) when there is no document date:
/// a date whose year (or month) nothing gives.
fn unanchored(e: &Expr, a: &Anchors) -> bool {
    let month_without_year = matches!(
        e,
        Expr::Cal {
            year: YearRef::Missing,
            month: Some(MonthRef::Abs(_)),
            ..
        }
    );
    month_without_year || (matches!(e, Expr::BareDay { .. }) && a.doc.is_none())
}

/// The first and last period of the first `last` months or quarters of year `y`.
fn cumulative(y: i32, gran: Gran, last: u32) -> Option<(Period, Period)> {
    match gran {
        Gran::Month if (1..=12).contains(&last) => {
            Some((Period::month(y, 1)?, Period::month(y, last)?))
        }
        Gran::Quarter if (1..=4).contains(&last) => {
            Some((Period::quarter(y, 1)?, Period::quarter(y, last)?))
        }
        _ => None,
    }
}

/// The day (or month, or year) numbered `n` on `side` of the day `at`: side 0 the nearest
/// one, -1 the latest before `at`, +1 the earliest after it (`昨(30)日` written on 1 October
/// is 30 September). The bracketed number is trusted over the word, which only says the
/// direction: a document date a day off (time zones, late publication) changes nothing.
fn bracketed(at: NaiveDate, gran: Gran, n: u32, side: i32) -> Option<Period> {
    let candidates: Vec<Period> = match gran {
        Gran::Day => (-1..=1)
            .filter_map(|k| {
                let m = super::period::add_months(at.with_day(1)?, k)?;
                Period::day(m.year(), m.month(), n)
            })
            .collect(),
        Gran::Month => (-1..=1)
            .filter_map(|k| Period::month(at.year() + k, n))
            .collect(),
        Gran::Year => vec![Period::year(i32::try_from(n).ok()?)?],
        _ => return None,
    };
    let here = Period::containing(gran, at).start;
    let dist = |p: &Period| (p.start - here).num_days().abs();
    candidates
        .into_iter()
        .filter(|p| match side {
            s if s < 0 => p.start < here || gran == Gran::Year,
            s if s > 0 => p.start > here || gran == Gran::Year,
            _ => true,
        })
        .min_by_key(dist)
}

/// The granularity an expression would have, for unresolved relative items.
fn gran_hint(e: &Expr) -> Option<Gran> {
    Some(match e {
        Expr::IsoWeek { .. } => Gran::Week,
        Expr::BareDay { .. } => Gran::Day,
        Expr::Cal { day: Some(_), .. }
        | Expr::Weekday { .. }
        | Expr::Ago { .. }
        | Expr::Holiday { .. }
        | Expr::HolidayNear { .. }
        | Expr::Offset { .. }
        | Expr::Now => Gran::Day,
        Expr::Cal { month: Some(_), .. } => Gran::Month,
        Expr::Cal { .. } => Gran::Year,
        Expr::Part { gran, .. } | Expr::Rel { gran, .. } | Expr::Bracketed { gran, .. } => *gran,
        _ => return None,
    })
}

fn has_year(e: &Expr) -> bool {
    !matches!(
        e,
        Expr::Cal {
            year: YearRef::Missing,
            ..
        } | Expr::Part {
            year: YearRef::Missing,
            ..
        } | Expr::Holiday {
            year: YearRef::Missing,
            ..
        }
    )
}

/// A calendar date or holiday with no year of its own (its year may follow the tense).
fn yearless_calendar(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Cal {
            year: YearRef::Missing,
            month: Some(MonthRef::Abs(_)),
            ..
        } | Expr::Holiday {
            year: YearRef::Missing,
            ..
        }
    )
}

/// A range is placed by the tense as a whole: `from May to September` in a plan written in
/// July is this year's, since it is not over yet; only a range wholly before (in a plan) or
/// wholly after (in a report) the document date moves to the adjacent year.
/// A weekday `wd` (1 = Monday) on or after `d` (`forward`), or on or before it.
fn weekday_near(d: NaiveDate, wd: u32, forward: bool) -> Option<NaiveDate> {
    let today = i64::from(d.weekday().number_from_monday());
    let wd = i64::from(wd);
    if forward {
        d.checked_add_signed(Duration::try_days((wd - today).rem_euclid(7))?)
    } else {
        d.checked_sub_signed(Duration::try_days((today - wd).rem_euclid(7))?)
    }
}

/// "from Monday to Friday" with no week said: one run of days, placed by the tense as a
/// whole (ahead in a plan: the first Monday on or after the anchor and the Friday after it;
/// else the latest Friday on or before it and the Monday before that).
fn bare_weekday_range(wx: u32, wy: u32, a: &Anchors) -> Option<Resolved> {
    let at = a.point.or(a.doc)?;
    let (s, t) = if a.tense.get().forward() {
        let s = weekday_near(at, wx, true)?;
        (s, weekday_near(s, wy, true)?)
    } else {
        let t = weekday_near(at, wy, false)?;
        (weekday_near(t, wx, false)?, t)
    };
    Some(Resolved {
        kind: DateKind::Range,
        value: Some(Period::of_day(s).value()),
        end_value: Some(Period::of_day(t).value()),
        gran: Some(Gran::Day),
        relative: true,
        period: Some(Period::of_day(s)),
    })
}

fn resolve_range(x: &Expr, y: &Expr, a: &Anchors) -> Option<Resolved> {
    if let (
        Expr::Weekday {
            weekday: wx,
            pick: WeekdayPick::Bare,
        },
        Expr::Weekday {
            weekday: wy,
            pick: WeekdayPick::Bare,
        },
    ) = (x, y)
    {
        return bare_weekday_range(*wx, *wy, a);
    }
    let neutral = Anchors {
        tense: TenseAt::known(Tense::Unmarked),
        ..*a
    };
    let ((mut px, rx), (mut py, ry)) = resolve_range_halves(x, y, &neutral)?;
    let movable = a.year_from_doc && yearless_calendar(x) && (yearless_calendar(y) || !has_year(y));
    if let (Some(doc), true) = (a.doc, movable) {
        let (before, after) = tense_window(a.tense.get(), doc)?;
        let shift = if py.last_day() < before {
            12
        } else if px.start > after {
            -12
        } else {
            0
        };
        if shift != 0 {
            px = Period::containing(px.gran, super::period::add_months(px.start, shift)?);
            py = Period::containing(py.gran, super::period::add_months(py.start, shift)?);
        }
    }
    Some(Resolved {
        kind: DateKind::Range,
        value: Some(px.value()),
        end_value: Some(py.value()),
        gran: Some(px.gran.min(py.gran)),
        relative: rx || ry,
        period: Some(px),
    })
}

/// The two halves of a range, the year-less one taking the other's year.
fn resolve_range_halves(
    x: &Expr,
    y: &Expr,
    a: &Anchors,
) -> Option<((Period, bool), (Period, bool))> {
    if let (Expr::Duration { .. }, Expr::Duration { .. }) = (x, y) {
        return None;
    }
    // The half that says its year lends it to the other (from June to July 2025).
    let (px, py) = if !has_year(x) && has_year(y) {
        let (py, ry) = resolve_period(y, a, None)?;
        let (mut px, rx) = resolve_period(x, a, Some(py))?;
        if px.start > py.last_day() {
            px = Period::containing(px.gran, super::period::add_months(px.start, -12)?);
        }
        ((px, rx), (py, ry))
    } else {
        let (px, rx) = resolve_period(x, a, None)?;
        let (mut py, ry) = resolve_period(y, a, Some(px))?;
        if !has_year(y) && py.last_day() < px.start {
            py = Period::containing(py.gran, super::period::add_months(py.start, 12)?);
        }
        ((px, rx), (py, ry))
    };
    if py.0.last_day() < px.0.start {
        return None;
    }
    Some((px, py))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn anchors(doc: &str) -> Anchors<'_> {
        let doc = d(doc);
        Anchors {
            doc: Some(doc),
            year: Some(doc.year()),
            point: Some(doc),
            year_from_doc: true,
            tense: TenseAt::known(Tense::Unmarked),
        }
    }

    fn val(e: Expr, a: &Anchors) -> Option<String> {
        resolve(&e, a).and_then(|r| r.value)
    }

    #[test]
    fn calendar_and_relative() {
        let a = anchors("2025-09-04");
        assert_eq!(
            val(
                Expr::Cal {
                    year: YearRef::Missing,
                    month: Some(MonthRef::Abs(9)),
                    day: Some(3)
                },
                &a
            )
            .as_deref(),
            Some("2025-09-03")
        );
        assert_eq!(
            val(
                Expr::Cal {
                    year: YearRef::Missing,
                    month: Some(MonthRef::Rel(-1)),
                    day: None
                },
                &a
            )
            .as_deref(),
            Some("2025-08")
        );
        assert_eq!(
            val(
                Expr::Rel {
                    gran: Gran::Day,
                    offset: -1
                },
                &a
            )
            .as_deref(),
            Some("2025-09-03")
        );
        assert_eq!(
            val(
                Expr::Weekday {
                    weekday: 3,
                    pick: WeekdayPick::Week(-1)
                },
                &a
            )
            .as_deref(),
            Some("2025-08-27")
        );
        assert_eq!(
            val(
                Expr::Weekday {
                    weekday: 3,
                    pick: WeekdayPick::Prev
                },
                &a
            )
            .as_deref(),
            Some("2025-09-03")
        );
        assert_eq!(
            val(
                Expr::Weekday {
                    weekday: 4,
                    pick: WeekdayPick::Next
                },
                &a
            )
            .as_deref(),
            Some("2025-09-11")
        );
        assert_eq!(
            val(
                Expr::Weekday {
                    weekday: 4,
                    pick: WeekdayPick::OnOrBefore
                },
                &a
            )
            .as_deref(),
            Some("2025-09-04")
        );
        assert_eq!(
            val(
                Expr::Weekday {
                    weekday: 5,
                    pick: WeekdayPick::OnOrBefore
                },
                &a
            )
            .as_deref(),
            Some("2025-08-29")
        );
        assert_eq!(
            val(
                Expr::Weekday {
                    weekday: 5,
                    pick: WeekdayPick::OnOrAfter
                },
                &a
            )
            .as_deref(),
            Some("2025-09-05")
        );
        assert_eq!(
            val(
                Expr::Ago {
                    amount: -6,
                    unit: "D",
                    base_days: 0
                },
                &a
            )
            .as_deref(),
            Some("2025-08-29")
        );
        assert_eq!(
            val(
                Expr::Cal {
                    year: YearRef::Missing,
                    month: Some(MonthRef::Abs(2)),
                    day: Some(30)
                },
                &a
            ),
            None
        );
    }

    #[test]
    fn no_document_date_leaves_relative_unresolved() {
        let a = Anchors::default();
        let r = resolve(
            &Expr::Rel {
                gran: Gran::Month,
                offset: -1,
            },
            &a,
        )
        .unwrap();
        assert_eq!((r.value, r.relative), (None, true));
    }

    #[test]
    fn ranges_inherit_and_roll_over() {
        let a = anchors("2018-09-18");
        let m = |n| Expr::Cal {
            year: YearRef::Missing,
            month: Some(MonthRef::Abs(n)),
            day: None,
        };
        let r = resolve(&Expr::Range(Box::new(m(8)), Box::new(m(2))), &a).unwrap();
        assert_eq!(
            (r.value.as_deref(), r.end_value.as_deref()),
            (Some("2018-08"), Some("2019-02"))
        );
        let r = resolve(
            &Expr::Range(
                Box::new(m(11)),
                Box::new(Expr::Cal {
                    year: YearRef::Abs(2017),
                    month: Some(MonthRef::Abs(2)),
                    day: None,
                }),
            ),
            &a,
        )
        .unwrap();
        assert_eq!(
            (r.value.as_deref(), r.end_value.as_deref()),
            (Some("2016-11"), Some("2017-02"))
        );
    }
}
