//! Reading one amount around one atom: a sequence of small named rules over a shared
//! [`Reading`], each of which looks at the words on one side of the number and extends the
//! reading (`14.3` + ` billion` + `$` before it) or leaves it as it is.
//!
//! The order is the order a reader uses: first what follows the number (its scale word,
//! fraction, percent sign, currency or counted noun, a trailing qualifier), then what stands
//! before it (a sign, a currency, a leading qualifier). The rules that reject a reading
//! outright (versions, names, words that contain numerals) are in [`super::not_amount`].

use crate::document::{AmountKind, Qualifier};
use crate::normalize::script::is_han;
use crate::num::Num;

use super::build::{
    atom_at, back_space, dozen_word_at, fraction_at, kuai_is_money, next_char, pow10, prev_char,
    scale_word_at, skip_space, subunits, yuan_blocked, Proto,
};
use super::lexicon::{Currency, Entry, QualPos, UnitKind, CURRENCIES, QUALIFIERS, UNITS};
use super::scan::Atom;

/// The amount read so far around atom `k`: where it starts and ends, what it counts and how
/// exactly. Each rule below reads it and may extend it.
pub(super) struct Reading<'t> {
    pub(super) text: &'t str,
    pub(super) atoms: &'t [Atom],
    /// Index of the atom the reading starts from.
    pub(super) k: usize,
    pub(super) a: &'t Atom,
    /// The first atom not used by the reading (a subunit, a fraction's denominator).
    pub(super) next_k: usize,
    pub(super) s: usize,
    pub(super) e: usize,
    pub(super) value: Option<Num>,
    pub(super) kind: AmountKind,
    pub(super) unit: Option<String>,
    pub(super) qual: Qualifier,
    /// Power of ten of the number's own unit (`20亿` -> 8, `2 million` -> 6).
    pub(super) scale_exp: u32,
    /// The number carried a unit or scale word of its own.
    pub(super) scaled: bool,
    /// Percentage points (`个百分点`, `points`).
    pub(super) points: bool,
    /// A percent sign, currency or counted noun follows the number.
    pub(super) has_unit_after: bool,
    /// The unit after the number is the generic 元/块 that a named currency before it
    /// overrides (`港币100元`).
    pub(super) generic_yuan: bool,
    /// A currency symbol or name stands right before the atom.
    pub(super) currency_before: bool,
    /// Start of the currency before the number that the reading took (its `cs`).
    pub(super) currency_pre: Option<usize>,
    pub(super) negative: bool,
    /// Start of a `between` / `from` before the amount (opens a range).
    pub(super) open_range: Option<usize>,
}

impl<'t> Reading<'t> {
    pub(super) fn new(text: &'t str, atoms: &'t [Atom], k: usize) -> Reading<'t> {
        let a = &atoms[k];
        let currency_before = CURRENCIES
            .before(text, back_space(text, a.start), |c| c.prefix())
            .is_some();
        Reading {
            text,
            atoms,
            k,
            a,
            next_k: k + 1,
            s: a.start,
            e: a.end,
            value: a.value,
            kind: AmountKind::Number,
            unit: None,
            qual: a.qualifier,
            scale_exp: a.scale_exp,
            scaled: a.scale_exp > 0 || a.unit_only,
            points: false,
            has_unit_after: false,
            generic_yuan: false,
            currency_before,
            currency_pre: None,
            negative: false,
            open_range: None,
        }
    }

    /// Reads the words after the number, in a reader's order.
    pub(super) fn read_right(&mut self) {
        self.english_scale();
        self.dozens();
        self.mixed_number();
        self.fraction();
        self.many_before_unit();
        if self.kind == AmountKind::Number {
            let q = skip_space(self.text, self.e);
            let spaced = q != self.e;
            self.percent_after(q, spaced);
            self.currency_after(q, spaced);
            self.counted_noun(q, spaced);
        }
        self.trailing_qualifier();
    }

    /// Reads the words before the number.
    pub(super) fn read_left(&mut self) {
        self.sign();
        self.currency_before_number();
        if self.negative {
            self.value = self.value.and_then(|v| Num::ZERO.checked_sub(v));
        }
        self.percent_of();
        self.leading_qualifier();
    }

    fn is_number(&self) -> bool {
        self.kind == AmountKind::Number
    }

    /// English scale words: `14.3 billion`, `$2bn`, `5M`, `1.2k`; then the smaller parts
    /// that follow (`4 thousand 3 hundred and 21`) or `and a half` of the scale.
    fn english_scale(&mut self) {
        let (text, a) = (self.text, self.a);
        let (false, Some(v)) = (a.chinese, self.value) else {
            return;
        };
        let Some((exp, we)) = scale_word_at(text, self.e, self.currency_before, v) else {
            return;
        };
        self.value = self.value.and_then(|v| v.scaled_by_pow10(exp));
        self.e = we;
        self.scale_exp = exp;
        self.scaled = true;
        if a.arabic {
            self.smaller_parts(exp);
        }
        if exp >= 3 && self.next_k == self.k + 1 {
            self.and_a_fraction_of_scale(exp);
        }
    }

    /// `4 thousand 3 hundred and 21`, `6 crore and two hundred`: smaller parts after a scale.
    fn smaller_parts(&mut self, exp: u32) {
        let text = self.text;
        let mut last_exp = exp;
        while matches!(last_exp, 2 | 3 | 5 | 7) {
            let and = text.get(self.e..).is_some_and(|t| t.starts_with(" and "));
            let at = if and {
                self.e + 5
            } else {
                skip_space(text, self.e)
            };
            let Some(pk) = atom_at(self.atoms, self.next_k, at) else {
                break;
            };
            let part = &self.atoms[pk];
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
            self.value = self.value.and_then(|v| v.checked_add(pv));
            self.e = pe;
            self.next_k = pk + 1;
            last_exp = p_exp;
        }
    }

    /// `3 million and a half` = 3.5 million: a proper fraction after the scale word is a
    /// fraction of that scale.
    fn and_a_fraction_of_scale(&mut self, exp: u32) {
        if !self.text.get(self.e..).is_some_and(|t| t.starts_with(" and ")) {
            return;
        }
        let Some(fk) = atom_at(self.atoms, self.next_k, self.e + 5) else {
            return;
        };
        let f = &self.atoms[fk];
        if let Some(fv) = f
            .value
            .filter(|v| f.english && !v.is_zero() && *v < Num::from_int(1))
        {
            self.value = self
                .value
                .and_then(|v| v.checked_add(fv.checked_mul(pow10(exp))?));
            self.e = f.end;
            self.next_k = fk + 1;
        }
    }

    /// `3 dozen`, `5 dozs`: twelve each.
    fn dozens(&mut self) {
        let a = self.a;
        if !(a.arabic && !a.chinese && self.next_k == self.k + 1 && self.value.is_some()) {
            return;
        }
        if let Some(we) = dozen_word_at(self.text, self.e) {
            self.value = self.value.and_then(|v| v.checked_mul(Num::from_int(12)));
            self.e = we;
        }
    }

    /// Mixed numbers: `6-1/2 pct`, `2 1/4` (after a space a small improper fraction adds
    /// too: `4 6/3` = 6).
    fn mixed_number(&mut self) {
        let (text, a) = (self.text, self.a);
        let sep = next_char(text, self.e);
        if !(a.arabic
            && !a.chinese
            && self.value.is_some_and(|v| v.is_integer())
            && matches!(sep, Some('-') | Some(' ')))
        {
            return;
        }
        let Some(fk) = atom_at(self.atoms, self.k + 1, self.e + 1) else {
            return;
        };
        if let Some((f, false, end, nk)) = fraction_at(text, self.atoms, fk).filter(|f| {
            (f.0 < Num::from_int(1) || sep == Some(' '))
                && text[self.atoms[fk].end..].starts_with('/')
        }) {
            self.value = self.value.and_then(|v| v.checked_add(f));
            self.e = end;
            self.next_k = nk;
        }
    }

    /// Fractions and percentages written as fractions (`三分之一`, `百分之二十`, `1/4`), or
    /// a whole number and a fraction joined by 又 (`三百五又三分之一`).
    fn fraction(&mut self) {
        let text = self.text;
        if self.next_k > self.k + 1 {
            return;
        }
        if let Some((v, is_pct, end, nk)) = fraction_at(text, self.atoms, self.k) {
            self.value = Some(v);
            self.e = end;
            self.next_k = nk;
            if is_pct {
                self.kind = AmountKind::Percent;
                self.unit = Some("%".into());
                self.has_unit_after = true;
            }
        } else if next_char(text, skip_space(text, self.e)) == Some('又') {
            let q = skip_space(text, skip_space(text, self.e) + '又'.len_utf8());
            if let Some(fk) = atom_at(self.atoms, self.k + 1, q) {
                if let Some((f, false, end, nk)) = fraction_at(text, self.atoms, fk) {
                    self.value = self.value.and_then(|v| v.checked_add(f));
                    self.e = end;
                    self.next_k = nk;
                }
            }
        }
    }

    /// 多 / 余 between the number and its unit (`300多元`, `100余家`): more than.
    fn many_before_unit(&mut self) {
        if !self.is_number() || self.a.english {
            return;
        }
        let text = self.text;
        if let Some(c @ ('多' | '余')) = next_char(text, self.e) {
            let after = self.e + c.len_utf8();
            if UNITS.at(text, after, |_| true).is_some()
                || CURRENCIES.at(text, after, |c| c.suffix()).is_some()
            {
                self.e = after;
                self.qual = Qualifier::Over;
            }
        }
    }

    /// Percent signs and words at `q`: `%`, `percent`, `个百分点`, `成` (tenths), `折`
    /// (a discount: 八折 = 80 % of the price).
    fn percent_after(&mut self, q: usize, spaced: bool) {
        let (text, a) = (self.text, self.a);
        let Some((entry, end)) = UNITS.at(text, q, |u| u.kind == UnitKind::Percent) else {
            return;
        };
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
                    && self.value.is_some_and(|v| v < Num::from_int(100))
            }
            _ => !(spaced && !form.is_ascii() && form != "个百分点" && form != "百分点"),
        };
        if !ok {
            return;
        }
        self.kind = AmountKind::Percent;
        self.unit = Some("%".into());
        self.points = form.contains("百分点") || form.contains("point");
        self.e = end;
        self.has_unit_after = true;
        match form {
            "折" => self.discount(mult),
            "成" => self.tenths(mult),
            _ => self.value = self.value.and_then(|v| v.checked_mul(mult)),
        }
    }

    /// 八折 = 80 % of the price; 75折 = 75 %; 半折 = 50 %.
    fn discount(&mut self, mult: Num) {
        let half = self.text[self.a.start..].starts_with('半');
        self.value = self.value.and_then(|v| {
            if half {
                Some(Num::from_int(50))
            } else if v < Num::from_int(10) {
                v.checked_mul(mult)
            } else {
                Some(v)
            }
        });
    }

    /// 三成 = 30 %; a digit or 半 after it adds one percent each: 七成六 = 76 %, 三成半 = 35 %.
    fn tenths(&mut self, mult: Num) {
        use crate::recognize::numeral::{digit_value, is_numeral_char};
        let text = self.text;
        self.value = self.value.and_then(|v| v.checked_mul(mult));
        let p = skip_space(text, self.e);
        let Some(c) = next_char(text, p) else {
            return;
        };
        let digit = digit_value(c).filter(|_| {
            !next_char(text, p + c.len_utf8()).is_some_and(|n| is_numeral_char(n) || n == '成')
        });
        if let Some(d) = digit {
            self.value = self
                .value
                .and_then(|v| v.checked_add(Num::from_int(d as i128)));
            self.e = p + c.len_utf8();
        } else if c == '半' {
            self.value = self.value.and_then(|v| v.checked_add(Num::from_int(5)));
            self.e = p + c.len_utf8();
        }
    }

    /// A currency after the number (`5亿美元`, `30 dollars`, `a 5-dollar bill`), with its
    /// subunits (`五元三毛`) and an ISO code before a scale word (`75 USD million`).
    fn currency_after(&mut self, q: usize, spaced: bool) {
        if !self.is_number() {
            return;
        }
        let text = self.text;
        let e = self.e;
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
        let Some((entry, end)) = CURRENCIES.at(text, q, |c| c.suffix()).or(hyphened) else {
            return;
        };
        let form = entry.form.as_str();
        let ok = match form {
            "块" => kuai_is_money(text, end),
            "元" | "圆" => !yuan_blocked(next_char(text, end)),
            _ => true,
        } && !(form.len() == 1 && form.is_ascii() && form != "$" && spaced);
        let (true, Some(iso)) = (ok, entry.data.iso.clone()) else {
            return;
        };
        self.generic_yuan = matches!(form, "元" | "圆" | "块" | "块钱");
        self.kind = AmountKind::Money;
        self.value = self.value.and_then(|v| v.checked_mul(entry.data.factor));
        self.e = end;
        self.has_unit_after = true;
        let chinese_unit = is_chinese_unit(entry);
        if let Some(v) = self.value {
            if !self.scaled && self.a.value.is_some_and(|v| v < Num::from_int(1_000_000)) {
                self.take_subunits(&iso, chinese_unit, v);
            }
        }
        // `75 USD million`: an ISO code between the number and its scale word.
        let code = form.len() == 3 && form.bytes().all(|b| b.is_ascii_uppercase());
        if let (true, false, Some(v)) = (code, self.scaled, self.value) {
            if let Some((exp, we)) = scale_word_at(text, self.e, false, v)
                .filter(|&(_, we)| we - skip_space(text, self.e) > 1)
            {
                self.value = v.scaled_by_pow10(exp);
                self.e = we;
                self.scaled = true;
                self.scale_exp = exp;
            }
        }
        self.unit = Some(iso);
    }

    /// Adds the subunits after the main currency (`五元三毛`, `3 dollars 50 cents`).
    fn take_subunits(&mut self, iso: &str, chinese_unit: bool, v: Num) {
        let (v2, e2, nk) = subunits(self.text, self.atoms, self.next_k, self.e, iso, chinese_unit, v);
        self.value = Some(v2);
        self.e = e2;
        self.next_k = nk;
    }

    /// Classifiers and counted nouns (`3家`, `5 shares`, `两个人`); `half the people`, `two
    /// thirds of voters`: a fraction in words counts no nouns.
    fn counted_noun(&mut self, q: usize, spaced: bool) {
        let (text, a) = (self.text, self.a);
        let word_fraction = a.english && self.value.is_some_and(|v| v < Num::from_int(1));
        if !(self.is_number() && (!a.english || spaced)) || word_fraction {
            return;
        }
        let allow_cls = !a.english && !(spaced && a.chinese);
        let Some((entry, end)) = UNITS.at(text, q, |u| {
            (u.kind == UnitKind::Classifier && allow_cls) || u.kind == UnitKind::Noun
        }) else {
            return;
        };
        let form = entry.form.as_str();
        if classifier_blocked(form, next_char(text, end)) || (entry.form.is_ascii() && !spaced) {
            return;
        }
        self.kind = AmountKind::Quantity;
        self.e = end;
        self.has_unit_after = true;
        let mut gloss = entry.data.gloss.clone();
        if form == "打" {
            self.value = self.value.and_then(|v| v.checked_mul(Num::from_int(12)));
            gloss = "items".into();
        }
        if entry.data.kind == UnitKind::Classifier {
            if let Some((noun, nend)) = UNITS.at(text, self.e, |u| u.kind == UnitKind::Noun) {
                gloss = noun.data.gloss.clone();
                self.e = nend;
            }
        }
        self.unit = Some(gloss);
    }

    /// Trailing qualifiers: `以上`, `左右`, `or more`.
    fn trailing_qualifier(&mut self) {
        if !(self.value.is_some() || self.qual == Qualifier::Vague) {
            return;
        }
        let text = self.text;
        let e = self.e;
        let q = if next_char(text, e).is_some_and(|c| c == ' ') {
            skip_space(text, e)
        } else {
            e
        };
        let Some((entry, end)) = QUALIFIERS.at(text, q, |w| w.pos == QualPos::Suf) else {
            return;
        };
        let form = entry.form.as_str();
        let ascii_ok = !form.is_ascii() || q != e;
        let cn_ok = form.is_ascii() || q == e;
        let bad_tail = (form == "上下" && next_char(text, end).is_some_and(is_han))
            || (matches!(form, "多" | "余")
                && (self.is_number() || next_char(text, end).is_some_and(is_han)));
        if ascii_ok && cn_ok && !bad_tail && self.qual != Qualifier::Vague {
            self.qual = entry.data.qualifier;
            self.e = end;
        }
    }

    /// Where a sign before `s` starts: an attached minus (`-5`, `-$5`; `- 5` only at the start
    /// of the text), 负, `minus`, `negative`.
    fn sign_at(&self, s: usize) -> Option<usize> {
        let text = self.text;
        let b = back_space(text, s);
        if let Some(p) = prev_char(text, b) {
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
        ["minus ", "negative "].into_iter().find_map(|w| {
            (s >= w.len()
                && text
                    .get(s - w.len()..s)
                    .is_some_and(|t| t.eq_ignore_ascii_case(w)))
            .then(|| s - w.len())
        })
    }

    /// A sign right before the number.
    fn sign(&mut self) {
        if self.value.is_none() {
            return;
        }
        if let Some(ns) = self.sign_at(self.s) {
            self.negative = true;
            self.s = ns;
        }
    }

    /// A currency symbol or name before the number (`$5`, `人民币3亿`, `港币100元`), and a
    /// sign before that currency (`-$5`).
    fn currency_before_number(&mut self) {
        let text = self.text;
        let pre = back_space(text, self.s);
        // A currency name before a date (`美元3日走弱`) is no amount of it.
        let date_after =
            self.is_number() && next_char(text, self.e).is_some_and(|c| "年月日号时点".contains(c));
        if date_after {
            return;
        }
        let Some((entry, cs)) = CURRENCIES
            .before(text, pre, |c| c.prefix())
            .or_else(|| CURRENCIES.before(text, self.s, |c| c.prefix()))
        else {
            return;
        };
        self.currency_pre = Some(cs);
        if let Some(iso) = entry.data.iso.clone() {
            match self.kind {
                AmountKind::Number => self.money_of_currency_before(entry, cs, iso),
                AmountKind::Quantity => self.cantonese_dollars(entry, cs, iso),
                AmountKind::Money if self.unit.as_deref() == Some(iso.as_str()) => self.s = cs,
                // 港币100元, 美金5元: the generic 元 takes the named currency before the number.
                AmountKind::Money if self.generic_yuan && !entry.form.is_ascii() => {
                    self.s = cs;
                    self.unit = Some(iso);
                }
                _ => {}
            }
        }
        if self.kind == AmountKind::Money && self.s == cs {
            if let Some(ns) = self.sign_at(self.s) {
                self.negative = true;
                self.s = ns;
            }
        }
    }

    /// A bare number after a currency is money of it (`$5`, `US$ 3 million`), with the
    /// subunits of a symbol or code (`$3 and 50 cents`).
    fn money_of_currency_before(&mut self, entry: &Entry<Currency>, cs: usize, iso: String) {
        self.kind = AmountKind::Money;
        self.value = self.value.and_then(|v| v.checked_mul(entry.data.factor));
        self.s = cs;
        if let (Some(v), false) = (self.value, self.scaled) {
            if !is_chinese_unit(entry) {
                self.take_subunits(&iso, false, v);
            }
        }
        self.unit = Some(iso);
    }

    /// 港币三个一毫四 (Cantonese): after a named currency, 个 counts its dollars when
    /// subunits follow. (`$5 shares` is rare and `人民币3份` not a thing: any other quantity
    /// after a currency stays a quantity.)
    fn cantonese_dollars(&mut self, entry: &Entry<Currency>, cs: usize, iso: String) {
        if self.unit.as_deref() != Some("items") || entry.form.is_ascii() {
            return;
        }
        let Some(v) = self.value else { return };
        let (v2, e2, nk) = subunits(self.text, self.atoms, self.next_k, self.e, &iso, true, v);
        if e2 <= self.e {
            return;
        }
        self.kind = AmountKind::Money;
        self.s = cs;
        self.value = Some(v2);
        self.e = e2;
        self.next_k = nk;
        self.unit = Some(iso);
    }

    /// `percent of 10`, `per cent of twenty-two`: the percent word before the number.
    fn percent_of(&mut self) {
        if !(self.is_number() && self.value.is_some()) {
            return;
        }
        let text = self.text;
        let hs = back_space(text, self.s);
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
                self.kind = AmountKind::Percent;
                self.unit = Some("%".into());
                self.s = back_space(text, self.s) - w.len();
                break;
            }
        }
    }

    /// Leading qualifiers (`约`, `超过`, `more than`), or a range opener (`between`, `from`)
    /// that a later range joins.
    fn leading_qualifier(&mut self) {
        let text = self.text;
        let qpre = back_space(text, self.s);
        let Some((entry, qs)) = QUALIFIERS.before(text, qpre, |w| {
            matches!(w.pos, QualPos::Pre | QualPos::RangePre)
        }) else {
            return;
        };
        let form = entry.form.as_str();
        let spaced = qpre != self.s;
        let ok = (form.is_ascii() == spaced || (!form.is_ascii() && !spaced))
            && !(form == "近" && prev_char(text, qs) == Some('最'));
        if !ok {
            return;
        }
        if entry.data.pos == QualPos::RangePre {
            self.open_range = Some(qs);
        } else {
            if self.qual != Qualifier::Vague {
                self.qual = entry.data.qualifier;
            }
            self.s = qs;
        }
    }

    /// The finished amount: an upper bound for a pair (`二三十个百分点`), a vague magnitude
    /// (`数百万`) only with a unit, and `一家公司` ("a company") no quantity worth reporting.
    pub(super) fn finish(mut self) -> Option<(Proto, usize)> {
        let a = self.a;
        let article_one = self.kind == AmountKind::Quantity
            && a.chinese
            && a.nchars == 1
            && self.text[a.start..].starts_with('一')
            && self.qual == Qualifier::Exact;
        if a.value.is_none() {
            self.qual = Qualifier::Vague;
            if self.is_number() {
                return None;
            }
        }
        let mut max = None;
        if let (Some(m), Some(v), Some(raw)) = (a.max, self.value, a.value) {
            // 二三十个百分点: the pair's upper bound, through the same unit factor as its value.
            if !raw.is_zero() {
                max = v
                    .checked_mul(m)
                    .and_then(|x| x.checked_div_int(raw.as_int().unwrap_or(1).max(1)));
                if raw.as_int().is_some() {
                    self.qual = Qualifier::Range;
                } else {
                    max = None;
                }
            }
        }
        let (kind, unit) = if article_one {
            (AmountKind::Number, None)
        } else {
            (self.kind, self.unit)
        };
        let proto = Proto {
            s: self.s,
            e: self.e,
            kind,
            value: self.value,
            max,
            unit,
            qual: self.qual,
            scale_exp: self.scale_exp,
            scaled: self.scaled,
            open_range: self.open_range,
            points: self.points,
            vague_exp: a.vague_exp,
            word_fraction: a.english && a.value.is_some_and(|v| !v.is_zero() && v < Num::from_int(1)),
        };
        Some((proto, self.next_k))
    }
}

/// A Chinese currency word (`元`, `美元`), not a symbol or a Latin name: its subunits are
/// Chinese (`五元三毛`, `一块二`).
fn is_chinese_unit(entry: &Entry<Currency>) -> bool {
    !entry.form.is_ascii() && !entry.form.contains(['$', '¥', '€', '£'])
}

/// A classifier whose next character makes it part of a word instead: 个月, 打开, 起来,
/// 本月, 手机, 部分 ...
fn classifier_blocked(form: &str, nc: Option<char>) -> bool {
    match form {
        "个" => nc.is_some_and(|c| "月小星季工".contains(c)),
        "打" => nc.is_some_and(|c| "开算破击造工电听折车球响入出败到动进通印包扮架断倒量".contains(c)),
        "起" => nc.is_some_and(is_han),
        "本" | "手" | "头" | "部" | "所" | "间" | "条" => {
            nc.is_some_and(|c| "月年周届科人书机地质间号位".contains(c))
        }
        _ => false,
    }
}
