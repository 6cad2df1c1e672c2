//! `Project::load_stored`, which `ferry status` runs: one load stores the
//! monolith's records in the cache folder, the next takes them while the
//! monolith's files hold the same text and never parses the SDL. Every
//! such load must give exactly what a fresh load gives.

mod common;

use common::{Workspace, monolith_invalid, overrides, status_json};
use ferry::model::inventory::FieldCoordinate;
use ferry::model::project::Project;
use ferry::model::stage::Stage;
use ferry::workspace::Overrides;

const SDL: &str = "webapp/schema.graphql";
const STORE: &str = ".ferry/cache/monolith-records.bin";

/// `load_stored` checked against a fresh `load`: the same `status
/// --json`, the same inventory to the last byte range, the same
/// findings of `check`.
fn stored_load_matches_a_fresh_load(ws: &Workspace) -> Project {
    let stored = Project::load_stored(&overrides(ws)).unwrap();
    let fresh = Project::load(&overrides(ws)).unwrap();
    assert_eq!(status_json(&stored), status_json(&fresh));
    assert_eq!(
        format!("{:#?}", stored.inventory),
        format!("{:#?}", fresh.inventory)
    );
    assert_eq!(
        format!("{:?}", ferry::check::run(&stored)),
        format!("{:?}", ferry::check::run(&fresh))
    );
    stored
}

/// The demo with a monolith whose schema builds but does not validate.
fn demo_with_an_invalid_monolith() -> Workspace {
    let ws = Workspace::demo();
    let sdl = ws.read(SDL);
    ws.write(
        SDL,
        &format!("{sdl}\ntype Orphan {{\n  thing: Missing\n}}\n"),
    );
    ws
}

fn stage(project: &Project, name: &str) -> Stage {
    let (type_name, field_name) = name.split_once('.').unwrap();
    project
        .inventory
        .field(&FieldCoordinate::new(type_name, field_name))
        .unwrap_or_else(|| panic!("{name} in the inventory"))
        .stage
}

#[test]
fn a_second_status_takes_the_stored_records_and_never_parses_the_sdl() {
    let ws = demo_with_an_invalid_monolith();
    assert!(!ws.path(STORE).exists());
    let first = stored_load_matches_a_fresh_load(&ws);
    assert!(first.monolith.is_parsed(), "nothing was stored yet");
    assert!(ws.path(STORE).exists(), "the first load stores the records");

    let second = stored_load_matches_a_fresh_load(&ws);
    assert!(
        !second.monolith.is_parsed(),
        "status, check and the comparison with a fresh load read only the records"
    );
    // The validation's findings were stored with the records.
    assert!(
        monolith_invalid(&second)
            .iter()
            .any(|a| a.contains("Missing")),
        "{:?}",
        monolith_invalid(&second)
    );
    // Key fields from the SDL's @key and from ferry.toml's `keys`.
    assert_eq!(stage(&second, "User.kaid"), Stage::Key);
    assert_eq!(stage(&second, "Classroom.id"), Stage::Key);
}

#[test]
fn asking_for_the_schema_parses_it_as_a_load_would() {
    let ws = demo_with_an_invalid_monolith();
    Project::load_stored(&overrides(&ws)).unwrap();
    let stored = Project::load_stored(&overrides(&ws)).unwrap();
    let fresh = Project::load(&overrides(&ws)).unwrap();
    assert!(!stored.monolith.is_parsed());
    assert_eq!(
        stored.monolith.schema.to_string(),
        fresh.monolith.schema.to_string()
    );
    assert!(stored.monolith.is_parsed());
    assert_eq!(
        format!("{:?}", stored.monolith.invalid),
        format!("{:?}", fresh.monolith.invalid)
    );
    assert_eq!(stored.monolith.files.len(), fresh.monolith.files.len());
}

#[test]
fn an_sdl_edited_to_the_same_size_is_parsed_again() {
    let ws = Workspace::demo();
    stored_load_matches_a_fresh_load(&ws);
    let sdl = ws.read(SDL);
    let edited = sdl.replacen("  title: String", "  titel: String", 1);
    assert_ne!(edited, sdl);
    assert_eq!(edited.len(), sdl.len());
    ws.write(SDL, &edited);
    let project = stored_load_matches_a_fresh_load(&ws);
    assert!(project.monolith.is_parsed());
    let names: Vec<String> = project
        .inventory
        .fields
        .iter()
        .map(|f| f.coordinate.to_string())
        .collect();
    assert!(names.iter().any(|n| n.ends_with(".titel")), "{names:?}");
    // And the records stored for the new text are taken next time.
    assert!(!stored_load_matches_a_fresh_load(&ws).monolith.is_parsed());
}

#[test]
fn the_stages_and_plans_follow_this_runs_settings_not_the_stored_ones() {
    let ws = Workspace::demo();
    stored_load_matches_a_fresh_load(&ws);
    let toml = ws.read("ferry.toml");
    let edited = toml
        .replace(
            "keys = { Classroom = \"id\" }",
            "keys = { Classroom = \"id name\" }",
        )
        .replace(
            "owns = [\"Progress.*\", \"Query.progress*\", \"Mutation.recordProgress\"]",
            "owns = [\"Progress.*\", \"Query.progress*\", \"Mutation.recordProgress\", \"Classroom.*\"]",
        );
    assert_ne!(edited, toml);
    ws.write("ferry.toml", &edited);
    let project = stored_load_matches_a_fresh_load(&ws);
    assert!(!project.monolith.is_parsed(), "the SDL did not change");
    assert_eq!(stage(&project, "Classroom.name"), Stage::Key);
    let classroom = project
        .inventory
        .fields
        .iter()
        .find(|f| f.coordinate.type_name == "Classroom" && f.stage == Stage::Python)
        .expect("a Classroom field still in Python");
    assert_eq!(classroom.planned_for.as_deref(), Some("progress"));
}

#[test]
fn a_damaged_store_is_not_taken_and_is_written_again() {
    let ws = Workspace::demo();
    stored_load_matches_a_fresh_load(&ws);
    let mut bytes = std::fs::read(ws.path(STORE)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(ws.path(STORE), &bytes).unwrap();
    assert!(stored_load_matches_a_fresh_load(&ws).monolith.is_parsed());
    assert!(!stored_load_matches_a_fresh_load(&ws).monolith.is_parsed());

    std::fs::write(ws.path(STORE), b"FERRYMR2 and then nothing").unwrap();
    assert!(stored_load_matches_a_fresh_load(&ws).monolith.is_parsed());
}

#[test]
fn without_a_cache_nothing_is_stored() {
    let ws = Workspace::demo();
    let no_cache = Overrides {
        no_cache: true,
        ..overrides(&ws)
    };
    let project = Project::load_stored(&no_cache).unwrap();
    assert!(project.monolith.is_parsed());
    assert!(!ws.path(STORE).exists());
    let again = Project::load_stored(&no_cache).unwrap();
    assert!(again.monolith.is_parsed());
}

#[test]
fn ferry_status_twice_prints_the_same() {
    let ws = demo_with_an_invalid_monolith();
    let first = ws.ferry(&["status", "--json"]).success().stdout();
    assert!(ws.path(STORE).exists());
    let second = ws.ferry(&["status", "--json"]).success().stdout();
    assert_eq!(first, second);
    let plain = ws.ferry(&["status"]).success().stdout();
    assert!(plain.contains("monolith"), "{plain}");
}
