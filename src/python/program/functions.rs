//! Functions as they run: decorators applied, wrappers and factories
//! unwrapped.

use super::*;

impl Program {
    /// What a symbol is as a callable at run time: decorators applied,
    /// `staticmethod(f)`, `functools.partial(f, …)` and factories unwrapped.
    pub fn runtime<'p>(&'p self, symbol: Symbol<'p>) -> Option<Runtime<'p>> {
        self.runtime_hops(symbol, 0)
    }

    fn runtime_hops<'p>(&'p self, symbol: Symbol<'p>, hops: u32) -> Option<Runtime<'p>> {
        if hops > MAX_HOPS {
            return None;
        }
        match symbol {
            Symbol::Function(function) => Some(self.decorated(function, 0, hops)),
            Symbol::Lambda(file, lambda) => Some(Runtime {
                function: FunctionRef::Lambda(file, lambda),
                wrapped: None,
            }),
            Symbol::Value(at, Expr::Call(call)) => self.call_result(at, call, hops + 1),
            _ => None,
        }
    }

    /// What a framework registers when its decorator is the `outer`-th
    /// (0-based) of a `def`: the function with the decorators below applied.
    pub fn runtime_below(&self, function: ScopeRef, outer: usize) -> Runtime<'_> {
        self.decorated(function, outer + 1, 0)
    }

    /// A `def` with its decorators applied, innermost first, leaving out the
    /// `skip` outermost ones.
    pub(super) fn decorated(&self, function: ScopeRef, skip: usize, hops: u32) -> Runtime<'_> {
        let mut runtime = Runtime {
            function: FunctionRef::Def(function),
            wrapped: None,
        };
        let Some(Fact::Function { decorators, .. }) = self.function_fact(function) else {
            return runtime;
        };
        let at = self.parent(function);
        for decorator in decorators.iter().skip(skip).rev() {
            let decorator_function = match decorator {
                Expr::Call(call) => match self.eval(at, &call.function) {
                    Symbol::Function(factory) => self.returned_function(factory),
                    _ => None,
                },
                other => match self.eval(at, other) {
                    Symbol::Function(decorator) => Some(decorator),
                    _ => None,
                },
            };
            if let Some(decorator) = decorator_function {
                runtime = self.apply_decorator(decorator, runtime, hops + 1);
            }
        }
        runtime
    }

    /// What a workspace decorator does to the function it receives.
    fn apply_decorator<'p>(
        &'p self,
        decorator: ScopeRef,
        inner: Runtime<'p>,
        hops: u32,
    ) -> Runtime<'p> {
        if hops > MAX_HOPS {
            return inner;
        }
        let returned = self.members(decorator).find_map(|fact| match fact {
            Fact::Return { value, .. } => Some(value),
            _ => None,
        });
        let wrapper = match returned {
            Some(Expr::Name(name)) => match self.lookup(decorator, name) {
                Symbol::Function(wrapper) if self.parent(wrapper) == decorator => {
                    if self.uses_wraps(wrapper) {
                        return inner;
                    }
                    FunctionRef::Def(wrapper)
                }
                _ => return inner,
            },
            Some(Expr::Lambda(lambda)) => FunctionRef::Lambda(decorator.file, lambda),
            _ => return inner,
        };
        Runtime {
            function: wrapper,
            wrapped: Some(inner.wrapped.unwrap_or(inner.function)),
        }
    }

    /// The wrapper is decorated with `functools.wraps(...)` (or `six.wraps`).
    fn uses_wraps(&self, wrapper: ScopeRef) -> bool {
        let Some(Fact::Function { decorators, .. }) = self.function_fact(wrapper) else {
            return false;
        };
        let at = self.parent(wrapper);
        decorators.iter().any(|decorator| {
            let callee = match decorator {
                Expr::Call(call) => &call.function,
                other => other,
            };
            match self.eval(at, callee) {
                Symbol::External(path) => path == "wraps" || path.ends_with(".wraps"),
                // A project's own `wraps` helper: trust the name.
                Symbol::Function(helper) => self.scope(helper).name == "wraps",
                _ => false,
            }
        })
    }

    /// The nested function (or lambda) a function returns, if it returns one.
    pub fn returned_function(&self, function: ScopeRef) -> Option<ScopeRef> {
        self.members(function).find_map(|fact| match fact {
            Fact::Return {
                value: Expr::Name(name),
                ..
            } => match self.lookup(function, name) {
                Symbol::Function(inner) if self.parent(inner) == function => Some(inner),
                _ => None,
            },
            _ => None,
        })
    }

    /// The callable a call expression evaluates to, for the shapes resolvers
    /// take: `staticmethod(f)`, `partial(f, …)`, `decorator(f)`, `factory(…)`.
    fn call_result<'p>(&'p self, at: ScopeRef, call: &'p Call, hops: u32) -> Option<Runtime<'p>> {
        match self.eval(at, &call.function) {
            Symbol::External(path) => {
                let last = path.rsplit('.').next().unwrap_or_default();
                match last {
                    "staticmethod" | "classmethod" | "partial" | "update_wrapper" => {
                        let first = call.args.first()?;
                        self.runtime_hops(self.eval(at, first), hops + 1)
                    }
                    _ => None,
                }
            }
            Symbol::Function(callee) => {
                // `decorator(f)` applies a decorator; `factory(...)` builds one.
                let argument = call
                    .args
                    .iter()
                    .find_map(|arg| self.runtime_hops(self.eval(at, arg), hops + 1));
                match argument {
                    Some(inner) => Some(self.apply_decorator(callee, inner, hops + 1)),
                    None => {
                        let returned = self.members(callee).find_map(|fact| match fact {
                            Fact::Return { value, .. } => Some(value),
                            _ => None,
                        })?;
                        match returned {
                            Expr::Lambda(lambda) => Some(Runtime {
                                function: FunctionRef::Lambda(callee.file, lambda),
                                wrapped: None,
                            }),
                            _ => self
                                .returned_function(callee)
                                .map(|inner| self.decorated(inner, 0, hops + 1)),
                        }
                    }
                }
            }
            _ => None,
        }
    }
}
