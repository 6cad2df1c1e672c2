//! How the inventory is made: the monolith's records, each service's
//! definitions, and the join of both by `Type.field` into one record per
//! field with its stage.

use super::order::coordinate_order;
use super::parts::{MonolithRecords, ServiceField, ServiceRecords};
use super::{
    Anomaly, FieldCoordinate, FieldFacts, FieldKind, FieldRecord, Inventory, PythonLink,
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
use apollo_compiler::{Node, ast};
use globset::GlobSet;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
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
fn field_site(file: &ParsedFile, field: &Node<ast::FieldDefinition>) -> SchemaSite {
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

/// A field's record with only what its definition says (and where the
/// monolith defines it): no stage yet, no service, no code.
pub(super) fn blank_record(
    coordinate: FieldCoordinate,
    kind: FieldKind,
    monolith: Option<SchemaSite>,
) -> FieldRecord {
    FieldRecord::new(FieldFacts {
        coordinate,
        kind,
        monolith,
        python: PythonLink::Unknown,
    })
}

/// `records` sorted by coordinate. A record is a few hundred bytes:
/// indexes are sorted, then each record moved once, to its place.
fn sorted(mut records: Vec<FieldRecord>) -> Vec<FieldRecord> {
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

/// The monolith's records as its files alone give them, sorted by
/// coordinate, each with its site: made while the schema builds. A
/// field's kind is `Interface` or `Object` until the built schema says
/// which types are the roots ([`monolith_records`]).
pub struct MonolithDraft(Vec<FieldRecord>);

pub(super) fn monolith_draft(files: &[ParsedFile]) -> MonolithDraft {
    // Every definition, in coordinate order, each field's definitions in
    // file order. Ordering these small entries rather than the records
    // (a few hundred bytes each) lets each record be made in its place,
    // on every core.
    let in_files: Vec<(&ParsedFile, &str, bool, &Node<ast::FieldDefinition>)> = files
        .iter()
        .flat_map(|file| {
            field_definitions(&file.doc)
                .map(move |(type_name, interface, field)| (file, type_name, interface, field))
        })
        .collect();
    let keys: Vec<(&str, &str)> = in_files
        .iter()
        .map(|&(_, type_name, _, field)| (type_name, field.name.as_str()))
        .collect();
    let definitions: Vec<_> = coordinate_order(&keys)
        .into_iter()
        .map(|at| in_files[at])
        .collect();
    // A type and its extension may both define a field: the first
    // definition makes the record, the last gives its site.
    // (Neighbours of one type differ in the field's name, compared first.)
    let fields: Vec<_> = definitions
        .chunk_by(|a, b| a.3.name == b.3.name && a.1 == b.1)
        .collect();
    MonolithDraft(
        fields
            .par_iter()
            .map(|definitions| {
                let (_, type_name, interface, field) = definitions[0];
                let (last_file, _, _, last_field) = definitions[definitions.len() - 1];
                let coordinate = FieldCoordinate::new(type_name, field.name.as_str());
                let kind = if interface {
                    FieldKind::Interface
                } else {
                    FieldKind::Object
                };
                let site = field_site(last_file, last_field);
                blank_record(coordinate, kind, Some(site))
            })
            .collect(),
    )
}

/// The monolith's fields, one record each, sorted by coordinate, each at
/// the stage it has while no service claims it and planned for the first
/// service whose `owns` matches it. No Python yet (`attach_python`).
/// Finished from the draft of the same files, or from one made here.
pub(super) fn monolith_records(
    workspace: &Workspace,
    monolith: &LoadedSchema,
    draft: Option<MonolithDraft>,
) -> MonolithRecords {
    let MonolithDraft(mut records) = draft.unwrap_or_else(|| monolith_draft(&monolith.files));
    let invalid: Vec<Anomaly> = monolith
        .invalid
        .iter()
        .cloned()
        .map(Anomaly::MonolithInvalid)
        .collect();
    // The root types' fields, one run of the sorted records each, take
    // their kind from the schema.
    for (root, kind) in root_kinds(monolith) {
        let start = records.partition_point(|r| r.coordinate.type_name < root);
        for record in records[start..]
            .iter_mut()
            .take_while(|r| r.coordinate.type_name == root)
        {
            // As `kind_of` says: an interface's fields stay an interface's.
            if record.kind != FieldKind::Interface {
                record.facts_mut().kind = kind;
            }
        }
    }
    monolith_records_from(workspace, records, invalid, SdlKeys::of(monolith))
}

/// The monolith's records made from what its SDL gave (sorted by
/// coordinate), each at the stage it has while no service claims it and
/// planned for the first service whose `owns` matches it.
pub(super) fn monolith_records_from(
    workspace: &Workspace,
    mut records: Vec<FieldRecord>,
    invalid: Vec<Anomaly>,
    sdl_keys: SdlKeys,
) -> MonolithRecords {
    let owns = Owns::new(workspace);
    let monolith_keys = MonolithKeys::new(workspace, &sdl_keys);
    records
        .par_iter_mut()
        .for_each_init(String::new, |name, record| {
            record.stage = if monolith_keys.contains(&record.coordinate) {
                Stage::Key
            } else {
                Stage::Python
            };
            record.planned_for = owns.planned_for(&record.coordinate, name);
        });
    MonolithRecords::new(workspace, records, invalid, sdl_keys, owns)
}

fn kind_of(roots: &BTreeMap<String, FieldKind>, type_name: &str, interface: bool) -> FieldKind {
    if interface {
        FieldKind::Interface
    } else {
        roots.get(type_name).copied().unwrap_or(FieldKind::Object)
    }
}

/// Every field definition of one service, in the order of its files, and
/// whether it uses `@migrate` without declaring it.
pub(super) fn service_records(
    workspace: &Workspace,
    service: &Service,
    loaded: &LoadedSchema,
) -> ServiceRecords {
    let subgraph = &workspace.python.subgraph;
    let roots = root_kinds(loaded);
    let external = loaded.federation.directive("external").to_string();
    let override_name = loaded.federation.directive("override").to_string();
    let mut uses_migrate = None;
    // A type's keys, looked up once per type rather than per field.
    let mut keys_of: FxHashMap<&str, Vec<Vec<String>>> = FxHashMap::default();
    let mut fields = Vec::new();
    for file in &loaded.files {
        for (type_name, interface, field) in field_definitions(&file.doc) {
            let keys = keys_of
                .entry(type_name)
                .or_insert_with(|| key_fields(loaded, type_name));
            let directive = StageDirective::find(field, &override_name, subgraph);
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
            fields.push(ServiceField {
                type_name: type_name.to_string(),
                field: field.clone(),
                kind: kind_of(&roots, type_name, interface),
                definition,
            });
        }
    }
    let undeclared = match (uses_migrate, loaded.declares_migrate) {
        (Some(first_use), false) => Some(Anomaly::DirectiveUndeclared {
            service: service.name.clone(),
            first_use,
        }),
        _ => None,
    };
    ServiceRecords::new(workspace, service, fields, undeclared)
}

/// Records whose stages are decided together on one core.
const RECORDS_PER_CHUNK: usize = 4096;

/// The services' definitions joined to the monolith's records by
/// `Type.field` (a field no record has gets one of its own), and each
/// record's stage decided: the inventory.
pub(super) fn join(
    workspace: &Workspace,
    base: MonolithRecords,
    services: Vec<ServiceRecords>,
    ledger: &Ledger,
) -> Inventory {
    let MonolithRecords {
        mut records,
        invalid: mut anomalies,
        python_anomalies,
        python_code,
        sdl_keys,
        owns,
        ..
    } = base;
    // Fields only services define, in the order first seen.
    let mut extra: Vec<FieldRecord> = Vec::new();
    let mut extra_at: FxHashMap<(String, String), usize> = FxHashMap::default();
    for service in services {
        let (fields, undeclared) = service.into_parts();
        // Each field's record looked up on every core, then joined in order.
        let found: Vec<Result<usize, usize>> = fields
            .par_iter()
            .map(|f| {
                records.binary_search_by(|r| {
                    let c = &r.coordinate;
                    (c.type_name.as_str(), c.field_name.as_str())
                        .cmp(&(f.type_name.as_str(), f.field.name.as_str()))
                })
            })
            .collect();
        for (
            ServiceField {
                type_name,
                field,
                kind,
                definition,
            },
            found,
        ) in fields.into_iter().zip(found)
        {
            let record = match found {
                Ok(at) => &mut records[at],
                Err(_) => {
                    let key = (type_name, field.name.to_string());
                    let at = *extra_at.entry(key).or_insert_with_key(|(type_name, _)| {
                        let coordinate =
                            FieldCoordinate::new(type_name.as_str(), field.name.as_str());
                        extra.push(blank_record(coordinate, kind, None));
                        extra.len() - 1
                    });
                    &mut extra[at]
                }
            };
            record.definitions.push(definition);
        }
        anomalies.extend(undeclared);
    }
    drop(extra_at);
    let mut records = merged(records, sorted(extra));

    let monolith_keys = MonolithKeys::new(workspace, &sdl_keys);
    let done = ledger.done();
    // A record no service defines keeps the stage its monolith record has.
    // In chunks on every core; the anomalies keep the records' order.
    let decided: Vec<Vec<Anomaly>> = records
        .par_chunks_mut(RECORDS_PER_CHUNK)
        .map(|chunk| {
            let (mut found, mut name) = (Vec::new(), String::new());
            for record in chunk.iter_mut().filter(|r| !r.definitions.is_empty()) {
                decide_stage(record, &monolith_keys, &done, &mut found);
                if record.service.is_some() {
                    record.planned_for = None;
                } else if record.monolith.is_none() {
                    record.planned_for = owns.planned_for(&record.coordinate, &mut name);
                }
            }
            found
        })
        .collect();
    anomalies.extend(decided.into_iter().flatten());
    anomalies.extend(python_anomalies);

    let fields = records;
    // The monolith's keys (a map of every keyed type) are freed beside
    // the services' progress, which reads every record.
    let ((), services) = rayon::join(
        move || drop(sdl_keys),
        || {
            workspace
                .services
                .par_iter()
                .map(|service| crate::model::progress::progress(service, &fields))
                .collect()
        },
    );
    Inventory {
        fields,
        services,
        anomalies,
        python_code,
    }
}

/// Two runs of records sorted by coordinate, none in both, as one.
fn merged(a: Vec<FieldRecord>, b: Vec<FieldRecord>) -> Vec<FieldRecord> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        let next = if x.coordinate < y.coordinate {
            a.next()
        } else {
            b.next()
        };
        out.extend(next);
    }
    out.extend(a);
    out.extend(b);
    out
}

/// The services' planned scopes (`owns`), each compiled once.
#[derive(Debug, Clone)]
pub(super) struct Owns(Vec<(String, GlobSet)>);

impl Owns {
    fn new(workspace: &Workspace) -> Owns {
        Owns(
            workspace
                .services
                .iter()
                .filter(|s| !s.owns.is_empty())
                .map(|s| {
                    let set = glob_set(&s.owns).unwrap_or_else(|_| GlobSet::empty());
                    (s.name.clone(), set)
                })
                .collect(),
        )
    }

    /// The first service whose `owns` matches `coordinate`; `name` is
    /// scratch space for its text.
    fn planned_for(&self, coordinate: &FieldCoordinate, name: &mut String) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        name.clear();
        write!(name, "{coordinate}").expect("a String takes any text");
        self.0
            .iter()
            .find(|(_, set)| set.is_match(name.as_str()))
            .map(|(service, _)| service.clone())
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

/// The `@key`s of each of the monolith's types that has any, read once
/// from its schema: the records and the join need nothing else of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct SdlKeys(pub(super) FxHashMap<String, Vec<Vec<String>>>);

impl SdlKeys {
    /// Read on every core: a monolith has thousands of types.
    fn of(monolith: &LoadedSchema) -> SdlKeys {
        let names: Vec<_> = monolith.schema.types.keys().collect();
        SdlKeys(
            names
                .par_iter()
                .filter_map(|name| {
                    let keys = key_fields(monolith, name);
                    (!keys.is_empty()).then(|| (name.to_string(), keys))
                })
                .collect(),
        )
    }
}

/// The key fields of the monolith's entities: its `@key`s, and `keys` in
/// ferry.toml for entities its SDL does not mark.
struct MonolithKeys<'a> {
    sdl: &'a SdlKeys,
    configured: &'a BTreeMap<String, String>,
}

impl<'a> MonolithKeys<'a> {
    fn new(workspace: &'a Workspace, sdl: &'a SdlKeys) -> Self {
        MonolithKeys {
            sdl,
            configured: &workspace.python.keys,
        }
    }

    fn contains(&self, coordinate: &FieldCoordinate) -> bool {
        let type_name = coordinate.type_name.as_str();
        let field = coordinate.field_name.as_str();
        self.sdl
            .0
            .get(type_name)
            .is_some_and(|keys| keys.iter().flatten().any(|k| k == field))
            || self
                .configured
                .get(type_name)
                .is_some_and(|key| top_level_names(key).iter().any(|k| k == field))
    }
}

fn decide_stage(
    record: &mut FieldRecord,
    monolith_keys: &MonolithKeys,
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
