; Top-level declarations of a Go file that ferry needs to know about.
; Matched by src/golang/source_file.rs from the file's root with a maximum
; start depth of 1, so every pattern is rooted at a top-level node and
; function bodies are never searched.

(package_clause
  (package_identifier) @package.name)

; Methods on a named type, with a value or pointer receiver:
;   func (r *assignmentResolver) CreatedDate(ctx context.Context, obj *model.Assignment) (*time.Time, error)
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [
        (type_identifier) @method.receiver
        (pointer_type
          (type_identifier) @method.receiver)
      ]))
  name: (field_identifier) @method.name
  body: (block)? @method.body) @method

; Functions; a scalar's Marshal<Name> function tells its Go type.
(function_declaration
  name: (identifier) @function.name
  parameters: (parameter_list) @function.parameters) @function

; Named types: resolver structs, models, enums.
(type_declaration
  [
    (type_spec
      name: (type_identifier) @type.name
      type: (_) @type.definition)
    (type_alias
      name: (type_identifier) @type.name
      type: (_) @type.definition)
  ] @type)

; Imports, single or in a block.
(import_declaration
  [
    (import_spec
      name: (_)? @import.alias
      path: (_) @import.path) @import
    (import_spec_list
      (import_spec
        name: (_)? @import.alias
        path: (_) @import.path) @import)
  ])
