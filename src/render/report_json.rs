//! `ferry report --json`: the report for dashboards, version 1 of the shape
//! in docs/report.md.

use crate::compare::evidence::FieldVerdict;
use crate::model::stage::Stage;
use crate::render::findings::FindingJson;
use crate::report::{MigrationReport, PointSource, ProgressPoint, SinceSource, VERSION};
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
    /// What kept part of the history from being read.
    history_notes: &'a [String],
    effort: EffortJson<'a>,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct EffortJson<'a> {
    lines_left: u32,
    fields_left: usize,
    clusters: Vec<ClusterJson<'a>>,
}

#[derive(Serialize)]
struct ClusterJson<'a> {
    position: usize,
    fields: &'a [String],
    lines: u32,
    lines_left: u32,
    reason: &'a str,
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
    /// `ledger` or `git`: what `since` was read from.
    since_from: Option<&'static str>,
    age_days: Option<i64>,
    stuck: bool,
    evidence: Option<&'a FieldVerdict>,
}

#[derive(Serialize)]
struct PointJson<'a> {
    time: String,
    now: bool,
    /// `git`, `ledger` or `now`.
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    served_by_go: BTreeMap<&'a str, usize>,
    /// Per service, its fields by stage, where the schemas were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    by_stage: Option<BTreeMap<&'a str, &'a BTreeMap<Stage, usize>>>,
    total: usize,
}

fn point<'a>(report: &'a MigrationReport, p: &'a ProgressPoint) -> PointJson<'a> {
    let names = || report.services.iter().map(|s| s.name.as_str());
    let (source, commit) = match &p.source {
        PointSource::Git { commit } => ("git", Some(commit.as_str())),
        PointSource::Ledger => ("ledger", None),
        PointSource::Now => ("now", None),
    };
    PointJson {
        time: p.time.to_string(),
        now: p.is_now(),
        source,
        commit,
        served_by_go: names().zip(p.served_by_go.iter().copied()).collect(),
        by_stage: p
            .by_stage
            .as_ref()
            .map(|by_stage| names().zip(by_stage).collect()),
        total: p.total(),
    }
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
                since_from: f.since_from.map(|from| match from {
                    SinceSource::Ledger => "ledger",
                    SinceSource::Git => "git",
                }),
                age_days: f.age_days,
                stuck: f.stuck,
                evidence: f.evidence.as_ref(),
            })
            .collect(),
        progress: report.progress.iter().map(|p| point(report, p)).collect(),
        history_notes: &report.history_notes,
        effort: EffortJson {
            lines_left: report.effort.lines_left(),
            fields_left: report.effort.fields_left(),
            clusters: report
                .effort
                .clusters
                .iter()
                .map(|c| ClusterJson {
                    position: c.position,
                    fields: &c.fields,
                    lines: c.lines,
                    lines_left: c.lines_left,
                    reason: &c.reason,
                })
                .collect(),
        },
        findings: report.findings.iter().map(FindingJson::from).collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the report serializes");
    text.push('\n');
    text
}
