//! `gen go` at its edges: refusals, other gqlgen settings, files a person
//! has shaped, and the stub status as people fill stubs in.

mod go_support;

use std::fs;
use std::path::Path;

use ferry::generate::GenError;
use ferry::generate::report::SkipReason;
use ferry::golang::{GoIndex, GoStatus};
use ferry::workspace::gqlgen_config::GqlgenConfig;
use go_support::*;

/// A small service: gqlgen.yml, one schema file, a model package.
fn service(yml_resolver: &str, schema: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("graph/model")).unwrap();
    fs::write(root.join("go.mod"), "module example.com/svc\n\ngo 1.19\n").unwrap();
    fs::write(
        root.join("gqlgen.yml"),
        format!(
            "schema: graph/schema.graphqls\nexec:\n  filename: graph/generated.go\n  package: graph\nmodel:\n  filename: graph/model/models_gen.go\n  package: model\nautobind:\n  - example.com/svc/graph/model\n{yml_resolver}"
        ),
    )
    .unwrap();
    fs::write(root.join("graph/schema.graphqls"), schema).unwrap();
    fs::write(
        root.join("graph/model/models.go"),
        "package model\n\ntype Lesson struct {\n\tID    string\n\tTitle string\n}\n",
    )
    .unwrap();
    dir
}

const FOLLOW: &str = "resolver:\n  layout: follow-schema\n  dir: graph\n  package: graph\n";

const SCHEMA: &str = "
interface Node { id: ID! }
type Lesson implements Node { id: ID! title: String! body(format: String = \"md\"): String }
type Query { lesson(id: ID!): Lesson node(id: ID!): Node }
input LessonInput { title: String! }
";

fn try_plan(
    root: &Path,
    list: &[(&str, &str)],
) -> Result<ferry::generate::GenerationPlan, GenError> {
    let fields: Vec<(String, String)> = list
        .iter()
        .map(|(t, f)| (t.to_string(), f.to_string()))
        .collect();
    plan_requests(root, moved(&fields))
}

/// Each skipped field with its reason.
fn reasons(plan: &ferry::generate::GenerationPlan) -> Vec<(String, SkipReason)> {
    plan.skipped
        .iter()
        .map(|s| (s.field.clone(), s.reason.clone()))
        .collect()
}

#[test]
fn skips_what_gqlgen_has_no_resolver_for_and_goes_on() {
    let dir = service(FOLLOW, SCHEMA);
    let root = dir.path();
    let plan = try_plan(
        root,
        &[
            ("Lessons", "title"),
            ("Lesson", "titel"),
            ("Node", "id"),
            ("LessonInput", "title"),
            ("Lesson", "title"),
        ],
    )
    .unwrap();
    assert_eq!(
        reasons(&plan),
        vec![
            ("Lessons.title".to_string(), SkipReason::UnknownType),
            ("Lesson.titel".to_string(), SkipReason::UnknownField),
            (
                "Node.id".to_string(),
                SkipReason::InterfaceField {
                    interface: "Node".to_string()
                }
            ),
            (
                "LessonInput.title".to_string(),
                SkipReason::NotAnObject {
                    kind: "an input type".to_string()
                }
            ),
        ]
    );
    // Lesson.title still gets its resolver (and resolver.go its root).
    assert_eq!(plan.files.len(), 2);
}

#[test]
fn key_and_external_fields_never_get_a_resolver() {
    let dir = service(
        FOLLOW,
        "type Query { a: Int }\nextend type Lesson @key(fields: \"id\") { id: ID! @external title: String }\ntype Course @key(fields: \"code term { year }\") { code: String! term: Term! name: String }\ntype Term { year: Int! }\n",
    );
    let plan = try_plan(
        dir.path(),
        &[
            ("Lesson", "id"),
            ("Course", "code"),
            ("Course", "term"),
            ("Course", "name"),
        ],
    )
    .unwrap();
    assert_eq!(
        reasons(&plan),
        vec![
            ("Lesson.id".to_string(), SkipReason::External),
            ("Course.code".to_string(), SkipReason::KeyField),
            ("Course.term".to_string(), SkipReason::KeyField),
        ]
    );
    // No forceResolver on a key, and no resolver method for one.
    assert!(
        plan.schema_edits
            .iter()
            .all(|e| e.description.contains("Course.name") || e.description.contains("define")),
        "{:#?}",
        plan.schema_edits
    );
    let go: String = plan.files.iter().map(|f| f.after.as_str()).collect();
    assert!(
        go.contains(") Name(ctx context.Context, obj *model.Course)"),
        "{go}"
    );
    assert!(
        !go.contains(") Code(") && !go.contains(") Term(") && !go.contains(") ID("),
        "{go}"
    );
}

#[test]
fn refuses_to_add_to_go_that_does_not_parse() {
    let dir = service(FOLLOW, SCHEMA);
    let root = dir.path();
    fs::write(
        root.join("graph/schema.resolvers.go"),
        "package graph\n\nfunc (r *queryResolver) Lesson(ctx context.Context, id string) (*model.Lesson, error) {\n\treturn nil, nil\n\nfunc broken( {\n",
    )
    .unwrap();
    match try_plan(root, &[("Query", "node")]).unwrap_err() {
        GenError::GoSyntax { file, line, .. } => {
            assert!(file.ends_with("graph/schema.resolvers.go"));
            assert!(line >= 3, "line {line}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn follows_a_custom_resolver_type_and_omitted_comments() {
    let dir = service(
        "resolver:\n  layout: follow-schema\n  dir: graph\n  package: graph\n  type: Root\n  omit_template_comment: true\n  filename_template: \"{name}_gen.go\"\n",
        SCHEMA,
    );
    let plan = try_plan(dir.path(), &[("Query", "lesson")]).unwrap();
    let names: Vec<_> = plan
        .files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["resolver.go", "schema_gen.go"]);
    let resolvers = &plan.files[1].after;
    assert!(resolvers.contains(
        "\nfunc (r *queryRoot) Lesson(ctx context.Context, id string) (*model.Lesson, error) {\n"
    ));
    assert!(
        resolvers.contains("\nfunc (r *Root) Query() QueryResolver { return &queryRoot{r} }\n")
    );
    assert!(resolvers.contains("\ntype queryRoot struct{ *Root }\n"));
    assert!(!resolvers.contains("is the resolver for"), "{resolvers}");
    assert!(plan.files[0].after.ends_with("\ntype Root struct{}\n"));
}

#[test]
fn honours_go_field_names_and_configured_resolvers() {
    let dir = service(
        &format!("{FOLLOW}models:\n  Lesson:\n    fields:\n      title:\n        resolver: true\n"),
        "directive @goField(forceResolver: Boolean, name: String) on FIELD_DEFINITION\ntype Lesson { id: ID! title: String! body: String @goField(name: \"Text\") }\ntype Query { a: Int }\n",
    );
    let plan = try_plan(dir.path(), &[("Lesson", "title"), ("Lesson", "body")]).unwrap();
    let resolvers = &plan
        .files
        .iter()
        .find(|f| f.path.ends_with("schema.resolvers.go"))
        .unwrap()
        .after;
    assert!(resolvers.contains(
        "func (r *lessonResolver) Text(ctx context.Context, obj *model.Lesson) (*string, error) {"
    ));
    // title is a resolver by configuration; body's model (Lesson) lacks it.
    assert!(plan.schema_edits.is_empty(), "{:#?}", plan.schema_edits);
}

#[test]
fn adds_imports_to_a_bare_file_and_leaves_the_rest() {
    let dir = service(FOLLOW, SCHEMA);
    let root = dir.path();
    let bare = "package graph\n\n// notes a person keeps at the top\n\ntype queryResolver struct{ *Resolver }\n";
    fs::write(root.join("graph/schema.resolvers.go"), bare).unwrap();
    fs::write(
        root.join("graph/resolver.go"),
        "package graph\n\ntype Resolver struct{}\n",
    )
    .unwrap();
    let plan = try_plan(root, &[("Query", "lesson")]).unwrap();
    assert_eq!(plan.files.len(), 1);
    let after = &plan.files[0].after;
    assert!(
        after.starts_with("package graph\n\n// notes a person keeps at the top\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\n\t\"example.com/svc/graph/model\"\n)\n\n// Lesson is the resolver"),
        "{after}"
    );
    assert!(after.contains("\n// Query returns QueryResolver implementation.\nfunc (r *Resolver) Query() QueryResolver { return &queryResolver{r} }\n\ntype queryResolver struct{ *Resolver }\n"), "{after}");
}

#[test]
fn stubs_turn_implemented_as_people_fill_them_in() {
    let service = copy_fixture("classroom");
    let root = service.path();
    write(&plan(root, classroom_resolver_fields()));

    let index = GoIndex::build(root, Path::new("graph")).unwrap();
    assert_eq!(
        index
            .resolver_for("Assignment", "createdDate")
            .unwrap()
            .status,
        GoStatus::Stub
    );
    assert_eq!(
        index.resolver_for("Query", "assignment").unwrap().status,
        GoStatus::Implemented
    );
    assert_eq!(
        index.resolver_for("Query", "node").unwrap().status,
        GoStatus::Stub
    );
    assert_eq!(
        index
            .resolver_for("Entity", "findUserByKaid")
            .unwrap()
            .status,
        GoStatus::Stub
    );

    let path = root.join("graph/schema.resolvers.go");
    let text = fs::read_to_string(&path).unwrap().replace(
        "\tpanic(fmt.Errorf(\"not implemented: CreatedDate - createdDate\"))\n",
        "\tnow := time.Now()\n\treturn &now, nil\n",
    );
    fs::write(&path, text).unwrap();
    let index = GoIndex::build(root, Path::new("graph")).unwrap();
    let created = index.resolver_for("Assignment", "createdDate").unwrap();
    assert_eq!(
        created.status,
        GoStatus::Implemented,
        "the marker comment alone does not make a stub"
    );
    assert_eq!(created.file, "graph/schema.resolvers.go");
}

#[test]
fn the_config_reports_bad_yaml_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let yml = dir.path().join("gqlgen.yml");
    fs::write(&yml, "resolver:\n  layout: sideways\n").unwrap();
    fs::write(dir.path().join("schema.graphql"), "type Query { a: Int }").unwrap();
    let error = GqlgenConfig::load(&yml).unwrap_err().to_string();
    assert!(error.contains("invalid layout sideways"), "{error}");
}
