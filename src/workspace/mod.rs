//! Load: `ferry.toml`, command-line overrides and discovery turned into the
//! set of files ferry works on.

pub mod config;
pub mod discovery;
pub mod ferry_dir;
pub mod go_package;
pub mod gqlgen_config;
mod gqlgen_yml;
pub mod line_index;

use crate::workspace::config::{CompareSection, FerryToml, ServiceSection};
use crate::workspace::gqlgen_config::{GqlgenConfig, GqlgenConfigError};
use crate::workspace::line_index::line_col;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "ferry.toml";

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
    /// No `ferry.toml` in `searched` (`--root`) or, with `above`, in any
    /// directory above it either.
    #[error("{}", no_config(searched, *above))]
    NoConfig { searched: String, above: bool },
}

fn no_config(searched: &str, above: bool) -> String {
    if above {
        format!(
            "no {CONFIG_FILE} in {searched} or any directory above it; run `ferry init` at the root of your repository to write one"
        )
    } else {
        format!("no {CONFIG_FILE} in {searched}; run `ferry --root {searched} init` to write one")
    }
}

/// What the command line said about the workspace; it wins over `ferry.toml`.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub root: Option<PathBuf>,
    pub python_schema: Vec<PathBuf>,
    pub python_roots: Vec<PathBuf>,
    pub framework: Option<String>,
    /// `--no-cache`: reparse every Python file.
    pub no_cache: bool,
    /// Draw progress of long scans on stderr (when it is a terminal).
    pub progress: bool,
}

/// A file of the workspace: its absolute path and its name as shown to users
/// (relative to the workspace root, `/`-separated).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WorkspacePath {
    pub abs: PathBuf,
    pub rel: String,
}

impl WorkspacePath {
    pub fn new(root: &Path, abs: PathBuf) -> Self {
        let rel = abs
            .strip_prefix(root)
            .unwrap_or(&abs)
            .to_string_lossy()
            .replace('\\', "/");
        WorkspacePath { abs, rel }
    }
}

#[derive(Debug, Clone)]
pub struct PythonSettings {
    pub schema_files: Vec<WorkspacePath>,
    pub roots: Vec<PathBuf>,
    pub import_roots: Vec<PathBuf>,
    pub framework: String,
    pub exclude: Vec<String>,
    /// Entity keys the monolith's SDL does not state (`keys = { User = "kaid" }`).
    pub keys: BTreeMap<String, String>,
    /// The monolith's GraphQL endpoint, for `ferry compare`.
    pub url: Option<String>,
    /// Request headers as written: values may be `"env:NAME"`.
    pub headers: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub schema_files: Vec<WorkspacePath>,
    /// Where `mark` puts fields that need a new block.
    pub new_fields: WorkspacePath,
    pub resolver_dir: PathBuf,
    pub package: String,
    /// The service's `gqlgen.yml`, when it has one, and what it says.
    pub gqlgen: Option<WorkspacePath>,
    pub gqlgen_config: Option<GqlgenConfig>,
    /// Planned scope: the denominator of the service's progress.
    pub owns: Vec<String>,
    /// The service's GraphQL endpoint, for `ferry compare`.
    pub url: Option<String>,
    pub headers: BTreeMap<String, String>,
    /// `federation = 1 | 2` in ferry.toml: the form for a schema that shows none.
    pub federation: Option<u32>,
}

/// `[compare]` with its defaults applied.
#[derive(Debug, Clone)]
pub struct CompareSettings {
    /// Globs of operation files, relative to the root.
    pub operations: Vec<String>,
    pub min_samples: u64,
    pub max_mismatch_rate: f64,
    pub evidence: WorkspacePath,
    pub float_tolerance: f64,
    pub ignore: Vec<String>,
    pub unordered: Vec<String>,
    pub jobs: Option<usize>,
    pub timeout: std::time::Duration,
    pub retries: u32,
}

/// Where the evidence lives unless `[compare] evidence` says otherwise.
pub const EVIDENCE_FILE: &str = "ferry-evidence.json";

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    /// Where per-file scan results are cached; `None` under `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    pub progress: bool,
    pub config_file: PathBuf,
    pub python: PythonSettings,
    pub services: Vec<Service>,
    pub compare: CompareSettings,
}

impl Workspace {
    /// Reads the workspace's `ferry.toml` and applies the overrides;
    /// discovers what the file leaves out. The workspace is `--root`, else
    /// the nearest directory at or above the current one holding a
    /// `ferry.toml`; without one there is no workspace (only `ferry init`
    /// looks around a directory that has none).
    pub fn load(overrides: &Overrides) -> Result<Workspace, WorkspaceError> {
        let root = Self::root(overrides)?;
        let config_path = root.join(CONFIG_FILE);
        let config = read_config(&config_path)?;
        let python = python_settings(&root, &config, overrides)?;
        refuse_python_paths_outside(&root, &python, overrides)?;
        let services = if config.services.is_empty() {
            discover_services(&root)?
        } else {
            config
                .services
                .iter()
                .map(|s| service_from_section(&root, s))
                .collect::<Result<Vec<_>, _>>()?
        };
        let mut seen = std::collections::HashSet::new();
        for service in &services {
            if !seen.insert(service.name.clone()) {
                return Err(WorkspaceError::Invalid(format!(
                    "two services are named `{}`; give each [[services]] entry its own name",
                    service.name
                )));
            }
        }
        let compare = compare_settings(&root, &config.compare)?;
        Ok(Workspace {
            cache_dir: (!overrides.no_cache)
                .then(|| ferry_dir::cache_dir(&root))
                .flatten(),
            progress: overrides.progress,
            compare,
            root,
            config_file: config_path,
            python,
            services,
        })
    }

    /// The workspace root, canonical: `--root` (which must hold a
    /// `ferry.toml`), else the nearest directory at or above the current
    /// one holding one.
    pub fn root(overrides: &Overrides) -> Result<PathBuf, WorkspaceError> {
        Ok(match &overrides.root {
            Some(root) => {
                let root = canonical(root)?;
                if !root.join(CONFIG_FILE).is_file() {
                    return Err(WorkspaceError::NoConfig {
                        searched: root.display().to_string(),
                        above: false,
                    });
                }
                root
            }
            None => {
                let here = std::env::current_dir().map_err(|e| WorkspaceError::Read {
                    path: ".".into(),
                    source: e,
                })?;
                find_root(&here).ok_or_else(|| WorkspaceError::NoConfig {
                    searched: here.display().to_string(),
                    above: true,
                })?
            }
        })
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn path(&self, abs: PathBuf) -> WorkspacePath {
        WorkspacePath::new(&self.root, abs)
    }
}

/// The nearest directory at or above `start` holding a `ferry.toml`.
fn find_root(start: &Path) -> Option<PathBuf> {
    let root = start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())?;
    canonical(root).ok()
}

fn canonical(dir: &Path) -> Result<PathBuf, WorkspaceError> {
    dir.canonicalize().map_err(|e| WorkspaceError::Read {
        path: dir.display().to_string(),
        source: e,
    })
}

fn read_config(path: &Path) -> Result<FerryToml, WorkspaceError> {
    let text = std::fs::read_to_string(path).map_err(|e| WorkspaceError::Read {
        path: path.display().to_string(),
        source: e,
    })?;
    toml::from_str(&text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_col(&text, span.start))
            .unwrap_or((1, 1));
        WorkspaceError::Syntax {
            path: CONFIG_FILE.into(),
            line,
            column,
            message: e.message().to_string(),
        }
    })
}

/// `[python] exclude` when ferry.toml does not say: tests, whose own
/// schemas and `Query` classes would shadow the application's
/// (`exclude = []` scans them).
pub const DEFAULT_PYTHON_EXCLUDE: &[&str] = &[
    "**/tests/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
];

fn python_settings(
    root: &Path,
    config: &FerryToml,
    overrides: &Overrides,
) -> Result<PythonSettings, WorkspaceError> {
    let section = &config.python;
    let schema_files = if !overrides.python_schema.is_empty() {
        overrides
            .python_schema
            .iter()
            .map(|p| WorkspacePath::new(root, absolutize(root, p)))
            .collect()
    } else if let Some(globs) = &section.schema {
        expand_globs(root, root, globs, "[python] schema")?
    } else {
        discover_monolith_schema(root)
    };
    let roots = if !overrides.python_roots.is_empty() {
        overrides
            .python_roots
            .iter()
            .map(|p| absolutize(root, p))
            .collect()
    } else {
        section
            .roots
            .as_ref()
            .map(|r| r.iter().map(|p| root.join(p)).collect())
            .unwrap_or_else(|| vec![root.to_path_buf()])
    };
    let import_roots = section
        .import_roots
        .as_ref()
        .map(|r| r.iter().map(|p| root.join(p)).collect())
        .unwrap_or_else(|| vec![root.to_path_buf()]);
    let framework = overrides
        .framework
        .clone()
        .or_else(|| section.framework.clone())
        .unwrap_or_else(|| "auto".into());
    if !["auto", "graphene", "strawberry", "ariadne"].contains(&framework.as_str()) {
        return Err(WorkspaceError::Invalid(format!(
            "unknown Python framework `{framework}`: use graphene, strawberry, ariadne or auto"
        )));
    }
    Ok(PythonSettings {
        schema_files,
        roots,
        import_roots,
        framework,
        exclude: section.exclude.clone().unwrap_or_else(|| {
            DEFAULT_PYTHON_EXCLUDE
                .iter()
                .map(|pattern| pattern.to_string())
                .collect()
        }),
        keys: section.keys.clone(),
        url: section
            .url
            .as_deref()
            .map(|url| checked_url(url, "[python] url"))
            .transpose()?,
        headers: section.headers.clone(),
    })
}

fn checked_url(url: &str, what: &str) -> Result<String, WorkspaceError> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.to_string())
    } else {
        Err(WorkspaceError::Invalid(format!(
            "{what}: `{url}` is not an http:// or https:// URL"
        )))
    }
}

fn compare_settings(
    root: &Path,
    section: &CompareSection,
) -> Result<CompareSettings, WorkspaceError> {
    let invalid = |message: String| Err(WorkspaceError::Invalid(format!("[compare] {message}")));
    let max_mismatch_rate = section.max_mismatch_rate.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&max_mismatch_rate) {
        return invalid(format!(
            "max_mismatch_rate = {max_mismatch_rate}: give a share between 0 and 1 (0.01 is 1%)"
        ));
    }
    let float_tolerance = section.float_tolerance.unwrap_or(1e-9);
    if float_tolerance.is_nan() || float_tolerance < 0.0 {
        return invalid(format!(
            "float_tolerance = {float_tolerance}: give a difference of 0 or more"
        ));
    }
    let timeout_secs = section.timeout_secs.unwrap_or(10.0);
    if timeout_secs.is_nan() || timeout_secs <= 0.0 || timeout_secs.is_infinite() {
        return invalid(format!(
            "timeout_secs = {timeout_secs}: give a number of seconds above 0"
        ));
    }
    if section.jobs == Some(0) {
        return invalid("jobs = 0: give 1 or more".into());
    }
    for coordinate in section.ignore.iter().chain(&section.unordered) {
        if coordinate.split('.').count() != 2 || coordinate.contains(['*', ' ']) {
            return invalid(format!(
                "`{coordinate}` is not a field coordinate: write Type.field"
            ));
        }
    }
    let evidence = section.evidence.as_deref().unwrap_or(EVIDENCE_FILE);
    Ok(CompareSettings {
        operations: section.operations.clone(),
        min_samples: section.min_samples.unwrap_or(100),
        max_mismatch_rate,
        evidence: WorkspacePath::new(root, root.join(evidence)),
        float_tolerance,
        ignore: section.ignore.clone(),
        unordered: section.unordered.clone(),
        jobs: section.jobs,
        timeout: std::time::Duration::from_secs_f64(timeout_secs),
        retries: section.retries.unwrap_or(2),
    })
}

fn absolutize(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        // Command-line paths are relative to where the user stands.
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| root.join(path))
    }
}

/// Files under `base` matching `globs` (relative to `base`), sorted; a literal
/// path that does not exist is an error naming it.
pub fn expand_globs(
    root: &Path,
    base: &Path,
    globs: &[String],
    what: &str,
) -> Result<Vec<WorkspacePath>, WorkspaceError> {
    let mut files = Vec::new();
    for pattern in globs {
        let is_glob = pattern.contains(['*', '?', '[', '{']);
        if !is_glob {
            let path = base.join(pattern);
            if !path.is_file() {
                return Err(WorkspaceError::Invalid(format!(
                    "{what}: `{}` does not exist",
                    WorkspacePath::new(root, path).rel
                )));
            }
            files.push(WorkspacePath::new(root, path));
            continue;
        }
        let glob = Glob::new(pattern)
            .map_err(|e| WorkspaceError::Invalid(format!("{what}: bad glob `{pattern}`: {e}")))?;
        let set = GlobSetBuilder::new()
            .add(glob)
            .build()
            .map_err(|e| WorkspaceError::Invalid(e.to_string()))?;
        let mut matched: Vec<PathBuf> = ignore::WalkBuilder::new(base)
            .hidden(true)
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .map(|e| e.into_path())
            .filter(|p| p.strip_prefix(base).is_ok_and(|rel| set.is_match(rel)))
            .collect();
        matched.sort();
        files.extend(matched.into_iter().map(|p| WorkspacePath::new(root, p)));
    }
    files.dedup();
    Ok(files)
}

/// Without a `[python] schema`, the monolith's SDL is the `.graphql` file
/// outside every Go service (gitignore-aware).
fn discover_monolith_schema(root: &Path) -> Vec<WorkspacePath> {
    let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "graphql"))
        .filter(|p| {
            !p.ancestors()
                .skip(1)
                .any(|dir| dir.join("gqlgen.yml").is_file() || dir.join("go.mod").is_file())
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .map(|p| WorkspacePath::new(root, p))
        .collect()
}

/// Without `[[services]]`, every `gqlgen.yml` under the root is a service
/// named after its directory.
fn discover_services(root: &Path) -> Result<Vec<Service>, WorkspaceError> {
    let mut ymls: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.file_name().is_some_and(|n| n == "gqlgen.yml"))
        .collect();
    ymls.sort();
    ymls.iter()
        .map(|yml| {
            let dir = yml.parent().unwrap_or(root);
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "service".into());
            let section = ServiceSection {
                name,
                gqlgen: Some(WorkspacePath::new(root, yml.clone()).rel),
                ..Default::default()
            };
            service_from_section(root, &section)
        })
        .collect()
}

fn service_from_section(root: &Path, section: &ServiceSection) -> Result<Service, WorkspaceError> {
    let what = format!("service `{}`", section.name);
    let (schema_files, resolver_dir, package, gqlgen, gqlgen_config) = match &section.gqlgen {
        Some(yml_rel) => {
            let yml_path = root.join(yml_rel);
            let text = std::fs::read_to_string(&yml_path).map_err(|e| WorkspaceError::Read {
                path: yml_rel.clone(),
                source: e,
            })?;
            let config = GqlgenConfig::from_yaml(&yml_path, text.trim_start_matches('\u{feff}'))
                .map_err(|e| match e {
                    GqlgenConfigError::Yaml {
                        line,
                        column,
                        message,
                        ..
                    } => WorkspaceError::Syntax {
                        path: yml_rel.clone(),
                        line,
                        column,
                        message,
                    },
                    other => WorkspaceError::Invalid(format!("{what}: {other}")),
                })?;
            let schema_files = match &section.schema {
                Some(globs) => expand_globs(root, root, globs, &what)?,
                None => config
                    .schema_files
                    .iter()
                    .map(|p| WorkspacePath::new(root, p.clone()))
                    .collect(),
            };
            let resolver_dir = match (&section.resolvers, &config.resolver) {
                (Some(r), _) => root.join(r),
                (None, Some(resolver)) => resolver.dir.clone(),
                (None, None) => config.dir.clone(),
            };
            let package = section
                .package
                .clone()
                .or_else(|| config.resolver.as_ref().map(|r| r.package.clone()))
                .unwrap_or_else(|| "graph".into());
            (
                schema_files,
                resolver_dir,
                package,
                Some(WorkspacePath::new(root, yml_path)),
                Some(config),
            )
        }
        None => {
            let globs = section.schema.clone().ok_or_else(|| {
                WorkspaceError::Invalid(format!(
                    "{what} has neither `gqlgen` nor `schema`: give the path of its gqlgen.yml, or schema = [\"…\"]"
                ))
            })?;
            let schema_files = expand_globs(root, root, &globs, &what)?;
            let resolver_dir = section
                .resolvers
                .as_ref()
                .map(|r| root.join(r))
                .unwrap_or_else(|| root.to_path_buf());
            (
                schema_files,
                resolver_dir,
                section.package.clone().unwrap_or_else(|| "graph".into()),
                None,
                None,
            )
        }
    };
    let new_fields = match &section.new_fields {
        Some(path) => WorkspacePath::new(root, root.join(path)),
        None => schema_files.first().cloned().ok_or_else(|| {
            WorkspaceError::Invalid(format!(
                "{what}: its schema globs match no file; check gqlgen.yml `schema:`"
            ))
        })?,
    };
    let service = Service {
        name: section.name.clone(),
        schema_files,
        new_fields,
        resolver_dir,
        package,
        gqlgen,
        gqlgen_config,
        owns: section.owns.clone(),
        url: section
            .url
            .as_deref()
            .map(|url| checked_url(url, &format!("{what} url")))
            .transpose()?,
        headers: section.headers.clone(),
        federation: section.federation,
    };
    refuse_service_paths_outside(root, section, &service)?;
    Ok(service)
}

/// One matcher for a list of glob patterns (`owns`, `exclude`).
pub fn glob_set(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern)?);
    }
    builder.build()
}

/// Where `path` really is (links followed, also for a file not created
/// yet), when that is outside the canonical `root`.
fn outside_root(root: &Path, path: &Path) -> Option<PathBuf> {
    let mut existing = path;
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name()?);
        existing = existing.parent()?;
    }
    let mut real = existing.canonicalize().ok()?;
    for part in rest.iter().rev() {
        match *part {
            p if p == ".." => {
                real.pop();
            }
            p if p == "." => {}
            p => real.push(p),
        }
    }
    (!real.starts_with(root)).then_some(real)
}

/// A path ferry.toml or gqlgen.yml names must stay inside the workspace:
/// ferry writes to some of them, and never outside.
fn refuse_outside(root: &Path, key: &str, path: &Path) -> Result<(), WorkspaceError> {
    match outside_root(root, path) {
        Some(real) => Err(WorkspaceError::Invalid(format!(
            "{key}: `{}` is outside the workspace ({} resolves to {}); ferry reads and writes only under {}: point it inside",
            WorkspacePath::new(root, path.to_path_buf()).rel,
            path.display(),
            real.display(),
            root.display()
        ))),
        None => Ok(()),
    }
}

fn refuse_python_paths_outside(
    root: &Path,
    python: &PythonSettings,
    overrides: &Overrides,
) -> Result<(), WorkspaceError> {
    // What the command line names is the user's own choice, and only read.
    if overrides.python_schema.is_empty() {
        for file in &python.schema_files {
            refuse_outside(root, "ferry.toml [python] schema", &file.abs)?;
        }
    }
    if overrides.python_roots.is_empty() {
        for dir in &python.roots {
            refuse_outside(root, "ferry.toml [python] roots", dir)?;
        }
    }
    for dir in &python.import_roots {
        refuse_outside(root, "ferry.toml [python] import_roots", dir)?;
    }
    Ok(())
}

/// Every path of a service inside the workspace, and its `new_fields` file
/// one that its schema globs read (else ferry would write a file it then
/// never reads).
fn refuse_service_paths_outside(
    root: &Path,
    section: &ServiceSection,
    service: &Service,
) -> Result<(), WorkspaceError> {
    let name = &service.name;
    let yml = service.gqlgen.as_ref().map(|y| y.rel.as_str());
    // A key ferry.toml sets wins over the gqlgen.yml one.
    let from = |in_toml: bool, toml_key: &str, yml_key: &str| match yml {
        Some(yml) if !in_toml => format!("{yml} `{yml_key}` (service `{name}`)"),
        _ => format!("ferry.toml service `{name}` {toml_key}"),
    };
    if let Some(yml) = &service.gqlgen {
        refuse_outside(
            root,
            &format!("ferry.toml service `{name}` gqlgen"),
            &yml.abs,
        )?;
    }
    let schema_key = from(section.schema.is_some(), "schema", "schema");
    for file in &service.schema_files {
        refuse_outside(root, &schema_key, &file.abs)?;
    }
    let resolvers_key = from(section.resolvers.is_some(), "resolvers", "resolver.dir");
    refuse_outside(root, &resolvers_key, &service.resolver_dir)?;
    if let Some(config) = &service.gqlgen_config {
        let at = |key: &str| format!("{} `{key}` (service `{name}`)", yml.unwrap_or_default());
        refuse_outside(root, &at("exec.filename"), &config.exec.filename)?;
        refuse_outside(root, &at("model.filename"), &config.model.filename)?;
        if let Some(resolver) = &config.resolver {
            refuse_outside(root, &at("resolver.dir"), &resolver.dir)?;
        }
    }
    let new_fields = &service.new_fields;
    refuse_outside(
        root,
        &format!("ferry.toml service `{name}` new_fields"),
        &new_fields.abs,
    )?;
    if section.new_fields.is_some() && !reads_schema_file(root, section, service) {
        return Err(WorkspaceError::Invalid(format!(
            "ferry.toml service `{name}` new_fields: `{}` is not one of the service's schema files ({}), so ferry would write fields no one reads; add it to the schema globs or choose one of them",
            new_fields.rel,
            match (&section.schema, &service.gqlgen_config) {
                (Some(globs), _) => format!("ferry.toml schema = {globs:?}"),
                (None, Some(config)) =>
                    format!("{} schema: {:?}", yml.unwrap_or_default(), config.schema),
                (None, None) => "none".into(),
            }
        )));
    }
    Ok(())
}

/// Whether the service's schema globs take in its `new_fields` file, also
/// when it does not exist yet.
fn reads_schema_file(root: &Path, section: &ServiceSection, service: &Service) -> bool {
    let target = &service.new_fields.abs;
    if service.schema_files.iter().any(|f| f.abs == *target) {
        return true;
    }
    if target.exists() {
        return false;
    }
    // ferry.toml globs are relative to the root; gqlgen's to its yml, and
    // their `*` stops at a `/`.
    let (base, patterns, literal_separator) = match (&section.schema, &service.gqlgen_config) {
        (Some(globs), _) => (root, globs, false),
        (None, Some(config)) => (config.dir.as_path(), &config.schema, true),
        (None, None) => return false,
    };
    let Ok(rel) = target.strip_prefix(base) else {
        return false;
    };
    let rel = rel.to_string_lossy().replace('\\', "/");
    patterns.iter().any(|pattern| {
        let pattern = pattern.trim_start_matches("./");
        pattern == rel
            || globset::GlobBuilder::new(pattern)
                .literal_separator(literal_separator)
                .build()
                .is_ok_and(|glob| glob.compile_matcher().is_match(&rel))
    })
}
