//! User-level OAuth: access tokens from a refresh token that rotates on every use.
//!
//! Zoom invalidates a refresh token once it has been used ("the latest refresh token must always
//! be used"), so the rotated one is saved through the [`TokenStore`] *before* the new access
//! token is handed out: if saving fails, the action fails, rather than leaving the store holding
//! a dead token that would lock the connector out for good.

use std::sync::Mutex;

use secrecy::{ExposeSecret, SecretString};

use super::cache::FetchedToken;
use super::token_endpoint::TokenEndpoint;
use crate::error::ConnectorError;

/// Where a user-OAuth connector keeps its current refresh token (a database row, a secret
/// manager entry, a file). Called under the token lock, at most once per token refresh.
pub trait TokenStore: Send + Sync {
    /// The current refresh token, or `None` when the user has not authorized the app yet.
    fn load(&self) -> Result<Option<SecretString>, String>;
    /// Replace the refresh token with the rotated one.
    fn save(&self, refresh_token: SecretString) -> Result<(), String>;
}

/// A [`TokenStore`] in memory (tests, short-lived tools).
pub struct MemoryTokenStore {
    token: Mutex<Option<SecretString>>,
}

impl MemoryTokenStore {
    /// A store holding `refresh_token`.
    pub fn new(refresh_token: SecretString) -> Self {
        MemoryTokenStore {
            token: Mutex::new(Some(refresh_token)),
        }
    }

    /// An empty store (no user has authorized the app).
    pub fn empty() -> Self {
        MemoryTokenStore {
            token: Mutex::new(None),
        }
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<SecretString>, String> {
        Ok(self
            .token
            .lock()
            .map_err(|_| "token store lock poisoned".to_string())?
            .clone())
    }

    fn save(&self, refresh_token: SecretString) -> Result<(), String> {
        *self
            .token
            .lock()
            .map_err(|_| "token store lock poisoned".to_string())? = Some(refresh_token);
        Ok(())
    }
}

/// Exchange the stored refresh token for an access token, persisting the rotated one.
pub(crate) async fn refresh(
    endpoint: &TokenEndpoint,
    store: &dyn TokenStore,
) -> Result<FetchedToken, ConnectorError> {
    let refresh_token = store
        .load()
        .map_err(ConnectorError::TokenStore)?
        .ok_or(ConnectorError::NotConfigured)?;
    let grant = endpoint
        .request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose_secret()),
        ])
        .await?;
    if let Some(rotated) = grant.refresh_token {
        store.save(rotated).map_err(ConnectorError::TokenStore)?;
    }
    Ok(grant.token)
}

/// Complete the authorization-code flow: exchange `code` (from Zoom's redirect to
/// `redirect_uri`) for tokens and store the first refresh token.
pub(crate) async fn exchange_code(
    endpoint: &TokenEndpoint,
    store: &dyn TokenStore,
    code: &str,
    redirect_uri: &str,
) -> Result<(), ConnectorError> {
    let grant = endpoint
        .request(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
        ])
        .await?;
    let refresh_token = grant.refresh_token.ok_or(ConnectorError::Decode {
        operation: "POST /oauth/token",
        message: "authorization_code answer has no refresh_token".into(),
    })?;
    store
        .save(refresh_token)
        .map_err(ConnectorError::TokenStore)
}
