//! The status report every printer renders: selected fields, per-service
//! progress, per-stage counts and the findings `check` makes, computed once.

use crate::check::{self, Finding};
use crate::compare::evidence::FieldVerdict;
use crate::model::inventory::{FieldRecord, PythonLink, SchemaSite, ServiceProgress};
use crate::model::project::Project;
use crate::model::stage::Stage;
use std::collections::BTreeMap;

pub struct StatusReport<'a> {
    pub fields: Vec<&'a FieldRecord>,
    /// Each field's evidence, where there is any to show
    /// ([`FieldVerdict::shown`]), in the order of `fields`. Boxed: most
    /// fields have none, and an unboxed `None` takes a verdict's room
    /// (about 200 bytes).
    pub evidence: Vec<Option<Box<FieldVerdict>>>,
    pub services: &'a [ServiceProgress],
    /// All of `ferry check`'s findings, whatever the selection: status and
    /// check never disagree.
    pub problems: Vec<Finding>,
    pub by_stage: BTreeMap<Stage, usize>,
    /// The `@override` labels live in the workspace, each with its field count.
    pub labels: BTreeMap<String, usize>,
}

impl<'a> StatusReport<'a> {
    pub fn new(project: &'a Project, fields: Vec<&'a FieldRecord>) -> Self {
        use rayon::prelude::*;
        let by_stage = count_by_stage(fields.iter().copied());
        // Each reads the whole inventory: at 55,000 fields, worth a core each.
        let ((evidence, problems), labels) = rayon::join(
            || {
                rayon::join(
                    || {
                        fields
                            .par_iter()
                            .map(|f| FieldVerdict::shown(project, f).map(Box::new))
                            .collect()
                    },
                    || check::run(project),
                )
            },
            || project.inventory.labels(),
        );
        StatusReport {
            evidence,
            fields,
            services: &project.inventory.services,
            problems,
            by_stage,
            labels,
        }
    }
}

/// How many of `fields` are at each stage.
pub fn count_by_stage<'a>(
    fields: impl IntoIterator<Item = &'a FieldRecord>,
) -> BTreeMap<Stage, usize> {
    let mut by_stage = BTreeMap::new();
    for field in fields {
        *by_stage.entry(field.stage).or_insert(0) += 1;
    }
    by_stage
}

/// `1 field`, `2 fields`: a count and a noun whose plural takes an `s`.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The schema definition `status` points at: the owner's, else the monolith's
/// for fields not yet moved (`None` at stage python, as the JSON shape says).
pub fn schema_site(field: &FieldRecord) -> Option<&SchemaSite> {
    if field.stage == Stage::Python {
        return None;
    }
    field
        .claim()
        .map(|c| &c.site)
        .or_else(|| field.definitions.first().map(|d| &d.site))
}

pub fn python_cell(field: &FieldRecord) -> String {
    match &field.python {
        PythonLink::Resolver { function, .. } => format!("{}:{}", function.file, function.line),
        PythonLink::Default => "(default)".into(),
        PythonLink::Unknown if field.monolith.is_none() => "".into(),
        PythonLink::Unknown => "?".into(),
    }
}

pub fn go_cell(field: &FieldRecord) -> String {
    match &field.go {
        Some(go) => match go.status {
            crate::model::inventory::GoStatus::Stub => "stub".into(),
            crate::model::inventory::GoStatus::Implemented => "implemented".into(),
        },
        // Nothing to write: Python serves it, or every subgraph resolves the key.
        None if matches!(field.stage, Stage::Python | Stage::Key) => "".into(),
        None => "missing".into(),
    }
}

/// `canary (blue)`, `canary (5%)`, or the stage.
pub fn stage_label(field: &FieldRecord) -> String {
    match canary_group(field) {
        Some(group) => format!("canary ({group})"),
        None => field.stage.to_string(),
    }
}

/// A canary's color or percentage, as shown beside its stage.
pub fn canary_group(field: &FieldRecord) -> Option<String> {
    field.canary_group().map(|group| group.to_string())
}

/// The color a stage is shown in, by every printer that has colors (the
/// table's ANSI colors, the TUI's badges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hue {
    Dim,
    Yellow,
    Blue,
    Magenta,
    Cyan,
    Green,
    Red,
}

pub fn stage_hue(stage: Stage) -> Hue {
    match stage {
        Stage::Python | Stage::Go | Stage::Key => Hue::Dim,
        Stage::Manual => Hue::Yellow,
        Stage::SideBySide => Hue::Blue,
        Stage::Canary => Hue::Magenta,
        Stage::Migrated => Hue::Cyan,
        Stage::Done => Hue::Green,
        Stage::Unknown => Hue::Red,
    }
}
