//! Reading fields and keys out of parsed SDL.

use crate::schema::loaded::LoadedSchema;
use apollo_compiler::ast;

/// Object and interface field definitions of one parsed file, with the
/// type they belong to.
pub fn field_definitions(
    doc: &ast::Document,
) -> impl Iterator<Item = (&str, bool, &apollo_compiler::Node<ast::FieldDefinition>)> {
    doc.definitions.iter().flat_map(|def| {
        let (name, interface, fields): (
            &str,
            bool,
            &[apollo_compiler::Node<ast::FieldDefinition>],
        ) = match def {
            ast::Definition::ObjectTypeDefinition(d) => (d.name.as_str(), false, &d.fields),
            ast::Definition::ObjectTypeExtension(d) => (d.name.as_str(), false, &d.fields),
            ast::Definition::InterfaceTypeDefinition(d) => (d.name.as_str(), true, &d.fields),
            ast::Definition::InterfaceTypeExtension(d) => (d.name.as_str(), true, &d.fields),
            _ => ("", false, &[]),
        };
        fields.iter().map(move |f| (name, interface, f))
    })
}

/// The top-level field names of each `@key(fields: …)` on a type.
pub fn key_fields(loaded: &LoadedSchema, type_name: &str) -> Vec<Vec<String>> {
    let key = loaded.federation.directive("key");
    let Some(ty) = loaded.schema.types.get(type_name) else {
        return Vec::new();
    };
    ty.directives()
        .get_all(key)
        .filter_map(|d| d.specified_argument_by_name("fields"))
        .filter_map(|v| v.as_str().map(top_level_names))
        .collect()
}

/// `"id sku variation { id }"` → `["id", "sku", "variation"]`.
pub fn top_level_names(field_set: &str) -> Vec<String> {
    let mut depth = 0usize;
    let mut names = Vec::new();
    for token in field_set
        .replace('{', " { ")
        .replace('}', " } ")
        .split_whitespace()
    {
        match token {
            "{" => depth += 1,
            "}" => depth = depth.saturating_sub(1),
            name if depth == 0 => names.push(name.to_string()),
            _ => {}
        }
    }
    names
}
