; strawberry call sites that can stand anywhere. Decorated classes, their
; annotated attributes and @strawberry.field methods are class members: they
; come from module.scm. `ferry.requires`: see graphene.scm.

; strawberry.Schema(query=Query, ...) / strawberry.federation.Schema(...):
; where the schema starts, so that only the types it reaches are reported.
((call
   arguments: (argument_list
     (keyword_argument
       name: (identifier) @_root
       (#any-of? @_root "query" "mutation" "subscription")))) @strawberry.schema
 (#set! ferry.requires "Schema")
 (#set! ferry.requires "query mutation subscription"))
