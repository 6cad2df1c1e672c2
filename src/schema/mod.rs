//! Understand: the schemas (the monolith's and each Go service's) and the
//! `@migrate` directive, SDL only: what the code says is joined in `model`.

pub mod chunked_parse;
pub mod federation;
pub mod fields;
pub mod loaded;
pub mod migrate_directive;
pub mod override_directive;
pub mod source;
