//! Calendar periods (a year, half, quarter, month, ISO week or day), their ISO 8601 values
//! and the arithmetic the resolver needs (shifting by whole units, containing weeks).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The granularity of a date (SPEC §4 `granularity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gran {
    Day,
    Week,
    Month,
    Quarter,
    Half,
    Year,
}

impl Gran {
    pub fn as_str(self) -> &'static str {
        match self {
            Gran::Year => "year",
            Gran::Half => "half",
            Gran::Quarter => "quarter",
            Gran::Month => "month",
            Gran::Week => "week",
            Gran::Day => "day",
        }
    }
}

/// One calendar period, identified by its first day and granularity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    pub gran: Gran,
    pub start: NaiveDate,
}

/// Years the recogniser accepts at all (keeps chrono's arithmetic far from its limits).
pub(crate) const MIN_YEAR: i32 = 1;
pub(crate) const MAX_YEAR: i32 = 9999;

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

impl Period {
    pub(crate) fn year(y: i32) -> Option<Period> {
        Some(Period {
            gran: Gran::Year,
            start: ymd(y, 1, 1)?,
        })
    }
    pub(crate) fn half(y: i32, h: u32) -> Option<Period> {
        if !(1..=2).contains(&h) {
            return None;
        }
        Some(Period {
            gran: Gran::Half,
            start: ymd(y, 1 + (h - 1) * 6, 1)?,
        })
    }
    pub(crate) fn quarter(y: i32, q: u32) -> Option<Period> {
        if !(1..=4).contains(&q) {
            return None;
        }
        Some(Period {
            gran: Gran::Quarter,
            start: ymd(y, 1 + (q - 1) * 3, 1)?,
        })
    }
    pub(crate) fn month(y: i32, m: u32) -> Option<Period> {
        Some(Period {
            gran: Gran::Month,
            start: ymd(y, m, 1)?,
        })
    }
    pub(crate) fn day(y: i32, m: u32, d: u32) -> Option<Period> {
        Some(Period {
            gran: Gran::Day,
            start: ymd(y, m, d)?,
        })
    }
    pub(crate) fn of_day(d: NaiveDate) -> Period {
        Period {
            gran: Gran::Day,
            start: d,
        }
    }
    /// The Monday-to-Sunday week containing `d`.
    pub(crate) fn week_of(d: NaiveDate) -> Period {
        let back = d.weekday().num_days_from_monday() as i64;
        Period {
            gran: Gran::Week,
            start: d - Duration::days(back),
        }
    }
    /// The period of granularity `gran` containing `d` (week: Monday-based).
    pub(crate) fn containing(gran: Gran, d: NaiveDate) -> Period {
        match gran {
            Gran::Day => Period::of_day(d),
            Gran::Week => Period::week_of(d),
            Gran::Month => Period {
                gran,
                start: d.with_day(1).unwrap_or(d),
            },
            Gran::Quarter => Period {
                gran,
                start: ymd(d.year(), 1 + (d.month0() / 3) * 3, 1).unwrap_or(d),
            },
            Gran::Half => Period {
                gran,
                start: ymd(d.year(), 1 + (d.month0() / 6) * 6, 1).unwrap_or(d),
            },
            Gran::Year => Period {
                gran,
                start: ymd(d.year(), 1, 1).unwrap_or(d),
            },
        }
    }

    pub(crate) fn year_num(&self) -> i32 {
        self.start.year()
    }

    /// Months in one unit of this granularity (0 for day and week).
    fn months(self) -> u32 {
        match self.gran {
            Gran::Year => 12,
            Gran::Half => 6,
            Gran::Quarter => 3,
            Gran::Month => 1,
            Gran::Week | Gran::Day => 0,
        }
    }

    /// This period moved by `n` of its own units (last year, next quarter, three weeks on).
    pub(crate) fn shift(self, n: i64) -> Option<Period> {
        let start = match self.gran {
            Gran::Day => self.start.checked_add_signed(Duration::try_days(n)?)?,
            Gran::Week => self.start.checked_add_signed(Duration::try_weeks(n)?)?,
            _ => add_months(self.start, n.checked_mul(self.months() as i64)?)?,
        };
        if !(MIN_YEAR..=MAX_YEAR).contains(&start.year()) {
            return None;
        }
        Some(Period {
            gran: self.gran,
            start,
        })
    }

    /// The first day after the period.
    pub(crate) fn end_exclusive(self) -> Option<NaiveDate> {
        Some(self.shift(1)?.start)
    }

    /// The last day of the period.
    pub(crate) fn last_day(self) -> NaiveDate {
        self.end_exclusive()
            .and_then(|d| d.pred_opt())
            .unwrap_or(self.start)
    }

    /// The ISO 8601 value: `2025`, `2025-H1`, `2025-Q3`, `2025-06`, `2025-W11`, `2025-09-03`.
    pub(crate) fn value(self) -> String {
        let y = self.start.year();
        match self.gran {
            Gran::Year => format!("{y:04}"),
            Gran::Half => format!("{y:04}-H{}", self.start.month0() / 6 + 1),
            Gran::Quarter => format!("{y:04}-Q{}", self.start.month0() / 3 + 1),
            Gran::Month => format!("{y:04}-{:02}", self.start.month()),
            Gran::Week => {
                let w = self.start.iso_week();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Gran::Day => format!("{y:04}-{:02}-{:02}", self.start.month(), self.start.day()),
        }
    }
}

/// `d` moved by `n` months, the day clamped to the target month's length.
pub(crate) fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let total = d.year() as i64 * 12 + d.month0() as i64 + n;
    let y = i32::try_from(total.div_euclid(12)).ok()?;
    let m = total.rem_euclid(12) as u32 + 1;
    let mut day = d.day();
    loop {
        if let Some(x) = ymd(y, m, day) {
            return Some(x);
        }
        if day <= 28 {
            return None;
        }
        day -= 1;
    }
}

/// The weekday numbered 1 = Monday .. 7 = Sunday.
pub(crate) fn weekday_from_num(n: u32) -> Option<Weekday> {
    Some(match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        7 => Weekday::Sun,
        _ => return None,
    })
}

/// Gregorian Easter Sunday of a year (the anonymous Gregorian algorithm).
pub(crate) fn easter(y: i32) -> Option<NaiveDate> {
    if y < 1583 {
        return None;
    }
    let (a, b, c) = (y % 19, y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(y, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The `n`-th (1-based; -1 = last) `weekday` (1 = Monday) of a month.
pub(crate) fn nth_weekday(y: i32, m: u32, weekday: u32, n: i32) -> Option<NaiveDate> {
    let wd = weekday_from_num(weekday)?;
    if n > 0 {
        NaiveDate::from_weekday_of_month_opt(y, m, wd, u8::try_from(n).ok()?)
    } else {
        let last = Period::month(y, m)?.last_day();
        let back = (last.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
        Some(last - Duration::days(back as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_per_granularity() {
        assert_eq!(Period::year(2025).unwrap().value(), "2025");
        assert_eq!(Period::half(2025, 1).unwrap().value(), "2025-H1");
        assert_eq!(Period::quarter(2025, 3).unwrap().value(), "2025-Q3");
        assert_eq!(Period::month(2025, 6).unwrap().value(), "2025-06");
        assert_eq!(Period::day(2025, 9, 3).unwrap().value(), "2025-09-03");
        let d = NaiveDate::from_ymd_opt(2025, 3, 12).unwrap();
        assert_eq!(Period::week_of(d).value(), "2025-W11");
    }

    #[test]
    fn shifting() {
        assert_eq!(
            Period::month(2025, 1).unwrap().shift(-1).unwrap().value(),
            "2024-12"
        );
        assert_eq!(
            Period::quarter(2025, 4).unwrap().shift(1).unwrap().value(),
            "2026-Q1"
        );
        assert_eq!(
            Period::day(2024, 3, 1).unwrap().shift(-1).unwrap().value(),
            "2024-02-29"
        );
        assert_eq!(
            Period::month(2025, 2).unwrap().last_day().to_string(),
            "2025-02-28"
        );
        assert_eq!(
            add_months(NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(), -1)
                .unwrap()
                .to_string(),
            "2025-02-28"
        );
        assert!(Period::year(9999).unwrap().shift(1).is_none());
    }

    #[test]
    fn easter_sundays() {
        assert_eq!(easter(2018).unwrap().to_string(), "2018-04-01");
        assert_eq!(easter(2019).unwrap().to_string(), "2019-04-21");
        assert_eq!(easter(2025).unwrap().to_string(), "2025-04-20");
    }

    #[test]
    fn nth_weekdays() {
        assert_eq!(
            nth_weekday(2025, 11, 4, 4).unwrap().to_string(),
            "2025-11-27"
        );
        assert_eq!(
            nth_weekday(2025, 5, 1, -1).unwrap().to_string(),
            "2025-05-26"
        );
    }
}
