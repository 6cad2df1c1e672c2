//! Which parts of a function the body queries read: its statements and the
//! headers of its compound statements, those holding a word some pattern
//! requires (`#set! ferry.requires`).

use std::ops::Range;

use memchr::memmem::Finder;
use tree_sitter::{Language, Node};

/// The kinds whose children include statements: blocks, and what has a
/// block among its children (`tree_sitter_python::NODE_TYPES` is checked
/// against this list in the tests).
const HOLDS_STATEMENTS: &[&str] = &[
    "block",
    "decorated_definition",
    "case_clause",
    "class_definition",
    "elif_clause",
    "else_clause",
    "except_clause",
    "finally_clause",
    "for_statement",
    "function_definition",
    "if_statement",
    "match_statement",
    "try_statement",
    "while_statement",
    "with_statement",
];

/// By kind id: whether the kind is one of [`HOLDS_STATEMENTS`].
pub(super) struct StatementKinds(Vec<bool>);

impl StatementKinds {
    pub(super) fn new(language: &Language) -> StatementKinds {
        let mut kinds = vec![false; language.node_kind_count()];
        for kind in HOLDS_STATEMENTS {
            kinds[language.id_for_node_kind(kind, true) as usize] = true;
        }
        StatementKinds(kinds)
    }
}

/// Where a file holds each word the body patterns require: the start of
/// every occurrence, and the word's length.
pub(super) struct WordSites(Vec<(Vec<usize>, usize)>);

impl WordSites {
    pub(super) fn new(words: &[Finder<'static>], source: &[u8]) -> WordSites {
        WordSites(
            words
                .iter()
                .map(|word| {
                    let starts = word.find_iter(source).collect();
                    (starts, word.needle().len())
                })
                .collect(),
        )
    }

    /// Whether the file holds word `word` (an index into the words given).
    pub(super) fn holds(&self, word: usize) -> bool {
        !self.0[word].0.is_empty()
    }

    /// Whether `bytes` holds one of `words` (indices into the words
    /// given) whole.
    pub(super) fn within(&self, words: &[usize], bytes: Range<usize>) -> bool {
        words
            .iter()
            .map(|&word| &self.0[word])
            .any(|(starts, len)| {
                let at = starts.partition_point(|&start| start < bytes.start);
                starts
                    .get(at)
                    .is_some_and(|&start| start + len <= bytes.end)
            })
    }
}

/// The parts of `function` the body query runs over, in the order of the
/// file: its simple statements and the headers of its compound ones (a
/// condition, a `with` item, a decorator, a nested def's parameters),
/// reached through the blocks; those holding none of `required` (indices
/// into `words`: the words of the patterns about to run) are left out. No
/// pattern's match spans a block (calls, locals and imports sit within one
/// statement or header), and each holds one of its pattern's words, so the
/// matches are those of the whole function.
pub(super) fn statement_regions<'tree>(
    kinds: &StatementKinds,
    function: Node<'tree>,
    words: &WordSites,
    required: &[usize],
    regions: &mut Vec<Node<'tree>>,
) {
    let mut walk = function.walk();
    let mut pending = vec![function];
    while let Some(node) = pending.pop() {
        if !words.within(required, node.byte_range()) {
            continue;
        }
        if kinds.0[node.kind_id() as usize] {
            let at = pending.len();
            pending.extend(node.children(&mut walk));
            pending[at..].reverse();
        } else {
            regions.push(node);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_that_hold_statements_are_those_with_a_block() {
        let types: serde_json::Value =
            serde_json::from_str(tree_sitter_python::NODE_TYPES).expect("node-types.json");
        let mut with_block: Vec<&str> = types
            .as_array()
            .expect("a list of node types")
            .iter()
            .filter(|node| {
                let fields = node["fields"]
                    .as_object()
                    .into_iter()
                    .flat_map(|f| f.values());
                fields
                    .chain(node.get("children"))
                    .flat_map(|child| child["types"].as_array().into_iter().flatten())
                    .any(|child| child["type"] == "block")
            })
            .map(|node| node["type"].as_str().expect("a type name"))
            .collect();
        with_block.extend(["block", "decorated_definition"]);
        with_block.sort_unstable();
        let mut listed = HOLDS_STATEMENTS.to_vec();
        listed.sort_unstable();
        assert_eq!(listed, with_block);
    }
}
