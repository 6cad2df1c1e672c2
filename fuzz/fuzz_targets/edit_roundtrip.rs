//! mark, advance and rollback over generated SDL, written to disk through
//! ferry's own batches. After every write the workspace must load again
//! (every file re-parses and every service re-validates), and a mark or an
//! advance then rolled back must give back every byte.
//!
//! The input decides the workspace's shape (entities, fields, federation
//! v1 or v2, CRLF, a byte-order mark, a declared `@migrate`, an existing
//! block, odd text in comments and descriptions) and the edits.
//!
//! Built with libFuzzer by `cargo fuzz run edit_roundtrip`; without the
//! `libfuzzer` feature it is a plain binary that runs N generated inputs:
//! `edit_roundtrip N [SEED]` (scripts/fuzz --loop).

#![cfg_attr(feature = "libfuzzer", no_main)]

use ferry::migration::plan::{EditOptions, plan_mark, plan_step};
use ferry::migration::selector::Selection;
use ferry::migration::transition;
use ferry::model::inventory::{FieldKind, FieldRecord};
use ferry::model::project::Project;
use ferry::model::stage::Stage;
use ferry::workspace::Overrides;
use std::collections::BTreeMap;
use std::path::Path;

/// Reads the input a byte at a time; past its end, zeros.
struct Input<'d> {
    data: &'d [u8],
    at: usize,
}

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
    fn below(&mut self, n: usize) -> usize {
        self.byte() as usize % n
    }
    fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }
    fn done(&self) -> bool {
        self.at >= self.data.len()
    }
    /// Up to 12 bytes as text, any characters but line ends and quotes.
    fn text(&mut self) -> String {
        let len = self.below(13);
        let bytes: Vec<u8> = (0..len).map(|_| self.byte()).collect();
        String::from_utf8_lossy(&bytes)
            .chars()
            .map(|c| match c {
                '\n' | '\r' | '"' | '\\' | '\u{2028}' | '\u{2029}' => ' ',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect()
    }
}

struct Shape {
    entities: usize,
    fields: usize,
    v2: bool,
    crlf: bool,
    bom: bool,
    declares_migrate: bool,
    existing_block: bool,
    noise: String,
}

const SCALARS: [&str; 5] = ["Int", "String", "Time", "Color", "Boolean!"];

fn monolith(shape: &Shape) -> String {
    let mut out = String::from(
        "scalar Time\n\n\"\"\"A color.\"\"\"\nenum Color {\n  RED\n  GREEN\n}\n\ntype Stats {\n  count: Int!\n  color: Color\n}\n\ninput Filter {\n  color: Color = RED\n  since: Time\n}\n",
    );
    for t in 0..shape.entities {
        out.push_str(&format!(
            "\n\"\"\"Entity {t}: {}\"\"\"\ntype T{t} @key(fields: \"id\") {{\n  id: ID!\n",
            shape.noise
        ));
        for f in 0..shape.fields {
            let ty = match f % 7 {
                5 => format!("T{}", (t + 1) % shape.entities),
                6 => "Stats".to_string(),
                n => SCALARS[n % SCALARS.len()].to_string(),
            };
            let args = if f % 3 == 1 {
                "(filter: Filter, first: Int = 10)"
            } else {
                ""
            };
            let deprecated = if f % 4 == 3 {
                " @deprecated(reason: \"old\")"
            } else {
                ""
            };
            out.push_str(&format!(
                "  \"{}\"\n  f{f}{args}: {ty}{deprecated}\n",
                shape.noise
            ));
        }
        out.push_str("}\n");
    }
    out.push_str("\ntype Query {\n");
    for t in 0..shape.entities {
        out.push_str(&format!("  t{t}(id: ID!): T{t}\n"));
    }
    out.push_str("}\n\ntype Mutation {\n  touch(id: ID!, filter: Filter): T0\n}\n");
    out
}

fn service(shape: &Shape) -> String {
    let mut out = String::new();
    if shape.v2 {
        out.push_str("extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"])\n\n");
    }
    out.push_str(&format!("# {}\n\n", shape.noise));
    if shape.declares_migrate {
        out.push_str("directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION\n\n");
    }
    out.push_str("type Health {\n  ok: Boolean! # ");
    out.push_str(&shape.noise);
    out.push_str("\n}\n\nextend type Query {\n  health: Health\n}\n");
    if shape.existing_block {
        if shape.v2 {
            out.push_str("\ntype T0 @key(fields: \"id\") {\n  id: ID!\n  goOnly: String\n}\n");
        } else {
            out.push_str("\nextend type T0 @key(fields: \"id\") {\n  id: ID! @external\n  goOnly: String\n}\n");
        }
    }
    out
}

fn style(text: &str, shape: &Shape) -> String {
    let text = if shape.crlf {
        text.replace('\n', "\r\n")
    } else {
        text.to_string()
    };
    if shape.bom {
        format!("\u{feff}{text}")
    } else {
        text
    }
}

fn write_workspace(dir: &Path, shape: &Shape) {
    std::fs::create_dir_all(dir.join("svc/graph")).unwrap();
    std::fs::write(dir.join("monolith.graphql"), style(&monolith(shape), shape)).unwrap();
    std::fs::write(
        dir.join("svc/graph/schema.graphqls"),
        style(&service(shape), shape),
    )
    .unwrap();
    let yml = if shape.declares_migrate {
        "schema:\n  - graph/*.graphqls\ndirectives:\n  migrate:\n    skip_runtime: true\n"
    } else {
        "schema:\n  - graph/*.graphqls\n"
    };
    std::fs::write(dir.join("svc/gqlgen.yml"), style(yml, shape)).unwrap();
    std::fs::write(
        dir.join("ferry.toml"),
        "[python]\nschema = [\"monolith.graphql\"]\nroots = []\n\n[[services]]\nname = \"svc\"\ngqlgen = \"svc/gqlgen.yml\"\n",
    )
    .unwrap();
}

fn snapshot(dir: &Path) -> BTreeMap<&'static str, Vec<u8>> {
    [
        "monolith.graphql",
        "svc/graph/schema.graphqls",
        "svc/gqlgen.yml",
    ]
    .into_iter()
    .map(|rel| (rel, std::fs::read(dir.join(rel)).unwrap()))
    .collect()
}

/// Every file re-parses and the service re-validates, or this panics.
fn load(dir: &Path) -> Project {
    Project::load(&Overrides {
        root: Some(dir.to_path_buf()),
        no_cache: true,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("the workspace no longer loads: {e}"))
}

fn select<'p>(project: &'p Project, names: &[String]) -> Vec<&'p FieldRecord> {
    Selection::parse(names, None, &[], &mut std::io::empty())
        .unwrap()
        .select(&project.inventory)
        .unwrap()
}

const FORCE: EditOptions = EditOptions {
    force: true,
    keep_going: false,
};

fn names_where(project: &Project, keep: impl Fn(&FieldRecord) -> bool) -> Vec<String> {
    project
        .inventory
        .fields
        .iter()
        .filter(|f| keep(f))
        .map(|f| f.coordinate.to_string())
        .collect()
}

/// Rolls `names` back until none has a directive, at most `steps` times.
fn roll_back(dir: &Path, names: &[String], steps: usize) {
    for _ in 0..steps {
        let current = load(dir);
        let fields: Vec<_> = select(&current, names)
            .into_iter()
            .filter(|f| f.stage.has_directive())
            .collect();
        if fields.is_empty() {
            return;
        }
        let plan = plan_step(&current, &fields, FORCE, None, transition::rollback).unwrap();
        plan.changes.write_locked(dir).unwrap();
    }
}

pub fn run(data: &[u8]) {
    let mut input = Input { data, at: 0 };
    let shape = Shape {
        entities: 2 + input.below(3),
        fields: 2 + input.below(6),
        v2: input.flag(),
        crlf: input.flag(),
        bom: input.flag(),
        declares_migrate: input.flag(),
        existing_block: input.flag(),
        noise: input.text(),
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_workspace(root, &shape);
    for _ in 0..6 {
        if input.done() {
            break;
        }
        let project = load(root);
        let before = snapshot(root);
        match input.below(3) {
            0 => {
                let candidates = names_where(&project, |f| {
                    f.stage == Stage::Python
                        && f.kind != FieldKind::Interface
                        && f.coordinate.field_name != "id"
                        && f.coordinate.type_name != "Stats"
                });
                if candidates.is_empty() {
                    continue;
                }
                let mut names: Vec<String> = (0..1 + input.below(4))
                    .map(|_| candidates[input.below(candidates.len())].clone())
                    .collect();
                names.sort();
                names.dedup();
                let canary = input.flag();
                let keep = input.flag();
                let fields = select(&project, &names);
                let Ok(plan) = plan_mark(
                    &project,
                    &fields,
                    "svc",
                    canary,
                    canary.then_some("red"),
                    FORCE,
                ) else {
                    continue;
                };
                plan.changes.write_locked(root).unwrap();
                let marked = load(root);
                for field in select(&marked, &names) {
                    assert!(
                        field.stage.has_directive(),
                        "{} was not marked",
                        field.coordinate
                    );
                }
                if !keep {
                    roll_back(root, &names, 2);
                    assert_eq!(snapshot(root), before, "mark then rollback changed bytes");
                }
            }
            1 => {
                let movable = names_where(&project, |f| {
                    matches!(f.stage, Stage::Manual | Stage::SideBySide | Stage::Canary)
                });
                if movable.is_empty() {
                    continue;
                }
                let name = movable[input.below(movable.len())].clone();
                let keep = input.flag();
                let fields = select(&project, std::slice::from_ref(&name));
                let from = fields[0].stage;
                let Ok(plan) = plan_step(&project, &fields, FORCE, Some("blue"), |f| {
                    transition::advance(f, None, true)
                }) else {
                    continue;
                };
                plan.changes.write_locked(root).unwrap();
                let to = plan.moves[0].to;
                // canary → migrated drops the color: rollback cannot retrace it.
                if !keep && !(from == Stage::Canary && to == Stage::Migrated) {
                    roll_back(root, std::slice::from_ref(&name), 1);
                    assert_eq!(
                        snapshot(root),
                        before,
                        "advance then rollback changed bytes"
                    );
                }
            }
            _ => {
                let directed = names_where(&project, |f| f.stage.has_directive());
                if directed.is_empty() {
                    continue;
                }
                let name = directed[input.below(directed.len())].clone();
                roll_back(root, &[name], 1);
            }
        }
        load(root);
    }
}

#[cfg(feature = "libfuzzer")]
libfuzzer_sys::fuzz_target!(|data: &[u8]| run(data));

/// `edit_roundtrip N [SEED]`: N inputs from a xorshift generator.
#[cfg(not(feature = "libfuzzer"))]
fn main() {
    let mut args = std::env::args().skip(1);
    let runs: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let mut state: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15)
        | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..runs {
        let len = 8 + (next() % 56) as usize;
        let data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let outcome = std::panic::catch_unwind(|| run(&data));
        if outcome.is_err() {
            eprintln!("input {i} failed: {data:?}");
            std::process::exit(1);
        }
        if (i + 1) % 100 == 0 {
            eprintln!("{} inputs ran clean", i + 1);
        }
    }
    println!("{runs} inputs ran clean");
}
