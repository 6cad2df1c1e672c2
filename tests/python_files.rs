//! Python files as Python reads them: PEP 263 decoding, files ferry cannot
//! read, and syntax errors that touch a field's Python. What Python itself
//! accepts or refuses is asked of the real interpreter.

mod common;

use common::{Workspace, python};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const TYPES: &str = "webapp/assignments/types.py";

/// Whether Python compiles the file as an import reads it (PEP 263
/// decoding included; `compile()` on raw bytes is laxer about comments).
fn python_compiles(python: &Path, file: &Path) -> bool {
    Command::new(python)
        .arg("-c")
        .arg(concat!(
            "import importlib.util, sys; path = sys.argv[1]; ",
            "compile(importlib.util.decode_source(open(path, 'rb').read()), path, 'exec')"
        ))
        .arg(file)
        .status()
        .unwrap()
        .success()
}

fn findings(demo: &Workspace) -> Vec<Value> {
    let run = demo.ferry(&["check", "--json"]);
    let json: Value = serde_json::from_str(&run.stdout()).unwrap();
    json["findings"].as_array().unwrap().clone()
}

fn with_rule<'f>(findings: &'f [Value], rule: &str) -> Vec<&'f Value> {
    findings.iter().filter(|f| f["id"] == rule).collect()
}

#[test]
fn a_coding_cookie_decodes_the_file_and_its_quotes_keep_their_letters() {
    let demo = Workspace::demo();
    let utf8 = demo.read(TYPES);
    let marked = utf8.replacen(
        "    def resolve_stats(parent, info):\n",
        "    def resolve_stats(parent, info):\n        # Le résumé des élèves.\n",
        1,
    );
    let text = format!("# -*- coding: latin-1 -*-\n{marked}");
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    std::fs::write(demo.path(TYPES), &latin1).unwrap();
    assert!(
        std::str::from_utf8(&latin1).is_err(),
        "the file is not UTF-8"
    );
    if let Some(python) = python() {
        assert!(python_compiles(&python, &demo.path(TYPES)));
    }

    assert!(with_rule(&findings(&demo), "python-unreadable").is_empty());
    demo.ferry(&["mark", "Assignment.stats", "--into", "assignments"])
        .success();
    demo.ferry(&["gen", "go", "Assignment.stats"]).success();
    let go = demo.read("services/assignments/graph/schema.resolvers.go");
    assert!(go.contains("//\t    # Le résumé des élèves."), "{go}");
}

#[test]
fn bytes_python_refuses_are_a_finding_and_the_rest_still_indexes() {
    let demo = Workspace::demo();
    let mut bytes = demo.read(TYPES).into_bytes();
    let at = String::from_utf8_lossy(&bytes)
        .find("# Assignments imported")
        .unwrap();
    bytes.splice(at + 2..at + 2, [0xE9u8]);
    std::fs::write(demo.path(TYPES), &bytes).unwrap();
    if let Some(python) = python() {
        assert!(!python_compiles(&python, &demo.path(TYPES)));
    }
    let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();

    let found = findings(&demo);
    let unreadable = with_rule(&found, "python-unreadable");
    assert_eq!(unreadable.len(), 1, "{found:#?}");
    assert_eq!(unreadable[0]["file"], TYPES);
    let message = unreadable[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("byte 0xE9 on line {line} is not UTF-8")),
        "{message}"
    );
    // The file still yields its resolvers.
    let show = demo.ferry(&["show", "Assignment.stats", "--json"]);
    assert!(show.stdout().contains("resolve_stats"), "{}", show.stdout());
}

#[cfg(unix)]
#[test]
fn a_pipe_named_like_python_is_reported_and_never_read() {
    let demo = Workspace::demo();
    let fifo = demo.path("webapp/queue.py");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Reading a pipe with no writer would block: check returns at all.
    let found = findings(&demo);
    let unreadable = with_rule(&found, "python-unreadable");
    assert_eq!(unreadable.len(), 1, "{found:#?}");
    assert_eq!(unreadable[0]["file"], "webapp/queue.py");
    assert!(
        unreadable[0]["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file")
    );
}

#[test]
fn a_syntax_error_in_a_resolver_says_where_and_the_rest_still_indexes() {
    let demo = Workspace::demo();
    let text = demo.read(TYPES);
    let broken = text.replacen(
        "        total = len(classroom.student_kaids) * len(parent.content_ids)\n",
        "        total = len(classroom.student_kaids) * (len(parent.content_ids)\n",
        1,
    );
    assert_ne!(broken, text);
    demo.write(TYPES, &broken);
    if let Some(python) = python() {
        assert!(!python_compiles(&python, &demo.path(TYPES)));
    }
    let found = findings(&demo);
    let errors = with_rule(&found, "python-syntax-error");
    assert_eq!(errors.len(), 1, "{found:#?}");
    assert_eq!(errors[0]["file"], TYPES);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("Assignment."), "{message}");
    // A file elsewhere with an error that touches no field says nothing.
    demo.write("webapp/scratch.py", "def broken(:\n    pass\n");
    assert_eq!(with_rule(&findings(&demo), "python-syntax-error").len(), 1);
    // Resolvers of other files still index.
    let show = demo.ferry(&["show", "Assignment.classroom", "--json"]);
    assert!(show.stdout().contains("resolvers.py"), "{}", show.stdout());
}
