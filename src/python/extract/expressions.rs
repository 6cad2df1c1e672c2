//! Python expressions as [`Expr`]: what a fact's value, call or argument is.

use super::*;

impl FactsBuilder<'_> {
    /// `a += b` as `a.__iadd__(b)`, `a[k] = v` as `a.__setitem__(k, v)`:
    /// what the statement calls, for a query that singled it out.
    pub(super) fn statement_as_call(&self, node: Node, prefix: &str) -> Expr {
        let (Some(left), Some(right)) = (
            field(node, self.fields.left),
            field(node, self.fields.right),
        ) else {
            return Expr::Other;
        };
        let right = self.expr(right, prefix, 1);
        let (object, method, mut args) = match left.kind() {
            "subscript" => {
                let Some(value) = field(left, self.fields.value) else {
                    return Expr::Other;
                };
                let mut walk = left.walk();
                let keys = left
                    .children_by_field_id(self.fields.subscript, &mut walk)
                    .map(|key| self.expr(key, prefix, 1))
                    .collect();
                (self.expr(value, prefix, 1), "__setitem__", keys)
            }
            _ => (self.expr(left, prefix, 1), "__iadd__", Vec::new()),
        };
        args.push(right);
        Expr::Call(Box::new(Call {
            function: Expr::Attribute(Box::new(object), method.to_string()),
            args,
            kwargs: Vec::new(),
            line: node.start_position().row as u32 + 1,
            end_line: node.end_position().row as u32 + 1,
        }))
    }

    pub(super) fn arguments(
        &self,
        arguments: Node,
        prefix: &str,
        args: &mut Vec<Expr>,
        kwargs: &mut Vec<(String, Expr)>,
    ) {
        let mut walk = arguments.walk();
        for argument in arguments.named_children(&mut walk) {
            match argument.kind() {
                "keyword_argument" => {
                    let (Some(name), Some(value)) = (
                        field(argument, self.fields.name),
                        field(argument, self.fields.value),
                    ) else {
                        continue;
                    };
                    kwargs.push((self.text(name), self.expr(value, prefix, 1)));
                }
                // `f(*bindables)`: the list stands for its elements.
                "list_splat" => {
                    if let Some(inner) = argument.named_child(0) {
                        args.push(self.expr(inner, prefix, 1));
                    }
                }
                "dictionary_splat" | "comment" => {}
                _ => args.push(self.expr(argument, prefix, 1)),
            }
        }
    }

    pub(super) fn expr(&self, node: Node, prefix: &str, depth: usize) -> Expr {
        if depth > MAX_EXPR_DEPTH {
            return Expr::Other;
        }
        let ids = self.fields;
        let child = |id: FieldId| field(node, id);
        let sub = |inner: Node| self.expr(inner, prefix, depth + 1);
        match node.kind() {
            "identifier" => Expr::Name(self.text(node)),
            "attribute" => match (child(ids.object), child(ids.attribute)) {
                (Some(object), Some(attribute)) => {
                    Expr::Attribute(Box::new(sub(object)), self.text(attribute))
                }
                _ => Expr::Other,
            },
            "call" => {
                let Some(mut function) = child(ids.function) else {
                    return Expr::Other;
                };
                // `[*f(x)]` parses as a call of `*f`: the splat stands as itself.
                if function.kind() == "list_splat"
                    && let Some(inner) = function.named_child(0)
                {
                    function = inner;
                }
                let mut call = Call {
                    function: sub(function),
                    args: Vec::new(),
                    kwargs: Vec::new(),
                    line: node.start_position().row as u32 + 1,
                    end_line: node.end_position().row as u32 + 1,
                };
                if let Some(arguments) = child(ids.arguments)
                    && arguments.kind() == "argument_list"
                {
                    self.arguments(arguments, prefix, &mut call.args, &mut call.kwargs);
                }
                Expr::Call(Box::new(call))
            }
            "string" => self.string(node).map_or(Expr::Other, Expr::Str),
            "concatenated_string" => {
                let mut text = String::new();
                let mut walk = node.walk();
                for part in node.named_children(&mut walk) {
                    match self.string(part) {
                        Some(piece) => text.push_str(&piece),
                        None => return Expr::Other,
                    }
                }
                Expr::Str(text)
            }
            "lambda" => {
                let qualname = format!("{prefix}<lambda>");
                let inner_prefix = format!("{qualname}.<locals>.");
                let body = child(ids.body).map_or(Expr::Other, |body| {
                    self.expr(body, &inner_prefix, depth + 1)
                });
                Expr::Lambda(Lambda {
                    qualname,
                    line: node.start_position().row as u32 + 1,
                    end_line: node.end_position().row as u32 + 1,
                    body: Box::new(body),
                })
            }
            "list" | "tuple" | "set" | "expression_list" | "pattern_list" => {
                let mut walk = node.walk();
                Expr::Seq(
                    node.named_children(&mut walk)
                        .filter(|element| element.kind() != "comment")
                        .take(MAX_SEQ_LEN)
                        .map(|element| match element.kind() {
                            // `[*more, A]`: the splatted sequence stands as itself.
                            "list_splat" | "parenthesized_list_splat" => {
                                element.named_child(0).map_or(Expr::Other, sub)
                            }
                            _ => sub(element),
                        })
                        .collect(),
                )
            }
            "subscript" => {
                let Some(value) = child(ids.value) else {
                    return Expr::Other;
                };
                let mut walk = node.walk();
                let indices = node
                    .children_by_field_id(ids.subscript, &mut walk)
                    .map(sub)
                    .collect();
                Expr::Subscript(Box::new(sub(value)), indices)
            }
            "generic_type" => {
                let mut walk = node.walk();
                let mut parts = node.named_children(&mut walk);
                let Some(value) = parts.next() else {
                    return Expr::Other;
                };
                let mut indices = Vec::new();
                for parameters in parts.filter(|p| p.kind() == "type_parameter") {
                    let mut inner = parameters.walk();
                    indices.extend(parameters.named_children(&mut inner).map(sub));
                }
                Expr::Subscript(Box::new(sub(value)), indices)
            }
            "binary_operator" | "boolean_operator" => {
                let operator = child(ids.operator).map(|op| self.text(op));
                match (child(ids.left), child(ids.right), operator.as_deref()) {
                    (Some(left), Some(right), Some("|")) => {
                        Expr::Union(Box::new(sub(left)), Box::new(sub(right)))
                    }
                    (Some(left), Some(right), Some("or")) => {
                        Expr::Or(Box::new(sub(left)), Box::new(sub(right)))
                    }
                    (Some(left), Some(right), Some("+")) => Expr::Seq(vec![sub(left), sub(right)]),
                    _ => Expr::Other,
                }
            }
            "type" | "parenthesized_expression" => {
                let mut walk = node.walk();
                let inner = node
                    .named_children(&mut walk)
                    .find(|inner| inner.kind() != "comment");
                inner.map_or(Expr::Other, sub)
            }
            "none" => Expr::None,
            "true" => Expr::Bool(true),
            "false" => Expr::Bool(false),
            _ => Expr::Other,
        }
    }

    /// The text of a string literal without quotes; `None` for f-strings.
    pub(super) fn string(&self, node: Node) -> Option<String> {
        if node.kind() != "string" {
            return None;
        }
        let mut text = String::new();
        let mut walk = node.walk();
        for part in node.named_children(&mut walk) {
            match part.kind() {
                "string_content" => text.push_str(&self.text(part)),
                "interpolation" => return None,
                _ => {}
            }
        }
        Some(text)
    }
}
