//! From a recorded operation to what is sent to Python: parsed and
//! validated against the monolith's schema with apollo-compiler, mutations
//! and subscriptions set aside, and every selection of an entity given
//! `__typename` and the key fields under ferry's own aliases — a rewrite
//! of the parsed document, never of its text.

use crate::compare::operations::{RecordedOperation, SkipReason, SkippedOperation};
use crate::compare::selection::used_fragments;
use crate::compare::targets::{EntityKeys, Targets};
use apollo_compiler::executable::{
    ExecutableDocument, Field, InlineFragment, Operation, OperationType, Selection, SelectionSet,
};
use apollo_compiler::validation::Valid;
use apollo_compiler::{Name, Node, Schema};
use serde_json::{Map, Value};

/// The alias under which ferry asks for `__typename`.
pub const TYPENAME_ALIAS: &str = "_ferry_typename";
/// The prefix of the aliases under which ferry asks for key fields.
pub const KEY_ALIAS_PREFIX: &str = "_ferry_key_";

/// Whether a response key is one ferry added (and so never compared).
pub fn is_added(response_key: &str) -> bool {
    response_key.starts_with("_ferry_")
}

/// One operation ready to replay.
#[derive(Debug, Clone)]
pub struct PreparedOperation {
    pub origin: String,
    /// The rewritten document: what Python is sent, and where the
    /// selections of the Go requests come from.
    pub document: ExecutableDocument,
    pub operation_name: Option<Name>,
    pub variables: Map<String, Value>,
}

impl PreparedOperation {
    pub fn operation(&self) -> &Node<Operation> {
        self.document
            .operations
            .get(self.operation_name.as_deref())
            .expect("a prepared operation names one of its document's operations")
    }

    /// The operation's name as shown in reports.
    pub fn shown_name(&self) -> Option<String> {
        self.operation_name.as_ref().map(|n| n.to_string())
    }

    /// The request body for the monolith.
    pub fn python_request(&self) -> Value {
        let mut body = Map::new();
        body.insert(
            "query".into(),
            Value::String(self.document.serialize().no_indent().to_string()),
        );
        body.insert("variables".into(), Value::Object(self.variables.clone()));
        if let Some(name) = &self.operation_name {
            body.insert("operationName".into(), Value::String(name.to_string()));
        }
        Value::Object(body)
    }
}

/// The operations of one recorded document that are replayed (one, or every
/// operation of a file that names none), and those that are skipped.
pub fn prepare(
    schema: &Valid<Schema>,
    targets: &Targets,
    keys: &EntityKeys,
    recorded: RecordedOperation,
) -> Vec<Result<PreparedOperation, SkippedOperation>> {
    let skip = |operation: Option<String>, reason: SkipReason, message: String| SkippedOperation {
        origin: recorded.origin.clone(),
        operation,
        reason,
        message,
    };
    let document =
        match ExecutableDocument::parse_and_validate(schema, &recorded.query, &recorded.origin) {
            Ok(valid) => valid.into_inner(),
            Err(with_errors) => {
                // Later errors often explain the first (an unknown field
                // leaves an empty selection): a few of them, located.
                const SHOWN: usize = 3;
                let message = with_errors
                    .errors
                    .iter()
                    .take(SHOWN)
                    .map(|d| {
                        let at = d
                            .line_column_range()
                            .map(|r| format!("{}:{}: ", r.start.line, r.start.column))
                            .unwrap_or_default();
                        format!("{at}{}", d.error)
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                return vec![Err(skip(
                    recorded.operation_name.clone(),
                    SkipReason::Invalid,
                    message,
                ))];
            }
        };
    let names: Vec<Option<Name>> = match &recorded.operation_name {
        Some(name) => match document.operations.get(Some(name)) {
            Ok(_) => vec![Some(Name::new_unchecked(name))],
            Err(e) => {
                return vec![Err(skip(
                    Some(name.clone()),
                    SkipReason::Invalid,
                    e.message().to_string(),
                ))];
            }
        },
        None => document
            .operations
            .iter()
            .map(|op| op.name.clone())
            .collect(),
    };
    let mut rewritten = document.clone();
    add_keys(&mut rewritten, schema, keys, targets);
    names
        .into_iter()
        .map(|name| {
            let operation = document
                .operations
                .get(name.as_deref())
                .expect("named from the document");
            let shown = name.as_ref().map(|n| n.to_string());
            match operation.operation_type {
                OperationType::Mutation => {
                    return Err(skip(
                        shown,
                        SkipReason::Mutation,
                        "a mutation: never replayed, its side effects would run again".into(),
                    ));
                }
                OperationType::Subscription => {
                    return Err(skip(
                        shown,
                        SkipReason::Subscription,
                        "a subscription: not replayed".into(),
                    ));
                }
                OperationType::Query => {}
            }
            if !selects_a_target(&document, schema, targets, &operation.selection_set) {
                return Err(skip(
                    shown,
                    SkipReason::NoComparedField,
                    "selects none of the fields being compared".into(),
                ));
            }
            Ok(PreparedOperation {
                origin: recorded.origin.clone(),
                document: only_operation(&rewritten, name.as_deref()),
                operation_name: name,
                variables: recorded.variables.clone(),
            })
        })
        .collect()
}

/// The document with just one of its operations and the fragments it
/// uses: a server must not be handed operations or fragments it does not run.
fn only_operation(document: &ExecutableDocument, name: Option<&str>) -> ExecutableDocument {
    let mut single = ExecutableDocument::new();
    if let Ok(operation) = document.operations.get(name) {
        let used = used_fragments(document, &[&operation.selection_set]);
        single.operations.insert(operation.clone());
        for (name, fragment) in &document.fragments {
            if used.contains(&name) {
                single.fragments.insert(name.clone(), fragment.clone());
            }
        }
    }
    single
}

fn selects_a_target(
    document: &ExecutableDocument,
    schema: &Schema,
    targets: &Targets,
    set: &SelectionSet,
) -> bool {
    let mut seen_fragments = Vec::new();
    selects_a_target_in(document, schema, targets, set, &mut seen_fragments)
}

fn selects_a_target_in<'d>(
    document: &'d ExecutableDocument,
    schema: &Schema,
    targets: &Targets,
    set: &'d SelectionSet,
    seen_fragments: &mut Vec<&'d Name>,
) -> bool {
    set.selections.iter().any(|selection| match selection {
        Selection::Field(field) => {
            targets.may_select(schema, &set.ty, &field.name)
                || selects_a_target_in(
                    document,
                    schema,
                    targets,
                    &field.selection_set,
                    seen_fragments,
                )
        }
        Selection::InlineFragment(inline) => selects_a_target_in(
            document,
            schema,
            targets,
            &inline.selection_set,
            seen_fragments,
        ),
        Selection::FragmentSpread(spread) => {
            if seen_fragments.contains(&&spread.fragment_name) {
                return false;
            }
            seen_fragments.push(&spread.fragment_name);
            document
                .fragments
                .get(&spread.fragment_name)
                .is_some_and(|fragment| {
                    selects_a_target_in(
                        document,
                        schema,
                        targets,
                        &fragment.selection_set,
                        seen_fragments,
                    )
                })
        }
    })
}

/// Adds `_ferry_typename: __typename` and `_ferry_key_<f>: <f>` to every
/// selection of an entity type (and `__typename` with `... on T { keys }`
/// to abstract selections that may hold a compared entity), in every
/// operation and fragment.
pub fn add_keys(
    document: &mut ExecutableDocument,
    schema: &Schema,
    keys: &EntityKeys,
    targets: &Targets,
) {
    let additions = Additions {
        schema,
        keys,
        targets,
    };
    if let Some(operation) = document.operations.anonymous.as_mut() {
        additions.selection_set(&mut operation.make_mut().selection_set);
    }
    for operation in document.operations.named.values_mut() {
        additions.selection_set(&mut operation.make_mut().selection_set);
    }
    for fragment in document.fragments.values_mut() {
        additions.selection_set(&mut fragment.make_mut().selection_set);
    }
}

struct Additions<'a> {
    schema: &'a Schema,
    keys: &'a EntityKeys,
    targets: &'a Targets,
}

impl Additions<'_> {
    fn selection_set(&self, set: &mut SelectionSet) {
        for selection in &mut set.selections {
            match selection {
                Selection::Field(field) if !field.selection_set.selections.is_empty() => {
                    self.selection_set(&mut field.make_mut().selection_set)
                }
                Selection::InlineFragment(inline) => {
                    self.selection_set(&mut inline.make_mut().selection_set)
                }
                _ => {}
            }
        }
        let is_object = self.schema.get_object(&set.ty).is_some();
        if is_object {
            if let Some(key) = self.keys.get(&set.ty) {
                self.add_typename(set);
                self.add_key_fields(set, key);
            }
            return;
        }
        let is_abstract = self.schema.get_interface(&set.ty).is_some()
            || self.schema.get_union(&set.ty).is_some();
        if !is_abstract {
            return;
        }
        self.add_typename(set);
        let mut entity_types: Vec<&str> = self
            .targets
            .list
            .iter()
            .map(|t| t.coordinate.type_name.as_str())
            .filter(|t| self.schema.is_subtype(&set.ty, t))
            .collect();
        entity_types.sort_unstable();
        entity_types.dedup();
        for type_name in entity_types {
            let Some(key) = self.keys.get(type_name) else {
                continue;
            };
            let mut inline = InlineFragment::with_type_condition(Name::new_unchecked(type_name));
            self.add_key_fields(&mut inline.selection_set, key);
            set.push(inline);
        }
    }

    fn add_typename(&self, set: &mut SelectionSet) {
        if has_response_key(set, TYPENAME_ALIAS) {
            return;
        }
        let Ok(definition) = self.schema.type_field(&set.ty, "__typename") else {
            return;
        };
        let field = Field::new(Name::new_unchecked("__typename"), definition.node.clone())
            .with_alias(Name::new_unchecked(TYPENAME_ALIAS));
        set.push(field);
    }

    fn add_key_fields(&self, set: &mut SelectionSet, key: &SelectionSet) {
        for key_field in key.fields() {
            let alias = format!("{KEY_ALIAS_PREFIX}{}", key_field.name);
            if has_response_key(set, &alias) {
                continue;
            }
            let mut field = key_field.as_ref().clone();
            field.alias = Some(Name::new_unchecked(&alias));
            set.push(field);
        }
    }
}

fn has_response_key(set: &SelectionSet, key: &str) -> bool {
    set.fields().any(|f| f.response_key() == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::targets::{Target, TargetKind};
    use crate::model::inventory::FieldCoordinate;

    const SDL: &str = r#"
        directive @key(fields: String!) repeatable on OBJECT
        type Query { assignment(id: ID!): Assignment  node: Timestamped }
        interface Timestamped { createdDate: String }
        type Assignment implements Timestamped @key(fields: "id") {
          id: ID! title: String! createdDate: String
        }
        type Mutation { rename(id: ID!): Assignment }
    "#;

    fn setup() -> (Valid<Schema>, Targets, EntityKeys) {
        let schema = Schema::parse_and_validate(SDL, "schema.graphql").unwrap();
        let mut targets = Targets::default();
        targets.push(Target {
            coordinate: FieldCoordinate::new("Assignment", "title"),
            service: "assignments".into(),
            kind: TargetKind::Entity,
        });
        let mut keys = EntityKeys::default();
        assert!(keys.insert(&schema, "Assignment", "id"));
        (schema, targets, keys)
    }

    fn recorded(query: &str) -> RecordedOperation {
        RecordedOperation {
            origin: "op.graphql".into(),
            query: query.into(),
            variables: Map::new(),
            operation_name: None,
            count: 1,
        }
    }

    #[test]
    fn entity_selections_get_typename_and_key_under_ferry_aliases() {
        let (schema, targets, keys) = setup();
        let prepared = prepare(
            &schema,
            &targets,
            &keys,
            recorded("query Page { assignment(id: \"a\") { title } node { createdDate } }"),
        );
        let op = prepared.into_iter().next().unwrap().unwrap();
        let text = op.document.serialize().no_indent().to_string();
        assert_eq!(
            text,
            "query Page { assignment(id: \"a\") { title _ferry_typename: __typename _ferry_key_id: id } node { createdDate _ferry_typename: __typename ... on Assignment { _ferry_key_id: id } } }"
        );
        // What ferry sends still validates.
        ExecutableDocument::parse_and_validate(&schema, text, "sent.graphql").unwrap();
    }

    #[test]
    fn mutations_invalid_and_unrelated_operations_are_skipped_with_the_reason() {
        let (schema, targets, keys) = setup();
        let reasons = |query: &str| -> Vec<SkipReason> {
            prepare(&schema, &targets, &keys, recorded(query))
                .into_iter()
                .map(|r| {
                    r.map(|_| SkipReason::Unreadable)
                        .unwrap_or_else(|s| s.reason)
                })
                .collect()
        };
        assert_eq!(
            reasons("mutation { rename(id: \"a\") { title } }"),
            [SkipReason::Mutation]
        );
        assert_eq!(
            reasons("{ assignment(id: \"a\") { titel } }"),
            [SkipReason::Invalid]
        );
        assert_eq!(
            reasons("{ assignment(id: \"a\") { id } }"),
            [SkipReason::NoComparedField]
        );
        let both = prepare(
            &schema,
            &targets,
            &keys,
            recorded(
                "query A { assignment(id: \"a\") { title } } mutation B { rename(id: \"a\") { id } }",
            ),
        );
        assert_eq!(both.len(), 2);
        let first = both[0].as_ref().unwrap();
        assert_eq!(first.shown_name().as_deref(), Some("A"));
        assert!(
            !first.python_request()["query"]
                .as_str()
                .unwrap()
                .contains("mutation")
        );
        assert_eq!(both[1].as_ref().unwrap_err().reason, SkipReason::Mutation);
    }
}
