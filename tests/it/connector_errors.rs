//! The seed's troubleshooting rows, reproduced by the fake with Zoom's own error bodies and
//! mapped by the connector to their fix (SCOPE-3); and the other error kinds.

use zoom_connector::{CreateMeeting, ErrorKind, Troubleshooting};

use crate::connector_support::{MEMBER, Mode, OWNER, S2S, connector, fake, scopes};

#[tokio::test]
async fn insufficient_privileges_means_add_meeting_write_admin() {
    let fake = fake().await;
    // The app may create meetings for its own user only: creating one for another host needs
    // the admin scope (Zoom answers 400 code 4711 naming it).
    fake.set_app_scopes(
        S2S.0,
        scopes(&["meeting:write:meeting", "user:read:user:admin"]),
    )
    .unwrap();
    let connector = connector(&fake, Mode::S2s);
    let err = connector
        .create_meeting(MEMBER, CreateMeeting::new("someone else's bridge"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InsufficientScopes, "{err}");
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.zoom_code(), Some(4711));
    assert_eq!(
        err.troubleshooting(),
        Some(Troubleshooting::InsufficientPrivileges)
    );
    assert!(err.fix().unwrap().contains("meeting:write:admin"), "{err}");
    let missing = &err.zoom_error().unwrap().missing_scopes;
    assert!(
        missing.iter().any(|s| s == "meeting:write:meeting:admin"),
        "{missing:?}"
    );
}

#[tokio::test]
async fn cannot_end_meeting_means_meeting_write_admin() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    let meeting = connector
        .create_meeting(OWNER, CreateMeeting::new("bridge to end"))
        .await
        .unwrap();
    fake.set_app_scopes(
        S2S.0,
        scopes(&["meeting:write:meeting:admin", "meeting:read:meeting:admin"]),
    )
    .unwrap();
    let err = connector.end_meeting(meeting.id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InsufficientScopes, "{err}");
    assert_eq!(
        err.troubleshooting(),
        Some(Troubleshooting::CannotEndMeeting)
    );
    assert!(err.fix().unwrap().contains("meeting:write:admin"), "{err}");
    assert!(err.to_string().contains("meeting:write:admin"), "{err}");
}

#[tokio::test]
async fn user_not_found_means_verify_user_read() {
    let fake = fake().await;
    for mode in [Mode::S2s, Mode::ApiKey] {
        let connector = connector(&fake, mode);
        let err = connector
            .create_meeting("nobody@example.com", CreateMeeting::new("orphan"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UserNotFound, "{mode:?}: {err}");
        assert_eq!(err.zoom_code(), Some(1001));
        assert_eq!(err.troubleshooting(), Some(Troubleshooting::UserNotFound));
        assert!(err.fix().unwrap().contains("user:read"));
    }
}

#[tokio::test]
async fn unknown_meeting_is_not_found_without_a_scope_fix() {
    let fake = fake().await;
    let err = connector(&fake, Mode::S2s)
        .end_meeting(999_999_999)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(err.zoom_code(), Some(3001));
    assert_eq!(err.troubleshooting(), None);
}
