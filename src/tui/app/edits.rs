//! The actions that write: stage edits and Go skeletons planned by the
//! commands' own planners, written at once, undone by writing back what
//! they replaced; and reloading when the files change on disk.

use super::{App, ColorFor, DiskStamps, Level, Mode, Selection};
use crate::edit::change_set::ChangeSet;
use crate::edit::write::WriteError;
use crate::generate::report::SkipReason;
use crate::generate::skeletons::{SkeletonOptions, plan_skeletons};
use crate::migration::edit_report::EditReport;
use crate::migration::plan::{EditOptions, Plan, PlanError, plan};
use crate::migration::refusal::{Reason, Refusal};
// The TUI asks for the verbs the CLI does.
pub use crate::migration::plan::{EditRequest, Verb};
use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::project::{KnownWrites, Project, ProjectError};
use crate::model::stage::Stage;
use crate::render::edit_report;
use crate::schema::loaded::LoadedSchema;
use crate::tui::detail::diff_lines;
use crate::tui::keys::{self, Command, Scope};

/// One applied change: undo writes each file's `before` back.
#[derive(Debug, Clone)]
pub struct UndoEntry {
    pub summary: String,
    pub changes: ChangeSet,
    /// The edited services' schemas as validated before and after the
    /// change: the reload after an undo or a redo takes them as they are.
    pub schemas: BeforeAfter,
}

#[derive(Debug, Clone, Default)]
pub struct BeforeAfter {
    pub before: Vec<LoadedSchema>,
    pub after: Vec<LoadedSchema>,
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
    /// What undo and the preview call the change.
    pub summary: String,
    pub changes: ChangeSet,
    /// The services' schemas the planner validated from the text it writes.
    pub validated: Vec<LoadedSchema>,
    /// The unified diff of every file, as the preview shows it.
    pub diff: Vec<String>,
    then: Written,
}

/// What the status line says once a change is written.
#[derive(Debug, Clone)]
enum Written {
    /// A stage edit: its report, a warning when a guard was forced.
    Edit {
        report: Box<EditReport>,
        level: Level,
    },
    /// `g`: how many fields gen go skipped (a resolver there already, an
    /// `@external` field, …), how many no service defines (left out in
    /// the refusal dialog).
    GenerateGo { skipped: usize, left_out: usize },
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

    /// `finish --delete-python`: its diff is always shown first.
    pub(super) fn start_finish_deleting_python(&mut self) {
        if let Some(fields) = self.targets() {
            let options = EditOptions {
                delete_python: true,
                ..EditOptions::default()
            };
            let verb = Verb::Finish;
            self.execute(EditRequest { verb, fields }, options);
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
    /// service defines yet are refused first, and can be skipped.
    pub(super) fn generate_go(&mut self) {
        let Some(coordinates) = self.targets() else {
            return;
        };
        self.reload_if_changed();
        self.generate_go_for(coordinates, 0);
    }

    /// Plans the skeletons of `coordinates` and writes them; `left_out`
    /// fields no service defines were skipped in the refusal dialog.
    pub(super) fn generate_go_for(&mut self, coordinates: Vec<FieldCoordinate>, left_out: usize) {
        let result = {
            let fields: Vec<&FieldRecord> = coordinates
                .iter()
                .filter_map(|c| self.project.inventory.field(c))
                .collect();
            plan_skeletons(&self.project, &fields, &SkeletonOptions::default())
        };
        let plan = match result {
            Ok(plan) => plan,
            Err(error) => return self.show_error("gen go refused", &error),
        };
        // A field that is not in a service yet needs a mark first: asked,
        // as the stage edits ask, rather than skipped in silence.
        let refusals: Vec<Refusal> = plan
            .report
            .skipped
            .iter()
            .filter(|s| s.reason == SkipReason::NotInAService)
            .filter_map(|s| {
                let (type_name, field_name) = s.field.split_once('.')?;
                let field = self
                    .project
                    .inventory
                    .field(&FieldCoordinate::new(type_name, field_name))?;
                Some(Refusal::new(field, Reason::NotInAService))
            })
            .collect();
        if !refusals.is_empty() {
            let count = refusals.len();
            self.mode = Mode::Refused {
                request: Pending::GenerateGo(coordinates),
                refusals,
                delete_python: false,
            };
            self.say(
                Level::Warning,
                format!(
                    "gen go: {count} refused: nothing was written ({} cancels)",
                    keys::keys_of(Scope::Refusal, Command::Back)
                ),
            );
            return;
        }
        let skipped = plan.report.skipped.len();
        if plan.changes.is_empty() {
            let mut why: Vec<String> = plan
                .report
                .skipped
                .iter()
                .map(ToString::to_string)
                .collect();
            if left_out > 0 {
                why.push(format!("skipped {left_out} not in a service"));
            }
            let why = if why.is_empty() {
                String::new()
            } else {
                format!(" ({})", why.join("; "))
            };
            self.say(Level::Info, format!("gen go: nothing to generate{why}"));
            return;
        }
        let summary = format!("gen go: {}", fields_count(coordinates.len()));
        self.write_or_preview(
            summary,
            (plan.changes, Vec::new()),
            Written::GenerateGo { skipped, left_out },
            false,
        );
    }

    /// Plans the edit with the CLI's planner and writes it at once.
    pub fn execute(&mut self, request: EditRequest, options: EditOptions) {
        if !self.reload_if_changed() {
            return;
        }
        let result = plan(&self.project, &request, options);
        match result {
            Ok(plan) => self.apply(&request, plan),
            Err(PlanError::Refused(refusals)) => {
                let report = EditReport::refused(request.verb.name(), refusals.clone());
                self.mode = Mode::Refused {
                    request: Pending::Edit(request),
                    refusals,
                    delete_python: options.delete_python,
                };
                self.say(
                    Level::Warning,
                    format!(
                        "{} ({} cancels)",
                        edit_report::summary(&report),
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
        if !self.refresh() {
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

    /// Writes a plan and says what it did, in the words of its report.
    pub(super) fn apply(&mut self, request: &EditRequest, plan: Plan) {
        let report = EditReport::new(&self.project, request.verb.name(), &plan);
        if plan.changes.is_empty() {
            self.say(Level::Info, edit_report::summary(&report));
            return;
        }
        let level = if report.forced.is_empty() {
            Level::Info
        } else {
            Level::Warning
        };
        // Deleting Python always waits for a look at the diff.
        let confirm = report.python_deleted;
        self.write_or_preview(
            edit_report::headline(&report),
            (plan.changes, plan.validated),
            Written::Edit {
                report: Box::new(report),
                level,
            },
            confirm,
        );
    }

    /// Writes a planned change now, or, with the preview on, shows its
    /// diff and waits for the confirmation.
    fn write_or_preview(
        &mut self,
        summary: String,
        (changes, validated): (ChangeSet, Vec<LoadedSchema>),
        then: Written,
        confirm: bool,
    ) {
        let preview = self.preview || confirm;
        let pending = PendingWrite {
            diff: if preview {
                diff_lines(&changes)
            } else {
                Vec::new()
            },
            summary,
            changes,
            validated,
            then,
        };
        if preview {
            self.mode = Mode::Preview {
                pending: Box::new(pending),
                scroll: 0,
            };
        } else {
            self.write_now(pending);
        }
    }

    /// Writes a planned change and says what was written.
    pub(super) fn write_now(&mut self, pending: PendingWrite) {
        let PendingWrite {
            summary,
            changes,
            validated,
            then,
            ..
        } = pending;
        let Some(written) = self.write_changes(summary.clone(), changes, validated) else {
            return;
        };
        match then {
            Written::Edit { mut report, level } => {
                report.mark_written();
                let text = format!("{} · {}", edit_report::summary(&report), undo_hint());
                self.say(level, text);
            }
            Written::GenerateGo { skipped, left_out } => {
                let mut text = format!("{summary} · wrote {}", written.join(", "));
                if skipped > 0 {
                    text.push_str(&format!(" · {skipped} skipped"));
                }
                if left_out > 0 {
                    text.push_str(&format!(" · skipped {left_out} not in a service"));
                }
                self.say(Level::Info, format!("{text} · {}", undo_hint()));
            }
        }
    }

    /// Writes a change at once, keeps it for undo and reloads; returns the
    /// files written. A file changed on disk since it was read is not
    /// written over: nothing is written, the view reloads and says why.
    pub(super) fn write_changes(
        &mut self,
        summary: String,
        changes: ChangeSet,
        validated: Vec<LoadedSchema>,
    ) -> Option<Vec<String>> {
        // The lock only while writing; the stale check then sees any other run's edit.
        match changes.write_locked(&self.project.workspace.root) {
            Ok(written) => {
                let schemas = BeforeAfter {
                    before: self.schemas_of(&changes),
                    after: validated,
                };
                self.refresh_after(&changes, &schemas.after);
                self.undo.push(UndoEntry {
                    summary,
                    changes,
                    schemas,
                });
                // What the redoes held (services' schemas) is freed off
                // the key's path too.
                let redo = std::mem::take(&mut self.redo);
                if !redo.is_empty() {
                    std::thread::spawn(move || drop(redo));
                }
                self.selected.clear();
                Some(written)
            }
            Err(error) => {
                let stale = matches!(error, WriteError::Stale { .. });
                self.refresh();
                let mut text = error.to_string();
                if stale {
                    text.push_str(" (the view is reloaded from disk; press the key again)");
                }
                self.say(Level::Error, text);
                None
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
        let inverse = entry.changes.inverse();
        match inverse.write_locked(&self.project.workspace.root) {
            Ok(written) => {
                self.refresh_after(&inverse, &entry.schemas.before);
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
                self.refresh();
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
        match entry.changes.write_locked(&self.project.workspace.root) {
            Ok(written) => {
                self.refresh_after(&entry.changes, &entry.schemas.after);
                self.say(
                    Level::Info,
                    format!("redid {} · wrote {}", entry.summary, written.join(", ")),
                );
                self.undo.push(entry);
            }
            Err(error) => {
                let text = format!("cannot redo {}: {error}", entry.summary);
                self.redo.push(entry);
                self.refresh();
                self.say(Level::Error, text);
            }
        }
    }

    /// Reads the whole workspace again, its Python included; keeps the old
    /// view (and says why) when it no longer loads. Returns whether it
    /// loaded.
    pub fn reload(&mut self) -> bool {
        let loaded = Project::load_reloadable(&self.overrides);
        self.show_loaded(loaded)
    }

    /// After a write, or a schema file seen changed on disk: reads the
    /// workspace again, parsing only the files whose text changed
    /// (`Project::reload`), so the next frame comes at once.
    pub fn refresh(&mut self) -> bool {
        let loaded = self.project.reload(&self.overrides);
        self.show_loaded(loaded)
    }

    /// After ferry wrote `changes`: like `refresh`, taking the schemas
    /// already validated from the written text, and the Python index as it
    /// is unless Python was written.
    fn refresh_after(&mut self, changes: &ChangeSet, schemas: &[LoadedSchema]) -> bool {
        let known = KnownWrites {
            schemas: schemas.to_vec(),
            python: KnownWrites::wrote_python(
                &self.project,
                changes.changes().map(|c| c.path.rel.as_str()),
            ),
        };
        let loaded = self.project.reload_after(&self.overrides, &known);
        self.show_loaded(loaded)
    }

    /// The schemas, as loaded now, of the services with a file in `changes`.
    fn schemas_of(&self, changes: &ChangeSet) -> Vec<LoadedSchema> {
        self.project
            .services
            .iter()
            .map(|(_, loaded)| loaded)
            .filter(|loaded| {
                changes
                    .changes()
                    .any(|c| loaded.file(&c.path.rel).is_some())
            })
            .cloned()
            .collect()
    }

    fn show_loaded(&mut self, loaded: Result<Project, ProjectError>) -> bool {
        match loaded {
            Ok(project) => {
                self.disk = DiskStamps::of(&project);
                let selected = self.selected.coordinates(self.fields());
                // Rows index the old project: name the cursor's row first.
                let current = self.current_key();
                let cursor = self.cursor;
                let old = std::mem::replace(&mut self.project, project);
                self.selected = Selection::of(&selected, &self.project.inventory);
                self.detail = None;
                self.rebuild_model(current, Some(cursor), Some(&old.inventory.fields));
                // Freeing every record of the old inventory takes longer
                // than a frame: off the key's path.
                std::thread::spawn(move || drop(old));
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
        if self.refresh() {
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

/// `u undoes`, after a change the status line reports.
fn undo_hint() -> String {
    format!("{} undoes", keys::keys_of(Scope::List, Command::Undo))
}
