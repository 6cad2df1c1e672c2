//! README.md stays true to the binary: its first lines are a title and the
//! two commands to try, every command it names exists with the flags it
//! shows, nothing is listed twice, and its code blocks run on the demo.

mod common;

use clap::CommandFactory;
use common::{Workspace, repo};
use std::collections::BTreeSet;

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

/// The `sh` code blocks, as lists of lines.
fn code_blocks(text: &str) -> Vec<Vec<String>> {
    text.split("```sh\n")
        .skip(1)
        .map(|block| {
            block[..block.find("```").unwrap()]
                .lines()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[test]
fn it_opens_with_a_one_line_title_then_the_two_commands() {
    let text = readme();
    let mut lines = text.lines();
    let title = lines.next().unwrap();
    assert!(title.starts_with("# ferry"), "{title}");
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), Some("```sh"));
    assert_eq!(
        code_blocks(&text)[0],
        [
            "cargo run --release -- --root examples/classroom status",
            "scripts/test"
        ]
    );
}

/// `--flags` in a piece of text.
fn flags(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.trim_start_matches('-').to_string())
        .collect()
}

#[test]
fn every_command_row_names_a_real_command_with_its_real_flags_once() {
    let text = readme();
    let cli = ferry::cli::Cli::command();
    let global: BTreeSet<&str> = cli.get_arguments().filter_map(|a| a.get_long()).collect();
    let mut seen = BTreeSet::new();
    for row in text.lines().filter(|l| l.starts_with("| `ferry ")) {
        let usage = &row[3..row[3..].find('`').unwrap() + 3];
        let words: Vec<&str> = usage
            .split_whitespace()
            .skip(1)
            .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase()))
            .collect();
        assert!(seen.insert(words.join(" ")), "listed twice: {row}");
        let mut command = &cli;
        for word in &words {
            command = command
                .find_subcommand(word)
                .unwrap_or_else(|| panic!("no command `{word}` in {row}"));
        }
        let own: BTreeSet<&str> = command
            .get_arguments()
            .filter_map(|a| a.get_long())
            .collect();
        // The flags named beside the command describe that command.
        let described = row.split(" | ").nth(1).unwrap_or_default();
        for flag in flags(usage).into_iter().chain(flags(described)) {
            assert!(
                own.contains(flag.as_str()) || global.contains(flag.as_str()),
                "`ferry {}` has no --{flag}: {row}",
                words.join(" ")
            );
        }
    }
    assert!(seen.len() >= 11, "{seen:?}");
    let links: Vec<&str> = text.lines().filter(|l| l.starts_with("- [docs/")).collect();
    let unique: BTreeSet<&&str> = links.iter().collect();
    assert_eq!(
        links.len(),
        unique.len(),
        "a doc is linked twice: {links:?}"
    );
    for link in links {
        let path = &link[3..link.find(']').unwrap()];
        assert!(repo().join(path).is_file(), "{path} does not exist");
    }
}

#[test]
fn its_code_blocks_run_on_the_demo() {
    let demo = Workspace::demo();
    let before = demo.files();
    for block in code_blocks(&readme()) {
        for line in block {
            let Some(args) = line
                .strip_prefix("cargo run --release -- ")
                .or_else(|| line.strip_prefix("cargo run -- "))
            else {
                continue;
            };
            let args: Vec<&str> = args
                .split_whitespace()
                .filter(|a| *a != "--root" && *a != "examples/classroom")
                .collect();
            // The harness passes --root: the copy stands for examples/classroom.
            demo.ferry(&args).success();
        }
    }
    common::assert_same_files(&before, &demo.files());
}
