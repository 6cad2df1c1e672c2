//! The real terminal: raw mode and the alternate screen on the way in, and
//! the terminal given back on the way out — on quit, on error (the guard's
//! `Drop`) and on panic (the hook `ratatui::try_init` installs, which
//! restores before the panic message prints).

use ratatui::DefaultTerminal;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn enter() -> std::io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // While unwinding from a panic the hook has restored already; a
        // second "leave the alternate screen" would move the cursor back
        // over the panic message.
        if !std::thread::panicking() {
            ratatui::restore();
        }
    }
}
