//! The plan of edits for one command: which fields move where, and the
//! exact text changes to the schema files and `gqlgen.yml` that do it.
//! Nothing is written here; a plan is all or nothing. One entry point,
//! [`plan`], translates every verb (the CLI's and the TUI's alike).

mod cleanup;
mod convert;
mod edited;
mod federation_form;
mod mark;
mod python_deletion;
mod step;
mod type_references;

pub use convert::plan_dialect;
pub use federation_form::DroppedDirective;
pub use python_deletion::{AddedPass, FileLine, PythonCleanup};

use crate::edit::change_set::ChangeSet;
use crate::edit::splice::{Splice, apply};
use crate::migration::gqlgen_text;
use crate::migration::refusal::Refusal;
use crate::migration::transition::{self, Allowed, CanaryStep};
use crate::model::dialect::CanaryGroup;
use crate::model::inventory::{FieldCoordinate, FieldRecord};
use crate::model::ledger::{GITATTRIBUTES_FILE, LedgerEntry, Scaffold, UNION_MERGE_LINE, now_utc};
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::schema::loaded::{LoadedSchema, ParsedFile, SchemaError};
use crate::schema::source::{SourceError, SourceFile};
use crate::workspace::Service;
use apollo_compiler::Node;
use apollo_compiler::ast;
use edited::{EditedFile, EditedFiles};
use serde::Serialize;
use std::collections::BTreeMap;

/// What was asked: a verb and the fields it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRequest {
    pub verb: Verb,
    pub fields: Vec<FieldCoordinate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// python → manual, or → canary (with the canary group: a color or a percentage).
    Mark {
        into: String,
        canary: bool,
        group: Option<CanaryGroup>,
    },
    /// The default edge, or `to`; `group` is the canary's when it goes to
    /// canary (from canary: another percentage or color).
    Advance {
        to: Option<Stage>,
        group: Option<CanaryGroup>,
    },
    Rollback,
    Finish,
}

impl Verb {
    /// The command as typed: `mark --canary`, `advance`, `canary` (advance
    /// --to canary), `rollback`, `finish`.
    pub fn name(&self) -> &'static str {
        match self {
            Verb::Mark { canary: false, .. } => "mark",
            Verb::Mark { canary: true, .. } => "mark --canary",
            Verb::Advance {
                to: Some(Stage::Canary),
                ..
            } => "canary",
            Verb::Advance { .. } => "advance",
            Verb::Rollback => "rollback",
            Verb::Finish => "finish",
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct EditOptions {
    pub force: bool,
    pub keep_going: bool,
    /// `finish --delete-python`: remove the finished fields' Python too.
    pub delete_python: bool,
}

/// Plans a request against the project as loaded.
pub fn plan(
    project: &Project,
    request: &EditRequest,
    options: EditOptions,
) -> Result<Plan, PlanError> {
    let fields = request
        .fields
        .iter()
        .map(|c| {
            project
                .inventory
                .field(c)
                .ok_or_else(|| PlanError::UnknownField(c.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    match &request.verb {
        Verb::Mark {
            into,
            canary,
            group,
        } => mark::plan_mark(project, &fields, into, *canary, group.as_ref(), options),
        Verb::Advance { to, group } => {
            let canary = CanaryStep {
                ladder: &project.workspace.override_settings.ladder,
                requested: group.as_ref(),
            };
            step::plan_step(project, &fields, options, group.as_ref(), |f| {
                transition::advance(project, f, *to, options.force, canary)
            })
        }
        Verb::Rollback => step::plan_step(project, &fields, options, None, |f| {
            transition::rollback(f, &project.workspace.override_settings.ladder)
        }),
        Verb::Finish => {
            // With --delete-python, a field finished before is there for its
            // Python alone.
            let (done, moving): (Vec<&FieldRecord>, Vec<&FieldRecord>) = fields
                .iter()
                .partition(|f| options.delete_python && f.stage == Stage::Done);
            step::plan_step(project, &moving, options, None, transition::finish).and_then(
                |mut plan| {
                    plan.unchanged
                        .extend(done.iter().map(|f| f.coordinate.to_string()));
                    python_deletion::plan_python(project, &mut plan, &done, options.delete_python)?;
                    Ok(plan)
                },
            )
        }
    }
    .and_then(|mut plan| {
        record_in_ledger(project, &mut plan)?;
        Ok(plan)
    })
}

/// Appends the plan's moves to the ledger, in the same change set as the
/// schema edits; the first entry also gives the ledger its union merge in
/// `.gitattributes`.
fn record_in_ledger(project: &Project, plan: &mut Plan) -> Result<(), PlanError> {
    if plan.moves.is_empty() || plan.changes.is_empty() {
        return Ok(());
    }
    let time = now_utc();
    let entries: Vec<LedgerEntry> = plan
        .moves
        .iter()
        .map(|m| LedgerEntry {
            time: time.clone(),
            field: m.field.clone(),
            service: m.service.clone(),
            from: m.from,
            to: m.to,
            scaffold: plan.scaffolds.get(&m.service).cloned().unwrap_or_default(),
        })
        .collect();
    let ledger = &project.ledger;
    plan.changes.record(
        &ledger.path,
        ledger.text.as_deref(),
        Some(ledger.appended(&entries)),
    );
    if ledger.text.is_none() {
        let path = project
            .workspace
            .path(project.workspace.root.join(GITATTRIBUTES_FILE));
        let before = match std::fs::read_to_string(&path.abs) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(PlanError::Source(SourceError::Read {
                    path: path.rel,
                    source,
                }));
            }
        };
        let text = before.clone().unwrap_or_default();
        if !text.lines().any(|l| l.trim() == UNION_MERGE_LINE) {
            let separator = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            let after = format!("{text}{separator}{UNION_MERGE_LINE}\n");
            plan.changes.record(&path, before.as_deref(), Some(after));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct Move {
    pub field: String,
    pub from: Stage,
    pub to: Stage,
    /// A canary's group before and after (`blue`, `5%`): the move between
    /// two canary groups is what changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_group: Option<String>,
    pub service: String,
    pub file: String,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub changes: ChangeSet,
    pub moves: Vec<Move>,
    /// Selected fields already where the command would put them.
    pub unchanged: Vec<String>,
    /// Selected key fields: shared, they come with their entity.
    pub shared_keys: Vec<String>,
    /// Directives of the monolith's text the target cannot declare, left out.
    pub dropped: Vec<DroppedDirective>,
    /// What `mark` or `ferry dialect` added to each service around its
    /// fields, by service name (each move's ledger line carries its
    /// service's, so the way back restores each service as it was).
    pub scaffolds: BTreeMap<String, Scaffold>,
    /// Refused fields skipped under `--keep-going`.
    pub refused: Vec<Refusal>,
    /// Guards `--force` overrode.
    pub forced: Vec<Refusal>,
    /// `finish`: the Python the finished fields no longer need.
    pub python: PythonCleanup,
    /// Each edited service's schema as validated from the text the plan
    /// writes: the reload after the write takes it instead of parsing
    /// the files again ([`KnownWrites`](crate::model::project::KnownWrites)).
    pub validated: Vec<LoadedSchema>,
}

impl Plan {
    /// What this plan adds to `service` around its fields.
    fn scaffold_mut(&mut self, service: &str) -> &mut Scaffold {
        self.scaffolds.entry(service.to_string()).or_default()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("nothing was written; {} refused:\n{}", count(.0.len()), list(.0))]
    Refused(Vec<Refusal>),
    #[error("no field `{0}` in the workspace (any more); nothing was written")]
    UnknownField(String),
    #[error("unknown service `{name}`; the workspace has: {}", .known.join(", "))]
    UnknownService { name: String, known: Vec<String> },
    #[error("the edit would leave service `{service}` invalid, so nothing was written:\n{error}")]
    Invalid { service: String, error: SchemaError },
    #[error("{file}:{line}:1: {message}; nothing was written")]
    Python {
        file: String,
        line: u32,
        message: String,
    },
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{0}")]
    Internal(String),
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 field was".into()
    } else {
        format!("{n} fields were")
    }
}

fn list(refusals: &[Refusal]) -> String {
    refusals
        .iter()
        .map(|r| format!("  {}: {}", r.field, r.reason.with_force_hint()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The edits of one service, as splices against the files as read.
struct ServiceEdit<'p> {
    service: &'p Service,
    loaded: &'p LoadedSchema,
    /// Files `mark` creates (a `new_fields` file that does not exist yet).
    created: Vec<ParsedFile>,
    splices: BTreeMap<String, Vec<Splice>>,
    gqlgen: Option<GqlgenEdit>,
    cleanup: bool,
    /// For rollback's cleanup: what the `mark`s of the fields it removes
    /// added around them, as the ledger recorded.
    scaffold: Scaffold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum GqlgenEdit {
    Add,
    Remove,
}

impl<'p> ServiceEdit<'p> {
    fn new(service: &'p Service, loaded: &'p LoadedSchema) -> Self {
        ServiceEdit {
            service,
            loaded,
            created: Vec::new(),
            splices: BTreeMap::new(),
            gqlgen: None,
            cleanup: false,
            scaffold: Scaffold::default(),
        }
    }

    fn file(&self, rel: &str) -> Option<&ParsedFile> {
        self.loaded
            .file(rel)
            .or_else(|| self.created.iter().find(|f| f.source.path.rel == rel))
    }

    fn target(&mut self) -> Result<&ParsedFile, PlanError> {
        let rel = self.service.new_fields.rel.clone();
        if self.file(&rel).is_none() {
            let source = SourceFile::read_or_new(self.service.new_fields.clone())?;
            let doc = parse_document(&source, &rel).map_err(|e| PlanError::Invalid {
                service: self.service.name.clone(),
                error: SchemaError::Invalid {
                    summary: format!("{rel}: cannot parse"),
                    report: e.errors.to_string(),
                },
            })?;
            self.created.push(ParsedFile { source, doc });
        }
        Ok(self.file(&rel).expect("just added"))
    }

    fn push(&mut self, rel: &str, splice: Splice) {
        self.splices
            .entry(rel.to_string())
            .or_default()
            .push(splice);
    }

    /// Applies the splices, runs rollback's cleanup, validates the service
    /// and records the result (the schema as validated in
    /// `plan.validated`); says whether it added gqlgen's entry.
    fn finish(
        self,
        monolith: &LoadedSchema,
        root: &std::path::Path,
        plan: &mut Plan,
    ) -> Result<bool, PlanError> {
        let mut texts = EditedFiles::new();
        for file in self.loaded.files.iter().chain(&self.created) {
            let splices = self
                .splices
                .get(&file.source.path.rel)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let text = apply(&file.source.text, splices)
                .map_err(|e| PlanError::Internal(e.to_string()))?;
            texts.insert(
                file.source.path.rel.clone(),
                EditedFile::new(file.clone(), text),
            );
        }
        let mut gqlgen = self.gqlgen;
        if self.cleanup {
            cleanup::remove_unused_types(
                &mut texts,
                monolith,
                &self.service.name,
                &self.loaded.federation,
            )?;
            if cleanup::remove_unused_migrate_definition(&mut texts)?
                && self.scaffold.gqlgen_skip_runtime
            {
                gqlgen = Some(GqlgenEdit::Remove);
            }
            cleanup::remove_unused_link_imports(&mut texts, &self.service.name, &self.scaffold)?;
        }
        // Validate the service as it would be written.
        let mut files = Vec::new();
        for edited in texts.values_mut() {
            let is_empty = edited.text.trim().is_empty();
            let file = &edited.original;
            if is_empty && (!file.source.exists || file.source.path == self.service.new_fields) {
                continue;
            }
            let parsed = edited.parsed().map_err(|error| PlanError::Invalid {
                service: self.service.name.clone(),
                error,
            })?;
            files.push(parsed.clone());
        }
        let validated = LoadedSchema::build(files).map_err(|error| PlanError::Invalid {
            service: self.service.name.clone(),
            error,
        })?;
        plan.validated.push(validated);
        let changes = &mut plan.changes;
        for edited in texts.values() {
            let (file, text) = (&edited.original, &edited.text);
            let before = file.source.exists.then_some(file.source.text.as_str());
            // Emptied: removed only when ferry created it (the ledger's
            // `mark` says so, or this machine's note); a file the user had,
            // even an empty one, stays.
            let created_by_ferry = || {
                !file.source.exists
                    || self.scaffold.created_file.as_deref() == Some(file.source.path.rel.as_str())
                    || crate::edit::created_files::was_created(root, &file.source.path.rel)
            };
            let after = if text.trim().is_empty()
                && file.source.path == self.service.new_fields
                && created_by_ferry()
            {
                None
            } else {
                Some(text.clone())
            };
            if before.map(str::to_string) != after {
                changes.record(&file.source.path, before, after);
            }
        }
        let mut added_gqlgen_entry = false;
        if let (Some(edit), Some(yml)) = (gqlgen, &self.service.gqlgen) {
            let text = std::fs::read_to_string(&yml.abs).map_err(|e| {
                PlanError::Source(SourceError::Read {
                    path: yml.rel.clone(),
                    source: e,
                })
            })?;
            let after = match edit {
                GqlgenEdit::Add => Some(
                    gqlgen_text::add_skip_runtime(&text)
                        .map_err(|e| PlanError::Internal(format!("{}: {e}", yml.rel)))?,
                ),
                GqlgenEdit::Remove => gqlgen_text::remove_skip_runtime(&text),
            };
            if let Some(after) = after.filter(|a| *a != text) {
                added_gqlgen_entry = edit == GqlgenEdit::Add;
                changes.record(yml, Some(&text), Some(after));
            }
        }
        Ok(added_gqlgen_entry)
    }
}

/// Parses a file's text; a file with no definition (nothing, or only
/// comments) is an empty document (the parser wants at least one).
fn parse_document(
    source: &SourceFile,
    rel: &str,
) -> Result<ast::Document, apollo_compiler::validation::WithErrors<ast::Document>> {
    if source.holds_no_definitions() {
        return Ok(ast::Document::new());
    }
    ast::Document::parse(source.parse_text(), rel)
}

/// Gathers refusals; fails the whole batch unless `--keep-going`.
struct Gate {
    options: EditOptions,
    refused: Vec<Refusal>,
    forced: Vec<Refusal>,
}

impl Gate {
    fn new(options: EditOptions) -> Gate {
        Gate {
            options,
            refused: Vec::new(),
            forced: Vec::new(),
        }
    }

    fn check(&mut self, result: Result<Allowed, Refusal>) -> Option<Allowed> {
        match result {
            Ok(mut allowed) => {
                self.forced.extend(std::mem::take(&mut allowed.forced));
                Some(allowed)
            }
            Err(refusal) => {
                self.refused.push(refusal);
                None
            }
        }
    }

    fn close(self, plan: &mut Plan) -> Result<(), PlanError> {
        if !self.refused.is_empty() && !self.options.keep_going {
            return Err(PlanError::Refused(self.refused));
        }
        plan.refused = self.refused;
        plan.forced = self.forced;
        Ok(())
    }
}

/// The first definition of `type_name.field_name` in the file. Only the
/// type's own blocks are looked into: `mark` asks once per field, and a
/// monolith holds tens of thousands.
fn find_field<'d>(
    file: &'d ParsedFile,
    type_name: &str,
    field_name: &str,
) -> Option<&'d Node<ast::FieldDefinition>> {
    file.doc
        .definitions
        .iter()
        .filter_map(|d| {
            let fields = match d {
                ast::Definition::ObjectTypeDefinition(d) if d.name == type_name => &d.fields,
                ast::Definition::ObjectTypeExtension(d) if d.name == type_name => &d.fields,
                ast::Definition::InterfaceTypeDefinition(d) if d.name == type_name => &d.fields,
                ast::Definition::InterfaceTypeExtension(d) if d.name == type_name => &d.fields,
                _ => return None,
            };
            fields.iter().find(|f| f.name == field_name)
        })
        .next()
}

/// `to` is the stage and, for a canary, the group it is written with.
fn record_move(
    plan: &mut Plan,
    field: &FieldRecord,
    (to, to_group): (Stage, Option<CanaryGroup>),
    service: &str,
    file: &str,
) {
    plan.moves.push(Move {
        field: field.coordinate.to_string(),
        from: field.stage,
        to,
        from_group: field.canary_group().map(|group| group.to_string()),
        to_group: to_group.map(|group| group.to_string()),
        service: service.to_string(),
        file: file.to_string(),
    });
}
