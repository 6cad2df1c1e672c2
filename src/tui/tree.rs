//! The checklist's shape: fields grouped by service, then type, and the
//! rows a filter and the folded groups leave on screen.

use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::project::Project;
use crate::model::stage::Stage;
use std::collections::{BTreeMap, HashSet};

/// The group of fields not claimed by a service nor in one's planned scope.
pub const UNPLANNED: &str = "python (not planned)";
/// Go-only fields no service claims (only `@external` or key definitions).
pub const UNCLAIMED: &str = "(unclaimed)";

#[derive(Debug, Clone)]
pub struct TypeGroup {
    pub name: String,
    /// Indexes into `inventory.fields`.
    pub fields: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ServiceGroup {
    pub name: String,
    pub types: Vec<TypeGroup>,
}

#[derive(Debug, Clone, Default)]
pub struct FieldTree {
    pub services: Vec<ServiceGroup>,
    /// Per field: its group's index in `services`.
    pub group_of: Vec<usize>,
    /// Per field: `type.field` lowercased, what filter words match.
    search_keys: Vec<String>,
    /// Per group: its name lowercased, what `service:` matches.
    group_keys: Vec<String>,
    /// Per field: its porting plan cluster, once the plan is computed
    /// (empty before).
    pub clusters: Vec<Option<usize>>,
}

impl FieldTree {
    /// Groups by the owner service; fields still at python go under the
    /// service whose `owns` plans them, the rest under "python (not planned)".
    /// `before`, the tree of the fields shown until now, lends its search
    /// keys when the fields are the same (an edit changes stages, rarely
    /// which fields there are).
    pub fn build(project: &Project, before: Option<(FieldTree, &[FieldRecord])>) -> FieldTree {
        let services = &project.workspace.services;
        let mut names: Vec<String> = services.iter().map(|s| s.name.clone()).collect();
        let mut index_of: BTreeMap<String, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        let fields = &project.inventory.fields;
        let mut group_of = Vec::with_capacity(fields.len());
        let search_keys: Vec<String> = {
            use rayon::prelude::*;
            match before {
                Some((tree, shown))
                    if shown.len() == fields.len()
                        && tree.search_keys.len() == fields.len()
                        && shown
                            .par_iter()
                            .zip(fields)
                            .all(|(a, b)| a.coordinate == b.coordinate) =>
                {
                    tree.search_keys
                }
                _ => fields
                    .par_iter()
                    .map(|f| f.coordinate.to_string().to_lowercase())
                    .collect(),
            }
        };
        for field in fields {
            let name = match &field.service {
                Some(service) => service.as_str(),
                // The inventory matched every `owns` already.
                None if matches!(field.stage, Stage::Python | Stage::Key) => {
                    field.planned_for.as_deref().unwrap_or(UNPLANNED)
                }
                None => UNCLAIMED,
            };
            let group = match index_of.get(name) {
                Some(&i) => i,
                None => {
                    names.push(name.to_string());
                    index_of.insert(name.to_string(), names.len() - 1);
                    names.len() - 1
                }
            };
            group_of.push(group);
        }
        let mut groups: Vec<ServiceGroup> = names
            .into_iter()
            .map(|name| ServiceGroup {
                name,
                types: Vec::new(),
            })
            .collect();
        // The inventory is sorted by coordinate, so a type's fields are adjacent.
        for (index, field) in fields.iter().enumerate() {
            let types = &mut groups[group_of[index]].types;
            match types.last_mut() {
                Some(last) if last.name == field.coordinate.type_name => last.fields.push(index),
                _ => types.push(TypeGroup {
                    name: field.coordinate.type_name.clone(),
                    fields: vec![index],
                }),
            }
        }
        // Services of the workspace keep their order, even when empty; the
        // groups ferry adds come after them, made only when a field needs one.
        let group_keys = groups.iter().map(|g| g.name.to_lowercase()).collect();
        FieldTree {
            services: groups,
            group_of,
            search_keys,
            group_keys,
            clusters: Vec::new(),
        }
    }

    pub fn group_name(&self, field: usize) -> &str {
        &self.services[self.group_of[field]].name
    }
}

/// What the `/` prompt narrows to: words match `Type.field`
/// (case-insensitively); `stage:`, `service:` and `kind:` match the start of
/// a stage, group or kind name; `cluster:N` the fields of plan cluster N.
/// Terms of one key are alternatives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub text: String,
    words: Vec<String>,
    stages: Vec<String>,
    services: Vec<String>,
    kinds: Vec<String>,
    clusters: Vec<usize>,
}

impl Filter {
    pub fn parse(text: &str) -> Filter {
        let mut filter = Filter {
            text: text.to_string(),
            ..Filter::default()
        };
        for term in text.split_whitespace() {
            let term = term.to_lowercase();
            if let Some(("cluster", number)) = term.split_once(':') {
                filter.clusters.extend(number.parse::<usize>().ok());
                continue;
            }
            let (list, value) = match term.split_once(':') {
                Some(("stage" | "state", value)) => (&mut filter.stages, value),
                Some(("service", value)) => (&mut filter.services, value),
                Some(("kind", value)) => (&mut filter.kinds, value),
                _ => (&mut filter.words, term.as_str()),
            };
            if !value.is_empty() {
                list.push(value.to_string());
            }
        }
        filter
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.stages.is_empty()
            && self.services.is_empty()
            && self.kinds.is_empty()
            && self.clusters.is_empty()
    }

    /// Whether it narrows by plan cluster.
    pub fn wants_clusters(&self) -> bool {
        !self.clusters.is_empty()
    }

    fn matches(&self, tree: &FieldTree, index: usize, field: &FieldRecord) -> bool {
        // Every name here is lowercase already: stages and kinds are
        // spelled so, groups' names are lowered once per tree.
        let any_prefix = |terms: &[String], name: &str| {
            terms.is_empty() || terms.iter().any(|t| name.starts_with(t.as_str()))
        };
        self.words
            .iter()
            .all(|w| tree.search_keys[index].contains(w.as_str()))
            && any_prefix(&self.stages, field.stage.as_str())
            && any_prefix(&self.services, &tree.group_keys[tree.group_of[index]])
            && any_prefix(&self.kinds, field.kind.as_str())
            && (self.clusters.is_empty()
                || tree
                    .clusters
                    .get(index)
                    .copied()
                    .flatten()
                    .is_some_and(|c| self.clusters.contains(&c)))
    }
}

/// A line of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Service {
        group: usize,
        shown: usize,
    },
    Type {
        group: usize,
        ty: usize,
        shown: usize,
    },
    Field {
        index: usize,
    },
}

/// What a row is, by name: survives a reload, unlike indexes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RowKey {
    Service(String),
    Type(String, String),
    Field(FieldCoordinate),
}

impl FieldTree {
    pub fn key(&self, row: Row, fields: &[FieldRecord]) -> RowKey {
        match row {
            Row::Service { group, .. } => RowKey::Service(self.services[group].name.clone()),
            Row::Type { group, ty, .. } => RowKey::Type(
                self.services[group].name.clone(),
                self.services[group].types[ty].name.clone(),
            ),
            Row::Field { index } => RowKey::Field(fields[index].coordinate.clone()),
        }
    }

    /// Whether `row` is the row `key` names (without building its key).
    pub fn is_row(&self, row: Row, key: &RowKey, fields: &[FieldRecord]) -> bool {
        match (row, key) {
            (Row::Service { group, .. }, RowKey::Service(name)) => {
                self.services[group].name == *name
            }
            (Row::Type { group, ty, .. }, RowKey::Type(service, name)) => {
                let g = &self.services[group];
                g.name == *service && g.types[ty].name == *name
            }
            (Row::Field { index }, RowKey::Field(coordinate)) => {
                fields[index].coordinate == *coordinate
            }
            _ => false,
        }
    }

    /// The rows on screen: groups with a field the filter shows, and the
    /// fields of unfolded groups.
    pub fn rows(
        &self,
        fields: &[FieldRecord],
        filter: &Filter,
        folded: &HashSet<RowKey>,
    ) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut shown_fields = Vec::new();
        for (group, service) in self.services.iter().enumerate() {
            let service_row = rows.len();
            rows.push(Row::Service { group, shown: 0 });
            // Keys are built only when something is folded: 5,000 types'
            // worth of string clones per keystroke otherwise.
            let any_folded = !folded.is_empty();
            let service_folded =
                any_folded && folded.contains(&RowKey::Service(service.name.clone()));
            let mut service_shown = 0;
            for (ty, type_group) in service.types.iter().enumerate() {
                shown_fields.clear();
                shown_fields.extend(
                    type_group
                        .fields
                        .iter()
                        .copied()
                        .filter(|&i| filter.matches(self, i, &fields[i])),
                );
                if shown_fields.is_empty() {
                    continue;
                }
                service_shown += shown_fields.len();
                if service_folded {
                    continue;
                }
                rows.push(Row::Type {
                    group,
                    ty,
                    shown: shown_fields.len(),
                });
                let type_folded = any_folded
                    && folded
                        .contains(&RowKey::Type(service.name.clone(), type_group.name.clone()));
                if !type_folded {
                    rows.extend(shown_fields.iter().map(|&index| Row::Field { index }));
                }
            }
            if service_shown == 0 && !filter.is_empty() {
                rows.truncate(service_row);
            } else {
                rows[service_row] = Row::Service {
                    group,
                    shown: service_shown,
                };
            }
        }
        rows
    }

    /// Every field the filter shows, folded groups included.
    pub fn shown_fields(&self, fields: &[FieldRecord], filter: &Filter) -> Vec<usize> {
        (0..fields.len())
            .filter(|&i| filter.matches(self, i, &fields[i]))
            .collect()
    }

    /// The fields of a group row that the filter shows.
    pub fn fields_of(&self, row: Row, fields: &[FieldRecord], filter: &Filter) -> Vec<usize> {
        let types: Vec<&TypeGroup> = match row {
            Row::Service { group, .. } => self.services[group].types.iter().collect(),
            Row::Type { group, ty, .. } => vec![&self.services[group].types[ty]],
            Row::Field { index } => return vec![index],
        };
        types
            .into_iter()
            .flat_map(|t| t.fields.iter().copied())
            .filter(|&i| filter.matches(self, i, &fields[i]))
            .collect()
    }
}
