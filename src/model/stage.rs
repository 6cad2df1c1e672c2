//! The stages a field goes through, as written in `@migrate(state: …)`.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Not in any Go schema: Python serves it.
    Python,
    /// `@migrate(state: "manual")`: Go resolver being written.
    Manual,
    /// `@migrate(state: "side-by-side")`: the gateway calls both.
    SideBySide,
    /// `@migrate(state: "canary")`: a subset of traffic on Go.
    Canary,
    /// `@migrate(state: "migrated")`: Go serves, Python ignored.
    Migrated,
    /// Directive removed: Go only.
    Done,
    /// Never in the Python schema: not part of the migration.
    Go,
    /// A field of an entity's `@key`: shared, not moved. Every subgraph that
    /// has the entity resolves it from the representation.
    Key,
    /// A `state` ferry does not know; always reported as a problem.
    Unknown,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Python,
        Stage::Manual,
        Stage::SideBySide,
        Stage::Canary,
        Stage::Migrated,
        Stage::Done,
        Stage::Go,
        Stage::Key,
        Stage::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Python => "python",
            Stage::Manual => "manual",
            Stage::SideBySide => "side-by-side",
            Stage::Canary => "canary",
            Stage::Migrated => "migrated",
            Stage::Done => "done",
            Stage::Go => "go",
            Stage::Key => "key",
            Stage::Unknown => "unknown",
        }
    }

    /// The stages a `@migrate(state: …)` can name.
    pub fn from_state(state: &str) -> Option<Stage> {
        match state {
            "manual" => Some(Stage::Manual),
            "side-by-side" => Some(Stage::SideBySide),
            "canary" => Some(Stage::Canary),
            "migrated" => Some(Stage::Migrated),
            _ => None,
        }
    }

    pub fn parse(name: &str) -> Option<Stage> {
        Stage::ALL
            .into_iter()
            .find(|s| s.as_str() == name && *s != Stage::Unknown)
    }

    /// Whether the field carries `@migrate` at this stage.
    pub fn has_directive(self) -> bool {
        matches!(
            self,
            Stage::Manual | Stage::SideBySide | Stage::Canary | Stage::Migrated
        )
    }

    /// Whether Go serves (some of) the traffic: counts as progress.
    pub fn served_by_go(self) -> bool {
        matches!(self, Stage::Migrated | Stage::Done)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
