//! The corpus of recorded operations: `.graphql` files (variables from a
//! sibling `.json`) and JSON-lines logs of
//! `{"query", "variables", "operationName", "count"}`. Read as a stream,
//! one operation at a time, so memory stays flat with the corpus size.

use crate::workspace::{Workspace, WorkspaceError, expand_globs};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// One operation as recorded, before ferry has looked at its text.
#[derive(Debug, Clone)]
pub struct RecordedOperation {
    /// Where it was read: `ops/page.graphql`, `ops/traffic.jsonl:12`.
    pub origin: String,
    pub query: String,
    pub variables: Map<String, Value>,
    pub operation_name: Option<String>,
    /// How often production saw it (a log's `count`); 1 for a file.
    pub count: u64,
}

/// Why an operation was not replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// A log line that is not a JSON operation record.
    Unreadable,
    /// Does not validate against the monolith's schema.
    Invalid,
    /// Never replayed: its side effects would run again.
    Mutation,
    Subscription,
    /// Selects none of the fields being compared.
    NoComparedField,
    /// The monolith did not answer (after retries) or answered without data.
    PythonFailed,
}

impl SkipReason {
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::Unreadable => "unreadable",
            SkipReason::Invalid => "invalid against the monolith's schema",
            SkipReason::Mutation => "mutations (never sent)",
            SkipReason::Subscription => "subscriptions",
            SkipReason::NoComparedField => "without a compared field",
            SkipReason::PythonFailed => "failed in the monolith",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedOperation {
    pub origin: String,
    pub operation: Option<String>,
    pub reason: SkipReason,
    pub message: String,
}

/// What reading the corpus yields, in order.
pub type CorpusItem = Result<RecordedOperation, SkippedOperation>;

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: not an operations file: give `.graphql` files (variables in a sibling `.json`) or JSON-lines logs (`.jsonl`)"
    )]
    UnknownKind { path: String },
}

/// A file of the corpus and how to read it.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub path: PathBuf,
    /// As shown to users.
    pub shown: String,
}

fn is_document(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "graphql" || e == "gql")
}

fn is_log(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "jsonl" || e == "ndjson")
}

/// Checks that every file is one ferry can read; directories are walked
/// for `.graphql`, `.gql`, `.jsonl` and `.ndjson` files.
pub fn corpus_files(paths: Vec<CorpusFile>) -> Result<Vec<CorpusFile>, CorpusError> {
    let mut files = Vec::new();
    for file in paths {
        if file.path.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(&file.path)
                .build()
                .filter_map(Result::ok)
                .map(|e| e.into_path())
                .filter(|p| p.is_file() && (is_document(p) || is_log(p)))
                .collect();
            found.sort();
            files.extend(found.into_iter().map(|path| CorpusFile {
                shown: format!(
                    "{}/{}",
                    file.shown.trim_end_matches('/'),
                    path.strip_prefix(&file.path)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/")
                ),
                path,
            }));
        } else if is_document(&file.path) || is_log(&file.path) {
            if !file.path.is_file() {
                return Err(CorpusError::Read {
                    path: file.shown,
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                });
            }
            files.push(file);
        } else if file.path.extension().is_some_and(|e| e == "json") {
            // The variables of a sibling `.graphql` file, matched by a glob.
            continue;
        } else {
            return Err(CorpusError::UnknownKind { path: file.shown });
        }
    }
    Ok(files)
}

/// The files `[compare] operations` names (globs relative to the
/// workspace root), checked as [`corpus_files`] checks them; none when it
/// names none.
pub fn configured_files(workspace: &Workspace) -> Result<Vec<CorpusFile>, ConfiguredCorpusError> {
    let files = expand_globs(
        &workspace.root,
        &workspace.root,
        &workspace.compare.operations,
        "[compare] operations",
    )?
    .into_iter()
    .map(|p| CorpusFile {
        path: p.abs,
        shown: p.rel,
    })
    .collect();
    Ok(corpus_files(files)?)
}

#[derive(Debug, thiserror::Error)]
pub enum ConfiguredCorpusError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Corpus(#[from] CorpusError),
}

/// The operations of the corpus, file after file, line after line.
pub struct Corpus {
    files: VecDeque<CorpusFile>,
    log: Option<(String, std::io::Lines<BufReader<std::fs::File>>, usize)>,
}

impl Corpus {
    pub fn new(files: Vec<CorpusFile>) -> Corpus {
        Corpus {
            files: files.into(),
            log: None,
        }
    }

    fn next_log_line(&mut self) -> Option<CorpusItem> {
        let (shown, lines, number) = self.log.as_mut()?;
        loop {
            let line = lines.next()?;
            *number += 1;
            let origin = format!("{shown}:{number}");
            let line = match line {
                Ok(line) => line,
                Err(e) => return Some(Err(unreadable(origin, e.to_string()))),
            };
            if line.trim().is_empty() {
                continue;
            }
            return Some(log_record(origin, &line));
        }
    }
}

impl Iterator for Corpus {
    type Item = CorpusItem;

    fn next(&mut self) -> Option<CorpusItem> {
        loop {
            if let Some(item) = self.next_log_line() {
                return Some(item);
            }
            self.log = None;
            let file = self.files.pop_front()?;
            if is_log(&file.path) {
                match std::fs::File::open(&file.path) {
                    Ok(f) => self.log = Some((file.shown, BufReader::new(f).lines(), 0)),
                    Err(e) => return Some(Err(unreadable(file.shown, e.to_string()))),
                }
                continue;
            }
            return Some(document(&file));
        }
    }
}

fn unreadable(origin: String, message: String) -> SkippedOperation {
    SkippedOperation {
        origin,
        operation: None,
        reason: SkipReason::Unreadable,
        message,
    }
}

fn document(file: &CorpusFile) -> CorpusItem {
    let query = std::fs::read_to_string(&file.path)
        .map_err(|e| unreadable(file.shown.clone(), e.to_string()))?;
    let sibling = file.path.with_extension("json");
    let variables = match std::fs::read_to_string(&sibling) {
        Ok(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                return Err(unreadable(
                    file.shown.clone(),
                    format!(
                        "{}: the variables must be a JSON object",
                        sibling.file_name().unwrap_or_default().to_string_lossy()
                    ),
                ));
            }
            Err(e) => {
                return Err(unreadable(
                    file.shown.clone(),
                    format!(
                        "{}:{}:{}: {e}",
                        sibling.file_name().unwrap_or_default().to_string_lossy(),
                        e.line(),
                        e.column()
                    ),
                ));
            }
        },
        Err(_) => Map::new(),
    };
    Ok(RecordedOperation {
        origin: file.shown.clone(),
        query,
        variables,
        operation_name: None,
        count: 1,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogRecord {
    query: String,
    #[serde(default)]
    variables: Option<Map<String, Value>>,
    #[serde(default)]
    operation_name: Option<String>,
    #[serde(default)]
    count: Option<u64>,
}

fn log_record(origin: String, line: &str) -> CorpusItem {
    match serde_json::from_str::<LogRecord>(line) {
        Ok(record) => Ok(RecordedOperation {
            origin,
            query: record.query,
            variables: record.variables.unwrap_or_default(),
            operation_name: record.operation_name,
            count: record.count.unwrap_or(1).max(1),
        }),
        Err(e) => Err(unreadable(
            format!("{origin}:{}", e.column()),
            format!(
                "not an operation record ({e}); expected {{\"query\": …, \"variables\": {{…}}, \"operationName\": …}}"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str, text: &str) -> CorpusFile {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        CorpusFile {
            path,
            shown: name.to_string(),
        }
    }

    #[test]
    fn reads_documents_with_their_variables_and_log_lines_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let page = file(
            dir.path(),
            "page.graphql",
            "query Page($id: ID!) { assignment(id: $id) { title } }",
        );
        file(dir.path(), "page.json", r#"{"id": "asg_1"}"#);
        let log = file(
            dir.path(),
            "traffic.jsonl",
            "{\"query\": \"{ me { kaid } }\", \"count\": 40}\n\nnot json\n{\"query\": \"query Q { me { kaid } }\", \"operationName\": \"Q\", \"variables\": {\"a\": 1}}\n",
        );
        let items: Vec<CorpusItem> = Corpus::new(vec![page, log]).collect();
        assert_eq!(items.len(), 4);
        let first = items[0].as_ref().unwrap();
        assert_eq!(first.origin, "page.graphql");
        assert_eq!(first.variables["id"], "asg_1");
        let second = items[1].as_ref().unwrap();
        assert_eq!(
            (second.origin.as_str(), second.count),
            ("traffic.jsonl:1", 40)
        );
        let bad = items[2].as_ref().unwrap_err();
        assert_eq!(bad.reason, SkipReason::Unreadable);
        assert!(bad.origin.starts_with("traffic.jsonl:3:"), "{}", bad.origin);
        let last = items[3].as_ref().unwrap();
        assert_eq!(last.operation_name.as_deref(), Some("Q"));
        assert_eq!(last.variables["a"], 1);
    }

    #[test]
    fn a_directory_is_walked_and_other_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("ops")).unwrap();
        std::fs::write(dir.path().join("ops/b.graphql"), "{ me { kaid } }").unwrap();
        std::fs::write(dir.path().join("ops/a.jsonl"), "").unwrap();
        std::fs::write(dir.path().join("ops/b.json"), "{}").unwrap();
        let files = corpus_files(vec![CorpusFile {
            path: dir.path().join("ops"),
            shown: "ops".into(),
        }])
        .unwrap();
        let shown: Vec<&str> = files.iter().map(|f| f.shown.as_str()).collect();
        assert_eq!(shown, ["ops/a.jsonl", "ops/b.graphql"]);
        let refused = corpus_files(vec![file(dir.path(), "notes.txt", "")]).unwrap_err();
        assert!(
            refused
                .to_string()
                .starts_with("notes.txt: not an operations file")
        );
    }
}
