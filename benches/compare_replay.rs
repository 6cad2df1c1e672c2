//! `ferry compare` replaying 10,000 recorded operations (a JSON-lines log
//! of four operation shapes) against the demo's graphene monolith and two
//! strawberry subgraphs standing in for the Go services, all on loopback
//! (tests/support/compare/). Measures, in one run:
//!   pipeline  ferry's own work per operation with the answers in hand:
//!             parse + validate + rewrite, find the samples, build the Go
//!             requests, diff (one thread, no network)
//!   replay    the whole replay over HTTP on every core: wall time, ferry's
//!             CPU per operation (pipeline + HTTP client + JSON), the
//!             servers' CPU per operation
//! Run with `cargo bench --bench compare_replay` (`FERRY_BENCH_OPERATIONS`
//! changes the count; the Python is `$FERRY_PYTHON` or `.venv/bin/python`).

mod common;

use common::cores;
use ferry::compare::diff::{DiffRules, Differ};
use ferry::compare::go_requests::{go_outcome, go_requests};
use ferry::compare::http::{Client, Endpoint};
use ferry::compare::occurrences::{Outcome, find_occurrences, outcome_at};
use ferry::compare::operations::{Corpus, CorpusFile, RecordedOperation, corpus_files};
use ferry::compare::replay::{ReplaySetup, judge, replay};
use ferry::compare::rewrite::prepare;
use ferry::compare::targets::plan_targets;
use ferry::model::project::Project;
use ferry::model::stage::Stage;
use ferry::workspace::Overrides;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(python: &Path, script: &str, args: &[&str]) -> Server {
        let support = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/compare");
        let mut child = Command::new(python)
            .arg(support.join(script))
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().expect("the server prints its port");
        Server { child, port }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/graphql", self.port)
    }

    /// User + system CPU time of the server process so far.
    fn cpu(&self) -> Duration {
        cpu_of(&format!("/proc/{}/stat", self.child.id()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// utime + stime of /proc/…/stat, in clock ticks of 1/100 s (Linux's USER_HZ).
fn cpu_of(stat: &str) -> Duration {
    let text = std::fs::read_to_string(stat).unwrap();
    let after_name = &text[text.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "__pycache__" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn side_by_side(root: &Path, file: &str, replacements: &[(&str, &str)]) {
    let path = root.join(file);
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (field, from) in replacements {
        let before = format!("{field} @migrate(from: \"python\", state: \"{from}\")");
        assert!(text.contains(&before), "{file} lacks {before}");
        text = text.replace(
            &before,
            &format!("{field} @migrate(from: \"python\", state: \"side-by-side\")"),
        );
    }
    std::fs::write(path, text).unwrap();
}

/// The four shapes of the corpus, with their variables.
fn shapes() -> Vec<Value> {
    vec![
        json!({"query": "query AssignmentPage($id: ID!) { assignment(id: $id) { id title createdDate } }", "variables": {"id": "asg_1"}, "operationName": "AssignmentPage"}),
        json!({"query": "query ClassroomAssignments { classroom(id: \"class_algebra\") { name assignments { title dueDate createdDate } } }", "operationName": "ClassroomAssignments"}),
        json!({"query": "query Progress($kaid: ID!) { progressForUser(kaid: $kaid) { id pointsEarned status } }", "variables": {"kaid": "kaid_student_1"}, "operationName": "Progress", "count": 40}),
        json!({"query": "query Fragmented { assignmentsForClassroom(classroomId: \"class_algebra\") { ...Card } } fragment Card on Assignment { title }", "operationName": "Fragmented"}),
    ]
}

fn recorded(shape: &Value) -> RecordedOperation {
    RecordedOperation {
        origin: "bench".into(),
        query: shape["query"].as_str().unwrap().into(),
        variables: shape["variables"].as_object().cloned().unwrap_or_default(),
        operation_name: shape["operationName"].as_str().map(str::to_string),
        count: 1,
    }
}

fn main() {
    // As the `ferry` binary does.
    // SAFETY: first thing, on the only thread, before any tree-sitter call.
    unsafe { ferry::commands::allocator::set_up() };
    let operations: usize = std::env::var("FERRY_BENCH_OPERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var_os("FERRY_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join(".venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: run scripts/test first",
        python.display()
    );

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&repo.join("examples/classroom"), root);
    side_by_side(
        root,
        "services/assignments/graph/schema.graphqls",
        &[
            ("createdDate: Time", "manual"),
            ("dueDate: Time", "migrated"),
        ],
    );
    side_by_side(
        root,
        "services/progress/graph/schema.graphqls",
        &[("pointsEarned: Int", "manual")],
    );
    let log = root.join("operations.jsonl");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
        let shapes = shapes();
        for i in 0..operations {
            writeln!(out, "{}", shapes[i % shapes.len()]).unwrap();
        }
    }

    let root_arg = root.to_str().unwrap();
    let monolith = Server::start(&python, "monolith.py", &[root_arg]);
    let assignments = Server::start(&python, "go_standin.py", &[root_arg, "assignments"]);
    let progress = Server::start(&python, "go_standin.py", &[root_arg, "progress"]);
    let servers = [&monolith, &assignments, &progress];

    let project = Project::load(&Overrides {
        root: Some(root.to_path_buf()),
        ..Default::default()
    })
    .unwrap();
    let fields: Vec<_> = project
        .inventory
        .fields
        .iter()
        .filter(|f| f.stage == Stage::SideBySide)
        .collect();
    let (targets, keys, _) = plan_targets(&project, &fields);
    let rules = DiffRules::new(1e-9, &[], &[]);
    let schema = apollo_compiler::validation::Valid::assume_valid_ref(&project.monolith.schema);
    let endpoint = |url: String| Endpoint::new(url, &BTreeMap::new(), "bench").unwrap();
    let go = BTreeMap::from([
        ("assignments".to_string(), endpoint(assignments.url())),
        ("progress".to_string(), endpoint(progress.url())),
    ]);
    let jobs = cores();
    let client = Client::new(Duration::from_secs(30), 2, jobs * 2);
    let stop = AtomicBool::new(false);

    // The answers of each shape, asked once, for the pipeline on its own.
    let python_endpoint = endpoint(monolith.url());
    let canned: Vec<(Value, Vec<Value>)> = shapes()
        .iter()
        .map(|shape| {
            let prepared = prepare(schema, &targets, &keys, recorded(shape))
                .remove(0)
                .unwrap();
            let answer = client
                .post(&python_endpoint, &prepared.python_request(), &stop)
                .unwrap()
                .body;
            let occurrences = find_occurrences(&prepared, schema, &targets, &answer["data"]);
            let go_answers = go_requests(&prepared, &targets, &occurrences)
                .iter()
                .map(|r| client.post(&go[&r.service], &r.body, &stop).unwrap().body)
                .collect();
            (answer, go_answers)
        })
        .collect();

    let shapes = shapes();
    let mut samples = 0usize;
    let cpu_before = cpu_of("/proc/self/stat");
    let started = Instant::now();
    for i in 0..operations {
        let (answer, go_answers) = &canned[i % shapes.len()];
        for prepared in prepare(schema, &targets, &keys, recorded(&shapes[i % shapes.len()])) {
            let prepared = prepared.unwrap();
            let _ = prepared.python_request();
            let occurrences = find_occurrences(&prepared, schema, &targets, &answer["data"]);
            let requests = go_requests(&prepared, &targets, &occurrences);
            let differ = Differ {
                document: &prepared.document,
                schema,
                rules: &rules,
            };
            for (request, go_answer) in requests.iter().zip(go_answers) {
                for (occurrence, locator) in &request.slots {
                    let occurrence = &occurrences[*occurrence];
                    let python = outcome_at(answer, &occurrence.path);
                    let go: Outcome = go_outcome(go_answer, locator);
                    std::hint::black_box(judge(&differ, occurrence, &python, &python, &go));
                    samples += 1;
                }
            }
        }
    }
    let pipeline_wall = started.elapsed();
    let pipeline_cpu = cpu_of("/proc/self/stat") - cpu_before;

    let servers_before: Vec<Duration> = servers.iter().map(|s| s.cpu()).collect();
    let cpu_before = cpu_of("/proc/self/stat");
    let started = Instant::now();
    let files = corpus_files(vec![CorpusFile {
        path: log.clone(),
        shown: "operations.jsonl".into(),
    }])
    .unwrap();
    let setup = ReplaySetup {
        schema,
        targets: &targets,
        keys: &keys,
        rules: &rules,
        python: python_endpoint,
        go,
        client,
        jobs,
        examples: 3,
    };
    let measured = replay(&setup, Corpus::new(files), &stop, &|_| {});
    let replay_wall = started.elapsed();
    let ferry_cpu = cpu_of("/proc/self/stat") - cpu_before;
    let servers_cpu: Duration = servers
        .iter()
        .zip(&servers_before)
        .map(|(s, before)| s.cpu() - *before)
        .sum();

    let per_op = |d: Duration| d.as_secs_f64() * 1e6 / operations as f64;
    println!(
        "compare_replay: {operations} operations, {} cores, {jobs} jobs",
        cores()
    );
    println!(
        "  pipeline (parse+validate+rewrite, samples, Go requests, diff; {samples} samples): {:.0} µs CPU/op ({:.0} µs wall/op)",
        per_op(pipeline_cpu),
        per_op(pipeline_wall)
    );
    println!(
        "  replay over HTTP: {:.1} s wall ({:.0} operations/s), {} replayed, {} samples, {} mismatched",
        replay_wall.as_secs_f64(),
        operations as f64 / replay_wall.as_secs_f64(),
        measured.operations.replayed,
        measured.samples(),
        measured.mismatches()
    );
    println!(
        "  ferry CPU: {:.0} µs/op; the three servers' CPU: {:.0} µs/op",
        per_op(ferry_cpu),
        per_op(servers_cpu)
    );
}
