//! What `gen go` did, typed: the files it changed, the fields it left alone
//! and why, and what the person should know about the Go it wrote. The
//! printers in `render::gen_report` show it; nothing here is English for a
//! terminal only.

use serde::Serialize;
use std::fmt;

/// The outcome of one `gen go`.
#[derive(Debug, Clone, Default)]
pub struct GenReport {
    /// Every file changed (Go and schema), relative to the workspace root.
    pub files: Vec<String>,
    /// Whether the files were written (not under `--dry-run`, `--check`, `--stdout`).
    pub written: bool,
    /// Fields that got no resolver, each with its reason; the batch went on.
    pub skipped: Vec<SkippedField>,
    /// Fields named one by one that cannot get a resolver: nothing is written
    /// (unless `--keep-going`).
    pub refused: Vec<SkippedField>,
    pub warnings: Vec<Warning>,
}

/// A field that gets no resolver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedField {
    /// `Type.field`.
    pub field: String,
    /// The service whose schema was read, when one was.
    pub service: Option<String>,
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// Why a field gets no resolver (`reason` in `--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum SkipReason {
    /// Its resolver method is there already; it is left as it is.
    Exists { file: String, line: u32 },
    /// A field of an interface: gqlgen resolves it on each implementing object.
    InterfaceField { interface: String },
    /// `@external` here: another service resolves it.
    External,
    /// Named in its type's `@key`: every subgraph reads its key from the
    /// entity representation.
    KeyField,
    /// No service's schema defines it yet.
    NotInAService,
    /// Several services define it.
    SeveralServices { services: Vec<String> },
    /// The service's schema has no such type.
    UnknownType,
    /// The service's schema has the type but not the field.
    UnknownField,
    /// A field of an input, enum, union or scalar.
    NotAnObject { kind: String },
    /// gqlgen binds it to a field or method of the Go model: it writes no
    /// resolver for it, and a field that never was Python gets none.
    ServedByModel { model: String, member: String },
    /// It returns a root operation type, which gqlgen serves itself.
    ReturnsRootType { root: String },
    /// The Go model is outside the workspace, so whether gqlgen binds the
    /// field cannot be told.
    ModelUnreadable { model: String },
    /// Fields of one type that become the same Go method.
    MethodClash { fields: Vec<String>, method: String },
    /// Types whose resolver structs would have the same Go name.
    ReceiverClash {
        types: Vec<String>,
        receiver: String,
    },
    /// Arguments whose Go names clash with each other or with the
    /// parameters gqlgen's generated interface names itself (`ctx`, `obj`).
    ArgumentClash {
        arguments: Vec<String>,
        go_name: String,
    },
}

impl SkipReason {
    /// Whether the field simply has its resolver: never a refusal.
    pub fn is_exists(&self) -> bool {
        matches!(self, SkipReason::Exists { .. })
    }
}

impl SkippedField {
    /// What the person reads after `Type.field: `.
    pub fn message(&self) -> String {
        let field = &self.field;
        let service = self.service.as_deref().unwrap_or("this service");
        match &self.reason {
            SkipReason::Exists { file, line } => format!("{file}:{line} already exists"),
            SkipReason::InterfaceField { interface } => format!(
                "{interface} is an interface: gqlgen writes resolvers for the object types that implement it"
            ),
            SkipReason::External => match &self.service {
                Some(service) => format!("@external in `{service}`: another service resolves it"),
                None => "@external wherever it is defined: another service resolves it".to_string(),
            },
            SkipReason::KeyField => "a key field: every subgraph reads it from the entity representation, so it needs no resolver".to_string(),
            SkipReason::NotInAService => format!(
                "no service's schema defines it; `ferry mark {field} --into SERVICE` first"
            ),
            SkipReason::SeveralServices { services } => {
                format!("defined by {}; pick one with --service", services.join(", "))
            }
            SkipReason::UnknownType => format!(
                "`{service}` has no type {}",
                field.split('.').next().unwrap_or(field)
            ),
            SkipReason::UnknownField => format!("`{service}`'s schema has no such field"),
            SkipReason::NotAnObject { kind } => {
                format!("a field of {kind}: gqlgen writes resolvers only for object types")
            }
            SkipReason::ServedByModel { model, member } => format!(
                "gqlgen binds it to {model}.{member}, so it needs no resolver (@goField(forceResolver: true) would ask for one)"
            ),
            SkipReason::ReturnsRootType { root } => {
                format!("it returns {root}, which gqlgen serves itself")
            }
            SkipReason::ModelUnreadable { model } => format!(
                "its model {model} is outside the workspace, so ferry cannot tell whether gqlgen binds it; name the field alone to write its resolver anyway"
            ),
            SkipReason::MethodClash { fields, method } => format!(
                "{} {} become the Go method {method}, which gqlgen cannot generate; rename one, or give it @goField(name: \"…\")",
                fields.join(" and "),
                if fields.len() == 2 { "both" } else { "all" }
            ),
            SkipReason::ReceiverClash { types, receiver } => format!(
                "types {} both need the resolver struct {receiver}, which gqlgen cannot generate; rename one of the types",
                types.join(" and ")
            ),
            SkipReason::ArgumentClash { arguments, go_name } => match arguments.as_slice() {
                [one] => format!(
                    "argument `{one}` becomes the Go parameter `{go_name}`, which gqlgen's generated interface already names; the service cannot compile until the argument is renamed"
                ),
                many => format!(
                    "arguments {} {} become the Go parameter `{go_name}`, which gqlgen cannot generate; rename one",
                    many.iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(" and "),
                    if many.len() == 2 { "both" } else { "all" }
                ),
            },
        }
    }
}

impl fmt::Display for SkippedField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message())
    }
}

/// Something about the written Go the person should act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Warning {
    /// The Go written names types of the model package it does not define
    /// yet: `gqlgen generate` writes them.
    MissingModelTypes {
        file: String,
        package: String,
        types: Vec<String>,
    },
    /// The service's gqlgen.yml has no `resolver:` section: the methods are
    /// laid out as gqlgen's follow-schema layout would lay them out in `dir`.
    NoResolverSection { config: String, dir: String },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::MissingModelTypes {
                file,
                package,
                types,
            } => write!(
                f,
                "{file} names {}, which {package} does not define yet; run `gqlgen generate`",
                types.join(", ")
            ),
            Warning::NoResolverSection { config, dir } => write!(
                f,
                "{config} has no `resolver:` section, so gqlgen keeps no resolvers up to date; these follow its follow-schema layout in {dir}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_serialize_as_a_tag_beside_the_field() {
        let skipped = SkippedField {
            field: "Progress.id".into(),
            service: Some("progress".into()),
            reason: SkipReason::KeyField,
        };
        assert_eq!(
            serde_json::to_value(&skipped).unwrap(),
            serde_json::json!({"field": "Progress.id", "service": "progress", "reason": "key-field"})
        );
        let exists = SkippedField {
            reason: SkipReason::Exists {
                file: "graph/schema.resolvers.go".into(),
                line: 12,
            },
            ..skipped
        };
        assert_eq!(
            serde_json::to_value(&exists).unwrap(),
            serde_json::json!({"field": "Progress.id", "service": "progress", "reason": "exists", "file": "graph/schema.resolvers.go", "line": 12})
        );
        assert_eq!(
            exists.to_string(),
            "Progress.id: graph/schema.resolvers.go:12 already exists"
        );
    }
}
