//! The committed evidence file (`ferry-evidence.json`, `[compare]
//! evidence`): per field, what the last comparison of Python and Go
//! measured and the hash of the Go resolver it was measured against. Read
//! with the project, as the ledger is; `ferry compare` writes it, and the
//! readiness gate over it is decided in `compare::evidence`.
//!
//! ```json
//! {
//!   "version": 1,
//!   "fields": {
//!     "Assignment.title": {
//!       "service": "assignments",
//!       "source": "replay",
//!       "samples": 240, "matches": 238, "mismatches": 0, "noisy": 2, "go_errors": 0,
//!       "from": "2024-05-01T12:00:00Z", "to": "2024-05-01T12:03:10Z",
//!       "go_resolver": {"file": "services/assignments/graph/schema.resolvers.go",
//!                       "line": 22, "hash": "blake3:…"}
//!     }
//!   }
//! }
//! ```
//!
//! Fields are sorted by coordinate and keys come in a fixed order, so a
//! change reviews as a small diff.

use crate::model::inventory::FieldCoordinate;
use crate::workspace::WorkspacePath;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const EVIDENCE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub version: u32,
    pub fields: BTreeMap<String, FieldEvidence>,
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence {
            version: EVIDENCE_VERSION,
            fields: BTreeMap::new(),
        }
    }
}

/// How evidence was gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceSource {
    /// `ferry compare` replayed operations.
    Replay,
    /// `ferry compare --from-log` read a gateway's records.
    GatewayLog,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldEvidence {
    pub service: String,
    pub source: EvidenceSource,
    pub samples: u64,
    pub matches: u64,
    pub mismatches: u64,
    pub noisy: u64,
    pub go_errors: u64,
    /// The time span of the samples, RFC 3339.
    pub from: String,
    pub to: String,
    /// The Go resolver method measured against; `null` when gqlgen binds
    /// the field to a struct field (no method to hash).
    pub go_resolver: Option<GoResolverHash>,
}

impl FieldEvidence {
    /// Samples where Python agreed with itself: what says something of Go.
    pub fn compared(&self) -> u64 {
        self.samples - self.noisy
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoResolverHash {
    pub file: String,
    pub line: u32,
    pub hash: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}:{column}: {message}; fix the file or remove it and run `ferry compare` again"
    )]
    Syntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: evidence version {found}; this ferry reads version {EVIDENCE_VERSION}")]
    Version { path: String, found: u32 },
}

impl Evidence {
    /// Reads the file's text (`None`: no file yet, no evidence).
    pub fn parse(text: Option<&str>, shown: &str) -> Result<Evidence, EvidenceError> {
        let Some(text) = text else {
            return Ok(Evidence::default());
        };
        let evidence: Evidence = serde_json::from_str(text).map_err(|e| EvidenceError::Syntax {
            path: shown.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        if evidence.version != EVIDENCE_VERSION {
            return Err(EvidenceError::Version {
                path: shown.to_string(),
                found: evidence.version,
            });
        }
        Ok(evidence)
    }

    /// The file's text: sorted, two-space indented, one trailing newline.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("evidence serializes");
        text.push('\n');
        text
    }

    pub fn field(&self, coordinate: &FieldCoordinate) -> Option<&FieldEvidence> {
        // Status asks for every field: most have no evidence, and the key
        // is spelled out (allocated) only when there is some.
        if self.fields.is_empty() {
            return None;
        }
        self.fields.get(&coordinate.to_string())
    }

    /// Replaces a field's evidence with a newer measurement.
    pub fn record(&mut self, coordinate: &FieldCoordinate, evidence: FieldEvidence) {
        self.fields.insert(coordinate.to_string(), evidence);
    }
}

/// The evidence file as read when the project was loaded.
#[derive(Debug, Clone)]
pub struct EvidenceFile {
    pub path: WorkspacePath,
    /// The file's text, for the stale check of a write; `None` when it
    /// does not exist yet.
    pub text: Option<String>,
    pub evidence: Evidence,
}

impl EvidenceFile {
    pub fn read(path: &WorkspacePath) -> Result<EvidenceFile, EvidenceError> {
        let text = match std::fs::read_to_string(&path.abs) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(EvidenceError::Read {
                    path: path.rel.clone(),
                    source,
                });
            }
        };
        let evidence = Evidence::parse(text.as_deref(), &path.rel)?;
        Ok(EvidenceFile {
            path: path.clone(),
            text,
            evidence,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(samples: u64, hash: &str) -> FieldEvidence {
        FieldEvidence {
            service: "assignments".into(),
            source: EvidenceSource::Replay,
            samples,
            matches: samples,
            mismatches: 0,
            noisy: 0,
            go_errors: 0,
            from: "2024-05-01T12:00:00Z".into(),
            to: "2024-05-01T12:03:00Z".into(),
            go_resolver: Some(GoResolverHash {
                file: "graph/schema.resolvers.go".into(),
                line: 22,
                hash: hash.into(),
            }),
        }
    }

    #[test]
    fn the_file_round_trips_in_a_stable_order() {
        let mut evidence = Evidence::default();
        evidence.record(
            &FieldCoordinate::new("Query", "assignment"),
            measured(3, "b"),
        );
        evidence.record(
            &FieldCoordinate::new("Assignment", "title"),
            measured(5, "a"),
        );
        let text = evidence.to_text();
        assert!(text.find("Assignment.title").unwrap() < text.find("Query.assignment").unwrap());
        assert_eq!(
            Evidence::parse(Some(&text), "ferry-evidence.json").unwrap(),
            evidence
        );
        let broken = Evidence::parse(
            Some("{\"version\": 1,\n \"fields\": [}"),
            "ferry-evidence.json",
        )
        .unwrap_err()
        .to_string();
        assert!(broken.starts_with("ferry-evidence.json:2:"), "{broken}");
    }
}
