//! mark, advance, rollback and finish on copies of the demo workspace.

mod common;

use common::{Workspace, assert_same_files};

const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";
const PROGRESS: &str = "services/progress/graph/schema.graphqls";
const PROGRESS_GQLGEN: &str = "services/progress/gqlgen.yml";

#[test]
fn mark_writes_the_field_its_block_and_the_types_it_needs_then_rollback_restores_every_byte() {
    let demo = Workspace::demo();
    let before = demo.files();
    demo.ferry(&[
        "mark",
        "Assignment.stats",
        "Assignment.assignedBy",
        "Query.classroom",
        "--into",
        "assignments",
    ])
    .success();
    let schema = demo.read(ASSIGNMENTS);
    assert!(
        schema.contains("  stats: AssignmentStats @migrate(from: \"python\", state: \"manual\")\n")
    );
    assert!(schema.contains(
        "  classroom(id: ID!): Classroom @migrate(from: \"python\", state: \"manual\")\n"
    ));
    // The value type is copied verbatim, other entities get key-only stubs (v1 form).
    assert!(
        schema.contains("type AssignmentStats {\n  completedCount: Int!\n  totalCount: Int!\n}")
    );
    assert!(schema.contains("extend type User @key(fields: \"kaid\") {\n  kaid: ID! @external\n}"));
    assert!(
        schema.contains("extend type Classroom @key(fields: \"id\") {\n  id: ID! @external\n}")
    );
    let status = demo.ferry(&["status", "Assignment.stats", "--json"]);
    assert!(status.stdout().contains("\"stage\": \"manual\""));

    demo.ferry(&[
        "rollback",
        "Assignment.stats",
        "Assignment.assignedBy",
        "Query.classroom",
    ])
    .success();
    assert_same_files(&before, &demo.files());
}

#[test]
fn mark_twice_changes_nothing_the_second_time() {
    let demo = Workspace::demo();
    demo.ferry(&["mark", "Classroom.name", "--into", "assignments"])
        .success();
    let once = demo.files();
    let run = demo.ferry(&["mark", "Classroom.name", "--into", "assignments", "--check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stdout().contains("already there"));
    assert_same_files(&once, &demo.files());
}

#[test]
fn mark_into_a_v2_service_writes_the_v2_form() {
    let demo = Workspace::demo();
    let before = demo.files();
    demo.ferry(&[
        "mark",
        "Assignment.title",
        "Classroom.teacher",
        "--into",
        "progress",
        "--force",
    ]);
    let run = demo.ferry(&[
        "mark",
        "Progress.user",
        "Classroom.name",
        "--into",
        "progress",
    ]);
    run.success();
    let schema = demo.read(PROGRESS);
    // An existing block gets the field; a new entity block has no @external;
    // what the monolith resolves too is @shareable, so the two compose.
    assert!(
        schema.contains("  user: User @shareable @migrate(from: \"python\", state: \"manual\")\n")
    );
    assert!(schema.contains("type Classroom @key(fields: \"id\") {\n  id: ID!\n  name: String! @shareable @migrate(from: \"python\", state: \"manual\")\n}"));
    demo.ferry(&["rollback", "Progress.user", "Classroom.name"])
        .success();
    assert_same_files(&before, &demo.files());
}

#[test]
fn mark_adds_the_directive_definition_and_gqlgen_entry_once_and_rollback_removes_them() {
    let demo = Workspace::demo();
    // A service that has never used @migrate.
    let schema = demo.read(PROGRESS);
    let without: String = schema
        .replace("directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION\n\n", "")
        .replace(" @migrate(from: \"python\", state: \"canary\", color: \"blue\")", "")
        .replace(" @migrate(from: \"python\", state: \"manual\")", "")
        .replace(" @migrate(from: \"python\", state: \"migrated\")", "");
    demo.write(PROGRESS, &without);
    let yml = demo.read(PROGRESS_GQLGEN);
    let cut = yml.find("\n# @migrate is read by the gateway").unwrap();
    demo.write(
        PROGRESS_GQLGEN,
        &format!("{}\n", yml[..cut].trim_end_matches('\n')),
    );
    let before = demo.files();

    demo.ferry(&["mark", "Progress.contentId", "--into", "progress"])
        .success();
    let schema = demo.read(PROGRESS);
    assert_eq!(schema.matches("directive @migrate(").count(), 1);
    assert!(schema.contains("\n\n\"\"\"Where this field stands in its move from the Python monolith (added by ferry).\"\"\"\ndirective @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION\n\n"), "{schema}");
    let yml = demo.read(PROGRESS_GQLGEN);
    assert!(
        yml.ends_with("\ndirectives:\n  migrate:\n    skip_runtime: true\n"),
        "{yml}"
    );

    demo.ferry(&["mark", "Progress.user", "--into", "progress"])
        .success();
    assert_eq!(
        demo.read(PROGRESS).matches("directive @migrate(").count(),
        1
    );
    assert_eq!(
        demo.read(PROGRESS_GQLGEN).matches("skip_runtime").count(),
        1
    );

    demo.ferry(&["rollback", "Progress.user", "Progress.contentId"])
        .success();
    assert_same_files(&before, &demo.files());
}

#[test]
fn crlf_and_bom_survive_and_inserted_text_uses_crlf() {
    let demo = Workspace::demo();
    demo.to_crlf(ASSIGNMENTS, true);
    let before = demo.files();
    demo.ferry(&[
        "mark",
        "Assignment.stats",
        "Query.me",
        "--into",
        "assignments",
    ])
    .success();
    let bytes = std::fs::read(demo.path(ASSIGNMENTS)).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "a bare LF was written"
    );
    assert!(
        text.contains("  stats: AssignmentStats @migrate(from: \"python\", state: \"manual\")\r\n")
    );
    demo.ferry(&["advance", "Assignment.createdDate", "--force"])
        .success();
    demo.ferry(&["rollback", "Assignment.createdDate"])
        .success();
    demo.ferry(&["rollback", "Assignment.stats", "Query.me"])
        .success();
    assert_same_files(&before, &demo.files());
}

#[test]
fn advance_follows_the_stage_graph_and_rollback_undoes_it() {
    let demo = Workspace::demo();
    let before = demo.files();
    demo.ferry(&["advance", "Assignment.title", "--force"])
        .success();
    assert!(
        demo.read(ASSIGNMENTS)
            .contains("title: String! @migrate(from: \"python\", state: \"migrated\")")
    );
    demo.ferry(&["rollback", "Assignment.title"]).success();
    assert_same_files(&before, &demo.files());

    demo.ferry(&[
        "advance",
        "Assignment.createdDate",
        "--to",
        "canary",
        "--canary-color",
        "green",
        "--force",
    ])
    .success();
    assert!(demo.read(ASSIGNMENTS).contains(
        "createdDate: Time @migrate(from: \"python\", state: \"canary\", color: \"green\")"
    ));
    demo.ferry(&["rollback", "Assignment.createdDate"])
        .success();
    assert_same_files(&before, &demo.files());
}

#[test]
fn guards_refuse_without_force_and_say_what_force_overrode() {
    let demo = Workspace::demo();
    let before = demo.files();
    demo.ferry(&["advance", "Assignment.createdDate"])
        .fails_with(2, "Go resolver is still a stub");
    assert_same_files(&before, &demo.files());
    let run = demo.ferry(&["advance", "Assignment.createdDate", "--force"]);
    run.success();
    assert!(run.stdout().contains("forced: Assignment.createdDate"));
}

#[test]
fn mutations_never_go_side_by_side_even_with_force() {
    let demo = Workspace::demo();
    demo.ferry(&["mark", "Mutation.updateNickname", "--into", "progress"])
        .success();
    let before = demo.files();
    demo.ferry(&[
        "advance",
        "Mutation.updateNickname",
        "--to",
        "side-by-side",
        "--force",
    ])
    .fails_with(2, "never goes side by side");
    assert_same_files(&before, &demo.files());
    // The default step for a mutation is canary.
    let run = demo.ferry(&["advance", "Mutation.updateNickname", "--force"]);
    run.success();
    assert!(run.stdout().contains("manual → canary"));
}

#[test]
fn a_batch_is_all_or_nothing_unless_keep_going() {
    let demo = Workspace::demo();
    let before = demo.files();
    let run = demo.ferry(&[
        "advance",
        "Assignment.title",
        "Assignment.isPublished",
        "Assignment.dueDate",
        "--force",
    ]);
    run.fails_with(2, "2 fields were refused");
    assert!(
        run.stderr()
            .contains("Assignment.isPublished: cannot advance: it is done")
    );
    assert!(run.stderr().contains("Assignment.dueDate: cannot advance"));
    assert_same_files(&before, &demo.files());
    let run = demo.ferry(&[
        "advance",
        "Assignment.title",
        "Assignment.isPublished",
        "--force",
        "--keep-going",
    ]);
    run.success();
    assert!(run.stdout().contains("skipped: Assignment.isPublished"));
    assert!(
        demo.read(ASSIGNMENTS)
            .contains("title: String! @migrate(from: \"python\", state: \"migrated\")")
    );
}

#[test]
fn finish_removes_the_directive_and_done_is_terminal() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["finish", "Assignment.dueDate"]);
    run.success();
    assert!(run.stdout().contains("Python that can now be deleted"));
    assert!(demo.read(ASSIGNMENTS).contains("  dueDate: Time\n"));
    demo.ferry(&["rollback", "Assignment.dueDate"])
        .fails_with(2, "done is terminal");
    demo.ferry(&["finish", "Assignment.title"])
        .fails_with(2, "only migrated or canary");
}

#[test]
fn dry_run_prints_a_diff_and_check_exits_1_and_neither_writes() {
    let demo = Workspace::demo();
    let before = demo.files();
    let run = demo.ferry(&[
        "mark",
        "Assignment.stats",
        "--into",
        "assignments",
        "--dry-run",
    ]);
    run.success();
    assert!(
        run.stdout()
            .contains("+++ b/services/assignments/graph/schema.graphqls")
    );
    assert!(
        run.stdout()
            .contains("+  stats: AssignmentStats @migrate(from: \"python\", state: \"manual\")")
    );
    let run = demo.ferry(&[
        "mark",
        "Assignment.stats",
        "--into",
        "assignments",
        "--check",
    ]);
    assert_eq!(run.code(), 1);
    assert_same_files(&before, &demo.files());
}

#[test]
fn json_reports_what_changed() {
    let demo = Workspace::demo();
    let run = demo.ferry(&["advance", "Assignment.title", "--json", "--force"]);
    run.success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["written"], true);
    assert_eq!(json["moves"][0]["field"], "Assignment.title");
    assert_eq!(json["moves"][0]["from"], "side-by-side");
    assert_eq!(json["moves"][0]["to"], "migrated");
    let files: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(files, [ASSIGNMENTS, "migration-history.jsonl"]);
}

#[test]
fn keyless_types_and_entities_without_a_key_are_refused_with_a_hint() {
    let demo = Workspace::demo();
    demo.ferry(&[
        "mark",
        "AssignmentStats.totalCount",
        "--into",
        "assignments",
    ])
    .fails_with(2, "move the parent field");
    // Classroom's key comes from ferry.toml; without it, mark refuses.
    let toml = demo
        .read("ferry.toml")
        .replace("keys = { Classroom = \"id\" }", "");
    demo.write("ferry.toml", &toml);
    demo.ferry(&["mark", "Classroom.name", "--into", "assignments"])
        .fails_with(2, "keys = { Classroom = \"id\" }");
    demo.ferry(&["mark", "Subscription.progressUpdated", "--into", "progress"])
        .fails_with(2, "subscriptions are listed, never moved");
}

#[test]
fn a_new_fields_file_is_created_by_mark_and_removed_by_rollback() {
    let demo = Workspace::demo();
    let toml = demo.read("ferry.toml").replace(
        "gqlgen = \"services/assignments/gqlgen.yml\"\n",
        "gqlgen = \"services/assignments/gqlgen.yml\"\nnew_fields = \"services/assignments/graph/migrated.graphqls\"\n",
    );
    demo.write("ferry.toml", &toml);
    let before = demo.files();
    demo.ferry(&["mark", "Classroom.name", "--into", "assignments"])
        .success();
    let created = demo.read("services/assignments/graph/migrated.graphqls");
    assert_eq!(
        created,
        "extend type Classroom @key(fields: \"id\") {\n  id: ID! @external\n  name: String! @migrate(from: \"python\", state: \"manual\")\n}\n"
    );
    // The next load reads it through gqlgen.yml's schema glob.
    let status = demo.ferry(&["status", "Classroom.name", "--json"]);
    assert!(
        status
            .stdout()
            .contains("\"file\": \"services/assignments/graph/migrated.graphqls\"")
    );
    demo.ferry(&["rollback", "Classroom.name"]).success();
    assert_same_files(&before, &demo.files());
}

#[test]
fn an_implemented_go_resolver_opens_side_by_side_without_force() {
    let demo = Workspace::demo();
    let resolvers = "services/assignments/graph/schema.resolvers.go";
    let status = demo.ferry(&["status", "Assignment.createdDate", "--json"]);
    assert!(
        status.stdout().contains("\"status\": \"stub\""),
        "{}",
        status.stdout()
    );
    let go = demo.read(resolvers).replace(
        "\tpanic(fmt.Errorf(\"not implemented: CreatedDate - createdDate\"))",
        "\treturn &obj.CreatedDate, nil",
    );
    demo.write(resolvers, &go);
    let status = demo.ferry(&["status", "Assignment.createdDate", "--json"]);
    assert!(
        status.stdout().contains("\"status\": \"implemented\""),
        "{}",
        status.stdout()
    );
    let run = demo.ferry(&["advance", "Assignment.createdDate"]);
    run.success();
    assert!(!run.stdout().contains("forced"));
    assert!(
        demo.read(ASSIGNMENTS)
            .contains("createdDate: Time @migrate(from: \"python\", state: \"side-by-side\")")
    );
}

/// `ferry show`'s next step for a field.
fn next_step(demo: &Workspace, field: &str) -> String {
    let run = demo.ferry(&["show", field]);
    run.success();
    let out = run.stdout();
    out.lines()
        .find_map(|l| l.trim_start().strip_prefix("next:"))
        .unwrap_or_else(|| panic!("no next step in:\n{out}"))
        .trim()
        .to_string()
}

#[test]
fn show_blocks_the_mark_that_mark_refuses_on_a_type_without_a_key() {
    let demo = Workspace::demo();
    // A value type: no @key in the monolith, no `keys` entry.
    let next = next_step(&demo, "AssignmentStats.totalCount");
    let reason = next
        .strip_prefix("blocked: ")
        .unwrap_or_else(|| panic!("{next}"));
    assert!(reason.contains("AssignmentStats has no @key"), "{reason}");
    demo.ferry(&[
        "mark",
        "AssignmentStats.totalCount",
        "--into",
        "assignments",
    ])
    .fails_with(2, reason);

    // Classroom's key comes from ferry.toml: show advises mark, and mark does it.
    assert_eq!(
        next_step(&demo, "Classroom.name"),
        "`ferry mark Classroom.name --into SERVICE` → manual"
    );
    let toml = demo
        .read("ferry.toml")
        .replace("keys = { Classroom = \"id\" }", "");
    demo.write("ferry.toml", &toml);
    let next = next_step(&demo, "Classroom.name");
    let reason = next
        .strip_prefix("blocked: ")
        .unwrap_or_else(|| panic!("{next}"));
    demo.ferry(&["mark", "Classroom.name", "--into", "assignments"])
        .fails_with(2, reason);
}

/// The value of `@migrate(color:)` on `type_name.field` in a schema file,
/// as apollo-compiler reads it; the file must parse.
fn migrate_color(sdl: &str, type_name: &str, field: &str) -> Option<String> {
    use apollo_compiler::ast::{Definition, Document};
    let doc = Document::parse(sdl, "schema.graphqls").expect("the schema still parses");
    doc.definitions
        .iter()
        .filter_map(|d| match d {
            Definition::ObjectTypeDefinition(o) if o.name == type_name => Some(&o.fields),
            Definition::ObjectTypeExtension(o) if o.name == type_name => Some(&o.fields),
            _ => None,
        })
        .flatten()
        .find(|f| f.name == field)?
        .directives
        .get("migrate")?
        .specified_argument_by_name("color")?
        .as_str()
        .map(str::to_string)
}

#[test]
fn a_color_with_quotes_and_backslashes_reads_back_as_typed() {
    let demo = Workspace::demo();
    let color = r#"a"b\c" @external"#;
    demo.ferry(&[
        "mark",
        "Classroom.name",
        "--into",
        "assignments",
        "--canary",
        "--color",
        color,
        "--force",
    ])
    .success();
    demo.ferry(&[
        "advance",
        "Assignment.createdDate",
        "--to",
        "canary",
        "--color",
        color,
        "--force",
    ])
    .success();
    let schema = demo.read(ASSIGNMENTS);
    assert_eq!(
        migrate_color(&schema, "Classroom", "name").as_deref(),
        Some(color)
    );
    assert_eq!(
        migrate_color(&schema, "Assignment", "createdDate").as_deref(),
        Some(color)
    );
    // The service still validates, and ferry reads the same color back.
    let status = demo.ferry(&["status", "Classroom.name", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&status.success().stdout()).unwrap();
    assert_eq!(json["fields"][0]["color"], color);
}
