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
    FieldCode, FieldResolution, Framework, PythonFunction, PythonIndex, PythonIndexOptions,
    PythonProblemKind, PythonResolver, PythonSpan, build_index,
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
fn a_class_body_binding_meta_twice_agrees_with_graphene() {
    // The second `class Meta` names the type and gives it an interface:
    // Python binds the name anew, and graphene reads that one.
    check_against_library("graphene/meta", "meta.schema:schema", Framework::Graphene);
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
            ("Query.user", "Query.resolve_user webapp/schema.py:16-17"),
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
            // graphene 2's AbstractType mixin before ObjectType (graphene 3
            // has no AbstractType, so this cannot be imported here)
            ("Query.profile", "default"),
            ("Profile.bio", "default"),
            (
                "Profile.created",
                "Timestamps.resolve_created webapp/profiles.py:9-10",
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
fn a_same_size_edit_with_its_modified_time_put_back_is_still_noticed() {
    let dir = copy_fixture("graphene/classroom");
    let root = dir.path();
    let options = cached_options(root, Framework::Auto);
    let before = build_index(&options).expect("cold");
    // Warm: the files are now known by their stamps, not read.
    assert_eq!(build_index(&options).expect("warm"), before);
    let types = root.join("app/users/types.py");
    let modified = std::fs::metadata(&types).unwrap().modified().unwrap();
    edit(&types, "def resolve_email(", "def resolve_emai_(");
    std::fs::File::options()
        .write(true)
        .open(&types)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let edited = build_index(&options).expect("after the edit");
    assert_eq!(resolver_name(&edited, "User", "email"), None);
    assert_eq!(edited, index(root, Framework::Auto));
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

#[test]
fn graphene_rules_agree_with_graphene() {
    // An enum made by the project's own factory, mounted as `StateEnum()`;
    // a Field subclass whose __init__ defaults resolver= (and a caller
    // passing resolver=None, which falls through to resolve_<attr>); an
    // interface's own resolve_<attr> serving its implementer while the
    // interface's field keeps graphql-core's default; `_entities` added to
    // the built graphql-core schema by hand.
    check_against_library(
        "graphene/rules",
        "catalog.schema:schema",
        Framework::Graphene,
    );
}

#[test]
fn graphene_federation_agrees_with_graphene() {
    // requires(...), external(...), override(...) mount the field they wrap;
    // build_schema adds _service, _entities (Product has a key) and
    // _Service.sdl.
    check_against_library("graphene/federated", "shop.schema:schema", Framework::Auto);
}

#[test]
fn strawberry_rules_agree_with_strawberry() {
    // types= computed with list(), chain(), + and *; a helper handed an
    // interface (walking its __subclasses__) standing for its implementers;
    // a union reached only through a TypeAlias of Annotated[Union[...],
    // strawberry.union(...)]; relay Node.id served by a project resolve_id
    // (and by strawberry's own code where there is none); a type nothing
    // reaches.
    check_against_library(
        "strawberry/rules",
        "media.schema:schema",
        Framework::Strawberry,
    );
}

#[test]
fn a_types_list_ferry_cannot_follow_counts_every_type_and_says_so() {
    let dir = copy_fixture("strawberry/rules");
    let root = dir.path();
    edit(
        &root.join("media/schema.py"),
        "types=list(chain([Photo], EXTRA_TYPES)) + [*implementations(Content)],",
        "types=[cls for cls in (Photo, *EXTRA_TYPES)] + [*implementations(Content)],",
    );
    let index = index(root, Framework::Strawberry);
    assert!(
        index
            .fields
            .contains_key(&("Podcast".to_string(), "episodes".to_string())),
        "every declared type counts"
    );
    assert_eq!(index.problems.len(), 1, "{:?}", index.problems);
    let problem = &index.problems[0];
    assert_eq!(problem.kind, PythonProblemKind::UntracedSchema);
    assert_eq!(
        (problem.file.as_str(), problem.line),
        ("media/schema.py", 36)
    );
}

#[test]
fn ariadne_bindables_gathered_at_run_time_agree_with_ariadne() {
    // make_executable_schema(type_defs, resolvers) where `resolvers` grows in
    // a loop over apps imported by name: every bindable counts, and the
    // index says it had to guess.
    check_against_library("ariadne/apps", "bookshop.schema:schema", Framework::Ariadne);
    let index = index(&fixture("ariadne/apps"), Framework::Ariadne);
    let problems: Vec<(PythonProblemKind, &str, u32)> = index
        .problems
        .iter()
        .map(|problem| (problem.kind, problem.file.as_str(), problem.line))
        .collect();
    assert_eq!(
        problems,
        [(PythonProblemKind::UntracedSchema, "bookshop/schema.py", 20)]
    );
}

#[test]
fn a_test_modules_query_does_not_shadow_the_applications() {
    // Scanning the tests too (exclude = []): two schemas declare Query; the
    // application's, which reaches more types, wins over the test's (first in
    // file order), and the other is named.
    check_against_library(
        "graphene/shadowed",
        "school.web:schema",
        Framework::Graphene,
    );
    let index = index(&fixture("graphene/shadowed"), Framework::Graphene);
    let problems: Vec<(PythonProblemKind, &str, u32)> = index
        .problems
        .iter()
        .map(|problem| (problem.kind, problem.file.as_str(), problem.line))
        .collect();
    assert_eq!(
        problems,
        [(
            PythonProblemKind::AmbiguousType,
            "school/tests/test_schema.py",
            6
        )]
    );
}

#[test]
fn tests_are_not_scanned_unless_ferry_toml_says_so() {
    // The fixture's ferry.toml names no `exclude`: the tests are left out.
    let dir = copy_fixture("graphene/shadowed");
    let status = |root: &Path| -> Value {
        let output = Command::new(env!("CARGO_BIN_EXE_ferry"))
            .args(["status", "--json", "--no-cache", "--root"])
            .arg(root)
            .output()
            .expect("run ferry status");
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "status --json: {error}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
    };
    let ids = |json: &Value| -> Vec<String> {
        json["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .map(|problem| problem["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let function = |json: &Value, field: &str| -> Option<String> {
        json["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["type"] == "Query" && f["field"] == field)
            .and_then(|f| f["python"]["function"].as_str().map(str::to_string))
    };
    let excluded = status(dir.path());
    assert_eq!(
        function(&excluded, "course").as_deref(),
        Some("Query.resolve_course")
    );
    assert!(!ids(&excluded).contains(&"python-ambiguous-type".to_string()));

    // `exclude = []` opts out: the test's Query is seen, and reported.
    edit(
        &dir.path().join("ferry.toml"),
        "roots = [\"school\"]\n",
        "roots = [\"school\"]\nexclude = []\n",
    );
    let scanned = status(dir.path());
    assert_eq!(
        function(&scanned, "course").as_deref(),
        Some("Query.resolve_course")
    );
    assert!(ids(&scanned).contains(&"python-ambiguous-type".to_string()));
}

/// A statement as (ast kind, first line with decorators, last line).
type Statement = (String, u32, u32);

/// file → its statements.
fn statement_lines(root: &Path) -> Option<BTreeMap<String, Vec<Statement>>> {
    let python = python()?;
    let output = Command::new(python)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(repo().join("tests/python/statement_lines.py"))
        .arg(root)
        .output()
        .expect("run statement_lines.py");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: BTreeMap<String, Vec<Statement>> =
        serde_json::from_slice(&output.stdout).expect("statements are JSON");
    Some(json)
}

/// Fields graphene, relay and federation add with no code of the project's.
fn library_added(field: &str) -> bool {
    matches!(
        field,
        "pageInfo" | "edges" | "clientMutationId" | "id" | "_service" | "_entities" | "sdl"
    )
}

/// Every line range the index gives is exactly one statement to Python's
/// ast (a definition with its decorators, an assignment, a call), of the
/// kind its role says, and it holds the code that resolves the field.
fn assert_code_matches_ast(fixture_dir: &str, framework: Framework) -> Option<PythonIndex> {
    let root = fixture(fixture_dir);
    let statements = statement_lines(&root)?;
    let index = index(&root, framework);
    let mut problems = Vec::new();
    for (key, code) in &index.code {
        let name = format!("{}.{}", key.0, key.1);
        let roles = [
            (
                "declaration",
                &code.declaration,
                &[
                    "Assign",
                    "AnnAssign",
                    "FunctionDef",
                    "AsyncFunctionDef",
                    "Expr",
                ][..],
            ),
            (
                "resolver",
                &code.resolver,
                &["FunctionDef", "AsyncFunctionDef", "Assign", "AnnAssign"][..],
            ),
            ("mutation", &code.mutation, &["ClassDef"][..]),
        ];
        for (role, span, kinds) in roles {
            let Some(span) = span else { continue };
            let Some(file) = statements.get(&span.file) else {
                continue; // Python 3 cannot parse it
            };
            let found = file.iter().any(|(kind, first, last)| {
                kinds.contains(&kind.as_str()) && *first == span.line && *last == span.end_line
            });
            if !found {
                problems.push(format!(
                    "{name}: {role} {}:{}-{} is no {kinds:?} statement",
                    span.file, span.line, span.end_line
                ));
            }
        }
        match index.fields.get(key) {
            Some(FieldResolution::Function(resolver)) => {
                let code_lines = [
                    &resolver.function,
                    resolver.logic.as_ref().unwrap_or(&resolver.function),
                ];
                let held = [&code.resolver, &code.declaration]
                    .into_iter()
                    .flatten()
                    .any(|span| {
                        code_lines.iter().any(|function| {
                            function.file == span.file
                                && span.line <= function.line
                                && function.end_line <= span.end_line
                        })
                    });
                // `resolve_x = make_resolver("x")`, `= staticmethod(shared)`:
                // the assignment goes, the shared code it binds stays.
                let binds = code.resolver.as_ref().is_some_and(|span| {
                    statements.get(&span.file).is_some_and(|file| {
                        file.iter().any(|(kind, first, last)| {
                            kind == "Assign" && *first == span.line && *last == span.end_line
                        })
                    })
                });
                if !held && !binds {
                    problems.push(format!(
                        "{name}: no range holds {}",
                        show(index.fields.get(key))
                    ));
                }
            }
            _ => {
                if code.declaration.is_none() && !library_added(&key.1) {
                    problems.push(format!("{name}: no declaration"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(index.code.len(), index.fields.len(), "code for every field");
    Some(index)
}

fn span(file: &str, line: u32, end_line: u32) -> Option<PythonSpan> {
    Some(PythonSpan {
        file: file.to_string(),
        line,
        end_line,
    })
}

fn code_of<'i>(index: &'i PythonIndex, type_name: &str, field: &str) -> &'i FieldCode {
    &index.code[&(type_name.to_string(), field.to_string())]
}

#[test]
fn the_code_to_delete_is_what_pythons_ast_sees() {
    for (fixture_dir, framework) in [
        ("graphene/classroom", Framework::Graphene),
        ("graphene/snake", Framework::Graphene),
        ("graphene/rules", Framework::Graphene),
        ("graphene/federated", Framework::Graphene),
        ("graphene_py2", Framework::Graphene),
        ("strawberry/library", Framework::Strawberry),
        ("strawberry/rules", Framework::Strawberry),
        ("ariadne/shop", Framework::Ariadne),
        ("ariadne/apps", Framework::Ariadne),
    ] {
        assert_code_matches_ast(fixture_dir, framework);
    }
}

#[test]
fn a_mutation_is_its_class_its_registration_and_its_mutate() {
    let Some(index) = assert_code_matches_ast("graphene/classroom", Framework::Graphene) else {
        return;
    };
    let delete = code_of(&index, "Mutation", "removeAssignment");
    assert_eq!(delete.declaration, span("app/schema.py", 21, 21));
    assert_eq!(
        delete.mutation,
        span("app/assignments/mutations.py", 20, 28)
    );
    assert_eq!(
        delete.resolver,
        span("app/assignments/mutations.py", 26, 28)
    );
}

#[test]
fn a_field_is_its_whole_declaration_and_its_resolver() {
    let Some(index) = assert_code_matches_ast("graphene/rules", Framework::Graphene) else {
        return;
    };
    // A declaration spanning lines; resolver=None falls to resolve_caption.
    let caption = code_of(&index, "Item", "caption");
    assert_eq!(caption.declaration, span("catalog/types.py", 23, 27));
    assert_eq!(caption.resolver, span("catalog/types.py", 30, 31));
    // A lambda lives in its declaration.
    let label = code_of(&index, "Item", "label");
    assert_eq!(label.declaration, span("catalog/types.py", 28, 28));
    assert_eq!(label.resolver, None);
    // The default resolver: the declaration alone.
    let state = code_of(&index, "Item", "state");
    assert_eq!(state.declaration, span("catalog/types.py", 20, 20));
    assert_eq!(state.resolver, None);
    // A field added to the built schema: the assignment and its resolver.
    let entities = code_of(&index, "Query", "_entities");
    assert_eq!(entities.declaration, span("catalog/schema.py", 23, 27));
    assert_eq!(entities.resolver, span("catalog/schema.py", 17, 18));

    let Some(index) = assert_code_matches_ast("ariadne/shop", Framework::Ariadne) else {
        return;
    };
    assert!(index.code.values().any(|code| {
        code.declaration
            .as_ref()
            .is_some_and(|d| d.file.ends_with("query.py"))
    }));
}

#[test]
fn a_bindables_list_grown_with_plus_equals_is_not_followed_either() {
    let extended = index(&fixture("ariadne/apps"), Framework::Ariadne);
    let dir = copy_fixture("ariadne/apps");
    edit(
        &dir.path().join("bookshop/schema.py"),
        "resolvers.extend(getattr(module, \"resolvers\"))",
        "resolvers += getattr(module, \"resolvers\")",
    );
    let grown = index(dir.path(), Framework::Ariadne);
    assert_eq!(grown.fields, extended.fields);
    assert_eq!(grown.problems, extended.problems);
}

#[test]
fn a_query_of_many_mixins_and_a_type_of_many_fields_agree_with_graphene() {
    // What a monolith's root looks like: `Query` made of a hundred mixins
    // (some overriding another's field, or only its resolver), and a type
    // of two hundred fields. ferry spreads both over the cores.
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    let app = root.join("many");
    std::fs::create_dir_all(&app).expect("package folder");
    std::fs::write(app.join("__init__.py"), "").expect("write");
    let mut big = String::from("import graphene\n\n\nclass Big(graphene.ObjectType):\n");
    for n in 0..200 {
        big.push_str(&format!("    f{n} = graphene.Int()\n"));
        if n % 3 == 0 {
            big.push_str(&format!(
                "\n    def resolve_f{n}(self, info):\n        return {n}\n\n"
            ));
        }
    }
    std::fs::write(app.join("big.py"), big).expect("write");
    let mut mixins = String::from(
        "import graphene\n\nfrom .big import Big\n\n\ndef shared(root, info):\n    return None\n\n",
    );
    for n in 0..100 {
        mixins.push_str(&format!("\nclass Mixin{n}:\n"));
        mixins.push_str(&format!("    field{n} = graphene.Field(Big)\n"));
        // Every tenth mixin also declares its neighbour's field with a
        // resolver of its own: the nearer class in the MRO wins.
        if n % 10 == 0 {
            let next = n + 1;
            mixins.push_str(&format!(
                "    field{next} = graphene.String(resolver=shared)\n"
            ));
        }
        if n % 4 == 0 {
            mixins.push_str(&format!(
                "\n    def resolve_field{n}(self, info):\n        return None\n"
            ));
        }
    }
    std::fs::write(app.join("mixins.py"), mixins).expect("write");
    let bases: Vec<String> = (0..100).map(|n| format!("mixins.Mixin{n}")).collect();
    let schema = format!(
        "import graphene\n\nfrom . import mixins\n\n\nclass Query({}, graphene.ObjectType):\n    pass\n\n\nschema = graphene.Schema(query=Query)\n",
        bases.join(", ")
    );
    std::fs::write(app.join("schema.py"), schema).expect("write");
    let Some(truth) = truth(root, "many.schema:schema") else {
        return;
    };
    assert_eq!(truth.fields.len(), 300, "the library's own count");
    let index = index(root, Framework::Graphene);
    assert!(index.failed_files.is_empty(), "{:?}", index.failed_files);
    assert_agrees(&truth, &index);
}
