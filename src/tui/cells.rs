//! What a field's row shows in each column, and how wide each cell is
//! without building its text: the app measures every field once per load
//! and takes the widest of the shown rows whenever they change; the view
//! builds the text of the rows on screen only.

use crate::model::inventory::{FieldRecord, GoStatus, PythonLink};
use crate::model::stage::Stage;
use crate::render::report::{go_cell, python_cell, stage_label};
use crate::tui::text;

/// How wide each column of a field's row is, in display columns: per
/// field (measured once per load), and the widest among the rows shown
/// (the list sizes its columns from them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnWidths {
    pub name: usize,
    pub stage: usize,
    pub service: usize,
    pub go: usize,
    pub python: usize,
}

impl ColumnWidths {
    /// The wider of each column.
    pub fn max(&self, other: &ColumnWidths) -> ColumnWidths {
        ColumnWidths {
            name: self.name.max(other.name),
            stage: self.stage.max(other.stage),
            service: self.service.max(other.service),
            go: self.go.max(other.go),
            python: self.python.max(other.python),
        }
    }
}

/// Every cell's width of a field's row.
pub fn widths(field: &FieldRecord) -> ColumnWidths {
    ColumnWidths {
        name: text::width(&field.coordinate.field_name),
        stage: stage_width(field),
        service: text::width(service(field)),
        go: go_width(field),
        python: python_width(field),
    }
}

/// The stage badge's text: `canary (blue)`.
pub fn stage(field: &FieldRecord) -> String {
    stage_label(field)
}

fn stage_width(field: &FieldRecord) -> usize {
    match crate::render::report::canary_group(field) {
        Some(group) => field.stage.as_str().len() + 3 + text::width(&group),
        None => field.stage.as_str().len(),
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

fn go_width(field: &FieldRecord) -> usize {
    match &field.go {
        Some(go) => match go.status {
            GoStatus::Stub => "go: stub".len(),
            GoStatus::Implemented => "go: implemented".len(),
        },
        None if matches!(field.stage, Stage::Python | Stage::Key) => 0,
        None => "go: missing".len(),
    }
}

/// The Python resolver's `file:line`, `(default)` or `?`.
pub fn python(field: &FieldRecord) -> String {
    python_cell(field)
}

fn python_width(field: &FieldRecord) -> usize {
    match &field.python {
        PythonLink::Resolver { function, .. } => {
            let digits = function.line.checked_ilog10().unwrap_or(0) as usize + 1;
            text::width(&function.file) + 1 + digits
        }
        PythonLink::Default => "(default)".len(),
        PythonLink::Unknown if field.monolith.is_none() => 0,
        PythonLink::Unknown => 1,
    }
}

pub fn service(field: &FieldRecord) -> &str {
    field.service.as_deref().unwrap_or("")
}
