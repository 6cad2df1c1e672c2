//! What the inventory is joined from, kept between reloads: the monolith's
//! records (its Python attached) and each service's definitions. An edit
//! writes the Go services' schemas and the ledger, never the monolith's
//! SDL: the reload after it builds the definitions of the services it
//! wrote again and joins them to the records kept, rather than making a
//! record of every field of the monolith again.

use super::ServiceDefinition;
use super::build::{self, MonolithDraft, Owns, SdlKeys};
use super::{Anomaly, FieldCoordinate, FieldKind, FieldRecord, Inventory, PythonLink};
use crate::model::ledger::Ledger;
use crate::model::python_code::PythonCode;
use crate::python::PythonIndex;
use crate::schema::loaded::{Invalidity, LoadedSchema, ParsedFile};
use crate::workspace::{Service, Workspace};
use apollo_compiler::{Node, ast};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

/// The monolith's fields before any service is joined: sorted by
/// coordinate, each at the stage it has while no service claims it.
#[derive(Debug)]
pub struct MonolithRecords {
    pub(super) records: Vec<FieldRecord>,
    /// `MonolithInvalid`: the inventory's first anomalies.
    pub(super) invalid: Vec<Anomaly>,
    /// What joining the Python found (`SdlStale`, unreadable files, …):
    /// the inventory's last anomalies.
    pub(super) python_anomalies: Vec<Anomaly>,
    pub(super) python_code: Arc<PythonCode>,
    pub(super) sdl_keys: SdlKeys,
    pub(super) owns: Owns,
    /// What the records were made from besides the monolith's files.
    made_from: MonolithSettings,
}

/// The settings the monolith's records depend on.
#[derive(Debug, Clone)]
struct MonolithSettings {
    /// `[python] keys`.
    keys: BTreeMap<String, String>,
    /// Each service's `owns`, in the workspace's order.
    owns: Vec<(String, Vec<String>)>,
    /// Compared by identity: a reload keeps the very index it scanned
    /// while no scanned file changed.
    python: Option<Arc<PythonIndex>>,
}

impl MonolithSettings {
    fn of(workspace: &Workspace, python: Option<&Arc<PythonIndex>>) -> MonolithSettings {
        MonolithSettings {
            keys: workspace.python.keys.clone(),
            owns: workspace
                .services
                .iter()
                .map(|s| (s.name.clone(), s.owns.clone()))
                .collect(),
            python: python.cloned(),
        }
    }

    fn holds_for(&self, now: &MonolithSettings) -> bool {
        self.keys == now.keys
            && self.owns == now.owns
            && match (&self.python, &now.python) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

impl MonolithRecords {
    /// The records of `monolith`'s fields, without their Python.
    pub fn build(workspace: &Workspace, monolith: &LoadedSchema) -> MonolithRecords {
        build::monolith_records(workspace, monolith, None)
    }

    /// What the monolith's files alone give its records, to be made while
    /// its schema builds and finished by [`MonolithRecords::build_from`].
    pub fn draft(files: &[ParsedFile]) -> MonolithDraft {
        build::monolith_draft(files)
    }

    /// [`MonolithRecords::build`] from the draft of the same files.
    pub fn build_from(
        workspace: &Workspace,
        monolith: &LoadedSchema,
        draft: MonolithDraft,
    ) -> MonolithRecords {
        build::monolith_records(workspace, monolith, Some(draft))
    }

    pub(super) fn new(
        workspace: &Workspace,
        records: Vec<FieldRecord>,
        invalid: Vec<Anomaly>,
        sdl_keys: SdlKeys,
        owns: Owns,
    ) -> MonolithRecords {
        MonolithRecords {
            records,
            invalid,
            python_anomalies: Vec::new(),
            python_code: Default::default(),
            sdl_keys,
            owns,
            made_from: MonolithSettings::of(workspace, None),
        }
    }

    /// Whether these records, made from a monolith whose files still hold
    /// the same text, are what `workspace` and `python` would make again.
    pub fn hold_for(&self, workspace: &Workspace, python: &Arc<PythonIndex>) -> bool {
        self.made_from
            .holds_for(&MonolithSettings::of(workspace, Some(python)))
    }

    /// Joins the Python resolver index: each field gains its resolver;
    /// what the code declares that the SDL lacks is an anomaly.
    pub fn attach_python(&mut self, index: &Arc<PythonIndex>) {
        use crate::python::FieldResolution;
        self.made_from.python = Some(Arc::clone(index));
        self.python_code = Arc::new(PythonCode::from_index(index));
        let anomalies = &mut self.python_anomalies;
        anomalies.clear();
        // The records and the index are both sorted by (type, field): one
        // pass over both gives each record its resolver, and leaves the
        // index's fields the SDL lacks.
        let mut entries = index.fields.iter().peekable();
        let mut not_in_sdl = Vec::new();
        if !index.fields.is_empty() {
            for record in &mut self.records {
                let c = &record.coordinate;
                let key = (c.type_name.as_str(), c.field_name.as_str());
                while let Some(((type_name, field_name), _)) = entries.peek()
                    && (type_name.as_str(), field_name.as_str()) < key
                {
                    not_in_sdl.extend(entries.next());
                }
                let found = entries
                    .next_if(|((type_name, field_name), _)| {
                        (type_name.as_str(), field_name.as_str()) == key
                    })
                    .map(|(_, resolution)| resolution);
                record.facts_mut().python = match found {
                    Some(FieldResolution::Function(resolver)) => PythonLink::Resolver {
                        function: resolver.function.clone(),
                        logic: resolver.logic.clone(),
                    },
                    Some(FieldResolution::Default) => PythonLink::Default,
                    None => PythonLink::Unknown,
                };
            }
        }
        not_in_sdl.extend(entries);
        let records = &self.records;
        // Without an index (no Python, or none scanned) there is nothing
        // the SDL could lack.
        let types_in_sdl: HashSet<&str> = if not_in_sdl.is_empty() {
            HashSet::new()
        } else {
            records
                .iter()
                .map(|r| r.coordinate.type_name.as_str())
                .collect()
        };
        for ((type_name, field_name), resolution) in not_in_sdl {
            // Federation's own fields are left out of exported subgraph SDL.
            if !types_in_sdl.contains(type_name.as_str())
                || crate::python::is_federation_field(type_name, field_name)
            {
                continue;
            }
            let python = match resolution {
                FieldResolution::Function(resolver) => Some(resolver.function.clone()),
                FieldResolution::Default => None,
            };
            anomalies.push(Anomaly::SdlStale {
                field: FieldCoordinate::new(type_name.as_str(), field_name.as_str()),
                python,
            });
        }
        for problem in &index.problems {
            let (file, line, message) = (
                problem.file.clone(),
                problem.line as usize,
                problem.message.clone(),
            );
            anomalies.push(match problem.kind {
                crate::python::PythonProblemKind::UntracedSchema => Anomaly::PythonUntracedSchema {
                    file,
                    line,
                    message,
                },
                crate::python::PythonProblemKind::SyntaxError => Anomaly::PythonSyntaxError {
                    file,
                    line,
                    message,
                },
                crate::python::PythonProblemKind::AmbiguousType => Anomaly::PythonAmbiguousType {
                    file,
                    line,
                    message,
                },
            });
        }
        for (file, reason) in &index.failed_files {
            anomalies.push(Anomaly::PythonUnreadable {
                file: file.clone(),
                reason: reason.clone(),
                scanned: false,
            });
        }
        for (file, reason) in &index.undecodable_files {
            anomalies.push(Anomaly::PythonUnreadable {
                file: file.clone(),
                reason: reason.clone(),
                scanned: true,
            });
        }
    }

    /// The monolith's validation errors, found after the records were
    /// made (the validation runs beside the join): after the build's own.
    fn add_invalid(&mut self, invalid: &[Invalidity]) {
        self.invalid
            .extend(invalid.iter().cloned().map(Anomaly::MonolithInvalid));
    }

    /// A copy to join, made on every core: the records are most of the
    /// inventory.
    fn copy(&self) -> MonolithRecords {
        MonolithRecords {
            records: self.records.par_iter().cloned().collect(),
            invalid: self.invalid.clone(),
            python_anomalies: self.python_anomalies.clone(),
            python_code: Arc::clone(&self.python_code),
            sdl_keys: self.sdl_keys.clone(),
            owns: self.owns.clone(),
            made_from: self.made_from.clone(),
        }
    }
}

/// One field definition of a service, before it is joined.
#[derive(Debug, Clone)]
pub(super) struct ServiceField {
    pub(super) type_name: String,
    /// Its node in the service's AST: makes the field's record when the
    /// monolith has none.
    pub(super) field: Node<ast::FieldDefinition>,
    /// Its kind in the service (its root types).
    pub(super) kind: FieldKind,
    pub(super) definition: ServiceDefinition,
}

/// Every field definition of one service, in the order of its files.
#[derive(Debug, Clone)]
pub struct ServiceRecords {
    fields: Vec<ServiceField>,
    /// `DirectiveUndeclared`, when it uses `@migrate` without declaring it.
    undeclared: Option<Anomaly>,
    /// What they were read with besides the service's files: its name
    /// and the monolith's subgraph name (`@override(from:)`).
    made_from: (String, String),
}

impl ServiceRecords {
    pub fn build(
        workspace: &Workspace,
        service: &Service,
        loaded: &LoadedSchema,
    ) -> ServiceRecords {
        build::service_records(workspace, service, loaded)
    }

    pub(super) fn new(
        workspace: &Workspace,
        service: &Service,
        fields: Vec<ServiceField>,
        undeclared: Option<Anomaly>,
    ) -> ServiceRecords {
        ServiceRecords {
            fields,
            undeclared,
            made_from: (service.name.clone(), workspace.python.subgraph.clone()),
        }
    }

    /// Whether these definitions, read from files that still hold the
    /// same text, are what `service` in `workspace` would read again.
    pub fn hold_for(&self, workspace: &Workspace, service: &Service) -> bool {
        self.made_from.0 == service.name && self.made_from.1 == workspace.python.subgraph
    }

    pub(super) fn into_parts(self) -> (Vec<ServiceField>, Option<Anomaly>) {
        (self.fields, self.undeclared)
    }
}

/// What an inventory was joined from, kept so that the next reload joins
/// again only what changed.
#[derive(Clone)]
pub struct InventoryParts {
    pub monolith: Arc<MonolithRecords>,
    /// In the workspace's order of services.
    pub services: Vec<Arc<ServiceRecords>>,
}

impl fmt::Debug for InventoryParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "InventoryParts {{ {} monolith records, {} services }}",
            self.monolith.records.len(),
            self.services.len()
        )
    }
}

impl InventoryParts {
    /// The inventory these parts make, leaving them as they are.
    pub fn join(&self, workspace: &Workspace, ledger: &Ledger) -> Inventory {
        let services = self.services.iter().map(|s| (**s).clone()).collect();
        build::join(workspace, self.monolith.copy(), services, ledger)
    }

    /// The inventory these parts make, taking them apart (nothing is
    /// copied that no one else holds).
    pub fn into_inventory(self, workspace: &Workspace, ledger: &Ledger) -> Inventory {
        let base = Arc::try_unwrap(self.monolith).unwrap_or_else(|shared| shared.copy());
        let services = self
            .services
            .into_iter()
            .map(Arc::unwrap_or_clone)
            .collect();
        build::join(workspace, base, services, ledger)
    }

    /// [`Inventory::add_monolith_invalid`] for the kept records, so that a
    /// reload that keeps them keeps the validation's findings too.
    pub fn add_monolith_invalid(&mut self, invalid: &[Invalidity]) {
        if invalid.is_empty() {
            return;
        }
        if Arc::get_mut(&mut self.monolith).is_none() {
            self.monolith = Arc::new(self.monolith.copy());
        }
        Arc::get_mut(&mut self.monolith)
            .expect("the records were just made or copied")
            .add_invalid(invalid);
    }

    /// Whether both hold the very same monolith records (a reload kept them).
    pub fn share_monolith_records(&self, other: &InventoryParts) -> bool {
        Arc::ptr_eq(&self.monolith, &other.monolith)
    }

    /// Whether both hold the very same definitions of the service at
    /// `index` in the workspace's order.
    pub fn share_service_records(&self, other: &InventoryParts, index: usize) -> bool {
        match (self.services.get(index), other.services.get(index)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Inventory {
    /// Every field of the monolith and of every service joined by
    /// `Type.field` into one record, and each record's stage; no Python.
    pub fn build(
        workspace: &Workspace,
        monolith: &LoadedSchema,
        services: &[(Service, LoadedSchema)],
        ledger: &Ledger,
    ) -> Inventory {
        let base = MonolithRecords::build(workspace, monolith);
        let services = services
            .iter()
            .map(|(service, loaded)| ServiceRecords::build(workspace, service, loaded))
            .collect();
        build::join(workspace, base, services, ledger)
    }
}
