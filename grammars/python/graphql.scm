; graphql-core call sites, which a schema of any of the three libraries can
; hold (once, however many of the libraries ferry looks for).
; `ferry.requires`: see graphene.scm.

; query_type.fields["_entities"] = GraphQLField(..., resolve=resolve_entities):
; a field added to the built graphql-core schema.
((assignment
   left: (subscript
     value: (attribute
       attribute: (identifier) @_fields
       (#eq? @_fields "fields"))
     subscript: (string))
   right: (call)) @graphql.field_added
 (#set! ferry.requires "fields["))
