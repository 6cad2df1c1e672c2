; The data a function touches, read only by `ferry plan`. Each pattern
; captures its kind on the anchor node and what it is about as
; @data.subject; ferry resolves the subject to a model class.

; Django: `Model.objects…`; the methods chained after it say read or write
; (create, update, delete, get_or_create, update_or_create, bulk_*).
((attribute
   object: (_) @data.subject
   attribute: (identifier) @_objects) @data.django_manager
 (#eq? @_objects "objects")
 (#set! ferry.requires "objects"))

; Django: `instance.save()` / `instance.delete()` writes the instance's model.
((call
   function: (attribute
     object: (_) @data.subject
     attribute: (identifier) @_method)) @data.instance_write
 (#any-of? @_method "save" "delete")
 (#set! ferry.requires "save delete"))

; SQLAlchemy: `session.query(Model)` reads Model.
((call
   function: (attribute
     object: (_) @_session
     attribute: (identifier) @_query)
   arguments: (argument_list . (_) @data.subject)) @data.session_query
 (#eq? @_query "query")
 (#match? @_session "session")
 (#set! ferry.requires "session"))

; SQLAlchemy: `session.add(x)` / `session.delete(x)` / `session.merge(x)`
; writes x's model.
((call
   function: (attribute
     object: (_) @_session
     attribute: (identifier) @_method)
   arguments: (argument_list . (_) @data.subject)) @data.session_write
 (#any-of? @_method "add" "add_all" "delete" "merge")
 (#match? @_session "session")
 (#set! ferry.requires "session"))

; Dataloaders by name: `….user_loader.load(id)`, `loaders.users.load_many(ids)`.
((call
   function: (attribute
     object: (_) @data.subject
     attribute: (identifier) @_method)) @data.loader
 (#any-of? @_method "load" "load_many")
 (#set! ferry.requires "load"))
