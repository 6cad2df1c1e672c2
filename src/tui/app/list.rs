//! The list and the detail pane: moving, folding, selecting, jumping
//! between matches, and sizing the panes.

use super::{Action, App, Level, Mode, Verb};
use crate::tui::keys::Command;
use crate::tui::layout::LIST_PERCENT_RANGE;
use crate::tui::tree::{Row, RowKey};

/// Columns one press of ←/→ scrolls the detail pane.
const HSCROLL_STEP: u16 = 8;
/// Percent of the width one press of `<`/`>` moves the split.
const SPLIT_STEP: u16 = 5;

impl App {
    pub(super) fn on_detail_command(&mut self, command: Command) -> Action {
        let columns = self.screen.detail_columns();
        let (height, width) = self
            .detail
            .as_ref()
            .map(|d| (d.height(columns), d.width(columns)))
            .unwrap_or((0, 0));
        let page = self.screen.detail_rows() as u16;
        // The last line stops at the bottom of the pane.
        let max = (height as u16).saturating_sub(page);
        let max_h = width.saturating_sub(columns) as u16;
        let scroll = &mut self.detail_scroll;
        match command {
            Command::Up => *scroll = scroll.saturating_sub(1),
            Command::Down => *scroll = (*scroll + 1).min(max),
            Command::PageUp => *scroll = scroll.saturating_sub(page),
            Command::PageDown => *scroll = (*scroll + page).min(max),
            Command::Top => *scroll = 0,
            Command::Bottom => *scroll = max,
            Command::ScrollLeft => {
                self.detail_hscroll = self.detail_hscroll.saturating_sub(HSCROLL_STEP)
            }
            Command::ScrollRight => {
                self.detail_hscroll = (self.detail_hscroll + HSCROLL_STEP).min(max_h)
            }
            Command::Back => self.mode = Mode::List,
            Command::Help => self.mode = Mode::Help { scroll: 0 },
            Command::Quit => return self.quit(),
            // The section in view decides what `e` opens.
            Command::Edit => return self.open_editor(),
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

    pub(super) fn on_list_command(&mut self, command: Command) -> Action {
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
            Command::NextMatch => self.jump_to_match(true),
            Command::PreviousMatch => self.jump_to_match(false),
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
            Command::Log => self.mode = Mode::Log { from_end: 0 },
            Command::ShrinkList => self.move_split(false),
            Command::GrowList => self.move_split(true),
            Command::Zoom => {
                self.zoomed = !self.zoomed;
                self.refresh_detail();
            }
            Command::Back => {
                if !self.selected.is_empty() {
                    self.selected.clear();
                    self.say(Level::Info, "selection cleared");
                } else if !self.filter.is_empty() {
                    self.set_filter("");
                    self.say(Level::Info, "filter cleared");
                } else if self.zoomed {
                    self.zoomed = false;
                    self.refresh_detail();
                } else {
                    return self.quit();
                }
            }
            Command::Quit => return self.quit(),
            Command::Reload => {
                if self.reload() {
                    self.say(Level::Info, "reloaded the workspace from disk");
                }
            }
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::TogglePreview => {
                self.preview = !self.preview;
                self.say(
                    Level::Info,
                    if self.preview {
                        "preview on: each change shows its diff before it is written"
                    } else {
                        "preview off: changes are written at once"
                    },
                );
            }
            Command::Edit => return self.open_editor(),
            Command::GenerateGo => self.generate_go(),
            Command::Plan => self.show_plan(),
            Command::FilterCluster => self.filter_to_cluster(),
            Command::Advance => self.start(Verb::Advance {
                to: None,
                group: None,
            }),
            Command::Rollback => self.start(Verb::Rollback),
            Command::Finish => self.start(Verb::Finish),
            Command::FinishDeletingPython => self.start_finish_deleting_python(),
            Command::Mark => self.start_mark(false),
            Command::Canary => self.start_canary(),
            Command::ScrollLeft
            | Command::ScrollRight
            | Command::Confirm
            | Command::Force
            | Command::Skip => {}
        }
        Action::Continue
    }

    /// `n`/`N`: the next (previous) field the filter shows, past the group
    /// rows, around the end of the list.
    fn jump_to_match(&mut self, forward: bool) {
        let is_field = |r: &Row| matches!(r, Row::Field { .. });
        let found = if forward {
            self.rows
                .get(self.cursor + 1..)
                .unwrap_or_default()
                .iter()
                .position(is_field)
                .map(|i| (self.cursor + 1 + i, false))
                .or_else(|| self.rows.iter().position(is_field).map(|i| (i, true)))
        } else {
            self.rows
                .get(..self.cursor)
                .unwrap_or_default()
                .iter()
                .rposition(is_field)
                .map(|i| (i, false))
                .or_else(|| self.rows.iter().rposition(is_field).map(|i| (i, true)))
        };
        match found {
            Some((row, wrapped)) => {
                self.move_cursor(row);
                if wrapped {
                    let end = if forward { "top" } else { "bottom" };
                    self.say(Level::Info, format!("past the last match: from the {end}"));
                }
            }
            None if self.filter.is_empty() => self.say(Level::Info, "no field is shown"),
            None => self.say(Level::Info, "no field matches the filter"),
        }
    }

    /// `<`/`>`: the list narrower or wider beside the detail pane.
    fn move_split(&mut self, wider: bool) {
        if !self.screen.split {
            self.say(
                Level::Info,
                "the panes sit side by side from 120 columns (unzoomed); `<`/`>` size them there",
            );
            return;
        }
        let (low, high) = LIST_PERCENT_RANGE;
        self.list_percent = if wider {
            (self.list_percent + SPLIT_STEP).min(high)
        } else {
            self.list_percent.saturating_sub(SPLIT_STEP).max(low)
        };
        self.refresh_detail();
    }

    fn collapse(&mut self) {
        let Some(row) = self.current_row() else {
            return;
        };
        let key = self.row_key(row);
        match row {
            Row::Field { .. } | Row::Type { .. } if self.is_leaf_or_folded(&key) => {
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

    fn is_leaf_or_folded(&self, key: &RowKey) -> bool {
        matches!(key, RowKey::Field(_)) || self.folded.contains(key)
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

    pub(super) fn toggle_fold(&mut self, row: Row) {
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
}
