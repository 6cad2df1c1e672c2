//! Understand, the Go side: which gqlgen resolvers a service already has
//! (and whether each is still a stub), gqlgen's Go naming, and how it binds
//! GraphQL types to the Go model. Imports nothing of the other indexes.
//!
//! - [`GoIndex`] reads a resolver package with tree-sitter-go (queries in
//!   `grammars/go/`): every method, its file and line, [`GoStatus`].
//! - [`type_mapping`] binds schema types to Go types as gqlgen does.
//!
//! A method is a **stub** while its body does nothing but panic: gqlgen's
//! `panic(fmt.Errorf("not implemented: …"))`, ferry's (under its marker
//! comment [`STUB_MARKER`]), or a person's `panic("TODO")`. Comments do not
//! count, so the quoted Python does not make a body implemented; a single
//! real statement does.

mod bindings;
mod go_type;
pub mod index;
pub mod naming;
pub mod resolver_names;
mod scanned_package;
pub mod source_file;
mod stub;
pub mod type_mapping;

pub use index::{GoIndex, GoIndexError, GoMethod};
pub use naming::{go_argument_name, go_field_name, resolver_type_name, resolver_type_name_for};
pub use stub::{GoStatus, STUB_MARKER};

/// tree-sitter-go, which both queries of `grammars/go/` are written for.
fn language() -> tree_sitter::Language {
    tree_sitter_go::LANGUAGE.into()
}
