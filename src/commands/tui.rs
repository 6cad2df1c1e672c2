use crate::cli::TuiArgs;
use crate::commands::Outcome;
use crate::tui::app::App;
use crate::workspace::Overrides;
use anyhow::Result;

pub fn run(overrides: &Overrides, args: TuiArgs) -> Result<Outcome> {
    let mut app = App::load(overrides.clone())?;
    if let Some(filter) = &args.filter {
        app.set_filter(filter);
    }
    crate::tui::run(app)?;
    Ok(Outcome::Success)
}
