//! The TUI's state, and the plain functions that change it. Nothing here
//! draws or touches the terminal: tests drive `App::on_key` directly.

mod disk;
mod edits;
mod selection;

pub(crate) use edits::fields_count;
pub use edits::{EditRequest, UndoEntry, Verb};
pub use selection::Selection;

use crate::migration::plan::EditOptions;
use crate::migration::refusal::Refusal;
use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::project::{Project, ProjectError};
use crate::model::stage::Stage;
use crate::render::report::StatusReport;
use crate::tui::detail::FieldDetail;
use crate::tui::keys::{self, Command, Scope};
use crate::tui::layout::Screen;
use crate::tui::tree::{FieldTree, Filter, Row, RowKey};
use crate::workspace::Overrides;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use disk::DiskStamps;
use std::collections::{BTreeMap, HashSet};

/// What the event loop does after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Continue,
    Quit,
}

/// What the canary color prompt leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColorFor {
    /// python fields: `mark --canary --into SERVICE`.
    Mark { into: String },
    /// manual fields: `advance --to canary`.
    Advance,
}

#[derive(Debug, Clone)]
pub enum Mode {
    List,
    /// The detail pane has the focus (on a narrow terminal: the whole screen).
    Detail,
    /// Typing a filter; it applies as it is typed. `before` comes back on Esc.
    Filter {
        before: String,
    },
    Help {
        scroll: u16,
    },
    ChooseService {
        canary: bool,
        choices: Vec<String>,
        cursor: usize,
        fields: Vec<FieldCoordinate>,
    },
    ChooseColor {
        input: String,
        then: ColorFor,
        fields: Vec<FieldCoordinate>,
    },
    /// Guards refused some fields; nothing was written.
    Refused {
        request: EditRequest,
        refusals: Vec<Refusal>,
    },
    /// A longer error than the status line holds.
    Message {
        title: String,
        text: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMessage {
    pub level: Level,
    pub text: String,
}

/// Counts the header shows, computed once per load.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub by_stage: BTreeMap<Stage, usize>,
    pub planned: usize,
    pub served_by_go: usize,
}

pub struct App {
    overrides: Overrides,
    pub project: Project,
    pub tree: FieldTree,
    pub totals: Totals,
    pub rows: Vec<Row>,
    /// How many of the rows are fields.
    pub shown_fields: usize,
    /// In characters: the list's name column is this wide when it can be.
    pub longest_field_name: usize,
    pub cursor: usize,
    /// First row on screen.
    pub offset: usize,
    pub folded: HashSet<RowKey>,
    pub selected: Selection,
    pub filter: Filter,
    pub mode: Mode,
    /// The field under the cursor, described (when it is a field).
    pub detail: Option<FieldDetail>,
    pub detail_scroll: u16,
    pub undo: Vec<UndoEntry>,
    pub status: Option<StatusMessage>,
    /// The terminal's size, as last told by `resize`.
    pub size: (u16, u16),
    disk: DiskStamps,
}

impl App {
    pub fn load(overrides: Overrides) -> Result<App, ProjectError> {
        let project = Project::load(&overrides)?;
        Ok(App::new(overrides, project))
    }

    pub fn new(overrides: Overrides, project: Project) -> App {
        // Reloads happen with the screen open: a progress line drawn on
        // stderr would land in the middle of the frame.
        let overrides = Overrides {
            progress: false,
            ..overrides
        };
        let mut app = App {
            overrides,
            tree: FieldTree::default(),
            totals: Totals::default(),
            disk: DiskStamps::of(&project),
            project,
            rows: Vec::new(),
            shown_fields: 0,
            longest_field_name: 0,
            cursor: 0,
            offset: 0,
            folded: HashSet::new(),
            selected: Selection::default(),
            filter: Filter::default(),
            mode: Mode::List,
            detail: None,
            detail_scroll: 0,
            undo: Vec::new(),
            status: None,
            size: (80, 24),
        };
        app.rebuild_model(None);
        app.cursor = app
            .rows
            .iter()
            .position(|r| matches!(r, Row::Field { .. }))
            .unwrap_or(0);
        app.cursor_moved();
        app
    }

    fn fields(&self) -> &[FieldRecord] {
        &self.project.inventory.fields
    }

    /// Recomputes everything derived from the project; the cursor goes back
    /// to the row `current` names when it is still shown.
    fn rebuild_model(&mut self, current: Option<RowKey>) {
        // The old rows index a tree and fields that are gone.
        self.rows.clear();
        self.tree = FieldTree::build(&self.project);
        self.longest_field_name = self
            .fields()
            .iter()
            .map(|f| f.coordinate.field_name.chars().count())
            .max()
            .unwrap_or(0);
        let inventory = &self.project.inventory;
        let report = StatusReport::new(&self.project, inventory.fields.iter().collect());
        self.totals = Totals {
            by_stage: report.by_stage,
            planned: inventory.services.iter().map(|s| s.planned).sum(),
            served_by_go: inventory.services.iter().map(|s| s.served_by_go).sum(),
        };
        self.rebuild_rows_keeping(current);
    }

    /// Recomputes the rows (after a filter or fold change), keeping the
    /// cursor on the same row when it is still shown.
    fn rebuild_rows(&mut self) {
        let current = self.current_key();
        self.rebuild_rows_keeping(current);
    }

    fn rebuild_rows_keeping(&mut self, current: Option<RowKey>) {
        self.rows = self
            .tree
            .rows(&self.project.inventory.fields, &self.filter, &self.folded);
        self.shown_fields = self
            .rows
            .iter()
            .filter(|r| matches!(r, Row::Field { .. }))
            .count();
        // The same row when it is still there, else the first field shown.
        let same = current.and_then(|key| {
            self.rows
                .iter()
                .position(|r| self.tree.is_row(*r, &key, self.fields()))
        });
        self.cursor = same
            .or_else(|| {
                self.rows
                    .iter()
                    .position(|r| matches!(r, Row::Field { .. }))
            })
            .unwrap_or(0);
        self.cursor_moved();
    }

    fn row_key(&self, row: Row) -> RowKey {
        self.tree.key(row, self.fields())
    }

    fn current_key(&self) -> Option<RowKey> {
        self.rows.get(self.cursor).map(|r| self.row_key(*r))
    }

    pub fn current_row(&self) -> Option<Row> {
        self.rows.get(self.cursor).copied()
    }

    pub fn current_field(&self) -> Option<&FieldRecord> {
        match self.current_row()? {
            Row::Field { index } => self.fields().get(index),
            _ => None,
        }
    }

    pub fn screen(&self) -> Screen {
        Screen::new(self.size.0, self.size.1, self)
    }

    /// Rows of the list on screen.
    pub fn page(&self) -> usize {
        self.screen().list_rows().max(1)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.scroll_to_cursor();
        self.refresh_detail();
    }

    fn scroll_to_cursor(&mut self) {
        let page = self.page();
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + page {
            self.offset = self.cursor + 1 - page;
        }
        let last_page_start = self.rows.len().saturating_sub(page);
        self.offset = self.offset.min(last_page_start);
    }

    fn cursor_moved(&mut self) {
        self.scroll_to_cursor();
        self.refresh_detail();
    }

    /// Describes the field under the cursor when the detail pane is on
    /// screen (reading its sources and planning its skeleton is too much
    /// work for every cursor move on a narrow terminal).
    fn refresh_detail(&mut self) {
        if self.screen().detail.is_none() {
            return;
        }
        let coordinate = self.current_field().map(|f| f.coordinate.clone());
        if self.detail.as_ref().map(|d| &d.coordinate) != coordinate.as_ref() {
            self.detail = self
                .current_field()
                .map(|f| FieldDetail::new(&self.project, f));
            self.detail_scroll = 0;
        }
    }

    fn move_cursor(&mut self, to: usize) {
        self.cursor = to.min(self.rows.len().saturating_sub(1));
        self.cursor_moved();
    }

    fn say(&mut self, level: Level, text: impl Into<String>) {
        self.status = Some(StatusMessage {
            level,
            text: text.into(),
        });
    }

    fn scope(&self) -> Scope {
        match &self.mode {
            Mode::List => Scope::List,
            Mode::Detail => Scope::Detail,
            Mode::Refused { .. } => Scope::Refusal,
            Mode::ChooseService { .. } | Mode::ChooseColor { .. } => Scope::Dialog,
            Mode::Filter { .. } | Mode::Help { .. } | Mode::Message { .. } => Scope::Everywhere,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Action {
        // Typing modes take characters as text before the key table.
        match &mut self.mode {
            Mode::Filter { .. } => return self.on_filter_key(key),
            Mode::ChooseColor { input, .. } => {
                if let Some(c) = typed(&key) {
                    if c.is_alphanumeric() || c == '-' || c == '_' {
                        input.push(c);
                    }
                    return Action::Continue;
                }
                if key.code == KeyCode::Backspace {
                    input.pop();
                    return Action::Continue;
                }
            }
            _ => {}
        }
        let command = keys::command_for(self.scope(), &key);
        if let (Mode::Message { .. }, None | Some(Command::Back)) = (&self.mode, command) {
            // Any key closes a message.
            self.mode = Mode::List;
            return Action::Continue;
        }
        let Some(command) = command else {
            return Action::Continue;
        };
        self.on_command(command)
    }

    fn on_filter_key(&mut self, key: KeyEvent) -> Action {
        let Mode::Filter { before } = &self.mode else {
            return Action::Continue;
        };
        let mut text = self.filter.text.clone();
        match key.code {
            KeyCode::Enter => {
                self.mode = Mode::List;
                return Action::Continue;
            }
            KeyCode::Esc => {
                text = before.clone();
                self.mode = Mode::List;
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => text.clear(),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return Action::Quit;
            }
            _ => match typed(&key) {
                Some(c) => text.push(c),
                None => return Action::Continue,
            },
        }
        self.set_filter(&text);
        Action::Continue
    }

    pub fn set_filter(&mut self, text: &str) {
        self.filter = Filter::parse(text);
        self.rebuild_rows();
    }

    pub fn on_command(&mut self, command: Command) -> Action {
        match self.mode.clone() {
            Mode::List => self.on_list_command(command),
            Mode::Detail => self.on_detail_command(command),
            Mode::Help { scroll } => {
                self.mode = match command {
                    Command::Down => Mode::Help { scroll: scroll + 1 },
                    Command::Up => Mode::Help {
                        scroll: scroll.saturating_sub(1),
                    },
                    Command::PageDown => Mode::Help {
                        scroll: scroll + 10,
                    },
                    Command::PageUp => Mode::Help {
                        scroll: scroll.saturating_sub(10),
                    },
                    Command::Quit => return Action::Quit,
                    _ => Mode::List,
                };
                Action::Continue
            }
            Mode::Message { .. } => {
                if command == Command::Quit {
                    return Action::Quit;
                }
                self.mode = Mode::List;
                Action::Continue
            }
            Mode::ChooseService {
                canary,
                choices,
                cursor,
                fields,
            } => {
                let last = choices.len().saturating_sub(1);
                let cursor = match command {
                    Command::Up => cursor.saturating_sub(1),
                    Command::Down => (cursor + 1).min(last),
                    Command::Top | Command::PageUp => 0,
                    Command::Bottom | Command::PageDown => last,
                    Command::Confirm => {
                        let into = choices[cursor].clone();
                        if canary {
                            self.mode = Mode::ChooseColor {
                                input: String::new(),
                                then: ColorFor::Mark { into },
                                fields,
                            };
                        } else {
                            self.mode = Mode::List;
                            self.execute(
                                EditRequest {
                                    verb: Verb::Mark {
                                        into,
                                        canary: false,
                                        color: None,
                                    },
                                    fields,
                                },
                                EditOptions::default(),
                            );
                        }
                        return Action::Continue;
                    }
                    Command::Back => {
                        self.mode = Mode::List;
                        return Action::Continue;
                    }
                    Command::Quit => return Action::Quit,
                    _ => cursor,
                };
                if let Mode::ChooseService { cursor: c, .. } = &mut self.mode {
                    *c = cursor;
                }
                Action::Continue
            }
            Mode::ChooseColor {
                input,
                then,
                fields,
            } => {
                match command {
                    Command::Confirm => {
                        self.mode = Mode::List;
                        let color = (!input.is_empty()).then_some(input);
                        let verb = match then {
                            ColorFor::Mark { into } => Verb::Mark {
                                into,
                                canary: true,
                                color,
                            },
                            ColorFor::Advance => Verb::Advance {
                                to: Some(Stage::Canary),
                                color,
                            },
                        };
                        self.execute(EditRequest { verb, fields }, EditOptions::default());
                    }
                    Command::Back => self.mode = Mode::List,
                    Command::Quit => return Action::Quit,
                    _ => {}
                }
                Action::Continue
            }
            Mode::Refused { request, refusals } => {
                match command {
                    Command::Force if refusals.iter().any(|r| r.overridable()) => {
                        self.mode = Mode::List;
                        let keep_going = refusals.iter().any(|r| !r.overridable());
                        self.execute(
                            request,
                            EditOptions {
                                force: true,
                                keep_going,
                            },
                        );
                    }
                    Command::Skip if refusals.len() < request.fields.len() => {
                        self.mode = Mode::List;
                        self.execute(
                            request,
                            EditOptions {
                                force: false,
                                keep_going: true,
                            },
                        );
                    }
                    Command::Back => {
                        self.mode = Mode::List;
                        self.say(Level::Info, "cancelled: nothing was written");
                    }
                    Command::Quit => return Action::Quit,
                    _ => {}
                }
                Action::Continue
            }
            Mode::Filter { .. } => Action::Continue,
        }
    }

    fn on_detail_command(&mut self, command: Command) -> Action {
        let max = self
            .detail
            .as_ref()
            .map(|d| d.height().saturating_sub(1))
            .unwrap_or(0) as u16;
        let page = self.screen().detail_rows() as u16;
        let scroll = &mut self.detail_scroll;
        match command {
            Command::Up => *scroll = scroll.saturating_sub(1),
            Command::Down => *scroll = (*scroll + 1).min(max),
            Command::PageUp => *scroll = scroll.saturating_sub(page),
            Command::PageDown => *scroll = (*scroll + page).min(max),
            Command::Top => *scroll = 0,
            Command::Bottom => *scroll = max,
            Command::Back => self.mode = Mode::List,
            Command::Help => self.mode = Mode::Help { scroll: 0 },
            Command::Quit => return Action::Quit,
            // The actions work on the field in view, as from the list.
            other => {
                self.mode = Mode::List;
                let action = self.on_list_command(other);
                if matches!(self.mode, Mode::List) {
                    self.mode = Mode::Detail;
                }
                return action;
            }
        }
        Action::Continue
    }

    fn on_list_command(&mut self, command: Command) -> Action {
        let page = self.page();
        match command {
            Command::Up => self.move_cursor(self.cursor.saturating_sub(1)),
            Command::Down => self.move_cursor(self.cursor + 1),
            Command::PageUp => {
                self.offset = self.offset.saturating_sub(page);
                self.move_cursor(self.cursor.saturating_sub(page));
            }
            Command::PageDown => {
                self.offset += page;
                self.move_cursor(self.cursor + page);
            }
            Command::Top => self.move_cursor(0),
            Command::Bottom => self.move_cursor(self.rows.len()),
            Command::Collapse => self.collapse(),
            Command::Expand => self.expand(),
            Command::Select => self.toggle_selection(),
            Command::SelectAll => self.select_all_shown(),
            Command::Open => match self.current_row() {
                Some(Row::Field { .. }) => {
                    self.mode = Mode::Detail;
                    self.refresh_detail();
                }
                Some(row) => self.toggle_fold(row),
                None => {}
            },
            Command::Filter => {
                self.mode = Mode::Filter {
                    before: self.filter.text.clone(),
                };
            }
            Command::Help => self.mode = Mode::Help { scroll: 0 },
            Command::Back => {
                if !self.selected.is_empty() {
                    self.selected.clear();
                    self.say(Level::Info, "selection cleared");
                } else if !self.filter.is_empty() {
                    self.set_filter("");
                    self.say(Level::Info, "filter cleared");
                } else {
                    return Action::Quit;
                }
            }
            Command::Quit => return Action::Quit,
            Command::Reload => {
                if self.reload() {
                    self.say(Level::Info, "reloaded the workspace from disk");
                }
            }
            Command::Undo => self.undo(),
            Command::GenerateGo => self.generate_go(),
            Command::Advance => self.start(Verb::Advance {
                to: None,
                color: None,
            }),
            Command::Rollback => self.start(Verb::Rollback),
            Command::Finish => self.start(Verb::Finish),
            Command::Mark => self.start_mark(false),
            Command::Canary => self.start_canary(),
            Command::Confirm | Command::Force | Command::Skip => {}
        }
        Action::Continue
    }

    fn collapse(&mut self) {
        let Some(row) = self.current_row() else {
            return;
        };
        let key = self.row_key(row);
        match row {
            Row::Field { .. } | Row::Type { .. } if row_is_leaf_or_folded(self, &key) => {
                // Up to the parent row.
                let parent = self.rows[..self.cursor].iter().rposition(|r| match row {
                    Row::Field { .. } => matches!(r, Row::Type { .. }),
                    _ => matches!(r, Row::Service { .. }),
                });
                if let Some(parent) = parent {
                    self.move_cursor(parent);
                }
            }
            _ => {
                if !self.folded.contains(&key) {
                    self.toggle_fold(row);
                }
            }
        }
    }

    fn expand(&mut self) {
        let Some(row) = self.current_row() else {
            return;
        };
        if matches!(row, Row::Field { .. }) {
            return;
        }
        if self.folded.contains(&self.row_key(row)) {
            self.toggle_fold(row);
        } else {
            self.move_cursor(self.cursor + 1);
        }
    }

    fn toggle_fold(&mut self, row: Row) {
        let key = self.row_key(row);
        if !self.folded.remove(&key) {
            self.folded.insert(key);
        }
        self.rebuild_rows();
    }

    fn toggle_selection(&mut self) {
        let Some(row) = self.current_row() else {
            return;
        };
        let fields = self.tree.fields_of(row, self.fields(), &self.filter);
        let all_selected = fields.iter().all(|&i| self.selected.contains(i));
        for index in fields {
            self.selected.set(index, !all_selected);
        }
        if matches!(row, Row::Field { .. }) {
            self.move_cursor(self.cursor + 1);
        }
    }

    fn select_all_shown(&mut self) {
        let shown = self.tree.shown_fields(self.fields(), &self.filter);
        let all_selected = shown.iter().all(|&i| self.selected.contains(i));
        for &index in &shown {
            self.selected.set(index, !all_selected);
        }
        if all_selected {
            self.say(Level::Info, "selection cleared");
        } else {
            self.say(
                Level::Info,
                format!("selected the {} fields shown", shown.len()),
            );
        }
    }

    pub fn field_at(&self, index: usize) -> &FieldRecord {
        &self.fields()[index]
    }
}

fn row_is_leaf_or_folded(app: &App, key: &RowKey) -> bool {
    matches!(key, RowKey::Field(_)) || app.folded.contains(key)
}

/// The character a key types, if it types one.
fn typed(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}
