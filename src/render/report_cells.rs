//! The words and numbers `ferry report`'s HTML and markdown printers share,
//! so the two never disagree about a cell.

use crate::render::compare_report::verdict_cell;
use crate::report::{FieldInFlight, MigrationReport, PointSource, ProgressPoint, SinceSource};

/// A progress point's x label: its date, or `now` for the report's own.
pub fn point_label(point: &ProgressPoint) -> String {
    if point.is_now() {
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
    match (field.since, field.since_from) {
        (Some(since), Some(SinceSource::Git)) => format!("{} (git)", since.date()),
        (Some(since), _) => since.date(),
        (None, _) => "not in the ledger".into(),
    }
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

/// Where the progress chart's points come from, in one sentence.
pub fn history_sentence(report: &MigrationReport) -> String {
    let from =
        |wanted: fn(&PointSource) -> bool| report.progress.iter().find(|p| wanted(&p.source));
    let git = from(|s| matches!(s, PointSource::Git { .. }));
    let ledger = from(|s| *s == PointSource::Ledger);
    match (git, ledger) {
        (None, None) => "There is no migration ledger yet, so the history is just today.".into(),
        (None, Some(_)) => "Drawn from the migration ledger: one point per day with a recorded transition, and now.".into(),
        (Some(_), None) => "Drawn from the git history of the schema files: one point per day with a commit that changed them, and now.".into(),
        (Some(_), Some(first)) => format!(
            "Drawn from the git history of the schema files until the migration ledger starts ({}), then from the ledger: one point per day, and now.",
            first.time.date()
        ),
    }
}

/// `812 lines of Python left to port in 14 fields, 5 clusters`.
pub fn effort_sentence(report: &MigrationReport) -> String {
    let counted = crate::render::report::counted;
    let effort = &report.effort;
    if effort.clusters.is_empty() {
        return "No field is still served by Python: nothing is left to port.".into();
    }
    format!(
        "{} of Python left to port in {}, {}, in the order `ferry plan` gives; lines that fields already on Go reach are counted as ported.",
        counted(effort.lines_left() as usize, "line"),
        counted(effort.fields_left(), "field"),
        counted(effort.clusters.len(), "cluster")
    )
}
