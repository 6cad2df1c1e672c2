//! The parts of a service's `gqlgen.yml` that say where its schema and
//! resolvers live, so `ferry.toml` does not have to repeat them.

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct GqlgenYml {
    #[serde(default)]
    pub schema: SchemaGlobs,
    #[serde(default)]
    pub resolver: ResolverSection,
    #[serde(default)]
    pub directives: Option<serde_yaml::Value>,
}

/// gqlgen accepts one glob or a list of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum SchemaGlobs {
    One(String),
    Many(Vec<String>),
}

impl Default for SchemaGlobs {
    fn default() -> Self {
        // gqlgen's own default.
        SchemaGlobs::Many(vec!["schema.graphql".into()])
    }
}

impl SchemaGlobs {
    pub fn globs(&self) -> Vec<String> {
        match self {
            SchemaGlobs::One(one) => vec![one.clone()],
            SchemaGlobs::Many(many) => many.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ResolverSection {
    pub layout: Option<String>,
    pub dir: Option<String>,
    pub filename: Option<String>,
    pub package: Option<String>,
    pub filename_template: Option<String>,
}

impl GqlgenYml {
    /// Whether `directives: migrate: skip_runtime: true` is already there.
    pub fn skips_migrate_at_runtime(&self) -> bool {
        self.directives
            .as_ref()
            .and_then(|d| d.get("migrate"))
            .and_then(|m| m.get("skip_runtime"))
            .and_then(|s| s.as_bool())
            .unwrap_or(false)
    }
}
