//! Runbooks executed on incidents against the embedded fake (RUN-1, RUN-2, RUN-3, BOT-4's record).

use std::sync::Arc;

use serde_json::json;
use zoom_connector::ErrorKind;
use zoom_connector::runbook::{
    CreateMeetingAction, Incident, Runbook, RunbookAction, RunbookEnv, TimelineEvent,
};
use zoom_connector::webhook::{MemorySecretStore, ZoomIntegration};

use crate::bot_env::{BotWorld, HOST_ID, Mode};

pub fn incident() -> Incident {
    let mut incident = Incident::new(
        "INC-1042",
        "Payments API & checkout down",
        "SEV1",
        "5xx on /pay since 14:02",
    );
    incident
        .set_field("service", json!("payments-api"))
        .unwrap();
    incident
}

pub fn create_action() -> RunbookAction {
    RunbookAction::CreateMeeting(CreateMeetingAction {
        host: HOST_ID.into(),
        topic: "{{Activity.title}} - Incident Bridge".into(),
        agenda: Some(
            "{{Activity.id}} [{{Activity.severity}}] {{Activity.service}}: {{Activity.summary}}"
                .into(),
        ),
        duration_minutes: Some(60),
        waiting_room: Some(true),
        ..Default::default()
    })
}

pub fn env(world: &BotWorld) -> RunbookEnv {
    let fake = world.fake.clone();
    RunbookEnv::new(world.integration.clone())
        .with_bot(world.bot())
        .with_clock(Arc::new(move || fake.now()))
}

/// RUN-1 + RUN-2: templated topic and agenda, the meeting in the timeline with its join link,
/// in both auth modes (API Key/Secret can create meetings too).
#[tokio::test]
async fn run_1_templated_meeting_lands_in_the_timeline() {
    for mode in [Mode::OAuth, Mode::ApiKey] {
        run_1_in(mode).await;
    }
}

async fn run_1_in(mode: Mode) {
    let world = BotWorld::configured(mode).await;
    let runbook = Runbook {
        name: "Open bridge".into(),
        actions: vec![create_action()],
    };
    let mut incident = incident();
    let run = runbook.execute(&mut incident, &env(&world)).await;
    assert!(!run.failed(), "{:#?}", incident.timeline);

    let [entry] = incident.timeline.as_slice() else {
        panic!("{:#?}", incident.timeline)
    };
    let TimelineEvent::MeetingCreated {
        meeting_id,
        topic,
        join_url,
    } = &entry.event
    else {
        panic!("{entry:?}")
    };
    assert_eq!(
        topic, "Payments API & checkout down - Incident Bridge",
        "plain text, no HTML escaping"
    );
    assert!(join_url.contains(&meeting_id.to_string()), "{join_url}");
    assert_eq!(entry.at, world.fake.now());
    assert!(entry.to_string().contains(join_url.as_str()));

    let meeting = world.connector().get_meeting(*meeting_id).await.unwrap();
    assert_eq!(
        meeting.topic,
        "Payments API & checkout down - Incident Bridge"
    );
    assert!(incident.documentation_complete());
}

/// RUN-1: an unknown variable is an error naming it, and nothing is created.
#[tokio::test]
async fn run_1_unknown_variable_creates_nothing() {
    let world = BotWorld::configured(Mode::OAuth).await;
    let mut action = create_action();
    if let RunbookAction::CreateMeeting(a) = &mut action {
        a.agenda = Some("{{Activity.titel}}".into());
    }
    let runbook = Runbook {
        name: "Typo".into(),
        actions: vec![
            RunbookAction::ShareStaticBridge {
                label: "Bridge".into(),
                join_url: "https://zoom.us/j/1".into(),
            },
            action,
        ],
    };
    let mut incident = incident();
    let run = runbook.execute(&mut incident, &env(&world)).await;
    assert!(run.failed());
    let [entry] = incident.timeline.as_slice() else {
        panic!("only the failure: {:#?}", incident.timeline)
    };
    let TimelineEvent::ActionFailed {
        action,
        error,
        kind,
        fix,
    } = &entry.event
    else {
        panic!("{entry:?}")
    };
    assert_eq!(action, "Create Zoom Meeting");
    assert!(error.contains("Activity.titel"), "{error}");
    assert_eq!(*kind, ErrorKind::Template);
    assert!(
        fix.as_deref()
            .unwrap_or_default()
            .contains("Activity.title"),
        "{fix:?}"
    );
    let creates = world
        .fake
        .journal()
        .iter()
        .filter(|e| e.method == "POST" && e.path.ends_with("/meetings"))
        .count();
    assert_eq!(creates, 0, "no meeting was requested");
}

/// RUN-2: an error from Zoom is in the timeline with its fix.
#[tokio::test]
async fn run_2_error_with_its_fix() {
    let world = BotWorld::configured(Mode::OAuth).await;
    world
        .fake
        .set_app_scopes(
            crate::bot_env::S2S_CLIENT_ID,
            vec!["user:read:admin".into()],
        )
        .unwrap();
    let runbook = Runbook {
        name: "Open bridge".into(),
        actions: vec![create_action()],
    };
    let mut incident = incident();
    let run = runbook.execute(&mut incident, &env(&world)).await;
    assert!(run.failed());
    let [entry] = incident.timeline.as_slice() else {
        panic!("{:#?}", incident.timeline)
    };
    let TimelineEvent::ActionFailed { fix, kind, .. } = &entry.event else {
        panic!("{entry:?}")
    };
    assert_eq!(*kind, ErrorKind::InsufficientScopes, "{entry}");
    let fix = fix.as_deref().unwrap_or_default();
    assert!(fix.contains("meeting:write"), "{entry}");
    // The timeline line names the fix once, not once from the error and again from the entry.
    assert_eq!(entry.to_string().matches(fix).count(), 1, "{entry}");
}

/// RUN-3: a static bridge runbook runs with no connector at all.
#[tokio::test]
async fn run_3_static_bridge_needs_no_connector() {
    let runbook = Runbook {
        name: "Static bridge".into(),
        actions: vec![RunbookAction::ShareStaticBridge {
            label: "{{Activity.severity}} bridge for {{Activity.id}}".into(),
            join_url: "https://example.zoom.us/j/5551234567".into(),
        }],
    };
    let mut incident = incident();
    let run = runbook
        .execute(&mut incident, &RunbookEnv::without_connector())
        .await;
    assert!(!run.failed());
    assert_eq!(
        incident
            .timeline
            .iter()
            .map(|e| e.event.clone())
            .collect::<Vec<_>>(),
        vec![TimelineEvent::BridgeShared {
            label: "SEV1 bridge for INC-1042".into(),
            join_url: "https://example.zoom.us/j/5551234567".into()
        }]
    );
}

/// A Create Zoom Meeting action with no connector configured: "Zoom connector not configured".
#[tokio::test]
async fn create_meeting_without_a_configured_connector() {
    let integration = Arc::new(ZoomIntegration::new(Arc::new(MemorySecretStore::new())));
    let runbook = Runbook {
        name: "Open bridge".into(),
        actions: vec![create_action()],
    };
    let mut incident = incident();
    for env in [
        RunbookEnv::new(integration),
        RunbookEnv::without_connector(),
    ] {
        incident.timeline.clear();
        let run = runbook.execute(&mut incident, &env).await;
        assert!(run.failed());
        let [entry] = incident.timeline.as_slice() else {
            panic!("{:#?}", incident.timeline)
        };
        let TimelineEvent::ActionFailed { error, kind, .. } = &entry.event else {
            panic!("{entry:?}")
        };
        assert_eq!(error, "Zoom connector not configured");
        assert_eq!(*kind, ErrorKind::NotConfigured);
    }
}

/// Custom fields cannot shadow the standard ones.
#[test]
fn custom_fields_cannot_shadow_standard_fields() {
    let mut incident = incident();
    assert!(incident.set_field("title", json!("x")).is_err());
    assert_eq!(
        incident.template_context()["Activity"]["service"],
        json!("payments-api")
    );
}
