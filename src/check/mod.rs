//! `ferry check`: the CI gate. Each rule has a stable id, a message naming
//! file:line, and a hint; all of them read the same inventory `status` shows.

use crate::model::inventory::{FieldKind, FieldRecord, GoStatus, Problem, PythonLink};
use crate::model::project::Project;
use crate::model::stage::Stage;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub hint: String,
}

/// Every rule, with its severity and hint: the table `docs/check.md` documents.
pub const RULES: &[(&str, Severity, &str)] = &[
    (
        "directive-undeclared",
        Severity::Error,
        "add `directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION` to the service's schema",
    ),
    (
        "gqlgen-skip-runtime",
        Severity::Error,
        "add `directives: { migrate: { skip_runtime: true } }` to the service's gqlgen.yml, or every @migrate field fails at run time",
    ),
    (
        "unknown-state",
        Severity::Error,
        "use manual, side-by-side, canary or migrated",
    ),
    ("missing-state", Severity::Error, "add state: \"manual\""),
    ("missing-from", Severity::Error, "add from: \"python\""),
    (
        "color-without-canary",
        Severity::Error,
        "remove `color`, or set state: \"canary\"",
    ),
    (
        "go-missing",
        Severity::Error,
        "write the Go resolver (`ferry gen go` makes its skeleton), or roll the field back",
    ),
    (
        "go-stub",
        Severity::Error,
        "implement the Go resolver, or roll the field back to manual",
    ),
    (
        "mutation-side-by-side",
        Severity::Error,
        "move the mutation to canary: side by side, the gateway runs its side effects twice",
    ),
    (
        "done-python-remains",
        Severity::Error,
        "delete the Python resolver and export the monolith's SDL again",
    ),
    (
        "python-shared",
        Severity::Warning,
        "the same Python function resolves fields not yet done: keep it until they are",
    ),
    (
        "claimed-twice",
        Severity::Error,
        "mark the field @external in all but one service",
    ),
    (
        "migrate-not-in-monolith",
        Severity::Error,
        "remove the directive, or fix the field's name",
    ),
    (
        "sdl-stale",
        Severity::Error,
        "export the monolith's SDL again (`manage.py graphql_schema`, `strawberry export-schema`, …)",
    ),
    (
        "monolith-invalid",
        Severity::Warning,
        "fix the monolith's exported SDL",
    ),
    (
        "python-unreadable",
        Severity::Warning,
        "fix or exclude the file ([python] exclude in ferry.toml)",
    ),
    (
        "python-untraced-schema",
        Severity::Warning,
        "list the schema's types or bindables where it is built, so the index can follow them",
    ),
    (
        "python-ambiguous-type",
        Severity::Warning,
        "exclude the file that is not the application's ([python] exclude in ferry.toml)",
    ),
];

fn rule(id: &'static str) -> (Severity, &'static str) {
    RULES
        .iter()
        .find(|(rule_id, _, _)| *rule_id == id)
        .map(|(_, severity, hint)| (*severity, *hint))
        .unwrap_or((Severity::Error, ""))
}

fn finding(
    id: &'static str,
    message: String,
    file: Option<String>,
    line: Option<usize>,
) -> Finding {
    let (severity, hint) = rule(id);
    Finding {
        id,
        severity,
        message,
        file,
        line,
        hint: hint.to_string(),
    }
}

fn at_claim(field: &FieldRecord) -> (Option<String>, Option<usize>) {
    match field.claim() {
        Some(claim) => (Some(claim.site.file.clone()), Some(claim.site.line)),
        None => (None, None),
    }
}

pub fn run(project: &Project) -> Vec<Finding> {
    let mut findings: Vec<Finding> = project
        .inventory
        .problems
        .iter()
        .map(
            |Problem {
                 id,
                 message,
                 file,
                 line,
             }| finding(id, message.clone(), file.clone(), *line),
        )
        .collect();
    gqlgen_rules(project, &mut findings);
    for field in &project.inventory.fields {
        field_rules(field, &mut findings);
    }
    shared_python(&project.inventory.fields, &mut findings);
    findings.sort_by(|a, b| {
        (a.severity, &a.file, a.line, a.id).cmp(&(b.severity, &b.file, b.line, b.id))
    });
    findings
}

fn gqlgen_rules(project: &Project, findings: &mut Vec<Finding>) {
    for (service, loaded) in &project.services {
        let Some(yml) = &service.gqlgen else { continue };
        let uses_migrate = project.inventory.fields.iter().any(|f| {
            f.definitions
                .iter()
                .any(|d| d.service == service.name && d.migrate.is_some())
        });
        if !uses_migrate && !loaded.declares_migrate {
            continue;
        }
        let skips = service
            .gqlgen_config
            .as_ref()
            .and_then(|config| config.directives.get("migrate"))
            .is_some_and(|migrate| migrate.skip_runtime);
        if !skips {
            findings.push(finding(
                "gqlgen-skip-runtime",
                format!(
                    "service `{}` uses @migrate but its gqlgen.yml does not skip it at run time",
                    service.name
                ),
                Some(yml.rel.clone()),
                None,
            ));
        }
    }
}

fn field_rules(field: &FieldRecord, findings: &mut Vec<Finding>) {
    let (file, line) = at_claim(field);
    let name = &field.coordinate;
    if matches!(
        field.stage,
        Stage::SideBySide | Stage::Canary | Stage::Migrated
    ) {
        match &field.go {
            None => findings.push(finding(
                "go-missing",
                format!("{name} is at {} but has no Go resolver", field.stage),
                file.clone(),
                line,
            )),
            Some(go) if go.status == GoStatus::Stub => findings.push(finding(
                "go-stub",
                format!(
                    "{name} is at {} but its Go resolver ({}:{}) is a stub",
                    field.stage, go.file, go.line
                ),
                Some(go.file.clone()),
                Some(go.line as usize),
            )),
            Some(_) => {}
        }
    }
    if field.kind == FieldKind::Mutation && field.stage == Stage::SideBySide {
        findings.push(finding(
            "mutation-side-by-side",
            format!("{name} is a mutation at side-by-side"),
            file.clone(),
            line,
        ));
    }
    if field.stage == Stage::Done {
        let python = match &field.python {
            PythonLink::Resolver { function, .. } => {
                format!(
                    "its Python resolver {} ({}:{}) still exists",
                    function.function, function.file, function.line
                )
            }
            _ => "the monolith's SDL still declares it".to_string(),
        };
        let (file, line) = match (&field.python, &field.monolith) {
            (PythonLink::Resolver { function, .. }, _) => {
                (Some(function.file.clone()), Some(function.line as usize))
            }
            (_, Some(site)) => (Some(site.file.clone()), Some(site.line)),
            _ => (file, line),
        };
        findings.push(finding(
            "done-python-remains",
            format!("{name} is done but {python}"),
            file,
            line,
        ));
    }
}

/// A resolver function that serves both a field ready to lose its Python
/// (migrated or done) and one that still needs it.
fn shared_python(fields: &[FieldRecord], findings: &mut Vec<Finding>) {
    let mut by_function: BTreeMap<(String, u32), Vec<&FieldRecord>> = BTreeMap::new();
    for field in fields {
        if let PythonLink::Resolver { function, .. } = &field.python {
            by_function
                .entry((function.file.clone(), function.line))
                .or_default()
                .push(field);
        }
    }
    for ((file, line), users) in by_function {
        let leaving: Vec<String> = users
            .iter()
            .filter(|f| matches!(f.stage, Stage::Migrated | Stage::Done))
            .map(|f| f.coordinate.to_string())
            .collect();
        let staying: Vec<String> = users
            .iter()
            .filter(|f| !matches!(f.stage, Stage::Migrated | Stage::Done))
            .map(|f| f.coordinate.to_string())
            .collect();
        if !leaving.is_empty() && !staying.is_empty() {
            findings.push(finding(
                "python-shared",
                format!(
                    "the Python resolver of {} also resolves {}, which still need it",
                    leaving.join(", "),
                    staying.join(", ")
                ),
                Some(file),
                Some(line as usize),
            ));
        }
    }
}
