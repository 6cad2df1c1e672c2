//! Which of the Python the index records for each field may go once some
//! fields are done: a piece that a field still served by Python also uses
//! (a shared resolver, a base class's `mutate`), or that holds such a piece,
//! stays, with the fields that keep it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{FieldCode, PythonSpan};

/// What a piece of a field's code is to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeRole {
    /// The statement declaring the field (a mutation's registration).
    Declaration,
    /// The resolver's definition, or the assignment binding it.
    Resolver,
    /// A mutation's class.
    Mutation,
}

impl CodeRole {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeRole::Declaration => "declaration",
            CodeRole::Resolver => "resolver",
            CodeRole::Mutation => "mutation class",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CodePiece {
    pub role: CodeRole,
    #[serde(flatten)]
    pub span: PythonSpan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeptPiece {
    #[serde(flatten)]
    pub piece: CodePiece,
    /// `Type.field` of every field still served by Python that uses it.
    pub kept_by: Vec<String>,
    /// Files that import it by name and keep that import (`finish
    /// --delete-python` removes an import only where nothing else uses it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub imported_by: Vec<String>,
}

/// A module-level definition of some field's code that another module
/// imports by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedDefinition {
    pub definition: PythonSpan,
    pub importers: Vec<Importer>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Importer {
    /// Relative path of the importing file.
    pub file: String,
    /// The name the import binds there (`as` alias included).
    pub binds: String,
}

/// One finished field's code: what goes and what stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldDeletion {
    pub delete: Vec<CodePiece>,
    pub kept: Vec<KeptPiece>,
}

type FieldKey = (String, String);

fn pieces(code: &FieldCode) -> impl Iterator<Item = CodePiece> + '_ {
    [
        (CodeRole::Declaration, &code.declaration),
        (CodeRole::Resolver, &code.resolver),
        (CodeRole::Mutation, &code.mutation),
    ]
    .into_iter()
    .filter_map(|(role, span)| span.clone().map(|span| CodePiece { role, span }))
}

/// For each of `finished`, the pieces of its code that go and those that
/// stay. `still_served` says whether a field other than the finished ones
/// is still served by Python (it is not done), so that its code stays.
pub fn plan_deletion(
    code: &BTreeMap<FieldKey, FieldCode>,
    finished: &[FieldKey],
    still_served: impl Fn(&FieldKey) -> bool,
) -> BTreeMap<FieldKey, FieldDeletion> {
    let finished_set: BTreeSet<&FieldKey> = finished.iter().collect();
    // Every span a served field needs, with the fields needing it.
    let mut needed: BTreeMap<&PythonSpan, BTreeSet<String>> = BTreeMap::new();
    for (key, field_code) in code {
        if finished_set.contains(key) || !still_served(key) {
            continue;
        }
        for span in [
            &field_code.declaration,
            &field_code.resolver,
            &field_code.mutation,
        ]
        .into_iter()
        .flatten()
        {
            needed
                .entry(span)
                .or_default()
                .insert(format!("{}.{}", key.0, key.1));
        }
    }
    let declared_at: BTreeMap<String, &PythonSpan> = code
        .iter()
        .filter_map(|(key, c)| Some((format!("{}.{}", key.0, key.1), c.declaration.as_ref()?)))
        .collect();
    let mut out = BTreeMap::new();
    for key in finished {
        let Some(field_code) = code.get(key) else {
            continue;
        };
        let mut deletion = FieldDeletion::default();
        for piece in pieces(field_code) {
            // A field declared in a mutation's class is its payload's: it
            // goes with the class.
            let payload = |field: &String| {
                piece.role == CodeRole::Mutation
                    && declared_at
                        .get(field)
                        .is_some_and(|at| contains(&piece.span, at))
            };
            // The piece itself, or a piece it holds, is still needed.
            let keepers: BTreeSet<String> = needed
                .iter()
                .filter(|(span, _)| contains(&piece.span, span))
                .flat_map(|(_, fields)| fields.iter().filter(|f| !payload(f)).cloned())
                .collect();
            if keepers.is_empty() {
                deletion.delete.push(piece);
            } else {
                deletion.kept.push(KeptPiece {
                    piece,
                    kept_by: keepers.into_iter().collect(),
                    imported_by: Vec::new(),
                });
            }
        }
        out.insert(key.clone(), deletion);
    }
    out
}

/// The line ranges to remove from each file, for [`super::removal::remove_statements`]:
/// once each, and a statement inside another that goes too (a mutation's
/// `mutate` inside its class) only with the outer one.
pub fn statements_by_file<'d>(
    deletions: impl IntoIterator<Item = &'d FieldDeletion>,
) -> BTreeMap<String, Vec<(u32, u32)>> {
    let mut by_file: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    for piece in deletions.into_iter().flat_map(|d| &d.delete) {
        by_file
            .entry(piece.span.file.clone())
            .or_default()
            .push((piece.span.line, piece.span.end_line));
    }
    for spans in by_file.values_mut() {
        spans.sort_by_key(|&(line, end)| (line, std::cmp::Reverse(end)));
        let mut outer: Vec<(u32, u32)> = Vec::new();
        for &span in spans.iter() {
            match outer.last() {
                Some(last) if span.1 <= last.1 => {}
                _ => outer.push(span),
            }
        }
        *spans = outer;
    }
    by_file
}

fn contains(outer: &PythonSpan, inner: &PythonSpan) -> bool {
    outer.file == inner.file && outer.line <= inner.line && inner.end_line <= outer.end_line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(line: u32, end_line: u32) -> Option<PythonSpan> {
        Some(PythonSpan {
            file: "app/schema.py".into(),
            line,
            end_line,
        })
    }

    fn key(field: &str) -> FieldKey {
        ("Mutation".into(), field.into())
    }

    #[test]
    fn a_shared_piece_stays_with_the_fields_that_keep_it() {
        // Two mutations: a base class's `mutate` serves both; the second's
        // class inherits from the first's.
        let code = BTreeMap::from([
            (
                key("a"),
                FieldCode {
                    declaration: span(40, 40),
                    resolver: span(5, 8),
                    mutation: span(1, 10),
                },
            ),
            (
                key("b"),
                FieldCode {
                    declaration: span(41, 41),
                    resolver: span(5, 8),
                    mutation: span(12, 20),
                },
            ),
        ]);
        let plan = plan_deletion(&code, &[key("a")], |_| true);
        let a = &plan[&key("a")];
        assert_eq!(
            a.delete,
            vec![CodePiece {
                role: CodeRole::Declaration,
                span: span(40, 40).unwrap()
            }]
        );
        let kept: Vec<(CodeRole, &[String])> = a
            .kept
            .iter()
            .map(|k| (k.piece.role, k.kept_by.as_slice()))
            .collect();
        assert_eq!(
            kept,
            vec![
                (CodeRole::Resolver, &["Mutation.b".to_string()][..]),
                (CodeRole::Mutation, &["Mutation.b".to_string()][..]),
            ]
        );
        // Both finished (or the other done already): everything goes.
        let both = plan_deletion(&code, &[key("a"), key("b")], |_| true);
        assert!(both.values().all(|d| d.kept.is_empty()));
        let done = plan_deletion(&code, &[key("a")], |_| false);
        assert_eq!(done[&key("a")].delete.len(), 3);
    }

    #[test]
    fn a_mutations_payload_fields_go_with_its_class() {
        let payload_field = ("RemoveThing".to_string(), "removedId".to_string());
        let code = BTreeMap::from([
            (
                key("removeThing"),
                FieldCode {
                    declaration: span(40, 40),
                    resolver: span(6, 8),
                    mutation: span(1, 8),
                },
            ),
            (
                payload_field,
                FieldCode {
                    declaration: span(4, 4),
                    resolver: None,
                    mutation: None,
                },
            ),
        ]);
        let plan = plan_deletion(&code, &[key("removeThing")], |_| true);
        assert!(plan[&key("removeThing")].kept.is_empty());
    }
}
