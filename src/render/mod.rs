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
pub mod plan;
pub mod report;
pub mod report_cells;
pub mod report_html;
pub mod report_json;
pub mod report_markdown;
pub mod style;
pub mod svg_chart;
pub mod table;
