//! The words and numbers `ferry report`'s HTML and markdown printers share,
//! so the two never disagree about a cell.

use crate::render::compare_report::verdict_cell;
use crate::report::{FieldInFlight, MigrationReport, ProgressPoint};

/// A progress point's x label: its date, or `now` for the report's own.
pub fn point_label(point: &ProgressPoint) -> String {
    if point.is_now {
        format!("now ({})", point.time.date())
    } else {
        point.time.date()
    }
}

pub fn stage_cell(field: &FieldInFlight) -> String {
    match &field.color {
        Some(color) => format!("{} ({color})", field.stage),
        None => field.stage.to_string(),
    }
}

pub fn since_cell(field: &FieldInFlight) -> String {
    field
        .since
        .map_or_else(|| "not in the ledger".into(), |since| since.date())
}

pub fn age_cell(field: &FieldInFlight) -> String {
    match field.age_days {
        Some(days) if field.stuck => format!("{days} (stuck)"),
        Some(days) => days.to_string(),
        None => "?".into(),
    }
}

pub fn evidence_cell(field: &FieldInFlight) -> String {
    match &field.evidence {
        Some(verdict) if verdict.measured() => format!(
            "{} samples, {} mismatched, {} noisy · {}",
            verdict.samples,
            verdict.mismatches,
            verdict.noisy,
            verdict_cell(verdict)
        ),
        _ => "none yet".into(),
    }
}

/// `4 of 21 planned fields served by Go (19%)`.
pub fn headline(report: &MigrationReport) -> String {
    let planned: usize = report.services.iter().map(|s| s.planned).sum();
    let served: usize = report.services.iter().map(|s| s.served_by_go).sum();
    let percent = (served * 100).checked_div(planned).unwrap_or(0);
    format!("{served} of {planned} planned fields served by Go ({percent}%)")
}

/// `6 fields in flight, 1 stuck (30 days or more in one stage)`.
pub fn in_flight_summary(report: &MigrationReport) -> String {
    format!(
        "{} in flight, {} stuck ({} days or more in one stage)",
        crate::render::report::counted(report.in_flight.len(), "field"),
        report.stuck(),
        report.stuck_after_days
    )
}
