//! `ferry check`: each rule fires on the inconsistency it names (snapshot of
//! its findings) and not on the demo as shipped.

mod common;

use common::Workspace;

const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";
const RESOLVERS: &str = "services/assignments/graph/schema.resolvers.go";

fn findings(demo: &Workspace) -> (i32, Vec<serde_json::Value>) {
    let run = demo.ferry(&["check", "--json"]);
    assert!(run.code() == 0 || run.code() == 1, "{}", run.stderr());
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    (run.code(), json["findings"].as_array().unwrap().clone())
}

fn with_id(all: &[serde_json::Value], id: &str) -> Vec<serde_json::Value> {
    all.iter().filter(|f| f["id"] == id).cloned().collect()
}

fn edit(demo: &Workspace, rel: &str, from: &str, to: &str) {
    let text = demo.read(rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    demo.write(rel, &text.replacen(from, to, 1));
}

/// Applies `change` to a fresh demo; the rule must be absent before and
/// present after.
fn fires(id: &str, change: impl Fn(&Workspace)) -> Vec<serde_json::Value> {
    let demo = Workspace::demo();
    let (_, before) = findings(&demo);
    assert!(
        with_id(&before, id).is_empty(),
        "{id} fires on the demo: {before:?}"
    );
    change(&demo);
    let (code, after) = findings(&demo);
    let found = with_id(&after, id);
    assert!(!found.is_empty(), "{id} did not fire: {after:?}");
    if found.iter().any(|f| f["severity"] == "error") {
        assert_eq!(code, 1);
    }
    found
}

#[test]
fn the_demo_has_only_its_done_fields_to_clean_up() {
    let demo = Workspace::demo();
    let (code, all) = findings(&demo);
    assert_eq!(code, 1);
    insta::assert_json_snapshot!(all);
}

#[test]
fn directive_undeclared() {
    insta::assert_json_snapshot!(fires("directive-undeclared", |d| edit(
        d,
        ASSIGNMENTS,
        "directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION",
        ""
    )));
}

#[test]
fn gqlgen_skip_runtime() {
    insta::assert_json_snapshot!(fires("gqlgen-skip-runtime", |d| {
        let yml = d.read("services/assignments/gqlgen.yml");
        let cut = yml.find("directives:").unwrap();
        d.write("services/assignments/gqlgen.yml", &yml[..cut]);
    }));
}

#[test]
fn unknown_state() {
    insta::assert_json_snapshot!(fires("unknown-state", |d| edit(
        d,
        ASSIGNMENTS,
        "state: \"migrated\"",
        "state: \"halfway\""
    )));
}

#[test]
fn color_without_canary() {
    insta::assert_json_snapshot!(fires("color-without-canary", |d| edit(
        d,
        ASSIGNMENTS,
        "state: \"migrated\"",
        "state: \"migrated\", color: \"red\""
    )));
}

#[test]
fn go_missing() {
    insta::assert_json_snapshot!(fires("go-missing", |d| edit(
        d,
        RESOLVERS,
        ") Title(ctx context.Context",
        ") Heading(ctx context.Context"
    )));
}

#[test]
fn go_stub() {
    insta::assert_json_snapshot!(fires("go-stub", |d| edit(
        d,
        ASSIGNMENTS,
        "createdDate: Time @migrate(from: \"python\", state: \"manual\")",
        "createdDate: Time @migrate(from: \"python\", state: \"side-by-side\")"
    )));
}

#[test]
fn mutation_side_by_side() {
    insta::assert_json_snapshot!(fires("mutation-side-by-side", |d| edit(
        d,
        ASSIGNMENTS,
        "state: \"canary\", color: \"red\"",
        "state: \"side-by-side\""
    )));
}

#[test]
fn done_python_remains() {
    // The demo ships two done fields; finishing a third adds a finding.
    let demo = Workspace::demo();
    let (_, before) = findings(&demo);
    demo.ferry(&["finish", "Query.progressForUser"]).success();
    let (_, after) = findings(&demo);
    let added: Vec<_> = with_id(&after, "done-python-remains")
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert_eq!(added.len(), 1, "{after:?}");
    insta::assert_json_snapshot!(added);
    // A Go-only field never is.
    assert!(
        !after
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("gradingRubricUrl"))
    );
}

#[test]
fn python_shared() {
    // Query.assignmentsForClassroom (still Python) reuses Query.assignment's
    // resolver, and Query.assignment reaches migrated.
    insta::assert_json_snapshot!(fires("python-shared", |d| {
        edit(
            d,
            "webapp/assignments/queries.py",
            "resolver=resolvers.assignments_for_classroom",
            "resolver=resolvers.get_assignment",
        );
        edit(
            d,
            ASSIGNMENTS,
            "Assignment @migrate(from: \"python\", state: \"side-by-side\")",
            "Assignment @migrate(from: \"python\", state: \"migrated\")",
        );
    }));
}

#[test]
fn claimed_twice() {
    insta::assert_json_snapshot!(fires("claimed-twice", |d| {
        let text = d.read("services/progress/graph/schema.graphqls")
            + "\nextend type Assignment @key(fields: \"id\") {\n  id: ID! @external\n  title: String!\n}\n";
        d.write("services/progress/graph/schema.graphqls", &text);
    }));
}

#[test]
fn migrate_not_in_monolith() {
    insta::assert_json_snapshot!(fires("migrate-not-in-monolith", |d| edit(
        d,
        ASSIGNMENTS,
        "gradingRubricUrl: String",
        "gradingRubricUrl: String @migrate(from: \"python\", state: \"manual\")"
    )));
}

#[test]
fn sdl_stale() {
    insta::assert_json_snapshot!(fires("sdl-stale", |d| edit(
        d,
        "webapp/schema.graphql",
        "  email: String\n",
        ""
    )));
}

#[test]
fn github_annotations_and_exit_codes() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["check", "--format", "github"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stdout()
            .lines()
            .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file="))
    );
    assert!(
        run.stdout()
            .contains("title=ferry done-python-remains::Assignment.isPublished is done")
    );
    // Cleaned up: the done fields leave the monolith's SDL.
    edit(
        &demo,
        "webapp/schema.graphql",
        "  isPublished: Boolean!\n",
        "",
    );
    edit(
        &demo,
        "webapp/schema.graphql",
        "  lastAttemptedAt: Time\n",
        "",
    );
    let run = demo.ferry(&["check"]);
    // The Python still declares them: the SDL is now stale instead.
    assert_eq!(run.code(), 1, "{}", run.stdout());
    assert!(run.stdout().contains("sdl-stale"));
}
