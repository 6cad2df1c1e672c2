//! The demo workspace is real: graphene builds the monolith and answers
//! queries; the Go services pass gofmt and go vet.

mod common;

use common::{go, python, repo};
use std::process::Command;

#[test]
fn graphene_accepts_the_monolith_and_its_sdl_matches() {
    let Some(python) = python() else { return };
    let out = Command::new(python)
        .arg(repo().join("tests/python/check_demo_monolith.py"))
        .arg(repo().join("examples/classroom"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("monolith ok"));
}

#[test]
fn the_go_services_pass_gofmt_and_go_vet() {
    if go().is_none() {
        return;
    }
    let out = Command::new("bash")
        .arg(repo().join("tests/python/check_demo_go.sh"))
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
