//! The detail pane's content for one field: its status, every schema
//! definition, the Python resolver's source and the Go resolver's source,
//! read once when the cursor lands on the field (rendering reads no files).

use crate::compare::evidence::FieldVerdict;
use crate::edit::change_set::ChangeSet;
use crate::generate::skeletons::{SkeletonOptions, plan_skeletons};
use crate::model::inventory::{FieldCoordinate, FieldRecord, GoResolverRef, GoStatus, PythonLink};
use crate::model::project::Project;
use crate::model::python_text::{self, python_source};
use crate::plan::PlanReport;
use crate::render::diff::unified;
use crate::render::field_detail::{evidence_line, next_step, schema_text};
use crate::render::plan;
use crate::render::report::{go_cell, python_cell, stage_label};
use crate::render::style::Style;
use crate::tui::keys::{self, Command, Scope};
use crate::tui::text;
use std::path::Path;

/// Longest Go function shown when its end cannot be found.
const GO_LINES: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Schema,
    Python,
    Go,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    /// `progress: services/progress/graph/schema.graphqls:14`
    pub heading: String,
    pub body: Vec<String>,
    /// The file and line `e` opens for this section.
    pub location: Option<(String, usize)>,
}

/// A line of the detail pane as drawn at some width: facts wrap (they
/// are prose), code does not (the pane scrolls sideways instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailLine<'a> {
    /// A fact's label on its first line, `None` on the lines it wraps to.
    Fact(Option<&'static str>, String),
    Blank,
    Heading(SectionKind, &'a str),
    Body(&'a str),
}

/// Columns a fact's label takes: `    next: `.
pub const LABEL_WIDTH: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDetail {
    pub coordinate: FieldCoordinate,
    /// `label: value` lines: kind, stage, service, python, go, next step.
    pub facts: Vec<(&'static str, String)>,
    pub sections: Vec<Section>,
}

impl FieldDetail {
    pub fn new(project: &Project, field: &FieldRecord) -> FieldDetail {
        let mut facts = vec![
            ("kind", field.kind.as_str().to_string()),
            ("stage", stage_label(field)),
            (
                "service",
                field.service.clone().unwrap_or_else(|| "(none)".into()),
            ),
            ("python", non_empty(python_cell(field))),
            ("go", non_empty(go_cell(field))),
        ];
        if let Some(verdict) = FieldVerdict::shown(project, field) {
            facts.push(("evidence", evidence_line(&verdict)));
        }
        facts.push(("next", next_step(project, field)));
        let mut sections = Vec::new();
        if let Some(site) = &field.monolith {
            sections.push(Section {
                kind: SectionKind::Schema,
                heading: format!("monolith: {}:{}", site.file, site.line),
                body: lines(&schema_text(project, site)),
                location: Some((site.file.clone(), site.line)),
            });
        }
        for def in &field.definitions {
            let role = if def.external {
                " (@external)"
            } else if def.key_field {
                " (key field)"
            } else {
                ""
            };
            sections.push(Section {
                kind: SectionKind::Schema,
                heading: format!("{}{role}: {}:{}", def.service, def.site.file, def.site.line),
                body: lines(&schema_text(project, &def.site)),
                location: Some((def.site.file.clone(), def.site.line)),
            });
        }
        sections.push(python_section(project, field));
        sections.push(go_section(project, field));
        FieldDetail {
            coordinate: field.coordinate.clone(),
            facts,
            sections,
        }
    }

    /// The field's porting plan as facts; without a plan, the key that computes it.
    pub fn add_plan(&mut self, report: Option<&PlanReport>, field: &FieldRecord) {
        let Some(report) = report else {
            self.facts.push((
                "plan",
                format!(
                    "press {} for the porting plan (reads every function body once)",
                    keys::keys_of(Scope::List, Command::Plan)
                ),
            ));
            return;
        };
        let coordinate = field.coordinate.to_string();
        match report.fields.iter().find(|f| f.field == coordinate) {
            Some(planned) => self.facts.extend(plan::field_facts(report, planned)),
            None => self.facts.push((
                "plan",
                "nothing to port: only fields Python still serves are planned".to_string(),
            )),
        }
    }

    /// The pane's lines at `columns` columns: the facts wrapped, then per
    /// section a blank line, its heading and its body.
    pub fn text(&self, columns: usize) -> Vec<DetailLine<'_>> {
        let mut lines = Vec::new();
        let value_width = columns.saturating_sub(LABEL_WIDTH).max(10);
        for (label, value) in &self.facts {
            for (i, part) in text::wrap(value, value_width).into_iter().enumerate() {
                lines.push(DetailLine::Fact((i == 0).then_some(*label), part));
            }
        }
        for section in &self.sections {
            lines.push(DetailLine::Blank);
            lines.push(DetailLine::Heading(section.kind, &section.heading));
            lines.extend(section.body.iter().map(|l| DetailLine::Body(l)));
        }
        lines
    }

    /// How many lines the pane needs at `columns` columns.
    pub fn height(&self, columns: usize) -> usize {
        let value_width = columns.saturating_sub(LABEL_WIDTH).max(10);
        self.facts
            .iter()
            .map(|(_, value)| text::wrap(value, value_width).len())
            .sum::<usize>()
            + self
                .sections
                .iter()
                .map(|s| s.body.len() + 2)
                .sum::<usize>()
    }

    /// The widest line, in columns: how far the pane scrolls sideways.
    pub fn width(&self, columns: usize) -> usize {
        self.sections
            .iter()
            .flat_map(|s| std::iter::once(&s.heading).chain(&s.body))
            .map(|l| text::width(l))
            .max()
            .unwrap_or(0)
            .max(columns.min(LABEL_WIDTH + 10))
    }

    /// The section that line `line` of the pane (at `columns`) belongs
    /// to; `None` on the facts.
    pub fn section_at(&self, line: usize, columns: usize) -> Option<&Section> {
        let mut start = self.height(columns)
            - self
                .sections
                .iter()
                .map(|s| s.body.len() + 2)
                .sum::<usize>();
        for section in &self.sections {
            let end = start + section.body.len() + 2;
            if line < end {
                return (line >= start).then_some(section);
            }
            start = end;
        }
        None
    }
}

/// Every file's unified diff of a change, line by line, tabs as spaces.
pub fn diff_lines(changes: &ChangeSet) -> Vec<String> {
    changes
        .changes()
        .map(|c| {
            unified(
                &c.path.rel,
                c.before.as_deref().unwrap_or_default(),
                c.after.as_deref().unwrap_or_default(),
                &Style::plain(),
            )
        })
        .flat_map(|d| lines(&d))
        .collect()
}

fn non_empty(cell: String) -> String {
    if cell.is_empty() { "—".into() } else { cell }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(|l| l.replace('\t', "    ")).collect()
}

/// Lines `from..=to` (1-based) of a workspace file, or why they can't be read.
fn source_lines(root: &Path, file: &str, from: usize, to: Option<usize>) -> Vec<String> {
    let text = match python_text::read(&root.join(file)) {
        Ok(text) => text,
        Err(e) => return vec![format!("(cannot read {file}: {e})")],
    };
    let all: Vec<&str> = text.lines().collect();
    let start = from.saturating_sub(1).min(all.len());
    let end = match to {
        Some(to) => to.min(all.len()),
        None => all[start..]
            .iter()
            .position(|l| l.trim_end() == "}")
            .map(|i| start + i + 1)
            .unwrap_or(all.len())
            .min(start + GO_LINES),
    };
    all[start..end.max(start)]
        .iter()
        .map(|l| l.replace('\t', "    ").replace('\r', ""))
        .collect()
}

fn python_section(project: &Project, field: &FieldRecord) -> Section {
    let (heading, body) = match &field.python {
        PythonLink::Resolver { function, logic } => {
            let mut body = lines(&python_source(project, function));
            if let Some(logic) = logic {
                body.push(String::new());
                body.push(format!(
                    "# its logic: {} ({}:{})",
                    logic.function, logic.file, logic.line
                ));
                body.extend(lines(&python_source(project, logic)));
            }
            (
                format!(
                    "python: {} ({}:{})",
                    function.function, function.file, function.line
                ),
                body,
            )
        }
        PythonLink::Default => (
            "python: the default resolver".to_string(),
            vec!["(attribute access on the parent object; no resolver function)".to_string()],
        ),
        PythonLink::Unknown if field.monolith.is_none() => (
            "python: none".to_string(),
            vec!["(not in the monolith's schema)".to_string()],
        ),
        PythonLink::Unknown => (
            "python: not indexed".to_string(),
            vec!["(the Python resolver index has not located this resolver)".to_string()],
        ),
    };
    let location = match &field.python {
        PythonLink::Resolver { function, .. } => {
            Some((function.file.clone(), function.line as usize))
        }
        _ => None,
    };
    Section {
        kind: SectionKind::Python,
        heading,
        body,
        location,
    }
}

fn go_section(project: &Project, field: &FieldRecord) -> Section {
    let root = &project.workspace.root;
    let (heading, body) = match &field.go {
        Some(GoResolverRef { file, line, status }) => {
            let status = match status {
                GoStatus::Stub => "stub",
                GoStatus::Implemented => "implemented",
            };
            (
                format!("go ({status}): {file}:{line}"),
                source_lines(root, file, *line as usize, None),
            )
        }
        None if field.definitions.iter().all(|d| d.external) => (
            "go: no resolver".to_string(),
            vec!["(no service defines the field yet: mark it into one, then `g` writes its skeleton)".to_string()],
        ),
        None => skeleton(project, field),
    };
    Section {
        kind: SectionKind::Go,
        heading,
        body,
        location: field.go.as_ref().map(|g| (g.file.clone(), g.line as usize)),
    }
}

/// What `g` would write for a field without a Go resolver, as a diff.
fn skeleton(project: &Project, field: &FieldRecord) -> (String, Vec<String>) {
    match plan_skeletons(project, &[field], &SkeletonOptions::default()) {
        Ok(plan) if plan.changes.is_empty() && !plan.report.skipped.is_empty() => (
            "go: no resolver".to_string(),
            plan.report
                .skipped
                .iter()
                .map(|s| format!("(gen go writes none: {})", s.message()))
                .collect(),
        ),
        Ok(plan) => (
            "go: no resolver yet; `g` would write".to_string(),
            diff_lines(&plan.changes),
        ),
        Err(error) => (
            "go: no resolver".to_string(),
            vec![format!("(gen go cannot plan its skeleton: {error})")],
        ),
    }
}
