//! What `mark` writes composes with the monolith's subgraph under Apollo's
//! own composition, in federation v1 and v2 forms, into the demo's
//! services, into services of a federation v2 monolith, and into a new,
//! empty service; and rollback gives every byte back.

mod common;

use common::composition::{Subgraph, compose};
use common::{Workspace, assert_same_files};

const DEMO_SUBGRAPHS: [(&str, &str); 3] = [
    ("monolith", "webapp/schema.graphql"),
    ("assignments", "services/assignments/graph/schema.graphqls"),
    ("progress", "services/progress/graph/schema.graphqls"),
];

const V2_SUBGRAPHS: [(&str, &str); 3] = [
    ("monolith", "monolith.graphql"),
    ("reviews", "services/reviews/graph/schema.graphqls"),
    ("legacy", "services/legacy/graph/schema.graphqls"),
];
const FRESH: &str = "services/fresh/graph/schema.graphqls";

/// Composes the workspace's subgraphs; the supergraph, or a panic with
/// every composition error. `None` only where Node is missing outside CI.
#[track_caller]
fn supergraph(ws: &Workspace, subgraphs: &[(&str, &str)]) -> Option<String> {
    let texts: Vec<(String, String)> = subgraphs
        .iter()
        .map(|(name, rel)| (name.to_string(), ws.read(rel)))
        .collect();
    let subgraphs: Vec<Subgraph> = texts
        .iter()
        .map(|(name, sdl)| Subgraph { name, sdl })
        .collect();
    compose(&subgraphs).map(|c| c.supergraph())
}

#[test]
fn the_demo_composes_with_the_monolith() {
    let demo = Workspace::demo();
    let Some(supergraph) = supergraph(&demo, &DEMO_SUBGRAPHS) else {
        return;
    };
    assert!(supergraph.contains("type Progress"), "{supergraph}");
}

#[test]
fn marks_into_the_v1_and_the_v2_demo_service_compose_and_roll_back_byte_for_byte() {
    let demo = Workspace::demo();
    let before = demo.files();
    let into_v1 = [
        "Assignment.stats",
        "Assignment.classroom",
        "Query.classroom",
    ];
    let into_v2 = [
        "Progress.user",
        "Progress.contentId",
        "Mutation.recordProgress",
        "Query.me",
        "Classroom.name",
    ];
    let mut args = into_v1.to_vec();
    args.extend(["--into", "assignments"]);
    demo.ferry(&[&["mark"], args.as_slice()].concat()).success();
    let mut args = into_v2.to_vec();
    args.extend(["--into", "progress"]);
    demo.ferry(&[&["mark"], args.as_slice()].concat()).success();
    let progress = demo.read(DEMO_SUBGRAPHS[2].1);
    // v2: what the monolith also resolves is shareable; the value type it
    // needs is copied shareable too.
    assert!(
        progress.contains("  user: User @shareable @migrate(from: \"python\", state: \"manual\")")
    );
    assert!(progress.contains("type RecordProgress @shareable {\n  progress: Progress\n}"));
    supergraph(&demo, &DEMO_SUBGRAPHS);

    let all: Vec<&str> = into_v1.iter().chain(&into_v2).copied().collect();
    demo.ferry(&[&["rollback"], all.as_slice()].concat())
        .success();
    assert_same_files(&before, &demo.files());
}

#[test]
fn a_new_service_gets_a_v2_link_importing_exactly_what_it_uses() {
    let ws = Workspace::fixture("federation_v2");
    // A schema of comments only is a valid service with no fields.
    let status = ws.ferry(&["status", "--service", "fresh", "--json"]);
    status.success();
    let before = ws.files();
    ws.ferry(&["mark", "Product.*", "Query.product", "--into", "fresh"])
        .success();
    let schema = ws.read(FRESH);
    assert!(
        schema.starts_with(
            "# The fresh subgraph: new, it owns nothing yet.\n\nextend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\", \"@shareable\", \"@inaccessible\", \"@tag\"])\n\n"
        ),
        "{schema}"
    );
    // The key came with the entity, once.
    assert_eq!(schema.matches("\n  upc: ID!\n").count(), 1, "{schema}");
    let mut subgraphs = V2_SUBGRAPHS.to_vec();
    subgraphs.push(("fresh", FRESH));
    supergraph(&ws, &subgraphs);

    ws.ferry(&["rollback", "Product.*", "Query.product"])
        .success();
    assert_same_files(&before, &ws.files());
}

#[test]
fn federation_1_in_ferry_toml_or_gqlgen_yml_makes_a_new_service_v1() {
    for (setting, file) in [
        ("ferry.toml", "ferry.toml"),
        ("gqlgen.yml", "services/fresh/gqlgen.yml"),
    ] {
        let ws = Workspace::fixture("federation_v2");
        let text = ws.read(file);
        let text = match setting {
            "ferry.toml" => {
                text.replace("name = \"fresh\"\n", "name = \"fresh\"\nfederation = 1\n")
            }
            _ => format!("{text}\nfederation:\n  filename: graph/federation.go\n  version: 1\n"),
        };
        ws.write(file, &text);
        let before = ws.files();
        ws.ferry(&["mark", "Product.price", "--into", "fresh"])
            .success();
        let schema = ws.read(FRESH);
        assert!(
            schema.contains("extend type Product @key(fields: \"upc\") {\n  upc: ID! @external\n"),
            "{setting}: {schema}"
        );
        assert!(!schema.contains("@link"), "{setting}: {schema}");
        let mut subgraphs = V2_SUBGRAPHS.to_vec();
        subgraphs.push(("fresh", FRESH));
        supergraph(&ws, &subgraphs);
        ws.ferry(&["rollback", "Product.price"]).success();
        assert_same_files(&before, &ws.files());
    }
}

#[test]
fn copied_v2_text_extends_the_import_list_in_its_layout_under_the_targets_names() {
    let ws = Workspace::fixture("federation_v2");
    let before = ws.files();
    ws.ferry(&[
        "mark",
        "Product.price",
        "Query.product",
        "--into",
        "reviews",
    ])
    .success();
    let schema = ws.read(V2_SUBGRAPHS[1].1);
    assert!(
        schema.starts_with(
            "extend schema\n  @link(\n    url: \"https://specs.apollo.dev/federation/v2.3\"\n    import: [\n      { name: \"@key\", as: \"@primaryKey\" }\n      \"@external\"\n      \"@shareable\"\n      \"@inaccessible\"\n      \"@tag\"\n    ]\n  )\n"
        ),
        "{schema}"
    );
    // The service's own name for @key; the copy keeps @shareable, @tag and
    // @inaccessible, which the list now imports.
    assert!(schema.contains("type Product @primaryKey(fields: \"upc\") {"));
    assert!(schema.contains(
        "type Money @shareable {\n  amount: Int!\n  currency: Currency! @tag(name: \"public\")\n  legacyCents: Int @inaccessible\n}"
    ));
    supergraph(&ws, &V2_SUBGRAPHS);

    // Rollback of one field keeps what the other still uses.
    ws.ferry(&["rollback", "Query.product"]).success();
    assert!(ws.read(V2_SUBGRAPHS[1].1).contains("\"@tag\""));
    ws.ferry(&["rollback", "Product.price"]).success();
    assert_same_files(&before, &ws.files());
}

#[test]
fn into_a_v1_service_directives_v1_cannot_declare_are_dropped_and_reported() {
    let ws = Workspace::fixture("federation_v2");
    let run = ws.ferry(&["mark", "Product.price", "--into", "legacy", "--json"]);
    run.success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let dropped: Vec<String> = json["dropped_directives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}", d["definition"], d["directive"]))
        .collect();
    assert_eq!(
        dropped,
        [
            "\"Money\" \"@shareable\"",
            "\"Money\" \"@tag\"",
            "\"Money\" \"@inaccessible\""
        ]
    );
    let schema = ws.read(V2_SUBGRAPHS[2].1);
    assert!(
        schema
            .contains("type Money {\n  amount: Int!\n  currency: Currency!\n  legacyCents: Int\n}"),
        "{schema}"
    );
    supergraph(&ws, &V2_SUBGRAPHS);
}

#[test]
fn an_empty_schema_beside_a_gqlgen_yml_that_skips_migrate_takes_a_mark() {
    let ws = Workspace::fixture("federation_v2");
    let yml = "services/fresh/gqlgen.yml";
    ws.write(FRESH, "");
    ws.write(
        yml,
        &format!(
            "{}directives:\n  migrate:\n    skip_runtime: true\n",
            ws.read(yml)
        ),
    );
    let before = ws.files();
    ws.ferry(&["mark", "Product.name", "--into", "fresh"])
        .success();
    assert_eq!(
        ws.read(yml),
        String::from_utf8(before[yml].clone()).unwrap()
    );
    let mut subgraphs = V2_SUBGRAPHS.to_vec();
    subgraphs.push(("fresh", FRESH));
    supergraph(&ws, &subgraphs);
    // Rollback takes out the @migrate definition ferry added, and leaves
    // the gqlgen entry it did not.
    ws.ferry(&["rollback", "Product.name"]).success();
    assert_same_files(&before, &ws.files());
}
