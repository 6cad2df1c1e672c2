//! `--usage FILE`: how often each field is requested, one field a line:
//! `Type.field COUNT` (blank lines and `#` comments are skipped).

use std::collections::HashMap;
use std::path::Path;

use crate::model::inventory::FieldCoordinate;

#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// The file, as given.
    pub source: String,
    counts: HashMap<(String, String), u64>,
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
            source: file.to_string(),
            counts,
        })
    }

    pub fn requests(&self, field: &FieldCoordinate) -> u64 {
        self.counts
            .get(&(field.type_name.clone(), field.field_name.clone()))
            .copied()
            .unwrap_or(0)
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
