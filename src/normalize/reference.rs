//! The normalisation pipeline as it was before the one-pass rewrite (tests only): every
//! step over a vector of [`NChar`]s, and a map with one entry per character. The tests
//! hold [`super::normalize`] to it: the same text, counts and script, and the same answer
//! from the map for every byte span.

use zhconv::{zhconv, Variant};

use super::boilerplate::is_boilerplate_line;
use super::glosses::{is_opener, is_pinyin_letter, is_tone_vowel};
use super::script::{detect, is_han, may_convert};
use super::width::half_width;
use super::{is_invisible, is_space};
use crate::document::Script;

/// A normalised character and the original code-point range `[start, end)` it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NChar {
    pub ch: char,
    pub start: u32,
    pub end: u32,
}

/// What the old pipeline gave: the text, one `(byte, start, end)` entry per character,
/// the original's length, the script and the counts.
pub(crate) struct Old {
    pub text: String,
    pub entries: Vec<(usize, usize, usize)>,
    pub original_chars: usize,
    pub script: Script,
    pub glosses_removed: usize,
    pub boilerplate_lines_removed: usize,
}

impl Old {
    fn char_at(&self, b: usize) -> usize {
        self.entries.partition_point(|e| e.0 <= b).saturating_sub(1)
    }

    /// The old map's answer.
    pub(crate) fn to_original(&self, bstart: usize, bend: usize) -> (usize, usize) {
        let n = self.text.len();
        if n == 0 || bstart >= n || bend <= bstart {
            let at = if bstart < n {
                self.entries.get(self.char_at(bstart)).map(|e| e.1)
            } else {
                None
            }
            .unwrap_or(self.original_chars);
            return (at, at);
        }
        let last = bend.min(n) - 1;
        let start = self.entries.get(self.char_at(bstart)).map_or(0, |e| e.1);
        let end = self.entries.get(self.char_at(last)).map_or(0, |e| e.2).max(start);
        (start, end)
    }
}

/// A printable ASCII character, or one past the last whitespace code point (U+3000) other
/// than the byte-order mark: no tidying step touches it. Told with two comparisons, for
/// the letters and Han characters that make up nearly all of a text.
fn is_plain(c: char) -> bool {
    matches!(c, '!'..='~') || (c > '\u{3000}' && c != '\u{FEFF}')
}

pub(crate) fn chars_of(original: &str) -> Vec<NChar> {
    original
        .chars()
        .enumerate()
        .map(|(i, ch)| NChar {
            ch,
            start: i as u32,
            end: i as u32 + 1,
        })
        .collect()
}

fn unify_line_breaks(chars: &mut [NChar]) {
    for i in 0..chars.len() {
        let lone_cr = chars[i].ch == '\r' && chars.get(i + 1).is_none_or(|n| n.ch != '\n');
        if lone_cr || matches!(chars[i].ch, '\u{0085}' | '\u{2028}' | '\u{2029}') {
            chars[i].ch = '\n';
        }
    }
}

fn tidy_whitespace(chars: &mut Vec<NChar>) {
    let mut n: usize = 0;
    for i in 0..chars.len() {
        let c = chars[i];
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

/// Traditional -> Simplified, one run of Han characters at a time.
pub(crate) fn to_simplified(chars: &mut [NChar]) -> usize {
    
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
            convertible |= may_convert(chars[i].ch);
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

/// Drops every gloss.
pub(crate) fn strip_glosses(chars: &mut Vec<NChar>) -> usize {
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

/// Drops boilerplate lines.
pub(crate) fn strip_boilerplate(chars: &mut Vec<NChar>) -> usize {
    let total = chars.len();
    let mut kept = 0;
    let mut dropped = 0;
    let mut line = String::new();
    let mut i = 0;
    while i < total {
        let start = i;
        while i < total && chars[i].ch != '\n' {
            i += 1;
        }
        let end = if i < total { i + 1 } else { i };
        // Only lines of the second half can go: only they are read as text.
        let late = start * 2 >= total;
        if late {
            line.clear();
            line.extend(chars[start..i].iter().map(|c| c.ch));
        }
        if late && is_boilerplate_line(&line) {
            dropped += 1;
        } else {
            if kept != start {
                chars.copy_within(start..end, kept);
            }
            kept += end - start;
        }
        i = end;
    }
    chars.truncate(kept);
    dropped
}

/// The old `normalize`.
pub(crate) fn normalize(original: &str) -> Old {
    let mut chars = chars_of(original);
    let original_chars = chars.len();
    for c in chars.iter_mut() {
        c.ch = half_width(c.ch);
    }
    unify_line_breaks(&mut chars);
    let (han, latin) = chars.iter().fold((0, 0), |(h, l), c| {
        (
            h + is_han(c.ch) as usize,
            l + c.ch.is_ascii_alphabetic() as usize,
        )
    });
    let changed = if han > 0 { to_simplified(&mut chars) } else { 0 };
    let script = detect(han, latin, changed);
    let glosses_removed = if han > 0 { strip_glosses(&mut chars) } else { 0 };
    let boilerplate_lines_removed = strip_boilerplate(&mut chars);
    tidy_whitespace(&mut chars);
    let mut text = String::new();
    let mut entries = Vec::new();
    for c in chars {
        entries.push((text.len(), c.start as usize, c.end as usize));
        text.push(c.ch);
    }
    Old {
        text,
        entries,
        original_chars,
        script,
        glosses_removed,
        boilerplate_lines_removed,
    }
}
