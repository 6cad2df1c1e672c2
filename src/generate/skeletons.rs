//! `gen go` for a selection of the workspace's fields: each field goes to
//! the service whose schema defines it, `plan_generation` plans that
//! service's Go files and `@goField` edits, and the result is one
//! `ChangeSet` for the edit layer to write. The command and the TUI share it.

use crate::edit::change_set::ChangeSet;
use crate::edit::splice::{OverlapError, Splice, apply};
use crate::generate::{GenError, GenRequest, QuotedPython, plan_generation};
use crate::model::inventory::{FieldCoordinate, FieldRecord, PythonFunction, PythonLink};
use crate::model::project::Project;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum SkeletonError {
    #[error("{field}: no service's schema defines it; `ferry mark {field} --into SERVICE` first")]
    NotInAService { field: String },
    #[error("{field}: defined by {}; pick one with --service", .services.join(", "))]
    SeveralServices {
        field: String,
        services: Vec<String>,
    },
    #[error("unknown service `{0}`")]
    UnknownService(String),
    #[error("service `{0}` has no gqlgen.yml; gen go follows gqlgen's configuration")]
    NoGqlgen(String),
    #[error("service `{service}`: {source}")]
    Generate { service: String, source: GenError },
    #[error("{rel}: not a schema file of `{service}`")]
    NotASchemaFile { rel: String, service: String },
    #[error("{rel}: {source}")]
    Splice { rel: String, source: OverlapError },
}

/// What generating skeletons for some fields would write.
#[derive(Debug, Default)]
pub struct SkeletonPlan {
    /// The Go files and schema files to write.
    pub changes: ChangeSet,
    /// The Go files, relative to the workspace root.
    pub generated: Vec<String>,
    /// `Type.field: file:line already exists` for fields that have a resolver.
    pub skipped: Vec<String>,
}

/// Lines `line..=end_line` of a workspace file, as the Python index located them.
pub fn python_source(project: &Project, function: &PythonFunction) -> String {
    let path = project.workspace.root.join(&function.file);
    std::fs::read_to_string(path)
        .map(|text| {
            text.lines()
                .skip(function.line.saturating_sub(1) as usize)
                .take((function.end_line.saturating_sub(function.line) + 1) as usize)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
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
/// owner, else the one service whose schema defines it (not `@external`).
fn service_of(field: &FieldRecord, service: Option<&str>) -> Result<String, SkeletonError> {
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
        [] => Err(SkeletonError::NotInAService {
            field: field.coordinate.to_string(),
        }),
        many => Err(SkeletonError::SeveralServices {
            field: field.coordinate.to_string(),
            services: many.iter().map(|s| s.to_string()).collect(),
        }),
    }
}

/// Plans the Go resolver skeletons (and `@goField` schema edits) for
/// `fields`; writes nothing.
pub fn plan_skeletons(
    project: &Project,
    fields: &[&FieldRecord],
    service: Option<&str>,
) -> Result<SkeletonPlan, SkeletonError> {
    let mut by_service: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for field in fields {
        by_service
            .entry(service_of(field, service)?)
            .or_default()
            .push((
                field.coordinate.type_name.clone(),
                field.coordinate.field_name.clone(),
            ));
    }
    let mut out = SkeletonPlan::default();
    for (service_name, coordinates) in by_service {
        let (service, loaded) = project
            .service(&service_name)
            .ok_or_else(|| SkeletonError::UnknownService(service_name.clone()))?;
        // Read with the workspace: gqlgen.yml is parsed once per load.
        let config = service
            .gqlgen_config
            .as_ref()
            .ok_or_else(|| SkeletonError::NoGqlgen(service_name.clone()))?;
        let python = |t: &str, f: &str| quoted_python(project, t, f);
        let plan = plan_generation(&GenRequest {
            schema: &loaded.schema,
            config,
            fields: coordinates,
            python: &python,
        })
        .map_err(|source| SkeletonError::Generate {
            service: service_name.clone(),
            source,
        })?;
        for file in plan.files {
            let path = project.workspace.path(file.path.clone());
            out.generated.push(path.rel.clone());
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
                .map_err(|source| SkeletonError::Splice { rel, source })?;
            out.changes
                .record(&file.source.path, Some(&file.source.text), Some(after));
        }
        out.skipped.extend(plan.skipped.into_iter().map(|s| {
            format!(
                "{}.{}: {}:{} already exists",
                s.type_name, s.field_name, s.existing.file, s.existing.line
            )
        }));
    }
    Ok(out)
}
