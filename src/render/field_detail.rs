//! What `show` and the TUI's detail pane say about one field beyond its
//! status row: the schema text of a definition, and the next step with what
//! blocks it.

use crate::migration::transition;
use crate::model::inventory::{FieldRecord, SchemaSite};
use crate::model::project::Project;
use crate::model::stage::Stage;

/// The text of a field definition as the file has it, from the start of
/// its first line (so the indentation shows) to the end of the definition.
pub fn schema_text(project: &Project, site: &SchemaSite) -> String {
    let file = project.monolith.file(&site.file).or_else(|| {
        project
            .services
            .iter()
            .find_map(|(_, l)| l.file(&site.file))
    });
    let Some(file) = file else {
        return String::new();
    };
    let text = &file.source.text;
    let line_start = text[..site.span.start]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    text[line_start..site.span.end].replace('\r', "")
}

/// What the next step would be and what blocks it.
pub fn next_step(field: &FieldRecord) -> String {
    let attempt = match field.stage {
        Stage::Python => transition::mark(field, false, false).map(|a| ("mark", a)),
        Stage::Migrated => transition::finish(field).map(|a| ("finish", a)),
        _ => transition::advance(field, None, false).map(|a| ("advance", a)),
    };
    match attempt {
        Ok(("mark", allowed)) => format!(
            "`ferry mark {} --into SERVICE` → {}",
            field.coordinate, allowed.to
        ),
        Ok((verb, allowed)) => format!("`ferry {verb} {}` → {}", field.coordinate, allowed.to),
        Err(refusal) => {
            let forced = if refusal.overridable {
                " (--force overrides)"
            } else {
                ""
            };
            format!("blocked: {}{forced}", refusal.reason)
        }
    }
}
