//! Knowing that a file is unchanged without reading it: its size, times,
//! inode and device (its stamp) as they were when its content was last
//! hashed, kept in the cache folder beside that hash.
//!
//! A write always sets a file's change time (ctime) to the filesystem's
//! clock, which user code cannot set back. So a file whose stamp is the one
//! recorded still holds the bytes hashed then, with one exception (git's
//! "racily clean" files): a write in the same clock tick as the recorded
//! change time leaves the stamp as it was. Each run therefore reads the
//! filesystem's clock before it reads any file, and trusts a stamp only
//! when its change time is earlier than the clock of the run that hashed
//! it; a file changed within that tick is hashed again on the next run.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cache::{ContentHash, seal, unseal, write_atomically};

const STAMPS_MAGIC: &[u8; 8] = b"FERRYST1";
const STAMPS_FILE: &str = "python-stamps.bin";

/// What `stat` says about a file, as far as telling a change goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
    device: u64,
}

impl Stamp {
    pub fn of(metadata: &std::fs::Metadata) -> Stamp {
        Stamp {
            size: metadata.size(),
            modified: (metadata.mtime(), metadata.mtime_nsec()),
            changed: (metadata.ctime(), metadata.ctime_nsec()),
            inode: metadata.ino(),
            device: metadata.dev(),
        }
    }
}

/// One file as last hashed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// Relative to the workspace root.
    pub file: String,
    pub stamp: Stamp,
    pub hash: ContentHash,
    /// Why Python refuses the file's bytes, as [`super::cache::ReadFile`] says.
    pub problem: Option<String>,
    /// The stamp's change time was earlier than the clock read before the
    /// file was: a later write cannot have left the stamp unchanged.
    pub settled: bool,
}

/// The recorded files, by path.
#[derive(Default)]
pub struct Stamps {
    by_file: HashMap<String, Recorded>,
}

impl Stamps {
    pub fn from_recorded(recorded: Vec<Recorded>) -> Stamps {
        Stamps {
            by_file: recorded
                .into_iter()
                .map(|entry| (entry.file.clone(), entry))
                .collect(),
        }
    }

    /// What was recorded for `file`, when its stamp is still `stamp` and
    /// settled.
    pub fn unchanged(&self, file: &str, stamp: &Stamp) -> Option<&Recorded> {
        self.by_file
            .get(file)
            .filter(|recorded| recorded.settled && recorded.stamp == *stamp)
    }

    pub fn len(&self) -> usize {
        self.by_file.len()
    }

    #[cfg(test)]
    pub fn by_file(&self, file: &str) -> Option<&Recorded> {
        self.by_file.get(file)
    }
}

/// The stamps recorded in the cache folder; none when missing or damaged.
pub fn load(dir: &Path) -> Stamps {
    let recorded = std::fs::read(dir.join(STAMPS_FILE))
        .ok()
        .and_then(|bytes| postcard::from_bytes(unseal(STAMPS_MAGIC, &bytes)?).ok());
    recorded.map(Stamps::from_recorded).unwrap_or_default()
}

pub fn store(dir: &Path, recorded: &[Recorded]) {
    // Stamps that cannot be written only cost the next run a read of each file.
    if let Ok(body) = postcard::to_allocvec(recorded) {
        let _ = write_atomically(dir, STAMPS_FILE, &seal(STAMPS_MAGIC, &body));
    }
}

/// The filesystem's clock now, as the times of a file created in `dir`
/// show it (the workspace's filesystem, with its own granularity).
pub fn filesystem_now(dir: &Path) -> Option<(i64, i64)> {
    let probe = tempfile::NamedTempFile::new_in(dir).ok()?;
    let metadata = probe.as_file().metadata().ok()?;
    Some((metadata.ctime(), metadata.ctime_nsec()))
}

/// Whether a file with `stamp`, hashed after the clock read `now`, has a
/// stamp no later write can leave as it is.
pub fn settled(stamp: &Stamp, now: (i64, i64)) -> bool {
    stamp.changed < now
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_same_size_edit_that_restores_the_modified_time_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("types.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        let before = Stamp::of(&std::fs::metadata(&path).unwrap());
        let now = filesystem_now(dir.path()).unwrap();
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "x = 2\n").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(modified).unwrap();
        let after = Stamp::of(&std::fs::metadata(&path).unwrap());
        assert_eq!((after.size, after.modified), (before.size, before.modified));
        // Either the change time moved on, or the first stamp was taken in
        // the tick the clock still showed, and is not trusted.
        assert!(after != before || !settled(&before, now));
    }

    #[test]
    fn only_a_stamp_changed_before_the_clock_was_read_is_settled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("types.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        let stamp = Stamp::of(&std::fs::metadata(&path).unwrap());
        assert!(!settled(&stamp, stamp.changed));
        assert!(settled(&stamp, (stamp.changed.0 + 1, 0)));
        // The clock read afterwards is never earlier than the change.
        assert!(filesystem_now(dir.path()).unwrap() >= stamp.changed);
        let recorded = |settled| Recorded {
            file: "types.py".into(),
            stamp,
            hash: [7; 32],
            problem: None,
            settled,
        };
        let stamps = Stamps::from_recorded(vec![recorded(false)]);
        assert!(stamps.unchanged("types.py", &stamp).is_none());
        let stamps = Stamps::from_recorded(vec![recorded(true)]);
        assert!(stamps.unchanged("types.py", &stamp).is_some());
        assert!(stamps.unchanged("other.py", &stamp).is_none());
    }
}
