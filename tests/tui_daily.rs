//! The TUI kept open all day: where the cursor goes after an edit, redo,
//! asking before quitting with changes to undo, jumping between matches,
//! the preview, the editor, the mouse, the message log and the panes.
//! Driven by key presses (and mouse events) on a copy of the demo.

mod common;
mod tui_support;

use common::{Workspace, assert_same_files};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ferry::model::stage::Stage;
use ferry::tui::app::{Action, Level, Mode};
use ferry::tui::detail::{DetailLine, SectionKind};
use ferry::tui::tree::Row;
use tui_support::*;

fn current(app: &ferry::tui::app::App) -> String {
    app.current_field()
        .map(|f| f.coordinate.to_string())
        .unwrap_or_default()
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> MouseEvent {
    MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }
}

#[test]
fn after_an_edit_the_cursor_stays_on_the_field() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.title");
    press(&mut app, KeyCode::Esc); // every field shown again
    assert_eq!(current(&app), "Assignment.title");
    typing(&mut app, "a");
    assert_eq!(stage(&app, "Assignment.title"), Stage::Migrated);
    assert_eq!(current(&app), "Assignment.title");
    typing(&mut app, "u");
    assert_eq!(current(&app), "Assignment.title");
}

#[test]
fn a_field_that_leaves_the_filter_gives_its_place_to_the_next_row() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let mut app = open(&ws);
    filter(&mut app, "stage:side-by-side stage:manual");
    assert_eq!(
        shown_fields(&app),
        [
            "Assignment.createdDate",
            "Assignment.title",
            "Query.assignment",
            "Progress.pointsEarned"
        ]
    );
    go_to_shown(&mut app, "Assignment.title");
    typing(&mut app, "a"); // side-by-side → migrated: no longer shown
    assert_eq!(stage(&app, "Assignment.title"), Stage::Migrated);
    assert!(!shown_fields(&app).contains(&"Assignment.title".to_string()));
    // The next field of the list, not the first one.
    assert_eq!(current(&app), "Query.assignment");
    // The last field shown leaves: the one before it takes the cursor.
    press(&mut app, KeyCode::End);
    assert_eq!(current(&app), "Progress.pointsEarned");
    typing(&mut app, "a");
    typing(&mut app, "y"); // forced: no Go resolver yet
    assert_eq!(stage(&app, "Progress.pointsEarned"), Stage::SideBySide);
    assert_eq!(
        current(&app),
        "Progress.pointsEarned",
        "still shown: it stays"
    );
}

/// Moves the cursor onto a field already shown, without touching the filter.
fn go_to_shown(app: &mut ferry::tui::app::App, field: &str) {
    while current(app) != field {
        let before = app.cursor;
        press(app, KeyCode::Down);
        assert_ne!(before, app.cursor, "{field} is not shown");
    }
}

#[test]
fn redo_writes_again_what_undo_took_back() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let before = ws.files();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.title");
    typing(&mut app, "a");
    let advanced = ws.files();
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
    assert!(
        status(&app).ends_with("U/ctrl-r redoes"),
        "{}",
        status(&app)
    );
    typing(&mut app, "U");
    assert_same_files(&advanced, &ws.files());
    assert!(status(&app).starts_with("redid advance: Assignment.title"));
    app.on_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    assert_eq!(status(&app), "nothing to redo");
    // A new change after an undo drops what could be redone.
    typing(&mut app, "u");
    assert_eq!(app.redo.len(), 1);
    typing(&mut app, "r");
    assert!(app.redo.is_empty());
    typing(&mut app, "uU");
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
}

#[test]
fn redo_refuses_over_a_hand_edit() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.title");
    typing(&mut app, "au");
    let edited = ws
        .read(ASSIGNMENTS)
        .replace("# Assignments subgraph", "# edited by hand");
    ws.write(ASSIGNMENTS, &edited);
    typing(&mut app, "U");
    assert!(status(&app).starts_with("cannot redo"), "{}", status(&app));
    assert_eq!(ws.read(ASSIGNMENTS), edited);
    assert_eq!(app.redo.len(), 1);
}

#[test]
fn quitting_with_changes_to_undo_asks_first() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.title");
    typing(&mut app, "a");
    assert_eq!(typing(&mut app, "q"), Action::Continue);
    assert!(matches!(app.mode, Mode::ConfirmQuit));
    typing(&mut app, "n");
    assert!(matches!(app.mode, Mode::List));
    // esc clears the filter, then asks.
    press(&mut app, KeyCode::Esc);
    assert_eq!(press(&mut app, KeyCode::Esc), Action::Continue);
    assert!(matches!(app.mode, Mode::ConfirmQuit));
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, Mode::List));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(app.on_key(ctrl_c), Action::Continue);
    assert_eq!(app.on_key(ctrl_c), Action::Quit);
    typing(&mut app, "n");
    assert_eq!(typing(&mut app, "qy"), Action::Quit);
    // Once everything is undone there is nothing to lose.
    typing(&mut app, "n");
    typing(&mut app, "u");
    assert_eq!(typing(&mut app, "q"), Action::Quit);
}

#[test]
fn n_and_shift_n_jump_between_the_fields_shown() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    filter(&mut app, "created");
    assert_eq!(current(&app), "Assignment.createdDate");
    typing(&mut app, "n");
    assert_eq!(current(&app), "Classroom.createdDate");
    typing(&mut app, "n");
    assert_eq!(current(&app), "Timestamped.createdDate");
    typing(&mut app, "n");
    assert_eq!(current(&app), "Assignment.createdDate");
    assert!(status(&app).contains("from the top"), "{}", status(&app));
    typing(&mut app, "N");
    assert_eq!(current(&app), "Timestamped.createdDate");
    assert!(status(&app).contains("from the bottom"));
    // From a group row, n goes to the group's first field.
    press(&mut app, KeyCode::Home);
    assert!(matches!(app.current_row(), Some(Row::Service { .. })));
    typing(&mut app, "n");
    assert_eq!(current(&app), "Assignment.createdDate");
    filter(&mut app, "nothing-matches-this");
    typing(&mut app, "n");
    assert_eq!(status(&app), "no field matches the filter");
}

#[test]
fn the_preview_shows_the_diff_and_writes_only_when_confirmed() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let before = ws.files();
    let mut app = open(&ws);
    typing(&mut app, "d");
    assert!(app.preview);
    go_to(&mut app, "Assignment.title");
    typing(&mut app, "a");
    let Mode::Preview { pending, .. } = &app.mode else {
        panic!("expected the preview, got {:?}", app.mode);
    };
    assert!(
        pending
            .diff
            .iter()
            .any(|l| l == &format!("--- a/{ASSIGNMENTS}"))
    );
    assert!(
        pending
            .diff
            .iter()
            .any(|l| l.starts_with('-') && l.contains("state: \"side-by-side\")")),
        "{:#?}",
        pending.diff
    );
    assert!(
        pending
            .diff
            .iter()
            .any(|l| l.starts_with('+') && l.contains("state: \"migrated\")"))
    );
    assert_same_files(&before, &ws.files());
    typing(&mut app, "n");
    assert!(matches!(app.mode, Mode::List));
    assert_same_files(&before, &ws.files());
    assert!(status(&app).starts_with("not written: advance"));
    assert!(app.undo.is_empty());
    typing(&mut app, "a");
    press(&mut app, KeyCode::Enter);
    assert_eq!(stage(&app, "Assignment.title"), Stage::Migrated);
    assert_eq!(app.undo.len(), 1);
    // Undo is not previewed: it puts back what was there.
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
    typing(&mut app, "d");
    assert!(!app.preview);
}

#[test]
fn e_opens_the_go_resolver_else_the_python_one() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.createdDate");
    let Action::OpenEditor(target) = typing(&mut app, "e") else {
        panic!("e did not ask for the editor");
    };
    assert_eq!(target.rel, "services/assignments/graph/schema.resolvers.go");
    assert_eq!(target.line, 17);
    assert_eq!(target.path, ws.path(&target.rel));
    // A field with no Go resolver yet: its Python resolver.
    go_to(&mut app, "Classroom.createdDate");
    let Action::OpenEditor(target) = typing(&mut app, "e") else {
        panic!("e did not ask for the editor");
    };
    assert_eq!(target.rel, "webapp/interfaces.py");
    assert_eq!(target.line, 13);
    // In the detail pane: the section at the top of the pane.
    go_to(&mut app, "Assignment.createdDate");
    press(&mut app, KeyCode::Enter);
    let columns = app.screen().detail_columns();
    let python = app
        .detail
        .as_ref()
        .unwrap()
        .text(columns)
        .iter()
        .position(|l| matches!(l, DetailLine::Heading(SectionKind::Python, _)))
        .unwrap();
    for _ in 0..python {
        typing(&mut app, "j");
    }
    let Action::OpenEditor(target) = typing(&mut app, "e") else {
        panic!("e did not ask for the editor");
    };
    assert_eq!(
        (target.rel.as_str(), target.line),
        ("webapp/assignments/types.py", 38)
    );
    // Back from the editor: the workspace is read again.
    app.editor_closed(&target, Ok(()));
    assert!(status(&app).starts_with("back from the editor (webapp/assignments/types.py:38)"));
    app.editor_closed(&target, Err("the editor `false` exited with 1".into()));
    assert_eq!(app.status.as_ref().unwrap().level, Level::Error);
    // A field without either resolver says so.
    press(&mut app, KeyCode::Esc);
    go_to(&mut app, "Timestamped.createdDate");
    assert_eq!(typing(&mut app, "e"), Action::Continue);
    assert!(
        status(&app).contains("has no Python or Go resolver"),
        "{}",
        status(&app)
    );
}

#[test]
fn the_mouse_puts_the_cursor_on_a_row_and_scrolls() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    let list = app.screen().list;
    // The first row inside the border is row 0 of the list.
    let first_row = list.y + 1;
    app.on_mouse(mouse(
        MouseEventKind::Down(MouseButton::Left),
        5,
        first_row + 3,
    ));
    assert_eq!(app.cursor, 3);
    app.on_mouse(mouse(MouseEventKind::ScrollDown, 5, first_row));
    assert_eq!(app.offset, 3);
    assert!(app.cursor >= app.offset);
    app.on_mouse(mouse(MouseEventKind::ScrollUp, 5, first_row));
    assert_eq!(app.offset, 0);
    // Clicking the service row twice folds it.
    let rows = app.rows.len();
    app.on_mouse(mouse(MouseEventKind::Down(MouseButton::Left), 5, first_row));
    assert_eq!(app.cursor, 0);
    app.on_mouse(mouse(MouseEventKind::Down(MouseButton::Left), 5, first_row));
    assert!(app.rows.len() < rows);
    // Beside the list, a click gives the detail pane the focus and the
    // wheel scrolls it.
    app.resize(160, 24);
    app.on_mouse(mouse(
        MouseEventKind::Down(MouseButton::Left),
        5,
        first_row + 3,
    ));
    assert!(app.current_field().is_some(), "{:?}", app.current_row());
    let detail = app.screen().detail.unwrap();
    app.on_mouse(mouse(
        MouseEventKind::Down(MouseButton::Left),
        detail.x + 3,
        detail.y + 3,
    ));
    assert!(matches!(app.mode, Mode::Detail));
    app.on_mouse(mouse(
        MouseEventKind::ScrollDown,
        detail.x + 3,
        detail.y + 3,
    ));
    assert_eq!(app.detail_scroll, 3);
}

#[test]
fn every_message_of_the_session_stays_in_the_log() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    go_to(&mut app, "Assignment.createdDate");
    typing(&mut app, "a");
    typing(&mut app, "y");
    let forced = status(&app);
    assert!(
        forced.contains("FORCED Assignment.createdDate: "),
        "{forced}"
    );
    // The next key clears the status line; the log keeps the message whole.
    typing(&mut app, "j");
    assert!(app.status.is_none());
    let texts: Vec<&str> = app.log.iter().map(|m| m.text.as_str()).collect();
    assert!(texts.contains(&forced.as_str()), "{texts:#?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("1 refused: nothing was written"))
    );
    typing(&mut app, "L");
    assert!(matches!(app.mode, Mode::Log { from_end: 0 }));
    let lines = app.log_lines(60);
    assert!(lines.iter().all(|(_, l)| l.chars().count() <= 60));
    let joined: String = lines
        .iter()
        .map(|(_, l)| l.trim().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(joined.contains("changed on disk") || joined.contains("FORCED"));
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, Mode::List));
}

#[test]
fn the_panes_resize_and_zoom() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    app.resize(160, 48);
    assert_eq!(app.screen().list.width, 88);
    typing(&mut app, ">");
    assert_eq!(app.screen().list.width, 96);
    typing(&mut app, "<<<");
    assert_eq!(app.screen().list.width, 72);
    assert_eq!(app.screen().detail.unwrap().width, 88);
    for _ in 0..20 {
        typing(&mut app, "<");
    }
    assert_eq!(app.list_percent, 25);
    // Zoom: the list alone, then the detail pane alone.
    typing(&mut app, "z");
    assert_eq!(app.screen().list.width, 160);
    assert!(app.screen().detail.is_none());
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Detail));
    assert_eq!(app.screen().detail.unwrap().width, 160);
    typing(&mut app, "z");
    assert!(app.screen().split);
    // On a narrow terminal there is nothing to size.
    press(&mut app, KeyCode::Tab);
    app.resize(80, 24);
    typing(&mut app, ">");
    assert!(
        status(&app).contains("from 120 columns"),
        "{}",
        status(&app)
    );
}

#[test]
fn the_detail_pane_scrolls_sideways_instead_of_wrapping_code() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    app.resize(160, 48);
    go_to(&mut app, "Assignment.createdDate");
    press(&mut app, KeyCode::Enter);
    let columns = app.screen().detail_columns();
    let widest = app.detail.as_ref().unwrap().width(columns);
    assert!(widest > columns, "the Go signature is wider than the pane");
    typing(&mut app, "l");
    assert_eq!(app.detail_hscroll, 8);
    for _ in 0..50 {
        press(&mut app, KeyCode::Right);
    }
    assert_eq!(app.detail_hscroll as usize, widest - columns);
    typing(&mut app, "hh");
    assert_eq!(app.detail_hscroll as usize, widest - columns - 16);
    // Another field starts at the left edge again.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Esc); // the filter: every field again
    typing(&mut app, "j");
    assert_ne!(current(&app), "Assignment.createdDate");
    assert_eq!(app.detail_hscroll, 0);
}

#[test]
fn the_preview_holds_marks_and_generated_go_too() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    typing(&mut app, "d");
    go_to(&mut app, "Assignment.dueAt");
    typing(&mut app, "m");
    press(&mut app, KeyCode::Enter); // into assignments
    assert!(matches!(app.mode, Mode::Preview { .. }), "{:?}", app.mode);
    assert_same_files(&before, &ws.files());
    typing(&mut app, "y");
    assert_eq!(stage(&app, "Assignment.dueAt"), Stage::Manual);
    let marked = ws.files();
    typing(&mut app, "g");
    let Mode::Preview { pending, .. } = &app.mode else {
        panic!("expected the preview, got {:?}", app.mode);
    };
    assert!(
        pending
            .diff
            .iter()
            .any(|l| l.starts_with("+func (r *assignmentResolver) DueAt(")),
        "{:#?}",
        pending.diff
    );
    assert_same_files(&marked, &ws.files());
    typing(&mut app, "y");
    assert!(
        status(&app).starts_with("gen go: 1 field · wrote services/assignments/graph/"),
        "{}",
        status(&app)
    );
    typing(&mut app, "uu");
    assert_same_files(&before, &ws.files());
}

#[test]
fn finish_deleting_python_always_shows_its_diff_first_and_undo_puts_it_back() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    assert!(!app.preview);
    go_to(&mut app, "Query.progressForUser");
    typing(&mut app, "F");
    let Mode::Preview { pending, .. } = &app.mode else {
        panic!("expected the preview, got {:?}", app.mode);
    };
    assert!(
        pending
            .diff
            .iter()
            .any(|l| l.starts_with('-') && l.contains("def resolve_progress_for_user")),
        "{:#?}",
        pending.diff
    );
    assert_same_files(&before, &ws.files());
    press(&mut app, KeyCode::Enter);
    assert_eq!(stage(&app, "Query.progressForUser"), Stage::Done);
    let python = ws.read("webapp/progress/schema.py");
    assert!(!python.contains("resolve_progress_for_user"));
    assert!(python.contains("class ProgressQueries:\n    pass\n"));
    typing(&mut app, "u");
    assert_same_files(&before, &ws.files());
}
