//! Decide and act, side-by-side: `ferry compare` replays recorded
//! operations against the monolith and the Go services and judges, field by
//! field, whether Go answers as Python does; the result is committed
//! evidence, which the gate side-by-side → migrated reads.
//!
//! - [`operations`]: the corpus, streamed (`.graphql` files, JSON lines).
//! - [`targets`]: the compared fields, their services, the entity keys.
//! - [`rewrite`]: parse and validate with apollo-compiler; add
//!   `__typename` and key fields to the parsed document.
//! - [`occurrences`], [`go_requests`]: the samples in Python's answer and
//!   the Go requests that answer them (root fields alone, entity fields
//!   batched through `_entities`).
//! - [`diff`]: the GraphQL-aware diff; [`replay`] runs it all on worker
//!   threads over [`http`]; [`tally`] adds samples up in flat memory.
//! - [`gateway_log`]: the same measurements from a gateway's records.
//! - [`report`], [`evidence`]: the typed report and the committed file,
//!   with [`evidence::readiness`], the gate.

pub mod diff;
pub mod evidence;
pub mod gateway_log;
pub mod go_requests;
pub mod http;
pub mod occurrences;
pub mod operations;
pub mod replay;
pub mod report;
pub mod rewrite;
pub mod selection;
pub mod tally;
pub mod targets;

use std::time::SystemTime;

/// A time as written in reports and evidence: RFC 3339, UTC, whole seconds.
pub fn format_time(time: SystemTime) -> String {
    let time = time::OffsetDateTime::from(time)
        .replace_nanosecond(0)
        .expect("0 is a valid nanosecond");
    time.format(&time::format_description::well_known::Rfc3339)
        .expect("a time since the epoch formats as RFC 3339")
}
