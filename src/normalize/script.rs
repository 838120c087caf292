//! Traditional -> Simplified Chinese, and detection of a document's script.
//!
//! Conversion uses zhconv's OpenCC/MediaWiki phrase tables. Phrase conversion can, rarely,
//! change the length of a run; the offset map needs one character per character, so a run
//! whose length changes falls back to converting its characters one at a time.

use std::sync::LazyLock;

use zhconv::{zhconv, Variant};

use super::offset_map::NChar;
use crate::document::Script;

pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// First and last code point covered by [`CONVERTIBLE`] (CJK Extension A to the BMP
/// compatibility ideographs); characters outside go to zhconv unconditionally.
const TABLE_START: u32 = 0x3400;
const TABLE_END: u32 = 0xFAFF;

/// One bit per BMP Han character: set when zhconv converts the character on its own.
/// Most news is Simplified already; a run of Han characters none of which is marked is
/// left alone without calling the phrase converter (2-3x faster normalisation of
/// Simplified text). Built once per process.
static CONVERTIBLE: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; ((TABLE_END - TABLE_START) as usize >> 6) + 1];
    let mut buf = [0u8; 4];
    for cp in TABLE_START..=TABLE_END {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        if !is_han(c) {
            continue;
        }
        let one = c.encode_utf8(&mut buf);
        if zhconv(one, Variant::ZhHans) != *one {
            let i = (cp - TABLE_START) as usize;
            bits[i >> 6] |= 1 << (i & 63);
        }
    }
    bits
});

/// True when `c` may change under Traditional -> Simplified conversion.
pub(crate) fn may_convert(c: char) -> bool {
    may_convert_in(&CONVERTIBLE, c)
}

/// [`may_convert`] with the table already at hand (a loop over a text derefs it once).
fn may_convert_in(table: &[u64], c: char) -> bool {
    let cp = c as u32;
    if !(TABLE_START..=TABLE_END).contains(&cp) {
        return true;
    }
    let i = (cp - TABLE_START) as usize;
    table
        .get(i >> 6)
        .is_some_and(|w| w & (1 << (i & 63)) != 0)
}

/// Converts Han characters to Simplified in place; returns how many characters changed.
pub fn to_simplified(chars: &mut [NChar]) -> usize {
    let table: &[u64] = &CONVERTIBLE;
    let mut changed = 0;
    let mut i = 0;
    while i < chars.len() {
        if !is_han(chars[i].ch) {
            i += 1;
            continue;
        }
        // The run of Han characters, and whether any of them may convert, in one pass.
        let start = i;
        let mut convertible = false;
        while i < chars.len() && is_han(chars[i].ch) {
            convertible |= may_convert_in(table, chars[i].ch);
            i += 1;
        }
        if !convertible {
            continue;
        }
        let run: String = chars[start..i].iter().map(|c| c.ch).collect();
        let conv = zhconv(&run, Variant::ZhHans);
        if conv == run {
            continue;
        }
        if conv.chars().count() == i - start {
            for (slot, ch) in chars[start..i].iter_mut().zip(conv.chars()) {
                if slot.ch != ch {
                    changed += 1;
                    slot.ch = ch;
                }
            }
        } else {
            let mut buf = [0u8; 4];
            for slot in &mut chars[start..i] {
                let one = zhconv(slot.ch.encode_utf8(&mut buf), Variant::ZhHans);
                let mut it = one.chars();
                if let (Some(ch), None) = (it.next(), it.next()) {
                    if ch != slot.ch {
                        changed += 1;
                        slot.ch = ch;
                    }
                }
            }
        }
    }
    changed
}

/// The script of a document from its Han / Latin letter counts and the share of Han
/// characters that T->S conversion changed.
pub fn detect(han: usize, latin_letters: usize, traditional_changed: usize) -> Script {
    if han == 0 {
        return Script::Latin;
    }
    // Latin letters come in words of ~5; Han characters are words on their own, roughly.
    let latin_words = latin_letters / 5;
    let han_share = han as f64 / (han + latin_words) as f64;
    if han_share < 0.2 {
        return Script::Latin;
    }
    if han_share < 0.6 {
        return Script::Mixed;
    }
    if traditional_changed * 100 >= han * 3 {
        Script::Hant
    } else {
        Script::Hans
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::offset_map::chars_of;

    #[test]
    fn converts_traditional() {
        let mut cs = chars_of("數據標注巨頭與微軟");
        let n = to_simplified(&mut cs);
        let s: String = cs.iter().map(|c| c.ch).collect();
        assert_eq!(s, "数据标注巨头与微软");
        assert!(n >= 6);
    }

    #[test]
    fn detects() {
        assert_eq!(detect(0, 100, 0), Script::Latin);
        assert_eq!(detect(1000, 100, 200), Script::Hant);
        assert_eq!(detect(1000, 100, 2), Script::Hans);
        assert_eq!(detect(100, 1000, 0), Script::Mixed);
    }
}
