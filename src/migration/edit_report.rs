//! What an editing command did, built once from its plan: the moves, what
//! was already there, what was refused or forced, the files, whether they
//! were written, and the Python a finished field no longer needs. The
//! terminal, `--json` and the TUI's status line all print this.

use crate::migration::plan::{Move, Plan};
use crate::migration::refusal::Refusal;
use crate::model::inventory::{FieldRecord, PythonFunction, PythonLink};
use crate::model::project::Project;
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
    /// Refused fields: skipped under `--keep-going`, or every refusal of a
    /// batch that was refused as a whole.
    pub refused: Vec<Refusal>,
    /// Guards `--force` overrode.
    pub forced: Vec<Refusal>,
    /// The files the plan changes.
    pub files: Vec<String>,
    pub python_to_delete: Vec<DeletablePython>,
}

/// Python that a field moved to done no longer needs.
#[derive(Debug, Clone, Serialize)]
pub struct DeletablePython {
    pub field: String,
    #[serde(flatten)]
    pub code: PythonCode,
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
            refused: plan.refused.clone(),
            forced: plan.forced.clone(),
            files: plan.changes.changes().map(|c| c.path.rel.clone()).collect(),
            python_to_delete: deletable_python(project, &plan.moves),
        }
    }

    /// A batch refused as a whole: nothing planned, nothing written.
    pub fn refused(verb: &'static str, refusals: Vec<Refusal>) -> EditReport {
        EditReport {
            verb,
            written: false,
            moves: Vec::new(),
            unchanged: Vec::new(),
            refused: refusals,
            forced: Vec::new(),
            files: Vec::new(),
            python_to_delete: Vec::new(),
        }
    }

    /// Records that the plan's files were written.
    pub fn mark_written(&mut self) {
        self.written = !self.files.is_empty();
    }
}

fn deletable_python(project: &Project, moves: &[Move]) -> Vec<DeletablePython> {
    moves
        .iter()
        .filter(|m| m.to == Stage::Done)
        .filter_map(|m| {
            let (type_name, field_name) = m.field.split_once('.')?;
            let coordinate = crate::model::inventory::FieldCoordinate::new(type_name, field_name);
            let record = project.inventory.field(&coordinate)?;
            Some(DeletablePython {
                field: m.field.clone(),
                code: python_code(record),
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
