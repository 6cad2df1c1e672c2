//! A real git repository holding a copy of the demo workspace, built with
//! the `git` command line, whose commits move fields through stages at
//! times the tests choose. Shared by tests/report_git.rs and
//! tests/report_chromium.rs. Under `CI=true` a missing git fails the test.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct GitDemo {
    pub dir: tempfile::TempDir,
    /// Where the workspace (ferry.toml) sits inside the repository.
    pub subdir: &'static str,
}

pub const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";
pub const PROGRESS: &str = "services/progress/graph/schema.graphqls";

/// Whether git can be run; under `CI=true` its absence fails the test.
pub fn git_available() -> bool {
    let found = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("git is required when CI=true (apt-get install git)");
        }
        eprintln!("notice: git is missing (apt-get install git); this test checks nothing here");
    }
    found
}

impl GitDemo {
    /// An empty repository with the demo copied to `subdir` (not yet
    /// committed).
    pub fn new(subdir: &'static str) -> GitDemo {
        let dir = tempfile::tempdir().unwrap();
        let demo = GitDemo { dir, subdir };
        copy_dir(
            &crate::common::repo().join("examples/classroom"),
            &demo.root(),
        );
        demo.git(&["init", "-q", "-b", "main"]);
        demo
    }

    pub fn repo_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The workspace root.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join(self.subdir)
    }

    /// Runs git in the repository, with no user or system configuration,
    /// every date at `time`; its stdout, trimmed.
    pub fn git_at(&self, time: &str, args: &[&str]) -> String {
        let output = Command::new("git")
            .args([
                "-c",
                "user.name=Ferry Test",
                "-c",
                "user.email=ferry@example.com",
            ])
            .args(args)
            .current_dir(self.repo_dir())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", time)
            .env("GIT_COMMITTER_DATE", time)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    }

    pub fn git(&self, args: &[&str]) -> String {
        self.git_at("2026-01-01T00:00:00Z", args)
    }

    /// Commits everything at `time`; the new commit's id.
    pub fn commit(&self, time: &str, message: &str) -> String {
        self.git_at(time, &["add", "-A"]);
        self.git_at(time, &["commit", "-q", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Replaces `from` (which must occur once) by `to` in the workspace
    /// file `rel`.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(from).count(), 1, "{from} in {rel}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }

    /// Sets the `@migrate` state of `field` (its line starts with `  field`)
    /// in the service file `rel`.
    pub fn set_state(&self, rel: &str, field: &str, state: &str) {
        let path = self.root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("  {field}")) && l.contains("@migrate("))
            .unwrap_or_else(|| panic!("no @migrate on {field} in {rel}"));
        let start = line.find("state: \"").unwrap() + "state: \"".len();
        let end = start + line[start..].find('"').unwrap();
        let moved = format!("{}{state}{}", &line[..start], &line[end..]);
        self.edit(rel, line, &moved);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "__pycache__" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The story the tests tell, oldest first. The demo's own schemas are the
/// last state: `Assignment.dueDate` goes manual → side-by-side → canary
/// (two commits on one day) → migrated (on a branch merged with `--no-ff`),
/// a README change in between touches no schema, and
/// `Query.progressForUser` goes side-by-side → migrated last.
pub struct Story {
    pub first: String,
    /// The day's last commit of the two on 2026-02-10.
    pub canary: String,
    /// The merge of the branch that took dueDate to migrated.
    pub merge: String,
    pub last: String,
}

pub const FIRST_TIME: &str = "2026-01-05T10:00:00Z";
pub const CANARY_TIME: &str = "2026-02-10T17:00:00Z";
pub const MERGE_TIME: &str = "2026-03-16T12:00:00Z";
pub const LAST_TIME: &str = "2026-04-02T08:30:00Z";

pub fn tell_story(demo: &GitDemo) -> Story {
    demo.set_state(ASSIGNMENTS, "dueDate", "manual");
    demo.set_state(PROGRESS, "progressForUser", "side-by-side");
    let first = demo.commit(
        FIRST_TIME,
        "assignments and progress take their first fields",
    );

    demo.set_state(ASSIGNMENTS, "dueDate", "side-by-side");
    demo.commit("2026-02-10T09:00:00Z", "dueDate side by side");
    demo.set_state(ASSIGNMENTS, "dueDate", "canary");
    let canary = demo.commit(CANARY_TIME, "dueDate on canary");

    demo.git_at(
        "2026-03-15T10:00:00Z",
        &["checkout", "-q", "-b", "due-date"],
    );
    demo.set_state(ASSIGNMENTS, "dueDate", "migrated");
    demo.commit("2026-03-15T10:00:00Z", "dueDate migrated");
    demo.git_at(MERGE_TIME, &["checkout", "-q", "main"]);
    std::fs::write(demo.root().join("NOTES.md"), "Not a schema.\n").unwrap();
    demo.commit("2026-03-16T09:00:00Z", "notes");
    demo.git_at(
        MERGE_TIME,
        &["merge", "-q", "--no-ff", "-m", "merge due-date", "due-date"],
    );
    let merge = demo.git(&["rev-parse", "HEAD"]);

    demo.set_state(PROGRESS, "progressForUser", "migrated");
    let last = demo.commit(LAST_TIME, "progressForUser migrated");
    Story {
        first,
        canary,
        merge,
        last,
    }
}
