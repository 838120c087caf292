//! From atoms to amounts: what a number counts, read from the words around it.
//!
//! For each atom the builder looks right (English scale words `bn`/`k`/`G`, dozens,
//! fractions `三分之一` / Cantonese `三分一` / `1/4`, ratios `one in four`, percent
//! signs and words, currency names and symbols with their subunits `五元三毛`, classifiers
//! and counted nouns, trailing qualifiers `以上 / 左右`) and left (currency symbols and
//! names `$ / 人民币`, signs, leading qualifiers `约合 / 超过 / more than`). A second pass
//! joins two amounts around a range word (`10至20亿美元`, `between $1 and $2 million`).
//! False-positive families (names such as 李四, words such as 一切, versions, stock codes,
//! phone numbers, years) are filtered here, each by a general rule over data tables.

use crate::document::{Amount, AmountKind, Qualifier};
use crate::num::Num;

use super::display;
use super::lexicon::{QualPos, Stop, UnitKind, CURRENCIES, QUALIFIERS, STOPWORDS, UNITS};
use super::scan::{is_chinese_digit, Atom};

/// An amount under construction.
#[derive(Debug, Clone)]
struct Proto {
    s: usize,
    e: usize,
    kind: AmountKind,
    value: Option<Num>,
    max: Option<Num>,
    unit: Option<String>,
    qual: Qualifier,
    /// Power of ten of the number's own unit (`20亿` -> 8, `2 million` -> 6).
    scale_exp: u32,
    /// The number carried a unit or scale word of its own.
    scaled: bool,
    /// Start of a `between` / `from` before the amount (opens a range).
    open_range: Option<usize>,
    points: bool,
    vague_exp: u32,
    /// A fraction in words (`half`, `two thirds`): opens no range (`rose by half to 66.2
    /// billion` is a change and a level, not 0.5 to 66.2 billion).
    word_fraction: bool,
}

fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Skips one space at `i` (the normaliser has collapsed runs).
fn skip_space(text: &str, i: usize) -> usize {
    if text.as_bytes().get(i) == Some(&b' ') {
        i + 1
    } else {
        i
    }
}

fn back_space(text: &str, i: usize) -> usize {
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

fn pow10(exp: u32) -> Num {
    Num::from_int(1)
        .scaled_by_pow10(exp)
        .unwrap_or(Num::from_int(1))
}

/// Index of the atom starting exactly at byte `at`, searching from `from` (atoms are in
/// text order, so this is a binary search, not a scan to the end).
fn atom_at(atoms: &[Atom], from: usize, at: usize) -> Option<usize> {
    let rest = atoms.get(from..)?;
    let i = rest.partition_point(|a| a.start < at);
    rest.get(i).filter(|a| a.start == at).map(|_| i + from)
}

/// An English scale word right after byte `e` (`billion`, `bn`, `5M`): (exp, end).
/// `v` is the number it would scale: `1.2b` is 1.2 billion, but `2b` (a section), `5G`
/// (a network generation) and `4K` (a screen) are no scaled numbers.
fn scale_word_at(text: &str, e: usize, currency_before: bool, v: Num) -> Option<(u32, usize)> {
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
fn word_before(text: &str, at: usize) -> String {
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
fn dozen_word_at(text: &str, e: usize) -> Option<usize> {
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
fn yuan_blocked(next: Option<char>) -> bool {
    next.is_some_and(|c| "素旦宵首年月帅老件气器".contains(c))
}

/// 块 is money only where no noun follows (三块 / 一块二 / 三块四分), else a classifier.
fn kuai_is_money(text: &str, end: usize) -> bool {
    match next_char(text, end) {
        None => true,
        Some(c) if !is_han(c) => true,
        Some(c) => "钱毛角分到至以左多".contains(c) || is_chinese_digit(c),
    }
}

/// Subunits after a main currency: `五元三毛`, `一块二`, `两美元又三美分`, `3 dollars 50 cents`.
fn subunits(
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
fn fraction_at(text: &str, atoms: &[Atom], k: usize) -> Option<(Num, bool, usize, usize)> {
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

/// Reads the amount around atom `k`; returns it and the index of the next unused atom.
fn build_one(text: &str, atoms: &[Atom], k: usize) -> Option<(Proto, usize)> {
    let a = &atoms[k];
    let mut next_k = k + 1;
    let mut value = a.value;
    let mut e = a.end;
    let mut scale_exp = a.scale_exp;
    let mut scaled = a.scale_exp > 0 || a.unit_only;
    let mut qual = a.qualifier;
    let mut kind = AmountKind::Number;
    let mut unit: Option<String> = None;
    let mut points = false;
    let mut has_unit_after = false;
    let mut generic_yuan = false;

    let currency_before = CURRENCIES
        .before(text, back_space(text, a.start), |c| c.prefix())
        .is_some();

    // English scale words: 14.3 billion, $2bn, 5M, 1.2k.
    if let (false, Some(v)) = (a.chinese, value) {
        if let Some((exp, we)) = scale_word_at(text, e, currency_before, v) {
            value = value.and_then(|v| v.scaled_by_pow10(exp));
            e = we;
            scale_exp = exp;
            scaled = true;
            // `4 thousand 3 hundred and 21`, `6 crore and two hundred`: smaller parts follow.
            let mut last_exp = exp;
            while a.arabic && matches!(last_exp, 2 | 3 | 5 | 7) {
                let and = text.get(e..).is_some_and(|t| t.starts_with(" and "));
                let at = if and { e + 5 } else { skip_space(text, e) };
                let Some(pk) = atom_at(atoms, next_k, at) else {
                    break;
                };
                let part = &atoms[pk];
                let Some(mut pv) = part.value.filter(|v| v.is_integer()) else {
                    break;
                };
                let mut pe = part.end;
                let mut p_exp = 0;
                if part.arabic {
                    if let Some((x, we)) = scale_word_at(text, pe, false, pv) {
                        pv = pv.scaled_by_pow10(x).unwrap_or(pv);
                        pe = we;
                        p_exp = x;
                    }
                }
                if part.chinese || pv.is_zero() || pv >= pow10(last_exp) || (!and && p_exp == 0) {
                    break;
                }
                value = value.and_then(|v| v.checked_add(pv));
                e = pe;
                next_k = pk + 1;
                last_exp = p_exp;
            }
            // `3 million and a half` = 3.5 million: a proper fraction after the scale word
            // is a fraction of that scale.
            if exp >= 3 && next_k == k + 1 && text.get(e..).is_some_and(|t| t.starts_with(" and "))
            {
                if let Some(fk) = atom_at(atoms, next_k, e + 5) {
                    let f = &atoms[fk];
                    if let Some(fv) = f
                        .value
                        .filter(|v| f.english && !v.is_zero() && *v < Num::from_int(1))
                    {
                        value = value.and_then(|v| v.checked_add(fv.checked_mul(pow10(exp))?));
                        e = f.end;
                        next_k = fk + 1;
                    }
                }
            }
        }
    }

    // `3 dozen`, `5 dozs`: twelve each.
    if a.arabic && !a.chinese && next_k == k + 1 && value.is_some() {
        if let Some(we) = dozen_word_at(text, e) {
            value = value.and_then(|v| v.checked_mul(Num::from_int(12)));
            e = we;
        }
    }
    // Mixed numbers: `6-1/2 pct`, `2 1/4`.
    let sep = next_char(text, e);
    if a.arabic
        && !a.chinese
        && value.is_some_and(|v| v.is_integer())
        && matches!(sep, Some('-') | Some(' '))
    {
        if let Some(fk) = atom_at(atoms, k + 1, e + 1) {
            // (After a space a small improper fraction adds too: `4 6/3` = 6.)
            if let Some((f, false, end, nk)) = fraction_at(text, atoms, fk).filter(|f| {
                (f.0 < Num::from_int(1) || sep == Some(' '))
                    && text[atoms[fk].end..].starts_with('/')
            }) {
                value = value.and_then(|v| v.checked_add(f));
                e = end;
                next_k = nk;
            }
        }
    }
    // Fractions and percentages written as fractions; `三百五又三分之一`.
    if next_k > k + 1 {
    } else if let Some((v, is_pct, end, nk)) = fraction_at(text, atoms, k) {
        value = Some(v);
        e = end;
        next_k = nk;
        if is_pct {
            kind = AmountKind::Percent;
            unit = Some("%".into());
            has_unit_after = true;
        }
    } else if next_char(text, skip_space(text, e)) == Some('又') {
        let q = skip_space(text, skip_space(text, e) + '又'.len_utf8());
        if let Some(fk) = atom_at(atoms, k + 1, q) {
            if let Some((f, false, end, nk)) = fraction_at(text, atoms, fk) {
                value = value.and_then(|v| v.checked_add(f));
                e = end;
                next_k = nk;
            }
        }
    }

    // Right side: 多 / 余 between number and unit (300多元, 100余家).
    if kind == AmountKind::Number && !a.english {
        if let Some(c @ ('多' | '余')) = next_char(text, e) {
            let after = e + c.len_utf8();
            if UNITS.at(text, after, |_| true).is_some()
                || CURRENCIES.at(text, after, |c| c.suffix()).is_some()
            {
                e = after;
                qual = Qualifier::Over;
            }
        }
    }
    if kind == AmountKind::Number {
        let q = skip_space(text, e);
        let spaced = q != e;
        // Percent signs and words.
        if let Some((entry, end)) = UNITS.at(text, q, |u| u.kind == UnitKind::Percent) {
            let form = entry.form.as_str();
            let mult = Num::parse_decimal(&entry.data.gloss).unwrap_or(Num::from_int(1));
            let ok = match form {
                "成" => {
                    !next_char(text, end)
                        .is_some_and(|c| "员立功本交绩长熟果就品分型效都年为全批".contains(c))
                        && !a.english
                }
                "折" => {
                    !next_char(text, end).is_some_and(|c| "叠合旧算价扣射腾返服".contains(c))
                        && !a.english
                        && !a.unit_only
                        && value.is_some_and(|v| v < Num::from_int(100))
                }
                _ => !(spaced && !form.is_ascii() && form != "个百分点" && form != "百分点"),
            };
            if ok {
                kind = AmountKind::Percent;
                unit = Some("%".into());
                points = form.contains("百分点") || form.contains("point");
                e = end;
                has_unit_after = true;
                match form {
                    "折" => {
                        // 八折 = 80% of the price; 75折 = 75%.
                        let half = text[a.start..].starts_with('半');
                        value = value.and_then(|v| {
                            if half {
                                Some(Num::from_int(50))
                            } else if v < Num::from_int(10) {
                                v.checked_mul(mult)
                            } else {
                                Some(v)
                            }
                        });
                    }
                    "成" => {
                        value = value.and_then(|v| v.checked_mul(mult));
                        // 七成六 = 76%, 三成半 = 35%.
                        if let Some(c) = next_char(text, skip_space(text, e)) {
                            let p = skip_space(text, e);
                            if let Some(d) =
                                crate::recognize::numeral::digit_value(c).filter(|_| {
                                    !next_char(text, p + c.len_utf8()).is_some_and(|n| {
                                        crate::recognize::numeral::is_numeral_char(n) || n == '成'
                                    })
                                })
                            {
                                value = value.and_then(|v| v.checked_add(Num::from_int(d as i128)));
                                e = p + c.len_utf8();
                            } else if c == '半' {
                                value = value.and_then(|v| v.checked_add(Num::from_int(5)));
                                e = p + c.len_utf8();
                            }
                        }
                    }
                    _ => value = value.and_then(|v| v.checked_mul(mult)),
                }
            }
        }
        // Currency after the number.
        if kind == AmountKind::Number {
            // `a one-yen bid`, `a 5-dollar bill`: a currency word hyphenated to the number.
            let hyphened = (text.as_bytes().get(e) == Some(&b'-')
                && text
                    .as_bytes()
                    .get(e + 1)
                    .is_some_and(u8::is_ascii_alphabetic))
            .then(|| CURRENCIES.at(text, e + 1, |c| c.suffix()))
            .flatten()
            .filter(|(entry, _)| {
                entry.form.len() > 1 && entry.form.bytes().all(|b| b.is_ascii_alphabetic())
            });
            if let Some((entry, end)) = CURRENCIES.at(text, q, |c| c.suffix()).or(hyphened) {
                let form = entry.form.as_str();
                let ok = match form {
                    "块" => kuai_is_money(text, end),
                    "元" | "圆" => !yuan_blocked(next_char(text, end)),
                    _ => true,
                } && !(form.len() == 1 && form.is_ascii() && form != "$" && spaced);
                if let (true, Some(iso)) = (ok, entry.data.iso.clone()) {
                    generic_yuan = matches!(form, "元" | "圆" | "块" | "块钱");
                    kind = AmountKind::Money;
                    value = value.and_then(|v| v.checked_mul(entry.data.factor));
                    e = end;
                    has_unit_after = true;
                    let chinese_unit = !form.is_ascii() && !form.contains(['$', '¥', '€', '£']);
                    if let Some(v) = value {
                        if !scaled && a.value.is_some_and(|v| v < Num::from_int(1_000_000)) {
                            let (v2, e2, nk) =
                                subunits(text, atoms, next_k, e, &iso, chinese_unit, v);
                            value = Some(v2);
                            e = e2;
                            next_k = nk;
                        }
                    }
                    // `75 USD million`: an ISO code between the number and its scale word.
                    let code = form.len() == 3 && form.bytes().all(|b| b.is_ascii_uppercase());
                    if let (true, false, Some(v)) = (code, scaled, value) {
                        if let Some((exp, we)) = scale_word_at(text, e, false, v)
                            .filter(|&(_, we)| we - skip_space(text, e) > 1)
                        {
                            value = v.scaled_by_pow10(exp);
                            e = we;
                            scaled = true;
                            scale_exp = exp;
                        }
                    }
                    unit = Some(iso);
                }
            }
        }
        // Classifiers and counted nouns.
        // `half the people`, `two thirds of voters`: a fraction in words counts no nouns.
        let word_fraction = a.english && value.is_some_and(|v| v < Num::from_int(1));
        if (kind == AmountKind::Number && !a.english || (kind == AmountKind::Number && spaced))
            && !word_fraction
        {
            let allow_cls = !a.english && !(spaced && a.chinese);
            if let Some((entry, end)) = UNITS.at(text, q, |u| {
                (u.kind == UnitKind::Classifier && allow_cls) || u.kind == UnitKind::Noun
            }) {
                let form = entry.form.as_str();
                let nc = next_char(text, end);
                let blocked = match form {
                    "个" => nc.is_some_and(|c| "月小星季工".contains(c)),
                    "打" => nc.is_some_and(|c| {
                        "开算破击造工电听折车球响入出败到动进通印包扮架断倒量".contains(c)
                    }),
                    "起" => nc.is_some_and(is_han),
                    "本" | "手" | "头" | "部" | "所" | "间" | "条" | "种" => {
                        nc.is_some_and(|c| "月年周届科人书机地质间号位".contains(c)) && form != "种"
                    }
                    _ => false,
                } || (entry.form.is_ascii() && !spaced);
                if !blocked {
                    kind = AmountKind::Quantity;
                    e = end;
                    has_unit_after = true;
                    let mut gloss = entry.data.gloss.clone();
                    if form == "打" {
                        value = value.and_then(|v| v.checked_mul(Num::from_int(12)));
                        gloss = "items".into();
                    }
                    if entry.data.kind == UnitKind::Classifier {
                        if let Some((noun, nend)) = UNITS.at(text, e, |u| u.kind == UnitKind::Noun)
                        {
                            gloss = noun.data.gloss.clone();
                            e = nend;
                        }
                    }
                    unit = Some(gloss);
                }
            }
        }
    }

    // Trailing qualifiers: 以上, 左右, or more.
    if value.is_some() || qual == Qualifier::Vague {
        let q = if next_char(text, e).is_some_and(|c| c == ' ') {
            skip_space(text, e)
        } else {
            e
        };
        if let Some((entry, end)) = QUALIFIERS.at(text, q, |w| w.pos == QualPos::Suf) {
            let form = entry.form.as_str();
            let ascii_ok = !form.is_ascii() || q != e;
            let cn_ok = form.is_ascii() || q == e;
            let bad_tail = (form == "上下" && next_char(text, end).is_some_and(is_han))
                || (matches!(form, "多" | "余")
                    && (kind == AmountKind::Number || next_char(text, end).is_some_and(is_han)));
            if ascii_ok && cn_ok && !bad_tail && qual != Qualifier::Vague {
                qual = entry.data.qualifier;
                e = end;
            }
        }
    }

    // Left side: sign, currency symbol or name, qualifier.
    let mut s = a.start;
    let mut negative = false;
    let sign_at = |s: usize| -> Option<usize> {
        let b = back_space(text, s);
        if let Some(p) = prev_char(text, b) {
            // A minus sign is attached (`-5`, `-$5`); `- 5` only at the start of the text.
            let attached = b == s || b - p.len_utf8() == 0;
            let before_sign = prev_char(text, b - p.len_utf8());
            if (p == '-' || p == '−')
                && attached
                && before_sign.is_none_or(|c| c.is_whitespace() || "(:,=[/".contains(c))
                && !text[..b - p.len_utf8()].trim_end().ends_with('-')
            {
                return Some(b - p.len_utf8());
            }
            if p == '负' {
                return Some(b - '负'.len_utf8());
            }
        }
        for w in ["minus ", "negative "] {
            if s >= w.len()
                && text
                    .get(s - w.len()..s)
                    .is_some_and(|t| t.eq_ignore_ascii_case(w))
            {
                return Some(s - w.len());
            }
        }
        None
    };
    if value.is_some() {
        if let Some(ns) = sign_at(s) {
            negative = true;
            s = ns;
        }
    }
    let pre = back_space(text, s);
    // A currency name before a date (`美元3日走弱`) is no amount of it.
    let date_after = kind == AmountKind::Number
        && next_char(text, e).is_some_and(|c| "年月日号时点".contains(c));
    let currency_pre = if date_after {
        None
    } else {
        CURRENCIES
            .before(text, pre, |c| c.prefix())
            .or_else(|| CURRENCIES.before(text, s, |c| c.prefix()))
    };
    if let Some((entry, cs)) = currency_pre {
        if let Some(iso) = entry.data.iso.clone() {
            match kind {
                AmountKind::Number | AmountKind::Quantity => {
                    let cantonese = (kind == AmountKind::Quantity
                        && unit.as_deref() == Some("items")
                        && !entry.form.is_ascii())
                    .then(|| value.map(|v| subunits(text, atoms, next_k, e, &iso, true, v)))
                    .flatten()
                    .filter(|&(_, e2, _)| e2 > e);
                    if let Some((v2, e2, nk)) = cantonese {
                        // 港币三个一毫四 (Cantonese): after a named currency, 个 counts its
                        // dollars when subunits follow.
                        kind = AmountKind::Money;
                        s = cs;
                        value = Some(v2);
                        e = e2;
                        next_k = nk;
                        unit = Some(iso);
                    } else if kind == AmountKind::Quantity {
                        // `$5 shares` is rare; `人民币3份` not a thing: keep the quantity.
                    } else {
                        kind = AmountKind::Money;
                        value = value.and_then(|v| v.checked_mul(entry.data.factor));
                        s = cs;
                        if let Some(v) = value {
                            if !scaled {
                                let chinese_unit = !entry.form.is_ascii()
                                    && !entry.form.contains(['$', '¥', '€', '£']);
                                if !chinese_unit {
                                    let (v2, e2, nk) =
                                        subunits(text, atoms, next_k, e, &iso, false, v);
                                    value = Some(v2);
                                    e = e2;
                                    next_k = nk;
                                }
                            }
                        }
                        unit = Some(iso);
                    }
                }
                AmountKind::Money if unit.as_deref() == Some(iso.as_str()) => s = cs,
                // 港币100元, 美金5元: the generic 元 takes the named currency before the number.
                AmountKind::Money if generic_yuan && !entry.form.is_ascii() => {
                    s = cs;
                    unit = Some(iso);
                }
                _ => {}
            }
        }
        if kind == AmountKind::Money && s == cs {
            if let Some(ns) = sign_at(s) {
                negative = true;
                s = ns;
            }
        }
    }
    if negative {
        value = value.and_then(|v| Num::ZERO.checked_sub(v));
    }
    // `percent of 10`, `per cent of twenty-two`: the percent word before the number.
    if kind == AmountKind::Number && value.is_some() {
        let hs = back_space(text, s);
        let mut from = hs.saturating_sub(24);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let head = text[from..hs].to_ascii_lowercase();
        for w in ["percents of", "percent of", "per cent of"] {
            if head.ends_with(w)
                && !head[..head.len() - w.len()]
                    .trim_end()
                    .ends_with(|c: char| c.is_ascii_alphanumeric())
            {
                kind = AmountKind::Percent;
                unit = Some("%".into());
                s = back_space(text, s) - w.len();
                break;
            }
        }
    }
    let mut open_range = None;
    let qpre = back_space(text, s);
    if let Some((entry, qs)) = QUALIFIERS.before(text, qpre, |w| {
        matches!(w.pos, QualPos::Pre | QualPos::RangePre)
    }) {
        let form = entry.form.as_str();
        let spaced = qpre != s;
        let ok = (form.is_ascii() == spaced || (!form.is_ascii() && !spaced))
            && !(form == "近" && prev_char(text, qs) == Some('最'));
        if ok {
            if entry.data.pos == QualPos::RangePre {
                open_range = Some(qs);
            } else if qual != Qualifier::Vague {
                qual = entry.data.qualifier;
                s = qs;
            } else {
                s = qs;
            }
        }
    }

    // ---- filters: what is not an amount at all ----
    // Inside a URL (`?q=30%25`, `issn%280024`): no amount.
    {
        // Only the ASCII run around the atom (bytes < 0x80 other than spaces), 400 bytes at most.
        let bytes = text.as_bytes();
        let in_run = |b: u8| b < 0x80 && !b.is_ascii_whitespace();
        let mut run_start = a.start;
        while run_start > 0 && a.start - run_start < 400 && in_run(bytes[run_start - 1]) {
            run_start -= 1;
        }
        let mut run_end = a.start;
        while run_end < bytes.len() && run_end - a.start < 400 && in_run(bytes[run_end]) {
            run_end += 1;
        }
        if run_start < a.start || run_end > a.start {
            let run = &text[run_start..run_end.max(a.start)];
            if run.contains("://") || run.starts_with("www.") {
                return None;
            }
        }
    }
    let before = prev_char(text, a.start);
    let after = next_char(text, e);
    // Glued to letters: A2021…, GPT-4o, 3nm, 5G, 4th, 600519.SH.
    if a.arabic || a.english {
        // `three-nought-four` reads digit by digit: a hyphen after a number word glues nothing.
        let after_number_word = k > 0 && atoms[k - 1].english && atoms[k - 1].end + 1 == a.start;
        let glued_left = kind != AmountKind::Money
            && (before.is_some_and(|c| c.is_ascii_alphabetic())
                || (before == Some('-')
                    && !after_number_word
                    && prev_char(text, a.start - 1).is_some_and(|c| c.is_ascii_alphabetic())));
        let glued_right = after.is_some_and(|c| c.is_ascii_alphanumeric() && !a.english)
            || (after == Some('.')
                && next_char(text, e + 1).is_some_and(|c| c.is_ascii_alphabetic())
                && !has_unit_after);
        if glued_left || (glued_right && !has_unit_after) {
            return None;
        }
        // `5GBx`: a Latin unit running on into letters is a word; a Chinese currency or unit
        // before a Latin letter is not glued to it (5亿元A轮融资, 3亿美元B轮).
        if glued_right
            && has_unit_after
            && after.is_some_and(|c| c.is_ascii_alphabetic())
            && prev_char(text, e).is_none_or(|c| c.is_ascii())
        {
            return None;
        }
    }
    // A later part of a dotted chain (`v7.0.8`, `192.168.1.2`) shares the first part's
    // fate: after letters the chain is a version and no part of it is a number.
    if a.arabic
        && text[..a.start].ends_with('.')
        && text[..a.start - 1].ends_with(|c: char| c.is_ascii_digit())
    {
        let chain = text[..a.start].trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        if chain.ends_with(|c: char| c.is_ascii_alphabetic() || c == '-') {
            return None;
        }
    }
    // Versions and product names: iOS 18.1, Windows 11, GPT 4.
    if kind != AmountKind::Money && kind != AmountKind::Percent {
        if let Some((_, _)) =
            STOPWORDS.before(text, back_space(text, a.start), |w| *w == Stop::Version)
        {
            return None;
        }
    }
    // Names ending in a numeral: 李四人民币, 张三.
    if a.chinese
        && a.nchars == 1
        && !a.unit_only
        && before.is_some_and(|c| {
            STOPWORDS
                .at(text, a.start - c.len_utf8(), |w| *w == Stop::Surname)
                .is_some()
        })
        && currency_pre.is_none_or(|(_, cs)| cs >= a.start)
    {
        return None;
    }
    // Words that contain numerals: 一切, 四川, 队伍, 统一.
    if a.chinese && a.nchars <= 3 && matches!(kind, AmountKind::Number | AmountKind::Quantity) {
        let mut p = a.start;
        for _ in 0..4 {
            if let Some((_, end)) = STOPWORDS.at(text, p, |w| *w == Stop::Word) {
                if end > a.start && p < a.end && (p < a.start || end > a.end) {
                    return None;
                }
            }
            match text.get(..p).and_then(|t| t.chars().next_back()) {
                Some(c) => p -= c.len_utf8(),
                None => break,
            }
        }
    }
    // A lone financial digit (参股, 陆续, 伍) counts nothing unless it stands alone.
    if a.chinese
        && a.nchars == 1
        && next_k == k + 1
        && matches!(kind, AmountKind::Quantity | AmountKind::Money)
        && text[a.start..].starts_with(|c: char| "壹贰叁参肆伍陆柒捌玖拾佰仟".contains(c))
    {
        return None;
    }
    // Ordinals (第3名) are no quantities.
    if prev_char(text, a.start) == Some('第') && kind == AmountKind::Quantity {
        kind = AmountKind::Number;
        unit = None;
    }
    if kind == AmountKind::Number {
        // Unit characters alone (百, 万, 千万 "by all means") are no number; 十, 十万 are.
        let unit_only_ok = text[a.start..].starts_with(['十', '拾'])
            || (a.nchars >= 2
                && STOPWORDS
                    .at(text, a.start, |w| *w == Stop::Word)
                    .is_none_or(|(_, end)| end != a.end));
        if value.is_none() || a.unit_only && !unit_only_ok {
            return None;
        }
        // Years, dates, times and ages belong to the date recogniser.
        if after.is_some_and(|c| "年月日号时点分秒周天岁".contains(c))
            || text
                .get(e..)
                .is_some_and(|t| t.starts_with("世纪") || t.starts_with("小时"))
        {
            return None;
        }
        // `3 pm`, `two years`, `twenty five January`: times, durations and dates.
        // (`a twenty-second delay`, `a five-year plan`: the hyphen joins a time word too.)
        let time_at = if text.as_bytes().get(e) == Some(&b'-') {
            e + 1
        } else {
            skip_space(text, e)
        };
        if STOPWORDS.at(text, time_at, |w| *w == Stop::Time).is_some() && (a.english || a.arabic) {
            return None;
        }
        // A bare number keeps its qualifier but not the words around it, so that a date
        // (`between 2014-2018`, `about 2019 q1`) is never out-spanned by a number.
        if s < a.start && !negative {
            s = a.start;
        }
        if a.english && a.nchars == 1 && text[a.start..a.end].eq_ignore_ascii_case("half") {
            // `more than half`: 0.5; `the second half`, `half-year`: no number.
            let det = word_before(text, a.start);
            if after == Some('-')
                || matches!(
                    det.as_str(),
                    "the"
                        | "first"
                        | "second"
                        | "1st"
                        | "2nd"
                        | "latter"
                        | "former"
                        | "other"
                        | "back"
                        | "front"
                        | "this"
                        | "that"
                        | "each"
                        | "every"
                )
            {
                return None;
            }
        }
        if a.english && a.nchars == 1 && text[a.start..a.end].eq_ignore_ascii_case("one") {
            let det = word_before(text, a.start);
            if matches!(
                det.as_str(),
                "the"
                    | "that"
                    | "this"
                    | "which"
                    | "each"
                    | "every"
                    | "any"
                    | "no"
                    | "no one"
                    | "someone"
            ) {
                return None;
            }
            if text
                .get(a.end..)
                .is_some_and(|t| t.starts_with(" of ") || t.starts_with(" another"))
            {
                return None;
            }
        }
        if a.chinese && !a.arabic {
            let digits_only = text[a.start..a.end]
                .chars()
                .filter(|c| !c.is_whitespace())
                .all(|c| is_chinese_digit(c) && !"廿卅卌".contains(c));
            if a.nchars == 1 && e == a.end {
                // A lone Chinese numeral: only where it stands on its own (`答案是四`).
                let weak_left = |c: char| !is_han(c) || "是前第为和与或及负".contains(c);
                let weak_right = |c: char| !is_han(c) || "的是这那不而却和与或及".contains(c);
                if !(prev_char(text, s).is_none_or(weak_left) && after.is_none_or(weak_right)) {
                    return None;
                }
            } else if a.nchars >= 2
                && e == a.end
                && digits_only
                && !text[a.start..a.end].contains(['〇', '零'])
            {
                // 九九, 三八: digit strings without units are names or idioms, not numbers.
                return None;
            }
        }
    }
    // `一家公司` = "a company": no quantity worth reporting (unless asked for numbers).
    let article_one = kind == AmountKind::Quantity
        && a.chinese
        && a.nchars == 1
        && text[a.start..].starts_with('一')
        && qual == Qualifier::Exact;

    if a.value.is_none() {
        qual = Qualifier::Vague;
        if kind == AmountKind::Number {
            return None;
        }
    }
    let mut max = None;
    if let (Some(m), Some(v), Some(raw)) = (a.max, value, a.value) {
        // 二三十个百分点: the pair's upper bound, through the same unit factor as its value.
        if !raw.is_zero() {
            max = v
                .checked_mul(m)
                .and_then(|x| x.checked_div_int(raw.as_int().unwrap_or(1).max(1)));
            if raw.as_int().is_some() {
                qual = Qualifier::Range;
            } else {
                max = None;
            }
        }
    }
    let proto = Proto {
        s,
        e,
        kind,
        value,
        max,
        unit,
        qual,
        scale_exp,
        scaled,
        open_range,
        points,
        vague_exp: a.vague_exp,
        word_fraction: a.english
            && a.value
                .is_some_and(|v| !v.is_zero() && v < Num::from_int(1)),
    };
    if article_one {
        return Some((
            Proto {
                kind: AmountKind::Number,
                unit: None,
                ..proto
            },
            next_k,
        ));
    }
    Some((proto, next_k))
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

/// Every amount of `text` given its atoms. Bare numbers only when `numbers`.
pub(crate) fn build(text: &str, atoms: &[Atom], numbers: bool) -> Vec<Amount> {
    let mut protos = Vec::new();
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
    merge_ranges(text, protos)
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
