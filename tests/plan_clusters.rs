//! `ferry plan`'s clusters say what must move together: fields that share
//! a helper only they reach, or write one model; a helper shared widely or
//! across services is a library, ported once, never a reason to move fields
//! together. Checked on the demo and on dagster-graphql from PyPI.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::Workspace;
use serde_json::Value;

fn plan(root: &std::path::Path) -> Value {
    let output = common::ferry_at(root, &["plan", "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn cluster_of(plan: &Value, field: &str) -> u64 {
    plan["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == field)
        .unwrap_or_else(|| panic!("{field} is not planned"))["cluster"]
        .as_u64()
        .unwrap()
}

fn library<'p>(plan: &'p Value, function: &str) -> Option<&'p Value> {
    plan["libraries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["function"]["function"] == function)
}

/// What holds for every plan: glue is never a library, each library is
/// first needed by a cluster that lists it, and that cluster brings its
/// lines unless Go already has them.
fn assert_consistent(plan: &Value) {
    let clusters = plan["clusters"].as_array().unwrap();
    let libraries: BTreeSet<String> = plan["libraries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            format!(
                "{}:{}",
                l["function"]["file"].as_str().unwrap(),
                l["function"]["function"].as_str().unwrap()
            )
        })
        .collect();
    for cluster in clusters {
        for helper in cluster["shared_helpers"].as_array().unwrap() {
            assert!(
                !libraries.contains(helper.as_str().unwrap()),
                "{helper} is glue and a library"
            );
        }
    }
    for library in plan["libraries"].as_array().unwrap() {
        let name = format!(
            "{}:{}",
            library["function"]["file"].as_str().unwrap(),
            library["function"]["function"].as_str().unwrap()
        );
        let fan_in = library["fields"].as_u64().unwrap();
        assert!(
            fan_in > 4 || library["services"].as_array().unwrap().len() > 1,
            "{name} is a library with {fan_in} fields in one service"
        );
        let first = library["first_needed_by"].as_u64().unwrap() as usize;
        let users: Vec<&Value> = clusters
            .iter()
            .filter(|c| {
                c["libraries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|l| l == &name)
            })
            .collect();
        assert_eq!(
            users.len() as u64,
            library["clusters"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            users[0]["position"].as_u64().unwrap() as usize,
            first,
            "{name}"
        );
        if library["ported"] == false {
            assert!(
                users[0]["library_lines"].as_u64().unwrap() > 0,
                "{name} comes with nothing"
            );
        }
    }
}

#[test]
fn on_the_demo_a_common_helper_is_a_library_and_a_private_one_binds() {
    let demo = Workspace::demo();
    let plan = plan(demo.root());
    assert_consistent(&plan);
    // get_user serves nine fields: a library, not a reason to move Query.me
    // with Query.user.
    let get_user = library(&plan, "get_user").expect("get_user is a library");
    assert!(get_user["fields"].as_u64().unwrap() > 4);
    assert_ne!(
        cluster_of(&plan, "Query.me"),
        cluster_of(&plan, "Query.user")
    );
    // next_id is reached by one mutation of each service: shared, so the
    // two mutations do not move together.
    let next_id = library(&plan, "next_id").expect("next_id is a library");
    assert_eq!(
        next_id["services"],
        serde_json::json!(["assignments", "progress"])
    );
    assert_ne!(
        cluster_of(&plan, "Mutation.createAssignment"),
        cluster_of(&plan, "Mutation.recordProgress")
    );
    // assignments_for_classroom is theirs alone: they move together.
    let together = cluster_of(&plan, "Classroom.assignments");
    assert_eq!(together, cluster_of(&plan, "Query.assignmentsForClassroom"));
    let cluster = &plan["clusters"][together as usize - 1];
    assert_eq!(
        cluster["shared_helpers"],
        serde_json::json!(["webapp/models.py:assignments_for_classroom"])
    );
    assert!(
        cluster["reason"]
            .as_str()
            .unwrap()
            .contains("share assignments_for_classroom")
    );
}

#[test]
fn a_model_written_by_two_fields_binds_them_whatever_they_share() {
    let demo = Workspace::demo();
    // Both mutations now write one Django model through a helper each:
    // one writer per model, so they move together.
    demo.write(
        "webapp/records.py",
        "from django.db import models\n\n\nclass Attempt(models.Model):\n    pass\n\n\n\
         def log_assignment(user_id):\n    Attempt.objects.create(user_id=user_id)\n\n\n\
         def log_progress(user_id):\n    Attempt.objects.create(user_id=user_id)\n",
    );
    for (file, helper) in [
        ("webapp/assignments/mutations.py", "log_assignment"),
        ("webapp/progress/schema.py", "log_progress"),
    ] {
        let text = demo.read(file);
        let at = text.find("    def mutate(").expect("a mutate method");
        let body = text[at..].find(":\n").unwrap() + at + 2;
        let mut edited = text.clone();
        edited.insert_str(
            body,
            &format!("        from webapp.records import {helper}\n        {helper}(None)\n"),
        );
        demo.write(file, &edited);
    }
    let plan = plan(demo.root());
    assert_consistent(&plan);
    let cluster = cluster_of(&plan, "Mutation.createAssignment");
    assert_eq!(cluster, cluster_of(&plan, "Mutation.recordProgress"));
    let writes = &plan["clusters"][cluster as usize - 1]["writes"];
    assert_eq!(writes, &serde_json::json!(["webapp.records.Attempt"]));
}

/// dagster-graphql's package, copied beside the SDL its app prints.
fn dagster() -> Option<tempfile::TempDir> {
    let python = common::python()?;
    let output = Command::new(&python)
        .args([
            "-c",
            "import dagster_graphql, os\nfrom dagster_graphql.schema import create_schema\n\
             print(os.path.dirname(dagster_graphql.__file__))\nprint(create_schema())",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let (package, schema) = stdout.split_once('\n').unwrap();
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        std::path::Path::new(package),
        &dir.path().join("dagster_graphql"),
    );
    std::fs::write(dir.path().join("schema.graphql"), schema).unwrap();
    std::fs::write(
        dir.path().join("ferry.toml"),
        "[python]\nschema = [\"schema.graphql\"]\nroots = [\"dagster_graphql\"]\n\
         import_roots = [\".\"]\nframework = \"graphene\"\nexclude = [\"**/tests/**\"]\n",
    )
    .unwrap();
    Some(dir)
}

#[test]
fn on_dagster_graphql_hubs_are_libraries_and_clusters_stay_small() {
    let Some(dir) = dagster() else {
        return;
    };
    let plan = plan(dir.path());
    assert_consistent(&plan);
    // The permission check and the error type every mutation uses are
    // libraries.
    for hub in [
        "has_permission_for_asset_graph",
        "UserFacingGraphQLError.__init__",
    ] {
        let hub = library(&plan, hub).unwrap_or_else(|| panic!("{hub} is no library"));
        assert!(hub["fields"].as_u64().unwrap() > 20, "{hub}");
    }
    // The two names of one mutation share its class: they move together.
    for (a, b) in [
        ("Mutation.deleteRun", "Mutation.deletePipelineRun"),
        (
            "Mutation.launchRunReexecution",
            "Mutation.launchPipelineReexecution",
        ),
    ] {
        assert_eq!(cluster_of(&plan, a), cluster_of(&plan, b), "{a} and {b}");
    }
    // Unrelated corners of the API do not.
    assert_ne!(
        cluster_of(&plan, "Mutation.deleteRun"),
        cluster_of(&plan, "Query.assetNodes")
    );
    // No cluster holds more than a tenth of the fields with Python.
    let with_python = plan["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["effort"]["total"].as_u64() > Some(0))
        .count();
    for cluster in plan["clusters"].as_array().unwrap() {
        if cluster["lines"].as_u64() > Some(0) {
            let size = cluster["fields"].as_array().unwrap().len();
            assert!(
                size * 10 <= with_python,
                "cluster {} holds {size} of {with_python}",
                cluster["position"]
            );
        }
    }
}
