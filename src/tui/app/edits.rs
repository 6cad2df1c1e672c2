//! The actions that write: stage edits and Go skeletons planned by the
//! commands' own planners, written at once, undone by writing back what
//! they replaced; and reloading when the files change on disk.

use super::{App, ColorFor, DiskStamps, Level, Mode, Selection};
use crate::edit::change_set::ChangeSet;
use crate::edit::write::WriteError;
use crate::generate::skeletons::plan_skeletons;
use crate::migration::plan::{EditOptions, Plan, PlanError, plan_mark, plan_step};
use crate::migration::transition;
use crate::migration::transition::Refusal;
use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::tui::detail::{diff_lines, in_no_service};
use crate::tui::keys::{self, Command, Scope};

/// A stage edit waiting for its fields, or for a choice made in a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    Mark {
        into: String,
        canary: bool,
        color: Option<String>,
    },
    Advance {
        to: Option<Stage>,
        color: Option<String>,
    },
    Rollback,
    Finish,
}

impl Verb {
    pub fn name(&self) -> &'static str {
        match self {
            Verb::Mark { canary: false, .. } => "mark",
            Verb::Mark { canary: true, .. } => "mark --canary",
            Verb::Advance {
                to: Some(Stage::Canary),
                ..
            } => "canary",
            Verb::Advance { .. } => "advance",
            Verb::Rollback => "rollback",
            Verb::Finish => "finish",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRequest {
    pub verb: Verb,
    pub fields: Vec<FieldCoordinate>,
}

/// One applied change: undo writes each file's `before` back.
#[derive(Debug, Clone)]
pub struct UndoEntry {
    pub summary: String,
    pub changes: ChangeSet,
}

/// What the refusal dialog would go on with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Edit(EditRequest),
    GenerateGo(Vec<FieldCoordinate>),
}

impl Pending {
    pub fn name(&self) -> &'static str {
        match self {
            Pending::Edit(request) => request.verb.name(),
            Pending::GenerateGo(_) => "gen go",
        }
    }

    pub fn fields(&self) -> &[FieldCoordinate] {
        match self {
            Pending::Edit(request) => &request.fields,
            Pending::GenerateGo(fields) => fields,
        }
    }
}

/// A planned change waiting in the preview: written as it was planned,
/// or not at all.
#[derive(Debug, Clone)]
pub struct PendingWrite {
    pub summary: String,
    pub changes: ChangeSet,
    pub notes: Vec<String>,
    pub level: Level,
    /// The unified diff of every file, as the preview shows it.
    pub diff: Vec<String>,
}

impl App {
    /// The fields an action applies to: the selection, else the field
    /// under the cursor.
    pub(super) fn targets(&mut self) -> Option<Vec<FieldCoordinate>> {
        if !self.selected.is_empty() {
            return Some(self.selected.coordinates(self.fields()));
        }
        match self.current_field() {
            Some(field) => Some(vec![field.coordinate.clone()]),
            None => {
                self.say(
                    Level::Warning,
                    "move to a field or select some (space) first",
                );
                None
            }
        }
    }

    pub(super) fn start(&mut self, verb: Verb) {
        if let Some(fields) = self.targets() {
            self.execute(EditRequest { verb, fields }, EditOptions::default());
        }
    }

    pub(super) fn start_mark(&mut self, canary: bool) {
        let Some(fields) = self.targets() else {
            return;
        };
        let choices: Vec<String> = self
            .project
            .workspace
            .services
            .iter()
            .map(|s| s.name.clone())
            .collect();
        if choices.is_empty() {
            self.say(Level::Error, "the workspace has no Go service to mark into");
            return;
        }
        // Start on the service that plans the first field, when one does.
        let planned = fields
            .first()
            .and_then(|c| self.project.inventory.field(c))
            .and_then(|f| {
                let index = self
                    .fields()
                    .binary_search_by(|r| r.coordinate.cmp(&f.coordinate))
                    .ok()?;
                Some(self.tree.group_name(index).to_string())
            });
        let cursor = planned
            .and_then(|p| choices.iter().position(|c| *c == p))
            .unwrap_or(0);
        self.mode = Mode::ChooseService {
            canary,
            choices,
            cursor,
            fields,
        };
    }

    /// `c`: python fields are marked straight into canary; others advance
    /// to canary. Both ask for the color first.
    pub(super) fn start_canary(&mut self) {
        let Some(fields) = self.targets() else {
            return;
        };
        let all_python = fields.iter().all(|c| {
            self.project
                .inventory
                .field(c)
                .is_some_and(|f| f.stage == Stage::Python)
        });
        if all_python {
            self.start_mark(true);
        } else {
            self.mode = Mode::ChooseColor {
                input: String::new(),
                then: ColorFor::Advance,
                fields,
            };
        }
    }

    /// `g`: the Go resolver skeletons `ferry gen go` would write for the
    /// targets, written at once (undo removes them again). Fields that no
    /// service defines yet are refused, and can be skipped.
    pub(super) fn generate_go(&mut self) {
        let Some(coordinates) = self.targets() else {
            return;
        };
        self.reload_if_changed();
        let refusals: Vec<Refusal> = coordinates
            .iter()
            .filter_map(|c| self.project.inventory.field(c))
            .filter(|f| in_no_service(f))
            .map(|f| {
                Refusal::hard(
                    f,
                    format!(
                        "no service's schema defines it yet; mark it into one first ({}, or `ferry mark {} --into SERVICE`)",
                        keys::keys_of(Scope::List, Command::Mark),
                        f.coordinate
                    ),
                )
            })
            .collect();
        if refusals.is_empty() {
            self.generate_go_for(coordinates, 0);
            return;
        }
        let count = refusals.len();
        self.mode = Mode::Refused {
            request: Pending::GenerateGo(coordinates),
            refusals,
        };
        self.say(
            Level::Warning,
            format!(
                "gen go: {count} refused: nothing was written ({} cancels)",
                keys::keys_of(Scope::Refusal, Command::Back)
            ),
        );
    }

    /// Plans and writes the skeletons of `coordinates`; `skipped` fields
    /// were left out because no service defines them.
    pub(super) fn generate_go_for(&mut self, coordinates: Vec<FieldCoordinate>, skipped: usize) {
        let result = {
            let fields: Vec<&FieldRecord> = coordinates
                .iter()
                .filter_map(|c| self.project.inventory.field(c))
                .collect();
            plan_skeletons(&self.project, &fields, None)
        };
        let mut notes = Vec::new();
        if skipped > 0 {
            notes.push(format!("skipped {skipped} not in a service"));
        }
        match result {
            Ok(plan) if plan.changes.is_empty() => {
                let mut why = plan.skipped.clone();
                why.extend(notes);
                let why = if why.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", why.join("; "))
                };
                self.say(Level::Info, format!("gen go: nothing to generate{why}"));
            }
            Ok(plan) => {
                let summary = format!("gen go: {}", fields_count(coordinates.len()));
                if !plan.skipped.is_empty() {
                    notes.push(format!("{} already had one", plan.skipped.len()));
                }
                self.write_changes(summary, plan.changes, notes, Level::Info);
            }
            Err(error) => self.show_error("gen go refused", &error),
        }
    }

    /// Plans the edit with the CLI's planner and writes it at once.
    pub fn execute(&mut self, request: EditRequest, options: EditOptions) {
        if !self.reload_if_changed() {
            return;
        }
        let result = {
            let fields: Vec<&FieldRecord> = request
                .fields
                .iter()
                .filter_map(|c| self.project.inventory.field(c))
                .collect();
            let project = &self.project;
            match &request.verb {
                Verb::Mark {
                    into,
                    canary,
                    color,
                } => plan_mark(project, &fields, into, *canary, color.as_deref(), options),
                Verb::Advance { to, color } => {
                    plan_step(project, &fields, options, color.as_deref(), |f| {
                        transition::advance(f, *to, options.force)
                    })
                }
                Verb::Rollback => plan_step(project, &fields, options, None, transition::rollback),
                Verb::Finish => plan_step(project, &fields, options, None, transition::finish),
            }
        };
        match result {
            Ok(plan) => self.apply(&request, plan),
            Err(PlanError::Refused(refusals)) => {
                let count = refusals.len();
                self.mode = Mode::Refused {
                    request: Pending::Edit(request),
                    refusals,
                };
                self.say(
                    Level::Warning,
                    format!(
                        "{count} refused: nothing was written ({} cancels)",
                        keys::keys_of(Scope::Refusal, Command::Back)
                    ),
                );
            }
            Err(error) => self.show_error(&format!("{} refused", request.verb.name()), &error),
        }
    }

    /// Plans start from what is on disk now: reloads first when a watched
    /// file changed. False when the workspace no longer loads.
    pub(super) fn reload_if_changed(&mut self) -> bool {
        let Some(changed) = self.disk.changed().map(str::to_string) else {
            return true;
        };
        if !self.reload() {
            return false;
        }
        self.say(
            Level::Warning,
            format!("{changed} changed on disk: reloaded it first"),
        );
        true
    }

    pub(super) fn show_error(&mut self, title: &str, error: &dyn std::fmt::Display) {
        let text = error.to_string();
        let first = text.lines().next().unwrap_or_default().to_string();
        if text.lines().count() > 1 {
            self.mode = Mode::Message {
                title: title.to_string(),
                text: text.clone(),
            };
        }
        self.say(Level::Error, first);
    }

    pub(super) fn apply(&mut self, request: &EditRequest, plan: Plan) {
        if plan.changes.is_empty() {
            let unchanged = plan.unchanged.join(", ");
            self.say(
                Level::Info,
                format!(
                    "{}: nothing to change ({} already there)",
                    request.verb.name(),
                    if unchanged.is_empty() {
                        "every field is"
                    } else {
                        &unchanged
                    }
                ),
            );
            return;
        }
        let summary = summarize(request.verb.name(), &plan);
        let mut notes = Vec::new();
        if !plan.forced.is_empty() {
            let reasons: Vec<String> = plan
                .forced
                .iter()
                .map(|r| format!("{}: {}", r.field, r.reason))
                .collect();
            notes.push(format!("FORCED {}", reasons.join("; ")));
        }
        if !plan.refused.is_empty() {
            notes.push(format!("skipped {}", plan.refused.len()));
        }
        let level = if plan.forced.is_empty() {
            Level::Info
        } else {
            Level::Warning
        };
        self.write_changes(summary, plan.changes, notes, level);
    }

    /// Writes a change at once (after the preview, when it is on), keeps
    /// it for undo, reloads, and says what was written where. A file
    /// changed on disk since it was read is not written over: nothing is
    /// written, and the view reloads.
    pub(super) fn write_changes(
        &mut self,
        summary: String,
        changes: ChangeSet,
        notes: Vec<String>,
        level: Level,
    ) {
        let pending = PendingWrite {
            diff: if self.preview {
                diff_lines(&changes)
            } else {
                Vec::new()
            },
            summary,
            changes,
            notes,
            level,
        };
        if self.preview {
            self.mode = Mode::Preview {
                pending: Box::new(pending),
                scroll: 0,
            };
            return;
        }
        self.write_now(pending);
    }

    pub(super) fn write_now(&mut self, pending: PendingWrite) {
        let PendingWrite {
            summary,
            changes,
            notes,
            level,
            ..
        } = pending;
        match changes.write() {
            Ok(written) => {
                let mut text = format!("{summary} · wrote {}", written.join(", "));
                for note in notes {
                    text.push_str(&format!(" · {note}"));
                }
                text.push_str(&format!(
                    " · {} undoes",
                    keys::keys_of(Scope::List, Command::Undo)
                ));
                self.undo.push(UndoEntry { summary, changes });
                self.redo.clear();
                self.selected.clear();
                self.reload();
                self.say(level, text);
            }
            Err(error) => {
                let stale = matches!(error, WriteError::Stale { .. });
                self.reload();
                let mut text = error.to_string();
                if stale {
                    text.push_str(" (the view is reloaded from disk; press the key again)");
                }
                self.say(Level::Error, text);
            }
        }
    }

    /// `u`: writes back what the last change replaced, if the files still
    /// hold what ferry wrote.
    pub fn undo(&mut self) {
        let Some(entry) = self.undo.pop() else {
            self.say(Level::Info, "nothing to undo");
            return;
        };
        match entry.changes.inverse().write() {
            Ok(written) => {
                self.reload();
                self.say(
                    Level::Info,
                    format!(
                        "undid {} · restored {} · {} redoes",
                        entry.summary,
                        written.join(", "),
                        keys::keys_of(Scope::List, Command::Redo)
                    ),
                );
                self.redo.push(entry);
            }
            Err(error) => {
                let text = format!("cannot undo {}: {error}", entry.summary);
                self.undo.push(entry);
                self.reload();
                self.say(Level::Error, text);
            }
        }
    }

    /// `U`: writes again what the last undo took back, if the files still
    /// hold what the undo wrote.
    pub fn redo(&mut self) {
        let Some(entry) = self.redo.pop() else {
            self.say(Level::Info, "nothing to redo");
            return;
        };
        match entry.changes.write() {
            Ok(written) => {
                self.reload();
                self.say(
                    Level::Info,
                    format!("redid {} · wrote {}", entry.summary, written.join(", ")),
                );
                self.undo.push(entry);
            }
            Err(error) => {
                let text = format!("cannot redo {}: {error}", entry.summary);
                self.redo.push(entry);
                self.reload();
                self.say(Level::Error, text);
            }
        }
    }

    /// Reads the workspace again; keeps the old view (and says why) when it
    /// no longer loads. Returns whether it loaded.
    pub fn reload(&mut self) -> bool {
        match Project::load(&self.overrides) {
            Ok(project) => {
                self.disk = DiskStamps::of(&project);
                let selected = self.selected.coordinates(self.fields());
                // Rows index the old project: name the cursor's row first.
                let current = self.current_key();
                let cursor = self.cursor;
                self.project = project;
                self.selected = Selection::of(&selected, &self.project.inventory);
                self.detail = None;
                self.rebuild_model(current, Some(cursor));
                true
            }
            Err(error) => {
                // Stop asking until the files change again.
                self.disk = DiskStamps::of(&self.project);
                self.show_error(
                    "cannot reload the workspace; showing what was read before",
                    &error,
                );
                false
            }
        }
    }

    /// Called when no key came for a while: reloads when a watched file
    /// changed on disk. Returns whether it did.
    pub fn check_disk(&mut self) -> bool {
        let Some(changed) = self.disk.changed().map(str::to_string) else {
            return false;
        };
        if self.reload() {
            self.say(
                Level::Warning,
                format!("{changed} changed on disk: reloaded"),
            );
        }
        true
    }
}

/// "1 field", "3 fields".
pub(crate) fn fields_count(n: usize) -> String {
    if n == 1 {
        "1 field".into()
    } else {
        format!("{n} fields")
    }
}

/// `advance: Assignment.title side-by-side → migrated` or
/// `advance: 3 fields (manual → side-by-side)`.
fn summarize(verb: &str, plan: &Plan) -> String {
    match plan.moves.as_slice() {
        [] => format!("{verb}: nothing moved"),
        [one] => format!("{verb}: {} {} → {}", one.field, one.from, one.to),
        moves => {
            let mut edges: Vec<String> = moves
                .iter()
                .map(|m| format!("{} → {}", m.from, m.to))
                .collect();
            edges.sort();
            edges.dedup();
            format!("{verb}: {} fields ({})", moves.len(), edges.join(", "))
        }
    }
}
