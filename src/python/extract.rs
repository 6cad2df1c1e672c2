//! From a file's bytes to its [`FileFacts`]: parse with tree-sitter-python, run
//! the queries under `grammars/python/`, and turn the captured nodes into facts
//! attributed to the innermost class or function body around them.

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

use super::Framework;
use super::facts::{Call, Expr, Fact, FileFacts, Lambda, MODULE_SCOPE, Scope, ScopeId, ScopeKind};

const MODULE_QUERY: &str = include_str!("../../grammars/python/module.scm");
const GRAPHENE_QUERY: &str = include_str!("../../grammars/python/graphene.scm");
const STRAWBERRY_QUERY: &str = include_str!("../../grammars/python/strawberry.scm");
const ARIADNE_QUERY: &str = include_str!("../../grammars/python/ariadne.scm");

/// Deeper expressions are cut off: nothing a resolver hangs on is nested this far.
const MAX_EXPR_DEPTH: usize = 48;
/// Longer list displays keep their first elements only (data tables, not types).
const MAX_SEQ_LEN: usize = 512;

/// The query sources a framework choice runs, in a fixed order.
pub fn query_sources(framework: Framework) -> Vec<(&'static str, &'static str)> {
    let mut sources = vec![("module.scm", MODULE_QUERY)];
    if matches!(framework, Framework::Graphene | Framework::Auto) {
        sources.push(("graphene.scm", GRAPHENE_QUERY));
    }
    if matches!(framework, Framework::Strawberry | Framework::Auto) {
        sources.push(("strawberry.scm", STRAWBERRY_QUERY));
    }
    if matches!(framework, Framework::Ariadne | Framework::Auto) {
        sources.push(("ariadne.scm", ARIADNE_QUERY));
    }
    sources
}

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
    FunctionParameters,
    FunctionBody,
    Decorator,
    DecoratedDefinition,
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
            "function.parameters" => Role::FunctionParameters,
            "function.body" => Role::FunctionBody,
            "decorated.decorator" => Role::Decorator,
            "decorated.definition" => Role::DecoratedDefinition,
            "import" => Role::Import,
            "assignment" => Role::Assignment,
            "return.value" => Role::ReturnValue,
            helper if helper.starts_with('_') => Role::Helper,
            site => Role::Site(site.to_string()),
        }
    }
}

/// The compiled queries; one per index build, shared by all threads.
pub struct Extractor {
    query: Query,
    roles: Vec<Role>,
    fingerprint: String,
}

impl Extractor {
    pub fn new(framework: Framework) -> Extractor {
        let sources = query_sources(framework);
        let mut text = String::new();
        let mut hasher = blake3::Hasher::new();
        for (name, source) in &sources {
            text.push_str(source);
            text.push('\n');
            hasher.update(name.as_bytes());
            hasher.update(source.as_bytes());
        }
        let query = Query::new(&language(), &text)
            .unwrap_or_else(|error| panic!("grammars/python queries do not compile: {error}"));
        let roles = query
            .capture_names()
            .iter()
            .map(|name| Role::from_capture_name(name))
            .collect();
        Extractor {
            query,
            roles,
            fingerprint: hasher.finalize().to_hex().to_string(),
        }
    }

    /// Hash of the query files in use: cached facts are only valid for these.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub fn extract(&self, parser: &mut Parser, source: &[u8]) -> Option<FileFacts> {
        let tree = parser.parse(source, None)?;
        Some(self.facts(&tree, source))
    }

    fn facts(&self, tree: &Tree, source: &[u8]) -> FileFacts {
        let root = tree.root_node();
        let mut events: Vec<Event> = Vec::new();
        let mut decorators: HashMap<usize, Vec<Node>> = HashMap::new();
        let mut seen_sites: HashSet<(usize, usize)> = HashSet::new();

        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(&self.query, root, source);
        while let Some(found) = matches.next() {
            let mut definition = None;
            let mut found_decorators = Vec::new();
            let mut parts = DefinitionParts::default();
            for capture in found.captures() {
                let node = capture.node;
                match &self.roles[capture.index as usize] {
                    Role::Class => parts.kind = Some((ScopeKind::Class, node)),
                    Role::Function => parts.kind = Some((ScopeKind::Function, node)),
                    Role::ClassName | Role::FunctionName => parts.name = Some(node),
                    Role::ClassBases | Role::FunctionParameters => parts.header = Some(node),
                    Role::ClassBody | Role::FunctionBody => parts.body = Some(node),
                    Role::Decorator => found_decorators.push(node),
                    Role::DecoratedDefinition => definition = Some(node),
                    Role::Import => events.push(Event::new(node, EventKind::Import)),
                    Role::Assignment => events.push(Event::new(node, EventKind::Assignment)),
                    Role::ReturnValue => events.push(Event::new(node, EventKind::Return)),
                    Role::Site(site) => {
                        if seen_sites.insert((capture.index as usize, node.id())) {
                            events.push(Event::new(node, EventKind::Site(site.clone())));
                        }
                    }
                    Role::Helper => {}
                }
            }
            if let Some(definition) = definition {
                decorators.insert(definition.id(), found_decorators);
            }
            if let Some(event) = parts.into_event() {
                events.push(event);
            }
        }
        events.sort_by_key(|event| event.node.start_byte());

        let mut builder = FactsBuilder {
            source,
            facts: FileFacts {
                has_syntax_errors: root.has_error(),
                scopes: vec![Scope {
                    kind: ScopeKind::Module,
                    name: String::new(),
                    qualname: String::new(),
                    parent: MODULE_SCOPE,
                    line: 1,
                    end_line: root.end_position().row as u32 + 1,
                }],
                facts: Vec::new(),
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
                    header,
                    body,
                } => {
                    let decorators = decorators
                        .get(&event.node.id())
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let id =
                        builder.definition(scope, *kind, event.node, *name, *header, decorators);
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

#[derive(Default)]
struct DefinitionParts<'tree> {
    kind: Option<(ScopeKind, Node<'tree>)>,
    name: Option<Node<'tree>>,
    header: Option<Node<'tree>>,
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
                header: self.header,
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
        header: Option<Node<'tree>>,
        body: Node<'tree>,
    },
    Import,
    Assignment,
    Return,
    Site(String),
}

struct FactsBuilder<'source> {
    source: &'source [u8],
    facts: FileFacts,
}

impl FactsBuilder<'_> {
    fn text(&self, node: Node) -> String {
        String::from_utf8_lossy(&self.source[node.byte_range()]).into_owned()
    }

    fn scope_kind(&self, scope: ScopeId) -> ScopeKind {
        self.facts.scopes[scope as usize].kind
    }

    /// Prefix for the qualname of something defined directly in `scope`.
    fn qualname_prefix(&self, scope: ScopeId) -> String {
        let parent = &self.facts.scopes[scope as usize];
        match parent.kind {
            ScopeKind::Module => String::new(),
            ScopeKind::Class => format!("{}.", parent.qualname),
            ScopeKind::Function => format!("{}.<locals>.", parent.qualname),
        }
    }

    fn definition(
        &mut self,
        scope: ScopeId,
        kind: ScopeKind,
        node: Node,
        name: Node,
        header: Option<Node>,
        decorator_nodes: &[Node],
    ) -> ScopeId {
        let name = self.text(name);
        let prefix = self.qualname_prefix(scope);
        let id = self.facts.scopes.len() as ScopeId;
        self.facts.scopes.push(Scope {
            kind,
            qualname: format!("{prefix}{name}"),
            name,
            parent: scope,
            line: node.start_position().row as u32 + 1,
            end_line: node.end_position().row as u32 + 1,
        });
        let decorators = decorator_nodes
            .iter()
            .filter_map(|decorator| decorator.named_child(0))
            .map(|expression| self.expr(expression, &prefix, 0))
            .collect();
        let fact = match kind {
            ScopeKind::Class => {
                let mut bases = Vec::new();
                let mut keywords = Vec::new();
                if let Some(arguments) = header {
                    self.arguments(arguments, &prefix, &mut bases, &mut keywords);
                }
                Fact::Class {
                    scope,
                    class_scope: id,
                    bases,
                    keywords,
                    decorators,
                }
            }
            _ => Fact::Function {
                scope,
                function_scope: id,
                decorators,
                parameters: header.map(|p| self.parameters(p)).unwrap_or_default(),
                returns: node
                    .child_by_field_name("return_type")
                    .map(|annotation| self.expr(annotation, &prefix, 0)),
            },
        };
        self.facts.facts.push(fact);
        id
    }

    fn parameters(&self, parameters: Node) -> Vec<String> {
        let mut names = Vec::new();
        let mut walk = parameters.walk();
        for parameter in parameters.named_children(&mut walk) {
            let name = match parameter.kind() {
                "identifier" => Some(parameter),
                "default_parameter" | "typed_default_parameter" => {
                    parameter.child_by_field_name("name")
                }
                "typed_parameter" => parameter.named_child(0),
                _ => None,
            };
            if let Some(name) = name.filter(|n| n.kind() == "identifier") {
                names.push(self.text(name));
            }
        }
        names
    }

    fn import(&mut self, scope: ScopeId, node: Node) {
        let mut walk = node.walk();
        if node.kind() == "import_statement" {
            for name in node.children_by_field_name("name", &mut walk) {
                let (module, alias) = self.import_name(name);
                let binds = alias
                    .unwrap_or_else(|| module.split('.').next().unwrap_or_default().to_string());
                // `import a.b` binds `a`, which reaches a.b through the module table.
                let module = if name.kind() == "aliased_import" {
                    module
                } else {
                    binds.clone()
                };
                self.facts.facts.push(Fact::Import {
                    scope,
                    binds,
                    module,
                    level: 0,
                    attr: None,
                });
            }
            return;
        }
        let Some(module_name) = node.child_by_field_name("module_name") else {
            return;
        };
        let (module, level) = if module_name.kind() == "relative_import" {
            let mut level = 0;
            let mut module = String::new();
            let mut inner = module_name.walk();
            for part in module_name.named_children(&mut inner) {
                match part.kind() {
                    "import_prefix" => level = self.text(part).matches('.').count() as u32,
                    "dotted_name" => module = self.text(part),
                    _ => {}
                }
            }
            (module, level)
        } else {
            (self.text(module_name), 0)
        };
        let mut bound_any = false;
        for name in node.children_by_field_name("name", &mut walk) {
            let (attr, alias) = self.import_name(name);
            self.facts.facts.push(Fact::Import {
                scope,
                binds: alias.unwrap_or_else(|| attr.clone()),
                module: module.clone(),
                level,
                attr: Some(attr),
            });
            bound_any = true;
        }
        if !bound_any {
            let mut inner = node.walk();
            if node
                .named_children(&mut inner)
                .any(|child| child.kind() == "wildcard_import")
            {
                self.facts.facts.push(Fact::Import {
                    scope,
                    binds: "*".to_string(),
                    module,
                    level,
                    attr: None,
                });
            }
        }
    }

    /// `a.b` or `a.b as c` in an import statement: the dotted name and the alias.
    fn import_name(&self, node: Node) -> (String, Option<String>) {
        if node.kind() == "aliased_import" {
            let name = node
                .child_by_field_name("name")
                .map(|n| self.text(n))
                .unwrap_or_default();
            let alias = node.child_by_field_name("alias").map(|n| self.text(n));
            (name, alias)
        } else {
            (self.text(node), None)
        }
    }

    fn assignment(&mut self, scope: ScopeId, node: Node) {
        // Locals of functions never name a schema type or resolver.
        if self.scope_kind(scope) == ScopeKind::Function {
            return;
        }
        let prefix = self.qualname_prefix(scope);
        let annotation = node
            .child_by_field_name("type")
            .map(|annotation| self.expr(annotation, &prefix, 0));
        let mut targets = Vec::new();
        let mut current = node;
        loop {
            if let Some(left) = current.child_by_field_name("left")
                && left.kind() == "identifier"
            {
                targets.push(self.text(left));
            }
            match current.child_by_field_name("right") {
                Some(right) if right.kind() == "assignment" => current = right,
                right => {
                    let value = right.map(|value| self.expr(value, &prefix, 0));
                    if !targets.is_empty() {
                        self.facts.facts.push(Fact::Assign {
                            scope,
                            targets,
                            annotation,
                            value,
                        });
                    }
                    return;
                }
            }
        }
    }

    fn return_value(&mut self, scope: ScopeId, node: Node) {
        if self.scope_kind(scope) != ScopeKind::Function {
            return;
        }
        let prefix = self.qualname_prefix(scope);
        let value = self.expr(node, &prefix, 0);
        self.facts.facts.push(Fact::Return { scope, value });
    }

    fn site(&mut self, scope: ScopeId, site: &str, node: Node) {
        let prefix = self.qualname_prefix(scope);
        if let Expr::Call(call) = self.expr(node, &prefix, 0) {
            self.facts.facts.push(Fact::Call {
                scope,
                site: site.to_string(),
                call: *call,
            });
        }
    }

    fn arguments(
        &self,
        arguments: Node,
        prefix: &str,
        args: &mut Vec<Expr>,
        kwargs: &mut Vec<(String, Expr)>,
    ) {
        let mut walk = arguments.walk();
        for argument in arguments.named_children(&mut walk) {
            match argument.kind() {
                "keyword_argument" => {
                    let (Some(name), Some(value)) = (
                        argument.child_by_field_name("name"),
                        argument.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    kwargs.push((self.text(name), self.expr(value, prefix, 1)));
                }
                // `f(*bindables)`: the list stands for its elements.
                "list_splat" => {
                    if let Some(inner) = argument.named_child(0) {
                        args.push(self.expr(inner, prefix, 1));
                    }
                }
                "dictionary_splat" | "comment" => {}
                _ => args.push(self.expr(argument, prefix, 1)),
            }
        }
    }

    fn expr(&self, node: Node, prefix: &str, depth: usize) -> Expr {
        if depth > MAX_EXPR_DEPTH {
            return Expr::Other;
        }
        let child = |field: &str| node.child_by_field_name(field);
        let sub = |inner: Node| self.expr(inner, prefix, depth + 1);
        match node.kind() {
            "identifier" => Expr::Name(self.text(node)),
            "attribute" => match (child("object"), child("attribute")) {
                (Some(object), Some(attribute)) => {
                    Expr::Attribute(Box::new(sub(object)), self.text(attribute))
                }
                _ => Expr::Other,
            },
            "call" => {
                let Some(function) = child("function") else {
                    return Expr::Other;
                };
                let mut call = Call {
                    function: sub(function),
                    args: Vec::new(),
                    kwargs: Vec::new(),
                    line: node.start_position().row as u32 + 1,
                };
                if let Some(arguments) = child("arguments")
                    && arguments.kind() == "argument_list"
                {
                    self.arguments(arguments, prefix, &mut call.args, &mut call.kwargs);
                }
                Expr::Call(Box::new(call))
            }
            "string" => self.string(node).map_or(Expr::Other, Expr::Str),
            "concatenated_string" => {
                let mut text = String::new();
                let mut walk = node.walk();
                for part in node.named_children(&mut walk) {
                    match self.string(part) {
                        Some(piece) => text.push_str(&piece),
                        None => return Expr::Other,
                    }
                }
                Expr::Str(text)
            }
            "lambda" => {
                let qualname = format!("{prefix}<lambda>");
                let inner_prefix = format!("{qualname}.<locals>.");
                let body = child("body").map_or(Expr::Other, |body| {
                    self.expr(body, &inner_prefix, depth + 1)
                });
                Expr::Lambda(Lambda {
                    qualname,
                    line: node.start_position().row as u32 + 1,
                    end_line: node.end_position().row as u32 + 1,
                    body: Box::new(body),
                })
            }
            "list" | "tuple" | "set" | "expression_list" | "pattern_list" => {
                let mut walk = node.walk();
                Expr::Seq(
                    node.named_children(&mut walk)
                        .filter(|element| element.kind() != "comment")
                        .take(MAX_SEQ_LEN)
                        .map(sub)
                        .collect(),
                )
            }
            "subscript" => {
                let Some(value) = child("value") else {
                    return Expr::Other;
                };
                let mut walk = node.walk();
                let indices = node
                    .children_by_field_name("subscript", &mut walk)
                    .map(sub)
                    .collect();
                Expr::Subscript(Box::new(sub(value)), indices)
            }
            "generic_type" => {
                let mut walk = node.walk();
                let mut parts = node.named_children(&mut walk);
                let Some(value) = parts.next() else {
                    return Expr::Other;
                };
                let mut indices = Vec::new();
                for parameters in parts.filter(|p| p.kind() == "type_parameter") {
                    let mut inner = parameters.walk();
                    indices.extend(parameters.named_children(&mut inner).map(sub));
                }
                Expr::Subscript(Box::new(sub(value)), indices)
            }
            "binary_operator" | "boolean_operator" => {
                let operator = child("operator").map(|op| self.text(op));
                match (child("left"), child("right"), operator.as_deref()) {
                    (Some(left), Some(right), Some("|")) => {
                        Expr::Union(Box::new(sub(left)), Box::new(sub(right)))
                    }
                    (Some(left), Some(right), Some("or")) => {
                        Expr::Or(Box::new(sub(left)), Box::new(sub(right)))
                    }
                    _ => Expr::Other,
                }
            }
            "type" | "parenthesized_expression" => {
                let mut walk = node.walk();
                let inner = node
                    .named_children(&mut walk)
                    .find(|inner| inner.kind() != "comment");
                inner.map_or(Expr::Other, sub)
            }
            "none" => Expr::None,
            "true" => Expr::Bool(true),
            "false" => Expr::Bool(false),
            _ => Expr::Other,
        }
    }

    /// The text of a string literal without quotes; `None` for f-strings.
    fn string(&self, node: Node) -> Option<String> {
        if node.kind() != "string" {
            return None;
        }
        let mut text = String::new();
        let mut walk = node.walk();
        for part in node.named_children(&mut walk) {
            match part.kind() {
                "string_content" => text.push_str(&self.text(part)),
                "interpolation" => return None,
                _ => {}
            }
        }
        Some(text)
    }
}
