//! The federation form of what `mark` writes into a service: its version
//! (from the service's files, else `federation` in ferry.toml, else
//! gqlgen.yml's `federation.version`, else v2), each federation directive's
//! name there, monolith text renamed into those names, and the `@link`
//! imports the written text needs.

use crate::edit::splice::{Splice, apply, whitespace_before};
use crate::migration::schema_text::{reindent, string_value};
use crate::model::ledger::Scaffold;
use crate::schema::federation::{
    FEDERATION_SPEC, FederationNames, FederationVersion, ImportItem, NEW_LINK_MINOR, defined_names,
    definition_directives, import_items, in_v1, introduced_in, link_version, spec_order,
};
use crate::schema::loaded::{LoadedSchema, ParsedFile};
use crate::schema::migrate_directive::span_of;
use crate::workspace::Service;
use apollo_compiler::ast;
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

/// A directive of the monolith's text that the target cannot declare
/// (federation v1 has no `@shareable`, `@tag`, …), left out of the copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DroppedDirective {
    /// The type (or `Type.field`) it was on.
    pub definition: String,
    /// As the monolith wrote it: `@shareable`.
    pub directive: String,
}

/// Where the service's federation `@link` is, and its `import:` list.
struct LinkSite {
    file: String,
    /// The `extend schema` (or `schema`) holding it, when it holds nothing
    /// else: what rollback removes with a `@link` ferry wrote.
    lone_definition: Option<Range<usize>>,
    /// End of the directive's last argument: where an `import:` goes.
    arguments_end: usize,
    /// The `url:` string as written, and its range.
    url: String,
    url_span: Range<usize>,
    imports: Option<ImportList>,
}

struct ImportList {
    /// From the end of the argument before it to the end of `import: […]`.
    argument: Range<usize>,
    /// The `[` … `]`.
    list: Range<usize>,
    items: Vec<ImportItem>,
    /// What stands between its last two entries (`, `, or a comma, a
    /// newline and indentation): how an added entry is set off.
    separator: String,
}

/// The target service's federation form, and what the text written into it uses.
pub(super) struct TargetForm {
    pub version: FederationVersion,
    names: FederationNames,
    link: Option<LinkSite>,
    /// Directive names the service defines itself: never imported over.
    defined: HashSet<String>,
    used: BTreeSet<&'static str>,
    /// The least federation v2 minor version the written text needs
    /// beyond its directives' own (an `@override` label needs 2.7).
    required_minor: u32,
    pub dropped: Vec<DroppedDirective>,
}

/// The version for a service whose files show none.
fn configured_version(service: &Service) -> FederationVersion {
    let gqlgen = service
        .gqlgen_config
        .as_ref()
        .and_then(|c| c.federation.as_ref())
        .and_then(|f| f.version);
    match service.federation.or(gqlgen) {
        Some(1) => FederationVersion::V1,
        _ => FederationVersion::V2,
    }
}

impl TargetForm {
    pub fn of(service: &Service, loaded: &LoadedSchema) -> TargetForm {
        let names = if loaded.federation.stated {
            loaded.federation.clone()
        } else {
            match configured_version(service) {
                FederationVersion::V1 => FederationNames::v1(),
                FederationVersion::V2 => FederationNames::new_v2_link(),
            }
        };
        let defined = loaded
            .files
            .iter()
            .flat_map(|f| defined_names(&f.doc))
            .map(str::to_string)
            .collect();
        TargetForm {
            version: names.version,
            link: find_link(&loaded.files),
            names,
            defined,
            used: BTreeSet::new(),
            required_minor: 0,
            dropped: Vec::new(),
        }
    }

    /// The written text needs at least federation v2.`minor`.
    pub fn require_minor(&mut self, minor: u32) {
        self.required_minor = self.required_minor.max(minor);
    }

    /// The form of a service as it stands, to recognize text `mark` copied
    /// into it (rollback's cleanup).
    pub fn of_files(files: &[ParsedFile]) -> TargetForm {
        let names = FederationNames::detect(files.iter().map(|f| &f.doc));
        TargetForm {
            version: names.version,
            link: find_link(files),
            defined: files
                .iter()
                .flat_map(|f| defined_names(&f.doc))
                .map(str::to_string)
                .collect(),
            names,
            used: BTreeSet::new(),
            required_minor: 0,
            dropped: Vec::new(),
        }
    }

    /// This service's name for a federation directive, recorded as used;
    /// `None` when federation v1 cannot declare it.
    pub fn name(&mut self, spec_name: &'static str) -> Option<String> {
        if self.version == FederationVersion::V1 {
            return in_v1(spec_name).then(|| spec_name.to_string());
        }
        self.used.insert(spec_name);
        let local = if self.names.imports(spec_name) || self.link.is_none() {
            self.names.directive(spec_name).to_string()
        } else if self.defined.contains(spec_name) {
            self.names.prefixed(spec_name)
        } else {
            spec_name.to_string()
        };
        Some(local)
    }

    /// ` @shareable` in v2 (a field or value type the monolith resolves
    /// too must be shareable to compose); nothing in v1, where composition
    /// treats every such field as shareable.
    pub fn shareable(&mut self) -> String {
        match self.version {
            FederationVersion::V1 => String::new(),
            FederationVersion::V2 => format!(" @{}", self.name("shareable").expect("v2")),
        }
    }

    /// A monolith definition as `mark` copies it: verbatim but for its
    /// federation directives, renamed into this service's names (dropped
    /// where v1 cannot declare them), and `@shareable` on an object type in v2.
    pub fn copy_definition(
        &mut self,
        monolith: &LoadedSchema,
        file: &ParsedFile,
        definition: &ast::Definition,
        indent: &str,
        eol: &str,
    ) -> String {
        let span = definition
            .location()
            .map(|l| l.offset()..l.end_offset())
            .unwrap_or(0..0);
        let text = &file.source.text;
        let type_name = definition.name().map(|n| n.to_string()).unwrap_or_default();
        let mut splices = Vec::new();
        let mut shareable_already = false;
        for directive in definition_directives(definition) {
            let Some(spec) = monolith.federation.spec_name(&directive.name) else {
                continue;
            };
            let on_type = definition_level(definition, directive);
            shareable_already |= spec == "shareable" && on_type;
            let directive_span = span_of(directive);
            match self.name(spec) {
                Some(local) if local == directive.name.as_str() => {}
                Some(local) => {
                    let name = directive
                        .name
                        .location()
                        .map(|l| l.offset()..l.end_offset())
                        .unwrap_or(directive_span.start + 1..directive_span.start + 1);
                    splices.push(Splice::replace(
                        name.start - span.start..name.end - span.start,
                        local,
                    ));
                }
                None => {
                    splices.push(Splice::delete(
                        whitespace_before(text, directive_span.start) - span.start
                            ..directive_span.end - span.start,
                    ));
                    self.dropped.push(DroppedDirective {
                        definition: type_name.clone(),
                        directive: format!("@{}", directive.name),
                    });
                }
            }
        }
        if let ast::Definition::ObjectTypeDefinition(object) = definition
            && self.version == FederationVersion::V2
            && !shareable_already
        {
            let after_head = object
                .implements_interfaces
                .iter()
                .chain(std::iter::once(&object.name))
                .filter_map(|n| n.location())
                .map(|l| l.end_offset())
                .max()
                .unwrap_or(span.start);
            let shareable = self.shareable();
            splices.push(Splice::insert(after_head - span.start, shareable));
        }
        let copied =
            apply(&text[span.clone()], &splices).unwrap_or_else(|_| text[span].to_string());
        reindent(&copied, &file.source.indent(), indent, eol)
    }

    /// The `@link` edits the written text needs: a whole new `extend
    /// schema @link(…)` (returned as text for `mark` to put first), or
    /// entries added to the existing `import:` list in its own layout.
    pub fn link_edits(&self, monolith: &FederationNames) -> LinkEdits {
        let mut edits = LinkEdits::default();
        if self.version == FederationVersion::V1 || self.used.is_empty() {
            return edits;
        }
        let mut needed: Vec<&'static str> = self
            .used
            .iter()
            .copied()
            .filter(|spec| {
                self.link.is_none() || (!self.names.imports(spec) && !self.defined.contains(*spec))
            })
            .collect();
        needed.sort_by_key(|spec| spec_order(spec));
        let quoted: Vec<String> = needed
            .iter()
            .map(|spec| string_value(&format!("@{spec}")))
            .collect();
        let needed_minor = self
            .used
            .iter()
            .map(|spec| introduced_in(spec))
            .chain([self.required_minor])
            .max()
            .unwrap_or(0);
        let Some(link) = &self.link else {
            let minor = [needed_minor, NEW_LINK_MINOR]
                .into_iter()
                .chain(monolith.link_version.map(|(_, minor)| minor))
                .max()
                .unwrap_or(NEW_LINK_MINOR);
            edits.new_link = Some(format!(
                "extend schema @link(url: {}, import: [{}])",
                string_value(&format!("https://{FEDERATION_SPEC}.{minor}")),
                quoted.join(", ")
            ));
            edits.scaffold.link = true;
            return edits;
        };
        if let Some((major, minor)) = link_version(&link.url)
            && minor < needed_minor
        {
            let raised = link.url.replacen(
                &format!("v{major}.{minor}"),
                &format!("v{major}.{needed_minor}"),
                1,
            );
            edits.splices.push((
                link.file.clone(),
                Splice::replace(link.url_span.clone(), string_value(&raised)),
            ));
            edits.scaffold.link_url = Some(link.url.clone());
        }
        if needed.is_empty() {
            return edits;
        }
        edits.scaffold.imports = quoted
            .iter()
            .map(|q| q.trim_matches('"').to_string())
            .collect();
        let splice = match &link.imports {
            Some(list) => match list.items.as_slice() {
                [] => Splice::insert(list.list.start + 1, quoted.join(", ")),
                [.., last] => {
                    let text: String = quoted
                        .iter()
                        .map(|q| format!("{}{q}", list.separator))
                        .collect();
                    Splice::insert(last.span.end, text)
                }
            },
            None => {
                edits.scaffold.import_argument = true;
                Splice::insert(
                    link.arguments_end,
                    format!(", import: [{}]", quoted.join(", ")),
                )
            }
        };
        edits.splices.push((link.file.clone(), splice));
        edits
    }
}

/// What the link needs.
#[derive(Debug, Default)]
pub(super) struct LinkEdits {
    pub new_link: Option<String>,
    pub splices: Vec<(String, Splice)>,
    pub scaffold: Scaffold,
}

/// Whether a directive sits on the definition itself rather than on one
/// of its fields, arguments or values.
fn definition_level(definition: &ast::Definition, directive: &ast::Directive) -> bool {
    let own = match definition {
        ast::Definition::ObjectTypeDefinition(d) => &d.directives,
        ast::Definition::InterfaceTypeDefinition(d) => &d.directives,
        ast::Definition::ObjectTypeExtension(d) => &d.directives,
        _ => return false,
    };
    own.iter().any(|d| std::ptr::eq(d.as_ref(), directive))
}

/// The service's federation v2 `@link`, with the byte ranges an edit needs.
fn find_link(files: &[ParsedFile]) -> Option<LinkSite> {
    for file in files {
        for definition in &file.doc.definitions {
            let directives = match definition {
                ast::Definition::SchemaDefinition(d) => &d.directives,
                ast::Definition::SchemaExtension(d) => &d.directives,
                _ => continue,
            };
            for link in directives.get_all("link") {
                let url = link
                    .specified_argument_by_name("url")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                if !url.contains(FEDERATION_SPEC) {
                    continue;
                }
                let url_span = link
                    .specified_argument_by_name("url")
                    .map(span_of)
                    .unwrap_or(0..0);
                let arguments_end = link
                    .arguments
                    .iter()
                    .map(|a| span_of(a).end)
                    .max()
                    .unwrap_or(span_of(link).end);
                let (holds_only_the_link, definition_span) = match definition {
                    ast::Definition::SchemaDefinition(d) => (
                        d.directives.len() == 1 && d.root_operations.is_empty(),
                        span_of(d),
                    ),
                    ast::Definition::SchemaExtension(d) => (
                        d.directives.len() == 1 && d.root_operations.is_empty(),
                        span_of(d),
                    ),
                    _ => unreachable!("matched above"),
                };
                let imports = link
                    .arguments
                    .iter()
                    .enumerate()
                    .find(|(_, a)| a.name == "import")
                    .map(|(i, a)| {
                        let items: Vec<ImportItem> = import_items(link).collect();
                        let separator = match items.as_slice() {
                            [.., before, last] => {
                                file.source.text[before.span.end..last.span.start].to_string()
                            }
                            _ => ", ".to_string(),
                        };
                        let start = match i {
                            0 => span_of(a).start,
                            _ => span_of(&link.arguments[i - 1]).end,
                        };
                        ImportList {
                            argument: start..span_of(a).end,
                            list: span_of(&a.value),
                            items,
                            separator,
                        }
                    });
                return Some(LinkSite {
                    file: file.source.path.rel.clone(),
                    lone_definition: holds_only_the_link.then_some(definition_span),
                    arguments_end,
                    url: url.to_string(),
                    url_span,
                    imports,
                });
            }
        }
    }
    None
}

/// Rollback's side of the `@link`: the import entries the ledger says a
/// `mark` added that no text uses any more, the `import:` argument it
/// added once empty, and the whole `@link` it wrote once nothing uses
/// federation.
pub(super) fn unused_link_removals(
    files: &[ParsedFile],
    scaffold: &Scaffold,
) -> Vec<(String, Splice)> {
    let Some(link) = find_link(files) else {
        return Vec::new();
    };
    let names = FederationNames::detect(files.iter().map(|f| &f.doc));
    let used: HashSet<&str> = files
        .iter()
        .flat_map(|f| crate::schema::federation::directive_uses(&f.doc))
        .filter(|name| *name != "link")
        .collect();
    let file = files
        .iter()
        .find(|f| f.source.path.rel == link.file)
        .expect("the link is in one of the files");
    if scaffold.link
        && !used.iter().any(|name| names.spec_name(name).is_some())
        && let Some(span) = link.lone_definition
    {
        return vec![(
            link.file.clone(),
            crate::migration::schema_text::remove(file, span),
        )];
    }
    let mut splices = Vec::new();
    if let Some(original) = &scaffold.link_url
        && *original != link.url
        && !needs_raised_version(files, &names, &used, original)
    {
        splices.push((
            link.file.clone(),
            Splice::replace(link.url_span.clone(), string_value(original)),
        ));
    }
    let Some(list) = &link.imports else {
        return splices;
    };
    let unused = |item: &ImportItem| {
        scaffold.imports.contains(&item.name) && !used.contains(item.alias.trim_start_matches('@'))
    };
    let removed: Vec<usize> = (0..list.items.len())
        .filter(|&i| unused(&list.items[i]))
        .collect();
    if removed.is_empty() {
        return splices;
    }
    if removed.len() == list.items.len() && scaffold.import_argument {
        splices.push((link.file.clone(), Splice::delete(list.argument.clone())));
        return splices;
    }
    splices.extend(removed.into_iter().map(|i| {
        let item = &list.items[i];
        let range = match i {
            0 => match list.items.get(1) {
                Some(next) => item.span.start..next.span.start,
                None => item.span.clone(),
            },
            _ => list.items[i - 1].span.end..item.span.end,
        };
        (link.file.clone(), Splice::delete(range))
    }));
    splices
}

/// Whether the text still needs a federation version above the `@link`
/// url ferry raised: an `@override` label (2.7), or a directive newer than
/// `original`.
fn needs_raised_version(
    files: &[ParsedFile],
    names: &FederationNames,
    used: &HashSet<&str>,
    original: &str,
) -> bool {
    let Some((_, minor)) = link_version(original) else {
        return true;
    };
    let override_name = names.directive("override");
    let labeled = files.iter().any(|f| {
        crate::schema::fields::field_definitions(&f.doc).any(|(_, _, field)| {
            field
                .directives
                .get_all(override_name)
                .any(|d| d.specified_argument_by_name("label").is_some())
        })
    });
    labeled
        || used
            .iter()
            .filter_map(|name| names.spec_name(name))
            .any(|spec| introduced_in(spec) > minor)
}
