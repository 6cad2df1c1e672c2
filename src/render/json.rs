//! `--json`: version 1 of the shape documented in docs/status-json.md.

use crate::render::report::{StatusReport, schema_site};
use crate::schema::inventory::{FieldRecord, PythonLink};
use serde_json::{Value, json};

pub const VERSION: u32 = 1;

pub fn field(field: &FieldRecord) -> Value {
    let python = match &field.python {
        PythonLink::Resolver { function, logic } => json!({
            "file": function.file,
            "line": function.line,
            "end_line": function.end_line,
            "function": function.function,
            "logic": logic,
        }),
        _ => Value::Null,
    };
    json!({
        "type": field.coordinate.type_name,
        "field": field.coordinate.field_name,
        "kind": field.kind,
        "stage": field.stage,
        "color": field.color,
        "service": field.service,
        "schema": schema_site(field).map(|s| json!({"file": s.file, "line": s.line})),
        "python": python,
        "go": field.go,
    })
}

pub fn render(report: &StatusReport) -> String {
    let value = json!({
        "version": VERSION,
        "fields": report.fields.iter().map(|f| field(f)).collect::<Vec<_>>(),
        "services": report.services.iter().map(|s| json!({
            "name": s.name,
            "by_stage": s.by_stage,
            "planned": s.planned,
            "served_by_go": s.served_by_go,
        })).collect::<Vec<_>>(),
        "problems": report.problems,
    });
    serde_json::to_string_pretty(&value).expect("JSON values serialize") + "\n"
}
