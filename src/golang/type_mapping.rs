//! GraphQL types → the Go types gqlgen puts in resolver signatures.
//!
//! This follows gqlgen's binder: a GraphQL type binds to the Go type named in
//! `models:`, else to a type of that name in an `autobind` package, else to a
//! gqlgen built-in (`Int` → `int`, `Time` → `time.Time`, …), else to the model
//! gqlgen generates. Then its modifiers (`CopyModifiersFromAst`): nullable →
//! pointer unless already nil-able, lists → slices with pointers to structs,
//! and resolvers return pointers to structs (`resolvers_always_return_pointers`).
//!
//! The bindings are `gqlgen.yml`'s `models:` with the schema's own
//! `@goModel(model:, models:)` on types and `@goField(name:, forceResolver:)`
//! on fields applied over them, as gqlgen's config does before binding.
//!
//! To know whether a bound Go type is a struct, an interface or a map, ferry
//! reads the Go package when it is part of the service's module.

use std::collections::{BTreeMap, HashMap};

use apollo_compiler::Schema;
use apollo_compiler::ast::Type;
use apollo_compiler::schema::ExtendedType;

use super::bindings::bindings_with_directives;
use super::go_type::{GQLGEN_GRAPHQL, gqlgen_builtin, time_time};
pub use super::go_type::{GoKind, GoType};
use super::naming::Initialisms;
use super::scanned_package::ScannedPackage;
use super::source_file::{StructField, TypeShape};
use crate::workspace::go_package::{GoPackage, package_name_for_dir};
use crate::workspace::gqlgen_config::{FieldBinding, GqlgenConfig, ModelBinding};

/// Whether a Go model already has what a GraphQL field needs, which decides
/// whether gqlgen generates a resolver for it on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelField {
    /// A field or method matches: gqlgen binds to it and writes no resolver.
    Present,
    /// Nothing matches: gqlgen generates a resolver by itself.
    Absent,
    /// The model's source is outside the workspace.
    Unknown,
}

/// gqlgen's binder for one service.
pub struct Binder<'a> {
    schema: &'a Schema,
    config: &'a GqlgenConfig,
    naming: Initialisms,
    model_package: GoPackage,
    autobind: Vec<GoPackage>,
    /// `models:` with the schema's `@goModel` and `@goField` applied.
    models: BTreeMap<String, ModelBinding>,
    /// Packages of the service's module, by import path; `None` if unreadable.
    scanned: HashMap<String, Option<ScannedPackage>>,
}

impl<'a> Binder<'a> {
    /// `model_package` is where gqlgen generates the models nothing binds.
    pub fn new(
        schema: &'a Schema,
        config: &'a GqlgenConfig,
        model_package: GoPackage,
    ) -> Binder<'a> {
        let models = bindings_with_directives(schema, &config.models);
        let mut scanned = HashMap::new();
        // A model directory gqlgen has not created yet declares nothing.
        let model_dir = &config.model.dir;
        scanned.insert(
            model_package.import_path.clone(),
            ScannedPackage::read(model_dir)
                .or_else(|| (!model_dir.exists()).then(ScannedPackage::default)),
        );
        let mut wanted: Vec<String> = config.autobind.clone();
        for binding in models.values() {
            for model in &binding.model {
                if let Some((package, _)) = split_model(model) {
                    wanted.push(package.to_string());
                }
            }
        }
        let mut autobind = Vec::new();
        for import_path in wanted {
            if scanned.contains_key(&import_path) {
                continue;
            }
            let dir = config
                .module
                .as_ref()
                .and_then(|module| module.dir_for_import_path(&import_path));
            scanned.insert(import_path, dir.and_then(|d| ScannedPackage::read(&d)));
        }
        for import_path in &config.autobind {
            let name = if import_path == &model_package.import_path {
                model_package.name.clone()
            } else {
                match config
                    .module
                    .as_ref()
                    .and_then(|module| module.dir_for_import_path(import_path))
                {
                    Some(dir) => package_name_for_dir(&dir),
                    None => GoPackage::from_import_path(import_path).name,
                }
            };
            autobind.push(GoPackage::new(import_path.clone(), name));
        }
        Binder {
            schema,
            config,
            naming: Initialisms::configured(&config.initialisms),
            model_package,
            autobind,
            models,
            scanned,
        }
    }

    /// The Go type an object's resolvers receive, as code names it
    /// (`model.Assignment`).
    pub fn model_name(&self, object: &str) -> String {
        self.named_type(object)
            .render(&mut |package| Some(package.name.clone()))
    }

    /// Whether a package of the module declares a type: `None` when the
    /// package could not be read.
    pub fn declares(&self, package: &GoPackage, name: &str) -> Option<bool> {
        let scanned = self.scanned.get(&package.import_path)?.as_ref()?;
        Some(scanned.types.contains_key(name))
    }

    /// How `models:`, `@goModel` and `@goField` bind a field: its Go name
    /// and whether it is forced to a resolver.
    pub fn field_binding(&self, object: &str, field: &str) -> Option<&FieldBinding> {
        self.models.get(object)?.fields.get(field)
    }

    /// The package a model package import path refers to, named.
    fn package(&self, import_path: &str) -> GoPackage {
        if import_path == self.model_package.import_path {
            return self.model_package.clone();
        }
        if let Some(bound) = self.autobind.iter().find(|p| p.import_path == import_path) {
            return bound.clone();
        }
        match self
            .config
            .module
            .as_ref()
            .and_then(|module| module.dir_for_import_path(import_path))
        {
            Some(dir) if dir.is_dir() => GoPackage::new(import_path, package_name_for_dir(&dir)),
            _ => GoPackage::from_import_path(import_path),
        }
    }

    /// The Go type a GraphQL named type binds to, before modifiers.
    pub fn named_type(&self, graphql_name: &str) -> GoType {
        if let Some(model) = self
            .models
            .get(graphql_name)
            .and_then(|binding| binding.model.first())
        {
            return self.model_type(model);
        }
        if let Some(bound) = self.autobound(graphql_name) {
            return bound;
        }
        if let Some(builtin) = self.builtin(graphql_name) {
            return builtin;
        }
        let go_name = self.naming.to_go(graphql_name);
        match self.schema.types.get(graphql_name) {
            Some(ExtendedType::Object(_)) | Some(ExtendedType::InputObject(_)) => {
                GoType::in_package(self.model_package.clone(), &go_name, GoKind::Struct)
            }
            Some(ExtendedType::Interface(_)) | Some(ExtendedType::Union(_)) => {
                GoType::in_package(self.model_package.clone(), &go_name, GoKind::Interface)
            }
            Some(ExtendedType::Enum(_)) => {
                GoType::in_package(self.model_package.clone(), &go_name, GoKind::Value)
            }
            // modelgen binds scalars nobody bound to graphql.String.
            Some(ExtendedType::Scalar(_)) | None => GoType::predeclared("string", GoKind::Value),
        }
    }

    /// A struct gqlgen generates into the model package (federation's
    /// `…Input` types for multi-entity finders).
    pub fn generated_struct(&self, graphql_name: &str) -> GoType {
        GoType::in_package(
            self.model_package.clone(),
            &self.naming.to_go(graphql_name),
            GoKind::Struct,
        )
    }

    /// A GraphQL type with its modifiers, as gqlgen types arguments.
    pub fn type_ref(&self, ty: &Type) -> GoType {
        let base = self.named_type(ty.inner_named_type());
        self.with_modifiers(ty, base)
    }

    /// A GraphQL type as gqlgen types a resolver's result.
    pub fn resolver_result(&self, ty: &Type) -> GoType {
        let go = self.type_ref(ty);
        if self.config.resolvers_always_return_pointers && go.is_struct_value() {
            GoType::Pointer(Box::new(go))
        } else {
            go
        }
    }

    /// `obj *model.Assignment`: the Go type an object's resolvers receive.
    pub fn object_param(&self, graphql_name: &str) -> GoType {
        GoType::Pointer(Box::new(self.named_type(graphql_name)))
    }

    fn with_modifiers(&self, ty: &Type, base: GoType) -> GoType {
        match ty {
            Type::List(inner) | Type::NonNullList(inner) => {
                let mut child = self.with_modifiers(inner, base);
                if child.is_struct_value() && !self.config.omit_slice_element_pointers {
                    child = GoType::Pointer(Box::new(child));
                }
                GoType::Slice(Box::new(child))
            }
            Type::Named(_) if !base.is_nilable() => GoType::Pointer(Box::new(base)),
            Type::Named(_) | Type::NonNullNamed(_) => base,
        }
    }

    fn autobound(&self, graphql_name: &str) -> Option<GoType> {
        self.autobind.iter().find_map(|package| {
            let scanned = self.scanned.get(&package.import_path)?.as_ref()?;
            let kind = scanned.kind_of(graphql_name)?;
            Some(GoType::in_package(package.clone(), graphql_name, kind))
        })
    }

    /// gqlgen's built-in bindings (`injectBuiltins`) and federation's.
    fn builtin(&self, graphql_name: &str) -> Option<GoType> {
        let is_scalar = matches!(
            self.schema.types.get(graphql_name),
            Some(ExtendedType::Scalar(_))
        );
        let model = match graphql_name {
            "Int" => "Int",
            "Float" => "Float",
            "String" => "String",
            "Boolean" => "Boolean",
            "ID" => "ID",
            "Time" if is_scalar => "Time",
            "Map" if is_scalar => "Map",
            "Upload" if is_scalar => "Upload",
            "Any" if is_scalar => "Any",
            "_Any" => "Map",
            "_FieldSet" | "FieldSet" | "federation__FieldSet" | "link__Import" => "String",
            _ => return None,
        };
        gqlgen_builtin(model)
    }

    /// A `models:` entry: `import/path.Type`, a gqlgen built-in or a map.
    fn model_type(&self, model: &str) -> GoType {
        if model == "map[string]interface{}" || model == "map[string]any" {
            return GoType::predeclared(model, GoKind::Nilable);
        }
        let Some((import_path, name)) = split_model(model) else {
            return GoType::predeclared(model, GoKind::Value);
        };
        if import_path == GQLGEN_GRAPHQL
            && let Some(builtin) = gqlgen_builtin(name)
        {
            return builtin;
        }
        let package = self.package(import_path);
        let Some(Some(scanned)) = self.scanned.get(import_path) else {
            return GoType::in_package(package, name, GoKind::Value);
        };
        if let Some(kind) = scanned.kind_of(name) {
            return GoType::in_package(package, name, kind);
        }
        // `pkg.Name` naming Marshal/Unmarshal functions: the Go type is the
        // marshaler's parameter.
        if let Some(Some(parameter)) = scanned.functions.get(&format!("Marshal{name}")) {
            return match parameter.as_str() {
                "time.Time" => time_time(),
                "time.Duration" => {
                    GoType::in_package(GoPackage::new("time", "time"), "Duration", GoKind::Value)
                }
                "map[string]interface{}" | "map[string]any" => {
                    GoType::predeclared(parameter, GoKind::Nilable)
                }
                "interface{}" | "any" => GoType::predeclared(parameter, GoKind::Interface),
                local if !local.contains(['.', '*', '[']) => {
                    if scanned.types.contains_key(local) {
                        let kind = scanned.kind_of(local).unwrap_or(GoKind::Value);
                        GoType::in_package(package, local, kind)
                    } else {
                        GoType::predeclared(local, GoKind::Value)
                    }
                }
                _ => GoType::in_package(package, name, GoKind::Value),
            };
        }
        GoType::in_package(package, name, GoKind::Value)
    }

    /// Whether the Go model of a GraphQL object already has a field.
    pub fn model_field(&self, object: &str, go_name: &str) -> ModelField {
        let model = self
            .models
            .get(object)
            .and_then(|binding| binding.model.first());
        let (import_path, type_name) = match model {
            Some(model) => match split_model(model) {
                Some((import_path, type_name)) => (import_path.to_string(), type_name.to_string()),
                None => return ModelField::Unknown,
            },
            None => match self.autobind.iter().find(|package| {
                self.scanned
                    .get(&package.import_path)
                    .and_then(|s| s.as_ref())
                    .is_some_and(|s| s.types.contains_key(object))
            }) {
                Some(package) => (package.import_path.clone(), object.to_string()),
                // gqlgen generates the model, with a field for every GraphQL field.
                None => return ModelField::Present,
            },
        };
        let Some(Some(scanned)) = self.scanned.get(&import_path) else {
            return ModelField::Unknown;
        };
        if !scanned.types.contains_key(&type_name) {
            return ModelField::Unknown;
        }
        if self.has_member(scanned, &type_name, go_name, 0) {
            ModelField::Present
        } else {
            ModelField::Absent
        }
    }

    /// gqlgen's `findBindTarget`: an exported method, a tagged field, a field
    /// of that name (case and underscores aside), then embedded structs.
    fn has_member(
        &self,
        package: &ScannedPackage,
        type_name: &str,
        go_name: &str,
        depth: usize,
    ) -> bool {
        if depth > 8 {
            return false;
        }
        let has_method = package.methods.get(type_name).is_some_and(|methods| {
            methods
                .iter()
                .any(|m| is_exported(m) && m.eq_ignore_ascii_case(go_name))
        });
        if has_method {
            return true;
        }
        let Some(TypeShape::Struct(fields)) = package.types.get(type_name) else {
            return false;
        };
        let exported = |field: &&StructField| field.name.as_deref().is_some_and(is_exported);
        if let Some(tag) = &self.config.struct_tag {
            let tagged = fields.iter().filter(exported).any(|field| {
                field
                    .tag
                    .as_deref()
                    .and_then(|raw| struct_tag_value(raw, tag))
                    .is_some_and(|value| equal_field_name(value, go_name))
            });
            if tagged {
                return true;
            }
        }
        if fields
            .iter()
            .filter(exported)
            .any(|field| equal_field_name(field.name.as_deref().unwrap_or(""), go_name))
        {
            return true;
        }
        fields.iter().any(|field| {
            field.name.is_none()
                && field
                    .embedded
                    .as_deref()
                    .is_some_and(|embedded| self.has_member(package, embedded, go_name, depth + 1))
        })
    }
}

/// `example.com/x/model.Type` → (`example.com/x/model`, `Type`).
fn split_model(model: &str) -> Option<(&str, &str)> {
    let slash = model.rfind('/').map_or(0, |i| i + 1);
    let dot = model[slash..].rfind('.')? + slash;
    Some((&model[..dot], &model[dot + 1..]))
}

fn is_exported(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

/// gqlgen's `equalFieldName`: case-insensitive, underscores ignored.
fn equal_field_name(a: &str, b: &str) -> bool {
    a.replace('_', "").eq_ignore_ascii_case(&b.replace('_', ""))
}

/// The value of `key` in a Go struct tag (`json:"dueDate,omitempty"`),
/// options dropped.
fn struct_tag_value<'t>(tag: &'t str, key: &str) -> Option<&'t str> {
    let mut rest = tag.trim();
    while !rest.is_empty() {
        let colon = rest.find(':')?;
        let name = rest[..colon].trim();
        let after = rest[colon + 1..].strip_prefix('"')?;
        let end = after.find('"')?;
        if name == key {
            return after[..end].split(',').next();
        }
        rest = after[end + 1..].trim_start();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn render(go: &GoType) -> String {
        go.render(&mut |package| Some(package.name.clone()))
    }

    fn setup(yml: &str, schema: &str) -> (tempfile::TempDir, GqlgenConfig, Schema) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("graph/model")).unwrap();
        fs::create_dir_all(root.join("graph/scalars")).unwrap();
        fs::write(root.join("go.mod"), "module example.com/svc\n\ngo 1.19\n").unwrap();
        fs::write(
            root.join("graph/model/models.go"),
            "package model\n\nimport \"time\"\n\ntype Assignment struct {\n\tID    string\n\tTitle string `json:\"heading\"`\n\tDue   *time.Time\n}\n\nfunc (a Assignment) Score() int { return 0 }\n\ntype Role string\n",
        )
        .unwrap();
        fs::write(
            root.join("graph/scalars/scalars.go"),
            "package scalars\n\nimport \"time\"\n\ntype Date time.Time\n\ntype Cursor string\n\nfunc MarshalTimestamp(t time.Time) Marshaler { return nil }\n\ntype Payload map[string]interface{}\n",
        )
        .unwrap();
        fs::write(root.join("schema.graphqls"), schema).unwrap();
        let config = GqlgenConfig::from_yaml(&root.join("gqlgen.yml"), yml).unwrap();
        let schema = Schema::builder()
            .adopt_orphan_extensions()
            .parse(schema, root.join("schema.graphqls"))
            .build()
            .unwrap();
        (dir, config, schema)
    }

    const SCHEMA: &str = r#"
scalar Time
scalar Date
scalar Timestamp
scalar Cursor
scalar Payload
scalar Unbound
scalar Upload
enum Role { ADMIN }
enum Color { RED }
interface Node { id: ID! }
input NewAssignment { title: String! }
type Assignment implements Node { id: ID! title: String! due: Time score: Int! }
type Course { id: ID! }
type Query { node: Node }
"#;

    const YML: &str = r#"
schema: schema.graphqls
model:
  filename: graph/model/models_gen.go
  package: model
autobind:
  - example.com/svc/graph/model
models:
  Date:
    model: example.com/svc/graph/scalars.Date
  Timestamp:
    model: example.com/svc/graph/scalars.Timestamp
  Cursor:
    model: example.com/svc/graph/scalars.Cursor
  Payload:
    model: example.com/svc/graph/scalars.Payload
  ID:
    model:
      - github.com/99designs/gqlgen/graphql.IntID
      - github.com/99designs/gqlgen/graphql.ID
"#;

    fn ty(text: &str) -> Type {
        let doc =
            apollo_compiler::ast::Document::parse(format!("type T {{ f: {text} }}"), "t.graphql")
                .unwrap();
        let apollo_compiler::ast::Definition::ObjectTypeDefinition(object) = &doc.definitions[0]
        else {
            unreachable!()
        };
        object.fields[0].ty.clone()
    }

    #[test]
    fn maps_scalars_like_gqlgen() {
        let (_dir, config, schema) = setup(YML, SCHEMA);
        let binder = Binder::new(&schema, &config, config.model_package().unwrap());
        let cases = [
            ("String!", "string"),
            ("String", "*string"),
            ("Int!", "int"),
            ("Float", "*float64"),
            ("Boolean!", "bool"),
            ("ID!", "int"),
            ("Time!", "time.Time"),
            ("Time", "*time.Time"),
            ("[Time!]!", "[]*time.Time"),
            ("Date", "*scalars.Date"),
            ("Timestamp!", "time.Time"),
            ("Cursor", "*scalars.Cursor"),
            ("Payload", "scalars.Payload"),
            ("Unbound", "*string"),
            ("Upload!", "graphql.Upload"),
            ("[String]", "[]*string"),
            ("[String!]!", "[]string"),
            ("[[Int!]]", "[][]int"),
        ];
        for (graphql, go) in cases {
            assert_eq!(render(&binder.type_ref(&ty(graphql))), go, "{graphql}");
        }
    }

    #[test]
    fn maps_objects_enums_inputs_and_interfaces() {
        let (_dir, config, schema) = setup(YML, SCHEMA);
        let binder = Binder::new(&schema, &config, config.model_package().unwrap());
        let arguments = [
            ("NewAssignment!", "model.NewAssignment"),
            ("NewAssignment", "*model.NewAssignment"),
            ("[NewAssignment!]!", "[]*model.NewAssignment"),
            ("Role!", "model.Role"),
            ("Role", "*model.Role"),
            ("[Role!]!", "[]model.Role"),
            ("Color", "*model.Color"),
            ("Node", "model.Node"),
            ("[Node!]!", "[]model.Node"),
        ];
        for (graphql, go) in arguments {
            assert_eq!(render(&binder.type_ref(&ty(graphql))), go, "{graphql}");
        }
        let results = [
            ("Assignment!", "*model.Assignment"),
            ("Assignment", "*model.Assignment"),
            ("[Assignment!]!", "[]*model.Assignment"),
            ("[Assignment]", "[]*model.Assignment"),
            ("Course!", "*model.Course"),
            ("Time!", "*time.Time"),
            ("String!", "string"),
            ("Node", "model.Node"),
        ];
        for (graphql, go) in results {
            assert_eq!(
                render(&binder.resolver_result(&ty(graphql))),
                go,
                "{graphql}"
            );
        }
        assert_eq!(
            render(&binder.object_param("Assignment")),
            "*model.Assignment"
        );
    }

    #[test]
    fn honours_pointer_options() {
        let yml = format!(
            "{YML}omit_slice_element_pointers: true\nresolvers_always_return_pointers: false\n"
        );
        let (_dir, config, schema) = setup(&yml, SCHEMA);
        let binder = Binder::new(&schema, &config, config.model_package().unwrap());
        assert_eq!(
            render(&binder.type_ref(&ty("[Assignment!]!"))),
            "[]model.Assignment"
        );
        assert_eq!(
            render(&binder.resolver_result(&ty("Assignment!"))),
            "model.Assignment"
        );
    }

    #[test]
    fn knows_which_model_fields_exist() {
        let yml = format!("{YML}struct_tag: json\n");
        let (_dir, config, schema) = setup(&yml, SCHEMA);
        let binder = Binder::new(&schema, &config, config.model_package().unwrap());
        assert_eq!(binder.model_field("Assignment", "ID"), ModelField::Present);
        assert_eq!(
            binder.model_field("Assignment", "Heading"),
            ModelField::Present
        );
        assert_eq!(
            binder.model_field("Assignment", "Score"),
            ModelField::Present
        );
        assert_eq!(
            binder.model_field("Assignment", "CreatedDate"),
            ModelField::Absent
        );
        // Course is generated by gqlgen, with every field.
        assert_eq!(
            binder.model_field("Course", "Anything"),
            ModelField::Present
        );
    }

    #[test]
    fn schema_directives_bind_like_models_entries() {
        let schema = r#"
directive @goModel(model: String, models: [String!]) on OBJECT | INPUT_OBJECT | SCALAR | ENUM | INTERFACE | UNION
directive @goField(forceResolver: Boolean, name: String) on INPUT_FIELD_DEFINITION | FIELD_DEFINITION
type Query { me: Member }
type Member @goModel(model: "example.com/svc/graph/model.Assignment") {
  heading: String! @goField(name: "Title")
  due: String @goField(forceResolver: true)
  id: ID!
}
"#;
        let yml = format!("{YML}  Member:\n    fields:\n      id:\n        resolver: true\n");
        let (_dir, config, schema) = setup(&yml, schema);
        let binder = Binder::new(&schema, &config, config.model_package().unwrap());
        assert_eq!(render(&binder.object_param("Member")), "*model.Assignment");
        assert_eq!(
            render(&binder.resolver_result(&ty("Member"))),
            "*model.Assignment"
        );
        let heading = binder.field_binding("Member", "heading").unwrap();
        assert_eq!(heading.field_name.as_deref(), Some("Title"));
        assert!(!heading.resolver);
        assert!(binder.field_binding("Member", "due").unwrap().resolver);
        // gqlgen.yml's own entries stay where no directive speaks.
        assert!(binder.field_binding("Member", "id").unwrap().resolver);
        assert_eq!(binder.model_field("Member", "Title"), ModelField::Present);
        assert_eq!(binder.model_field("Member", "Heading"), ModelField::Absent);
    }

    #[test]
    fn splits_model_strings_and_tags() {
        assert_eq!(
            split_model("github.com/99designs/gqlgen/graphql.Time"),
            Some(("github.com/99designs/gqlgen/graphql", "Time"))
        );
        assert_eq!(
            split_model("example.com/v2/x.Y"),
            Some(("example.com/v2/x", "Y"))
        );
        assert_eq!(split_model("nodot"), None);
        assert_eq!(
            struct_tag_value(r#"json:"due,omitempty" db:"d""#, "json"),
            Some("due")
        );
        assert_eq!(
            struct_tag_value(r#"json:"due,omitempty" db:"d""#, "db"),
            Some("d")
        );
        assert_eq!(struct_tag_value(r#"json:"due""#, "gql"), None);
        assert!(equal_field_name("created_date", "CreatedDate"));
    }
}
