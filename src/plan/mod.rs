//! `ferry plan`'s one model: for each selected field still served by
//! Python, what its resolver drags along (project functions reached, data
//! touched), the effort in lines of Python, the cluster of fields it moves
//! with, the order of the clusters and why, the writes that would break
//! "one writer per model", and each service's share of traffic on Go.

mod clusters;
pub mod usage;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::model::inventory::{FieldRecord, PythonFunction, PythonLink};
use crate::model::{CallGraph, DataAccess, DataVia, Project, Stage};
pub use clusters::{Cluster, GLUE_FAN_IN, Library, lines_text};
use usage::{Traffic, Usage};

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    /// The planned fields, in the order of their clusters.
    pub fields: Vec<FieldPlan>,
    /// In the order to port them.
    pub clusters: Vec<Cluster>,
    /// Functions shared too widely to bind fields into a cluster, in the
    /// order the clusters first need them.
    pub libraries: Vec<Library>,
    pub ownership: Vec<OwnershipConflict>,
    pub services: Vec<ServiceShare>,
    /// Where request counts came from, when they did.
    pub traffic: Option<Traffic>,
    /// Calls were followed this deep.
    pub max_depth: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldPlan {
    /// `Type.field`.
    pub field: String,
    pub stage: Stage,
    /// The service that has it, or the one whose `owns` plans it.
    pub service: Option<String>,
    pub resolver: Option<PythonFunction>,
    /// Project functions reached besides the resolver, by file and line.
    pub calls: Vec<PythonFunction>,
    /// Calls ferry could not follow statically, in everything reached.
    pub unresolved_calls: u32,
    /// Some function was reached at the depth bound: more may lie beyond.
    pub truncated: bool,
    pub reads: Vec<String>,
    pub writes: Vec<String>,
    pub loaders: Vec<String>,
    pub effort: Effort,
    /// 1-based position of its cluster in [`PlanReport::clusters`].
    pub cluster: usize,
    pub requests: Option<u64>,
}

/// Lines of project Python, each line counted once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Effort {
    /// Everything reached from the field.
    pub total: u32,
    /// The resolver (and its logic) itself.
    pub resolver: u32,
    /// Helpers no other field reaches.
    pub own: u32,
    /// Helpers other fields reach too.
    pub shared: u32,
}

/// A field whose Python writes a model that a field another service
/// already serves writes too: two writers of one model.
#[derive(Debug, Clone, Serialize)]
pub struct OwnershipConflict {
    pub field: String,
    pub service: Option<String>,
    pub model: String,
    pub owner: String,
    pub owner_field: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceShare {
    pub service: String,
    pub fields: usize,
    /// Fields Go serves (migrated or done).
    pub fields_on_go: usize,
    pub requests: Option<u64>,
    pub requests_on_go: Option<u64>,
}

/// Stages at which Go serves the field: its Python is ported.
fn ported(stage: Stage) -> bool {
    matches!(stage, Stage::Migrated | Stage::Done)
}

/// Stages at which the field is still Python's to move.
fn planned(stage: Stage) -> bool {
    matches!(
        stage,
        Stage::Python | Stage::Manual | Stage::SideBySide | Stage::Canary
    )
}

/// What one field reaches in the graph.
pub(crate) struct Reach {
    pub roots: Vec<usize>,
    /// Every function reached, roots included, sorted.
    pub functions: Vec<usize>,
}

/// Every function reachable from the field's roots.
fn reach(graph: &CallGraph, roots: &[usize]) -> Reach {
    let mut seen = BTreeSet::new();
    let mut stack = roots.to_vec();
    while let Some(node) = stack.pop() {
        if seen.insert(node) {
            stack.extend(&graph.functions[node].calls);
        }
    }
    Reach {
        roots: roots.to_vec(),
        functions: seen.into_iter().collect(),
    }
}

/// Lines of the given functions, each line of each file once.
pub(crate) fn lines(graph: &CallGraph, functions: impl IntoIterator<Item = usize>) -> u32 {
    let mut by_file: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
    for node in functions {
        let function = &graph.functions[node].function;
        by_file
            .entry(function.file.as_str())
            .or_default()
            .push((function.line, function.end_line));
    }
    let mut total = 0;
    for ranges in by_file.values_mut() {
        ranges.sort_unstable();
        let mut covered_to = 0;
        for &(start, end) in ranges.iter() {
            let start = start.max(covered_to + 1);
            if end >= start {
                total += end - start + 1;
                covered_to = end;
            }
        }
    }
    total
}

fn key(record: &FieldRecord) -> (String, String) {
    (
        record.coordinate.type_name.clone(),
        record.coordinate.field_name.clone(),
    )
}

impl PlanReport {
    pub fn new(
        project: &Project,
        graph: &CallGraph,
        selected: &[&FieldRecord],
        usage: Option<&Usage>,
    ) -> PlanReport {
        let inventory = &project.inventory.fields;
        let reaches: HashMap<(String, String), Reach> = graph
            .fields
            .par_iter()
            .map(|(key, roots)| (key.clone(), reach(graph, roots)))
            .collect();
        let service_of = |record: &FieldRecord| {
            record
                .service
                .clone()
                .or_else(|| record.planned_for.clone())
        };
        let service_names: Vec<String> = project
            .services
            .iter()
            .map(|(service, _)| service.name.clone())
            .collect();
        // How many fields reach each function, and from which services.
        let mut reached_by = vec![0u32; graph.functions.len()];
        let mut services_reaching: Vec<Vec<u32>> = vec![Vec::new(); graph.functions.len()];
        for record in inventory {
            let Some(reach) = reaches.get(&key(record)) else {
                continue;
            };
            let service = service_of(record)
                .and_then(|name| service_names.iter().position(|s| *s == name))
                .map(|at| at as u32);
            for &node in &reach.functions {
                reached_by[node] += 1;
                if let Some(service) = service
                    && !services_reaching[node].contains(&service)
                {
                    services_reaching[node].push(service);
                    services_reaching[node].sort_unstable();
                }
            }
        }
        let writes_of = |reach: &Reach| -> BTreeSet<String> {
            touched(graph, reach, |via, access| {
                via != DataVia::Dataloader && access == DataAccess::Write
            })
        };
        // model → (service, field) of a ported field writing it.
        let mut owners: BTreeMap<String, (String, String)> = BTreeMap::new();
        for record in inventory.iter().filter(|r| ported(r.stage)) {
            if let (Some(reach), Some(service)) = (reaches.get(&key(record)), service_of(record)) {
                for model in writes_of(reach) {
                    owners
                        .entry(model)
                        .or_insert_with(|| (service.clone(), record.coordinate.to_string()));
                }
            }
        }
        let requests = |record: &FieldRecord| usage.map(|usage| usage.requests(&record.coordinate));
        let empty = Reach {
            roots: Vec::new(),
            functions: Vec::new(),
        };
        // Each planned field on its own, on every core, in order.
        let to_plan: Vec<&FieldRecord> = selected
            .iter()
            .copied()
            .filter(|r| planned(r.stage))
            .collect();
        let made: Vec<(FieldPlan, Vec<OwnershipConflict>, &Reach)> = to_plan
            .par_iter()
            .map(|record| {
                let reach = reaches.get(&key(record)).unwrap_or(&empty);
                let helpers = || reach.functions.iter().filter(|n| !reach.roots.contains(n));
                let shared: Vec<usize> =
                    helpers().filter(|&&n| reached_by[n] > 1).copied().collect();
                let own: Vec<usize> = helpers()
                    .filter(|&&n| reached_by[n] <= 1)
                    .copied()
                    .collect();
                let effort = Effort {
                    total: lines(graph, reach.functions.iter().copied()),
                    resolver: lines(graph, reach.roots.iter().copied()),
                    own: lines(graph, own),
                    shared: lines(graph, shared),
                };
                let service = service_of(record);
                let writes = writes_of(reach);
                let mut conflicts = Vec::new();
                for model in &writes {
                    if let Some((owner, owner_field)) = owners.get(model)
                        && service.as_ref() != Some(owner)
                    {
                        conflicts.push(OwnershipConflict {
                            field: record.coordinate.to_string(),
                            service: service.clone(),
                            model: model.clone(),
                            owner: owner.clone(),
                            owner_field: owner_field.clone(),
                        });
                    }
                }
                let plan = FieldPlan {
                    field: record.coordinate.to_string(),
                    stage: record.stage,
                    service,
                    resolver: match &record.python {
                        PythonLink::Resolver { function, .. } => Some(function.clone()),
                        _ => None,
                    },
                    calls: helpers()
                        .map(|&n| graph.functions[n].function.clone())
                        .collect(),
                    unresolved_calls: reach
                        .functions
                        .iter()
                        .map(|&n| graph.functions[n].unresolved_calls)
                        .sum(),
                    truncated: reach.functions.iter().any(|&n| graph.functions[n].cut),
                    reads: touched(graph, reach, |via, access| {
                        via != DataVia::Dataloader && access == DataAccess::Read
                    })
                    .into_iter()
                    .collect(),
                    writes: writes.into_iter().collect(),
                    loaders: touched(graph, reach, |via, _| via == DataVia::Dataloader)
                        .into_iter()
                        .collect(),
                    effort,
                    cluster: 0,
                    requests: requests(record),
                };
                (plan, conflicts, reach)
            })
            .collect();
        let mut fields = Vec::with_capacity(made.len());
        let mut ownership = Vec::new();
        let mut plan_reaches = Vec::with_capacity(made.len());
        for (plan, conflicts, reach) in made {
            fields.push(plan);
            ownership.extend(conflicts);
            plan_reaches.push(reach);
        }
        let planned_fields: HashSet<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        let outside: Vec<(&FieldRecord, &Reach)> = inventory
            .iter()
            .filter(|record| !planned_fields.contains(record.coordinate.to_string().as_str()))
            .filter_map(|record| Some((record, reaches.get(&key(record))?)))
            .collect();
        let sharing = clusters::Sharing {
            graph,
            reached_by: &reached_by,
            services: &services_reaching,
            service_names: &service_names,
        };
        let (clusters, libraries) =
            clusters::form(&sharing, &mut fields, &plan_reaches, &outside, ported);
        let services = shares(project, usage);
        PlanReport {
            fields,
            clusters,
            libraries,
            ownership,
            services,
            traffic: usage.map(|usage| usage.traffic.clone()),
            max_depth: crate::model::MAX_CALL_DEPTH,
        }
    }
}

/// The models (or loader names) the reached functions touch in a way `keep` accepts.
fn touched(
    graph: &CallGraph,
    reach: &Reach,
    keep: impl Fn(DataVia, DataAccess) -> bool,
) -> BTreeSet<String> {
    reach
        .functions
        .iter()
        .flat_map(|&n| &graph.functions[n].data)
        .filter(|touch| keep(touch.via, touch.access))
        .map(|touch| touch.model.clone())
        .collect()
}

/// Each service's fields and requests, and how many of them Go serves.
fn shares(project: &Project, usage: Option<&Usage>) -> Vec<ServiceShare> {
    project
        .services
        .iter()
        .map(|(service, _)| {
            let mine: Vec<&FieldRecord> = project
                .inventory
                .fields
                .iter()
                .filter(|r| planned(r.stage) || ported(r.stage))
                .filter(|r| {
                    r.service.as_deref().or(r.planned_for.as_deref()) == Some(&service.name)
                })
                .collect();
            let on_go = || mine.iter().filter(|r| ported(r.stage));
            let count = |records: &mut dyn Iterator<Item = &&FieldRecord>| {
                usage.map(|usage| records.map(|r| usage.requests(&r.coordinate)).sum())
            };
            ServiceShare {
                service: service.name.clone(),
                fields: mine.len(),
                fields_on_go: on_go().count(),
                requests: count(&mut mine.iter()),
                requests_on_go: count(&mut on_go()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GraphFunction;

    fn function(file: &str, line: u32, end_line: u32) -> GraphFunction {
        GraphFunction {
            function: PythonFunction {
                file: file.into(),
                line,
                end_line,
                function: format!("f{line}"),
            },
            calls: Vec::new(),
            library_calls: 0,
            unresolved_calls: 0,
            data: Vec::new(),
            cut: false,
        }
    }

    #[test]
    fn lines_count_each_line_of_each_file_once() {
        let graph = CallGraph {
            functions: vec![
                function("a.py", 1, 10),
                // nested in the first
                function("a.py", 3, 5),
                function("a.py", 8, 12),
                function("b.py", 1, 4),
            ],
            fields: BTreeMap::new(),
        };
        assert_eq!(lines(&graph, [0, 1]), 10);
        assert_eq!(lines(&graph, [0, 2]), 12);
        assert_eq!(lines(&graph, [0, 1, 2, 3]), 16);
        assert_eq!(lines(&graph, []), 0);
    }
}
