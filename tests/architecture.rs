//! The crate's folders are its pipeline (docs/architecture.md): load →
//! understand → model → decide → act → show, with `commands` wiring them.
//! Imports only run along it: the code indexes import nothing of each other
//! nor of what comes after them, loading imports nothing of understanding,
//! and nothing imports the wiring. This test reads every `crate::…` path in
//! `src/` and holds each module to the modules it may use.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `src/` and the other top-level modules it may
/// name. A module missing here is a new folder: give it its place.
const MAY_IMPORT: &[(&str, &[&str])] = &[
    // load
    ("workspace", &[]),
    // act's plain data: splices and change sets, used by decide to say what to write
    ("edit", &["workspace"]),
    // understand: the three indexes, siblings
    ("schema", &["workspace"]),
    ("python", &["workspace"]),
    ("golang", &["workspace"]),
    // the joined model
    ("model", &["workspace", "schema", "python", "golang"]),
    // decide
    (
        "compare",
        &["workspace", "schema", "golang", "model", "edit"],
    ),
    (
        "migration",
        &["workspace", "schema", "model", "edit", "compare"],
    ),
    (
        "check",
        &["workspace", "schema", "model", "migration", "compare"],
    ),
    (
        "report",
        &[
            "workspace",
            "schema",
            "model",
            "migration",
            "check",
            "compare",
            "plan",
        ],
    ),
    (
        "plan",
        &["workspace", "schema", "model", "migration", "compare"],
    ),
    // act
    (
        "generate",
        &["workspace", "schema", "golang", "model", "edit"],
    ),
    // show
    (
        "render",
        &[
            "workspace",
            "schema",
            "model",
            "migration",
            "check",
            "compare",
            "report",
            "plan",
            "generate",
            "edit",
        ],
    ),
    (
        "tui",
        &[
            "workspace",
            "schema",
            "model",
            "migration",
            "check",
            "compare",
            "generate",
            "edit",
            "render",
        ],
    ),
    // wiring
    ("cli", &["workspace", "model", "render"]),
    (
        "commands",
        &[
            "workspace",
            "schema",
            "python",
            "golang",
            "model",
            "compare",
            "migration",
            "check",
            "report",
            "plan",
            "generate",
            "edit",
            "render",
            "tui",
            "cli",
        ],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file names as `crate::module`.
fn imported_modules(text: &str) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        // `ferry::crate::` cannot occur; skip `$crate::` in macros.
        if text[..at].ends_with('$') {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            modules.insert(name);
        }
    }
    modules
}

#[test]
fn imports_run_along_the_pipeline() {
    let src = common::repo().join("src");
    let rules: BTreeMap<&str, BTreeSet<&str>> = MAY_IMPORT
        .iter()
        .map(|(module, allowed)| (*module, allowed.iter().copied().collect()))
        .collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut broken = Vec::new();
    let mut unplaced = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let Some(first) = rel.components().next() else {
            continue;
        };
        let first = first.as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs");
        if matches!(module, "lib" | "main") {
            continue;
        }
        let Some(allowed) = rules.get(module) else {
            unplaced.insert(module.to_string());
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for imported in imported_modules(&text) {
            if imported != module && !allowed.contains(imported.as_str()) {
                broken.push(format!("{} imports crate::{imported}", rel.display()));
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "top-level modules with no place in the pipeline (add them to MAY_IMPORT and docs/architecture.md): {unplaced:?}"
    );
    assert!(
        broken.is_empty(),
        "imports against the pipeline:\n  {}",
        broken.join("\n  ")
    );
}

#[test]
fn the_rules_know_every_module_the_crate_declares() {
    let lib = std::fs::read_to_string(common::repo().join("src/lib.rs")).unwrap();
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let known: BTreeSet<&str> = MAY_IMPORT.iter().map(|(m, _)| *m).collect();
    let missing: Vec<&&str> = declared.difference(&known).collect();
    assert!(missing.is_empty(), "modules without a rule: {missing:?}");
}

#[test]
fn the_architecture_page_names_every_module() {
    let page = std::fs::read_to_string(common::repo().join("docs/architecture.md")).unwrap();
    let lib = std::fs::read_to_string(common::repo().join("src/lib.rs")).unwrap();
    for module in lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
    {
        assert!(
            page.contains(&format!("src/{module}/")) || page.contains(&format!("src/{module}.rs")),
            "docs/architecture.md does not place src/{module}"
        );
    }
}

/// A file a reader can hold in their head: past this, a module splits by
/// what its parts do.
const MAX_LINES: usize = 700;

#[test]
fn no_source_file_outgrows_a_reader() {
    let mut files = Vec::new();
    rust_files(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path(),
        &mut files,
    );
    assert!(
        files.len() > 50,
        "found only {} files under src/",
        files.len()
    );
    let long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(path).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{}: {lines} lines", path.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these by what their parts do:\n{}",
        long.join("\n")
    );
}
