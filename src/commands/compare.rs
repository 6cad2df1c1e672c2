//! `ferry compare`: the fields, the endpoints and the corpus made ready,
//! the replay (or a gateway's log) measured, the evidence written through a
//! `ChangeSet`, the report printed.

use crate::cli::{CompareArgs, Format};
use crate::commands::{Outcome, print, selection};
use crate::compare::diff::DiffRules;
use crate::compare::evidence::{EvidenceSource, Gate, GateTarget};
use crate::compare::gateway_log::read_gateway_logs;
use crate::compare::http::{Client, Endpoint};
use crate::compare::operations::{Corpus, CorpusFile, configured_files, corpus_files};
use crate::compare::replay::{Measurements, ReplaySetup, replay};
use crate::compare::report::{CompareReport, record_evidence};
use crate::compare::targets::{Targets, plan_targets};
use crate::edit::change_set::ChangeSet;
use crate::model::inventory::FieldRecord;
use crate::model::project::Project;
use crate::model::stage::Stage;
use crate::render::compare_report;
use crate::render::style::Style;
use crate::workspace::Overrides;
use anyhow::{Context, Result, bail};
use apollo_compiler::validation::Valid;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

const DEFAULT_JOBS: usize = 4;

pub fn run(overrides: &Overrides, args: CompareArgs) -> Result<Outcome> {
    let project = Project::load(overrides)?;
    let fields = compared_fields(&project, &args)?;
    let (targets, keys, not_compared) = plan_targets(&project, &fields);
    if targets.is_empty() {
        let reasons: Vec<String> = not_compared
            .iter()
            .map(|n| format!("{}: {}", n.field, n.reason))
            .collect();
        bail!(
            "none of the selected fields can be compared:\n  {}",
            reasons.join("\n  ")
        );
    }
    let settings = &project.workspace.compare;
    let rules = DiffRules::new(
        settings.float_tolerance,
        &settings.ignore,
        &settings.unordered,
    );
    let now: Vec<GateTarget> = targets
        .list
        .iter()
        .map(|t| {
            let field = fields
                .iter()
                .find(|f| f.coordinate == t.coordinate)
                .expect("targets are selected fields");
            GateTarget::of(&project, field)
        })
        .collect();
    let evidence_file = &project.evidence;
    let mut evidence = evidence_file.evidence.clone();

    let (measured, source) = if args.from_log.is_empty() {
        (
            replay_corpus(&project, &args, &targets, &keys, &rules)?,
            EvidenceSource::Replay,
        )
    } else {
        let files: Vec<_> = args
            .from_log
            .iter()
            .map(|p| (p.clone(), p.display().to_string()))
            .collect();
        let (measured, _) = read_gateway_logs(&files, &targets, &rules, args.examples)?;
        (measured, EvidenceSource::GatewayLog)
    };

    record_evidence(&mut evidence, &measured, &targets, &now, source);
    let written = if args.dry_run || measured.samples() == 0 {
        None
    } else {
        let mut changes = ChangeSet::default();
        changes.record(
            &evidence_file.path,
            evidence_file.text.as_deref(),
            Some(evidence.to_text()),
        );
        // Replaying takes minutes: the lock is held only for the write, whose
        // stale check refuses an evidence file changed meanwhile.
        let lock = super::lock(overrides)?;
        changes.write(&lock)?;
        Some(evidence_file.path.rel.clone())
    };
    let gate = Gate::of(&project.workspace);
    let report = CompareReport::new(
        source,
        measured,
        &targets,
        not_compared,
        &evidence,
        &now,
        gate,
        written,
    );
    let format = if args.json { Format::Json } else { args.format };
    print(&match format {
        Format::Table => compare_report::table(&report, &Style::for_stdout()),
        Format::Markdown => compare_report::markdown(&report),
        Format::Json => compare_report::json(&report),
    })?;
    Ok(if report.mismatches() > 0 {
        Outcome::Mismatches
    } else {
        Outcome::Success
    })
}

/// The selected fields; without selectors, every field at side-by-side.
fn compared_fields<'p>(project: &'p Project, args: &CompareArgs) -> Result<Vec<&'p FieldRecord>> {
    let selection = selection(project, &args.select)?;
    let typed_nothing = selection.selectors.is_empty()
        && selection.service.is_none()
        && selection.states.is_empty();
    if typed_nothing {
        let fields: Vec<&FieldRecord> = project
            .inventory
            .fields
            .iter()
            .filter(|f| f.stage == Stage::SideBySide)
            .collect();
        if fields.is_empty() {
            bail!(
                "no field is at side-by-side; name the fields to compare, e.g. `ferry compare Assignment.title`"
            );
        }
        return Ok(fields);
    }
    let fields = selection.select(&project.inventory)?;
    if fields.is_empty() {
        bail!("no field matches the selectors with those --service/--state filters");
    }
    Ok(fields)
}

fn replay_corpus(
    project: &Project,
    args: &CompareArgs,
    targets: &Targets,
    keys: &crate::compare::targets::EntityKeys,
    rules: &DiffRules,
) -> Result<Measurements> {
    let workspace = &project.workspace;
    let settings = &workspace.compare;
    let python_url = args
        .python_url
        .clone()
        .or_else(|| workspace.python.url.clone())
        .context("the monolith's URL: set [python] url = \"http://…/graphql\" in ferry.toml or pass --python-url")?;
    let python = Endpoint::new(python_url, &workspace.python.headers, "[python]")?;
    let go = go_endpoints(project, args, targets)?;
    let corpus = corpus(project, args)?;
    let jobs = args.jobs.or(settings.jobs).unwrap_or(DEFAULT_JOBS).max(1);
    let timeout = args
        .timeout
        .map(std::time::Duration::from_secs_f64)
        .unwrap_or(settings.timeout);
    let setup = ReplaySetup {
        schema: Valid::assume_valid_ref(&project.monolith.schema),
        targets,
        keys,
        rules,
        python,
        go,
        client: Client::new(timeout, args.retries.unwrap_or(settings.retries), jobs * 2),
        jobs,
        examples: args.examples,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let handlers = interrupt_handlers(&stop)?;
    let progress = progress_bar(workspace.progress);
    let measured = replay(&setup, corpus, &stop, &|m: &Measurements| {
        progress.set_message(format!(
            "{} operations, {} samples, {} mismatched",
            m.operations.read,
            m.samples(),
            m.mismatches()
        ));
    });
    progress.finish_and_clear();
    for handler in handlers {
        signal_hook::low_level::unregister(handler);
    }
    Ok(measured)
}

fn go_endpoints(
    project: &Project,
    args: &CompareArgs,
    targets: &Targets,
) -> Result<BTreeMap<String, Endpoint>> {
    let mut typed = BTreeMap::new();
    for pair in &args.go_url {
        let Some((service, url)) = pair.split_once('=') else {
            bail!(
                "--go-url {pair}: write SERVICE=URL, e.g. --go-url assignments=http://localhost:8081/query"
            );
        };
        if project.service(service).is_none() {
            bail!("--go-url {pair}: the workspace has no service `{service}`");
        }
        typed.insert(service.to_string(), url.to_string());
    }
    let mut endpoints = BTreeMap::new();
    for target in &targets.list {
        if endpoints.contains_key(&target.service) {
            continue;
        }
        let (service, _) = project
            .service(&target.service)
            .expect("targets name services of the workspace");
        let url = typed
            .get(&service.name)
            .cloned()
            .or_else(|| service.url.clone())
            .with_context(|| {
                format!(
                    "service `{0}` has no URL: set url = \"http://…/query\" in its [[services]] entry or pass --go-url {0}=URL",
                    service.name
                )
            })?;
        let endpoint = Endpoint::new(
            url,
            &service.headers,
            &format!("service `{}`", service.name),
        )?;
        endpoints.insert(service.name.clone(), endpoint);
    }
    Ok(endpoints)
}

fn corpus(project: &Project, args: &CompareArgs) -> Result<Corpus> {
    let workspace = &project.workspace;
    let files: Vec<CorpusFile> = if !args.operations.is_empty() {
        args.operations
            .iter()
            .map(|p| CorpusFile {
                path: p.clone(),
                shown: p.display().to_string(),
            })
            .collect()
    } else if !workspace.compare.operations.is_empty() {
        return Ok(Corpus::new(configured_files(workspace)?));
    } else {
        bail!(
            "no operations to replay: set [compare] operations = [\"ops/**/*.graphql\", \"ops/*.jsonl\"] in ferry.toml or pass --operations PATH"
        );
    };
    Ok(Corpus::new(corpus_files(files)?))
}

/// Ctrl-C sets `stop` (the run ends after the operations in flight); a
/// second Ctrl-C ends ferry at once.
fn interrupt_handlers(stop: &Arc<AtomicBool>) -> Result<Vec<signal_hook::SigId>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut ids = Vec::new();
    for signal in [SIGINT, SIGTERM] {
        ids.push(signal_hook::flag::register_conditional_shutdown(
            signal,
            130,
            Arc::clone(stop),
        )?);
        ids.push(signal_hook::flag::register(signal, Arc::clone(stop))?);
    }
    Ok(ids)
}

fn progress_bar(wanted: bool) -> indicatif::ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template("{spinner} comparing: {msg} ({elapsed})")
            .expect("the template is valid"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
