//! mark, advance, rollback and finish: select, plan, write unless asked
//! not to, print the report.

use crate::cli::{AdvanceArgs, EditArgs, FinishArgs, MarkArgs, SelectArgs, StepArgs};
use crate::commands::{Outcome, lock, print, selected};
use crate::migration::edit_report::EditReport;
use crate::migration::plan::{EditOptions, EditRequest, PlanError, Verb, plan};
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::render::{diff, edit_report, style::Style};
use crate::workspace::Overrides;
use anyhow::{Result, anyhow};

pub fn mark(overrides: &Overrides, args: MarkArgs) -> Result<Outcome> {
    let verb = Verb::Mark {
        into: args.into,
        canary: args.canary,
        color: args.canary_color,
    };
    run(overrides, verb, &args.select, &args.edit, false)
}

pub fn advance(overrides: &Overrides, args: AdvanceArgs) -> Result<Outcome> {
    let to = args
        .to
        .as_deref()
        .map(|s| {
            Stage::parse(s)
                .ok_or_else(|| anyhow!("unknown stage `{s}`: use side-by-side, canary or migrated"))
        })
        .transpose()?;
    let verb = Verb::Advance {
        to,
        color: args.canary_color,
    };
    run(overrides, verb, &args.select, &args.edit, false)
}

pub fn rollback(overrides: &Overrides, args: StepArgs) -> Result<Outcome> {
    run(overrides, Verb::Rollback, &args.select, &args.edit, false)
}

pub fn finish(overrides: &Overrides, args: FinishArgs) -> Result<Outcome> {
    let delete_python = args.delete_python;
    run(
        overrides,
        Verb::Finish,
        &args.select,
        &args.edit,
        delete_python,
    )
}

fn run(
    overrides: &Overrides,
    verb: Verb,
    select: &SelectArgs,
    args: &EditArgs,
    delete_python: bool,
) -> Result<Outcome> {
    let lock = lock(overrides)?;
    let project = Project::load(overrides)?;
    let fields = selected(&project, select)?
        .iter()
        .map(|f| f.coordinate.clone())
        .collect();
    let request = EditRequest { verb, fields };
    let options = EditOptions {
        force: args.force,
        keep_going: args.keep_going,
        delete_python,
    };
    let plan = match plan(&project, &request, options) {
        // Scripts get the refusals in the usual document; the exit code stays 2.
        Err(PlanError::Refused(refusals)) if args.json => {
            let report = EditReport::refused(request.verb.name(), refusals.clone());
            let error = PlanError::Refused(refusals);
            print(&edit_report::refused_json(&report, &error.to_string()))?;
            return Err(error.into());
        }
        plan => plan?,
    };
    let mut report = EditReport::new(&project, request.verb.name(), &plan);
    if !args.dry_run && !args.check {
        plan.changes.write(&lock)?;
        report.mark_written();
    }
    let style = Style::for_stdout();
    let mut out = String::new();
    if args.json {
        out = edit_report::json(&report);
    } else {
        if args.dry_run {
            out.push_str(&diff::change_set(&plan.changes, &style));
        }
        // --quiet keeps only the diff a --dry-run asked for.
        if project.workspace.progress {
            out.push_str(&edit_report::human(&report, &style));
        }
    }
    print(&out)?;
    if args.check && !plan.changes.is_empty() {
        return Ok(Outcome::WouldChange);
    }
    Ok(Outcome::Success)
}
