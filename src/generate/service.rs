//! One gqlgen service as the generator sees it: which GraphQL fields become
//! which resolver methods, in which file, with which Go signature.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use apollo_compiler::ast::{FieldDefinition, Type};
use apollo_compiler::parser::SourceSpan;
use apollo_compiler::schema::{ExtendedType, ObjectType};
use apollo_compiler::{Node, Schema};

use super::entities::{EntityFinder, entity_finders};
use super::splice::MethodRank;
use super::{GenError, GenRequest, relative};
use crate::golang::naming::{Initialisms, resolver_type_name_for, uc_first};
use crate::golang::resolver_names::ResolverNames;
use crate::golang::type_mapping::{Binder, GoType};
use crate::workspace::go_package::{GoPackage, package_name_for_dir};
use crate::workspace::gqlgen_config::{GqlgenConfig, Layout, ResolverConfig, package_for_dir};

/// gqlgen's synthetic type holding the entity finders (`EntityResolver`).
pub(crate) const ENTITY: &str = "Entity";
/// Its source name in gqlgen, which names the file finders go to.
const ENTITY_FILE_STEM: &str = "entity";

/// A resolver method to write.
#[derive(Debug, Clone)]
pub(crate) struct MethodSpec {
    pub object: String,
    pub field: String,
    pub receiver: String,
    pub method: String,
    /// After `ctx context.Context`: `obj` for object fields, then the arguments.
    pub parameters: Vec<(String, GoType)>,
    pub result: GoType,
    /// Subscriptions return a channel.
    pub stream: bool,
    pub file: PathBuf,
    pub rank: MethodRank,
}

pub(crate) struct Service<'a> {
    /// What the plan's messages name files relative to.
    pub root: &'a Path,
    pub schema: &'a Schema,
    pub config: &'a GqlgenConfig,
    /// gqlgen.yml's `resolver:`, or the follow-schema layout in the
    /// directory the request names instead.
    pub resolver: ResolverConfig,
    pub binder: Binder<'a>,
    pub naming: Initialisms,
    pub finders: Vec<EntityFinder>,
    roots: [Option<String>; 3],
    pub resolver_package: GoPackage,
    pub exec_package: GoPackage,
    pub model_package: GoPackage,
    receiver_owners: OnceLock<HashMap<String, Vec<String>>>,
    /// Each object's fields by the Go method gqlgen names them with.
    fields_by_method: OnceLock<HashMap<String, HashMap<String, Vec<String>>>>,
    /// The method names gqlgen gives fields: the ones `status` looks up.
    names: ResolverNames,
}

impl<'a> Service<'a> {
    pub fn new(request: &GenRequest<'a>) -> Result<Service<'a>, GenError> {
        let (schema, config) = (request.schema, request.config);
        let resolver = match (&request.resolver_dir, &config.resolver) {
            (Some(dir), configured) => follow_schema_in(dir, configured.as_ref()),
            (None, Some(configured)) => configured.clone(),
            (None, None) => {
                return Err(GenError::NoResolverConfig {
                    config: relative(request.root, &config.path),
                });
            }
        };
        let no_module = |dir: &Path| GenError::NoGoModule {
            dir: relative(request.root, dir),
        };
        let resolver_package = package_for_dir(&resolver.dir, &resolver.package)
            .ok_or_else(|| no_module(&resolver.dir))?;
        let exec_package = config
            .exec_package()
            .ok_or_else(|| no_module(&config.exec.dir))?;
        let model_package = config
            .model_package()
            .ok_or_else(|| no_module(&config.model.dir))?;
        let texts: Vec<&str> = schema.sources.values().map(|s| s.source_text()).collect();
        let finders = match config.federation_version(&texts) {
            Some(version) => entity_finders(
                schema,
                version,
                &Initialisms::configured(&config.initialisms),
            )?,
            None => Vec::new(),
        };
        let root = |explicit: Option<&apollo_compiler::schema::ComponentName>, default: &str| {
            explicit.map(|name| name.name.to_string()).or_else(|| {
                schema
                    .types
                    .contains_key(default)
                    .then(|| default.to_string())
            })
        };
        let definition = &schema.schema_definition;
        let roots = [
            root(definition.query.as_ref(), "Query"),
            root(definition.mutation.as_ref(), "Mutation"),
            root(definition.subscription.as_ref(), "Subscription"),
        ];
        Ok(Service {
            root: request.root,
            schema,
            config,
            resolver,
            binder: Binder::new(schema, config, model_package.clone()),
            naming: Initialisms::configured(&config.initialisms),
            finders,
            roots,
            resolver_package,
            exec_package,
            model_package,
            receiver_owners: OnceLock::new(),
            fields_by_method: OnceLock::new(),
            names: ResolverNames::new(schema, Some(config)),
        })
    }

    /// The root operation types of the schema (Query, Mutation, Subscription).
    pub fn roots(&self) -> impl Iterator<Item = &str> {
        self.roots.iter().flatten().map(String::as_str)
    }

    pub fn is_root(&self, type_name: &str) -> bool {
        self.roots.iter().flatten().any(|root| root == type_name)
    }

    fn is_subscription(&self, type_name: &str) -> bool {
        self.roots[2].as_deref() == Some(type_name)
    }

    /// `assignmentResolver`.
    pub fn receiver(&self, object: &str) -> String {
        resolver_type_name_for(object, &self.resolver.root_type)
    }

    /// gqlgen's Go name of a field: `@goField(name:)`, else `models: fields:
    /// fieldName`, else `ToGo`.
    pub fn go_field_name(&self, object: &str, field: &FieldDefinition) -> String {
        self.names.method(object, &field.name).1
    }

    /// Whether `resolver: true` or `@goField(forceResolver: true)` already
    /// makes gqlgen call a resolver for the field.
    pub fn forces_resolver(&self, object: &str, field: &str) -> bool {
        self.binder
            .field_binding(object, field)
            .is_some_and(|binding| binding.resolver)
    }

    /// The file gqlgen writes resolvers of a schema file into.
    pub fn resolver_file(&self, schema_file_stem: &str) -> PathBuf {
        match self.resolver.layout {
            Layout::SingleFile => self.resolver.filename.clone(),
            Layout::FollowSchema => self.resolver.dir.join(
                self.resolver
                    .filename_template
                    .replace("{name}", schema_file_stem),
            ),
        }
    }

    fn stem_of(&self, span: Option<SourceSpan>) -> String {
        span.and_then(|span| self.schema.sources.get(&span.file_id()))
            .and_then(|source| {
                source
                    .path()
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "schema".to_string())
    }

    /// Where gqlgen puts an object's accessor and resolver struct: the file of
    /// the object's definition, or of its first extension when the service
    /// only extends it. Definitions from outside the service's schema files
    /// (a federation prelude declaring `type Query`) do not count.
    pub fn object_file(&self, object: &str) -> PathBuf {
        if object == ENTITY {
            return self.resolver_file(ENTITY_FILE_STEM);
        }
        let span = match self.schema.types.get(object) {
            Some(ExtendedType::Object(o)) => o
                .location()
                .into_iter()
                .chain(o.fields.values().filter_map(|f| f.location()))
                .find(|span| self.is_service_source(*span)),
            _ => None,
        };
        self.resolver_file(&self.stem_of(span))
    }

    /// Whether a location is in one of the service's own schema files.
    fn is_service_source(&self, span: SourceSpan) -> bool {
        let Some(source) = self.schema.sources.get(&span.file_id()) else {
            return false;
        };
        let path = source.path();
        self.config
            .schema_files
            .iter()
            .any(|file| file == path || file.ends_with(path))
    }

    /// The method for an object's field.
    pub fn field_method(&self, object: &ObjectType, field: &Node<FieldDefinition>) -> MethodSpec {
        let name = object.name.as_str();
        let mut parameters = Vec::new();
        if !self.is_root(name) {
            parameters.push(("obj".to_string(), self.binder.object_param(name)));
        }
        for argument in &field.arguments {
            parameters.push((
                self.naming.to_go_private(&argument.name),
                self.binder.type_ref(&argument.ty),
            ));
        }
        let position = object
            .fields
            .get_index_of(field.name.as_str())
            .unwrap_or(usize::MAX);
        MethodSpec {
            object: name.to_string(),
            field: field.name.to_string(),
            receiver: self.receiver(name),
            method: self.go_field_name(name, field),
            parameters,
            result: self.binder.resolver_result(&field.ty),
            stream: self.is_subscription(name),
            file: self.resolver_file(&self.stem_of(field.location())),
            rank: (name.to_string(), position),
        }
    }

    /// The method for an entity finder.
    pub fn finder_method(&self, position: usize) -> MethodSpec {
        let finder = &self.finders[position];
        let (parameters, result) = match &finder.multi_input {
            Some(input) => (
                vec![(
                    "reps".to_string(),
                    GoType::Slice(Box::new(GoType::Pointer(Box::new(
                        self.binder.generated_struct(input),
                    )))),
                )],
                self.binder
                    .resolver_result(&Type::List(Box::new(Type::Named(
                        apollo_compiler::Name::new(&finder.entity)
                            .expect("entity names are GraphQL names"),
                    )))),
            ),
            None => (
                finder
                    .arguments
                    .iter()
                    .map(|argument| {
                        (
                            self.naming.to_go_private(&argument.name),
                            self.binder.type_ref(&argument.ty),
                        )
                    })
                    .collect(),
                self.binder.resolver_result(&Type::NonNullNamed(
                    apollo_compiler::Name::new(&finder.entity)
                        .expect("entity names are GraphQL names"),
                )),
            ),
        };
        MethodSpec {
            object: ENTITY.to_string(),
            field: finder.field.clone(),
            receiver: self.receiver(ENTITY),
            method: self.naming.to_go(&finder.field),
            parameters,
            result,
            stream: false,
            file: self.resolver_file(ENTITY_FILE_STEM),
            rank: (ENTITY.to_string(), position),
        }
    }

    /// Every resolver gqlgen could ask of this schema, by receiver and method:
    /// what existing methods are, to place new ones among them.
    pub fn method_ranks(&self) -> HashMap<(String, String), MethodRank> {
        let mut ranks = HashMap::new();
        for ty in self.schema.types.values() {
            let ExtendedType::Object(object) = ty else {
                continue;
            };
            let receiver = self.receiver(&object.name);
            for (position, field) in object.fields.values().enumerate() {
                ranks.insert(
                    (receiver.clone(), self.go_field_name(&object.name, field)),
                    (object.name.to_string(), position),
                );
            }
        }
        let receiver = self.receiver(ENTITY);
        for (position, finder) in self.finders.iter().enumerate() {
            ranks.insert(
                (receiver.clone(), self.naming.to_go(&finder.field)),
                (ENTITY.to_string(), position),
            );
        }
        ranks
    }

    /// The names of every resolver struct the schema could have.
    pub fn resolver_structs(&self) -> HashSet<String> {
        let mut names: HashSet<String> = self
            .schema
            .types
            .values()
            .filter(|ty| matches!(ty, ExtendedType::Object(_)))
            .map(|ty| self.receiver(ty.name()))
            .collect();
        names.insert(self.receiver(ENTITY));
        names
    }

    /// The object types by the resolver struct each needs (`resolverResolver`
    /// for both `Resolver` and `resolver`), in schema order; computed once.
    /// The fields of `object` that gqlgen gives the Go method name
    /// `method`, in the schema's order. Every field is named once per
    /// plan, not once per generated field of its type.
    pub fn fields_named(&self, object: &str, method: &str) -> &[String] {
        let by_object = self.fields_by_method.get_or_init(|| {
            let mut by_object: HashMap<String, HashMap<String, Vec<String>>> = HashMap::new();
            for ty in self.schema.types.values() {
                let ExtendedType::Object(object) = ty else {
                    continue;
                };
                let by_method = by_object.entry(object.name.to_string()).or_default();
                for field in object.fields.values() {
                    by_method
                        .entry(self.go_field_name(&object.name, field))
                        .or_default()
                        .push(field.name.to_string());
                }
            }
            by_object
        });
        by_object
            .get(object)
            .and_then(|by_method| by_method.get(method))
            .map_or(&[], Vec::as_slice)
    }

    pub fn receiver_owners(&self) -> &HashMap<String, Vec<String>> {
        self.receiver_owners.get_or_init(|| {
            let mut owners: HashMap<String, Vec<String>> = HashMap::new();
            for ty in self.schema.types.values() {
                if matches!(ty, ExtendedType::Object(_)) {
                    owners
                        .entry(self.receiver(ty.name()))
                        .or_default()
                        .push(ty.name().to_string());
                }
            }
            owners
        })
    }

    /// `AssignmentResolver` in the exec package.
    pub fn accessor_name(&self, object: &str) -> String {
        uc_first(object)
    }

    /// The file of the root resolver struct.
    pub fn root_file(&self) -> &Path {
        &self.resolver.filename
    }
}

/// The resolver section gqlgen's follow-schema layout would have in `dir`:
/// the root type, filename template and comment setting carried over from
/// the configured section when there is one.
fn follow_schema_in(dir: &Path, configured: Option<&ResolverConfig>) -> ResolverConfig {
    ResolverConfig {
        layout: Layout::FollowSchema,
        dir: dir.to_path_buf(),
        package: package_name_for_dir(dir),
        filename: dir.join("resolver.go"),
        filename_template: configured
            .map(|c| c.filename_template.clone())
            .unwrap_or_else(|| "{name}.resolvers.go".to_string()),
        root_type: configured
            .map(|c| c.root_type.clone())
            .unwrap_or_else(|| "Resolver".to_string()),
        omit_template_comment: configured.is_some_and(|c| c.omit_template_comment),
        preserve_resolver: false,
    }
}
