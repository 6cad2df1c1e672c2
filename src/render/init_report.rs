//! `ferry init`: what discovery found and the `ferry.toml` it wrote (or, with
//! `--stdout`, would write), printed for people (`human`) or scripts (`json`).

use crate::render::json::VERSION;
use crate::workspace::discovery::Discovery;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug)]
pub struct InitReport<'d> {
    pub found: &'d Discovery,
    /// Where the file goes, as shown to the user.
    pub path: String,
    /// The file's text.
    pub config: String,
    /// False with `--stdout`: nothing was written.
    pub written: bool,
    /// A `ferry.toml` was there and `--force` replaced it.
    pub replaced: bool,
}

/// For people: with `--stdout` the file itself, else what was found and
/// what to run next; `quiet` leaves only the file.
pub fn human(report: &InitReport, quiet: bool) -> String {
    if !report.written {
        return report.config.clone();
    }
    if quiet {
        return String::new();
    }
    let found = report.found;
    let mut out = String::new();
    let replaced = if report.replaced {
        " (replacing the one there)"
    } else {
        ""
    };
    let _ = writeln!(out, "wrote {}{replaced}", report.path);
    let schema = if found.monolith_schema.is_empty() {
        format!(
            "none found (the comment in {} says how to export it)",
            report.path
        )
    } else {
        found.monolith_schema.join(", ")
    };
    let _ = writeln!(out, "  monolith SDL:  {schema}");
    let roots = if found.python_roots.is_empty() {
        "none found: the whole workspace is scanned".to_string()
    } else {
        found.python_roots.join(", ")
    };
    let _ = writeln!(out, "  Python roots:  {roots} ({})", found.framework());
    for service in &found.services {
        let source = match &service.gqlgen {
            Some(gqlgen) => gqlgen.clone(),
            None => format!("no gqlgen.yml; {}", service.schema.join(", ")),
        };
        let _ = writeln!(out, "  service:       {} ({source})", service.name);
    }
    if found.services.is_empty() {
        let _ = writeln!(
            out,
            "  services:      none found (no gqlgen.yml, nor a go.mod beside *.graphqls files)"
        );
    }
    let _ = writeln!(out, "next: `ferry status`");
    out
}

#[derive(Serialize)]
struct InitJson<'r> {
    version: u32,
    found: FoundJson<'r>,
    file: &'r str,
    written: bool,
    replaced: bool,
    config: &'r str,
}

#[derive(Serialize)]
struct FoundJson<'r> {
    monolith_schema: &'r [String],
    python_roots: &'r [String],
    /// How many Python files import each library.
    frameworks: &'r BTreeMap<&'static str, usize>,
    framework: &'static str,
    services: Vec<ServiceJson<'r>>,
}

#[derive(Serialize)]
struct ServiceJson<'r> {
    name: &'r str,
    dir: &'r str,
    gqlgen: Option<&'r str>,
    schema: &'r [String],
}

pub fn json(report: &InitReport) -> String {
    let found = report.found;
    let document = InitJson {
        version: VERSION,
        found: FoundJson {
            monolith_schema: &found.monolith_schema,
            python_roots: &found.python_roots,
            frameworks: &found.frameworks,
            framework: found.framework(),
            services: found
                .services
                .iter()
                .map(|s| ServiceJson {
                    name: &s.name,
                    dir: &s.dir,
                    gqlgen: s.gqlgen.as_deref(),
                    schema: &s.schema,
                })
                .collect(),
        },
        file: &report.path,
        written: report.written,
        replaced: report.replaced,
        config: &report.config,
    };
    serde_json::to_string_pretty(&document).expect("the init report serializes") + "\n"
}
