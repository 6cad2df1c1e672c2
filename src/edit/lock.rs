//! The workspace lock, `.ferry/lock`: one ferry run edits a workspace at a
//! time, from reading its files to the last rename, so two runs never both
//! pass the stale check and lose one's edit.
//!
//! It is an advisory `flock` taken with std's `File::try_lock`: the kernel
//! drops it when the holder exits however it exits, so a lock file left by
//! a killed run never blocks anyone. The file only holds the holder's pid,
//! for the message of the run that has to wait.

use crate::edit::journal;
use crate::workspace::ferry_dir;
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const LOCK_FILE: &str = "lock";
/// How long a second run waits for the first to finish.
const WAIT: Duration = Duration::from_secs(3);
const POLL: Duration = Duration::from_millis(25);

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another ferry run{} is editing this workspace (it holds {}); nothing was written — run again when it is done",
        .pid.map(|p| format!(" (pid {p})")).unwrap_or_default(),
        .path.display()
    )]
    Busy { pid: Option<u32>, path: PathBuf },
    #[error("{}: cannot take the workspace lock: {source}; nothing was written", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Held while a command reads and writes the workspace; released on drop.
#[derive(Debug)]
pub struct WorkspaceLock {
    root: PathBuf,
    state_dir: PathBuf,
    _file: std::fs::File,
    /// What finishing an interrupted run's batch did, to tell the user.
    recovered: Option<String>,
}

impl WorkspaceLock {
    /// Takes the lock of the workspace at `root` (canonical), waiting a
    /// little for another run; then finishes any batch an interrupted run left.
    pub fn acquire(root: &Path) -> Result<WorkspaceLock, LockError> {
        let root = &root.canonicalize().map_err(|source| LockError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        let state_dir = ferry_dir::state_dir(root).map_err(|source| LockError::Io {
            path: root.join(ferry_dir::FERRY_DIR),
            source,
        })?;
        let path = state_dir.join(LOCK_FILE);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            // A link here could point anywhere: never open through one.
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .map_err(io)?;
        let deadline = Instant::now() + WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(POLL)
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut pid = String::new();
                    let _ = file.read_to_string(&mut pid);
                    return Err(LockError::Busy {
                        pid: pid.trim().parse().ok(),
                        path: Path::new(ferry_dir::FERRY_DIR).join(LOCK_FILE),
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        file.write_all(format!("{}\n", std::process::id()).as_bytes())
            .map_err(io)?;
        let recovered = journal::recover(root, &state_dir);
        Ok(WorkspaceLock {
            root: root.to_path_buf(),
            state_dir,
            _file: file,
            recovered,
        })
    }

    /// Finishes an interrupted run's batch when one is left, taking the
    /// lock only then: what a command that only reads does first.
    pub fn recover_if_interrupted(root: &Path) -> Result<Option<String>, LockError> {
        let journal = root.join(ferry_dir::FERRY_DIR).join(journal::JOURNAL_FILE);
        if !ferry_dir::is_real_dir(&root.join(ferry_dir::FERRY_DIR)) || !journal.exists() {
            return Ok(None);
        }
        Ok(Self::acquire(root)?.recovered)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }

    /// What finishing an interrupted run's batch did, once.
    pub fn take_recovered(&mut self) -> Option<String> {
        self.recovered.take()
    }
}
