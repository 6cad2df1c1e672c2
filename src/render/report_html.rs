//! `ferry report --html FILE`: one self-contained page (inline CSS and SVG,
//! no script, nothing fetched) that opens from disk or from a CI artifact.
//! Each chart has a table under it with the same numbers.

use crate::model::stage::Stage;
use crate::render::findings::location;
use crate::render::report_cells::{
    age_cell, effort_sentence, evidence_cell, headline, history_sentence, in_flight_summary,
    point_label, since_cell, stage_cell,
};
use crate::render::svg_chart::{Chart, ChartKind, Series, escape};
use crate::report::MigrationReport;
use std::fmt::Write;

const STYLE: &str = r#"
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --rule: #d1d9e0; --stuck: #fff1e5;
  --c0: #6e7781; --c1: #bf8700; --c2: #0969da; --c3: #8250df; --c4: #1b7c83; --c5: #1a7f37; --c6: #a0a7ae; --c7: #cf222e; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --rule: #3d444d; --stuck: #3d2a12;
  --c0: #8b949e; --c1: #d29922; --c2: #4493f8; --c3: #ab7df8; --c4: #39c5cf; --c5: #3fb950; --c6: #5c636b; --c7: #f85149; } }
body { background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2 { line-height: 1.2; }
.muted { color: var(--muted); }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
td:not(:last-child) { white-space: nowrap; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.25rem 0.75rem; text-align: left; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
tr.stuck td { background: var(--stuck); font-weight: 600; }
svg.chart { width: 100%; height: auto; }
svg .grid { stroke: var(--rule); }
svg text { fill: var(--muted); font-size: 12px; }
svg .area { fill-opacity: 0.55; }
svg .series circle { stroke: var(--bg); stroke-width: 1.5; }
.legend { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; margin: 0.25rem 0; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: -0.05em; border-radius: 2px; }
"#;

pub fn render(report: &MigrationReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Migration report</title>\n<style>{STYLE}"
    );
    for index in 0..8 {
        let _ = writeln!(
            out,
            ".series-{index} {{ fill: var(--c{index}); color: var(--c{index}); }} .swatch.series-{index} {{ background: var(--c{index}); }}"
        );
    }
    let _ = writeln!(out, "</style>\n</head>\n<body>\n<h1>Migration report</h1>");
    let _ = writeln!(
        out,
        "<p class=\"muted\">Generated {}.</p>\n<p>{}; {}.</p>",
        report.generated,
        escape(&headline(report)),
        escape(&in_flight_summary(report))
    );
    progress(&mut out, report);
    stages(&mut out, report);
    in_flight(&mut out, report);
    effort(&mut out, report);
    findings(&mut out, report);
    let _ = writeln!(out, "</body>\n</html>");
    out
}

fn legend(out: &mut String, series: &[Series]) {
    let _ = writeln!(out, "<ul class=\"legend\" aria-hidden=\"true\">");
    for s in series {
        let _ = writeln!(
            out,
            "<li><span class=\"swatch series-{}\"></span>{}</li>",
            s.palette_index,
            escape(&s.name)
        );
    }
    let _ = writeln!(out, "</ul>");
}

fn progress(out: &mut String, report: &MigrationReport) {
    let series: Vec<Series> = report
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| Series {
            name: s.name.clone(),
            palette_index: (i + 2) % 8,
            values: report.progress.iter().map(|p| p.served_by_go[i]).collect(),
        })
        .collect();
    let history = history_sentence(report);
    let chart = Chart {
        id: "progress-chart".into(),
        title: "Fields served by Go over time".into(),
        description: format!(
            "Stacked area chart: fields served by Go (migrated or done) per service, at {} points in time. {history} The table below has the same numbers.",
            report.progress.len()
        ),
        kind: ChartKind::StackedArea,
        categories: report.progress.iter().map(point_label).collect(),
        series,
    };
    let _ = writeln!(out, "<section>\n<h2>Progress over time</h2>");
    let _ = writeln!(out, "<p class=\"muted\">{}</p>", escape(&history));
    if !report.history_notes.is_empty() {
        let _ = writeln!(out, "<ul id=\"history-notes\">");
        for note in &report.history_notes {
            let _ = writeln!(out, "<li>{}</li>", escape(note));
        }
        let _ = writeln!(out, "</ul>");
    }
    legend(out, &chart.series);
    out.push_str(&chart.svg());
    let _ = write!(
        out,
        "<table id=\"progress-table\">\n<thead><tr><th>When</th>"
    );
    for service in &report.services {
        let _ = write!(out, "<th class=\"number\">{}</th>", escape(&service.name));
    }
    let _ = writeln!(out, "<th class=\"number\">All</th></tr></thead>\n<tbody>");
    for point in &report.progress {
        let _ = write!(out, "<tr><td>{}</td>", escape(&point_label(point)));
        for count in &point.served_by_go {
            let _ = write!(out, "<td class=\"number\">{count}</td>");
        }
        let _ = writeln!(out, "<td class=\"number\">{}</td></tr>", point.total());
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

fn stages(out: &mut String, report: &MigrationReport) {
    let series: Vec<Series> = report
        .stages
        .iter()
        .enumerate()
        .map(|(column, stage)| Series {
            name: stage.as_str().into(),
            palette_index: Stage::ALL.iter().position(|s| s == stage).unwrap_or(0),
            values: report.services.iter().map(|s| s.counts[column]).collect(),
        })
        .collect();
    let chart = Chart {
        id: "stages-chart".into(),
        title: "Where every field stands, per service".into(),
        description: format!(
            "Stacked bar chart: one bar per service ({}), split by stage ({}). The table below has the same numbers.",
            report.services.len(),
            report.stages.len()
        ),
        kind: ChartKind::StackedBars,
        categories: report.services.iter().map(|s| s.name.clone()).collect(),
        series,
    };
    let _ = writeln!(out, "<section>\n<h2>Stages per service</h2>");
    legend(out, &chart.series);
    out.push_str(&chart.svg());
    let _ = write!(
        out,
        "<table id=\"stages-table\">\n<thead><tr><th>Service</th>"
    );
    for stage in &report.stages {
        let _ = write!(out, "<th class=\"number\">{stage}</th>");
    }
    let _ = writeln!(
        out,
        "<th class=\"number\">Served by Go</th></tr></thead>\n<tbody>"
    );
    for service in &report.services {
        let _ = write!(out, "<tr><td>{}</td>", escape(&service.name));
        for count in &service.counts {
            let _ = write!(out, "<td class=\"number\">{count}</td>");
        }
        let _ = writeln!(
            out,
            "<td class=\"number\">{}/{}</td></tr>",
            service.served_by_go, service.planned
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

/// Clusters drawn one bar each, in `ferry plan`'s order; past this many the
/// rest share one bar (the table lists them all).
const CHARTED_CLUSTERS: usize = 12;

fn effort(out: &mut String, report: &MigrationReport) {
    let _ = writeln!(out, "<section>\n<h2>Remaining effort by cluster</h2>");
    let _ = writeln!(out, "<p>{}</p>", escape(&effort_sentence(report)));
    let effort = &report.effort;
    if effort.clusters.is_empty() {
        let _ = writeln!(out, "</section>");
        return;
    }
    // A cluster with no Python of its own would be an empty bar.
    let with_lines: Vec<_> = effort.clusters.iter().filter(|c| c.lines > 0).collect();
    let charted = &with_lines[..with_lines.len().min(CHARTED_CLUSTERS)];
    let rest = &with_lines[charted.len()..];
    if charted.is_empty() {
        let _ = writeln!(out, "</section>");
        return;
    }
    let mut categories: Vec<String> = charted.iter().map(|c| c.label()).collect();
    let mut left: Vec<usize> = charted.iter().map(|c| c.lines_left as usize).collect();
    let mut ported: Vec<usize> = charted.iter().map(|c| c.lines_ported() as usize).collect();
    if !rest.is_empty() {
        categories.push(format!("{} more", rest.len()));
        left.push(rest.iter().map(|c| c.lines_left as usize).sum());
        ported.push(rest.iter().map(|c| c.lines_ported() as usize).sum());
    }
    let palette = |stage: Stage| Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
    let chart = Chart {
        id: "effort-chart".into(),
        title: "Lines of Python left to port, per cluster".into(),
        description: format!(
            "Stacked bar chart: one bar per cluster with Python of its own ({}) in the order to port them, split into lines left to port and lines fields already on Go reach. The table below has the same numbers and every cluster.",
            categories.len()
        ),
        kind: ChartKind::StackedBars,
        categories,
        series: vec![
            Series {
                name: "left to port".into(),
                palette_index: palette(Stage::Python),
                values: left,
            },
            Series {
                name: "reached by fields on Go".into(),
                palette_index: palette(Stage::Done),
                values: ported,
            },
        ],
    };
    legend(out, &chart.series);
    out.push_str(&chart.svg());
    let _ = writeln!(
        out,
        "<table id=\"effort-table\">\n<thead><tr><th class=\"number\">Cluster</th><th>Fields</th><th class=\"number\">Lines reached</th><th class=\"number\">Left to port</th><th>Why</th></tr></thead>\n<tbody>"
    );
    for cluster in &effort.clusters {
        let _ = writeln!(
            out,
            "<tr><td class=\"number\">{}</td><td>{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td><td>{}</td></tr>",
            cluster.position,
            escape(&cluster.fields.join(", ")),
            cluster.lines,
            cluster.lines_left,
            escape(&cluster.reason)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

fn in_flight(out: &mut String, report: &MigrationReport) {
    let _ = writeln!(out, "<section>\n<h2>Fields in flight</h2>");
    if report.in_flight.is_empty() {
        let _ = writeln!(
            out,
            "<p>No field carries <code>@migrate</code>.</p>\n</section>"
        );
        return;
    }
    let _ = writeln!(
        out,
        "<table id=\"in-flight-table\">\n<thead><tr><th>Field</th><th>Service</th><th>Stage</th><th>Since</th><th class=\"number\">Days in stage</th><th>Side-by-side evidence</th></tr></thead>\n<tbody>"
    );
    for field in &report.in_flight {
        let _ = writeln!(
            out,
            "<tr{}><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"number\">{}</td><td>{}</td></tr>",
            if field.stuck { " class=\"stuck\"" } else { "" },
            escape(&field.field),
            escape(&field.service),
            escape(&stage_cell(field)),
            escape(&since_cell(field)),
            escape(&age_cell(field)),
            escape(&evidence_cell(field))
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

fn findings(out: &mut String, report: &MigrationReport) {
    let _ = writeln!(out, "<section>\n<h2>Check findings</h2>");
    if report.findings.is_empty() {
        let _ = writeln!(
            out,
            "<p>None: <code>ferry check</code> passes.</p>\n</section>"
        );
        return;
    }
    let _ = writeln!(
        out,
        "<table id=\"findings-table\">\n<thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Finding</th></tr></thead>\n<tbody>"
    );
    for finding in &report.findings {
        let place = location(finding);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            finding.severity().as_str(),
            finding.rule.id(),
            escape(place.trim_end_matches([':', ' '])),
            escape(&finding.message)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}
