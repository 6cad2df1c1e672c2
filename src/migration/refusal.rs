//! Why a field may not move: one typed reason per guard, with the data it
//! names, and the one place its English is written.

use crate::compare::evidence::Readiness;
use crate::model::inventory::FieldRecord;
use crate::model::stage::Stage;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Subscription,
    /// A `@migrate(state:)` ferry does not know.
    UnknownState,
    /// The gateway would run a mutation's side effects twice.
    MutationSideBySide,
    GoResolverMissing {
        to: Stage,
    },
    GoResolverStub {
        to: Stage,
    },
    /// side-by-side → migrated without passing evidence that Go answers
    /// as Python does; `gather` is the `ferry compare` command to run.
    EvidenceNotReady {
        readiness: Readiness,
        gather: String,
    },
    /// `advance` from a stage that has no forward edge.
    CannotAdvance {
        from: Stage,
    },
    NoSuchEdge {
        from: Stage,
        to: Stage,
        allowed: &'static [Stage],
    },
    AlreadyPython,
    DoneIsTerminal,
    /// A field never in the monolith.
    GoOnly,
    /// A key field: shared by every subgraph with the entity, never moved.
    SharedKey,
    CannotFinish {
        from: Stage,
    },
    Interface,
    NotInMonolith,
    /// `gen go`: no service's schema defines the field, so its resolver
    /// has nowhere to go.
    NotInAService,
    AlreadyInService {
        service: String,
        stage: Stage,
    },
    ClaimedByOtherService {
        service: String,
        stage: Stage,
    },
    /// The target service has the field as `@external` or a key field.
    DeclaredInTarget {
        service: String,
        file: String,
        line: usize,
    },
    NoEntityKey {
        type_name: String,
    },
    NestedKey {
        type_name: String,
        key: String,
    },
    /// The override dialect into a federation v1 service: v1 has no `@override`.
    OverrideNeedsFederation2 {
        service: String,
    },
    /// Composition refuses `@override` of a field the monolith resolves
    /// with `@requires` or `@provides`.
    OverrideWithFieldSet {
        directive: String,
    },
    /// A canary color no override label can carry.
    InvalidCanaryLabel {
        label: String,
    },
    /// `advance --to canary` from canary with no higher rung and no
    /// percent or color asked for.
    TopOfLadder {
        percent: String,
    },
}

impl Reason {
    /// Whether `--force` overrides it.
    pub fn overridable(&self) -> bool {
        matches!(
            self,
            Reason::GoResolverMissing { .. }
                | Reason::GoResolverStub { .. }
                | Reason::EvidenceNotReady { .. }
        )
    }

    /// A stable name for scripts.
    pub fn id(&self) -> &'static str {
        match self {
            Reason::Subscription => "subscription",
            Reason::UnknownState => "unknown-state",
            Reason::MutationSideBySide => "mutation-side-by-side",
            Reason::GoResolverMissing { .. } => "go-resolver-missing",
            Reason::GoResolverStub { .. } => "go-resolver-stub",
            Reason::EvidenceNotReady { .. } => "evidence-not-ready",
            Reason::CannotAdvance { .. } => "cannot-advance",
            Reason::NoSuchEdge { .. } => "no-such-edge",
            Reason::AlreadyPython => "already-python",
            Reason::DoneIsTerminal => "done-is-terminal",
            Reason::GoOnly => "go-only",
            Reason::SharedKey => "shared-key",
            Reason::CannotFinish { .. } => "cannot-finish",
            Reason::Interface => "interface-field",
            Reason::NotInMonolith => "not-in-monolith",
            Reason::NotInAService => "not-in-a-service",
            Reason::AlreadyInService { .. } => "already-in-service",
            Reason::ClaimedByOtherService { .. } => "claimed-by-other-service",
            Reason::DeclaredInTarget { .. } => "declared-in-target",
            Reason::NoEntityKey { .. } => "no-entity-key",
            Reason::NestedKey { .. } => "nested-key",
            Reason::OverrideNeedsFederation2 { .. } => "override-needs-federation-2",
            Reason::OverrideWithFieldSet { .. } => "override-with-field-set",
            Reason::InvalidCanaryLabel { .. } => "invalid-canary-label",
            Reason::TopOfLadder { .. } => "top-of-ladder",
        }
    }

    /// The reason, and that `--force` overrides it when it does.
    pub fn with_force_hint(&self) -> String {
        if self.overridable() {
            format!("{self} (--force overrides)")
        } else {
            self.to_string()
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Subscription => f.write_str("subscriptions are listed, never moved"),
            Reason::UnknownState => f.write_str(
                "its @migrate state is not one ferry knows; fix it by hand first (see `ferry status` problems)",
            ),
            Reason::MutationSideBySide => f.write_str(
                "a mutation never goes side by side (the gateway would run its side effects twice); use canary",
            ),
            Reason::GoResolverMissing { to } => write!(
                f,
                "cannot enter {to}: its Go resolver is missing; write it first (`ferry gen go` makes the skeleton)"
            ),
            Reason::GoResolverStub { to } => write!(
                f,
                "cannot enter {to}: its Go resolver is still a stub; implement it first"
            ),
            Reason::EvidenceNotReady { readiness, gather } => write!(
                f,
                "cannot enter migrated: {}",
                readiness.explain(gather)
            ),
            Reason::CannotAdvance { from } => {
                let hint = match from {
                    Stage::Python => {
                        "it is not in any Go schema yet; use `ferry mark … --into SERVICE`"
                    }
                    Stage::Migrated => "it is at migrated; `ferry finish` removes the directive",
                    Stage::Done => "it is done",
                    _ => "it is a Go-only field, not part of the migration",
                };
                write!(f, "cannot advance: {hint}")
            }
            Reason::NoSuchEdge { from, to, allowed } => {
                let allowed: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
                write!(
                    f,
                    "cannot go from {from} to {to}; from {from} it can go to {}",
                    allowed.join(" or ")
                )
            }
            Reason::AlreadyPython => f.write_str("it is at python already"),
            Reason::DoneIsTerminal => f.write_str("done is terminal: its @migrate was removed"),
            Reason::GoOnly => f.write_str("a Go-only field is not part of the migration"),
            Reason::SharedKey => f.write_str(
                "a key field is shared, not moved: every subgraph that has the entity resolves it from the representation, and mark writes it with the entity's other fields",
            ),
            Reason::CannotFinish { from } => write!(
                f,
                "cannot finish from {from}: only migrated or canary fields can be finished"
            ),
            Reason::Interface => f.write_str(
                "interface fields are not moved on their own; mark the field on each implementing type",
            ),
            Reason::NotInMonolith => f.write_str("the monolith's schema has no such field"),
            Reason::NotInAService => f.write_str(
                "no service's schema defines it yet; mark it into one first (`ferry mark … --into SERVICE`)",
            ),
            Reason::AlreadyInService { service, stage } => match stage {
                Stage::Done => write!(f, "already moved to `{service}`: it is done"),
                Stage::Go => write!(
                    f,
                    "already in `{service}`: a Go-only field, not part of the migration"
                ),
                Stage::Migrated => write!(
                    f,
                    "already in `{service}` at migrated; `ferry finish` or `ferry rollback` moves it"
                ),
                _ => write!(
                    f,
                    "already in `{service}` at {stage}; use advance or rollback"
                ),
            },
            Reason::ClaimedByOtherService { service, stage } => {
                write!(f, "already claimed by service `{service}` (at {stage})")
            }
            Reason::DeclaredInTarget {
                service,
                file,
                line,
            } => write!(
                f,
                "`{service}` declares it as an @external or key field at {file}:{line}; edit that definition by hand"
            ),
            Reason::NoEntityKey { type_name } => write!(
                f,
                "{type_name} has no @key in the monolith's schema and no `keys` entry in ferry.toml; \
                 if it is an entity, add `keys = {{ {type_name} = \"id\" }}` under [python]; \
                 if it is a value type, move the parent field that returns it instead"
            ),
            Reason::NestedKey { type_name, key } => write!(
                f,
                "the key of {type_name} (`{key}`) has nested fields, which mark does not write; add the type's block by hand first"
            ),
            Reason::OverrideNeedsFederation2 { service } => write!(
                f,
                "`{service}` is a federation v1 subgraph, which has no @override; link federation v2.7 in its schema, or give it `dialect = \"migrate\"` in ferry.toml"
            ),
            Reason::OverrideWithFieldSet { directive } => write!(
                f,
                "the monolith resolves it with @{directive}, and composition refuses @override of such a field; move it without {directive} first, or use the migrate dialect"
            ),
            Reason::InvalidCanaryLabel { label } => write!(
                f,
                "`{label}` is not an override label (a letter, then letters, digits and _-:./); choose another --canary-color"
            ),
            Reason::TopOfLadder { percent } => write!(
                f,
                "it is at percent({percent}), the top of [override] ladder; give --percent N, or advance to migrated"
            ),
        }
    }
}

/// One field a command will not move, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: String,
    pub reason: Reason,
}

impl Refusal {
    pub fn new(field: &FieldRecord, reason: Reason) -> Refusal {
        Refusal {
            field: field.coordinate.to_string(),
            reason,
        }
    }

    pub fn overridable(&self) -> bool {
        self.reason.overridable()
    }
}

/// `{field, id, reason, overridable}`: the reason as English, its id for
/// scripts; the evidence gate's also `readiness` (its numbers) and
/// `command` (what gathers the evidence).
impl Serialize for Refusal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Refusal", 6)?;
        out.serialize_field("field", &self.field)?;
        out.serialize_field("id", self.reason.id())?;
        out.serialize_field("reason", &self.reason.to_string())?;
        out.serialize_field("overridable", &self.overridable())?;
        if let Reason::EvidenceNotReady { readiness, gather } = &self.reason {
            out.serialize_field("readiness", readiness)?;
            out.serialize_field("command", gather)?;
        }
        out.end()
    }
}
