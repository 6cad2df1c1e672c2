//! Shell completions. `ferry completions SHELL` prints a script that asks
//! ferry itself for candidates as you type (clap_complete's dynamic
//! completion), so values come from the workspace around the current
//! directory: service names for `--service` and `--into`, field selectors
//! for `SELECTOR` and `show`; stages, frameworks and `--color` come from
//! the flags' possible values.

use crate::model::project::Project;
use crate::workspace::{Overrides, Workspace};
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::Shells;
use std::collections::BTreeSet;

/// The environment variable the script sets when it calls ferry back.
const VAR: &str = "COMPLETE";

/// Answers a completion request from the shell script, then exits; a
/// normal run goes on.
pub fn answer_shell_and_exit() {
    clap_complete::CompleteEnv::with_factory(<crate::cli::Cli as clap::CommandFactory>::command)
        .var(VAR)
        .complete();
}

/// The script that registers ferry's completions in `shell`, calling back
/// the binary that printed it.
pub fn registration(shell: clap_complete::Shell) -> std::io::Result<String> {
    let name = shell.to_string();
    let shells = Shells::builtins();
    let completer = shells
        .completer(&name)
        .ok_or_else(|| std::io::Error::other(format!("no dynamic completion for {name}")))?;
    let binary = std::env::current_exe()
        .map(|path| path.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "ferry".to_string());
    let mut script = Vec::new();
    completer.write_registration(VAR, "ferry", "ferry", &binary, &mut script)?;
    Ok(String::from_utf8_lossy(&script).into_owned())
}

fn workspace() -> Option<Workspace> {
    Workspace::load(&Overrides::default()).ok()
}

/// `--service`, `--into`: the workspace's services.
pub fn service_names() -> Vec<CompletionCandidate> {
    workspace()
        .map(|w| {
            w.services
                .iter()
                .map(|s| CompletionCandidate::new(&s.name))
                .collect()
        })
        .unwrap_or_default()
}

/// `SELECTOR`, `TYPE.FIELD`: every `Type.field` and `Type.*`, from the
/// schemas alone (the Python index is not needed to name fields).
pub fn field_selectors() -> Vec<CompletionCandidate> {
    let Some(mut workspace) = workspace() else {
        return Vec::new();
    };
    workspace.python.roots.clear();
    workspace.progress = false;
    let Ok(project) = Project::from_workspace(workspace) else {
        return Vec::new();
    };
    let fields = &project.inventory.fields;
    let types: BTreeSet<&str> = fields
        .iter()
        .map(|f| f.coordinate.type_name.as_str())
        .collect();
    types
        .into_iter()
        .map(|t| format!("{t}.*"))
        .chain(fields.iter().map(|f| f.coordinate.to_string()))
        .map(CompletionCandidate::new)
        .collect()
}
