//! strawberry, read the way it builds a schema from decorated dataclasses:
//!
//! - a type is a class decorated with `@strawberry.type` / `interface`
//!   (or their `strawberry.federation` variants), named by `name=` or the class;
//! - its fields are the dataclass fields of the strawberry types in its MRO
//!   (plain mixins contribute nothing): annotated attributes (not `Private`,
//!   `ClassVar`), `x: T = strawberry.field(resolver=fn, name=…)`, and methods
//!   decorated with `@strawberry.field` / `mutation` / `subscription`; a
//!   subclass's declaration replaces an inherited one;
//! - names: `name=`, else the Python name through `to_camel_case` unless the
//!   schema's `StrawberryConfig(auto_camel_case=False)`.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::facts::{Call, Expr, Fact};
use super::names::to_camel_case;
use super::program::{MroEntry, Program, SchemaRoots, ScopeRef, Symbol, remember};
use super::{FieldCode, FieldResolution, Found, PythonSpan};

use super::reach;
use rayon::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeKind {
    Object,
    Interface,
    Input,
}

#[derive(Debug, Clone, Copy)]
struct Decoration<'p> {
    kind: TypeKind,
    name: Option<&'p str>,
}

/// `strawberry.federation.type` → `federation.type`.
fn strawberry_name<'a>(symbol: &'a Symbol<'_>) -> Option<&'a str> {
    match symbol {
        Symbol::External(path) => path.strip_prefix("strawberry."),
        _ => None,
    }
}

fn type_decorator(name: &str) -> Option<TypeKind> {
    match name {
        "type" | "federation.type" => Some(TypeKind::Object),
        "interface" | "federation.interface" => Some(TypeKind::Interface),
        "input" | "federation.input" => Some(TypeKind::Input),
        _ => None,
    }
}

fn is_field_function(name: &str) -> bool {
    matches!(
        name,
        "field" | "mutation" | "subscription" | "federation.field" | "federation.mutation"
    )
}

pub fn collect(program: &Program, out: &mut Found) {
    let mut strawberry = Strawberry::new(program);
    let declared = strawberry.types();
    strawberry.implementers = strawberry.implementers(&declared);
    let types = reach::schema_types(
        program,
        "strawberry",
        declared,
        strawberry.schema_roots(),
        |class| strawberry.neighbours(class),
        |class, decoration| strawberry.type_name(class, decoration),
        &mut out.problems,
    );
    for (class, _, type_name) in types {
        for field in strawberry.fields(class) {
            let name = match field.graphql_name {
                Some(name) => name.to_string(),
                None if strawberry.auto_camel_case => to_camel_case(&field.python_name),
                None => field.python_name.clone(),
            };
            let (resolution, code) = strawberry.resolve(&field);
            out.insert((type_name.clone(), name), resolution, code);
        }
    }
}

/// `strawberry.relay.Node`, the interface whose `id` field a type's
/// `resolve_id` classmethod serves.
fn is_relay_node(path: &str) -> bool {
    matches!(
        path,
        "strawberry.relay.Node" | "strawberry.relay.types.Node"
    )
}

/// A dataclass field of a strawberry type.
struct FieldDecl<'p> {
    python_name: String,
    graphql_name: Option<&'p str>,
    resolver: Resolver<'p>,
    /// The annotation, evaluated in `declared_in`.
    annotation: Option<&'p Expr>,
    declared_in: ScopeRef,
    /// The declaring statement's lines in `declared_in`'s file.
    statement: Option<(u32, u32)>,
}

enum Resolver<'p> {
    /// Attribute access.
    None,
    /// `strawberry.field(resolver=<expr>)`, evaluated in the class body.
    Expr(ScopeRef, &'p Expr),
    /// A method decorated with `@strawberry.field`, the decorator's index.
    Method(ScopeRef, usize),
    /// relay's `Node.id`, served by the type's `resolve_id` classmethod.
    NodeId(ScopeRef),
}

struct Strawberry<'p> {
    program: &'p Program,
    /// Per class (by `Program::class_id`), filled on first use.
    decorations: Vec<OnceLock<Option<Decoration<'p>>>>,
    auto_camel_case: bool,
    /// Interface → the declared types deriving from it.
    implementers: HashMap<ScopeRef, Vec<ScopeRef>>,
}

impl<'p> Strawberry<'p> {
    fn new(program: &'p Program) -> Strawberry<'p> {
        let mut strawberry = Strawberry {
            program,
            decorations: (0..program.class_count())
                .map(|_| OnceLock::new())
                .collect(),
            auto_camel_case: true,
            implementers: HashMap::new(),
        };
        let camel_case_off = strawberry.schema_calls().any(|(at, call)| {
            let config = match call.kwarg("config") {
                Some(Expr::Call(config)) => Some(&**config),
                Some(other) => match program.eval(at, other) {
                    Symbol::Value(_, Expr::Call(config)) => Some(&**config),
                    _ => None,
                },
                None => None,
            };
            config.is_some_and(|config| {
                matches!(config.kwarg("auto_camel_case"), Some(Expr::Bool(false)))
            })
        });
        strawberry.auto_camel_case = !camel_case_off;
        strawberry
    }

    /// The strawberry decorator of a class, if it has one.
    fn decoration(&self, class: ScopeRef) -> Option<Decoration<'p>> {
        let slot = self.program.class_id(class).map(|id| &self.decorations[id]);
        if let Some(decoration) = slot.and_then(OnceLock::get) {
            return *decoration;
        }
        let at = self.program.parent(class);
        let decoration = match self.program.class_fact(class) {
            Some(Fact::Class { decorators, .. }) => decorators.iter().find_map(|decorator| {
                let (callee, call) = match decorator {
                    Expr::Call(call) => (&call.function, Some(&**call)),
                    other => (other, None),
                };
                let kind = type_decorator(strawberry_name(&self.program.eval(at, callee))?)?;
                let name = call
                    .and_then(|call| call.kwarg("name"))
                    .and_then(Expr::as_str);
                Some(Decoration { kind, name })
            }),
            _ => None,
        };
        remember(slot, decoration)
    }

    fn types(&self) -> Vec<(ScopeRef, Decoration<'p>)> {
        self.program
            .declared_classes()
            .into_par_iter()
            .filter_map(|class| {
                let decoration = self.decoration(class)?;
                (decoration.kind != TypeKind::Input).then_some((class, decoration))
            })
            .collect()
    }

    fn implementers(
        &self,
        declared: &[(ScopeRef, Decoration<'p>)],
    ) -> HashMap<ScopeRef, Vec<ScopeRef>> {
        let mut implementers: HashMap<ScopeRef, Vec<ScopeRef>> = HashMap::new();
        for (class, _) in declared {
            for entry in self.program.mro(*class).iter().skip(1) {
                if let MroEntry::Class(base) = entry
                    && self
                        .decoration(*base)
                        .is_some_and(|d| d.kind == TypeKind::Interface)
                {
                    implementers.entry(*base).or_default().push(*class);
                }
            }
        }
        implementers
    }

    fn type_name(&self, class: ScopeRef, decoration: &Decoration) -> String {
        decoration
            .name
            .map_or_else(|| self.program.scope(class).name.clone(), str::to_string)
    }

    /// `strawberry.field(...)` or a decorator naming one: the call, if any.
    fn field_function(&self, at: ScopeRef, expr: &'p Expr) -> Option<Option<&'p Call>> {
        let (callee, call) = match expr {
            Expr::Call(call) => (&call.function, Some(&**call)),
            other => (other, None),
        };
        is_field_function(strawberry_name(&self.program.eval(at, callee))?).then_some(call)
    }

    /// `strawberry.Private[T]`, `ClassVar[T]`, `InitVar[T]`, relay's
    /// `NodeID[T]` (the attribute `Node.id` encodes): not fields.
    fn is_excluded(&self, at: ScopeRef, annotation: &'p Expr) -> bool {
        let Expr::Subscript(value, _) = annotation else {
            return false;
        };
        match self.program.eval(at, value) {
            Symbol::External(path) => {
                path == "strawberry.Private"
                    || path.ends_with("ClassVar")
                    || path.ends_with("InitVar")
                    || path == "strawberry.relay.NodeID"
                    || path == "strawberry.relay.types.NodeID"
            }
            _ => false,
        }
    }

    fn fields(&self, class: ScopeRef) -> Vec<FieldDecl<'p>> {
        let mut fields: Vec<FieldDecl<'p>> = Vec::new();
        let mro = self.program.mro(class);
        if mro
            .iter()
            .any(|entry| matches!(entry, MroEntry::External(path) if is_relay_node(path)))
        {
            fields.push(FieldDecl {
                python_name: "id".to_string(),
                graphql_name: Some("id"),
                resolver: Resolver::NodeId(class),
                annotation: None,
                declared_in: class,
                statement: None,
            });
        }
        for entry in self.program.mro(class).iter().rev() {
            let MroEntry::Class(base) = entry else {
                continue;
            };
            if self.decoration(*base).is_none() {
                continue;
            }
            for field in self.own_fields(*base) {
                match fields
                    .iter_mut()
                    .find(|f| f.python_name == field.python_name)
                {
                    Some(existing) => *existing = field,
                    None => fields.push(field),
                }
            }
        }
        fields
    }

    fn own_fields(&self, class: ScopeRef) -> Vec<FieldDecl<'p>> {
        let mut fields = Vec::new();
        for fact in self.program.members(class) {
            match fact {
                Fact::Assign {
                    targets,
                    annotation,
                    value,
                    line,
                    end_line,
                    ..
                } => {
                    let call = value
                        .as_ref()
                        .and_then(|value| self.field_function(class, value))
                        .flatten();
                    let resolver = call
                        .and_then(|call| call.kwarg("resolver"))
                        .filter(|resolver| **resolver != Expr::None);
                    match annotation {
                        Some(annotation) if self.is_excluded(class, annotation) => continue,
                        None if resolver.is_none() => continue,
                        _ => {}
                    }
                    for target in targets {
                        fields.push(FieldDecl {
                            python_name: target.clone(),
                            graphql_name: call.and_then(|c| c.kwarg("name")).and_then(Expr::as_str),
                            resolver: resolver.map_or(Resolver::None, |r| Resolver::Expr(class, r)),
                            annotation: annotation.as_ref(),
                            declared_in: class,
                            statement: Some((*line, *end_line)),
                        });
                    }
                }
                Fact::Function {
                    function_scope,
                    decorators,
                    returns,
                    ..
                } => {
                    let found = decorators
                        .iter()
                        .enumerate()
                        .find_map(|(index, decorator)| {
                            self.field_function(class, decorator)
                                .map(|call| (index, call))
                        });
                    let Some((index, call)) = found else {
                        continue;
                    };
                    let method = ScopeRef {
                        file: class.file,
                        scope: *function_scope,
                    };
                    let scope = self.program.scope(method);
                    fields.push(FieldDecl {
                        python_name: scope.name.clone(),
                        graphql_name: call.and_then(|c| c.kwarg("name")).and_then(Expr::as_str),
                        resolver: Resolver::Method(method, index),
                        annotation: returns.as_ref(),
                        declared_in: class,
                        statement: Some((scope.decorated_line, scope.end_line)),
                    });
                }
                _ => {}
            }
        }
        fields
    }

    /// What `resolver=` names; the name the statement itself assigns
    /// (`initials: str = strawberry.field(resolver=initials)`) means what it
    /// meant before the statement ran.
    fn resolver_symbol(&self, field: &FieldDecl<'p>, at: ScopeRef, expr: &'p Expr) -> Symbol<'p> {
        match (expr, field.statement) {
            (Expr::Name(name), Some((line, _))) if *name == field.python_name => {
                self.program.lookup_before(at, name, line)
            }
            _ => self.program.eval(at, expr),
        }
    }

    fn resolve(&self, field: &FieldDecl<'p>) -> (FieldResolution, FieldCode) {
        let mut code = FieldCode {
            declaration: field.statement.map(|(line, end_line)| PythonSpan {
                file: self.program.file(field.declared_in.file).path.clone(),
                line,
                end_line,
            }),
            ..FieldCode::default()
        };
        let runtime = match field.resolver {
            Resolver::None => None,
            Resolver::Expr(at, expr) => {
                let symbol = self.resolver_symbol(field, at, expr);
                code.resolver = self.program.binding_span(&symbol);
                self.program.runtime(symbol)
            }
            Resolver::Method(method, index) => Some(self.program.runtime_below(method, index)),
            Resolver::NodeId(class) => {
                let symbol = self.program.class_attribute(class, "resolve_id");
                code.resolver = symbol.as_ref().and_then(|s| self.program.binding_span(s));
                symbol.and_then(|symbol| self.program.runtime(symbol))
            }
        };
        match runtime {
            Some(runtime) => (
                FieldResolution::Function(self.program.resolver(runtime, None)),
                code,
            ),
            None => (FieldResolution::Default, code),
        }
    }

    // ---- the schema ------------------------------------------------------

    fn schema_calls(&self) -> impl Iterator<Item = (ScopeRef, &'p Call)> + '_ {
        self.program
            .calls_at("strawberry.schema")
            .filter(|(at, call)| {
                strawberry_name(&self.program.eval(*at, &call.function))
                    .is_some_and(|name| name == "Schema" || name.ends_with(".Schema"))
            })
    }

    fn schema_roots(&self) -> Vec<SchemaRoots> {
        self.program
            .schema_roots(self.schema_calls(), |element| self.implementations(element))
    }

    /// `types=implementations(Node)`: a project helper handed an interface
    /// (which walks `Node.__subclasses__()`) stands for its implementers.
    fn implementations(&self, element: &Symbol<'p>) -> Option<Vec<ScopeRef>> {
        let Symbol::Value(at, Expr::Call(call)) = element else {
            return None;
        };
        if !matches!(self.program.eval(*at, &call.function), Symbol::Function(_)) {
            return None;
        }
        let interfaces: Vec<ScopeRef> = call
            .args
            .iter()
            .filter_map(|argument| match self.program.eval(*at, argument) {
                Symbol::Class(class)
                    if self
                        .decoration(class)
                        .is_some_and(|d| d.kind == TypeKind::Interface) =>
                {
                    Some(class)
                }
                _ => None,
            })
            .collect();
        if interfaces.is_empty() {
            return None;
        }
        Some(
            interfaces
                .iter()
                .flat_map(|interface| self.implementers.get(interface).into_iter().flatten())
                .copied()
                .collect(),
        )
    }

    /// The classes a type leads the schema to: its interfaces and the types
    /// its fields' annotations (or resolvers' return annotations) name.
    fn neighbours(&self, class: ScopeRef) -> Vec<ScopeRef> {
        let mut next: Vec<ScopeRef> = self
            .program
            .mro(class)
            .iter()
            .filter_map(|entry| match entry {
                MroEntry::Class(base) if *base != class => Some(*base),
                _ => None,
            })
            .filter(|base| {
                self.decoration(*base)
                    .is_some_and(|d| d.kind == TypeKind::Interface)
            })
            .collect();
        for field in self.fields(class) {
            if let Some(annotation) = field.annotation {
                self.annotation_types(field.declared_in, annotation, &mut next, 0);
            }
            if let Resolver::Expr(at, expr) = field.resolver
                && let Symbol::Function(function) = self.resolver_symbol(&field, at, expr)
                && let Some(Fact::Function {
                    returns: Some(returns),
                    ..
                }) = self.program.function_fact(function)
            {
                self.annotation_types(self.program.parent(function), returns, &mut next, 0);
            }
        }
        next
    }

    /// The classes an annotation names: `Book`, `Optional[Book]`,
    /// `list["Book"]`, `Book | None`, `AsyncGenerator[Book, None]`.
    fn annotation_types(
        &self,
        at: ScopeRef,
        annotation: &'p Expr,
        out: &mut Vec<ScopeRef>,
        depth: u32,
    ) {
        if depth > 8 {
            return;
        }
        match annotation {
            Expr::Subscript(value, arguments) => {
                if let Symbol::Class(class) = self.program.eval(at, value) {
                    out.push(class);
                }
                for argument in arguments {
                    self.annotation_types(at, argument, out, depth + 1);
                }
            }
            Expr::Union(left, right) => {
                self.annotation_types(at, left, out, depth + 1);
                self.annotation_types(at, right, out, depth + 1);
            }
            Expr::Seq(items) => {
                for item in items {
                    self.annotation_types(at, item, out, depth + 1);
                }
            }
            // A forward reference: every dotted name in the string.
            Expr::Str(text) => {
                for name in text
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .filter(|name| name.starts_with(|c: char| c.is_alphabetic() || c == '_'))
                {
                    if let Symbol::Class(class) = self.program.lookup_dotted(at, name) {
                        out.push(class);
                    }
                }
            }
            // An alias: `SearchResult: TypeAlias = Annotated[Union[A, B],
            // strawberry.union("SearchResult")]`, `Pet = strawberry.union(...)`.
            Expr::Name(_) | Expr::Attribute(..) => match self.program.eval(at, annotation) {
                Symbol::Class(class) => out.push(class),
                Symbol::Value(defined_at, value) if !std::ptr::eq(value, annotation) => {
                    self.annotation_types(defined_at, value, out, depth + 1);
                }
                _ => {}
            },
            // `strawberry.union("Pet", (Cat, Dog))`
            Expr::Call(call) => {
                if strawberry_name(&self.program.eval(at, &call.function)) == Some("union")
                    && let Some(types) = call.arg(1, "types")
                {
                    self.annotation_types(at, types, out, depth + 1);
                }
            }
            _ => {}
        }
    }
}
