//! The stage graph and its guards.
//!
//! ```text
//! python ──mark──▶ manual ──▶ side-by-side ──▶ migrated ──finish──▶ done
//!    │               └──────▶ canary ─────────┘ (or finish ──▶ done)
//!    └──mark --canary──▶ canary
//! ```

use crate::model::inventory::{FieldKind, FieldRecord, GoStatus};
use crate::model::stage::Stage;
use serde::Serialize;

/// Why a field may not move. `overridable` refusals give way to `--force`.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub field: String,
    pub reason: String,
    pub overridable: bool,
}

impl Refusal {
    pub fn hard(field: &FieldRecord, reason: impl Into<String>) -> Refusal {
        Refusal {
            field: field.coordinate.to_string(),
            reason: reason.into(),
            overridable: false,
        }
    }

    pub fn guard(field: &FieldRecord, reason: impl Into<String>) -> Refusal {
        Refusal {
            field: field.coordinate.to_string(),
            reason: reason.into(),
            overridable: true,
        }
    }
}

/// The outcome of asking for a move: the stage it goes to, plus the guards
/// `--force` overrode.
#[derive(Debug, Clone)]
pub struct Allowed {
    pub to: Stage,
    pub forced: Vec<Refusal>,
}

fn check_guards(field: &FieldRecord, to: Stage, force: bool) -> Result<Allowed, Refusal> {
    if field.kind == FieldKind::Mutation && to == Stage::SideBySide {
        return Err(Refusal::hard(
            field,
            "a mutation never goes side by side (the gateway would run its side effects twice); use canary",
        ));
    }
    let mut forced = Vec::new();
    if matches!(to, Stage::SideBySide | Stage::Canary) {
        let problem = match &field.go {
            None => Some(
                "its Go resolver is missing; write it first (`ferry gen go` makes the skeleton)",
            ),
            Some(go) if go.status == GoStatus::Stub => {
                Some("its Go resolver is still a stub; implement it first")
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            let refusal = Refusal::guard(field, format!("cannot enter {to}: {problem}"));
            if !force {
                return Err(refusal);
            }
            forced.push(refusal);
        }
    }
    Ok(Allowed { to, forced })
}

fn common_refusals(field: &FieldRecord) -> Result<(), Refusal> {
    if field.kind == FieldKind::Subscription {
        return Err(Refusal::hard(
            field,
            "subscriptions are listed, never moved",
        ));
    }
    if field.stage == Stage::Unknown {
        return Err(Refusal::hard(
            field,
            "its @migrate state is not one ferry knows; fix it by hand first (see `ferry status` problems)",
        ));
    }
    Ok(())
}

/// The edges `advance` may take from a stage.
pub fn forward_edges(from: Stage) -> &'static [Stage] {
    match from {
        Stage::Manual => &[Stage::SideBySide, Stage::Canary],
        Stage::SideBySide | Stage::Canary => &[Stage::Migrated],
        _ => &[],
    }
}

/// `advance`: one step forward, or `--to` another allowed edge.
pub fn advance(field: &FieldRecord, to: Option<Stage>, force: bool) -> Result<Allowed, Refusal> {
    common_refusals(field)?;
    let from = field.stage;
    let hint = match from {
        Stage::Python => Some("it is not in any Go schema yet; use `ferry mark … --into SERVICE`"),
        Stage::Migrated => Some("it is at migrated; `ferry finish` removes the directive"),
        Stage::Done => Some("it is done"),
        Stage::Go => Some("it is a Go-only field, not part of the migration"),
        _ => None,
    };
    if let Some(hint) = hint {
        return Err(Refusal::hard(field, format!("cannot advance: {hint}")));
    }
    let target = match to {
        Some(to) => {
            if !forward_edges(from).contains(&to) {
                let allowed: Vec<&str> = forward_edges(from).iter().map(|s| s.as_str()).collect();
                return Err(Refusal::hard(
                    field,
                    format!(
                        "cannot go from {from} to {to}; from {from} it can go to {}",
                        allowed.join(" or ")
                    ),
                ));
            }
            to
        }
        None if from == Stage::Manual && field.kind == FieldKind::Mutation => Stage::Canary,
        None if from == Stage::Manual => Stage::SideBySide,
        None => Stage::Migrated,
    };
    check_guards(field, target, force)
}

/// `rollback`: one step back along the same edges. From manual it leaves
/// the Go schema (stage python).
pub fn rollback(field: &FieldRecord) -> Result<Allowed, Refusal> {
    common_refusals(field)?;
    let to = match field.stage {
        Stage::Manual => Stage::Python,
        Stage::SideBySide | Stage::Canary => Stage::Manual,
        Stage::Migrated if field.kind == FieldKind::Mutation => Stage::Canary,
        Stage::Migrated => Stage::SideBySide,
        Stage::Done => {
            return Err(Refusal::hard(
                field,
                "done is terminal: its @migrate was removed",
            ));
        }
        Stage::Python => return Err(Refusal::hard(field, "it is at python already")),
        Stage::Go | Stage::Unknown => {
            return Err(Refusal::hard(
                field,
                "a Go-only field is not part of the migration",
            ));
        }
    };
    Ok(Allowed {
        to,
        forced: Vec::new(),
    })
}

/// `finish`: from migrated or canary, remove the directive.
pub fn finish(field: &FieldRecord) -> Result<Allowed, Refusal> {
    common_refusals(field)?;
    match field.stage {
        Stage::Migrated | Stage::Canary => Ok(Allowed {
            to: Stage::Done,
            forced: Vec::new(),
        }),
        other => Err(Refusal::hard(
            field,
            format!("cannot finish from {other}: only migrated or canary fields can be finished"),
        )),
    }
}

/// `mark`: python → manual, or python → canary with `--canary`.
pub fn mark(field: &FieldRecord, canary: bool, force: bool) -> Result<Allowed, Refusal> {
    common_refusals(field)?;
    if field.kind == FieldKind::Interface {
        return Err(Refusal::hard(
            field,
            "interface fields are not moved on their own; mark the field on each implementing type",
        ));
    }
    if field.monolith.is_none() {
        return Err(Refusal::hard(
            field,
            "the monolith's schema has no such field",
        ));
    }
    let to = if canary { Stage::Canary } else { Stage::Manual };
    check_guards(field, to, force)
}
