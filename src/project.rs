//! A loaded workspace: its configuration, every schema parsed and validated,
//! and the inventory joining them. Every command starts from one.

use crate::schema::inventory::Inventory;
use crate::schema::loaded::{LoadedSchema, SchemaError};
use crate::schema::source::SourceFile;
use crate::workspace::{Overrides, Service, Workspace, WorkspaceError};

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("{what}: {error}")]
    Schema { what: String, error: SchemaError },
    #[error(
        "the monolith's schema: no SDL file found; set [python] schema = [\"path/to/schema.graphql\"] in ferry.toml or pass --python-schema"
    )]
    NoMonolithSchema,
}

#[derive(Debug, Clone)]
pub struct Project {
    pub workspace: Workspace,
    pub monolith: LoadedSchema,
    pub services: Vec<(Service, LoadedSchema)>,
    pub inventory: Inventory,
}

fn load_schema(
    what: String,
    files: &[crate::workspace::WorkspacePath],
    lenient: bool,
) -> Result<LoadedSchema, ProjectError> {
    let sources = files
        .iter()
        .map(|p| SourceFile::read(p.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProjectError::Schema {
            what: what.clone(),
            error: e.into(),
        })?;
    let loaded = if lenient {
        LoadedSchema::load_lenient(sources)
    } else {
        LoadedSchema::load(sources)
    };
    loaded.map_err(|error| ProjectError::Schema { what, error })
}

impl Project {
    pub fn load(overrides: &Overrides) -> Result<Project, ProjectError> {
        let workspace = Workspace::load(overrides)?;
        Self::from_workspace(workspace)
    }

    pub fn from_workspace(workspace: Workspace) -> Result<Project, ProjectError> {
        if workspace.python.schema_files.is_empty() {
            return Err(ProjectError::NoMonolithSchema);
        }
        let monolith = load_schema(
            "the monolith's schema".into(),
            &workspace.python.schema_files,
            true,
        )?;
        let services = workspace
            .services
            .iter()
            .map(|service| {
                let loaded = load_schema(
                    format!("service `{}`", service.name),
                    &service.schema_files,
                    false,
                )?;
                Ok((service.clone(), loaded))
            })
            .collect::<Result<Vec<_>, ProjectError>>()?;
        let inventory = Inventory::build(&workspace, &monolith, &services);
        Ok(Project {
            workspace,
            monolith,
            services,
            inventory,
        })
    }

    pub fn service(&self, name: &str) -> Option<&(Service, LoadedSchema)> {
        self.services.iter().find(|(s, _)| s.name == name)
    }
}
