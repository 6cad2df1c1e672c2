//! What was typed: clap definitions, one struct per subcommand. Turned into
//! ready objects in `commands`.

pub mod color;
pub mod complete;
pub mod man;

use crate::cli::color::{ColorArg, ColorArgParser};
use crate::model::stage::Stage;
use crate::render::style::ColorChoice;
use crate::workspace::percent::Percent;
use anyhow::bail;
use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ferry",
    version,
    about = "Move a GraphQL API from a Python monolith to Go services, one field at a time",
    long_about = "ferry tracks every field of a GraphQL API through the stages of its move from a \
Python monolith to Go services (python → manual → side-by-side or canary → migrated → done), \
written in the schemas themselves as @migrate(from: \"python\", state: …), and edits those \
schemas losslessly.",
    after_help = "Examples:\n  ferry status\n  ferry show Assignment.createdDate\n  ferry mark 'Assignment.created*' --into assignments\n  ferry advance Assignment.createdDate --dry-run\n\nExit codes: 0 ok, 1 would change (--check), 2 error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Workspace root (default: the nearest directory with a ferry.toml)
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// The monolith's SDL, instead of ferry.toml's [python] schema
    #[arg(long, global = true, value_name = "FILE")]
    pub python_schema: Vec<PathBuf>,
    /// Where the monolith's resolvers live, instead of [python] roots
    #[arg(long, global = true, value_name = "DIR")]
    pub python_root: Vec<PathBuf>,
    /// The monolith's GraphQL library
    #[arg(long, global = true, value_name = "NAME", value_parser = PossibleValuesParser::new(["graphene", "strawberry", "ariadne", "auto"]))]
    pub framework: Option<String>,
    /// Read every Python file and the monolith's SDL afresh instead of reusing .ferry/cache
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Print only results and errors: no progress, no "wrote …" lines
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to color output (auto: on a terminal unless NO_COLOR is set;
    /// CLICOLOR_FORCE or FORCE_COLOR force it through a pipe)
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto", value_parser = ColorArgParser)]
    pub color: ColorArg,
}

impl Cli {
    /// Before `--canary-color`, `mark` and `advance` took the canary group
    /// as `--color C`; that spelling still works for one release. Moves it
    /// where it belongs and returns the deprecation note for stderr.
    pub fn settle_deprecated(&mut self) -> anyhow::Result<Option<String>> {
        let ColorArg::CanaryGroup(group) = &self.global.color else {
            return Ok(None);
        };
        let group = group.clone();
        let (slot, needs_canary) = match &mut self.command {
            Command::Mark(args) => (&mut args.canary_color, !args.canary),
            Command::Advance(args) => (&mut args.canary_color, false),
            _ => bail!("invalid value `{group}` for --color: use auto, always or never"),
        };
        if needs_canary {
            bail!(
                "`--color {group}` names a canary group: add --canary, and spell it --canary-color {group}"
            );
        }
        if slot.is_some() {
            bail!(
                "`--color {group}` and --canary-color both name the canary group; keep --canary-color"
            );
        }
        *slot = Some(group.clone());
        self.global.color = ColorArg::When(ColorChoice::Auto);
        Ok(Some(format!(
            "warning: `--color {group}` for the canary group is deprecated and goes in the next release; use `--canary-color {group}` (--color now takes auto, always or never)"
        )))
    }

    /// `--color`, once the canary spelling is settled.
    pub fn color_choice(&self) -> ColorChoice {
        match self.global.color {
            ColorArg::When(choice) => choice,
            ColorArg::CanaryGroup(_) => ColorChoice::Auto,
        }
    }
}

/// `--percent N`: above 0, at most 100, at most 8 decimals.
fn percent(text: &str) -> Result<Percent, String> {
    Percent::parse(text)
}

/// The stages `--state` takes.
fn stages() -> PossibleValuesParser {
    PossibleValuesParser::new(
        Stage::ALL
            .into_iter()
            .filter(|s| *s != Stage::Unknown)
            .map(Stage::as_str),
    )
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Discover the workspace and write a commented ferry.toml
    #[command(
        after_help = "Examples:\n  ferry init\n  ferry init --stdout\n  ferry init --stdout --json | jq .found\n  ferry --root path/to/repo init --force"
    )]
    Init(InitArgs),
    /// Every field with its stage, owner service, Python and Go resolvers; progress per service
    #[command(
        after_help = "Examples:\n  ferry status\n  ferry status 'Assignment.*' --state manual\n  ferry status --json > status.json\n  ferry status --format markdown"
    )]
    Status(StatusArgs),
    /// All of one field: schema text, stage, and what blocks its next step
    #[command(after_help = "Example:\n  ferry show Assignment.createdDate")]
    Show(ShowArgs),
    /// Add fields to a Go service's schema at stage manual (or canary)
    #[command(
        after_help = "Examples:\n  ferry mark Assignment.stats --into assignments\n  ferry mark 'Progress.*' --into progress --dry-run\n  ferry mark Mutation.recordProgress --into progress --canary --canary-color red"
    )]
    Mark(MarkArgs),
    /// Move fields one stage forward (manual → side-by-side, or canary for mutations → migrated)
    #[command(
        after_help = "Examples:\n  ferry advance Assignment.title\n  ferry advance Assignment.createdDate --to canary --canary-color red\n  ferry status --state manual --json | jq -r '.fields[] | .type + \".\" + .field' | ferry advance -"
    )]
    Advance(AdvanceArgs),
    /// Move fields one step back (a canary at a percentage steps down the ladder first); from manual, remove what mark added
    #[command(after_help = "Example:\n  ferry rollback Assignment.createdDate --dry-run")]
    Rollback(StepArgs),
    /// Remove the directive from migrated or canary fields and list the Python to delete (or delete it)
    #[command(
        after_help = "Examples:\n  ferry finish Assignment.dueDate\n  ferry finish 'Assignment.*' --delete-python --dry-run"
    )]
    Finish(FinishArgs),
    /// Respell every in-flight field in the other dialect: @migrate or Federation 2.7's progressive @override
    #[command(
        after_help = "Examples:\n  ferry dialect override --dry-run\n  ferry dialect migrate\n\nSets `dialect` in ferry.toml; a service with its own `dialect` there is left as it is."
    )]
    Dialect(DialectArgs),
    /// The interactive checklist: every field by service and type, with keys to mark, advance, roll back, finish, generate Go and undo
    #[command(
        after_help = "Keys: a advance, r roll back, m mark, c canary, f finish, g gen go, u undo, / filter, space select, enter detail, ? help, q quit.\nEvery change is written to the schema files at once.\n\nExamples:\n  ferry tui\n  ferry tui --filter 'stage:manual'"
    )]
    Tui(TuiArgs),
    /// Generate code: `ferry gen go` writes gqlgen resolver skeletons
    #[command(subcommand)]
    Gen(GenCommand),
    /// The CI gate: schemas, Python and Go agree; exit 1 on findings
    #[command(
        after_help = "Examples:\n  ferry check\n  ferry check --format github   # annotations in GitHub Actions\n  ferry check --json\n\nExit codes: 0 clean, 1 findings (errors, or warnings with --deny-warnings), 2 error."
    )]
    Check(CheckArgs),
    /// Replay recorded operations against Python and Go and compare them field by field
    #[command(
        after_help = "Examples:\n  ferry compare\n  ferry compare Assignment.title --operations ops/\n  ferry compare --go-url assignments=http://localhost:8081/query --format markdown\n  ferry compare --from-log gateway-diffs.jsonl\n\nWrites the evidence file ([compare] evidence, default ferry-evidence.json).\nExit codes: 0 no mismatch, 1 mismatches found, 2 error."
    )]
    Compare(CompareArgs),
    /// The migration at a glance and over time: an HTML page with charts, markdown or JSON
    #[command(
        after_help = "Examples:\n  ferry report --html migration.html\n  ferry report --format markdown >> $GITHUB_STEP_SUMMARY\n  ferry report --json | jq '.in_flight[] | select(.stuck)'"
    )]
    Report(ReportArgs),
    /// What each field's Python drags along, and what to port first
    #[command(
        after_help = "Examples:\n  ferry plan\n  ferry plan 'Query.*' --service assignments\n  ferry plan --usage field-requests.txt --format markdown\n  ferry plan --json | jq '.clusters[0]'\n\nTraffic comes from --usage FILE (one `Type.field COUNT` a line), else from\nthe operations corpus of [compare] operations in ferry.toml."
    )]
    Plan(PlanArgs),
    /// Print the man page (roff)
    #[command(after_help = "Example:\n  ferry man > /usr/local/share/man/man1/ferry.1")]
    Man,
    /// Print shell completions
    #[command(after_help = "Example:\n  ferry completions bash > /etc/bash_completion.d/ferry")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct TuiArgs {
    /// Start with this filter, as typed after `/` (e.g. 'stage:manual assignment')
    #[arg(long, value_name = "FILTER")]
    pub filter: Option<String>,
}

#[derive(Debug, Args)]
pub struct SelectArgs {
    /// Type.field, Type.*, *.field or a glob; `-` reads more from stdin
    #[arg(value_name = "SELECTOR", add = ArgValueCandidates::new(complete::field_selectors))]
    pub selectors: Vec<String>,
    /// Only fields of this service
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::service_names))]
    pub service: Option<String>,
    /// Only fields at this stage (repeatable)
    #[arg(long = "state", value_name = "STAGE", value_parser = stages())]
    pub states: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Same as --format json
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum GenCommand {
    /// gqlgen resolver skeletons with the Python they replace quoted in comments
    #[command(
        after_help = "Examples:\n  ferry gen go Assignment.createdDate\n  ferry gen go 'Assignment.*' --dry-run\n  ferry gen go --service progress --stdout\n  ferry gen go --service starwars --out graph"
    )]
    Go(GenGoArgs),
}

#[derive(Debug, Args)]
pub struct GenGoArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Print the files it would write instead of writing them
    #[arg(long)]
    pub stdout: bool,
    /// Write the resolvers into DIR in gqlgen's follow-schema layout (for a gqlgen.yml without `resolver:`)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub edit: EditArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Overwrite an existing ferry.toml
    #[arg(long)]
    pub force: bool,
    /// Print the file instead of writing it
    #[arg(long)]
    pub stdout: bool,
    /// Report what was found and what was (or would be) written as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    /// GitHub Actions annotations
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: CheckFormat,
    /// Same as --format json
    #[arg(long)]
    pub json: bool,
    /// Fail on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Write a self-contained HTML page with charts to FILE
    #[arg(long, value_name = "FILE", conflicts_with_all = ["format", "json"])]
    pub html: Option<PathBuf>,
    /// What to print when no --html file is asked for
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: ReportFormat,
    /// Same as --format json
    #[arg(long)]
    pub json: bool,
    /// A field in flight this many days in one stage is stuck (default 30)
    #[arg(long, value_name = "DAYS")]
    pub stuck_after: Option<i64>,
    /// Draw progress from the git history of the schema files too, for the time before the ledger
    #[arg(long)]
    pub from_git: bool,
    /// With --from-git: read commits from DATE on (YYYY-MM-DD or RFC 3339)
    #[arg(long, value_name = "DATE", requires = "from_git")]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Requests per field, one `Type.field COUNT` a line: weights the order by traffic (instead of [compare] operations)
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Same as --format json
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The field, as Type.field
    #[arg(value_name = "TYPE.FIELD", add = ArgValueCandidates::new(complete::field_selectors))]
    pub field: String,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Print a unified diff and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write nothing; exit 1 when something would change
    #[arg(long)]
    pub check: bool,
    /// Report what changed as JSON
    #[arg(long)]
    pub json: bool,
    /// Override a guard (not the rule that keeps mutations out of side-by-side)
    #[arg(long)]
    pub force: bool,
    /// Apply the fields that are allowed even when others are refused
    #[arg(long)]
    pub keep_going: bool,
}

#[derive(Debug, Args)]
pub struct MarkArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// The Go service whose schema gets the fields
    #[arg(long, value_name = "SERVICE", required = true, add = ArgValueCandidates::new(complete::service_names))]
    pub into: String,
    /// Go straight to canary (needs the Go resolver written)
    #[arg(long)]
    pub canary: bool,
    /// The canary group's color, written as @migrate(color:) or the label canary:COLOR (was --color)
    #[arg(long, value_name = "COLOR", requires = "canary")]
    pub canary_color: Option<String>,
    /// The canary's share of requests, as the label percent(N) (default in the override dialect: [override] ladder's first rung)
    #[arg(long, value_name = "N", requires = "canary", conflicts_with = "canary_color", value_parser = percent)]
    pub percent: Option<Percent>,
    #[command(flatten)]
    pub edit: EditArgs,
}

#[derive(Debug, Args)]
pub struct AdvanceArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Take this edge instead of the default one (side-by-side, canary, migrated)
    #[arg(long, value_name = "STAGE")]
    pub to: Option<String>,
    /// The canary group's color, when going to canary (was --color)
    #[arg(long, value_name = "COLOR")]
    pub canary_color: Option<String>,
    /// The canary's share of requests, when going to canary or from one percentage to another
    #[arg(long, value_name = "N", conflicts_with = "canary_color", value_parser = percent)]
    pub percent: Option<Percent>,
    #[command(flatten)]
    pub edit: EditArgs,
}

#[derive(Debug, Args)]
pub struct DialectArgs {
    /// The spelling to convert to
    #[arg(value_name = "DIALECT", value_parser = PossibleValuesParser::new(["migrate", "override"]))]
    pub dialect: String,
    #[command(flatten)]
    pub edit: EditArgs,
}

#[derive(Debug, Args)]
pub struct StepArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub edit: EditArgs,
}

#[derive(Debug, Args)]
pub struct FinishArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub edit: EditArgs,
    /// Also delete the Python the finished fields no longer need (their declarations, resolvers, mutation classes and the imports only those used), in the same batch as the schema edits
    #[arg(long)]
    pub delete_python: bool,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The fields to compare (default: every field at side-by-side)
    #[command(flatten)]
    pub select: SelectArgs,
    /// Operations to replay: .graphql files, .jsonl logs or directories (instead of [compare] operations)
    #[arg(long, value_name = "PATH")]
    pub operations: Vec<PathBuf>,
    /// The monolith's GraphQL endpoint (instead of [python] url)
    #[arg(long, value_name = "URL")]
    pub python_url: Option<String>,
    /// A Go service's GraphQL endpoint (instead of its url in ferry.toml); repeatable
    #[arg(long, value_name = "SERVICE=URL")]
    pub go_url: Vec<String>,
    /// Read a gateway's difference records (JSON lines) instead of replaying; repeatable
    #[arg(long, value_name = "FILE", conflicts_with = "operations")]
    pub from_log: Vec<PathBuf>,
    /// Operations replayed at once (default: [compare] jobs, else 4)
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Seconds to wait for one answer (default: [compare] timeout_secs, else 10)
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Retries of a request that failed in transit or with a 5xx (default: [compare] retries, else 2)
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,
    /// Example differences shown per field
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub examples: usize,
    /// Measure and report, but do not write the evidence file
    #[arg(long)]
    pub dry_run: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Same as --format json
    #[arg(long)]
    pub json: bool,
}
