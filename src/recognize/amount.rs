//! The amount recogniser: money, percentages, quantities and (with `--numbers`) bare numbers.
//! (Filled in by the amounts issue.)

use super::{Candidates, Context, Recognizer};

#[derive(Debug, Default)]
pub struct AmountRecognizer;

impl AmountRecognizer {
    pub fn new() -> Self {
        AmountRecognizer
    }
}

impl Recognizer for AmountRecognizer {
    fn name(&self) -> &'static str {
        "amounts"
    }

    fn recognize(&self, _ctx: &Context<'_>, _out: &mut Candidates) {}
}
