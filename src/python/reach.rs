//! Which declared types are in the schema: the ones its roots reach, one
//! class per GraphQL name. Shared by the class-based frameworks.

use std::collections::HashSet;

use rayon::prelude::*;

use super::program::ScopeRef;

/// Every class reachable from `roots`, `next` giving a class's neighbours
/// (field types, interfaces, union members, …); one level at a time, each
/// level's classes in parallel.
pub fn reachable(
    roots: Vec<ScopeRef>,
    next: impl Fn(ScopeRef) -> Vec<ScopeRef> + Sync,
) -> HashSet<ScopeRef> {
    let mut reached = HashSet::new();
    let mut level: Vec<ScopeRef> = roots.into_iter().filter(|c| reached.insert(*c)).collect();
    while !level.is_empty() {
        let found: Vec<ScopeRef> = level
            .par_iter()
            .flat_map_iter(|&class| next(class))
            .collect();
        level = found.into_iter().filter(|c| reached.insert(*c)).collect();
    }
    reached
}

/// The declared types that are in the schema, with their GraphQL names.
/// Without schema roots every declared type counts. Two classes of one name
/// cannot both be in a schema: the first (in file order) is kept.
pub fn schema_types<T>(
    declared: Vec<(ScopeRef, T)>,
    roots: Vec<ScopeRef>,
    next: impl Fn(ScopeRef) -> Vec<ScopeRef> + Sync,
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
