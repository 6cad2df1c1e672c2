//! A batch over 50 services, killed at random points (SIGKILL), or
//! interrupted (SIGINT): afterwards the workspace holds the whole batch or
//! none of it, and no temporary file is left.

mod common;

use common::ferry_at;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SERVICES: usize = 50;
const MANUAL: &str = "@migrate(from: \"python\", state: \"manual\")";
const SIDE_BY_SIDE: &str = "@migrate(from: \"python\", state: \"side-by-side\")";

/// A monolith of 50 entities, each with one field in its own service at
/// `manual`, and nothing else.
fn write_workspace(root: &Path) {
    let mut monolith = String::from("type Query {\n");
    for i in 0..SERVICES {
        monolith.push_str(&format!("  t{i}(id: ID!): T{i}\n"));
    }
    monolith.push_str("}\n");
    let mut toml = String::from("[python]\nschema = [\"monolith.graphql\"]\nroots = []\n");
    for i in 0..SERVICES {
        monolith.push_str(&format!(
            "\ntype T{i} @key(fields: \"id\") {{\n  id: ID!\n  f: String\n}}\n"
        ));
        let dir = root.join(format!("services/s{i}/graph"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("schema.graphqls"),
            format!(
                "# Service {i}.\n\nextend type T{i} @key(fields: \"id\") {{\n  id: ID! @external\n  f: String {MANUAL}\n}}\n"
            ),
        )
        .unwrap();
        std::fs::write(
            root.join(format!("services/s{i}/gqlgen.yml")),
            "schema:\n  - graph/*.graphqls\ndirectives:\n  migrate:\n    skip_runtime: true\n",
        )
        .unwrap();
        toml.push_str(&format!(
            "\n[[services]]\nname = \"s{i}\"\ngqlgen = \"services/s{i}/gqlgen.yml\"\n"
        ));
    }
    std::fs::write(root.join("monolith.graphql"), monolith).unwrap();
    std::fs::write(root.join("ferry.toml"), toml).unwrap();
}

/// How many services hold the batch's edit; panics on a file that is
/// neither old nor new, or on a temporary file left anywhere.
fn advanced(root: &Path) -> usize {
    let mut count = 0;
    for i in 0..SERVICES {
        let dir = root.join(format!("services/s{i}/graph"));
        let text = std::fs::read_to_string(dir.join("schema.graphqls")).unwrap();
        match (text.contains(MANUAL), text.contains(SIDE_BY_SIDE)) {
            (true, false) => {}
            (false, true) => count += 1,
            _ => panic!("s{i} holds neither text:\n{text}"),
        }
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["schema.graphqls"], "s{i}");
    }
    count
}

/// A number that differs from call to call, to pick kill points.
fn jitter(range: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    nanos.wrapping_mul(6364136223846793005) % range
}

fn spawn_advance(root: &Path) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("ferry"))
        .arg("--root")
        .arg(root)
        .args(["advance", "T*.f", "--force", "-q"])
        // A pause before each file is written and each rename: 50 files
        // take half a second, so that a kill lands inside the batch.
        .env("FERRY_TEST_WRITE_DELAY_MS", "5")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for the run to start its batch (its journal appears), then a
/// random while longer.
fn wait_into_batch(root: &Path, child: &mut std::process::Child, extra_ms: u64) {
    let journal = root.join(".ferry/journal.json");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !journal.exists() && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(Duration::from_millis(extra_ms));
}

#[test]
fn a_batch_killed_anywhere_is_finished_or_undone_by_the_next_run() {
    let mut seen = std::collections::BTreeSet::new();
    for trial in 0..6 {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_workspace(root);
        let mut child = spawn_advance(root);
        wait_into_batch(root, &mut child, jitter(600));
        child.kill().unwrap();
        child.wait().unwrap();
        let interrupted = root.join(".ferry/journal.json").exists();
        // The next run, whatever it is, puts the batch right first.
        let status = ferry_at(root, &["status", "--json"]);
        let stderr = String::from_utf8_lossy(&status.stderr);
        assert!(status.status.success(), "trial {trial}: {stderr}");
        if interrupted {
            assert!(
                stderr.contains("an earlier ferry run"),
                "trial {trial}: {stderr}"
            );
        }
        assert!(!root.join(".ferry/journal.json").exists());
        let count = advanced(root);
        assert!(
            count == 0 || count == SERVICES,
            "trial {trial}: {count} of {SERVICES} advanced"
        );
        seen.insert(count);
        // Running the command again advances each field once, never twice.
        let again = ferry_at(root, &["advance", "T*.f", "--force", "-q"]);
        assert!(
            again.status.success(),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        let text = std::fs::read_to_string(root.join("services/s0/graph/schema.graphqls")).unwrap();
        let expected = if count == 0 {
            SIDE_BY_SIDE
        } else {
            "state: \"migrated\""
        };
        assert!(text.contains(expected), "trial {trial}:\n{text}");
    }
    eprintln!("batches seen whole: {seen:?} (0 = undone, {SERVICES} = finished)");
}

#[test]
fn ctrl_c_during_a_batch_finishes_or_undoes_it_before_ferry_exits() {
    for trial in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_workspace(root);
        let mut child = spawn_advance(root);
        wait_into_batch(root, &mut child, jitter(600));
        // SAFETY: a plain kill(2) of our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !root.join(".ferry/journal.json").exists(),
            "trial {trial}: {stderr}"
        );
        let count = advanced(root);
        match output.status.code() {
            Some(130) if stderr.contains("nothing was written") => assert_eq!(count, 0, "{stderr}"),
            Some(130) => {
                assert!(stderr.contains("the batch was finished first"), "{stderr}");
                assert_eq!(count, SERVICES);
            }
            // Done before the signal came.
            Some(0) => assert_eq!(count, SERVICES),
            other => panic!("trial {trial}: exit {other:?}: {stderr}"),
        }
    }
}
