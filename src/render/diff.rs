//! Unified diffs of planned edits, colored on a terminal.

use crate::edit::change_set::ChangeSet;
use crate::render::style::Style;
use similar::TextDiff;

/// Every file of a change set, as one unified diff.
pub fn change_set(changes: &ChangeSet, style: &Style) -> String {
    changes
        .changes()
        .map(|c| {
            unified(
                &c.path.rel,
                c.before.as_deref().unwrap_or_default(),
                c.after.as_deref().unwrap_or_default(),
                style,
            )
        })
        .collect()
}

pub fn unified(path: &str, before: &str, after: &str, style: &Style) -> String {
    let diff = TextDiff::from_lines(before, after);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !style.enabled() {
        return text;
    }
    text.lines()
        .map(|line| {
            if line.starts_with("+++") || line.starts_with("---") {
                style.bold(line)
            } else if line.starts_with('+') {
                style.green(line)
            } else if line.starts_with('-') {
                style.red(line)
            } else if line.starts_with("@@") {
                style.cyan(line)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
