//! The segmentation stage: sentences and paragraphs, and jieba-rs tokens with POS tags.
//!
//! One `Jieba` (dictionary and HMM model) is loaded once per process and shared read-only
//! by every thread. All offsets are byte offsets into the normalised text.

pub(crate) mod sentences;

use std::cell::RefCell;
use std::sync::{LazyLock, Once};

use jieba_rs::Jieba;
use rustc_hash::FxHashMap;

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
    WORD_TAGS.with_borrow_mut(|memo| {
        for &(s, e) in &seg.sentences {
            let Some(sentence) = text.get(s..e) else {
                continue;
            };
            if !has_han(sentence) {
                latin_tokens(sentence, s, tokens);
                continue;
            }
            // Only here is the dictionary needed: a run over English text never loads it.
            tag_han_sentence(jieba(), sentence, s, tokens, memo);
        }
    });
}

/// The most words [`WORD_TAGS`] holds before it starts afresh (about 4 MB a thread).
const WORD_TAGS_MAX: usize = 1 << 16;

/// Longer words are tagged every time instead of remembered, so that a run of long tokens
/// (an unbroken Latin or digit string) cannot fill the memo with bytes.
const WORD_TAG_MAX_BYTES: usize = 48;

/// A word's part-of-speech tag as jieba gives it, `None` for a whitespace token (no token).
type WordTag = Option<&'static str>;

/// Words of fewer bytes than this (up to five Han characters: nearly all) are keyed by their
/// bytes and length packed into one `u128`, hashed and compared at once.
const SHORT_WORD_BYTES_END: usize = 16;

/// jieba's tag by word (see [`tag_han_sentence`]).
#[derive(Default)]
struct WordTagMemo {
    short: FxHashMap<u128, WordTag>,
    long: FxHashMap<Box<str>, WordTag>,
}

/// The bytes of `word` and its length (in the top byte) as one number, when it is short:
/// byte `i` of the word is byte `i` of the number (little-endian), the bytes between the
/// word and the length are zero. Read in two overlapping loads instead of a copy.
#[inline(always)]
fn short_key(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    let n = b.len();
    let low = match n {
        SHORT_WORD_BYTES_END.. => return None,
        9..=15 => {
            // Bytes 0..8, and bytes 8..n: the last 8 bytes shifted past those read already.
            let lo = u64::from_le_bytes(b[..8].try_into().ok()?);
            let hi = u64::from_le_bytes(b[n - 8..].try_into().ok()?) >> ((16 - n) * 8);
            return Some(u128::from(lo) | u128::from(hi) << 64 | (n as u128) << 120);
        }
        8 => u64::from_le_bytes(b.try_into().ok()?),
        5..=7 => {
            let lo = u32::from_le_bytes(b[..4].try_into().ok()?);
            let hi = u32::from_le_bytes(b[n - 4..].try_into().ok()?) >> ((8 - n) * 8);
            u64::from(lo) | u64::from(hi) << 32
        }
        4 => u64::from(u32::from_le_bytes(b.try_into().ok()?)),
        _ => b
            .iter()
            .enumerate()
            .fold(0u64, |k, (i, &x)| k | u64::from(x) << (8 * i)),
    };
    Some(u128::from(low) | (n as u128) << 120)
}

impl WordTagMemo {
    #[inline(always)]
    fn get(&self, word: &str) -> Option<WordTag> {
        match short_key(word) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(word).copied(),
        }
    }

    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// Remembers `word`'s tag, starting afresh when the memo is full.
    fn remember(&mut self, word: &str, pos: WordTag) {
        if word.len() > WORD_TAG_MAX_BYTES {
            return;
        }
        if self.len() >= WORD_TAGS_MAX {
            self.short.clear();
            self.long.clear();
        }
        match short_key(word) {
            Some(key) => {
                self.short.insert(key, pos);
            }
            None => {
                self.long.insert(word.into(), pos);
            }
        }
    }
}

thread_local! {
    /// Each thread's memo of jieba's tag by word (see [`tag_han_sentence`]).
    static WORD_TAGS: RefCell<WordTagMemo> = RefCell::new(WordTagMemo::default());
}

/// Pushes the tokens of `sentence` (at byte `base` of the text) exactly as
/// `jieba.tag(sentence, true)` tags them, whitespace tokens left out, finding each word's
/// tag in `memo` and learning it there when missing.
///
/// Why a memo gives the same tags (jieba-rs 0.11, `Jieba::tag_each`): `tag` cuts the
/// sentence exactly as `cut` does (both are `cut_each` with the same `hmm`) and then tags
/// every token by the token's text alone. Its dictionary id is the one the route looked up,
/// or `dag.word_at(start, end)` within the token's block, or `trie.get(word)` outside a
/// block; all three are the dictionary trie's id of that exact text (the DAG's edges are the
/// trie's words at every character, `Trie::for_each_prefix_at_every_char`, found by the same
/// walk as `Trie::get`). A word with an id gets the dictionary's tag of that id, one without
/// gets `guess_tag(word)` (ASCII counts, else the POS HMM over the word's own characters).
/// Neither looks at the neighbours, and the process-wide dictionary is never changed after
/// it is built. So a word's tag is the same wherever it occurs, and `jieba.tag(word, true)`
/// on the word alone, when it gives back the word as its one token, gives that tag. When it
/// cuts the word otherwise, the sentence goes the plain way (`jieba.tag(sentence, true)`),
/// whose tags are then remembered too. Only which words are remembered depends on what the
/// thread saw before, never a tag (`memo_path_tags_like_jieba`).
fn tag_han_sentence(
    jieba: &Jieba,
    sentence: &str,
    base: usize,
    out: &mut Vec<Token>,
    memo: &mut WordTagMemo,
) {
    let first = out.len();
    for token in jieba.cut(sentence, true) {
        let word = token.word;
        let pos = match memo.get(word) {
            Some(pos) => pos,
            None => match tag_alone(jieba, word) {
                Some(pos) => {
                    memo.remember(word, pos);
                    pos
                }
                None => {
                    out.truncate(first);
                    tag_sentence_plainly(jieba, sentence, base, out, memo);
                    return;
                }
            },
        };
        if let Some(pos) = pos {
            out.push(Token {
                start: base + token.byte_start,
                end: base + token.byte_end,
                pos,
            });
        }
    }
}

/// Whether `word` is a whitespace token (no token): the same test as `trim().is_empty()`,
/// stopping at the first character instead of trimming both ends.
fn is_space(word: &str) -> bool {
    word.chars().all(char::is_whitespace)
}

/// The tag jieba gives `word` wherever it is one token (see [`tag_han_sentence`]), `None`
/// inside when it is whitespace; `None` when jieba does not cut `word` alone as one token.
fn tag_alone(jieba: &Jieba, word: &str) -> Option<WordTag> {
    if is_space(word) {
        return Some(None);
    }
    match jieba.tag(word, true).as_slice() {
        [tag] if tag.word == word => Some(Some(intern_pos(tag.tag))),
        _ => None,
    }
}

/// `jieba.tag(sentence, true)` as it is, each word's tag remembered in `memo`.
fn tag_sentence_plainly(
    jieba: &Jieba,
    sentence: &str,
    base: usize,
    out: &mut Vec<Token>,
    memo: &mut WordTagMemo,
) {
    for tag in jieba.tag(sentence, true) {
        if is_space(tag.word) {
            continue;
        }
        let pos = intern_pos(tag.tag);
        if memo.get(tag.word).is_none() {
            memo.remember(tag.word, Some(pos));
        }
        out.push(Token {
            start: base + tag.byte_start,
            end: base + tag.byte_end,
            pos,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain path: `jieba.tag(sentence, true)` as it is, whitespace left out.
    fn plain_tokens(sentence: &str, base: usize) -> Vec<Token> {
        jieba()
            .tag(sentence, true)
            .into_iter()
            .filter(|t| !t.word.trim().is_empty())
            .map(|t| Token {
                start: base + t.byte_start,
                end: base + t.byte_end,
                pos: intern_pos(t.tag),
            })
            .collect()
    }

    /// Tags `sentence` through `memo` and checks the tokens against the plain path's.
    fn check_memo_path(sentence: &str, base: usize, memo: &mut WordTagMemo) {
        let mut got = vec![Token {
            start: 0,
            end: 0,
            pos: "x",
        }];
        tag_han_sentence(jieba(), sentence, base, &mut got, memo);
        assert_eq!(&got[1..], plain_tokens(sentence, base), "{sentence:?}");
    }

    /// Words jieba cuts otherwise when alone, so that the memo path falls back to the
    /// sentence: how many of the sentence's words.
    fn words_cut_otherwise_alone(sentence: &str) -> usize {
        jieba()
            .cut(sentence, true)
            .iter()
            .filter(|t| tag_alone(jieba(), t.word).is_none())
            .count()
    }

    /// The memo path gives jieba's own tokens and tags, with a memo warm from everything
    /// before and with an empty one, on news of both scripts (as read and normalised) and on
    /// sentences made to hold unknown names, digits, Latin and mixed runs.
    #[test]
    fn memo_path_tags_like_jieba() {
        let mut texts: Vec<String> = [
            "谷歌正在计划终止合同。Meta投资了Scale AI。",
            "张尧和李思琪于2025年3月在杭研签约，金额达12.5亿元（约1.7亿美元）。",
            "滴滴出行CEO程维表示，DiDi Global将于Q3发布iPhone 16 Pro的新功能。",
            "欧阳娜娜、诸葛亮亮与司马懿懿在上海市浦东新区张江高科技园区会面。",
            "他说：“这是第1次。”她答道：‘不，是第2次！’  双空格  和\t制表符\r\n换行",
            "ＡＢＣ公司１２３号，Ｂ轮融资５０００万元；C++、C#与.NET、3.5%、4-5%、a_b、x&y。",
            "阿里巴巴集团控股有限公司旗下蚂蚁集团的支付宝、淘宝与天猫。",
            "巴黎圣日耳曼足球俱乐部以2:1击败拜仁慕尼黑，姆巴佩梅开二度。",
            "龘靐齉爩是生僻字，𠀀𠀁是扩展区字，ㄅㄆㄇ是注音，あいう是假名。",
            "新冠肺炎疫情期间，特斯拉上海超级工厂Model Y产量同比增长123.45%。",
            "王小明明天去北京清华大学，李华华在南京市长江大桥上。",
            "2024年第四季度营收为人民币1,234,567千元，每股收益0.98元。",
            "https://www.example.com/path?a=1&b=2 与 foo@bar.com 都是链接。",
            "零一二三四五六七八九十百千万亿，壹贰叁肆伍陆柒捌玖拾佰仟。",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        if let Ok(dir) = std::fs::read_dir("../shared/corpus") {
            let mut paths: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths {
                if path.extension().is_some_and(|x| x == "txt") {
                    texts.push(std::fs::read_to_string(&path).expect("corpus file"));
                }
            }
        }
        let news = crate::test_support::corpus_sample("zh_news.txt", usize::MAX);
        let lines: Vec<&str> = news.lines().collect();
        // A sample from all through the file: every 16th line of its first 24,000.
        texts.extend(lines.iter().take(24_000).step_by(16).map(|l| l.to_string()));
        let normalized: Vec<String> = texts
            .iter()
            .map(|t| crate::normalize::normalize(t).text)
            .collect();
        texts.extend(normalized);

        let mut warm = WordTagMemo::default();
        let (mut sentences, mut fallbacks) = (0, 0);
        for text in &texts {
            for (s, e) in sentences::split_sentences(text) {
                let sentence = &text[s..e];
                if !has_han(sentence) {
                    continue;
                }
                sentences += 1;
                check_memo_path(sentence, s, &mut warm);
                if sentences % 7 == 0 {
                    check_memo_path(sentence, s, &mut WordTagMemo::default());
                }
                if words_cut_otherwise_alone(sentence) > 0 {
                    fallbacks += 1;
                    check_memo_path(sentence, s, &mut WordTagMemo::default());
                }
            }
        }
        assert!(sentences > 5_000, "{sentences} sentences");
        // The fall-back to the whole sentence is taken, and checked, too.
        assert!(fallbacks > 0);
        assert!(warm.len() > 1_000 && warm.len() <= WORD_TAGS_MAX);
    }

    /// A memo filled by one sentence's words gives the same tags to every later one: the
    /// segment stage's whole output does not change with what the thread tagged before.
    #[test]
    fn segment_output_does_not_depend_on_the_memo() {
        let text = "张尧和李思琪于2025年3月在杭研签约。Meta投资了Scale AI。杭研的张尧说，李思琪会来。";
        let cold = std::thread::scope(|s| s.spawn(|| segment(text, true)).join().unwrap());
        let _ = segment("杭研张尧李思琪Meta AI。", true);
        let warm = segment(text, true);
        assert_eq!(cold.tokens, warm.tokens);
    }

    /// Short words' keys tell every word apart (its length included), long words have none,
    /// and a full memo starts afresh.
    #[test]
    fn word_tag_memo_keys_and_bound() {
        let words = ["", "a", "a\0", "\0", "中", "中国", "中国人", "abcdefghijklmno", "中国人民银", "国人民银行"];
        let keys: Vec<u128> = words.iter().map(|w| short_key(w).unwrap()).collect();
        for i in 0..keys.len() {
            for j in 0..i {
                assert_ne!(keys[i], keys[j], "{:?} {:?}", words[i], words[j]);
            }
        }
        let every_length: Vec<&str> = (0..=15).map(|n| &"abcdefghijklmnopq"[..n]).collect();
        for w in words.iter().chain(&every_length).chain(&["中国人民", "中国人民银"]) {
            let mut copied = [0u8; 16];
            copied[..w.len()].copy_from_slice(w.as_bytes());
            copied[15] = w.len() as u8;
            assert_eq!(short_key(w), Some(u128::from_le_bytes(copied)), "{w:?}");
        }
        assert_eq!(short_key("abcdefghijklmnop"), None);
        assert_eq!(short_key("中国人民银行行长"), None);

        let mut memo = WordTagMemo::default();
        memo.remember("中国人民银行行长", Some("n"));
        memo.remember("中国", Some("ns"));
        memo.remember(" ", None);
        memo.remember(&"长".repeat(17), Some("a"));
        assert_eq!(memo.get("中国人民银行行长"), Some(Some("n")));
        assert_eq!(memo.get("中国"), Some(Some("ns")));
        assert_eq!(memo.get(" "), Some(None));
        assert_eq!(memo.get("中"), None);
        assert_eq!(memo.get(&"长".repeat(17)), None);
        for i in 0..WORD_TAGS_MAX + 10 {
            memo.remember(&i.to_string(), Some("m"));
            assert!(memo.len() <= WORD_TAGS_MAX);
        }
        assert_eq!(memo.get(&(WORD_TAGS_MAX + 9).to_string()), Some(Some("m")));
    }

    proptest::proptest! {
        /// Random runs of Han characters (common, rare and unknown to the dictionary),
        /// letters, digits, punctuation and spaces: the memo path tags them as jieba does,
        /// with the memo kept between cases as a thread keeps it.
        #[test]
        fn memo_path_tags_random_text_like_jieba(
            text in "([张李王杭研谷歌投资了公司年月日的在和与龘靐齉中国北京上海市长江大桥]|[a-zA-Z0-9]|[ .,%+#&_\\-]|[，。、（）：；“”]|\\PC){1,40}"
        ) {
            thread_local! {
                static MEMO: RefCell<WordTagMemo> = RefCell::new(WordTagMemo::default());
            }
            if has_han(&text) {
                MEMO.with_borrow_mut(|memo| check_memo_path(&text, 3, memo));
            }
        }
    }

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
