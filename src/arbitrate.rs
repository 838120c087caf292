//! One arbitration of overlapping candidates, by one rule.
//!
//! Amounts and dates compete for the same characters (`2068亿元` is money, not the year
//! 2068; `三年` is a duration, not a quantity): the longer span wins, and on equal length
//! money and percentages beat dates, which beat quantities; bare numbers (`--numbers`)
//! only fill what is left, so a number never swallows a date.
//! Entity mentions then take what is left: among themselves the higher score, then the
//! longer span wins; a mention may swallow a bare number or quantity it strictly contains
//! (`三星`), a relative day word with name characters on both sides (`明日` of
//! `光明日报`) and a Han date word inside a registered company name (`四月` of
//! `北京四月星空网络技术有限公司`), but never money, a percentage or any other date.

use std::cmp::Reverse;
#[cfg(test)]
use std::collections::BTreeMap;

use crate::document::{AmountKind, DateItem, NSpan};
use crate::recognize::{Candidates, MentionCandidate};

fn contains(outer: NSpan, inner: NSpan) -> bool {
    outer.0 <= inner.0 && inner.1 <= outer.1 && outer != inner
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Amount(usize),
    Date(usize),
}

#[cfg(test)]
/// Kept spans, which never overlap, keyed by start. Because they do not overlap, their
/// ends are sorted too, so the spans overlapping a query are one contiguous run found by
/// a range query: arbitration stays O(n log n) on long documents with thousands of items.
struct Occupied<T> {
    by_start: BTreeMap<usize, (usize, T)>,
}

#[cfg(test)]
impl<T: Copy> Occupied<T> {
    fn new() -> Self {
        Occupied {
            by_start: BTreeMap::new(),
        }
    }

    /// The kept spans overlapping `span`, as (start, end, payload).
    fn overlapping(&self, span: NSpan) -> impl Iterator<Item = (usize, usize, T)> + '_ {
        self.by_start
            .range(..span.1)
            .rev()
            .take_while(move |(_, (end, _))| *end > span.0)
            .map(|(&s, &(e, t))| (s, e, t))
    }

    fn is_free(&self, span: NSpan) -> bool {
        self.overlapping(span).next().is_none()
    }

    fn insert(&mut self, span: NSpan, payload: T) {
        self.by_start.insert(span.0, (span.1, payload));
    }
}

/// A relative day word (`明日`, `今日`, `星期日`) with name characters on both sides of it
/// inside a mention (`光明日报`, `英国《星期日泰晤士报》`): the characters belong to the name, not to a date. A date at either
/// edge of a mention (`今日头条`, `昨日北京`) still blocks it.
fn word_inside_name(mention: NSpan, date: NSpan, d: &DateItem) -> bool {
    /// Three Han characters in UTF-8 (`星期日` of `《星期日泰晤士报》`).
    const SHORT: usize = 9;
    mention.0 < date.0 && date.1 < mention.1 && d.relative && date.1 - date.0 <= SHORT
}

/// A short date word that straddles a mention's edge (`下周` of `留下周真国`, `一个月` of
/// `建立一个月球基地`, `本周` of `日本周边`): a date cannot end or begin inside a name, so
/// when the tagger read the name across it, the date was read out of two words. Longer
/// dates (`二十一世纪` of `二十一世纪演艺中心`) are sure enough to keep out the mention, and
/// so are dates with Latin letters or digits (`QTR JAN 3`, `Record March 6`: there the
/// date is right and the mention a misreading). `date_text` is the date's text.
fn short_date_across_edge(mention: NSpan, date: NSpan, date_text: &str) -> bool {
    /// Three Han characters in UTF-8.
    const SHORT: usize = 9;
    let across_start = date.0 < mention.0 && mention.0 < date.1 && date.1 < mention.1;
    let across_end = mention.0 < date.0 && date.0 < mention.1 && mention.1 < date.1;
    (across_start || across_end)
        && date.1 - date.0 <= SHORT
        && !date_text.is_empty()
        && date_text.chars().all(crate::normalize::script::is_han)
}

/// A Han date word strictly inside a registered company name (`四月` of
/// `北京四月星空网络技术有限公司`, `十月` of `十月稻田…有限公司`): a name closed by its legal
/// form is sure, and the month word is a piece of its brand. Dates with digits or Latin
/// letters, and dates at a name's edge, still keep the mention out.
fn date_inside_registered_name(text: &str, mention: NSpan, date: NSpan) -> bool {
    use crate::recognize::entity::cues::{cues, ends_with_any};
    mention.0 < date.0
        && date.1 < mention.1
        && text
            .get(date.0..date.1)
            .is_some_and(|d| !d.is_empty() && d.chars().all(crate::normalize::script::is_han))
        && text
            .get(mention.0..mention.1)
            .is_some_and(|m| ends_with_any(m, &cues().legal_form_zh).is_some())
}

/// Money or a percentage of at most two Chinese characters strictly inside a mention
/// (`一成` of the name `穗积一成`, `三元` of `三元朱村团支部`): a numeral and a unit word
/// that are also name characters. Amounts with digits (`5元`) or longer ones always
/// keep the mention out.
fn name_characters_as_amount(mention: NSpan, amount: NSpan, text: &str) -> bool {
    /// Two Han characters in UTF-8.
    const SHORT: usize = 6;
    contains(mention, amount)
        && amount.1 - amount.0 <= SHORT
        && !text.is_empty()
        && text.chars().all(|c| !c.is_ascii())
}

fn amount_rank(k: AmountKind) -> u8 {
    match k {
        AmountKind::Money | AmountKind::Percent => 4,
        AmountKind::Quantity => 2,
        AmountKind::Number => 1,
    }
}

const DATE_RANK: u8 = 3;
const NUMBER_RANK: u8 = 1;

/// Resolves every overlap in place; the survivors are sorted by start. `text` is the
/// normalised text the spans point into.
///
/// Kept spans never overlap, so a span is free exactly when none of its bytes is taken:
/// one bit a byte of text ([`TakenBytes`]) answers that and marks a kept span, where an
/// ordered map of kept starts took a tree walk per question and per insertion. The
/// amounts and dates kept by the first pass are then a list sorted by start (their ends
/// sorted too), which the mentions ask by binary search. The sorts are unstable, by keys
/// that end in the candidate's index: the order of a stable sort.
pub(crate) fn arbitrate(text: &str, c: &mut Candidates) {
    // Pass 1: amounts and dates.
    let mut pool: Vec<(NSpan, u8, Slot, usize)> =
        Vec::with_capacity(c.amounts.len() + c.dates.len());
    for (i, a) in c.amounts.iter().enumerate() {
        pool.push((a.nspan, amount_rank(a.kind), Slot::Amount(i), pool.len()));
    }
    for (i, d) in c.dates.iter().enumerate() {
        pool.push((d.nspan, DATE_RANK, Slot::Date(i), pool.len()));
    }
    pool.retain(|(s, _, _, _)| s.0 < s.1);
    // Bare numbers come last whatever their length: `about 2019` as a number must not
    // swallow the year 2019 a date recogniser found inside it.
    pool.sort_unstable_by_key(|&(span, rank, _, at)| {
        (
            rank == NUMBER_RANK,
            Reverse(span.1 - span.0),
            Reverse(rank),
            span.0,
            at,
        )
    });
    let mut occupied = TakenBytes::for_spans(pool.iter().map(|p| p.0));
    let mut kept: Vec<(usize, usize, Slot)> = Vec::with_capacity(pool.len());
    let mut keep_amount = vec![false; c.amounts.len()];
    let mut keep_date = vec![false; c.dates.len()];
    for &(span, _, slot, _) in &pool {
        if !occupied.is_free(span) {
            continue;
        }
        occupied.take(span);
        kept.push((span.0, span.1, slot));
        match slot {
            Slot::Amount(i) => keep_amount[i] = true,
            Slot::Date(i) => keep_date[i] = true,
        }
    }
    // Apart, so sorted by start their ends are sorted too.
    kept.sort_unstable_by_key(|k| k.0);
    // Whether each kept amount or date is still kept (a mention may swallow it).
    let mut alive = vec![true; kept.len()];

    // Pass 2: entity mentions.
    let mut mentions = std::mem::take(&mut c.mentions);
    mentions.retain(|m| m.nspan.0 < m.nspan.1);
    let order = mention_order(&mentions);
    let mut taken = TakenBytes::for_spans(mentions.iter().map(|m| m.nspan));
    let mut mentions: Vec<Option<MentionCandidate>> = mentions.into_iter().map(Some).collect();
    let mut kept_mentions = Vec::with_capacity(mentions.len());
    let mut swallowed: Vec<(usize, usize)> = Vec::new();
    let mut swallowed_dates: Vec<(usize, usize)> = Vec::new();
    for at in order {
        let Some(m) = mentions.get_mut(at) else {
            continue;
        };
        let Some(nspan) = m.as_ref().map(|m| m.nspan) else {
            continue;
        };
        if !taken.is_free(nspan) {
            continue;
        }
        swallowed.clear();
        swallowed_dates.clear();
        let mut blocked = false;
        // The kept amounts and dates overlapping the mention: those starting before its
        // end, back to the first that ends at or before its start.
        let below = kept.partition_point(|k| k.0 < nspan.1);
        for (k, &(s, e, slot)) in kept.iter().enumerate().take(below).rev() {
            if e <= nspan.0 {
                break;
            }
            if !alive.get(k).copied().unwrap_or(false) {
                continue;
            }
            match slot {
                Slot::Amount(i)
                    if (amount_rank(c.amounts[i].kind) <= 2 && contains(nspan, (s, e)))
                        || name_characters_as_amount(
                            nspan,
                            (s, e),
                            text.get(s..e).unwrap_or(""),
                        ) =>
                {
                    swallowed.push((k, i));
                }
                Slot::Date(i)
                    if word_inside_name(nspan, (s, e), &c.dates[i])
                        || date_inside_registered_name(text, nspan, (s, e))
                        || short_date_across_edge(nspan, (s, e), text.get(s..e).unwrap_or("")) =>
                {
                    swallowed_dates.push((k, i));
                }
                _ => blocked = true,
            }
        }
        if blocked {
            continue;
        }
        for &(k, i) in &swallowed {
            keep_amount[i] = false;
            if let Some(a) = alive.get_mut(k) {
                *a = false;
            }
        }
        for &(k, i) in &swallowed_dates {
            keep_date[i] = false;
            if let Some(a) = alive.get_mut(k) {
                *a = false;
            }
        }
        taken.take(nspan);
        kept_mentions.extend(m.take());
    }
    // Kept mentions, amounts and dates never overlap (and are never empty): their spans
    // are distinct, and an unstable sort by span is the stable one. Apart, their starts
    // are distinct too: the start alone is the key.
    kept_mentions.sort_unstable_by_key(|m| m.nspan.0);
    c.mentions = kept_mentions;

    retain_flagged(&mut c.amounts, &keep_amount);
    retain_flagged(&mut c.dates, &keep_date);
    c.amounts.sort_unstable_by_key(|a| a.nspan);
    c.dates.sort_unstable_by_key(|d| d.nspan);
}

/// Keeps the items of `items` whose flag in `keep` (one flag per item, in order) is set.
fn retain_flagged<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    items.retain(|_| flags.next().copied().unwrap_or(false));
}

/// The order in which mentions take their spans: the higher score, then the longer span,
/// then the earlier start, then the earlier candidate (what a stable sort by the first
/// three gives). A score that is not a number compares equal to every other in the plain
/// comparison, which no key reproduces: such a list takes the stable sort.
fn mention_order(mentions: &[MentionCandidate]) -> Vec<usize> {
    if mentions.iter().any(|m| m.score.is_nan()) {
        let mut order: Vec<usize> = (0..mentions.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&mentions[a], &mentions[b]);
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then((b.nspan.1 - b.nspan.0).cmp(&(a.nspan.1 - a.nspan.0)))
                .then(a.nspan.0.cmp(&b.nspan.0))
        });
        return order;
    }
    if let Some(order) = mention_order_packed(mentions) {
        return order;
    }
    mention_order_keyed(mentions)
}

/// [`mention_order`] of scores that are numbers, by keys of four fields.
fn mention_order_keyed(mentions: &[MentionCandidate]) -> Vec<usize> {
    let mut keyed: Vec<(Reverse<u32>, Reverse<usize>, usize, usize)> = mentions
        .iter()
        .enumerate()
        .map(|(at, m)| {
            (
                Reverse(score_key(m.score)),
                Reverse(m.nspan.1 - m.nspan.0),
                m.nspan.0,
                at,
            )
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|k| k.3).collect()
}

/// [`mention_order_keyed`] with each key packed in one `u128` (the score's key, the
/// length and the start and index, all four below 2^32, each inverted where the order is
/// reversed): a document's mentions run to thousands, and sorting the four-field tuples
/// was most of arbitration. `None` when a span or the list is too long to pack, or a span
/// is empty or reversed.
fn mention_order_packed(mentions: &[MentionCandidate]) -> Option<Vec<usize>> {
    let mut keyed: Vec<u128> = Vec::with_capacity(mentions.len());
    for (at, m) in mentions.iter().enumerate() {
        let len = u32::try_from(m.nspan.1.checked_sub(m.nspan.0)?).ok()?;
        let start = u32::try_from(m.nspan.0).ok()?;
        let at = u32::try_from(at).ok()?;
        keyed.push(
            u128::from(!score_key(m.score)) << 96
                | u128::from(!len) << 64
                | u128::from(start) << 32
                | u128::from(at),
        );
    }
    keyed.sort_unstable();
    // The low 32 bits are the index.
    Some(keyed.into_iter().map(|k| (k as u32) as usize).collect())
}

/// A key of a score (not NaN) that orders as the scores do: -0 and +0 alike, negatives
/// below positives.
fn score_key(score: f32) -> u32 {
    // Adding zero makes -0 into +0.
    let bits = (score + 0.0).to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

/// The bytes of a text taken by kept spans, one bit each: kept spans never overlap, so a
/// span is free exactly when none of its bytes is taken.
struct TakenBytes(Vec<u64>);

impl TakenBytes {
    /// Bits for the bytes up to the last end of `spans`.
    fn for_spans(spans: impl Iterator<Item = NSpan>) -> TakenBytes {
        let end = spans.map(|s| s.1).max().unwrap_or(0);
        TakenBytes(vec![0; end / 64 + 1])
    }

    /// The words and masks of the bits of a non-empty span.
    fn masks(span: NSpan) -> impl Iterator<Item = (usize, u64)> {
        let (s, e) = span;
        let last = e.saturating_sub(1).max(s);
        (s / 64..=last / 64).map(move |w| {
            let lo = if w == s / 64 { s % 64 } else { 0 };
            let hi = if w == last / 64 { last % 64 } else { 63 };
            (w, (u64::MAX >> (63 - hi)) & (u64::MAX << lo))
        })
    }

    /// Whether no byte of `span` (not empty) is taken.
    fn is_free(&self, span: NSpan) -> bool {
        Self::masks(span).all(|(w, mask)| self.0.get(w).is_none_or(|bits| bits & mask == 0))
    }

    /// Marks the bytes of `span` (not empty) taken.
    fn take(&mut self, span: NSpan) {
        for (w, mask) in Self::masks(span) {
            if let Some(bits) = self.0.get_mut(w) {
                *bits |= mask;
            }
        }
    }
}

#[cfg(test)]
/// [`arbitrate`] as it was written first, with ordered maps of kept spans and stable
/// sorts: the plain path the tests hold the bit sets and keyed sorts to.
fn arbitrate_by_map(text: &str, c: &mut Candidates) {
    // Pass 1: amounts and dates.
    let mut pool: Vec<(NSpan, u8, Slot)> = Vec::with_capacity(c.amounts.len() + c.dates.len());
    for (i, a) in c.amounts.iter().enumerate() {
        pool.push((a.nspan, amount_rank(a.kind), Slot::Amount(i)));
    }
    for (i, d) in c.dates.iter().enumerate() {
        pool.push((d.nspan, DATE_RANK, Slot::Date(i)));
    }
    pool.retain(|(s, _, _)| s.0 < s.1);
    // Bare numbers come last whatever their length: `about 2019` as a number must not
    // swallow the year 2019 a date recogniser found inside it.
    pool.sort_by(|a, b| {
        let la = a.0 .1 - a.0 .0;
        let lb = b.0 .1 - b.0 .0;
        let (na, nb) = (a.1 == NUMBER_RANK, b.1 == NUMBER_RANK);
        na.cmp(&nb)
            .then(lb.cmp(&la))
            .then(b.1.cmp(&a.1))
            .then(a.0 .0.cmp(&b.0 .0))
    });
    let mut kept: Occupied<Slot> = Occupied::new();
    let mut keep_amount = vec![false; c.amounts.len()];
    let mut keep_date = vec![false; c.dates.len()];
    for (span, _, slot) in pool {
        if !kept.is_free(span) {
            continue;
        }
        kept.insert(span, slot);
        match slot {
            Slot::Amount(i) => keep_amount[i] = true,
            Slot::Date(i) => keep_date[i] = true,
        }
    }

    // Pass 2: entity mentions.
    let mut mentions = std::mem::take(&mut c.mentions);
    mentions.retain(|m| m.nspan.0 < m.nspan.1);
    mentions.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then((b.nspan.1 - b.nspan.0).cmp(&(a.nspan.1 - a.nspan.0)))
            .then(a.nspan.0.cmp(&b.nspan.0))
    });
    let mut taken: Occupied<()> = Occupied::new();
    let mut kept_mentions = Vec::with_capacity(mentions.len());
    let mut swallowed: Vec<(usize, usize)> = Vec::new();
    let mut swallowed_dates: Vec<(usize, usize)> = Vec::new();
    for m in mentions {
        if !taken.is_free(m.nspan) {
            continue;
        }
        swallowed.clear();
        swallowed_dates.clear();
        let mut blocked = false;
        for (s, e, slot) in kept.overlapping(m.nspan) {
            match slot {
                Slot::Amount(i)
                    if (amount_rank(c.amounts[i].kind) <= 2 && contains(m.nspan, (s, e)))
                        || name_characters_as_amount(
                            m.nspan,
                            (s, e),
                            text.get(s..e).unwrap_or(""),
                        ) =>
                {
                    swallowed.push((s, i));
                }
                Slot::Date(i)
                    if word_inside_name(m.nspan, (s, e), &c.dates[i])
                        || date_inside_registered_name(text, m.nspan, (s, e))
                        || short_date_across_edge(
                            m.nspan,
                            (s, e),
                            text.get(s..e).unwrap_or(""),
                        ) =>
                {
                    swallowed_dates.push((s, i));
                }
                _ => blocked = true,
            }
        }
        if blocked {
            continue;
        }
        for &(s, i) in &swallowed {
            keep_amount[i] = false;
            kept.by_start.remove(&s);
        }
        for &(s, i) in &swallowed_dates {
            keep_date[i] = false;
            kept.by_start.remove(&s);
        }
        taken.insert(m.nspan, ());
        kept_mentions.push(m);
    }
    kept_mentions.sort_by_key(|m| m.nspan);
    c.mentions = kept_mentions;

    retain_flagged(&mut c.amounts, &keep_amount);
    retain_flagged(&mut c.dates, &keep_date);
    c.amounts.sort_by_key(|a| a.nspan);
    c.dates.sort_by_key(|d| d.nspan);
}

#[cfg(test)]
mod tests {

    #[test]
    fn retain_flagged_keeps_the_flagged_items_in_order() {
        let mut v = vec!['a', 'b', 'c', 'd'];
        retain_flagged(&mut v, &[true, false, false, true]);
        assert_eq!(v, ['a', 'd']);
        let mut none: Vec<u8> = vec![1, 2];
        retain_flagged(&mut none, &[false, false]);
        assert!(none.is_empty());
    }
    use super::*;
    use crate::document::{Amount, DateItem, DateKind, EntityType};
    use crate::recognize::{MentionCandidate, MentionSource};

    #[test]
    fn occupied_finds_every_overlapping_span() {
        let mut o: Occupied<u8> = Occupied::new();
        for (i, span) in [(0, 2), (3, 5), (6, 9), (12, 14)].into_iter().enumerate() {
            o.insert(span, i as u8);
        }
        let hits: Vec<u8> = o.overlapping((4, 7)).map(|(_, _, t)| t).collect();
        assert_eq!(hits, vec![2, 1]);
        assert!(o.is_free((9, 12)));
        assert!(o.is_free((2, 3)));
        assert!(!o.is_free((1, 13)));
    }

    #[test]
    fn money_beats_year_and_mentions_keep_out() {
        let mut c = Candidates::default();
        c.amounts.push(Amount::new(AmountKind::Money, (0, 10)));
        c.amounts.push(Amount::new(AmountKind::Number, (20, 23)));
        c.dates.push(DateItem::new(DateKind::Date, (0, 4)));
        c.dates.push(DateItem::new(DateKind::Duration, (30, 36)));
        c.amounts.push(Amount::new(AmountKind::Quantity, (30, 36)));
        c.amounts.push(Amount::new(AmountKind::Number, (38, 50)));
        c.dates.push(DateItem::new(DateKind::Date, (44, 48)));
        c.mentions.push(MentionCandidate {
            nspan: (20, 26),
            kind: EntityType::Org,
            score: 0.9,
            source: MentionSource::Tagger,
        });
        c.mentions.push(MentionCandidate {
            nspan: (5, 12),
            kind: EntityType::Org,
            score: 0.9,
            source: MentionSource::Tagger,
        });
        arbitrate("", &mut c);
        assert_eq!(c.amounts.len(), 1);
        assert_eq!(c.amounts[0].kind, AmountKind::Money);
        assert_eq!(c.dates.len(), 2);
        assert_eq!(c.dates[0].kind, DateKind::Duration);
        assert_eq!(
            c.dates[1].nspan,
            (44, 48),
            "a longer bare number must not swallow a date"
        );
        assert_eq!(c.mentions.len(), 1);
        assert_eq!(c.mentions[0].nspan, (20, 26));
    }

    #[test]
    fn a_day_word_inside_a_name_gives_way() {
        let text = "光明日报和今日头条";
        let at = |s: &str| {
            let a = text.find(s).unwrap();
            (a, a + s.len())
        };
        let mut c = Candidates::default();
        for (w, span) in [("明日", at("明日")), ("今日", at("今日"))] {
            let mut d = DateItem::new(DateKind::Date, span);
            d.text = w.to_string();
            d.relative = true;
            c.dates.push(d);
        }
        for name in ["光明日报", "今日头条"] {
            c.mentions.push(MentionCandidate {
                nspan: at(name),
                kind: EntityType::Org,
                score: 0.99,
                source: MentionSource::Tagger,
            });
        }
        arbitrate(text, &mut c);
        // 明日 has name characters on both sides; 今日 opens 今日头条, so it still blocks.
        assert_eq!(c.mentions.len(), 1);
        assert_eq!(c.mentions[0].nspan, at("光明日报"));
        assert_eq!(c.dates.len(), 1);
        assert_eq!(c.dates[0].nspan, at("今日"));
    }

    #[test]
    fn a_month_word_inside_a_registered_name_gives_way() {
        let text = "北京四月星空网络技术有限公司和四月天文化被罚款";
        let mut c = Candidates::default();
        for w in ["四月星空", "四月天"] {
            let a = text.find(w).unwrap();
            let mut d = DateItem::new(DateKind::Date, (a, a + "四月".len()));
            d.text = "四月".to_string();
            c.dates.push(d);
        }
        c.mentions.push(mention_at(
            text,
            "北京四月星空网络技术有限公司",
            EntityType::Org,
        ));
        c.mentions
            .push(mention_at(text, "四月天文化", EntityType::Org));
        arbitrate(text, &mut c);
        // The registered name (closed by 有限公司) keeps its month word; a name without a
        // legal form, with the month at its edge, does not.
        assert_eq!(c.mentions.len(), 1);
        assert_eq!(
            &text[c.mentions[0].nspan.0..c.mentions[0].nspan.1],
            "北京四月星空网络技术有限公司"
        );
        assert_eq!(c.dates.len(), 1);
    }

    /// A candidate mention of `name` in `text`, as the tagger gives it.
    fn mention_at(text: &str, name: &str, kind: EntityType) -> MentionCandidate {
        let a = text.find(name).unwrap();
        MentionCandidate {
            nspan: (a, a + name.len()),
            kind,
            score: 0.9,
            source: MentionSource::Tagger,
        }
    }

    fn span_of(text: &str, s: &str) -> NSpan {
        let a = text.find(s).unwrap();
        (a, a + s.len())
    }

    #[test]
    fn a_short_date_across_a_name_edge_gives_way() {
        // 下周 across the start of the name 周立新; 二十一世纪 (long) keeps 世纪剧院 out.
        let text = "大家挽留下周立新。建成二十一世纪剧院。";
        let mut c = Candidates::default();
        for (w, kind) in [("下周", DateKind::Date), ("二十一世纪", DateKind::Range)] {
            let mut d = DateItem::new(kind, span_of(text, w));
            d.relative = w == "下周";
            c.dates.push(d);
        }
        c.mentions
            .push(mention_at(text, "周立新", EntityType::Person));
        c.mentions
            .push(mention_at(text, "世纪剧院", EntityType::Loc));
        arbitrate(text, &mut c);
        assert_eq!(c.mentions.len(), 1);
        assert_eq!(c.mentions[0].nspan, span_of(text, "周立新"));
        assert_eq!(c.dates.len(), 1);
        assert_eq!(c.dates[0].nspan, span_of(text, "二十一世纪"));
        // A date word at the very edge of a name still blocks it (今日 of 今日头条).
        assert!(!short_date_across_edge(
            span_of(text, "周立新"),
            span_of(text, "周立"),
            "周立"
        ));
        // A date in Latin letters keeps a mention across it out (`QTR JAN` of `QTR JAN 3`).
        let en = "4TH QTR JAN 3 LOSS";
        assert!(!short_date_across_edge(
            span_of(en, "QTR JAN"),
            span_of(en, "JAN 3"),
            "JAN 3"
        ));
    }

    #[test]
    fn chinese_numeral_amounts_inside_a_name_give_way() {
        // 一成 (ten per cent) at the end of the name 松田一成, 五元 at the start of 五元村;
        // 5元 in digits keeps a mention over it out.
        let text = "松田一成说五元村的菜5元一斤";
        let mut c = Candidates::default();
        c.amounts
            .push(Amount::new(AmountKind::Percent, span_of(text, "一成")));
        c.amounts
            .push(Amount::new(AmountKind::Money, span_of(text, "五元")));
        c.amounts
            .push(Amount::new(AmountKind::Money, span_of(text, "5元")));
        c.mentions
            .push(mention_at(text, "松田一成", EntityType::Person));
        c.mentions.push(mention_at(text, "五元村", EntityType::Loc));
        c.mentions.push(mention_at(text, "菜5元", EntityType::Org));
        arbitrate(text, &mut c);
        let kept: Vec<&str> = c
            .mentions
            .iter()
            .map(|m| &text[m.nspan.0..m.nspan.1])
            .collect();
        assert_eq!(kept, vec!["松田一成", "五元村"]);
        assert_eq!(c.amounts.len(), 1);
        assert_eq!(c.amounts[0].nspan, span_of(text, "5元"));
    }

    /// The bit set answers as a scan of the kept spans does, across word boundaries.
    #[test]
    fn taken_bytes_are_the_kept_spans() {
        let spans = [(0, 1), (3, 64), (64, 65), (70, 200), (250, 256), (300, 301)];
        let mut t = TakenBytes::for_spans(spans.iter().copied());
        for s in spans {
            t.take(s);
        }
        for a in 0..320 {
            for b in a + 1..330 {
                let plain = spans.iter().all(|k| b <= k.0 || k.1 <= a);
                assert_eq!(t.is_free((a, b)), plain, "{a}..{b}");
            }
        }
    }

    #[test]
    fn score_keys_order_as_scores() {
        let scores = [
            -1.0f32, -0.5, -0.0, 0.0, 1e-9, 0.5, 0.7, 0.9, 0.91, 0.99, 0.995, 1.0,
        ];
        for a in scores {
            for b in scores {
                assert_eq!(
                    score_key(a).cmp(&score_key(b)),
                    a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal),
                    "{a} {b}"
                );
            }
        }
    }

    proptest::proptest! {
        /// The packed keys order mentions as the four-field keys do: scores of both signs
        /// and zeros, equal and nested spans, starts and lengths of all sizes.
        #[test]
        fn packed_mention_order_is_the_keyed_one(
            mentions in proptest::collection::vec((0usize..6, 0usize..40, 0usize..5, 0usize..6), 0..40),
        ) {
            let scores = [-1.0f32, -0.0, 0.0, 0.7, 0.9, 0.99];
            let starts = [0usize, 1, 7, 300, 70_000, u32::MAX as usize - 50];
            let lens = [1usize, 2, 3, 100, 1 << 20];
            let list: Vec<MentionCandidate> = mentions
                .iter()
                .map(|&(s, near, l, k)| MentionCandidate {
                    nspan: (starts[s] + near, starts[s] + near + lens[l]),
                    kind: EntityType::Org,
                    score: scores[k],
                    source: MentionSource::Tagger,
                })
                .collect();
            proptest::prop_assert_eq!(mention_order_packed(&list), Some(mention_order_keyed(&list)));
        }
    }

    #[test]
    fn mentions_too_long_to_pack_take_the_keyed_order() {
        let m = |a: usize, b: usize| MentionCandidate {
            nspan: (a, b),
            kind: EntityType::Org,
            score: 0.9,
            source: MentionSource::Tagger,
        };
        let far = u32::MAX as usize + 1;
        let list = [m(far, far + 2), m(0, 2), m(5, 6)];
        assert_eq!(mention_order_packed(&list), None);
        assert_eq!(mention_order(&list), vec![1, 0, 2]);
    }

    /// Comparable candidates.
    fn outcome(c: &Candidates) -> String {
        let m: Vec<_> = c
            .mentions
            .iter()
            .map(|m| (m.nspan, m.kind, m.score.to_bits(), m.source))
            .collect();
        let a: Vec<_> = c.amounts.iter().map(|a| (a.nspan, a.kind)).collect();
        let d: Vec<_> = c
            .dates
            .iter()
            .map(|d| (d.nspan, d.kind, d.relative))
            .collect();
        format!("{m:?} {a:?} {d:?}")
    }

    proptest::proptest! {
        /// Random amounts, dates and mentions over a text of Han characters, digits and
        /// letters: the bit sets and keyed sorts keep what the ordered maps and stable
        /// sorts kept.
        #[test]
        fn arbitration_is_the_ordered_map_walk(
            chars in proptest::collection::vec(0usize..8, 1..30),
            amounts in proptest::collection::vec((0usize..30, 0usize..6, 0usize..4), 0..8),
            dates in proptest::collection::vec((0usize..30, 0usize..6, proptest::bool::ANY), 0..8),
            mentions in proptest::collection::vec((0usize..30, 0usize..8, 0usize..4, 0usize..3), 0..12),
            legal in proptest::bool::ANY,
        ) {
            const ALPHABET: [&str; 8] = ["四", "月", "日", "明", "一", "成", "5", "A"];
            let mut text: String = chars.iter().map(|&i| ALPHABET[i]).collect();
            if legal {
                text.push_str("有限公司");
            }
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let span = |at: usize, len: usize| {
                let a = bounds[at % bounds.len()];
                let b = bounds[(at % bounds.len() + len).min(bounds.len() - 1)];
                (a, b)
            };
            let mut c = Candidates::default();
            let kinds = [AmountKind::Money, AmountKind::Percent, AmountKind::Quantity, AmountKind::Number];
            for &(at, len, k) in &amounts {
                c.amounts.push(Amount::new(kinds[k], span(at, len)));
            }
            for &(at, len, relative) in &dates {
                let s = span(at, len);
                let mut d = DateItem::new(DateKind::Date, s);
                d.text = text[s.0..s.1].to_string();
                d.relative = relative;
                c.dates.push(d);
            }
            let types = [EntityType::Org, EntityType::Person, EntityType::Loc];
            let scores = [0.7f32, 0.9, 0.99, 0.9];
            for &(at, len, score, kind) in &mentions {
                c.mentions.push(MentionCandidate {
                    nspan: span(at, len),
                    kind: types[kind],
                    score: scores[score],
                    source: if score == 3 { MentionSource::Rule } else { MentionSource::Tagger },
                });
            }
            let mut plain = Candidates {
                amounts: c.amounts.clone(),
                dates: c.dates.clone(),
                mentions: c.mentions.clone(),
            };
            arbitrate(&text, &mut c);
            arbitrate_by_map(&text, &mut plain);
            proptest::prop_assert_eq!(outcome(&c), outcome(&plain), "{}", text);
        }
    }
}
