//! Finding numerals in running text: the "atoms" that amounts are built around.
//!
//! An atom is one written number: Arabic (`1,100`, `47.264287`), Chinese (`一万五千`,
//! `四十九兆九千五百九十二亿`), mixed (`3.5万`, `1万5千`), English words (`three million`),
//! or a vague Chinese magnitude (`数百万`, `几千万`, `上百`), a vulgar fraction (`¾`, `2½`),
//! scientific notation (`2e5`, `1.3x10^6`), `a couple of` (about two), or one part of a
//! dotted chain (`192.168.1.2` is four numbers, no decimal). The scanner only finds and
//! reads them; deciding what they count (money, percent, ...) is `build`'s job. Values come
//! from the one numeral parser, [`crate::recognize::numeral`].

use std::cell::Cell;
use crate::document::Qualifier;
use crate::num::Num;
use crate::recognize::entity::cues::first_code_point_where;
use crate::recognize::numeral::{self, parse_english, parse_numeral};

/// One numeral found in the text (byte offsets into the normalised text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Atom {
    pub start: usize,
    pub end: usize,
    /// `None` for a vague magnitude (`数百万`).
    pub value: Option<Num>,
    /// `Over` for `一千多万`, `上百`; `Vague` for `数百万`; else `Exact`.
    pub qualifier: Qualifier,
    pub chinese: bool,
    pub arabic: bool,
    pub english: bool,
    /// Number of numeral characters (spaces and markers not counted).
    pub nchars: usize,
    /// Power of ten of the trailing unit characters (`20亿` -> 8, `3百万` -> 6), for ranges
    /// such as `10至20亿` whose first number borrows the second one's unit.
    pub scale_exp: u32,
    /// Only unit characters, no digit (`百万`, `千万`, `十`).
    pub unit_only: bool,
    /// Power of ten of a vague magnitude (`数百万` -> 6), for its display.
    pub vague_exp: u32,
    /// Upper bound of an approximate pair (`二三十` = 20 to 30).
    pub max: Option<Num>,
}

fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '两'
            | '兩'
            | '俩'
            | '倆'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '壹'
            | '贰'
            | '貳'
            | '叁'
            | '參'
            | '参'
            | '肆'
            | '伍'
            | '陆'
            | '陸'
            | '柒'
            | '捌'
            | '玖'
            | '廿'
            | '卅'
            | '卌'
    )
}

fn unit_exp(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 1,
        '百' | '佰' => 2,
        '千' | '仟' => 3,
        '万' | '萬' => 4,
        '亿' | '億' => 8,
        '兆' => 12,
        _ => return None,
    })
}

fn is_cn_numeral(c: char) -> bool {
    is_cn_digit(c) || unit_exp(c).is_some()
}

fn is_numeral_part(c: char) -> bool {
    c.is_ascii_digit() || is_cn_numeral(c)
}

/// True when `c` can begin an atom (cheap first test for the scan loop).
pub(crate) fn may_start(c: char) -> bool {
    c.is_ascii_digit()
        || is_cn_numeral(c)
        || matches!(c, '数' | '几' | '上' | '.' | '半' | '对')
        || c.is_ascii_alphabetic()
        || vulgar_fraction(c).is_some()
}

/// The Han block (U+4E00..U+9FFF), where nearly every character of Chinese text lies.
const HAN_FIRST: u32 = 0x4E00;
const HAN_LAST: u32 = 0x9FFF;

/// The characters outside ASCII and the Han block that [`may_start`] accepts lie in these
/// ranges (the vulgar fractions, `〇`); `the_start_table_agrees_with_may_start` checks
/// every character of the Basic Multilingual Plane and characters above it.
const OTHER_STARTS: [(u32, u32); 3] = [(0xBC, 0xBE), (0x2150, 0x215E), (0x3007, 0x3007)];

/// [`may_start`] of every character of the Basic Multilingual Plane, one bit each (the
/// Han block read off `may_start` once per process, ASCII and [`OTHER_STARTS`] likewise);
/// no character above the plane starts an atom. The scan loop passes over the characters
/// whose bit is clear without decoding them into `char`s.
static MAY_START: std::sync::LazyLock<Box<[u64; 1024]>> = std::sync::LazyLock::new(|| {
    let mut bits = Box::new([0u64; 1024]);
    let ranges = [(0u32, 0x7F), (HAN_FIRST, HAN_LAST)];
    for (lo, hi) in ranges.into_iter().chain(OTHER_STARTS) {
        for cp in lo..=hi {
            if char::from_u32(cp).is_some_and(may_start) {
                if let Some(w) = bits.get_mut((cp >> 6) as usize) {
                    *w |= 1 << (cp & 63);
                }
            }
        }
    }
    bits
});

/// Whether an English number word can start at byte `i` of `text`, where the ASCII
/// letter `c` is: only at the start of a word, and only with a letter that one of the
/// number words [`scan_english`] reads starts with.
fn may_start_english_number(text: &str, i: usize, c: char) -> bool {
    let after_letter = text[..i]
        .chars()
        .next_back()
        .is_some_and(|p| p.is_ascii_alphabetic());
    !after_letter
        && matches!(
            c.to_ascii_lowercase(),
            'z' | 'n' | 'o' | 't' | 'f' | 's' | 'e' | 'h' | 'a' | 'q' | 'd' | 'm' | 'b' | 'l' | 'c'
        )
}

/// [`may_start`], read from `table` ([`MAY_START`]).
#[inline(always)]
fn may_start_in(table: &[u64; 1024], cp: u32) -> bool {
    table
        .get((cp >> 6) as usize)
        .is_some_and(|w| w & (1 << (cp & 63)) != 0)
}

/// The first byte at or after `at` (a character boundary of `bytes`, the bytes of a `str`)
/// where a character that [`may_start`] an atom starts, or `bytes.len()`. Three-byte
/// characters (all of Han) take a path of their own.
fn next_start(table: &[u64; 1024], bytes: &[u8], at: usize) -> usize {
    first_code_point_where(bytes, at, |u| may_start_in(table, u))
}

/// A vulgar fraction character (`½`, `⅔`, `¾`): (numerator, denominator).
fn vulgar_fraction(c: char) -> Option<(i128, i128)> {
    Some(match c {
        '½' => (1, 2),
        '⅓' => (1, 3),
        '⅔' => (2, 3),
        '¼' => (1, 4),
        '¾' => (3, 4),
        '⅕' => (1, 5),
        '⅖' => (2, 5),
        '⅗' => (3, 5),
        '⅘' => (4, 5),
        '⅙' => (1, 6),
        '⅚' => (5, 6),
        '⅐' => (1, 7),
        '⅛' => (1, 8),
        '⅜' => (3, 8),
        '⅝' => (5, 8),
        '⅞' => (7, 8),
        '⅑' => (1, 9),
        '⅒' => (1, 10),
        _ => return None,
    })
}

fn vulgar_value(c: char) -> Option<Num> {
    let (n, d) = vulgar_fraction(c)?;
    Num::from_int(n).checked_div_int(d)
}

/// How many characters an atom may span: a longer run of number characters is no atom.
const WINDOW: usize = 64;

/// The first [`WINDOW`] characters at an atom's start (byte offset from the start, char),
/// decoded as they are read: most starts (一 of 一些, 上 of 上市) are rejected after a
/// character or two, and decoding (into a new vector) all of them at every start cost more
/// than the scan itself.
struct Window<'a> {
    rest: &'a str,
    /// Byte offset of each decoded character from the start: at most 63 characters of at
    /// most four bytes come before one of the window, so it fits a byte (an offset and a
    /// `char` side by side took 16 bytes, and the window, made at every start, 1 KB).
    offsets: [Cell<u8>; WINDOW],
    chars: [Cell<char>; WINDOW],
    decoded: Cell<usize>,
}

impl<'a> Window<'a> {
    fn new(rest: &'a str) -> Self {
        Window {
            rest,
            offsets: std::array::from_fn(|_| Cell::new(0)),
            chars: std::array::from_fn(|_| Cell::new('\0')),
            decoded: Cell::new(0),
        }
    }

    /// Character `i` of the window and its byte offset; `None` past the text or the window.
    fn get(&self, i: usize) -> Option<(usize, char)> {
        while self.decoded.get() <= i && self.decoded.get() < WINDOW {
            let n = self.decoded.get();
            let from = match n.checked_sub(1) {
                Some(last) => {
                    let (b, c) = (self.offsets[last].get(), self.chars[last].get());
                    usize::from(b) + c.len_utf8()
                }
                None => 0,
            };
            let c = self.rest.get(from..)?.chars().next()?;
            // Under 256: `n` < 64 characters of at most four bytes each.
            self.offsets[n].set(u8::try_from(from).ok()?);
            self.chars[n].set(c);
            self.decoded.set(n + 1);
        }
        if i < self.decoded.get() {
            Some((usize::from(self.offsets.get(i)?.get()), self.chars.get(i)?.get()))
        } else {
            None
        }
    }
}

/// Reads the Chinese / Arabic / mixed atom starting at byte `pos`, if any: an opening
/// (a vague or special start, or a whole special atom), the run of numeral characters,
/// then its value.
///
/// `bufs` holds the run's characters and ends between calls: [`atoms`] tries a run at every
/// 一 and 上 of a text, and most are one character long.
pub(crate) fn scan_numeral(text: &str, pos: usize, bufs: &mut RunBufs) -> Option<Atom> {
    let rest = text.get(pos..)?;
    let chars = Window::new(rest);
    let opening = match opening(text, pos, &chars)? {
        Opening::Whole(atom) => return Some(atom),
        Opening::Run(opening) => opening,
    };
    let run = read_run(text, pos, &chars, opening, bufs)?;
    finish_run(text, pos, run)
}

/// The buffers of [`Run`], reused from run to run.
#[derive(Default)]
pub(crate) struct RunBufs {
    raw: String,
    ends: Vec<usize>,
}

/// How an atom starts.
enum Opening {
    /// A special form that is a whole atom (`半百`, `一半`, `¾`).
    Whole(Atom),
    /// A run of numeral characters from character `skip` on.
    Run(RunStart),
}

/// Where a run starts and what its opening word said (`数百万`: vague; `上百`: over).
struct RunStart {
    skip: usize,
    qualifier: Qualifier,
    vague_prefix: bool,
}

impl RunStart {
    const PLAIN: RunStart = RunStart {
        skip: 0,
        qualifier: Qualifier::Exact,
        vague_prefix: false,
    };
}

/// A small atom of a special form (no scale, no range).
fn special_atom(start: usize, end: usize, value: Num, chinese: bool, nchars: usize) -> Atom {
    Atom {
        start,
        end,
        value: Some(value),
        qualifier: Qualifier::Exact,
        chinese,
        arabic: !chinese,
        english: false,
        nchars,
        scale_exp: 0,
        unit_only: false,
        vague_exp: 0,
        max: None,
    }
}

/// The opening of an atom at `pos`: a vague magnitude word (`数`, `几`, `上` before a unit),
/// a leading decimal point, `半百` (fifty), a half (`一半`, `半`, `打对折`), a vulgar
/// fraction on its own (`¾`), or a plain numeral character.
fn opening(text: &str, pos: usize, chars: &Window<'_>) -> Option<Opening> {
    let at = |i: usize| chars.get(i).map(|(_, c)| c);
    let end_of = |i: usize| chars.get(i).map(|(b, c)| pos + b + c.len_utf8());
    let first = at(0)?;
    if matches!(first, '数' | '几' | '上') {
        // 数百万 / 几千万: vague; 上百 / 上千: "reaching", i.e. over; 几个亿 (spoken).
        let next = at(1)?;
        let ge_yi = first == '几' && next == '个' && at(2) == Some('亿');
        if !ge_yi
            && (unit_exp(next).is_none() || (first == '上' && unit_exp(next).is_some_and(|e| e < 2)))
        {
            return None;
        }
        let vague_prefix = first != '上';
        let qualifier = if vague_prefix {
            Qualifier::Vague
        } else {
            Qualifier::Over
        };
        return Some(Opening::Run(RunStart {
            skip: 1,
            qualifier,
            vague_prefix,
        }));
    }
    if first == '.' {
        let glued = text[..pos]
            .chars()
            .next_back()
            .is_some_and(|p| p == '.' || p.is_ascii_alphanumeric());
        if !at(1).is_some_and(|c| c.is_ascii_digit()) || glued {
            return None;
        }
        return Some(Opening::Run(RunStart::PLAIN));
    }
    if first == '半' && at(1) == Some('百') {
        return Some(Opening::Whole(special_atom(pos, end_of(1)?, Num::from_int(50), true, 2)));
    }
    if first == '半'
        || (first == '一' && at(1) == Some('半'))
        || (first == '对' && at(1) == Some('折') && text[..pos].ends_with('打'))
    {
        // 一半, 半个: a half; 半成 = 5%, 打对折 = half price.
        let len = if first == '一' { 2 } else { 1 };
        let value = if first == '对' {
            Num::from_int(5)
        } else {
            Num::new(5, 1)?
        };
        return Some(Opening::Whole(special_atom(pos, end_of(len - 1)?, value, true, 2)));
    }
    if let Some(v) = vulgar_value(first) {
        // `¾` on its own (`2½` is read with its whole part, in `finish_run`).
        if text[..pos]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_ascii_alphanumeric())
        {
            return None;
        }
        return Some(Opening::Whole(special_atom(pos, pos + first.len_utf8(), v, false, 1)));
    }
    is_numeral_part(first).then_some(Opening::Run(RunStart::PLAIN))
}

/// The numeral characters of one atom, as read.
struct Run<'b> {
    /// The characters that make the number (spaces and skipped markers left out).
    raw: &'b mut String,
    /// Byte end of the run in the text.
    end: usize,
    /// Byte end after each character of `raw`, for cutting the run back.
    ends: &'b mut Vec<usize>,
    chinese: bool,
    arabic: bool,
    nchars: usize,
    qualifier: Qualifier,
    vague_prefix: bool,
}

/// What the run reader does with one character.
enum Step {
    /// The character belongs to the number.
    Take,
    /// The character is skipped (a marker or space inside the number); `n` characters on.
    Skip(usize),
    /// The run ends before the character.
    Stop,
    /// The run ends at the character with `end` as its new end.
    StopAt(usize),
    /// Cut the run back to its first dotted group and end.
    CutToFirstGroup,
    /// No atom starts here.
    Reject,
}

/// Reads the run of numeral characters from the opening on: digits, Chinese numerals and
/// units, separators between digits, a spoken decimal point (`三点五`), 多/余/几 before a
/// unit, SI-style groups (`40 000`), spaces inside Chinese numerals.
fn read_run<'b>(
    text: &str,
    pos: usize,
    chars: &Window<'_>,
    opening: RunStart,
    bufs: &'b mut RunBufs,
) -> Option<Run<'b>> {
    let at = |i: usize| chars.get(i).map(|(_, c)| c);
    // After `192.168.`, a point separates dotted groups, it is no decimal point.
    let dotted = text[..pos].ends_with('.')
        && text[..pos.saturating_sub(1)].ends_with(|c: char| c.is_ascii_digit());
    let end = pos + chars.get(opening.skip)?.0;
    bufs.raw.clear();
    bufs.ends.clear();
    let mut run = Run {
        raw: &mut bufs.raw,
        end,
        ends: &mut bufs.ends,
        chinese: false,
        arabic: false,
        nchars: 0,
        qualifier: opening.qualifier,
        vague_prefix: opening.vague_prefix,
    };
    let mut groups = SpacedGroups::default();
    let mut i = opening.skip;
    while let Some((off, c)) = chars.get(i) {
        let prev = run.raw.chars().last();
        let next = at(i + 1);
        let step = if c.is_ascii_digit() {
            run.arabic = true;
            groups.digits += 1;
            Step::Take
        } else if smaller_unit_after_small_unit(prev, c) {
            Step::Stop
        } else if is_cn_numeral(c) {
            run.chinese = true;
            Step::Take
        } else if c == '.' && dotted && run.raw.bytes().all(|b| b.is_ascii_digit()) {
            Step::Stop
        } else if c == '.'
            && run.raw.contains('.')
            && !run.raw.chars().any(is_cn_numeral)
            && next.is_some_and(|n| n.is_ascii_digit())
        {
            // 192.168.1.2, 2222.2222.22222: dotted groups, not a decimal (a point that
            // ends a sentence, `rose 3.5.`, is no second point).
            Step::CutToFirstGroup
        } else if c == ',' && run.raw.contains('.') && !continental_comma(run.raw, chars, i + 1) {
            // `1.5,2.5`: a comma after a decimal point ends the number (a list). A run that
            // began at a point (`).7,604.4`) was no `.7`: the number starts after the point.
            if run.raw.starts_with('.') {
                Step::Reject
            } else {
                Step::Stop
            }
        } else if separator_between_digits(c, prev, next) {
            Step::Take
        } else if c == '点' && prev.is_some_and(is_numeral_part) && spoken_point(next, at(i + 2)) {
            if next == Some(' ') {
                run.raw.push(c);
                Step::Skip(2)
            } else {
                Step::Take
            }
        } else if c == '个' && (prev.is_some() || run.vague_prefix) && ge_before_yi(next, at(i + 2)) {
            // 3个亿, 两个多亿, 几个亿 (spoken Chinese): 个 between a number and 亿 counts
            // nothing; the number is 3亿.
            Step::Skip(1)
        } else if matches!(c, '多' | '余' | '几') && prev.is_some() && unit_follows(next, at(i + 2)) {
            // 一千多万, 十余万, 二十几万: more than the stated number.
            if run.qualifier == Qualifier::Exact {
                run.qualifier = Qualifier::Over;
            }
            Step::Skip(1)
        } else if c == '几' && prev == Some('十') {
            // 十几: a dozen or so.
            run.qualifier = Qualifier::Over;
            Step::StopAt(pos + off + c.len_utf8())
        } else if c == ' '
            && !run.chinese
            && groups.space_opens_group(run.raw, |k| at(i + k))
        {
            // 1 234 567, 40 000: groups of three separated by spaces (SI style).
            groups.spaced += 1;
            groups.digits = 0;
            Step::Skip(1)
        } else if c == ' ' && space_inside_chinese_numeral(run.raw, prev, next) {
            Step::Skip(1)
        } else {
            Step::Stop
        };
        match step {
            Step::Take => {
                if c != ',' && c != '.' && c != '点' {
                    run.nchars += 1;
                }
                run.raw.push(c);
                run.end = pos + off + c.len_utf8();
                run.ends.push(run.end);
                i += 1;
            }
            Step::Skip(n) => i += n,
            Step::Stop => break,
            Step::StopAt(end) => {
                run.end = end;
                break;
            }
            Step::CutToFirstGroup => {
                let first = run.raw.find('.').unwrap_or(run.raw.len());
                let kept = run.raw[..first].chars().count();
                run.raw.truncate(first);
                run.end = run.ends.get(kept.wrapping_sub(1)).copied().unwrap_or(run.end);
                run.nchars = kept;
                break;
            }
            Step::Reject => return None,
        }
    }
    // A run longer than the window (a 10,000-digit number) is skipped, not read in part;
    // so is the tail of a run that did not read (no atom starts inside a digit run).
    let after_digit = text[..pos]
        .chars()
        .next_back()
        .is_some_and(|p| p.is_ascii_digit());
    if run.raw.is_empty() || i >= WINDOW || after_digit {
        return None;
    }
    Some(run)
}

/// 七十百分位, 五十千: a small unit after a smaller one starts no new number part.
fn smaller_unit_after_small_unit(prev: Option<char>, c: char) -> bool {
    let Some(exp) = unit_exp(c).filter(|&e| e < 4) else {
        return false;
    };
    prev.and_then(unit_exp).is_some_and(|p| p < 4 && p < exp)
}

/// A separator between digits (`1,100`, `3.5`), or a leading decimal point (`.5`).
fn separator_between_digits(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let digit_next = next.is_some_and(|n| n.is_ascii_digit());
    (matches!(c, ',' | '.') && prev.is_some_and(|p| p.is_ascii_digit()) && digit_next)
        || (c == '.' && prev.is_none() && digit_next)
}

/// A digit after 点 (one space allowed): `三点五`, `3点 5`.
fn spoken_point(next: Option<char>, after: Option<char>) -> bool {
    let digit = |n: char| n.is_ascii_digit() || is_cn_digit(n);
    next.is_some_and(digit) || (next == Some(' ') && after.is_some_and(digit))
}

/// A unit character next (or after one space), or the spoken `个亿`.
fn unit_follows(next: Option<char>, after: Option<char>) -> bool {
    next.is_some_and(|n| {
        unit_exp(n).is_some()
            || (n == ' ' && after.is_some_and(|m| unit_exp(m).is_some()))
            || (n == '个' && after == Some('亿'))
    })
}

/// A space inside a Chinese numeral (`一 千`, `3 万`), not after a decimal fraction
/// (`667.123 五点八`: there a digit starts a new number).
fn space_inside_chinese_numeral(raw: &str, prev: Option<char>, next: Option<char>) -> bool {
    prev.is_some_and(is_numeral_part)
        && next.is_some_and(|n| is_numeral_part(n) || matches!(n, '点' | '多' | '余' | '几'))
        && (prev.is_some_and(is_cn_numeral) || next.is_some_and(is_cn_numeral))
        && !(raw.contains(['.', '点']) && next.is_some_and(|n| numeral::digit_value(n).is_some()))
}

/// Digit groups separated by spaces, SI style (`1 234 567`).
#[derive(Default)]
struct SpacedGroups {
    /// Digits since the start or the last group space.
    digits: usize,
    /// Group spaces so far.
    spaced: usize,
}

impl SpacedGroups {
    /// Whether a space after `raw` opens another group of three: one to three digits
    /// before it (exactly three after the first group), three digits after it and then no
    /// digit or comma; never after a leading zero.
    fn space_opens_group(&self, raw: &str, at: impl Fn(usize) -> Option<char>) -> bool {
        raw.bytes().all(|b| b.is_ascii_digit())
            && !raw.starts_with('0')
            && (1..=3).contains(&self.digits)
            && (self.spaced == 0 || self.digits == 3)
            && (1..=3).all(|k| at(k).is_some_and(|d| d.is_ascii_digit()))
            && !at(4).is_some_and(|d| d.is_ascii_digit() || d == ',')
    }
}

/// The atom of a run: its value (cut back to the longest prefix that reads), scale, a pair
/// range (`二三十`), a vulgar fraction (`2½`) or exponent (`2e5`) after it.
fn finish_run(text: &str, pos: usize, mut run: Run<'_>) -> Option<Atom> {
    let unit_only = run.raw.chars().all(|c| unit_exp(c).is_some());
    // Trailing unit characters give the scale (`20亿` -> 8, `3百万` -> 6).
    let scale_exp: u32 = if unit_only {
        0
    } else {
        run.raw.chars().rev().map_while(unit_exp).sum()
    };
    let mut value = Some(run_value(text, pos, &mut run)?);
    let mut max = None;
    if let Some((low, high)) = neighbouring_digits(run.raw) {
        value = Some(low);
        max = Some(high);
    }
    let mut end = run.end;
    let plain_arabic = run.arabic && !run.chinese && max.is_none();
    // `2½`: a whole number and a vulgar fraction.
    if plain_arabic && value.is_some_and(|v| v.is_integer()) {
        if let Some((f, c)) = next_char_at(text, end).and_then(|c| Some((vulgar_value(c)?, c))) {
            value = value.and_then(|v| v.checked_add(f));
            end += c.len_utf8();
        }
    }
    // Scientific notation after an Arabic number: 2e5, 12.32e+14, 1.1^+23, 2.5^-1, 1.3x10^6.
    if plain_arabic {
        if let Some((v, e2)) = exponent(text, end, value) {
            value = Some(v);
            end = e2;
        }
    }
    let vague_exp = if run.vague_prefix {
        run.raw.chars().map(|c| unit_exp(c).unwrap_or(0)).sum()
    } else {
        0
    };
    Some(Atom {
        start: pos,
        end,
        value: value.filter(|_| !run.vague_prefix),
        qualifier: run.qualifier,
        chinese: run.chinese,
        arabic: run.arabic,
        english: false,
        nchars: run.nchars,
        scale_exp,
        unit_only,
        vague_exp,
        max,
    })
}

/// The value of a run; `1,00` or `2222.2222.22222` keep the longest prefix that reads as a
/// number (the run is cut back to it).
fn run_value(text: &str, pos: usize, run: &mut Run<'_>) -> Option<Num> {
    let before = text[..pos].chars().next_back();
    let mut value = parse_numeral(run.raw);
    // `12,34,567` is Indian grouping in Latin-script text; after a Chinese character the
    // commas were `，` separating a list (分别为12，34，567).
    if numeral::has_indian_grouping(run.raw) && before.is_some_and(|c| c as u32 >= 0x2E80) {
        value = None;
    }
    // `1.234,56`: continental decimals, outside Chinese text.
    if value.is_none() && before.is_none_or(|c| (c as u32) < 0x2E80) {
        value = numeral::parse_european(run.raw);
    }
    while value.is_none() {
        let cut = run.raw.rfind([',', '.'])?;
        run.raw.truncate(cut);
        let kept = run.raw.chars().count();
        run.end = *run.ends.get(kept.checked_sub(1)?)?;
        value = parse_numeral(run.raw);
        run.nchars = run.raw.chars().filter(|c| !matches!(c, ',' | '.')).count();
    }
    value
}

/// 二三十, 三四百: two neighbouring Chinese digits before a unit read "20 to 30": (low, high).
fn neighbouring_digits(raw: &str) -> Option<(Num, Num)> {
    let pair = |a: char, b: char, unit: char| {
        matches!(
            (numeral::digit_value(a), numeral::digit_value(b)),
            (Some(a), Some(b)) if a > 0 && b == a + 1
        ) && is_cn_digit(a)
            && is_cn_digit(b)
            && unit_exp(unit).is_some()
    };
    // The first window of three characters that reads so, found without collecting the
    // characters (nearly every run has none: then nothing is allocated).
    let mut it = raw.chars();
    let (mut a, mut b) = (it.next()?, it.next()?);
    let mut w = 0;
    loop {
        let unit = it.next()?;
        if pair(a, b, unit) {
            break;
        }
        (a, b) = (b, unit);
        w += 1;
    }
    let rc: Vec<char> = raw.chars().collect();
    let without = |skip: usize| -> String {
        rc.iter()
            .enumerate()
            .filter(|&(j, _)| j != skip)
            .map(|(_, c)| c)
            .collect()
    };
    Some((parse_numeral(&without(w + 1))?, parse_numeral(&without(w))?))
}

/// `个` followed by `亿` or `多亿`: the spoken `3个亿`, `两个多亿` (`next` and `after` are
/// the two characters after the 个).
fn ge_before_yi(next: Option<char>, after: Option<char>) -> bool {
    next == Some('亿') || (next == Some('多') && after == Some('亿'))
}

/// True when a `,` after `raw` is a continental decimal comma: `raw` is `1.234` (points
/// grouping thousands) and one or two digits follow the comma, then no digit.
fn continental_comma(raw: &str, window: &Window<'_>, from: usize) -> bool {
    let mut groups = raw.split('.');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    let digits = (from..)
        .map_while(|k| window.get(k))
        .take_while(|(_, c)| c.is_ascii_digit())
        .count();
    first_ok && rest_ok && (1..=2).contains(&digits)
}

fn next_char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

/// `e±N`, `^±N` or `x10^±N` right after a number at byte `end`: (new value, new end).
fn exponent(text: &str, end: usize, value: Option<Num>) -> Option<(Num, usize)> {
    let v = value?;
    let b = text.as_bytes();
    let rest = text.get(end..)?;
    let times_ten = ["x10^", "X10^", "×10^", "*10^", " x 10^", " × 10^"]
        .iter()
        .find(|p| rest.starts_with(*p));
    let (op, mut i) = match times_ten {
        Some(p) => (b'e', end + p.len()),
        None => (*b.get(end)?, end + 1),
    };
    if !matches!(op, b'e' | b'E' | b'^') {
        return None;
    }
    let mut neg = false;
    let signs = i;
    while i < b.len() && matches!(b[i], b'+' | b'-') && i - signs < 2 {
        neg ^= b[i] == b'-';
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() && i - ds < 3 {
        i += 1;
    }
    if i == ds || b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let n: i32 = text[ds..i].parse().ok()?;
    let n = if neg { -n } else { n };
    let out = if op == b'^' {
        // a^n: exact for whole powers, else through f64 (rounded to 12 significant digits).
        let f = v.to_f64().powi(n);
        if !f.is_finite() {
            return None;
        }
        Num::parse_decimal(&format!("{:.12}", f))?
    } else if n >= 0 {
        v.scaled_by_pow10(n as u32)?
    } else {
        Num::new(v.mantissa(), v.scale().checked_add(n.unsigned_abs())?)?
    };
    Some((out, i))
}

/// Reads an English number in words starting at byte `pos` (`three million`,
/// `one hundred and six`, `twenty-one`), if any.
pub(crate) fn scan_english(text: &str, pos: usize) -> Option<Atom> {
    let glued = text[..pos]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if glued || !first_word_may_start_number(text, pos) {
        return None;
    }
    let words = english_words(text, pos);
    if words.is_empty() {
        return None;
    }
    let lower: Vec<String> = words
        .iter()
        .map(|&(s, e)| text[s..e].to_ascii_lowercase())
        .collect();
    let refs: Vec<&str> = lower.iter().map(|s| s.as_str()).collect();
    if let Some(atom) = one_of_a_currency(text, pos, &words, &refs) {
        return Some(atom);
    }
    if magnitude(refs[0]).is_some() {
        return vague_magnitudes(pos, &words, &refs);
    }
    if let Some(atom) = a_couple_of(pos, &words, &refs) {
        return Some(atom);
    }
    // `about a third in`, `nearly a fifth below`: after a word of degree, `a` + ordinal is
    // a fraction whatever follows (without one, `a third term` is an ordinal).
    let (value, used) = parse_english(&refs).or_else(|| {
        (matches!(refs[0], "a" | "an") && refs.len() > 2 && degree_before(text, pos))
            .then(|| parse_english(&refs[..2]))
            .flatten()
    })?;
    if used == 0 {
        return None;
    }
    let end = words[used - 1].1;
    Some(english_atom(pos, end, Some(value), Qualifier::Exact, used, 0))
}

/// An atom of English words.
fn english_atom(
    start: usize,
    end: usize,
    value: Option<Num>,
    qualifier: Qualifier,
    nchars: usize,
    vague_exp: u32,
) -> Atom {
    Atom {
        start,
        end,
        value,
        qualifier,
        chinese: false,
        arabic: false,
        english: true,
        nchars,
        scale_exp: 0,
        unit_only: false,
        vague_exp,
        max: None,
    }
}

/// Cheap first test, without allocating: the word at `pos` must be able to start a number
/// (a number word, `a`/`an`, `half`, `quarter`, `tens`).
fn first_word_may_start_number(text: &str, pos: usize) -> bool {
    let first_len = text[pos..]
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if first_len == 0 || first_len > 12 {
        return false;
    }
    let mut buf = [0u8; 12];
    for (d, b) in buf.iter_mut().zip(text[pos..pos + first_len].bytes()) {
        *d = b.to_ascii_lowercase();
    }
    let Ok(first) = std::str::from_utf8(&buf[..first_len]) else {
        return false;
    };
    numeral::english_word(first).is_some()
        || matches!(first, "a" | "an" | "half" | "quarter" | "tens")
}

/// The words from `pos` on (letters, at most 12 each), separated by spaces or one hyphen,
/// up to a dozen: byte spans. `three fifth-graders`, `a third-party`: an ordinal hyphenated
/// to the next word makes an adjective and ends the run before it (`a half-point cut`
/// keeps its half: half a percentage point).
fn english_words(text: &str, pos: usize) -> Vec<(usize, usize)> {
    let mut words: Vec<(usize, usize)> = Vec::with_capacity(12);
    let bytes = text.as_bytes();
    let skip_spaces = |mut j: usize| {
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        j
    };
    let mut i = pos;
    while words.len() < 12 {
        let s = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        if i == s || i - s > 12 {
            break;
        }
        words.push((s, i));
        let mut j = skip_spaces(i);
        if j < bytes.len() && bytes[j] == b'-' {
            let word = text[s..i].to_ascii_lowercase();
            if words.len() > 1 && j == i && word != "half" && numeral::is_ordinal_word(&word) {
                words.pop();
                break;
            }
            j = skip_spaces(j + 1);
        }
        if j == i || j >= bytes.len() || !bytes[j].is_ascii_alphabetic() {
            break;
        }
        i = j;
    }
    words
}

/// `a dollar`, `an euro`: one of the currency.
fn one_of_a_currency(text: &str, pos: usize, words: &[(usize, usize)], refs: &[&str]) -> Option<Atom> {
    let currency_next = words.len() > 1
        && super::lexicon::CURRENCIES
            .at(text, words[1].0, |c| c.suffix())
            .is_some_and(|(e, _)| e.form.len() > 1);
    (matches!(refs[0], "a" | "an") && currency_next)
        .then(|| english_atom(pos, words[0].1, Some(Num::from_int(1)), Qualifier::Exact, 1, 0))
}

/// Power of ten of a plural magnitude word (`millions`).
fn magnitude(word: &str) -> Option<u32> {
    Some(match word {
        "tens" => 1,
        "hundreds" => 2,
        "thousands" => 3,
        "millions" => 6,
        "billions" => 9,
        "trillions" => 12,
        _ => return None,
    })
}

/// `millions of dollars`, `hundreds of millions of yuan`: vague magnitudes, each followed
/// by `of`.
fn vague_magnitudes(pos: usize, words: &[(usize, usize)], refs: &[&str]) -> Option<Atom> {
    magnitude(refs[0])?;
    let mut exp = 0u32;
    let mut j = 0;
    let mut end = None;
    while j + 1 < refs.len() && refs[j + 1] == "of" {
        let Some(m) = magnitude(refs[j]) else { break };
        exp += m;
        end = Some(words[j + 1].1);
        j += 2;
        if j < refs.len() && magnitude(refs[j]).is_none() {
            break;
        }
    }
    Some(english_atom(pos, end?, None, Qualifier::Vague, j, exp))
}

/// `a couple of weeks`: about two (`a couple` alone is two people).
fn a_couple_of(pos: usize, words: &[(usize, usize)], refs: &[&str]) -> Option<Atom> {
    (refs.len() > 2 && refs[..3] == ["a", "couple", "of"])
        .then(|| english_atom(pos, words[2].1, Some(Num::from_int(2)), Qualifier::Approx, 3, 0))
}

/// Words of degree after which `a` + ordinal is a fraction (`about a third`).
const DEGREE_WORDS: &[&str] = &[
    "about",
    "almost",
    "nearly",
    "roughly",
    "around",
    "some",
    "over",
    "than",
    "under",
    "only",
    "just",
    "approximately",
];

/// Whether the word before `pos` is a word of degree.
fn degree_before(text: &str, pos: usize) -> bool {
    let head = text[..pos].trim_end();
    let w = head
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    DEGREE_WORDS.contains(&w.as_str())
}

/// Every atom of `text`, left to right, non-overlapping.
pub(crate) fn atoms(text: &str) -> Vec<Atom> {
    // Room for an atom every 64 bytes (Chinese news has one every 90 or so): an article's
    // list is not grown and copied doubling by doubling from empty.
    let mut out = Vec::with_capacity(text.len() / 64);
    let table: &[u64; 1024] = &MAY_START;
    let bytes = text.as_bytes();
    let mut bufs = RunBufs::default();
    let mut at = 0usize;
    loop {
        // Past the characters that start no atom, to the next that may.
        at = next_start(table, bytes, at);
        let Some(c) = text.get(at..).and_then(|t| t.chars().next()) else {
            break;
        };
        let i = at;
        at += c.len_utf8();
        let atom = if c.is_ascii_alphabetic() {
            if !may_start_english_number(text, i, c) {
                continue;
            }
            scan_english(text, i)
        } else {
            scan_numeral(text, i, &mut bufs)
        };
        if let Some(a) = atom {
            // The next atom starts at the first character boundary at or after its end.
            at = at.max(a.end);
            while !text.is_char_boundary(at) {
                at += 1;
            }
            out.push(a);
        }
    }
    out
}

/// [`atoms`] as first written: every character decoded and tested with [`may_start`]
/// (the plain path the skipping scan must equal).
#[cfg(test)]
fn atoms_plain(text: &str) -> Vec<Atom> {
    let mut out = Vec::new();
    let mut skip_to = 0usize;
    let mut bufs = RunBufs::default();
    for (i, c) in text.char_indices() {
        if i < skip_to || !may_start(c) {
            continue;
        }
        let atom = if c.is_ascii_alphabetic() {
            if !may_start_english_number(text, i, c) {
                continue;
            }
            scan_english(text, i)
        } else {
            scan_numeral(text, i, &mut bufs)
        };
        if let Some(a) = atom {
            skip_to = a.end;
            out.push(a);
        }
    }
    out
}

/// True when `c` is one of the nine Chinese digits or zero (not a unit character).
pub(crate) fn is_chinese_digit(c: char) -> bool {
    is_cn_digit(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(t: &str) -> (String, Option<String>, Qualifier) {
        let a = atoms(t).into_iter().next().unwrap();
        (
            t[a.start..a.end].to_string(),
            a.value.map(|v| v.to_string()),
            a.qualifier,
        )
    }

    /// [`neighbouring_digits`] as first written: the characters collected, then windows.
    fn neighbouring_digits_plain(raw: &str) -> Option<(Num, Num)> {
        let rc: Vec<char> = raw.chars().collect();
        let w = rc.windows(3).position(|w| {
            matches!(
                (numeral::digit_value(w[0]), numeral::digit_value(w[1])),
                (Some(a), Some(b)) if a > 0 && b == a + 1
            ) && is_cn_digit(w[0])
                && is_cn_digit(w[1])
                && unit_exp(w[2]).is_some()
        })?;
        let without = |skip: usize| -> String {
            rc.iter()
                .enumerate()
                .filter(|&(j, _)| j != skip)
                .map(|(_, c)| c)
                .collect()
        };
        Some((parse_numeral(&without(w + 1))?, parse_numeral(&without(w))?))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// The window found without collecting the characters is the plain one's.
        #[test]
        fn neighbouring_digits_equal_plain(raw in "[一二三四五六七八九十百千万亿两0-9.]{0,8}") {
            proptest::prop_assert_eq!(neighbouring_digits(&raw), neighbouring_digits_plain(&raw));
        }
    }

    #[test]
    fn neighbouring_digits_read_pairs() {
        assert_eq!(
            neighbouring_digits("二三十"),
            Some((Num::from_int(20), Num::from_int(30)))
        );
        assert_eq!(neighbouring_digits("十"), None);
        assert_eq!(neighbouring_digits(""), None);
    }

    #[test]
    fn the_start_table_agrees_with_may_start() {
        let table: &[u64; 1024] = &MAY_START;
        let astral = (0..400u32).map(|k| 0x10000 + k * 2719).chain([0x10FFFF]);
        for cp in (0..=0xFFFFu32).chain(astral) {
            let Some(c) = char::from_u32(cp) else { continue };
            assert_eq!(may_start_in(table, cp), may_start(c), "{c:?}");
        }
    }

    /// The skipping scan finds the plain scan's atoms, on texts of the characters that
    /// start atoms, continue them and start none (ASCII, Han, punctuation, fractions,
    /// characters of two and four bytes).
    #[test]
    fn skipping_atoms_equal_plain_atoms() {
        let texts = [
            "价值143亿美元，一千多万元与数百万美元、上百份。",
            "about three million dollars and a couple of weeks, 2½ and ¾ of 1.5,2.5",
            "〇一二三四五六七八九十百千万亿 𠀀12😀三 é5 192.168.1.2 ½",
            "",
            "一",
            "x 2025年",
        ];
        for t in texts {
            assert_eq!(atoms(t), atoms_plain(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn skipping_atoms_equal_plain_atoms_generated(
            t in "[0-9a-z .,一二三十百千万亿数几上半对打折个多余点年月的是，。、½¾⅓〇é😀𠀀 ]{0,40}"
        ) {
            proptest::prop_assert_eq!(atoms(&t), atoms_plain(&t));
        }
    }

    #[test]
    fn finds_atoms() {
        assert_eq!(
            first("价值143亿美元"),
            ("143亿".into(), Some("14300000000".into()), Qualifier::Exact)
        );
        assert_eq!(
            first("一千多万元"),
            ("一千多万".into(), Some("10000000".into()), Qualifier::Over)
        );
        assert_eq!(
            first("数百万美元"),
            ("数百万".into(), None, Qualifier::Vague)
        );
        assert_eq!(
            first("上百份"),
            ("上百".into(), Some("100".into()), Qualifier::Over)
        );
        assert_eq!(
            first("七 万5 千4 百"),
            (
                "七 万5 千4 百".into(),
                Some("75400".into()),
                Qualifier::Exact
            )
        );
        assert_eq!(
            first("1,00"),
            ("1".into(), Some("1".into()), Qualifier::Exact)
        );
        assert_eq!(
            first("about three million dollars"),
            (
                "three million".into(),
                Some("3000000".into()),
                Qualifier::Exact
            )
        );
        assert_eq!(
            first("x 2025年"),
            ("2025".into(), Some("2025".into()), Qualifier::Exact)
        );
    }
}
