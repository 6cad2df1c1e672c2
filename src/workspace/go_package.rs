//! Go modules and packages: where a package lives, its import path and the
//! name code refers to it by. ferry reads `go.mod` itself; it never runs `go`.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// A Go module: the directory holding `go.mod` and the module path it declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoModule {
    /// Absolute directory of `go.mod`.
    pub root: PathBuf,
    /// The `module` path, e.g. `example.com/classroom/assignments`.
    pub path: String,
}

impl GoModule {
    /// The module containing `start`: the nearest `go.mod` at or above it.
    pub fn find(start: &Path) -> Option<GoModule> {
        let start = absolute(start);
        let mut dir = Some(start.as_path());
        while let Some(current) = dir {
            let go_mod = current.join("go.mod");
            if let Ok(text) = fs::read_to_string(&go_mod) {
                let path = module_path(&text)?;
                return Some(GoModule {
                    root: current.to_path_buf(),
                    path,
                });
            }
            dir = current.parent();
        }
        None
    }

    /// The import path of the package in `dir`, when `dir` is inside the module.
    pub fn import_path_for_dir(&self, dir: &Path) -> Option<String> {
        let dir = absolute(dir);
        let relative = dir.strip_prefix(&self.root).ok()?;
        let mut import_path = self.path.clone();
        for component in relative.components() {
            import_path.push('/');
            import_path.push_str(&component.as_os_str().to_string_lossy());
        }
        Some(import_path)
    }

    /// The directory of a package of this module, from its import path.
    pub fn dir_for_import_path(&self, import_path: &str) -> Option<PathBuf> {
        if import_path == self.path {
            return Some(self.root.clone());
        }
        let rest = import_path.strip_prefix(&self.path)?.strip_prefix('/')?;
        Some(
            rest.split('/')
                .fold(self.root.clone(), |dir, part| dir.join(part)),
        )
    }
}

fn module_path(go_mod: &str) -> Option<String> {
    go_mod.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("module")?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let path = rest.split("//").next()?.trim().trim_matches('"');
        (!path.is_empty()).then(|| path.to_string())
    })
}

/// A Go package as generated code refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GoPackage {
    pub import_path: String,
    /// The name in its `package` clause.
    pub name: String,
}

impl GoPackage {
    pub fn new(import_path: impl Into<String>, name: impl Into<String>) -> GoPackage {
        GoPackage {
            import_path: import_path.into(),
            name: name.into(),
        }
    }

    /// A package outside the workspace, named as `go` would guess from its path.
    pub fn from_import_path(import_path: &str) -> GoPackage {
        GoPackage::new(import_path, guess_package_name(import_path))
    }

    /// Standard-library packages (no dot in the first path element) form the
    /// first import group, as goimports and gqlgen lay them out.
    pub fn is_standard_library(&self) -> bool {
        is_standard_library(&self.import_path)
    }
}

pub fn is_standard_library(import_path: &str) -> bool {
    !import_path
        .split('/')
        .next()
        .is_some_and(|first| first.contains('.'))
}

/// The last element of an import path: the name an unaliased import is
/// assumed to bind.
pub fn last_path_element(import_path: &str) -> &str {
    import_path.rsplit('/').next().unwrap_or(import_path)
}

/// What a package is called when only its import path is known: the last
/// element, skipping a major-version suffix (`…/pkg/v2` → `pkg`).
pub fn guess_package_name(import_path: &str) -> String {
    let mut parts = import_path.rsplit('/');
    let last = parts.next().unwrap_or(import_path);
    let is_version =
        last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit());
    let base = match (is_version, parts.next()) {
        (true, Some(previous)) => previous,
        _ => last,
    };
    let base = base.strip_prefix("go-").unwrap_or(base);
    sanitize_identifier(base)
}

/// gqlgen's `code.NameForDir`: the package clause of the Go files in `dir`,
/// or, without any, its sanitized base name.
pub fn package_name_for_dir(dir: &Path) -> String {
    for file in package_go_files(dir).unwrap_or_default() {
        if let Some(name) = fs::read_to_string(&file)
            .ok()
            .and_then(|text| package_clause(&text))
        {
            return name;
        }
    }
    let base = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "main".to_string());
    sanitize_identifier(&base)
}

/// The `*.go` files of the package in `dir` (not its tests, not its
/// subdirectories), sorted; a directory that does not exist holds none.
pub fn package_go_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|name| name.ends_with(".go") && !name.ends_with("_test.go"))
                && path.is_file()
        })
        .collect();
    files.sort();
    Ok(files)
}

fn package_clause(text: &str) -> Option<String> {
    let mut in_block_comment = false;
    for line in text.lines() {
        let mut line = line.trim();
        if in_block_comment {
            match line.find("*/") {
                Some(end) => {
                    in_block_comment = false;
                    line = line[end + 2..].trim();
                }
                None => continue,
            }
        }
        if line.starts_with("/*") && !line.contains("*/") {
            in_block_comment = true;
            continue;
        }
        if let Some(rest) = line.strip_prefix("package") {
            let name = rest.split("//").next()?.trim();
            if !name.is_empty() {
                return Some(name.to_string());
            }
        }
    }
    None
}

fn sanitize_identifier(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `path` made absolute against the current directory, without touching the
/// file system (no symlink resolution), `.` and `..` folded lexically.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    normalize(&joined)
}

/// Folds `.` and `..` components without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let popped = match out.components().next_back() {
                    Some(Component::Normal(_)) => out.pop(),
                    _ => false,
                };
                if !popped {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_module_path() {
        assert_eq!(
            module_path("// comment\nmodule example.com/classroom // trailing\n\ngo 1.19\n"),
            Some("example.com/classroom".to_string())
        );
        assert_eq!(module_path("modulex foo\n"), None);
    }

    #[test]
    fn import_paths_follow_directories() {
        let module = GoModule {
            root: PathBuf::from("/w/svc"),
            path: "example.com/svc".to_string(),
        };
        assert_eq!(
            module.import_path_for_dir(Path::new("/w/svc/graph/model")),
            Some("example.com/svc/graph/model".to_string())
        );
        assert_eq!(
            module.import_path_for_dir(Path::new("/w/svc")),
            Some("example.com/svc".to_string())
        );
        assert_eq!(module.import_path_for_dir(Path::new("/w/other")), None);
        assert_eq!(
            module.dir_for_import_path("example.com/svc/graph"),
            Some(PathBuf::from("/w/svc/graph"))
        );
        assert_eq!(module.dir_for_import_path("example.com/svcx"), None);
    }

    #[test]
    fn package_names_are_guessed_like_go_does() {
        assert_eq!(guess_package_name("time"), "time");
        assert_eq!(guess_package_name("github.com/google/uuid"), "uuid");
        assert_eq!(
            guess_package_name("github.com/vektah/gqlparser/v2"),
            "gqlparser"
        );
        assert_eq!(guess_package_name("github.com/mattn/go-sqlite3"), "sqlite3");
        assert!(is_standard_library("encoding/json"));
        assert!(!is_standard_library("example.com/x"));
    }

    #[test]
    fn finds_the_package_clause_past_comments() {
        let text = "// Code generated.\n/* block\n package nope */\npackage graph // the graph\n";
        assert_eq!(package_clause(text), Some("graph".to_string()));
    }

    #[test]
    fn normalizes_lexically() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a")), PathBuf::from("../a"));
        assert_eq!(normalize(Path::new("./")), PathBuf::from("."));
    }
}
