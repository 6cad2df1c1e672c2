//! Adding declarations to a Go file a person has already edited: each new
//! method goes where gqlgen would have put it among the ones present
//! (objects by name, fields in schema order), accessors and resolver structs
//! beside their kind. Nothing already in the file moves or changes.

use std::cmp::Ordering;

use crate::golang::source_file::{DeclKind, GoSourceFile, TopLevelDecl};

pub(crate) use crate::edit::splice::Splice;

/// Applies splices given against the original text (insertions at the same
/// offset keep their order); the planner never makes overlapping ones.
pub(crate) fn apply(source: &str, splices: Vec<Splice>) -> String {
    crate::edit::splice::apply(source, &splices).expect("generated splices do not overlap")
}

/// Where a method sorts among gqlgen's resolvers: object name, then the
/// field's position in the object.
pub(crate) type MethodRank = (String, usize);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NewDecl {
    Method {
        rank: MethodRank,
        text: String,
    },
    /// `func (r *Resolver) Query() generated.QueryResolver …`, by accessor name.
    Accessor {
        name: String,
        text: String,
    },
    /// `type queryResolver struct{ *Resolver }`, by struct name.
    Struct {
        name: String,
        text: String,
    },
    /// `type Resolver struct{}`.
    Root {
        text: String,
    },
}

impl NewDecl {
    fn text(&self) -> &str {
        match self {
            NewDecl::Method { text, .. }
            | NewDecl::Accessor { text, .. }
            | NewDecl::Struct { text, .. }
            | NewDecl::Root { text } => text,
        }
    }

    fn sort_key(&self) -> (u8, String, usize) {
        match self {
            NewDecl::Root { .. } => (0, String::new(), 0),
            NewDecl::Method { rank, .. } => (1, rank.0.clone(), rank.1),
            NewDecl::Accessor { name, .. } => (2, name.clone(), 0),
            NewDecl::Struct { name, .. } => (3, name.clone(), 0),
        }
    }
}

/// What the existing declarations of a file are, to gqlgen.
pub(crate) struct Existing<'a> {
    /// The rank of a resolver method `receiver.name`, if it is one.
    pub method_rank: &'a dyn Fn(&str, &str) -> Option<MethodRank>,
    /// The root resolver type (`Resolver`).
    pub root: &'a str,
    /// Whether a type name is one of gqlgen's resolver structs.
    pub is_resolver_struct: &'a dyn Fn(&str) -> bool,
}

enum Role {
    Method(MethodRank),
    Accessor(String),
    Struct(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    After,
    Before,
}

/// The splices that put `new` declarations into an existing file.
pub(crate) fn place(
    source: &str,
    parsed: &GoSourceFile,
    mut new: Vec<NewDecl>,
    existing: &Existing<'_>,
) -> Vec<Splice> {
    new.sort_by_key(NewDecl::sort_key);
    let roles: Vec<(&TopLevelDecl, Role)> = parsed
        .decls
        .iter()
        .filter_map(|decl| Some((decl, role(decl, existing)?)))
        .collect();
    let first_accessor_or_struct = roles
        .iter()
        .find(|(_, r)| matches!(r, Role::Accessor(_) | Role::Struct(_)))
        .map(|(d, _)| d.start);
    let first_struct = roles
        .iter()
        .find(|(_, r)| matches!(r, Role::Struct(_)))
        .map(|(d, _)| d.start);

    let mut anchored: Vec<(usize, Side, NewDecl)> = Vec::new();
    let mut at_end: Vec<NewDecl> = Vec::new();
    for decl in new {
        let anchor = match &decl {
            NewDecl::Root { .. } => {
                let after = parsed
                    .imports
                    .last()
                    .map_or(parsed.package_clause_end, |i| i.end);
                Some((after, Side::After))
            }
            NewDecl::Method { rank, .. } => neighbour(&roles, |role| match role {
                Role::Method(existing) => Some(existing.cmp(rank)),
                _ => None,
            })
            .or(first_accessor_or_struct.map(|at| (at, Side::Before))),
            NewDecl::Accessor { name, .. } => neighbour(&roles, |role| match role {
                Role::Accessor(existing) => Some(existing.as_str().cmp(name)),
                _ => None,
            })
            .or(first_struct.map(|at| (at, Side::Before))),
            NewDecl::Struct { name, .. } => neighbour(&roles, |role| match role {
                Role::Struct(existing) => Some(existing.as_str().cmp(name)),
                _ => None,
            }),
        };
        match anchor {
            Some((offset, side)) => anchored.push((offset, side, decl)),
            None => at_end.push(decl),
        }
    }

    let mut splices = Vec::new();
    for (offset, side, decl) in anchored {
        // After a declaration means after the rest of its line too, so a
        // trailing comment stays with the declaration it follows.
        let offset = match side {
            Side::After => {
                let line_end = source[offset..]
                    .find('\n')
                    .map_or(source.len(), |i| offset + i);
                if source[..line_end].ends_with('\r') {
                    line_end - 1
                } else {
                    line_end
                }
            }
            Side::Before => offset,
        };
        let is_struct = matches!(decl, NewDecl::Struct { .. });
        let separator = if is_struct { "\n" } else { "\n\n" };
        let text = match side {
            Side::After => format!("{separator}{}", decl.text()),
            Side::Before => format!("{}{separator}", decl.text()),
        };
        splices.push(Splice::insert(offset, text));
    }
    // Insertions after the same declaration must come out in rank order, and
    // `apply` keeps the order of equal offsets; those before one too.
    if !at_end.is_empty() {
        let mut text = String::new();
        if !source.is_empty() && !source.ends_with('\n') {
            text.push('\n');
        }
        let mut previous_was_struct = false;
        for decl in &at_end {
            let is_struct = matches!(decl, NewDecl::Struct { .. });
            if is_struct && previous_was_struct {
                text.push_str(decl.text());
            } else {
                text.push('\n');
                text.push_str(decl.text());
            }
            text.push('\n');
            previous_was_struct = is_struct;
        }
        splices.push(Splice::insert(source.len(), text));
    }
    splices
}

/// The declaration a new one goes next to: after the last that sorts before
/// it, else before the first that sorts after it.
fn neighbour(
    roles: &[(&TopLevelDecl, Role)],
    compare: impl Fn(&Role) -> Option<Ordering>,
) -> Option<(usize, Side)> {
    let ordered: Vec<(&TopLevelDecl, Ordering)> = roles
        .iter()
        .filter_map(|(decl, role)| Some((*decl, compare(role)?)))
        .collect();
    if let Some((decl, _)) = ordered.iter().rev().find(|(_, o)| *o == Ordering::Less) {
        return Some((decl.end, Side::After));
    }
    ordered
        .iter()
        .find(|(_, o)| *o == Ordering::Greater)
        .map(|(decl, _)| (decl.start, Side::Before))
}

fn role(decl: &TopLevelDecl, existing: &Existing<'_>) -> Option<Role> {
    match &decl.kind {
        DeclKind::Method { receiver, name } if receiver == existing.root => {
            Some(Role::Accessor(name.clone()))
        }
        DeclKind::Method { receiver, name } => {
            (existing.method_rank)(receiver, name).map(Role::Method)
        }
        DeclKind::Type { names } => match names.as_slice() {
            [name] if (existing.is_resolver_struct)(name) => Some(Role::Struct(name.clone())),
            _ => None,
        },
        _ => None,
    }
}

/// `text` with the file's own line endings.
pub(crate) fn with_line_endings(text: &str, crlf: bool) -> String {
    if crlf {
        text.replace('\n', "\r\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "package graph

import (
	\"context\"
)

// A is the resolver for the a field.
func (r *queryResolver) A(ctx context.Context) (int, error) {
	return 1, nil
}

// C is the resolver for the c field.
func (r *queryResolver) C(ctx context.Context) (int, error) {
	return 3, nil
}

func helper() {}

// Query returns generated.QueryResolver implementation.
func (r *Resolver) Query() generated.QueryResolver { return &queryResolver{r} }

type queryResolver struct{ *Resolver }
";

    fn rank(receiver: &str, name: &str) -> Option<MethodRank> {
        let index = match (receiver, name) {
            ("queryResolver", "A") => 0,
            ("queryResolver", "B") => 1,
            ("queryResolver", "C") => 2,
            _ => return None,
        };
        Some(("Query".to_string(), index))
    }

    fn place_into(source: &str, new: Vec<NewDecl>) -> String {
        let parsed = GoSourceFile::parse(source);
        let is_struct = |name: &str| name.ends_with("Resolver") && name != "Resolver";
        let existing = Existing {
            method_rank: &rank,
            root: "Resolver",
            is_resolver_struct: &is_struct,
        };
        apply(source, place(source, &parsed, new, &existing))
    }

    #[test]
    fn methods_go_between_their_neighbours() {
        let out = place_into(
            FILE,
            vec![NewDecl::Method {
                rank: ("Query".to_string(), 1),
                text: "func (r *queryResolver) B() {}".to_string(),
            }],
        );
        assert!(
            out.contains(
                "\treturn 1, nil\n}\n\nfunc (r *queryResolver) B() {}\n\n// C is the resolver"
            ),
            "{out}"
        );
        assert_eq!(out.replace("func (r *queryResolver) B() {}\n\n", ""), FILE);
    }

    #[test]
    fn new_objects_go_before_the_accessors_and_keep_the_struct_list() {
        let out = place_into(
            FILE,
            vec![
                NewDecl::Method {
                    rank: ("Assignment".to_string(), 0),
                    text: "func (r *assignmentResolver) X() {}".to_string(),
                },
                NewDecl::Accessor {
                    name: "Assignment".to_string(),
                    text: "func (r *Resolver) Assignment() generated.AssignmentResolver { return &assignmentResolver{r} }".to_string(),
                },
                NewDecl::Struct {
                    name: "assignmentResolver".to_string(),
                    text: "type assignmentResolver struct{ *Resolver }".to_string(),
                },
            ],
        );
        assert!(
            out.contains("func (r *assignmentResolver) X() {}\n\n// A is the resolver"),
            "{out}"
        );
        assert!(
            out.contains("{ return &assignmentResolver{r} }\n\n// Query returns"),
            "{out}"
        );
        assert!(
            out.ends_with("type assignmentResolver struct{ *Resolver }\ntype queryResolver struct{ *Resolver }\n"),
            "{out}"
        );
    }

    #[test]
    fn a_file_with_no_resolvers_grows_at_the_end() {
        let source = "package graph\n\nfunc helper() {}\n";
        let out = place_into(
            source,
            vec![
                NewDecl::Struct {
                    name: "queryResolver".to_string(),
                    text: "type queryResolver struct{ *Resolver }".to_string(),
                },
                NewDecl::Method {
                    rank: ("Query".to_string(), 0),
                    text: "func (r *queryResolver) A() {}".to_string(),
                },
                NewDecl::Accessor {
                    name: "Query".to_string(),
                    text: "func (r *Resolver) Query() {}".to_string(),
                },
                NewDecl::Struct {
                    name: "mutationResolver".to_string(),
                    text: "type mutationResolver struct{ *Resolver }".to_string(),
                },
            ],
        );
        assert_eq!(
            out,
            "package graph\n\nfunc helper() {}\n\nfunc (r *queryResolver) A() {}\n\nfunc (r *Resolver) Query() {}\n\ntype mutationResolver struct{ *Resolver }\ntype queryResolver struct{ *Resolver }\n"
        );
    }

    #[test]
    fn trailing_comments_stay_on_their_line() {
        let source = "package graph\n\ntype queryResolver struct{ *Resolver } // the root's\n";
        let out = place_into(
            source,
            vec![NewDecl::Struct {
                name: "userResolver".to_string(),
                text: "type userResolver struct{ *Resolver }".to_string(),
            }],
        );
        assert_eq!(
            out,
            "package graph\n\ntype queryResolver struct{ *Resolver } // the root's\ntype userResolver struct{ *Resolver }\n"
        );
    }

    #[test]
    fn splices_apply_in_order() {
        let out = apply(
            "abcdef",
            vec![
                Splice::insert(3, "2"),
                Splice::replace(0..1, "A"),
                Splice::insert(3, "3"),
            ],
        );
        assert_eq!(out, "Abc23def");
    }
}
