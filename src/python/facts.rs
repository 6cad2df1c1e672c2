//! What one Python file says, as far as resolver finding cares: its scopes,
//! the names it binds and the framework call sites it contains.
//!
//! Facts depend only on a file's bytes (never on other files or on where the
//! file lives), which is what lets them be cached by content hash.

use serde::{Deserialize, Serialize};

/// Index of a scope in [`FileFacts::scopes`]; the module is scope 0.
pub type ScopeId = u32;

pub const MODULE_SCOPE: ScopeId = 0;

/// Changes whenever the meaning of cached facts changes.
pub const FACTS_FORMAT: u32 = 8;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Where the parse tree has ERROR or MISSING nodes (1-based line and
    /// column, the first few); the file was still read.
    pub syntax_errors: Vec<(u32, u32)>,
    pub scopes: Vec<Scope>,
    /// In source order.
    pub facts: Vec<Fact>,
}

impl FileFacts {
    /// Fills in the qualnames (after reading facts back from the cache).
    pub fn derive_qualnames(&mut self) {
        for id in 1..self.scopes.len() {
            let prefix = self.scopes[self.scopes[id].parent as usize].qualname_prefix();
            self.scopes[id].qualname = prefix + &self.scopes[id].name;
        }
    }
}

impl Scope {
    /// What the qualname of something defined directly in this scope starts with.
    pub fn qualname_prefix(&self) -> String {
        let suffix = match self.kind {
            ScopeKind::Module => return String::new(),
            ScopeKind::Class => ".",
            ScopeKind::Function => ".<locals>.",
        };
        // Copied, not formatted: a scan builds one for every definition.
        let mut prefix = String::with_capacity(self.qualname.len() + suffix.len());
        prefix.push_str(&self.qualname);
        prefix.push_str(suffix);
        prefix
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: String,
    /// Python's `__qualname__`: `Query.resolve_user`, `wrap.<locals>.inner`.
    /// Derived from the names and parents, so not stored in the cache.
    #[serde(skip)]
    pub qualname: String,
    /// The scope the definition stands in (the module's parent is itself).
    pub parent: ScopeId,
    /// 1-based line of the `class` / `def` keyword (`async` for `async def`).
    pub line: u32,
    pub end_line: u32,
    /// 1-based line of the first decorator (`line` when there is none):
    /// where the definition a person deletes starts.
    pub decorated_line: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Fact {
    /// `import a.b`, `import a.b as c`, `from .a import b as c`, `from a import *`.
    Import {
        scope: ScopeId,
        /// The name bound in `scope`; `*` for a star import.
        binds: String,
        /// Dotted module named by the statement (without leading dots).
        module: String,
        /// Number of leading dots of a relative import.
        level: u32,
        /// `from module import attr`; `None` for `import module`.
        attr: Option<String>,
    },
    Class {
        scope: ScopeId,
        class_scope: ScopeId,
        bases: Vec<Expr>,
        keywords: Vec<(String, Expr)>,
        decorators: Vec<Expr>,
    },
    Function {
        scope: ScopeId,
        function_scope: ScopeId,
        decorators: Vec<Expr>,
        /// The return annotation.
        returns: Option<Expr>,
        /// Parameters with a default that names something (`resolver=fn`)
        /// or is `None`, by name: what a Field subclass's `__init__` falls
        /// back to.
        defaults: Vec<(String, Expr)>,
    },
    /// `a = b = value`, `a: T = value`, `a: T`.
    Assign {
        scope: ScopeId,
        targets: Vec<String>,
        annotation: Option<Expr>,
        value: Option<Expr>,
        /// 1-based lines of the whole statement.
        line: u32,
        end_line: u32,
    },
    /// `return name` / `return lambda: …` / `return call(…)`: what a
    /// decorator or factory hands back.
    Return { scope: ScopeId, value: Expr },
    /// A call a framework query singled out (`site` is the query's capture name,
    /// e.g. `graphene.schema`, `ariadne.binding`).
    Call {
        scope: ScopeId,
        site: String,
        call: Call,
    },
}

impl Fact {
    pub fn scope(&self) -> ScopeId {
        match self {
            Fact::Import { scope, .. }
            | Fact::Class { scope, .. }
            | Fact::Function { scope, .. }
            | Fact::Assign { scope, .. }
            | Fact::Return { scope, .. }
            | Fact::Call { scope, .. } => *scope,
        }
    }
}

/// A Python expression, reduced to the shapes resolver finding reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    Name(String),
    Attribute(Box<Expr>, String),
    Call(Box<Call>),
    Str(String),
    Lambda(Lambda),
    /// List, tuple or set display (a `*splat` element stands as itself); also
    /// `a + b`, which concatenates where sequences are read.
    Seq(Vec<Expr>),
    /// `T[a, b]` (also generic annotations).
    Subscript(Box<Expr>, Vec<Expr>),
    /// `a | b` (annotations).
    Union(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
    None,
    Bool(bool),
    /// Anything else (numbers, dicts, comprehensions, f-strings, …).
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub function: Expr,
    pub args: Vec<Expr>,
    pub kwargs: Vec<(String, Expr)>,
    pub line: u32,
    pub end_line: u32,
}

impl Call {
    pub fn kwarg(&self, name: &str) -> Option<&Expr> {
        self.kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The argument passed by position `index` or by keyword `name`.
    pub fn arg(&self, index: usize, name: &str) -> Option<&Expr> {
        self.args.get(index).or_else(|| self.kwarg(name))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lambda {
    pub qualname: String,
    pub line: u32,
    pub end_line: u32,
    pub body: Box<Expr>,
}

impl Expr {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_call(&self) -> Option<&Call> {
        match self {
            Expr::Call(call) => Some(call),
            _ => None,
        }
    }

    /// `a.b.c` as a string, when the expression is a plain dotted name.
    pub fn dotted(&self) -> Option<String> {
        match self {
            Expr::Name(name) => Some(name.clone()),
            Expr::Attribute(object, attr) => Some(super::names::dotted(&object.dotted()?, attr)),
            _ => None,
        }
    }
}
