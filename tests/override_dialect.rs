//! The override dialect: every stage ferry writes as progressive
//! `@override` composes with the monolith's subgraph under Apollo's own
//! composition, and the supergraph's `join__field` carries the override and
//! the label ferry meant, along the whole path of a query, an object field
//! and a mutation canary; the guards composition implies refuse with the
//! reason; rollback gives every byte back.

mod common;

use common::composition::{Subgraph, compose};
use common::{Workspace, assert_same_files};

const SUBGRAPHS: [(&str, &str); 3] = [
    ("monolith", "webapp/schema.graphql"),
    ("assignments", "services/assignments/graph/schema.graphqls"),
    ("progress", "services/progress/graph/schema.graphqls"),
];
const PROGRESS: &str = SUBGRAPHS[2].1;

/// The demo with its federation v2 service in the override dialect (the
/// v1 one keeps @migrate: v1 has no @override).
fn override_demo() -> Workspace {
    let ws = Workspace::demo();
    let toml = ws.read("ferry.toml");
    let toml = toml.replace(
        "name = \"progress\"\n",
        "name = \"progress\"\ndialect = \"override\"\n",
    );
    ws.write("ferry.toml", &toml);
    ws
}

/// Composes the workspace (the monolith's SDL as `monolith`, less the
/// fields `dropped` from it); the supergraph or a panic with every error.
#[track_caller]
fn supergraph(ws: &Workspace, dropped: &[&str]) -> Option<String> {
    supergraph_of(ws, &SUBGRAPHS, dropped)
}

/// As [`supergraph`], over the given subgraphs (name, schema file).
#[track_caller]
fn supergraph_of(ws: &Workspace, subgraphs: &[(&str, &str)], dropped: &[&str]) -> Option<String> {
    let texts: Vec<(String, String)> = subgraphs
        .iter()
        .map(|(name, rel)| {
            let mut text = ws.read(rel);
            if *name == "monolith" {
                text = text
                    .lines()
                    .filter(|l| !dropped.iter().any(|d| l.trim_start().starts_with(d)))
                    .map(|l| format!("{l}\n"))
                    .collect();
            }
            (name.to_string(), text)
        })
        .collect();
    let subgraphs: Vec<Subgraph> = texts
        .iter()
        .map(|(name, sdl)| Subgraph { name, sdl })
        .collect();
    compose(&subgraphs).map(|c| c.supergraph())
}

/// The supergraph's line that declares `field` (as `name(` or `name:`) in `type_name`.
fn field_line<'s>(supergraph: &'s str, type_name: &str, field: &str) -> &'s str {
    let body = supergraph
        .split(&format!("\ntype {type_name}\n"))
        .nth(1)
        .or_else(|| supergraph.split(&format!("\ntype {type_name} ")).nth(1))
        .unwrap_or_else(|| panic!("no type {type_name} in\n{supergraph}"));
    let body = &body[..body.find("\n}").unwrap()];
    body.lines()
        .find(|l| {
            let l = l.trim_start();
            l.starts_with(&format!("{field}:")) || l.starts_with(&format!("{field}("))
        })
        .unwrap_or_else(|| panic!("no {type_name}.{field} in\n{body}"))
}

/// The supergraph says the progress subgraph overrides the monolith
/// with `label` (none: fully).
#[track_caller]
fn assert_overridden(supergraph: &str, type_name: &str, field: &str, label: Option<&str>) {
    assert_overridden_by(supergraph, "PROGRESS", type_name, field, label);
}

/// The supergraph says `graph` overrides the monolith with `label`.
#[track_caller]
fn assert_overridden_by(
    supergraph: &str,
    graph: &str,
    type_name: &str,
    field: &str,
    label: Option<&str>,
) {
    let line = field_line(supergraph, type_name, field);
    let expected = match label {
        Some(label) => format!(
            "@join__field(graph: {graph}, override: \"monolith\", overrideLabel: \"{label}\")"
        ),
        None => format!("@join__field(graph: {graph}, override: \"monolith\")"),
    };
    assert!(line.contains(&expected), "{type_name}.{field}: {line}");
    if let Some(label) = label {
        assert!(
            line.contains(&format!(
                "@join__field(graph: MONOLITH, overrideLabel: \"{label}\")"
            )),
            "{type_name}.{field}: {line}"
        );
    }
}

#[test]
fn every_stage_of_the_path_composes_with_the_override_and_label_ferry_meant() {
    let ws = override_demo();
    let before = ws.files();
    ws.ferry(&[
        "mark",
        "Query.me",
        "Progress.contentId",
        "--into",
        "progress",
    ])
    .success();
    let schema = ws.read(PROGRESS);
    assert!(
        schema.starts_with("extend schema @link(url: \"https://specs.apollo.dev/federation/v2.7\", import: [\"@key\", \"@external\", \"@shareable\", \"@override\"])\n"),
        "{schema}"
    );
    assert!(
        schema.contains("  me: User @override(from: \"monolith\", label: \"ferry:manual\")\n"),
        "{schema}"
    );
    let Some(composed) = supergraph(&ws, &[]) else {
        return;
    };
    assert_overridden(&composed, "Query", "me", Some("ferry:manual"));
    assert_overridden(&composed, "Progress", "contentId", Some("ferry:manual"));

    // The Go resolvers are not written in this test: --force.
    ws.ferry(&["advance", "Query.me", "Progress.contentId", "--force"])
        .success();
    let composed = supergraph(&ws, &[]).unwrap();
    assert_overridden(&composed, "Query", "me", Some("ferry:side-by-side"));
    assert_overridden(
        &composed,
        "Progress",
        "contentId",
        Some("ferry:side-by-side"),
    );

    // The evidence gate holds in this dialect too.
    ws.ferry(&["advance", "Query.me", "Progress.contentId"])
        .fails_with(
            2,
            "Query.me: cannot enter migrated: no evidence that Go agrees with Python",
        );
    ws.clean_evidence(&["Query.me", "Progress.contentId"]);
    ws.ferry(&["advance", "Query.me", "Progress.contentId"])
        .success();
    let composed = supergraph(&ws, &[]).unwrap();
    assert_overridden(&composed, "Query", "me", None);
    assert_overridden(&composed, "Progress", "contentId", None);

    let finish = ws.ferry(&["finish", "Query.me", "--json"]);
    finish.success();
    let report: serde_json::Value = serde_json::from_str(&finish.stdout()).unwrap();
    assert_eq!(
        report["remove_from_monolith_subgraph"][0]["field"], "Query.me",
        "{report}"
    );
    assert!(ws.read(PROGRESS).contains("  me: User\n"));
    // Done: the monolith's subgraph no longer declares it.
    let composed = supergraph(&ws, &["me: User"]).unwrap();
    let line = field_line(&composed, "Query", "me");
    assert!(!line.contains("override"), "{line}");
    assert!(line.contains("@join__field(graph: PROGRESS)"), "{line}");

    // Back along the same edges: every byte returns.
    ws.ferry(&["rollback", "Progress.contentId"]).success();
    ws.ferry(&["rollback", "Progress.contentId"]).success();
    ws.ferry(&["rollback", "Progress.contentId"]).success();
    let schema = ws.read(PROGRESS);
    assert!(!schema.contains("contentId"), "{schema}");
    // Nothing uses @override or a label any more: the link is as it was.
    assert!(
        schema.starts_with("extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\", \"@external\", \"@shareable\"])\n"),
        "{schema}"
    );
    let mut after = ws.files();
    let mut expected = before.clone();
    // The evidence gathered stays: it is what `compare` measured.
    for file in [
        "migration-history.jsonl",
        ".gitattributes",
        "ferry-evidence.json",
        PROGRESS,
    ] {
        after.remove(file);
        expected.remove(file);
    }
    assert_same_files(&expected, &after);
}

#[test]
fn a_mutation_canary_climbs_the_ladder_with_one_label_per_rung_then_migrates() {
    let ws = override_demo();
    let toml = ws.read("ferry.toml");
    ws.write(
        "ferry.toml",
        &format!("{toml}\n[override]\nladder = [1, 10, 50]\n"),
    );
    let before = ws.files();
    ws.ferry(&[
        "mark",
        "Mutation.recordProgress",
        "--into",
        "progress",
        "--canary",
        "--force",
    ])
    .success();
    let Some(composed) = supergraph(&ws, &[]) else {
        return;
    };
    // A canary with neither color nor percent starts at the first rung.
    assert_overridden(&composed, "Mutation", "recordProgress", Some("percent(1)"));
    for label in ["percent(10)", "percent(50)"] {
        ws.ferry(&["advance", "Mutation.recordProgress", "--force"])
            .success();
        let composed = supergraph(&ws, &[]).unwrap();
        assert_overridden(&composed, "Mutation", "recordProgress", Some(label));
    }
    ws.ferry(&[
        "advance",
        "Mutation.recordProgress",
        "--percent",
        "75.5",
        "--force",
    ])
    .success();
    let composed = supergraph(&ws, &[]).unwrap();
    assert_overridden(
        &composed,
        "Mutation",
        "recordProgress",
        Some("percent(75.5)"),
    );
    // Above the top rung, advance goes to migrated.
    ws.ferry(&["advance", "Mutation.recordProgress"]).success();
    let composed = supergraph(&ws, &[]).unwrap();
    assert_overridden(&composed, "Mutation", "recordProgress", None);
    // A mutation rolls back from migrated to canary, at the first rung.
    ws.ferry(&["rollback", "Mutation.recordProgress"]).success();
    let composed = supergraph(&ws, &[]).unwrap();
    assert_overridden(&composed, "Mutation", "recordProgress", Some("percent(1)"));
    ws.ferry(&["rollback", "Mutation.recordProgress"]).success();
    ws.ferry(&["rollback", "Mutation.recordProgress"]).success();
    let mut after = ws.files();
    let mut expected = before.clone();
    for file in ["migration-history.jsonl", ".gitattributes"] {
        after.remove(file);
        expected.remove(file);
    }
    assert_same_files(&expected, &after);
}

#[test]
fn rollback_retraces_the_ladder_before_a_canary_leaves_for_manual() {
    let ws = override_demo();
    let before = ws.files();
    let label = |ws: &Workspace| {
        let schema = ws.read(PROGRESS);
        schema
            .lines()
            .find(|l| l.trim_start().starts_with("recordProgress("))
            .unwrap_or_else(|| panic!("{schema}"))
            .to_string()
    };
    ws.ferry(&[
        "mark",
        "Mutation.recordProgress",
        "--into",
        "progress",
        "--canary",
        "--percent",
        "25",
        "--force",
    ])
    .success();
    let at_25 = ws.read(PROGRESS);
    // advance then rollback gives every byte back.
    ws.ferry(&["advance", "Mutation.recordProgress", "--force"])
        .success();
    assert!(
        label(&ws).contains("label: \"percent(50)\""),
        "{}",
        label(&ws)
    );
    ws.ferry(&["rollback", "Mutation.recordProgress"]).success();
    assert_eq!(ws.read(PROGRESS), at_25);
    // Off the ladder, rollback steps to the rung below.
    ws.ferry(&[
        "advance",
        "Mutation.recordProgress",
        "--percent",
        "40",
        "--force",
    ])
    .success();
    ws.ferry(&["rollback", "Mutation.recordProgress"]).success();
    assert_eq!(ws.read(PROGRESS), at_25);
    for expected in ["percent(5)", "percent(1)", "ferry:manual"] {
        ws.ferry(&["rollback", "Mutation.recordProgress"]).success();
        assert!(
            label(&ws).contains(&format!("label: \"{expected}\"")),
            "{}",
            label(&ws)
        );
        let Some(composed) = supergraph(&ws, &[]) else {
            continue;
        };
        assert_overridden(&composed, "Mutation", "recordProgress", Some(expected));
    }
    ws.ferry(&["rollback", "Mutation.recordProgress"]).success();
    assert_same_but_the_ledger(&before, &ws);
}

#[test]
fn the_migrate_dialect_steps_a_percentage_canary_down_the_ladder_too() {
    let ws = Workspace::demo();
    const ASSIGNMENTS: &str = SUBGRAPHS[1].1;
    let field = |ws: &Workspace| {
        ws.read(ASSIGNMENTS)
            .lines()
            .find(|l| l.trim_start().starts_with("createAssignment("))
            .unwrap()
            .to_string()
    };
    ws.ferry(&[
        "advance",
        "Mutation.createAssignment",
        "--percent",
        "25",
        "--force",
    ])
    .success();
    assert!(
        field(&ws)
            .ends_with("@migrate(from: \"python\", state: \"canary\", color: \"percent(25)\")"),
        "{}",
        field(&ws)
    );
    for expected in [
        "state: \"canary\", color: \"percent(5)\")",
        "state: \"canary\", color: \"percent(1)\")",
        "state: \"manual\")",
    ] {
        ws.ferry(&["rollback", "Mutation.createAssignment"])
            .success();
        assert!(field(&ws).ends_with(expected), "{}", field(&ws));
    }
    // A colored canary leaves canary in one step.
    ws.ferry(&[
        "advance",
        "Mutation.createAssignment",
        "--canary-color",
        "red",
        "--force",
    ])
    .success();
    ws.ferry(&["rollback", "Mutation.createAssignment"])
        .success();
    assert!(field(&ws).ends_with("state: \"manual\")"), "{}", field(&ws));
}

#[test]
fn a_colored_canary_is_a_custom_label_and_fields_advanced_together_share_it() {
    let ws = override_demo();
    ws.ferry(&[
        "mark",
        "Progress.contentId",
        "Query.me",
        "--into",
        "progress",
    ])
    .success();
    ws.ferry(&[
        "advance",
        "Progress.contentId",
        "Query.me",
        "--to",
        "canary",
        "--canary-color",
        "red",
        "--force",
    ])
    .success();
    let schema = ws.read(PROGRESS);
    assert_eq!(
        schema.matches("label: \"canary:red\"").count(),
        2,
        "{schema}"
    );
    let status = ws.ferry(&["status", "--json"]);
    status.success();
    let json: serde_json::Value = serde_json::from_str(&status.stdout()).unwrap();
    let me = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["type"] == "Query" && f["field"] == "me")
        .unwrap();
    assert_eq!(me["stage"], "canary");
    assert_eq!(me["color"], "red");
    let Some(composed) = supergraph(&ws, &[]) else {
        return;
    };
    assert_overridden(&composed, "Query", "me", Some("canary:red"));
    assert_overridden(&composed, "Progress", "contentId", Some("canary:red"));

    // A color no label can carry is refused with the reason.
    ws.ferry(&[
        "advance",
        "Query.me",
        "--to",
        "canary",
        "--canary-color",
        "red team",
        "--force",
    ])
    .fails_with(2, "is not an override label");
}

#[test]
fn the_guards_composition_implies_refuse_with_the_reason() {
    // A v1 service has no @override.
    let ws = Workspace::demo();
    let toml = ws.read("ferry.toml");
    ws.write("ferry.toml", &format!("dialect = \"override\"\n{toml}"));
    ws.ferry(&["mark", "Assignment.stats", "--into", "assignments"])
        .fails_with(2, "federation v1 subgraph, which has no @override");
    // A field the monolith resolves with @requires cannot be overridden.
    let monolith = ws.read("webapp/schema.graphql");
    let monolith = monolith.replacen(
        "  contentId: String!\n",
        "  contentId: String! @requires(fields: \"id\")\n",
        1,
    );
    ws.write("webapp/schema.graphql", &monolith);
    ws.ferry(&["mark", "Progress.contentId", "--into", "progress"])
        .fails_with(2, "composition refuses @override");
}

#[test]
fn converting_to_override_and_back_gives_every_byte_back_and_composes_in_between() {
    let ws = Workspace::demo();
    // The v1 service keeps @migrate.
    let toml = ws.read("ferry.toml").replace(
        "name = \"assignments\"\n",
        "name = \"assignments\"\ndialect = \"migrate\"\n",
    );
    ws.write("ferry.toml", &toml);
    let before = ws.files();
    ws.ferry(&["dialect", "override"]).success();
    assert!(
        ws.read("ferry.toml")
            .contains("\ndialect = \"override\"\n\n[python]")
    );
    let schema = ws.read(PROGRESS);
    assert!(
        schema.contains(
            "status: ProgressStatus @shareable @override(from: \"monolith\", label: \"canary:blue\")"
        ),
        "{schema}"
    );
    let status = ws.ferry(&["status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&status.stdout()).unwrap();
    assert_eq!(json["labels"]["canary:blue"], 1, "{json}");
    if let Some(composed) = supergraph(&ws, &[]) {
        assert_overridden(&composed, "Progress", "status", Some("canary:blue"));
        assert_overridden(&composed, "Progress", "pointsEarned", Some("ferry:manual"));
        assert_overridden(&composed, "Query", "progressForUser", None);
    }
    ws.ferry(&["dialect", "migrate"]).success();
    let mut after = ws.files();
    let mut expected = before.clone();
    // The ledger keeps the two conversions.
    for file in ["migration-history.jsonl", ".gitattributes"] {
        after.remove(file);
        expected.remove(file);
    }
    assert_same_files(&expected, &after);
    // And once more the other way: the second conversion takes back what the first added.
    ws.ferry(&["dialect", "override"]).success();
    ws.ferry(&["dialect", "migrate"]).success();
    let mut again = ws.files();
    again.remove("migration-history.jsonl");
    again.remove(".gitattributes");
    assert_same_files(&expected, &again);
}

const USERS: &str = "services/users/schema.graphqls";

/// A third service, at federation v2.5, with a canary of each kind: one
/// without a group, one at a percentage.
const USERS_SCHEMA: &str = r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])

directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION

scalar Time

type User @key(fields: "kaid") {
  kaid: ID!
  nickname: String @shareable @migrate(from: "python", state: "side-by-side")
  email: String @shareable @migrate(from: "python", state: "canary")
  joinedDate: Time @shareable @migrate(from: "python", state: "canary", color: "percent(25)")
}
"#;

/// Every file but the ledger (and the `.gitattributes` it comes with) is
/// as it was.
#[track_caller]
fn assert_same_but_the_ledger(
    expected: &std::collections::BTreeMap<String, Vec<u8>>,
    ws: &Workspace,
) {
    let mut expected = expected.clone();
    let mut after = ws.files();
    for file in ["migration-history.jsonl", ".gitattributes"] {
        expected.remove(file);
        after.remove(file);
    }
    assert_same_files(&expected, &after);
}

#[test]
fn each_service_converts_back_to_exactly_what_it_had_whatever_its_link() {
    let ws = Workspace::demo();
    let toml = ws.read("ferry.toml").replace(
        "name = \"assignments\"\n",
        "name = \"assignments\"\ndialect = \"migrate\"\n",
    );
    ws.write(
        "ferry.toml",
        &format!(
            "{toml}\n[[services]]\nname = \"users\"\nschema = [\"{USERS}\"]\nowns = [\"User.*\"]\n"
        ),
    );
    std::fs::create_dir_all(ws.path("services/users")).unwrap();
    ws.write(USERS, USERS_SCHEMA);
    // progress (v2.3) already imports @override; users (v2.5) does not.
    let progress =
        ws.read(PROGRESS)
            .replacen("\"@shareable\"])", "\"@shareable\", \"@override\"])", 1);
    ws.write(PROGRESS, &progress);
    let in_migrate = ws.files();

    ws.ferry(&["dialect", "override"]).success();
    let users = ws.read(USERS);
    assert!(
        users.starts_with("extend schema @link(url: \"https://specs.apollo.dev/federation/v2.7\", import: [\"@key\", \"@shareable\", \"@override\"])\n"),
        "{users}"
    );
    assert!(
        users.contains(
            "email: String @shareable @override(from: \"monolith\", label: \"percent(1)\")"
        ),
        "{users}"
    );
    assert!(
        ws.read(PROGRESS).starts_with("extend schema @link(url: \"https://specs.apollo.dev/federation/v2.7\", import: [\"@key\", \"@external\", \"@shareable\", \"@override\"])\n"),
    );
    // Each service's ledger lines carry what was added to it alone.
    let ledger = ws.read("migration-history.jsonl");
    let scaffold_of = |field: &str| -> serde_json::Value {
        let line = ledger
            .lines()
            .find(|l| l.contains(&format!("\"field\":\"{field}\"")))
            .unwrap_or_else(|| panic!("no line for {field} in\n{ledger}"));
        serde_json::from_str::<serde_json::Value>(line).unwrap()["scaffold"].clone()
    };
    assert_eq!(
        scaffold_of("User.email"),
        serde_json::json!({
            "imports": ["@override"],
            "link_url": "https://specs.apollo.dev/federation/v2.5",
            "first_rung_canaries": ["User.email"],
        })
    );
    assert_eq!(
        scaffold_of("Progress.status"),
        serde_json::json!({"link_url": "https://specs.apollo.dev/federation/v2.3"})
    );
    let in_override = ws.files();
    let subgraphs = [SUBGRAPHS[0], SUBGRAPHS[1], SUBGRAPHS[2], ("users", USERS)];
    if let Some(composed) = supergraph_of(&ws, &subgraphs, &[]) {
        assert_overridden_by(
            &composed,
            "USERS",
            "User",
            "nickname",
            Some("ferry:side-by-side"),
        );
        assert_overridden_by(&composed, "USERS", "User", "email", Some("percent(1)"));
        assert_overridden_by(
            &composed,
            "USERS",
            "User",
            "joinedDate",
            Some("percent(25)"),
        );
        assert_overridden(&composed, "Progress", "status", Some("canary:blue"));
    }

    // migrate → override → migrate, then override → migrate → override.
    ws.ferry(&["dialect", "migrate"]).success();
    assert_same_but_the_ledger(&in_migrate, &ws);
    ws.ferry(&["dialect", "override"]).success();
    assert_same_but_the_ledger(&in_override, &ws);
    ws.ferry(&["dialect", "migrate"]).success();
    assert_same_but_the_ledger(&in_migrate, &ws);
}

#[test]
fn init_detects_the_override_dialect_from_a_service_that_uses_it() {
    let ws = override_demo();
    ws.ferry(&["mark", "Query.me", "--into", "progress"])
        .success();
    std::fs::remove_file(ws.path("ferry.toml")).unwrap();
    let init = ws.ferry(&["init", "--stdout"]);
    init.success();
    let toml = init.stdout();
    assert!(toml.contains("\ndialect = \"override\"\n"), "{toml}");
    // The v1 service keeps @migrate.
    assert!(
        toml.contains("name = \"assignments\"\n# Federation v1 has no @override: this service keeps @migrate.\ndialect = \"migrate\"\n"),
        "{toml}"
    );
}
