//! The joined model: the monolith's SDL, the services' schemas, the Python
//! and Go resolver indexes, brought together per `Type.field`. The only
//! place that joins the code indexes; everything after it reads this.

pub mod inventory;
pub mod ledger;
pub mod project;
pub mod python_text;
pub mod stage;

pub use inventory::{FieldCoordinate, FieldKind, FieldRecord, Inventory};
pub use project::{Project, ProjectError};
pub use stage::Stage;
