//! gqlgen.yml's `models:` with the schema's own binding directives applied:
//! what gqlgen's config holds before its binder runs.

use std::collections::BTreeMap;

use apollo_compiler::Schema;
use apollo_compiler::schema::ExtendedType;

use crate::workspace::gqlgen_config::ModelBinding;

/// gqlgen's `injectTypesFromSchema`: `@goModel` adds Go types after those of
/// `models:` (root operation types excepted); `@goField` on an object's or
/// input's field overrides `fieldName` and `resolver`.
pub(super) fn bindings_with_directives(
    schema: &Schema,
    configured: &BTreeMap<String, ModelBinding>,
) -> BTreeMap<String, ModelBinding> {
    let mut models = configured.clone();
    let roots: Vec<&str> = [
        &schema.schema_definition.query,
        &schema.schema_definition.mutation,
        &schema.schema_definition.subscription,
    ]
    .into_iter()
    .flatten()
    .map(|name| name.name.as_str())
    .collect();
    for (name, ty) in &schema.types {
        if roots.contains(&name.as_str()) {
            continue;
        }
        if let Some(go_model) = ty.directives().get("goModel") {
            let mut added: Vec<String> = go_model
                .specified_argument_by_name("model")
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .into_iter()
                .collect();
            if let Some(list) = go_model
                .specified_argument_by_name("models")
                .and_then(|v| v.as_list())
            {
                added.extend(list.iter().filter_map(|v| v.as_str()).map(str::to_string));
            }
            if !added.is_empty() {
                models
                    .entry(name.to_string())
                    .or_default()
                    .model
                    .extend(added);
            }
        }
        let fields = match ty {
            ExtendedType::Object(object) => object
                .fields
                .iter()
                .map(|(n, f)| (n, &f.directives))
                .collect::<Vec<_>>(),
            ExtendedType::InputObject(input) => input
                .fields
                .iter()
                .map(|(n, f)| (n, &f.directives))
                .collect(),
            _ => Vec::new(),
        };
        for (field, directives) in fields {
            let Some(go_field) = directives.get("goField") else {
                continue;
            };
            let binding = models
                .entry(name.to_string())
                .or_default()
                .fields
                .entry(field.to_string())
                .or_default();
            if let Some(force) = go_field
                .specified_argument_by_name("forceResolver")
                .and_then(|v| v.to_bool())
            {
                binding.resolver = force;
            }
            if let Some(name) = go_field
                .specified_argument_by_name("name")
                .and_then(|v| v.as_str())
            {
                binding.field_name = Some(name.to_string());
            }
        }
    }
    models
}
