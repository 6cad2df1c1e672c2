use crate::check::{self, Severity};
use crate::cli::{CheckArgs, CheckFormat};
use crate::commands::{Outcome, print};
use crate::model::project::Project;
use crate::render::findings;
use crate::render::style::Style;
use crate::workspace::Overrides;
use anyhow::Result;

pub fn run(overrides: &Overrides, args: CheckArgs) -> Result<Outcome> {
    let project = Project::load(overrides)?;
    let found = check::run(&project);
    let format = if args.json {
        CheckFormat::Json
    } else {
        args.format
    };
    print(&match format {
        CheckFormat::Human => findings::human(&found, &Style::for_stdout()),
        CheckFormat::Json => findings::json(&found),
        CheckFormat::Github => findings::github(&found),
    })?;
    let failing = found
        .iter()
        .any(|f| f.severity() == Severity::Error || args.deny_warnings);
    Ok(if failing {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}
