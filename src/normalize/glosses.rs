//! Removal of the pinyin glosses that some scraped pages insert after characters:
//! `數(shù)據(jù)` -> `數據`.
//!
//! A gloss is a parenthesised pinyin syllable (lowercase Latin letters, at least one
//! carrying a tone mark) right after a Han character. Scrapers also mangle the opening
//! parenthesis into `?` or U+FFFD, which is matched the same way. Parenthesised Latin text
//! without tone marks (`(AI)`, `(ceo)`) is ordinary content and stays.

use super::offset_map::NChar;
use super::script::is_han;

fn is_tone_vowel(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ".contains(c)
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || is_tone_vowel(c) || c == 'ü'
}

/// Whether `c` can open a gloss: `(`, or what scrapers mangle it into.
fn is_opener(c: char) -> bool {
    matches!(c, '(' | '?' | '\u{FFFD}')
}

/// Length in chars of a gloss starting at `i` (the opener), or 0.
fn gloss_len(chars: &[NChar], i: usize) -> usize {
    if !is_opener(chars[i].ch) {
        return 0;
    }
    let mut j = i + 1;
    let mut toned = false;
    while j < chars.len() && j - i <= 7 && is_pinyin_letter(chars[j].ch) {
        toned |= is_tone_vowel(chars[j].ch);
        j += 1;
    }
    let letters = j - i - 1;
    if toned && (1..=6).contains(&letters) && j < chars.len() && chars[j].ch == ')' {
        j + 1 - i
    } else {
        0
    }
}

/// Drops every gloss; returns how many were removed. Kept characters move up in place,
/// and only from the first gloss on: most texts have none and are left untouched.
pub(crate) fn strip(chars: &mut Vec<NChar>) -> usize {
    let opens_gloss = |i: usize| {
        is_opener(chars[i].ch) && is_han(chars[i - 1].ch) && gloss_len(chars, i) > 0
    };
    let Some(first) = (1..chars.len()).find(|&i| opens_gloss(i)) else {
        return 0;
    };
    let mut kept = first;
    let mut removed = 0;
    let mut i = first;
    while i < chars.len() {
        // Writes stay at least a gloss's length below `i`: `chars[i - 1..]` is as read.
        if i > 0 && is_opener(chars[i].ch) && is_han(chars[i - 1].ch) {
            let n = gloss_len(chars, i);
            if n > 0 {
                i += n;
                removed += 1;
                continue;
            }
        }
        chars[kept] = chars[i];
        kept += 1;
        i += 1;
    }
    chars.truncate(kept);
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::offset_map::chars_of;

    fn run(s: &str) -> String {
        let mut cs = chars_of(s);
        strip(&mut cs);
        cs.iter().map(|c| c.ch).collect()
    }

    #[test]
    fn strips_glosses() {
        assert_eq!(run("數(shù)據(jù)標注"), "數據標注");
        assert_eq!(run("初創(chuàng)公司"), "初創公司");
        assert_eq!(run("當?shù)時間"), "當時間");
        assert_eq!(run("人工智能(AI)公司"), "人工智能(AI)公司");
        assert_eq!(run("首席执行官(ceo)"), "首席执行官(ceo)");
        assert_eq!(run("Scale(shù)"), "Scale(shù)");
    }
}
