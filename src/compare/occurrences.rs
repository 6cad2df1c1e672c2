//! The samples in Python's answer: every place a compared field occurs,
//! found by walking the response along the operation, with the key of the
//! object it occurs on.

use crate::compare::rewrite::{KEY_ALIAS_PREFIX, PreparedOperation, is_added};
use crate::compare::selection::{FieldGroup, ResponsePath, collect_fields, runtime_type};
use crate::compare::targets::{TargetKind, Targets};
use apollo_compiler::executable::{Field, SelectionSet};
use apollo_compiler::{Node, Schema};
use serde_json::{Map, Value};

/// One occurrence of a compared field in Python's answer.
#[derive(Debug, Clone)]
pub struct Occurrence<'d> {
    pub target: usize,
    pub path: ResponsePath,
    /// The concrete type of the object the field was read on.
    pub parent_type: String,
    pub response_key: &'d str,
    /// Every field selected under the response key.
    pub fields: Vec<&'d Node<Field>>,
    /// For an entity field, the representation `_entities` is asked with.
    pub representation: Option<Value>,
}

impl Occurrence<'_> {
    pub fn sub_selections(&self) -> Vec<&SelectionSet> {
        self.fields.iter().map(|f| &f.selection_set).collect()
    }
}

/// Either side's answer for one occurrence.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Data(Value),
    Error(String),
}

/// The occurrences of compared fields in `data`, in response order.
pub fn find_occurrences<'d>(
    prepared: &'d PreparedOperation,
    schema: &Schema,
    targets: &Targets,
    data: &Value,
) -> Vec<Occurrence<'d>> {
    let walker = Walker {
        prepared,
        schema,
        targets,
    };
    let mut found = Vec::new();
    let operation = prepared.operation();
    walker.walk(
        &[&operation.selection_set],
        &operation.selection_set.ty,
        data,
        &ResponsePath::default(),
        &mut found,
    );
    found
}

struct Walker<'d, 's> {
    prepared: &'d PreparedOperation,
    schema: &'s Schema,
    targets: &'s Targets,
}

impl<'d> Walker<'d, '_> {
    fn walk(
        &self,
        sets: &[&'d SelectionSet],
        static_type: &str,
        value: &Value,
        path: &ResponsePath,
        found: &mut Vec<Occurrence<'d>>,
    ) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(sets, static_type, item, &path.child_index(i), found);
                }
            }
            Value::Object(object) => {
                let runtime = runtime_type(self.schema, static_type, object);
                let parent = runtime.unwrap_or(static_type);
                let groups = collect_fields(&self.prepared.document, self.schema, sets, runtime);
                for group in groups {
                    if is_added(group.response_key) {
                        continue;
                    }
                    let Some(child) = object.get(group.response_key) else {
                        continue;
                    };
                    let child_path = path.child_key(group.response_key);
                    if let Some(target) = self.targets.find(parent, group.name()) {
                        self.occurrence(target, parent, &group, object, &child_path, found);
                    }
                    let inner = group.fields[0].ty().inner_named_type().to_string();
                    self.walk(&group.sub_selections(), &inner, child, &child_path, found);
                }
            }
            _ => {}
        }
    }

    fn occurrence(
        &self,
        target: usize,
        parent: &str,
        group: &FieldGroup<'d>,
        object: &Map<String, Value>,
        path: &ResponsePath,
        found: &mut Vec<Occurrence<'d>>,
    ) {
        let representation = match self.targets.list[target].kind {
            TargetKind::Root => None,
            TargetKind::Entity => match representation(parent, object) {
                Some(r) => Some(r),
                // No key to ask Go with (the object came without it).
                None => return,
            },
        };
        found.push(Occurrence {
            target,
            path: path.clone(),
            parent_type: parent.to_string(),
            response_key: group.response_key,
            fields: group.fields.clone(),
            representation,
        });
    }
}

/// `{"__typename": T, <key fields>}` from the keys ferry asked for.
fn representation(type_name: &str, object: &Map<String, Value>) -> Option<Value> {
    let mut representation = Map::new();
    representation.insert("__typename".into(), Value::String(type_name.to_string()));
    for (key, value) in object {
        if let Some(name) = key.strip_prefix(KEY_ALIAS_PREFIX) {
            if value.is_null() {
                return None;
            }
            representation.insert(name.to_string(), value.clone());
        }
    }
    (representation.len() > 1).then_some(Value::Object(representation))
}

/// What an answer says at `path`: an error when one is reported there or
/// below (or for the whole request), else the data.
pub fn outcome_at(answer: &Value, path: &ResponsePath) -> Outcome {
    if let Some(message) = error_at(answer, |error_path| match error_path {
        None => true,
        Some(steps) => path.covers(steps),
    }) {
        return Outcome::Error(message);
    }
    match answer.get("data") {
        Some(data) if !data.is_null() => {
            Outcome::Data(path.lookup(data).cloned().unwrap_or(Value::Null))
        }
        _ => Outcome::Error("the answer has no data".into()),
    }
}

/// The message of the first error whose path satisfies `applies` (given
/// `None` for an error without a path).
pub fn error_at(answer: &Value, applies: impl Fn(Option<&[Value]>) -> bool) -> Option<String> {
    answer
        .get("errors")
        .and_then(Value::as_array)?
        .iter()
        .find(|error| {
            applies(
                error
                    .get("path")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice),
            )
        })
        .map(|error| {
            error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("an error without a message")
                .to_string()
        })
}
