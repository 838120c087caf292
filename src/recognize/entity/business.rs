//! Company names read from business context. News names today's companies by brands that
//! the 1998-newspaper tagger and jieba's dictionary do not know (淘集集, 税友软件, 赣锋锂业):
//! jieba cuts them into unknown pieces, often tagged as verbs or person names. Where the
//! context can only be said of a company, such a run of words is an organisation:
//!
//! - right before a business predicate (`biz_after` of `data/entity_cues.tsv`: 营收, 亏损,
//!   估值, 融资, 旗下, 上市, 收购 ...): `淘集集已经亏损`, `税友软件的估值`, with at most one
//!   adverb or 的 between (已经, 也, 的);
//! - right before a stock code: `赣锋锂业(002460.SZ)`, `畅游(Nasdaq:CYOU)`;
//! - right after a deal verb (`biz_object`: 收购了, 入股, 投资过, 受让 ...), and every name
//!   listed with it (`投资过汉拿山、英雄互娱等`).
//!
//! A run is taken only when it looks like a name: whole Han/Latin words, no function words,
//! no class noun (公司, 巨头), at most three words and two to eight characters, and at least
//! one word that jieba's dictionary lacks or tags as a proper noun (a common noun such as
//! 用户 or 市场 before 亏损 is no company). One two- or three-character word tagged as a
//! person name is left to the person rules. Every other occurrence of a name found here is
//! marked too, so a later bare mention (三七互娱 in the next clause) joins the entity.

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::cues::{cues, BmpBits};
use crate::document::EntityType;
use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};
use crate::segment::{jieba, Segmented, Token};

const MAX_WORDS: usize = 3;
const MAX_CHARS: usize = 8;
/// Confidence of a name read from business context: above the tagger's doubtful pieces,
/// below its confident names and the registered-name rule.
const SCORE: f32 = 0.9;
/// Confidence of such a name when it opens with a place (新加坡电信).
const PLACE_LED_SCORE: f32 = 0.995;
/// Confidence of a further occurrence of such a name.
const OTHER_SCORE: f32 = 0.7;

/// A stock code in brackets right after a name.
/// Compiles this module's patterns and its cue table (see [`super::warm`]).
pub(crate) fn warm() {
    for re in [
        &STOCK_CODE,
        &TICKER,
        &BRACKETED,
        &LATIN_DEAL_OBJECT,
        &INVESTOR_LIST,
    ] {
        LazyLock::force(re);
    }
    let _ = cue_matcher();
}

static STOCK_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(\s*(?:\d{6}\.(?:SZ|SH|BJ|sz|sh)|\d{4,5}\.(?:HK|hk)|(?:[A-Za-z]+|纳斯达克|纽交所|港交所|上交所|深交所)\s*[:：]\s*[A-Z][A-Z.]{0,6}\d*)\s*\)")
        .expect("the stock-code pattern is fixed")
});

/// Whether `after` opens with a bracketed stock code (`(002460.SZ)`, `(Nasdaq:CYOU)`).
pub fn stock_code_at(after: &str) -> bool {
    STOCK_CODE.is_match(after)
}

/// jieba tags of words that never stand inside a brand name: the function words of a
/// registered company name ([`super::company::stops_a_name`], minus plain verbs, which jieba
/// gives to unknown brand pieces and [`Piece::can_be_in_name`] judges by the dictionary),
/// and time words, numerals, measure words, adjectives and idioms.
fn function_word(pos: &str) -> bool {
    (super::company::stops_a_name(pos) && !matches!(pos, "v" | "vd" | "vi"))
        || matches!(
            pos,
            "t" | "tg" | "m" | "mq" | "q" | "w" | "a" | "ad" | "an" | "s" | "l" | "i"
        )
}

/// Most words that may stand between a name and its predicate.
const MAX_BRIDGE: usize = 5;

/// Time words, numbers and amounts bridge too (2025年第二季度, 11亿元 B轮).
fn bridges(p: &Piece<'_>) -> bool {
    cues().link_word.contains(&p.word)
        || matches!(p.pos, "t" | "tg" | "m" | "mq" | "q")
        || ["年", "月", "日", "季度", "轮"]
            .iter()
            .any(|w| p.word.ends_with(w))
        || (p.word.len() <= 3 && p.word.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The first word of the bridge ending at word `i` (the predicate): where the name ends.
fn bridge_start(ps: &[Piece<'_>], i: usize) -> usize {
    let mut j = i;
    while j > 0 && i - j < MAX_BRIDGE && bridges(&ps[j - 1]) {
        j -= 1;
    }
    // A bridge made of nothing but the name's own last word is no bridge.
    if j < i && name_ending_at(ps, i).is_some() && name_ending_at(ps, j).is_none() {
        return i;
    }
    j
}

struct Piece<'a> {
    word: &'a str,
    pos: &'static str,
    start: usize,
    end: usize,
    /// The answers of [`Piece::can_be_in_name`] and [`Piece::is_proper`] once asked
    /// ([`KNOWN_IN_NAME`] and the other bits): a name is tried at up to three starts and
    /// again for the bridge before it, so a piece is asked the same question several times,
    /// each time with dictionary and list look-ups.
    memo: Cell<u8>,
}

const KNOWN_IN_NAME: u8 = 1;
const IN_NAME: u8 = 2;
const KNOWN_PROPER: u8 = 4;
const PROPER: u8 = 8;

impl Piece<'_> {
    /// [`Piece::can_be_plain`], remembered.
    fn can_be_in_name(&self) -> bool {
        self.remembered(KNOWN_IN_NAME, IN_NAME, Piece::can_be_plain)
    }

    /// [`Piece::is_proper_plain`], remembered.
    fn is_proper(&self) -> bool {
        self.remembered(KNOWN_PROPER, PROPER, Piece::is_proper_plain)
    }

    /// The answer of `ask` kept in the memo's bits: `known` once asked, `yes` for the answer.
    #[inline(always)]
    fn remembered(&self, known: u8, yes: u8, ask: impl FnOnce(&Self) -> bool) -> bool {
        let m = self.memo.get();
        if m & known != 0 {
            return m & yes != 0;
        }
        let answer = ask(self);
        self.memo.set(m | known | if answer { yes } else { 0 });
        answer
    }

    /// Can the word stand inside a company name?
    fn can_be_plain(&self) -> bool {
        let verb = matches!(self.pos, "v" | "vi" | "vd" | "vn");
        // The dictionary is asked only about verbs (a hash of the word per look-up).
        !self.word.is_empty()
            && self
                .word
                .chars()
                .all(|ch| is_han(ch) || ch.is_ascii_alphanumeric())
            && !function_word(self.pos)
            && !never_in_name().contains(self.word)
            && !(verb && jieba().has_word(self.word))
    }

    /// A head word that may close a name after a proper word (阅文 + 集团, 蚂蚁 + 金服).
    fn is_company_head(&self) -> bool {
        let c = cues();
        c.org_suffix_zh.contains(&self.word) || c.org_noun.contains(&self.word)
    }

    /// Does the word make the run a name (unknown to the dictionary, or a proper noun)?
    fn is_proper_plain(&self) -> bool {
        // The tag first: it spares the dictionary look-up for proper nouns.
        matches!(self.pos, "nz" | "nt" | "nrt" | "nr" | "j" | "eng" | "ns")
            || !jieba().has_word(self.word)
    }
}

/// The words that never stand inside a name: `org_noun`, `org_before`, the titles and
/// `biz_after` of data/entity_cues.tsv in one set, one look-up instead of a comparison with
/// every word of three lists (asked of every word near a business cue).
fn never_in_name() -> &'static HashSet<&'static str> {
    static SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
        let c = cues();
        c.org_noun
            .iter()
            .chain(&c.org_before)
            .chain(&c.biz_after)
            .copied()
            .chain(c.title_set.iter().copied())
            .collect()
    });
    &SET
}

/// Is `run` (consecutive words) a name? See the module notes.
fn is_name(run: &[Piece<'_>]) -> bool {
    let chars: usize = run.iter().map(|p| p.word.chars().count()).sum();
    let lone_person = run.len() == 1 && run[0].pos.starts_with("nr") && chars <= 3;
    // A Latin word in Chinese business context is a brand (收购了Nova) when capitalised.
    let latin_only = run.iter().all(|p| p.word.is_ascii())
        && !run.first().is_some_and(|p| {
            p.word.starts_with(|c: char| c.is_ascii_uppercase()) && p.word.len() >= 2
        });
    !run.is_empty()
        && run.len() <= MAX_WORDS
        && (2..=MAX_CHARS).contains(&chars)
        && run.windows(2).all(|w| w[0].end == w[1].start)
        && run.iter().enumerate().all(|(k, p)| {
            p.can_be_in_name() || (k + 1 == run.len() && k > 0 && p.is_company_head())
        })
        && run.iter().any(Piece::is_proper)
        && !lone_person
        && !latin_only // Latin names have rules of their own.
}

/// The longest name ending right before word `end` (exclusive index).
fn name_ending_at(ps: &[Piece<'_>], end: usize) -> Option<(usize, usize)> {
    let lo = end.saturating_sub(MAX_WORDS);
    (lo..end).find(|&s| is_name(&ps[s..end])).map(|s| (s, end))
}

/// The longest name starting at word `start`.
fn name_starting_at(ps: &[Piece<'_>], start: usize) -> Option<(usize, usize)> {
    let hi = (start + MAX_WORDS).min(ps.len());
    (start + 1..=hi)
        .rev()
        .find(|&e| is_name(&ps[start..e]))
        .map(|e| (start, e))
}

/// A wire ticker: `<CFMI>`, `<BAEL.L>`.
static TICKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<([A-Z][A-Z0-9]{0,7}(?:\.[A-Z]{1,2})?)>").expect("the ticker pattern is fixed")
});
/// A name in angle brackets (`<Billboard Publications Inc>`), the wire's mark for a company.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<([A-Z][A-Za-z0-9&'.,/ -]*[a-z ][A-Za-z0-9&'.,/ -]*)>")
        .expect("the bracket pattern is fixed")
});
/// Confidence of a Latin name the wire marks as a company: a whole name beats the tagger's
/// pieces of it (`MART INC` of `CONVENIENT FOOD MART INC`).
const WIRE_SCORE: f32 = 0.97;
/// Most words a name before a ticker may have (`CONVENIENT FOOD MART INC`).
const MAX_WIRE_WORDS: usize = 5;

/// Wire-service company names: the words in angle brackets (`<Seashore Bankshares Inc>`),
/// and the capitalised words right before a ticker (`CONVENIENT FOOD MART INC <CFMI>`,
/// `Eastman Kodak Co <EK>`), back to the first lower-case word, sentence opener or `/`.
pub fn find_wire_names(text: &str, out: &mut Vec<MentionCandidate>) {
    if !text.contains('<') {
        return;
    }
    let c = cues();
    for m in BRACKETED.captures_iter(text) {
        if let Some(g) = m.get(1) {
            let name = g.as_str().trim_end_matches(['.', ' ', ',']);
            if name.len() > 1 {
                out.push(wire_candidate((g.start(), g.start() + name.len())));
            }
        }
    }
    for m in TICKER.find_iter(text) {
        let before = &text[..m.start()];
        let end = before.trim_end().len();
        let mut start = end;
        for word in before[..end].rsplit(' ') {
            let bare = word.trim_end_matches(',');
            let first_upper = bare.starts_with(|ch: char| ch.is_ascii_uppercase());
            let is_connector =
                c.connector.contains(bare) || bare == "&" || bare == "AND" || bare == "OF";
            if word.is_empty() || (!first_upper && !is_connector) || word.ends_with(',') {
                break;
            }
            if let Some(slash) = word.rfind('/') {
                start -= word.len() - slash - 1;
                break;
            }
            if (c.stop.contains(bare) || c.headline_stop.contains(bare)) && start != end {
                break;
            }
            if before[start..end].split(' ').count() >= MAX_WIRE_WORDS {
                break;
            }
            start -= word.len() + usize::from(start != end);
        }
        // A connector cannot open a name.
        let mut name = &text[start..end];
        while let Some((first, rest)) = name.split_once(' ') {
            if c.connector.contains(first)
                || first == "AND"
                || first == "OF"
                || c.stop.contains(first)
            {
                start += first.len() + 1;
                name = rest;
            } else {
                break;
            }
        }
        let lone_connector = c.connector.contains(name) || name == "AND" || name == "OF";
        if name.len() > 1 && !lone_connector && name.chars().any(|ch| ch.is_ascii_alphabetic()) {
            out.push(wire_candidate((start, end)));
        }
    }
}

fn wire_candidate(nspan: (usize, usize)) -> MentionCandidate {
    MentionCandidate {
        nspan,
        kind: EntityType::Org,
        score: WIRE_SCORE,
        source: MentionSource::Rule,
    }
}

/// Where a cue says something of the names around it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Around {
    /// A predicate or stock code starts here: the name ends here.
    NameBefore,
    /// A predicate only a company has (营收, 股价, 财报, 估值, a stock code) starts here:
    /// a name ends here, and it is sure enough to beat the tagger's pieces of it.
    CompanyBefore,
    /// A deal verb ends here: a list of names starts here.
    NamesAfter,
    /// 与 of `A与B、C达成合作`: a name ends here and a list starts after it.
    Partners,
}


/// How far (bytes) into `一家…` the company head of an apposition may stand (eight
/// characters of description).
const APPOSITION_REACH: usize = 30;

/// The cue positions of a text (byte offsets on char boundaries). With `translit`, the
/// same pass over the characters lists where the transliteration characters are (for
/// `cues::find_transliterated_from`, which then makes no pass of its own).
fn cue_positions(text: &str, mut translit: Option<&mut Vec<usize>>) -> Vec<(usize, Around)> {
    let c = cues();
    let m = cue_matcher();
    let mut out = Vec::new();
    // The end of the last predicate: a cue inside it (营收 of 净营收) is no cue of its own.
    let mut inside_until = 0;
    let mut chars = super::cues::code_points(text);
    loop {
        // Most characters start no cue and are none of the characters looked at below.
        match translit.as_deref_mut() {
            Some(listed) => {
                chars.pass_over(|u| !m.looks_at_or_translit(u));
                let Some((p, u)) = chars.clone().next() else {
                    break;
                };
                if super::cues::is_translit_code(c, u) {
                    listed.push(p);
                }
                if !m.looks_at(u) {
                    chars.next();
                    continue;
                }
            }
            None => chars.pass_over(|u| !m.looks_at(u)),
        }
        let Some((p, u)) = chars.next() else {
            break;
        };
        let ch = super::cues::char_of(u);
        // The longest predicate (biz_after) and deal verb (biz_object) starting here.
        let (after_len, object_len) = if m.may_start(ch) {
            m.longest_at(text.as_bytes().get(p..).unwrap_or(&[]), ch)
        } else {
            (0, 0)
        };
        if after_len == 0 && object_len == 0 && !is_marker(ch) {
            continue;
        }
        let rest = &text[p..];
        if after_len > 0 && p >= inside_until {
            let cue = &rest[..after_len];
            let only_a_company = !c.general_predicate.contains(&cue);
            out.push((
                p,
                if only_a_company {
                    Around::CompanyBefore
                } else {
                    Around::NameBefore
                },
            ));
            inside_until = p + after_len;
        } else if ch == '(' && STOCK_CODE.is_match(rest) {
            out.push((p, Around::CompanyBefore));
        }
        // 宝尊电商是中国最著名的电商代运营公司: a name defined as a company. Being called a
        // company is said of nothing else, so the name is as sure as one before 营收 and
        // beats the tagger's pieces of it (`宝尊` read as a place).
        if ch == '是' {
            let clause_end = rest.find([',', '。', ';', '!', '?']).unwrap_or(rest.len());
            let clause = &rest[..clause_end];
            if clause.ends_with("公司") || clause.ends_with("企业") || clause.ends_with("集团")
            {
                out.push((p, Around::CompanyBefore));
            }
        }
        // 中国快递巨头顺丰,一家千亿市值公司: a name in apposition with a company description.
        if ch == ',' && rest[1..].starts_with("一家") {
            let clause = rest[1..]
                .split([',', '。', ';', '!', '?'])
                .next()
                .unwrap_or("");
            // 一家 + a few words + the head (一家千亿市值公司所推出的…).
            let head = ["公司", "企业", "集团"]
                .iter()
                .filter_map(|h| clause.find(h))
                .min();
            if head.is_some_and(|h| h <= APPOSITION_REACH) {
                out.push((p, Around::NameBefore));
            }
        }
        if object_len > 0 {
            out.push((p + object_len, Around::NamesAfter));
        }
        if ch == '与' {
            let clause_end = rest.find([',', '。', ';', '!', '?']).unwrap_or(rest.len());
            if c.biz_partner.iter().any(|w| rest[..clause_end].contains(w)) {
                out.push((p, Around::Partners));
            }
        }
    }
    out
}

/// The characters [`cue_positions`] looks at besides the first characters of cues: a stock
/// code's bracket, the copula of a definition, the 与 of partners and the comma of an
/// apposition.
fn is_marker(ch: char) -> bool {
    matches!(ch, '(' | '是' | '与' | ',')
}

/// The characters of [`is_marker`], for the table of [`CueMatcher::looks_at`].
const MARKERS: [char; 4] = ['(', '是', '与', ','];

/// The predicates and deal verbs of [`cue_positions`], grouped by first character, with
/// one bit per first character of the Basic Multilingual Plane: the loop over the text's
/// characters that [`cue_positions`] makes anyway tells at once where a cue may start, and
/// compares only the few cues of that character (an overlapping automaton pass over the
/// whole text cost more than the rest of the business rules).
struct CueMatcher {
    /// (first character, cue, is a predicate, is a deal verb), sorted by first character.
    cues: Vec<(char, &'static str, bool, bool)>,
    first_bmp: BmpBits,
    /// `first_bmp` and the characters of [`is_marker`]: one test tells the scan of
    /// [`cue_positions`] to pass a character over.
    looked_at_bmp: BmpBits,
    /// `looked_at_bmp` and the transliteration characters (`cues::find_transliterated`).
    looked_at_or_translit_bmp: BmpBits,
}

impl CueMatcher {
    /// Whether a cue may start with `ch` (always asked first: most characters start none).
    #[inline]
    fn may_start(&self, ch: char) -> bool {
        self.first_bmp.get(ch as u32).unwrap_or(true)
    }

    /// Whether [`cue_positions`] needs a closer look at the character of code point `u`: a
    /// cue may start with it or it [`is_marker`]. Asked of every character of a document.
    #[inline(always)]
    fn looks_at(&self, u: u32) -> bool {
        self.looked_at_bmp.get(u).unwrap_or(true)
    }

    /// [`CueMatcher::looks_at`], or a transliteration character (beyond the plane: true).
    #[inline(always)]
    fn looks_at_or_translit(&self, u: u32) -> bool {
        self.looked_at_or_translit_bmp.get(u).unwrap_or(true)
    }

    /// The byte lengths of the longest predicate and of the longest deal verb that `rest`
    /// (starting with `ch`) starts with; 0 for none.
    fn longest_at(&self, rest: &[u8], ch: char) -> (usize, usize) {
        let from = self.cues.partition_point(|e| e.0 < ch);
        let to = self.cues.partition_point(|e| e.0 <= ch);
        let (mut after, mut object) = (0, 0);
        for &(_, cue, is_after, is_object) in self.cues.get(from..to).unwrap_or(&[]) {
            if super::cues::starts_with_bytes(rest, cue.as_bytes()) {
                if is_after {
                    after = after.max(cue.len());
                }
                if is_object {
                    object = object.max(cue.len());
                }
            }
        }
        (after, object)
    }
}

/// Whether `rest`, which starts with `ch`, starts with a business predicate (`biz_after`):
/// what `starts_with_any(rest, &cues().biz_after).is_some()` answers, by the table of
/// first characters instead of a comparison with every predicate (the gazetteer asks this
/// at every character of the clause after a listed name).
pub(crate) fn starts_with_predicate(rest: &str, ch: char) -> bool {
    let m = cue_matcher();
    m.may_start(ch) && m.longest_at(rest.as_bytes(), ch).0 > 0
}

fn cue_matcher() -> &'static CueMatcher {
    static MATCHER: LazyLock<CueMatcher> = LazyLock::new(|| {
        let c = cues();
        let mut words: Vec<&'static str> =
            c.biz_after.iter().chain(&c.biz_object).copied().collect();
        words.sort_unstable();
        words.dedup();
        let mut first_bmp = BmpBits::default();
        let mut entries = Vec::with_capacity(words.len());
        for w in words {
            let Some(first) = w.chars().next() else {
                continue;
            };
            first_bmp.insert(first);
            entries.push((first, w, c.biz_after.contains(&w), c.biz_object.contains(&w)));
        }
        entries.sort_unstable_by_key(|e| e.0);
        let mut looked_at_bmp = first_bmp.clone();
        for ch in MARKERS {
            looked_at_bmp.insert(ch);
        }
        let mut looked_at_or_translit_bmp = looked_at_bmp.clone();
        looked_at_or_translit_bmp.add_all(&c.translit_bmp);
        CueMatcher {
            cues: entries,
            first_bmp,
            looked_at_bmp,
            looked_at_or_translit_bmp,
        }
    });
    &MATCHER
}

/// Words, cut at every cue position (jieba may run a word across a name's end: 台积/电净营/收为):
/// the plain path [`cut_pieces_near`] is held to.
#[cfg(test)]
fn cut_pieces<'a>(text: &'a str, tokens: &[Token], cuts: &[usize]) -> Vec<Piece<'a>> {
    let mut out = Vec::with_capacity(tokens.len() + cuts.len());
    cut_pieces_into(text, tokens, cuts, &mut out);
    out
}

/// The words of `tokens` cut at `cuts` (as `cut_pieces` does) into `out`; `cuts` may start
/// anywhere before the first token's end.
fn cut_pieces_into<'a>(text: &'a str, tokens: &[Token], cuts: &[usize], out: &mut Vec<Piece<'a>>) {
    // Tokens and cuts are both in text order: the cuts inside each token are found by
    // walking the two lists together, not by two binary searches per token (which cost more
    // than the rest of this stage).
    let mut lo = 0;
    for t in tokens {
        if lo > 0 && cuts[lo - 1] > t.start {
            // Never so (tokens come in order), but then the walk must start over.
            lo = cuts.partition_point(|&c| c <= t.start);
        }
        while cuts.get(lo).is_some_and(|&c| c <= t.start) {
            lo += 1;
        }
        // The cuts inside the word, in one walk (most words hold none).
        let mut start = t.start;
        let mut k = lo;
        while let Some(&cut) = cuts.get(k).filter(|&&c| c < t.end) {
            if let Some(p) = piece(text, start, cut, t.pos) {
                unglue_into(p, out);
            }
            start = cut;
            k += 1;
        }
        if let Some(p) = piece(text, start, t.end, t.pos) {
            unglue_into(p, out);
        }
    }
}

/// The pieces (as `cut_pieces` cuts them) of the tokens of the clauses around the cues
/// only ([`cue_windows`]), in text order: every walk over the pieces from a cue (the bridge
/// and names before it, the list after it) ends at a clause mark, which no name, bridge or
/// list runs across, so the pieces beyond the marks around a cue are never looked at. Most words of a document
/// stand in no clause with a cue, and cutting them cost more than the rest of this stage.
fn cut_pieces_near<'a>(text: &'a str, tokens: &[Token], cuts: &[usize]) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    for (a, b) in cue_windows(text, tokens, cuts) {
        let Some(window) = tokens.get(a..b) else {
            continue;
        };
        let from = window
            .first()
            .map_or(0, |t| cuts.partition_point(|&c| c <= t.start));
        cut_pieces_into(text, window, cuts.get(from..).unwrap_or(&[]), &mut out);
    }
    out
}

/// Whether token `t` is a clause mark that every walk over the pieces stops at: a comma,
/// full stop, semicolon, colon, mark of exclamation or question, or a line end, which can
/// stand in no name ([`Piece::can_be_plain`] takes Han and Latin words only), is no list
/// joiner, `的` or `等`, and no bridge (no link word, and not tagged as a time word, number
/// or measure word, which bridge whatever they are).
fn is_clause_mark(text: &str, t: &Token) -> bool {
    let word = text.as_bytes().get(t.start..t.end).unwrap_or(&[]);
    let mark = match *word {
        [b] => matches!(b, b',' | b';' | b':' | b'!' | b'?' | b'\n'),
        // 。
        [0xE3, 0x80, 0x82] => true,
        _ => false,
    };
    mark && !matches!(t.pos, "t" | "tg" | "m" | "mq" | "q") && !clause_mark_is_cue(word)
}

/// Whether a cue table lists a clause mark as a link word, company head or company noun
/// (none does: the marks would then not stop the walks, see [`is_clause_mark`]).
fn clause_mark_is_cue(word: &[u8]) -> bool {
    static LISTED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let c = cues();
        [",", ";", ":", "!", "?", "\n", "。"]
            .into_iter()
            .filter(|m| {
                c.link_word.contains(m) || c.org_suffix_zh.contains(m) || c.org_noun.contains(m)
            })
            .collect()
    });
    !LISTED.is_empty() && LISTED.iter().any(|m| m.as_bytes() == word)
}

/// The token ranges (start, end; in order, apart) of the clauses holding a cut: from the
/// clause mark before the cut's token (or the first token) to the clause mark after it (or
/// the last token), both marks included, so that every walk from the cue meets the mark
/// it would meet over all the pieces. A cut on a mark takes the clauses on both sides.
fn cue_windows(text: &str, tokens: &[Token], cuts: &[usize]) -> Vec<(usize, usize)> {
    let mark = |i: usize| tokens.get(i).is_some_and(|t| is_clause_mark(text, t));
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &p in cuts {
        // The token holding or after `p`.
        let k = tokens.partition_point(|t| t.end <= p);
        // Tokens before `covered` are in a window already.
        let covered = out.last().map_or(0, |w| w.1);
        // Strictly inside the last window, whose last token is a mark (or the last token):
        // both marks around `k` are in it.
        if k + 1 < covered {
            continue;
        }
        let mut a = k;
        while a > covered {
            a -= 1;
            if mark(a) {
                break;
            }
        }
        let mut b = k + 1;
        while b < tokens.len() && !mark(b) {
            b += 1;
        }
        let b = (b + 1).min(tokens.len());
        match out.last_mut() {
            // Back at the covered part without a mark (or on the last window's closing
            // mark): one window.
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn piece<'a>(text: &'a str, start: usize, end: usize, pos: &'static str) -> Option<Piece<'a>> {
    Some(Piece {
        word: text.get(start..end).filter(|w| !w.is_empty())?,
        pos,
        start,
        end,
        memo: Cell::new(0),
    })
}

/// The UTF-8 length of every character of [`is_glued_preposition`].
const GLUED_PREPOSITION_BYTES: usize = 3;

/// Prepositions jieba may glue to the unknown name after them (由远/澜创投). A `match`,
/// not a list search: this is asked of every word of a Chinese document with a cue.
fn is_glued_preposition(c: char) -> bool {
    matches!(
        c,
        '由' | '被' | '向' | '对' | '与' | '和' | '在' | '从' | '将' | '把' | '给' | '据'
    )
}

/// Pushes `p`, split in two when it is a preposition glued to an unknown word. Pushes into
/// the caller's vector: this runs for every word of every Chinese document with a cue, and
/// a vector per word cost more than the rest of the cut.
#[inline(always)]
fn unglue_into<'a>(p: Piece<'a>, out: &mut Vec<Piece<'a>>) {
    // Every glued preposition is one three-byte character with more after it: a word of
    // three bytes or fewer (punctuation, one Han character) is pushed without decoding.
    if p.word.len() <= GLUED_PREPOSITION_BYTES {
        out.push(p);
        return;
    }
    match p.word.chars().next() {
        Some(c)
            if is_glued_preposition(c)
                && p.word.len() > c.len_utf8()
                && !jieba().has_word(p.word) =>
        {
            let cut = p.start + c.len_utf8();
            out.push(Piece {
                word: &p.word[..c.len_utf8()],
                pos: "p",
                start: p.start,
                end: cut,
                memo: Cell::new(0),
            });
            out.push(Piece {
                word: &p.word[c.len_utf8()..],
                pos: p.pos,
                start: cut,
                end: p.end,
                memo: Cell::new(0),
            });
        }
        _ => out.push(p),
    }
}

/// The names of a list starting at word `j` (A、B和C).
fn name_list(ps: &[Piece<'_>], mut j: usize, found: &mut Vec<(usize, usize)>) {
    let mut first = true;
    loop {
        // After a name, a list goes on with names jieba may know as words (与新加坡电信、
        // 传音): in the list, one nominal word of two or more characters is a name too.
        let next = name_starting_at(ps, j).or_else(|| {
            (!first)
                .then(|| ps.get(j))
                .flatten()
                .filter(|p| {
                    p.pos.starts_with('n') && p.word.chars().count() >= 2 && p.can_be_in_name()
                })
                .map(|_| (j, j + 1))
        });
        let Some((s, e)) = next else {
            break;
        };
        found.push((ps[s].start, ps[e - 1].end));
        first = false;
        match ps.get(e).map(|p| p.word) {
            Some("、" | "和" | "及" | "以及") => j = e + 1,
            _ => break,
        }
    }
}

/// A list a deal verb opens and `等` closes (投资过大众点评、英雄互娱、人人车、汉拿山等项目):
/// the enumeration itself says its items are the deal's objects, so an item may be made of
/// words the dictionary knows (大众 + 点评, 人人 + 车) — two to eight characters of Han or
/// Latin words, no function word, no company noun or title. At least two items, at least
/// one holding a proper or unknown word (教育、医疗等 is a list of fields, not of names),
/// and no field head (`field_head` of data/entity_cues.tsv) after `等`. Pushes every item
/// and returns true when the list is one.
fn enumerated_list(ps: &[Piece<'_>], j: usize, found: &mut Vec<(usize, usize)>) -> bool {
    let c = cues();
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut start = j;
    let mut k = j;
    loop {
        let Some(p) = ps.get(k) else { return false };
        let closes = p.word == "等";
        if closes || matches!(p.word, "、" | "和" | "及") {
            if k == start {
                return false;
            }
            items.push((start, k));
            if closes {
                break;
            }
            start = k + 1;
        } else if k - start >= MAX_WORDS
            || function_word(p.pos)
            || !p.word.chars().all(|ch| is_han(ch) || ch.is_ascii_alphanumeric())
            || c.org_noun.contains(&p.word)
            || c.title_set.contains(p.word)
        {
            return false;
        }
        k += 1;
    }
    let field = ps
        .get(k + 1)
        .is_some_and(|p| c.field_head.contains(&p.word));
    let fits = |&(s, e): &(usize, usize)| {
        let chars: usize = ps[s..e].iter().map(|p| p.word.chars().count()).sum();
        (2..=MAX_CHARS).contains(&chars)
    };
    let named = items
        .iter()
        .any(|&(s, e)| ps[s..e].iter().any(Piece::is_proper));
    if items.len() < 2 || field || !named || !items.iter().all(fits) {
        return false;
    }
    found.extend(items.iter().map(|&(s, e)| (ps[s].start, ps[e - 1].end)));
    true
}

/// A deal verb and the capitalised name after it (`acquisition of Cerner`, `sued Stability
/// AI`, `a stake in Wrather Corp`): English news names the other party of a deal by its
/// brand, often one word the tagger reads as a person or misses.
/// Whether `text` holds an ASCII capital letter, which every Latin name the deal-object
/// and investor-list patterns take begins with: most Chinese one-line items have none,
/// and then skip the patterns' search and its set-up (a search cache, a capture set).
fn has_ascii_capital(text: &str) -> bool {
    // Whole blocks without an early exit inside compile to vector compares: a long
    // Chinese text costs a few instructions a block, not several a byte.
    text.as_bytes()
        .chunks(64)
        .any(|block| block.iter().fold(false, |any, b| any | b.is_ascii_uppercase()))
}

static LATIN_DEAL_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:acquisition of|acquired|acquires|acquire|acquiring|to buy|bought|takeover of|merger with|stake in|invested in|invests in|invest in|investment in|sued|sues|suing|lawsuit against|suit against|partnership with|partnered with|teamed up with|joint venture with|contract with|deal with|agreement with)\s+((?:[A-Z][A-Za-z0-9&'.-]*)(?:\s+(?:[A-Z][A-Za-z0-9&'.-]*|of|and|&))*)",
    )
    .expect("the deal-object pattern is fixed")
});
/// Confidence of a Latin deal object: below the tagger's confident spans, which may hold
/// the same name with more of it.
const LATIN_DEAL_SCORE: f32 = 0.8;

/// Pushes an ORG candidate for the capitalised name after an English deal verb.
pub fn find_latin_deal_objects(text: &str, out: &mut Vec<MentionCandidate>) {
    if !has_ascii_capital(text) {
        return;
    }
    let c = cues();
    for m in LATIN_DEAL_OBJECT.captures_iter(text) {
        let Some(g) = m.get(1) else {
            continue;
        };
        let mut name = g.as_str().trim_end_matches(['.', ',', '\'']);
        // Trailing connectors and possessives are no part of the name.
        loop {
            let trimmed = name
                .trim_end_matches("'s")
                .trim_end_matches(" of")
                .trim_end_matches(" and")
                .trim_end_matches(" &")
                .trim_end_matches(['.', ',']);
            if trimmed == name {
                break;
            }
            name = trimmed;
        }
        let first = name.split(' ').next().unwrap_or("");
        if name.len() < 2 || c.stop.contains(first) || c.headline_stop.contains(first) {
            continue;
        }
        out.push(MentionCandidate {
            nspan: (g.start(), g.start() + name.len()),
            kind: EntityType::Org,
            score: LATIN_DEAL_SCORE,
            source: MentionSource::Rule,
        });
    }
}



/// Whether a determiner or classifier ends right before byte `at` (一家, 某, 这家).
pub fn descriptor_opener_before(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    starts_with_any_rev(before, &cues().descriptor_opener)
}

fn starts_with_any_rev(before: &str, list: &[&str]) -> bool {
    list.iter().any(|w| before.ends_with(w))
}

/// A generic description read as an organisation: the span ends in a generic head
/// (公司, 法院, 机构), a determiner or classifier opens it (or stands right before it), and
/// the words between are common words only (芯片初创, 软件), with no name inside (no place,
/// person, brand or word the dictionary lacks). `一家芯片初创公司`, `某软件公司`,
/// `这家机器人公司`, `当地法院`; not 北京某某科技公司, 终审法院 nor 腾讯公司.
pub fn is_generic_description(text: &str, seg: &Segmented, nspan: (usize, usize)) -> bool {
    let Some(surface) = text.get(nspan.0..nspan.1) else {
        return false;
    };
    if surface.is_ascii() {
        return false;
    }
    let c = cues();
    let Some(head) = c.generic_head.iter().find(|h| surface.ends_with(*h)) else {
        return false;
    };
    let mut start = nspan.0;
    let body_end = nspan.1 - head.len();
    let opened = descriptor_opener_before(text, start)
        || c.descriptor_opener.iter().any(|w| {
            let hit = text.get(start..body_end).is_some_and(|b| b.starts_with(w));
            if hit {
                start += w.len();
            }
            hit
        });
    if start >= body_end {
        return opened;
    }
    // Every word of the body is a common dictionary word (no name inside).
    let tokens = seg.tokens_in((start, body_end));
    let common = !tokens.is_empty()
        && tokens.iter().all(|t| {
            let w = text
                .get(t.start.max(start)..t.end.min(body_end))
                .unwrap_or("");
            !w.is_empty()
                && w.chars().all(is_han)
                && jieba().has_word(w)
                && !matches!(
                    t.pos,
                    "ns" | "nr" | "nrt" | "nz" | "nt" | "j" | "eng" | "nrfg"
                )
        });
    common && opened
}

/// The business context that settles what the tagger read otherwise (issue 12):
///
/// - a tagger piece (a person or place) strictly inside a company name a business rule
///   found with confidence (`玛特` of `泡泡玛特`, `瑞幸` of `瑞幸咖啡`) gives way, and the
///   name's score rises above the tagger's;
/// - a tagger person or place whose span the gazetteer lists as a company, coordinated
///   with an organisation (`Microsoft, Alphabet and Amazon`, `Sequoia Capital and
///   Andreessen Horowitz`), or in company context ([`super::gazetteer::company_context`]),
///   is that company;
/// - a tagger span gluing a listed Chinese name to a Latin word (`特斯拉Model` of `特斯拉Model Y`)
///   is the listed name: the Latin part names a product;
/// - a generic description ([`is_generic_description`]) is no entity.
pub fn settle(
    text: &str,
    seg: &Segmented,
    tagged: &mut Vec<MentionCandidate>,
    listed: &[MentionCandidate],
    ruled: &mut [MentionCandidate],
) {
    let gaz = super::gazetteer::gazetteer();
    // Names the rules are sure of: the business predicates' names and the lists after
    // investment cues (scores at or above SCORE), not the weaker copies or deal objects.
    let sure: Vec<(usize, usize)> = ruled
        .iter()
        .filter(|r| r.kind == EntityType::Org && r.score >= SURE_SCORE && r.score < 0.97)
        .map(|r| r.nspan)
        .collect();
    let mut beaten: Vec<(usize, usize)> = Vec::new();
    for t in tagged.iter_mut() {
        // A person or place the rules read, on the very same span, as a company in a
        // company-only context (`Investors include ... Lightspeed`) is that company.
        if t.source == MentionSource::Tagger && t.kind != EntityType::Org && sure.contains(&t.nspan)
        {
            t.kind = EntityType::Org;
        }
    }
    tagged.retain(|t| {
        if t.source != MentionSource::Tagger || t.kind == EntityType::Org {
            return true;
        }
        match sure
            .iter()
            .find(|r| r.0 <= t.nspan.0 && t.nspan.1 <= r.1 && **r != t.nspan)
        {
            Some(r) => {
                beaten.push(*r);
                false
            }
            None => true,
        }
    });
    for r in ruled.iter_mut() {
        if beaten.contains(&r.nspan) {
            r.score = PLACE_LED_SCORE;
        }
    }
    let snapshot: Vec<MentionCandidate> = tagged.clone();
    for t in tagged.iter_mut() {
        if t.source != MentionSource::Tagger {
            continue;
        }
        let Some(surface) = text.get(t.nspan.0..t.nspan.1) else {
            continue;
        };
        if t.kind == EntityType::Org {
            // 特斯拉Model: the listed Chinese name, without the product word glued to it.
            let han_end = surface
                .char_indices()
                .find(|&(_, c)| c.is_ascii_alphabetic())
                .map(|(i, _)| i);
            if let Some(k) = han_end.filter(|&k| k > 0) {
                let listed_org = gaz
                    .lookup(&surface[..k])
                    .is_some_and(|(_, e)| e.kind == EntityType::Org);
                let model_code = text
                    .get(t.nspan.1..)
                    .and_then(|a| a.strip_prefix(' '))
                    .is_some_and(is_model_code);
                if listed_org && model_code {
                    t.nspan.1 = t.nspan.0 + k;
                }
            }
            continue;
        }
        let listed_company = gaz
            .lookup(surface)
            .is_some_and(|(_, e)| e.kind == EntityType::Org);
        if !listed_company {
            continue;
        }
        let coordinated = |side_end: usize, side_start: usize| {
            cues().list_joiner.iter().any(|j| {
                let after = side_end + j.len();
                text.get(side_end..after) == Some(j.as_str())
                    && snapshot.iter().chain(listed).any(|m| {
                        m.nspan.0 == after
                            && m.kind == EntityType::Org
                            && m.nspan != (side_start, side_end)
                    })
            })
        };
        let before_joined = cues().list_joiner.iter().any(|j| {
            t.nspan.0 >= j.len()
                && text.get(t.nspan.0 - j.len()..t.nspan.0) == Some(j.as_str())
                && snapshot
                    .iter()
                    .chain(listed)
                    .any(|m| m.nspan.1 == t.nspan.0 - j.len() && m.kind == EntityType::Org)
        });
        if before_joined
            || coordinated(t.nspan.1, t.nspan.0)
            || super::gazetteer::company_context(text, t.nspan.0, t.nspan.1)
        {
            t.kind = EntityType::Org;
        }
    }
    let c = cues();
    for t in tagged.iter_mut() {
        // `U.S. Steel`, `Japan Airlines`: a place followed by a company head is a company.
        if t.source != MentionSource::Tagger || t.kind != EntityType::Loc {
            continue;
        }
        let Some(after) = text.get(t.nspan.1..).and_then(|a| a.strip_prefix(' ')) else {
            continue;
        };
        let word = after
            .split(|ch: char| !ch.is_ascii_alphanumeric())
            .next()
            .unwrap_or("");
        let rest = &after[word.len()..];
        if text.get(t.nspan.0..t.nspan.1).is_some_and(|n| n.is_ascii())
            && word.starts_with(|ch: char| ch.is_ascii_uppercase())
            && c.org_suffix.contains(word)
            && !rest.starts_with(|ch: char| ch.is_ascii_alphanumeric())
            && !rest.starts_with(" of")
            && !rest
                .trim_start()
                .starts_with(|ch: char| ch.is_ascii_uppercase())
        {
            t.nspan.1 += 1 + word.len();
            t.kind = EntityType::Org;
        }
    }
    tagged.retain(|t| {
        !(t.kind == EntityType::Org
            && t.source == MentionSource::Tagger
            && (is_generic_description(text, seg, t.nspan) || is_product_name(text, t.nspan)))
            && !(t.kind != EntityType::Org
                && t.source == MentionSource::Tagger
                && is_common_phrase(text, t.nspan))
    });
}

/// A person or place the tagger found in a status word and a common noun (新东家, 老东家,
/// 原单位, 前雇主: the new employer, not a place, though jieba's dictionary lists 新东家 as
/// one): 新, 老, 原 or 前 followed by one ordinary dictionary noun of two or more characters.
pub fn is_common_phrase(text: &str, nspan: (usize, usize)) -> bool {
    let Some(rest) = text
        .get(nspan.0..nspan.1)
        .and_then(|s| s.strip_prefix(['新', '老', '原', '前']))
    else {
        return false;
    };
    rest.chars().count() >= 2
        && rest.chars().all(is_han)
        && jieba().has_word(rest)
        && matches!(jieba().tag(rest, false).as_slice(), [t] if t.tag == "n")
}

/// Whether `after` opens with a model code: a short word of capitals and digits, or one with
/// a digit (`Y`, `S25`, `15`, `M03`), ending at a word boundary.
pub fn is_model_code(after: &str) -> bool {
    let word: &str = after
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .next()
        .unwrap_or("");
    !word.is_empty()
        && ((word.len() <= 4
            && word
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
            || (word.bytes().any(|b| b.is_ascii_digit()) && word.len() <= 6))
}


/// A Latin name followed by a model code right after a product word (`新款手机Xiaomi 15`,
/// `unveiled the Pixel 10`): the brand of a product, not its maker.
pub fn is_product_name(text: &str, nspan: (usize, usize)) -> bool {
    let Some(name) = text.get(nspan.0..nspan.1) else {
        return false;
    };
    if !name.is_ascii()
        || !text
            .get(nspan.1..)
            .and_then(|a| a.strip_prefix(' '))
            .is_some_and(is_model_code)
    {
        return false;
    }
    let mut before = text.get(..nspan.0).unwrap_or("").trim_end();
    loop {
        let trimmed = cues()
            .product_word_before
            .iter()
            .find_map(|w| {
                before.strip_suffix(w).filter(|b| {
                    w.chars().any(is_han) || !b.ends_with(|c: char| c.is_ascii_alphanumeric())
                })
            })
            .map(str::trim_end);
        match trimmed {
            Some(b) if b.len() < before.len() => before = b,
            _ => break,
        }
    }
    let c = cues();
    before.len() < nspan.0
        && (starts_with_any_rev(before, &["手机", "芯片", "新机", "新款"])
            || c.product_before.iter().any(|cue| {
                before.strip_suffix(cue).is_some_and(|b| {
                    !cue.is_ascii() || !b.ends_with(|ch: char| ch.is_ascii_alphanumeric())
                })
            }))
}

/// Funding rounds and stakes: the investors listed after `led by`, `include`, `backed by`
/// in a sentence about money raised are companies (`Investors include Tiger Global,
/// Coatue and Lightspeed`), however the tagger reads a one-word fund.
static INVESTOR_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:co-led by|led by|backed by|[Ii]nvestors include|[Ii]nvestors including|participation from|joined by|investors such as)\s+((?:[A-Z][A-Za-z0-9&'.-]*)(?:(?:\s+|,\s+|,?\s+and\s+)(?:[A-Z][A-Za-z0-9&'.-]*))*)")
        .expect("the investor-list pattern is fixed")
});

/// What a text with an investor list holds (`by `, `investors`, `from `), for
/// [`find_investor_lists`].
static INVESTOR_GATE: LazyLock<[memchr::memmem::Finder<'static>; 3]> = LazyLock::new(|| {
    [" by ", "nvestors", "from "].map(memchr::memmem::Finder::new)
});

/// Pushes an ORG candidate (sure: [`SURE_SCORE`]) for each name of an investor list.
pub fn find_investor_lists(text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
    if !has_ascii_capital(text) {
        return;
    }
    // By `memchr::memmem` searchers built once (vectorised; most texts hold none of the
    // three, and a one-line document is too short to pay for building them).
    if !INVESTOR_GATE.iter().any(|f| f.find(text.as_bytes()).is_some()) {
        return;
    }
    let c = cues();
    for m in INVESTOR_LIST.captures_iter(text) {
        let Some(g) = m.get(1) else {
            continue;
        };
        let sentence = seg
            .sentence_index(g.start())
            .and_then(|i| seg.sentences.get(i))
            .and_then(|s| text.get(s.0..s.1))
            .unwrap_or("");
        if !c.funding_word.iter().any(|w| sentence.contains(w)) {
            continue;
        }
        // The list ends with its sentence (`Lightspeed. The ...`).
        let list = g.as_str().split(". ").next().unwrap_or("");
        let mut at = g.start();
        for part in list.split(", ") {
            for name in part.split(" and ") {
                let name_at = at + (part.find(name).unwrap_or(0));
                let trimmed = name.trim_start_matches("and ").trim();
                let start = name_at + (name.len() - name.trim_start_matches("and ").len());
                let first = trimmed.split(' ').next().unwrap_or("");
                if trimmed.len() >= 2 && !c.stop.contains(first) && !c.given.contains(first) {
                    let trimmed = trimmed.trim_end_matches(['.', ',']);
                    out.push(MentionCandidate {
                        nspan: (start, start + trimmed.len()),
                        kind: EntityType::Org,
                        score: SURE_SCORE,
                        source: MentionSource::Rule,
                    });
                }
            }
            at += part.len() + 2;
        }
    }
}

/// Whether the place-led span `a..b` of pieces `ps` is a place and a kind: after the place
/// piece only descriptive words (大型, 金融: adjectives, distinguishing words, common nouns)
/// and a kind from `kind_after_place` of `data/entity_cues.tsv` at the end (日本大型金融机构).
fn place_and_kind(ps: &[Piece<'_>], a: usize, b: usize) -> bool {
    let from = ps.partition_point(|p| p.start < a) + 1;
    let to = ps.partition_point(|p| p.end <= b);
    let Some(rest) = ps.get(from..to) else {
        return false;
    };
    let Some((last, before)) = rest.split_last() else {
        return false;
    };
    last.end == b
        && cues()
            .kind_after_place
            .iter()
            .any(|k| last.word.ends_with(k))
        && before
            .iter()
            .all(|p| matches!(p.pos, "a" | "b" | "n" | "vn" | "an"))
}

/// Confidence of a name right before a predicate only a company has (营收, 股价, a stock
/// code): [`settle`] trusts it over the tagger's pieces of it.
const SURE_SCORE: f32 = 0.91;

/// Pushes ORG candidates for the company names business context reveals.
pub fn find(text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
    find_with(text, seg, out, cut_pieces_near, None);
}

/// [`find`], also listing where the transliteration characters of `text` are (in order)
/// from the same pass over its characters: `None` when no such pass was made (a text
/// without Han characters), and `cues::find_transliterated_from` must make its own.
pub(crate) fn find_listing_translit(
    text: &str,
    seg: &Segmented,
    out: &mut Vec<MentionCandidate>,
) -> Option<Vec<usize>> {
    let mut listed = Vec::new();
    find_with(text, seg, out, cut_pieces_near, Some(&mut listed)).then_some(listed)
}

/// How the words of a text with cues are cut into pieces: only in the clauses around the
/// cues ([`cut_pieces_near`], the product) or everywhere (`cut_pieces`, the plain path the
/// tests hold it to).
type CutPieces = for<'a> fn(&'a str, &[Token], &[usize]) -> Vec<Piece<'a>>;

/// [`find`], with the words cut into pieces by `cut`; whether it listed the
/// transliteration characters into `translit` (see [`find_listing_translit`]).
fn find_with(
    text: &str,
    seg: &Segmented,
    out: &mut Vec<MentionCandidate>,
    cut: CutPieces,
    translit: Option<&mut Vec<usize>>,
) -> bool {
    find_wire_names(text, out);
    find_latin_deal_objects(text, out);
    find_investor_lists(text, seg, out);
    if !text.chars().any(is_han) {
        return false;
    }
    let listing = translit.is_some();
    let positions = cue_positions(text, translit);
    if positions.is_empty() {
        return listing;
    }
    let mut cuts: Vec<usize> = positions.iter().map(|&(p, _)| p).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let ps = cut(text, &seg.tokens, &cuts);
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut sure: Vec<(usize, usize)> = Vec::new();
    for &(p, around) in &positions {
        let i = ps.partition_point(|x| x.start < p);
        if matches!(
            around,
            Around::NameBefore | Around::CompanyBefore | Around::Partners
        ) && i > 0
        {
            let mut end = bridge_start(&ps, i);
            // The name and the names listed before it (川木资本、鸣岐投资跟投).
            while let Some((s, e)) = name_ending_at(&ps, end) {
                found.push((ps[s].start, ps[e - 1].end));
                if around == Around::CompanyBefore {
                    sure.push((ps[s].start, ps[e - 1].end));
                }
                match s.checked_sub(1).map(|k| ps[k].word) {
                    Some("、" | "和" | "及" | "以及") => end = s - 1,
                    _ => break,
                }
            }
        }
        match around {
            // 参股的税友软件, 旗下的云鑫创投: the name after 的.
            Around::NamesAfter if ps.get(i).is_some_and(|p| p.word == "的") => {
                name_list(&ps, i + 1, &mut found)
            }
            Around::NamesAfter => {
                if !enumerated_list(&ps, i, &mut found) {
                    name_list(&ps, i, &mut found)
                }
            }
            Around::Partners => name_list(&ps, i + 1, &mut found),
            Around::NameBefore | Around::CompanyBefore => {}
        }
    }
    found.sort_unstable();
    found.dedup();
    let mut named = Vec::with_capacity(found.len());
    for &(a, b) in &found {
        // 新加坡电信: a name led by a place is a company, not the place (which the tagger
        // reads with confidence on its own).
        let place_led = ps
            .get(ps.partition_point(|p| p.start < a))
            .is_some_and(|p| p.start == a && p.pos == "ns" && p.end < b);
        if place_led && place_and_kind(&ps, a, b) {
            continue;
        }
        named.push(MentionCandidate {
            nspan: (a, b),
            kind: EntityType::Org,
            score: if place_led {
                PLACE_LED_SCORE
            } else if sure.contains(&(a, b)) {
                SURE_SCORE
            } else {
                SCORE
            },
            source: MentionSource::Rule,
        });
    }
    super::mark_other_occurrences(text, &mut named, EntityType::Org, OTHER_SCORE);
    out.extend(named);
    listing
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first-character table finds, at every character, the longest predicate and
    /// deal verb that a comparison with every cue finds.
    #[test]
    fn cue_table_finds_the_longest_cues() {
        let c = cues();
        let mut text: String = c.biz_after.iter().chain(&c.biz_object).copied().collect();
        text.push_str("淘集集已经亏损,净营收为11亿元,旗下的云鑫创投收购了税友软件。Acme");
        let m = cue_matcher();
        let longest = |list: &[&str], rest: &str| {
            list.iter()
                .filter(|w| rest.starts_with(*w))
                .map(|w| w.len())
                .max()
                .unwrap_or(0)
        };
        for (p, ch) in text.char_indices() {
            let rest = &text[p..];
            let plain = (longest(&c.biz_after, rest), longest(&c.biz_object, rest));
            let found = if m.may_start(ch) {
                m.longest_at(rest.as_bytes(), ch)
            } else {
                (0, 0)
            };
            assert_eq!(found, plain, "at {p}");
        }
    }

    /// The remembered answers of a piece are the plain ones, asked once or many times, in
    /// either order.
    #[test]
    fn remembered_piece_answers_are_the_plain_ones() {
        // Whether a word may stand in a name, by a comparison with every word of each list.
        let by_lists = |p: &Piece<'_>| {
            let c = cues();
            let verb = matches!(p.pos, "v" | "vi" | "vd" | "vn");
            !p.word.is_empty()
                && p.word.chars().all(|ch| is_han(ch) || ch.is_ascii_alphanumeric())
                && !function_word(p.pos)
                && !(verb && jieba().has_word(p.word))
                && !c.org_noun.contains(&p.word)
                && !c.org_before.contains(&p.word)
                && !c.title_set.contains(p.word)
                && !c.biz_after.contains(&p.word)
        };
        let text = "宝尊电商是中国最著名的电商代运营公司,由远澜创投领投,淘集集净营收为11亿元,收购了Nova、税友软件和云鑫创投等。";
        let c = cues();
        let listed = c.org_noun.iter().chain(&c.org_before).chain(&c.biz_after).copied();
        for word in listed.chain(c.title_set.iter().copied()).chain(["淘集集", "收购"]) {
            for pos in ["n", "v", "nz", "x"] {
                let p = piece(word, 0, word.len(), pos);
                assert!(p.is_some_and(|p| p.can_be_plain() == by_lists(&p)), "{word}");
            }
        }
        let seg = crate::segment::segment(text, true);
        let cuts: Vec<usize> = cue_positions(text, None).iter().map(|&(p, _)| p).collect();
        for proper_first in [false, true] {
            let ps = cut_pieces(text, &seg.tokens, &cuts);
            assert!(ps.len() > 10);
            for p in &ps {
                for _ in 0..3 {
                    if proper_first {
                        assert_eq!(p.is_proper(), p.is_proper_plain(), "{}", p.word);
                    }
                    assert_eq!(p.can_be_in_name(), p.can_be_plain(), "{}", p.word);
                    assert_eq!(p.can_be_plain(), by_lists(p), "{}", p.word);
                    assert_eq!(p.is_proper(), p.is_proper_plain(), "{}", p.word);
                }
            }
        }
    }

    /// The walk over words and cuts splits each word at the cuts strictly inside it, as a
    /// filter of all cuts per word does.
    #[test]
    fn words_are_cut_at_the_cuts_inside_them() {
        let text = "台积电净营收为11亿元,由远澜创投领投。";
        let seg = crate::segment::segment(text, true);
        let mut bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        bounds.push(text.len());
        for step in [1, 2, 3, 5] {
            let cuts: Vec<usize> = bounds.iter().copied().step_by(step).collect();
            let mut plain = Vec::new();
            for t in &seg.tokens {
                let mut start = t.start;
                for &c in cuts.iter().filter(|&&c| t.start < c && c < t.end) {
                    if let Some(p) = piece(text, start, c, t.pos) {
                        unglue_into(p, &mut plain);
                    }
                    start = c;
                }
                if let Some(p) = piece(text, start, t.end, t.pos) {
                    unglue_into(p, &mut plain);
                }
            }
            let key = |ps: &[Piece<'_>]| -> Vec<(usize, usize, &'static str)> {
                ps.iter().map(|p| (p.start, p.end, p.pos)).collect()
            };
            let walked = cut_pieces(text, &seg.tokens, &cuts);
            assert_eq!(key(&walked), key(&plain), "every {step} characters");
        }
    }

    /// Every glued preposition is three bytes long (the shortcut of [`unglue_into`]).
    #[test]
    fn glued_prepositions_are_three_bytes() {
        for u in 0..0x11000u32 {
            if let Some(c) = char::from_u32(u).filter(|&c| is_glued_preposition(c)) {
                assert_eq!(c.len_utf8(), GLUED_PREPOSITION_BYTES, "{c}");
            }
        }
    }

    /// The table answers whether a predicate starts a text as a comparison with each does.
    #[test]
    fn predicates_are_found_by_the_table() {
        let c = cues();
        let mut text: String = c.biz_after.iter().chain(&c.biz_object).copied().collect();
        text.push_str("苹果今年第三季度营收增长,美团股价,营业额与净亏损。Acme revenue");
        for (p, ch) in text.char_indices() {
            let rest = &text[p..];
            let plain = super::super::cues::starts_with_any(rest, &c.biz_after).is_some();
            assert_eq!(starts_with_predicate(rest, ch), plain, "at {p}");
        }
    }

    /// The one-test filter of the scan lets through exactly the characters that may start a
    /// cue or are markers.
    #[test]
    fn the_scan_looks_at_cue_starts_and_markers() {
        let m = cue_matcher();
        assert!(MARKERS.iter().all(|&ch| is_marker(ch)));
        for u in (0..0x11000u32).chain([0x1F600, 0x20000]) {
            let Some(ch) = char::from_u32(u) else {
                continue;
            };
            assert_eq!(m.looks_at(u), m.may_start(ch) || is_marker(ch), "{ch:?}");
        }
    }

    /// The names `find` gives for `text` at one of `scores` (every name when empty).
    fn names_scored(text: &str, scores: &[f32]) -> Vec<String> {
        let seg = crate::segment::segment(text, true);
        let mut out = Vec::new();
        find(text, &seg, &mut out);
        let mut v: Vec<String> = out
            .iter()
            .filter(|m| scores.is_empty() || scores.contains(&m.score))
            .map(|m| text[m.nspan.0..m.nspan.1].to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The names read from business context (not the further occurrences of them).
    fn names(text: &str) -> Vec<String> {
        names_scored(text, &[SCORE, SURE_SCORE])
    }

    #[test]
    fn a_place_and_a_kind_is_no_name() {
        let text = "支持中国企业与非洲国家的企业合作。新加坡电信与谷歌合作。";
        let seg = crate::segment::segment(text, true);
        let mut out = Vec::new();
        find(text, &seg, &mut out);
        let found: Vec<&str> = out.iter().map(|m| &text[m.nspan.0..m.nspan.1]).collect();
        assert!(!found.contains(&"中国企业"), "{found:?}");
        assert!(!found.contains(&"非洲国家"), "{found:?}");
        assert!(found.contains(&"新加坡电信"), "{found:?}");
    }

    #[test]
    fn brands_before_business_predicates_are_companies() {
        assert_eq!(names("今年以来,淘集集已经亏损近12亿元。"), vec!["淘集集"]);
        assert_eq!(
            names("国内锂资源巨头赣锋锂业(002460.SZ)股价下跌。"),
            vec!["赣锋锂业"]
        );
    }

    #[test]
    fn a_partner_before_also_and_with() {
        // 亦 (also) bridges like 也: the name before `亦与 … 合作` is a partner.
        let v = names("淘集集亦与京东商城合作推出新店。");
        assert!(v.contains(&"淘集集".to_string()), "{v:?}");
    }

    #[test]
    fn a_name_in_apposition_with_a_company_description() {
        let v = names("大股东是中国快递巨头顺丰,一家千亿市值公司所推出的功能。");
        assert!(v.contains(&"顺丰".to_string()), "{v:?}");
        // A comma is no bridge to a predicate of the next clause (收高,市值).
        assert!(names("苹果公司股价周二收高,市值重回三万亿美元。")
            .iter()
            .all(|n| n != "收高"));
    }

    #[test]
    fn common_nouns_are_not() {
        assert!(names("不少用户亏损严重,市场估值下降。").is_empty());
        assert!(names("公司亏损3亿元。").is_empty());
    }

    fn wire(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        find_wire_names(text, &mut out);
        out.iter()
            .map(|m| text[m.nspan.0..m.nspan.1].to_string())
            .collect()
    }

    #[test]
    fn wire_names_before_tickers_and_in_brackets() {
        assert_eq!(
            wire("CONVENIENT FOOD MART INC <CFMI> 4TH QTR NET - Shr 42 cts"),
            vec!["CONVENIENT FOOD MART INC"]
        );
        assert_eq!(
            wire(
                "WALL STREET STOCKS/POLAROID <PRD> - suit pending with Eastman Kodak Co <EK> sent"
            ),
            vec!["POLAROID", "Eastman Kodak Co"]
        );
        assert_eq!(
            wire("it agreed to buy <Seashore Bankshares Inc> in an exchange"),
            vec!["Seashore Bankshares Inc"]
        );
        assert!(wire("shares of <AMD> rose").is_empty());
    }

    #[test]
    fn latin_deal_objects() {
        let mut out = Vec::new();
        let t = "Oracle completed its acquisition of Cerner for $28.3 billion. Getty Images sued Stability AI in London.";
        find_latin_deal_objects(t, &mut out);
        let got: Vec<&str> = out.iter().map(|m| &t[m.nspan.0..m.nspan.1]).collect();
        assert_eq!(got, vec!["Cerner", "Stability AI"]);
    }

    fn span_of(text: &str, part: &str) -> (usize, usize) {
        let at = text.find(part).unwrap();
        (at, at + part.len())
    }

    #[test]
    fn generic_descriptions_are_no_names() {
        let t = "一家芯片初创公司宣布融资，某软件公司裁员，终审法院驳回上诉，腾讯公司回应。";
        let seg = crate::segment::segment(t, true);
        assert!(is_generic_description(
            t,
            &seg,
            span_of(t, "一家芯片初创公司")
        ));
        assert!(is_generic_description(t, &seg, span_of(t, "芯片初创公司")));
        assert!(is_generic_description(t, &seg, span_of(t, "某软件公司")));
        assert!(!is_generic_description(t, &seg, span_of(t, "终审法院")));
        assert!(!is_generic_description(t, &seg, span_of(t, "腾讯公司")));
    }

    #[test]
    fn status_word_and_noun_is_no_place() {
        let t = "他跳槽到新东家，后来去了新疆和新加坡。";
        assert!(is_common_phrase(t, span_of(t, "新东家")));
        assert!(!is_common_phrase(t, span_of(t, "新疆")));
        assert!(!is_common_phrase(t, span_of(t, "新加坡")));
    }

    #[test]
    fn model_codes_and_product_names() {
        assert!(is_model_code("Y仍是") && is_model_code("S25 sold") && is_model_code("15,"));
        assert!(!is_model_code("Pro Max") && !is_model_code("said"));
        let t =
            "小米发布了新款手机Xiaomi 15。Apple launched the iPhone 16 Pro. Xiaomi 15 sold well.";
        assert!(is_product_name(t, span_of(t, "Xiaomi")));
        assert!(is_product_name(t, span_of(t, "iPhone")));
        let later = t.rfind("Xiaomi").unwrap();
        assert!(!is_product_name(t, (later, later + "Xiaomi".len())));
    }

    #[test]
    fn investors_listed_in_a_funding_sentence() {
        let t = "Investors include Tiger Global, Coatue and Lightspeed. The team was led by John Smith.";
        let seg = crate::segment::segment(t, true);
        let mut out = Vec::new();
        find_investor_lists(t, &seg, &mut out);
        let got: Vec<&str> = out.iter().map(|m| &t[m.nspan.0..m.nspan.1]).collect();
        assert_eq!(got, vec!["Tiger Global", "Coatue", "Lightspeed"]);
    }

    #[test]
    fn names_after_deal_verbs_and_their_lists() {
        let v = names("云鑫创投受让了税友软件4.99%的股权。");
        assert!(v.contains(&"税友软件".to_string()), "{v:?}");
    }

    /// A list a deal verb opens and 等 closes names its objects, even made of words the
    /// dictionary knows (大众 + 点评); a list of fields does not.
    #[test]
    fn an_enumerated_list_after_a_deal_verb() {
        // Any score: a name led by a place word (英雄/ns) scores higher.
        let v = names_scored("星河资本先后投资过大众点评、英雄互娱、人人车等项目。", &[]);
        for name in ["大众点评", "英雄互娱", "人人车"] {
            assert!(v.contains(&name.to_string()), "{name}: {v:?}");
        }
        let v = names("星河资本投资过教育、医疗、消费等领域。");
        assert!(
            !v.iter().any(|n| n == "教育" || n == "医疗" || n == "消费"),
            "{v:?}"
        );
    }
    /// A name defined as a company (`X是…公司`) is sure: it beats a tagger place read
    /// inside it, as a name before 营收 does.
    #[test]
    fn a_name_defined_as_a_company_beats_a_place_inside_it() {
        let text = "一向低调的酷鲸智联是国内最大的物流软件公司。";
        let seg = crate::segment::segment(text, true);
        let mut ruled = Vec::new();
        find(text, &seg, &mut ruled);
        let name = text.find("酷鲸智联").expect("in text");
        let span = (name, name + "酷鲸智联".len());
        assert!(
            ruled.iter().any(|r| r.nspan == span && r.score == SURE_SCORE),
            "{:?}",
            ruled
        );
        let place = (name, name + "酷鲸".len());
        let mut tagged = vec![crate::recognize::entity::test_mention(place, EntityType::Loc)];
        settle(text, &seg, &mut tagged, &[], &mut ruled);
        assert!(tagged.is_empty(), "{tagged:?}");
    }


    /// The candidates of [`find_with`], comparable.
    fn found_with(text: &str, near_cues: bool) -> Vec<(usize, usize, u32, String)> {
        let seg = crate::segment::segment(text, true);
        let mut out = Vec::new();
        let cut: CutPieces = if near_cues { cut_pieces_near } else { cut_pieces };
        find_with(text, &seg, &mut out, cut, None);
        out.iter()
            .map(|m| (m.nspan.0, m.nspan.1, m.score.to_bits(), format!("{:?}{:?}", m.kind, m.source)))
            .collect()
    }

    /// No clause mark can stand in a name, join or bridge, whatever jieba tags it: the walks
    /// from a cue stop at it (what [`cut_pieces_near`] rests on).
    #[test]
    fn clause_marks_stop_every_walk() {
        for word in [",", ";", ":", "!", "?", "\n", "。"] {
            assert!(!clause_mark_is_cue(word.as_bytes()), "{word:?} is a cue");
            for pos in ["x", "w", "n", "nz", "v", "eng"] {
                let t = Token { start: 0, end: word.len(), pos };
                assert!(is_clause_mark(word, &t), "{word:?}");
                let Some(p) = piece(word, 0, word.len(), pos) else {
                    panic!("a piece of {word:?}");
                };
                assert!(!p.can_be_in_name() && !p.is_company_head() && !bridges(&p));
                assert!(!matches!(p.word, "、" | "和" | "及" | "以及" | "等" | "的"));
            }
            // A mark tagged as a number bridges, and is no mark.
            let t = Token { start: 0, end: word.len(), pos: "m" };
            assert!(!is_clause_mark(word, &t));
        }
        let t = Token { start: 0, end: 3, pos: "x" };
        assert!(!is_clause_mark("、", &t));
    }

    /// The pieces near the cues are the pieces of every word, clause by clause: each window
    /// is a run of the plain pieces, opened and closed by a mark (or the text's ends).
    #[test]
    fn pieces_near_cues_are_runs_of_all_pieces() {
        let text = "今年以来,淘集集已经亏损近12亿元。市场很大,用户很多。\n旗下的云鑫创投收购了税友软件、\
                    赣锋锂业(002460.SZ)股价下跌;宝尊电商是中国最著名的电商代运营公司!与新加坡电信、传音合作";
        let seg = crate::segment::segment(text, true);
        let mut cuts: Vec<usize> = cue_positions(text, None).iter().map(|&(p, _)| p).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let key = |ps: &[Piece<'_>]| -> Vec<(usize, usize, &'static str)> {
            ps.iter().map(|p| (p.start, p.end, p.pos)).collect()
        };
        let all = key(&cut_pieces(text, &seg.tokens, &cuts));
        let near = key(&cut_pieces_near(text, &seg.tokens, &cuts));
        assert!(near.len() < all.len(), "{} of {}", near.len(), all.len());
        let mut rest = &all[..];
        for p in &near {
            let Some(at) = rest.iter().position(|q| q == p) else {
                panic!("{p:?} is not a piece in order");
            };
            rest = &rest[at + 1..];
        }
        let windows = cue_windows(text, &seg.tokens, &cuts);
        for w in windows.windows(2) {
            assert!(w[0].1 < w[1].0, "{windows:?}");
        }
        for &(a, b) in &windows {
            assert!(a == 0 || is_clause_mark(text, &seg.tokens[a]), "{a}");
            assert!(b == seg.tokens.len() || is_clause_mark(text, &seg.tokens[b - 1]), "{b}");
        }
        assert_eq!(found_with(text, true), found_with(text, false));
    }

    /// The words of the random texts below: cues (predicates, deal verbs, stock codes, the
    /// copula and partner words), names, joiners, bridges, clause marks and filler.
    const WORDS: [&str; 48] = [
        "亏损", "营收", "净营收为", "股价", "估值", "融资", "旗下", "上市", "收购了", "入股",
        "投资过", "受让", "(002460.SZ)", "(Nasdaq:CYOU)", "是", "公司", "与", "合作", "一家",
        "淘集集", "税友软件", "云鑫创投", "赣锋锂业", "新加坡电信", "大众", "点评", "Nova",
        "远澜创投", "由远澜", "、", "和", "及", "等", "的", "已经", "今年", "11亿元", "B轮",
        ",", "。", ";", "!", "\n", " ", "中国", "市场", "用户", "领域",
    ];

    proptest::proptest! {
        /// Texts made of cue words, names and filler: the pieces near the cues give the
        /// names all the pieces give.
        #[test]
        fn names_near_cues_are_the_names_of_all_pieces(
            picks in proptest::collection::vec(0..WORDS.len(), 1..40)
        ) {
            let text: String = picks.iter().map(|&i| WORDS[i]).collect();
            proptest::prop_assert_eq!(found_with(&text, true), found_with(&text, false), "{}", text);
        }
    }
}
