//! Two ferry runs on one workspace at once: each either writes its edit,
//! and the edit is there afterwards, or is refused; none is lost.

mod common;

use common::Workspace;
use std::io::Write;
use std::process::{Command, Stdio};

const PROGRESS: &str = "services/progress/graph/schema.graphqls";

fn mark(demo: &Workspace, field: &str) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("ferry"))
        .arg("--root")
        .arg(demo.root())
        .args(["mark", field, "--into", "progress"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn parallel_marks_of_one_schema_file_never_lose_an_edit() {
    let fields = [
        ("Progress.contentId", "contentId: String!"),
        ("Progress.user", "user: User"),
    ];
    let (mut wrote, mut refused) = (0, 0);
    for _ in 0..20 {
        let demo = Workspace::demo();
        let children: Vec<_> = fields.iter().map(|(f, _)| mark(&demo, f)).collect();
        let text_after = |demo: &Workspace| demo.read(PROGRESS);
        let outputs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let text = text_after(&demo);
        for ((field, line), output) in fields.iter().zip(&outputs) {
            let stderr = String::from_utf8_lossy(&output.stderr);
            if output.status.success() {
                wrote += 1;
                // progress is federation v2: what both subgraphs resolve is @shareable.
                let marked =
                    format!("{line} @shareable @migrate(from: \"python\", state: \"manual\")");
                assert!(
                    text.contains(&marked),
                    "{field} said it wrote, but:\n{text}"
                );
            } else {
                refused += 1;
                assert!(
                    stderr.contains("another ferry run (pid "),
                    "{field}: {stderr}"
                );
                assert!(stderr.contains("nothing was written"), "{stderr}");
            }
        }
    }
    // The second run waits for the first; refusals are for slow machines.
    assert!(wrote > 0, "wrote {wrote}, refused {refused}");
}

#[test]
fn a_run_that_cannot_get_the_lock_names_the_holder_and_writes_nothing() {
    let demo = Workspace::demo();
    std::fs::create_dir(demo.path(".ferry")).unwrap();
    let mut lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(demo.path(".ferry/lock"))
        .unwrap();
    lock.lock().unwrap();
    writeln!(lock, "{}", std::process::id()).unwrap();
    let before = demo.files();
    demo.ferry(&["mark", "Progress.contentId", "--into", "progress"])
        .fails_with(
            2,
            &format!(
                "another ferry run (pid {}) is editing this workspace",
                std::process::id()
            ),
        );
    assert_eq!(demo.files(), before);
    // Reading is never blocked.
    demo.ferry(&["status"]).success();
    drop(lock);
    demo.ferry(&["mark", "Progress.contentId", "--into", "progress"])
        .success();
}
