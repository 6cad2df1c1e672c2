//! `--from-log`: the records a gateway that runs side-by-side itself
//! writes, one JSON object per line, turned into the same measurements as a
//! replay (docs/compare.md has the format):
//!
//! ```json
//! {"time": "2024-05-01T12:00:00Z", "field": "Assignment.title", "matches": 250}
//! {"time": "2024-05-01T12:00:02Z", "field": "Assignment.title", "path": "assignment.title",
//!  "operation": "AssignmentPage", "python": "Intro", "go": "intro", "python_ms": 12.5, "go_ms": 3.1}
//! {"time": "2024-05-01T12:00:03Z", "field": "Assignment.title", "python": "Intro", "go_error": "timeout"}
//! {"time": "2024-05-01T12:00:04Z", "field": "Assignment.title", "noisy": true}
//! ```

use crate::compare::diff::{DiffRules, untyped};
#[cfg(test)]
use crate::compare::format_time;
use crate::compare::replay::Measurements;
use crate::compare::selection::{PathSegment, ResponsePath};
use crate::compare::tally::{Example, Sample, Verdict, clipped};
use crate::compare::targets::Targets;
use serde::Deserialize;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::{Duration, SystemTime};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GatewayRecord {
    time: String,
    field: String,
    /// Samples that agreed since the previous record of this field.
    matches: Option<u64>,
    path: Option<String>,
    operation: Option<String>,
    #[serde(default)]
    python: Value,
    #[serde(default)]
    go: Value,
    python_error: Option<String>,
    go_error: Option<String>,
    /// The gateway asked Python twice and the answers differed.
    #[serde(default)]
    noisy: bool,
    python_ms: Option<f64>,
    go_ms: Option<f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayLogError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}; each line is one record, see docs/compare.md")]
    Record {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// The measurements in the gateway's records, and how many records were
/// about fields not being compared.
pub fn read_gateway_logs(
    files: &[(std::path::PathBuf, String)],
    targets: &Targets,
    rules: &DiffRules,
    examples: usize,
) -> Result<(Measurements, u64), GatewayLogError> {
    let mut measured = Measurements::new(targets.list.len());
    let mut span: Option<(SystemTime, SystemTime)> = None;
    let mut other_fields = 0;
    for (path, shown) in files {
        read_one(path, shown, |line, record| {
            let time = parse_time(&record.time).ok_or_else(|| GatewayLogError::Record {
                path: shown.clone(),
                line,
                column: 1,
                message: format!(
                    "`time` = {:?} is not an RFC 3339 time such as 2024-05-01T12:00:00Z",
                    record.time
                ),
            })?;
            span = Some(match span {
                None => (time, time),
                Some((from, to)) => (from.min(time), to.max(time)),
            });
            let target = record
                .field
                .split_once('.')
                .and_then(|(t, f)| targets.find(t, f));
            let Some(target) = target else {
                other_fields += 1;
                return Ok(());
            };
            measured.operations.read += 1;
            if let Some(matches) = record.matches {
                for _ in 0..matches {
                    measured.add_sample(
                        sample(target, Verdict::Match, false, &record, None),
                        examples,
                    );
                }
                return Ok(());
            }
            measured.operations.replayed += 1;
            let (verdict, example) = judge(rules, targets, target, &record, shown, line);
            let go_error = record.go_error.is_some();
            measured.add_sample(
                sample(target, verdict, go_error, &record, example),
                examples,
            );
            Ok(())
        })?;
    }
    if let Some((from, to)) = span {
        measured.started = from;
        measured.finished = to;
    }
    Ok((measured, other_fields))
}

fn sample(
    target: usize,
    verdict: Verdict,
    go_error: bool,
    record: &GatewayRecord,
    example: Option<Example>,
) -> Sample {
    let duration = |ms: Option<f64>| {
        ms.filter(|ms| *ms >= 0.0)
            .map(|ms| Duration::from_secs_f64(ms / 1000.0))
    };
    Sample {
        target,
        verdict,
        go_error,
        python_elapsed: duration(record.python_ms),
        go_elapsed: duration(record.go_ms),
        example,
    }
}

fn judge(
    rules: &DiffRules,
    targets: &Targets,
    target: usize,
    record: &GatewayRecord,
    shown: &str,
    line: usize,
) -> (Verdict, Option<Example>) {
    if record.noisy {
        return (Verdict::Noisy, None);
    }
    let coordinate = &targets.list[target].coordinate;
    let field = (
        coordinate.type_name.as_str(),
        coordinate.field_name.as_str(),
    );
    let path = ResponsePath(
        record
            .path
            .as_deref()
            .unwrap_or(&coordinate.field_name)
            .split('.')
            .map(|key| PathSegment::Key(key.to_string()))
            .collect(),
    );
    let example = |path: String, python: &Value, go: &Value| Example {
        path,
        python: clipped(python),
        go: clipped(go),
        python_error: record.python_error.clone(),
        go_error: record.go_error.clone(),
        operation: record.operation.clone(),
        origin: format!("{shown}:{line}"),
    };
    let shown_path = record
        .path
        .clone()
        .unwrap_or_else(|| coordinate.field_name.clone());
    match (&record.python_error, &record.go_error) {
        (Some(_), Some(_)) => (Verdict::Match, None),
        (None, None) => {
            let difference = if rules.ignores(field) {
                (record.python.is_null() != record.go.is_null())
                    .then(|| (path.clone(), record.python.clone(), record.go.clone()))
            } else {
                untyped(
                    rules,
                    rules.is_unordered(field),
                    &record.python,
                    &record.go,
                    &path,
                )
                .map(|d| (d.path, d.python, d.go))
            };
            match difference {
                None => (Verdict::Match, None),
                Some((at, python, go)) => {
                    let at = if record.path.is_some() {
                        at.to_string()
                    } else {
                        shown_path
                    };
                    (Verdict::Mismatch, Some(example(at, &python, &go)))
                }
            }
        }
        _ => (
            Verdict::Mismatch,
            Some(example(shown_path, &record.python, &record.go)),
        ),
    }
}

fn read_one(
    path: &Path,
    shown: &str,
    mut each: impl FnMut(usize, GatewayRecord) -> Result<(), GatewayLogError>,
) -> Result<(), GatewayLogError> {
    let read_error = |source| GatewayLogError::Read {
        path: shown.to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(read_error)?;
        if line.trim().is_empty() {
            continue;
        }
        let record: GatewayRecord =
            serde_json::from_str(&line).map_err(|e| GatewayLogError::Record {
                path: shown.to_string(),
                line: i + 1,
                column: e.column(),
                message: e.to_string(),
            })?;
        each(i + 1, record)?;
    }
    Ok(())
}

fn parse_time(text: &str) -> Option<SystemTime> {
    let parsed =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    Some(parsed.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::targets::{Target, TargetKind};
    use crate::model::inventory::FieldCoordinate;

    fn targets() -> Targets {
        let mut targets = Targets::default();
        targets.push(Target {
            coordinate: FieldCoordinate::new("Assignment", "title"),
            service: "assignments".into(),
            kind: TargetKind::Entity,
        });
        targets
    }

    #[test]
    fn records_become_samples_and_a_bad_line_names_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("diffs.jsonl");
        std::fs::write(
            &log,
            concat!(
                "{\"time\": \"2024-05-01T12:00:00Z\", \"field\": \"Assignment.title\", \"matches\": 5}\n",
                "{\"time\": \"2024-05-01T12:01:00Z\", \"field\": \"Assignment.title\", \"path\": \"assignment.title\", \"python\": \"Intro\", \"go\": \"intro\", \"go_ms\": 3}\n",
                "{\"time\": \"2024-05-01T11:59:00Z\", \"field\": \"Assignment.title\", \"noisy\": true}\n",
                "{\"time\": \"2024-05-01T12:02:00Z\", \"field\": \"User.nickname\", \"python\": 1, \"go\": 2}\n",
            ),
        )
        .unwrap();
        let files = [(log.clone(), "diffs.jsonl".to_string())];
        let rules = DiffRules::new(1e-9, &[], &[]);
        let (measured, other) = read_gateway_logs(&files, &targets(), &rules, 3).unwrap();
        let tally = &measured.tallies[0];
        assert_eq!(
            (tally.samples, tally.matches, tally.mismatches, tally.noisy),
            (7, 5, 1, 1)
        );
        assert_eq!(other, 1);
        assert_eq!(tally.examples[0].path, "assignment.title");
        assert_eq!(tally.examples[0].origin, "diffs.jsonl:2");
        assert_eq!(format_time(measured.started), "2024-05-01T11:59:00Z");
        assert_eq!(format_time(measured.finished), "2024-05-01T12:02:00Z");

        std::fs::write(
            &log,
            "{\"time\": \"yesterday\", \"field\": \"Assignment.title\"}\n{\"field\": 1}\n",
        )
        .unwrap();
        let error = read_gateway_logs(&files, &targets(), &rules, 3)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("diffs.jsonl:1:1: `time` = \"yesterday\" is not an RFC 3339"),
            "{error}"
        );
    }
}
