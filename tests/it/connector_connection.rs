//! The connection test: authenticate, read granted scopes, report per action and what the
//! auth mode means for the scribe bot.

use zoom_connector::scopes::{BotJoin, ScopeModel};
use zoom_connector::{Action, AuthMode, ErrorKind, ZoomConnector};

use crate::connector_support::{
    CLASSIC, FULL_GRANULAR, Mode, S2S, config, connector, fake, s2s_auth, s2s_connector, scopes,
    token_requests,
};

#[tokio::test]
async fn s2s_with_every_scope_is_ready_and_the_bot_joins_automatically() {
    let fake = fake().await;
    let report = connector(&fake, Mode::S2s).test_connection().await.unwrap();
    assert_eq!(report.auth_mode, AuthMode::ServerToServerOAuth);
    assert_eq!(report.scope_model, ScopeModel::Granular);
    let granted = report.granted_scopes.clone().unwrap();
    for scope in FULL_GRANULAR {
        assert!(granted.iter().any(|g| g == scope), "{scope} in {granted:?}");
    }
    for action in &report.actions {
        assert!(action.ready, "{}: {:?}", action.name, action.missing);
    }
    assert_eq!(report.scribe_bot.join, BotJoin::Automatic);
    assert_eq!(token_requests(&fake), 1);
}

#[tokio::test]
async fn classic_scopes_are_understood_too() {
    let fake = fake().await;
    let report = s2s_connector(&fake, CLASSIC)
        .test_connection()
        .await
        .unwrap();
    assert_eq!(report.scope_model, ScopeModel::Classic);
    for action in &report.actions {
        assert!(action.ready, "{}: {:?}", action.name, action.missing);
    }
}

#[tokio::test]
async fn missing_scopes_are_named_per_action_in_the_seeds_terms_and_zooms() {
    let fake = fake().await;
    fake.set_app_scopes(
        S2S.0,
        scopes(&[
            "meeting:write:meeting",
            "user:read:user",
            "meeting:update:meeting",
        ]),
    )
    .unwrap();
    let report = connector(&fake, Mode::S2s).test_connection().await.unwrap();
    assert!(report.action(Action::CreateMeeting).unwrap().ready);
    let end = report.action(Action::EndMeeting).unwrap();
    assert!(!end.ready);
    assert_eq!(end.missing[0].seed, "meeting:write:admin");
    assert_eq!(
        end.missing[0].add_one_of,
        vec!["meeting:update:status:admin"]
    );
    let update = report.action(Action::UpdateMeetingSettings).unwrap();
    assert_eq!(update.missing.len(), 1);
    assert_eq!(update.missing[0].seed, "meeting:update:admin");
    let recordings = report.action(Action::AccessRecordings).unwrap();
    let seeds: Vec<&str> = recordings.missing.iter().map(|m| m.seed).collect();
    assert_eq!(seeds, vec!["recording:read", "cloud_recording:read"]);
    assert_eq!(report.scribe_bot.join, BotJoin::ManualAdmission);
    let text = report.to_string();
    assert!(
        text.contains("End Meeting") && text.contains("NOT READY"),
        "{text}"
    );
}

#[tokio::test]
async fn api_key_mode_reports_no_zak_and_manual_admission() {
    let fake = fake().await;
    let report = connector(&fake, Mode::ApiKey)
        .test_connection()
        .await
        .unwrap();
    assert_eq!(report.auth_mode, AuthMode::ApiKey);
    assert_eq!(report.granted_scopes, None);
    let zak = report.action(Action::GetZak).unwrap();
    assert!(!zak.ready);
    assert!(zak.note.as_deref().unwrap().contains("ZAK"));
    for action in report.actions.iter().filter(|a| a.action != Action::GetZak) {
        assert!(action.ready, "{}", action.name);
    }
    assert_eq!(report.scribe_bot.join, BotJoin::ManualAdmission);
    assert!(report.scribe_bot.note.contains("manual admission"));
    assert_eq!(token_requests(&fake), 0);
}

#[tokio::test]
async fn refused_credentials_fail_the_test() {
    let fake = fake().await;
    let connector = ZoomConnector::new(config(&fake, s2s_auth((S2S.0, "nope")))).unwrap();
    let err = connector.test_connection().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
}
