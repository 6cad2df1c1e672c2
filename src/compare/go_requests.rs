//! What the Go services are asked: a root field as its own operation (the
//! field with its arguments, variables, fragments and sub-selection), an
//! entity field through `_entities(representations: …)`, the
//! representations of one operation batched per type and selection. Built
//! on the parsed document and serialized by apollo-compiler.

use crate::compare::occurrences::{Occurrence, Outcome, error_at};
use crate::compare::rewrite::PreparedOperation;
use crate::compare::selection::{used_fragments, used_variables};
use crate::compare::targets::{TargetKind, Targets};
use apollo_compiler::ast::{FieldDefinition, Type, Value as AstValue, VariableDefinition};
use apollo_compiler::executable::{
    DirectiveList, ExecutableDocument, Field, InlineFragment, Operation, OperationType,
    SelectionSet,
};
use apollo_compiler::{Name, Node};
use serde_json::{Map, Value};

/// The variable that carries the representations.
const REPRESENTATIONS: &str = "_ferry_representations";
/// At most this many representations in one `_entities` request.
pub const BATCH: usize = 100;

/// Where a request's answer holds one occurrence's value.
#[derive(Debug, Clone)]
pub enum Locator {
    Root { response_key: String },
    Entity { index: usize, response_key: String },
}

/// One request to a Go service and the occurrences it answers.
#[derive(Debug, Clone)]
pub struct GoRequest {
    pub service: String,
    pub body: Value,
    /// `(occurrence index, where its value is)`.
    pub slots: Vec<(usize, Locator)>,
}

/// The occurrences of one entity type answered by one `_entities` request.
struct EntityBatch {
    service: String,
    type_name: String,
    /// The fields asked of each entity, distinct, one per response key.
    fields: Vec<Field>,
    representations: Vec<Value>,
    /// `(occurrence index, representation index, response key)`.
    slots: Vec<(usize, usize, String)>,
}

impl EntityBatch {
    /// Whether `field` can be asked in this batch: already in it, or its
    /// response key is free (two fields under one key would conflict).
    fn takes(&self, field: &Field, representation: &Value) -> bool {
        let key = field.response_key();
        let field_fits = self
            .fields
            .iter()
            .all(|f| f.response_key() != key || f == field);
        let room =
            self.representations.len() < BATCH || self.representations.contains(representation);
        field_fits && room
    }
}

/// The requests that answer every occurrence: one per root field, and one
/// `_entities` request per service and entity type with every field asked
/// of it (more when over [`BATCH`] representations or when two fields
/// share a response key).
pub fn go_requests(
    prepared: &PreparedOperation,
    targets: &Targets,
    occurrences: &[Occurrence],
) -> Vec<GoRequest> {
    let mut requests = Vec::new();
    let mut batches: Vec<EntityBatch> = Vec::new();
    for (i, occurrence) in occurrences.iter().enumerate() {
        let target = &targets.list[occurrence.target];
        let field = merged_field(&occurrence.fields);
        match target.kind {
            TargetKind::Root => {
                let response_key = occurrence.response_key.to_string();
                requests.push(GoRequest {
                    service: target.service.clone(),
                    body: root_request(prepared, field),
                    slots: vec![(i, Locator::Root { response_key })],
                });
            }
            TargetKind::Entity => {
                let Some(representation) = occurrence.representation.clone() else {
                    continue;
                };
                let found = batches.iter().position(|b| {
                    b.service == target.service
                        && b.type_name == occurrence.parent_type
                        && b.takes(&field, &representation)
                });
                let batch = match found {
                    Some(at) => &mut batches[at],
                    None => {
                        batches.push(EntityBatch {
                            service: target.service.clone(),
                            type_name: occurrence.parent_type.clone(),
                            fields: Vec::new(),
                            representations: Vec::new(),
                            slots: Vec::new(),
                        });
                        batches.last_mut().expect("just pushed")
                    }
                };
                let response_key = field.response_key().to_string();
                if !batch.fields.contains(&field) {
                    batch.fields.push(field);
                }
                let index = match batch
                    .representations
                    .iter()
                    .position(|r| *r == representation)
                {
                    Some(index) => index,
                    None => {
                        batch.representations.push(representation);
                        batch.representations.len() - 1
                    }
                };
                batch.slots.push((i, index, response_key));
            }
        }
    }
    for batch in batches {
        requests.push(GoRequest {
            service: batch.service,
            body: entities_request(
                prepared,
                &batch.type_name,
                batch.fields,
                batch.representations,
            ),
            slots: batch
                .slots
                .into_iter()
                .map(|(occurrence, index, response_key)| {
                    (
                        occurrence,
                        Locator::Entity {
                            index,
                            response_key,
                        },
                    )
                })
                .collect(),
        });
    }
    requests
}

/// The field as sent: the first selection under the key, with the
/// sub-selections of all of them.
fn merged_field(fields: &[&Node<Field>]) -> Field {
    let mut field = fields[0].as_ref().clone();
    for other in &fields[1..] {
        field
            .selection_set
            .selections
            .extend(other.selection_set.selections.iter().cloned());
    }
    field
}

fn root_request(prepared: &PreparedOperation, field: Field) -> Value {
    let operation = prepared.operation();
    let query_type = operation.selection_set.ty.clone();
    let mut selection_set = SelectionSet::new(query_type);
    let variables = variables_for(prepared, std::slice::from_ref(&field));
    selection_set.push(field);
    let document = document_with(prepared, operation.name.clone(), variables.0, selection_set);
    request_body(&document, prepared, variables.1)
}

fn entities_request(
    prepared: &PreparedOperation,
    type_name: &str,
    fields: Vec<Field>,
    representations: Vec<Value>,
) -> Value {
    let (mut definitions, mut values) = variables_for(prepared, &fields);
    let any_list = Type::Named(Name::new_unchecked("_Any"))
        .non_null()
        .list()
        .non_null();
    definitions.push(Node::new(VariableDefinition {
        name: Name::new_unchecked(REPRESENTATIONS),
        ty: Node::new(any_list.clone()),
        default_value: None,
        directives: Default::default(),
    }));
    values.insert(REPRESENTATIONS.into(), Value::Array(representations));
    let type_name = Name::new_unchecked(type_name);
    let mut on_type = InlineFragment::with_type_condition(type_name.clone());
    on_type.selection_set.extend(fields);
    let entity_union = Name::new_unchecked("_Entity");
    let entities_definition = FieldDefinition {
        description: None,
        name: Name::new_unchecked("_entities"),
        arguments: Vec::new(),
        ty: Type::Named(entity_union.clone()).list().non_null(),
        directives: Default::default(),
    };
    let mut entities = Field::new(
        Name::new_unchecked("_entities"),
        Node::new(entities_definition),
    )
    .with_argument(
        Name::new_unchecked("representations"),
        AstValue::Variable(Name::new_unchecked(REPRESENTATIONS)),
    );
    entities.selection_set = SelectionSet::new(entity_union);
    entities.selection_set.push(on_type);
    let operation = prepared.operation();
    let mut selection_set = SelectionSet::new(operation.selection_set.ty.clone());
    selection_set.push(entities);
    let document = document_with(prepared, operation.name.clone(), definitions, selection_set);
    request_body(&document, prepared, values)
}

/// The operation's variable definitions the fields use, and their values.
fn variables_for(
    prepared: &PreparedOperation,
    fields: &[Field],
) -> (Vec<Node<VariableDefinition>>, Map<String, Value>) {
    let nodes: Vec<Node<Field>> = fields.iter().cloned().map(Node::new).collect();
    let used = used_variables(&prepared.document, &nodes.iter().collect::<Vec<_>>());
    let operation = prepared.operation();
    let definitions: Vec<Node<VariableDefinition>> = operation
        .variables
        .iter()
        .filter(|v| used.contains(&&v.name))
        .cloned()
        .collect();
    let values = definitions
        .iter()
        .filter_map(|d| {
            prepared
                .variables
                .get(d.name.as_str())
                .map(|v| (d.name.to_string(), v.clone()))
        })
        .collect();
    (definitions, values)
}

fn document_with(
    prepared: &PreparedOperation,
    name: Option<Name>,
    variables: Vec<Node<VariableDefinition>>,
    selection_set: SelectionSet,
) -> ExecutableDocument {
    let mut document = ExecutableDocument::new();
    let used = used_fragments(&prepared.document, &[&selection_set]);
    for (fragment_name, fragment) in &prepared.document.fragments {
        if used.contains(&fragment_name) {
            document
                .fragments
                .insert(fragment_name.clone(), fragment.clone());
        }
    }
    document.operations.insert(Operation {
        operation_type: OperationType::Query,
        name,
        variables,
        directives: DirectiveList::default(),
        selection_set,
    });
    document
}

fn request_body(
    document: &ExecutableDocument,
    prepared: &PreparedOperation,
    variables: Map<String, Value>,
) -> Value {
    let mut body = Map::new();
    body.insert(
        "query".into(),
        Value::String(document.serialize().no_indent().to_string()),
    );
    body.insert("variables".into(), Value::Object(variables));
    if let Some(name) = &prepared.operation_name {
        body.insert("operationName".into(), Value::String(name.to_string()));
    }
    Value::Object(body)
}

/// Each slot's outcome in a Go answer.
pub fn go_outcome(answer: &Value, locator: &Locator) -> Outcome {
    let (steps, value): (Vec<Value>, Option<&Value>) = match locator {
        Locator::Root { response_key } => (
            vec![Value::String(response_key.clone())],
            answer.get("data").and_then(|d| d.get(response_key)),
        ),
        Locator::Entity {
            index,
            response_key,
        } => (
            vec![
                Value::String("_entities".into()),
                Value::from(*index),
                Value::String(response_key.clone()),
            ],
            answer
                .get("data")
                .and_then(|d| d.get("_entities"))
                .and_then(|e| e.get(index))
                .and_then(|entity| entity.get(response_key)),
        ),
    };
    let concerns = |error_path: Option<&[Value]>| match error_path {
        None => true,
        // The error's path is a prefix of this slot's, or below it.
        Some(path) => path.iter().zip(&steps).all(|(a, b)| a == b),
    };
    if let Some(message) = error_at(answer, concerns) {
        return Outcome::Error(message);
    }
    match value {
        Some(value) => Outcome::Data(value.clone()),
        None if answer.get("data").is_some_and(|d| !d.is_null()) => Outcome::Data(Value::Null),
        None => Outcome::Error("the answer has no data".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::occurrences::find_occurrences;
    use crate::compare::operations::RecordedOperation;
    use crate::compare::rewrite::prepare;
    use crate::compare::targets::{EntityKeys, Target};
    use crate::model::inventory::FieldCoordinate;
    use apollo_compiler::Schema;
    use apollo_compiler::validation::Valid;
    use serde_json::json;

    const SDL: &str = r#"
        directive @key(fields: String!) repeatable on OBJECT
        type Query { assignment(id: ID!): Assignment  classroom(id: ID!): Classroom }
        type Classroom { id: ID! assignments: [Assignment!]! }
        type Assignment @key(fields: "id") { id: ID! title(upper: Boolean): String! }
    "#;

    fn prepared(
        query: &str,
        variables: Value,
        targets: &Targets,
        keys: &EntityKeys,
        schema: &Valid<Schema>,
    ) -> PreparedOperation {
        let recorded = RecordedOperation {
            origin: "op.graphql".into(),
            query: query.into(),
            variables: variables.as_object().unwrap().clone(),
            operation_name: None,
            count: 1,
        };
        prepare(schema, targets, keys, recorded).remove(0).unwrap()
    }

    fn setup() -> (Valid<Schema>, Targets, EntityKeys) {
        let schema = Schema::parse_and_validate(SDL, "s.graphql").unwrap();
        let mut targets = Targets::default();
        for (type_name, field, kind) in [
            ("Query", "assignment", TargetKind::Root),
            ("Assignment", "title", TargetKind::Entity),
        ] {
            targets.push(Target {
                coordinate: FieldCoordinate::new(type_name, field),
                service: "assignments".into(),
                kind,
            });
        }
        let mut keys = EntityKeys::default();
        assert!(keys.insert(&schema, "Assignment", "id"));
        (schema, targets, keys)
    }

    #[test]
    fn root_fields_go_alone_and_entity_fields_are_batched_through_entities() {
        let (schema, targets, keys) = setup();
        let op = prepared(
            "query Page($id: ID!, $up: Boolean, $cid: ID!) { a: assignment(id: $id) { title(upper: $up) } classroom(id: $cid) { assignments { ...T } } } fragment T on Assignment { title(upper: $up) }",
            json!({"id": "asg_1", "up": false, "cid": "c"}),
            &targets,
            &keys,
            &schema,
        );
        let data = json!({"data": {
            "a": {"title": "One", "_ferry_typename": "Assignment", "_ferry_key_id": "asg_1"},
            "classroom": {"assignments": [
                {"title": "One", "_ferry_typename": "Assignment", "_ferry_key_id": "asg_1"},
                {"title": "Two", "_ferry_typename": "Assignment", "_ferry_key_id": "asg_2"}
            ]}
        }});
        let occurrences = find_occurrences(&op, &schema, &targets, &data["data"]);
        let paths: Vec<String> = occurrences.iter().map(|o| o.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "a",
                "a.title",
                "classroom.assignments[0].title",
                "classroom.assignments[1].title"
            ]
        );
        let requests = go_requests(&op, &targets, &occurrences);
        let queries: Vec<&str> = requests
            .iter()
            .map(|r| r.body["query"].as_str().unwrap())
            .collect();
        assert_eq!(
            queries,
            [
                "query Page($id: ID!, $up: Boolean) { a: assignment(id: $id) { title(upper: $up) _ferry_typename: __typename _ferry_key_id: id } }",
                "query Page($up: Boolean, $_ferry_representations: [_Any!]!) { _entities(representations: $_ferry_representations) { ... on Assignment { title(upper: $up) } } }",
            ]
        );
        // One representation for asg_1 although it occurs twice.
        assert_eq!(
            requests[1].body["variables"],
            json!({"up": false, "_ferry_representations": [
                {"__typename": "Assignment", "id": "asg_1"},
                {"__typename": "Assignment", "id": "asg_2"}
            ]})
        );
        assert_eq!(requests[1].slots.len(), 3);
        let answer = json!({"data": {"_entities": [{"title": "One"}, null]}, "errors": [{"message": "boom", "path": ["_entities", 1, "title"]}]});
        let Locator::Entity { index, .. } = &requests[1].slots[2].1 else {
            panic!()
        };
        assert_eq!(*index, 1);
        assert_eq!(
            go_outcome(&answer, &requests[1].slots[0].1),
            Outcome::Data(json!("One"))
        );
        assert_eq!(
            go_outcome(&answer, &requests[1].slots[2].1),
            Outcome::Error("boom".into())
        );
    }
}
