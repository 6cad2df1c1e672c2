//! The write layer: a file changed on disk after ferry read it is refused
//! and nothing is written; modes survive a write, new files follow the
//! umask, links are written through or refused; a batch is all or nothing.

use ferry::edit::change_set::ChangeSet;
use ferry::edit::lock::WorkspaceLock;
use ferry::workspace::WorkspacePath;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn path(dir: &Path, rel: &str) -> WorkspacePath {
    let root = dir.canonicalize().unwrap();
    WorkspacePath::new(&root, root.join(rel))
}

/// The names in a folder, `.ferry` aside.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".ferry")
        .collect();
    names.sort();
    names
}

#[test]
fn a_file_changed_since_it_was_read_is_not_overwritten_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let a = path(dir.path(), "a.graphqls");
    let b = path(dir.path(), "b.graphqls");
    std::fs::write(&a.abs, "type A { x: Int }\n").unwrap();
    std::fs::write(&b.abs, "type B { y: Int }\n").unwrap();
    let mut changes = ChangeSet::default();
    changes.record(
        &a,
        Some("type A { x: Int }\n"),
        Some("type A { x: Int z: Int }\n".into()),
    );
    changes.record(
        &b,
        Some("type B { y: Int }\n"),
        Some("type B { y: Int w: Int }\n".into()),
    );
    // Someone edits b after ferry read it.
    std::fs::write(&b.abs, "type B { y: Int }\n# edited\n").unwrap();
    let error = changes.write_locked(dir.path()).unwrap_err().to_string();
    assert!(
        error.contains("b.graphqls: changed on disk since ferry read it"),
        "{error}"
    );
    assert_eq!(
        std::fs::read_to_string(&a.abs).unwrap(),
        "type A { x: Int }\n"
    );
    assert_eq!(
        std::fs::read_to_string(&b.abs).unwrap(),
        "type B { y: Int }\n# edited\n"
    );
}

#[test]
fn writes_keep_permissions_and_leave_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = path(dir.path(), "a.graphqls");
    std::fs::write(&a.abs, "type A { x: Int }\n").unwrap();
    std::fs::set_permissions(&a.abs, std::fs::Permissions::from_mode(0o640)).unwrap();
    let mut changes = ChangeSet::default();
    changes.record(
        &a,
        Some("type A { x: Int }\n"),
        Some("type A { y: Int }\n".into()),
    );
    assert_eq!(
        changes.write_locked(dir.path()).unwrap(),
        vec!["a.graphqls".to_string()]
    );
    assert_eq!(
        std::fs::read_to_string(&a.abs).unwrap(),
        "type A { y: Int }\n"
    );
    let mode = std::fs::metadata(&a.abs).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(names(dir.path()), vec!["a.graphqls"]);
    // The journal is gone once the batch is written.
    assert!(!dir.path().join(".ferry/journal.json").exists());
}

#[test]
fn one_file_that_cannot_be_written_stops_the_whole_batch() {
    let dir = tempfile::tempdir().unwrap();
    let a = path(dir.path(), "a.graphqls");
    let b = path(dir.path(), "b.graphqls");
    std::fs::write(&a.abs, "type A { x: Int }\n").unwrap();
    std::fs::write(&b.abs, "type B { y: Int }\n").unwrap();
    std::fs::hard_link(&b.abs, dir.path().join("b-copy.graphqls")).unwrap();
    let mut changes = ChangeSet::default();
    changes.record(
        &a,
        Some("type A { x: Int }\n"),
        Some("type A { z: Int }\n".into()),
    );
    changes.record(
        &b,
        Some("type B { y: Int }\n"),
        Some("type B { w: Int }\n".into()),
    );
    let error = changes.write_locked(dir.path()).unwrap_err().to_string();
    assert!(error.contains("b.graphqls: has 2 hard links"), "{error}");
    assert!(error.contains("nothing was written"), "{error}");
    assert_eq!(
        std::fs::read_to_string(&a.abs).unwrap(),
        "type A { x: Int }\n"
    );
    assert_eq!(
        names(dir.path()),
        vec!["a.graphqls", "b-copy.graphqls", "b.graphqls"]
    );
}

#[test]
fn a_link_inside_the_workspace_is_written_through_and_one_outside_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(
        dir.path().join("shared/real.graphqls"),
        "type A { x: Int }\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("shared/real.graphqls", dir.path().join("a.graphqls")).unwrap();
    let a = path(dir.path(), "a.graphqls");
    let mut changes = ChangeSet::default();
    changes.record(
        &a,
        Some("type A { x: Int }\n"),
        Some("type A { y: Int }\n".into()),
    );
    changes.write_locked(dir.path()).unwrap();
    assert!(
        std::fs::symlink_metadata(&a.abs)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("shared/real.graphqls")).unwrap(),
        "type A { y: Int }\n"
    );

    std::fs::write(outside.path().join("o.graphqls"), "type O { x: Int }\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("o.graphqls"),
        dir.path().join("o.graphqls"),
    )
    .unwrap();
    let o = path(dir.path(), "o.graphqls");
    let mut changes = ChangeSet::default();
    changes.record(
        &o,
        Some("type O { x: Int }\n"),
        Some("type O { y: Int }\n".into()),
    );
    let error = changes.write_locked(dir.path()).unwrap_err().to_string();
    assert!(error.contains("o.graphqls: leads to"), "{error}");
    assert!(error.contains("outside the workspace"), "{error}");
    assert_eq!(
        std::fs::read_to_string(outside.path().join("o.graphqls")).unwrap(),
        "type O { x: Int }\n"
    );
}

#[test]
fn an_append_is_part_of_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = path(dir.path(), "ledger.jsonl");
    let a = path(dir.path(), "a.graphqls");
    std::fs::write(&ledger.abs, "{\"n\":1}\n").unwrap();
    std::fs::write(&a.abs, "type A { x: Int }\n").unwrap();
    let mut changes = ChangeSet::default();
    changes.record(
        &a,
        Some("type A { x: Int }\n"),
        Some("type A { y: Int }\n".into()),
    );
    changes.append(&ledger, Some("{\"n\":1}\n"), "{\"n\":2}\n");
    changes.append(&ledger, Some("{\"n\":1}\n"), "{\"n\":3}\n");
    changes.write_locked(dir.path()).unwrap();
    assert_eq!(
        std::fs::read_to_string(&ledger.abs).unwrap(),
        "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n"
    );
    // Undo takes the log back too.
    changes.inverse().write_locked(dir.path()).unwrap();
    assert_eq!(std::fs::read_to_string(&ledger.abs).unwrap(), "{\"n\":1}\n");
}

/// A journal as an interrupted run leaves it: `phase`, and for each file
/// its temporary file (holding `new`) beside it.
fn interrupted_batch(root: &Path, phase: &str, files: &[(&str, &str, &str)]) {
    let hash = |t: &str| blake3::hash(t.as_bytes()).to_hex().to_string();
    let entries: Vec<serde_json::Value> = files
        .iter()
        .enumerate()
        .map(|(i, (rel, old, new))| {
            let temp = format!(".ferry-test-{i}");
            std::fs::write(root.join(rel).parent().unwrap().join(&temp), new).unwrap();
            serde_json::json!({
                "shown": rel, "target": rel, "temp": temp,
                "before": hash(old), "after": hash(new),
            })
        })
        .collect();
    let journal = serde_json::json!({
        "format": 1, "pid": 4242, "phase": phase, "entries": entries, "created_dirs": [],
    });
    std::fs::create_dir_all(root.join(".ferry")).unwrap();
    std::fs::write(root.join(".ferry/journal.json"), journal.to_string()).unwrap();
}

#[test]
fn the_next_run_finishes_a_batch_killed_while_it_replaced_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.graphqls"), "new a").unwrap(); // already renamed
    std::fs::write(root.join("b.graphqls"), "old b").unwrap();
    std::fs::write(root.join("c.graphqls"), "edited c").unwrap(); // changed since
    interrupted_batch(
        root,
        "replacing",
        &[
            ("a.graphqls", "old a", "new a"),
            ("b.graphqls", "old b", "new b"),
            ("c.graphqls", "old c", "new c"),
        ],
    );
    std::fs::remove_file(root.join(".ferry-test-0")).unwrap();
    let mut lock = WorkspaceLock::acquire(root).unwrap();
    let note = lock.take_recovered().unwrap();
    assert!(note.contains("pid 4242"), "{note}");
    assert!(
        note.contains("finished its batch (a.graphqls, b.graphqls)"),
        "{note}"
    );
    assert!(
        note.contains("left as they are: c.graphqls (changed since)"),
        "{note}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("b.graphqls")).unwrap(),
        "new b"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("c.graphqls")).unwrap(),
        "edited c"
    );
    assert_eq!(names(root), vec!["a.graphqls", "b.graphqls", "c.graphqls"]);
    assert!(!root.join(".ferry/journal.json").exists());
}

#[test]
fn the_next_run_undoes_a_batch_killed_before_it_replaced_anything() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.graphqls"), "old a").unwrap();
    interrupted_batch(root, "preparing", &[("a.graphqls", "old a", "new a")]);
    let note = WorkspaceLock::acquire(root)
        .unwrap()
        .take_recovered()
        .unwrap();
    assert!(note.contains("nothing of its batch was written"), "{note}");
    assert_eq!(
        std::fs::read_to_string(root.join("a.graphqls")).unwrap(),
        "old a"
    );
    assert_eq!(names(root), vec!["a.graphqls"]);
}

#[test]
fn a_journal_naming_files_outside_the_workspace_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("victim"), "keep").unwrap();
    let victim = outside.path().join("victim").display().to_string();
    let escape = format!(
        "../{}/victim",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    let hash = blake3::hash(b"keep").to_hex().to_string();
    let entries: Vec<serde_json::Value> = [victim, escape]
        .iter()
        .map(|target| {
            serde_json::json!({
                "shown": target, "target": target, "temp": null, "before": hash, "after": null,
            })
        })
        .collect();
    std::fs::create_dir(dir.path().join(".ferry")).unwrap();
    std::fs::write(
        dir.path().join(".ferry/journal.json"),
        serde_json::json!({"format": 1, "pid": 1, "phase": "replacing", "entries": entries, "created_dirs": []}).to_string(),
    )
    .unwrap();
    let note = WorkspaceLock::acquire(dir.path())
        .unwrap()
        .take_recovered()
        .unwrap();
    assert!(note.contains("a path outside the workspace"), "{note}");
    assert_eq!(
        std::fs::read_to_string(outside.path().join("victim")).unwrap(),
        "keep"
    );
}
