//! ferry's Go, checked by the Go toolchain itself: what it writes is what
//! `gofmt` would write, and the resolver package compiles against the
//! resolver interfaces gqlgen generates (`go vet` type-checks it).

mod go_support;

use std::fs;
use std::path::Path;

use go_support::*;

fn assert_gofmt_clean(go: &Path, dir: &Path) {
    let output = run_go(go, "gofmt", dir, &["-l", "."]);
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(
        stdout(&output),
        "",
        "gofmt would change these files:\n{}",
        describe(&output)
    );
}

fn assert_vet_passes(go: &Path, dir: &Path) {
    let output = run_go(go, "go", dir, &["vet", "./..."]);
    assert!(
        output.status.success(),
        "go vet failed:\n{}",
        describe(&output)
    );
}

#[test]
fn resolvers_added_to_an_existing_package_compile_against_gqlgens_interfaces() {
    let Some(go) = go_toolchain() else { return };
    let service = copy_fixture("classroom");
    let root = service.path();
    let human = fs::read_to_string(root.join("graph/schema.resolvers.go")).unwrap();

    let plan = plan(root, classroom_resolver_fields());
    write(&plan);

    assert_gofmt_clean(&go, root);
    assert_vet_passes(&go, root);

    // Everything the person wrote is still there, byte for byte and in order.
    let after = fs::read_to_string(root.join("graph/schema.resolvers.go")).unwrap();
    let human_decls: Vec<&str> = human.split("\n\n").skip(3).collect();
    let mut from = 0;
    for decl in human_decls {
        let at = after[from..]
            .find(decl)
            .unwrap_or_else(|| panic!("lost or reordered:\n{decl}\n---\n{after}"));
        from += at + decl.len();
    }

    // Only the field whose model already has it needed @goField.
    let schema = fs::read_to_string(root.join("graph/schema.graphqls")).unwrap();
    assert!(schema.contains(
        "title: String! @migrate(from: \"python\", state: \"manual\") @goField(forceResolver: true)\n"
    ));
    assert!(schema.contains("createdDate: Time @migrate(from: \"python\", state: \"manual\")\n"));
    assert!(schema.ends_with("\ndirective @goField(forceResolver: Boolean, name: String, omittable: Boolean) on INPUT_FIELD_DEFINITION | FIELD_DEFINITION\n"));

    // A second run has nothing left to do.
    let again = go_support::plan(root, classroom_resolver_fields());
    assert!(again.files.is_empty(), "{:#?}", again.files);
    assert!(again.schema_edits.is_empty(), "{:#?}", again.schema_edits);
    assert_eq!(again.skipped.len(), classroom_resolver_fields().len());
}

#[test]
fn a_package_generated_from_nothing_compiles() {
    let Some(go) = go_toolchain() else { return };
    let service = copy_fixture("classroom");
    let root = service.path();
    fs::remove_file(root.join("graph/schema.resolvers.go")).unwrap();
    fs::remove_file(root.join("graph/resolver.go")).unwrap();

    let plan = plan(root, classroom_resolver_fields());
    let names: Vec<String> = plan
        .files
        .iter()
        .map(|f| f.path.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "graph/courses.resolvers.go",
            "graph/entity.resolvers.go",
            "graph/resolver.go",
            "graph/schema.resolvers.go"
        ]
    );
    assert!(plan.files.iter().all(|f| f.before.is_none()));
    write(&plan);

    assert_gofmt_clean(&go, root);
    assert_vet_passes(&go, root);
}

#[test]
fn the_single_file_layout_compiles() {
    let Some(go) = go_toolchain() else { return };
    let service = copy_fixture("classroom");
    let root = service.path();
    fs::remove_file(root.join("graph/schema.resolvers.go")).unwrap();
    let yml = fs::read_to_string(root.join("gqlgen.yml")).unwrap();
    let yml = yml.replace(
        "resolver:\n  layout: follow-schema\n  dir: graph\n  package: graph\n  filename_template: \"{name}.resolvers.go\"\n",
        "resolver:\n  layout: single-file\n  filename: graph/resolver.go\n  type: Resolver\n",
    );
    fs::write(root.join("gqlgen.yml"), yml).unwrap();

    let plan = plan(root, classroom_resolver_fields());
    assert_eq!(plan.files.len(), 1);
    assert_eq!(plan.files[0].path, root.join("graph/resolver.go"));
    write(&plan);

    assert_gofmt_clean(&go, root);
    assert_vet_passes(&go, root);
}

#[test]
fn crlf_files_keep_their_line_endings() {
    let service = copy_fixture("classroom");
    let root = service.path();
    let path = root.join("graph/schema.resolvers.go");
    let crlf = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
    fs::write(&path, &crlf).unwrap();

    let plan = plan(root, classroom_resolver_fields());
    let file = plan.files.iter().find(|f| f.path == path).unwrap();
    assert!(
        !file.after.replace("\r\n", "").contains('\n'),
        "a bare LF crept in"
    );
    assert!(
        file.after
            .starts_with(&crlf[..crlf.find("import (").unwrap()])
    );
}

#[test]
fn whatever_the_python_says_the_go_stays_gofmt_clean() {
    use ferry::generate::{GenRequest, QuotedPython, plan_generation};
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    let Some(go) = go_toolchain() else { return };
    let service = copy_fixture("classroom");
    let (config, schema) = load_service(service.path());
    let out = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = proptest::collection::vec(proptest::arbitrary::any::<String>(), 3);
    let crafted = [
        "*/ /* `raw` \"\"\" '''",
        "\u{0}\u{1}\u{7f}\u{85}\u{feff}\u{2028}\u{2029}\r\r\n\t\u{b}\u{c}",
        "//go:generate rm -rf /\n//line x.go:1\n// +build ignore",
        "  \n\t\n  ",
        "é ñ 漢字 🦀 \u{202e}rtl",
    ];
    for case in 0..24 {
        let texts = if case < crafted.len() {
            vec![crafted[case].to_string(); 3]
        } else {
            strategy.new_tree(&mut runner).unwrap().current()
        };
        let python = |type_name: &str, field_name: &str| {
            Some(QuotedPython {
                file: texts[0].clone(),
                line: 1,
                source: format!("{}{type_name}.{field_name}", texts[1]),
                logic: Some((texts[2].clone(), 2, texts[1].clone())),
            })
        };
        let plan = plan_generation(&GenRequest {
            schema: &schema,
            config: &config,
            fields: moved(&classroom_resolver_fields()),
            python: &python,
            resolver_dir: None,
            root: service.path(),
        })
        .unwrap();
        for (n, file) in plan.files.iter().enumerate() {
            fs::write(out.path().join(format!("case{case}_{n}.go")), &file.after).unwrap();
        }
    }
    let output = run_go(&go, "gofmt", out.path(), &["-e", "-l", "."]);
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "", "{}", describe(&output));
}

#[test]
fn accessors_break_exactly_where_gofmt_breaks_them() {
    let Some(go) = go_toolchain() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("graph")).unwrap();
    fs::write(
        root.join("go.mod"),
        "module example.com/widths\n\ngo 1.19\n",
    )
    .unwrap();
    // Accessor lines of every length from 80 to 120 bytes, around gofmt's
    // limit: type names of growing length, under three root type names.
    let mut schema = String::from("type Query { a: Int }\n");
    for length in 7..21 {
        schema.push_str(&format!("type {} {{ id: ID! }}\n", "W".repeat(length)));
    }
    fs::write(root.join("graph/schema.graphqls"), &schema).unwrap();
    let mut seen = Vec::new();
    for root_type in ["Resolver", "Resolverx", "Resolverxx"] {
        fs::write(
            root.join("gqlgen.yml"),
            format!("schema: graph/schema.graphqls\nexec:\n  filename: graph/generated/generated.go\n  package: generated\nmodel:\n  filename: graph/model/models_gen.go\n  package: model\nresolver:\n  layout: follow-schema\n  dir: graph\n  package: graph\n  type: {root_type}\n"),
        )
        .unwrap();
        let fields = (7..21).map(|n| ("W".repeat(n), "id".to_string())).collect();
        let plan = plan(root, fields);
        let text = &plan
            .files
            .iter()
            .find(|f| f.path.ends_with("schema.resolvers.go"))
            .unwrap()
            .after;
        for line in text
            .lines()
            .filter(|l| l.starts_with(&format!("func (r *{root_type})")))
        {
            seen.push(line.len());
        }
        fs::write(root.join(format!("out_{root_type}.go")), text).unwrap();
    }
    assert!(
        seen.iter().any(|&n| n < 100) && seen.iter().any(|&n| n > 100),
        "{seen:?}"
    );
    let output = run_go(&go, "gofmt", root, &["-l", "."]);
    assert_eq!(stdout(&output), "", "{}", describe(&output));
}
