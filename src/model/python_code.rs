//! The Python the index recorded for each field, kept with the model so
//! that finishing a field can say (and do) exactly what Python goes: the
//! index's line ranges, the hashes of the bytes they hold for, and the
//! index's planners over them.

use std::collections::BTreeMap;

pub use crate::python::deletion::{
    CodePiece, CodeRole, FieldDeletion, ImportedDefinition, Importer, KeptPiece, plan_deletion,
    statements_by_file,
};
pub use crate::python::removal::{
    FileRemoval, RemovalError, RemovedImport, TextEdit, content_hash, remove_statements,
};
pub use crate::python::{FieldCode, PythonSpan};

#[derive(Debug, Clone, Default)]
pub struct PythonCode {
    /// (GraphQL type, field) → its code, for every field the Python declares.
    pub fields: BTreeMap<(String, String), FieldCode>,
    /// Relative path → the content hash of the file the ranges are in.
    pub file_hashes: BTreeMap<String, [u8; 32]>,
    /// Definition → the modules importing it by name, for the definitions
    /// among `fields` that another module imports.
    pub importers: BTreeMap<PythonSpan, Vec<Importer>>,
}

impl PythonCode {
    pub fn from_index(index: &crate::python::PythonIndex) -> PythonCode {
        PythonCode {
            fields: index.code.clone(),
            file_hashes: index.file_hashes.clone(),
            importers: index
                .imported_definitions
                .iter()
                .map(|d| (d.definition.clone(), d.importers.clone()))
                .collect(),
        }
    }
}
