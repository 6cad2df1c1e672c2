//! The gate side-by-side → migrated end to end, against the loopback
//! servers of tests/compare_support: refused without evidence, allowed after
//! clean evidence, refused again once the Go resolver changes, forced and
//! reported; the numbers in `status --json` and `show`; check's rule.

mod common;
mod compare_support;

use compare_support::{Demo, ferry, text};
use serde_json::Value;
use std::path::Path;

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
fn a_broken_evidence_file_stops_every_command_at_its_place() {
    let ws = common::Workspace::demo();
    ws.write(
        "ferry-evidence.json",
        "{\"version\": 1,\n  \"fields\": {\"Assignment.title\": {\"samples\": \"many\"}}}\n",
    );
    let before = ws.files();
    for args in [
        &["status"][..],
        &["show", "Assignment.title"],
        &["check"],
        &["advance", "Assignment.title", "--force"],
    ] {
        ws.ferry(args).fails_with(2, "ferry-evidence.json:2:");
    }
    let run = ws.ferry(&["advance", "Assignment.title"]);
    assert!(
        run.stderr()
            .contains("fix the file or remove it and run `ferry compare` again"),
        "{}",
        run.stderr()
    );
    common::assert_same_files(&before, &ws.files());
}
