use crate::cli::{Format, StatusArgs};
use crate::commands::{Outcome, print, print_with, selection};
use crate::model::project::Project;
use crate::render::report::StatusReport;
use crate::render::style::Style;
use crate::render::{json, markdown, table};
use crate::workspace::Overrides;
use anyhow::Result;

pub fn run(overrides: &Overrides, args: StatusArgs) -> Result<Outcome> {
    let project = Project::load_stored(overrides)?;
    let fields = selection(&project, &args.select)?.select(&project.inventory)?;
    let report = StatusReport::new(&project, fields);
    let format = if args.json { Format::Json } else { args.format };
    match format {
        Format::Table => print(&table::render(&report, &Style::for_stdout()))?,
        Format::Markdown => print(&markdown::render(&report))?,
        Format::Json => {
            let document = json::Document::new(&report);
            print_with(|out| document.write_to(out))?;
        }
    }
    // Freeing the loaded workspace (every AST node, every record: 200 MB
    // at 55,000 fields) costs as much as rendering it; the process exits
    // right after, and the system takes it back at once.
    drop(report);
    std::mem::forget(project);
    Ok(Outcome::Success)
}
