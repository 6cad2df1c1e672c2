//! The demo's HTML report as a browser sees it: headless Chromium (Debian's
//! `chromium`, installed by scripts/test) driven over the DevTools protocol
//! by tests/report_support/page_check.mjs. The page must load with no
//! request but itself, no failed request and no console error, and each
//! chart must hold the expected series and points, the same numbers as the
//! table under it. Screenshots (light and dark) stay in
//! target/report-artifacts/. Under `CI=true` a missing chromium or node
//! fails the test.

mod common;
#[path = "report_support/git_history.rs"]
mod git_history;

use common::{Workspace, repo};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// 2026-12-01T10:00:00Z.
const NOW: &str = "1796119200";

fn tool(name: &str, install: &str) -> Option<PathBuf> {
    let found = std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{name} is required when CI=true ({install})");
        }
        eprintln!("notice: {name} is missing ({install}); this test checks nothing here");
        return None;
    }
    Some(PathBuf::from(name))
}

fn artifacts() -> PathBuf {
    let dir = repo().join("target/report-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What the page reported about itself, loaded by Chromium.
fn check_page(page: &Path, screenshot_prefix: &Path) -> Option<Value> {
    let chromium = tool("chromium", "apt-get install chromium, or run scripts/test")?;
    let node = tool("node", "apt-get install nodejs, or run scripts/test")?;
    let profile = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(node)
        .arg(repo().join("tests/report_support/page_check.mjs"))
        .arg(chromium)
        .arg(format!("file://{}", page.display()))
        .arg(screenshot_prefix)
        .arg(profile.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "page_check failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

fn chart<'v>(page: &'v Value, id: &str) -> &'v Value {
    page["charts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no chart {id} on the page: {page:#}"))
}

/// Each series' values, by series name.
fn series(chart: &Value) -> Vec<(String, Vec<u64>)> {
    chart["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap())
                    .collect(),
            )
        })
        .collect()
}

fn table(chart: &Value) -> Vec<Vec<String>> {
    serde_json::from_value(chart["table"].clone()).expect("a table under the chart")
}

#[test]
fn the_demo_report_loads_clean_in_chromium_with_its_charts() {
    let workspace = Workspace::demo();
    let ledger =
        std::fs::read_to_string(repo().join("tests/report_support/migration-history.jsonl"))
            .unwrap();
    workspace.write("migration-history.jsonl", &ledger);
    let page = workspace.path("report.html");
    let run = assert_cmd::Command::cargo_bin("ferry")
        .unwrap()
        .arg("--root")
        .arg(workspace.root())
        .args(["report", "--html"])
        .arg(&page)
        .env("SOURCE_DATE_EPOCH", NOW)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::copy(&page, artifacts().join("classroom-report.html")).unwrap();

    let Some(loaded) = check_page(&page, &artifacts().join("classroom-report")) else {
        return;
    };
    let url = format!("file://{}", page.display());
    assert_eq!(
        loaded["requests"],
        serde_json::json!([url]),
        "only the page itself"
    );
    assert_eq!(loaded["failedRequests"], serde_json::json!([]));
    assert_eq!(loaded["consoleErrors"], serde_json::json!([]));
    assert_eq!(loaded["charts"].as_array().unwrap().len(), 3);

    for chart in loaded["charts"].as_array().unwrap() {
        assert_eq!(chart["role"], "img");
        assert_eq!(chart["label"], chart["title"]);
        assert!(chart["desc"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(
            chart["width"].as_f64().unwrap() > 300.0,
            "drawn at a readable size"
        );
    }

    // Progress: one series per service, one point per day of the ledger
    // (10) and now; the table under it has the same numbers.
    let progress = chart(&loaded, "progress-chart");
    assert_eq!(progress["kind"], "stacked-area");
    let services = series(progress);
    assert_eq!(
        services
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>(),
        ["assignments", "progress"]
    );
    assert!(services.iter().all(|(_, values)| values.len() == 11));
    assert_eq!(services[0].1, [0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    let rows = table(progress);
    assert_eq!(rows.len(), 11);
    for (point, row) in rows.iter().enumerate() {
        let counts: Vec<u64> = row[1..].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(counts[0], services[0].1[point]);
        assert_eq!(counts[1], services[1].1[point]);
        assert_eq!(counts[2], counts[0] + counts[1], "All is the stack's top");
    }
    assert_eq!(rows.last().unwrap()[0], "now (2026-12-01)");

    // Stages: one series per stage the demo has a field at, one bar per service.
    let stages = chart(&loaded, "stages-chart");
    assert_eq!(stages["kind"], "stacked-bars");
    let by_stage = series(stages);
    assert_eq!(
        by_stage
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>(),
        [
            "python",
            "manual",
            "side-by-side",
            "canary",
            "migrated",
            "done",
            "go"
        ]
    );
    assert!(by_stage.iter().all(|(_, values)| values.len() == 2));
    for (bar, row) in table(stages).iter().enumerate() {
        let counts: Vec<u64> = row[1..=by_stage.len()]
            .iter()
            .map(|c| c.parse().unwrap())
            .collect();
        let drawn: Vec<u64> = by_stage.iter().map(|(_, values)| values[bar]).collect();
        assert_eq!(counts, drawn, "row {row:?}");
    }

    // Effort: one bar per cluster with Python of its own (the demo has
    // fewer than the chart's limit), left to port stacked under what fields
    // on Go already reach; the table lists every cluster.
    let effort = chart(&loaded, "effort-chart");
    assert_eq!(effort["kind"], "stacked-bars");
    let parts = series(effort);
    assert_eq!(
        parts
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>(),
        ["left to port", "reached by fields on Go"]
    );
    let with_lines: Vec<(u64, u64)> = table(effort)
        .iter()
        .map(|row| (row[2].parse().unwrap(), row[3].parse().unwrap()))
        .filter(|&(lines, _): &(u64, u64)| lines > 0)
        .collect();
    assert!(!with_lines.is_empty());
    assert_eq!(
        parts[0].1,
        with_lines.iter().map(|&(_, left)| left).collect::<Vec<_>>()
    );
    assert_eq!(
        parts[1].1,
        with_lines
            .iter()
            .map(|&(lines, left)| lines - left)
            .collect::<Vec<_>>()
    );

    for screenshot in loaded["screenshots"].as_array().unwrap() {
        let bytes = std::fs::read(screenshot.as_str().unwrap()).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{screenshot} is a PNG");
    }
}

/// `--from-git`: the progress chart's series are the points read from the
/// schemas at each commit, and the page still loads clean.
#[test]
fn the_git_derived_progress_loads_clean_with_its_series() {
    if !git_history::git_available() {
        return;
    }
    let demo = git_history::GitDemo::new("classroom");
    git_history::tell_story(&demo);
    let report = |args: &[&str]| {
        let run = assert_cmd::Command::cargo_bin("ferry")
            .unwrap()
            .arg("--root")
            .arg(demo.root())
            .args(["report", "--from-git"])
            .args(args)
            .env("SOURCE_DATE_EPOCH", NOW)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        run.stdout
    };
    let document: Value = serde_json::from_slice(&report(&["--json"])).unwrap();
    let page = demo.root().join("report.html");
    report(&["--html", page.to_str().unwrap()]);
    std::fs::copy(&page, artifacts().join("classroom-report-from-git.html")).unwrap();
    let Some(loaded) = check_page(&page, &artifacts().join("classroom-report-from-git")) else {
        return;
    };
    assert_eq!(
        loaded["requests"],
        serde_json::json!([format!("file://{}", page.display())])
    );
    assert_eq!(loaded["failedRequests"], serde_json::json!([]));
    assert_eq!(loaded["consoleErrors"], serde_json::json!([]));

    let points = document["progress"].as_array().unwrap();
    assert_eq!(points.len(), 5, "four days of commits and now");
    let progress = chart(&loaded, "progress-chart");
    let drawn = series(progress);
    for (name, values) in &drawn {
        let read: Vec<u64> = points
            .iter()
            .map(|p| p["served_by_go"][name].as_u64().unwrap())
            .collect();
        assert_eq!(values, &read, "series {name}");
    }
    assert_eq!(drawn[0].1, [1, 1, 2, 2, 2]);
    assert_eq!(drawn[1].1, [1, 1, 1, 2, 2]);
    let rows = table(progress);
    let dates: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        dates,
        [
            "2026-01-05",
            "2026-02-10",
            "2026-03-16",
            "2026-04-02",
            "now (2026-12-01)"
        ]
    );
}

/// The checker itself sees what a broken page does, so a clean result
/// above means something.
#[test]
fn the_page_check_sees_failed_requests_and_console_errors() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        r#"<!DOCTYPE html><html><head><title>broken</title></head><body><img src="missing.png" alt=""><script>console.error("boom")</script></body></html>"#,
    )
    .unwrap();
    let Some(loaded) = check_page(&page, &dir.path().join("broken")) else {
        return;
    };
    let failed = loaded["failedRequests"].to_string();
    assert!(failed.contains("ERR_FILE_NOT_FOUND"), "{failed}");
    let console = loaded["consoleErrors"].to_string();
    assert!(console.contains("boom"), "{console}");
    assert_eq!(loaded["requests"].as_array().unwrap().len(), 2);
}
