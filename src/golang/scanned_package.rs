//! The declarations of one Go package of a service's module, as far as
//! gqlgen's binder needs them: its types and their shapes, the methods of
//! each, and the first parameter of each function.

use std::collections::HashMap;
use std::fs;

use rayon::prelude::*;

use super::go_type::GoKind;
use super::source_file::{GoSourceFile, TypeShape};
use crate::workspace::go_package::package_go_files;

/// The declarations of one Go package of the service's module.
#[derive(Debug, Clone, Default)]
pub(super) struct ScannedPackage {
    pub types: HashMap<String, TypeShape>,
    /// Method names by receiver type.
    pub methods: HashMap<String, Vec<String>>,
    /// First parameter type of each function (for `Marshal<Scalar>`).
    pub functions: HashMap<String, Option<String>>,
}

impl ScannedPackage {
    pub fn read(dir: &std::path::Path) -> Option<ScannedPackage> {
        if !dir.is_dir() {
            return None;
        }
        let paths = package_go_files(dir).ok()?;
        let parsed: Vec<GoSourceFile> = paths
            .par_iter()
            .filter_map(|path| fs::read_to_string(path).ok())
            .map(|text| GoSourceFile::parse(&text))
            .collect();
        let mut package = ScannedPackage::default();
        for file in parsed {
            for declared in file.types {
                package.types.insert(declared.name, declared.shape);
            }
            for method in file.methods {
                package
                    .methods
                    .entry(method.receiver)
                    .or_default()
                    .push(method.name);
            }
            for function in file.functions {
                package
                    .functions
                    .insert(function.name, function.first_parameter_type);
            }
        }
        Some(package)
    }

    pub fn kind_of(&self, name: &str) -> Option<GoKind> {
        let shape = self.types.get(name)?;
        Some(shape_kind(shape, self, 0))
    }
}

fn shape_kind(shape: &TypeShape, package: &ScannedPackage, depth: usize) -> GoKind {
    match shape {
        TypeShape::Struct(_) => GoKind::Struct,
        TypeShape::Interface => GoKind::Interface,
        TypeShape::Nilable => GoKind::Nilable,
        TypeShape::Value => GoKind::Value,
        TypeShape::Named(written) => match written.as_str() {
            "time.Time" => GoKind::Struct,
            local if depth < 8 && !local.contains('.') => package
                .types
                .get(local)
                .map_or(GoKind::Value, |inner| shape_kind(inner, package, depth + 1)),
            _ => GoKind::Value,
        },
    }
}
