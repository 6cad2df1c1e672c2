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

#[test]
fn the_demo_monolith_agrees_with_graphene() {
    // examples/classroom, with its ferry.toml's settings. It lives in the
    // main line; a branch without it has nothing to check.
    let root = repo().join("examples/classroom");
    if !root.join("webapp/schema.py").exists() {
        eprintln!("notice: no demo monolith at {}", root.display());
        return;
    }
    let Some(truth) = truth(&root, "webapp.schema:schema") else {
        return;
    };
    let options = PythonIndexOptions {
        roots: vec![root.join("webapp")],
        exclude: vec!["**/tests/**".to_string()],
        ..options(&root, Framework::Graphene)
    };
    let index = build_index(&options).expect("index builds");
    assert!(index.failed_files.is_empty(), "{:?}", index.failed_files);
    assert_agrees(&truth, &index);
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

/// A copy of a fixture in a temporary directory, to edit.
fn copy_fixture(path: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("create dir");
        for entry in std::fs::read_dir(from).expect("read dir").flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("copy file");
            }
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    copy(&fixture(path), dir.path());
    dir
}

fn cached_options(root: &Path, framework: Framework) -> PythonIndexOptions {
    PythonIndexOptions {
        cache_dir: Some(root.join(".ferry/cache")),
        ..options(root, framework)
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("write");
}

fn resolver_name(index: &PythonIndex, type_name: &str, field: &str) -> Option<String> {
    match index
        .fields
        .get(&(type_name.to_string(), field.to_string()))?
    {
        FieldResolution::Function(resolver) => Some(resolver.function.function.clone()),
        FieldResolution::Default => None,
    }
}

#[test]
fn the_cache_gives_the_same_index_and_follows_edits() {
    let dir = copy_fixture("graphene/classroom");
    let root = dir.path();
    let uncached = index(root, Framework::Auto);
    let options = cached_options(root, Framework::Auto);

    let cold = build_index(&options).expect("cold");
    assert_eq!(cold, uncached);
    assert_eq!(
        std::fs::read_to_string(root.join(".ferry/.gitignore")).expect(".gitignore"),
        "*\n"
    );
    let warm = build_index(&options).expect("warm");
    assert_eq!(warm, uncached);

    // An edited file is read again; the others come from the cache.
    edit(
        &root.join("app/users/types.py"),
        "    def resolve_email(parent, info):",
        "    def resolve_email(parent, info):\n        \"\"\"Lower-cased.\"\"\"\n        pass\n\n    def resolve_nickname(parent, info):",
    );
    let edited = build_index(&options).expect("after an edit");
    assert_eq!(edited, index(root, Framework::Auto));
    assert_eq!(
        resolver_name(&edited, "User", "nickname").as_deref(),
        Some("User.resolve_nickname")
    );
    assert_ne!(edited, uncached);

    // A damaged cache is ignored, and deleting it is always safe.
    for entry in std::fs::read_dir(root.join(".ferry/cache"))
        .expect("cache")
        .flatten()
    {
        std::fs::write(entry.path(), b"not a cache").expect("damage");
    }
    assert_eq!(build_index(&options).expect("damaged cache"), edited);
    std::fs::remove_dir_all(root.join(".ferry")).expect("delete cache");
    assert_eq!(build_index(&options).expect("no cache"), edited);
}

#[test]
fn the_cached_index_follows_the_sdl_ariadne_reads() {
    let dir = copy_fixture("ariadne/shop");
    let root = dir.path();
    let options = cached_options(root, Framework::Ariadne);
    let before = build_index(&options).expect("cold");
    assert_eq!(
        resolver_name(&before, "Book", "displayName").as_deref(),
        Some("node_display_name")
    );
    // Book no longer implements Node (nor Product): Node's resolver stops
    // reaching it, though no Python file changed.
    edit(
        &root.join("shop/schema.graphql"),
        "type Book implements Product & Node {",
        "type Book {",
    );
    let after = build_index(&options).expect("after the SDL changed");
    assert_eq!(resolver_name(&after, "Book", "displayName"), None);
    assert_eq!(after, index(root, Framework::Ariadne));
}

#[test]
fn excluded_files_are_not_scanned() {
    let root = fixture("graphene/classroom");
    let all = index(&root, Framework::Graphene);
    let options = PythonIndexOptions {
        exclude: vec!["**/legacy/**".to_string()],
        ..options(&root, Framework::Graphene)
    };
    let some = build_index(&options).expect("index");
    assert_eq!(some.files_scanned, all.files_scanned - 2);
    // The legacy User was never in the schema: nothing else changes.
    assert_eq!(some.fields, all.fields);
}

#[test]
fn strawberry_snake_case_schema_agrees_with_strawberry() {
    // StrawberryConfig(auto_camel_case=False), passed through a name.
    check_against_library(
        "strawberry/snake",
        "zoo.schema:schema",
        Framework::Strawberry,
    );
}
