//! The inventory: every field of the monolith and of every service, joined
//! by `Type.field`, with its stage and owner. Status, show, the edits and the
//! TUI all read this one model.

mod build;
mod order;
mod parts;
mod stored;

pub use build::MonolithDraft;
pub use parts::{InventoryParts, MonolithRecords, ServiceRecords};
pub use stored::{EncodedRecords, RecordStore};

use crate::model::dialect::{CanaryGroup, StageDirective};
use crate::model::stage::Stage;
use crate::schema::loaded::Invalidity;
use crate::workspace::percent::Percent;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldCoordinate {
    pub type_name: String,
    pub field_name: String,
}

impl FieldCoordinate {
    pub fn new(type_name: impl Into<String>, field_name: impl Into<String>) -> Self {
        FieldCoordinate {
            type_name: type_name.into(),
            field_name: field_name.into(),
        }
    }
}

impl fmt::Display for FieldCoordinate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.type_name, self.field_name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Object,
    Query,
    Mutation,
    Subscription,
    Interface,
}

impl FieldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Object => "object",
            FieldKind::Query => "query",
            FieldKind::Mutation => "mutation",
            FieldKind::Subscription => "subscription",
            FieldKind::Interface => "interface",
        }
    }

    pub fn is_root(self) -> bool {
        matches!(
            self,
            FieldKind::Query | FieldKind::Mutation | FieldKind::Subscription
        )
    }
}

/// Where a field is defined in one schema file.
#[derive(Debug, Clone)]
pub struct SchemaSite {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Byte range of the whole field definition (description included).
    pub span: Range<usize>,
}

/// A field's definition in one Go service's schema.
#[derive(Debug, Clone)]
pub struct ServiceDefinition {
    pub service: String,
    pub site: SchemaSite,
    pub external: bool,
    /// Named in the type's `@key` there: every subgraph resolves those.
    pub key_field: bool,
    /// The type has no `@key` in that service and is no root type: a value
    /// type every subgraph resolves for its own results.
    pub value_type: bool,
    /// `@migrate`, or `@override` from the monolith's subgraph.
    pub directive: Option<StageDirective>,
}

impl ServiceDefinition {
    /// Only a definition that is neither `@external` nor a key field claims
    /// the field for its service; on a value type only when it carries
    /// a stage directive.
    pub fn claims(&self) -> bool {
        !self.external && !self.key_field && (!self.value_type || self.directive.is_some())
    }
}

pub use crate::python::PythonFunction;

#[derive(Debug, Clone)]
pub enum PythonLink {
    /// No Python index was built (or the field is not in the monolith).
    Unknown,
    /// The library's default resolver (attribute access) serves it.
    Default,
    Resolver {
        function: PythonFunction,
        logic: Option<PythonFunction>,
    },
}

pub use crate::golang::GoStatus;

#[derive(Debug, Clone, Serialize)]
pub struct GoResolverRef {
    pub file: String,
    pub line: u32,
    pub status: GoStatus,
}

/// What a field's SDL and its Python say of it, before any service is
/// joined: the same in every inventory joined from the same monolith
/// records, so those inventories share it (a reload after an edit copies
/// a pointer per field, not its strings).
#[derive(Debug, Clone)]
pub struct FieldFacts {
    pub coordinate: FieldCoordinate,
    pub kind: FieldKind,
    pub monolith: Option<SchemaSite>,
    pub python: PythonLink,
}

/// One field of the inventory: its [`FieldFacts`] (read through the
/// record, `record.coordinate`) and what joining the services decided.
#[derive(Debug, Clone)]
pub struct FieldRecord {
    facts: Arc<FieldFacts>,
    pub stage: Stage,
    pub color: Option<String>,
    /// A canary's share of the traffic (`percent(N)`).
    pub percent: Option<Percent>,
    /// The `@override` label as written (`ferry:manual`, `percent(5)`, …).
    pub label: Option<String>,
    /// The service whose non-external definition claims it.
    pub service: Option<String>,
    /// For a field no service claims: the first service whose `owns`
    /// plans to take it over.
    pub planned_for: Option<String>,
    pub definitions: Vec<ServiceDefinition>,
    pub go: Option<GoResolverRef>,
}

impl std::ops::Deref for FieldRecord {
    type Target = FieldFacts;

    fn deref(&self) -> &FieldFacts {
        &self.facts
    }
}

impl FieldRecord {
    /// A record of `facts` at stage python, no service joined yet.
    pub(super) fn new(facts: FieldFacts) -> FieldRecord {
        FieldRecord {
            facts: Arc::new(facts),
            stage: Stage::Python,
            color: None,
            percent: None,
            label: None,
            service: None,
            planned_for: None,
            definitions: Vec::new(),
            go: None,
        }
    }

    /// The facts, to complete while the monolith's records are made
    /// (copied first if an inventory shares them already).
    pub(super) fn facts_mut(&mut self) -> &mut FieldFacts {
        Arc::make_mut(&mut self.facts)
    }

    /// The definition that claims the field (the owner's).
    pub fn claim(&self) -> Option<&ServiceDefinition> {
        self.definitions.iter().find(|d| d.claims())
    }

    /// A canary's color or percentage; `None` at every other stage.
    pub fn canary_group(&self) -> Option<CanaryGroup> {
        if self.stage != Stage::Canary {
            return None;
        }
        self.color
            .clone()
            .map(CanaryGroup::Color)
            .or_else(|| self.percent.clone().map(CanaryGroup::Percent))
    }
}

/// Something the inventory saw that does not fit together, with its data.
/// Facts only: `check` decides what each one means and what to do.
#[derive(Debug, Clone)]
pub enum Anomaly {
    /// The monolith's SDL does not validate; the inventory read it as it is.
    MonolithInvalid(Invalidity),
    /// A service uses `@migrate` (first at `first_use`) without declaring it.
    DirectiveUndeclared {
        service: String,
        first_use: SchemaSite,
    },
    /// Several services' definitions claim the field; the first decides its
    /// stage.
    ClaimedTwice {
        field: FieldCoordinate,
        claims: Vec<ServiceDefinition>,
    },
    /// `@migrate(state:)` names no stage; the field is at `Stage::Unknown`.
    UnknownState {
        field: FieldCoordinate,
        state: String,
        site: SchemaSite,
    },
    /// `@migrate` without `state` (a service's own definition of the
    /// directive may make it optional); the field is at `Stage::Unknown`.
    MissingState {
        field: FieldCoordinate,
        site: SchemaSite,
    },
    /// `@migrate` without `from`.
    MissingFrom {
        field: FieldCoordinate,
        site: SchemaSite,
    },
    /// `color` on a field that is not at canary.
    ColorWithoutCanary {
        field: FieldCoordinate,
        color: String,
        stage: Stage,
        site: SchemaSite,
    },
    /// `@migrate` on a field the monolith's SDL does not have.
    MigrateNotInMonolith {
        field: FieldCoordinate,
        site: SchemaSite,
    },
    /// The Python declares a field, on a type the monolith's SDL has, that
    /// the SDL lacks; `python` is its resolver when it has its own.
    SdlStale {
        field: FieldCoordinate,
        python: Option<PythonFunction>,
    },
    /// A Python file that could not be scanned at all.
    /// `scanned`: the file was read anyway (its bytes are not valid in
    /// its encoding, which Python refuses).
    PythonUnreadable {
        file: String,
        reason: String,
        scanned: bool,
    },
    /// A schema whose types (or ariadne bindables) the Python index could
    /// not follow: it counted every one in the scanned roots.
    PythonUntracedSchema {
        file: String,
        line: usize,
        message: String,
    },
    /// Several Python classes declare one GraphQL type: at an ignored one.
    PythonAmbiguousType {
        file: String,
        line: usize,
        message: String,
    },
    /// A syntax error in the Python of a field the index found.
    PythonSyntaxError {
        file: String,
        line: usize,
        message: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceProgress {
    pub name: String,
    pub by_stage: BTreeMap<Stage, usize>,
    /// Fields in the service's planned scope (`owns`) plus those it claims,
    /// Go-only fields excepted.
    pub planned: usize,
    /// Of those, how many Go serves (migrated or done).
    pub served_by_go: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub fields: Vec<FieldRecord>,
    pub services: Vec<ServiceProgress>,
    pub anomalies: Vec<Anomaly>,
    /// The code to delete of every field the Python declares (shared by
    /// the inventories of one Python index).
    pub python_code: std::sync::Arc<crate::model::python_code::PythonCode>,
}

impl Inventory {
    /// Joins the services' Go resolver indexes: each claimed field gains its
    /// gqlgen resolver method from its owner's package, by the names the
    /// owner's gqlgen configuration gives it.
    pub fn attach_go(
        &mut self,
        indexes: &BTreeMap<String, crate::golang::GoIndex>,
        names: &BTreeMap<String, crate::golang::resolver_names::ResolverNames>,
    ) {
        for record in &mut self.fields {
            let Some(service) = record.service.as_ref() else {
                continue;
            };
            let (Some(index), Some(names)) = (indexes.get(service), names.get(service)) else {
                continue;
            };
            let (receiver, method) =
                names.method(&record.coordinate.type_name, &record.coordinate.field_name);
            record.go = index
                .method(&receiver, &method)
                .map(|method| GoResolverRef {
                    file: method.file.clone(),
                    line: method.line,
                    status: method.status,
                });
        }
    }

    /// The `@override` labels in use, each with how many fields carry it.
    pub fn labels(&self) -> BTreeMap<String, usize> {
        let mut labels = BTreeMap::new();
        for label in self.fields.iter().filter_map(|f| f.label.as_ref()) {
            *labels.entry(label.clone()).or_insert(0) += 1;
        }
        labels
    }

    pub fn field(&self, coordinate: &FieldCoordinate) -> Option<&FieldRecord> {
        self.fields
            .binary_search_by(|f| f.coordinate.cmp(coordinate))
            .ok()
            .map(|i| &self.fields[i])
    }
}
