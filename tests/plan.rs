//! `ferry plan` on the demo workspace: the three outputs, traffic from
//! `--usage` and from the operations corpus, one writer per model, and bad
//! input.

mod common;

use common::Workspace;
use serde_json::Value;

fn plan_json(demo: &Workspace, args: &[&str]) -> Value {
    let mut all = vec!["plan", "--json"];
    all.extend_from_slice(args);
    let run = demo.ferry(&all);
    run.success();
    serde_json::from_str(&run.stdout()).unwrap()
}

#[test]
fn plan_table() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["plan"]);
    run.success();
    insta::assert_snapshot!(run.stdout());
}

#[test]
fn plan_markdown_with_usage() {
    let demo = Workspace::demo();
    demo.write(
        "usage.txt",
        "# requests last week\nQuery.me 900\nUser.email 900\nQuery.assignment 40\nQuery.progressForUser 300\n",
    );
    let usage = demo.path("usage.txt");
    let run = demo.ferry(&[
        "plan",
        "--usage",
        usage.to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    run.success();
    insta::assert_snapshot!(run.stdout());
}

#[test]
fn plan_json_orders_fields_by_cluster() {
    let demo = Workspace::demo();
    let value = plan_json(&demo, &[]);
    assert_eq!(value["version"], 1);
    let clusters = value["clusters"].as_array().unwrap();
    let fields = value["fields"].as_array().unwrap();
    let mut last = 0;
    for field in fields {
        let cluster = field["cluster"].as_u64().unwrap() as usize;
        assert!(cluster >= last, "fields follow their clusters' order");
        last = cluster;
        let listed = &clusters[cluster - 1]["fields"];
        assert!(listed.as_array().unwrap().contains(&field["field"]));
        let effort = &field["effort"];
        assert!(effort["total"].as_u64() >= effort["resolver"].as_u64());
    }
    // Fields Go already serves are not planned.
    assert!(!fields.iter().any(|f| f["field"] == "Query.progressForUser"));
    insta::assert_json_snapshot!(value);
}

#[test]
fn traffic_prefers_busy_small_clusters_and_shows_each_service_on_go() {
    let demo = Workspace::demo();
    demo.write(
        "usage.txt",
        "Query.assignment 1000\nProgress.status 1\nQuery.progressForUser 3\n",
    );
    let usage = demo.path("usage.txt");
    let value = plan_json(&demo, &["--usage", usage.to_str().unwrap()]);
    let first_with_code = value["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["lines"].as_u64() > Some(0))
        .unwrap();
    assert_eq!(first_with_code["fields"][0], "Query.assignment");
    let progress = value["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "progress")
        .unwrap();
    assert_eq!(progress["requests"], 4);
    assert_eq!(progress["requests_on_go"], 3);
}

fn planned<'v>(value: &'v Value, field: &str) -> &'v Value {
    value["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == field)
        .unwrap_or_else(|| panic!("{field} is not planned"))
}

#[test]
fn traffic_comes_from_the_configured_operations_corpus() {
    let demo = Workspace::demo();
    let toml = demo.read("ferry.toml");
    demo.write(
        "ferry.toml",
        &format!("{toml}\n[compare]\noperations = [\"ops/*.jsonl\", \"ops/*.graphql\"]\n"),
    );
    std::fs::create_dir_all(demo.path("ops")).unwrap();
    demo.write(
        "ops/traffic.jsonl",
        concat!(
            r#"{"query": "query Me { me { ...Who } } fragment Who on User { nickname email }", "operationName": "Me", "count": 900}"#,
            "\n",
            r#"{"query": "{ progressForUser(kaid: \"k\") { status } assignment(id: \"a\") { title title } }", "count": 30}"#,
            "\n",
            r#"{"query": "mutation { updateNickname(kaid: \"k\", nickname: \"n\") { user { nickname } } }", "count": 5}"#,
            "\n",
            r#"{"query": "{ nope }", "count": 7}"#,
            "\nnot json\n",
        ),
    );
    demo.write("ops/page.graphql", "{ me { email } }\n");
    let value = plan_json(&demo, &[]);
    assert_eq!(
        value["traffic"],
        serde_json::json!({"source": "[compare] operations", "requests": 936, "skipped": 2})
    );
    for (field, requests) in [
        ("Query.me", 901),
        ("User.email", 901),
        ("User.nickname", 905),
        ("Assignment.title", 30),
        ("Progress.status", 30),
        ("Mutation.updateNickname", 5),
        ("Mutation.createAssignment", 0),
    ] {
        assert_eq!(planned(&value, field)["requests"], requests, "{field}");
    }
    // Query.progressForUser is on Go: 30 of progress's 60 requests.
    let progress = value["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "progress")
        .unwrap();
    assert_eq!(
        (
            progress["requests"].as_u64(),
            progress["requests_on_go"].as_u64()
        ),
        (Some(60), Some(30))
    );
    // The busiest cluster per line of Python comes first among those with code.
    let first_with_code = value["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["lines"].as_u64() > Some(0))
        .unwrap();
    assert_eq!(first_with_code["fields"], serde_json::json!(["Query.me"]));
    // A usage file, when given, is what counts.
    demo.write("usage.txt", "Query.me 3\n");
    let usage = demo.path("usage.txt");
    let value = plan_json(&demo, &["--usage", usage.to_str().unwrap()]);
    assert_eq!(value["traffic"]["source"], usage.to_str().unwrap());
    assert_eq!(planned(&value, "Query.me")["requests"], 3);
    assert_eq!(planned(&value, "User.email")["requests"], 0);
}

/// Puts `code` first in the body of the `def` at 1-based `line`.
fn prepend_to_body(demo: &Workspace, file: &str, line: usize, code: &str) {
    let text = demo.read(file);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut end = line - 1;
    while !lines[end].trim_end().ends_with(':') {
        end += 1;
    }
    let next = &lines[end + 1];
    let indent = &next[..next.len() - next.trim_start().len()];
    let inserted: Vec<String> = code.lines().map(|l| format!("{indent}{l}")).collect();
    lines.splice(end + 1..end + 1, inserted);
    demo.write(file, &(lines.join("\n") + "\n"));
}

#[test]
fn a_mutation_writing_a_model_another_service_writes_is_flagged() {
    let demo = Workspace::demo();
    demo.write(
        "webapp/records.py",
        "from django.db import models\n\n\nclass Attempt(models.Model):\n    pass\n\n\n\
         def log_attempt(user_id):\n    Attempt.objects.create(user_id=user_id)\n",
    );
    let status: Value = serde_json::from_str(&demo.ferry(&["status", "--json"]).stdout()).unwrap();
    let line_of = |type_name: &str, field: &str| {
        let record = status["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["type"] == type_name && f["field"] == field)
            .unwrap();
        (
            record["python"]["file"].as_str().unwrap().to_string(),
            record["python"]["line"].as_u64().unwrap() as usize,
        )
    };
    let call = "from webapp.records import log_attempt\nlog_attempt(None)";
    // progress already serves Query.progressForUser; assignments plans createAssignment.
    for (type_name, field) in [
        ("Query", "progressForUser"),
        ("Mutation", "createAssignment"),
    ] {
        let (file, line) = line_of(type_name, field);
        prepend_to_body(&demo, &file, line, call);
    }
    let value = plan_json(&demo, &[]);
    assert_eq!(
        value["ownership"],
        serde_json::json!([{
            "field": "Mutation.createAssignment",
            "service": "assignments",
            "model": "webapp.records.Attempt",
            "owner": "progress",
            "owner_field": "Query.progressForUser",
        }])
    );
    let table = demo.ferry(&["plan", "Mutation.createAssignment"]);
    assert!(
        table.success().stdout().contains(
            "Mutation.createAssignment writes webapp.records.Attempt, which Query.progressForUser \
             already writes from service progress"
        ),
        "{}",
        table.stdout()
    );
}

#[test]
fn a_bad_usage_file_names_the_place_and_writes_nothing() {
    let demo = Workspace::demo();
    demo.write("usage.txt", "Query.me 10\nQuery.user ten\n");
    let before = demo.files();
    let usage = demo.path("usage.txt");
    demo.ferry(&["plan", "--usage", usage.to_str().unwrap()])
        .fails_with(2, "usage.txt:2:12: the request count is not a whole number");
    common::assert_same_files(&before, &demo.files());
}
