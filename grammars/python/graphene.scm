; graphene call sites that can stand anywhere (module level or inside a
; function). Field mounts, resolve_<field> methods and Meta options are class
; members: they come from module.scm.
;
; `(#set! ferry.requires "word …")`: the pattern can only match in a file
; containing one of the words, so ferry runs this query only on such files.
; A pattern with several of them needs a word of each.

; graphene.Schema(query=Query, mutation=Mutation, types=[...]): where the
; schema starts, so that only the classes it reaches are reported.
((call
   arguments: (argument_list
     (keyword_argument
       name: (identifier) @_root
       (#any-of? @_root "query" "mutation" "subscription")))) @graphene.schema
 (#set! ferry.requires "Schema build_schema")
 (#set! ferry.requires "query mutation subscription"))

; A Field subclass handing Field.__init__ a default resolver:
; super().__init__(*args, resolver=self.resolve_default, **kwargs)
((call
   function: (attribute
     attribute: (identifier) @_method
     (#eq? @_method "__init__"))
   arguments: (argument_list
     (keyword_argument
       name: (identifier) @_keyword
       (#eq? @_keyword "resolver")))) @graphene.field_init
 (#set! ferry.requires "resolver"))

; kwargs.setdefault("resolver", default_resolver)
((call
   function: (attribute
     attribute: (identifier) @_method
     (#eq? @_method "setdefault"))
   arguments: (argument_list
     .
     (string) @_key
     (#match? @_key "^.resolver.$"))) @graphene.field_init
 (#set! ferry.requires "resolver"))
