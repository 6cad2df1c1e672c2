//! Terminal colors: on when writing to a terminal and `NO_COLOR` is unset.

use owo_colors::OwoColorize;
use std::io::IsTerminal;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    enabled: bool,
}

impl Style {
    pub fn plain() -> Style {
        Style { enabled: false }
    }

    pub fn for_stdout() -> Style {
        Style {
            enabled: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    pub fn for_stderr() -> Style {
        Style {
            enabled: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn paint(&self, text: &str, f: impl Fn(&str) -> String) -> String {
        if self.enabled {
            f(text)
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(text, |t| t.bold().to_string())
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint(text, |t| t.dimmed().to_string())
    }
    pub fn red(&self, text: &str) -> String {
        self.paint(text, |t| t.red().to_string())
    }
    pub fn green(&self, text: &str) -> String {
        self.paint(text, |t| t.green().to_string())
    }
    pub fn yellow(&self, text: &str) -> String {
        self.paint(text, |t| t.yellow().to_string())
    }
    pub fn blue(&self, text: &str) -> String {
        self.paint(text, |t| t.blue().to_string())
    }
    pub fn magenta(&self, text: &str) -> String {
        self.paint(text, |t| t.magenta().to_string())
    }
    pub fn cyan(&self, text: &str) -> String {
        self.paint(text, |t| t.cyan().to_string())
    }
}
