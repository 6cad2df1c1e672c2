//! The rules about where fields stand against their code: Go resolvers for
//! fields Go serves, Python left behind by done fields, gqlgen's handling of
//! the directive.

use crate::check::{Finding, Rule};
use crate::compare::evidence::FieldVerdict;
use crate::model::dialect::StageDirective;
use crate::model::inventory::{FieldKind, FieldRecord, GoStatus, PythonLink};
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::schema::federation::FederationVersion;
use crate::schema::loaded::LoadedSchema;
use crate::workspace::DialectName;
use std::collections::{BTreeMap, HashSet};

pub(super) fn gqlgen_rules(project: &Project, findings: &mut Vec<Finding>) {
    for (service, loaded) in &project.services {
        let Some(yml) = &service.gqlgen else { continue };
        let uses_migrate = project.inventory.fields.iter().any(|f| {
            f.definitions.iter().any(|d| {
                d.service == service.name && matches!(d.directive, Some(StageDirective::Migrate(_)))
            })
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
            findings.push(Finding::new(
                Rule::GqlgenSkipRuntime,
                format!(
                    "service `{}` uses @migrate but gqlgen does not skip it at run time, so every @migrate field fails",
                    service.name
                ),
                Some(yml.rel.clone()),
                None,
            ));
        }
    }
}

pub(super) fn field_rules(field: &FieldRecord, findings: &mut Vec<Finding>) {
    let claim = field.claim().map(|c| &c.site);
    let name = &field.coordinate;
    let at_claim = |rule, message| match claim {
        Some(site) => Finding::at(rule, message, site),
        None => Finding::new(rule, message, None, None),
    };
    if matches!(
        field.stage,
        Stage::SideBySide | Stage::Canary | Stage::Migrated
    ) {
        match &field.go {
            None => findings.push(at_claim(
                Rule::GoMissing,
                format!("{name} is at {} but has no Go resolver", field.stage),
            )),
            Some(go) if go.status == GoStatus::Stub => findings.push(Finding::new(
                Rule::GoStub,
                format!("{name} is at {} but its Go resolver is a stub", field.stage),
                Some(go.file.clone()),
                Some(go.line as usize),
            )),
            Some(_) => {}
        }
    }
    if field.kind == FieldKind::Mutation && field.stage == Stage::SideBySide {
        findings.push(at_claim(
            Rule::MutationSideBySide,
            format!(
                "{name} is a mutation at side-by-side: the gateway runs its side effects twice"
            ),
        ));
    }
    if field.stage == Stage::Done {
        findings.push(done_python_remains(field));
    }
}

/// Fields at migrated that left side-by-side without passing evidence
/// (forced, edited by hand, or the Go changed since). A field that came
/// through canary, as the ledger says, and a mutation (which never runs
/// side by side) were never meant to be compared.
pub(super) fn evidence_rules(project: &Project, findings: &mut Vec<Finding>) {
    for field in &project.inventory.fields {
        if field.stage != Stage::Migrated || field.kind == FieldKind::Mutation {
            continue;
        }
        let name = field.coordinate.to_string();
        let came_from = project
            .ledger
            .entries
            .iter()
            .rev()
            .find(|e| e.field == name && e.to == Stage::Migrated)
            .map(|e| e.from);
        if came_from == Some(Stage::Canary) {
            continue;
        }
        let verdict = FieldVerdict::of(project, field);
        if verdict.passes {
            continue;
        }
        let message = format!(
            "{name} is at migrated without passing evidence: {}",
            verdict.readiness_text
        );
        findings.push(match field.claim() {
            Some(claim) => Finding::at(Rule::MigratedWithoutEvidence, message, &claim.site),
            None => Finding::new(Rule::MigratedWithoutEvidence, message, None, None),
        });
    }
}

/// What of a done field is left in the monolith, and what to do about it:
/// a field the default resolver serves has no resolver to delete.
fn done_python_remains(field: &FieldRecord) -> Finding {
    let name = &field.coordinate;
    let in_sdl = |message: String| match &field.monolith {
        Some(site) => Finding::at(Rule::DonePythonRemains, message, site),
        None => Finding::new(Rule::DonePythonRemains, message, None, None),
    };
    match &field.python {
        PythonLink::Resolver { function, .. } => Finding::new(
            Rule::DonePythonRemains,
            format!(
                "{name} is done but its Python resolver {} still exists",
                function.function
            ),
            Some(function.file.clone()),
            Some(function.line as usize),
        )
        .with_hint("delete the resolver and the field from the Python, then export the monolith's SDL again"),
        PythonLink::Default => in_sdl(format!(
            "{name} is done but the Python (through the library's default resolver) and the monolith's SDL still declare it"
        ))
        .with_hint("drop the field's attribute from the Python type, then export the monolith's SDL again"),
        PythonLink::Unknown => in_sdl(format!(
            "{name} is done but the monolith's SDL still declares it"
        ))
        .with_hint("export the monolith's SDL again, once the field is gone from the Python"),
    }
}

/// A resolver function that serves both a field ready to lose its Python
/// (migrated or done) and one that still needs it.
pub(super) fn shared_python(fields: &[FieldRecord], findings: &mut Vec<Finding>) {
    fn resolver(field: &FieldRecord) -> Option<(&str, u32)> {
        match &field.python {
            PythonLink::Resolver { function, .. } => Some((function.file.as_str(), function.line)),
            _ => None,
        }
    }
    let leaving = |field: &FieldRecord| matches!(field.stage, Stage::Migrated | Stage::Done);
    // Only a function some leaving field uses can be shared this way: the
    // others are not grouped at all (early on, that is nearly every one).
    let used_by_leaving: HashSet<(&str, u32)> = fields
        .iter()
        .filter(|f| leaving(f))
        .filter_map(resolver)
        .collect();
    if used_by_leaving.is_empty() {
        return;
    }
    let mut by_function: BTreeMap<(&str, u32), Vec<&FieldRecord>> = BTreeMap::new();
    for field in fields {
        if let Some(key) = resolver(field)
            && used_by_leaving.contains(&key)
        {
            by_function.entry(key).or_default().push(field);
        }
    }
    let listed = |users: &[&FieldRecord]| {
        users
            .iter()
            .map(|f| format!("{} ({})", f.coordinate, f.stage))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for ((file, line), users) in by_function {
        let (leaving, staying): (Vec<&FieldRecord>, Vec<&FieldRecord>) =
            users.into_iter().partition(|f| leaving(f));
        if !leaving.is_empty() && !staying.is_empty() {
            findings.push(Finding::new(
                Rule::PythonShared,
                format!(
                    "the Python resolver of {} is still needed by {}",
                    listed(&leaving),
                    listed(&staying)
                ),
                Some(file.to_string()),
                Some(line as usize),
            ));
        }
    }
}

/// Each distinct `@override` label in an operation's path doubles its query
/// plans: past `[override] max_labels` live labels, a warning.
pub(super) fn label_budget(project: &Project, findings: &mut Vec<Finding>) {
    let labels = project.inventory.labels();
    let max = project.workspace.override_settings.max_labels;
    if labels.len() > max {
        let listed: Vec<&str> = labels.keys().map(String::as_str).collect();
        findings.push(Finding::new(
            Rule::TooManyLabels,
            format!(
                "{} distinct @override labels are live (more than [override] max_labels = {max}): {}",
                labels.len(),
                listed.join(", ")
            ),
            None,
            None,
        ));
    }
}

/// In the override dialect a done field has no `@override` left to take it
/// from the monolith: while the monolith's subgraph still declares it, two
/// subgraphs resolve it, and composition accepts that only when both say
/// it is shareable.
pub(super) fn done_in_monolith_subgraph(project: &Project, findings: &mut Vec<Finding>) {
    for field in &project.inventory.fields {
        if field.stage != Stage::Done {
            continue;
        }
        let (Some(site), Some(claim)) = (&field.monolith, field.claim()) else {
            continue;
        };
        let Some((service, loaded)) = project.service(&claim.service) else {
            continue;
        };
        if service.dialect != DialectName::Override {
            continue;
        }
        let monolith_shares = project.monolith.federation.version == FederationVersion::V1
            || shareable(&project.monolith, field);
        if monolith_shares && shareable(loaded, field) {
            continue;
        }
        findings.push(Finding::at(
            Rule::DoneInMonolithSubgraph,
            format!(
                "{} is done in `{}` (no @override left) but the monolith's subgraph still declares it, so composition sees two subgraphs resolve it and refuses: remove it from {}:{}",
                field.coordinate, service.name, site.file, site.line
            ),
            site,
        ));
    }
}

/// Whether the schema declares the field `@shareable` (on the field or its
/// type), under the schema's own name for the directive.
fn shareable(schema: &LoadedSchema, field: &FieldRecord) -> bool {
    let name = schema.federation.directive("shareable");
    let type_name = field.coordinate.type_name.as_str();
    let on_type = schema
        .schema
        .types
        .get(type_name)
        .is_some_and(|ty| ty.directives().has(name));
    on_type
        || schema
            .schema
            .type_field(type_name, &field.coordinate.field_name)
            .is_ok_and(|f| f.directives.has(name))
}
