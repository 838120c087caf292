//! The statistical NER tagger (Chinese and English sequence labelling).
//! (Filled in by the entities issue: model training, features, decoding.)

use crate::recognize::MentionCandidate;
use crate::segment::Segmented;

/// A loaded tagging model, shared read-only by all threads.
#[derive(Debug, Default)]
pub struct Tagger;

impl Tagger {
    /// The embedded model, loaded once per process.
    pub fn shared() -> &'static Tagger {
        static TAGGER: std::sync::LazyLock<Tagger> = std::sync::LazyLock::new(Tagger::default);
        &TAGGER
    }

    /// Tags the normalised `text` and pushes one candidate per predicted entity span.
    pub fn tag(&self, _text: &str, _seg: &Segmented, _out: &mut Vec<MentionCandidate>) {}
}
