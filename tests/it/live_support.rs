//! Shared setup for the `live_*` tests: an embedded fake on a paused clock with one Business
//! account (host, member, alternative host), a Server-to-Server OAuth app with every granular
//! admin scope, and an API Key/Secret app; plain reqwest against Zoom's routes and `/_fake/`.

use fake_zoom::FakeZoom;
use fake_zoom::config::{AccountConfig, AppConfig, FakeConfig, UserConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;

/// The paused clock's start.
pub const T0: OffsetDateTime = datetime!(2026-12-04 15:00 UTC);
pub const ACCOUNT: &str = "acct-live";
pub const HOST: &str = "u-host";
pub const MEMBER: &str = "u-member";
pub const ALT: &str = "u-alt";
pub const CLIENT_ID: &str = "live-s2s-id";
pub const CLIENT_SECRET: &str = "live-s2s-secret";

/// The account used by most tests.
pub fn account() -> AccountConfig {
    AccountConfig::new(ACCOUNT)
        .user(UserConfig::new(HOST, "host@example.com").name("Hana", "Host"))
        .user(UserConfig::new(MEMBER, "member@example.com").name("Max", "Member"))
        .user(UserConfig::new(ALT, "alt@example.com").name("Alma", "Alt"))
        .app(AppConfig::server_to_server(
            "live",
            CLIENT_ID,
            CLIENT_SECRET,
            fake_zoom::auth::scopes::ALL_GRANULAR_ADMIN
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ))
        .app(AppConfig::api_key(
            "legacy",
            "live-api-key",
            "live-api-secret",
        ))
}

/// A running fake plus a client and an S2S token.
pub struct Live {
    pub fake: FakeZoom,
    pub http: reqwest::Client,
    /// The S2S token (renewed after clock advances longer than its hour).
    pub token: std::sync::Mutex<String>,
}

impl Live {
    /// The default account on a paused clock.
    pub async fn start() -> Self {
        Self::with_account(account()).await
    }

    /// One given account on a paused clock.
    pub async fn with_account(account: AccountConfig) -> Self {
        let mut config = FakeConfig::new();
        config.accounts.push(account);
        Self::with_config(config).await
    }

    /// A given configuration (its accounts must include [`ACCOUNT`] with the S2S app) on a
    /// paused clock.
    pub async fn with_config(mut config: FakeConfig) -> Self {
        config.clock = fake_zoom::config::ClockConfig::Paused { start: T0 };
        let fake = FakeZoom::builder()
            .config(config)
            .start()
            .await
            .expect("fake starts");
        let http = reqwest::Client::new();
        let token = s2s_token(&http, &fake, CLIENT_ID, CLIENT_SECRET)
            .await
            .expect("S2S token");
        Self {
            fake,
            http,
            token: std::sync::Mutex::new(token),
        }
    }

    /// A Zoom API call with the S2S token; returns status and JSON body (Null when empty).
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = format!("{}{}", self.fake.api_base_url(), path);
        let token = self.token.lock().unwrap().clone();
        let mut req = self.http.request(method, url).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        read(req.send().await.expect("request")).await
    }

    /// A control call under `/_fake`.
    pub async fn control(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = format!("{}/_fake{}", self.fake.base_url(), path);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        read(req.send().await.expect("request")).await
    }

    /// Creates a meeting hosted by HOST with these settings; returns its id.
    pub async fn meeting(&self, settings: Value) -> u64 {
        let (status, body) = self
            .api(
                Method::POST,
                &format!("/users/{HOST}/meetings"),
                Some(json!({"topic": "Incident bridge", "type": 2,
                    "start_time": "2026-12-04T15:00:00Z", "duration": 60, "settings": settings})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_u64().expect("meeting id")
    }

    /// Joins through the control API; returns status and body.
    pub async fn join(&self, meeting: u64, body: Value) -> (StatusCode, Value) {
        self.control(
            Method::POST,
            &format!("/meetings/{meeting}/participants"),
            Some(body),
        )
        .await
    }

    /// Joins and expects 201; returns (participant id, status).
    pub async fn joined(&self, meeting: u64, body: Value) -> (String, String) {
        let (status, out) = self.join(meeting, body).await;
        assert_eq!(status, StatusCode::CREATED, "{out}");
        (
            out["participant_id"].as_str().unwrap().to_string(),
            out["status"].as_str().unwrap().to_string(),
        )
    }

    /// The host joins; returns their participant id.
    pub async fn host_joins(&self, meeting: u64) -> String {
        let (id, status) = self
            .joined(
                meeting,
                json!({"name": "Hana", "role": "host", "user_id": HOST}),
            )
            .await;
        assert_eq!(status, "in_meeting");
        id
    }

    /// A participant action (`admit`, `deny`, `waiting_room`, `remove`, `leave`).
    pub async fn act(
        &self,
        meeting: u64,
        pid: &str,
        action: &str,
        by: Option<&str>,
    ) -> (StatusCode, Value) {
        self.control(
            Method::POST,
            &format!("/meetings/{meeting}/participants/{pid}/{action}"),
            by.map(|b| json!({"by": b})),
        )
        .await
    }

    /// A participant's status string.
    pub async fn status_of(&self, meeting: u64, pid: &str) -> String {
        let (status, body) = self
            .control(
                Method::GET,
                &format!("/meetings/{meeting}/participants/{pid}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["status"].as_str().unwrap().to_string()
    }

    /// Gets a fresh S2S token (after the handle moved the clock past the old one's hour).
    pub async fn renew_token(&self) {
        let token = s2s_token(&self.http, &self.fake, CLIENT_ID, CLIENT_SECRET)
            .await
            .expect("S2S token");
        *self.token.lock().unwrap() = token;
    }

    /// Moves the fake's clock (and gets a new S2S token after long moves, as a client would).
    pub async fn advance(&self, seconds: u64) {
        let (status, body) = self
            .control(
                Method::POST,
                "/clock/advance",
                Some(json!({"seconds": seconds})),
            )
            .await;
        assert!(status.is_success(), "{body}");
        if seconds >= 30 * 60 {
            self.renew_token().await;
        }
    }

    /// A ZAK for a user through `GET /users/{id}/token?type=zak`.
    pub async fn zak(&self, user: &str) -> String {
        let (status, body) = self
            .api(Method::GET, &format!("/users/{user}/token?type=zak"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    /// Ends the meeting with `PUT /meetings/{id}/status`.
    pub async fn end_via_api(&self, meeting: u64) {
        let (status, body) = self
            .api(
                Method::PUT,
                &format!("/meetings/{meeting}/status"),
                Some(json!({"action": "end"})),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
}

/// A Server-to-Server token.
pub async fn s2s_token(
    http: &reqwest::Client,
    fake: &FakeZoom,
    client_id: &str,
    secret: &str,
) -> Result<String, (StatusCode, Value)> {
    let response = http
        .post(fake.oauth_token_url())
        .basic_auth(client_id, Some(secret))
        .query(&[
            ("grant_type", "account_credentials"),
            ("account_id", ACCOUNT),
        ])
        .send()
        .await
        .expect("token request");
    let (status, body) = read(response).await;
    if status != StatusCode::OK {
        return Err((status, body));
    }
    Ok(body["access_token"]
        .as_str()
        .expect("access_token")
        .to_string())
}

async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}
