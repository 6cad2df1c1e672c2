//! A loaded workspace: its configuration, every schema parsed and validated,
//! and the inventory joining them. Every command starts from one.
//!
//! A workspace without the monolith's SDL (no `[python]` schema, none
//! discovered) is Go services alone: every field is then at stage `go`, and
//! no Python is scanned.

use crate::golang::GoIndex;
use crate::golang::resolver_names::ResolverNames;
use crate::model::evidence::{EvidenceError, EvidenceFile};
use crate::model::inventory::{
    EncodedRecords, Inventory, InventoryParts, MonolithDraft, MonolithRecords, RecordStore,
    ServiceRecords,
};
use crate::model::ledger::{Ledger, LedgerError};
use crate::model::monolith::Monolith;
use crate::python::calls::CallGraph;
use crate::python::{Framework, PythonIndex, PythonIndexOptions};
use crate::schema::loaded::{LoadedSchema, SchemaError, Share};
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
    /// Empty (no files) when the workspace has no monolith SDL; parsed
    /// on first use when its records were stored ([`Project::load_stored`]).
    pub monolith: Monolith,
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
    /// What the inventory was joined from, when the project is one that
    /// reloads (`load_reloadable`, `reload`): the next reload joins again
    /// only the parts whose files changed.
    pub parts: Option<InventoryParts>,
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
fn loaded_from<'a>(
    loaded: &LoadedSchema,
    sources: impl ExactSizeIterator<Item = &'a SourceFile>,
) -> bool {
    loaded.files.len() == sources.len()
        && loaded.files.iter().zip(sources).all(|(file, source)| {
            file.source.path == source.path
                && file.source.exists == source.exists
                && file.source.text == source.text
        })
}

/// Whether two loads of a schema read the same files with the same text.
fn same_files(a: &LoadedSchema, b: &LoadedSchema) -> bool {
    loaded_from(a, b.files.iter().map(|f| &f.source))
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
    share: Share,
) -> Result<LoadedSchema, ProjectError> {
    let sources = read_sources(&what, files)?;
    load_sources(what, sources, lenient, before, known, share)
}

/// How many bytes `files` hold, as the file system says: where each
/// schema's files fall among all the SDL a cold load parses at once
/// ([`Share`]). Only where the parse cuts its files depends on it.
fn sdl_bytes(files: &[crate::workspace::WorkspacePath]) -> usize {
    files
        .iter()
        .filter_map(|p| std::fs::metadata(&p.abs).ok())
        .map(|m| m.len() as usize)
        .sum()
}

fn read_sources(
    what: &str,
    files: &[crate::workspace::WorkspacePath],
) -> Result<Vec<SourceFile>, ProjectError> {
    files
        .iter()
        .map(|p| SourceFile::read(p.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProjectError::Schema {
            what: what.to_string(),
            error: e.into(),
        })
}

/// [`load_schema`] of files already read.
fn load_sources(
    what: String,
    sources: Vec<SourceFile>,
    lenient: bool,
    before: Option<&LoadedSchema>,
    known: &[&LoadedSchema],
    share: Share,
) -> Result<LoadedSchema, ProjectError> {
    let before = known
        .iter()
        .copied()
        .find(|k| loaded_from(k, sources.iter()))
        .or(before);
    let loaded = match before {
        Some(before) => before.reload(sources, lenient),
        // The caller finishes the validation (`Project::scan`).
        None if lenient => LoadedSchema::load_lenient_unvalidated_in(sources, share),
        None => LoadedSchema::load_in(sources, share),
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
        Self::scan(workspace, Scan::default(), None).map(|(project, _)| project)
    }

    /// `load` for a command that reads the inventory and not the
    /// monolith's schema (`status`): while the monolith's files hold the
    /// text the last such load stored records for, those records are
    /// taken and the SDL is parsed only if something asks for it
    /// (`project.monolith`); otherwise the records are made and stored.
    pub fn load_stored(overrides: &Overrides) -> Result<Project, ProjectError> {
        let scan = Scan {
            stored_records: true,
            ..Scan::default()
        };
        Self::scan(Workspace::load(overrides)?, scan, None).map(|(project, _)| project)
    }

    /// `load` for a session that edits and reloads (the TUI): the project
    /// keeps what its inventory was joined from, so that a reload after
    /// an edit makes again only the records of the files the edit wrote.
    pub fn load_reloadable(overrides: &Overrides) -> Result<Project, ProjectError> {
        Self::scan(Workspace::load(overrides)?, Scan::reload(), None).map(|(project, _)| project)
    }

    /// The project and what every field's Python resolver calls and
    /// touches (`ferry plan`), from one scan of the Python.
    pub fn load_with_calls(overrides: &Overrides) -> Result<(Project, CallGraph), ProjectError> {
        let scan = Scan {
            with_calls: true,
            ..Scan::default()
        };
        Self::scan(Workspace::load(overrides)?, scan, None)
    }

    /// The workspace as the disk holds it now, after an edit or a change
    /// seen on disk, reusing what `self` read that did not change: every
    /// schema file and Go file is read again and only those whose text
    /// changed are parsed (a schema none of whose files changed is not
    /// even validated again). The Python index is kept while its settings
    /// stay the same and every file it scanned hashes as it did (`finish
    /// --delete-python` writes Python); `load` (the TUI's reload key) reads
    /// it afresh, new files included. The monolith's records are kept
    /// while its files, the Python index and the settings they were made
    /// with stay the same, and so are the definitions of every service
    /// whose files did not change: only the rest is joined again. The
    /// reloaded project keeps its parts for the next reload.
    pub fn reload(&self, overrides: &Overrides) -> Result<Project, ProjectError> {
        let workspace = Workspace::load(overrides)?;
        Self::scan(workspace, Scan::reload(), Some((self, None))).map(|(project, _)| project)
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
        Self::scan(workspace, Scan::reload(), Some((self, Some(written))))
            .map(|(project, _)| project)
    }

    fn scan(
        workspace: Workspace,
        scan: Scan,
        before: Option<(&Project, Option<&KnownWrites>)>,
    ) -> Result<(Project, CallGraph), ProjectError> {
        let Scan {
            with_calls,
            keep_parts,
            stored_records,
        } = scan;
        let known = before.and_then(|(_, known)| known);
        let before = before.map(|(project, _)| project);
        use rayon::prelude::*;
        // All the SDL parses at once, the monolith's first, then each
        // service's: the cores share it out evenly.
        // A monolith whose records are likely stored does not parse.
        let monolith_parses = !(stored_records && RecordStore::any_stored(&workspace));
        let monolith_bytes = sdl_bytes(&workspace.python.schema_files);
        let mut total = if monolith_parses { monolith_bytes } else { 0 };
        let service_starts: Vec<usize> = workspace
            .services
            .iter()
            .map(|service| {
                let start = total;
                total += sdl_bytes(&service.schema_files);
                start
            })
            .collect();
        let share = |start| Share { start, total };
        let monolith_share = if monolith_parses {
            share(0)
        } else {
            Share::alone(monolith_bytes)
        };
        // The monolith's SDL is usually the largest file and its Python the
        // largest scan: all three run at once.
        let load_monolith = || {
            let what = "the monolith's schema";
            let sources = read_sources(what, &workspace.python.schema_files)?;
            let store = stored_records
                .then(|| RecordStore::new(&workspace, &sources))
                .flatten();
            if let Some(records) = store.as_ref().and_then(|s| s.load(&workspace)) {
                let made = RecordsSoFar::Stored(records);
                return Ok::<_, ProjectError>((Monolith::unparsed(sources), store, made));
            }
            if let Some(before) = before.map(|p| &*p.monolith) {
                let loaded = load_sources(
                    what.into(),
                    sources,
                    true,
                    Some(before),
                    &[],
                    monolith_share,
                )?;
                return Ok((Monolith::loaded(loaded), store, RecordsSoFar::Nothing));
            }
            // A first load: what the files alone give the records is made
            // while the schema builds on one core.
            let (loaded, draft) = LoadedSchema::load_lenient_unvalidated_beside(
                sources,
                monolith_share,
                MonolithRecords::draft,
            )
            .map_err(|error| ProjectError::Schema {
                what: what.into(),
                error,
            })?;
            Ok((
                Monolith::loaded(loaded),
                store,
                RecordsSoFar::Drafted(draft),
            ))
        };
        let load_services = || {
            workspace
                .services
                .par_iter()
                .zip(&service_starts)
                .map(|(service, &start)| {
                    let service_before = before.and_then(|p| p.service_loaded(&service.name));
                    let known: Vec<&LoadedSchema> =
                        known.map_or(Vec::new(), |k| k.schemas.iter().collect());
                    let loaded = load_schema(
                        format!("service `{}`", service.name),
                        &service.schema_files,
                        false,
                        service_before.map(|(loaded, _)| loaded),
                        &known,
                        share(start),
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
        let (monolith, store, so_far) = monolith;
        let (services, go): (Vec<_>, BTreeMap<_, _>) = services.into_iter().unzip();
        let ledger = Ledger::read(&workspace.root)?;
        let evidence = EvidenceFile::read(&workspace.compare.evidence)?;
        let join_inventory = || {
            let made = MonolithMade {
                so_far,
                encode: store.is_some(),
            };
            let (parts, encoded) =
                Self::parts(&workspace, &monolith, made, &services, &python, before);
            let (mut inventory, parts) = if keep_parts {
                (parts.join(&workspace, &ledger), Some(parts))
            } else {
                (parts.into_inventory(&workspace, &ledger), None)
            };
            let names: BTreeMap<String, ResolverNames> = services
                .iter()
                .map(|(service, loaded)| {
                    let names = ResolverNames::new(&loaded.schema, service.gqlgen_config.as_ref());
                    (service.name.clone(), names)
                })
                .collect();
            inventory.attach_go(&go, &names);
            (inventory, (parts, encoded))
        };
        // A freshly loaded monolith is validated on one core while the
        // inventory is joined on the other: the validation only adds
        // findings, and the join needs only the built schema.
        let (validation, (mut inventory, (mut parts, encoded))) = rayon::join(
            || monolith.validation_pending().then(|| monolith.validation()),
            join_inventory,
        );
        if let (Some(store), Some(encoded)) = (&store, encoded) {
            let validated = validation.as_ref().map_or(&[][..], |v| v.invalid());
            store.write(encoded, validated);
        }
        let monolith = match validation {
            Some(validation) => {
                inventory.add_monolith_invalid(validation.invalid());
                if let Some(parts) = &mut parts {
                    parts.add_monolith_invalid(validation.invalid());
                }
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
            parts,
        };
        Ok((project, calls))
    }

    /// What the inventory is joined from: the parts of `before` whose
    /// files and settings did not change, the rest made again.
    fn parts(
        workspace: &Workspace,
        monolith: &Monolith,
        made: MonolithMade,
        services: &[(Service, LoadedSchema)],
        python: &Arc<PythonIndex>,
        before: Option<&Project>,
    ) -> (InventoryParts, Option<EncodedRecords>) {
        use rayon::prelude::*;
        let kept = before.and_then(|p| Some((p, p.parts.as_ref()?)));
        let monolith_records = kept
            .filter(|(before, parts)| {
                same_files(&before.monolith, monolith) && parts.monolith.hold_for(workspace, python)
            })
            .map(|(_, parts)| Arc::clone(&parts.monolith));
        let make_monolith_records = || match monolith_records {
            Some(kept) => (kept, None),
            None => {
                let records = match made.so_far {
                    RecordsSoFar::Stored(stored) => Err(stored),
                    RecordsSoFar::Drafted(draft) => {
                        Ok(MonolithRecords::build_from(workspace, monolith, draft))
                    }
                    RecordsSoFar::Nothing => Ok(MonolithRecords::build(workspace, monolith)),
                };
                let (mut records, encoded) = match records {
                    Err(stored) => (stored, None),
                    Ok(records) => {
                        let encoded = made.encode.then(|| RecordStore::encode(&records));
                        (records, encoded)
                    }
                };
                records.attach_python(python);
                (Arc::new(records), encoded)
            }
        };
        let make_service_records = || {
            services
                .par_iter()
                .map(|(service, loaded)| {
                    let kept = kept.and_then(|(before, parts)| {
                        let at = before
                            .services
                            .iter()
                            .position(|(s, _)| s.name == service.name)?;
                        let records = &parts.services[at];
                        (same_files(&before.services[at].1, loaded)
                            && records.hold_for(workspace, service))
                        .then(|| Arc::clone(records))
                    });
                    kept.unwrap_or_else(|| {
                        Arc::new(ServiceRecords::build(workspace, service, loaded))
                    })
                })
                .collect()
        };
        let ((monolith, encoded), services) =
            rayon::join(make_monolith_records, make_service_records);
        (InventoryParts { monolith, services }, encoded)
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

/// What a scan reads and keeps besides the workspace as it is.
#[derive(Debug, Clone, Copy, Default)]
struct Scan {
    /// What each resolver calls, too (`ferry plan`).
    with_calls: bool,
    /// Keep what the inventory was joined from, for the next reload.
    keep_parts: bool,
    /// Take the monolith's stored records, or store them (`load_stored`).
    stored_records: bool,
}

impl Scan {
    /// A scan that keeps its parts for the next reload.
    fn reload() -> Scan {
        Scan {
            keep_parts: true,
            ..Scan::default()
        }
    }
}

/// The monolith's records this scan has already, or whether to encode
/// them for the store once made.
struct MonolithMade {
    so_far: RecordsSoFar,
    encode: bool,
}

/// How far the monolith's load made its records.
enum RecordsSoFar {
    /// Whole, from the store.
    Stored(MonolithRecords),
    /// What its files alone give them, made while its schema built.
    Drafted(MonolithDraft),
    Nothing,
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
