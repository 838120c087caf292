//! Sentence and paragraph boundaries for Chinese and English text.
//!
//! A Chinese sentence ends at 。！？； (and `!?` `;`), an English one at `.!?` followed by
//! a space and an upper-case letter, digit or quote, unless the period ends a known
//! abbreviation (`Mr.`, `Corp.`, `U.S.`) or an initial. Closing quotes and brackets after
//! the end mark stay with their sentence. A newline always ends a sentence.
//!
//! No sentence is longer than [`MAX_SENTENCE_BYTES`]: a run of text with no end mark (a
//! scraped table, a page without punctuation) is cut at its last clause mark or space
//! before the limit. Every later stage looks at sentences, and a fact quotes its sentence,
//! so this bound keeps their work and the output linear in the document.

use crate::document::NSpan;

/// Parses `data/sentence_abbreviations.tsv`: words whose period does not end a sentence.
fn abbreviation_table() -> Result<Vec<&'static str>, crate::table::TableError> {
    let (file, text) = crate::data_table!("sentence_abbreviations.tsv");
    let mut words = Vec::new();
    for r in crate::table::rows(file, text) {
        words.extend(r.at_most(1)?.cell(0, "words")?.split_whitespace());
    }
    Ok(words)
}

/// Loads `data/sentence_abbreviations.tsv`, for [`crate::table::check_all`].
pub(crate) fn check() -> Result<(), crate::table::TableError> {
    crate::table::check_cell(&ABBREVIATIONS)
}

static ABBREVIATIONS: crate::table::TableCell<Vec<&'static str>> =
    crate::table::TableCell::new(abbreviation_table);

/// The abbreviations that close a company's name, and the words that open a sentence after
/// one (`data/sentence_starters.tsv`).
#[derive(Debug, Default)]
struct Starters {
    closes: Vec<&'static str>,
    starter: Vec<&'static str>,
}

/// Parses `data/sentence_starters.tsv` (kind, words); an unknown kind is an error.
fn starter_table() -> Result<Starters, crate::table::TableError> {
    let (file, text) = crate::data_table!("sentence_starters.tsv");
    let mut t = Starters::default();
    for r in crate::table::rows(file, text) {
        r.at_most(2)?;
        let list = match r.cell(0, "kind")? {
            "closes" => &mut t.closes,
            "starter" => &mut t.starter,
            other => return Err(r.error(format!("unknown kind {other:?} (closes, starter)"))),
        };
        list.extend(r.cell(1, "words")?.split_whitespace());
    }
    Ok(t)
}

static STARTERS: crate::table::TableCell<Starters> = crate::table::TableCell::new(starter_table);

/// Loads `data/sentence_starters.tsv`, for [`crate::table::check_all`].
pub(crate) fn check_starters() -> Result<(), crate::table::TableError> {
    crate::table::check_cell(&STARTERS)
}

/// Does the company abbreviation `word` (`Inc`) end the sentence because the word after
/// its period (`after`) opens a new one ("agreed to buy Beta Inc. The deal ...")?
fn name_ends_sentence(word: &str, after: &str) -> bool {
    let t = crate::table::cell_value(&STARTERS);
    let next = after
        .trim_start_matches([' ', '"', '”'])
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    t.closes.contains(&word) && t.starter.contains(&next)
}


fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '"' | '\'' | '」' | '』' | ')' | '）' | '】' | '》'
    )
}

/// Does the period at `dot` end an abbreviation or an initial rather than the sentence? In
/// running text (`running`) a name's closing abbreviation before a word that opens a
/// sentence ends it ("agreed to buy Beta Inc. The deal ..."); a gold sentence of the NER
/// trainer is one sentence and is never cut there.
fn ends_with_abbreviation(text: &str, dot: usize, running: bool) -> bool {
    let before = &text[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .map_or(0, |i| i + 1);
    let word = &before[word_start..];
    if word.chars().count() == 1 && word.chars().all(|c| c.is_ascii_uppercase()) {
        return true; // an initial: "J. Smith"
    }
    crate::table::cell_value(&ABBREVIATIONS).contains(&word)
        && !(running && name_ends_sentence(word, text.get(dot + 1..).unwrap_or("")))
}

/// The longest sentence, in bytes (about 340 Chinese characters or 170 English words; real
/// news sentences are far shorter).
pub(crate) const MAX_SENTENCE_BYTES: usize = 1024;

/// Byte spans of whole sentences (between end marks), trimmed of surrounding whitespace;
/// never empty, of any length. The NER trainer learns from these: the runtime cut of
/// [`split_sentences`] guards against pathological input and would only put sequence
/// boundaries inside the few long sentences of the training corpora.
pub(crate) fn split_whole_sentences(text: &str) -> Vec<NSpan> {
    split_at_end_marks(text, false)
}

/// Byte spans of sentences, trimmed of surrounding whitespace; never empty, never longer
/// than [`MAX_SENTENCE_BYTES`].
pub(crate) fn split_sentences(text: &str) -> Vec<NSpan> {
    let whole = split_at_end_marks(text, true);
    if whole.iter().all(|s| s.1 - s.0 <= MAX_SENTENCE_BYTES) {
        return whole;
    }
    let mut out = Vec::with_capacity(whole.len());
    for (s, e) in whole {
        cut_long(text, s, e, &mut out);
    }
    out
}

/// Cuts `text[start..end]` into pieces of at most [`MAX_SENTENCE_BYTES`]: after the last
/// clause mark in the second half of the window, else after its last space, else at the
/// last character boundary. Each window is scanned once, so this is linear.
fn cut_long(text: &str, mut start: usize, end: usize, out: &mut Vec<NSpan>) {
    while end - start > MAX_SENTENCE_BYTES {
        let mut limit = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let mut half = start + MAX_SENTENCE_BYTES / 2;
        while !text.is_char_boundary(half) {
            half -= 1;
        }
        let window = &text[half..limit];
        let after = |i: usize, c: char| half + i + c.len_utf8();
        let cut = window
            .char_indices()
            .rev()
            .find(|&(_, c)| matches!(c, '，' | ',' | '、' | ';' | ':' | '：' | '；'))
            .or_else(|| {
                window
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| c.is_whitespace())
            })
            .map_or(limit, |(i, c)| after(i, c));
        push_trimmed(text, start, cut, out);
        start = cut;
    }
    push_trimmed(text, start, end, out);
}

/// Whether a byte may begin a character that can end a sentence: `\n ; ! ? .`, or the
/// lead byte of `。` (E3), of `！ ？ ；` (EF) or of `…` (E2). A lead byte is never a
/// continuation byte, so every position this accepts is a character boundary; the rest of
/// a text (Han characters lead with E4-E9) is skipped by a table look-up a byte, without
/// decoding characters.
static MAY_END_SENTENCE: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let bytes = [b'\n', b';', b'!', b'?', b'.', 0xE2, 0xE3, 0xEF];
    while k < bytes.len() {
        t[bytes[k] as usize] = true;
        k += 1;
    }
    t
};

/// Whether `bytes` starts with one of the three-byte end marks of [`split_at_end_marks`]
/// (`。！？；…`), the only characters with a lead byte in [`MAY_END_SENTENCE`] it acts on.
fn starts_three_byte_end_mark(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0xE3, 0x80, 0x82, ..] // 。
            | [0xEF, 0xBC, 0x81 | 0x9F | 0x9B, ..] // ！ ？ ；
            | [0xE2, 0x80, 0xA6, ..] // …
    )
}

/// The end of the run of characters from `at` that `keep` accepts.
fn skip_chars(text: &str, mut at: usize, keep: impl Fn(char) -> bool) -> usize {
    while let Some(n) = text.get(at..).and_then(|r| r.chars().next()) {
        if !keep(n) {
            break;
        }
        at += n.len_utf8();
    }
    at
}

/// Sentences between end marks; `running`: see [`ends_with_abbreviation`].
fn split_at_end_marks(text: &str, running: bool) -> Vec<NSpan> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let skip = bytes.get(i..).and_then(|r| {
            r.iter()
                .position(|&b| MAY_END_SENTENCE[usize::from(b)])
        });
        let Some(skip) = skip else {
            break;
        };
        i += skip;
        // The lead bytes 0xE2, 0xE3 and 0xEF start many characters (、《》“” among them)
        // but only five end marks: the others are stepped over without decoding.
        if bytes[i] >= 0xE2 && !starts_three_byte_end_mark(&bytes[i..]) {
            i += 1;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        // Where the scan goes on: after `c` and whatever its case takes with it.
        let mut next = i + c.len_utf8();
        let mut end = None;
        match c {
            '\n' => end = Some(i),
            // Normalisation turned the Chinese `；` into `;`: it still ends a Chinese
            // sentence, but not an English one (`3 pct; the rest`).
            ';' if text[..i]
                .chars()
                .next_back()
                .is_some_and(crate::normalize::script::is_han)
                || text[i + 1..]
                    .trim_start()
                    .chars()
                    .next()
                    .is_some_and(crate::normalize::script::is_han) =>
            {
                end = Some(i + 1)
            }
            '。' | '！' | '？' | '；' | '!' | '?' | '…' => {
                let e = skip_chars(text, next, |n| {
                    is_closer(n) || matches!(n, '。' | '！' | '？' | '!' | '?' | '…')
                });
                next = e;
                // English `!`/`?` mid-sentence followed by lowercase is not a break.
                let following = text[e..].chars().next();
                if matches!(c, '!' | '?') && following.is_some_and(|n| n == ' ') {
                    let after = text[e..].trim_start().chars().next();
                    if after.is_some_and(|a| a.is_lowercase()) {
                        i = next;
                        continue;
                    }
                }
                end = Some(e);
            }
            '.' => {
                let rest = &text[i + 1..];
                let mut chars = rest.chars();
                let following = chars.next();
                if following == Some(' ') || following == Some('"') || following == Some('”') {
                    let after = rest.trim_start_matches([' ', '"', '”']).chars().next();
                    let starts_new = after.is_some_and(|a| {
                        a.is_uppercase()
                            || a.is_ascii_digit()
                            || a == '"'
                            || a == '“'
                            || !a.is_ascii()
                    });
                    if starts_new && !ends_with_abbreviation(text, i, running) {
                        let e = skip_chars(text, i + 1, is_closer);
                        next = e;
                        end = Some(e);
                    }
                }
            }
            _ => {}
        }
        if let Some(e) = end {
            push_trimmed(text, start, e, &mut out);
            start = if c == '\n' { i + 1 } else { e };
        }
        i = next;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

/// Byte spans of paragraphs (lines), trimmed, never empty.
pub(crate) fn split_paragraphs(text: &str) -> Vec<NSpan> {
    let mut out = Vec::new();
    let mut start = 0;
    // A newline byte is a newline character in UTF-8: a byte search finds them (the memchr
    // crate's, which on a one-line document costs a fraction of `match_indices('\n')`).
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        push_trimmed(text, start, i, &mut out);
        start = i + 1;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<NSpan>) {
    if start >= end {
        return;
    }
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push((start + lead, end - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paragraphs as `match_indices('\n')` cut them, before the byte search.
    fn paragraphs_by_match_indices(text: &str) -> Vec<NSpan> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, _) in text.match_indices('\n') {
            push_trimmed(text, start, i, &mut out);
            start = i + 1;
        }
        push_trimmed(text, start, text.len(), &mut out);
        out
    }

    #[test]
    fn paragraphs_by_byte_search_are_those_of_match_indices() {
        for t in [
            "",
            "\n",
            "\n\n  \n",
            "一行",
            "第一段。\n\n  第二段 \n第三段\n",
            " a\nb \r\n\u{3000}c\u{3000}\n\u{85}d",
        ] {
            assert_eq!(split_paragraphs(t), paragraphs_by_match_indices(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn paragraphs_by_byte_search_are_those_of_match_indices_random(
            text in "([一二三。]|[a-z ]|\n|\\s|\\PC){0,50}"
        ) {
            proptest::prop_assert_eq!(split_paragraphs(&text), paragraphs_by_match_indices(&text));
        }
    }

    /// The splitter as it was, a character at a time: the byte-skipping one must cut
    /// every text where it did.
    fn split_by_chars(text: &str) -> Vec<NSpan> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let mut end = None;
            match c {
                '\n' => end = Some(i),
                // Normalisation turned the Chinese `；` into `;`: it still ends a Chinese
                // sentence, but not an English one (`3 pct; the rest`).
                ';' if text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(crate::normalize::script::is_han)
                    || text[i + 1..]
                        .trim_start()
                        .chars()
                        .next()
                        .is_some_and(crate::normalize::script::is_han) =>
                {
                    end = Some(i + 1)
                }
                '。' | '！' | '？' | '；' | '!' | '?' | '…' => {
                    let mut e = i + c.len_utf8();
                    while let Some(&(j, n)) = iter.peek() {
                        if is_closer(n) || matches!(n, '。' | '！' | '？' | '!' | '?' | '…') {
                            e = j + n.len_utf8();
                            iter.next();
                        } else {
                            break;
                        }
                    }
                    // English `!`/`?` mid-sentence followed by lowercase is not a break.
                    let next = text[e..].chars().next();
                    if matches!(c, '!' | '?') && next.is_some_and(|n| n == ' ') {
                        let after = text[e..].trim_start().chars().next();
                        if after.is_some_and(|a| a.is_lowercase()) {
                            continue;
                        }
                    }
                    end = Some(e);
                }
                '.' => {
                    let rest = &text[i + 1..];
                    let mut chars = rest.chars();
                    let next = chars.next();
                    if next == Some(' ') || next == Some('"') || next == Some('”') {
                        let after = rest.trim_start_matches([' ', '"', '”']).chars().next();
                        let starts_new = after.is_some_and(|a| {
                            a.is_uppercase()
                                || a.is_ascii_digit()
                                || a == '"'
                                || a == '“'
                                || !a.is_ascii()
                        });
                        if starts_new && !ends_with_abbreviation(text, i, true) {
                            let mut e = i + 1;
                            while let Some(&(j, n)) = iter.peek() {
                                if is_closer(n) {
                                    e = j + n.len_utf8();
                                    iter.next();
                                } else {
                                    break;
                                }
                            }
                            end = Some(e);
                        }
                    }
                }
                _ => {}
            }
            if let Some(e) = end {
                push_trimmed(text, start, e, &mut out);
                start = if c == '\n' { i + 1 } else { e };
            }
        }
        push_trimmed(text, start, text.len(), &mut out);
        out
    }

    #[test]
    fn byte_skipping_cuts_where_the_character_scan_cut() {
        let texts = [
            "他说:“我们已加入。”随后离开。第二句!!第三句？？“引号”》\n新段落;English; text.",
            "Mr. Smith went to Washington. He said \"Yes.\" Then left! and more? Yes… Done.",
            "营收增长;净利润下降。Sales rose 3 pct; profit fell. J. Smith (Corp.) said. 3.5 pct.",
            "结尾没有标点", "", "\n\n。。", "What?! \"Quoted.\" 'Single.' A.B. C. d. …… end;",
            "全角！问号？分号；省略……”）】》 after",
        ];
        for t in texts {
            assert_eq!(split_at_end_marks(t, true), split_by_chars(t), "{t:?}");
        }
    }

    proptest::proptest! {
        // Characters sharing the end marks' lead bytes (0xE2, 0xE3, 0xEF) beside the marks.
        #[test]
        fn byte_skipping_cuts_where_the_character_scan_cut_random(
            text in "([。！？；…、《》“”「」〇\u{3400}，（）\u{2014}\u{FF5E}]|[一二三a-zA-Z .!?;\"]|\n){0,60}"
        ) {
            proptest::prop_assert_eq!(split_at_end_marks(&text, true), split_by_chars(&text));
        }
    }

    fn sents(t: &str) -> Vec<&str> {
        split_sentences(t)
            .into_iter()
            .map(|(s, e)| &t[s..e])
            .collect()
    }

    #[test]
    fn chinese() {
        assert_eq!(
            sents("他说:“我们已加入。”随后离开。"),
            vec!["他说:“我们已加入。”", "随后离开。"]
        );
        assert_eq!(sents("第一行\n第二行"), vec!["第一行", "第二行"]);
        assert_eq!(
            sents("营收增长;净利润下降。"),
            vec!["营收增长;", "净利润下降。"]
        );
        assert_eq!(
            sents("Sales rose 3 pct; profit fell."),
            vec!["Sales rose 3 pct; profit fell."]
        );
    }

    #[test]
    fn long_runs_are_cut_at_clause_marks() {
        let clause = "王伟出任华腾科技集团总裁，";
        let text = clause.repeat(400);
        let spans = split_sentences(&text);
        assert!(spans.len() > 1);
        for &(s, e) in &spans {
            assert!(e - s <= MAX_SENTENCE_BYTES, "{}", e - s);
            assert!(text[s..e].ends_with('，'), "cut inside a clause");
        }
        // Nothing is lost between the pieces.
        assert_eq!(spans.first().map(|s| s.0), Some(0));
        assert_eq!(spans.last().map(|s| s.1), Some(text.len()));
        for w in spans.windows(2) {
            assert_eq!(w[0].1, w[1].0);
        }
        // No clause mark and no space: cut at a character boundary.
        let run = "中".repeat(2000);
        let spans = split_sentences(&run);
        assert!(spans.iter().all(|&(s, e)| e - s <= MAX_SENTENCE_BYTES));
        assert_eq!(spans.iter().map(|s| s.1 - s.0).sum::<usize>(), run.len());
        // English words stay whole.
        let words = "bought ".repeat(400);
        for (s, e) in split_sentences(&words) {
            assert!(words[s..e].ends_with("bought"), "{}", &words[s..e]);
        }
    }

    #[test]
    fn english() {
        assert_eq!(
            sents("Mr. Smith joined Acme Corp. in 2020. He left. Revenue was 3.5 mln dlrs."),
            vec![
                "Mr. Smith joined Acme Corp. in 2020.",
                "He left.",
                "Revenue was 3.5 mln dlrs."
            ]
        );
        assert_eq!(
            sents("The U.S. economy grew. J. Smith said so."),
            vec!["The U.S. economy grew.", "J. Smith said so."]
        );
        // A name's closing abbreviation ends the sentence before a word that opens one.
        assert_eq!(
            sents("Acme agreed to buy Beta Inc. The deal closed. Beta Inc. Chairman Doe left."),
            vec!["Acme agreed to buy Beta Inc.", "The deal closed.", "Beta Inc. Chairman Doe left."]
        );
        // The trainer's gold sentence is one sentence.
        let gold = "Acme agreed to buy Beta Inc. The deal closed.";
        assert_eq!(split_whole_sentences(gold), vec![(0, gold.len())]);
    }
}
