//! `ferry check`: each rule fires on the inconsistency it names (snapshot of
//! its findings) and not on the demo as shipped.

mod common;

use common::Workspace;
use ferry::check::Rule;

const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";
const RESOLVERS: &str = "services/assignments/graph/schema.resolvers.go";

/// Check's findings, which must be status's problems too, each with a
/// message and a hint that do not say the same thing.
fn findings(demo: &Workspace) -> (i32, Vec<serde_json::Value>) {
    let run = demo.ferry(&["check", "--json"]);
    assert!(run.code() == 0 || run.code() == 1, "{}", run.stderr());
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["version"], 1);
    let findings = json["findings"].as_array().unwrap().clone();
    let status: serde_json::Value =
        serde_json::from_str(&demo.ferry(&["status", "--json"]).success().stdout()).unwrap();
    assert_eq!(status["problems"].as_array().unwrap(), &findings);
    for finding in &findings {
        let (message, hint) = (
            finding["message"].as_str().unwrap(),
            finding["hint"].as_str().unwrap(),
        );
        if let Some(words) = shared_words(message, hint) {
            panic!("message and hint both say {words:?}: {finding}");
        }
    }
    (run.code(), findings)
}

/// A run of four words both texts contain.
fn shared_words(a: &str, b: &str) -> Option<String> {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .collect()
    };
    let (a, b) = (words(a), words(b));
    a.windows(4)
        .find(|run| b.windows(4).any(|other| other == *run))
        .map(|run| run.join(" "))
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
fn the_demo_has_done_fields_to_clean_up_and_migrated_fields_without_evidence() {
    let demo = Workspace::demo();
    let (code, all) = findings(&demo);
    assert_eq!(code, 1);
    // Both done fields are served by graphene's default resolver: there is
    // no resolver to delete.
    for finding in all.iter().filter(|f| f["id"] == "done-python-remains") {
        assert!(
            !finding["hint"].as_str().unwrap().contains("resolver"),
            "{finding}"
        );
    }
    insta::assert_json_snapshot!(all);
}

#[test]
fn docs_check_md_shows_what_check_prints_on_the_demo() {
    let doc = std::fs::read_to_string(common::repo().join("docs/check.md")).unwrap();
    let block = doc
        .split("```console\n$ ferry check\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/check.md shows a `ferry check` run");
    let run = Workspace::demo().ferry(&["check"]);
    assert_eq!(run.code(), 1);
    assert_eq!(run.stdout(), block);
}

/// Each `### `id`` heading of docs/check.md with its section's text.
fn documented_rules() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(common::repo().join("docs/check.md")).unwrap();
    doc.split("\n### ")
        .skip(1)
        .map(|section| {
            let (heading, body) = section.split_once('\n').unwrap();
            let id = heading.trim().trim_matches('`').to_string();
            (id, body.to_string())
        })
        .collect()
}

#[test]
fn every_rule_is_documented_and_the_doc_lists_no_other() {
    let documented = documented_rules();
    let ids: Vec<&str> = documented.iter().map(|(id, _)| id.as_str()).collect();
    for rule in Rule::ALL {
        assert_eq!(rule.doc(), format!("docs/check.md#{}", rule.id()));
        let Some((_, body)) = documented.iter().find(|(id, _)| id == rule.id()) else {
            panic!("docs/check.md has no section for {}", rule.id());
        };
        assert!(
            body.trim_start()
                .starts_with(&format!("{}: ", rule.severity().as_str())),
            "docs/check.md gives {} another severity:\n{body}",
            rule.id()
        );
        assert!(
            body.contains(&format!("Hint: {}\n", rule.hint())),
            "docs/check.md gives {} another hint than {:?}",
            rule.id(),
            rule.hint()
        );
    }
    for id in &ids {
        assert!(
            Rule::ALL.iter().any(|r| r.id() == *id),
            "docs/check.md documents `{id}`, which is no rule"
        );
    }
    assert_eq!(
        ids.len(),
        Rule::ALL.len(),
        "a rule documented twice: {ids:?}"
    );
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

/// A service that declares its own, looser `@migrate` (nullable arguments)
/// lets a directive without `state` or `from` through validation.
fn with_a_loose_definition(demo: &Workspace) {
    edit(
        demo,
        ASSIGNMENTS,
        "directive @migrate(from: String!, state: String!, color: String)",
        "directive @migrate(from: String, state: String, color: String)",
    );
}

#[test]
fn missing_state() {
    insta::assert_json_snapshot!(fires("missing-state", |d| {
        with_a_loose_definition(d);
        edit(
            d,
            ASSIGNMENTS,
            "createdDate: Time @migrate(from: \"python\", state: \"manual\")",
            "createdDate: Time @migrate(from: \"python\")",
        );
    }));
}

#[test]
fn missing_from() {
    insta::assert_json_snapshot!(fires("missing-from", |d| {
        with_a_loose_definition(d);
        edit(
            d,
            ASSIGNMENTS,
            "createdDate: Time @migrate(from: \"python\", state: \"manual\")",
            "createdDate: Time @migrate(from: null, state: \"manual\")",
        );
    }));
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
    // At the Python resolver's def.
    insta::assert_json_snapshot!(fires("sdl-stale", |d| edit(
        d,
        "webapp/schema.graphql",
        "  email: String\n",
        ""
    )));
}

#[test]
fn sdl_stale_for_a_field_of_the_default_resolver() {
    // graphene's default resolver serves User.role: there is no function to
    // point at.
    let found = fires("sdl-stale", |d| {
        edit(d, "webapp/schema.graphql", "  role: UserRole\n", "")
    });
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0]["message"].as_str().unwrap().contains("User.role"));
    assert_eq!(found[0]["file"], serde_json::Value::Null);
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
    // The Python still declares them: exporting the SDL again would bring
    // them back, so the advice is to delete the Python.
    let (code, all) = findings(&demo);
    assert_eq!(code, 1);
    let stale = with_id(&all, "sdl-stale");
    assert_eq!(stale.len(), 2, "{all:?}");
    for finding in stale {
        assert!(
            finding["hint"]
                .as_str()
                .unwrap()
                .starts_with("Go serves the field alone: delete it from the Python"),
            "{finding}"
        );
    }
}

#[test]
fn a_failure_with_json_prints_an_error_document() {
    let demo = Workspace::demo();
    edit(&demo, ASSIGNMENTS, "  title: String!", "  title: String! @");
    let run = demo.ferry(&["check", "--json"]);
    run.fails_with(2, "schema.graphqls:14:");
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["version"], 1);
    let message = json["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("services/assignments/graph/schema.graphqls:14:"),
        "{message}"
    );
    // Without --json, stdout stays empty.
    assert_eq!(demo.ferry(&["check"]).stdout(), "");
}

#[test]
fn the_summary_counts_in_the_singular_and_the_plural() {
    let demo = Workspace::demo();
    assert!(
        demo.ferry(&["check"])
            .stdout()
            .ends_with("check: 2 errors, 2 warnings\n")
    );
    // Evidence for the two migrated fields; one done field cleaned up, in
    // the Python and in the SDL; a type the SDL does not define makes it
    // invalid, a warning.
    demo.clean_evidence(&["Assignment.dueDate", "Query.progressForUser"]);
    edit(
        &demo,
        "webapp/progress/schema.py",
        "    last_attempted_at = Time()\n",
        "",
    );
    edit(
        &demo,
        "webapp/schema.graphql",
        "  lastAttemptedAt: Time\n",
        "",
    );
    let schema = demo.read("webapp/schema.graphql") + "\ntype Orphan {\n  x: Undefined\n}\n";
    demo.write("webapp/schema.graphql", &schema);
    let run = demo.ferry(&["check"]);
    assert!(
        run.stdout().ends_with("check: 1 error, 1 warning\n"),
        "{}",
        run.stdout()
    );
}
