//! `ferry report`: the markdown and JSON shapes, one model's numbers in all
//! three outputs, the ledger's history, and bad ledgers refused.

mod common;

use common::{Run, Workspace, repo};
use serde_json::Value;

/// 2026-12-01T10:00:00Z: the report's "now", so ages are reproducible.
const NOW: &str = "1796119200";

fn demo_with_ledger() -> Workspace {
    let workspace = Workspace::demo();
    let ledger =
        std::fs::read_to_string(repo().join("tests/report_support/migration-history.jsonl"))
            .unwrap();
    workspace.write("migration-history.jsonl", &ledger);
    workspace
}

fn report(workspace: &Workspace, args: &[&str]) -> Run {
    let output = assert_cmd::Command::cargo_bin("ferry")
        .unwrap()
        .arg("--root")
        .arg(workspace.root())
        .arg("report")
        .args(args)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", NOW)
        .output()
        .unwrap();
    Run { output }
}

fn json(workspace: &Workspace, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    serde_json::from_str(&report(workspace, &args).success().stdout()).unwrap()
}

/// The rows of the table with this `id` in the HTML, cell texts only.
fn html_table(html: &str, id: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<table id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no table {id}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let text = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
                    text.replace("<code>", "").replace("</code>", "")
                })
                .collect()
        })
        .collect()
}

/// The rows under the markdown heading `## {heading}`, cells trimmed.
fn markdown_table(markdown: &str, heading: &str) -> Vec<Vec<String>> {
    let section = markdown.split(&format!("## {heading}\n")).nth(1).unwrap();
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().trim_matches('`').to_string())
                .collect()
        })
        .collect()
}

#[test]
fn markdown_shows_the_demo_at_a_glance_and_over_time() {
    let workspace = demo_with_ledger();
    insta::assert_snapshot!(report(&workspace, &[]).success().stdout());
}

#[test]
fn json_is_versioned_and_documented() {
    let workspace = demo_with_ledger();
    insta::assert_json_snapshot!(json(&workspace, &[]));
}

#[test]
fn html_markdown_and_json_carry_the_same_numbers() {
    let workspace = demo_with_ledger();
    let document = json(&workspace, &[]);
    let markdown = report(&workspace, &["--format", "markdown"])
        .success()
        .stdout();
    let page = workspace.path("report.html");
    report(&workspace, &["--html", page.to_str().unwrap()]).success();
    let html = std::fs::read_to_string(&page).unwrap();

    let services: Vec<&str> = document["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    let progress: Vec<Vec<String>> = document["progress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|point| {
            services
                .iter()
                .map(|s| point["served_by_go"][s].to_string())
                .chain([point["total"].to_string()])
                .collect()
        })
        .collect();
    assert_eq!(progress.len(), 11, "10 days of the ledger and now");
    let counts_only = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
        rows.into_iter().map(|row| row[1..].to_vec()).collect()
    };
    assert_eq!(counts_only(html_table(&html, "progress-table")), progress);
    assert_eq!(
        counts_only(markdown_table(&markdown, "Progress over time")),
        progress
    );

    let stage_order: Vec<&str> = document["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let stages: Vec<Vec<String>> = document["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut row = vec![s["name"].as_str().unwrap().to_string()];
            row.extend(
                stage_order
                    .iter()
                    .map(|stage| s["by_stage"][stage].to_string()),
            );
            row.push(format!("{}/{}", s["served_by_go"], s["planned"]));
            row
        })
        .collect();
    assert_eq!(html_table(&html, "stages-table"), stages);
    assert_eq!(markdown_table(&markdown, "Stages per service"), stages);

    let in_flight: Vec<(String, String)> = document["in_flight"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let age = f["age_days"].as_i64().unwrap().to_string();
            let age = if f["stuck"] == true {
                format!("{age} (stuck)")
            } else {
                age
            };
            (f["field"].as_str().unwrap().to_string(), age)
        })
        .collect();
    let pick = |rows: Vec<Vec<String>>| -> Vec<(String, String)> {
        rows.into_iter()
            .map(|r| (r[0].clone(), r[4].clone()))
            .collect()
    };
    assert_eq!(pick(html_table(&html, "in-flight-table")), in_flight);
    assert_eq!(
        pick(markdown_table(&markdown, "Fields in flight")),
        in_flight
    );
    assert_eq!(
        html.matches("<tr class=\"stuck\">").count(),
        in_flight
            .iter()
            .filter(|(_, age)| age.ends_with("(stuck)"))
            .count()
    );

    let clusters: Vec<Vec<String>> = document["effort"]["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            vec![
                c["position"].to_string(),
                c["lines"].to_string(),
                c["lines_left"].to_string(),
            ]
        })
        .collect();
    assert!(!clusters.is_empty(), "the demo has Python left to port");
    let effort_columns = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
        rows.into_iter()
            .map(|r| vec![r[0].clone(), r[2].clone(), r[3].clone()])
            .collect()
    };
    assert_eq!(effort_columns(html_table(&html, "effort-table")), clusters);
    assert_eq!(
        effort_columns(markdown_table(&markdown, "Remaining effort by cluster")),
        clusters
    );

    let findings = document["findings"].as_array().unwrap().len();
    assert!(
        findings > 0,
        "the demo has done fields whose Python remains"
    );
    assert_eq!(html_table(&html, "findings-table").len(), findings);
    assert_eq!(markdown_table(&markdown, "Check findings").len(), findings);
}

#[test]
fn ages_come_from_the_last_transition_into_the_stage() {
    let workspace = demo_with_ledger();
    let document = json(&workspace, &["--stuck-after", "60"]);
    let field = |name: &str| -> Value {
        document["in_flight"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} not in flight"))
    };
    // Migrated on 2026-08-10 09:00, the report made 2026-12-01 10:00.
    assert_eq!(field("Assignment.dueDate")["since"], "2026-08-10T09:00:00Z");
    assert_eq!(field("Assignment.dueDate")["age_days"], 113);
    assert_eq!(field("Assignment.dueDate")["stuck"], true);
    assert_eq!(field("Assignment.title")["age_days"], 57);
    assert_eq!(field("Assignment.title")["stuck"], false);
    assert_eq!(field("Progress.pointsEarned")["age_days"], 15);
    // Done fields are no longer in flight.
    assert!(
        document["in_flight"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["field"] != "Assignment.isPublished")
    );
}

#[test]
fn without_a_ledger_progress_is_just_now_and_ages_are_unknown() {
    let workspace = Workspace::demo();
    let document = json(&workspace, &[]);
    let progress = document["progress"].as_array().unwrap();
    assert_eq!(progress.len(), 1);
    assert_eq!(progress[0]["now"], true);
    assert_eq!(progress[0]["total"], 4);
    assert!(
        document["in_flight"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["age_days"].is_null() && f["stuck"] == false)
    );
    let page = workspace.path("report.html");
    report(&workspace, &["--html", page.to_str().unwrap()]).success();
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains("There is no migration ledger yet"));
}

#[test]
fn a_bad_ledger_line_is_refused_with_its_place_and_nothing_is_written() {
    let workspace = demo_with_ledger();
    let mut ledger = workspace.read("migration-history.jsonl");
    ledger.push_str(
        r#"{"at":"last tuesday","field":"Assignment.id","service":"assignments","from":"python","to":"manual"}"#,
    );
    workspace.write("migration-history.jsonl", &ledger);
    let page = workspace.path("report.html");
    report(&workspace, &["--html", page.to_str().unwrap()]).fails_with(
        2,
        "migration-history.jsonl:24:8: not a ledger entry: `last tuesday` is not an RFC 3339 time",
    );
    assert!(!page.exists());
}

#[test]
fn html_goes_to_a_file_not_beside_another_format() {
    let workspace = Workspace::demo();
    report(&workspace, &["--html", "x.html", "--json"]).fails_with(2, "cannot be used with");
}

#[test]
fn each_in_flight_field_shows_its_evidence_in_all_three() {
    let workspace = demo_with_ledger();
    workspace.clean_evidence(&["Assignment.title"]);
    let document = json(&workspace, &[]);
    let entry = |name: &str| -> Value {
        document["in_flight"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == name)
            .unwrap_or_else(|| panic!("{name} is not in flight"))
            .clone()
    };
    let title = entry("Assignment.title")["evidence"].clone();
    assert_eq!(title["samples"], 100);
    assert_eq!(title["passes"], true);
    assert_eq!(title["readiness"]["status"], "ready");
    let assignment = entry("Query.assignment")["evidence"].clone();
    assert_eq!(assignment["passes"], false);
    assert_eq!(assignment["readiness"]["status"], "no-evidence");
    // A canary field is not compared: no evidence to show.
    assert_eq!(entry("Progress.status")["evidence"], Value::Null);

    let markdown = report(&workspace, &["--format", "markdown"])
        .success()
        .stdout();
    let page = workspace.path("report.html");
    report(&workspace, &["--html", page.to_str().unwrap()]).success();
    let html = std::fs::read_to_string(&page).unwrap();
    for rows in [
        html_table(&html, "in-flight-table"),
        markdown_table(&markdown, "Fields in flight"),
    ] {
        let cell = |name: &str| {
            rows.iter()
                .find(|r| r[0] == name)
                .map(|r| r[5].clone())
                .unwrap()
        };
        assert_eq!(
            cell("Assignment.title"),
            "100 samples, 0 mismatched, 0 noisy · passes the gate"
        );
        assert_eq!(cell("Query.assignment"), "none yet");
    }
}

#[test]
fn remaining_effort_is_ferry_plans_clusters_less_what_go_already_has() {
    let workspace = demo_with_ledger();
    let document = json(&workspace, &[]);
    let plan = assert_cmd::Command::cargo_bin("ferry")
        .unwrap()
        .arg("--root")
        .arg(workspace.root())
        .args(["plan", "--json"])
        .output()
        .unwrap();
    assert!(plan.status.success());
    let plan: Value = serde_json::from_slice(&plan.stdout).unwrap();
    let expected: Vec<Value> = plan["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            serde_json::json!({
                "position": c["position"],
                "fields": c["fields"],
                "lines": c["lines"],
                "lines_left": c["lines"].as_u64().unwrap() - c["ported_lines"].as_u64().unwrap(),
                "reason": c["reason"],
            })
        })
        .collect();
    let effort = &document["effort"];
    assert_eq!(effort["clusters"], Value::Array(expected.clone()));
    assert_eq!(
        effort["lines_left"],
        expected
            .iter()
            .map(|c| c["lines_left"].as_u64().unwrap())
            .sum::<u64>()
    );
    // Some cluster reaches code a field already on Go reaches too, so
    // left to port is less than what its fields reach.
    assert!(
        expected
            .iter()
            .any(|c| c["lines_left"].as_u64() < c["lines"].as_u64()),
        "{expected:?}"
    );
    // The demo's plan covers every field Python still serves, so the
    // effort's fields are exactly those the stages table counts as Python's.
    let unported: u64 = document["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            ["python", "manual", "side-by-side", "canary"]
                .iter()
                .map(|stage| s["by_stage"][stage].as_u64().unwrap_or(0))
                .sum::<u64>()
        })
        .sum();
    assert!(effort["fields_left"].as_u64().unwrap() >= unported);
}
