//! The status line (the last message, wrapped over up to three lines) and
//! the footer of keys.

use super::dim;
use crate::tui::app::{App, Level, Mode};
use crate::tui::keys::{self, Command, Scope};
use crate::tui::text::{self, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render_status(frame: &mut Frame, app: &App, area: Rect) {
    if let Mode::Filter { .. } = app.mode {
        let typed = format!("/{}", app.filter.text);
        let x = area.x + width(&typed) as u16;
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(typed, Style::new().add_modifier(Modifier::BOLD)),
                Span::styled(
                    "   words match Type.field · stage: service: kind: · enter keeps · esc restores",
                    dim(),
                ),
            ])),
            area,
        );
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let Some(message) = &app.status else {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "space selects; the keys act on the selection, else on the field under the cursor",
                dim(),
            )),
            area,
        );
        return;
    };
    let style = match message.level {
        Level::Info => Style::new().fg(Color::Green),
        Level::Warning => Style::new().fg(Color::Yellow),
        Level::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    };
    let columns = area.width as usize;
    let mut lines = text::wrap(&message.text, columns);
    let room = (area.height as usize).max(1);
    if lines.len() > room {
        // Longer than the status line grows: the log has it whole.
        lines.truncate(room);
        let more = format!(" ({} shows all)", keys::keys_of(Scope::List, Command::Log));
        let last = lines.last_mut().expect("one line");
        let keep = columns.saturating_sub(width(&more));
        let cut = text::fit(&format!("{last} …"), keep);
        *last = format!("{}{more}", cut.trim_end());
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The keys, in table order, on as many lines as the footer has; `? help`
/// and `q quit` come last so they are always there.
pub fn render_footer(frame: &mut Frame, app: &App, area: Rect) {
    frame.render_widget(Paragraph::new(footer(app, area.width, area.height)), area);
}

fn footer(app: &App, columns: u16, lines: u16) -> Vec<Line<'static>> {
    let key_style = Style::new().add_modifier(Modifier::BOLD);
    let item = |keys: String, label: &str| {
        vec![
            Span::styled(keys, key_style),
            Span::raw(format!(" {label}  ")),
        ]
    };
    let width_of = |spans: &[Span]| -> usize { spans.iter().map(|s| width(&s.content)).sum() };
    let mut items: Vec<Vec<Span>> = Vec::new();
    let mut tail = Vec::new();
    if matches!(app.mode, Mode::Detail) {
        items.push(item(keys::keys_of(Scope::Detail, Command::Back), "back"));
    }
    for binding in keys::footer() {
        let spans = item(binding.short_key(), binding.footer.unwrap_or_default());
        if matches!(binding.command, Command::Help | Command::Quit) {
            tail.push(spans);
        } else {
            items.push(spans);
        }
    }
    let tail_width: usize = tail.iter().map(|t| width_of(t)).sum();
    let columns = (columns as usize).saturating_sub(1);
    let mut out: Vec<Vec<Span>> = vec![vec![Span::raw(" ")]];
    let mut used = 0;
    for item in items {
        let w = width_of(&item);
        let last_line = out.len() == lines as usize;
        let budget = if last_line {
            columns.saturating_sub(tail_width)
        } else {
            columns
        };
        if used + w > budget {
            if last_line {
                break;
            }
            out.push(vec![Span::raw(" ")]);
            used = 0;
        }
        used += w;
        out.last_mut().expect("one line").extend(item);
    }
    if used + tail_width > columns && out.len() < lines as usize {
        out.push(vec![Span::raw(" ")]);
    }
    out.last_mut()
        .expect("one line")
        .extend(tail.into_iter().flatten());
    out.into_iter().map(Line::from).collect()
}
