//! The joined model: the monolith's SDL, the services' schemas, the Python
//! and Go resolver indexes, brought together per `Type.field`. The only
//! place that joins the code indexes; everything after it reads this.

pub mod dialect;
pub mod evidence;
pub mod inventory;
pub mod ledger;
pub mod monolith;
mod progress;
pub mod project;
pub mod python_code;
pub mod python_text;
pub mod stage;

/// The Python resolver index a project holds (the TUI tells a reload that read it again by it).
pub use crate::python::PythonIndex;
/// What each field's Python resolver calls and touches (`ferry plan`).
pub use crate::python::calls::{
    CallGraph, DataAccess, DataTouch, DataVia, GraphFunction, MAX_DEPTH as MAX_CALL_DEPTH,
};
pub use inventory::{FieldCoordinate, FieldKind, FieldRecord, Inventory};
pub use project::{Project, ProjectError};
pub use stage::Stage;
