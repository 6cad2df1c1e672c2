//! The text of the monolith's Python files as Python reads them (PEP 263
//! decoding, its line ends), for quoting a resolver in Go or on screen.

use std::path::Path;

use crate::model::project::Project;
use crate::python::PythonFunction;
use crate::python::encoding;

/// A file's text: decoded as Python decodes it, lines ended by `\n`.
pub fn read(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8_lossy(&encoding::decode(&bytes).text).into_owned();
    // Lines as Python (and the index) count them: a lone \r ends one.
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Lines `line..=end_line` of a workspace file, as the Python index located them.
pub fn python_source(project: &Project, function: &PythonFunction) -> String {
    read(&project.workspace.root.join(&function.file))
        .map(|text| {
            text.lines()
                .skip(function.line.saturating_sub(1) as usize)
                .take((function.end_line.saturating_sub(function.line) + 1) as usize)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}
