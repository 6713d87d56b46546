//! Authentication and authorization: the OAuth token endpoint and authorize step
//! ([`oauth`]), API Key/Secret JWTs ([`jwt`]), issued tokens ([`tokens`]) and the scope table
//! ([`scopes`]). [`authenticate`] turns a bearer token into a [`Caller`] for the `/v2` routes.

pub mod jwt;
pub mod oauth;
pub mod scopes;
pub mod tokens;

use std::sync::{Arc, OnceLock};

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::AuthKind;
use crate::model::account::{Account, User};
use crate::state::{AppEntry, FakeState};
use crate::zoom_error::ZoomError;
use scopes::{Endpoint, Grant, Target};

/// Who is calling: the app, and for user OAuth the user the token stands for.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The app.
    pub app: Arc<AppEntry>,
    /// User OAuth: the authorizing user. S2S and API Key tokens act as the account owner.
    pub user_id: Option<String>,
}

impl Caller {
    /// The caller's account.
    pub fn account_id(&self) -> &str {
        &self.app.account_id
    }
    /// Auth mode.
    pub fn kind(&self) -> AuthKind {
        self.app.kind()
    }
    /// Scopes or full rights.
    pub fn grant(&self) -> &Grant {
        &self.app.grant
    }

    /// The user `me` means: the authorizing user (user OAuth) or the account owner.
    pub fn me<'a>(&self, account: &'a Account) -> Option<&'a User> {
        match &self.user_id {
            Some(id) => account.user(id),
            None => account.owner(),
        }
    }

    /// Resolve a `{userId}` path segment: `me`, a user id or an email.
    pub fn resolve_user<'a>(&self, account: &'a Account, key: &str) -> Option<&'a User> {
        if key == "me" {
            self.me(account)
        } else {
            account.user(key)
        }
    }

    /// Whether a resource owned by `user_id` is the caller's own.
    pub fn target(&self, account: &Account, user_id: &str) -> Target {
        match self.me(account) {
            Some(me) if me.id == user_id => Target::Own,
            _ => Target::Other,
        }
    }

    /// Check the endpoint's scopes for a target (Zoom's 4711 on failure).
    pub fn check(&self, endpoint: Endpoint, target: Target) -> Result<(), ZoomError> {
        self.grant().check(endpoint, target)
    }

    /// Refuse API Key/Secret callers on OAuth-only endpoints (ZAK, OBF).
    pub fn require_oauth(&self) -> Result<(), ZoomError> {
        if self.kind() == AuthKind::ApiKey {
            return Err(ZoomError::oauth_only());
        }
        Ok(())
    }
}

/// Set by the journal layer; filled in once the caller is known, so the journal can say which
/// account and app a request came from.
#[derive(Debug, Clone, Default)]
pub struct JournalTag(pub Arc<OnceLock<(String, String)>>);

impl JournalTag {
    /// Record the account and app.
    pub fn set(&self, account_id: &str, app: &str) {
        let _ = self.0.set((account_id.to_string(), app.to_string()));
    }
}

/// Bearer-token check for `/v2`: 401 code 124 with Zoom's messages, else a [`Caller`] in the
/// request extensions.
pub async fn authenticate(
    State(state): State<Arc<FakeState>>,
    mut request: Request,
    next: Next,
) -> Response {
    match caller_from_headers(&state, request.headers()) {
        Ok(caller) => {
            if let Some(tag) = request.extensions().get::<JournalTag>() {
                tag.set(caller.account_id(), &caller.app.name);
            }
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(e) => e.into_response(),
    }
}

/// Find the caller of a request from its `Authorization` header.
pub fn caller_from_headers(state: &FakeState, headers: &HeaderMap) -> Result<Caller, ZoomError> {
    let header = match headers.get(axum::http::header::AUTHORIZATION) {
        None => return Err(ZoomError::missing_token()),
        Some(h) => h.to_str().map_err(|_| ZoomError::invalid_token())?.trim(),
    };
    let (scheme, token) = header.split_once(' ').unwrap_or((header, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ZoomError::invalid_token());
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(ZoomError::missing_token());
    }
    let now = state.now();
    if let Some(issued) = state.tokens.access(token) {
        let app = state
            .app(&issued.app_key)
            .ok_or_else(ZoomError::invalid_token)?;
        if issued.expires_at <= now {
            return Err(ZoomError::expired_token());
        }
        return Ok(Caller {
            app,
            user_id: issued.user_id,
        });
    }
    // Not an issued OAuth token: an API Key/Secret JWT, or nothing valid.
    let app = jwt::verify(token, now, |key| {
        state.app(key).filter(|a| a.kind() == AuthKind::ApiKey)
    })?;
    Ok(Caller { app, user_id: None })
}
