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
