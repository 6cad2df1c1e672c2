//! Paths from ferry.toml and gqlgen.yml: made absolute, globs expanded, and
//! refused when they lead outside the workspace.

use super::*;

pub(super) fn absolutize(root: &Path, path: &Path) -> PathBuf {
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

pub(super) fn refuse_python_paths_outside(
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
pub(super) fn refuse_service_paths_outside(
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
