//! Load: `ferry.toml`, command-line overrides and discovery turned into the
//! set of files ferry works on.

pub mod config;
pub mod discovery;
pub mod go_package;
pub mod gqlgen_config;

use crate::workspace::config::{FerryToml, ServiceSection};
use crate::workspace::gqlgen_config::{GqlgenConfig, GqlgenConfigError};
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
    /// `federation = 1 | 2` in ferry.toml: the form for a schema that shows none.
    pub federation: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    /// Where per-file scan results are cached; `None` under `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    pub progress: bool,
    pub config_file: Option<PathBuf>,
    pub python: PythonSettings,
    pub services: Vec<Service>,
}

impl Workspace {
    /// Reads `ferry.toml` (when there is one) under the root and applies the
    /// overrides; discovers what neither states.
    pub fn load(overrides: &Overrides) -> Result<Workspace, WorkspaceError> {
        let root = match &overrides.root {
            Some(root) => root.clone(),
            None => find_root(&std::env::current_dir().map_err(|e| WorkspaceError::Read {
                path: ".".into(),
                source: e,
            })?),
        };
        let root = root.canonicalize().map_err(|e| WorkspaceError::Read {
            path: root.display().to_string(),
            source: e,
        })?;
        let config_path = root.join(CONFIG_FILE);
        let (config, config_file) = if config_path.is_file() {
            (read_config(&config_path)?, Some(config_path))
        } else {
            (FerryToml::default(), None)
        };
        let python = python_settings(&root, &config, overrides)?;
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
        Ok(Workspace {
            cache_dir: (!overrides.no_cache).then(|| root.join(".ferry").join("cache")),
            progress: overrides.progress,
            root,
            config_file,
            python,
            services,
        })
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn path(&self, abs: PathBuf) -> WorkspacePath {
        WorkspacePath::new(&self.root, abs)
    }
}

/// The nearest ancestor holding a `ferry.toml`, else the directory itself.
fn find_root(start: &Path) -> PathBuf {
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .unwrap_or(start)
        .to_path_buf()
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

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

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
        exclude: section.exclude.clone(),
        keys: section.keys.clone(),
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
    Ok(Service {
        name: section.name.clone(),
        schema_files,
        new_fields,
        resolver_dir,
        package,
        gqlgen,
        gqlgen_config,
        owns: section.owns.clone(),
        federation: section.federation,
    })
}

/// One matcher for a list of glob patterns (`owns`, `exclude`).
pub fn glob_set(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern)?);
    }
    builder.build()
}
