//! The header: a small table with a row for the whole workspace and one
//! per service: the share of planned fields Go serves, as a bar and a
//! count, then how many fields are at each stage.

use super::{dim, stage_style};
use crate::model::stage::Stage;
use crate::tui::app::App;
use crate::tui::text::{fit, width};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use std::collections::BTreeMap;

fn bar(done: usize, total: usize, width: usize) -> Vec<Span<'static>> {
    let filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    vec![
        Span::styled("█".repeat(filled), Style::new().fg(Color::Green)),
        Span::styled("░".repeat(width - filled), dim()),
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

/// The header's lines for a header `height` rows high.
pub fn lines(app: &App, columns: u16, height: u16) -> Vec<Line<'static>> {
    let services = &app.project.inventory.services;
    let shown = (height as usize).saturating_sub(2).min(services.len());
    let name_width = services
        .iter()
        .take(shown)
        .map(|s| width(&s.name))
        .max()
        .unwrap_or(0)
        .clamp(5, 16);
    let stages = header_stages(app);
    let stage_columns: usize = stages.iter().map(|s| s.as_str().len() + 1).sum();
    let bar_width = (columns as usize)
        .saturating_sub(name_width + 2 + 9 + stage_columns + 1)
        .clamp(4, 20);

    let mut labels = vec![
        Span::styled(
            format!(" {} ", fit("ferry", name_width)),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(fit("served by Go", bar_width + 9), dim()),
    ];
    for stage in &stages {
        labels.push(Span::styled(format!(" {stage}"), stage_style(*stage)));
    }
    let row = |name: &str, served: usize, planned: usize, counts: &BTreeMap<Stage, usize>| {
        let mut spans = vec![Span::raw(format!(" {} ", fit(name, name_width)))];
        spans.extend(bar(served, planned, bar_width));
        spans.push(Span::raw(format!(" {:>3}/{:<3} ", served, planned)));
        for stage in &stages {
            let width = stage.as_str().len();
            spans.push(match counts.get(stage) {
                Some(n) => Span::styled(format!(" {n:>width$}"), stage_style(*stage)),
                None => Span::styled(format!(" {:>width$}", "·"), dim()),
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
            dim(),
        ));
    }
    lines
}
