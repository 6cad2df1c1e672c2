//! The names of the resolver method gqlgen expects for a field, as the
//! service's own configuration gives them: `@goField(name:)` and `models:
//! fields: fieldName` before gqlgen's `ToGo`, its `go_initialisms`, and the
//! receiver of a `resolver.type` other than `Resolver`.

use std::collections::BTreeMap;

use apollo_compiler::Schema;

use super::bindings::bindings_with_directives;
use super::naming::{Initialisms, resolver_type_name_for};
use crate::workspace::gqlgen_config::{GqlgenConfig, ModelBinding};

pub struct ResolverNames {
    models: BTreeMap<String, ModelBinding>,
    naming: Initialisms,
    root_type: String,
}

impl ResolverNames {
    /// Without a gqlgen.yml, gqlgen's defaults.
    pub fn new(schema: &Schema, config: Option<&GqlgenConfig>) -> ResolverNames {
        let configured = config.map(|c| c.models.clone()).unwrap_or_default();
        ResolverNames {
            models: bindings_with_directives(schema, &configured),
            naming: config
                .map(|c| Initialisms::configured(&c.initialisms))
                .unwrap_or_default(),
            root_type: config
                .and_then(|c| c.resolver.as_ref())
                .map(|r| r.root_type.clone())
                .unwrap_or_else(|| "Resolver".to_string()),
        }
    }

    /// `(receiver, method)`: `(assignmentResolver, ContentIds)`.
    pub fn method(&self, object: &str, field: &str) -> (String, String) {
        let method = self
            .models
            .get(object)
            .and_then(|model| model.fields.get(field))
            .and_then(|binding| binding.field_name.clone())
            .unwrap_or_else(|| self.naming.to_go(field));
        (resolver_type_name_for(object, &self.root_type), method)
    }
}
