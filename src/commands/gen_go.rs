//! `ferry gen go`: gqlgen resolver skeletons, the Python quoted beside them.

use crate::cli::GenGoArgs;
use crate::commands::{Outcome, print, selected};
use crate::edit::change_set::ChangeSet;
use crate::edit::splice::{Splice, apply};
use crate::golang::{GenRequest, GqlgenConfig, QuotedPython, plan_generation};
use crate::project::Project;
use crate::render::style::Style;
use crate::schema::inventory::{FieldCoordinate, PythonFunctionRef, PythonLink};
use crate::workspace::Overrides;
use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Lines `line..=end_line` of a workspace file, as the Python index located them.
fn source_lines(project: &Project, function: &PythonFunctionRef) -> String {
    let path = project.workspace.root.join(&function.file);
    std::fs::read_to_string(path)
        .map(|text| {
            text.lines()
                .skip(function.line.saturating_sub(1) as usize)
                .take((function.end_line.saturating_sub(function.line) + 1) as usize)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

fn quoted_python(project: &Project, type_name: &str, field_name: &str) -> Option<QuotedPython> {
    let record = project
        .inventory
        .field(&FieldCoordinate::new(type_name, field_name))?;
    let PythonLink::Resolver { function, logic } = &record.python else {
        return None;
    };
    Some(QuotedPython {
        file: function.file.clone(),
        line: function.line,
        source: source_lines(project, function),
        logic: logic
            .as_ref()
            .map(|l| (l.file.clone(), l.line, source_lines(project, l))),
    })
}

pub fn run(overrides: &Overrides, args: GenGoArgs) -> Result<Outcome> {
    let project = Project::load(overrides)?;
    let fields = selected(&project, &args.select)?;
    // Each field goes to the service whose schema defines it (its owner first).
    let mut by_service: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for field in &fields {
        let service = match (&args.select.service, &field.service) {
            (Some(service), _) => service.clone(),
            (None, Some(owner)) => owner.clone(),
            (None, None) => {
                let defining: Vec<&str> = field
                    .definitions
                    .iter()
                    .filter(|d| !d.external)
                    .map(|d| d.service.as_str())
                    .collect();
                match defining.as_slice() {
                    [one] => one.to_string(),
                    [] => bail!(
                        "{}: no service's schema defines it; `ferry mark {} --into SERVICE` first",
                        field.coordinate,
                        field.coordinate
                    ),
                    many => bail!(
                        "{}: defined by {}; pick one with --service",
                        field.coordinate,
                        many.join(", ")
                    ),
                }
            }
        };
        by_service.entry(service).or_default().push((
            field.coordinate.type_name.clone(),
            field.coordinate.field_name.clone(),
        ));
    }
    let mut changes = ChangeSet::default();
    let mut generated = Vec::new();
    let mut skipped = Vec::new();
    for (service_name, coordinates) in by_service {
        let (service, loaded) = project
            .service(&service_name)
            .ok_or_else(|| anyhow!("unknown service `{service_name}`"))?;
        let yml = service.gqlgen.as_ref().ok_or_else(|| {
            anyhow!(
                "service `{service_name}` has no gqlgen.yml; gen go follows gqlgen's configuration"
            )
        })?;
        let config = GqlgenConfig::load(&yml.abs).with_context(|| yml.rel.clone())?;
        let python = |t: &str, f: &str| quoted_python(&project, t, f);
        let plan = plan_generation(&GenRequest {
            schema: &loaded.schema,
            config: &config,
            fields: coordinates,
            python: &python,
        })
        .with_context(|| format!("service `{service_name}`"))?;
        for file in plan.files {
            let path = project.workspace.path(file.path.clone());
            generated.push(path.rel.clone());
            changes.record(&path, file.before.as_deref(), Some(file.after));
        }
        // @goField(forceResolver: true) edits, spliced into the schema files.
        let mut splices: BTreeMap<String, Vec<Splice>> = BTreeMap::new();
        for edit in plan.schema_edits {
            let rel = edit.file.to_string_lossy().replace('\\', "/");
            splices
                .entry(rel)
                .or_default()
                .push(Splice::insert(edit.offset, edit.insert));
        }
        for (rel, splices) in splices {
            let file = loaded
                .file(&rel)
                .ok_or_else(|| anyhow!("{rel}: not a schema file of `{service_name}`"))?;
            let after = apply(&file.source.text, &splices)?;
            changes.record(&file.source.path, Some(&file.source.text), Some(after));
        }
        skipped.extend(plan.skipped.into_iter().map(|s| {
            format!(
                "{}.{}: {}:{} already exists",
                s.type_name, s.field_name, s.existing.file, s.existing.line
            )
        }));
    }
    let write = !args.edit.dry_run && !args.edit.check && !args.stdout;
    let written = if write { changes.write()? } else { Vec::new() };
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
            out.push_str(&changes.diff(&style));
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
