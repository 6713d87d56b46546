//! Alert sinks: where the connector tells people about things they must act on, such as the scribe
//! bot's "ZAK token generation not supported" under API Key/Secret auth (BOT-2).
//!
//! [`SlackWebhookSink`] posts to a Slack incoming webhook (`{"text": ...}`); its URL is a secret
//! (anyone holding it can post to the channel) and never appears in `Debug` output or errors.
//! [`MemoryAlertSink`] records alerts for tests and for the harness's reports.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use thiserror::Error;

/// A boxed, sendable future: the return type of the object-safe async traits in this crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The text of the alert sent when the bot cannot get a ZAK (API Key/Secret auth), as the seed
/// document quotes it.
pub const ZAK_NOT_SUPPORTED_TEXT: &str = "ZAK token generation not supported";

/// What an alert is about, so that receivers (and suppression rules) can tell alerts apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// The scribe bot could not get a ZAK because the connector uses API Key/Secret auth.
    ZakNotSupported,
    /// The scribe bot could not get a ZAK for another reason (the text says which).
    ZakFailed,
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// What the alert is about.
    pub kind: AlertKind,
    /// The message shown to people, e.g. [`ZAK_NOT_SUPPORTED_TEXT`].
    pub text: String,
    /// The Zoom meeting it concerns, if any.
    pub meeting_id: Option<u64>,
}

impl Alert {
    /// The alert for a ZAK request refused because the connector uses API Key/Secret auth.
    pub fn zak_not_supported(meeting_id: u64) -> Self {
        Alert {
            kind: AlertKind::ZakNotSupported,
            text: ZAK_NOT_SUPPORTED_TEXT.to_string(),
            meeting_id: Some(meeting_id),
        }
    }
}

/// Why an alert could not be delivered.
#[derive(Debug, Error)]
pub enum AlertError {
    /// The receiver answered with a non-success status (Slack answers e.g. 404 `no_service`).
    #[error("alert rejected with HTTP {status}: {body}")]
    Rejected {
        /// HTTP status of the answer.
        status: u16,
        /// The answer's body (Slack sends a short reason such as `invalid_payload`).
        body: String,
    },
    /// The receiver could not be reached; the message never contains the webhook URL.
    #[error("alert not delivered: {0}")]
    Network(String),
}

/// Somewhere alerts go.
pub trait AlertSink: Send + Sync {
    /// Delivers one alert.
    fn send(&self, alert: Alert) -> BoxFuture<'_, Result<(), AlertError>>;
}

/// Posts alerts to a Slack incoming webhook as `{"text": "..."}`.
#[derive(Clone)]
pub struct SlackWebhookSink {
    url: SecretString,
    client: reqwest::Client,
}

impl std::fmt::Debug for SlackWebhookSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackWebhookSink")
            .field("url", &"[REDACTED]")
            .finish()
    }
}

impl SlackWebhookSink {
    /// A sink posting to `url` (e.g. `https://hooks.slack.com/services/...`), with a 10 s timeout.
    pub fn new(url: SecretString) -> Result<Self, AlertError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| AlertError::Network(e.without_url().to_string()))?;
        Ok(Self::with_client(url, client))
    }

    /// A sink using a caller-provided HTTP client.
    pub fn with_client(url: SecretString, client: reqwest::Client) -> Self {
        SlackWebhookSink { url, client }
    }
}

impl AlertSink for SlackWebhookSink {
    fn send(&self, alert: Alert) -> BoxFuture<'_, Result<(), AlertError>> {
        Box::pin(async move {
            let body = serde_json::json!({ "text": alert.text });
            let response = self
                .client
                .post(self.url.expose_secret())
                .json(&body)
                .send()
                .await
                // The URL is the secret: strip it from the error before it can be logged.
                .map_err(|e| AlertError::Network(e.without_url().to_string()))?;
            let status = response.status();
            if status.is_success() {
                return Ok(());
            }
            let body = response.text().await.unwrap_or_default();
            Err(AlertError::Rejected {
                status: status.as_u16(),
                body: body.chars().take(200).collect(),
            })
        })
    }
}

/// Records alerts in memory. Clones share the same record.
#[derive(Debug, Clone, Default)]
pub struct MemoryAlertSink {
    alerts: Arc<Mutex<Vec<Alert>>>,
}

impl MemoryAlertSink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every alert sent so far, oldest first.
    pub fn alerts(&self) -> Vec<Alert> {
        self.alerts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Forgets the alerts sent so far.
    pub fn clear(&self) {
        self.alerts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

impl AlertSink for MemoryAlertSink {
    fn send(&self, alert: Alert) -> BoxFuture<'_, Result<(), AlertError>> {
        self.alerts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(alert);
        Box::pin(async { Ok(()) })
    }
}
