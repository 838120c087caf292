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
/// Confidence of such a name when it opens with a place (新加坡电信).
const PLACE_LED_SCORE: f32 = 0.995;
/// Confidence of a further occurrence of such a name.
const OTHER_SCORE: f32 = 0.7;

/// A stock code in brackets right after a name.
static STOCK_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(\s*(?:\d{6}\.(?:SZ|SH|BJ|sz|sh)|\d{4,5}\.(?:HK|hk)|(?:[A-Za-z]+|纳斯达克|纽交所|港交所|上交所|深交所)\s*[:：]\s*[A-Z][A-Z.]{0,6}\d*)\s*\)")
        .expect("the stock-code pattern is fixed")
});

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

/// Words allowed between a name and its predicate (淘集集已经亏损, 税友软件的估值,
/// 云帆智能科技上半年实现营业收入, 银河通用宣布完成11亿元B轮融资).
const LINK_WORDS: &[&str] = &[
    "已经",
    "已",
    "也",
    "则",
    "还",
    "的",
    "此前",
    "曾",
    "一度",
    "今年",
    "去年",
    "上半年",
    "下半年",
    "全年",
    "前三季度",
    "实现",
    "录得",
    "取得",
    "完成",
    "获得",
    "宣布",
    "正式",
    "共",
    "累计",
    "同期",
];
/// Most words that may stand between a name and its predicate.
const MAX_BRIDGE: usize = 5;

/// Time words, numbers and amounts bridge too (2025年第二季度, 11亿元 B轮).
fn bridges(p: &Piece<'_>) -> bool {
    LINK_WORDS.contains(&p.word)
        || matches!(p.pos, "t" | "tg" | "m" | "mq" | "q")
        || ["年", "月", "日", "季度", "轮"]
            .iter()
            .any(|w| p.word.ends_with(w))
        || (p.word.is_ascii() && p.word.len() <= 3)
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
            && self
                .word
                .chars()
                .all(|ch| is_han(ch) || ch.is_ascii_alphanumeric())
            && !function_word(self.pos)
            && !(verb && known)
            && !c.org_noun.contains(&self.word)
            && !c.org_before.contains(&self.word)
            && !c.title_set.contains(self.word)
            && !c.biz_after.contains(&self.word)
    }

    /// A head word that may close a name after a proper word (阅文 + 集团, 蚂蚁 + 金服).
    fn is_company_head(&self) -> bool {
        let c = cues();
        c.org_suffix_zh.contains(&self.word) || c.org_noun.contains(&self.word)
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
        // 宝尊电商是中国最著名的电商代运营公司: a name defined as a company.
        if ch == '是' {
            let clause_end = rest.find([',', '。', ';', '!', '?']).unwrap_or(rest.len());
            let clause = &rest[..clause_end];
            if clause.ends_with("公司") || clause.ends_with("企业") || clause.ends_with("集团")
            {
                out.push((p, Around::NameBefore));
            }
        }
        if let Some(verb) = starts_with_any(rest, &c.biz_object) {
            out.push((p + verb.len(), Around::NamesAfter));
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

/// Words, cut at every cue position (jieba may run a word across a name's end: 台积/电净营/收为).
fn cut_pieces<'a>(text: &'a str, tokens: &[Token], cuts: &[usize]) -> Vec<Piece<'a>> {
    let mut out = Vec::with_capacity(tokens.len() + cuts.len());
    for t in tokens {
        let lo = cuts.partition_point(|&c| c <= t.start);
        let hi = cuts.partition_point(|&c| c < t.end);
        let mut start = t.start;
        for &cut in &cuts[lo..hi] {
            out.extend(piece(text, start, cut, t.pos).into_iter().flat_map(unglue));
            start = cut;
        }
        out.extend(
            piece(text, start, t.end, t.pos)
                .into_iter()
                .flat_map(unglue),
        );
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

/// Prepositions jieba may glue to the unknown name after them (由远/澜创投).
const GLUED_PREPOSITIONS: &[char] = &[
    '由', '被', '向', '对', '与', '和', '在', '从', '将', '把', '给', '据',
];

/// Splits a preposition off an unknown word it was glued to.
fn unglue(p: Piece<'_>) -> Vec<Piece<'_>> {
    match p.word.chars().next() {
        Some(c)
            if GLUED_PREPOSITIONS.contains(&c)
                && p.word.chars().count() > 1
                && !jieba().has_word(p.word) =>
        {
            let cut = p.start + c.len_utf8();
            let head = Piece {
                word: &p.word[..c.len_utf8()],
                pos: "p",
                start: p.start,
                end: cut,
            };
            let tail = Piece {
                word: &p.word[c.len_utf8()..],
                pos: p.pos,
                start: cut,
                end: p.end,
            };
            vec![head, tail]
        }
        _ => vec![p],
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

/// A deal verb and the capitalised name after it (`acquisition of Cerner`, `sued Stability
/// AI`, `a stake in Wrather Corp`): English news names the other party of a deal by its
/// brand, often one word the tagger reads as a person or misses.
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

/// Pushes ORG candidates for the company names business context reveals.
pub fn find(text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
    find_wire_names(text, out);
    find_latin_deal_objects(text, out);
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
            let mut end = bridge_start(&ps, i);
            // The name and the names listed before it (川木资本、鸣岐投资跟投).
            while let Some((s, e)) = name_ending_at(&ps, end) {
                found.push((ps[s].start, ps[e - 1].end));
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
            Around::NamesAfter => name_list(&ps, i, &mut found),
            Around::Partners => name_list(&ps, i + 1, &mut found),
            Around::NameBefore => {}
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
        named.push(MentionCandidate {
            nspan: (a, b),
            kind: EntityType::Org,
            score: if place_led { PLACE_LED_SCORE } else { SCORE },
            source: MentionSource::Rule,
        });
    }
    super::mark_other_occurrences(text, &mut named, EntityType::Org, OTHER_SCORE);
    out.extend(named);
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
        assert_eq!(
            names("国内锂资源巨头赣锋锂业(002460.SZ)股价下跌。"),
            vec!["赣锋锂业"]
        );
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

    #[test]
    fn names_after_deal_verbs_and_their_lists() {
        let v = names("云鑫创投受让了税友软件4.99%的股权。");
        assert!(v.contains(&"税友软件".to_string()), "{v:?}");
    }
}
