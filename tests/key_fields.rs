//! Key fields are shared, not moved: they come with their entity, and no
//! service has to earn them; `--service` lists what a service plans.

mod common;

use common::{Workspace, assert_same_files};

const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";

fn json(run: &common::Run) -> serde_json::Value {
    serde_json::from_str(&run.success().stdout()).unwrap()
}

#[test]
fn a_type_star_mark_brings_the_key_with_the_entity_once() {
    let demo = Workspace::demo();
    let before = demo.files();
    let run = demo.ferry(&["mark", "Classroom.*", "--into", "assignments"]);
    run.success();
    assert!(
        run.stdout()
            .contains("Classroom.id: a key field, shared: it comes with its entity"),
        "{}",
        run.stdout()
    );
    let schema = demo.read(ASSIGNMENTS);
    let block = &schema[schema.find("extend type Classroom").unwrap()..];
    let block = &block[..block.find("\n}").unwrap()];
    assert_eq!(block.matches("\n  id: ").count(), 1, "{block}");
    assert!(block.contains("\n  id: ID! @external\n"), "{block}");
    // The key is still nobody's: shared.
    let status = demo.ferry(&["status", "Classroom.*", "--json"]);
    let fields = json(&status)["fields"].clone();
    for field in fields.as_array().unwrap() {
        let expected = if field["field"] == "id" {
            "key"
        } else {
            "manual"
        };
        assert_eq!(field["stage"], expected, "{field}");
    }
    let run = demo.ferry(&["rollback", "Classroom.*", "--json"]);
    assert_eq!(json(&run)["shared_keys"][0], "Classroom.id");
    assert_same_files(&before, &demo.files());
}

#[test]
fn key_fields_are_left_out_of_progress_so_a_service_can_reach_all_of_it() {
    let ws = Workspace::fixture("federation_v2");
    let services = |ws: &Workspace| json(&ws.ferry(&["status", "--json"]))["services"].clone();
    // reviews owns Review.*: the key Review.id is not part of it.
    let reviews = services(&ws)[0].clone();
    assert_eq!(reviews["name"], "reviews");
    assert_eq!(reviews["planned"], 2);
    assert_eq!(reviews["by_stage"].get("key"), None);
    // Its key comes along, selected or not.
    let planned = ["Review.id", "Review.body", "Review.product"];
    ws.ferry(&[&["mark"], &planned[..], &["--into", "reviews"]].concat())
        .success();
    for _ in 0..2 {
        ws.ferry(&[&["advance"], &planned[..], &["--force"]].concat())
            .success();
    }
    let reviews = services(&ws)[0].clone();
    assert_eq!(reviews["served_by_go"], 2);
    assert_eq!(reviews["planned"], 2);
    let table = ws.ferry(&["status"]);
    assert!(
        table.success().stdout().contains("2/2 served by Go (100%)"),
        "{}",
        table.stdout()
    );
}

#[test]
fn service_and_state_list_the_python_fields_the_service_plans_to_take_over() {
    let demo = Workspace::demo();
    let run = demo.ferry(&[
        "status",
        "--service",
        "progress",
        "--state",
        "python",
        "--json",
    ]);
    let listed: Vec<String> = json(&run)["fields"]
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
    assert_eq!(
        listed,
        [
            "Mutation.recordProgress",
            "Progress.contentId",
            "Progress.user"
        ]
    );
    // The same count the service's progress shows.
    let status = json(&demo.ferry(&["status", "--json"]));
    let progress = status["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "progress")
        .unwrap()
        .clone();
    assert_eq!(progress["by_stage"]["python"], 3);
    // And the keys it shares are listed as such.
    let run = demo.ferry(&[
        "status",
        "--service",
        "progress",
        "--state",
        "key",
        "--json",
    ]);
    let keys: Vec<String> = json(&run)["fields"]
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
    assert_eq!(keys, ["Progress.id", "User.kaid"]);
}
