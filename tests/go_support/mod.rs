//! Shared by the `go_*` integration tests: fixture services, the schema as
//! ferry's workspace loader hands it over (federation prelude included), the
//! Python quotes, and the real Go toolchain.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use apollo_compiler::Schema;
use ferry::generate::{
    FieldRequest, GenRequest, GenerationPlan, Origin, QuotedPython, plan_generation,
};
use ferry::workspace::gqlgen_config::GqlgenConfig;

/// What gqlgen's federation plugin injects before the service's schema (v1).
pub const FEDERATION_V1_PRELUDE: &str = "
scalar _Any
scalar _FieldSet

directive @external on FIELD_DEFINITION
directive @requires(fields: _FieldSet!) on FIELD_DEFINITION
directive @provides(fields: _FieldSet!) on FIELD_DEFINITION
directive @key(fields: _FieldSet!) repeatable on OBJECT | INTERFACE
directive @extends on OBJECT | INTERFACE
";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/go")
        .join(name)
}

/// A scratch copy of a fixture service, so tests can write into it.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    copy_dir(&fixture(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The service's gqlgen.yml and its schema, with the federation prelude.
pub fn load_service(root: &Path) -> (GqlgenConfig, Schema) {
    let config =
        GqlgenConfig::load(&root.join("gqlgen.yml")).expect("the fixture's gqlgen.yml loads");
    let mut builder = Schema::builder()
        .adopt_orphan_extensions()
        .parse(FEDERATION_V1_PRELUDE, "federation/directives.graphql");
    for file in &config.schema_files {
        builder = builder.parse(fs::read_to_string(file).unwrap(), file);
    }
    let schema = builder.build().expect("the fixture's schema is valid");
    (config, schema)
}

/// Every field gqlgen writes a resolver for in the classroom fixture.
pub fn classroom_resolver_fields() -> Vec<(String, String)> {
    [
        ("Assignment", "title"),
        ("Assignment", "createdDate"),
        ("Assignment", "scores"),
        ("Query", "assignment"),
        ("Query", "assignments"),
        ("Query", "node"),
        ("Query", "assignmentUrl"),
        ("Query", "search"),
        ("Query", "product"),
        ("Query", "me"),
        ("Mutation", "createAssignment"),
        ("Mutation", "archiveAssignments"),
        ("Mutation", "setState"),
        ("Subscription", "assignmentPublished"),
        ("User", "assignments"),
    ]
    .iter()
    .map(|(t, f)| (t.to_string(), f.to_string()))
    .collect()
}

/// The Python index's answer for a few fields, awkward text included.
pub fn python_quote(type_name: &str, field_name: &str) -> Option<QuotedPython> {
    match (type_name, field_name) {
        ("Assignment", "createdDate") => Some(QuotedPython {
            file: "webapp/assignments/types.py".to_string(),
            line: 88,
            source: "    def resolve_created_date(self, info):\n        # Python 2: naive datetimes */ `raw`\n        return self.created_date\n".to_string(),
            logic: None,
        }),
        ("Mutation", "createAssignment") => Some(QuotedPython {
            file: "webapp/assignments/mutations.py".to_string(),
            line: 12,
            source: "class CreateAssignment(graphene.Mutation):\n    def mutate(self, info, input):\n        return CreateAssignment.perform_mutation(info, input)\n".to_string(),
            logic: Some((
                "webapp/assignments/logic.py".to_string(),
                40,
                "def perform_mutation(info, input):\n    print \"créé\", input\t\n    return Assignment(**input)\n".to_string(),
            )),
        }),
        ("Query", "search") => Some(QuotedPython {
            file: "webapp/search.py".to_string(),
            line: 7,
            source: "def resolve_search(root, info, type, package=None):\r\n    \"\"\"Search \u{feff}\u{0}\u{7} */ \"\"\"\r\n    return []\r\n".to_string(),
            logic: None,
        }),
        _ => None,
    }
}

/// Fields moved from Python (their resolvers forced where the model has them).
pub fn moved(fields: &[(String, String)]) -> Vec<FieldRequest> {
    fields
        .iter()
        .map(|(t, f)| FieldRequest::new(t, f, Origin::Python))
        .collect()
}

/// The plan for fields moved from Python into the service at `root`.
pub fn plan(root: &Path, fields: Vec<(String, String)>) -> GenerationPlan {
    plan_requests(root, moved(&fields)).expect("the plan succeeds")
}

pub fn plan_requests(
    root: &Path,
    fields: Vec<FieldRequest>,
) -> Result<GenerationPlan, ferry::generate::GenError> {
    let (config, schema) = load_service(root);
    plan_generation(&GenRequest {
        schema: &schema,
        config: &config,
        fields,
        python: &python_quote,
        resolver_dir: None,
        root,
    })
}

/// Writes the plan's Go files and applies its schema edits, as the CLI does.
pub fn write(plan: &GenerationPlan) {
    for file in &plan.files {
        if let Some(parent) = file.path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&file.path, &file.after).unwrap();
    }
    let mut edits = plan.schema_edits.clone();
    edits.sort_by(|a, b| (&b.file, b.offset).cmp(&(&a.file, a.offset)));
    for edit in edits {
        let mut text = fs::read_to_string(&edit.file).unwrap();
        text.insert_str(edit.offset, &edit.insert);
        fs::write(&edit.file, text).unwrap();
    }
}

/// The `go` binary, or `None` with a notice when it is missing outside CI.
/// In CI a missing toolchain fails the test: the check must not pass silently.
pub fn go_toolchain() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join("go"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .chain([
            PathBuf::from("/usr/lib/go/bin/go"),
            PathBuf::from("/usr/local/go/bin/go"),
        ])
        .find(|candidate| candidate.is_file());
    if found.is_none() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("the Go toolchain is missing: install Debian's golang-go (.ci/run does)");
        }
        eprintln!("notice: `go` not found; skipping the checks that need the Go toolchain");
    }
    found
}

/// Runs a Go tool offline, with only the standard library.
pub fn run_go(go: &Path, program: &str, dir: &Path, args: &[&str]) -> Output {
    let binary = if program == "go" {
        go.to_path_buf()
    } else {
        go.with_file_name(program)
    };
    Command::new(binary)
        .args(args)
        .current_dir(dir)
        .env("GOFLAGS", "-mod=mod")
        .env("GOPROXY", "off")
        .env("GOWORK", "off")
        .env("GO111MODULE", "on")
        .env("GOTOOLCHAIN", "local")
        .output()
        .expect("the Go tool runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
