use crate::cli::InitArgs;
use crate::commands::{Outcome, print};
use crate::edit::change_set::ChangeSet;
use crate::edit::lock::WorkspaceLock;
use crate::render::init_report::{self, InitReport};
use crate::workspace::discovery::Discovery;
use crate::workspace::{CONFIG_FILE, Overrides, WorkspacePath};
use anyhow::{Result, bail};

pub fn run(overrides: &Overrides, args: InitArgs) -> Result<Outcome> {
    let root = match &overrides.root {
        Some(root) => root.clone(),
        None => std::env::current_dir()?,
    };
    let path = root.join(CONFIG_FILE);
    let exists = path.exists();
    if exists && !args.force && !args.stdout {
        bail!(
            "{} already exists; pass --force to overwrite it, or --stdout to print what init would write",
            path.display()
        );
    }
    let found = Discovery::scan(&root);
    let report = InitReport {
        found: &found,
        path: CONFIG_FILE.to_string(),
        config: found.to_toml(),
        written: !args.stdout,
        replaced: exists && !args.stdout,
    };
    if report.written {
        let root = root.canonicalize()?;
        let lock = WorkspaceLock::acquire(&root)?;
        let before = std::fs::read_to_string(&path).ok();
        let mut changes = ChangeSet::default();
        changes.record(
            &WorkspacePath::new(&root, root.join(CONFIG_FILE)),
            before.as_deref(),
            Some(report.config.clone()),
        );
        changes.write(&lock)?;
    }
    print(&if args.json {
        init_report::json(&report)
    } else {
        init_report::human(&report, !overrides.progress)
    })?;
    Ok(Outcome::Success)
}
