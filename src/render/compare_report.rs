//! `ferry compare`'s report: the terminal table, markdown for a PR comment,
//! and JSON, all over the one `CompareReport`.

use crate::compare::evidence::{EvidenceSource, FieldVerdict, Readiness};
use crate::compare::report::{CompareReport, FieldComparison, Latency};
use crate::compare::tally::Example;
use crate::render::style::Style;
use std::fmt::Write;

pub fn json(report: &CompareReport) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("the report serializes");
    text.push('\n');
    text
}

/// The gate's verdict in a few words.
pub fn gate_cell(readiness: &Readiness) -> String {
    match readiness {
        Readiness::Ready { .. } => "ready".into(),
        Readiness::NoEvidence => "no evidence".into(),
        Readiness::Stale { .. } => "stale: Go changed".into(),
        Readiness::TooFewSamples {
            compared,
            min_samples,
        } => format!("{compared}/{min_samples} samples"),
        Readiness::TooManyMismatches { mismatches, .. } => format!("{mismatches} mismatched"),
    }
}

/// A field's verdict beside its numbers (`show`, the TUI, `report`).
pub fn verdict_cell(verdict: &FieldVerdict) -> String {
    if verdict.passes {
        "passes the gate".into()
    } else {
        gate_cell(&verdict.readiness)
    }
}

fn latency_cell(latency: Option<Latency>) -> String {
    latency
        .map(|l| format!("{}/{} ms", short_ms(l.p50), short_ms(l.p95)))
        .unwrap_or_else(|| "-".into())
}

fn short_ms(ms: f64) -> String {
    if ms >= 100.0 {
        format!("{ms:.0}")
    } else {
        format!("{ms:.1}")
    }
}

fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(text.chars().count()));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

fn value_text(value: &serde_json::Value, error: Option<&String>) -> String {
    match error {
        Some(error) => format!("error: {error}"),
        None => value.to_string(),
    }
}

fn example_place(example: &Example) -> String {
    match &example.operation {
        Some(name) => format!("{name}, {}", example.origin),
        None => example.origin.clone(),
    }
}

fn operations_line(report: &CompareReport) -> String {
    let counts = &report.operations;
    if report.source == EvidenceSource::GatewayLog {
        let records = if counts.read == 1 {
            "record"
        } else {
            "records"
        };
        return format!("{} gateway {records} of compared fields read", counts.read);
    }
    let skipped: u64 = counts.skipped.values().sum();
    let mut line = format!(
        "{} operations read, {} replayed (standing for {} requests)",
        counts.read, counts.replayed, counts.traffic
    );
    if skipped > 0 {
        let reasons: Vec<String> = counts
            .skipped
            .iter()
            .map(|(reason, n)| format!("{}: {n}", reason.describe()))
            .collect();
        let _ = write!(line, "; {skipped} skipped: {}", reasons.join(", "));
    }
    line
}

pub fn table(report: &CompareReport, style: &Style) -> String {
    let headers = [
        "FIELD",
        "SERVICE",
        "SAMPLES",
        "MATCH",
        "MISMATCH",
        "NOISY",
        "GO ERR",
        "PYTHON p50/p95",
        "GO p50/p95",
        "GATE",
    ];
    let numeric = [
        false, false, true, true, true, true, true, true, true, false,
    ];
    let rows: Vec<[String; 10]> = report
        .fields
        .iter()
        .map(|f| {
            [
                f.field.clone(),
                f.service.clone(),
                f.samples.to_string(),
                f.matches.to_string(),
                f.mismatches.to_string(),
                f.noisy.to_string(),
                f.go_errors.to_string(),
                latency_cell(f.python_ms),
                latency_cell(f.go_ms),
                gate_cell(&f.readiness),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| pad(h, widths[i], numeric[i]))
        .collect();
    let _ = writeln!(out, "{}", style.bold(header.join("  ").trim_end()));
    for (row, field) in rows.iter().zip(&report.fields) {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let padded = pad(cell, widths[i], numeric[i]);
                match i {
                    4 if field.mismatches > 0 => style.red(&padded),
                    5 if field.noisy > 0 => style.yellow(&padded),
                    9 if field.readiness.is_ready() => style.green(&padded),
                    _ => padded,
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    let mismatched: Vec<&FieldComparison> = report
        .fields
        .iter()
        .filter(|f| !f.examples.is_empty())
        .collect();
    if !mismatched.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("Differences"));
    }
    for field in mismatched {
        let _ = writeln!(
            out,
            "  {} ({} mismatched of {})",
            style.bold(&field.field),
            field.mismatches,
            field.samples
        );
        for example in &field.examples {
            let _ = writeln!(
                out,
                "    {}  {}",
                example.path,
                style.dim(&format!("({})", example_place(example)))
            );
            let _ = writeln!(
                out,
                "      python: {}",
                value_text(&example.python, example.python_error.as_ref())
            );
            let _ = writeln!(
                out,
                "      go:     {}",
                value_text(&example.go, example.go_error.as_ref())
            );
        }
    }
    let noisy: Vec<&str> = report
        .fields
        .iter()
        .filter(|f| f.noisy > 0)
        .map(|f| f.field.as_str())
        .collect();
    if !noisy.is_empty() {
        let _ = writeln!(
            out,
            "\n{} {}: Python answered differently when asked twice; those samples say nothing about Go (list the field in [compare] ignore to compare it by nullness only)",
            style.yellow("Noisy:"),
            noisy.join(", ")
        );
    }
    let _ = writeln!(out, "\n{}", operations_line(report));
    for skipped in &report.operations.skipped_examples {
        let name = skipped
            .operation
            .as_ref()
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}{name}: {}",
            style.dim(&skipped.origin),
            skipped.message
        );
    }
    for not in &report.not_compared {
        let _ = writeln!(out, "Not compared: {} — {}", not.field, not.reason);
    }
    let _ = writeln!(out, "{}", evidence_line(report));
    if report.interrupted {
        let _ = writeln!(
            out,
            "{}",
            style.yellow("Interrupted: this is what was measured before Ctrl-C.")
        );
    }
    out
}

fn evidence_line(report: &CompareReport) -> String {
    match &report.evidence {
        Some(file) => format!(
            "Evidence written to {file} (gate: at least {} samples, at most {}% mismatched).",
            report.gate.min_samples,
            report.gate.max_mismatch_rate * 100.0
        ),
        None => "Evidence not written.".into(),
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

pub fn markdown(report: &CompareReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### ferry compare\n");
    let _ = writeln!(
        out,
        "| Field | Service | Samples | Match | Mismatch | Noisy | Go errors | Python p50/p95 | Go p50/p95 | Gate |"
    );
    let _ = writeln!(out, "|---|---|--:|--:|--:|--:|--:|--:|--:|---|");
    for f in &report.fields {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            f.field,
            cell(&f.service),
            f.samples,
            f.matches,
            f.mismatches,
            f.noisy,
            f.go_errors,
            latency_cell(f.python_ms),
            latency_cell(f.go_ms),
            cell(&gate_cell(&f.readiness))
        );
    }
    for field in report.fields.iter().filter(|f| !f.examples.is_empty()) {
        let _ = writeln!(
            out,
            "\n**`{}`**: {} mismatched of {}\n",
            field.field, field.mismatches, field.samples
        );
        for example in &field.examples {
            let _ = writeln!(
                out,
                "- `{}` ({}): Python `{}`, Go `{}`",
                example.path,
                cell(&example_place(example)),
                value_text(&example.python, example.python_error.as_ref()).replace('`', "'"),
                value_text(&example.go, example.go_error.as_ref()).replace('`', "'")
            );
        }
    }
    let _ = writeln!(out, "\n{}.", operations_line(report).trim_end_matches('.'));
    for not in &report.not_compared {
        let _ = writeln!(
            out,
            "\nNot compared: `{}` — {}",
            not.field,
            cell(&not.reason)
        );
    }
    if report.interrupted {
        let _ = writeln!(
            out,
            "\n_Interrupted: this is what was measured before Ctrl-C._"
        );
    }
    out
}
