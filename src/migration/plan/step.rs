//! `advance`, `rollback` and `finish`: the directive edits of a field
//! already in a service, and rollback's removal of what `mark` added.

use super::federation_form::TargetForm;
use super::{EditOptions, Gate, Plan, PlanError, ServiceEdit, record_move};
use crate::edit::splice::Splice;
use crate::migration::refusal::Refusal;
use crate::migration::schema_text::remove;
use crate::migration::transition::{self, Allowed};
use crate::model::dialect::{CanaryGroup, Dialect, TextEdit};
use crate::model::inventory::FieldRecord;
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::schema::federation::PROGRESSIVE_OVERRIDE_MINOR;
use crate::schema::loaded::ParsedFile;
use crate::workspace::DialectName;
use apollo_compiler::ast;
use std::collections::{BTreeMap, BTreeSet};

/// Which edit a field's move within the directive stages needs: what its
/// dialect says, spliced in the file's own way of removing.
fn stage_splices(
    file: &ParsedFile,
    dialect: &Dialect,
    field: &FieldRecord,
    to: Stage,
    group: Option<&CanaryGroup>,
) -> Vec<Splice> {
    let claim = field
        .claim()
        .expect("a field at a directive stage has a claim");
    let directive = claim
        .directive
        .as_ref()
        .expect("a directive stage has its directive");
    dialect
        .restage(directive, to, group)
        .into_iter()
        .map(|edit| match edit {
            TextEdit::Replace(range, text) => Splice::replace(range, text),
            TextEdit::Insert(at, text) => Splice::insert(at, text),
            TextEdit::Remove(range) => remove(file, range),
        })
        .collect()
}

/// `advance`, `rollback` and `finish` share this: each selected field takes
/// the edge `step` allows.
pub(super) fn plan_step(
    project: &Project,
    fields: &[&FieldRecord],
    options: EditOptions,
    group: Option<&CanaryGroup>,
    step: impl Fn(&FieldRecord) -> Result<Allowed, Refusal>,
) -> Result<Plan, PlanError> {
    let mut gate = Gate::new(options);
    let mut plan = Plan::default();
    let mut edits: BTreeMap<&str, ServiceEdit> = BTreeMap::new();
    let mut removals: BTreeMap<&str, BTreeMap<(String, usize), BlockRemoval>> = BTreeMap::new();
    // Services that get an override label: their `@link` must be 2.7 or later.
    let mut labels: BTreeSet<&str> = BTreeSet::new();
    for field in fields {
        // `Type.*` selects the key too, which stays where the entity is.
        if field.stage == Stage::Key {
            plan.shared_keys.push(field.coordinate.to_string());
            continue;
        }
        let Some(allowed) = gate.check(step(field)) else {
            continue;
        };
        let to = allowed.to;
        let claim = field.claim().expect("only claimed fields can move");
        let (service, loaded) = project
            .service(&claim.service)
            .expect("claims name loaded services");
        let dialect = Dialect::of(&project.workspace, service);
        let spelling = claim.directive.as_ref().map(|d| d.spelling());
        let group = allowed
            .group
            .as_ref()
            .or(group)
            .filter(|_| to == Stage::Canary);
        if let Some(spelling) = spelling
            && gate
                .check(transition::canary_label(field, spelling, group).map(|()| allowed.clone()))
                .is_none()
        {
            continue;
        }
        if spelling == Some(DialectName::Override) && dialect.label(to, group).is_some() {
            labels.insert(service.name.as_str());
        }
        let edit = edits
            .entry(service.name.as_str())
            .or_insert_with(|| ServiceEdit::new(service, loaded));
        let file = edit
            .file(&claim.site.file)
            .expect("claim is in a loaded file")
            .clone();
        if to == Stage::Python {
            remove_field_from_service(
                removals.entry(service.name.as_str()).or_default(),
                &file,
                field,
            );
            edit.cleanup = true;
            let coordinate = field.coordinate.to_string();
            if let Some(scaffold) = project.ledger.scaffold_of_mark(&coordinate, &service.name) {
                edit.scaffold.union(scaffold);
            }
        } else {
            for splice in stage_splices(&file, &dialect, field, to, group) {
                edit.push(&claim.site.file, splice);
            }
        }
        let written_group = dialect.group(to, group);
        record_move(
            &mut plan,
            field,
            (to, written_group),
            &service.name,
            &claim.site.file,
        );
    }
    gate.close(&mut plan)?;
    for (service, removals) in removals {
        let edit = edits
            .get_mut(service)
            .expect("a removal belongs to an edit");
        apply_removals(edit, removals);
    }
    for service in labels {
        let edit = edits.get_mut(service).expect("a label belongs to an edit");
        let mut form = TargetForm::of(edit.service, edit.loaded);
        form.name("override");
        form.require_minor(PROGRESSIVE_OVERRIDE_MINOR);
        for (rel, splice) in form.link_edits(&project.monolith.federation).splices {
            edit.push(&rel, splice);
        }
    }
    for edit in edits.into_values() {
        edit.finish(&project.monolith, &project.workspace.root, &mut plan)?;
    }
    Ok(plan)
}

/// The fields a rollback takes out of one block.
struct BlockRemoval {
    block: std::ops::Range<usize>,
    fields_in_block: usize,
    fields: Vec<std::ops::Range<usize>>,
}

/// Notes a field to remove, under the block that holds it.
fn remove_field_from_service(
    removals: &mut BTreeMap<(String, usize), BlockRemoval>,
    file: &ParsedFile,
    field: &FieldRecord,
) {
    let claim = field.claim().expect("claimed");
    let block = file.doc.definitions.iter().find_map(|d| {
        let span = d.location().map(|l| l.offset()..l.end_offset())?;
        (span.start <= claim.site.span.start && claim.site.span.end <= span.end)
            .then_some((d, span))
    });
    let (block, fields_in_block) = match block {
        Some((ast::Definition::ObjectTypeDefinition(d), span)) => (span, d.fields.len()),
        Some((ast::Definition::ObjectTypeExtension(d), span)) => (span, d.fields.len()),
        _ => (claim.site.span.clone(), 0),
    };
    removals
        .entry((claim.site.file.clone(), block.start))
        .or_insert_with(|| BlockRemoval {
            block,
            fields_in_block,
            fields: Vec::new(),
        })
        .fields
        .push(claim.site.span.clone());
}

/// Removes the fields; a block that keeps no field of its own goes whole.
fn apply_removals(edit: &mut ServiceEdit, removals: BTreeMap<(String, usize), BlockRemoval>) {
    for ((rel, _), removal) in removals {
        let file = edit.file(&rel).expect("claim is in a loaded file").clone();
        if removal.fields.len() == removal.fields_in_block {
            edit.push(&rel, remove(&file, removal.block));
        } else {
            for span in removal.fields {
                edit.push(&rel, remove(&file, span));
            }
        }
    }
}
