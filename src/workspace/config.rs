//! `ferry.toml`: what a team writes down about its workspace.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// The file exactly as written; paths are still relative to the workspace root.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FerryToml {
    /// How stages are spelled in the services' schemas: `migrate` (the
    /// default) or `override`; a service's own `dialect` wins.
    pub dialect: Option<DialectName>,
    #[serde(default)]
    pub python: PythonSection,
    #[serde(default)]
    pub services: Vec<ServiceSection>,
    #[serde(default)]
    pub compare: CompareSection,
    /// `[override]`: the override dialect's canary ladder and label budget.
    #[serde(default, rename = "override")]
    pub override_section: OverrideSection,
}

/// The two spellings of a stage in a Go service's schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DialectName {
    /// `@migrate(from: "python", state: …)`, for a gateway that reads it.
    #[default]
    Migrate,
    /// Federation 2.7's progressive `@override(from: …, label: …)`.
    Override,
}

impl DialectName {
    pub fn as_str(self) -> &'static str {
        match self {
            DialectName::Migrate => "migrate",
            DialectName::Override => "override",
        }
    }
}

/// `[override]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideSection {
    /// The percentages a canary climbs, one `advance` per rung.
    pub ladder: Option<Vec<f64>>,
    /// `check` warns when more distinct labels than this are live.
    pub max_labels: Option<usize>,
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
    /// Where `ferry compare` sends the monolith's operations.
    pub url: Option<String>,
    /// Request headers for `url`; a value `"env:NAME"` is read from the environment.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The monolith's subgraph name in the supergraph: what `@override(from:)` names.
    pub subgraph: Option<String>,
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
    /// Where `ferry compare` sends the service's operations.
    pub url: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The federation version (1 or 2) `mark` writes when the service's
    /// schema files do not show one (a new, empty service).
    #[serde(default, deserialize_with = "federation_version")]
    pub federation: Option<u32>,
    /// This service's spelling of the stages, instead of the workspace's.
    pub dialect: Option<DialectName>,
}

/// `[compare]`: how `ferry compare` replays operations and judges evidence.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareSection {
    /// Globs of `.graphql` files and JSON-lines logs.
    #[serde(default)]
    pub operations: Vec<String>,
    pub min_samples: Option<u64>,
    pub max_mismatch_rate: Option<f64>,
    /// The committed evidence file.
    pub evidence: Option<String>,
    pub float_tolerance: Option<f64>,
    /// Field coordinates whose values are compared by nullness only.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Field coordinates whose lists are compared in any order.
    #[serde(default)]
    pub unordered: Vec<String>,
    pub jobs: Option<usize>,
    pub timeout_secs: Option<f64>,
    pub retries: Option<u32>,
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
