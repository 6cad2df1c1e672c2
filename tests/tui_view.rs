//! What the TUI draws, rendered into ratatui's TestBackend at 80×24 (the
//! smallest terminal it is made for) and 160×48, as insta snapshots.

mod common;

use common::Workspace;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ferry::tui::app::App;
use ferry::tui::view;
use ferry::workspace::Overrides;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn open(ws: &Workspace) -> App {
    App::load(Overrides {
        root: Some(ws.root().to_path_buf()),
        ..Default::default()
    })
    .unwrap()
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

fn draw(app: &mut App, width: u16, height: u16) -> String {
    app.resize(width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::render(frame, app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn the_checklist_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn the_checklist_with_the_detail_pane_at_160x48() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/createdDate\n");
    insta::assert_snapshot!(draw(&mut app, 160, 48));
}

#[test]
fn the_detail_pane_covers_the_list_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/Assignment.createdDate\n\n");
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn help_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "?");
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn help_at_160x48() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "?");
    insta::assert_snapshot!(draw(&mut app, 160, 48));
}

#[test]
fn a_refusal_offers_force_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/stage:manual stage:side-by-side\n*a");
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn choosing_the_service_to_mark_into_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/Progress.contentId\nm");
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn the_canary_color_prompt_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/pointsEarned\ncblu");
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn typing_a_filter_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/stage:ma");
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn the_status_line_says_what_was_written_at_160x48() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/title\na");
    insta::assert_snapshot!(draw(&mut app, 160, 48));
}

#[test]
fn a_selection_and_folded_groups_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "<\n"); // fold the first service
    keys(&mut app, "jjj "); // select Mutation.recordProgress
    keys(&mut app, "jjj "); // and Progress.id
    keys(&mut app, "kkkkh"); // fold the Progress type
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn a_terminal_too_small_says_so() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    insta::assert_snapshot!(draw(&mut app, 30, 8));
}

#[test]
fn resizing_keeps_the_cursor_on_screen() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "G");
    draw(&mut app, 160, 48);
    let small = draw(&mut app, 80, 24);
    assert!(app.cursor >= app.offset && app.cursor < app.offset + app.screen().list_rows());
    assert!(small.contains('›'), "{small}");
}

#[test]
fn docs_tui_md_lists_every_key_of_the_table() {
    let doc = std::fs::read_to_string(common::repo().join("docs/tui.md")).unwrap();
    for binding in ferry::tui::keys::BINDINGS {
        let keys = format!("`{}`", binding.key_names());
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| {keys}")) && l.contains(binding.help))
            .unwrap_or_else(|| panic!("docs/tui.md has no row `| {keys} … | {}`", binding.help));
        assert!(row.ends_with(" |"), "{row}");
    }
}
