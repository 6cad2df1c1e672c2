//! Drawing: a pure function of the app's state, into the `Screen` the app
//! laid out. One file per part of the screen. Only the rows on screen are
//! turned into text, so a frame costs the same for 50 or 50,000 fields.

mod detail;
mod header;
pub mod list;
pub mod popups;
mod prompt;
mod status;

use crate::model::stage::Stage;
use crate::render::report::{Hue, stage_hue};
use crate::tui::app::{App, Mode};
use crate::tui::layout::Screen;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub use popups::help_lines;

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < 40 || area.height < 10 {
        frame.render_widget(
            Paragraph::new("ferry tui needs at least 40×10; make the terminal larger")
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    // The app lays out for the size it was told; a frame of another size
    // (a resize not yet seen) is drawn for its own.
    let screen = if app.screen.area == area {
        app.screen
    } else {
        Screen::for_size(area.width, area.height, app.panes(area.width))
    };
    frame.render_widget(
        Paragraph::new(header::lines(app, area.width, screen.header.height)),
        screen.header,
    );
    if !screen.detail_over_list {
        list::render(frame, app, screen.list);
    }
    if let Some(area) = screen.detail {
        detail::render(frame, app, area);
    }
    status::render_status(frame, app, screen.status);
    status::render_footer(frame, app, screen.footer);
    match &app.mode {
        Mode::Help { scroll } => popups::render_help(frame, *scroll),
        Mode::Log { from_end } => popups::render_log(frame, app, *from_end),
        Mode::ChooseService {
            canary,
            choices,
            cursor,
            fields,
        } => prompt::render_choose_service(frame, *canary, choices, *cursor, fields.len()),
        Mode::ChooseColor {
            input,
            then,
            fields,
        } => prompt::render_choose_color(frame, input, then, fields.len()),
        Mode::Refused {
            request, refusals, ..
        } => popups::render_refused(frame, request.name(), request.fields().len(), refusals),
        Mode::Preview { pending, scroll } => popups::render_preview(frame, pending, *scroll),
        Mode::ConfirmQuit => popups::render_confirm_quit(frame, app.undo.len()),
        Mode::Message { title, text } => popups::render_message(frame, title, text),
        Mode::List | Mode::Detail | Mode::Filter { .. } => {}
    }
}

fn hue_color(hue: Hue) -> Color {
    match hue {
        Hue::Dim => Color::DarkGray,
        Hue::Yellow => Color::Yellow,
        Hue::Blue => Color::Blue,
        Hue::Magenta => Color::Magenta,
        Hue::Cyan => Color::Cyan,
        Hue::Green => Color::Green,
        Hue::Red => Color::Red,
    }
}

/// A stage's text in its color (for counts).
fn stage_style(stage: Stage) -> Style {
    Style::new().fg(hue_color(stage_hue(stage)))
}

fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// A centered popup of at most `width`×`height`, cleared; returns the
/// area inside its border.
fn popup(frame: &mut Frame, width: u16, height: u16, title: String) -> Rect {
    let area = frame.area();
    let rect = area.centered(
        Constraint::Length(width.min(area.width.saturating_sub(2))),
        Constraint::Length(height.min(area.height.saturating_sub(2))),
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(title)
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}
