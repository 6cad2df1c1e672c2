//! Robustness on a real, large SDL: GitHub's public schema as the monolith.

mod common;

use common::assert_same_files;
use std::collections::BTreeMap;
use std::path::Path;

fn workspace(v2: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(
        common::repo().join("tests/fixtures/github/schema.graphql"),
        root.join("github.graphql"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("svc")).unwrap();
    let link = if v2 {
        "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"])\n\n"
    } else {
        ""
    };
    std::fs::write(
        root.join("svc/schema.graphqls"),
        format!("{link}extend type Query {{\n  health: Boolean\n}}\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("ferry.toml"),
        "[python]\nschema = [\"github.graphql\"]\nkeys = { Repository = \"id\", Issue = \"id\", User = \"id\", PullRequest = \"id\" }\n\n[[services]]\nname = \"svc\"\nschema = [\"svc/schema.graphqls\"]\n",
    )
    .unwrap();
    dir
}

use common::ferry_at as ferry;

fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    ["github.graphql", "svc/schema.graphqls"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(root.join(f)).unwrap()))
        .collect()
}

#[test]
fn status_reads_githubs_schema_and_reports_its_duplicate_fields() {
    let dir = workspace(false);
    let out = ferry(dir.path(), &["status", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["fields"].as_array().unwrap().len() > 6_000);
    let invalid: Vec<_> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"] == "monolith-invalid")
        .collect();
    assert_eq!(invalid.len(), 2, "{invalid:?}");
    assert!(
        invalid[0]["message"]
            .as_str()
            .unwrap()
            .contains("EnterpriseOwnerInfo")
    );
}

#[test]
fn marking_fields_with_deep_type_graphs_validates_and_rolls_back_byte_for_byte() {
    for v2 in [false, true] {
        let dir = workspace(v2);
        let before = files(dir.path());
        let fields = [
            "Repository.issues",
            "Query.viewer",
            "Issue.title",
            "PullRequest.reviewDecision",
        ];
        let mut args = vec!["mark"];
        args.extend(fields);
        args.extend(["--into", "svc"]);
        let out = ferry(dir.path(), &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let schema = std::fs::read_to_string(dir.path().join("svc/schema.graphqls")).unwrap();
        // Arguments with defaults and descriptions are copied verbatim, and
        // the inputs and enums they need come along.
        assert!(schema.contains("input IssueOrder"));
        assert!(schema.contains("enum IssueState"));
        let status = ferry(dir.path(), &["status", "--json", "--state", "manual"]);
        let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
        assert_eq!(json["fields"].as_array().unwrap().len(), fields.len());

        let mut args = vec!["rollback"];
        args.extend(fields);
        let out = ferry(dir.path(), &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_same_files(&before, &files(dir.path()));
    }
}
