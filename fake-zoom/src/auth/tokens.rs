//! Issued credentials: OAuth access tokens, rotating refresh tokens, authorization codes, and
//! user tokens (ZAK, OBF). Expiry is always judged on the fake's clock. Several access tokens of
//! one app can be valid at once, as on Zoom.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use time::OffsetDateTime;

/// Access-token lifetime: one hour.
pub const ACCESS_TOKEN_SECONDS: i64 = 3600;
/// `expires_in` as Zoom reports it (observed 3599).
pub const EXPIRES_IN_REPORTED: i64 = 3599;
/// Authorization codes live 5 minutes and are single-use.
pub const AUTH_CODE_SECONDS: i64 = 300;
/// ZAK from `/users/{id}/token?type=zak`: 2 hours by default.
pub const ZAK_DEFAULT_SECONDS: i64 = 7200;
/// Longest custom `ttl`: one year.
pub const USER_TOKEN_MAX_SECONDS: i64 = 31_536_000;
/// ZAK from `/users/me/zak`: five minutes.
pub const ME_ZAK_SECONDS: i64 = 300;
/// OBF tokens: 2 hours by default.
pub const OBF_DEFAULT_SECONDS: i64 = 7200;

/// An issued OAuth access token.
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// The app's client id.
    pub app_key: String,
    /// For user OAuth: the user it acts as.
    pub user_id: Option<String>,
    /// Expiry.
    pub expires_at: OffsetDateTime,
}

/// A refresh token of a user OAuth app.
#[derive(Debug, Clone)]
pub struct RefreshGrant {
    /// Client id.
    pub app_key: String,
    /// User.
    pub user_id: String,
}

/// An authorization code.
#[derive(Debug, Clone)]
pub struct AuthCode {
    /// Client id.
    pub app_key: String,
    /// User who authorized.
    pub user_id: String,
    /// Redirect URI given at authorize (must match at exchange).
    pub redirect_uri: String,
    /// PKCE challenge (S256), if any.
    pub code_challenge: Option<String>,
    /// Expiry.
    pub expires_at: OffsetDateTime,
}

/// ZAK or OBF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserTokenKind {
    /// Zoom Access Key: identifies a Zoom user (start or join as that user).
    Zak,
    /// On-behalf-of token: lets an app join on behalf of a user who is in the meeting.
    Obf,
}

/// An issued ZAK or OBF token.
#[derive(Debug, Clone)]
pub struct UserToken {
    /// Kind.
    pub kind: UserTokenKind,
    /// Account.
    pub account_id: String,
    /// The user it stands for.
    pub user_id: String,
    /// The app that obtained it.
    pub app_key: String,
    /// Expiry.
    pub expires_at: OffsetDateTime,
    /// OBF: the meeting it is limited to.
    pub meeting_id: Option<u64>,
    /// OBF tokens are single-use.
    pub used: bool,
}

/// Why a ZAK or OBF was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UserTokenError {
    /// Never issued, revoked, or of the other kind.
    #[error("token is not valid")]
    Invalid,
    /// Past its expiry on the fake's clock.
    #[error("token has expired")]
    Expired,
    /// An OBF token already used.
    #[error("token was already used")]
    AlreadyUsed,
}

/// Every issued credential.
#[derive(Debug, Default)]
pub struct TokenStore {
    access: RwLock<HashMap<String, AccessToken>>,
    refresh: Mutex<HashMap<String, RefreshGrant>>,
    codes: Mutex<HashMap<String, AuthCode>>,
    user_tokens: Mutex<HashMap<String, UserToken>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl TokenStore {
    /// Remember an access token; long-expired ones are purged now and then.
    pub fn insert_access(&self, token: String, entry: AccessToken, now: OffsetDateTime) {
        let mut map = self.access.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= 4096 {
            map.retain(|_, t| t.expires_at + time::Duration::DAY > now);
        }
        map.insert(token, entry);
    }

    /// Look an access token up.
    pub fn access(&self, token: &str) -> Option<AccessToken> {
        self.access
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(token)
            .cloned()
    }

    /// Issue a refresh token.
    pub fn insert_refresh(&self, token: String, grant: RefreshGrant) {
        lock(&self.refresh).insert(token, grant);
    }

    /// Use a refresh token of app `app_key`: it is removed (rotation), so an old one is
    /// refused afterwards. A token of another app is left in place.
    pub fn take_refresh(&self, token: &str, app_key: &str) -> Option<RefreshGrant> {
        let mut map = lock(&self.refresh);
        if map.get(token)?.app_key != app_key {
            return None;
        }
        map.remove(token)
    }

    /// Issue an authorization code.
    pub fn insert_code(&self, code: String, entry: AuthCode) {
        lock(&self.codes).insert(code, entry);
    }

    /// Use an authorization code of app `app_key` (single use), if `accept` approves it
    /// (expiry, redirect URI, PKCE). A code of another app, or one refused by `accept`, is left
    /// in place for its rightful owner; an expired one is dropped.
    pub fn take_code<E>(
        &self,
        code: &str,
        app_key: &str,
        now: OffsetDateTime,
        accept: impl FnOnce(&AuthCode) -> Result<(), E>,
        invalid: impl FnOnce() -> E,
    ) -> Result<AuthCode, E> {
        let mut map = lock(&self.codes);
        let Some(entry) = map.get(code) else {
            return Err(invalid());
        };
        if entry.expires_at <= now {
            map.remove(code);
            return Err(invalid());
        }
        if entry.app_key != app_key {
            return Err(invalid());
        }
        accept(entry)?;
        map.remove(code).ok_or_else(invalid)
    }

    /// Issue a ZAK or OBF.
    pub fn insert_user_token(&self, token: String, entry: UserToken, now: OffsetDateTime) {
        let mut map = lock(&self.user_tokens);
        if map.len() >= 4096 {
            map.retain(|_, t| t.expires_at + time::Duration::DAY > now);
        }
        map.insert(token, entry);
    }

    /// Check a ZAK or OBF presented at join; an OBF is marked used.
    pub fn use_user_token(
        &self,
        token: &str,
        kind: UserTokenKind,
        now: OffsetDateTime,
    ) -> Result<UserToken, UserTokenError> {
        let mut map = lock(&self.user_tokens);
        let entry = map.get_mut(token).ok_or(UserTokenError::Invalid)?;
        if entry.kind != kind {
            return Err(UserTokenError::Invalid);
        }
        if entry.expires_at <= now {
            return Err(UserTokenError::Expired);
        }
        if entry.kind == UserTokenKind::Obf {
            if entry.used {
                return Err(UserTokenError::AlreadyUsed);
            }
            entry.used = true;
        }
        Ok(entry.clone())
    }

    /// Drop every credential of an app (revocation, uninstall).
    pub fn revoke_app(&self, app_key: &str) {
        self.access
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, t| t.app_key != app_key);
        lock(&self.refresh).retain(|_, t| t.app_key != app_key);
        lock(&self.codes).retain(|_, t| t.app_key != app_key);
        lock(&self.user_tokens).retain(|_, t| t.app_key != app_key);
    }

    /// Forget everything.
    pub fn clear(&self) {
        self.access
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        lock(&self.refresh).clear();
        lock(&self.codes).clear();
        lock(&self.user_tokens).clear();
    }

    /// How many access tokens are currently valid per app key (for the state snapshot).
    pub fn live_access_counts(&self, now: OffsetDateTime) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for t in self
            .access
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
        {
            if t.expires_at > now {
                *counts.entry(t.app_key.clone()).or_default() += 1;
            }
        }
        counts
    }
}
