//! `ferry compare` against real servers on loopback: the demo's graphene
//! monolith over HTTP, and strawberry federation subgraphs standing in for
//! the Go services (tests/support/compare/). The assignments stand-in
//! writes `dueDate` with `+00:00` where the monolith writes `Z`; both sides'
//! `Progress.pointsEarned` change on every request.

mod common;

use common::{Workspace, python};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A test server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    fn start(python: &Path, script: &str, args: &[&str], log: PathBuf) -> Server {
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

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// Every request the server received, in order.
    fn requests(&self) -> Vec<Value> {
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
struct Demo {
    ws: Workspace,
    monolith: Server,
    assignments: Server,
    progress: Server,
    _logs: tempfile::TempDir,
}

const OPERATIONS: &[(&str, &str)] = &[
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

fn side_by_side(ws: &Workspace, file: &str, from: &str, field: &str) {
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

fn demo_workspace() -> Workspace {
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
    fn start() -> Option<Demo> {
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
    fn compare(&self, args: &[&str]) -> std::process::Output {
        let progress = format!("progress={}", self.progress.url("query"));
        let mut all = vec!["compare", "--go-url", &progress];
        all.extend_from_slice(args);
        ferry(self.ws.root(), &all)
    }
}

fn ferry(root: &Path, args: &[&str]) -> std::process::Output {
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

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn field<'r>(report: &'r Value, name: &str) -> &'r Value {
    report["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == name)
        .unwrap_or_else(|| panic!("{name} is not in the report"))
}

fn counts(report: &Value, name: &str) -> [u64; 5] {
    let f = field(report, name);
    ["samples", "matches", "mismatches", "noisy", "go_errors"].map(|k| f[k].as_u64().unwrap())
}

/// The report with what changes from run to run (latencies, times) masked.
fn stable(mut report: Value) -> Value {
    for key in ["from", "to"] {
        report[key] = Value::String("[time]".into());
    }
    for field in report["fields"].as_array_mut().unwrap() {
        for key in ["python_ms", "go_ms"] {
            if !field[key].is_null() {
                field[key] = Value::String("[latency]".into());
            }
        }
    }
    report
}

#[test]
fn replay_finds_the_wrong_field_the_noisy_one_and_the_matches() {
    let Some(demo) = Demo::start() else { return };
    let output = demo.compare(&["--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();

    // [samples, matches, mismatches, noisy, go errors]
    assert_eq!(counts(&report, "Assignment.dueDate"), [2, 1, 1, 0, 0]);
    let example = &field(&report, "Assignment.dueDate")["examples"][0];
    assert_eq!(example["path"], "classroom.assignments[0].dueDate");
    assert_eq!(example["python"], "2023-09-11T23:59:00Z");
    assert_eq!(example["go"], "2023-09-11T23:59:00+00:00");
    assert_eq!(example["operation"], "ClassroomAssignments");
    assert_eq!(example["origin"], "ops/classroom.graphql");
    assert_eq!(counts(&report, "Progress.pointsEarned"), [2, 0, 0, 2, 0]);
    assert_eq!(counts(&report, "Assignment.title"), [5, 5, 0, 0, 0]);
    assert_eq!(counts(&report, "Assignment.createdDate"), [3, 3, 0, 0, 0]);
    assert_eq!(counts(&report, "Query.assignment"), [1, 1, 0, 0, 0]);
    assert_eq!(
        field(&report, "Assignment.title")["readiness"]["status"],
        "ready"
    );
    assert_eq!(
        field(&report, "Query.assignment")["readiness"]["status"],
        "too-few-samples"
    );
    insta::assert_json_snapshot!("compare_replay_report", stable(report.clone()));

    // Python is asked twice per replayed operation, with the header from
    // the environment; no server ever sees the mutation.
    let python_requests = demo.monolith.requests();
    assert_eq!(python_requests.len(), 8, "4 operations, each asked twice");
    assert!(
        python_requests
            .iter()
            .all(|r| r["kaid"] == "kaid_teacher_1")
    );
    for server in [&demo.monolith, &demo.assignments, &demo.progress] {
        for request in server.requests() {
            let query = request["body"]["query"].as_str().unwrap();
            assert!(
                !query.contains("mutation") && !query.contains("createAssignment"),
                "{query}"
            );
        }
    }
    // The operation lacking the key was sent with it, under ferry's aliases.
    let sent = python_requests
        .iter()
        .map(|r| r["body"]["query"].as_str().unwrap())
        .find(|q| q.contains("ClassroomAssignments"))
        .unwrap();
    assert!(
        sent.contains("assignments { title dueDate createdDate _ferry_typename: __typename _ferry_key_id: id }"),
        "{sent}"
    );
    // Entity fields of one operation go to Go in one _entities request.
    let entities: Vec<String> = demo
        .assignments
        .requests()
        .iter()
        .map(|r| r["body"]["query"].as_str().unwrap().to_string())
        .filter(|q| q.contains("ClassroomAssignments"))
        .collect();
    assert_eq!(
        entities,
        [
            "query ClassroomAssignments($_ferry_representations: [_Any!]!) { _entities(representations: $_ferry_representations) { ... on Assignment { title dueDate createdDate } } }"
        ]
    );

    let evidence: Value = serde_json::from_str(&demo.ws.read("ferry-evidence.json")).unwrap();
    let title = &evidence["fields"]["Assignment.title"];
    assert_eq!(title["samples"], 5);
    assert_eq!(title["source"], "replay");
    assert_eq!(
        title["go_resolver"]["file"],
        "services/assignments/graph/schema.resolvers.go"
    );
    assert!(
        title["go_resolver"]["hash"]
            .as_str()
            .unwrap()
            .starts_with("blake3:")
    );
}

#[test]
fn the_table_and_markdown_show_the_difference() {
    let Some(demo) = Demo::start() else { return };
    let before = demo.ws.files();
    let table = demo.compare(&["--dry-run", "Assignment.dueDate"]);
    assert_eq!(table.status.code(), Some(1), "{}", text(&table.stderr));
    let table = text(&table.stdout);
    assert!(
        table.contains(
            "  Assignment.dueDate (1 mismatched of 2)\n    classroom.assignments[0].dueDate  (ClassroomAssignments, ops/classroom.graphql)\n      python: \"2023-09-11T23:59:00Z\"\n      go:     \"2023-09-11T23:59:00+00:00\"\n"
        ),
        "{table}"
    );
    assert!(table.contains("Evidence not written."), "{table}");
    let markdown = demo.compare(&["--dry-run", "--format", "markdown", "Assignment.title"]);
    assert_eq!(
        markdown.status.code(),
        Some(0),
        "{}",
        text(&markdown.stderr)
    );
    let markdown = text(&markdown.stdout);
    assert!(
        markdown.starts_with("### ferry compare\n\n| Field |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| `Assignment.title` | assignments | 5 | 5 | 0 | 0 | 0 |"),
        "{markdown}"
    );
    // --dry-run writes nothing.
    common::assert_same_files(&before, &demo.ws.files());
}

#[test]
fn ctrl_c_stops_the_replay_and_keeps_what_was_measured() {
    let Some(demo) = Demo::start() else { return };
    let line = "{\"query\": \"query Page { assignment(id: \\\"asg_1\\\") { title } }\", \"operationName\": \"Page\"}\n";
    demo.ws.write("ops/many.jsonl", &line.repeat(2000));
    let progress = format!("progress={}", demo.progress.url("query"));
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ferry"))
        .arg("--root")
        .arg(demo.ws.root())
        .args(["compare", "--go-url", &progress, "--operations"])
        .arg(demo.ws.path("ops/many.jsonl"))
        .args(["--jobs", "1", "--json", "Assignment.title"])
        .env("FERRY_TEST_KAID", "kaid_teacher_1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once a few operations are through, Ctrl-C.
    while demo.monolith.requests().len() < 6 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["interrupted"], true);
    let samples = field(&report, "Assignment.title")["samples"]
        .as_u64()
        .unwrap();
    assert!((3..2000).contains(&samples), "{samples}");
    let evidence: Value = serde_json::from_str(&demo.ws.read("ferry-evidence.json")).unwrap();
    assert_eq!(evidence["fields"]["Assignment.title"]["samples"], samples);
}

const GATEWAY_LOG: &str = concat!(
    "{\"time\": \"2024-05-01T12:00:00Z\", \"field\": \"Assignment.title\", \"matches\": 120}\n",
    "{\"time\": \"2024-05-01T12:30:00Z\", \"field\": \"Assignment.title\", \"path\": \"assignment.title\", \"operation\": \"AssignmentPage\", \"python\": \"Solving linear equations\", \"go\": \"Solving linear equations\", \"python_ms\": 12.5, \"go_ms\": 3.25}\n",
    "{\"time\": \"2024-05-01T12:45:00Z\", \"field\": \"Query.assignment\", \"path\": \"assignment\", \"python\": {\"id\": \"asg_1\", \"dueDate\": \"2023-09-11T23:59:00Z\"}, \"go\": {\"id\": \"asg_1\", \"dueDate\": \"2023-09-11T23:59:00+00:00\"}, \"operation\": \"AssignmentPage\"}\n",
    "{\"time\": \"2024-05-01T13:00:00Z\", \"field\": \"Query.assignment\", \"python\": null, \"go_error\": \"context deadline exceeded\"}\n",
    "{\"time\": \"2024-05-01T11:00:00Z\", \"field\": \"User.nickname\", \"python\": \"sam\", \"go\": \"Sam\"}\n",
);

#[test]
fn from_log_turns_a_gateways_records_into_the_report_and_evidence() {
    let ws = Workspace::demo();
    ws.write("gateway.jsonl", GATEWAY_LOG);
    let log = ws.path("gateway.jsonl");
    let output = ferry(
        ws.root(),
        &["compare", "--from-log", log.to_str().unwrap(), "--json"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["source"], "gateway-log");
    assert_eq!(counts(&report, "Assignment.title"), [121, 121, 0, 0, 0]);
    assert_eq!(counts(&report, "Query.assignment"), [2, 0, 2, 0, 1]);
    let examples = &field(&report, "Query.assignment")["examples"];
    assert_eq!(examples[0]["path"], "assignment.dueDate");
    assert_eq!(examples[0]["go"], "2023-09-11T23:59:00+00:00");
    assert_eq!(examples[1]["go_error"], "context deadline exceeded");
    assert_eq!(
        field(&report, "Assignment.title")["readiness"]["status"],
        "ready"
    );
    let evidence: Value = serde_json::from_str(&ws.read("ferry-evidence.json")).unwrap();
    let title = &evidence["fields"]["Assignment.title"];
    assert_eq!(title["source"], "gateway-log");
    // The span of the records of the fields compared.
    assert_eq!(
        (&title["from"], &title["to"]),
        (
            &Value::from("2024-05-01T11:00:00Z"),
            &Value::from("2024-05-01T13:00:00Z")
        )
    );
    assert!(evidence["fields"].get("User.nickname").is_none());
}

#[test]
fn evidence_holds_until_the_go_resolver_changes() {
    use ferry::compare::evidence::{FieldVerdict, Readiness};
    use ferry::model::inventory::FieldCoordinate;
    let ws = Workspace::demo();
    ws.write("gateway.jsonl", GATEWAY_LOG);
    let log = ws.path("gateway.jsonl");
    let output = ferry(ws.root(), &["compare", "--from-log", log.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let title = FieldCoordinate::new("Assignment", "title");
    let judge = || {
        let overrides = ferry::workspace::Overrides {
            root: Some(ws.root().to_path_buf()),
            ..Default::default()
        };
        let project = ferry::model::Project::load(&overrides).unwrap();
        let record = project
            .inventory
            .fields
            .iter()
            .find(|f| f.coordinate == title)
            .unwrap();
        FieldVerdict::of(&project, record).readiness
    };
    assert_eq!(
        judge(),
        Readiness::Ready {
            compared: 121,
            mismatches: 0
        }
    );
    let resolvers = "services/assignments/graph/schema.resolvers.go";
    ws.write(
        resolvers,
        &ws.read(resolvers).replace(
            "return row.Title, nil",
            "return strings.TrimSpace(row.Title), nil",
        ),
    );
    assert!(
        matches!(
            judge(),
            Readiness::Stale {
                compared: 121,
                mismatches: 0,
                ..
            }
        ),
        "{:?}",
        judge()
    );
}

/// `ferry` on the workspace with `--json`: its exit code and document.
fn ferry_json(root: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let output = ferry(root, &all);
    let document = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)));
    (output.status.code(), document)
}

/// The evidence `status --json` shows for a field.
fn status_evidence(root: &Path, name: &str) -> Value {
    let (code, status) = ferry_json(root, &["status", name]);
    assert_eq!(code, Some(0));
    status["fields"][0]["evidence"].clone()
}

#[test]
fn advance_to_migrated_waits_for_evidence_against_the_go_resolver_as_it_is() {
    let Some(demo) = Demo::start() else { return };
    let root = demo.ws.root();
    let before = demo.ws.files();
    // Never compared: refused with what is missing and the command to run.
    let refused = ferry(root, &["advance", "Assignment.title"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains(
            "Assignment.title: cannot enter migrated: no evidence that Go agrees with Python; run `ferry compare Assignment.title` to gather it (--force overrides)"
        ),
        "{}",
        text(&refused.stderr)
    );
    let (code, report) = ferry_json(root, &["advance", "Assignment.title"]);
    assert_eq!(code, Some(2));
    let refusal = &report["refused"][0];
    assert_eq!(refusal["id"], "evidence-not-ready");
    assert_eq!(refusal["readiness"]["status"], "no-evidence");
    assert_eq!(refusal["command"], "ferry compare Assignment.title");
    assert_eq!(refusal["overridable"], true);
    common::assert_same_files(&before, &demo.ws.files());
    let none = status_evidence(root, "Assignment.title");
    assert_eq!(
        (&none["samples"], &none["passes"]),
        (&0.into(), &false.into())
    );

    // The replay's evidence: title matches 5 of 5 (min_samples is 3),
    // dueDate mismatched once in 2.
    assert_eq!(demo.compare(&[]).status.code(), Some(1));
    let title = status_evidence(root, "Assignment.title");
    for (key, value) in [
        ("samples", Value::from(5)),
        ("mismatches", 0.into()),
        ("noisy", 0.into()),
        ("passes", true.into()),
        ("stale", false.into()),
        ("source", "replay".into()),
    ] {
        assert_eq!(title[key], value, "{key} in {title}");
    }
    assert!(title["from"].as_str().unwrap() <= title["to"].as_str().unwrap());
    let points = status_evidence(root, "Progress.pointsEarned");
    assert_eq!(
        (&points["noisy"], &points["passes"]),
        (&2.into(), &false.into())
    );
    let due = ferry(root, &["advance", "Assignment.dueDate"]);
    assert!(
        text(&due.stderr).contains("Assignment.dueDate: cannot enter migrated: 2 of the 3 samples [compare] min_samples asks for; run `ferry compare Assignment.dueDate` over more operations"),
        "{}",
        text(&due.stderr)
    );
    let show = text(&ferry(root, &["show", "Assignment.title"]).stdout);
    assert!(
        show.contains("  evidence: 5 samples, 0 mismatched, 0 noisy, 0 Go errors ("),
        "{show}"
    );
    assert!(show.contains(" · passes the gate\n"), "{show}");
    assert!(
        show.contains("  next:     `ferry advance Assignment.title` → migrated"),
        "{show}"
    );

    // The Go resolver changes: the evidence no longer holds.
    let resolvers = "services/assignments/graph/schema.resolvers.go";
    let go = demo.ws.read(resolvers);
    let changed = go.replace(
        "return row.Title, nil",
        "return strings.TrimSpace(row.Title), nil",
    );
    demo.ws.write(resolvers, &changed);
    let stale = ferry(root, &["advance", "Assignment.title"]);
    assert_eq!(stale.status.code(), Some(2));
    assert!(
        text(&stale.stderr).contains("cannot enter migrated: the Go resolver changed since the evidence (5 samples compared, 0 mismatches) was measured; run `ferry compare Assignment.title` again"),
        "{}",
        text(&stale.stderr)
    );
    let evidence = status_evidence(root, "Assignment.title");
    assert_eq!(
        (&evidence["stale"], &evidence["passes"]),
        (&true.into(), &false.into())
    );

    // As it was measured: allowed, and check has nothing to say of it.
    demo.ws.write(resolvers, &go);
    let (code, report) = ferry_json(root, &["advance", "Assignment.title"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["moves"][0]["to"], "migrated");
    assert_eq!(report["forced"], Value::Array(Vec::new()));
    let findings = |root: &Path| -> Vec<String> {
        let (_, check) = ferry_json(root, &["check"]);
        check["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["id"] == "migrated-without-evidence")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        !findings(root)
            .iter()
            .any(|m| m.contains("Assignment.title"))
    );
    // A change to the Go once it is migrated: check says so.
    demo.ws.write(resolvers, &changed);
    let after = findings(root);
    assert!(
        after.iter().any(|m| m.starts_with(
            "Assignment.title is at migrated without passing evidence: the Go resolver changed"
        )),
        "{after:?}"
    );

    // --force takes it past the gate and says so, on the terminal and in JSON.
    assert_eq!(
        ferry(root, &["rollback", "Assignment.title"]).status.code(),
        Some(0)
    );
    let forced = ferry(
        root,
        &["advance", "Assignment.title", "--force", "--dry-run"],
    );
    assert!(
        text(&forced.stdout)
            .contains("forced: Assignment.title: cannot enter migrated: the Go resolver changed"),
        "{}",
        text(&forced.stdout)
    );
    let (code, report) = ferry_json(root, &["advance", "Assignment.title", "--force"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["written"], true);
    assert_eq!(report["forced"][0]["field"], "Assignment.title");
    assert_eq!(report["forced"][0]["id"], "evidence-not-ready");
    assert_eq!(report["forced"][0]["readiness"]["status"], "stale");
}

#[test]
fn bad_input_is_named_and_nothing_is_written() {
    let ws = Workspace::demo();
    ws.write(
        "gateway.jsonl",
        "{\"time\": \"2024-05-01T12:00:00Z\", \"field\": \"Assignment.title\", \"matches\": 1}\n{\"time\": \"2024-05-01T12:00:00Z\", \"field\": \"Assignment.title\", \"pyhton\": 1}\n",
    );
    let before = ws.files();
    let log = ws.path("gateway.jsonl");
    let output = ferry(ws.root(), &["compare", "--from-log", log.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("gateway.jsonl:2:"), "{stderr}");
    assert!(stderr.contains("unknown field `pyhton`"), "{stderr}");
    common::assert_same_files(&before, &ws.files());

    let output = ferry(ws.root(), &["compare", "--operations", "ops"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("error: the monolith's URL: set [python] url"),
        "{}",
        text(&output.stderr)
    );
    let output = ferry(
        ws.root(),
        &[
            "compare",
            "--python-url",
            "http://127.0.0.1:9/graphql",
            "--go-url",
            "nowhere=http://127.0.0.1:9/",
            "--operations",
            "ops",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains(
            "--go-url nowhere=http://127.0.0.1:9/: the workspace has no service `nowhere`"
        ),
        "{}",
        text(&output.stderr)
    );
    let output = ferry(ws.root(), &["compare", "Mutation.createAssignment"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("Mutation.createAssignment: a mutation: never replayed"),
        "{}",
        text(&output.stderr)
    );
    common::assert_same_files(&before, &ws.files());
}
