//! One Go source file as ferry sees it: its package, imports, methods (with
//! their stub status), types and the byte spans of its top-level
//! declarations, read with tree-sitter-go. Tree-sitter keeps going past syntax
//! errors, so a file someone is halfway through editing still indexes.

use std::cell::RefCell;
use std::sync::OnceLock;

use tree_sitter::{Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

use super::language;
use super::stub::{GoStatus, body_status};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoSourceFile {
    pub package: Option<String>,
    /// Byte offset just past the package clause.
    pub package_clause_end: usize,
    /// 1-based line and column of the first syntax error, if any.
    pub first_syntax_error: Option<(usize, usize)>,
    pub imports: Vec<ImportDecl>,
    /// Top-level declarations in file order.
    pub decls: Vec<TopLevelDecl>,
    pub methods: Vec<MethodDecl>,
    pub types: Vec<TypeDecl>,
    pub functions: Vec<FunctionDecl>,
}

/// `import "x"` or `import ( … )`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDecl {
    pub start: usize,
    pub end: usize,
    pub parenthesized: bool,
    pub specs: Vec<ImportSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSpec {
    /// `name` in `name "path"` (also `_` and `.`).
    pub alias: Option<String>,
    pub path: String,
    pub start: usize,
    pub end: usize,
    /// 0-based rows, to tell blank-line separated groups apart.
    pub start_row: usize,
    pub end_row: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclKind {
    Method {
        receiver: String,
        name: String,
    },
    Function {
        name: String,
    },
    /// A `type` declaration and the names it declares.
    Type {
        names: Vec<String>,
    },
    Import,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopLevelDecl {
    pub kind: DeclKind,
    /// Start of the doc comment directly above, or of the declaration.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodDecl {
    pub receiver: String,
    pub name: String,
    /// 1-based line of `func`.
    pub line: u32,
    pub end_line: u32,
    pub status: GoStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDecl {
    pub name: String,
    pub shape: TypeShape,
}

/// What kind of Go type a declaration makes, as far as gqlgen's pointer rules
/// care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeShape {
    Struct(Vec<StructField>),
    Interface,
    /// Maps, slices, pointers, funcs, chans: already nil-able.
    Nilable,
    /// Another named type (`type Date time.Time`), as written.
    Named(String),
    /// Basic types and anything else.
    Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructField {
    /// `None` for an embedded field.
    pub name: Option<String>,
    /// The embedded type's name (without `*` or package), for embedded fields.
    pub embedded: Option<String>,
    /// The raw tag, without quotes.
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionDecl {
    pub name: String,
    /// The type of the first parameter, as written.
    pub first_parameter_type: Option<String>,
}

fn declarations_query() -> &'static Query {
    static QUERY: OnceLock<Query> = OnceLock::new();
    QUERY.get_or_init(|| {
        Query::new(
            &language(),
            include_str!("../../grammars/go/declarations.scm"),
        )
        .expect("grammars/go/declarations.scm is a valid tree-sitter-go query")
    })
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut parser = Parser::new();
        parser
            .set_language(&language())
            .expect("tree-sitter-go matches the tree-sitter version");
        parser
    });
}

fn parse_tree(source: &str) -> Tree {
    PARSER.with(|parser| {
        parser
            .borrow_mut()
            .parse(source, None)
            .expect("parsing without a timeout or cancellation always yields a tree")
    })
}

impl GoSourceFile {
    pub fn parse(source: &str) -> GoSourceFile {
        let tree = parse_tree(source);
        let root = tree.root_node();
        let bytes = source.as_bytes();
        let mut file = GoSourceFile {
            package: None,
            package_clause_end: 0,
            first_syntax_error: first_error(root),
            imports: Vec::new(),
            decls: Vec::new(),
            methods: Vec::new(),
            types: Vec::new(),
            functions: Vec::new(),
        };
        file.decls = top_level_decls(root, bytes);

        let query = declarations_query();
        let capture = |name: &str| {
            query
                .capture_index_for_name(name)
                .expect("capture named in declarations.scm")
        };
        let (package_name, method, method_receiver, method_name, method_body) = (
            capture("package.name"),
            capture("method"),
            capture("method.receiver"),
            capture("method.name"),
            capture("method.body"),
        );
        let (function, function_name, function_parameters) = (
            capture("function"),
            capture("function.name"),
            capture("function.parameters"),
        );
        let (type_name, type_definition) = (capture("type.name"), capture("type.definition"));
        let (import, import_alias, import_path) = (
            capture("import"),
            capture("import.alias"),
            capture("import.path"),
        );

        let mut stub_cursor = QueryCursor::new();
        let mut cursor = QueryCursor::new();
        // Every pattern starts at a top-level node: no need to search bodies.
        cursor.set_max_start_depth(Some(1));
        let mut matches = cursor.matches(query, root, bytes);
        while let Some(found) = matches.next() {
            let node_for = |index: u32| {
                found
                    .captures()
                    .iter()
                    .find(|c| c.index == index)
                    .map(|c| c.node)
            };
            let text_for = |index: u32| node_for(index).map(|n| text(n, bytes).to_string());
            if let Some(name) = node_for(package_name) {
                if file.package.is_none() {
                    file.package = Some(text(name, bytes).to_string());
                    file.package_clause_end =
                        name.parent().map_or(name.end_byte(), |p| p.end_byte());
                }
            } else if let Some(node) = node_for(method) {
                let status = node_for(method_body).map_or(GoStatus::Implemented, |body| {
                    body_status(body, bytes, &mut stub_cursor)
                });
                file.methods.push(MethodDecl {
                    receiver: text_for(method_receiver).unwrap_or_default(),
                    name: text_for(method_name).unwrap_or_default(),
                    line: node.start_position().row as u32 + 1,
                    end_line: node.end_position().row as u32 + 1,
                    status,
                });
            } else if node_for(function).is_some() {
                let first_parameter_type = node_for(function_parameters).and_then(|params| {
                    let mut walker = params.walk();
                    let first = params
                        .named_children(&mut walker)
                        .find(|p| p.kind() == "parameter_declaration");
                    first
                        .and_then(|p| p.child_by_field_name("type"))
                        .map(|t| text(t, bytes).to_string())
                });
                file.functions.push(FunctionDecl {
                    name: text_for(function_name).unwrap_or_default(),
                    first_parameter_type,
                });
            } else if let (Some(name), Some(definition)) =
                (node_for(type_name), node_for(type_definition))
            {
                file.types.push(TypeDecl {
                    name: text(name, bytes).to_string(),
                    shape: type_shape(definition, bytes),
                });
            } else if let Some(spec_node) = node_for(import) {
                let Some(path) = node_for(import_path) else {
                    continue;
                };
                let spec = ImportSpec {
                    alias: text_for(import_alias),
                    path: unquote(text(path, bytes)),
                    start: spec_node.start_byte(),
                    end: spec_node.end_byte(),
                    start_row: spec_node.start_position().row,
                    end_row: spec_node.end_position().row,
                };
                if let Some(declaration) = ancestor(Some(spec_node), "import_declaration") {
                    let start = declaration.start_byte();
                    match file.imports.iter_mut().find(|d| d.start == start) {
                        Some(existing) => existing.specs.push(spec),
                        None => file.imports.push(ImportDecl {
                            start,
                            end: declaration.end_byte(),
                            parenthesized: declaration
                                .named_child(0)
                                .is_some_and(|c| c.kind() == "import_spec_list"),
                            specs: vec![spec],
                        }),
                    }
                }
            }
        }
        file.imports.sort_by_key(|d| d.start);
        for declaration in &mut file.imports {
            declaration.specs.sort_by_key(|s| s.start);
        }
        file
    }

    /// Whether a method `receiver.name` is declared in this file.
    pub fn has_method(&self, receiver: &str, name: &str) -> bool {
        self.methods
            .iter()
            .any(|m| m.receiver == receiver && m.name == name)
    }
}

fn ancestor<'t>(node: Option<Node<'t>>, kind: &str) -> Option<Node<'t>> {
    let mut current = node?.parent();
    while let Some(node) = current {
        if node.kind() == kind {
            return Some(node);
        }
        current = node.parent();
    }
    None
}

fn text<'s>(node: Node<'_>, source: &'s [u8]) -> &'s str {
    std::str::from_utf8(&source[node.start_byte()..node.end_byte()]).unwrap_or("")
}

/// The text of a Go string literal without its delimiters (escapes kept).
fn unquote(literal: &str) -> String {
    for delimiter in ['"', '`'] {
        if let Some(inner) = literal
            .strip_prefix(delimiter)
            .and_then(|rest| rest.strip_suffix(delimiter))
        {
            return inner.to_string();
        }
    }
    literal.to_string()
}

fn first_error(root: Node<'_>) -> Option<(usize, usize)> {
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            let position = node.start_position();
            return Some((position.row + 1, position.column + 1));
        }
        let descend = node.has_error() && cursor.goto_first_child();
        if !descend {
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return None;
                }
            }
        }
    }
}

/// Top-level declarations with their doc comments: a run of comment lines
/// ending on the line above a declaration belongs to it.
fn top_level_decls(root: Node<'_>, source: &[u8]) -> Vec<TopLevelDecl> {
    let mut walker = root.walk();
    let children: Vec<Node<'_>> = root.children(&mut walker).collect();
    let mut decls = Vec::new();
    for (index, node) in children.iter().enumerate() {
        let kind = match node.kind() {
            "comment" | "package_clause" => continue,
            "method_declaration" => DeclKind::Method {
                receiver: method_receiver(*node, source).unwrap_or_default(),
                name: node
                    .child_by_field_name("name")
                    .map(|n| text(n, source).to_string())
                    .unwrap_or_default(),
            },
            "function_declaration" => DeclKind::Function {
                name: node
                    .child_by_field_name("name")
                    .map(|n| text(n, source).to_string())
                    .unwrap_or_default(),
            },
            "type_declaration" => {
                let mut inner = node.walk();
                let names = node
                    .named_children(&mut inner)
                    .filter_map(|spec| spec.child_by_field_name("name"))
                    .map(|n| text(n, source).to_string())
                    .collect();
                DeclKind::Type { names }
            }
            "import_declaration" => DeclKind::Import,
            _ if !node.is_named() => continue,
            _ => DeclKind::Other,
        };
        let mut start = node.start_byte();
        let mut next_row = node.start_position().row;
        for previous in children[..index].iter().rev() {
            if previous.kind() != "comment" || previous.end_position().row + 1 != next_row {
                break;
            }
            let trailing = children[..index]
                .iter()
                .rev()
                .find(|n| n.kind() != "comment" && n.end_byte() <= previous.start_byte())
                .is_some_and(|n| n.end_position().row == previous.start_position().row);
            if trailing {
                break;
            }
            start = previous.start_byte();
            next_row = previous.start_position().row;
        }
        decls.push(TopLevelDecl {
            kind,
            start,
            end: node.end_byte(),
        });
    }
    decls
}

fn method_receiver(method: Node<'_>, source: &[u8]) -> Option<String> {
    let receiver = method.child_by_field_name("receiver")?;
    let mut walker = receiver.walk();
    let parameter = receiver
        .named_children(&mut walker)
        .find(|n| n.kind() == "parameter_declaration")?;
    let mut ty = parameter.child_by_field_name("type")?;
    if ty.kind() == "pointer_type" {
        ty = ty.named_child(0)?;
    }
    (ty.kind() == "type_identifier").then(|| text(ty, source).to_string())
}

fn type_shape(definition: Node<'_>, source: &[u8]) -> TypeShape {
    match definition.kind() {
        "struct_type" => TypeShape::Struct(struct_fields(definition, source)),
        "interface_type" => TypeShape::Interface,
        "map_type" | "slice_type" | "pointer_type" | "function_type" | "channel_type" => {
            TypeShape::Nilable
        }
        "type_identifier" | "qualified_type" => {
            TypeShape::Named(text(definition, source).to_string())
        }
        _ => TypeShape::Value,
    }
}

fn struct_fields(struct_type: Node<'_>, source: &[u8]) -> Vec<StructField> {
    let Some(list) = struct_type.named_child(0) else {
        return Vec::new();
    };
    let mut walker = list.walk();
    let mut fields = Vec::new();
    for declaration in list.named_children(&mut walker) {
        if declaration.kind() != "field_declaration" {
            continue;
        }
        let tag = declaration
            .child_by_field_name("tag")
            .map(|t| unquote(text(t, source)));
        let mut names_walker = declaration.walk();
        let names: Vec<String> = declaration
            .children_by_field_name("name", &mut names_walker)
            .map(|n| text(n, source).to_string())
            .collect();
        if names.is_empty() {
            let embedded = declaration.child_by_field_name("type").map(|t| {
                let written = text(t, source).trim_start_matches('*');
                written.rsplit('.').next().unwrap_or(written).to_string()
            });
            fields.push(StructField {
                name: None,
                embedded,
                tag,
            });
        } else {
            for name in names {
                fields.push(StructField {
                    name: Some(name),
                    embedded: None,
                    tag: tag.clone(),
                });
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESOLVERS: &str = r#"package graph

// This file will be automatically regenerated based on the schema.

import (
	"context"
	"fmt"

	"example.com/classroom/graph/generated"
	m "example.com/classroom/graph/model"
)

// CreatedDate is the resolver for the createdDate field.
func (r *assignmentResolver) CreatedDate(ctx context.Context, obj *m.Assignment) (*time.Time, error) {
	panic(fmt.Errorf("not implemented: CreatedDate - createdDate"))
}

func (r *assignmentResolver) Title(ctx context.Context, obj *m.Assignment) (string, error) {
	return obj.Title, nil
}

func (r *queryResolver) Legacy(ctx context.Context) (string, error) {
	panic("not implemented")
}

func (r *queryResolver) Marked(ctx context.Context) (string, error) {
	// Python: resolve_marked
	// ferry:stub - port the Python above.
	panic(fmt.Errorf("todo"))
}

func (r *queryResolver) Unmarked(ctx context.Context) (string, error) {
	panic(fmt.Errorf("todo"))
}

func (r *queryResolver) Started(ctx context.Context) (string, error) {
	// ferry:stub
	x := 1
	_ = x
	panic("not implemented")
}

func (r mutationResolver) Value(ctx context.Context) (bool, error) { panic(errors.New("not implemented")) }

// Query returns generated.QueryResolver implementation.
func (r *Resolver) Query() generated.QueryResolver { return &queryResolver{r} }

type assignmentResolver struct{ *Resolver }
type queryResolver struct{ *Resolver }

type Assignment struct {
	ID, Title string
	Base      `json:"base"`
	*model.Other
	Due time.Time `json:"dueDate"`
}

type Role string
type Node interface{ IsNode() }
type Payload map[string]interface{}

func MarshalDate(t time.Time) graphql.Marshaler { return nil }

func helper() {
	type local struct{}
}
"#;

    #[test]
    fn reads_package_imports_and_methods() {
        let file = GoSourceFile::parse(RESOLVERS);
        assert_eq!(file.package.as_deref(), Some("graph"));
        assert_eq!(&RESOLVERS[..file.package_clause_end], "package graph");
        assert_eq!(file.first_syntax_error, None);
        assert_eq!(file.imports.len(), 1);
        let imports = &file.imports[0];
        assert!(imports.parenthesized);
        let paths: Vec<_> = imports
            .specs
            .iter()
            .map(|s| (s.alias.as_deref(), s.path.as_str()))
            .collect();
        assert_eq!(
            paths,
            vec![
                (None, "context"),
                (None, "fmt"),
                (None, "example.com/classroom/graph/generated"),
                (Some("m"), "example.com/classroom/graph/model"),
            ]
        );
        let methods: Vec<_> = file
            .methods
            .iter()
            .map(|m| (m.receiver.as_str(), m.name.as_str(), m.line, m.status))
            .collect();
        assert_eq!(
            methods,
            vec![
                ("assignmentResolver", "CreatedDate", 14, GoStatus::Stub),
                ("assignmentResolver", "Title", 18, GoStatus::Implemented),
                ("queryResolver", "Legacy", 22, GoStatus::Stub),
                ("queryResolver", "Marked", 26, GoStatus::Stub),
                ("queryResolver", "Unmarked", 32, GoStatus::Stub),
                ("queryResolver", "Started", 36, GoStatus::Implemented),
                ("mutationResolver", "Value", 43, GoStatus::Stub),
                ("Resolver", "Query", 46, GoStatus::Implemented),
            ]
        );
        assert_eq!(file.methods[0].end_line, 16);
    }

    #[test]
    fn reads_types_and_their_shapes() {
        let file = GoSourceFile::parse(RESOLVERS);
        let names: Vec<_> = file.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "assignmentResolver",
                "queryResolver",
                "Assignment",
                "Role",
                "Node",
                "Payload"
            ]
        );
        let TypeShape::Struct(fields) = &file.types[2].shape else {
            panic!("Assignment is a struct");
        };
        let summary: Vec<_> = fields
            .iter()
            .map(|f| (f.name.as_deref(), f.embedded.as_deref(), f.tag.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Some("ID"), None, None),
                (Some("Title"), None, None),
                (None, Some("Base"), Some("json:\"base\"")),
                (None, Some("Other"), None),
                (Some("Due"), None, Some("json:\"dueDate\"")),
            ]
        );
        assert_eq!(file.types[3].shape, TypeShape::Named("string".to_string()));
        assert_eq!(file.types[4].shape, TypeShape::Interface);
        assert_eq!(file.types[5].shape, TypeShape::Nilable);
        assert_eq!(
            file.functions[0],
            FunctionDecl {
                name: "MarshalDate".to_string(),
                first_parameter_type: Some("time.Time".to_string())
            }
        );
    }

    #[test]
    fn declarations_carry_their_doc_comments() {
        let file = GoSourceFile::parse(RESOLVERS);
        let created = file
            .decls
            .iter()
            .find(|d| matches!(&d.kind, DeclKind::Method { name, .. } if name == "CreatedDate"))
            .unwrap();
        assert!(RESOLVERS[created.start..].starts_with("// CreatedDate is the resolver"));
        let title = file
            .decls
            .iter()
            .find(|d| matches!(&d.kind, DeclKind::Method { name, .. } if name == "Title"))
            .unwrap();
        assert!(RESOLVERS[title.start..].starts_with("func (r *assignmentResolver) Title"));
        let imports = file
            .decls
            .iter()
            .find(|d| d.kind == DeclKind::Import)
            .unwrap();
        assert!(RESOLVERS[imports.start..].starts_with("import ("));
    }

    #[test]
    fn syntax_errors_are_located_but_do_not_stop_indexing() {
        let source = "package graph\n\nfunc (r *queryResolver) A(ctx context.Context) (string, error) {\n\tpanic(\"not implemented\")\n}\n\nfunc (r *queryResolver) B( {\n";
        let file = GoSourceFile::parse(source);
        assert!(file.first_syntax_error.is_some());
        assert!(file.has_method("queryResolver", "A"));
    }
}
