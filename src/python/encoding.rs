//! A Python file's text as Python decodes it (PEP 263): UTF-8 unless a
//! byte-order mark or a `coding:` cookie on one of the first two lines says
//! otherwise. Line breaks survive decoding, so line numbers stay the file's.

use std::borrow::Cow;

/// The file's text in UTF-8, and what Python would say about its bytes.
pub struct Decoded<'b> {
    pub text: Cow<'b, [u8]>,
    /// Why Python refuses the file; the text is then decoded with
    /// replacement characters so the rest of it still reads.
    pub problem: Option<String>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let cookie = coding_cookie(bytes);
    let has_bom = bytes.starts_with(BOM);
    let name = cookie.as_deref().map(normal_name);
    match name.as_deref() {
        None | Some("utf-8") => utf8(bytes, cookie.is_some()),
        Some(_) if has_bom => Decoded {
            text: String::from_utf8_lossy(bytes)
                .into_owned()
                .into_bytes()
                .into(),
            problem: Some(format!(
                "starts with a UTF-8 byte-order mark but declares `coding: {}`",
                cookie.unwrap_or_default()
            )),
        },
        Some("iso-8859-1") => Decoded {
            // Every byte is the code point of the same number.
            text: bytes
                .iter()
                .map(|&b| char::from(b))
                .collect::<String>()
                .into_bytes()
                .into(),
            problem: None,
        },
        Some("ascii") => match bytes.iter().position(|b| !b.is_ascii()) {
            None => Decoded {
                text: bytes.into(),
                problem: None,
            },
            Some(at) => Decoded {
                text: String::from_utf8_lossy(bytes)
                    .into_owned()
                    .into_bytes()
                    .into(),
                problem: Some(format!(
                    "byte 0x{:02X} on line {} is not ASCII, which its `coding:` cookie declares",
                    bytes[at],
                    line_of(bytes, at)
                )),
            },
        },
        Some(label) => match encoding_rs::Encoding::for_label(label.as_bytes()) {
            Some(encoding) => {
                let (text, _, had_errors) = encoding.decode(bytes);
                Decoded {
                    problem: had_errors.then(|| {
                        format!(
                            "has bytes that are not {}, which its `coding:` cookie declares",
                            encoding.name()
                        )
                    }),
                    text: text.into_owned().into_bytes().into(),
                }
            }
            None => Decoded {
                text: String::from_utf8_lossy(bytes)
                    .into_owned()
                    .into_bytes()
                    .into(),
                problem: Some(format!(
                    "declares `coding: {label}`, an encoding ferry does not know"
                )),
            },
        },
    }
}

fn utf8(bytes: &[u8], declared: bool) -> Decoded<'_> {
    match std::str::from_utf8(bytes) {
        Ok(_) => Decoded {
            text: bytes.into(),
            problem: None,
        },
        Err(error) => {
            let at = error.valid_up_to();
            let cause = if declared {
                "as its `coding:` cookie declares"
            } else {
                "and it has no `# -*- coding: … -*-` cookie naming its encoding"
            };
            Decoded {
                text: String::from_utf8_lossy(bytes)
                    .into_owned()
                    .into_bytes()
                    .into(),
                problem: Some(format!(
                    "byte 0x{:02X} on line {} is not UTF-8 {cause}",
                    bytes[at],
                    line_of(bytes, at)
                )),
            }
        }
    }
}

fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The encoding a `coding[:=]` comment names on line 1, or on line 2 when
/// line 1 is blank or a comment (Python's `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`).
fn coding_cookie(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut lines = bytes.split(|&b| b == b'\n');
    let first = lines.next()?;
    if let Some(name) = cookie_on(first) {
        return Some(name);
    }
    let trimmed = first.trim_ascii_start();
    if trimmed.is_empty() || trimmed.starts_with(b"#") {
        return lines.next().and_then(cookie_on);
    }
    None
}

fn cookie_on(line: &[u8]) -> Option<String> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | 0x0C))?;
    let comment = line[start..].strip_prefix(b"#")?;
    let at = comment
        .windows(7)
        .position(|w| w.starts_with(b"coding") && matches!(w[6], b':' | b'='))?;
    let rest = &comment[at + 7..];
    let rest = &rest[rest
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()..];
    let name: Vec<u8> = rest
        .iter()
        .copied()
        .take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .collect();
    (!name.is_empty()).then(|| String::from_utf8_lossy(&name).into_owned())
}

/// Python's own spelling of a cookie's name (`tokenizer.c`'s
/// `get_normal_name`, plus codec aliases whose WHATWG meaning differs).
fn normal_name(name: &str) -> String {
    let name = name.to_ascii_lowercase().replace('_', "-");
    let is = |base: &str| name == base || name.starts_with(&format!("{base}-"));
    if is("utf-8") || name == "utf8" {
        "utf-8".into()
    } else if is("latin-1")
        || is("iso-8859-1")
        || is("iso-latin-1")
        || name == "latin1"
        || name == "l1"
    {
        // WHATWG reads these labels as windows-1252; Python does not.
        "iso-8859-1".into()
    } else if matches!(name.as_str(), "ascii" | "us-ascii" | "646") {
        "ascii".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> (String, Option<String>) {
        let decoded = decode(bytes);
        (
            String::from_utf8(decoded.text.into_owned()).unwrap(),
            decoded.problem,
        )
    }

    #[test]
    fn a_cookie_names_the_encoding_on_line_one_or_two() {
        let latin = b"# -*- coding: latin-1 -*-\nname = \"caf\xe9\"\n";
        assert_eq!(
            text(latin),
            (
                "# -*- coding: latin-1 -*-\nname = \"caf\u{e9}\"\n".into(),
                None
            )
        );
        let second = b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nq = \"\x93\"\n";
        assert_eq!(text(second).0.lines().nth(2), Some("q = \"\u{201c}\""));
        // Only a comment counts, and only on the first two lines.
        let late = b"x = 1\n# coding: latin-1\ny = \"\xe9\"\n";
        assert!(
            text(late)
                .1
                .unwrap()
                .contains("line 3 is not UTF-8 and it has no")
        );
        let in_code = b"s = '# coding: latin-1'\n";
        assert_eq!(coding_cookie(in_code), None);
    }

    #[test]
    fn what_python_refuses_is_a_problem_and_the_rest_still_reads() {
        let (text, problem) = text(b"a = 1\nb = \"\xff\"\nc = 3\n");
        assert_eq!(
            problem.as_deref(),
            Some(
                "byte 0xFF on line 2 is not UTF-8 and it has no `# -*- coding: … -*-` cookie naming its encoding"
            )
        );
        assert_eq!(text.lines().count(), 3);
        assert!(
            decode(b"# coding: klingon\n")
                .problem
                .unwrap()
                .contains("klingon")
        );
        assert!(
            decode(b"\xEF\xBB\xBF# coding: latin-1\n")
                .problem
                .unwrap()
                .contains("byte-order mark")
        );
        assert!(
            decode(b"# coding: ascii\nx = '\xc3\xa9'\n")
                .problem
                .unwrap()
                .contains("line 2 is not ASCII")
        );
        assert!(
            decode(b"\xEF\xBB\xBF# coding: utf-8\nx = 1\n")
                .problem
                .is_none()
        );
    }

    #[test]
    fn utf8_is_kept_as_it_is() {
        let bytes = "x = 'é'\n".as_bytes();
        assert!(matches!(decode(bytes).text, Cow::Borrowed(_)));
    }
}
