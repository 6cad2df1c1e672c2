//! The `[python]` and `[compare]` sections as settings: defaults filled in,
//! URLs and headers checked.

use super::*;

pub(super) fn python_settings(
    root: &Path,
    config: &FerryToml,
    overrides: &Overrides,
) -> Result<PythonSettings, WorkspaceError> {
    let section = &config.python;
    let schema_files = if !overrides.python_schema.is_empty() {
        overrides
            .python_schema
            .iter()
            .map(|p| WorkspacePath::new(root, absolutize(root, p)))
            .collect()
    } else if let Some(globs) = &section.schema {
        expand_globs(root, root, globs, "[python] schema")?
    } else {
        discover_monolith_schema(root)
    };
    let roots = if !overrides.python_roots.is_empty() {
        overrides
            .python_roots
            .iter()
            .map(|p| absolutize(root, p))
            .collect()
    } else {
        section
            .roots
            .as_ref()
            .map(|r| r.iter().map(|p| root.join(p)).collect())
            .unwrap_or_else(|| vec![root.to_path_buf()])
    };
    let import_roots = section
        .import_roots
        .as_ref()
        .map(|r| r.iter().map(|p| root.join(p)).collect())
        .unwrap_or_else(|| vec![root.to_path_buf()]);
    let framework = overrides
        .framework
        .clone()
        .or_else(|| section.framework.clone())
        .unwrap_or_else(|| "auto".into());
    if !["auto", "graphene", "strawberry", "ariadne"].contains(&framework.as_str()) {
        return Err(WorkspaceError::Invalid(format!(
            "unknown Python framework `{framework}`: use graphene, strawberry, ariadne or auto"
        )));
    }
    Ok(PythonSettings {
        schema_files,
        roots,
        import_roots,
        framework,
        exclude: section.exclude.clone().unwrap_or_else(|| {
            DEFAULT_PYTHON_EXCLUDE
                .iter()
                .map(|pattern| pattern.to_string())
                .collect()
        }),
        keys: section.keys.clone(),
        url: section
            .url
            .as_deref()
            .map(|url| checked_url(url, "[python] url"))
            .transpose()?,
        headers: section.headers.clone(),
    })
}

pub(super) fn checked_url(url: &str, what: &str) -> Result<String, WorkspaceError> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.to_string())
    } else {
        Err(WorkspaceError::Invalid(format!(
            "{what}: `{url}` is not an http:// or https:// URL"
        )))
    }
}

pub(super) fn compare_settings(
    root: &Path,
    section: &CompareSection,
) -> Result<CompareSettings, WorkspaceError> {
    let invalid = |message: String| Err(WorkspaceError::Invalid(format!("[compare] {message}")));
    let max_mismatch_rate = section.max_mismatch_rate.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&max_mismatch_rate) {
        return invalid(format!(
            "max_mismatch_rate = {max_mismatch_rate}: give a share between 0 and 1 (0.01 is 1%)"
        ));
    }
    let float_tolerance = section.float_tolerance.unwrap_or(1e-9);
    if float_tolerance.is_nan() || float_tolerance < 0.0 {
        return invalid(format!(
            "float_tolerance = {float_tolerance}: give a difference of 0 or more"
        ));
    }
    let timeout_secs = section.timeout_secs.unwrap_or(10.0);
    if timeout_secs.is_nan() || timeout_secs <= 0.0 || timeout_secs.is_infinite() {
        return invalid(format!(
            "timeout_secs = {timeout_secs}: give a number of seconds above 0"
        ));
    }
    if section.jobs == Some(0) {
        return invalid("jobs = 0: give 1 or more".into());
    }
    for coordinate in section.ignore.iter().chain(&section.unordered) {
        if coordinate.split('.').count() != 2 || coordinate.contains(['*', ' ']) {
            return invalid(format!(
                "`{coordinate}` is not a field coordinate: write Type.field"
            ));
        }
    }
    let evidence = section.evidence.as_deref().unwrap_or(EVIDENCE_FILE);
    Ok(CompareSettings {
        operations: section.operations.clone(),
        min_samples: section.min_samples.unwrap_or(100),
        max_mismatch_rate,
        evidence: WorkspacePath::new(root, root.join(evidence)),
        float_tolerance,
        ignore: section.ignore.clone(),
        unordered: section.unordered.clone(),
        jobs: section.jobs,
        timeout: std::time::Duration::from_secs_f64(timeout_secs),
        retries: section.retries.unwrap_or(2),
    })
}
