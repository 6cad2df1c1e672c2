//! Replacing byte ranges of a text; every byte outside them is kept.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub range: Range<usize>,
    pub text: String,
}

impl Splice {
    pub fn insert(at: usize, text: impl Into<String>) -> Splice {
        Splice {
            range: at..at,
            text: text.into(),
        }
    }

    pub fn delete(range: Range<usize>) -> Splice {
        Splice {
            range,
            text: String::new(),
        }
    }

    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Splice {
        Splice {
            range,
            text: text.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("internal error: edits overlap at bytes {first:?} and {second:?}")]
pub struct OverlapError {
    pub first: Range<usize>,
    pub second: Range<usize>,
}

/// Applies splices given against the same original text. Insertions at the
/// same offset keep their order; overlapping deletions merge; any other
/// overlap is a bug in the plan and is refused.
pub fn apply(original: &str, splices: &[Splice]) -> Result<String, OverlapError> {
    let mut ordered: Vec<(usize, &Splice)> = splices.iter().enumerate().collect();
    ordered.sort_by_key(|(i, s)| (s.range.start, s.range.end, *i));
    let mut merged: Vec<Splice> = Vec::with_capacity(ordered.len());
    for (_, splice) in ordered {
        if let Some(last) = merged.last_mut() {
            let overlaps = splice.range.start < last.range.end;
            if overlaps {
                if last.text.is_empty() && splice.text.is_empty() {
                    last.range.end = last.range.end.max(splice.range.end);
                    continue;
                }
                return Err(OverlapError {
                    first: last.range.clone(),
                    second: splice.range.clone(),
                });
            }
        }
        merged.push(splice.clone());
    }
    let mut out =
        String::with_capacity(original.len() + merged.iter().map(|s| s.text.len()).sum::<usize>());
    let mut cursor = 0;
    for splice in &merged {
        out.push_str(&original[cursor..splice.range.start]);
        out.push_str(&splice.text);
        cursor = splice.range.end;
    }
    out.push_str(&original[cursor..]);
    Ok(out)
}

/// Start of the removal that undoes an insertion after the previous token:
/// the whitespace run before `start` back to the last non-whitespace byte.
pub fn whitespace_before(text: &str, start: usize) -> usize {
    text[..start].trim_end_matches(IGNORED).len()
}

/// What GraphQL ignores between tokens (commas included).
const IGNORED: [char; 5] = [' ', '\t', '\r', '\n', ','];

/// End of the whitespace run after `end`.
pub fn whitespace_after(text: &str, end: usize) -> usize {
    end + (text[end..].len() - text[end..].trim_start_matches(IGNORED).len())
}

/// The range that removes a definition (or field, or directive) inserted
/// by ferry together with the separator inserted with it: back to the
/// previous token, or, when no token precedes it (only comments, say) and
/// one follows, forward to the next one: it was inserted before that.
pub fn removal_range(text: &str, span: Range<usize>, content_start: usize) -> Range<usize> {
    let before = whitespace_before(text, span.start);
    let after = whitespace_after(text, span.end);
    let no_token_before = before <= content_start || only_comments(&text[content_start..before]);
    if no_token_before && (before <= content_start || after < text.len()) {
        span.start..after
    } else {
        before..span.end
    }
}

/// Whether `text` holds only comment lines and blanks. A `#` in a string
/// cannot start a line outside it: a block string ends with a `"""` line.
fn only_comments(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start_matches([' ', '\t', ',', '\u{feff}']);
        line.is_empty() || line.starts_with('#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insertions_at_one_offset_keep_their_order() {
        let out = apply(
            "ab",
            &[
                Splice::insert(1, "1"),
                Splice::insert(1, "2"),
                Splice::delete(0..1),
            ],
        )
        .unwrap();
        assert_eq!(out, "12b");
    }

    #[test]
    fn overlapping_deletions_merge_and_other_overlaps_fail() {
        assert_eq!(
            apply("abcdef", &[Splice::delete(1..3), Splice::delete(2..5)]).unwrap(),
            "af"
        );
        assert!(
            apply(
                "abcdef",
                &[Splice::replace(1..3, "x"), Splice::delete(2..5)]
            )
            .is_err()
        );
    }

    #[test]
    fn a_definition_inserted_before_the_first_after_comments_is_removed_forward() {
        // A comment's trailing blank belongs to the comment.
        let original = "# \n\ntype A {}\n";
        let inserted = "# \n\ndirective @d on FIELD_DEFINITION\n\ntype A {}\n";
        let start = inserted.find("directive").unwrap();
        let end = start + "directive @d on FIELD_DEFINITION".len();
        let range = removal_range(inserted, start..end, 0);
        assert_eq!(apply(inserted, &[Splice::delete(range)]).unwrap(), original);
        // Appended after nothing but a comment: back to it.
        let appended = "# c\n\ntype B {}\n";
        let b = appended.find("type B").unwrap();
        let range = removal_range(appended, b..appended.len() - 1, 0);
        assert_eq!(apply(appended, &[Splice::delete(range)]).unwrap(), "# c\n");
    }

    #[test]
    fn removal_range_mirrors_both_insertion_forms() {
        let after = "type A {}\n\ntype B {}\n";
        let b = after.find("type B").unwrap();
        let range = removal_range(after, b..after.len() - 1, 0);
        assert_eq!(
            apply(after, &[Splice::delete(range)]).unwrap(),
            "type A {}\n"
        );
        let first = "type B {}\n\ntype A {}\n";
        let range = removal_range(first, 0..9, 0);
        assert_eq!(
            apply(first, &[Splice::delete(range)]).unwrap(),
            "type A {}\n"
        );
    }
}
