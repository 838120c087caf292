//! What is not an entity: products, job titles, nationality adjectives and generic words
//! (`data/not_entities.tsv`), and surface forms that cannot be a name at all (mojibake,
//! pinyin glosses, stray punctuation, single Latin letters, bare numbers).

use std::collections::HashSet;
use std::sync::LazyLock;

/// Not-entity forms: Latin forms lowercased, Chinese forms as written.
static NOT_ENTITIES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("../../../data/not_entities.tsv")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.to_lowercase())
        .collect()
});

/// True when `surface` (a normalised mention text) is listed as never being an entity.
pub fn is_listed(surface: &str) -> bool {
    if surface.is_ascii() {
        // Lowercasing only on the (short) Latin path; Chinese forms are compared as they are.
        let mut buf = [0u8; 64];
        let n = surface.len();
        if n > buf.len() {
            return NOT_ENTITIES.contains(&surface.to_ascii_lowercase());
        }
        for (slot, b) in buf.iter_mut().zip(surface.bytes()) {
            *slot = b.to_ascii_lowercase();
        }
        return std::str::from_utf8(&buf[..n]).is_ok_and(|s| NOT_ENTITIES.contains(s));
    }
    NOT_ENTITIES.contains(surface)
}

/// True when `surface` cannot be a name whatever the context: empty, mojibake (`?`,
/// U+FFFD, control characters), brackets of pinyin glosses, a single Latin letter, a bare
/// number, or punctuation at either end.
pub fn is_malformed(surface: &str) -> bool {
    let s = surface;
    let Some(first) = s.chars().next() else { return true };
    let last = s.chars().next_back().unwrap_or(first);
    if s.chars().any(|c| matches!(c, '?' | '\u{FFFD}' | '[' | ']' | '{' | '}' | '<' | '>' | '|' | '"' | '“' | '”' | '《' | '》') || c.is_control()) {
        return true;
    }
    // Parentheses: only a balanced `(Word)` inside a Latin organisation name is allowed
    // (`Industrial Equity (Pacific) Ltd`); glosses such as `数(shù)` are never names.
    if s.contains(['(', ')']) && !balanced_latin_parens(s) {
        return true;
    }
    if !(first.is_alphanumeric()) || !(last.is_alphanumeric() || last == '.') {
        return true;
    }
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return true;
    }
    if s.is_ascii() && letters == 1 && s.chars().count() <= 2 {
        return true;
    }
    // Pinyin with tone marks (shù, jù) is a gloss, not a name.
    if s.chars().any(|c| matches!(c, 'à'..='ü' | 'ā'..='ū' | 'ǎ'..='ǜ')) && !s.chars().any(|c| c.is_ascii_uppercase()) {
        return true;
    }
    false
}

fn balanced_latin_parens(s: &str) -> bool {
    if !s.is_ascii() {
        return false;
    }
    let (Some(open), Some(close)) = (s.find('('), s.find(')')) else { return false };
    open > 0 && close > open + 1 && s[open + 1..].find('(').is_none() && s[close + 1..].find(')').is_none() && close + 1 < s.len()
}

/// True when a mention with this surface form must be dropped.
pub fn reject(surface: &str) -> bool {
    is_malformed(surface) || is_listed(surface)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_titles_and_adjectives_are_not_entities() {
        for s in ["GPT-4o", "iPhone", "ChatGPT", "CEO", "ceo", "American", "中方", "AI"] {
            assert!(reject(s), "{s}");
        }
        for s in ["Mercor", "Scale AI", "谷歌", "Eugene Ling", "Industrial Equity (Pacific) Ltd", "xAI"] {
            assert!(!reject(s), "{s}");
        }
    }

    #[test]
    fn junk_is_not_an_entity() {
        for s in ["数(shù)", "Sca?e", "a\u{FFFD}b", "X", "12", "(Pacific)", "", "Ling)", "“谷歌", "shù"] {
            assert!(reject(s), "{s:?}");
        }
    }
}
