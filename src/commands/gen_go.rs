//! `ferry gen go`: gqlgen resolver skeletons, the Python quoted beside them.

use crate::cli::GenGoArgs;
use crate::commands::{Outcome, lock, print, selected};
use crate::generate::skeletons::{SkeletonOptions, SkeletonPlan, plan_skeletons};
use crate::model::inventory::FieldCoordinate;
use crate::model::project::Project;
use crate::render::gen_report;
use crate::render::style::Style;
use crate::workspace::Overrides;
use anyhow::{Result, bail};

pub fn run(overrides: &Overrides, args: GenGoArgs) -> Result<Outcome> {
    let lock = lock(overrides)?;
    let project = Project::load(overrides)?;
    let fields = selected(&project, &args.select)?;
    let named: Vec<FieldCoordinate> = fields
        .iter()
        .map(|f| f.coordinate.clone())
        .filter(|c| args.select.selectors.contains(&c.to_string()))
        .collect();
    let options = SkeletonOptions {
        service: args.select.service.clone(),
        named,
        // As typed, relative to where the person stands.
        out: args
            .out
            .as_deref()
            .map(|dir| dir.canonicalize().or_else(|_| std::path::absolute(dir)))
            .transpose()?,
        print_only: args.stdout,
    };
    let SkeletonPlan {
        changes,
        mut report,
    } = plan_skeletons(&project, &fields, &options)?;
    let refused = !report.refused.is_empty() && !args.edit.keep_going;
    let write = !refused && !args.edit.dry_run && !args.edit.check && !args.stdout;
    report.written = write && !changes.write(&lock)?.is_empty();

    let quiet = !project.workspace.progress;
    if args.edit.json && refused {
        print(&gen_report::refused_json(&report))?;
    } else if args.edit.json {
        print(&gen_report::json(&report))?;
    } else if args.stdout {
        print(&gen_report::files(&changes))?;
        eprint!("{}", gen_report::human(&report, &Style::for_stderr(), true));
    } else {
        let style = Style::for_stdout();
        let mut out = String::new();
        if args.edit.dry_run {
            out.push_str(&crate::render::diff::change_set(&changes, &style));
        }
        out.push_str(&gen_report::human(&report, &style, quiet));
        print(&out)?;
    }
    if refused {
        bail!(gen_report::refusal(&report));
    }
    if args.edit.check && !changes.is_empty() {
        return Ok(Outcome::WouldChange);
    }
    Ok(Outcome::Success)
}
