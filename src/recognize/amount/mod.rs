//! The amount recogniser: money, percentages, quantities and (with `--numbers`) bare numbers.
//!
//! Two steps over the normalised text: [`scan`] finds every written number (an *atom*:
//! `143亿`, `three million`, `数百万`), and [`build`] reads the words around each atom to
//! decide what it counts (currency, percent sign, classifier), how exact it is (qualifier),
//! and whether two atoms form a range. Word lists are data ([`lexicon`], `data/*.tsv`),
//! parsed once per process. Overlaps with dates and entity mentions are settled later by
//! [`crate::arbitrate`].

pub(crate) mod build;
pub(crate) mod display;
pub(crate) mod lexicon;
mod not_amount;
mod reading;
pub(crate) mod scan;
pub mod wire_table;

use super::{Candidates, Context, Recognizer};
use crate::document::Amount;

#[derive(Debug, Default)]
pub struct AmountRecognizer;

/// A document's amounts between the steps of [`AmountRecognizer`]: the atoms scanned,
/// then the amounts read around them. The steps are separate so that
/// [`crate::Pipeline::process_chunk`] can run each over a whole chunk of documents with
/// its code in the level-1 instruction cache: the whole recogniser's code (scanner,
/// readers, rejection rules, display) does not fit, and one-line documents paid for
/// reloading it document after document.
#[derive(Debug, Default)]
pub struct Draft {
    atoms: Vec<scan::Atom>,
    read: Vec<build::Proto>,
}

impl AmountRecognizer {
    pub fn new() -> Self {
        // Load every table now, not inside the first document.
        let _ = (
            &*lexicon::CURRENCIES,
            &*lexicon::UNITS,
            &*lexicon::QUALIFIERS,
            &*lexicon::STOPWORDS,
        );
        AmountRecognizer
    }

    /// The amounts of a normalised text (what `recognize` adds to the candidates).
    pub fn amounts(&self, text: &str, numbers: bool) -> Vec<Amount> {
        let mut draft = Draft::default();
        self.scan(text, &mut draft);
        self.read(text, &mut draft);
        self.settle(text, numbers, draft)
    }

    /// The first step: every written number of `text` (an atom).
    pub fn scan(&self, text: &str, draft: &mut Draft) {
        draft.atoms = scan::atoms(text);
    }

    /// The second step: the amount each atom reads as with the words around it.
    pub fn read(&self, text: &str, draft: &mut Draft) {
        draft.read = build::read_all(text, &draft.atoms);
    }

    /// The last step: ranges joined, values displayed, a wire table's figures added.
    pub fn settle(&self, text: &str, numbers: bool, draft: Draft) -> Vec<Amount> {
        let mut found = build::settle(text, draft.read, numbers);
        let table = wire_table::amounts(text, &found);
        if !table.is_empty() {
            // A bare table figure may lie inside a `number` the general rules read
            // (`--numbers`): the money reading replaces it.
            found.retain(|a| {
                !table
                    .iter()
                    .any(|t| a.nspan.0 < t.nspan.1 && t.nspan.0 < a.nspan.1)
            });
            found.extend(table);
            found.sort_by_key(|a| a.nspan);
        }
        found
    }
}

impl Recognizer for AmountRecognizer {
    fn name(&self) -> &'static str {
        "amounts"
    }

    fn recognize(&self, ctx: &Context<'_>, out: &mut Candidates) {
        out.amounts.extend(self.amounts(ctx.text, ctx.numbers));
    }
}

#[cfg(test)]
mod tests;
