//! Shared set-up for the connector's tests: one embedded fake with an account, its users and
//! one app per auth mode and scope set, and connectors pointed at it.

use std::time::Duration;

use fake_zoom::FakeZoom;
use fake_zoom::config::{AccountConfig, AppConfig, FakeConfig, Role, UserConfig};
use zoom_connector::{AuthConfig, ConnectorConfig, RetryPolicy, SecretString, ZoomConnector};

pub const ACCOUNT: &str = "acct-connector";
pub const OWNER_ID: &str = "u-owner";
pub const OWNER: &str = "owner@example.com";
pub const MEMBER_ID: &str = "u-member";
pub const MEMBER: &str = "member@example.com";

/// Granular admin scopes covering every action.
pub const FULL_GRANULAR: &[&str] = &[
    "meeting:write:meeting:admin",
    "meeting:read:meeting:admin",
    "meeting:update:meeting:admin",
    "meeting:delete:meeting:admin",
    "meeting:update:status:admin",
    "meeting:write:registrant:admin",
    "meeting:update:registrant_status:admin",
    "meeting:read:list_registrants:admin",
    "meeting:read:list_meetings:admin",
    "user:read:user:admin",
    "user:update:user:admin",
    "user:read:token:admin",
    "cloud_recording:read:list_recording_files:admin",
    "cloud_recording:read:list_user_recordings:admin",
    "webinar:write:webinar:admin",
    "webinar:read:webinar:admin",
    "webinar:delete:webinar:admin",
    "webinar:update:status:admin",
];

/// Classic admin scopes covering every action.
pub const FULL_CLASSIC: &[&str] = &[
    "meeting:write:admin",
    "meeting:read:admin",
    "user:read:admin",
    "user:write:admin",
    "recording:read:admin",
    "webinar:write:admin",
    "webinar:read:admin",
];

/// The apps of the test account: (client id or API key, secret).
pub const S2S: (&str, &str) = ("s2s-client", "s2s-secret");
pub const CLASSIC: (&str, &str) = ("classic-client", "classic-secret");
pub const API_KEY: (&str, &str) = ("jwt-key", "jwt-secret");

/// The two auth modes every action is tested in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    S2s,
    ApiKey,
}

pub const MODES: [Mode; 2] = [Mode::S2s, Mode::ApiKey];

pub fn scopes(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The test account: an owner and a member, a granular S2S app, a classic S2S app and an API
/// Key/Secret app. `daily_writes` sets the per-host create/update cap.
pub fn account() -> AccountConfig {
    AccountConfig::new(ACCOUNT)
        .user(
            UserConfig::new(OWNER_ID, OWNER)
                .name("Olive", "Owner")
                .role(Role::Owner),
        )
        .user(UserConfig::new(MEMBER_ID, MEMBER).name("Max", "Member"))
        .app(AppConfig::server_to_server(
            "runbooks",
            S2S.0,
            S2S.1,
            scopes(FULL_GRANULAR),
        ))
        .app(AppConfig::server_to_server(
            "classic",
            CLASSIC.0,
            CLASSIC.1,
            scopes(FULL_CLASSIC),
        ))
        .app(AppConfig::api_key("legacy", API_KEY.0, API_KEY.1))
}

/// A fake serving [`account`] with rate limits as configured by default.
pub async fn fake() -> FakeZoom {
    fake_with(account()).await
}

/// A fake serving `account`.
pub async fn fake_with(account: AccountConfig) -> FakeZoom {
    let mut config = FakeConfig::new();
    config.accounts.push(account);
    FakeZoom::builder()
        .config(config)
        .start()
        .await
        .expect("fake starts")
}

/// Fast retries so that tests do not sleep long.
pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
    }
}

/// A connector configuration for `auth` pointed at `fake`.
pub fn config(fake: &FakeZoom, auth: AuthConfig) -> ConnectorConfig {
    ConnectorConfig::new(auth)
        .with_api_base_url(fake.api_base_url())
        .with_oauth_url(fake.oauth_token_url())
        .with_timeout(Duration::from_secs(10))
        .with_retry(quick_retry())
}

pub fn s2s_auth(client: (&str, &str)) -> AuthConfig {
    AuthConfig::ServerToServerOAuth {
        account_id: ACCOUNT.into(),
        client_id: client.0.into(),
        client_secret: SecretString::from(client.1),
    }
}

pub fn api_key_auth() -> AuthConfig {
    AuthConfig::ApiKey {
        api_key: API_KEY.0.into(),
        api_secret: SecretString::from(API_KEY.1),
    }
}

/// A connector in `mode` pointed at `fake`.
pub fn connector(fake: &FakeZoom, mode: Mode) -> ZoomConnector {
    let auth = match mode {
        Mode::S2s => s2s_auth(S2S),
        Mode::ApiKey => api_key_auth(),
    };
    ZoomConnector::new(config(fake, auth)).expect("connector builds")
}

/// A connector for the S2S app `client` pointed at `fake`.
pub fn s2s_connector(fake: &FakeZoom, client: (&str, &str)) -> ZoomConnector {
    ZoomConnector::new(config(fake, s2s_auth(client))).expect("connector builds")
}

/// How many requests of `method` to a path matching `path` (a `*` matches one segment) the
/// fake journalled.
pub fn requests(fake: &FakeZoom, method: &str, path: &str) -> usize {
    fake.journal()
        .iter()
        .filter(|e| e.method.eq_ignore_ascii_case(method) && path_matches(path, &e.path))
        .count()
}

/// Token requests the fake answered.
pub fn token_requests(fake: &FakeZoom) -> usize {
    requests(fake, "POST", "/oauth/token")
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    pattern.len() == path.len() && pattern.iter().zip(&path).all(|(p, s)| *p == "*" || p == s)
}

/// Every journalled request, one per line, for failure messages.
pub fn journal_text(fake: &FakeZoom) -> String {
    fake.journal()
        .iter()
        .map(|e| format!("{} {} {:?} -> {}", e.method, e.path, e.query, e.status))
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many meetings with `topic` the fake holds.
pub fn meetings_with_topic(fake: &FakeZoom, topic: &str) -> usize {
    let snapshot = fake.snapshot();
    snapshot["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|a| a["meetings"].as_array().into_iter().flatten())
        .filter(|m| m["topic"] == topic)
        .count()
}
