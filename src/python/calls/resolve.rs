//! Which project function a call in a body reaches, when that is known
//! statically: names through the program's scopes and imports (those made
//! inside functions too), `module.f`, `Class.method`, `self.method` and
//! `cls.method` through the defining class's MRO, `super().method`, a local
//! built by a constructor (`x = Class(…); x.method()`), and a class's own
//! `__init__` for `Class(…)`.

use rustc_hash::FxHashMap;

use super::facts::{BodyFacts, DataPattern, DataSite};
use super::{DataAccess, DataTouch, DataVia};
use crate::python::PythonFunction;
use crate::python::facts::{Expr, Fact, ScopeId, ScopeKind};
use crate::python::program::{FileId, MroEntry, Program, ScopeRef, Symbol};

/// A function of the graph: a `def`, or a lambda by its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    Def(ScopeRef),
    Lambda {
        file: FileId,
        line: u32,
        end_line: u32,
    },
}

pub enum Callee {
    Project(Node),
    Library,
    Unresolved,
}

/// What one function does directly.
pub struct Direct {
    pub callees: Vec<Callee>,
    pub data: Vec<DataTouch>,
}

/// Python's builtins: calling one is a library call.
const BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "__import__",
    "aiter",
    "anext",
    "Exception",
    "ValueError",
    "TypeError",
    "KeyError",
    "RuntimeError",
    "NotImplementedError",
    "AttributeError",
    "IndexError",
    "PermissionError",
    "StopIteration",
    "AssertionError",
    "LookupError",
    "OSError",
    "IOError",
];

/// Per file: the body facts standing directly in each scope, by index.
#[derive(Default)]
struct ScopeTable {
    calls: FxHashMap<ScopeId, Vec<usize>>,
    locals: FxHashMap<ScopeId, Vec<usize>>,
    imports: FxHashMap<ScopeId, Vec<usize>>,
    data: FxHashMap<ScopeId, Vec<usize>>,
}

pub struct Bodies<'p> {
    program: &'p Program,
    bodies: &'p [BodyFacts],
    tables: Vec<ScopeTable>,
}

/// What a call's receiver is, when it is known.
enum Receiver<'p> {
    Instance(ScopeRef),
    Super(ScopeRef),
    Symbol(Symbol<'p>),
    /// A literal: its methods are the builtin type's.
    Literal,
}

impl<'p> Bodies<'p> {
    pub fn new(program: &'p Program, bodies: &'p [BodyFacts]) -> Bodies<'p> {
        use rayon::prelude::*;
        let tables = bodies
            .par_iter()
            .map(|body| {
                let mut table = ScopeTable::default();
                for (index, call) in body.calls.iter().enumerate() {
                    table.calls.entry(call.scope).or_default().push(index);
                }
                for (index, local) in body.locals.iter().enumerate() {
                    table.locals.entry(local.scope).or_default().push(index);
                }
                for (index, import) in body.imports.iter().enumerate() {
                    table.imports.entry(import.scope()).or_default().push(index);
                }
                for (index, site) in body.data.iter().enumerate() {
                    table.data.entry(site.scope).or_default().push(index);
                }
                table
            })
            .collect();
        Bodies {
            program,
            bodies,
            tables,
        }
    }

    pub fn describe(&self, node: Node) -> PythonFunction {
        match node {
            Node::Def(def) => self
                .program
                .describe(crate::python::program::FunctionRef::Def(def)),
            Node::Lambda {
                file,
                line,
                end_line,
            } => {
                let scope = self.innermost(file, line);
                let prefix = self.program.scope(scope).qualname_prefix();
                PythonFunction {
                    file: self.program.file(file).path.clone(),
                    line,
                    end_line,
                    function: format!("{prefix}<lambda>"),
                }
            }
        }
    }

    /// The innermost recorded scope of `file` around `line`.
    fn innermost(&self, file: FileId, line: u32) -> ScopeRef {
        let scopes = &self.program.file(file).facts.scopes;
        let scope = scopes
            .iter()
            .enumerate()
            .rev()
            .find(|(_, scope)| scope.line <= line && line <= scope.end_line)
            .map_or(0, |(id, _)| id as ScopeId);
        ScopeRef { file, scope }
    }

    /// The calls and data of one function's own body (not of functions
    /// nested in it, which are functions of their own).
    pub fn direct(&self, node: Node) -> Direct {
        let body = |file: FileId| &self.bodies[file as usize];
        let mut direct = Direct {
            callees: Vec::new(),
            data: Vec::new(),
        };
        let (file, sites): (FileId, Vec<(ScopeRef, usize)>) = match node {
            Node::Def(def) => (
                def.file,
                self.tables[def.file as usize]
                    .calls
                    .get(&def.scope)
                    .into_iter()
                    .flatten()
                    .map(|&index| (def, index))
                    .collect(),
            ),
            Node::Lambda {
                file,
                line,
                end_line,
            } => (
                file,
                body(file)
                    .calls
                    .iter()
                    .enumerate()
                    .filter(|(_, call)| line <= call.line && call.line <= end_line)
                    .map(|(index, call)| {
                        (
                            ScopeRef {
                                file,
                                scope: call.scope,
                            },
                            index,
                        )
                    })
                    .collect(),
            ),
        };
        for (at, index) in sites {
            let call = &body(file).calls[index];
            direct.callees.push(self.callee(at, &call.callee));
        }
        if let Node::Def(def) = node {
            for &index in self.tables[def.file as usize]
                .data
                .get(&def.scope)
                .into_iter()
                .flatten()
            {
                let site = &body(def.file).data[index];
                if let Some(touch) = self.data(def, site) {
                    direct.data.push(touch);
                }
            }
            direct.data.sort();
            direct.data.dedup();
        }
        direct
    }

    fn callee(&self, at: ScopeRef, callee: &'p Expr) -> Callee {
        match callee {
            Expr::Name(name) => match self.name(at, name) {
                Symbol::Unknown if BUILTINS.contains(&name.as_str()) => Callee::Library,
                symbol => self.symbol_callee(symbol),
            },
            Expr::Attribute(object, method) => self.method(at, object, method),
            Expr::Lambda(lambda) => Callee::Project(Node::Lambda {
                file: at.file,
                line: lambda.line,
                end_line: lambda.end_line,
            }),
            _ => Callee::Unresolved,
        }
    }

    fn symbol_callee(&self, symbol: Symbol<'p>) -> Callee {
        match symbol {
            Symbol::Function(function) => Callee::Project(Node::Def(function)),
            Symbol::Lambda(_, _) | Symbol::Value(_, Expr::Call(_)) => {
                match self.program.runtime(symbol) {
                    Some(runtime) => Callee::Project(super::Node::from_function(runtime.function)),
                    None => Callee::Unresolved,
                }
            }
            Symbol::Class(class) => match self.program.class_attribute(class, "__init__") {
                Some(Symbol::Function(init)) => Callee::Project(Node::Def(init)),
                _ => Callee::Library,
            },
            Symbol::External(_) => Callee::Library,
            _ => Callee::Unresolved,
        }
    }

    fn method(&self, at: ScopeRef, object: &'p Expr, method: &str) -> Callee {
        match self.receiver(at, object) {
            Some(Receiver::Instance(class)) => self.class_method(class, method),
            Some(Receiver::Super(class)) => {
                for entry in self.program.mro(class).iter().skip(1) {
                    match entry {
                        MroEntry::Class(base) => {
                            if self
                                .program
                                .scope_bindings(*base)
                                .any(|(name, _)| name == method)
                            {
                                return self.class_method(*base, method);
                            }
                        }
                        MroEntry::External(_) => return Callee::Library,
                    }
                }
                Callee::Unresolved
            }
            Some(Receiver::Literal) => Callee::Library,
            Some(Receiver::Symbol(Symbol::Class(class))) => self.class_method(class, method),
            Some(Receiver::Symbol(symbol @ Symbol::Module(_))) => {
                self.symbol_callee(self.program.attribute(symbol, method))
            }
            Some(Receiver::Symbol(Symbol::External(_))) => Callee::Library,
            _ => Callee::Unresolved,
        }
    }

    /// `getattr(instance_or_class, method)` called: a library base answers
    /// what the project's classes do not define.
    fn class_method(&self, class: ScopeRef, method: &str) -> Callee {
        match self.program.class_attribute(class, method) {
            Some(symbol) => self.symbol_callee(symbol),
            None if self.has_library_base(class) => Callee::Library,
            None => Callee::Unresolved,
        }
    }

    fn has_library_base(&self, class: ScopeRef) -> bool {
        self.program
            .mro(class)
            .iter()
            .any(|entry| matches!(entry, MroEntry::External(_)))
    }

    fn receiver(&self, at: ScopeRef, object: &'p Expr) -> Option<Receiver<'p>> {
        match object {
            Expr::Name(name) if name == "self" || name == "cls" => {
                self.method_class(at).map(Receiver::Instance)
            }
            Expr::Call(call) if call.function == Expr::Name("super".into()) => {
                self.method_class(at).map(Receiver::Super)
            }
            Expr::Name(name) => match self.local_class(at, name) {
                Some(class) => Some(Receiver::Instance(class)),
                None => Some(Receiver::Symbol(self.eval(at, object))),
            },
            Expr::Attribute(..) => Some(Receiver::Symbol(self.eval(at, object))),
            Expr::Str(_) | Expr::Seq(_) | Expr::Other => Some(Receiver::Literal),
            _ => None,
        }
    }

    /// The class whose method (or a function nested in one) `at` is.
    fn method_class(&self, at: ScopeRef) -> Option<ScopeRef> {
        let mut scope = at;
        loop {
            let parent = self.program.parent(scope);
            if parent == scope {
                return None;
            }
            match self.program.scope(parent).kind {
                ScopeKind::Class if self.program.scope(scope).kind == ScopeKind::Function => {
                    return Some(parent);
                }
                ScopeKind::Module => return None,
                _ => scope = parent,
            }
        }
    }

    /// The class of a local built in this function by a constructor, or
    /// fetched through a Django manager (`Model.objects.get(…)`).
    fn local_class(&self, at: ScopeRef, name: &str) -> Option<ScopeRef> {
        let body = &self.bodies[at.file as usize];
        let local = self.tables[at.file as usize]
            .locals
            .get(&at.scope)?
            .iter()
            .rev()
            .map(|&index| &body.locals[index])
            .find(|local| local.name == name)?;
        self.built_class(at, &local.value)
    }

    fn built_class(&self, at: ScopeRef, value: &'p Expr) -> Option<ScopeRef> {
        let Expr::Call(call) = value else {
            return None;
        };
        if let Some(model) = manager_model(&call.function) {
            return match self.eval(at, model) {
                Symbol::Class(class) => Some(class),
                _ => None,
            };
        }
        match self.eval(at, &call.function) {
            Symbol::Class(class) => Some(class),
            _ => None,
        }
    }

    /// A name as seen from `at`: imports inside the enclosing functions
    /// first, then the program's scopes.
    fn name(&self, at: ScopeRef, name: &str) -> Symbol<'p> {
        let body = &self.bodies[at.file as usize];
        let table = &self.tables[at.file as usize];
        let mut scope = at;
        while self.program.scope(scope).kind == ScopeKind::Function {
            let import = table.imports.get(&scope.scope).and_then(|imports| {
                imports
                    .iter()
                    .rev()
                    .map(|&index| &body.imports[index])
                    .find(|fact| matches!(fact, Fact::Import { binds, .. } if binds == name))
            });
            if let Some(import) = import {
                return self.program.imported(at.file, import, 0);
            }
            scope = self.program.parent(scope);
        }
        self.program.lookup(at, name)
    }

    fn eval(&self, at: ScopeRef, expr: &'p Expr) -> Symbol<'p> {
        match expr {
            Expr::Name(name) => self.name(at, name),
            Expr::Attribute(object, attr) => {
                let object = self.eval(at, object);
                self.program.attribute(object, attr)
            }
            _ => self.program.eval(at, expr),
        }
    }

    fn data(&self, at: ScopeRef, site: &'p DataSite) -> Option<DataTouch> {
        let (model, access, via) = match site.pattern {
            DataPattern::DjangoManager { writes } => {
                let access = if writes {
                    DataAccess::Write
                } else {
                    DataAccess::Read
                };
                (self.model_of(at, &site.subject)?, access, DataVia::Django)
            }
            DataPattern::InstanceWrite => {
                let class = match &site.subject {
                    Expr::Name(name) if name == "self" => self.method_class(at),
                    Expr::Name(name) => self.local_class(at, name),
                    other => self.built_class(at, other),
                }
                .filter(|&class| self.is_model(class))?;
                (self.class_path(class), DataAccess::Write, DataVia::Django)
            }
            DataPattern::SessionQuery => {
                let subject = match &site.subject {
                    Expr::Attribute(object, _) if !matches!(**object, Expr::Name(_)) => {
                        &site.subject
                    }
                    Expr::Attribute(object, _) => object,
                    other => other,
                };
                (
                    self.model_of(at, subject)?,
                    DataAccess::Read,
                    DataVia::Sqlalchemy,
                )
            }
            DataPattern::SessionWrite => {
                let class = match &site.subject {
                    Expr::Name(name) => self.local_class(at, name),
                    other => self.built_class(at, other),
                }?;
                (
                    self.class_path(class),
                    DataAccess::Write,
                    DataVia::Sqlalchemy,
                )
            }
            DataPattern::Loader => {
                let name = match &site.subject {
                    Expr::Attribute(_, name) | Expr::Name(name) => name.clone(),
                    _ => return None,
                };
                (name, DataAccess::Read, DataVia::Dataloader)
            }
        };
        Some(DataTouch {
            model,
            access,
            via,
            line: site.line,
        })
    }

    /// The dotted path of the class an expression names.
    fn model_of(&self, at: ScopeRef, subject: &'p Expr) -> Option<String> {
        match self.eval(at, subject) {
            Symbol::Class(class) => Some(self.class_path(class)),
            Symbol::External(path) => Some(path),
            _ => None,
        }
    }

    fn class_path(&self, class: ScopeRef) -> String {
        let file = self.program.file(class.file);
        let qualname = &self.program.scope(class).qualname;
        match file.modules.first() {
            Some(module) => format!("{module}.{qualname}"),
            None => qualname.clone(),
        }
    }

    /// A class a library's ORM base makes a model (`models.Model`, `Model`).
    fn is_model(&self, class: ScopeRef) -> bool {
        self.program.mro(class).iter().any(|entry| match entry {
            MroEntry::External(path) => path.ends_with("Model") || path.contains("models."),
            MroEntry::Class(_) => false,
        })
    }
}

/// `X` in `X.objects.get(…)`, `X.objects.filter(…).first()`.
fn manager_model(function: &Expr) -> Option<&Expr> {
    match function {
        Expr::Attribute(object, attr) if attr == "objects" => Some(object),
        Expr::Attribute(object, _) => manager_model(object),
        Expr::Call(call) => manager_model(&call.function),
        _ => None,
    }
}
