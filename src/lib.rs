//! ferry: move a GraphQL API from a Python monolith to Go services one field at a time.
//!
//! The crate is laid out as its pipeline: load (`workspace`) → understand
//! (`schema`, `python`, `golang`: siblings that import nothing of each
//! other) → the joined `model` → decide (`migration`, `check`, and
//! `compare`, which measures side-by-side) → act (`edit`, `generate`) →
//! show (`render`, and the interactive `tui`).
//! `commands` wires them together for each subcommand.

pub mod check;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod edit;
pub mod generate;
pub mod golang;
pub mod migration;
pub mod model;
pub mod plan;
pub mod python;
pub mod render;
pub mod report;
pub mod schema;
pub mod tui;
pub mod workspace;
