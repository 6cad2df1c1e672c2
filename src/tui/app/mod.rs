//! The TUI's state, and the plain functions that change it. Nothing here
//! draws or touches the terminal: tests drive `App::on_key` and
//! `App::on_mouse` directly.

mod dialogs;
mod disk;
mod editor;
mod edits;
mod list;
mod mouse;
mod plan;
mod selection;

pub use editor::EditorTarget;
pub(crate) use edits::fields_count;
pub use edits::{EditRequest, Pending, PendingWrite, UndoEntry, Verb};
pub use plan::PlanState;
pub use selection::Selection;

use crate::migration::refusal::Refusal;
use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::project::{Project, ProjectError};
use crate::model::stage::Stage;
use crate::render::report::count_by_stage;
use crate::tui::cells::{self, ColumnWidths};
use crate::tui::detail::FieldDetail;
use crate::tui::keys::{self, Command, Scope};
use crate::tui::layout::{self, Panes, Screen};
use crate::tui::text;
use crate::tui::tree::{FieldTree, Filter, Row, RowKey};
use crate::workspace::Overrides;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use disk::DiskStamps;
use std::collections::{BTreeMap, HashSet};

/// What the event loop does after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Continue,
    Quit,
    /// Give the terminal to the user's editor, then come back.
    OpenEditor(EditorTarget),
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
    /// Every message of the session; `from_end` lines scrolled up from the newest.
    Log {
        from_end: u16,
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
        request: Pending,
        refusals: Vec<Refusal>,
        /// The request was a finish that deletes its Python too.
        delete_python: bool,
    },
    /// The diff of a planned change, written only when confirmed.
    Preview {
        pending: Box<PendingWrite>,
        scroll: u16,
    },
    /// Quitting loses the undo history: asked first.
    ConfirmQuit,
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
    /// The widest cells among the shown rows.
    pub columns: ColumnWidths,
    /// Per field (by inventory index), its cells' widths.
    cell_widths: Vec<ColumnWidths>,
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
    /// Columns the detail pane is scrolled to the right (code is not wrapped).
    pub detail_hscroll: u16,
    pub undo: Vec<UndoEntry>,
    /// What undo took back, newest last; a new change clears it.
    pub redo: Vec<UndoEntry>,
    /// Edits show their diff and wait for a confirmation before writing.
    pub preview: bool,
    /// The message of the last key, on the status line until the next key.
    pub status: Option<StatusMessage>,
    /// Every message of the session, oldest first (`L` shows them).
    pub log: Vec<StatusMessage>,
    /// The list's share of the width beside the detail pane, in percent.
    pub list_percent: u16,
    /// The focused pane takes the whole width.
    pub zoomed: bool,
    /// Where everything goes on the terminal as last told by `resize`.
    pub screen: Screen,
    disk: DiskStamps,
    /// The porting plan, once asked for (`p`, `C`, `cluster:`).
    pub plan: Option<PlanState>,
}

impl App {
    pub fn load(overrides: Overrides) -> Result<App, ProjectError> {
        let project = Project::load_reloadable(&overrides)?;
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
            columns: ColumnWidths::default(),
            cell_widths: Vec::new(),
            cursor: 0,
            offset: 0,
            folded: HashSet::new(),
            selected: Selection::default(),
            filter: Filter::default(),
            mode: Mode::List,
            detail: None,
            detail_scroll: 0,
            detail_hscroll: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            preview: false,
            status: None,
            log: Vec::new(),
            list_percent: layout::LIST_PERCENT,
            zoomed: false,
            screen: Screen::default(),
            plan: None,
        };
        app.relayout_for(80, 24);
        app.rebuild_model(None, None, None);
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
    /// to the row `current` names when it is still shown, else to the row
    /// now at `fallback` (or the first field). `shown` are the fields the
    /// tree was built from until now.
    fn rebuild_model(
        &mut self,
        current: Option<RowKey>,
        fallback: Option<usize>,
        shown: Option<&[FieldRecord]>,
    ) {
        // The old rows index a tree and fields that are gone.
        self.rows.clear();
        let before = shown.map(|fields| (std::mem::take(&mut self.tree), fields));
        self.tree = FieldTree::build(&self.project, before);
        self.replan();
        self.cell_widths = {
            use rayon::prelude::*;
            self.fields().par_iter().map(cells::widths).collect()
        };
        let inventory = &self.project.inventory;
        // The counts alone: the whole status report would also run check.
        self.totals = Totals {
            by_stage: count_by_stage(&inventory.fields),
            planned: inventory.services.iter().map(|s| s.planned).sum(),
            served_by_go: inventory.services.iter().map(|s| s.served_by_go).sum(),
        };
        self.rebuild_rows_keeping(current, fallback);
    }

    /// Recomputes the rows (after a filter or fold change), keeping the
    /// cursor on the same row when it is still shown.
    fn rebuild_rows(&mut self) {
        let current = self.current_key();
        self.rebuild_rows_keeping(current, None);
    }

    fn rebuild_rows_keeping(&mut self, current: Option<RowKey>, fallback: Option<usize>) {
        self.rows = self
            .tree
            .rows(&self.project.inventory.fields, &self.filter, &self.folded);
        self.shown_fields = 0;
        let mut columns = ColumnWidths::default();
        for row in &self.rows {
            if let Row::Field { index } = row {
                self.shown_fields += 1;
                columns = columns.max(&self.cell_widths[*index]);
            }
        }
        self.columns = columns;
        // The same row when it is still there; else the row that took its
        // place (an edit moved the field out of the filter); else the
        // first field shown.
        let same = current.and_then(|key| {
            self.rows
                .iter()
                .position(|r| self.tree.is_row(*r, &key, self.fields()))
        });
        let is_field = |r: &Row| matches!(r, Row::Field { .. });
        let first_field = || self.rows.iter().position(is_field);
        let in_its_place = fallback.and_then(|at| {
            let (before, after) = self.rows.split_at(at.min(self.rows.len()));
            after
                .iter()
                .position(is_field)
                .map(|i| before.len() + i)
                .or_else(|| before.iter().rposition(is_field))
        });
        self.cursor = same.or(in_its_place).or_else(first_field).unwrap_or(0);
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
        self.screen
    }

    /// Rows of the list on screen.
    pub fn page(&self) -> usize {
        self.screen.list_rows().max(1)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.relayout_for(width, height);
        self.scroll_to_cursor();
        self.refresh_detail();
    }

    /// Lays the screen out again after something that moves the panes.
    fn relayout(&mut self) {
        let (width, height) = (self.screen.area.width, self.screen.area.height);
        self.relayout_for(width, height);
    }

    fn relayout_for(&mut self, width: u16, height: u16) {
        self.screen = Screen::for_size(width, height, self.panes(width));
    }

    /// What decides the layout besides the terminal's size.
    pub fn panes(&self, width: u16) -> Panes {
        let status_lines = match (&self.mode, &self.status) {
            (Mode::Filter { .. }, _) | (_, None) => 1,
            (_, Some(message)) => text::wrap(&message.text, width as usize).len() as u16,
        };
        Panes {
            services: self.project.inventory.services.len() as u16,
            detail_focused: matches!(self.mode, Mode::Detail),
            zoomed: self.zoomed,
            list_percent: self.list_percent,
            status_lines,
        }
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
        self.relayout();
        self.scroll_to_cursor();
        self.refresh_detail();
    }

    /// Describes the field under the cursor when the detail pane is on
    /// screen (reading its sources and planning its skeleton is too much
    /// work for every cursor move on a narrow terminal).
    fn refresh_detail(&mut self) {
        self.relayout();
        if self.screen.detail.is_none() {
            return;
        }
        let coordinate = self.current_field().map(|f| f.coordinate.clone());
        if self.detail.as_ref().map(|d| &d.coordinate) != coordinate.as_ref() {
            self.detail = self.current_field().map(|f| {
                let mut detail = FieldDetail::new(&self.project, f);
                detail.add_plan(self.plan.as_ref().map(|p| &p.report), f);
                detail
            });
            self.detail_scroll = 0;
            self.detail_hscroll = 0;
        }
    }

    fn move_cursor(&mut self, to: usize) {
        self.cursor = to.min(self.rows.len().saturating_sub(1));
        self.cursor_moved();
    }

    /// Puts a message on the status line and in the session's log.
    fn say(&mut self, level: Level, text: impl Into<String>) {
        let message = StatusMessage {
            level,
            text: text.into(),
        };
        self.log.push(message.clone());
        self.status = Some(message);
        self.relayout();
        self.scroll_to_cursor();
    }

    fn scope(&self) -> Scope {
        match &self.mode {
            Mode::List => Scope::List,
            Mode::Detail => Scope::Detail,
            Mode::Refused { .. } => Scope::Refusal,
            Mode::Preview { .. } => Scope::Preview,
            Mode::ConfirmQuit => Scope::Quitting,
            Mode::ChooseService { .. } | Mode::ChooseColor { .. } => Scope::Dialog,
            Mode::Filter { .. } | Mode::Help { .. } | Mode::Log { .. } | Mode::Message { .. } => {
                Scope::Everywhere
            }
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Action {
        // A message is about the key before: it does not linger.
        self.status = None;
        let action = self.on_key_inner(key);
        self.relayout();
        self.scroll_to_cursor();
        action
    }

    fn on_key_inner(&mut self, key: KeyEvent) -> Action {
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
                self.mode = Mode::List;
                return self.quit();
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
        // `cluster:N` needs the plan; a typo (`cluster:`) does not.
        if self.filter.wants_clusters() && self.plan.is_none() {
            self.ensure_plan();
        }
        self.rebuild_rows();
    }

    pub fn on_command(&mut self, command: Command) -> Action {
        match self.mode.clone() {
            Mode::List => self.on_list_command(command),
            Mode::Detail => self.on_detail_command(command),
            Mode::Filter { .. } => Action::Continue,
            mode => self.on_dialog_command(mode, command),
        }
    }

    /// `q`, `esc` on an empty list, `ctrl-c`: quits at once, or asks first
    /// when quitting would lose the undo history.
    fn quit(&mut self) -> Action {
        if self.undo.is_empty() || matches!(self.mode, Mode::ConfirmQuit) {
            return Action::Quit;
        }
        self.mode = Mode::ConfirmQuit;
        Action::Continue
    }

    pub fn field_at(&self, index: usize) -> &FieldRecord {
        &self.fields()[index]
    }

    /// The session's messages as lines of at most `width` columns, each
    /// message numbered and whole.
    pub fn log_lines(&self, width: usize) -> Vec<(Level, String)> {
        let number_width = self.log.len().to_string().len();
        let indent = number_width + 3;
        let mut lines = Vec::new();
        for (i, message) in self.log.iter().enumerate() {
            let mark = match message.level {
                Level::Info => '·',
                Level::Warning => '!',
                Level::Error => '✗',
            };
            for (j, line) in text::wrap(&message.text, width.saturating_sub(indent))
                .into_iter()
                .enumerate()
            {
                let lead = if j == 0 {
                    format!("{:>number_width$} {mark} ", i + 1)
                } else {
                    " ".repeat(indent)
                };
                lines.push((message.level, format!("{lead}{line}")));
            }
        }
        lines
    }
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
