//! What is not an entity: products, job titles, nationality adjectives and generic words
//! (`data/not_entities.tsv`), and surface forms that cannot be a name at all (mojibake,
//! pinyin glosses, stray punctuation, single Latin letters, bare numbers).

use std::collections::HashSet;

use rustc_hash::FxHashSet;

use crate::data_table;
use crate::table::{rows, TableError};

/// The not-entity table: listed forms (Latin lowercased, Chinese as written) and the
/// descriptive modifiers of organisation heads.
struct NotEntities {
    /// Looked up for every mention (several a headline): a fast hash, not SipHash.
    forms: FxHashSet<String>,
    /// Sorted by first character, then longest first: only the run of one first
    /// character can start a given text, and within it the longest modifier is taken.
    modifiers: Vec<&'static str>,
    /// The first character of each of `modifiers`, for the binary search of a run.
    modifier_firsts: Vec<char>,
    /// Products and models (Latin, lowercased) that take model codes: `iphone`, `gpt`;
    /// sorted, so that those with one first letter are neighbours.
    products: Vec<String>,
}

fn load_not_entities() -> Result<NotEntities, TableError> {
    let (file, text) = data_table!("not_entities.tsv");
    let mut t = NotEntities {
        forms: FxHashSet::default(),
        modifiers: Vec::new(),
        modifier_firsts: Vec::new(),
        products: Vec::new(),
    };
    for r in rows(file, text) {
        let in_products = r.section.contains("products");
        match r.cells[..] {
            ["modifier", m] if !m.is_empty() => t.modifiers.push(m),
            [form] => {
                if in_products && form.is_ascii() && form.len() >= 3 {
                    t.products.push(form.to_ascii_lowercase());
                }
                t.forms.insert(form.to_lowercase());
            }
            _ => return Err(r.error("expected one form, or `modifier<TAB>word`")),
        }
    }
    // Empty modifiers are skipped above, so every one has a first character.
    t.modifiers
        .sort_by_key(|m| (m.chars().next(), std::cmp::Reverse(m.len())));
    t.modifier_firsts = t.modifiers.iter().filter_map(|m| m.chars().next()).collect();
    t.products.sort_unstable();
    Ok(t)
}

static NOT_ENTITIES: crate::table::TableCell<NotEntities> =
    crate::table::TableCell::new(load_not_entities);


fn load_common_words() -> Result<HashSet<&'static str>, TableError> {
    let (file, text) = data_table!("common_words_en.tsv");
    rows(file, text)
        .map(|r| r.at_most(1)?.cell(0, "word"))
        .collect()
}

/// Reads this module's tables (for [`crate::table::check_all`]).
pub(crate) fn check() -> Result<(), TableError> {
    crate::table::check_cell(&NOT_ENTITIES)?;
    crate::table::check_cell(&COMMON_WORDS)?;
    Ok(())
}

/// `iPhone5s`, `GPT-4o-mini`, `Model 3`: a listed product followed by a short model code.
fn is_product_model(lower: &str) -> bool {
    // Only products with the same first letter can be a prefix: their run in sorted order.
    let Some(&first) = lower.as_bytes().first() else {
        return false;
    };
    let products = &NOT_ENTITIES.products;
    let from = products.partition_point(|p| p.as_bytes().first() < Some(&first));
    let to = products.partition_point(|p| p.as_bytes().first() <= Some(&first));
    products.get(from..to).unwrap_or(&[]).iter().any(|p| {
        lower.strip_prefix(p.as_str()).is_some_and(|rest| {
            let code = rest.trim_start_matches([' ', '-']);
            !rest.is_empty()
                && code.len() <= 8
                && code.bytes().any(|b| b.is_ascii_digit())
                && code
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        })
    })
}

/// An organisation "name" made only of descriptive modifiers and a head: 新锐公司.
fn is_description(surface: &str) -> bool {
    let c = super::cues::cues();
    // Most names end in no head: one binary search over the heads' last characters.
    let ends_in_head_char = surface
        .chars()
        .next_back()
        .is_some_and(|last| c.org_suffix_zh_last.binary_search(&last).is_ok());
    if !ends_in_head_char {
        return false;
    }
    let Some(head) = super::cues::ends_with_any(surface, &c.org_suffix_zh) else {
        return false;
    };
    let mut rest = &surface[..surface.len() - head.len()];
    let t = &*NOT_ENTITIES;
    let (modifiers, firsts) = (&t.modifiers, &t.modifier_firsts);
    while let Some(first) = rest.chars().next() {
        let from = firsts.partition_point(|&m| m < first);
        let to = firsts.partition_point(|&m| m <= first);
        let run = modifiers.get(from..to).unwrap_or(&[]);
        match run.iter().find(|m| rest.starts_with(*m)) {
            Some(m) => rest = &rest[m.len()..],
            None => return false,
        }
    }
    true
}

/// `zjMqKBD`: a lowercase start and several case switches is a code, not a name (`xAI`,
/// `eBay`, `LinkedIn` switch once).
fn is_code(surface: &str) -> bool {
    let b = surface.as_bytes();
    if !surface.is_ascii() || surface.contains(' ') {
        return false;
    }
    let lower_start = b.first().is_some_and(u8::is_ascii_lowercase);
    let rises = b
        .windows(2)
        .filter(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
        .count();
    let switches = b
        .windows(2)
        .filter(|p| {
            p[0].is_ascii_alphabetic()
                && p[1].is_ascii_alphabetic()
                && p[0].is_ascii_lowercase() != p[1].is_ascii_lowercase()
        })
        .count();
    let digit = b.iter().any(u8::is_ascii_digit);
    let upper = b.iter().any(u8::is_ascii_uppercase);
    // Lowercase, two or more capitals, lowercase again (RvHTNdh): names capitalise one
    // letter at a time (McKinsey, LinkedIn) or end in an acronym (OpenAI, xAI).
    let caps_inside = b.iter().enumerate().any(|(i, c)| {
        let run = b[i + 1..]
            .iter()
            .take_while(|u| u.is_ascii_uppercase())
            .count();
        c.is_ascii_lowercase() && run >= 2 && b.get(i + 1 + run).is_some_and(u8::is_ascii_lowercase)
    });
    // zjMqKBD, h18UPM, RvzWVg0 (short links and hashes).
    (lower_start && rises >= 2)
        || (lower_start && digit && upper)
        || (digit && switches >= 3)
        || caps_inside
}

/// True when `surface` (a normalised mention text) is listed as never being an entity.
pub(crate) fn is_listed(surface: &str) -> bool {
    if surface.is_ascii() {
        // Lowercasing only on the (short) Latin path; Chinese forms are compared as they are.
        let mut buf = [0u8; 64];
        let n = surface.len();
        if n > buf.len() {
            return NOT_ENTITIES.forms.contains(&surface.to_ascii_lowercase());
        }
        for (slot, b) in buf.iter_mut().zip(surface.bytes()) {
            *slot = b.to_ascii_lowercase();
        }
        return std::str::from_utf8(&buf[..n])
            .is_ok_and(|s| NOT_ENTITIES.forms.contains(s) || is_product_model(s));
    }
    NOT_ENTITIES.forms.contains(surface) || is_description(surface)
}

/// What one pass over the characters of a surface form tells [`is_malformed`] (which
/// asks it of every candidate mention: one pass, not one search per question).
#[derive(Default)]
struct Shape {
    /// Mojibake or markup: `?`, U+FFFD, a control character, `[]{}<>|"`.
    junk: bool,
    /// A Chinese quote or title mark: `“ ” 《 》`.
    quote: bool,
    /// A parenthesis.
    paren: bool,
    /// A letter of any script.
    letter: bool,
    /// A Latin letter with a pinyin tone mark (shù).
    tone_mark: bool,
    /// An ASCII capital.
    ascii_upper: bool,
}

impl Shape {
    fn of(s: &str) -> Shape {
        let mut k = Shape::default();
        for c in s.chars() {
            // Most characters of a Chinese name are common ideographs: letters, nothing else.
            if is_common_ideograph(c) {
                k.letter = true;
                continue;
            }
            match c {
                '?' | '\u{FFFD}' | '[' | ']' | '{' | '}' | '<' | '>' | '|' | '"' => k.junk = true,
                '“' | '”' | '《' | '》' => k.quote = true,
                '(' | ')' => k.paren = true,
                'à'..='ü' | 'ā'..='ū' | 'ǎ'..='ǜ' => k.tone_mark = true,
                _ => {}
            }
            k.junk |= c.is_control();
            k.ascii_upper |= c.is_ascii_uppercase();
            if !k.letter {
                k.letter = is_letter(c);
            }
        }
        k
    }
}

/// True when `surface` cannot be a name whatever the context: empty, mojibake (`?`,
/// U+FFFD, control characters), brackets of pinyin glosses, a single Latin letter, a bare
/// number, or punctuation at either end.
pub(crate) fn is_malformed(surface: &str) -> bool {
    let s = surface;
    let Some(first) = s.chars().next() else {
        return true;
    };
    let last = s.chars().next_back().unwrap_or(first);
    let shape = Shape::of(s);
    if shape.junk {
        return true;
    }
    // Asked only where a quote, bracket or edge character needs it: most names have none.
    let quoted = || quoted_chinese_name(s);
    if shape.quote && !quoted() {
        return true;
    }
    // Parentheses: only a balanced `(Word)` inside a Latin organisation name is allowed
    // (`Industrial Equity (Pacific) Ltd`); glosses such as `数(shù)` are never names.
    if shape.paren && !balanced_latin_parens(s) && !quoted() {
        return true;
    }
    let edges_ok = is_letter_or_digit(first) && (is_letter_or_digit(last) || last == '.');
    if !edges_ok && !quoted() {
        return true;
    }
    // No letter at all.
    if !shape.letter {
        return true;
    }
    if s.is_ascii()
        && s.bytes().filter(u8::is_ascii_alphabetic).count() == 1
        && s.len() <= 2
        && !s.bytes().any(|b| b.is_ascii_digit())
    {
        return true;
    }
    if is_code(s) {
        return true;
    }
    // Pinyin with tone marks (shù, jù) is a gloss, not a name.
    shape.tone_mark && !shape.ascii_upper
}

/// Whether `c` is a common CJK ideograph (U+4E00..U+9FFF, every one a letter): most
/// characters of a Chinese name, answered without the Unicode tables.
fn is_common_ideograph(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF)
}

/// `char::is_alphabetic`, with the common ideographs answered first.
fn is_letter(c: char) -> bool {
    is_common_ideograph(c) || c.is_alphabetic()
}

/// `char::is_alphanumeric`, with the common ideographs answered first.
fn is_letter_or_digit(c: char) -> bool {
    is_common_ideograph(c) || c.is_alphanumeric()
}

/// A Chinese name with a quoted or bracketed part: `《财富》杂志`, `芬兰《赫尔辛基新闻》报`,
/// `“实验3号”海洋探测船`, `中国远洋运输(集团)总公司`. The People's Daily / MSRA convention names the whole organisation, quotes included. Every quote or
/// bracket must be closed inside the span (no nesting), what it encloses must hold a Han
/// character, and the name must end in a Han character outside the quotes or, when it opens
/// with one (`英国《金融时报》`), in the closing quote, so that a bare title (`《实践论》`)
/// or a stray quote (`谷歌”`) stays malformed.
fn quoted_chinese_name(s: &str) -> bool {
    const PAIRS: [(char, char); 4] = [('《', '》'), ('“', '”'), ('『', '』'), ('(', ')')];
    let mut open: Option<char> = None;
    let mut inner_han = false;
    let mut pairs = 0;
    for c in s.chars() {
        if let Some(close) = open {
            if c == close {
                if !inner_han {
                    return false;
                }
                open = None;
                pairs += 1;
            } else if PAIRS.iter().any(|&(a, b)| c == a || c == b) {
                return false;
            } else {
                inner_han |= crate::normalize::script::is_han(c);
            }
        } else if let Some(&(_, close)) = PAIRS.iter().find(|&&(a, _)| a == c) {
            open = Some(close);
            inner_han = false;
        } else if PAIRS.iter().any(|&(_, b)| b == c) {
            return false;
        }
    }
    let han = crate::normalize::script::is_han;
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back()) else {
        return false;
    };
    open.is_none() && pairs > 0 && (han(last) || han(first))
}

fn balanced_latin_parens(s: &str) -> bool {
    if !s.is_ascii() {
        return false;
    }
    let (Some(open), Some(close)) = (s.find('('), s.find(')')) else {
        return false;
    };
    open > 0
        && close > open + 1
        && s[open + 1..].find('(').is_none()
        && s[close + 1..].find(')').is_none()
        && close + 1 < s.len()
}

/// True when a mention with this surface form must be dropped.
///
/// Asked again and again of the same surfaces (by the settling of a document's mentions,
/// by coreference, by the Latin rules, and across documents of one source): the answer,
/// which depends on the surface alone, is kept per thread ([`REJECTED`]), one hash look-up
/// where the questions cost some 700 instructions.
pub(crate) fn reject(surface: &str) -> bool {
    if surface.len() > MEMO_SURFACE {
        return reject_plain(surface);
    }
    REJECTED.with(|memo| {
        let Ok(mut memo) = memo.try_borrow_mut() else {
            return reject_plain(surface);
        };
        if let Some(&known) = memo.get(surface) {
            return known;
        }
        let answer = reject_plain(surface);
        if memo.len() >= MEMO_ENTRIES {
            memo.clear();
        }
        memo.insert(surface.into(), answer);
        answer
    })
}

/// [`reject`] without the memo: what the memo keeps.
fn reject_plain(surface: &str) -> bool {
    is_malformed(surface) || is_listed(surface)
}

/// Surfaces longer than this (bytes) are not kept by [`reject`]'s memo: rare, and keys
/// stay short.
const MEMO_SURFACE: usize = 48;
/// Entries of [`reject`]'s memo before it starts over (bounded memory on a long run).
const MEMO_ENTRIES: usize = 8192;

thread_local! {
    /// [`reject`]'s answers by surface, on this thread.
    static REJECTED: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, bool>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// Common English words (`data/common_words_en.tsv`), lower case.
static COMMON_WORDS: crate::table::TableCell<HashSet<&'static str>> =
    crate::table::TableCell::new(load_common_words);

/// True for a one-word mention in a sentence written all in capitals (a wire headline:
/// `COASTAL CORP AND UNITS UPGRADED`) when the word is a common English word: capitals
/// hide the case that tells a name from a word, and `UNITS` is a word.
/// The sentence is asked for only when the word is one: finding a mention's sentence is a
/// binary search, and most mentions are not one upper-case word.
pub(crate) fn shouted_common_word<'s>(surface: &str, sentence: impl FnOnce() -> &'s str) -> bool {
    if !(surface.len() >= 2 && surface.bytes().all(|b| b.is_ascii_uppercase())) {
        return false;
    }
    let sentence = sentence();
    !sentence.bytes().any(|b| b.is_ascii_lowercase())
        && sentence.bytes().filter(u8::is_ascii_uppercase).count() >= 8
        && COMMON_WORDS.contains(surface.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut of [`is_letter`] and [`is_letter_or_digit`] answers as the Unicode
    /// tables do: every common ideograph is a letter.
    #[test]
    fn common_ideographs_are_letters() {
        for c in (0x4E00..=0x9FFF).filter_map(char::from_u32) {
            assert!(c.is_alphabetic() && c.is_alphanumeric(), "{c}");
        }
        for c in ['a', 'Z', '3', ' ', '.', '·', 'é', '〇', '《'] {
            assert_eq!(is_letter(c), c.is_alphabetic());
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric());
        }
    }

    /// The memo of [`reject`] answers as the questions do, the first time and after.
    #[test]
    fn rejection_memo_is_the_plain_answer() {
        let long = "Industrial Equity (Pacific) Ltd and a very long name of forty bytes";
        let surfaces = [
            "", "A", "CEO", "iPhone 15", "新锐公司", "北京大学", "数(shù)", "zjMqKBD", "Apple",
            "《财富》杂志", "谷歌”", "Industrial Equity (Pacific) Ltd", long, "GPT-4o", "美团",
        ];
        for _ in 0..2 {
            for s in surfaces {
                assert_eq!(reject(s), reject_plain(s), "{s}");
            }
        }
    }

    #[test]
    fn shouted_common_words_in_headlines() {
        let headline = "COASTAL CORP <CGP> AND UNITS UPGRADED BY S/P";
        assert!(shouted_common_word("UNITS", || headline));
        assert!(!shouted_common_word("COASTAL CORP", || headline));
        assert!(!shouted_common_word(
            "JAPAN",
            || "SOCCER - JAPAN GET LUCKY WIN"
        ));
        // In an ordinary sentence capitals mean something.
        assert!(!shouted_common_word("UNITS", || "Acme said UNITS were sold."));
    }

    #[test]
    fn products_titles_and_adjectives_are_not_entities() {
        for s in [
            "GPT-4o",
            "iPhone",
            "ChatGPT",
            "CEO",
            "ceo",
            "American",
            "中方",
            "AI",
            "iPhone5s",
            "GPT-4o-mini",
            "新锐公司",
            "AI初创公司",
            "私募股权公司",
            "共享乘车公司",
            "一家芯片初创公司",
            "某软件公司",
            "新能源汽车公司",
            "zjMqKBD",
            "RvHTNdh",
            "RvnCLay",
            "REUTER",
            "h18UPM",
            "RvzWVg0",
        ] {
            assert!(reject(s), "{s}");
        }
        for s in [
            "Mercor",
            "Scale AI",
            "谷歌",
            "Eugene Ling",
            "Industrial Equity (Pacific) Ltd",
            "xAI",
            "eBay",
            "LinkedIn",
            "华为公司",
            "小米公司",
            "比亚迪汽车公司",
            "中国银行",
            "美国银行",
            "Macquarie",
            "3M",
            "Tesla3",
            "McKinsey",
            "JPMorgan",
            "OpenAI",
            "iFlytek",
            "GitHub",
            "NVIDIA",
            "《财富》杂志",
            "英国《星期日泰晤士报》",
            "“蓝”队",
            "“实验3号”海洋探测船",
            "中国远洋运输(集团)总公司",
            "台湾“中国两岸民间交流协会”秘书处",
        ] {
            assert!(!reject(s), "{s}");
        }
    }

    #[test]
    fn junk_is_not_an_entity() {
        for s in [
            "数(shù)",
            "Sca?e",
            "a\u{FFFD}b",
            "X",
            "12",
            "(Pacific)",
            "",
            "Ling)",
            "“谷歌",
            "shù",
            "《实践论》",
            "时尚》杂志",
            "《新闻报",
            "“蓝”",
            "“社会周刊”",
            "数(shù)字",
        ] {
            assert!(reject(s), "{s:?}");
        }
    }
}
