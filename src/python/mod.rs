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
pub mod calls;
pub mod deletion;
pub mod encoding;
mod extract;
mod facts;
mod federation;
mod files;
mod graphene;
mod memo;
mod names;
mod program;
mod progress;
mod reach;
pub mod removal;
mod stamps;
mod strawberry;
mod syntax;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The cache folder's sealed files, which the model stores its own records in.
pub use cache::{ContentHash, HASH_LEN, seal, unseal, write_atomically, write_sealed};
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

/// Lines of one Python file, 1-based and inclusive.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PythonSpan {
    /// Relative to the workspace root, `/` separators.
    pub file: String,
    pub line: u32,
    pub end_line: u32,
}

/// The Python a person deletes once a field is served elsewhere. Code that
/// several fields share appears under each of them: what may go is for the
/// caller to decide from all the fields that use it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCode {
    /// The statement declaring the field: `x = graphene.String(...)`, a
    /// strawberry annotated attribute (or its `@strawberry.field` method), a
    /// mutation's registration `record_progress = RecordProgress.Field()`,
    /// an ariadne `obj.set_field("x", fn)` call.
    pub declaration: Option<PythonSpan>,
    /// The resolver's definition with its decorators, or the assignment
    /// binding it (`resolve_x = lambda …`): `resolve_<attr>`, the function
    /// `resolver=` names, a mutation's `mutate`, an ariadne `@obj.field`
    /// function. `None` when the declaration holds it (a lambda) or the
    /// library's default resolver serves the field.
    pub resolver: Option<PythonSpan>,
    /// A mutation's class, with its decorators.
    pub mutation: Option<PythonSpan>,
}

/// Something about the scan a person should know: the index had to guess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythonProblem {
    pub kind: PythonProblemKind,
    pub message: String,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PythonProblemKind {
    /// ariadne bindables (or a strawberry/graphene `types=`) that could not
    /// be followed: every one declared in the scanned roots was counted.
    UntracedSchema,
    /// Several classes declare one GraphQL type.
    AmbiguousType,
    /// A syntax error in the Python of a field the index found.
    SyntaxError,
}

/// Fields the federation helpers of all three libraries add to a schema.
pub fn is_federation_field(type_name: &str, field_name: &str) -> bool {
    matches!(
        (type_name, field_name),
        ("Query", "_entities" | "_service") | ("_Service", "sdl")
    )
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythonIndex {
    /// (GraphQL type name, GraphQL field name) for every field the code
    /// declares on an object or interface type.
    pub fields: BTreeMap<(String, String), FieldResolution>,
    /// For the same fields: the code that goes when the field is done.
    pub code: BTreeMap<(String, String), FieldCode>,
    /// Where the index had to guess.
    pub problems: Vec<PythonProblem>,
    /// (file, reason): files that could not be read or parsed at all.
    pub failed_files: Vec<(String, String)>,
    /// (file, reason): files scanned although Python refuses their bytes
    /// (not valid in the encoding PEP 263 gives them).
    pub undecodable_files: Vec<(String, String)>,
    /// Files parsed with syntax errors; they were scanned anyway, but what
    /// the broken part declares may be missing.
    pub files_with_syntax_errors: Vec<String>,
    pub files_scanned: usize,
    /// Each scanned file's content hash ([`removal::content_hash`]): the
    /// line ranges above hold for exactly these bytes.
    pub file_hashes: BTreeMap<String, [u8; 32]>,
    /// The definitions among `code` that other modules import by name.
    pub imported_definitions: Vec<deletion::ImportedDefinition>,
}

#[derive(Debug, Error)]
pub enum PythonIndexError {
    #[error("Python root {0} is not a directory")]
    MissingRoot(PathBuf),
    #[error("invalid exclude pattern {pattern:?}: {message}")]
    BadExclude { pattern: String, message: String },
}

/// What the framework modules find, field by field.
#[derive(Default)]
pub(crate) struct Found {
    pub fields: BTreeMap<(String, String), FieldResolution>,
    pub code: BTreeMap<(String, String), FieldCode>,
    pub problems: Vec<PythonProblem>,
}

impl Found {
    /// Records a field (a later record of the same field replaces it).
    pub fn insert(&mut self, key: (String, String), resolution: FieldResolution, code: FieldCode) {
        self.fields.insert(key.clone(), resolution);
        self.code.insert(key, code);
    }

    /// Records everything `later` found after what this holds, as if each
    /// of its inserts came after this one's: a field both hold keeps
    /// `later`'s record, and `later`'s problems come after these.
    pub fn append(&mut self, mut later: Found) {
        self.fields.append(&mut later.fields);
        self.code.append(&mut later.code);
        self.problems.append(&mut later.problems);
    }

    /// Records every field of `types` in their order, as one `insert`
    /// after another would: each entry is a GraphQL type's name and its
    /// fields' records. Into empty maps (the first framework's fields)
    /// each type's fields are sorted on every core, the types by name,
    /// and the two maps built at once from the sorted runs, rather than
    /// each key found by comparing strings down a tree.
    pub fn insert_all(&mut self, mut types: Vec<(String, Vec<FieldRecord>)>) {
        use rayon::prelude::*;
        if !(self.fields.is_empty() && self.code.is_empty()) {
            for (type_name, records) in types {
                for (field, resolution, code) in records {
                    self.insert((type_name.clone(), field), resolution, code);
                }
            }
            return;
        }
        // A stable sort: one type's entries keep their order, so its
        // records do too.
        types.par_sort_by(|a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(String, Vec<FieldRecord>)> = Vec::with_capacity(types.len());
        for (name, records) in types {
            match merged.last_mut() {
                Some(last) if last.0 == name => last.1.extend(records),
                _ => merged.push((name, records)),
            }
        }
        let (names, (resolutions, codes)): (Vec<_>, (Vec<_>, Vec<_>)) =
            merged.into_par_iter().map(sorted_fields).unzip();
        let keys = || {
            names
                .iter()
                .flat_map(|(name, fields)| fields.iter().map(|field| (name.clone(), field.clone())))
        };
        let (fields, code) = rayon::join(
            || keys().zip(resolutions.into_iter().flatten()).collect(),
            || keys().zip(codes.into_iter().flatten()).collect(),
        );
        self.fields = fields;
        self.code = code;
        rayon::spawn(move || drop(names));
    }
}

/// A field's GraphQL name, resolution and code, as a framework finds it.
pub(crate) type FieldRecord = (String, FieldResolution, FieldCode);

/// A GraphQL type's name and its fields' names.
type TypeFields = (String, Vec<String>);

/// One type's fields sorted by name, each name once (its last record):
/// the type's name with the field names, and the resolutions and code
/// in the same order.
fn sorted_fields(
    (name, mut records): (String, Vec<FieldRecord>),
) -> (TypeFields, (Vec<FieldResolution>, Vec<FieldCode>)) {
    // Stable: of one field's records the last stays last.
    records.sort_by(|a, b| a.0.cmp(&b.0));
    let mut fields: Vec<String> = Vec::with_capacity(records.len());
    let mut resolutions = Vec::with_capacity(records.len());
    let mut code = Vec::with_capacity(records.len());
    for (field, resolution, field_code) in records {
        if fields.last() == Some(&field) {
            *resolutions.last_mut().expect("one per field") = resolution;
            *code.last_mut().expect("one per field") = field_code;
        } else {
            fields.push(field);
            resolutions.push(resolution);
            code.push(field_code);
        }
    }
    ((name, fields), (resolutions, code))
}

/// Scans the Python sources and finds the resolver of every declared field.
pub fn build_index(opts: &PythonIndexOptions) -> Result<PythonIndex, PythonIndexError> {
    build(opts, false).map(|(index, _)| index)
}

/// [`build_index`], and what every field's resolver calls and touches
/// (`ferry plan`): every function body is read, in the same parse.
pub fn build_index_with_calls(
    opts: &PythonIndexOptions,
) -> Result<(PythonIndex, calls::CallGraph), PythonIndexError> {
    build(opts, true).map(|(index, graph)| (index, graph.unwrap_or_default()))
}

fn build(
    opts: &PythonIndexOptions,
    with_calls: bool,
) -> Result<(PythonIndex, Option<calls::CallGraph>), PythonIndexError> {
    let sources = files::discover(opts)?;
    let read = cache::read_all(&sources, opts.cache_dir.as_deref());
    if !with_calls
        && let Some(dir) = &opts.cache_dir
        && let Some(index) = memo::load_index(
            dir,
            &cache::inputs_key(opts, &sources, &read),
            &opts.workspace_root,
            &sources,
        )
    {
        return Ok((index, None));
    }
    let body_query = with_calls.then(extract::bodies::BodyQuery::new);
    let mut scanned = cache::scan(opts, &sources, read, body_query.as_ref());
    // The pack is written on the other core while this one puts the index
    // together: that part runs on one thread.
    let pack = scanned.pack.take();
    let (result, ()) = rayon::join(
        || index_from(opts, &sources, scanned, with_calls),
        || pack.map_or((), cache::PackWrite::write),
    );
    Ok(result)
}

/// The index from every file's facts, and the call graph when asked for.
fn index_from(
    opts: &PythonIndexOptions,
    sources: &[files::SourcePath],
    scanned: cache::Scanned,
    with_calls: bool,
) -> (PythonIndex, Option<calls::CallGraph>) {
    // The hashes as scanned: a file read only now may have changed since.
    let key = cache::inputs_key(opts, sources, &scanned.read);
    let scanned_files = sources
        .iter()
        .zip(&scanned.read)
        .filter_map(|(source, read)| Some((source.relative.clone(), read.as_ref().ok()?)));
    let mut file_hashes = BTreeMap::new();
    let mut undecodable_files = Vec::new();
    for (file, read) in scanned_files {
        if let Some(problem) = &read.problem {
            undecodable_files.push((file.clone(), problem.clone()));
        }
        file_hashes.insert(file, read.hash);
    }
    let program = program::Program::new(scanned.files);
    let mut found = Found::default();
    // graphene's pass leaves a core idle now and then: the other two
    // frameworks are read meanwhile, each into its own records, and
    // recorded after graphene's as if they had run after it.
    let (later, sdl) = rayon::join(
        || {
            if matches!(opts.framework, Framework::Graphene | Framework::Auto) {
                graphene::collect(&program, &mut found);
            }
        },
        || {
            let mut strawberry = Found::default();
            if matches!(opts.framework, Framework::Strawberry | Framework::Auto) {
                strawberry::collect(&program, &mut strawberry);
            }
            let mut ariadne = Found::default();
            let mut sdl = ariadne::SdlInputs::default();
            if matches!(opts.framework, Framework::Ariadne | Framework::Auto) {
                sdl = ariadne::collect(&program, &mut ariadne);
            }
            ([strawberry, ariadne], sdl)
        },
    )
    .1;
    for later in later {
        found.append(later);
    }
    federation::collect(&program, &mut found);
    let storing = opts
        .cache_dir
        .as_ref()
        .filter(|_| !sdl.searched_directories);
    // The memo's two big sections are encoded on the other core meanwhile.
    let (maps, (syntax_problems, graph, imported_definitions)) = rayon::join(
        || storing.and_then(|_| memo::EncodedMaps::new(&found.fields, &found.code)),
        || {
            let syntax_problems = syntax::problems(&program, &found);
            let graph = with_calls.then(|| calls::build(&program, &scanned.bodies, &found.fields));
            let definitions: rustc_hash::FxHashSet<_> = found
                .code
                .values()
                .flat_map(|code| [&code.resolver, &code.mutation])
                .flatten()
                .collect();
            (syntax_problems, graph, program.importers_of(&definitions))
        },
    );
    found.problems.extend(syntax_problems);
    let index = PythonIndex {
        fields: found.fields,
        code: found.code,
        problems: found.problems,
        failed_files: scanned.failed,
        undecodable_files,
        files_with_syntax_errors: program
            .files
            .iter()
            .filter(|file| !file.facts.syntax_errors.is_empty())
            .map(|file| file.path.clone())
            .collect(),
        files_scanned: program.files.len(),
        file_hashes,
        imported_definitions,
    };
    if let (Some(dir), Some(maps)) = (storing, maps) {
        memo::store_index(dir, key, &opts.workspace_root, &sdl.files, &index, maps);
    }
    // Freeing every file's facts takes a while; nobody needs to wait for it.
    let bodies = scanned.bodies;
    rayon::spawn(move || drop((program, bodies)));
    (index, graph)
}

/// Whether the Python files an index scanned still hold what it scanned
/// (one read and hash of each): what lets a reload keep the index.
pub fn files_unchanged(workspace_root: &Path, index: &PythonIndex) -> bool {
    cache::all_unchanged(workspace_root, &index.file_hashes)
}

/// Parses the given files with tree-sitter and nothing else, in parallel as
/// [`build_index`] does: the floor the index build is measured against.
/// Returns the number of files parsed.
pub fn parse_only(files: &[PathBuf]) -> usize {
    files::parse_only(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(
        type_name: &str,
        field: &str,
        line: u32,
    ) -> ((String, String), FieldResolution, FieldCode) {
        let code = FieldCode {
            declaration: Some(PythonSpan {
                file: "a.py".into(),
                line,
                end_line: line,
            }),
            ..FieldCode::default()
        };
        (
            (type_name.into(), field.into()),
            FieldResolution::Default,
            code,
        )
    }

    #[test]
    fn insert_all_records_what_one_insert_after_another_would() {
        let records = vec![
            record("User", "name", 1),
            record("Query", "me", 2),
            record("User", "name", 3),
            record("User", "id", 4),
            record("Query", "me", 5),
            record("A", "b", 6),
        ];
        // The same records grouped by type as a framework hands them over:
        // one type may come in several groups, in any order.
        let grouped = |records: &[((String, String), FieldResolution, FieldCode)]| {
            let mut groups: Vec<(String, Vec<FieldRecord>)> = Vec::new();
            for ((type_name, field), resolution, code) in records.iter().cloned() {
                match groups.last_mut() {
                    Some(last) if last.0 == type_name => last.1.push((field, resolution, code)),
                    _ => groups.push((type_name, vec![(field, resolution, code)])),
                }
            }
            groups
        };
        for before in [
            Vec::new(),
            vec![record("User", "id", 7), record("Z", "z", 8)],
        ] {
            let (mut one_by_one, mut all) = (Found::default(), Found::default());
            for (key, resolution, code) in before {
                one_by_one.insert(key.clone(), resolution.clone(), code.clone());
                all.insert(key, resolution, code);
            }
            for (key, resolution, code) in records.clone() {
                one_by_one.insert(key, resolution, code);
            }
            all.insert_all(grouped(&records));
            assert_eq!(all.fields, one_by_one.fields);
            assert_eq!(all.code, one_by_one.code);
        }
        let mut all = Found::default();
        all.insert_all(grouped(&records));
        let name = &all.code[&("User".to_string(), "name".to_string())];
        assert_eq!(name.declaration.as_ref().map(|d| d.line), Some(3));
        let me = &all.code[&("Query".to_string(), "me".to_string())];
        assert_eq!(me.declaration.as_ref().map(|d| d.line), Some(5));
    }

    #[test]
    fn appending_records_what_inserting_after_would() {
        let problem = |line| PythonProblem {
            kind: PythonProblemKind::AmbiguousType,
            message: String::new(),
            file: "a.py".into(),
            line,
        };
        let first = [record("User", "id", 1), record("User", "name", 2)];
        let second = [record("User", "name", 3), record("A", "b", 4)];
        let (mut one_by_one, mut appended, mut later) =
            (Found::default(), Found::default(), Found::default());
        for (key, resolution, code) in first.iter().cloned() {
            one_by_one.insert(key.clone(), resolution.clone(), code.clone());
            appended.insert(key, resolution, code);
        }
        one_by_one.problems.push(problem(1));
        appended.problems.push(problem(1));
        for (key, resolution, code) in second.iter().cloned() {
            one_by_one.insert(key.clone(), resolution.clone(), code.clone());
            later.insert(key, resolution, code);
        }
        one_by_one.problems.push(problem(2));
        later.problems.push(problem(2));
        appended.append(later);
        assert_eq!(appended.fields, one_by_one.fields);
        assert_eq!(appended.code, one_by_one.code);
        assert_eq!(appended.problems, one_by_one.problems);
        let name = &appended.code[&("User".to_string(), "name".to_string())];
        assert_eq!(name.declaration.as_ref().map(|d| d.line), Some(3));
    }
}
