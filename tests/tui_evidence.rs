//! The TUI's advance to migrated asks the same evidence gate as the
//! command line: refused, and shown so, without evidence; through once
//! `ferry compare` has committed passing evidence; refused again when the
//! Go resolver changes on disk.

mod common;
mod tui_support;

use common::{Workspace, assert_same_files};
use ferry::compare::evidence::Readiness;
use ferry::migration::refusal::Reason;
use ferry::model::stage::Stage;
use ferry::tui::app::{App, Level, Mode};
use ferry::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_support::*;

const RESOLVERS: &str = "services/assignments/graph/schema.resolvers.go";

fn fact(app: &App, label: &str) -> String {
    let detail = app.detail.as_ref().expect("the detail pane is open");
    detail
        .facts
        .iter()
        .find(|(l, _)| *l == label)
        .map(|(_, value)| value.clone())
        .unwrap_or_else(|| panic!("no {label} in {:?}", detail.facts))
}

fn screen(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    terminal.draw(|frame| view::render(frame, app)).unwrap();
    terminal.backend().to_string()
}

/// The gate's verdict in the refusal dialog.
fn refused_readiness(app: &App) -> Readiness {
    let Mode::Refused { refusals, .. } = &app.mode else {
        panic!("expected the refusal dialog, got {:?}", app.mode);
    };
    assert!(refusals[0].overridable());
    match &refusals[0].reason {
        Reason::EvidenceNotReady { readiness, gather } => {
            assert_eq!(
                gather,
                "ferry compare Assignment.title --operations PATH --python-url URL --go-url assignments=URL"
            );
            readiness.clone()
        }
        other => panic!("refused for {other:?}"),
    }
}

#[test]
fn advance_to_migrated_waits_for_passing_evidence() {
    let ws = Workspace::demo();
    let before = ws.files();
    let mut app = open(&ws);
    app.resize(160, 48); // the detail pane beside the list
    go_to(&mut app, "Assignment.title");
    assert_eq!(fact(&app, "evidence"), "none");
    assert!(
        fact(&app, "next").starts_with("blocked: cannot enter migrated: no evidence"),
        "{}",
        fact(&app, "next")
    );

    typing(&mut app, "a");
    assert_eq!(refused_readiness(&app), Readiness::NoEvidence);
    let shown = screen(&mut app);
    assert!(
        shown.contains(
            "✗ Assignment.title: cannot enter migrated: no evidence that Go agrees with Python"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("y force the 1 guarded, and write"),
        "{shown}"
    );
    typing(&mut app, "n");
    assert_same_files(&before, &ws.files());

    // Evidence committed while the TUI is open: it reloads, and lets it go.
    ws.clean_evidence(&["Assignment.title"]);
    assert!(app.check_disk());
    assert!(
        fact(&app, "evidence").starts_with("100 samples, 0 mismatched, 0 noisy, 0 Go errors"),
        "{}",
        fact(&app, "evidence")
    );
    typing(&mut app, "a");
    assert!(matches!(app.mode, Mode::List), "{:?}", app.mode);
    assert_eq!(stage(&app, "Assignment.title"), Stage::Migrated);
    typing(&mut app, "u");
    assert_eq!(stage(&app, "Assignment.title"), Stage::SideBySide);

    // The Go resolver changes on disk: the evidence is stale.
    let go = ws.read(RESOLVERS).replace(
        "return row.Title, nil",
        "return strings.TrimSpace(row.Title), nil",
    );
    ws.write(RESOLVERS, &go);
    assert!(app.check_disk());
    assert!(fact(&app, "evidence").ends_with("· stale: Go changed"));
    typing(&mut app, "a");
    assert!(matches!(refused_readiness(&app), Readiness::Stale { .. }));
    typing(&mut app, "y"); // forced
    assert_eq!(stage(&app, "Assignment.title"), Stage::Migrated);
    let message = app.status.clone().unwrap();
    assert_eq!(message.level, Level::Warning);
    assert!(message.text.contains("FORCED"), "{}", message.text);
}
