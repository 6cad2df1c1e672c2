//! The Python left to port, cluster by cluster, from `ferry plan`'s
//! clusters: what the report's effort chart and table show.

use crate::plan::PlanReport;

/// Remaining effort, in the order `ferry plan` would port it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemainingEffort {
    pub clusters: Vec<ClusterEffort>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterEffort {
    /// 1-based, `ferry plan`'s order.
    pub position: usize,
    /// Its fields still served by Python, `Type.field`.
    pub fields: Vec<String>,
    /// Lines of Python its fields reach, each once.
    pub lines: u32,
    /// Of those, lines no field Go already serves reaches: the part still
    /// to write in Go.
    pub lines_left: u32,
    /// Why `ferry plan` puts it where it is.
    pub reason: String,
}

impl RemainingEffort {
    pub fn from_plan(plan: &PlanReport) -> RemainingEffort {
        RemainingEffort {
            clusters: plan
                .clusters
                .iter()
                .map(|cluster| ClusterEffort {
                    position: cluster.position,
                    fields: cluster.fields.clone(),
                    lines: cluster.lines,
                    lines_left: cluster.lines.saturating_sub(cluster.ported_lines),
                    reason: cluster.reason.clone(),
                })
                .collect(),
        }
    }

    pub fn lines_left(&self) -> u32 {
        self.clusters.iter().map(|c| c.lines_left).sum()
    }

    pub fn fields_left(&self) -> usize {
        self.clusters.iter().map(|c| c.fields.len()).sum()
    }
}

impl ClusterEffort {
    /// `3. Query.assignments +2`: short enough for a chart's axis.
    pub fn label(&self) -> String {
        let first = self.fields.first().map(String::as_str).unwrap_or("?");
        match self.fields.len() {
            0 | 1 => format!("{}. {first}", self.position),
            n => format!("{}. {first} +{}", self.position, n - 1),
        }
    }

    /// Lines its fields reach that Go already has, with fields ported
    /// before.
    pub fn lines_ported(&self) -> u32 {
        self.lines - self.lines_left
    }
}
