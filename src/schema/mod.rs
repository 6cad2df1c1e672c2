//! Understand: the schemas (the monolith's and each Go service's), the
//! `@migrate` directive, and the field inventory that joins them.

pub mod chunked_parse;
pub mod federation;
pub mod inventory;
pub mod loaded;
pub mod migrate_directive;
pub mod source;
