//! `directives: migrate: skip_runtime: true` in a service's `gqlgen.yml`,
//! added and removed as text so the rest of the YAML stays byte for byte.

fn eol_of(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

fn indent_of(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| &l[..l.len() - l.trim_start_matches(' ').len()])
        .find(|lead| !lead.is_empty())
        .unwrap_or("  ")
        .to_string()
}

/// The `directives:` line of a top-level section, as a byte offset after its line end.
fn directives_section(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "directives:" {
            return Some(offset + line.len());
        }
        offset += line.len();
    }
    None
}

fn entry(text: &str, under_section: bool) -> String {
    let eol = eol_of(text);
    let unit = indent_of(text);
    if under_section {
        format!("{unit}migrate:{eol}{unit}{unit}skip_runtime: true{eol}")
    } else {
        format!("directives:{eol}{unit}migrate:{eol}{unit}{unit}skip_runtime: true{eol}")
    }
}

/// The text with ferry's entry added; unchanged when a `migrate:` entry
/// already says `skip_runtime: true`; an error when one exists without it.
pub fn add_skip_runtime(text: &str) -> Result<String, String> {
    let eol = eol_of(text);
    match directives_section(text) {
        Some(after) => {
            let section: Vec<&str> = text[after..]
                .lines()
                .take_while(|l| l.starts_with(' ') || l.trim().is_empty())
                .collect();
            if let Some(at) = section.iter().position(|l| l.trim() == "migrate:") {
                let depth = |l: &str| l.len() - l.trim_start().len();
                let entry_depth = depth(section[at]);
                let skips = section[at + 1..]
                    .iter()
                    .take_while(|l| l.trim().is_empty() || depth(l) > entry_depth)
                    .any(|l| l.trim() == "skip_runtime: true");
                if skips {
                    return Ok(text.to_string());
                }
                return Err(
                    "its `directives: migrate:` entry lacks `skip_runtime: true`; add it by hand"
                        .into(),
                );
            }
            let at = if after > text.len() {
                text.len()
            } else {
                after
            };
            Ok(format!(
                "{}{}{}",
                &text[..at],
                entry(text, true),
                &text[at..]
            ))
        }
        None => {
            let mut out = text.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            if !out.is_empty() {
                out.push_str(eol);
            }
            out.push_str(&entry(text, false));
            Ok(out)
        }
    }
}

/// Undoes `add_skip_runtime` when the entry is still exactly as ferry wrote it.
pub fn remove_skip_runtime(text: &str) -> Option<String> {
    let eol = eol_of(text);
    let whole = format!("{eol}{}", entry(text, false));
    if text.ends_with(&whole) {
        return Some(text[..text.len() - whole.len()].to_string());
    }
    let after = directives_section(text)?;
    let nested = entry(text, true);
    if text[after..].starts_with(&nested) {
        return Some(format!(
            "{}{}",
            &text[..after],
            &text[after + nested.len()..]
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_section_and_removes_it_byte_for_byte() {
        for original in [
            "schema:\n  - a.graphqls\n",
            "schema:\r\n    - a.graphqls\r\n",
        ] {
            let added = add_skip_runtime(original).unwrap();
            assert!(added.contains("migrate:"));
            assert!(added.contains("skip_runtime: true"));
            assert_eq!(remove_skip_runtime(&added).unwrap(), original);
        }
    }

    #[test]
    fn an_entry_that_already_skips_the_runtime_is_left_alone() {
        let yml =
            "schema:\n  - graph/*.graphqls\ndirectives:\n  migrate:\n    skip_runtime: true\n";
        assert_eq!(add_skip_runtime(yml).unwrap(), yml);
        let without = "directives:\n  migrate:\n    skip_runtime: false\n";
        assert!(add_skip_runtime(without).unwrap_err().contains("lacks"));
    }

    #[test]
    fn adds_under_an_existing_directives_section() {
        let original = "directives:\n  goField:\n    skip_runtime: false\nmodels: {}\n";
        let added = add_skip_runtime(original).unwrap();
        assert_eq!(
            added,
            "directives:\n  migrate:\n    skip_runtime: true\n  goField:\n    skip_runtime: false\nmodels: {}\n"
        );
        assert_eq!(remove_skip_runtime(&added).unwrap(), original);
    }
}
