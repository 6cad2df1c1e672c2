//! `gen go` on the demo workspace's two gqlgen services (federation v1 and
//! v2): with their resolver files deleted, ferry writes them back in a form
//! gofmt leaves alone and `go vet` accepts against the services' stand-in
//! for gqlgen's generated.go.

mod go_support;

use std::fs;
use std::path::{Path, PathBuf};

use ferry::generate::{FieldRequest, GenRequest, Origin, plan_generation};
use ferry::golang::{GoIndex, GoStatus};
use ferry::schema::loaded::LoadedSchema;
use ferry::schema::source::SourceFile;
use ferry::workspace::WorkspacePath;
use ferry::workspace::gqlgen_config::GqlgenConfig;
use go_support::*;

fn copy_demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/classroom");
    copy_tree(&demo, dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// The service's schema as ferry's workspace loader reads it.
fn load(workspace: &Path, service: &str) -> (GqlgenConfig, LoadedSchema) {
    let config =
        GqlgenConfig::load(&workspace.join("services").join(service).join("gqlgen.yml")).unwrap();
    let sources = config
        .schema_files
        .iter()
        .map(|abs| SourceFile::read(WorkspacePath::new(workspace, abs.clone())).unwrap())
        .collect();
    (config, LoadedSchema::load(sources).unwrap())
}

fn regenerate(workspace: &Path, service: &str, fields: &[(&str, &str)]) -> Vec<PathBuf> {
    let graph = workspace.join("services").join(service).join("graph");
    for entry in fs::read_dir(&graph).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".resolvers.go") {
            fs::remove_file(path).unwrap();
        }
    }
    let (config, loaded) = load(workspace, service);
    let request = GenRequest {
        schema: &loaded.schema,
        config: &config,
        fields: fields
            .iter()
            .map(|(t, f)| FieldRequest::new(t, f, Origin::Python))
            .collect(),
        python: &|_, _| None,
        resolver_dir: None,
        root: workspace,
    };
    let plan = plan_generation(&request).unwrap();
    assert!(
        plan.schema_edits.is_empty(),
        "the demo's models lack these fields, so gqlgen calls the resolvers already: {:#?}",
        plan.schema_edits
    );
    write(&plan);
    plan.files.into_iter().map(|f| f.path).collect()
}

fn check_with_go(service_dir: &Path) {
    let Some(go) = go_toolchain() else { return };
    let output = run_go(&go, "gofmt", service_dir, &["-l", "."]);
    assert_eq!(stdout(&output), "", "{}", describe(&output));
    let output = run_go(&go, "go", service_dir, &["vet", "./..."]);
    assert!(output.status.success(), "{}", describe(&output));
}

#[test]
fn assignments_federation_v1() {
    let workspace = copy_demo();
    let root = workspace.path();
    let written = regenerate(
        root,
        "assignments",
        &[
            ("Assignment", "createdDate"),
            ("Assignment", "title"),
            ("Assignment", "dueDate"),
            ("Assignment", "isPublished"),
            ("Assignment", "gradingRubricUrl"),
            ("Query", "assignment"),
            ("Mutation", "createAssignment"),
        ],
    );
    let names: Vec<_> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["entity.resolvers.go", "schema.resolvers.go"]);
    check_with_go(&root.join("services/assignments"));

    let index = GoIndex::build(root, Path::new("services/assignments/graph")).unwrap();
    let created = index.resolver_for("Assignment", "createdDate").unwrap();
    assert_eq!(
        created.file,
        "services/assignments/graph/schema.resolvers.go"
    );
    assert_eq!(created.status, GoStatus::Stub);
    let finder = index.resolver_for("Entity", "findAssignmentByID").unwrap();
    assert_eq!(
        finder.file,
        "services/assignments/graph/entity.resolvers.go"
    );
}

#[test]
fn progress_federation_v2() {
    let workspace = copy_demo();
    let root = workspace.path();
    let written = regenerate(
        root,
        "progress",
        &[
            ("Progress", "status"),
            ("Progress", "pointsEarned"),
            ("Progress", "lastAttemptedAt"),
            ("User", "progressPercent"),
            ("Query", "progressForUser"),
        ],
    );
    assert_eq!(written.len(), 2);
    check_with_go(&root.join("services/progress"));
}

#[test]
fn the_demo_as_shipped_indexes_with_its_stubs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/classroom");
    let index = GoIndex::build(&root, Path::new("services/assignments/graph")).unwrap();
    let status = |t: &str, f: &str| index.resolver_for(t, f).map(|m| m.status);
    assert_eq!(status("Assignment", "createdDate"), Some(GoStatus::Stub));
    assert_eq!(status("Assignment", "title"), Some(GoStatus::Implemented));
    assert_eq!(status("Query", "assignment"), Some(GoStatus::Implemented));
    assert_eq!(status("Query", "nope"), None);
}
