//! `ferry gen go`, run as a new user would on services built from gqlgen's
//! own `_examples` (tests/fixtures/go/gqlgen-examples, see its README): no
//! ferry.toml, no monolith, no resolver files. Every method signature ferry
//! writes is compared with the interfaces gqlgen generates for the schema,
//! and the packages must pass gofmt and `go vet` against them.
//!
//! The comparison is printed as a table (`cargo test --test
//! go_gqlgen_examples -- --nocapture`); the test fails on any difference.

mod common;
mod go_support;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::ferry_at;
use go_support::{copy_fixture, describe, go_toolchain, run_go, stdout};

/// Each service: its directory, where its resolvers go, the stand-in for
/// gqlgen's executor, and the `--out` it needs (no `resolver:` section).
const SERVICES: &[(&str, &str, &str, Option<&str>)] = &[
    ("starwars", ".", "generated/exec.go", Some(".")),
    ("config", ".", "generated.go", None),
    ("chat", ".", "generated.go", None),
    ("accounts", "graph", "graph/generated.go", None),
    ("products", "graph", "graph/generated.go", None),
];

/// `func (r *queryResolver) Hero(ctx context.Context, …) (…, error)` for every
/// method of every `XResolver` interface the executor declares.
fn interface_methods(executor: &str) -> BTreeSet<String> {
    let mut methods = BTreeSet::new();
    let mut receiver: Option<String> = None;
    for line in executor.lines() {
        if let Some(name) = line
            .strip_prefix("type ")
            .and_then(|rest| rest.strip_suffix("Resolver interface {"))
            .filter(|name| *name != "ResolverRoot" && !name.is_empty())
        {
            let mut chars = name.chars();
            let first: String = chars.next().unwrap().to_lowercase().collect();
            receiver = Some(format!("{first}{}Resolver", chars.as_str()));
        } else if line == "}" {
            receiver = None;
        } else if let (Some(receiver), Some(method)) = (&receiver, line.strip_prefix('\t')) {
            methods.insert(format!("func (r *{receiver}) {method}"));
        }
    }
    methods
}

/// The method headers of the resolver files ferry wrote (accessors on the
/// root `Resolver` aside).
fn written_methods(dir: &Path) -> BTreeSet<String> {
    let mut methods = BTreeSet::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".resolvers.go") {
            continue;
        }
        for line in fs::read_to_string(&path).unwrap().lines() {
            if line.starts_with("func (r *") && !line.starts_with("func (r *Resolver)") {
                methods.insert(line.trim_end_matches(" {").to_string());
            }
        }
    }
    methods
}

#[test]
fn gen_go_gives_back_gqlgens_signatures_on_its_own_examples() {
    let workspace = copy_fixture("gqlgen-examples");
    let root = workspace.path();
    // As a new user would: `ferry init` finds the five services, no monolith.
    let init = ferry_at(root, &["init", "-q"]);
    assert!(init.status.success(), "init: {}", describe(&init));
    let go = go_toolchain();
    let mut rows = Vec::new();
    let (mut total_expected, mut total_matched) = (0, 0);
    for (service, resolver_dir, executor, out) in SERVICES {
        let service_dir = root.join(service);
        let out_dir = out.map(|o| service_dir.join(o).display().to_string());
        let mut args = vec!["gen", "go", "--service", service, "--json"];
        if let Some(out_dir) = &out_dir {
            args.extend(["--out", out_dir]);
        }
        let run = ferry_at(root, &args);
        assert!(run.status.success(), "{service}: {}", describe(&run));
        let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(report["written"], true, "{service}: {report:#}");
        assert_eq!(report["refused"], serde_json::json!([]), "{service}");

        let expected = interface_methods(&fs::read_to_string(service_dir.join(executor)).unwrap());
        let written = written_methods(&service_dir.join(resolver_dir));
        let matched = expected.intersection(&written).count();
        let missing: Vec<_> = expected.difference(&written).collect();
        let extra: Vec<_> = written.difference(&expected).collect();
        rows.push(format!(
            "{service:<10} {matched:>3} of {:>3} signatures match; {} missing, {} extra",
            expected.len(),
            missing.len(),
            extra.len()
        ));
        total_expected += expected.len();
        total_matched += matched;
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{service}: missing {missing:#?}\nextra {extra:#?}"
        );

        // Every field left alone says why: never a resolver for a key.
        let skipped = report["skipped"].as_array().unwrap();
        assert!(skipped.iter().all(|s| s["reason"].is_string()));
        assert!(
            !written
                .iter()
                .any(|m| m.contains(") ID(ctx") && !m.contains("todoResolver")),
            "{service}: a key got a resolver: {written:#?}"
        );

        if let Some(go) = &go {
            let gofmt = run_go(go, "gofmt", &service_dir, &["-l", "."]);
            assert_eq!(stdout(&gofmt), "", "{service}: {}", describe(&gofmt));
            let vet = run_go(go, "go", &service_dir, &["vet", "./..."]);
            assert!(vet.status.success(), "{service}: {}", describe(&vet));
        }

        // A second run has nothing left to write.
        let mut again = vec!["gen", "go", "--service", service, "--check"];
        if let Some(out_dir) = &out_dir {
            again.extend(["--out", out_dir]);
        }
        let again = ferry_at(root, &again);
        assert!(again.status.success(), "{service}: {}", describe(&again));
    }
    rows.push(format!(
        "all        {total_matched:>3} of {total_expected:>3} signatures match"
    ));
    eprintln!("gen go on gqlgen's _examples:\n{}", rows.join("\n"));
}
