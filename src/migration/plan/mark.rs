//! `mark`: a monolith field copied into a Go service's schema at manual
//! (or canary), in the federation form the target file uses, with every
//! type it needs that the service lacks.

use super::federation_form::TargetForm;
use super::{
    EditOptions, Gate, Plan, PlanError, ServiceEdit, find_field, record_move, type_references,
};
use crate::edit::splice::{Splice, apply};
use crate::migration::refusal::{Reason, Refusal};
use crate::migration::schema_text::{
    append_definition, indentation_at, prepend_definition, reindent, string_value,
};
use crate::migration::transition::{self, entity_key};
use crate::model::dialect::{CanaryGroup, Dialect};
use crate::model::inventory::FieldRecord;
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::schema::federation::{
    FederationVersion, MIGRATE_DEFINITION, MIGRATE_DESCRIPTION, PROGRESSIVE_OVERRIDE_MINOR,
};
use crate::schema::loaded::{LoadedSchema, ParsedFile};
use crate::schema::migrate_directive::span_of;
use crate::workspace::DialectName;
use apollo_compiler::ast;
use std::collections::{BTreeSet, VecDeque};

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

/// How the target file writes blocks: its federation form, its
/// indentation and line ending.
struct BlockForm<'f> {
    federation: &'f mut TargetForm,
    indent: String,
    eol: &'static str,
}

/// The text of an entity block with its key fields: the v1 or v2 form.
fn entity_block(
    project: &Project,
    form: &mut BlockForm,
    type_name: &str,
    key: &str,
    stub: bool,
    body: &[String],
) -> String {
    let federation = form.federation.version;
    let key_name = form.federation.name("key").expect("every version has @key");
    let (indent, eol) = (&form.indent, form.eol);
    let mut lines = Vec::new();
    let resolvable = if stub && federation == FederationVersion::V2 {
        ", resolvable: false"
    } else {
        ""
    };
    lines.push(match federation {
        FederationVersion::V1 => {
            format!(
                "extend type {type_name} @{key_name}(fields: {}) {{",
                string_value(key)
            )
        }
        FederationVersion::V2 => {
            format!(
                "type {type_name} @{key_name}(fields: {}{resolvable}) {{",
                string_value(key)
            )
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
            FederationVersion::V1 => {
                let external = form.federation.name("external").expect("v1 has @external");
                format!("{indent}{key_field}: {ty} @{external}")
            }
            FederationVersion::V2 => format!("{indent}{key_field}: {ty}"),
        });
    }
    lines.extend(body.iter().cloned());
    lines.push("}".into());
    lines.join(eol)
}

/// A monolith field's text for a service: verbatim (description, arguments,
/// defaults, `@deprecated`), other directives dropped, its stage directive
/// added: `@migrate` after `@shareable` (v2: until the monolith drops it,
/// both subgraphs resolve it), or `@override`, which composition takes out
/// of the sharing rule.
fn copied_field(
    project: &Project,
    field: &FieldRecord,
    directive: &str,
    dialect: DialectName,
    form: &mut BlockForm,
) -> Option<String> {
    let (indent, eol) = (form.indent.clone(), form.eol);
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
    let shareable = match dialect {
        DialectName::Migrate => form.federation.shareable(),
        DialectName::Override => String::new(),
    };
    let text = format!("{original_indent}{text}{shareable} {directive}");
    Some(reindent(&text, &from_indent, &indent, eol))
}

/// `mark`: add fields to a Go service's schema at manual (or canary).
pub(super) fn plan_mark(
    project: &Project,
    fields: &[&FieldRecord],
    into: &str,
    canary: bool,
    group: Option<&CanaryGroup>,
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
    let mut gate = Gate::new(options);
    let mut plan = Plan::default();
    let target_stage = if canary { Stage::Canary } else { Stage::Manual };
    let dialect = Dialect::of(&project.workspace, service);
    let group = group.filter(|_| canary);
    let mut accepted: Vec<&FieldRecord> = Vec::new();
    for field in fields {
        // A key comes with its entity: not a move of its own.
        if field.stage == Stage::Key {
            plan.shared_keys.push(field.coordinate.to_string());
            continue;
        }
        if field.service.as_deref() == Some(into) && field.stage == target_stage {
            plan.unchanged.push(field.coordinate.to_string());
            continue;
        }
        let allowed = transition::mark(project, field, Some(into), canary, options.force).and_then(
            |allowed| transition::canary_label(field, dialect.name, group).map(|()| allowed),
        );
        if gate.check(allowed).is_some() {
            accepted.push(field);
        }
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
    let mut federation = TargetForm::of(service, loaded);
    let directive = match dialect.name {
        DialectName::Migrate => dialect.directive("", target_stage, group),
        DialectName::Override => {
            // A new service that ferry.toml or gqlgen.yml makes v1.
            let Some(name) = federation.name("override") else {
                let reason = Reason::OverrideNeedsFederation2 {
                    service: service.name.clone(),
                };
                return Err(PlanError::Refused(
                    accepted
                        .iter()
                        .map(|f| Refusal::new(f, reason.clone()))
                        .collect(),
                ));
            };
            // Every stage mark writes has a label.
            federation.require_minor(PROGRESSIVE_OVERRIDE_MINOR);
            dialect.directive(&name, target_stage, group)
        }
    };
    let mut form = BlockForm {
        federation: &mut federation,
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
            let text = copied_field(project, field, &directive, dialect.name, &mut form)
                .ok_or_else(|| {
                    PlanError::Internal(format!(
                        "{}: monolith definition not found",
                        field.coordinate
                    ))
                })?;
            lines.push(text);
            record_move(&mut plan, field, (target_stage, None), into, &target_rel);
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
                    entity_block(project, &mut form, type_name, &key, false, &lines)
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
            queue.extend(type_references::of_field(def).map(|n| n.to_string()));
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
            appended.push(entity_block(project, &mut form, &name, &key, true, &[]));
            continue;
        }
        appended.push(
            form.federation
                .copy_definition(&project.monolith, file, def, &indent, eol),
        );
        queue.extend(type_references::of_definition(def).map(|n| n.to_string()));
    }

    // What goes before the types: the `@link` a new v2 service needs, and
    // the `@migrate` definition.
    let link = federation.link_edits(&project.monolith.federation);
    let mut header: Vec<String> = link.new_link.into_iter().collect();
    for (rel, splice) in link.splices {
        edit.push(&rel, splice);
    }
    *plan.scaffold_mut(into) = link.scaffold;
    plan.dropped = std::mem::take(&mut federation.dropped);
    if dialect.name == DialectName::Migrate && !loaded.declares_migrate {
        header.push(format!("{MIGRATE_DESCRIPTION}{eol}{MIGRATE_DEFINITION}"));
        edit.gqlgen = Some(super::GqlgenEdit::Add);
    }
    if target.source.holds_no_definitions() {
        // A new service: everything in one piece, in reading order.
        let whole: Vec<String> = header.into_iter().chain(appended).collect();
        edit.push(
            &target_rel,
            append_definition(&target, &whole.join(&format!("{eol}{eol}"))),
        );
    } else {
        for definition in header {
            edit.push(&target_rel, prepend_definition(&target, &definition));
        }
        for definition in appended {
            edit.push(&target_rel, append_definition(&target, &definition));
        }
    }
    if !target.source.exists {
        plan.scaffold_mut(into).created_file = Some(target_rel.clone());
    }
    let added_gqlgen = edit.finish(&project.monolith, &project.workspace.root, &mut plan)?;
    plan.scaffold_mut(into).gqlgen_skip_runtime = added_gqlgen;
    Ok(plan)
}
