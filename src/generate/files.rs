//! The Go files of a generation: which file each new method, accessor and
//! resolver struct goes to (gqlgen's layout), and their text, spliced among
//! what a person wrote or laid out as a new file of gqlgen's.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::imports::FileImports;
use super::render::{
    ResolverAccessor, ResolverMethod, ResolverStruct, ResolversFile, RootResolver, render,
};
use super::service::{MethodSpec, Service};
use super::splice::{self, Existing, NewDecl, Splice, apply, place, with_line_endings};
use super::{GenError, GeneratedFile};
use crate::golang::index::GoIndex;
use crate::golang::type_mapping::GoType;
use crate::workspace::go_package::GoPackage;
use crate::workspace::gqlgen_config::Layout;

/// What goes into one file.
#[derive(Default)]
struct FilePlan {
    methods: Vec<(MethodSpec, Vec<String>)>,
    /// Objects whose resolver struct this file declares.
    structs: Vec<String>,
    /// Objects whose accessor this file declares.
    accessors: Vec<String>,
    root: bool,
}

pub(crate) fn plan_files(
    service: &Service<'_>,
    index: &GoIndex,
    methods: Vec<(MethodSpec, Vec<String>)>,
) -> Result<Vec<GeneratedFile>, GenError> {
    let root = service.resolver.root_type.as_str();
    let mut files: BTreeMap<PathBuf, FilePlan> = BTreeMap::new();
    let mut objects: Vec<String> = Vec::new();
    for (spec, comments) in methods {
        if !objects.contains(&spec.object) {
            objects.push(spec.object.clone());
        }
        files
            .entry(spec.file.clone())
            .or_default()
            .methods
            .push((spec, comments));
    }
    for object in objects {
        let file = service.object_file(&object);
        if !index.has_type(&service.receiver(&object)) {
            files
                .entry(file.clone())
                .or_default()
                .structs
                .push(object.clone());
        }
        if index
            .method(root, &service.accessor_name(&object))
            .is_none()
        {
            files.entry(file).or_default().accessors.push(object);
        }
    }
    if !files.is_empty() && !index.has_type(root) {
        files
            .entry(service.root_file().to_path_buf())
            .or_default()
            .root = true;
    }

    let ranks = service.method_ranks();
    let structs = service.resolver_structs();
    let mut known: Vec<GoPackage> = vec![
        service.model_package.clone(),
        service.exec_package.clone(),
        service.resolver_package.clone(),
    ];
    known.extend(
        service
            .config
            .autobind
            .iter()
            .map(|p| GoPackage::from_import_path(p)),
    );
    let context = FileContext {
        service,
        index,
        ranks: &ranks,
        structs: &structs,
        known: &known,
    };
    let mut generated = files
        .into_par_iter()
        .map(|(path, file_plan)| context.file(path, file_plan))
        .collect::<Result<Vec<_>, GenError>>()?;
    generated.retain(|file| file.before.as_deref() != Some(file.after.as_str()));
    generated.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(generated)
}

struct FileContext<'a> {
    service: &'a Service<'a>,
    index: &'a GoIndex,
    ranks: &'a HashMap<(String, String), splice::MethodRank>,
    structs: &'a HashSet<String>,
    known: &'a [GoPackage],
}

impl FileContext<'_> {
    fn file(&self, path: PathBuf, mut plan: FilePlan) -> Result<GeneratedFile, GenError> {
        let existing = self.index.file(&path);
        if let Some(file) = existing
            && let Some((line, column)) = file.parsed.first_syntax_error
        {
            return Err(GenError::GoSyntax {
                file: super::relative(self.service.root, &path),
                line,
                column,
            });
        }
        let service = self.service;
        let resolver = &service.resolver;
        let root = resolver.root_type.as_str();
        let mut imports = FileImports::new(
            &service.resolver_package,
            self.known,
            existing.map(|f| &f.parsed),
        );

        plan.methods.sort_by(|a, b| a.0.rank.cmp(&b.0.rank));
        plan.accessors.sort();
        plan.structs.sort_by_key(|object| service.receiver(object));

        let mut decls = Vec::new();
        if plan.root {
            decls.push(NewDecl::Root {
                text: render(&RootResolver { root })?,
            });
        }
        for (spec, comments) in &plan.methods {
            let mut qualify = |package: &GoPackage| imports.qualifier(package);
            let fmt = qualify(&GoPackage::new("fmt", "fmt")).unwrap_or_else(|| "fmt".to_string());
            let mut parameters = format!(
                "ctx {}.Context",
                qualify(&GoPackage::new("context", "context")).unwrap_or_default()
            );
            // The receiver and the body's `panic` and `fmt` must stay visible.
            let names = parameter_names(&spec.parameters, &["r", "ctx", "panic", &fmt]);
            for ((_, ty), name) in spec.parameters.iter().zip(&names) {
                parameters.push_str(&format!(", {name} {}", ty.render(&mut qualify)));
            }
            let mut result = spec.result.render(&mut qualify);
            if spec.stream {
                result = format!("<-chan {result}");
            }
            let text = render(&ResolverMethod {
                doc: (!resolver.omit_template_comment).then(|| {
                    format!(
                        "{} is the resolver for the {} field.",
                        spec.method, spec.field
                    )
                }),
                receiver: &spec.receiver,
                method: &spec.method,
                parameters,
                result,
                field: &spec.field,
                body_comments: comments.clone(),
                fmt,
            })?;
            decls.push(NewDecl::Method {
                rank: spec.rank.clone(),
                text,
            });
        }
        for object in &plan.accessors {
            let accessor = service.accessor_name(object);
            let interface = match imports.qualifier(&service.exec_package) {
                Some(prefix) => format!("{prefix}.{accessor}Resolver"),
                None => format!("{accessor}Resolver"),
            };
            let receiver = service.receiver(object);
            let text = render(&ResolverAccessor {
                doc: (!resolver.omit_template_comment)
                    .then(|| format!("{accessor} returns {interface} implementation.")),
                root,
                accessor: &accessor,
                one_line: ResolverAccessor::fits_on_one_line(
                    root, &accessor, &interface, &receiver,
                ),
                interface,
                receiver: &receiver,
            })?;
            decls.push(NewDecl::Accessor {
                name: accessor,
                text,
            });
        }
        for object in &plan.structs {
            let receiver = service.receiver(object);
            let text = render(&ResolverStruct {
                receiver: &receiver,
                root,
            })?;
            decls.push(NewDecl::Struct {
                name: receiver,
                text,
            });
        }

        match existing {
            Some(file) => {
                let ranks = self.ranks;
                let method_rank = |receiver: &str, name: &str| {
                    ranks
                        .get(&(receiver.to_string(), name.to_string()))
                        .cloned()
                };
                let structs = self.structs;
                let is_resolver_struct = |name: &str| structs.contains(name);
                let existing_decls = Existing {
                    method_rank: &method_rank,
                    root,
                    is_resolver_struct: &is_resolver_struct,
                };
                let mut splices: Vec<Splice> = imports.splices(&file.source, &file.parsed);
                splices.extend(place(&file.source, &file.parsed, decls, &existing_decls));
                let crlf = file.source.contains("\r\n");
                for splice in &mut splices {
                    splice.text = with_line_endings(&splice.text, crlf);
                }
                Ok(GeneratedFile {
                    path,
                    before: Some(file.source.clone()),
                    after: apply(&file.source, splices),
                })
            }
            None => {
                let after = self.new_file(&path, &imports, decls)?;
                Ok(GeneratedFile {
                    path,
                    before: None,
                    after,
                })
            }
        }
    }

    /// A file of its own, laid out as gqlgen lays out a resolvers file.
    fn new_file(
        &self,
        path: &Path,
        imports: &FileImports,
        mut decls: Vec<NewDecl>,
    ) -> Result<String, GenError> {
        let resolver = &self.service.resolver;
        let only_root = decls.iter().all(|d| matches!(d, NewDecl::Root { .. }));
        let notice = if only_root
            && resolver.layout == Layout::FollowSchema
            && path == resolver.filename
        {
            "// This file will not be regenerated automatically.\n//\n// It serves as dependency injection for your app, add any dependencies you require here."
        } else if resolver.layout == Layout::SingleFile {
            if resolver.preserve_resolver {
                "// THIS CODE IS A STARTING POINT ONLY. IT WILL NOT BE UPDATED WITH SCHEMA CHANGES."
            } else {
                "// THIS CODE WILL BE UPDATED WITH SCHEMA CHANGES. PREVIOUS IMPLEMENTATION FOR SCHEMA CHANGES WILL BE KEPT IN THE COMMENT SECTION. IMPLEMENTATION FOR UNCHANGED SCHEMA WILL BE KEPT."
            }
        } else if self.service.config.omit_gqlgen_file_notice {
            ""
        } else {
            "// This file will be automatically regenerated based on the schema, any resolver implementations\n// will be copied through when generating and any unknown code will be moved to the end.\n// Code partially generated by ferry, in the layout of github.com/99designs/gqlgen."
        };
        let mut blocks: Vec<String> = Some(notice.to_string())
            .filter(|n| !n.is_empty())
            .into_iter()
            .collect();
        blocks.extend(imports.block());
        decls.sort_by_key(|d| match d {
            NewDecl::Root { .. } => 0,
            NewDecl::Method { .. } => 1,
            NewDecl::Accessor { .. } => 2,
            NewDecl::Struct { .. } => 3,
        });
        let mut structs = Vec::new();
        for decl in decls {
            match decl {
                NewDecl::Root { text }
                | NewDecl::Method { text, .. }
                | NewDecl::Accessor { text, .. } => blocks.push(text),
                NewDecl::Struct { text, .. } => structs.push(text),
            }
        }
        if !structs.is_empty() {
            blocks.push(structs.join("\n"));
        }
        Ok(render(&ResolversFile {
            package: &resolver.package,
            blocks,
        })? + "\n")
    }
}

/// The parameters' Go names in ferry's method: gqlgen's, except that a name
/// the method itself needs takes gqlgen's `Arg` suffix (as a Go keyword does
/// in gqlgen), so an argument named `r`, `panic` or `fmt` compiles. Parameter
/// names are no part of the interface the method implements.
fn parameter_names(parameters: &[(String, GoType)], reserved: &[&str]) -> Vec<String> {
    let originals: Vec<&str> = parameters.iter().map(|(name, _)| name.as_str()).collect();
    let mut names: Vec<String> = Vec::with_capacity(parameters.len());
    for (name, _) in parameters {
        let mut chosen = name.clone();
        if reserved.contains(&chosen.as_str()) {
            chosen.push_str("Arg");
            while reserved.contains(&chosen.as_str())
                || originals.contains(&chosen.as_str())
                || names.contains(&chosen)
            {
                chosen.push_str("Arg");
            }
        }
        names.push(chosen);
    }
    names
}
