//! `ferry gen go`: gqlgen resolver skeletons, the Python quoted beside them.

use crate::cli::GenGoArgs;
use crate::commands::{Outcome, lock, print, selected};
use crate::generate::skeletons::{SkeletonPlan, plan_skeletons};
use crate::model::project::Project;
use crate::render::style::Style;
use crate::workspace::Overrides;
use anyhow::Result;
use serde_json::json;
use std::fmt::Write;

pub fn run(overrides: &Overrides, args: GenGoArgs) -> Result<Outcome> {
    let lock = lock(overrides)?;
    let project = Project::load(overrides)?;
    let fields = selected(&project, &args.select)?;
    let SkeletonPlan {
        changes, skipped, ..
    } = plan_skeletons(&project, &fields, args.select.service.as_deref())?;
    let write = !args.edit.dry_run && !args.edit.check && !args.stdout;
    let written = if write {
        changes.write(&lock)?
    } else {
        Vec::new()
    };
    let files: Vec<String> = changes.changes().map(|c| c.path.rel.clone()).collect();
    if args.edit.json {
        print(
            &(serde_json::to_string_pretty(&json!({
                "version": crate::render::json::VERSION,
                "written": write && !written.is_empty(),
                "files": files,
                "skipped": skipped,
            }))? + "\n"),
        )?;
    } else if args.stdout {
        let mut out = String::new();
        for change in changes.changes() {
            let _ = writeln!(out, "// ==> {} <==", change.path.rel);
            out.push_str(change.after.as_deref().unwrap_or_default());
        }
        print(&out)?;
    } else {
        let style = Style::for_stdout();
        let mut out = String::new();
        if args.edit.dry_run {
            out.push_str(&crate::render::diff::change_set(&changes, &style));
        }
        for line in &skipped {
            let _ = writeln!(out, "{line}");
        }
        if write {
            for file in &written {
                let _ = writeln!(out, "wrote {file}");
            }
        } else if !files.is_empty() {
            let _ = writeln!(out, "would change: {} (nothing written)", files.join(", "));
        }
        if files.is_empty() {
            let _ = writeln!(out, "nothing to generate");
        }
        print(&out)?;
    }
    if args.edit.check && !changes.is_empty() {
        return Ok(Outcome::WouldChange);
    }
    Ok(Outcome::Success)
}
