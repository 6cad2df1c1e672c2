//! Text for schema edits, written in the target file's own style (line
//! ending, indentation), and the ranges that undo them exactly.

use crate::edit::splice::{Splice, removal_range};
use crate::schema::loaded::ParsedFile;
use std::ops::Range;

pub use crate::schema::migrate_directive::string_value;

/// Re-indents `text` (taken from a file indented with `from`) for a file
/// indented with `to`, and converts its line endings to `eol`.
pub fn reindent(text: &str, from: &str, to: &str, eol: &str) -> String {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .map(|line| {
            let mut rest = line;
            let mut depth = 0;
            while !from.is_empty() && rest.starts_with(from) {
                rest = &rest[from.len()..];
                depth += 1;
            }
            format!("{}{rest}", to.repeat(depth))
        })
        .collect::<Vec<_>>()
        .join(eol)
}

/// Leading whitespace of the line holding `offset`, when only whitespace
/// precedes `offset` on it.
pub fn indentation_at(text: &str, offset: usize) -> &str {
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let lead = &text[line_start..offset];
    if lead.chars().all(|c| c == ' ' || c == '\t') {
        lead
    } else {
        ""
    }
}

/// The end of the file's last non-whitespace content.
pub fn content_end(file: &ParsedFile) -> usize {
    file.source
        .text
        .trim_end_matches([' ', '\t', '\r', '\n'])
        .len()
}

/// Inserts a top-level definition after everything else in the file,
/// separated by a blank line.
pub fn append_definition(file: &ParsedFile, definition: &str) -> Splice {
    let eol = file.source.eol();
    let end = content_end(file);
    if end > file.source.content_start() {
        Splice::insert(end, format!("{eol}{eol}{definition}"))
    } else {
        Splice::insert(file.source.content_start(), format!("{definition}{eol}"))
    }
}

/// Inserts a top-level definition before the file's first definition (after
/// a leading `schema`/`extend schema`), separated by a blank line.
pub fn prepend_definition(file: &ParsedFile, definition: &str) -> Splice {
    use apollo_compiler::ast::Definition;
    let eol = file.source.eol();
    let schema_end = file
        .doc
        .definitions
        .iter()
        .take_while(|d| {
            matches!(
                d,
                Definition::SchemaDefinition(_) | Definition::SchemaExtension(_)
            )
        })
        .filter_map(|d| d.location())
        .map(|l| l.end_offset())
        .last();
    if let Some(end) = schema_end {
        return Splice::insert(end, format!("{eol}{eol}{definition}"));
    }
    match file.doc.definitions.first().and_then(|d| d.location()) {
        Some(first) => Splice::insert(first.offset(), format!("{definition}{eol}{eol}")),
        None => append_definition(file, definition),
    }
}

/// Removes what `append_definition`, `prepend_definition` or a field
/// insertion added.
pub fn remove(file: &ParsedFile, span: Range<usize>) -> Splice {
    Splice::delete(removal_range(
        &file.source.text,
        span,
        file.source.content_start(),
    ))
}
