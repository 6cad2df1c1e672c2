//! Which declared types are in the schema: the ones its roots reach, one
//! class per GraphQL name. Shared by the class-based frameworks.

use std::collections::{HashSet, VecDeque};

use super::program::ScopeRef;

/// Every class reachable from `roots`, `next` giving a class's neighbours
/// (field types, interfaces, union members, …).
pub fn reachable(
    roots: Vec<ScopeRef>,
    mut next: impl FnMut(ScopeRef) -> Vec<ScopeRef>,
) -> HashSet<ScopeRef> {
    let mut reached = HashSet::new();
    let mut queue: VecDeque<ScopeRef> = roots.into_iter().collect();
    while let Some(class) = queue.pop_front() {
        if reached.insert(class) {
            queue.extend(next(class));
        }
    }
    reached
}

/// The declared types that are in the schema, with their GraphQL names.
/// Without schema roots every declared type counts. Two classes of one name
/// cannot both be in a schema: the first (in file order) is kept.
pub fn schema_types<T>(
    declared: Vec<(ScopeRef, T)>,
    roots: Vec<ScopeRef>,
    next: impl FnMut(ScopeRef) -> Vec<ScopeRef>,
    name: impl Fn(ScopeRef, &T) -> String,
) -> Vec<(ScopeRef, T, String)> {
    let reached = (!roots.is_empty()).then(|| reachable(roots, next));
    let mut names = HashSet::new();
    declared
        .into_iter()
        .filter(|(class, _)| {
            reached
                .as_ref()
                .is_none_or(|reached| reached.contains(class))
        })
        .filter_map(|(class, kind)| {
            let type_name = name(class, &kind);
            names
                .insert(type_name.clone())
                .then_some((class, kind, type_name))
        })
        .collect()
}
