//! Reads the migration ledger (`migration-history.jsonl` beside ferry.toml,
//! one JSON object per transition) for the report's history. Only what the
//! report needs is read; other keys a ledger line carries are ignored.

use crate::model::stage::Stage;
use crate::report::clock::Instant;
use serde::Deserialize;
use std::path::Path;

pub const LEDGER_FILE: &str = "migration-history.jsonl";

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}:{column}: not a ledger entry: {message}; each line is one JSON object with field, service, from, to and time (RFC 3339): fix the line or remove it"
    )]
    Entry {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// One transition of one field, as the report uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// `Type.field`.
    pub field: String,
    pub service: String,
    pub from: Stage,
    pub to: Stage,
    pub time: Instant,
}

#[derive(Deserialize)]
struct Line {
    field: String,
    service: String,
    from: String,
    to: String,
    #[serde(alias = "at")]
    time: String,
}

/// The transitions in the ledger under `root`, oldest first; none when
/// there is no ledger.
pub fn read(root: &Path) -> Result<Vec<Transition>, LedgerError> {
    let path = root.join(LEDGER_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(LedgerError::Read {
                path: LEDGER_FILE.into(),
                source,
            });
        }
    };
    parse(&text)
}

pub fn parse(text: &str) -> Result<Vec<Transition>, LedgerError> {
    let mut transitions = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let error = |column: usize, message: String| LedgerError::Entry {
            path: LEDGER_FILE.into(),
            line: index + 1,
            column,
            message,
        };
        let line: Line = serde_json::from_str(raw).map_err(|e| error(e.column(), e.to_string()))?;
        let time = Instant::parse_rfc3339(&line.time).ok_or_else(|| {
            let column = raw.find(&line.time).map_or(1, |at| at + 1);
            error(column, format!("`{}` is not an RFC 3339 time", line.time))
        })?;
        let stage = |name: &str| {
            Stage::parse(name).ok_or_else(|| {
                let column = raw.find(&format!("\"{name}\"")).map_or(1, |at| at + 1);
                error(column, format!("`{name}` is not a stage"))
            })
        };
        let (from, to) = (stage(&line.from)?, stage(&line.to)?);
        // `ferry dialect` respells a field at its stage: no transition.
        if from == to {
            continue;
        }
        transitions.push(Transition {
            from,
            to,
            field: line.field,
            service: line.service,
            time,
        });
    }
    // Union-merged branches interleave lines; the history is by time.
    transitions.sort_by_key(|t| t.time);
    Ok(transitions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_in_time_order_and_accepts_at_for_time() {
        let text = concat!(
            r#"{"field":"A.b","service":"s","from":"manual","to":"side-by-side","time":"2026-02-01T00:00:00Z"}"#,
            "\n\n",
            r#"{"at":"2026-01-01T00:00:00Z","field":"A.b","service":"s","from":"python","to":"manual","scaffold":{}}"#,
            "\n"
        );
        let transitions = parse(text).unwrap();
        assert_eq!(transitions.len(), 2);
        assert_eq!(transitions[0].to, Stage::Manual);
        assert_eq!(transitions[1].from, Stage::Manual);
    }

    #[test]
    fn a_bad_line_names_its_place() {
        let text = concat!(
            r#"{"field":"A.b","service":"s","from":"python","to":"manual","time":"2026-01-01T00:00:00Z"}"#,
            "\n",
            r#"{"field":"A.b","service":"s","from":"python","to":"manual","time":"last week"}"#,
        );
        let message = parse(text).unwrap_err().to_string();
        assert!(
            message.starts_with("migration-history.jsonl:2:"),
            "{message}"
        );
        assert!(
            message.contains("`last week` is not an RFC 3339 time"),
            "{message}"
        );
    }
}
