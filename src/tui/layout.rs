//! Where each part of the screen goes for a terminal size. The app uses it
//! to know how many rows a page has; the view draws into it.

use crate::tui::app::{App, Mode};
use crate::tui::keys;
use ratatui::layout::Rect;

/// From this width on, the detail pane sits beside the list.
pub const SPLIT_WIDTH: u16 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub header: Rect,
    /// The field list, borders included.
    pub list: Rect,
    /// The detail pane, borders included, when it is on screen.
    pub detail: Option<Rect>,
    /// True when the detail pane covers the list (narrow terminals).
    pub detail_over_list: bool,
    pub status: Rect,
    pub footer: Rect,
}

impl Screen {
    pub fn new(width: u16, height: u16, app: &App) -> Screen {
        let services = app.project.inventory.services.len() as u16;
        Screen::for_size(width, height, services, matches!(app.mode, Mode::Detail))
    }

    pub fn for_size(width: u16, height: u16, services: u16, detail_focused: bool) -> Screen {
        // The header's column labels and workspace row, then one row per
        // service while the list keeps about half the height.
        let room = height.saturating_sub(12) / 2;
        let header_height = (2 + services.min(room.max(1))).min(height);
        // The status line, and the footer on one line or, when the keys do
        // not fit, two.
        let footer_lines = if keys::footer_width() + 1 > width as usize {
            2
        } else {
            1
        };
        let bottom = (1 + footer_lines).min(height.saturating_sub(header_height));
        let main_height = height.saturating_sub(header_height + bottom);
        let header = Rect::new(0, 0, width, header_height);
        let main = Rect::new(0, header_height, width, main_height);
        let status = Rect::new(0, header_height + main_height, width, bottom.min(1));
        let footer = Rect::new(
            0,
            header_height + main_height + bottom.min(1),
            width,
            bottom.saturating_sub(1),
        );
        let (list, detail, detail_over_list) = if width >= SPLIT_WIDTH {
            let list_width = width * 55 / 100;
            (
                Rect::new(0, main.y, list_width, main.height),
                Some(Rect::new(
                    list_width,
                    main.y,
                    width - list_width,
                    main.height,
                )),
                false,
            )
        } else if detail_focused {
            (main, Some(main), true)
        } else {
            (main, None, false)
        };
        Screen {
            header,
            list,
            detail,
            detail_over_list,
            status,
            footer,
        }
    }

    /// Rows of fields the list shows at once.
    pub fn list_rows(&self) -> usize {
        self.list.height.saturating_sub(2) as usize
    }

    /// Lines of text the detail pane shows at once.
    pub fn detail_rows(&self) -> usize {
        self.detail.unwrap_or(self.list).height.saturating_sub(2) as usize
    }
}
