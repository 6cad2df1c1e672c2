//! The editing commands' report: the same document on the terminal, in
//! `--json` (refused batches included) and in the TUI's status line.

mod common;

use common::{Workspace, assert_same_files};

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn a_refused_batch_prints_its_refusals_as_json_on_stdout_and_exits_2() {
    let demo = Workspace::demo();
    let before = demo.files();
    let run = demo.ferry(&[
        "advance",
        "Assignment.title",
        "Assignment.isPublished",
        "Assignment.dueDate",
        "--json",
    ]);
    run.fails_with(2, "3 fields were refused");
    assert_same_files(&before, &demo.files());
    let report = json(&run.stdout());
    assert_eq!(report["version"], 1);
    assert_eq!(report["written"], false);
    let message = report["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("nothing was written; 3 fields were refused"));
    insta::assert_json_snapshot!(report);
}

#[test]
fn finish_lists_the_python_to_delete_as_entries() {
    let demo = Workspace::demo();
    let fields = [
        "Assignment.dueDate",
        "Mutation.createAssignment",
        "Query.progressForUser",
    ];
    let run = demo.ferry(&[&["finish", "--json", "--dry-run"], &fields[..]].concat());
    run.success();
    insta::assert_json_snapshot!("finish_json", json(&run.stdout()));

    let run = demo.ferry(&[&["finish"], &fields[..]].concat());
    run.success();
    insta::assert_snapshot!("finish_human", run.stdout());
}

#[test]
fn keep_going_reports_skipped_and_forced_fields() {
    let demo = Workspace::demo();
    let run = demo.ferry(&[
        "advance",
        "Assignment.createdDate",
        "Assignment.isPublished",
        "--force",
        "--keep-going",
        "--json",
    ]);
    run.success();
    let report = json(&run.stdout());
    assert_eq!(report["written"], true);
    assert_eq!(report["forced"][0]["field"], "Assignment.createdDate");
    assert_eq!(report["forced"][0]["id"], "go-resolver-stub");
    assert_eq!(report["forced"][0]["overridable"], true);
    assert_eq!(report["refused"][0]["field"], "Assignment.isPublished");
    assert_eq!(report["refused"][0]["id"], "cannot-advance");
    assert_eq!(report["refused"][0]["reason"], "cannot advance: it is done");
}
