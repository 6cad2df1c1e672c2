//! A service's `gqlgen.yml`, read the way gqlgen reads it: the defaults gqlgen
//! fills in, and every path resolved against the directory of the yml.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::workspace::go_package::{GoModule, GoPackage, normalize, package_name_for_dir};
use crate::workspace::gqlgen_yml::{RawConfig, RawResolver, StringOrList};
use globset::{GlobBuilder, GlobMatcher};

#[derive(Debug, thiserror::Error)]
pub enum GqlgenConfigError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Yaml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Where gqlgen writes resolvers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Everything in one file (`resolver.filename`).
    #[default]
    SingleFile,
    /// One `<schema-name>.resolvers.go` per schema file, in `resolver.dir`.
    FollowSchema,
}

/// `exec:`: where gqlgen puts the generated executor and its resolver interfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecConfig {
    pub layout: Layout,
    /// `exec.filename` (single-file layout).
    pub filename: PathBuf,
    /// The package's directory: `exec.dir`, or the directory of `exec.filename`.
    pub dir: PathBuf,
    pub package: String,
}

/// `federation:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederationConfig {
    pub filename: Option<PathBuf>,
    pub package: Option<String>,
    /// `federation.version`; when absent gqlgen looks for a federation v2 `@link`.
    pub version: Option<u32>,
}

/// `model:`: where gqlgen generates the models the schema does not bind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelConfig {
    pub filename: PathBuf,
    pub dir: PathBuf,
    pub package: String,
}

/// `resolver:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolverConfig {
    pub layout: Layout,
    /// The resolver package's directory (`resolver.dir`, or the directory of
    /// `resolver.filename` in the single-file layout).
    pub dir: PathBuf,
    pub package: String,
    /// Single-file: the file of all resolvers. Follow-schema: the file of the
    /// root `Resolver` struct (`resolver.go` by default).
    pub filename: PathBuf,
    /// `{name}.resolvers.go` unless configured.
    pub filename_template: String,
    /// The root resolver struct, `Resolver` unless configured (`resolver.type`).
    pub root_type: String,
    pub omit_template_comment: bool,
    pub preserve_resolver: bool,
}

/// One entry of `models:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelBinding {
    /// Go types (`import/path.Type`), first one wins for resolver signatures.
    pub model: Vec<String>,
    pub fields: BTreeMap<String, FieldBinding>,
}

/// `models: T: fields: f:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldBinding {
    pub resolver: bool,
    pub field_name: Option<String>,
}

/// `directives: d:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectiveConfig {
    pub skip_runtime: bool,
}

/// gqlgen's `go_initialisms`: words kept upper-case in Go names, added to
/// gqlgen's defaults or replacing them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoInitialisms {
    pub replace_defaults: bool,
    pub extra: Vec<String>,
}

/// A parsed `gqlgen.yml`, with gqlgen's defaults applied.
#[derive(Debug, Clone, PartialEq)]
pub struct GqlgenConfig {
    /// The yml itself.
    pub path: PathBuf,
    /// Its directory, against which every path in it is resolved.
    pub dir: PathBuf,
    /// `schema:` as written (globs, relative to `dir`).
    pub schema: Vec<String>,
    /// The schema files the globs match, sorted.
    pub schema_files: Vec<PathBuf>,
    pub exec: ExecConfig,
    pub federation: Option<FederationConfig>,
    pub model: ModelConfig,
    /// Absent when gqlgen is not asked to write resolvers.
    pub resolver: Option<ResolverConfig>,
    pub models: BTreeMap<String, ModelBinding>,
    pub autobind: Vec<String>,
    pub directives: BTreeMap<String, DirectiveConfig>,
    pub struct_tag: Option<String>,
    pub omit_slice_element_pointers: bool,
    pub resolvers_always_return_pointers: bool,
    /// `omit_gqlgen_file_notice`: no header comment in resolver files.
    pub omit_gqlgen_file_notice: bool,
    /// `go_initialisms`, as configured.
    pub initialisms: GoInitialisms,
    /// The Go module around the yml, if any; gives packages their import paths.
    pub module: Option<GoModule>,
}

impl GqlgenConfig {
    /// Reads and resolves `path`.
    pub fn load(path: &Path) -> Result<GqlgenConfig, GqlgenConfigError> {
        let text = fs::read_to_string(path).map_err(|source| GqlgenConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        GqlgenConfig::from_yaml(path, &text)
    }

    /// Resolves the yml text as if it were read from `path`; glob expansion
    /// and package names still look at the file system around `path`.
    pub fn from_yaml(path: &Path, text: &str) -> Result<GqlgenConfig, GqlgenConfigError> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_yaml::from_str(text).map_err(|error| {
                let location = error.location();
                GqlgenConfigError::Yaml {
                    path: path.to_path_buf(),
                    line: location.as_ref().map_or(0, |l| l.line()),
                    column: location.as_ref().map_or(0, |l| l.column()),
                    message: error.to_string(),
                }
            })?
        };
        let dir = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    p.to_path_buf()
                }
            })
            .unwrap_or_else(|| PathBuf::from("."));
        Resolve { path, dir: &dir }.config(raw)
    }

    /// The federation version in force: configured, or detected from a
    /// federation v2 `@link` in the schema text.
    pub fn federation_version(&self, schema_texts: &[&str]) -> Option<u32> {
        let federation = self.federation.as_ref()?;
        if let Some(version) = federation.version {
            return Some(version);
        }
        let links_v2 = schema_texts
            .iter()
            .any(|text| text.contains("specs.apollo.dev/federation/v2"));
        Some(if links_v2 { 2 } else { 1 })
    }

    /// The package gqlgen generates unbound models into; `None` outside any
    /// Go module, where a package has no import path.
    pub fn model_package(&self) -> Option<GoPackage> {
        package_for_dir(&self.model.dir, &self.model.package)
    }

    /// The package holding gqlgen's resolver interfaces (`generated.QueryResolver`).
    pub fn exec_package(&self) -> Option<GoPackage> {
        package_for_dir(&self.exec.dir, &self.exec.package)
    }
}

/// A package by directory: its import path is the module path of the
/// nearest `go.mod` at or above it plus the folder; `None` without one.
pub fn package_for_dir(dir: &Path, name: &str) -> Option<GoPackage> {
    let import_path = GoModule::find(dir)?.import_path_for_dir(dir)?;
    Some(GoPackage::new(import_path, name))
}

struct Resolve<'a> {
    path: &'a Path,
    dir: &'a Path,
}

impl Resolve<'_> {
    fn config(&self, raw: RawConfig) -> Result<GqlgenConfig, GqlgenConfigError> {
        let schema = raw
            .schema
            .map(StringOrList::into_vec)
            .unwrap_or_else(|| vec!["schema.graphql".to_string()]);
        let schema_files = self.expand_schema_globs(&schema)?;

        let raw_exec = raw.exec.unwrap_or_default();
        let exec_layout = self.layout(raw_exec.layout.as_deref())?;
        let exec_filename = self.file(raw_exec.filename.as_deref().unwrap_or("generated.go"));
        let exec_dir = match (exec_layout, raw_exec.dir.as_deref()) {
            (Layout::FollowSchema, Some(dir)) => self.file(dir),
            (Layout::FollowSchema, None) => {
                return Err(self.invalid("exec.dir must be specified with layout=follow-schema"));
            }
            (Layout::SingleFile, _) => parent_dir(&exec_filename),
        };
        let exec_package = raw_exec
            .package
            .unwrap_or_else(|| package_name_for_dir(&exec_dir));

        let raw_model = raw.model.unwrap_or_default();
        let model_filename = self.file(raw_model.filename.as_deref().unwrap_or("models_gen.go"));
        let model_dir = parent_dir(&model_filename);
        let model_package = raw_model
            .package
            .unwrap_or_else(|| package_name_for_dir(&model_dir));

        let resolver = match raw.resolver {
            Some(raw_resolver) => Some(self.resolver(raw_resolver)?),
            None => None,
        };

        let federation = raw.federation.map(|f| FederationConfig {
            filename: f.filename.map(|p| self.file(&p)),
            package: f.package,
            version: f.version,
        });

        let models = raw
            .models
            .unwrap_or_default()
            .into_iter()
            .map(|(name, entry)| {
                let binding = ModelBinding {
                    model: entry.model.map(StringOrList::into_vec).unwrap_or_default(),
                    fields: entry
                        .fields
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(field, raw_field)| {
                            (
                                field,
                                FieldBinding {
                                    resolver: raw_field.resolver.unwrap_or(false),
                                    field_name: raw_field.field_name,
                                },
                            )
                        })
                        .collect(),
                };
                (name, binding)
            })
            .collect();

        let directives = raw
            .directives
            .unwrap_or_default()
            .into_iter()
            .map(|(name, d)| {
                (
                    name,
                    DirectiveConfig {
                        skip_runtime: d.skip_runtime.unwrap_or(false),
                    },
                )
            })
            .collect();

        let initialisms = match raw.go_initialisms {
            Some(config) => GoInitialisms {
                replace_defaults: config.replace_defaults.unwrap_or(false),
                extra: config.initialisms.unwrap_or_default(),
            },
            None => GoInitialisms::default(),
        };

        Ok(GqlgenConfig {
            path: self.path.to_path_buf(),
            dir: self.dir.to_path_buf(),
            schema,
            schema_files,
            exec: ExecConfig {
                layout: exec_layout,
                filename: exec_filename,
                dir: exec_dir,
                package: exec_package,
            },
            federation,
            model: ModelConfig {
                filename: model_filename,
                dir: model_dir,
                package: model_package,
            },
            resolver,
            models,
            autobind: raw.autobind.map(StringOrList::into_vec).unwrap_or_default(),
            directives,
            struct_tag: raw.struct_tag.filter(|tag| !tag.is_empty()),
            omit_slice_element_pointers: raw.omit_slice_element_pointers.unwrap_or(false),
            resolvers_always_return_pointers: raw.resolvers_always_return_pointers.unwrap_or(true),
            omit_gqlgen_file_notice: raw.omit_gqlgen_file_notice.unwrap_or(false),
            initialisms,
            module: GoModule::find(self.dir),
        })
    }

    fn resolver(&self, raw: RawResolver) -> Result<ResolverConfig, GqlgenConfigError> {
        let layout = self.layout(raw.layout.as_deref())?;
        let (dir, filename) = match layout {
            Layout::SingleFile => {
                let Some(filename) = raw.filename.as_deref() else {
                    return Err(
                        self.invalid("resolver.filename must be specified with layout=single-file")
                    );
                };
                if !filename.ends_with(".go") {
                    return Err(self.invalid(
                        "resolver.filename should be path to a go source file with layout=single-file",
                    ));
                }
                let filename = self.file(filename);
                (parent_dir(&filename), filename)
            }
            Layout::FollowSchema => {
                let Some(dir) = raw.dir.as_deref() else {
                    return Err(
                        self.invalid("resolver.dir must be specified with layout=follow-schema")
                    );
                };
                let dir = self.file(dir);
                let filename = dir.join(raw.filename.as_deref().unwrap_or("resolver.go"));
                (dir, filename)
            }
        };
        if let Some(package) = &raw.package
            && package.contains(['.', '/', '\\'])
        {
            return Err(self.invalid(
                "resolver.package should be the output package name only, do not include the output filename",
            ));
        }
        let package = raw.package.unwrap_or_else(|| package_name_for_dir(&dir));
        Ok(ResolverConfig {
            layout,
            dir,
            package,
            filename,
            filename_template: raw
                .filename_template
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "{name}.resolvers.go".to_string()),
            root_type: raw
                .type_name
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "Resolver".to_string()),
            omit_template_comment: raw.omit_template_comment.unwrap_or(false),
            preserve_resolver: raw.preserve_resolver.unwrap_or(false),
        })
    }

    fn layout(&self, value: Option<&str>) -> Result<Layout, GqlgenConfigError> {
        match value.unwrap_or("") {
            "" | "single-file" => Ok(Layout::SingleFile),
            "follow-schema" => Ok(Layout::FollowSchema),
            other => Err(self.invalid(&format!(
                "invalid layout {other}. must be single-file or follow-schema"
            ))),
        }
    }

    fn file(&self, relative: &str) -> PathBuf {
        normalize(&self.dir.join(relative))
    }

    fn invalid(&self, message: &str) -> GqlgenConfigError {
        GqlgenConfigError::Invalid {
            path: self.path.to_path_buf(),
            message: message.to_string(),
        }
    }

    /// gqlgen's schema globs (`*`, `**`, `?`, `[…]`) against the yml's directory.
    fn expand_schema_globs(&self, patterns: &[String]) -> Result<Vec<PathBuf>, GqlgenConfigError> {
        let mut files = Vec::new();
        for pattern in patterns {
            if !pattern.contains(['*', '?', '[', '{']) {
                let file = self.file(pattern);
                if !file.is_file() {
                    return Err(self.invalid(&format!("schema file {} not found", file.display())));
                }
                files.push(file);
                continue;
            }
            let full = self.dir.join(pattern);
            let full = normalize(&full);
            let full_text = full.to_string_lossy().replace('\\', "/");
            let matcher = GlobBuilder::new(&full_text)
                .literal_separator(true)
                .build()
                .map_err(|e| self.invalid(&format!("schema glob {pattern}: {e}")))?
                .compile_matcher();
            let base = literal_prefix_dir(&full_text);
            walk_matching(Path::new(&base), &matcher, &mut files);
        }
        files.sort();
        files.dedup();
        Ok(files)
    }
}

/// The directory part of a glob before its first wildcard.
fn literal_prefix_dir(pattern: &str) -> String {
    let wildcard = pattern.find(['*', '?', '[', '{']).unwrap_or(pattern.len());
    match pattern[..wildcard].rfind('/') {
        Some(0) => "/".to_string(),
        Some(slash) => pattern[..slash].to_string(),
        None => ".".to_string(),
    }
}

/// Files under `dir` the glob matches. Like gqlgen's `filepath.Walk`, every
/// file counts (hidden or git-ignored too) and directory symlinks are not
/// entered, so a link back up the tree cannot trap the walk; a symlinked
/// file is read like any other.
fn walk_matching(dir: &Path, matcher: &GlobMatcher, out: &mut Vec<PathBuf>) {
    let walk = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .follow_links(false)
        .build();
    for entry in walk.filter_map(Result::ok) {
        if entry.file_type().is_none_or(|kind| kind.is_dir()) {
            continue;
        }
        let path = normalize(entry.path());
        if matcher.is_match(&path) {
            out.push(path);
        }
    }
}

fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("graph/schema/nested")).unwrap();
        fs::write(
            root.join("go.mod"),
            "module example.com/assignments\n\ngo 1.19\n",
        )
        .unwrap();
        fs::write(
            root.join("graph/schema/a.graphqls"),
            "type Query { a: Int }",
        )
        .unwrap();
        fs::write(
            root.join("graph/schema/nested/b.graphqls"),
            "extend type Query { b: Int }",
        )
        .unwrap();
        fs::write(root.join("graph/schema/notes.txt"), "").unwrap();
        dir
    }

    #[test]
    fn reads_a_follow_schema_config() {
        let dir = workspace();
        let yml = dir.path().join("gqlgen.yml");
        let text = r#"
schema:
  - graph/schema/**/*.graphqls
exec:
  filename: graph/generated/generated.go
  package: generated
federation:
  filename: graph/generated/federation.go
  package: generated
  version: 2
model:
  filename: graph/model/models_gen.go
  package: model
resolver:
  layout: follow-schema
  dir: graph
  package: graph
  filename_template: "{name}.resolvers.go"
autobind:
  - example.com/assignments/graph/model
models:
  ID:
    model:
      - github.com/99designs/gqlgen/graphql.ID
      - github.com/99designs/gqlgen/graphql.IntID
  Date:
    model: example.com/assignments/graph/scalars.Date
  Assignment:
    fields:
      createdDate:
        resolver: true
      title:
        fieldName: Name
directives:
  migrate:
    skip_runtime: true
go_initialisms:
  initialisms: [CC]
"#;
        let config = GqlgenConfig::from_yaml(&yml, text).unwrap();
        assert_eq!(
            config.schema_files,
            vec![
                dir.path().join("graph/schema/a.graphqls"),
                dir.path().join("graph/schema/nested/b.graphqls"),
            ]
        );
        let resolver = config.resolver.as_ref().unwrap();
        assert_eq!(resolver.layout, Layout::FollowSchema);
        assert_eq!(resolver.dir, dir.path().join("graph"));
        assert_eq!(resolver.filename, dir.path().join("graph/resolver.go"));
        assert_eq!(resolver.root_type, "Resolver");
        assert_eq!(config.exec.dir, dir.path().join("graph/generated"));
        assert_eq!(
            config.exec_package(),
            Some(GoPackage::new(
                "example.com/assignments/graph/generated",
                "generated"
            ))
        );
        assert_eq!(
            config.model_package(),
            Some(GoPackage::new(
                "example.com/assignments/graph/model",
                "model"
            ))
        );
        assert_eq!(
            package_for_dir(&resolver.dir, &resolver.package),
            Some(GoPackage::new("example.com/assignments/graph", "graph"))
        );
        assert_eq!(config.models["ID"].model.len(), 2);
        assert_eq!(
            config.models["Date"].model,
            vec!["example.com/assignments/graph/scalars.Date"]
        );
        assert!(config.models["Assignment"].fields["createdDate"].resolver);
        assert_eq!(
            config.models["Assignment"].fields["title"]
                .field_name
                .as_deref(),
            Some("Name")
        );
        assert!(config.directives["migrate"].skip_runtime);
        assert_eq!(config.federation_version(&[]), Some(2));
        assert!(config.resolvers_always_return_pointers);
        assert_eq!(config.initialisms.extra, ["CC"]);
    }

    #[test]
    fn packages_outside_a_module_have_no_import_path() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(package_for_dir(&dir.path().join("graph"), "graph"), None);
        fs::write(dir.path().join("go.mod"), "module example.com/x\n").unwrap();
        assert_eq!(
            package_for_dir(&dir.path().join("graph/model"), "model"),
            Some(GoPackage::new("example.com/x/graph/model", "model"))
        );
    }

    #[test]
    fn applies_gqlgens_defaults() {
        let dir = workspace();
        fs::write(dir.path().join("schema.graphql"), "type Query { a: Int }").unwrap();
        let yml = dir.path().join("gqlgen.yml");
        let config = GqlgenConfig::from_yaml(&yml, "resolver:\n  filename: resolver.go\n").unwrap();
        assert_eq!(config.schema_files, vec![dir.path().join("schema.graphql")]);
        let resolver = config.resolver.clone().unwrap();
        assert_eq!(resolver.layout, Layout::SingleFile);
        assert_eq!(resolver.filename, dir.path().join("resolver.go"));
        assert_eq!(resolver.dir, dir.path().to_path_buf());
        assert_eq!(config.exec.filename, dir.path().join("generated.go"));
        assert_eq!(config.federation_version(&[]), None);
    }

    #[test]
    fn detects_federation_v2_from_link() {
        let dir = workspace();
        let yml = dir.path().join("gqlgen.yml");
        let config = GqlgenConfig::from_yaml(
            &yml,
            "schema: graph/schema/*.graphqls\nfederation:\n  filename: graph/federation.go\n",
        )
        .unwrap();
        assert_eq!(
            config.federation_version(&["type Query { a: Int }"]),
            Some(1)
        );
        let v2 = r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])"#;
        assert_eq!(config.federation_version(&[v2]), Some(2));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_under_a_schema_glob_ends_the_walk() {
        let dir = workspace();
        let schema = dir.path().join("graph/schema");
        // A link back up the tree, and a linked file.
        std::os::unix::fs::symlink(&schema, schema.join("nested/loop")).unwrap();
        std::os::unix::fs::symlink(schema.join("a.graphqls"), schema.join("linked.graphqls"))
            .unwrap();
        let yml = dir.path().join("gqlgen.yml");
        let config =
            GqlgenConfig::from_yaml(&yml, "schema:\n  - graph/schema/**/*.graphqls\n").unwrap();
        assert_eq!(
            config.schema_files,
            vec![
                schema.join("a.graphqls"),
                schema.join("linked.graphqls"),
                schema.join("nested/b.graphqls"),
            ]
        );
    }

    #[test]
    fn reports_bad_input_with_a_location() {
        let dir = workspace();
        let yml = dir.path().join("gqlgen.yml");
        let err = GqlgenConfig::from_yaml(&yml, "schema: [a\nexec: {").unwrap_err();
        assert!(
            matches!(err, GqlgenConfigError::Yaml { line, .. } if line > 0),
            "{err}"
        );
        let err = GqlgenConfig::from_yaml(&yml, "schema: missing.graphqls\n").unwrap_err();
        assert!(err.to_string().contains("missing.graphqls"), "{err}");
        let err = GqlgenConfig::from_yaml(
            &yml,
            "schema: graph/schema/*.graphqls\nresolver:\n  layout: follow-schema\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("resolver.dir"), "{err}");
    }
}
