//! The runner end to end against the embedded fake: passing and failing scenarios, the failure
//! text (step, expected, actual, journal tail, no secrets), load errors, selection.

use std::path::PathBuf;

use zoom_harness::report::Status;
use zoom_harness::runner::{self, LoadedScenario, Partition, RunOptions};
use zoom_harness::scenario::{ScenarioFile, parse_scenario};

fn loaded(id: &str, yaml: &str) -> LoadedScenario {
    LoadedScenario {
        file: ScenarioFile {
            id: id.into(),
            path: PathBuf::from(id),
        },
        scenario: parse_scenario(yaml, id).map_err(|e| e.to_string()),
    }
}

const PASSING: &str = r#"
name: creates a bridge
covers: [RUN-1]
steps:
  - create_meeting: {as: bridge, topic: "{{Activity.id}} bridge"}
    expect:
      result: {topic: "INC-1 bridge"}
      journal:
        contains: ["POST /v2/users/owner/meetings -> 201"]
"#;

const FAILING: &str = r#"
name: expects the wrong topic
covers: [RUN-1]
steps:
  - create_meeting: {as: bridge, topic: "{{Activity.id}} bridge"}
    expect:
      result: {topic: "something else"}
  - get_meeting: {meeting: bridge}
"#;

#[tokio::test]
async fn a_passing_and_a_failing_scenario_are_told_apart() {
    let report = runner::run(
        vec![loaded("ok.yaml", PASSING), loaded("bad.yaml", FAILING)],
        &RunOptions::default(),
    )
    .await;
    assert_eq!(
        report.scenarios[0].status,
        Status::Passed,
        "{:?}",
        report.scenarios[0].failure
    );
    let failed = &report.scenarios[1];
    assert_eq!(failed.status, Status::Failed);
    assert!(!report.passed());
    let failure = failed.failure.as_ref().unwrap();
    assert_eq!(failure.step, 1);
    assert!(
        failure.expected.contains("something else"),
        "{}",
        failure.expected
    );
    assert!(
        failure.actual.contains("INC-1 bridge"),
        "{}",
        failure.actual
    );
    assert!(
        failure
            .journal_tail
            .iter()
            .any(|l| l.starts_with("POST /v2/users/owner/meetings -> 201")),
        "{:?}",
        failure.journal_tail
    );
    // The step after the failure is reported as not run.
    assert_eq!(failed.steps[1].status, Status::Skipped);
    // The connector's request to the fake shows in the sequence diagram.
    assert!(
        failed
            .exchanges
            .iter()
            .any(|e| e.label == "POST /v2/users/owner/meetings")
    );
}

#[tokio::test]
async fn no_secret_reaches_the_reports() {
    let report = runner::run(
        vec![loaded("ok.yaml", PASSING), loaded("bad.yaml", FAILING)],
        &RunOptions::default(),
    )
    .await;
    let texts = [
        zoom_harness::report::json::render(&report).unwrap(),
        zoom_harness::report::junit::render(&report).unwrap(),
        zoom_harness::report::html::render(&report),
    ];
    for text in texts {
        for secret in [
            zoom_harness::runner::world::S2S_CLIENT_SECRET,
            zoom_harness::runner::world::API_SECRET,
        ] {
            assert!(!text.contains(secret));
        }
        assert!(!text.contains("access_token"));
    }
}

#[tokio::test]
async fn an_unloadable_file_is_a_failed_scenario_not_a_silent_skip() {
    let report = runner::run(
        vec![loaded(
            "broken.yaml",
            "name: x\ncovers: [NOPE-1]\nsteps: []\n",
        )],
        &RunOptions::default(),
    )
    .await;
    assert_eq!(report.scenarios[0].status, Status::Failed);
    let failure = report.scenarios[0].failure.as_ref().unwrap();
    assert_eq!(failure.step, 0);
    assert!(
        failure.actual.contains("unknown rule id `NOPE-1`"),
        "{}",
        failure.actual
    );
}

#[test]
fn filter_and_partitions_select_stably() {
    let all: Vec<LoadedScenario> = (0..20)
        .map(|i| loaded(&format!("topic/s{i:02}.yaml"), PASSING))
        .collect();
    let ids =
        |selected: Vec<LoadedScenario>| selected.into_iter().map(|l| l.file.id).collect::<Vec<_>>();
    let filter = RunOptions {
        filters: vec!["S1".into(), "s05".into()],
        ..RunOptions::default()
    };
    let filtered = ids(runner::select_scenarios(
        (0..20)
            .map(|i| loaded(&format!("topic/s{i:02}.yaml"), PASSING))
            .collect(),
        &filter,
    ));
    assert_eq!(filtered.len(), 11, "{filtered:?}");
    assert_eq!(all.len(), 20);
    for kind in ["hash", "count"] {
        let mut union = Vec::new();
        for shard in 1..=3 {
            let options = RunOptions {
                partition: Some(format!("{kind}:{shard}/3").parse::<Partition>().unwrap()),
                ..RunOptions::default()
            };
            let make = || {
                (0..20)
                    .map(|i| loaded(&format!("topic/s{i:02}.yaml"), PASSING))
                    .collect::<Vec<_>>()
            };
            let first = ids(runner::select_scenarios(make(), &options));
            let again = ids(runner::select_scenarios(make(), &options));
            assert_eq!(first, again, "a shard is the same every time");
            union.extend(first);
        }
        union.sort();
        let expected: Vec<String> = (0..20).map(|i| format!("topic/s{i:02}.yaml")).collect();
        assert_eq!(
            union, expected,
            "{kind}: the shards cover every scenario exactly once"
        );
    }
}

const MIXED: &str = r#"
name: connector and fake-only steps
covers: [RUN-1]
steps:
  - create_meeting: {as: bridge, topic: "{{Activity.id}} bridge"}
    expect:
      result: {topic: "INC-1 bridge"}
  - advance: 5m
  - get_meeting: {meeting: bridge}
    expect:
      result: {topic: "INC-1 bridge"}
      journal:
        contains: ["GET /v2/meetings/*"]
"#;

#[tokio::test]
async fn live_mode_without_credentials_skips_with_a_reason() {
    let options = RunOptions {
        target: runner::Target::Live(None),
        ..RunOptions::default()
    };
    let report = runner::run(vec![loaded("mixed.yaml", MIXED)], &options).await;
    assert_eq!(report.scenarios[0].status, Status::Skipped);
    assert!(report.passed());
    let reason = report.scenarios[0].skip_reason.as_deref().unwrap();
    assert!(reason.contains("no Zoom credentials"), "{reason}");
}

/// Live mode against a stand-in for Zoom (a fake started on its own, reached only through the
/// credentials): connector steps run, fake-only steps are skipped and said so, and the meetings
/// created are deleted afterwards.
#[tokio::test]
async fn live_mode_runs_connector_steps_and_skips_fake_only_ones() {
    use fake_zoom::config::{AccountConfig, AppConfig, FakeConfig, Role, UserConfig};
    let mut config = FakeConfig::new();
    config.accounts.push(
        AccountConfig::new("live-account")
            .user(UserConfig::new("live-host", "host@example.com").role(Role::Owner))
            .app(AppConfig::server_to_server(
                "live",
                "live-client",
                "live-secret",
                vec![
                    "meeting:write:admin".into(),
                    "meeting:read:admin".into(),
                    "user:read:admin".into(),
                ],
            )),
    );
    let zoom = fake_zoom::FakeZoom::builder()
        .config(config)
        .start()
        .await
        .unwrap();
    let env = [
        ("ZOOM_ACCOUNT_ID", "live-account".to_string()),
        ("ZOOM_CLIENT_ID", "live-client".to_string()),
        ("ZOOM_CLIENT_SECRET", "live-secret".to_string()),
        ("ZOOM_API_BASE_URL", zoom.api_base_url()),
        ("ZOOM_OAUTH_URL", zoom.oauth_token_url()),
        ("ZOOM_LIVE_HOST", "live-host".to_string()),
    ];
    let credentials = runner::LiveCredentials::from_lookup(|name| {
        env.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    });
    let options = RunOptions {
        target: runner::Target::Live(credentials),
        ..RunOptions::default()
    };
    let report = runner::run(vec![loaded("mixed.yaml", MIXED)], &options).await;
    let scenario = &report.scenarios[0];
    assert_eq!(scenario.status, Status::Passed, "{:?}", scenario.failure);
    assert_eq!(scenario.steps[0].status, Status::Passed);
    assert_eq!(scenario.steps[1].status, Status::Skipped);
    assert!(
        scenario.steps[1]
            .note
            .as_deref()
            .unwrap()
            .contains("fake-only")
    );
    assert_eq!(scenario.steps[2].status, Status::Passed);
    let requests: Vec<String> = zoom
        .journal()
        .into_iter()
        .map(|e| format!("{} {} {}", e.method, e.path, e.status))
        .collect();
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("POST /v2/users/live-host/meetings 201")),
        "{requests:?}"
    );
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("DELETE /v2/meetings/")),
        "cleaned up: {requests:?}"
    );
    zoom.shutdown().await;
}

#[test]
fn repro_until_takes_a_number_or_a_label() {
    let scenario = parse_scenario(
        "name: t\ncovers: [RUN-1]\nsteps:\n  - create_meeting: {as: b, topic: x}\n  - label: later\n    advance: 1m\n  - advance: 1m\n",
        "t.yaml",
    )
    .unwrap();
    use zoom_harness::repro::steps_until;
    assert_eq!(steps_until(&scenario, None).unwrap(), 3);
    assert_eq!(steps_until(&scenario, Some("later")).unwrap(), 2);
    assert_eq!(steps_until(&scenario, Some("1")).unwrap(), 1);
    assert!(steps_until(&scenario, Some("4")).is_err());
    assert!(steps_until(&scenario, Some("nope")).is_err());
}

#[tokio::test]
async fn the_readme_example_passes() {
    let readme = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/README.md"),
    )
    .unwrap();
    let start = readme.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let report = runner::run(
        vec![loaded("README example", &readme[start..end])],
        &RunOptions::default(),
    )
    .await;
    assert_eq!(
        report.scenarios[0].status,
        Status::Passed,
        "{}",
        report.scenarios[0]
            .failure
            .as_ref()
            .map(|f| f.render())
            .unwrap_or_default()
    );
}
