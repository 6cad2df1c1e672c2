//! Where each part of the screen goes, from the terminal's size and the
//! few choices that move the panes. The app computes it when one of them
//! changes; the view draws into the same `Screen`.

use crate::tui::keys;
use ratatui::layout::Rect;

/// From this width on, the detail pane sits beside the list.
pub const SPLIT_WIDTH: u16 = 120;
/// The list's share of the width beside the detail pane, in percent.
pub const LIST_PERCENT: u16 = 55;
pub const LIST_PERCENT_RANGE: (u16, u16) = (25, 80);
/// Lines the status line may grow to for a long message.
pub const STATUS_LINES: u16 = 3;

/// What, besides the terminal's size, decides the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    /// Services the header has a row for.
    pub services: u16,
    /// The detail pane has the focus.
    pub detail_focused: bool,
    /// The focused pane takes the whole width.
    pub zoomed: bool,
    /// The list's share of the width when the panes sit side by side.
    pub list_percent: u16,
    /// Lines the status message needs (1 to `STATUS_LINES`).
    pub status_lines: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Screen {
    /// The whole terminal.
    pub area: Rect,
    pub header: Rect,
    /// The field list, borders included (hidden when `detail_over_list`).
    pub list: Rect,
    /// The detail pane, borders included, when it is on screen.
    pub detail: Option<Rect>,
    /// True when the detail pane covers the list (narrow terminals, zoom).
    pub detail_over_list: bool,
    /// True when the list and the detail pane sit side by side.
    pub split: bool,
    pub status: Rect,
    pub footer: Rect,
}

impl Screen {
    pub fn for_size(width: u16, height: u16, panes: Panes) -> Screen {
        // The header's column labels and workspace row, then one row per
        // service while the list keeps about half the height.
        let room = height.saturating_sub(12) / 2;
        let header_height = (2 + panes.services.min(room.max(1))).min(height);
        // The status line (longer for a long message), and the footer on
        // one line or, when the keys do not fit, two.
        let footer_lines = if keys::footer_width() + 1 > width as usize {
            2
        } else {
            1
        };
        let status_lines = panes.status_lines.clamp(1, STATUS_LINES);
        let bottom = (status_lines + footer_lines).min(height.saturating_sub(header_height));
        let main_height = height.saturating_sub(header_height + bottom);
        let status_height = bottom.min(status_lines);
        let header = Rect::new(0, 0, width, header_height);
        let main = Rect::new(0, header_height, width, main_height);
        let status = Rect::new(0, header_height + main_height, width, status_height);
        let footer = Rect::new(
            0,
            status.bottom(),
            width,
            bottom.saturating_sub(status_height),
        );
        let split = width >= SPLIT_WIDTH && !panes.zoomed;
        let (list, detail, detail_over_list) = if split {
            let (low, high) = LIST_PERCENT_RANGE;
            let list_width = width * panes.list_percent.clamp(low, high) / 100;
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
        } else if panes.detail_focused {
            (main, Some(main), true)
        } else {
            (main, None, false)
        };
        Screen {
            area: Rect::new(0, 0, width, height),
            header,
            list,
            detail,
            detail_over_list,
            split,
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

    /// Columns of text the detail pane shows at once.
    pub fn detail_columns(&self) -> usize {
        self.detail.unwrap_or(self.list).width.saturating_sub(2) as usize
    }
}

/// The widest a popup gets (help, the message log, dialogs).
pub const POPUP_WIDTH: u16 = 100;

/// A popup's width on a terminal `area_width` wide: at most `max`, with a
/// column of the screen on either side.
pub fn popup_width(area_width: u16, max: u16) -> u16 {
    max.min(area_width.saturating_sub(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PANES: Panes = Panes {
        services: 2,
        detail_focused: false,
        zoomed: false,
        list_percent: LIST_PERCENT,
        status_lines: 1,
    };

    #[test]
    fn the_panes_split_from_120_columns_and_zoom_takes_the_width() {
        let screen = Screen::for_size(160, 48, PANES);
        assert!(screen.split);
        assert_eq!((screen.list.width, screen.detail.unwrap().width), (88, 72));
        let wider = Screen::for_size(
            160,
            48,
            Panes {
                list_percent: 70,
                ..PANES
            },
        );
        assert_eq!(wider.list.width, 112);
        let zoomed = Screen::for_size(
            160,
            48,
            Panes {
                zoomed: true,
                ..PANES
            },
        );
        assert_eq!((zoomed.list.width, zoomed.detail), (160, None));
        let detail = Screen::for_size(
            160,
            48,
            Panes {
                zoomed: true,
                detail_focused: true,
                ..PANES
            },
        );
        assert!(detail.detail_over_list);
        assert_eq!(detail.detail.unwrap().width, 160);
        let narrow = Screen::for_size(80, 24, PANES);
        assert!(!narrow.split && narrow.detail.is_none());
    }

    #[test]
    fn a_long_message_takes_up_to_three_status_lines_from_the_list() {
        let one = Screen::for_size(80, 24, PANES);
        let three = Screen::for_size(
            80,
            24,
            Panes {
                status_lines: 5,
                ..PANES
            },
        );
        assert_eq!(three.status.height, 3);
        assert_eq!(three.list.height + 2, one.list.height);
        assert_eq!(three.footer.y, three.status.bottom());
        assert_eq!(three.footer.bottom(), 24);
    }
}
