; A body that is only a placeholder: its one statement is a call of the
; builtin panic, whatever it is given (gqlgen's
; `panic(fmt.Errorf("not implemented: …"))`, `panic("TODO")`, `panic(nil)`).
; Matched against that statement by src/golang/source_file.rs; comments in
; the body (the Python ferry quotes) do not count as statements.
((call_expression
   function: (identifier) @_panic) @panic
  (#eq? @_panic "panic"))
