//! `ferry check`: the CI gate. Turns what the inventory saw (its anomalies)
//! and where each field stands into findings, each under one [`Rule`].
//! `status` shows these same findings.

mod anomalies;
mod fields;
mod rule;

pub use rule::{Rule, Severity};

use crate::model::inventory::SchemaSite;
use crate::model::project::Project;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    /// What is wrong.
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    /// What to do: the rule's hint, or advice this finding's facts call for.
    pub hint: &'static str,
}

impl Finding {
    fn new(rule: Rule, message: String, file: Option<String>, line: Option<usize>) -> Finding {
        Finding {
            rule,
            message,
            file,
            line,
            hint: rule.hint(),
        }
    }

    fn at(rule: Rule, message: String, site: &SchemaSite) -> Finding {
        Finding::new(rule, message, Some(site.file.clone()), Some(site.line))
    }

    fn with_hint(self, hint: &'static str) -> Finding {
        Finding { hint, ..self }
    }

    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }
}

/// Fields whose rules are read together on one core.
const FIELDS_PER_CHUNK: usize = 4096;

/// Every finding of the project, errors first, then by place.
pub fn run(project: &Project) -> Vec<Finding> {
    use rayon::prelude::*;
    let mut findings: Vec<Finding> = project
        .inventory
        .anomalies
        .iter()
        .map(|anomaly| anomalies::finding(anomaly, &project.inventory))
        .collect();
    fields::gqlgen_rules(project, &mut findings);
    // In chunks on every core, joined in the inventory's order.
    let per_field: Vec<Vec<Finding>> = project
        .inventory
        .fields
        .par_chunks(FIELDS_PER_CHUNK)
        .map(|chunk| {
            let mut found = Vec::new();
            for field in chunk {
                fields::field_rules(field, &mut found);
            }
            found
        })
        .collect();
    findings.extend(per_field.into_iter().flatten());
    fields::shared_python(&project.inventory.fields, &mut findings);
    fields::label_budget(project, &mut findings);
    fields::done_in_monolith_subgraph(project, &mut findings);
    fields::evidence_rules(project, &mut findings);
    findings.sort_by(|a, b| {
        (a.severity(), &a.file, a.line, a.rule).cmp(&(b.severity(), &b.file, b.line, b.rule))
    });
    findings
}
