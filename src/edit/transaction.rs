//! Writing a batch all or nothing.
//!
//! 1. Every file is checked: unchanged since it was read, its real place
//!    inside the workspace, writable, not hard-linked. Nothing is written.
//! 2. The journal (`Preparing`) names the temporary files; each new text is
//!    written and flushed to disk as a temporary file beside its target.
//!    A failure or a signal here removes them: nothing was written.
//! 3. The journal becomes `Replacing`; the temporary files are renamed over
//!    their targets (and removed files removed); the folders are flushed.
//! 4. The journal is removed.
//!
//! A run killed in 2 or 3 leaves the journal; the next run undoes 2 or
//! finishes 3 ([`crate::edit::journal::recover`]) before anything else.

use crate::edit::change_set::FileChange;
use crate::edit::created_files;
use crate::edit::interrupt::Deferred;
use crate::edit::journal::{Entry, Journal, Phase, TEMP_PREFIX, hash, remove_created_dirs};
use crate::edit::lock::WorkspaceLock;
use crate::edit::write::{
    Target, WriteError, missing_dirs, sync_dir, target, unchanged_since_read, write_temporary,
};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// One file of the batch, checked.
struct Step<'c> {
    change: &'c FileChange,
    target: Target,
    /// The text to put in place; `None` removes the file.
    text: Option<&'c str>,
    temp: Option<PathBuf>,
}

const JOURNAL_SHOWN: &str = ".ferry/journal.json";

pub fn write(changes: &[&FileChange], lock: &WorkspaceLock) -> Result<Vec<String>, WriteError> {
    let root = lock.root();
    let mut steps = Vec::with_capacity(changes.len());
    for change in changes {
        let shown = &change.path.rel;
        if !unchanged_since_read(&change.path.abs, change.before.as_deref()) {
            return Err(WriteError::Stale {
                path: shown.clone(),
            });
        }
        let target = target(root, &change.path.abs, shown)?;
        // A new text is tried in its folder before any rename; a removal
        // has no temporary file to try it with.
        if change.after.is_none() && !target.through_link {
            writable_dir(target.real.parent().unwrap_or(root), shown)?;
        }
        // Emptied, not removed, through a link: the link stays valid.
        let text = match (&change.after, target.through_link) {
            (Some(text), _) => Some(text.as_str()),
            (None, true) => Some(""),
            (None, false) => None,
        };
        steps.push(Step {
            change,
            target,
            text,
            temp: None,
        });
    }
    if steps.is_empty() {
        return Ok(Vec::new());
    }

    let deferred = Deferred::start();
    let batch = format!("{:x}{:x}", std::process::id(), nanos());
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut entries = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter_mut().enumerate() {
        let dir = step.target.real.parent().unwrap_or(root);
        step.temp = step
            .text
            .map(|_| dir.join(format!("{TEMP_PREFIX}{batch}-{i}")));
        for missing in missing_dirs(&step.target.real) {
            if !created_dirs.contains(&missing) {
                created_dirs.push(missing);
            }
        }
        entries.push(Entry {
            shown: step.change.path.rel.clone(),
            target: relative(root, &step.target.real),
            temp: step
                .temp
                .as_ref()
                .and_then(|t| t.file_name())
                .map(|n| n.to_string_lossy().into_owned()),
            before: step.change.before.as_deref().map(|t| hash(t.as_bytes())),
            after: step.text.map(|t| hash(t.as_bytes())),
        });
    }
    let created_rel: Vec<String> = created_dirs.iter().map(|d| relative(root, d)).collect();
    let mut journal = Journal::new(entries, created_rel.clone());
    let state_dir = lock.state_dir();
    journal
        .store(state_dir)
        .map_err(WriteError::io(JOURNAL_SHOWN))?;

    let prepared = prepare(root, &steps, &created_dirs, &deferred).and_then(|()| {
        journal.phase = Phase::Replacing;
        journal
            .store(state_dir)
            .map_err(WriteError::io(JOURNAL_SHOWN))
    });
    if let Err(error) = prepared {
        for temp in steps.iter().filter_map(|s| s.temp.as_ref()) {
            let _ = std::fs::remove_file(temp);
        }
        remove_created_dirs(root, &created_rel);
        let _ = Journal::remove(state_dir);
        return Err(error);
    }

    // From here on the batch is finished whatever comes: a signal waits.
    let mut failure = None;
    for step in &steps {
        slow_down();
        let done = match &step.temp {
            Some(temp) => std::fs::rename(temp, &step.target.real),
            None => std::fs::remove_file(&step.target.real),
        };
        if let Err(source) = done {
            failure.get_or_insert(WriteError::Partial {
                path: step.change.path.rel.clone(),
                source,
            });
        }
    }
    let mut dirs: Vec<&Path> = steps
        .iter()
        .filter_map(|s| s.target.real.parent())
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let _ = sync_dir(dir);
    }
    if let Some(failure) = failure {
        // The journal stays: the next run finishes what it can.
        return Err(failure);
    }
    let _ = Journal::remove(state_dir);
    let created: Vec<&str> = steps
        .iter()
        .filter(|s| s.change.before.is_none() && s.text.is_some())
        .map(|s| s.change.path.rel.as_str())
        .collect();
    let removed: Vec<&str> = steps
        .iter()
        .filter(|s| s.text.is_none())
        .map(|s| s.change.path.rel.as_str())
        .collect();
    created_files::note(state_dir, &created, &removed);
    let written: Vec<String> = steps.iter().map(|s| s.change.path.rel.clone()).collect();
    if deferred.interrupted() {
        return Err(WriteError::InterruptedAfterWriting { written });
    }
    Ok(written)
}

/// Step 2: the folders and temporary files, flushed to disk.
fn prepare(
    root: &Path,
    steps: &[Step],
    created_dirs: &[PathBuf],
    deferred: &Deferred,
) -> Result<(), WriteError> {
    for dir in created_dirs {
        std::fs::create_dir(dir).map_err(WriteError::io(&relative(root, dir)))?;
    }
    for step in steps {
        let (Some(temp), Some(text)) = (&step.temp, step.text) else {
            continue;
        };
        slow_down();
        write_temporary(temp, text.as_bytes(), step.target.mode)
            .map_err(WriteError::io(&step.change.path.rel))?;
        if deferred.interrupted() {
            return Err(WriteError::InterruptedBeforeWriting);
        }
    }
    if deferred.interrupted() {
        return Err(WriteError::InterruptedBeforeWriting);
    }
    Ok(())
}

/// A folder a file is created in or removed from must take the change.
fn writable_dir(dir: &Path, shown: &str) -> Result<(), WriteError> {
    let Ok(c_dir) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
        return Ok(());
    };
    // SAFETY: a valid NUL-terminated path; access(2) only reads it.
    if unsafe { libc::access(c_dir.as_ptr(), libc::W_OK | libc::X_OK) } == 0 {
        return Ok(());
    }
    Err(WriteError::Io {
        path: shown.to_string(),
        source: std::io::Error::last_os_error(),
    })
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// `FERRY_TEST_WRITE_DELAY_MS`: a pause before each file is written and
/// each rename, so that tests can interrupt a batch half-way.
fn slow_down() {
    static DELAY: OnceLock<Option<Duration>> = OnceLock::new();
    let delay = DELAY.get_or_init(|| {
        std::env::var("FERRY_TEST_WRITE_DELAY_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map(Duration::from_millis)
    });
    if let Some(delay) = delay {
        std::thread::sleep(*delay);
    }
}
