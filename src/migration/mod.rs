//! Decide: stages, the transitions between them, their guards, and the
//! plan of edits that carries them out.

pub mod edit_report;
pub mod gqlgen_text;
pub mod plan;
pub mod refusal;
pub mod schema_text;
pub mod selector;
pub mod transition;
