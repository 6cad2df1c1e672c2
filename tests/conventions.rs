//! CLI conventions: --version, --help with global options apart, the man
//! page, --color and the colour variables, the deprecated canary spelling,
//! and shell completions that know the workspace.

mod common;

use common::{Workspace, assert_same_files};
use std::path::Path;

/// The binary against the demo with exactly these colour variables (the
/// harness's NO_COLOR removed).
fn ferry_with_env(demo: &Workspace, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = assert_cmd::Command::cargo_bin("ferry").unwrap();
    command.arg("--root").arg(demo.root()).args(args);
    for name in ["NO_COLOR", "CLICOLOR_FORCE", "FORCE_COLOR"] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn colored(output: &std::process::Output) -> bool {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).contains("\x1b[")
}

#[test]
fn color_follows_the_flag_then_no_color_then_the_forcing_variables() {
    let demo = Workspace::demo();
    demo.clean_evidence(&["Assignment.title"]);
    let status = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["status"];
        all.extend_from_slice(args);
        colored(&ferry_with_env(&demo, &all, env))
    };
    // A pipe is no terminal: plain unless forced.
    assert!(!status(&[], &[]));
    assert!(status(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(status(&[], &[("FORCE_COLOR", "1")]));
    assert!(!status(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!status(&[], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]));
    assert!(status(&["--color=always"], &[("NO_COLOR", "1")]));
    assert!(status(&["--color", "always"], &[]));
    assert!(!status(&["--color=never"], &[("FORCE_COLOR", "1")]));
    // Before the subcommand too, and for every printer.
    assert!(colored(&ferry_with_env(
        &demo,
        &["--color=always", "show", "Assignment.createdDate"],
        &[]
    )));
    assert!(colored(&ferry_with_env(
        &demo,
        &["--color=always", "advance", "Assignment.title", "--dry-run"],
        &[]
    )));
    demo.ferry(&["status", "--color=red"]).fails_with(
        2,
        "invalid value `red` for --color: use auto, always or never",
    );
}

#[test]
fn the_canary_group_is_canary_color_and_the_old_spelling_still_works_with_a_note() {
    let new = Workspace::demo();
    let old = Workspace::demo();
    let mark = [
        "mark",
        "Mutation.recordProgress",
        "--into",
        "progress",
        "--canary",
    ];
    let run = new.ferry(&[&mark[..], &["--canary-color", "blue", "--force"]].concat());
    assert!(
        !run.success().stderr().contains("deprecated"),
        "{}",
        run.stderr()
    );
    let run = old.ferry(&[&mark[..], &["--color", "blue", "--force"]].concat());
    assert!(
        run.success().stderr().contains(
            "warning: `--color blue` for the canary group is deprecated and goes in the next release; use `--canary-color blue`"
        ),
        "{}",
        run.stderr()
    );
    assert!(
        new.read("services/progress/graph/schema.graphqls")
            .contains("state: \"canary\", color: \"blue\")")
    );
    assert_same_files(&new.files(), &old.files());

    let run = old.ferry(&[
        "advance",
        "Assignment.createdDate",
        "--to",
        "canary",
        "--color=green",
        "--force",
    ]);
    assert!(run.success().stderr().contains("deprecated"));
    assert!(
        old.read("services/assignments/graph/schema.graphqls")
            .contains("color: \"green\")")
    );

    let before = new.files();
    new.ferry(&[
        "mark",
        "Assignment.stats",
        "--into",
        "assignments",
        "--color",
        "red",
    ])
    .fails_with(2, "`--color red` names a canary group: add --canary");
    new.ferry(&[&mark[..], &["--color", "red", "--canary-color", "blue"]].concat())
        .fails_with(2, "both name the canary group");
    assert_same_files(&before, &new.files());
}

/// The `Options:` and `Global options:` sections of a help text.
fn help_sections(help: &str) -> (String, String) {
    let own = help
        .split("\nOptions:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_default();
    let global = help
        .split("\nGlobal options:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_default();
    (own.to_string(), global.to_string())
}

#[test]
fn help_lists_global_options_apart_from_the_commands_own() {
    let demo = Workspace::demo();
    for command in [&["mark"][..], &["status"], &["gen", "go"], &["show"]] {
        let help = demo
            .ferry(&[command, &["--help"]].concat())
            .success()
            .stdout();
        let (own, global) = help_sections(&help);
        for flag in ["--root", "--color <WHEN>", "--quiet", "--framework"] {
            assert!(
                global.contains(flag),
                "{command:?}: {flag} not global:\n{help}"
            );
            assert!(
                !own.contains(flag),
                "{command:?}: {flag} among its own:\n{help}"
            );
        }
        assert!(own.contains("--help"), "{help}");
    }
    let mark = demo.ferry(&["mark", "--help"]).success().stdout();
    assert!(help_sections(&mark).0.contains("--canary-color <COLOR>"));
    assert!(!mark.contains("--canary --color"), "{mark}");
}

#[test]
fn version_examples_and_quiet() {
    let demo = Workspace::demo();
    assert!(
        demo.ferry(&["--version"])
            .success()
            .stdout()
            .starts_with("ferry ")
    );
    let quiet = demo.ferry(&["--quiet", "advance", "Assignment.title", "--force"]);
    assert_eq!(quiet.success().stdout(), "");
    // Every subcommand's --help carries an example.
    for command in [
        &["init"][..],
        &["status"],
        &["show"],
        &["mark"],
        &["advance"],
        &["rollback"],
        &["finish"],
        &["check"],
        &["tui"],
        &["completions"],
        &["man"],
        &["gen", "go"],
    ] {
        let help = demo.ferry(&[command, &["--help"]].concat());
        assert!(
            help.success().stdout().contains("Example"),
            "{command:?} --help lacks an example"
        );
    }
}

/// Every command that runs something, as the words that name it.
fn leaf_commands(
    prefix: Vec<String>,
    command: &clap::Command,
) -> Vec<(Vec<String>, clap::Command)> {
    command
        .get_subcommands()
        .flat_map(|sub| {
            let mut path = prefix.clone();
            path.push(sub.get_name().to_string());
            if sub.has_subcommands() {
                leaf_commands(path, sub)
            } else {
                vec![(path, sub.clone())]
            }
        })
        .collect()
}

#[test]
fn the_man_page_lists_every_commands_options_and_no_other_page() {
    use clap::CommandFactory;
    let demo = Workspace::demo();
    let man = demo.ferry(&["man"]).success().stdout();
    assert!(man.contains("\n.TH ferry 1 "), "{man}");
    assert_eq!(man.matches(".ds Aq").count(), 2, "one preamble:\n{man}");
    // No `ferry-init(1)`-style reference to a page that is not installed.
    assert!(!man.contains("(1)"), "{man}");
    let cli = ferry::cli::Cli::command();
    for global in cli.get_arguments().filter_map(|a| a.get_long()) {
        assert!(
            man.contains(&format!("\\-\\-{}", global.replace('-', "\\-"))),
            "--{global}"
        );
    }
    let commands = leaf_commands(vec!["ferry".into()], &cli);
    assert!(commands.len() >= 11, "{commands:?}");
    for (path, command) in commands {
        let title = format!(".SS \"{}\"\n", path.join(" "));
        let start = man
            .find(&title)
            .unwrap_or_else(|| panic!("no section {title}"));
        let section = &man[start + title.len()..];
        let section = &section[..section
            .find(".SS ")
            .or_else(|| section.find(".SH "))
            .unwrap_or(section.len())];
        for long in command.get_arguments().filter_map(|a| a.get_long()) {
            assert!(
                section.contains(&format!("\\-\\-{}", long.replace('-', "\\-"))),
                "{title}: --{long} missing:\n{section}"
            );
        }
    }
}

/// What bash completes for `words` (the last one being typed), with the
/// script `ferry completions bash` prints, run in `dir`.
fn bash_completes(dir: &Path, words: &[&str]) -> Vec<String> {
    let ferry = assert_cmd::cargo::cargo_bin("ferry");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        r#"source <("$FERRY" completions bash)
COMP_WORDS=({words}); COMP_CWORD={index}; COMP_TYPE=9
_clap_complete_ferry ferry {current} {previous}
printf '%s\n' "${{COMPREPLY[@]}}""#,
        words = quoted.join(" "),
        index = words.len() - 1,
        current = quoted[words.len() - 1],
        previous = quoted[words.len() - 2],
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("FERRY", ferry)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn completions_know_stages_frameworks_services_and_fields() {
    let demo = Workspace::demo();
    let root = demo.root();
    assert_eq!(
        bash_completes(root, &["ferry", "status", "--state", ""]),
        [
            "python",
            "manual",
            "side-by-side",
            "canary",
            "migrated",
            "done",
            "go",
            "key"
        ]
    );
    assert_eq!(
        bash_completes(root, &["ferry", "--framework", ""]),
        ["graphene", "strawberry", "ariadne", "auto"]
    );
    assert_eq!(
        bash_completes(root, &["ferry", "--color", ""]),
        ["auto", "always", "never"]
    );
    assert_eq!(
        bash_completes(root, &["ferry", "mark", "Assignment.stats", "--into", ""]),
        ["assignments", "progress"]
    );
    // From a folder inside the workspace, as a user would stand.
    assert_eq!(
        bash_completes(
            &demo.path("webapp"),
            &["ferry", "status", "--service", "pro"]
        ),
        ["progress"]
    );
    assert_eq!(
        bash_completes(root, &["ferry", "show", "Assignment.cr"]),
        ["Assignment.createdDate"]
    );
    let progress = bash_completes(root, &["ferry", "advance", "Progress."]);
    assert!(progress.contains(&"Progress.*".to_string()), "{progress:?}");
    assert!(
        progress.contains(&"Progress.status".to_string()),
        "{progress:?}"
    );
    // Outside a workspace there is nothing to offer, and no error.
    let elsewhere = tempfile::tempdir().unwrap();
    assert!(bash_completes(elsewhere.path(), &["ferry", "show", "A"]).is_empty());
}
