//! Schema-side scale: a generated monolith of 5,000 types / 50,000 fields
//! and a Go service holding 5,000 of them. Measures, in one run:
//!   baseline  apollo-parser's bare parse of the same SDL (both files)
//!   status    load the workspace + inventory + `status --json` rendering
//!   mark      planning `mark` of 1,000 fields in one call, and writing it
//! Run with `cargo bench --bench schema_scale`; prints the fastest of 7 runs
//! (for the two targets, whose runs alternate with their baseline's so
//! that both meet the same machine: of 25 pairs at 55k fields, of 100 on
//! GitHub's schema, each set a few seconds long, so that a burst of other
//! load on a shared machine cannot cover all of it). `schema_scale write DIR` writes
//! the generated workspace to DIR and stops (for `perf` or callgrind of
//! the `ferry` binary on it); `schema_scale repeat DIR N` runs load +
//! `status --json` on it N times in this process, as the timed target
//! does (for `perf record` of the warm-allocator path the target times).

mod common;

use common::{FIELDS_PER_TYPE, IN_SERVICE, TYPES, cores, monolith, service, write_workspace};
use ferry::migration::plan::{EditOptions, EditRequest, Verb, plan};
use ferry::migration::selector::Selection;
use ferry::model::inventory::Inventory;
use ferry::model::project::Project;
use ferry::render::{json, report::StatusReport};
use ferry::schema::loaded::LoadedSchema;
use ferry::workspace::Overrides;
use std::time::{Duration, Instant};

// The same allocator as the ferry binary, for baseline and ferry alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The fastest of `runs`: on a shared machine the other builds only ever
/// add time, so the minimum is the steadiest figure. What `f` returns is
/// dropped after the clock stops, for the baseline's trees and ferry's
/// project alike (`ferry status` exits without freeing its project).
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let result = std::hint::black_box(f());
            let elapsed = start.elapsed();
            drop(result);
            elapsed
        })
        .min()
        .expect("at least one run")
}

const RUNS: usize = 7;

/// The fastest of `runs` of `a` and of `b`, run in turns (a, b, a, b, …):
/// a change in the machine's load meets both alike, so their ratio holds.
fn time_pair<A, B>(
    runs: usize,
    mut a: impl FnMut() -> A,
    mut b: impl FnMut() -> B,
) -> (Duration, Duration) {
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        best_a = best_a.min(time(1, &mut a));
        best_b = best_b.min(time(1, &mut b));
    }
    (best_a, best_b)
}

/// Pairs (baseline, target) for the 55k-field workspace (~0.2 s a pair)
/// and for GitHub's schema (~0.04 s a pair).
const PAIRED_RUNS: usize = 25;
const GITHUB_PAIRED_RUNS: usize = 100;

/// What `ferry status --json > /dev/null` does: the timed target. The
/// document is written piece by piece, as the binary writes its stdout.
fn load_and_status(overrides: &Overrides) -> Project {
    let project = Project::load(overrides).unwrap();
    let fields = project.inventory.fields.iter().collect();
    let document = json::Document::new(&StatusReport::new(&project, fields));
    let mut null = std::fs::File::create("/dev/null").unwrap();
    document.write_to(&mut null).unwrap();
    project
}

fn main() {
    // As the `ferry` binary does.
    // SAFETY: first thing, on the only thread, before any tree-sitter call.
    unsafe { ferry::commands::allocator::set_up() };
    // `cargo bench` adds `--bench` to what it passes.
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    if let [_, mode, dir] = &args[..]
        && mode == "write"
    {
        write_workspace(std::path::Path::new(dir), "");
        println!("{dir}");
        return;
    }
    if let [_, mode, dir, times] = &args[..]
        && mode == "repeat"
    {
        let overrides = Overrides {
            root: Some(std::path::PathBuf::from(dir)),
            ..Default::default()
        };
        let times: usize = times.parse().expect("N, a number of runs");
        let best = time(times, || load_and_status(&overrides));
        println!("load + status --json, fastest of {times}: {best:.1?}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mono = monolith();
    let svc = service();
    let overrides = write_workspace(root, "");
    let cores = cores();
    println!(
        "schema_scale: {TYPES} types, {} fields; monolith {} KB, service {} KB; {cores} cores",
        TYPES * FIELDS_PER_TYPE + TYPES,
        mono.len() / 1024,
        svc.len() / 1024
    );

    let (baseline, status) = time_pair(
        PAIRED_RUNS,
        || {
            let a = apollo_parser::Parser::new(&mono).parse();
            let b = apollo_parser::Parser::new(&svc).parse();
            (a, b)
        },
        || load_and_status(&overrides),
    );

    // Where the time of load + status goes, phase by phase.
    let read = |rel: &str| {
        let path = ferry::workspace::WorkspacePath::new(root, root.join(rel));
        ferry::schema::source::SourceFile::read(path).unwrap()
    };
    let ast_phase = time(RUNS, || {
        apollo_compiler::parser::Parser::new()
            .parse_ast(&mono, "monolith.graphql")
            .unwrap()
    });
    let monolith_phase = time(RUNS, || {
        LoadedSchema::load_lenient(vec![read("monolith.graphql")]).unwrap()
    });
    let service_phase = time(RUNS, || {
        LoadedSchema::load(vec![read("svc/schema.graphqls")]).unwrap()
    });
    let project = Project::load(&overrides).unwrap();
    let inventory_phase = time(RUNS, || {
        Inventory::build(
            &project.workspace,
            &project.monolith,
            &project.services,
            &project.ledger,
        )
    });
    let report_phase = time(RUNS, || {
        StatusReport::new(&project, project.inventory.fields.iter().collect())
            .fields
            .len()
    });
    let report = StatusReport::new(&project, project.inventory.fields.iter().collect());
    let json_phase = time(RUNS, || json::Document::new(&report).byte_len());
    let reload_phase = time(RUNS, || project.reload(&overrides).unwrap());

    let names: Vec<String> = (IN_SERVICE..IN_SERVICE + 1_000 / (FIELDS_PER_TYPE - 1) + 1)
        .flat_map(|t| (1..FIELDS_PER_TYPE).map(move |f| format!("T{t}.f{f}")))
        .take(1_000)
        .collect();
    let selection = Selection::parse(&names, None, &[], &mut std::io::empty()).unwrap();
    let fields = selection.select(&project.inventory).unwrap();
    assert_eq!(fields.len(), 1_000);
    let options = EditOptions::default();
    let request = EditRequest {
        verb: Verb::Mark {
            into: "svc".into(),
            canary: false,
            group: None,
        },
        fields: fields.iter().map(|f| f.coordinate.clone()).collect(),
    };
    let mark_plan = time(RUNS, || plan(&project, &request, options).unwrap());
    let mark_total = time(1, || {
        let project = Project::load(&overrides).unwrap();
        let written = plan(&project, &request, options)
            .unwrap()
            .changes
            .write_locked(&project.workspace.root)
            .unwrap();
        // As `ferry mark` does: the process ends, the system frees it.
        std::mem::forget(project);
        written
    });

    // GitHub's public schema (1.2 MB) as the monolith.
    let github = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/github/schema.graphql"
    ))
    .unwrap();
    let gh = tempfile::tempdir().unwrap();
    std::fs::write(gh.path().join("github.graphql"), &github).unwrap();
    std::fs::create_dir_all(gh.path().join("svc")).unwrap();
    std::fs::write(
        gh.path().join("svc/schema.graphqls"),
        "extend type Query {\n  health: Boolean\n}\n",
    )
    .unwrap();
    std::fs::write(
        gh.path().join("ferry.toml"),
        "[python]\nschema = [\"github.graphql\"]\n\n[[services]]\nname = \"svc\"\nschema = [\"svc/schema.graphqls\"]\n",
    )
    .unwrap();
    let gh_overrides = Overrides {
        root: Some(gh.path().to_path_buf()),
        ..Default::default()
    };
    let (gh_baseline, gh_status) = time_pair(
        GITHUB_PAIRED_RUNS,
        || apollo_parser::Parser::new(&github).parse(),
        || load_and_status(&gh_overrides),
    );

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "  baseline (apollo-parser parse)      {:8.1} ms",
        ms(baseline)
    );
    println!(
        "  load + status --json                {:8.1} ms  ({:.1}x baseline)",
        ms(status),
        ratio(status)
    );
    println!(
        "  mark 1,000 fields (plan)            {:8.1} ms  ({:.1}x baseline)",
        ms(mark_plan),
        ratio(mark_plan)
    );
    println!(
        "  mark 1,000 fields (load+plan+write) {:8.1} ms  ({:.1}x baseline)",
        ms(mark_total),
        ratio(mark_total)
    );
    println!("  where load + status goes (each phase alone, one after another):");
    for (name, phase) in [
        ("monolith: apollo-compiler AST (one core)", ast_phase),
        ("monolith: read + parse + build + validate", monolith_phase),
        ("service: read + parse + build + validate", service_phase),
        ("inventory: join the schemas", inventory_phase),
        ("status report (check's findings)", report_phase),
        ("JSON rendering", json_phase),
        ("reload with nothing changed", reload_phase),
    ] {
        println!("    {name:<44} {:8.1} ms", ms(phase));
    }
    println!("github schema ({} KB):", github.len() / 1024);
    println!(
        "  baseline (apollo-parser parse)      {:8.1} ms",
        ms(gh_baseline)
    );
    println!(
        "  load + status --json                {:8.1} ms  ({:.1}x baseline)",
        ms(gh_status),
        gh_status.as_secs_f64() / gh_baseline.as_secs_f64()
    );
}
