//! Terminal colors, decided here for every printer: `--color` first
//! (`always`, `never`), else (`auto`) `NO_COLOR` turns them off,
//! `CLICOLOR_FORCE` or `FORCE_COLOR` on even through a pipe (`| less -R`),
//! and otherwise they follow whether the stream is a terminal.

use owo_colors::OwoColorize;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::sync::OnceLock;

/// `--color`, as ripgrep and ast-grep take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub const ALL: [ColorChoice; 3] = [ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never];

    pub fn as_str(self) -> &'static str {
        match self {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        }
    }

    pub fn parse(name: &str) -> Option<ColorChoice> {
        ColorChoice::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Whether a stream gets colors, given the environment and whether the
    /// stream is a terminal.
    pub fn enables(self, env: impl Fn(&str) -> Option<OsString>, is_terminal: bool) -> bool {
        let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
        let forced = |name: &str| {
            env(name).is_some_and(|v| !["", "0", "false"].contains(&&*v.to_string_lossy()))
        };
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("NO_COLOR") => false,
            ColorChoice::Auto => forced("CLICOLOR_FORCE") || forced("FORCE_COLOR") || is_terminal,
        }
    }
}

/// The `--color` of this run, set once before anything prints.
static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Records `--color` for every `Style` of the run (the printers ask for
/// theirs where they print, so it is not passed down to each).
pub fn set_color_choice(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

fn decide(is_terminal: bool) -> bool {
    CHOICE
        .get()
        .copied()
        .unwrap_or_default()
        .enables(|name| std::env::var_os(name), is_terminal)
}

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
            enabled: decide(std::io::stdout().is_terminal()),
        }
    }

    pub fn for_stderr() -> Style {
        Style {
            enabled: decide(std::io::stderr().is_terminal()),
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

#[cfg(test)]
mod tests {
    use super::ColorChoice::{self, *};
    use std::ffi::OsString;

    fn enables(choice: ColorChoice, vars: &[(&str, &str)], tty: bool) -> bool {
        choice.enables(
            |name| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| OsString::from(v))
            },
            tty,
        )
    }

    #[test]
    fn the_flag_wins_then_no_color_then_the_forcing_variables_then_the_terminal() {
        assert!(enables(Auto, &[], true));
        assert!(!enables(Auto, &[], false));
        assert!(enables(Always, &[("NO_COLOR", "1")], false));
        assert!(!enables(Never, &[("CLICOLOR_FORCE", "1")], true));
        assert!(!enables(Auto, &[("NO_COLOR", "1")], true));
        assert!(!enables(
            Auto,
            &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")],
            true
        ));
        // An empty NO_COLOR is unset (no-color.org).
        assert!(enables(Auto, &[("NO_COLOR", "")], true));
        assert!(enables(Auto, &[("CLICOLOR_FORCE", "1")], false));
        assert!(enables(Auto, &[("FORCE_COLOR", "true")], false));
        assert!(!enables(Auto, &[("CLICOLOR_FORCE", "0")], false));
        assert!(!enables(Auto, &[("FORCE_COLOR", "0")], false));
        assert!(!enables(Auto, &[("FORCE_COLOR", "false")], false));
    }
}
