//! `ferry gen go` from the command line on the demo workspace.

mod common;

use common::{Workspace, assert_same_files, go};

const RESOLVERS: &str = "services/assignments/graph/schema.resolvers.go";

#[test]
fn gen_go_adds_a_stub_with_the_python_quoted_once_and_status_sees_it() {
    let demo = Workspace::demo();
    demo.ferry(&["mark", "Query.me", "--into", "assignments"])
        .success();
    let before = demo.read(RESOLVERS);

    let dry = demo.ferry(&["gen", "go", "Query.me", "--dry-run"]);
    dry.success();
    assert!(
        dry.stdout()
            .contains("+func (r *queryResolver) Me(ctx context.Context) (*model.User, error) {")
    );
    assert_eq!(demo.read(RESOLVERS), before, "--dry-run writes nothing");

    demo.ferry(&["gen", "go", "Query.me"]).success();
    let after = demo.read(RESOLVERS);
    assert!(after.contains("// Python resolver, webapp/users/schema.py:53:"));
    assert!(after.contains("//\tdef resolve_me(root, info):"));
    // What a person wrote is untouched: the old text is still there, in order.
    let kept: Vec<&str> = before.lines().filter(|l| l.starts_with("func ")).collect();
    let now: Vec<&str> = after
        .lines()
        .filter(|l| l.starts_with("func ") && kept.contains(l))
        .collect();
    assert_eq!(kept, now);

    let again = demo.ferry(&["gen", "go", "Query.me"]);
    again.success();
    assert!(
        again.stdout().contains("already exists"),
        "{}",
        again.stdout()
    );
    assert_eq!(demo.read(RESOLVERS), after, "a second run changes nothing");

    let status = demo.ferry(&["status", "Query.me", "--json"]);
    assert!(
        status.stdout().contains("\"status\": \"stub\""),
        "{}",
        status.stdout()
    );

    if go().is_some() {
        let out = std::process::Command::new("gofmt")
            .arg("-l")
            .arg(demo.path(RESOLVERS))
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stdout.is_empty(),
            "gofmt -l: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn gen_go_needs_a_service_that_defines_the_field() {
    let demo = Workspace::demo();
    demo.ferry(&["gen", "go", "Query.me"])
        .fails_with(2, "`ferry mark Query.me --into SERVICE` first");
    let run = demo.ferry(&[
        "gen",
        "go",
        "Query.me",
        "--service",
        "assignments",
        "--stdout",
    ]);
    run.fails_with(
        2,
        "no field matches the selectors with those --service/--state filters",
    );
}

#[test]
fn a_whole_service_skips_its_keys_with_a_reason_and_goes_on() {
    let demo = Workspace::demo();
    let schema = demo.read("services/progress/graph/schema.graphqls");
    for resolvers in ["schema.resolvers.go", "entity.resolvers.go"] {
        std::fs::remove_file(demo.path(&format!("services/progress/graph/{resolvers}"))).unwrap();
    }
    let run = demo.ferry(&["gen", "go", "--service", "progress", "--json"]);
    run.success();
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["written"], true);
    let reason = |field: &str| {
        report["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["field"] == field)
            .map(|s| s["reason"].as_str().unwrap().to_string())
    };
    assert_eq!(reason("Progress.id").as_deref(), Some("key-field"));
    assert_eq!(reason("User.kaid").as_deref(), Some("key-field"));
    // Keys get neither a resolver nor forceResolver.
    assert_eq!(demo.read("services/progress/graph/schema.graphqls"), schema);
    let go = demo.read("services/progress/graph/schema.resolvers.go");
    assert!(!go.contains(") ID(") && !go.contains(") Kaid("), "{go}");
    assert!(go.contains("func (r *progressResolver) PointsEarned(ctx context.Context, obj *model.Progress) (*int, error) {"));
    let entity = demo.read("services/progress/graph/entity.resolvers.go");
    assert!(
        entity.contains(
            ") FindProgressByID(ctx context.Context, id string) (*model.Progress, error) {"
        )
    );
}

#[test]
fn a_named_field_that_cannot_get_a_resolver_is_refused_once() {
    let demo = Workspace::demo();
    let before = demo.files();
    let run = demo.ferry(&["gen", "go", "Progress.id", "Progress.status"]);
    run.fails_with(
        2,
        "nothing was written; 1 field cannot get a resolver:\n  Progress.id: a key field",
    );
    assert_eq!(
        run.stderr().matches("a key field").count(),
        1,
        "{}",
        run.stderr()
    );
    assert!(!run.stdout().contains("key field"), "{}", run.stdout());
    assert_same_files(&before, &demo.files());

    let json = demo.ferry(&["gen", "go", "Timestamped.createdDate", "--json"]);
    assert_eq!(json.code(), 2);
    let report: serde_json::Value = serde_json::from_str(&json.stdout()).unwrap();
    assert_eq!(report["refused"][0]["reason"], "interface-field");
    assert_eq!(report["written"], false);
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("nothing was written; 1 field cannot get a resolver:"),
        "{report:#}"
    );
}

#[test]
fn stdout_ends_every_file_with_a_newline_before_the_next_header() {
    let demo = Workspace::demo();
    demo.ferry(&["mark", "Query.me", "--into", "assignments"])
        .success();
    std::fs::remove_file(demo.path("services/assignments/graph/entity.resolvers.go")).unwrap();
    // A file whose last line has no newline stays so; the printout adds one.
    let resolvers = demo.read(RESOLVERS);
    demo.write(RESOLVERS, resolvers.trim_end());
    let before = demo.files();
    let run = demo.ferry(&["gen", "go", "Query.me", "--stdout"]);
    run.success();
    let out = run.stdout();
    let headers: Vec<&str> = out.lines().filter(|l| l.contains("// ==> ")).collect();
    assert!(headers.len() >= 2, "{out}");
    assert!(headers.iter().all(|h| h.starts_with("// ==> ")), "{out}");
    assert!(out.ends_with('\n'));
    assert_same_files(&before, &demo.files());
    // The warning goes to stderr, out of the way of the Go.
    assert!(
        run.stderr().contains("model.User") && run.stderr().contains("run `gqlgen generate`"),
        "{}",
        run.stderr()
    );
}

#[test]
fn quiet_leaves_out_what_was_written_but_not_the_warnings() {
    let demo = Workspace::demo();
    demo.ferry(&["mark", "Query.me", "--into", "assignments"])
        .success();
    let run = demo.ferry(&["-q", "gen", "go", "Query.me"]);
    run.success();
    assert!(!run.stdout().contains("wrote"), "{}", run.stdout());
    assert!(
        run.stdout().contains("warning: services/assignments/graph/schema.resolvers.go names model.User, which example.com/classroom/assignments/graph/model does not define yet; run `gqlgen generate`"),
        "{}",
        run.stdout()
    );
    assert!(
        demo.read(RESOLVERS)
            .contains(") Me(ctx context.Context) (*model.User, error) {")
    );
}

/// A plain gqlgen service: a ferry.toml naming it, no monolith, no resolver section.
fn plain_service(go_mod: bool) -> Workspace {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("svc/graph")).unwrap();
    std::fs::write(
        root.join("ferry.toml"),
        "[[services]]\nname = \"svc\"\ngqlgen = \"svc/gqlgen.yml\"\n",
    )
    .unwrap();
    if go_mod {
        std::fs::write(
            root.join("svc/go.mod"),
            "module example.com/svc\n\ngo 1.19\n",
        )
        .unwrap();
    }
    std::fs::write(
        root.join("svc/gqlgen.yml"),
        "schema: graph/schema.graphqls\nexec:\n  filename: graph/generated/generated.go\n  package: generated\nmodel:\n  filename: graph/model/models_gen.go\n  package: model\n",
    )
    .unwrap();
    std::fs::write(
        root.join("svc/graph/schema.graphqls"),
        "type Query { lesson(id: ID!): Lesson }\ntype Lesson { id: ID! title: String! }\n",
    )
    .unwrap();
    Workspace { dir }
}

#[test]
fn a_service_without_a_monolith_or_resolver_section() {
    let service = plain_service(true);
    let status = service.ferry(&["status", "--json"]);
    status.success();
    let report: serde_json::Value = serde_json::from_str(&status.stdout()).unwrap();
    let stages: Vec<&str> = report["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["go", "go", "go"]);
    // The same with a ferry.toml that names the service and no [python].
    service.write(
        "ferry.toml",
        "[[services]]\nname = \"svc\"\ngqlgen = \"svc/gqlgen.yml\"\n",
    );
    let configured = service.ferry(&["status", "--json"]);
    configured.success();
    assert!(configured.stdout().contains("\"stage\": \"go\""));

    service
        .ferry(&["gen", "go", "--service", "svc"])
        .fails_with(2, "svc/gqlgen.yml has no `resolver:` section, so gqlgen writes no resolvers; add one, e.g.\n\nresolver:\n  layout: follow-schema");

    let printed = service.ferry(&["gen", "go", "--service", "svc", "--stdout"]);
    printed.success();
    let out = printed.stdout();
    assert!(
        out.contains("// ==> svc/graph/generated/resolver.go <==\npackage generated\n"),
        "{out}"
    );
    assert!(out.contains("func (r *queryResolver) Lesson(ctx context.Context, id string) (*model.Lesson, error) {"), "{out}");
    assert!(out.contains("\"example.com/svc/graph/model\""), "{out}");
    // Lesson is gqlgen's own model: it has every field, so no resolver.
    assert!(
        printed
            .stderr()
            .contains("skipped: Lesson.title: gqlgen binds it to model.Lesson.Title"),
        "{}",
        printed.stderr()
    );
    assert!(
        printed
            .stderr()
            .contains("svc/gqlgen.yml has no `resolver:` section"),
        "{}",
        printed.stderr()
    );

    let out_dir = service.path("svc/graph");
    service
        .ferry(&[
            "gen",
            "go",
            "--service",
            "svc",
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .success();
    let written = service.read("svc/graph/schema.resolvers.go");
    assert!(written.starts_with("package graph\n"), "{written}");
    assert!(
        written.contains(
            "func (r *Resolver) Query() generated.QueryResolver { return &queryResolver{r} }"
        ),
        "{written}"
    );
    assert_eq!(
        service.read("svc/graph/resolver.go").lines().last(),
        Some("type Resolver struct{}")
    );
}

#[test]
fn without_a_go_mod_it_says_so_and_writes_no_path_as_an_import() {
    let service = plain_service(false);
    let run = service.ferry(&["gen", "go", "Query.lesson", "--stdout"]);
    run.fails_with(
        2,
        "no go.mod in this directory or above it, so its Go package has no import path; run `go mod init MODULE`",
    );
    assert!(run.stdout().is_empty(), "{}", run.stdout());
}

#[test]
fn the_report_for_people_and_for_scripts() {
    for json in [false, true] {
        let demo = Workspace::demo();
        std::fs::remove_file(demo.path("services/progress/graph/entity.resolvers.go")).unwrap();
        let mut args = vec!["gen", "go", "--service", "progress"];
        if json {
            args.push("--json");
        }
        let run = demo.ferry(&args);
        run.success();
        let name = if json { "gen_go_json" } else { "gen_go_human" };
        insta::assert_snapshot!(name, run.stdout());
    }
}
