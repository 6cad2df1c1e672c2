//! `ferry show`: everything about one field, built once as a `FieldReport`,
//! then printed for people (`human`) or for scripts (`json`).

use crate::compare::evidence::FieldVerdict;
use crate::model::inventory::{FieldRecord, SchemaSite, ServiceDefinition};
use crate::model::project::Project;
use crate::render::field_detail::{evidence_line, next_step, schema_text};
use crate::render::json::{FieldJson, VERSION};
use crate::render::report::{go_cell, python_cell, stage_label};
use crate::render::style::Style;
use crate::render::table::paint_stage;
use serde::Serialize;
use std::fmt::Write;

/// What one schema definition of the field is to the migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefinitionRole {
    /// In the monolith's SDL.
    Monolith,
    /// The definition that claims the field for its service.
    Owner,
    /// `@external`: the service reads it from another subgraph.
    External,
    /// Named in the type's `@key`: every subgraph resolves it.
    KeyField,
    /// On a type without `@key` and without `@migrate`: each subgraph
    /// resolves it for its own results.
    ValueType,
}

impl DefinitionRole {
    fn of(definition: &ServiceDefinition) -> DefinitionRole {
        if definition.external {
            DefinitionRole::External
        } else if definition.key_field {
            DefinitionRole::KeyField
        } else if definition.claims() {
            DefinitionRole::Owner
        } else {
            DefinitionRole::ValueType
        }
    }

    /// How the human printer marks it after the service's name.
    fn label(self) -> &'static str {
        match self {
            DefinitionRole::Monolith | DefinitionRole::Owner => "",
            DefinitionRole::External => " (@external)",
            DefinitionRole::KeyField => " (key field)",
            DefinitionRole::ValueType => " (value type)",
        }
    }
}

/// One definition of the field, with its text as the file has it.
#[derive(Debug, Clone, Serialize)]
pub struct SchemaDefinition<'p> {
    /// The Go service whose schema holds it; `None` for the monolith's.
    pub service: Option<&'p str>,
    pub role: DefinitionRole,
    pub file: &'p str,
    /// The line and column of the field's name.
    pub line: usize,
    pub column: usize,
    /// From the start of its first line (description included) to its end.
    pub text: String,
}

impl<'p> SchemaDefinition<'p> {
    fn new(
        project: &Project,
        service: Option<&'p str>,
        role: DefinitionRole,
        site: &'p SchemaSite,
    ) -> Self {
        SchemaDefinition {
            service,
            role,
            file: &site.file,
            line: site.line,
            column: site.column,
            text: schema_text(project, site),
        }
    }
}

#[derive(Debug, Clone)]
pub struct FieldReport<'p> {
    pub field: &'p FieldRecord,
    /// The next step and what blocks it, as `show` and the TUI word it.
    pub next: String,
    /// What `ferry compare` measured, where there is any to show.
    pub evidence: Option<FieldVerdict>,
    /// The monolith's definition first, then each service's.
    pub definitions: Vec<SchemaDefinition<'p>>,
}

impl<'p> FieldReport<'p> {
    pub fn new(project: &'p Project, field: &'p FieldRecord) -> FieldReport<'p> {
        let monolith = field
            .monolith
            .iter()
            .map(|site| SchemaDefinition::new(project, None, DefinitionRole::Monolith, site));
        let services = field.definitions.iter().map(|definition| {
            SchemaDefinition::new(
                project,
                Some(&definition.service),
                DefinitionRole::of(definition),
                &definition.site,
            )
        });
        FieldReport {
            field,
            next: next_step(project, field),
            evidence: FieldVerdict::shown(project, field),
            definitions: monolith.chain(services).collect(),
        }
    }
}

pub fn human(report: &FieldReport, style: &Style) -> String {
    let field = report.field;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} field)",
        style.bold(&field.coordinate.to_string()),
        field.kind.as_str()
    );
    let stage = paint_stage(style, field.stage, &stage_label(field));
    let service = field.service.as_deref().unwrap_or("(none)");
    let mut facts = vec![
        ("stage", stage),
        ("service", service.to_string()),
        ("python", or_dash(python_cell(field))),
        ("go", or_dash(go_cell(field))),
    ];
    if let Some(verdict) = &report.evidence {
        facts.push(("evidence", evidence_line(verdict)));
    }
    facts.push(("next", report.next.clone()));
    for (label, value) in facts {
        let _ = writeln!(out, "  {:<10}{value}", format!("{label}:"));
    }
    for definition in &report.definitions {
        let heading = format!(
            "{}{}: {}:{}",
            definition.service.unwrap_or("monolith"),
            definition.role.label(),
            definition.file,
            definition.line
        );
        let _ = writeln!(out, "\n{}", style.bold(&heading));
        let _ = writeln!(out, "{}", definition.text);
    }
    out
}

fn or_dash(cell: String) -> String {
    if cell.is_empty() { "—".into() } else { cell }
}

#[derive(Serialize)]
struct FieldReportJson<'r> {
    version: u32,
    #[serde(flatten)]
    field: FieldJson<'r>,
    next: &'r str,
    definitions: &'r [SchemaDefinition<'r>],
}

pub fn json(report: &FieldReport) -> String {
    let document = FieldReportJson {
        version: VERSION,
        field: crate::render::json::field(report.field, report.evidence.as_ref()),
        next: &report.next,
        definitions: &report.definitions,
    };
    serde_json::to_string_pretty(&document).expect("the field report serializes") + "\n"
}
