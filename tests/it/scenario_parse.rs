//! Scenario files: the documented example loads, and every kind of mistake is reported at its
//! line and column with what was expected there.

use std::path::{Path, PathBuf};

use zoom_harness::scenario::model::{Action, AuthMode, BotStateExpect};
use zoom_harness::scenario::{discover, parse_scenario};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The first ```yaml block of scenarios/README.md: the complete example.
fn readme_example() -> String {
    let readme = std::fs::read_to_string(workspace().join("scenarios/README.md")).unwrap();
    let start = readme.find("```yaml\n").expect("README has a yaml example") + "```yaml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_string()
}

#[test]
fn the_readme_example_loads() {
    let scenario = parse_scenario(&readme_example(), "README example").unwrap();
    assert_eq!(scenario.setup.auth, AuthMode::ApiKey);
    assert_eq!(scenario.covered_rules(), ["AUTH-2", "BOT-2", "BOT-3"]);
    assert_eq!(scenario.steps.len(), 6);
    assert!(matches!(scenario.steps[2].action, Action::BotJoin(_)));
    assert_eq!(scenario.steps[2].label.as_deref(), Some("bot-joins"));
    let expect = scenario.steps[2].expect.as_ref().unwrap();
    assert_eq!(expect.bot, Some(BotStateExpect::Waiting));
    assert_eq!(scenario.setup.incident.custom["service"], "payments");
}

#[test]
fn every_library_scenario_loads() {
    let files = discover(&[workspace().join("scenarios")]).unwrap();
    for file in files {
        let text = std::fs::read_to_string(&file.path).unwrap();
        if let Err(error) = parse_scenario(&text, &file.id) {
            panic!("{error}");
        }
    }
}

fn error_of(yaml: &str) -> (Option<(u64, u64)>, String) {
    let error = parse_scenario(yaml, "t.yaml").expect_err("the scenario must not load");
    (error.line_column(), error.to_string())
}

#[test]
fn an_unknown_action_names_the_line_column_and_the_actions() {
    let (position, text) = error_of(
        "name: t\ncovers: [BOT-1]\nsteps:\n  - advance: 5m\n  - create_meetin:\n      topic: x\n",
    );
    assert_eq!(position, Some((5, 5)));
    assert!(
        text.starts_with("t.yaml:5:5: unknown field `create_meetin`"),
        "{text}"
    );
    assert!(text.contains("expected one of create_meeting"), "{text}");
}

#[test]
fn a_misspelt_setting_and_enum_value_are_pinpointed() {
    let (position, text) = error_of(
        "name: t\ncovers: [BOT-1]\nsteps:\n  - create_meeting:\n      topic: x\n      settings: {waiting_rom: true}\n",
    );
    assert_eq!(position, Some((6, 18)));
    assert!(
        text.contains("expected one of join_before_host, waiting_room"),
        "{text}"
    );

    let (position, text) =
        error_of("name: t\ncovers: [BOT-1]\nsetup:\n  auth: oauth\nsteps:\n  - advance: 1m\n");
    assert_eq!(position, Some((4, 9)));
    assert!(
        text.contains("expected one of server_to_server_oauth, api_key"),
        "{text}"
    );
}

#[test]
fn an_unknown_rule_id_points_at_it() {
    let (position, text) = error_of("name: t\ncovers: [BOT-1, BOT-9]\nsteps:\n  - advance: 1m\n");
    assert_eq!(position, Some((2, 17)));
    assert!(text.contains("unknown rule id `BOT-9`"), "{text}");
}

#[test]
fn a_bad_duration_says_how_to_write_one() {
    let (position, text) = error_of("name: t\ncovers: [BOT-1]\nsteps:\n  - advance: 5x\n");
    assert_eq!(position.map(|p| p.0), Some(4));
    assert!(text.contains("unknown unit `x`"), "{text}");
}

#[test]
fn two_actions_in_one_step_are_refused() {
    let (_, text) =
        error_of("name: t\ncovers: [BOT-1]\nsteps:\n  - advance: 5m\n    revoke_tokens: {}\n");
    assert!(text.contains("exactly one action"), "{text}");
}

#[test]
fn scopes_with_an_api_key_app_are_refused() {
    let (_, text) = error_of(
        "name: t\ncovers: [AUTH-2]\nsetup:\n  auth: api_key\n  scopes: [meeting:write]\nsteps:\n  - advance: 1m\n",
    );
    assert!(text.contains("JWT) apps have no scopes"), "{text}");
}

#[test]
fn a_meeting_or_participant_used_before_it_is_named_is_refused() {
    let (position, text) =
        error_of("name: t\ncovers: [BOT-1]\nsteps:\n  - bot_join: {meeting: bridge}\n");
    assert_eq!(position, Some((4, 5)), "{text}");
    assert!(
        text.contains("no earlier step created a meeting named `bridge`"),
        "{text}"
    );

    let (_, text) = error_of(
        "name: t\ncovers: [BOT-3]\nsteps:\n  - create_meeting: {topic: x}\n  - admit: {participant: bot, by: host}\n",
    );
    assert!(text.contains("participant `host`"), "{text}");
}

#[test]
fn an_empty_step_and_a_missing_field_are_explained() {
    let (_, text) = error_of("name: t\ncovers: [BOT-1]\nsteps:\n  - label: x\n");
    assert!(text.contains("needs an action key"), "{text}");
    let (position, text) =
        error_of("name: t\ncovers: [BOT-1]\nsteps:\n  - create_meeting: {host: owner}\n");
    assert!(position.is_some(), "{text}");
    assert!(text.contains("topic"), "{text}");
}

#[test]
fn discovery_is_sorted_and_relative() {
    let dir = std::env::temp_dir().join(format!("zh-discover-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::write(dir.join("b/z.yaml"), "").unwrap();
    std::fs::write(dir.join("a.yml"), "").unwrap();
    std::fs::write(dir.join("notes.md"), "").unwrap();
    let ids: Vec<String> = discover(std::slice::from_ref(&dir))
        .unwrap()
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(ids, ["a.yml", "b/z.yaml"]);
    assert!(discover(&[Path::new("/nonexistent/zh").to_path_buf()]).is_err());
    std::fs::remove_dir_all(dir).unwrap();
}
