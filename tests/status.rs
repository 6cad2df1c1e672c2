//! `ferry status` and `ferry show` on the demo workspace.

mod common;

use common::Workspace;

#[test]
fn status_table() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["status"]);
    run.success();
    insta::assert_snapshot!(run.stdout());
}

#[test]
fn status_markdown() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["status", "--format", "markdown"]);
    run.success();
    insta::assert_snapshot!(run.stdout());
}

#[test]
fn status_json() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["status", "--json"]);
    run.success();
    let value: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(value["version"], 1);
    insta::assert_json_snapshot!(value);
}

fn stage_of(json: &serde_json::Value, coordinate: &str) -> String {
    let (t, f) = coordinate.split_once('.').unwrap();
    json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["type"] == t && x["field"] == f)
        .map(|x| x["stage"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{coordinate} not in status"))
}

#[test]
fn every_stage_is_present_in_the_demo() {
    let demo = Workspace::demo();
    let json: serde_json::Value =
        serde_json::from_str(&demo.ferry(&["status", "--json"]).stdout()).unwrap();
    for (field, stage) in [
        ("Assignment.createdDate", "manual"),
        ("Assignment.title", "side-by-side"),
        ("Mutation.createAssignment", "canary"),
        ("Assignment.dueDate", "migrated"),
        ("Assignment.isPublished", "done"),
        ("Assignment.gradingRubricUrl", "go"),
        ("Assignment.stats", "python"),
        ("Progress.status", "canary"),
        ("User.progressPercent", "go"),
        // Key fields are resolved by every subgraph: no claim.
        ("Progress.id", "python"),
        ("User.kaid", "python"),
    ] {
        assert_eq!(stage_of(&json, field), stage, "{field}");
    }
}

#[test]
fn selectors_and_filters_narrow_the_list() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["status", "Assignment.*", "--state", "manual", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    let fields: Vec<String> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}.{}",
                f["type"].as_str().unwrap(),
                f["field"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(fields, ["Assignment.createdDate"]);

    let run = demo.ferry(&[
        "status",
        "*.createdDate",
        "--service",
        "assignments",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    assert_eq!(json["fields"].as_array().unwrap().len(), 1);

    let run = demo.ferry_with_stdin(
        &["status", "-", "--json"],
        "Query.me  # comment\nUser.email\n",
    );
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    assert_eq!(json["fields"].as_array().unwrap().len(), 2);
}

#[test]
fn show_prints_every_definition_and_the_next_step() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["show", "Assignment.createdDate"]);
    run.success();
    let out = run.stdout();
    assert!(out.contains("stage:   manual"), "{out}");
    assert!(out.contains("monolith: webapp/schema.graphql:"), "{out}");
    assert!(
        out.contains("assignments: services/assignments/graph/schema.graphqls:"),
        "{out}"
    );
    assert!(
        out.contains("createdDate: Time @migrate(from: \"python\", state: \"manual\")"),
        "{out}"
    );
    assert!(out.contains("blocked: cannot enter side-by-side"), "{out}");
    let mutation = demo.ferry(&["show", "Mutation.createAssignment"]);
    assert!(mutation.stdout().contains("stage:   canary (red)"));
}
