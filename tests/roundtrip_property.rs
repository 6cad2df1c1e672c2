//! Property: on generated workspaces (federation v1 and v2, a v2 `@link`
//! on several lines importing `@key` under another name, a new service
//! whose schema holds only a comment, LF and CRLF, with or without a BOM), random sequences of edits keep every schema
//! valid, `mark` is idempotent, and `mark`/`advance` followed by `rollback`
//! give back every byte.

use ferry::migration::plan::{EditOptions, EditRequest, Plan, PlanError, Verb, plan};
use ferry::migration::selector::Selection;
use ferry::model::inventory::FieldKind;
use ferry::model::project::Project;
use ferry::model::stage::Stage;
use ferry::workspace::Overrides;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone)]
struct Shape {
    entities: usize,
    fields_per_type: usize,
    v2: bool,
    crlf: bool,
    bom: bool,
    declares_migrate: bool,
    existing_block: bool,
    /// v2: the `@link` spans lines and imports `@key` as `@primaryKey`.
    renamed: bool,
    /// A new service: only a comment (and perhaps `@migrate`'s definition);
    /// its version comes from ferry.toml.
    empty: bool,
}

const SCALARS: [&str; 5] = ["Int", "String", "Time", "Color", "Boolean!"];

fn monolith(shape: &Shape) -> String {
    let mut out = String::from(
        "scalar Time\n\n\"\"\"A color.\"\"\"\nenum Color {\n  RED\n  GREEN\n}\n\ntype Stats {\n  count: Int!\n  color: Color\n}\n\ninput Filter {\n  color: Color = RED\n  since: Time\n}\n",
    );
    for t in 0..shape.entities {
        out.push_str(&format!(
            "\n\"\"\"Entity {t}.\"\"\"\ntype T{t} @key(fields: \"id\") {{\n  id: ID!\n"
        ));
        for f in 0..shape.fields_per_type {
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
                "  \"\"\"Field {f} of T{t}.\"\"\"\n  f{f}{args}: {ty}{deprecated}\n"
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
    if shape.empty {
        out.push_str("# A new service: it owns nothing yet.\n");
        if shape.declares_migrate {
            out.push_str("\ndirective @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION\n");
        }
        return out;
    }
    let key = if shape.v2 && shape.renamed {
        "primaryKey"
    } else {
        "key"
    };
    if shape.v2 && shape.renamed {
        out.push_str("extend schema\n  @link(\n    url: \"https://specs.apollo.dev/federation/v2.3\"\n    import: [\n      { name: \"@key\", as: \"@primaryKey\" },\n      \"@external\"\n    ]\n  )\n\n");
    } else if shape.v2 {
        out.push_str("extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"])\n\n");
    }
    out.push_str("# A service's own schema.\n\n");
    if shape.declares_migrate {
        out.push_str("directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION\n\n");
    }
    out.push_str("type Health {\n  ok: Boolean!\n}\n\nextend type Query {\n  health: Health\n}\n");
    if shape.existing_block {
        if shape.v2 {
            out.push_str(&format!(
                "\ntype T0 @{key}(fields: \"id\") {{\n  id: ID!\n  goOnly: String\n}}\n"
            ));
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
    let federation = if shape.v2 { 2 } else { 1 };
    std::fs::write(
        dir.join("ferry.toml"),
        format!("[python]\nschema = [\"monolith.graphql\"]\n\n[[services]]\nname = \"svc\"\ngqlgen = \"svc/gqlgen.yml\"\nfederation = {federation}\n"),
    )
    .unwrap();
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    [
        "monolith.graphql",
        "svc/graph/schema.graphqls",
        "svc/gqlgen.yml",
    ]
    .iter()
    .map(|rel| (rel.to_string(), std::fs::read(dir.join(rel)).unwrap()))
    .collect()
}

fn load(dir: &Path) -> Project {
    Project::load(&Overrides {
        root: Some(dir.to_path_buf()),
        ..Default::default()
    })
    .expect("every state ferry writes loads and validates")
}

/// Plans `verb` on the fields the project has under those names.
fn edit(project: &Project, names: &[String], verb: Verb) -> Result<Plan, PlanError> {
    let fields = select(project, names)
        .iter()
        .map(|f| f.coordinate.clone())
        .collect();
    plan(project, &EditRequest { verb, fields }, FORCE)
}

fn mark(canary: bool) -> Verb {
    Verb::Mark {
        into: "svc".into(),
        canary,
        color: canary.then(|| "red".into()),
    }
}

fn select<'p>(
    project: &'p Project,
    names: &[String],
) -> Vec<&'p ferry::model::inventory::FieldRecord> {
    Selection::parse(names, None, &[], &mut std::io::empty())
        .unwrap()
        .select(&project.inventory)
        .unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    /// Mark these fields (indices into the python-stage fields), keep them when `keep`.
    Mark {
        picks: Vec<usize>,
        canary: bool,
        keep: bool,
    },
    /// Advance one field at a directive stage, then roll back unless `keep`.
    Advance { pick: usize, keep: bool },
    /// Roll one field back one step.
    Rollback { pick: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (
            prop::collection::vec(0usize..64, 1..5),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(picks, canary, keep)| Op::Mark {
                picks,
                canary,
                keep
            }),
        (0usize..64, any::<bool>()).prop_map(|(pick, keep)| Op::Advance { pick, keep }),
        (0usize..64).prop_map(|pick| Op::Rollback { pick }),
    ]
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        2usize..5,
        2usize..9,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                entities,
                fields_per_type,
                v2,
                crlf,
                bom,
                declares_migrate,
                existing_block,
                renamed,
                empty,
            )| Shape {
                entities,
                fields_per_type,
                v2,
                crlf,
                bom,
                declares_migrate,
                existing_block,
                renamed,
                empty,
            },
        )
}

const FORCE: EditOptions = EditOptions {
    force: true,
    keep_going: false,
    delete_python: false,
};

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn edits_round_trip(shape in shape(), ops in prop::collection::vec(op(), 1..7)) {
        let dir = tempfile::tempdir().unwrap();
        write_workspace(dir.path(), &shape);
        for op in ops {
            let project = load(dir.path());
            let before = snapshot(dir.path());
            match op {
                Op::Mark { picks, canary, keep } => {
                    let candidates: Vec<String> = project.inventory.fields.iter()
                        .filter(|f| f.stage == Stage::Python && f.kind != FieldKind::Interface && f.coordinate.field_name != "id" && f.coordinate.type_name != "Stats")
                        .map(|f| f.coordinate.to_string())
                        .collect();
                    if candidates.is_empty() { continue; }
                    let mut names: Vec<String> = picks.iter().map(|i| candidates[i % candidates.len()].clone()).collect();
                    names.sort();
                    names.dedup();
                    let plan = edit(&project, &names, mark(canary)).unwrap();
                    prop_assert!(!plan.changes.is_empty());
                    plan.changes.write_locked(dir.path()).unwrap();
                    let marked = load(dir.path());
                    for name in &names {
                        let field = select(&marked, std::slice::from_ref(name))[0];
                        prop_assert_eq!(field.stage, if canary { Stage::Canary } else { Stage::Manual });
                    }
                    // Marking again changes nothing.
                    let again = edit(&marked, &names, mark(canary)).unwrap();
                    prop_assert!(again.changes.is_empty());
                    if !keep {
                        // From canary, rollback goes to manual first.
                        for _ in 0..2 {
                            let current = load(dir.path());
                            let names: Vec<String> = select(&current, &names).into_iter().filter(|f| f.stage != Stage::Python).map(|f| f.coordinate.to_string()).collect();
                            if names.is_empty() { break; }
                            edit(&current, &names, Verb::Rollback).unwrap().changes.write_locked(dir.path()).unwrap();
                        }
                        prop_assert_eq!(snapshot(dir.path()), before);
                    }
                }
                Op::Advance { pick, keep } => {
                    let movable: Vec<String> = project.inventory.fields.iter()
                        .filter(|f| matches!(f.stage, Stage::Manual | Stage::SideBySide | Stage::Canary))
                        .map(|f| f.coordinate.to_string())
                        .collect();
                    if movable.is_empty() { continue; }
                    let name = movable[pick % movable.len()].clone();
                    let fields = select(&project, std::slice::from_ref(&name));
                    let field = fields[0];
                    let from = field.stage;
                    let Ok(plan) = edit(&project, std::slice::from_ref(&name), Verb::Advance { to: None, color: Some("blue".into()) }) else {
                        continue;
                    };
                    plan.changes.write_locked(dir.path()).unwrap();
                    let to = plan.moves[0].to;
                    // Rollback retraces every edge but canary → migrated: migrated
                    // keeps no color, and a non-mutation goes back to side-by-side.
                    let invertible = !(from == Stage::Canary && to == Stage::Migrated);
                    if !keep && invertible {
                        let current = load(dir.path());
                        edit(&current, std::slice::from_ref(&name), Verb::Rollback)
                            .unwrap().changes.write_locked(dir.path()).unwrap();
                        prop_assert_eq!(snapshot(dir.path()), before);
                    }
                }
                Op::Rollback { pick } => {
                    let movable: Vec<String> = project.inventory.fields.iter()
                        .filter(|f| f.stage.has_directive())
                        .map(|f| f.coordinate.to_string())
                        .collect();
                    if movable.is_empty() { continue; }
                    let name = movable[pick % movable.len()].clone();
                    edit(&project, &[name], Verb::Rollback)
                        .unwrap().changes.write_locked(dir.path()).unwrap();
                }
            }
            // Whatever happened, the workspace still loads and validates.
            load(dir.path());
        }
    }
}
