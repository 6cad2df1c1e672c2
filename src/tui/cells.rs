//! What a field's row shows in each column, and how wide each cell is
//! without building its text (the app measures every shown row whenever
//! the rows change; the view builds the text of the rows on screen only).

use crate::model::inventory::{FieldRecord, GoStatus, PythonLink};
use crate::model::stage::Stage;
use crate::render::report::{go_cell, python_cell, stage_label};
use crate::tui::text;

/// The stage badge's text: `canary (blue)`.
pub fn stage(field: &FieldRecord) -> String {
    stage_label(field)
}

pub fn stage_width(field: &FieldRecord) -> usize {
    match (&field.color, field.stage) {
        (Some(color), Stage::Canary) => field.stage.as_str().len() + 3 + text::width(color),
        (_, stage) => stage.as_str().len(),
    }
}

/// `go: stub`, or nothing for a field still at python with no resolver.
pub fn go(field: &FieldRecord) -> String {
    let cell = go_cell(field);
    if cell.is_empty() {
        cell
    } else {
        format!("go: {cell}")
    }
}

pub fn go_width(field: &FieldRecord) -> usize {
    match &field.go {
        Some(go) => match go.status {
            GoStatus::Stub => "go: stub".len(),
            GoStatus::Implemented => "go: implemented".len(),
        },
        None if field.stage == Stage::Python => 0,
        None => "go: missing".len(),
    }
}

/// The Python resolver's `file:line`, `(default)` or `?`.
pub fn python(field: &FieldRecord) -> String {
    python_cell(field)
}

pub fn python_width(field: &FieldRecord) -> usize {
    match &field.python {
        PythonLink::Resolver { function, .. } => {
            text::width(&function.file) + 1 + function.line.to_string().len()
        }
        PythonLink::Default => "(default)".len(),
        PythonLink::Unknown if field.monolith.is_none() => 0,
        PythonLink::Unknown => 1,
    }
}

pub fn service(field: &FieldRecord) -> &str {
    field.service.as_deref().unwrap_or("")
}
