//! For `ferry plan`: from each field's resolver, the project functions it
//! calls, transitively and within [`MAX_DEPTH`] calls, and the data each of
//! them touches. Calls are followed only where the callee is known
//! statically (see [`resolve`]); the others are counted, never guessed.
//!
//! Built only when asked for ([`crate::python::build_index_with_calls`]):
//! reading every function body costs a second query over each file.

pub(crate) mod facts;
mod resolve;

use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::program::{FileId, FunctionRef, Program, ScopeRef};
use super::{FieldResolution, PythonFunction};
use facts::BodyFacts;
use resolve::{Bodies, Callee, Node};

/// Calls are followed this many levels from a resolver; deeper functions
/// are listed with `cut` set and their own calls not read.
pub const MAX_DEPTH: u32 = 12;

/// What the resolvers reach, as one graph shared by every field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallGraph {
    /// Every project function a field reaches within [`MAX_DEPTH`] calls.
    pub functions: Vec<GraphFunction>,
    /// Per (type, field): the functions it starts from (its resolver, and
    /// the logic behind it when that is another function).
    pub fields: BTreeMap<(String, String), Vec<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphFunction {
    pub function: PythonFunction,
    /// The project functions it calls directly, as indices into
    /// [`CallGraph::functions`], sorted, each once.
    pub calls: Vec<usize>,
    /// Calls into libraries, builtins, or classes without an `__init__` of
    /// the project's own.
    pub library_calls: u32,
    /// Calls whose callee is not known statically (a parameter's method, a
    /// computed callee): counted, not followed.
    pub unresolved_calls: u32,
    pub data: Vec<DataTouch>,
    /// Reached at [`MAX_DEPTH`]: its own calls were not read.
    pub cut: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DataTouch {
    /// The model's dotted path (`webapp.models.Assignment`), or a
    /// dataloader's name.
    pub model: String,
    pub access: DataAccess,
    pub via: DataVia,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DataAccess {
    Read,
    Write,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DataVia {
    Django,
    Sqlalchemy,
    Dataloader,
}

/// The graph of every field's resolver over the program and its bodies
/// (`bodies[file]` for each file of the program).
pub(crate) fn build(
    program: &Program,
    bodies: &[BodyFacts],
    fields: &BTreeMap<(String, String), FieldResolution>,
) -> CallGraph {
    let bodies = Bodies::new(program, bodies);
    let files: FxHashMap<&str, FileId> = program
        .files
        .iter()
        .enumerate()
        .map(|(id, file)| (file.path.as_str(), id as FileId))
        .collect();
    let mut builder = Builder {
        bodies: &bodies,
        graph: CallGraph::default(),
        ids: FxHashMap::default(),
        level: Vec::new(),
    };
    for (key, resolution) in fields {
        let FieldResolution::Function(resolver) = resolution else {
            continue;
        };
        let starts: Vec<usize> = std::iter::once(&resolver.function)
            .chain(&resolver.logic)
            .filter_map(|function| root(program, &files, function))
            .map(|node| builder.add(node))
            .collect();
        if !starts.is_empty() {
            builder.graph.fields.insert(key.clone(), starts);
        }
    }
    let mut depth = 0;
    while !builder.level.is_empty() {
        let this_level = std::mem::take(&mut builder.level);
        if depth >= MAX_DEPTH {
            for node in this_level {
                let id = builder.ids[&node];
                builder.graph.functions[id].cut = true;
            }
            break;
        }
        let read: Vec<_> = this_level
            .par_iter()
            .map(|&node| bodies.direct(node))
            .collect();
        for (node, direct) in this_level.into_iter().zip(read) {
            let mut calls: Vec<usize> = Vec::new();
            let (mut library, mut unresolved) = (0, 0);
            for callee in direct.callees {
                match callee {
                    Callee::Project(callee) => calls.push(builder.add(callee)),
                    Callee::Library => library += 1,
                    Callee::Unresolved => unresolved += 1,
                }
            }
            calls.sort_unstable();
            calls.dedup();
            let id = builder.ids[&node];
            let entry = &mut builder.graph.functions[id];
            entry.calls = calls;
            entry.library_calls = library;
            entry.unresolved_calls = unresolved;
            entry.data = direct.data;
        }
        depth += 1;
    }
    builder.graph
}

struct Builder<'b> {
    bodies: &'b Bodies<'b>,
    graph: CallGraph,
    ids: FxHashMap<Node, usize>,
    /// Functions added since the last level was read.
    level: Vec<Node>,
}

impl Builder<'_> {
    /// The function's index, adding it (to be read next) when it is new.
    fn add(&mut self, node: Node) -> usize {
        if let Some(&id) = self.ids.get(&node) {
            return id;
        }
        self.graph.functions.push(GraphFunction {
            function: self.bodies.describe(node),
            calls: Vec::new(),
            library_calls: 0,
            unresolved_calls: 0,
            data: Vec::new(),
            cut: false,
        });
        let id = self.graph.functions.len() - 1;
        self.ids.insert(node, id);
        self.level.push(node);
        id
    }
}

/// The node a reported resolver stands for.
fn root(
    program: &Program,
    files: &FxHashMap<&str, FileId>,
    function: &PythonFunction,
) -> Option<Node> {
    let &file = files.get(function.file.as_str())?;
    if function.function.ends_with("<lambda>") {
        return Some(Node::Lambda {
            file,
            line: function.line,
            end_line: function.end_line,
        });
    }
    let scopes = &program.file(file).facts.scopes;
    scopes
        .iter()
        .position(|scope| scope.line == function.line && scope.qualname == function.function)
        .map(|scope| {
            Node::Def(ScopeRef {
                file,
                scope: scope as u32,
            })
        })
}

impl Node {
    fn from_function(function: FunctionRef) -> Node {
        match function {
            FunctionRef::Def(def) => Node::Def(def),
            FunctionRef::Lambda(file, lambda) => Node::Lambda {
                file,
                line: lambda.line,
                end_line: lambda.end_line,
            },
        }
    }
}
