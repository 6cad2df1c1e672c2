//! Driving the TUI's app by key presses in tests: no terminal, real files.
#![allow(dead_code)]

use crate::common::Workspace;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ferry::model::inventory::FieldCoordinate;
use ferry::model::stage::Stage;
use ferry::tui::app::{Action, App};
use ferry::tui::tree::Row;
use ferry::workspace::Overrides;

pub const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";
pub const PROGRESS: &str = "services/progress/graph/schema.graphqls";

pub fn open(ws: &Workspace) -> App {
    let mut app = App::load(Overrides {
        root: Some(ws.root().to_path_buf()),
        ..Default::default()
    })
    .unwrap();
    app.resize(80, 24);
    app
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Types each character as a key press.
pub fn typing(app: &mut App, text: &str) -> Action {
    let mut action = Action::Continue;
    for c in text.chars() {
        action = app.on_key(key(KeyCode::Char(c)));
    }
    action
}

pub fn press(app: &mut App, code: KeyCode) -> Action {
    app.on_key(key(code))
}

/// `/`, ctrl-u (clear what is there), TEXT, enter: the filter, as typed.
pub fn filter(app: &mut App, text: &str) {
    typing(app, "/");
    app.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    typing(app, text);
    press(app, KeyCode::Enter);
}

/// Filters down to one field and puts the cursor on it.
pub fn go_to(app: &mut App, field: &str) {
    filter(app, field);
    let row = app
        .rows
        .iter()
        .position(|r| matches!(r, Row::Field { index } if app.field_at(*index).coordinate.to_string() == field))
        .unwrap_or_else(|| panic!("{field} is not shown"));
    while app.cursor != row {
        let before = app.cursor;
        press(
            app,
            if app.cursor < row {
                KeyCode::Down
            } else {
                KeyCode::Up
            },
        );
        assert_ne!(before, app.cursor, "the cursor is stuck");
    }
    assert_eq!(app.current_field().unwrap().coordinate.to_string(), field);
}

pub fn stage(app: &App, field: &str) -> Stage {
    let (t, f) = field.split_once('.').unwrap();
    app.project
        .inventory
        .field(&FieldCoordinate::new(t, f))
        .unwrap()
        .stage
}

pub fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

pub fn shown_fields(app: &App) -> Vec<String> {
    app.rows
        .iter()
        .filter_map(|r| match r {
            Row::Field { index } => Some(app.field_at(*index).coordinate.to_string()),
            _ => None,
        })
        .collect()
}
