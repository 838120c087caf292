//! The date recogniser: dates, ranges and durations, resolved against the document date.
//! (Filled in by the dates issue.)

use chrono::NaiveDate;

use super::{Candidates, Context, Recognizer};
use crate::segment::Segmented;

#[derive(Debug, Default)]
pub struct DateRecognizer;

impl DateRecognizer {
    pub fn new() -> Self {
        DateRecognizer
    }
}

impl Recognizer for DateRecognizer {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn recognize(&self, _ctx: &Context<'_>, _out: &mut Candidates) {}
}

/// Infers a document date from the text when none is given (dateline, latest past date).
pub fn infer_document_date(_text: &str, _seg: &Segmented) -> Option<NaiveDate> {
    None
}
