//! `ferry report`: the migration at a glance and over time, computed once
//! from the project and its ledger. The HTML, markdown and JSON printers in
//! `render/` all render this one [`MigrationReport`].

pub mod clock;
pub mod ledger;

use crate::check::{self, Finding};
use crate::compare::evidence::FieldVerdict;
use crate::model::inventory::FieldRecord;
use crate::model::project::Project;
use crate::model::stage::Stage;
use clock::Instant;
use ledger::Transition;
use std::collections::BTreeMap;

/// The version of `ferry report --json`'s shape (docs/report.md).
pub const VERSION: u32 = 1;

/// A field in flight this many days in one stage is stuck, unless told.
pub const DEFAULT_STUCK_AFTER_DAYS: i64 = 30;

#[derive(Debug, Clone)]
pub struct MigrationReport {
    pub generated: Instant,
    pub stuck_after_days: i64,
    /// The stages any service has a field at, in stage order: the series of
    /// the stages chart and the columns of its table.
    pub stages: Vec<Stage>,
    pub services: Vec<ServiceStages>,
    /// Fields carrying `@migrate`, longest in their stage first.
    pub in_flight: Vec<FieldInFlight>,
    pub findings: Vec<Finding>,
    pub progress: Vec<ProgressPoint>,
}

#[derive(Debug, Clone)]
pub struct ServiceStages {
    pub name: String,
    /// One count per entry of [`MigrationReport::stages`].
    pub counts: Vec<usize>,
    /// The fields the service is to take over (its `owns` and its claims).
    pub planned: usize,
    pub served_by_go: usize,
}

#[derive(Debug, Clone)]
pub struct FieldInFlight {
    /// `Type.field`.
    pub field: String,
    pub service: String,
    pub stage: Stage,
    pub color: Option<String>,
    /// When the ledger last moved it to this stage; `None` without a ledger
    /// entry.
    pub since: Option<Instant>,
    pub age_days: Option<i64>,
    pub stuck: bool,
    /// What `ferry compare` measured and the gate's verdict: for a field
    /// with a measurement, or at side-by-side or migrated.
    pub evidence: Option<FieldVerdict>,
}

/// Fields served by Go (migrated or done) per service at the end of a day
/// of the ledger, or now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressPoint {
    pub time: Instant,
    /// The report's own time rather than a ledger entry's.
    pub is_now: bool,
    /// One count per entry of [`MigrationReport::services`].
    pub served_by_go: Vec<usize>,
}

impl ProgressPoint {
    pub fn total(&self) -> usize {
        self.served_by_go.iter().sum()
    }
}

impl MigrationReport {
    pub fn new(
        project: &Project,
        history: &[Transition],
        now: Instant,
        stuck_after_days: i64,
    ) -> MigrationReport {
        let inventory = &project.inventory;
        let stages: Vec<Stage> = Stage::ALL
            .into_iter()
            .filter(|stage| {
                inventory
                    .services
                    .iter()
                    .any(|s| s.by_stage.get(stage).is_some_and(|n| *n > 0))
            })
            .collect();
        let services: Vec<ServiceStages> = inventory
            .services
            .iter()
            .map(|s| ServiceStages {
                name: s.name.clone(),
                counts: stages
                    .iter()
                    .map(|stage| s.by_stage.get(stage).copied().unwrap_or(0))
                    .collect(),
                planned: s.planned,
                served_by_go: s.served_by_go,
            })
            .collect();
        let mut in_flight: Vec<FieldInFlight> = inventory
            .fields
            .iter()
            .filter(|f| f.stage.has_directive())
            .map(|f| in_flight(project, f, history, now, stuck_after_days))
            .collect();
        in_flight.sort_by(|a, b| {
            b.age_days
                .cmp(&a.age_days)
                .then_with(|| a.field.cmp(&b.field))
        });
        let progress = progress(&services, history, now);
        MigrationReport {
            generated: now,
            stuck_after_days,
            stages,
            services,
            in_flight,
            findings: check::run(project),
            progress,
        }
    }

    pub fn stuck(&self) -> usize {
        self.in_flight.iter().filter(|f| f.stuck).count()
    }
}

fn in_flight(
    project: &Project,
    field: &FieldRecord,
    history: &[Transition],
    now: Instant,
    stuck_after_days: i64,
) -> FieldInFlight {
    let name = field.coordinate.to_string();
    let since = history
        .iter()
        .rev()
        .find(|t| t.field == name && t.to == field.stage)
        .map(|t| t.time);
    let age_days = since.map(|since| since.days_until(now));
    FieldInFlight {
        service: field.service.clone().unwrap_or_default(),
        stage: field.stage,
        color: field.color.clone(),
        since,
        age_days,
        stuck: age_days.is_some_and(|age| age >= stuck_after_days),
        evidence: side_by_side_evidence(project, field),
        field: name,
    }
}

/// `ferry compare`'s committed evidence for the field, judged against the
/// Go resolver as it is now: what `status` and `show` show too.
fn side_by_side_evidence(project: &Project, field: &FieldRecord) -> Option<FieldVerdict> {
    FieldVerdict::shown(project, field)
}

/// Replays the ledger backwards from today's counts, so the last point is
/// always what the schemas say now, and a workspace without a ledger has
/// just that point.
fn progress(
    services: &[ServiceStages],
    history: &[Transition],
    now: Instant,
) -> Vec<ProgressPoint> {
    let index: BTreeMap<&str, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let delta = |t: &Transition| -> i64 {
        i64::from(t.to.served_by_go()) - i64::from(t.from.served_by_go())
    };
    let mut counts: Vec<i64> = services.iter().map(|s| s.served_by_go as i64).collect();
    for t in history {
        if let Some(&i) = index.get(t.service.as_str()) {
            counts[i] -= delta(t);
        }
    }
    let snapshot = |counts: &[i64], time: Instant, is_now: bool| ProgressPoint {
        time,
        is_now,
        served_by_go: counts.iter().map(|&n| n.max(0) as usize).collect(),
    };
    let mut points = Vec::new();
    let mut remaining = history.iter().peekable();
    while let Some(t) = remaining.next() {
        if let Some(&i) = index.get(t.service.as_str()) {
            counts[i] += delta(t);
        }
        // One point per day: a migration's history is read in days, not seconds.
        if remaining
            .peek()
            .is_none_or(|next| next.time.day() != t.time.day())
        {
            points.push(snapshot(&counts, t.time, false));
        }
    }
    points.push(snapshot(&counts, now, true));
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transition(service: &str, from: Stage, to: Stage, time: &str) -> Transition {
        Transition {
            field: "A.b".into(),
            service: service.into(),
            from,
            to,
            time: Instant::parse_rfc3339(time).unwrap(),
        }
    }

    fn service(name: &str, served_by_go: usize) -> ServiceStages {
        ServiceStages {
            name: name.into(),
            counts: Vec::new(),
            planned: 10,
            served_by_go,
        }
    }

    #[test]
    fn progress_replays_the_ledger_up_to_today() {
        let services = [service("a", 2), service("b", 1)];
        let history = [
            transition("a", Stage::Canary, Stage::Migrated, "2026-01-01T00:00:00Z"),
            transition(
                "b",
                Stage::SideBySide,
                Stage::Migrated,
                "2026-01-01T00:00:00Z",
            ),
            transition("a", Stage::Migrated, Stage::Done, "2026-02-01T00:00:00Z"),
            transition(
                "a",
                Stage::SideBySide,
                Stage::Migrated,
                "2026-03-01T00:00:00Z",
            ),
        ];
        let now = Instant::parse_rfc3339("2026-04-01T00:00:00Z").unwrap();
        let points = progress(&services, &history, now);
        let counts: Vec<Vec<usize>> = points.iter().map(|p| p.served_by_go.clone()).collect();
        assert_eq!(counts, [vec![1, 1], vec![1, 1], vec![2, 1], vec![2, 1]]);
        assert!(points.last().unwrap().is_now);
        assert_eq!(points.iter().filter(|p| p.is_now).count(), 1);
    }

    #[test]
    fn without_a_ledger_progress_is_just_now() {
        let now = Instant::parse_rfc3339("2026-04-01T00:00:00Z").unwrap();
        let points = progress(&[service("a", 3)], &[], now);
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].served_by_go, [3]);
    }
}
