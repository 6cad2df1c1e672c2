//! The Go side of a migration: which gqlgen resolvers a service already has
//! (and whether each is still a stub), and the resolver skeletons ferry writes
//! for the fields a service takes over.
//!
//! - [`GoIndex`] reads a resolver package with tree-sitter-go (queries in
//!   `grammars/go/`): every method, its file and line, [`GoStatus`].
//! - [`GqlgenConfig`] reads a service's `gqlgen.yml` with gqlgen's defaults.
//! - [`plan_generation`] decides the Go files to write, in gqlgen's own
//!   conventions (naming, layout, types, order, gofmt's layout), plus the
//!   `@goField(forceResolver: true)` schema edits; it writes nothing.
//!
//! A method is a **stub** while its body holds nothing but a placeholder
//! panic: gqlgen's `panic(fmt.Errorf("not implemented: …"))` or
//! `panic("not implemented")`, or any `panic(…)` under ferry's marker comment
//! [`STUB_MARKER`] (`// ferry:stub`), which every generated body carries.
//! Comments do not count, so the quoted Python does not make a body
//! implemented; a single real statement does.

pub mod generate;
pub mod go_package;
pub mod gqlgen_config;
pub mod index;
pub mod naming;
pub mod skeletons;
pub mod source_file;
pub mod type_mapping;

pub use generate::{
    GO_FIELD_DEFINITION, GenError, GenRequest, GeneratedFile, GenerationPlan, KeyError,
    QuotedPython, SchemaEdit, SkippedField, plan_generation,
};
pub use gqlgen_config::{GqlgenConfig, GqlgenConfigError, Layout};
pub use index::{GoIndex, GoIndexError, GoMethod, GoStatus};
pub use naming::{go_argument_name, go_field_name, resolver_type_name, resolver_type_name_for};
pub use source_file::STUB_MARKER;
