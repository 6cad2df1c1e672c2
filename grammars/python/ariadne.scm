; ariadne call sites. Bindables (`query = QueryType()`) are module-level
; assignments and `@query.field("name")` are decorators: both come from
; module.scm. These calls can stand anywhere, e.g. inside a setup function.
; `ferry.requires`: see graphene.scm.

; query.set_field("name", resolver), query.set_alias("name", "attr"),
; subscription.set_source("name", generator)
((call
   function: (attribute
     attribute: (identifier) @_method
     (#any-of? @_method "set_field" "set_alias" "set_source"))
   arguments: (argument_list
     .
     (string))) @ariadne.binding
 (#set! ferry.requires "set_field set_alias set_source"))

; make_executable_schema(type_defs, *bindables): which bindables apply, in
; which order, and where the SDL comes from.
((call
   function: [
     (identifier) @_function
     (attribute attribute: (identifier) @_function)
   ]
   (#any-of? @_function "make_executable_schema" "make_federated_schema")) @ariadne.schema
 (#set! ferry.requires "make_executable_schema make_federated_schema"))

; resolvers.extend(more), resolvers.append(obj), resolvers += more: a list of
; bindables that grows after it was written, which ferry cannot follow.
((call
   function: (attribute
     object: (identifier)
     attribute: (identifier) @_method
     (#any-of? @_method "extend" "append" "insert"))) @ariadne.list_grows
 (#set! ferry.requires "make_executable_schema make_federated_schema"))

((augmented_assignment
   left: (identifier)
   operator: "+=") @ariadne.list_grows
 (#set! ferry.requires "make_executable_schema make_federated_schema"))
