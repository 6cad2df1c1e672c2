//! What one file's function bodies do, as far as `ferry plan` cares: the
//! calls, the locals bound from calls, the imports inside functions and the
//! data access sites. Like [`crate::python::facts`], these depend only on
//! the file's bytes.

use crate::python::facts::{Expr, Fact, ScopeId};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyFacts {
    pub calls: Vec<CallSite>,
    pub locals: Vec<Local>,
    /// `Fact::Import`s made inside functions.
    pub imports: Vec<Fact>,
    pub data: Vec<DataSite>,
}

/// `callee(…)` inside `scope` (the innermost function around it, or the
/// class or module for calls outside functions).
#[derive(Debug, Clone, PartialEq)]
pub struct CallSite {
    pub scope: ScopeId,
    pub callee: Expr,
    pub line: u32,
}

/// `name = call(…)` inside a function.
#[derive(Debug, Clone, PartialEq)]
pub struct Local {
    pub scope: ScopeId,
    pub name: String,
    pub value: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataPattern {
    /// `Model.objects…`; `writes` when a write method is chained after it.
    DjangoManager { writes: bool },
    /// `x.save()`, `x.delete()`.
    InstanceWrite,
    /// `session.query(Model)`.
    SessionQuery,
    /// `session.add(x)` and the like.
    SessionWrite,
    /// `loader.load(key)`.
    Loader,
}

/// A place where data.scm matched.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSite {
    pub scope: ScopeId,
    pub pattern: DataPattern,
    pub subject: Expr,
    pub line: u32,
}
