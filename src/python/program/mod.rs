//! All scanned files together: module names, name bindings, imports followed
//! across modules, class hierarchies (C3 method resolution order) and the
//! function that really runs once decorators are applied.
//!
//! Framework modules ask questions of a [`Program`]; it knows Python, not
//! GraphQL.

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::facts::{Call, Expr, Fact, FileFacts, Lambda, MODULE_SCOPE, ScopeId, ScopeKind};
use super::names::dotted;
use super::{PythonFunction, PythonResolver};

mod classes;
mod functions;
mod importers;
mod sequences;
mod spans;

pub type FileId = u32;

/// Name lookups follow aliases and re-exports at most this deep (import cycles).
const MAX_HOPS: u32 = 24;

/// Builtins that matter to resolver finding (decorators, the root class).
const BUILTINS: &[&str] = &[
    "staticmethod",
    "classmethod",
    "property",
    "object",
    "list",
    "tuple",
    "set",
    "frozenset",
    "sorted",
];

/// Sequence expressions are followed at most this deep.
const MAX_SEQUENCE_DEPTH: u32 = 12;

/// The classes one schema call starts from, and where the call is.
pub struct SchemaRoots {
    pub file: FileId,
    pub line: u32,
    pub classes: Vec<ScopeRef>,
    /// Every root could be evaluated (a computed `types=` may not be).
    pub complete: bool,
}

/// One scanned file and the module names it can be imported as.
pub struct SourceFile {
    /// Relative to the workspace root, `/`-separated.
    pub path: String,
    pub absolute: PathBuf,
    /// Module names, one per import root containing the file (first is primary).
    pub modules: Vec<String>,
    pub is_package: bool,
    pub facts: FileFacts,
    /// Made from `facts` ([`ScopeTables::of`]) where the file is scanned,
    /// while its facts are at hand in the core's cache.
    pub tables: ScopeTables,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeRef {
    pub file: FileId,
    pub scope: ScopeId,
}

/// What a name or expression stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Symbol<'p> {
    /// A module or package of the workspace (possibly a namespace package).
    Module(String),
    Class(ScopeRef),
    Function(ScopeRef),
    Lambda(FileId, &'p Lambda),
    /// An expression kept as written (a call result, a string, …), with the
    /// scope it is evaluated in.
    Value(ScopeRef, &'p Expr),
    /// Something from outside the workspace, by dotted path (`graphene.String`).
    External(String),
    Unknown,
}

/// The elements a sequence expression stands for (see [`Program::elements`]).
pub struct Elements<'p> {
    pub symbols: Vec<Symbol<'p>>,
    /// Every part was followed (no comprehension, no call ferry cannot read).
    pub complete: bool,
}

/// An entry of a method resolution order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MroEntry {
    Class(ScopeRef),
    External(String),
}

/// A function that can be reported: a `def` or a `lambda`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FunctionRef<'p> {
    Def(ScopeRef),
    Lambda(FileId, &'p Lambda),
}

/// The function that runs when a resolver is called, and the user's own
/// function behind it when a decorator without `functools.wraps` replaced it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Runtime<'p> {
    pub function: FunctionRef<'p>,
    pub wrapped: Option<FunctionRef<'p>>,
}

pub struct Program {
    pub files: Vec<SourceFile>,
    modules: FxHashMap<String, FileId>,
    /// Packages implied by module names (namespace packages included).
    packages: FxHashSet<String>,
    /// Every class scope, numbered: the index of its memo slots.
    classes: FxHashMap<ScopeRef, usize>,
    /// Per class, filled on first use (from any thread).
    mros: Vec<OnceLock<Arc<[MroEntry]>>>,
    namespaces: Vec<OnceLock<Arc<Namespace>>>,
}

/// A class's attributes through its MRO: name → (MRO position, defining
/// class, binding fact), and the library bases with their positions.
#[derive(Default)]
struct Namespace {
    attributes: FxHashMap<String, (usize, ScopeRef, usize)>,
    libraries: Vec<(usize, String)>,
}

impl Program {
    /// Every call the query files tagged with `site`, with where it is made.
    pub(crate) fn calls_at<'s>(
        &'s self,
        site: &'s str,
    ) -> impl Iterator<Item = (ScopeRef, &'s Call)> + 's {
        self.all_facts().filter_map(move |(file, fact)| match fact {
            Fact::Call {
                scope,
                site: found,
                call,
                ..
            } if found == site => Some((
                ScopeRef {
                    file,
                    scope: *scope,
                },
                call,
            )),
            _ => None,
        })
    }

    pub fn new(files: Vec<SourceFile>) -> Program {
        let mut modules = FxHashMap::default();
        let mut packages = FxHashSet::default();
        for (id, file) in files.iter().enumerate() {
            for module in &file.modules {
                modules.entry(module.clone()).or_insert(id as FileId);
                let mut prefix = module.as_str();
                while let Some((parent, _)) = prefix.rsplit_once('.') {
                    packages.insert(parent.to_string());
                    prefix = parent;
                }
                if file.is_package {
                    packages.insert(module.clone());
                }
            }
        }
        let mut classes = FxHashMap::default();
        for (file, source) in files.iter().enumerate() {
            for (scope, definition) in source.facts.scopes.iter().enumerate() {
                if definition.kind == ScopeKind::Class {
                    let class = ScopeRef {
                        file: file as FileId,
                        scope: scope as ScopeId,
                    };
                    let id = classes.len();
                    classes.insert(class, id);
                }
            }
        }
        Program {
            files,
            modules,
            packages,
            mros: (0..classes.len()).map(|_| OnceLock::new()).collect(),
            namespaces: (0..classes.len()).map(|_| OnceLock::new()).collect(),
            classes,
        }
    }

    /// A class's number, for per-class memo slots (frameworks keep some too).
    pub fn class_id(&self, class: ScopeRef) -> Option<usize> {
        self.classes.get(&class).copied()
    }

    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    pub fn scope(&self, at: ScopeRef) -> &super::facts::Scope {
        &self.file(at.file).facts.scopes[at.scope as usize]
    }

    pub fn module_scope(file: FileId) -> ScopeRef {
        ScopeRef {
            file,
            scope: MODULE_SCOPE,
        }
    }

    /// The facts standing directly in a scope, in source order.
    pub fn members(&self, at: ScopeRef) -> impl Iterator<Item = &Fact> + '_ {
        let facts = &self.file(at.file).facts.facts;
        self.file(at.file).tables.members[at.scope as usize]
            .iter()
            .map(move |&index| &facts[index])
    }

    /// Names bound directly in a scope, each with the fact binding it (the
    /// last binding wins, as in a class `__dict__`).
    pub fn scope_bindings(&self, at: ScopeRef) -> impl Iterator<Item = (&str, &Fact)> + '_ {
        let facts = &self.file(at.file).facts.facts;
        self.file(at.file).tables.bindings[at.scope as usize]
            .iter()
            .map(move |(name, &index)| (name.as_str(), &facts[index]))
    }

    /// Where a function is, as reported to the user.
    pub fn describe(&self, function: FunctionRef) -> PythonFunction {
        match function {
            FunctionRef::Def(def) => {
                let scope = self.scope(def);
                PythonFunction {
                    file: self.file(def.file).path.clone(),
                    line: scope.line,
                    end_line: scope.end_line,
                    function: scope.qualname.clone(),
                }
            }
            FunctionRef::Lambda(file, lambda) => PythonFunction {
                file: self.file(file).path.clone(),
                line: lambda.line,
                end_line: lambda.end_line,
                function: lambda.qualname.clone(),
            },
        }
    }

    /// The report for a resolver: what runs, and the code behind it when a
    /// wrapper runs instead (or, failing that, `logic`).
    pub fn resolver(&self, runtime: Runtime, logic: Option<FunctionRef>) -> PythonResolver {
        let function = self.describe(runtime.function);
        let logic = runtime
            .wrapped
            .or(logic)
            .map(|logic| self.describe(logic))
            .filter(|logic| *logic != function);
        PythonResolver { function, logic }
    }

    /// Every class defined at module level or inside classes (not inside a
    /// function, where it is out of a framework's reach), in file order.
    pub fn declared_classes(&self) -> Vec<ScopeRef> {
        let mut classes = Vec::new();
        for (file, source) in self.files.iter().enumerate() {
            let scopes = &source.facts.scopes;
            for (scope, definition) in scopes.iter().enumerate() {
                let mut parent = definition.parent as usize;
                while parent != MODULE_SCOPE as usize && scopes[parent].kind == ScopeKind::Class {
                    parent = scopes[parent].parent as usize;
                }
                if definition.kind == ScopeKind::Class && parent == MODULE_SCOPE as usize {
                    classes.push(ScopeRef {
                        file: file as FileId,
                        scope: scope as ScopeId,
                    });
                }
            }
        }
        classes
    }

    /// Every fact of every file, with the file it is in.
    pub fn all_facts(&self) -> impl Iterator<Item = (FileId, &Fact)> + '_ {
        self.files.iter().enumerate().flat_map(|(id, file)| {
            file.facts
                .facts
                .iter()
                .map(move |fact| (id as FileId, fact))
        })
    }

    pub fn class_fact(&self, class: ScopeRef) -> Option<&Fact> {
        self.members(self.parent(class)).find(
            |fact| matches!(fact, Fact::Class { class_scope, .. } if *class_scope == class.scope),
        )
    }

    pub fn function_fact(&self, function: ScopeRef) -> Option<&Fact> {
        self.members(self.parent(function)).find(|fact| {
            matches!(fact, Fact::Function { function_scope, .. } if *function_scope == function.scope)
        })
    }

    /// The scope a definition stands in (the class body for a method).
    pub fn parent(&self, at: ScopeRef) -> ScopeRef {
        ScopeRef {
            file: at.file,
            scope: self.scope(at).parent,
        }
    }

    // ---- names -------------------------------------------------------------

    /// What `name` means inside scope `at`, following Python's scoping: a class
    /// body sees its own names; functions see enclosing functions, not classes.
    pub fn lookup(&self, at: ScopeRef, name: &str) -> Symbol<'_> {
        self.lookup_hops(at, name, 0)
    }

    /// What `name` means in class body `at` while the statement starting
    /// at `line` runs: the body's own bindings made before it, else the
    /// enclosing scopes (`due_date = Time(resolver=due_date)` names a
    /// function defined above, not the field being assigned).
    pub fn lookup_before(&self, at: ScopeRef, name: &str, line: u32) -> Symbol<'_> {
        let scopes = &self.file(at.file).facts.scopes;
        let earlier = self.file(at.file).tables.members[at.scope as usize]
            .iter()
            .copied()
            .rev()
            .find(|&index| {
                let fact = &self.file(at.file).facts.facts[index];
                let (binds, at_line) = match fact {
                    Fact::Assign { targets, line, .. } => {
                        (targets.iter().any(|t| t == name), Some(*line))
                    }
                    Fact::Function {
                        function_scope: s, ..
                    }
                    | Fact::Class { class_scope: s, .. } => {
                        let scope = &scopes[*s as usize];
                        (scope.name == name, Some(scope.decorated_line))
                    }
                    // An import carries no line: whether it came first is unknown.
                    Fact::Import { binds, .. } => (binds == name, None),
                    _ => (false, None),
                };
                binds && at_line.is_some_and(|l| l < line)
            });
        match earlier {
            Some(index) => self.binding(at.file, index, name, 1),
            None if at.scope == MODULE_SCOPE => self.lookup(at, name),
            None => self.lookup(self.parent(at), name),
        }
    }

    fn lookup_hops(&self, at: ScopeRef, name: &str, hops: u32) -> Symbol<'_> {
        if hops > MAX_HOPS {
            return Symbol::Unknown;
        }
        let scopes = &self.file(at.file).facts.scopes;
        let mut scope = at.scope;
        let mut first = true;
        loop {
            let kind = scopes[scope as usize].kind;
            if (first || kind != ScopeKind::Class)
                && let Some(&index) = self.file(at.file).tables.bindings[scope as usize].get(name)
            {
                return self.binding(at.file, index, name, hops + 1);
            }
            if scope == MODULE_SCOPE {
                break;
            }
            scope = scopes[scope as usize].parent;
            first = false;
        }
        // `from m import *`
        for fact in self.members(Self::module_scope(at.file)) {
            if let Fact::Import {
                binds,
                module,
                level,
                ..
            } = fact
                && binds == "*"
                && let Some(target) = self.absolute_module(at.file, module, *level)
                && let Some(&file) = self.modules.get(&target)
                && file != at.file
            {
                match self.lookup_star(file, name, hops + 1) {
                    Symbol::Unknown => {}
                    found => return found,
                }
            }
        }
        if BUILTINS.contains(&name) {
            return Symbol::External(dotted("builtins", name));
        }
        Symbol::Unknown
    }

    fn binding(&self, file: FileId, index: usize, name: &str, hops: u32) -> Symbol<'_> {
        let fact = &self.file(file).facts.facts[index];
        let scope = ScopeRef {
            file,
            scope: fact.scope(),
        };
        match fact {
            Fact::Class { class_scope, .. } => Symbol::Class(ScopeRef {
                file,
                scope: *class_scope,
            }),
            Fact::Function { function_scope, .. } => Symbol::Function(ScopeRef {
                file,
                scope: *function_scope,
            }),
            Fact::Import { .. } => self.imported(file, fact, hops),
            Fact::Assign {
                value: Some(value), ..
            } => match value {
                // `name = name` at class level reads the enclosing scope.
                Expr::Name(other) if other == name && scope.scope != MODULE_SCOPE => {
                    self.lookup_hops(self.parent(scope), name, hops)
                }
                Expr::Name(_) | Expr::Attribute(..) => self.eval_hops(scope, value, hops),
                Expr::Lambda(lambda) => Symbol::Lambda(file, lambda),
                _ => Symbol::Value(scope, value),
            },
            _ => Symbol::Unknown,
        }
    }

    /// What an import fact made in `file` binds; also for imports the
    /// program's tables do not hold (those inside function bodies).
    pub(crate) fn imported(&self, file: FileId, import: &Fact, hops: u32) -> Symbol<'_> {
        let Fact::Import {
            module,
            level,
            attr,
            ..
        } = import
        else {
            return Symbol::Unknown;
        };
        let Some(target) = self.absolute_module(file, module, *level) else {
            return Symbol::Unknown;
        };
        match attr {
            None => self.module_symbol(file, &target),
            Some(attr) => {
                let module = self.module_symbol(file, &target);
                self.attribute_hops(module, attr, hops)
            }
        }
    }

    /// The absolute name of the module an import statement names.
    fn absolute_module(&self, file: FileId, module: &str, level: u32) -> Option<String> {
        if level == 0 {
            return Some(module.to_string());
        }
        let source = self.file(file);
        let mut package = source.modules.first()?.clone();
        let mut climb = if source.is_package { level - 1 } else { level };
        while climb > 0 {
            package = match package.rsplit_once('.') {
                Some((parent, _)) => parent.to_string(),
                None if climb == 1 => String::new(),
                None => return None,
            };
            climb -= 1;
        }
        Some(match (package.is_empty(), module.is_empty()) {
            (true, _) => module.to_string(),
            (false, true) => package,
            (false, false) => dotted(&package, module),
        })
    }

    fn is_workspace_module(&self, name: &str) -> bool {
        self.modules.contains_key(name) || self.packages.contains(name)
    }

    /// An absolutely named module, falling back to Python 2's implicit
    /// relative import (a sibling module of the importing file).
    fn module_symbol(&self, importer: FileId, name: &str) -> Symbol<'_> {
        if self.is_workspace_module(name) {
            return Symbol::Module(name.to_string());
        }
        let source = self.file(importer);
        if let Some(primary) = source.modules.first() {
            let package = if source.is_package {
                Some(primary.as_str())
            } else {
                primary.rsplit_once('.').map(|(parent, _)| parent)
            };
            if let Some(package) = package {
                let sibling = dotted(package, name);
                if self.is_workspace_module(&sibling) {
                    return Symbol::Module(sibling);
                }
            }
        }
        Symbol::External(name.to_string())
    }

    /// A dotted name (`Book`, `library.types.Book`) as written in scope `at`,
    /// e.g. inside a string annotation.
    pub fn lookup_dotted(&self, at: ScopeRef, dotted: &str) -> Symbol<'_> {
        let mut parts = dotted.split('.');
        let mut symbol = self.lookup(at, parts.next().unwrap_or_default());
        for part in parts {
            symbol = self.attribute(symbol, part);
        }
        symbol
    }

    // ---- expressions -------------------------------------------------------

    /// What an expression written in scope `at` refers to.
    pub fn eval<'p>(&'p self, at: ScopeRef, expr: &'p Expr) -> Symbol<'p> {
        self.eval_hops(at, expr, 0)
    }

    fn eval_hops<'p>(&'p self, at: ScopeRef, expr: &'p Expr, hops: u32) -> Symbol<'p> {
        if hops > MAX_HOPS {
            return Symbol::Unknown;
        }
        match expr {
            Expr::Name(name) => self.lookup_hops(at, name, hops),
            Expr::Attribute(object, attr) => {
                let object = self.eval_hops(at, object, hops + 1);
                self.attribute_hops(object, attr, hops + 1)
            }
            Expr::Lambda(lambda) => Symbol::Lambda(at.file, lambda),
            // `Generic[T]`, `List[User]` as a base: the class subscripted.
            Expr::Subscript(value, _) => match self.eval_hops(at, value, hops + 1) {
                symbol @ (Symbol::Class(_) | Symbol::External(_)) => symbol,
                _ => Symbol::Value(at, expr),
            },
            _ => Symbol::Value(at, expr),
        }
    }

    /// `symbol.attr`.
    pub fn attribute<'p>(&'p self, symbol: Symbol<'p>, attr: &str) -> Symbol<'p> {
        self.attribute_hops(symbol, attr, 0)
    }

    fn attribute_hops<'p>(&'p self, symbol: Symbol<'p>, attr: &str, hops: u32) -> Symbol<'p> {
        if hops > MAX_HOPS {
            return Symbol::Unknown;
        }
        match symbol {
            Symbol::Module(module) => {
                if let Some(&file) = self.modules.get(&module)
                    && let Some(&index) =
                        self.file(file).tables.bindings[MODULE_SCOPE as usize].get(attr)
                {
                    return self.binding(file, index, attr, hops + 1);
                }
                let submodule = dotted(&module, attr);
                if self.is_workspace_module(&submodule) {
                    return Symbol::Module(submodule);
                }
                if let Some(&file) = self.modules.get(&module) {
                    return self.lookup_star(file, attr, hops + 1);
                }
                Symbol::Unknown
            }
            Symbol::External(path) => Symbol::External(dotted(&path, attr)),
            Symbol::Class(class) => self.class_attribute(class, attr).unwrap_or(Symbol::Unknown),
            _ => Symbol::Unknown,
        }
    }

    fn lookup_star(&self, file: FileId, name: &str, hops: u32) -> Symbol<'_> {
        match self.lookup_hops(Self::module_scope(file), name, hops) {
            Symbol::External(path) if path.starts_with("builtins.") => Symbol::Unknown,
            symbol => symbol,
        }
    }
}

/// Fills a memo slot (unless another thread just did) and returns its value.
/// Slots are filled with `set`, never `get_or_init`: computing one may need
/// others, and a cyclic class hierarchy must not wait on itself.
pub fn remember<T: Clone>(slot: Option<&OnceLock<T>>, value: T) -> T {
    match slot {
        Some(slot) => {
            let _ = slot.set(value.clone());
            slot.get().cloned().unwrap_or(value)
        }
        None => value,
    }
}

/// A file's name bindings and members, per scope.
#[derive(Debug, Default)]
pub struct ScopeTables {
    /// Per scope: name → index of the last fact binding it.
    bindings: Vec<FxHashMap<String, usize>>,
    /// Per scope: indices of the facts standing directly in it.
    members: Vec<Vec<usize>>,
    /// Indices of the `from module import name` facts, in any scope.
    from_imports: Vec<usize>,
}

impl ScopeTables {
    pub fn of(facts: &FileFacts) -> ScopeTables {
        let scopes = facts.scopes.len();
        let mut tables = ScopeTables {
            bindings: vec![FxHashMap::default(); scopes],
            members: vec![Vec::new(); scopes],
            from_imports: Vec::new(),
        };
        for (index, fact) in facts.facts.iter().enumerate() {
            let scope = fact.scope() as usize;
            if scope >= scopes {
                continue;
            }
            tables.members[scope].push(index);
            if let Fact::Import { attr: Some(_), .. } = fact {
                tables.from_imports.push(index);
            }
            let bindings = &mut tables.bindings[scope];
            let mut bind = |name: &str| {
                bindings.insert(name.to_owned(), index);
            };
            let scope_name = |id: ScopeId| facts.scopes[id as usize].name.as_str();
            match fact {
                Fact::Import { binds, .. } if binds != "*" => bind(binds),
                Fact::Class { class_scope, .. } => bind(scope_name(*class_scope)),
                Fact::Function { function_scope, .. } => bind(scope_name(*function_scope)),
                Fact::Assign {
                    targets,
                    value: Some(_),
                    ..
                } => targets.iter().for_each(|target| bind(target)),
                _ => {}
            }
        }
        tables
    }
}
