//! The TUI's state driven by key presses, on a temporary copy of the demo
//! workspace: no terminal, real files.

mod common;
mod tui_support;

use common::{Workspace, assert_same_files};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ferry::migration::refusal::Reason;
use ferry::model::inventory::FieldCoordinate;
use ferry::model::stage::Stage;
use ferry::tui::app::{Action, Level, Mode};
use ferry::tui::tree::{Row, UNPLANNED};
use tui_support::*;

#[test]
fn fields_are_grouped_by_service_then_type() {
    let ws = Workspace::demo();
    let app = open(&ws);
    let groups: Vec<&str> = app.tree.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(groups, ["assignments", "progress", UNPLANNED]);
    assert!(matches!(app.rows[0], Row::Service { group: 0, .. }));
    assert!(matches!(app.rows[1], Row::Type { group: 0, .. }));
    // The cursor starts on the first field.
    assert_eq!(
        app.current_field().unwrap().coordinate.to_string(),
        "Assignment.assignedBy"
    );
    // Python fields go under the service whose `owns` plans them.
    let assignments = &app.tree.services[0];
    let types: Vec<&str> = assignments.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(types, ["Assignment", "Mutation", "Query"]);
    let types: usize = app.tree.services.iter().map(|s| s.types.len()).sum();
    assert_eq!(types, 18);
    assert_eq!(
        app.rows.len(),
        app.project.inventory.fields.len() + 3 + types
    );
}

#[test]
fn arrows_vim_keys_pages_top_and_bottom_move_the_cursor() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    let start = app.cursor;
    press(&mut app, KeyCode::Down);
    typing(&mut app, "j");
    assert_eq!(app.cursor, start + 2);
    typing(&mut app, "k");
    press(&mut app, KeyCode::Up);
    assert_eq!(app.cursor, start);
    let page = app.screen().list_rows();
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.cursor, start + page);
    assert!(app.offset > 0 && app.cursor < app.offset + page);
    app.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    assert_eq!(app.cursor, start);
    typing(&mut app, "G");
    assert_eq!(app.cursor, app.rows.len() - 1);
    assert_eq!(app.offset, app.rows.len() - page);
    press(&mut app, KeyCode::Home);
    assert_eq!((app.cursor, app.offset), (0, 0));
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.cursor, 0);
    // Past the ends, the cursor stays.
    press(&mut app, KeyCode::Up);
    assert_eq!(app.cursor, 0);
}

#[test]
fn groups_fold_and_unfold() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    let all = app.rows.len();
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Enter); // on the service row: fold
    assert_eq!(app.rows.len(), all - 17);
    press(&mut app, KeyCode::Right);
    assert_eq!(app.rows.len(), all);
    // h on a field goes to its type; h again folds the type.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    typing(&mut app, "h");
    assert!(matches!(app.current_row(), Some(Row::Type { .. })));
    typing(&mut app, "h");
    assert_eq!(app.rows.len(), all - 11);
    typing(&mut app, "l");
    assert_eq!(app.rows.len(), all);
}

#[test]
fn the_filter_matches_text_stage_service_and_kind() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    filter(&mut app, "created");
    assert_eq!(
        shown_fields(&app),
        [
            "Assignment.createdDate",
            "Classroom.createdDate",
            "Timestamped.createdDate"
        ]
    );
    press(&mut app, KeyCode::Esc); // clears the filter
    filter(&mut app, "stage:manual");
    assert_eq!(
        shown_fields(&app),
        ["Assignment.createdDate", "Progress.pointsEarned"]
    );
    press(&mut app, KeyCode::Esc);
    filter(&mut app, "service:progress stage:canary stage:migrated");
    assert_eq!(
        shown_fields(&app),
        ["Progress.status", "Query.progressForUser"]
    );
    press(&mut app, KeyCode::Esc);
    filter(&mut app, "kind:mut");
    assert_eq!(shown_fields(&app).len(), 3);
    // Esc while typing restores the filter that was there.
    typing(&mut app, "/xyz");
    assert!(shown_fields(&app).is_empty());
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.filter.text, "kind:mut");
    assert_eq!(shown_fields(&app).len(), 3);
}

#[test]
fn space_selects_and_star_selects_every_shown_field() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    typing(&mut app, " ");
    typing(&mut app, " ");
    assert_eq!(app.selected.len(), 2);
    // Space on a selected field deselects it.
    press(&mut app, KeyCode::Up);
    typing(&mut app, " ");
    assert_eq!(app.selected.len(), 1);
    press(&mut app, KeyCode::Esc);
    assert!(app.selected.is_empty());
    filter(&mut app, "stage:python");
    typing(&mut app, "*");
    assert_eq!(app.selected.len(), 38);
    typing(&mut app, "*");
    assert!(app.selected.is_empty());
    // Space on a type row selects its shown fields.
    press(&mut app, KeyCode::Esc);
    filter(&mut app, "stage:manual");
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Down);
    typing(&mut app, " ");
    assert_eq!(app.selected.len(), 1);
}

#[test]
fn esc_clears_then_quits_and_q_quits() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    typing(&mut app, " ");
    assert_eq!(press(&mut app, KeyCode::Esc), Action::Continue);
    assert_eq!(press(&mut app, KeyCode::Esc), Action::Quit);
    assert_eq!(typing(&mut app, "q"), Action::Quit);
}

#[test]
fn advance_writes_the_schema_and_undo_restores_the_bytes() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.title");
    typing(&mut app, "a");
    assert!(
        ws.read(ASSIGNMENTS)
            .contains("title: String! @migrate(from: \"python\", state: \"migrated\")")
    );
    assert_eq!(stage(&app, "Assignment.title"), Stage::Migrated);
    assert_eq!(
        status(&app),
        format!(
            "advance: Assignment.title side-by-side → migrated · wrote {ASSIGNMENTS} · u undoes"
        )
    );
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
    assert_eq!(stage(&app, "Assignment.title"), Stage::SideBySide);
    assert!(status(&app).starts_with("undid advance: Assignment.title"));
    typing(&mut app, "u");
    assert_eq!(status(&app), "nothing to undo");
}

#[test]
fn a_guard_refusal_writes_nothing_until_forced() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.createdDate");
    typing(&mut app, "a");
    let Mode::Refused { refusals, .. } = &app.mode else {
        panic!("expected the refusal dialog, got {:?}", app.mode);
    };
    assert!(
        refusals[0]
            .reason
            .to_string()
            .contains("Go resolver is still a stub")
    );
    assert!(refusals[0].overridable());
    assert_same_files(&before, &ws.files());
    typing(&mut app, "n");
    assert!(matches!(app.mode, Mode::List));
    assert_same_files(&before, &ws.files());

    typing(&mut app, "a");
    typing(&mut app, "y");
    assert!(matches!(app.mode, Mode::List));
    assert_eq!(stage(&app, "Assignment.createdDate"), Stage::SideBySide);
    let message = app.status.clone().unwrap();
    assert_eq!(message.level, Level::Warning);
    assert!(message.text.contains("FORCED"), "{}", message.text);
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
}

#[test]
fn a_hard_refusal_cannot_be_forced() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.createdDate");
    typing(&mut app, "f"); // finish from manual
    let Mode::Refused { refusals, .. } = &app.mode else {
        panic!("expected the refusal dialog");
    };
    assert!(!refusals[0].overridable());
    typing(&mut app, "y");
    assert!(matches!(app.mode, Mode::Refused { .. }));
    press(&mut app, KeyCode::Esc);
    assert_same_files(&before, &ws.files());
    assert_eq!(stage(&app, "Assignment.createdDate"), Stage::Manual);
}

#[test]
fn a_batch_with_a_refused_field_can_skip_it() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title", "Query.assignment"]);
    let mut app = open(&ws);
    filter(
        &mut app,
        "stage:side-by-side stage:manual service:assignments",
    );
    typing(&mut app, "*");
    assert_eq!(app.selected.len(), 3);
    typing(&mut app, "a");
    let Mode::Refused { refusals, .. } = &app.mode else {
        panic!("expected the refusal dialog");
    };
    assert_eq!(refusals.len(), 1); // createdDate: no Go resolver
    typing(&mut app, "s");
    assert_eq!(stage(&app, "Assignment.title"), Stage::Migrated);
    assert_eq!(stage(&app, "Query.assignment"), Stage::Migrated);
    assert_eq!(stage(&app, "Assignment.createdDate"), Stage::Manual);
    assert!(status(&app).contains("skipped 1"));
    assert!(app.selected.is_empty());
}

#[test]
fn rollback_and_finish_edit_the_directive() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.title");
    typing(&mut app, "r");
    assert!(
        ws.read(ASSIGNMENTS)
            .contains("title: String! @migrate(from: \"python\", state: \"manual\")")
    );
    go_to(&mut app, "Assignment.dueDate");
    typing(&mut app, "f");
    assert!(ws.read(ASSIGNMENTS).contains("  dueDate: Time\n"));
    assert_eq!(stage(&app, "Assignment.dueDate"), Stage::Done);
    assert_eq!(app.undo.len(), 2);
    typing(&mut app, "uu");
    assert_same_files(&before, &ws.files());
}

#[test]
fn mark_asks_for_the_service_and_starts_on_the_planned_one() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Progress.contentId");
    typing(&mut app, "m");
    let Mode::ChooseService {
        choices, cursor, ..
    } = &app.mode
    else {
        panic!("expected the service list");
    };
    assert_eq!(choices, &["assignments", "progress"]);
    assert_eq!(*cursor, 1);
    press(&mut app, KeyCode::Enter);
    assert_eq!(stage(&app, "Progress.contentId"), Stage::Manual);
    assert!(
        ws.read(PROGRESS).contains(
            "contentId: String! @shareable @migrate(from: \"python\", state: \"manual\")"
        ),
        "{}",
        ws.read(PROGRESS)
    );
    assert!(status(&app).contains(&format!("wrote {PROGRESS}")));
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
}

#[test]
fn mark_a_field_that_needs_types_copied_then_undo() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.stats");
    typing(&mut app, "m");
    press(&mut app, KeyCode::Enter);
    assert_eq!(stage(&app, "Assignment.stats"), Stage::Manual);
    assert!(ws.read(ASSIGNMENTS).contains("type AssignmentStats"));
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
}

#[test]
fn canary_asks_for_a_color() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Progress.pointsEarned");
    typing(&mut app, "c");
    assert!(matches!(app.mode, Mode::ChooseColor { .. }));
    typing(&mut app, "greeen");
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    typing(&mut app, "n");
    press(&mut app, KeyCode::Enter);
    // No Go resolver yet: the guard refuses, forcing goes through.
    assert!(matches!(app.mode, Mode::Refused { .. }));
    typing(&mut app, "y");
    assert!(ws.read(PROGRESS).contains(
        "pointsEarned: Int @shareable @migrate(from: \"python\", state: \"canary\", color: \"green\")"
    ));
    assert_eq!(stage(&app, "Progress.pointsEarned"), Stage::Canary);
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
}

#[test]
fn canary_on_a_python_field_marks_it_into_a_service() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Mutation.recordProgress");
    typing(&mut app, "c");
    let Mode::ChooseService { canary, cursor, .. } = &app.mode else {
        panic!("expected the service list, got {:?}", app.mode);
    };
    assert!(*canary);
    assert_eq!(*cursor, 1);
    press(&mut app, KeyCode::Enter);
    typing(&mut app, "red");
    press(&mut app, KeyCode::Enter);
    typing(&mut app, "y");
    assert_eq!(stage(&app, "Mutation.recordProgress"), Stage::Canary);
    assert!(
        ws.read(PROGRESS)
            .contains("@migrate(from: \"python\", state: \"canary\", color: \"red\")")
    );
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
}

#[test]
fn g_writes_the_go_skeleton_of_a_marked_field_and_undo_removes_it() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    app.resize(160, 48); // the detail pane beside the list
    go_to(&mut app, "Assignment.dueAt");
    typing(&mut app, "m");
    press(&mut app, KeyCode::Enter);
    let marked = ws.files();
    // The detail pane shows what `g` would write.
    let detail = app.detail.clone().unwrap();
    let go = detail.sections.last().unwrap();
    assert_eq!(go.heading, "go: no resolver yet; `g` would write");
    assert!(
        go.body
            .iter()
            .any(|l| l.starts_with("+func (r *assignmentResolver) DueAt(")),
        "{:#?}",
        go.body
    );
    typing(&mut app, "g");
    assert!(
        status(&app).starts_with("gen go: 1 field · wrote services/assignments/graph/"),
        "{}",
        status(&app)
    );
    let go_file = ws.read("services/assignments/graph/schema.resolvers.go");
    assert!(
        go_file.contains("func (r *assignmentResolver) DueAt("),
        "{go_file}"
    );
    let field = app
        .project
        .inventory
        .field(&FieldCoordinate::new("Assignment", "dueAt"))
        .unwrap();
    assert_eq!(
        field.go.as_ref().map(|g| g.status),
        Some(ferry::model::inventory::GoStatus::Stub)
    );
    // Again: the resolver is there now.
    typing(&mut app, "g");
    assert!(
        status(&app).starts_with("gen go: nothing to generate"),
        "{}",
        status(&app)
    );
    typing(&mut app, "u");
    assert_same_files(&marked, &ws.files());
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
}

#[test]
fn g_on_a_python_field_says_to_mark_it_first() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.stats");
    typing(&mut app, "g");
    let Mode::Refused { refusals, .. } = &app.mode else {
        panic!("expected the refusal dialog, got {:?}", app.mode);
    };
    assert_eq!(refusals.len(), 1);
    assert!(!refusals[0].overridable());
    assert_eq!(refusals[0].reason, Reason::NotInAService);
    assert!(
        refusals[0]
            .reason
            .to_string()
            .contains("mark it into one first (`ferry mark … --into SERVICE`)")
    );
    // Nothing else to generate: neither force nor skip applies.
    typing(&mut app, "ys");
    assert!(matches!(app.mode, Mode::Refused { .. }));
    typing(&mut app, "n");
    assert!(matches!(app.mode, Mode::List));
    assert_same_files(&before, &ws.files());
}

#[test]
fn g_on_a_selection_with_a_python_field_skips_it_on_s() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.dueAt");
    typing(&mut app, "m");
    press(&mut app, KeyCode::Enter);
    let marked = ws.files();
    press(&mut app, KeyCode::Esc);
    filter(&mut app, "Assignment.");
    go_to(&mut app, "Assignment.dueAt");
    typing(&mut app, " ");
    go_to(&mut app, "Assignment.stats");
    typing(&mut app, " ");
    assert_eq!(app.selected.len(), 2);
    typing(&mut app, "g");
    let Mode::Refused {
        refusals, request, ..
    } = &app.mode
    else {
        panic!("expected the refusal dialog, got {:?}", app.mode);
    };
    assert_eq!(request.fields().len(), 2);
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].field, "Assignment.stats");
    assert_same_files(&marked, &ws.files());
    typing(&mut app, "s");
    assert!(matches!(app.mode, Mode::List), "{:?}", app.mode);
    assert!(
        status(&app).starts_with("gen go: 1 field · wrote services/assignments/graph/"),
        "{}",
        status(&app)
    );
    assert!(status(&app).contains("skipped 1 not in a service"));
    assert!(
        ws.read("services/assignments/graph/schema.resolvers.go")
            .contains("func (r *assignmentResolver) DueAt(")
    );
    typing(&mut app, "uu");
    assert_same_files(&before, &ws.files());
}

#[test]
fn a_file_changed_on_disk_is_reloaded_and_never_overwritten() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.title");
    // Someone edits the file while the TUI is open.
    let edited = ws.read(ASSIGNMENTS).replace(
        "# Assignments subgraph",
        "# Assignments subgraph, edited by hand",
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    ws.write(ASSIGNMENTS, &edited);
    assert!(app.check_disk());
    assert!(status(&app).contains("changed on disk: reloaded"));
    typing(&mut app, "a");
    let text = ws.read(ASSIGNMENTS);
    assert!(text.contains("edited by hand"));
    assert!(text.contains("title: String! @migrate(from: \"python\", state: \"migrated\")"));

    // Undo refuses to write over a later hand edit, and stays available.
    let hand_edited = text.replace("edited by hand", "edited again");
    ws.write(ASSIGNMENTS, &hand_edited);
    typing(&mut app, "u");
    assert_eq!(ws.read(ASSIGNMENTS), hand_edited);
    assert!(status(&app).contains("changed on disk"), "{}", status(&app));
    assert_eq!(app.undo.len(), 1);
}

#[test]
fn an_edit_planned_before_a_disk_change_reloads_first() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.title");
    // A hand edit that moved the field on already.
    let edited = ws.read(ASSIGNMENTS).replace(
        "title: String! @migrate(from: \"python\", state: \"side-by-side\")",
        "title: String! @migrate(from: \"python\", state: \"migrated\")",
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    ws.write(ASSIGNMENTS, &edited);
    typing(&mut app, "a"); // the app sees the change before planning
    assert!(matches!(app.mode, Mode::Refused { .. }));
    assert_eq!(ws.read(ASSIGNMENTS), edited);
}

#[test]
fn enter_opens_the_detail_pane_with_the_schema_text() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.createdDate");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Detail));
    let detail = app.detail.clone().unwrap();
    let schema: Vec<&str> = detail
        .sections
        .iter()
        .flat_map(|s| s.body.iter().map(String::as_str))
        .collect();
    assert!(schema.contains(&"  createdDate: Time @migrate(from: \"python\", state: \"manual\")"));
    assert!(
        detail
            .sections
            .iter()
            .any(|s| s.heading.starts_with("monolith: webapp/schema.graphql:"))
    );
    assert!(detail.sections.iter().any(|s| {
        s.heading
            .starts_with("assignments: services/assignments/graph/schema.graphqls:")
    }));
    typing(&mut app, "jj");
    assert_eq!(app.detail_scroll, 2);
    typing(&mut app, "k");
    assert_eq!(app.detail_scroll, 1);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::List));
    // Another field's detail starts from the top.
    go_to(&mut app, "Assignment.title");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.detail.as_ref().unwrap().coordinate.to_string(),
        "Assignment.title"
    );
    assert_eq!(app.detail_scroll, 0);
    // Beside the list (from 120 columns) it follows the cursor.
    press(&mut app, KeyCode::Enter);
    app.resize(160, 48);
    go_to(&mut app, "Assignment.dueDate");
    assert_eq!(
        app.detail.as_ref().unwrap().coordinate.to_string(),
        "Assignment.dueDate"
    );
}

#[test]
fn question_mark_opens_help_and_esc_closes_it() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    typing(&mut app, "?");
    assert!(matches!(app.mode, Mode::Help { .. }));
    typing(&mut app, "j");
    assert!(matches!(app.mode, Mode::Help { scroll: 1 }));
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, Mode::List));
}

#[test]
fn actions_on_nothing_say_so() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    press(&mut app, KeyCode::Home); // a service row
    typing(&mut app, "a");
    assert!(status(&app).contains("move to a field"));
    assert!(matches!(app.mode, Mode::List));
}
