//! Findings (`ferry check`, and the problems of `ferry status`): for people,
//! for scripts (JSON) and as GitHub Actions annotations.

use crate::check::{Finding, Severity};
use crate::render::report::counted;
use crate::render::style::Style;
use serde::Serialize;
use std::fmt::Write;

/// One finding as JSON, in `check --json` and in status's `problems`.
#[derive(Serialize)]
pub struct FindingJson<'a> {
    id: &'static str,
    severity: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    hint: &'a str,
}

impl<'a> From<&'a Finding> for FindingJson<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingJson {
            id: f.rule.id(),
            severity: f.severity().as_str(),
            message: &f.message,
            file: f.file.as_deref(),
            line: f.line,
            hint: f.hint,
        }
    }
}

/// `file:line: ` or `file: `, or nothing for a finding with no place.
pub fn location(f: &Finding) -> String {
    match (&f.file, f.line) {
        (Some(file), Some(line)) => format!("{file}:{line}: "),
        (Some(file), None) => format!("{file}: "),
        _ => String::new(),
    }
}

/// `file:line: error[id]: message` and its hint below, each line after `indent`.
pub fn write_finding(out: &mut String, f: &Finding, style: &Style, indent: &str) {
    let label = match f.severity() {
        Severity::Error => style.red("error"),
        Severity::Warning => style.yellow("warning"),
    };
    let _ = writeln!(
        out,
        "{indent}{}{label}[{}]: {}",
        location(f),
        f.rule.id(),
        f.message
    );
    let _ = writeln!(out, "{indent}  {} {}", style.dim("hint:"), f.hint);
}

/// `2 errors, 1 warning`.
pub fn summary(findings: &[Finding]) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    format!(
        "{}, {}",
        counted(errors, "error"),
        counted(warnings, "warning")
    )
}

pub fn human(findings: &[Finding], style: &Style) -> String {
    let mut out = String::new();
    for f in findings {
        write_finding(&mut out, f, style, "");
    }
    if findings.is_empty() {
        let _ = writeln!(out, "{}", style.green("check: clean"));
    } else {
        let _ = writeln!(out, "check: {}", summary(findings));
    }
    out
}

#[derive(Serialize)]
struct CheckJson<'a> {
    version: u32,
    findings: Vec<FindingJson<'a>>,
}

pub fn json(findings: &[Finding]) -> String {
    let document = CheckJson {
        version: crate::render::json::VERSION,
        findings: findings.iter().map(FindingJson::from).collect(),
    };
    serde_json::to_string_pretty(&document).expect("findings serialize") + "\n"
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
        let mut props = Vec::new();
        if let Some(file) = &f.file {
            props.push(format!("file={}", property(file)));
        }
        if let Some(line) = f.line {
            props.push(format!("line={line}"));
        }
        props.push(format!(
            "title={}",
            property(&format!("ferry {}", f.rule.id()))
        ));
        let _ = writeln!(
            out,
            "::{} {}::{}",
            f.severity().as_str(),
            props.join(","),
            escape(&format!("{} (hint: {})", f.message, f.hint))
        );
    }
    out
}
