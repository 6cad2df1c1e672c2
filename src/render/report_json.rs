//! `ferry report --json`: the report for dashboards, version 1 of the shape
//! in docs/report.md.

use crate::compare::evidence::FieldVerdict;
use crate::model::stage::Stage;
use crate::render::findings::FindingJson;
use crate::report::{MigrationReport, VERSION};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct ReportJson<'a> {
    version: u32,
    generated: String,
    stuck_after_days: i64,
    /// The stages any service has a field at, in stage order.
    stages: &'a [Stage],
    services: Vec<ServiceJson<'a>>,
    in_flight: Vec<InFlightJson<'a>>,
    progress: Vec<PointJson<'a>>,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    name: &'a str,
    by_stage: BTreeMap<Stage, usize>,
    planned: usize,
    served_by_go: usize,
}

#[derive(Serialize)]
struct InFlightJson<'a> {
    field: &'a str,
    service: &'a str,
    stage: Stage,
    color: Option<&'a str>,
    since: Option<String>,
    age_days: Option<i64>,
    stuck: bool,
    evidence: Option<&'a FieldVerdict>,
}

#[derive(Serialize)]
struct PointJson<'a> {
    time: String,
    now: bool,
    served_by_go: BTreeMap<&'a str, usize>,
    total: usize,
}

pub fn render(report: &MigrationReport) -> String {
    let document = ReportJson {
        version: VERSION,
        generated: report.generated.to_string(),
        stuck_after_days: report.stuck_after_days,
        stages: &report.stages,
        services: report
            .services
            .iter()
            .map(|s| ServiceJson {
                name: &s.name,
                by_stage: report
                    .stages
                    .iter()
                    .copied()
                    .zip(s.counts.clone())
                    .collect(),
                planned: s.planned,
                served_by_go: s.served_by_go,
            })
            .collect(),
        in_flight: report
            .in_flight
            .iter()
            .map(|f| InFlightJson {
                field: &f.field,
                service: &f.service,
                stage: f.stage,
                color: f.color.as_deref(),
                since: f.since.map(|t| t.to_string()),
                age_days: f.age_days,
                stuck: f.stuck,
                evidence: f.evidence.as_ref(),
            })
            .collect(),
        progress: report
            .progress
            .iter()
            .map(|p| PointJson {
                time: p.time.to_string(),
                now: p.is_now,
                served_by_go: report
                    .services
                    .iter()
                    .map(|s| s.name.as_str())
                    .zip(p.served_by_go.iter().copied())
                    .collect(),
                total: p.total(),
            })
            .collect(),
        findings: report.findings.iter().map(FindingJson::from).collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the report serializes");
    text.push('\n');
    text
}
