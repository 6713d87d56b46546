//! Shared set-up for the fake's tests: a standard account, token helpers, a small HTTP client.

use fake_zoom::{AccountConfig, AppConfig, FakeZoom, Role, UserConfig};
use serde_json::Value;
use time::macros::datetime;

pub const ACCOUNT: &str = "acct-1";
pub const S2S_ID: &str = "s2s-granular";
pub const S2S_SECRET: &str = "s2s-granular-secret";
pub const CLASSIC_ID: &str = "s2s-classic";
pub const CLASSIC_SECRET: &str = "s2s-classic-secret";
pub const NARROW_ID: &str = "s2s-narrow";
pub const NARROW_SECRET: &str = "s2s-narrow-secret";
pub const API_KEY: &str = "jwt-key";
pub const API_SECRET: &str = "jwt-secret";
pub const USER_APP_ID: &str = "user-app";
pub const USER_APP_SECRET: &str = "user-app-secret";
pub const REDIRECT: &str = "https://app.example.com/callback";

pub fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// One Business account: owner, admin, member, basic user; apps in every mode and both scope
/// models; a paused clock.
pub fn account() -> AccountConfig {
    AccountConfig::new(ACCOUNT)
        .user(
            UserConfig::new("u-owner", "owner@example.com")
                .name("Olive", "Owner")
                .role(Role::Owner),
        )
        .user(UserConfig::new("u-member", "member@example.com").name("Max", "Member"))
        .user({
            let mut u = UserConfig::new("u-basic", "basic@example.com").name("Bea", "Basic");
            u.user_type = 1;
            u.webinar_license = false;
            u
        })
        .app(AppConfig::server_to_server(
            "granular",
            S2S_ID,
            S2S_SECRET,
            fake_zoom::auth::scopes::ALL_GRANULAR_ADMIN
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ))
        .app(AppConfig::server_to_server(
            "classic",
            CLASSIC_ID,
            CLASSIC_SECRET,
            strings(&[
                "meeting:write:admin",
                "meeting:read:admin",
                "user:read:admin",
                "webinar:write:admin",
                "webinar:read:admin",
            ]),
        ))
        .app(AppConfig::server_to_server(
            "narrow",
            NARROW_ID,
            NARROW_SECRET,
            strings(&[
                "meeting:write:meeting",
                "meeting:read:meeting",
                "user:read:user",
            ]),
        ))
        .app(AppConfig::api_key("jwt", API_KEY, API_SECRET))
        .app(AppConfig::user_oauth(
            "user-app",
            USER_APP_ID,
            USER_APP_SECRET,
            REDIRECT,
            "member@example.com",
            strings(&[
                "meeting:write:meeting",
                "meeting:read:meeting",
                "user:read:zak",
                "user:read:token",
            ]),
        ))
}

pub async fn start() -> FakeZoom {
    FakeZoom::builder()
        .account(account())
        .paused_clock(datetime!(2026-12-04 09:00 UTC))
        .start()
        .await
        .expect("fake starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// `account_credentials` token for a S2S app.
pub async fn s2s_token(fake: &FakeZoom, id: &str, secret: &str) -> String {
    let response = client()
        .post(fake.oauth_token_url())
        .basic_auth(id, Some(secret))
        .query(&[
            ("grant_type", "account_credentials"),
            ("account_id", ACCOUNT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

/// An API Key/Secret JWT valid for `seconds` from the fake's clock.
pub fn jwt(fake: &FakeZoom, key: &str, secret: &str, seconds: i64) -> String {
    let now = fake.now().unix_timestamp();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &serde_json::json!({"iss": key, "exp": now + seconds, "iat": now}),
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()).unwrap(),
    )
    .unwrap()
}

/// A request's status and JSON body (Null for an empty body).
pub async fn call(
    fake: &FakeZoom,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client()
        .request(method, format!("{}{path}", fake.api_base_url()))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// Create a meeting for `user`; returns its id.
pub async fn create_meeting(fake: &FakeZoom, token: &str, user: &str, body: Value) -> u64 {
    let (status, meeting) = call(
        fake,
        reqwest::Method::POST,
        &format!("/users/{user}/meetings"),
        token,
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{meeting}");
    meeting["id"].as_u64().unwrap()
}
