//! The rules of `ferry check`, each with its stable id, severity and hint,
//! as `docs/check.md` documents them (a test keeps the two in step).

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Declares `Rule` and its table at once, so that `Rule::ALL` cannot miss a
/// rule.
macro_rules! rules {
    ($($(#[$doc:meta])* $rule:ident = $id:literal, $severity:ident, $hint:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($(#[$doc])* $rule,)*
        }

        impl Rule {
            pub const ALL: &[Rule] = &[$(Rule::$rule,)*];

            /// Stable: scripts and CI configurations name rules by it.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$rule => $id,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Rule::$rule => Severity::$severity,)*
                }
            }

            /// What to do about a finding, unless the finding knows better.
            pub fn hint(self) -> &'static str {
                match self {
                    $(Rule::$rule => $hint,)*
                }
            }
        }
    };
}

rules! {
    /// A service uses `@migrate` without declaring the directive.
    DirectiveUndeclared = "directive-undeclared", Error,
        "add `directive @migrate(from: String!, state: String!, color: String) on FIELD_DEFINITION` to one of the service's schema files";
    /// A service using `@migrate` lets gqlgen run it at run time.
    GqlgenSkipRuntime = "gqlgen-skip-runtime", Error,
        "add `directives: { migrate: { skip_runtime: true } }` to gqlgen.yml";
    /// `@migrate(state:)` (or an `@override` label) names no stage.
    UnknownState = "unknown-state", Error,
        "use manual, side-by-side, canary or migrated (override labels: ferry:manual, ferry:side-by-side, percent(N), canary:COLOR, or none)";
    /// `@migrate` without `state`, which a service's own looser definition
    /// of the directive lets through validation.
    MissingState = "missing-state", Error,
        "add state: \"manual\" (or the stage the field is at)";
    /// `@migrate` without `from`, likewise.
    MissingFrom = "missing-from", Error,
        "add from: \"python\"";
    /// `color` on a field that is not at canary.
    ColorWithoutCanary = "color-without-canary", Error,
        "remove `color`, or set state: \"canary\"";
    /// A field that Go serves (side by side or more) has no Go resolver.
    GoMissing = "go-missing", Error,
        "write the Go resolver (`ferry gen go` makes its skeleton), or roll the field back";
    /// … or its Go resolver is still a placeholder.
    GoStub = "go-stub", Error,
        "implement the Go resolver, or roll the field back to manual";
    /// A mutation at side-by-side: the gateway would run it twice.
    MutationSideBySide = "mutation-side-by-side", Error,
        "`ferry rollback` it to manual, then `ferry advance --to canary`";
    /// A field at migrated (not through canary) whose evidence that Go
    /// answers as Python does is missing, too thin, mismatched, or was
    /// measured against an earlier Go resolver.
    MigratedWithoutEvidence = "migrated-without-evidence", Warning,
        "run the `ferry compare` command the message names, or `ferry rollback` the field to side-by-side";
    /// A done field still has Python, or a place in the monolith's SDL.
    DonePythonRemains = "done-python-remains", Error,
        "delete the field from the Python, then export the monolith's SDL again";
    /// A done field of an override-dialect service (no `@override` left)
    /// that the monolith's subgraph still declares: two subgraphs resolve
    /// it, not shareable in both, so composition refuses the supergraph.
    DoneInMonolithSubgraph = "done-in-monolith-subgraph", Error,
        "remove the field from the monolith's subgraph SDL at the place named (and its Python, so that exporting the SDL again does not bring it back)";
    /// A Python function serves a field leaving Python and one that stays.
    PythonShared = "python-shared", Warning,
        "keep the function until every field it resolves is done";
    /// Two services claim one field.
    ClaimedTwice = "claimed-twice", Error,
        "mark the field @external in all services but the one that resolves it";
    /// `@migrate` on a field the monolith's SDL lacks.
    MigrateNotInMonolith = "migrate-not-in-monolith", Error,
        "remove the directive, or fix the field's name";
    /// The Python declares a field the monolith's SDL lacks.
    SdlStale = "sdl-stale", Error,
        "export the monolith's SDL again (`manage.py graphql_schema`, `strawberry export-schema`, …)";
    /// The monolith's SDL does not validate.
    MonolithInvalid = "monolith-invalid", Warning,
        "export the SDL again; if it still does not validate, fix the Python schema it comes from";
    /// A Python file ferry could not scan.
    PythonUnreadable = "python-unreadable", Warning,
        "fix the file, or leave it out with [python] exclude in ferry.toml";
    /// A schema's `types=` or ariadne bindables that the Python index could
    /// not follow: it counted every type (bindable) in the scanned roots.
    PythonUntracedSchema = "python-untraced-schema", Warning,
        "list the schema's types or bindables where it is built, so the index can follow them";
    /// More distinct `@override` labels are live than `[override] max_labels`.
    TooManyLabels = "too-many-labels", Warning,
        "advance or finish fields so they share fewer labels (each one in an operation's path doubles its query plans), or raise [override] max_labels";
    /// Several Python classes declare one GraphQL type.
    PythonAmbiguousType = "python-ambiguous-type", Warning,
        "leave out the file that is not the application's with [python] exclude in ferry.toml";
    /// A syntax error in the Python of a field the index found.
    PythonSyntaxError = "python-syntax-error", Warning,
        "fix the Python: the index reads what parses, and what the broken part declares may be missing";
}

impl Rule {
    /// Where `docs/check.md` explains the rule: the heading named by its id.
    pub fn doc(self) -> String {
        format!("docs/check.md#{}", self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::Rule;
    use crate::schema::federation::MIGRATE_DEFINITION;

    #[test]
    fn the_hint_for_an_undeclared_directive_quotes_the_definition_ferry_writes() {
        assert!(
            Rule::DirectiveUndeclared
                .hint()
                .contains(&format!("`{MIGRATE_DEFINITION}`"))
        );
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}
