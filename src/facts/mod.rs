//! The facts stage: amount roles and subjects, and typed business facts, from the
//! entities, amounts and dates of a whole document. (Filled in by the facts issue.)

use crate::document::Document;
use crate::recognize::Context;

/// Sets `role`/`subject` on amounts and fills `doc.facts`.
pub fn extract(_ctx: &Context<'_>, _doc: &mut Document) {}
