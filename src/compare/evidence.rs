//! The readiness gate side-by-side → migrated over the committed evidence
//! (its file format is `model::evidence`, read with the project): whether
//! what `ferry compare` measured is enough, clean enough, and measured
//! against the Go resolver as it is now.

pub use crate::model::evidence::{
    EVIDENCE_VERSION, Evidence, EvidenceError, EvidenceSource, FieldEvidence, GoResolverHash,
};
use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::workspace::Workspace;
use serde::Serialize;

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

/// The command that gathers evidence for a field in this workspace: what
/// ferry.toml leaves out (the operations, an endpoint) is spelled as a
/// flag to fill in.
pub fn gather_command(workspace: &Workspace, field: &FieldRecord) -> String {
    let mut command = format!("ferry compare {}", field.coordinate);
    if workspace.compare.operations.is_empty() {
        command.push_str(" --operations PATH");
    }
    if workspace.python.url.is_none() {
        command.push_str(" --python-url URL");
    }
    let service = field
        .service
        .as_deref()
        .and_then(|name| workspace.services.iter().find(|s| s.name == name));
    if let Some(service) = service.filter(|s| s.url.is_none()) {
        command.push_str(&format!(" --go-url {}=URL", service.name));
    }
    command
}

/// What a field's evidence is judged against now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateTarget {
    /// The Go resolver as it is now ([`go_resolver_hash`]).
    pub go_resolver: Option<GoResolverHash>,
    /// The command that gathers its evidence ([`gather_command`]).
    pub gather: String,
}

impl GateTarget {
    pub fn of(project: &Project, field: &FieldRecord) -> GateTarget {
        GateTarget {
            go_resolver: go_resolver_hash(project, field),
            gather: gather_command(&project.workspace, field),
        }
    }

    pub fn hash(&self) -> Option<&str> {
        self.go_resolver.as_ref().map(|g| g.hash.as_str())
    }
}

/// `[compare] min_samples` and `max_mismatch_rate`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gate {
    pub min_samples: u64,
    pub max_mismatch_rate: f64,
}

impl Gate {
    pub fn of(workspace: &Workspace) -> Gate {
        Gate {
            min_samples: workspace.compare.min_samples,
            max_mismatch_rate: workspace.compare.max_mismatch_rate,
        }
    }
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
        compared: u64,
        mismatches: u64,
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

// `max_mismatch_rate` is never NaN: the workspace accepts only 0 to 1.
impl Eq for Readiness {}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        matches!(self, Readiness::Ready { .. })
    }

    /// Why, with the numbers; for a refusal, `gather`: the command to run.
    pub fn explain(&self, gather: &str) -> String {
        let run = format!("run `{gather}`");
        match self {
            Readiness::Ready {
                compared,
                mismatches,
            } => format!("evidence: {compared} samples compared, {mismatches} mismatches"),
            Readiness::NoEvidence => {
                format!("no evidence that Go agrees with Python; {run} to gather it")
            }
            Readiness::Stale {
                compared,
                mismatches,
                ..
            } => format!(
                "the Go resolver changed since the evidence ({compared} samples compared, {mismatches} mismatches) was measured; {run} again"
            ),
            Readiness::TooFewSamples {
                compared,
                min_samples,
            } => format!(
                "{compared} of the {min_samples} samples [compare] min_samples asks for; {run} over more operations"
            ),
            Readiness::TooManyMismatches {
                mismatches,
                compared,
                max_mismatch_rate,
            } => format!(
                "{mismatches} mismatches in {compared} samples ({}; at most {} allowed); fix the Go resolver and {run} again",
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
    gate: Gate,
) -> Readiness {
    let Some(measured) = evidence.field(field) else {
        return Readiness::NoEvidence;
    };
    let compared = measured.compared();
    let measured_hash = measured.go_resolver.as_ref().map(|g| g.hash.as_str());
    if measured_hash != go_source_hash {
        return Readiness::Stale {
            compared,
            mismatches: measured.mismatches,
            measured: measured_hash.map(str::to_string),
            current: go_source_hash.map(str::to_string),
        };
    }
    if compared < gate.min_samples {
        return Readiness::TooFewSamples {
            compared,
            min_samples: gate.min_samples,
        };
    }
    if measured.mismatches as f64 > gate.max_mismatch_rate * compared as f64 {
        return Readiness::TooManyMismatches {
            mismatches: measured.mismatches,
            compared,
            max_mismatch_rate: gate.max_mismatch_rate,
        };
    }
    Readiness::Ready {
        compared,
        mismatches: measured.mismatches,
    }
}

/// A field's evidence as the project holds it, judged: what `status`,
/// `show`, the TUI, `check` and `report` show. A field never compared has
/// no samples and no `source` or time span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldVerdict {
    pub samples: u64,
    /// Samples that were not noisy: what the gate counts.
    pub compared: u64,
    pub matches: u64,
    pub mismatches: u64,
    pub noisy: u64,
    pub go_errors: u64,
    pub source: Option<EvidenceSource>,
    /// The time span of the samples, RFC 3339.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Whether the gate side-by-side → migrated lets it through.
    pub passes: bool,
    /// The Go resolver changed since it was measured.
    pub stale: bool,
    pub readiness: Readiness,
    pub readiness_text: String,
    /// The `ferry compare` command that gathers (more) evidence.
    pub command: String,
}

impl FieldVerdict {
    /// The verdict on the project's evidence for `field` against its Go
    /// resolver as loaded.
    pub fn of(project: &Project, field: &FieldRecord) -> FieldVerdict {
        let target = GateTarget::of(project, field);
        let evidence = &project.evidence.evidence;
        let readiness = readiness(
            evidence,
            &field.coordinate,
            target.hash(),
            Gate::of(&project.workspace),
        );
        let measured = evidence.field(&field.coordinate);
        let count = |f: fn(&FieldEvidence) -> u64| measured.map(f).unwrap_or(0);
        FieldVerdict {
            samples: count(|m| m.samples),
            compared: count(FieldEvidence::compared),
            matches: count(|m| m.matches),
            mismatches: count(|m| m.mismatches),
            noisy: count(|m| m.noisy),
            go_errors: count(|m| m.go_errors),
            source: measured.map(|m| m.source),
            from: measured.map(|m| m.from.clone()),
            to: measured.map(|m| m.to.clone()),
            passes: readiness.is_ready(),
            stale: matches!(readiness, Readiness::Stale { .. }),
            readiness_text: readiness.explain(&target.gather),
            readiness,
            command: target.gather,
        }
    }

    /// The verdict where there is one to show: for a field with a
    /// measurement, or at side-by-side or migrated, where the gate counts.
    pub fn shown(project: &Project, field: &FieldRecord) -> Option<FieldVerdict> {
        let gated = matches!(field.stage, Stage::SideBySide | Stage::Migrated);
        (gated || project.evidence.evidence.field(&field.coordinate).is_some())
            .then(|| FieldVerdict::of(project, field))
    }

    pub fn measured(&self) -> bool {
        self.source.is_some()
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

    fn gate(min_samples: u64, max_mismatch_rate: f64) -> Gate {
        Gate {
            min_samples,
            max_mismatch_rate,
        }
    }

    #[test]
    fn the_gate_asks_for_enough_clean_samples_against_the_current_resolver() {
        let title = FieldCoordinate::new("Assignment", "title");
        let mut evidence = Evidence::default();
        assert_eq!(
            readiness(&evidence, &title, Some("h1"), gate(100, 0.0)),
            Readiness::NoEvidence
        );
        evidence.record(&title, measured(150, 0, 60, "h1"));
        assert_eq!(
            readiness(&evidence, &title, Some("h1"), gate(100, 0.0)),
            Readiness::TooFewSamples {
                compared: 90,
                min_samples: 100
            }
        );
        evidence.record(&title, measured(200, 1, 0, "h1"));
        let refused = readiness(&evidence, &title, Some("h1"), gate(100, 0.0));
        assert_eq!(
            refused.explain("ferry compare Assignment.title"),
            "1 mismatches in 200 samples (0.50%; at most 0% allowed); fix the Go resolver and run `ferry compare Assignment.title` again"
        );
        assert!(readiness(&evidence, &title, Some("h1"), gate(100, 0.01)).is_ready());
        assert_eq!(
            readiness(&evidence, &title, Some("h2"), gate(100, 0.01)),
            Readiness::Stale {
                compared: 200,
                mismatches: 1,
                measured: Some("h1".into()),
                current: Some("h2".into())
            }
        );
    }
}
