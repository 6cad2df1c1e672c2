//! Apollo's own composition (`tests/node/compose.js` over
//! `@apollo/composition`): the judge of whether subgraph schemas compose.

use super::{repo, require};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// One subgraph: its name in the supergraph and its SDL.
pub struct Subgraph<'a> {
    pub name: &'a str,
    pub sdl: &'a str,
}

#[derive(Debug, serde::Deserialize)]
pub struct CompositionError {
    pub code: Option<String>,
    pub message: String,
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Composition {
    pub errors: Option<Vec<CompositionError>>,
    pub supergraph_sdl: Option<String>,
}

impl Composition {
    /// The supergraph, or a panic listing every composition error.
    #[track_caller]
    pub fn supergraph(self) -> String {
        if let Some(errors) = &self.errors {
            let listed: Vec<String> = errors
                .iter()
                .map(|e| format!("  {}: {}", e.code.as_deref().unwrap_or("?"), e.message))
                .collect();
            panic!("the subgraphs do not compose:\n{}", listed.join("\n"));
        }
        self.supergraph_sdl
            .expect("a supergraph when there are no errors")
    }
}

/// Node with `@apollo/composition` installed (`scripts/test` installs it);
/// `None` with a notice when missing outside CI, a failure under `CI=true`.
fn node() -> Option<PathBuf> {
    let installed = repo().join("tests/node/node_modules/@apollo/composition");
    let found = Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success() && installed.is_dir());
    require(
        found.map(|_| PathBuf::from("node")),
        "Node.js with @apollo/composition (run scripts/test)",
    )
}

/// Composes the subgraphs; `None` only where Node is missing outside CI.
pub fn compose(subgraphs: &[Subgraph]) -> Option<Composition> {
    let node = node()?;
    let input: Vec<serde_json::Value> = subgraphs
        .iter()
        .map(|s| serde_json::json!({"name": s.name, "typeDefs": s.sdl}))
        .collect();
    let mut child = Command::new(node)
        .arg(repo().join("tests/node/compose.js"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&input).unwrap().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "compose.js failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("compose.js prints JSON"))
}
