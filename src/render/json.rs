//! `--json`: version 1 of the shape documented in docs/status-json.md,
//! serialized straight from the report (keys in the documented order), and
//! the document a command run with `--json` prints when it fails.

use crate::compare::evidence::FieldVerdict;
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
    /// A canary's share of requests (`percent(N)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    percent: Option<f64>,
    /// The `@override` label, in the override dialect.
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    service: Option<&'a str>,
    schema: Option<SiteJson<'a>>,
    python: Option<PythonJson<'a>>,
    go: Option<&'a GoResolverRef>,
    /// `null` unless measured or at side-by-side or migrated.
    evidence: Option<&'a FieldVerdict>,
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
    /// `@override` labels in use → how many fields carry each.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    labels: &'a BTreeMap<String, usize>,
    problems: Vec<FindingJson<'a>>,
}

pub fn field<'a>(field: &'a FieldRecord, evidence: Option<&'a FieldVerdict>) -> FieldJson<'a> {
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
        percent: field.percent.as_ref().map(|p| p.value()),
        label: field.label.as_deref(),
        service: field.service.as_deref(),
        schema: schema_site(field).map(|s| SiteJson {
            file: &s.file,
            line: s.line,
        }),
        python,
        go: field.go.as_ref(),
        evidence,
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
        fields: report
            .fields
            .iter()
            .zip(&report.evidence)
            .map(|(f, evidence)| field(f, evidence.as_ref()))
            .collect(),
        services: report.services.iter().map(service).collect(),
        labels: &report.labels,
        problems: report.problems.iter().map(FindingJson::from).collect(),
    };
    serde_json::to_string_pretty(&status).expect("the report serializes") + "\n"
}

#[derive(Serialize)]
struct ErrorDocument<'a, D: Serialize> {
    version: u32,
    error: ErrorJson<'a, D>,
}

#[derive(Serialize)]
struct ErrorJson<'a, D: Serialize> {
    message: &'a str,
    #[serde(flatten)]
    details: D,
}

/// `{"version": 1, "error": {"message": …}}`: what a command run with
/// `--json` prints on stdout when it fails. `details` (a struct or map, or
/// `()` for none) adds its keys beside `message`, e.g. a batch's refusals.
pub fn error(message: &str, details: impl Serialize) -> String {
    let document = ErrorDocument {
        version: VERSION,
        error: ErrorJson { message, details },
    };
    serde_json::to_string_pretty(&document).expect("the error serializes") + "\n"
}

#[cfg(test)]
mod tests {
    use super::error;
    use serde_json::json;

    #[test]
    fn the_error_document_carries_the_message_and_any_details_beside_it() {
        let plain: serde_json::Value = serde_json::from_str(&error("no such field", ())).unwrap();
        assert_eq!(
            plain,
            json!({"version": 1, "error": {"message": "no such field"}})
        );
        let refused = json!({"refused": [{"field": "Query.me", "reason": "…"}]});
        let detailed: serde_json::Value =
            serde_json::from_str(&error("1 field refused", &refused)).unwrap();
        assert_eq!(
            detailed,
            json!({"version": 1, "error": {
                "message": "1 field refused",
                "refused": [{"field": "Query.me", "reason": "…"}],
            }})
        );
    }
}
