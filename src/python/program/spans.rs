//! Where code stands: the line ranges of definitions, assignments and
//! calls, for the code a person deletes once a field is done.

use super::super::PythonSpan;
use super::super::facts::{Call, Expr, Fact, ScopeId};
use super::{FileId, Program, ScopeRef, Symbol};

impl Program {
    /// The lines of a definition with its decorators.
    pub fn definition_span(&self, definition: ScopeRef) -> PythonSpan {
        let scope = self.scope(definition);
        PythonSpan {
            file: self.file(definition.file).path.clone(),
            line: scope.decorated_line,
            end_line: scope.end_line,
        }
    }

    /// The lines of the statement binding a symbol where it is defined: a
    /// `def` or `class` with its decorators, or the assignment whose value it
    /// is (`resolve_x = lambda …`, `resolve_y = staticmethod(f)`).
    pub fn binding_span(&self, symbol: &Symbol) -> Option<PythonSpan> {
        match *symbol {
            Symbol::Function(definition) | Symbol::Class(definition) => {
                Some(self.definition_span(definition))
            }
            Symbol::Value(at, value) => self.assignment_span(at.file, Some(at.scope), value),
            Symbol::Lambda(file, lambda) => {
                self.files[file as usize]
                    .facts
                    .facts
                    .iter()
                    .find_map(|fact| match fact {
                        Fact::Assign {
                            value: Some(Expr::Lambda(assigned)),
                            line,
                            end_line,
                            ..
                        } if std::ptr::eq(assigned, lambda) => Some(PythonSpan {
                            file: self.file(file).path.clone(),
                            line: *line,
                            end_line: *end_line,
                        }),
                        _ => None,
                    })
            }
            _ => None,
        }
    }

    /// The assignment statement whose value is exactly `value`.
    pub fn assignment_span(
        &self,
        file: FileId,
        scope: Option<ScopeId>,
        value: &Expr,
    ) -> Option<PythonSpan> {
        let facts = &self.file(file).facts.facts;
        let found = |fact: &Fact| match fact {
            Fact::Assign {
                value: Some(assigned),
                line,
                end_line,
                ..
            } if std::ptr::eq(assigned, value) => Some(PythonSpan {
                file: self.file(file).path.clone(),
                line: *line,
                end_line: *end_line,
            }),
            _ => None,
        };
        match scope {
            Some(scope) => self.members(ScopeRef { file, scope }).find_map(found),
            None => facts.iter().find_map(found),
        }
    }

    /// The lines of a call (a statement of its own, like `set_field(…)`).
    pub fn call_span(&self, file: FileId, call: &Call) -> PythonSpan {
        PythonSpan {
            file: self.file(file).path.clone(),
            line: call.line,
            end_line: call.end_line,
        }
    }
}
