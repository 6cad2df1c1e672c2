//! What is compared: each selected field with the Go service that answers
//! for it and how it is asked (a root field directly, an entity field
//! through `_entities`), and the keys of the entities on the way.

use crate::model::inventory::{FieldCoordinate, FieldKind, FieldRecord};
use crate::model::project::Project;
use crate::schema::loaded::LoadedSchema;
use apollo_compiler::Schema;
use apollo_compiler::executable::{FieldSet, SelectionSet};
use apollo_compiler::validation::Valid;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// A field of `Query`: sent to its Go service as its own operation.
    Root,
    /// A field of an entity: fetched through `_entities` with the key of
    /// the object Python returned it on.
    Entity,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub coordinate: FieldCoordinate,
    pub service: String,
    pub kind: TargetKind,
}

/// A selected field ferry does not compare, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NotCompared {
    pub field: String,
    pub reason: String,
}

/// The fields being compared, looked up by `(type, field)`.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    pub list: Vec<Target>,
    index: HashMap<(String, String), usize>,
}

impl Targets {
    pub fn find(&self, type_name: &str, field_name: &str) -> Option<usize> {
        self.index
            .get(&(type_name.to_string(), field_name.to_string()))
            .copied()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Whether a field of this name on this (possibly abstract) type could
    /// be one being compared.
    pub fn may_select(&self, schema: &Schema, type_name: &str, field_name: &str) -> bool {
        self.list.iter().any(|t| {
            t.coordinate.field_name == field_name
                && (t.coordinate.type_name == type_name
                    || schema.is_subtype(type_name, &t.coordinate.type_name))
        })
    }

    pub fn push(&mut self, target: Target) {
        let key = (
            target.coordinate.type_name.clone(),
            target.coordinate.field_name.clone(),
        );
        self.index.insert(key, self.list.len());
        self.list.push(target);
    }
}

/// The key fields of each entity type, as a selection on the monolith's
/// schema: what ferry adds to what it sends so it can build
/// representations and match lists of entities.
#[derive(Debug, Clone, Default)]
pub struct EntityKeys {
    by_type: HashMap<String, SelectionSet>,
}

impl EntityKeys {
    pub fn get(&self, type_name: &str) -> Option<&SelectionSet> {
        self.by_type.get(type_name)
    }

    /// Types with a key, for the abstract selections that may hold them.
    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.by_type.keys().map(String::as_str)
    }

    /// Parses `fields` as the key of `type_name`; false when it does not fit the schema.
    pub fn insert(&mut self, schema: &Valid<Schema>, type_name: &str, fields: &str) -> bool {
        if self.by_type.contains_key(type_name) {
            return true;
        }
        let Ok(name) = apollo_compiler::Name::new(type_name) else {
            return false;
        };
        match FieldSet::parse_and_validate(schema, name, fields, "@key") {
            Ok(set) => {
                self.by_type
                    .insert(type_name.to_string(), set.into_inner().selection_set);
                true
            }
            Err(_) => false,
        }
    }
}

/// The first `@key(fields: …)` of a type in one schema.
fn declared_key(loaded: &LoadedSchema, type_name: &str) -> Option<String> {
    let key = loaded.federation.directive("key");
    loaded.schema.types.get(type_name).and_then(|ty| {
        ty.directives()
            .get(key)
            .and_then(|d| d.specified_argument_by_name("fields"))
            .and_then(|v| v.as_str().map(str::to_string))
    })
}

/// The targets for the selected fields, the keys they need, and the
/// fields that cannot be compared with the reason.
pub fn plan_targets(
    project: &Project,
    fields: &[&FieldRecord],
) -> (Targets, EntityKeys, Vec<NotCompared>) {
    let schema = Valid::assume_valid_ref(&project.monolith.schema);
    let mut targets = Targets::default();
    let mut keys = EntityKeys::default();
    let mut refused = Vec::new();
    let mut refuse = |field: &FieldRecord, reason: String| {
        refused.push(NotCompared {
            field: field.coordinate.to_string(),
            reason,
        })
    };
    for field in fields {
        let Some(service) = field.service.clone() else {
            refuse(field, "no Go service serves it yet".into());
            continue;
        };
        if field.monolith.is_none() {
            refuse(
                field,
                "not in the monolith's schema: nothing to compare".into(),
            );
            continue;
        }
        let kind = match field.kind {
            FieldKind::Query => TargetKind::Root,
            FieldKind::Object => TargetKind::Entity,
            FieldKind::Mutation => {
                refuse(
                    field,
                    "a mutation: never replayed (its side effects would run twice)".into(),
                );
                continue;
            }
            FieldKind::Subscription => {
                refuse(field, "a subscription: not replayed".into());
                continue;
            }
            FieldKind::Interface => {
                refuse(
                    field,
                    "an interface field: compare the fields of the types implementing it".into(),
                );
                continue;
            }
        };
        if kind == TargetKind::Entity {
            let type_name = &field.coordinate.type_name;
            let key = project
                .service(&service)
                .and_then(|(_, loaded)| declared_key(loaded, type_name));
            let Some(key) = key else {
                refuse(
                    field,
                    format!(
                        "`{type_name}` has no @key in service `{service}`: compare the field that returns it"
                    ),
                );
                continue;
            };
            if !keys.insert(schema, type_name, &key) {
                refuse(
                    field,
                    format!(
                        "the key `{key}` of `{type_name}` in service `{service}` is not in the monolith's schema"
                    ),
                );
                continue;
            }
        }
        targets.push(Target {
            coordinate: field.coordinate.clone(),
            service,
            kind,
        });
    }
    // Every other entity's key, for matching lists of entities.
    for (name, _) in project.monolith.schema.types.iter() {
        if let Some(key) = declared_key(&project.monolith, name)
            .or_else(|| project.workspace.python.keys.get(name.as_str()).cloned())
        {
            keys.insert(schema, name, &key);
        }
    }
    (targets, keys, refused)
}
