//! `--json`: version 1 of the shape documented in docs/status-json.md,
//! serialized straight from the report (keys in the documented order).

use crate::model::inventory::{
    FieldKind, FieldRecord, GoResolverRef, PythonFunction, PythonLink, ServiceProgress,
};
use crate::model::stage::Stage;
use crate::render::findings::FindingJson;
use crate::render::report::{StatusReport, schema_site};
use serde::Serialize;
use std::collections::BTreeMap;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
pub struct FieldJson<'a> {
    #[serde(rename = "type")]
    type_name: &'a str,
    field: &'a str,
    kind: FieldKind,
    stage: Stage,
    color: Option<&'a str>,
    service: Option<&'a str>,
    schema: Option<SiteJson<'a>>,
    python: Option<PythonJson<'a>>,
    go: Option<&'a GoResolverRef>,
}

#[derive(Serialize)]
struct SiteJson<'a> {
    file: &'a str,
    line: usize,
}

/// The resolver's `{file, line, end_line, function}`, then its `logic`.
#[derive(Serialize)]
struct PythonJson<'a> {
    #[serde(flatten)]
    function: &'a PythonFunction,
    logic: Option<&'a PythonFunction>,
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    name: &'a str,
    by_stage: &'a BTreeMap<Stage, usize>,
    planned: usize,
    served_by_go: usize,
}

#[derive(Serialize)]
struct StatusJson<'a> {
    version: u32,
    fields: Vec<FieldJson<'a>>,
    services: Vec<ServiceJson<'a>>,
    problems: Vec<FindingJson<'a>>,
}

pub fn field(field: &FieldRecord) -> FieldJson<'_> {
    let python = match &field.python {
        PythonLink::Resolver { function, logic } => Some(PythonJson {
            function,
            logic: logic.as_ref(),
        }),
        _ => None,
    };
    FieldJson {
        type_name: &field.coordinate.type_name,
        field: &field.coordinate.field_name,
        kind: field.kind,
        stage: field.stage,
        color: field.color.as_deref(),
        service: field.service.as_deref(),
        schema: schema_site(field).map(|s| SiteJson {
            file: &s.file,
            line: s.line,
        }),
        python,
        go: field.go.as_ref(),
    }
}

fn service(s: &ServiceProgress) -> ServiceJson<'_> {
    ServiceJson {
        name: &s.name,
        by_stage: &s.by_stage,
        planned: s.planned,
        served_by_go: s.served_by_go,
    }
}

pub fn render(report: &StatusReport) -> String {
    let status = StatusJson {
        version: VERSION,
        fields: report.fields.iter().map(|f| field(f)).collect(),
        services: report.services.iter().map(service).collect(),
        problems: report.problems.iter().map(FindingJson::from).collect(),
    };
    serde_json::to_string_pretty(&status).expect("the report serializes") + "\n"
}
