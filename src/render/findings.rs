//! `ferry check` output: for people, for scripts (JSON) and as GitHub
//! Actions annotations.

use crate::check::{Finding, Severity};
use crate::render::style::Style;
use serde_json::json;
use std::fmt::Write;

fn location(f: &Finding) -> String {
    match (&f.file, f.line) {
        (Some(file), Some(line)) => format!("{file}:{line}: "),
        (Some(file), None) => format!("{file}: "),
        _ => String::new(),
    }
}

pub fn human(findings: &[Finding], style: &Style) -> String {
    let mut out = String::new();
    for f in findings {
        let label = match f.severity {
            Severity::Error => style.red("error"),
            Severity::Warning => style.yellow("warning"),
        };
        let _ = writeln!(out, "{}{label}[{}]: {}", location(f), f.id, f.message);
        let _ = writeln!(out, "  {} {}", style.dim("hint:"), f.hint);
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if findings.is_empty() {
        let _ = writeln!(out, "{}", style.green("check: clean"));
    } else {
        let _ = writeln!(out, "check: {errors} errors, {warnings} warnings");
    }
    out
}

pub fn json(findings: &[Finding]) -> String {
    serde_json::to_string_pretty(&json!({
        "version": crate::render::json::VERSION,
        "findings": findings,
    }))
    .expect("findings serialize")
        + "\n"
}

/// `::error file=…,line=…,title=…::message` lines, which GitHub Actions turns
/// into annotations on the pull request.
pub fn github(findings: &[Finding]) -> String {
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(file) = &f.file {
            props.push(format!("file={}", property(file)));
        }
        if let Some(line) = f.line {
            props.push(format!("line={line}"));
        }
        props.push(format!("title={}", property(&format!("ferry {}", f.id))));
        let _ = writeln!(
            out,
            "::{level} {}::{}",
            props.join(","),
            escape(&format!("{} (hint: {})", f.message, f.hint))
        );
    }
    out
}
