; Bodies that are only a placeholder, matched against the one statement of a
; method body by src/golang/source_file.rs.

; gqlgen's placeholder: panic(fmt.Errorf("not implemented: CreatedDate - createdDate"))
((call_expression
   function: (identifier) @_panic
   arguments: (argument_list
     .
     (call_expression
       function: (selector_expression
         operand: (identifier) @_package
         field: (field_identifier) @_constructor)
       arguments: (argument_list
         .
         [
           (interpreted_string_literal)
           (raw_string_literal)
         ] @_message))
     .)) @placeholder
  (#eq? @_panic "panic")
  (#any-of? @_package "fmt" "errors")
  (#any-of? @_constructor "Errorf" "New")
  (#match? @_message "^.not implemented"))

; gqlgen's older placeholder: panic("not implemented")
((call_expression
   function: (identifier) @_panic
   arguments: (argument_list
     .
     [
       (interpreted_string_literal)
       (raw_string_literal)
     ] @_message
     .)) @placeholder
  (#eq? @_panic "panic")
  (#match? @_message "^.not implemented"))

; Any panic: still a stub while ferry's marker comment is in the body.
((call_expression
   function: (identifier) @_panic) @panic
  (#eq? @_panic "panic"))
