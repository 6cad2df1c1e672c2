//! The porting plan in the TUI: computed on the first `p`, `C` or
//! `cluster:` filter, never at startup (it reads every function body), then
//! kept while the Python index is the one it was computed from.

use std::collections::HashMap;
use std::sync::Arc;

use super::{App, Level};
use crate::model::project::Project;
use crate::model::{CallGraph, PythonIndex};
use crate::plan::usage::Usage;
use crate::plan::{FieldPlan, PlanReport};

pub struct PlanState {
    graph: CallGraph,
    /// The index the graph was built beside: a reload that reads the
    /// Python again makes the graph stale.
    python: Arc<PythonIndex>,
    usage: Option<Usage>,
    pub report: PlanReport,
    /// `Type.field` → its place in `report.fields`.
    by_field: HashMap<String, usize>,
}

impl PlanState {
    fn new(project: &Project, graph: CallGraph, usage: Option<Usage>) -> PlanState {
        let fields: Vec<_> = project.inventory.fields.iter().collect();
        let report = PlanReport::new(project, &graph, &fields, usage.as_ref());
        let by_field = report
            .fields
            .iter()
            .enumerate()
            .map(|(i, field)| (field.field.clone(), i))
            .collect();
        PlanState {
            graph,
            python: Arc::clone(&project.python),
            usage,
            report,
            by_field,
        }
    }

    pub fn field(&self, coordinate: &str) -> Option<&FieldPlan> {
        self.by_field
            .get(coordinate)
            .map(|&i| &self.report.fields[i])
    }

    /// Per inventory field: its cluster's position, when it is planned.
    pub fn clusters_of(&self, project: &Project) -> Vec<Option<usize>> {
        project
            .inventory
            .fields
            .iter()
            .map(|f| self.field(&f.coordinate.to_string()).map(|p| p.cluster))
            .collect()
    }
}

impl App {
    /// Computes the plan unless it is there; says so when it cannot.
    pub(super) fn ensure_plan(&mut self) -> bool {
        if self.plan.is_some() {
            return true;
        }
        let (_, graph) = match Project::load_with_calls(&self.overrides) {
            Ok(loaded) => loaded,
            Err(error) => {
                self.show_error("cannot compute the porting plan", &error);
                return false;
            }
        };
        let usage = match Usage::from_configured_corpus(&self.project) {
            Ok(usage) => usage,
            Err(error) => {
                self.say(
                    Level::Warning,
                    format!("the plan is not weighted by traffic: {error}"),
                );
                None
            }
        };
        let plan = PlanState::new(&self.project, graph, usage);
        let message = format!(
            "porting plan: {} fields to port in {} clusters",
            plan.report.fields.len(),
            plan.report.clusters.len()
        );
        self.plan = Some(plan);
        self.tree.clusters = self.plan.as_ref().unwrap().clusters_of(&self.project);
        self.detail = None;
        self.refresh_detail();
        if !matches!(self.status.as_ref().map(|s| s.level), Some(Level::Warning)) {
            self.say(Level::Info, message);
        }
        true
    }

    /// After the project changed: the plan again from the graph it kept,
    /// or no plan when the Python was read again.
    pub(super) fn replan(&mut self) {
        let Some(plan) = self.plan.take() else {
            return;
        };
        if Arc::ptr_eq(&plan.python, &self.project.python) {
            let plan = PlanState::new(&self.project, plan.graph, plan.usage);
            self.tree.clusters = plan.clusters_of(&self.project);
            self.plan = Some(plan);
        }
    }

    /// `p`: the plan in the detail pane.
    pub(super) fn show_plan(&mut self) {
        if self.plan.is_some() {
            self.say(Level::Info, "the plan is in the detail pane of each field");
            return;
        }
        self.ensure_plan();
    }

    /// `C`: only the cursor field's cluster.
    pub(super) fn filter_to_cluster(&mut self) {
        let Some(coordinate) = self.current_field().map(|f| f.coordinate.to_string()) else {
            self.say(Level::Info, "move to a field to see its cluster");
            return;
        };
        if !self.ensure_plan() {
            return;
        }
        let cluster = self
            .plan
            .as_ref()
            .and_then(|plan| plan.field(&coordinate))
            .map(|field| field.cluster);
        match cluster {
            Some(cluster) => {
                self.set_filter(&format!("cluster:{cluster}"));
                self.say(
                    Level::Info,
                    format!("cluster {cluster}: the fields that move with {coordinate}"),
                );
            }
            None => self.say(
                Level::Info,
                format!("{coordinate} is in no cluster: Go serves it, or it is not the monolith's"),
            ),
        }
    }
}
