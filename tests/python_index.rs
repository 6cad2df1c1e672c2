//! ferry's Python resolver index agrees with the real libraries.
//!
//! Each fixture app is imported by `tests/python/resolver_truth.py` under the
//! real graphene / strawberry / ariadne, which reports the function that
//! resolves every field; ferry's static index of the same files must report
//! the same on every field. Python 2 fixtures cannot be imported by Python 3:
//! their expectations are written here.
//!
//! The interpreter is `$FERRY_PYTHON` or `<repo>/.venv/bin/python` with the
//! libraries of `scripts/requirements-test.txt`. Without it the truth tests
//! print a notice and pass, unless `CI=true`, where they fail.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ferry::python::{
    FieldResolution, Framework, PythonFunction, PythonIndex, PythonIndexOptions, PythonResolver,
    build_index,
};
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(path: &str) -> PathBuf {
    repo().join("tests/fixtures/python").join(path)
}

fn options(root: &Path, framework: Framework) -> PythonIndexOptions {
    PythonIndexOptions {
        workspace_root: root.to_path_buf(),
        roots: vec![root.to_path_buf()],
        import_roots: vec![root.to_path_buf()],
        exclude: Vec::new(),
        framework,
        cache_dir: None,
        progress: false,
    }
}

fn index(root: &Path, framework: Framework) -> PythonIndex {
    build_index(&options(root, framework)).expect("index builds")
}

/// The interpreter with the libraries, or `None` (outside CI) when missing.
fn python() -> Option<PathBuf> {
    let python = std::env::var_os("FERRY_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"));
    let works = Command::new(&python)
        .args(["-c", "import graphene, strawberry, ariadne"])
        .output()
        .is_ok_and(|output| output.status.success());
    if works {
        return Some(python);
    }
    let message = format!(
        "{} cannot import graphene, strawberry and ariadne; \
         install scripts/requirements-test.txt into .venv or set FERRY_PYTHON",
        python.display()
    );
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{message}");
    }
    eprintln!("notice: skipping the library truth check: {message}");
    None
}

/// Field → what the library really calls, as ferry reports it.
struct Truth {
    framework: String,
    /// (type, field) → resolution
    fields: BTreeMap<(String, String), FieldResolution>,
}

fn truth(root: &Path, target: &str) -> Option<Truth> {
    let python = python()?;
    let output = Command::new(python)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(repo().join("tests/python/resolver_truth.py"))
        .arg(root)
        .arg(target)
        .output()
        .expect("run resolver_truth.py");
    assert!(
        output.status.success(),
        "resolver_truth.py {target} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).expect("truth is JSON");
    let mut fields = BTreeMap::new();
    for (type_name, declared) in json["types"].as_object().expect("types") {
        for (field_name, entry) in declared["fields"].as_object().expect("fields") {
            fields.insert(
                (type_name.clone(), field_name.clone()),
                expected_resolution(entry),
            );
        }
    }
    Some(Truth {
        framework: json["framework"].as_str().unwrap_or_default().to_string(),
        fields,
    })
}

fn function(value: &Value) -> Option<PythonFunction> {
    value.get("file")?;
    Some(PythonFunction {
        file: value["file"].as_str()?.to_string(),
        line: value["line"].as_u64()? as u32,
        end_line: value["end_line"].as_u64()? as u32,
        function: value["function"].as_str()?.to_string(),
    })
}

/// ferry's convention over the library's facts: code inside the library
/// reports the project's logic behind it, or the default resolver.
fn expected_resolution(entry: &Value) -> FieldResolution {
    let logic = function(&entry["logic"]);
    match function(&entry["resolver"]) {
        Some(function) => FieldResolution::Function(PythonResolver { function, logic }),
        None => match logic {
            Some(function) => FieldResolution::Function(PythonResolver {
                function,
                logic: None,
            }),
            None => FieldResolution::Default,
        },
    }
}

fn show(resolution: Option<&FieldResolution>) -> String {
    let describe =
        |f: &PythonFunction| format!("{} {}:{}-{}", f.function, f.file, f.line, f.end_line);
    match resolution {
        None => "(absent)".to_string(),
        Some(FieldResolution::Default) => "default".to_string(),
        Some(FieldResolution::Function(resolver)) => match &resolver.logic {
            Some(logic) => format!(
                "{} (logic {})",
                describe(&resolver.function),
                describe(logic)
            ),
            None => describe(&resolver.function),
        },
    }
}

/// Every field agrees; ferry reports no field the library does not have.
fn assert_agrees(truth: &Truth, index: &PythonIndex) {
    let mut problems = Vec::new();
    // ariadne binds code to SDL it does not declare: a field without a
    // binding is simply absent from the index.
    let absent_is_default = truth.framework == "ariadne";
    for (key, expected) in &truth.fields {
        let found = index.fields.get(key);
        let agrees = match found {
            Some(found) => found == expected,
            None => absent_is_default && *expected == FieldResolution::Default,
        };
        if !agrees {
            problems.push(format!(
                "{}.{}\n    library: {}\n    ferry:   {}",
                key.0,
                key.1,
                show(Some(expected)),
                show(found)
            ));
        }
    }
    for (key, found) in &index.fields {
        if !truth.fields.contains_key(key) {
            problems.push(format!(
                "{}.{} is not in the library's schema\n    ferry:   {}",
                key.0,
                key.1,
                show(Some(found))
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} fields disagree with {}:\n{}",
        problems.len(),
        truth.fields.len(),
        truth.framework,
        problems.join("\n")
    );
}

fn check_against_library(fixture_dir: &str, target: &str, framework: Framework) {
    let root = fixture(fixture_dir);
    let Some(truth) = truth(&root, target) else {
        return;
    };
    assert!(!truth.fields.is_empty(), "the truth script found no fields");
    let index = index(&root, framework);
    assert!(index.failed_files.is_empty(), "{:?}", index.failed_files);
    assert_agrees(&truth, &index);
}

#[test]
fn graphene_classroom_agrees_with_graphene() {
    check_against_library(
        "graphene/classroom",
        "app.schema:schema",
        Framework::Graphene,
    );
}

#[test]
fn graphene_classroom_agrees_with_graphene_under_auto() {
    check_against_library("graphene/classroom", "app.schema:schema", Framework::Auto);
}

#[test]
fn graphene_snake_case_schema_agrees_with_graphene() {
    // auto_camelcase=False, a Field subclass defaulting resolver= in
    // __init__, an implementer reached only through Schema(types=[...]),
    // a subscription.
    check_against_library("graphene/snake", "snake.schema:schema", Framework::Graphene);
}

/// `Type.field` → `function file:line-end_line (logic …)` or `default`.
fn assert_fields(index: &PythonIndex, expected: &[(&str, &str)]) {
    let found: BTreeMap<String, String> = index
        .fields
        .iter()
        .map(|((type_name, field), resolution)| {
            (format!("{type_name}.{field}"), show(Some(resolution)))
        })
        .collect();
    let expected: BTreeMap<String, String> = expected
        .iter()
        .map(|(field, resolution)| (field.to_string(), resolution.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn python_2_code_and_files_with_syntax_errors_are_scanned() {
    // Python 3 cannot import these files: the expectations are written here.
    let root = fixture("graphene_py2");
    let index = index(&root, Framework::Auto);
    assert!(index.failed_files.is_empty(), "{:?}", index.failed_files);
    assert_eq!(index.files_with_syntax_errors, vec!["webapp/broken.py"]);
    assert_fields(
        &index,
        &[
            ("Query.user", "Query.resolve_user webapp/schema.py:14-15"),
            ("Query.badge", "default"),
            ("Query.course", "default"),
            ("Query.lesson", "default"),
            ("User.kaid", "default"),
            // name=, print statements and `except X, e` in the body
            (
                "User.totalPoints",
                "User.resolve_points webapp/users.py:21-26",
            ),
            // an old-style mixin class
            (
                "User.nickname",
                "NicknameMixin.resolve_nickname webapp/users.py:11-13",
            ),
            // `from decorators import log_calls`: Python 2's implicit relative
            // import; the wrapper does not use functools.wraps
            (
                "User.bio",
                "log_calls.<locals>.wrapper webapp/decorators.py:2-4 \
                 (logic User.resolve_bio webapp/users.py:29-30)",
            ),
            // a syntax error inside one method leaves the rest of the file
            ("Badge.title", "Badge.resolve_title webapp/broken.py:7-10"),
            ("Course.slug", "Course.resolve_slug webapp/broken.py:16-17"),
            // PEP 695 generics, `type X = ...`, match statements
            (
                "Lesson.duration",
                "Lesson.resolve_duration webapp/modern.py:10-15",
            ),
        ],
    );
}

#[test]
fn strawberry_library_agrees_with_strawberry() {
    // Interfaces with resolvers and their overrides, federation types,
    // resolver= into another module and as a lambda, name=, Private,
    // plain mixins (no fields), mutations, subscriptions, a same-named
    // class the schema does not reach.
    check_against_library(
        "strawberry/library",
        "library.schema:schema",
        Framework::Strawberry,
    );
}

#[test]
fn strawberry_library_agrees_with_strawberry_under_auto() {
    check_against_library(
        "strawberry/library",
        "library.schema:schema",
        Framework::Auto,
    );
}

#[test]
fn ariadne_shop_agrees_with_ariadne() {
    // Several bindables for Query (the later wins), set_field with a
    // function from another module and a lambda, set_alias, interface
    // resolvers reaching implementing types (and interfaces) that bind
    // none, subscription sources, the SDL loaded from a path built with
    // os.path.join(os.path.dirname(__file__), ...).
    check_against_library("ariadne/shop", "shop.app:schema", Framework::Ariadne);
}

#[test]
fn ariadne_shop_agrees_with_ariadne_under_auto() {
    check_against_library("ariadne/shop", "shop.app:schema", Framework::Auto);
}
