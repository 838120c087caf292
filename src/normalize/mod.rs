//! The normalisation stage: turns the original decoded text into the text recognisers see.
//!
//! Steps, in order: full-width -> half-width and line breaks unified, Traditional ->
//! Simplified, pinyin glosses removed, site boilerplate dropped, whitespace tidied. No step
//! merges characters: each normalised character is one original character, rewritten or
//! not. The steps work on the text itself, each copying only when it changes something:
//! the first pass (width, line breaks, counts) keeps one character per original
//! character; conversion keeps the count; gloss removal notes where it removed characters
//! ([`glosses::Gap`]); the last pass drops the boilerplate lines as it reaches them,
//! tidies whitespace and writes the normalised text and its [`OffsetMap`] together,
//! counting original characters as it goes.

pub(crate) mod boilerplate;
pub(crate) mod glosses;
pub(crate) mod offset_map;
#[cfg(test)]
mod reference;
pub mod script;
pub(crate) mod width;

pub use offset_map::OffsetMap;

use std::borrow::Cow;

use crate::document::Script;
use glosses::Gap;
use offset_map::Run;

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

fn is_space(c: char) -> bool {
    c != '\n' && (c.is_whitespace() || c == '\u{00A0}')
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

/// What whitespace tidying changes: invisible characters, spaces and line breaks (the
/// definition that [`tidied_at`] and [`is_tidied_wide`] are tested against).
#[cfg(test)]
fn is_tidied(c: char) -> bool {
    is_invisible(c) || is_space(c) || c == '\n'
}

/// [`is_tidied`] for a character past ASCII, as the list of those it holds (the test
/// `tidied_characters_are_listed` checks every code point).
fn is_tidied_wide(c: char) -> bool {
    matches!(
        c,
        '\u{0080}'..='\u{00A0}'
            | '\u{00AD}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200D}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{2060}'
            | '\u{3000}'
            | '\u{FEFF}'
    )
}

/// Whether the character at byte `p` of `text`, whose UTF-8 encoding starts with `lead`,
/// is one that tidying changes. Only ASCII controls and space, and characters of the
/// blocks U+0080..U+00BF, U+1000..U+1FFF, U+2000..U+2FFF, U+3000..U+3FFF and
/// U+F000..U+FFFF can be (the test `only_suspect_leads_start_tidied_characters` checks
/// every code point); Han characters (U+4E00..U+9FFF, leads 0xE4..0xE9) never are, nor
/// the CJK punctuation after U+3000.
fn tidied_at(text: &str, p: usize, lead: u8) -> bool {
    match lead {
        0..=0x20 | 0x7F => true,
        0x21..0x7F => false,
        0xE3 => text.as_bytes().get(p + 1..p + 3) == Some(&[0x80, 0x80]),
        0xC2 | 0xE1 | 0xE2 | 0xEF => text
            .get(p..)
            .and_then(|s| s.chars().next())
            .is_some_and(is_tidied_wide),
        _ => false,
    }
}

/// A run of Han characters of the text after the first pass, bytes `[start, end)`,
/// `chars` characters long, one of which may change under Traditional -> Simplified
/// conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HanRun {
    pub start: usize,
    pub end: usize,
    pub chars: usize,
}

/// The code point of the three-byte character at byte `p` of `bytes` (UTF-8).
fn decode3(bytes: &[u8], p: usize) -> u32 {
    let at = |i: usize| bytes.get(p + i).map_or(0, |&b| b as u32);
    ((at(0) & 0x0F) << 12) | ((at(1) & 0x3F) << 6) | (at(2) & 0x3F)
}

/// The code point of the three-byte character `l b1 b2` when it is one of the Han
/// characters the first pass reads in a loop of its own (U+4000..U+9FFF, leads
/// 0xE4..0xE9, but for U+4DC0..U+4DFF).
#[inline(always)]
fn han_code(l: u8, b1: u8, b2: u8) -> Option<u32> {
    if !(0xE4..=0xE9).contains(&l) {
        return None;
    }
    let cp = ((l as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F);
    (!(0x4DC0..0x4E00).contains(&cp)).then_some(cp)
}

/// The text after the first pass, and what it counted.
struct Widened<'a> {
    /// Full-width forms half-width, line breaks `\n`: one character per original one.
    text: Cow<'a, str>,
    /// Characters of the original.
    chars: usize,
    han: usize,
    latin: usize,
    /// The runs of Han characters that may change under conversion.
    convertible: Vec<HanRun>,
    /// Whether a gloss may follow a Han character (one does, before conversion).
    glosses: bool,
}

/// The first pass: full-width -> half-width; line breaks other than `\n` become `\n` (a
/// lone `\r` of old Mac files, NEL, the Unicode line and paragraph separators; `\r\n`
/// keeps its `\n` and the `\r` is dropped later as invisible), before any line-based step;
/// Han characters and Latin letters counted, and the runs of Han characters that
/// conversion may change noted. The text is copied only from its first change on, a
/// stretch of unchanged characters at a time.
fn widen(original: &str) -> Widened<'_> {
    let bytes = original.as_bytes();
    // `original[..copied]` is in `out`, rewritten; `out` is made at the first change.
    let mut out = String::new();
    let mut copied = 0;
    // Bytes the rewriting saved so far: byte `b` of the original is `b - saved` of the text.
    let mut saved = 0;
    let mut chars = 0;
    let mut han = 0;
    let mut latin = 0;
    let mut convertible: Vec<HanRun> = Vec::new();
    let mut glosses = false;
    let mut table: Option<&'static [u64]> = None;
    // The Han run being read (`run.chars > 0`), and whether it may convert.
    let mut run = HanRun {
        start: 0,
        end: 0,
        chars: 0,
    };
    let mut run_converts = false;
    let mut p = 0;
    while p < bytes.len() {
        let lead = bytes[p];
        // U+4000..U+9FFF (three bytes led by 0xE4..0xE9) are Han characters but for
        // U+4DC0..U+4DFF: the bulk of a Chinese text, a stretch of them read in a loop of
        // its own without decoding `char`s.
        if (0xE4..=0xE9).contains(&lead) && !(0x4DC0..0x4E00).contains(&decode3(bytes, p)) {
            if run.chars == 0 {
                run.start = p - saved;
                run_converts = false;
            }
            let t = *table.get_or_insert_with(script::convertible_table);
            let from = p;
            // A shrinking slice (one length test a character), in two loops: while no
            // character of the run may convert, each is looked up; after one that may,
            // none needs to be.
            let mut rest = bytes.get(p..).unwrap_or(&[]);
            if !run_converts {
                while let [l, b1, b2, tail @ ..] = rest {
                    let Some(cp) = han_code(*l, *b1, *b2) else {
                        break;
                    };
                    rest = tail;
                    if script::may_convert_code(t, cp) {
                        run_converts = true;
                        break;
                    }
                }
            }
            if run_converts {
                while let [l, b1, b2, tail @ ..] = rest {
                    if han_code(*l, *b1, *b2).is_none() {
                        break;
                    }
                    rest = tail;
                }
            }
            p = bytes.len() - rest.len();
            let n = (p - from) / 3;
            han += n;
            run.chars += n;
            chars += n;
            if n > 0 {
                continue;
            }
        }
        chars += 1;
        let b = p;
        let c = if lead < 0x80 {
            lead as char
        } else {
            original
                .get(p..)
                .and_then(|s| s.chars().next())
                .unwrap_or('\u{FFFD}')
        };
        p += c.len_utf8();
        let new = if c.is_ascii() {
            // A lone `\r`; `\r\n` keeps its `\r` for now.
            if c == '\r' && bytes.get(b + 1) != Some(&b'\n') {
                '\n'
            } else {
                c
            }
        } else if script::is_han(c) {
            han += 1;
            if run.chars == 0 {
                run.start = b - saved;
                run_converts = false;
            }
            run.chars += 1;
            run_converts = run_converts || script::may_convert_lazily(&mut table, c);
            continue;
        } else {
            match width::half_width(c) {
                '\u{0085}' | '\u{2028}' | '\u{2029}' => '\n',
                h => h,
            }
        };
        latin += new.is_ascii_alphabetic() as usize;
        if new != c {
            if out.capacity() == 0 {
                out.reserve(original.len());
            }
            out.push_str(&original[copied..b]);
            out.push(new);
            copied = b + c.len_utf8();
            saved += c.len_utf8() - new.len_utf8();
        }
        if run.chars > 0 {
            // A gloss's letters and `)` are read as half-width, as the later steps see them.
            if glosses::is_opener(new) {
                let rest = original.get(b + c.len_utf8()..).unwrap_or("");
                glosses |= glosses::gloss_len_after(rest.chars().map(width::half_width)) > 0;
            }
            if run_converts {
                run.end = b - saved + c.len_utf8() - new.len_utf8();
                convertible.push(run);
            }
            run.chars = 0;
        }
    }
    if run.chars > 0 && run_converts {
        run.end = original.len() - saved;
        convertible.push(run);
    }
    let text = if out.capacity() == 0 {
        Cow::Borrowed(original)
    } else {
        out.push_str(&original[copied..]);
        Cow::Owned(out)
    };
    Widened {
        text,
        chars,
        han,
        latin,
        convertible,
        glosses,
    }
}

/// The last pass: site boilerplate lines dropped, whitespace tidied (invisible characters
/// dropped, runs of spaces collapsed to one space, spaces at line ends dropped, more than
/// one blank line collapsed, the text trimmed), the normalised text and its map written
/// together; returns them and how many lines were dropped. `text` is `total` characters
/// long; they stand for the original's in order, but for the glosses removed before
/// `gaps`. Characters that tidying keeps as they are (nearly all) are copied a stretch at
/// a time, and a stretch of one width with consecutive originals is one run of the map.
///
/// A line is boilerplate only when it starts in the second half of `text` (character
/// `total / 2`, rounded up, or later; only such lines are read as text); a line starts
/// after a line break, so lines are looked at when tidying reaches them.
fn tidy(
    text: &str,
    gaps: &[Gap],
    total: usize,
    original_chars: usize,
) -> (String, OffsetMap, usize) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut runs: Vec<Run> = Vec::new();
    // The last run's width, and whether the next kept character cannot extend it (the
    // character before it was not kept as it is, or there is no run).
    let mut run_width = 0;
    let mut fresh = true;
    // The original code point of the character at `p`, and how many of the original's
    // characters before `p` were glosses (not in `text`).
    let mut orig: u32 = 0;
    let mut glossed: u32 = 0;
    let mut p = 0;
    let mut gaps = gaps.iter().peekable();
    // The start of a line not yet looked at, and whether lines are in the second half.
    let mut line_at = usize::MAX;
    let mut late = false;
    let mut dropped = 0;
    // Drops the last character of `out` (a space or line break, one byte) and its run when
    // it was the run's only one.
    fn pop(out: &mut String, runs: &mut Vec<Run>) {
        out.pop();
        if runs.last().is_some_and(|r| r.byte as usize >= out.len()) {
            runs.pop();
        }
    }
    while p < bytes.len() {
        let gap_at = gaps.peek().map_or(usize::MAX, |g| g.at);
        if gap_at == p {
            let n = gaps.next().map_or(0, |g| g.chars);
            orig += n;
            glossed += n;
            fresh = true;
            continue;
        }
        if line_at == p {
            line_at = usize::MAX;
            late = late || (orig - glossed) as usize * 2 >= total;
            if let Some(end) = late.then(|| boilerplate::line_end(text, p)).flatten() {
                dropped += 1;
                orig += text[p..end].chars().count() as u32;
                // Glosses removed inside the line.
                while let Some(g) = gaps.next_if(|g| g.at < end) {
                    orig += g.chars;
                    glossed += g.chars;
                }
                p = end;
                line_at = end;
                fresh = true;
                continue;
            }
        }
        let stop = gap_at.min(bytes.len());
        // `text[copy_from..p]` is kept as it is, not yet in `out`.
        let mut copy_from = p;
        while p < stop {
            let lead = bytes[p];
            // U+4000..U+9FFF (three bytes led by 0xE4..0xE9, Han nearly all) are never
            // tidied: a stretch of them is read in a loop of its own.
            if (0xE4..=0xE9).contains(&lead) {
                if run_width != 3 || fresh {
                    runs.push(Run {
                        byte: (out.len() + p - copy_from) as u32,
                        start: orig,
                        width: 3,
                    });
                    run_width = 3;
                    fresh = false;
                }
                p += 3;
                orig += 1;
                while p < stop && bytes.get(p).is_some_and(|b| (0xE4..=0xE9).contains(b)) {
                    p += 3;
                    orig += 1;
                }
                continue;
            }
            let width = match lead {
                0..0x80 => 1,
                0x80..0xE0 => 2,
                0xE0..0xF0 => 3,
                _ => 4,
            };
            if !tidied_at(text, p, lead) {
                if width != run_width || fresh {
                    runs.push(Run {
                        byte: (out.len() + p - copy_from) as u32,
                        start: orig,
                        width,
                    });
                    run_width = width;
                    fresh = false;
                }
                orig += 1;
                p += width as usize;
                continue;
            }
            out.push_str(&text[copy_from..p]);
            let c = if lead < 0x80 {
                lead as char
            } else {
                text.get(p..)
                    .and_then(|s| s.chars().next())
                    .unwrap_or(' ')
            };
            let keep = if is_invisible(c) {
                None
            } else if is_space(c) {
                match out.as_bytes().last() {
                    None | Some(b' ') | Some(b'\n') => None,
                    _ => Some(' '),
                }
            } else {
                // A line break: spaces before it dropped, and more than one blank line.
                if out.ends_with(' ') {
                    while out.ends_with(' ') {
                        pop(&mut out, &mut runs);
                    }
                    fresh = true;
                }
                let ob = out.as_bytes();
                let blank = ob.len() >= 2 && ob[ob.len() - 2..] == *b"\n\n";
                if ob.is_empty() || blank {
                    None
                } else {
                    Some('\n')
                }
            };
            match keep {
                Some(k) => {
                    if run_width != 1 || fresh {
                        runs.push(Run {
                            byte: out.len() as u32,
                            start: orig,
                            width: 1,
                        });
                        run_width = 1;
                        fresh = false;
                    }
                    out.push(k);
                }
                None => fresh = true,
            }
            orig += 1;
            p += width as usize;
            copy_from = p;
            if c == '\n' {
                // The next line is looked at before it is read.
                line_at = p;
                break;
            }
        }
        out.push_str(&text[copy_from..p]);
    }
    while out.ends_with([' ', '\n']) {
        pop(&mut out, &mut runs);
    }
    let len = out.len();
    (out, OffsetMap::from_runs(runs, len, original_chars), dropped)
}

/// Normalises `original`; never fails.
/// `text` with ASCII letters lower-cased (which keeps every byte offset), copied only when
/// it has an upper-case one: most Chinese text is searched as it is. For the automata that
/// hold lower-cased patterns and match Latin ones in any case (the date gate, the cue sets,
/// the per-unit words of frames).
#[inline]
pub(crate) fn ascii_lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

pub fn normalize(original: &str) -> Normalized {
    let wide = widen(original);
    let mut text = wide.text;
    let changed = if wide.convertible.is_empty() {
        0
    } else {
        let (converted, changed) = script::to_simplified(&text, &wide.convertible);
        if let Some(t) = converted {
            text = Cow::Owned(t);
        }
        changed
    };
    let script = script::detect(wide.han, wide.latin, changed);
    let gaps = if wide.glosses {
        match glosses::strip(&text) {
            Some((t, gaps)) => {
                text = Cow::Owned(t);
                gaps
            }
            None => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let total = wide.chars - gaps.iter().map(|g| g.chars as usize).sum::<usize>();
    let (text, map, boilerplate_lines_removed) = tidy(&text, &gaps, total, wide.chars);
    Normalized {
        text,
        map,
        script,
        glosses_removed: gaps.len(),
        boilerplate_lines_removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The copy-when-needed lower-casing gives `to_ascii_lowercase`, and borrows exactly
    /// when there is no upper-case ASCII letter.
    #[test]
    fn ascii_lowercase_copies_only_capitals() {
        for t in ["", "谷歌于2025年", "Google 谷歌", "ÉTÉ été", "abc", "Q3", "ａＢｃ"] {
            let lowered = ascii_lowercase(t);
            assert_eq!(lowered, t.to_ascii_lowercase(), "{t:?}");
            let borrowed = matches!(lowered, std::borrow::Cow::Borrowed(_));
            assert_eq!(borrowed, !t.bytes().any(|b| b.is_ascii_uppercase()), "{t:?}");
        }
    }

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
    fn only_suspect_leads_start_tidied_characters() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            let lead = s.as_bytes()[0];
            assert_eq!(tidied_at(s, 0, lead), is_tidied(c), "{c:?}");
            let mut t = String::from("中");
            t.push(c);
            assert_eq!(tidied_at(&t, 3, lead), is_tidied(c), "{c:?}");
        }
    }

    #[test]
    fn tidied_characters_are_listed() {
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_tidied_wide(c), is_tidied(c), "{c:?}");
        }
    }

    /// The new pipeline against the old one (`reference`): the same text, script and
    /// counts, and the same original range for every byte span (every pair for short
    /// texts; for long ones every span from, to and around each byte).
    fn check_against_reference(original: &str) -> Result<(), String> {
        let new = normalize(original);
        let old = reference::normalize(original);
        let same = new.text == old.text
            && new.script == old.script
            && new.glosses_removed == old.glosses_removed
            && new.boilerplate_lines_removed == old.boilerplate_lines_removed
            && new.map.original_len() == old.original_chars
            && new.map.len() == old.text.len();
        if !same {
            return Err(format!(
                "{original:?}: {:?} {:?} {} {} vs {:?} {:?} {} {}",
                new.text,
                new.script,
                new.glosses_removed,
                new.boilerplate_lines_removed,
                old.text,
                old.script,
                old.glosses_removed,
                old.boilerplate_lines_removed
            ));
        }
        let n = new.text.len();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        if n <= 200 {
            for bs in 0..n + 3 {
                spans.extend((0..n + 3).map(|be| (bs, be)));
            }
        } else {
            for b in 0..n + 3 {
                spans.extend([
                    (b, b + 1),
                    (b, b),
                    (b, n),
                    (0, b),
                    (b, b + 7),
                    (b, b + 40),
                    (b.saturating_sub(5), b),
                ]);
            }
        }
        for (bs, be) in spans {
            let (a, b) = (new.map.to_original(bs, be), old.to_original(bs, be));
            if a != b {
                return Err(format!("{original:?}: span {bs}..{be} maps to {a:?}, was {b:?}"));
            }
        }
        Ok(())
    }

    #[test]
    fn the_corpus_normalises_as_before() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            check_against_reference(&text).unwrap();
            // Each line alone too (one-line documents), and the second half.
            for line in text.lines() {
                check_against_reference(line).unwrap();
            }
            let half = text.char_indices().nth(text.chars().count() / 2).map_or(0, |(b, _)| b);
            check_against_reference(&text[half..]).unwrap();
            seen += 1;
        }
        assert!(seen >= 5);
    }

    #[test]
    fn edge_cases_normalise_as_before() {
        for s in [
            "",
            " ",
            "\n",
            "\r",
            "\r\r\n",
            "\r\u{2028}x",
            "a\r\nb",
            "   \n\n\n  a  \t b \n\n\n\n c   ",
            "\u{FEFF}\u{200B}abc\u{00AD}",
            "數(shù)(jù)據",
            "數（ｓｈù）據",
            "當?shù)時間\u{FFFD}guān)",
            "数(shù)",
            "數(shù)",
            "(shù)數",
            "豈𠀋數據 𠀋(shù)",
            "\u{3000}\u{3000}中文\u{3000}",
            "第一段。\n第二段。\n第三段。\n免责声明：本文仅代表作者观点。数(shù)\n责任编辑:张三",
            "正文。\n\n本站郑重声明:所载内容仅供参考,不构成投资建议。\n",
            "正文。\n本站郑重声明:所载内容仅供参考。\n免责声明：本文仅代表作者观点。\n",
            "正文。\n\n免责声明：數(shù)據\n",
            "a\n免责声明：本文仅代表作者观点。",
            "a \n b\u{85}c\u{2029}d",
            "ｅ\u{301}😀 x\u{0}\u{1b}y",
            // Han runs that convert at their first, last or only character, that end at
            // U+4DC0..U+4DFF (hexagrams) or at the text's end, and that hold characters
            // read outside the loop (Extension A, compatibility, non-BMP).
            "數据据据",
            "据据据數",
            "數",
            "据",
            "据䷀據䷿数",
            "㐀據㐀数豈數𠀀数",
            "鿿一數鿿",
        ] {
            check_against_reference(s).unwrap();
        }
    }

    /// Pieces of random documents: each exercises a step, and their borders.
    fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let han = prop::collection::vec(
            prop::sample::select(
                "数据标注巨头公司數據標註頭與微軟當時間創雙訴狀離職億萬關係豈𠀋乾發後"
                    .chars()
                    .collect::<Vec<_>>(),
            ),
            1..8,
        )
        .prop_map(|v| v.into_iter().collect::<String>());
        let fixed = prop::sample::select(vec![
            "(shù)", "(jù)", "?shù)", "\u{FFFD}guān)", "（fā）", "(ｓｈù)", "(gòng", "(shùshùshù)",
            "１２３", "ＡＩ", "，", "（", "）", "　", "Scale AI", " x", "2025年", "(AI)", "(ceo)",
            "\n本站郑重声明:所载内容仅供参考,不构成投资建议。\n",
            "\n免责声明：本文仅代表作者观点。\n", "\n责任编辑:张三", "投资有风险", "据此交易,风险自担",
            "\r\n", "\r", "\n\n\n", "\n", " \n", "\u{200B}", "\u{FEFF}", "\u{00AD}", "\u{2060}",
            "\u{00A0}", "\t", "  ", "\u{2003}", "\u{1680}", "\u{0}", "\u{7f}", "\u{85}", "\u{2028}",
            "\u{2029}", "。", "“", "”", "——", "e\u{0301}", "😀", "?", "(", ")", "é", "ü", "\u{3001}",
        ])
        .prop_map(str::to_string);
        let any = prop::collection::vec(any::<char>(), 1..4)
            .prop_map(|v| v.into_iter().collect::<String>());
        prop_oneof![3 => han, 5 => fixed, 1 => any]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(768))]

        #[test]
        fn random_texts_normalise_as_before(pieces in proptest::collection::vec(piece(), 0..50)) {
            let text = pieces.concat();
            if let Err(e) = check_against_reference(&text) {
                proptest::prop_assert!(false, "{}", e);
            }
        }
    }
}
