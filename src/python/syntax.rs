//! Syntax errors that touch a field's Python: the file is still indexed (the
//! parts that parse yield their resolvers), and the problem says where.

use std::collections::BTreeSet;

use super::facts::ScopeKind;
use super::program::Program;
use super::{Found, PythonProblem, PythonProblemKind, PythonSpan};

/// How many fields a problem names before it counts the rest.
const NAMED: usize = 3;

pub(crate) fn problems(program: &Program, found: &Found) -> Vec<PythonProblem> {
    let mut problems = Vec::new();
    for file in &program.files {
        if file.facts.syntax_errors.is_empty() {
            continue;
        }
        let spans: Vec<(&PythonSpan, String)> = found
            .code
            .iter()
            .flat_map(|((type_name, field), code)| {
                [&code.declaration, &code.resolver, &code.mutation]
                    .into_iter()
                    .flatten()
                    .filter(|span| span.file == file.path)
                    .map(move |span| (span, format!("{type_name}.{field}")))
            })
            .collect();
        let mut regions_seen = BTreeSet::new();
        for &(line, column) in &file.facts.syntax_errors {
            // The outermost class around the error: a broken method may have
            // cost the class the resolver the index would have found.
            let region = file
                .facts
                .scopes
                .iter()
                .filter(|s| s.kind == ScopeKind::Class && s.line <= line && line <= s.end_line)
                .map(|s| (s.decorated_line, s.end_line))
                .min_by_key(|&(start, _)| start)
                .unwrap_or((line, line));
            if !regions_seen.insert(region) {
                continue;
            }
            let touched: BTreeSet<&str> = spans
                .iter()
                .filter(|(span, _)| span.line <= region.1 && span.end_line >= region.0)
                .map(|(_, field)| field.as_str())
                .collect();
            if touched.is_empty() {
                continue;
            }
            let mut named: Vec<&str> = touched.iter().copied().take(NAMED).collect();
            let more = touched.len() - named.len();
            let fields = if more > 0 {
                format!("{} and {more} more", named.join(", "))
            } else {
                std::mem::take(&mut named).join(", ")
            };
            problems.push(PythonProblem {
                kind: PythonProblemKind::SyntaxError,
                message: format!(
                    "a syntax error at line {line}, column {column} is in the Python of {fields}; what the broken part declares may be missing from the index"
                ),
                file: file.path.clone(),
                line,
            });
        }
    }
    problems
}
