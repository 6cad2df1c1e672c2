//! The texts of one service's files as an edit leaves them, each parsed
//! once per text: rollback's cleanup reads the service several times over
//! and the validation once more, and most of those reads find the text
//! unchanged since the last.

use crate::schema::loaded::{ParsedFile, SchemaError};
use crate::schema::source::SourceFile;
use std::collections::BTreeMap;

/// Each file of the service by workspace-relative path.
pub(super) type EditedFiles = BTreeMap<String, EditedFile>;

pub(super) struct EditedFile {
    /// The file as read: its text is what the change records as before.
    pub original: ParsedFile,
    /// The text as the edit has left it so far.
    pub text: String,
    /// The last text parsed, kept while `text` stays the same.
    parsed: Option<ParsedFile>,
}

impl EditedFile {
    pub fn new(original: ParsedFile, text: String) -> EditedFile {
        EditedFile {
            original,
            text,
            parsed: None,
        }
    }

    /// The text as it now stands, parsed as a load parses it (the file as
    /// read keeps its AST while its text is unchanged).
    pub fn parsed(&mut self) -> Result<&ParsedFile, SchemaError> {
        let current = self
            .parsed
            .as_ref()
            .is_some_and(|p| p.source.text == self.text);
        if !current {
            let source =
                SourceFile::new(self.original.source.path.clone(), self.text.clone(), true);
            let parsed = if self.text == self.original.source.text {
                ParsedFile {
                    source,
                    doc: self.original.doc.clone(),
                }
            } else {
                ParsedFile::parse(source)?
            };
            self.parsed = Some(parsed);
        }
        Ok(self.parsed.as_ref().expect("parsed just above"))
    }
}
