//! The porting plan in the TUI, driven by key presses on a copy of the
//! demo: computed only when asked for, shown in the detail pane, kept
//! across edits, and a filter by cluster.

mod common;
mod tui_support;

use common::Workspace;
use crossterm::event::KeyCode;
use ferry::model::stage::Stage;
use tui_support::*;

fn fact<'a>(app: &'a ferry::tui::app::App, label: &str) -> Option<&'a str> {
    app.detail
        .as_ref()
        .unwrap()
        .facts
        .iter()
        .find(|(l, _)| *l == label)
        .map(|(_, value)| value.as_str())
}

fn shown_fields(app: &ferry::tui::app::App) -> Vec<String> {
    app.rows
        .iter()
        .filter_map(|row| match row {
            ferry::tui::tree::Row::Field { index } => {
                Some(app.field_at(*index).coordinate.to_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn the_plan_waits_for_p_then_fills_the_detail_pane() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    app.resize(160, 48);
    go_to(&mut app, "Query.me");
    // Opening the TUI and moving around does not build the call graph.
    assert!(app.plan.is_none());
    assert!(
        fact(&app, "plan")
            .unwrap()
            .starts_with("press p for the porting plan")
    );
    typing(&mut app, "p");
    assert!(app.plan.is_some());
    assert!(status(&app).contains("porting plan:"), "{}", status(&app));
    assert_eq!(fact(&app, "plan"), None);
    let calls = fact(&app, "calls").unwrap();
    assert!(calls.contains("get_user (webapp/models.py:"), "{calls}");
    assert!(
        calls.contains("current_kaid (webapp/users/schema.py:"),
        "{calls}"
    );
    assert_eq!(
        fact(&app, "effort"),
        Some("8 lines (resolver 2, own helpers 0, shared 6)")
    );
    assert!(
        fact(&app, "cluster")
            .unwrap()
            .contains("uses the libraries get_user, current_kaid")
    );
    assert_eq!(fact(&app, "models"), Some("none recognised"));
    // A field Go serves has nothing to plan.
    go_to(&mut app, "Query.progressForUser");
    assert!(fact(&app, "plan").unwrap().starts_with("nothing to port"));
}

#[test]
fn c_shows_the_cursor_field_s_cluster_and_the_filter_computes_the_plan() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    go_to(&mut app, "Classroom.assignments");
    typing(&mut app, "C");
    assert!(
        app.filter.text.starts_with("cluster:"),
        "{}",
        app.filter.text
    );
    let mut shown = shown_fields(&app);
    shown.sort();
    assert_eq!(
        shown,
        ["Classroom.assignments", "Query.assignmentsForClassroom"]
    );
    // Typed by hand, `cluster:N` computes the plan when it is missing.
    let cluster = app.filter.text.clone();
    let mut fresh = open(&ws);
    assert!(fresh.plan.is_none());
    filter(&mut fresh, &cluster);
    assert!(fresh.plan.is_some());
    let mut shown = shown_fields(&fresh);
    shown.sort();
    assert_eq!(
        shown,
        ["Classroom.assignments", "Query.assignmentsForClassroom"]
    );
}

#[test]
fn an_edit_keeps_the_plan_and_plans_again() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    app.resize(160, 48);
    go_to(&mut app, "Progress.contentId");
    typing(&mut app, "p");
    let before = app.plan.as_ref().unwrap().report.fields.len();
    typing(&mut app, "m");
    press(&mut app, KeyCode::Enter);
    assert_eq!(stage(&app, "Progress.contentId"), Stage::Manual);
    // Still planned (manual is Python's), from the graph kept.
    let plan = app.plan.as_ref().expect("the plan survives an edit");
    assert_eq!(plan.report.fields.len(), before);
    let field = plan
        .report
        .fields
        .iter()
        .find(|f| f.field == "Progress.contentId")
        .unwrap();
    assert_eq!(field.stage, Stage::Manual);
    assert!(fact(&app, "cluster").is_some());
}
