//! ferry: move a GraphQL API from a Python monolith to Go services one field at a time.
//!
//! The crate is laid out as its pipeline: load (`workspace`) → understand
//! (`schema`, `python`, `golang`) → decide (`migration`) → act (`edit`) →
//! show (`render`, and the interactive `tui`). `commands` wires them together
//! for each subcommand.

pub mod check;
pub mod cli;
pub mod commands;
pub mod edit;
pub mod golang;
pub mod migration;
pub mod project;
pub mod python;
pub mod render;
pub mod schema;
pub mod tui;
pub mod workspace;
