//! The words a query pattern states its matches always contain
//! (`#set! ferry.requires "…"`): a file or statement holding none of them
//! is not searched for that pattern.
//!
//! A pattern may state several such settings: its matches then contain a
//! word of each (`"Schema build_schema"` and `"query mutation
//! subscription"`: a schema call is named one of the first and passes one
//! of the second as a keyword).

use tree_sitter::Query;

/// The words `pattern` states it requires, every `#set! ferry.requires`
/// its own group, as indices into `words`, which gains each word not in it
/// yet; `None` when the pattern states none. A text may hold a match only
/// if it holds a word of every group.
pub(super) fn pattern_requirements(
    query: &Query,
    pattern: usize,
    words: &mut Vec<String>,
) -> Option<Vec<Vec<usize>>> {
    let groups: Vec<Vec<usize>> = query
        .property_settings(pattern)
        .iter()
        .filter(|property| &*property.key == "ferry.requires")
        .filter_map(|property| property.value.as_deref())
        .map(|required| {
            required
                .split_whitespace()
                .map(|word| match words.iter().position(|known| known == word) {
                    Some(index) => index,
                    None => {
                        words.push(word.to_string());
                        words.len() - 1
                    }
                })
                .collect()
        })
        .collect();
    (!groups.is_empty()).then_some(groups)
}

/// Every word `pattern` names in its requirements, any one of which its
/// matches hold: the groups of [`pattern_requirements`] taken together,
/// for a caller that tests one set of words per pattern (a weaker test,
/// never a wrong one).
pub(super) fn pattern_requires(
    query: &Query,
    pattern: usize,
    words: &mut Vec<String>,
) -> Option<Vec<usize>> {
    pattern_requirements(query, pattern, words).map(|groups| groups.concat())
}

/// The words of every `(#set! ferry.requires "…")` in a query's source
/// (comments left out).
pub(super) fn required_words(source: &str) -> Vec<String> {
    const SETTING: &str = "ferry.requires \"";
    let mut words: Vec<String> = Vec::new();
    for line in source.lines() {
        if line.trim_start().starts_with(';') {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find(SETTING) {
            rest = &rest[at + SETTING.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            for word in rest[..end].split_whitespace() {
                if !words.iter().any(|known| known == word) {
                    words.push(word.to_string());
                }
            }
            rest = &rest[end..];
        }
    }
    words
}
