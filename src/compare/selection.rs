//! Reading a response along the document that asked for it: which fields
//! an object holds (fragments applied by the object's type, fields of one
//! response key merged), and what a selection needs to be sent on its own
//! (its fragments and variables).

use crate::compare::rewrite::TYPENAME_ALIAS;
use apollo_compiler::ast::Value as AstValue;
use apollo_compiler::executable::{ExecutableDocument, Field, Selection, SelectionSet};
use apollo_compiler::{Name, Node, Schema};
use serde_json::{Map, Value};
use std::fmt;

/// One response key of an object, with every field selected under it.
#[derive(Debug)]
pub struct FieldGroup<'d> {
    pub response_key: &'d str,
    pub fields: Vec<&'d Node<Field>>,
}

impl<'d> FieldGroup<'d> {
    pub fn name(&self) -> &'d str {
        self.fields[0].name.as_str()
    }

    /// The selections under this key, merged.
    pub fn sub_selections(&self) -> Vec<&'d SelectionSet> {
        self.fields.iter().map(|f| &f.selection_set).collect()
    }
}

/// The object's concrete type: from the `__typename` ferry added (or the
/// operation's own), else the selection's type when that is an object.
pub fn runtime_type<'v>(
    schema: &Schema,
    static_type: &'v str,
    object: &'v Map<String, Value>,
) -> Option<&'v str> {
    object
        .get(TYPENAME_ALIAS)
        .or_else(|| object.get("__typename"))
        .and_then(Value::as_str)
        .or_else(|| schema.get_object(static_type).map(|_| static_type))
}

/// The fields the selections ask of an object of `runtime` type, grouped
/// by response key in the order of first appearance.
pub fn collect_fields<'d>(
    document: &'d ExecutableDocument,
    schema: &Schema,
    sets: &[&'d SelectionSet],
    runtime: Option<&str>,
) -> Vec<FieldGroup<'d>> {
    let mut groups: Vec<FieldGroup<'d>> = Vec::new();
    let mut visited: Vec<&'d Name> = Vec::new();
    for set in sets {
        collect_into(document, schema, set, runtime, &mut groups, &mut visited);
    }
    groups
}

fn applies(schema: &Schema, condition: &str, runtime: Option<&str>) -> bool {
    match runtime {
        Some(runtime) => condition == runtime || schema.is_subtype(condition, runtime),
        // Unknown: the response tells by holding the fields or not.
        None => true,
    }
}

fn collect_into<'d>(
    document: &'d ExecutableDocument,
    schema: &Schema,
    set: &'d SelectionSet,
    runtime: Option<&str>,
    groups: &mut Vec<FieldGroup<'d>>,
    visited: &mut Vec<&'d Name>,
) {
    for selection in &set.selections {
        match selection {
            Selection::Field(field) => {
                let key = field.response_key().as_str();
                match groups.iter_mut().find(|g| g.response_key == key) {
                    Some(group) => group.fields.push(field),
                    None => groups.push(FieldGroup {
                        response_key: key,
                        fields: vec![field],
                    }),
                }
            }
            Selection::InlineFragment(inline) => {
                let condition = inline.type_condition.as_deref().unwrap_or(set.ty.as_str());
                if applies(schema, condition, runtime) {
                    collect_into(
                        document,
                        schema,
                        &inline.selection_set,
                        runtime,
                        groups,
                        visited,
                    );
                }
            }
            Selection::FragmentSpread(spread) => {
                if visited.contains(&&spread.fragment_name) {
                    continue;
                }
                let Some(fragment) = document.fragments.get(&spread.fragment_name) else {
                    continue;
                };
                if applies(schema, fragment.type_condition(), runtime) {
                    visited.push(&spread.fragment_name);
                    collect_into(
                        document,
                        schema,
                        &fragment.selection_set,
                        runtime,
                        groups,
                        visited,
                    );
                }
            }
        }
    }
}

/// The named fragments a selection uses, directly or through each other.
pub fn used_fragments<'d>(
    document: &'d ExecutableDocument,
    sets: &[&'d SelectionSet],
) -> Vec<&'d Name> {
    let mut found: Vec<&'d Name> = Vec::new();
    let mut stack: Vec<&'d SelectionSet> = sets.to_vec();
    while let Some(set) = stack.pop() {
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => stack.push(&field.selection_set),
                Selection::InlineFragment(inline) => stack.push(&inline.selection_set),
                Selection::FragmentSpread(spread) => {
                    if found.contains(&&spread.fragment_name) {
                        continue;
                    }
                    if let Some(fragment) = document.fragments.get(&spread.fragment_name) {
                        found.push(&spread.fragment_name);
                        stack.push(&fragment.selection_set);
                    }
                }
            }
        }
    }
    found
}

/// The variables that fields, their arguments and directives use, through
/// the fragments they spread.
pub fn used_variables<'d>(
    document: &'d ExecutableDocument,
    fields: &[&'d Node<Field>],
) -> Vec<&'d Name> {
    let mut names: Vec<&'d Name> = Vec::new();
    let mut sets: Vec<&'d SelectionSet> = Vec::new();
    for field in fields {
        variables_of_field(field, &mut names);
        sets.push(&field.selection_set);
    }
    for fragment in used_fragments(document, &sets) {
        for directive in document.fragments[fragment].directives.iter() {
            for argument in &directive.arguments {
                variables_in(&argument.value, &mut names);
            }
        }
        sets.push(&document.fragments[fragment].selection_set);
    }
    while let Some(set) = sets.pop() {
        for directive in set.selections.iter().flat_map(|s| s.directives().iter()) {
            for argument in &directive.arguments {
                variables_in(&argument.value, &mut names);
            }
        }
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => {
                    for argument in &field.arguments {
                        variables_in(&argument.value, &mut names);
                    }
                    sets.push(&field.selection_set);
                }
                Selection::InlineFragment(inline) => sets.push(&inline.selection_set),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    names
}

fn variables_of_field<'d>(field: &'d Field, names: &mut Vec<&'d Name>) {
    for argument in &field.arguments {
        variables_in(&argument.value, names);
    }
    for directive in field.directives.iter() {
        for argument in &directive.arguments {
            variables_in(&argument.value, names);
        }
    }
}

fn variables_in<'d>(value: &'d AstValue, names: &mut Vec<&'d Name>) {
    match value {
        AstValue::Variable(name) if !names.contains(&name) => names.push(name),
        AstValue::List(items) => items.iter().for_each(|v| variables_in(v, names)),
        AstValue::Object(fields) => fields.iter().for_each(|(_, v)| variables_in(v, names)),
        _ => {}
    }
}

/// A step of a response path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// Where a value sits in a response: `classroom.assignments[0].title`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ResponsePath(pub Vec<PathSegment>);

impl ResponsePath {
    pub fn child_key(&self, key: &str) -> ResponsePath {
        let mut path = self.clone();
        path.0.push(PathSegment::Key(key.to_string()));
        path
    }

    pub fn child_index(&self, index: usize) -> ResponsePath {
        let mut path = self.clone();
        path.0.push(PathSegment::Index(index));
        path
    }

    /// The value at this path under `data`.
    pub fn lookup<'v>(&self, data: &'v Value) -> Option<&'v Value> {
        self.0
            .iter()
            .try_fold(data, |value, segment| match segment {
                PathSegment::Key(key) => value.get(key),
                PathSegment::Index(i) => value.get(i),
            })
    }

    /// Whether a GraphQL error's `path` is this one or below it.
    pub fn covers(&self, error_path: &[Value]) -> bool {
        error_path.len() >= self.0.len()
            && self
                .0
                .iter()
                .zip(error_path)
                .all(|(segment, step)| match segment {
                    PathSegment::Key(key) => step.as_str() == Some(key),
                    PathSegment::Index(i) => step.as_u64() == Some(*i as u64),
                })
    }
}

impl fmt::Display for ResponsePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if i == 0 => write!(f, "{key}")?,
                PathSegment::Key(key) => write!(f, ".{key}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}
