//! What the inventory saw, as findings: the message says what is wrong;
//! the advice is the rule's hint unless these facts call for other advice.

use crate::check::{Finding, Rule};
use crate::model::inventory::{Anomaly, Inventory};
use crate::model::stage::Stage;

pub(super) fn finding(anomaly: &Anomaly, inventory: &Inventory) -> Finding {
    match anomaly {
        Anomaly::MonolithInvalid(invalid) => Finding::new(
            Rule::MonolithInvalid,
            format!(
                "the monolith's SDL does not validate: {}; ferry reads it as it is",
                invalid.message
            ),
            invalid.file.clone(),
            invalid.line,
        ),
        Anomaly::DirectiveUndeclared { service, first_use } => Finding::at(
            Rule::DirectiveUndeclared,
            format!("service `{service}` uses @migrate but does not declare it"),
            first_use,
        ),
        Anomaly::ClaimedTwice { field, claims } => {
            let names: Vec<String> = claims
                .iter()
                .map(|c| format!("{} ({}:{})", c.service, c.site.file, c.site.line))
                .collect();
            let (last, others) = names.split_last().expect("a field claimed twice");
            // The first claim decides the stage; point at a later one.
            let second = &claims[1].site;
            Finding::at(
                Rule::ClaimedTwice,
                format!("{field} is claimed by {} and {last}", others.join(", ")),
                second,
            )
        }
        Anomaly::UnknownState { field, state, site } => Finding::at(
            Rule::UnknownState,
            format!("{field}: @migrate(state: \"{state}\") names no stage ferry knows"),
            site,
        ),
        Anomaly::MissingState { field, site } => Finding::at(
            Rule::MissingState,
            format!("{field}: @migrate has no `state`, so its stage is unknown"),
            site,
        ),
        Anomaly::MissingFrom { field, site } => Finding::at(
            Rule::MissingFrom,
            format!("{field}: @migrate has no `from`"),
            site,
        ),
        Anomaly::ColorWithoutCanary {
            field,
            color,
            stage,
            site,
        } => Finding::at(
            Rule::ColorWithoutCanary,
            format!(
                "{field} is at {stage} but has color \"{color}\", which only a canary field has"
            ),
            site,
        ),
        Anomaly::MigrateNotInMonolith { field, site } => Finding::at(
            Rule::MigrateNotInMonolith,
            format!("{field} carries @migrate but the monolith's SDL has no such field"),
            site,
        ),
        Anomaly::SdlStale { field, python } => {
            let (file, line) = match python {
                Some(function) => (Some(function.file.clone()), Some(function.line as usize)),
                None => (None, None),
            };
            let finding = Finding::new(
                Rule::SdlStale,
                format!("the Python declares {field} but the monolith's SDL does not"),
                file,
                line,
            );
            // Left the SDL because Go serves it alone: the Python is what is
            // stale, and exporting again would bring the field back.
            match inventory.field(field) {
                Some(record) if record.stage == Stage::Go => finding.with_hint(
                    "Go serves the field alone: delete it from the Python, then export the monolith's SDL again",
                ),
                _ => finding,
            }
        }
        Anomaly::PythonUnreadable {
            file,
            reason,
            scanned,
        } => {
            let message = if *scanned {
                format!(
                    "Python cannot decode this file: {reason}; ferry scanned it with replacement characters"
                )
            } else {
                format!("ferry cannot scan this Python file: {reason}")
            };
            let finding = Finding::new(Rule::PythonUnreadable, message, Some(file.clone()), None);
            if *scanned {
                finding.with_hint("save the file as UTF-8, or name its encoding in a `# -*- coding: … -*-` line at its top (PEP 263)")
            } else {
                finding
            }
        }
        Anomaly::PythonUntracedSchema {
            file,
            line,
            message,
        } => Finding::new(
            Rule::PythonUntracedSchema,
            message.clone(),
            Some(file.clone()),
            Some(*line),
        ),
        Anomaly::PythonAmbiguousType {
            file,
            line,
            message,
        } => Finding::new(
            Rule::PythonAmbiguousType,
            message.clone(),
            Some(file.clone()),
            Some(*line),
        ),
        Anomaly::PythonSyntaxError {
            file,
            line,
            message,
        } => Finding::new(
            Rule::PythonSyntaxError,
            message.clone(),
            Some(file.clone()),
            Some(*line),
        ),
    }
}
