//! Which requested fields get a resolver method, decided as gqlgen decides
//! which fields need one, and why the others do not.
//!
//! A field never gets one when it is not an object type's own field in the
//! service: interface fields, `@external` fields and key fields. A field
//! moved from Python always gets one (its data is not on the model), with
//! `@goField(forceResolver: true)` when gqlgen would otherwise bind it to the
//! model. A field that never was Python gets one only where gqlgen would
//! generate one itself. Names gqlgen has no rule for (two fields that become
//! one Go method, two types that need one resolver struct, an argument named
//! `ctx`) are refused rather than written into Go that does not compile.

use apollo_compiler::schema::{ExtendedType, ObjectType};

use super::entities::{is_external, key_field_names};
use super::report::SkipReason;
use super::service::{ENTITY, MethodSpec, Service};
use super::{FieldRequest, Origin};
use crate::golang::index::{GoIndex, GoMethod};
use crate::golang::type_mapping::ModelField;

/// A method to write for a requested field.
pub(crate) struct Planned {
    pub spec: MethodSpec,
    /// Whether the field needs `@goField(forceResolver: true)` for gqlgen to
    /// call the method.
    pub force: bool,
}

/// Decides one requested field. `exists` names an existing method's place.
pub(crate) fn decide(
    service: &Service<'_>,
    index: &GoIndex,
    request: &FieldRequest,
    exists: &dyn Fn(&GoMethod) -> SkipReason,
) -> Result<Planned, SkipReason> {
    let (type_name, field_name) = (request.type_name.as_str(), request.field_name.as_str());
    if type_name == ENTITY && !service.schema.types.contains_key(ENTITY) {
        let position = service
            .finders
            .iter()
            .position(|f| f.field == field_name)
            .ok_or(SkipReason::UnknownField)?;
        let spec = service.finder_method(position);
        if let Some(existing) = index.method(&spec.receiver, &spec.method) {
            return Err(exists(existing));
        }
        return Ok(Planned { spec, force: false });
    }
    let object = match service.schema.types.get(type_name) {
        Some(ExtendedType::Object(object)) => object,
        Some(ExtendedType::Interface(_)) => {
            return Err(SkipReason::InterfaceField {
                interface: type_name.to_string(),
            });
        }
        Some(other) => {
            return Err(SkipReason::NotAnObject {
                kind: kind_name(other).to_string(),
            });
        }
        None => return Err(SkipReason::UnknownType),
    };
    let field = object
        .fields
        .get(field_name)
        .ok_or(SkipReason::UnknownField)?;
    if is_external(&field.directives) {
        return Err(SkipReason::External);
    }
    if key_field_names(object).iter().any(|k| k == field_name) {
        return Err(SkipReason::KeyField);
    }
    let spec = service.field_method(object, field);
    if let Some(existing) = index.method(&spec.receiver, &spec.method) {
        return Err(exists(existing));
    }
    check_names(service, object, &spec)?;

    let root = service.is_root(type_name);
    let forced = service.forces_resolver(type_name, field_name);
    if root || forced {
        return Ok(Planned { spec, force: false });
    }
    let model_field = service.binder.model_field(type_name, &spec.method);
    if request.origin == Origin::Python {
        // Moved from Python: the model need not carry the data, so gqlgen
        // must call the resolver even where it could read the model.
        let force = model_field != ModelField::Absent;
        return Ok(Planned { spec, force });
    }
    let returned = field.ty.inner_named_type().as_str();
    if let Some(root) = service.roots().find(|root| *root == returned) {
        return Err(SkipReason::ReturnsRootType {
            root: root.to_string(),
        });
    }
    let model = service.binder.model_name(type_name);
    match model_field {
        ModelField::Absent => Ok(Planned { spec, force: false }),
        ModelField::Present => Err(SkipReason::ServedByModel {
            model,
            member: spec.method,
        }),
        // Named on its own: the person asks for it, so it gets one.
        ModelField::Unknown if request.named => Ok(Planned { spec, force: false }),
        ModelField::Unknown => Err(SkipReason::ModelUnreadable { model }),
    }
}

/// The Go names the method needs that gqlgen has no rule to tell apart.
fn check_names(
    service: &Service<'_>,
    object: &ObjectType,
    spec: &MethodSpec,
) -> Result<(), SkipReason> {
    let owners = &service.receiver_owners()[&spec.receiver];
    if owners.len() > 1 {
        let mut types = vec![object.name.to_string()];
        types.extend(
            owners
                .iter()
                .filter(|t| t.as_str() != object.name.as_str())
                .cloned(),
        );
        return Err(SkipReason::ReceiverClash {
            types,
            receiver: spec.receiver.clone(),
        });
    }
    let clashing: Vec<String> = service
        .fields_named(&object.name, &spec.method)
        .iter()
        .map(|f| format!("{}.{}", object.name, f))
        .collect();
    if clashing.len() > 1 {
        return Err(SkipReason::MethodClash {
            fields: clashing,
            method: spec.method.clone(),
        });
    }
    let field = &object.fields[spec.field.as_str()];
    // gqlgen names the context `ctx` and, for object fields, the model `obj`
    // in the interface it generates; an argument of that Go name breaks it.
    let mut reserved = vec!["ctx"];
    if !service.is_root(&object.name) {
        reserved.push("obj");
    }
    for argument in &field.arguments {
        let go_name = service.naming.to_go_private(&argument.name);
        let same: Vec<String> = field
            .arguments
            .iter()
            .filter(|a| service.naming.to_go_private(&a.name) == go_name)
            .map(|a| a.name.to_string())
            .collect();
        if reserved.contains(&go_name.as_str()) || same.len() > 1 {
            return Err(SkipReason::ArgumentClash {
                arguments: same,
                go_name,
            });
        }
    }
    Ok(())
}

fn kind_name(ty: &ExtendedType) -> &'static str {
    match ty {
        ExtendedType::Scalar(_) => "a scalar",
        ExtendedType::Object(_) => "an object type",
        ExtendedType::Interface(_) => "an interface",
        ExtendedType::Union(_) => "a union",
        ExtendedType::Enum(_) => "an enum",
        ExtendedType::InputObject(_) => "an input type",
    }
}
