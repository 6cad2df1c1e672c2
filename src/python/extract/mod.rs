//! From a file's bytes to its [`FileFacts`]: parse with tree-sitter-python, run
//! the queries under `grammars/python/`, and turn the captured nodes into facts
//! attributed to the innermost class or function body around them.

use rustc_hash::{FxHashMap, FxHashSet};
use std::num::NonZeroU16;
use std::sync::{LazyLock, OnceLock};

use tree_sitter::{Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

mod requires;

use super::Framework;
use super::facts::{Call, Expr, Fact, FileFacts, Lambda, MODULE_SCOPE, Scope, ScopeId, ScopeKind};
use requires::Requirements;

/// tree-sitter's field id (its own alias is private).
type FieldId = NonZeroU16;

const MODULE_QUERY: &str = include_str!("../../../grammars/python/module.scm");
const GRAPHENE_QUERY: &str = include_str!("../../../grammars/python/graphene.scm");
const STRAWBERRY_QUERY: &str = include_str!("../../../grammars/python/strawberry.scm");
const ARIADNE_QUERY: &str = include_str!("../../../grammars/python/ariadne.scm");
const GRAPHQL_QUERY: &str = include_str!("../../../grammars/python/graphql.scm");

/// A module's bytes for each structure event it is first given room for.
const EVENT_BYTES: usize = 128;

/// Deeper expressions are cut off: nothing a resolver hangs on is nested this far.
const MAX_EXPR_DEPTH: usize = 48;
/// Longer list displays keep their first elements only (data tables, not types).
const MAX_SEQ_LEN: usize = 512;

/// The framework query sources a choice runs, in a fixed order.
fn framework_sources(framework: Framework) -> Vec<(&'static str, &'static str)> {
    let mut sources = Vec::new();
    if matches!(framework, Framework::Graphene | Framework::Auto) {
        sources.push(("graphene.scm", GRAPHENE_QUERY));
    }
    if matches!(framework, Framework::Strawberry | Framework::Auto) {
        sources.push(("strawberry.scm", STRAWBERRY_QUERY));
    }
    if matches!(framework, Framework::Ariadne | Framework::Auto) {
        sources.push(("ariadne.scm", ARIADNE_QUERY));
    }
    sources.push(("graphql.scm", GRAPHQL_QUERY));
    sources
}

/// Matches of the structure query start at a block's statements (depth 1)
/// or a decorated definition's class or def (depth 2), never deeper.
const STATEMENT_DEPTH: u32 = 2;

pub fn language() -> tree_sitter::Language {
    tree_sitter_python::LANGUAGE.into()
}

pub fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("tree-sitter-python is compatible with the linked tree-sitter");
    parser
}

/// What a capture name in the queries stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Class,
    ClassName,
    ClassBases,
    ClassBody,
    Function,
    FunctionName,
    FunctionBody,
    Decorator,
    DecoratedDefinition,
    /// A block of a compound statement, read as part of the enclosing scope.
    Block,
    Import,
    Assignment,
    ReturnValue,
    /// A framework call site, named by its capture (`graphene.schema`).
    Site(String),
    /// Helper captures (`@_name`) used only by predicates.
    Helper,
}

impl Role {
    fn from_capture_name(name: &str) -> Role {
        match name {
            "class" => Role::Class,
            "class.name" => Role::ClassName,
            "class.bases" => Role::ClassBases,
            "class.body" => Role::ClassBody,
            "function" => Role::Function,
            "function.name" => Role::FunctionName,
            "function.body" => Role::FunctionBody,
            "decorated.decorator" => Role::Decorator,
            "decorated.definition" => Role::DecoratedDefinition,
            "block" => Role::Block,
            "import" => Role::Import,
            "assignment" => Role::Assignment,
            "return.value" => Role::ReturnValue,
            helper if helper.starts_with('_') => Role::Helper,
            site => Role::Site(site.to_string()),
        }
    }
}

/// A compiled query and what its captures stand for.
struct CompiledQuery {
    query: Query,
    roles: Vec<Role>,
}

impl CompiledQuery {
    fn new(source: &str) -> CompiledQuery {
        let query = Query::new(&language(), source)
            .unwrap_or_else(|error| panic!("grammars/python queries do not compile: {error}"));
        let roles = query
            .capture_names()
            .iter()
            .map(|name| Role::from_capture_name(name))
            .collect();
        CompiledQuery { query, roles }
    }
}

/// A hash of the query files a framework choice runs: cached facts are only
/// valid for these.
pub fn fingerprint(framework: Framework) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(MODULE_QUERY.as_bytes());
    for (name, source) in framework_sources(framework) {
        hasher.update(name.as_bytes());
        hasher.update(source.as_bytes());
    }
    hasher.finalize().to_hex().to_string()
}

/// The framework queries, compiled the first time a file holds the words
/// one of their patterns requires: compiling them costs as much as parsing a
/// dozen files, and a run that parses only the files just edited seldom
/// parses one that does. A scan that parses many files compiles them up
/// front instead ([`Extractor::prepare_sites`]).
struct SiteQuery {
    source: String,
    /// What each pattern of `source` requires, read from its text.
    requires: Requirements,
    compiled: OnceLock<CompiledQuery>,
}

impl SiteQuery {
    fn new(source: String) -> SiteQuery {
        SiteQuery {
            requires: Requirements::of_source(&source),
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled query, when a file with this text may hold a site,
    /// and which of its patterns may match there.
    fn for_text(&self, text: &[u8]) -> Option<(&CompiledQuery, Vec<bool>)> {
        let enabled = self.requires.enabled(text);
        enabled.contains(&true).then(|| {
            let compiled = self
                .compiled
                .get_or_init(|| CompiledQuery::new(&self.source));
            (compiled, enabled)
        })
    }
}

/// The compiled queries; one per index build, shared by all threads.
pub struct Extractor {
    /// module.scm, run block by block.
    structure: CompiledQuery,
    fields: FieldIds,
    /// The framework queries, run over whole files that may hold their sites.
    sites: SiteQuery,
}

impl Extractor {
    pub fn new(framework: Framework) -> Extractor {
        let sites: String = framework_sources(framework)
            .into_iter()
            .map(|(_, source)| format!("{source}\n"))
            .collect();
        Extractor {
            structure: CompiledQuery::new(MODULE_QUERY),
            fields: FieldIds::new(),
            sites: SiteQuery::new(sites),
        }
    }

    /// Compiles the framework queries now, rather than when the first file
    /// that holds one of their words is parsed.
    pub fn prepare_sites(&self) {
        self.sites
            .compiled
            .get_or_init(|| CompiledQuery::new(&self.sites.source));
    }

    pub fn extract(&self, parser: &mut Parser, source: &[u8]) -> Option<FileFacts> {
        let tree = parser.parse(source, None)?;
        Some(self.facts(&tree, source))
    }

    fn facts(&self, tree: &Tree, source: &[u8]) -> FileFacts {
        let root = tree.root_node();
        // Room for an event every 128 bytes (a module holds one every 190
        // or so): grown from empty, the list was copied a dozen times in a
        // big file.
        let mut events: Vec<Event> = Vec::with_capacity(source.len() / EVENT_BYTES);
        let mut decorators: FxHashMap<usize, Vec<Node>> = FxHashMap::default();

        // The structure, one block at a time. Inside a function only its own
        // definitions and returns matter (decorators, factories): the blocks
        // of its compound statements are not read, nor is a body that
        // cannot define anything.
        let roles = &self.structure.roles;
        let mut cursor = QueryCursor::new();
        cursor.set_max_start_depth(Some(STATEMENT_DEPTH));
        let mut blocks = vec![(root, false)];
        while let Some((block, in_function)) = blocks.pop() {
            let mut matches = cursor.matches(&self.structure.query, block, source);
            while let Some(found) = matches.next() {
                let mut definition = None;
                let mut found_decorators = Vec::new();
                let mut parts = DefinitionParts::default();
                for capture in found.captures() {
                    let node = capture.node;
                    match &roles[capture.index as usize] {
                        Role::Class => parts.kind = Some((ScopeKind::Class, node)),
                        Role::Function => parts.kind = Some((ScopeKind::Function, node)),
                        Role::ClassName | Role::FunctionName => parts.name = Some(node),
                        Role::ClassBases => parts.bases = Some(node),
                        Role::ClassBody => {
                            parts.body = Some(node);
                            blocks.push((node, in_function));
                        }
                        Role::FunctionBody => {
                            parts.body = Some(node);
                            if may_define(node, &source[node.byte_range()]) {
                                blocks.push((node, true));
                            }
                        }
                        Role::Block if !in_function => blocks.push((node, false)),
                        Role::Decorator => found_decorators.push(node),
                        Role::DecoratedDefinition => definition = Some(node),
                        Role::Import => events.push(Event::new(node, EventKind::Import)),
                        Role::Assignment if !in_function => {
                            events.push(Event::new(node, EventKind::Assignment));
                        }
                        Role::ReturnValue => events.push(Event::new(node, EventKind::Return)),
                        Role::Block | Role::Assignment | Role::Site(_) | Role::Helper => {}
                    }
                }
                if let Some(definition) = definition {
                    decorators.insert(definition.id(), found_decorators);
                }
                if let Some(event) = parts.into_event() {
                    events.push(event);
                }
            }
        }

        // Framework call sites, anywhere, in files that may have them.
        if let Some((sites, enabled)) = self.sites.for_text(source) {
            let mut seen: FxHashSet<(usize, usize)> = FxHashSet::default();
            let mut cursor = QueryCursor::new();
            let mut matches = cursor.matches(&sites.query, root, source);
            while let Some(found) = matches.next() {
                if !enabled[found.pattern_index] {
                    continue;
                }
                for capture in found.captures() {
                    if let Role::Site(site) = &sites.roles[capture.index as usize]
                        && seen.insert((capture.index as usize, capture.node.id()))
                    {
                        events.push(Event::new(capture.node, EventKind::Site(site.clone())));
                    }
                }
            }
        }
        events.sort_by_key(|event| event.node.start_byte());
        let definitions = events
            .iter()
            .filter(|event| matches!(event.kind, EventKind::Definition { .. }))
            .count();
        let mut scopes = Vec::with_capacity(definitions + 1);
        scopes.push(Scope {
            kind: ScopeKind::Module,
            name: String::new(),
            qualname: String::new(),
            parent: MODULE_SCOPE,
            line: 1,
            end_line: root.end_position().row as u32 + 1,
            decorated_line: 1,
        });
        let mut builder = FactsBuilder {
            source,
            fields: &self.fields,
            facts: FileFacts {
                syntax_errors: syntax_errors(root),
                scopes,
                // Each event makes a fact, an import one for each name.
                facts: Vec::with_capacity(events.len()),
            },
        };
        // Open scopes with the byte where their body ends.
        let mut open: Vec<(ScopeId, usize)> = vec![(MODULE_SCOPE, usize::MAX)];
        for event in &events {
            let start = event.node.start_byte();
            while open.last().is_some_and(|&(_, end)| start >= end) {
                open.pop();
            }
            let scope = open.last().map_or(MODULE_SCOPE, |&(id, _)| id);
            match &event.kind {
                EventKind::Definition {
                    kind,
                    name,
                    bases,
                    body,
                } => {
                    let decorators = decorators
                        .get(&event.node.id())
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let id =
                        builder.definition(scope, *kind, event.node, *name, *bases, decorators);
                    open.push((id, body.end_byte()));
                }
                EventKind::Import => builder.import(scope, event.node),
                EventKind::Assignment => builder.assignment(scope, event.node),
                EventKind::Return => builder.return_value(scope, event.node),
                EventKind::Site(site) => builder.site(scope, site, event.node),
            }
        }
        builder.facts
    }
}

/// Whether a function body can hold what the structure query reads inside
/// functions: a nested `def` or `class`, a returned `lambda`, or what a
/// factory builds (`return graphene.NonNull(...)`, `return graphene.Enum(...)`),
/// which stands in a short body. A long body without those words has
/// nothing to read.
/// How many syntax errors of a file are located: enough to tell which
/// resolvers they touch.
const MAX_SYNTAX_ERRORS: usize = 16;

/// Where the ERROR and MISSING nodes start, descending only into subtrees
/// that hold one.
fn syntax_errors(root: Node) -> Vec<(u32, u32)> {
    let mut found = Vec::new();
    if !root.has_error() {
        // The usual case; walking a clean module's statements costs 5 % of the scan.
        return found;
    }
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if found.len() == MAX_SYNTAX_ERRORS {
            break;
        }
        if node.is_error() || node.is_missing() {
            let at = node.start_position();
            found.push((at.row as u32 + 1, at.column as u32 + 1));
            continue;
        }
        let mut cursor = node.walk();
        let children: Vec<Node> = node
            .children(&mut cursor)
            .filter(|c| c.has_error())
            .collect();
        stack.extend(children.into_iter().rev());
    }
    found.sort_unstable();
    found
}

fn may_define(body: Node, text: &[u8]) -> bool {
    /// A docstring and a return.
    const SHORT: usize = 2;
    /// Built once: building a searcher costs a fifth of a search.
    static WORDS: LazyLock<[memchr::memmem::Finder<'static>; 4]> = LazyLock::new(|| {
        [&b"def"[..], b"class", b"lambda", b"Enum"].map(memchr::memmem::Finder::new)
    });
    body.named_child_count() <= SHORT || WORDS.iter().any(|word| word.find(text).is_some())
}

#[derive(Default)]
struct DefinitionParts<'tree> {
    kind: Option<(ScopeKind, Node<'tree>)>,
    name: Option<Node<'tree>>,
    bases: Option<Node<'tree>>,
    body: Option<Node<'tree>>,
}

impl<'tree> DefinitionParts<'tree> {
    fn into_event(self) -> Option<Event<'tree>> {
        let (kind, node) = self.kind?;
        Some(Event {
            node,
            kind: EventKind::Definition {
                kind,
                name: self.name?,
                bases: self.bases,
                body: self.body?,
            },
        })
    }
}

struct Event<'tree> {
    node: Node<'tree>,
    kind: EventKind<'tree>,
}

impl<'tree> Event<'tree> {
    fn new(node: Node<'tree>, kind: EventKind<'tree>) -> Event<'tree> {
        Event { node, kind }
    }
}

enum EventKind<'tree> {
    Definition {
        kind: ScopeKind,
        name: Node<'tree>,
        bases: Option<Node<'tree>>,
        body: Node<'tree>,
    },
    Import,
    Assignment,
    Return,
    Site(String),
}

/// The grammar's field ids, looked up once: by name, every lookup would be
/// a string search through the grammar's field names.
struct FieldIds {
    alias: FieldId,
    arguments: FieldId,
    attribute: FieldId,
    body: FieldId,
    function: FieldId,
    left: FieldId,
    module_name: FieldId,
    name: FieldId,
    object: FieldId,
    operator: FieldId,
    parameters: FieldId,
    return_type: FieldId,
    right: FieldId,
    subscript: FieldId,
    type_: FieldId,
    value: FieldId,
}

impl FieldIds {
    fn new() -> FieldIds {
        let language = language();
        let id = |name: &str| {
            language
                .field_id_for_name(name)
                .unwrap_or_else(|| panic!("tree-sitter-python has no field {name}"))
        };
        FieldIds {
            alias: id("alias"),
            arguments: id("arguments"),
            attribute: id("attribute"),
            body: id("body"),
            function: id("function"),
            left: id("left"),
            module_name: id("module_name"),
            name: id("name"),
            object: id("object"),
            operator: id("operator"),
            parameters: id("parameters"),
            return_type: id("return_type"),
            right: id("right"),
            subscript: id("subscript"),
            type_: id("type"),
            value: id("value"),
        }
    }
}

/// `node.field` by id.
fn field<'tree>(node: Node<'tree>, id: FieldId) -> Option<Node<'tree>> {
    node.child_by_field_id(id.get())
}

struct FactsBuilder<'source> {
    source: &'source [u8],
    fields: &'source FieldIds,
    facts: FileFacts,
}

pub mod bodies;
mod expressions;
mod statements;

#[cfg(test)]
mod tests;
