//! Function bodies for `ferry plan`: grammars/python/calls.scm and data.scm
//! run over the statements of every function of the file that hold a word
//! their patterns require ([`regions`]), and over the lines of the lambdas
//! outside functions (what a call graph can start from), each capture given
//! to the innermost function scope the structure pass recorded around it.

use rustc_hash::{FxHashMap, FxHashSet};
use std::cmp::Reverse;
use std::ops::Range;
use std::sync::{Mutex, OnceLock};

use tree_sitter::{Point, QueryMatch};

use super::*;
use crate::python::calls::facts::{BodyFacts, CallSite, DataPattern, DataSite, Local};
use regions::{StatementKinds, WordSites, statement_regions};

mod regions;

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

/// The body queries, compiled once per plan as one query per set of words
/// its patterns require (`#set! ferry.requires`): the calls, the imports,
/// each kind of data access. Each runs only over the statements that hold
/// one of its words, and is compiled when a statement first does. A
/// query per set of patterns a file allows would be compiled again for
/// every new combination (23 of them in a real 400,000-line codebase,
/// each costing as much as parsing a dozen files); these are a handful,
/// each compiled once.
pub struct BodyQuery {
    /// Every word some pattern requires, once.
    words: Vec<memchr::memmem::Finder<'static>>,
    /// The indices of `words`, all of them.
    all_words: Vec<usize>,
    groups: Vec<PatternGroup>,
    statement_kinds: StatementKinds,
    /// The whole query, compiled by [`BodyQuery::new`] to read the
    /// patterns, kept to become the first group's query (its other
    /// patterns disabled) rather than compiled again.
    spare: Mutex<Option<Query>>,
}

/// The patterns that require the same words.
struct PatternGroup {
    /// The words, as indices into [`BodyQuery::words`]: a match holds one.
    words: Vec<usize>,
    /// The patterns, as indices into the whole query.
    patterns: Vec<usize>,
    /// Their source text, each pattern as the query files spell it.
    source: String,
    /// The group's query and its capture names.
    compiled: OnceLock<(Query, Vec<String>)>,
}

impl BodyQuery {
    pub fn new() -> BodyQuery {
        let query = Self::compile();
        let source = Self::source();
        let mut words: Vec<String> = Vec::new();
        let mut groups: Vec<PatternGroup> = Vec::new();
        for pattern in 0..query.pattern_count() {
            let mut required = super::requires::pattern_requires(&query, pattern, &mut words)
                .unwrap_or_else(|| {
                    panic!("body pattern {pattern} names no words (`#set! ferry.requires`)")
                });
            required.sort_unstable();
            required.dedup();
            let text =
                &source[query.start_byte_for_pattern(pattern)..query.end_byte_for_pattern(pattern)];
            match groups.iter_mut().find(|group| group.words == required) {
                Some(group) => {
                    group.patterns.push(pattern);
                    group.source.push_str(text);
                    group.source.push('\n');
                }
                None => groups.push(PatternGroup {
                    words: required,
                    patterns: vec![pattern],
                    source: format!("{text}\n"),
                    compiled: OnceLock::new(),
                }),
            }
        }
        BodyQuery {
            all_words: (0..words.len()).collect(),
            words: words
                .iter()
                .map(|word| memchr::memmem::Finder::new(word.as_bytes()).into_owned())
                .collect(),
            groups,
            statement_kinds: StatementKinds::new(&language()),
            spare: Mutex::new(Some(query)),
        }
    }

    fn source() -> String {
        format!("{CALLS_QUERY}\n{DATA_QUERY}")
    }

    fn compile() -> Query {
        Query::new(&language(), &Self::source())
            .unwrap_or_else(|error| panic!("grammars/python body queries do not compile: {error}"))
    }

    /// A group's query: the spare whole query with the other groups'
    /// patterns disabled, or, once that is taken, the group's own text
    /// compiled.
    fn group_query<'q>(&self, group: &'q PatternGroup) -> &'q (Query, Vec<String>) {
        group.compiled.get_or_init(|| {
            let spare = self.spare.lock().ok().and_then(|mut spare| spare.take());
            let query = match spare {
                Some(mut whole) => {
                    for pattern in 0..whole.pattern_count() {
                        if !group.patterns.contains(&pattern) {
                            whole.disable_pattern(pattern);
                        }
                    }
                    whole
                }
                None => Query::new(&language(), &group.source).unwrap_or_else(|error| {
                    panic!("grammars/python body patterns do not compile alone: {error}")
                }),
            };
            let names = query
                .capture_names()
                .iter()
                .map(|name| name.to_string())
                .collect();
            (query, names)
        })
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
        let definitions = self.definitions(root);
        let prefixes: Vec<String> = self
            .facts
            .scopes
            .iter()
            .map(|scope| scope.qualname_prefix())
            .collect();
        let mut body = BodyFacts::default();
        let words = WordSites::new(&query.words, self.source);
        // The lambdas' cursor is held to their rows; the statements' is not.
        let (mut cursor, mut lambda_cursor) = (QueryCursor::new(), QueryCursor::new());
        // What a call graph reads: everything inside functions, and the
        // calls on the lines of a lambda outside them (a lambda's calls are
        // found by its lines). Code outside functions and lambdas is not read.
        let functions = definitions.outermost_functions(&self.facts.scopes);
        let lambdas = lambda_rows(root, self.source, &functions);
        // The statements holding any group's words, found once; each group
        // reads those holding its own (a statement holds a word only where
        // its enclosing blocks do).
        let mut regions = Vec::new();
        for function in &functions {
            let (kinds, all) = (&query.statement_kinds, &query.all_words);
            statement_regions(kinds, function.node, &words, all, &mut regions);
        }
        let mut seen = FxHashSet::default();
        for group in &query.groups {
            if !group.words.iter().any(|&word| words.holds(word)) {
                continue;
            }
            let held: Vec<Node> = regions
                .iter()
                .copied()
                .filter(|region| words.within(&group.words, region.byte_range()))
                .collect();
            if held.is_empty() && lambdas.is_empty() {
                continue;
            }
            let (group_query, names) = query.group_query(group);
            for &region in &held {
                let mut matches = cursor.matches(group_query, region, self.source);
                while let Some(found) = matches.next() {
                    self.body_match(found, names, &definitions, &prefixes, &mut body);
                }
            }
            for rows in &lambdas {
                lambda_cursor.set_point_range(Point::new(rows.start, 0)..Point::new(rows.end, 0));
                let mut matches = lambda_cursor.matches(group_query, root, self.source);
                while let Some(found) = matches.next() {
                    let Some(anchor) = anchor(found, names) else {
                        continue;
                    };
                    let start = anchor.1.start_byte();
                    let in_function = functions
                        .iter()
                        .any(|function| function.start <= start && start < function.end);
                    // A call may anchor a data access too (`….load(id)`):
                    // each is kept, a match met again in the next rows is not.
                    if !in_function && seen.insert((anchor.0, anchor.1.id())) {
                        self.body_match(found, names, &definitions, &prefixes, &mut body);
                    }
                }
            }
        }
        // The groups ran one after another; the data accesses are read in
        // the order of the file's lines, as the calls are.
        body.data.sort_by_key(|site| site.line);
        body
    }

    /// One match of the body queries, read into `body`.
    fn body_match(
        &mut self,
        found: &QueryMatch,
        names: &[String],
        definitions: &Definitions,
        prefixes: &[String],
        body: &mut BodyFacts,
    ) {
        let capture = |name: &str| {
            found
                .captures()
                .iter()
                .find(|capture| names[capture.index as usize] == name)
                .map(|capture| capture.node)
        };
        let Some((kind, node)) = anchor(found, names) else {
            return;
        };
        let scope = definitions.scope_of(node);
        let line = node.start_position().row as u32 + 1;
        let prefix = prefixes[scope as usize].as_str();
        match kind {
            "call" => {
                if let Some(function) = capture("call.function") {
                    let callee = self.expr(function, prefix, 0);
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
                        value: self.expr(value, prefix, 0),
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
                    _ => return,
                };
                if let Some(subject) = capture("data.subject") {
                    body.data.push(DataSite {
                        scope,
                        pattern,
                        subject: self.expr(subject, prefix, 0),
                        line,
                    });
                }
            }
        }
    }

    /// The `def` and `class` nodes of the scopes the structure pass
    /// recorded (found by the line of their keyword), descending only into
    /// nodes whose lines hold one: asking each capture for its parents
    /// would walk down from the root once per ancestor.
    fn definitions<'tree>(&self, root: Node<'tree>) -> Definitions<'tree> {
        let by_line: FxHashMap<u32, ScopeId> = self
            .facts
            .scopes
            .iter()
            .enumerate()
            .skip(1)
            .map(|(id, scope)| (scope.line, id as ScopeId))
            .collect();
        let mut lines: Vec<u32> = by_line.keys().copied().collect();
        lines.sort_unstable();
        let holds_one = |node: Node| {
            let first = node.start_position().row as u32 + 1;
            let last = node.end_position().row as u32 + 1;
            let at = lines.partition_point(|&line| line < first);
            lines.get(at).is_some_and(|&line| line <= last)
        };
        let mut found = Vec::new();
        let mut pending = vec![root];
        let mut walk = root.walk();
        while let Some(node) = pending.pop() {
            if matches!(node.kind(), "function_definition" | "class_definition")
                && let Some(&scope) = by_line.get(&(node.start_position().row as u32 + 1))
            {
                found.push(Definition {
                    node,
                    start: node.start_byte(),
                    end: node.end_byte(),
                    scope,
                    parent: None,
                });
            }
            pending.extend(node.children(&mut walk).filter(|&child| holds_one(child)));
        }
        found.sort_by_key(|definition| (definition.start, Reverse(definition.end)));
        // Nodes nest: the innermost open one that has not ended is the parent.
        let mut open: Vec<usize> = Vec::new();
        for at in 0..found.len() {
            while open
                .last()
                .is_some_and(|&last| found[last].end <= found[at].start)
            {
                open.pop();
            }
            found[at].parent = open.last().copied();
            open.push(at);
        }
        Definitions(found)
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

/// A recorded definition's node, by its bytes.
struct Definition<'tree> {
    node: Node<'tree>,
    start: usize,
    end: usize,
    scope: ScopeId,
    /// The innermost definition around it, as an index into [`Definitions`].
    parent: Option<usize>,
}

/// The recorded definitions of a file, by start byte.
struct Definitions<'tree>(Vec<Definition<'tree>>);

impl<'tree> Definitions<'tree> {
    /// The functions not nested in another function, in the order of the file.
    fn outermost_functions(&self, scopes: &[Scope]) -> Vec<&Definition<'tree>> {
        let is_function = |at: usize| scopes[self.0[at].scope as usize].kind == ScopeKind::Function;
        (0..self.0.len())
            .filter(|&at| is_function(at))
            .filter(|&at| {
                let mut parent = self.0[at].parent;
                while let Some(up) = parent {
                    if is_function(up) {
                        return false;
                    }
                    parent = self.0[up].parent;
                }
                true
            })
            .map(|at| &self.0[at])
            .collect()
    }

    /// The innermost recorded definition around `node` (the module when
    /// none): the last one starting before it, or the nearest around that.
    fn scope_of(&self, node: Node) -> ScopeId {
        let (start, end) = (node.start_byte(), node.end_byte());
        let mut candidate = self
            .0
            .partition_point(|definition| definition.start <= start)
            .checked_sub(1);
        while let Some(at) = candidate {
            let definition = &self.0[at];
            if definition.end >= end && definition.start <= start {
                return definition.scope;
            }
            candidate = definition.parent;
        }
        MODULE_SCOPE
    }
}

/// The capture a match is about (its kind and node): the call, the local,
/// the import or the data access; the others are its parts.
fn anchor<'n, 'tree>(
    found: &QueryMatch<'_, 'tree>,
    names: &'n [String],
) -> Option<(&'n str, Node<'tree>)> {
    found
        .captures()
        .iter()
        .map(|capture| (names[capture.index as usize].as_str(), capture.node))
        .find(|(name, _)| {
            matches!(*name, "call" | "local.name" | "local.import")
                || (name.starts_with("data.") && *name != "data.subject")
        })
}

/// The rows (0-based, end exclusive) of the lambdas outside `functions`,
/// overlapping ones merged.
fn lambda_rows(root: Node, source: &[u8], functions: &[&Definition]) -> Vec<Range<usize>> {
    if !String::from_utf8_lossy(source).contains("lambda") {
        return Vec::new();
    }
    let skipped: FxHashSet<usize> = functions
        .iter()
        .map(|function| function.node.id())
        .collect();
    let mut rows: Vec<Range<usize>> = Vec::new();
    let mut pending = vec![root];
    let mut walk = root.walk();
    while let Some(node) = pending.pop() {
        if skipped.contains(&node.id()) {
            continue;
        }
        if node.kind() == "lambda" {
            rows.push(node.start_position().row..node.end_position().row + 1);
        }
        pending.extend(node.children(&mut walk));
    }
    rows.sort_by_key(|rows| rows.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for next in rows {
        match merged.last_mut() {
            Some(last) if next.start <= last.end => last.end = last.end.max(next.end),
            _ => merged.push(next),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(source: &str) -> (FileFacts, BodyFacts) {
        Extractor::new(Framework::Auto)
            .extract_with_bodies(&BodyQuery::new(), &mut new_parser(), source.as_bytes())
            .expect("parses")
    }

    #[test]
    fn each_call_read_belongs_to_the_innermost_recorded_definition() {
        let source = "\
import functools
setup()

@functools.lru_cache(maxsize=size())
def outer(x=default()):
    first()
    if x:
        def hidden():
            second()
        hidden()
    def inner():
        return third()
    return inner


class Type(Base(mixin())):
    resolve_a = lambda root, info: fourth()

    def method(self):
        fifth()
";
        let (facts, body) = bodies(source);
        let scope_of = |name: &str| {
            let call = body
                .calls
                .iter()
                .find(|call| call.callee == Expr::Name(name.into()))
                .unwrap_or_else(|| panic!("no call of {name}"));
            facts.scopes[call.scope as usize].qualname.clone()
        };
        let expected = [
            ("default", "outer"),
            ("first", "outer"),
            ("second", "outer"),
            ("hidden", "outer"),
            ("third", "outer.<locals>.inner"),
            ("fourth", "Type"),
            ("fifth", "Type.method"),
        ];
        for (callee, scope) in expected {
            assert_eq!(scope_of(callee), scope, "the call of {callee}");
        }
        // Outside functions only a lambda's lines are read: no call graph
        // starts anywhere else.
        for outside in ["setup", "size", "mixin", "Base"] {
            assert!(
                !body
                    .calls
                    .iter()
                    .any(|call| call.callee == Expr::Name(outside.into())),
                "{outside} was read"
            );
        }
    }

    #[test]
    fn every_body_pattern_names_the_words_it_needs() {
        // `BodyQuery::new` refuses a pattern that names none.
        let query = BodyQuery::compile();
        let mut grouped: Vec<usize> = BodyQuery::new()
            .groups
            .iter()
            .flat_map(|group| group.patterns.iter().copied())
            .collect();
        grouped.sort_unstable();
        let all: Vec<usize> = (0..query.pattern_count()).collect();
        assert_eq!(grouped, all, "body patterns in no group");
    }

    #[test]
    fn a_statement_is_read_whatever_line_its_words_are_on() {
        let source = "\
@decorate(first())
def f(x=second()):
    \"\"\"No call here.\"\"\"
    total = 0
    if check(
        x
    ):
        from os import path
        with opened() as handle:
            return (
                handle
                .third
            )(x)
    elif x:
        value = build(x)
    else:
        pass
    for item in items():
        try:
            fourth()
        except error():
            pass
        finally:
            fifth()
    def g(y=sixth()):
        return lambda: seventh()
    return [item for item in range(3)]
";
        let (_, body) = bodies(source);
        let calls: Vec<String> = body
            .calls
            .iter()
            .map(|call| match &call.callee {
                Expr::Name(name) => name.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        for callee in [
            "second", "check", "opened", "build", "items", "fourth", "error", "fifth", "sixth",
            "seventh", "range",
        ] {
            assert!(
                calls.contains(&callee.to_string()),
                "{callee} not read: {calls:?}"
            );
        }
        assert_eq!(calls.len(), 12, "{calls:?}");
        assert_eq!(body.imports.len(), 1);
        assert_eq!(body.locals.len(), 1);
    }

    #[test]
    fn a_pattern_is_skipped_only_where_its_words_are_missing() {
        let source = "\
def f(session, loaders):
    session.query(Assignment)
    loaders.users.load(1)
    Assignment.objects.create()
";
        let (_, body) = bodies(source);
        let patterns: Vec<DataPattern> = body.data.iter().map(|site| site.pattern).collect();
        assert_eq!(
            patterns,
            [
                DataPattern::SessionQuery,
                DataPattern::Loader,
                DataPattern::DjangoManager { writes: true }
            ]
        );
        let (_, body) = bodies("def f(x):\n    x.save()\n");
        assert_eq!(body.data.len(), 1);
    }

    #[test]
    fn a_lambda_call_that_loads_is_read_as_both() {
        let source = "resolve_user = lambda root, info: info.context.loaders.users.load(root.id)\n";
        let (_, body) = bodies(source);
        assert_eq!(body.calls.len(), 1, "{:?}", body.calls);
        let patterns: Vec<DataPattern> = body.data.iter().map(|site| site.pattern).collect();
        assert_eq!(patterns, [DataPattern::Loader]);
    }
}
