use crate::cli::InitArgs;
use crate::commands::{Outcome, print};
use crate::edit::change_set::ChangeSet;
use crate::edit::lock::WorkspaceLock;
use crate::workspace::discovery::Discovery;
use crate::workspace::{CONFIG_FILE, WorkspacePath};
use anyhow::{Result, bail};
use std::fmt::Write;

pub fn run(root: Option<&std::path::Path>, args: InitArgs) -> Result<Outcome> {
    let root = match root {
        Some(root) => root.to_path_buf(),
        None => std::env::current_dir()?,
    };
    let path = root.join(CONFIG_FILE);
    if path.exists() && !args.force && !args.stdout {
        bail!(
            "{} already exists; pass --force to overwrite it, or --stdout to print what init would write",
            path.display()
        );
    }
    let found = Discovery::scan(&root);
    let toml = found.to_toml();
    if args.stdout {
        print(&toml)?;
        return Ok(Outcome::Success);
    }
    let root = root.canonicalize()?;
    let lock = WorkspaceLock::acquire(&root)?;
    let before = std::fs::read_to_string(&path).ok();
    let mut changes = ChangeSet::default();
    changes.record(
        &WorkspacePath::new(&root, root.join(CONFIG_FILE)),
        before.as_deref(),
        Some(toml),
    );
    changes.write(&lock)?;
    let mut out = String::new();
    let _ = writeln!(out, "wrote {CONFIG_FILE}");
    let _ = writeln!(
        out,
        "  monolith SDL:  {}",
        if found.monolith_schema.is_empty() {
            "none found (see the comment in ferry.toml)".into()
        } else {
            found.monolith_schema.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "  Python roots:  {} ({})",
        found.python_roots.join(", "),
        found.framework()
    );
    for service in &found.services {
        let _ = writeln!(
            out,
            "  service:       {} ({})",
            service.name,
            service.gqlgen.as_deref().unwrap_or("no gqlgen.yml")
        );
    }
    let _ = writeln!(out, "next: `ferry status`");
    print(&out)?;
    Ok(Outcome::Success)
}
