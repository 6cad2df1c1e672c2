use crate::cli::ShowArgs;
use crate::commands::{Outcome, print};
use crate::migration::selector::Selection;
use crate::migration::transition;
use crate::project::Project;
use crate::render::report::{go_cell, python_cell, stage_label};
use crate::render::style::Style;
use crate::render::{json, table::paint_stage};
use crate::schema::inventory::{FieldRecord, SchemaSite};
use crate::workspace::Overrides;
use anyhow::{Result, bail};
use std::fmt::Write;

fn schema_text(project: &Project, site: &SchemaSite) -> String {
    let file = project.monolith.file(&site.file).or_else(|| {
        project
            .services
            .iter()
            .find_map(|(_, l)| l.file(&site.file))
    });
    let Some(file) = file else {
        return String::new();
    };
    let text = &file.source.text;
    let line_start = text[..site.span.start]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    text[line_start..site.span.end].replace('\r', "")
}

/// What the next step would be and what blocks it.
fn next_step(field: &FieldRecord) -> String {
    use crate::migration::stage::Stage;
    let attempt = match field.stage {
        Stage::Python => transition::mark(field, false, false).map(|a| ("mark", a)),
        Stage::Migrated => transition::finish(field).map(|a| ("finish", a)),
        _ => transition::advance(field, None, false).map(|a| ("advance", a)),
    };
    match attempt {
        Ok((verb, allowed)) => format!("`ferry {verb} {}` → {}", field.coordinate, allowed.to),
        Err(refusal) => {
            let forced = if refusal.overridable {
                " (--force overrides)"
            } else {
                ""
            };
            format!("blocked: {}{forced}", refusal.reason)
        }
    }
}

pub fn run(overrides: &Overrides, args: ShowArgs) -> Result<Outcome> {
    let project = Project::load(overrides)?;
    let selection = Selection::parse(
        std::slice::from_ref(&args.field),
        None,
        &[],
        &mut std::io::empty(),
    )?;
    let fields = selection.select(&project.inventory)?;
    let [field] = fields.as_slice() else {
        bail!(
            "`{}` names {} fields; show takes one Type.field",
            args.field,
            fields.len()
        );
    };
    if args.json {
        let mut value = serde_json::to_value(json::field(field))?;
        value["next"] = serde_json::Value::String(next_step(field));
        print(&(serde_json::to_string_pretty(&value)? + "\n"))?;
        return Ok(Outcome::Success);
    }
    let style = Style::for_stdout();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} field)",
        style.bold(&field.coordinate.to_string()),
        field.kind.as_str()
    );
    let _ = writeln!(
        out,
        "  stage:   {}",
        paint_stage(&style, field.stage, &stage_label(field))
    );
    let _ = writeln!(
        out,
        "  service: {}",
        field.service.as_deref().unwrap_or("(none)")
    );
    let _ = writeln!(out, "  python:  {}", python_cell(field));
    let _ = writeln!(out, "  go:      {}", go_cell(field));
    let _ = writeln!(out, "  next:    {}", next_step(field));
    if let Some(site) = &field.monolith {
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&format!("monolith: {}:{}", site.file, site.line))
        );
        let _ = writeln!(out, "{}", schema_text(&project, site));
    }
    for def in &field.definitions {
        let role = if def.external {
            " (@external)"
        } else if def.key_field {
            " (key field)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&format!(
                "{}{role}: {}:{}",
                def.service, def.site.file, def.site.line
            ))
        );
        let _ = writeln!(out, "{}", schema_text(&project, &def.site));
    }
    print(&out)?;
    Ok(Outcome::Success)
}
