//! The GraphQL-aware diff of one field's two answers: walked along the
//! field's selection with the schema's types, by value and nullness at each
//! response path; floats within a tolerance; lists in order unless the
//! field is configured unordered; lists of entities paired by key;
//! configured fields compared by nullness only.

use crate::compare::rewrite::{KEY_ALIAS_PREFIX, TYPENAME_ALIAS, is_added};
use crate::compare::selection::{ResponsePath, collect_fields, runtime_type};
use apollo_compiler::Schema;
use apollo_compiler::executable::{ExecutableDocument, SelectionSet, Type};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// The comparison rules of `[compare]`.
#[derive(Debug, Clone, Default)]
pub struct DiffRules {
    pub float_tolerance: f64,
    ignore: HashSet<(String, String)>,
    unordered: HashSet<(String, String)>,
}

fn coordinates(list: &[String]) -> HashSet<(String, String)> {
    list.iter()
        .filter_map(|c| c.split_once('.'))
        .map(|(t, f)| (t.to_string(), f.to_string()))
        .collect()
}

impl DiffRules {
    /// `ignore` and `unordered` are `Type.field` coordinates.
    pub fn new(float_tolerance: f64, ignore: &[String], unordered: &[String]) -> DiffRules {
        DiffRules {
            float_tolerance,
            ignore: coordinates(ignore),
            unordered: coordinates(unordered),
        }
    }

    fn has(set: &HashSet<(String, String)>, coordinate: Coordinate) -> bool {
        !set.is_empty() && set.contains(&(coordinate.0.to_string(), coordinate.1.to_string()))
    }

    pub fn ignores(&self, coordinate: Coordinate) -> bool {
        Self::has(&self.ignore, coordinate)
    }

    pub fn is_unordered(&self, coordinate: Coordinate) -> bool {
        Self::has(&self.unordered, coordinate)
    }

    /// Scalars (and the JSON of custom scalars) equal, numbers within the
    /// tolerance relative to their size (absolute below 1).
    pub fn leaf_equal(&self, python: &Value, go: &Value) -> bool {
        match (python, go) {
            (Value::Number(a), Value::Number(b)) => {
                if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
                    return a == b;
                }
                let (Some(a), Some(b)) = (a.as_f64(), b.as_f64()) else {
                    return a == b;
                };
                (a - b).abs() <= self.float_tolerance * 1f64.max(a.abs()).max(b.abs())
            }
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| self.leaf_equal(x, y))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, x)| b.get(k).is_some_and(|y| self.leaf_equal(x, y)))
            }
            _ => python == go,
        }
    }
}

/// `(type, field)`.
pub type Coordinate<'a> = (&'a str, &'a str);

/// Where two answers first differ, with both values there.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub path: ResponsePath,
    pub python: Value,
    pub go: Value,
}

fn differ_at(path: &ResponsePath, python: &Value, go: &Value) -> Option<Difference> {
    Some(Difference {
        path: path.clone(),
        python: python.clone(),
        go: go.clone(),
    })
}

/// The typed diff, over the document the answers were asked with.
pub struct Differ<'a> {
    pub document: &'a ExecutableDocument,
    pub schema: &'a Schema,
    pub rules: &'a DiffRules,
}

impl Differ<'_> {
    /// Compares one field's two values at `path`.
    pub fn field(
        &self,
        coordinate: Coordinate,
        ty: &Type,
        sets: &[&SelectionSet],
        python: &Value,
        go: &Value,
        path: &ResponsePath,
    ) -> Option<Difference> {
        if self.rules.ignores(coordinate) {
            return (python.is_null() != go.is_null())
                .then(|| differ_at(path, python, go))
                .flatten();
        }
        self.value(coordinate, ty, sets, python, go, path)
    }

    fn value(
        &self,
        coordinate: Coordinate,
        ty: &Type,
        sets: &[&SelectionSet],
        python: &Value,
        go: &Value,
        path: &ResponsePath,
    ) -> Option<Difference> {
        match (python, go) {
            (Value::Null, Value::Null) => return None,
            (Value::Null, _) | (_, Value::Null) => return differ_at(path, python, go),
            _ => {}
        }
        if ty.is_list() {
            let (Value::Array(p), Value::Array(g)) = (python, go) else {
                return differ_at(path, python, go);
            };
            return self.list(coordinate, ty.item_type(), sets, p, g, path);
        }
        if sets.iter().all(|s| s.selections.is_empty()) {
            return (!self.rules.leaf_equal(python, go))
                .then(|| differ_at(path, python, go))
                .flatten();
        }
        let (Value::Object(p), Value::Object(g)) = (python, go) else {
            return differ_at(path, python, go);
        };
        self.object(ty.inner_named_type(), sets, p, g, path)
    }

    fn object(
        &self,
        static_type: &str,
        sets: &[&SelectionSet],
        python: &Map<String, Value>,
        go: &Map<String, Value>,
        path: &ResponsePath,
    ) -> Option<Difference> {
        let runtime = runtime_type(self.schema, static_type, python);
        let parent = runtime.unwrap_or(static_type);
        for group in collect_fields(self.document, self.schema, sets, runtime) {
            if is_added(group.response_key) {
                continue;
            }
            let child = path.child_key(group.response_key);
            let (p, g) = match (python.get(group.response_key), go.get(group.response_key)) {
                (None, None) => continue,
                (Some(p), Some(g)) => (p, g),
                (p, g) => {
                    return differ_at(&child, p.unwrap_or(&Value::Null), g.unwrap_or(&Value::Null));
                }
            };
            let found = self.field(
                (parent, group.name()),
                group.fields[0].ty(),
                &group.sub_selections(),
                p,
                g,
                &child,
            );
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn list(
        &self,
        coordinate: Coordinate,
        item: &Type,
        sets: &[&SelectionSet],
        python: &[Value],
        go: &[Value],
        path: &ResponsePath,
    ) -> Option<Difference> {
        let unordered = self.rules.is_unordered(coordinate);
        if let (Some(p_keys), Some(g_keys)) = (entity_keys(python), entity_keys(go)) {
            let mut used = vec![false; go.len()];
            for (i, key) in p_keys.iter().enumerate() {
                let found = (0..go.len()).find(|&j| !used[j] && &g_keys[j] == key);
                let Some(j) = found else {
                    return differ_at(&path.child_index(i), &python[i], &Value::Null);
                };
                used[j] = true;
                let pair = self.value(
                    coordinate,
                    item,
                    sets,
                    &python[i],
                    &go[j],
                    &path.child_index(i),
                );
                if pair.is_some() {
                    return pair;
                }
            }
            if let Some(j) = used.iter().position(|u| !u) {
                return differ_at(&path.child_index(j), &Value::Null, &go[j]);
            }
            if !unordered && p_keys != g_keys {
                // The same entities in another order.
                return differ_at(path, &key_list(&p_keys), &key_list(&g_keys));
            }
            return None;
        }
        if unordered {
            if python.len() != go.len() {
                return differ_at(
                    path,
                    &Value::Array(python.to_vec()),
                    &Value::Array(go.to_vec()),
                );
            }
            let mut used = vec![false; go.len()];
            for (i, p) in python.iter().enumerate() {
                let at = path.child_index(i);
                let found = (0..go.len()).find(|&j| {
                    !used[j] && self.value(coordinate, item, sets, p, &go[j], &at).is_none()
                });
                match found {
                    Some(j) => used[j] = true,
                    None => return differ_at(&at, p, &Value::Null),
                }
            }
            return None;
        }
        if python.len() != go.len() {
            return differ_at(
                path,
                &Value::Array(python.to_vec()),
                &Value::Array(go.to_vec()),
            );
        }
        python
            .iter()
            .zip(go)
            .enumerate()
            .find_map(|(i, (p, g))| self.value(coordinate, item, sets, p, g, &path.child_index(i)))
    }
}

/// Each item's `Type:key` when every item is an entity with its key.
fn entity_keys(items: &[Value]) -> Option<Vec<String>> {
    items
        .iter()
        .map(|item| {
            let object = item.as_object()?;
            let type_name = object.get(TYPENAME_ALIAS)?.as_str()?;
            let key: Vec<String> = object
                .iter()
                .filter(|(k, _)| k.starts_with(KEY_ALIAS_PREFIX))
                .map(|(k, v)| format!("{}={v}", &k[KEY_ALIAS_PREFIX.len()..]))
                .collect();
            (!key.is_empty()).then(|| format!("{type_name}({})", key.join(",")))
        })
        .collect()
}

fn key_list(keys: &[String]) -> Value {
    Value::Array(keys.iter().cloned().map(Value::String).collect())
}

/// The diff of two JSON values without a selection to walk (a gateway's
/// records): objects by key, lists in order unless `unordered`.
pub fn untyped(
    rules: &DiffRules,
    unordered: bool,
    python: &Value,
    go: &Value,
    path: &ResponsePath,
) -> Option<Difference> {
    match (python, go) {
        (Value::Object(p), Value::Object(g)) => {
            let mut keys: Vec<&String> = p.keys().chain(g.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|key| {
                let (pv, gv) = (
                    p.get(key).unwrap_or(&Value::Null),
                    g.get(key).unwrap_or(&Value::Null),
                );
                untyped(rules, unordered, pv, gv, &path.child_key(key))
            })
        }
        (Value::Array(p), Value::Array(g)) if p.len() == g.len() => {
            if unordered {
                let mut used = vec![false; g.len()];
                for (i, item) in p.iter().enumerate() {
                    let at = path.child_index(i);
                    match (0..g.len())
                        .find(|&j| !used[j] && untyped(rules, true, item, &g[j], &at).is_none())
                    {
                        Some(j) => used[j] = true,
                        None => return differ_at(&at, item, &Value::Null),
                    }
                }
                None
            } else {
                p.iter()
                    .zip(g)
                    .enumerate()
                    .find_map(|(i, (a, b))| untyped(rules, false, a, b, &path.child_index(i)))
            }
        }
        _ => (!rules.leaf_equal(python, go))
            .then(|| differ_at(path, python, go))
            .flatten(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::selection::collect_fields;
    use apollo_compiler::validation::Valid;
    use serde_json::json;

    const SDL: &str = r#"
        type Query { classroom: Classroom }
        type Classroom { name: String assignments: [Assignment!]! tags: [String!]! score: Float updatedAt: String }
        type Assignment { id: ID! title: String! }
    "#;

    fn check(
        query: &str,
        rules: &DiffRules,
        python: Value,
        go: Value,
    ) -> Option<(String, Value, Value)> {
        let schema = Schema::parse_and_validate(SDL, "s.graphql").unwrap();
        let doc = ExecutableDocument::parse_and_validate(&schema, query, "q.graphql")
            .unwrap()
            .into_inner();
        let schema: &Valid<Schema> = &schema;
        let op = doc.operations.get(None).unwrap();
        let groups = collect_fields(&doc, schema, &[&op.selection_set], Some("Query"));
        let group = &groups[0];
        let differ = Differ {
            document: &doc,
            schema,
            rules,
        };
        differ
            .field(
                ("Query", group.name()),
                group.fields[0].ty(),
                &group.sub_selections(),
                &python,
                &go,
                &ResponsePath::default().child_key(group.response_key),
            )
            .map(|d| (d.path.to_string(), d.python, d.go))
    }

    fn rules() -> DiffRules {
        DiffRules::new(
            1e-6,
            &["Classroom.updatedAt".into()],
            &["Classroom.tags".into()],
        )
    }

    #[test]
    fn values_and_nullness_differ_at_their_path() {
        let q = "{ classroom { name assignments { title } } }";
        let python = json!({"name": "Algebra", "assignments": [{"title": "a"}, {"title": "b"}]});
        assert_eq!(check(q, &rules(), python.clone(), python.clone()), None);
        let go = json!({"name": "Algebra", "assignments": [{"title": "a"}, {"title": "B"}]});
        assert_eq!(
            check(q, &rules(), python.clone(), go),
            Some((
                "classroom.assignments[1].title".into(),
                json!("b"),
                json!("B")
            ))
        );
        let go = json!({"name": null, "assignments": [{"title": "a"}, {"title": "b"}]});
        assert_eq!(
            check(q, &rules(), python, go),
            Some(("classroom.name".into(), json!("Algebra"), Value::Null))
        );
    }

    #[test]
    fn floats_within_tolerance_unordered_lists_and_ignored_fields_match() {
        let q = "{ classroom { score tags updatedAt } }";
        let python = json!({"score": 0.1 + 0.2, "tags": ["a", "b"], "updatedAt": "10:00"});
        let go = json!({"score": 0.3, "tags": ["b", "a"], "updatedAt": "10:01"});
        assert_eq!(check(q, &rules(), python.clone(), go), None);
        let go = json!({"score": 0.31, "tags": ["b", "a"], "updatedAt": null});
        assert_eq!(
            check(q, &rules(), python, go),
            Some((
                "classroom.score".into(),
                json!(0.30000000000000004),
                json!(0.31)
            ))
        );
    }

    #[test]
    fn entity_lists_pair_by_key_and_report_order() {
        let q = "{ classroom { assignments { title } } }";
        let item = |id: &str, title: &str| json!({"title": title, "_ferry_typename": "Assignment", "_ferry_key_id": id});
        let python = json!({"assignments": [item("1", "a"), item("2", "b")]});
        let swapped = json!({"assignments": [item("2", "b"), item("1", "a")]});
        let (path, p, g) = check(q, &rules(), python.clone(), swapped).unwrap();
        assert_eq!(path, "classroom.assignments");
        assert_eq!(p, json!(["Assignment(id=\"1\")", "Assignment(id=\"2\")"]));
        assert_eq!(g, json!(["Assignment(id=\"2\")", "Assignment(id=\"1\")"]));
        let changed = json!({"assignments": [item("2", "B"), item("1", "a")]});
        assert_eq!(
            check(q, &rules(), python, changed),
            Some((
                "classroom.assignments[1].title".into(),
                json!("b"),
                json!("B")
            ))
        );
    }

    #[test]
    fn untyped_diff_walks_json() {
        let rules = rules();
        let path = ResponsePath::default().child_key("me");
        assert_eq!(
            untyped(
                &rules,
                false,
                &json!({"a": [1, 2.0]}),
                &json!({"a": [1, 2]}),
                &path
            ),
            None
        );
        let found = untyped(
            &rules,
            false,
            &json!({"a": [1, 2]}),
            &json!({"a": [2, 1]}),
            &path,
        )
        .unwrap();
        assert_eq!(found.path.to_string(), "me.a[0]");
        assert_eq!(
            untyped(&rules, true, &json!([1, 2]), &json!([2, 1]), &path),
            None
        );
    }
}
