//! A schema file as read from disk: the exact bytes ferry will splice into,
//! and what it needs to write text that matches the file's own style.

use crate::workspace::WorkspacePath;
use crate::workspace::line_index::{LineIndex, line_col};

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}:{column}: not valid UTF-8 (byte {byte:#04x}); ferry reads schemas as UTF-8: re-save the file as UTF-8"
    )]
    NotUtf8 {
        path: String,
        line: usize,
        column: usize,
        byte: u8,
    },
}

const BOM: &str = "\u{feff}";

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: WorkspacePath,
    /// The file's text exactly as read, byte-order mark included.
    pub text: String,
    /// False for a file that does not exist yet (a `new_fields` file `mark` creates).
    pub exists: bool,
    /// Made at the first `line_col`: a reload that keeps what it parsed
    /// of an unchanged file never asks.
    lines: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn read(path: WorkspacePath) -> Result<SourceFile, SourceError> {
        let bytes = match std::fs::read(&path.abs) {
            Ok(bytes) => bytes,
            Err(e) => {
                return Err(SourceError::Read {
                    path: path.rel,
                    source: e,
                });
            }
        };
        Self::from_bytes(path, bytes)
    }

    /// A file ferry may create: missing is the same as empty.
    pub fn read_or_new(path: WorkspacePath) -> Result<SourceFile, SourceError> {
        if path.abs.exists() {
            Self::read(path)
        } else {
            Ok(SourceFile::new(path, String::new(), false))
        }
    }

    pub fn new(path: WorkspacePath, text: String, exists: bool) -> SourceFile {
        SourceFile {
            path,
            lines: std::sync::OnceLock::new(),
            text,
            exists,
        }
    }

    pub fn from_bytes(path: WorkspacePath, bytes: Vec<u8>) -> Result<SourceFile, SourceError> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(path, text, true)),
            Err(e) => {
                let bytes = e.as_bytes();
                let bad = e.utf8_error().valid_up_to();
                let valid = std::str::from_utf8(&bytes[..bad]).unwrap_or_default();
                let (line, column) = line_col(valid, valid.len());
                Err(SourceError::NotUtf8 {
                    path: path.rel,
                    line,
                    column,
                    byte: bytes[bad],
                })
            }
        }
    }

    /// The text handed to the GraphQL parser: same length and offsets as
    /// `text`, with a leading byte-order mark blanked out.
    pub fn parse_text(&self) -> std::borrow::Cow<'_, str> {
        match self.text.strip_prefix(BOM) {
            Some(rest) => format!("   {rest}").into(),
            None => self.text.as_str().into(),
        }
    }

    /// Whether the file holds no definition: nothing, or only whitespace,
    /// commas and comments. Such a file is a valid schema with no fields
    /// (a new service's), though the GraphQL parser wants a definition.
    pub fn holds_no_definitions(&self) -> bool {
        self.text[self.content_start()..].lines().all(|line| {
            let rest = line.trim_start_matches([' ', '\t', '\r', ',']);
            rest.is_empty() || rest.starts_with('#')
        })
    }

    /// Where content starts (after a byte-order mark).
    pub fn content_start(&self) -> usize {
        if self.text.starts_with(BOM) {
            BOM.len()
        } else {
            0
        }
    }

    /// The file's line ending: CRLF when its first line ends so.
    pub fn eol(&self) -> &'static str {
        match self.text.find('\n') {
            Some(i) if i > 0 && self.text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// The file's indentation unit: the leading whitespace of its first
    /// indented line, two spaces when it has none.
    pub fn indent(&self) -> String {
        self.text
            .lines()
            .map(|line| {
                let trimmed = line.trim_start_matches([' ', '\t']);
                &line[..line.len() - trimmed.len()]
            })
            .find(|lead| !lead.is_empty())
            .unwrap_or("  ")
            .to_string()
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.line_index().line_col(&self.text, offset)
    }

    /// Makes the index `line_col` looks lines up in, if not made yet.
    pub fn index_lines(&self) {
        self.line_index();
    }

    fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SourceFile {
        let path = WorkspacePath::new(std::path::Path::new("/"), "/s.graphqls".into());
        SourceFile::new(path, text.into(), true)
    }

    #[test]
    fn comments_and_whitespace_hold_no_definitions() {
        for text in [
            "",
            "\u{feff}\r\n",
            "# a new service\n\n  # nothing yet\n",
            ",\t#",
        ] {
            assert!(source(text).holds_no_definitions(), "{text:?}");
        }
        for text in ["scalar Time # a comment", "\"\"\"only a description\"\"\""] {
            assert!(!source(text).holds_no_definitions(), "{text:?}");
        }
    }
}
