//! mark, advance, rollback and finish: select, plan, then diff, check or write.

use crate::cli::{AdvanceArgs, EditArgs, MarkArgs, StepArgs};
use crate::commands::{Outcome, lock, print, selected};
use crate::edit::lock::WorkspaceLock;
use crate::migration::plan::{EditOptions, Plan, plan_mark, plan_step};
use crate::migration::transition;
use crate::model::inventory::PythonLink;
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::render::style::Style;
use crate::workspace::Overrides;
use anyhow::{Result, anyhow};
use serde_json::json;
use std::fmt::Write;

fn options(args: &EditArgs) -> EditOptions {
    EditOptions {
        force: args.force,
        keep_going: args.keep_going,
    }
}

pub fn mark(overrides: &Overrides, args: MarkArgs) -> Result<Outcome> {
    let lock = lock(overrides)?;
    let project = Project::load(overrides)?;
    let fields = selected(&project, &args.select)?;
    let plan = plan_mark(
        &project,
        &fields,
        &args.into,
        args.canary,
        args.color.as_deref(),
        options(&args.edit),
    )?;
    conclude(&lock, &project, plan, &args.edit)
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
    let lock = lock(overrides)?;
    let project = Project::load(overrides)?;
    let fields = selected(&project, &args.select)?;
    let force = args.edit.force;
    let plan = plan_step(
        &project,
        &fields,
        options(&args.edit),
        args.color.as_deref(),
        |f| transition::advance(f, to, force),
    )?;
    conclude(&lock, &project, plan, &args.edit)
}

pub fn rollback(overrides: &Overrides, args: StepArgs) -> Result<Outcome> {
    step(overrides, args, transition::rollback)
}

pub fn finish(overrides: &Overrides, args: StepArgs) -> Result<Outcome> {
    step(overrides, args, transition::finish)
}

fn step(
    overrides: &Overrides,
    args: StepArgs,
    edge: fn(
        &crate::model::inventory::FieldRecord,
    ) -> Result<transition::Allowed, transition::Refusal>,
) -> Result<Outcome> {
    let lock = lock(overrides)?;
    let project = Project::load(overrides)?;
    let fields = selected(&project, &args.select)?;
    let plan = plan_step(&project, &fields, options(&args.edit), None, edge)?;
    conclude(&lock, &project, plan, &args.edit)
}

/// The Python a finished field no longer needs.
fn deletable_python(project: &Project, plan: &Plan) -> Vec<String> {
    plan.moves
        .iter()
        .filter(|m| m.to == Stage::Done)
        .filter_map(|m| {
            let (type_name, field_name) = m.field.split_once('.')?;
            let record = project
                .inventory
                .field(&crate::model::inventory::FieldCoordinate::new(type_name, field_name))?;
            Some(match &record.python {
                PythonLink::Resolver { function, logic } => {
                    let mut line = format!(
                        "{}: {} ({}:{}-{})",
                        m.field, function.function, function.file, function.line, function.end_line
                    );
                    if let Some(logic) = logic {
                        let _ = write!(line, ", and its logic {} ({}:{})", logic.function, logic.file, logic.line);
                    }
                    line
                }
                PythonLink::Default => format!("{}: served by the default resolver; remove the attribute if nothing else reads it", m.field),
                PythonLink::Unknown => match &record.monolith {
                    Some(site) => format!("{}: its Python resolver (monolith schema {}:{})", m.field, site.file, site.line),
                    None => format!("{}: its Python resolver", m.field),
                },
            })
        })
        .collect()
}

fn conclude(
    lock: &WorkspaceLock,
    project: &Project,
    plan: Plan,
    args: &EditArgs,
) -> Result<Outcome> {
    let quiet = !project.workspace.progress;
    let write = !args.dry_run && !args.check;
    let written = if write {
        plan.changes.write(lock)?
    } else {
        Vec::new()
    };
    let files: Vec<String> = plan.changes.changes().map(|c| c.path.rel.clone()).collect();
    let deletable = deletable_python(project, &plan);
    if args.json {
        let value = json!({
            "version": crate::render::json::VERSION,
            "written": write && !written.is_empty(),
            "moves": plan.moves,
            "unchanged": plan.unchanged,
            "refused": plan.refused,
            "forced": plan.forced,
            "files": files,
            "python_to_delete": deletable,
        });
        print(&(serde_json::to_string_pretty(&value)? + "\n"))?;
    } else {
        let style = Style::for_stdout();
        let mut out = String::new();
        if args.dry_run {
            out.push_str(&crate::render::diff::change_set(&plan.changes, &style));
        }
        for m in &plan.moves {
            let _ = writeln!(
                out,
                "{}: {} → {}  ({}, {})",
                m.field, m.from, m.to, m.service, m.file
            );
        }
        for field in &plan.unchanged {
            let _ = writeln!(out, "{field}: already there, nothing to do");
        }
        for forced in &plan.forced {
            let _ = writeln!(
                out,
                "{} {}: {}",
                style.yellow("forced:"),
                forced.field,
                forced.reason
            );
        }
        for refused in &plan.refused {
            let _ = writeln!(
                out,
                "{} {}: {}",
                style.red("skipped:"),
                refused.field,
                refused.reason
            );
        }
        if !deletable.is_empty() {
            let _ = writeln!(out, "Python that can now be deleted:");
            for line in &deletable {
                let _ = writeln!(out, "  {line}");
            }
        }
        if write {
            for file in &written {
                let _ = writeln!(out, "wrote {file}");
            }
        } else if !files.is_empty() {
            let _ = writeln!(out, "would change: {} (nothing written)", files.join(", "));
        }
        // --quiet keeps only the diff a --dry-run asked for.
        if quiet {
            out = if args.dry_run {
                crate::render::diff::change_set(&plan.changes, &style)
            } else {
                String::new()
            };
        }
        print(&out)?;
    }
    if args.check && !plan.changes.is_empty() {
        return Ok(Outcome::WouldChange);
    }
    Ok(Outcome::Success)
}
