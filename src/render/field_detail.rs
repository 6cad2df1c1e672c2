//! What `show` and the TUI's detail pane say about one field beyond its
//! status row: the schema text of a definition, and the next step with what
//! blocks it.

use crate::compare::evidence::FieldVerdict;
use crate::migration::transition::{self, NextVerb};
use crate::model::inventory::{FieldRecord, SchemaSite};
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::render::compare_report::verdict_cell;

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

/// What the next step would be and what blocks it: the guards the verb
/// itself asks.
pub fn next_step(project: &Project, field: &FieldRecord) -> String {
    // Where the path ends there is no verb to suggest, and nothing blocks.
    match field.stage {
        Stage::Done => {
            return "none: the move is complete; delete the Python once nothing reads it (`ferry check` says what remains)".into();
        }
        Stage::Go => return "none: a Go-only field, not part of the migration".into(),
        Stage::Key => {
            return "none: every subgraph with the entity resolves its key; a key is never moved"
                .into();
        }
        _ => {}
    }
    match transition::next_step(project, field) {
        Ok((NextVerb::Mark, allowed)) => format!(
            "`ferry mark {} --into SERVICE` → {}",
            field.coordinate, allowed.to
        ),
        Ok((NextVerb::Advance, allowed)) => {
            format!("`ferry advance {}` → {}", field.coordinate, allowed.to)
        }
        Ok((NextVerb::Finish, allowed)) => {
            format!("`ferry finish {}` → {}", field.coordinate, allowed.to)
        }
        Err(refusal) => format!("blocked: {}", refusal.reason.with_force_hint()),
    }
}

/// The evidence as `show` and the TUI's detail pane word it: the numbers
/// and the gate's verdict (the next step says what gathers it).
pub fn evidence_line(verdict: &FieldVerdict) -> String {
    if !verdict.measured() {
        return "none".into();
    }
    let span = match (&verdict.from, &verdict.to) {
        (Some(from), Some(to)) if from != to => format!("{from} – {to}"),
        (Some(from), _) => from.clone(),
        _ => String::new(),
    };
    format!(
        "{} samples, {} mismatched, {} noisy, {} Go errors ({span}) · {}",
        verdict.samples,
        verdict.mismatches,
        verdict.noisy,
        verdict.go_errors,
        verdict_cell(verdict)
    )
}
