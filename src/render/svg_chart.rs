//! Stacked bar and stacked area charts as inline SVG, for the HTML report.
//! Colours are CSS classes (`series-N`) that the page styles for light and
//! dark mode; every chart carries a `<title>`, a `<desc>` and an
//! `aria-label`, and every point is an element with its number in
//! `data-value` and a tooltip, so the page can be read without the picture.

use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One bar per category, the series stacked in it.
    StackedBars,
    /// One point per category along the x axis, the series stacked as areas.
    StackedArea,
}

pub struct Chart {
    /// The `id` of the `<svg>`, also the prefix of its title and desc ids.
    pub id: String,
    pub title: String,
    pub description: String,
    pub kind: ChartKind,
    /// The x axis: one label per point of every series.
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

pub struct Series {
    pub name: String,
    /// Which colour of the palette (`series-N`).
    pub palette_index: usize,
    /// One value per category.
    pub values: Vec<usize>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 44.0;
const MAX_LABELS: usize = 6;

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Chart {
    pub fn svg(&self) -> String {
        let id = escape(&self.id);
        let mut out = String::new();
        let _ = writeln!(
            out,
            r#"<svg id="{id}" class="chart" data-kind="{kind}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{title}" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">"#,
            kind = match self.kind {
                ChartKind::StackedBars => "stacked-bars",
                ChartKind::StackedArea => "stacked-area",
            },
            title = escape(&self.title),
        );
        let _ = writeln!(
            out,
            r#"<title id="{id}-title">{}</title>"#,
            escape(&self.title)
        );
        let _ = writeln!(
            out,
            r#"<desc id="{id}-desc">{}</desc>"#,
            escape(&self.description)
        );
        let max = self.stacked_max();
        self.axes(&mut out, max);
        let stacked = self.stacked();
        for (index, series) in self.series.iter().enumerate() {
            let _ = writeln!(
                out,
                r#"<g class="series series-{}" data-series="{}">"#,
                series.palette_index,
                escape(&series.name)
            );
            match self.kind {
                ChartKind::StackedBars => self.bars(&mut out, series, &stacked[index], max),
                ChartKind::StackedArea => self.area(&mut out, series, &stacked[index], max),
            }
            let _ = writeln!(out, "</g>");
        }
        let _ = writeln!(out, "</svg>");
        out
    }

    /// For each series, the stack's height below it at each category.
    fn stacked(&self) -> Vec<Vec<usize>> {
        let mut below = vec![0; self.categories.len()];
        let mut bases = Vec::new();
        for series in &self.series {
            bases.push(below.clone());
            for (sum, value) in below.iter_mut().zip(&series.values) {
                *sum += value;
            }
        }
        bases
    }

    fn stacked_max(&self) -> usize {
        (0..self.categories.len())
            .map(|i| self.series.iter().map(|s| s.values[i]).sum::<usize>())
            .max()
            .unwrap_or(0)
            .max(1)
    }

    fn y(&self, value: usize, max: usize) -> f64 {
        let plot = HEIGHT - TOP - BOTTOM;
        HEIGHT - BOTTOM - plot * value as f64 / max as f64
    }

    /// The centre of category `i`: bands for bars, evenly spread points for
    /// areas (a single point sits in the middle).
    fn x(&self, i: usize) -> f64 {
        let plot = WIDTH - LEFT - RIGHT;
        let n = self.categories.len().max(1);
        match self.kind {
            ChartKind::StackedBars => LEFT + plot * (i as f64 + 0.5) / n as f64,
            ChartKind::StackedArea if n == 1 => LEFT + plot / 2.0,
            ChartKind::StackedArea => LEFT + plot * i as f64 / (n - 1) as f64,
        }
    }

    fn axes(&self, out: &mut String, max: usize) {
        let _ = writeln!(out, r#"<g class="axes" aria-hidden="true">"#);
        let mut ticks = vec![0, max / 2, max];
        ticks.dedup();
        for tick in ticks {
            let y = self.y(tick, max);
            let _ = writeln!(
                out,
                r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{tick}</text>"#,
                WIDTH - RIGHT,
                LEFT - 6.0,
                y + 4.0
            );
        }
        let last = self.categories.len().saturating_sub(1);
        // At most about six labels fit; counted back from the last, which
        // is always labelled. Every point keeps its label in its tooltip.
        let step = self.categories.len().div_ceil(MAX_LABELS).max(1);
        for (i, label) in self.categories.iter().enumerate() {
            // The last label is end-anchored and long (`now (date)`): its
            // neighbour is left out so the two never overlap.
            let crowding_last = last >= 2 * step && i == last - step;
            if !(last - i).is_multiple_of(step) || crowding_last {
                continue;
            }
            // An area's first and last points sit on the plot's edges.
            let anchor = match self.kind {
                ChartKind::StackedArea if last > 0 && i == 0 => "start",
                ChartKind::StackedArea if last > 0 && i == last => "end",
                _ => "middle",
            };
            let _ = writeln!(
                out,
                r#"<text class="label" x="{:.1}" y="{}" text-anchor="{anchor}">{}</text>"#,
                self.x(i),
                HEIGHT - BOTTOM + 18.0,
                escape(label)
            );
        }
        let _ = writeln!(out, "</g>");
    }

    fn bars(&self, out: &mut String, series: &Series, base: &[usize], max: usize) {
        let band = (WIDTH - LEFT - RIGHT) / self.categories.len().max(1) as f64;
        let width = (band * 0.6).min(120.0);
        for (i, (&value, &below)) in series.values.iter().zip(base).enumerate() {
            let top = self.y(below + value, max);
            let bottom = self.y(below, max);
            let _ = writeln!(
                out,
                r#"<rect class="point" data-value="{value}" x="{:.1}" y="{top:.1}" width="{width:.1}" height="{:.1}"><title>{}: {} {value}</title></rect>"#,
                self.x(i) - width / 2.0,
                bottom - top,
                escape(&self.categories[i]),
                escape(&series.name),
            );
        }
    }

    fn area(&self, out: &mut String, series: &Series, base: &[usize], max: usize) {
        let upper: Vec<(f64, f64)> = (0..series.values.len())
            .map(|i| (self.x(i), self.y(base[i] + series.values[i], max)))
            .collect();
        let lower: Vec<(f64, f64)> = (0..series.values.len())
            .rev()
            .map(|i| (self.x(i), self.y(base[i], max)))
            .collect();
        let outline: Vec<String> = upper
            .iter()
            .chain(&lower)
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = writeln!(
            out,
            r#"<polygon class="area" points="{}"/>"#,
            outline.join(" ")
        );
        for (i, (x, y)) in upper.iter().enumerate() {
            let value = series.values[i];
            let _ = writeln!(
                out,
                r#"<circle class="point" data-value="{value}" cx="{x:.1}" cy="{y:.1}" r="3.5"><title>{}: {} {value}</title></circle>"#,
                escape(&self.categories[i]),
                escape(&series.name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_a_point_of_its_series() {
        let chart = Chart {
            id: "c".into(),
            title: "A <chart>".into(),
            description: "d".into(),
            kind: ChartKind::StackedArea,
            categories: vec!["x".into(), "y".into(), "z".into()],
            series: vec![
                Series {
                    name: "one".into(),
                    palette_index: 0,
                    values: vec![0, 1, 2],
                },
                Series {
                    name: "two".into(),
                    palette_index: 1,
                    values: vec![1, 1, 1],
                },
            ],
        };
        let svg = chart.svg();
        assert_eq!(svg.matches(r#"class="series "#).count(), 2);
        assert_eq!(svg.matches(r#"class="point""#).count(), 6);
        assert!(svg.contains("A &lt;chart&gt;"));
        assert!(svg.contains(r#"role="img""#));
    }
}
