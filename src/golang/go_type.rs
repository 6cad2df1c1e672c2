//! Go types as gqlgen writes them in resolver signatures, and the Go types
//! behind gqlgen's own `graphql` marshalers.

use crate::workspace::go_package::GoPackage;

pub(super) const GQLGEN_GRAPHQL: &str = "github.com/99designs/gqlgen/graphql";

/// A Go type as it appears in a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoType {
    /// `string`, `model.Assignment`, `time.Time`, `map[string]interface{}`.
    Named {
        /// `None` for predeclared and literal types.
        package: Option<GoPackage>,
        name: String,
        kind: GoKind,
    },
    Pointer(Box<GoType>),
    Slice(Box<GoType>),
}

/// What gqlgen's pointer rules look at in a Go type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoKind {
    Struct,
    Interface,
    /// Maps, slices, funcs, chans, pointers.
    Nilable,
    /// Basic types and named non-struct types (enums).
    Value,
}

impl GoType {
    pub(super) fn predeclared(name: &str, kind: GoKind) -> GoType {
        GoType::Named {
            package: None,
            name: name.to_string(),
            kind,
        }
    }

    pub(super) fn in_package(package: GoPackage, name: &str, kind: GoKind) -> GoType {
        GoType::Named {
            package: Some(package),
            name: name.to_string(),
            kind,
        }
    }

    pub(super) fn is_struct_value(&self) -> bool {
        matches!(
            self,
            GoType::Named {
                kind: GoKind::Struct,
                ..
            }
        )
    }

    pub(super) fn is_nilable(&self) -> bool {
        match self {
            GoType::Named { kind, .. } => matches!(kind, GoKind::Interface | GoKind::Nilable),
            GoType::Pointer(_) | GoType::Slice(_) => true,
        }
    }

    /// The named type inside pointers and slices, with its package.
    pub fn innermost(&self) -> (Option<&GoPackage>, &str) {
        match self {
            GoType::Named { package, name, .. } => (package.as_ref(), name),
            GoType::Pointer(inner) | GoType::Slice(inner) => inner.innermost(),
        }
    }

    /// The type as Go source; `qualifier` names each package (`None` when it is
    /// the package being written).
    pub fn render(&self, qualifier: &mut dyn FnMut(&GoPackage) -> Option<String>) -> String {
        match self {
            GoType::Named {
                package: Some(package),
                name,
                ..
            } => match qualifier(package) {
                Some(prefix) => format!("{prefix}.{name}"),
                None => name.clone(),
            },
            GoType::Named {
                package: None,
                name,
                ..
            } => name.clone(),
            GoType::Pointer(inner) => format!("*{}", inner.render(qualifier)),
            GoType::Slice(inner) => format!("[]{}", inner.render(qualifier)),
        }
    }
}

pub(super) fn time_time() -> GoType {
    GoType::in_package(GoPackage::new("time", "time"), "Time", GoKind::Struct)
}

/// The Go types behind gqlgen's `graphql` marshalers.
pub(super) fn gqlgen_builtin(name: &str) -> Option<GoType> {
    let graphql = || GoPackage::new(GQLGEN_GRAPHQL, "graphql");
    Some(match name {
        "String" | "ID" => GoType::predeclared("string", GoKind::Value),
        "Boolean" => GoType::predeclared("bool", GoKind::Value),
        "Int" | "IntID" => GoType::predeclared("int", GoKind::Value),
        "Int32" => GoType::predeclared("int32", GoKind::Value),
        "Int64" => GoType::predeclared("int64", GoKind::Value),
        "Uint" | "UintID" => GoType::predeclared("uint", GoKind::Value),
        "Uint32" => GoType::predeclared("uint32", GoKind::Value),
        "Uint64" => GoType::predeclared("uint64", GoKind::Value),
        "Float" | "FloatContext" => GoType::predeclared("float64", GoKind::Value),
        "Time" => time_time(),
        "Duration" => GoType::in_package(GoPackage::new("time", "time"), "Duration", GoKind::Value),
        "Map" => GoType::predeclared("map[string]interface{}", GoKind::Nilable),
        "Any" => GoType::predeclared("interface{}", GoKind::Interface),
        "Upload" => GoType::in_package(graphql(), "Upload", GoKind::Struct),
        _ => return None,
    })
}
