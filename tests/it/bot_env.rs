//! The world the scribe-bot, runbook and webhook tests run in: an embedded fake Zoom on a paused
//! clock with one account, its host user, a Server-to-Server OAuth app and an API Key/Secret app;
//! connector configurations for both; the bot joining through [`FakeRoomJoiner`]; and a small
//! client for the fake's control API (participants join, are admitted, meetings end).

use std::sync::Arc;
use std::time::Duration;

use fake_zoom::FakeZoom;
use fake_zoom::config::{AccountConfig, AppConfig, ClockConfig, FakeConfig, Role, UserConfig};
use secrecy::SecretString;
use serde_json::{Value, json};
use time::macros::datetime;
use zoom_connector::alerts::MemoryAlertSink;
use zoom_connector::bot::ScribeBot;
use zoom_connector::webhook::{MemorySecretStore, ZoomIntegration};
use zoom_connector::{AuthConfig, ConnectorConfig, CreateMeeting, MeetingSettings, ZoomConnector};
use zoom_harness::fake_room_joiner::FakeRoomJoiner;

pub const ACCOUNT_ID: &str = "acct-bot";
pub const HOST_ID: &str = "host-user";
pub const HOST_EMAIL: &str = "host@example.com";
pub const COHOST_ID: &str = "cohost-user";
pub const S2S_CLIENT_ID: &str = "s2s-client";
pub const S2S_SECRET: &str = "s2s-secret-value";
pub const API_KEY: &str = "legacy-api-key";
pub const API_SECRET: &str = "legacy-api-secret";

/// Classic scopes covering meetings and the host's ZAK (`GET /users/{id}/token?type=zak`).
pub fn s2s_scopes() -> Vec<String> {
    [
        "meeting:write:admin",
        "meeting:read:admin",
        "user:read:admin",
        "user:write:admin",
        "recording:read:admin",
    ]
    .map(String::from)
    .to_vec()
}

pub struct BotWorld {
    pub fake: Arc<FakeZoom>,
    pub joiner: Arc<FakeRoomJoiner>,
    pub alerts: MemoryAlertSink,
    pub secrets: MemorySecretStore,
    pub integration: Arc<ZoomIntegration>,
    http: reqwest::Client,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    OAuth,
    ApiKey,
}

impl BotWorld {
    pub async fn start() -> Self {
        let account = AccountConfig::new(ACCOUNT_ID)
            .user(
                UserConfig::new(HOST_ID, HOST_EMAIL)
                    .name("Hazel", "Host")
                    .role(Role::Owner),
            )
            .user(
                UserConfig::new(COHOST_ID, "cohost@example.com")
                    .name("Cole", "Cohost")
                    .role(Role::Member),
            )
            .app(AppConfig::server_to_server(
                "scribe-s2s",
                S2S_CLIENT_ID,
                S2S_SECRET,
                s2s_scopes(),
            ))
            .app(AppConfig::api_key("scribe-jwt", API_KEY, API_SECRET));
        let mut config = FakeConfig::new();
        config.accounts.push(account);
        config.clock = ClockConfig::Paused {
            start: datetime!(2026-12-04 15:00 UTC),
        };
        let fake = FakeZoom::builder()
            .config(config)
            .start()
            .await
            .expect("fake starts");
        let secrets = MemorySecretStore::new();
        BotWorld {
            joiner: Arc::new(FakeRoomJoiner::new(fake.base_url())),
            fake: Arc::new(fake),
            alerts: MemoryAlertSink::new(),
            integration: Arc::new(ZoomIntegration::new(Arc::new(secrets.clone()))),
            secrets,
            http: reqwest::Client::new(),
        }
    }

    /// A world whose integration is configured in `mode`, with a webhook secret token.
    pub async fn configured(mode: Mode) -> Self {
        let world = Self::start().await;
        world
            .integration
            .configure(
                world.config(mode),
                Some(SecretString::from("webhook-secret-token")),
            )
            .unwrap();
        world
    }

    pub fn config(&self, mode: Mode) -> ConnectorConfig {
        let auth = match mode {
            Mode::OAuth => AuthConfig::ServerToServerOAuth {
                account_id: ACCOUNT_ID.into(),
                client_id: S2S_CLIENT_ID.into(),
                client_secret: SecretString::from(S2S_SECRET),
            },
            Mode::ApiKey => AuthConfig::ApiKey {
                api_key: API_KEY.into(),
                api_secret: SecretString::from(API_SECRET),
            },
        };
        ConnectorConfig::new(auth)
            .with_api_base_url(self.fake.api_base_url())
            .with_oauth_url(self.fake.oauth_token_url())
            .with_timeout(Duration::from_secs(10))
    }

    pub fn connector(&self) -> ZoomConnector {
        self.integration
            .connector()
            .expect("integration configured")
    }

    pub fn bot(&self) -> ScribeBot {
        ScribeBot::new(self.joiner.clone(), Arc::new(self.alerts.clone()))
    }

    /// Creates a meeting hosted by the host user through `connector`.
    pub async fn create_meeting(
        &self,
        connector: &ZoomConnector,
        waiting_room: bool,
        join_before_host: bool,
    ) -> u64 {
        let input = CreateMeeting {
            topic: "Incident bridge".into(),
            settings: MeetingSettings {
                waiting_room: Some(waiting_room),
                join_before_host: Some(join_before_host),
                ..Default::default()
            },
            ..Default::default()
        };
        connector
            .create_meeting(HOST_ID, input)
            .await
            .expect("meeting created")
            .id
    }

    pub fn advance_minutes(&self, minutes: u64) {
        self.fake.advance(Duration::from_secs(minutes * 60));
    }

    /// POSTs to the control API; returns (status, body).
    pub async fn control(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.fake.base_url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.fake.base_url()))
            .send()
            .await
            .unwrap();
        response.json().await.unwrap()
    }

    /// Makes someone join; returns their participant id and status.
    pub async fn join(
        &self,
        meeting_id: u64,
        name: &str,
        role: &str,
        user_id: Option<&str>,
    ) -> (String, String) {
        let mut body = json!({"name": name, "role": role});
        if let Some(user) = user_id {
            body["user_id"] = json!(user);
        }
        let (status, answer) = self
            .control(&format!("/_fake/meetings/{meeting_id}/participants"), body)
            .await;
        assert_eq!(status, 201, "join {name} as {role}: {answer}");
        (
            answer["participant_id"].as_str().unwrap().to_string(),
            answer["status"].as_str().unwrap().to_string(),
        )
    }

    /// The host joins (starting the meeting); returns the host's participant id.
    pub async fn host_joins(&self, meeting_id: u64) -> String {
        self.join(meeting_id, "Hazel Host", "host", Some(HOST_ID))
            .await
            .0
    }

    pub async fn admit(&self, meeting_id: u64, participant_id: &str, by: &str) -> (u16, Value) {
        self.control(
            &format!("/_fake/meetings/{meeting_id}/participants/{participant_id}/admit"),
            json!({"by": by}),
        )
        .await
    }

    pub async fn deny(&self, meeting_id: u64, participant_id: &str, by: &str) -> (u16, Value) {
        self.control(
            &format!("/_fake/meetings/{meeting_id}/participants/{participant_id}/deny"),
            json!({"by": by}),
        )
        .await
    }

    pub async fn leave(&self, meeting_id: u64, participant_id: &str) -> (u16, Value) {
        self.control(
            &format!("/_fake/meetings/{meeting_id}/participants/{participant_id}/leave"),
            json!({}),
        )
        .await
    }

    pub async fn end(&self, meeting_id: u64) -> (u16, Value) {
        self.control(&format!("/_fake/meetings/{meeting_id}/end"), json!({}))
            .await
    }

    pub async fn room(&self, meeting_id: u64) -> Value {
        self.get(&format!("/_fake/meetings/{meeting_id}/room"))
            .await
    }

    pub async fn participant(&self, meeting_id: u64, participant_id: &str) -> Value {
        self.get(&format!(
            "/_fake/meetings/{meeting_id}/participants/{participant_id}"
        ))
        .await
    }
}
