//! The choices and prompts an edit asks for: the service to mark into,
//! the canary group's color.

use super::{dim, popup};
use crate::tui::app::{ColorFor, fields_count};
use crate::tui::keys::{self, Command, Scope};
use crate::tui::text::width;
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn dialog_hint() -> Line<'static> {
    Line::styled(
        format!(
            "{} choose · {} cancel",
            keys::keys_of(Scope::Dialog, Command::Confirm),
            keys::keys_of(Scope::Everywhere, Command::Back)
        ),
        dim(),
    )
}

pub fn render_choose_service(
    frame: &mut Frame,
    canary: bool,
    choices: &[String],
    cursor: usize,
    fields: usize,
) {
    let verb = if canary { "Mark as canary" } else { "Mark" };
    let height = choices.len() as u16 + 5;
    let inner = popup(
        frame,
        50,
        height,
        format!(" {verb}: {} into ", fields_count(fields)),
    );
    let mut lines: Vec<Line> = choices
        .iter()
        .enumerate()
        .map(|(i, name)| {
            if i == cursor {
                Line::styled(
                    format!("› {name}"),
                    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                )
            } else {
                Line::raw(format!("  {name}"))
            }
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(dialog_hint());
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn render_choose_color(frame: &mut Frame, input: &str, then: &ColorFor, fields: usize) {
    let what = match then {
        ColorFor::Mark { into } => format!(" Canary: mark {} into {into} ", fields_count(fields)),
        ColorFor::Advance => format!(" Canary: {} to canary ", fields_count(fields)),
    };
    let inner = popup(frame, 60, 7, what);
    let lines = vec![
        Line::raw("The canary group's color (empty: none):"),
        Line::from(vec![
            Span::raw("> "),
            Span::styled(input.to_string(), Style::new().add_modifier(Modifier::BOLD)),
        ]),
        Line::raw(""),
        dialog_hint(),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    frame.set_cursor_position((inner.x + 2 + width(input) as u16, inner.y + 1));
}
