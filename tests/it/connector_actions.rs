//! Every runbook action of the connector, in both auth modes, against the embedded fake.

use time::OffsetDateTime;
use time::macros::date;
use zoom_connector::actions::schedule_recurring_meeting::RecurrencePattern;
use zoom_connector::api::{RegistrantAction, RegistrantRef};
use zoom_connector::{
    AutoRecording, CreateMeeting, CreateWebinar, ErrorKind, ExposeSecret, MeetingSettings,
    NewRegistrant, RecordingRange, RecurrenceEnd, RecurrenceRule, RecurringMeeting, StartTime,
    UpdateMeeting, Weekday,
};

use crate::connector_support::{
    MEMBER, MODES, Mode, OWNER, OWNER_ID, connector, fake, journal_text,
};

fn bridge(topic: &str) -> CreateMeeting {
    let mut input = CreateMeeting::new(topic);
    input.agenda = Some("Severity: SEV1 — summary <here>".into());
    input.duration = Some(45);
    input.settings = MeetingSettings {
        join_before_host: Some(false),
        waiting_room: Some(true),
        auto_recording: Some(AutoRecording::Cloud),
        ..Default::default()
    };
    input
}

#[tokio::test]
async fn create_get_update_end_delete_in_both_modes() {
    let fake = fake().await;
    for mode in MODES {
        let connector = connector(&fake, mode);
        let mut input = bridge("INC-42 A & B - Incident Bridge");
        input.passcode = Some("s3cr@t".into());
        let meeting = connector.create_meeting(OWNER, input).await.unwrap();
        assert!(meeting.id > 0, "{mode:?}");
        assert_eq!(
            meeting.topic, "INC-42 A & B - Incident Bridge",
            "plain text, {mode:?}"
        );
        assert_eq!(meeting.meeting_type, 2);
        assert!(!meeting.join_url.is_empty());
        assert_eq!(meeting.password.as_deref(), Some("s3cr@t"));
        let settings = meeting.settings.clone().unwrap();
        assert_eq!(settings.waiting_room, Some(true));
        assert_eq!(settings.auto_recording, Some(AutoRecording::Cloud));

        let read = connector.get_meeting(meeting.id).await.unwrap();
        assert_eq!(read.uuid, meeting.uuid);
        assert_eq!(
            read.agenda.as_deref(),
            Some("Severity: SEV1 — summary <here>")
        );

        let update = UpdateMeeting {
            topic: Some("INC-42 (resolved)".into()),
            settings: MeetingSettings {
                waiting_room: Some(false),
                join_before_host: Some(true),
                auto_recording: Some(AutoRecording::Local),
                ..Default::default()
            },
            ..Default::default()
        };
        connector
            .update_meeting_settings(meeting.id, update)
            .await
            .unwrap();
        let read = connector.get_meeting(meeting.id).await.unwrap();
        assert_eq!(read.topic, "INC-42 (resolved)");
        let settings = read.settings.unwrap();
        assert_eq!(settings.waiting_room, Some(false), "{mode:?}");
        assert_eq!(settings.join_before_host, Some(true), "{mode:?}");
        assert_eq!(settings.auto_recording, Some(AutoRecording::Local));

        connector.end_meeting(meeting.id).await.unwrap();
        connector.delete_meeting(meeting.id, None).await.unwrap();
        let gone = connector.get_meeting(meeting.id).await.unwrap_err();
        assert_eq!(gone.kind(), ErrorKind::NotFound, "{gone}");
        assert_eq!(gone.zoom_code(), Some(3001));
    }
}

#[tokio::test]
async fn meetings_for_another_host_by_email_and_by_id() {
    let fake = fake().await;
    for mode in MODES {
        let connector = connector(&fake, mode);
        let by_email = connector
            .create_meeting(MEMBER, bridge("member bridge"))
            .await
            .unwrap();
        let by_id = connector
            .create_meeting(OWNER_ID, bridge("owner bridge"))
            .await
            .unwrap();
        assert_ne!(by_email.id, by_id.id);
    }
}

#[tokio::test]
async fn manage_participants_in_both_modes() {
    let fake = fake().await;
    for mode in MODES {
        let connector = connector(&fake, mode);
        let mut input = bridge("registration bridge");
        input.settings.approval_type = Some(1); // manual approval: registrants start pending
        let meeting = connector.create_meeting(OWNER, input).await.unwrap();

        connector
            .set_meeting_invitees(meeting.id, &["oncall@example.com", "lead@example.com"])
            .await
            .unwrap();
        connector
            .set_alternative_hosts(meeting.id, &[MEMBER])
            .await
            .unwrap();
        let read = connector.get_meeting(meeting.id).await.unwrap();
        let settings = read.settings.unwrap();
        assert_eq!(
            settings.alternative_hosts.as_deref(),
            Some(MEMBER),
            "{mode:?}"
        );
        let invitees: Vec<String> = settings
            .meeting_invitees
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.email)
            .collect();
        assert_eq!(
            invitees,
            vec!["oncall@example.com", "lead@example.com"],
            "{mode:?}"
        );

        let alice = connector
            .add_registrant(
                meeting.id,
                &NewRegistrant {
                    email: "alice@example.com".into(),
                    first_name: "Alice".into(),
                    last_name: Some("Responder".into()),
                },
            )
            .await
            .unwrap();
        assert!(!alice.registrant_id.is_empty());
        let pending = connector
            .list_registrants(meeting.id, "pending")
            .await
            .unwrap();
        assert_eq!(pending.len(), 1, "{mode:?}");
        assert_eq!(pending[0].email, "alice@example.com");

        let alice_ref = [RegistrantRef {
            id: Some(alice.registrant_id.clone()),
            email: None,
        }];
        connector
            .update_registrants(meeting.id, RegistrantAction::Approve, &alice_ref)
            .await
            .unwrap();
        let approved = connector
            .list_registrants(meeting.id, "approved")
            .await
            .unwrap();
        assert_eq!(approved.len(), 1, "{mode:?}");
        assert!(
            connector
                .list_registrants(meeting.id, "pending")
                .await
                .unwrap()
                .is_empty()
        );

        connector
            .update_registrants(meeting.id, RegistrantAction::Cancel, &alice_ref)
            .await
            .unwrap();
        assert!(
            connector
                .list_registrants(meeting.id, "approved")
                .await
                .unwrap()
                .is_empty(),
            "{mode:?}: a cancelled registration is no longer approved"
        );
    }
}

#[tokio::test]
async fn schedule_recurring_meeting_in_both_modes() {
    let fake = fake().await;
    for mode in MODES {
        let connector = connector(&fake, mode);
        let mut meeting = CreateMeeting::new("INC-42 follow-up");
        meeting.start_time = Some(StartTime::At(
            OffsetDateTime::now_utc().replace_nanosecond(0).unwrap() + time::Duration::days(1),
        ));
        meeting.duration = Some(30);
        meeting.timezone = Some("UTC".into());
        let created = connector
            .schedule_recurring_meeting(
                OWNER,
                RecurringMeeting {
                    meeting,
                    recurrence: RecurrenceRule {
                        pattern: RecurrencePattern::Weekly {
                            days: vec![Weekday::Monday, Weekday::Thursday],
                        },
                        repeat_interval: 1,
                        end: RecurrenceEnd::After(4),
                    },
                },
            )
            .await
            .unwrap();
        assert_eq!(created.meeting_type, 8, "{mode:?}");
        let recurrence = created.recurrence.clone().unwrap();
        assert_eq!(recurrence.recurrence_type, 2);
        assert_eq!(recurrence.weekly_days.as_deref(), Some("2,5"));
        assert_eq!(recurrence.end_times, Some(4));
        assert_eq!(created.occurrences.len(), 4, "{mode:?}");

        // One occurrence can be deleted on its own.
        let first = created.occurrences[0].occurrence_id.clone();
        connector
            .delete_meeting(created.id, Some(&first))
            .await
            .unwrap();
        let read = connector.get_meeting(created.id).await.unwrap();
        assert!(
            read.occurrences
                .iter()
                .all(|o| o.occurrence_id != first || o.status.as_deref() == Some("deleted")),
            "{:?}",
            read.occurrences
        );
    }
}

#[tokio::test]
async fn recurring_meeting_without_start_time_is_refused_before_sending() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    let err = connector
        .schedule_recurring_meeting(
            OWNER,
            RecurringMeeting {
                meeting: CreateMeeting::new("no start"),
                recurrence: RecurrenceRule {
                    pattern: RecurrencePattern::Daily,
                    repeat_interval: 1,
                    end: RecurrenceEnd::After(3),
                },
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.to_string().contains("start_time"), "{err}");
    assert!(
        !journal_text(&fake).contains("/meetings"),
        "nothing was sent:\n{}",
        journal_text(&fake)
    );
}

#[tokio::test]
async fn get_zak_works_with_oauth_and_is_refused_with_api_key() {
    let fake = fake().await;
    let zak = connector(&fake, Mode::S2s).get_zak(OWNER).await.unwrap();
    assert!(!zak.expose_secret().is_empty());

    let err = connector(&fake, Mode::ApiKey)
        .get_zak(OWNER)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ZakNotSupported, "{err}");
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.zoom_code(), Some(124));
    assert!(err.fix().unwrap().contains("Server-to-Server OAuth"));
}

#[tokio::test]
async fn recording_range_over_a_month_is_refused() {
    let fake = fake().await;
    let err = connector(&fake, Mode::S2s)
        .user_recordings(
            OWNER,
            RecordingRange {
                from: date!(2026 - 01 - 01),
                to: date!(2026 - 03 - 01),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn create_webinar_in_both_modes() {
    let fake = fake().await;
    for mode in MODES {
        let connector = connector(&fake, mode);
        let mut input = CreateWebinar::new("INC-42 customer briefing");
        input.duration = Some(60);
        let webinar = connector.create_webinar(OWNER, input).await.unwrap();
        assert!(webinar.id > 0);
        assert_eq!(webinar.webinar_type, 5, "{mode:?}");
        let read = connector.get_webinar(webinar.id).await.unwrap();
        assert_eq!(read.topic, "INC-42 customer briefing");
        connector.end_webinar(webinar.id).await.unwrap();
        connector.delete_webinar(webinar.id).await.unwrap();
        let err = connector.get_webinar(webinar.id).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{mode:?}: {err}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    let mut conflicting = CreateMeeting::new("t");
    conflicting.settings.waiting_room = Some(true);
    conflicting.settings.join_before_host = Some(true);
    let cases = [
        CreateMeeting::new(""),
        CreateMeeting::new("x".repeat(201)),
        CreateMeeting {
            duration: Some(0),
            ..CreateMeeting::new("t")
        },
        CreateMeeting {
            passcode: Some("far too long passcode".into()),
            ..CreateMeeting::new("t")
        },
        conflicting,
    ];
    for input in cases {
        let err = connector
            .create_meeting(OWNER, input.clone())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{input:?}: {err}");
    }
    assert_eq!(
        crate::connector_support::requests(&fake, "POST", "/v2/users/*/meetings"),
        0,
        "{}",
        journal_text(&fake)
    );
}
