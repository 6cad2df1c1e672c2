//! How often each field is requested: from `--usage FILE`, one
//! `Type.field COUNT` a line (blank lines and `#` comments are skipped), or
//! from the operations corpus `ferry compare` replays, each operation's
//! fields counted as often as it was recorded.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use apollo_compiler::executable::{ExecutableDocument, Selection, SelectionSet};
use apollo_compiler::validation::Valid;
use apollo_compiler::{Name, Schema};
use serde::Serialize;

use crate::compare::operations::{ConfiguredCorpusError, Corpus, CorpusItem, configured_files};
use crate::model::Project;
use crate::model::inventory::FieldCoordinate;

#[derive(Debug, Clone, Default)]
pub struct Usage {
    pub traffic: Traffic,
    counts: HashMap<(String, String), u64>,
}

/// Where request counts came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Traffic {
    /// The `--usage` file as given, or `[compare] operations`.
    pub source: String,
    /// Requests the corpus stands for (operations by their recorded
    /// count); `None` for a usage file, which counts fields, not requests.
    pub requests: Option<u64>,
    /// Operations of the corpus that were not counted: unreadable, or
    /// invalid against the monolith's schema.
    pub skipped: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("{file}: {error}")]
    Read { file: String, error: std::io::Error },
    #[error("{file}:{line}:{column}: {message}; write one `Type.field COUNT` a line")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Usage {
    pub fn read(path: &Path) -> Result<Usage, UsageError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| UsageError::Read {
            file: file.clone(),
            error,
        })?;
        Usage::parse(&file, &text)
    }

    pub fn parse(file: &str, text: &str) -> Result<Usage, UsageError> {
        let mut counts = HashMap::new();
        for (number, line) in text.lines().enumerate() {
            let content = line.split('#').next().unwrap_or_default();
            let trimmed = content.trim_start();
            if trimmed.trim().is_empty() {
                continue;
            }
            let syntax = |column: usize, message: &str| UsageError::Syntax {
                file: file.to_string(),
                line: number + 1,
                column: column + 1,
                message: message.to_string(),
            };
            let start = content.len() - trimmed.len();
            let mut words = trimmed.split_whitespace();
            let field = words.next().unwrap_or_default();
            let Some((type_name, field_name)) = field.split_once('.') else {
                return Err(syntax(start, &format!("`{field}` is not Type.field")));
            };
            let count_at = start
                + trimmed[field.len()..]
                    .find(|c: char| !c.is_whitespace())
                    .map_or(field.len(), |at| field.len() + at);
            let count = words
                .next()
                .ok_or_else(|| syntax(count_at, "the request count is missing"))?
                .parse::<u64>()
                .map_err(|_| syntax(count_at, "the request count is not a whole number"))?;
            if words.next().is_some() {
                return Err(syntax(count_at, "more than a field and a count"));
            }
            *counts
                .entry((type_name.to_string(), field_name.to_string()))
                .or_insert(0) += count;
        }
        Ok(Usage {
            traffic: Traffic {
                source: file.to_string(),
                requests: None,
                skipped: 0,
            },
            counts,
        })
    }

    /// Counts from the corpus `[compare] operations` names, when it names one.
    pub fn from_configured_corpus(
        project: &Project,
    ) -> Result<Option<Usage>, ConfiguredCorpusError> {
        if project.workspace.compare.operations.is_empty() {
            return Ok(None);
        }
        let files = configured_files(&project.workspace)?;
        Ok(Some(Usage::from_operations(
            // The monolith's SDL is read leniently; `ferry compare` trusts it the same way.
            Valid::assume_valid_ref(&project.monolith.schema),
            "[compare] operations",
            Corpus::new(files),
        )))
    }

    /// Counts from recorded operations: every field an operation selects
    /// (through its fragments, on the type it is selected on) counts the
    /// operation's recorded count, once per operation. Mutations and
    /// subscriptions count too: they are requests, though never replayed.
    pub fn from_operations(
        schema: &Valid<Schema>,
        source: &str,
        corpus: impl Iterator<Item = CorpusItem>,
    ) -> Usage {
        let mut usage = Usage {
            traffic: Traffic {
                source: source.to_string(),
                requests: Some(0),
                skipped: 0,
            },
            counts: HashMap::new(),
        };
        for item in corpus {
            let Ok(recorded) = item else {
                usage.traffic.skipped += 1;
                continue;
            };
            let Ok(document) =
                ExecutableDocument::parse_and_validate(schema, &recorded.query, &recorded.origin)
            else {
                usage.traffic.skipped += 1;
                continue;
            };
            let operations: Vec<_> = match &recorded.operation_name {
                Some(name) => match document.operations.get(Some(name)) {
                    Ok(operation) => vec![operation],
                    Err(_) => {
                        usage.traffic.skipped += 1;
                        continue;
                    }
                },
                None => document.operations.iter().collect(),
            };
            for operation in operations {
                let mut selected = HashSet::new();
                let mut spread = HashSet::new();
                select(
                    &document,
                    &operation.selection_set,
                    &mut selected,
                    &mut spread,
                );
                for &(type_name, field_name) in &selected {
                    *usage
                        .counts
                        .entry((type_name.to_string(), field_name.to_string()))
                        .or_insert(0) += recorded.count;
                }
                *usage.traffic.requests.get_or_insert(0) += recorded.count;
            }
        }
        usage
    }

    pub fn requests(&self, field: &FieldCoordinate) -> u64 {
        self.counts
            .get(&(field.type_name.clone(), field.field_name.clone()))
            .copied()
            .unwrap_or(0)
    }
}

/// Every (type, field) the selection asks for, under it and through its
/// fragments (each named fragment read once).
fn select<'d>(
    document: &'d ExecutableDocument,
    set: &'d SelectionSet,
    selected: &mut HashSet<(&'d str, &'d str)>,
    spread: &mut HashSet<&'d Name>,
) {
    for selection in &set.selections {
        match selection {
            Selection::Field(field) => {
                if !field.name.starts_with("__") {
                    selected.insert((set.ty.as_str(), field.name.as_str()));
                }
                select(document, &field.selection_set, selected, spread);
            }
            Selection::InlineFragment(inline) => {
                select(document, &inline.selection_set, selected, spread);
            }
            Selection::FragmentSpread(fragment) => {
                if spread.insert(&fragment.fragment_name)
                    && let Some(fragment) = document.fragments.get(&fragment.fragment_name)
                {
                    select(document, &fragment.selection_set, selected, spread);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_mistakes_name_line_and_column() {
        let usage = Usage::parse(
            "u.txt",
            "# counts\nQuery.me 10\n  User.email\t5\nQuery.me 2\n",
        )
        .unwrap();
        assert_eq!(usage.requests(&FieldCoordinate::new("Query", "me")), 12);
        assert_eq!(usage.requests(&FieldCoordinate::new("User", "email")), 5);
        assert_eq!(usage.requests(&FieldCoordinate::new("User", "name")), 0);
        let error = Usage::parse("u.txt", "Query.me 1\n  User.email many\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "u.txt:2:14: the request count is not a whole number; write one `Type.field COUNT` a line"
        );
        let error = Usage::parse("u.txt", "me 1\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("u.txt:1:1: `me` is not Type.field"),
            "{error}"
        );
    }
}
