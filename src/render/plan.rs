//! `ferry plan`'s printers: the terminal table, markdown and `--json`, all
//! from one [`PlanReport`].

use std::fmt::Write;

#[cfg(test)]
use serde::Serialize;

use crate::plan::{FieldPlan, Library, PlanReport, lines_text};
#[cfg(test)]
use crate::render::json::VERSION;
use crate::render::json::{self, Document};

/// Names listed inline before "and N more".
const LISTED: usize = 4;

fn listed(items: &[String]) -> String {
    let mut text = items
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > LISTED {
        let _ = write!(text, " and {} more", items.len() - LISTED);
    }
    text
}

/// Why a library is one and when it is ported, after its name.
fn library_line(library: &Library) -> String {
    let mut line = format!(
        "{}:{}: {}, {} fields",
        library.function.file,
        library.function.function,
        lines_text(library.lines),
        library.fields
    );
    if library.services.len() > 1 {
        let _ = write!(line, " of services {}", library.services.join(", "));
    }
    if library.ported {
        line.push_str("; already on Go");
    } else {
        let _ = write!(line, "; ported with cluster {}", library.first_needed_by);
    }
    let _ = write!(
        line,
        ", used by {} cluster{}",
        library.clusters,
        if library.clusters == 1 { "" } else { "s" }
    );
    line
}

fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".to_string()
    } else {
        format!("{:.0} %", part as f64 * 100.0 / whole as f64)
    }
}

/// What one field drags along, on one line.
fn field_line(field: &FieldPlan) -> String {
    let effort = field.effort;
    let mut line = format!(
        "{}: {} (resolver {}, own helpers {}, shared {}), {} functions called",
        field.field,
        lines_text(effort.total),
        effort.resolver,
        effort.own,
        effort.shared,
        field.calls.len()
    );
    if field.unresolved_calls > 0 {
        let _ = write!(line, ", {} calls not followed", field.unresolved_calls);
    }
    if field.truncated {
        line.push_str(", cut at the depth bound");
    }
    for (label, models) in [
        ("reads", &field.reads),
        ("writes", &field.writes),
        ("loaders", &field.loaders),
    ] {
        if !models.is_empty() {
            let _ = write!(line, "; {label} {}", listed(models));
        }
    }
    if let Some(requests) = field.requests {
        let _ = write!(line, "; {requests} requests");
    }
    line
}

/// One planned field's plan as `label: value` facts (the TUI's detail pane).
pub fn field_facts(report: &PlanReport, field: &FieldPlan) -> Vec<(&'static str, String)> {
    let effort = field.effort;
    let mut facts = Vec::new();
    if let Some(cluster) = report.clusters.get(field.cluster.wrapping_sub(1)) {
        let others = cluster.fields.len() - 1;
        facts.push((
            "cluster",
            format!(
                "{} of {}{}: {}",
                cluster.position,
                report.clusters.len(),
                match others {
                    0 => String::new(),
                    1 => " with 1 other field".to_string(),
                    n => format!(" with {n} other fields"),
                },
                cluster.reason
            ),
        ));
    }
    facts.push((
        "effort",
        format!(
            "{} (resolver {}, own helpers {}, shared {})",
            lines_text(effort.total),
            effort.resolver,
            effort.own,
            effort.shared
        ),
    ));
    let mut calls: Vec<String> = field
        .calls
        .iter()
        .map(|f| format!("{} ({}:{})", f.function, f.file, f.line))
        .collect();
    if calls.is_empty() {
        calls.push("no project function".to_string());
    }
    let mut calls = listed(&calls);
    if field.unresolved_calls > 0 {
        let _ = write!(calls, "; {} calls not followed", field.unresolved_calls);
    }
    if field.truncated {
        calls.push_str("; cut at the depth bound");
    }
    facts.push(("calls", calls));
    let mut data = Vec::new();
    for (label, models) in [
        ("reads", &field.reads),
        ("writes", &field.writes),
        ("loaders", &field.loaders),
    ] {
        if !models.is_empty() {
            data.push(format!("{label} {}", listed(models)));
        }
    }
    facts.push((
        "models",
        if data.is_empty() {
            "none recognised".to_string()
        } else {
            data.join("; ")
        },
    ));
    if let Some(requests) = field.requests {
        facts.push(("requests", requests.to_string()));
    }
    facts
}

pub fn table(report: &PlanReport) -> String {
    let mut out = String::new();
    if report.fields.is_empty() {
        out.push_str("No selected field is still served by Python.\n");
    }
    for cluster in &report.clusters {
        let _ = writeln!(
            out,
            "{}. {} field{}, {}: {}",
            cluster.position,
            cluster.fields.len(),
            if cluster.fields.len() == 1 { "" } else { "s" },
            lines_text(cluster.lines),
            cluster.reason
        );
        for field in report
            .fields
            .iter()
            .filter(|f| f.cluster == cluster.position)
        {
            let _ = writeln!(out, "   {}", field_line(field));
        }
    }
    if !report.libraries.is_empty() {
        out.push_str("\nLibraries (shared too widely to move fields together; ported once):\n");
        for library in &report.libraries {
            let _ = writeln!(out, "  {}", library_line(library));
        }
    }
    if !report.ownership.is_empty() {
        out.push_str("\nOne writer per model:\n");
        for conflict in &report.ownership {
            let _ = writeln!(
                out,
                "  {} writes {}, which {} already writes from service {}",
                conflict.field, conflict.model, conflict.owner_field, conflict.owner
            );
        }
    }
    if !report.services.is_empty() {
        out.push_str("\nOn Go:\n");
        for service in &report.services {
            let _ = write!(
                out,
                "  {}: {} of {} fields ({})",
                service.service,
                service.fields_on_go,
                service.fields,
                share(service.fields_on_go as u64, service.fields as u64)
            );
            if let (Some(on_go), Some(all)) = (service.requests_on_go, service.requests) {
                let _ = write!(out, ", {on_go} of {all} requests ({})", share(on_go, all));
            }
            out.push('\n');
        }
    }
    out
}

pub fn markdown(report: &PlanReport) -> String {
    let mut out = String::from("## Porting plan\n\n");
    if report.fields.is_empty() {
        out.push_str("No selected field is still served by Python.\n");
        return out;
    }
    out.push_str("| # | fields | lines | already ported | why |\n|---|---|---|---|---|\n");
    for cluster in &report.clusters {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cluster.position,
            cluster
                .fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", "),
            cluster.lines,
            cluster.ported_lines,
            cluster.reason.replace('|', "\\|")
        );
    }
    out.push_str(
        "\n| field | cluster | lines | resolver | own | shared | calls | not followed | writes |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for field in &report.fields {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} |",
            field.field,
            field.cluster,
            field.effort.total,
            field.effort.resolver,
            field.effort.own,
            field.effort.shared,
            field.calls.len(),
            field.unresolved_calls,
            listed(&field.writes)
        );
    }
    if !report.libraries.is_empty() {
        out.push_str(
            "\n**Libraries** (shared too widely to move fields together; ported once):\n\n",
        );
        for library in &report.libraries {
            let _ = writeln!(out, "- {}", library_line(library));
        }
    }
    if !report.ownership.is_empty() {
        out.push_str("\n**One writer per model:**\n\n");
        for conflict in &report.ownership {
            let _ = writeln!(
                out,
                "- `{}` writes `{}`, which `{}` already writes from service `{}`",
                conflict.field, conflict.model, conflict.owner_field, conflict.owner
            );
        }
    }
    if !report.services.is_empty() {
        out.push_str("\n| service | fields on Go | requests on Go |\n|---|---|---|\n");
        for service in &report.services {
            let requests = match (service.requests_on_go, service.requests) {
                (Some(on_go), Some(all)) => format!("{on_go} of {all} ({})", share(on_go, all)),
                _ => "-".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} of {} ({}) | {requests} |",
                service.service,
                service.fields_on_go,
                service.fields,
                share(service.fields_on_go as u64, service.fields as u64)
            );
        }
    }
    out
}

/// The plan document as one value: what [`write_json`] prints, which
/// the tests hold it to.
#[cfg(test)]
#[derive(Serialize)]
struct PlanJson<'a> {
    version: u32,
    #[serde(flatten)]
    report: &'a PlanReport,
}

pub fn json(report: &PlanReport) -> String {
    let mut text = Vec::new();
    write_json(report, &mut text).expect("a Vec takes any bytes");
    String::from_utf8(text).expect("serde_json writes UTF-8")
}

/// Items rendered together on one core.
const ITEMS_PER_PIECE: usize = 1024;

/// [`json`]'s text written to `out`, as serde_json prints [`PlanJson`]:
/// at 500,000 lines of Python the plan is tens of megabytes, nearly all
/// of it the fields and the clusters, which are rendered in pieces on
/// every core and written one after another rather than held whole.
pub fn write_json(
    report: &PlanReport,
    out: &mut (impl std::io::Write + ?Sized),
) -> std::io::Result<()> {
    document(report).write_to(out)
}

fn document(report: &PlanReport) -> Document {
    let PlanReport {
        fields,
        clusters,
        libraries,
        ownership,
        services,
        traffic,
        max_depth,
    } = report;
    let mut parts = vec![json::head("fields")];
    let pieces = json::array_pieces(fields, ITEMS_PER_PIECE, 2, |at| &fields[at]);
    let mut between = json::array_end(pieces.is_empty());
    parts.extend(pieces);
    json::open_array(&mut between, "clusters");
    parts.push(between);
    let pieces = json::array_pieces(clusters, ITEMS_PER_PIECE, 2, |at| &clusters[at]);
    let mut tail = json::array_end(pieces.is_empty());
    parts.extend(pieces);
    json::write_entry(&mut tail, "libraries", libraries);
    json::write_entry(&mut tail, "ownership", ownership);
    json::write_entry(&mut tail, "services", services);
    json::write_entry(&mut tail, "traffic", traffic);
    json::write_entry(&mut tail, "max_depth", max_depth);
    tail.extend_from_slice(b"\n}\n");
    parts.push(tail);
    Document::from_parts(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stage;
    use crate::model::inventory::PythonFunction;
    use crate::plan::{Cluster, Effort};

    fn function(n: usize) -> PythonFunction {
        PythonFunction {
            file: format!("webapp/m{n}.py"),
            line: n as u32 + 1,
            end_line: n as u32 + 9,
            function: format!("resolve_\"f{n}\""),
        }
    }

    fn report(fields: usize, clusters: usize) -> PlanReport {
        PlanReport {
            fields: (0..fields)
                .map(|n| FieldPlan {
                    field: format!("T.f{n}"),
                    stage: Stage::Python,
                    service: (n % 2 == 0).then(|| "users".to_string()),
                    resolver: Some(function(n)),
                    calls: (0..n % 3).map(function).collect(),
                    unresolved_calls: n as u32 % 5,
                    truncated: n % 7 == 0,
                    reads: vec![format!("m.M{n}")],
                    writes: Vec::new(),
                    loaders: Vec::new(),
                    effort: Effort {
                        total: 9,
                        resolver: 9,
                        own: 0,
                        shared: 0,
                    },
                    cluster: n % 11 + 1,
                    requests: (n % 2 == 1).then_some(n as u64),
                })
                .collect(),
            clusters: (0..clusters)
                .map(|n| Cluster {
                    position: n + 1,
                    fields: vec![format!("T.f{n}")],
                    lines: 9,
                    ported_lines: 0,
                    shared_helpers: Vec::new(),
                    libraries: vec!["webapp/lib.py:helper".to_string()],
                    library_lines: 3,
                    writes: Vec::new(),
                    waiting_on: Vec::new(),
                    requests: None,
                    reason: "small\nand alone".to_string(),
                })
                .collect(),
            libraries: Vec::new(),
            ownership: Vec::new(),
            services: Vec::new(),
            traffic: None,
            max_depth: 12,
        }
    }

    #[test]
    fn the_plan_written_in_pieces_is_what_serde_json_prints_of_the_whole() {
        // Across pieces, in one piece, and empty.
        for (fields, clusters) in [
            (2 * ITEMS_PER_PIECE + 7, ITEMS_PER_PIECE + 1),
            (3, 1),
            (0, 0),
        ] {
            let report = report(fields, clusters);
            let whole = serde_json::to_string_pretty(&PlanJson {
                version: VERSION,
                report: &report,
            })
            .unwrap();
            assert_eq!(
                json(&report),
                whole + "\n",
                "{fields} fields, {clusters} clusters"
            );
        }
    }
}
