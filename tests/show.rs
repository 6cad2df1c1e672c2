//! `ferry show`: one field's report, for people and as JSON, and a clear
//! error when the selector names several fields or none.

mod common;

use common::Workspace;

#[test]
fn show_prints_every_definition_and_the_next_step() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["show", "Assignment.createdDate"]);
    insta::assert_snapshot!(run.success().stdout());
    let mutation = demo.ferry(&["show", "Mutation.createAssignment"]);
    assert!(
        mutation
            .success()
            .stdout()
            .contains("stage:    canary (red)")
    );
}

#[test]
fn show_names_the_role_of_each_definition() {
    let demo = Workspace::demo();
    let key = demo.ferry(&["show", "Progress.id"]);
    let out = key.success().stdout();
    assert!(
        out.contains("progress (key field): services/progress/graph/schema.graphqls:"),
        "{out}"
    );
    assert!(out.contains("  go:       —\n"), "{out}");
    let external = demo.ferry(&["show", "Assignment.id"]);
    let out = external.success().stdout();
    assert!(out.contains("assignments (@external): "), "{out}");
}

#[test]
fn show_json_is_one_versioned_document() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["show", "Assignment.createdDate", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    assert_eq!(json["version"], 1);
    insta::assert_json_snapshot!(json);
    // The same field record as `status --json` carries, plus the report.
    let status: serde_json::Value = serde_json::from_str(
        &demo
            .ferry(&["status", "Assignment.createdDate", "--json"])
            .success()
            .stdout(),
    )
    .unwrap();
    let row = status["fields"][0].as_object().unwrap();
    for (key, value) in row {
        assert_eq!(&json[key], value, "{key}");
    }
    let roles: Vec<&str> = json["definitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["monolith", "owner"]);
}

#[test]
fn a_selector_naming_several_fields_or_none_is_a_clear_error() {
    let demo = Workspace::demo();
    demo.ferry(&["show", "Assignment.*"]).fails_with(
        2,
        "`Assignment.*` matches 11 fields (Assignment.assignedBy, Assignment.classroom, Assignment.contentIds, Assignment.createdDate, Assignment.dueAt, and 6 more); show takes one",
    );
    demo.ferry(&["show", "Progress.[ci]*"]).fails_with(
        2,
        "`Progress.[ci]*` matches 2 fields (Progress.contentId, Progress.id); show takes one",
    );
    demo.ferry(&["show", "Assignment.createdDat"]).fails_with(
        2,
        "selector `Assignment.createdDat` matches no field; did you mean Assignment.createdDate?",
    );
    let none = demo.ferry(&["show", "Nope.*", "--json"]);
    none.fails_with(2, "matches no field");
    let error: serde_json::Value = serde_json::from_str(&none.stdout()).unwrap();
    assert_eq!(error["version"], 1);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("matches no field")
    );
    demo.ferry(&["show", "-"])
        .fails_with(2, "show takes one Type.field, not a list from stdin");
}

#[test]
fn where_the_path_ends_show_suggests_no_verb_and_mark_says_why_not() {
    let demo = Workspace::demo();
    for (field, expected) in [
        (
            "Assignment.isPublished",
            "next:     none: the move is complete",
        ),
        (
            "Assignment.gradingRubricUrl",
            "next:     none: a Go-only field",
        ),
        (
            "Assignment.id",
            "next:     none: every subgraph with the entity resolves its key",
        ),
    ] {
        let out = demo.ferry(&["show", field]).success().stdout();
        assert!(out.contains(expected), "{field}: {out}");
        assert!(!out.contains("blocked"), "{field}: {out}");
    }
    let refused = demo.ferry(&[
        "mark",
        "Assignment.isPublished",
        "Assignment.gradingRubricUrl",
        "--into",
        "assignments",
    ]);
    let stderr = refused.stderr();
    assert!(
        stderr.contains("Assignment.isPublished: already moved to `assignments`: it is done"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Assignment.gradingRubricUrl: already in `assignments`: a Go-only field"),
        "{stderr}"
    );
    assert!(!stderr.contains("use advance or rollback"), "{stderr}");
}
