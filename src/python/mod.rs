//! Python resolver index: for every field a Python GraphQL monolith declares,
//! the function that really resolves it, found statically.
//!
//! The pipeline: find the files ([`files`]), turn each into cached
//! per-file facts with tree-sitter ([`extract`], [`cache`]), put them together
//! as one [`program::Program`] that follows imports and class hierarchies, and
//! let each framework module (`graphene`, `strawberry`, `ariadne`) read the
//! fields out of it the way the library itself would at run time.

mod ariadne;
mod cache;
mod extract;
mod facts;
mod files;
mod graphene;
mod names;
mod program;
mod progress;
mod reach;
mod strawberry;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use names::to_camel_case;

/// Which library the monolith uses; `Auto` looks for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Framework {
    Graphene,
    Strawberry,
    Ariadne,
    #[default]
    Auto,
}

#[derive(Debug, Clone)]
pub struct PythonIndexOptions {
    /// Absolute.
    pub workspace_root: PathBuf,
    /// Absolute directories to scan.
    pub roots: Vec<PathBuf>,
    /// Absolute; module names start here (`sys.path`).
    pub import_roots: Vec<PathBuf>,
    /// Glob patterns relative to the workspace root, e.g. `**/tests/**`.
    pub exclude: Vec<String>,
    pub framework: Framework,
    /// `Some(root/.ferry/cache)` normally; `None` for `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    /// Draw progress on stderr (only done when stderr is a terminal).
    pub progress: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PythonFunction {
    /// Relative to the workspace root, `/` separators.
    pub file: String,
    /// 1-based line of the `def` (or `lambda`) keyword, not of a decorator.
    pub line: u32,
    pub end_line: u32,
    /// Python's qualified name: `Assignment.resolve_created_date`, `resolve_user`.
    pub function: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythonResolver {
    /// The function the library calls for the field.
    pub function: PythonFunction,
    /// The code worth porting when it is not `function` itself: a mutation's
    /// `perform_mutation` / `mutate_and_get_payload`, or the function a
    /// decorator without `functools.wraps` replaced by its wrapper.
    pub logic: Option<PythonFunction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldResolution {
    Function(PythonResolver),
    /// The library's default resolver (attribute or key access), or library
    /// code with nothing of the project's own behind it.
    Default,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythonIndex {
    /// (GraphQL type name, GraphQL field name) for every field the code
    /// declares on an object or interface type.
    pub fields: BTreeMap<(String, String), FieldResolution>,
    /// (file, reason): files that could not be read or parsed at all.
    pub failed_files: Vec<(String, String)>,
    /// Files parsed with syntax errors; they were scanned anyway, but what
    /// the broken part declares may be missing.
    pub files_with_syntax_errors: Vec<String>,
    pub files_scanned: usize,
}

#[derive(Debug, Error)]
pub enum PythonIndexError {
    #[error("Python root {0} is not a directory")]
    MissingRoot(PathBuf),
    #[error("invalid exclude pattern {pattern:?}: {message}")]
    BadExclude { pattern: String, message: String },
}

/// Scans the Python sources and finds the resolver of every declared field.
pub fn build_index(opts: &PythonIndexOptions) -> Result<PythonIndex, PythonIndexError> {
    let sources = files::discover(opts)?;
    let read = cache::read_all(&sources);
    let key = cache::inputs_key(opts, &sources, &read);
    if let Some(dir) = &opts.cache_dir
        && let Some(index) = cache::load_index(dir, &key, &opts.workspace_root, &sources)
    {
        return Ok(index);
    }
    let scanned = cache::scan(opts, sources, read);
    let program = program::Program::new(scanned.files);
    let mut fields = BTreeMap::new();
    if matches!(opts.framework, Framework::Graphene | Framework::Auto) {
        graphene::collect(&program, &mut fields);
    }
    if matches!(opts.framework, Framework::Strawberry | Framework::Auto) {
        strawberry::collect(&program, &mut fields);
    }
    let mut sdl = ariadne::SdlInputs::default();
    if matches!(opts.framework, Framework::Ariadne | Framework::Auto) {
        sdl = ariadne::collect(&program, &mut fields);
    }
    let index = PythonIndex {
        fields,
        failed_files: scanned.failed,
        files_with_syntax_errors: program
            .files
            .iter()
            .filter(|file| file.facts.has_syntax_errors)
            .map(|file| file.path.clone())
            .collect(),
        files_scanned: program.files.len(),
    };
    if let Some(dir) = &opts.cache_dir
        && !sdl.searched_directories
    {
        cache::store_index(dir, key, &opts.workspace_root, &sdl.files, &index);
    }
    // Freeing every file's facts takes a while; nobody needs to wait for it.
    rayon::spawn(move || drop(program));
    Ok(index)
}

/// Parses the given files with tree-sitter and nothing else, in parallel as
/// [`build_index`] does: the floor the index build is measured against.
/// Returns the number of files parsed.
pub fn parse_only(files: &[PathBuf]) -> usize {
    files::parse_only(files)
}
