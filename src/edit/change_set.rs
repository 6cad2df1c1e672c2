//! The files one command changes, each with the text ferry read and the
//! text it will write; written all together or not at all.

use crate::edit::lock::WorkspaceLock;
use crate::edit::transaction;
use crate::edit::write::WriteError;
use crate::workspace::WorkspacePath;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct FileChange {
    pub path: WorkspacePath,
    /// The text as read; `None` when the file did not exist.
    pub before: Option<String>,
    /// The text to write; `None` removes the file.
    pub after: Option<String>,
}

impl FileChange {
    pub fn is_change(&self) -> bool {
        self.before != self.after
    }
}

#[derive(Debug, Clone, Default)]
pub struct ChangeSet {
    files: BTreeMap<String, FileChange>,
}

impl ChangeSet {
    /// The latest planned text of a file, if this change set touches it.
    pub fn current(&self, rel: &str) -> Option<Option<&str>> {
        self.files.get(rel).map(|c| c.after.as_deref())
    }

    /// Records a new text for a file; `before` is what was read from disk
    /// and is kept from the first time the file is recorded.
    pub fn record(&mut self, path: &WorkspacePath, before: Option<&str>, after: Option<String>) {
        self.files
            .entry(path.rel.clone())
            .and_modify(|c| c.after = after.clone())
            .or_insert_with(|| FileChange {
                path: path.clone(),
                before: before.map(str::to_string),
                after,
            });
    }

    pub fn changes(&self) -> impl Iterator<Item = &FileChange> {
        self.files.values().filter(|c| c.is_change())
    }

    pub fn is_empty(&self) -> bool {
        self.changes().next().is_none()
    }

    /// The change set that takes every file back to what was read: undo.
    /// Its writes check that each file still holds what this one wrote.
    pub fn inverse(&self) -> ChangeSet {
        let mut inverse = ChangeSet::default();
        for change in self.changes() {
            inverse.record(&change.path, change.after.as_deref(), change.before.clone());
        }
        inverse
    }

    /// Adds `line` at the end of a file (a log such as a ledger), in the
    /// same batch as the other files: written together or not at all.
    pub fn append(&mut self, path: &WorkspacePath, before: Option<&str>, line: &str) {
        let mut after = match self.current(&path.rel) {
            Some(current) => current.unwrap_or_default().to_string(),
            None => before.unwrap_or_default().to_string(),
        };
        after.push_str(line);
        self.record(path, before, Some(after));
    }

    /// Writes every changed file as one batch ([`transaction`]), under the
    /// workspace lock. Refuses before writing anything when a file changed
    /// on disk since it was read or cannot be written.
    pub fn write(&self, lock: &WorkspaceLock) -> Result<Vec<String>, WriteError> {
        let changes: Vec<&FileChange> = self.changes().collect();
        transaction::write(&changes, lock)
    }

    /// Takes the workspace lock of `root` just to write: for the TUI,
    /// which reads the workspace long before it writes.
    pub fn write_locked(&self, root: &std::path::Path) -> Result<Vec<String>, WriteError> {
        self.write(&WorkspaceLock::acquire(root)?)
    }
}
