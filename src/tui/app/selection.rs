//! Which fields are selected.

use crate::model::inventory::{FieldCoordinate, FieldRecord, Inventory};

/// The selected fields, as a mark per inventory index: selecting all of
/// 50,000 fields is one pass, and a reload maps them by name.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    marks: Vec<bool>,
    count: usize,
}

impl Selection {
    pub(super) fn of(coordinates: &[FieldCoordinate], inventory: &Inventory) -> Selection {
        let mut selection = Selection::default();
        for coordinate in coordinates {
            if let Ok(i) = inventory
                .fields
                .binary_search_by(|f| f.coordinate.cmp(coordinate))
            {
                selection.set(i, true);
            }
        }
        selection
    }

    pub fn contains(&self, index: usize) -> bool {
        self.marks.get(index).copied().unwrap_or(false)
    }

    pub fn set(&mut self, index: usize, selected: bool) {
        if index >= self.marks.len() {
            if !selected {
                return;
            }
            self.marks.resize(index + 1, false);
        }
        if self.marks[index] != selected {
            self.marks[index] = selected;
            if selected {
                self.count += 1;
            } else {
                self.count -= 1;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn clear(&mut self) {
        *self = Selection::default();
    }

    /// The selected fields, in inventory order.
    pub fn coordinates(&self, fields: &[FieldRecord]) -> Vec<FieldCoordinate> {
        self.marks
            .iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .filter_map(|(i, _)| fields.get(i).map(|f| f.coordinate.clone()))
            .collect()
    }
}
