; The structure every framework needs: scopes, the names bound in them,
; and what functions hand back. ferry attributes each capture to the
; innermost class or function body containing it.

(class_definition
  name: (identifier) @class.name
  superclasses: (argument_list)? @class.bases
  body: (block) @class.body) @class

(function_definition
  name: (identifier) @function.name
  parameters: (parameters) @function.parameters
  body: (block) @function.body) @function

(decorated_definition
  (decorator)+ @decorated.decorator
  definition: (_) @decorated.definition)

(import_statement) @import

(import_from_statement) @import

(expression_statement
  (assignment) @assignment)

; A decorator or factory returning its inner function (or a lambda).
(return_statement
  [(identifier) (lambda)] @return.value)
