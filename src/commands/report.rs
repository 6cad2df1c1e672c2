use crate::cli::{ReportArgs, ReportFormat};
use crate::commands::{Outcome, print};
use crate::model::project::Project;
use crate::plan::PlanReport;
use crate::render::{report_html, report_json, report_markdown};
use crate::report::clock::Instant;
use crate::report::effort::RemainingEffort;
use crate::report::{DEFAULT_STUCK_AFTER_DAYS, GitWalk, History, MigrationReport};
use crate::workspace::Overrides;
use anyhow::{Context, Result, anyhow};
use std::io::{IsTerminal, Write};
use std::path::Path;

pub fn run(overrides: &Overrides, args: ReportArgs) -> Result<Outcome> {
    let since = args
        .since
        .as_deref()
        .map(|text| {
            Instant::parse_date_or_rfc3339(text).ok_or_else(|| {
                anyhow!(
                    "--since `{text}`: not a date; give YYYY-MM-DD or an RFC 3339 time such as 2026-03-01T09:00:00Z"
                )
            })
        })
        .transpose()?;
    // One scan of the Python gives the stages and what each resolver
    // drags along, for the remaining effort by cluster.
    let (project, calls) = Project::load_with_calls(overrides)?;
    let planned: Vec<_> = project.inventory.fields.iter().collect();
    let effort = RemainingEffort::from_plan(&PlanReport::new(&project, &calls, &planned, None));
    let walk = args.from_git.then_some(GitWalk { since });
    let bar = commits_bar(walk.is_some() && overrides.progress);
    let history = History::read(&project.workspace, walk, &mut |walked| {
        bar.set_position(walked as u64)
    })?;
    bar.finish_and_clear();
    for note in &history.notes {
        eprintln!("ferry: {note}");
    }
    let report = MigrationReport::new(
        &project,
        &history,
        Instant::now(),
        args.stuck_after.unwrap_or(DEFAULT_STUCK_AFTER_DAYS),
        effort,
    );
    if let Some(path) = &args.html {
        let shown = path.display().to_string();
        write_page(path, &report_html::render(&report))
            .with_context(|| format!("writing {shown}"))?;
        if overrides.progress {
            eprintln!("wrote {shown}");
        }
        return Ok(Outcome::Success);
    }
    let format = if args.json {
        ReportFormat::Json
    } else {
        args.format
    };
    print(&match format {
        ReportFormat::Markdown => report_markdown::render(&report),
        ReportFormat::Json => report_json::render(&report),
    })?;
    Ok(Outcome::Success)
}

/// Counts the commits walked, on a terminal: a history of years takes a
/// moment.
fn commits_bar(wanted: bool) -> indicatif::ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} reading git history: {pos} commits ({elapsed})",
        )
        .expect("the template is valid"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The page is not a workspace file (it often goes to a CI artifact folder
/// outside the repository), so it is written beside its target and renamed
/// over it: a reader never sees half a page.
fn write_page(path: &Path, html: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    temporary.write_all(html.as_bytes())?;
    // Readable like any file the user writes, not private like a temporary.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temporary
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}
