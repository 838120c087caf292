//! The normalisation stage: turns the original decoded text into the text recognisers see.
//!
//! Steps, in order: full-width -> half-width, Traditional -> Simplified, pinyin glosses
//! removed, site boilerplate dropped, whitespace tidied. Each step works on [`NChar`]s that
//! remember their original code-point range, so the steps compose into one [`OffsetMap`]
//! without any step knowing about the others.

pub(crate) mod boilerplate;
pub(crate) mod glosses;
pub(crate) mod offset_map;
pub mod script;
pub(crate) mod width;

pub use offset_map::{NChar, OffsetMap};

use crate::document::Script;

/// The normalised text, its map back to the original, and what normalisation learned.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    pub map: OffsetMap,
    pub script: Script,
    pub glosses_removed: usize,
    pub boilerplate_lines_removed: usize,
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\r')
        // Stray control characters (a NUL, an ESC) carry no text.
        || (c.is_control() && !c.is_whitespace())
}

/// Line breaks other than `\n` become `\n` before any line-based step: a lone `\r` (old
/// Mac files), NEL, and the Unicode line and paragraph separators. (`\r\n` keeps its
/// `\n`; the `\r` is dropped later as invisible.)
fn unify_line_breaks(chars: &mut [NChar]) {
    for i in 0..chars.len() {
        let lone_cr = chars[i].ch == '\r' && chars.get(i + 1).is_none_or(|n| n.ch != '\n');
        if lone_cr || matches!(chars[i].ch, '\u{0085}' | '\u{2028}' | '\u{2029}') {
            chars[i].ch = '\n';
        }
    }
}

/// A printable ASCII character, or one past the last whitespace code point (U+3000) other
/// than the byte-order mark: no tidying step touches it. Told with two comparisons, for
/// the letters and Han characters that make up nearly all of a text.
fn is_plain(c: char) -> bool {
    matches!(c, '!'..='~') || (c > '\u{3000}' && c != '\u{FEFF}')
}

fn is_space(c: char) -> bool {
    c != '\n' && (c.is_whitespace() || c == '\u{00A0}')
}

/// Whitespace tidying: invisible characters dropped, runs of spaces collapsed to one
/// space, spaces at line ends dropped, more than one blank line collapsed. Works in place:
/// `chars[..n]` is the tidied text so far, and `n` never passes the character being read.
fn tidy_whitespace(chars: &mut Vec<NChar>) {
    let mut n: usize = 0;
    for i in 0..chars.len() {
        let c = chars[i];
        // Most characters are neither invisible nor space nor a line break: kept as they are.
        if is_plain(c.ch) {
            chars[n] = c;
            n += 1;
            continue;
        }
        if is_invisible(c.ch) {
            continue;
        }
        let last = n.checked_sub(1).map(|j| chars[j].ch);
        if is_space(c.ch) {
            match last {
                None | Some(' ') | Some('\n') => {}
                _ => {
                    chars[n] = NChar { ch: ' ', ..c };
                    n += 1;
                }
            }
            continue;
        }
        if c.ch == '\n' {
            while n > 0 && chars[n - 1].ch == ' ' {
                n -= 1;
            }
            if n == 0 || (n >= 2 && chars[n - 1].ch == '\n' && chars[n - 2].ch == '\n') {
                continue;
            }
        }
        chars[n] = c;
        n += 1;
    }
    while n > 0 && matches!(chars[n - 1].ch, ' ' | '\n') {
        n -= 1;
    }
    chars.truncate(n);
}

/// Whether `normalize(s).text` is `s` itself, told without running the steps: `s` is one
/// line of printable ASCII and Han characters that Traditional -> Simplified conversion
/// leaves alone, with single spaces between words. No step changes such a text (no
/// full-width form, no line break, no convertible character, no gloss, whose tone marks
/// are neither; one line, the first, is never boilerplate; no space to tidy). Table
/// readers with thousands of clean names (the gazetteer) skip the whole pipeline for them;
/// the test `plain_texts_are_their_own_normal_form` holds this against `normalize`.
pub(crate) fn is_own_normal_form(s: &str) -> bool {
    // Whether the last character was a space; true at the start, where none may stand.
    let mut after_space = true;
    for c in s.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
            continue;
        }
        after_space = false;
        let plain = c.is_ascii_graphic() || (script::is_han(c) && !script::may_convert(c));
        if !plain {
            return false;
        }
    }
    // No space at the end (an empty text is its own normal form too).
    !after_space || s.is_empty()
}

/// Normalises `original`; never fails.
pub fn normalize(original: &str) -> Normalized {
    let mut chars = offset_map::chars_of(original);
    let original_chars = chars.len();
    width::apply(&mut chars);
    unify_line_breaks(&mut chars);
    let (han, latin) = chars.iter().fold((0, 0), |(h, l), c| {
        (
            h + script::is_han(c.ch) as usize,
            l + c.ch.is_ascii_alphabetic() as usize,
        )
    });
    let changed = if han > 0 {
        script::to_simplified(&mut chars)
    } else {
        0
    };
    let script = script::detect(han, latin, changed);
    let glosses_removed = if han > 0 {
        glosses::strip(&mut chars)
    } else {
        0
    };
    let boilerplate_lines_removed = boilerplate::strip(&mut chars);
    tidy_whitespace(&mut chars);
    let (text, map) = OffsetMap::build(chars, original_chars);
    Normalized {
        text,
        map,
        script,
        glosses_removed,
        boilerplate_lines_removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_maps_back() {
        let original = "當地時間９月３日，數(shù)據(jù)標注巨頭  Scale AI\r\n\n\n\n起訴。";
        let n = normalize(original);
        assert_eq!(n.text, "当地时间9月3日,数据标注巨头 Scale AI\n\n起诉。");
        let b = n.text.find("数据").unwrap();
        let (s, e) = n.map.to_original(b, b + "数据".len());
        let orig: String = original.chars().skip(s).take(e - s).collect();
        assert_eq!(orig, "數(shù)據");
        assert_eq!(n.script, Script::Hant);
    }

    #[test]
    fn plain_texts_are_their_own_normal_form() {
        for s in ["", "中国银行", "Apple Inc.", "比亚迪 BYD", "A&B(C)-D", "x"] {
            assert!(is_own_normal_form(s), "{s:?}");
            assert_eq!(normalize(s).text, s);
        }
        // Each of these has something a step changes.
        for s in [
            " a", "a ", "a  b", "a\tb", "a\nb", "數據", "ＡＩ", "a\u{200B}b", "數(shù)", "é",
        ] {
            assert!(!is_own_normal_form(s), "{s:?}");
        }
    }

    #[test]
    fn other_line_breaks_and_controls() {
        let n = normalize("Line one.\rLine two.\u{2028}Line\u{0}\u{1b} three.\r\nEnd.");
        assert_eq!(n.text, "Line one.\nLine two.\nLine three.\nEnd.");
        let b = n.text.find("three").unwrap();
        assert_eq!(n.map.to_original(b, b + 5), (27, 32));
    }

    #[test]
    fn plain_characters_are_neither_space_nor_invisible() {
        // Every code point `is_plain` lets through untouched must be one the full test
        // would have kept as it is.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if is_plain(c) {
                assert!(!is_invisible(c) && !is_space(c) && c != '\n', "{c:?}");
            }
        }
    }
}
