//! `finish`'s Python: for each field moved to done, the exact statements a
//! person removes and those that stay because a field still served by
//! Python uses them; with `--delete-python`, their removal, in the same
//! change set as the schema edits.

use super::{Plan, PlanError};
use crate::edit::splice::{Splice, apply};
use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::project::Project;
use crate::model::python_code::{
    self, CodePiece, FieldDeletion, Importer, KeptPiece, PythonSpan, RemovedImport,
};
use crate::model::stage::Stage;
use crate::workspace::WorkspacePath;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The Python the plan's finished fields no longer need.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PythonCleanup {
    /// `Type.field` → what goes and what stays.
    pub fields: BTreeMap<String, FieldDeletion>,
    /// The plan's change set removes it (`--delete-python`).
    pub applied: bool,
    /// Imports removed because only the deleted code named them.
    pub removed_imports: Vec<FileLine<RemovedImport>>,
    /// Blocks left without a statement, given a `pass` at this line.
    pub added_pass: Vec<AddedPass>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileLine<T> {
    pub file: String,
    #[serde(flatten)]
    pub what: T,
}

#[derive(Debug, Clone, Serialize)]
pub struct AddedPass {
    pub file: String,
    pub line: u32,
}

/// Works out the Python of the plan's finished fields and, when asked,
/// records its removal in the plan's change set.
pub(super) fn plan_python(
    project: &Project,
    plan: &mut Plan,
    done_before: &[&FieldRecord],
    delete: bool,
) -> Result<(), PlanError> {
    let code = &project.inventory.python_code;
    let finished: Vec<(String, String)> = plan
        .moves
        .iter()
        .filter(|m| m.to == Stage::Done)
        .filter_map(|m| {
            let (type_name, field_name) = m.field.split_once('.')?;
            Some((type_name.to_string(), field_name.to_string()))
        })
        .chain(done_before.iter().map(|f| {
            let c = &f.coordinate;
            (c.type_name.clone(), c.field_name.clone())
        }))
        .collect();
    let still_served = |(type_name, field_name): &(String, String)| {
        let coordinate = FieldCoordinate::new(type_name.as_str(), field_name.as_str());
        project
            .inventory
            .field(&coordinate)
            .is_none_or(|f| f.stage != Stage::Done)
    };
    let fields = python_code::plan_deletion(&code.fields, &finished, still_served);
    let mut cleanup = PythonCleanup {
        fields: fields
            .into_iter()
            .map(|((t, f), deletion)| (format!("{t}.{f}"), deletion))
            .collect(),
        ..PythonCleanup::default()
    };
    // Cutting a file is only worked out when it is to be written, or when
    // another module imports what would go (whether that import goes too
    // depends on what else the importing file loses).
    let imported = |cleanup: &PythonCleanup| {
        cleanup
            .fields
            .values()
            .flat_map(|d| &d.delete)
            .any(|piece| code.importers.contains_key(&piece.span))
    };
    if !delete && !imported(&cleanup) {
        plan.python = cleanup;
        return Ok(());
    }
    // Each file is read and checked once, however often it is cut.
    let mut read: BTreeMap<String, (WorkspacePath, String)> = BTreeMap::new();
    let cuts = loop {
        let cuts: BTreeMap<String, Result<FileCut, PlanError>> =
            python_code::statements_by_file(cleanup.fields.values())
                .into_iter()
                .map(|(file, spans)| {
                    let cut = cut_file(project, &mut read, &file, &spans);
                    (file, cut)
                })
                .collect();
        if !keep_imported(&code.importers, &mut cleanup, &cuts) {
            break cuts;
        }
    };
    if delete {
        for (file, cut) in cuts {
            record(plan, &mut cleanup, &file, cut?)?;
        }
        cleanup.applied = !cleanup.fields.values().all(|d| d.delete.is_empty());
    }
    plan.python = cleanup;
    Ok(())
}

/// One file as read, and what removing its deleted statements does to it.
struct FileCut {
    path: WorkspacePath,
    text: String,
    removal: python_code::FileRemoval,
}

fn cut_file(
    project: &Project,
    read: &mut BTreeMap<String, (WorkspacePath, String)>,
    file: &str,
    spans: &[(u32, u32)],
) -> Result<FileCut, PlanError> {
    let failed = |line: u32, message: String| PlanError::Python {
        file: file.to_string(),
        line,
        message,
    };
    if !read.contains_key(file) {
        read.insert(file.to_string(), read_checked(project, file)?);
    }
    let (path, text) = read[file].clone();
    let removal =
        python_code::remove_statements(&text, spans).map_err(|e| failed(e.line, e.message))?;
    Ok(FileCut {
        path,
        text,
        removal,
    })
}

/// A Python file's text, refused unless it still holds what the index
/// scanned and is UTF-8.
fn read_checked(project: &Project, file: &str) -> Result<(WorkspacePath, String), PlanError> {
    let failed = |line: u32, message: String| PlanError::Python {
        file: file.to_string(),
        line,
        message,
    };
    let path = project.workspace.path(project.workspace.root.join(file));
    let bytes = std::fs::read(&path.abs).map_err(|e| failed(1, e.to_string()))?;
    let unchanged = project.inventory.python_code.file_hashes.get(file)
        == Some(&python_code::content_hash(&bytes));
    if !unchanged {
        return Err(failed(
            1,
            "the file changed since ferry scanned it; run the command again".into(),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        failed(
            1,
            "not UTF-8: ferry cannot rewrite it, delete the code by hand".into(),
        )
    })?;
    Ok((path, text))
}

/// Moves to the kept pieces every piece to delete that another module
/// imports by name, unless that module's import goes in the same change
/// (nothing else there uses it), with the pieces it holds. Whether it
/// moved any: keeping code can keep an import elsewhere, so the cut is
/// worked out again until nothing moves.
fn keep_imported(
    importers: &BTreeMap<PythonSpan, Vec<Importer>>,
    cleanup: &mut PythonCleanup,
    cuts: &BTreeMap<String, Result<FileCut, PlanError>>,
) -> bool {
    let import_goes = |importer: &Importer| {
        matches!(cuts.get(&importer.file), Some(Ok(cut))
            if cut.removal.removed_imports.iter().any(|r| r.name == importer.binds))
    };
    let mut moved = false;
    for deletion in cleanup.fields.values_mut() {
        let held: Vec<(PythonSpan, Vec<String>)> = deletion
            .delete
            .iter()
            .filter_map(|piece| {
                let keeping: BTreeSet<String> = importers
                    .get(&piece.span)?
                    .iter()
                    .filter(|importer| !import_goes(importer))
                    .map(|importer| importer.file.clone())
                    .collect();
                (!keeping.is_empty()).then(|| (piece.span.clone(), keeping.into_iter().collect()))
            })
            .collect();
        for (outer, imported_by) in held {
            let (kept, stays): (Vec<CodePiece>, Vec<CodePiece>) =
                std::mem::take(&mut deletion.delete)
                    .into_iter()
                    .partition(|piece| within(&outer, &piece.span));
            deletion.delete = stays;
            deletion
                .kept
                .extend(kept.into_iter().map(|piece| KeptPiece {
                    piece,
                    kept_by: Vec::new(),
                    imported_by: imported_by.clone(),
                }));
            moved = true;
        }
    }
    moved
}

fn within(outer: &PythonSpan, inner: &PythonSpan) -> bool {
    outer.file == inner.file && outer.line <= inner.line && inner.end_line <= outer.end_line
}

/// Records a file's cut in the plan's change set.
fn record(
    plan: &mut Plan,
    cleanup: &mut PythonCleanup,
    file: &str,
    cut: FileCut,
) -> Result<(), PlanError> {
    let splices: Vec<Splice> = cut
        .removal
        .edits
        .iter()
        .map(|e| Splice::replace(e.range.clone(), e.text.clone()))
        .collect();
    let after = apply(&cut.text, &splices).map_err(|e| PlanError::Internal(e.to_string()))?;
    plan.changes.record(&cut.path, Some(&cut.text), Some(after));
    cleanup.removed_imports.extend(
        cut.removal
            .removed_imports
            .into_iter()
            .map(|what| FileLine {
                file: file.to_string(),
                what,
            }),
    );
    cleanup
        .added_pass
        .extend(cut.removal.added_pass.into_iter().map(|line| AddedPass {
            file: file.to_string(),
            line,
        }));
    Ok(())
}
