; The structure every framework needs: scopes, the names bound in them, and
; what functions hand back.
;
; ferry runs this query on one block at a time (the module, then every block
; captured below), matching statements of that block only: expressions deep
; inside function bodies are never visited, which keeps the scan close to
; the cost of parsing.

; Definitions: their body is read as a block of a new scope.
(class_definition
  name: (identifier) @class.name
  superclasses: (argument_list)? @class.bases
  body: (block) @class.body) @class

(function_definition
  name: (identifier) @function.name
  body: (block) @function.body) @function

(decorated_definition
  (decorator)+ @decorated.decorator
  definition: (_) @decorated.definition)

; Compound statements: their blocks belong to the enclosing scope.
(if_statement consequence: (block) @block)
(if_statement alternative: (elif_clause consequence: (block) @block))
(if_statement alternative: (else_clause body: (block) @block))
(for_statement body: (block) @block)
(for_statement alternative: (else_clause body: (block) @block))
(while_statement body: (block) @block)
(while_statement alternative: (else_clause body: (block) @block))
(try_statement body: (block) @block)
(try_statement (except_clause (block) @block))
(try_statement (else_clause body: (block) @block))
(try_statement (finally_clause (block) @block))
(with_statement body: (block) @block)
(match_statement body: (block (case_clause consequence: (block) @block)))

(import_statement) @import

(import_from_statement) @import

(expression_statement
  (assignment) @assignment)

; A decorator or factory returning its inner function, a lambda, or what
; a call builds (an enum factory's `graphene.Enum(...)`).
(return_statement
  [(identifier) (lambda) (call)] @return.value)
