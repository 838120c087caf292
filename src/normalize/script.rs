//! Traditional -> Simplified Chinese, and detection of a document's script.
//!
//! Conversion uses zhconv's OpenCC/MediaWiki phrase tables. Phrase conversion can, rarely,
//! change the length of a run; the offset map needs one character per character, so a run
//! whose length changes falls back to converting its characters one at a time.

use std::sync::LazyLock;

use zhconv::{zhconv, Variant};

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

/// The table of [`may_convert`], for [`may_convert_code`].
pub(crate) fn convertible_table() -> &'static [u64] {
    &CONVERTIBLE
}

/// [`may_convert`] with the table already at hand (a loop over a text derefs it once).
fn may_convert_in(table: &[u64], c: char) -> bool {
    may_convert_code(table, c as u32)
}

/// [`may_convert_in`] for the code point `cp` of a character.
pub(crate) fn may_convert_code(table: &[u64], cp: u32) -> bool {
    if !(TABLE_START..=TABLE_END).contains(&cp) {
        return true;
    }
    let i = (cp - TABLE_START) as usize;
    table
        .get(i >> 6)
        .is_some_and(|w| w & (1 << (i & 63)) != 0)
}

/// Whether Han character `c` may change under Traditional -> Simplified conversion, with
/// the table fetched on the first call (a text without a Han character never builds it).
pub(crate) fn may_convert_lazily(table: &mut Option<&'static [u64]>, c: char) -> bool {
    let t = *table.get_or_insert_with(|| &CONVERTIBLE[..]);
    may_convert_in(t, c)
}

/// Converts the Han characters of `text` to Simplified: the converted text and how many
/// characters changed, or `None` and 0 when none did. `runs` are the maximal runs of Han
/// characters of `text` that hold one that may convert, in order (the others are left
/// alone). Each is converted as a phrase; a run whose length the phrase conversion changes
/// is converted one character at a time instead (a character whose conversion is not one
/// character stays).
pub(crate) fn to_simplified(text: &str, runs: &[super::HanRun]) -> (Option<String>, usize) {
    // `text[..copied]` is in `out`, converted; `out` is made at the first change.
    let mut out = String::new();
    let mut copied = 0;
    let mut changed = 0;
    let mut buf = [0u8; 4];
    for r in runs {
        let Some(run) = text.get(r.start..r.end) else {
            continue;
        };
        let conv = zhconv(run, Variant::ZhHans);
        if conv == run {
            continue;
        }
        let mut new = String::with_capacity(run.len());
        let mut run_changed = 0;
        if conv.chars().count() == r.chars {
            for (old, ch) in run.chars().zip(conv.chars()) {
                run_changed += (old != ch) as usize;
                new.push(ch);
            }
        } else {
            for old in run.chars() {
                let one = zhconv(old.encode_utf8(&mut buf), Variant::ZhHans);
                let mut chars = one.chars();
                match (chars.next(), chars.next()) {
                    (Some(ch), None) if ch != old => {
                        run_changed += 1;
                        new.push(ch);
                    }
                    _ => new.push(old),
                }
            }
        }
        if run_changed == 0 {
            continue;
        }
        if out.capacity() == 0 {
            out.reserve(text.len());
        }
        out.push_str(&text[copied..r.start]);
        out.push_str(&new);
        copied = r.end;
        changed += run_changed;
    }
    if changed == 0 {
        return (None, 0);
    }
    out.push_str(&text[copied..]);
    (Some(out), changed)
}

/// The maximal runs of Han characters of `text` that hold one that may convert (tests; the
/// first pass of [`super::normalize`] notes them as it reads).
#[cfg(test)]
pub(crate) fn convertible_runs(text: &str) -> Vec<super::HanRun> {
    let mut runs = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        if !is_han(c) {
            continue;
        }
        let mut run = super::HanRun {
            start,
            end: start + c.len_utf8(),
            chars: 1,
        };
        let mut convertible = may_convert(c);
        while let Some((b, c)) = it.next_if(|&(_, c)| is_han(c)) {
            convertible |= may_convert(c);
            run.end = b + c.len_utf8();
            run.chars += 1;
        }
        if convertible {
            runs.push(run);
        }
    }
    runs
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

    #[test]
    fn converts_traditional() {
        let run = |t: &str| to_simplified(t, &convertible_runs(t));
        let (s, n) = run("數據標注巨頭與微軟");
        assert_eq!(s.as_deref(), Some("数据标注巨头与微软"));
        assert!(n >= 6);
        let (s, n) = run("AI 數據, 2025年");
        assert_eq!(s.as_deref(), Some("AI 数据, 2025年"));
        assert_eq!(n, 2);
        assert_eq!(run("数据标注 AI"), (None, 0));
        assert!(convertible_runs("数据标注 AI").is_empty());
    }

    #[test]
    fn detects() {
        assert_eq!(detect(0, 100, 0), Script::Latin);
        assert_eq!(detect(1000, 100, 200), Script::Hant);
        assert_eq!(detect(1000, 100, 2), Script::Hans);
        assert_eq!(detect(100, 1000, 0), Script::Mixed);
    }
}
