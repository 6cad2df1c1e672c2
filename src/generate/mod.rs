//! `ferry gen go`: the Go resolver skeletons for fields a service serves, in
//! gqlgen's conventions so that a later `gqlgen generate` keeps their bodies,
//! with the Python they replace quoted inside.
//!
//! [`plan_generation`] reads the service's Go package and returns the new
//! text of every file it would change; the caller writes them (and applies
//! the schema edits) through ferry's edit layer. Existing methods are never
//! touched: only missing methods, resolver structs, accessors and imports are
//! added, so a second run plans nothing. Which fields get a method is
//! `eligibility`'s decision; the others come back with a [`SkipReason`].

mod eligibility;
mod entities;
mod files;
mod imports;
mod python_quote;
mod render;
pub mod report;
mod schema_edit;
mod service;
pub mod skeletons;
mod splice;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use apollo_compiler::Schema;
use serde::Serialize;

use crate::golang::index::{GoIndex, GoIndexError};
use crate::workspace::gqlgen_config::GqlgenConfig;
use eligibility::Planned;
use report::{SkipReason, SkippedField, Warning};
use service::{MethodSpec, Service};

pub use entities::KeyError;
pub use schema_edit::{GO_FIELD_DEFINITION, SchemaEdit};

/// The Python resolver a Go resolver replaces, as the Python index found it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuotedPython {
    /// Relative to the workspace root.
    pub file: String,
    /// 1-based line of `def`.
    pub line: u32,
    pub source: String,
    /// A mutation's own logic (`perform_mutation`…) when it is elsewhere:
    /// file, line, source.
    pub logic: Option<(String, u32, String)>,
}

/// Where a field comes from, which decides whether it gets a resolver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Moved from the Python monolith: its data need not be on the Go model,
    /// so it always gets a resolver, forced where gqlgen would read the model.
    Python,
    /// Never in Python: it gets a resolver only where gqlgen would generate
    /// one itself (no field or method on the model, or forced already).
    Go,
}

/// One field to generate the resolver of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRequest {
    pub type_name: String,
    /// `("Entity", "findXByY")` names an entity finder directly.
    pub field_name: String,
    pub origin: Origin,
    /// Named on its own (not through a glob or `--service`): a field whose
    /// model cannot be read still gets its method.
    pub named: bool,
}

impl FieldRequest {
    pub fn new(type_name: &str, field_name: &str, origin: Origin) -> FieldRequest {
        FieldRequest {
            type_name: type_name.to_string(),
            field_name: field_name.to_string(),
            origin,
            named: false,
        }
    }

    fn coordinate(&self) -> String {
        format!("{}.{}", self.type_name, self.field_name)
    }
}

/// What to generate for one service.
pub struct GenRequest<'a> {
    /// The service's own schema, federation prelude included.
    pub schema: &'a Schema,
    pub config: &'a GqlgenConfig,
    pub fields: Vec<FieldRequest>,
    /// The Python resolver of `(type, field)`, if any.
    pub python: &'a dyn Fn(&str, &str) -> Option<QuotedPython>,
    /// Write the resolvers into this directory in gqlgen's follow-schema
    /// layout instead of where gqlgen.yml's `resolver:` says (which it must
    /// then say).
    pub resolver_dir: Option<PathBuf>,
    /// Files in the plan's reasons and warnings are named relative to it.
    pub root: &'a Path,
}

/// A Go file to write: `before` is `None` for a new file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub before: Option<String>,
    pub after: String,
}

/// Everything `gen go` would change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GenerationPlan {
    /// Go files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// `@goField(forceResolver: true)` where gqlgen would otherwise bind the
    /// field to the model and never call the resolver; sorted by file, offset.
    pub schema_edits: Vec<SchemaEdit>,
    /// Requested fields that get no method, in request order.
    pub skipped: Vec<SkippedField>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// Paths in these errors are relative to the request's root.
    #[error(
        "{config} has no `resolver:` section, so gqlgen writes no resolvers; add one, e.g.\n\nresolver:\n  layout: follow-schema\n  dir: graph\n  package: graph\n\nor pass --out DIR (or --stdout) to have ferry lay them out that way"
    )]
    NoResolverConfig { config: String },
    #[error(
        "{dir}: no go.mod in this directory or above it, so its Go package has no import path; run `go mod init MODULE` at the service's root"
    )]
    NoGoModule { dir: String },
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Index(#[from] GoIndexError),
    #[error("{file}:{line}:{column}: syntax error; fix the Go file before ferry adds to it")]
    GoSyntax {
        file: String,
        line: usize,
        column: usize,
    },
    // Not a `source`: a chain printed with `{:#}` would repeat it.
    #[error("rendering a Go template: {0}")]
    Template(askama::Error),
}

impl From<askama::Error> for GenError {
    fn from(error: askama::Error) -> Self {
        GenError::Template(error)
    }
}

/// Plans the Go files (and schema edits) that give each requested field its
/// gqlgen resolver, and says why the others get none. Reads the resolver
/// package; writes nothing.
pub fn plan_generation(request: &GenRequest<'_>) -> Result<GenerationPlan, GenError> {
    let service = Service::new(request)?;
    let index = GoIndex::build(&service.resolver.dir, Path::new("."))?;
    let resolver_dir = service.resolver.dir.clone();
    let exists = |method: &crate::golang::index::GoMethod| SkipReason::Exists {
        file: relative(request.root, &resolver_dir.join(&method.file)),
        line: method.line,
    };

    let mut plan = GenerationPlan::default();
    let mut methods: Vec<(MethodSpec, Vec<String>)> = Vec::new();
    let mut planned: HashSet<(String, String)> = HashSet::new();
    let mut forced: HashSet<(String, String)> = HashSet::new();

    for field in &request.fields {
        match eligibility::decide(&service, &index, field, &exists) {
            Ok(Planned { spec, force }) => {
                let key = (field.type_name.clone(), field.field_name.clone());
                if force
                    && forced.insert(key)
                    && let Some(edit) = force_resolver_edit(&service, &spec)
                {
                    plan.schema_edits.push(edit);
                }
                if planned.insert((spec.receiver.clone(), spec.method.clone())) {
                    let quote = (request.python)(&field.type_name, &field.field_name);
                    methods.push((spec, python_quote::body_comments(quote.as_ref())));
                }
            }
            Err(reason) => plan.skipped.push(SkippedField {
                field: field.coordinate(),
                service: None,
                reason,
            }),
        }
    }
    // gqlgen's EntityResolver asks for every finder at once: a package
    // missing any of them does not compile, so all missing ones are added.
    for position in 0..service.finders.len() {
        let spec = service.finder_method(position);
        if index.method(&spec.receiver, &spec.method).is_none()
            && planned.insert((spec.receiver.clone(), spec.method.clone()))
        {
            methods.push((spec, python_quote::body_comments(None)));
        }
    }

    if let Some(first) = plan.schema_edits.first()
        && let Some(definition) = schema_edit::go_field_definition(request.schema, &first.file)
    {
        plan.schema_edits.push(definition);
    }
    plan.schema_edits
        .sort_by(|a, b| (&a.file, a.offset).cmp(&(&b.file, b.offset)));

    plan.warnings = missing_model_types(&service, request.root, &methods);
    plan.files = files::plan_files(&service, &index, methods)?;
    Ok(plan)
}

/// `@goField(forceResolver: true)` for a field gqlgen would otherwise read
/// off its model.
fn force_resolver_edit(service: &Service<'_>, spec: &MethodSpec) -> Option<SchemaEdit> {
    let apollo_compiler::schema::ExtendedType::Object(object) =
        service.schema.types.get(spec.object.as_str())?
    else {
        return None;
    };
    let field = object.fields.get(spec.field.as_str())?;
    schema_edit::force_resolver(service.schema, &object.name, &field.node)
}

/// For each file, the model types its new methods name that the model
/// package does not declare yet (`gqlgen generate` writes them).
fn missing_model_types(
    service: &Service<'_>,
    root: &Path,
    methods: &[(MethodSpec, Vec<String>)],
) -> Vec<Warning> {
    let model = &service.model_package;
    let mut missing: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    for (spec, _) in methods {
        let types = spec
            .parameters
            .iter()
            .map(|(_, ty)| ty)
            .chain([&spec.result]);
        for ty in types {
            if let (Some(package), name) = ty.innermost()
                && package == model
                && service.binder.declares(model, name) == Some(false)
            {
                missing
                    .entry(spec.file.clone())
                    .or_default()
                    .insert(format!("{}.{name}", model.name));
            }
        }
    }
    missing
        .into_iter()
        .map(|(file, types)| Warning::MissingModelTypes {
            file: relative(root, &file),
            package: model.import_path.clone(),
            types: types.into_iter().collect(),
        })
        .collect()
}

/// `path` relative to `root`, `/`-separated.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let root = crate::workspace::go_package::normalize(root);
    let path = crate::workspace::go_package::normalize(path);
    path.strip_prefix(&root)
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/")
}
