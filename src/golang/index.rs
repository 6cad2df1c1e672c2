//! The Go resolvers a service already has: every method in its resolver
//! package, where it is, and whether its body is still a placeholder.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::naming::{go_field_name, resolver_type_name};
use super::source_file::GoSourceFile;
use super::stub::GoStatus;
use crate::workspace::go_package::{normalize, package_go_files};

/// One method of the resolver package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoMethod {
    /// Relative to the workspace root, `/`-separated.
    pub file: String,
    /// 1-based line of `func`.
    pub line: u32,
    pub end_line: u32,
    /// The receiver's type, without `*`: `assignmentResolver`.
    pub receiver: String,
    pub name: String,
    pub status: GoStatus,
}

#[derive(Debug, thiserror::Error)]
pub enum GoIndexError {
    // The I/O error is part of the message, not a source, so that a chain
    // printed with `{:#}` does not repeat it.
    #[error("{}: cannot read the resolver directory: {error}", path.display())]
    ReadDir {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: cannot read: {error}", path.display())]
    ReadFile {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: not valid UTF-8, which Go source must be", path.display())]
    NotUtf8 { path: PathBuf },
}

/// A Go file of the package, kept with its text so edits can splice it.
#[derive(Debug, Clone)]
pub struct IndexedGoFile {
    /// As found: the resolver directory joined with the file name.
    pub path: PathBuf,
    /// Relative to the workspace root, `/`-separated.
    pub relative: String,
    pub source: String,
    pub parsed: GoSourceFile,
}

/// Every method and type of one Go package (a resolver directory).
#[derive(Debug, Clone, Default)]
pub struct GoIndex {
    files: Vec<IndexedGoFile>,
    methods: Vec<GoMethod>,
    by_receiver_and_name: HashMap<(String, String), usize>,
}

impl GoIndex {
    /// Reads every `*.go` file of `resolver_dir` (not its subdirectories, not
    /// `_test.go` files), in parallel. `resolver_dir` may be relative to
    /// `workspace_root` or absolute; a directory that does not exist yet is an
    /// empty package.
    pub fn build(workspace_root: &Path, resolver_dir: &Path) -> Result<GoIndex, GoIndexError> {
        Self::build_reusing(workspace_root, resolver_dir, None)
    }

    /// Like `build`, but a file whose text is the same as when `previous`
    /// read it keeps its parse: after an edit, only the files it wrote are
    /// parsed again.
    pub fn rebuild(
        &self,
        workspace_root: &Path,
        resolver_dir: &Path,
    ) -> Result<GoIndex, GoIndexError> {
        Self::build_reusing(workspace_root, resolver_dir, Some(self))
    }

    fn build_reusing(
        workspace_root: &Path,
        resolver_dir: &Path,
        previous: Option<&GoIndex>,
    ) -> Result<GoIndex, GoIndexError> {
        let dir = normalize(&workspace_root.join(resolver_dir));
        let paths = package_go_files(&dir).map_err(|error| GoIndexError::ReadDir {
            path: dir.clone(),
            error,
        })?;

        let root = normalize(workspace_root);
        let read_before: HashMap<&Path, &IndexedGoFile> = previous
            .map(|index| index.files.iter().map(|f| (f.path.as_path(), f)).collect())
            .unwrap_or_default();
        let files = paths
            .into_par_iter()
            .map(|path| {
                let bytes = fs::read(&path).map_err(|error| GoIndexError::ReadFile {
                    path: path.clone(),
                    error,
                })?;
                let source = String::from_utf8(bytes)
                    .map_err(|_| GoIndexError::NotUtf8 { path: path.clone() })?;
                let unchanged = read_before
                    .get(path.as_path())
                    .filter(|f| f.source == source);
                let parsed = match unchanged {
                    Some(file) => file.parsed.clone(),
                    None => GoSourceFile::parse(&source),
                };
                Ok(IndexedGoFile {
                    relative: relative_to(&root, &path),
                    path,
                    source,
                    parsed,
                })
            })
            .collect::<Result<Vec<_>, GoIndexError>>()?;
        Ok(GoIndex::from_files(files))
    }

    /// An index of files already in memory.
    pub fn from_files(files: Vec<IndexedGoFile>) -> GoIndex {
        let mut index = GoIndex {
            files,
            ..GoIndex::default()
        };
        for file in &index.files {
            for method in &file.parsed.methods {
                let key = (method.receiver.clone(), method.name.clone());
                index
                    .by_receiver_and_name
                    .entry(key)
                    .or_insert(index.methods.len());
                index.methods.push(GoMethod {
                    file: file.relative.clone(),
                    line: method.line,
                    end_line: method.end_line,
                    receiver: method.receiver.clone(),
                    name: method.name.clone(),
                    status: method.status,
                });
            }
        }
        index
    }

    /// The gqlgen resolver method for a GraphQL field, with gqlgen's default
    /// naming: `("Assignment", "createdDate")` → `assignmentResolver.CreatedDate`,
    /// `("Entity", "findAssignmentByID")` → `entityResolver.FindAssignmentByID`.
    pub fn resolver_for(&self, type_name: &str, field_name: &str) -> Option<&GoMethod> {
        self.method(&resolver_type_name(type_name), &go_field_name(field_name))
    }

    /// A method by receiver type and name, for names gqlgen's defaults do not
    /// give (`@goField(name:)`, a custom `resolver.type`).
    pub fn method(&self, receiver: &str, name: &str) -> Option<&GoMethod> {
        self.by_receiver_and_name
            .get(&(receiver.to_string(), name.to_string()))
            .map(|&i| &self.methods[i])
    }

    /// Every method of the package, file by file in name order.
    pub fn methods(&self) -> &[GoMethod] {
        &self.methods
    }

    /// Whether the package declares a type of this name.
    pub fn has_type(&self, name: &str) -> bool {
        self.files
            .iter()
            .any(|f| f.parsed.types.iter().any(|t| t.name == name))
    }

    pub fn files(&self) -> &[IndexedGoFile] {
        &self.files
    }

    /// The file at `path` (as joined from the resolver directory), if indexed.
    pub fn file(&self, path: &Path) -> Option<&IndexedGoFile> {
        let wanted = normalize(path);
        self.files.iter().find(|f| normalize(&f.path) == wanted)
    }
}

fn relative_to(root: &Path, path: &Path) -> String {
    let path = normalize(path);
    let relative = path.strip_prefix(root).unwrap_or(&path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_a_resolver_directory() {
        let workspace = tempfile::tempdir().unwrap();
        let dir = workspace.path().join("services/assignments/graph");
        fs::create_dir_all(dir.join("model")).unwrap();
        fs::write(
            dir.join("schema.resolvers.go"),
            "package graph\n\nfunc (r *assignmentResolver) CreatedDate(ctx context.Context, obj *model.Assignment) (*time.Time, error) {\n\tpanic(fmt.Errorf(\"not implemented: CreatedDate - createdDate\"))\n}\n\nfunc (r *queryResolver) AssignmentURL(ctx context.Context, id string) (string, error) {\n\treturn \"https://example.com/\" + id, nil\n}\n",
        )
        .unwrap();
        fs::write(
            dir.join("entity.resolvers.go"),
            "package graph\n\nfunc (r *entityResolver) FindAssignmentByID(ctx context.Context, id string) (*model.Assignment, error) {\n\treturn &model.Assignment{ID: id}, nil\n}\n",
        )
        .unwrap();
        fs::write(
            dir.join("schema_test.go"),
            "package graph\n\nfunc (r *queryResolver) Hidden() {}\n",
        )
        .unwrap();
        fs::write(
            dir.join("model/models.go"),
            "package model\n\nfunc (a *Assignment) Skipped() {}\n",
        )
        .unwrap();

        let index =
            GoIndex::build(workspace.path(), Path::new("services/assignments/graph")).unwrap();
        let created = index.resolver_for("Assignment", "createdDate").unwrap();
        assert_eq!(
            created.file,
            "services/assignments/graph/schema.resolvers.go"
        );
        assert_eq!(created.line, 3);
        assert_eq!(created.end_line, 5);
        assert_eq!(created.status, GoStatus::Stub);
        let url = index.resolver_for("Query", "assignmentUrl").unwrap();
        assert_eq!(url.status, GoStatus::Implemented);
        let finder = index.resolver_for("Entity", "findAssignmentByID").unwrap();
        assert_eq!(
            finder.file,
            "services/assignments/graph/entity.resolvers.go"
        );
        assert!(index.resolver_for("Query", "hidden").is_none());
        assert!(index.method("assignment", "Skipped").is_none());
        assert_eq!(index.methods().len(), 3);
    }

    #[test]
    fn a_missing_directory_is_an_empty_package() {
        let workspace = tempfile::tempdir().unwrap();
        let index = GoIndex::build(workspace.path(), Path::new("nowhere")).unwrap();
        assert!(index.methods().is_empty());
    }

    #[test]
    fn status_serializes_as_the_json_contract_says() {
        assert_eq!(serde_json::to_string(&GoStatus::Stub).unwrap(), "\"stub\"");
        assert_eq!(
            serde_json::to_string(&GoStatus::Implemented).unwrap(),
            "\"implemented\""
        );
    }
}
