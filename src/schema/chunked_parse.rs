//! Parsing one large SDL file on every core: the file is cut at top-level
//! definitions and each piece is parsed on its own, padded with the
//! preceding text blanked out so that every byte offset and line number is
//! the file's own. Any doubt about a cut (a piece that does not parse) falls
//! back to parsing the whole file at once, so the result is never different.

use apollo_compiler::ast;
use rayon::prelude::*;
use std::sync::Arc;

/// Below this size one parse is as fast as splitting.
const MIN_SIZE: usize = 256 * 1024;

/// How a top-level definition (or its description) starts a line.
const KEYWORDS: [&str; 10] = [
    "\"",
    "type ",
    "extend ",
    "interface ",
    "union ",
    "enum ",
    "input ",
    "scalar ",
    "directive ",
    "schema ",
];

/// Where one file's text falls among all the SDL parsed at the same time:
/// in a cold load the monolith's and every service's files parse at once,
/// and the cores are shared out evenly over all of those bytes, as if the
/// files stood end to end. A file is cut where one core's share ends
/// inside it, so a monolith parsed beside a service leaves that service's
/// core a smaller piece, and a service smaller than a share is not cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    /// How many bytes of the SDL parsed at the same time come before it.
    pub start: usize,
    /// How many bytes are parsed at the same time, this file's included.
    pub total: usize,
}

impl Share {
    /// A file parsed on its own.
    pub fn alone(len: usize) -> Share {
        Share {
            start: 0,
            total: len,
        }
    }

    /// Offsets in a text of `len` bytes where the shares of `pieces`
    /// cores end.
    fn targets(self, len: usize, pieces: usize) -> Vec<usize> {
        let step = self.total / pieces.max(1);
        (1..pieces)
            .map(|i| i * step)
            .filter(|&end| end > self.start && end < self.start + len)
            .map(|end| end - self.start)
            .collect()
    }
}

/// Byte offsets where a top-level definition (or its description) starts a
/// line after a blank line, outside block strings: the first such line at
/// or after each of `pieces - 1` evenly spaced offsets.
#[cfg(test)]
fn cut_points(text: &str, pieces: usize) -> Vec<usize> {
    let step = text.len() / pieces;
    cut_points_at(text, (1..pieces).map(|i| i * step))
}

/// Byte offsets where a top-level definition (or its description) starts a
/// line after a blank line, outside block strings: the first such line at
/// or after each of `targets`. Only the lines near those offsets are
/// looked at; the block strings are found in one pass.
fn cut_points_at(text: &str, targets: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let bytes = text.as_bytes();
    // Where each block string opens or closes; escaped delimiters (\""")
    // do not count. A line starts inside a block string when an odd
    // number of them come before it.
    let mut delimiters = Vec::new();
    let mut previous_end = 0;
    for at in memchr::memmem::find_iter(bytes, b"\"\"\"") {
        if at == previous_end || bytes[at - 1] != b'\\' {
            delimiters.push(at);
        }
        previous_end = at + 3;
    }
    let inside_block_string = |offset: usize| delimiters.partition_point(|&d| d < offset) % 2 == 1;
    let next_line = |from: usize| {
        bytes[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|at| from + at + 1)
    };
    let is_cut = |line: usize| {
        let previous = bytes[..line - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |at| at + 1);
        text[previous..line].trim().is_empty()
            && KEYWORDS.iter().any(|k| text[line..].starts_with(k))
            && !inside_block_string(line)
    };
    targets
        .into_iter()
        .filter_map(|target| {
            let mut line = if target > 0 && bytes[target - 1] == b'\n' {
                target
            } else {
                next_line(target)?
            };
            while line < bytes.len() {
                if is_cut(line) {
                    return Some(line);
                }
                line = next_line(line)?;
            }
            None
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Parses `text` (as `path`) in pieces when it is large, cut where the
/// cores' shares of the SDL parsed with it end (`share`); `None` when it is
/// small, no share ends inside it or a piece does not parse, and the caller
/// parses it whole.
pub fn parse(text: &str, path: &str, share: Share) -> Option<ast::Document> {
    let pieces = rayon::current_num_threads().min(8);
    if text.len() < MIN_SIZE || pieces < 2 {
        return None;
    }
    let mut cuts = cut_points_at(text, share.targets(text.len(), pieces));
    if cuts.is_empty() {
        return None;
    }
    cuts.insert(0, 0);
    cuts.push(text.len());
    let ranges: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let documents: Vec<Option<ast::Document>> = ranges
        .par_iter()
        .map(|&(start, end)| {
            let mut padded = Vec::with_capacity(end);
            padded.extend(
                text.as_bytes()[..start]
                    .iter()
                    .map(|&b| if b == b'\n' { b'\n' } else { b' ' }),
            );
            padded.extend_from_slice(&text.as_bytes()[start..end]);
            let padded = String::from_utf8(padded).expect("blanks, then whole lines of a str");
            ast::Document::parse(padded, path).ok()
        })
        .collect();
    let mut documents = documents.into_iter();
    let mut merged = documents.next()??;
    for document in documents {
        let document = document?;
        Arc::make_mut(&mut merged.sources).extend(
            document
                .sources
                .iter()
                .map(|(id, file)| (*id, file.clone())),
        );
        merged.definitions.extend(document.definitions);
    }
    Some(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_give_the_same_definitions_and_offsets_as_one_parse() {
        let mut text =
            String::from("\"\"\"\nA description.\n\ntype NotADefinition {\n\"\"\"\nscalar Time\n");
        for i in 0..6_000 {
            text.push_str(&format!(
                "\n\"\"\"T{i}.\"\"\"\ntype T{i} {{\n  a: Int\n  b(x: String = \"#\"): Time\n}}\n"
            ));
        }
        assert!(text.len() > MIN_SIZE);
        let whole = ast::Document::parse(text.clone(), "s.graphql").unwrap();
        let pieces = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(|| parse(&text, "s.graphql", Share::alone(text.len())))
            .expect("splits");
        assert_eq!(whole.definitions.len(), pieces.definitions.len());
        for (a, b) in whole.definitions.iter().zip(&pieces.definitions) {
            assert_eq!(a.name(), b.name());
            let (la, lb) = (a.location().unwrap(), b.location().unwrap());
            assert_eq!(
                (la.offset(), la.end_offset()),
                (lb.offset(), lb.end_offset())
            );
        }
    }

    #[test]
    fn githubs_schema_in_pieces_is_githubs_schema() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/github/schema.graphql"
        ))
        .unwrap();
        let whole = ast::Document::parse(text.clone(), "github.graphql").unwrap();
        let pieces = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap()
            .install(|| parse(&text, "github.graphql", Share::alone(text.len())))
            .expect("GitHub's SDL splits");
        assert_eq!(whole.to_string(), pieces.to_string());
        let spans = |doc: &ast::Document| -> Vec<(usize, usize)> {
            doc.definitions
                .iter()
                .map(|d| d.location().unwrap())
                .map(|l| (l.offset(), l.end_offset()))
                .collect()
        };
        assert_eq!(spans(&whole), spans(&pieces));
    }

    /// Every candidate line, scanned line by line from the start: what
    /// `cut_points` picks from without reading every line.
    fn every_cut_line(text: &str) -> Vec<usize> {
        let mut candidates = Vec::new();
        let (mut in_block_string, mut previous_blank, mut offset) = (false, false, 0);
        for line in text.split_inclusive('\n') {
            if !in_block_string && previous_blank && KEYWORDS.iter().any(|k| line.starts_with(k)) {
                candidates.push(offset);
            }
            let mut rest = line;
            while let Some(at) = rest.find("\"\"\"") {
                if !rest[..at].ends_with('\\') {
                    in_block_string = !in_block_string;
                }
                rest = &rest[at + 3..];
            }
            previous_blank = line.trim().is_empty();
            offset += line.len();
        }
        candidates
    }

    #[test]
    fn each_cut_is_the_first_candidate_line_at_or_after_its_share() {
        let github = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/github/schema.graphql"
        ))
        .unwrap();
        let tricky = "\"\"\"\n\ntype A {\n\\\"\"\"\n\ntype B {\n\"\"\"\r\n  \r\nscalar C\n\n\"\"\"\"\"\"\n\ninput D { a: Int }\n\n\nenum E { F }\n";
        for text in [github.as_str(), tricky] {
            let candidates = every_cut_line(text);
            for pieces in [2, 3, 5, 8, 40] {
                let step = text.len() / pieces;
                let expected: Vec<usize> = (1..pieces)
                    .filter_map(|i| candidates.iter().copied().find(|&c| c >= i * step))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                assert_eq!(cut_points(text, pieces), expected, "{pieces} pieces");
            }
        }
    }

    #[test]
    fn a_file_parsed_beside_others_is_cut_where_the_cores_shares_end() {
        let github = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/github/schema.graphql"
        ))
        .unwrap();
        let len = github.len();
        let candidates = every_cut_line(&github);
        let first_at = |offset: usize| candidates.iter().copied().find(|&c| c >= offset);
        // A monolith with a service half its size after it, two cores: the
        // monolith's first piece is one core's share of both files.
        let beside = Share {
            start: 0,
            total: len + len / 2,
        };
        let share = (len + len / 2) / 2;
        assert_eq!(beside.targets(len, 2), vec![share]);
        assert_eq!(
            cut_points_at(&github, beside.targets(len, 2)),
            vec![first_at(share).unwrap()]
        );
        // A file that falls inside one core's share (after a monolith
        // twice its size, two cores) is not cut, and is then parsed whole.
        let after = Share {
            start: 2 * len,
            total: 3 * len,
        };
        assert!(after.targets(len, 2).is_empty());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        assert!(
            pool.install(|| parse(&github, "github.graphql", after))
                .is_none()
        );
        // Its own share, alone: the even cuts, as before.
        assert_eq!(
            Share::alone(len).targets(len, 3),
            vec![len / 3, 2 * (len / 3)]
        );
        let beside_doc = pool
            .install(|| parse(&github, "github.graphql", beside))
            .expect("cut where the share ends");
        let whole = ast::Document::parse(github.clone(), "github.graphql").unwrap();
        assert_eq!(whole.to_string(), beside_doc.to_string());
    }

    #[test]
    fn a_cut_inside_a_block_string_is_never_made() {
        let text = "\"\"\"\n\ntype Inside {\n\"\"\"\nscalar A\n\ntype B { a: Int }\n";
        let cuts = cut_points(text, 4);
        assert_eq!(cuts, vec![text.find("type B").unwrap()]);
    }
}
