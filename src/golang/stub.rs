//! Whether a resolver does anything yet: a body whose one statement is a
//! call of `panic` is a stub, whatever it panics with. The query is
//! `grammars/go/stubs.scm`.

use std::sync::OnceLock;

use serde::Serialize;
use tree_sitter::{Node, Query, QueryCursor, StreamingIterator};

use super::language;

/// The comment ferry puts in every body it generates: what to do with the
/// stub. Detection does not need it: any body that only panics is a stub.
pub const STUB_MARKER: &str = "// ferry:stub";

/// Whether a Go resolver does anything yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GoStatus {
    /// Its body does nothing but panic: gqlgen's placeholder, ferry's, or a
    /// person's `panic("TODO")`.
    Stub,
    Implemented,
}

fn stubs_query() -> &'static Query {
    static QUERY: OnceLock<Query> = OnceLock::new();
    QUERY.get_or_init(|| {
        Query::new(&language(), include_str!("../../grammars/go/stubs.scm"))
            .expect("grammars/go/stubs.scm is a valid tree-sitter-go query")
    })
}

/// A body is a stub when its only statement is a call of `panic`; comments
/// (the quoted Python) and empty statements do not count.
pub(super) fn body_status(body: Node<'_>, source: &[u8], cursor: &mut QueryCursor) -> GoStatus {
    let mut statements = Vec::new();
    let mut walker = body.walk();
    for child in body.named_children(&mut walker) {
        if child.kind() == "statement_list" {
            let mut inner = child.walk();
            statements.extend(child.named_children(&mut inner).filter(counts));
        } else if counts(&child) {
            statements.push(child);
        }
    }
    let [statement] = statements.as_slice() else {
        return GoStatus::Implemented;
    };
    let Some(call) = (statement.kind() == "expression_statement")
        .then(|| statement.named_child(0))
        .flatten()
        .filter(|n| n.kind() == "call_expression")
    else {
        return GoStatus::Implemented;
    };
    let query = stubs_query();
    let panic = query
        .capture_index_for_name("panic")
        .expect("capture named in stubs.scm");
    let mut matches = cursor.matches(query, call, source);
    while let Some(found) = matches.next() {
        if found
            .captures()
            .iter()
            .any(|c| c.index == panic && c.node.id() == call.id())
        {
            return GoStatus::Stub;
        }
    }
    GoStatus::Implemented
}

fn counts(node: &Node<'_>) -> bool {
    !matches!(node.kind(), "comment" | "empty_statement")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golang::source_file::GoSourceFile;

    #[test]
    fn a_body_that_only_panics_is_a_stub() {
        let source = "package graph

func (r *q) Todo(ctx context.Context) (string, error) {
	panic(\"TODO\")
}

func (r *q) Nil(ctx context.Context) (string, error) {
	// Python resolver, webapp/a.py:3:
	//\tdef resolve_nil(root, info):
	panic(nil);
}

func (r *q) Err(ctx context.Context) (string, error) { panic(err) }

func (r *q) Panicky(ctx context.Context) (string, error) {
	panicky(\"not implemented\")
}

func (r *q) Then(ctx context.Context) (string, error) {
	panic(\"TODO\")
	return \"\", nil
}

func (r *q) Empty(ctx context.Context) (string, error) {
}
";
        let file = GoSourceFile::parse(source);
        let statuses: Vec<_> = file
            .methods
            .iter()
            .map(|m| (m.name.as_str(), m.status))
            .collect();
        assert_eq!(
            statuses,
            vec![
                ("Todo", GoStatus::Stub),
                ("Nil", GoStatus::Stub),
                ("Err", GoStatus::Stub),
                ("Panicky", GoStatus::Implemented),
                ("Then", GoStatus::Implemented),
                ("Empty", GoStatus::Implemented),
            ]
        );
    }
}
