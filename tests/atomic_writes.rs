//! The write layer: a file changed on disk after ferry read it is refused
//! and nothing is written; permissions survive a write.

use ferry::edit::change_set::ChangeSet;
use ferry::workspace::WorkspacePath;
use std::os::unix::fs::PermissionsExt;

#[test]
fn a_file_changed_since_it_was_read_is_not_overwritten_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let a = WorkspacePath::new(dir.path(), dir.path().join("a.graphqls"));
    let b = WorkspacePath::new(dir.path(), dir.path().join("b.graphqls"));
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
    let error = changes.write().unwrap_err().to_string();
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
    let a = WorkspacePath::new(dir.path(), dir.path().join("a.graphqls"));
    std::fs::write(&a.abs, "type A { x: Int }\n").unwrap();
    std::fs::set_permissions(&a.abs, std::fs::Permissions::from_mode(0o640)).unwrap();
    let mut changes = ChangeSet::default();
    changes.record(
        &a,
        Some("type A { x: Int }\n"),
        Some("type A { y: Int }\n".into()),
    );
    assert_eq!(changes.write().unwrap(), vec!["a.graphqls".to_string()]);
    assert_eq!(
        std::fs::read_to_string(&a.abs).unwrap(),
        "type A { y: Int }\n"
    );
    let mode = std::fs::metadata(&a.abs).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
