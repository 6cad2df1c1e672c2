use crate::cli::ShowArgs;
use crate::commands::{Outcome, print};
use crate::migration::selector::Selection;
use crate::model::project::Project;
use crate::render::field_detail::{next_step, schema_text};
use crate::render::report::{go_cell, python_cell, stage_label};
use crate::render::style::Style;
use crate::render::{json, table::paint_stage};
use crate::workspace::Overrides;
use anyhow::{Result, bail};
use std::fmt::Write;

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
        value["next"] = serde_json::Value::String(next_step(&project, field));
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
    let _ = writeln!(out, "  next:    {}", next_step(&project, field));
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
