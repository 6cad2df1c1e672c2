//! The exact Go text `ferry gen go` writes, reviewed as snapshots.

mod go_support;

use std::fs;
use std::path::Path;

use ferry::generate::GenerationPlan;
use go_support::*;

fn snapshot_plan(name: &str, root: &Path, plan: &GenerationPlan) {
    for file in &plan.files {
        let relative = file.path.strip_prefix(root).unwrap().display().to_string();
        let snapshot = format!("{name}__{}", relative.replace('/', "__"));
        insta::assert_snapshot!(snapshot, file.after);
    }
    let edits: Vec<String> = plan
        .schema_edits
        .iter()
        .map(|e| {
            format!(
                "{} @{}: insert {:?} ({})",
                e.file.strip_prefix(root).unwrap().display(),
                e.offset,
                e.insert,
                e.description
            )
        })
        .collect();
    insta::assert_snapshot!(format!("{name}__schema_edits"), edits.join("\n"));
}

#[test]
fn follow_schema_into_existing_files() {
    let service = copy_fixture("classroom");
    let plan = plan(service.path(), classroom_resolver_fields());
    snapshot_plan("existing", service.path(), &plan);
}

#[test]
fn follow_schema_from_nothing() {
    let service = copy_fixture("classroom");
    let root = service.path();
    fs::remove_file(root.join("graph/schema.resolvers.go")).unwrap();
    fs::remove_file(root.join("graph/resolver.go")).unwrap();
    let plan = plan(root, classroom_resolver_fields());
    snapshot_plan("fresh", root, &plan);
}

#[test]
fn single_file() {
    let service = copy_fixture("classroom");
    let root = service.path();
    fs::remove_file(root.join("graph/schema.resolvers.go")).unwrap();
    fs::remove_file(root.join("graph/resolver.go")).unwrap();
    let yml = fs::read_to_string(root.join("gqlgen.yml"))
        .unwrap()
        .replace(
            "resolver:\n  layout: follow-schema\n  dir: graph\n  package: graph\n  filename_template: \"{name}.resolvers.go\"\n",
            "resolver:\n  layout: single-file\n  filename: graph/resolver.go\n  type: Resolver\n",
        );
    fs::write(root.join("gqlgen.yml"), yml).unwrap();
    let plan = plan(root, classroom_resolver_fields());
    snapshot_plan("single_file", root, &plan);
}

#[test]
fn one_field_into_an_existing_file() {
    let service = copy_fixture("classroom");
    let plan = plan(
        service.path(),
        vec![("Assignment".to_string(), "createdDate".to_string())],
    );
    snapshot_plan("one_field", service.path(), &plan);
}
