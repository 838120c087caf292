//! The closed word lists of the facts stage (`data/fact_words.tsv`): investor cues, loss
//! words, share and payment words, per-unit words, coordinators, byline words and the like.
//! They are data, read once through the one table loader; a row naming an unknown list is
//! an error with file and line.

use crate::table::{cell_value, check_cell, rows, TableCell, TableError};

/// Every list of `data/fact_words.tsv`, `_` already read as a space.
#[derive(Debug, Default)]
pub(crate) struct FactWords {
    pub investor_cue: Vec<String>,
    pub backer_after: Vec<String>,
    pub loss: Vec<String>,
    pub not_loss: Vec<String>,
    pub share: Vec<String>,
    pub payment: Vec<String>,
    pub whole: Vec<String>,
    pub per_unit_before: Vec<String>,
    pub per_unit_after: Vec<String>,
    pub agent_coordinator: Vec<String>,
    pub receive_verb: Vec<String>,
    pub reciprocal: Vec<String>,
    pub coordinator: Vec<String>,
    pub byline: Vec<String>,
    pub descriptor_end: Vec<String>,
    pub company_word: Vec<String>,
    pub company_head: Vec<String>,
    pub oblique_before: Vec<String>,
    pub court: Vec<String>,
    pub bare_organ: Vec<String>,
    pub succession: Vec<String>,
}

impl FactWords {
    /// The list a row's first cell names.
    fn list(&mut self, name: &str) -> Option<&mut Vec<String>> {
        Some(match name {
            "investor_cue" => &mut self.investor_cue,
            "backer_after" => &mut self.backer_after,
            "loss" => &mut self.loss,
            "not_loss" => &mut self.not_loss,
            "share" => &mut self.share,
            "payment" => &mut self.payment,
            "whole" => &mut self.whole,
            "per_unit_before" => &mut self.per_unit_before,
            "per_unit_after" => &mut self.per_unit_after,
            "agent_coordinator" => &mut self.agent_coordinator,
            "receive_verb" => &mut self.receive_verb,
            "reciprocal" => &mut self.reciprocal,
            "coordinator" => &mut self.coordinator,
            "byline" => &mut self.byline,
            "descriptor_end" => &mut self.descriptor_end,
            "company_word" => &mut self.company_word,
            "company_head" => &mut self.company_head,
            "oblique_before" => &mut self.oblique_before,
            "court" => &mut self.court,
            "bare_organ" => &mut self.bare_organ,
            "succession" => &mut self.succession,
            _ => return None,
        })
    }
}

/// Parses a table of `list<TAB>words`; an unknown list, a row without words or an extra
/// column is an error.
pub(crate) fn parse_words(file: &'static str, text: &'static str) -> Result<FactWords, TableError> {
    let mut w = FactWords::default();
    for r in rows(file, text) {
        r.at_most(2)?;
        let name = r.cell(0, "list")?;
        let words = r.cell(1, "words")?;
        let Some(list) = w.list(name) else {
            return Err(r.error(format!("unknown list {name:?}")));
        };
        list.extend(words.split_whitespace().map(|v| v.replace('_', " ")));
    }
    Ok(w)
}

fn table() -> Result<FactWords, TableError> {
    let (file, text) = crate::data_table!("fact_words.tsv");
    parse_words(file, text)
}

/// Loads `data/fact_words.tsv`, for [`crate::table::check_all`].
pub(crate) fn check() -> Result<(), TableError> {
    check_cell(&WORDS)
}

static WORDS: TableCell<FactWords> = TableCell::new(table);

/// The word lists, parsed on first use.
pub(crate) fn words() -> &'static FactWords {
    cell_value(&WORDS)
}

/// `s.to_lowercase()`, copied only when that changes it, and ASCII-lowered when every
/// character is ASCII or of U+3000..U+9FFF (CJK punctuation, kana, Han: none has a case
/// mapping, the test `lowercase_is_to_lowercase` checks each): names and phrases of the
/// facts stage, nearly all Chinese, skip Unicode case mapping and its copy.
pub(crate) fn lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(|c| c.is_ascii() || ('\u{3000}'..='\u{9FFF}').contains(&c)) {
        crate::normalize::ascii_lowercase(s)
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_is_to_lowercase() {
        for cp in 0x3000..=0x9FFF_u32 {
            let c = char::from_u32(cp).unwrap_or(' ');
            assert!(c.to_lowercase().eq([c]), "{c:?} has a lower-case form");
        }
        for s in [
            "", "ABC", "abc", "Nasdaq Stock Exchange", "上海证券交易所", "ÉTÉ Corp", "ΣΑΣ", "ǅ",
            "ＡＢＣ公司", "𠀀A", "Acme有限公司", "İstanbul", "\u{2FFF}\u{A000}A",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s:?}");
        }
    }

    #[test]
    fn underscores_are_spaces_and_every_list_is_filled() {
        let w = words();
        assert!(w.payment.iter().any(|p| p == " for "));
        assert!(w.coordinator.iter().any(|p| p == ", and"));
        for (name, list) in [
            ("investor_cue", &w.investor_cue),
            ("backer_after", &w.backer_after),
            ("loss", &w.loss),
            ("not_loss", &w.not_loss),
            ("share", &w.share),
            ("payment", &w.payment),
            ("whole", &w.whole),
            ("per_unit_before", &w.per_unit_before),
            ("per_unit_after", &w.per_unit_after),
            ("agent_coordinator", &w.agent_coordinator),
            ("receive_verb", &w.receive_verb),
            ("reciprocal", &w.reciprocal),
            ("coordinator", &w.coordinator),
            ("byline", &w.byline),
            ("descriptor_end", &w.descriptor_end),
            ("company_word", &w.company_word),
            ("company_head", &w.company_head),
            ("oblique_before", &w.oblique_before),
            ("court", &w.court),
            ("bare_organ", &w.bare_organ),
            ("succession", &w.succession),
        ] {
            assert!(!list.is_empty(), "list {name} is empty");
        }
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let err = parse_words("data/fact_words.tsv", "loss\t亏\nlosses\tloss\n")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("data/fact_words.tsv:2: unknown list \"losses\"")
        );
        assert!(parse_words("t.tsv", "loss\n").is_err());
        assert!(parse_words("t.tsv", "loss\t亏\textra\n").is_err());
    }
}
