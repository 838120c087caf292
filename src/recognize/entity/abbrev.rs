//! One-character place abbreviations in a list (`美、英、法等国`, `甘、宁、青一带`,
//! `赞扬阿、中两国`). Newspaper text names countries and provinces by one character when
//! it lists several; the tagger, reading character by character, finds the frequent ones
//! (中、美) but often misses a rarer one in the same list (`澳、新、斐等国`: 新 and 斐). A
//! run of single characters joined by `、` that are all listed abbreviations
//! (`place_abbrev` of `data/entity_cues.tsv`) and stands on its own is a list of places:
//!
//! - before it, no character of a word (`韩国、俄罗斯` holds `国、俄`), unless it is a
//!   preposition or particle (`abbrev_before`: 在英、法) or the list is counted right after
//!   (`abbrev_counted`: 两国, 三方);
//! - after it, no character of a word, unless a count, 等 or a region word follows
//!   (`abbrev_after`: 中、日、韩三强, 美、俄等国, 甘、宁、青一带; not `中、英文`).
//!
//! In the MSRA training sentences (never the held-out tenth) such lists hold 89 places
//! and one other character (`美、土（耳其）、俄`).
//! The candidates score below the tagger's confident spans: they fill what it left out.

use std::sync::LazyLock;

use memchr::memmem;

use super::cues::{cues, starts_with_any};
use crate::document::EntityType;
use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};

/// Confidence of a place found as a listed one-character abbreviation.
const SCORE: f32 = 0.85;

/// The searcher for `、`. `str::find('、')` looks for the character's last byte (0x81),
/// which many Han characters hold too, and checks every such place; a `memmem` searcher
/// skips ahead by its rarer bytes. Built once, and asked without the set-up of an
/// aho-corasick search (an `Input` and its checks), which cost more than the search on a
/// one-line document.
static ENUMERATION_COMMA: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("、"));

/// The byte offset of the first `、` in `text`.
fn find_enumeration_comma(text: &str) -> Option<usize> {
    ENUMERATION_COMMA.find(text.as_bytes())
}

/// Pushes a LOC candidate for every character of each list of place abbreviations.
pub(crate) fn find(text: &str, out: &mut Vec<MentionCandidate>) {
    let mut from = 0;
    while let Some(rel) = text.get(from..).and_then(find_enumeration_comma) {
        let sep = from + rel;
        let items = run_at(text, sep);
        // Past the run (its last item), or past this `、` when it joins no run.
        from = items
            .last()
            .filter(|_| items.len() >= 2)
            .map_or(sep + '、'.len_utf8(), |&(at, ch)| at + ch.len_utf8());
        if items.len() >= 2 && is_place_list(text, &items) {
            out.extend(items.iter().map(|&(at, ch)| MentionCandidate {
                nspan: (at, at + ch.len_utf8()),
                kind: EntityType::Loc,
                score: SCORE,
                source: MentionSource::Rule,
            }));
        }
    }
}

/// The single Han characters (byte offset, character) of the run joined by `、` whose
/// first joiner is at byte `sep`: the character before it, then each character that
/// follows a `、`. Empty when the character before `sep` is no Han character.
fn run_at(text: &str, sep: usize) -> Vec<(usize, char)> {
    let mut items = Vec::new();
    match text.get(..sep).and_then(|t| t.char_indices().next_back()) {
        Some((at, ch)) if is_han(ch) => items.push((at, ch)),
        _ => return items,
    }
    let mut at = sep;
    loop {
        let mut rest = text.get(at..).unwrap_or("").chars();
        if rest.next() != Some('、') {
            break;
        }
        match rest.next() {
            Some(ch) if is_han(ch) => {
                let item = at + '、'.len_utf8();
                items.push((item, ch));
                at = item + ch.len_utf8();
            }
            _ => break,
        }
    }
    items
}

/// Whether the run `items` (at least two) is a list of place abbreviations standing on
/// its own; see the module notes.
fn is_place_list(text: &str, items: &[(usize, char)]) -> bool {
    let c = cues();
    // One character is listed when a one-character entry is that character.
    let listed = |ch: char| c.place_abbrev_chars.binary_search(&ch).is_ok();
    let (Some(&(first, _)), Some(&(last, last_ch))) = (items.first(), items.last()) else {
        return false;
    };
    if !items.iter().all(|&(_, ch)| listed(ch)) {
        return false;
    }
    let after = text.get(last + last_ch.len_utf8()..).unwrap_or("");
    let counted = starts_with_any(after, &c.abbrev_counted).is_some();
    let before = text.get(..first).unwrap_or("");
    let free_before = match before.chars().next_back() {
        None => true,
        Some(ch) => {
            !is_han(ch)
                || counted
                || before
                    .get(before.len() - ch.len_utf8()..)
                    .is_some_and(|s| c.abbrev_before.contains(&s))
        }
    };
    let free_after = match after.chars().next() {
        None => true,
        Some(ch) => !is_han(ch) || starts_with_any(after, &c.abbrev_after).is_some(),
    };
    free_before && free_after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comma_searcher_finds_what_str_find_finds() {
        for t in ["", "、", "美、英", "没有顿号的句子。", "a、b", "连续、、顿号", "《书名》、《刊名》"] {
            assert_eq!(find_enumeration_comma(t), t.find('、'), "{t:?}");
        }
    }

    fn places(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(text, &mut out);
        out.iter().map(|m| &text[m.nspan.0..m.nspan.1]).collect()
    }

    #[test]
    fn lists_of_abbreviations_are_places() {
        assert_eq!(places("会上,美、英、法等国代表发言。"), ["美", "英", "法"]);
        assert_eq!(places("这种民歌流行于甘、宁、青一带。"), ["甘", "宁", "青"]);
        assert_eq!(places("他称赞阿、中两国的友谊。"), ["阿", "中"]);
        assert_eq!(places("留学生在英、法住了多年。"), Vec::<&str>::new());
        assert_eq!(places("他曾在英、法两地工作。"), ["英", "法"]);
        // A list right after punctuation, and a list at the end of the text.
        assert_eq!(places("、美、英"), ["美", "英"]);
        assert_eq!(places("苏、浙、皖"), ["苏", "浙", "皖"]);
    }

    #[test]
    fn pieces_of_words_and_other_lists_are_not() {
        // 国、俄 ends and starts longer names.
        assert!(places("韩国、俄罗斯和美国参加了会议。").is_empty());
        // The list runs into a word (英文).
        assert!(places("他学过中、英文和计算机。").is_empty());
        // Not every item is a place abbreviation.
        assert!(places("大、中、小学校都放假了。").is_empty());
        assert!(places("老、中、青三代人同台演出。").is_empty());
        assert!(places("没有顿号的句子。").is_empty());
        assert!(places("美、").is_empty());
    }
}
