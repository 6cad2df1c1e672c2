//! The servers `ferry compare`'s tests replay against, on loopback: the
//! demo's graphene monolith over HTTP, and strawberry federation subgraphs
//! standing in for the Go services (tests/support/compare/). The
//! assignments stand-in writes `dueDate` with `+00:00` where the monolith
//! writes `Z`; both sides' `Progress.pointsEarned` change on every request.
#![allow(dead_code)]

use crate::common::{self, Workspace, python};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A test server, stopped when dropped.
pub struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    pub fn start(python: &Path, script: &str, args: &[&str], log: PathBuf) -> Server {
        let support = common::repo().join("tests/support/compare");
        let mut child = Command::new(python)
            .arg(support.join(script))
            .args(args)
            .arg(&log)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the test server starts");
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first_line)
            .unwrap();
        let Ok(port) = first_line.trim().parse() else {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "{script} did not start:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        Server { child, port, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// Every request the server received, in order.
    pub fn requests(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo workspace with five fields at side-by-side, an operations
/// corpus, and the three servers running.
pub struct Demo {
    pub ws: Workspace,
    pub monolith: Server,
    pub assignments: Server,
    pub progress: Server,
    _logs: tempfile::TempDir,
}

pub const OPERATIONS: &[(&str, &str)] = &[
    (
        "ops/assignment_page.graphql",
        "query AssignmentPage($id: ID!) {\n  assignment(id: $id) { id title createdDate }\n}\n",
    ),
    ("ops/assignment_page.json", "{\"id\": \"asg_1\"}\n"),
    (
        "ops/classroom.graphql",
        "query ClassroomAssignments {\n  classroom(id: \"class_algebra\") { name assignments { title dueDate createdDate } }\n}\n",
    ),
    (
        "ops/traffic.jsonl",
        concat!(
            "{\"query\": \"query Progress($kaid: ID!) { progressForUser(kaid: $kaid) { id pointsEarned status } }\", \"variables\": {\"kaid\": \"kaid_student_1\"}, \"operationName\": \"Progress\", \"count\": 40}\n",
            "{\"query\": \"mutation Create($input: CreateAssignmentInput!) { createAssignment(input: $input) { assignment { id title } errors } }\", \"variables\": {\"input\": {\"classroomId\": \"class_algebra\", \"title\": \"New\", \"contentIds\": [\"x1\"]}}, \"operationName\": \"Create\", \"count\": 3}\n",
            "{\"query\": \"subscription { progressUpdated(kaid: \\\"kaid_student_1\\\") { pointsEarned } }\"}\n",
            "{\"query\": \"{ assignment(id: \\\"asg_1\\\") { titel } }\"}\n",
            "{\"query\": \"{ me { nickname } }\", \"count\": 12}\n",
            "{\"query\": \"query Fragmented { assignmentsForClassroom(classroomId: \\\"class_algebra\\\") { ...Card } } fragment Card on Assignment { title }\", \"operationName\": \"Fragmented\"}\n",
        ),
    ),
];

pub fn side_by_side(ws: &Workspace, file: &str, from: &str, field: &str) {
    let text = ws.read(file);
    let before = format!("{field} @migrate(from: \"python\", state: \"{from}\")");
    assert!(text.contains(&before), "{file} lacks {before}");
    ws.write(
        file,
        &text.replace(
            &before,
            &format!("{field} @migrate(from: \"python\", state: \"side-by-side\")"),
        ),
    );
}

pub fn demo_workspace() -> Workspace {
    let ws = Workspace::demo();
    let assignments = "services/assignments/graph/schema.graphqls";
    side_by_side(&ws, assignments, "manual", "createdDate: Time");
    side_by_side(&ws, assignments, "migrated", "dueDate: Time");
    side_by_side(
        &ws,
        "services/progress/graph/schema.graphqls",
        "manual",
        "pointsEarned: Int @shareable",
    );
    std::fs::create_dir_all(ws.path("ops")).unwrap();
    for (file, text) in OPERATIONS {
        ws.write(file, text);
    }
    ws
}

impl Demo {
    pub fn start() -> Option<Demo> {
        let python = python()?;
        let ws = demo_workspace();
        let logs = tempfile::tempdir().unwrap();
        let root = ws.root().to_str().unwrap().to_string();
        let monolith = Server::start(
            &python,
            "monolith.py",
            &[&root],
            logs.path().join("monolith.jsonl"),
        );
        let assignments = Server::start(
            &python,
            "go_standin.py",
            &[&root, "assignments"],
            logs.path().join("assignments.jsonl"),
        );
        let progress = Server::start(
            &python,
            "go_standin.py",
            &[&root, "progress"],
            logs.path().join("progress.jsonl"),
        );
        let toml = ws
            .read("ferry.toml")
            .replace(
                "framework = \"graphene\"",
                &format!(
                    "framework = \"graphene\"\nurl = \"{}\"\nheaders = {{ \"X-Kaid\" = \"env:FERRY_TEST_KAID\" }}",
                    monolith.url("graphql")
                ),
            )
            .replace(
                "gqlgen = \"services/assignments/gqlgen.yml\"",
                &format!(
                    "gqlgen = \"services/assignments/gqlgen.yml\"\nurl = \"{}\"",
                    assignments.url("query")
                ),
            );
        ws.write(
            "ferry.toml",
            &format!(
                "{toml}\n[compare]\noperations = [\"ops/*.graphql\", \"ops/*.jsonl\"]\nmin_samples = 3\n"
            ),
        );
        Some(Demo {
            ws,
            monolith,
            assignments,
            progress,
            _logs: logs,
        })
    }

    /// `ferry compare` as the teacher (the monolith shows teachers drafts
    /// too), the progress service's URL on the command line.
    pub fn compare(&self, args: &[&str]) -> std::process::Output {
        let progress = format!("progress={}", self.progress.url("query"));
        let mut all = vec!["compare", "--go-url", &progress];
        all.extend_from_slice(args);
        ferry(self.ws.root(), &all)
    }
}

pub fn ferry(root: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("ferry")
        .unwrap()
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .env("FERRY_TEST_KAID", "kaid_teacher_1")
        .output()
        .unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
