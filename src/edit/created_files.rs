//! `.ferry/created`: the files ferry created (a `new_fields` schema `mark`
//! started), so that a rollback emptying one removes it only when ferry
//! made it. A file the user had, even an empty one, is kept as it was.
//!
//! The list is local state: in a fresh clone it is empty, and a rollback
//! then leaves an emptied file in place rather than guess.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

const CREATED_FILE: &str = "created";

fn read(state_dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(state_dir.join(CREATED_FILE))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Whether ferry created the workspace file `rel` (and has not removed it since).
pub fn was_created(root: &Path, rel: &str) -> bool {
    let state_dir = root.join(crate::workspace::ferry_dir::FERRY_DIR);
    crate::workspace::ferry_dir::is_real_dir(&state_dir) && read(&state_dir).contains(rel)
}

/// Notes the files a batch created and forgets those it removed. Called
/// under the workspace lock; losing the note only makes a later rollback
/// keep an empty file.
pub fn note(state_dir: &Path, created: &[&str], removed: &[&str]) {
    if created.is_empty() && removed.is_empty() {
        return;
    }
    let mut files = read(state_dir);
    files.extend(created.iter().map(|s| s.to_string()));
    for rel in removed {
        files.remove(*rel);
    }
    let temp = state_dir.join(format!(".created-{}", std::process::id()));
    let text: String = files.iter().map(|f| format!("{f}\n")).collect();
    let _ = std::fs::remove_file(&temp);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .and_then(|()| std::fs::rename(&temp, state_dir.join(CREATED_FILE)));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}
