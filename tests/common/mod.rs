//! A small harness: a copy of the demo workspace in a temporary directory,
//! and the real `ferry` binary run against it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

pub mod composition;

/// The migration ledger beside ferry.toml.
pub const LEDGER: &str = "migration-history.jsonl";

pub struct Workspace {
    pub dir: tempfile::TempDir,
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            // Not what running Python or the README's demo command left
            // in the source tree: bytecode, ferry's cache and lock.
            if entry.file_name() != "__pycache__" && entry.file_name() != ".ferry" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Workspace {
    /// A fresh copy of examples/classroom.
    pub fn demo() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("examples/classroom"), dir.path());
        Workspace { dir }
    }

    /// A fresh copy of tests/fixtures/NAME.
    pub fn fixture(name: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        Workspace { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap()
    }

    /// Every file's bytes, to prove what an edit did not touch. The ledger
    /// is left out: it is history, and a rollback adds to it rather than
    /// taking a line out (tests/ledger.rs reads it).
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.root().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_dir() {
                    // ferry's cache is not part of the workspace's content.
                    if entry.file_name() != ".ferry" {
                        stack.push(entry.path());
                    }
                } else {
                    let rel = entry
                        .path()
                        .strip_prefix(self.root())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    if rel != LEDGER {
                        out.insert(rel, std::fs::read(entry.path()).unwrap());
                    }
                }
            }
        }
        out
    }

    pub fn ferry(&self, args: &[&str]) -> Run {
        self.ferry_with_stdin(args, "")
    }

    pub fn ferry_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        // One way to run the binary: stdin aside, the same as `ferry_at`.
        let output = assert_cmd::Command::cargo_bin("ferry")
            .unwrap()
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env("NO_COLOR", "1")
            .write_stdin(stdin)
            .output()
            .unwrap();
        Run { output }
    }

    /// Gathers passing evidence for fields the way a team
    /// would from a gateway that compares them itself: `ferry compare
    /// --from-log` over records of `min_samples` (100) matches each,
    /// measured against the Go resolvers as they are now.
    pub fn clean_evidence(&self, fields: &[&str]) {
        let log = tempfile::NamedTempFile::new().unwrap();
        let records: String = fields
            .iter()
            .map(|f| {
                format!(
                    "{{\"time\": \"2025-03-01T09:00:00Z\", \"field\": \"{f}\", \"matches\": 100}}\n"
                )
            })
            .collect();
        std::fs::write(log.path(), records).unwrap();
        let mut args = vec!["compare", "--from-log", log.path().to_str().unwrap()];
        args.extend_from_slice(fields);
        self.ferry(&args).success();
    }

    /// Converts a file to CRLF line endings (and optionally a BOM).
    pub fn to_crlf(&self, rel: &str, bom: bool) {
        let text = self.read(rel).replace('\n', "\r\n");
        let text = if bom { format!("\u{feff}{text}") } else { text };
        self.write(rel, &text);
    }
}

/// Asserts two snapshots of a workspace hold the same bytes, showing the
/// first file that differs.
#[track_caller]
pub fn assert_same_files(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) {
    let names: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for name in names {
        let (a, b) = (before.get(name), after.get(name));
        if a != b {
            let show = |x: Option<&Vec<u8>>| {
                x.map(|v| String::from_utf8_lossy(v).into_owned())
                    .unwrap_or_else(|| "<missing>".into())
            };
            panic!(
                "{name} differs\n--- before ---\n{}\n--- after ---\n{}",
                show(a),
                show(b)
            );
        }
    }
}

/// The real binary against any workspace root.
pub fn ferry_at(root: &Path, args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("ferry")
        .unwrap()
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code(),
            0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    #[track_caller]
    pub fn fails_with(&self, code: i32, stderr_contains: &str) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        assert!(
            self.stderr().contains(stderr_contains),
            "stderr lacks {stderr_contains:?}:\n{}",
            self.stderr()
        );
        self
    }
}

/// The interpreter with the real GraphQL libraries: `$FERRY_PYTHON`, else
/// `.venv/bin/python`. `None` (with a notice) when missing outside CI;
/// under `CI=true` a missing interpreter fails the test.
pub fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("FERRY_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"));
    require(
        candidate.exists().then_some(candidate),
        "the Python virtualenv (run scripts/test)",
    )
}

/// `go` on PATH, under the same rule.
pub fn go() -> Option<PathBuf> {
    let found = std::process::Command::new("go")
        .arg("version")
        .output()
        .ok()
        .filter(|o| o.status.success());
    require(
        found.map(|_| PathBuf::from("go")),
        "Go (apt-get install golang-go, or run scripts/test)",
    )
}

fn require(found: Option<PathBuf>, what: &str) -> Option<PathBuf> {
    if found.is_none() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{what} is required when CI=true");
        }
        eprintln!("notice: {what} is missing; this test checks nothing here");
    }
    found
}

/// `Overrides` that point ferry at `ws`, for loading it in-process.
pub fn overrides(ws: &Workspace) -> ferry::workspace::Overrides {
    ferry::workspace::Overrides {
        root: Some(ws.root().to_path_buf()),
        ..Default::default()
    }
}

/// `status --json` of every field of `project`, as the command prints it.
pub fn status_json(project: &ferry::model::project::Project) -> String {
    ferry::render::json::render(&ferry::render::report::StatusReport::new(
        project,
        project.inventory.fields.iter().collect(),
    ))
}

/// The inventory's `monolith-invalid` anomalies, spelled out.
pub fn monolith_invalid(project: &ferry::model::project::Project) -> Vec<String> {
    project
        .inventory
        .anomalies
        .iter()
        .filter(|a| matches!(a, ferry::model::inventory::Anomaly::MonolithInvalid(_)))
        .map(|a| format!("{a:?}"))
        .collect()
}
