//! Fields no class declares: the ones federation helpers add to a schema
//! (graphene-federation's `build_schema`, `strawberry.federation.Schema`:
//! `Query._service`, `_Service.sdl`, and `Query._entities` once some type
//! has a key), and the ones a project adds to the built graphql-core schema
//! itself (`query_type.fields["_entities"] = GraphQLField(..., resolve=fn)`).
//!
//! ariadne's `make_federated_schema` adds the same fields; an ariadne field
//! the code binds nothing to is absent from the index anyway.

use super::facts::{Call, Expr, Fact};
use super::program::{Program, ScopeRef, Symbol};
use super::{FieldCode, FieldResolution, Found};

pub fn collect(program: &Program, out: &mut Found) {
    if let Some(has_entities) = federated_schema(program) {
        let mut added = vec![("Query", "_service"), ("_Service", "sdl")];
        if has_entities {
            added.push(("Query", "_entities"));
        }
        for (type_name, field) in added {
            let key = (type_name.to_string(), field.to_string());
            if !out.fields.contains_key(&key) {
                out.insert(key, FieldResolution::Default, FieldCode::default());
            }
        }
    }
    for (at, call) in program.calls_at("graphql.field_added") {
        if let Some((key, resolution, code)) = added_field(program, at, call) {
            out.insert(key, resolution, code);
        }
    }
}

/// Whether a federation helper builds a schema, and whether some type of
/// it is an entity (has a key).
fn federated_schema(program: &Program) -> Option<bool> {
    let graphene = program.calls_at("graphene.schema").any(|(at, call)| {
        matches!(program.eval(at, &call.function),
            Symbol::External(path) if path.starts_with("graphene_federation") && path.ends_with(".build_schema"))
    });
    let strawberry = program.calls_at("strawberry.schema").any(|(at, call)| {
        matches!(program.eval(at, &call.function),
            Symbol::External(path) if path == "strawberry.federation.Schema")
    });
    if !graphene && !strawberry {
        return None;
    }
    Some(program.declared_classes().into_iter().any(|class| {
        let Some(Fact::Class { decorators, .. }) = program.class_fact(class) else {
            return false;
        };
        let at = program.parent(class);
        decorators.iter().any(|decorator| {
            let Expr::Call(call) = decorator else {
                return false;
            };
            match program.eval(at, &call.function) {
                // graphene-federation's `@key("id")`
                Symbol::External(path) if path.starts_with("graphene_federation") => {
                    path.ends_with(".key")
                }
                // `@strawberry.federation.type(keys=["id"])`
                Symbol::External(path) if path.starts_with("strawberry.federation.") => {
                    call.kwarg("keys").is_some()
                }
                _ => false,
            }
        })
    }))
}

/// `X.fields["name"] = GraphQLField(type, resolve=fn)`, where `X` is the
/// built schema's `query_type` / `mutation_type` / `subscription_type` or
/// `get_type("Name")`.
fn added_field(
    program: &Program,
    at: ScopeRef,
    call: &Call,
) -> Option<((String, String), FieldResolution, FieldCode)> {
    let Expr::Attribute(fields, _) = &call.function else {
        return None;
    };
    let Expr::Attribute(owner, _) = &**fields else {
        return None;
    };
    let type_name = root_type_name(program, at, owner, 0)?;
    let field_name = call.args.first()?.as_str()?;
    let field = call.args.get(1)?.as_call()?;
    if !matches!(program.eval(at, &field.function),
        Symbol::External(path) if path.ends_with("GraphQLField"))
    {
        return None;
    }
    let mut code = FieldCode {
        declaration: Some(program.call_span(at.file, call)),
        ..FieldCode::default()
    };
    let resolver = field
        .arg(2, "resolve")
        .or_else(|| field.kwarg("resolver"))
        .filter(|resolver| **resolver != Expr::None)
        .map(|resolver| program.eval(at, resolver));
    code.resolver = resolver.as_ref().and_then(|s| program.binding_span(s));
    let resolution = match resolver.and_then(|symbol| program.runtime(symbol)) {
        Some(runtime) => FieldResolution::Function(program.resolver(runtime, None)),
        None => FieldResolution::Default,
    };
    Some(((type_name, field_name.to_string()), resolution, code))
}

/// The GraphQL type a graphql-core type expression stands for.
fn root_type_name(program: &Program, at: ScopeRef, expr: &Expr, depth: u32) -> Option<String> {
    if depth > 4 {
        return None;
    }
    match expr {
        Expr::Attribute(_, attr) => match attr.as_str() {
            "query_type" => Some("Query".to_string()),
            "mutation_type" => Some("Mutation".to_string()),
            "subscription_type" => Some("Subscription".to_string()),
            _ => None,
        },
        Expr::Call(call) => match &call.function {
            Expr::Attribute(_, method) if method == "get_type" => {
                call.args.first()?.as_str().map(str::to_string)
            }
            _ => None,
        },
        Expr::Subscript(value, keys) => match (&**value, keys.as_slice()) {
            (Expr::Attribute(_, attr), [Expr::Str(name)]) if attr == "type_map" => {
                Some(name.clone())
            }
            _ => None,
        },
        Expr::Name(_) => follow(program, at, expr, depth),
        _ => None,
    }
}

fn follow(program: &Program, at: ScopeRef, expr: &Expr, depth: u32) -> Option<String> {
    let Expr::Name(name) = expr else {
        return None;
    };
    let (defined_at, value) = program.assigned_value(at, name)?;
    root_type_name(program, defined_at, value, depth + 1)
}
