//! Drawing: a pure function of the app's state. Only the rows on screen
//! are turned into text, so a frame costs the same for 50 or 50,000 fields.

use crate::model::stage::Stage;
use crate::render::report::{Hue, go_cell, python_cell, stage_hue, stage_label};
use crate::tui::app::{App, ColorFor, Level, Mode, fields_count};
use crate::tui::detail::{FieldDetail, SectionKind};
use crate::tui::keys::{self, BINDINGS, Command, Scope};
use crate::tui::layout::Screen;
use crate::tui::tree::Row;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use std::collections::BTreeMap;

const BADGE_WIDTH: usize = 14;

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
    let screen = Screen::new(area.width, area.height, app);
    frame.render_widget(Paragraph::new(header(app, area.width)), screen.header);
    if !screen.detail_over_list {
        render_list(frame, app, screen.list);
    }
    if let Some(detail) = screen.detail {
        render_detail(frame, app, detail);
    }
    render_status(frame, app, screen.status);
    frame.render_widget(
        Paragraph::new(footer(app, area.width, screen.footer.height)),
        screen.footer,
    );
    match &app.mode {
        Mode::Help { scroll } => render_help(frame, *scroll),
        Mode::ChooseService {
            canary,
            choices,
            cursor,
            fields,
        } => render_choose_service(frame, *canary, choices, *cursor, fields.len()),
        Mode::ChooseColor {
            input,
            then,
            fields,
        } => render_choose_color(frame, input, then, fields.len()),
        Mode::Refused { request, refusals } => {
            render_refused(frame, request.verb.name(), request.fields.len(), refusals)
        }
        Mode::Message { title, text } => render_message(frame, title, text),
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

/// A stage badge: the label on the stage's color, readable without color.
fn badge(text: &str, stage: Stage) -> Span<'static> {
    let bg = hue_color(stage_hue(stage));
    let fg = match stage_hue(stage) {
        Hue::Yellow | Hue::Cyan | Hue::Green => Color::Black,
        _ => Color::White,
    };
    Span::styled(
        format!(" {} ", fit(text, BADGE_WIDTH - 2)),
        Style::new().bg(bg).fg(fg),
    )
}

/// Pads or cuts `text` to exactly `width` characters.
fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        format!("{text}{}", " ".repeat(width - count))
    } else if width == 0 {
        String::new()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

fn bar(done: usize, total: usize, width: usize) -> Vec<Span<'static>> {
    let filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    vec![
        Span::styled("█".repeat(filled), Style::new().fg(Color::Green)),
        Span::styled("░".repeat(width - filled), Style::new().fg(Color::DarkGray)),
    ]
}

/// The stages the header has a column for: all but `key` (shared keys
/// are no one's progress) and `unknown`, which appears only when some
/// field is at it.
fn header_stages(app: &App) -> Vec<Stage> {
    Stage::ALL
        .into_iter()
        .filter(|s| *s != Stage::Key)
        .filter(|s| *s != Stage::Unknown || app.totals.by_stage.contains_key(s))
        .collect()
}

/// The header: a small table with a row for the whole workspace and one
/// per service: the share of planned fields Go serves, as a bar and a
/// count, then how many fields are at each stage.
fn header(app: &App, width: u16) -> Vec<Line<'static>> {
    let services = &app.project.inventory.services;
    let room = Screen::new(app.size.0, app.size.1, app).header.height as usize;
    let shown = room.saturating_sub(2).min(services.len());
    let name_width = services
        .iter()
        .take(shown)
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(5, 16);
    let stages = header_stages(app);
    let stage_columns: usize = stages.iter().map(|s| s.as_str().chars().count() + 1).sum();
    let bar_width = (width as usize)
        .saturating_sub(name_width + 2 + 9 + stage_columns + 1)
        .clamp(4, 20);
    let dim = Style::new().fg(Color::DarkGray);

    let mut labels = vec![
        Span::styled(
            format!(" {} ", fit("ferry", name_width)),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(fit("served by Go", bar_width + 9), dim),
    ];
    for stage in &stages {
        labels.push(Span::styled(format!(" {stage}"), stage_style(*stage)));
    }
    let row = |name: &str, served: usize, planned: usize, counts: &BTreeMap<Stage, usize>| {
        let mut spans = vec![Span::raw(format!(" {} ", fit(name, name_width)))];
        spans.extend(bar(served, planned, bar_width));
        spans.push(Span::raw(format!(" {:>3}/{:<3} ", served, planned)));
        for stage in &stages {
            let width = stage.as_str().chars().count();
            spans.push(match counts.get(stage) {
                Some(n) => Span::styled(format!(" {n:>width$}"), stage_style(*stage)),
                None => Span::styled(format!(" {:>width$}", "·"), dim),
            });
        }
        Line::from(spans)
    };
    let totals = &app.totals;
    let mut lines = vec![
        Line::from(labels),
        row("all", totals.served_by_go, totals.planned, &totals.by_stage),
    ];
    for service in services.iter().take(shown) {
        lines.push(row(
            &service.name,
            service.served_by_go,
            service.planned,
            &service.by_stage,
        ));
    }
    if shown < services.len()
        && let Some(last) = lines.last_mut()
    {
        last.spans.push(Span::styled(
            format!("  +{} more services", services.len() - shown),
            dim,
        ));
    }
    lines
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
    title.push(' ');
    Line::from(title)
}

fn render_list(frame: &mut Frame, app: &App, area: Rect) {
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
    let width = inner.width as usize;
    let on_screen = || app.rows.iter().enumerate().skip(offset).take(height);
    let longest_name = on_screen()
        .filter_map(|(_, row)| match row {
            Row::Field { index } => {
                Some(app.field_at(*index).coordinate.field_name.chars().count())
            }
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let columns = Columns::new(width, longest_name);
    let lines: Vec<Line> = on_screen()
        .map(|(i, row)| row_line(app, *row, i == app.cursor, width, &columns))
        .collect();
    if lines.is_empty() {
        let text = if app.filter.is_empty() {
            "the workspace has no fields"
        } else {
            "no field matches the filter (esc clears it)"
        };
        frame.render_widget(
            Paragraph::new(text).style(Style::new().fg(Color::DarkGray)),
            inner,
        );
        return;
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The widths of a field row's columns: the name as wide as the longest
/// field name (within what is left; the same for every row, so columns do
/// not move while scrolling), the Python resolver only on wide lists.
#[derive(Clone, Copy)]
struct Columns {
    name: usize,
    service: usize,
    go: usize,
    python: usize,
}

impl Columns {
    fn new(width: usize, longest_name: usize) -> Columns {
        let (service, go) = (12, 16);
        let python = if width >= 110 { 30 } else { 0 };
        let fixed = 7 + BADGE_WIDTH + 1 + service + 1 + go + python;
        let name = width
            .saturating_sub(fixed)
            .max(8)
            .min(longest_name.max(8) + 1);
        Columns {
            name,
            service,
            go,
            python,
        }
    }
}

fn row_line(
    app: &App,
    row: Row,
    is_cursor: bool,
    width: usize,
    columns: &Columns,
) -> Line<'static> {
    let cursor = if is_cursor { "›" } else { " " };
    let cursor_style = if is_cursor {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::new()
    };
    let dim = Style::new().fg(Color::DarkGray);
    match row {
        Row::Service { group, shown } => {
            let name = &app.tree.services[group].name;
            let folded = app
                .folded
                .contains(&crate::tui::tree::RowKey::Service(name.clone()));
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
            let left_width = width.saturating_sub(right.chars().count() + 4);
            Line::from(vec![
                Span::raw(cursor),
                Span::raw(format!(" {arrow} ")),
                Span::styled(
                    fit(name, left_width),
                    cursor_style.add_modifier(Modifier::BOLD),
                ),
                Span::styled(right, dim),
            ])
        }
        Row::Type { group, ty, shown } => {
            let service = &app.tree.services[group];
            let name = &service.types[ty].name;
            let folded = app.folded.contains(&crate::tui::tree::RowKey::Type(
                service.name.clone(),
                name.clone(),
            ));
            let arrow = if folded { "▸" } else { "▾" };
            Line::from(vec![
                Span::raw(cursor),
                Span::raw(format!("   {arrow} ")),
                Span::styled(name.clone(), cursor_style.add_modifier(Modifier::BOLD)),
                Span::styled(format!("  {shown}"), dim),
            ])
        }
        Row::Field { index } => {
            let field = app.field_at(index);
            let selected = app.selected.contains(index);
            let mark = if selected { "●" } else { " " };
            let Columns {
                name: name_width,
                service: service_width,
                go: go_width,
                python: python_width,
            } = *columns;
            let go = go_cell(field);
            let go_style = match go.as_str() {
                "missing" => Style::new().fg(Color::Red),
                "stub" => Style::new().fg(Color::Yellow),
                "implemented" => Style::new().fg(Color::Green),
                _ => dim,
            };
            let mut spans = vec![
                Span::raw(cursor),
                Span::styled(mark, Style::new().fg(Color::Cyan)),
                Span::raw("     "),
                Span::styled(fit(&field.coordinate.field_name, name_width), cursor_style),
                Span::raw(" "),
                badge(&stage_label(field), field.stage),
                Span::raw(" "),
                Span::raw(fit(field.service.as_deref().unwrap_or(""), service_width)),
                Span::raw(" "),
                Span::styled(
                    fit(
                        &if go.is_empty() {
                            String::new()
                        } else {
                            format!("go: {go}")
                        },
                        go_width,
                    ),
                    go_style,
                ),
            ];
            if python_width > 0 {
                spans.push(Span::styled(fit(&python_cell(field), python_width), dim));
            }
            Line::from(spans)
        }
    }
}

fn detail_lines(detail: &FieldDetail) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (label, value) in &detail.facts {
        lines.push(Line::from(vec![
            Span::styled(format!("{label:>8}: "), Style::new().fg(Color::DarkGray)),
            Span::raw(value.clone()),
        ]));
    }
    for section in &detail.sections {
        lines.push(Line::raw(""));
        let color = match section.kind {
            SectionKind::Schema => Color::Cyan,
            SectionKind::Python => Color::Yellow,
            SectionKind::Go => Color::Green,
        };
        lines.push(Line::styled(
            section.heading.clone(),
            Style::new().fg(color).add_modifier(Modifier::BOLD),
        ));
        lines.extend(section.body.iter().map(|l| Line::raw(l.clone())));
    }
    lines
}

fn render_detail(frame: &mut Frame, app: &App, area: Rect) {
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
                " ↑↓ scroll · {} back ",
                keys::keys_of(Scope::Detail, Command::Back)
            ));
    }
    let lines = match &app.detail {
        Some(detail) => detail_lines(detail),
        None => vec![Line::styled(
            "move to a field to see its schema, Python and Go",
            Style::new().fg(Color::DarkGray),
        )],
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.detail_scroll, 0)),
        area,
    );
}

fn render_status(frame: &mut Frame, app: &App, area: Rect) {
    if let Mode::Filter { .. } = app.mode {
        let text = format!("/{}", app.filter.text);
        let x = area.x + text.chars().count() as u16;
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(text, Style::new().add_modifier(Modifier::BOLD)),
                Span::styled(
                    "   words match Type.field · stage: service: kind: · enter keeps · esc restores",
                    Style::new().fg(Color::DarkGray),
                ),
            ])),
            area,
        );
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let line = match &app.status {
        Some(message) => {
            let style = match message.level {
                Level::Info => Style::new().fg(Color::Green),
                Level::Warning => Style::new().fg(Color::Yellow),
                Level::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            };
            Line::styled(message.text.clone(), style)
        }
        None => Line::styled(
            "space selects; the keys act on the selection, else on the field under the cursor",
            Style::new().fg(Color::DarkGray),
        ),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The keys, in table order, on as many lines as the footer has; `? help`
/// and `q quit` come last so they are always there.
fn footer(app: &App, width: u16, lines: u16) -> Vec<Line<'static>> {
    let key_style = Style::new().add_modifier(Modifier::BOLD);
    let item = |keys: String, label: &str| {
        vec![
            Span::styled(keys, key_style),
            Span::raw(format!(" {label}  ")),
        ]
    };
    let width_of =
        |spans: &[Span]| -> usize { spans.iter().map(|s| s.content.chars().count()).sum() };
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
    let width = (width as usize).saturating_sub(1);
    let mut out: Vec<Vec<Span>> = vec![vec![Span::raw(" ")]];
    let mut used = 0;
    for item in items {
        let w = width_of(&item);
        let last_line = out.len() == lines as usize;
        let budget = if last_line {
            width.saturating_sub(tail_width)
        } else {
            width
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
    if used + tail_width > width && out.len() < lines as usize {
        out.push(vec![Span::raw(" ")]);
    }
    out.last_mut()
        .expect("one line")
        .extend(tail.into_iter().flatten());
    out.into_iter().map(Line::from).collect()
}

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

/// A centered popup of at most `width`×`height`, cleared.
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

/// The help text, from the key table.
pub fn help_lines() -> Vec<Line<'static>> {
    let key_width = BINDINGS
        .iter()
        .map(|b| b.key_names().chars().count())
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
    ] {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            scope.title(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        for binding in BINDINGS.iter().filter(|b| b.scope == scope) {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<key_width$}", binding.key_names()),
                    Style::new().fg(Color::Cyan),
                ),
                Span::raw(binding.help),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Filter",
        Style::new().add_modifier(Modifier::BOLD),
    ));
    for text in [
        "  words match Type.field, case-insensitively: `created assign`",
        "  stage:NAME service:NAME kind:NAME match the start of the name;",
        "  one key given twice means either: `stage:manual stage:canary`",
    ] {
        lines.push(Line::raw(text));
    }
    lines
}

fn render_help(frame: &mut Frame, scroll: u16) {
    let inner = popup(frame, 100, 40, " Keys · esc closes · ↑↓ scroll ".into());
    frame.render_widget(Paragraph::new(help_lines()).scroll((scroll, 0)), inner);
}

fn dialog_hint() -> Line<'static> {
    Line::styled(
        format!(
            "{} choose · {} cancel",
            keys::keys_of(Scope::Dialog, Command::Confirm),
            keys::keys_of(Scope::Everywhere, Command::Back)
        ),
        Style::new().fg(Color::DarkGray),
    )
}

fn render_choose_service(
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

fn render_choose_color(frame: &mut Frame, input: &str, then: &ColorFor, fields: usize) {
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
    frame.set_cursor_position((inner.x + 2 + input.chars().count() as u16, inner.y + 1));
}

fn render_refused(
    frame: &mut Frame,
    verb: &str,
    fields: usize,
    refusals: &[crate::migration::refusal::Refusal],
) {
    let area = frame.area();
    let width = area.width.saturating_sub(8).min(100);
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
            Span::styled(
                format!("✗ {}: ", refusal.field),
                Style::new().add_modifier(Modifier::BOLD),
            ),
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
            Span::styled(
                keys::keys_of(Scope::Refusal, Command::Skip),
                Style::new().add_modifier(Modifier::BOLD),
            ),
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
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(" cancel"),
    ]));
    let height = wrapped_height(&lines, width.saturating_sub(2)) + 2;
    let inner = popup(frame, width, height, format!(" {verb}: refused "));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn render_message(frame: &mut Frame, title: &str, text: &str) {
    let area = frame.area();
    let width = area.width.saturating_sub(8).min(100);
    let mut lines: Vec<Line> = text.lines().map(|l| Line::raw(l.to_string())).collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "any key closes",
        Style::new().fg(Color::DarkGray),
    ));
    let height = wrapped_height(&lines, width.saturating_sub(2)) + 2;
    let inner = popup(frame, width, height, format!(" {title} "));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
