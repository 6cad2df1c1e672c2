//! Show: one printer per output mode (table, markdown, JSON) over the same
//! report model.

pub mod compare_report;
pub mod diff;
pub mod field_detail;
pub mod findings;
pub mod json;
pub mod markdown;
pub mod report;
pub mod style;
pub mod table;
