//! Snapshots of one report in each format (JUnit XML, JSON, HTML), times redacted.
//!
//! The report is built by hand so that the snapshots pin the renderers, not the connector's
//! request pattern; `scenario_runner` tests runs end to end.

use std::time::Duration;

use zoom_harness::report::{
    self, Exchange, Failure, Lane, RunMode, RunReport, ScenarioReport, Status, StepReport,
};

fn step(number: usize, action: &str, summary: &str, status: Status) -> StepReport {
    StepReport {
        number,
        label: None,
        action: action.into(),
        summary: summary.into(),
        status,
        note: None,
    }
}

fn exchange(
    step: usize,
    from: Lane,
    to: Lane,
    label: &str,
    reply: Option<&str>,
    is_error: bool,
) -> Exchange {
    Exchange {
        step,
        from,
        to,
        label: label.into(),
        reply: reply.map(str::to_string),
        is_error,
    }
}

fn sample() -> RunReport {
    let passed = ScenarioReport {
        id: "bot/oauth_zak_join.yaml".into(),
        name: "OAuth: the bot joins with a ZAK, bypassing the waiting room".into(),
        covers: vec!["BOT-1".into()],
        status: Status::Passed,
        skip_reason: None,
        duration: Duration::from_millis(41),
        steps: vec![
            step(
                1,
                "create_meeting",
                "create meeting `bridge`: \"{{Activity.title}} - Incident Bridge\"",
                Status::Passed,
            ),
            step(
                2,
                "bot_join",
                "the scribe bot joins `bridge`",
                Status::Passed,
            ),
        ],
        failure: None,
        exchanges: vec![
            exchange(
                1,
                Lane::Runner,
                Lane::Connector,
                "create_meeting",
                Some("ok"),
                false,
            ),
            exchange(
                1,
                Lane::Connector,
                Lane::Zoom,
                "POST /oauth/token?grant_type=account_credentials&account_id=harness-account",
                Some("200"),
                false,
            ),
            exchange(
                1,
                Lane::Connector,
                Lane::Zoom,
                "POST /v2/users/owner/meetings",
                Some("201"),
                false,
            ),
            exchange(2, Lane::Runner, Lane::Bot, "bot_join", Some("ok"), false),
            exchange(
                2,
                Lane::Connector,
                Lane::Zoom,
                "GET /v2/users/owner/token?type=zak",
                Some("200"),
                false,
            ),
            exchange(
                2,
                Lane::Bot,
                Lane::Zoom,
                "join as Scribe with ZAK",
                Some("in_meeting"),
                false,
            ),
        ],
    };
    let failed = ScenarioReport {
        id: "bot/api_key_waiting_room.yaml".into(),
        name: "API key: the bot waits & alerts <Slack>".into(),
        covers: vec!["BOT-2".into(), "AUTH-2".into()],
        status: Status::Failed,
        skip_reason: None,
        duration: Duration::from_millis(57),
        steps: vec![
            step(
                1,
                "create_meeting",
                "create meeting `bridge`",
                Status::Passed,
            ),
            step(
                2,
                "bot_join",
                "the scribe bot joins `bridge`",
                Status::Failed,
            ),
            StepReport {
                note: Some("not run: an earlier step failed".into()),
                ..step(3, "admit", "`host` admits `bot`", Status::Skipped)
            },
        ],
        failure: Some(Failure {
            step: 2,
            step_summary: "the scribe bot joins `bridge`".into(),
            expected: "alerts [\"ZAK token generation not supported\"]".into(),
            actual: "alerts []".into(),
            journal_tail: vec![
                "POST /v2/users/owner/meetings -> 201".into(),
                "GET /v2/users/owner/token?type=zak -> 400".into(),
            ],
        }),
        exchanges: vec![
            exchange(
                1,
                Lane::Connector,
                Lane::Zoom,
                "POST /v2/users/owner/meetings",
                Some("201"),
                false,
            ),
            exchange(
                2,
                Lane::Connector,
                Lane::Zoom,
                "GET /v2/users/owner/token?type=zak",
                Some("400"),
                true,
            ),
            exchange(
                2,
                Lane::Bot,
                Lane::AlertSink,
                "ZAK token generation not supported",
                None,
                false,
            ),
        ],
    };
    let skipped = ScenarioReport {
        id: "live/only.yaml".into(),
        name: "skipped one".into(),
        covers: vec!["RUN-3".into()],
        status: Status::Skipped,
        skip_reason: Some("no connector in live mode".into()),
        duration: Duration::ZERO,
        steps: Vec::new(),
        failure: None,
        exchanges: Vec::new(),
    };
    RunReport {
        mode: RunMode::Fake,
        started_at: time::macros::datetime!(2026-12-04 15:00:00 UTC),
        duration: Duration::from_millis(1234),
        scenarios: vec![failed, passed, skipped],
    }
}

#[test]
fn junit_report() {
    let xml = report::junit::render(&sample()).unwrap();
    insta::with_settings!({filters => vec![(r#"time="[0-9.]+""#, r#"time="[time]""#)]}, {
        insta::assert_snapshot!(xml);
    });
}

#[test]
fn json_report() {
    let value = serde_json::to_value(sample()).unwrap();
    insta::assert_json_snapshot!(value, {
        ".started_at" => "[time]",
        ".duration" => "[ms]",
        ".scenarios[].duration" => "[ms]",
    });
}

#[test]
fn html_report() {
    let html = report::html::render(&sample());
    insta::with_settings!({filters => vec![
        (r"started [0-9T:\-Z]+", "started [time]"),
        (r"in [0-9.]+s", "in [time]"),
        (r"[0-9]+ ms", "[ms]"),
    ]}, {
        insta::assert_snapshot!(html);
    });
}

#[test]
fn html_is_self_contained_and_escaped() {
    let html = report::html::render(&sample());
    // The only URL is the SVG namespace: no network assets.
    assert_eq!(
        html.matches("http://").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(!html.contains("<script"));
    assert!(!html.contains("https://"));
    assert!(html.contains("&lt;Slack&gt;"));
    assert!(html.contains("<svg class=\"sequence\""));
}
