//! `@migrate(from: "python", state: "…", color: "…")` on one field, with the
//! byte ranges an edit needs.

use apollo_compiler::ast;
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct MigrateArgument {
    pub value: Option<String>,
    /// The whole `name: value` argument.
    pub span: Range<usize>,
    /// Just the value (the quoted string).
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct MigrateDirective {
    pub span: Range<usize>,
    pub from: Option<MigrateArgument>,
    pub state: Option<MigrateArgument>,
    pub color: Option<MigrateArgument>,
}

pub fn span_of<T>(node: &apollo_compiler::Node<T>) -> Range<usize> {
    node.location()
        .map(|l| l.offset()..l.end_offset())
        .unwrap_or(0..0)
}

/// A GraphQL string literal for `text`, quoted and escaped by
/// apollo-compiler's serializer (on one line: never a block string).
pub fn string_value(text: &str) -> String {
    ast::Value::from(text).serialize().no_indent().to_string()
}

/// One argument of an applied directive, with its byte ranges.
pub fn argument(directive: &ast::Directive, name: &str) -> Option<MigrateArgument> {
    directive
        .arguments
        .iter()
        .find(|a| a.name == name)
        .map(|a| MigrateArgument {
            value: a.value.as_str().map(str::to_string),
            span: span_of(a),
            value_span: span_of(&a.value),
        })
}

impl MigrateDirective {
    pub fn find(field: &ast::FieldDefinition) -> Option<MigrateDirective> {
        let directive = field.directives.get("migrate")?;
        Some(MigrateDirective {
            span: span_of(directive),
            from: argument(directive, "from"),
            state: argument(directive, "state"),
            color: argument(directive, "color"),
        })
    }

    pub fn state(&self) -> Option<&str> {
        self.state.as_ref().and_then(|s| s.value.as_deref())
    }

    pub fn color(&self) -> Option<&str> {
        self.color.as_ref().and_then(|s| s.value.as_deref())
    }
}
