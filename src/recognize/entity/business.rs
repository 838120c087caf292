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

use std::sync::LazyLock;

use regex::Regex;

use super::cues::{cues, starts_with_any};
use crate::document::EntityType;
use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};
use crate::segment::{jieba, Segmented, Token};


const MAX_WORDS: usize = 3;
const MAX_CHARS: usize = 8;
/// Confidence of a name read from business context: above the tagger's doubtful pieces,
/// below its confident names and the registered-name rule.
const SCORE: f32 = 0.9;
/// Confidence of a further occurrence of such a name.
const OTHER_SCORE: f32 = 0.7;

/// A stock code in brackets right after a name.
static STOCK_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(\s*(?:\d{6}\.(?:SZ|SH|BJ|sz|sh)|\d{4,5}\.(?:HK|hk)|(?:[A-Za-z]+|纳斯达克|纽交所|港交所|上交所|深交所)\s*[:：]\s*[A-Z][A-Z.]{0,6}\d*)\s*\)")
        .expect("the stock-code pattern is fixed")
});

/// jieba tags of words that never stand inside a name.
fn function_word(pos: &str) -> bool {
    matches!(
        pos,
        "p" | "c" | "u" | "ud" | "ug" | "uj" | "ul" | "uv" | "uz" | "d" | "df" | "dg" | "r"
            | "rr" | "rz" | "rg" | "t" | "tg" | "m" | "mq" | "q" | "f" | "y" | "e" | "o" | "x"
            | "w" | "a" | "ad" | "an" | "s" | "l" | "i"
    )
}

/// Words allowed between a name and its predicate (淘集集已经亏损, 税友软件的估值).
const LINK_WORDS: &[&str] = &["已经", "已", "也", "则", "还", "的", "此前", "曾", "一度", "今年", "去年"];

#[derive(Clone, Copy)]
struct Piece<'a> {
    word: &'a str,
    pos: &'static str,
    start: usize,
    end: usize,
}

impl Piece<'_> {
    /// Can the word stand inside a company name?
    fn can_be_in_name(&self) -> bool {
        let c = cues();
        let known = jieba().has_word(self.word);
        let verb = matches!(self.pos, "v" | "vi" | "vd" | "vn");
        !self.word.is_empty()
            && self.word.chars().all(|ch| is_han(ch) || ch.is_ascii_alphanumeric())
            && !function_word(self.pos)
            && !(verb && known)
            && !c.org_noun.contains(&self.word)
            && !c.org_before.contains(&self.word)
            && !c.title_set.contains(self.word)
            && !c.biz_after.contains(&self.word)
    }

    /// Does the word make the run a name (unknown to the dictionary, or a proper noun)?
    fn is_proper(&self) -> bool {
        !jieba().has_word(self.word)
            || matches!(self.pos, "nz" | "nt" | "nrt" | "nr" | "j" | "eng" | "ns")
    }
}

/// Is `run` (consecutive words) a name? See the module notes.
fn is_name(run: &[Piece<'_>]) -> bool {
    let chars: usize = run.iter().map(|p| p.word.chars().count()).sum();
    let lone_person = run.len() == 1 && run[0].pos.starts_with("nr") && chars <= 3;
    let latin_only = run.iter().all(|p| p.word.is_ascii());
    !run.is_empty()
        && run.len() <= MAX_WORDS
        && (2..=MAX_CHARS).contains(&chars)
        && run.windows(2).all(|w| w[0].end == w[1].start)
        && run.iter().all(Piece::can_be_in_name)
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
    Regex::new(r"<([A-Z][A-Za-z0-9&'.,/ -]*[a-z ][A-Za-z0-9&'.,/ -]*)>").expect("the bracket pattern is fixed")
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
            let is_connector = c.connector.contains(bare) || bare == "&" || bare == "AND" || bare == "OF";
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
            if c.connector.contains(first) || first == "AND" || first == "OF" || c.stop.contains(first) {
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
    /// A deal verb ends here: a list of names starts here.
    NamesAfter,
    /// 与 of `A与B、C达成合作`: a name ends here and a list starts after it.
    Partners,
}

/// The cue positions of a text (byte offsets on char boundaries).
fn cue_positions(text: &str) -> Vec<(usize, Around)> {
    let c = cues();
    let mut out = Vec::new();
    // The end of the last predicate: a cue inside it (营收 of 净营收) is no cue of its own.
    let mut inside_until = 0;
    for (p, ch) in text.char_indices() {
        let rest = &text[p..];
        if let Some(cue) = starts_with_any(rest, &c.biz_after).filter(|_| p >= inside_until) {
            out.push((p, Around::NameBefore));
            inside_until = p + cue.len();
        } else if ch == '(' && STOCK_CODE.is_match(rest) {
            out.push((p, Around::NameBefore));
        }
        if let Some(verb) = starts_with_any(rest, &c.biz_object) {
            out.push((p + verb.len(), Around::NamesAfter));
        }
        if ch == '与' {
            let clause_end = rest.find(|x: char| matches!(x, ',' | '。' | ';' | '!' | '?')).unwrap_or(rest.len());
            if c.biz_partner.iter().any(|w| rest[..clause_end].contains(w)) {
                out.push((p, Around::Partners));
            }
        }
    }
    out
}

/// Words, cut at every cue position (jieba may run a word across a name's end: 台积/电净营/收为).
fn cut_pieces<'a>(text: &'a str, tokens: &[Token], cuts: &[usize]) -> Vec<Piece<'a>> {
    let mut out = Vec::with_capacity(tokens.len() + cuts.len());
    for t in tokens {
        let lo = cuts.partition_point(|&c| c <= t.start);
        let hi = cuts.partition_point(|&c| c < t.end);
        let mut start = t.start;
        for &cut in &cuts[lo..hi] {
            out.extend(piece(text, start, cut, t.pos));
            start = cut;
        }
        out.extend(piece(text, start, t.end, t.pos));
    }
    out
}

fn piece<'a>(text: &'a str, start: usize, end: usize, pos: &'static str) -> Option<Piece<'a>> {
    Some(Piece {
        word: text.get(start..end).filter(|w| !w.is_empty())?,
        pos,
        start,
        end,
    })
}

/// The names of a list starting at word `j` (A、B和C).
fn name_list(ps: &[Piece<'_>], mut j: usize, found: &mut Vec<(usize, usize)>) {
    while let Some((s, e)) = name_starting_at(ps, j) {
        found.push((ps[s].start, ps[e - 1].end));
        match ps.get(e).map(|p| p.word) {
            Some("、" | "和" | "及" | "以及") => j = e + 1,
            _ => break,
        }
    }
}

/// Pushes ORG candidates for the company names business context reveals.
pub fn find(text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
    find_wire_names(text, out);
    if !text.chars().any(is_han) {
        return;
    }
    let positions = cue_positions(text);
    if positions.is_empty() {
        return;
    }
    let mut cuts: Vec<usize> = positions.iter().map(|&(p, _)| p).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let ps = cut_pieces(text, &seg.tokens, &cuts);
    let mut found: Vec<(usize, usize)> = Vec::new();
    for &(p, around) in &positions {
        let i = ps.partition_point(|x| x.start < p);
        if matches!(around, Around::NameBefore | Around::Partners) && i > 0 {
            let end = if LINK_WORDS.contains(&ps[i - 1].word) { i - 1 } else { i };
            if let Some((s, e)) = name_ending_at(&ps, end) {
                found.push((ps[s].start, ps[e - 1].end));
            }
        }
        match around {
            Around::NamesAfter => name_list(&ps, i, &mut found),
            Around::Partners => name_list(&ps, i + 1, &mut found),
            Around::NameBefore => {}
        }
    }
    found.sort_unstable();
    found.dedup();
    let mut names: Vec<&str> = found.iter().filter_map(|&(a, b)| text.get(a..b)).collect();
    for &(a, b) in &found {
        out.push(MentionCandidate {
            nspan: (a, b),
            kind: EntityType::Org,
            score: SCORE,
            source: MentionSource::Rule,
        });
    }
    names.sort_unstable();
    names.dedup();
    for name in names {
        for (at, _) in text.match_indices(name) {
            let span = (at, at + name.len());
            if !found.iter().any(|f| f.0 < span.1 && span.0 < f.1) {
                out.push(MentionCandidate {
                    nspan: span,
                    kind: EntityType::Org,
                    score: OTHER_SCORE,
                    source: MentionSource::Rule,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let seg = crate::segment::segment(text, true);
        let _ = &seg;
        let mut out = Vec::new();
        find(text, &seg, &mut out);
        let mut v: Vec<String> = out
            .iter()
            .filter(|m| m.score == SCORE)
            .map(|m| text[m.nspan.0..m.nspan.1].to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn brands_before_business_predicates_are_companies() {
        assert_eq!(names("今年以来,淘集集已经亏损近12亿元。"), vec!["淘集集"]);
        assert_eq!(names("国内锂资源巨头赣锋锂业(002460.SZ)股价下跌。"), vec!["赣锋锂业"]);
    }

    #[test]
    fn common_nouns_are_not() {
        assert!(names("不少用户亏损严重,市场估值下降。").is_empty());
        assert!(names("公司亏损3亿元。").is_empty());
    }

    fn wire(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        find_wire_names(text, &mut out);
        out.iter().map(|m| text[m.nspan.0..m.nspan.1].to_string()).collect()
    }

    #[test]
    fn wire_names_before_tickers_and_in_brackets() {
        assert_eq!(wire("CONVENIENT FOOD MART INC <CFMI> 4TH QTR NET - Shr 42 cts"), vec!["CONVENIENT FOOD MART INC"]);
        assert_eq!(wire("WALL STREET STOCKS/POLAROID <PRD> - suit pending with Eastman Kodak Co <EK> sent"), vec!["POLAROID", "Eastman Kodak Co"]);
        assert_eq!(wire("it agreed to buy <Seashore Bankshares Inc> in an exchange"), vec!["Seashore Bankshares Inc"]);
        assert!(wire("shares of <AMD> rose").is_empty());
    }

    #[test]
    fn names_after_deal_verbs_and_their_lists() {
        let v = names("云鑫创投受让了税友软件4.99%的股权。");
        assert!(v.contains(&"税友软件".to_string()), "{v:?}");
    }
}
