//! `.ferry/`: ferry's own state beside the workspace (the lock, the journal
//! of a batch being written, the index cache). A repository can ship any of
//! it, so nothing there is followed through a symbolic link.

use std::io::Write;
use std::path::{Path, PathBuf};

pub const FERRY_DIR: &str = ".ferry";

/// A real directory, not a link to one (and not a file).
pub fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir())
}

/// Missing, or a real directory: what ferry may create or use.
fn usable(path: &Path) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.is_dir(),
        Err(error) => error.kind() == std::io::ErrorKind::NotFound,
    }
}

/// `root/.ferry/cache`, unless `.ferry` or `cache` is a link or a file:
/// then there is no cache, rather than one written somewhere else.
pub fn cache_dir(root: &Path) -> Option<PathBuf> {
    let ferry = root.join(FERRY_DIR);
    let cache = ferry.join("cache");
    (usable(&ferry) && usable(&cache)).then_some(cache)
}

/// `root/.ferry`, created (with its `.gitignore`) when missing; an error
/// when it is a link or a file.
pub fn state_dir(root: &Path) -> std::io::Result<PathBuf> {
    let dir = root.join(FERRY_DIR);
    match std::fs::create_dir(&dir) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error),
    }
    if !is_real_dir(&dir) {
        return Err(std::io::Error::other(format!(
            "{FERRY_DIR} is not a directory of this workspace (a link or a file); remove it and run again"
        )));
    }
    write_gitignore(&dir)?;
    Ok(dir)
}

/// `.ferry/.gitignore` holding `*`, so ferry's state is never committed.
/// Created only when nothing is there: an existing entry, even a dangling
/// link, is left alone and never written through.
pub fn write_gitignore(ferry_dir: &Path) -> std::io::Result<()> {
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(ferry_dir.join(".gitignore"));
    match created {
        Ok(mut file) => file.write_all(b"*\n"),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_ferry_dir_are_never_followed() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let ferry = root.path().join(FERRY_DIR);
        std::fs::create_dir(&ferry).unwrap();
        // A dangling .gitignore link: creating it must not create its target.
        let target = outside.path().join("ignored");
        std::os::unix::fs::symlink(&target, ferry.join(".gitignore")).unwrap();
        std::os::unix::fs::symlink(outside.path(), ferry.join("cache")).unwrap();
        assert_eq!(state_dir(root.path()).unwrap(), ferry);
        assert!(!target.exists());
        assert_eq!(cache_dir(root.path()), None);
    }

    #[test]
    fn a_linked_ferry_dir_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join(FERRY_DIR)).unwrap();
        assert!(state_dir(root.path()).is_err());
        assert_eq!(cache_dir(root.path()), None);
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}
