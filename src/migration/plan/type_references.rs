//! The type names a definition refers to: what `mark` must copy along with
//! a field, and what rollback's cleanup must keep.

use apollo_compiler::{Name, Node, ast};

/// A field's type and its arguments' types.
pub(super) fn of_field(field: &ast::FieldDefinition) -> impl Iterator<Item = &Name> {
    std::iter::once(field.ty.inner_named_type())
        .chain(field.arguments.iter().map(|a| a.ty.inner_named_type()))
}

fn of_fields(fields: &[Node<ast::FieldDefinition>]) -> impl Iterator<Item = &Name> {
    fields.iter().flat_map(|f| of_field(f))
}

fn of_inputs(values: &[Node<ast::InputValueDefinition>]) -> impl Iterator<Item = &Name> {
    values.iter().map(|v| v.ty.inner_named_type())
}

/// Every type name a definition (or extension) refers to: field and
/// argument types, implemented interfaces, union members, input field
/// types, directive argument types, root operation types.
pub(super) fn of_definition(definition: &ast::Definition) -> Box<dyn Iterator<Item = &Name> + '_> {
    use ast::Definition as D;
    match definition {
        D::ObjectTypeDefinition(d) => {
            Box::new(of_fields(&d.fields).chain(&d.implements_interfaces))
        }
        D::ObjectTypeExtension(d) => Box::new(of_fields(&d.fields).chain(&d.implements_interfaces)),
        D::InterfaceTypeDefinition(d) => {
            Box::new(of_fields(&d.fields).chain(&d.implements_interfaces))
        }
        D::InterfaceTypeExtension(d) => {
            Box::new(of_fields(&d.fields).chain(&d.implements_interfaces))
        }
        D::InputObjectTypeDefinition(d) => Box::new(of_inputs(&d.fields)),
        D::InputObjectTypeExtension(d) => Box::new(of_inputs(&d.fields)),
        D::UnionTypeDefinition(d) => Box::new(d.members.iter()),
        D::UnionTypeExtension(d) => Box::new(d.members.iter()),
        D::DirectiveDefinition(d) => Box::new(of_inputs(&d.arguments)),
        D::SchemaDefinition(d) => Box::new(d.root_operations.iter().map(|r| &r.1)),
        D::SchemaExtension(d) => Box::new(d.root_operations.iter().map(|r| &r.1)),
        _ => Box::new(std::iter::empty()),
    }
}
