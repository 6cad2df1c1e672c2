//! `gen go` for a selection of the workspace's fields: each field goes to
//! the service whose schema defines it, `plan_generation` plans that
//! service's Go files and `@goField` edits, and the result is one
//! `ChangeSet` for the edit layer to write, with the [`GenReport`] of what
//! got no resolver and why. The command and the TUI share it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::edit::change_set::ChangeSet;
use crate::edit::splice::{OverlapError, Splice, apply};
use crate::generate::report::{GenReport, SkipReason, SkippedField, Warning};
use crate::generate::{FieldRequest, GenError, GenRequest, Origin, QuotedPython, plan_generation};
use crate::model::inventory::{FieldCoordinate, FieldKind, FieldRecord, PythonLink};
use crate::model::project::Project;
use crate::model::python_text::python_source;
use crate::model::stage::Stage;

#[derive(Debug, thiserror::Error)]
pub enum SkeletonError {
    #[error("unknown service `{0}`")]
    UnknownService(String),
    #[error("service `{0}` has no gqlgen.yml; gen go follows gqlgen's configuration")]
    NoGqlgen(String),
    // The causes are part of the messages, not sources: a chain printed with
    // `{:#}` would say them twice.
    #[error("service `{service}`: {error}")]
    Generate { service: String, error: GenError },
    #[error("{rel}: not a schema file of `{service}`")]
    NotASchemaFile { rel: String, service: String },
    #[error("{rel}: {error}")]
    Splice { rel: String, error: OverlapError },
}

/// How the fields were asked for.
#[derive(Debug, Clone, Default)]
pub struct SkeletonOptions {
    /// `--service`: the service every field's resolver goes to.
    pub service: Option<String>,
    /// Fields named one by one: one that cannot get a resolver is refused,
    /// where a selector over many would skip it.
    pub named: Vec<FieldCoordinate>,
    /// `--out DIR`: resolvers go there, in gqlgen's follow-schema layout.
    pub out: Option<PathBuf>,
    /// `--stdout`: nothing is written, so a gqlgen.yml without `resolver:`
    /// still gets its methods, laid out beside gqlgen's generated code.
    pub print_only: bool,
}

/// What generating skeletons for some fields would write.
#[derive(Debug, Default)]
pub struct SkeletonPlan {
    /// The Go files and schema files to write.
    pub changes: ChangeSet,
    /// Files, skipped and refused fields, warnings; `written` is left to the
    /// caller that writes.
    pub report: GenReport,
}

fn quoted_python(project: &Project, type_name: &str, field_name: &str) -> Option<QuotedPython> {
    let record = project
        .inventory
        .field(&FieldCoordinate::new(type_name, field_name))?;
    let PythonLink::Resolver { function, logic } = &record.python else {
        return None;
    };
    Some(QuotedPython {
        file: function.file.clone(),
        line: function.line,
        source: python_source(project, function),
        logic: logic
            .as_ref()
            .map(|l| (l.file.clone(), l.line, python_source(project, l))),
    })
}

/// The service a field's skeleton goes to: `service` when given, else its
/// owner, else the one service whose schema defines it (not `@external`);
/// or why it has none, with the service that says so when there is one.
/// Interface fields, and fields every definition of which is a key or
/// `@external`, are told apart here: asking which service would hide why.
fn service_of(
    field: &FieldRecord,
    service: Option<&str>,
) -> Result<String, (SkipReason, Option<String>)> {
    let relevant: Vec<_> = field
        .definitions
        .iter()
        .filter(|d| service.is_none_or(|s| d.service == s))
        .collect();
    let only = match relevant.as_slice() {
        [one] => Some(one.service.clone()),
        _ => service.map(str::to_string),
    };
    if field.kind == FieldKind::Interface {
        let interface = field.coordinate.type_name.clone();
        return Err((SkipReason::InterfaceField { interface }, only));
    }
    if !relevant.is_empty() && relevant.iter().all(|d| d.external) {
        return Err((SkipReason::External, only));
    }
    if !relevant.is_empty() && relevant.iter().all(|d| d.key_field || d.external) {
        return Err((SkipReason::KeyField, only));
    }
    if let Some(service) = service.or(field.service.as_deref()) {
        return Ok(service.to_string());
    }
    let defining: Vec<&str> = field
        .definitions
        .iter()
        .filter(|d| !d.external)
        .map(|d| d.service.as_str())
        .collect();
    match defining.as_slice() {
        [one] => Ok(one.to_string()),
        [] => Err((SkipReason::NotInAService, None)),
        many => Err((
            SkipReason::SeveralServices {
                services: many.iter().map(|s| s.to_string()).collect(),
            },
            None,
        )),
    }
}

/// A field on its way from Python (or arrived: done) was claimed by its
/// service with `@migrate`. The rest follow gqlgen's own rules: `go` fields,
/// and the value types and keys a service holds beside the fields it moves
/// (stage python: no service claims them).
fn origin(field: &FieldRecord) -> Origin {
    match field.stage {
        Stage::Go | Stage::Python | Stage::Key => Origin::Go,
        Stage::Manual
        | Stage::SideBySide
        | Stage::Canary
        | Stage::Migrated
        | Stage::Done
        | Stage::Unknown => Origin::Python,
    }
}

/// Plans the Go resolver skeletons (and `@goField` schema edits) for
/// `fields`; writes nothing.
pub fn plan_skeletons(
    project: &Project,
    fields: &[&FieldRecord],
    options: &SkeletonOptions,
) -> Result<SkeletonPlan, SkeletonError> {
    let mut out = SkeletonPlan::default();
    let mut skipped: Vec<SkippedField> = Vec::new();
    let mut by_service: BTreeMap<String, Vec<FieldRequest>> = BTreeMap::new();
    for field in fields {
        let coordinate = &field.coordinate;
        match service_of(field, options.service.as_deref()) {
            Ok(service) => by_service.entry(service).or_default().push(FieldRequest {
                named: options.named.contains(coordinate),
                ..FieldRequest::new(&coordinate.type_name, &coordinate.field_name, origin(field))
            }),
            Err((reason, service)) => skipped.push(SkippedField {
                field: coordinate.to_string(),
                service,
                reason,
            }),
        }
    }
    for (service_name, requests) in by_service {
        let (service, loaded) = project
            .service(&service_name)
            .ok_or_else(|| SkeletonError::UnknownService(service_name.clone()))?;
        // Read with the workspace: gqlgen.yml is parsed once per load.
        let config = service
            .gqlgen_config
            .as_ref()
            .ok_or_else(|| SkeletonError::NoGqlgen(service_name.clone()))?;
        let resolver_dir = options.out.clone().or_else(|| {
            (options.print_only && config.resolver.is_none()).then(|| config.exec.dir.clone())
        });
        if let (Some(dir), None) = (&resolver_dir, &config.resolver) {
            out.report.warnings.push(Warning::NoResolverSection {
                config: project.workspace.path(config.path.clone()).rel,
                dir: project.workspace.path(dir.clone()).rel,
            });
        }
        let python = |t: &str, f: &str| quoted_python(project, t, f);
        let plan = plan_generation(&GenRequest {
            schema: &loaded.schema,
            config,
            fields: requests,
            python: &python,
            resolver_dir,
            root: &project.workspace.root,
        })
        .map_err(|error| SkeletonError::Generate {
            service: service_name.clone(),
            error,
        })?;
        for file in plan.files {
            let path = project.workspace.path(file.path.clone());
            out.changes
                .record(&path, file.before.as_deref(), Some(file.after));
        }
        // @goField(forceResolver: true) edits, spliced into the schema files.
        let mut splices: BTreeMap<String, Vec<Splice>> = BTreeMap::new();
        for edit in plan.schema_edits {
            let rel = edit.file.to_string_lossy().replace('\\', "/");
            splices
                .entry(rel)
                .or_default()
                .push(Splice::insert(edit.offset, edit.insert));
        }
        for (rel, splices) in splices {
            let file = loaded
                .file(&rel)
                .ok_or_else(|| SkeletonError::NotASchemaFile {
                    rel: rel.clone(),
                    service: service_name.clone(),
                })?;
            let after = apply(&file.source.text, &splices)
                .map_err(|error| SkeletonError::Splice { rel, error })?;
            out.changes
                .record(&file.source.path, Some(&file.source.text), Some(after));
        }
        skipped.extend(plan.skipped.into_iter().map(|s| SkippedField {
            service: Some(service_name.clone()),
            ..s
        }));
        out.report.warnings.extend(plan.warnings);
    }
    skipped.sort_by(|a, b| a.field.cmp(&b.field));
    for field in skipped {
        let named = options.named.iter().any(|c| c.to_string() == field.field);
        if named && !field.reason.is_exists() {
            out.report.refused.push(field);
        } else {
            out.report.skipped.push(field);
        }
    }
    out.report.files = out.changes.changes().map(|c| c.path.rel.clone()).collect();
    Ok(out)
}
