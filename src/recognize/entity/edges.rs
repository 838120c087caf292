//! Corrections of tagger spans from jieba's words around them, for errors a model trained
//! on 1998 newspaper text makes on business news: a Latin name that takes the Han verb
//! after it (`Meta豪掷`), a person that is the head of a longer common noun (`毛利` of
//! `毛利率`), a by-line name the tagger misses (`记者吴微`), and a reporting period glued to
//! a Han name (`斗鱼Q3`).

use super::cues::cues;
use crate::document::EntityType;
use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};
use crate::segment::{Segmented, Token};

/// Confidence of a by-line person: a jieba person name after a by-line title is sure, but a
/// tagger reading of the same characters keeps its own type and span.
const BYLINE_SCORE: f32 = 0.6;
/// Fewest and most Han characters of a by-line name.
const BYLINE_CHARS: std::ops::RangeInclusive<usize> = 2..=3;

/// jieba POS tags of words that cannot continue a name: verbs (v, vd), adverbs (d, df, ad),
/// prepositions (p), conjunctions (c) and particles (u, uj, ul, uz, ug, uv, ud).
fn is_function_pos(pos: &str) -> bool {
    matches!(pos, "v" | "vd" | "p" | "c" | "ad") || pos.starts_with('d') || pos.starts_with('u')
}

/// The word starting exactly at byte `at`, if any.
fn token_at(seg: &Segmented, at: usize) -> Option<&Token> {
    let i = seg.tokens.partition_point(|t| t.start < at);
    seg.tokens.get(i).filter(|t| t.start == at)
}

/// The word that holds byte `at` strictly inside it (starts before it, ends after it).
fn token_across(seg: &Segmented, at: usize) -> Option<&Token> {
    let i = seg.tokens.partition_point(|t| t.start < at);
    i.checked_sub(1)
        .and_then(|i| seg.tokens.get(i))
        .filter(|t| t.start < at && at < t.end)
}

/// Byte length of the Latin name a span opens with (letters, digits and the spaces, dots,
/// hyphens and ampersands inside a name), when Han text follows it inside the span.
fn leading_latin_name(surface: &str) -> Option<usize> {
    let first_han = surface.char_indices().find(|&(_, c)| is_han(c))?.0;
    let head = &surface[..first_han];
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '&' | '\'');
    let kept = head.trim_end_matches(' ');
    (kept.starts_with(|c: char| c.is_ascii_alphabetic())
        && kept.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2
        && head.chars().all(ok))
    .then_some(first_han)
}

/// Cuts a span (of the tagger or of the business-context rule) that opens with a Latin
/// name and runs on into Han text whose first word is a verb, adverb, preposition,
/// conjunction or particle back to the Latin name (`Meta豪掷143亿美元` -> `Meta`,
/// `Ling能为公司` -> `Ling`): after a Latin name such a word is the predicate, not a Han
/// part of the name (a Han brand piece after a Latin one is a noun: `Nokia公司`).
pub(crate) fn cut_latin_name_before_predicate(
    text: &str,
    seg: &Segmented,
    mentions: &mut [MentionCandidate],
) {
    for m in mentions.iter_mut() {
        let Some(surface) = text.get(m.nspan.0..m.nspan.1) else {
            continue;
        };
        let Some(han_at) = leading_latin_name(surface) else {
            continue;
        };
        let after = m.nspan.0 + han_at;
        if token_at(seg, after).is_some_and(|t| is_function_pos(t.pos)) {
            m.nspan.1 = m.nspan.0 + surface[..han_at].trim_end_matches(' ').len();
        }
    }
}

/// Byte length of the reporting period that ends `surface`: a quarter or half (`Q3`,
/// `H1`, `2019Q3`, `19H2`) or a fiscal year (`FY2024`, `FY24`), in either case.
fn trailing_period(surface: &str) -> Option<usize> {
    let b = surface.as_bytes();
    let n = b.len();
    let is = |i: usize, set: &[u8]| b.get(i).is_some_and(|c| set.contains(&c.to_ascii_uppercase()));
    let period = if n >= 2 && is(n - 2, b"Q") && is(n - 1, b"1234") || n >= 2 && is(n - 2, b"H") && is(n - 1, b"12") {
        // A year may stand before the quarter: 2019Q3, 19Q3.
        let digits = b[..n - 2].iter().rev().take_while(|c| c.is_ascii_digit()).count();
        2 + if digits == 2 || digits == 4 { digits } else { 0 }
    } else {
        let digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
        if !(digits == 2 || digits == 4) || n < digits + 2 || !is(n - digits - 2, b"F") || !is(n - digits - 1, b"Y") {
            return None;
        }
        digits + 2
    };
    // The period must be glued to Han text: `斗鱼Q3`, not the name `Audi Q3` or `Q3`.
    surface[..n - period].chars().next_back().filter(|&c| is_han(c)).map(|_| period)
}

/// Cuts a reporting period glued to the end of a Han name (`斗鱼Q3毛利润` tagged `斗鱼Q3` ->
/// `斗鱼`; `阿里FY2024` -> `阿里`): in business news `Q3`, `H1` or `FY2024` right after a
/// company is the period of its figures, never part of its name.
pub(crate) fn cut_trailing_period(text: &str, mentions: &mut [MentionCandidate]) {
    for m in mentions.iter_mut() {
        let Some(surface) = text.get(m.nspan.0..m.nspan.1) else {
            continue;
        };
        if let Some(period) = trailing_period(surface) {
            m.nspan.1 -= period;
        }
    }
}

/// Ends a tagged organisation that runs from a listed company's name into part of the next
/// word at the listed name (`辉达执` of `辉达执行长`, 辉达 listed, 执行长 the title after it):
/// the table knows where the name ends, and a name does not end inside a word. Without the
/// listed name to stop at, cutting at the word cost held-out MSRA organisations (`tp` 1,515 ->
/// 1,494), so only the listed prefix counts.
pub(crate) fn end_org_at_listed_name(
    seg: &Segmented,
    listed: &[MentionCandidate],
    mentions: &mut [MentionCandidate],
) {
    // Listed organisations by start (listed names do not overlap): one binary search per
    // tagged organisation, not a scan of every listed name.
    let mut names: Vec<(usize, usize)> = listed
        .iter()
        .filter(|l| l.kind == EntityType::Org)
        .map(|l| l.nspan)
        .collect();
    if names.is_empty() {
        return;
    }
    names.sort_unstable();
    for m in mentions.iter_mut() {
        if m.source != MentionSource::Tagger || m.kind != EntityType::Org {
            continue;
        }
        let Some(word) = token_across(seg, m.nspan.1) else {
            continue;
        };
        let at = names.partition_point(|n| n.0 < m.nspan.0);
        let name = names
            .get(at)
            .filter(|n| n.0 == m.nspan.0 && n.1 < m.nspan.1 && n.1 <= word.start);
        if let Some(&(_, end)) = name {
            m.nspan.1 = end;
        }
    }
}

/// Drops a tagged person of two or more Han characters that jieba's dictionary reads as
/// the head of a common noun one character longer (`毛利` of `毛利率`: the noun starts with
/// the name and ends one suffix character after it): a name ends at a word boundary.
/// Names before a longer word (`马克思` of `马克思主义`), words jieba only guessed and
/// one-character names (`毛`) stay.
pub(crate) fn drop_person_inside_noun(
    text: &str,
    seg: &Segmented,
    mentions: &mut Vec<MentionCandidate>,
) {
    mentions.retain(|m| {
        if m.source != MentionSource::Tagger || m.kind != EntityType::Person {
            return true;
        }
        let Some(name) = text.get(m.nspan.0..m.nspan.1) else {
            return true;
        };
        let han = name.chars().count() >= 2 && name.chars().all(is_han);
        !(han && token_across(seg, m.nspan.1).is_some_and(|t| noun_of_name_and_suffix(text, t, m.nspan)))
    });
}

/// Whether the word `t` is a dictionary common noun that starts where the name `name`
/// starts and ends one character after it.
fn noun_of_name_and_suffix(text: &str, t: &Token, name: (usize, usize)) -> bool {
    let rest = text.get(name.1..t.end).unwrap_or("");
    t.start == name.0
        && rest.chars().count() == 1
        && t.pos == "n"
        && text
            .get(t.start..t.end)
            .is_some_and(|w| crate::segment::jieba().has_word(w))
}

/// Whether jieba tags the character `c` alone as a verb (建 of 建厂, 设 of 设厂).
fn verb_character(c: char) -> bool {
    let mut buf = [0u8; 4];
    let word: &str = c.encode_utf8(&mut buf);
    matches!(crate::segment::jieba().tag(word, false).as_slice(), [t] if t.tag == "v")
}

/// A tagged organisation right after a preposition (在, 到) that is a place and then one
/// two-character word opening with a verb character (`在匈牙利建厂`: at + place + build
/// factory) is the place: after a locative preposition, a verb and its object say what
/// happens there, they do not name a company (`在北京银行` opens its second word with a
/// noun). The span becomes the place, as a location. Without the preposition the rule cut
/// organisations such as `济南交警`, `郑州分局` (held-out MSRA -0.002).
pub(crate) fn place_before_verb_object(
    text: &str,
    seg: &Segmented,
    mentions: &mut [MentionCandidate],
) {
    for m in mentions.iter_mut() {
        if m.source != MentionSource::Tagger || m.kind != EntityType::Org {
            continue;
        }
        let [place, rest] = seg.tokens_in(m.nspan) else {
            continue;
        };
        let Some(word) = text.get(rest.start..rest.end) else {
            continue;
        };
        let mut chars = word.chars();
        let first = chars.next();
        let i = seg.tokens.partition_point(|t| t.start < m.nspan.0);
        let after_preposition = i
            .checked_sub(1)
            .and_then(|k| seg.tokens.get(k))
            .is_some_and(|t| t.end == m.nspan.0 && t.pos == "p");
        if after_preposition
            && place.start == m.nspan.0
            && place.pos == "ns"
            && rest.end == m.nspan.1
            && word.chars().count() == 2
            && word.chars().all(is_han)
            && first.is_some_and(verb_character)
        {
            m.nspan.1 = place.end;
            m.kind = EntityType::Loc;
        }
    }
}

/// Adds a person for a word jieba tags as a person name (`nr`, two or three Han
/// characters) right after a by-line title (`byline_title` of `data/entity_cues.tsv`:
/// 记者, 通讯员, a closing title mark of the paper's name) and before a verb, function
/// word or punctuation: the writer of the article,
/// whom a model trained on sentences without by-lines often misses.
pub(crate) fn find_byline_people(text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
    let titles = &cues().byline_title;
    for t in &seg.tokens {
        if t.pos != "nr" {
            continue;
        }
        let Some(word) = text.get(t.start..t.end) else {
            continue;
        };
        let chars = word.chars().count();
        if !BYLINE_CHARS.contains(&chars) || !word.chars().all(is_han) {
            continue;
        }
        let before = text.get(..t.start).unwrap_or("");
        // The name ends where a predicate, a function word or punctuation starts (记者李明报道);
        // before anything else jieba may have cut the name wrongly (记者同缪双大: 同 is `with`).
        let closed = token_at(seg, t.end).is_none_or(|n| n.pos == "x" || is_function_pos(n.pos));
        if closed && titles.iter().any(|w| before.ends_with(w)) {
            out.push(MentionCandidate {
                nspan: (t.start, t.end),
                kind: EntityType::Person,
                score: BYLINE_SCORE,
                source: MentionSource::Rule,
            });
        }
    }
}

/// A tagged organisation made of a person's name that jieba glued to `为` and the generic
/// head after it (任命刘京为公司首席人力资源官: words 刘京为/nr 公司/n, tagged `刘京为公司`) is
/// the person named to a post of that company: the span becomes the person (`刘京`). Only
/// where jieba read the glued word as a person's name (`nr`) and a generic head follows.
pub(crate) fn person_named_as_company_post(
    text: &str,
    seg: &Segmented,
    mentions: &mut [MentionCandidate],
) {
    for m in mentions.iter_mut().filter(|m| m.kind == EntityType::Org) {
        let Some(name) = token_at(seg, m.nspan.0).filter(|t| t.pos == "nr") else {
            continue;
        };
        let Some(person) = text.get(name.start..name.end).and_then(|w| w.strip_suffix('为')) else {
            continue;
        };
        let head = text.get(name.end..m.nspan.1).unwrap_or("");
        if person.chars().count() >= 2 && cues().generic_head.contains(&head) {
            m.kind = EntityType::Person;
            m.nspan = (name.start, name.start + person.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    fn tagged(text: &str, part: &str, kind: EntityType) -> MentionCandidate {
        let start = text.find(part).unwrap_or(0);
        crate::recognize::entity::test_mention((start, start + part.len()), kind)
    }

    #[test]
    fn a_person_named_to_a_company_post_is_no_company() {
        let text = "蛋壳公寓宣布，正式任命刘京为公司首席人力资源官。";
        let seg = segment(text, true);
        let mut m = vec![tagged(text, "刘京为公司", EntityType::Org)];
        person_named_as_company_post(text, &seg, &mut m);
        assert_eq!(m[0].kind, EntityType::Person);
        assert_eq!(&text[m[0].nspan.0..m[0].nspan.1], "刘京");
        // A company whose name holds 为 is left alone: jieba reads no person there.
        let text = "有为公司发布公告。";
        let seg = segment(text, true);
        let mut m = vec![tagged(text, "有为公司", EntityType::Org)];
        person_named_as_company_post(text, &seg, &mut m);
        assert_eq!(m[0].kind, EntityType::Org);
    }

    fn surfaces<'t>(text: &'t str, ms: &[MentionCandidate]) -> Vec<&'t str> {
        ms.iter().map(|m| &text[m.nspan.0..m.nspan.1]).collect()
    }

    #[test]
    fn a_latin_name_gives_back_the_verb_after_it() {
        let text = "今年春天，Apple斥资三十亿美元买下一家工厂。";
        let seg = segment(text, true);
        let mut ms = vec![tagged(text, "Apple斥资", EntityType::Org)];
        cut_latin_name_before_predicate(text, &seg, &mut ms);
        assert_eq!(surfaces(text, &ms), ["Apple"]);
    }

    #[test]
    fn a_business_rule_span_gives_back_the_verb_too() {
        let text = "今年6月,Meta豪掷143亿美元收购一家初创公司。";
        let seg = segment(text, true);
        let mut out = Vec::new();
        crate::recognize::entity::business::find(text, &seg, &mut out);
        cut_latin_name_before_predicate(text, &seg, &mut out);
        assert!(surfaces(text, &out).iter().all(|s| !s.contains('豪')), "{:?}", surfaces(text, &out));
    }

    #[test]
    fn a_place_and_a_verb_object_is_the_place() {
        let text = "那家公司打算在越南建厂。";
        let seg = segment(text, true);
        let mut ms = vec![tagged(text, "越南建厂", EntityType::Org)];
        place_before_verb_object(text, &seg, &mut ms);
        assert_eq!(surfaces(text, &ms), ["越南"]);
        assert_eq!(ms[0].kind, EntityType::Loc);
        let text = "越南建厂的计划公布了。";
        let seg = segment(text, true);
        let mut ms = vec![tagged(text, "越南建厂", EntityType::Org)];
        place_before_verb_object(text, &seg, &mut ms);
        assert_eq!(surfaces(text, &ms), ["越南建厂"]);
        let text = "他在北京银行工作。";
        let seg = segment(text, true);
        let mut ms = vec![tagged(text, "北京银行", EntityType::Org)];
        place_before_verb_object(text, &seg, &mut ms);
        assert_eq!(surfaces(text, &ms), ["北京银行"]);
    }

    #[test]
    fn a_latin_name_keeps_a_han_noun_that_continues_it() {
        let text = "昨天Nokia公司发布了新手机。";
        let seg = segment(text, true);
        let mut ms = vec![tagged(text, "Nokia公司", EntityType::Org)];
        cut_latin_name_before_predicate(text, &seg, &mut ms);
        assert_eq!(surfaces(text, &ms), ["Nokia公司"]);
    }

    #[test]
    fn a_person_that_opens_a_longer_noun_is_dropped() {
        let text = "该厂第三季度的毛利率为百分之二十。";
        let seg = segment(text, true);
        let mut ms = vec![tagged(text, "毛利", EntityType::Person)];
        drop_person_inside_noun(text, &seg, &mut ms);
        assert!(ms.is_empty());
    }

    #[test]
    fn a_known_name_heading_a_noun_stays() {
        let text = "他们认真学习马克思主义理论。";
        let seg = segment(text, true);
        let mut ms = vec![tagged(text, "马克思", EntityType::Person)];
        drop_person_inside_noun(text, &seg, &mut ms);
        assert_eq!(surfaces(text, &ms), ["马克思"]);
    }

    #[test]
    fn a_person_ending_at_a_word_boundary_stays() {
        let text = "总经理王建国表示满意。";
        let seg = segment(text, true);
        let mut ms = vec![tagged(text, "王建国", EntityType::Person)];
        drop_person_inside_noun(text, &seg, &mut ms);
        assert_eq!(surfaces(text, &ms), ["王建国"]);
    }

    #[test]
    fn a_name_after_a_reporter_title_is_a_person() {
        let text = "本报记者李明报道。";
        let seg = segment(text, true);
        let mut out = Vec::new();
        find_byline_people(text, &seg, &mut out);
        assert_eq!(surfaces(text, &out), ["李明"]);
        assert!(out.iter().all(|m| m.kind == EntityType::Person));
    }

    #[test]
    fn no_byline_person_when_the_name_runs_on() {
        let text = "下面是记者同缪双大的一段对话。";
        let seg = segment(text, true);
        let mut out = Vec::new();
        find_byline_people(text, &seg, &mut out);
        assert!(out.iter().all(|m| &text[m.nspan.0..m.nspan.1] != "同缪"));
    }

    #[test]
    fn no_byline_person_without_a_title() {
        let text = "李明报道了这件事。";
        let seg = segment(text, true);
        let mut out = Vec::new();
        find_byline_people(text, &seg, &mut out);
        assert!(out.is_empty());
    }
    /// A reporting period glued to a Han name is cut off; a Latin model name, a lone
    /// period and a number that is no period stay.
    #[test]
    fn reporting_periods_leave_the_name() {
        for (surface, kept) in [
            ("斗鱼Q3", "斗鱼"),
            ("腾讯q4", "腾讯"),
            ("小米H1", "小米"),
            ("蔚来2024Q2", "蔚来"),
            ("阿里FY2024", "阿里"),
            ("京东FY24", "京东"),
            ("Audi Q3", "Audi Q3"),
            ("Q3", "Q3"),
            ("华为P40", "华为P40"),
            ("京东FY202", "京东FY202"),
            ("三星Q5", "三星Q5"),
        ] {
            let mut ms = vec![crate::recognize::entity::test_mention((0, surface.len()), EntityType::Org)];
            cut_trailing_period(surface, &mut ms);
            assert_eq!(&surface[ms[0].nspan.0..ms[0].nspan.1], kept, "{surface}");
        }
    }

}
