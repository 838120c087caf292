//! `Num`: an exact decimal number (`mantissa × 10^-scale`) for amounts.
//!
//! Money values must print exactly as the text states them (`47.264287亿` ->
//! `4726428700`), never as a float like `1.10261e+06`, so all arithmetic on values is
//! integer arithmetic on an `i128` mantissa with checked overflow. Values that do not fit
//! (a 10,000-digit number) are rejected by the parser instead of wrapping or panicking.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exact decimal: `mantissa / 10^scale`. Always kept normalised (no trailing zeros in
/// the fraction), so equal values compare equal field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Num {
    mantissa: i128,
    scale: u32,
}

/// Largest scale we keep; deeper fractions are rounded away.
const MAX_SCALE: u32 = 18;

impl Num {
    pub const ZERO: Num = Num {
        mantissa: 0,
        scale: 0,
    };

    pub fn from_int(v: i128) -> Num {
        Num {
            mantissa: v,
            scale: 0,
        }
    }

    /// `mantissa / 10^scale`, normalised; `None` when the scale is absurd.
    pub fn new(mantissa: i128, scale: u32) -> Option<Num> {
        let mut n = Num { mantissa, scale };
        while n.scale > MAX_SCALE {
            n.mantissa /= 10;
            n.scale -= 1;
        }
        Some(n.normalised())
    }

    fn normalised(mut self) -> Num {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        if self.mantissa == 0 {
            self.scale = 0;
        }
        self
    }

    pub fn mantissa(self) -> i128 {
        self.mantissa
    }

    pub fn scale(self) -> u32 {
        self.scale
    }

    pub fn is_integer(self) -> bool {
        self.scale == 0
    }

    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// The integer value when this is an integer that fits in `i128`.
    pub fn as_int(self) -> Option<i128> {
        (self.scale == 0).then_some(self.mantissa)
    }

    /// Parses a plain ASCII decimal: optional sign, digits, optional `.digits`.
    /// No separators, exponents or spaces; `None` on anything else or on overflow.
    pub fn parse_decimal(s: &str) -> Option<Num> {
        let (neg, body) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (int_part, frac_part) = match body.find('.') {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let mut mantissa: i128 = 0;
        for b in int_part.bytes() {
            if !b.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa.checked_mul(10)?.checked_add((b - b'0') as i128)?;
        }
        let mut scale = 0u32;
        for b in frac_part.bytes() {
            if !b.is_ascii_digit() {
                return None;
            }
            if scale >= MAX_SCALE {
                continue; // precision beyond 1e-18 is noise for news amounts
            }
            mantissa = mantissa.checked_mul(10)?.checked_add((b - b'0') as i128)?;
            scale += 1;
        }
        if neg {
            mantissa = -mantissa;
        }
        Num::new(mantissa, scale)
    }

    fn aligned(self, other: Num) -> Option<(i128, i128, u32)> {
        let scale = self.scale.max(other.scale);
        let a = self
            .mantissa
            .checked_mul(10i128.checked_pow(scale - self.scale)?)?;
        let b = other
            .mantissa
            .checked_mul(10i128.checked_pow(scale - other.scale)?)?;
        Some((a, b, scale))
    }

    pub fn checked_add(self, other: Num) -> Option<Num> {
        // Two integers (the numeral reader's sums): nothing to align or normalise.
        if self.scale == 0 && other.scale == 0 {
            return Some(Num::from_int(self.mantissa.checked_add(other.mantissa)?));
        }
        let (a, b, scale) = self.aligned(other)?;
        Num::new(a.checked_add(b)?, scale)
    }

    pub fn checked_sub(self, other: Num) -> Option<Num> {
        let (a, b, scale) = self.aligned(other)?;
        Num::new(a.checked_sub(b)?, scale)
    }

    pub fn checked_mul(self, other: Num) -> Option<Num> {
        let mut m = self.mantissa.checked_mul(other.mantissa);
        let mut scale = self.scale + other.scale;
        // Large fractions times large fractions: shed precision rather than overflow.
        let (mut a, mut b) = (self.mantissa, other.mantissa);
        while m.is_none() && scale > 0 {
            if a.abs() > b.abs() {
                a /= 10;
            } else {
                b /= 10;
            }
            scale -= 1;
            m = a.checked_mul(b);
        }
        Num::new(m?, scale)
    }

    /// Multiplies by `10^exp` (exact).
    pub fn scaled_by_pow10(self, exp: u32) -> Option<Num> {
        if exp <= self.scale {
            return Num::new(self.mantissa, self.scale - exp);
        }
        let m = self
            .mantissa
            .checked_mul(10i128.checked_pow(exp - self.scale)?)?;
        Num::new(m, 0)
    }

    /// Divides by an integer, keeping up to 18 fractional digits (for `三分之一`).
    pub fn checked_div_int(self, d: i128) -> Option<Num> {
        if d == 0 {
            return None;
        }
        let mut m = self.mantissa;
        let mut scale = self.scale;
        while scale < MAX_SCALE {
            match m.checked_mul(10) {
                Some(v) if v.abs() < i128::MAX / 100 => {
                    m = v;
                    scale += 1;
                }
                _ => break,
            }
        }
        Num::new(m / d, scale)
    }

    /// Approximate float value, for display heuristics only (never for output values).
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// Rounds to `digits` fractional digits (half away from zero).
    pub fn round_to(self, digits: u32) -> Num {
        if self.scale <= digits {
            return self;
        }
        let drop = self.scale - digits;
        let div = 10i128.pow(drop.min(38));
        let q = self.mantissa / div;
        let r = self.mantissa % div;
        let q = if r.abs() * 2 >= div {
            q + self.mantissa.signum()
        } else {
            q
        };
        Num::new(q, digits).unwrap_or(self)
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Num) -> Ordering {
        match self.aligned(*other) {
            Some((a, b, _)) => a.cmp(&b),
            None => self
                .to_f64()
                .partial_cmp(&other.to_f64())
                .unwrap_or(Ordering::Equal),
        }
    }
}

/// The plain decimal notation of a [`Num`] in pieces ([`Num::plain_decimal`]): a sign, the
/// integer digits, then, when the scale is not 0, a point, `zeros` zeros and `fraction`.
pub(crate) struct PlainDecimal<'a> {
    pub negative: bool,
    pub integer: &'a [u8],
    pub point: bool,
    pub zeros: usize,
    pub fraction: &'a [u8],
}

/// The decimal digits of `v`, written at the end of `buf` (39 places hold a `u128`).
/// Values that fit a `u64` (offsets, nearly every amount) are divided as `u64`: a `u128`
/// division is a library call.
#[inline]
pub(crate) fn decimal_digits(v: u128, buf: &mut [u8; 39]) -> &[u8] {
    let mut i = buf.len();
    match u64::try_from(v) {
        Ok(mut v) => loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        },
        Err(_) => {
            let mut v = v;
            loop {
                i -= 1;
                buf[i] = b'0' + (v % 10) as u8;
                v /= 10;
                if v == 0 {
                    break;
                }
            }
        }
    }
    &buf[i..]
}

impl Num {
    /// The pieces of the plain decimal notation ([`fmt::Display`], and the JSON writer's
    /// numbers), its digits written into `buf`.
    #[inline]
    pub(crate) fn plain_decimal<'b>(&self, buf: &'b mut [u8; 39]) -> PlainDecimal<'b> {
        let negative = self.mantissa < 0;
        let digits = decimal_digits(self.mantissa.unsigned_abs(), buf);
        let scale = self.scale as usize;
        let (integer, zeros, fraction) = if scale == 0 {
            (digits, 0, &[][..])
        } else if digits.len() > scale {
            let (i, fr) = digits.split_at(digits.len() - scale);
            (i, 0, fr)
        } else {
            (&b"0"[..], scale - digits.len(), digits)
        };
        PlainDecimal {
            negative,
            integer,
            point: scale > 0,
            zeros,
            fraction,
        }
    }
}

/// The pieces of a [`PlainDecimal`] are ASCII digits (and "0").
fn ascii(b: &[u8]) -> Result<&str, fmt::Error> {
    std::str::from_utf8(b).map_err(|_| fmt::Error)
}

impl fmt::Display for Num {
    /// Plain decimal notation, never an exponent: `14300000000`, `0.5`, `-3.25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 39];
        let p = self.plain_decimal(&mut buf);
        if p.negative {
            f.write_str("-")?;
        }
        f.write_str(ascii(p.integer)?)?;
        if p.point {
            f.write_str(".")?;
            for _ in 0..p.zeros {
                f.write_str("0")?;
            }
            f.write_str(ascii(p.fraction)?)?;
        }
        Ok(())
    }
}

impl Serialize for Num {
    /// A JSON number written exactly (serde_json's `arbitrary_precision`).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.to_string().parse::<serde_json::Number>() {
            Ok(n) => n.serialize(s),
            Err(_) => s.serialize_f64(self.to_f64()),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    /// Reads a JSON number back exactly: a record written by [`Serialize`] round-trips.
    /// An exponent (`1e-05`, as another language's JSON writer may put it) is accepted
    /// through `f64`, whose shortest printing is a plain decimal.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        let n = serde_json::Number::deserialize(d)?;
        let text = n.to_string();
        Num::parse_decimal(&text)
            .or_else(|| {
                let f: f64 = text.parse().ok()?;
                Num::parse_decimal(&format!("{f}"))
            })
            .ok_or_else(|| {
                serde::de::Error::custom(format!("number {text} is out of range for an amount"))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits of `decimal_digits` (its `u64` and `u128` paths) are `u128`'s own, and
    /// Display writes the plain decimal of each piece.
    #[test]
    fn decimal_digits_and_plain_notation() {
        let mut buf = [0u8; 39];
        for v in [
            0u128,
            7,
            10,
            99,
            u64::MAX as u128,
            u64::MAX as u128 + 1,
            u128::MAX,
        ] {
            assert_eq!(decimal_digits(v, &mut buf), v.to_string().as_bytes());
        }
        for (m, scale, want) in [
            (0i128, 0u32, "0"),
            (-3250, 3, "-3.25"),
            (5, 1, "0.5"),
            (143, 10, "0.0000000143"),
            (i128::MIN, 0, "-170141183460469231731687303715884105728"),
            (i128::MAX, 18, "170141183460469231731.687303715884105727"),
        ] {
            let n = Num::new(m, scale).expect("a number in range");
            assert_eq!(n.to_string(), want, "{m} {scale}");
        }
    }

    /// The sum of two integers (the fast path) is the aligned sum, normalised.
    #[test]
    fn integer_sums_equal_aligned_sums() {
        let values = [
            0i128,
            1,
            -1,
            10,
            99,
            12_345,
            i128::MAX,
            i128::MIN,
            i128::MAX - 3,
        ];
        for &a in &values {
            for &b in &values {
                let (x, y) = (Num::from_int(a), Num::from_int(b));
                let aligned = x
                    .aligned(y)
                    .and_then(|(p, q, scale)| Num::new(p.checked_add(q)?, scale));
                assert_eq!(x.checked_add(y), aligned, "{a} + {b}");
            }
        }
    }

    #[test]
    fn json_round_trip_is_exact() {
        for text in ["4726428700", "14.3", "-0.25", "0.000001"] {
            let n = Num::parse_decimal(text).unwrap();
            let json = serde_json::to_string(&n).unwrap();
            assert_eq!(json, text);
            assert_eq!(serde_json::from_str::<Num>(&json).unwrap(), n);
        }
        let from_exponent: Num = serde_json::from_str("1e-05").unwrap();
        assert_eq!(from_exponent.to_string(), "0.00001");
        assert!(serde_json::from_str::<Num>("\"12\"").is_err());
    }

    #[test]
    fn parses_and_prints_exactly() {
        let n = Num::parse_decimal("47.264287").unwrap();
        assert_eq!(n.scaled_by_pow10(8).unwrap().to_string(), "4726428700");
        assert_eq!(
            Num::parse_decimal("14.3")
                .unwrap()
                .scaled_by_pow10(9)
                .unwrap()
                .to_string(),
            "14300000000"
        );
        assert_eq!(Num::parse_decimal("0.05").unwrap().to_string(), "0.05");
        assert_eq!(Num::parse_decimal("-3.250").unwrap().to_string(), "-3.25");
        assert_eq!(Num::parse_decimal("1.").unwrap().to_string(), "1");
    }

    #[test]
    fn rejects_garbage_and_overflow() {
        assert!(Num::parse_decimal("").is_none());
        assert!(Num::parse_decimal("1,0").is_none());
        assert!(Num::parse_decimal(&"9".repeat(10_000)).is_none());
    }

    #[test]
    fn arithmetic() {
        let a = Num::parse_decimal("1.5").unwrap();
        let b = Num::from_int(10000);
        assert_eq!(a.checked_mul(b).unwrap(), Num::from_int(15000));
        assert_eq!(a.checked_add(b).unwrap().to_string(), "10001.5");
        assert_eq!(
            Num::from_int(1).checked_div_int(4).unwrap().to_string(),
            "0.25"
        );
        assert_eq!(
            Num::parse_decimal("2.345").unwrap().round_to(2).to_string(),
            "2.35"
        );
    }

    #[test]
    fn serialises_as_plain_json_number() {
        let n = Num::parse_decimal("1102610").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "1102610");
        let n = Num::parse_decimal("0.000060").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "0.00006");
    }
}
