//! Running the user's editor on a file at a line, the way git does: the
//! command is `$VISUAL`, else `$EDITOR`, else `vi`, run by the shell (so
//! `EDITOR="emacsclient -t"` works) with `+LINE` and the path as its
//! arguments.

use crate::tui::app::EditorTarget;
use std::process::Command;

/// The editor's command line as the user configured it.
pub fn configured() -> String {
    ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// The process that opens `target` in `editor`.
pub fn command(editor: &str, target: &EditorTarget) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(editor)
        .arg(format!("+{}", target.line))
        .arg(&target.path);
    command
}

/// Runs the editor to its end (the caller has given it the terminal).
pub fn run(target: &EditorTarget) -> Result<(), String> {
    let editor = configured();
    match command(&editor, target).status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "the editor `{editor}` exited with {status}; {}:{} is as the editor left it",
            target.rel, target.line
        )),
        Err(error) => Err(format!("cannot run the editor `{editor}`: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_shell_gets_plus_line_then_the_path() {
        let target = EditorTarget {
            path: PathBuf::from("/ws/webapp/types.py"),
            rel: "webapp/types.py".into(),
            line: 38,
        };
        let command = command("emacsclient -t", &target);
        let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy()).collect();
        assert_eq!(
            args,
            [
                "-c",
                "emacsclient -t \"$@\"",
                "emacsclient -t",
                "+38",
                "/ws/webapp/types.py"
            ]
        );
    }
}
