use crate::cli::{ReportArgs, ReportFormat};
use crate::commands::{Outcome, print};
use crate::edit::write::write_atomic;
use crate::model::project::Project;
use crate::render::{report_html, report_json, report_markdown};
use crate::report::clock::Instant;
use crate::report::{MigrationReport, ledger};
use crate::workspace::Overrides;
use anyhow::Result;

pub fn run(overrides: &Overrides, args: ReportArgs) -> Result<Outcome> {
    let project = Project::load(overrides)?;
    let history = ledger::read(&project.workspace.root)?;
    let report = MigrationReport::new(&project, &history, Instant::now(), args.stuck_after);
    if let Some(path) = &args.html {
        let shown = path.display().to_string();
        write_atomic(path, &shown, &report_html::render(&report))?;
        if overrides.progress {
            eprintln!("wrote {shown}");
        }
        return Ok(Outcome::Success);
    }
    let format = if args.json {
        ReportFormat::Json
    } else {
        args.format
    };
    print(&match format {
        ReportFormat::Markdown => report_markdown::render(&report),
        ReportFormat::Json => report_json::render(&report),
    })?;
    Ok(Outcome::Success)
}
