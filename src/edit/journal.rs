//! `.ferry/journal.json`: what a batch is about to do, so that a run killed
//! half-way is finished (or undone) by the next one.
//!
//! A batch writes the journal twice. `Preparing` lists the temporary files
//! before the first is created: killed then, nothing was replaced and the
//! next run removes them. `Replacing` is written once every temporary file
//! is on disk: killed then, some files may be replaced and others not, and
//! the next run renames the rest, because every new text is already there.
//! A file that changed since (someone edited it after the crash) is left
//! as it is, and the run says so.
//!
//! The journal is as untrusted as the rest of a repository: every path in
//! it must stay inside the workspace, every temporary file must be named as
//! ferry names them, and a file is only replaced while it still holds the
//! text the batch read (by hash).

use crate::edit::write::sync_dir;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

pub const JOURNAL_FILE: &str = "journal.json";
const JOURNAL_TEMP_PREFIX: &str = ".journal-";
/// Temporary files beside their targets start so.
pub const TEMP_PREFIX: &str = ".ferry-";
const FORMAT: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Preparing,
    Replacing,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Journal {
    pub format: u32,
    pub pid: u32,
    pub phase: Phase,
    pub entries: Vec<Entry>,
    /// Folders the batch creates for new files (relative, outermost first).
    pub created_dirs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// The file as the user names it.
    pub shown: String,
    /// The real file, relative to the workspace root.
    pub target: String,
    /// The temporary file beside the target holding the new text; `None`
    /// removes the target.
    pub temp: Option<String>,
    /// blake3 of the text read; `None`: the file did not exist.
    pub before: Option<String>,
    /// blake3 of the text written; `None` for a removal.
    pub after: Option<String>,
}

pub fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

impl Journal {
    pub fn new(entries: Vec<Entry>, created_dirs: Vec<String>) -> Journal {
        Journal {
            format: FORMAT,
            pid: std::process::id(),
            phase: Phase::Preparing,
            entries,
            created_dirs,
        }
    }

    /// Replaces the journal in `state_dir` at once, durably.
    pub fn store(&self, state_dir: &Path) -> std::io::Result<()> {
        let temp = state_dir.join(format!("{JOURNAL_TEMP_PREFIX}{}", std::process::id()));
        let _ = std::fs::remove_file(&temp);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(&serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?)?;
        file.sync_all()?;
        std::fs::rename(&temp, state_dir.join(JOURNAL_FILE))?;
        sync_dir(state_dir)
    }

    pub fn remove(state_dir: &Path) -> std::io::Result<()> {
        std::fs::remove_file(state_dir.join(JOURNAL_FILE))?;
        sync_dir(state_dir)
    }
}

/// An entry's paths, checked to stay inside the workspace.
struct Resolved {
    target: PathBuf,
    temp: Option<PathBuf>,
}

fn plain_relative(rel: &str) -> Option<&Path> {
    let path = Path::new(rel);
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(path)
        .filter(|p| p.components().next().is_some())
}

fn resolve(root: &Path, entry: &Entry) -> Option<Resolved> {
    let target = root.join(plain_relative(&entry.target)?);
    let dir = target.parent()?;
    if !dir.canonicalize().ok()?.starts_with(root) {
        return None;
    }
    let temp = match &entry.temp {
        Some(name) if name.starts_with(TEMP_PREFIX) && !name.contains('/') => Some(dir.join(name)),
        Some(_) => return None,
        None => None,
    };
    Some(Resolved { target, temp })
}

fn current_hash(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|bytes| hash(&bytes))
}

/// Finishes or undoes the batch an interrupted run left, if any; says what
/// it did. Called with the workspace lock held.
pub fn recover(root: &Path, state_dir: &Path) -> Option<String> {
    sweep_journal_temps(state_dir);
    let path = state_dir.join(JOURNAL_FILE);
    let text = std::fs::read(&path).ok()?;
    let Ok(journal) = serde_json::from_slice::<Journal>(&text) else {
        let _ = Journal::remove(state_dir);
        return Some(
            "found an unreadable .ferry/journal.json and removed it; no file was changed".into(),
        );
    };
    let resolved: Vec<Option<Resolved>> =
        journal.entries.iter().map(|e| resolve(root, e)).collect();
    let mut dirs = Vec::new();
    let message = match journal.phase {
        Phase::Preparing => {
            for r in resolved.iter().flatten() {
                if let Some(temp) = &r.temp {
                    let _ = std::fs::remove_file(temp);
                }
            }
            remove_created_dirs(root, &journal.created_dirs);
            format!(
                "an earlier ferry run (pid {}) was interrupted before it replaced any file: removed its temporary files; nothing of its batch was written",
                journal.pid
            )
        }
        Phase::Replacing => {
            let mut finished = Vec::new();
            let mut left = Vec::new();
            for (entry, r) in journal.entries.iter().zip(&resolved) {
                let Some(r) = r else {
                    left.push(format!("{} (a path outside the workspace)", entry.shown));
                    continue;
                };
                match roll_forward(entry, r) {
                    Ok(()) => finished.push(entry.shown.clone()),
                    Err(why) => left.push(format!("{} ({why})", entry.shown)),
                }
                if let Some(dir) = r.target.parent() {
                    dirs.push(dir.to_path_buf());
                }
            }
            let mut message = format!(
                "an earlier ferry run (pid {}) was interrupted while it replaced files: finished its batch ({})",
                journal.pid,
                finished.join(", ")
            );
            if !left.is_empty() {
                message.push_str(&format!("; left as they are: {}", left.join(", ")));
            }
            message
        }
    };
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let _ = sync_dir(&dir);
    }
    let _ = Journal::remove(state_dir);
    Some(message)
}

/// Puts one entry's new text in place, unless the file holds something
/// neither the batch read nor wrote.
fn roll_forward(entry: &Entry, r: &Resolved) -> Result<(), &'static str> {
    let now = current_hash(&r.target);
    match &r.temp {
        Some(temp) => {
            let pending = current_hash(temp);
            if now == entry.after {
                let _ = std::fs::remove_file(temp);
                return Ok(());
            }
            if pending.is_none() || pending != entry.after {
                let _ = std::fs::remove_file(temp);
                return Err("its new text is gone");
            }
            if now != entry.before {
                let _ = std::fs::remove_file(temp);
                return Err("changed since");
            }
            std::fs::rename(temp, &r.target).map_err(|_| "cannot rename")
        }
        None => match now {
            None => Ok(()),
            Some(_) if now == entry.before => {
                std::fs::remove_file(&r.target).map_err(|_| "cannot remove")
            }
            Some(_) => Err("changed since"),
        },
    }
}

/// Removes the folders a batch created, innermost first, if still empty.
pub fn remove_created_dirs(root: &Path, created: &[String]) {
    for rel in created.iter().rev() {
        if let Some(rel) = plain_relative(rel) {
            let _ = std::fs::remove_dir(root.join(rel));
        }
    }
}

/// A journal being stored when the run was killed.
fn sweep_journal_temps(state_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(state_dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(JOURNAL_TEMP_PREFIX)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
