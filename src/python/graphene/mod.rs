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

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::facts::{Call, Expr, Fact};
use super::names::to_camel_case;
use super::program::{MroEntry, Program, SchemaRoots, ScopeRef, Symbol, remember};
use super::reach;
use super::{FieldCode, FieldResolution, Found, PythonSpan};

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
    let resolved: Vec<Vec<((String, String), Resolved)>> = types
        .par_iter()
        .map(|(class, kind, type_name)| {
            let interfaces = graphene.interfaces(*class);
            graphene
                .fields(*class)
                .iter()
                .map(|field| {
                    let mut resolved = graphene.resolve(*class, *kind, field, &interfaces);
                    resolved.code.declaration = field.declaration(program);
                    ((type_name.clone(), graphene.field_name(field)), resolved)
                })
                .collect()
        })
        .collect();
    for (key, resolved) in resolved.into_iter().flatten() {
        out.insert(key, resolved.resolution, resolved.code);
    }
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

fn slots<T>(program: &Program) -> Vec<OnceLock<T>> {
    (0..program.class_count())
        .map(|_| OnceLock::new())
        .collect()
}

type Fields<'p> = Arc<[FieldDecl<'p>]>;

/// A field of a type, by the attribute it is mounted as.
#[derive(Clone)]
struct FieldDecl<'p> {
    attr: String,
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

    // ---- fields ----------------------------------------------------------

    /// The fields of a type class, by attribute: its interfaces' first, then
    /// those mounted along its MRO, nearest class last (as graphene merges them).
    fn fields(&self, class: ScopeRef) -> Fields<'p> {
        let slot = self.program.class_id(class).map(|id| &self.fields[id]);
        if let Some(fields) = slot.and_then(OnceLock::get) {
            return fields.clone();
        }
        let kind = self.kind(class).unwrap_or(Kind::Other);
        let mut fields: Vec<FieldDecl<'p>> = Vec::new();
        let mut positions: HashMap<String, usize> = HashMap::new();
        let mut put = |fields: &mut Vec<FieldDecl<'p>>, field: FieldDecl<'p>| match positions
            .get(&field.attr)
        {
            Some(&position) => fields[position] = field,
            None => {
                positions.insert(field.attr.clone(), fields.len());
                fields.push(field);
            }
        };
        // A Mutation without an output type drops the interface fields.
        if matches!(kind, Kind::ObjectType | Kind::Connection) {
            for interface in self.interfaces(class) {
                for field in self.interface_fields(&interface).iter() {
                    put(&mut fields, field.clone());
                }
            }
        }
        for entry in self.program.mro(class).iter().rev() {
            if let MroEntry::Class(base) = entry {
                for field in self.mounted(*base).iter() {
                    put(&mut fields, field.clone());
                }
            }
        }
        let library: &[(&str, &'static str)] = match kind {
            Kind::Connection => &[("page_info", "pageInfo"), ("edges", "edges")],
            Kind::Mutation { client_id: true } => &[("client_mutation_id", "clientMutationId")],
            _ => &[],
        };
        for &(attr, name) in library {
            // relay's Connection keeps a field of that name; ClientIDMutation does not.
            if kind == Kind::Connection && fields.iter().any(|field| field.attr == attr) {
                continue;
            }
            put(
                &mut fields,
                FieldDecl {
                    attr: attr.to_string(),
                    mount: Mount::Library(name),
                    statement: None,
                },
            );
        }
        remember(slot, fields.into())
    }

    /// The fields mounted directly in one class body (its `__dict__`).
    fn mounted(&self, class: ScopeRef) -> Fields<'p> {
        let slot = self.program.class_id(class).map(|id| &self.mounted[id]);
        if let Some(fields) = slot.and_then(OnceLock::get) {
            return fields.clone();
        }
        let fields: Fields<'p> = self
            .program
            .scope_bindings(class)
            .filter_map(|(attr, fact)| match fact {
                Fact::Assign {
                    value: Some(value),
                    annotation,
                    line,
                    end_line,
                    ..
                } => self
                    .mount(class, value, 0)
                    .or_else(|| self.annotated_mount(class, annotation.as_ref(), value))
                    .map(|mount| FieldDecl {
                        attr: attr.to_string(),
                        mount,
                        statement: Some((class, *line, *end_line)),
                    }),
                _ => None,
            })
            .collect();
        remember(slot, fields)
    }

    fn interface_fields(&self, interface: &Symbol<'p>) -> Fields<'p> {
        match interface {
            Symbol::Class(class) if self.kind(*class) == Some(Kind::Interface) => {
                self.fields(*class)
            }
            Symbol::External(path) if is_graphene(path) && last_part(path) == "Node" => {
                Arc::from(vec![FieldDecl {
                    attr: "id".to_string(),
                    mount: Mount::Library("id"),
                    statement: None,
                }])
            }
            _ => Arc::from(Vec::new()),
        }
    }

    /// Whether a class attribute's value is a field, and which.
    fn mount(&self, at: ScopeRef, value: &'p Expr, hops: u32) -> Option<Mount<'p>> {
        if hops > 8 {
            return None;
        }
        match value {
            Expr::Call(call) => self.mount_call(at, call),
            // A field instance defined once and shared.
            Expr::Name(_) | Expr::Attribute(..) => match self.program.eval(at, value) {
                Symbol::Value(defined_at, value @ Expr::Call(_)) => {
                    self.mount(defined_at, value, hops + 1)
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn mount_call(&self, at: ScopeRef, call: &'p Call) -> Option<Mount<'p>> {
        let declared = |field_class, mutation, library_resolver| Mount::Declared {
            at,
            call: Some(call),
            field_class,
            mutation,
            library_resolver,
        };
        if let Expr::Attribute(object, attr) = &call.function
            && attr == "Field"
        {
            match self.program.eval(at, object) {
                Symbol::Class(class) => {
                    return match self.kind(class) {
                        Some(Kind::Mutation { .. }) => Some(declared(None, Some(class), false)),
                        Some(Kind::Mountable) => Some(declared(Some(class), None, false)),
                        _ => None,
                    };
                }
                // `relay.Node.Field()`: a library type mounting its own resolver
                // (not `graphene.Field`, the class).
                Symbol::External(path)
                    if library_kind(&path).is_some_and(|kind| kind != Kind::Mountable) =>
                {
                    return Some(declared(None, None, true));
                }
                _ => {}
            }
        }
        let mounted = match self.program.eval(at, &call.function) {
            Symbol::External(path) => {
                (library_kind(&path) == Some(Kind::Mountable)).then(|| declared(None, None, false))
            }
            Symbol::Class(class) => (self.kind(class) == Some(Kind::Mountable))
                .then(|| declared(Some(class), None, false)),
            // `jobs = non_null_list(Job)`: a project function building a field.
            Symbol::Function(factory) => self
                .makes_graphene_type(factory)
                .then(|| declared(None, None, false)),
            // `Color = graphene.Enum.from_enum(PyColor)` … `color = Color()`;
            // `StateEnum: Final[graphene.Enum] = to_enum(State)` … `state = StateEnum()`
            Symbol::Value(defined_at, made @ Expr::Call(made_by)) => {
                let annotation = self.assigned_annotation(defined_at, made);
                let graphene_made = match self.program.eval(defined_at, &made_by.function) {
                    Symbol::External(path) => is_graphene(&path),
                    Symbol::Function(factory) => self.makes_graphene_type(factory),
                    _ => false,
                };
                (graphene_made
                    || annotation.is_some_and(|annotation| {
                        self.is_graphene_annotation(defined_at, annotation, 0)
                    }))
                .then(|| declared(None, None, false))
            }
            _ => None,
        };
        mounted.or_else(|| self.wrapped_mount(at, call))
    }

    /// `requires(field=Int(), fields=…)`, `external(ID())`, `override(String(),
    /// from_=…)`: a call handed a field (first or as `field=`) mounts it.
    fn wrapped_mount(&self, at: ScopeRef, call: &'p Call) -> Option<Mount<'p>> {
        // graphene-federation 3 names it `graphene_type=`, 2 `field=`.
        let field = call
            .arg(0, "field")
            .or_else(|| call.kwarg("graphene_type"))?;
        match field {
            Expr::Call(inner) => self.mount_call(at, inner),
            _ => None,
        }
    }

    /// `x: graphene.Enum = …` / `x: Final[Type[graphene.Enum]] = …`: a class
    /// attribute the project says is a graphene type, whatever made it.
    fn annotated_mount(
        &self,
        at: ScopeRef,
        annotation: Option<&'p Expr>,
        value: &'p Expr,
    ) -> Option<Mount<'p>> {
        let annotation = annotation?;
        let call = value.as_call()?;
        (self.is_graphene_annotation(at, annotation, 0)
            && matches!(self.program.eval(at, &call.function), Symbol::Function(_)))
        .then_some(Mount::Declared {
            at,
            call: Some(call),
            field_class: None,
            mutation: None,
            library_resolver: false,
        })
    }

    /// The annotation of the assignment whose value is `value`.
    fn assigned_annotation(&self, at: ScopeRef, value: &Expr) -> Option<&'p Expr> {
        self.program.members(at).find_map(|fact| match fact {
            Fact::Assign {
                value: Some(assigned),
                annotation,
                ..
            } if std::ptr::eq(assigned, value) => annotation.as_ref(),
            _ => None,
        })
    }

    /// An annotation naming a graphene type a field can be made of
    /// (`graphene.Enum`, `Type[graphene.Enum]`, `Final[graphene.String]`).
    fn is_graphene_annotation(&self, at: ScopeRef, annotation: &'p Expr, depth: u32) -> bool {
        if depth > 4 {
            return false;
        }
        match annotation {
            Expr::Subscript(value, arguments) => {
                self.is_graphene_annotation(at, value, depth + 1)
                    || arguments
                        .iter()
                        .any(|argument| self.is_graphene_annotation(at, argument, depth + 1))
            }
            Expr::Name(_) | Expr::Attribute(..) => match self.program.eval(at, annotation) {
                Symbol::External(path) => library_kind(&path) == Some(Kind::Mountable),
                Symbol::Class(class) => self.kind(class) == Some(Kind::Mountable),
                _ => false,
            },
            _ => false,
        }
    }

    /// A project function that returns a graphene type or field it builds
    /// (`return graphene.Enum(...)`, `return graphene.NonNull(...)`) or says
    /// so in its return annotation.
    fn makes_graphene_type(&self, factory: ScopeRef) -> bool {
        let at = self.program.parent(factory);
        if let Some(Fact::Function {
            returns: Some(returns),
            ..
        }) = self.program.function_fact(factory)
            && self.is_graphene_annotation(at, returns, 0)
        {
            return true;
        }
        self.program.members(factory).any(|fact| match fact {
            Fact::Return {
                value: Expr::Call(call),
                ..
            } => {
                let mut callee = &call.function;
                // `graphene.Enum.from_enum(...)`, `graphene.Enum(...)`
                if let Expr::Attribute(object, method) = callee
                    && method == "from_enum"
                {
                    callee = object;
                }
                match self.program.eval(factory, callee) {
                    Symbol::External(path) => library_kind(&path) == Some(Kind::Mountable),
                    _ => false,
                }
            }
            _ => false,
        })
    }

    fn field_name(&self, field: &FieldDecl) -> String {
        match &field.mount {
            Mount::Library(name) => name.to_string(),
            Mount::Declared { call, .. } => {
                if let Some(Expr::Str(name)) = call.and_then(|call| call.kwarg("name")) {
                    return name.clone();
                }
                if self.auto_camelcase {
                    to_camel_case(&field.attr)
                } else {
                    field.attr.clone()
                }
            }
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
            for field in self.fields(class).iter() {
                self.field_types(field, &mut next);
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
