//! The words a query pattern states its matches always contain
//! (`#set! ferry.requires "…"`): a file or statement holding none of them
//! is not searched for that pattern.

use tree_sitter::Query;

/// The words `pattern` states it requires (`#set! ferry.requires`), as
/// indices into `words`, which gains each word not in it yet; `None` when
/// the pattern states none.
pub(super) fn pattern_requires(
    query: &Query,
    pattern: usize,
    words: &mut Vec<String>,
) -> Option<Vec<usize>> {
    let required = query
        .property_settings(pattern)
        .iter()
        .find(|property| &*property.key == "ferry.requires")?
        .value
        .as_deref()?;
    let indices = required
        .split_whitespace()
        .map(|word| match words.iter().position(|known| known == word) {
            Some(index) => index,
            None => {
                words.push(word.to_string());
                words.len() - 1
            }
        })
        .collect();
    Some(indices)
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
