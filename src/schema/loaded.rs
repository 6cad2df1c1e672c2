//! One schema (the monolith's, or all files of one Go service) parsed and
//! validated with apollo-compiler, keeping each file's AST with its byte
//! ranges for edits.

use crate::schema::chunked_parse;
pub use crate::schema::chunked_parse::Share;
use crate::schema::federation::{FederationNames, defined_names};
use crate::schema::source::{SourceError, SourceFile};
use apollo_compiler::Schema;
use apollo_compiler::ast;
use apollo_compiler::diagnostic::ToCliReport;
use apollo_compiler::parser::Parser;
use apollo_compiler::validation::DiagnosticList;
use rustc_hash::FxHashSet;

const PRELUDE_PATH: &str = "<federation prelude>";

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error(transparent)]
    Source(#[from] SourceError),
    /// Rendered like apollo-compiler's own diagnostics: file:line:col, the
    /// source line, a caret.
    #[error("{summary}\n{report}")]
    Invalid { summary: String, report: String },
}

#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub source: SourceFile,
    pub doc: ast::Document,
}

impl ParsedFile {
    pub fn parse(source: SourceFile) -> Result<ParsedFile, SchemaError> {
        let share = Share::alone(source.text.len());
        Self::parse_in(source, share)
    }

    /// [`ParsedFile::parse`] of a file parsed beside other SDL (`share`).
    pub fn parse_in(source: SourceFile, share: Share) -> Result<ParsedFile, SchemaError> {
        // An empty or comment-only file (a new service's, a new_fields
        // file not used yet) holds nothing.
        if source.holds_no_definitions() {
            return Ok(ParsedFile {
                source,
                doc: ast::Document::new(),
            });
        }
        let text = source.parse_text();
        // Lines are asked for as soon as the file is built (each field's
        // site, each tolerated error): the file's line index is made while
        // the last pieces finish.
        let index_lines = || source.index_lines();
        if let Some(doc) = chunked_parse::parse(&text, &source.path.rel, share, index_lines) {
            return Ok(ParsedFile { source, doc });
        }
        let text = text.into_owned();
        Self::parse_whole(source, text)
    }

    /// The file parsed at once, never in pieces.
    fn parse_whole(source: SourceFile, text: String) -> Result<ParsedFile, SchemaError> {
        match Parser::new().parse_ast(text, &source.path.rel) {
            Ok(doc) => Ok(ParsedFile { source, doc }),
            Err(with_errors) => Err(SchemaError::from_diagnostics(&with_errors.errors)),
        }
    }

    /// Whether the file was parsed in pieces: each has a source of its own.
    fn in_pieces(&self) -> bool {
        self.doc.sources.len() > 1
    }
}

#[derive(Debug, Clone)]
pub struct LoadedSchema {
    pub files: Vec<ParsedFile>,
    pub schema: Schema,
    pub federation: FederationNames,
    /// Whether one of the files declares `directive @migrate` itself.
    pub declares_migrate: bool,
    /// Validation errors tolerated by `load_lenient`.
    pub invalid: Vec<Invalidity>,
    /// Built but not validated yet (`load_lenient_unvalidated`).
    validation_pending: bool,
}

/// What building a schema gives besides its files.
struct Built {
    schema: Schema,
    federation: FederationNames,
    declares_migrate: bool,
    invalid: Vec<Invalidity>,
}

/// A lenient schema's validation, run on a copy of it beside other work
/// ([`LoadedSchema::validation`]) and handed back when done
/// ([`LoadedSchema::validated`]).
#[derive(Debug)]
pub struct Validation {
    /// The schema as validated: validation drops unused built-in scalars.
    schema: Schema,
    invalid: Vec<Invalidity>,
}

impl Validation {
    /// What the validation found.
    pub fn invalid(&self) -> &[Invalidity] {
        &self.invalid
    }
}

/// One validation error, located.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Invalidity {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

impl Invalidity {
    /// The errors of a schema built from `files`. The line of an error in
    /// one of them comes from ferry's own index of the file, as every
    /// other line ferry reports does: apollo-compiler's would first index
    /// the characters of the whole file (of a 1.2 MB monolith, more work
    /// than building its schema).
    fn list(errors: &DiagnosticList, files: &[ParsedFile]) -> Vec<Invalidity> {
        errors
            .iter()
            .map(|d| {
                let location = d.error.location();
                let path = location
                    .and_then(|loc| d.sources.get(&loc.file_id()))
                    .map(|f| f.path().display().to_string());
                let in_file = location.zip(path.as_deref()).and_then(|(loc, path)| {
                    let file = files.iter().find(|f| f.source.path.rel == path)?;
                    Some(file.source.line_col(loc.offset()).0)
                });
                Invalidity {
                    line: in_file.or_else(|| d.line_column_range().map(|r| r.start.line)),
                    file: path,
                    message: clip_lines(&d.error.to_string()),
                }
            })
            .collect()
    }
}

impl SchemaError {
    fn from_diagnostics(errors: &DiagnosticList) -> SchemaError {
        let first = errors.iter().next();
        let summary = match first {
            Some(diag) => {
                let position = diag
                    .line_column_range()
                    .map(|r| format!(":{}:{}", r.start.line, r.start.column))
                    .unwrap_or_default();
                let file = diag
                    .error
                    .location()
                    .and_then(|loc| diag.sources.get(&loc.file_id()))
                    .map(|f| f.path().display().to_string())
                    .unwrap_or_default();
                clip_lines(&format!("{file}{position}: {}", diag.error))
            }
            None => "invalid schema".into(),
        };
        // Later errors mostly cascade from the first ones.
        const SHOWN: usize = 3;
        let mut report: String = errors
            .iter()
            .take(SHOWN)
            .map(|d| clip_lines(&d.to_string()))
            .collect();
        if errors.len() > SHOWN {
            report.push_str(&format!("… and {} more errors\n", errors.len() - SHOWN));
        }
        SchemaError::Invalid { summary, report }
    }
}

/// The share of files parsed with nothing beside them.
fn alone(sources: &[SourceFile]) -> Share {
    Share::alone(sources.iter().map(|s| s.text.len()).sum())
}

/// The longest line a diagnostic echoes, in characters: one bad line of a
/// megabyte (minified SDL, a generated name) must not print megabytes.
const LONGEST_ECHOED_LINE: usize = 200;

/// `text` with every line cut to [`LONGEST_ECHOED_LINE`] characters.
fn clip_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        match body.char_indices().nth(LONGEST_ECHOED_LINE) {
            Some((cut, _)) => {
                let rest = body[cut..].chars().count();
                out.push_str(&body[..cut]);
                out.push_str(&format!("… ({rest} more characters)"));
            }
            None => out.push_str(body),
        }
        out.push_str(end);
    }
    out
}

impl LoadedSchema {
    /// Parses every file, then builds and validates them as one subgraph.
    pub fn load(sources: Vec<SourceFile>) -> Result<LoadedSchema, SchemaError> {
        let share = alone(&sources);
        Self::load_in(sources, share)
    }

    /// [`LoadedSchema::load`] of files parsed beside other SDL: `share`
    /// says where the first of them falls among it, the rest follow.
    pub fn load_in(sources: Vec<SourceFile>, share: Share) -> Result<LoadedSchema, SchemaError> {
        let files = Self::parse_all(sources, share)?;
        Self::build(files)
    }

    fn parse_all(sources: Vec<SourceFile>, share: Share) -> Result<Vec<ParsedFile>, SchemaError> {
        let mut start = share.start;
        sources
            .into_iter()
            .map(|source| {
                let file_share = Share { start, ..share };
                start += source.text.len();
                ParsedFile::parse_in(source, file_share)
            })
            .collect()
    }

    /// The same files read again (`sources`), reusing this schema's work:
    /// a file whose text is unchanged keeps its AST, and when no file
    /// changed (the same paths, the same bytes) the built and validated
    /// schema is kept as it is. `lenient` as for `load_lenient`.
    pub fn reload(
        &self,
        sources: Vec<SourceFile>,
        lenient: bool,
    ) -> Result<LoadedSchema, SchemaError> {
        let unchanged = |source: &SourceFile| {
            self.file(&source.path.rel)
                .filter(|old| old.source.text == source.text && old.source.exists == source.exists)
        };
        if sources.len() == self.files.len()
            && sources
                .iter()
                .zip(&self.files)
                .all(|(new, old)| new.path == old.source.path && unchanged(new).is_some())
        {
            return Ok(self.clone());
        }
        let files = sources
            .into_iter()
            .map(|source| match unchanged(&source) {
                Some(old) => Ok(old.clone()),
                None => ParsedFile::parse(source),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::build_with(files, lenient)
    }

    /// Builds and validates already-parsed files (after an edit, say).
    pub fn build(files: Vec<ParsedFile>) -> Result<LoadedSchema, SchemaError> {
        Self::build_with(files, false)
    }

    /// Like `load`, but a schema that parses and does not validate is still
    /// returned, its errors listed in `invalid`: for the monolith's SDL,
    /// which ferry reads and never writes (exported SDL is not always valid).
    pub fn load_lenient(sources: Vec<SourceFile>) -> Result<LoadedSchema, SchemaError> {
        let loaded = Self::load_lenient_unvalidated(sources)?;
        let validation = loaded.validation();
        Ok(loaded.validated(validation))
    }

    /// `load_lenient` in two steps, for a caller with other work to do
    /// while the validation runs: this one parses and builds; the schema
    /// may be read at once, and [`LoadedSchema::validation`] then
    /// [`LoadedSchema::validated`] finish the load.
    pub fn load_lenient_unvalidated(sources: Vec<SourceFile>) -> Result<LoadedSchema, SchemaError> {
        let share = alone(&sources);
        Self::load_lenient_unvalidated_in(sources, share)
    }

    /// [`LoadedSchema::load_lenient_unvalidated`] of files parsed beside
    /// other SDL, as for [`LoadedSchema::load_in`].
    pub fn load_lenient_unvalidated_in(
        sources: Vec<SourceFile>,
        share: Share,
    ) -> Result<LoadedSchema, SchemaError> {
        Self::load_lenient_unvalidated_beside(sources, share, |_| ()).map(|(loaded, ())| loaded)
    }

    /// [`LoadedSchema::load_lenient_unvalidated_in`], with `beside` run
    /// over the parsed files on the other cores while the schema builds
    /// on one (the build is one core's work; what the caller reads from
    /// the files alone need not wait for it).
    pub fn load_lenient_unvalidated_beside<T: Send>(
        sources: Vec<SourceFile>,
        share: Share,
        beside: impl FnOnce(&[ParsedFile]) -> T + Send,
    ) -> Result<(LoadedSchema, T), SchemaError> {
        let files = Self::parse_all(sources, share)?;
        let (built, made) = rayon::join(|| Self::built(&files, true), || beside(&files));
        let mut loaded = Self::assembled(files, built?);
        loaded.validation_pending = true;
        Ok((loaded, made))
    }

    /// Whether [`LoadedSchema::validated`] is still to be called.
    pub fn validation_pending(&self) -> bool {
        self.validation_pending
    }

    /// The lenient validation of (a copy of) this schema.
    pub fn validation(&self) -> Validation {
        let (schema, invalid) = match self.schema.clone().validate() {
            Ok(valid) => (valid.into_inner(), Vec::new()),
            Err(e) => (e.partial, Invalidity::list(&e.errors, &self.files)),
        };
        Validation { schema, invalid }
    }

    /// This schema as its `validation` left it, the errors it found added
    /// after the build's.
    pub fn validated(mut self, validation: Validation) -> LoadedSchema {
        self.schema = validation.schema;
        self.invalid.extend(validation.invalid);
        self.validation_pending = false;
        self
    }

    fn build_with(files: Vec<ParsedFile>, lenient: bool) -> Result<LoadedSchema, SchemaError> {
        let loaded = Self::build_unvalidated(files, lenient)?;
        if lenient {
            let validation = loaded.validation();
            return Ok(loaded.validated(validation));
        }
        match loaded.schema.validate() {
            Ok(valid) => Ok(LoadedSchema {
                schema: valid.into_inner(),
                ..loaded
            }),
            Err(e) => Err(Self::strict_error(&loaded.files, &e.errors)),
        }
    }

    /// What a schema built from `files` fails with, as apollo-compiler
    /// reports it: file:line:col, the source line, a caret. Inside a later
    /// piece of a file parsed in pieces its lines and columns are not the
    /// file's (`chunked_parse`), so such files are parsed again whole and
    /// the schema built again for the report. Only a failing load pays.
    fn strict_error(files: &[ParsedFile], errors: &DiagnosticList) -> SchemaError {
        if !files.iter().any(ParsedFile::in_pieces) {
            return SchemaError::from_diagnostics(errors);
        }
        let whole = files
            .iter()
            .map(|file| match file.in_pieces() {
                true => {
                    ParsedFile::parse_whole(file.source.clone(), file.source.parse_text().into())
                }
                false => Ok(file.clone()),
            })
            .collect::<Result<Vec<_>, _>>();
        match whole.and_then(|whole| Self::build_with(whole, false)) {
            Err(error) => error,
            Ok(_) => SchemaError::from_diagnostics(errors),
        }
    }

    fn build_unvalidated(
        files: Vec<ParsedFile>,
        lenient: bool,
    ) -> Result<LoadedSchema, SchemaError> {
        let built = Self::built(&files, lenient)?;
        Ok(Self::assembled(files, built))
    }

    /// The schema of `files`, built without validation.
    fn built(files: &[ParsedFile], lenient: bool) -> Result<Built, SchemaError> {
        let federation = FederationNames::detect(files.iter().map(|f| &f.doc));
        // Borrowed: a monolith defines thousands of names, the prelude
        // asks after a dozen.
        let defined: FxHashSet<&str> = files.iter().flat_map(|f| defined_names(&f.doc)).collect();
        let declares_migrate = defined.contains("migrate");
        let prelude_text = federation.prelude(&defined);
        let prelude = Parser::new()
            .parse_ast(prelude_text, PRELUDE_PATH)
            .expect("the federation prelude is valid SDL");
        let mut builder = Schema::builder()
            .adopt_orphan_extensions()
            .add_ast(&prelude);
        for file in files {
            builder = builder.add_ast(&file.doc);
        }
        let mut invalid = Vec::new();
        let schema = match builder.build() {
            Ok(schema) => schema,
            Err(e) if lenient => {
                invalid.extend(Invalidity::list(&e.errors, files));
                e.partial
            }
            Err(e) => return Err(Self::strict_error(files, &e.errors)),
        };
        Ok(Built {
            schema,
            federation,
            declares_migrate,
            invalid,
        })
    }

    fn assembled(files: Vec<ParsedFile>, built: Built) -> LoadedSchema {
        let Built {
            schema,
            federation,
            declares_migrate,
            invalid,
        } = built;
        LoadedSchema {
            files,
            schema,
            federation,
            declares_migrate,
            invalid,
            validation_pending: false,
        }
    }

    pub fn file(&self, rel: &str) -> Option<&ParsedFile> {
        self.files.iter().find(|f| f.source.path.rel == rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::chunked_parse::on_threads;

    fn source(rel: &str, text: &str) -> SourceFile {
        let root = std::path::Path::new("/w");
        let path = crate::workspace::WorkspacePath::new(root, root.join(rel));
        SourceFile::new(path, text.into(), true)
    }

    /// The 1-based line, counted in `\n`, of the `nth` (0-based) `needle`.
    fn line_of(text: &str, needle: &str, nth: usize) -> usize {
        let at = text.match_indices(needle).nth(nth).expect("in the text").0;
        text[..at].matches('\n').count() + 1
    }

    /// A file large enough to be parsed in pieces, its one error (an
    /// unknown type) near its end. The first half's descriptions hold
    /// what apollo-compiler's diagnostics also count as line ends.
    fn large_file_with_a_late_error() -> String {
        let mut text = String::from("type Query { a: Int }\n");
        for i in 0..4_000 {
            text.push_str(&format!(
                "\n\"\"\"T{i}\rone\r\ntwo\u{b}\u{c}three\u{85}four\u{2028}é\"\"\"\ntype T{i} {{\n  a: Int\n  b(x: String = \"#\"): Int\n}}\n"
            ));
        }
        for i in 0..4_000 {
            text.push_str(&format!("\ntype U{i} {{\n  a: Int\n}}\n"));
        }
        text.push_str("\ntype Broken {\n  a: Missing\n}\n");
        text
    }

    #[test]
    fn a_failing_file_parsed_in_pieces_is_reported_as_parsed_whole() {
        let text = large_file_with_a_late_error();
        assert!(chunked_parse::parse_alone_on(2, &text, "s.graphql").is_some());
        let report = |threads| {
            let error = on_threads(threads, || {
                LoadedSchema::load(vec![source("s.graphql", &text)]).unwrap_err()
            });
            error.to_string()
        };
        // One thread never cuts a file.
        let whole = report(1);
        assert!(whole.contains("Missing"), "{whole}");
        assert_eq!(report(2), whole);
        assert_eq!(report(4), whole);
    }

    #[test]
    fn a_tolerated_error_in_a_later_piece_is_on_the_files_own_line() {
        let text = large_file_with_a_late_error();
        let lines = on_threads(2, || {
            let loaded = LoadedSchema::load_lenient(vec![source("s.graphql", &text)]).unwrap();
            assert!(loaded.files[0].in_pieces());
            loaded.invalid.iter().map(|i| i.line).collect::<Vec<_>>()
        });
        assert_eq!(lines, [Some(line_of(&text, "Missing", 0))]);
    }

    #[test]
    fn tolerated_errors_are_on_the_lines_an_editor_shows() {
        // A byte-order mark, CRLF line ends, and a description holding
        // what apollo-compiler's own diagnostics also count as line ends
        // (a vertical tab, a form feed, NEL, U+2028): none moves a line.
        let first = "\u{feff}type Query {\r\n  a: Int\r\n}\r\n\"\"\"one\u{b}two\u{c}three\u{85}four\u{2028}five\"\"\"\r\ntype T {\r\n  a: Int\r\n  a: Int\r\n}\r\n";
        let second = "type U {\n  b: Missing\n}\n";
        let loaded = LoadedSchema::load_lenient(vec![
            source("a.graphql", first),
            source("b.graphql", second),
        ])
        .unwrap();
        let mut found: Vec<(Option<&str>, Option<usize>)> = loaded
            .invalid
            .iter()
            .map(|i| (i.file.as_deref(), i.line))
            .collect();
        found.sort();
        // The duplicate is reported at its second definition.
        assert_eq!(
            found,
            [
                (Some("a.graphql"), Some(line_of(first, "  a: Int", 2))),
                (Some("b.graphql"), Some(line_of(second, "Missing", 0))),
            ]
        );
    }

    #[test]
    fn long_lines_are_clipped_on_a_character_boundary() {
        let line = "é".repeat(1000);
        let clipped = clip_lines(&format!("a\n{line}\nb"));
        let lines: Vec<&str> = clipped.lines().collect();
        assert_eq!(lines[0], "a");
        assert!(lines[1].starts_with(&"é".repeat(LONGEST_ECHOED_LINE)));
        assert!(lines[1].ends_with("… (800 more characters)"));
        assert_eq!(lines[2], "b");
    }
}
