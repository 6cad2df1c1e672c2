//! The generated workspace the scale benchmarks share: a monolith of 5,000
//! entity types with 10 fields each (plus a root field per type), and a Go
//! service already holding the fields of the first 500 types.
#![allow(dead_code)]

use std::fmt::Write;

pub const TYPES: usize = 5_000;
pub const FIELDS_PER_TYPE: usize = 10;
pub const IN_SERVICE: usize = 500; // types whose fields the service already holds (5,000 fields)

/// The type of field `f` of every generated entity.
pub fn field_type(f: usize) -> &'static str {
    match f % 4 {
        0 => "Int",
        1 => "String",
        2 => "Time",
        _ => "Color",
    }
}

pub fn monolith() -> String {
    let mut out = String::from("scalar Time\n\nenum Color {\n  RED\n  GREEN\n}\n\ntype Query {\n");
    for t in 0..TYPES {
        let _ = writeln!(out, "  t{t}(id: ID!): T{t}");
    }
    out.push_str("}\n");
    for t in 0..TYPES {
        let _ = write!(
            out,
            "\n\"\"\"Entity {t}.\"\"\"\ntype T{t} @key(fields: \"id\") {{\n  id: ID!\n"
        );
        for f in 1..FIELDS_PER_TYPE {
            let ty = field_type(f);
            let _ = writeln!(
                out,
                "  \"\"\"Field {f}.\"\"\"\n  f{f}(first: Int = 10): {ty}"
            );
        }
        out.push_str("}\n");
    }
    out
}

pub fn service() -> String {
    let mut out = String::from(
        "directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION\n\nscalar Time\n\nenum Color {\n  RED\n  GREEN\n}\n",
    );
    for t in 0..IN_SERVICE {
        let _ = write!(
            out,
            "\nextend type T{t} @key(fields: \"id\") {{\n  id: ID! @external\n"
        );
        for f in 1..FIELDS_PER_TYPE {
            let ty = field_type(f);
            let _ = writeln!(
                out,
                "  f{f}(first: Int = 10): {ty} @migrate(from: \"python\", state: \"manual\")"
            );
        }
        out.push_str("}\n");
    }
    out
}

/// Writes the generated workspace (ferry.toml with `extra` appended to the
/// service's section) and returns the overrides that load it.
pub fn write_workspace(root: &std::path::Path, extra: &str) -> ferry::workspace::Overrides {
    std::fs::create_dir_all(root.join("svc")).unwrap();
    std::fs::write(root.join("monolith.graphql"), monolith()).unwrap();
    std::fs::write(root.join("svc/schema.graphqls"), service()).unwrap();
    std::fs::write(
        root.join("ferry.toml"),
        format!("[python]\nschema = [\"monolith.graphql\"]\n\n[[services]]\nname = \"svc\"\nschema = [\"svc/schema.graphqls\"]\n{extra}"),
    )
    .unwrap();
    ferry::workspace::Overrides {
        root: Some(root.to_path_buf()),
        ..Default::default()
    }
}

pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
