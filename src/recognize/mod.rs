//! The recogniser stage: amounts, dates and entity mentions found in the normalised text.
//!
//! Each recogniser implements [`Recognizer`]: it reads a [`Context`] (normalised text,
//! segmentation, document date, options) and pushes *candidates* with normalised byte
//! spans. Recognisers never see each other's output; overlaps between them are settled
//! once, afterwards, by [`crate::arbitrate`].

pub mod amount;
pub mod date;
pub mod entity;
pub(crate) mod gate;
pub mod numeral;

use chrono::NaiveDate;

use crate::document::{Amount, DateItem, EntityType, NSpan};
use crate::segment::Segmented;

/// What a recogniser may read.
pub struct Context<'a> {
    /// The normalised text (Simplified, half-width, glosses and boilerplate removed).
    pub text: &'a str,
    pub seg: &'a Segmented,
    /// The document date, the anchor for relative dates; `None` when unknown.
    pub doc_date: Option<NaiveDate>,
    /// Report bare cardinal numbers as amounts of kind `number` (`--numbers`).
    pub numbers: bool,
}

/// Where an entity mention candidate came from; arbitration and coreference use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MentionSource {
    /// The statistical tagger.
    Tagger,
    /// A gazetteer (lexicon) match.
    Gazetteer,
    /// A Latin-script name inside Chinese text, or a rule cue (title, suffix).
    Rule,
}

/// An entity mention candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionCandidate {
    pub nspan: NSpan,
    pub kind: EntityType,
    /// Confidence in [0, 1]; used to settle overlaps.
    pub score: f32,
    pub source: MentionSource,
}

/// Everything the recognisers found, before arbitration.
#[derive(Debug, Default)]
pub struct Candidates {
    pub amounts: Vec<Amount>,
    pub dates: Vec<DateItem>,
    pub mentions: Vec<MentionCandidate>,
}

/// One recogniser of the pipeline. Implementations hold their compiled tables and are
/// shared read-only across threads.
pub trait Recognizer: Send + Sync {
    fn name(&self) -> &'static str;
    fn recognize(&self, ctx: &Context<'_>, out: &mut Candidates);
}
