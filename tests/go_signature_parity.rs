//! ferry's resolvers have the signatures gqlgen itself generates: the
//! fixture `gqlgen-v0.17-resolvers.txt` lists, file by file, the
//! declarations gqlgen writes for the classroom service.

mod go_support;

use std::collections::BTreeMap;
use std::fs;

use go_support::*;

/// The declaration lines of a Go file: `func …` headers (up to the body's
/// brace) and `type …` lines.
fn declarations(go: &str) -> Vec<String> {
    go.lines()
        .filter_map(|line| {
            if line.starts_with("func ") {
                let header = line.split(" {").next().unwrap_or(line);
                Some(header.to_string())
            } else if line.starts_with("type ") {
                Some(line.to_string())
            } else {
                None
            }
        })
        .collect()
}

fn expected() -> BTreeMap<String, Vec<String>> {
    let text = fs::read_to_string(fixture("classroom").join("gqlgen-v0.17-resolvers.txt")).unwrap();
    let mut files = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if line.starts_with("func ") || line.starts_with("type ") {
            files
                .entry(current.clone().expect("a file name before declarations"))
                .or_insert_with(Vec::new)
                .push(line.to_string());
        } else {
            current = Some(line.to_string());
        }
    }
    files
}

#[test]
fn a_fresh_package_declares_what_gqlgen_declares() {
    let service = copy_fixture("classroom");
    let root = service.path();
    fs::remove_file(root.join("graph/schema.resolvers.go")).unwrap();
    fs::remove_file(root.join("graph/resolver.go")).unwrap();

    let plan = plan(root, classroom_resolver_fields());
    let actual: BTreeMap<String, Vec<String>> = plan
        .files
        .iter()
        .map(|file| {
            (
                file.path.strip_prefix(root).unwrap().display().to_string(),
                declarations(&file.after),
            )
        })
        .collect();
    let expected = expected();
    for (file, declarations) in &expected {
        let got = actual
            .get(file)
            .unwrap_or_else(|| panic!("ferry wrote no {file}"));
        assert_eq!(got, declarations, "{file}");
    }
    assert_eq!(
        actual.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
}

#[test]
fn the_stand_in_executor_asks_for_the_same_signatures() {
    // generated.go (the stand-in for gqlgen's executor that go vet checks
    // against) and the fixture list agree on every resolver method.
    let generated =
        fs::read_to_string(fixture("classroom").join("graph/generated/generated.go")).unwrap();
    let mut interface_methods: Vec<String> = Vec::new();
    let mut receiver = None;
    for line in generated.lines() {
        if let Some(rest) = line.strip_prefix("type ") {
            receiver = rest.strip_suffix("Resolver interface {").map(|name| {
                let mut chars = name.chars();
                let first = chars.next().unwrap().to_lowercase().to_string();
                format!("{first}{}Resolver", chars.as_str())
            });
        } else if line == "}" {
            receiver = None;
        } else if let (Some(receiver), Some(method)) = (&receiver, line.strip_prefix('\t')) {
            interface_methods.push(format!("func (r *{receiver}) {method}"));
        }
    }
    let mut listed: Vec<String> = expected()
        .into_values()
        .flatten()
        .filter(|line| line.starts_with("func (r *") && !line.starts_with("func (r *Resolver)"))
        .collect();
    listed.sort();
    interface_methods.sort();
    assert_eq!(interface_methods, listed);
}
