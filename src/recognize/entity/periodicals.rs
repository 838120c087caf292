//! Newspapers and magazines named by their title in book-title marks: `据《费加罗报》报道`,
//! `《诗刊》`. A title that ends in a periodical's head (报, 日报, 刊, 杂志;
//! `periodical_head` of `data/entity_cues.tsv`) names the paper, an organisation, as the
//! People's Daily / MSRA convention tags it; the tagger misses most titles it has not
//! seen. Titles that end in such a head but name a document (`《联合公报》`, `《情况通报》`,
//! `《年报》`; `not_periodical`) are left alone. The candidate scores low, so any tagger
//! or rule reading of the same characters wins (the tagger reads `英国《金融时报》` whole).

use super::cues::{cues, ends_with_any};
use crate::document::EntityType;
use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};

/// Confidence of a periodical title: below every other source, it only fills a gap.
const SCORE: f32 = 0.5;
/// Fewest and most characters of a title.
const MIN_CHARS: usize = 2;
const MAX_CHARS: usize = 15;

/// Adds an organisation candidate for the text inside every `《…》` that names a periodical.
/// The searcher for 《, built once (a one-line document is too short to pay for building it).
static OPENER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("《".as_bytes()));

pub(crate) fn find(text: &str, out: &mut Vec<MentionCandidate>) {
    let c = cues();
    let mut from = 0;
    // By `memchr::memmem`: `str::find` of a character looks for its last byte, and the
    // last byte of 《 (0x8A) ends a Han character in every sixty-four.
    let opener = &*OPENER;
    while let Some(open) = text
        .as_bytes()
        .get(from..)
        .and_then(|r| opener.find(r))
        .map(|i| from + i)
    {
        let start = open + '《'.len_utf8();
        let Some(close) = text[start..].find(['》', '《']).map(|i| start + i) else {
            return;
        };
        from = close;
        if !text[close..].starts_with('》') {
            continue;
        }
        let title = &text[start..close];
        let chars = title.chars().count();
        if (MIN_CHARS..=MAX_CHARS).contains(&chars)
            && title.chars().all(|ch| is_han(ch) || ch.is_ascii_alphanumeric())
            && ends_with_any(title, &c.periodical_head).is_some()
            && ends_with_any(title, &c.not_periodical).is_none()
        {
            out.push(MentionCandidate {
                nspan: (start, close),
                kind: EntityType::Org,
                score: SCORE,
                source: MentionSource::Rule,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte search for 《 finds what `str::find` finds, on news text and around
    /// characters sharing its last byte.
    #[test]
    fn opener_search_is_str_find() {
        let sample = crate::test_support::corpus_sample("zh_news.txt", 50_000);
        let opener = &*OPENER;
        for text in ["据《里昂进步报》报道,《青年文摘》", "㊊《", "", sample.as_str()] {
            let plain: Vec<usize> = text.match_indices('《').map(|m| m.0).collect();
            let fast: Vec<usize> = opener.find_iter(text.as_bytes()).collect();
            assert_eq!(fast, plain);
        }
    }

    fn titles(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(text, &mut out);
        out.iter().map(|m| &text[m.nspan.0..m.nspan.1]).collect()
    }

    #[test]
    fn periodical_titles_are_organisations() {
        assert_eq!(
            titles("据《里昂进步报》报道，《青年文摘》杂志和《科幻世界》月刊也转载了。"),
            vec!["里昂进步报"]
        );
        assert_eq!(
            titles("他常给《少年文艺周刊》和《南方晚报》投稿"),
            vec!["少年文艺周刊", "南方晚报"]
        );
    }

    #[test]
    fn documents_books_and_broken_marks_are_not() {
        // A communiqué, a bulletin, an annual report, a novel, an unclosed mark.
        assert!(titles("两国发表了《联合公报》和《情况通报》。").is_empty());
        assert!(titles("公司发布《2025年年报》，他读了《平凡的世界》。").is_empty());
        assert!(titles("《城市晚报 没有闭合").is_empty());
        assert!(titles("《报》").is_empty());
    }
}
