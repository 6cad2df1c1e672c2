//! Parsing one large SDL file on every core: the file is cut at top-level
//! definitions and each piece is parsed on its own, padded with blanks as
//! long as the text before it, so that every byte offset is the file's
//! own. Any doubt about a cut (a piece that does not parse) falls back to
//! parsing the whole file at once, so the result is never different.
//!
//! The padding holds no line ends: the lines and columns apollo-compiler's
//! diagnostics give inside a later piece are not the file's. ferry never
//! shows them. A tolerated error's line comes from ferry's own index of
//! the file, and a schema that fails is parsed again whole for its report
//! (`LoadedSchema`).

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
    /// cores end. Every piece but the first is parsed after its padding,
    /// the blanked text before it, which the lexer walks too
    /// ([`PADDING_COST`]): a later share is that much shorter, so that
    /// the cores finish together.
    fn targets(self, len: usize, pieces: usize) -> Vec<usize> {
        share_ends(self.total, pieces.max(1))
            .into_iter()
            .filter(|&end| end > self.start && end < self.start + len)
            .map(|end| end - self.start)
            .collect()
    }
}

/// What a byte of padding costs to parse, against a byte of SDL:
/// apollo-parser's lexer spends 26 instructions on each byte of padding
/// ([`blanks`]; writing it is a copy), and 200 (GitHub's schema, long
/// descriptions) to 600 (short fields with arguments) on each byte of
/// SDL, conversion to the AST included (callgrind, apollo-parser 0.8).
/// 0.1 lies between.
const PADDING_COST: f64 = 0.1;

/// Where the first `pieces - 1` of `pieces` cores' shares of `total`
/// bytes end, when a share that starts at `e` also parses `e` bytes of
/// padding: every share then costs the same, `w`. The first ends at `w`,
/// each next one `w + (1 - PADDING_COST) * e` after the one before, and
/// the last, from `e` to `total`, costs `total - (1 - PADDING_COST) * e`.
fn share_ends(total: usize, pieces: usize) -> Vec<usize> {
    let keep = 1.0 - PADDING_COST;
    // The ends in units of w: 1, 1 + keep, 1 + keep + keep², …
    let mut ends = Vec::with_capacity(pieces.saturating_sub(1));
    let mut end = 0.0;
    for _ in 1..pieces {
        end = 1.0 + keep * end;
        ends.push(end);
    }
    let w = total as f64 / (1.0 + keep * end);
    ends.into_iter().map(|e| (e * w).round() as usize).collect()
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
/// parses it whole. `after_first` runs on the core that parsed the first
/// piece, once it has: that piece has no padding and usually ends first,
/// and its core would otherwise wait for the others.
pub fn parse(
    text: &str,
    path: &str,
    share: Share,
    after_first: impl Fn() + Sync,
) -> Option<ast::Document> {
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
            // Written as a String from str pieces: checking 0.6 MB of
            // U+FEFF as UTF-8 again would cost more than writing it.
            let mut padded = String::with_capacity(end);
            blanks(&mut padded, start);
            padded.push_str(&text[start..end]);
            let parsed = ast::Document::parse(padded, path).ok();
            if start == 0 {
                after_first();
            }
            parsed
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

/// `f` run on a pool of `threads`.
#[cfg(test)]
pub(crate) fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

/// `parse` of a file on its own, on a pool of `threads`.
#[cfg(test)]
pub(crate) fn parse_alone_on(threads: usize, text: &str, path: &str) -> Option<ast::Document> {
    on_threads(threads, || {
        parse(text, path, Share::alone(text.len()), || {})
    })
}

/// The padding: `n` bytes of blanks, U+FEFF while three bytes are left,
/// then spaces. The lexer skips U+FEFF as white space at one character
/// for three bytes (it walks every character), and the run of them is
/// one token.
fn blanks(out: &mut String, n: usize) {
    const BYTES: [u8; 3 * 1024] = {
        let mut blanks = [0; 3 * 1024];
        let mut at = 0;
        while at < blanks.len() {
            blanks[at] = 0xEF;
            blanks[at + 1] = 0xBB;
            blanks[at + 2] = 0xBF;
            at += 3;
        }
        blanks
    };
    const BLANKS: &str = match std::str::from_utf8(&BYTES) {
        Ok(blanks) => blanks,
        Err(_) => panic!("U+FEFF, 1,024 times"),
    };
    let mut left = n - n % 3;
    while left > BLANKS.len() {
        out.push_str(BLANKS);
        left -= BLANKS.len();
    }
    out.push_str(&BLANKS[..left]);
    out.push_str(&"  "[..n % 3]);
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
        let pieces = parse_alone_on(4, &text, "s.graphql").expect("splits");
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
    fn after_the_first_piece_runs_once_when_the_file_is_cut() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/github/schema.graphql"
        ))
        .unwrap();
        for (threads, cut) in [(1, false), (2, true), (4, true)] {
            let runs = AtomicUsize::new(0);
            let doc = on_threads(threads, || {
                parse(&text, "github.graphql", Share::alone(text.len()), || {
                    runs.fetch_add(1, Ordering::Relaxed);
                })
            });
            assert_eq!(doc.is_some(), cut);
            assert_eq!(runs.into_inner(), usize::from(cut), "{threads} threads");
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
        let pieces = parse_alone_on(3, &text, "github.graphql").expect("GitHub's SDL splits");
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
        let share = share_ends(len + len / 2, 2)[0];
        assert!(share > (len + len / 2) / 2, "the second share pads");
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
            pool.install(|| parse(&github, "github.graphql", after, || {}))
                .is_none()
        );
        // Alone, it is cut where the three shares end.
        assert_eq!(Share::alone(len).targets(len, 3), share_ends(len, 3));
        let beside_doc = pool
            .install(|| parse(&github, "github.graphql", beside, || {}))
            .expect("cut where the share ends");
        let whole = ast::Document::parse(github.clone(), "github.graphql").unwrap();
        assert_eq!(whole.to_string(), beside_doc.to_string());
    }

    #[test]
    fn padding_is_as_long_as_the_text_and_only_white_space() {
        for n in [0, 1, 2, 3, 4, 3 * 1024, 3 * 1024 + 1, 7 * 1024 + 2] {
            let mut padded = String::from("# before\n");
            blanks(&mut padded, n);
            assert_eq!(padded.len(), "# before\n".len() + n);
            padded.push_str("type Y { a: Int }\n");
            let doc = ast::Document::parse(padded, "s.graphql").unwrap();
            assert_eq!(doc.definitions.len(), 1);
            assert_eq!(doc.definitions[0].location().unwrap().offset(), 9 + n);
        }
    }

    #[test]
    fn every_share_costs_the_same_with_its_padding() {
        for (total, pieces) in [(1_000_000, 2), (2_490_618, 3), (1_223_842, 8), (10, 1)] {
            let ends = share_ends(total, pieces);
            assert_eq!(ends.len(), pieces - 1);
            let mut starts = vec![0];
            starts.extend(&ends);
            let mut stops = ends.clone();
            stops.push(total);
            let costs: Vec<f64> = starts
                .iter()
                .zip(&stops)
                .map(|(&start, &stop)| (stop - start) as f64 + PADDING_COST * start as f64)
                .collect();
            for cost in &costs {
                assert!((cost - costs[0]).abs() <= 2.0, "{costs:?}");
            }
            // Each later share holds less of the SDL.
            let sizes: Vec<usize> = starts.iter().zip(&stops).map(|(a, b)| b - a).collect();
            assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
        }
    }

    #[test]
    fn a_cut_inside_a_block_string_is_never_made() {
        let text = "\"\"\"\n\ntype Inside {\n\"\"\"\nscalar A\n\ntype B { a: Int }\n";
        let cuts = cut_points(text, 4);
        assert_eq!(cuts, vec![text.find("type B").unwrap()]);
    }
}
