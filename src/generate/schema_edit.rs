//! `@goField(forceResolver: true)`: where a service's Go model already has a
//! field, gqlgen reads the field off the struct and never calls a resolver;
//! the directive makes it call the one ferry generates. The edits are
//! described, not written: the caller applies them through its edit layer.

use std::path::PathBuf;

use apollo_compiler::Schema;
use apollo_compiler::ast::{Directive, FieldDefinition};
use apollo_compiler::{Node, parser::SourceSpan};
use serde::Serialize;

/// gqlgen's definition of `@goField`.
pub const GO_FIELD_DEFINITION: &str = "directive @goField(forceResolver: Boolean, name: String, omittable: Boolean) on INPUT_FIELD_DEFINITION | FIELD_DEFINITION";

/// Insert `insert` at byte `offset` of `file` (as it was read: offsets refer
/// to the original text, so apply a file's edits from the highest offset down).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaEdit {
    /// The schema file, as its path was given to the schema parser.
    pub file: PathBuf,
    pub offset: usize,
    pub insert: String,
    /// What the edit does, for `--dry-run` and messages.
    pub description: String,
}

/// The edit that makes gqlgen call the field's resolver, or `None` when the
/// field has no source location to edit.
pub(crate) fn force_resolver(
    schema: &Schema,
    type_name: &str,
    field: &Node<FieldDefinition>,
) -> Option<SchemaEdit> {
    let span = field.location()?;
    let source = schema.sources.get(&span.file_id())?;
    let text = source.source_text();
    let description = format!(
        "add @goField(forceResolver: true) to {type_name}.{}",
        field.name
    );
    if let Some(existing) = field.directives.get("goField") {
        return add_force_argument(text, existing, source.path().to_path_buf(), description);
    }
    let end = last_token_end(text, span)?;
    Some(SchemaEdit {
        file: source.path().to_path_buf(),
        offset: end,
        insert: " @goField(forceResolver: true)".to_string(),
        description,
    })
}

/// `@goField(name: "X")` → `@goField(forceResolver: true, name: "X")`.
fn add_force_argument(
    text: &str,
    directive: &Node<Directive>,
    file: PathBuf,
    description: String,
) -> Option<SchemaEdit> {
    let span = directive.location()?;
    let directive_text = text.get(span.offset()..span.end_offset())?;
    let (offset, insert) = match directive_text.find('(') {
        Some(paren) => (
            span.offset() + paren + 1,
            "forceResolver: true, ".to_string(),
        ),
        None => (span.end_offset(), "(forceResolver: true)".to_string()),
    };
    Some(SchemaEdit {
        file,
        offset,
        insert,
        description,
    })
}

/// The end of the last token of a definition, before any trailing comment
/// or whitespace its span may include.
fn last_token_end(text: &str, span: SourceSpan) -> Option<usize> {
    let slice = text.get(span.offset()..span.end_offset())?;
    let bytes = slice.as_bytes();
    let mut end = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            b'"' if slice[i..].starts_with("\"\"\"") => {
                i += 3;
                while i < bytes.len() && !slice[i..].starts_with("\"\"\"") {
                    i += if slice[i..].starts_with("\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i = (i + 3).min(bytes.len());
                end = i;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                end = i;
            }
            _ => {
                i += 1;
                end = i;
            }
        }
    }
    Some(span.offset() + end)
}

/// The `directive @goField` definition, appended to `file` once, when the
/// schema lacks it.
pub(crate) fn go_field_definition(schema: &Schema, file: &std::path::Path) -> Option<SchemaEdit> {
    if schema.directive_definitions.contains_key("goField") {
        return None;
    }
    // A large file parsed in pieces has a source for each piece, each
    // holding the file's text up to the piece's end, blanked before its
    // start (`chunked_parse`): the longest ends where the file ends.
    let texts: Vec<&str> = schema
        .sources
        .values()
        .filter(|s| s.path() == file)
        .map(|s| s.source_text())
        .collect();
    let text = texts.iter().copied().max_by_key(|t| t.len())?;
    let newline = if texts.iter().any(|t| t.contains("\r\n")) {
        "\r\n"
    } else {
        "\n"
    };
    let lead = if text.is_empty() || text.ends_with('\n') {
        newline.to_string()
    } else {
        format!("{newline}{newline}")
    };
    Some(SchemaEdit {
        file: file.to_path_buf(),
        offset: text.len(),
        insert: format!("{lead}{GO_FIELD_DEFINITION}{newline}"),
        description: "define the @goField directive gqlgen reads".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use apollo_compiler::schema::ExtendedType;

    fn apply(text: &str, edits: &[SchemaEdit]) -> String {
        let mut out = text.to_string();
        let mut sorted = edits.to_vec();
        sorted.sort_by_key(|e| std::cmp::Reverse(e.offset));
        for edit in sorted {
            out.insert_str(edit.offset, &edit.insert);
        }
        out
    }

    fn edits_for(sdl: &str, fields: &[&str]) -> String {
        let schema = Schema::builder()
            .adopt_orphan_extensions()
            .parse(sdl, "schema.graphqls")
            .build()
            .unwrap();
        let ExtendedType::Object(object) = &schema.types["Assignment"] else {
            panic!()
        };
        let mut edits: Vec<SchemaEdit> = fields
            .iter()
            .filter_map(|f| force_resolver(&schema, "Assignment", &object.fields[*f]))
            .collect();
        edits.extend(go_field_definition(
            &schema,
            std::path::Path::new("schema.graphqls"),
        ));
        apply(sdl, &edits)
    }

    #[test]
    fn adds_the_directive_after_the_type_and_existing_directives() {
        let sdl = "type Query { a: Int }\r\nextend type Assignment {\r\n  \"The day\" createdDate: String # when\r\n  title(upper: Boolean = false): String! @deprecated(reason: \"x # y\")\r\n}";
        assert_eq!(
            edits_for(sdl, &["createdDate", "title"]),
            "type Query { a: Int }\r\nextend type Assignment {\r\n  \"The day\" createdDate: String @goField(forceResolver: true) # when\r\n  title(upper: Boolean = false): String! @deprecated(reason: \"x # y\") @goField(forceResolver: true)\r\n}\r\n\r\ndirective @goField(forceResolver: Boolean, name: String, omittable: Boolean) on INPUT_FIELD_DEFINITION | FIELD_DEFINITION\r\n"
        );
    }

    #[test]
    fn a_file_parsed_in_pieces_gets_the_directive_at_its_end() {
        use crate::schema::chunked_parse::parse_alone_on;
        let mut sdl = String::from("type Query { a: Int }\r\n");
        for i in 0..6_000 {
            sdl.push_str(&format!(
                "\r\ntype T{i} {{\r\n  a: Int\r\n  b(x: String): Int\r\n}}\r\n"
            ));
        }
        let doc = parse_alone_on(2, &sdl, "schema.graphqls").expect("large enough to be cut");
        assert!(doc.sources.len() > 1, "parsed in pieces");
        let schema = Schema::builder().add_ast(&doc).build().unwrap();
        let edit = go_field_definition(&schema, std::path::Path::new("schema.graphqls")).unwrap();
        assert_eq!(edit.offset, sdl.len());
        assert!(edit.insert.starts_with("\r\ndirective @goField("));
        let edited = apply(&sdl, &[edit]);
        assert!(Schema::parse(&edited, "schema.graphqls").is_ok());
    }

    #[test]
    fn extends_an_existing_go_field_directive() {
        let sdl = "directive @goField(forceResolver: Boolean, name: String) on FIELD_DEFINITION\ntype Query { a: Int }\ntype Assignment {\n  a: Int @goField(name: \"A2\")\n  b: Int @goField\n  c: Int @goField(forceResolver: true)\n}\n";
        let schema = Schema::builder()
            .parse(sdl, "schema.graphqls")
            .build()
            .unwrap();
        let ExtendedType::Object(object) = &schema.types["Assignment"] else {
            panic!()
        };
        let edits: Vec<_> = ["a", "b"]
            .iter()
            .filter_map(|f| force_resolver(&schema, "Assignment", &object.fields[*f]))
            .collect();
        assert!(go_field_definition(&schema, std::path::Path::new("schema.graphqls")).is_none());
        assert_eq!(
            apply(sdl, &edits),
            sdl.replace("@goField(name:", "@goField(forceResolver: true, name:")
                .replace(
                    "b: Int @goField\n",
                    "b: Int @goField(forceResolver: true)\n"
                )
        );
    }
}
