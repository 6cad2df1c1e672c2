//! A loaded workspace: its configuration, every schema parsed and validated,
//! and the inventory joining them. Every command starts from one.
//!
//! A workspace without the monolith's SDL (no `[python]` schema, none
//! discovered) is Go services alone: every field is then at stage `go`, and
//! no Python is scanned.

use crate::golang::GoIndex;
use crate::golang::resolver_names::ResolverNames;
use crate::model::evidence::{EvidenceError, EvidenceFile};
use crate::model::inventory::Inventory;
use crate::model::ledger::{Ledger, LedgerError};
use crate::python::calls::CallGraph;
use crate::python::{Framework, PythonIndex, PythonIndexOptions};
use crate::schema::loaded::{LoadedSchema, SchemaError};
use crate::schema::source::SourceFile;
use crate::workspace::{Overrides, Service, Workspace, WorkspaceError};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("{what}: {error}")]
    Schema { what: String, error: SchemaError },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Evidence(#[from] EvidenceError),
    // Not a `source`: a chain printed with `{:#}` would repeat it.
    #[error("scanning the monolith's Python: {0}")]
    Python(crate::python::PythonIndexError),
    #[error("service `{service}`: {error}")]
    Go {
        service: String,
        error: crate::golang::GoIndexError,
    },
}

impl From<crate::python::PythonIndexError> for ProjectError {
    fn from(error: crate::python::PythonIndexError) -> Self {
        ProjectError::Python(error)
    }
}

#[derive(Debug, Clone)]
pub struct Project {
    pub workspace: Workspace,
    /// Empty (no files) when the workspace has no monolith SDL.
    pub monolith: LoadedSchema,
    pub services: Vec<(Service, LoadedSchema)>,
    /// Each service's Go resolver index, by service name.
    pub go: BTreeMap<String, GoIndex>,
    /// The transitions ferry wrote so far (`migration-history.jsonl`).
    pub ledger: Ledger,
    /// What `ferry compare` measured so far (`ferry-evidence.json`).
    pub evidence: EvidenceFile,
    /// The monolith's Python resolver index, kept for `reload`.
    pub python: Arc<PythonIndex>,
    pub inventory: Inventory,
}

/// What an edit already knows about the files it wrote, so that the reload
/// after it need not find it out again.
#[derive(Debug, Clone, Default)]
pub struct KnownWrites {
    /// Services' schemas the edit's planner parsed and validated from the
    /// text it wrote; one is taken only when every file on disk holds
    /// exactly the text it was loaded from.
    pub schemas: Vec<LoadedSchema>,
    /// Whether the edit wrote a file the Python index scanned (or any
    /// Python file): only then is every scanned file hashed again. A file
    /// changed by someone else is still refused when ferry next writes it.
    pub python: bool,
}

impl KnownWrites {
    /// What `written` (the changed files' workspace-relative paths) means
    /// for `project`'s Python index: whether it wrote Python or the SDL
    /// the index reads.
    pub fn wrote_python<'a>(project: &Project, written: impl IntoIterator<Item = &'a str>) -> bool {
        written.into_iter().any(|rel| {
            rel.ends_with(".py")
                || project.python.file_hashes.contains_key(rel)
                || project
                    .workspace
                    .python
                    .schema_files
                    .iter()
                    .any(|f| f.rel == rel)
        })
    }
}

/// Whether `loaded` was loaded from exactly these files and texts.
fn loaded_from(loaded: &LoadedSchema, sources: &[SourceFile]) -> bool {
    loaded.files.len() == sources.len()
        && loaded.files.iter().zip(sources).all(|(file, source)| {
            file.source.path == source.path
                && file.source.exists == source.exists
                && file.source.text == source.text
        })
}

/// Reads and loads one schema's files; with the schema as loaded before,
/// only the files whose text changed are parsed again, and with one of
/// `known` loaded from exactly what the disk holds, nothing is.
fn load_schema(
    what: String,
    files: &[crate::workspace::WorkspacePath],
    lenient: bool,
    before: Option<&LoadedSchema>,
    known: &[&LoadedSchema],
) -> Result<LoadedSchema, ProjectError> {
    let sources = files
        .iter()
        .map(|p| SourceFile::read(p.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProjectError::Schema {
            what: what.clone(),
            error: e.into(),
        })?;
    let before = known
        .iter()
        .copied()
        .find(|k| loaded_from(k, &sources))
        .or(before);
    let loaded = match before {
        Some(before) => before.reload(sources, lenient),
        // The caller finishes the validation (`Project::scan`).
        None if lenient => LoadedSchema::load_lenient_unvalidated(sources),
        None => LoadedSchema::load(sources),
    };
    loaded.map_err(|error| ProjectError::Schema { what, error })
}

/// The resolver index of the monolith's Python, when it has an SDL and
/// resolver roots: without the SDL no field could be joined to it. With
/// `with_calls`, also what each resolver calls (`ferry plan`).
fn index_python(
    workspace: &Workspace,
    with_calls: bool,
) -> Result<(PythonIndex, CallGraph), ProjectError> {
    let settings = &workspace.python;
    if settings.schema_files.is_empty() {
        return Ok(Default::default());
    }
    let roots: Vec<_> = settings
        .roots
        .iter()
        .filter(|r| r.is_dir())
        .cloned()
        .collect();
    if roots.is_empty() {
        return Ok(Default::default());
    }
    let framework = match settings.framework.as_str() {
        "graphene" => Framework::Graphene,
        "strawberry" => Framework::Strawberry,
        "ariadne" => Framework::Ariadne,
        _ => Framework::Auto,
    };
    let options = PythonIndexOptions {
        workspace_root: workspace.root.clone(),
        roots,
        import_roots: settings.import_roots.clone(),
        exclude: settings.exclude.clone(),
        framework,
        cache_dir: workspace.cache_dir.clone(),
        progress: workspace.progress,
    };
    if with_calls {
        Ok(crate::python::build_index_with_calls(&options)?)
    } else {
        Ok((crate::python::build_index(&options)?, CallGraph::default()))
    }
}

impl Project {
    pub fn load(overrides: &Overrides) -> Result<Project, ProjectError> {
        let workspace = Workspace::load(overrides)?;
        Self::from_workspace(workspace)
    }

    pub fn from_workspace(workspace: Workspace) -> Result<Project, ProjectError> {
        Self::scan(workspace, false, None).map(|(project, _)| project)
    }

    /// The project and what every field's Python resolver calls and
    /// touches (`ferry plan`), from one scan of the Python.
    pub fn load_with_calls(overrides: &Overrides) -> Result<(Project, CallGraph), ProjectError> {
        Self::scan(Workspace::load(overrides)?, true, None)
    }

    /// The workspace as the disk holds it now, after an edit or a change
    /// seen on disk, reusing what `self` read that did not change: every
    /// schema file and Go file is read again and only those whose text
    /// changed are parsed (a schema none of whose files changed is not
    /// even validated again). The Python index is kept while its settings
    /// stay the same and every file it scanned hashes as it did (`finish
    /// --delete-python` writes Python); `load` (the TUI's reload key) reads
    /// it afresh, new files included.
    pub fn reload(&self, overrides: &Overrides) -> Result<Project, ProjectError> {
        let workspace = Workspace::load(overrides)?;
        Self::scan(workspace, false, Some((self, None))).map(|(project, _)| project)
    }

    /// `reload` after an edit that says what it wrote: the schemas its
    /// planner already validated are taken as they are, and the Python
    /// files are hashed again only when it wrote Python.
    pub fn reload_after(
        &self,
        overrides: &Overrides,
        written: &KnownWrites,
    ) -> Result<Project, ProjectError> {
        let workspace = Workspace::load(overrides)?;
        Self::scan(workspace, false, Some((self, Some(written)))).map(|(project, _)| project)
    }

    fn scan(
        workspace: Workspace,
        with_calls: bool,
        before: Option<(&Project, Option<&KnownWrites>)>,
    ) -> Result<(Project, CallGraph), ProjectError> {
        let known = before.and_then(|(_, known)| known);
        let before = before.map(|(project, _)| project);
        use rayon::prelude::*;
        // The monolith's SDL is usually the largest file and its Python the
        // largest scan: all three run at once.
        let load_monolith = || {
            load_schema(
                "the monolith's schema".into(),
                &workspace.python.schema_files,
                true,
                before.map(|p| &p.monolith),
                &[],
            )
        };
        let load_services = || {
            workspace
                .services
                .par_iter()
                .map(|service| {
                    let service_before = before.and_then(|p| p.service_loaded(&service.name));
                    let known: Vec<&LoadedSchema> =
                        known.map_or(Vec::new(), |k| k.schemas.iter().collect());
                    let loaded = load_schema(
                        format!("service `{}`", service.name),
                        &service.schema_files,
                        false,
                        service_before.map(|(loaded, _)| loaded),
                        &known,
                    )?;
                    let go = match service_before.and_then(|(_, go)| go) {
                        Some(go) => go.rebuild(&workspace.root, &service.resolver_dir),
                        None => GoIndex::build(&workspace.root, &service.resolver_dir),
                    }
                    .map_err(|error| ProjectError::Go {
                        service: service.name.clone(),
                        error,
                    })?;
                    Ok(((service.clone(), loaded), (service.name.clone(), go)))
                })
                .collect::<Result<Vec<_>, ProjectError>>()
        };
        let scan_python = || match before {
            Some(before)
                if !with_calls
                    && same_python(&before.workspace, &workspace)
                    && (known.is_some_and(|k| !k.python)
                        || crate::python::files_unchanged(&workspace.root, &before.python)) =>
            {
                Ok((before.python.clone(), CallGraph::default()))
            }
            _ => index_python(&workspace, with_calls)
                .map(|(python, calls)| (Arc::new(python), calls)),
        };
        let ((monolith, services), python) =
            rayon::join(|| rayon::join(load_monolith, load_services), scan_python);
        let (monolith, services, (python, calls)) = (monolith?, services?, python?);
        let (services, go): (Vec<_>, BTreeMap<_, _>) = services.into_iter().unzip();
        let ledger = Ledger::read(&workspace.root)?;
        let evidence = EvidenceFile::read(&workspace.compare.evidence)?;
        let join_inventory = || {
            let mut inventory = Inventory::build(&workspace, &monolith, &services, &ledger);
            inventory.attach_python(&python);
            let names: BTreeMap<String, ResolverNames> = services
                .iter()
                .map(|(service, loaded)| {
                    let names = ResolverNames::new(&loaded.schema, service.gqlgen_config.as_ref());
                    (service.name.clone(), names)
                })
                .collect();
            inventory.attach_go(&go, &names);
            inventory
        };
        // A freshly loaded monolith is validated on one core while the
        // inventory is joined on the other: the validation only adds
        // findings, and the join needs only the built schema.
        let (validation, mut inventory) = rayon::join(
            || monolith.validation_pending().then(|| monolith.validation()),
            join_inventory,
        );
        let monolith = match validation {
            Some(validation) => {
                inventory.add_monolith_invalid(validation.invalid());
                monolith.validated(validation)
            }
            None => monolith,
        };
        let project = Project {
            workspace,
            monolith,
            services,
            go,
            ledger,
            evidence,
            python,
            inventory,
        };
        Ok((project, calls))
    }

    pub fn service(&self, name: &str) -> Option<&(Service, LoadedSchema)> {
        self.services.iter().find(|(s, _)| s.name == name)
    }

    /// A service's schema and Go index as loaded.
    fn service_loaded(&self, name: &str) -> Option<(&LoadedSchema, Option<&GoIndex>)> {
        let (_, loaded) = self.service(name)?;
        Some((loaded, self.go.get(name)))
    }
}

/// Whether the Python index of `before` is the one `now` would build from
/// the same files: the same roots, exclusions and framework, and an SDL to
/// join it to in both.
fn same_python(before: &Workspace, now: &Workspace) -> bool {
    let (a, b) = (&before.python, &now.python);
    a.roots == b.roots
        && a.import_roots == b.import_roots
        && a.exclude == b.exclude
        && a.framework == b.framework
        && a.schema_files.is_empty() == b.schema_files.is_empty()
        && before.root == now.root
        && before.cache_dir == now.cache_dir
}
