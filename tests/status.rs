//! `ferry status` on the demo workspace.

mod common;

use common::Workspace;

#[test]
fn status_table() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["status"]);
    run.success();
    insta::assert_snapshot!(run.stdout());
}

#[test]
fn status_markdown() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["status", "--format", "markdown"]);
    run.success();
    insta::assert_snapshot!(run.stdout());
}

#[test]
fn status_json() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["status", "--json"]);
    run.success();
    let value: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(value["version"], 1);
    insta::assert_json_snapshot!(value);
}

/// The bytes, keys in the order docs/status-json.md shows them.
#[test]
fn status_json_keeps_the_documented_key_order() {
    let demo = Workspace::demo();
    let run = demo.ferry(&[
        "status",
        "Assignment.createdDate",
        "Mutation.createAssignment",
        "--json",
    ]);
    insta::assert_snapshot!(run.success().stdout());
}

#[test]
fn a_failure_with_json_prints_an_error_document_too() {
    let demo = Workspace::demo();
    for args in [
        &["status", "Assignment.titel", "--json"][..],
        &["status", "Assignment.titel", "--format", "json"],
        &["show", "Assignment.titel", "--json"],
        &["advance", "Assignment.titel", "--json"],
        &["gen", "go", "Assignment.titel", "--json"],
    ] {
        let run = demo.ferry(args);
        run.fails_with(2, "did you mean Assignment.title");
        let json: serde_json::Value = serde_json::from_str(&run.stdout())
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", run.stdout()));
        assert_eq!(json["version"], 1, "{args:?}");
        assert_eq!(
            json["error"]["message"],
            "selector `Assignment.titel` matches no field; did you mean Assignment.title?",
            "{args:?}"
        );
    }
    // Without --json the message goes to stderr alone.
    let run = demo.ferry(&["status", "Assignment.titel"]);
    run.fails_with(2, "did you mean Assignment.title");
    assert_eq!(run.stdout(), "");
}

fn stage_of(json: &serde_json::Value, coordinate: &str) -> String {
    let (t, f) = coordinate.split_once('.').unwrap();
    json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["type"] == t && x["field"] == f)
        .map(|x| x["stage"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{coordinate} not in status"))
}

#[test]
fn every_stage_is_present_in_the_demo() {
    let demo = Workspace::demo();
    let json: serde_json::Value =
        serde_json::from_str(&demo.ferry(&["status", "--json"]).stdout()).unwrap();
    for (field, stage) in [
        ("Assignment.createdDate", "manual"),
        ("Assignment.title", "side-by-side"),
        ("Mutation.createAssignment", "canary"),
        ("Assignment.dueDate", "migrated"),
        ("Assignment.isPublished", "done"),
        ("Assignment.gradingRubricUrl", "go"),
        ("Assignment.stats", "python"),
        ("Progress.status", "canary"),
        ("User.progressPercent", "go"),
        // Key fields are resolved by every subgraph: shared, never moved.
        ("Progress.id", "key"),
        ("User.kaid", "key"),
        ("Classroom.id", "key"),
    ] {
        assert_eq!(stage_of(&json, field), stage, "{field}");
    }
}

#[test]
fn selectors_and_filters_narrow_the_list() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["status", "Assignment.*", "--state", "manual", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    let fields: Vec<String> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}.{}",
                f["type"].as_str().unwrap(),
                f["field"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(fields, ["Assignment.createdDate"]);

    let run = demo.ferry(&[
        "status",
        "*.createdDate",
        "--service",
        "assignments",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    assert_eq!(json["fields"].as_array().unwrap().len(), 1);

    let run = demo.ferry_with_stdin(
        &["status", "-", "--json"],
        "Query.me  # comment\nUser.email\n",
    );
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    assert_eq!(json["fields"].as_array().unwrap().len(), 2);
}

#[test]
fn schema_lines_point_at_the_field_not_its_description() {
    let demo = Workspace::demo();
    let json: serde_json::Value =
        serde_json::from_str(&demo.ferry(&["status", "--json"]).success().stdout()).unwrap();
    let mut described = 0;
    for field in json["fields"].as_array().unwrap() {
        let Some(file) = field["schema"]["file"].as_str() else {
            continue;
        };
        let line = field["schema"]["line"].as_u64().unwrap() as usize;
        let lines: Vec<String> = demo.read(file).lines().map(str::to_string).collect();
        let name = field["field"].as_str().unwrap();
        let text = lines[line - 1].trim_start();
        assert!(
            text.starts_with(&format!("{name}:")) || text.starts_with(&format!("{name}(")),
            "{file}:{line} is `{text}`, not the field {name}"
        );
        if lines[line - 2].trim_end().ends_with("\"\"\"") {
            described += 1;
        }
    }
    assert!(described > 0, "the demo has fields with descriptions");
    let show = demo.ferry(&["show", "Assignment.createdDate"]);
    let out = show.success().stdout();
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("assignments: services/assignments/graph/schema.graphqls:"))
        .unwrap();
    let schema = demo.read("services/assignments/graph/schema.graphqls");
    let at = schema
        .lines()
        .nth(line.parse::<usize>().unwrap() - 1)
        .unwrap();
    assert!(at.trim_start().starts_with("createdDate:"), "{at}");
}

#[test]
fn check_annotations_land_on_the_field_not_its_description() {
    let demo = Workspace::demo();
    let schema = "services/assignments/graph/schema.graphqls";
    let text = demo.read(schema).replace(
        "createdDate: Time @migrate(from: \"python\", state: \"manual\")",
        "createdDate: Time @migrate(from: \"python\", state: \"halfway\")",
    );
    demo.write(schema, &text);
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("createdDate:"))
        .unwrap()
        + 1;
    assert!(text.lines().nth(line - 2).unwrap().contains("\"\"\""));
    let run = demo.ferry(&["check", "--format", "github"]);
    let out = run.stdout();
    let annotation = out
        .lines()
        .find(|l| l.contains("unknown-state"))
        .unwrap_or_else(|| panic!("no unknown-state annotation:\n{out}"));
    assert!(
        annotation.contains(&format!("file={schema},line={line},")),
        "{annotation}"
    );
}

fn problems(demo: &Workspace) -> Vec<(String, String)> {
    let run = demo.ferry(&["status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
    json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn inconsistent_schemas_are_reported_as_problems() {
    let demo = Workspace::demo();
    // The demo's schemas agree; what check finds is its two done fields,
    // and its two migrated fields that no comparison vouches for.
    let ids: Vec<String> = problems(&demo).into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        ids,
        [
            "done-python-remains",
            "done-python-remains",
            "migrated-without-evidence",
            "migrated-without-evidence"
        ]
    );
    let schema = demo
        .read("services/assignments/graph/schema.graphqls")
        .replace(
            "state: \"migrated\")",
            "state: \"migrated\", color: \"red\")",
        )
        .replace(
            "gradingRubricUrl: String",
            "gradingRubricUrl: String @migrate(from: \"python\", state: \"manual\")",
        );
    demo.write("services/assignments/graph/schema.graphqls", &schema);
    // progress claims Assignment.title too.
    let progress = demo.read("services/progress/graph/schema.graphqls")
        + "\nextend type Assignment @key(fields: \"id\") {\n  id: ID! @external\n  title: String!\n}\n";
    demo.write("services/progress/graph/schema.graphqls", &progress);
    let found = problems(&demo);
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    for expected in [
        "color-without-canary",
        "migrate-not-in-monolith",
        "claimed-twice",
    ] {
        assert!(ids.contains(&expected), "{expected} missing from {found:?}");
    }
    let twice = &found
        .iter()
        .find(|(id, _)| id == "claimed-twice")
        .unwrap()
        .1;
    assert!(
        twice.contains("Assignment.title")
            && twice.contains("assignments")
            && twice.contains("progress"),
        "{twice}"
    );
    // The same findings as check's, and the table lists them too.
    let check: serde_json::Value =
        serde_json::from_str(&demo.ferry(&["check", "--json"]).stdout()).unwrap();
    let status: serde_json::Value =
        serde_json::from_str(&demo.ferry(&["status", "--json"]).stdout()).unwrap();
    assert_eq!(status["problems"], check["findings"]);
    let table = demo.ferry(&["status"]).success().stdout();
    assert!(table.contains("Problems: 5 errors, 2 warnings"), "{table}");
    assert!(
        table.contains("error[claimed-twice]: Assignment.title is claimed by assignments"),
        "{table}"
    );
    // A @migrate without `from` does not validate against its definition.
    let schema = demo
        .read("services/assignments/graph/schema.graphqls")
        .replace(
            "title: String! @migrate(from: \"python\", ",
            "title: String! @migrate(",
        );
    demo.write("services/assignments/graph/schema.graphqls", &schema);
    demo.ferry(&["status"]).fails_with(
        2,
        "schema.graphqls:14:18: the required argument `@migrate(from:)` is not provided",
    );
}

/// The Go status of a field, as `status --json` reports it.
fn go_status(demo: &Workspace, field: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&demo.ferry(&["status", field, "--json"]).success().stdout()).unwrap();
    json["fields"][0]["go"].clone()
}

#[test]
fn the_go_column_finds_a_method_by_the_name_gqlgen_gives_it() {
    let demo = Workspace::demo();
    let schema = "services/assignments/graph/schema.graphqls";
    let resolvers = "services/assignments/graph/schema.resolvers.go";
    assert_eq!(
        go_status(&demo, "Assignment.title")["status"],
        "implemented"
    );

    // @goField(name:) renames the method gqlgen calls: the old name no
    // longer counts, the new one does.
    let text = demo.read(schema);
    let renamed = text.replacen(
        "  title: String! @migrate",
        "  title: String! @goField(name: \"Headline\") @migrate",
        1,
    );
    assert_ne!(renamed, text);
    demo.write(
        schema,
        &format!(
            "directive @goField(forceResolver: Boolean, name: String, omittable: Boolean) on INPUT_FIELD_DEFINITION | FIELD_DEFINITION\n{renamed}"
        ),
    );
    assert_eq!(
        go_status(&demo, "Assignment.title"),
        serde_json::Value::Null
    );
    let go = demo.read(resolvers);
    demo.write(resolvers, &go.replacen(") Title(ctx", ") Headline(ctx", 1));
    let found = go_status(&demo, "Assignment.title");
    assert_eq!(found["status"], "implemented", "{found}");

    // gqlgen.yml's `resolver.type` names the receiver's suffix.
    let yml = "services/assignments/gqlgen.yml";
    let config = demo.read(yml);
    assert!(config.contains("resolver:\n"), "{config}");
    demo.write(
        yml,
        &config.replacen("resolver:\n", "resolver:\n  type: Root\n", 1),
    );
    assert_eq!(
        go_status(&demo, "Assignment.title"),
        serde_json::Value::Null
    );
    let go = demo.read(resolvers);
    demo.write(
        resolvers,
        &go.replace("*assignmentResolver)", "*assignmentRoot)"),
    );
    assert_eq!(
        go_status(&demo, "Assignment.title")["status"],
        "implemented"
    );
}

/// Each monolith field's kind comes from the schema's own root names (a
/// `schema { … }` block, type extensions included), the same on a cold
/// run and on one that takes the records the cold run stored.
#[test]
fn field_kinds_follow_the_schemas_root_names() {
    let demo = Workspace::demo();
    demo.write(
        "webapp/schema.graphql",
        "schema { query: Root mutation: Change }\n\n\
         type Root { a: Int }\n\n\
         extend type Root { d: Int }\n\n\
         type Change { b: Int }\n\n\
         type Query { c: Int }\n\n\
         interface Node { id: ID! }\n",
    );
    let kinds = |run: &common::Run| -> Vec<(String, String)> {
        let value: serde_json::Value = serde_json::from_str(&run.success().stdout()).unwrap();
        value["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let name = format!(
                    "{}.{}",
                    f["type"].as_str().unwrap(),
                    f["field"].as_str().unwrap()
                );
                (name, f["kind"].as_str().unwrap().to_string())
            })
            .collect()
    };
    let expected: Vec<(String, String)> = [
        ("Change.b", "mutation"),
        ("Node.id", "interface"),
        ("Query.c", "object"),
        ("Root.a", "query"),
        ("Root.d", "query"),
    ]
    .iter()
    .map(|(f, k)| (f.to_string(), k.to_string()))
    .collect();
    // The services' fields keep their own kinds; these are the monolith's.
    let mine = |kinds: Vec<(String, String)>| -> Vec<(String, String)> {
        kinds
            .into_iter()
            .filter(|(field, _)| expected.iter().any(|(f, _)| f == field))
            .collect()
    };
    let cold = mine(kinds(&demo.ferry(&["status", "--json"])));
    assert_eq!(cold, expected);
    let stored = mine(kinds(&demo.ferry(&["status", "--json"])));
    assert_eq!(stored, expected);
}
