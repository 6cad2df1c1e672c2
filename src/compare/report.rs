//! The one typed result of a comparison, which the table, the markdown and
//! the JSON printers render; and the evidence it leaves.

use crate::compare::evidence::{
    Evidence, EvidenceSource, FieldEvidence, Gate, GateTarget, Readiness, readiness,
};
use crate::compare::format_time;
use crate::compare::replay::Measurements;
use crate::compare::tally::{Example, LatencyHistogram, OperationCounts};
use crate::compare::targets::{NotCompared, TargetKind, Targets};
use serde::Serialize;

pub const REPORT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    pub version: u32,
    pub source: EvidenceSource,
    /// Stopped by Ctrl-C: what was measured until then.
    pub interrupted: bool,
    pub from: String,
    pub to: String,
    pub operations: OperationCounts,
    pub fields: Vec<FieldComparison>,
    pub not_compared: Vec<NotCompared>,
    pub gate: Gate,
    /// The evidence file written, when one was.
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldComparison {
    pub field: String,
    pub service: String,
    /// `root` (asked directly) or `entity` (through `_entities`).
    pub asked: &'static str,
    pub samples: u64,
    pub matches: u64,
    pub mismatches: u64,
    pub noisy: u64,
    pub go_errors: u64,
    pub python_ms: Option<Latency>,
    pub go_ms: Option<Latency>,
    pub examples: Vec<Example>,
    /// The gate side-by-side → migrated, on the evidence as it now stands.
    pub readiness: Readiness,
    pub readiness_text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Latency {
    pub p50: f64,
    pub p95: f64,
}

fn latency(histogram: &LatencyHistogram) -> Option<Latency> {
    let round = |ms: f64| (ms * 100.0).round() / 100.0;
    Some(Latency {
        p50: round(histogram.percentile_ms(0.5)?),
        p95: round(histogram.percentile_ms(0.95)?),
    })
}

/// Records what was measured in the evidence: fields with samples get
/// their new measurement, the others keep what they had.
pub fn record_evidence(
    evidence: &mut Evidence,
    measured: &Measurements,
    targets: &Targets,
    now: &[GateTarget],
    source: EvidenceSource,
) {
    for (i, target) in targets.list.iter().enumerate() {
        let tally = &measured.tallies[i];
        if tally.samples == 0 {
            continue;
        }
        evidence.record(
            &target.coordinate,
            FieldEvidence {
                service: target.service.clone(),
                source,
                samples: tally.samples,
                matches: tally.matches,
                mismatches: tally.mismatches,
                noisy: tally.noisy,
                go_errors: tally.go_errors,
                from: format_time(measured.started),
                to: format_time(measured.finished),
                go_resolver: now[i].go_resolver.clone(),
            },
        );
    }
}

impl CompareReport {
    /// The report over a run; readiness is judged on `evidence` (as it
    /// stands after the run) against the Go resolvers as they are now
    /// (`now`, one per target).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        source: EvidenceSource,
        measured: Measurements,
        targets: &Targets,
        not_compared: Vec<NotCompared>,
        evidence: &Evidence,
        now: &[GateTarget],
        gate: Gate,
        evidence_written: Option<String>,
    ) -> CompareReport {
        let fields = targets
            .list
            .iter()
            .zip(&measured.tallies)
            .zip(now)
            .map(|((target, tally), now)| {
                let readiness = readiness(evidence, &target.coordinate, now.hash(), gate);
                FieldComparison {
                    field: target.coordinate.to_string(),
                    service: target.service.clone(),
                    asked: match target.kind {
                        TargetKind::Root => "root",
                        TargetKind::Entity => "entity",
                    },
                    samples: tally.samples,
                    matches: tally.matches,
                    mismatches: tally.mismatches,
                    noisy: tally.noisy,
                    go_errors: tally.go_errors,
                    python_ms: latency(&tally.python_latency),
                    go_ms: latency(&tally.go_latency),
                    examples: tally.examples.clone(),
                    readiness_text: readiness.explain(&now.gather),
                    readiness,
                }
            })
            .collect::<Vec<_>>();
        let mut fields = fields;
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        CompareReport {
            version: REPORT_VERSION,
            source,
            interrupted: measured.interrupted,
            from: format_time(measured.started),
            to: format_time(measured.finished),
            operations: measured.operations,
            fields,
            not_compared,
            gate,
            evidence: evidence_written,
        }
    }

    pub fn mismatches(&self) -> u64 {
        self.fields.iter().map(|f| f.mismatches).sum()
    }
}
