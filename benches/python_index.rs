//! Benchmark of the Python resolver index on a generated graphene monolith.
//!
//!     cargo bench --bench python_index -- generate DIR [FILES] [LINES]
//!     cargo bench --bench python_index -- parse DIR     # bare tree-sitter parse
//!     cargo bench --bench python_index -- index DIR     # build_index, cache in DIR/.ferry/cache
//!     cargo bench --bench python_index -- index-nocache DIR
//!
//! Each measuring command prints one line of `key=value` pairs, with the
//! seconds the work took and the process's peak resident memory. Run by
//! `benches/python_index.sh`, which puts the figures together.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ferry::python::{Framework, PythonIndexOptions, build_index, parse_only};

// The allocator the ferry binary runs with (src/main.rs), so that the index
// is measured as `ferry status` builds it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Modules per package: `Query` inherits from one mixin per package, which
/// inherits from one mixin per module (a monolith's `Query` of mixins).
const MODULES_PER_PACKAGE: usize = 50;
const FIELDS_PER_TYPE: usize = 8;

fn main() {
    // As the `ferry` binary does, for the floor and ferry alike.
    // SAFETY: first thing, on the only thread, before any tree-sitter call.
    unsafe { ferry::commands::allocator::set_up() };
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let command = args.first().map(String::as_str).unwrap_or("help");
    let dir = args.get(1).map(PathBuf::from);
    match (command, dir) {
        ("generate", Some(dir)) => {
            let files = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1500);
            let lines = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(500_000);
            generate(&dir, files, lines);
        }
        ("parse", Some(dir)) => {
            let files = python_files(&dir.join("webapp"));
            let started = Instant::now();
            let parsed = parse_only(&files);
            report(started, &format!("files={parsed}"));
        }
        (mode @ ("index" | "index-nocache"), Some(dir)) => {
            let dir = dir.canonicalize().expect("workspace exists");
            let options = PythonIndexOptions {
                workspace_root: dir.clone(),
                roots: vec![dir.join("webapp")],
                import_roots: vec![dir.clone()],
                exclude: Vec::new(),
                framework: Framework::Auto,
                cache_dir: (mode == "index").then(|| dir.join(".ferry/cache")),
                progress: false,
            };
            let started = Instant::now();
            let index = build_index(&options).expect("index builds");
            report(
                started,
                &format!(
                    "files={} fields={} failed={}",
                    index.files_scanned,
                    index.fields.len(),
                    index.failed_files.len()
                ),
            );
        }
        _ => {
            eprintln!("usage: python_index (generate DIR [FILES] [LINES] | parse DIR | index DIR)");
            std::process::exit(2);
        }
    }
}

fn report(started: Instant, details: &str) {
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "seconds={seconds:.3} cpu_seconds={:.2} peak_rss_mb={} {details}",
        cpu_seconds(),
        peak_rss_mb()
    );
}

/// User + system CPU time of the process so far, from /proc (Linux); a
/// figure that a busy machine disturbs far less than wall time.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // Fields after the parenthesised command name; utime and stime
            // are fields 14 and 15, in clock ticks (100 per second on Linux).
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some((user + system) / 100.0)
        })
        .unwrap_or(0.0)
}

/// VmHWM from /proc (Linux); 0 elsewhere.
fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb / 1024)
        })
        .unwrap_or(0)
}

fn python_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "py") {
                files.push(path);
            }
        }
    }
    files
}

/// A graphene monolith of `files` modules and about `lines` lines, with
/// `webapp/schema.graphql` describing the same schema and a `ferry.toml`.
///
/// Each module holds a few object types whose resolvers carry ordinary
/// business logic (a dozen lines each), module-level helpers, a query mixin
/// and a mutation, the shape of a monolith's GraphQL layer.
fn generate(dir: &Path, files: usize, lines: usize) {
    let webapp = dir.join("webapp");
    let _ = std::fs::remove_dir_all(&webapp);
    std::fs::create_dir_all(&webapp).expect("create webapp");
    let packages = files.div_ceil(MODULES_PER_PACKAGE);
    // Size one module to find how many types make `lines / files` lines.
    let mut scratch = (String::new(), String::new());
    let base = module_source(0, 0, 0, &mut scratch.0, &mut scratch.1)
        .lines()
        .count();
    let one = module_source(0, 0, 1, &mut scratch.0, &mut scratch.1)
        .lines()
        .count()
        - base;
    let types_per_module = (lines as f64 / files as f64 - base as f64).max(1.0) / one as f64;
    // Spread the fraction: module `id` gets the types that bring the running
    // total to (id + 1) × types_per_module.
    let types_of = |id: usize| {
        ((id + 1) as f64 * types_per_module).floor() as usize
            - (id as f64 * types_per_module).floor() as usize
    };
    let mut types = 0;

    let mut sdl = String::from(
        "interface Timestamped {\n  createdDate: String\n}\n\ntype Query {\n  ping: String\n",
    );
    let mut mutations = String::from("type Mutation {\n");
    let mut object_sdl = String::new();
    write_file(&webapp.join("__init__.py"), "");
    write_file(&webapp.join("common.py"), COMMON);
    let mut total_lines = COMMON.lines().count();
    let mut schema_imports = String::new();
    let mut query_bases = Vec::new();
    let mut mutation_fields = String::new();
    let mut fields = 0;

    for package in 0..packages {
        let package_dir = webapp.join(format!("pkg{package}"));
        std::fs::create_dir_all(&package_dir).expect("create package");
        write_file(&package_dir.join("__init__.py"), "");
        let mut package_queries = String::from("import graphene\n\n");
        let mut bases = Vec::new();
        let modules = MODULES_PER_PACKAGE.min(files - package * MODULES_PER_PACKAGE);
        for module in 0..modules {
            let id = package * MODULES_PER_PACKAGE + module;
            let module_types = types_of(id);
            types += module_types + 1;
            let text = module_source(id, module, module_types, &mut object_sdl, &mut sdl);
            total_lines += text.lines().count();
            write_file(&package_dir.join(format!("mod{module}.py")), &text);
            writeln!(
                package_queries,
                "from webapp.pkg{package}.mod{module} import Queries{id}, Create{id}"
            )
            .unwrap();
            bases.push(format!("Queries{id}"));
            writeln!(mutation_fields, "    create_{id} = Create{id}.Field()").unwrap();
            writeln!(mutations, "  create{id}(title: String): Create{id}").unwrap();
            writeln!(object_sdl, "type Create{id} {{\n  ok: Boolean\n}}\n").unwrap();
            writeln!(
                schema_imports,
                "from webapp.pkg{package}.queries import Create{id}"
            )
            .unwrap();
            // Each type: its fields and createdDate, two Query fields; one
            // mutation with its payload's `ok`.
            fields += module_types * (FIELDS_PER_TYPE + 3) + 2;
        }
        writeln!(
            package_queries,
            "\n\nclass Package{package}Queries({}):\n    pass",
            bases.join(", ")
        )
        .unwrap();
        total_lines += package_queries.lines().count();
        write_file(&package_dir.join("queries.py"), &package_queries);
        writeln!(
            schema_imports,
            "from webapp.pkg{package}.queries import Package{package}Queries"
        )
        .unwrap();
        query_bases.push(format!("Package{package}Queries"));
    }
    let schema = format!(
        "import graphene\n\n{schema_imports}\n\nclass Query({}, graphene.ObjectType):\n    \
         ping = graphene.String()\n\n    def resolve_ping(root, info):\n        return \"pong\"\n\n\n\
         class Mutation(graphene.ObjectType):\n{mutation_fields}\n\n\
         schema = graphene.Schema(query=Query, mutation=Mutation)\n",
        query_bases.join(", ")
    );
    total_lines += schema.lines().count();
    write_file(&webapp.join("schema.py"), &schema);
    sdl.push_str("}\n\n");
    mutations.push_str("}\n\n");
    sdl.push_str(&mutations);
    sdl.push_str(&object_sdl);
    write_file(&webapp.join("schema.graphql"), &sdl);
    write_file(
        &dir.join("ferry.toml"),
        "[python]\nschema = [\"webapp/schema.graphql\"]\nroots = [\"webapp\"]\n\
         import_roots = [\".\"]\nframework = \"graphene\"\n",
    );
    println!(
        "files={} lines={total_lines} types={} fields={fields} sdl_bytes={}",
        files + packages * 2 + 3,
        types,
        sdl.len()
    );
}

fn write_file(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
}

const COMMON: &str = r#""""Shared interface and decorators of the generated monolith."""
import functools

import graphene


class Timestamped(graphene.Interface):
    created_date = graphene.String()

    def resolve_created_date(parent, info):
        return str(parent.created_at)


def login_required(fn):
    @functools.wraps(fn)
    def wrapper(root, info, **kwargs):
        if not info.context.get("user"):
            raise PermissionError("login required")
        return fn(root, info, **kwargs)

    return wrapper
"#;

/// One module: `types` object types, helpers, a query mixin and a mutation.
fn module_source(
    id: usize,
    module: usize,
    types: usize,
    object_sdl: &mut String,
    query_sdl: &mut String,
) -> String {
    let mut text = format!(
        "\"\"\"Generated module {id}: the GraphQL face of one part of the monolith.\"\"\"\n\
         import collections\nimport datetime\nimport logging\n\nimport graphene\n\n\
         from webapp.common import Timestamped, login_required\n"
    );
    // Modules lean on each other, as a monolith's do.
    if module > 0 {
        writeln!(
            text,
            "from .mod{} import Queries{} as Previous",
            module - 1,
            id - 1
        )
        .unwrap();
    }
    writeln!(
        text,
        "\nlogger = logging.getLogger(__name__)\n\n\n\
         def _format(result, info):\n    \
         \"\"\"Shape a computed value the way the legacy API did.\"\"\"\n    \
         if isinstance(result, dict):\n        \
         parts = [\"%s=%s\" % (key, result[key]) for key in sorted(result)]\n        \
         return \", \".join(parts)\n    \
         if isinstance(result, (list, tuple)):\n        \
         return [_format(item, info) for item in result]\n    \
         if isinstance(result, datetime.datetime):\n        \
         return result.strftime(\"%Y-%m-%dT%H:%M:%SZ\")\n    \
         return result\n\n\n\
         def _load_many(ids, kind):\n    \
         found = collections.OrderedDict()\n    \
         for item_id in ids:\n        \
         if item_id in found:\n            \
         continue\n        \
         found[item_id] = {{\"id\": item_id, \"kind\": kind}}\n    \
         logger.info(\"loaded %d %s\", len(found), kind)\n    \
         return list(found.values())"
    )
    .unwrap();
    for t in 0..types {
        let name = format!("Item{id}x{t}");
        writeln!(
            text,
            "\n\nclass {name}(graphene.ObjectType):\n    \"\"\"One kind of thing of module {id}.\"\"\"\n\n    \
             class Meta:\n        interfaces = (Timestamped,)\n"
        )
        .unwrap();
        writeln!(
            object_sdl,
            "type {name} implements Timestamped {{\n  createdDate: String"
        )
        .unwrap();
        for f in 0..FIELDS_PER_TYPE {
            let (kind, sdl_kind) = if f % 3 == 0 {
                ("graphene.Int()", "Int")
            } else {
                ("graphene.String()", "String")
            };
            writeln!(text, "    field_{f}_value = {kind}").unwrap();
            writeln!(object_sdl, "  field{f}Value: {sdl_kind}").unwrap();
        }
        object_sdl.push_str("}\n\n");
        for f in 0..FIELDS_PER_TYPE {
            if f % 4 == 3 {
                // Left to the default resolver.
                continue;
            }
            writeln!(
                text,
                "\n    def resolve_field_{f}_value(parent, info):\n        \
                 \"\"\"Field {f} of {name}, as the legacy API returned it.\"\"\"\n        \
                 cache_key = \"{name}:%s:{f}\" % parent.id\n        \
                 cached = info.context.get(\"cache\", {{}}).get(cache_key)\n        \
                 if cached is not None:\n            return cached\n        \
                 values = [v for v in getattr(parent, \"field_{f}_values\", []) if v]\n        \
                 if not values:\n            \
                 logger.debug(\"no values for %s\", cache_key)\n            return None\n        \
                 total = 0\n        for value in values:\n            total += len(str(value))\n        \
                 result = {{\"count\": len(values), \"total\": total}}\n        \
                 return _format(result, info)"
            )
            .unwrap();
        }
    }
    // Every type is reachable from Query, as in a real schema.
    writeln!(text, "\n\nclass Queries{id}:").unwrap();
    for t in 0..types {
        writeln!(
            text,
            "    item_{id}_{t} = graphene.Field(Item{id}x{t}, id=graphene.ID(required=True))\n    \
             items_{id}_{t} = graphene.List(Item{id}x{t})\n\n    \
             def resolve_item_{id}_{t}(root, info, id):\n        \
             items = _load_many([id], \"item{t}\")\n        \
             return items[0] if items else None\n\n    \
             @login_required\n    def resolve_items_{id}_{t}(root, info):\n        \
             ids = info.context.get(\"visible_ids\", [])\n        \
             return _load_many(ids, \"item{t}\")\n"
        )
        .unwrap();
        writeln!(
            query_sdl,
            "  item{id}_{t}(id: ID!): Item{id}x{t}\n  items{id}_{t}: [Item{id}x{t}]"
        )
        .unwrap();
    }
    writeln!(
        text,
        "    def helper_{id}(root):\n        return root\n\n\n\
         class Create{id}(graphene.Mutation):\n    class Arguments:\n        title = graphene.String()\n\n    \
         ok = graphene.Boolean()\n\n    \
         def mutate(root, info, title=None):\n        \
         if not title:\n            \
         logger.warning(\"refusing an item without a title\")\n            \
         return Create{id}(ok=False)\n        \
         user = info.context.get(\"user\")\n        \
         if user is None:\n            return Create{id}(ok=False)\n        \
         logger.info(\"%s creates %s\", user, title)\n        \
         return Create{id}(ok=True)"
    )
    .unwrap();
    text
}
