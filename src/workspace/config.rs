//! `ferry.toml`: what a team writes down about its workspace.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The file exactly as written; paths are still relative to the workspace root.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FerryToml {
    #[serde(default)]
    pub python: PythonSection,
    #[serde(default)]
    pub services: Vec<ServiceSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonSection {
    pub schema: Option<Vec<String>>,
    pub roots: Option<Vec<String>>,
    pub import_roots: Option<Vec<String>>,
    pub framework: Option<String>,
    /// `None` when not written: see `workspace::DEFAULT_PYTHON_EXCLUDE`.
    pub exclude: Option<Vec<String>>,
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSection {
    pub name: String,
    pub gqlgen: Option<String>,
    pub schema: Option<Vec<String>>,
    pub resolvers: Option<String>,
    pub package: Option<String>,
    pub new_fields: Option<String>,
    #[serde(default)]
    pub owns: Vec<String>,
}
