//! Fields that share helpers or write the same model move together: each
//! group is a cluster. Clusters come in the order to port them: those that
//! wait on no unported code outside them first, then, with traffic, the
//! most requests per line, else the fewest lines.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::{FieldPlan, Reach, lines};
use crate::model::inventory::FieldRecord;
use crate::model::{CallGraph, Stage};

/// Helpers named in a cluster's reason, at most.
const NAMED: usize = 3;

#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// 1-based, in the order to port.
    pub position: usize,
    pub fields: Vec<String>,
    /// Lines of Python reached from its fields, each once.
    pub lines: u32,
    /// Of those, lines that fields Go already serves reach too.
    pub ported_lines: u32,
    /// Functions more than one of its fields reach (`file:function`).
    pub shared_helpers: Vec<String>,
    /// Models its fields write.
    pub writes: Vec<String>,
    /// Fields outside the selection, not yet on Go, that reach its code.
    pub waiting_on: Vec<String>,
    pub requests: Option<u64>,
    pub reason: String,
}

struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, i: usize) -> usize {
        let mut root = i;
        while self.0[root] != root {
            root = self.0[root];
        }
        self.0[i] = root;
        root
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

pub(super) fn form(
    graph: &CallGraph,
    fields: &mut Vec<FieldPlan>,
    reaches: &[&Reach],
    outside: &[(&FieldRecord, &Reach)],
    ported: fn(Stage) -> bool,
) -> Vec<Cluster> {
    let mut sets = Sets((0..fields.len()).collect());
    let mut first_by_function: HashMap<usize, usize> = HashMap::new();
    let mut first_by_model: HashMap<&str, usize> = HashMap::new();
    let mut first_by_type: HashMap<&str, usize> = HashMap::new();
    for (i, field) in fields.iter().enumerate() {
        for &node in &reaches[i].functions {
            let first = *first_by_function.entry(node).or_insert(i);
            sets.join(first, i);
        }
        for model in &field.writes {
            let first = *first_by_model.entry(model).or_insert(i);
            sets.join(first, i);
        }
        // Fields without Python of their own move with their type.
        if reaches[i].functions.is_empty() {
            let type_name = field.field.split('.').next().unwrap_or_default();
            let first = *first_by_type.entry(type_name).or_insert(i);
            sets.join(first, i);
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..fields.len() {
        let root = sets.find(i);
        members.entry(root).or_default().push(i);
    }
    let mut outside_by_function: HashMap<usize, Vec<usize>> = HashMap::new();
    for (j, (_, reach)) in outside.iter().enumerate() {
        for &node in &reach.functions {
            outside_by_function.entry(node).or_default().push(j);
        }
    }
    let mut clusters: Vec<(Cluster, Vec<usize>)> = members
        .into_values()
        .map(|indices| {
            let cluster = describe(
                graph,
                fields,
                reaches,
                outside,
                &outside_by_function,
                ported,
                &indices,
            );
            (cluster, indices)
        })
        .collect();
    let traffic = fields.iter().any(|field| field.requests.is_some());
    clusters.sort_by(|(a, _), (b, _)| {
        let waits = |c: &Cluster| !c.waiting_on.is_empty();
        let density = |c: &Cluster| c.requests.unwrap_or(0) as f64 / f64::from(c.lines.max(1));
        waits(a)
            .cmp(&waits(b))
            .then_with(|| {
                if traffic {
                    density(b).total_cmp(&density(a))
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| (a.lines - a.ported_lines).cmp(&(b.lines - b.ported_lines)))
            .then_with(|| a.fields.cmp(&b.fields))
    });
    let mut order = Vec::with_capacity(fields.len());
    for (position, (cluster, indices)) in clusters.iter_mut().enumerate() {
        cluster.position = position + 1;
        for &i in indices.iter() {
            fields[i].cluster = position + 1;
            order.push(i);
        }
    }
    let mut taken: Vec<Option<FieldPlan>> = std::mem::take(fields).into_iter().map(Some).collect();
    *fields = order.into_iter().filter_map(|i| taken[i].take()).collect();
    clusters.into_iter().map(|(cluster, _)| cluster).collect()
}

fn describe(
    graph: &CallGraph,
    fields: &[FieldPlan],
    reaches: &[&Reach],
    outside: &[(&FieldRecord, &Reach)],
    outside_by_function: &HashMap<usize, Vec<usize>>,
    ported: fn(Stage) -> bool,
    indices: &[usize],
) -> Cluster {
    let mut functions: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in indices {
        for &node in &reaches[i].functions {
            *functions.entry(node).or_default() += 1;
        }
    }
    let shared_helpers: Vec<String> = functions
        .iter()
        .filter(|&(_, &count)| count > 1)
        .map(|(&node, _)| {
            let function = &graph.functions[node].function;
            format!("{}:{}", function.file, function.function)
        })
        .collect();
    let writes: BTreeSet<String> = indices
        .iter()
        .flat_map(|&i| fields[i].writes.iter().cloned())
        .collect();
    let mut waiting_on = BTreeSet::new();
    let mut ported_functions = BTreeSet::new();
    for &node in functions.keys() {
        for &j in outside_by_function.get(&node).into_iter().flatten() {
            let (record, _) = outside[j];
            if ported(record.stage) {
                ported_functions.insert(node);
            } else {
                waiting_on.insert(record.coordinate.to_string());
            }
        }
    }
    let requests = indices
        .iter()
        .map(|&i| fields[i].requests)
        .try_fold(0u64, |sum, requests| requests.map(|r| sum + r));
    let mut cluster = Cluster {
        position: 0,
        fields: indices.iter().map(|&i| fields[i].field.clone()).collect(),
        lines: lines(graph, functions.keys().copied()),
        ported_lines: lines(graph, ported_functions),
        shared_helpers,
        writes: writes.into_iter().collect(),
        waiting_on: waiting_on.into_iter().collect(),
        requests,
        reason: String::new(),
    };
    cluster.reason = reason(&cluster);
    cluster
}

pub fn lines_text(lines: u32) -> String {
    if lines == 1 {
        "1 line".to_string()
    } else {
        format!("{lines} lines")
    }
}

/// Why the cluster is one and where it stands, in a sentence.
fn reason(cluster: &Cluster) -> String {
    let mut parts = Vec::new();
    let count = cluster.fields.len();
    if cluster.lines == 0 {
        parts.push(if count == 1 {
            "no Python of its own (the library's default resolver)".to_string()
        } else {
            "no Python of their own; they move with their type".to_string()
        });
    } else {
        parts.push(format!("{} of Python", lines_text(cluster.lines)));
    }
    if cluster.ported_lines > 0 {
        parts.push(format!(
            "{} of them already ported with fields on Go",
            cluster.ported_lines
        ));
    }
    if !cluster.shared_helpers.is_empty() {
        let named: Vec<&str> = cluster
            .shared_helpers
            .iter()
            .take(NAMED)
            .map(|helper| helper.rsplit(':').next().unwrap_or(helper))
            .collect();
        let more = cluster.shared_helpers.len().saturating_sub(NAMED);
        let suffix = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        parts.push(format!("share {}{suffix}", named.join(", ")));
    }
    if !cluster.writes.is_empty() {
        let verb = if count == 1 { "writes" } else { "write" };
        parts.push(format!("{verb} {}", cluster.writes.join(", ")));
    }
    if let Some(requests) = cluster.requests {
        parts.push(format!("{requests} requests"));
    }
    if !cluster.waiting_on.is_empty() {
        parts.push(format!(
            "waits on {} unported field(s) outside the selection ({})",
            cluster.waiting_on.len(),
            cluster
                .waiting_on
                .iter()
                .take(NAMED)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    parts.join("; ")
}
