//! `ferry report`: the migration at a glance and over time, computed once
//! from the project, its ledger and (`--from-git`) the git history of its
//! schema files. The HTML, markdown and JSON printers in `render/` all
//! render this one [`MigrationReport`].

pub mod clock;
pub mod effort;
pub mod git_history;
pub mod ledger;
pub mod schema_history;

use crate::check::{self, Finding};
use crate::compare::evidence::FieldVerdict;
use crate::model::inventory::FieldRecord;
use crate::model::project::Project;
use crate::model::stage::Stage;
use clock::Instant;
use ledger::Transition;
use schema_history::SchemaPoint;
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
    /// What kept part of the history from being read (a commit whose
    /// schema did not parse, a shallow clone), one sentence each.
    pub history_notes: Vec<String>,
    /// The Python left to port by `ferry plan`'s clusters.
    pub effort: effort::RemainingEffort,
}

/// Where the report's history comes from: the ledger, and for the time
/// before it, the schemas as committed to git (`--from-git`).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Oldest first.
    pub ledger: Vec<Transition>,
    /// Oldest first; empty without `--from-git`.
    pub git: Vec<SchemaPoint>,
    pub notes: Vec<String>,
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
    /// When the ledger last moved it to this stage; for a field the ledger
    /// never moved, the day of the commit since which the schemas' git
    /// history has it there (`--from-git`); else `None`.
    pub since: Option<Instant>,
    pub since_from: Option<SinceSource>,
    pub age_days: Option<i64>,
    pub stuck: bool,
    /// What `ferry compare` measured and the gate's verdict: for a field
    /// with a measurement, or at side-by-side or migrated.
    pub evidence: Option<FieldVerdict>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinceSource {
    Ledger,
    Git,
}

impl History {
    /// The ledger under the workspace, and with `from_git`, the schemas'
    /// git history for the time before it (from `since` on, if given).
    pub fn read(
        workspace: &crate::workspace::Workspace,
        from_git: Option<GitWalk>,
        on_commit: &mut dyn FnMut(usize),
    ) -> Result<History, ledger::LedgerError> {
        let ledger = ledger::read(&workspace.root)?;
        let Some(walk) = from_git else {
            return Ok(History {
                ledger,
                ..History::default()
            });
        };
        let bounds = git_history::WalkBounds {
            since: walk.since,
            // Only the days before the ledger's first are drawn from git.
            before: ledger.first().map(|t| t.time.start_of_day()),
        };
        let (git, notes) = schema_history::from_git(workspace, bounds, on_commit);
        Ok(History { ledger, git, notes })
    }
}

/// `--from-git`'s bounds on the walk.
#[derive(Debug, Clone, Copy, Default)]
pub struct GitWalk {
    pub since: Option<Instant>,
}

/// Fields served by Go (migrated or done) per service at the end of a day
/// of the ledger or of the schemas' git history, or now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressPoint {
    pub time: Instant,
    pub source: PointSource,
    /// One count per entry of [`MigrationReport::services`].
    pub served_by_go: Vec<usize>,
    /// Per service, its fields by stage, where the schemas were read: at a
    /// commit, and now. The ledger's points replay moves, not schemas.
    pub by_stage: Option<Vec<BTreeMap<Stage, usize>>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointSource {
    /// The schemas as of this commit (the day's last that changed them).
    Git { commit: String },
    /// The ledger replayed to the end of this day.
    Ledger,
    /// The schemas in the workspace now.
    Now,
}

impl ProgressPoint {
    pub fn total(&self) -> usize {
        self.served_by_go.iter().sum()
    }

    pub fn is_now(&self) -> bool {
        self.source == PointSource::Now
    }
}

impl MigrationReport {
    pub fn new(
        project: &Project,
        history: &History,
        now: Instant,
        stuck_after_days: i64,
        effort: effort::RemainingEffort,
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
        let mut progress = git_progress(git_before_ledger(history));
        progress.extend(ledger_progress(&services, &history.ledger, now));
        if let Some(today) = progress.last_mut() {
            today.by_stage = Some(
                inventory
                    .services
                    .iter()
                    .map(|s| s.by_stage.clone())
                    .collect(),
            );
        }
        MigrationReport {
            generated: now,
            stuck_after_days,
            stages,
            services,
            in_flight,
            findings: check::run(project),
            progress,
            history_notes: history.notes.clone(),
            effort,
        }
    }

    pub fn stuck(&self) -> usize {
        self.in_flight.iter().filter(|f| f.stuck).count()
    }
}

fn in_flight(
    project: &Project,
    field: &FieldRecord,
    history: &History,
    now: Instant,
    stuck_after_days: i64,
) -> FieldInFlight {
    let name = field.coordinate.to_string();
    let ledger = &history.ledger;
    let (since, since_from) = if ledger.iter().any(|t| t.field == name) {
        let since = ledger
            .iter()
            .rev()
            .find(|t| t.field == name && t.to == field.stage)
            .map(|t| t.time);
        (since, since.map(|_| SinceSource::Ledger))
    } else {
        let since = since_in_git(git_before_ledger(history), &name, field.stage);
        (since, since.map(|_| SinceSource::Git))
    };
    let age_days = since.map(|since| since.days_until(now));
    FieldInFlight {
        service: field.service.clone().unwrap_or_default(),
        stage: field.stage,
        color: field.color.clone(),
        since,
        since_from,
        age_days,
        stuck: age_days.is_some_and(|age| age >= stuck_after_days),
        evidence: side_by_side_evidence(project, field),
        field: name,
    }
}

/// The oldest of the latest points that all have the field at `stage`;
/// none when the latest point has it elsewhere (it moved after the last
/// commit read).
fn since_in_git(points: &[SchemaPoint], field: &str, stage: Stage) -> Option<Instant> {
    points
        .iter()
        .rev()
        .take_while(|point| point.field_stages.get(field) == Some(&stage))
        .last()
        .map(|point| point.time)
}

/// `ferry compare`'s committed evidence for the field, judged against the
/// Go resolver as it is now: what `status` and `show` show too.
fn side_by_side_evidence(project: &Project, field: &FieldRecord) -> Option<FieldVerdict> {
    FieldVerdict::shown(project, field)
}

/// The points of the schemas' git history (one a day) for the days before
/// the ledger's first: the ledger wins for the time it covers.
fn git_before_ledger(history: &History) -> &[SchemaPoint] {
    let kept = match history.ledger.first() {
        Some(first) => history
            .git
            .iter()
            .take_while(|point| point.time.day() < first.time.day())
            .count(),
        None => history.git.len(),
    };
    &history.git[..kept]
}

fn git_progress(points: &[SchemaPoint]) -> Vec<ProgressPoint> {
    points
        .iter()
        .map(|point| ProgressPoint {
            time: point.time,
            source: PointSource::Git {
                commit: point.commit.clone(),
            },
            served_by_go: point.services.iter().map(|s| s.served_by_go).collect(),
            by_stage: Some(point.services.iter().map(|s| s.by_stage.clone()).collect()),
        })
        .collect()
}

/// Replays the ledger backwards from today's counts, so the last point is
/// always what the schemas say now, and a workspace without a ledger has
/// just that point.
fn ledger_progress(
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
    let snapshot = |counts: &[i64], time: Instant, source: PointSource| ProgressPoint {
        time,
        source,
        served_by_go: counts.iter().map(|&n| n.max(0) as usize).collect(),
        by_stage: None,
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
            points.push(snapshot(&counts, t.time, PointSource::Ledger));
        }
    }
    points.push(snapshot(&counts, now, PointSource::Now));
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
        let points = ledger_progress(&services, &history, now);
        let counts: Vec<Vec<usize>> = points.iter().map(|p| p.served_by_go.clone()).collect();
        assert_eq!(counts, [vec![1, 1], vec![1, 1], vec![2, 1], vec![2, 1]]);
        assert!(points.last().unwrap().is_now());
        assert_eq!(points.iter().filter(|p| p.is_now()).count(), 1);
    }

    fn schema_point(commit: &str, time: &str, served: usize, stage: Stage) -> SchemaPoint {
        SchemaPoint {
            commit: commit.into(),
            time: Instant::parse_rfc3339(time).unwrap(),
            services: vec![crate::model::inventory::ServiceProgress {
                name: "a".into(),
                by_stage: BTreeMap::from([(Stage::Migrated, served)]),
                planned: 10,
                served_by_go: served,
            }],
            field_stages: std::sync::Arc::new(BTreeMap::from([("A.b".to_string(), stage)])),
        }
    }

    fn git_history(ledger: Vec<Transition>) -> History {
        History {
            ledger,
            git: vec![
                schema_point("c1", "2026-01-01T18:00:00Z", 2, Stage::Manual),
                schema_point("c2", "2026-01-05T09:00:00Z", 3, Stage::Canary),
                schema_point("c3", "2026-01-20T09:00:00Z", 3, Stage::Canary),
                schema_point("c4", "2026-02-01T08:00:00Z", 4, Stage::Canary),
            ],
            notes: Vec::new(),
        }
    }

    #[test]
    fn git_gives_way_to_the_ledger_from_its_first_day() {
        let commits = |history: &History| -> Vec<String> {
            git_progress(git_before_ledger(history))
                .iter()
                .map(|p| match &p.source {
                    PointSource::Git { commit } => commit.clone(),
                    other => format!("{other:?}"),
                })
                .collect()
        };
        let alone = git_history(Vec::new());
        assert_eq!(commits(&alone), ["c1", "c2", "c3", "c4"]);
        assert_eq!(git_progress(&alone.git)[0].served_by_go, [2]);
        // The ledger's first day is 2026-02-01: c4, earlier that day, is its.
        let with_ledger = git_history(vec![transition(
            "x",
            Stage::Canary,
            Stage::Migrated,
            "2026-02-01T12:00:00Z",
        )]);
        assert_eq!(commits(&with_ledger), ["c1", "c2", "c3"]);
    }

    #[test]
    fn a_fields_stage_dates_from_the_oldest_of_the_latest_commits_holding_it() {
        let history = git_history(Vec::new());
        let since = |stage| since_in_git(&history.git, "A.b", stage).map(|t| t.to_string());
        assert_eq!(
            since(Stage::Canary).as_deref(),
            Some("2026-01-05T09:00:00Z")
        );
        // At manual in the past but not in the latest commit: not since then.
        assert_eq!(since(Stage::Manual), None);
        assert_eq!(since_in_git(&history.git, "A.c", Stage::Canary), None);
    }

    #[test]
    fn without_a_ledger_progress_is_just_now() {
        let now = Instant::parse_rfc3339("2026-04-01T00:00:00Z").unwrap();
        let points = ledger_progress(&[service("a", 3)], &[], now);
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].served_by_go, [3]);
    }
}
