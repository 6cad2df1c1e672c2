//! The two spellings of one stage model in a Go service's schema, and the
//! one place either is read or written:
//!
//! | stage | `migrate` | `override` |
//! |---|---|---|
//! | manual | `@migrate(from: "python", state: "manual")` | `@override(from: "monolith", label: "ferry:manual")` |
//! | side-by-side | `state: "side-by-side"` | `label: "ferry:side-by-side"` |
//! | canary | `state: "canary", color: "red"` (or `"percent(5)"`) | `label: "canary:red"` or `"percent(5)"` |
//! | migrated | `state: "migrated"` | `@override(from: "monolith")` |
//! | done | no directive | no directive |
//!
//! A field is read in the spelling it carries, whatever its service's
//! dialect (so a workspace half converted still reads); new directives are
//! written in the service's dialect; an edit keeps the spelling it finds.

use crate::model::stage::Stage;
use crate::schema::migrate_directive::{MigrateDirective, string_value};
use crate::schema::override_directive::OverrideDirective;
use crate::workspace::percent::Percent;
use crate::workspace::{DialectName, Service, Workspace};
use apollo_compiler::{Name, Node, ast, name};
use std::ops::Range;

/// Custom labels nothing resolves: the monolith keeps serving.
pub const MANUAL_LABEL: &str = "ferry:manual";
pub const SIDE_BY_SIDE_LABEL: &str = "ferry:side-by-side";
/// A colored canary's label: `canary:red`, for a coprocessor to resolve.
pub const CANARY_LABEL_PREFIX: &str = "canary:";
/// What `@migrate(from:)` says.
pub const MIGRATE_FROM: &str = "python";

/// A field's stage directive, in whichever spelling it carries.
#[derive(Debug, Clone)]
pub enum StageDirective {
    Migrate(MigrateDirective),
    Override(OverrideDirective),
}

/// Which part of the traffic a canary sends to Go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanaryGroup {
    /// A named group (`--canary-color red`).
    Color(String),
    /// A share of the requests (`--percent 5`).
    Percent(Percent),
}

impl CanaryGroup {
    /// As `@migrate(color:)` writes it; a percentage is the color `percent(N)`.
    fn as_color(&self) -> String {
        match self {
            CanaryGroup::Color(color) => color.clone(),
            CanaryGroup::Percent(percent) => percent.label(),
        }
    }

    /// As the override label writes it.
    fn as_label(&self) -> String {
        match self {
            CanaryGroup::Color(color) => format!("{CANARY_LABEL_PREFIX}{color}"),
            CanaryGroup::Percent(percent) => percent.label(),
        }
    }

    /// What a person typed for a canary group: a number or `percent(N)` is
    /// a percentage, anything else a color.
    pub fn from_input(text: &str) -> CanaryGroup {
        match Percent::from_label(text).or_else(|| Percent::parse(text).ok()) {
            Some(percent) => CanaryGroup::Percent(percent),
            None => CanaryGroup::Color(text.to_string()),
        }
    }

    fn from_color(color: &str) -> CanaryGroup {
        match Percent::from_label(color) {
            Some(percent) => CanaryGroup::Percent(percent),
            None => CanaryGroup::Color(color.to_string()),
        }
    }
}

/// As shown beside the stage: `blue`, `5%`.
impl std::fmt::Display for CanaryGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CanaryGroup::Color(color) => f.write_str(color),
            CanaryGroup::Percent(percent) => write!(f, "{percent}"),
        }
    }
}

/// What the directive's stage argument says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateReading {
    Stage(Stage),
    /// A `state` (or label) that names no stage.
    Unknown(String),
    /// `@migrate` without `state`.
    Missing,
}

/// A stage directive, read.
#[derive(Debug, Clone)]
pub struct Reading {
    pub state: StateReading,
    pub group: Option<CanaryGroup>,
    /// `from:` is there (an `@override` is only read when it names the monolith).
    pub has_from: bool,
    /// The override label, as written.
    pub label: Option<String>,
}

/// One change to a directive's text, as plain data for the planner to splice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextEdit {
    Replace(Range<usize>, String),
    Insert(usize, String),
    /// Removed with the separator before it (see `edit::splice::removal_range`).
    Remove(Range<usize>),
}

/// Whether composition accepts a custom label: a letter, then letters,
/// digits and `_-:./`.
pub fn valid_label(label: &str) -> bool {
    let mut chars = label.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_-:./".contains(c))
}

impl StageDirective {
    /// The field's stage directive: `@migrate`, or an `@override` (named
    /// `override_name` in this schema) from the monolith's subgraph.
    pub fn find(
        field: &ast::FieldDefinition,
        override_name: &str,
        monolith_subgraph: &str,
    ) -> Option<StageDirective> {
        MigrateDirective::find(field)
            .map(StageDirective::Migrate)
            .or_else(|| {
                OverrideDirective::find(field, override_name, monolith_subgraph)
                    .map(StageDirective::Override)
            })
    }

    pub fn span(&self) -> Range<usize> {
        match self {
            StageDirective::Migrate(d) => d.span.clone(),
            StageDirective::Override(d) => d.span.clone(),
        }
    }

    pub fn spelling(&self) -> DialectName {
        match self {
            StageDirective::Migrate(_) => DialectName::Migrate,
            StageDirective::Override(_) => DialectName::Override,
        }
    }

    pub fn read(&self) -> Reading {
        match self {
            StageDirective::Migrate(d) => {
                let state = match d.state() {
                    Some(state) => match Stage::from_state(state) {
                        Some(stage) => StateReading::Stage(stage),
                        None => StateReading::Unknown(state.to_string()),
                    },
                    None => StateReading::Missing,
                };
                Reading {
                    state,
                    group: d.color().map(CanaryGroup::from_color),
                    has_from: d.from.as_ref().and_then(|f| f.value.as_ref()).is_some(),
                    label: None,
                }
            }
            StageDirective::Override(d) => {
                let label = d.label().map(str::to_string);
                let (state, group) = match label.as_deref() {
                    None => (StateReading::Stage(Stage::Migrated), None),
                    Some(MANUAL_LABEL) => (StateReading::Stage(Stage::Manual), None),
                    Some(SIDE_BY_SIDE_LABEL) => (StateReading::Stage(Stage::SideBySide), None),
                    Some(label) => match (
                        Percent::from_label(label),
                        label.strip_prefix(CANARY_LABEL_PREFIX),
                    ) {
                        (Some(percent), _) => (
                            StateReading::Stage(Stage::Canary),
                            Some(CanaryGroup::Percent(percent)),
                        ),
                        (None, Some(color)) if !color.is_empty() => (
                            StateReading::Stage(Stage::Canary),
                            Some(CanaryGroup::Color(color.to_string())),
                        ),
                        _ => (StateReading::Unknown(label.to_string()), None),
                    },
                };
                Reading {
                    state,
                    group,
                    has_from: true,
                    label,
                }
            }
        }
    }
}

/// How one service spells the stages, with what the spelling needs to know.
#[derive(Debug, Clone)]
pub struct Dialect {
    pub name: DialectName,
    /// The monolith's subgraph name: `@override(from:)`.
    pub monolith_subgraph: String,
    /// A canary with neither color nor percent starts here in the override
    /// dialect (`[override] ladder`'s first rung).
    pub first_rung: Percent,
}

impl Dialect {
    pub fn of(workspace: &Workspace, service: &Service) -> Dialect {
        Dialect::named(workspace, service.dialect)
    }

    pub fn named(workspace: &Workspace, name: DialectName) -> Dialect {
        Dialect {
            name,
            monolith_subgraph: workspace.python.subgraph.clone(),
            first_rung: workspace.override_settings.ladder[0].clone(),
        }
    }

    /// The group a canary is written with: the one asked for; in the
    /// override dialect, which cannot spell a canary without one, the
    /// ladder's first rung.
    pub fn group(&self, stage: Stage, group: Option<&CanaryGroup>) -> Option<CanaryGroup> {
        if stage != Stage::Canary {
            return None;
        }
        match (group, self.name) {
            (Some(group), _) => Some(group.clone()),
            (None, DialectName::Override) => Some(CanaryGroup::Percent(self.first_rung.clone())),
            (None, DialectName::Migrate) => None,
        }
    }

    /// The override label of a stage: `None` for migrated (fully overridden).
    pub fn label(&self, stage: Stage, group: Option<&CanaryGroup>) -> Option<String> {
        match stage {
            Stage::Manual => Some(MANUAL_LABEL.into()),
            Stage::SideBySide => Some(SIDE_BY_SIDE_LABEL.into()),
            Stage::Canary => self.group(stage, group).map(|g| g.as_label()),
            _ => None,
        }
    }

    /// The whole directive a field carries at `stage` in this dialect,
    /// serialized by apollo-compiler (`override_name` is the service's
    /// name for `@override`).
    pub fn directive(
        &self,
        override_name: &str,
        stage: Stage,
        group: Option<&CanaryGroup>,
    ) -> String {
        let argument = |name, value: &str| {
            Node::new(ast::Argument {
                name,
                value: Node::new(value.into()),
            })
        };
        let directive = match self.name {
            DialectName::Migrate => {
                let mut directive = ast::Directive::new(name!("migrate"));
                directive
                    .arguments
                    .push(argument(name!("from"), MIGRATE_FROM));
                directive
                    .arguments
                    .push(argument(name!("state"), stage.as_str()));
                if let Some(group) = self.group(stage, group) {
                    directive
                        .arguments
                        .push(argument(name!("color"), &group.as_color()));
                }
                directive
            }
            DialectName::Override => {
                let name = Name::new(override_name).expect("a directive name read from SDL");
                let mut directive = ast::Directive::new(name);
                directive
                    .arguments
                    .push(argument(name!("from"), &self.monolith_subgraph));
                if let Some(label) = self.label(stage, group) {
                    directive.arguments.push(argument(name!("label"), &label));
                }
                directive
            }
        };
        directive.serialize().no_indent().to_string()
    }

    /// The edits that take `current` to `to`, in the spelling it has; a
    /// canary's group is `group`, else the one it has.
    pub fn restage(
        &self,
        current: &StageDirective,
        to: Stage,
        group: Option<&CanaryGroup>,
    ) -> Vec<TextEdit> {
        if to == Stage::Done {
            return vec![TextEdit::Remove(current.span())];
        }
        let spelled = Dialect {
            name: current.spelling(),
            ..self.clone()
        };
        let mut edits = Vec::new();
        match current {
            StageDirective::Migrate(migrate) => {
                if let Some(state) = &migrate.state {
                    edits.push(TextEdit::Replace(
                        state.value_span.clone(),
                        string_value(to.as_str()),
                    ));
                }
                let color = spelled.group(to, group).map(|g| g.as_color());
                match (&migrate.color, to == Stage::Canary, color) {
                    (Some(existing), true, Some(color)) => edits.push(TextEdit::Replace(
                        existing.value_span.clone(),
                        string_value(&color),
                    )),
                    (None, true, Some(color)) => {
                        let after = migrate
                            .state
                            .as_ref()
                            .map(|s| s.span.end)
                            .unwrap_or(migrate.span.end - 1);
                        edits.push(TextEdit::Insert(
                            after,
                            format!(", color: {}", string_value(&color)),
                        ));
                    }
                    (Some(existing), false, _) => {
                        edits.push(TextEdit::Remove(existing.span.clone()))
                    }
                    _ => {}
                }
            }
            StageDirective::Override(over) => match (spelled.label(to, group), &over.label) {
                (Some(label), Some(existing)) => edits.push(TextEdit::Replace(
                    existing.value_span.clone(),
                    string_value(&label),
                )),
                (Some(label), None) => edits.push(TextEdit::Insert(
                    over.from.span.end,
                    format!(", label: {}", string_value(&label)),
                )),
                (None, Some(existing)) => edits.push(TextEdit::Remove(existing.span.clone())),
                (None, None) => {}
            },
        }
        edits
    }

    /// The directive that says what `current` says in this dialect, or why
    /// it cannot (an unknown state, a color no label can carry).
    pub fn respell(&self, current: &StageDirective, override_name: &str) -> Result<String, String> {
        let reading = current.read();
        let stage = match reading.state {
            StateReading::Stage(stage) => stage,
            StateReading::Unknown(state) => {
                return Err(format!("`{state}` names no stage; fix it by hand first"));
            }
            StateReading::Missing => return Err("its @migrate has no state".into()),
        };
        if let (DialectName::Override, Some(CanaryGroup::Color(color))) =
            (self.name, &reading.group)
            && !valid_label(&format!("{CANARY_LABEL_PREFIX}{color}"))
        {
            return Err(format!(
                "its canary color `{color}` cannot be part of an override label (letters, digits and _-:./ only)"
            ));
        }
        let group = reading.group.filter(|_| stage == Stage::Canary);
        Ok(self.directive(override_name, stage, group.as_ref()))
    }
}
