//! ariadne, read the way `make_executable_schema` binds code to SDL:
//!
//! - bindables are `ObjectType("Name")`, `QueryType()`, `MutationType()`,
//!   `SubscriptionType()`, `InterfaceType("Name")` (and the federated ones);
//!   several may bind the same type;
//! - a bindable collects resolvers by GraphQL field name from
//!   `@obj.field("name")`, `obj.set_field("name", fn)`, `obj.set_alias`
//!   (attribute access) and, for subscriptions, `source` / `set_source`; a
//!   later binding of a name replaces an earlier one;
//! - bindables apply in the order `make_executable_schema` receives them,
//!   each replacing what came before; an interface's resolvers then go to
//!   every type implementing it (from the SDL) that has none for the field.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use apollo_parser::cst;

use super::facts::{Call, Expr, Fact};
use super::program::{FileId, Program, ScopeRef, Symbol};
use super::{FieldCode, FieldResolution, Found, PythonProblem, PythonProblemKind};

const SDL_EXTENSIONS: &[&str] = &["graphql", "graphqls", "gql"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BindableKind {
    Object,
    Interface,
}

/// A bindable object, identified by the call that constructs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct BindableId {
    file: FileId,
    call: *const Call,
}

struct Bindable<'p> {
    type_name: &'p str,
    kind: BindableKind,
    /// Field → resolver and the code binding it, last binding wins.
    resolvers: BTreeMap<&'p str, Binding>,
    /// Subscription field → source generator.
    sources: BTreeMap<&'p str, Binding>,
}

type Binding = (FieldResolution, FieldCode);

/// ariadne's bindables that bind no field: scalars, enums, unions, the
/// fallback resolvers, schema directives.
const OTHER_BINDABLES: &[&str] = &[
    "ScalarType",
    "EnumType",
    "UnionType",
    "SchemaDirectiveVisitor",
    "fallback_resolvers",
    "snake_case_fallback_resolvers",
    "SnakeCaseFallbackResolversSetter",
    "FallbackResolversSetter",
];

fn ariadne_name<'a>(symbol: &'a Symbol<'_>) -> Option<&'a str> {
    match symbol {
        Symbol::External(path) if path.split('.').next() == Some("ariadne") => {
            path.rsplit('.').next()
        }
        _ => None,
    }
}

/// The SDL files the result depends on, for the index memo.
#[derive(Debug, Default)]
pub struct SdlInputs {
    pub files: Vec<PathBuf>,
    /// The SDL came from directories searched for `.graphql` files, which a
    /// new file could change.
    pub searched_directories: bool,
}

pub fn collect(program: &Program, out: &mut Found) -> SdlInputs {
    let ariadne = Ariadne {
        program,
        inputs: RefCell::new(SdlInputs::default()),
    };
    let (bindables, found_order) = ariadne.bindables();
    if bindables.is_empty() {
        return ariadne.inputs.into_inner();
    }
    let schemas = ariadne.schemas();
    if schemas.is_empty() {
        // No make_executable_schema found: every bindable, in file order.
        let implementers = ariadne.implementers(&[]);
        apply(&bindables, &found_order, &implementers, out);
    }
    for (at, call) in schemas {
        let mut order = Vec::new();
        let mut traced = true;
        for argument in call.args.iter().skip(1) {
            traced &= ariadne.trace_bindables(at, argument, &mut order);
        }
        if !traced {
            // The list is built at run time (apps' modules imported by name,
            // `resolvers.extend(...)`): every bindable, in file order.
            order = found_order.clone();
            out.problems.push(PythonProblem {
                kind: PythonProblemKind::UntracedSchema,
                message: "the bindables passed to this schema could not all be followed; \
                          every ariadne bindable in the scanned roots is counted"
                    .to_string(),
                file: program.file(at.file).path.clone(),
                line: call.line,
            });
        }
        let mut type_defs = Vec::new();
        if let Some(first) = call.arg(0, "type_defs") {
            ariadne.sdl_texts(at, first, &mut type_defs, 0);
        }
        let implementers = ariadne.implementers(&type_defs);
        apply(&bindables, &order, &implementers, out);
    }
    ariadne.inputs.into_inner()
}

/// What the schema's fields end up resolved by once the bindables applied.
fn apply(
    bindables: &HashMap<BindableId, Bindable>,
    order: &[BindableId],
    implementers: &HashMap<String, Vec<String>>,
    out: &mut Found,
) {
    let mut resolvers: BTreeMap<(String, String), Binding> = BTreeMap::new();
    let mut sources: BTreeMap<(String, String), Binding> = BTreeMap::new();
    for id in order {
        let Some(bindable) = bindables.get(id) else {
            continue;
        };
        for (field, resolution) in &bindable.resolvers {
            let key = (bindable.type_name.to_string(), field.to_string());
            resolvers.insert(key, resolution.clone());
            if bindable.kind == BindableKind::Interface {
                for implementer in implementers.get(bindable.type_name).into_iter().flatten() {
                    resolvers
                        .entry((implementer.clone(), field.to_string()))
                        .or_insert_with(|| resolution.clone());
                }
            }
        }
        for (field, resolution) in &bindable.sources {
            let key = (bindable.type_name.to_string(), field.to_string());
            sources.insert(key, resolution.clone());
        }
    }
    // A subscription field resolved by default: its source is the code.
    for (key, source) in sources {
        match resolvers.get(&key) {
            Some((FieldResolution::Function(_), _)) => {}
            _ => {
                resolvers.insert(key, source);
            }
        }
    }
    for (key, (resolution, code)) in resolvers {
        out.insert(key, resolution, code);
    }
}

struct Ariadne<'p> {
    program: &'p Program,
    inputs: RefCell<SdlInputs>,
}

impl<'p> Ariadne<'p> {
    /// The bindable a symbol is, with its type name and kind.
    fn bindable(&self, symbol: &Symbol<'p>) -> Option<(BindableId, &'p str, BindableKind)> {
        let Symbol::Value(at, Expr::Call(call)) = symbol else {
            return None;
        };
        let constructor = self.program.eval(*at, &call.function);
        let (type_name, kind) = match ariadne_name(&constructor)? {
            "QueryType" => ("Query", BindableKind::Object),
            "MutationType" => ("Mutation", BindableKind::Object),
            "SubscriptionType" => ("Subscription", BindableKind::Object),
            "ObjectType" | "FederatedObjectType" => {
                (call.arg(0, "name")?.as_str()?, BindableKind::Object)
            }
            "InterfaceType" | "FederatedInterfaceType" => {
                (call.arg(0, "name")?.as_str()?, BindableKind::Interface)
            }
            _ => return None,
        };
        let id = BindableId {
            file: at.file,
            call: &**call as *const Call,
        };
        Some((id, type_name, kind))
    }

    /// Every bindable with its bindings, and the order they were found in.
    fn bindables(&self) -> (HashMap<BindableId, Bindable<'p>>, Vec<BindableId>) {
        let mut bindables: HashMap<BindableId, Bindable<'p>> = HashMap::new();
        let mut order = Vec::new();
        let mut bind = |symbol: Symbol<'p>, field: &'p str, source: bool, binding: Binding| {
            let Some((id, type_name, kind)) = self.bindable(&symbol) else {
                return;
            };
            let bindable = bindables.entry(id).or_insert_with(|| {
                order.push(id);
                Bindable {
                    type_name,
                    kind,
                    resolvers: BTreeMap::new(),
                    sources: BTreeMap::new(),
                }
            });
            let map = if source {
                &mut bindable.sources
            } else {
                &mut bindable.resolvers
            };
            map.insert(field, binding);
        };
        for (file, fact) in self.program.all_facts() {
            match fact {
                // @query.field("name") / @subscription.source("name")
                Fact::Function {
                    scope,
                    function_scope,
                    decorators,
                    ..
                } => {
                    let at = ScopeRef {
                        file,
                        scope: *scope,
                    };
                    for (index, decorator) in decorators.iter().enumerate() {
                        let Some((object, method, field)) = method_call(decorator) else {
                            continue;
                        };
                        if method != "field" && method != "source" {
                            continue;
                        }
                        let function = ScopeRef {
                            file,
                            scope: *function_scope,
                        };
                        let runtime = self.program.runtime_below(function, index);
                        let resolution =
                            FieldResolution::Function(self.program.resolver(runtime, None));
                        let code = FieldCode {
                            declaration: Some(self.program.definition_span(function)),
                            ..FieldCode::default()
                        };
                        bind(
                            self.program.eval(at, object),
                            field,
                            method == "source",
                            (resolution, code),
                        );
                    }
                }
                // query.set_field("name", fn), set_alias, set_source
                Fact::Call {
                    scope, site, call, ..
                } if site == "ariadne.binding" => {
                    let at = ScopeRef {
                        file,
                        scope: *scope,
                    };
                    let Some((object, method, field)) = method_call_parts(call) else {
                        continue;
                    };
                    let mut code = FieldCode {
                        declaration: Some(self.program.call_span(file, call)),
                        ..FieldCode::default()
                    };
                    let resolver = match method {
                        "set_alias" => None,
                        _ => call.args.get(1).map(|f| self.program.eval(at, f)),
                    };
                    code.resolver = resolver
                        .as_ref()
                        .and_then(|symbol| self.program.binding_span(symbol));
                    let resolution = match resolver.and_then(|symbol| self.program.runtime(symbol))
                    {
                        Some(runtime) => {
                            FieldResolution::Function(self.program.resolver(runtime, None))
                        }
                        None => FieldResolution::Default,
                    };
                    bind(
                        self.program.eval(at, object),
                        field,
                        method == "set_source",
                        (resolution, code),
                    );
                }
                _ => {}
            }
        }
        (bindables, order)
    }

    fn schemas(&self) -> Vec<(ScopeRef, &'p Call)> {
        self.program
            .all_facts()
            .filter_map(|(file, fact)| match fact {
                Fact::Call {
                    scope, site, call, ..
                } if site == "ariadne.schema" => {
                    let at = ScopeRef {
                        file,
                        scope: *scope,
                    };
                    let callee = self.program.eval(at, &call.function);
                    matches!(
                        ariadne_name(&callee),
                        Some("make_executable_schema" | "make_federated_schema")
                    )
                    .then_some((at, call))
                }
                _ => None,
            })
            .collect()
    }

    /// The bindables an argument of make_executable_schema stands for
    /// (lists nest, `+` and `*` concatenate); false when some could not be
    /// followed: an element ferry cannot evaluate, or a list that grows
    /// after it is written (`resolvers.extend(...)`, `+=`).
    fn trace_bindables(&self, at: ScopeRef, expr: &'p Expr, out: &mut Vec<BindableId>) -> bool {
        let elements = self.program.elements(at, expr);
        let mut traced = elements.complete && !self.grows(at, expr);
        for symbol in &elements.symbols {
            if let Some((id, ..)) = self.bindable(symbol) {
                out.push(id);
            } else if !self.binds_no_field(symbol) {
                traced = false;
            }
        }
        traced
    }

    /// `name.extend(...)`, `name.append(...)`, `name += ...` in the file of
    /// the schema call, for an argument that is a name.
    fn grows(&self, at: ScopeRef, expr: &Expr) -> bool {
        let Expr::Name(name) = expr else {
            return false;
        };
        self.program
            .calls_at("ariadne.list_grows")
            .any(|(site, call)| {
                site.file == at.file
                    && matches!(&call.function, Expr::Attribute(object, _)
                        if matches!(&**object, Expr::Name(grown) if grown == name))
            })
    }

    /// A scalar, enum, union, fallback resolvers: bindables ariadne accepts
    /// that bind no field.
    fn binds_no_field(&self, symbol: &Symbol<'p>) -> bool {
        let name = match symbol {
            Symbol::Value(at, Expr::Call(call)) => {
                ariadne_name(&self.program.eval(*at, &call.function)).map(str::to_string)
            }
            other => ariadne_name(other).map(str::to_string),
        };
        name.is_some_and(|name| OTHER_BINDABLES.contains(&name.as_str()))
    }

    // ---- the SDL -----------------------------------------------------------

    /// The SDL texts `type_defs` stands for: strings, `gql("...")`,
    /// `load_schema_from_path(path)`, lists of those.
    fn sdl_texts(&self, at: ScopeRef, expr: &'p Expr, out: &mut Vec<String>, depth: u32) {
        if depth > 8 {
            return;
        }
        match expr {
            Expr::Str(text) => out.push(text.clone()),
            Expr::Seq(items) => {
                for item in items {
                    self.sdl_texts(at, item, out, depth + 1);
                }
            }
            Expr::Call(call) => {
                let callee = self.program.eval(at, &call.function);
                match ariadne_name(&callee) {
                    Some("gql") => {
                        if let Some(text) = call.args.first() {
                            self.sdl_texts(at, text, out, depth + 1);
                        }
                    }
                    Some("load_schema_from_path") => {
                        if let Some(path) = call.args.first().and_then(|p| self.path(at, p, 0)) {
                            read_sdl(&path, out, &mut self.inputs.borrow_mut().files);
                        }
                    }
                    _ => {}
                }
            }
            Expr::Name(_) | Expr::Attribute(..) => {
                if let Symbol::Value(defined_at, value) = self.program.eval(at, expr) {
                    self.sdl_texts(defined_at, value, out, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// A path expression: `"schema.graphql"` (relative to the file, then to
    /// the workspace), `os.path.join(os.path.dirname(__file__), "x")`.
    fn path(&self, at: ScopeRef, expr: &'p Expr, depth: u32) -> Option<PathBuf> {
        if depth > 8 {
            return None;
        }
        let file = &self.program.file(at.file).absolute;
        let directory = file.parent()?;
        match expr {
            Expr::Name(name) if name == "__file__" => Some(file.clone()),
            Expr::Str(text) => {
                let beside = directory.join(text);
                if beside.exists() {
                    return Some(beside);
                }
                let workspace = workspace_root(file, &self.program.file(at.file).path)?;
                Some(workspace.join(text))
            }
            Expr::Call(call) => {
                let function = call.function.dotted()?;
                let last = function.rsplit('.').next()?;
                match last {
                    "join" => {
                        let mut path = PathBuf::new();
                        for (index, part) in call.args.iter().enumerate() {
                            match part {
                                Expr::Str(text) if index > 0 => path.push(text),
                                other => path.push(self.path(at, other, depth + 1)?),
                            }
                        }
                        Some(path)
                    }
                    "dirname" => Some(
                        self.path(at, call.args.first()?, depth + 1)?
                            .parent()?
                            .to_path_buf(),
                    ),
                    "abspath" | "realpath" | "normpath" => {
                        self.path(at, call.args.first()?, depth + 1)
                    }
                    _ => None,
                }
            }
            Expr::Name(_) | Expr::Attribute(..) => match self.program.eval(at, expr) {
                Symbol::Value(defined_at, value) => self.path(defined_at, value, depth + 1),
                _ => None,
            },
            _ => None,
        }
    }

    /// Interface → the types (objects and interfaces) declaring they
    /// implement it. Without SDL from the code, the `.graphql` files beside
    /// the scanned Python files are read.
    fn implementers(&self, type_defs: &[String]) -> HashMap<String, Vec<String>> {
        let mut texts = type_defs.to_vec();
        if texts.is_empty() {
            let mut directories: Vec<&Path> = self
                .program
                .files
                .iter()
                .filter_map(|file| file.absolute.parent())
                .collect();
            directories.sort();
            directories.dedup();
            let mut inputs = self.inputs.borrow_mut();
            inputs.searched_directories = true;
            for directory in directories {
                read_sdl_directory(directory, false, &mut texts, &mut inputs.files);
            }
        }
        let mut implementers: HashMap<String, Vec<String>> = HashMap::new();
        for text in &texts {
            let tree = apollo_parser::Parser::new(text).parse();
            for definition in tree.document().definitions() {
                let (name, implements) = match definition {
                    cst::Definition::ObjectTypeDefinition(d) => {
                        (d.name(), d.implements_interfaces())
                    }
                    cst::Definition::ObjectTypeExtension(d) => {
                        (d.name(), d.implements_interfaces())
                    }
                    cst::Definition::InterfaceTypeDefinition(d) => {
                        (d.name(), d.implements_interfaces())
                    }
                    cst::Definition::InterfaceTypeExtension(d) => {
                        (d.name(), d.implements_interfaces())
                    }
                    _ => continue,
                };
                let (Some(name), Some(implements)) = (name, implements) else {
                    continue;
                };
                for interface in implements.named_types() {
                    if let Some(interface) = interface.name() {
                        implementers
                            .entry(interface.text().to_string())
                            .or_default()
                            .push(name.text().to_string());
                    }
                }
            }
        }
        implementers
    }
}

/// `obj.method("name", …)`: the object, the method and the name.
fn method_call(expr: &Expr) -> Option<(&Expr, &str, &str)> {
    method_call_parts(expr.as_call()?)
}

fn method_call_parts(call: &Call) -> Option<(&Expr, &str, &str)> {
    let Expr::Attribute(object, method) = &call.function else {
        return None;
    };
    Some((object, method, call.args.first()?.as_str()?))
}

/// The workspace root, from a file's absolute and workspace-relative paths.
fn workspace_root(absolute: &Path, relative: &str) -> Option<PathBuf> {
    let mut root = absolute.to_path_buf();
    for _ in relative.split('/') {
        root = root.parent()?.to_path_buf();
    }
    Some(root)
}

/// `load_schema_from_path`: one file, or every SDL file under a directory
/// (a new file there goes unnoticed by the index memo, as ariadne's own
/// callers would need a restart too). `read` collects the files read.
fn read_sdl(path: &Path, out: &mut Vec<String>, read: &mut Vec<PathBuf>) {
    if path.is_dir() {
        read_sdl_directory(path, true, out, read);
    } else if let Ok(text) = std::fs::read_to_string(path) {
        out.push(text);
        read.push(path.to_path_buf());
    }
}

fn read_sdl_directory(
    directory: &Path,
    recursive: bool,
    out: &mut Vec<String>,
    read: &mut Vec<PathBuf>,
) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if recursive {
                read_sdl_directory(&path, true, out, read);
            }
        } else if path
            .extension()
            .is_some_and(|ext| SDL_EXTENSIONS.iter().any(|sdl| ext == *sdl))
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
            read.push(path);
        }
    }
}
