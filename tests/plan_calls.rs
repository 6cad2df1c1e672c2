//! `ferry plan`'s call graph agrees with Python.
//!
//! For every field's resolver, the project functions its body calls
//! directly are computed by `tests/python/call_truth.py`, which imports the
//! app and resolves each call of the body (read with `ast`) against the live
//! objects; ferry's graph must name the same functions. Fixtures in the
//! libraries' style also state their models and transitive reach.
//!
//! The interpreter is `$FERRY_PYTHON` or `<repo>/.venv/bin/python` with
//! `scripts/requirements-test.txt`; without it the truth tests print a
//! notice and pass, unless `CI=true`, where they fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ferry::python::calls::{CallGraph, DataAccess, DataVia};
use ferry::python::{Framework, PythonIndexOptions, build_index_with_calls};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn graph(root: &Path, scanned: &Path, framework: Framework) -> CallGraph {
    let options = PythonIndexOptions {
        workspace_root: root.to_path_buf(),
        roots: vec![scanned.to_path_buf()],
        import_roots: vec![root.to_path_buf()],
        exclude: vec!["**/tests/**".into()],
        framework,
        cache_dir: None,
        progress: false,
    };
    build_index_with_calls(&options).expect("index builds").1
}

fn python(imports: &str) -> Option<PathBuf> {
    let python = std::env::var_os("FERRY_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"));
    let works = Command::new(&python)
        .args(["-c", &format!("import {imports}")])
        .output()
        .is_ok_and(|output| output.status.success());
    if works {
        return Some(python);
    }
    let message = format!(
        "{} cannot import {imports}; install scripts/requirements-test.txt into .venv \
         or set FERRY_PYTHON",
        python.display()
    );
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{message}");
    }
    eprintln!("notice: skipping the call truth check: {message}");
    None
}

/// "file:function" → the "file:line" of each project function it calls
/// directly, by ferry's graph, for every function a field starts from.
fn ferry_edges(graph: &CallGraph) -> BTreeMap<String, (u32, BTreeSet<String>)> {
    let mut edges = BTreeMap::new();
    for starts in graph.fields.values() {
        for &start in starts {
            let node = &graph.functions[start];
            if node.function.function.contains("<l") {
                continue; // lambdas and nested functions: not importable by name
            }
            let callees = node
                .calls
                .iter()
                .map(|&callee| {
                    let callee = &graph.functions[callee].function;
                    format!("{}:{}", callee.file, callee.line)
                })
                .collect();
            edges.insert(
                format!("{}:{}", node.function.file, node.function.function),
                (node.function.line, callees),
            );
        }
    }
    edges
}

fn truth(
    python: &Path,
    root: &Path,
    project: &Path,
    edges: &BTreeMap<String, (u32, BTreeSet<String>)>,
) -> BTreeMap<String, Option<BTreeSet<String>>> {
    let functions: Vec<serde_json::Value> = edges
        .iter()
        .map(|(key, (line, _))| {
            let (file, function) = key.split_once(':').unwrap();
            serde_json::json!({"file": file, "function": function, "line": line})
        })
        .collect();
    let mut child = Command::new(python)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(repo().join("tests/python/call_truth.py"))
        .arg(root)
        .arg(project)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run call_truth.py");
    serde_json::to_writer(child.stdin.take().unwrap(), &functions).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "call_truth.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("truth is JSON")
}

fn assert_agrees(
    root: &Path,
    scanned: &Path,
    framework: Framework,
    imports: &str,
    minimum_edges: usize,
) {
    let graph = graph(root, scanned, framework);
    let ours = ferry_edges(&graph);
    assert!(
        !ours.is_empty(),
        "no resolver found under {}",
        scanned.display()
    );
    let Some(python) = python(imports) else {
        return;
    };
    let theirs = truth(&python, root, scanned, &ours);
    let mut wrong = Vec::new();
    let mut edges = 0;
    for (function, (_, found)) in &ours {
        let Some(expected) = &theirs[function] else {
            continue;
        };
        edges += expected.len();
        if found != expected {
            wrong.push(format!("{function}: ferry {found:?}, Python {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "call edges differ:\n{}", wrong.join("\n"));
    assert!(
        edges >= minimum_edges,
        "only {edges} call edges under {}",
        scanned.display()
    );
}

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/python/plan")
}

#[test]
fn fixture_edges_agree_with_python() {
    assert_agrees(
        &fixture(),
        &fixture(),
        Framework::Graphene,
        "graphene, django, sqlalchemy",
        8,
    );
}

#[test]
fn demo_edges_agree_with_python() {
    let demo = repo().join("examples/classroom");
    assert_agrees(
        &demo,
        &demo.join("webapp"),
        Framework::Graphene,
        "graphene",
        1,
    );
}

/// (type, field) → every function it reaches, as "file:function".
fn reach(graph: &CallGraph, type_name: &str, field: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = graph.fields[&(type_name.to_string(), field.to_string())].clone();
    while let Some(node) = stack.pop() {
        if seen.insert(node) {
            stack.extend(&graph.functions[node].calls);
        }
    }
    seen.into_iter()
        .map(|node| {
            let function = &graph.functions[node].function;
            format!("{}:{}", function.file, function.function)
        })
        .collect()
}

/// (type, field) → (model, access, via) of everything it reaches.
fn data(
    graph: &CallGraph,
    type_name: &str,
    field: &str,
) -> BTreeSet<(String, DataAccess, DataVia)> {
    let mut seen = BTreeSet::new();
    let mut stack = graph.fields[&(type_name.to_string(), field.to_string())].clone();
    let mut touched = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if seen.insert(node) {
            stack.extend(&graph.functions[node].calls);
            for touch in &graph.functions[node].data {
                touched.insert((touch.model.clone(), touch.access, touch.via));
            }
        }
    }
    touched
}

#[test]
fn fixture_reach_and_models_are_the_known_ones() {
    use DataAccess::{Read, Write};
    let graph = graph(&fixture(), &fixture(), Framework::Graphene);
    let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        reach(&graph, "Course", "title"),
        set(&[
            "shop/helpers.py:clean",
            "shop/helpers.py:format_title",
            "shop/schema.py:Course.resolve_title",
        ])
    );
    assert_eq!(
        reach(&graph, "Course", "price"),
        set(&[
            "shop/helpers.py:Pricing.__init__",
            "shop/helpers.py:Pricing._tax",
            "shop/helpers.py:Pricing.total",
            "shop/schema.py:Course.resolve_price",
        ])
    );
    let model = |name: &str, access, via| (format!("shop.models.{name}"), access, via);
    assert_eq!(
        data(&graph, "Query", "course"),
        BTreeSet::from([model("Course", Read, DataVia::Django)])
    );
    assert_eq!(
        data(&graph, "Course", "enrollments"),
        BTreeSet::from([model("Enrollment", Read, DataVia::Django)])
    );
    assert_eq!(
        data(&graph, "Mutation", "enroll"),
        BTreeSet::from([model("Enrollment", Write, DataVia::Django)])
    );
    assert_eq!(
        data(&graph, "Mutation", "drop"),
        BTreeSet::from([model("Enrollment", Write, DataVia::Django)])
    );
    assert_eq!(
        data(&graph, "Query", "invoices"),
        BTreeSet::from([model("Invoice", Read, DataVia::Sqlalchemy)])
    );
    assert_eq!(
        data(&graph, "Mutation", "bill"),
        BTreeSet::from([model("Invoice", Write, DataVia::Sqlalchemy)])
    );
    assert_eq!(
        data(&graph, "Query", "courseTitle"),
        BTreeSet::from([("course_titles".to_string(), Read, DataVia::Dataloader)])
    );
    // `root.title.upper()`: a parameter's method, counted and not followed.
    let shout = graph.fields[&("Course".to_string(), "shout".to_string())][0];
    assert_eq!(graph.functions[shout].calls, Vec::<usize>::new());
    assert_eq!(graph.functions[shout].unresolved_calls, 1);
}

/// dagster-graphql from PyPI (graphene), in the interpreter's site-packages.
#[test]
fn dagster_graphql_edges_agree_with_python() {
    let Some(python) = python("dagster_graphql") else {
        return;
    };
    let output = Command::new(&python)
        .args(["-c", "import dagster_graphql, os; print(os.path.dirname(os.path.dirname(dagster_graphql.__file__)))"])
        .output()
        .unwrap();
    let site = PathBuf::from(String::from_utf8(output.stdout).unwrap().trim());
    assert_agrees(
        &site,
        &site.join("dagster_graphql"),
        Framework::Graphene,
        "dagster_graphql",
        100,
    );
}
