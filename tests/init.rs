//! `ferry init` discovers a workspace and writes a ferry.toml that works.

mod common;

use common::{Workspace, repo};

fn copy_fixture(rel: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(repo().join(rel).join("."))
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

use common::ferry_at as ferry;

#[test]
fn init_on_the_demo_writes_a_working_config_and_never_overwrites_without_force() {
    let demo = Workspace::demo();
    std::fs::remove_file(demo.path("ferry.toml")).unwrap();
    demo.ferry(&["init"]).success();
    let written = demo.read("ferry.toml");
    insta::assert_snapshot!(written);
    let run = demo.ferry(&["status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    assert_eq!(json["services"].as_array().unwrap().len(), 2);
    assert!(
        json["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["python"]["file"] == "webapp/assignments/types.py")
    );

    demo.write("ferry.toml", "# mine\n");
    demo.ferry(&["init"])
        .fails_with(2, "already exists; pass --force");
    assert_eq!(demo.read("ferry.toml"), "# mine\n");
    demo.ferry(&["init", "--force"]).success();
    assert_eq!(demo.read("ferry.toml"), written);
}

#[test]
fn init_recognizes_strawberry_and_says_how_to_export_a_missing_sdl() {
    let dir = copy_fixture("tests/fixtures/python/strawberry/library");
    let out = ferry(dir.path(), &["init", "--stdout"]);
    assert!(out.status.success());
    let toml = String::from_utf8(out.stdout).unwrap();
    assert!(toml.contains("framework = \"strawberry\""), "{toml}");
    assert!(toml.contains("roots = [\"library\"]"), "{toml}");
    assert!(toml.contains("strawberry export-schema"), "{toml}");
    assert!(
        !dir.path().join("ferry.toml").exists(),
        "--stdout writes nothing"
    );
}

#[test]
fn init_recognizes_ariadne_and_its_sdl() {
    let dir = copy_fixture("tests/fixtures/python/ariadne/shop");
    let out = ferry(dir.path(), &["init"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = std::fs::read_to_string(dir.path().join("ferry.toml")).unwrap();
    assert!(toml.contains("framework = \"ariadne\""), "{toml}");
    assert!(
        toml.contains("schema = [\"shop/schema.graphql\"]"),
        "{toml}"
    );
    let status = ferry(dir.path(), &["status", "--json"]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn init_json_says_what_it_found_and_what_it_wrote() {
    let demo = Workspace::demo();
    std::fs::remove_file(demo.path("ferry.toml")).unwrap();
    let dry = demo.ferry(&["init", "--stdout", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&dry.success().stdout()).unwrap();
    assert!(!demo.path("ferry.toml").exists(), "--stdout writes nothing");
    assert_eq!(json["version"], 1);
    assert_eq!(json["written"], false);
    assert_eq!(json["file"], "ferry.toml");
    let found = &json["found"];
    assert_eq!(
        found["monolith_schema"],
        serde_json::json!(["webapp/schema.graphql"])
    );
    assert_eq!(found["python_roots"], serde_json::json!(["webapp"]));
    assert_eq!(found["framework"], "graphene");
    assert!(found["frameworks"]["graphene"].as_u64().unwrap() > 0);
    let services: Vec<(&str, &str)> = found["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["gqlgen"].as_str().unwrap()))
        .collect();
    assert_eq!(
        services,
        [
            ("assignments", "services/assignments/gqlgen.yml"),
            ("progress", "services/progress/gqlgen.yml")
        ]
    );

    let wrote = demo.ferry(&["init", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&wrote.success().stdout()).unwrap();
    assert_eq!(json["written"], true);
    assert_eq!(json["replaced"], false);
    assert_eq!(json["config"].as_str().unwrap(), demo.read("ferry.toml"));
    let again = demo.ferry(&["init", "--force", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&again.success().stdout()).unwrap();
    assert_eq!(json["replaced"], true);
}

#[test]
fn init_says_what_it_found_unless_quiet_and_points_at_nothing_a_binary_lacks() {
    let demo = Workspace::demo();
    std::fs::remove_file(demo.path("ferry.toml")).unwrap();
    let quiet = demo.ferry(&["--quiet", "init"]);
    assert_eq!(quiet.success().stdout(), "");
    let toml = demo.read("ferry.toml");
    assert!(!toml.contains("docs/"), "{toml}");
    let loud = demo.ferry(&["init", "--force"]);
    insta::assert_snapshot!(loud.success().stdout());
}
