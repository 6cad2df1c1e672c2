//! One file per subcommand: each wires load → understand → decide → act →
//! show, with no logic of its own.

pub mod allocator;
mod check;
mod compare;
mod edit;
mod gen_go;
mod init;
mod plan;
mod report;
mod show;
mod status;
mod tui;

use crate::cli::{CheckFormat, Cli, Command, Format, GlobalArgs, ReportFormat, SelectArgs};
use crate::edit::lock::WorkspaceLock;
use crate::migration::selector::Selection;
use crate::model::inventory::FieldRecord;
use crate::model::project::Project;
use crate::workspace::{Overrides, Workspace};
use anyhow::{Result, bail};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// How a command ended, mapped to the exit code by `main`. Errors exit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: done.
    Success,
    /// 1: `--check` found something that would change.
    WouldChange,
    /// 1: `ferry check` found errors (or warnings, with `--deny-warnings`).
    Findings,
    /// 1: `ferry compare` found samples where Go does not answer as Python.
    Mismatches,
}

/// Runs the command. When it fails and `--json` was asked for, stdout gets
/// one error document too, unless the command printed its own.
pub fn run(cli: Cli) -> Result<Outcome> {
    let json = wants_json(&cli.command);
    let result = dispatch(cli);
    if let Err(error) = &result
        && json
        && !PRINTED.load(Ordering::Relaxed)
    {
        // The error itself is what `main` reports, even if this fails.
        let _ = print(&crate::render::json::error(&format!("{error:#}"), ()));
    }
    result
}

fn dispatch(mut cli: Cli) -> Result<Outcome> {
    if let Some(note) = cli.settle_deprecated()? {
        eprintln!("{note}");
    }
    crate::render::style::set_color_choice(cli.color_choice());
    let overrides = overrides(&cli.global);
    if !matches!(
        cli.command,
        Command::Init(_) | Command::Man | Command::Completions { .. }
    ) {
        finish_interrupted_batch(&overrides);
    }
    match cli.command {
        Command::Init(args) => init::run(&overrides, args),
        Command::Status(args) => status::run(&overrides, args),
        Command::Show(args) => show::run(&overrides, args),
        Command::Mark(args) => edit::mark(&overrides, args),
        Command::Advance(args) => edit::advance(&overrides, args),
        Command::Rollback(args) => edit::rollback(&overrides, args),
        Command::Finish(args) => edit::finish(&overrides, args),
        Command::Dialect(args) => edit::dialect(&overrides, args),
        Command::Tui(args) => tui::run(&overrides, args),
        Command::Gen(crate::cli::GenCommand::Go(args)) => gen_go::run(&overrides, args),
        Command::Check(args) => check::run(&overrides, args),
        Command::Compare(args) => compare::run(&overrides, args),
        Command::Report(args) => report::run(&overrides, args),
        Command::Plan(args) => plan::run(&overrides, args),
        Command::Man => {
            print(&crate::cli::man::page()?)?;
            Ok(Outcome::Success)
        }
        Command::Completions { shell } => {
            print(&crate::cli::complete::registration(shell)?)?;
            Ok(Outcome::Success)
        }
    }
}

/// Whether the command was asked for JSON (`--json`, `--format json`).
fn wants_json(command: &Command) -> bool {
    match command {
        Command::Status(args) => args.json || matches!(args.format, Format::Json),
        Command::Check(args) => args.json || matches!(args.format, CheckFormat::Json),
        Command::Show(args) => args.json,
        Command::Mark(args) => args.edit.json,
        Command::Advance(args) => args.edit.json,
        Command::Rollback(args) => args.edit.json,
        Command::Finish(args) => args.edit.json,
        Command::Dialect(args) => args.edit.json,
        Command::Gen(crate::cli::GenCommand::Go(args)) => args.edit.json,
        Command::Init(args) => args.json,
        Command::Compare(args) => args.json || matches!(args.format, Format::Json),
        Command::Report(args) => args.json || matches!(args.format, ReportFormat::Json),
        Command::Plan(args) => args.json || matches!(args.format, Format::Json),
        Command::Tui(_) | Command::Man | Command::Completions { .. } => false,
    }
}

fn overrides(global: &GlobalArgs) -> Overrides {
    Overrides {
        root: global.root.clone(),
        python_schema: global.python_schema.clone(),
        python_roots: global.python_root.clone(),
        framework: global.framework.clone(),
        no_cache: global.no_cache,
        progress: !global.quiet,
    }
}

/// Before anything else: a batch an interrupted run left half-written is
/// finished (or undone), and the user is told. A command that then fails
/// to find its workspace says so itself.
fn finish_interrupted_batch(overrides: &Overrides) {
    if let Ok(root) = Workspace::root(overrides)
        && let Ok(Some(note)) = WorkspaceLock::recover_if_interrupted(&root)
    {
        eprintln!("ferry: {note}");
    }
}

/// The workspace lock of a command that edits, taken before it reads
/// anything and held until its last file is written.
fn lock(overrides: &Overrides) -> Result<WorkspaceLock> {
    let mut lock = WorkspaceLock::acquire(&Workspace::root(overrides)?)?;
    if let Some(note) = lock.take_recovered() {
        eprintln!("ferry: {note}");
    }
    Ok(lock)
}

/// Whether the command has printed to stdout: a JSON document of its own
/// (e.g. an edit's refusals) leaves no room for the error document.
static PRINTED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout; a closed pipe (`ferry status | head`) is not an error.
pub fn print(text: &str) -> Result<()> {
    print_with(|out| out.write_all(text.as_bytes()))
}

/// Prints what `write` writes, as [`print`] prints text: for output
/// written in pieces, which need not be joined into one string first.
pub fn print_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    PRINTED.store(true, Ordering::Relaxed);
    let mut out = std::io::stdout().lock();
    match write(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// The selection as typed, with `--service` checked against the workspace.
fn selection(project: &Project, args: &SelectArgs) -> Result<Selection> {
    let selection = Selection::parse(
        &args.selectors,
        args.service.clone(),
        &args.states,
        &mut std::io::stdin().lock(),
    )?;
    if let Some(service) = selection
        .service
        .as_ref()
        .filter(|s| project.service(s).is_none())
    {
        let known: Vec<&str> = project
            .services
            .iter()
            .map(|(s, _)| s.name.as_str())
            .collect();
        bail!(
            "unknown service `{service}`; the workspace has: {}",
            known.join(", ")
        );
    }
    Ok(selection)
}

/// The fields an editing command acts on; it must name some.
fn selected<'p>(project: &'p Project, args: &SelectArgs) -> Result<Vec<&'p FieldRecord>> {
    let selection = selection(project, args)?;
    if selection.selectors.is_empty() && selection.service.is_none() && selection.states.is_empty()
    {
        bail!(
            "name the fields to act on, e.g. `Assignment.createdDate`, `'Assignment.*'`, or `-` to read them from stdin"
        );
    }
    let fields = selection.select(&project.inventory)?;
    if fields.is_empty() {
        bail!("no field matches the selectors with those --service/--state filters");
    }
    Ok(fields)
}
