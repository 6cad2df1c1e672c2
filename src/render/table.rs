//! The terminal table of `ferry status`.

use crate::model::stage::Stage;
use crate::render::findings;
use crate::render::report::{
    Hue, StatusReport, counted, go_cell, python_cell, stage_hue, stage_label,
};
use crate::render::style::Style;
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

pub fn paint_stage(style: &Style, stage: Stage, text: &str) -> String {
    match stage_hue(stage) {
        Hue::Dim => style.dim(text),
        Hue::Yellow => style.yellow(text),
        Hue::Blue => style.blue(text),
        Hue::Magenta => style.magenta(text),
        Hue::Cyan => style.cyan(text),
        Hue::Green => style.green(text),
        Hue::Red => style.red(text),
    }
}

/// `manual 3, done 2`, each in its stage's color.
fn stage_counts(style: &Style, counts: &std::collections::BTreeMap<Stage, usize>) -> String {
    counts
        .iter()
        .map(|(stage, n)| paint_stage(style, *stage, &format!("{stage} {n}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` padded with spaces to `width` terminal columns: a wide character
/// (CJK, most emoji) takes two, a combining mark none.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

pub fn render(report: &StatusReport, style: &Style) -> String {
    let headers = ["FIELD", "KIND", "STAGE", "SERVICE", "PYTHON", "GO"];
    let rows: Vec<[String; 6]> = report
        .fields
        .iter()
        .map(|f| {
            [
                f.coordinate.to_string(),
                f.kind.as_str().to_string(),
                stage_label(f),
                f.service.clone().unwrap_or_default(),
                python_cell(f),
                go_cell(f),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.len());
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| pad(h, widths[i]))
        .collect();
    let _ = writeln!(out, "{}", style.bold(header.join("  ").trim_end()));
    for (row, field) in rows.iter().zip(&report.fields) {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let padded = pad(cell, widths[i]);
                if i == 2 {
                    paint_stage(style, field.stage, &padded)
                } else {
                    padded
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", style.bold("Progress"));
    for service in report.services {
        let percent = (service.served_by_go * 100)
            .checked_div(service.planned)
            .unwrap_or(0);
        let bar_width = 20;
        let filled = percent * bar_width / 100;
        let bar = format!("{}{}", "#".repeat(filled), ".".repeat(bar_width - filled));
        let _ = writeln!(
            out,
            "  {}  [{bar}] {}/{} served by Go ({percent}%)  {}",
            pad(&service.name, 12),
            service.served_by_go,
            service.planned,
            stage_counts(style, &service.by_stage)
        );
    }
    let _ = writeln!(
        out,
        "  {}  {}: {}",
        pad("all", 12),
        counted(report.fields.len(), "field"),
        stage_counts(style, &report.by_stage)
    );
    if !report.labels.is_empty() {
        let labels: Vec<String> = report
            .labels
            .iter()
            .map(|(label, n)| format!("{label} ({n})"))
            .collect();
        let _ = writeln!(out, "  {}  {}", pad("labels", 12), labels.join(", "));
    }
    if !report.problems.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            style.bold(&style.red(&format!(
                "Problems: {}",
                findings::summary(&report.problems)
            )))
        );
        for problem in &report.problems {
            findings::write_finding(&mut out, problem, style, "  ");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pad;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn padding_counts_terminal_columns_not_characters() {
        // Two columns per CJK character, none for a combining accent.
        assert_eq!(pad("課題", 6), "課題  ");
        assert_eq!(pad("e\u{301}", 3), "e\u{301}  ");
        assert_eq!(pad("abc", 2), "abc");
        for text in ["課題", "e\u{301}", "plain", "🚀x"] {
            assert_eq!(pad(text, 8).width(), 8, "{text:?}");
        }
    }
}
