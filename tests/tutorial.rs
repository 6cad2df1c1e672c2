//! docs/tutorial.md stays true to the binary: its steps are replayed in
//! order on a copy of the demo, and what each command prints is what the
//! page shows.
//!
//! - a `console` block is a list of `$ command` lines, each followed by the
//!   output the page promises (stdout and stderr as a terminal shows them);
//! - a `go` block introduced by "Replace the stub:" is the edit the reader
//!   makes: it becomes the body of the stub in the file `gen go` last wrote;
//! - any other `go` block shows code `gen go` wrote: that file contains it
//!   (up to a line with `…`, which stands for the rest);
//! - a `toml` block introduced by "In `ferry.toml`:" is the edit the reader
//!   makes there: each `[[services]]` entry's lines after its `name` go
//!   under that service's `name` line.
//!
//! After the last step the services still pass `gofmt` and `go vet`.

mod common;
mod go_support;

use common::{Workspace, go, repo};
use std::path::Path;
use std::process::Command;

#[derive(Debug)]
enum Step {
    /// A command as typed and the lines the page shows after it.
    Run { command: String, shown: Vec<String> },
    /// The reader replaces the stub with this Go.
    ReplaceStub(String),
    /// Go that the last `gen go` wrote.
    Written(String),
    /// Lines the reader adds to services' entries in ferry.toml.
    EditToml(String),
}

/// The page's steps, in order.
fn steps(page: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut prose = String::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let Some(lang) = line.strip_prefix("```") else {
            if !line.trim().is_empty() {
                prose = line.to_string();
            }
            continue;
        };
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        match lang {
            "console" => {
                for line in block {
                    match line.strip_prefix("$ ") {
                        Some(command) => steps.push(Step::Run {
                            command: command.to_string(),
                            shown: Vec::new(),
                        }),
                        None => match steps.last_mut() {
                            Some(Step::Run { shown, .. }) => shown.push(line.to_string()),
                            _ => panic!("console block starts without a command: {line}"),
                        },
                    }
                }
            }
            "go" if prose.trim_end().ends_with("Replace the stub:") => {
                steps.push(Step::ReplaceStub(block.join("\n")))
            }
            "go" => steps.push(Step::Written(block.join("\n"))),
            "toml" if prose.trim_end().ends_with("In `ferry.toml`:") => {
                steps.push(Step::EditToml(block.join("\n")))
            }
            _ => {}
        }
        prose.clear();
    }
    steps
}

/// RFC 3339 times (`2025-03-01T09:30:00Z`) as `TIME`: they are now.
fn without_times(text: &str) -> String {
    let shape = |c: u8, p: u8| match p {
        b'd' => c.is_ascii_digit(),
        p => c == p,
    };
    const PATTERN: &[u8] = b"dddd-dd-ddTdd:dd:ddZ";
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let end = i + PATTERN.len();
        if end <= bytes.len()
            && bytes[i..end]
                .iter()
                .zip(PATTERN)
                .all(|(&c, &p)| shape(c, p))
        {
            out.push_str("TIME");
            i = end;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn normalized(lines: &[String]) -> Vec<String> {
    lines.iter().map(|l| without_times(l.trim_end())).collect()
}

/// Runs a command line as the page's reader does, `ferry` being the binary
/// under test; stdout and stderr interleaved as on a terminal.
fn run(root: &Path, command: &str) -> (bool, Vec<String>) {
    let binary = assert_cmd::cargo::cargo_bin("ferry");
    let script = format!(
        "ferry() {{ \"{}\" \"$@\"; }}\n{command} 2>&1",
        binary.display()
    );
    let output = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    (
        output.status.success(),
        text.lines().map(str::to_string).collect(),
    )
}

/// The file a `gen go` run says it wrote.
fn written_file(output: &[String]) -> Option<String> {
    output
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("wrote "))
        .filter(|path| path.ends_with(".go"))
        .map(str::to_string)
}

/// ferry.toml with the block's lines added under each `[[services]]`
/// entry's `name` line.
fn edit_toml(toml: &str, block: &str) -> String {
    let mut out = toml.to_string();
    for entry in block
        .split("[[services]]\n")
        .filter(|e| !e.trim().is_empty())
    {
        let (name, added) = entry
            .split_once('\n')
            .expect("an entry names its service, then the lines to add");
        let at = out
            .find(&format!("\n{name}\n"))
            .unwrap_or_else(|| panic!("ferry.toml has no `{name}`"))
            + name.len()
            + 2;
        out.insert_str(at, &format!("{}\n", added.trim_end()));
    }
    out
}

/// Replaces the body of the function holding ferry's stub marker.
fn replace_stub(source: &str, body: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let marker = lines
        .iter()
        .position(|l| l.contains("ferry:stub"))
        .expect("the file gen go wrote has a stub");
    let start = (0..marker)
        .rev()
        .find(|&i| lines[i].starts_with("func "))
        .unwrap();
    let end = (marker..lines.len()).find(|&i| lines[i] == "}").unwrap();
    let mut out: Vec<&str> = lines[..=start].to_vec();
    out.extend(body.lines());
    out.extend(&lines[end..]);
    out.join("\n") + "\n"
}

#[test]
fn every_step_of_the_tutorial_prints_what_the_page_shows() {
    let page = std::fs::read_to_string(repo().join("docs/tutorial.md")).unwrap();
    let steps = steps(&page);
    let commands = steps
        .iter()
        .filter(|s| matches!(s, Step::Run { .. }))
        .count();
    assert!(commands >= 10, "only {commands} commands found: {steps:?}");
    assert!(steps.iter().any(|s| matches!(s, Step::ReplaceStub(_))));

    let demo = Workspace::demo();
    let mut last_written: Option<String> = None;
    let mut differences = Vec::new();
    for step in &steps {
        match step {
            Step::Run { command, shown } => {
                let (ok, printed) = run(demo.root(), command);
                if normalized(&printed) != normalized(shown) {
                    differences.push(format!(
                        "$ {command}\n--- the page shows\n{}\n--- ferry printed\n{}",
                        shown.join("\n"),
                        printed.join("\n")
                    ));
                }
                let refused = shown.iter().any(|l| {
                    l.starts_with("error:") || (!l.starts_with(' ') && l.contains(": error["))
                });
                if ok == refused {
                    differences.push(format!("$ {command}: exit status says ok={ok}"));
                }
                if let Some(path) = written_file(&printed) {
                    last_written = Some(path);
                }
            }
            Step::ReplaceStub(body) => {
                let path = last_written
                    .as_deref()
                    .expect("a gen go step before the edit");
                let edited = replace_stub(&demo.read(path), body);
                demo.write(path, &edited);
            }
            Step::EditToml(block) => {
                let edited = edit_toml(&demo.read("ferry.toml"), block);
                demo.write("ferry.toml", &edited);
            }
            Step::Written(code) => {
                let path = last_written
                    .as_deref()
                    .expect("a gen go step before its code");
                let shown: Vec<&str> = code.lines().take_while(|l| !l.contains('…')).collect();
                let source = demo.read(path);
                if !source.contains(&shown.join("\n")) {
                    differences.push(format!(
                        "{path} lacks what the page shows:\n{}",
                        shown.join("\n")
                    ));
                }
            }
        }
    }
    assert!(
        differences.is_empty(),
        "docs/tutorial.md differs from ferry:\n\n{}",
        differences.join("\n\n")
    );

    let Some(go) = go() else { return };
    for service in ["services/assignments", "services/progress"] {
        let dir = demo.path(service);
        let gofmt = go_support::run_go(&go, "gofmt", &dir, &["-l", "."]);
        assert!(
            gofmt.status.success() && gofmt.stdout.is_empty(),
            "{service}: gofmt -l: {}",
            go_support::stdout(&gofmt)
        );
        let vet = go_support::run_go(&go, "go", &dir, &["vet", "./..."]);
        assert!(
            vet.status.success(),
            "{service}: go vet after the tutorial:\n{}",
            String::from_utf8_lossy(&vet.stderr)
        );
    }
}
