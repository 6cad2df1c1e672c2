//! The Python a resolver replaces, quoted as Go `//` comments inside the
//! stub's body. Inside the body, not above it: gqlgen keeps a method's body
//! byte for byte when it regenerates the file, but rewrites its doc comment.
//!
//! A `//` comment ends only at a newline, so `*/`, backticks and quotes in the
//! Python cannot end it; what Go rejects in source (NUL, a byte-order mark,
//! other control characters) is written escaped, and trailing blanks are
//! dropped as gofmt would drop them.

use super::QuotedPython;
use crate::golang::STUB_MARKER;

/// The comment lines, `//` included, that open a generated body.
pub(crate) fn body_comments(quote: Option<&QuotedPython>) -> Vec<String> {
    let mut lines = Vec::new();
    match quote {
        Some(quote) => {
            lines.push(format!(
                "// Python resolver, {}:{}:",
                sanitize(&quote.file),
                quote.line
            ));
            quote_source(&quote.source, &mut lines);
            if let Some((file, line, source)) = &quote.logic {
                lines.push("//".to_string());
                lines.push(format!("// Mutation logic, {}:{}:", sanitize(file), line));
                quote_source(source, &mut lines);
            }
            lines.push("//".to_string());
            lines.push(format!(
                "{STUB_MARKER} - port the Python above, then delete this comment and the panic."
            ));
        }
        None => lines.push(format!(
            "{STUB_MARKER} - write this resolver, then delete this comment and the panic."
        )),
    }
    lines
}

fn quote_source(source: &str, lines: &mut Vec<String>) {
    lines.push("//".to_string());
    let normalized = source.replace("\r\n", "\n").replace('\r', "\n");
    let source_lines: Vec<&str> = normalized.trim_matches('\n').split('\n').collect();
    let indent = common_indent(&source_lines);
    for line in source_lines {
        let line = line.get(indent..).unwrap_or("").trim_end();
        if line.is_empty() {
            lines.push("//".to_string());
        } else {
            lines.push(format!("//\t{}", sanitize(line)));
        }
    }
}

/// The leading whitespace every non-blank line shares, in bytes.
fn common_indent(lines: &[&str]) -> usize {
    let mut prefix: Option<&str> = None;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        prefix = Some(match prefix {
            None => indent,
            Some(current) => {
                let shared = current
                    .bytes()
                    .zip(indent.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                &current[..shared]
            }
        });
    }
    prefix.map_or(0, str::len)
}

/// Text Go accepts inside a `//` comment, on one line, that reads as its
/// bytes: invisible and bidirectional format characters (which can make a
/// comment display differently from what it holds) are written escaped.
fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push('\t'),
            c if is_invisible(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Unicode's format characters (category Cf) and line separators: soft
/// hyphen, zero-width spaces and joiners, bidirectional embeddings,
/// overrides and isolates, the byte-order mark, tags.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}' | '\u{0600}'..='\u{0605}' | '\u{06dd}'
        | '\u{070f}' | '\u{110bd}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_the_resolver_and_the_mutation_logic() {
        let quote = QuotedPython {
            file: "webapp/assignments/types.py".to_string(),
            line: 88,
            source:
                "    def resolve_created_date(self, info):  \n\n        return self.created_date\n"
                    .to_string(),
            logic: Some((
                "webapp/assignments/mutations.py".to_string(),
                40,
                "def perform_mutation(cls, root, info):\n    return cls()".to_string(),
            )),
        };
        assert_eq!(
            body_comments(Some(&quote)),
            vec![
                "// Python resolver, webapp/assignments/types.py:88:",
                "//",
                "//\tdef resolve_created_date(self, info):",
                "//",
                "//\t    return self.created_date",
                "//",
                "// Mutation logic, webapp/assignments/mutations.py:40:",
                "//",
                "//\tdef perform_mutation(cls, root, info):",
                "//\t    return cls()",
                "//",
                "// ferry:stub - port the Python above, then delete this comment and the panic.",
            ]
        );
    }

    #[test]
    fn nothing_in_the_python_can_break_the_comment() {
        let quote = QuotedPython {
            file: "a\nb.py".to_string(),
            line: 1,
            source: "s = '*/ `x` \u{0}\u{feff} é'\r\nt = 1\rprint 'ok'".to_string(),
            logic: None,
        };
        let lines = body_comments(Some(&quote));
        assert_eq!(lines[0], "// Python resolver, a\\x0ab.py:1:");
        assert_eq!(lines[2], "//\ts = '*/ `x` \\x00\\ufeff é'");
        assert_eq!(lines[3], "//\tt = 1");
        assert_eq!(lines[4], "//\tprint 'ok'");
        assert!(lines.iter().all(|l| !l.contains('\n') && !l.contains('\r')));
    }

    #[test]
    fn invisible_and_bidirectional_characters_are_written_escaped() {
        let quote = QuotedPython {
            file: "a.py".to_string(),
            line: 1,
            source:
                "access = \"user\u{202e} \u{2066}// admin\u{2069}\u{2066}\" # x\u{200b}y\u{00ad}z"
                    .to_string(),
            logic: None,
        };
        let lines = body_comments(Some(&quote));
        assert_eq!(
            lines[2],
            "//\taccess = \"user\\u202e \\u2066// admin\\u2069\\u2066\" # x\\u200by\\u00adz"
        );
    }

    #[test]
    fn without_python_only_the_marker_remains() {
        let lines = body_comments(None);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with(STUB_MARKER));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // Whatever the Python holds, every line is one `//` comment Go
        // accepts, with nothing gofmt would strip.
        #[test]
        fn any_python_quotes_as_clean_comments(source in any::<String>(), file in any::<String>()) {
            let quote = QuotedPython { file, line: 1, source: source.clone(), logic: Some(("l.py".into(), 2, source)) };
            for line in body_comments(Some(&quote)) {
                prop_assert!(line.starts_with("//"));
                prop_assert!(!line.chars().any(|c| c.is_control() && c != '\t'), "{line:?}");
                prop_assert!(!line.chars().any(is_invisible), "{:?}", line);
                prop_assert_eq!(line.trim_end(), line.as_str());
            }
        }
    }
}
