//! Connector configuration: where Zoom is, how to authenticate, how patient to be.
//!
//! URLs default to real Zoom and can be pointed anywhere that speaks Zoom's wire format (the
//! fake, a proxy). Secrets are `secrecy` types: `Debug` of any configuration shows none of them.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::auth::TokenStore;

/// Zoom's REST API base URL.
pub const ZOOM_API_BASE_URL: &str = "https://api.zoom.us/v2";
/// Zoom's OAuth token endpoint.
pub const ZOOM_OAUTH_URL: &str = "https://zoom.us/oauth/token";

/// Everything the connector needs to talk to Zoom.
#[derive(Debug, Clone)]
pub struct ConnectorConfig {
    /// REST base URL, default [`ZOOM_API_BASE_URL`].
    pub api_base_url: String,
    /// OAuth token endpoint, default [`ZOOM_OAUTH_URL`].
    pub oauth_url: String,
    /// How to authenticate.
    pub auth: AuthConfig,
    /// Whole-request timeout, applied to every request (REST and token), default 30 s.
    pub timeout: Duration,
    /// TCP connect timeout, default 10 s.
    pub connect_timeout: Duration,
    /// Retries of rate-limited, failed or refused requests.
    pub retry: RetryPolicy,
    /// Lifetime of each API Key/Secret JWT, default 60 s: minted per request, so it only has to
    /// outlive one request; short so a leaked one is soon useless.
    pub jwt_ttl: Duration,
    /// A cached OAuth token is replaced this long before Zoom says it expires, default 5 min,
    /// so that a token never expires in flight.
    pub token_refresh_margin: Duration,
}

impl ConnectorConfig {
    /// A configuration for real Zoom with default timeouts and retries.
    pub fn new(auth: AuthConfig) -> Self {
        ConnectorConfig {
            api_base_url: ZOOM_API_BASE_URL.to_string(),
            oauth_url: ZOOM_OAUTH_URL.to_string(),
            auth,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            jwt_ttl: Duration::from_secs(60),
            token_refresh_margin: Duration::from_secs(300),
        }
    }

    /// Point the REST calls somewhere else (e.g. `http://127.0.0.1:PORT/v2`).
    pub fn with_api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = url.into();
        self
    }

    /// Point the token requests somewhere else (e.g. `http://127.0.0.1:PORT/oauth/token`).
    pub fn with_oauth_url(mut self, url: impl Into<String>) -> Self {
        self.oauth_url = url.into();
        self
    }

    /// Set the per-request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Set the lifetime of API Key/Secret JWTs (longer helps when Zoom's clock, or a fake's
    /// virtual clock, runs ahead of this machine's and sends no usable `Date`).
    pub fn with_jwt_ttl(mut self, ttl: Duration) -> Self {
        self.jwt_ttl = ttl;
        self
    }

    /// Set the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}

/// How the connector authenticates to Zoom.
#[derive(Clone)]
pub enum AuthConfig {
    /// Server-to-Server OAuth app: `account_credentials` grant, token cached for its hour.
    ServerToServerOAuth {
        /// The Zoom account id.
        account_id: String,
        /// The app's client id.
        client_id: String,
        /// The app's client secret.
        client_secret: SecretString,
    },
    /// Legacy API Key/Secret (JWT app): an HS256 JWT minted per request. Zoom gives such apps
    /// account-admin rights without scopes, but no ZAK: the scribe bot needs manual admission.
    ApiKey {
        /// The API key (the JWT's `iss`).
        api_key: String,
        /// The API secret (the HMAC key).
        api_secret: SecretString,
    },
    /// User-level OAuth app: access tokens from a refresh token that rotates on every use;
    /// the newest refresh token is persisted through `store` before the access token is used.
    UserOAuth {
        /// The app's client id.
        client_id: String,
        /// The app's client secret.
        client_secret: SecretString,
        /// Where the current refresh token lives.
        store: Arc<dyn TokenStore>,
    },
}

impl AuthConfig {
    /// Which auth mode this is.
    pub fn mode(&self) -> AuthMode {
        match self {
            AuthConfig::ServerToServerOAuth { .. } => AuthMode::ServerToServerOAuth,
            AuthConfig::ApiKey { .. } => AuthMode::ApiKey,
            AuthConfig::UserOAuth { .. } => AuthMode::UserOAuth,
        }
    }

    /// The public identifier of the app (client id or API key), for messages and the fake's
    /// per-app controls.
    pub fn app_id(&self) -> &str {
        match self {
            AuthConfig::ServerToServerOAuth { client_id, .. }
            | AuthConfig::UserOAuth { client_id, .. } => client_id,
            AuthConfig::ApiKey { api_key, .. } => api_key,
        }
    }
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written out so that no secret can reach Debug, whatever secrecy prints.
        match self {
            AuthConfig::ServerToServerOAuth {
                account_id,
                client_id,
                ..
            } => f
                .debug_struct("ServerToServerOAuth")
                .field("account_id", account_id)
                .field("client_id", client_id)
                .field("client_secret", &"[REDACTED]")
                .finish(),
            AuthConfig::ApiKey { api_key, .. } => f
                .debug_struct("ApiKey")
                .field("api_key", api_key)
                .field("api_secret", &"[REDACTED]")
                .finish(),
            AuthConfig::UserOAuth { client_id, .. } => f
                .debug_struct("UserOAuth")
                .field("client_id", client_id)
                .field("client_secret", &"[REDACTED]")
                .field("store", &"dyn TokenStore")
                .finish(),
        }
    }
}

/// The auth mode, without credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMode {
    /// Server-to-Server OAuth.
    #[serde(rename = "server_to_server_oauth")]
    ServerToServerOAuth,
    /// API Key/Secret (legacy JWT app).
    ApiKey,
    /// User-level OAuth.
    #[serde(rename = "user_oauth")]
    UserOAuth,
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthMode::ServerToServerOAuth => "Server-to-Server OAuth",
            AuthMode::ApiKey => "API Key/Secret",
            AuthMode::UserOAuth => "User OAuth",
        })
    }
}

/// How hard the client tries before giving up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (default 4). The one re-send after a 401
    /// code 124 token refresh is not counted.
    pub max_attempts: u32,
    /// First backoff delay (default 250 ms), doubled per retry, with jitter.
    pub initial_backoff: Duration,
    /// Largest backoff delay (default 8 s).
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits out (default 60 s); a longer one is reported
    /// at once as a rate-limit error carrying the wait.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all (one attempt; the 401 refresh still happens once).
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::MemoryTokenStore;

    #[test]
    fn debug_shows_no_secret() {
        let configs = [
            AuthConfig::ServerToServerOAuth {
                account_id: "acct".into(),
                client_id: "cid".into(),
                client_secret: SecretString::from("s2s-very-secret"),
            },
            AuthConfig::ApiKey {
                api_key: "key".into(),
                api_secret: SecretString::from("jwt-very-secret"),
            },
            AuthConfig::UserOAuth {
                client_id: "cid".into(),
                client_secret: SecretString::from("user-very-secret"),
                store: Arc::new(MemoryTokenStore::new(SecretString::from(
                    "refresh-very-secret",
                ))),
            },
        ];
        for auth in configs {
            let printed = format!("{:?}", ConnectorConfig::new(auth));
            assert!(!printed.contains("very-secret"), "{printed}");
            assert!(printed.contains("REDACTED"), "{printed}");
            assert!(printed.contains("https://api.zoom.us/v2"), "{printed}");
            assert!(printed.contains("https://zoom.us/oauth/token"), "{printed}");
        }
    }

    #[test]
    fn urls_default_to_zoom_and_can_be_overridden() {
        let auth = AuthConfig::ApiKey {
            api_key: "k".into(),
            api_secret: SecretString::from("s"),
        };
        let config = ConnectorConfig::new(auth.clone());
        assert_eq!(config.api_base_url, "https://api.zoom.us/v2");
        assert_eq!(config.oauth_url, "https://zoom.us/oauth/token");
        assert_eq!(auth.mode(), AuthMode::ApiKey);
        let config = config
            .with_api_base_url("http://127.0.0.1:1/v2")
            .with_oauth_url("http://127.0.0.1:1/oauth/token");
        assert_eq!(config.api_base_url, "http://127.0.0.1:1/v2");
        assert_eq!(config.oauth_url, "http://127.0.0.1:1/oauth/token");
    }
}
