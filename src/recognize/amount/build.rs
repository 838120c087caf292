//! From atoms to amounts: the driver, and the helpers its rules share.
//!
//! For each atom, [`super::reading`] reads the words to its right (English scale words
//! `bn`/`k`/`G`, dozens, fractions `三分之一` / Cantonese `三分一` / `1/4`, ratios `one in
//! four`, percent signs and words, currency names and symbols with their subunits `五元三毛`,
//! classifiers and counted nouns, trailing qualifiers `以上 / 左右`) and left (currency
//! symbols and names `$ / 人民币`, signs, leading qualifiers `约合 / 超过 / more than`), and
//! [`super::not_amount`] rejects the false-positive families (names such as 李四, words such
//! as 一切, versions, stock codes, phone numbers, years), each by a general rule over data
//! tables. A second pass here joins two amounts around a range word (`10至20亿美元`,
//! `between $1 and $2 million`).

use crate::document::{Amount, AmountKind, Qualifier};
use crate::num::Num;

use super::display;
use super::lexicon::{
    MoneyWord, QualPos, Stop, UnitKind, CURRENCIES, MONEY_WORDS, QUALIFIERS, STOPWORDS, UNITS,
};
use super::reading::Reading;
use crate::normalize::script::is_han;
use super::scan::{is_chinese_digit, Atom};

/// An amount under construction.
#[derive(Debug, Clone)]
pub(super) struct Proto {
    pub(super) s: usize,
    pub(super) e: usize,
    pub(super) kind: AmountKind,
    pub(super) value: Option<Num>,
    pub(super) max: Option<Num>,
    pub(super) unit: Option<String>,
    pub(super) qual: Qualifier,
    /// Power of ten of the number's own unit (`20亿` -> 8, `2 million` -> 6).
    pub(super) scale_exp: u32,
    /// The number carried a unit or scale word of its own.
    pub(super) scaled: bool,
    /// Start of a `between` / `from` before the amount (opens a range).
    pub(super) open_range: Option<usize>,
    pub(super) points: bool,
    pub(super) vague_exp: u32,
    /// A fraction in words (`half`, `two thirds`): opens no range (`rose by half to 66.2
    /// billion` is a change and a level, not 0.5 to 66.2 billion).
    pub(super) word_fraction: bool,
}

pub(super) fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

pub(super) fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}


/// Skips one space at `i` (the normaliser has collapsed runs).
pub(super) fn skip_space(text: &str, i: usize) -> usize {
    if text.as_bytes().get(i) == Some(&b' ') {
        i + 1
    } else {
        i
    }
}

pub(super) fn back_space(text: &str, i: usize) -> usize {
    if i > 0 && text.as_bytes().get(i - 1) == Some(&b' ') {
        i - 1
    } else {
        i
    }
}

/// Matches a Chinese word at `i`, single spaces allowed between its characters.
fn cjk_at(text: &str, i: usize, word: &str) -> Option<usize> {
    let mut p = i;
    for (n, wc) in word.chars().enumerate() {
        if n > 0 {
            p = skip_space(text, p);
        }
        if next_char(text, p)? != wc {
            return None;
        }
        p += wc.len_utf8();
    }
    Some(p)
}

pub(super) fn pow10(exp: u32) -> Num {
    Num::from_int(1)
        .scaled_by_pow10(exp)
        .unwrap_or(Num::from_int(1))
}

/// Index of the atom starting exactly at byte `at`, searching from `from` (atoms are in
/// text order, so this is a binary search, not a scan to the end).
pub(super) fn atom_at(atoms: &[Atom], from: usize, at: usize) -> Option<usize> {
    let rest = atoms.get(from..)?;
    let i = rest.partition_point(|a| a.start < at);
    rest.get(i).filter(|a| a.start == at).map(|_| i + from)
}

/// An English scale word right after byte `e` (`billion`, `bn`, `5M`): (exp, end).
/// `v` is the number it would scale: `1.2b` is 1.2 billion, but `2b` (a section), `5G`
/// (a network generation) and `4K` (a screen) are no scaled numbers.
pub(super) fn scale_word_at(text: &str, e: usize, currency_before: bool, v: Num) -> Option<(u32, usize)> {
    let attached = next_char(text, e).is_some_and(|c| c.is_ascii_alphabetic());
    let ws = if attached { e } else { skip_space(text, e) };
    let bytes = text.as_bytes();
    let mut we = ws;
    while we < bytes.len() && bytes[we].is_ascii_alphabetic() {
        we += 1;
    }
    if we == ws {
        return None;
    }
    let word = &text[ws..we];
    let exp = crate::recognize::numeral::english_scale(word)?;
    if word.len() == 1 {
        let decimal_b = matches!(word, "b" | "B") && attached && !v.is_integer();
        let needs_currency = matches!(word, "m" | "b" | "B" | "T") && !decimal_b;
        // Spaced one-letter scales: `2.33 k`, `-2.5 M`, `1,674.5 G` at the end of a phrase.
        let spaced_ok = word == "k"
            || word == "K"
            || (matches!(word, "M" | "G")
                && !next_char(text, we).is_some_and(|c| c.is_ascii_alphanumeric()));
        // G is giga only on a fraction (`.0012G`, `1,674.5 G`): on a whole number it is a
        // network generation or speed (`5G`, `400G`), a data volume (`64G`, `100G流量`) or
        // slang for grand (`$10G`), and from one to ten a generation or band (`4.5G`,
        // `2.4G` Wi-Fi). An integer K from one to ten is a screen (`4K`; `$5K` is still
        // five thousand).
        let one_to_ten = v >= Num::from_int(1) && v < Num::from_int(10);
        let generation = (word == "G" && (one_to_ten || v.is_integer()))
            || (word == "K" && !currency_before && one_to_ten && v.is_integer());
        if (needs_currency && !currency_before) || (!attached && !spaced_ok) || generation {
            return None;
        }
    }
    if word.len() == 2 && word.eq_ignore_ascii_case("mm") && !attached {
        return None;
    }
    Some((exp, we))
}

/// The word before byte `at` (across spaces, at most 12 bytes back), lower-cased: the
/// determiner of `the second half`, `the one`.
pub(super) fn word_before(text: &str, at: usize) -> String {
    let hs = back_space(text, at);
    let from = (hs.saturating_sub(12)..=hs)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(hs);
    text.get(from..hs)
        .and_then(|w| w.rsplit(' ').next())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// `dozen`, `dozens`, `doz`, `dz` after one space at byte `e`: the end of that word.
pub(super) fn dozen_word_at(text: &str, e: usize) -> Option<usize> {
    let ws = skip_space(text, e);
    if ws == e {
        return None;
    }
    let we = ws
        + text
            .get(ws..)?
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
    let word = text.get(ws..we)?.to_ascii_lowercase();
    matches!(
        crate::recognize::numeral::english_word(&word),
        Some(crate::recognize::numeral::EnglishWord::Dozen)
    )
    .then_some(we)
}

/// Chinese words after which 元 is no currency (元素, 元旦).
pub(super) fn yuan_blocked(next: Option<char>) -> bool {
    next.is_some_and(|c| "素旦宵首年月帅老件气器".contains(c))
}

/// 块 is money only where no noun follows (三块 / 一块二 / 三块四分), else a classifier.
pub(super) fn kuai_is_money(text: &str, end: usize) -> bool {
    match next_char(text, end) {
        None => true,
        Some(c) if !is_han(c) => true,
        Some(c) => "钱毛角分到至以左多".contains(c) || is_chinese_digit(c),
    }
}

/// Subunits after a main currency: `五元三毛`, `一块二`, `两美元又三美分`, `3 dollars 50 cents`.
pub(super) fn subunits(
    text: &str,
    atoms: &[Atom],
    mut k: usize,
    mut e: usize,
    iso: &str,
    chinese_unit: bool,
    mut value: Num,
) -> (Num, usize, usize) {
    let integer_base = value.is_integer();
    let mut last_factor: Option<Num> = None;
    for round in 0..2 {
        let mut q = e;
        let english = !chinese_unit;
        if english {
            q = skip_space(text, q);
            if text.get(q..).is_some_and(|t| t.starts_with("and ")) {
                q += 4;
            }
        } else if let Some(c) = next_char(text, q) {
            if c == '又' || c == '和' {
                q += c.len_utf8();
            }
        }
        let Some(ak) = atom_at(atoms, k, q) else {
            break;
        };
        let a = &atoms[ak];
        let Some(sv) = a.value else { break };
        if sv >= Num::from_int(100) || sv < Num::ZERO || a.scale_exp > 0 {
            break;
        }
        let zero_led = text[a.start..].starts_with(['零', '〇']);
        let r = if english {
            skip_space(text, a.end)
        } else {
            a.end
        };
        let sub = CURRENCIES.at(text, r, |c| {
            c.sub() && c.iso.as_deref().is_none_or(|i| i == iso)
        });
        let (factor, end) = if let Some((entry, end)) = sub {
            // 分/毛/角 belong to yuan-like currencies only; a sen or cent needs its family.
            if !chinese_unit && !entry.form.is_ascii() && entry.data.iso.is_none() {
                break;
            }
            (entry.data.factor, end)
        } else if chinese_unit {
            // 一块二, 五块六, 三块零四: a bare digit after the unit is the next subunit down.
            if a.nchars != 1 + zero_led as usize
                || next_char(text, a.end).is_some_and(|c| is_han(c) && !"到至".contains(c))
            {
                break;
            }
            let f = if zero_led
                || last_factor.is_some_and(|f| f < Num::new(1, 1).unwrap_or(Num::ZERO))
                || last_factor.is_some()
            {
                Num::new(1, 2)
            } else {
                Num::new(1, 1)
            };
            let Some(f) = f else { break };
            (f, a.end)
        } else {
            // `$20 43`, `15 dollars 50`, `US$3 and fourteen`: cents, once, after a whole amount.
            if round > 0 || !integer_base || !sv.is_integer() || a.chinese {
                break;
            }
            let after = skip_space(text, a.end);
            if CURRENCIES
                .at(text, after, |c| c.prefix() || c.suffix())
                .is_some()
                || next_char(text, a.end).is_some_and(|c| {
                    c.is_ascii_alphanumeric()
                        || c == '.'
                            && next_char(text, a.end + 1).is_some_and(|d| d.is_ascii_digit())
                })
            {
                break;
            }
            if UNITS
                .at(text, after, |u| u.kind != UnitKind::Classifier)
                .is_some()
            {
                break;
            }
            let Some(f) = Num::new(1, 2) else { break };
            (f, a.end)
        };
        let Some(add) = sv.checked_mul(factor) else {
            break;
        };
        let Some(v) = value.checked_add(add) else {
            break;
        };
        value = v;
        e = end;
        k = ak + 1;
        last_factor = Some(factor);
    }
    (value, e, k)
}

/// `X分之Y` (Chinese fraction, `百分之二十` as a percent) or `a/b` starting with atom `k`:
/// (value, is_percent, end, next atom index).
pub(super) fn fraction_at(text: &str, atoms: &[Atom], k: usize) -> Option<(Num, bool, usize, usize)> {
    let a = atoms.get(k)?;
    let x = a.value?;
    if let Some(p) = cjk_at(text, skip_space(text, a.end), "分之") {
        // `三分之负一`: a negative numerator.
        let mut q = skip_space(text, p);
        let negative = matches!(next_char(text, q), Some('负' | '負'));
        if negative {
            q = skip_space(text, q + '负'.len_utf8());
        }
        let yk = atom_at(atoms, k + 1, q)?;
        let y_atom = &atoms[yk];
        let mut y = y_atom.value?;
        if negative {
            y = Num::ZERO.checked_sub(y)?;
        }
        let mut end = y_atom.end;
        if let Some((exp, we)) = scale_word_at(text, end, false, y) {
            y = y.scaled_by_pow10(exp)?;
            end = we;
        }
        let xi = x.as_int().filter(|&v| v > 0)?;
        // 百分之 / 千分之 / 万分之 written without a leading 一: a percentage.
        let is_pct = a.unit_only
            && xi >= 100
            && xi
                .to_string()
                .trim_start_matches('1')
                .chars()
                .all(|c| c == '0');
        let v = if is_pct {
            y.checked_mul(Num::from_int(100))?.checked_div_int(xi)?
        } else {
            y.checked_div_int(xi)?
        };
        return Some((v, is_pct, end, yk + 1));
    }
    // Cantonese `三分一`, `十份十一` (= 三分之一, 十分之十一) where nothing is counted after.
    if a.chinese && !a.arabic && matches!(next_char(text, a.end), Some('分' | '份')) {
        let xi = x.as_int().filter(|&v| v > 1)?;
        if let Some(yk) = atom_at(atoms, k + 1, a.end + '分'.len_utf8()) {
            let y_atom = &atoms[yk];
            let free =
                next_char(text, y_atom.end).is_none_or(|c| !is_han(c) || "的是之以".contains(c));
            if let (Some(y), true, false) = (y_atom.value, free && y_atom.chinese, y_atom.arabic) {
                return Some((y.checked_div_int(xi)?, false, y_atom.end, yk + 1));
            }
        }
        return None;
    }
    // `one over three`, `2 out of 5 voters`, `1 in twenty-one`: ratios. `over` only where
    // nothing is counted after it (`$2000 over 3 years`); `X out of Y` and `X in Y` only
    // when X <= Y (`12 out of 10` is two numbers), `in` for a small X and no year or time.
    if !a.chinese && x.is_integer() {
        for w in [" over ", " out of ", " in "] {
            if !text.get(a.end..).is_some_and(|t| t.starts_with(w)) {
                continue;
            }
            let bk = atom_at(atoms, k + 1, a.end + w.len())?;
            let b = &atoms[bk];
            let bv = b.value?;
            let bi = bv.as_int().filter(|&v| v > 0)?;
            let tail = text[b.end..].trim_start();
            let ends = tail.is_empty() || tail.starts_with(['.', ',', ';', '!', '?', ')']);
            let ok = match w {
                " over " => ends,
                " out of " => x <= bv,
                _ => {
                    x >= Num::from_int(1)
                        && x <= Num::from_int(10)
                        && x < bv
                        && !(b.arabic && (1000..3000).contains(&bi))
                        && !text[b.end..].starts_with('%')
                        && STOPWORDS
                            .at(text, skip_space(text, b.end), |w| *w == Stop::Time)
                            .is_none()
                }
            };
            if b.chinese || !ok {
                return None;
            }
            return Some((x.checked_div_int(bi)?, false, b.end, bk + 1));
        }
    }
    if a.arabic && !a.chinese && x.is_integer() && text.as_bytes().get(a.end) == Some(&b'/') {
        let bk = atom_at(atoms, k + 1, a.end + 1)?;
        let b = &atoms[bk];
        let bi = b.value?.as_int().filter(|&v| v > 0)?;
        // `24/7`, `50/50`, `1986/87`: a numerator not below its denominator is no fraction,
        // unless both are small (`3/2`, `16/5`).
        let bv = b.value?;
        let small_improper = bv <= Num::from_int(10) && x <= Num::from_int(20) && x != bv;
        if !b.arabic
            || b.chinese
            || (x >= bv && !small_improper)
            || next_char(text, b.end) == Some('/')
            // `1/2.5` is no fraction; `rose to 31 1/2.` ends a sentence.
            || (next_char(text, b.end) == Some('.')
                && next_char(text, b.end + 1).is_some_and(|c| c.is_ascii_alphanumeric()))
            || matches!(prev_char(text, a.start), Some('/'))
        {
            return None;
        }
        return Some((x.checked_div_int(bi)?, false, b.end, bk + 1));
    }
    None
}

/// Reads the amount around atom `k`: the words after it, then before it, then the rules
/// that reject a reading; returns it and the index of the next unused atom.
fn build_one(text: &str, atoms: &[Atom], k: usize) -> Option<(Proto, usize)> {
    let mut reading = Reading::new(text, atoms, k);
    reading.read_right();
    reading.read_left();
    if reading.is_not_an_amount() {
        return None;
    }
    reading.ordinal_is_no_quantity();
    if reading.kind == AmountKind::Number && !reading.bare_number_stands() {
        return None;
    }
    reading.finish()
}

/// Joins `A <range word> B` into one range amount.
fn merge_ranges(text: &str, protos: Vec<Proto>) -> Vec<Proto> {
    let mut out: Vec<Proto> = Vec::with_capacity(protos.len());
    let mut it = protos.into_iter().peekable();
    while let Some(mut a) = it.next() {
        if let Some(b) = it.peek() {
            if let Some(merged) = try_range(text, &a, b) {
                a = merged;
                it.next();
            }
        }
        out.push(a);
    }
    out
}

fn try_range(text: &str, a: &Proto, b: &Proto) -> Option<Proto> {
    let gap = text.get(a.e..b.s)?;
    let conn = gap.trim();
    if conn.is_empty() || gap.len() > 12 {
        return None;
    }
    let (entry, end) = QUALIFIERS.at(conn, 0, |w| w.pos == QualPos::Range)?;
    if end != conn.len() || (entry.form == "and" && a.open_range.is_none()) {
        return None;
    }
    // 138-1234-5678, 2025-09-03: dash chains are phone numbers and dates, not ranges.
    if entry.form == "-" {
        let b_next = text.get(b.e..).unwrap_or("");
        // (`three-nought-four` is a chain of digits read out, too.)
        let chained_after =
            b_next.starts_with('-') && b_next[1..].starts_with(|c: char| c.is_ascii_alphanumeric());
        let chained_before = text[..a.s].ends_with('-')
            && text[..a.s.saturating_sub(1)].ends_with(|c: char| c.is_ascii_alphanumeric());
        if chained_after || chained_before || text[a.s..].starts_with('0') {
            return None;
        }
    }
    if reads_as_change_and_level(text, a, entry.form.as_str()) {
        return None;
    }
    let (av, bv) = (a.value?, b.value?);
    if a.word_fraction
        || a.qual == Qualifier::Vague
        || b.qual == Qualifier::Vague
        || a.max.is_some()
        || b.max.is_some()
    {
        return None;
    }
    let same = a.kind == b.kind && a.unit == b.unit;
    let a_bare = a.kind == AmountKind::Number
        || (a.kind == AmountKind::Money && b.kind == AmountKind::Money && a.unit == b.unit);
    if !(same || a.kind == AmountKind::Number)
        || b.kind == AmountKind::Number && a.kind != AmountKind::Number
    {
        return None;
    }
    let mut av = av;
    if a_bare && !a.scaled && b.scale_exp > 0 {
        // 10至20亿: the first number borrows the second's unit; if it cannot
        // (`in 1986 to 15.995 billion dlrs`), the two are no range.
        match av.checked_mul(pow10(b.scale_exp)) {
            Some(scaled) if scaled < bv => av = scaled,
            _ => return None,
        }
    }
    if av >= bv {
        return None;
    }
    Some(Proto {
        s: if b.kind == AmountKind::Number {
            a.s
        } else {
            a.open_range.unwrap_or(a.s)
        },
        e: b.e,
        kind: b.kind,
        value: Some(av),
        max: Some(bv),
        unit: b.unit.clone(),
        qual: Qualifier::Range,
        scale_exp: b.scale_exp,
        scaled: true,
        open_range: None,
        points: b.points,
        vague_exp: 0,
        word_fraction: false,
    })
}

/// Whether `A <conn> B` after a word of change is a change and the level reached rather
/// than a range: only with a word for `to` (至, 到) between two amounts that each carry
/// their unit. A dash or tilde (`增长8.5~9.57%`), `between A and B`, or a bare first number
/// (`up 10.8 to 13.8 pct`) still make a range.
fn reads_as_change_and_level(text: &str, a: &Proto, conn: &str) -> bool {
    a.kind != AmountKind::Number
        && conn != "and"
        && conn.chars().all(char::is_alphabetic)
        && after_change_word(text, a.open_range.unwrap_or(a.s))
}

/// Whether a word of change (`rose`, `fell by`, `增长了`) stands right before byte `at`:
/// then `A to B` is a change and the level it reached (`fell 200 mln dlrs to 3.1 billion
/// dlrs`, `增长3亿元至50亿元`) or an old and a new value (`rose from 4 to 5 mln dlrs`), two
/// amounts and no range.
fn after_change_word(text: &str, at: usize) -> bool {
    let Some(before) = text.get(..at) else {
        return false;
    };
    let mut end = before.trim_end().len();
    if let Some((_, start)) = QUALIFIERS.before(text, end, |w| w.pos == QualPos::ChangeLink) {
        end = text[..start].trim_end().len();
    }
    QUALIFIERS
        .before(text, end, |w| w.pos == QualPos::Change)
        .is_some()
}

/// A bare count of 亿 or 万 right after a word of money (净亏6个亿, 营收达30亿:
/// [`MONEY_WORDS`]) is money in the currency of another money amount of its sentence
/// (亏损近12亿元,上半年净亏6个亿): business news leaves out the 元 it wrote once. With no
/// other money in the sentence it stays a number: the currency is never guessed.
fn implicit_currency(text: &str, protos: &mut [Proto]) {
    for i in 0..protos.len() {
        let p = &protos[i];
        let counted = text
            .get(p.s..p.e)
            .is_some_and(|t| t.ends_with(['亿', '万']));
        if p.kind != AmountKind::Number || !counted || !after_money_word(text, p.s) {
            continue;
        }
        // The amounts are in text order: those of the sentence are a run around this one.
        let (s, e) = sentence_around(text, p.s, p.e);
        let first = protos.partition_point(|q| q.s < s);
        let unit = protos[first..]
            .iter()
            .take_while(|q| q.s < e)
            .filter(|q| q.kind == AmountKind::Money && q.e <= e)
            .find_map(|q| q.unit.clone());
        if let Some(unit) = unit {
            protos[i].kind = AmountKind::Money;
            protos[i].unit = Some(unit);
        }
    }
}

/// Does a word of money end right before byte `at`, perhaps with link words between
/// (净利润为, 融资额达)?
fn after_money_word(text: &str, at: usize) -> bool {
    let mut end = at;
    for _ in 0..3 {
        match MONEY_WORDS.before(text, end, |_| true) {
            Some((e, _)) if e.data == MoneyWord::Word => return true,
            Some((e, start)) if e.data == MoneyWord::Link => end = start,
            _ => return false,
        }
    }
    false
}

/// The sentence holding `s..e`: from after the last end mark before it to the next one,
/// looking no further than a sentence's longest length either way (the segmenter cuts
/// longer runs too), so that a text without end marks costs no search back to its start
/// for every count.
fn sentence_around(text: &str, s: usize, e: usize) -> (usize, usize) {
    use crate::segment::sentences::MAX_SENTENCE_BYTES;
    let is_end = |c: char| matches!(c, '。' | '!' | '?' | ';' | '！' | '？' | '；' | '\n');
    let floor = text.floor_char_boundary(s.saturating_sub(MAX_SENTENCE_BYTES));
    let ceil = text.floor_char_boundary(e.saturating_add(MAX_SENTENCE_BYTES));
    let start = text[floor..s].rfind(is_end).map_or(floor, |i| floor + i + 1);
    let end = text[e..ceil].find(is_end).map_or(ceil, |i| e + i);
    (start, end)
}

/// The amount read around each atom of `text`, before ranges are joined: the first half
/// of building amounts from atoms, a chunk stage of its own (see [`super::Draft`]).
pub(super) fn read_all(text: &str, atoms: &[Atom]) -> Vec<Proto> {
    // At most one per atom: sized once, not grown (and copied) doubling by doubling.
    let mut protos = Vec::with_capacity(atoms.len());
    let mut k = 0;
    while k < atoms.len() {
        // An atom already read as part of the previous amount (七成六's 六) starts nothing.
        let last_end = protos.last().map(|q: &Proto| q.e).unwrap_or(0);
        if atoms[k].start < last_end {
            k += 1;
            continue;
        }
        match build_one(text, atoms, k) {
            Some((mut p, nk)) => {
                // Never let an amount reach back over the previous one (its qualifier or
                // currency words belong to that one).
                if p.s < last_end {
                    p.s = atoms[k].start;
                }
                if p.s < p.e {
                    protos.push(p);
                }
                k = nk.max(k + 1);
            }
            None => k += 1,
        }
    }
    protos
}

/// The amounts of the amounts read ([`read_all`]): ranges joined, counts given the
/// currency of their sentence, bare numbers dropped unless `numbers`, values displayed.
pub(super) fn settle(text: &str, protos: Vec<Proto>, numbers: bool) -> Vec<Amount> {
    let mut protos = merge_ranges(text, protos);
    implicit_currency(text, &mut protos);
    protos
        .into_iter()
        .filter(|p| p.kind != AmountKind::Number || numbers)
        .map(|p| {
            let mut am = Amount::new(p.kind, (p.s, p.e));
            am.value = if p.qual == Qualifier::Vague {
                None
            } else {
                p.value
            };
            am.max = p.max;
            am.unit = p.unit;
            am.qualifier = p.qual;
            am.display = display::display(
                p.kind,
                am.value,
                am.max,
                am.unit.as_deref(),
                p.qual,
                p.vague_exp,
                p.points,
            );
            am
        })
        .collect()
}
