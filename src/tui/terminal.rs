//! The real terminal: raw mode, the alternate screen and mouse reports on
//! the way in, and the terminal given back on the way out — on quit, on
//! error (the guard's `Drop`), on panic (the hook `ratatui::try_init`
//! installs, which restores before the panic message prints, and ours
//! before it, which stops the mouse reports) and while the user's editor
//! has it.

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::DefaultTerminal;
use std::io::stdout;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn enter() -> std::io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
        let restore = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(stdout(), DisableMouseCapture);
            restore(info);
        }));
        execute!(stdout(), EnableMouseCapture)?;
        Ok(TerminalGuard { terminal })
    }

    /// Gives the terminal to `run` as a shell has it, then takes it back.
    pub fn outside<T>(&mut self, run: impl FnOnce() -> T) -> std::io::Result<T> {
        execute!(stdout(), DisableMouseCapture)?;
        ratatui::try_restore()?;
        let result = run();
        enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
        self.terminal.clear()?;
        Ok(result)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // While unwinding from a panic the hook has restored already; a
        // second "leave the alternate screen" would move the cursor back
        // over the panic message.
        if !std::thread::panicking() {
            let _ = execute!(stdout(), DisableMouseCapture);
            ratatui::restore();
        }
    }
}
