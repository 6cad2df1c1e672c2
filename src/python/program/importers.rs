//! Which of a field's definitions other modules import by name: deleting
//! one of those (`finish --delete-python`) would break the importing
//! module unless that import goes in the same change.

use super::super::PythonSpan;
use super::super::deletion::{ImportedDefinition, Importer};
use super::super::facts::{Fact, MODULE_SCOPE};
use super::{FileId, Program, Symbol};
use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, BTreeSet};

impl Program {
    /// Of the module-level `def`s and `class`es at `definitions`, those
    /// another module imports with `from module import name`, with each
    /// importing file and the name it binds. `import module` followed by
    /// `module.name`, and star imports, are not followed.
    pub fn importers_of(&self, definitions: &FxHashSet<&PythonSpan>) -> Vec<ImportedDefinition> {
        use rayon::prelude::*;
        // Each file's imports are resolved on every core; the pairs are
        // then put in order.
        let imports: Vec<(PythonSpan, Importer)> = (0..self.files.len())
            .into_par_iter()
            .flat_map_iter(|id| {
                let file = id as FileId;
                let source = &self.files[id];
                source.tables.from_imports.iter().filter_map(move |&index| {
                    self.importer(file, &source.facts.facts[index], definitions)
                })
            })
            .collect();
        let mut found: BTreeMap<PythonSpan, BTreeSet<Importer>> = BTreeMap::new();
        for (definition, importer) in imports {
            found.entry(definition).or_default().insert(importer);
        }
        found
            .into_iter()
            .map(|(definition, importers)| ImportedDefinition {
                definition,
                importers: importers.into_iter().collect(),
            })
            .collect()
    }

    /// The definition among `definitions` that `fact` (an import in
    /// `file`) binds by name, with the importer.
    fn importer(
        &self,
        file: FileId,
        fact: &Fact,
        definitions: &FxHashSet<&PythonSpan>,
    ) -> Option<(PythonSpan, Importer)> {
        let Fact::Import {
            binds,
            attr: Some(attr),
            ..
        } = fact
        else {
            return None;
        };
        if binds == "*" || attr == "*" {
            return None;
        }
        let (Symbol::Function(definition) | Symbol::Class(definition)) =
            self.imported(file, fact, 0)
        else {
            return None;
        };
        if definition.file == file || self.scope(definition).parent != MODULE_SCOPE {
            return None;
        }
        let span = self.definition_span(definition);
        definitions.contains(&span).then(|| {
            let importer = Importer {
                file: self.file(file).path.clone(),
                binds: binds.clone(),
            };
            (span, importer)
        })
    }
}
