//! Registered Chinese company names. A legal form (有限公司, 股份有限公司, ...: the
//! `legal_form_zh` cues of `data/entity_cues.tsv`) closes the name, and the name runs left
//! from it over the words such names are made of (place, brand, trade: 北京 + 趣读趣写 +
//! 科技发展) until a word that cannot be part of one: punctuation or a space, a preposition,
//! conjunction, particle, pronoun, adverb or plain verb (对, 和, 的, 该, 依法, 经营), or a
//! word for a company itself (子公司, 旗下). The statistical tagger often cuts such long,
//! rare names (展有限公司 of 北京趣读趣写科技发展有限公司); this rule gives the whole span.

use std::sync::LazyLock;

use memchr::memmem;

use super::cues::cues;
use crate::document::EntityType;
use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};
use crate::segment::{Segmented, Token};

/// Longest name (in characters, without the legal form) the rule accepts: longer runs
/// mean no boundary was found.
const MAX_NAME_CHARS: usize = 24;

/// jieba POS tags of words that never stand inside a company name.
pub(super) fn stops_a_name(pos: &str) -> bool {
    matches!(
        pos,
        "p" | "c"
            | "u"
            | "ud"
            | "ug"
            | "uj"
            | "ul"
            | "uv"
            | "uz"
            | "d"
            | "df"
            | "dg"
            | "r"
            | "rr"
            | "rz"
            | "rg"
            | "v"
            | "vd"
            | "vi"
            | "y"
            | "e"
            | "o"
            | "x"
            | "f"
            | "m"
            | "mq"
    )
}

/// Verbs and copulas that end a name even as one character (是北京某某有限公司的股东).
/// Other one-character "verbs" are usually pieces of a brand jieba does not know (趣读趣写
/// comes out as 趣 / 读趣 / 写), so they may stand inside a name.
const ONE_CHAR_STOPS: &str = "是有为让叫称说要会能到去来将把被";

/// Can `piece` (a word, or the part of it before the legal form) stand inside a name?
fn name_piece(piece: &str, pos: &str) -> bool {
    let one_char = piece.chars().count() == 1;
    let verb = matches!(pos, "v" | "vi" | "vd");
    let stop = if one_char && verb {
        piece.chars().all(|c| ONE_CHAR_STOPS.contains(c))
    } else {
        stops_a_name(pos)
    };
    !piece.is_empty()
        && !stop
        && piece
            .chars()
            .all(|c| is_han(c) || c.is_ascii_alphanumeric())
        && !cues().org_noun.contains(&piece)
        && !cues().org_before.contains(&piece)
}

/// The searcher for `公司`, built once: `str::match_indices` sets up a two-way searcher
/// for every text it is asked of, which cost more than the search itself on one-line
/// documents.
static COMPANY_WORD: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("公司"));

/// The byte offsets of `公司` in `text`, as `text.match_indices("公司")` gives them (the
/// word cannot overlap itself, so non-overlapping matches are all of them).
fn company_words(text: &str) -> impl Iterator<Item = usize> + '_ {
    COMPANY_WORD.find_iter(text.as_bytes())
}

/// Pushes one ORG candidate per registered company name found.
pub(crate) fn find(text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
    let forms = &cues().legal_form_zh;
    let mut last_end = 0;
    for i in company_words(text) {
        let end = i + "公司".len();
        if end <= last_end {
            continue;
        }
        let Some(form) = forms.iter().find(|f| text[..end].ends_with(**f)) else {
            continue;
        };
        let form_start = end - form.len();
        if let Some(start) = name_start(text, &seg.tokens, form_start) {
            last_end = end;
            out.push(MentionCandidate {
                nspan: (start, end),
                kind: EntityType::Org,
                score: 0.85,
                source: MentionSource::Rule,
            });
        }
    }
}

/// Longest listed short name (in characters) taken before a stock code.
const MAX_SHORT_NAME_CHARS: usize = 8;

/// Whether `code` is a stock code as news writes it after a listed company's short name:
/// six digits for Shanghai, Shenzhen and Beijing, with or without an exchange mark
/// (600519, 603259.SH, SZ000001), four or five digits with `.HK` for Hong Kong (0700.HK).
fn is_stock_code(code: &str) -> bool {
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let upper = code.to_ascii_uppercase();
    if let Some((num, mark)) = upper.split_once('.') {
        return match mark {
            "SH" | "SZ" | "SS" | "BJ" => digits(num, 6..=6),
            "HK" => digits(num, 4..=5),
            _ => false,
        };
    }
    let bare = upper
        .strip_prefix("SH")
        .or_else(|| upper.strip_prefix("SZ"))
        .unwrap_or(&upper);
    digits(bare, 6..=6)
}

/// The longest bracketed stock code, in bytes (with spaces around it).
const STOCK_CODE_BYTES: usize = 12;

/// Pushes one ORG candidate per short name right before a bracketed stock code
/// (贵州茅台(600519), 药明康德(603259.SH)): the name runs left over the words a name is made
/// of, as for legal forms, and is at most a few characters long.
pub(crate) fn find_before_stock_codes(
    text: &str,
    seg: &Segmented,
    out: &mut Vec<MentionCandidate>,
) {
    for (open, _) in text.match_indices('(') {
        // A code is at most 12 bytes: the closing bracket is looked for only that far (an
        // opening bracket of prose would search to the next closing one, far away).
        let Some(inner) = text.get(open + 1..).and_then(|r| {
            let near = r.as_bytes().get(..r.len().min(STOCK_CODE_BYTES + 1))?;
            r.get(..memchr::memchr(b')', near)?)
        }) else {
            continue;
        };
        if inner.len() > STOCK_CODE_BYTES || !is_stock_code(inner.trim()) {
            continue;
        }
        let Some(start) = walk(text, &seg.tokens, open, false) else {
            continue;
        };
        let name = &text[start..open];
        if name.chars().count() > MAX_SHORT_NAME_CHARS || !name.chars().any(is_han) {
            continue;
        }
        out.push(MentionCandidate {
            nspan: (start, open),
            kind: EntityType::Org,
            score: 0.85,
            source: MentionSource::Rule,
        });
    }
}

/// Where the name closed by the legal form at `form_start` begins, if it has one.
///
/// Most registered names open with their place (北京, 深圳市): walking left, a brand may
/// hold words jieba tags as verbs or numerals (阅微, 锐动, 四月), so the walk first lets
/// those through and stops at the first place name (with any places right before it:
/// 广东省深圳市). Without a place in reach, the name ends at the first verb.
fn name_start(text: &str, tokens: &[Token], form_start: usize) -> Option<usize> {
    walk(text, tokens, form_start, true).or_else(|| walk(text, tokens, form_start, false))
}

/// One walk left from the legal form; `anchored`: the place-anchored walk described above.
fn walk(text: &str, tokens: &[Token], form_start: usize, anchored: bool) -> Option<usize> {
    let mut start = form_start;
    let mut chars = 0usize;
    let mut in_place = false;
    let mut j = tokens.partition_point(|t| t.start < form_start);
    while j > 0 {
        let t = tokens[j - 1];
        if t.end < start {
            break; // a gap (space) between words
        }
        let piece = text.get(t.start..t.end.min(start))?;
        let is_place = matches!(t.pos, "ns" | "nsf");
        if in_place && !is_place {
            break;
        }
        if piece == ")" {
            // A place in brackets inside the name: 快看世界(北京)科技有限公司.
            let k = (j.saturating_sub(5)..j - 1)
                .rev()
                .find(|&k| text.get(tokens[k].start..tokens[k].end) == Some("("))?;
            let inner = &tokens[k + 1..j - 1];
            if inner.is_empty()
                || !inner.iter().all(|u| {
                    text.get(u.start..u.end)
                        .is_some_and(|w| w.chars().all(is_han))
                })
            {
                break;
            }
            start = tokens[k].start;
            j = k;
            continue;
        }
        let brand_word = anchored
            && piece.chars().count() >= 2
            && matches!(t.pos, "v" | "vi" | "vd" | "vg" | "m" | "t")
            && piece.chars().all(is_han);
        if !brand_word && !name_piece(piece, t.pos) {
            break;
        }
        chars += piece.chars().count();
        if chars > MAX_NAME_CHARS {
            return None;
        }
        start = t.start;
        in_place |= anchored && is_place;
        j -= 1;
    }
    if anchored && !in_place {
        return None;
    }
    // A name starts with a character of a name, not a bracket.
    let first = text.get(start..form_start)?.chars().next()?;
    (chars >= 2 && first != '(').then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    /// The closing bracket looked for only as far as a code reaches gives the names the
    /// search to the next closing bracket gave.
    #[test]
    fn near_closing_brackets_find_the_same_codes() {
        let plain = |text: &str| -> Vec<usize> {
            text.match_indices('(')
                .filter(|&(open, _)| {
                    text.get(open + 1..)
                        .and_then(|r| r.split_once(')'))
                        .is_some_and(|(inner, _)| inner.len() <= STOCK_CODE_BYTES && is_stock_code(inner.trim()))
                })
                .map(|m| m.0)
                .collect()
        };
        let text = "贵州茅台(600519)涨,药明康德( 603259.SH )跌,(说明文字很长很长)和(0700.HK)以及(600519";
        let seg = segment(text, true);
        let mut out = Vec::new();
        find_before_stock_codes(text, &seg, &mut out);
        let opens: Vec<usize> = out.iter().map(|m| m.nspan.1).collect();
        assert!(!opens.is_empty());
        assert!(opens.iter().all(|o| plain(text).contains(o)));
        assert_eq!(plain(text).len(), 3);
    }

    /// The prebuilt searcher finds what `match_indices` finds.
    #[test]
    fn company_words_are_match_indices() {
        for text in [
            "",
            "公司",
            "公司公司",
            "北京某某有限公司是子公司的股东,公",
            "司公司司公",
            "abc公司x公司",
        ] {
            let plain: Vec<usize> = text.match_indices("公司").map(|(i, _)| i).collect();
            assert_eq!(company_words(text).collect::<Vec<_>>(), plain, "{text:?}");
        }
    }

    fn names(text: &str) -> Vec<String> {
        let seg = segment(text, true);
        let mut out = Vec::new();
        find(text, &seg, &mut out);
        out.iter()
            .map(|m| text[m.nspan.0..m.nspan.1].to_string())
            .collect()
    }

    fn before_codes(text: &str) -> Vec<String> {
        let seg = segment(text, true);
        let mut out = Vec::new();
        find_before_stock_codes(text, &seg, &mut out);
        out.iter()
            .map(|m| text[m.nspan.0..m.nspan.1].to_string())
            .collect()
    }

    #[test]
    fn short_names_before_stock_codes() {
        assert_eq!(
            before_codes("药明康德(603259.SH)发布公告称"),
            vec!["药明康德"]
        );
        assert_eq!(
            before_codes("他持有的贵州茅台(600519)股份"),
            vec!["贵州茅台"]
        );
        assert_eq!(before_codes("周一，比亚迪(002594.SZ)收涨"), vec!["比亚迪"]);
        // Not a stock code, or nothing name-like before it.
        assert!(before_codes("营收增长(2023)").is_empty());
        assert!(before_codes("电话(12345678)").is_empty());
        assert!(before_codes("的(600519)").is_empty());
        assert!(is_stock_code("SZ000001") && is_stock_code("600519.ss"));
        assert!(!is_stock_code("60051") && !is_stock_code("600519.XX"));
    }

    #[test]
    fn whole_registered_names() {
        assert_eq!(
            names("北京趣读趣写科技发展有限公司经营的手机App受到处罚。"),
            vec!["北京趣读趣写科技发展有限公司"]
        );
        assert_eq!(
            names("依法对北京评谷教育科技有限公司作出罚款。"),
            vec!["北京评谷教育科技有限公司"]
        );
        assert_eq!(
            names("快看世界(北京)科技有限公司、上海星河数码股份有限公司和某人签约。"),
            vec!["快看世界(北京)科技有限公司", "上海星河数码股份有限公司"]
        );
        assert_eq!(
            names("他与深圳市腾飞网络技术有限公司签署协议。"),
            vec!["深圳市腾飞网络技术有限公司"]
        );
        // Brand words jieba reads as verbs or numerals, up to the place that opens the name.
        assert_eq!(
            names("北京博阅锐动科技发展有限公司、北京四月星空网络技术有限公司被罚。"),
            vec![
                "北京博阅锐动科技发展有限公司",
                "北京四月星空网络技术有限公司"
            ]
        );
        // The verb before the place is not part of the name.
        assert_eq!(
            names("腾讯宣布收购北京幻想纵横网络技术有限公司。"),
            vec!["北京幻想纵横网络技术有限公司"]
        );
        // No place: the name stops at the verb.
        assert_eq!(
            names("他们成立了星河数码有限公司。"),
            vec!["星河数码有限公司"]
        );
    }

    #[test]
    fn no_name_no_candidate() {
        // A bare legal form, a pronoun before it, a company word before it.
        assert!(names("有限公司的股东会决议。").is_empty());
        assert!(names("该有限公司已经注销。").is_empty());
        assert!(names("这是一家有限公司。").is_empty());
        assert!(names("").is_empty());
    }
}
