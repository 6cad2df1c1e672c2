//! The override dialect: every stage ferry writes as progressive
//! `@override` composes with the monolith's subgraph under Apollo's own
//! composition, and the supergraph's `join__field` carries the override and
//! the label ferry meant, along the whole path of a query, an object field
//! and a mutation canary; the guards composition implies refuse with the
//! reason; rollback retraces the ladder and gives every byte back; check
//! names the monolith's line a done field must leave.

mod common;
mod override_support;

use common::{Workspace, assert_same_files};
use override_support::*;

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

/// `ferry check --json`'s findings under `rule`, as (file, line, message).
fn findings(ws: &Workspace, rule: &str) -> Vec<(String, u64, String)> {
    let check = ws.ferry(&["check", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&check.stdout()).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == rule)
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_names_the_monolith_line_a_done_override_field_must_leave() {
    let ws = Workspace::demo();
    let toml = ws.read("ferry.toml").replace(
        "name = \"assignments\"\n",
        "name = \"assignments\"\ndialect = \"migrate\"\n",
    );
    ws.write("ferry.toml", &toml);
    ws.ferry(&["dialect", "override"]).success();
    // Query.me as the override dialect marks it (not @shareable), and
    // Progress.status as the migrate dialect had marked it (@shareable).
    ws.ferry(&["mark", "Query.me", "--into", "progress"])
        .success();
    for _ in 0..2 {
        ws.ferry(&["advance", "Query.me", "--force"]).success();
    }
    ws.ferry(&["finish", "Query.me", "Progress.status"])
        .success();
    let schema = ws.read(PROGRESS);
    assert!(schema.contains("  me: User\n"), "{schema}");
    assert!(
        schema.contains("  status: ProgressStatus @shareable\n"),
        "{schema}"
    );

    let monolith = "webapp/schema.graphql";
    let me_line = ws
        .read(monolith)
        .lines()
        .position(|l| l == "  me: User")
        .unwrap()
        + 1;
    let found = findings(&ws, "done-in-monolith-subgraph");
    assert_eq!(found.len(), 1, "{found:?}");
    let (file, line, message) = &found[0];
    assert_eq!((file.as_str(), *line as usize), (monolith, me_line));
    assert!(
        message.starts_with("Query.me is done in `progress` (no @override left) but the monolith's subgraph still declares it")
            && message.ends_with(&format!("remove it from {monolith}:{me_line}")),
        "{message}"
    );

    // Composition agrees: two owners of Query.me and no @override between them.
    if let Some(composition) = composition_of(&ws, &SUBGRAPHS, &[]) {
        let errors = composition.errors.expect("composition refuses");
        assert!(
            errors
                .iter()
                .any(|e| e.code.as_deref() == Some("INVALID_FIELD_SHARING")
                    && e.message.contains("\"Query.me\"")),
            "{errors:?}"
        );
        assert!(
            !errors.iter().any(|e| e.message.contains("Progress.status")),
            "a field shareable in both composes: {errors:?}"
        );
    }
    // Removing the line named: the finding goes, and the supergraph composes.
    let without: String = ws
        .read(monolith)
        .lines()
        .enumerate()
        .filter(|(i, _)| i + 1 != me_line)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    ws.write(monolith, &without);
    assert_eq!(findings(&ws, "done-in-monolith-subgraph"), vec![]);
    if let Some(composed) = supergraph(&ws, &[]) {
        let line = field_line(&composed, "Query", "me");
        assert!(line.contains("@join__field(graph: PROGRESS)"), "{line}");
    }
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
