//! The mouse: a click puts the cursor on a row (or gives the detail pane
//! the focus), the wheel scrolls what is under the pointer.

use super::{Action, App, Mode};
use crate::tui::tree::Row;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

/// Rows (lines) one notch of the wheel scrolls.
const WHEEL_STEP: usize = 3;

fn inner(rect: Rect) -> Rect {
    Rect::new(
        rect.x + 1,
        rect.y + 1,
        rect.width.saturating_sub(2),
        rect.height.saturating_sub(2),
    )
}

impl App {
    pub fn on_mouse(&mut self, event: MouseEvent) -> Action {
        let at = Position::new(event.column, event.row);
        let list = (!self.screen.detail_over_list).then_some(self.screen.list);
        let over_list = list.is_some_and(|l| l.contains(at));
        let over_detail = self.screen.detail.is_some_and(|d| d.contains(at));
        match (&self.mode, event.kind) {
            (Mode::Help { scroll }, MouseEventKind::ScrollDown) => {
                self.mode = Mode::Help {
                    scroll: scroll.saturating_add(WHEEL_STEP as u16),
                }
            }
            (Mode::Help { scroll }, MouseEventKind::ScrollUp) => {
                self.mode = Mode::Help {
                    scroll: scroll.saturating_sub(WHEEL_STEP as u16),
                }
            }
            (Mode::Log { from_end }, MouseEventKind::ScrollUp | MouseEventKind::ScrollDown) => {
                // The newest line is at the bottom: up goes back in time.
                let from_end = if event.kind == MouseEventKind::ScrollUp {
                    from_end.saturating_add(WHEEL_STEP as u16)
                } else {
                    from_end.saturating_sub(WHEEL_STEP as u16)
                };
                self.mode = Mode::Log {
                    from_end: from_end.min(self.log_scroll_limit()),
                };
            }
            (Mode::Preview { .. }, MouseEventKind::ScrollDown | MouseEventKind::ScrollUp) => {
                if let Mode::Preview { scroll, .. } = &mut self.mode {
                    *scroll = if event.kind == MouseEventKind::ScrollDown {
                        scroll.saturating_add(WHEEL_STEP as u16)
                    } else {
                        scroll.saturating_sub(WHEEL_STEP as u16)
                    };
                }
            }
            (Mode::List | Mode::Detail, MouseEventKind::ScrollDown) if over_list => {
                self.scroll_list(WHEEL_STEP as isize)
            }
            (Mode::List | Mode::Detail, MouseEventKind::ScrollUp) if over_list => {
                self.scroll_list(-(WHEEL_STEP as isize))
            }
            (Mode::List | Mode::Detail, MouseEventKind::ScrollDown) if over_detail => {
                let most = self
                    .detail_height()
                    .saturating_sub(self.screen.detail_rows());
                self.detail_scroll = (self.detail_scroll + WHEEL_STEP as u16).min(most as u16);
            }
            (Mode::List | Mode::Detail, MouseEventKind::ScrollUp) if over_detail => {
                self.detail_scroll = self.detail_scroll.saturating_sub(WHEEL_STEP as u16);
            }
            (Mode::List | Mode::Detail, MouseEventKind::Down(MouseButton::Left)) if over_list => {
                let area = inner(self.screen.list);
                if at.y < area.y || at.y >= area.bottom() {
                    return Action::Continue;
                }
                let row = self.offset + (at.y - area.y) as usize;
                if row >= self.rows.len() {
                    return Action::Continue;
                }
                self.mode = Mode::List;
                if row == self.cursor
                    && let Some(group @ (Row::Service { .. } | Row::Type { .. })) =
                        self.current_row()
                {
                    // A second click on a group folds or unfolds it.
                    self.toggle_fold(group);
                } else {
                    self.move_cursor(row);
                }
            }
            (Mode::List, MouseEventKind::Down(MouseButton::Left))
                if over_detail && self.current_field().is_some() =>
            {
                self.mode = Mode::Detail;
            }
            _ => {}
        }
        self.relayout();
        Action::Continue
    }

    /// The wheel over the list: the rows move, the cursor stays on screen.
    fn scroll_list(&mut self, by: isize) {
        let page = self.page();
        let last_start = self.rows.len().saturating_sub(page);
        self.offset = self.offset.saturating_add_signed(by).min(last_start);
        let on_screen = self.offset..self.offset + page;
        if !on_screen.contains(&self.cursor) {
            let to = self
                .cursor
                .clamp(self.offset, (self.offset + page).saturating_sub(1));
            self.cursor = to.min(self.rows.len().saturating_sub(1));
            self.refresh_detail();
        }
    }

    fn detail_height(&self) -> usize {
        self.detail
            .as_ref()
            .map(|d| d.height(self.screen.detail_columns()))
            .unwrap_or(0)
    }
}
