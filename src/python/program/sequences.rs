//! What a sequence expression holds (`types=`, a list of bindables), and
//! the roots of each schema call read through it.

use super::super::facts::{Call, Expr};
use super::{Elements, MAX_SEQUENCE_DEPTH, Program, SchemaRoots, ScopeRef, Symbol};

impl Program {
    /// The classes passed to each `Schema(query=, mutation=, subscription=,
    /// types=)` call: where a library's schema starts. `computed` gives the
    /// classes an element that is not a class stands for, if it knows.
    pub(crate) fn schema_roots<'c>(
        &'c self,
        calls: impl Iterator<Item = (ScopeRef, &'c Call)>,
        computed: impl Fn(&Symbol<'c>) -> Option<Vec<ScopeRef>>,
    ) -> Vec<SchemaRoots> {
        let mut schemas = Vec::new();
        for (at, call) in calls {
            let mut roots = SchemaRoots {
                file: at.file,
                line: call.line,
                classes: Vec::new(),
                complete: true,
            };
            for keyword in ["query", "mutation", "subscription", "types"] {
                let Some(value) = call.kwarg(keyword) else {
                    continue;
                };
                let elements = self.elements(at, value);
                roots.complete &= elements.complete;
                for symbol in elements.symbols {
                    match symbol {
                        Symbol::Class(class) => roots.classes.push(class),
                        Symbol::Value(_, Expr::None) => {}
                        other => match computed(&other) {
                            Some(classes) => roots.classes.extend(classes),
                            None => roots.complete = false,
                        },
                    }
                }
            }
            schemas.push(roots);
        }
        schemas
    }

    /// What a sequence expression holds, evaluated: displays, names bound to
    /// them, `a + b`, `[*a, b]`, `list(…)`, `tuple(…)`, `sorted(…)` and
    /// `chain(…)`. A single expression stands for itself.
    pub fn elements<'p>(&'p self, at: ScopeRef, expr: &'p Expr) -> Elements<'p> {
        let mut elements = Elements {
            symbols: Vec::new(),
            complete: true,
        };
        self.collect_elements(at, expr, &mut elements, 0);
        elements
    }

    fn collect_elements<'p>(
        &'p self,
        at: ScopeRef,
        expr: &'p Expr,
        out: &mut Elements<'p>,
        depth: u32,
    ) {
        if depth > MAX_SEQUENCE_DEPTH {
            out.complete = false;
            return;
        }
        match expr {
            Expr::Seq(items) => {
                for item in items {
                    self.collect_elements(at, item, out, depth + 1);
                }
            }
            Expr::Call(call) if self.builds_sequence(at, call) => {
                for argument in &call.args {
                    self.collect_elements(at, argument, out, depth + 1);
                }
            }
            Expr::Other => out.complete = false,
            _ => match self.eval(at, expr) {
                Symbol::Value(defined_at, value @ (Expr::Seq(_) | Expr::Call(_)))
                    if !std::ptr::eq(value, expr) =>
                {
                    match value {
                        Expr::Call(call) if !self.builds_sequence(defined_at, call) => {
                            out.symbols.push(Symbol::Value(defined_at, value));
                        }
                        _ => self.collect_elements(defined_at, value, out, depth + 1),
                    }
                }
                Symbol::Value(_, Expr::Other) | Symbol::Unknown => out.complete = false,
                symbol => out.symbols.push(symbol),
            },
        }
    }

    /// `list(x)`, `tuple(x)`, `sorted(x)`, `itertools.chain(a, b)`: a call
    /// whose result holds what its arguments hold.
    fn builds_sequence(&self, at: ScopeRef, call: &Call) -> bool {
        match self.eval(at, &call.function) {
            Symbol::External(path) => {
                matches!(
                    path.as_str(),
                    "builtins.list"
                        | "builtins.tuple"
                        | "builtins.set"
                        | "builtins.frozenset"
                        | "builtins.sorted"
                ) || path == "itertools.chain"
                    || path == "itertools.chain.from_iterable"
                    || path.ends_with(".chain")
            }
            _ => false,
        }
    }
}
