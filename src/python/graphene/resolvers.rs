//! Which function graphene calls for a field: `resolver=`, a Field
//! subclass's own default, `resolve_<attr>` on the type or its interfaces,
//! `Meta.default_resolver`, a mutation's `mutate`.

use super::super::facts::{Call, Expr, Fact};
use super::super::program::{FunctionRef, ScopeRef, Symbol};
use super::super::{FieldCode, FieldResolution, PythonResolver};
use super::{FieldDecl, Graphene, Kind, MUTATION_LOGIC, Mount, Passed, Resolved, library_defines};

impl<'p> Graphene<'p> {
    pub(super) fn resolve(
        &self,
        class: ScopeRef,
        kind: Kind,
        field: &FieldDecl<'p>,
        interfaces: &[Symbol<'p>],
    ) -> Resolved {
        if let Some(resolved) = self.field_resolver(field) {
            return resolved;
        }
        // graphene looks for resolve_<attr> on object types only: an
        // interface's field keeps graphql-core's default, its resolve_<attr>
        // serves the implementing types.
        if kind == Kind::Interface {
            return Resolved::default();
        }
        for prefix in ["resolve_", "subscribe_"] {
            let method = [prefix, field.attr].concat();
            match self.getattr(class, &method) {
                Some(symbol) => return self.function(symbol, None),
                None => {
                    for interface in interfaces {
                        let Symbol::Class(interface) = interface else {
                            continue;
                        };
                        if !self.fields(*interface).iter().any(|f| f.attr == field.attr) {
                            continue;
                        }
                        if let Some(symbol) = self.getattr(*interface, &method) {
                            return self.function(symbol, None);
                        }
                    }
                }
            }
        }
        if let Some((at, value)) = self.option(class, "default_resolver") {
            return self.function(self.program.eval(at, value), None);
        }
        Resolved::default()
    }

    /// `getattr(cls, name)` when truthy; library attributes come back as
    /// `External`.
    fn getattr(&self, class: ScopeRef, name: &str) -> Option<Symbol<'p>> {
        match self
            .program
            .class_attribute_with(class, name, library_defines)?
        {
            Symbol::Value(_, Expr::None | Expr::Bool(false)) => None,
            symbol => Some(symbol),
        }
    }

    /// The resolver a field brings itself, overriding `resolve_<attr>`.
    fn field_resolver(&self, field: &FieldDecl<'p>) -> Option<Resolved> {
        let Mount::Declared {
            at,
            call,
            field_class,
            mutation,
            library_resolver,
        } = &field.mount
        else {
            return None;
        };
        if let Some(mutation) = mutation {
            return Some(self.mutation(*mutation));
        }
        if *library_resolver {
            return Some(Resolved::default());
        }
        if let Some(call) = call {
            if call.kwarg("source").and_then(Expr::as_str).is_some() {
                return Some(Resolved::default());
            }
            if let Some(resolver) = call.kwarg("resolver").filter(|r| **r != Expr::None) {
                let symbol = match (resolver, field.statement) {
                    // The name the statement itself assigns: what it meant
                    // before the statement ran.
                    (Expr::Name(name), Some((class, line, _))) if *name == field.attr => {
                        self.program.lookup_before(class, name, line)
                    }
                    _ => self.program.eval(*at, resolver),
                };
                return Some(self.function(symbol, None));
            }
        }
        let field_class = (*field_class)?;
        // graphene wraps the parent resolver with these hooks of the field class.
        for hook in ["id_resolver", "connection_resolver"] {
            if let Some(symbol) = self.program.class_attribute(field_class, hook) {
                return Some(self.function(symbol, None));
            }
        }
        self.default_field_resolver(field_class, *at, *call)
            .map(|symbol| self.function(symbol, None))
    }

    /// A Field subclass passing its own default `resolver=` to
    /// `Field.__init__`, given what the call site `site` passes.
    fn default_field_resolver(
        &self,
        field_class: ScopeRef,
        at: ScopeRef,
        site: Option<&'p Call>,
    ) -> Option<Symbol<'p>> {
        let Some(Symbol::Function(init)) = self.program.class_attribute(field_class, "__init__")
        else {
            return None;
        };
        self.program.members(init).find_map(|fact| {
            let Fact::Call {
                site: query, call, ..
            } = fact
            else {
                return None;
            };
            if query != "graphene.field_init" {
                return None;
            }
            let value = match &call.function {
                Expr::Attribute(_, method) if method == "setdefault" => {
                    // `kwargs.setdefault("resolver", fn)`: a caller's own wins.
                    if site.and_then(|site| site.kwarg("resolver")).is_some() {
                        return None;
                    }
                    call.args.get(1)?
                }
                _ => call.kwarg("resolver")?,
            };
            let passed = Passed { at, site, init };
            self.fallback(field_class, init, value, &passed)
        })
    }

    /// The function a `resolver=` expression in a Field subclass's
    /// `__init__` comes to, with the call site's arguments for its
    /// parameters (`None` when it comes to none).
    fn fallback(
        &self,
        field_class: ScopeRef,
        at: ScopeRef,
        value: &'p Expr,
        passed: &Passed<'p>,
    ) -> Option<Symbol<'p>> {
        match value {
            Expr::Or(first, fallback) => self
                .fallback(field_class, at, first, passed)
                .or_else(|| self.fallback(field_class, at, fallback, passed)),
            Expr::Call(call) => match &call.function {
                Expr::Attribute(_, method) if method == "pop" || method == "get" => {
                    let key = call.args.first().and_then(Expr::as_str);
                    match key.and_then(|key| passed.site.and_then(|site| site.kwarg(key))) {
                        Some(given) => self.given(passed, given),
                        None => self.fallback(field_class, at, call.args.get(1)?, passed),
                    }
                }
                _ => None,
            },
            Expr::Attribute(object, method) if matches!(&**object, Expr::Name(name) if name == "self" || name == "cls") => {
                self.program.class_attribute(field_class, method)
            }
            // A parameter: what the call site passes, else its default.
            Expr::Name(name) if self.parameter_default(passed.init, name).is_some() => {
                match passed.site.and_then(|site| site.kwarg(name)) {
                    Some(given) => self.given(passed, given),
                    None => {
                        let default = self.parameter_default(passed.init, name)?;
                        self.fallback(
                            field_class,
                            self.program.parent(passed.init),
                            default,
                            passed,
                        )
                    }
                }
            }
            Expr::None => None,
            other => match self.program.eval(at, other) {
                Symbol::Unknown => None,
                symbol => Some(symbol),
            },
        }
    }

    /// A call site's argument for a Field subclass's parameter.
    fn given(&self, passed: &Passed<'p>, given: &'p Expr) -> Option<Symbol<'p>> {
        match given {
            Expr::None => None,
            other => Some(self.program.eval(passed.at, other)),
        }
    }

    fn parameter_default(&self, function: ScopeRef, name: &str) -> Option<&'p Expr> {
        match self.program.function_fact(function)? {
            Fact::Function { defaults, .. } => defaults
                .iter()
                .find(|(parameter, _)| parameter == name)
                .map(|(_, default)| default),
            _ => None,
        }
    }

    fn function(&self, symbol: Symbol<'p>, logic: Option<FunctionRef<'p>>) -> Resolved {
        match self.program.runtime(symbol.clone()) {
            Some(runtime) => Resolved {
                resolution: FieldResolution::Function(self.program.resolver(runtime, logic)),
                code: FieldCode {
                    resolver: self.program.binding_span(&symbol),
                    ..FieldCode::default()
                },
            },
            None => Resolved::default(),
        }
    }

    /// `SomeMutation.Field()`: resolved by the mutation's `mutate`.
    fn mutation(&self, mutation: ScopeRef) -> Resolved {
        let mutate = match self.option(mutation, "resolver") {
            Some((at, value)) => Some(self.program.eval(at, value)),
            None => self.getattr(mutation, "mutate"),
        };
        let logic = MUTATION_LOGIC.iter().find_map(|name| {
            let symbol = self.getattr(mutation, name)?;
            let runtime = self.program.runtime(symbol.clone())?;
            Some((runtime.function, symbol))
        });
        let code = |resolver: Option<&Symbol<'p>>| FieldCode {
            declaration: None,
            resolver: resolver.and_then(|symbol| self.program.binding_span(symbol)),
            mutation: Some(self.program.definition_span(mutation)),
        };
        let runtime = mutate
            .as_ref()
            .and_then(|symbol| Some((self.program.runtime(symbol.clone())?, symbol)));
        match runtime {
            Some((runtime, symbol)) => Resolved {
                resolution: FieldResolution::Function(
                    self.program
                        .resolver(runtime, logic.as_ref().map(|(logic, _)| *logic)),
                ),
                code: code(Some(symbol)),
            },
            // graphene's own `mutate` (relay): the project's code is the logic.
            None => match logic {
                Some((logic, symbol)) => Resolved {
                    resolution: FieldResolution::Function(PythonResolver {
                        function: self.program.describe(logic),
                        logic: None,
                    }),
                    code: code(Some(&symbol)),
                },
                None => Resolved {
                    resolution: FieldResolution::Default,
                    code: code(None),
                },
            },
        }
    }
}
