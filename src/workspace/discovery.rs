//! `ferry init`: what an existing codebase says about itself — the
//! monolith's SDL, its Python roots and GraphQL library, its Go services —
//! written down as a commented `ferry.toml`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Discovery {
    /// `.graphql` files outside Go services: the monolith's SDL.
    pub monolith_schema: Vec<String>,
    /// Top-level directories holding Python that imports a GraphQL library.
    pub python_roots: Vec<String>,
    /// How many Python files import each library.
    pub frameworks: BTreeMap<&'static str, usize>,
    pub services: Vec<DiscoveredService>,
}

#[derive(Debug)]
pub struct DiscoveredService {
    pub name: String,
    /// Its directory (of the gqlgen.yml, or of the go.mod), relative to the root.
    pub dir: String,
    /// The gqlgen.yml, when there is one.
    pub gqlgen: Option<String>,
    /// Without gqlgen: the schema files.
    pub schema: Vec<String>,
    /// What its schema files say of the dialect: `@override` used, or a
    /// federation `@link` of 2.7 or later (progressive override).
    pub overrides: bool,
    /// Whether its schema files link federation v2 at all.
    pub federation_2: bool,
}

/// What a service's schema text says: (uses progressive override, links federation v2).
fn schema_dialect(texts: &[String]) -> (bool, bool) {
    let mut overrides = false;
    let mut federation_2 = false;
    for text in texts {
        let code: String = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        overrides |= code.contains("@override(");
        for (at, _) in code.match_indices("specs.apollo.dev/federation/v2") {
            federation_2 = true;
            let minor: String = code[at + "specs.apollo.dev/federation/v2".len()..]
                .strip_prefix('.')
                .unwrap_or("")
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            overrides |= minor.parse::<u32>().is_ok_and(|m| m >= 7);
        }
    }
    (overrides, federation_2)
}

const LIBRARIES: [(&str, &str); 3] = [
    ("graphene", "graphene"),
    ("strawberry", "strawberry"),
    ("ariadne", "ariadne"),
];

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Which GraphQL library a Python file imports, by its import lines.
fn library_of(text: &str) -> Option<&'static str> {
    text.lines().find_map(|line| {
        let line = line.trim_start();
        LIBRARIES.iter().find_map(|(name, module)| {
            let imports = line.starts_with(&format!("import {module}"))
                || line.starts_with(&format!("from {module} "))
                || line.starts_with(&format!("from {module}."));
            imports.then_some(*name)
        })
    })
}

impl Discovery {
    pub fn scan(root: &Path) -> Discovery {
        let files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .map(|e| e.into_path())
            .filter(|p| {
                !p.components()
                    .any(|c| c.as_os_str() == ".venv" || c.as_os_str() == "node_modules")
            })
            .collect();
        let go_dirs: BTreeSet<PathBuf> = files
            .iter()
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n == "go.mod" || n == "gqlgen.yml")
            })
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        let in_go = |p: &Path| go_dirs.iter().any(|d| p.starts_with(d));
        let mut found = Discovery::default();
        let mut roots = BTreeSet::new();
        for path in &files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.ends_with(".graphql") && !in_go(path) {
                found.monolith_schema.push(rel(root, path));
            }
            if name.ends_with(".py") && !in_go(path) {
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                if let Some(library) = library_of(&text) {
                    *found.frameworks.entry(library).or_insert(0) += 1;
                    let relative = rel(root, path);
                    let top = relative.split('/').next().unwrap_or(".");
                    roots.insert(if relative.contains('/') {
                        top.to_string()
                    } else {
                        ".".into()
                    });
                }
            }
        }
        found.python_roots = roots.into_iter().collect();
        let mut gqlgen_dirs = BTreeSet::new();
        for path in &files {
            if path.file_name().is_some_and(|n| n == "gqlgen.yml") {
                let dir = path.parent().unwrap_or(root);
                gqlgen_dirs.insert(dir.to_path_buf());
                let texts = schema_texts(&files, dir);
                let (overrides, federation_2) = schema_dialect(&texts);
                found.services.push(DiscoveredService {
                    name: service_name(root, dir),
                    dir: rel(root, dir),
                    gqlgen: Some(rel(root, path)),
                    schema: Vec::new(),
                    overrides,
                    federation_2,
                });
            }
        }
        // Go modules with schema files but no gqlgen.yml.
        for dir in &go_dirs {
            if gqlgen_dirs
                .iter()
                .any(|g| dir.starts_with(g) || g.starts_with(dir))
            {
                continue;
            }
            let schema: Vec<String> = files
                .iter()
                .filter(|p| p.starts_with(dir) && p.extension().is_some_and(|e| e == "graphqls"))
                .map(|p| rel(root, p))
                .collect();
            if !schema.is_empty() {
                let (overrides, federation_2) = schema_dialect(&schema_texts(&files, dir));
                found.services.push(DiscoveredService {
                    name: service_name(root, dir),
                    dir: rel(root, dir),
                    gqlgen: None,
                    schema,
                    overrides,
                    federation_2,
                });
            }
        }
        found.services.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    /// `override` when a service already uses progressive override.
    pub fn dialect(&self) -> &'static str {
        if self.services.iter().any(|s| s.overrides) {
            "override"
        } else {
            "migrate"
        }
    }

    /// The library most files import; `auto` when several are used.
    pub fn framework(&self) -> &'static str {
        match self.frameworks.len() {
            1 => self.frameworks.keys().next().copied().unwrap_or("auto"),
            _ => "auto",
        }
    }

    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let quote = |items: &[String]| {
            items
                .iter()
                .map(|i| format!("{i:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(
            "# ferry workspace, written by `ferry init`; the comment above each key says\n\
             # what it means. --root, --python-schema, --python-root and --framework\n\
             # override it for one run.\n\n",
        );
        let _ = writeln!(
            out,
            "# How the services' schemas spell a field's stage: migrate (@migrate, for a\n\
             # gateway that reads it) or override (Federation 2.7's progressive @override).\n\
             dialect = \"{}\"\n\n[python]",
            self.dialect()
        );
        if self.monolith_schema.is_empty() {
            out.push_str(
                "# No SDL found. Export the monolith's schema and name the file here:\n\
                 #   graphene (Django):  python manage.py graphql_schema --schema app.schema.schema --out schema.graphql\n\
                 #   graphene:           python -c 'from app.schema import schema; print(schema)' > schema.graphql\n\
                 #   strawberry:         strawberry export-schema app.schema:schema > schema.graphql\n\
                 #   ariadne:            the SDL files passed to make_executable_schema\n\
                 # then add @key(fields: \"id\") to the entities Go services will extend.\n\
                 # Until then ferry reads the Go services alone (every field at stage go).\n\
                 # schema = [\"schema.graphql\"]\n",
            );
        } else {
            out.push_str(
                "# The SDL the monolith serves, with @key on the entities Go services extend.\n",
            );
            let _ = writeln!(out, "schema = [{}]", quote(&self.monolith_schema));
        }
        out.push_str("# Where the resolvers live, and where module names start (sys.path).\n");
        let roots = if self.python_roots.is_empty() {
            vec![".".to_string()]
        } else {
            self.python_roots.clone()
        };
        let _ = writeln!(out, "roots = [{}]", quote(&roots));
        out.push_str("import_roots = [\".\"]\n");
        let counts: Vec<String> = self
            .frameworks
            .iter()
            .map(|(k, v)| format!("{k}: {v} files"))
            .collect();
        let _ = writeln!(
            out,
            "# graphene | strawberry | ariadne | auto{}",
            if counts.is_empty() {
                String::new()
            } else {
                format!(" (imports seen: {})", counts.join(", "))
            }
        );
        let _ = writeln!(out, "framework = \"{}\"", self.framework());
        out.push_str("# Globs of Python files not scanned.\n");
        out.push_str("exclude = [\"**/tests/**\", \"**/migrations/**\"]\n");
        out.push_str(
            "# Entity keys the SDL does not state, e.g. { User = \"kaid\" }.\nkeys = {}\n",
        );
        out.push_str(
            "# The monolith's subgraph name in the supergraph (what @override(from:) names).\n# subgraph = \"monolith\"\n",
        );
        for service in &self.services {
            out.push_str(
                "\n# A Go service; `name` is what --into and --service take.\n[[services]]\n",
            );
            let _ = writeln!(out, "name = {:?}", service.name);
            if self.dialect() == "override" && !service.federation_2 {
                out.push_str("# Federation v1 has no @override: this service keeps @migrate.\ndialect = \"migrate\"\n");
            }
            match &service.gqlgen {
                Some(gqlgen) => {
                    out.push_str(
                        "# Its schema files and resolver package are read from its gqlgen.yml.\n",
                    );
                    let _ = writeln!(out, "gqlgen = {gqlgen:?}");
                }
                None => {
                    out.push_str(
                        "# Without gqlgen: its schema files, resolver directory and Go package.\n",
                    );
                    let _ = writeln!(out, "schema = [{}]", quote(&service.schema));
                    out.push_str("# resolvers = \"graph\"\n# package = \"graph\"\n");
                }
            }
            out.push_str("# Where `mark` puts fields that need a new block (default: its first schema file):\n");
            let migrated = Path::new(&service.dir).join("migrated.graphqls");
            let _ = writeln!(out, "# new_fields = {:?}", rel(Path::new(""), &migrated));
            out.push_str("# Fields it is planned to take over (progress counts them):\n# owns = [\"Type.*\"]\n");
        }
        if self.services.is_empty() {
            out.push_str("\n# No Go service found (a gqlgen.yml, or a go.mod beside *.graphqls files).\n# [[services]]\n# name = \"users\"\n# gqlgen = \"services/users/gqlgen.yml\"\n");
        }
        out
    }
}

/// The GraphQL schema files under a service's directory.
fn schema_texts(files: &[PathBuf], dir: &Path) -> Vec<String> {
    files
        .iter()
        .filter(|p| p.starts_with(dir))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "graphqls" || e == "graphql")
        })
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

fn service_name(root: &Path, dir: &Path) -> String {
    if dir == root {
        return "service".into();
    }
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "service".into())
}
