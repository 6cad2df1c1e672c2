//! Taking statements out of one Python file: the byte edits that remove
//! whole statements (given as the line ranges the index recorded), the
//! imports only they used, the blank lines that would pile up beyond PEP 8's,
//! and a `pass` where a block would be left without a statement.
//!
//! Every other byte stays as it is: the BOM, the line endings, comments
//! outside the statements.

use std::collections::BTreeSet;
use std::ops::Range;

use tree_sitter::Node;

/// One change to the file's text, against the text as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub text: String,
}

/// An import removed because nothing left in the module names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct RemovedImport {
    pub name: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileRemoval {
    pub edits: Vec<TextEdit>,
    pub removed_imports: Vec<RemovedImport>,
    /// Lines (of the text as read) before which a `pass` goes.
    pub added_pass: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct RemovalError {
    pub line: u32,
    pub message: String,
}

struct Line {
    /// Where the line's text starts (after a BOM on line 1).
    start: usize,
    /// Where the next line starts.
    end: usize,
    blank: bool,
    indent: usize,
}

/// The hash the index keeps of a file's bytes, to tell whether the file
/// changed since it was scanned.
pub fn content_hash(bytes: &[u8]) -> super::cache::ContentHash {
    let mut bytes = super::encoding::decode(bytes).text.into_owned();
    super::cache::python_line_ends(&mut bytes);
    *blake3::hash(&bytes).as_bytes()
}

/// The edits that delete the statements at `spans` (1-based inclusive
/// lines, each exactly one statement) from `text`.
pub fn remove_statements(text: &str, spans: &[(u32, u32)]) -> Result<FileRemoval, RemovalError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Python ends lines at a lone `\r` too; tree-sitter only at `\n`.
    let normalized: Vec<u8> = text[bom..]
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let lone_cr = b == b'\r' && text.as_bytes().get(bom + i + 1) != Some(&b'\n');
            if lone_cr { b'\n' } else { b }
        })
        .collect();
    let lines = lines(text, &normalized, bom);
    let mut parser = super::extract::new_parser();
    let tree = parser.parse(&normalized, None).ok_or(RemovalError {
        line: 1,
        message: "tree-sitter could not parse the file".into(),
    })?;
    let root = tree.root_node();
    let mut statements = Vec::new();
    collect_statements(root, &mut statements);

    let mut deleted: BTreeSet<usize> = BTreeSet::new();
    for &(line, end_line) in spans {
        let found = statements.iter().any(|node| {
            node.start_position().row + 1 == line as usize
                && node.end_position().row + 1 == end_line as usize
        });
        if !found {
            return Err(RemovalError {
                line,
                message: format!(
                    "lines {line}-{end_line} are no longer one statement: the file changed since ferry read it; run ferry again"
                ),
            });
        }
        let node = statements
            .iter()
            .find(|n| n.start_position().row + 1 == line as usize)
            .expect("found above");
        alone_on_its_lines(node, &normalized, &lines, bom)?;
        deleted.extend(line as usize - 1..end_line as usize);
    }

    let mut removal = FileRemoval::default();
    let mut partial = Vec::new();
    remove_unused_imports(
        root,
        &normalized,
        bom,
        &lines,
        &mut deleted,
        &mut partial,
        &mut removal,
    );

    // A block whose every statement goes keeps a `pass`, unless it goes too.
    let mut pass_before: BTreeSet<usize> = BTreeSet::new();
    for node in &statements {
        let Some(block) = node.parent().filter(|p| p.kind() == "block") else {
            continue;
        };
        let owner_deleted = block
            .parent()
            .is_some_and(|owner| deleted.contains(&owner.start_position().row));
        let mut cursor = block.walk();
        let children: Vec<Node> = block
            .named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .collect();
        let first = children.first().map(|c| c.start_position().row);
        let emptied = children
            .iter()
            .all(|c| (c.start_position().row..=c.end_position().row).all(|r| deleted.contains(&r)));
        if first == Some(node.start_position().row) && emptied && !owner_deleted {
            pass_before.insert(node.start_position().row);
        }
    }
    let eol = line_ending(text);
    for &row in &pass_before {
        let line = &lines[row];
        let indent = &text[line.start..line.start + line.indent];
        removal.edits.push(TextEdit {
            range: line.start..line.start,
            text: format!("{indent}pass{eol}"),
        });
        removal.added_pass.push(row as u32 + 1);
    }

    remove_extra_blank_lines(&lines, &pass_before, &mut deleted);
    let rows: Vec<usize> = deleted.into_iter().collect();
    for run in rows.chunk_by(|a, b| a + 1 == *b) {
        let (first, last) = (run[0], run[run.len() - 1]);
        removal.edits.push(TextEdit {
            range: lines[first].start..lines[last].end,
            text: String::new(),
        });
    }
    removal.edits.extend(partial);
    removal.edits.sort_by_key(|e| (e.range.start, e.range.end));
    removal.removed_imports.sort();
    Ok(removal)
}

fn lines(text: &str, normalized: &[u8], bom: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, &b) in normalized.iter().enumerate() {
        if b == b'\n' {
            lines.push(line(text, bom + start, bom + i + 1));
            start = i + 1;
        }
    }
    if start < normalized.len() || lines.is_empty() {
        lines.push(line(text, bom + start, text.len()));
    }
    lines
}

fn line(text: &str, start: usize, end: usize) -> Line {
    let content = text[start..end].trim_end_matches(['\n', '\r']);
    let indent = content.len() - content.trim_start_matches([' ', '\t', '\x0c']).len();
    Line {
        start,
        end,
        blank: indent == content.len(),
        indent,
    }
}

/// The file's line ending, from its first line that has one.
fn line_ending(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(at) if text[at..].starts_with("\r\n") => "\r\n",
        Some(at) if text[at..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// Every statement of the module and of every block in it.
fn collect_statements<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if matches!(node.kind(), "module" | "block") && child.kind() != "comment" {
            out.push(child);
        }
        collect_statements(child, out);
    }
}

/// A statement sharing a line with another cannot go as whole lines.
fn alone_on_its_lines(
    node: &Node,
    source: &[u8],
    lines: &[Line],
    bom: usize,
) -> Result<(), RemovalError> {
    let first = &lines[node.start_position().row];
    let last = &lines[node.end_position().row];
    let before = &source[first.start - bom..node.start_byte()];
    let after = String::from_utf8_lossy(&source[node.end_byte()..last.end - bom]);
    let after = after.trim();
    if before.iter().all(|b| b.is_ascii_whitespace())
        && (after.is_empty() || after.starts_with('#'))
    {
        return Ok(());
    }
    Err(RemovalError {
        line: node.start_position().row as u32 + 1,
        message: "the statement shares its line with another; remove it by hand".into(),
    })
}

fn node_text<'s>(node: &Node, source: &'s [u8]) -> &'s str {
    std::str::from_utf8(&source[node.byte_range()]).unwrap_or_default()
}

fn is_import(kind: &str) -> bool {
    matches!(
        kind,
        "import_statement" | "import_from_statement" | "future_import_statement"
    )
}

/// Removes the imports of names the deleted statements used and nothing
/// else in the module uses (a name in a string counts as used: strawberry
/// resolves string annotations by the module's names, and `__all__` lists them).
fn remove_unused_imports(
    root: Node,
    source: &[u8],
    bom: usize,
    lines: &[Line],
    deleted: &mut BTreeSet<usize>,
    partial: &mut Vec<TextEdit>,
    removal: &mut FileRemoval,
) {
    let mut used_in_deleted = BTreeSet::new();
    let mut used_elsewhere = BTreeSet::new();
    let mut strings = Vec::new();
    let mut imports = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if is_import(node.kind()) {
            imports.push(node);
            continue;
        }
        let in_deleted = deleted.contains(&node.start_position().row);
        match node.kind() {
            "identifier" if in_deleted => {
                used_in_deleted.insert(node_text(&node, source));
            }
            "identifier" => {
                used_elsewhere.insert(node_text(&node, source));
            }
            "string" if !in_deleted => strings.push(node_text(&node, source)),
            _ => {}
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    let in_a_string = |name: &str| {
        strings.iter().any(|s| {
            s.match_indices(name).any(|(at, _)| {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !word(s[..at].chars().next_back()) && !word(s[at + name.len()..].chars().next())
            })
        })
    };
    imports.sort_by_key(|n| n.start_byte());
    for import in imports {
        let row = import.start_position().row;
        if deleted.contains(&row) || import.kind() == "future_import_statement" {
            continue;
        }
        let mut cursor = import.walk();
        let items: Vec<Node> = import.children_by_field_name("name", &mut cursor).collect();
        let unused: Vec<bool> = items
            .iter()
            .map(|item| {
                let name = bound_name(item, source);
                used_in_deleted.contains(name)
                    && !used_elsewhere.contains(name)
                    && !in_a_string(name)
            })
            .collect();
        if !unused.contains(&true) {
            continue;
        }
        for (item, _) in items.iter().zip(&unused).filter(|(_, u)| **u) {
            removal.removed_imports.push(RemovedImport {
                name: bound_name(item, source).to_string(),
                line: item.start_position().row as u32 + 1,
            });
        }
        let whole = unused.iter().all(|u| *u);
        let alone = alone_on_its_lines(&import, source, lines, bom).is_ok();
        if whole && alone {
            deleted.extend(row..=import.end_position().row);
            continue;
        }
        for (i, item) in items.iter().enumerate() {
            if !unused[i] {
                continue;
            }
            // With its comma: up to the next name, or from the previous one.
            let range = match items.get(i + 1) {
                Some(next) => item.start_byte()..next.start_byte(),
                None if i > 0 => items[i - 1].end_byte()..item.end_byte(),
                None => item.byte_range(),
            };
            partial.push(TextEdit {
                range: range.start + bom..range.end + bom,
                text: String::new(),
            });
        }
    }
}

/// The name an import item binds: `c` of `a.b as c`, `a` of `import a.b`.
fn bound_name<'s>(item: &Node, source: &'s [u8]) -> &'s str {
    if item.kind() == "aliased_import"
        && let Some(alias) = item.child_by_field_name("alias")
    {
        return node_text(&alias, source);
    }
    let text = node_text(item, source);
    text.split('.').next().unwrap_or(text).trim()
}

/// Drops the blank lines a removal leaves beyond what PEP 8 wants: none at
/// the start of a block or the ends of the file, at most two before a
/// top-level statement and one inside a block, and never more than the
/// widest gap that was there.
fn remove_extra_blank_lines(
    lines: &[Line],
    pass_before: &BTreeSet<usize>,
    deleted: &mut BTreeSet<usize>,
) {
    let mut row = 0;
    let mut prev_indent: Option<usize> = None;
    while row < lines.len() {
        if pass_before.contains(&row) {
            prev_indent = Some(lines[row].indent);
        }
        let in_run = |r: usize| deleted.contains(&r) || lines[r].blank;
        if !in_run(row) {
            prev_indent = Some(lines[row].indent);
            row += 1;
            continue;
        }
        // A run of deleted and blank lines; a `pass` ends it.
        let start = row;
        let mut end = row;
        while end < lines.len() && in_run(end) && (end == start || !pass_before.contains(&end)) {
            end += 1;
        }
        let touched = (start..end).any(|r| deleted.contains(&r));
        if touched {
            // A `pass` before line `end` stands at that line's indentation.
            let next_indent = (end < lines.len()).then(|| lines[end].indent);
            let limit = match (prev_indent, next_indent) {
                (Some(prev), Some(next)) if next > prev => 0,
                (Some(_), Some(0)) => 2,
                (Some(_), Some(_)) => 1,
                _ => 0,
            };
            let blanks: Vec<usize> = (start..end)
                .filter(|r| !deleted.contains(r) && lines[*r].blank)
                .collect();
            let widest = (start..end)
                .collect::<Vec<_>>()
                .split(|r| deleted.contains(r))
                .map(<[usize]>::len)
                .max()
                .unwrap_or(0);
            let keep = limit.min(widest);
            deleted.extend(blanks.into_iter().skip(keep));
        }
        row = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, removal: &FileRemoval) -> String {
        let mut out = String::new();
        let mut at = 0;
        for edit in &removal.edits {
            out.push_str(&text[at..edit.range.start]);
            out.push_str(&edit.text);
            at = edit.range.end;
        }
        out + &text[at..]
    }

    fn removed(text: &str, spans: &[(u32, u32)]) -> String {
        apply(text, &remove_statements(text, spans).unwrap())
    }

    #[test]
    fn a_field_and_its_resolver_go_with_the_blank_lines_between() {
        let text = "import graphene\n\n\nclass A(graphene.ObjectType):\n    x = graphene.String()\n    y = graphene.Int()\n\n    def resolve_x(root, info):\n        return 1\n\n\nclass B:\n    pass\n";
        assert_eq!(
            removed(text, &[(5, 5), (8, 9)]),
            "import graphene\n\n\nclass A(graphene.ObjectType):\n    y = graphene.Int()\n\n\nclass B:\n    pass\n"
        );
    }

    #[test]
    fn an_emptied_class_gets_pass_and_an_unused_import_goes() {
        let text = "import graphene\nfrom app import models, other\n\n\nclass Q(graphene.ObjectType):\n    x = graphene.Int()\n\n    def resolve_x(root, info):\n        return models.get()\n\n\nprint(other)\n";
        let removal = remove_statements(text, &[(6, 6), (8, 9)]).unwrap();
        assert_eq!(
            removal.removed_imports,
            vec![RemovedImport {
                name: "models".into(),
                line: 2
            }]
        );
        assert_eq!(
            apply(text, &removal),
            "import graphene\nfrom app import other\n\n\nclass Q(graphene.ObjectType):\n    pass\n\n\nprint(other)\n"
        );
    }

    #[test]
    fn line_endings_and_the_bom_stay() {
        let text = "\u{feff}x = 1\r\ny = 2\r\n";
        assert_eq!(removed(text, &[(1, 1)]), "\u{feff}y = 2\r\n");
        let text = "class A:\r\n    x = 1\r\n";
        assert_eq!(removed(text, &[(2, 2)]), "class A:\r\n    pass\r\n");
    }

    #[test]
    fn a_name_left_in_a_string_keeps_its_import() {
        let text = "from app import Book\n\nx: \"Book\"\ny = Book()\n";
        let removal = remove_statements(text, &[(4, 4)]).unwrap();
        assert!(removal.removed_imports.is_empty());
    }

    #[test]
    fn a_changed_file_is_refused() {
        let text = "x = (\n    1\n)\n";
        assert!(remove_statements(text, &[(1, 2)]).is_err());
    }
}
