//! The override dialect's tests share these: the demo in that dialect,
//! its subgraphs composed by Apollo's own composition, and what the
//! supergraph says of a field.
#![allow(dead_code)]

use crate::common::composition::{Composition, Subgraph, compose};
use crate::common::{Workspace, assert_same_files};

pub const SUBGRAPHS: [(&str, &str); 3] = [
    ("monolith", "webapp/schema.graphql"),
    ("assignments", "services/assignments/graph/schema.graphqls"),
    ("progress", "services/progress/graph/schema.graphqls"),
];
pub const PROGRESS: &str = SUBGRAPHS[2].1;

/// The demo with its federation v2 service in the override dialect (the
/// v1 one keeps @migrate: v1 has no @override).
pub fn override_demo() -> Workspace {
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
pub fn supergraph(ws: &Workspace, dropped: &[&str]) -> Option<String> {
    supergraph_of(ws, &SUBGRAPHS, dropped)
}

/// As [`supergraph`], over the given subgraphs (name, schema file).
#[track_caller]
pub fn supergraph_of(
    ws: &Workspace,
    subgraphs: &[(&str, &str)],
    dropped: &[&str],
) -> Option<String> {
    composition_of(ws, subgraphs, dropped).map(Composition::supergraph)
}

/// What composition says of the workspace's subgraphs.
pub fn composition_of(
    ws: &Workspace,
    subgraphs: &[(&str, &str)],
    dropped: &[&str],
) -> Option<Composition> {
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
    compose(&subgraphs)
}

/// The supergraph's line that declares `field` (as `name(` or `name:`) in `type_name`.
pub fn field_line<'s>(supergraph: &'s str, type_name: &str, field: &str) -> &'s str {
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
pub fn assert_overridden(supergraph: &str, type_name: &str, field: &str, label: Option<&str>) {
    assert_overridden_by(supergraph, "PROGRESS", type_name, field, label);
}

/// The supergraph says `graph` overrides the monolith with `label`.
#[track_caller]
pub fn assert_overridden_by(
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

/// Every file but the ledger (and the `.gitattributes` it comes with) is
/// as it was.
#[track_caller]
pub fn assert_same_but_the_ledger(
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
