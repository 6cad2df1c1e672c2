//! Show: one printer per output mode (table, markdown, JSON) over the same
//! report model.

pub mod compare_report;
pub mod diff;
pub mod edit_report;
pub mod field_detail;
pub mod field_report;
pub mod findings;
pub mod gen_report;
pub mod init_report;
pub mod json;
pub mod markdown;
pub mod report;
pub mod style;
pub mod table;
