//! `Project::reload`, which the TUI runs after every edit: it parses only
//! the files whose text changed, and must give exactly the project a fresh
//! load gives, on the demo workspace with its Python and Go.

mod common;

use common::{Workspace, monolith_invalid, overrides, status_json};
use ferry::edit::write::WriteError;
use ferry::generate::skeletons::{SkeletonOptions, plan_skeletons};
use ferry::migration::plan::{EditOptions, EditRequest, Verb, plan};
use ferry::model::dialect::CanaryGroup;
use ferry::model::inventory::{FieldCoordinate, FieldRecord};
use ferry::model::project::{KnownWrites, Project};
use ferry::model::stage::Stage;

const ASSIGNMENTS: &str = "services/assignments/graph/schema.graphqls";
const RESOLVERS: &str = "services/assignments/graph/schema.resolvers.go";

/// Reloads `before` and checks it against a fresh load: the same
/// `status --json`, the same inventory to the last byte range.
fn reload_matches_a_fresh_load(before: &Project, ws: &Workspace) -> Project {
    let reloaded = before.reload(&overrides(ws)).unwrap();
    let fresh = Project::load(&overrides(ws)).unwrap();
    assert_eq!(status_json(&reloaded), status_json(&fresh));
    assert_eq!(
        format!("{:#?}", reloaded.inventory),
        format!("{:#?}", fresh.inventory)
    );
    reloaded
}

fn field(name: &str) -> FieldCoordinate {
    let (type_name, field_name) = name.split_once('.').unwrap();
    FieldCoordinate::new(type_name, field_name)
}

fn record<'a>(project: &'a Project, name: &str) -> &'a FieldRecord {
    project.inventory.field(&field(name)).unwrap()
}

/// Plans `verb` on `fields` as the TUI does and writes it.
fn edit(project: &Project, verb: Verb, fields: &[&str]) {
    edit_with(project, verb, fields, false);
}

fn edit_with(project: &Project, verb: Verb, fields: &[&str], delete_python: bool) {
    let request = EditRequest {
        verb,
        fields: fields.iter().map(|f| field(f)).collect(),
    };
    let options = EditOptions {
        force: true,
        keep_going: false,
        delete_python,
    };
    plan(project, &request, options)
        .unwrap()
        .changes
        .write_locked(&project.workspace.root)
        .unwrap();
}

#[test]
fn every_verb_then_a_reload_gives_what_a_fresh_load_gives() {
    let ws = Workspace::demo();
    let mut project = Project::load(&overrides(&ws)).unwrap();
    // Nothing changed: the reload keeps everything.
    project = reload_matches_a_fresh_load(&project, &ws);

    let mark = Verb::Mark {
        into: "progress".into(),
        canary: false,
        group: None,
    };
    edit(&project, mark, &["Mutation.updateNickname"]);
    project = reload_matches_a_fresh_load(&project, &ws);
    assert_eq!(
        record(&project, "Mutation.updateNickname").stage,
        Stage::Manual
    );

    let to_migrated = Verb::Advance {
        to: None,
        group: None,
    };
    edit(&project, to_migrated, &["Assignment.title"]);
    project = reload_matches_a_fresh_load(&project, &ws);
    assert_eq!(record(&project, "Assignment.title").stage, Stage::Migrated);

    let to_canary = Verb::Advance {
        to: Some(Stage::Canary),
        group: Some(CanaryGroup::Color("green".into())),
    };
    edit(&project, to_canary, &["Assignment.createdDate"]);
    project = reload_matches_a_fresh_load(&project, &ws);
    assert_eq!(
        record(&project, "Assignment.createdDate").color.as_deref(),
        Some("green")
    );

    edit(&project, Verb::Rollback, &["Assignment.title"]);
    project = reload_matches_a_fresh_load(&project, &ws);
    edit(&project, Verb::Finish, &["Assignment.dueDate"]);
    project = reload_matches_a_fresh_load(&project, &ws);
    assert_eq!(record(&project, "Assignment.dueDate").stage, Stage::Done);
    edit(&project, Verb::Rollback, &["Mutation.updateNickname"]);
    project = reload_matches_a_fresh_load(&project, &ws);
    assert_eq!(
        record(&project, "Mutation.updateNickname").stage,
        Stage::Python
    );
}

#[test]
fn go_written_by_gen_go_or_by_hand_is_read_again() {
    let ws = Workspace::demo();
    let mut project = Project::load(&overrides(&ws)).unwrap();
    let mark = Verb::Mark {
        into: "assignments".into(),
        canary: false,
        group: None,
    };
    edit(&project, mark, &["Mutation.updateNickname"]);
    project = reload_matches_a_fresh_load(&project, &ws);
    assert!(record(&project, "Mutation.updateNickname").go.is_none());

    let fields = vec![record(&project, "Mutation.updateNickname")];
    plan_skeletons(&project, &fields, &SkeletonOptions::default())
        .unwrap()
        .changes
        .write_locked(&project.workspace.root)
        .unwrap();
    project = reload_matches_a_fresh_load(&project, &ws);
    assert!(record(&project, "Mutation.updateNickname").go.is_some());

    // The user implements a resolver in their editor.
    let go = ws.read(RESOLVERS).replace(
        "\tpanic(fmt.Errorf(\"not implemented: CreatedDate - createdDate\"))",
        "\treturn &obj.CreatedDate, nil",
    );
    ws.write(RESOLVERS, &go);
    let reloaded = reload_matches_a_fresh_load(&project, &ws);
    assert_ne!(
        format!("{:?}", record(&reloaded, "Assignment.createdDate").go),
        format!("{:?}", record(&project, "Assignment.createdDate").go)
    );
}

#[test]
fn a_schema_changed_by_someone_else_is_read_again_and_never_written_over() {
    let ws = Workspace::demo();
    let project = Project::load(&overrides(&ws)).unwrap();
    let advance = EditRequest {
        verb: Verb::Advance {
            to: None,
            group: None,
        },
        fields: vec![field("Assignment.title")],
    };
    let options = EditOptions {
        force: true,
        keep_going: false,
        delete_python: false,
    };
    let planned = plan(&project, &advance, options).unwrap();

    // Someone rolls the field back by hand, keeping the file's length.
    let text = ws.read(ASSIGNMENTS);
    let by_hand = text.replacen("# Assignments subgraph", "# Assignments SUBGRAPH", 1);
    assert_ne!(text, by_hand);
    ws.write(ASSIGNMENTS, &by_hand);

    // What was planned against the old text is refused, nothing written.
    let error = planned
        .changes
        .write_locked(&project.workspace.root)
        .unwrap_err();
    assert!(matches!(error, WriteError::Stale { .. }), "{error}");
    assert_eq!(ws.read(ASSIGNMENTS), by_hand);

    // The reload reads the new text; a plan from it writes over nothing.
    let reloaded = reload_matches_a_fresh_load(&project, &ws);
    let site = &record(&reloaded, "Assignment.title").definitions[0].site;
    assert_eq!(site.file, ASSIGNMENTS);
    plan(&reloaded, &advance, options)
        .unwrap()
        .changes
        .write_locked(&reloaded.workspace.root)
        .unwrap();
    assert!(ws.read(ASSIGNMENTS).contains("# Assignments SUBGRAPH"));
}

#[test]
fn a_finish_that_deletes_python_reads_the_python_again() {
    let ws = Workspace::demo();
    let project = Project::load(&overrides(&ws)).unwrap();
    let python = |ws: &Workspace| {
        let mut files = ws.files();
        files.retain(|path, _| path.ends_with(".py"));
        files
    };
    let before = python(&ws);
    edit_with(&project, Verb::Finish, &["Assignment.dueDate"], true);
    assert_ne!(python(&ws), before, "the finish deleted no Python");
    let reloaded = reload_matches_a_fresh_load(&project, &ws);
    assert_eq!(record(&reloaded, "Assignment.dueDate").stage, Stage::Done);
}

/// Plans `verb` with --force, writes it, and reloads as the TUI does: with
/// the schemas the planner validated and what the write says of Python.
/// The reload must equal a fresh load to the last byte range, its ledger
/// included. Returns what the reload was told and the reload.
fn plan_write_and_reload(
    project: &Project,
    ws: &Workspace,
    verb: Verb,
    fields: &[&str],
) -> (KnownWrites, Project) {
    let request = EditRequest {
        verb,
        fields: fields.iter().map(|f| field(f)).collect(),
    };
    let options = EditOptions {
        force: true,
        keep_going: false,
        delete_python: false,
    };
    let planned = plan(project, &request, options).unwrap();
    planned
        .changes
        .write_locked(&project.workspace.root)
        .unwrap();
    let known = KnownWrites {
        python: KnownWrites::wrote_python(
            project,
            planned.changes.changes().map(|c| c.path.rel.as_str()),
        ),
        schemas: planned.validated,
    };
    let reloaded = project.reload_after(&overrides(ws), &known).unwrap();
    let fresh = Project::load(&overrides(ws)).unwrap();
    assert_eq!(status_json(&reloaded), status_json(&fresh));
    assert_eq!(
        format!("{:#?}", reloaded.inventory),
        format!("{:#?}", fresh.inventory)
    );
    assert_eq!(
        format!("{:?}", reloaded.ledger),
        format!("{:?}", fresh.ledger)
    );
    (known, reloaded)
}

/// [`plan_write_and_reload`], and the written service's schema is the
/// very one the planner validated, not parsed again.
fn edit_and_reload_after(
    project: &Project,
    ws: &Workspace,
    verb: Verb,
    fields: &[&str],
) -> Project {
    let (known, reloaded) = plan_write_and_reload(project, ws, verb, fields);
    assert!(!known.schemas.is_empty(), "the plan validated no service");
    assert!(!known.python);
    // The service's schema is the very one the planner validated: its
    // definitions share their nodes, nothing was parsed again.
    let validated = &known.schemas[0];
    let (_, loaded) = reloaded
        .services
        .iter()
        .find(|(_, l)| {
            l.files.len() == validated.files.len()
                && l.files[0].source.path == validated.files[0].source.path
        })
        .expect("the edited service is loaded");
    let first_extension = |l: &ferry::schema::loaded::LoadedSchema| {
        l.files[0]
            .doc
            .definitions
            .iter()
            .find_map(|d| match d {
                apollo_compiler::ast::Definition::ObjectTypeExtension(e) => Some(e.clone()),
                _ => None,
            })
            .expect("the service extends an entity")
    };
    assert!(
        first_extension(loaded).ptr_eq(&first_extension(validated)),
        "the reload parsed the written service again"
    );
    reloaded
}

#[test]
fn a_reload_with_what_the_plan_validated_gives_what_a_fresh_load_gives() {
    let ws = Workspace::demo();
    let mut project = Project::load(&overrides(&ws)).unwrap();
    let mark = Verb::Mark {
        into: "progress".into(),
        canary: false,
        group: None,
    };
    project = edit_and_reload_after(&project, &ws, mark, &["Mutation.updateNickname"]);
    assert_eq!(
        record(&project, "Mutation.updateNickname").stage,
        Stage::Manual
    );
    let advance = Verb::Advance {
        to: None,
        group: None,
    };
    project = edit_and_reload_after(&project, &ws, advance, &["Assignment.title"]);
    assert_eq!(record(&project, "Assignment.title").stage, Stage::Migrated);
    project = edit_and_reload_after(&project, &ws, Verb::Rollback, &["Assignment.title"]);
    assert_eq!(
        record(&project, "Assignment.title").stage,
        Stage::SideBySide
    );
    project = edit_and_reload_after(&project, &ws, Verb::Finish, &["Assignment.dueDate"]);
    assert_eq!(record(&project, "Assignment.dueDate").stage, Stage::Done);
    // Back out of the service: rollback's cleanup reads it several times.
    project = edit_and_reload_after(&project, &ws, Verb::Rollback, &["Mutation.updateNickname"]);
    assert_eq!(
        record(&project, "Mutation.updateNickname").stage,
        Stage::Python
    );
}

#[test]
fn python_changed_behind_ferrys_back_is_still_refused_after_a_reload_that_kept_the_index() {
    let ws = Workspace::demo();
    let project = Project::load(&overrides(&ws)).unwrap();
    let finish = EditRequest {
        verb: Verb::Finish,
        fields: vec![field("Assignment.dueDate")],
    };
    let options = EditOptions {
        force: true,
        keep_going: false,
        delete_python: true,
    };
    // The Python file the finish would delete code from.
    let file = plan(&project, &finish, options)
        .unwrap()
        .changes
        .changes()
        .map(|c| c.path.rel.clone())
        .find(|rel| rel.ends_with(".py"))
        .expect("the finish deletes Python");
    // Someone edits the resolver's file; then an edit of a Go service
    // writes no Python, and its reload keeps the index as it was.
    let by_hand = format!("{}\n# edited by hand\n", ws.read(&file));
    ws.write(&file, &by_hand);
    let advance = Verb::Advance {
        to: None,
        group: None,
    };
    let kept = {
        let request = EditRequest {
            verb: advance,
            fields: vec![field("Assignment.title")],
        };
        let options = EditOptions {
            force: true,
            keep_going: false,
            delete_python: false,
        };
        let planned = plan(&project, &request, options).unwrap();
        planned
            .changes
            .write_locked(&project.workspace.root)
            .unwrap();
        let known = KnownWrites {
            schemas: planned.validated,
            python: false,
        };
        project.reload_after(&overrides(&ws), &known).unwrap()
    };
    assert!(std::sync::Arc::ptr_eq(&kept.python, &project.python));
    // Deleting the finished field's Python from that index is refused:
    // the file no longer hashes as it was scanned. Nothing is written.
    let error = plan(&kept, &finish, options).unwrap_err().to_string();
    assert!(error.contains("changed since ferry scanned it"), "{error}");
    assert!(error.contains(&file), "{error}");
    assert_eq!(ws.read(&file), by_hand);
}

const MONOLITH: &str = "webapp/schema.graphql";

/// [`plan_write_and_reload`]'s reload.
fn edit_and_reload_as_the_tui_does(
    project: &Project,
    ws: &Workspace,
    verb: Verb,
    fields: &[&str],
) -> Project {
    plan_write_and_reload(project, ws, verb, fields).1
}

/// Which parts of `before`'s inventory `after` kept: the monolith's
/// records, then each service's definitions by name.
fn kept(before: &Project, after: &Project) -> (bool, Vec<String>) {
    let (was, is) = (
        before.parts.as_ref().expect("a reloadable project"),
        after
            .parts
            .as_ref()
            .expect("a reloaded project keeps its parts"),
    );
    let services = after
        .workspace
        .services
        .iter()
        .enumerate()
        .filter(|(at, _)| is.share_service_records(was, *at))
        .map(|(_, s)| s.name.clone())
        .collect();
    (is.share_monolith_records(was), services)
}

#[test]
fn a_reload_with_nothing_changed_keeps_every_part_of_the_inventory() {
    let ws = Workspace::demo();
    let project = Project::load_reloadable(&overrides(&ws)).unwrap();
    let reloaded = reload_matches_a_fresh_load(&project, &ws);
    assert_eq!(
        kept(&project, &reloaded),
        (true, vec!["assignments".into(), "progress".into()])
    );
    // The kept monolith records are shared, not copied: each field the
    // monolith defines reads the very same facts in both inventories.
    let monolith_fields: Vec<_> = project
        .inventory
        .fields
        .iter()
        .filter(|r| r.monolith.is_some())
        .collect();
    assert!(!monolith_fields.is_empty());
    for record in monolith_fields {
        let again = reloaded
            .inventory
            .fields
            .iter()
            .find(|r| r.coordinate == record.coordinate)
            .unwrap();
        assert!(std::ptr::eq(&**record, &**again), "{}", record.coordinate);
    }
    // A project loaded for one command keeps none: the reload makes them.
    let once = Project::load(&overrides(&ws)).unwrap();
    assert!(once.parts.is_none());
    assert!(reload_matches_a_fresh_load(&once, &ws).parts.is_some());
}

#[test]
fn an_edit_of_one_service_joins_that_service_again_and_keeps_the_rest() {
    let ws = Workspace::demo();
    let mut project = Project::load_reloadable(&overrides(&ws)).unwrap();
    let entries = project.ledger.entries.len();
    let mark = Verb::Mark {
        into: "progress".into(),
        canary: false,
        group: None,
    };
    let marked = edit_and_reload_as_the_tui_does(&project, &ws, mark, &["Mutation.updateNickname"]);
    assert_eq!(kept(&project, &marked), (true, vec!["assignments".into()]));
    assert_eq!(
        record(&marked, "Mutation.updateNickname")
            .service
            .as_deref(),
        Some("progress")
    );
    // The ledger the mark wrote is read again.
    assert_eq!(marked.ledger.entries.len(), entries + 1);
    project = marked;

    let advance = Verb::Advance {
        to: None,
        group: None,
    };
    let advanced = edit_and_reload_as_the_tui_does(&project, &ws, advance, &["Assignment.title"]);
    assert_eq!(kept(&project, &advanced), (true, vec!["progress".into()]));
    assert_eq!(record(&advanced, "Assignment.title").stage, Stage::Migrated);
    project = advanced;

    // Out of the service again: the field is back at python, planned
    // for the service its `owns` names (none for this mutation).
    let back = edit_and_reload_as_the_tui_does(
        &project,
        &ws,
        Verb::Rollback,
        &["Mutation.updateNickname"],
    );
    assert_eq!(kept(&project, &back), (true, vec!["assignments".into()]));
    let nickname = record(&back, "Mutation.updateNickname");
    assert_eq!(
        (nickname.stage, nickname.service.as_deref()),
        (Stage::Python, None)
    );
}

#[test]
fn an_edit_of_two_services_joins_both_again() {
    let ws = Workspace::demo();
    let project = Project::load_reloadable(&overrides(&ws)).unwrap();
    let advance = Verb::Advance {
        to: None,
        group: None,
    };
    let both = edit_and_reload_as_the_tui_does(
        &project,
        &ws,
        advance,
        &["Assignment.createdDate", "Progress.pointsEarned"],
    );
    assert_eq!(kept(&project, &both), (true, vec![]));
    assert_eq!(
        record(&both, "Assignment.createdDate").stage,
        Stage::SideBySide
    );
    assert_eq!(
        record(&both, "Progress.pointsEarned").stage,
        Stage::SideBySide
    );
}

#[test]
fn a_monolith_changed_behind_ferrys_back_is_joined_again_at_the_next_edit() {
    let ws = Workspace::demo();
    let project = Project::load_reloadable(&overrides(&ws)).unwrap();
    // Someone renames a field of the monolith, keeping the file's length.
    let text = ws.read(MONOLITH);
    let renamed = text.replacen("  dueAt: Time", "  dueBy: Time", 1);
    assert_ne!(text, renamed);
    assert_eq!(text.len(), renamed.len());
    ws.write(MONOLITH, &renamed);

    let advance = Verb::Advance {
        to: None,
        group: None,
    };
    let reloaded = edit_and_reload_as_the_tui_does(&project, &ws, advance, &["Assignment.title"]);
    assert_eq!(kept(&project, &reloaded), (false, vec!["progress".into()]));
    assert!(
        project
            .inventory
            .field(&field("Assignment.dueAt"))
            .is_some()
    );
    assert!(
        reloaded
            .inventory
            .field(&field("Assignment.dueAt"))
            .is_none()
    );
    let renamed = record(&reloaded, "Assignment.dueBy");
    assert_eq!(renamed.stage, Stage::Python);
    assert_eq!(renamed.planned_for.as_deref(), Some("assignments"));
    // The Python still declares `dueAt`, which the SDL no longer has.
    assert!(
        status_json(&reloaded).contains("Assignment.dueAt"),
        "{}",
        status_json(&reloaded)
    );
    // The records made again are kept for the edit after.
    let after =
        edit_and_reload_as_the_tui_does(&reloaded, &ws, Verb::Rollback, &["Assignment.title"]);
    assert_eq!(kept(&reloaded, &after), (true, vec!["progress".into()]));
}

#[test]
fn a_finished_field_the_monolith_then_drops_is_done_by_the_ledger() {
    let ws = Workspace::demo();
    let project = Project::load_reloadable(&overrides(&ws)).unwrap();
    let finished =
        edit_and_reload_as_the_tui_does(&project, &ws, Verb::Finish, &["Assignment.dueDate"]);
    assert_eq!(kept(&project, &finished), (true, vec!["progress".into()]));
    assert_eq!(record(&finished, "Assignment.dueDate").stage, Stage::Done);
    assert!(
        finished
            .ledger
            .entries
            .iter()
            .any(|e| e.field == "Assignment.dueDate" && e.to == Stage::Done)
    );

    // The monolith's SDL drops the field, as it does once Go serves it;
    // only the ledger still knows it was moved.
    let text = ws.read(MONOLITH);
    let dropped = text.replacen("  dueDate: Time\n", "", 1);
    assert_ne!(text, dropped);
    ws.write(MONOLITH, &dropped);
    let reloaded = reload_matches_a_fresh_load(&finished, &ws);
    assert!(!kept(&finished, &reloaded).0);
    let done = record(&reloaded, "Assignment.dueDate");
    assert_eq!((done.stage, done.monolith.is_none()), (Stage::Done, true));
}

#[test]
fn the_monoliths_validation_findings_outlive_a_reload_that_keeps_its_records() {
    let ws = Workspace::demo();
    // A type nothing defines: the schema builds, its validation fails.
    let sdl = ws.read("webapp/schema.graphql");
    ws.write(
        "webapp/schema.graphql",
        &format!("{sdl}\ntype Orphan {{\n  thing: Missing\n}}\n"),
    );
    let invalid = monolith_invalid;
    let project = Project::load_reloadable(&overrides(&ws)).unwrap();
    assert!(
        invalid(&project).iter().any(|a| a.contains("Missing")),
        "{:?}",
        invalid(&project)
    );
    let advance = Verb::Advance {
        to: None,
        group: None,
    };
    let advanced = edit_and_reload_as_the_tui_does(&project, &ws, advance, &["Assignment.title"]);
    assert_eq!(kept(&project, &advanced), (true, vec!["progress".into()]));
    assert_eq!(invalid(&advanced), invalid(&project));
}
