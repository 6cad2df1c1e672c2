//! The printers of an editing command's report: the terminal's lines,
//! `--json`, and the one-line summary the TUI's status line shows.

use crate::migration::edit_report::{DeletablePython, EditReport, PythonCode};
use crate::migration::plan::Move;
use crate::model::python_code::CodePiece;
use crate::model::stage::Stage;
use crate::render::style::Style;
use serde::Serialize;
use std::fmt::Write;

/// What moved, what was already there, forced and skipped, the Python that
/// can go, and what was written (or would be).
pub fn human(report: &EditReport, style: &Style) -> String {
    let mut out = String::new();
    for m in &report.moves {
        let _ = writeln!(out, "{}: {}  ({}, {})", m.field, edge(m), m.service, m.file);
    }
    for field in &report.unchanged {
        let _ = writeln!(out, "{field}: already there, nothing to do");
    }
    for field in &report.shared_keys {
        let _ = writeln!(
            out,
            "{field}: a key field, shared: it comes with its entity"
        );
    }
    for dropped in &report.dropped_directives {
        let _ = writeln!(
            out,
            "{}: left out {} (federation v1 cannot declare it)",
            dropped.definition, dropped.directive
        );
    }
    for forced in &report.forced {
        let _ = writeln!(
            out,
            "{} {}: {}",
            style.yellow("forced:"),
            forced.field,
            forced.reason
        );
    }
    for refused in &report.refused {
        let _ = writeln!(
            out,
            "{} {}: {}",
            style.red("skipped:"),
            refused.field,
            refused.reason
        );
    }
    if !report.python_to_delete.is_empty() {
        let deleted = report.python_deleted && report.written;
        let heading = match (report.python_deleted, report.written) {
            (true, true) => "Python deleted:",
            (true, false) => "Python that --delete-python deletes:",
            _ => "Python that can now be deleted:",
        };
        let _ = writeln!(out, "{heading}");
        for python in &report.python_to_delete {
            let _ = writeln!(out, "  {}", deletable_python(python));
            for piece in &python.delete {
                let _ = writeln!(out, "    {}", piece_line(piece, style));
            }
            for kept in &python.kept {
                let mut why = Vec::new();
                if !kept.kept_by.is_empty() {
                    why.push(format!("still used by {}", kept.kept_by.join(", ")));
                }
                if !kept.imported_by.is_empty() {
                    why.push(format!("imported by {}", kept.imported_by.join(", ")));
                }
                let _ = writeln!(
                    out,
                    "    {}  {}: {}",
                    piece_line(&kept.piece, style),
                    style.yellow("kept"),
                    why.join("; ")
                );
            }
        }
        if !report.python_deleted && report.python_to_delete.iter().any(|p| !p.delete.is_empty()) {
            let _ = writeln!(out, "  (`ferry finish --delete-python` deletes it)");
        }
        let verb = if deleted { "removed" } else { "removes" };
        for import in &report.python_removed_imports {
            let _ = writeln!(
                out,
                "  {verb} import {} ({}:{})",
                import.what.name, import.file, import.what.line
            );
        }
        let verb = if deleted { "added" } else { "adds" };
        for pass in &report.python_added_pass {
            let _ = writeln!(out, "  {verb} `pass` ({}:{})", pass.file, pass.line);
        }
    }
    if !report.remove_from_monolith_subgraph.is_empty() {
        let _ = writeln!(
            out,
            "Remove from the monolith's subgraph (no @override takes them from it any more):"
        );
        for removal in &report.remove_from_monolith_subgraph {
            let at = match (&removal.file, removal.line) {
                (Some(file), Some(line)) => format!(" ({file}:{line})"),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {} from `{}`{at}", removal.field, removal.subgraph);
        }
    }
    if report.written {
        for file in &report.files {
            let _ = writeln!(out, "wrote {file}");
        }
    } else if !report.files.is_empty() {
        let _ = writeln!(
            out,
            "would change: {} (nothing written)",
            report.files.join(", ")
        );
    }
    out
}

/// `declaration  webapp/schema.py:14-14`.
fn piece_line(piece: &CodePiece, style: &Style) -> String {
    let span = &piece.span;
    format!(
        "{:<14} {}",
        piece.role.as_str(),
        style.bold(&format!("{}:{}-{}", span.file, span.line, span.end_line))
    )
}

fn deletable_python(python: &DeletablePython) -> String {
    let field = &python.field;
    match &python.code {
        PythonCode::Function {
            function,
            file,
            line,
            end_line,
            logic,
        } => {
            let mut text = format!("{field}: {function} ({file}:{line}-{end_line})");
            if let Some(logic) = logic {
                let _ = write!(
                    text,
                    ", and its logic {} ({}:{})",
                    logic.function, logic.file, logic.line
                );
            }
            text
        }
        PythonCode::DefaultResolver => format!("{field}: served by the default resolver"),
        PythonCode::Unknown {
            schema_file: Some(file),
            schema_line: Some(line),
        } => format!("{field}: its Python resolver (monolith schema {file}:{line})"),
        PythonCode::Unknown { .. } => format!("{field}: its Python resolver"),
    }
}

#[derive(Serialize)]
struct EditJson<'a> {
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson<'a>>,
    #[serde(flatten)]
    report: &'a EditReport,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    message: &'a str,
}

/// The `--json` document (docs/status-json.md).
pub fn json(report: &EditReport) -> String {
    document(report, None)
}

/// The `--json` document of a batch refused as a whole: the report, with
/// the `error` every failed command's document carries.
pub fn refused_json(report: &EditReport, message: &str) -> String {
    document(report, Some(ErrorJson { message }))
}

fn document(report: &EditReport, error: Option<ErrorJson>) -> String {
    let document = EditJson {
        version: crate::render::json::VERSION,
        error,
        report,
    };
    serde_json::to_string_pretty(&document).expect("the report serializes") + "\n"
}

/// `advance: Assignment.title side-by-side → migrated` or
/// `advance: 3 fields (manual → side-by-side)`.
pub fn headline(report: &EditReport) -> String {
    let verb = report.verb;
    match report.moves.as_slice() {
        [] => format!("{verb}: nothing moved"),
        [one] => format!("{verb}: {} {}", one.field, edge(one)),
        moves => {
            let mut edges: Vec<String> = moves.iter().map(edge).collect();
            edges.sort();
            edges.dedup();
            format!("{verb}: {} fields ({})", moves.len(), edges.join(", "))
        }
    }
}

/// `side-by-side → migrated`, or with a canary's groups:
/// `canary (5%) → canary (25%)`.
fn edge(m: &Move) -> String {
    let stage = |stage: Stage, group: &Option<String>| match group {
        Some(group) => format!("{stage} ({group})"),
        None => stage.to_string(),
    };
    format!(
        "{} → {}",
        stage(m.from, &m.from_group),
        stage(m.to, &m.to_group)
    )
}

/// One line: the headline, what was written, what `--force` overrode and
/// how many fields were skipped; or why nothing changed.
pub fn summary(report: &EditReport) -> String {
    if report.files.is_empty() && !report.refused.is_empty() {
        return format!("{} refused: nothing was written", report.refused.len());
    }
    if report.files.is_empty() {
        let unchanged = if report.unchanged.is_empty() {
            "every field is".to_string()
        } else {
            report.unchanged.join(", ")
        };
        return format!(
            "{}: nothing to change ({unchanged} already there)",
            report.verb
        );
    }
    let mut text = headline(report);
    if report.written {
        // The ledger goes with every edit; one line names the schemas.
        let files: Vec<&str> = report.schema_files().collect();
        let _ = write!(text, " · wrote {}", files.join(", "));
    }
    if !report.forced.is_empty() {
        let reasons: Vec<String> = report
            .forced
            .iter()
            .map(|r| format!("{}: {}", r.field, r.reason))
            .collect();
        let _ = write!(text, " · FORCED {}", reasons.join("; "));
    }
    if !report.refused.is_empty() {
        let _ = write!(text, " · skipped {}", report.refused.len());
    }
    text
}
