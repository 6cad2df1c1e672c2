//! `ferry dialect`: converting a workspace between `@migrate` and
//! progressive `@override` respells every in-flight field, composes in
//! between, and converting back gives every service every byte it had.

mod common;
mod override_support;

use common::{Workspace, assert_same_files};
use override_support::*;

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
