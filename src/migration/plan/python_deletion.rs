//! `finish`'s Python: for each field moved to done, the exact statements a
//! person removes and those that stay because a field still served by
//! Python uses them; with `--delete-python`, their removal, in the same
//! change set as the schema edits.

use super::{Plan, PlanError};
use crate::edit::splice::{Splice, apply};
use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::project::Project;
use crate::model::python_code::{self, FieldDeletion, RemovedImport};
use crate::model::stage::Stage;
use serde::Serialize;
use std::collections::BTreeMap;

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
    if delete {
        remove(project, plan, &mut cleanup)?;
        cleanup.applied = !cleanup.fields.values().all(|d| d.delete.is_empty());
    }
    plan.python = cleanup;
    Ok(())
}

/// Each file's statements to delete, removed in one pass over the file.
fn remove(
    project: &Project,
    plan: &mut Plan,
    cleanup: &mut PythonCleanup,
) -> Result<(), PlanError> {
    let by_file = python_code::statements_by_file(cleanup.fields.values());
    for (file, spans) in by_file {
        let file = file.as_str();
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
        let removal =
            python_code::remove_statements(&text, &spans).map_err(|e| failed(e.line, e.message))?;
        let splices: Vec<Splice> = removal
            .edits
            .iter()
            .map(|e| Splice::replace(e.range.clone(), e.text.clone()))
            .collect();
        let after = apply(&text, &splices).map_err(|e| PlanError::Internal(e.to_string()))?;
        plan.changes.record(&path, Some(&text), Some(after));
        cleanup
            .removed_imports
            .extend(removal.removed_imports.into_iter().map(|what| FileLine {
                file: file.to_string(),
                what,
            }));
        cleanup
            .added_pass
            .extend(removal.added_pass.into_iter().map(|line| AddedPass {
                file: file.to_string(),
                line,
            }));
    }
    Ok(())
}
