//! `gen go`'s report: one printer for people, one for `--json`, and the
//! files themselves for `--stdout`.

use crate::edit::change_set::ChangeSet;
use crate::generate::report::{GenReport, SkipReason, SkippedField, Warning};
use crate::render::json::VERSION;
use crate::render::style::Style;
use serde::Serialize;
use std::fmt::Write;

/// What a person reads: each field left alone and why, the warnings, then
/// what was written. `quiet` (`-q`) leaves out the lines about writing.
/// Refusals are not here: [`refusal`] is the error that lists them, once.
pub fn human(report: &GenReport, style: &Style, quiet: bool) -> String {
    let mut out = String::new();
    for field in &report.skipped {
        match field.reason {
            SkipReason::Exists { .. } => {
                let _ = writeln!(out, "{field}");
            }
            _ => {
                let _ = writeln!(out, "{} {field}", style.yellow("skipped:"));
            }
        }
    }
    for warning in &report.warnings {
        let _ = writeln!(out, "{} {warning}", style.yellow("warning:"));
    }
    if quiet {
        return out;
    }
    if report.written {
        for file in &report.files {
            let _ = writeln!(out, "wrote {file}");
        }
    } else if !report.files.is_empty() && report.refused.is_empty() {
        let _ = writeln!(
            out,
            "would change: {} (nothing written)",
            report.files.join(", ")
        );
    }
    if report.files.is_empty() && report.refused.is_empty() {
        let _ = writeln!(out, "nothing to generate");
    }
    out
}

/// The error a refused batch ends with: every refusal, once.
pub fn refusal(report: &GenReport) -> String {
    let count = report.refused.len();
    let mut text = format!(
        "nothing was written; {count} field{} cannot get a resolver:",
        if count == 1 { "" } else { "s" }
    );
    for field in &report.refused {
        let _ = write!(text, "\n  {field}");
    }
    text
}

#[derive(Serialize)]
struct SkippedJson<'a> {
    #[serde(flatten)]
    field: &'a SkippedField,
    message: String,
}

#[derive(Serialize)]
struct WarningJson<'a> {
    #[serde(flatten)]
    warning: &'a Warning,
    message: String,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    message: &'a str,
}

#[derive(Serialize)]
struct GenJson<'a> {
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson<'a>>,
    written: bool,
    files: &'a [String],
    skipped: Vec<SkippedJson<'a>>,
    refused: Vec<SkippedJson<'a>>,
    warnings: Vec<WarningJson<'a>>,
}

fn with_messages(fields: &[SkippedField]) -> Vec<SkippedJson<'_>> {
    fields
        .iter()
        .map(|field| SkippedJson {
            field,
            message: field.message(),
        })
        .collect()
}

/// `--json`: the report, versioned, each reason and warning with its message.
pub fn json(report: &GenReport) -> String {
    document(report, None)
}

/// `--json` for a refused batch: the report with the `error` every failed
/// command's document carries ([`refusal`]'s text).
pub fn refused_json(report: &GenReport) -> String {
    document(
        report,
        Some(ErrorJson {
            message: &refusal(report),
        }),
    )
}

fn document(report: &GenReport, error: Option<ErrorJson<'_>>) -> String {
    let document = GenJson {
        version: VERSION,
        error,
        written: report.written,
        files: &report.files,
        skipped: with_messages(&report.skipped),
        refused: with_messages(&report.refused),
        warnings: report
            .warnings
            .iter()
            .map(|warning| WarningJson {
                warning,
                message: warning.to_string(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&document).expect("the report serializes") + "\n"
}

/// `--stdout`: each file after a `// ==> path <==` header, every file ending
/// in a newline so the next header starts its own line.
pub fn files(changes: &ChangeSet) -> String {
    let mut out = String::new();
    for change in changes.changes() {
        let _ = writeln!(out, "// ==> {} <==", change.path.rel);
        let text = change.after.as_deref().unwrap_or_default();
        out.push_str(text);
        if !text.is_empty() && !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
