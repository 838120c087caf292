//! What looks like a number but is no amount: numbers inside URLs, versions and product
//! names (`iOS 18.1`, `GPT-4o`), names and words that contain numerals (`李四`, `一切`),
//! ordinals, and bare numbers that belong to the date recogniser (`2025年`, `3 pm`). Each
//! family is one named rule over a finished [`Reading`] and the data tables of
//! [`super::lexicon`].

use crate::document::AmountKind;

use super::build::{back_space, next_char, prev_char, skip_space, word_before};
use super::lexicon::{Stop, STOPWORDS};
use super::reading::Reading;
use crate::normalize::script::is_han;
use super::scan::is_chinese_digit;

/// Determiners after which `half` is a part, not 0.5 (`the second half`).
const HALF_DETERMINERS: &[&str] = &[
    "the", "first", "second", "1st", "2nd", "latter", "former", "other", "back", "front", "this",
    "that", "each", "every",
];

/// Determiners after which `one` is a pronoun (`the one`, `no one`).
const ONE_DETERMINERS: &[&str] = &[
    "the", "that", "this", "which", "each", "every", "any", "no", "no one", "someone",
];

impl Reading<'_> {
    /// Any of the rules that reject the reading outright.
    pub(super) fn is_not_an_amount(&self) -> bool {
        self.in_url()
            || self.glued_to_letters()
            || self.in_version_chain()
            || self.after_version_name()
            || self.end_of_name()
            || self.inside_word()
            || self.lone_financial_digit()
    }

    /// Inside a URL (`?q=30%25`, `issn%280024`): only the ASCII run around the atom (bytes
    /// below 0x80 other than spaces), 400 bytes at most either way.
    fn in_url(&self) -> bool {
        let (bytes, at) = (self.text.as_bytes(), self.a.start);
        let in_run = |b: u8| b < 0x80 && !b.is_ascii_whitespace();
        let mut run_start = at;
        while run_start > 0 && at - run_start < 400 && in_run(bytes[run_start - 1]) {
            run_start -= 1;
        }
        let mut run_end = at;
        while run_end < bytes.len() && run_end - at < 400 && in_run(bytes[run_end]) {
            run_end += 1;
        }
        if run_start == at && run_end == at {
            return false;
        }
        let run = &self.text[run_start..run_end.max(at)];
        run.contains("://") || run.starts_with("www.")
    }

    /// Glued to letters: `A2021`, `GPT-4o`, `3nm`, `5G`, `4th`, `600519.SH`. A Latin unit
    /// running on into letters is a word (`5GBx`); a Chinese currency or unit before a Latin
    /// letter is not glued to it (`5亿元A轮融资`, `3亿美元B轮`).
    fn glued_to_letters(&self) -> bool {
        let (text, a, atoms) = (self.text, self.a, self.atoms);
        if !(a.arabic || a.english) {
            return false;
        }
        let before = prev_char(text, a.start);
        let after = next_char(text, self.e);
        // `three-nought-four` reads digit by digit: a hyphen after a number word glues nothing.
        let after_number_word =
            self.k > 0 && atoms[self.k - 1].english && atoms[self.k - 1].end + 1 == a.start;
        let glued_left = self.kind != AmountKind::Money
            && (before.is_some_and(|c| c.is_ascii_alphabetic())
                || (before == Some('-')
                    && !after_number_word
                    && prev_char(text, a.start - 1).is_some_and(|c| c.is_ascii_alphabetic())));
        let glued_right = after.is_some_and(|c| c.is_ascii_alphanumeric() && !a.english)
            || (after == Some('.')
                && next_char(text, self.e + 1).is_some_and(|c| c.is_ascii_alphabetic())
                && !self.has_unit_after);
        if glued_left || (glued_right && !self.has_unit_after) {
            return true;
        }
        glued_right
            && self.has_unit_after
            && after.is_some_and(|c| c.is_ascii_alphabetic())
            && prev_char(text, self.e).is_none_or(|c| c.is_ascii())
    }

    /// A later part of a dotted chain (`v7.0.8`, `192.168.1.2`) shares the first part's
    /// fate: after letters the chain is a version and no part of it is a number.
    fn in_version_chain(&self) -> bool {
        let (text, a) = (self.text, self.a);
        if !(a.arabic
            && text[..a.start].ends_with('.')
            && text[..a.start - 1].ends_with(|c: char| c.is_ascii_digit()))
        {
            return false;
        }
        let chain = text[..a.start].trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        chain.ends_with(|c: char| c.is_ascii_alphabetic() || c == '-')
    }

    /// Versions and product names: `iOS 18.1`, `Windows 11`, `GPT 4` (a version word of the
    /// stop list before the number; money and percentages are never versions).
    fn after_version_name(&self) -> bool {
        matches!(self.kind, AmountKind::Number | AmountKind::Quantity)
            && STOPWORDS
                .before(self.text, back_space(self.text, self.a.start), |w| {
                    *w == Stop::Version
                })
                .is_some()
    }

    /// Names ending in a numeral: `李四人民币`, `张三` (a surname of the stop list right
    /// before a one-character Chinese numeral, unless a currency before the surname took it).
    fn end_of_name(&self) -> bool {
        let (text, a) = (self.text, self.a);
        a.chinese
            && a.nchars == 1
            && !a.unit_only
            && prev_char(text, a.start).is_some_and(|c| {
                STOPWORDS
                    .at(text, a.start - c.len_utf8(), |w| *w == Stop::Surname)
                    .is_some()
            })
            && self.currency_pre.is_none_or(|cs| cs >= a.start)
    }

    /// Words that contain numerals: `一切`, `四川`, `队伍`, `统一` (a stop word that overlaps
    /// the atom and runs past one of its edges, starting at most three characters before it).
    fn inside_word(&self) -> bool {
        let (text, a) = (self.text, self.a);
        if !(a.chinese
            && a.nchars <= 3
            && matches!(self.kind, AmountKind::Number | AmountKind::Quantity))
        {
            return false;
        }
        let mut p = a.start;
        for _ in 0..4 {
            if let Some((_, end)) = STOPWORDS.at(text, p, |w| *w == Stop::Word) {
                if end > a.start && p < a.end && (p < a.start || end > a.end) {
                    return true;
                }
            }
            match text.get(..p).and_then(|t| t.chars().next_back()) {
                Some(c) => p -= c.len_utf8(),
                None => break,
            }
        }
        false
    }

    /// A lone financial digit (`参股`, `陆续`, `伍`) counts nothing unless it stands alone.
    fn lone_financial_digit(&self) -> bool {
        let a = self.a;
        a.chinese
            && a.nchars == 1
            && self.next_k == self.k + 1
            && matches!(self.kind, AmountKind::Quantity | AmountKind::Money)
            && self.text[a.start..].starts_with(|c: char| "壹贰叁参肆伍陆柒捌玖拾佰仟".contains(c))
    }

    /// Ordinals (`第3名`) are no quantities: they stay bare numbers.
    pub(super) fn ordinal_is_no_quantity(&mut self) {
        if prev_char(self.text, self.a.start) == Some('第') && self.kind == AmountKind::Quantity {
            self.kind = AmountKind::Number;
            self.unit = None;
        }
    }

    /// Whether a bare number (no unit of any kind) stands as a number; a bare number keeps
    /// its qualifier but not the words around it, so that a date (`between 2014-2018`,
    /// `about 2019 q1`) is never out-spanned by a number.
    pub(super) fn bare_number_stands(&mut self) -> bool {
        if self.s < self.a.start && !self.negative {
            self.s = self.a.start;
        }
        !(self.unit_characters_alone()
            || self.date_or_time_follows()
            || self.english_pronoun()
            || self.chinese_numeral_in_words())
    }

    /// Unit characters alone (`百`, `万`, `千万` "by all means") are no number; `十`, `十万`
    /// are. A vague magnitude without a unit (`数百万`) is none either.
    fn unit_characters_alone(&self) -> bool {
        let (text, a) = (self.text, self.a);
        let unit_only_ok = text[a.start..].starts_with(['十', '拾'])
            || (a.nchars >= 2
                && STOPWORDS
                    .at(text, a.start, |w| *w == Stop::Word)
                    .is_none_or(|(_, end)| end != a.end));
        self.value.is_none() || a.unit_only && !unit_only_ok
    }

    /// Years, dates, times and ages belong to the date recogniser (`2025年`, `3 pm`, `two
    /// years`, `twenty five January`; `a twenty-second delay`, `a five-year plan`: the hyphen
    /// joins a time word too).
    fn date_or_time_follows(&self) -> bool {
        let (text, a, e) = (self.text, self.a, self.e);
        if next_char(text, e).is_some_and(|c| "年月日号时点分秒周天岁".contains(c))
            || text
                .get(e..)
                .is_some_and(|t| t.starts_with("世纪") || t.starts_with("小时"))
        {
            return true;
        }
        let time_at = if text.as_bytes().get(e) == Some(&b'-') {
            e + 1
        } else {
            skip_space(text, e)
        };
        // The atom's script first: a Chinese numeral is never looked up.
        (a.english || a.arabic) && STOPWORDS.at(text, time_at, |w| *w == Stop::Time).is_some()
    }

    /// `half` and `one` as words, not numbers: `the second half`, `half-year`, `the one`,
    /// `one of`, `one another` (`more than half` is 0.5).
    fn english_pronoun(&self) -> bool {
        let (text, a) = (self.text, self.a);
        if !(a.english && a.nchars == 1) {
            return false;
        }
        let word = &text[a.start..a.end];
        if word.eq_ignore_ascii_case("half") {
            let det = word_before(text, a.start);
            return next_char(text, self.e) == Some('-')
                || HALF_DETERMINERS.contains(&det.as_str());
        }
        if word.eq_ignore_ascii_case("one") {
            let det = word_before(text, a.start);
            return ONE_DETERMINERS.contains(&det.as_str())
                || text
                    .get(a.end..)
                    .is_some_and(|t| t.starts_with(" of ") || t.starts_with(" another"));
        }
        false
    }

    /// Chinese numerals that are words: a lone numeral only where it stands on its own
    /// (`答案是四`); digit strings without units are names or idioms (`九九`, `三八`).
    fn chinese_numeral_in_words(&self) -> bool {
        let (text, a, e) = (self.text, self.a, self.e);
        if !(a.chinese && !a.arabic) || e != a.end {
            return false;
        }
        if a.nchars == 1 {
            let weak_left = |c: char| !is_han(c) || "是前第为和与或及负".contains(c);
            let weak_right = |c: char| !is_han(c) || "的是这那不而却和与或及".contains(c);
            return !(prev_char(text, self.s).is_none_or(weak_left)
                && next_char(text, e).is_none_or(weak_right));
        }
        let digits_only = text[a.start..a.end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .all(|c| is_chinese_digit(c) && !"廿卅卌".contains(c));
        a.nchars >= 2 && digits_only && !text[a.start..a.end].contains(['〇', '零'])
    }
}
