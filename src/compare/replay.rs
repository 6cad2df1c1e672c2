//! The replay: worker threads (`--jobs`) take operations from the corpus
//! one at a time, ask Python, ask Go for every occurrence of a compared
//! field, ask Python again, and judge each sample; the calling thread adds
//! the samples up. Ctrl-C (the `stop` flag) ends the run after the
//! operations in flight, keeping what was measured.

use crate::compare::diff::{DiffRules, Differ};
use crate::compare::go_requests::{go_outcome, go_requests};
use crate::compare::http::{Client, Endpoint, HttpFailure};
use crate::compare::occurrences::{Occurrence, Outcome, find_occurrences, outcome_at};
use crate::compare::operations::{CorpusItem, SkipReason, SkippedOperation};
use crate::compare::rewrite::{PreparedOperation, prepare};
use crate::compare::tally::{Example, FieldTally, OperationCounts, Sample, Verdict, clipped};
use crate::compare::targets::{EntityKeys, Targets};
use apollo_compiler::Schema;
use apollo_compiler::validation::Valid;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

/// Everything a replay needs, ready.
pub struct ReplaySetup<'a> {
    pub schema: &'a Valid<Schema>,
    pub targets: &'a Targets,
    pub keys: &'a EntityKeys,
    pub rules: &'a DiffRules,
    pub python: Endpoint,
    /// Each compared field's service's endpoint, by service name.
    pub go: BTreeMap<String, Endpoint>,
    pub client: Client,
    pub jobs: usize,
    /// Examples kept per field.
    pub examples: usize,
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct Measurements {
    /// By target index.
    pub tallies: Vec<FieldTally>,
    pub operations: OperationCounts,
    pub started: SystemTime,
    pub finished: SystemTime,
    pub interrupted: bool,
}

impl Measurements {
    pub fn new(targets: usize) -> Measurements {
        Measurements {
            tallies: vec![FieldTally::default(); targets],
            operations: OperationCounts::default(),
            started: SystemTime::now(),
            finished: SystemTime::now(),
            interrupted: false,
        }
    }

    pub fn samples(&self) -> u64 {
        self.tallies.iter().map(|t| t.samples).sum()
    }

    pub fn mismatches(&self) -> u64 {
        self.tallies.iter().map(|t| t.mismatches).sum()
    }

    pub fn add_sample(&mut self, sample: Sample, examples_kept: usize) {
        self.tallies[sample.target].add(sample, examples_kept);
    }
}

/// What one operation of the corpus came to.
enum OperationResult {
    Skipped(SkippedOperation),
    Replayed { count: u64, samples: Vec<Sample> },
}

/// Replays the corpus; `on_progress` sees the running totals after each
/// operation.
pub fn replay(
    setup: &ReplaySetup,
    corpus: impl Iterator<Item = CorpusItem> + Send,
    stop: &AtomicBool,
    on_progress: &(dyn Fn(&Measurements) + Sync),
) -> Measurements {
    let mut measured = Measurements::new(setup.targets.list.len());
    let corpus = Mutex::new(corpus);
    let (sender, receiver) = mpsc::sync_channel::<OperationResult>(setup.jobs * 4);
    std::thread::scope(|scope| {
        for _ in 0..setup.jobs.max(1) {
            let sender = sender.clone();
            let corpus = &corpus;
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let item = corpus.lock().map(|mut c| c.next()).ok().flatten();
                    let Some(item) = item else { break };
                    for result in replay_item(setup, item, stop) {
                        if sender.send(result).is_err() {
                            return;
                        }
                    }
                }
            });
        }
        drop(sender);
        for result in receiver {
            measured.operations.read += 1;
            match result {
                OperationResult::Skipped(skipped) => measured.operations.skip(skipped),
                OperationResult::Replayed { count, samples } => {
                    measured.operations.replayed += 1;
                    measured.operations.traffic += count;
                    for sample in samples {
                        measured.add_sample(sample, setup.examples);
                    }
                }
            }
            on_progress(&measured);
        }
    });
    measured.finished = SystemTime::now();
    measured.interrupted = stop.load(Ordering::Relaxed);
    measured
}

fn replay_item(setup: &ReplaySetup, item: CorpusItem, stop: &AtomicBool) -> Vec<OperationResult> {
    let recorded = match item {
        Ok(recorded) => recorded,
        Err(skipped) => return vec![OperationResult::Skipped(skipped)],
    };
    let count = recorded.count;
    prepare(setup.schema, setup.targets, setup.keys, recorded)
        .into_iter()
        .filter_map(|prepared| match prepared {
            Err(skipped) => Some(OperationResult::Skipped(skipped)),
            Ok(prepared) => replay_operation(setup, &prepared, stop).map(|result| match result {
                Ok(samples) => OperationResult::Replayed { count, samples },
                Err(skipped) => OperationResult::Skipped(skipped),
            }),
        })
        .collect()
}

/// The samples of one operation; `None` when stopped half-way (nothing
/// of it is counted).
pub fn replay_operation(
    setup: &ReplaySetup,
    prepared: &PreparedOperation,
    stop: &AtomicBool,
) -> Option<Result<Vec<Sample>, SkippedOperation>> {
    let python_failed = |message: String| SkippedOperation {
        origin: prepared.origin.clone(),
        operation: prepared.shown_name(),
        reason: SkipReason::PythonFailed,
        message,
    };
    let request = prepared.python_request();
    let first = match setup.client.post(&setup.python, &request, stop) {
        Ok(answer) => answer,
        Err(HttpFailure::Stopped) => return None,
        Err(failure) => {
            return Some(Err(python_failed(format!(
                "{}: {failure}",
                setup.python.url
            ))));
        }
    };
    let Some(data) = first.body.get("data").filter(|d| !d.is_null()) else {
        let message = crate::compare::occurrences::error_at(&first.body, |_| true)
            .unwrap_or_else(|| "answered without data".into());
        return Some(Err(python_failed(format!(
            "answered without data: {message}"
        ))));
    };
    let occurrences = find_occurrences(prepared, setup.schema, setup.targets, data);
    let mut go: Vec<Option<(Outcome, Option<Duration>)>> = vec![None; occurrences.len()];
    for request in go_requests(prepared, setup.targets, &occurrences) {
        let endpoint = &setup.go[&request.service];
        match setup.client.post(endpoint, &request.body, stop) {
            Ok(answer) => {
                for (i, locator) in &request.slots {
                    go[*i] = Some((go_outcome(&answer.body, locator), Some(answer.elapsed)));
                }
            }
            Err(HttpFailure::Stopped) => return None,
            Err(failure) => {
                let message = format!("{}: {failure}", endpoint.url);
                for (i, _) in &request.slots {
                    go[*i] = Some((Outcome::Error(message.clone()), None));
                }
            }
        }
    }
    // Asked again to tell noise from mismatches.
    let second = match setup.client.post(&setup.python, &request, stop) {
        Ok(answer) => answer,
        Err(HttpFailure::Stopped) => return None,
        Err(failure) => {
            return Some(Err(python_failed(format!(
                "{} (asked a second time): {failure}",
                setup.python.url
            ))));
        }
    };
    let differ = Differ {
        document: &prepared.document,
        schema: setup.schema,
        rules: setup.rules,
    };
    let samples = occurrences
        .iter()
        .zip(go)
        .filter_map(|(occurrence, go)| {
            let (go, go_elapsed) = go?;
            let first_python = outcome_at(&first.body, &occurrence.path);
            let second_python = outcome_at(&second.body, &occurrence.path);
            let (verdict, example) = judge(&differ, occurrence, &first_python, &second_python, &go);
            Some(Sample {
                target: occurrence.target,
                verdict,
                go_error: matches!(go, Outcome::Error(_)),
                python_elapsed: Some(first.elapsed),
                go_elapsed,
                example: example.map(|mut e| {
                    e.operation = prepared.shown_name();
                    e.origin = prepared.origin.clone();
                    e
                }),
            })
        })
        .collect();
    Some(Ok(samples))
}

/// One sample's verdict: noisy when Python disagrees with itself, else
/// whether Go agrees with Python (errors on both sides agree).
pub fn judge(
    differ: &Differ,
    occurrence: &Occurrence,
    first_python: &Outcome,
    second_python: &Outcome,
    go: &Outcome,
) -> (Verdict, Option<Example>) {
    let coordinate = (
        occurrence.parent_type.as_str(),
        occurrence.fields[0].name.as_str(),
    );
    let ty = occurrence.fields[0].ty();
    let sets = occurrence.sub_selections();
    let compare =
        |a: &Value, b: &Value| differ.field(coordinate, ty, &sets, a, b, &occurrence.path);
    let python_agrees = match (first_python, second_python) {
        (Outcome::Error(_), Outcome::Error(_)) => true,
        (Outcome::Data(a), Outcome::Data(b)) => compare(a, b).is_none(),
        _ => false,
    };
    if !python_agrees {
        return (Verdict::Noisy, None);
    }
    let example = |path: String,
                   python: &Value,
                   go: &Value,
                   python_error: Option<&String>,
                   go_error: Option<&String>| Example {
        path,
        python: clipped(python),
        go: clipped(go),
        python_error: python_error.cloned(),
        go_error: go_error.cloned(),
        operation: None,
        origin: String::new(),
    };
    let path = occurrence.path.to_string();
    match (first_python, go) {
        (Outcome::Error(_), Outcome::Error(_)) => (Verdict::Match, None),
        (Outcome::Data(python), Outcome::Data(go)) => match compare(python, go) {
            None => (Verdict::Match, None),
            Some(difference) => (
                Verdict::Mismatch,
                Some(example(
                    difference.path.to_string(),
                    &difference.python,
                    &difference.go,
                    None,
                    None,
                )),
            ),
        },
        (Outcome::Data(python), Outcome::Error(error)) => (
            Verdict::Mismatch,
            Some(example(path, python, &Value::Null, None, Some(error))),
        ),
        (Outcome::Error(error), Outcome::Data(go)) => (
            Verdict::Mismatch,
            Some(example(path, &Value::Null, go, Some(error), None)),
        ),
    }
}
