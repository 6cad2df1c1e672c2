//! Stages per service at each commit of the schema files' history: the
//! SDL at that commit read as the model reads it today (the monolith's
//! leniently, each service's as a federation subgraph of its dialect) and
//! joined by [`Inventory::build`], so a point from git counts exactly as
//! `ferry status` would have counted at that commit.

use crate::model::inventory::{Inventory, ServiceProgress};
use crate::model::ledger::{LEDGER_FILE, Ledger};
use crate::model::stage::Stage;
use crate::report::clock::Instant;
use crate::report::git_history::{self, SchemaCommit, SchemaHistory, WalkBounds};
use crate::schema::loaded::LoadedSchema;
use crate::schema::source::SourceFile;
use crate::workspace::{Service, Workspace, WorkspacePath};
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

/// The schema paths to read from git, today's ferry.toml's: the monolith's
/// SDL first, then each service's files, in workspace order.
#[derive(Debug, Clone)]
pub struct SchemaPaths {
    pub paths: Vec<String>,
    monolith: Range<usize>,
    services: Vec<Range<usize>>,
}

impl SchemaPaths {
    pub fn of(workspace: &Workspace) -> SchemaPaths {
        let mut paths: Vec<String> = Vec::new();
        let mut take = |files: &[WorkspacePath]| {
            let start = paths.len();
            paths.extend(files.iter().map(|f| f.rel.clone()));
            start..paths.len()
        };
        let monolith = take(&workspace.python.schema_files);
        let services = workspace
            .services
            .iter()
            .map(|s| take(&s.schema_files))
            .collect();
        SchemaPaths {
            paths,
            monolith,
            services,
        }
    }
}

/// Each service's stages at one commit, in workspace order.
#[derive(Debug, Clone)]
pub struct SchemaPoint {
    pub commit: String,
    pub time: Instant,
    pub services: Vec<ServiceProgress>,
    /// The stage of every field a service claimed then, by `Type.field`:
    /// how long a field has been in its stage, where the ledger is silent.
    pub field_stages: Arc<BTreeMap<String, Stage>>,
}

/// The stages at each commit of HEAD's first-parent history that changed
/// a schema file, within `bounds`, oldest first, and a note for each thing
/// that kept part of it from being read: no repository, a shallow clone,
/// a commit whose schema does not parse. What can be read always is.
pub fn from_git(
    workspace: &Workspace,
    bounds: WalkBounds,
    on_commit: &mut dyn FnMut(usize),
) -> (Vec<SchemaPoint>, Vec<String>) {
    let paths = SchemaPaths::of(workspace);
    let history = match git_history::read(&workspace.root, &paths.paths, bounds, on_commit) {
        Ok(history) => history,
        Err(error) => {
            return (
                Vec::new(),
                vec![format!(
                    "--from-git: {error}; the progress comes from the ledger alone"
                )],
            );
        }
    };
    let (points, mut notes) = points(workspace, &paths, &history);
    if let Some((commit, time)) = &history.shallow_boundary {
        notes.push(format!(
            "commit {} ({}): the history stops there, this is a shallow clone; progress before it is missing: run `git fetch --unshallow` to read all of it",
            &commit[..commit.len().min(7)],
            time.date()
        ));
    }
    if history.walked > 0 && history.commits.is_empty() {
        notes.push(format!(
            "--from-git: none of the {} commits read holds the schema files ferry.toml names ({})",
            history.walked,
            paths.paths.join(", ")
        ));
    }
    (points, notes)
}

/// The points of the history that could be read, and one note for each
/// commit that could not (its schema did not parse or validate there).
fn points(
    workspace: &Workspace,
    paths: &SchemaPaths,
    history: &SchemaHistory,
) -> (Vec<SchemaPoint>, Vec<String>) {
    // The ledger began after these commits: at their time it was empty.
    let empty_ledger = Ledger {
        path: WorkspacePath::new(&workspace.root, workspace.root.join(LEDGER_FILE)),
        text: None,
        entries: Vec::new(),
    };
    let schemas = SchemaCache::load(workspace, paths, history);
    // A revert returns to schemas already counted: each distinct set of
    // blobs is joined once.
    let mut distinct: Vec<&SchemaCommit> = Vec::new();
    let mut first_with: HashMap<&[Option<ObjectId>], usize> = HashMap::new();
    for commit in &history.commits {
        first_with.entry(&commit.blobs).or_insert_with(|| {
            distinct.push(commit);
            distinct.len() - 1
        });
    }
    type Counted = (Vec<ServiceProgress>, Arc<BTreeMap<String, Stage>>);
    let counted: Vec<Result<Counted, String>> = distinct
        .par_iter()
        .map(|commit| {
            let monolith = schemas.get(&Part::Monolith, paths, commit)?.clone();
            let services = workspace
                .services
                .iter()
                .enumerate()
                .map(|(i, service)| {
                    let loaded = schemas.get(&Part::Service(i), paths, commit)?;
                    Ok((service.clone(), loaded.clone()))
                })
                .collect::<Result<Vec<_>, String>>()?;
            let inventory = Inventory::build(workspace, &monolith, &services, &empty_ledger);
            let field_stages = inventory
                .fields
                .iter()
                .filter(|f| f.service.is_some())
                .map(|f| (f.coordinate.to_string(), f.stage))
                .collect();
            Ok((inventory.services, Arc::new(field_stages)))
        })
        .collect();
    let results = history.commits.iter().map(|commit| {
        counted[first_with[commit.blobs.as_slice()]]
            .clone()
            .map(|(services, field_stages)| SchemaPoint {
                commit: commit.id.clone(),
                time: commit.time,
                services,
                field_stages,
            })
    });
    let mut points = Vec::new();
    let mut notes = Vec::new();
    for (commit, result) in history.commits.iter().zip(results) {
        match result {
            Ok(point) => points.push(point),
            Err(error) => notes.push(format!(
                "commit {} ({}): {error}; the report leaves that commit out of the progress",
                commit.short_id(),
                commit.time.date()
            )),
        }
    }
    (points, notes)
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    Monolith,
    Service(usize),
}

impl Part {
    fn range<'p>(&self, paths: &'p SchemaPaths) -> &'p Range<usize> {
        match self {
            Part::Monolith => &paths.monolith,
            Part::Service(i) => &paths.services[*i],
        }
    }

    fn describe(&self, services: &[Service]) -> String {
        match self {
            Part::Monolith => "the monolith's schema".into(),
            Part::Service(i) => format!("service `{}`", services[*i].name),
        }
    }
}

/// One schema's files at a commit: which schema, and the blob of each file.
type SchemaAtCommit = (Part, Vec<Option<ObjectId>>);

/// Each schema parsed once per distinct set of blobs: a commit that
/// changed one service reuses every other schema as it was.
struct SchemaCache {
    loaded: HashMap<SchemaAtCommit, Result<LoadedSchema, String>>,
}

impl SchemaCache {
    fn load(workspace: &Workspace, paths: &SchemaPaths, history: &SchemaHistory) -> SchemaCache {
        let parts: Vec<Part> = std::iter::once(Part::Monolith)
            .chain((0..workspace.services.len()).map(Part::Service))
            .collect();
        let mut wanted: Vec<SchemaAtCommit> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for commit in &history.commits {
            for part in &parts {
                let key = (
                    part.clone(),
                    commit.blobs[part.range(paths).clone()].to_vec(),
                );
                if seen.insert(key.clone()) {
                    wanted.push(key);
                }
            }
        }
        let loaded = wanted
            .into_par_iter()
            .map(|(part, blobs)| {
                let result = load_part(workspace, paths, history, &part, &blobs)
                    .map_err(|e| format!("{}: {e}", part.describe(&workspace.services)));
                ((part, blobs), result)
            })
            .collect();
        SchemaCache { loaded }
    }

    fn get(
        &self,
        part: &Part,
        paths: &SchemaPaths,
        commit: &SchemaCommit,
    ) -> Result<&LoadedSchema, String> {
        let key = (
            part.clone(),
            commit.blobs[part.range(paths).clone()].to_vec(),
        );
        self.loaded[&key].as_ref().map_err(Clone::clone)
    }
}

/// One schema from the blobs of its files at a commit; a file the commit
/// does not have is left out, as if ferry.toml did not list it yet.
fn load_part(
    workspace: &Workspace,
    paths: &SchemaPaths,
    history: &SchemaHistory,
    part: &Part,
    blobs: &[Option<ObjectId>],
) -> Result<LoadedSchema, String> {
    let files: &[WorkspacePath] = match part {
        Part::Monolith => &workspace.python.schema_files,
        Part::Service(i) => &workspace.services[*i].schema_files,
    };
    debug_assert_eq!(files.len(), part.range(paths).len());
    let sources = files
        .iter()
        .zip(blobs)
        .filter_map(|(path, blob)| Some((path, history.blobs.get(blob.as_ref()?)?)))
        .map(|(path, bytes)| SourceFile::from_bytes(path.clone(), bytes.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let loaded = match part {
        Part::Monolith => LoadedSchema::load_lenient(sources),
        Part::Service(_) => LoadedSchema::load(sources),
    };
    // The first line names the file, line and column; the rest echoes
    // the source, too long for a note.
    loaded.map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
}
