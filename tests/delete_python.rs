//! `ferry finish --delete-python`: the Python a finished field no longer
//! needs goes in the same batch as the schema edits, and the real library
//! still builds the app's schema, which then lacks exactly those fields
//! (`tests/python/deletion_truth.py` imports both copies).

mod common;

use common::{Workspace, assert_same_files, repo};
use ferry::python::deletion::{plan_deletion, statements_by_file};
use ferry::python::removal::remove_statements;
use ferry::python::{Framework, PythonIndexOptions, build_index};
use serde_json::Value;
use similar::{ChangeTag, TextDiff};
use std::path::Path;
use std::process::Command;

const FINISHED: [&str; 4] = [
    "Assignment.dueDate",
    "Mutation.createAssignment",
    "Progress.status",
    "Query.progressForUser",
];

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// Runs the truth script on the app before and after; `None` without Python.
fn assert_library_agrees(before: &Path, after: &Path, target: &str, finished: &[&str]) {
    let Some(python) = common::python() else {
        return;
    };
    let output = Command::new(python)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(repo().join("tests/python/deletion_truth.py"))
        .arg(before)
        .arg(after)
        .arg(target)
        .args(finished)
        .output()
        .expect("run deletion_truth.py");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every line the deletion took out is in a range the report lists (a
/// statement, or an import it names) or is blank; the only line it adds
/// is `pass`.
fn assert_only_reported_lines_went(demo: &Workspace, before: &Workspace, report: &Value) {
    let mut reported: Vec<(String, u64, u64)> = Vec::new();
    for field in report["python_to_delete"].as_array().unwrap() {
        for piece in field["delete"].as_array().unwrap() {
            let file = piece["file"].as_str().unwrap().to_string();
            let (line, end) = (
                piece["line"].as_u64().unwrap(),
                piece["end_line"].as_u64().unwrap(),
            );
            reported.push((file, line, end));
        }
    }
    for import in report["python_removed_imports"].as_array().unwrap() {
        let line = import["line"].as_u64().unwrap();
        reported.push((import["file"].as_str().unwrap().to_string(), line, line));
    }
    let files: std::collections::BTreeSet<&str> = reported.iter().map(|r| r.0.as_str()).collect();
    for file in files {
        let (old, new) = (before.read(file), demo.read(file));
        for change in TextDiff::from_lines(&old, &new).iter_all_changes() {
            match change.tag() {
                ChangeTag::Delete => {
                    let line = change.old_index().unwrap() as u64 + 1;
                    let covered = reported
                        .iter()
                        .any(|(f, a, b)| f == file && *a <= line && line <= *b);
                    assert!(
                        covered || change.value().trim().is_empty(),
                        "{file}:{line} went but no reported range holds it: {:?}",
                        change.value()
                    );
                }
                ChangeTag::Insert => assert_eq!(change.value().trim(), "pass", "{file}"),
                ChangeTag::Equal => {}
            }
        }
    }
}

#[test]
fn finishing_with_delete_python_leaves_the_schema_minus_exactly_those_fields() {
    let demo = Workspace::demo();
    let untouched = Workspace::demo();
    // A file with a BOM and CRLF line endings keeps both.
    demo.to_crlf("webapp/progress/schema.py", true);
    untouched.to_crlf("webapp/progress/schema.py", true);
    let run = demo.ferry(&[&["finish", "--delete-python", "--json"], &FINISHED[..]].concat());
    run.success();
    let report = json(&run.stdout());
    assert_eq!(report["written"], true);
    assert_eq!(report["python_deleted"], true);
    for file in [
        "webapp/schema.py",
        "webapp/assignments/mutations.py",
        "webapp/progress/schema.py",
    ] {
        assert!(
            report["files"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == file),
            "{file} is in the batch: {}",
            report["files"]
        );
    }
    let progress = demo.read("webapp/progress/schema.py");
    assert!(progress.starts_with('\u{feff}'));
    assert!(!progress.replace("\r\n", "").contains('\n'));
    assert!(progress.contains("class ProgressQueries:\r\n    pass\r\n"));
    assert!(!progress.contains("\r\n\r\n\r\n\r\n"));
    // The mutation's class, its registration and the import of it are gone.
    assert!(!demo.read("webapp/schema.py").contains("CreateAssignment"));
    assert!(
        !demo
            .read("webapp/assignments/mutations.py")
            .contains("class CreateAssignment(")
    );
    assert_only_reported_lines_went(&demo, &untouched, &report);
    assert_library_agrees(
        untouched.root(),
        demo.root(),
        "webapp.schema:schema",
        &FINISHED,
    );
    // `ferry status` reads the workspace after the deletion just as well.
    demo.ferry(&["status", "--json"]).success();
}

#[test]
fn a_dry_run_shows_the_python_diff_and_writes_nothing() {
    let demo = Workspace::demo();
    let before = demo.files();
    let run = demo.ferry(&[&["finish", "--delete-python", "--dry-run"], &FINISHED[..]].concat());
    run.success();
    assert_same_files(&before, &demo.files());
    let out = run.stdout();
    assert!(
        out.contains("--- a/webapp/assignments/mutations.py"),
        "{out}"
    );
    assert!(
        out.contains("-class CreateAssignment(graphene.Mutation):"),
        "{out}"
    );
    assert!(
        out.contains("-    create_assignment = CreateAssignment.Field()"),
        "{out}"
    );
    assert!(
        out.contains("Python that --delete-python deletes:"),
        "{out}"
    );
}

/// Gives the demo's `Assignment.dueDate` a module-level resolver,
/// `due_date_of` in resolvers.py (imported by types.py); with
/// `shared_with_due_at`, `Assignment.dueAt` uses it too. The files' new
/// texts (types.py, resolvers.py).
fn resolve_due_date_with_a_function(
    demo: &Workspace,
    shared_with_due_at: bool,
) -> (String, String) {
    let mut types = demo
        .read("webapp/assignments/types.py")
        .replace(
            "from webapp.assignments.resolvers import classroom_for_assignment",
            "from webapp.assignments.resolvers import classroom_for_assignment, due_date_of",
        )
        .replace(
            "    due_date = Time()\n",
            "    due_date = Time(resolver=due_date_of)\n",
        );
    if shared_with_due_at {
        types = types.replace(
            "resolver=lambda assignment, info: assignment.due_date,",
            "resolver=due_date_of,",
        );
    }
    demo.write("webapp/assignments/types.py", &types);
    let resolvers = demo.read("webapp/assignments/resolvers.py")
        + "\n\ndef due_date_of(assignment, info):\n    return assignment.due_date\n";
    demo.write("webapp/assignments/resolvers.py", &resolvers);
    (types, resolvers)
}

#[test]
fn a_resolver_a_field_not_done_shares_is_kept_and_says_who_keeps_it() {
    let demo = Workspace::demo();
    let (types, resolvers) = resolve_due_date_with_a_function(&demo, true);
    let untouched = Workspace::demo();
    untouched.write("webapp/assignments/types.py", &types);
    untouched.write("webapp/assignments/resolvers.py", &resolvers);

    let run = demo.ferry(&[
        "finish",
        "Assignment.dueDate",
        "--delete-python",
        "--json",
        "--dry-run",
    ]);
    run.success();
    let report = json(&run.stdout());
    let field = &report["python_to_delete"][0];
    assert_eq!(field["delete"][0]["role"], "declaration");
    assert_eq!(field["delete"].as_array().unwrap().len(), 1);
    assert_eq!(field["kept"][0]["role"], "resolver");
    assert_eq!(field["kept"][0]["file"], "webapp/assignments/resolvers.py");
    assert_eq!(field["kept"][0]["kept_by"][0], "Assignment.dueAt");
    let run = demo.ferry(&["finish", "Assignment.dueDate", "--delete-python"]);
    run.success();
    insta::assert_snapshot!(run.stdout());
    assert_eq!(demo.read("webapp/assignments/resolvers.py"), resolvers);
    assert!(
        demo.read("webapp/assignments/types.py")
            .contains("import classroom_for_assignment, due_date_of\n")
    );
    assert_library_agrees(
        untouched.root(),
        demo.root(),
        "webapp.schema:schema",
        &["Assignment.dueDate"],
    );
}

/// Deletes the Python of `finished` from a copy of a fixture app the way
/// `finish --delete-python` does (every other field still served), and
/// checks with the real library that only those fields changed.
fn delete_from_fixture(fixture: &str, framework: Framework, target: &str, finished: &[&str]) {
    let copy = Workspace::fixture(&format!("python/{fixture}"));
    let root = copy.root();
    let index = build_index(&PythonIndexOptions {
        workspace_root: root.to_path_buf(),
        roots: vec![root.to_path_buf()],
        import_roots: vec![root.to_path_buf()],
        exclude: Vec::new(),
        framework,
        cache_dir: None,
        progress: false,
    })
    .expect("index builds");
    let keys: Vec<(String, String)> = finished
        .iter()
        .map(|f| {
            let (t, f) = f.split_once('.').unwrap();
            (t.to_string(), f.to_string())
        })
        .collect();
    let plan = plan_deletion(&index.code, &keys, |_| true);
    for (key, deletion) in &plan {
        assert!(
            deletion.kept.is_empty(),
            "{key:?} keeps {:?}",
            deletion.kept
        );
        assert!(!deletion.delete.is_empty(), "{key:?} has code to delete");
    }
    assert_eq!(plan.len(), finished.len(), "every field has its code");
    for (file, spans) in statements_by_file(plan.values()) {
        let text = copy.read(&file);
        let removal = remove_statements(&text, &spans).expect("the statements are there");
        let mut after = String::new();
        let mut at = 0;
        for edit in &removal.edits {
            after.push_str(&text[at..edit.range.start]);
            after.push_str(&edit.text);
            at = edit.range.end;
        }
        after.push_str(&text[at..]);
        copy.write(&file, &after);
    }
    let before = repo().join("tests/fixtures/python").join(fixture);
    assert_library_agrees(&before, root, target, finished);
}

#[test]
fn strawberry_fields_deleted_leave_strawberrys_schema_minus_exactly_them() {
    // A decorated method, a resolver= function in
    // another module, a method under a decorator of the project's, a
    // renamed mutation.
    delete_from_fixture(
        "strawberry/library",
        Framework::Strawberry,
        "library.schema:schema",
        &[
            "Query.book",
            "Shelf.books",
            "Query.me",
            "Mutation.removeBook",
        ],
    );
}

#[test]
fn ariadne_fields_deleted_fall_to_the_default_resolver_and_nothing_else_moves() {
    // An @obj.field function, set_field with a function and with a lambda,
    // a type's own resolver over its interface's (which then serves it).
    delete_from_fixture(
        "ariadne/shop",
        Framework::Ariadne,
        "shop.app:schema",
        &["Query.book", "Pen.color", "Pen.inkLevel", "Book.price"],
    );
}

#[test]
fn graphene_mutations_and_fields_deleted_leave_graphenes_schema_minus_exactly_them() {
    delete_from_fixture(
        "graphene/classroom",
        Framework::Graphene,
        "app.schema:schema",
        // Its class with its payload's field, its registration, its import.
        &["Mutation.removeAssignment"],
    );
}

#[test]
fn a_resolver_another_module_imports_is_kept_and_that_module_still_imports() {
    let demo = Workspace::demo();
    let (_, resolvers) = resolve_due_date_with_a_function(&demo, false);
    // A module that is no field's code, importing the resolver under
    // another name for a job of its own.
    let export = "from webapp.assignments.resolvers import due_date_of as resolve_due\n\n\n\
                  def export_due_dates(assignments):\n    \
                  return [resolve_due(a, None) for a in assignments]\n";
    demo.write("webapp/assignments/export.py", export);
    let untouched = Workspace::demo();
    for file in [
        "webapp/assignments/types.py",
        "webapp/assignments/resolvers.py",
        "webapp/assignments/export.py",
    ] {
        untouched.write(file, &demo.read(file));
    }

    let run = demo.ferry(&["finish", "Assignment.dueDate", "--delete-python", "--json"]);
    run.success();
    let report = json(&run.stdout());
    let field = &report["python_to_delete"][0];
    assert_eq!(field["field"], "Assignment.dueDate", "{report:#}");
    let kept = &field["kept"][0];
    assert_eq!(kept["role"], "resolver", "{report:#}");
    assert_eq!(kept["file"], "webapp/assignments/resolvers.py");
    assert_eq!(
        kept["imported_by"],
        serde_json::json!(["webapp/assignments/export.py"])
    );
    assert_eq!(kept["kept_by"], serde_json::json!([]));
    // The declaration went, and with it types.py's own import of the name,
    // which nothing else there used; the definition stayed.
    assert_eq!(field["delete"][0]["role"], "declaration");
    assert_eq!(demo.read("webapp/assignments/resolvers.py"), resolvers);
    assert!(
        !demo
            .read("webapp/assignments/types.py")
            .contains("due_date_of")
    );
    assert_eq!(demo.read("webapp/assignments/export.py"), export);

    assert_library_agrees(
        untouched.root(),
        demo.root(),
        "webapp.schema:schema",
        &["Assignment.dueDate"],
    );
    // Python itself still imports the module that uses the resolver.
    if let Some(python) = common::python() {
        let output = Command::new(python)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .current_dir(demo.root())
            .args(["-c", "import webapp.assignments.export"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
