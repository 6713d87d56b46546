//! The scribe bot end to end: connector + bot + [`FakeRoomJoiner`] against the embedded fake's
//! live rooms, one test per catalogue rule (BOT-1 to BOT-6, AUTH-3).

use std::time::Duration;

use secrecy::SecretString;
use zoom_connector::ErrorKind;
use zoom_connector::alerts::{Alert, AlertKind};
use zoom_connector::bot::{BotState, JoinVia, MissReason, ZakOutcome};

use crate::bot_env::{BotWorld, COHOST_ID, Mode};

fn status(v: &serde_json::Value) -> &str {
    v["status"].as_str().unwrap_or("<none>")
}

/// BOT-1: with OAuth the bot gets the host's ZAK and is in at once, waiting room or not; no alert.
#[tokio::test]
async fn bot_1_oauth_joins_with_zak_past_the_waiting_room() {
    let world = BotWorld::configured(Mode::OAuth).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;

    let session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    assert!(
        matches!(
            session.state(),
            BotState::Joined {
                via: JoinVia::Zak,
                ..
            }
        ),
        "{session:?}"
    );
    assert!(session.used_zak());
    assert_eq!(session.zak_outcome(), &ZakOutcome::Granted);
    assert!(session.transcript().is_some());
    assert!(world.alerts.alerts().is_empty(), "no alert with OAuth");
    let BotState::Joined { participant_id, .. } = session.state() else {
        unreachable!()
    };
    assert_eq!(
        status(&world.participant(meeting, participant_id).await),
        "in_meeting"
    );
}

/// BOT-2: with API Key/Secret the ZAK request fails, the alert goes out, the bot waits.
#[tokio::test]
async fn bot_2_api_key_alerts_and_lands_in_the_waiting_room() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;

    let session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    assert!(!session.used_zak());
    let ZakOutcome::Refused { kind, message, .. } = session.zak_outcome() else {
        panic!("ZAK should be refused: {session:?}")
    };
    assert_eq!(*kind, ErrorKind::ZakNotSupported, "{message}");
    assert_eq!(
        world.alerts.alerts(),
        vec![Alert::zak_not_supported(meeting)]
    );
    assert_eq!(
        world.alerts.alerts()[0].text,
        "ZAK token generation not supported"
    );
    let BotState::Waiting { participant_id, .. } = session.state() else {
        panic!("{session:?}")
    };
    assert_eq!(
        status(&world.participant(meeting, participant_id).await),
        "in_waiting_room"
    );
    assert_eq!(session.transcript(), None);
}

/// BOT-3: admitted by the host, the bot joins and the transcript starts at admission.
#[tokio::test]
async fn bot_3_admitted_bot_joins_and_captures_the_transcript() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    let host = world.host_joins(meeting).await;
    let mut session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    let BotState::Waiting { participant_id, .. } = session.state().clone() else {
        panic!("{session:?}")
    };

    world.advance_minutes(3);
    let admitted_at = world.fake.now();
    let (code, body) = world.admit(meeting, &participant_id, &host).await;
    assert!(code < 300, "admit: {code} {body}");
    world.advance_minutes(1);
    let state = session.poll().await.unwrap().clone();
    assert!(
        matches!(
            state,
            BotState::Joined {
                via: JoinVia::Admitted,
                ..
            }
        ),
        "{state:?}"
    );
    assert_eq!(session.transcript().unwrap().from, admitted_at);

    world.advance_minutes(30);
    let (code, body) = world.end(meeting).await;
    assert!(code < 300, "end: {code} {body}");
    let state = session.poll().await.unwrap().clone();
    let BotState::Attended {
        via: JoinVia::Admitted,
        transcript,
    } = state
    else {
        panic!("{state:?}")
    };
    assert_eq!(transcript.from, admitted_at);
    assert_eq!(transcript.until, Some(world.fake.now()));
    assert_eq!(world.alerts.alerts().len(), 1);
}

/// BOT-4: nobody admits the bot before the meeting ends: missed, no transcript.
#[tokio::test]
async fn bot_4_meeting_ends_while_waiting_is_a_miss() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;
    let mut session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    world.advance_minutes(10);
    world.end(meeting).await;
    let state = session.poll().await.unwrap().clone();
    assert_eq!(
        state,
        BotState::Missed {
            reason: MissReason::MeetingEnded
        }
    );
    assert_eq!(session.transcript(), None);
}

/// BOT-4: the waiting timeout (default 20 minutes on the fake's clock) passes: the bot leaves.
#[tokio::test]
async fn bot_4_waiting_timeout_on_the_fake_clock() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;
    let mut session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    let BotState::Waiting { participant_id, .. } = session.state().clone() else {
        panic!("{session:?}")
    };

    world.advance_minutes(19);
    assert!(
        session.poll().await.unwrap().is_waiting(),
        "still waiting after 19 minutes"
    );
    world.advance_minutes(1);
    let state = session.poll().await.unwrap().clone();
    assert_eq!(
        state,
        BotState::Missed {
            reason: MissReason::WaitingTimeout {
                waited: Duration::from_secs(1200)
            }
        }
    );
    assert_eq!(
        status(&world.participant(meeting, &participant_id).await),
        "left",
        "the bot left the waiting room"
    );
}

/// BOT-4: the timeout is configurable.
#[tokio::test]
async fn bot_4_configurable_timeout() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;
    let bot = world.bot().waiting_timeout(Duration::from_secs(5 * 60));
    let mut session = bot
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    world.advance_minutes(5);
    let state = session.poll().await.unwrap().clone();
    assert!(
        matches!(
            state,
            BotState::Missed {
                reason: MissReason::WaitingTimeout { .. }
            }
        ),
        "{state:?}"
    );
}

/// BOT-4: a host denies the bot entry.
#[tokio::test]
async fn bot_4_denied_is_a_miss() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    let host = world.host_joins(meeting).await;
    let mut session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    let BotState::Waiting { participant_id, .. } = session.state().clone() else {
        panic!("{session:?}")
    };
    let (code, body) = world.deny(meeting, &participant_id, &host).await;
    assert!(code < 300, "deny: {code} {body}");
    assert_eq!(
        session.poll().await.unwrap(),
        &BotState::Missed {
            reason: MissReason::Denied
        }
    );
}

/// BOT-5: suppressing the alert changes nothing else.
#[tokio::test]
async fn bot_5_suppressed_alert_same_join() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;
    let session = world
        .bot()
        .suppress_zak_alerts(true)
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    assert!(world.alerts.alerts().is_empty());
    assert!(session.alert().is_none());
    assert!(matches!(
        session.zak_outcome(),
        ZakOutcome::Refused {
            kind: ErrorKind::ZakNotSupported,
            ..
        }
    ));
    assert!(
        matches!(session.state(), BotState::Waiting { .. }),
        "{session:?}"
    );
}

/// BOT-6: waiting room off and the host present: the standard join goes straight in.
#[tokio::test]
async fn bot_6_no_waiting_room_joins_directly() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, false, false).await;
    world.host_joins(meeting).await;
    let session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    assert!(
        matches!(
            session.state(),
            BotState::Joined {
                via: JoinVia::Direct,
                ..
            }
        ),
        "{session:?}"
    );
    assert_eq!(
        world.alerts.alerts().len(),
        1,
        "the ZAK alert is still sent"
    );
}

/// BOT-6: join before host off and no host yet: the bot waits for the host, then is in.
#[tokio::test]
async fn bot_6_waits_for_the_host_without_join_before_host() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, false, false).await;
    let mut session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    assert!(
        matches!(session.state(), BotState::WaitingForHost { .. }),
        "{session:?}"
    );
    world.advance_minutes(2);
    world.host_joins(meeting).await;
    let state = session.poll().await.unwrap().clone();
    assert!(
        matches!(
            state,
            BotState::Joined {
                via: JoinVia::Direct,
                ..
            }
        ),
        "{state:?}"
    );
}

/// BOT-6: join before host on: the bot is in before the host.
#[tokio::test]
async fn bot_6_join_before_host_lets_the_bot_in() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, false, true).await;
    let session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    assert!(
        matches!(
            session.state(),
            BotState::Joined {
                via: JoinVia::Direct,
                ..
            }
        ),
        "{session:?}"
    );
}

/// BOT-3 with a co-host: a co-host may admit too.
#[tokio::test]
async fn bot_3_cohost_admits() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;
    let (cohost, _) = world
        .join(meeting, "Cole Cohost", "co_host", Some(COHOST_ID))
        .await;
    let mut session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    let BotState::Waiting { participant_id, .. } = session.state().clone() else {
        panic!("{session:?}")
    };
    let (code, body) = world.admit(meeting, &participant_id, &cohost).await;
    assert!(code < 300, "co-host admit: {code} {body}");
    assert!(matches!(
        session.poll().await.unwrap(),
        BotState::Joined {
            via: JoinVia::Admitted,
            ..
        }
    ));
}

/// AUTH-3: switching from API Key/Secret to OAuth: the next meeting is joined without admission
/// and the alerts stop.
#[tokio::test]
async fn auth_3_switch_to_oauth_stops_waiting_and_alerts() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let bot = world.bot();
    let connector = world.connector();
    let before = world.create_meeting(&connector, true, false).await;
    world.host_joins(before).await;
    let session = bot
        .attend(&connector, before, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    assert!(session.state().is_waiting());
    assert_eq!(world.alerts.alerts().len(), 1);

    world
        .integration
        .switch_to_oauth(
            world.config(Mode::OAuth),
            Some(SecretString::from("webhook-secret-token")),
        )
        .unwrap();
    assert_eq!(
        world.integration.auth_mode(),
        Some(zoom_connector::AuthMode::ServerToServerOAuth)
    );
    let connector = world.connector();
    let after = world.create_meeting(&connector, true, false).await;
    world.host_joins(after).await;
    let session = bot
        .attend(&connector, after, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    assert!(
        matches!(
            session.state(),
            BotState::Joined {
                via: JoinVia::Zak,
                ..
            }
        ),
        "{session:?}"
    );
    assert_eq!(
        world.alerts.alerts().len(),
        1,
        "no new alert after the switch"
    );
    assert!(
        world
            .alerts
            .alerts()
            .iter()
            .all(|a| a.kind == AlertKind::ZakNotSupported && a.meeting_id == Some(before))
    );
}

/// AUTH-3: switching "to OAuth" with an API-key configuration is refused and changes nothing.
#[tokio::test]
async fn auth_3_switch_refuses_an_api_key_configuration() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let err = world
        .integration
        .switch_to_oauth(world.config(Mode::ApiKey), None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig, "{err}");
    assert_eq!(
        world.integration.auth_mode(),
        Some(zoom_connector::AuthMode::ApiKey)
    );
}

/// BOT-2 with the Slack sink: the alert reaches the incoming webhook as `{"text": ...}`.
#[tokio::test]
async fn bot_2_alert_reaches_slack() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let (slack, received) = crate::bot_alerts::start_slack().await;
    let sink = zoom_connector::alerts::SlackWebhookSink::new(SecretString::from(format!(
        "{slack}/services/T0/B0/good"
    )))
    .unwrap();
    let bot = zoom_connector::bot::ScribeBot::new(world.joiner.clone(), std::sync::Arc::new(sink));
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;
    let session = bot
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    assert!(matches!(
        session.alert(),
        Some(zoom_connector::bot::AlertDelivery::Sent(_))
    ));
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].2,
        serde_json::json!({"text": "ZAK token generation not supported"})
    );
}

/// An undeliverable alert does not stop the bot: it still joins, and the failure is recorded.
#[tokio::test]
async fn bot_2_undeliverable_alert_does_not_stop_the_join() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let (slack, _) = crate::bot_alerts::start_slack().await;
    let sink = zoom_connector::alerts::SlackWebhookSink::new(SecretString::from(format!(
        "{slack}/services/T0/B0/revoked"
    )))
    .unwrap();
    let bot = zoom_connector::bot::ScribeBot::new(world.joiner.clone(), std::sync::Arc::new(sink));
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;
    let session = bot
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    let Some(zoom_connector::bot::AlertDelivery::Failed { error, .. }) = session.alert() else {
        panic!("{session:?}")
    };
    assert!(error.contains("no_service"), "{error}");
    assert!(session.state().is_waiting(), "{session:?}");
}

/// OAuth without the ZAK scope: the ZAK request fails for another reason; the bot says why in a
/// different alert and falls back to the standard join.
#[tokio::test]
async fn oauth_without_the_zak_scope_falls_back_with_its_own_alert() {
    let world = BotWorld::configured(Mode::OAuth).await;
    world
        .fake
        .set_app_scopes(
            crate::bot_env::S2S_CLIENT_ID,
            vec!["meeting:write:admin".into(), "meeting:read:admin".into()],
        )
        .unwrap();
    let connector = world.connector();
    let meeting = world.create_meeting(&connector, true, false).await;
    world.host_joins(meeting).await;
    let session = world
        .bot()
        .attend(&connector, meeting, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    let ZakOutcome::Refused { kind, .. } = session.zak_outcome() else {
        panic!("{session:?}")
    };
    assert_eq!(*kind, ErrorKind::InsufficientScopes);
    let alerts = world.alerts.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kind, AlertKind::ZakFailed);
    assert!(
        alerts[0].text.starts_with("ZAK token request failed"),
        "{}",
        alerts[0].text
    );
    assert!(session.state().is_waiting(), "{session:?}");
}

/// A join the platform refuses (no such meeting) is a miss with the platform's reason.
#[tokio::test]
async fn refused_join_is_a_miss_with_the_reason() {
    let world = BotWorld::configured(Mode::ApiKey).await;
    let connector = world.connector();
    let session = world
        .bot()
        .attend(&connector, 99_999_999_999, crate::bot_env::HOST_ID)
        .await
        .unwrap();
    let BotState::Missed {
        reason: MissReason::JoinRefused { message },
    } = session.state()
    else {
        panic!("{session:?}")
    };
    assert!(message.contains("3001"), "{message}");
    assert_eq!(session.transcript(), None);
}
