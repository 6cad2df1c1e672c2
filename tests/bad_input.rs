//! Bad input: a clear message naming file:line:col, exit 2, and no file touched.

mod common;

use common::{Workspace, assert_same_files};

const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";

#[test]
fn malformed_sdl_is_reported_with_its_location_and_nothing_is_written() {
    let demo = Workspace::demo();
    let schema = demo
        .read(ASSIGNMENTS)
        .replacen("  title: String!", "  title: String! @", 1);
    demo.write(ASSIGNMENTS, &schema);
    let before = demo.files();
    let run = demo.ferry(&["mark", "Assignment.stats", "--into", "assignments"]);
    run.fails_with(2, "services/assignments/graph/schema.graphqls:14:");
    assert!(
        run.stderr().contains("14 │"),
        "the source line is shown:\n{}",
        run.stderr()
    );
    assert_same_files(&before, &demo.files());
    demo.ferry(&["status"]).fails_with(2, "syntax error");
}

#[test]
fn an_unknown_state_is_a_problem_and_the_field_cannot_move() {
    let demo = Workspace::demo();
    let schema = demo.read(ASSIGNMENTS).replace(
        "state: \"side-by-side\")\n  dueDate",
        "state: \"halfway\")\n  dueDate",
    );
    let schema = schema.replacen("state: \"side-by-side\"", "state: \"halfway\"", 1);
    demo.write(ASSIGNMENTS, &schema);
    let before = demo.files();
    let run = demo.ferry(&["status", "--json"]);
    run.success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let problem = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "unknown-state")
        .expect("unknown-state reported");
    assert_eq!(problem["file"], ASSIGNMENTS);
    assert!(problem["line"].as_u64().unwrap() > 0);
    assert!(problem["message"].as_str().unwrap().contains("\"halfway\""));
    demo.ferry(&["advance", "Assignment.title", "--force"])
        .fails_with(2, "state is not one ferry knows");
    assert_same_files(&before, &demo.files());
}

#[test]
fn a_selector_matching_nothing_names_the_closest_fields() {
    let demo = Workspace::demo();
    demo.ferry(&["status", "Assignment.titel"])
        .fails_with(2, "did you mean Assignment.title");
    demo.ferry(&["advance", "Asignment.*"])
        .fails_with(2, "did you mean Assignment.*");
    demo.ferry(&["status", "Assignment"])
        .fails_with(2, "Assignment.*");
}

#[test]
fn a_service_not_in_the_config_is_named_with_the_known_ones() {
    let demo = Workspace::demo();
    let before = demo.files();
    demo.ferry(&["mark", "Assignment.stats", "--into", "grading"])
        .fails_with(
            2,
            "unknown service `grading`; the workspace has: assignments, progress",
        );
    demo.ferry(&["status", "--service", "grading"])
        .fails_with(2, "unknown service `grading`");
    assert_same_files(&before, &demo.files());
}

#[test]
fn a_read_only_schema_file_is_refused() {
    let demo = Workspace::demo();
    let path = demo.path(ASSIGNMENTS);
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let before = demo.files();
    demo.ferry(&["mark", "Assignment.stats", "--into", "assignments"])
        .fails_with(2, "read-only");
    assert_same_files(&before, &demo.files());
}

#[test]
fn a_non_utf8_schema_is_reported_with_its_position() {
    let demo = Workspace::demo();
    let mut bytes = std::fs::read(demo.path(ASSIGNMENTS)).unwrap();
    let at = bytes.iter().position(|b| *b == b'#').unwrap();
    bytes.insert(at + 2, 0xff);
    std::fs::write(demo.path(ASSIGNMENTS), &bytes).unwrap();
    let before = demo.files();
    demo.ferry(&["mark", "Assignment.stats", "--into", "assignments"])
        .fails_with(2, "not valid UTF-8");
    let run = demo.ferry(&["status"]);
    assert!(
        run.stderr()
            .contains("services/assignments/graph/schema.graphqls:"),
        "{}",
        run.stderr()
    );
    assert_same_files(&before, &demo.files());
}

#[test]
fn a_broken_ferry_toml_names_its_line_and_column() {
    let demo = Workspace::demo();
    demo.write(
        "ferry.toml",
        "[python]\nschema = [\"webapp/schema.graphql\"\n",
    );
    demo.ferry(&["status"]).fails_with(2, "ferry.toml:");
    demo.write("ferry.toml", "[python]\nschema = [\"missing.graphql\"]\n");
    demo.ferry(&["status"])
        .fails_with(2, "`missing.graphql` does not exist");
    demo.write("ferry.toml", "[python]\nschemas = []\n");
    demo.ferry(&["status"])
        .fails_with(2, "unknown field `schemas`");
}
