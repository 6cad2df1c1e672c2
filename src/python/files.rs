//! Which files are scanned, and the module names they are imported by.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;
use rayon::prelude::*;

use super::{PythonIndexError, PythonIndexOptions, extract};

/// Directories that hold installed or generated code, never the project's.
const SKIPPED_DIRS: &[&str] = &["site-packages", "node_modules", "__pycache__"];

/// A Python file to scan.
#[derive(Debug, Clone)]
pub struct SourcePath {
    pub absolute: PathBuf,
    /// Relative to the workspace root, `/`-separated.
    pub relative: String,
    pub modules: Vec<String>,
    pub is_package: bool,
    /// A pipe, socket or device named `*.py` is listed to be reported, never read.
    pub regular: bool,
}

pub fn discover(opts: &PythonIndexOptions) -> Result<Vec<SourcePath>, PythonIndexError> {
    let exclude = exclude_set(&opts.exclude)?;
    let mut found = BTreeMap::new();
    for root in &opts.roots {
        if !root.is_dir() {
            return Err(PythonIndexError::MissingRoot(root.clone()));
        }
        let walker = WalkBuilder::new(root)
            .filter_entry(|entry| {
                !(entry.file_type().is_some_and(|t| t.is_dir())
                    && SKIPPED_DIRS.iter().any(|skip| entry.file_name() == *skip))
            })
            .build();
        for entry in walker.flatten() {
            let path = entry.path();
            let Some(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() || kind.is_symlink() || path.extension().is_none_or(|ext| ext != "py")
            {
                continue;
            }
            let relative = relative_path(&opts.workspace_root, path);
            if exclude.is_match(&relative) {
                continue;
            }
            found
                .entry(relative)
                .or_insert_with(|| (path.to_path_buf(), kind.is_file()));
        }
    }
    let import_roots: Vec<&Path> = if opts.import_roots.is_empty() {
        vec![opts.workspace_root.as_path()]
    } else {
        opts.import_roots.iter().map(PathBuf::as_path).collect()
    };
    Ok(found
        .into_iter()
        .map(|(relative, (absolute, regular))| {
            let is_package = absolute
                .file_name()
                .is_some_and(|name| name == "__init__.py");
            let mut modules: Vec<String> = import_roots
                .iter()
                .filter_map(|root| module_name(root, &absolute))
                .collect();
            if modules.is_empty()
                && let Some(module) = module_name(&opts.workspace_root, &absolute)
            {
                modules.push(module);
            }
            SourcePath {
                absolute,
                relative,
                modules,
                is_package,
                regular,
            }
        })
        .collect())
}

fn exclude_set(patterns: &[String]) -> Result<GlobSet, PythonIndexError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|error| PythonIndexError::BadExclude {
            pattern: pattern.clone(),
            message: error.kind().to_string(),
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|error| PythonIndexError::BadExclude {
            pattern: patterns.join(", "),
            message: error.to_string(),
        })
}

/// `path` relative to `root` with `/` separators (the path itself if outside).
pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `root/a/b/c.py` → `a.b.c`; `root/a/b/__init__.py` → `a.b`.
fn module_name(root: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(root).ok()?;
    let mut parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop()?;
    let stem = last.strip_suffix(".py")?;
    if stem != "__init__" {
        parts.push(stem.to_string());
    }
    (!parts.is_empty()).then(|| parts.join("."))
}

/// Bare tree-sitter parse of every file, in parallel; the number parsed.
pub fn parse_only(files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .with_max_len(1)
        .map_init(extract::new_parser, |parser, path| {
            let Ok(source) = std::fs::read(path) else {
                return 0;
            };
            usize::from(parser.parse(&source, None).is_some())
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::module_name;
    use std::path::Path;

    #[test]
    fn module_names_count_from_the_import_root() {
        let root = Path::new("/w");
        assert_eq!(
            module_name(root, Path::new("/w/webapp/users/types.py")).as_deref(),
            Some("webapp.users.types")
        );
        assert_eq!(
            module_name(root, Path::new("/w/webapp/users/__init__.py")).as_deref(),
            Some("webapp.users")
        );
        assert_eq!(module_name(root, Path::new("/w/__init__.py")), None);
        assert_eq!(module_name(root, Path::new("/elsewhere/x.py")), None);
    }
}
