//! The stage graph and every guard on it. The planners and `show`'s next
//! step ask the same functions, so what `show` advises is what the verb does.
//!
//! ```text
//! python ──mark──▶ manual ──▶ side-by-side ──▶ migrated ──finish──▶ done
//!    │               └──────▶ canary ─────────┘ (or finish ──▶ done)
//!    └──mark --canary──▶ canary
//! ```

use crate::compare::evidence::FieldVerdict;
use crate::migration::refusal::{Reason, Refusal};
use crate::model::dialect::{CANARY_LABEL_PREFIX, CanaryGroup, valid_label};
use crate::model::inventory::{FieldKind, FieldRecord, GoStatus};
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::schema::federation::FederationVersion;
use crate::workspace::DialectName;
use crate::workspace::percent::Percent;

/// The outcome of asking for a move: the stage it goes to, plus the guards
/// `--force` overrode.
#[derive(Debug, Clone)]
pub struct Allowed {
    pub to: Stage,
    pub forced: Vec<Refusal>,
    /// The canary group the move sets (canary → canary: the ladder's next rung).
    pub group: Option<CanaryGroup>,
}

impl Allowed {
    fn to(to: Stage) -> Allowed {
        Allowed {
            to,
            forced: Vec::new(),
            group: None,
        }
    }
}

/// What `advance` knows of canaries: the ladder, and the group asked for
/// (`--percent`, `--canary-color`).
#[derive(Debug, Clone, Copy)]
pub struct CanaryStep<'a> {
    pub ladder: &'a [Percent],
    pub requested: Option<&'a CanaryGroup>,
}

/// The ladder's first rung above `percent`.
fn next_rung(ladder: &[Percent], percent: &Percent) -> Option<Percent> {
    ladder
        .iter()
        .find(|rung| rung.value() > percent.value())
        .cloned()
}

fn check_guards(
    project: &Project,
    field: &FieldRecord,
    to: Stage,
    force: bool,
) -> Result<Allowed, Refusal> {
    if field.kind == FieldKind::Mutation && to == Stage::SideBySide {
        return Err(Refusal::new(field, Reason::MutationSideBySide));
    }
    let problem = match to {
        Stage::SideBySide | Stage::Canary => match &field.go {
            None => Some(Reason::GoResolverMissing { to }),
            Some(go) if go.status == GoStatus::Stub => Some(Reason::GoResolverStub { to }),
            Some(_) => None,
        },
        // Canary splits traffic instead of comparing: only side-by-side
        // leaves with evidence.
        Stage::Migrated if field.stage == Stage::SideBySide => evidence_guard(project, field),
        _ => None,
    };
    let mut allowed = Allowed::to(to);
    if let Some(problem) = problem {
        let refusal = Refusal::new(field, problem);
        if !force {
            return Err(refusal);
        }
        allowed.forced.push(refusal);
    }
    Ok(allowed)
}

/// side-by-side → migrated: the evidence `ferry compare` committed must
/// pass the gate against the Go resolver as it is now.
fn evidence_guard(project: &Project, field: &FieldRecord) -> Option<Reason> {
    let verdict = FieldVerdict::of(project, field);
    (!verdict.passes).then_some(Reason::EvidenceNotReady {
        readiness: verdict.readiness,
        gather: verdict.command,
    })
}

fn common_refusals(field: &FieldRecord) -> Result<(), Refusal> {
    if field.kind == FieldKind::Subscription {
        return Err(Refusal::new(field, Reason::Subscription));
    }
    if field.stage == Stage::Unknown {
        return Err(Refusal::new(field, Reason::UnknownState));
    }
    if field.stage == Stage::Key {
        return Err(Refusal::new(field, Reason::SharedKey));
    }
    Ok(())
}

/// The edges `advance` may take from a stage.
pub fn forward_edges(from: Stage) -> &'static [Stage] {
    match from {
        Stage::Manual => &[Stage::SideBySide, Stage::Canary],
        Stage::SideBySide => &[Stage::Migrated],
        // canary → canary: another percentage or group.
        Stage::Canary => &[Stage::Migrated, Stage::Canary],
        _ => &[],
    }
}

/// `advance`: one step forward, or `--to` another allowed edge. A canary
/// at a percentage climbs the ladder before it goes to migrated.
pub fn advance(
    project: &Project,
    field: &FieldRecord,
    to: Option<Stage>,
    force: bool,
    canary: CanaryStep,
) -> Result<Allowed, Refusal> {
    common_refusals(field)?;
    let from = field.stage;
    if from == Stage::Canary && to != Some(Stage::Migrated) {
        let rung = field
            .percent
            .as_ref()
            .and_then(|p| next_rung(canary.ladder, p));
        // A color alone keeps advance's default edge (canary → migrated);
        // a percentage, or `--to canary`, stays at canary.
        let requested = canary
            .requested
            .filter(|g| to == Some(Stage::Canary) || matches!(g, CanaryGroup::Percent(_)));
        let group = requested.cloned().or(rung.map(CanaryGroup::Percent));
        match (group, to) {
            (Some(group), _) => {
                let mut allowed = check_guards(project, field, Stage::Canary, force)?;
                allowed.group = Some(group);
                return Ok(allowed);
            }
            (None, Some(_)) => {
                let percent = field
                    .percent
                    .as_ref()
                    .map_or_else(String::new, |p| p.as_str().to_string());
                return Err(Refusal::new(field, Reason::TopOfLadder { percent }));
            }
            (None, None) => {}
        }
    }
    if matches!(
        from,
        Stage::Python | Stage::Migrated | Stage::Done | Stage::Go
    ) {
        return Err(Refusal::new(field, Reason::CannotAdvance { from }));
    }
    let target = match to {
        Some(to) if !forward_edges(from).contains(&to) => {
            return Err(Refusal::new(
                field,
                Reason::NoSuchEdge {
                    from,
                    to,
                    allowed: forward_edges(from),
                },
            ));
        }
        Some(to) => to,
        None if from == Stage::Manual && field.kind == FieldKind::Mutation => Stage::Canary,
        None if from == Stage::Manual => Stage::SideBySide,
        None => Stage::Migrated,
    };
    check_guards(project, field, target, force)
}

/// The ladder's highest rung below `percent`.
fn previous_rung(ladder: &[Percent], percent: &Percent) -> Option<Percent> {
    ladder
        .iter()
        .filter(|rung| rung.value() < percent.value())
        .max_by(|a, b| a.value().total_cmp(&b.value()))
        .cloned()
}

/// `rollback`: one step back along the same edges, `advance` retraced. A
/// canary at a percentage steps down the ladder (to its highest rung
/// below) before it leaves canary for manual; from manual it leaves the
/// Go schema (stage python).
pub fn rollback(field: &FieldRecord, ladder: &[Percent]) -> Result<Allowed, Refusal> {
    common_refusals(field)?;
    if field.stage == Stage::Canary
        && let Some(rung) = field
            .percent
            .as_ref()
            .and_then(|p| previous_rung(ladder, p))
    {
        return Ok(Allowed {
            group: Some(CanaryGroup::Percent(rung)),
            ..Allowed::to(Stage::Canary)
        });
    }
    let to = match field.stage {
        Stage::Manual => Stage::Python,
        Stage::SideBySide | Stage::Canary => Stage::Manual,
        Stage::Migrated if field.kind == FieldKind::Mutation => Stage::Canary,
        Stage::Migrated => Stage::SideBySide,
        Stage::Done => return Err(Refusal::new(field, Reason::DoneIsTerminal)),
        Stage::Python => return Err(Refusal::new(field, Reason::AlreadyPython)),
        Stage::Go | Stage::Unknown | Stage::Key => {
            return Err(Refusal::new(field, Reason::GoOnly));
        }
    };
    Ok(Allowed::to(to))
}

/// `finish`: from migrated or canary, remove the directive.
pub fn finish(field: &FieldRecord) -> Result<Allowed, Refusal> {
    common_refusals(field)?;
    match field.stage {
        Stage::Migrated | Stage::Canary => Ok(Allowed::to(Stage::Done)),
        from => Err(Refusal::new(field, Reason::CannotFinish { from })),
    }
}

/// `mark`: python → manual, or python → canary with `--canary`. With
/// `into`, every guard for that service; without (what `show` asks), the
/// guards that hold whichever service it goes to.
pub fn mark(
    project: &Project,
    field: &FieldRecord,
    into: Option<&str>,
    canary: bool,
    force: bool,
) -> Result<Allowed, Refusal> {
    if let Some(owner) = &field.service {
        let stage = field.stage;
        let service = owner.clone();
        return Err(Refusal::new(
            field,
            if into == Some(owner.as_str()) {
                Reason::AlreadyInService { service, stage }
            } else {
                Reason::ClaimedByOtherService { service, stage }
            },
        ));
    }
    if let Some(def) = into.and_then(|into| field.definitions.iter().find(|d| d.service == into)) {
        return Err(Refusal::new(
            field,
            Reason::DeclaredInTarget {
                service: def.service.clone(),
                file: def.site.file.clone(),
                line: def.site.line,
            },
        ));
    }
    common_refusals(field)?;
    if field.kind == FieldKind::Interface {
        return Err(Refusal::new(field, Reason::Interface));
    }
    if field.monolith.is_none() {
        return Err(Refusal::new(field, Reason::NotInMonolith));
    }
    if !field.kind.is_root() {
        let type_name = field.coordinate.type_name.clone();
        match entity_key(project, &type_name) {
            None => return Err(Refusal::new(field, Reason::NoEntityKey { type_name })),
            Some(key) if key.contains('{') => {
                return Err(Refusal::new(field, Reason::NestedKey { type_name, key }));
            }
            Some(_) => {}
        }
    }
    if let Some((service, loaded)) = into.and_then(|into| project.service(into))
        && service.dialect == DialectName::Override
    {
        if loaded.federation.stated && loaded.federation.version == FederationVersion::V1 {
            return Err(Refusal::new(
                field,
                Reason::OverrideNeedsFederation2 {
                    service: service.name.clone(),
                },
            ));
        }
        override_of_monolith_field(project, field)?;
    }
    let to = if canary { Stage::Canary } else { Stage::Manual };
    check_guards(project, field, to, force)
}

/// Composition's rule for `@override`: the field the monolith resolves
/// must not carry `@requires` or `@provides`.
fn override_of_monolith_field(project: &Project, field: &FieldRecord) -> Result<(), Refusal> {
    let monolith = &project.monolith;
    let Ok(definition) = monolith
        .schema
        .type_field(&field.coordinate.type_name, &field.coordinate.field_name)
    else {
        return Ok(());
    };
    for spec in ["requires", "provides"] {
        if definition
            .directives
            .has(monolith.federation.directive(spec))
        {
            return Err(Refusal::new(
                field,
                Reason::OverrideWithFieldSet {
                    directive: spec.to_string(),
                },
            ));
        }
    }
    Ok(())
}

/// A colored canary in the override dialect is the label `canary:COLOR`,
/// which composition accepts only in its label alphabet.
pub fn canary_label(
    field: &FieldRecord,
    spelling: DialectName,
    group: Option<&CanaryGroup>,
) -> Result<(), Refusal> {
    if let (DialectName::Override, Some(CanaryGroup::Color(color))) = (spelling, group) {
        let label = format!("{CANARY_LABEL_PREFIX}{color}");
        if !valid_label(&label) {
            return Err(Refusal::new(field, Reason::InvalidCanaryLabel { label }));
        }
    }
    Ok(())
}

/// The key `mark` writes for a type: the monolith's `@key`, else `keys` in ferry.toml.
pub fn entity_key(project: &Project, type_name: &str) -> Option<String> {
    let key_directive = project.monolith.federation.directive("key");
    project
        .monolith
        .schema
        .types
        .get(type_name)
        .and_then(|ty| {
            ty.directives()
                .get(key_directive)
                .and_then(|d| d.specified_argument_by_name("fields"))
                .and_then(|v| v.as_str().map(str::to_string))
        })
        .or_else(|| project.workspace.python.keys.get(type_name).cloned())
}

/// The verb that takes a field its next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextVerb {
    /// Into a service the user names.
    Mark,
    Advance,
    Finish,
}

/// The next step of a field, asked of the same guards the verb asks
/// (without `--force`).
pub fn next_step(project: &Project, field: &FieldRecord) -> Result<(NextVerb, Allowed), Refusal> {
    match field.stage {
        Stage::Python => mark(project, field, None, false, false).map(|a| (NextVerb::Mark, a)),
        Stage::Migrated => finish(field).map(|a| (NextVerb::Finish, a)),
        _ => {
            let canary = CanaryStep {
                ladder: &project.workspace.override_settings.ladder,
                requested: None,
            };
            advance(project, field, None, false, canary).map(|a| (NextVerb::Advance, a))
        }
    }
}
