//! Every legal GraphQL name gives Go that compiles: gqlgen's renames where it
//! has a rule, ferry's own parameter renames where only its method needs
//! them, and a refusal with the reason where gqlgen has no rule (its own
//! generated code would not compile either).

mod go_support;

use std::fs;
use std::path::Path;

use ferry::generate::report::SkipReason;
use ferry::generate::{FieldRequest, GenerationPlan, Origin};
use go_support::*;

const YML: &str = "schema: graph/schema.graphqls\nexec:\n  filename: graph/generated.go\n  package: graph\nmodel:\n  filename: graph/model/models_gen.go\n  package: model\nautobind:\n  - example.com/names/graph/model\nresolver:\n  layout: follow-schema\n  dir: graph\n  package: graph\n";

fn service(schema: &str, models: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("graph/model")).unwrap();
    fs::write(root.join("go.mod"), "module example.com/names\n\ngo 1.19\n").unwrap();
    fs::write(root.join("gqlgen.yml"), YML).unwrap();
    fs::write(root.join("graph/schema.graphqls"), schema).unwrap();
    fs::write(root.join("graph/model/models.go"), models).unwrap();
    dir
}

fn plan_all(root: &Path, fields: &[(&str, &str)]) -> GenerationPlan {
    let requests = fields
        .iter()
        .map(|(t, f)| FieldRequest::new(t, f, Origin::Go))
        .collect();
    plan_requests(root, requests).unwrap()
}

fn reasons(plan: &GenerationPlan) -> Vec<(&str, &SkipReason)> {
    plan.skipped
        .iter()
        .map(|s| (s.field.as_str(), &s.reason))
        .collect()
}

const SCHEMA: &str = r#"
type Query {
  echo(ctx: String): String
  find(r: ID!, fmt: String, panic: Int, rArg: String, type: String): Item
}
type Item {
  id: ID!
  name: String
  Name: String
  label(obj: String): String
  title(context: String, model: String, userId: ID, user_id: ID): String
  subtitle(context: String, model: String): String
}
type Resolver {
  size: Int
}
"#;

const MODELS: &str =
    "package model\n\ntype Item struct {\n\tID string\n}\n\ntype Resolver struct{}\n";

/// gqlgen's interfaces for what it can generate of SCHEMA, with gqlgen's
/// parameter names: ferry's methods must implement them.
const EXECUTOR: &str = "package graph

import (
\t\"context\"

\t\"example.com/names/graph/model\"
)

type ResolverRoot interface {
\tQuery() QueryResolver
\tItem() ItemResolver
\tResolver() ResolverResolver
}

type QueryResolver interface {
\tFind(ctx context.Context, r string, fmt *string, panic *int, rArg *string, typeArg *string) (*model.Item, error)
}
type ItemResolver interface {
\tSubtitle(ctx context.Context, obj *model.Item, context *string, model *string) (*string, error)
}
type ResolverResolver interface {
\tSize(ctx context.Context, obj *model.Resolver) (*int, error)
}

var _ ResolverRoot = (*Resolver)(nil)
";

#[test]
fn names_gqlgen_cannot_tell_apart_are_refused_and_the_rest_compiles() {
    let dir = service(SCHEMA, MODELS);
    let root = dir.path();
    let plan = plan_all(
        root,
        &[
            ("Query", "echo"),
            ("Query", "find"),
            ("Item", "name"),
            ("Item", "Name"),
            ("Item", "label"),
            ("Item", "title"),
            ("Item", "subtitle"),
            ("Resolver", "size"),
        ],
    );
    let clash = SkipReason::MethodClash {
        fields: vec!["Item.name".into(), "Item.Name".into()],
        method: "Name".into(),
    };
    assert_eq!(
        reasons(&plan),
        vec![
            (
                "Query.echo",
                &SkipReason::ArgumentClash {
                    arguments: vec!["ctx".into()],
                    go_name: "ctx".into()
                }
            ),
            ("Item.name", &clash),
            ("Item.Name", &clash),
            (
                "Item.label",
                &SkipReason::ArgumentClash {
                    arguments: vec!["obj".into()],
                    go_name: "obj".into()
                }
            ),
            (
                "Item.title",
                &SkipReason::ArgumentClash {
                    arguments: vec!["userId".into(), "user_id".into()],
                    go_name: "userID".into()
                }
            ),
        ]
    );
    let messages: Vec<String> = plan.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        messages[1],
        "Item.name: Item.name and Item.Name both become the Go method Name, which gqlgen cannot generate; rename one, or give it @goField(name: \"…\")"
    );

    let resolvers = plan
        .files
        .iter()
        .find(|f| f.path.ends_with("schema.resolvers.go"))
        .unwrap();
    // `r`, `fmt` and `panic` would hide the receiver and what the body
    // calls: they take gqlgen's `Arg` suffix (a real `rArg` keeps its name).
    assert!(resolvers.after.contains(
        "func (r *queryResolver) Find(ctx context.Context, rArgArg string, fmtArg *string, panicArg *int, rArg *string, typeArg *string) (*model.Item, error) {"
    ), "{}", resolvers.after);
    assert!(resolvers.after.contains(
        "func (r *itemResolver) Subtitle(ctx context.Context, obj *model.Item, context *string, model *string) (*string, error) {"
    ));
    // A type named Resolver beside the root Resolver struct.
    assert!(resolvers.after.contains(
        "func (r *Resolver) Resolver() ResolverResolver { return &resolverResolver{r} }"
    ));

    write(&plan);
    fs::write(root.join("graph/generated.go"), EXECUTOR).unwrap();
    let Some(go) = go_toolchain() else { return };
    let gofmt = run_go(&go, "gofmt", root, &["-l", "."]);
    assert_eq!(stdout(&gofmt), "", "{}", describe(&gofmt));
    let vet = run_go(&go, "go", root, &["vet", "./..."]);
    assert!(vet.status.success(), "{}", describe(&vet));
}

#[test]
fn types_that_need_one_resolver_struct_are_refused() {
    let dir = service(
        "type Query { a: Int }\ntype Resolver { size: Int }\ntype resolver { size: Int }\n",
        "package model\n",
    );
    let plan = plan_all(dir.path(), &[("Resolver", "size"), ("resolver", "size")]);
    assert!(plan.files.is_empty(), "{:#?}", plan.files);
    let receiver = |types: [&str; 2]| SkipReason::ReceiverClash {
        types: types.iter().map(|t| t.to_string()).collect(),
        receiver: "resolverResolver".into(),
    };
    assert_eq!(
        reasons(&plan),
        vec![
            ("Resolver.size", &receiver(["Resolver", "resolver"])),
            ("resolver.size", &receiver(["resolver", "Resolver"])),
        ]
    );
}
