//! Authentication against the embedded fake: token caching, single-flight refresh, expiry on
//! the fake's clock, refresh-once on 401 code 124, API Key JWTs, user OAuth rotation, removal.

use std::sync::Arc;
use std::time::Duration;

use fake_zoom::config::AppConfig;
use zoom_connector::{
    AuthConfig, ConnectorError, CreateMeeting, ErrorKind, ExposeSecret, MemoryTokenStore,
    SecretString, TokenStore, ZoomConnector,
};

use crate::connector_support::{
    API_KEY, FULL_GRANULAR, MEMBER_ID, Mode, OWNER, S2S, account, config, connector, fake,
    fake_with, journal_text, requests, s2s_auth, scopes, token_requests,
};

#[tokio::test]
async fn s2s_token_is_cached_across_actions() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    for n in 0..3 {
        connector
            .create_meeting(OWNER, CreateMeeting::new(format!("bridge {n}")))
            .await
            .unwrap();
    }
    assert_eq!(token_requests(&fake), 1, "{}", journal_text(&fake));
}

#[tokio::test]
async fn hundred_concurrent_actions_cause_one_token_request() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    let mut tasks = Vec::new();
    for n in 0..100 {
        let connector = connector.clone();
        tasks.push(tokio::spawn(async move {
            connector.get_user(OWNER).await.map(|_| n)
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(token_requests(&fake), 1, "{}", journal_text(&fake));
    // 100 requests in well under a second exceed the Business plan's 80/s for this endpoint:
    // the extra answers are per-second 429s, waited out and retried.
    let gets: Vec<u16> = fake
        .journal()
        .iter()
        .filter(|e| e.method == "GET" && e.path.starts_with("/v2/users/"))
        .map(|e| e.status)
        .collect();
    assert_eq!(gets.iter().filter(|s| **s == 200).count(), 100, "{gets:?}");
    assert!(gets.iter().all(|s| *s == 200 || *s == 429), "{gets:?}");
}

#[tokio::test]
async fn expired_token_on_the_fakes_clock_is_refreshed_once_and_retried_once() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    connector.get_user(OWNER).await.unwrap();
    // An hour and a bit passes for Zoom; the connector's own cache has not noticed (its clock
    // did not move), so Zoom answers 401 code 124 "Access token is expired."
    fake.advance(Duration::from_secs(3700));
    let user = connector.get_user(OWNER).await.unwrap();
    assert_eq!(user.email.as_deref(), Some(OWNER));
    assert_eq!(token_requests(&fake), 2, "{}", journal_text(&fake));
    let statuses: Vec<u16> = fake
        .journal()
        .iter()
        .filter(|e| e.path.starts_with("/v2/"))
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, vec![200, 401, 200], "{}", journal_text(&fake));
}

#[tokio::test]
async fn concurrent_401s_after_expiry_cause_one_refresh() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    connector.get_user(OWNER).await.unwrap();
    fake.advance(Duration::from_secs(3700));
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let connector = connector.clone();
        tasks.push(tokio::spawn(async move { connector.get_user(OWNER).await }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(token_requests(&fake), 2, "{}", journal_text(&fake));
}

#[tokio::test]
async fn revoked_token_is_replaced() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    connector.get_user(OWNER).await.unwrap();
    fake.revoke_tokens(S2S.0).unwrap();
    connector.get_user(OWNER).await.unwrap();
    assert_eq!(token_requests(&fake), 2, "{}", journal_text(&fake));
}

/// Revoking an API Key app's tokens refuses every JWT issued (`iat`) at or before the
/// revocation, and every JWT without `iat`. The connector's JWTs carry `iat`, so the ones it mints
/// afterwards are accepted: the very next action succeeds. (The fake compares whole seconds; a
/// JWT minted within the revocation's second is refused, and its replacement is minted once that
/// second has passed.)
#[tokio::test]
async fn api_key_works_again_right_after_its_tokens_are_revoked() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::ApiKey);
    connector.get_user(OWNER).await.unwrap();
    fake.revoke_tokens(API_KEY.0).unwrap();
    let user = connector.get_user(OWNER).await.unwrap();
    assert_eq!(user.email.as_deref(), Some(OWNER));
    connector
        .create_meeting(OWNER, CreateMeeting::new("after revocation"))
        .await
        .unwrap();
}

#[tokio::test]
async fn refused_credentials_are_an_auth_error_with_zooms_reason() {
    let fake = fake().await;
    let connector = ZoomConnector::new(config(&fake, s2s_auth((S2S.0, "wrong-secret")))).unwrap();
    let err = connector.get_user(OWNER).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
    assert_eq!(err.http_status(), Some(400));
    match &err {
        ConnectorError::Auth { error, .. } => assert_eq!(error, "invalid_client"),
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("wrong-secret"));
    assert_eq!(
        token_requests(&fake),
        1,
        "a refusal is final: {}",
        journal_text(&fake)
    );
}

#[tokio::test]
async fn api_key_mints_a_jwt_per_request_and_never_asks_for_tokens() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::ApiKey);
    connector.get_user(OWNER).await.unwrap();
    connector
        .create_meeting(OWNER, CreateMeeting::new("jwt bridge"))
        .await
        .unwrap();
    assert_eq!(token_requests(&fake), 0, "{}", journal_text(&fake));
}

#[tokio::test]
async fn api_key_with_a_wrong_secret_is_refused_after_one_retry() {
    let fake = fake().await;
    let auth = AuthConfig::ApiKey {
        api_key: crate::connector_support::API_KEY.0.into(),
        api_secret: SecretString::from("not-the-secret"),
    };
    let connector = ZoomConnector::new(config(&fake, auth)).unwrap();
    let err = connector.get_user(OWNER).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
    assert_eq!(err.http_status(), Some(401));
    assert_eq!(err.zoom_code(), Some(124));
    assert_eq!(
        requests(&fake, "GET", "/v2/users/*"),
        2,
        "one re-send after a fresh JWT: {}",
        journal_text(&fake)
    );
}

#[tokio::test]
async fn removed_credentials_make_every_action_not_configured() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    connector.get_user(OWNER).await.unwrap();
    assert!(connector.is_configured());
    connector.remove_credentials();
    assert!(!connector.is_configured());
    let err = connector
        .create_meeting(OWNER, CreateMeeting::new("after uninstall"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotConfigured);
    assert_eq!(err.to_string(), "Zoom connector not configured");
    let err = connector.test_connection().await.unwrap_err();
    assert_eq!(err.to_string(), "Zoom connector not configured");
}

#[tokio::test]
async fn user_oauth_refresh_token_rotates_and_is_persisted() {
    const CLIENT: &str = "user-app";
    const SECRET: &str = "user-app-secret";
    const REDIRECT: &str = "https://incidents.example.com/zoom/callback";
    let fake = fake_with(account().app(AppConfig::user_oauth(
        "user app",
        CLIENT,
        SECRET,
        REDIRECT,
        MEMBER_ID,
        scopes(FULL_GRANULAR),
    )))
    .await;

    // The user authorizes the app: Zoom redirects to the app with a code.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answer = http
        .get(format!("{}/oauth/authorize", fake.base_url()))
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_redirection(), "{}", answer.status());
    let location = answer.headers()["location"].to_str().unwrap().to_string();
    let code = reqwest::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.to_string())
        .expect("code in the redirect");

    let store = Arc::new(MemoryTokenStore::empty());
    let auth = AuthConfig::UserOAuth {
        client_id: CLIENT.into(),
        client_secret: SecretString::from(SECRET),
        store: store.clone(),
    };
    let connector = ZoomConnector::new(config(&fake, auth)).unwrap();
    let err = connector.get_user("me").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotConfigured, "no refresh token yet");
    connector
        .exchange_authorization_code(&code, REDIRECT)
        .await
        .unwrap();
    let first = store.load().unwrap().unwrap().expose_secret().to_string();

    let me = connector.get_user("me").await.unwrap();
    assert_eq!(me.id, MEMBER_ID);
    let second = store.load().unwrap().unwrap().expose_secret().to_string();
    assert_ne!(
        first, second,
        "the refresh token rotated and the new one was stored"
    );

    // After Zoom's hour the rotated token is used, and rotates again.
    fake.advance(Duration::from_secs(3700));
    connector.get_user("me").await.unwrap();
    let third = store.load().unwrap().unwrap().expose_secret().to_string();
    assert_ne!(second, third);
}

/// Zoom judges a JWT's `exp` on its own clock. When that clock runs ahead of ours by more than
/// the JWT's lifetime, Zoom answers 401 code 124; the connector reads Zoom's time from the
/// answer's `Date`, mints the re-sent JWT on it, and succeeds. (A stand-in server: its clock is
/// two hours ahead.)
#[tokio::test]
async fn api_key_jwt_is_reminted_on_zooms_clock_after_a_skewed_401() {
    use axum::Router;
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::IntoResponse;
    use axum::routing::get;
    use time::format_description::well_known::Rfc2822;

    const AHEAD: time::Duration = time::Duration::hours(2);

    async fn me(headers: HeaderMap) -> axum::response::Response {
        let server_now = time::OffsetDateTime::now_utc() + AHEAD;
        let exp = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .and_then(|jwt| jwt.split('.').nth(1))
            .and_then(base64url)
            .and_then(|payload| serde_json::from_slice::<serde_json::Value>(&payload).ok())
            .and_then(|claims| claims["exp"].as_i64())
            .unwrap_or(0);
        let date = server_now.format(&Rfc2822).unwrap();
        if exp <= server_now.unix_timestamp() {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::DATE, date)],
                axum::Json(serde_json::json!({"code": 124, "message": "Access token is expired."})),
            )
                .into_response();
        }
        (
            [(header::DATE, date)],
            axum::Json(serde_json::json!({"id": "u-owner", "email": "owner@example.com"})),
        )
            .into_response()
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, Router::new().route("/v2/users/{id}", get(me)))
            .await
            .unwrap()
    });
    let connector = ZoomConnector::new(
        zoom_connector::ConnectorConfig::new(AuthConfig::ApiKey {
            api_key: "k".into(),
            api_secret: SecretString::from("s"),
        })
        .with_api_base_url(format!("http://{addr}/v2")),
    )
    .unwrap();
    let user = connector.get_user("me").await.unwrap();
    assert_eq!(user.id, "u-owner");
    // Later JWTs are minted on Zoom's clock from the start.
    connector.get_user("me").await.unwrap();
    server.abort();
}

/// Decode unpadded base64url (a JWT segment).
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

#[tokio::test]
async fn api_key_against_a_fake_clock_far_ahead_learns_the_clock_from_date() {
    let fake = fake().await;
    fake.advance(Duration::from_secs(600));
    // The fake's `Date` header follows its own clock, so the connector's first 60 s JWT is
    // expired there, refused once with code 124, and re-minted on the server's clock.
    let connector = connector(&fake, Mode::ApiKey);
    connector.get_user(OWNER).await.unwrap();
    // The skew is remembered: the next call needs no second refusal.
    connector.get_user(OWNER).await.unwrap();
    let refused = fake
        .journal()
        .iter()
        .filter(|entry| entry.path.starts_with("/v2/users/") && entry.status == 401)
        .count();
    assert_eq!(refused, 1, "{:#?}", fake.journal());
    // A lifetime longer than the clock's lead works from the first request.
    let connector = ZoomConnector::new(
        config(&fake, crate::connector_support::api_key_auth())
            .with_jwt_ttl(Duration::from_secs(3600)),
    )
    .unwrap();
    connector.get_user(OWNER).await.unwrap();
}
