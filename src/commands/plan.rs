use crate::cli::{Format, PlanArgs};
use crate::commands::{Outcome, print, print_with, selection};
use crate::model::project::Project;
use crate::plan::PlanReport;
use crate::plan::usage::Usage;
use crate::render::plan;
use crate::workspace::Overrides;
use anyhow::Result;

pub fn run(overrides: &Overrides, args: PlanArgs) -> Result<Outcome> {
    let usage = args.usage.as_deref().map(Usage::read).transpose()?;
    let (project, calls) = Project::load_with_calls(overrides)?;
    let usage = match usage {
        Some(usage) => Some(usage),
        None => Usage::from_configured_corpus(&project)?,
    };
    let fields = selection(&project, &args.select)?.select(&project.inventory)?;
    let report = PlanReport::new(&project, &calls, &fields, usage.as_ref());
    let format = if args.json { Format::Json } else { args.format };
    match format {
        Format::Table => print(&plan::table(&report))?,
        Format::Markdown => print(&plan::markdown(&report))?,
        Format::Json => print_with(|out| plan::write_json(&report, out))?,
    }
    // As `status` does: the process exits right after, and freeing the
    // project, its Python index and the call graph (hundreds of
    // megabytes on a large codebase) would only cost time.
    drop(report);
    drop(fields);
    std::mem::forget((project, calls, usage));
    Ok(Outcome::Success)
}
