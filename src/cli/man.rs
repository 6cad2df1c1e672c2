//! `ferry man`: one page with every command and its options. clap_mangen
//! renders the parts; its subcommand list would refer to `ferry-init(1)`
//! and other pages that are not installed, so each command gets a
//! subsection of this page instead.

use crate::cli::Cli;
use clap::CommandFactory;
use clap_mangen::Man;
use std::io;

pub fn page() -> io::Result<String> {
    let cli = Cli::command();
    let man = Man::new(cli.clone());
    let mut out = PREAMBLE.map(|line| format!("{line}\n")).concat();
    out += &render(|w| man.render_title(w))?;
    out += &render(|w| man.render_name_section(w))?;
    out += &render(|w| man.render_synopsis_section(w))?;
    out += &render(|w| man.render_description_section(w))?;
    // Without headings: -h and -V; under "GLOBAL OPTIONS": the rest.
    out += &render(|w| man.render_options_section(w))?;
    out += ".SH COMMANDS\n";
    for (path, command) in commands("ferry", &cli) {
        out += &command_section(&path, command)?;
    }
    out += ".SH EXAMPLES\n";
    out += &unfilled(&without_heading(&render(|w| man.render_extra_section(w))?));
    out += &render(|w| man.render_version_section(w))?;
    Ok(out)
}

/// Every command that runs something, with the words that name it.
fn commands<'c>(prefix: &str, parent: &'c clap::Command) -> Vec<(String, &'c clap::Command)> {
    parent
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .flat_map(|command| {
            let path = format!("{prefix} {}", command.get_name());
            if command.has_subcommands() {
                commands(&path, command)
            } else {
                vec![(path, command)]
            }
        })
        .collect()
}

fn command_section(path: &str, command: &clap::Command) -> io::Result<String> {
    let man = Man::new(command.clone().bin_name(path).display_name(path));
    let mut out = format!(".SS \"{path}\"\n");
    out += &without_heading(&render(|w| man.render_synopsis_section(w))?);
    out += ".PP\n";
    out += &without_heading(&render(|w| man.render_description_section(w))?);
    out += &without_heading(&render(|w| man.render_options_section(w))?);
    if command.get_after_help().is_some() {
        out += ".PP\n";
        out += &unfilled(&without_heading(&render(|w| man.render_extra_section(w))?));
    }
    Ok(out)
}

/// The lines roff's writer puts before every part it renders.
const PREAMBLE: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];

fn render(section: impl Fn(&mut dyn io::Write) -> io::Result<()>) -> io::Result<String> {
    let mut buffer = Vec::new();
    section(&mut buffer)?;
    let text = String::from_utf8(buffer).map_err(io::Error::other)?;
    Ok(text
        .lines()
        .filter(|line| !PREAMBLE.contains(line))
        .map(|line| format!("{line}\n"))
        .collect())
}

/// Examples keep their lines and indentation.
fn unfilled(text: &str) -> String {
    format!(".nf\n{text}.fi\n")
}

/// A section's body as part of a subsection: its `.SH` heading dropped.
fn without_heading(section: &str) -> String {
    section
        .lines()
        .filter(|line| !line.starts_with(".SH"))
        .map(|line| format!("{line}\n"))
        .collect()
}
