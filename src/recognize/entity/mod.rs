//! Entity recognition: mention candidates (tagger, gazetteer, Latin-name rules) and their
//! resolution into one entity per referent. (Filled in by the entities issue.)

pub mod tagger;

use super::{Candidates, Context, MentionCandidate, Recognizer};
use crate::document::Entity;

#[derive(Debug, Default)]
pub struct EntityRecognizer;

impl EntityRecognizer {
    pub fn new() -> Self {
        EntityRecognizer
    }
}

impl Recognizer for EntityRecognizer {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn recognize(&self, ctx: &Context<'_>, out: &mut Candidates) {
        tagger::Tagger::shared().tag(ctx.text, ctx.seg, &mut out.mentions);
    }
}

/// Groups arbitrated mentions into entities (coreference, canonical name, `name_en`).
pub fn resolve(_ctx: &Context<'_>, _mentions: &[MentionCandidate]) -> Vec<Entity> {
    Vec::new()
}
