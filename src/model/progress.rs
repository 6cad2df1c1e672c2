//! A service's progress over the inventory's fields.

use crate::model::inventory::{FieldRecord, ServiceProgress};
use crate::model::stage::Stage;
use crate::workspace::Service;
use std::collections::BTreeMap;

/// A service's progress: the fields it claims, plus those at python that
/// its `owns` plans; key fields are nobody's to earn, Go-only ones not
/// part of the migration.
pub(super) fn progress(service: &Service, fields: &[FieldRecord]) -> ServiceProgress {
    let mut by_stage = BTreeMap::new();
    let mut planned = 0;
    let mut served_by_go = 0;
    for field in fields {
        let owned = field.service.as_deref() == Some(service.name.as_str());
        let in_scope = field.stage == Stage::Python
            && field.planned_for.as_deref() == Some(service.name.as_str());
        if !(owned || in_scope) {
            continue;
        }
        *by_stage.entry(field.stage).or_insert(0) += 1;
        if field.stage != Stage::Go {
            planned += 1;
            if field.stage.served_by_go() {
                served_by_go += 1;
            }
        }
    }
    ServiceProgress {
        name: service.name.clone(),
        by_stage,
        planned,
        served_by_go,
    }
}
