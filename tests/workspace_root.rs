//! Where am I: ferry works in the workspace whose `ferry.toml` is at or above
//! the current directory (or at `--root`); elsewhere it says so and points at
//! `ferry init`, and never reads the trees around it.

mod common;

use common::Workspace;
use std::path::Path;

/// The real binary run from `dir`, without `--root`.
fn ferry_in(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("ferry")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A folder holding someone else's gqlgen project whose schema is missing:
/// reading it would fail, so a command that wanders in shows it.
fn unrelated_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("gqlgen.yml"), "schema:\n  - missing.graphqls\n").unwrap();
    std::fs::write(dir.path().join("notes.graphql"), "type Query { a: Int }\n").unwrap();
    dir
}

#[test]
fn outside_a_workspace_status_says_so_and_suggests_init() {
    let dir = unrelated_tree();
    let before = std::fs::read_dir(dir.path()).unwrap().count();
    for args in [
        &["status"][..],
        &["status", "--json"],
        &["check"],
        &["show", "A.b"],
    ] {
        let out = ferry_in(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("no ferry.toml in ") && stderr.contains("or any directory above it"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("run `ferry init`"), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("gqlgen.yml"),
            "{args:?} read around: {stderr}"
        );
        if args.contains(&"--json") {
            let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let message = error["error"]["message"].as_str().unwrap();
            assert!(message.contains("no ferry.toml"), "{message}");
        } else {
            assert!(out.stdout.is_empty());
        }
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        before,
        "nothing written"
    );

    let root = dir.path().canonicalize().unwrap();
    let out = ferry_in(dir.path(), &["--root", ".", "status"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "no ferry.toml in {}; run `ferry --root {} init`",
            root.display(),
            root.display()
        )),
        "{stderr}"
    );
}

#[test]
fn init_still_discovers_where_no_ferry_toml_is() {
    let dir = unrelated_tree();
    let out = ferry_in(dir.path(), &["init", "--stdout"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = String::from_utf8(out.stdout).unwrap();
    assert!(toml.contains("gqlgen = \"other/gqlgen.yml\""), "{toml}");
    assert!(toml.contains("schema = [\"notes.graphql\"]"), "{toml}");
}

#[test]
fn inside_a_workspace_its_root_is_found_from_any_folder_below() {
    let demo = Workspace::demo();
    let out = ferry_in(&demo.path("webapp/assignments"), &["status", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let services: Vec<&str> = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["assignments", "progress"]);

    // Without [[services]], the services are discovered, inside the workspace.
    let toml = demo.read("ferry.toml");
    let python_only = &toml[..toml.find("[[services]]").unwrap()];
    demo.write("ferry.toml", python_only);
    let out = ferry_in(&demo.path("services"), &["status", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["services"].as_array().unwrap().len(), 2);
}
