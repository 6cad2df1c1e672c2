//! `ferry gen go`: the Go resolver skeletons for fields a service serves, in
//! gqlgen's conventions so that a later `gqlgen generate` keeps their bodies,
//! with the Python they replace quoted inside.
//!
//! [`plan_generation`] reads the service's Go package and returns the new
//! text of every file it would change; the caller writes them (and applies
//! the schema edits) through ferry's edit layer. Existing methods are never
//! touched: only missing methods, resolver structs, accessors and imports are
//! added, so a second run plans nothing.

mod entities;
mod imports;
mod python_quote;
mod render;
mod schema_edit;
mod service;
pub mod skeletons;
mod splice;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use apollo_compiler::Schema;
use apollo_compiler::ast::FieldDefinition;
use apollo_compiler::schema::{Component, ExtendedType, ObjectType};
use rayon::prelude::*;
use serde::Serialize;

use crate::golang::index::{GoIndex, GoIndexError, GoMethod};
use crate::golang::type_mapping::ModelField;
use crate::workspace::go_package::GoPackage;
use crate::workspace::gqlgen_config::{GqlgenConfig, Layout};
use imports::FileImports;
use render::{
    ResolverAccessor, ResolverMethod, ResolverStruct, ResolversFile, RootResolver, render,
};
use service::{ENTITY, MethodSpec, Service};
use splice::{Existing, NewDecl, Splice, apply, place, with_line_endings};

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

/// What to generate for one service.
pub struct GenRequest<'a> {
    /// The service's own schema, federation prelude included.
    pub schema: &'a Schema,
    pub config: &'a GqlgenConfig,
    /// GraphQL coordinates `(type, field)`; `("Entity", "findXByY")` names an
    /// entity finder directly.
    pub fields: Vec<(String, String)>,
    /// The Python resolver of `(type, field)`, if any.
    pub python: &'a dyn Fn(&str, &str) -> Option<QuotedPython>,
}

/// A Go file to write: `before` is `None` for a new file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub before: Option<String>,
    pub after: String,
}

/// A requested field whose Go resolver already exists; it is left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedField {
    pub type_name: String,
    pub field_name: String,
    pub existing: GoMethod,
}

/// Everything `gen go` would change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct GenerationPlan {
    /// Go files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// `@goField(forceResolver: true)` where gqlgen would otherwise bind the
    /// field to the model and never call the resolver; sorted by file, offset.
    pub schema_edits: Vec<SchemaEdit>,
    pub skipped: Vec<SkippedField>,
}

#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error(
        "{config}: gqlgen.yml has no `resolver:` section, so gqlgen writes no resolvers to follow"
    )]
    NoResolverConfig { config: PathBuf },
    #[error("{type_name}: no such type in the service's schema")]
    UnknownType { type_name: String },
    #[error("{type_name}.{field_name}: no such field in the service's schema")]
    UnknownField {
        type_name: String,
        field_name: String,
    },
    #[error(
        "{type_name}.{field_name}: {type_name} is {kind}, and gqlgen writes resolvers only for object types"
    )]
    NotAnObject {
        type_name: String,
        field_name: String,
        kind: &'static str,
    },
    #[error("{type_name}.{field_name} is @external in this service: another service resolves it")]
    ExternalField {
        type_name: String,
        field_name: String,
    },
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Index(#[from] GoIndexError),
    #[error("{}:{line}:{column}: syntax error; fix the Go file before ferry adds to it", file.display())]
    GoSyntax {
        file: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("rendering a Go template: {0}")]
    Template(#[from] askama::Error),
}

/// Plans the Go files (and schema edits) that give each requested field its
/// gqlgen resolver. Reads the resolver package; writes nothing.
pub fn plan_generation(request: &GenRequest<'_>) -> Result<GenerationPlan, GenError> {
    let service = Service::new(request.schema, request.config)?;
    let index = GoIndex::build(&service.resolver.dir, Path::new("."))?;

    let mut plan = GenerationPlan::default();
    let mut methods: Vec<(MethodSpec, Vec<String>)> = Vec::new();
    let mut planned: HashSet<(String, String)> = HashSet::new();
    let mut edited_fields: HashSet<(String, String)> = HashSet::new();

    for (type_name, field_name) in &request.fields {
        if type_name == ENTITY && !request.schema.types.contains_key(ENTITY) {
            let position = service
                .finders
                .iter()
                .position(|f| &f.field == field_name)
                .ok_or_else(|| GenError::UnknownField {
                    type_name: type_name.clone(),
                    field_name: field_name.clone(),
                })?;
            let spec = service.finder_method(position);
            if let Some(existing) = index.method(&spec.receiver, &spec.method) {
                plan.skipped.push(SkippedField {
                    type_name: type_name.clone(),
                    field_name: field_name.clone(),
                    existing: existing.clone(),
                });
            }
            continue;
        }
        let (object, field) = object_field(request.schema, type_name, field_name)?;
        let spec = service.field_method(object, &field.node);
        if edited_fields.insert((type_name.clone(), field_name.clone()))
            && let Some(edit) = force_resolver_edit(&service, object, field, &spec)
        {
            plan.schema_edits.push(edit);
        }
        if let Some(existing) = index.method(&spec.receiver, &spec.method) {
            plan.skipped.push(SkippedField {
                type_name: type_name.clone(),
                field_name: field_name.clone(),
                existing: existing.clone(),
            });
            continue;
        }
        if planned.insert((spec.receiver.clone(), spec.method.clone())) {
            let quote = (request.python)(type_name, field_name);
            methods.push((spec, python_quote::body_comments(quote.as_ref())));
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

    plan.files = plan_files(&service, &index, methods)?;
    Ok(plan)
}

/// A field of an object type the service itself resolves.
fn object_field<'s>(
    schema: &'s Schema,
    type_name: &str,
    field_name: &str,
) -> Result<(&'s ObjectType, &'s Component<FieldDefinition>), GenError> {
    let object = match schema.types.get(type_name) {
        Some(ExtendedType::Object(object)) => object,
        Some(other) => {
            return Err(GenError::NotAnObject {
                type_name: type_name.to_string(),
                field_name: field_name.to_string(),
                kind: kind_name(other),
            });
        }
        None => {
            return Err(GenError::UnknownType {
                type_name: type_name.to_string(),
            });
        }
    };
    let field = object
        .fields
        .get(field_name)
        .ok_or_else(|| GenError::UnknownField {
            type_name: type_name.to_string(),
            field_name: field_name.to_string(),
        })?;
    if entities::is_external(&field.directives) {
        return Err(GenError::ExternalField {
            type_name: type_name.to_string(),
            field_name: field_name.to_string(),
        });
    }
    Ok((object, field))
}

/// `@goField(forceResolver: true)` for an object field gqlgen would
/// otherwise read off its model: the model has a matching field or method,
/// or is generated by gqlgen (then it has them all), or cannot be read.
fn force_resolver_edit(
    service: &Service<'_>,
    object: &ObjectType,
    field: &Component<FieldDefinition>,
    spec: &MethodSpec,
) -> Option<SchemaEdit> {
    if service.is_root(&object.name) || schema_edit::forces_resolver(field) {
        return None;
    }
    let configured_resolver = service
        .config
        .models
        .get(object.name.as_str())
        .and_then(|m| m.fields.get(field.name.as_str()))
        .is_some_and(|f| f.resolver);
    if configured_resolver
        || service.binder.model_field(&object.name, &spec.method) == ModelField::Absent
    {
        return None;
    }
    schema_edit::force_resolver(service.schema, &object.name, &field.node)
}

/// What goes into one file.
#[derive(Default)]
struct FilePlan {
    methods: Vec<(MethodSpec, Vec<String>)>,
    /// Objects whose resolver struct this file declares.
    structs: Vec<String>,
    /// Objects whose accessor this file declares.
    accessors: Vec<String>,
    root: bool,
}

fn plan_files(
    service: &Service<'_>,
    index: &GoIndex,
    methods: Vec<(MethodSpec, Vec<String>)>,
) -> Result<Vec<GeneratedFile>, GenError> {
    let root = service.resolver.root_type.as_str();
    let mut files: BTreeMap<PathBuf, FilePlan> = BTreeMap::new();
    let mut objects: Vec<String> = Vec::new();
    for (spec, comments) in methods {
        if !objects.contains(&spec.object) {
            objects.push(spec.object.clone());
        }
        files
            .entry(spec.file.clone())
            .or_default()
            .methods
            .push((spec, comments));
    }
    for object in objects {
        let file = service.object_file(&object);
        if !index.has_type(&service.receiver(&object)) {
            files
                .entry(file.clone())
                .or_default()
                .structs
                .push(object.clone());
        }
        if index
            .method(root, &service.accessor_name(&object))
            .is_none()
        {
            files.entry(file).or_default().accessors.push(object);
        }
    }
    if !files.is_empty() && !index.has_type(root) {
        files
            .entry(service.root_file().to_path_buf())
            .or_default()
            .root = true;
    }

    let ranks = service.method_ranks();
    let structs = service.resolver_structs();
    let mut known: Vec<GoPackage> = vec![
        service.model_package.clone(),
        service.exec_package.clone(),
        service.resolver_package.clone(),
    ];
    known.extend(
        service
            .config
            .autobind
            .iter()
            .map(|p| GoPackage::from_import_path(p)),
    );
    let context = FileContext {
        service,
        index,
        ranks: &ranks,
        structs: &structs,
        known: &known,
    };
    let mut generated = files
        .into_par_iter()
        .map(|(path, file_plan)| context.file(path, file_plan))
        .collect::<Result<Vec<_>, GenError>>()?;
    generated.retain(|file| file.before.as_deref() != Some(file.after.as_str()));
    generated.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(generated)
}

struct FileContext<'a> {
    service: &'a Service<'a>,
    index: &'a GoIndex,
    ranks: &'a HashMap<(String, String), splice::MethodRank>,
    structs: &'a HashSet<String>,
    known: &'a [GoPackage],
}

impl FileContext<'_> {
    fn file(&self, path: PathBuf, mut plan: FilePlan) -> Result<GeneratedFile, GenError> {
        let existing = self.index.file(&path);
        if let Some(file) = existing
            && let Some((line, column)) = file.parsed.first_syntax_error
        {
            return Err(GenError::GoSyntax {
                file: path,
                line,
                column,
            });
        }
        let service = self.service;
        let resolver = service.resolver;
        let root = resolver.root_type.as_str();
        let mut imports = FileImports::new(
            &service.resolver_package,
            self.known,
            existing.map(|f| &f.parsed),
        );

        plan.methods.sort_by(|a, b| a.0.rank.cmp(&b.0.rank));
        plan.accessors.sort();
        plan.structs.sort_by_key(|object| service.receiver(object));

        let mut decls = Vec::new();
        if plan.root {
            decls.push(NewDecl::Root {
                text: render(&RootResolver { root })?,
            });
        }
        for (spec, comments) in &plan.methods {
            let mut qualify = |package: &GoPackage| imports.qualifier(package);
            let mut parameters = format!(
                "ctx {}.Context",
                qualify(&GoPackage::new("context", "context")).unwrap_or_default()
            );
            for (name, ty) in &spec.parameters {
                parameters.push_str(&format!(", {name} {}", ty.render(&mut qualify)));
            }
            let mut result = spec.result.render(&mut qualify);
            if spec.stream {
                result = format!("<-chan {result}");
            }
            let fmt = qualify(&GoPackage::new("fmt", "fmt")).unwrap_or_else(|| "fmt".to_string());
            let text = render(&ResolverMethod {
                doc: (!resolver.omit_template_comment).then(|| {
                    format!(
                        "{} is the resolver for the {} field.",
                        spec.method, spec.field
                    )
                }),
                receiver: &spec.receiver,
                method: &spec.method,
                parameters,
                result,
                field: &spec.field,
                body_comments: comments.clone(),
                fmt,
            })?;
            decls.push(NewDecl::Method {
                rank: spec.rank.clone(),
                text,
            });
        }
        for object in &plan.accessors {
            let accessor = service.accessor_name(object);
            let interface = match imports.qualifier(&service.exec_package) {
                Some(prefix) => format!("{prefix}.{accessor}Resolver"),
                None => format!("{accessor}Resolver"),
            };
            let receiver = service.receiver(object);
            let text = render(&ResolverAccessor {
                doc: (!resolver.omit_template_comment)
                    .then(|| format!("{accessor} returns {interface} implementation.")),
                root,
                accessor: &accessor,
                one_line: ResolverAccessor::fits_on_one_line(
                    root, &accessor, &interface, &receiver,
                ),
                interface,
                receiver: &receiver,
            })?;
            decls.push(NewDecl::Accessor {
                name: accessor,
                text,
            });
        }
        for object in &plan.structs {
            let receiver = service.receiver(object);
            let text = render(&ResolverStruct {
                receiver: &receiver,
                root,
            })?;
            decls.push(NewDecl::Struct {
                name: receiver,
                text,
            });
        }

        match existing {
            Some(file) => {
                let ranks = self.ranks;
                let method_rank = |receiver: &str, name: &str| {
                    ranks
                        .get(&(receiver.to_string(), name.to_string()))
                        .cloned()
                };
                let structs = self.structs;
                let is_resolver_struct = |name: &str| structs.contains(name);
                let existing_decls = Existing {
                    method_rank: &method_rank,
                    root,
                    is_resolver_struct: &is_resolver_struct,
                };
                let mut splices: Vec<Splice> = imports.splices(&file.source, &file.parsed);
                splices.extend(place(&file.source, &file.parsed, decls, &existing_decls));
                let crlf = file.source.contains("\r\n");
                for splice in &mut splices {
                    splice.text = with_line_endings(&splice.text, crlf);
                }
                Ok(GeneratedFile {
                    path,
                    before: Some(file.source.clone()),
                    after: apply(&file.source, splices),
                })
            }
            None => {
                let after = self.new_file(&path, &imports, decls)?;
                Ok(GeneratedFile {
                    path,
                    before: None,
                    after,
                })
            }
        }
    }

    /// A file of its own, laid out as gqlgen lays out a resolvers file.
    fn new_file(
        &self,
        path: &Path,
        imports: &FileImports,
        mut decls: Vec<NewDecl>,
    ) -> Result<String, GenError> {
        let resolver = self.service.resolver;
        let only_root = decls.iter().all(|d| matches!(d, NewDecl::Root { .. }));
        let notice = if only_root
            && resolver.layout == Layout::FollowSchema
            && path == resolver.filename
        {
            "// This file will not be regenerated automatically.\n//\n// It serves as dependency injection for your app, add any dependencies you require here."
        } else if resolver.layout == Layout::SingleFile {
            if resolver.preserve_resolver {
                "// THIS CODE IS A STARTING POINT ONLY. IT WILL NOT BE UPDATED WITH SCHEMA CHANGES."
            } else {
                "// THIS CODE WILL BE UPDATED WITH SCHEMA CHANGES. PREVIOUS IMPLEMENTATION FOR SCHEMA CHANGES WILL BE KEPT IN THE COMMENT SECTION. IMPLEMENTATION FOR UNCHANGED SCHEMA WILL BE KEPT."
            }
        } else if self.service.config.omit_gqlgen_file_notice {
            ""
        } else {
            "// This file will be automatically regenerated based on the schema, any resolver implementations\n// will be copied through when generating and any unknown code will be moved to the end.\n// Code partially generated by ferry, in the layout of github.com/99designs/gqlgen."
        };
        let mut blocks: Vec<String> = Some(notice.to_string())
            .filter(|n| !n.is_empty())
            .into_iter()
            .collect();
        blocks.extend(imports.block());
        decls.sort_by_key(|d| match d {
            NewDecl::Root { .. } => 0,
            NewDecl::Method { .. } => 1,
            NewDecl::Accessor { .. } => 2,
            NewDecl::Struct { .. } => 3,
        });
        let mut structs = Vec::new();
        for decl in decls {
            match decl {
                NewDecl::Root { text }
                | NewDecl::Method { text, .. }
                | NewDecl::Accessor { text, .. } => blocks.push(text),
                NewDecl::Struct { text, .. } => structs.push(text),
            }
        }
        if !structs.is_empty() {
            blocks.push(structs.join("\n"));
        }
        Ok(render(&ResolversFile {
            package: &resolver.package,
            blocks,
        })? + "\n")
    }
}

fn kind_name(ty: &ExtendedType) -> &'static str {
    match ty {
        ExtendedType::Scalar(_) => "a scalar",
        ExtendedType::Object(_) => "an object type",
        ExtendedType::Interface(_) => "an interface (generate its implementing types' fields)",
        ExtendedType::Union(_) => "a union",
        ExtendedType::Enum(_) => "an enum",
        ExtendedType::InputObject(_) => "an input type",
    }
}
