//! The demo workspace is real: graphene builds the monolith and answers
//! queries; the Go services pass gofmt and go vet.

mod common;

use common::{go, python, repo};
use std::process::Command;

/// Runs the command, asserts it succeeded, returns its stdout.
fn succeeds(command: &mut Command) -> String {
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn graphene_accepts_the_monolith_and_its_sdl_matches() {
    let Some(python) = python() else { return };
    let stdout = succeeds(
        Command::new(python)
            .arg(repo().join("tests/python/check_demo_monolith.py"))
            .arg(repo().join("examples/classroom")),
    );
    assert!(stdout.contains("monolith ok"));
}

#[test]
fn the_go_services_pass_gofmt_and_go_vet() {
    if go().is_none() {
        return;
    }
    succeeds(
        Command::new("bash")
            .arg(repo().join("tests/python/check_demo_go.sh"))
            .current_dir(repo()),
    );
}
