//! Rollback's cleanup after removing fields: the types nothing uses any
//! more that `mark` copied or stubbed, and the `@migrate` definition ferry
//! added when no field uses it.

use super::edited::EditedFiles;
use super::federation_form::{TargetForm, unused_link_removals};
use super::{PlanError, parse_document, type_references};
use crate::edit::splice::{Splice, apply};
use crate::migration::schema_text::remove;
use crate::model::ledger::Scaffold;
use crate::schema::federation::{FederationNames, MIGRATE_DEFINITION, MIGRATE_DESCRIPTION};
use crate::schema::fields::field_definitions;
use crate::schema::loaded::{LoadedSchema, ParsedFile, SchemaError};
use crate::schema::source::SourceFile;
use apollo_compiler::ast;
use std::collections::{BTreeMap, HashSet};

/// After removals: drop types nothing references any more that ferry
/// copies (identical to the monolith's) or stubs (key fields only), and
/// blocks left with no field.
pub(super) fn remove_unused_types(
    texts: &mut EditedFiles,
    monolith: &LoadedSchema,
    service: &str,
    federation: &FederationNames,
) -> Result<(), PlanError> {
    let monolith_definitions: BTreeMap<String, (&ParsedFile, &ast::Definition)> = monolith
        .files
        .iter()
        .flat_map(|f| {
            f.doc
                .definitions
                .iter()
                .filter(|d| !d.is_extension_definition())
                .filter_map(move |d| Some((d.name()?.to_string(), (f, d))))
        })
        .collect();
    for _round in 0..16 {
        let parsed = reparse(texts, service)?;
        // What `mark` would copy into the service as it now stands.
        let mut form = TargetForm::of_files(&parsed);
        let referenced: HashSet<&str> = parsed
            .iter()
            .flat_map(|f| &f.doc.definitions)
            .flat_map(type_references::of_definition)
            .map(|n| n.as_str())
            .collect();
        let mut removals: BTreeMap<String, Vec<Splice>> = BTreeMap::new();
        for file in &parsed {
            for def in &file.doc.definitions {
                let (Some(name), Some(loc)) = (def.name(), def.location()) else {
                    continue;
                };
                if referenced.contains(name.as_str())
                    || ["Query", "Mutation", "Subscription"].contains(&name.as_str())
                {
                    continue;
                }
                let span = loc.offset()..loc.end_offset();
                let copied = monolith_definitions
                    .get(name.as_str())
                    .is_some_and(|(mf, md)| {
                        let copy = form.copy_definition(
                            monolith,
                            mf,
                            md,
                            &file.source.indent(),
                            file.source.eol(),
                        );
                        normalize(&copy) == normalize(&file.source.text[span.clone()])
                    });
                if copied || is_key_only(def, federation) {
                    removals
                        .entry(file.source.path.rel.clone())
                        .or_default()
                        .push(remove(file, span));
                }
            }
        }
        if removals.is_empty() {
            return Ok(());
        }
        apply_removals(texts, removals)?;
    }
    Ok(())
}

/// Takes out of the `@link` what the ledger says the `mark`s of the
/// rolled-back fields added and nothing uses any more.
pub(super) fn remove_unused_link_imports(
    texts: &mut EditedFiles,
    service: &str,
    scaffold: &Scaffold,
) -> Result<(), PlanError> {
    if scaffold.is_empty() {
        return Ok(());
    }
    let parsed = reparse(texts, service)?;
    let mut by_file: BTreeMap<String, Vec<Splice>> = BTreeMap::new();
    for (rel, splice) in unused_link_removals(&parsed, scaffold) {
        by_file.entry(rel).or_default().push(splice);
    }
    apply_removals(texts, by_file)?;
    Ok(())
}

/// When no field of the service uses `@migrate` any more, removes the
/// definition ferry added (recognized by its description); says whether it did.
pub(super) fn remove_unused_migrate_definition(texts: &mut EditedFiles) -> Result<bool, PlanError> {
    let parsed: Vec<(String, ParsedFile)> = texts
        .iter_mut()
        .filter_map(|(rel, file)| Some((rel.clone(), file.parsed().ok()?.clone())))
        .collect();
    let still_used = parsed
        .iter()
        .any(|(_, file)| field_definitions(&file.doc).any(|(_, _, f)| f.directives.has("migrate")));
    if still_used {
        return Ok(false);
    }
    let ours = normalize(&format!("{MIGRATE_DESCRIPTION}\n{MIGRATE_DEFINITION}"));
    let mut removed = false;
    for (rel, file) in &parsed {
        let splices: Vec<Splice> = file
            .doc
            .definitions
            .iter()
            .filter(
                |d| matches!(d, ast::Definition::DirectiveDefinition(dd) if dd.name == "migrate"),
            )
            .filter_map(|d| d.location())
            .filter(|l| normalize(&file.source.text[l.offset()..l.end_offset()]) == ours)
            .map(|l| remove(file, l.offset()..l.end_offset()))
            .collect();
        if !splices.is_empty() {
            let text = &mut texts.get_mut(rel).expect("parsed from texts").text;
            *text = apply(text, &splices).map_err(|e| PlanError::Internal(e.to_string()))?;
            removed = true;
        }
    }
    Ok(removed)
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An object block whose fields are all `@external` or key fields: what
/// `mark` writes as a stub for an entity it only references.
fn is_key_only(def: &ast::Definition, federation: &FederationNames) -> bool {
    let (key, external) = (
        federation.directive("key"),
        federation.directive("external"),
    );
    let (directives, fields) = match def {
        ast::Definition::ObjectTypeDefinition(d) => (&d.directives, &d.fields),
        ast::Definition::ObjectTypeExtension(d) => (&d.directives, &d.fields),
        _ => return false,
    };
    let keys: Vec<String> = directives
        .iter()
        .filter(|d| d.name == key)
        .filter_map(|d| d.specified_argument_by_name("fields"))
        .filter_map(|v| v.as_str().map(crate::schema::fields::top_level_names))
        .flatten()
        .collect();
    !keys.is_empty()
        && fields.iter().all(|f| {
            keys.iter().any(|k| k == f.name.as_str())
                || f.directives.iter().any(|d| d.name == external)
        })
}

/// The texts as the edit has left them so far, parsed.
fn reparse(texts: &mut EditedFiles, service: &str) -> Result<Vec<ParsedFile>, PlanError> {
    texts
        .iter_mut()
        .map(|(rel, file)| match file.parsed() {
            Ok(parsed) => Ok(parsed.clone()),
            Err(error) => {
                // The parser's own report of what does not parse.
                let source =
                    SourceFile::new(file.original.source.path.clone(), file.text.clone(), true);
                let report = match parse_document(&source, rel) {
                    Err(e) => e.errors.to_string(),
                    Ok(_) => error.to_string(),
                };
                Err(PlanError::Invalid {
                    service: service.to_string(),
                    error: SchemaError::Invalid {
                        summary: format!("{rel}: cannot parse after the edit"),
                        report,
                    },
                })
            }
        })
        .collect()
}

/// Applies each file's removal splices to its text.
fn apply_removals(
    texts: &mut EditedFiles,
    removals: BTreeMap<String, Vec<Splice>>,
) -> Result<(), PlanError> {
    for (rel, splices) in removals {
        let entry = texts.get_mut(&rel).expect("parsed from texts");
        entry.text =
            apply(&entry.text, &splices).map_err(|e| PlanError::Internal(e.to_string()))?;
    }
    Ok(())
}
