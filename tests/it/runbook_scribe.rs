//! Runbooks that send the scribe bot, executed on incidents against the embedded fake's live
//! rooms (RUN-2 with BOT-1, BOT-4's incident record, AUTH-3 through a runbook).

use zoom_connector::bot::JoinVia;
use zoom_connector::runbook::{Runbook, RunbookAction, TimelineEvent};

use crate::bot_env::{BotWorld, Mode};
use crate::runbook_execution::{create_action, env, incident};

/// RUN-2 with the bot under OAuth: meeting created, bot joined.
#[tokio::test]
async fn run_2_oauth_bot_joined_in_the_timeline() {
    let world = BotWorld::configured(Mode::OAuth).await;
    let runbook = Runbook {
        name: "Bridge + scribe".into(),
        actions: vec![create_action(), RunbookAction::JoinScribeBot],
    };
    let mut incident = incident();
    let run = runbook.execute(&mut incident, &env(&world)).await;
    assert!(!run.failed(), "{:#?}", incident.timeline);
    let events: Vec<_> = incident.timeline.iter().map(|e| &e.event).collect();
    assert!(
        matches!(
            events.as_slice(),
            [
                TimelineEvent::MeetingCreated { .. },
                TimelineEvent::BotJoined {
                    via: JoinVia::Zak,
                    ..
                }
            ]
        ),
        "{events:#?}"
    );
    assert!(world.alerts.alerts().is_empty());
}

/// BOT-4 in the incident record: API key; the bot is first in and waits in the waiting room (the
/// fake holds everyone there, before and after the start, when it is on); the host arrives but
/// nobody admits the bot, and the meeting ends: missed, documentation incomplete.
#[tokio::test]
async fn bot_4_missed_meeting_marks_documentation_incomplete() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let runbook = Runbook {
        name: "Bridge + scribe".into(),
        actions: vec![create_action(), RunbookAction::JoinScribeBot],
    };
    let mut incident = incident();
    let mut run = runbook.execute(&mut incident, &env(&world)).await;
    assert!(!run.failed(), "{:#?}", incident.timeline);
    let meeting_id = run.sessions()[0].meeting_id();
    world.advance_minutes(2);
    world.host_joins(meeting_id).await;
    run.poll(&mut incident).await.unwrap();
    world.advance_minutes(5);
    run.poll(&mut incident).await.unwrap();
    let (code, body) = world.end(meeting_id).await;
    assert!(code < 300, "end: {code} {body}");
    run.poll(&mut incident).await.unwrap();
    assert!(run.is_settled());

    let events: Vec<_> = incident.timeline.iter().map(|e| &e.event).collect();
    assert!(
        matches!(
            events.as_slice(),
            [
                TimelineEvent::MeetingCreated { .. },
                TimelineEvent::ZakUnavailable { alerted: true, .. },
                TimelineEvent::BotWaiting {
                    waiting_room: true,
                    ..
                },
                TimelineEvent::BotMissed { .. },
            ]
        ),
        "{events:#?}"
    );
    assert!(!incident.documentation_complete());
    let last = incident.timeline.last().unwrap().to_string();
    assert!(last.contains("documentation is incomplete"), "{last}");
    assert_eq!(world.alerts.alerts().len(), 1);
}

/// BOT-3 + BOT-5 in the incident record: alerts suppressed; the host admits the bot; the
/// meeting ends: attended, documentation complete.
#[tokio::test]
async fn bot_3_admitted_with_alerts_suppressed_is_fully_documented() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let runbook = Runbook {
        name: "Bridge + scribe".into(),
        actions: vec![create_action(), RunbookAction::JoinScribeBot],
    };
    let fake = world.fake.clone();
    let env = zoom_connector::runbook::RunbookEnv::new(world.integration.clone())
        .with_bot(world.bot().suppress_zak_alerts(true))
        .with_clock(std::sync::Arc::new(move || fake.now()));
    let mut incident = incident();
    let mut run = runbook.execute(&mut incident, &env).await;
    let meeting_id = run.sessions()[0].meeting_id();
    let bot = run.sessions()[0].participant_id().unwrap().to_string();
    let host = world.host_joins(meeting_id).await;
    world.advance_minutes(1);
    let (code, body) = world.admit(meeting_id, &bot, &host).await;
    assert!(code < 300, "admit: {code} {body}");
    run.poll(&mut incident).await.unwrap();
    world.advance_minutes(20);
    world.end(meeting_id).await;
    run.poll(&mut incident).await.unwrap();
    assert!(run.is_settled());

    let events: Vec<_> = incident.timeline.iter().map(|e| &e.event).collect();
    assert!(
        matches!(
            events.as_slice(),
            [
                TimelineEvent::MeetingCreated { .. },
                TimelineEvent::ZakUnavailable {
                    alerted: false,
                    alert_error: None,
                    ..
                },
                TimelineEvent::BotWaiting { .. },
                TimelineEvent::BotJoined {
                    via: JoinVia::Admitted,
                    ..
                },
                TimelineEvent::BotAttended { .. },
            ]
        ),
        "{events:#?}"
    );
    assert!(
        incident.timeline[1]
            .to_string()
            .contains("no alert (suppressed)")
    );
    assert!(incident.documentation_complete());
    assert!(world.alerts.alerts().is_empty());
    let transcript = run.sessions()[0].transcript().unwrap();
    assert_eq!(
        transcript.until.unwrap() - transcript.from,
        time::Duration::minutes(20)
    );
}
