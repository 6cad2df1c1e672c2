//! The federation definitions a subgraph schema uses without declaring them:
//! injected as a prelude so a service's files validate on their own.

use apollo_compiler::ast;
use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FederationVersion {
    V1,
    V2,
}

/// How this schema spells the federation directives: v2 schemas may import
/// them under other names, or use them as `@federation__key`.
#[derive(Debug, Clone)]
pub struct FederationNames {
    pub version: FederationVersion,
    /// Whether the documents say which form they use: a federation v2
    /// `@link`, or a v1 directive (`@key`, `@external`, …) applied somewhere.
    /// An empty or plain schema (a new service's) says nothing.
    pub stated: bool,
    /// Spec name (`key`) → the name used in this schema (`key`, `primaryKey`, `federation__key`).
    directives: BTreeMap<&'static str, String>,
    /// The spec names the `@link` imports (under whatever local name).
    imported: BTreeSet<&'static str>,
    /// The `@link(as:)` namespace: `federation` unless renamed.
    prefix: String,
    /// The version of the `@link` url (`v2.3` → `(2, 3)`), for v2.
    pub link_version: Option<(u32, u32)>,
    field_set: String,
    link_prefix: String,
}

const V1_DIRECTIVES: &[(&str, &str)] = &[
    (
        "key",
        "(fields: {FieldSet}!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE",
    ),
    ("external", " on FIELD_DEFINITION | OBJECT"),
    ("requires", "(fields: {FieldSet}!) on FIELD_DEFINITION"),
    ("provides", "(fields: {FieldSet}!) on FIELD_DEFINITION"),
    ("extends", " on OBJECT | INTERFACE"),
];

const V2_DIRECTIVES: &[(&str, &str)] = &[
    (
        "key",
        "(fields: {FieldSet}!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE",
    ),
    ("external", "(reason: String) on OBJECT | FIELD_DEFINITION"),
    ("requires", "(fields: {FieldSet}!) on FIELD_DEFINITION"),
    ("provides", "(fields: {FieldSet}!) on FIELD_DEFINITION"),
    ("extends", " on OBJECT | INTERFACE"),
    ("shareable", " repeatable on OBJECT | FIELD_DEFINITION"),
    (
        "override",
        "(from: String!, label: String) on FIELD_DEFINITION",
    ),
    (
        "inaccessible",
        " on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION",
    ),
    (
        "tag",
        "(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA",
    ),
    ("interfaceObject", " on OBJECT"),
    ("composeDirective", "(name: String!) repeatable on SCHEMA"),
    (
        "authenticated",
        " on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    ),
];

/// What a federation v2 `@link` url contains.
pub const FEDERATION_SPEC: &str = "specs.apollo.dev/federation/v2";

/// The minor version of the federation v2 `@link` ferry writes into a new
/// service, unless what it writes needs a later one.
pub const NEW_LINK_MINOR: u32 = 3;

/// The federation v2 minor version whose `@override` takes a `label`
/// (progressive override).
pub const PROGRESSIVE_OVERRIDE_MINOR: u32 = 7;

/// Whether federation v1 can declare a directive (v2-only ones are dropped
/// from text copied into a v1 service).
pub fn in_v1(spec_name: &str) -> bool {
    V1_DIRECTIVES.iter().any(|(name, _)| *name == spec_name)
}

/// The federation v2 minor version that introduced a directive.
pub fn introduced_in(spec_name: &str) -> u32 {
    match spec_name {
        "composeDirective" => 1,
        "interfaceObject" => 3,
        "authenticated" => 5,
        _ => 0,
    }
}

/// Where a directive goes in an `import:` list ferry writes: the spec's order.
pub fn spec_order(spec_name: &str) -> usize {
    V2_DIRECTIVES
        .iter()
        .position(|(name, _)| *name == spec_name)
        .unwrap_or(usize::MAX)
}

/// The federation directive of that spec name, if ferry knows it.
pub fn known_directive(spec_name: &str) -> Option<&'static str> {
    V2_DIRECTIVES
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == spec_name)
}

/// `https://specs.apollo.dev/federation/v2.3` → `(2, 3)`.
pub fn link_version(url: &str) -> Option<(u32, u32)> {
    let version = url.rsplit('/').next()?.strip_prefix('v')?;
    let (major, minor) = version.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// One entry of a `@link(import: [...])` list.
#[derive(Debug, Clone)]
pub struct ImportItem {
    /// As imported: `@key`, `FieldSet`.
    pub name: String,
    /// Its local name: the `as:` of `{ name: "@key", as: "@primaryKey" }`, else `name`.
    pub alias: String,
    pub span: std::ops::Range<usize>,
}

/// The entries of a `@link`'s `import:` list.
pub fn import_items(link: &ast::Directive) -> impl Iterator<Item = ImportItem> + '_ {
    link.specified_argument_by_name("import")
        .and_then(|v| v.as_list())
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let span = crate::schema::migrate_directive::span_of(item);
            match item.as_ref() {
                ast::Value::String(name) => Some(ImportItem {
                    name: name.to_string(),
                    alias: name.to_string(),
                    span,
                }),
                ast::Value::Object(fields) => {
                    let get = |key: &str| {
                        fields
                            .iter()
                            .find(|(k, _)| k.as_str() == key)
                            .and_then(|(_, v)| v.as_str())
                            .map(str::to_string)
                    };
                    let name = get("name")?;
                    let alias = get("as").unwrap_or_else(|| name.clone());
                    Some(ImportItem { name, alias, span })
                }
                _ => None,
            }
        })
}

/// The names of every directive applied anywhere in a document.
pub fn directive_uses(doc: &ast::Document) -> impl Iterator<Item = &str> {
    doc.definitions
        .iter()
        .flat_map(definition_directives)
        .map(|d| d.name.as_str())
}

type DirectiveNode = apollo_compiler::Node<ast::Directive>;

/// Every directive applied in a definition: on it, its fields and their
/// arguments, its enum values and its input fields.
pub fn definition_directives(
    definition: &ast::Definition,
) -> Box<dyn Iterator<Item = &DirectiveNode> + '_> {
    use ast::Definition as D;
    fn fields(
        fields: &[apollo_compiler::Node<ast::FieldDefinition>],
    ) -> impl Iterator<Item = &DirectiveNode> {
        fields.iter().flat_map(|f| {
            f.directives
                .iter()
                .chain(f.arguments.iter().flat_map(|a| a.directives.iter()))
        })
    }
    fn inputs(
        values: &[apollo_compiler::Node<ast::InputValueDefinition>],
    ) -> impl Iterator<Item = &DirectiveNode> {
        values.iter().flat_map(|v| v.directives.iter())
    }
    fn values(
        values: &[apollo_compiler::Node<ast::EnumValueDefinition>],
    ) -> impl Iterator<Item = &DirectiveNode> {
        values.iter().flat_map(|v| v.directives.iter())
    }
    match definition {
        D::ObjectTypeDefinition(d) => Box::new(d.directives.iter().chain(fields(&d.fields))),
        D::ObjectTypeExtension(d) => Box::new(d.directives.iter().chain(fields(&d.fields))),
        D::InterfaceTypeDefinition(d) => Box::new(d.directives.iter().chain(fields(&d.fields))),
        D::InterfaceTypeExtension(d) => Box::new(d.directives.iter().chain(fields(&d.fields))),
        D::InputObjectTypeDefinition(d) => Box::new(d.directives.iter().chain(inputs(&d.fields))),
        D::InputObjectTypeExtension(d) => Box::new(d.directives.iter().chain(inputs(&d.fields))),
        D::EnumTypeDefinition(d) => Box::new(d.directives.iter().chain(values(&d.values))),
        D::EnumTypeExtension(d) => Box::new(d.directives.iter().chain(values(&d.values))),
        D::UnionTypeDefinition(d) => Box::new(d.directives.iter()),
        D::UnionTypeExtension(d) => Box::new(d.directives.iter()),
        D::ScalarTypeDefinition(d) => Box::new(d.directives.iter()),
        D::ScalarTypeExtension(d) => Box::new(d.directives.iter()),
        D::SchemaDefinition(d) => Box::new(d.directives.iter()),
        D::SchemaExtension(d) => Box::new(d.directives.iter()),
        _ => Box::new(std::iter::empty()),
    }
}

/// The description ferry puts on the definition it adds, so that rollback
/// removes only a definition ferry wrote, never one a person did.
pub const MIGRATE_DESCRIPTION: &str =
    "\"\"\"Where this field stands in its move from the Python monolith (added by ferry).\"\"\"";

pub const MIGRATE_DEFINITION: &str =
    "directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION";

impl FederationNames {
    /// Reads the `@link` of a federation v2 schema, if any of the documents has one.
    pub fn detect<'a>(documents: impl IntoIterator<Item = &'a ast::Document>) -> FederationNames {
        let documents: Vec<&ast::Document> = documents.into_iter().collect();
        for doc in &documents {
            for def in &doc.definitions {
                let directives = match def {
                    ast::Definition::SchemaDefinition(d) => &d.directives,
                    ast::Definition::SchemaExtension(d) => &d.directives,
                    _ => continue,
                };
                for link in directives.get_all("link") {
                    let url = link
                        .specified_argument_by_name("url")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default();
                    if url.contains(FEDERATION_SPEC) {
                        return Self::v2(link, url);
                    }
                }
            }
        }
        let mut names = Self::v1();
        names.stated = documents.iter().any(|doc| directive_uses(doc).any(in_v1));
        names
    }

    /// Federation v1: every directive under its spec name.
    pub fn v1() -> FederationNames {
        FederationNames {
            version: FederationVersion::V1,
            stated: false,
            directives: V1_DIRECTIVES
                .iter()
                .map(|(name, _)| (*name, name.to_string()))
                .collect(),
            imported: BTreeSet::new(),
            prefix: String::new(),
            link_version: None,
            field_set: "_FieldSet".into(),
            link_prefix: String::new(),
        }
    }

    /// The names of a federation v2 `@link` that ferry is about to write:
    /// every directive imported under its spec name.
    pub fn new_v2_link() -> FederationNames {
        FederationNames {
            version: FederationVersion::V2,
            stated: true,
            directives: V2_DIRECTIVES
                .iter()
                .map(|(name, _)| (*name, name.to_string()))
                .collect(),
            imported: V2_DIRECTIVES.iter().map(|(name, _)| *name).collect(),
            prefix: "federation".into(),
            link_version: Some((2, NEW_LINK_MINOR)),
            field_set: "FieldSet".into(),
            link_prefix: "link".into(),
        }
    }

    fn v2(link: &ast::Directive, url: &str) -> FederationNames {
        let prefix = link
            .specified_argument_by_name("as")
            .and_then(|v| v.as_str())
            .unwrap_or("federation")
            .to_string();
        let imports: BTreeMap<String, String> = import_items(link)
            .map(|item| (item.name, item.alias))
            .collect();
        let mut imported = BTreeSet::new();
        let directives = V2_DIRECTIVES
            .iter()
            .map(|(name, _)| {
                let local = match imports.get(&format!("@{name}")) {
                    Some(alias) => {
                        imported.insert(*name);
                        alias.trim_start_matches('@').to_string()
                    }
                    None => format!("{prefix}__{name}"),
                };
                (*name, local)
            })
            .collect();
        let field_set = imports
            .get("FieldSet")
            .cloned()
            .unwrap_or_else(|| format!("{prefix}__FieldSet"));
        FederationNames {
            version: FederationVersion::V2,
            stated: true,
            directives,
            imported,
            prefix,
            link_version: link_version(url),
            field_set,
            link_prefix: "link".into(),
        }
    }

    /// Whether the `@link` imports the directive (under some local name).
    pub fn imports(&self, spec_name: &str) -> bool {
        self.imported.contains(spec_name)
    }

    /// The name a directive the `@link` does not import goes by: `federation__tag`.
    pub fn prefixed(&self, spec_name: &str) -> String {
        format!("{}__{spec_name}", self.prefix)
    }

    /// The federation directive a local name stands for (`primaryKey` →
    /// `key`), if it is one. A v1 schema has no namespaces: the v2-only
    /// names (`shareable`, `tag`, …) are read as themselves there too.
    pub fn spec_name(&self, local: &str) -> Option<&'static str> {
        if let Some((spec, _)) = self.directives.iter().find(|(_, l)| l.as_str() == local) {
            return Some(spec);
        }
        match self.version {
            FederationVersion::V1 => known_directive(local),
            FederationVersion::V2 => None,
        }
    }

    /// This schema's name for a federation directive (`key` → `key` or `federation__key`).
    pub fn directive<'a>(&'a self, spec_name: &'a str) -> &'a str {
        self.directives
            .get(spec_name)
            .map(String::as_str)
            .unwrap_or(spec_name)
    }

    /// The prelude SDL: every federation definition the documents do not
    /// define themselves, plus `@migrate` when missing.
    pub fn prelude(&self, defined: &FxHashSet<&str>) -> String {
        let mut out = String::new();
        let table = match self.version {
            FederationVersion::V1 => V1_DIRECTIVES,
            FederationVersion::V2 => V2_DIRECTIVES,
        };
        let scalar = |name: &str, out: &mut String| {
            if !defined.contains(name) {
                out.push_str(&format!("scalar {name}\n"));
            }
        };
        scalar(&self.field_set, &mut out);
        scalar("_Any", &mut out);
        if self.version == FederationVersion::V2 {
            let link = &self.link_prefix;
            scalar(&format!("{link}__Import"), &mut out);
            if !defined.contains("link") {
                out.push_str(&format!(
                    "directive @link(url: String!, as: String, import: [{link}__Import], for: {link}__Purpose) repeatable on SCHEMA\n"
                ));
            }
            if !defined.contains(format!("{link}__Purpose").as_str()) {
                out.push_str(&format!("enum {link}__Purpose {{ SECURITY EXECUTION }}\n"));
            }
        }
        for (spec_name, signature) in table {
            let local = self.directive(spec_name);
            if !defined.contains(local) {
                let signature = signature.replace("{FieldSet}", &self.field_set);
                out.push_str(&format!("directive @{local}{signature}\n"));
            }
        }
        // A subgraph needs no Query of its own: federation adds `_service`.
        if !defined.contains("Query") {
            out.push_str("type Query {\n  _service: _Service!\n}\n");
            if !defined.contains("_Service") {
                out.push_str("type _Service {\n  sdl: String\n}\n");
            }
        }
        if !defined.contains("migrate") {
            out.push_str(MIGRATE_DEFINITION);
            out.push('\n');
        }
        out
    }
}

/// Names of the directives and types a document defines itself.
pub fn defined_names(doc: &ast::Document) -> impl Iterator<Item = &str> + '_ {
    doc.definitions.iter().filter_map(|def| match def {
        ast::Definition::DirectiveDefinition(d) => Some(d.name.as_str()),
        ast::Definition::ScalarTypeDefinition(d) => Some(d.name.as_str()),
        ast::Definition::EnumTypeDefinition(d) => Some(d.name.as_str()),
        ast::Definition::ObjectTypeDefinition(d) => Some(d.name.as_str()),
        ast::Definition::InputObjectTypeDefinition(d) => Some(d.name.as_str()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sdl: &str) -> FederationNames {
        let doc = ast::Document::parse(sdl, "t.graphqls").unwrap();
        FederationNames::detect([&doc])
    }

    #[test]
    fn v1_is_the_default() {
        let n = names("type Query { a: Int }");
        assert_eq!(n.version, FederationVersion::V1);
        assert_eq!(n.directive("key"), "key");
    }

    #[test]
    fn v2_imports_renames_and_prefixed_forms() {
        let n = names(
            r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
                 import: [{name: "@key", as: "@primaryKey"}, "@shareable"])
               type Query { a: Int }"#,
        );
        assert_eq!(n.version, FederationVersion::V2);
        assert_eq!(n.directive("key"), "primaryKey");
        assert_eq!(n.directive("shareable"), "shareable");
        assert_eq!(n.directive("external"), "federation__external");
        let fed = names(
            r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", as: "fed")"#,
        );
        assert_eq!(fed.directive("key"), "fed__key");
    }

    #[test]
    fn the_prelude_lets_a_v2_subgraph_validate() {
        use crate::schema::loaded::LoadedSchema;
        use crate::schema::source::SourceFile;
        use crate::workspace::WorkspacePath;
        let sdl = r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [{name: "@key", as: "@primaryKey"}, "@shareable", "@override", "@inaccessible", "@tag", "@interfaceObject", "@composeDirective"])
type Product @primaryKey(fields: "sku") @shareable {
  sku: ID!
  name: String @override(from: "python") @federation__external @tag(name: "public")
  secret: String @inaccessible
}
"#;
        let path = WorkspacePath::new(std::path::Path::new("/"), "/s.graphqls".into());
        let loaded = LoadedSchema::load(vec![SourceFile::new(path, sdl.into(), true)]).unwrap();
        assert_eq!(loaded.federation.directive("key"), "primaryKey");
        assert!(loaded.schema.types.contains_key("Product"));
    }
}
