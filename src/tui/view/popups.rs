//! The popups: help (from the key table), the message log, a long error,
//! the refused fields, the preview of a change, quitting with changes to
//! undo. Text is wrapped to the popup; nothing is cut at its border.

use super::{dim, popup};
use crate::migration::refusal::Refusal;
use crate::tui::app::{App, Level, PendingWrite, fields_count};
use crate::tui::keys::{self, BINDINGS, Command, Scope};
use crate::tui::layout::{POPUP_WIDTH, popup_width};
use crate::tui::text::{self, width};
use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// How many lines `lines` take wrapped at `width` (words may wrap a
/// little earlier than this counts, so it adds one line per long line).
fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let width = width.max(1) as usize;
    lines
        .iter()
        .map(|line| {
            let len = line.width();
            if len <= width { 1 } else { len / width + 2 }
        })
        .sum::<usize>() as u16
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// `  keys   text`, the text wrapped under itself.
fn hanging(keys: &str, key_width: usize, text: &str, columns: usize) -> Vec<Line<'static>> {
    let lead = 2 + key_width;
    text::wrap(text, columns.saturating_sub(lead))
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let keys = if i == 0 { keys } else { "" };
            Line::from(vec![
                Span::styled(
                    format!("  {keys:<key_width$}"),
                    Style::new().fg(Color::Cyan),
                ),
                Span::raw(part),
            ])
        })
        .collect()
}

/// The help text at `columns` columns, from the key table.
pub fn help_lines(columns: usize) -> Vec<Line<'static>> {
    let key_width = BINDINGS
        .iter()
        .map(|b| width(&b.key_names()))
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines = Vec::new();
    for scope in [
        Scope::List,
        Scope::Everywhere,
        Scope::Detail,
        Scope::Dialog,
        Scope::Refusal,
        Scope::Preview,
        Scope::Quitting,
    ] {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(scope.title(), bold()));
        for binding in BINDINGS.iter().filter(|b| b.scope == scope) {
            lines.extend(hanging(
                &binding.key_names(),
                key_width,
                binding.help,
                columns,
            ));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Mouse", bold()));
    for (what, does) in [
        (
            "click",
            "put the cursor on a row (again on a group: fold or unfold it); in the detail pane: focus it",
        ),
        (
            "wheel",
            "scroll the list, the detail pane or the popup under the pointer",
        ),
    ] {
        lines.extend(hanging(what, key_width, does, columns));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Filter", bold()));
    for text in [
        "words match Type.field, case-insensitively: `created assign`",
        "stage:NAME service:NAME kind:NAME match the start of the name; one key given twice means either: `stage:manual stage:canary`",
    ] {
        lines.extend(hanging("", 0, text, columns));
    }
    lines
}

pub fn render_help(frame: &mut Frame, scroll: u16) {
    let area = frame.area();
    let inner = popup(
        frame,
        POPUP_WIDTH,
        area.height.saturating_sub(2),
        " Keys · esc closes · ↑↓ scroll ".into(),
    );
    frame.render_widget(
        Paragraph::new(help_lines(inner.width as usize)).scroll((scroll, 0)),
        inner,
    );
}

pub fn render_log(frame: &mut Frame, app: &App, from_end: u16) {
    let area = frame.area();
    let title = format!(" Messages · {} · ↑↓ scroll · esc closes ", app.log.len());
    let inner = popup(frame, POPUP_WIDTH, area.height.saturating_sub(2), title);
    let lines = app.log_lines(inner.width as usize);
    if lines.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("no message yet this session", dim())),
            inner,
        );
        return;
    }
    // The newest at the bottom, as a terminal scrolls.
    let room = inner.height as usize;
    let top = lines.len().saturating_sub(room + from_end as usize);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(top)
        .take(room)
        .map(|(level, text)| {
            let style = match level {
                Level::Info => Style::new(),
                Level::Warning => Style::new().fg(Color::Yellow),
                Level::Error => Style::new().fg(Color::Red),
            };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

pub fn render_refused(frame: &mut Frame, verb: &str, fields: usize, refusals: &[Refusal]) {
    let area = frame.area();
    let popup_columns = popup_width(area.width, POPUP_WIDTH);
    let mut lines = vec![Line::raw(format!(
        "{verb} of {}: {} refused, so nothing was written.",
        fields_count(fields),
        refusals.len()
    ))];
    lines.push(Line::raw(""));
    for refusal in refusals {
        let kind = if refusal.overridable() {
            Span::styled(" (guard: can be forced)", Style::new().fg(Color::Yellow))
        } else {
            Span::styled(" (cannot be forced)", Style::new().fg(Color::Red))
        };
        lines.push(Line::from(vec![
            Span::styled(format!("✗ {}: ", refusal.field), bold()),
            Span::raw(refusal.reason.to_string()),
            kind,
        ]));
    }
    lines.push(Line::raw(""));
    let forcible = refusals.iter().filter(|r| r.overridable()).count();
    let hard = refusals.len() - forcible;
    if forcible > 0 {
        let also = if hard > 0 {
            format!(", skipping the {hard} that cannot be")
        } else {
            String::new()
        };
        lines.push(Line::from(vec![
            Span::styled(
                keys::keys_of(Scope::Refusal, Command::Force),
                Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!(" force the {forcible} guarded{also}, and write")),
        ]));
    }
    if refusals.len() < fields {
        lines.push(Line::from(vec![
            Span::styled(keys::keys_of(Scope::Refusal, Command::Skip), bold()),
            Span::raw(format!(
                " skip the refused, apply the other {}",
                fields - refusals.len()
            )),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled(
            format!(
                "{}/{}",
                keys::keys_of(Scope::Refusal, Command::Back),
                keys::keys_of(Scope::Everywhere, Command::Back)
            ),
            bold(),
        ),
        Span::raw(" cancel"),
    ]));
    let height = wrapped_height(&lines, popup_columns.saturating_sub(2)) + 2;
    let inner = popup(frame, popup_columns, height, format!(" {verb}: refused "));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

pub fn render_preview(frame: &mut Frame, pending: &PendingWrite, scroll: u16) {
    let area = frame.area();
    let title = format!(" Preview · {} ", pending.summary);
    let inner = popup(
        frame,
        POPUP_WIDTH + 20,
        area.height.saturating_sub(2),
        title,
    );
    let hint = Line::from(vec![
        Span::styled(keys::keys_of(Scope::Preview, Command::Confirm), bold()),
        Span::raw(" write  "),
        Span::styled(
            format!(
                "{}/{}",
                keys::keys_of(Scope::Preview, Command::Back),
                keys::keys_of(Scope::Everywhere, Command::Back)
            ),
            bold(),
        ),
        Span::raw(" cancel  ↑↓ scroll"),
    ]);
    let mut lines: Vec<Line> = pending
        .diff
        .iter()
        .map(|line| {
            let style = if line.starts_with("+++") || line.starts_with("---") {
                bold()
            } else if line.starts_with('+') {
                Style::new().fg(Color::Green)
            } else if line.starts_with('-') {
                Style::new().fg(Color::Red)
            } else if line.starts_with("@@") {
                Style::new().fg(Color::Cyan)
            } else {
                Style::new()
            };
            Line::styled(line.clone(), style)
        })
        .skip(scroll as usize)
        .collect();
    let room = inner.height.saturating_sub(2) as usize;
    lines.truncate(room);
    lines.resize(room, Line::raw(""));
    lines.push(Line::raw(""));
    lines.push(hint);
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn render_confirm_quit(frame: &mut Frame, changes: usize) {
    let area = frame.area();
    let columns = popup_width(area.width, 64);
    let changes = if changes == 1 {
        "1 change".to_string()
    } else {
        format!("{changes} changes")
    };
    let mut lines: Vec<Line> = text::wrap(
        &format!(
            "Undo has {changes} to take back. Quitting loses that history; the files stay as they are now."
        ),
        columns.saturating_sub(2) as usize,
    )
    .into_iter()
    .map(Line::raw)
    .collect();
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(keys::keys_of(Scope::Quitting, Command::Quit), bold()),
        Span::raw(" quit  "),
        Span::styled(
            format!(
                "{}/{}",
                keys::keys_of(Scope::Quitting, Command::Back),
                keys::keys_of(Scope::Everywhere, Command::Back)
            ),
            bold(),
        ),
        Span::raw(" stay"),
    ]));
    let height = lines.len() as u16 + 2;
    let inner = popup(frame, columns, height, " Quit? ".into());
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn render_message(frame: &mut Frame, title: &str, text: &str) {
    let area = frame.area();
    let columns = popup_width(area.width, POPUP_WIDTH);
    let mut lines: Vec<Line> = text.lines().map(|l| Line::raw(l.to_string())).collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled("any key closes", dim()));
    let height = wrapped_height(&lines, columns.saturating_sub(2)) + 2;
    let inner = popup(frame, columns, height, format!(" {title} "));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
