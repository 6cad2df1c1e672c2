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
            '^' => KeyCode::Home,
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
fn the_detail_pane_shows_the_plan_at_160x48() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/Mutation.createAssignment\np");
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
    ws.clean_evidence(&["Assignment.title"]);
    let mut app = open(&ws);
    keys(&mut app, "/title\na");
    insta::assert_snapshot!(draw(&mut app, 160, 48));
}

#[test]
fn a_selection_and_folded_groups_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "^\n"); // fold the first service
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

/// The list's rows on screen: the lines between its top and bottom border.
fn list_rows(screen: &str, width: usize) -> Vec<String> {
    screen
        .lines()
        .map(|l| l.trim_matches('"').chars().take(width).collect::<String>())
        .skip_while(|l| !l.starts_with('┌'))
        .skip(1)
        .take_while(|l| !l.starts_with('└'))
        .collect()
}

#[test]
fn the_checklist_at_120x40_cuts_no_name() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    let screen = draw(&mut app, 120, 40);
    let list_width = app.screen().list.width as usize;
    let rows = list_rows(&screen, list_width);
    assert!(
        rows.iter().any(|r| r.contains("gradingRubricUrl")),
        "{screen}"
    );
    assert!(rows.iter().all(|r| !r.contains('…')), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_wide_zoomed_list_has_every_column_at_200x30() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "z");
    let screen = draw(&mut app, 200, 30);
    assert!(
        screen.contains("webapp/assignments/types.py:38"),
        "{screen}"
    );
    assert!(!screen.contains('…'), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_detail_pane_scrolled_sideways_at_160x48() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/Assignment.createdDate\n\nllll");
    insta::assert_snapshot!(draw(&mut app, 160, 48));
}

#[test]
fn the_preview_of_an_edit_at_80x24() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let mut app = open(&ws);
    keys(&mut app, "d/Assignment.title\na");
    insta::assert_snapshot!(without_ledger_time(&draw(&mut app, 80, 24)));
}

/// The screen with the ledger line's time (`"time":"…Z"`) blanked: it is now.
fn without_ledger_time(screen: &str) -> String {
    let Some(at) = screen.find("{\"time\":\"") else {
        return screen.to_string();
    };
    let start = at + "{\"time\":\"".len();
    let len = "2025-01-01T00:00:00Z".len();
    format!(
        "{}{}{}",
        &screen[..start],
        "T".repeat(len),
        &screen[start + len..]
    )
}

#[test]
fn a_forced_edit_s_status_line_wraps_whole_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/Assignment.createdDate\nay");
    let screen = draw(&mut app, 80, 24);
    assert!(
        screen.contains("FORCED Assignment.createdDate:"),
        "{screen}"
    );
    // Longer than three lines: the end says where the rest is.
    assert!(screen.contains("(L shows all)"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_message_log_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/Assignment.createdDate\nayjL");
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn quitting_with_changes_to_undo_asks_at_80x24() {
    let ws = Workspace::demo();
    ws.clean_evidence(&["Assignment.title"]);
    let mut app = open(&ws);
    keys(&mut app, "/Assignment.title\naq");
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn gen_go_refuses_a_python_field_at_80x24() {
    let ws = Workspace::demo();
    let mut app = open(&ws);
    keys(&mut app, "/Assignment.stats\ng");
    insta::assert_snapshot!(draw(&mut app, 80, 24));
}

#[test]
fn each_cell_s_measured_width_is_the_width_of_its_text() {
    use ferry::tui::cells;
    use ferry::tui::text::width;
    let ws = Workspace::demo();
    let app = open(&ws);
    for field in &app.project.inventory.fields {
        let measured = cells::widths(field);
        let name = &field.coordinate;
        assert_eq!(measured.name, width(&name.field_name), "{name}");
        assert_eq!(measured.stage, width(&cells::stage(field)), "{name}");
        assert_eq!(measured.service, width(cells::service(field)), "{name}");
        assert_eq!(measured.go, width(&cells::go(field)), "{name}");
        assert_eq!(measured.python, width(&cells::python(field)), "{name}");
    }
}
