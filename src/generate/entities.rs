//! Federation entity finders, named and typed as gqlgen's federation plugin
//! makes them: one `find<Type>By<Keys>` per `@key` of each resolvable entity,
//! compound keys joined with `And`, nested keys flattened
//! (`sku variation { id }` → `FindProductBySkuAndVariationID`), and
//! `findMany…s(reps: […Input]!)` for `@entityResolver(multi: true)`.

use apollo_compiler::Schema;
use apollo_compiler::ast::Type;
use apollo_compiler::schema::{Component, Directive, DirectiveList, ExtendedType, ObjectType};

use crate::golang::naming::Initialisms;

/// One method of gqlgen's `EntityResolver`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntityFinder {
    /// The entity type.
    pub entity: String,
    /// The GraphQL field on gqlgen's synthetic `Entity` type: `findProductBySkuAndPackage`.
    pub field: String,
    pub arguments: Vec<FinderArgument>,
    /// For `findMany…`: the generated input type holding one representation.
    pub multi_input: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FinderArgument {
    /// The GraphQL argument name gqlgen gives the key field (`packageArg`).
    pub name: String,
    pub ty: Type,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("@key(fields: {fields:?}) on {entity}: field {field:?} is not defined on {entity}")]
    UnknownKeyField {
        entity: String,
        fields: String,
        field: String,
    },
    #[error("@key(fields: {fields:?}) on {entity}: unbalanced braces")]
    Malformed { entity: String, fields: String },
}

/// Every finder gqlgen's `Entity` type would have, entities sorted by name.
pub(crate) fn entity_finders(
    schema: &Schema,
    federation_version: u32,
    naming: &Initialisms,
) -> Result<Vec<EntityFinder>, KeyError> {
    let mut entities: Vec<&ObjectType> = schema
        .types
        .values()
        .filter_map(|ty| match ty {
            ExtendedType::Object(object) if !keys(&object.directives).is_empty() => {
                Some(object.as_ref())
            }
            _ => None,
        })
        .collect();
    entities.sort_by(|a, b| a.name.cmp(&b.name));

    let mut finders = Vec::new();
    for entity in entities {
        if all_fields_external(entity, federation_version) {
            continue;
        }
        let multi = entity
            .directives
            .get("entityResolver")
            .and_then(|d| d.specified_argument_by_name("multi"))
            .and_then(|v| v.to_bool())
            .unwrap_or(false);
        for key in keys(&entity.directives) {
            let fields = key
                .specified_argument_by_name("fields")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let paths = parse_field_set(fields).ok_or_else(|| KeyError::Malformed {
                entity: entity.name.to_string(),
                fields: fields.to_string(),
            })?;
            let mut arguments = Vec::new();
            let mut go_names = Vec::new();
            for path in &paths {
                let ty = key_field_type(schema, entity, path).ok_or_else(|| {
                    KeyError::UnknownKeyField {
                        entity: entity.name.to_string(),
                        fields: fields.to_string(),
                        field: path.join("."),
                    }
                })?;
                go_names.push(
                    path.iter()
                        .map(|part| naming.to_go(part))
                        .collect::<String>(),
                );
                let name = path
                    .iter()
                    .enumerate()
                    .map(|(i, part)| {
                        if i == 0 {
                            naming.to_go_private(part)
                        } else {
                            naming.to_go(part)
                        }
                    })
                    .collect::<String>();
                arguments.push(FinderArgument { name, ty });
            }
            let by = format!("{}By{}", entity.name, go_names.join("And"));
            let (field, multi_input) = if multi {
                let plural = format!("{by}s");
                (format!("findMany{plural}"), Some(format!("{plural}Input")))
            } else {
                (format!("find{by}"), None)
            };
            finders.push(EntityFinder {
                entity: entity.name.to_string(),
                field,
                arguments,
                multi_input,
            });
        }
    }
    Ok(finders)
}

/// An entity only other services resolve needs no finder here: every field is
/// `@external`, or, in federation 2, it is `resolvable: false` and the
/// remaining fields are its keys.
fn all_fields_external(entity: &ObjectType, federation_version: u32) -> bool {
    let first_key = keys(&entity.directives).into_iter().next();
    let resolvable = first_key
        .and_then(|key| key.specified_argument_by_name("resolvable"))
        .and_then(|v| v.to_bool())
        .unwrap_or(true);
    let key_fields: Vec<String> = first_key
        .and_then(|key| key.specified_argument_by_name("fields"))
        .and_then(|v| v.as_str())
        .and_then(parse_field_set)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|path| path.into_iter().next())
        .collect();
    entity.fields.values().all(|field| {
        let implicitly_external = federation_version == 2
            && !resolvable
            && key_fields.iter().any(|k| k == field.name.as_str());
        implicitly_external || is_external(&field.directives)
    })
}

/// The fields an entity's `@key`s name at their top level: `"sku variation
/// { id }"` names `sku` and `variation`.
pub(crate) fn key_field_names(entity: &ObjectType) -> Vec<String> {
    keys(&entity.directives)
        .into_iter()
        .filter_map(|key| key.specified_argument_by_name("fields")?.as_str())
        .filter_map(parse_field_set)
        .flatten()
        .filter_map(|path| path.into_iter().next())
        .collect()
}

/// The `@key` directives, under their federation 2 namespaced name too.
fn keys(directives: &DirectiveList) -> Vec<&Component<Directive>> {
    directives
        .iter()
        .filter(|d| d.name == "key" || d.name == "federation__key")
        .collect()
}

/// `@external`, under its federation 2 namespaced name too.
pub(crate) fn is_external(directives: &apollo_compiler::ast::DirectiveList) -> bool {
    directives.has("external") || directives.has("federation__external")
}

/// The type of a (possibly nested) key field.
fn key_field_type(schema: &Schema, entity: &ObjectType, path: &[String]) -> Option<Type> {
    let mut fields = &entity.fields;
    let mut ty = None;
    for (i, part) in path.iter().enumerate() {
        let field = fields.get(part.as_str())?;
        ty = Some(field.ty.clone());
        if i + 1 < path.len() {
            match schema.types.get(field.ty.inner_named_type())? {
                ExtendedType::Object(object) => fields = &object.fields,
                ExtendedType::Interface(interface) => fields = &interface.fields,
                _ => return None,
            }
        }
    }
    ty
}

/// gqlgen's `fieldset.New`: `"sku variation { id name }"` →
/// `[[sku], [variation, id], [variation, name]]`.
pub(crate) fn parse_field_set(raw: &str) -> Option<Vec<Vec<String>>> {
    let mut paths = Vec::new();
    let mut prefix: Vec<String> = Vec::new();
    let mut pending: Option<String> = None;
    let mut word = String::new();
    let flush_word = |word: &mut String,
                      pending: &mut Option<String>,
                      prefix: &[String],
                      paths: &mut Vec<Vec<String>>| {
        if word.is_empty() {
            return;
        }
        if let Some(previous) = pending.take() {
            let mut path = prefix.to_vec();
            path.push(previous);
            paths.push(path);
        }
        *pending = Some(std::mem::take(word));
    };
    for c in raw.chars() {
        match c {
            '{' => {
                flush_word(&mut word, &mut pending, &prefix, &mut paths);
                prefix.push(pending.take()?);
            }
            '}' => {
                flush_word(&mut word, &mut pending, &prefix, &mut paths);
                if let Some(last) = pending.take() {
                    let mut path = prefix.clone();
                    path.push(last);
                    paths.push(path);
                }
                prefix.pop()?;
            }
            c if c.is_whitespace() || c == ',' => {
                flush_word(&mut word, &mut pending, &prefix, &mut paths)
            }
            c => word.push(c),
        }
    }
    flush_word(&mut word, &mut pending, &prefix, &mut paths);
    if let Some(last) = pending.take() {
        let mut path = prefix.clone();
        path.push(last);
        paths.push(path);
    }
    prefix.is_empty().then_some(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(raw: &str) -> Vec<String> {
        parse_field_set(raw)
            .unwrap()
            .into_iter()
            .map(|p| p.join("."))
            .collect()
    }

    #[test]
    fn parses_field_sets_like_gqlgen() {
        assert_eq!(paths("id"), vec!["id"]);
        assert_eq!(paths("sku package"), vec!["sku", "package"]);
        assert_eq!(paths("sku variation { id }"), vec!["sku", "variation.id"]);
        assert_eq!(
            paths("upc variation{id name} owner { org { id } }"),
            vec!["upc", "variation.id", "variation.name", "owner.org.id"]
        );
        assert_eq!(parse_field_set("a { b"), None);
        assert_eq!(parse_field_set("{ b }"), None);
    }

    fn schema(sdl: &str) -> Schema {
        Schema::builder()
            .adopt_orphan_extensions()
            .parse(
                "scalar _FieldSet\ndirective @key(fields: _FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE\ndirective @external on FIELD_DEFINITION | OBJECT\ndirective @entityResolver(multi: Boolean) on OBJECT\n",
                "federation/directives.graphql",
            )
            .parse(sdl, "schema.graphqls")
            .build()
            .unwrap()
    }

    fn names(finders: &[EntityFinder]) -> Vec<String> {
        finders
            .iter()
            .map(|f| {
                let args: Vec<String> = f
                    .arguments
                    .iter()
                    .map(|a| format!("{}: {}", a.name, a.ty))
                    .collect();
                format!("{}({})", f.field, args.join(", "))
            })
            .collect()
    }

    #[test]
    fn names_finders_for_simple_compound_and_nested_keys() {
        let schema = schema(
            r#"
type Query { a: Int }
type Variation { id: ID! name: String }
type Product @key(fields: "sku package") @key(fields: "sku variation { id }") {
  sku: String!
  package: String!
  variation: Variation!
}
extend type Assignment @key(fields: "id") { id: ID! @external createdDate: String }
extend type User @key(fields: "kaid") { kaid: String! @external }
type Course @key(fields: "id") @entityResolver(multi: true) { id: ID! }
"#,
        );
        let finders = entity_finders(&schema, 1, &Initialisms::default()).unwrap();
        assert_eq!(
            names(&finders),
            vec![
                "findAssignmentByID(id: ID!)",
                "findManyCourseByIDs(id: ID!)",
                "findProductBySkuAndPackage(sku: String!, packageArg: String!)",
                "findProductBySkuAndVariationID(sku: String!, variationID: ID!)",
            ]
        );
        assert_eq!(finders[1].multi_input.as_deref(), Some("CourseByIDsInput"));
    }

    #[test]
    fn federation_two_skips_unresolvable_entities() {
        let schema = schema(
            r#"
type Query { a: Int }
type User @key(fields: "id", resolvable: false) { id: ID! }
type Team @key(fields: "id") { id: ID! }
"#,
        );
        assert_eq!(
            names(&entity_finders(&schema, 2, &Initialisms::default()).unwrap()),
            vec!["findTeamByID(id: ID!)"]
        );
        assert_eq!(
            names(&entity_finders(&schema, 1, &Initialisms::default()).unwrap()),
            vec!["findTeamByID(id: ID!)", "findUserByID(id: ID!)"]
        );
    }

    #[test]
    fn namespaced_federation_two_directives_count() {
        let schema = Schema::builder()
            .parse(
                "scalar federation__FieldSet\ndirective @federation__key(fields: federation__FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE\ndirective @federation__external on FIELD_DEFINITION | OBJECT\n",
                "prelude.graphql",
            )
            .parse(
                "type Query { a: Int }\ntype Team @federation__key(fields: \"id\") { id: ID! }\ntype Ref @federation__key(fields: \"id\") { id: ID! @federation__external }\n",
                "schema.graphqls",
            )
            .build()
            .unwrap();
        assert_eq!(
            names(&entity_finders(&schema, 2, &Initialisms::default()).unwrap()),
            vec!["findTeamByID(id: ID!)"]
        );
    }

    #[test]
    fn unknown_key_fields_are_reported() {
        let schema = schema("type Query { a: Int }\ntype T @key(fields: \"nope\") { id: ID! }\n");
        assert!(matches!(
            entity_finders(&schema, 1, &Initialisms::default()),
            Err(KeyError::UnknownKeyField { .. })
        ));
    }
}
