//! `ferry report --format markdown`: the report's numbers as tables, for a
//! PR comment or a wiki page.

use crate::render::findings::location;
use crate::render::report_cells::{
    age_cell, effort_sentence, evidence_cell, headline, history_sentence, in_flight_summary,
    point_label, since_cell, stage_cell,
};
use crate::report::MigrationReport;
use std::fmt::Write;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &MigrationReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Migration report\n");
    let _ = writeln!(out, "Generated {}.\n", report.generated);
    let _ = writeln!(
        out,
        "{}; {}.\n",
        headline(report),
        in_flight_summary(report)
    );

    let _ = writeln!(out, "## Progress over time\n");
    let _ = writeln!(out, "{}\n", history_sentence(report));
    for note in &report.history_notes {
        let _ = writeln!(out, "- {}", cell(note));
    }
    if !report.history_notes.is_empty() {
        out.push('\n');
    }
    let names: Vec<String> = report.services.iter().map(|s| cell(&s.name)).collect();
    let _ = writeln!(out, "| When | {} | All |", names.join(" | "));
    let _ = writeln!(out, "|---|{}---|", "---|".repeat(names.len()));
    for point in &report.progress {
        let counts: Vec<String> = point.served_by_go.iter().map(usize::to_string).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            point_label(point),
            counts.join(" | "),
            point.total()
        );
    }

    let _ = writeln!(out, "\n## Stages per service\n");
    let stages: Vec<&str> = report.stages.iter().map(|s| s.as_str()).collect();
    let _ = writeln!(out, "| Service | {} | Served by Go |", stages.join(" | "));
    let _ = writeln!(out, "|---|{}---|", "---|".repeat(stages.len()));
    for service in &report.services {
        let counts: Vec<String> = service.counts.iter().map(usize::to_string).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {}/{} |",
            cell(&service.name),
            counts.join(" | "),
            service.served_by_go,
            service.planned
        );
    }

    let _ = writeln!(out, "\n## Fields in flight\n");
    if report.in_flight.is_empty() {
        let _ = writeln!(out, "No field carries `@migrate`.");
    } else {
        let _ = writeln!(
            out,
            "| Field | Service | Stage | Since | Days in stage | Side-by-side evidence |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for field in &report.in_flight {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                field.field,
                cell(&field.service),
                cell(&stage_cell(field)),
                since_cell(field),
                age_cell(field),
                cell(&evidence_cell(field))
            );
        }
    }

    let _ = writeln!(out, "\n## Remaining effort by cluster\n");
    let _ = writeln!(out, "{}", effort_sentence(report));
    let effort = &report.effort;
    if !effort.clusters.is_empty() {
        let _ = writeln!(
            out,
            "\n| Cluster | Fields | Lines reached | Left to port | Why |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|");
        for cluster in &effort.clusters {
            let fields: Vec<String> = cluster.fields.iter().map(|f| format!("`{f}`")).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cluster.position,
                fields.join(", "),
                cluster.lines,
                cluster.lines_left,
                cell(&cluster.reason)
            );
        }
    }

    let _ = writeln!(out, "\n## Check findings\n");
    if report.findings.is_empty() {
        let _ = writeln!(out, "None: `ferry check` passes.");
    } else {
        let _ = writeln!(out, "| Severity | Rule | Where | Finding |");
        let _ = writeln!(out, "|---|---|---|---|");
        for finding in &report.findings {
            let place = location(finding);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                finding.severity().as_str(),
                finding.rule.id(),
                cell(place.trim_end_matches([':', ' '])),
                cell(&finding.message)
            );
        }
    }
    out
}
