//! Which declared types are in the schema: the ones its roots reach, one
//! class per GraphQL name. Shared by the class-based frameworks.

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

use super::program::{Program, SchemaRoots, ScopeRef};
use super::{PythonProblem, PythonProblemKind};

/// Every class reachable from `roots`, `next` giving a class's neighbours
/// (field types, interfaces, union members, …); one level at a time, each
/// level's classes in parallel.
pub fn reachable(
    roots: Vec<ScopeRef>,
    next: impl Fn(ScopeRef) -> Vec<ScopeRef> + Sync,
) -> FxHashSet<ScopeRef> {
    let mut reached = FxHashSet::default();
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
///
/// Without schema calls, or when one's roots could not all be evaluated
/// (a computed `types=`), every declared type counts. Two classes of one
/// name cannot both be in a schema: the one the largest schema reaches
/// wins, then the first in file order, and the others are reported.
pub fn schema_types<T>(
    program: &Program,
    framework: &str,
    declared: Vec<(ScopeRef, T)>,
    schemas: Vec<SchemaRoots>,
    next: impl Fn(ScopeRef) -> Vec<ScopeRef> + Sync,
    name: impl Fn(ScopeRef, &T) -> String,
    problems: &mut Vec<PythonProblem>,
) -> Vec<(ScopeRef, T, String)> {
    let mut reached: Vec<FxHashSet<ScopeRef>> = schemas
        .iter()
        .filter(|schema| schema.complete)
        .map(|schema| reachable(schema.classes.clone(), &next))
        .collect();
    reached.sort_by_key(|classes| std::cmp::Reverse(classes.len()));
    let everything = schemas.is_empty() || schemas.iter().any(|schema| !schema.complete);
    for schema in schemas.iter().filter(|schema| !schema.complete) {
        problems.push(PythonProblem {
            kind: PythonProblemKind::UntracedSchema,
            message: format!(
                "the types this {framework} schema is built from could not all be followed; \
                 every {framework} type in the scanned roots is counted"
            ),
            file: program.file(schema.file).path.clone(),
            line: schema.line,
        });
    }
    // Rank: the largest schema reaching the class first; unreached last.
    let rank = |class: &ScopeRef| {
        reached
            .iter()
            .position(|classes| classes.contains(class))
            .unwrap_or(reached.len())
    };
    let mut candidates: Vec<(usize, usize, ScopeRef, T, String)> = declared
        .into_iter()
        .enumerate()
        .filter_map(|(order, (class, kind))| {
            let rank = rank(&class);
            (everything || rank < reached.len()).then(|| {
                let type_name = name(class, &kind);
                (rank, order, class, kind, type_name)
            })
        })
        .collect();
    candidates.sort_by_key(|(rank, order, ..)| (*rank, *order));
    let mut chosen: FxHashMap<String, ScopeRef> = FxHashMap::default();
    let mut shadowed: Vec<(String, ScopeRef)> = Vec::new();
    let mut types = Vec::new();
    for (_, order, class, kind, type_name) in candidates {
        if chosen.contains_key(&type_name) {
            shadowed.push((type_name, class));
        } else {
            chosen.insert(type_name.clone(), class);
            types.push((order, class, kind, type_name));
        }
    }
    for (type_name, class) in shadowed {
        let used = chosen[&type_name];
        let used_at = program.scope(used);
        problems.push(PythonProblem {
            kind: PythonProblemKind::AmbiguousType,
            message: format!(
                "{type_name} is also declared at {}:{}, which the schema reaches; \
                 this class is ignored (exclude its file if it is not the application's)",
                program.file(used.file).path,
                used_at.line
            ),
            file: program.file(class.file).path.clone(),
            line: program.scope(class).line,
        });
    }
    types.sort_by_key(|(order, ..)| *order);
    types
        .into_iter()
        .map(|(_, class, kind, type_name)| (class, kind, type_name))
        .collect()
}
