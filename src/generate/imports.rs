//! The imports of one Go file being written: which name each package goes by
//! there, and the text that adds the missing ones where gofmt would keep them
//! (standard library first, each group sorted by path).

use std::collections::{BTreeSet, HashSet};

use crate::golang::source_file::{GoSourceFile, ImportDecl, ImportSpec};
use crate::workspace::go_package::{
    GoPackage, guess_package_name, is_standard_library, last_path_element,
};

use super::render::{ImportBlock, render};
use super::splice::Splice;

#[derive(Debug, Clone)]
struct Existing {
    alias: Option<String>,
    path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Added {
    path: String,
    /// Written only when the name differs from the path's last element.
    alias: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct FileImports {
    /// The package the file belongs to: its own types need no qualifier.
    own: GoPackage,
    /// Packages ferry knows the real names of.
    known: Vec<GoPackage>,
    existing: Vec<Existing>,
    added: BTreeSet<Added>,
    names: HashSet<String>,
}

impl FileImports {
    pub fn new(own: &GoPackage, known: &[GoPackage], parsed: Option<&GoSourceFile>) -> FileImports {
        let mut imports = FileImports {
            own: own.clone(),
            known: known.to_vec(),
            existing: Vec::new(),
            added: BTreeSet::new(),
            names: HashSet::new(),
        };
        for spec in parsed
            .iter()
            .flat_map(|p| &p.imports)
            .flat_map(|d| &d.specs)
        {
            let existing = Existing {
                alias: spec.alias.clone(),
                path: spec.path.clone(),
            };
            if let Some(name) = imports.name_of_existing(&existing) {
                imports.names.insert(name);
            }
            imports.existing.push(existing);
        }
        imports
    }

    fn name_of_existing(&self, existing: &Existing) -> Option<String> {
        match existing.alias.as_deref() {
            Some("_") | Some(".") => None,
            Some(alias) => Some(alias.to_string()),
            None => Some(
                self.known
                    .iter()
                    .find(|p| p.import_path == existing.path)
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| guess_package_name(&existing.path)),
            ),
        }
    }

    /// The qualifier for `package` in this file (`None`: it is this file's
    /// package), importing it if needed under a free name.
    pub fn qualifier(&mut self, package: &GoPackage) -> Option<String> {
        if package.import_path == self.own.import_path {
            return None;
        }
        if let Some(existing) = self.existing.iter().find(|e| e.path == package.import_path)
            && let Some(name) = self.name_of_existing(existing)
        {
            return Some(name);
        }
        if let Some(added) = self.added.iter().find(|a| a.path == package.import_path) {
            return Some(added.alias.clone().unwrap_or_else(|| package.name.clone()));
        }
        let mut name = package.name.clone();
        let mut suffix = 1;
        while self.names.contains(&name) {
            name = format!("{}{suffix}", package.name);
            suffix += 1;
        }
        self.names.insert(name.clone());
        let alias = (name != last_path_element(&package.import_path)).then(|| name.clone());
        self.added.insert(Added {
            path: package.import_path.clone(),
            alias,
        });
        Some(name)
    }

    #[cfg(test)]
    pub fn has_additions(&self) -> bool {
        !self.added.is_empty()
    }

    /// The import declaration of a new file.
    pub fn block(&self) -> Option<String> {
        if self.added.is_empty() {
            return None;
        }
        let (standard, others): (Vec<&Added>, Vec<&Added>) = self
            .added
            .iter()
            .partition(|a| is_standard_library(&a.path));
        let groups = [standard, others]
            .into_iter()
            .filter(|group| !group.is_empty())
            .map(|group| group.into_iter().map(spec_text).collect())
            .collect();
        Some(render(&ImportBlock { groups }).expect("the import template renders"))
    }

    /// The splices that add the new imports to an existing file.
    pub fn splices(&self, source: &str, parsed: &GoSourceFile) -> Vec<Splice> {
        if self.added.is_empty() {
            return Vec::new();
        }
        if let Some(declaration) = parsed.imports.iter().find(|d| d.parenthesized) {
            return self.splices_into_block(source, declaration);
        }
        if let [single] = parsed.imports.as_slice() {
            // `import "fmt"` becomes a block holding it and the new ones.
            let mut merged = self.clone();
            for spec in &single.specs {
                merged.added.insert(Added {
                    path: spec.path.clone(),
                    alias: spec.alias.clone(),
                });
            }
            return vec![Splice::replace(
                single.start..single.end,
                merged.block().unwrap_or_default(),
            )];
        }
        let block = self.block().unwrap_or_default();
        if let Some(last) = parsed.imports.last() {
            return vec![Splice::insert(last.end, format!("\n\n{block}"))];
        }
        // No imports yet: the block goes before the first declaration, or
        // after the package clause when there is none.
        match parsed.decls.first() {
            Some(first) => vec![Splice::insert(first.start, format!("{block}\n\n"))],
            None => {
                let at = parsed.package_clause_end.min(source.len());
                vec![Splice::insert(at, format!("\n\n{block}"))]
            }
        }
    }

    /// Each new import into the group gofmt would sort it into.
    fn splices_into_block(&self, source: &str, declaration: &ImportDecl) -> Vec<Splice> {
        let groups = groups(&declaration.specs);
        let mut insertions = Vec::new();
        let mut new_standard_group = Vec::new();
        let mut new_other_group = Vec::new();
        for added in &self.added {
            let standard = is_standard_library(&added.path);
            let group = groups
                .iter()
                .filter(|g| g.iter().any(|s| is_standard_library(&s.path) == standard))
                .max_by_key(|g| {
                    g.iter()
                        .map(|s| common_prefix(&s.path, &added.path))
                        .max()
                        .unwrap_or(0)
                });
            let Some(group) = group else {
                if standard {
                    new_standard_group.push(spec_text(added));
                } else {
                    new_other_group.push(spec_text(added));
                }
                continue;
            };
            let line = format!("\t{}\n", spec_text(added));
            let offset = match group.iter().find(|s| s.path.as_str() > added.path.as_str()) {
                Some(next) => line_start(source, next.start),
                None => line_end(source, group.last().expect("groups are not empty").end),
            };
            insertions.push(Splice::insert(offset, line));
        }
        if !new_standard_group.is_empty() {
            let first = declaration
                .specs
                .first()
                .expect("a parenthesized block with specs");
            let text: String = new_standard_group
                .iter()
                .map(|spec| format!("\t{spec}\n"))
                .collect();
            insertions.push(Splice::insert(
                line_start(source, first.start),
                format!("{text}\n"),
            ));
        }
        if !new_other_group.is_empty() {
            let offset = match declaration.specs.last() {
                Some(last) => line_end(source, last.end),
                None => declaration.end - 1,
            };
            let text: String = new_other_group
                .iter()
                .map(|spec| format!("\t{spec}\n"))
                .collect();
            let separator = if declaration.specs.is_empty() {
                ""
            } else {
                "\n"
            };
            insertions.push(Splice::insert(offset, format!("{separator}{text}")));
        }
        insertions
    }
}

fn spec_text(added: &Added) -> String {
    match &added.alias {
        Some(alias) => format!("{alias} \"{}\"", added.path),
        None => format!("\"{}\"", added.path),
    }
}

/// Runs of import specs not separated by blank lines: gofmt sorts each run.
fn groups(specs: &[ImportSpec]) -> Vec<Vec<&ImportSpec>> {
    let mut groups: Vec<Vec<&ImportSpec>> = Vec::new();
    for spec in specs {
        match groups.last_mut() {
            Some(group)
                if group
                    .last()
                    .is_some_and(|p| spec.start_row <= p.end_row + 1) =>
            {
                group.push(spec)
            }
            _ => groups.push(vec![spec]),
        }
    }
    groups
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just past the newline ending the line at `offset`.
fn line_end(source: &str, offset: usize) -> usize {
    source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::splice::apply;

    fn model() -> GoPackage {
        GoPackage::new("example.com/svc/graph/model", "model")
    }
    fn own() -> GoPackage {
        GoPackage::new("example.com/svc/graph", "graph")
    }

    fn add(source: &str, packages: &[GoPackage]) -> String {
        let parsed = GoSourceFile::parse(source);
        let mut imports = FileImports::new(&own(), &[model()], Some(&parsed));
        for package in packages {
            imports.qualifier(package);
        }
        apply(source, imports.splices(source, &parsed))
    }

    #[test]
    fn new_files_group_standard_library_first() {
        let mut imports = FileImports::new(&own(), &[], None);
        assert_eq!(imports.qualifier(&model()), Some("model".to_string()));
        assert_eq!(
            imports.qualifier(&GoPackage::new("time", "time")),
            Some("time".to_string())
        );
        assert_eq!(
            imports.qualifier(&GoPackage::new("context", "context")),
            Some("context".to_string())
        );
        assert_eq!(imports.qualifier(&own()), None);
        assert_eq!(
            imports.block().unwrap(),
            "import (\n\t\"context\"\n\t\"time\"\n\n\t\"example.com/svc/graph/model\"\n)"
        );
    }

    #[test]
    fn names_that_clash_get_an_alias() {
        let source = "package graph\n\nimport (\n\tmodel \"example.com/other/model\"\n)\n";
        let parsed = GoSourceFile::parse(source);
        let mut imports = FileImports::new(&own(), &[model()], Some(&parsed));
        assert_eq!(imports.qualifier(&model()), Some("model1".to_string()));
        let out = apply(source, imports.splices(source, &parsed));
        assert_eq!(
            out,
            "package graph\n\nimport (\n\tmodel \"example.com/other/model\"\n\tmodel1 \"example.com/svc/graph/model\"\n)\n"
        );
    }

    #[test]
    fn existing_imports_are_reused_under_their_alias() {
        let source = "package graph\n\nimport (\n\tm \"example.com/svc/graph/model\"\n)\n";
        let parsed = GoSourceFile::parse(source);
        let mut imports = FileImports::new(&own(), &[model()], Some(&parsed));
        assert_eq!(imports.qualifier(&model()), Some("m".to_string()));
        assert!(!imports.has_additions());
    }

    #[test]
    fn inserts_into_the_sorted_place_of_each_group() {
        let source = "package graph\n\nimport (\n\t\"context\"\n\t\"strings\"\n\n\t\"example.com/svc/graph/generated\"\n)\n";
        let out = add(
            source,
            &[
                GoPackage::new("fmt", "fmt"),
                GoPackage::new("time", "time"),
                model(),
            ],
        );
        assert_eq!(
            out,
            "package graph\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"strings\"\n\t\"time\"\n\n\t\"example.com/svc/graph/generated\"\n\t\"example.com/svc/graph/model\"\n)\n"
        );
    }

    #[test]
    fn opens_missing_groups() {
        let source = "package graph\n\nimport (\n\t\"example.com/svc/graph/generated\"\n)\n";
        let out = add(source, &[GoPackage::new("context", "context")]);
        assert_eq!(
            out,
            "package graph\n\nimport (\n\t\"context\"\n\n\t\"example.com/svc/graph/generated\"\n)\n"
        );
        let source = "package graph\n\nimport (\n\t\"context\"\n)\n";
        let out = add(source, &[model()]);
        assert_eq!(
            out,
            "package graph\n\nimport (\n\t\"context\"\n\n\t\"example.com/svc/graph/model\"\n)\n"
        );
    }

    #[test]
    fn a_single_import_becomes_a_block() {
        let source = "package graph\n\nimport \"fmt\"\n\nfunc a() { fmt.Println() }\n";
        let out = add(source, &[GoPackage::new("context", "context"), model()]);
        assert_eq!(
            out,
            "package graph\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\n\t\"example.com/svc/graph/model\"\n)\n\nfunc a() { fmt.Println() }\n"
        );
    }

    #[test]
    fn files_without_imports_get_a_block_before_their_first_declaration() {
        let source = "package graph\n\n// Resolver is the root.\ntype Resolver struct{}\n";
        let out = add(source, &[GoPackage::new("context", "context")]);
        assert_eq!(
            out,
            "package graph\n\nimport (\n\t\"context\"\n)\n\n// Resolver is the root.\ntype Resolver struct{}\n"
        );
        let out = add("package graph\n", &[GoPackage::new("context", "context")]);
        assert_eq!(out, "package graph\n\nimport (\n\t\"context\"\n)\n");
    }
}
