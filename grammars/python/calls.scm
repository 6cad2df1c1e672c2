; What function bodies do, read only by `ferry plan`: every call, the
; locals bound from a call (the receiver's class, when a constructor made
; it), and the imports made inside functions (cycle-breaking imports that
; the structure query does not read in long bodies).
;
; ferry attributes each capture to the innermost function around it.
; Like data.scm's, each pattern names the words its match always holds
; (`ferry.requires`): a statement holding none of them is not read.

((call function: (_) @call.function) @call
 (#set! ferry.requires "("))

((assignment
   left: (identifier) @local.name
   right: (call) @local.value)
 (#set! ferry.requires "("))

((import_statement) @local.import
 (#set! ferry.requires "import"))

((import_from_statement) @local.import
 (#set! ferry.requires "import"))
