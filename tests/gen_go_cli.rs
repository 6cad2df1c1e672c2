//! `ferry gen go` from the command line on the demo workspace.

mod common;

use common::{Workspace, go};

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
