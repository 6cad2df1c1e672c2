//! `ferry status --format markdown`: a report to paste into a PR or a wiki.

use crate::render::report::{StatusReport, go_cell, python_cell, schema_site, stage_label};
use std::fmt::Write;

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

pub fn render(report: &StatusReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Migration status\n");
    let _ = writeln!(out, "| Service | Served by Go | Stages |");
    let _ = writeln!(out, "|---|---|---|");
    for service in report.services {
        let stages: Vec<String> = service
            .by_stage
            .iter()
            .map(|(s, n)| format!("{s}: {n}"))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {}/{} | {} |",
            cell(&service.name),
            service.served_by_go,
            service.planned,
            stages.join(", ")
        );
    }
    let _ = writeln!(out, "\n## Fields\n");
    let _ = writeln!(
        out,
        "| Field | Kind | Stage | Service | Schema | Python | Go |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for field in &report.fields {
        let schema = schema_site(field)
            .map(|s| format!("{}:{}", s.file, s.line))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            field.coordinate,
            field.kind.as_str(),
            stage_label(field),
            cell(field.service.as_deref().unwrap_or("")),
            cell(&schema),
            cell(&python_cell(field)),
            go_cell(field)
        );
    }
    if !report.problems.is_empty() {
        let _ = writeln!(out, "\n## Problems\n");
        for problem in &report.problems {
            let location = match (&problem.file, problem.line) {
                (Some(file), Some(line)) => format!("`{file}:{line}` "),
                (Some(file), None) => format!("`{file}` "),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "- {location}**{}** `{}`: {} (hint: {})",
                problem.severity().as_str(),
                problem.rule.id(),
                problem.message,
                problem.hint
            );
        }
    }
    out
}
