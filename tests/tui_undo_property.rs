//! Property: whatever keys are pressed in the TUI, undoing every change it
//! wrote gives back the demo workspace byte for byte; redoing them all
//! gives back what the keys wrote, and undoing again the demo.

mod common;

use common::{Workspace, assert_same_files};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ferry::tui::app::{App, Mode};
use ferry::workspace::Overrides;
use proptest::prelude::*;

/// Keys worth pressing: moves, folds, selection, every action, the dialogs'
/// answers, a few letters for prompts and filters.
const KEYS: &[KeyCode] = &[
    KeyCode::Char('j'),
    KeyCode::Char('j'),
    KeyCode::Char('j'),
    KeyCode::Char('k'),
    KeyCode::PageDown,
    KeyCode::Char('G'),
    KeyCode::Home,
    KeyCode::Char('<'),
    KeyCode::Char('>'),
    KeyCode::Char('z'),
    KeyCode::Char('U'),
    KeyCode::Char('N'),
    KeyCode::Char('h'),
    KeyCode::Char('l'),
    KeyCode::Char(' '),
    KeyCode::Char('*'),
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Esc,
    KeyCode::Char('a'),
    KeyCode::Char('a'),
    KeyCode::Char('r'),
    KeyCode::Char('r'),
    KeyCode::Char('m'),
    KeyCode::Char('c'),
    KeyCode::Char('f'),
    KeyCode::Char('g'),
    KeyCode::Char('u'),
    KeyCode::Char('y'),
    KeyCode::Char('y'),
    KeyCode::Char('s'),
    KeyCode::Char('n'),
    KeyCode::Char('/'),
    KeyCode::Char('e'),
    KeyCode::Char('d'),
    KeyCode::Backspace,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn undoing_every_change_restores_the_workspace(
        in_flight in any::<bool>(),
        presses in proptest::collection::vec(0..KEYS.len(), 1..80)
    ) {
        let ws = Workspace::demo();
        let before = ws.files();
        let mut app = App::load(Overrides {
            root: Some(ws.root().to_path_buf()),
            ..Default::default()
        })
        .unwrap();
        app.resize(120, 40);
        if in_flight {
            // Start among the fields that can move (manual, migrated,
            // side-by-side, canary), where most keys write something.
            app.set_filter("stage:m stage:s stage:c");
        }
        for i in presses {
            app.on_key(KeyEvent::new(KEYS[i], KeyModifiers::NONE));
        }
        // Close whatever dialog is open, then undo everything.
        for _ in 0..3 {
            if !matches!(app.mode, Mode::List) {
                app.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            }
        }
        prop_assert!(matches!(app.mode, Mode::List), "{:?}", app.mode);
        let written = ws.files();
        let changes = app.undo.len();
        // What the keys themselves undid and did not redo stays below.
        let undone_by_the_keys = app.redo.len();
        while !app.undo.is_empty() {
            app.undo();
            let status = app.status.clone().unwrap();
            prop_assert!(status.text.starts_with("undid"), "{}", status.text);
        }
        assert_same_files(&before, &ws.files());
        prop_assert_eq!(app.redo.len(), undone_by_the_keys + changes);
        for _ in 0..changes {
            app.redo();
            let status = app.status.clone().unwrap();
            prop_assert!(status.text.starts_with("redid"), "{}", status.text);
        }
        assert_same_files(&written, &ws.files());
        while !app.undo.is_empty() {
            app.undo();
        }
        assert_same_files(&before, &ws.files());
    }
}
