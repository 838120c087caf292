//! Latin-script names: inside Chinese text (`Scale AI`, `OpenAI`, `xAI`, `Eugene Ling`,
//! `TBD Labs`) and, with more caution, in English sentences (`Mr. Smith`, `Wrather Corp`).
//!
//! Capitalised and CamelCase words joined by single spaces (and connectors such as `of`,
//! `and`) form name spans; titles, honorifics and listed non-entities split them. Each part
//! is typed by its own shape (corporate suffix, given name) and its context: a title right
//! before makes a PERSON (传播副总裁Tom Channick), a title or an organisation word right after
//! makes an ORG (Mercor的CEO, Alphabet旗下), `X和Y等…服务商` types a list. In Chinese text a
//! lone capitalised word without cues is a weak ORG (coreference may join it to a person's
//! full name); in English sentences untyped names are left to the tagger, except short forms
//! of names the rules did type (`Wrather` after `Wrather Corp`, `Jacobs` after `Irwin Jacobs`).

use super::cues::{self, cues, ends_with_any, starts_with_any};
use super::filters;
use super::gazetteer::gazetteer;
use crate::document::EntityType;
use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};
use crate::segment::Segmented;

/// Whether `s` is only initials (`A.`, `A.L.`, `J.R.R.`).
fn is_initials(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=6).contains(&b.len())
        && b.chunks(2)
            .all(|c| matches!(c, [l, b'.'] if l.is_ascii_uppercase()))
}

/// Joins a person that is only initials to the person right after it (`A.L.` and
/// `Hutchinson Jr.` are `A.L. Hutchinson Jr.`): initials stand before the name they belong
/// to, never as a name of their own (CoNLL-2003 train and dev: 355 person names open with
/// initials, none is initials alone before another person). `mentions` are arbitrated:
/// sorted, not overlapping.
pub(crate) fn join_initials(text: &str, mentions: &mut Vec<MentionCandidate>) {
    // One pass that keeps each mention or widens the last kept one over it (no removal in
    // the middle of the list, which would cost a shift per join).
    let mut kept: usize = 0;
    for i in 0..mentions.len() {
        let joins = kept > 0 && {
            let (a, b) = (&mentions[kept - 1], &mentions[i]);
            a.kind == EntityType::Person
                && b.kind == EntityType::Person
                && text.get(a.nspan.0..a.nspan.1).is_some_and(is_initials)
                && text.get(a.nspan.1..b.nspan.0) == Some(" ")
        };
        if joins {
            let (end, score) = (mentions[i].nspan.1, mentions[i].score);
            let a = &mut mentions[kept - 1];
            a.nspan.1 = end;
            a.score = a.score.max(score);
        } else {
            mentions.swap(kept, i);
            kept += 1;
        }
    }
    mentions.truncate(kept);
}

/// A Latin word: byte span in the normalised text.
#[derive(Debug, Clone, Copy)]
struct Word {
    s: usize,
    e: usize,
    /// Followed by a possessive `'s`: it ends the name unless a corporate suffix follows
    /// (`Moody's Investors Service Inc`).
    possessive: bool,
}

/// What split a span right before or after a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    None,
    Title,
    Honorific,
}

/// A candidate name: a run of words of one span.
#[derive(Debug, Clone)]
struct Part {
    first: usize,
    last: usize,
    before: Cue,
    after: Cue,
    english: bool,
    typed: Option<(EntityType, f32)>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Bytes a block of [`next_word_byte`] tests at once.
const WORD_BLOCK: usize = 32;

/// The offset of the first word byte of `r`: what `r.iter().position(is_word_byte)` finds.
/// Whole blocks are tested first without an early exit, which compiles to vector compares:
/// a Chinese text, whose bytes are none of them word bytes, costs about an instruction a
/// byte instead of ten.
fn next_word_byte(r: &[u8]) -> Option<usize> {
    let mut start = 0;
    for block in r.chunks_exact(WORD_BLOCK) {
        if block.iter().fold(false, |any, &x| any | is_word_byte(x)) {
            break;
        }
        start += WORD_BLOCK;
    }
    let skip = r.get(start..)?.iter().position(|&x| is_word_byte(x))?;
    Some(start + skip)
}

/// All Latin words of `text`, in order.
fn words(text: &str) -> Vec<Word> {
    let b = text.as_bytes();
    let c = cues();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // To the next word byte in one tight search (a Chinese text is mostly bytes of Han
        // characters, none of them a word byte).
        match b.get(i..).and_then(next_word_byte) {
            Some(skip) => i += skip,
            None => break,
        }
        let s = i;
        let mut possessive = false;
        while i < b.len() {
            if is_word_byte(b[i]) {
                i += 1;
                continue;
            }
            let next_is_word = b.get(i + 1).is_some_and(|&n| is_word_byte(n));
            if b[i] == b'\''
                && matches!(b.get(i + 1), Some(b's'))
                && !b.get(i + 2).is_some_and(|&n| is_word_byte(n))
            {
                possessive = true;
                break;
            }
            if matches!(b[i], b'-' | b'\'' | b'.' | b'&') && next_is_word {
                i += 1;
                continue;
            }
            break;
        }
        let mut e = i;
        if b.get(e) == Some(&b'.') {
            let w = &text[s..e];
            let dotted = &text[s..e + 1];
            let initial = w.len() == 1 && w.as_bytes()[0].is_ascii_uppercase();
            if c.honorifics.contains(dotted)
                || c.org_suffix.contains(dotted)
                || w.contains('.')
                || initial
            {
                e += 1;
            }
        }
        out.push(Word { s, e, possessive });
        i = if possessive { e + 2 } else { e.max(i) };
    }
    out
}

fn is_upper_initial(w: &str) -> bool {
    w.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
}

/// `xAI`, `eBay`, `iPhone`: lowercase start, an uppercase letter later.
fn is_lower_camel(w: &str) -> bool {
    w.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && w.bytes().skip(1).any(|b| b.is_ascii_uppercase())
}

/// `OpenAI`, `LinkedIn`: an uppercase letter after a lowercase one.
fn is_camel(w: &str) -> bool {
    w.as_bytes()
        .windows(2)
        .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
}

fn is_all_caps(w: &str) -> bool {
    w.bytes().any(|b| b.is_ascii_uppercase()) && !w.bytes().any(|b| b.is_ascii_lowercase())
}

/// `Channick`: an uppercase letter, then only lowercase letters.
fn is_title_case(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_uppercase()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_lowercase() || *c == b'-' || *c == b'\'')
}

fn is_name_like(w: &str) -> bool {
    is_upper_initial(w) || is_lower_camel(w)
}

/// Whether each sentence reads as English (few or no Han characters).
struct Modes<'a> {
    text: &'a str,
    seg: &'a Segmented,
    cache: Vec<Option<bool>>,
}

impl Modes<'_> {
    fn english_at(&mut self, at: usize) -> bool {
        let idx = self.seg.sentence_index(at);
        let span = idx
            .and_then(|i| self.seg.sentences.get(i).copied())
            .unwrap_or((0, self.text.len()));
        let slot = idx.unwrap_or(self.cache.len().saturating_sub(1));
        if let Some(Some(v)) = self.cache.get(slot) {
            return *v;
        }
        let s = self.text.get(span.0..span.1).unwrap_or("");
        let (mut han, mut letters) = (0usize, 0usize);
        for ch in s.chars() {
            if is_han(ch) {
                han += 1;
            } else if ch.is_ascii_alphabetic() {
                letters += 1;
            }
        }
        let english = han * 10 < letters;
        if let Some(c) = self.cache.get_mut(slot) {
            *c = Some(english);
        }
        english
    }
}

/// Pushes candidates for Latin-script names in `text`.
pub fn find(text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
    let ws = words(text);
    if ws.is_empty() {
        return;
    }
    let mut modes = Modes {
        text,
        seg,
        cache: vec![None; seg.sentences.len().max(1)],
    };
    let mut parts = Vec::new();
    let c = cues();
    let w = |i: usize| -> &str { ws.get(i).map(|w| &text[w.s..w.e]).unwrap_or("") };
    let gap = |i: usize| -> &str {
        ws.get(i)
            .zip(ws.get(i + 1))
            .and_then(|(a, b)| text.get(a.e..b.s))
            .unwrap_or("")
    };
    let mut i = 0;
    while i < ws.len() {
        if !is_name_like(w(i)) {
            i += 1;
            continue;
        }
        let english = modes.english_at(ws[i].s);
        // Extend the span over single spaces, connectors and (in English) `(Word)`.
        let mut j = i;
        while j + 1 < ws.len() {
            let g = gap(j);
            let next = w(j + 1);
            let joins = if ws[j].possessive {
                english && g == "'s "
            } else {
                g == " " || (english && (g == " (" || g == ") "))
            };
            if joins && is_name_like(next) {
                j += 1;
            } else if g == " "
                && (c.connector.contains(next) || next == "&")
                && j + 2 < ws.len()
                && gap(j + 1) == " "
                && is_name_like(w(j + 2))
                // `Johnson Controls Inc and Lear Corp` is two names; `Lynn Reaser of Barnett
                // Banks` is a person and an organisation (`of` joins after one word only:
                // `Bank of America`).
                && !c.org_suffix.contains(w(j))
                && !c.given.contains(w(i))
                && (j == i || matches!(next, "and" | "&"))
            {
                j += 2;
            } else {
                break;
            }
        }
        split_span(text, &ws, i, j, english, &mut parts);
        i = j + 1;
    }
    for p in &mut parts {
        p.typed = if p.english {
            classify_english(text, &ws, p)
        } else {
            classify_embedded(text, &ws, p)
        };
    }
    coordinate(text, &ws, &mut parts);
    drop_unsupported_guesses(text, &ws, &mut parts);
    propagate_short_forms(text, &ws, &mut parts);
    for p in &parts {
        if let Some((kind, score)) = p.typed {
            let span = (ws[p.first].s, ws[p.last].e);
            out.push(MentionCandidate {
                nspan: span,
                kind,
                score,
                source: MentionSource::Rule,
            });
        }
    }
}

/// Splits words `i..=j` at titles, honorifics and (English) leading stop words. Listed
/// non-entities do not split a name (`North American Coal Corp`); alone they are dropped.
fn split_span(text: &str, ws: &[Word], i: usize, j: usize, english: bool, parts: &mut Vec<Part>) {
    let c = cues();
    let mut before = Cue::None;
    let mut start: Option<usize> = None;
    for k in i..=j {
        let wk = &text[ws[k].s..ws[k].e];
        let cue = if c.honorifics.contains(wk) {
            Some(Cue::Honorific)
        } else if c.title_set.contains(wk) {
            Some(Cue::Title)
        } else if english && start.is_none() && c.stop.contains(wk) {
            Some(Cue::None)
        } else {
            None
        };
        match cue {
            Some(cue) => {
                if let Some(s) = start.take() {
                    push_part(text, ws, s, k - 1, before, cue, english, parts);
                }
                before = cue;
            }
            None => {
                if start.is_none() {
                    start = Some(k);
                }
            }
        }
    }
    if let Some(s) = start {
        push_part(text, ws, s, j, before, Cue::None, english, parts);
    }
}

#[allow(clippy::too_many_arguments)]
fn push_part(
    text: &str,
    ws: &[Word],
    mut first: usize,
    mut last: usize,
    before: Cue,
    after: Cue,
    english: bool,
    parts: &mut Vec<Part>,
) {
    let c = cues();
    // Connectors never start or end a name.
    while first < last && c.connector.contains(&text[ws[first].s..ws[first].e]) {
        first += 1;
    }
    while last > first && c.connector.contains(&text[ws[last].s..ws[last].e]) {
        last -= 1;
    }
    // In English, a given name inside a run starts a new name (`State John Kornblum`).
    if english {
        if let Some(k) =
            (first + 1..=last).find(|&k| c.given.contains(&text[ws[k].s..ws[k].e]) && k < last)
        {
            parts.push(Part {
                first,
                last: k - 1,
                before,
                after: Cue::None,
                english,
                typed: None,
            });
            parts.push(Part {
                first: k,
                last,
                before: Cue::None,
                after,
                english,
                typed: None,
            });
            return;
        }
    }
    // A possessive ends the name unless the name ends with a corporate suffix.
    let suffixed = c.org_suffix.contains(&text[ws[last].s..ws[last].e]);
    if let Some(k) = (first..last)
        .find(|&k| ws[k].possessive)
        .filter(|_| !suffixed)
    {
        parts.push(Part {
            first,
            last: k,
            before,
            after: Cue::None,
            english,
            typed: None,
        });
        parts.push(Part {
            first: k + 1,
            last,
            before: Cue::None,
            after,
            english,
            typed: None,
        });
        return;
    }
    // A parenthesised word belongs to the name only when a corporate suffix ends it.
    let span = &text[ws[first].s..ws[last].e];
    if span.contains('(') && !c.org_suffix.contains(&text[ws[last].s..ws[last].e]) {
        let cut = (first..=last)
            .find(|&k| text[ws[k].e..].starts_with(" ("))
            .unwrap_or(last);
        last = cut;
    }
    parts.push(Part {
        first,
        last,
        before,
        after,
        english,
        typed: None,
    });
}

fn part_words<'t>(text: &'t str, ws: &[Word], p: &Part) -> impl Iterator<Item = &'t str> + Clone {
    let slice: Vec<&'t str> = (p.first..=p.last)
        .map(|k| &text[ws[k].s..ws[k].e])
        .filter(|w| *w != "(")
        .collect();
    slice.into_iter()
}

fn org_noun_after_deng(after: &str) -> bool {
    let Some(rest) = after.strip_prefix('等') else {
        return false;
    };
    // The list's head noun within a few characters, before any punctuation.
    let window: String = rest
        .chars()
        .take_while(|c| !matches!(c, ',' | '。' | ';' | ':' | '!' | '?' | '\n'))
        .take(10)
        .collect();
    cues().org_noun.iter().any(|n| window.contains(n))
}

/// Types a name inside Chinese text. Scores: a strong cue (title before, corporate suffix)
/// lets the full name beat a partial tagger span; a bare capitalised word is a weak guess.
fn classify_embedded(text: &str, ws: &[Word], p: &Part) -> Option<(EntityType, f32)> {
    let c = cues();
    let (s, e) = (ws[p.first].s, ws[p.last].e);
    let surface = &text[s..e];
    if filters::reject(surface) {
        return None;
    }
    let words: Vec<&str> = part_words(text, ws, p).collect();
    let n = words.len();
    let (first, last) = (
        words.first().copied().unwrap_or(""),
        words.last().copied().unwrap_or(""),
    );
    let before = text[..s].trim_end_matches(' ');
    let after = text[e..].trim_start_matches(' ');
    let after_de = after.strip_prefix('的').unwrap_or(after);
    if p.before == Cue::Honorific || p.before == Cue::Title || cues::title_before(text, s) {
        return Some((EntityType::Person, 0.95));
    }
    if n >= 2 && c.org_suffix.contains(last) {
        return Some((EntityType::Org, 0.95));
    }
    if let Some(kind) = gloss_of(text, s, e) {
        return Some((kind, 0.85));
    }
    if n == 1 && camel_person(first) {
        return Some((EntityType::Person, 0.7));
    }
    if p.after == Cue::Title || cues::title_after(text, e) {
        return Some((EntityType::Org, 0.9));
    }
    if starts_with_any(after, &c.org_suffix_zh).is_some()
        || starts_with_any(after_de, &c.org_after).is_some()
        || ends_with_any(before, &c.org_before).is_some()
    {
        return Some((EntityType::Org, 0.8));
    }
    if org_noun_after_deng(after) {
        return Some((EntityType::Org, 0.75));
    }
    if starts_with_any(after, &c.loc_after).is_some() {
        return Some((EntityType::Loc, 0.7));
    }
    if (2..=3).contains(&n)
        && c.given.contains(first)
        && words
            .iter()
            .all(|w| is_title_case(w) || is_all_caps(w) && w.len() == 2)
    {
        return Some((EntityType::Person, 0.8));
    }
    match n {
        1 if is_all_caps(first) => None,
        1 if is_camel(first) || is_lower_camel(first) => Some((EntityType::Org, 0.6)),
        1 => Some((EntityType::Org, 0.45)),
        2 if words.iter().all(|w| is_title_case(w)) => Some((EntityType::Person, 0.5)),
        _ => Some((EntityType::Org, 0.5)),
    }
}

/// A Latin gloss in brackets after a Chinese name, 德米特·列维特(DmitryLevit) or
/// 奥纬咨询公司(OliverWyman), names what the Chinese name names.
fn gloss_of(text: &str, s: usize, e: usize) -> Option<EntityType> {
    let before = text[..s].strip_suffix('(')?;
    if !text[e..].starts_with(')') {
        return None;
    }
    let tail: String = {
        let mut t: Vec<char> = before
            .chars()
            .rev()
            .take_while(|&c| is_han(c) || c == '·')
            .take(12)
            .collect();
        t.reverse();
        t.into_iter().collect()
    };
    if tail.contains('·') {
        return Some(EntityType::Person);
    }
    let c = cues();
    if ends_with_any(&tail, &c.org_suffix_zh).is_some()
        || ends_with_any(&tail, &c.org_head).is_some()
    {
        return Some(EntityType::Org);
    }
    None
}

/// `PhilPomford`: a given name run together with a surname (spaces lost in scraping).
fn camel_person(w: &str) -> bool {
    let Some(cut) = w
        .as_bytes()
        .windows(2)
        .position(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
    else {
        return false;
    };
    let (given, rest) = w.split_at(cut + 1);
    cues().given.contains(given) && is_title_case(rest)
}

/// Types a name in an English sentence. Scores stay below the tagger's: where they
/// conflict, the tagger, which read the whole sentence, wins.
fn classify_english(text: &str, ws: &[Word], p: &Part) -> Option<(EntityType, f32)> {
    let c = cues();
    let (s, e) = (ws[p.first].s, ws[p.last].e);
    let surface = &text[s..e];
    if filters::reject(surface) || gazetteer().lookup(surface).is_some() {
        return None;
    }
    let words: Vec<&str> = part_words(text, ws, p).collect();
    let n = words.len();
    let (first, last) = (
        words.first().copied().unwrap_or(""),
        words.last().copied().unwrap_or(""),
    );
    if words.iter().all(|w| is_all_caps(w)) && n > 1 && !c.org_suffix.contains(last) {
        return None;
    }
    if n >= 2 && c.loc_suffix.contains(last) {
        return Some((EntityType::Loc, 0.55));
    }
    if p.before == Cue::Honorific && n <= 3 {
        return Some((EntityType::Person, 0.6));
    }
    if n >= 2 && c.org_suffix.contains(last) {
        return Some((EntityType::Org, 0.6));
    }
    if (p.before == Cue::Title || cues::title_before(text, s))
        && (2..=3).contains(&n)
        && words.iter().all(|w| is_title_case(w))
    {
        return Some((EntityType::Person, 0.55));
    }
    if (2..=3).contains(&n)
        && c.given.contains(first)
        && words
            .iter()
            .skip(1)
            .all(|w| is_title_case(w) || w.len() == 2)
    {
        return Some((EntityType::Person, 0.5));
    }
    None
}

/// `X和Y`, `X、Y`: a weakly typed name next to a strongly typed one takes its type.
fn coordinate(text: &str, ws: &[Word], parts: &mut [Part]) {
    const JOINERS: [&str; 8] = ["和", "与", "及", "以及", "、", "或", "跟", "同"];
    let strong = |text: &str, p: &Part| -> Option<EntityType> {
        if let Some((_, e)) = gazetteer().lookup(&text[ws[p.first].s..ws[p.last].e]) {
            return Some(e.kind);
        }
        p.typed.filter(|t| t.1 >= 0.7).map(|t| t.0)
    };
    for _ in 0..2 {
        for k in 0..parts.len() {
            if parts[k].english || parts[k].typed.is_none_or(|t| t.1 >= 0.7) {
                continue;
            }
            let mut adopt = None;
            for n in [k.wrapping_sub(1), k + 1] {
                let Some(other) = parts.get(n) else { continue };
                let (a, b) = if n < k {
                    (ws[other.last].e, ws[parts[k].first].s)
                } else {
                    (ws[parts[k].last].e, ws[other.first].s)
                };
                let between = text.get(a..b).unwrap_or("").trim();
                if JOINERS.contains(&between) {
                    adopt = adopt.or(strong(text, other));
                }
            }
            if let Some(kind) = adopt {
                parts[k].typed = Some((kind, 0.7));
            }
        }
    }
}

/// A bare capitalised word in Chinese text typed by no cue (`Chicken`) stays only when the
/// document supports it: the same word typed by a cue elsewhere, or a word of a longer
/// typed name (`Ling` of `Eugene Ling`), which coreference will join.
fn drop_unsupported_guesses(text: &str, ws: &[Word], parts: &mut [Part]) {
    const GUESS: f32 = 0.5;
    let surface = |p: &Part| &text[ws[p.first].s..ws[p.last].e];
    let mut supported: Vec<&str> = Vec::new();
    for p in parts
        .iter()
        .filter(|p| p.typed.is_some_and(|t| t.1 > GUESS))
    {
        supported.push(surface(p));
        if p.last > p.first {
            supported.extend((p.first..=p.last).map(|k| &text[ws[k].s..ws[k].e]));
        }
    }
    for p in parts.iter_mut() {
        if !p.english
            && p.first == p.last
            && p.typed.is_some_and(|t| t.1 < GUESS)
            && !supported.contains(&surface(p))
        {
            p.typed = None;
        }
    }
}

/// Short forms of names the rules typed: the words before a corporate suffix and the first
/// word of an ORG (`Industrial Equity`, `Wrather`), the surname of a PERSON (`Jacobs`). In
/// English sentences untyped parts equal to one of them take its type.
fn propagate_short_forms(text: &str, ws: &[Word], parts: &mut [Part]) {
    let c = cues();
    let mut keys: Vec<(&str, EntityType)> = Vec::new();
    for p in parts.iter() {
        let Some((kind, _)) = p.typed else { continue };
        if p.last == p.first {
            continue;
        }
        let first = &text[ws[p.first].s..ws[p.first].e];
        match kind {
            EntityType::Org => {
                let mut end = p.last;
                while end > p.first && c.org_suffix.contains(&text[ws[end].s..ws[end].e]) {
                    end -= 1;
                }
                if let Some(cut) = (p.first..end).find(|&k| text[ws[k].e..].starts_with(" (")) {
                    end = cut;
                }
                keys.push((&text[ws[p.first].s..ws[end].e], kind));
                let generic = c.org_suffix.contains(first)
                    || c.stop.contains(first)
                    || c.given.contains(first)
                    || first.len() < 3;
                if !generic {
                    keys.push((first, kind));
                }
            }
            EntityType::Person => keys.push((&text[ws[p.last].s..ws[p.last].e], kind)),
            EntityType::Loc => {}
        }
    }
    if keys.is_empty() {
        return;
    }
    for p in parts.iter_mut() {
        if p.typed.is_some() || !p.english {
            continue;
        }
        let surface = &text[ws[p.first].s..ws[p.last].e];
        if let Some((_, kind)) = keys.iter().find(|(k, _)| *k == surface) {
            p.typed = Some((*kind, 0.5));
        }
    }
}

#[cfg(test)]
mod tests {
    /// The block test finds the first word byte where a search byte by byte does, before,
    /// inside and after whole blocks.
    #[test]
    fn next_word_byte_is_the_first_word_byte() {
        let han = "中文新闻".repeat(30);
        for word_at in [0, 1, 31, 32, 33, 64, 100, 300, 359, 360] {
            let mut text = han.as_bytes().to_vec();
            if word_at < text.len() {
                text[word_at] = b'a';
            }
            for from in [0, 5, 40] {
                let r = text.get(from..).unwrap_or(&[]);
                let plain = r.iter().position(|&x| super::is_word_byte(x));
                assert_eq!(super::next_word_byte(r), plain, "{word_at} {from}");
            }
        }
        assert_eq!(super::next_word_byte(b""), None);
        assert_eq!(super::next_word_byte(b" ,Z"), Some(2));
    }

    use super::*;
    use crate::segment::segment;

    fn found(text: &str) -> Vec<(String, EntityType)> {
        let seg = segment(text, true);
        let mut out = Vec::new();
        find(text, &seg, &mut out);
        out.iter()
            .map(|m| (text[m.nspan.0..m.nspan.1].to_string(), m.kind))
            .collect()
    }

    fn has(f: &[(String, EntityType)], name: &str, kind: EntityType) -> bool {
        f.iter().any(|(n, k)| n == name && *k == kind)
    }

    #[test]
    fn latin_names_inside_chinese() {
        let f = found("创业公司Vantix Labs的联合创始人Daniel Okafor表示,Vantix Labs的CEO正与Quorra和Brightline等数据服务商谈判。");
        assert!(has(&f, "Vantix Labs", EntityType::Org), "{f:?}");
        assert!(has(&f, "Daniel Okafor", EntityType::Person), "{f:?}");
        assert!(has(&f, "Brightline", EntityType::Org), "{f:?}");
        assert!(has(&f, "Quorra", EntityType::Org), "{f:?}");
    }

    #[test]
    fn a_name_a_deal_was_done_on() {
        // 投资的X, 收购了X: what was invested in or bought is an organisation.
        let f = found("软银投资的Zorvo正在洽谈,而Quenta收购了Halvik。");
        assert!(has(&f, "Zorvo", EntityType::Org), "{f:?}");
        assert!(has(&f, "Halvik", EntityType::Org), "{f:?}");
        assert!(found("他喜欢的Zorvo很好。").is_empty());
    }

    #[test]
    fn titles_split_and_type() {
        let f = found("Helix的CEO会见了营销副总裁Ann Ortega和Pixelworks CEO Brandon Ruiz。");
        assert!(has(&f, "Helix", EntityType::Org), "{f:?}");
        assert!(has(&f, "Ann Ortega", EntityType::Person), "{f:?}");
        assert!(has(&f, "Pixelworks", EntityType::Org), "{f:?}");
        assert!(has(&f, "Brandon Ruiz", EntityType::Person), "{f:?}");
        assert!(!f.iter().any(|(n, _)| n.contains("CEO")), "{f:?}");
    }

    #[test]
    fn camel_case_and_products() {
        let f = found("据GitLab披露,该公司用GPT-4o和iPhone测试,X平台上也有讨论。");
        assert!(has(&f, "GitLab", EntityType::Org), "{f:?}");
        assert!(
            !f.iter()
                .any(|(n, _)| n == "GPT-4o" || n == "iPhone" || n == "X"),
            "{f:?}"
        );
        // A bare word with no cue and no support is no guess at all.
        assert!(found("今天吃了Chicken,很好。").is_empty());
        let f = found("Vexa指控对手。Vexa公司回应。");
        assert_eq!(f.iter().filter(|(n, _)| n == "Vexa").count(), 2, "{f:?}");
    }

    #[test]
    fn glosses_and_run_together_names() {
        let f =
            found("分析师邓肯·伍兹(DuncanWoods)说,奥纬咨询公司(OliverWyman)和PhilPomford都同意。");
        assert!(has(&f, "DuncanWoods", EntityType::Person), "{f:?}");
        assert!(has(&f, "OliverWyman", EntityType::Org), "{f:?}");
        assert!(has(&f, "PhilPomford", EntityType::Person), "{f:?}");
    }

    #[test]
    fn english_cues() {
        let f = found("Brierley Investments Ltd said Mr. Alan Hawkes, chairman of Tasman Holdings Corp, met Dr. Kim. Later Brierley Investments sold shares to Tasman Holdings. The company said sales rose.");
        assert!(
            has(&f, "Brierley Investments Ltd", EntityType::Org),
            "{f:?}"
        );
        assert!(has(&f, "Alan Hawkes", EntityType::Person), "{f:?}");
        assert!(has(&f, "Tasman Holdings Corp", EntityType::Org), "{f:?}");
        assert!(has(&f, "Kim", EntityType::Person), "{f:?}");
        assert!(has(&f, "Brierley Investments", EntityType::Org), "{f:?}");
        assert!(!f.iter().any(|(n, _)| n == "The" || n == "Later"), "{f:?}");
        let f = found("Johnson Controls Inc and Lear Corp hired Lynn Reaser of Barnett Banks Inc, said Secretary of State John Kornblum on Grace Road.");
        assert!(
            has(&f, "Johnson Controls Inc", EntityType::Org)
                && has(&f, "Lear Corp", EntityType::Org),
            "{f:?}"
        );
        assert!(
            has(&f, "Barnett Banks Inc", EntityType::Org)
                && !f.iter().any(|(n, _)| n.contains(" of ")),
            "{f:?}"
        );
        assert!(has(&f, "John Kornblum", EntityType::Person), "{f:?}");
        assert!(has(&f, "Grace Road", EntityType::Loc), "{f:?}");
        let f = found("Moody's Investors Service Inc said North American Coal Corp and First Union Corp sold Fry's stores. Later Fry's Food Stores Inc said so.");
        assert!(
            has(&f, "Moody's Investors Service Inc", EntityType::Org),
            "{f:?}"
        );
        assert!(
            has(&f, "North American Coal Corp", EntityType::Org),
            "{f:?}"
        );
        assert!(has(&f, "First Union Corp", EntityType::Org), "{f:?}");
        assert!(has(&f, "Fry's Food Stores Inc", EntityType::Org), "{f:?}");
    }

    #[test]
    fn parenthesised_word_inside_an_org_name() {
        let f = found("Industrial Equity (Pacific) Ltd, a Hong Kong investment firm, said it raised its stake. Industrial Equity said it bought shares.");
        assert!(
            has(&f, "Industrial Equity (Pacific) Ltd", EntityType::Org),
            "{f:?}"
        );
        assert!(has(&f, "Industrial Equity", EntityType::Org), "{f:?}");
    }

    /// Initials standing alone before a person's name join it; anything else stays.
    #[test]
    fn initials_join_the_name_after_them() {
        let text = "executive vice president A.L. Hutchinson Jr. and J. Smith met U.S. Steel.";
        let at = |w: &str| {
            let s = text.find(w).expect("in text");
            (s, s + w.len())
        };
        let m = |w: &str, kind: EntityType| crate::recognize::entity::test_mention(at(w), kind);
        let mut ms = vec![
            m("A.L.", EntityType::Person),
            m("Hutchinson Jr.", EntityType::Person),
            m("J.", EntityType::Person),
            m("Smith", EntityType::Person),
            m("U.S.", EntityType::Loc),
            m("Steel", EntityType::Org),
        ];
        join_initials(text, &mut ms);
        let got: Vec<&str> = ms.iter().map(|m| &text[m.nspan.0..m.nspan.1]).collect();
        assert_eq!(got, ["A.L. Hutchinson Jr.", "J. Smith", "U.S.", "Steel"]);
        assert!(is_initials("A.") && is_initials("J.R.R.") && !is_initials("Jr.") && !is_initials("AL"));
    }

}
