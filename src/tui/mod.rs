//! `ferry tui`: the interactive checklist. `app` holds the state and its
//! update functions, `keys` the one key table, `layout` where the panes
//! go, `view` draws a frame from the state, `terminal` owns the real
//! terminal and `editor` runs the user's; `run` is the event loop.

pub mod app;
pub mod cells;
pub mod detail;
pub mod editor;
pub mod keys;
pub mod layout;
pub mod terminal;
pub mod text;
pub mod tree;
pub mod view;

use crate::tui::app::{Action, App};
use crossterm::event::{self, Event, KeyEventKind};
use std::io::IsTerminal;
use std::time::Duration;

/// How long the loop waits for a key before it looks for files changed on disk.
const DISK_CHECK: Duration = Duration::from_millis(1000);

/// Runs the checklist until the user quits. The app is loaded first, so a
/// workspace that does not load is reported on a normal terminal.
pub fn run(mut app: App) -> std::io::Result<()> {
    if !std::io::stdout().is_terminal() {
        return Err(std::io::Error::other(
            "ferry tui draws on a terminal, and standard output is not one; use `ferry status` in scripts",
        ));
    }
    let mut guard = terminal::TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    app.resize(size.width, size.height);
    loop {
        guard.terminal.draw(|frame| view::render(frame, &app))?;
        if !event::poll(DISK_CHECK)? {
            app.check_disk();
            continue;
        }
        let action = match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => app.on_key(key),
            Event::Mouse(mouse) => app.on_mouse(mouse),
            Event::Resize(width, height) => {
                app.resize(width, height);
                Action::Continue
            }
            _ => Action::Continue,
        };
        match action {
            Action::Continue => {}
            Action::Quit => return Ok(()),
            Action::OpenEditor(target) => {
                let outcome = guard.outside(|| editor::run(&target))?;
                let size = guard.terminal.size()?;
                app.resize(size.width, size.height);
                app.editor_closed(&target, outcome);
            }
        }
    }
}
