//! Atomic writes: a temporary file in the same directory, renamed over the
//! original, permissions kept; refused when the file changed since it was read.

use std::io::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "{path}: changed on disk since ferry read it; nothing was written — run the command again"
    )]
    Stale { path: String },
    #[error("{path}: read-only; nothing was written — make it writable (chmod u+w) and run again")]
    ReadOnly { path: String },
    #[error("{path}: cannot write: {source}; nothing was written")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// What ferry read: the file's bytes, or that it did not exist.
pub fn unchanged_since_read(path: &Path, read: Option<&str>) -> bool {
    match (std::fs::read(path), read) {
        (Ok(bytes), Some(text)) => bytes == text.as_bytes(),
        (Err(e), None) => e.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

pub fn check_writable(path: &Path, shown: &str) -> Result<(), WriteError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.permissions().readonly() => Err(WriteError::ReadOnly {
            path: shown.to_string(),
        }),
        _ => Ok(()),
    }
}

/// Writes `text` to `path` through a temporary sibling and a rename.
pub fn write_atomic(path: &Path, shown: &str, text: &str) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: shown.to_string(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut temp = tempfile::Builder::new()
        .prefix(".ferry-")
        .tempfile_in(dir)
        .map_err(io)?;
    temp.write_all(text.as_bytes()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    if let Some(permissions) = permissions {
        std::fs::set_permissions(temp.path(), permissions).map_err(io)?;
    }
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
