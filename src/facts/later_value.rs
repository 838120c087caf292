//! A deal's value told in a later sentence of its paragraph: "Brentwood said it filed a
//! lawsuit against the University of Utah ... The suit, which asks damages in excess of 90
//! mln dlrs, ...", "X said it agreed to buy Y. According to the terms of the deal, Y's
//! shares will be exchanged for 9.8 mln dlrs of X stock."
//!
//! The later sentence names the deal by a noun that refers back to it (`the suit`, `the
//! deal`, 该交易: `data/deal_anaphors.tsv`), reports no fact of its own, and holds exactly
//! one money amount that may be such a fact's value (its role is one the trigger allows,
//! not a per-share figure, not a forecast: "the purchase will add 32 cts per share", "it
//! expects to net 150,000 dlrs on the sale"); the first such sentence with a figure tells
//! it, up to three sentences on.
//! A fact that found no value in its own sentence then takes that amount.

use super::cues::{Cue, CueSet};
use super::frames::{per_unit, Draft, TRIGGERS};
use super::modality::Modality;
use super::sentence::{Placed, Sentence};
use crate::document::{AmountKind, AmountRole, Document, FactType, NSpan};
use crate::segment::Segmented;
use crate::table::{cell_value, check_cell, rows, TableCell, TableError};

/// Sentences after a fact's own in which its value may still be told.
const LATER_SENTENCES: usize = 3;

/// One row of `data/deal_anaphors.tsv`: the fact types a phrase may refer back to.
#[derive(Debug, Clone)]
pub(crate) struct DealAnaphor {
    types: Vec<FactType>,
}

/// Parses `data/deal_anaphors.tsv` (types, phrase); an unknown fact type or a missing or
/// extra column is an error with file and line.
pub(crate) fn parse_deal_anaphors(
    file: &'static str,
    text: &'static str,
) -> Result<CueSet<DealAnaphor>, TableError> {
    let mut entries = Vec::new();
    for r in rows(file, text) {
        r.at_most(2)?;
        let mut types = Vec::new();
        for t in r.cell(0, "types")?.split(',').map(str::trim) {
            types.push(
                FactType::parse(t).ok_or_else(|| r.error(format!("unknown fact type {t:?}")))?,
            );
        }
        entries.push((Cue::parse(r.cell(1, "phrase")?, "-"), DealAnaphor { types }));
    }
    Ok(CueSet::new(entries))
}

fn table() -> Result<CueSet<DealAnaphor>, TableError> {
    let (file, text) = crate::data_table!("deal_anaphors.tsv");
    parse_deal_anaphors(file, text)
}

static DEAL_ANAPHORS: TableCell<CueSet<DealAnaphor>> = TableCell::new(table);

/// Loads `data/deal_anaphors.tsv`, for [`crate::table::check_all`].
pub(crate) fn check() -> Result<(), TableError> {
    check_cell(&DEAL_ANAPHORS)
}

/// Gives every draft without a value the value a later sentence of its paragraph tells of
/// it (see the module). `drafts` holds each draft with its sentence, in text order; `all`
/// are the document's placed mentions; `order` the indices of `doc.amounts` by start.
pub(crate) fn fill(
    text: &str,
    seg: &Segmented,
    all: &[Placed],
    doc: &Document,
    order: &[usize],
    drafts: &mut [(Draft, NSpan, bool)],
) {
    let anaphors = cell_value(&DEAL_ANAPHORS);
    let mut used = vec![false; doc.amounts.len()];
    for v in drafts.iter().filter_map(|(d, _, _)| d.value) {
        if let Some(u) = used.get_mut(v) {
            *u = true;
        }
    }
    // The sentences holding a fact, sorted (the drafts follow the text).
    let mut with_fact: Vec<NSpan> = drafts.iter().map(|(_, span, _)| *span).collect();
    with_fact.sort_unstable();
    with_fact.dedup();
    for (d, span, _) in drafts.iter_mut() {
        let Some(roles) = TRIGGERS.rows.get(d.row).map(|r| &r.value_roles) else {
            continue;
        };
        if d.value.is_some() || roles.is_empty() {
            continue;
        }
        let Some(&paragraph) = seg
            .paragraph_index(span.0)
            .and_then(|p| seg.paragraphs.get(p))
        else {
            continue;
        };
        let first = seg.sentences.partition_point(|s| s.0 <= span.0);
        let later = seg.sentences[first..]
            .iter()
            .take_while(|s| s.0 < paragraph.1 && with_fact.binary_search(s).is_err())
            .take(LATER_SENTENCES);
        for &sentence in later {
            let refers = anaphors
                .find(text, sentence)
                .iter()
                .any(|h| anaphors.rows[h.row].types.contains(&d.kind));
            if !refers {
                continue;
            }
            // A sentence naming the deal without a figure passes the turn to the next one;
            // one with two figures leaves the value untold.
            let s = Sentence::new(text, sentence, all, seg.tokens_in(sentence));
            match values(&s, doc, order, roles, &used)[..] {
                [] => continue,
                [v] => {
                    d.value = Some(v);
                    used[v] = true;
                }
                _ => {}
            }
            break;
        }
    }
}

/// The money amounts of sentence `s` that may be a value (their role in `roles`, or none),
/// not already another fact's value (`used`), not per share or per period, not in a
/// forecast. `order`: the indices of `doc.amounts` by start.
fn values(
    s: &Sentence<'_>,
    doc: &Document,
    order: &[usize],
    roles: &[AmountRole],
    used: &[bool],
) -> Vec<usize> {
    let at = |i: &usize| doc.amounts.get(*i).map_or(usize::MAX, |a| a.nspan.0);
    let first = order.partition_point(|i| at(i) < s.span.0);
    let modality = Modality::of(s);
    order[first..]
        .iter()
        .take_while(|i| at(i) < s.span.1)
        .copied()
        .filter(|&i| {
            let Some(a) = doc.amounts.get(i) else {
                return false;
            };
            a.kind == AmountKind::Money
                && a.nspan.1 <= s.span.1
                && !used.get(i).copied().unwrap_or(true)
                && a.role.is_none_or(|r| r == AmountRole::Other || roles.contains(&r))
                && !per_unit(s, a)
                && !modality.blocks_terms(s, a.nspan)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{summary, Kit};
    use crate::document::AmountKind::Money;
    use crate::document::EntityType::Org;

    #[test]
    fn a_later_sentence_naming_the_deal_gives_its_value() {
        let doc = Kit::new(
            "Acme Corp said it filed a lawsuit against Beta Inc. Acme said in the suit that \
             Beta copied its design. The suit seeks damages of 50 mln dlrs.",
        )
        .ent(Org, "Acme Corp", &["Acme"])
        .ent(Org, "Beta Inc", &["Beta"])
        .amt("50 mln dlrs", 0, Money, "50000000", "USD")
        .run();
        assert_eq!(summary(&doc), vec!["lawsuit Acme Corp -> Beta Inc 50000000 USD - -"]);
        let doc = Kit::new("甲科技公司宣布收购乙网络公司。该交易金额为5亿元。")
            .ent(Org, "甲科技公司", &[])
            .ent(Org, "乙网络公司", &[])
            .amt("5亿元", 0, Money, "500000000", "CNY")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["acquisition 甲科技公司 -> 乙网络公司 500000000 CNY - 2025-09-05"]
        );
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let bad = "# types\tphrase\nlawsuit\tthe suit\nlawsuit,merger\tthe merger\n";
        let err = super::parse_deal_anaphors("data/deal_anaphors.tsv", bad)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("data/deal_anaphors.tsv:3: unknown fact type \"merger\"")
        );
    }

    #[test]
    fn per_share_figures_forecasts_and_two_figures_give_no_value() {
        for later in [
            "Acme said the deal will add 5 cts a share to its earnings.",
            "Acme said it expects the deal to save 3 mln dlrs.",
            "The deal is worth 5 mln dlrs in cash and 3 mln dlrs in notes.",
            "Terms of the deal were not disclosed. Beta has annual sales of 9 mln dlrs.",
        ] {
            let text = format!("Acme Corp agreed to buy Beta Inc for cash. {later}");
            let mut kit = Kit::new(&text)
                .ent(Org, "Acme Corp", &["Acme"])
                .ent(Org, "Beta Inc", &["Beta"]);
            for (surface, value) in [("5 cts", "0.05"), ("3 mln dlrs", "3000000"), ("5 mln dlrs", "5000000"), ("9 mln dlrs", "9000000")] {
                if text.contains(surface) {
                    kit = kit.amt(surface, 0, Money, value, "USD");
                }
            }
            let facts = summary(&kit.run());
            let deals: Vec<&String> = facts.iter().filter(|f| f.starts_with("acquisition")).collect();
            assert_eq!(deals, vec!["acquisition Acme Corp -> Beta Inc - - -"], "{later}");
        }
    }
}
