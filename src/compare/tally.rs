//! What one run measured, per field, in memory that does not grow with the
//! number of samples: counts, latency histograms, a few examples.

use crate::compare::operations::{SkipReason, SkippedOperation};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

/// How one sample came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Match,
    Mismatch,
    /// Python's two answers differed: says nothing about Go.
    Noisy,
}

/// One difference, as shown in reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub path: String,
    pub python: Value,
    pub go: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub python_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_error: Option<String>,
    pub operation: Option<String>,
    pub origin: String,
}

/// An example's values are cut to this many bytes of JSON.
const EXAMPLE_VALUE_BYTES: usize = 400;

/// A value as kept in an example: itself, or a string saying how large it
/// was and how it starts.
pub fn clipped(value: &Value) -> Value {
    let text = value.to_string();
    if text.len() <= EXAMPLE_VALUE_BYTES {
        return value.clone();
    }
    let mut end = EXAMPLE_VALUE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Value::String(format!("{}… ({} bytes of JSON)", &text[..end], text.len()))
}

/// One sample, measured.
#[derive(Debug, Clone)]
pub struct Sample {
    pub target: usize,
    pub verdict: Verdict,
    pub go_error: bool,
    pub python_elapsed: Option<Duration>,
    pub go_elapsed: Option<Duration>,
    pub example: Option<Example>,
}

/// Latencies in buckets 5% wide, from 10 µs up: percentiles within 5%
/// with a fixed amount of memory.
#[derive(Debug, Clone, Default)]
pub struct LatencyHistogram {
    counts: Vec<u64>,
    total: u64,
}

const GROWTH: f64 = 1.05;
const SMALLEST_MICROS: f64 = 10.0;
const BUCKETS: usize = 400;

impl LatencyHistogram {
    pub fn record(&mut self, elapsed: Duration) {
        if self.counts.is_empty() {
            self.counts = vec![0; BUCKETS];
        }
        let micros = (elapsed.as_secs_f64() * 1e6).max(SMALLEST_MICROS);
        let bucket = ((micros / SMALLEST_MICROS).ln() / GROWTH.ln()).floor() as usize;
        self.counts[bucket.min(BUCKETS - 1)] += 1;
        self.total += 1;
    }

    /// The latency below which `share` (0–1) of the samples fall, in
    /// milliseconds (the bucket's upper bound).
    pub fn percentile_ms(&self, share: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((share * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (bucket, count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                let upper_micros = SMALLEST_MICROS * GROWTH.powi(bucket as i32 + 1);
                return Some(upper_micros / 1000.0);
            }
        }
        None
    }

    pub fn merge(&mut self, other: &LatencyHistogram) {
        if other.total == 0 {
            return;
        }
        if self.counts.is_empty() {
            self.counts = vec![0; BUCKETS];
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
    }
}

/// Everything measured about one field.
#[derive(Debug, Clone, Default)]
pub struct FieldTally {
    pub samples: u64,
    pub matches: u64,
    pub mismatches: u64,
    pub noisy: u64,
    pub go_errors: u64,
    pub python_latency: LatencyHistogram,
    pub go_latency: LatencyHistogram,
    pub examples: Vec<Example>,
}

impl FieldTally {
    pub fn add(&mut self, sample: Sample, examples_kept: usize) {
        self.samples += 1;
        match sample.verdict {
            Verdict::Match => self.matches += 1,
            Verdict::Mismatch => self.mismatches += 1,
            Verdict::Noisy => self.noisy += 1,
        }
        if sample.go_error {
            self.go_errors += 1;
        }
        if let Some(elapsed) = sample.python_elapsed {
            self.python_latency.record(elapsed);
        }
        if let Some(elapsed) = sample.go_elapsed {
            self.go_latency.record(elapsed);
        }
        if let Some(example) = sample
            .example
            .filter(|_| sample.verdict == Verdict::Mismatch)
        {
            let same_path = self.examples.iter().any(|e| e.path == example.path);
            if self.examples.len() < examples_kept && !same_path {
                self.examples.push(example);
            }
        }
    }
}

/// The operations of a run, counted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OperationCounts {
    /// Operations read from the corpus.
    pub read: u64,
    /// Of those, replayed against Python and Go.
    pub replayed: u64,
    /// The production traffic the replayed ones stand for (sum of `count`).
    pub traffic: u64,
    pub skipped: BTreeMap<SkipReason, u64>,
    /// The first few skipped operations, with the reason.
    pub skipped_examples: Vec<SkippedOperation>,
}

const SKIPPED_KEPT: usize = 10;

impl OperationCounts {
    pub fn skip(&mut self, skipped: SkippedOperation) {
        *self.skipped.entry(skipped.reason).or_default() += 1;
        // Every reason gets one example before a reason gets a second.
        let shown_for_reason = self
            .skipped_examples
            .iter()
            .filter(|s| s.reason == skipped.reason)
            .count();
        if self.skipped_examples.len() < SKIPPED_KEPT
            && (shown_for_reason == 0 || self.skipped_examples.len() < SKIPPED_KEPT / 2)
        {
            self.skipped_examples.push(skipped);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_come_within_five_percent() {
        let mut histogram = LatencyHistogram::default();
        for ms in 1..=100 {
            histogram.record(Duration::from_millis(ms));
        }
        let p50 = histogram.percentile_ms(0.5).unwrap();
        let p95 = histogram.percentile_ms(0.95).unwrap();
        assert!((50.0..=50.0 * 1.05 * 1.05).contains(&p50), "{p50}");
        assert!((95.0..=95.0 * 1.05 * 1.05).contains(&p95), "{p95}");
        assert_eq!(LatencyHistogram::default().percentile_ms(0.5), None);
    }

    #[test]
    fn large_example_values_are_clipped() {
        let big = Value::String("x".repeat(1000));
        let Value::String(text) = clipped(&big) else {
            panic!()
        };
        assert!(text.ends_with("… (1002 bytes of JSON)"), "{text}");
        assert_eq!(clipped(&Value::Bool(true)), Value::Bool(true));
    }
}
