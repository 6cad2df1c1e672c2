use crate::cli::ShowArgs;
use crate::commands::{Outcome, print};
use crate::migration::selector::Selection;
use crate::model::project::Project;
use crate::render::field_report::{self, FieldReport};
use crate::render::style::Style;
use crate::workspace::Overrides;
use anyhow::{Result, bail};

/// How many of the fields a selector matched the error names.
const NAMED: usize = 5;

pub fn run(overrides: &Overrides, args: ShowArgs) -> Result<Outcome> {
    if args.field == "-" {
        bail!("show takes one Type.field, not a list from stdin; `ferry status -` lists several");
    }
    let project = Project::load(overrides)?;
    let selection = Selection::parse(
        std::slice::from_ref(&args.field),
        None,
        &[],
        &mut std::io::empty(),
    )?;
    let fields = selection.select(&project.inventory)?;
    let [field] = fields.as_slice() else {
        let mut names: Vec<String> = fields
            .iter()
            .take(NAMED)
            .map(|f| f.coordinate.to_string())
            .collect();
        if fields.len() > NAMED {
            names.push(format!("and {} more", fields.len() - NAMED));
        }
        bail!(
            "`{}` matches {} fields ({}); show takes one: name it as Type.field, or list them with `ferry status '{}'`",
            args.field,
            fields.len(),
            names.join(", "),
            args.field
        );
    };
    let report = FieldReport::new(&project, field);
    print(&if args.json {
        field_report::json(&report)
    } else {
        field_report::human(&report, &Style::for_stdout())
    })?;
    Ok(Outcome::Success)
}
