//! The plan of edits for one command: which fields move where, and the
//! exact text changes to the schema files and `gqlgen.yml` that do it.
//! Nothing is written here; a plan is all or nothing.

use crate::edit::change_set::ChangeSet;
use crate::edit::splice::{Splice, apply};
use crate::migration::gqlgen_text;
use crate::migration::schema_text::{
    append_definition, indentation_at, prepend_definition, reindent, remove,
};
use crate::migration::transition::{self, Allowed, Refusal};
use crate::model::inventory::FieldRecord;
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::schema::federation::{
    FederationNames, FederationVersion, MIGRATE_DEFINITION, MIGRATE_DESCRIPTION,
};
use crate::schema::fields::field_definitions;
use crate::schema::loaded::{LoadedSchema, ParsedFile, SchemaError};
use crate::schema::migrate_directive::span_of;
use crate::schema::source::{SourceError, SourceFile};
use crate::workspace::Service;
use apollo_compiler::Node;
use apollo_compiler::ast;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

#[derive(Debug, Clone, Serialize)]
pub struct Move {
    pub field: String,
    pub from: Stage,
    pub to: Stage,
    pub service: String,
    pub file: String,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub changes: ChangeSet,
    pub moves: Vec<Move>,
    /// Selected fields already where the command would put them.
    pub unchanged: Vec<String>,
    /// Refused fields skipped under `--keep-going`.
    pub refused: Vec<Refusal>,
    /// Guards `--force` overrode.
    pub forced: Vec<Refusal>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("nothing was written; {} refused:\n{}", count(.0.len()), list(.0))]
    Refused(Vec<Refusal>),
    #[error("unknown service `{name}`; the workspace has: {}", .known.join(", "))]
    UnknownService { name: String, known: Vec<String> },
    #[error("the edit would leave service `{service}` invalid, so nothing was written:\n{error}")]
    Invalid { service: String, error: SchemaError },
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
        .map(|r| {
            let hint = if r.overridable {
                " (--force overrides)"
            } else {
                ""
            };
            format!("  {}: {}{hint}", r.field, r.reason)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, Clone, Copy, Default)]
pub struct EditOptions {
    pub force: bool,
    pub keep_going: bool,
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
    /// and records the result.
    fn finish(
        self,
        monolith: &LoadedSchema,
        root: &std::path::Path,
        changes: &mut ChangeSet,
    ) -> Result<(), PlanError> {
        let mut texts: BTreeMap<String, (ParsedFile, String)> = BTreeMap::new();
        for file in self.loaded.files.iter().chain(&self.created) {
            let splices = self
                .splices
                .get(&file.source.path.rel)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let text = apply(&file.source.text, splices)
                .map_err(|e| PlanError::Internal(e.to_string()))?;
            texts.insert(file.source.path.rel.clone(), (file.clone(), text));
        }
        let mut gqlgen = self.gqlgen;
        if self.cleanup {
            cleanup(
                &mut texts,
                monolith,
                &self.service.name,
                &self.loaded.federation,
            )?;
            if remove_unused_migrate_definition(&mut texts)? {
                gqlgen = Some(GqlgenEdit::Remove);
            }
        }
        // Validate the service as it would be written.
        let mut sources = Vec::new();
        for (file, text) in texts.values() {
            let is_empty = text.trim().is_empty();
            if is_empty && (!file.source.exists || file.source.path == self.service.new_fields) {
                continue;
            }
            sources.push(SourceFile::new(
                file.source.path.clone(),
                text.clone(),
                true,
            ));
        }
        LoadedSchema::load(sources).map_err(|error| PlanError::Invalid {
            service: self.service.name.clone(),
            error,
        })?;
        for (file, text) in texts.values() {
            let before = file.source.exists.then_some(file.source.text.as_str());
            let created_by_ferry = || {
                !file.source.exists
                    || crate::edit::created_files::was_created(root, &file.source.path.rel)
            };
            // Emptied: removed only when ferry created it; a file the user
            // had, even an empty one, stays.
            let after = if text.trim().is_empty()
                && file.source.path == self.service.new_fields
                && created_by_ferry()
            {
                None
            } else if text.trim().is_empty() {
                Some(String::new())
            } else {
                Some(text.clone())
            };
            if before.map(str::to_string) != after {
                changes.record(&file.source.path, before, after);
            }
        }
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
                changes.record(yml, Some(&text), Some(after));
            }
        }
        Ok(())
    }
}

/// Parses a file's text; a file with nothing in it is an empty document
/// (the parser wants at least one definition).
fn parse_document(
    source: &SourceFile,
    rel: &str,
) -> Result<ast::Document, apollo_compiler::validation::WithErrors<ast::Document>> {
    if source.text.trim().is_empty() {
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
    fn check(&mut self, result: Result<Allowed, Refusal>) -> Option<Stage> {
        match result {
            Ok(allowed) => {
                self.forced.extend(allowed.forced);
                Some(allowed.to)
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

fn find_field<'d>(
    file: &'d ParsedFile,
    type_name: &str,
    field_name: &str,
) -> Option<&'d Node<ast::FieldDefinition>> {
    field_definitions(&file.doc)
        .find(|(t, _, f)| *t == type_name && f.name == field_name)
        .map(|(_, _, f)| f)
}

/// Which edit a field's move within the directive stages needs.
fn stage_splices(
    file: &ParsedFile,
    field: &FieldRecord,
    to: Stage,
    color: Option<&str>,
) -> Vec<Splice> {
    let claim = field
        .claim()
        .expect("a field at a directive stage has a claim");
    let migrate = claim
        .migrate
        .as_ref()
        .expect("a directive stage has @migrate");
    let mut splices = Vec::new();
    if to == Stage::Done {
        splices.push(remove(file, migrate.span.clone()));
        return splices;
    }
    if let Some(state) = &migrate.state {
        splices.push(Splice::replace(
            state.value_span.clone(),
            format!("\"{to}\""),
        ));
    }
    match (&migrate.color, to == Stage::Canary, color) {
        (Some(existing), true, Some(color)) => splices.push(Splice::replace(
            existing.value_span.clone(),
            format!("\"{color}\""),
        )),
        (None, true, Some(color)) => {
            let after = migrate
                .state
                .as_ref()
                .map(|s| s.span.end)
                .unwrap_or(migrate.span.end - 1);
            splices.push(Splice::insert(after, format!(", color: \"{color}\"")));
        }
        (Some(existing), false, _) => splices.push(remove(file, existing.span.clone())),
        _ => {}
    }
    splices
}

fn record_move(plan: &mut Plan, field: &FieldRecord, to: Stage, service: &str, file: &str) {
    plan.moves.push(Move {
        field: field.coordinate.to_string(),
        from: field.stage,
        to,
        service: service.to_string(),
        file: file.to_string(),
    });
}

/// `advance`, `rollback` and `finish` share this: each selected field takes
/// the edge `step` allows.
pub fn plan_step(
    project: &Project,
    fields: &[&FieldRecord],
    options: EditOptions,
    color: Option<&str>,
    step: impl Fn(&FieldRecord) -> Result<Allowed, Refusal>,
) -> Result<Plan, PlanError> {
    let mut gate = Gate {
        options,
        refused: Vec::new(),
        forced: Vec::new(),
    };
    let mut plan = Plan::default();
    let mut edits: BTreeMap<&str, ServiceEdit> = BTreeMap::new();
    for field in fields {
        let Some(to) = gate.check(step(field)) else {
            continue;
        };
        let claim = field.claim().expect("only claimed fields can move");
        let (service, loaded) = project
            .service(&claim.service)
            .expect("claims name loaded services");
        let edit = edits
            .entry(service.name.as_str())
            .or_insert_with(|| ServiceEdit::new(service, loaded));
        let file = edit
            .file(&claim.site.file)
            .expect("claim is in a loaded file")
            .clone();
        if to == Stage::Python {
            remove_field_from_service(edit, &file, field);
            edit.cleanup = true;
        } else {
            for splice in stage_splices(&file, field, to, color) {
                edit.push(&claim.site.file, splice);
            }
        }
        record_move(&mut plan, field, to, &service.name, &claim.site.file);
    }
    gate.close(&mut plan)?;
    for edit in edits.into_values() {
        edit.finish(
            &project.monolith,
            &project.workspace.root,
            &mut plan.changes,
        )?;
    }
    Ok(plan)
}

/// Removes a field; when its block keeps no field of its own, the block.
fn remove_field_from_service(edit: &mut ServiceEdit, file: &ParsedFile, field: &FieldRecord) {
    let claim = field.claim().expect("claimed");
    let block = file.doc.definitions.iter().find(|d| {
        let span = d
            .location()
            .map(|l| l.offset()..l.end_offset())
            .unwrap_or(0..0);
        span.start <= claim.site.span.start && claim.site.span.end <= span.end
    });
    let fields_in_block = match block {
        Some(ast::Definition::ObjectTypeDefinition(d)) => d.fields.len(),
        Some(ast::Definition::ObjectTypeExtension(d)) => d.fields.len(),
        _ => 0,
    };
    match block {
        Some(def) if fields_in_block == 1 => {
            let span = def
                .location()
                .map(|l| l.offset()..l.end_offset())
                .unwrap_or(0..0);
            edit.push(&claim.site.file, remove(file, span));
        }
        _ => edit.push(&claim.site.file, remove(file, claim.site.span.clone())),
    }
}

/// After removals: drop types nothing references any more that ferry
/// copies (identical to the monolith's) or stubs (key fields only), and
/// blocks left with no field.
fn cleanup(
    texts: &mut BTreeMap<String, (ParsedFile, String)>,
    monolith: &LoadedSchema,
    service: &str,
    federation: &FederationNames,
) -> Result<(), PlanError> {
    let monolith_text: BTreeMap<String, String> = monolith
        .files
        .iter()
        .flat_map(|f| {
            f.doc.definitions.iter().filter_map(move |d| {
                let name = d.name()?.to_string();
                let span = d.location()?;
                Some((
                    name,
                    normalize(&f.source.text[span.offset()..span.end_offset()]),
                ))
            })
        })
        .collect();
    for _round in 0..16 {
        let mut parsed = Vec::new();
        for (rel, (file, text)) in texts.iter() {
            let source = SourceFile::new(file.source.path.clone(), text.clone(), true);
            let doc = parse_document(&source, rel).map_err(|e| PlanError::Invalid {
                service: service.to_string(),
                error: SchemaError::Invalid {
                    summary: format!("{rel}: cannot parse after the edit"),
                    report: e.errors.to_string(),
                },
            })?;
            parsed.push(ParsedFile { source, doc });
        }
        let referenced = referenced_types(&parsed);
        let mut removals: BTreeMap<String, Vec<Splice>> = BTreeMap::new();
        for file in &parsed {
            for def in &file.doc.definitions {
                let (Some(name), Some(loc)) = (def.name(), def.location()) else {
                    continue;
                };
                if referenced.contains(name.as_str())
                    || ["Query", "Mutation", "Subscription"].contains(&name.as_str())
                {
                    continue;
                }
                let span = loc.offset()..loc.end_offset();
                let copied = monolith_text.get(name.as_str())
                    == Some(&normalize(&file.source.text[span.clone()]));
                if copied || is_key_only(def, federation) {
                    removals
                        .entry(file.source.path.rel.clone())
                        .or_default()
                        .push(remove(file, span));
                }
            }
        }
        if removals.is_empty() {
            return Ok(());
        }
        for (rel, splices) in removals {
            let entry = texts.get_mut(&rel).expect("parsed from texts");
            entry.1 = apply(&entry.1, &splices).map_err(|e| PlanError::Internal(e.to_string()))?;
        }
    }
    Ok(())
}

/// When no field of the service uses `@migrate` any more, removes the
/// definition ferry added (recognized by its description); says whether it did.
fn remove_unused_migrate_definition(
    texts: &mut BTreeMap<String, (ParsedFile, String)>,
) -> Result<bool, PlanError> {
    let parsed: Vec<(String, ParsedFile)> = texts
        .iter()
        .filter_map(|(rel, (file, text))| {
            let source = SourceFile::new(file.source.path.clone(), text.clone(), true);
            let doc = parse_document(&source, rel).ok()?;
            Some((rel.clone(), ParsedFile { source, doc }))
        })
        .collect();
    let still_used = parsed
        .iter()
        .any(|(_, file)| field_definitions(&file.doc).any(|(_, _, f)| f.directives.has("migrate")));
    if still_used {
        return Ok(false);
    }
    let ours = normalize(&format!("{MIGRATE_DESCRIPTION}\n{MIGRATE_DEFINITION}"));
    let mut removed = false;
    for (rel, file) in &parsed {
        let splices: Vec<Splice> = file
            .doc
            .definitions
            .iter()
            .filter(
                |d| matches!(d, ast::Definition::DirectiveDefinition(dd) if dd.name == "migrate"),
            )
            .filter_map(|d| d.location())
            .filter(|l| normalize(&file.source.text[l.offset()..l.end_offset()]) == ours)
            .map(|l| remove(file, l.offset()..l.end_offset()))
            .collect();
        if !splices.is_empty() {
            let text = &mut texts.get_mut(rel).expect("parsed from texts").1;
            *text = apply(text, &splices).map_err(|e| PlanError::Internal(e.to_string()))?;
            removed = true;
        }
    }
    Ok(removed)
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An object block whose fields are all `@external` or key fields: what
/// `mark` writes as a stub for an entity it only references.
fn is_key_only(def: &ast::Definition, federation: &FederationNames) -> bool {
    let (key, external) = (
        federation.directive("key"),
        federation.directive("external"),
    );
    let (directives, fields) = match def {
        ast::Definition::ObjectTypeDefinition(d) => (&d.directives, &d.fields),
        ast::Definition::ObjectTypeExtension(d) => (&d.directives, &d.fields),
        _ => return false,
    };
    let keys: Vec<String> = directives
        .iter()
        .filter(|d| d.name == key)
        .filter_map(|d| d.specified_argument_by_name("fields"))
        .filter_map(|v| v.as_str().map(crate::schema::fields::top_level_names))
        .flatten()
        .collect();
    !keys.is_empty()
        && fields.iter().all(|f| {
            keys.iter().any(|k| k == f.name.as_str())
                || f.directives.iter().any(|d| d.name == external)
        })
}

/// Every type name a service's definitions refer to.
fn referenced_types(files: &[ParsedFile]) -> HashSet<String> {
    let mut names = HashSet::new();
    let add_fields = |fields: &[Node<ast::FieldDefinition>], names: &mut HashSet<String>| {
        for f in fields {
            names.insert(f.ty.inner_named_type().to_string());
            for a in &f.arguments {
                names.insert(a.ty.inner_named_type().to_string());
            }
        }
    };
    for file in files {
        for def in &file.doc.definitions {
            match def {
                ast::Definition::ObjectTypeDefinition(d) => {
                    add_fields(&d.fields, &mut names);
                    names.extend(d.implements_interfaces.iter().map(|n| n.to_string()));
                }
                ast::Definition::ObjectTypeExtension(d) => {
                    add_fields(&d.fields, &mut names);
                    names.extend(d.implements_interfaces.iter().map(|n| n.to_string()));
                }
                ast::Definition::InterfaceTypeDefinition(d) => add_fields(&d.fields, &mut names),
                ast::Definition::InterfaceTypeExtension(d) => add_fields(&d.fields, &mut names),
                ast::Definition::InputObjectTypeDefinition(d) => {
                    names.extend(d.fields.iter().map(|f| f.ty.inner_named_type().to_string()))
                }
                ast::Definition::InputObjectTypeExtension(d) => {
                    names.extend(d.fields.iter().map(|f| f.ty.inner_named_type().to_string()))
                }
                ast::Definition::UnionTypeDefinition(d) => {
                    names.extend(d.members.iter().map(|n| n.to_string()))
                }
                ast::Definition::UnionTypeExtension(d) => {
                    names.extend(d.members.iter().map(|n| n.to_string()))
                }
                ast::Definition::DirectiveDefinition(d) => names.extend(
                    d.arguments
                        .iter()
                        .map(|a| a.ty.inner_named_type().to_string()),
                ),
                ast::Definition::SchemaDefinition(d) => {
                    names.extend(d.root_operations.iter().map(|r| r.1.to_string()))
                }
                ast::Definition::SchemaExtension(d) => {
                    names.extend(d.root_operations.iter().map(|r| r.1.to_string()))
                }
                _ => {}
            }
        }
    }
    names
}

/// The key `mark` writes for a type: the monolith's `@key`, else `keys` in ferry.toml.
fn entity_key(project: &Project, type_name: &str) -> Option<String> {
    let key_directive = project.monolith.federation.directive("key");
    project
        .monolith
        .schema
        .types
        .get(type_name)
        .and_then(|ty| {
            ty.directives()
                .get(key_directive)
                .and_then(|d| d.specified_argument_by_name("fields"))
                .and_then(|v| v.as_str().map(str::to_string))
        })
        .or_else(|| project.workspace.python.keys.get(type_name).cloned())
}

fn monolith_definition<'m>(
    monolith: &'m LoadedSchema,
    name: &str,
) -> Option<(&'m ParsedFile, &'m ast::Definition)> {
    monolith.files.iter().find_map(|f| {
        f.doc
            .definitions
            .iter()
            .find(|d| !d.is_extension_definition() && d.name().is_some_and(|n| n == name))
            .map(|d| (f, d))
    })
}

/// How the target file writes blocks: its federation version, its name
/// for `@key`, its indentation and line ending.
struct BlockForm {
    federation: FederationVersion,
    key_name: String,
    indent: String,
    eol: &'static str,
}

/// The text of an entity block with its key fields: the v1 or v2 form.
fn entity_block(
    project: &Project,
    form: &BlockForm,
    type_name: &str,
    key: &str,
    stub: bool,
    body: &[String],
) -> String {
    let BlockForm {
        federation,
        key_name,
        indent,
        eol,
    } = form;
    let federation = *federation;
    let mut lines = Vec::new();
    let resolvable = if stub && federation == FederationVersion::V2 {
        ", resolvable: false"
    } else {
        ""
    };
    lines.push(match federation {
        FederationVersion::V1 => {
            format!("extend type {type_name} @{key_name}(fields: \"{key}\") {{")
        }
        FederationVersion::V2 => {
            format!("type {type_name} @{key_name}(fields: \"{key}\"{resolvable}) {{")
        }
    });
    for key_field in crate::schema::fields::top_level_names(key) {
        let ty = project
            .monolith
            .schema
            .type_field(type_name, &key_field)
            .map(|f| f.ty.to_string())
            .unwrap_or_else(|_| "ID!".into());
        lines.push(match federation {
            FederationVersion::V1 => format!("{indent}{key_field}: {ty} @external"),
            FederationVersion::V2 => format!("{indent}{key_field}: {ty}"),
        });
    }
    lines.extend(body.iter().cloned());
    lines.push("}".into());
    lines.join(eol)
}

/// A monolith field's text for a service: verbatim (description, arguments,
/// defaults, `@deprecated`), other directives dropped, `@migrate` added.
fn copied_field(
    project: &Project,
    field: &FieldRecord,
    migrate: &str,
    indent: &str,
    eol: &str,
) -> Option<String> {
    let site = field.monolith.as_ref()?;
    let file = project.monolith.file(&site.file)?;
    let node = find_field(
        file,
        &field.coordinate.type_name,
        &field.coordinate.field_name,
    )?;
    let span = span_of(node);
    let drops: Vec<Splice> = node
        .directives
        .iter()
        .filter(|d| d.name != "deprecated")
        .map(|d| {
            let d_span = span_of(d);
            Splice::delete(
                crate::edit::splice::whitespace_before(&file.source.text, d_span.start) - span.start
                    ..d_span.end - span.start,
            )
        })
        .collect();
    let text = apply(&file.source.text[span.clone()], &drops).ok()?;
    let from_indent = file.source.indent();
    let original_indent = indentation_at(&file.source.text, span.start);
    let text = format!("{original_indent}{text} {migrate}");
    Some(reindent(&text, &from_indent, indent, eol))
}

/// `mark`: add fields to a Go service's schema at manual (or canary).
pub fn plan_mark(
    project: &Project,
    fields: &[&FieldRecord],
    into: &str,
    canary: bool,
    color: Option<&str>,
    options: EditOptions,
) -> Result<Plan, PlanError> {
    let Some((service, loaded)) = project.service(into) else {
        return Err(PlanError::UnknownService {
            name: into.to_string(),
            known: project
                .services
                .iter()
                .map(|(s, _)| s.name.clone())
                .collect(),
        });
    };
    let mut gate = Gate {
        options,
        refused: Vec::new(),
        forced: Vec::new(),
    };
    let mut plan = Plan::default();
    let target_stage = if canary { Stage::Canary } else { Stage::Manual };
    let mut accepted: Vec<&FieldRecord> = Vec::new();
    for field in fields {
        if field.service.as_deref() == Some(into) {
            if field.stage == target_stage {
                plan.unchanged.push(field.coordinate.to_string());
            } else {
                gate.refused.push(Refusal::hard(
                    field,
                    format!(
                        "already in `{into}` at {}; use advance or rollback",
                        field.stage
                    ),
                ));
            }
            continue;
        }
        if let Some(owner) = &field.service {
            gate.refused.push(Refusal::hard(
                field,
                format!("already claimed by service `{owner}` (at {})", field.stage),
            ));
            continue;
        }
        if let Some(def) = field.definitions.iter().find(|d| d.service == into) {
            gate.refused.push(Refusal::hard(
                field,
                format!(
                    "`{into}` declares it as an @external or key field at {}:{}; edit that definition by hand",
                    def.site.file, def.site.line
                ),
            ));
            continue;
        }
        if gate
            .check(transition::mark(field, canary, options.force))
            .is_none()
        {
            continue;
        }
        if !field.kind.is_root() {
            match entity_key(project, &field.coordinate.type_name) {
                None => {
                    let type_name = &field.coordinate.type_name;
                    gate.refused.push(Refusal::hard(
                        field,
                        format!(
                            "{type_name} has no @key in the monolith's schema and no `keys` entry in ferry.toml; \
                             if it is an entity, add `keys = {{ {type_name} = \"id\" }}` under [python]; \
                             if it is a value type, move the parent field that returns it instead"
                        ),
                    ));
                    continue;
                }
                Some(key) if key.contains('{') => {
                    gate.refused.push(Refusal::hard(
                        field,
                        format!("the key of {} (`{key}`) has nested fields, which mark does not write; add the type's block by hand first", field.coordinate.type_name),
                    ));
                    continue;
                }
                Some(_) => {}
            }
        }
        accepted.push(field);
    }
    gate.close(&mut plan)?;
    if accepted.is_empty() {
        return Ok(plan);
    }

    let mut edit = ServiceEdit::new(service, loaded);
    let target = edit.target()?.clone();
    let target_rel = target.source.path.rel.clone();
    let eol = target.source.eol();
    let indent = target.source.indent();
    let migrate = match (canary, color) {
        (true, Some(color)) => {
            format!("@migrate(from: \"python\", state: \"canary\", color: \"{color}\")")
        }
        (true, None) => "@migrate(from: \"python\", state: \"canary\")".to_string(),
        (false, _) => "@migrate(from: \"python\", state: \"manual\")".to_string(),
    };
    let form = BlockForm {
        federation: loaded.federation.version,
        key_name: loaded.federation.directive("key").to_string(),
        indent: indent.clone(),
        eol,
    };

    // Group by type, keeping the inventory's order.
    let mut by_type: Vec<(String, Vec<&FieldRecord>)> = Vec::new();
    for field in &accepted {
        match by_type
            .iter_mut()
            .find(|(t, _)| *t == field.coordinate.type_name)
        {
            Some((_, list)) => list.push(field),
            None => by_type.push((field.coordinate.type_name.clone(), vec![field])),
        }
    }
    let mut appended: Vec<String> = Vec::new();
    let mut created_types: BTreeSet<String> = BTreeSet::new();
    for (type_name, type_fields) in &by_type {
        let mut lines = Vec::new();
        for field in type_fields {
            let text = copied_field(project, field, &migrate, &indent, eol).ok_or_else(|| {
                PlanError::Internal(format!(
                    "{}: monolith definition not found",
                    field.coordinate
                ))
            })?;
            lines.push(text);
            record_move(&mut plan, field, target_stage, into, &target_rel);
        }
        // An existing block for the type: the one in the target file first.
        let existing = loaded
            .files
            .iter()
            .filter(|f| f.source.path.rel == target_rel)
            .chain(
                loaded
                    .files
                    .iter()
                    .filter(|f| f.source.path.rel != target_rel),
            )
            .find_map(|f| {
                f.doc.definitions.iter().find_map(|d| {
                    let fields = match d {
                        ast::Definition::ObjectTypeDefinition(o)
                            if o.name == type_name.as_str() =>
                        {
                            &o.fields
                        }
                        ast::Definition::ObjectTypeExtension(o) if o.name == type_name.as_str() => {
                            &o.fields
                        }
                        _ => return None,
                    };
                    fields.last().map(|last| (f, span_of(last).end))
                })
            });
        match existing {
            Some((file, after)) => {
                let text: String = lines.iter().map(|l| format!("{eol}{l}")).collect();
                let rel = file.source.path.rel.clone();
                for move_ in plan
                    .moves
                    .iter_mut()
                    .filter(|m| m.field.starts_with(&format!("{type_name}.")))
                {
                    move_.file = rel.clone();
                }
                edit.push(&rel, Splice::insert(after, text));
            }
            None => {
                let kind = type_fields[0].kind;
                let block = if kind.is_root() {
                    format!("extend type {type_name} {{{eol}{}{eol}}}", lines.join(eol))
                } else {
                    let key = entity_key(project, type_name).expect("checked above");
                    entity_block(project, &form, type_name, &key, false, &lines)
                };
                created_types.insert(type_name.clone());
                appended.push(block);
            }
        }
    }

    // Every type the fields need that the service lacks.
    let mut queue: VecDeque<String> = VecDeque::new();
    for field in &accepted {
        if let Ok(def) = project
            .monolith
            .schema
            .type_field(&field.coordinate.type_name, &field.coordinate.field_name)
        {
            queue.push_back(def.ty.inner_named_type().to_string());
            queue.extend(
                def.arguments
                    .iter()
                    .map(|a| a.ty.inner_named_type().to_string()),
            );
        }
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone())
            || created_types.contains(&name)
            || loaded.schema.types.contains_key(name.as_str())
        {
            continue;
        }
        let Some((file, def)) = monolith_definition(&project.monolith, &name) else {
            continue;
        };
        let is_object = matches!(def, ast::Definition::ObjectTypeDefinition(_));
        let stub_key = entity_key(project, &name).filter(|k| is_object && !k.contains('{'));
        if let Some(key) = stub_key {
            appended.push(entity_block(project, &form, &name, &key, true, &[]));
            continue;
        }
        let span = def
            .location()
            .map(|l| l.offset()..l.end_offset())
            .unwrap_or(0..0);
        appended.push(reindent(
            &file.source.text[span],
            &file.source.indent(),
            &indent,
            eol,
        ));
        queue.extend(references_of(def));
    }
    for definition in appended {
        edit.push(&target_rel, append_definition(&target, &definition));
    }
    if !loaded.declares_migrate {
        let definition = format!("{MIGRATE_DESCRIPTION}{eol}{MIGRATE_DEFINITION}");
        edit.push(&target_rel, prepend_definition(&target, &definition));
        edit.gqlgen = Some(GqlgenEdit::Add);
    }
    edit.finish(
        &project.monolith,
        &project.workspace.root,
        &mut plan.changes,
    )?;
    Ok(plan)
}

/// Type names a copied definition refers to.
fn references_of(def: &ast::Definition) -> Vec<String> {
    let mut out = Vec::new();
    let fields = |fields: &[Node<ast::FieldDefinition>], out: &mut Vec<String>| {
        for f in fields {
            out.push(f.ty.inner_named_type().to_string());
            out.extend(
                f.arguments
                    .iter()
                    .map(|a| a.ty.inner_named_type().to_string()),
            );
        }
    };
    match def {
        ast::Definition::ObjectTypeDefinition(d) => {
            fields(&d.fields, &mut out);
            out.extend(d.implements_interfaces.iter().map(|n| n.to_string()));
        }
        ast::Definition::InterfaceTypeDefinition(d) => {
            fields(&d.fields, &mut out);
            out.extend(d.implements_interfaces.iter().map(|n| n.to_string()));
        }
        ast::Definition::InputObjectTypeDefinition(d) => {
            out.extend(d.fields.iter().map(|f| f.ty.inner_named_type().to_string()))
        }
        ast::Definition::UnionTypeDefinition(d) => {
            out.extend(d.members.iter().map(|n| n.to_string()))
        }
        _ => {}
    }
    out
}
