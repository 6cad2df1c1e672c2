; What function bodies do, read only by `ferry plan`: every call, the
; locals bound from a call (the receiver's class, when a constructor made
; it), and the imports made inside functions (cycle-breaking imports that
; the structure query does not read in long bodies).
;
; ferry attributes each capture to the innermost function around it.

(call function: (_) @call.function) @call

(assignment
  left: (identifier) @local.name
  right: (call) @local.value)

(import_statement) @local.import

(import_from_statement) @local.import
