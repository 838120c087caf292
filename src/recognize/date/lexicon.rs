//! The date recogniser's word tables, parsed once from `data/dates_*.tsv`: relative words,
//! English month/weekday/number words, duration units, holidays and lunar festival dates.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::period::Gran;

/// Rows of a TSV table: comment (`#`) and blank lines skipped, fields split on tabs.
fn rows(src: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    src.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// A relative word: the unit it counts in and its offset from the anchor (今天 = day 0).
#[derive(Debug, Clone, Copy)]
pub struct Relative {
    pub gran: Gran,
    pub offset: i32,
}

impl Relative {
    /// The expression a relative word stands for: a year offset is a calendar year (去年 =
    /// the year before the document's), anything finer a relative period (上周, yesterday).
    pub fn expr(&self) -> super::expr::Expr {
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

pub static RELATIVE: LazyLock<HashMap<&'static str, Relative>> = LazyLock::new(|| {
    rows(include_str!("../../../data/dates_relative.tsv"))
        .filter_map(|r| {
            let gran = match *r.get(1)? {
                "day" => Gran::Day,
                "week" => Gran::Week,
                "month" => Gran::Month,
                "quarter" => Gran::Quarter,
                "half" => Gran::Half,
                "year" => Gran::Year,
                _ => return None,
            };
            Some((
                *r.first()?,
                Relative {
                    gran,
                    offset: r.get(2)?.parse().ok()?,
                },
            ))
        })
        .collect()
});

/// English words: kind (`month`, `weekday`, `number`, `ordinal`) and value.
pub static EN_WORDS: LazyLock<HashMap<&'static str, (&'static str, u32)>> = LazyLock::new(|| {
    rows(include_str!("../../../data/dates_en_words.tsv"))
        .filter_map(|r| Some((*r.first()?, (*r.get(1)?, r.get(2)?.parse().ok()?))))
        .collect()
});

/// The value of an English word of one kind (`en_word("sept", "month") == Some(9)`).
pub fn en_word(word: &str, kind: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    match EN_WORDS.get(lower.as_str()) {
        Some((k, v)) if *k == kind => Some(*v),
        _ => None,
    }
}

/// Duration units and their ISO 8601 designator (`Y`, `M`, `W`, `D`, `H`, `MIN`, `S`).
pub static UNITS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    rows(include_str!("../../../data/dates_units.tsv"))
        .filter_map(|r| Some((*r.first()?, *r.get(1)?)))
        .collect()
});

pub fn unit_of(word: &str) -> Option<&'static str> {
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

pub static HOLIDAYS: LazyLock<HashMap<String, HolidayRule>> = LazyLock::new(|| {
    rows(include_str!("../../../data/dates_holidays.tsv"))
        .filter_map(|r| {
            let name = r.first()?.to_lowercase();
            let rule = r.get(1)?;
            let mut parts = rule.split(':');
            let rule = match parts.next()? {
                "fixed" => {
                    let (m, d) = parts.next()?.split_once('-')?;
                    HolidayRule::Fixed(m.parse().ok()?, d.parse().ok()?)
                }
                "lunar" => HolidayRule::Lunar(parts.next()?),
                "easter" => HolidayRule::Easter(parts.next()?.parse().ok()?),
                "nth" => HolidayRule::Nth {
                    month: parts.next()?.parse().ok()?,
                    weekday: parts.next()?.parse().ok()?,
                    n: parts.next()?.parse().ok()?,
                    plus: parts.next().and_then(|p| p.parse().ok()).unwrap_or(0),
                },
                _ => return None,
            };
            Some((name, rule))
        })
        .collect()
});

/// Solar dates of lunar festivals: (key, year) -> date.
pub static LUNAR: LazyLock<HashMap<(&'static str, i32), NaiveDate>> = LazyLock::new(|| {
    rows(include_str!("../../../data/dates_lunar.tsv"))
        .filter_map(|r| {
            Some((
                (*r.first()?, r.get(1)?.parse().ok()?),
                NaiveDate::parse_from_str(r.get(2)?, "%Y-%m-%d").ok()?,
            ))
        })
        .collect()
});

/// What the name of a periodic report covers (`data/dates_reports.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covers {
    /// A whole year (年报, annual report).
    Year,
    /// A half or quarter of a year (半年报 = half 1, 三季报 = quarter 3).
    Part(Gran, u32),
    /// No period of its own (季报, quarterly results).
    Nothing,
}

/// Report names (Chinese and English, English lowercased) and what they cover.
pub static REPORTS: LazyLock<HashMap<String, Covers>> = LazyLock::new(|| {
    rows(include_str!("../../../data/dates_reports.tsv"))
        .map(|r| {
            let name = r.first().copied().unwrap_or("").to_lowercase();
            let covers = match r.get(1).map(|c| c.split_once(':').unwrap_or((c, ""))) {
                Some(("year", _)) => Some(Covers::Year),
                Some(("none", _)) => Some(Covers::Nothing),
                Some(("half", n)) => n.parse().ok().map(|n| Covers::Part(Gran::Half, n)),
                Some(("quarter", n)) => n.parse().ok().map(|n| Covers::Part(Gran::Quarter, n)),
                _ => None,
            };
            let covers = covers.unwrap_or_else(|| {
                panic!(
                    "data/dates_reports.tsv: bad row {r:?} (covers: year, half:N, quarter:N, none)"
                )
            });
            (name, covers)
        })
        .collect()
});

/// The role of a word in a comparison (`data/dates_comparisons.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareRole {
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
pub static COMPARISONS: LazyLock<Vec<(String, CompareRole)>> = LazyLock::new(|| {
    rows(include_str!("../../../data/dates_comparisons.tsv"))
        .map(|r| {
            let role = match r.get(1).copied() {
                Some("marker") => CompareRole::Marker,
                Some("lead") => CompareRole::Lead,
                Some("base") => CompareRole::Base,
                Some("same") => CompareRole::Same,
                _ => panic!(
                    "data/dates_comparisons.tsv: bad row {r:?} (role: marker, lead, base, same)"
                ),
            };
            (r.first().copied().unwrap_or("").to_lowercase(), role)
        })
        .collect()
});

/// The comparison words of one role and script (Chinese when `zh`), as an alternation.
pub fn comparison_words(role: CompareRole, zh: bool) -> String {
    alternation(
        COMPARISONS
            .iter()
            .filter(|(w, r)| *r == role && w.is_ascii() != zh)
            .map(|(w, _)| w.as_str()),
    )
}

/// A regex alternation of `words`, longest first, each escaped.
pub fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
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
