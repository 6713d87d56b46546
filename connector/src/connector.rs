//! [`ZoomConnector`]: the facade every action hangs off. Cheap to clone (an `Arc` inside).

use std::sync::{Arc, RwLock};

use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::api::{Meeting, User};
use crate::auth::Authenticator;
use crate::client::{Call, ZoomClient};
use crate::config::{AuthMode, ConnectorConfig};
use crate::error::ConnectorError;

/// A configured Zoom connector.
#[derive(Clone)]
pub struct ZoomConnector {
    inner: Arc<Inner>,
}

struct Inner {
    client: ZoomClient,
    /// `None` once the credentials are removed (app uninstalled): every action then fails
    /// with [`ConnectorError::NotConfigured`].
    auth: RwLock<Option<Arc<Authenticator>>>,
    mode: AuthMode,
    api_base_url: String,
}

impl std::fmt::Debug for ZoomConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZoomConnector")
            .field("auth_mode", &self.inner.mode)
            .field("api_base_url", &self.inner.api_base_url)
            .field("configured", &self.is_configured())
            .finish()
    }
}

impl ZoomConnector {
    /// Build a connector; fails on an unusable configuration (bad URL, empty credential).
    pub fn new(config: ConnectorConfig) -> Result<Self, ConnectorError> {
        let (client, http) = ZoomClient::new(&config)?;
        let auth = Authenticator::new(&config, http)?;
        Ok(ZoomConnector {
            inner: Arc::new(Inner {
                client,
                auth: RwLock::new(Some(Arc::new(auth))),
                mode: config.auth.mode(),
                api_base_url: config.api_base_url.clone(),
            }),
        })
    }

    /// The auth mode it was configured with.
    pub fn auth_mode(&self) -> AuthMode {
        self.inner.mode
    }

    /// The REST base URL.
    pub fn api_base_url(&self) -> &str {
        &self.inner.api_base_url
    }

    /// Whether credentials are present.
    pub fn is_configured(&self) -> bool {
        self.inner.auth.read().map(|a| a.is_some()).unwrap_or(false)
    }

    /// Remove the credentials (the app was uninstalled: `app_deauthorized`). Secrets are
    /// dropped (and zeroed by `secrecy`) once in-flight requests finish; every later action
    /// fails with "Zoom connector not configured".
    pub fn remove_credentials(&self) {
        if let Ok(mut auth) = self.inner.auth.write() {
            *auth = None;
        }
    }

    /// User OAuth: finish the authorization-code flow (exchange `code` from Zoom's redirect to
    /// `redirect_uri`) and store the first refresh token.
    pub async fn exchange_authorization_code(
        &self,
        code: &str,
        redirect_uri: &str,
    ) -> Result<(), ConnectorError> {
        self.authenticator()?
            .exchange_code(code, redirect_uri)
            .await
    }

    /// Read a meeting (`GET /meetings/{meetingId}`).
    pub async fn get_meeting(&self, meeting_id: u64) -> Result<Meeting, ConnectorError> {
        let call = Call::new(
            Method::GET,
            "GET /meetings/{meetingId}",
            None,
            ["meetings".to_string(), meeting_id.to_string()],
        );
        self.call_json(call).await
    }

    /// Read a user (`GET /users/{userId}`; `me` allowed for user-level apps).
    pub async fn get_user(&self, user_id: &str) -> Result<User, ConnectorError> {
        non_empty("user_id", user_id)?;
        let call = Call::new(Method::GET, "GET /users/{userId}", None, ["users", user_id]);
        self.call_json(call).await
    }

    pub(crate) fn authenticator(&self) -> Result<Arc<Authenticator>, ConnectorError> {
        self.inner
            .auth
            .read()
            .ok()
            .and_then(|a| a.clone())
            .ok_or(ConnectorError::NotConfigured)
    }

    pub(crate) fn client(&self) -> &ZoomClient {
        &self.inner.client
    }

    pub(crate) async fn call_json<T: DeserializeOwned>(
        &self,
        call: Call,
    ) -> Result<T, ConnectorError> {
        let auth = self.authenticator()?;
        self.inner.client.json(&auth, call).await
    }

    pub(crate) async fn call_empty(&self, call: Call) -> Result<(), ConnectorError> {
        let auth = self.authenticator()?;
        self.inner.client.empty(&auth, call).await
    }
}

/// Refuse an empty identifier before it becomes a malformed path.
pub(crate) fn non_empty(field: &'static str, value: &str) -> Result<(), ConnectorError> {
    if value.trim().is_empty() {
        Err(ConnectorError::InvalidInput {
            field,
            message: "must not be empty".into(),
        })
    } else {
        Ok(())
    }
}
