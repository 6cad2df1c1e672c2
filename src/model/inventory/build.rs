//! `Inventory::build`: every field of the monolith and of every service
//! joined by `Type.field` into one record, and each record's stage.

use super::{
    Anomaly, ArgumentRecord, FieldCoordinate, FieldKind, FieldRecord, Inventory, PythonLink,
    SchemaSite, ServiceDefinition,
};
use crate::model::dialect::{CanaryGroup, StageDirective, StateReading};
use crate::model::ledger::Ledger;
use crate::model::stage::Stage;
use crate::schema::fields::{field_definitions, key_fields, top_level_names};
use crate::schema::loaded::{Invalidity, LoadedSchema, ParsedFile};
use crate::schema::migrate_directive::span_of;
use crate::workspace::glob_set;
use crate::workspace::percent::Percent;
use crate::workspace::{Service, Workspace};
use apollo_compiler::ast;
use globset::GlobSet;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;
use std::ops::Range;

fn root_kinds(loaded: &LoadedSchema) -> BTreeMap<String, FieldKind> {
    let mut roots = BTreeMap::new();
    for (op, kind) in [
        (ast::OperationType::Query, FieldKind::Query),
        (ast::OperationType::Mutation, FieldKind::Mutation),
        (ast::OperationType::Subscription, FieldKind::Subscription),
    ] {
        if let Some(name) = loaded.schema.root_operation(op) {
            roots.insert(name.to_string(), kind);
        }
    }
    roots
}

/// A field definition's site: its span takes the description along (what a
/// removal or `show` needs), its line and column are those of the field's
/// name, where an editor or a GitHub annotation should land.
fn field_site(
    file: &ParsedFile,
    field: &apollo_compiler::Node<ast::FieldDefinition>,
) -> SchemaSite {
    let span = span_of(field);
    let name_start = field.name.location().map_or(span.start, |l| l.offset());
    let (line, column) = file.source.line_col(name_start);
    SchemaSite {
        file: file.source.path.rel.clone(),
        line,
        column,
        span,
    }
}

fn site(file: &ParsedFile, span: Range<usize>) -> SchemaSite {
    let (line, column) = file.source.line_col(span.start);
    SchemaSite {
        file: file.source.path.rel.clone(),
        line,
        column,
        span,
    }
}

/// A field's record as its first definition gives it, at stage python until
/// the stage is decided.
fn new_record(
    coordinate: FieldCoordinate,
    kind: FieldKind,
    field: &ast::FieldDefinition,
) -> FieldRecord {
    FieldRecord {
        coordinate,
        kind,
        stage: Stage::Python,
        color: None,
        percent: None,
        label: None,
        service: None,
        planned_for: None,
        type_text: field.ty.to_string(),
        arguments: field
            .arguments
            .iter()
            .map(|a| ArgumentRecord {
                name: a.name.to_string(),
                ty: a.ty.to_string(),
                default: a.default_value.as_ref().map(|v| v.to_string()),
            })
            .collect(),
        monolith: None,
        definitions: Vec::new(),
        python: PythonLink::Unknown,
        go: None,
    }
}

/// `records` sorted by coordinate, those at the `repeated` indexes left
/// out. The records are large: indexes are sorted, then each record moved
/// once, to its place.
fn sorted_without(mut records: Vec<FieldRecord>, repeated: &[usize]) -> Vec<FieldRecord> {
    let mut left_out = vec![false; records.len()];
    for &at in repeated {
        left_out[at] = true;
    }
    let mut keep = left_out.iter().map(|out| !out);
    records.retain(|_| keep.next().unwrap_or(true));
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.par_sort_unstable_by(|&a, &b| records[a].coordinate.cmp(&records[b].coordinate));
    // Position k takes the record at `order[k]`: follow each cycle of the
    // permutation, swapping along it.
    const PLACED: usize = usize::MAX;
    for start in 0..order.len() {
        let mut current = start;
        while order[current] != PLACED {
            let source = order[current];
            order[current] = PLACED;
            if source == start {
                break;
            }
            records.swap(current, source);
            current = source;
        }
    }
    records
}

impl Inventory {
    pub fn build(
        workspace: &Workspace,
        monolith: &LoadedSchema,
        services: &[(Service, LoadedSchema)],
        ledger: &Ledger,
    ) -> Inventory {
        let mut anomalies: Vec<Anomaly> = monolith
            .invalid
            .iter()
            .cloned()
            .map(Anomaly::MonolithInvalid)
            .collect();
        let monolith_roots = root_kinds(monolith);
        let kind_of = |roots: &BTreeMap<String, FieldKind>, type_name: &str, interface: bool| {
            if interface {
                FieldKind::Interface
            } else {
                roots.get(type_name).copied().unwrap_or(FieldKind::Object)
            }
        };

        // Every field once, in the order first seen; `seen` finds its
        // record by the names the parsed files hold, without allocating
        // (and with a hash of a few instructions: the names are ferry's
        // own reading of local files, nothing to guard against).
        let mut records: Vec<FieldRecord> = Vec::new();
        let mut seen: FxHashMap<(&str, &str), usize> = FxHashMap::default();
        // A type and its extension may both define a field: the first
        // definition makes the record, the last gives its site.
        let mut repeated = Vec::new();
        for file in &monolith.files {
            // Most fields are the monolith's: their records are made on
            // every core.
            let definitions: Vec<_> = field_definitions(&file.doc).collect();
            let first = records.len();
            records.par_extend(definitions.par_iter().map(|(type_name, interface, field)| {
                let coordinate = FieldCoordinate::new(*type_name, field.name.as_str());
                let kind = kind_of(&monolith_roots, type_name, *interface);
                let mut record = new_record(coordinate, kind, field);
                record.monolith = Some(field_site(file, field));
                record
            }));
            seen.reserve(definitions.len());
            for (at, (type_name, _, field)) in (first..).zip(&definitions) {
                match seen.entry((type_name, field.name.as_str())) {
                    Entry::Occupied(earlier) => {
                        records[*earlier.get()].monolith = records[at].monolith.take();
                        repeated.push(at);
                    }
                    Entry::Vacant(entry) => {
                        entry.insert(at);
                    }
                }
            }
        }

        for (service, loaded) in services {
            let roots = root_kinds(loaded);
            let external = loaded.federation.directive("external").to_string();
            let override_name = loaded.federation.directive("override").to_string();
            let mut uses_migrate = None;
            // A type's keys, looked up once per type rather than per field.
            let mut keys_of: FxHashMap<&str, Vec<Vec<String>>> = FxHashMap::default();
            for file in &loaded.files {
                for (type_name, interface, field) in field_definitions(&file.doc) {
                    let keys = keys_of
                        .entry(type_name)
                        .or_insert_with(|| key_fields(loaded, type_name));
                    let directive =
                        StageDirective::find(field, &override_name, &workspace.python.subgraph);
                    if let (Some(StageDirective::Migrate(m)), None) = (&directive, &uses_migrate) {
                        uses_migrate = Some(site(file, m.span.clone()));
                    }
                    let definition = ServiceDefinition {
                        service: service.name.clone(),
                        site: field_site(file, field),
                        external: field.directives.has(&external),
                        key_field: keys.iter().flatten().any(|k| k == field.name.as_str()),
                        value_type: keys.is_empty() && !roots.contains_key(type_name),
                        directive,
                    };
                    let at = *seen
                        .entry((type_name, field.name.as_str()))
                        .or_insert_with(|| {
                            let coordinate = FieldCoordinate::new(type_name, field.name.as_str());
                            let kind = kind_of(&roots, type_name, interface);
                            records.push(new_record(coordinate, kind, field));
                            records.len() - 1
                        });
                    records[at].definitions.push(definition);
                }
            }
            if let (Some(first_use), false) = (uses_migrate, loaded.declares_migrate) {
                anomalies.push(Anomaly::DirectiveUndeclared {
                    service: service.name.clone(),
                    first_use,
                });
            }
        }
        drop(seen);
        let mut records = sorted_without(records, &repeated);

        let mut monolith_keys = MonolithKeys::new(workspace, monolith);
        let owns: Vec<(&str, GlobSet)> = workspace
            .services
            .iter()
            .filter(|s| !s.owns.is_empty())
            .map(|s| {
                let set = glob_set(&s.owns).unwrap_or_else(|_| GlobSet::empty());
                (s.name.as_str(), set)
            })
            .collect();
        let done = ledger.done();
        let mut name = String::new();
        for record in &mut records {
            decide_stage(record, &mut monolith_keys, &done, &mut anomalies);
            if record.service.is_none() && !owns.is_empty() {
                name.clear();
                write!(name, "{}", record.coordinate).expect("a String takes any text");
                record.planned_for = owns
                    .iter()
                    .find(|(_, set)| set.is_match(&name))
                    .map(|(service, _)| service.to_string());
            }
        }

        let fields = records;
        let services = workspace
            .services
            .iter()
            .map(|service| crate::model::progress::progress(service, &fields))
            .collect();
        Inventory {
            fields,
            services,
            anomalies,
            python_code: Default::default(),
        }
    }
}

impl Inventory {
    /// The monolith's validation errors, when the inventory was built from
    /// its schema before the validation was done (it runs beside the
    /// build): they go after the errors of the schema's build, where a
    /// build from the validated schema puts them.
    pub fn add_monolith_invalid(&mut self, invalid: &[Invalidity]) {
        let at = self
            .anomalies
            .iter()
            .take_while(|a| matches!(a, Anomaly::MonolithInvalid(_)))
            .count();
        self.anomalies.splice(
            at..at,
            invalid.iter().cloned().map(Anomaly::MonolithInvalid),
        );
    }
}

/// The key fields of the monolith's entities: its `@key`s, and `keys` in
/// ferry.toml for entities its SDL does not mark.
struct MonolithKeys<'a> {
    monolith: &'a LoadedSchema,
    configured: &'a BTreeMap<String, String>,
    /// Each type's `@key`s, read once per type.
    keys_of: FxHashMap<String, Vec<Vec<String>>>,
}

impl<'a> MonolithKeys<'a> {
    fn new(workspace: &'a Workspace, monolith: &'a LoadedSchema) -> Self {
        MonolithKeys {
            monolith,
            configured: &workspace.python.keys,
            keys_of: FxHashMap::default(),
        }
    }

    fn contains(&mut self, coordinate: &FieldCoordinate) -> bool {
        let type_name = coordinate.type_name.as_str();
        let field = coordinate.field_name.as_str();
        if !self.keys_of.contains_key(type_name) {
            let keys = key_fields(self.monolith, type_name);
            self.keys_of.insert(type_name.to_string(), keys);
        }
        self.keys_of[type_name].iter().flatten().any(|k| k == field)
            || self
                .configured
                .get(type_name)
                .is_some_and(|key| top_level_names(key).iter().any(|k| k == field))
    }
}

fn decide_stage(
    record: &mut FieldRecord,
    monolith_keys: &mut MonolithKeys,
    done: &HashSet<(&str, &str)>,
    anomalies: &mut Vec<Anomaly>,
) {
    let claims: Vec<&ServiceDefinition> =
        record.definitions.iter().filter(|d| d.claims()).collect();
    let Some(claim) = claims.first() else {
        let key = record.definitions.iter().any(|d| d.key_field)
            || monolith_keys.contains(&record.coordinate);
        record.stage = match (&record.monolith, key) {
            (Some(_), true) => Stage::Key,
            (Some(_), false) => Stage::Python,
            (None, _) => Stage::Go,
        };
        return;
    };
    let field = record.coordinate.clone();
    if claims.len() > 1 {
        anomalies.push(Anomaly::ClaimedTwice {
            field: field.clone(),
            claims: claims.iter().map(|c| (*c).clone()).collect(),
        });
    }
    record.service = Some(claim.service.clone());
    let Some(directive) = &claim.directive else {
        // Once the monolith's SDL drops a finished field, the ledger still
        // knows it was moved.
        let moved = record.monolith.is_some()
            || done.contains(&(field.to_string().as_str(), claim.service.as_str()));
        record.stage = if moved { Stage::Done } else { Stage::Go };
        return;
    };
    let site = claim.site.clone();
    let reading = directive.read();
    record.stage = match reading.state {
        StateReading::Stage(stage) => stage,
        StateReading::Unknown(state) => {
            anomalies.push(Anomaly::UnknownState {
                field: field.clone(),
                state,
                site: site.clone(),
            });
            Stage::Unknown
        }
        StateReading::Missing => {
            anomalies.push(Anomaly::MissingState {
                field: field.clone(),
                site: site.clone(),
            });
            Stage::Unknown
        }
    };
    if !reading.has_from {
        anomalies.push(Anomaly::MissingFrom {
            field: field.clone(),
            site: site.clone(),
        });
    }
    record.label = reading.label;
    match reading.group {
        Some(CanaryGroup::Color(color)) => record.color = Some(color),
        Some(CanaryGroup::Percent(percent)) => record.percent = Some(percent),
        None => {}
    }
    let group = record
        .color
        .clone()
        .or_else(|| record.percent.as_ref().map(Percent::label));
    if let Some(color) = group
        && record.stage != Stage::Canary
    {
        anomalies.push(Anomaly::ColorWithoutCanary {
            field: field.clone(),
            color,
            stage: record.stage,
            site: site.clone(),
        });
    }
    if record.monolith.is_none() {
        anomalies.push(Anomaly::MigrateNotInMonolith { field, site });
    }
}
