//! One file of a batch: where its text really goes (through a link inside
//! the workspace; never splitting hard links), whether it may be written,
//! and the temporary file beside it that is renamed over it.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "{path}: changed on disk since ferry read it; nothing was written — run the command again"
    )]
    Stale { path: String },
    #[error("{path}: read-only; nothing was written — make it writable (chmod u+w) and run again")]
    ReadOnly { path: String },
    #[error(
        "{path}: has {links} hard links, and writing it would split them (ferry replaces a file by renaming a new one over it); nothing was written — make it a file of its own, or edit it by hand"
    )]
    HardLinked { path: String, links: u64 },
    #[error(
        "{path}: leads to {target}, outside the workspace; ferry writes only inside it, so nothing was written"
    )]
    OutsideWorkspace { path: String, target: String },
    #[error("{path}: cannot write: {source}; nothing was written")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: cannot write: {source}; the batch is written only in part — the next ferry run in this workspace finishes it (from .ferry/journal.json)"
    )]
    Partial {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Lock(#[from] crate::edit::lock::LockError),
    #[error("interrupted before the first file was replaced; nothing was written")]
    InterruptedBeforeWriting,
    #[error("interrupted while writing; the batch was finished first: wrote {}", .written.join(", "))]
    InterruptedAfterWriting { written: Vec<String> },
}

impl WriteError {
    pub fn io(path: &str) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
        move |source| WriteError::Io {
            path: path.to_string(),
            source,
        }
    }

    /// Whether a signal stopped the command (exit code 130, like a shell).
    pub fn is_interrupt(&self) -> bool {
        matches!(
            self,
            WriteError::InterruptedBeforeWriting | WriteError::InterruptedAfterWriting { .. }
        )
    }
}

/// What ferry read: the file's bytes, or that it did not exist.
pub fn unchanged_since_read(path: &Path, read: Option<&str>) -> bool {
    match (std::fs::read(path), read) {
        (Ok(bytes), Some(text)) => bytes == text.as_bytes(),
        (Err(e), None) => e.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// Where a file's new text goes, and what it has there now.
#[derive(Debug, Clone)]
pub struct Target {
    /// The real file: a link's target, or the path itself.
    pub real: PathBuf,
    /// Through a symbolic link: a removal empties the file instead, so the
    /// link keeps pointing at something.
    pub through_link: bool,
    /// The mode to keep; `None` for a file that does not exist yet.
    pub mode: Option<u32>,
}

/// Resolves `abs` (shown as `shown`) under the canonical workspace `root`
/// and checks that ferry may replace it.
pub fn target(root: &Path, abs: &Path, shown: &str) -> Result<Target, WriteError> {
    let outside = |real: &Path| WriteError::OutsideWorkspace {
        path: shown.to_string(),
        target: real.display().to_string(),
    };
    let (real, through_link) = match std::fs::symlink_metadata(abs) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let real = abs.canonicalize().map_err(WriteError::io(shown))?;
            (real, true)
        }
        Ok(_) => (abs.canonicalize().map_err(WriteError::io(shown))?, false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A new file: its nearest existing folder decides where it lands.
            let existing = abs
                .ancestors()
                .skip(1)
                .find(|dir| dir.exists())
                .unwrap_or(root);
            let real_dir = existing.canonicalize().map_err(WriteError::io(shown))?;
            let rest = abs.strip_prefix(existing).unwrap_or(abs);
            if rest
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                return Err(outside(abs));
            }
            (real_dir.join(rest), false)
        }
        Err(e) => return Err(WriteError::io(shown)(e)),
    };
    if !real.starts_with(root) {
        return Err(outside(&real));
    }
    let mode = match std::fs::metadata(&real) {
        Ok(meta) if !meta.is_file() => {
            return Err(WriteError::io(shown)(std::io::Error::other(
                "not a regular file",
            )));
        }
        Ok(meta) if meta.permissions().readonly() => {
            return Err(WriteError::ReadOnly {
                path: shown.to_string(),
            });
        }
        Ok(meta) if meta.nlink() > 1 => {
            return Err(WriteError::HardLinked {
                path: shown.to_string(),
                links: meta.nlink(),
            });
        }
        Ok(meta) => Some(meta.permissions().mode() & 0o7777),
        Err(_) => None,
    };
    Ok(Target {
        real,
        through_link,
        mode,
    })
}

/// Writes `bytes` to a new file at `temp` and flushes it to disk. A new
/// file gets the umask's mode (the kernel applies it to 0666); a rewritten
/// one keeps its own, set before any byte is written.
pub fn write_temporary(temp: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if mode.is_some() { 0o600 } else { 0o666 })
        .open(temp)?;
    if let Some(mode) = mode {
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the renames and removals in `dir` durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// The folders to create for `real`, outermost first.
pub fn missing_dirs(real: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = real
        .ancestors()
        .skip(1)
        .take_while(|dir| !dir.exists())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
}
