//! Which planned fields move together, and in which order.
//!
//! Fields are one cluster when they write a common model (one writer per
//! model: they must land in one service) or reach a common *glue* helper:
//! a function that at most [`GLUE_FAN_IN`] fields reach, none of them in
//! another service than the rest. A function that more fields reach, or
//! fields of several services, is a *library* (an auth check, a loader, a
//! formatter): ported once and shared, listed in [`Library`], never a
//! reason to move fields together.
//!
//! Clusters come in the order to port them, chosen one at a time: those
//! that wait on no unported code outside the selection first; then, with
//! traffic, the most requests per line still to port; without, the fewest
//! lines still to port. A cluster's lines still to port are its own code
//! that Go does not already run plus the libraries it needs that neither Go
//! nor an earlier cluster brought.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap};
use std::fmt::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::{FieldPlan, Reach, lines};
use crate::model::CallGraph;
use crate::model::inventory::{FieldRecord, PythonFunction};

/// A function reached by more fields than this is a library, not glue.
pub const GLUE_FAN_IN: u32 = 4;

/// Helpers named in a cluster's reason, at most.
const NAMED: usize = 3;

#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// 1-based, in the order to port.
    pub position: usize,
    pub fields: Vec<String>,
    /// Lines of its own Python (reached from its fields, libraries aside), each once.
    pub lines: u32,
    /// Of those, lines that fields Go already serves reach too.
    pub ported_lines: u32,
    /// Glue: functions besides libraries that more than one of its fields
    /// reach (`file:function`).
    pub shared_helpers: Vec<String>,
    /// The libraries its fields use (`file:function`).
    pub libraries: Vec<String>,
    /// Lines of those libraries that it is the first to need: neither Go
    /// nor an earlier cluster has them yet.
    pub library_lines: u32,
    /// Models its fields write.
    pub writes: Vec<String>,
    /// Fields outside the selection, not yet on Go, that reach its own code.
    pub waiting_on: Vec<String>,
    pub requests: Option<u64>,
    pub reason: String,
}

/// A function many fields share: ported once, before the first cluster
/// that needs it.
#[derive(Debug, Clone, Serialize)]
pub struct Library {
    pub function: PythonFunction,
    pub lines: u32,
    /// Fields of the whole inventory that reach it.
    pub fields: u32,
    /// The services (by `owns`) of those fields.
    pub services: Vec<String>,
    /// A field Go already serves reaches it.
    pub ported: bool,
    /// Position of the first cluster that needs it.
    pub first_needed_by: usize,
    /// How many planned clusters use it.
    pub clusters: usize,
}

/// What the graph's functions are to the planned fields, as [`super::PlanReport::new`] found.
pub(super) struct Sharing<'a> {
    pub graph: &'a CallGraph,
    /// Per function: fields of the inventory that reach it.
    pub reached_by: &'a [u32],
    /// Per function: the services of those fields (indices into `service_names`).
    pub services: &'a [Vec<u32>],
    pub service_names: &'a [String],
}

impl Sharing<'_> {
    pub fn is_library(&self, node: usize) -> bool {
        self.reached_by[node] > GLUE_FAN_IN || self.services[node].len() > 1
    }

    fn name(&self, node: usize) -> String {
        let function = &self.graph.functions[node].function;
        format!("{}:{}", function.file, function.function)
    }
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

/// A cluster as formed, before it has a place in the order.
struct Formed {
    cluster: Cluster,
    members: Vec<usize>,
    /// Its libraries, as graph indices.
    libraries: Vec<usize>,
}

/// Groups `fields` into clusters, orders them (and `fields` by them), and
/// lists the libraries they use.
pub(super) fn form(
    sharing: &Sharing,
    fields: &mut Vec<FieldPlan>,
    reaches: &[&Reach],
    outside: &[(&FieldRecord, &Reach)],
    ported: fn(crate::model::Stage) -> bool,
) -> (Vec<Cluster>, Vec<Library>) {
    let graph = sharing.graph;
    let mut sets = Sets((0..fields.len()).collect());
    let mut first_by_function: HashMap<usize, usize> = HashMap::new();
    let mut first_by_model: HashMap<&str, usize> = HashMap::new();
    let mut first_by_type: HashMap<&str, usize> = HashMap::new();
    for (i, field) in fields.iter().enumerate() {
        for &node in &reaches[i].functions {
            if !sharing.is_library(node) {
                let first = *first_by_function.entry(node).or_insert(i);
                sets.join(first, i);
            }
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
    let mut on_go = vec![false; graph.functions.len()];
    let mut unported_outside: HashMap<usize, Vec<usize>> = HashMap::new();
    for (j, (record, reach)) in outside.iter().enumerate() {
        for &node in &reach.functions {
            if ported(record.stage) {
                on_go[node] = true;
            } else {
                unported_outside.entry(node).or_default().push(j);
            }
        }
    }
    // Each cluster described on its own, on every core, in order.
    let planned: &[FieldPlan] = fields;
    let formed: Vec<Formed> = members
        .into_values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|indices| {
            describe(
                sharing,
                planned,
                reaches,
                outside,
                &unported_outside,
                &on_go,
                indices,
            )
        })
        .collect();
    let (clusters, libraries) = order(sharing, formed, on_go);
    let mut order = Vec::with_capacity(fields.len());
    let mut clusters_out = Vec::with_capacity(clusters.len());
    for (position, (mut cluster, indices)) in clusters.into_iter().enumerate() {
        cluster.position = position + 1;
        cluster.reason = reason(&cluster);
        for &i in &indices {
            fields[i].cluster = position + 1;
            order.push(i);
        }
        clusters_out.push(cluster);
    }
    let mut taken: Vec<Option<FieldPlan>> = std::mem::take(fields).into_iter().map(Some).collect();
    *fields = order.into_iter().filter_map(|i| taken[i].take()).collect();
    (clusters_out, libraries)
}

fn describe(
    sharing: &Sharing,
    fields: &[FieldPlan],
    reaches: &[&Reach],
    outside: &[(&FieldRecord, &Reach)],
    unported_outside: &HashMap<usize, Vec<usize>>,
    on_go: &[bool],
    members: Vec<usize>,
) -> Formed {
    let graph = sharing.graph;
    let mut functions: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in &members {
        for &node in &reaches[i].functions {
            *functions.entry(node).or_default() += 1;
        }
    }
    // (function, how many of the members reach it)
    type Reached = Vec<(usize, usize)>;
    let (libraries, own): (Reached, Reached) = functions
        .into_iter()
        .partition(|&(node, _)| sharing.is_library(node));
    let waiting_on: BTreeSet<String> = own
        .iter()
        .flat_map(|(node, _)| unported_outside.get(node).into_iter().flatten())
        .map(|&j| outside[j].0.coordinate.to_string())
        .collect();
    let writes: BTreeSet<String> = members
        .iter()
        .flat_map(|&i| fields[i].writes.iter().cloned())
        .collect();
    let requests = members
        .iter()
        .map(|&i| fields[i].requests)
        .try_fold(0u64, |sum, requests| requests.map(|r| sum + r));
    let cluster = Cluster {
        position: 0,
        fields: members.iter().map(|&i| fields[i].field.clone()).collect(),
        lines: lines(graph, own.iter().map(|&(node, _)| node)),
        ported_lines: lines(
            graph,
            own.iter().map(|&(node, _)| node).filter(|&n| on_go[n]),
        ),
        shared_helpers: own
            .iter()
            .filter(|&&(_, count)| count > 1)
            .map(|&(node, _)| sharing.name(node))
            .collect(),
        libraries: libraries
            .iter()
            .map(|&(node, _)| sharing.name(node))
            .collect(),
        library_lines: 0,
        writes: writes.into_iter().collect(),
        waiting_on: waiting_on.into_iter().collect(),
        requests,
        reason: String::new(),
    };
    Formed {
        cluster,
        members,
        libraries: libraries.into_iter().map(|(node, _)| node).collect(),
    }
}

/// Where a cluster stands in the choice of the next one: lower goes first.
struct Rank {
    waits: bool,
    /// Requests per line still to port (0 without traffic).
    density: f64,
    remaining: u32,
    /// The cluster's place by its first field's name.
    name: usize,
}

impl Ord for Rank {
    fn cmp(&self, other: &Rank) -> Ordering {
        self.waits
            .cmp(&other.waits)
            .then_with(|| other.density.total_cmp(&self.density))
            .then_with(|| self.remaining.cmp(&other.remaining))
            .then_with(|| self.name.cmp(&other.name))
    }
}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Rank) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Rank {
    fn eq(&self, other: &Rank) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Rank {}

/// Clusters in the order to port them, each with the library lines it
/// brings, and the libraries they use in the order they are first needed.
fn order(
    sharing: &Sharing,
    formed: Vec<Formed>,
    on_go: Vec<bool>,
) -> (Vec<(Cluster, Vec<usize>)>, Vec<Library>) {
    let graph = sharing.graph;
    let mut by_name: Vec<usize> = (0..formed.len()).collect();
    by_name.sort_by(|&a, &b| formed[a].cluster.fields.cmp(&formed[b].cluster.fields));
    let mut name_rank = vec![0; formed.len()];
    for (rank, &c) in by_name.iter().enumerate() {
        name_rank[c] = rank;
    }
    let mut users: HashMap<usize, Vec<usize>> = HashMap::new();
    for (c, cluster) in formed.iter().enumerate() {
        for &node in &cluster.libraries {
            users.entry(node).or_default().push(c);
        }
    }
    let mut brought = on_go.clone();
    let rank = |c: usize, brought: &[bool]| {
        let cluster = &formed[c];
        let pending = cluster.libraries.iter().copied().filter(|&n| !brought[n]);
        let remaining =
            cluster.cluster.lines - cluster.cluster.ported_lines + lines(graph, pending);
        Rank {
            waits: !cluster.cluster.waiting_on.is_empty(),
            density: cluster.cluster.requests.unwrap_or(0) as f64 / f64::from(remaining.max(1)),
            remaining,
            name: name_rank[c],
        }
    };
    // Bringing a library lowers the rank of the clusters that use it: they
    // are ranked again, and what the heap still holds for them is stale.
    let mut version = vec![0u32; formed.len()];
    let mut heap: BinaryHeap<Reverse<(Rank, usize, u32)>> = (0..formed.len())
        .map(|c| Reverse((rank(c, &brought), c, 0)))
        .collect();
    let mut placed = vec![false; formed.len()];
    let mut sequence = Vec::with_capacity(formed.len());
    while let Some(Reverse((_, c, seen))) = heap.pop() {
        if placed[c] || seen != version[c] {
            continue;
        }
        placed[c] = true;
        let newly: Vec<usize> = formed[c]
            .libraries
            .iter()
            .copied()
            .filter(|&n| !brought[n])
            .collect();
        let mut touched = BTreeSet::new();
        for &node in &newly {
            brought[node] = true;
            touched.extend(users[&node].iter().filter(|&&other| !placed[other]));
        }
        for other in touched {
            version[other] += 1;
            heap.push(Reverse((rank(other, &brought), other, version[other])));
        }
        sequence.push((c, lines(graph, newly)));
    }
    let mut position = vec![0; sequence.len()];
    for (at, &(c, _)) in sequence.iter().enumerate() {
        position[c] = at + 1;
    }
    let mut libraries: Vec<Library> = users
        .iter()
        .map(|(&node, using)| Library {
            function: graph.functions[node].function.clone(),
            lines: lines(graph, [node]),
            fields: sharing.reached_by[node],
            services: sharing.services[node]
                .iter()
                .map(|&s| sharing.service_names[s as usize].clone())
                .collect(),
            ported: on_go[node],
            first_needed_by: using.iter().map(|&c| position[c]).min().unwrap_or(0),
            clusters: using.len(),
        })
        .collect();
    libraries.sort_by(|a, b| {
        (a.first_needed_by, &a.function.file, a.function.line).cmp(&(
            b.first_needed_by,
            &b.function.file,
            b.function.line,
        ))
    });
    let mut slots: Vec<Option<Formed>> = formed.into_iter().map(Some).collect();
    let ordered = sequence
        .into_iter()
        .map(|(c, library_lines)| {
            let Formed {
                mut cluster,
                members,
                ..
            } = slots[c].take().expect("each cluster is placed once");
            cluster.library_lines = library_lines;
            (cluster, members)
        })
        .collect();
    (ordered, libraries)
}

pub fn lines_text(lines: u32) -> String {
    if lines == 1 {
        "1 line".to_string()
    } else {
        format!("{lines} lines")
    }
}

/// The short names of a list of `file:function`, at most [`NAMED`], then "and N more".
fn named(items: &[String]) -> String {
    let names: Vec<&str> = items
        .iter()
        .take(NAMED)
        .map(|item| item.rsplit(':').next().unwrap_or(item))
        .collect();
    let more = items.len().saturating_sub(NAMED);
    if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    }
}

/// Why the cluster is one and where it stands, in a sentence.
fn reason(cluster: &Cluster) -> String {
    let mut parts = Vec::new();
    let count = cluster.fields.len();
    if cluster.lines == 0 {
        parts.push(if count == 1 {
            "no Python of its own (the library's default resolver)".to_string()
        } else if cluster.writes.is_empty() && cluster.libraries.is_empty() {
            "no Python of their own; they move with their type".to_string()
        } else {
            "no Python of their own".to_string()
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
        parts.push(format!("share {}", named(&cluster.shared_helpers)));
    }
    if !cluster.writes.is_empty() {
        let verb = if count == 1 { "writes" } else { "write" };
        parts.push(format!("{verb} {}", cluster.writes.join(", ")));
    }
    if !cluster.libraries.is_empty() {
        let verb = if count == 1 { "uses" } else { "use" };
        let mut part = format!(
            "{verb} the librar{} {}",
            if cluster.libraries.len() == 1 {
                "y"
            } else {
                "ies"
            },
            named(&cluster.libraries)
        );
        if cluster.library_lines > 0 {
            let _ = write!(
                part,
                "; brings {} of {}",
                lines_text(cluster.library_lines),
                if cluster.libraries.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            );
        }
        parts.push(part);
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
