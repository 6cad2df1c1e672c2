//! `ferry report --from-git`: progress read from the git history of the
//! schema files, in a real repository whose commits move fields through
//! stages; the ledger winning for the time it covers; and what cannot be
//! read (no repository, a shallow clone, a commit whose schema does not
//! parse) named while the report still renders.

mod common;
#[path = "report_support/git_history.rs"]
mod git_history;

use common::repo;
use git_history::{
    ASSIGNMENTS, CANARY_TIME, FIRST_TIME, GitDemo, LAST_TIME, MERGE_TIME, PROGRESS, git_available,
    tell_story,
};
use serde_json::{Value, json};
use std::path::Path;

/// 2026-12-01T10:00:00Z.
const NOW: &str = "1796119200";

fn ferry(root: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("ferry")
        .unwrap()
        .arg("--root")
        .arg(root)
        .arg("report")
        .args(args)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", NOW)
        .output()
        .unwrap()
}

/// The JSON report and what ferry said on stderr; the run must succeed.
fn json_report(root: &Path, args: &[&str]) -> (Value, String) {
    let mut args = args.to_vec();
    args.push("--json");
    let output = ferry(root, &args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    (serde_json::from_slice(&output.stdout).unwrap(), stderr)
}

/// The demo's stages as its schemas say today.
fn demo_assignments() -> Value {
    json!({ "python": 6, "manual": 1, "side-by-side": 2, "canary": 1, "migrated": 1, "done": 1, "go": 1 })
}

fn demo_progress() -> Value {
    json!({ "python": 3, "manual": 1, "canary": 1, "migrated": 1, "done": 1, "go": 1 })
}

/// `Query.progressForUser` at side-by-side rather than migrated.
fn progress_before_last() -> Value {
    json!({ "python": 3, "manual": 1, "side-by-side": 1, "canary": 1, "done": 1, "go": 1 })
}

fn git_point(
    time: &str,
    commit: &str,
    served: [u64; 2],
    assignments: Value,
    progress: Value,
) -> Value {
    json!({
        "time": time,
        "now": false,
        "source": "git",
        "commit": commit,
        "served_by_go": { "assignments": served[0], "progress": served[1] },
        "by_stage": { "assignments": assignments, "progress": progress },
        "total": served[0] + served[1],
    })
}

fn now_point() -> Value {
    json!({
        "time": "2026-12-01T10:00:00Z",
        "now": true,
        "source": "now",
        "served_by_go": { "assignments": 2, "progress": 2 },
        "by_stage": { "assignments": demo_assignments(), "progress": demo_progress() },
        "total": 4,
    })
}

#[test]
fn progress_points_are_what_the_commits_say() {
    if !git_available() {
        return;
    }
    // The workspace in a folder of the repository, as in a monorepo.
    let demo = GitDemo::new("api/classroom");
    let story = tell_story(&demo);
    let (report, stderr) = json_report(&demo.root(), &["--from-git"]);
    assert_eq!(stderr, "", "nothing kept the history from being read");
    assert_eq!(report["history_notes"], json!([]));
    let expected = json!([
        // dueDate manual, progressForUser side-by-side.
        git_point(
            FIRST_TIME,
            &story.first,
            [1, 1],
            json!({ "python": 6, "manual": 2, "side-by-side": 2, "canary": 1, "done": 1, "go": 1 }),
            progress_before_last(),
        ),
        // Two commits on 2026-02-10: the day's last (dueDate on canary).
        git_point(
            CANARY_TIME,
            &story.canary,
            [1, 1],
            json!({ "python": 6, "manual": 1, "side-by-side": 2, "canary": 2, "done": 1, "go": 1 }),
            progress_before_last(),
        ),
        // The merge on the first-parent line, not the branch's commit; the
        // README commit before it changed no schema.
        git_point(
            MERGE_TIME,
            &story.merge,
            [2, 1],
            demo_assignments(),
            progress_before_last(),
        ),
        git_point(
            LAST_TIME,
            &story.last,
            [2, 2],
            demo_assignments(),
            demo_progress(),
        ),
        now_point(),
    ]);
    assert_eq!(report["progress"], expected);
}

fn in_flight<'r>(report: &'r Value, field: &str) -> &'r Value {
    report["in_flight"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == field)
        .unwrap_or_else(|| panic!("{field} not in flight"))
}

#[test]
fn a_field_the_ledger_never_moved_is_in_its_stage_since_the_commit_that_put_it_there() {
    if !git_available() {
        return;
    }
    let demo = GitDemo::new("classroom");
    tell_story(&demo);
    let (report, _) = json_report(&demo.root(), &["--from-git", "--stuck-after", "250"]);
    let since = |field: &str| {
        let f = in_flight(&report, field);
        (
            f["since"].clone(),
            f["since_from"].clone(),
            f["age_days"].clone(),
            f["stuck"].clone(),
        )
    };
    // Migrated by the merge of 2026-03-16 12:00; the report made 2026-12-01 10:00.
    assert_eq!(
        since("Assignment.dueDate"),
        (json!(MERGE_TIME), json!("git"), json!(259), json!(true))
    );
    assert_eq!(
        since("Query.progressForUser"),
        (json!(LAST_TIME), json!("git"), json!(243), json!(false))
    );
    // Side by side in every commit read: since the oldest.
    assert_eq!(
        since("Assignment.title"),
        (json!(FIRST_TIME), json!("git"), json!(330), json!(true))
    );
    let markdown =
        String::from_utf8(ferry(&demo.root(), &["--from-git", "--stuck-after", "250"]).stdout)
            .unwrap();
    assert!(
        markdown.contains(
            "| `Assignment.dueDate` | assignments | migrated | 2026-03-16 (git) | 259 (stuck) |"
        ),
        "{markdown}"
    );

    // Moved in the work tree and not committed: git cannot date it.
    demo.set_state(ASSIGNMENTS, "title", "canary");
    let (report, _) = json_report(&demo.root(), &["--from-git"]);
    assert_eq!(in_flight(&report, "Assignment.title")["since"], Value::Null);
    assert_eq!(
        in_flight(&report, "Assignment.title")["since_from"],
        Value::Null
    );
}

#[test]
fn the_ledger_wins_for_the_time_it_covers_and_git_fills_the_time_before() {
    if !git_available() {
        return;
    }
    let demo = GitDemo::new("classroom");
    let story = tell_story(&demo);
    // The ledger starts on 2026-03-02: git's points from that day on give
    // way to it.
    let ledger =
        std::fs::read_to_string(repo().join("tests/report_support/migration-history.jsonl"))
            .unwrap();
    std::fs::write(demo.root().join("migration-history.jsonl"), &ledger).unwrap();
    let (with_git, _) = json_report(&demo.root(), &["--from-git"]);
    let (ledger_only, _) = json_report(&demo.root(), &[]);

    let points = with_git["progress"].as_array().unwrap();
    let sources: Vec<&str> = points
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources[..2], ["git", "git"]);
    assert_eq!(points[0]["commit"], story.first.as_str());
    assert_eq!(points[1]["commit"], story.canary.as_str());
    assert!(
        points[1]["time"].as_str().unwrap() < "2026-03-02",
        "git only before the ledger's first day"
    );
    assert_eq!(
        points[2..],
        ledger_only["progress"].as_array().unwrap()[..],
        "the ledger's points and now, as without --from-git"
    );
    assert!(sources[2..].iter().all(|s| *s != "git"));
    // A field the ledger moved is dated by the ledger alone.
    assert_eq!(
        in_flight(&with_git, "Assignment.dueDate")["since"],
        "2026-08-10T09:00:00Z"
    );
    assert_eq!(
        in_flight(&with_git, "Assignment.dueDate")["since_from"],
        "ledger"
    );

    let markdown = String::from_utf8(ferry(&demo.root(), &["--from-git"]).stdout).unwrap();
    assert!(
        markdown.contains(
            "Drawn from the git history of the schema files until the migration ledger starts (2026-03-02), then from the ledger"
        ),
        "{markdown}"
    );
}

#[test]
fn since_bounds_the_walk() {
    if !git_available() {
        return;
    }
    let demo = GitDemo::new("classroom");
    let story = tell_story(&demo);
    let (report, _) = json_report(&demo.root(), &["--from-git", "--since", "2026-02-01"]);
    let commits: Vec<&Value> = report["progress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["commit"])
        .collect();
    assert_eq!(
        commits,
        [
            &json!(story.canary),
            &json!(story.merge),
            &json!(story.last),
            &Value::Null
        ]
    );
    let output = ferry(&demo.root(), &["--from-git", "--since", "last spring"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("--since `last spring`: not a date; give YYYY-MM-DD"),
        "{stderr}"
    );
    let output = ferry(&demo.root(), &["--since", "2026-02-01"]);
    assert_eq!(output.status.code(), Some(2), "--since needs --from-git");
}

#[test]
fn outside_a_git_repository_the_report_says_so_and_still_renders() {
    let workspace = common::Workspace::demo();
    let (report, stderr) = json_report(workspace.root(), &["--from-git"]);
    assert!(
        stderr.contains("not inside a git repository, so there is no history to read"),
        "{stderr}"
    );
    assert_eq!(report["progress"], json!([now_point()]));
    let notes = report["history_notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert!(stderr.contains(notes[0].as_str().unwrap()));

    let page = workspace.path("report.html");
    let output = ferry(
        workspace.root(),
        &["--from-git", "--html", page.to_str().unwrap()],
    );
    assert!(output.status.success());
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains("<ul id=\"history-notes\">"));
    assert!(html.contains("not inside a git repository"));
}

#[test]
fn a_commit_whose_schema_does_not_parse_is_named_and_left_out() {
    if !git_available() {
        return;
    }
    let demo = GitDemo::new("classroom");
    let story = tell_story(&demo);
    let good = std::fs::read_to_string(demo.root().join(PROGRESS)).unwrap();
    std::fs::write(
        demo.root().join(PROGRESS),
        format!("{good}\ntype Broken {{\n  half:\n}}\n"),
    )
    .unwrap();
    let broken = demo.commit("2026-05-01T10:00:00Z", "a half-written type");
    std::fs::write(demo.root().join(PROGRESS), &good).unwrap();
    demo.set_state(ASSIGNMENTS, "title", "canary");
    let fixed = demo.commit("2026-05-02T10:00:00Z", "fixed, and title on canary");

    let (report, stderr) = json_report(&demo.root(), &["--from-git"]);
    let line = good.lines().count() + 4;
    let note = format!(
        "commit {} (2026-05-01): service `progress`: {PROGRESS}:{line}:1: syntax error: expected a Type; the report leaves that commit out of the progress",
        &broken[..7]
    );
    assert_eq!(report["history_notes"], json!([note]));
    assert!(stderr.contains(&note), "{stderr}");
    let commits: Vec<&str> = report["progress"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["commit"].as_str())
        .collect();
    assert_eq!(
        commits,
        [
            story.first.as_str(),
            &story.canary,
            &story.merge,
            &story.last,
            &fixed
        ]
    );
    let markdown = String::from_utf8(ferry(&demo.root(), &["--from-git"]).stdout).unwrap();
    assert!(markdown.contains(&format!("- {note}")), "{markdown}");
}

#[test]
fn a_shallow_clone_says_where_its_history_stops() {
    if !git_available() {
        return;
    }
    let demo = GitDemo::new("classroom");
    let story = tell_story(&demo);
    let clone = tempfile::tempdir().unwrap();
    let source = format!("file://{}", demo.repo_dir().display());
    let into = clone.path().join("repo");
    // The last two commits of the first-parent line: the last and the merge.
    demo.git(&[
        "clone",
        "-q",
        "--depth",
        "2",
        &source,
        into.to_str().unwrap(),
    ]);
    let (report, stderr) = json_report(&into.join("classroom"), &["--from-git"]);
    let note = format!(
        "commit {} (2026-03-16): the history stops there, this is a shallow clone; progress before it is missing: run `git fetch --unshallow` to read all of it",
        &story.merge[..7]
    );
    assert_eq!(report["history_notes"], json!([note]));
    assert!(stderr.contains(&note), "{stderr}");
    let commits: Vec<&Value> = report["progress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["commit"])
        .collect();
    assert_eq!(
        commits,
        [&json!(story.merge), &json!(story.last), &Value::Null]
    );
}

#[test]
fn schema_files_renamed_in_the_past_are_read_under_their_old_names() {
    if !git_available() {
        return;
    }
    let demo = GitDemo::new("classroom");
    let root = demo.root();
    // Before the move: the monolith's SDL was webapp/api.graphql, and the
    // progress service's schema graph/progress.graphqls (today's gqlgen.yml
    // glob, graph/*.graphqls, takes either name).
    let old_progress = "services/progress/graph/progress.graphqls";
    demo.set_state(PROGRESS, "progressForUser", "side-by-side");
    std::fs::rename(root.join(PROGRESS), root.join(old_progress)).unwrap();
    std::fs::rename(
        root.join("webapp/schema.graphql"),
        root.join("webapp/api.graphql"),
    )
    .unwrap();
    demo.edit(
        "ferry.toml",
        "schema = [\"webapp/schema.graphql\"]",
        "schema = [\"webapp/api.graphql\"]",
    );
    let first = demo.commit(FIRST_TIME, "progress takes its first fields");

    // One commit moves both files back to today's names; the progress
    // schema is edited in the same commit (a rename with changes, as git
    // detects it).
    std::fs::rename(root.join(old_progress), root.join(PROGRESS)).unwrap();
    std::fs::rename(
        root.join("webapp/api.graphql"),
        root.join("webapp/schema.graphql"),
    )
    .unwrap();
    demo.edit(
        "ferry.toml",
        "schema = [\"webapp/api.graphql\"]",
        "schema = [\"webapp/schema.graphql\"]",
    );
    demo.set_state(PROGRESS, "progressForUser", "migrated");
    let last = demo.commit(LAST_TIME, "schemas under their final names");
    assert!(
        demo.git(&["show", "--stat", "-M", "--format=", &last])
            .contains("=>"),
        "git itself sees the moves as renames"
    );

    let (report, stderr) = json_report(&root, &["--from-git"]);
    assert_eq!(stderr, "", "nothing kept the history from being read");
    assert_eq!(
        report["progress"],
        json!([
            git_point(
                FIRST_TIME,
                &first,
                [2, 1],
                demo_assignments(),
                progress_before_last()
            ),
            git_point(
                LAST_TIME,
                &last,
                [2, 2],
                demo_assignments(),
                demo_progress()
            ),
            now_point(),
        ])
    );
}
