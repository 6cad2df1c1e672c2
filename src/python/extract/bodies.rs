//! Function bodies for `ferry plan`: grammars/python/calls.scm and data.scm
//! run over the whole file, each capture given to the innermost function
//! scope the structure pass recorded around it.

use std::collections::HashMap;

use super::*;
use crate::python::calls::facts::{BodyFacts, CallSite, DataPattern, DataSite, Local};

const CALLS_QUERY: &str = include_str!("../../../grammars/python/calls.scm");
const DATA_QUERY: &str = include_str!("../../../grammars/python/data.scm");

/// Django manager methods that write.
const DJANGO_WRITES: &[&str] = &[
    "create",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
];

/// The body queries, compiled once per plan.
pub struct BodyQuery {
    query: Query,
    names: Vec<String>,
}

impl BodyQuery {
    pub fn new() -> BodyQuery {
        let source = format!("{CALLS_QUERY}\n{DATA_QUERY}");
        let query = Query::new(&language(), &source)
            .unwrap_or_else(|error| panic!("grammars/python body queries do not compile: {error}"));
        let names = query
            .capture_names()
            .iter()
            .map(|name| name.to_string())
            .collect();
        BodyQuery { query, names }
    }
}

impl Default for BodyQuery {
    fn default() -> Self {
        Self::new()
    }
}

impl Extractor {
    /// The file's facts and its bodies' facts, from one parse.
    pub fn extract_with_bodies(
        &self,
        bodies: &BodyQuery,
        parser: &mut Parser,
        source: &[u8],
    ) -> Option<(FileFacts, BodyFacts)> {
        let tree = parser.parse(source, None)?;
        let facts = self.facts(&tree, source);
        let mut builder = FactsBuilder {
            source,
            fields: &self.fields,
            facts,
        };
        let body = builder.bodies(bodies, tree.root_node());
        Some((builder.facts, body))
    }
}

impl FactsBuilder<'_> {
    fn bodies(&mut self, query: &BodyQuery, root: Node) -> BodyFacts {
        // Definitions by the line of their keyword: where a node's scope is found.
        let by_line: HashMap<u32, ScopeId> = self
            .facts
            .scopes
            .iter()
            .enumerate()
            .skip(1)
            .map(|(id, scope)| (scope.line, id as ScopeId))
            .collect();
        let mut body = BodyFacts::default();
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(&query.query, root, self.source);
        while let Some(found) = matches.next() {
            let capture = |name: &str| {
                found
                    .captures()
                    .iter()
                    .find(|capture| query.names[capture.index as usize] == name)
                    .map(|capture| capture.node)
            };
            let Some(anchor) = found
                .captures()
                .iter()
                .map(|capture| (query.names[capture.index as usize].as_str(), capture.node))
                .find(|(name, _)| {
                    matches!(*name, "call" | "local.name" | "local.import")
                        || (name.starts_with("data.") && *name != "data.subject")
                })
            else {
                continue;
            };
            let (kind, node) = anchor;
            let scope = self.scope_of(node, &by_line);
            let line = node.start_position().row as u32 + 1;
            let prefix = self.facts.scopes[scope as usize].qualname_prefix();
            match kind {
                "call" => {
                    if let Some(function) = capture("call.function") {
                        let callee = self.expr(function, &prefix, 0);
                        body.calls.push(CallSite {
                            scope,
                            callee,
                            line,
                        });
                    }
                }
                "local.name" => {
                    if self.facts.scopes[scope as usize].kind == ScopeKind::Function
                        && let Some(value) = capture("local.value")
                    {
                        body.locals.push(Local {
                            scope,
                            name: self.text(node),
                            value: self.expr(value, &prefix, 0),
                        });
                    }
                }
                "local.import" => {
                    if self.facts.scopes[scope as usize].kind == ScopeKind::Function {
                        let before = self.facts.facts.len();
                        self.import(scope, node);
                        body.imports.extend(self.facts.facts.drain(before..));
                    }
                }
                data => {
                    let pattern = match data {
                        "data.django_manager" => DataPattern::DjangoManager {
                            writes: self.chained_write(node),
                        },
                        "data.instance_write" => DataPattern::InstanceWrite,
                        "data.session_query" => DataPattern::SessionQuery,
                        "data.session_write" => DataPattern::SessionWrite,
                        "data.loader" => DataPattern::Loader,
                        _ => continue,
                    };
                    if let Some(subject) = capture("data.subject") {
                        body.data.push(DataSite {
                            scope,
                            pattern,
                            subject: self.expr(subject, &prefix, 0),
                            line,
                        });
                    }
                }
            }
        }
        body
    }

    /// The innermost recorded definition around `node` (the module when none).
    fn scope_of(&self, node: Node, by_line: &HashMap<u32, ScopeId>) -> ScopeId {
        let mut current = node.parent();
        while let Some(parent) = current {
            if matches!(parent.kind(), "function_definition" | "class_definition")
                && let Some(&scope) = by_line.get(&(parent.start_position().row as u32 + 1))
            {
                return scope;
            }
            current = parent.parent();
        }
        MODULE_SCOPE
    }

    /// Whether a write method is chained after `Model.objects`.
    fn chained_write(&self, manager: Node) -> bool {
        let mut current = manager;
        while let Some(parent) = current.parent() {
            match parent.kind() {
                "attribute" => {
                    if let Some(attribute) = field(parent, self.fields.attribute)
                        && DJANGO_WRITES.contains(&self.text(attribute).as_str())
                    {
                        return true;
                    }
                }
                "call" => {}
                _ => return false,
            }
            current = parent;
        }
        false
    }
}
