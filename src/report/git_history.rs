//! The schema files' past, read from git for `ferry report --from-git`:
//! the first-parent history of HEAD, and at each commit only the blobs of
//! the schema paths. A commit is kept when one of those blobs differs from
//! its parent's and it is the last such commit of its day (UTC); each blob
//! is read once, however many commits share it. A path that a commit
//! created by renaming another file (git's rename detection, as
//! `git log --follow` uses it) is read under its old name before that.

use crate::report::clock::Instant;
use gix::ObjectId;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum GitHistoryError {
    #[error(
        "{root}: not inside a git repository, so there is no history to read; run `ferry report --from-git` in a clone of the repository that holds the schemas"
    )]
    NotARepository { root: String },
    #[error(
        "{root}: the git repository has no work tree (a bare repository); run `ferry report --from-git` in a clone with a work tree"
    )]
    Bare { root: String },
    #[error("{root}: the workspace is outside the git work tree {workdir}")]
    OutsideWorkTree { root: String, workdir: String },
    #[error("{root}: HEAD has no commit yet, so there is no history to read")]
    NoCommits { root: String },
    #[error("reading git history: {message}")]
    Git { message: String },
}

fn git_error(error: impl std::fmt::Display) -> GitHistoryError {
    GitHistoryError::Git {
        message: error.to_string(),
    }
}

/// Which part of the history to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkBounds {
    /// Stop at the first commit older than this.
    pub since: Option<Instant>,
    /// Commits at or after this are walked through but not read: the
    /// ledger covers that time.
    pub before: Option<Instant>,
}

/// A commit of HEAD's first-parent history that changed a schema path.
#[derive(Debug, Clone)]
pub struct SchemaCommit {
    /// The full hex id.
    pub id: String,
    /// Committer time: when it landed on this line of history.
    pub time: Instant,
    /// The blob at each path asked for, in that order; `None` where the
    /// path does not exist at this commit.
    pub blobs: Vec<Option<ObjectId>>,
}

impl SchemaCommit {
    /// `abc1234`, as git abbreviates ids.
    pub fn short_id(&self) -> &str {
        &self.id[..self.id.len().min(7)]
    }
}

#[derive(Debug, Default)]
pub struct SchemaHistory {
    /// Oldest first, one a day at most; commits where no schema path
    /// exists are left out.
    pub commits: Vec<SchemaCommit>,
    /// The bytes of every blob some kept commit has.
    pub blobs: HashMap<ObjectId, Vec<u8>>,
    /// How many commits the walk went through.
    pub walked: usize,
    /// In a shallow clone, the oldest commit reached when its parents are
    /// missing: the history before it is not in this clone.
    pub shallow_boundary: Option<(String, Instant)>,
}

/// Reads the history of `paths` (relative to `root`, `/`-separated) from
/// the repository that holds `root`. `on_commit` is told how many commits
/// the walk went through so far.
pub fn read(
    root: &Path,
    paths: &[String],
    bounds: WalkBounds,
    on_commit: &mut dyn FnMut(usize),
) -> Result<SchemaHistory, GitHistoryError> {
    let shown = root.display().to_string();
    let repo = gix::discover(root).map_err(|_| GitHistoryError::NotARepository {
        root: shown.clone(),
    })?;
    let workdir = repo.workdir().ok_or_else(|| GitHistoryError::Bare {
        root: shown.clone(),
    })?;
    let prefix = prefix_in(workdir, root).ok_or_else(|| GitHistoryError::OutsideWorkTree {
        root: shown.clone(),
        workdir: workdir.display().to_string(),
    })?;
    let mut in_repo: Vec<PathBuf> = paths.iter().map(|p| prefix.join(p)).collect();
    let head = repo
        .head_id()
        .map_err(|_| GitHistoryError::NoCommits { root: shown })?
        .detach();
    let shallow = repo.shallow_commits().map_err(git_error)?;

    // Newest first, as the walk goes.
    let mut seen: Vec<SchemaCommit> = Vec::new();
    let mut walked = 0;
    let mut oldest = None;
    // The commit walked just before (the child of this one) and its blobs:
    // a path it has and this one lacks may have been renamed in it.
    let mut child: Option<(gix::ObjectId, Vec<Option<ObjectId>>)> = None;
    let walk = repo
        .rev_walk([head])
        .first_parent_only()
        .all()
        .map_err(git_error)?;
    for info in walk {
        let info = info.map_err(git_error)?;
        let commit = info.object().map_err(git_error)?;
        let seconds = commit.time().map_err(git_error)?.seconds;
        let time = Instant {
            unix_seconds: seconds,
        };
        if bounds.since.is_some_and(|since| time < since) {
            break;
        }
        walked += 1;
        on_commit(walked);
        oldest = Some((info.id, time));
        // Read even where the ledger covers the time: a rename there still
        // names the path for the commits before it.
        let tree = commit.tree().map_err(git_error)?;
        let mut blobs = blobs_at(&tree, &in_repo)?;
        if let Some((child_tree, child_blobs)) = &child {
            let appeared: Vec<usize> = (0..in_repo.len())
                .filter(|&k| blobs[k].is_none() && child_blobs[k].is_some())
                .collect();
            if !appeared.is_empty() {
                let child_tree = repo.find_tree(*child_tree).map_err(git_error)?;
                let renames = renames_between(&repo, &tree, &child_tree)?;
                for k in appeared {
                    if let Some(old) = renames.get(&in_repo[k]) {
                        in_repo[k] = old.clone();
                        blobs[k] = blob_at(&tree, &in_repo[k])?;
                    }
                }
            }
        }
        child = Some((tree.id, blobs.clone()));
        if bounds.before.is_some_and(|before| time >= before) {
            continue;
        }
        seen.push(SchemaCommit {
            id: info.id.to_string(),
            time,
            blobs,
        });
    }

    seen.reverse();
    let mut commits: Vec<SchemaCommit> = Vec::new();
    let mut previous: Option<Vec<Option<ObjectId>>> = None;
    for commit in seen {
        let changed = previous.as_ref() != Some(&commit.blobs);
        previous = Some(commit.blobs.clone());
        if !changed || commit.blobs.iter().all(Option::is_none) {
            continue;
        }
        // A migration's history is read in days: the day's last change
        // stands for it, and the others are never parsed.
        match commits.last_mut() {
            Some(last) if last.time.day() == commit.time.day() => *last = commit,
            _ => commits.push(commit),
        }
    }

    let mut blobs = HashMap::new();
    for id in commits.iter().flat_map(|c| c.blobs.iter().flatten()) {
        if !blobs.contains_key(id) {
            let blob = repo.find_blob(*id).map_err(git_error)?;
            blobs.insert(*id, blob.data.clone());
        }
    }

    let shallow_boundary = match (shallow, oldest) {
        (Some(shallow), Some((id, time))) if shallow.binary_search(&id).is_ok() => {
            Some((id.to_string(), time))
        }
        _ => None,
    };
    Ok(SchemaHistory {
        commits,
        blobs,
        walked,
        shallow_boundary,
    })
}

fn blob_at(tree: &gix::Tree<'_>, path: &Path) -> Result<Option<ObjectId>, GitHistoryError> {
    let entry = tree.lookup_entry_by_path(path).map_err(git_error)?;
    Ok(entry.filter(|e| e.mode().is_blob()).map(|e| e.object_id()))
}

fn blobs_at(
    tree: &gix::Tree<'_>,
    paths: &[PathBuf],
) -> Result<Vec<Option<ObjectId>>, GitHistoryError> {
    paths.iter().map(|path| blob_at(tree, path)).collect()
}

/// The files `child` has under a new name, new path → old path, found as
/// git finds renames: identical content, or content at least half the
/// same (git's default `-M50%`). Copies are not followed: the original
/// still has its own history.
fn renames_between(
    repo: &gix::Repository,
    parent: &gix::Tree<'_>,
    child: &gix::Tree<'_>,
) -> Result<HashMap<PathBuf, PathBuf>, GitHistoryError> {
    let options = gix::diff::Options::default().with_rewrites(Some(gix::diff::Rewrites::default()));
    let changes = repo
        .diff_tree_to_tree(parent, child, options)
        .map_err(git_error)?;
    Ok(changes
        .into_iter()
        .filter_map(|change| match change {
            gix::object::tree::diff::ChangeDetached::Rewrite {
                source_location,
                location,
                copy: false,
                ..
            } => Some((
                gix::path::from_bstring(location).ok()?,
                gix::path::from_bstring(source_location).ok()?,
            )),
            _ => None,
        })
        .collect())
}

/// Where the workspace root is inside the work tree, both made absolute
/// through links.
fn prefix_in(workdir: &Path, root: &Path) -> Option<PathBuf> {
    let workdir = workdir.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    root.strip_prefix(&workdir).ok().map(Path::to_path_buf)
}
