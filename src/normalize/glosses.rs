//! Removal of the pinyin glosses that some scraped pages insert after characters:
//! `數(shù)據(jù)` -> `數據`.
//!
//! A gloss is a parenthesised pinyin syllable (lowercase Latin letters, at least one
//! carrying a tone mark) right after a Han character. Scrapers also mangle the opening
//! parenthesis into `?` or U+FFFD, which is matched the same way. Parenthesised Latin text
//! without tone marks (`(AI)`, `(ceo)`) is ordinary content and stays.

use super::script::is_han;

pub(crate) fn is_tone_vowel(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ".contains(c)
}

pub(crate) fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || is_tone_vowel(c) || c == 'ü'
}

/// Whether `c` can open a gloss: `(`, or what scrapers mangle it into.
pub(crate) fn is_opener(c: char) -> bool {
    matches!(c, '(' | '?' | '\u{FFFD}')
}

/// Length in characters of a gloss whose opener stands just before `rest` (the opener and
/// the closing parenthesis counted), or 0: one to six pinyin letters, one of them toned,
/// then `)`.
pub(crate) fn gloss_len_after(mut rest: impl Iterator<Item = char>) -> usize {
    let mut letters = 0;
    let mut toned = false;
    loop {
        match rest.next() {
            Some(')') => {
                return if toned && (1..=6).contains(&letters) {
                    letters + 2
                } else {
                    0
                }
            }
            Some(c) if letters < 7 && is_pinyin_letter(c) => {
                toned |= is_tone_vowel(c);
                letters += 1;
            }
            _ => return 0,
        }
    }
}

/// Where glosses were removed: before byte `at` of the stripped text, `chars` characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Gap {
    pub at: usize,
    pub chars: u32,
}

/// Drops every gloss (an opener right after a Han character, read left to right; a
/// removed gloss's characters are not looked at again): the stripped text and where each
/// gloss was, or `None` when `text` has none.
pub(crate) fn strip(text: &str) -> Option<(String, Vec<Gap>)> {
    let mut out = String::new();
    let mut gaps: Vec<Gap> = Vec::new();
    // `text[..copied]` is in `out`, glosses removed.
    let mut copied = 0;
    let mut prev_han = false;
    let mut it = text.char_indices();
    while let Some((b, c)) = it.next() {
        if prev_han && is_opener(c) {
            let after = b + c.len_utf8();
            let n = gloss_len_after(text.get(after..).unwrap_or("").chars());
            if n > 0 {
                if out.capacity() == 0 {
                    out.reserve(text.len());
                }
                out.push_str(&text[copied..b]);
                let mut end = after;
                for _ in 1..n {
                    if let Some((b2, c2)) = it.next() {
                        end = b2 + c2.len_utf8();
                    }
                }
                gaps.push(Gap {
                    at: out.len(),
                    chars: n as u32,
                });
                copied = end;
                // The character before the next is the gloss's `)`.
                prev_han = false;
                continue;
            }
        }
        prev_han = is_han(c);
    }
    if gaps.is_empty() {
        return None;
    }
    out.push_str(&text[copied..]);
    Some((out, gaps))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        strip(s).map_or_else(|| s.to_string(), |(t, _)| t)
    }

    #[test]
    fn strips_glosses() {
        assert_eq!(run("數(shù)據(jù)標注"), "數據標注");
        assert_eq!(run("初創(chuàng)公司"), "初創公司");
        assert_eq!(run("當?shù)時間"), "當時間");
        assert_eq!(run("人工智能(AI)公司"), "人工智能(AI)公司");
        assert_eq!(run("首席执行官(ceo)"), "首席执行官(ceo)");
        assert_eq!(run("Scale(shù)"), "Scale(shù)");
        // Where each gloss was, in the stripped text.
        let (t, gaps) = strip("數(shù)據(jù)標注").unwrap();
        assert_eq!(t, "數據標注");
        assert_eq!(gaps, [Gap { at: 3, chars: 5 }, Gap { at: 6, chars: 4 }]);
        // A second opener right after a gloss follows its `)`, not a Han character.
        assert_eq!(run("數(shù)(jù)"), "數(jù)");
        assert_eq!(run("數(shùshùshù)"), "數(shùshùshù)");
        assert_eq!(run("數(shùshù)"), "數");
    }
}
