//! The amount recogniser's word lists, read once from `data/*.tsv`: currencies, counted
//! nouns and classifiers, qualifiers, and words in which numeral characters are no number.
//!
//! Every list is a [`Lexicon`]: forms indexed by their first and last character, so the
//! recogniser asks "which form starts (or ends) exactly here?" in a few comparisons. ASCII
//! forms match case-insensitively and never inside a longer ASCII word; Chinese forms of
//! two or more characters also match with single spaces between their characters
//! (`百 分 之`), as peer test suites and some scraped pages write them.

use rustc_hash::FxHashMap as HashMap;

use crate::data_table;
use crate::table::{check_cell, rows, TableCell, TableError};

use crate::document::Qualifier;
use crate::num::Num;

/// One form of a lexicon with its payload.
#[derive(Debug, Clone)]
pub(crate) struct Entry<T> {
    pub form: String,
    pub data: T,
}

/// Forms indexed by first and by last (lower-cased) character; longest first.
#[derive(Debug)]
pub(crate) struct Lexicon<T> {
    entries: Vec<Entry<T>>,
    /// Per entry, the second character of its form (`None` for a one-character form): a
    /// first-character bucket can be long (39 stop words start with `一`), and most of its
    /// forms are ruled out by the text's next character before [`match_forward`] runs.
    second: Vec<Option<char>>,
    by_first: HashMap<char, Vec<usize>>,
    by_last: HashMap<char, Vec<usize>>,
}

fn fold(c: char) -> char {
    c.to_ascii_lowercase()
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphabetic()
}

/// Matches `form` at byte `pos` of `text`, going forward; returns the end byte.
fn match_forward(text: &str, pos: usize, form: &str) -> Option<usize> {
    let rest = text.get(pos..)?;
    let mut it = rest.char_indices().peekable();
    let mut first = true;
    let mut end = pos;
    for fc in form.chars() {
        let (mut i, mut c) = it.next()?;
        if c == ' ' && !first && !fc.is_ascii() && fc != ' ' {
            // `百 分 之`: one space allowed between Chinese characters.
            (i, c) = it.next()?;
        }
        if fold(c) != fold(fc) {
            return None;
        }
        end = pos + i + c.len_utf8();
        first = false;
    }
    // An ASCII word form must not run on into a longer word (`won` in `wonder`).
    let last = form.chars().last()?;
    if is_word_char(last) && text[end..].chars().next().is_some_and(is_word_char) {
        return None;
    }
    Some(end)
}

/// Whether a form whose second character is `fc` can match where the text's second and
/// third characters are `c2` and `c3`: the second step of [`match_forward`] (one space
/// allowed before a Chinese character), taken alone so that [`Lexicon::at`] can rule out
/// most forms of a long bucket without walking them. Never false where that step passes.
fn second_fits(fc: char, c2: Option<char>, c3: Option<char>) -> bool {
    let c = match c2 {
        Some(' ') if !fc.is_ascii() => c3,
        other => other,
    };
    c.is_some_and(|c| fold(c) == fold(fc))
}

/// Matches `form` ending exactly at byte `end` of `text`; returns the start byte.
fn match_backward(text: &str, end: usize, form: &str) -> Option<usize> {
    let head = text.get(..end)?;
    let mut it = head.char_indices().rev();
    let mut first = true;
    let mut start = end;
    for fc in form.chars().rev() {
        let (mut i, mut c) = it.next()?;
        if c == ' ' && !first && !fc.is_ascii() && fc != ' ' {
            (i, c) = it.next()?;
        }
        if fold(c) != fold(fc) {
            return None;
        }
        start = i;
        first = false;
    }
    let head_char = form.chars().next()?;
    if is_word_char(head_char) && text[..start].chars().next_back().is_some_and(is_word_char) {
        return None;
    }
    Some(start)
}

impl<T> Lexicon<T> {
    pub(crate) fn new(mut entries: Vec<Entry<T>>) -> Self {
        entries.sort_by_key(|e| std::cmp::Reverse(e.form.chars().count()));
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::default();
        let mut by_last: HashMap<char, Vec<usize>> = HashMap::default();
        for (i, e) in entries.iter().enumerate() {
            if let (Some(f), Some(l)) = (e.form.chars().next(), e.form.chars().last()) {
                by_first.entry(fold(f)).or_default().push(i);
                by_last.entry(fold(l)).or_default().push(i);
            }
        }
        let second = entries.iter().map(|e| e.form.chars().nth(1)).collect();
        Lexicon {
            entries,
            second,
            by_first,
            by_last,
        }
    }

    /// The longest entry starting at `pos` (accepted by `ok`), with its end byte.
    pub(crate) fn at(
        &self,
        text: &str,
        pos: usize,
        ok: impl Fn(&T) -> bool,
    ) -> Option<(&Entry<T>, usize)> {
        let mut chars = text.get(pos..)?.chars();
        let c = chars.next()?;
        // Most places start no form: the next two characters are decoded only for a bucket.
        let bucket = self.by_first.get(&fold(c))?;
        let (c2, c3) = (chars.next(), chars.next());
        for &i in bucket {
            let e = &self.entries[i];
            if !ok(&e.data) {
                continue;
            }
            let second = self.second.get(i).copied().flatten();
            if second.is_some_and(|fc| !second_fits(fc, c2, c3)) {
                continue;
            }
            if let Some(end) = match_forward(text, pos, &e.form) {
                return Some((e, end));
            }
        }
        None
    }

    /// The longest entry ending at `end` (accepted by `ok`), with its start byte.
    pub(crate) fn before(
        &self,
        text: &str,
        end: usize,
        ok: impl Fn(&T) -> bool,
    ) -> Option<(&Entry<T>, usize)> {
        let c = text.get(..end)?.chars().next_back()?;
        for &i in self.by_last.get(&fold(c))? {
            let e = &self.entries[i];
            if !ok(&e.data) {
                continue;
            }
            if let Some(start) = match_backward(text, end, &e.form) {
                return Some((e, start));
            }
        }
        None
    }

    /// All entries, longest form first (for tests).
    #[cfg(test)]
    pub(crate) fn entries(&self) -> &[Entry<T>] {
        &self.entries
    }
}

/// Where a currency form may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CurrencyPos {
    Pre,
    Suf,
    Both,
    Sub,
}

#[derive(Debug, Clone)]
pub(crate) struct Currency {
    /// ISO 4217 code; `None` for a subunit of whatever currency precedes it.
    pub iso: Option<String>,
    pub pos: CurrencyPos,
    /// Multiplier of the amount: 1 for main units, 0.01 for cents, 10^6 for `MUSD`.
    pub factor: Num,
}

impl Currency {
    pub(crate) fn prefix(&self) -> bool {
        matches!(self.pos, CurrencyPos::Pre | CurrencyPos::Both)
    }
    pub(crate) fn suffix(&self) -> bool {
        matches!(self.pos, CurrencyPos::Suf | CurrencyPos::Both)
    }
    pub(crate) fn sub(&self) -> bool {
        self.pos == CurrencyPos::Sub
    }
}

/// What a unit word makes of the number before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitKind {
    /// A Chinese classifier (名, 份, 家).
    Classifier,
    /// A counted noun (员工, employees).
    Noun,
    /// A percent sign or word (`%`, 个百分点, 成, percent).
    Percent,
}

/// A counted noun, classifier or percent word.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// English gloss of a noun or classifier; the multiplier of a percent word.
    pub gloss: String,
    pub kind: UnitKind,
}

/// Where a qualifier stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QualPos {
    Pre,
    Suf,
    Range,
    RangePre,
    /// A word of change (`rose`, `增长`): right before `A to B` it makes the two a change
    /// and the level reached, or an old and a new value, not a range.
    Change,
    /// A word that may stand between a word of change and its figure (`by`, `from`, `了`).
    ChangeLink,
}

#[derive(Debug, Clone)]
pub(crate) struct QualWord {
    pub qualifier: Qualifier,
    pub pos: QualPos,
}

/// Kinds of [`STOPWORDS`] entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    Word,
    Surname,
    Version,
    /// A time word after a bare number (`3 pm`, `2 years`): the number is the dates' business.
    Time,
}

type Loaded<T> = Result<T, TableError>;

/// Reads every table of this module (for [`crate::table::check_all`]).
pub(crate) fn check() -> Loaded<()> {
    check_cell(&CURRENCIES)?;
    check_cell(&UNITS)?;
    check_cell(&QUALIFIERS)?;
    check_cell(&STOPWORDS)?;
    check_cell(&MONEY_WORDS)?;
    Ok(())
}

fn load_currencies() -> Loaded<Lexicon<Currency>> {
    let (file, text) = data_table!("currencies.tsv");
    let mut entries = Vec::new();
    for r in rows(file, text) {
        r.at_most(4)?;
        let (form, iso) = (r.cell(0, "form")?, r.cell(1, "iso")?);
        let pos = match r.cell(2, "position")? {
            "pre" => CurrencyPos::Pre,
            "suf" => CurrencyPos::Suf,
            "both" => CurrencyPos::Both,
            "sub" => CurrencyPos::Sub,
            other => return Err(r.error(format!("unknown position {other:?}"))),
        };
        let factor = r.cell(3, "factor")?;
        let factor = Num::parse_decimal(factor)
            .ok_or_else(|| r.error(format!("column 4 (factor) is not a decimal: {factor:?}")))?;
        let iso = (iso != "*").then(|| iso.to_string());
        // `MUSD`, `MEUR`: an ISO code with a leading M counts millions (Nordic business style).
        if let Some(code) = iso.as_deref().filter(|c| form == *c && c.len() == 3) {
            if let Some(f) = factor.scaled_by_pow10(6) {
                entries.push(Entry {
                    form: format!("M{code}"),
                    data: Currency {
                        iso: Some(code.to_string()),
                        pos: CurrencyPos::Both,
                        factor: f,
                    },
                });
            }
        }
        entries.push(Entry {
            form: form.to_string(),
            data: Currency { iso, pos, factor },
        });
    }
    Ok(Lexicon::new(entries))
}

pub(crate) static CURRENCIES: TableCell<Lexicon<Currency>> = TableCell::new(load_currencies);

fn load_units() -> Loaded<Lexicon<Unit>> {
    let (file, text) = data_table!("units.tsv");
    let entries = rows(file, text)
        .map(|r| {
            r.at_most(3)?;
            let kind = match r.cell(2, "kind")? {
                "cls" => UnitKind::Classifier,
                "noun" => UnitKind::Noun,
                "pct" => UnitKind::Percent,
                other => return Err(r.error(format!("unknown kind {other:?}"))),
            };
            Ok(Entry {
                form: r.cell(0, "form")?.to_string(),
                data: Unit {
                    gloss: r.cell(1, "gloss")?.to_string(),
                    kind,
                },
            })
        })
        .collect::<Loaded<Vec<_>>>()?;
    Ok(Lexicon::new(entries))
}

pub(crate) static UNITS: TableCell<Lexicon<Unit>> = TableCell::new(load_units);

fn load_qualifiers() -> Loaded<Lexicon<QualWord>> {
    let (file, text) = data_table!("amount_qualifiers.tsv");
    let entries = rows(file, text)
        .map(|r| {
            r.at_most(3)?;
            let qualifier = match r.cell(1, "qualifier")? {
                "approx" => Qualifier::Approx,
                "over" => Qualifier::Over,
                "under" => Qualifier::Under,
                // A range word (`至`, `to`) has no qualifier of its own.
                "-" => Qualifier::Range,
                other => return Err(r.error(format!("unknown qualifier {other:?}"))),
            };
            let pos = match r.cell(2, "position")? {
                "pre" => QualPos::Pre,
                "suf" => QualPos::Suf,
                "range" => QualPos::Range,
                "rangepre" => QualPos::RangePre,
                "change" => QualPos::Change,
                "changelink" => QualPos::ChangeLink,
                other => return Err(r.error(format!("unknown position {other:?}"))),
            };
            Ok(Entry {
                form: r.cell(0, "form")?.to_string(),
                data: QualWord { qualifier, pos },
            })
        })
        .collect::<Loaded<Vec<_>>>()?;
    Ok(Lexicon::new(entries))
}

pub(crate) static QUALIFIERS: TableCell<Lexicon<QualWord>> = TableCell::new(load_qualifiers);

/// A lexicon of `form<TAB>kind` rows, each kind one of `kinds` (its name in the table, its
/// value); any other kind is an error naming the file and line.
fn form_kind_table<K: Copy>(
    (file, text): (&'static str, &'static str),
    kinds: &[(&str, K)],
) -> Loaded<Lexicon<K>> {
    let entries = rows(file, text)
        .map(|r| {
            r.at_most(2)?;
            let kind = r.cell(1, "kind")?;
            let Some(&(_, data)) = kinds.iter().find(|(name, _)| *name == kind) else {
                let names: Vec<&str> = kinds.iter().map(|(name, _)| *name).collect();
                return Err(r.error(format!("unknown kind {kind:?} ({})", names.join(", "))));
            };
            Ok(Entry {
                form: r.cell(0, "form")?.to_string(),
                data,
            })
        })
        .collect::<Loaded<Vec<_>>>()?;
    Ok(Lexicon::new(entries))
}

fn load_stopwords() -> Loaded<Lexicon<Stop>> {
    form_kind_table(
        data_table!("number_stopwords.tsv"),
        &[
            ("word", Stop::Word),
            ("surname", Stop::Surname),
            ("version", Stop::Version),
            ("time", Stop::Time),
        ],
    )
}

pub(crate) static STOPWORDS: TableCell<Lexicon<Stop>> = TableCell::new(load_stopwords);

/// Kinds of [`MONEY_WORDS`] entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoneyWord {
    /// A word of money (净亏, 营收): a bare count of 亿 or 万 after it is money.
    Word,
    /// May stand between such a word and the number (为, 达).
    Link,
}

fn load_money_words() -> Loaded<Lexicon<MoneyWord>> {
    form_kind_table(
        data_table!("amount_money_words.tsv"),
        &[("word", MoneyWord::Word), ("link", MoneyWord::Link)],
    )
}

pub(crate) static MONEY_WORDS: TableCell<Lexicon<MoneyWord>> = TableCell::new(load_money_words);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert!(CURRENCIES.entries().len() > 100);
        assert!(UNITS.entries().len() > 50);
        assert!(QUALIFIERS.entries().len() > 40);
        assert!(STOPWORDS.entries().len() > 50);
        assert!(MONEY_WORDS.entries().len() > 20);
    }

    #[test]
    fn a_form_kind_row_of_an_unknown_kind_names_its_line() {
        let bad = "# form\tkind\n净亏\tword\n为\tlinker\n";
        let err = form_kind_table(("data/t.tsv", bad), &[("word", 0u8), ("link", 1)])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("data/t.tsv:3: unknown kind \"linker\" (word, link)")
        );
    }

    /// [`Lexicon::at`] without the second-character filter: every entry of the first
    /// character's bucket, longest first, tried with [`match_forward`].
    fn at_unfiltered<'l, T>(
        lex: &'l Lexicon<T>,
        text: &str,
        pos: usize,
        ok: impl Fn(&T) -> bool,
    ) -> Option<(&'l Entry<T>, usize)> {
        let c = text.get(pos..)?.chars().next()?;
        lex.by_first.get(&fold(c))?.iter().find_map(|&i| {
            let e = &lex.entries[i];
            if !ok(&e.data) {
                return None;
            }
            match_forward(text, pos, &e.form).map(|end| (e, end))
        })
    }

    /// Texts that hold every form of `lex` as written, with spaces between its characters,
    /// upper-cased and cut short by one character, among sentences of our own.
    fn probe_texts<T>(lex: &Lexicon<T>) -> Vec<String> {
        let mut texts: Vec<String> = [
            "约合人民币2068亿元,一切 一 切都好,统一 四川队伍。",
            "5 Dollars, US$ 3 million, wonder 3 pm 百 分 之 二十 以 上",
            "张三 李四人民币 第一 万一 一起 一 起来 两 个 陆续 参股 伍 十万",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for e in lex.entries() {
            let spaced: String = e.form.chars().flat_map(|c| [c, ' ']).collect();
            let short: String = e.form.chars().take(e.form.chars().count().saturating_sub(1)).collect();
            texts.push(format!("{} {}x{} {}一", e.form, spaced, e.form.to_uppercase(), short));
        }
        texts
    }

    /// The filter rules out only forms that cannot match: the same entry (or none) as the
    /// unfiltered walk, at every character of every probe text, for every lexicon.
    fn same_as_unfiltered<T>(lex: &Lexicon<T>, oks: &[&dyn Fn(&T) -> bool]) {
        for text in probe_texts(lex) {
            for (pos, _) in text.char_indices() {
                for ok in oks {
                    let fast = lex.at(&text, pos, ok).map(|(e, end)| (&e.form, end));
                    let slow = at_unfiltered(lex, &text, pos, ok).map(|(e, end)| (&e.form, end));
                    assert_eq!(fast, slow, "{text:?} at {pos}");
                }
            }
        }
    }

    #[test]
    fn second_character_filter_changes_no_match() {
        same_as_unfiltered(&STOPWORDS, &[&|_| true, &|w| *w == Stop::Word, &|w| *w == Stop::Surname, &|w| *w == Stop::Time]);
        same_as_unfiltered(&QUALIFIERS, &[&|_| true, &|q: &QualWord| q.pos == QualPos::Pre]);
        same_as_unfiltered(&UNITS, &[&|_| true]);
        same_as_unfiltered(&CURRENCIES, &[&|_| true, &|c: &Currency| c.prefix(), &|c: &Currency| c.suffix()]);
    }

    #[test]
    fn matches_forward_and_backward() {
        let t = "约合人民币2068亿元";
        let (e, end) = CURRENCIES.at(t, "约合".len(), |c| c.prefix()).unwrap();
        assert_eq!(e.data.iso.as_deref(), Some("CNY"));
        assert_eq!(end, "约合人民币".len());
        let (q, start) = QUALIFIERS
            .before(t, "约合".len(), |q| q.pos == QualPos::Pre)
            .unwrap();
        assert_eq!(q.form, "约合");
        assert_eq!(start, 0);
        // ASCII forms: case-insensitive, whole words only.
        assert!(CURRENCIES.at("5 Dollars", 2, |c| c.suffix()).is_some());
        assert!(CURRENCIES.at("wonder", 0, |c| c.suffix()).is_none());
        // Spaced Chinese.
        assert!(QUALIFIERS.at("以 上", 0, |_| true).is_some());
    }
}
