//! The date recogniser's word tables, parsed once from `data/dates_*.tsv`: relative words,
//! English month/weekday/number words, duration units, holidays and lunar festival dates.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::period::Gran;
use crate::data_table;
use crate::table::{check_cell, rows, Row, TableCell, TableError};

type Loaded<T> = Result<T, TableError>;

/// Reads every table of this module (for [`crate::table::check_all`]).
pub(crate) fn check() -> Loaded<()> {
    check_cell(&RELATIVE)?;
    check_cell(&EN_WORDS)?;
    check_cell(&EN_CONTEXT)?;
    check_cell(&UNITS)?;
    check_cell(&HOLIDAYS)?;
    check_cell(&LUNAR)?;
    check_cell(&REPORTS)?;
    check_cell(&COMPARISONS)?;
    Ok(())
}

/// A relative word: the unit it counts in and its offset from the anchor (今天 = day 0).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Relative {
    pub gran: Gran,
    pub offset: i32,
}

impl Relative {
    /// The expression a relative word stands for: a year offset is a calendar year (去年 =
    /// the year before the document's), anything finer a relative period (上周, yesterday).
    pub(crate) fn expr(&self) -> super::expr::Expr {
        use super::expr::{Expr, YearRef};
        match self.gran {
            Gran::Year => Expr::Cal {
                year: YearRef::Rel(self.offset),
                month: None,
                day: None,
            },
            g => Expr::Rel {
                gran: g,
                offset: self.offset,
            },
        }
    }
}

fn gran_of(r: &Row, i: usize) -> Loaded<Gran> {
    Ok(match r.cell(i, "unit")? {
        "day" => Gran::Day,
        "week" => Gran::Week,
        "month" => Gran::Month,
        "quarter" => Gran::Quarter,
        "half" => Gran::Half,
        "year" => Gran::Year,
        other => return Err(r.error(format!("unknown unit {other:?}"))),
    })
}

fn load_relative() -> Loaded<HashMap<&'static str, Relative>> {
    let (file, text) = data_table!("dates_relative.tsv");
    rows(file, text)
        .map(|r| {
            let gran = gran_of(&r, 1)?;
            let offset = r.parse(2, "offset")?;
            Ok((r.cell(0, "word")?, Relative { gran, offset }))
        })
        .collect()
}

pub(crate) static RELATIVE: TableCell<HashMap<&'static str, Relative>> = TableCell::new(load_relative);

/// English words: kind (`month`, `weekday`, `number`, `ordinal`) and value.
fn load_en_words() -> Loaded<HashMap<&'static str, (&'static str, u32)>> {
    let (file, text) = data_table!("dates_en_words.tsv");
    rows(file, text)
        .map(|r| {
            let kind = r.cell(1, "kind")?;
            if !matches!(kind, "month" | "weekday" | "number" | "ordinal") {
                return Err(r.error(format!("unknown kind {kind:?}")));
            }
            Ok((r.cell(0, "word")?, (kind, r.parse(2, "value")?)))
        })
        .collect()
}

pub(crate) static EN_WORDS: TableCell<HashMap<&'static str, (&'static str, u32)>> = TableCell::new(load_en_words);

/// The value of an English word of one kind (`en_word("sept", "month") == Some(9)`).
pub(crate) fn en_word(word: &str, kind: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    match EN_WORDS.get(lower.as_str()) {
        Some((k, v)) if *k == kind => Some(*v),
        _ => None,
    }
}

/// English context words of the date rules (`data/dates_en_context.tsv`).
#[derive(Debug, Default)]
pub(crate) struct EnContext {
    /// Before a bare year or month: it is a date (`in 2025`, `since May`).
    pub preposition: HashSet<&'static str>,
    /// After a number: it is a count (`2000 people`).
    pub counted: HashSet<&'static str>,
    /// Before a year: it is one (`its 2025 outlook`).
    pub year_determiner: HashSet<&'static str>,
    /// After a year opening a sentence: the year is its subject (`2024 was`).
    pub year_verb: HashSet<&'static str>,
}

fn load_en_context() -> Loaded<EnContext> {
    let (file, text) = data_table!("dates_en_context.tsv");
    let mut c = EnContext::default();
    for r in rows(file, text) {
        r.at_most(2)?;
        let set = match r.cell(0, "kind")? {
            "preposition" => &mut c.preposition,
            "counted" => &mut c.counted,
            "year_determiner" => &mut c.year_determiner,
            "year_verb" => &mut c.year_verb,
            bad => {
                return Err(r.error(format!(
                    "unknown kind {bad:?} (preposition, counted, year_determiner, year_verb)"
                )))
            }
        };
        set.extend(r.cell(1, "words")?.split_whitespace());
    }
    Ok(c)
}

pub(crate) static EN_CONTEXT: TableCell<EnContext> = TableCell::new(load_en_context);

/// Duration units and their ISO 8601 designator (`Y`, `M`, `W`, `D`, `H`, `MIN`, `S`).
fn load_units() -> Loaded<HashMap<&'static str, &'static str>> {
    let (file, text) = data_table!("dates_units.tsv");
    rows(file, text)
        .map(|r| {
            let designator = r.cell(1, "designator")?;
            if !matches!(designator, "Y" | "M" | "W" | "D" | "H" | "MIN" | "S") {
                return Err(r.error(format!("unknown designator {designator:?}")));
            }
            Ok((r.cell(0, "word")?, designator))
        })
        .collect()
}

pub(crate) static UNITS: TableCell<HashMap<&'static str, &'static str>> = TableCell::new(load_units);

pub(crate) fn unit_of(word: &str) -> Option<&'static str> {
    UNITS.get(word.to_ascii_lowercase().as_str()).copied()
}

/// How a holiday falls in a given year.
#[derive(Debug, Clone, PartialEq)]
pub enum HolidayRule {
    Fixed(u32, u32),
    Lunar(&'static str),
    /// Gregorian Easter Sunday plus a number of days (Good Friday = -2).
    Easter(i64),
    /// N-th weekday of a month, plus a day offset (Black Friday = Thanksgiving + 1).
    Nth {
        month: u32,
        weekday: u32,
        n: i32,
        plus: i64,
    },
}

fn load_holidays() -> Loaded<HashMap<String, HolidayRule>> {
    let (file, text) = data_table!("dates_holidays.tsv");
    rows(file, text)
        .map(|r| {
            let name = r.cell(0, "name")?.to_lowercase();
            let spec = r.cell(1, "rule")?;
            let bad = || r.error(format!("bad rule {spec:?}"));
            let num =
                |p: Option<&str>| -> Loaded<i64> { p.and_then(|p| p.parse().ok()).ok_or_else(bad) };
            let mut parts = spec.split(':');
            let rule = match parts.next() {
                Some("fixed") => {
                    let (m, d) = parts
                        .next()
                        .and_then(|p| p.split_once('-'))
                        .ok_or_else(bad)?;
                    HolidayRule::Fixed(m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?)
                }
                Some("lunar") => HolidayRule::Lunar(parts.next().ok_or_else(bad)?),
                Some("easter") => HolidayRule::Easter(num(parts.next())?),
                Some("nth") => HolidayRule::Nth {
                    month: u32::try_from(num(parts.next())?).map_err(|_| bad())?,
                    weekday: u32::try_from(num(parts.next())?).map_err(|_| bad())?,
                    n: i32::try_from(num(parts.next())?).map_err(|_| bad())?,
                    plus: match parts.next() {
                        Some(p) => num(Some(p))?,
                        None => 0,
                    },
                },
                _ => return Err(bad()),
            };
            Ok((name, rule))
        })
        .collect()
}

pub(crate) static HOLIDAYS: TableCell<HashMap<String, HolidayRule>> = TableCell::new(load_holidays);

fn load_lunar() -> Loaded<HashMap<(&'static str, i32), NaiveDate>> {
    let (file, text) = data_table!("dates_lunar.tsv");
    rows(file, text)
        .map(|r| {
            let date = r.cell(2, "date")?;
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| r.error(format!("column 3 (date) is not YYYY-MM-DD: {date:?}")))?;
            Ok(((r.cell(0, "festival")?, r.parse(1, "year")?), date))
        })
        .collect()
}

/// Solar dates of lunar festivals: (key, year) -> date.
pub(crate) static LUNAR: TableCell<HashMap<(&'static str, i32), NaiveDate>> = TableCell::new(load_lunar);

/// What the name of a periodic report covers (`data/dates_reports.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Covers {
    /// A whole year (年报, annual report).
    Year,
    /// A half or quarter of a year (半年报 = half 1, 三季报 = quarter 3).
    Part(Gran, u32),
    /// No period of its own (季报, quarterly results).
    Nothing,
}

/// Report names (Chinese and English, English lowercased) and what they cover.
fn load_reports() -> Loaded<HashMap<String, Covers>> {
    let (file, text) = data_table!("dates_reports.tsv");
    rows(file, text)
        .map(|r| {
            let name = r.cell(0, "name")?.to_lowercase();
            let raw = r.cell(1, "covers")?;
            let covers = match raw.split_once(':').unwrap_or((raw, "")) {
                ("year", _) => Some(Covers::Year),
                ("none", _) => Some(Covers::Nothing),
                ("half", n) => n.parse().ok().map(|n| Covers::Part(Gran::Half, n)),
                ("quarter", n) => n.parse().ok().map(|n| Covers::Part(Gran::Quarter, n)),
                _ => None,
            };
            let covers = covers.ok_or_else(|| {
                r.error(format!(
                    "covers {raw:?}: expected year, half:N, quarter:N or none"
                ))
            })?;
            Ok((name, covers))
        })
        .collect()
}

pub(crate) static REPORTS: TableCell<HashMap<String, Covers>> = TableCell::new(load_reports);

/// The role of a word in a comparison (`data/dates_comparisons.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareRole {
    /// A comparison by itself: 同比, year-on-year.
    Marker,
    /// Introduces the base of a comparison: 较, from, compared with.
    Lead,
    /// A period that is a comparison base after a lead: 去年, a year earlier.
    Base,
    /// The same part of another year: 同期, the same period.
    Same,
}

/// Comparison words (English lowercased) by role.
fn load_comparisons() -> Loaded<Vec<(String, CompareRole)>> {
    let (file, text) = data_table!("dates_comparisons.tsv");
    rows(file, text)
        .map(|r| {
            let role = match r.cell(1, "role")? {
                "marker" => CompareRole::Marker,
                "lead" => CompareRole::Lead,
                "base" => CompareRole::Base,
                "same" => CompareRole::Same,
                other => {
                    return Err(
                        r.error(format!("unknown role {other:?} (marker, lead, base, same)"))
                    )
                }
            };
            Ok((r.cell(0, "word")?.to_lowercase(), role))
        })
        .collect()
}

pub(crate) static COMPARISONS: TableCell<Vec<(String, CompareRole)>> = TableCell::new(load_comparisons);

/// The comparison words of one role and script (Chinese when `zh`), as an alternation.
pub(crate) fn comparison_words(role: CompareRole, zh: bool) -> String {
    alternation(
        COMPARISONS
            .iter()
            .filter(|(w, r)| *r == role && w.is_ascii() != zh)
            .map(|(w, _)| w.as_str()),
    )
}

/// A regex alternation of `words`, longest first, each escaped.
pub(crate) fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut w: Vec<&str> = words.collect();
    w.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    w.dedup();
    w.iter()
        .map(|x| regex::escape(x))
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_and_comparison_tables_load() {
        assert_eq!(REPORTS.get("半年报"), Some(&Covers::Part(Gran::Half, 1)));
        assert_eq!(REPORTS.get("annual report"), Some(&Covers::Year));
        assert_eq!(REPORTS.get("季报"), Some(&Covers::Nothing));
        assert!(comparison_words(CompareRole::Lead, true).contains("较"));
        assert!(comparison_words(CompareRole::Base, false).contains("a year earlier"));
        assert!(!comparison_words(CompareRole::Base, false).contains("去年"));
    }

    #[test]
    fn tables_load() {
        assert_eq!(
            RELATIVE.get("上个月").map(|r| (r.gran, r.offset)),
            Some((Gran::Month, -1))
        );
        assert_eq!(RELATIVE.get("last month").map(|r| r.offset), Some(-1));
        assert_eq!(en_word("Sept.", "month"), Some(9));
        assert_eq!(en_word("Tuesday", "weekday"), Some(2));
        assert_eq!(unit_of("个月"), Some("M"));
        assert!(matches!(
            HOLIDAYS.get("thanksgiving"),
            Some(HolidayRule::Nth { month: 11, .. })
        ));
        assert_eq!(
            LUNAR
                .get(&("spring", 2025))
                .map(|d| d.to_string())
                .as_deref(),
            Some("2025-01-29")
        );
    }
}
