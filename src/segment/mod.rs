//! The segmentation stage: sentences and paragraphs, and jieba-rs tokens with POS tags.
//!
//! One `Jieba` (dictionary and HMM model) is loaded once per process and shared read-only
//! by every thread. All offsets are byte offsets into the normalised text.

pub mod sentences;

use std::sync::LazyLock;

use jieba_rs::Jieba;

use crate::document::NSpan;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The process-wide jieba instance.
pub fn jieba() -> &'static Jieba {
    &JIEBA
}

/// A word token: byte span in the normalised text and its jieba POS tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub pos: &'static str,
}

/// Sentences, paragraphs and tokens of a normalised text.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    pub sentences: Vec<NSpan>,
    pub paragraphs: Vec<NSpan>,
    pub tokens: Vec<Token>,
}

impl Segmented {
    /// Index of the sentence containing byte `at` (the last one starting at or before it).
    pub fn sentence_index(&self, at: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.0 <= at);
        i.checked_sub(1)
    }

    /// Index of the paragraph containing byte `at`.
    pub fn paragraph_index(&self, at: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|s| s.0 <= at);
        i.checked_sub(1)
    }

    /// Tokens lying inside the byte span.
    pub fn tokens_in(&self, span: NSpan) -> &[Token] {
        let a = self.tokens.partition_point(|t| t.start < span.0);
        let b = self.tokens.partition_point(|t| t.start < span.1);
        &self.tokens[a..b.max(a)]
    }
}

/// Interns jieba's POS tags (a small closed set) so tokens hold `&'static str`.
fn intern_pos(tag: &str) -> &'static str {
    static TAGS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        "a ad ag an b c d df dg e eng f g h i j k l m mg mq n ng nr nrfg nrt ns nt nz o p q r rg rr rz s t tg u ud ug uj ul uv uz v vd vg vi vn vq x y z zg un"
            .split(' ')
            .collect()
    });
    TAGS.iter().copied().find(|t| *t == tag).unwrap_or("x")
}

/// Segments `text` into sentences, paragraphs and (when `with_tokens`) POS-tagged words.
pub fn segment(text: &str, with_tokens: bool) -> Segmented {
    let sentences = sentences::split_sentences(text);
    let paragraphs = sentences::split_paragraphs(text);
    let mut tokens = Vec::new();
    if with_tokens {
        let jieba = jieba();
        tokens.reserve(text.len() / 4);
        for &(s, e) in &sentences {
            for tag in jieba.tag(&text[s..e], true) {
                if tag.word.trim().is_empty() {
                    continue;
                }
                tokens.push(Token { start: s + tag.byte_start, end: s + tag.byte_end, pos: intern_pos(tag.tag) });
            }
        }
    }
    Segmented { sentences, paragraphs, tokens }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_offsets() {
        let text = "谷歌正在计划终止合同。Meta投资了Scale AI。";
        let seg = segment(text, true);
        assert_eq!(seg.sentences.len(), 2);
        for t in &seg.tokens {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        assert!(seg.tokens.iter().any(|t| &text[t.start..t.end] == "谷歌"));
        assert_eq!(seg.sentence_index(text.find("Meta").unwrap()), Some(1));
    }
}
