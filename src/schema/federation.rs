//! The federation definitions a subgraph schema uses without declaring them:
//! injected as a prelude so a service's files validate on their own.

use apollo_compiler::ast;
use std::collections::{BTreeMap, HashSet};

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
    /// Spec name (`key`) → the name used in this schema (`key`, `primaryKey`, `federation__key`).
    directives: BTreeMap<&'static str, String>,
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

/// The description ferry puts on the definition it adds, so that rollback
/// removes only a definition ferry wrote, never one a person did.
pub const MIGRATE_DESCRIPTION: &str =
    "\"\"\"Where this field stands in its move from the Python monolith (added by ferry).\"\"\"";

pub const MIGRATE_DEFINITION: &str =
    "directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION";

impl FederationNames {
    /// Reads the `@link` of a federation v2 schema, if any of the documents has one.
    pub fn detect<'a>(documents: impl IntoIterator<Item = &'a ast::Document>) -> FederationNames {
        for doc in documents {
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
                    if url.contains("specs.apollo.dev/federation/v2") {
                        return Self::v2(link);
                    }
                }
            }
        }
        FederationNames {
            version: FederationVersion::V1,
            directives: V1_DIRECTIVES
                .iter()
                .map(|(name, _)| (*name, name.to_string()))
                .collect(),
            field_set: "_FieldSet".into(),
            link_prefix: String::new(),
        }
    }

    fn v2(link: &ast::Directive) -> FederationNames {
        let prefix = link
            .specified_argument_by_name("as")
            .and_then(|v| v.as_str())
            .unwrap_or("federation")
            .to_string();
        let mut imports: BTreeMap<String, String> = BTreeMap::new();
        if let Some(list) = link
            .specified_argument_by_name("import")
            .and_then(|v| v.as_list())
        {
            for item in list {
                match item.as_ref() {
                    ast::Value::String(name) => {
                        imports.insert(name.to_string(), name.to_string());
                    }
                    ast::Value::Object(fields) => {
                        let get = |key: &str| {
                            fields
                                .iter()
                                .find(|(k, _)| k.as_str() == key)
                                .and_then(|(_, v)| v.as_str())
                                .map(str::to_string)
                        };
                        if let Some(name) = get("name") {
                            let alias = get("as").unwrap_or_else(|| name.clone());
                            imports.insert(name, alias);
                        }
                    }
                    _ => {}
                }
            }
        }
        let directives = V2_DIRECTIVES
            .iter()
            .map(|(name, _)| {
                let local = imports
                    .get(&format!("@{name}"))
                    .map(|alias| alias.trim_start_matches('@').to_string())
                    .unwrap_or_else(|| format!("{prefix}__{name}"));
                (*name, local)
            })
            .collect();
        let field_set = imports
            .get("FieldSet")
            .cloned()
            .unwrap_or_else(|| format!("{prefix}__FieldSet"));
        FederationNames {
            version: FederationVersion::V2,
            directives,
            field_set,
            link_prefix: "link".into(),
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
    pub fn prelude(&self, defined: &HashSet<String>) -> String {
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
            if !defined.contains(&format!("{link}__Purpose")) {
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
pub fn defined_names(doc: &ast::Document) -> impl Iterator<Item = String> + '_ {
    doc.definitions.iter().filter_map(|def| match def {
        ast::Definition::DirectiveDefinition(d) => Some(d.name.to_string()),
        ast::Definition::ScalarTypeDefinition(d) => Some(d.name.to_string()),
        ast::Definition::EnumTypeDefinition(d) => Some(d.name.to_string()),
        ast::Definition::ObjectTypeDefinition(d) => Some(d.name.to_string()),
        ast::Definition::InputObjectTypeDefinition(d) => Some(d.name.to_string()),
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
