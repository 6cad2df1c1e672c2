//! `ferry dialect migrate|override`: every in-flight field respelled in the
//! other dialect, at the stage it is, with what the new spelling needs
//! around it (the `@override` import and a 2.7 `@link`, or the `@migrate`
//! definition and gqlgen's entry), and what the previous conversion added
//! taken out again once nothing needs it, so that converting back gives
//! every byte back. Each converted field is one ledger line from its stage
//! to the same stage, carrying what the conversion added to that field's
//! service: services at different `@link` versions, or one that already
//! imported `@override`, each get back exactly what they had.

use super::federation_form::TargetForm;
use super::{EditOptions, Gate, GqlgenEdit, Plan, PlanError, ServiceEdit, record_move};
use crate::edit::splice::Splice;
use crate::migration::refusal::{Reason, Refusal};
use crate::migration::schema_text::prepend_definition;
use crate::migration::transition;
use crate::model::dialect::{CanaryGroup, Dialect};
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::schema::federation::{
    MIGRATE_DEFINITION, MIGRATE_DESCRIPTION, PROGRESSIVE_OVERRIDE_MINOR,
};
use crate::workspace::{CONFIG_FILE, DialectName};

pub fn plan_dialect(
    project: &Project,
    to: DialectName,
    options: EditOptions,
) -> Result<Plan, PlanError> {
    let mut gate = Gate::new(options);
    let mut plan = Plan::default();
    let dialect = Dialect::named(&project.workspace, to);
    let mut edits = Vec::new();
    for (service, loaded) in &project.services {
        // A service that names its own dialect keeps it.
        if service.own_dialect {
            continue;
        }
        let fields: Vec<_> = project
            .inventory
            .fields
            .iter()
            .filter(|f| f.service.as_deref() == Some(service.name.as_str()))
            .filter(|f| {
                f.claim()
                    .and_then(|c| c.directive.as_ref())
                    .is_some_and(|d| d.spelling() != to)
            })
            .collect();
        let mut edit = ServiceEdit::new(service, loaded);
        let mut form = TargetForm::of(service, loaded);
        let override_name = match to {
            DialectName::Override => form.name("override"),
            DialectName::Migrate => Some(String::new()),
        };
        // What the last conversion added that this one may take back.
        let previous = project
            .ledger
            .scaffold_of_conversion(&service.name)
            .cloned()
            .unwrap_or_default();
        let mut labeled = false;
        let mut converted = 0;
        for field in fields {
            let Some(override_name) = &override_name else {
                let reason = Reason::OverrideNeedsFederation2 {
                    service: service.name.clone(),
                };
                gate.refused.push(Refusal::new(field, reason));
                continue;
            };
            if field.stage == Stage::Unknown {
                gate.refused.push(Refusal::new(field, Reason::UnknownState));
                continue;
            }
            let group = field.color.clone().map(CanaryGroup::Color);
            if let Err(refusal) = transition::canary_label(field, to, group.as_ref()) {
                gate.refused.push(refusal);
                continue;
            }
            let claim = field.claim().expect("filtered on its directive");
            let directive = claim.directive.as_ref().expect("filtered on it");
            let coordinate = field.coordinate.to_string();
            let given_first_rung = field.stage == Stage::Canary
                && field.percent.as_ref() == Some(&dialect.first_rung)
                && previous.first_rung_canaries.contains(&coordinate);
            let text = match to {
                // Back to the canary without a group it was.
                DialectName::Migrate if given_first_rung => {
                    dialect.directive(override_name, Stage::Canary, None)
                }
                _ => dialect
                    .respell(directive, override_name)
                    .expect("unknown stages and labels refused above"),
            };
            if to == DialectName::Override
                && field.stage == Stage::Canary
                && field.canary_group().is_none()
            {
                plan.scaffold_mut(&service.name)
                    .first_rung_canaries
                    .push(coordinate);
            }
            labeled |= dialect
                .label(field.stage, field.canary_group().as_ref())
                .is_some();
            edit.push(&claim.site.file, Splice::replace(directive.span(), text));
            let group = field.canary_group();
            record_move(
                &mut plan,
                field,
                (field.stage, group),
                &service.name,
                &claim.site.file,
            );
            converted += 1;
        }
        if converted == 0 {
            continue;
        }
        edit.scaffold = previous;
        edit.cleanup = true;
        match to {
            DialectName::Override => {
                if labeled {
                    form.require_minor(PROGRESSIVE_OVERRIDE_MINOR);
                }
                let link = form.link_edits(&project.monolith.federation);
                for (rel, splice) in link.splices {
                    edit.push(&rel, splice);
                }
                plan.scaffold_mut(&service.name).union(&link.scaffold);
            }
            DialectName::Migrate => {
                if !loaded.declares_migrate {
                    let target = edit.target()?.clone();
                    let eol = target.source.eol();
                    edit.push(
                        &target.source.path.rel,
                        prepend_definition(
                            &target,
                            &format!("{MIGRATE_DESCRIPTION}{eol}{MIGRATE_DEFINITION}"),
                        ),
                    );
                    edit.gqlgen = Some(GqlgenEdit::Add);
                }
            }
        }
        edits.push(edit);
    }
    gate.close(&mut plan)?;
    for edit in edits {
        let service = edit.service.name.clone();
        let added_gqlgen = edit.finish(&project.monolith, &project.workspace.root, &mut plan)?;
        plan.scaffold_mut(&service).gqlgen_skip_runtime |= added_gqlgen;
    }
    super::record_in_ledger(project, &mut plan)?;
    record_workspace_dialect(project, to, &mut plan)?;
    Ok(plan)
}

/// A canary's group as the model read it.
/// ferry.toml's top-level `dialect`: written for override, taken out for
/// the default, so a conversion and its way back leave the file as it was.
fn record_workspace_dialect(
    project: &Project,
    to: DialectName,
    plan: &mut Plan,
) -> Result<(), PlanError> {
    let path = project
        .workspace
        .path(project.workspace.config_file.clone());
    let text = std::fs::read_to_string(&path.abs).map_err(|source| {
        PlanError::Source(crate::schema::source::SourceError::Read {
            path: CONFIG_FILE.into(),
            source,
        })
    })?;
    let after = with_dialect(&text, to);
    if after != text {
        plan.changes.record(&path, Some(&text), Some(after));
    }
    Ok(())
}

/// The text with its top-level `dialect` line set to `to` (before the first
/// table), or removed for `migrate`, the default.
fn with_dialect(text: &str, to: DialectName) -> String {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let first_table = lines
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .unwrap_or(lines.len());
    let existing = lines[..first_table].iter().position(|l| {
        l.trim_start()
            .strip_prefix("dialect")
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    let line = format!("dialect = \"{}\"{eol}", to.as_str());
    match (existing, to) {
        (Some(at), DialectName::Migrate) => {
            lines.remove(at);
            if lines.get(at).is_some_and(|l| l.trim().is_empty()) {
                lines.remove(at);
            }
        }
        (Some(at), DialectName::Override) => {
            let mut out: String = lines.concat();
            let start: usize = lines[..at].iter().map(|l| l.len()).sum();
            out.replace_range(start..start + lines[at].len(), &line);
            return out;
        }
        (None, DialectName::Override) => {
            let mut out: String = lines[..first_table].concat();
            out.push_str(&line);
            out.push_str(eol);
            out.push_str(&lines[first_table..].concat());
            return out;
        }
        (None, DialectName::Migrate) => {}
    }
    lines.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialect_line_goes_before_the_first_table_and_back_out() {
        let text = "# ferry\n\n[python]\nschema = [\"a.graphql\"]\n";
        let on = with_dialect(text, DialectName::Override);
        assert_eq!(
            on,
            "# ferry\n\ndialect = \"override\"\n\n[python]\nschema = [\"a.graphql\"]\n"
        );
        assert_eq!(with_dialect(&on, DialectName::Migrate), text);
        assert_eq!(with_dialect(&on, DialectName::Override), on);
    }
}
