//! The migration ledger: one line per transition ferry writes, in the same
//! write as the schema edit; what keeps a moved field done for good.

mod common;

use common::{LEDGER, Workspace};

fn entries(ws: &Workspace) -> Vec<serde_json::Value> {
    ws.read(LEDGER)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect()
}

fn service_progress(ws: &Workspace, name: &str) -> (u64, u64) {
    let run = ws.ferry(&["status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    let service = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap()
        .clone();
    (
        service["served_by_go"].as_u64().unwrap(),
        service["planned"].as_u64().unwrap(),
    )
}

fn stage(ws: &Workspace, field: &str) -> String {
    let run = ws.ferry(&["status", field, "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    json["fields"][0]["stage"].as_str().unwrap().to_string()
}

#[test]
fn every_transition_ferry_writes_is_one_line() {
    let demo = Workspace::demo();
    demo.ferry(&[
        "mark",
        "Assignment.stats",
        "Query.me",
        "--into",
        "assignments",
    ])
    .success();
    demo.ferry(&["advance", "Assignment.title", "--force"])
        .success();
    demo.ferry(&["rollback", "Query.me"]).success();
    // Nothing written, nothing recorded.
    demo.ferry(&["advance", "Assignment.dueAt", "--dry-run"]);
    demo.ferry(&["finish", "Assignment.title", "--dry-run"])
        .success();
    let lines = entries(&demo);
    let moves: Vec<String> = lines
        .iter()
        .map(|e| {
            format!(
                "{} {} {} → {}",
                e["field"], e["service"], e["from"], e["to"]
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            r#""Assignment.stats" "assignments" "python" → "manual""#,
            r#""Query.me" "assignments" "python" → "manual""#,
            r#""Assignment.title" "assignments" "side-by-side" → "migrated""#,
            r#""Query.me" "assignments" "manual" → "python""#,
        ]
    );
    for entry in &lines {
        let at = entry["time"].as_str().unwrap();
        assert!(
            at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
            "{at}"
        );
    }
}

#[test]
fn the_first_entry_gives_the_ledger_a_union_merge() {
    let ws = Workspace::fixture("federation_v2");
    std::fs::remove_file(ws.path(".gitattributes")).unwrap();
    ws.write(".gitattributes", "*.go diff=golang");
    let run = ws.ferry(&["mark", "Review.body", "--into", "reviews"]);
    run.success();
    assert!(run.stdout().contains("wrote .gitattributes"));
    assert_eq!(
        ws.read(".gitattributes"),
        "*.go diff=golang\nmigration-history.jsonl merge=union\n"
    );
    ws.ferry(&["rollback", "Review.body"]).success();
    assert_eq!(entries(&ws).len(), 2);
    assert_eq!(
        ws.read(".gitattributes"),
        "*.go diff=golang\nmigration-history.jsonl merge=union\n"
    );
}

#[test]
fn a_finished_field_stays_done_after_the_monolith_drops_it() {
    let demo = Workspace::demo();
    demo.ferry(&["advance", "Assignment.title", "--force"])
        .success();
    demo.ferry(&["finish", "Assignment.title"]).success();
    let finished = service_progress(&demo, "assignments");
    assert_eq!(stage(&demo, "Assignment.title"), "done");

    // As `check` asks: the monolith's SDL is exported again without it.
    let sdl = demo.read("webapp/schema.graphql");
    let dropped = sdl.replace("  title: String!\n  dueDate: Time\n", "  dueDate: Time\n");
    assert_ne!(sdl, dropped);
    demo.write("webapp/schema.graphql", &dropped);
    assert_eq!(stage(&demo, "Assignment.title"), "done");
    assert_eq!(service_progress(&demo, "assignments"), finished);

    // Without the ledger ferry could not tell it from a Go-only field.
    std::fs::remove_file(demo.path(LEDGER)).unwrap();
    assert_eq!(stage(&demo, "Assignment.title"), "go");
    let (served, planned) = finished;
    assert_eq!(
        service_progress(&demo, "assignments"),
        (served - 1, planned - 1)
    );
}

#[test]
fn a_line_ferry_cannot_read_is_an_error_naming_its_place() {
    let demo = Workspace::demo();
    demo.ferry(&["advance", "Assignment.title", "--force"])
        .success();
    let text = demo.read(LEDGER);
    demo.write(LEDGER, &format!("{text}{{\"field\": 7}}\n"));
    demo.ferry(&["status"])
        .fails_with(2, "migration-history.jsonl:2:");
}
