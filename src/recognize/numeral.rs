//! The one numeral parser: turns the text of a number into an exact `Num`.
//!
//! Money, percentages, quantities, dates and durations all read their numbers here, so a
//! fix to numeral reading fixes every recogniser at once. This module only *parses* a
//! string already known to be a numeral; finding numeral spans in running text is the
//! recognisers' job (they use [`is_numeral_char`] and the regexes built from [`CHARS`]).
//!
//! Handles Arabic digits with `,`/`，` separators and decimals, full-width digits,
//! Chinese numerals in both scripts (〇/零, 两/兩, financial 壹贰叁…, 十百千万亿兆, 点),
//! mixed forms (`3.5万`, `1万5千`, `3兆1,300億`, `一万五千亿`, `十五点八万`), the colloquial
//! elision `一万五` = 15000, and digit-by-digit readings (`二〇二五` = 2025); Indian digit
//! grouping (`12,34,567`) and continental decimals (`1.234,56`, [`parse_european`]).
//!
//! English number words ([`parse_english`]): cardinals with `and`, `point`, scales and
//! dozens (`three hundred and two thousand`, `two point five`, `half a dozen`); fractions
//! (`three fifths`, `a twenty-first`, `one hundred thirty fifths` = 100/35, the denominator
//! as long as it can be); mixed numbers (`twenty and three fifths`); fractions of a scale
//! (`one million and a half`, `two thirds of a million`, `five and a half million`).
//! Spelled ordinals (`the twenty-first century`) count nothing.

use crate::num::Num;

/// Every character that can appear inside a Chinese or Arabic numeral (for span regexes).
pub const CHARS: &str = "0123456789０１２３４５６７８９.．,，〇零一二两兩三四五六七八九十百千万萬亿億兆壹贰貳叁參参肆伍陆陸柒捌玖拾佰仟点點幺廿卅卌俩倆";

/// True when `c` can be part of a numeral.
pub fn is_numeral_char(c: char) -> bool {
    CHARS.contains(c)
}

/// The value of a Chinese or Arabic digit character.
pub fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '0' | '０' | '〇' | '零' => 0,
        '1' | '１' | '一' | '壹' | '幺' => 1,
        '2' | '２' | '二' | '两' | '兩' | '贰' | '貳' | '俩' | '倆' => 2,
        '3' | '３' | '三' | '叁' | '參' | '参' => 3,
        '4' | '４' | '四' | '肆' => 4,
        '5' | '５' | '五' | '伍' => 5,
        '6' | '６' | '六' | '陆' | '陸' => 6,
        '7' | '７' | '七' | '柒' => 7,
        '8' | '８' | '八' | '捌' => 8,
        '9' | '９' | '九' | '玖' => 9,
        _ => return None,
    })
}

fn small_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 1,
        '百' | '佰' => 2,
        '千' | '仟' => 3,
        _ => return None,
    })
}

fn big_unit(c: char) -> Option<u32> {
    Some(match c {
        '万' | '萬' => 4,
        '亿' | '億' => 8,
        '兆' => 12,
        _ => return None,
    })
}

fn is_ascii_digit_like(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Parses a run of Arabic digits with optional thousands separators and decimal point
/// (`1,100`, `47.264287`, `１２３`, `1，234．5`). Separators group by three, or in the
/// Indian way (`12,34,567`: the last group three digits, the ones before it two).
pub fn parse_arabic(s: &str) -> Option<Num> {
    // Plain ASCII digits (most runs), too few to overflow: their value, read directly.
    if (1..=18).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        let v = s.bytes().fold(0i64, |v, b| v * 10 + i64::from(b - b'0'));
        return Some(Num::from_int(i128::from(v)));
    }
    parse_arabic_chars(s.chars())
}

/// A vector that keeps its first `N` elements on the stack and moves to the heap only
/// past them: the readers below collect a numeral's characters, which in news text are
/// always a few, without an allocation each (the amount scanner reads one at every 一).
struct StackFirst<T: Copy, const N: usize> {
    small: [T; N],
    len: usize,
    heap: Option<Vec<T>>,
}

impl<T: Copy, const N: usize> StackFirst<T, N> {
    /// Empty; `fill` is any value (it is never read).
    fn new(fill: T) -> Self {
        StackFirst {
            small: [fill; N],
            len: 0,
            heap: None,
        }
    }

    fn push(&mut self, x: T) {
        if let Some(v) = self.heap.as_mut() {
            v.push(x);
        } else if let Some(slot) = self.small.get_mut(self.len) {
            *slot = x;
            self.len += 1;
        } else {
            let mut v = self.small.to_vec();
            v.push(x);
            self.heap = Some(v);
        }
    }

    fn as_slice(&self) -> &[T] {
        match &self.heap {
            Some(v) => v,
            None => &self.small[..self.len],
        }
    }
}

/// [`parse_arabic`] of the characters `chars` (a run inside a mixed numeral is read from
/// its characters, without collecting them into a string).
fn parse_arabic_chars(chars: impl Iterator<Item = char>) -> Option<Num> {
    // The digits (full-width ones made ASCII) and the point, as `Num::parse_decimal` reads
    // them: on the stack for any run of a news text, on the heap past that.
    let mut plain = StackFirst::<u8, 48>::new(0);
    // The separator-delimited groups of the integer part, without a vector: the first
    // group's digits, the current group's, how many there are, and whether every group
    // closed after the first had three digits (western) or two (Indian).
    let mut first = 0usize;
    let mut current = 0usize;
    let mut groups = 1usize;
    let mut closed_three = true;
    let mut closed_two = true;
    let mut seen_point = false;
    for c in chars {
        match c {
            '0'..='9' | '０'..='９' => {
                let d = if c.is_ascii_digit() {
                    c as u8
                } else {
                    b'0' + (c as u32 - '０' as u32) as u8
                };
                plain.push(d);
                if !seen_point {
                    current += 1;
                }
            }
            ',' | '，' if !seen_point => {
                if groups == 1 {
                    first = current;
                } else {
                    closed_three &= current == 3;
                    closed_two &= current == 2;
                }
                groups += 1;
                current = 0;
            }
            '.' | '．' if !seen_point => {
                seen_point = true;
                plain.push(b'.');
            }
            _ => return None,
        }
    }
    if groups > 1 {
        let last = current;
        let western = first >= 1 && closed_three && last == 3;
        let indian = groups >= 3 && (1..=2).contains(&first) && closed_two && last == 3;
        if !western && !indian {
            return None;
        }
    }
    Num::parse_decimal(std::str::from_utf8(plain.as_slice()).ok()?)
}

/// [`parse_arabic`] as it was first written, with a string and a vector of groups: the
/// plain path the allocation-free one must equal.
#[cfg(test)]
fn parse_arabic_plain(s: &str) -> Option<Num> {
    let mut plain = String::with_capacity(s.len());
    // Digits in each separator-delimited group of the integer part.
    let mut groups: Vec<usize> = vec![0];
    let mut seen_point = false;
    for c in s.chars() {
        match c {
            '0'..='9' | '０'..='９' => {
                let d = if c.is_ascii_digit() {
                    c
                } else {
                    char::from(b'0' + (c as u32 - '０' as u32) as u8)
                };
                plain.push(d);
                if !seen_point {
                    if let Some(n) = groups.last_mut() {
                        *n += 1;
                    }
                }
            }
            ',' | '，' if !seen_point => groups.push(0),
            '.' | '．' if !seen_point => {
                seen_point = true;
                plain.push('.');
            }
            _ => return None,
        }
    }
    if groups.len() > 1 && !western_grouping(&groups) && !indian_grouping(&groups) {
        return None;
    }
    Num::parse_decimal(&plain)
}

/// `1,234,567`: groups of three after the first (a longer first group, as in newswire
/// `4000,000`, is read as written).
fn western_grouping(groups: &[usize]) -> bool {
    groups.first().is_some_and(|&g| g >= 1) && groups[1..].iter().all(|&g| g == 3)
}

/// `12,34,567` (lakh and crore grouping): at least three groups, the first of one or two
/// digits, then groups of two, the last of three.
fn indian_grouping(groups: &[usize]) -> bool {
    let n = groups.len();
    n >= 3
        && (1..=2).contains(&groups[0])
        && groups[1..n - 1].iter().all(|&g| g == 2)
        && groups[n - 1] == 3
}

/// A number written with `.` grouping thousands and `,` before one or two decimals
/// (`1.234,56`, `12.500.000,5`): the continental European way.
pub fn parse_european(s: &str) -> Option<Num> {
    let (int, frac) = s.split_once(',')?;
    let mut groups = int.split('.');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if rest.is_empty()
        || !(1..=3).contains(&first.len())
        || !digits(first)
        || !rest.iter().all(|g| g.len() == 3 && digits(g))
        || !(1..=2).contains(&frac.len())
        || !digits(frac)
    {
        return None;
    }
    Num::parse_decimal(&format!("{first}{}.{frac}", rest.concat()))
}

/// True when the digits of `s` are grouped the Indian way (`12,34,567.89`).
pub fn has_indian_grouping(s: &str) -> bool {
    let int = s.split(['.', '．']).next().unwrap_or("");
    // Most numbers have no separator: one group, never Indian (and nothing to allocate).
    if !int.contains([',', '，']) {
        return false;
    }
    let groups: Vec<usize> = int
        .split([',', '，'])
        .map(|g| {
            g.chars()
                .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
                .count()
        })
        .collect();
    groups.len() > 1 && !western_grouping(&groups) && indian_grouping(&groups)
}

/// Parses a Chinese, Arabic or mixed numeral. `None` when `s` is not entirely a numeral
/// or the value does not fit.
pub fn parse_numeral(s: &str) -> Option<Num> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // An Arabic run (the common case) is read from the text as it is; 廿 卅 卌 would not be
    // digit-like expanded or not, so the check needs no expansion first.
    if s
        .chars()
        .all(|c| is_ascii_digit_like(c) || matches!(c, ',' | '，' | '.' | '．'))
    {
        return parse_arabic(s);
    }
    // 廿 卅 卌 are contractions of 二十 三十 四十: the characters with them expanded, on the
    // stack for any numeral of a news text (the amount scanner reads one at every 一).
    let mut expanded = StackFirst::<char, 64>::new('\0');
    for c in s.chars() {
        let (a, b) = match c {
            '廿' => ('二', Some('十')),
            '卅' => ('三', Some('十')),
            '卌' => ('四', Some('十')),
            c => (c, None),
        };
        for c in std::iter::once(a).chain(b) {
            expanded.push(c);
        }
    }
    let chars: &[char] = expanded.as_slice();
    // Digit-by-digit reading: only digits (at least two), no units, no point: 二〇二五.
    if chars.len() >= 2
        && chars
            .iter()
            .all(|&c| digit_value(c).is_some() && !is_ascii_digit_like(c))
    {
        let mut v: i128 = 0;
        for &c in chars {
            v = v.checked_mul(10)?.checked_add(digit_value(c)? as i128)?;
        }
        return Some(Num::from_int(v));
    }
    parse_positional(chars)
}

/// The positional reading of Chinese numerals with units, Arabic runs allowed as digits.
fn parse_positional(chars: &[char]) -> Option<Num> {
    let mut total = Num::ZERO; // everything already closed by a big unit
    let mut last_big: u32 = u32::MAX; // exponent of the last big unit seen
    let mut section = Num::ZERO; // value below the current big unit
    let mut current: Option<Num> = None; // the digit (or Arabic run) waiting for a unit
    let mut last_unit_exp: Option<u32> = None; // exponent of the unit just applied (for elision)
    let mut after_zero = false;
    let mut cn_digit_current = false; // `current` is one Chinese digit (may be elided)
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_ascii_digit_like(c) {
            let start = i;
            while i < chars.len()
                && (is_ascii_digit_like(chars[i]) || matches!(chars[i], ',' | '，' | '.' | '．'))
            {
                i += 1;
            }
            // A trailing separator belongs to the sentence, not the number.
            let mut end = i;
            while end > start && matches!(chars[end - 1], ',' | '，' | '.' | '．') {
                end -= 1;
            }
            if current.is_some() {
                return None;
            }
            current = Some(parse_arabic_chars(chars.get(start..end)?.iter().copied())?);
            cn_digit_current = false;
            i = end.max(start + 1);
            if end < i {
                return None;
            }
            continue;
        }
        if let Some(d) = digit_value(c) {
            if d == 0 {
                after_zero = true;
                last_unit_exp = None;
                if current.is_some() {
                    // `二〇` style mixed in: treat as digit concatenation.
                    current = Some(current?.checked_mul(Num::from_int(10))?);
                }
            } else if let Some(cur) = current {
                // Two digits in a row (`一五`): concatenate.
                current = Some(
                    cur.checked_mul(Num::from_int(10))?
                        .checked_add(Num::from_int(d as i128))?,
                );
            } else {
                current = Some(Num::from_int(d as i128));
                cn_digit_current = true;
            }
            i += 1;
            continue;
        }
        if matches!(c, '点' | '點') {
            // 两千三点一: the elided digit takes its place value before the fraction.
            if let (Some(cur), Some(e)) = (current, last_unit_exp) {
                if e >= 1 && !after_zero && cur.is_integer() && cur.mantissa() < 10 {
                    section = section.checked_add(cur.scaled_by_pow10(e - 1)?)?;
                    current = None;
                }
            }
            // Fraction digits read one by one and added to `current`.
            let mut frac = String::new();
            i += 1;
            while i < chars.len() {
                match digit_value(chars[i]) {
                    Some(d) => frac.push(char::from(b'0' + d as u8)),
                    None => break,
                }
                i += 1;
            }
            if frac.is_empty() {
                return None;
            }
            let f = Num::parse_decimal(&format!("0.{frac}"))?;
            current = Some(current.unwrap_or(Num::ZERO).checked_add(f)?);
            last_unit_exp = None;
            continue;
        }
        if let Some(e) = small_unit(c) {
            let mult = current.unwrap_or(Num::from_int(1));
            section = section.checked_add(mult.scaled_by_pow10(e)?)?;
            current = None;
            last_unit_exp = Some(e);
            after_zero = false;
            i += 1;
            continue;
        }
        if let Some(e) = big_unit(c) {
            if current.is_none()
                && section.is_zero()
                && last_unit_exp == Some(last_big)
                && !total.is_zero()
            {
                // 万万 = 亿, 百万万: a big unit right after another multiplies.
                total = total.checked_mul(Num::from_int(1).scaled_by_pow10(e)?)?;
                last_big = last_big.saturating_add(e);
                last_unit_exp = Some(last_big);
                i += 1;
                continue;
            }
            // 百二万 = 1,200,000: a lone Chinese digit right after 百/千 is elided before 万/亿.
            let elided = match (current, last_unit_exp) {
                (Some(cur), Some(e @ 2..=3))
                    if !after_zero
                        && cn_digit_current
                        && cur.is_integer()
                        && cur.mantissa() < 10 =>
                {
                    Some(cur.scaled_by_pow10(e - 1)?)
                }
                _ => None,
            };
            let below = section.checked_add(elided.or(current).unwrap_or(Num::ZERO))?;
            let below = if below.is_zero() && total.is_zero() {
                Num::from_int(1)
            } else {
                below
            };
            if e > last_big || last_big == u32::MAX {
                // 一万五千亿: everything so far is multiplied by the larger unit.
                total = total.checked_add(below)?.scaled_by_pow10(e)?;
            } else {
                total = total.checked_add(below.scaled_by_pow10(e)?)?;
            }
            last_big = e;
            section = Num::ZERO;
            current = None;
            last_unit_exp = Some(e);
            after_zero = false;
            i += 1;
            continue;
        }
        return None;
    }
    if let Some(cur) = current {
        // Elision: 一万五 = 15000, 三百五 = 350 (a lone trailing digit right after a unit).
        match last_unit_exp {
            Some(e) if e >= 1 && !after_zero && cur.is_integer() && cur.mantissa() < 10 => {
                section = section.checked_add(cur.scaled_by_pow10(e - 1)?)?;
            }
            _ => section = section.checked_add(cur)?,
        }
    }
    total.checked_add(section)
}

/// How [`to_chinese_with`] spells a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumeralStyle {
    /// 萬/億 instead of 万/亿.
    pub traditional: bool,
    /// Leave out every 零 that is not needed to read the number back (`一万二百五十`).
    pub drop_zeros: bool,
    /// Write each four-digit group in Arabic digits (`3万5000`, `1亿2345万6789`).
    pub arabic_groups: bool,
}

/// Writes `n` (0 ≤ n < 10^16) as a Chinese numeral; used by property tests and by anyone
/// needing a canonical spelling. `traditional` picks 萬/億 forms.
pub fn to_chinese(n: u64, traditional: bool) -> String {
    to_chinese_with(
        n,
        NumeralStyle {
            traditional,
            ..NumeralStyle::default()
        },
    )
}

/// Writes `n` (0 ≤ n < 10^16) in the given style.
pub fn to_chinese_with(n: u64, style: NumeralStyle) -> String {
    if n == 0 {
        return if style.arabic_groups {
            "0".to_string()
        } else {
            "零".to_string()
        };
    }
    let (wan, yi) = if style.traditional {
        ('萬', '億')
    } else {
        ('万', '亿')
    };
    fn four(mut v: u64, out: &mut String) {
        const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
        let units = ['千', '百', '十', ' '];
        let mut started = false;
        let mut zero_pending = false;
        let mut div = 1000;
        for u in units {
            let d = v / div;
            v %= div;
            div /= 10;
            if d == 0 {
                if started {
                    zero_pending = true;
                }
                continue;
            }
            if zero_pending {
                out.push('零');
                zero_pending = false;
            }
            out.push(D[d as usize]);
            if u != ' ' {
                out.push(u);
            }
            started = true;
        }
    }
    let groups = [
        (n / 1_0000_0000_0000, '兆'),
        ((n / 1_0000_0000) % 1_0000, yi),
        ((n / 1_0000) % 1_0000, wan),
        (n % 1_0000, ' '),
    ];
    let mut out = String::new();
    let mut started = false;
    let mut zero_pending = false;
    for (g, unit) in groups {
        if g == 0 {
            if started {
                zero_pending = true;
            }
            continue;
        }
        if started && (zero_pending || g < 1000) {
            out.push('零');
        }
        zero_pending = false;
        if style.arabic_groups {
            out.push_str(&g.to_string());
        } else {
            four(g, &mut out);
        }
        if unit != ' ' {
            out.push(unit);
        }
        started = true;
    }
    if style.drop_zeros {
        // A 零 is needed only before a lone digit that ends the number or its group
        // (一百零五 is not 一百五 = 150; 一千零二万 is not 一千二万 = 12,000,000), or
        // before an Arabic group (1亿零5).
        let chars: Vec<char> = out.chars().collect();
        let is_big = |c: char| matches!(c, '万' | '萬' | '亿' | '億' | '兆');
        out = chars
            .iter()
            .enumerate()
            .filter(|&(i, &c)| {
                if c != '零' {
                    return true;
                }
                let next = chars.get(i + 1).copied();
                let after = chars.get(i + 2).copied();
                let lone_digit = next
                    .is_some_and(|n| digit_value(n).is_some() && !n.is_ascii_digit())
                    && after.is_none_or(is_big);
                lone_digit || next.is_some_and(|n| n.is_ascii_digit())
            })
            .map(|(_, &c)| c)
            .collect();
    }
    out
}

// ---------------------------------------------------------------- English number words

/// What an English number word contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnglishWord {
    /// zero .. nineteen
    Unit(u32),
    /// twenty .. ninety
    Tens(u32),
    Hundred,
    /// thousand, million, billion, trillion, lakh, crore: the power of ten.
    Scale(u32),
    Dozen,
}

/// The role of one lower-case English word in a number, if any.
pub fn english_word(w: &str) -> Option<EnglishWord> {
    use EnglishWord::*;
    Some(match w {
        "zero" | "nought" | "naught" | "nil" => Unit(0),
        "one" => Unit(1),
        "two" => Unit(2),
        "three" => Unit(3),
        "four" => Unit(4),
        "five" => Unit(5),
        "six" => Unit(6),
        "seven" => Unit(7),
        "eight" => Unit(8),
        "nine" => Unit(9),
        "ten" => Unit(10),
        "eleven" => Unit(11),
        "twelve" => Unit(12),
        "thirteen" => Unit(13),
        "fourteen" => Unit(14),
        "fifteen" => Unit(15),
        "sixteen" => Unit(16),
        "seventeen" => Unit(17),
        "eighteen" => Unit(18),
        "nineteen" => Unit(19),
        "twenty" => Tens(20),
        "thirty" => Tens(30),
        "forty" | "fourty" => Tens(40),
        "fifty" => Tens(50),
        "sixty" => Tens(60),
        "seventy" => Tens(70),
        "eighty" => Tens(80),
        "ninety" => Tens(90),
        "hundred" | "hundreds" => Hundred,
        "thousand" | "thousands" => Scale(3),
        "lakh" | "lakhs" => Scale(5),
        "million" | "millions" => Scale(6),
        "crore" | "crores" => Scale(7),
        "billion" | "billions" => Scale(9),
        "trillion" | "trillions" => Scale(12),
        "dozen" | "dozens" | "doz" | "dozs" | "dz" | "dzs" => Dozen,
        _ => return None,
    })
}

/// The power of ten of an English scale word or abbreviation written after a number
/// (`14.3 billion`, `$2bn`, `5 mln`, `1.2k`); `None` for anything else. Callers decide
/// when a one-letter form counts (`$5m` is five million, `5m` alone is five metres).
pub fn english_scale(w: &str) -> Option<u32> {
    Some(match w {
        "k" | "K" => 3,
        "M" | "m" | "MM" | "mm" => 6,
        "B" | "b" => 9,
        "T" => 12,
        // Giga; `scale_word_at` in the amount builder keeps it off whole numbers.
        "G" => 9,
        _ => match w.to_ascii_lowercase().as_str() {
            "hundred" => 2,
            "thousand" | "thousands" | "thou" => 3,
            "lakh" | "lakhs" => 5,
            "million" | "millions" | "mln" | "mn" | "mil" | "mio" => 6,
            "crore" | "crores" => 7,
            "billion" | "billions" | "bn" | "bln" => 9,
            "trillion" | "trillions" | "tn" | "tln" | "trn" => 12,
            _ => return None,
        },
    })
}

/// The denominator an English ordinal word names in a fraction (`fifths` -> 5,
/// `quarter` -> 4, `hundredths` -> 100); `first` and `second` only after a tens word.
fn denominator_word(w: &str) -> Option<i128> {
    let w = w
        .strip_suffix('s')
        .filter(|s| !s.is_empty() && *s != "half")
        .unwrap_or(w);
    Some(match w {
        "half" | "halve" => 2,
        "third" => 3,
        "fourth" | "quarter" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        "fortieth" => 40,
        "fiftieth" => 50,
        "sixtieth" => 60,
        "seventieth" => 70,
        "eightieth" => 80,
        "ninetieth" => 90,
        "hundredth" => 100,
        "thousandth" => 1_000,
        "millionth" => 1_000_000,
        "billionth" => 1_000_000_000,
        "trillionth" => 1_000_000_000_000,
        _ => return None,
    })
}

/// True for an ordinal word that can name a fraction's denominator (`fifth`, `quarters`,
/// `hundredth`, `first`, `seconds`).
pub fn is_ordinal_word(w: &str) -> bool {
    denominator_word(w).is_some() || matches!(w, "first" | "firsts" | "second" | "seconds")
}

/// A plural ordinal (`fifths`, `halves`, `twenty-firsts`): the numerator may exceed one.
fn is_plural_ordinal(w: &str) -> bool {
    w.ends_with('s')
}

/// A fraction's denominator at the start of `words`: `fifths`, `twenty-fifth`:
/// (denominator, words used, plural).
fn denominator(words: &[&str]) -> Option<(i128, usize, bool)> {
    let first = *words.first()?;
    if let Some(d) = denominator_word(first) {
        return Some((d, 1, is_plural_ordinal(first)));
    }
    if let Some(EnglishWord::Tens(t)) = english_word(first) {
        let last = *words.get(1)?;
        let unit = last.strip_suffix('s').unwrap_or(last);
        let u = match unit {
            "first" => 1,
            "second" => 2,
            w => match denominator_word(w)? {
                d @ 3..=9 => d,
                _ => return None,
            },
        };
        return Some((t as i128 + u, 2, is_plural_ordinal(last)));
    }
    None
}

/// [`denominator`], or one that opens with `one hundred` / `one thousand`
/// (`one hundred fifth` = 105th, `one thousand and fifth`): those can only follow a
/// numerator (`one one hundred fifth` = 1/105).
fn compound_denominator(words: &[&str]) -> Option<(i128, usize, bool)> {
    if words.first() == Some(&"one") {
        let exp = match words.get(1).and_then(|w| english_word(w)) {
            Some(EnglishWord::Hundred) => 2,
            Some(EnglishWord::Scale(e)) => e,
            _ => return denominator(words),
        };
        let base = 10i128.checked_pow(exp)?;
        let j = if words.get(2) == Some(&"and") { 3 } else { 2 };
        let (d, k, plural) = denominator(words.get(j..)?)?;
        if d < base {
            return Some((base + d, j + k, plural));
        }
        return None;
    }
    denominator(words)
}

/// A proper fraction `n / d` (or `a half`) multiplied by a scale word right after it:
/// `three quarters million`, `two thirds of a million`, `half a dozen`: (factor, words used).
fn scale_after_fraction(words: &[&str]) -> Option<(Num, usize)> {
    let factor = |w: &str| match english_word(w)? {
        EnglishWord::Hundred => Some(Num::from_int(100)),
        EnglishWord::Scale(e) => Num::from_int(1).scaled_by_pow10(e),
        EnglishWord::Dozen => Some(Num::from_int(12)),
        _ => None,
    };
    match words {
        [w, ..] if factor(w).is_some() => Some((factor(w)?, 1)),
        ["of", "a" | "an", w, ..] => Some((factor(w)?, 3)),
        _ => None,
    }
}

/// `numerator denominator` at the start of `words`, the denominator taken as long as it
/// can be (`one hundred thirty fifths` = 100/35, `one one hundred fifth` = 1/105,
/// `one hundred and thirty fifths` = 130/5: `and` never ends a numerator). A singular
/// ordinal takes the numerator one or a one-word small numerator (`two millionth` is an
/// ordinal, not 2/10^6). `None` as soon as `a` + ordinal reads as an ordinal adjective.
/// Returns (numerator, denominator, words used).
fn numerator_over_denominator(words: &[&str]) -> Option<(Num, i128, usize)> {
    let n = words.len().min(12);
    if !words[..n].iter().any(|w| is_ordinal_word(w)) {
        return None;
    }
    for i in 1..n {
        let numerator = if i == 1 && matches!(words[0], "a" | "an") {
            Num::from_int(1)
        } else {
            match parse_english_whole(&words[..i]) {
                Some(w) if w.used == i => w.value,
                _ => continue,
            }
        };
        let Some((d, k, plural)) = compound_denominator(&words[i..]) else {
            continue;
        };
        // A singular ordinal: `one fifth`, `a third`, and the adjective of a small fraction
        // (`two and three-quarter pct`, `a two-third majority`); else an ordinal
        // (`two millionth`, `the one hundred fifth`). `a twenty-second delay` is a duration.
        let one = numerator == Num::from_int(1);
        let small = i == 1 && k == 1 && numerator < Num::from_int(10) && d < 100;
        let seconds = words[i + k - 1].starts_with("second");
        if !plural && (!(one || small) || seconds) {
            continue;
        }
        // `a third of`, `a fifth` are fractions; `a third term`, `a fourth straight year`
        // are ordinals (`a half point`, `a quarter century` stay halves and quarters).
        let article = i == 1 && matches!(words[0], "a" | "an");
        let halves = matches!(words[i + k - 1], "half" | "quarter");
        let follows_ok = match words.get(i + k) {
            None => true,
            Some(&w) => w == "of" || scale_after_fraction(&words[i + k..]).is_some(),
        };
        if article && !plural && !halves && !follows_ok {
            return None;
        }
        return Some((numerator, d, i + k));
    }
    None
}

/// A proper fraction after `and` in `rest` (`a half`, `three fifths`, `one half`):
/// (numerator, denominator, words used), or `None`.
fn fraction_after_and(rest: &[&str]) -> Option<(Num, i128, usize)> {
    let (n, nu) = match rest.first() {
        Some(&("a" | "an")) => (Num::from_int(1), 1),
        _ => {
            let w = parse_english_whole(rest)?;
            (w.value, w.used)
        }
    };
    let (d, k, plural) = denominator(rest.get(nu..)?)?;
    if n >= Num::from_int(d) || (!plural && n != Num::from_int(1) && (nu > 1 || d >= 100)) {
        return None;
    }
    Some((n, d, nu + k))
}

/// `n / d` times `m`, multiplied first so that `two thirds of a million` stays exact to
/// the last digit the decimal keeps.
fn times_fraction(n: Num, d: i128, m: Num) -> Option<Num> {
    n.checked_mul(m)?.checked_div_int(d)
}

/// Reads the longest English number at the start of `words` (lower-case, hyphens already
/// split off): `one hundred and sixty-one`, `two point five`, `a dozen`, `half a million`,
/// and fractions: `three fifths`, `a half`, `one and a quarter`, `one twenty-fifth`,
/// `two thirds of a million`; mixed numbers: `twenty and three fifths`, and after a scale
/// word the fraction is of that scale: `one million and a half` = 1,500,000.
/// Returns the value and how many words it used.
pub fn parse_english(words: &[&str]) -> Option<(Num, usize)> {
    let first = *words.first()?;
    if english_word(first).is_none() && !matches!(first, "a" | "an" | "half" | "quarter") {
        return None;
    }
    let whole = parse_english_whole(words);
    // `two hundred and fifty-four hundredths` = 200 + 54/100: a proper fraction after the
    // last `and` is added to what came before it (an improper one is not: `one hundred
    // and thirty fifths` = 130/5).
    if let Some(w) = &whole {
        if let Some((base, base_exp)) = w.before_and {
            if let Some((n, d, k)) = fraction_after_and(&words[w.and_at + 1..]) {
                let at = w.and_at + 1 + k;
                if at > w.used {
                    let (m, extra) =
                        scale_after_fraction(&words[at..]).unwrap_or((scale_of(base_exp), 0));
                    let f = times_fraction(n, d, m)?;
                    return Some((base.checked_add(f)?, at + extra));
                }
            }
        }
    }
    if let Some((n, d, used)) = numerator_over_denominator(words) {
        let (m, extra) = scale_after_fraction(&words[used..]).unwrap_or((Num::from_int(1), 0));
        return Some((times_fraction(n, d, m)?, used + extra));
    }
    let Some(w) = whole else {
        // `half` on its own (`more than half`).
        return if first == "half" {
            Some((Num::new(5, 1)?, 1))
        } else {
            None
        };
    };
    let (mut value, mut used) = (w.value, w.used);
    // `the twenty-first century`, `its one hundred (and) fifth year`: the words spell an
    // ordinal, which counts nothing.
    let next = match words.get(used) {
        Some(&"and") => words.get(used + 1),
        w => w,
    };
    if let Some(&o) = next.filter(|o| is_ordinal_word(o)) {
        let unit_ordinal = denominator_word(o).is_some_and(|d| d < 10)
            || o.starts_with("first")
            || o.starts_with("second");
        let continues = match w.last {
            Some(EnglishWord::Tens(_)) => unit_ordinal,
            Some(EnglishWord::Hundred | EnglishWord::Scale(_)) => true,
            // (`two millionth` keeps its `two`: a multiple of a scale ordinal is rare, and
            // `one hundredth` is a fraction.)
            _ => false,
        };
        if continues && !o.ends_with('s') {
            return None;
        }
    }
    // `one and a half`, `twenty and three fifths`, `five billion and three quarters`.
    if words.get(used) == Some(&"and") {
        if let Some((n, d, k)) = fraction_after_and(&words[used + 1..]) {
            let at = used + 1 + k;
            let (m, extra) =
                scale_after_fraction(&words[at..]).unwrap_or((scale_of(w.last_exp), 0));
            let own = Num::from_int(1).scaled_by_pow10(w.last_exp.unwrap_or(0))?;
            value = if extra > 0 && m > own {
                // `five and a half million`: the scale word after the fraction scales all.
                times_fraction(value.checked_mul(Num::from_int(d))?.checked_add(n)?, d, m)?
            } else {
                value.checked_add(times_fraction(n, d, m)?)?
            };
            used = at + extra;
        }
    }
    Some((value, used))
}

/// 10^exp for a scale word of a thousand or more; 1 otherwise (`one hundred and a half`
/// is 100.5, `one million and a half` 1.5 million).
fn scale_of(exp: Option<u32>) -> Num {
    match exp {
        Some(e) if e >= 3 => Num::from_int(1)
            .scaled_by_pow10(e)
            .unwrap_or(Num::from_int(1)),
        _ => Num::from_int(1),
    }
}

/// A whole number read by [`parse_english_whole`].
struct Whole {
    value: Num,
    used: usize,
    /// The value before the last `and` and the power of ten of the scale word right before
    /// that `and`, if any (`two million and three` -> (2000000, Some(6))).
    before_and: Option<(Num, Option<u32>)>,
    /// Index of that last `and`.
    and_at: usize,
    /// The power of ten of the last word when it is a scale word (`five billion` -> 9).
    last_exp: Option<u32>,
    /// The kind of the last number word read.
    last: Option<EnglishWord>,
}

/// Whole numbers in words (no fractions): the core of [`parse_english`].
fn parse_english_whole(words: &[&str]) -> Option<Whole> {
    use EnglishWord::*;
    let mut total = Num::ZERO; // closed by a scale word
    let mut current = Num::ZERO; // below the next scale word
    let mut used = 0usize; // words consumed so far that end a valid number
    let mut any = false;
    let mut last: Option<EnglishWord> = None;
    let mut i = 0usize;
    // `a hundred`, `a million`, `half a million`, `a quarter million`.
    let mut pending_one = false;
    let mut fraction: Option<Num> = None; // `half`, `quarter` before a scale
    let mut before_and: Option<(Num, Option<u32>)> = None;
    let mut and_at = 0usize;
    let exp_of = |k: Option<EnglishWord>| match k {
        Some(Scale(e)) => Some(e),
        Some(Hundred) => Some(2),
        _ => None,
    };
    while i < words.len() {
        let w = words[i];
        if (w == "a" || w == "an") && !any && !pending_one {
            pending_one = true;
            i += 1;
            continue;
        }
        if (w == "half" || w == "quarter") && !any && fraction.is_none() {
            fraction = Some(if w == "half" {
                Num::new(5, 1)?
            } else {
                Num::new(25, 2)?
            });
            i += 1;
            if words.get(i) == Some(&"a") || words.get(i) == Some(&"of") {
                i += 1;
            }
            continue;
        }
        if w == "and" {
            // `one hundred and six`, `twenty and three`: only inside a number, before
            // another number word (not `and zero`, and after a tens word only a unit
            // that does not start a bigger number: `between twenty and three hundred`).
            let next = words.get(i + 1).and_then(|n| english_word(n));
            let after_next = words.get(i + 2).and_then(|n| english_word(n));
            let ok = match (last, next) {
                (Some(Hundred) | Some(Scale(_)), Some(Unit(u))) => u > 0,
                (Some(Hundred) | Some(Scale(_)), Some(Tens(_))) => true,
                (Some(Tens(_)), Some(Unit(u))) => {
                    (1..=9).contains(&u) && !matches!(after_next, Some(Hundred | Scale(_) | Dozen))
                }
                _ => false,
            };
            if any && ok {
                before_and = Some((total.checked_add(current)?, exp_of(last)));
                and_at = i;
                i += 1;
                continue;
            }
            break;
        }
        if w == "point" && any {
            // Fraction digits: `point zero three`, `point seventy-one`.
            let mut digits = String::new();
            let mut j = i + 1;
            while j < words.len() {
                match english_word(words[j]) {
                    Some(Unit(d)) => digits.push_str(&d.to_string()),
                    Some(Tens(t)) => {
                        if let Some(Unit(d)) = words.get(j + 1).and_then(|n| english_word(n)) {
                            if d < 10 {
                                digits.push_str(&(t + d).to_string());
                                j += 2;
                                continue;
                            }
                        }
                        digits.push_str(&(t / 10).to_string());
                    }
                    _ => break,
                }
                j += 1;
            }
            if digits.is_empty() {
                break;
            }
            let f = Num::parse_decimal(&format!("0.{digits}"))?;
            current = current.checked_add(f)?;
            used = j;
            last = None;
            break;
        }
        let Some(kind) = english_word(w) else { break };
        let had_fraction = fraction.is_some();
        match kind {
            Unit(v) => {
                if matches!(last, Some(Unit(_))) || (matches!(last, Some(Tens(_))) && v >= 10) {
                    break;
                }
                current = current.checked_add(Num::from_int(v as i128))?;
            }
            Tens(v) => {
                if matches!(last, Some(Unit(_)) | Some(Tens(_))) {
                    break;
                }
                current = current.checked_add(Num::from_int(v as i128))?;
            }
            Hundred => {
                if matches!(last, Some(Hundred)) {
                    break;
                }
                let base = match fraction.take() {
                    Some(f) => f,
                    None if current.is_zero() => Num::from_int(1),
                    None => current,
                };
                current = base.checked_mul(Num::from_int(100))?;
            }
            Scale(e) => {
                let mut base = if current.is_zero() && total.is_zero() {
                    Num::from_int(1)
                } else {
                    current
                };
                if let Some(f) = fraction.take() {
                    base = if current.is_zero() {
                        f
                    } else {
                        base.checked_add(f)?
                    };
                }
                if current.is_zero() && !total.is_zero() && matches!(last, Some(Scale(_))) {
                    // `three lakh crore`: scales multiply.
                    total = total.checked_mul(Num::from_int(1).scaled_by_pow10(e)?)?;
                } else {
                    total = total.checked_add(base.scaled_by_pow10(e)?)?;
                }
                current = Num::ZERO;
            }
            Dozen => {
                let base = match fraction.take() {
                    Some(f) => f,
                    None if current.is_zero() => Num::from_int(1),
                    None => current,
                };
                current = base.checked_mul(Num::from_int(12))?;
            }
        }
        if pending_one && !any && !matches!(kind, Hundred | Scale(_) | Dozen) {
            return None; // `a five` is not a number
        }
        if !pending_one && !any && !had_fraction && matches!(kind, Hundred | Scale(_) | Dozen) {
            return None; // a lone `million` or `dozen` counts nothing
        }
        pending_one = false;
        if fraction.is_some() {
            return None;
        }
        any = true;
        last = Some(kind);
        i += 1;
        used = i;
    }
    if !any {
        return None;
    }
    Some(Whole {
        value: total.checked_add(current)?,
        used,
        before_and: before_and.filter(|_| and_at < used),
        and_at,
        last_exp: exp_of(last),
        last,
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn stack_first_keeps_every_element_past_the_stack() {
        let mut v = StackFirst::<u8, 4>::new(0);
        assert!(v.as_slice().is_empty());
        for b in 1..=9u8 {
            v.push(b);
            assert_eq!(v.as_slice(), (1..=b).collect::<Vec<_>>().as_slice());
        }
    }
    use super::*;
    use proptest::prelude::*;

    /// [`parse_numeral`] as first written: the characters collected into a vector.
    fn parse_numeral_plain(s: &str) -> Option<Num> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        if s
            .chars()
            .all(|c| is_ascii_digit_like(c) || matches!(c, ',' | '，' | '.' | '．'))
        {
            return parse_arabic_plain(s);
        }
        let chars: Vec<char> = s
            .chars()
            .flat_map(|c| match c {
                '廿' => vec!['二', '十'],
                '卅' => vec!['三', '十'],
                '卌' => vec!['四', '十'],
                c => vec![c],
            })
            .collect();
        if chars.len() >= 2
            && chars
                .iter()
                .all(|&c| digit_value(c).is_some() && !is_ascii_digit_like(c))
        {
            let mut v: i128 = 0;
            for &c in &chars {
                v = v.checked_mul(10)?.checked_add(digit_value(c)? as i128)?;
            }
            return Some(Num::from_int(v));
        }
        parse_positional(&chars)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The allocation-free Arabic reader equals the plain one, on runs of digits,
        /// separators and points (long ones past its stack buffer included).
        #[test]
        fn parse_arabic_equals_plain(s in "[0-9０-９,，.．x]{0,70}") {
            prop_assert_eq!(parse_arabic(&s), parse_arabic_plain(&s));
        }

        /// Plain ASCII digits (read directly up to 18 of them).
        #[test]
        fn parse_arabic_digits_equal_plain(s in "[0-9]{0,25}") {
            prop_assert_eq!(parse_arabic(&s), parse_arabic_plain(&s));
        }

        /// Groups of digits between separators, where the grouping rules decide.
        #[test]
        fn parse_arabic_groups_equal_plain(s in "([0-9]{0,4}[,，]){0,5}[0-9]{0,4}([.．][0-9]{0,22})?") {
            prop_assert_eq!(parse_arabic(&s), parse_arabic_plain(&s));
        }

        /// The numeral reader with its characters on the stack equals the plain one, on
        /// Chinese, Arabic and mixed numerals, contractions and runs past the stack buffer.
        #[test]
        fn parse_numeral_equals_plain(s in "[0-9,.一二三四五六七八九十百千万亿兆零两廿卅卌点幺 ]{0,80}") {
            prop_assert_eq!(parse_numeral(&s), parse_numeral_plain(&s));
        }
    }

    fn p(s: &str) -> String {
        parse_numeral(s)
            .map(|n| n.to_string())
            .unwrap_or_else(|| "None".into())
    }

    #[test]
    fn arabic_forms() {
        assert_eq!(p("1,100"), "1100");
        assert_eq!(p("47.264287"), "47.264287");
        assert_eq!(p("１２３"), "123");
        assert_eq!(p("1，234．5"), "1234.5");
        assert_eq!(p("1,00"), "None");
    }

    #[test]
    fn chinese_forms() {
        assert_eq!(p("三"), "3");
        assert_eq!(p("十"), "10");
        assert_eq!(p("十五"), "15");
        assert_eq!(p("一百零五"), "105");
        assert_eq!(p("两千三百"), "2300");
        assert_eq!(p("一万五"), "15000");
        assert_eq!(p("三百五"), "350");
        assert_eq!(p("一万五千亿"), "1500000000000");
        assert_eq!(p("二十万亿"), "20000000000000");
        assert_eq!(p("十五点八万"), "158000");
        assert_eq!(p("二〇二五"), "2025");
        assert_eq!(p("壹佰贰拾"), "120");
        assert_eq!(p("兩萬"), "20000");
        assert_eq!(p("两百点两"), "200.2");
    }

    #[test]
    fn mixed_forms() {
        assert_eq!(p("3.5万"), "35000");
        assert_eq!(p("1万5千"), "15000");
        assert_eq!(p("3兆1,300億"), "3130000000000");
        assert_eq!(p("143億"), "14300000000");
        assert_eq!(p("47.264287亿"), "4726428700");
        assert_eq!(p("1,100万"), "11000000");
    }

    /// `parse_english` over `s` split at spaces and hyphens: (value, words used).
    fn en(s: &str) -> Option<(String, usize)> {
        let words: Vec<&str> = s.split([' ', '-']).collect();
        parse_english(&words).map(|(v, n)| (v.to_string(), n))
    }

    fn en_is(s: &str, v: &str, used: usize) {
        assert_eq!(en(s), Some((v.to_string(), used)), "{s}");
    }

    #[test]
    fn english_whole_numbers() {
        en_is("one hundred and sixty-one", "161", 5);
        en_is("twenty and three", "23", 3);
        // `and` joins no zero and no bigger number after a tens word.
        en_is("three hundred and zero", "300", 2);
        en_is("twenty and three hundred", "20", 1);
        en_is("seven dozen", "84", 2);
        en_is("five dozs", "60", 2);
        en_is("half a dozen", "6", 3);
        en_is("half a million", "500000", 3);
        en_is("half of them", "0.5", 1);
        assert_eq!(en("quarter"), None);
        assert_eq!(en("the"), None);
    }

    #[test]
    fn english_fractions() {
        en_is("three fifths", "0.6", 2);
        en_is("a quarter", "0.25", 2);
        en_is("nine tenths", "0.9", 2);
        // The denominator is as long as it can be after a whole numerator.
        en_is("two hundred twenty fifths", "8", 4);
        en_is("one one thousand fifths", "0.00099502487562189", 4);
        en_is("twelve fifths", "2.4", 2);
        // `and` never ends a numerator: 140 / 5.
        en_is("one hundred and forty fifths", "28", 5);
        // A proper fraction after `and` is added, of the scale before it if any.
        en_is("six and a half", "6.5", 4);
        en_is("two hundred and nine tenths", "200.9", 5);
        en_is("two million and a half", "2500000", 5);
        en_is("three billion and two fifths", "3400000000", 5);
        en_is("four billion and a half million", "4000500000", 6);
        en_is("three quarters of a billion", "750000000", 5);
        en_is("five and a half million", "5500000", 5);
        en_is("two and three quarters billion", "2750000000", 5);
        // A singular ordinal after a number above one is an ordinal.
        // Ordinals count nothing.
        en_is("three millionth", "3", 1);
        assert_eq!(en("twenty-first century"), None);
        assert_eq!(en("one hundred and fifth year"), None);
        en_is("twenty fifths", "4", 2);
        en_is("two and three quarter", "2.75", 4);
        en_is("two third majority", "0.666666666666666666", 2);
        assert_eq!(en("one hundred fifth"), None);
        en_is("a millionth", "0.000001", 2);
        assert_eq!(en("a twenty second"), None);
        // After `a`, a singular ordinal before a noun is an ordinal.
        assert_eq!(en("a third term"), None);
        en_is("a third of them", "0.333333333333333333", 2);
        en_is("a fifth", "0.2", 2);
        en_is("a quarter point", "0.25", 2);
    }

    #[test]
    fn indian_and_western_grouping() {
        assert_eq!(p("12,34,567"), "1234567");
        assert_eq!(p("1,00,00,000.5"), "10000000.5");
        assert_eq!(p("1,234,567"), "1234567");
        assert_eq!(p("12,34"), "None");
        assert_eq!(p("1,2,345"), "None");
        assert!(has_indian_grouping("3,45,678"));
        assert!(!has_indian_grouping("345,678"));
        assert_eq!(p("4000,000"), "4000000");
        let eu = |s: &str| parse_european(s).map(|n| n.to_string());
        assert_eq!(eu("1.234,56").as_deref(), Some("1234.56"));
        assert_eq!(eu("12.500.000,5").as_deref(), Some("12500000.5"));
        assert_eq!(eu("1,5"), None);
        assert_eq!(eu("1.234,567"), None);
        assert_eq!(eu("1.2345,6"), None);
    }

    #[test]
    fn writes_chinese() {
        for n in [
            0u64,
            7,
            10,
            15,
            105,
            1005,
            10000,
            10001,
            15000,
            100000000,
            1234567890123456,
        ] {
            assert_eq!(
                p(&to_chinese(n, false)),
                n.to_string(),
                "{}",
                to_chinese(n, false)
            );
            assert_eq!(p(&to_chinese(n, true)), n.to_string());
        }
    }
}
