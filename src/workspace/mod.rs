//! Load: `ferry.toml`, command-line overrides and discovery turned into the
//! set of files ferry works on.

pub mod config;
pub mod discovery;
pub mod ferry_dir;
pub mod go_package;
pub mod gqlgen_config;
mod gqlgen_yml;
pub mod line_index;
mod paths;
mod settings;

use crate::workspace::config::{CompareSection, FerryToml, ServiceSection};
use crate::workspace::gqlgen_config::{GqlgenConfig, GqlgenConfigError};
use crate::workspace::line_index::line_col;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use paths::{absolutize, refuse_python_paths_outside, refuse_service_paths_outside};
pub use paths::{expand_globs, glob_set};
use settings::{checked_url, compare_settings, python_settings};

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
