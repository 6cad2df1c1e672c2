//! `ferry.toml`: what a team writes down about its workspace.

use serde::{Deserialize, Deserializer};
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
    #[serde(default)]
    pub exclude: Vec<String>,
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
    /// The federation version (1 or 2) `mark` writes when the service's
    /// schema files do not show one (a new, empty service).
    #[serde(default, deserialize_with = "federation_version")]
    pub federation: Option<u32>,
}

fn federation_version<'de, D: Deserializer<'de>>(input: D) -> Result<Option<u32>, D::Error> {
    let version = u32::deserialize(input)?;
    if matches!(version, 1 | 2) {
        Ok(Some(version))
    } else {
        Err(serde::de::Error::custom(format!(
            "federation = {version}: use 1 or 2"
        )))
    }
}
