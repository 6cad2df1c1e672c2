//! The committed evidence file: per field, what the last comparison
//! measured and the hash of the Go resolver it was measured against; and
//! the readiness gate over it (side-by-side → migrated).
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

use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::project::Project;
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
        self.fields.get(&coordinate.to_string())
    }

    /// Replaces a field's evidence with a newer measurement.
    pub fn record(&mut self, coordinate: &FieldCoordinate, evidence: FieldEvidence) {
        self.fields.insert(coordinate.to_string(), evidence);
    }
}

/// The Go resolver method's text, hashed: evidence holds only while the
/// method it was measured against is unchanged.
pub fn go_resolver_hash(project: &Project, field: &FieldRecord) -> Option<GoResolverHash> {
    let resolver = field.go.as_ref()?;
    let index = project.go.get(field.service.as_deref()?)?;
    let method = index
        .methods()
        .iter()
        .find(|m| m.file == resolver.file && m.line == resolver.line)?;
    let file = index.files().iter().find(|f| f.relative == method.file)?;
    let text: Vec<&str> = file
        .source
        .lines()
        .skip(method.line.saturating_sub(1) as usize)
        .take((method.end_line + 1).saturating_sub(method.line) as usize)
        .collect();
    let hash = blake3::hash(text.join("\n").as_bytes());
    Some(GoResolverHash {
        file: method.file.clone(),
        line: method.line,
        hash: format!("blake3:{}", &hash.to_hex()[..32]),
    })
}

/// Whether a field may leave side-by-side for migrated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Readiness {
    Ready {
        compared: u64,
        mismatches: u64,
    },
    /// Never compared.
    NoEvidence,
    /// Measured against another version of the Go resolver.
    Stale {
        measured: Option<String>,
        current: Option<String>,
    },
    TooFewSamples {
        compared: u64,
        min_samples: u64,
    },
    TooManyMismatches {
        mismatches: u64,
        compared: u64,
        max_mismatch_rate: f64,
    },
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        matches!(self, Readiness::Ready { .. })
    }

    /// Why, with the numbers; for a refusal, what to run.
    pub fn explain(&self, field: &FieldCoordinate) -> String {
        let gather = format!("run `ferry compare {field}` to gather evidence");
        match self {
            Readiness::Ready {
                compared,
                mismatches,
            } => format!("evidence: {compared} samples compared, {mismatches} mismatches"),
            Readiness::NoEvidence => format!("no evidence that Go agrees with Python; {gather}"),
            Readiness::Stale { .. } => {
                format!("the Go resolver changed since the evidence was measured; {gather} again")
            }
            Readiness::TooFewSamples {
                compared,
                min_samples,
            } => format!(
                "{compared} of the {min_samples} samples [compare] min_samples asks for; {gather} over more operations"
            ),
            Readiness::TooManyMismatches {
                mismatches,
                compared,
                max_mismatch_rate,
            } => format!(
                "{mismatches} mismatches in {compared} samples ({}; at most {} allowed); fix the Go resolver and {gather} again",
                percent(*mismatches, *compared),
                percent_of(*max_mismatch_rate)
            ),
        }
    }
}

fn percent(part: u64, whole: u64) -> String {
    percent_of(part as f64 / whole.max(1) as f64)
}

fn percent_of(share: f64) -> String {
    let value = share * 100.0;
    if value == value.trunc() {
        format!("{value:.0}%")
    } else {
        format!("{value:.2}%")
    }
}

/// The gate: evidence for `field` measured against the Go resolver with
/// `go_source_hash` (as [`go_resolver_hash`] gives it now), with at least
/// `min_samples` compared samples and a mismatch rate of at most
/// `max_mismatch_rate`.
pub fn readiness(
    evidence: &Evidence,
    field: &FieldCoordinate,
    go_source_hash: Option<&str>,
    min_samples: u64,
    max_mismatch_rate: f64,
) -> Readiness {
    let Some(measured) = evidence.field(field) else {
        return Readiness::NoEvidence;
    };
    let measured_hash = measured.go_resolver.as_ref().map(|g| g.hash.as_str());
    if measured_hash != go_source_hash {
        return Readiness::Stale {
            measured: measured_hash.map(str::to_string),
            current: go_source_hash.map(str::to_string),
        };
    }
    let compared = measured.compared();
    if compared < min_samples {
        return Readiness::TooFewSamples {
            compared,
            min_samples,
        };
    }
    if measured.mismatches as f64 > max_mismatch_rate * compared as f64 {
        return Readiness::TooManyMismatches {
            mismatches: measured.mismatches,
            compared,
            max_mismatch_rate,
        };
    }
    Readiness::Ready {
        compared,
        mismatches: measured.mismatches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(samples: u64, mismatches: u64, noisy: u64, hash: &str) -> FieldEvidence {
        FieldEvidence {
            service: "assignments".into(),
            source: EvidenceSource::Replay,
            samples,
            matches: samples - mismatches - noisy,
            mismatches,
            noisy,
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
    fn the_gate_asks_for_enough_clean_samples_against_the_current_resolver() {
        let title = FieldCoordinate::new("Assignment", "title");
        let mut evidence = Evidence::default();
        assert_eq!(
            readiness(&evidence, &title, Some("h1"), 100, 0.0),
            Readiness::NoEvidence
        );
        evidence.record(&title, measured(150, 0, 60, "h1"));
        assert_eq!(
            readiness(&evidence, &title, Some("h1"), 100, 0.0),
            Readiness::TooFewSamples {
                compared: 90,
                min_samples: 100
            }
        );
        evidence.record(&title, measured(200, 1, 0, "h1"));
        let refused = readiness(&evidence, &title, Some("h1"), 100, 0.0);
        assert_eq!(
            refused.explain(&title),
            "1 mismatches in 200 samples (0.50%; at most 0% allowed); fix the Go resolver and run `ferry compare Assignment.title` to gather evidence again"
        );
        assert!(readiness(&evidence, &title, Some("h1"), 100, 0.01).is_ready());
        assert_eq!(
            readiness(&evidence, &title, Some("h2"), 100, 0.01),
            Readiness::Stale {
                measured: Some("h1".into()),
                current: Some("h2".into())
            }
        );
    }

    #[test]
    fn the_file_round_trips_in_a_stable_order() {
        let mut evidence = Evidence::default();
        evidence.record(
            &FieldCoordinate::new("Query", "assignment"),
            measured(3, 0, 0, "b"),
        );
        evidence.record(
            &FieldCoordinate::new("Assignment", "title"),
            measured(5, 1, 1, "a"),
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
