//! mark, advance, rollback and finish: select, plan, write unless asked
//! not to, print the report.

use crate::cli::{AdvanceArgs, DialectArgs, EditArgs, FinishArgs, MarkArgs, SelectArgs, StepArgs};
use crate::commands::{Outcome, lock, print, selected};
use crate::edit::lock::WorkspaceLock;
use crate::migration::edit_report::EditReport;
use crate::migration::plan::{EditOptions, EditRequest, Plan, PlanError, Verb, plan, plan_dialect};
use crate::model::dialect::CanaryGroup;
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::render::{diff, edit_report, style::Style};
use crate::workspace::percent::Percent;
use crate::workspace::{DialectName, Overrides};
use anyhow::{Result, anyhow};

pub fn mark(overrides: &Overrides, args: MarkArgs) -> Result<Outcome> {
    let verb = Verb::Mark {
        into: args.into,
        canary: args.canary,
        group: canary_group(args.canary_color, args.percent),
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
        group: canary_group(args.canary_color, args.percent),
    };
    run(overrides, verb, &args.select, &args.edit, false)
}

/// `--canary-color` or `--percent` (clap lets only one through).
fn canary_group(color: Option<String>, percent: Option<Percent>) -> Option<CanaryGroup> {
    percent
        .map(CanaryGroup::Percent)
        .or(color.map(CanaryGroup::Color))
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

/// `ferry dialect migrate|override`.
pub fn dialect(overrides: &Overrides, args: DialectArgs) -> Result<Outcome> {
    let to = match args.dialect.as_str() {
        "override" => DialectName::Override,
        _ => DialectName::Migrate,
    };
    let lock = lock(overrides)?;
    let project = Project::load(overrides)?;
    let options = options(&args.edit, false);
    let plan = refusals_as_json(plan_dialect(&project, to, options), "dialect", &args.edit)?;
    write_and_report(&lock, &project, "dialect", plan, &args.edit)
}

fn options(args: &EditArgs, delete_python: bool) -> EditOptions {
    EditOptions {
        force: args.force,
        keep_going: args.keep_going,
        delete_python,
    }
}

/// Scripts get the refusals in the usual document; the exit code stays 2.
fn refusals_as_json(
    planned: Result<Plan, PlanError>,
    verb: &'static str,
    args: &EditArgs,
) -> Result<Plan> {
    match planned {
        Err(PlanError::Refused(refusals)) if args.json => {
            let report = EditReport::refused(verb, refusals.clone());
            let error = PlanError::Refused(refusals);
            print(&edit_report::refused_json(&report, &error.to_string()))?;
            Err(error.into())
        }
        plan => Ok(plan?),
    }
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
    let planned = plan(&project, &request, options(args, delete_python));
    let plan = refusals_as_json(planned, request.verb.name(), args)?;
    let outcome = write_and_report(&lock, &project, request.verb.name(), plan, args);
    // The process ends next: freeing every schema node and inventory
    // record one by one (a third of `mark`'s time at 55k fields) is the
    // system's job.
    std::mem::forget(project);
    outcome
}

fn write_and_report(
    lock: &WorkspaceLock,
    project: &Project,
    verb: &'static str,
    plan: Plan,
    args: &EditArgs,
) -> Result<Outcome> {
    let mut report = EditReport::new(project, verb, &plan);
    if !args.dry_run && !args.check {
        plan.changes.write(lock)?;
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
