//! What an editing command did, built once from its plan: the moves, what
//! was already there, what was refused or forced, the files, whether they
//! were written, and the Python a finished field no longer needs. The
//! terminal, `--json` and the TUI's status line all print this.

use crate::migration::plan::{AddedPass, DroppedDirective, FileLine, Move, Plan};
use crate::migration::refusal::Refusal;
use crate::model::inventory::{FieldRecord, PythonFunction, PythonLink};
use crate::model::project::Project;
use crate::model::python_code::{CodePiece, KeptPiece, RemovedImport};
use crate::model::stage::Stage;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct EditReport {
    /// The verb as typed (`mark --canary`, `advance`, …).
    #[serde(skip)]
    pub verb: &'static str,
    /// False under `--dry-run` and `--check`, when nothing changed, and
    /// when the batch was refused.
    pub written: bool,
    pub moves: Vec<Move>,
    /// Selected fields already where the command would put them.
    pub unchanged: Vec<String>,
    /// Selected key fields: shared by every subgraph with the entity, they
    /// come with it rather than move.
    pub shared_keys: Vec<String>,
    /// Directives of the monolith's text that the target (federation v1)
    /// cannot declare, left out of the copy.
    pub dropped_directives: Vec<DroppedDirective>,
    /// Refused fields: skipped under `--keep-going`, or every refusal of a
    /// batch that was refused as a whole.
    pub refused: Vec<Refusal>,
    /// Guards `--force` overrode.
    pub forced: Vec<Refusal>,
    /// The files the plan changes; the ledger (and `.gitattributes`) last.
    pub files: Vec<String>,
    pub python_to_delete: Vec<DeletablePython>,
    /// `--delete-python`: the plan removes the Python it lists (written
    /// when `written` is).
    pub python_deleted: bool,
    /// Imports the deletion removes: nothing else in their module names them.
    pub python_removed_imports: Vec<FileLine<RemovedImport>>,
    /// Blocks the deletion leaves without a statement get a `pass`.
    pub python_added_pass: Vec<AddedPass>,
}

/// Python that a field moved to done no longer needs.
#[derive(Debug, Clone, Serialize)]
pub struct DeletablePython {
    pub field: String,
    #[serde(flatten)]
    pub code: PythonCode,
    /// The statements to remove, as exact line ranges.
    pub delete: Vec<CodePiece>,
    /// Statements of the field that stay: a field still served by Python
    /// uses them.
    pub kept: Vec<KeptPiece>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "resolver", rename_all = "kebab-case")]
pub enum PythonCode {
    /// The resolver function, and the function holding its logic when the
    /// resolver delegates to one.
    Function {
        function: String,
        file: String,
        line: u32,
        end_line: u32,
        logic: Option<PythonFunction>,
    },
    /// The library's default resolver (attribute access) serves it.
    DefaultResolver,
    /// No Python index found it; where the monolith's schema declares it.
    Unknown {
        schema_file: Option<String>,
        schema_line: Option<usize>,
    },
}

impl EditReport {
    /// The report of a plan, before anything is written.
    pub fn new(project: &Project, verb: &'static str, plan: &Plan) -> EditReport {
        EditReport {
            verb,
            written: false,
            moves: plan.moves.clone(),
            unchanged: plan.unchanged.clone(),
            shared_keys: plan.shared_keys.clone(),
            dropped_directives: plan.dropped.clone(),
            refused: plan.refused.clone(),
            forced: plan.forced.clone(),
            files: files_ledger_last(plan),
            python_to_delete: deletable_python(project, plan),
            python_deleted: plan.python.applied,
            python_removed_imports: plan.python.removed_imports.clone(),
            python_added_pass: plan.python.added_pass.clone(),
        }
    }

    /// A batch refused as a whole: nothing planned, nothing written.
    pub fn refused(verb: &'static str, refusals: Vec<Refusal>) -> EditReport {
        EditReport {
            verb,
            written: false,
            moves: Vec::new(),
            unchanged: Vec::new(),
            shared_keys: Vec::new(),
            dropped_directives: Vec::new(),
            refused: refusals,
            forced: Vec::new(),
            files: Vec::new(),
            python_to_delete: Vec::new(),
            python_deleted: false,
            python_removed_imports: Vec::new(),
            python_added_pass: Vec::new(),
        }
    }

    /// The files written but the ledger's bookkeeping.
    pub fn schema_files(&self) -> impl Iterator<Item = &str> {
        use crate::model::ledger::{GITATTRIBUTES_FILE, LEDGER_FILE};
        self.files
            .iter()
            .map(String::as_str)
            .filter(|f| *f != LEDGER_FILE && *f != GITATTRIBUTES_FILE)
    }

    /// Records that the plan's files were written.
    pub fn mark_written(&mut self) {
        self.written = !self.files.is_empty();
    }
}

/// The schema files first: what a reader looks for; then the bookkeeping.
fn files_ledger_last(plan: &Plan) -> Vec<String> {
    use crate::model::ledger::{GITATTRIBUTES_FILE, LEDGER_FILE};
    let (bookkeeping, files): (Vec<String>, Vec<String>) = plan
        .changes
        .changes()
        .map(|c| c.path.rel.clone())
        .partition(|rel| rel == LEDGER_FILE || rel == GITATTRIBUTES_FILE);
    files.into_iter().chain(bookkeeping).collect()
}

fn deletable_python(project: &Project, plan: &Plan) -> Vec<DeletablePython> {
    // Fields finished now, then those finished before that --delete-python
    // came back for.
    let finished = plan
        .moves
        .iter()
        .filter(|m| m.to == Stage::Done)
        .map(|m| &m.field);
    let done_before = plan
        .unchanged
        .iter()
        .filter(|field| plan.python.fields.contains_key(*field));
    finished
        .chain(done_before)
        .filter_map(|field| {
            let (type_name, field_name) = field.split_once('.')?;
            let coordinate = crate::model::inventory::FieldCoordinate::new(type_name, field_name);
            let record = project.inventory.field(&coordinate)?;
            let deletion = plan.python.fields.get(field);
            Some(DeletablePython {
                field: field.clone(),
                code: python_code(record),
                delete: deletion.map(|d| d.delete.clone()).unwrap_or_default(),
                kept: deletion.map(|d| d.kept.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

fn python_code(record: &FieldRecord) -> PythonCode {
    match &record.python {
        PythonLink::Resolver { function, logic } => PythonCode::Function {
            function: function.function.clone(),
            file: function.file.clone(),
            line: function.line,
            end_line: function.end_line,
            logic: logic.clone(),
        },
        PythonLink::Default => PythonCode::DefaultResolver,
        PythonLink::Unknown => PythonCode::Unknown {
            schema_file: record.monolith.as_ref().map(|s| s.file.clone()),
            schema_line: record.monolith.as_ref().map(|s| s.line),
        },
    }
}
