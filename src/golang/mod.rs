//! The Go side of a migration: which gqlgen resolvers a service already has
//! (and whether each is still a stub), and the resolver skeletons ferry writes
//! for the fields a service takes over.
//!
//! - [`GoIndex`] reads a resolver package with tree-sitter-go.
//! - [`GqlgenConfig`] reads a service's `gqlgen.yml`.
//! - [`plan_generation`] decides the Go files to write, in gqlgen's own
//!   conventions, without writing anything.

pub mod generate;
pub mod go_package;
pub mod gqlgen_config;
pub mod index;
pub mod naming;
pub mod source_file;
pub mod type_mapping;

pub use generate::{
    GenError, GenRequest, GeneratedFile, GenerationPlan, QuotedPython, SchemaEdit, SkippedField,
    plan_generation,
};
pub use gqlgen_config::{GqlgenConfig, GqlgenConfigError, Layout};
pub use index::{GoIndex, GoIndexError, GoMethod, GoStatus};
pub use naming::{go_argument_name, go_field_name, resolver_type_name};
