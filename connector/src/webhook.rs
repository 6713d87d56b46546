//! The Zoom integration as installed in the product, its secret store, and the webhook receiver
//! that Zoom posts events to (DIS-1, AUTH-3).
//!
//! * [`SecretStore`] is where the product keeps the connector's secrets (client secret or API
//!   secret, webhook secret token); [`MemorySecretStore`] keeps them in memory.
//! * [`ZoomIntegration`] is the installed connector: its configuration, the live
//!   [`ZoomConnector`] built from it, and the secrets it put in the store. Removing it (by the
//!   user, or by Zoom's `app_deauthorized` event) drops all three; every later action fails with
//!   [`ConnectorError::NotConfigured`] ("Zoom connector not configured"). Switching from API
//!   Key/Secret to OAuth ([`ZoomIntegration::switch_to_oauth`]) is remove + configure, as the seed
//!   document describes it.
//! * [`WebhookReceiver::handle`] takes the raw request (headers and body bytes) and returns the
//!   response, so any HTTP server can host it. It checks `x-zm-signature` (`v0=` +
//!   hex HMAC-SHA256 of `v0:{x-zm-request-timestamp}:{raw body}` under the webhook secret token,
//!   compared in constant time) and rejects timestamps more than the tolerance (default 5 min,
//!   Zoom's recommendation) away from the receiver's clock; answers `endpoint.url_validation` with
//!   `{plainToken, encryptedToken = hex HMAC-SHA256(secret, plainToken)}`; and on
//!   `app_deauthorized` for the installed app removes the integration. It remembers the last
//!   [`RECEIVED_HISTORY`] events it accepted as [`ReceivedEvent`]s: name, `event_ts`, object id
//!   and arrival time, never the payload, which carries bearer secrets (`recording.completed`'s
//!   `download_token`, passcodes, a deauthorization's `signature`).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::{AuthConfig, AuthMode, ConnectorConfig, ConnectorError, ZoomConnector};

/// Where the product keeps the connector's secrets.
pub trait SecretStore: Send + Sync {
    /// Stores (or replaces) a secret under `key`.
    fn put(&self, key: &str, value: SecretString);
    /// The secret under `key`, if any.
    fn get(&self, key: &str) -> Option<SecretString>;
    /// Deletes the secret under `key`; says whether there was one.
    fn remove(&self, key: &str) -> bool;
    /// The keys currently stored (never the values).
    fn keys(&self) -> Vec<String>;
}

/// An in-memory [`SecretStore`]. Clones share the same contents.
#[derive(Clone, Default)]
pub struct MemorySecretStore {
    secrets: Arc<Mutex<BTreeMap<String, SecretString>>>,
}

impl std::fmt::Debug for MemorySecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemorySecretStore")
            .field("keys", &self.keys())
            .finish()
    }
}

impl MemorySecretStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, SecretString>> {
        self.secrets.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemorySecretStore {
    fn put(&self, key: &str, value: SecretString) {
        self.map().insert(key.to_string(), value);
    }
    fn get(&self, key: &str) -> Option<SecretString> {
        self.map().get(key).cloned()
    }
    fn remove(&self, key: &str) -> bool {
        self.map().remove(key).is_some()
    }
    fn keys(&self) -> Vec<String> {
        self.map().keys().cloned().collect()
    }
}

/// Secret-store key of the OAuth client secret or the API secret.
pub const CREDENTIAL_SECRET_KEY: &str = "zoom/credential_secret";
/// Secret-store key of the webhook secret token.
pub const WEBHOOK_SECRET_KEY: &str = "zoom/webhook_secret_token";

struct Installed {
    connector: ZoomConnector,
    /// The OAuth client id or API key: what `app_deauthorized` names as `client_id`.
    app_id: String,
}

/// The installed Zoom integration: configuration, live connector, and the secrets it stored.
pub struct ZoomIntegration {
    secrets: Arc<dyn SecretStore>,
    installed: Mutex<Option<Installed>>,
}

impl std::fmt::Debug for ZoomIntegration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZoomIntegration")
            .field("auth_mode", &self.auth_mode())
            .finish()
    }
}

impl ZoomIntegration {
    /// An integration with nothing configured yet, keeping its secrets in `secrets`.
    pub fn new(secrets: Arc<dyn SecretStore>) -> Self {
        ZoomIntegration {
            secrets,
            installed: Mutex::new(None),
        }
    }

    fn installed(&self) -> std::sync::MutexGuard<'_, Option<Installed>> {
        self.installed.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Configures the connector (replacing any previous configuration) and stores its secrets:
    /// the credential secret, and the webhook secret token when given.
    pub fn configure(
        &self,
        config: ConnectorConfig,
        webhook_secret: Option<SecretString>,
    ) -> Result<(), ConnectorError> {
        let (app_id, credential) = match &config.auth {
            AuthConfig::ServerToServerOAuth {
                client_id,
                client_secret,
                ..
            } => (client_id.clone(), client_secret.clone()),
            AuthConfig::ApiKey {
                api_key,
                api_secret,
            } => (api_key.clone(), api_secret.clone()),
            AuthConfig::UserOAuth {
                client_id,
                client_secret,
                ..
            } => (client_id.clone(), client_secret.clone()),
        };
        let connector = ZoomConnector::new(config)?;
        let mut installed = self.installed();
        self.secrets.put(CREDENTIAL_SECRET_KEY, credential);
        match webhook_secret {
            Some(secret) => self.secrets.put(WEBHOOK_SECRET_KEY, secret),
            None => {
                self.secrets.remove(WEBHOOK_SECRET_KEY);
            }
        }
        if let Some(replaced) = installed.replace(Installed { connector, app_id }) {
            // The old configuration is gone: so are its credentials, also in clones of it.
            replaced.connector.remove_credentials();
        }
        Ok(())
    }

    /// Removes the configuration and every secret it stored; says whether anything was installed.
    /// The removed connector's credentials are wiped too, so a clone of it held elsewhere (a bot
    /// session, a running runbook) also fails with "Zoom connector not configured".
    pub fn remove(&self) -> bool {
        let mut installed = self.installed();
        self.secrets.remove(CREDENTIAL_SECRET_KEY);
        self.secrets.remove(WEBHOOK_SECRET_KEY);
        match installed.take() {
            Some(removed) => {
                removed.connector.remove_credentials();
                true
            }
            None => false,
        }
    }

    /// AUTH-3: replaces an API Key/Secret configuration with an OAuth one (remove, then
    /// configure). Refuses a configuration that is not OAuth, leaving the current one in place.
    pub fn switch_to_oauth(
        &self,
        config: ConnectorConfig,
        webhook_secret: Option<SecretString>,
    ) -> Result<(), ConnectorError> {
        if config.auth.mode() == AuthMode::ApiKey {
            return Err(ConnectorError::InvalidConfig(
                "switching to OAuth needs a Server-to-Server or user OAuth configuration".into(),
            ));
        }
        self.remove();
        self.configure(config, webhook_secret)
    }

    /// The live connector, or [`ConnectorError::NotConfigured`].
    pub fn connector(&self) -> Result<ZoomConnector, ConnectorError> {
        self.installed()
            .as_ref()
            .map(|i| i.connector.clone())
            .ok_or(ConnectorError::NotConfigured)
    }

    /// The auth mode of the installed configuration, if any.
    pub fn auth_mode(&self) -> Option<AuthMode> {
        self.installed().as_ref().map(|i| i.connector.auth_mode())
    }

    /// The OAuth client id or API key of the installed app, if any.
    pub fn app_id(&self) -> Option<String> {
        self.installed().as_ref().map(|i| i.app_id.clone())
    }

    /// The webhook secret token, while the integration is configured with one.
    pub fn webhook_secret(&self) -> Option<SecretString> {
        self.secrets.get(WEBHOOK_SECRET_KEY)
    }
}

/// The answer to a webhook request.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookResponse {
    /// HTTP status: 200 when accepted, 400 malformed, 401 bad signature or timestamp,
    /// 404 when no integration is configured (Zoom does not retry 4xx answers).
    pub status: u16,
    /// JSON body.
    pub body: Value,
}

impl WebhookResponse {
    fn new(status: u16, body: Value) -> Self {
        WebhookResponse { status, body }
    }

    fn error(status: u16, message: &str) -> Self {
        Self::new(status, json!({ "error": message }))
    }
}

/// How many accepted events a [`WebhookReceiver`] remembers; older ones are forgotten first.
pub const RECEIVED_HISTORY: usize = 256;

/// The record of a verified event the receiver accepted. It keeps no payload: payloads carry
/// bearer secrets (`download_token`, passcodes, download URLs, `signature`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedEvent {
    /// Event name, e.g. `meeting.participant_admitted`.
    pub event: String,
    /// The body's `event_ts` (milliseconds since the epoch), when it had one.
    pub event_ts: Option<i64>,
    /// `payload.object.id` (a meeting, webinar or user id), when the event names one.
    pub object_id: Option<String>,
    /// When the receiver accepted it, on the receiver's clock.
    pub received_at: OffsetDateTime,
}

impl ReceivedEvent {
    /// The record of `event` (the parsed body) named `name`, accepted at `now`.
    fn of(name: &str, event: &Value, now: OffsetDateTime) -> Self {
        let object_id = event.pointer("/payload/object/id").and_then(|id| match id {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        ReceivedEvent {
            event: name.to_string(),
            event_ts: event.get("event_ts").and_then(Value::as_i64),
            object_id,
            received_at: now,
        }
    }
}

/// A clock for the timestamp check (the system clock by default; tests pass the fake's clock).
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// Verifies and handles Zoom webhook requests for one [`ZoomIntegration`].
pub struct WebhookReceiver {
    integration: Arc<ZoomIntegration>,
    tolerance: Duration,
    clock: Clock,
    /// The last [`RECEIVED_HISTORY`] accepted events, oldest first.
    received: Mutex<VecDeque<ReceivedEvent>>,
}

impl std::fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookReceiver")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

type HmacSha256 = Hmac<Sha256>;

fn hmac_sha256(key: &SecretString, message: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(key.expose_secret().as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(message);
    mac
}

/// The HMAC over `v0:{timestamp}:{body}`: the one definition of what `x-zm-signature` signs,
/// finalized by [`sign`] and checked (in constant time) by the receiver.
fn signature_mac(secret: &SecretString, timestamp: &str, body: &[u8]) -> HmacSha256 {
    let mut mac = hmac_sha256(secret, format!("v0:{timestamp}:").as_bytes());
    mac.update(body);
    mac
}

/// `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`: the value of `x-zm-signature`.
pub fn sign(secret: &SecretString, timestamp: &str, body: &[u8]) -> String {
    format!(
        "v0={}",
        hex::encode(
            signature_mac(secret, timestamp, body)
                .finalize()
                .into_bytes()
        )
    )
}

/// `encryptedToken` of the `endpoint.url_validation` answer: hex HMAC-SHA256 of `plainToken`.
pub fn url_validation_token(secret: &SecretString, plain_token: &str) -> String {
    hex::encode(
        hmac_sha256(secret, plain_token.as_bytes())
            .finalize()
            .into_bytes(),
    )
}

impl WebhookReceiver {
    /// A receiver for `integration`, with a 5-minute timestamp tolerance and the system clock.
    pub fn new(integration: Arc<ZoomIntegration>) -> Self {
        WebhookReceiver {
            integration,
            tolerance: Duration::from_secs(300),
            clock: Arc::new(OffsetDateTime::now_utc),
            received: Mutex::new(VecDeque::with_capacity(RECEIVED_HISTORY)),
        }
    }

    /// Sets how far `x-zm-request-timestamp` may be from the receiver's clock.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Sets the clock the timestamp is checked against.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The last [`RECEIVED_HISTORY`] verified events accepted (url_validation included),
    /// oldest first.
    pub fn received(&self) -> Vec<ReceivedEvent> {
        self.received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    fn remember(&self, event: ReceivedEvent) {
        let mut received = self.received.lock().unwrap_or_else(|p| p.into_inner());
        if received.len() == RECEIVED_HISTORY {
            received.pop_front();
        }
        received.push_back(event);
    }

    /// Handles one request: `headers` as received, `body` the raw bytes (the signature covers them).
    pub fn handle(&self, headers: &HeaderMap, body: &[u8]) -> WebhookResponse {
        let Some(secret) = self.integration.webhook_secret() else {
            return WebhookResponse::error(404, "Zoom connector not configured");
        };
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(timestamp), Some(signature)) =
            (header("x-zm-request-timestamp"), header("x-zm-signature"))
        else {
            return WebhookResponse::error(401, "missing x-zm-request-timestamp or x-zm-signature");
        };
        if let Err(response) = self.verify(&secret, timestamp, signature, body) {
            return response;
        }
        let Ok(event) = serde_json::from_slice::<Value>(body) else {
            return WebhookResponse::error(400, "body is not JSON");
        };
        let Some(name) = event.get("event").and_then(Value::as_str) else {
            return WebhookResponse::error(400, "body has no `event`");
        };
        self.remember(ReceivedEvent::of(name, &event, (self.clock)()));
        let payload = event.get("payload").unwrap_or(&Value::Null);
        match name {
            "endpoint.url_validation" => {
                let Some(plain) = payload.get("plainToken").and_then(Value::as_str) else {
                    return WebhookResponse::error(
                        400,
                        "url_validation without payload.plainToken",
                    );
                };
                WebhookResponse::new(
                    200,
                    json!({
                        "plainToken": plain,
                        "encryptedToken": url_validation_token(&secret, plain),
                    }),
                )
            }
            "app_deauthorized" => {
                let client_id = payload.get("client_id").and_then(Value::as_str);
                let ours = self.integration.app_id();
                if client_id.is_some() && client_id != ours.as_deref() {
                    // Another app's deauthorization must not remove ours.
                    return WebhookResponse::new(200, json!({ "status": "ignored: another app" }));
                }
                self.integration.remove();
                tracing::info!(
                    "Zoom app deauthorized: connector configuration and secrets removed"
                );
                WebhookResponse::new(200, json!({ "status": "connector removed" }))
            }
            _ => WebhookResponse::new(200, json!({ "status": "received" })),
        }
    }

    fn verify(
        &self,
        secret: &SecretString,
        timestamp: &str,
        signature: &str,
        body: &[u8],
    ) -> Result<(), WebhookResponse> {
        let seconds: i64 = timestamp.parse().map_err(|_| {
            WebhookResponse::error(401, "x-zm-request-timestamp is not epoch seconds")
        })?;
        let now = (self.clock)().unix_timestamp();
        if now.abs_diff(seconds) > self.tolerance.as_secs() {
            return Err(WebhookResponse::error(
                401,
                "x-zm-request-timestamp outside the allowed window",
            ));
        }
        let tag = signature
            .strip_prefix("v0=")
            .and_then(|h| hex::decode(h).ok())
            .ok_or_else(|| WebhookResponse::error(401, "x-zm-signature is not v0=<hex>"))?;
        // verify_slice compares in constant time.
        signature_mac(secret, timestamp, body)
            .verify_slice(&tag)
            .map_err(|_| WebhookResponse::error(401, "signature does not match"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed independently with Python's hmac/hashlib.
    #[test]
    fn signature_and_validation_token_match_an_independent_hmac() {
        let secret = SecretString::from("secret-token");
        assert_eq!(
            sign(&secret, "1700000000", br#"{"event":"x"}"#),
            "v0=005c405bb2b044a0c5432507c266016af68d72aa8629ea0356370289abd3aa14"
        );
        assert_eq!(
            url_validation_token(&secret, "qgg8vlvZRS6UYooatFL8Aw"),
            "5b72bd117f184f54093c1c3c11499c1d13e6d56dc0d96e6b78fbfecedc953b75"
        );
    }

    #[test]
    fn memory_store_debug_shows_keys_not_values() {
        let store = MemorySecretStore::new();
        store.put(WEBHOOK_SECRET_KEY, SecretString::from("hunter2"));
        let shown = format!("{store:?}");
        assert!(
            shown.contains(WEBHOOK_SECRET_KEY) && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(store.remove(WEBHOOK_SECRET_KEY));
        assert!(store.keys().is_empty());
    }
}
