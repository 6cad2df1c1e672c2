//! The files whose change on disk means the view is stale.

use crate::model::project::Project;
use std::path::PathBuf;
use std::time::SystemTime;

/// The files whose change on disk means the view is stale, with what
/// their metadata said when they were read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct DiskStamps(Vec<WatchedFile>);

/// A file's absolute path, its name as shown, and its modification time
/// and length when read (`None`: it did not exist).
type WatchedFile = (PathBuf, String, Option<(SystemTime, u64)>);

impl DiskStamps {
    pub(super) fn of(project: &Project) -> DiskStamps {
        let workspace = &project.workspace;
        let mut paths = Vec::new();
        paths.extend(workspace.python.schema_files.iter().cloned());
        for service in &workspace.services {
            paths.extend(service.schema_files.iter().cloned());
            paths.push(service.new_fields.clone());
            paths.extend(service.gqlgen.iter().cloned());
        }
        // The gate reads the evidence and hashes the Go resolvers.
        paths.push(project.evidence.path.clone());
        let mut files: Vec<(PathBuf, String)> = paths.into_iter().map(|p| (p.abs, p.rel)).collect();
        for index in project.go.values() {
            files.extend(
                index
                    .files()
                    .iter()
                    .map(|f| (f.path.clone(), f.relative.clone())),
            );
        }
        files.sort();
        files.dedup();
        DiskStamps(
            files
                .into_iter()
                .map(|(abs, rel)| {
                    let stamp = stamp(&abs);
                    (abs, rel, stamp)
                })
                .collect(),
        )
    }

    /// The first watched file whose metadata changed.
    pub(super) fn changed(&self) -> Option<&str> {
        self.0
            .iter()
            .find(|(abs, _, old)| stamp(abs) != *old)
            .map(|(_, rel, _)| rel.as_str())
    }
}

fn stamp(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}
