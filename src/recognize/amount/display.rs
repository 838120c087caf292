//! The short display form of an amount (SPEC §4): `USD 14.3B`, `CNY 206.8B`, `20%`,
//! `USD 1M-2M`, `USD millions` for a vague amount, `100 documents` for a quantity.

use crate::document::{AmountKind, Qualifier};
use crate::num::Num;

/// `14300000000` -> `14.3B`; `5000000` -> `5M`; `12345` -> `12345`; at most three decimals.
pub(crate) fn short(v: Num) -> String {
    let abs = v.mantissa().unsigned_abs();
    let int_digits = if v.scale() as usize >= abs.to_string().len() {
        0
    } else {
        abs.to_string().len() - v.scale() as usize
    };
    let (exp, suffix) = match int_digits {
        13.. => (12, "T"),
        10..=12 => (9, "B"),
        7..=9 => (6, "M"),
        _ => (0, ""),
    };
    let shown = Num::new(v.mantissa(), v.scale() + exp)
        .map(|n| n.round_to(if exp == 0 { 2 } else { 3 }))
        .unwrap_or(v);
    format!("{shown}{suffix}")
}

/// Words for the magnitude of a vague amount (`数百万` -> 10^6 -> "millions").
pub(crate) fn magnitude_words(exp: u32) -> &'static str {
    match exp {
        0 | 1 => "tens",
        2 => "hundreds",
        3 => "thousands",
        4 => "tens of thousands",
        5 => "hundreds of thousands",
        6 => "millions",
        7 => "tens of millions",
        8 => "hundreds of millions",
        9 => "billions",
        10 => "tens of billions",
        11 => "hundreds of billions",
        _ => "trillions",
    }
}

/// The display string of an amount.
pub(crate) fn display(
    kind: AmountKind,
    value: Option<Num>,
    max: Option<Num>,
    unit: Option<&str>,
    qualifier: Qualifier,
    vague_exp: u32,
    points: bool,
) -> Option<String> {
    let body = match (value, max) {
        (Some(v), Some(m)) => match kind {
            AmountKind::Percent => format!("{}%-{}%", v.round_to(2), m.round_to(2)),
            _ => format!("{}-{}", short(v), short(m)),
        },
        (Some(v), None) => match kind {
            AmountKind::Percent if points => format!("{} pp", v.round_to(2)),
            AmountKind::Percent => format!("{}%", v.round_to(4)),
            _ => short(v),
        },
        (None, _) if qualifier == Qualifier::Vague => magnitude_words(vague_exp).to_string(),
        (None, _) => return None,
    };
    Some(match kind {
        AmountKind::Money => format!("{} {body}", unit.unwrap_or("?")),
        AmountKind::Quantity => match unit {
            Some(u) => format!("{body} {u}"),
            None => body,
        },
        AmountKind::Percent | AmountKind::Number => body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse_decimal(s).unwrap()
    }

    #[test]
    fn shortens() {
        assert_eq!(short(n("14300000000")), "14.3B");
        assert_eq!(short(n("206800000000")), "206.8B");
        assert_eq!(short(n("5000000")), "5M");
        assert_eq!(short(n("4726428700")), "4.726B");
        assert_eq!(short(n("12345")), "12345");
        assert_eq!(short(n("3.14")), "3.14");
        assert_eq!(short(n("-2500000")), "-2.5M");
    }

    #[test]
    fn displays() {
        let d = display(
            AmountKind::Money,
            Some(n("14300000000")),
            None,
            Some("USD"),
            Qualifier::Exact,
            0,
            false,
        );
        assert_eq!(d.as_deref(), Some("USD 14.3B"));
        let d = display(
            AmountKind::Money,
            None,
            None,
            Some("USD"),
            Qualifier::Vague,
            6,
            false,
        );
        assert_eq!(d.as_deref(), Some("USD millions"));
        let d = display(
            AmountKind::Percent,
            Some(n("20")),
            None,
            Some("%"),
            Qualifier::Exact,
            0,
            false,
        );
        assert_eq!(d.as_deref(), Some("20%"));
        let d = display(
            AmountKind::Money,
            Some(n("1000000")),
            Some(n("2000000")),
            Some("USD"),
            Qualifier::Range,
            0,
            false,
        );
        assert_eq!(d.as_deref(), Some("USD 1M-2M"));
    }
}
