//! `ferry compare` against real servers on loopback (tests/compare_support:
//! the demo's graphene monolith over HTTP, strawberry federation subgraphs
//! standing in for the Go services): the report, the evidence, gateway
//! logs, Ctrl-C and bad input.

mod common;
mod compare_support;

use common::Workspace;
use compare_support::{Demo, ferry, text};
use serde_json::Value;
use std::process::{Command, Stdio};

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
