//! Figures of wire-service results tables: `Net 941,000 vs 786,000 Revs 12,798,000 vs
//! 2,269,000`. A row is a label (`data/wire_table_labels.tsv`), a figure, `vs` and the prior
//! period's figure. The figures of money rows carry no currency word, so the general amount
//! rules (which need one) pass them by; here they become money in the currency the table
//! names elsewhere (`1,458,000 dlrs`, `4.5 mln stg`), else U.S. dollars, the currency of the
//! wire tables this layout comes from.
//!
//! The facts stage reads the same rows ([`rows`]) to turn profit and revenue figures into
//! facts; a `loss` label or word makes the figure a negative result.

use std::sync::LazyLock;

use regex::Regex;

use super::display;
use crate::document::{Amount, AmountKind, NSpan, Qualifier};
use crate::num::Num;
use crate::recognize::numeral::parse_arabic;
use crate::table::TableError;

/// What a table row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Profit,
    Revenue,
    /// Per-share figures, share counts, backlog: money or not, never a fact's value.
    Other,
}

/// One row of a results table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WireRow {
    pub measure: Measure,
    pub label: NSpan,
    /// The figure of the period reported (number and scale word, no currency word).
    pub figure: NSpan,
    pub value: Num,
    /// A loss: the label or the word before the figure says `loss`.
    pub negative: bool,
    /// The prior period's figure after `vs`.
    pub prior: NSpan,
    pub prior_value: Num,
}

struct Labels {
    measure_of: &'static [(String, Measure)],
    row: Regex,
}

/// A figure: grouped or plain digits, a decimal part, a scale word.
const FIGURE: &str =
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s+(mln|million|billion|bln|thousand))?";
/// Currency words a table may write after its figures.
const CURRENCY_WORD: &str = r"(?:\s+(?:dlrs|dlr|stg|yen|marks|francs|guilders|lire|crowns))?";

/// Parses `data/wire_table_labels.tsv` (measure, label); an unknown measure or a missing
/// or extra column is an error with file and line.
fn parse_labels(file: &'static str, text: &'static str) -> Result<Vec<(String, Measure)>, TableError> {
    crate::table::rows(file, text)
        .map(|r| {
            r.at_most(2)?;
            let measure = match r.cell(0, "measure")? {
                "profit" => Measure::Profit,
                "revenue" => Measure::Revenue,
                "other" => Measure::Other,
                bad => {
                    return Err(r.error(format!(
                        "unknown measure {bad:?} (profit, revenue, other)"
                    )))
                }
            };
            Ok((r.cell(1, "label")?.to_ascii_lowercase(), measure))
        })
        .collect()
}

fn label_table() -> Result<Vec<(String, Measure)>, TableError> {
    let (file, text) = crate::data_table!("wire_table_labels.tsv");
    parse_labels(file, text)
}

/// Loads `data/wire_table_labels.tsv`, for [`crate::table::check_all`].
pub(crate) fn check() -> Result<(), TableError> {
    crate::table::check_cell(&LABEL_TABLE)
}

/// The label table, parsed once (by the check or by [`LABELS`]).
static LABEL_TABLE: crate::table::TableCell<Vec<(String, Measure)>> =
    crate::table::TableCell::new(label_table);

static LABELS: LazyLock<Labels> = LazyLock::new(|| {
    let measure_of = crate::table::cell_value(&LABEL_TABLE);
    let mut alts: Vec<&str> = measure_of.iter().map(|(l, _)| l.as_str()).collect();
    alts.sort_by_key(|l| std::cmp::Reverse(l.len()));
    let alts: Vec<String> = alts
        .iter()
        .map(|l| regex::escape(l).replace(' ', r"\s+"))
        .collect();
    let pattern = format!(
        r"(?i)\b({labels})\s+(?:(profit|loss)\s+)?{FIGURE}{CURRENCY_WORD}\s+vs\.?\s+(?:(?:profit|loss)\s+)?{FIGURE}",
        labels = alts.join("|")
    );
    let row = Regex::new(&pattern).expect("the wire-table pattern is built from escaped labels");
    Labels { measure_of, row }
});

fn scaled(digits: &str, scale: Option<&str>) -> Option<Num> {
    let v = parse_arabic(digits)?;
    let exp = match scale.map(str::to_ascii_lowercase).as_deref() {
        Some("mln" | "million") => 6,
        Some("billion" | "bln") => 9,
        Some("thousand") => 3,
        _ => 0,
    };
    v.scaled_by_pow10(exp)
}

/// The rows of the results tables in `span` of `text`.
pub fn rows(text: &str, span: NSpan) -> Vec<WireRow> {
    let Some(slice) = text.get(span.0..span.1) else {
        return Vec::new();
    };
    // Cheap test first: every row has a `vs`.
    if !slice.contains(" vs") {
        return Vec::new();
    }
    let labels = &*LABELS;
    let mut out = Vec::new();
    for c in labels.row.captures_iter(slice) {
        let (Some(label), Some(fig), Some(prior)) = (c.get(1), c.get(3), c.get(5)) else {
            continue;
        };
        let label_text = label.as_str().to_ascii_lowercase();
        let label_text = label_text.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(measure) = labels
            .measure_of
            .iter()
            .find(|(l, _)| *l == label_text)
            .map(|(_, m)| *m)
        else {
            continue;
        };
        let (Some(value), Some(prior_value)) = (
            scaled(fig.as_str(), c.get(4).map(|m| m.as_str())),
            scaled(prior.as_str(), c.get(6).map(|m| m.as_str())),
        ) else {
            continue;
        };
        let word_loss = c
            .get(2)
            .is_some_and(|w| w.as_str().eq_ignore_ascii_case("loss"));
        let fig_end = c.get(4).map_or(fig.end(), |m| m.end());
        let prior_end = c.get(6).map_or(prior.end(), |m| m.end());
        out.push(WireRow {
            measure,
            label: (span.0 + label.start(), span.0 + label.end()),
            figure: (span.0 + fig.start(), span.0 + fig_end),
            value,
            negative: label_text.contains("loss") || word_loss,
            prior: (span.0 + prior.start(), span.0 + prior_end),
            prior_value,
        });
    }
    out
}

/// Money amounts for the bare figures of profit and revenue rows, in the currency of
/// `found` (the amounts the general rules read) inside the table, else USD. Figures the
/// general rules already read (`1,458,000 dlrs`) are left to them.
pub fn amounts(text: &str, found: &[Amount]) -> Vec<Amount> {
    let mut out = Vec::new();
    let table = rows(text, (0, text.len()));
    if table.is_empty() {
        return out;
    }
    let covered = |sp: NSpan| found.iter().any(|a| a.nspan.0 <= sp.0 && sp.1 <= a.nspan.1);
    let first = table.first().map_or(0, |r| r.label.0);
    let last = table.last().map_or(0, |r| r.prior.1);
    let currency = found
        .iter()
        .filter(|a| a.kind == AmountKind::Money && a.nspan.0 >= first && a.nspan.1 <= last)
        .find_map(|a| a.unit.clone())
        .unwrap_or_else(|| "USD".to_string());
    for r in table.iter().filter(|r| r.measure != Measure::Other) {
        for (sp, v) in [(r.figure, r.value), (r.prior, r.prior_value)] {
            if covered(sp) {
                continue;
            }
            let mut a = Amount::new(AmountKind::Money, sp);
            a.value = Some(v);
            a.unit = Some(currency.clone());
            a.qualifier = Qualifier::Exact;
            a.display = display::display(
                AmountKind::Money,
                Some(v),
                None,
                Some(&currency),
                Qualifier::Exact,
                0,
                false,
            );
            out.push(a);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_label_row_names_its_line() {
        let err = parse_labels("data/wire_table_labels.tsv", "profit\tnet\nprofits\tnet income\n")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("data/wire_table_labels.tsv:2: unknown measure \"profits\" (profit, revenue, other)")
        );
        assert!(parse_labels("t.tsv", "profit\n").is_err());
    }

    #[test]
    fn rows_of_a_quarterly_table() {
        let t = "ADMAC INC 3RD QTR LOSS - Shr loss 1.51 dlrs vs profit eight cts Net loss 7,377,000 vs profit 384,000 Sales 1,593,000 vs 4,366,000 Nine Mths Revs 12.6 mln vs 11 mln";
        let r = rows(t, (0, t.len()));
        let got: Vec<(Measure, String, bool)> = r
            .iter()
            .map(|r| (r.measure, r.value.to_string(), r.negative))
            .collect();
        assert_eq!(
            got,
            vec![
                (Measure::Profit, "7377000".to_string(), true),
                (Measure::Revenue, "1593000".to_string(), false),
                (Measure::Revenue, "12600000".to_string(), false),
            ]
        );
        assert_eq!(&t[r[0].figure.0..r[0].figure.1], "7,377,000");
    }

    #[test]
    fn profit_word_after_a_neutral_label() {
        let t = "Net profit 17,156 vs loss 89,594 Net loss 5 vs 6 Net 941,000 dlrs vs 786,000 dlrs";
        let r = rows(t, (0, t.len()));
        assert_eq!(r.len(), 3);
        assert!(!r[0].negative && r[1].negative && !r[2].negative);
    }

    #[test]
    fn bare_figures_become_money_in_the_tables_currency() {
        let t = "Net 941,000 vs 786,000 Revs 4.5 mln stg vs 4 mln stg";
        let mut found = Amount::new(AmountKind::Money, (28, 39));
        found.unit = Some("GBP".into());
        let a = amounts(t, &[found]);
        let texts: Vec<&str> = a.iter().map(|a| &t[a.nspan.0..a.nspan.1]).collect();
        assert_eq!(texts, vec!["941,000", "786,000", "4 mln"]);
        assert!(a.iter().all(|a| a.unit.as_deref() == Some("GBP")));
    }

    #[test]
    fn prose_is_no_table() {
        let t = "Net income rose to 5 mln dlrs from 4 mln dlrs.";
        assert!(rows(t, (0, t.len())).is_empty());
    }
}
