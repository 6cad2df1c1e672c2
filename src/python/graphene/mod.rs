//! graphene (2.x and 3.x), read the way `graphene.types.schema.TypeMap` builds
//! the schema:
//!
//! - fields are the mounted attributes of the class and of every class in its
//!   MRO (plain mixins included), after the fields of `Meta.interfaces`;
//! - a field's resolver is its `resolver=` (or `source=`, which is attribute
//!   access), else `resolve_<attr>` found by `getattr` on the class, else
//!   `resolve_<attr>` of the first interface declaring the field, else the
//!   default resolver;
//! - `Mutation.Field()` mounts the mutation's `mutate` as `resolver=`;
//! - names: `Meta.name` (or the class name), `name=` on the field, or the
//!   attribute name through `to_camel_case`.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::facts::{Call, Expr, Fact};
use super::names::to_camel_case;
use super::program::{MroEntry, Program, SchemaRoots, ScopeRef, Symbol, remember};
use super::reach;
use super::{FieldCode, FieldRecord, FieldResolution, Found, PythonSpan};

mod fields;
mod resolvers;

/// Methods holding a mutation's own logic, looked up in this order.
const MUTATION_LOGIC: &[&str] = &[
    "mutate_and_get_payload",
    "perform_mutation",
    "perform_mutate",
];

/// What a class is to graphene, from the library classes it derives from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    ObjectType,
    Interface,
    /// `client_id`: relay's `ClientIDMutation` family, whose `mutate` is
    /// graphene's own and calls the project's `mutate_and_get_payload`.
    Mutation {
        client_id: bool,
    },
    Connection,
    Input,
    /// Instances are fields: scalars, enums, `List`, `NonNull`, `Field` and
    /// their subclasses.
    Mountable,
    Other,
}

impl Kind {
    fn has_fields(self) -> bool {
        matches!(
            self,
            Kind::ObjectType | Kind::Interface | Kind::Mutation { .. } | Kind::Connection
        )
    }
}

fn is_graphene(path: &str) -> bool {
    path.split('.')
        .next()
        .is_some_and(|root| root.starts_with("graphene"))
}

fn last_part(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// The kind of a graphene (or graphene-django, -sqlalchemy, …) library class.
fn library_kind(path: &str) -> Option<Kind> {
    if !is_graphene(path) {
        return None;
    }
    let name = last_part(path);
    Some(match name {
        "ObjectType" | "DjangoObjectType" | "SQLAlchemyObjectType" | "MongoengineObjectType" => {
            Kind::ObjectType
        }
        "Interface" | "Node" => Kind::Interface,
        "Mutation" => Kind::Mutation { client_id: false },
        "ClientIDMutation"
        | "DjangoFormMutation"
        | "DjangoModelFormMutation"
        | "SerializerMutation" => Kind::Mutation { client_id: true },
        "Connection" => Kind::Connection,
        "InputObjectType" => Kind::Input,
        "Union" | "Schema" | "Argument" | "InputField" | "ResolveInfo" | "Context" => Kind::Other,
        // Helpers that are not types never decide what a class is: a
        // `class Base(graphene.AbstractType)` mixin listed before
        // `graphene.ObjectType` only contributes fields.
        "AbstractType" | "SubclassWithMeta" | "BaseType" => return None,
        _ if name.starts_with(|c: char| c.is_ascii_uppercase()) => Kind::Mountable,
        _ => return None,
    })
}

/// Whether the library class at `path` has attribute `name` (for `getattr`
/// through library bases).
fn library_defines(path: &str, name: &str) -> bool {
    if !is_graphene(path) {
        return false;
    }
    match last_part(path) {
        "ClientIDMutation" => name == "mutate",
        "DjangoFormMutation" | "DjangoModelFormMutation" | "SerializerMutation" => {
            matches!(name, "mutate" | "mutate_and_get_payload" | "perform_mutate")
        }
        "Interface" => name == "resolve_type",
        "Node" => matches!(
            name,
            "resolve_type" | "node_resolver" | "get_node_from_global_id"
        ),
        "DjangoObjectType" => name == "resolve_id",
        _ => false,
    }
}

pub fn collect(program: &Program, out: &mut Found) {
    let graphene = Graphene::new(program);
    let types = reach::schema_types(
        program,
        "graphene",
        graphene.types(),
        graphene.schema_roots(),
        |class| graphene.neighbours(class),
        |class, kind| graphene.type_name(class, *kind),
        &mut out.problems,
    );
    let resolved: Vec<(String, Vec<FieldRecord>)> = types
        .into_par_iter()
        .map(|(class, kind, type_name)| {
            let interfaces = graphene.interfaces(class);
            let fields = graphene.fields(class);
            // A type of many fields (`Query`) is split up among the cores.
            let records = fields
                .par_iter()
                .with_min_len(MANY)
                .map(|field| {
                    let mut resolved = graphene.resolve(class, kind, field, &interfaces);
                    resolved.code.declaration = field.declaration(program);
                    let name = graphene.field_name(field);
                    (name, resolved.resolution, resolved.code)
                })
                .collect();
            (type_name, records)
        })
        .collect();
    out.insert_all(resolved);
}

/// What a Field subclass's `__init__` is given: the call site (where its
/// arguments are evaluated) and the `__init__` itself.
struct Passed<'p> {
    at: ScopeRef,
    site: Option<&'p Call>,
    init: ScopeRef,
}

/// A field's resolution and the code behind it.
struct Resolved {
    resolution: FieldResolution,
    code: FieldCode,
}

impl Resolved {
    fn default() -> Resolved {
        Resolved {
            resolution: FieldResolution::Default,
            code: FieldCode::default(),
        }
    }
}

/// More items than this (a class's bases, a type's fields) are worth
/// spreading over the cores.
const MANY: usize = 64;

fn slots<T>(program: &Program) -> Vec<OnceLock<T>> {
    (0..program.class_count())
        .map(|_| OnceLock::new())
        .collect()
}

type Fields<'p> = Arc<[FieldDecl<'p>]>;

/// A field of a type, by the attribute it is mounted as.
#[derive(Clone)]
struct FieldDecl<'p> {
    /// The program's own text (or a library field's name): no copy per
    /// type that inherits the field.
    attr: &'p str,
    mount: Mount<'p>,
    /// The class whose body holds the declaring statement, and its lines.
    statement: Option<(ScopeRef, u32, u32)>,
}

impl FieldDecl<'_> {
    fn declaration(&self, program: &Program) -> Option<PythonSpan> {
        let (class, line, end_line) = self.statement?;
        Some(PythonSpan {
            file: program.file(class.file).path.clone(),
            line,
            end_line,
        })
    }
}

#[derive(Clone)]
enum Mount<'p> {
    /// `attr = <expr>` in a class body; `at` is where `expr` is evaluated.
    Declared {
        at: ScopeRef,
        call: Option<&'p Call>,
        /// A workspace class whose instance the field is (a Field subclass,
        /// a scalar), whose hooks may supply the resolver.
        field_class: Option<ScopeRef>,
        /// `SomeMutation.Field()`.
        mutation: Option<ScopeRef>,
        /// A library field with its own resolver (`relay.Node.Field()`).
        library_resolver: bool,
    },
    /// A field graphene adds by itself, by GraphQL name (`pageInfo`, relay `id`).
    Library(&'static str),
}

struct Graphene<'p> {
    program: &'p Program,
    /// Per class (by `Program::class_id`), filled on first use.
    kinds: Vec<OnceLock<Option<Kind>>>,
    fields: Vec<OnceLock<Fields<'p>>>,
    mounted: Vec<OnceLock<Fields<'p>>>,
    auto_camelcase: bool,
}

impl<'p> Graphene<'p> {
    fn new(program: &'p Program) -> Graphene<'p> {
        let mut graphene = Graphene {
            program,
            kinds: slots(program),
            fields: slots(program),
            mounted: slots(program),
            auto_camelcase: true,
        };
        let camelcase_off = graphene
            .schema_calls()
            .any(|(_, call)| matches!(call.kwarg("auto_camelcase"), Some(Expr::Bool(false))));
        graphene.auto_camelcase = !camelcase_off;
        graphene
    }

    fn kind(&self, class: ScopeRef) -> Option<Kind> {
        let slot = self.program.class_id(class).map(|id| &self.kinds[id]);
        if let Some(kind) = slot.and_then(OnceLock::get) {
            return *kind;
        }
        let kind = self
            .program
            .mro(class)
            .iter()
            .find_map(|entry| match entry {
                MroEntry::External(path) => library_kind(path),
                MroEntry::Class(_) => None,
            });
        remember(slot, kind)
    }

    /// Every class of the workspace graphene makes a type with fields of.
    fn types(&self) -> Vec<(ScopeRef, Kind)> {
        self.program
            .declared_classes()
            .into_par_iter()
            .filter_map(|class| {
                let kind = self.kind(class).filter(|kind| kind.has_fields())?;
                let output =
                    matches!(kind, Kind::Mutation { .. }) && self.mutation_output(class).is_some();
                (!self.is_abstract(class) && !output).then_some((class, kind))
            })
            .collect()
    }

    // ---- Meta ------------------------------------------------------------

    /// A `Meta` option (or class keyword argument, which `Meta` overrides),
    /// with the scope its value is evaluated in. `Meta` is never inherited.
    fn option(&self, class: ScopeRef, name: &str) -> Option<(ScopeRef, &'p Expr)> {
        if let Some(meta) = self.program.nested_class(class, "Meta")
            && let Some(value) = self.program.class_value(meta, name)
        {
            return Some((meta, value));
        }
        match self.program.class_fact(class) {
            Some(Fact::Class { keywords, .. }) => keywords
                .iter()
                .find(|(keyword, _)| keyword == name)
                .map(|(_, value)| (self.program.parent(class), value)),
            _ => None,
        }
    }

    fn is_abstract(&self, class: ScopeRef) -> bool {
        matches!(self.option(class, "abstract"), Some((_, Expr::Bool(true))))
    }

    fn type_name(&self, class: ScopeRef, kind: Kind) -> String {
        if let Some((_, Expr::Str(name))) = self.option(class, "name") {
            return name.clone();
        }
        let class_name = &self.program.scope(class).name;
        match kind {
            Kind::Mutation { client_id: true } => {
                let base = class_name.strip_suffix("Payload").unwrap_or(class_name);
                format!("{base}Payload")
            }
            Kind::Connection => {
                let base = class_name.strip_suffix("Connection").unwrap_or(class_name);
                format!("{base}Connection")
            }
            _ => class_name.clone(),
        }
    }

    /// `Meta.interfaces`, evaluated.
    fn interfaces(&self, class: ScopeRef) -> Vec<Symbol<'p>> {
        self.option_list(class, "interfaces")
    }

    fn option_list(&self, class: ScopeRef, name: &str) -> Vec<Symbol<'p>> {
        let Some((at, value)) = self.option(class, name) else {
            return Vec::new();
        };
        let items: Vec<&Expr> = match value {
            Expr::Seq(items) => items.iter().collect(),
            single => vec![single],
        };
        items
            .into_iter()
            .map(|item| self.program.eval(at, item))
            .collect()
    }

    /// A mutation's separate output type (`Output` or `Meta.output`).
    fn mutation_output(&self, mutation: ScopeRef) -> Option<ScopeRef> {
        let output = match self.option(mutation, "output") {
            Some((at, value)) => self.program.eval(at, value),
            None => self.program.class_attribute(mutation, "Output")?,
        };
        match output {
            Symbol::Class(class) => Some(class),
            _ => None,
        }
    }

    // ---- the schema ------------------------------------------------------

    fn schema_calls(&self) -> impl Iterator<Item = (ScopeRef, &'p Call)> + '_ {
        self.program
            .calls_at("graphene.schema")
            .filter(|(at, call)| self.is_schema_class(*at, &call.function))
    }

    fn is_schema_class(&self, at: ScopeRef, function: &Expr) -> bool {
        let is_schema = |path: &str| {
            is_graphene(path)
                && (last_part(path) == "Schema"
                    || path.starts_with("graphene_federation") && last_part(path) == "build_schema")
        };
        match self.program.eval(at, function) {
            Symbol::External(path) => is_schema(&path),
            Symbol::Class(class) => self
                .program
                .mro(class)
                .iter()
                .any(|entry| matches!(entry, MroEntry::External(path) if is_schema(path))),
            _ => false,
        }
    }

    /// The classes passed to `Schema(query=, mutation=, subscription=, types=)`.
    fn schema_roots(&self) -> Vec<SchemaRoots> {
        self.program.schema_roots(self.schema_calls(), |_| None)
    }

    /// The classes a class leads the schema to: field types, interfaces,
    /// union members, connection nodes, a mutation's output.
    fn neighbours(&self, class: ScopeRef) -> Vec<ScopeRef> {
        let mut next = Vec::new();
        for option in ["interfaces", "types", "node"] {
            for symbol in self.option_list(class, option) {
                if let Symbol::Class(target) = symbol {
                    next.push(target);
                }
            }
        }
        let Some(kind) = self.kind(class) else {
            return next;
        };
        if let Kind::Mutation { .. } = kind
            && let Some(output) = self.mutation_output(class)
        {
            next.push(output);
        }
        if kind.has_fields() {
            let fields = self.fields(class);
            if fields.len() > MANY {
                let types: Vec<Vec<ScopeRef>> = fields
                    .par_chunks(MANY)
                    .map(|chunk| {
                        let mut types = Vec::new();
                        for field in chunk {
                            self.field_types(field, &mut types);
                        }
                        types
                    })
                    .collect();
                next.extend(types.into_iter().flatten());
            } else {
                for field in fields.iter() {
                    self.field_types(field, &mut next);
                }
            }
        }
        next
    }

    fn field_types(&self, field: &FieldDecl<'p>, out: &mut Vec<ScopeRef>) {
        let Mount::Declared {
            at,
            call,
            field_class,
            mutation,
            ..
        } = &field.mount
        else {
            return;
        };
        if let Some(mutation) = mutation {
            out.push(self.mutation_output(*mutation).unwrap_or(*mutation));
            return;
        }
        out.extend(*field_class);
        if let Some(call) = call
            && let Some(type_) = call.arg(0, "type_")
        {
            self.type_targets(*at, type_, out, 0);
        }
    }

    /// The classes a type expression names: `User`, `List(NonNull(User))`,
    /// `lambda: User`, `"webapp.users.types.User"`.
    fn type_targets(&self, at: ScopeRef, expr: &'p Expr, out: &mut Vec<ScopeRef>, depth: u32) {
        if depth > 8 {
            return;
        }
        match expr {
            Expr::Lambda(lambda) => self.type_targets(at, &lambda.body, out, depth + 1),
            Expr::Call(call) => {
                if let Some(inner) = call.arg(0, "of_type") {
                    self.type_targets(at, inner, out, depth + 1);
                }
                if let Symbol::Class(class) = self.program.eval(at, &call.function) {
                    out.push(class);
                }
            }
            Expr::Str(path) => {
                if let Some((module, name)) = path.rsplit_once('.')
                    && let Symbol::Class(class) = self
                        .program
                        .attribute(Symbol::Module(module.to_string()), name)
                {
                    out.push(class);
                }
            }
            _ => match self.program.eval(at, expr) {
                Symbol::Class(class) => out.push(class),
                Symbol::Value(defined_at, value @ Expr::Call(_)) => {
                    self.type_targets(defined_at, value, out, depth + 1)
                }
                _ => {}
            },
        }
    }
}
