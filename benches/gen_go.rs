//! `ferry gen go` for 5,000 fields: a synthetic gqlgen service (federation
//! v1, follow-schema layout over 10 schema files, 250 entity types of 19
//! fields plus 250 queries), each field with a Python resolver to quote.
//! Times planning every file from nothing, then adding the same fields to a
//! package that already has half of them. Run: `cargo bench --bench gen_go`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use apollo_compiler::Schema;
use ferry::generate::{
    FieldRequest, GenRequest, GenerationPlan, Origin, QuotedPython, plan_generation,
};
use ferry::golang::GoIndex;
use ferry::golang::source_file::GoSourceFile;
use ferry::workspace::gqlgen_config::GqlgenConfig;

const FILES: usize = 10;
const TYPES: usize = 250;
const FIELDS_PER_TYPE: usize = 19;

const PRELUDE: &str = "scalar _Any\nscalar _FieldSet\ndirective @external on FIELD_DEFINITION\ndirective @key(fields: _FieldSet!) repeatable on OBJECT | INTERFACE\n";

fn write_service(root: &Path) -> Vec<(String, String)> {
    fs::create_dir_all(root.join("graph/model")).unwrap();
    fs::write(root.join("go.mod"), "module example.com/bench\n\ngo 1.19\n").unwrap();
    fs::write(
        root.join("gqlgen.yml"),
        "schema:\n  - graph/*.graphqls\nexec:\n  filename: graph/generated/generated.go\n  package: generated\nfederation:\n  filename: graph/generated/federation.go\n  package: generated\nmodel:\n  filename: graph/model/models_gen.go\n  package: model\nresolver:\n  layout: follow-schema\n  dir: graph\n  package: graph\n",
    )
    .unwrap();
    let mut model = String::from("package model\n\n");
    let mut fields = Vec::new();
    let scalar_types = ["String", "Int!", "[Float!]", "Boolean!", "Time", "ID"];
    for file in 0..FILES {
        let mut sdl = String::new();
        if file == 0 {
            sdl.push_str("scalar Time\n\ntype Query {\n  ping: Boolean\n}\n\n");
        }
        let mut queries = String::from("extend type Query {\n");
        for t in (file..TYPES).step_by(FILES) {
            let name = format!("Thing{t}");
            writeln!(model, "type {name} struct {{\n\tID string\n}}\n").unwrap();
            writeln!(
                sdl,
                "extend type {name} @key(fields: \"id\") {{\n  id: ID! @external"
            )
            .unwrap();
            for f in 0..FIELDS_PER_TYPE {
                let ty = scalar_types[f % scalar_types.len()];
                let args = if f % 4 == 0 {
                    "(first: Int, after: String)"
                } else {
                    ""
                };
                writeln!(sdl, "  field{f}Url{args}: {ty}").unwrap();
                fields.push((name.clone(), format!("field{f}Url")));
            }
            sdl.push_str("}\n\n");
            writeln!(queries, "  thing{t}(id: ID!, package: String): {name}").unwrap();
            fields.push(("Query".to_string(), format!("thing{t}")));
        }
        queries.push_str("}\n");
        sdl.push_str(&queries);
        fs::write(root.join(format!("graph/schema{file}.graphqls")), sdl).unwrap();
    }
    fs::write(root.join("graph/model/models.go"), model).unwrap();
    fields
}

fn load(root: &Path) -> (GqlgenConfig, Schema) {
    let config = GqlgenConfig::load(&root.join("gqlgen.yml")).unwrap();
    let mut builder = Schema::builder()
        .adopt_orphan_extensions()
        .parse(PRELUDE, "federation/directives.graphql");
    for file in &config.schema_files {
        builder = builder.parse(fs::read_to_string(file).unwrap(), file);
    }
    (config, builder.build().unwrap())
}

fn python(type_name: &str, field_name: &str) -> Option<QuotedPython> {
    Some(QuotedPython {
        file: format!("webapp/{}/types.py", type_name.to_lowercase()),
        line: 100,
        source: format!(
            "    def resolve_{field_name}(self, info, **kwargs):\n        \"\"\"Resolve {field_name}.\"\"\"\n        value = self._load(info.context)\n        if value is None:\n            return None\n        return value.{field_name}\n"
        ),
        logic: None,
    })
}

fn time_plan(
    config: &GqlgenConfig,
    schema: &Schema,
    fields: &[(String, String)],
) -> (Duration, GenerationPlan) {
    let request = GenRequest {
        schema,
        config,
        fields: fields
            .iter()
            .map(|(t, f)| FieldRequest::new(t, f, Origin::Python))
            .collect(),
        python: &python,
        resolver_dir: None,
        root: &config.dir,
    };
    let start = Instant::now();
    let plan = plan_generation(&request).unwrap();
    (start.elapsed(), plan)
}

fn main() {
    // As the `ferry` binary does.
    // SAFETY: first thing, on the only thread, before any tree-sitter call.
    unsafe { ferry::commands::allocator::set_up() };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let fields = write_service(root);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "gen go benchmark: {} fields, {} types, {FILES} schema files, {cores} cores",
        fields.len(),
        TYPES + 1
    );

    let start = Instant::now();
    let (config, schema) = load(root);
    println!(
        "  load gqlgen.yml + schema:              {:>8.1} ms",
        ms(start.elapsed())
    );

    let mut best = Duration::MAX;
    let mut plan = GenerationPlan::default();
    for _ in 0..5 {
        let (elapsed, p) = time_plan(&config, &schema, &fields);
        best = best.min(elapsed);
        plan = p;
    }
    let lines: usize = plan.files.iter().map(|f| f.after.lines().count()).sum();
    println!(
        "  plan from nothing (best of 5):         {:>8.1} ms  ({} files, {lines} lines of Go)",
        ms(best),
        plan.files.len()
    );

    // Half the fields already have resolvers: write a plan for those first.
    let half: Vec<_> = fields.iter().step_by(2).cloned().collect();
    let (_, first_half) = time_plan(&config, &schema, &half);
    for file in &first_half.files {
        fs::write(&file.path, &file.after).unwrap();
    }
    let mut best = Duration::MAX;
    let mut skipped = 0;
    for _ in 0..5 {
        let (elapsed, p) = time_plan(&config, &schema, &fields);
        best = best.min(elapsed);
        skipped = p.skipped.len();
    }
    println!(
        "  plan into existing files (best of 5):  {:>8.1} ms  ({skipped} fields already there)",
        ms(best)
    );

    let start = Instant::now();
    let index = GoIndex::build(root, Path::new("graph")).unwrap();
    println!(
        "  index the resolver package:            {:>8.1} ms  ({} methods)",
        ms(start.elapsed()),
        index.methods().len()
    );

    // One resolvers file on one core: ferry's reading against tree-sitter's parse.
    let biggest = index.files().iter().max_by_key(|f| f.source.len()).unwrap();
    let (mut read, mut parse) = (Duration::MAX, Duration::MAX);
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_go::LANGUAGE.into())
        .unwrap();
    for _ in 0..5 {
        let start = Instant::now();
        std::hint::black_box(GoSourceFile::parse(&biggest.source));
        read = read.min(start.elapsed());
        let start = Instant::now();
        std::hint::black_box(parser.parse(&biggest.source, None));
        parse = parse.min(start.elapsed());
    }
    println!(
        "  read one {} KB file (tree-sitter alone): {:>6.1} ms  ({:.1} ms)",
        biggest.source.len() / 1024,
        ms(read),
        ms(parse)
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
