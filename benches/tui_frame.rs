//! TUI responsiveness on a 55,000-field workspace (the schema benchmark's:
//! 5,000 types × 10 fields plus 5,000 root fields, 4,500 of them in a Go
//! service). Measures, in one run:
//!   startup   load the workspace, build the app, draw the first frame
//!   keys      key press → finished frame: `App::on_key` plus a full draw
//!             into a 160×48 TestBackend, per kind of key
//!   edit      roll one field back, then undo (50 times each): plan, write, reload only
//!             the files written, draw; and `R`, which reads everything
//!             again, for comparison
//! Run with `cargo bench --bench tui_frame`; `-- edits` loads once and
//! times the edits alone (no `R`), and `-- load` only loads: the runs to
//! give a profiler, whose difference is the edits' cost on every thread:
//!   valgrind --tool=callgrind target/release/deps/tui_frame-* edits

mod common;

use common::{cores, write_workspace};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ferry::tui::app::App;
use ferry::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Stats {
    min: Duration,
    median: Duration,
    p99: Duration,
    max: Duration,
}

fn stats(mut runs: Vec<Duration>) -> Stats {
    runs.sort();
    let at = |q: f64| runs[((runs.len() - 1) as f64 * q).round() as usize];
    Stats {
        min: runs[0],
        median: at(0.5),
        p99: at(0.99),
        max: *runs.last().unwrap(),
    }
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|frame| view::render(frame, app)).unwrap();
}

/// Presses each key in turn `rounds` times, timing update + frame.
fn keys(
    terminal: &mut Terminal<TestBackend>,
    app: &mut App,
    keys: &[KeyEvent],
    rounds: usize,
) -> Stats {
    let mut runs = Vec::new();
    for _ in 0..rounds {
        for key in keys {
            let start = Instant::now();
            app.on_key(*key);
            draw(terminal, app);
            runs.push(start.elapsed());
        }
    }
    stats(runs)
}

fn report(name: &str, s: &Stats) {
    println!(
        "  {name:<34} min {:8.3} ms   median {:8.3} ms   p99 {:8.3} ms   max {:8.3} ms",
        ms(s.min),
        ms(s.median),
        ms(s.p99),
        ms(s.max)
    );
}

fn main() {
    // As the `ferry` binary does.
    // SAFETY: first thing, on the only thread, before any tree-sitter call.
    unsafe { ferry::commands::allocator::set_up() };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let overrides = write_workspace(root, "owns = [\"T1*.*\"]\n");
    let cores = cores();
    let edits_alone = std::env::args().any(|a| a == "edits");
    let load_alone = std::env::args().any(|a| a == "load");

    let mut startups = Vec::new();
    let mut loaded = None;
    for _ in 0..if edits_alone || load_alone { 1 } else { 5 } {
        let start = Instant::now();
        let mut app = App::load(overrides.clone()).unwrap();
        app.resize(WIDTH, HEIGHT);
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        draw(&mut terminal, &app);
        startups.push(start.elapsed());
        loaded = Some((app, terminal));
    }
    let (mut app, mut terminal) = loaded.unwrap();
    println!(
        "tui_frame: {} fields, {} rows, {WIDTH}x{HEIGHT} frame; {cores} cores",
        app.project.inventory.fields.len(),
        app.rows.len()
    );
    report("startup to first frame", &stats(startups));
    if load_alone {
        return;
    }
    if edits_alone {
        edit(&mut terminal, &mut app);
        return;
    }

    let down = keys(&mut terminal, &mut app, &[key(KeyCode::Char('j'))], 500);
    report("j (down)", &down);
    let pages = keys(&mut terminal, &mut app, &[key(KeyCode::PageDown)], 200);
    report("PgDn", &pages);
    let ends = keys(
        &mut terminal,
        &mut app,
        &[key(KeyCode::Char('G')), key(KeyCode::Char('<'))],
        100,
    );
    report("G / Home (bottom, top)", &ends);
    // On the service row: all its fields (the 4,500 it claims and the
    // python fields it plans), then on fields.
    let group = keys(&mut terminal, &mut app, &[key(KeyCode::Char(' '))], 20);
    report(
        &format!(
            "space on a service ({} fields)",
            app.tree.services[0]
                .types
                .iter()
                .map(|t| t.fields.len())
                .sum::<usize>()
        ),
        &group,
    );
    app.on_key(key(KeyCode::Char('j')));
    app.on_key(key(KeyCode::Char('j')));
    let select = keys(&mut terminal, &mut app, &[key(KeyCode::Char(' '))], 200);
    report("space on a field (select, move)", &select);
    app.on_key(key(KeyCode::Home));
    let select_all = keys(&mut terminal, &mut app, &[key(KeyCode::Char('*'))], 20);
    report("* (select all 55k / clear)", &select_all);
    let fold = keys(&mut terminal, &mut app, &[key(KeyCode::Enter)], 20);
    report("enter on a group (fold / unfold)", &fold);
    app.on_key(key(KeyCode::Char('j')));
    let detail = keys(
        &mut terminal,
        &mut app,
        &[
            key(KeyCode::Enter),
            key(KeyCode::Char('j')),
            key(KeyCode::Enter),
            key(KeyCode::Char('j')),
        ],
        50,
    );
    report("detail pane: open, scroll, move", &detail);
    // Filter typing: each character re-filters every field.
    app.on_key(key(KeyCode::Char('/')));
    let mut typing = Vec::new();
    for _ in 0..10 {
        for c in "t4321.f".chars() {
            let start = Instant::now();
            app.on_key(key(KeyCode::Char(c)));
            draw(&mut terminal, &app);
            typing.push(start.elapsed());
        }
        for _ in 0..7 {
            let start = Instant::now();
            app.on_key(key(KeyCode::Backspace));
            draw(&mut terminal, &app);
            typing.push(start.elapsed());
        }
    }
    report("/ filter, a key typed", &stats(typing));
    app.on_key(key(KeyCode::Esc));
    let help = keys(
        &mut terminal,
        &mut app,
        &[key(KeyCode::Char('?')), key(KeyCode::Esc)],
        50,
    );
    report("? help (open / close)", &help);
    edit(&mut terminal, &mut app);
    // What the edit would cost reading everything again: `R`.
    let full = keys(&mut terminal, &mut app, &[key(KeyCode::Char('R'))], 5);
    report("R (full reload + frame)", &full);
}

/// Rounds of `r` then `u`.
const EDIT_ROUNDS: usize = 50;

fn edit(terminal: &mut Terminal<TestBackend>, app: &mut App) {
    // One edit: manual → side-by-side is guarded (no Go), so roll back a
    // field of the service instead, then undo: each writes and reloads.
    // The keys above left groups folded and fields selected: start afresh.
    app.selected.clear();
    app.folded.clear();
    app.set_filter("t1.f1 stage:manual");
    app.on_key(key(KeyCode::Char('G')));
    // 100 edits, so that the p99 is not simply the slowest of a few.
    let mut edits = Vec::new();
    for _ in 0..EDIT_ROUNDS {
        for c in ['r', 'u'] {
            let start = Instant::now();
            app.on_key(key(KeyCode::Char(c)));
            draw(terminal, app);
            edits.push(start.elapsed());
        }
    }
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.starts_with("undid rollback"),
        "{status} ({:?})",
        app.mode
    );
    let (rollbacks, undos): (Vec<_>, Vec<_>) =
        edits.chunks(2).map(|pair| (pair[0], pair[1])).unzip();
    report("r (roll back: write + reload + frame)", &stats(rollbacks));
    report("u (undo: write + reload + frame)", &stats(undos));
    report("r / u (write + reload + frame)", &stats(edits));
}
