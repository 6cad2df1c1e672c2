//! A workspace set up to make ferry lose an edit, write outside it, or say
//! something untrue: each test is one way a hostile user tried.

mod common;

use common::{Workspace, assert_same_files};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";
const PROGRESS: &str = "services/progress/graph/schema.graphqls";

fn set_new_fields(demo: &Workspace, service: &str, new_fields: &str) {
    let gqlgen = format!("gqlgen = \"services/{service}/gqlgen.yml\"\n");
    let toml = demo
        .read("ferry.toml")
        .replace(&gqlgen, &format!("{gqlgen}new_fields = \"{new_fields}\"\n"));
    demo.write("ferry.toml", &toml);
}

/// A folder nothing can be created in, not even by root (which ignores
/// permission bits): immutable while the guard lives.
struct ReadOnlyDir<'p>(&'p Path);

impl<'p> ReadOnlyDir<'p> {
    fn new(dir: &'p Path) -> ReadOnlyDir<'p> {
        let as_root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout == b"0\n");
        if as_root {
            let status = std::process::Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status()
                .expect("chattr (e2fsprogs) makes a folder read-only for root");
            assert!(status.success(), "chattr +i {}", dir.display());
        } else {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        ReadOnlyDir(dir)
    }
}

impl Drop for ReadOnlyDir<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(self.0)
            .status();
        let _ = std::fs::set_permissions(self.0, std::fs::Permissions::from_mode(0o755));
    }
}

/// Files whose name ferry gives its temporary files.
fn temporaries(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else if name.starts_with(".ferry-") {
                found.push(entry.path().display().to_string());
            }
        }
    }
    found
}

// 2. A batch over two services with one folder read-only: nothing written,
// and the message says so truthfully.
#[test]
fn a_batch_with_one_unwritable_service_writes_nothing() {
    let demo = Workspace::demo();
    let before = demo.files();
    let progress_dir = demo.path("services/progress/graph");
    let guard = ReadOnlyDir::new(&progress_dir);
    let run = demo.ferry(&[
        "advance",
        "Assignment.createdDate",
        "Progress.pointsEarned",
        "--force",
    ]);
    drop(guard);
    run.fails_with(2, "nothing was written");
    assert_same_files(&before, &demo.files());
    assert_eq!(temporaries(demo.root()), Vec::<String>::new());
    // The same command then works, once.
    demo.ferry(&[
        "advance",
        "Assignment.createdDate",
        "Progress.pointsEarned",
        "--force",
    ])
    .success();
    assert!(demo.read(PROGRESS).contains("state: \"side-by-side\""));
}

// 2. A read-only file in the batch stops it before anything is written.
#[test]
fn a_read_only_schema_file_stops_the_batch() {
    let demo = Workspace::demo();
    let before = demo.files();
    std::fs::set_permissions(demo.path(PROGRESS), std::fs::Permissions::from_mode(0o444)).unwrap();
    demo.ferry(&[
        "advance",
        "Assignment.createdDate",
        "Progress.pointsEarned",
        "--force",
    ])
    .fails_with(
        2,
        "services/progress/graph/schema.graphqls: read-only; nothing was written",
    );
    assert_eq!(demo.files(), before);
}

// 4. A shipped cache whose memo names a file outside the workspace, with
// its checksum recomputed: discarded, never quoted.
#[test]
fn a_crafted_cache_cannot_make_ferry_quote_files_outside_the_workspace() {
    let demo = Workspace::demo();
    demo.ferry(&["mark", "Assignment.stats", "--into", "assignments"])
        .success();
    let honest = demo.ferry(&["gen", "go", "Assignment.stats", "--stdout"]);
    honest.success();
    let memo_path = demo.path(".ferry/cache/python-index.bin");
    let memo = std::fs::read(&memo_path).unwrap();
    let real = b"webapp/assignments/types.py";
    // As long as the real name, so the rest of the memo still decodes.
    let fake = format!("/{}etc/passwd", "./".repeat((real.len() - 11) / 2));
    assert_eq!(fake.len(), real.len());
    let fake = fake.as_bytes();
    let body = &memo[8 + 32..];
    let mut crafted_body = Vec::new();
    let mut at = 0;
    while let Some(found) = body[at..].windows(real.len()).position(|w| w == real) {
        crafted_body.extend_from_slice(&body[at..at + found]);
        crafted_body.extend_from_slice(fake);
        at += found + real.len();
    }
    crafted_body.extend_from_slice(&body[at..]);
    assert_ne!(crafted_body, body, "the memo names the resolver's file");
    let mut crafted = memo[..8].to_vec();
    crafted.extend_from_slice(blake3::hash(&crafted_body).as_bytes());
    crafted.extend_from_slice(&crafted_body);
    std::fs::write(&memo_path, crafted).unwrap();

    let quoted = demo.ferry(&["gen", "go", "Assignment.stats", "--stdout"]);
    quoted.success();
    assert!(!quoted.stdout().contains("root:"), "{}", quoted.stdout());
    assert_eq!(quoted.stdout(), honest.stdout());
    let shown = demo.ferry(&["show", "Assignment.stats"]);
    assert!(!shown.stdout().contains("etc/passwd"), "{}", shown.stdout());
    assert!(shown.stdout().contains("webapp/assignments/types.py"));
}

// 4. Flipped bytes in the cache are a miss, not a different answer.
#[test]
fn flipped_bytes_in_the_cache_change_nothing_shown() {
    let demo = Workspace::demo();
    let honest = demo.ferry(&["status", "--json"]);
    honest.success();
    for name in std::fs::read_dir(demo.path(".ferry/cache")).unwrap() {
        let path = name.unwrap().path();
        let mut bytes = std::fs::read(&path).unwrap();
        for i in (60..bytes.len()).step_by(97) {
            bytes[i] ^= 0x5a;
        }
        std::fs::write(&path, bytes).unwrap();
    }
    assert_eq!(demo.ferry(&["status", "--json"]).stdout(), honest.stdout());
}

// 5. `new_fields` outside the workspace, by absolute path or by `..`.
#[test]
fn new_fields_outside_the_workspace_is_refused_with_the_key_and_path() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("x.graphqls");
    for path in [
        target.display().to_string(),
        "../../outside/x.graphqls".to_string(),
    ] {
        let demo = Workspace::demo();
        set_new_fields(&demo, "progress", &path);
        let before = demo.files();
        let run = demo.ferry(&["mark", "Progress.contentId", "--into", "progress"]);
        run.fails_with(2, "ferry.toml service `progress` new_fields");
        assert!(
            run.stderr().contains("outside the workspace"),
            "{}",
            run.stderr()
        );
        assert_same_files(&before, &demo.files());
    }
    assert!(!target.exists());
}

// 5. A new_fields file the schema globs do not read.
#[test]
fn new_fields_the_service_never_reads_is_refused() {
    let demo = Workspace::demo();
    set_new_fields(
        &demo,
        "progress",
        "services/progress/elsewhere/new.graphqls",
    );
    demo.ferry(&["mark", "Progress.contentId", "--into", "progress"])
        .fails_with(2, "is not one of the service's schema files");
    assert!(!demo.path("services/progress/elsewhere").exists());
}

// 5. gqlgen.yml naming a schema outside the workspace.
#[test]
fn a_gqlgen_schema_outside_the_workspace_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.graphqls"), "type Query { x: Int }\n").unwrap();
    let demo = Workspace::demo();
    let yml = "services/progress/gqlgen.yml";
    let text = demo.read(yml).replace(
        "  - graph/*.graphqls",
        &format!(
            "  - graph/*.graphqls\n  - {}/x.graphqls",
            outside.path().display()
        ),
    );
    demo.write(yml, &text);
    demo.ferry(&["status"]).fails_with(
        2,
        "services/progress/gqlgen.yml `schema` (service `progress`)",
    );
}

// 6. A schema file that is a link is written through to its target.
#[test]
fn a_linked_schema_is_written_through_and_stays_a_link() {
    let demo = Workspace::demo();
    std::fs::rename(demo.path(PROGRESS), demo.path("progress-schema.graphqls")).unwrap();
    std::os::unix::fs::symlink("../../../progress-schema.graphqls", demo.path(PROGRESS)).unwrap();
    demo.ferry(&["mark", "Progress.contentId", "--into", "progress"])
        .success();
    let meta = std::fs::symlink_metadata(demo.path(PROGRESS)).unwrap();
    assert!(meta.file_type().is_symlink());
    assert!(demo.read("progress-schema.graphqls").contains("contentId"));
}

// 6. A linked schema whose target is outside the workspace is refused.
#[test]
fn a_schema_linked_outside_the_workspace_is_not_written() {
    let outside = tempfile::tempdir().unwrap();
    let demo = Workspace::demo();
    let target = outside.path().join("schema.graphqls");
    std::fs::rename(demo.path(PROGRESS), &target).unwrap();
    std::os::unix::fs::symlink(&target, demo.path(PROGRESS)).unwrap();
    let before = std::fs::read(&target).unwrap();
    demo.ferry(&["mark", "Progress.contentId", "--into", "progress"])
        .fails_with(2, "outside the workspace");
    assert_eq!(std::fs::read(&target).unwrap(), before);
}

// 6. A hard-linked schema is never split.
#[test]
fn a_hard_linked_schema_is_refused_saying_why() {
    let demo = Workspace::demo();
    std::fs::hard_link(demo.path(PROGRESS), demo.path("progress-copy.graphqls")).unwrap();
    let before = demo.files();
    demo.ferry(&["mark", "Progress.contentId", "--into", "progress"])
        .fails_with(2, "has 2 hard links");
    assert_same_files(&before, &demo.files());
}

// 6. Links inside .ferry/ are never followed.
#[test]
fn links_in_dot_ferry_lead_nowhere() {
    let outside = tempfile::tempdir().unwrap();
    let demo = Workspace::demo();
    std::fs::create_dir(demo.path(".ferry")).unwrap();
    let ignored = outside.path().join("gitignore");
    std::os::unix::fs::symlink(&ignored, demo.path(".ferry/.gitignore")).unwrap();
    std::fs::write(outside.path().join("python-facts-0000.bin"), "keep").unwrap();
    std::os::unix::fs::symlink(outside.path(), demo.path(".ferry/cache")).unwrap();
    demo.ferry(&["status"]).success();
    demo.ferry(&["mark", "Progress.contentId", "--into", "progress"])
        .success();
    let mut outside_files: Vec<String> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    outside_files.sort();
    assert_eq!(outside_files, vec!["python-facts-0000.bin"]);
}

// 7. New files follow the umask; a rewritten file keeps its mode.
#[test]
fn new_files_follow_the_umask_and_old_ones_keep_their_mode() {
    let demo = Workspace::demo();
    let created = "services/assignments/graph/migrated.graphqls";
    set_new_fields(&demo, "assignments", created);
    std::fs::set_permissions(
        demo.path(ASSIGNMENTS),
        std::fs::Permissions::from_mode(0o604),
    )
    .unwrap();
    let ferry = assert_cmd::cargo::cargo_bin("ferry");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 027 && \"$0\" --root \"$1\" mark Classroom.name --into assignments && \"$0\" --root \"$1\" advance Assignment.createdDate --force")
        .arg(&ferry)
        .arg(demo.root())
        .status()
        .unwrap();
    assert!(status.success());
    let mode = |rel: &str| {
        std::fs::metadata(demo.path(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(created), 0o640);
    assert_eq!(mode(ASSIGNMENTS), 0o604);
}

// 8. An empty new_fields file the user had is still there after rollback.
#[test]
fn rollback_keeps_an_empty_new_fields_file_that_existed_before() {
    let demo = Workspace::demo();
    let existing = "services/assignments/graph/migrated.graphqls";
    set_new_fields(&demo, "assignments", existing);
    demo.write(existing, "");
    let before = demo.files();
    demo.ferry(&["mark", "Classroom.name", "--into", "assignments"])
        .success();
    assert!(demo.read(existing).contains("name: String!"));
    demo.ferry(&["rollback", "Classroom.name"]).success();
    assert_same_files(&before, &demo.files());
}

// 9. A lone carriage return ends a line for Python; ferry counts it too.
#[test]
fn python_line_numbers_count_a_lone_carriage_return() {
    let demo = Workspace::demo();
    let types = "webapp/assignments/types.py";
    let text = demo.read(types).replacen(
        "    def resolve_stats(parent, info):",
        "    # one\r    # two\r    def resolve_stats(parent, info):",
        1,
    );
    demo.write(types, &text);
    let status = demo.ferry(&["status", "Assignment.stats"]);
    // Line 50 before, and Python's ast says 52 now.
    assert!(
        status.stdout().contains("webapp/assignments/types.py:52"),
        "{}",
        status.stdout()
    );
}

// 10. Selectors on stdin: invalid UTF-8 is an error, a BOM is dropped.
#[test]
fn stdin_selectors_must_be_utf8_and_may_start_with_a_bom() {
    let demo = Workspace::demo();
    let before = demo.files();
    let output = assert_cmd::Command::cargo_bin("ferry")
        .unwrap()
        .arg("--root")
        .arg(demo.root())
        .args(["mark", "-", "--into", "progress"])
        .write_stdin(b"Progress.contentId\n\xff\xfe\n".to_vec())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 2: not valid UTF-8"), "{stderr}");
    assert_same_files(&before, &demo.files());
    demo.ferry_with_stdin(
        &["mark", "-", "--into", "progress"],
        "\u{feff}Progress.contentId\n",
    )
    .success();
    assert!(demo.read(PROGRESS).contains("contentId"));
}

// 11. One megabyte-long bad line makes a short message.
#[test]
fn a_huge_bad_line_makes_a_short_message() {
    let demo = Workspace::demo();
    let text = format!(
        "{}\ntype Huge {{ f: {} @@ }}\n",
        demo.read(ASSIGNMENTS),
        "x".repeat(1 << 20)
    );
    demo.write(ASSIGNMENTS, &text);
    let run = demo.ferry(&["status"]);
    run.fails_with(2, "services/assignments/graph/schema.graphqls:");
    assert!(
        run.stderr().len() < 8 * 1024,
        "{} bytes",
        run.stderr().len()
    );
    let demo = Workspace::demo();
    let deep = format!(
        "{}\ntype Deep {{ f(a: {} ) }}\n",
        demo.read(PROGRESS),
        "[".repeat(100_000)
    );
    demo.write(PROGRESS, &deep);
    let run = demo.ferry(&["status"]);
    run.fails_with(2, "recursion limit");
    assert!(
        run.stderr().len() < 8 * 1024,
        "{} bytes",
        run.stderr().len()
    );
}
