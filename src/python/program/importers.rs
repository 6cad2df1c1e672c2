//! Which of a field's definitions other modules import by name: deleting
//! one of those (`finish --delete-python`) would break the importing
//! module unless that import goes in the same change.

use super::super::PythonSpan;
use super::super::deletion::{ImportedDefinition, Importer};
use super::super::facts::{Fact, MODULE_SCOPE};
use super::{Program, Symbol};
use std::collections::{BTreeMap, BTreeSet};

impl Program {
    /// Of the module-level `def`s and `class`es at `definitions`, those
    /// another module imports with `from module import name`, with each
    /// importing file and the name it binds. `import module` followed by
    /// `module.name`, and star imports, are not followed.
    pub fn importers_of(&self, definitions: &BTreeSet<&PythonSpan>) -> Vec<ImportedDefinition> {
        let mut found: BTreeMap<PythonSpan, BTreeSet<Importer>> = BTreeMap::new();
        for (file, fact) in self.all_facts() {
            let Fact::Import {
                binds,
                attr: Some(attr),
                ..
            } = fact
            else {
                continue;
            };
            if binds == "*" || attr == "*" {
                continue;
            }
            let (Symbol::Function(definition) | Symbol::Class(definition)) =
                self.imported(file, fact, 0)
            else {
                continue;
            };
            if definition.file == file || self.scope(definition).parent != MODULE_SCOPE {
                continue;
            }
            let span = self.definition_span(definition);
            if definitions.contains(&span) {
                found.entry(span).or_default().insert(Importer {
                    file: self.file(file).path.clone(),
                    binds: binds.clone(),
                });
            }
        }
        found
            .into_iter()
            .map(|(definition, importers)| ImportedDefinition {
                definition,
                importers: importers.into_iter().collect(),
            })
            .collect()
    }
}
