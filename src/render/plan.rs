//! `ferry plan`'s printers: the terminal table, markdown and `--json`, all
//! from one [`PlanReport`].

use std::fmt::Write;

use serde::Serialize;

use crate::plan::{FieldPlan, Library, PlanReport, lines_text};
use crate::render::json::VERSION;

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

/// [`json`]'s text written to `out` as it is made: at 500,000 lines of
/// Python the plan is tens of megabytes, which need not be held whole.
pub fn write_json(
    report: &PlanReport,
    out: &mut (impl std::io::Write + ?Sized),
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let document = PlanJson {
        version: VERSION,
        report,
    };
    serde_json::to_writer_pretty(&mut out, &document).map_err(std::io::Error::from)?;
    std::io::Write::write_all(&mut out, b"\n")?;
    std::io::Write::flush(&mut out)
}
