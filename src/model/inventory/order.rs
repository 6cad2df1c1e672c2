//! The order of the inventory's records: by coordinate (`Type.field`).

use rustc_hash::FxHashMap;

/// The positions of `keys` (type, field) in coordinate order, keys equal
/// in both kept in the order given. The types' names are compared once
/// per type, not in every comparison of two fields: the fields are put
/// in their type's place by count, then each type's few fields sorted by
/// name.
pub(super) fn coordinate_order(keys: &[(&str, &str)]) -> Vec<usize> {
    // Each type's id, in the order first seen; a type's fields come one
    // after another, so the name before is looked at first.
    let mut ids: FxHashMap<&str, usize> = FxHashMap::default();
    let mut last: Option<(&str, usize)> = None;
    let type_ids: Vec<usize> = keys
        .iter()
        .map(|&(type_name, _)| match last {
            Some((name, id)) if name == type_name => id,
            _ => {
                let next = ids.len();
                let id = *ids.entry(type_name).or_insert(next);
                last = Some((type_name, id));
                id
            }
        })
        .collect();
    let mut names: Vec<(&str, usize)> = ids.into_iter().collect();
    names.sort_unstable();
    let mut rank = vec![0; names.len()];
    for (at, &(_, id)) in names.iter().enumerate() {
        rank[id] = at;
    }
    // Where each type's fields start, then each field put in its type's
    // place (a counting sort: stable).
    let mut starts = vec![0; names.len() + 1];
    for &id in &type_ids {
        starts[rank[id] + 1] += 1;
    }
    for at in 1..starts.len() {
        starts[at] += starts[at - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![0; keys.len()];
    for (position, &id) in type_ids.iter().enumerate() {
        order[next[rank[id]]] = position;
        next[rank[id]] += 1;
    }
    for range in starts.windows(2) {
        order[range[0]..range[1]].sort_by_key(|&position| keys[position].1);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_order_is_a_stable_sort_by_type_then_field(
            keys in prop::collection::vec((0u8..6, 0u8..5), 0..80)
        ) {
            let names = |n: u8| ["T", "Ta", "B", "Tb", "a", "Z"][n as usize];
            let keys: Vec<(&str, &str)> = keys
                .iter()
                .map(|&(t, f)| (names(t), names(f)))
                .collect();
            let mut expected: Vec<usize> = (0..keys.len()).collect();
            expected.sort_by_key(|&at| keys[at]);
            prop_assert_eq!(coordinate_order(&keys), expected);
        }
    }
}
