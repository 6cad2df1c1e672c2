//! `e`: which file and line the user's editor opens for the field in view.

use super::{Action, App, Level, Mode};
use crate::model::inventory::PythonLink;
use std::path::PathBuf;

/// A file to open at a line (passed as `+LINE PATH`, the convention vi,
/// emacs, nano and helix share).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorTarget {
    pub path: PathBuf,
    /// As shown: relative to the workspace root.
    pub rel: String,
    pub line: usize,
}

impl App {
    /// The resolver under the cursor: in the detail pane, the section at
    /// the top of the view (a schema, the Python or the Go resolver);
    /// elsewhere the Go resolver when there is one, else the Python one.
    pub(super) fn open_editor(&mut self) -> Action {
        let Some(field) = self.current_field() else {
            self.say(
                Level::Warning,
                "move to a field first: e opens its resolver",
            );
            return Action::Continue;
        };
        let in_view = match (&self.mode, &self.detail) {
            (Mode::Detail, Some(detail)) => detail
                .section_at(self.detail_scroll as usize, self.screen.detail_columns())
                .and_then(|s| s.location.clone()),
            _ => None,
        };
        let python = match &field.python {
            PythonLink::Resolver { function, .. } => {
                Some((function.file.clone(), function.line as usize))
            }
            _ => None,
        };
        let go = field.go.as_ref().map(|g| (g.file.clone(), g.line as usize));
        let Some((rel, line)) = in_view.or(go).or(python) else {
            let name = field.coordinate.to_string();
            self.say(
                Level::Warning,
                format!("{name} has no Python or Go resolver to open"),
            );
            return Action::Continue;
        };
        Action::OpenEditor(EditorTarget {
            path: self.project.workspace.root.join(&rel),
            rel,
            line,
        })
    }

    /// After the editor: the files may have changed, so read them again.
    pub fn editor_closed(&mut self, target: &EditorTarget, outcome: Result<(), String>) {
        let loaded = self.reload();
        match outcome {
            Ok(()) if loaded => self.say(
                Level::Info,
                format!(
                    "back from the editor ({}:{}); reloaded the workspace",
                    target.rel, target.line
                ),
            ),
            Ok(()) => {}
            Err(error) => self.say(Level::Error, error),
        }
    }
}
