//! The field list: a service row, its types, their fields. A field's row
//! has its name, stage badge, Go resolver, Python resolver and owner
//! service, each column as wide as its widest value among the shown
//! rows; when they do not all fit, the least useful go first.

use super::{dim, hue_color};
use crate::model::stage::Stage;
use crate::render::report::{Hue, stage_hue};
use crate::tui::app::{App, Mode, fields_count};
use crate::tui::cells::{self, ColumnWidths};
use crate::tui::text::{fit, width};
use crate::tui::tree::{Row, RowKey};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Cursor, selection mark and the indent under the type rows.
const LEAD: usize = 7;
/// A name column is not cut below this.
const MIN_NAME: usize = 8;

/// The widths of a field row's columns; 0 for a column left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub name: usize,
    /// The badge, its padding included.
    pub stage: usize,
    pub service: usize,
    pub go: usize,
    pub python: usize,
}

impl Columns {
    /// Every column as wide as its content. When they do not all fit in
    /// `room`, the name and the stage come first, then each other column
    /// that still fits, most useful first: the Go status, the Python
    /// resolver (the detail pane has it too), the service (the group row
    /// above says it). Past that the name is cut, then the stage.
    pub fn fit(room: usize, widest: &ColumnWidths) -> Columns {
        let mut columns = Columns {
            name: widest.name.max(1),
            stage: widest.stage + 2,
            service: 0,
            go: 0,
            python: 0,
        };
        let mut used = LEAD + columns.name + 1 + columns.stage;
        for (width, column) in [
            (widest.go, &mut columns.go),
            (widest.python, &mut columns.python),
            (widest.service, &mut columns.service),
        ] {
            if width > 0 && used + 1 + width <= room {
                *column = width;
                used += 1 + width;
            }
        }
        let over = used.saturating_sub(room);
        let name = columns
            .name
            .saturating_sub(over)
            .max(MIN_NAME.min(columns.name));
        let over = over - (columns.name - name);
        columns.name = name;
        columns.stage = columns.stage.saturating_sub(over).max(3);
        columns
    }
}

fn list_title(app: &App) -> Line<'static> {
    let shown = app.shown_fields;
    let mut title = format!(" Fields · {} rows", app.rows.len());
    if shown != app.project.inventory.fields.len() {
        title = format!(
            " Fields · {shown} of {} shown",
            app.project.inventory.fields.len()
        );
    }
    if !app.selected.is_empty() {
        title.push_str(&format!(" · {} selected", app.selected.len()));
    }
    if !app.filter.is_empty() || matches!(app.mode, Mode::Filter { .. }) {
        title.push_str(&format!(" · filter: {}", app.filter.text));
    }
    if app.preview {
        title.push_str(" · preview on");
    }
    if app.zoomed {
        title.push_str(" · zoomed");
    }
    title.push(' ');
    Line::from(title)
}

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let block = Block::bordered().title(list_title(app));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    // The app keeps the offset right; this only guards a stale one.
    let offset = if app.cursor >= app.offset + height.max(1) || app.cursor < app.offset {
        app.cursor.saturating_sub(height.saturating_sub(1))
    } else {
        app.offset
    };
    let room = inner.width as usize;
    let columns = Columns::fit(room, &app.columns);
    let lines: Vec<Line> = app
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| row_line(app, *row, i == app.cursor, room, &columns))
        .collect();
    if lines.is_empty() {
        let text = if app.filter.is_empty() {
            "the workspace has no fields"
        } else {
            "no field matches the filter (esc clears it)"
        };
        frame.render_widget(Paragraph::new(text).style(dim()), inner);
        return;
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A stage badge: the label on the stage's color, readable without color.
fn badge(text: &str, stage: Stage, columns: usize) -> Span<'static> {
    let bg = hue_color(stage_hue(stage));
    let fg = match stage_hue(stage) {
        Hue::Yellow | Hue::Cyan | Hue::Green => Color::Black,
        _ => Color::White,
    };
    Span::styled(
        format!(" {} ", fit(text, columns.saturating_sub(2))),
        Style::new().bg(bg).fg(fg),
    )
}

fn row_line(app: &App, row: Row, is_cursor: bool, room: usize, columns: &Columns) -> Line<'static> {
    let cursor = if is_cursor { "›" } else { " " };
    let cursor_style = if is_cursor {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::new()
    };
    match row {
        Row::Service { group, shown } => {
            let name = &app.tree.services[group].name;
            let folded = app.folded.contains(&RowKey::Service(name.clone()));
            let arrow = if folded { "▸" } else { "▾" };
            let progress = app
                .project
                .inventory
                .services
                .iter()
                .find(|s| s.name == *name);
            let right = match progress {
                Some(p) => format!(
                    "{} · {}/{} served by Go ",
                    fields_count(shown),
                    p.served_by_go,
                    p.planned
                ),
                None => format!("{} ", fields_count(shown)),
            };
            let left_width = room.saturating_sub(width(&right) + 4);
            Line::from(vec![
                Span::raw(cursor),
                Span::raw(format!(" {arrow} ")),
                Span::styled(
                    fit(name, left_width),
                    cursor_style.add_modifier(Modifier::BOLD),
                ),
                Span::styled(right, dim()),
            ])
        }
        Row::Type { group, ty, shown } => {
            let service = &app.tree.services[group];
            let name = &service.types[ty].name;
            let folded = app
                .folded
                .contains(&RowKey::Type(service.name.clone(), name.clone()));
            let arrow = if folded { "▸" } else { "▾" };
            Line::from(vec![
                Span::raw(cursor),
                Span::raw(format!("   {arrow} ")),
                Span::styled(name.clone(), cursor_style.add_modifier(Modifier::BOLD)),
                Span::styled(format!("  {shown}"), dim()),
            ])
        }
        Row::Field { index } => field_line(app, index, cursor, cursor_style, columns),
    }
}

fn field_line(
    app: &App,
    index: usize,
    cursor: &'static str,
    cursor_style: Style,
    columns: &Columns,
) -> Line<'static> {
    let field = app.field_at(index);
    let mark = if app.selected.contains(index) {
        "●"
    } else {
        " "
    };
    let go = cells::go(field);
    let go_style = match field.go.as_ref().map(|g| g.status) {
        _ if go.is_empty() => dim(),
        None => Style::new().fg(Color::Red),
        Some(crate::model::inventory::GoStatus::Stub) => Style::new().fg(Color::Yellow),
        Some(crate::model::inventory::GoStatus::Implemented) => Style::new().fg(Color::Green),
    };
    let mut spans = vec![
        Span::raw(cursor),
        Span::styled(mark, Style::new().fg(Color::Cyan)),
        Span::raw("     "),
        Span::styled(
            fit(&field.coordinate.field_name, columns.name),
            cursor_style,
        ),
        Span::raw(" "),
        badge(&cells::stage(field), field.stage, columns.stage),
    ];
    if columns.go > 0 {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(fit(&go, columns.go), go_style));
    }
    if columns.python > 0 {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            fit(&cells::python(field), columns.python),
            dim(),
        ));
    }
    if columns.service > 0 {
        spans.push(Span::raw(" "));
        spans.push(Span::raw(fit(cells::service(field), columns.service)));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: ColumnWidths = ColumnWidths {
        name: 15,
        stage: 13,
        service: 11,
        go: 15,
        python: 30,
    };

    #[test]
    fn every_column_fits_when_there_is_room() {
        let c = Columns::fit(200, &DEMO);
        assert_eq!(
            (c.name, c.stage, c.service, c.go, c.python),
            (15, 15, 11, 15, 30)
        );
    }

    #[test]
    fn the_least_useful_column_goes_first() {
        // 7 + 15 + 16 + 16 + 31 = 85: no room for the service.
        let c = Columns::fit(85, &DEMO);
        assert_eq!((c.service, c.python), (0, 30));
        // No room for the Python resolver; the service still fits.
        let c = Columns::fit(70, &DEMO);
        assert_eq!((c.service, c.python, c.go, c.name), (11, 0, 15, 15));
        let c = Columns::fit(60, &DEMO);
        assert_eq!((c.service, c.python, c.go, c.name), (0, 0, 15, 15));
        let c = Columns::fit(40, &DEMO);
        assert_eq!((c.go, c.name, c.stage), (0, 15, 15));
        // Then the name is cut, not below eight columns, then the badge.
        let c = Columns::fit(30, &DEMO);
        assert_eq!((c.name, c.stage), (8, 14));
        let c = Columns::fit(25, &DEMO);
        assert_eq!((c.name, c.stage), (8, 9));
    }
}
