//! Access Recordings against the embedded fake: a cloud-recorded meeting that ran and ended
//! leaves files the connector lists per meeting and per user; and "Recording access denied".

use std::time::Duration;

use fake_zoom::control_rooms::JoinRequest;
use fake_zoom::model::room::JoinRole;
use time::OffsetDateTime;
use zoom_connector::{
    AutoRecording, CreateMeeting, ErrorKind, MeetingSettings, RecordingRange, Troubleshooting,
};

use crate::connector_support::{MODES, Mode, OWNER, OWNER_ID, S2S, connector, fake, scopes};

fn recorded(topic: &str, auto_recording: AutoRecording) -> CreateMeeting {
    let mut input = CreateMeeting::new(topic);
    input.settings = MeetingSettings {
        waiting_room: Some(false),
        auto_recording: Some(auto_recording),
        ..Default::default()
    };
    input
}

fn last_week() -> RecordingRange {
    let today = OffsetDateTime::now_utc().date();
    RecordingRange {
        from: today - time::Duration::days(7),
        to: today + time::Duration::days(1),
    }
}

#[tokio::test]
async fn cloud_recordings_of_an_ended_meeting_in_both_modes() {
    for mode in MODES {
        // A fake per mode: each advances its clock, and API Key JWTs live 60 s on it.
        let fake = fake().await;
        let connector = connector(&fake, mode);
        let topic = format!("recorded bridge {mode:?}");
        let meeting = connector
            .create_meeting(OWNER, recorded(&topic, AutoRecording::Cloud))
            .await
            .unwrap();
        // Nothing ran yet: Zoom has no recording (404 code 3301).
        let err = connector
            .meeting_recordings(&meeting.id.to_string())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{mode:?}: {err}");
        assert_eq!(err.zoom_code(), Some(3301));

        fake.join(
            meeting.id,
            JoinRequest::new("Olive", JoinRole::Host).user(OWNER_ID),
        )
        .unwrap();
        fake.advance(Duration::from_secs(40));
        connector.end_meeting(meeting.id).await.unwrap();

        let recordings = connector
            .meeting_recordings(&meeting.id.to_string())
            .await
            .unwrap();
        assert_eq!(recordings.id, Some(meeting.id), "{mode:?}");
        let types: Vec<&str> = recordings
            .recording_files
            .iter()
            .filter_map(|f| f.file_type.as_deref())
            .collect();
        assert!(types.contains(&"MP4"), "{types:?}");
        assert!(types.contains(&"TRANSCRIPT"), "{types:?}");
        // The instance UUID names the same recordings.
        let by_uuid = connector
            .meeting_recordings(&recordings.uuid)
            .await
            .unwrap();
        assert_eq!(
            by_uuid.recording_files.len(),
            recordings.recording_files.len()
        );

        let listed = connector.user_recordings(OWNER, last_week()).await.unwrap();
        assert!(
            listed.iter().any(|m| m.id == Some(meeting.id)),
            "{mode:?}: {listed:?}"
        );
    }
}

#[tokio::test]
async fn local_recording_leaves_nothing_in_the_cloud() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    let meeting = connector
        .create_meeting(OWNER, recorded("local only", AutoRecording::Local))
        .await
        .unwrap();
    fake.join(
        meeting.id,
        JoinRequest::new("Olive", JoinRole::Host).user(OWNER_ID),
    )
    .unwrap();
    fake.advance(Duration::from_secs(120));
    connector.end_meeting(meeting.id).await.unwrap();
    let err = connector
        .meeting_recordings(&meeting.id.to_string())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    let listed = connector.user_recordings(OWNER, last_week()).await.unwrap();
    assert!(
        listed.iter().all(|m| m.id != Some(meeting.id)),
        "{listed:?}"
    );
}

#[tokio::test]
async fn recording_access_denied_means_recording_read_and_cloud_recording_read() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    let meeting = connector
        .create_meeting(OWNER, recorded("recorded bridge", AutoRecording::Cloud))
        .await
        .unwrap();
    fake.join(
        meeting.id,
        JoinRequest::new("Olive", JoinRole::Host).user(OWNER_ID),
    )
    .unwrap();
    fake.advance(Duration::from_secs(60));
    connector.end_meeting(meeting.id).await.unwrap();
    connector
        .meeting_recordings(&meeting.id.to_string())
        .await
        .expect("readable with the recording scopes");
    fake.set_app_scopes(S2S.0, scopes(&["meeting:write:meeting:admin"]))
        .unwrap();
    for err in [
        connector
            .meeting_recordings(&meeting.id.to_string())
            .await
            .unwrap_err(),
        connector
            .user_recordings(OWNER, last_week())
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::InsufficientScopes, "{err}");
        assert_eq!(
            err.troubleshooting(),
            Some(Troubleshooting::RecordingAccessDenied)
        );
        let fix = err.fix().unwrap();
        assert!(
            fix.contains("recording:read") && fix.contains("cloud_recording:read"),
            "{fix}"
        );
    }
}
