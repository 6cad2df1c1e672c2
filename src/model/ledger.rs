//! The migration ledger: `migration-history.jsonl` beside `ferry.toml`, one
//! JSON line per transition ferry writes, committed with the schemas. It
//! keeps a field `done` after the monolith's SDL drops it, it is what
//! progress over time is drawn from, and it tells rollback what a `mark`
//! added around its fields. Lines are independent, so git's union merge
//! (`.gitattributes`) joins two branches' histories. Format: docs/ledger.md.

use crate::model::stage::Stage;
use crate::workspace::WorkspacePath;
use crate::workspace::line_index::line_col;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const LEDGER_FILE: &str = "migration-history.jsonl";
pub const GITATTRIBUTES_FILE: &str = ".gitattributes";
/// The `.gitattributes` line that lets git merge two branches' ledgers.
pub const UNION_MERGE_LINE: &str = "migration-history.jsonl merge=union";

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}:{column}: not a ledger entry: {message}; each line is one JSON object written by ferry (see docs/ledger.md): fix the line or remove it"
    )]
    Entry {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// One transition: a field of a service went from one stage to another.
/// Keys ferry does not know are ignored, so a later ferry's lines read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// When it was written, RFC 3339 in UTC.
    #[serde(alias = "at")]
    pub time: String,
    pub field: String,
    pub service: String,
    pub from: Stage,
    pub to: Stage,
    /// What a `mark` added besides fields and types, for rollback to take
    /// out again once nothing needs it.
    #[serde(default, skip_serializing_if = "Scaffold::is_empty")]
    pub scaffold: Scaffold,
}

/// What a `mark` added to a service around the fields it wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scaffold {
    /// The schema file it created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_file: Option<String>,
    /// The whole `extend schema @link(url: …federation/v2…)`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub link: bool,
    /// The `import:` argument of an existing `@link`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub import_argument: bool,
    /// Entries of the `@link`'s `import:` list, as imported (`"@shareable"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<String>,
    /// gqlgen.yml's `directives: migrate: skip_runtime: true`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub gqlgen_skip_runtime: bool,
    /// The `@link` url before ferry raised its version (an `@override`
    /// label needs federation 2.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_url: Option<String>,
    /// Canaries without a group that `ferry dialect override` gave the
    /// ladder's first rung (the dialect cannot spell a canary without
    /// one), by field: converting back leaves them without a color again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_rung_canaries: Vec<String>,
}

fn is_false(value: &bool) -> bool {
    !value
}

impl Scaffold {
    pub fn is_empty(&self) -> bool {
        *self == Scaffold::default()
    }

    /// Everything either added.
    pub fn union(&mut self, other: &Scaffold) {
        if self.created_file.is_none() {
            self.created_file = other.created_file.clone();
        }
        self.link |= other.link;
        self.import_argument |= other.import_argument;
        for import in &other.imports {
            if !self.imports.contains(import) {
                self.imports.push(import.clone());
            }
        }
        self.gqlgen_skip_runtime |= other.gqlgen_skip_runtime;
        if self.link_url.is_none() {
            self.link_url = other.link_url.clone();
        }
        for field in &other.first_rung_canaries {
            if !self.first_rung_canaries.contains(field) {
                self.first_rung_canaries.push(field.clone());
            }
        }
    }
}

/// The ledger as read when the project was loaded.
#[derive(Debug, Clone)]
pub struct Ledger {
    pub path: WorkspacePath,
    /// The file's text; `None` when it does not exist yet.
    pub text: Option<String>,
    /// In file order (after a union merge, not necessarily by time).
    pub entries: Vec<LedgerEntry>,
}

impl Ledger {
    pub fn read(root: &std::path::Path) -> Result<Ledger, LedgerError> {
        let path = WorkspacePath::new(root, root.join(LEDGER_FILE));
        let text = match std::fs::read_to_string(&path.abs) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(LedgerError::Read {
                    path: path.rel,
                    source,
                });
            }
        };
        let entries = match &text {
            Some(text) => parse(&path.rel, text)?,
            None => Vec::new(),
        };
        Ok(Ledger {
            path,
            text,
            entries,
        })
    }

    /// Every (field, service) ferry ever took to done: a field moved stays
    /// done after the monolith's SDL drops it. A set, asked once per field.
    pub fn done(&self) -> HashSet<(&str, &str)> {
        self.entries
            .iter()
            .filter(|e| e.to == Stage::Done)
            .map(|e| (e.field.as_str(), e.service.as_str()))
            .collect()
    }

    /// What the latest `mark` of the field into the service added around it.
    pub fn scaffold_of_mark(&self, field: &str, service: &str) -> Option<&Scaffold> {
        self.entries
            .iter()
            .filter(|e| e.from == Stage::Python && e.field == field && e.service == service)
            .max_by(|a, b| a.time.cmp(&b.time))
            .map(|e| &e.scaffold)
    }

    /// What the latest `ferry dialect` conversion of the service added (its
    /// lines go from a stage to the same stage), for the conversion back
    /// to take out again.
    pub fn scaffold_of_conversion(&self, service: &str) -> Option<&Scaffold> {
        self.entries
            .iter()
            .filter(|e| e.from == e.to && e.service == service)
            .max_by(|a, b| a.time.cmp(&b.time))
            .map(|e| &e.scaffold)
    }

    /// The ledger's text with the entries appended, one line each.
    pub fn appended(&self, entries: &[LedgerEntry]) -> String {
        let mut text = self.text.clone().unwrap_or_default();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for entry in entries {
            text.push_str(&serde_json::to_string(entry).expect("an entry serializes"));
            text.push('\n');
        }
        text
    }
}

fn parse(rel: &str, text: &str) -> Result<Vec<LedgerEntry>, LedgerError> {
    let mut entries = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim();
        if !content.is_empty() {
            let entry = serde_json::from_str(content).map_err(|e| {
                let start = offset + (line.len() - line.trim_start().len());
                let (line_no, _) = line_col(text, start);
                LedgerError::Entry {
                    path: rel.to_string(),
                    line: line_no,
                    column: e.column().max(1),
                    message: e.to_string(),
                }
            })?;
            entries.push(entry);
        }
        offset += line.len();
    }
    Ok(entries)
}

/// Now, as RFC 3339 in UTC to the second (`2025-03-01T09:30:00Z`).
pub fn now_utc() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    rfc3339(seconds)
}

/// Seconds since 1970 as an RFC 3339 UTC timestamp; the civil date from the
/// day count by Howard Hinnant's `civil_from_days`.
fn rfc3339(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let of_day = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(rfc3339(4_102_444_800), "2100-01-01T00:00:00Z");
    }

    fn entry(field: &str, from: Stage, to: Stage, time: &str) -> LedgerEntry {
        LedgerEntry {
            time: time.into(),
            field: field.into(),
            service: "svc".into(),
            from,
            to,
            scaffold: Scaffold::default(),
        }
    }

    #[test]
    fn entries_read_back_and_a_bad_line_is_located() {
        let root = std::path::Path::new("/w");
        let ledger = Ledger {
            path: WorkspacePath::new(root, root.join(LEDGER_FILE)),
            text: None,
            entries: Vec::new(),
        };
        let mut mark = entry("T.a", Stage::Python, Stage::Manual, "2025-01-01T00:00:00Z");
        mark.scaffold.imports = vec!["@shareable".into()];
        let text = ledger.appended(&[
            mark.clone(),
            entry("T.a", Stage::Manual, Stage::Done, "2025-01-02T00:00:00Z"),
        ]);
        assert_eq!(
            text.lines().next().unwrap(),
            r#"{"time":"2025-01-01T00:00:00Z","field":"T.a","service":"svc","from":"python","to":"manual","scaffold":{"imports":["@shareable"]}}"#
        );
        let entries = parse(LEDGER_FILE, &text).unwrap();
        assert_eq!(entries[0], mark);
        let bad = format!("{text}\n{{\"time\": 3}}\n");
        let error = parse(LEDGER_FILE, &bad).unwrap_err().to_string();
        assert!(error.starts_with("migration-history.jsonl:4:"), "{error}");
    }
}
