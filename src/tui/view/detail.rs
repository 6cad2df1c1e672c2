//! The detail pane: the field's facts (wrapped), then its schema text,
//! Python and Go sources as they are in the files: code is never wrapped,
//! it scrolls sideways instead (the facts stay in place).

use super::dim;
use crate::tui::app::{App, Mode};
use crate::tui::detail::{DetailLine, LABEL_WIDTH, SectionKind};
use crate::tui::keys::{self, Command, Scope};
use crate::tui::text::skip_columns;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let focused = matches!(app.mode, Mode::Detail);
    let title = match &app.detail {
        Some(detail) => format!(" {} ", detail.coordinate),
        None => " Detail ".to_string(),
    };
    let mut block = Block::bordered().title(title);
    if focused {
        block = block
            .border_style(Style::new().fg(Color::Cyan))
            .title_bottom(format!(
                " ↑↓←→ scroll · {} edit · {} back ",
                keys::keys_of(Scope::List, Command::Edit),
                keys::keys_of(Scope::Detail, Command::Back)
            ));
    }
    let columns = block.inner(area).width as usize;
    let lines: Vec<Line> = match &app.detail {
        Some(detail) => detail
            .text(columns)
            .into_iter()
            .map(|line| styled(line, app.detail_hscroll as usize))
            .collect(),
        None => vec![Line::styled(
            "move to a field to see its schema, Python and Go",
            dim(),
        )],
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((app.detail_scroll, 0)),
        area,
    );
}

/// A line drawn, code scrolled `hscroll` columns to the right.
fn styled(line: DetailLine<'_>, hscroll: usize) -> Line<'static> {
    match line {
        DetailLine::Fact(label, value) => {
            let label = match label {
                Some(label) => format!("{label:>w$}: ", w = LABEL_WIDTH - 2),
                None => " ".repeat(LABEL_WIDTH),
            };
            Line::from(vec![Span::styled(label, dim()), Span::raw(value)])
        }
        DetailLine::Blank => Line::raw(""),
        DetailLine::Heading(kind, heading) => {
            let color = match kind {
                SectionKind::Schema => Color::Cyan,
                SectionKind::Python => Color::Yellow,
                SectionKind::Go => Color::Green,
            };
            Line::styled(
                skip_columns(heading, hscroll).to_string(),
                Style::new().fg(color).add_modifier(Modifier::BOLD),
            )
        }
        DetailLine::Body(text) => Line::raw(skip_columns(text, hscroll).to_string()),
    }
}
