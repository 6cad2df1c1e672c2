//! The extractor's own tests: the queries against the code that reads
//! their captures, and the facts of small modules.

use super::*;

/// The call sites the framework modules read, by capture name.
const SITES: &[&str] = &[
    "graphene.schema",
    "graphene.field_init",
    "strawberry.schema",
    "ariadne.binding",
    "ariadne.schema",
    "ariadne.list_grows",
    "graphql.field_added",
];

#[test]
fn every_capture_of_the_queries_means_something_to_the_code() {
    let extractor = Extractor::new(Framework::Auto);
    for (name, role) in extractor
        .structure
        .query
        .capture_names()
        .iter()
        .zip(&extractor.structure.roles)
    {
        assert!(
            !matches!(role, Role::Site(_)),
            "module.scm: unknown capture @{name}"
        );
    }
    let sites = CompiledQuery::new(&extractor.sites.source);
    for (name, role) in sites.query.capture_names().iter().zip(&sites.roles) {
        match role {
            Role::Site(site) => assert!(SITES.contains(&site.as_str()), "unknown site @{name}"),
            Role::Helper => {}
            other => panic!("framework queries capture structure: @{name} {other:?}"),
        }
    }
    // What each pattern requires, read from the text (which decides
    // whether to compile the query at all), is what the compiled query
    // states, pattern by pattern and group by group.
    let compiled = Requirements::of_query(&sites.query);
    let compiled = compiled.spelled();
    for (pattern, groups) in compiled.iter().enumerate() {
        assert!(
            groups.is_some(),
            "framework pattern {pattern} states no ferry.requires words"
        );
    }
    assert_eq!(extractor.sites.requires.spelled(), compiled);
}

#[test]
fn a_file_without_the_required_words_leaves_the_framework_queries_uncompiled() {
    let extractor = Extractor::new(Framework::Auto);
    let mut parser = new_parser();
    let plain = "class Query:\n    def resolve_x(root, info):\n        return 1\n";
    extractor
        .extract(&mut parser, plain.as_bytes())
        .expect("parses");
    assert!(extractor.sites.compiled.get().is_none());
    let schema = "import graphene\nschema = graphene.Schema(query=Query)\n";
    let facts = extractor
        .extract(&mut parser, schema.as_bytes())
        .expect("parses");
    assert!(extractor.sites.compiled.get().is_some());
    assert!(
        facts
            .facts
            .iter()
            .any(|fact| matches!(fact, Fact::Call { site, .. } if site == "graphene.schema"))
    );
}

#[test]
fn a_pattern_stating_two_requirements_runs_only_where_a_word_of_each_is() {
    let extractor = Extractor::new(Framework::Auto);
    let enabled = |text: &str| {
        extractor
            .sites
            .requires
            .enabled(text.as_bytes())
            .contains(&true)
    };
    // `Schema` alone (a config class of that name) is not enough, nor
    // `query` alone: a schema call is named the one and passes the other.
    assert!(!enabled(
        "from app.config import ConfigSchema\nx = ConfigSchema(a=1)\n"
    ));
    assert!(!enabled("def run(query):\n    return query\n"));
    // Nor is the query compiled for such a file.
    let mut parser = new_parser();
    extractor
        .extract(&mut parser, b"def run(query):\n    return query\n")
        .expect("parses");
    assert!(extractor.sites.compiled.get().is_none());
    let call = "import graphene\nschema = graphene.Schema(query=Query)\n";
    assert!(enabled(call));
    assert!(
        facts(call)
            .facts
            .iter()
            .any(|fact| matches!(fact, Fact::Call { site, .. } if site == "graphene.schema"))
    );
    assert!(enabled(
        "import strawberry\nschema = strawberry.Schema(mutation=Mutation)\n"
    ));
}

fn facts(source: &str) -> FileFacts {
    Extractor::new(Framework::Auto)
        .extract(&mut new_parser(), source.as_bytes())
        .expect("parses")
}

#[test]
fn scopes_have_python_qualnames_and_def_lines() {
    let facts = facts(
        "class A:\n    class B:\n        @staticmethod\n        @other\n        def f():\n            \
         def g():\n                pass\n            return g\n",
    );
    let names: Vec<(&str, u32, u32)> = facts
        .scopes
        .iter()
        .skip(1)
        .map(|scope| (scope.qualname.as_str(), scope.line, scope.end_line))
        .collect();
    assert_eq!(
        names,
        [
            ("A", 1, 8),
            ("A.B", 2, 8),
            ("A.B.f", 5, 8),
            ("A.B.f.<locals>.g", 6, 7)
        ]
    );
    let returns = facts
        .facts
        .iter()
        .filter(|fact| matches!(fact, Fact::Return { .. }))
        .count();
    assert_eq!(returns, 1);
}

#[test]
fn only_returned_inner_functions_and_lambdas_are_kept() {
    let facts = facts(
        "def plain(x):\n    value = x\n    return value\n\ndef factory():\n    \
         return lambda root, info: 1\n",
    );
    let returns: Vec<&Expr> = facts
        .facts
        .iter()
        .filter_map(|fact| match fact {
            Fact::Return { value, .. } => Some(value),
            _ => None,
        })
        .collect();
    assert!(
        matches!(returns.as_slice(), [Expr::Lambda(lambda)] if lambda.qualname == "factory.<locals>.<lambda>")
    );
}
