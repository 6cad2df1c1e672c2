//! `@override(from: "monolith", label: "…")` on one field (federation
//! 2.7's progressive override), under the service's own name for it, with
//! the byte ranges an edit needs.

use crate::schema::migrate_directive::{MigrateArgument, argument, span_of};
use apollo_compiler::ast;
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct OverrideDirective {
    pub span: Range<usize>,
    pub from: MigrateArgument,
    pub label: Option<MigrateArgument>,
}

impl OverrideDirective {
    /// The field's `@override` (spelled `local_name` in this schema) when
    /// it takes the field from `subgraph`; an override from another
    /// subgraph is no move of ferry's.
    pub fn find(
        field: &ast::FieldDefinition,
        local_name: &str,
        subgraph: &str,
    ) -> Option<OverrideDirective> {
        let directive = field.directives.get(local_name)?;
        let from = argument(directive, "from")?;
        if from.value.as_deref() != Some(subgraph) {
            return None;
        }
        Some(OverrideDirective {
            span: span_of(directive),
            from,
            label: argument(directive, "label"),
        })
    }

    pub fn label(&self) -> Option<&str> {
        self.label.as_ref().and_then(|l| l.value.as_deref())
    }
}
