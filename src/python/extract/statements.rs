//! The statements a query singled out, as facts: definitions, imports,
//! assignments, returns and framework call sites.

use super::*;

impl FactsBuilder<'_> {
    pub(super) fn text(&self, node: Node) -> String {
        String::from_utf8_lossy(&self.source[node.byte_range()]).into_owned()
    }

    fn scope_kind(&self, scope: ScopeId) -> ScopeKind {
        self.facts.scopes[scope as usize].kind
    }

    /// Prefix for the qualname of something defined directly in `scope`.
    fn qualname_prefix(&self, scope: ScopeId) -> String {
        self.facts.scopes[scope as usize].qualname_prefix()
    }

    pub(super) fn definition(
        &mut self,
        scope: ScopeId,
        kind: ScopeKind,
        node: Node,
        name: Node,
        bases: Option<Node>,
        decorator_nodes: &[Node],
    ) -> ScopeId {
        let name = self.text(name);
        let prefix = self.qualname_prefix(scope);
        let id = self.facts.scopes.len() as ScopeId;
        self.facts.scopes.push(Scope {
            kind,
            qualname: [prefix.as_str(), name.as_str()].concat(),
            name,
            parent: scope,
            line: node.start_position().row as u32 + 1,
            end_line: node.end_position().row as u32 + 1,
            decorated_line: decorator_nodes
                .first()
                .unwrap_or(&node)
                .start_position()
                .row as u32
                + 1,
        });
        let decorators = decorator_nodes
            .iter()
            .filter_map(|decorator| decorator.named_child(0))
            .map(|expression| self.expr(expression, &prefix, 0))
            .collect();
        let fact = match kind {
            ScopeKind::Class => {
                let mut base_exprs = Vec::new();
                let mut keywords = Vec::new();
                if let Some(arguments) = bases {
                    self.arguments(arguments, &prefix, &mut base_exprs, &mut keywords);
                }
                Fact::Class {
                    scope,
                    class_scope: id,
                    bases: base_exprs,
                    keywords,
                    decorators,
                }
            }
            _ => Fact::Function {
                scope,
                function_scope: id,
                decorators,
                returns: field(node, self.fields.return_type)
                    .map(|annotation| self.expr(annotation, &prefix, 0)),
                defaults: self.named_defaults(node, &prefix),
            },
        };
        self.facts.facts.push(fact);
        id
    }

    /// `def f(a, resolver=resolve_x, *, b: T = None)`: the defaults that
    /// name something (or are `None`), by parameter.
    fn named_defaults(&self, function: Node, prefix: &str) -> Vec<(String, Expr)> {
        let Some(parameters) = field(function, self.fields.parameters) else {
            return Vec::new();
        };
        let mut defaults = Vec::new();
        let mut walk = parameters.walk();
        for parameter in parameters.named_children(&mut walk) {
            if !matches!(
                parameter.kind(),
                "default_parameter" | "typed_default_parameter"
            ) {
                continue;
            }
            let (Some(name), Some(value)) = (
                field(parameter, self.fields.name),
                field(parameter, self.fields.value),
            ) else {
                continue;
            };
            if matches!(value.kind(), "identifier" | "attribute" | "none") {
                defaults.push((self.text(name), self.expr(value, prefix, 0)));
            }
        }
        defaults
    }

    pub(super) fn import(&mut self, scope: ScopeId, node: Node) {
        let mut walk = node.walk();
        if node.kind() == "import_statement" {
            for name in node.children_by_field_id(self.fields.name, &mut walk) {
                let (module, alias) = self.import_name(name);
                let binds = alias
                    .unwrap_or_else(|| module.split('.').next().unwrap_or_default().to_string());
                // `import a.b` binds `a`, which reaches a.b through the module table.
                let module = if name.kind() == "aliased_import" {
                    module
                } else {
                    binds.clone()
                };
                self.facts.facts.push(Fact::Import {
                    scope,
                    binds,
                    module,
                    level: 0,
                    attr: None,
                });
            }
            return;
        }
        let Some(module_name) = field(node, self.fields.module_name) else {
            return;
        };
        let (module, level) = if module_name.kind() == "relative_import" {
            let mut level = 0;
            let mut module = String::new();
            let mut inner = module_name.walk();
            for part in module_name.named_children(&mut inner) {
                match part.kind() {
                    "import_prefix" => level = self.text(part).matches('.').count() as u32,
                    "dotted_name" => module = self.text(part),
                    _ => {}
                }
            }
            (module, level)
        } else {
            (self.text(module_name), 0)
        };
        let mut bound_any = false;
        for name in node.children_by_field_id(self.fields.name, &mut walk) {
            let (attr, alias) = self.import_name(name);
            self.facts.facts.push(Fact::Import {
                scope,
                binds: alias.unwrap_or_else(|| attr.clone()),
                module: module.clone(),
                level,
                attr: Some(attr),
            });
            bound_any = true;
        }
        if !bound_any {
            let mut inner = node.walk();
            if node
                .named_children(&mut inner)
                .any(|child| child.kind() == "wildcard_import")
            {
                self.facts.facts.push(Fact::Import {
                    scope,
                    binds: "*".to_string(),
                    module,
                    level,
                    attr: None,
                });
            }
        }
    }

    /// `a.b` or `a.b as c` in an import statement: the dotted name and the alias.
    fn import_name(&self, node: Node) -> (String, Option<String>) {
        if node.kind() == "aliased_import" {
            let name = field(node, self.fields.name)
                .map(|n| self.text(n))
                .unwrap_or_default();
            let alias = field(node, self.fields.alias).map(|n| self.text(n));
            (name, alias)
        } else {
            (self.text(node), None)
        }
    }

    pub(super) fn assignment(&mut self, scope: ScopeId, node: Node) {
        let prefix = self.qualname_prefix(scope);
        let annotation =
            field(node, self.fields.type_).map(|annotation| self.expr(annotation, &prefix, 0));
        let mut targets = Vec::new();
        let mut current = node;
        loop {
            if let Some(left) = field(current, self.fields.left)
                && left.kind() == "identifier"
            {
                targets.push(self.text(left));
            }
            match field(current, self.fields.right) {
                Some(right) if right.kind() == "assignment" => current = right,
                right => {
                    let value = right.map(|value| self.expr(value, &prefix, 0));
                    if !targets.is_empty() {
                        self.facts.facts.push(Fact::Assign {
                            scope,
                            targets,
                            annotation,
                            value,
                            line: node.start_position().row as u32 + 1,
                            end_line: node.end_position().row as u32 + 1,
                        });
                    }
                    return;
                }
            }
        }
    }

    /// Only what a decorator or factory hands back matters: a lambda, a
    /// call, or a function defined in the same function (defined before the
    /// return).
    pub(super) fn return_value(&mut self, scope: ScopeId, node: Node) {
        if self.scope_kind(scope) != ScopeKind::Function {
            return;
        }
        if node.kind() == "identifier" {
            let name = &self.source[node.byte_range()];
            let returns_inner_function = self.facts.scopes[scope as usize + 1..]
                .iter()
                .any(|inner| inner.parent == scope && inner.name.as_bytes() == name);
            if !returns_inner_function {
                return;
            }
        }
        let prefix = self.qualname_prefix(scope);
        let value = self.expr(node, &prefix, 0);
        self.facts.facts.push(Fact::Return { scope, value });
    }

    pub(super) fn site(&mut self, scope: ScopeId, site: &str, node: Node) {
        let prefix = self.qualname_prefix(scope);
        let call = match node.kind() {
            "augmented_assignment" | "assignment" => self.statement_as_call(node, &prefix),
            _ => self.expr(node, &prefix, 0),
        };
        if let Expr::Call(call) = call {
            self.facts.facts.push(Fact::Call {
                scope,
                site: site.to_string(),
                call: *call,
            });
        }
    }
}
