//! The segmentation stage: sentences and paragraphs, and jieba-rs tokens with POS tags.
//!
//! One `Jieba` (dictionary and HMM model) is loaded once per process and shared read-only
//! by every thread. All offsets are byte offsets into the normalised text.

pub(crate) mod sentences;

use std::sync::{LazyLock, Once};

use jieba_rs::Jieba;

use crate::document::NSpan;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The process-wide jieba instance.
pub fn jieba() -> &'static Jieba {
    &JIEBA
}

/// When `text` holds Han characters, starts building jieba's dictionary and its
/// part-of-speech model on a thread of their own (once per process) and returns at once.
///
/// The build is the largest single cost of start-up (a trie of 350,000 words, about
/// 100 ms) and jieba-rs offers no prebuilt form of it, so it is taken off the critical
/// path instead: the CLI calls this with its first document before loading the tables,
/// the batch runner's reader with every document until one has Han text. Whoever needs
/// jieba first waits only for what is left of the build (`LazyLock`). Text without Han
/// characters never loads it. Returns whether the load is under way.
pub fn load_in_background_for(text: &str) -> bool {
    let han = has_han(text);
    if han {
        load_in_background();
    }
    han
}

fn load_in_background() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        // If no thread can be started, the first sentence with Han text loads it instead.
        let _ = std::thread::Builder::new()
            .name("newsfacts-jieba-load".into())
            .spawn(|| {
                LazyLock::force(&JIEBA);
                // The trie was the longest start-up task; what is left of the others
                // is shared with the start-up thread (`crate::warm`).
                crate::warm::help();
            });
    });
}

/// Builds jieba's part-of-speech model for words not in its dictionary (about 20 ms; the
/// other lazily built part of jieba besides its trie). An empty dictionary knows no word,
/// so tagging any Han word with it loads that model without waiting for the trie.
pub(crate) fn load_pos_model() {
    std::hint::black_box(Jieba::empty().tag("杭研", true));
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
    match tag {
        "a" => "a",
        "ad" => "ad",
        "ag" => "ag",
        "an" => "an",
        "b" => "b",
        "bg" => "bg",
        "c" => "c",
        "d" => "d",
        "df" => "df",
        "dg" => "dg",
        "e" => "e",
        "eng" => "eng",
        "f" => "f",
        "g" => "g",
        "h" => "h",
        "i" => "i",
        "j" => "j",
        "k" => "k",
        "l" => "l",
        "m" => "m",
        "mg" => "mg",
        "mq" => "mq",
        "n" => "n",
        "ng" => "ng",
        "nr" => "nr",
        "nrfg" => "nrfg",
        "nrt" => "nrt",
        "ns" => "ns",
        "nt" => "nt",
        "nz" => "nz",
        "o" => "o",
        "p" => "p",
        "q" => "q",
        "r" => "r",
        "rg" => "rg",
        "rr" => "rr",
        "rz" => "rz",
        "s" => "s",
        "t" => "t",
        "tg" => "tg",
        "u" => "u",
        "ud" => "ud",
        "ug" => "ug",
        "uj" => "uj",
        "ul" => "ul",
        "uv" => "uv",
        "uz" => "uz",
        "v" => "v",
        "vd" => "vd",
        "vg" => "vg",
        "vi" => "vi",
        "vn" => "vn",
        "vq" => "vq",
        "x" => "x",
        "y" => "y",
        "z" => "z",
        "zg" => "zg",
        "un" => "un",
        _ => "x",
    }
}

/// Splits a sentence without Han characters into words, numbers and punctuation, the way
/// jieba would tag them (`eng`, `m`, `x`), at a fraction of jieba's cost.
fn latin_tokens(text: &str, base: usize, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        let len = c.len_utf8();
        if c.is_whitespace() {
            i += len;
            continue;
        }
        let start = i;
        if c.is_alphanumeric() {
            // A word: letters/digits, with inner apostrophes, hyphens and dots (U.S., 3.5).
            i += len;
            while i < text.len() {
                let n = match text[i..].chars().next() {
                    Some(n) => n,
                    None => break,
                };
                let joiner = matches!(n, '\'' | '-' | '.' | ',')
                    && text[i + 1..]
                        .chars()
                        .next()
                        .is_some_and(|m| m.is_alphanumeric())
                    && (n != ','
                        || bytes
                            .get(i.wrapping_sub(1))
                            .is_some_and(|b| b.is_ascii_digit()));
                if n.is_alphanumeric() || joiner {
                    i += n.len_utf8();
                } else {
                    break;
                }
            }
            let word = &text[start..i];
            let pos = if word
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
            {
                "m"
            } else {
                "eng"
            };
            out.push(Token {
                start: base + start,
                end: base + i,
                pos,
            });
        } else {
            i += len;
            out.push(Token {
                start: base + start,
                end: base + i,
                pos: "x",
            });
        }
    }
}

fn has_han(s: &str) -> bool {
    s.chars().any(crate::normalize::script::is_han)
}

/// Segments `text` into sentences, paragraphs and (when `with_tokens`) POS-tagged words.
/// Sentences with Han characters go through jieba; others through a plain word splitter.
pub fn segment(text: &str, with_tokens: bool) -> Segmented {
    segment_sentences(text, sentences::split_sentences(text), with_tokens)
}

/// [`segment`] without the runtime cut of long sentences: the NER trainer's view of a gold
/// sentence (see [`sentences::split_whole_sentences`]). Training on these is what makes
/// `train-ner` reproduce the committed models whatever the runtime cut is.
pub fn segment_whole_sentences(text: &str, with_tokens: bool) -> Segmented {
    segment_sentences(text, sentences::split_whole_sentences(text), with_tokens)
}

fn segment_sentences(text: &str, sentences: Vec<crate::document::NSpan>, with_tokens: bool) -> Segmented {
    let mut seg = Segmented {
        paragraphs: sentences::split_paragraphs(text),
        sentences,
        tokens: Vec::new(),
    };
    if with_tokens {
        add_words(text, &mut seg);
    }
    seg
}

/// The first half of [`segment`]: sentences and paragraphs, no words yet. The pipeline
/// runs it as a chunk stage of its own and [`add_words`] as the next one, so that over a
/// chunk of one-line documents jieba's code stays in the instruction cache through the
/// word cuts instead of sharing it with the sentence splitter's after every document.
pub fn split(text: &str) -> Segmented {
    segment_sentences(text, sentences::split_sentences(text), false)
}

/// The second half of [`segment`]: the POS-tagged words of every sentence of `seg` (a
/// [`split`] of `text`).
pub fn add_words(text: &str, seg: &mut Segmented) {
    let tokens = &mut seg.tokens;
    tokens.reserve(text.len() / 3);
    for &(s, e) in &seg.sentences {
        let Some(sentence) = text.get(s..e) else {
            continue;
        };
        if !has_han(sentence) {
            latin_tokens(sentence, s, tokens);
            continue;
        }
        // Only here is the dictionary needed: a run over English text never loads it.
        for tag in jieba().tag(sentence, true) {
            // Whitespace is no token (the same test as `trim().is_empty()`, stopping at
            // the first character instead of trimming both ends).
            if tag.word.chars().all(char::is_whitespace) {
                continue;
            }
            tokens.push(Token {
                start: s + tag.byte_start,
                end: s + tag.byte_end,
                pos: intern_pos(tag.tag),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tag jieba gives comes back as itself, anything else as `x`.
    #[test]
    fn pos_tags_are_interned() {
        let tags = "a ad ag an b bg c d df dg e eng f g h i j k l m mg mq n ng nr nrfg nrt ns \
                    nt nz o p q r rg rr rz s t tg u ud ug uj ul uv uz v vd vg vi vn vq x y z zg un";
        for t in tags.split_whitespace() {
            assert_eq!(intern_pos(t), t);
        }
        for t in ["", "nn", "engx", "N", "w", "nrf"] {
            assert_eq!(intern_pos(t), "x");
        }
    }

    #[test]
    fn latin_sentences_split_into_words() {
        let text = "Industrial Equity's stake rose to 11.3 pct, or 816,000 shares.";
        let seg = segment(text, true);
        let words: Vec<&str> = seg.tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(
            words,
            vec![
                "Industrial",
                "Equity's",
                "stake",
                "rose",
                "to",
                "11.3",
                "pct",
                ",",
                "or",
                "816,000",
                "shares",
                "."
            ]
        );
        assert_eq!(seg.tokens[5].pos, "m");
    }

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
