use crate::cli::{Format, PlanArgs};
use crate::commands::{Outcome, print, selection};
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
    print(&match format {
        Format::Table => plan::table(&report),
        Format::Markdown => plan::markdown(&report),
        Format::Json => plan::json(&report),
    })?;
    Ok(Outcome::Success)
}
