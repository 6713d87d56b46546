//! Zoom's OAuth endpoints.
//!
//! `POST /oauth/token` (client authentication by HTTP Basic, or `client_id`/`client_secret`
//! parameters; parameters in the query string or a form body, both accepted as Zoom does):
//! * `account_credentials` (Server-to-Server apps, `account_id` required);
//! * `authorization_code` (user OAuth apps; single-use code, 5 minutes, `redirect_uri` must
//!   match, PKCE S256 checked when the code was issued with a challenge; a request refused for
//!   another app, a wrong redirect URI or verifier does not use the code up);
//! * `refresh_token` (user OAuth apps; rotating: each use returns a new refresh token and the
//!   old one is refused with `{"reason":"Invalid Token!","error":"invalid_grant"}`).
//!
//! Success: `access_token`, `token_type: "bearer"`, `expires_in` (3599), space-separated
//! `scope`, `api_url` (the fake's base URL), and `refresh_token` for user apps. Tokens live an
//! hour of the fake's clock; several can be valid at once.
//!
//! `GET /oauth/authorize?response_type=code&client_id=..&redirect_uri=..[&state=..]`: issues a
//! code for the app's configured user with no browser and answers `302` to
//! `redirect_uri?code=..[&state=..]`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use bytes::Bytes;
use serde_json::json;
use sha2::Digest;
use time::Duration;

use super::JournalTag;
use super::tokens::{
    ACCESS_TOKEN_SECONDS, AUTH_CODE_SECONDS, AccessToken, AuthCode, EXPIRES_IN_REPORTED,
    RefreshGrant,
};
use crate::auth::scopes::Grant;
use crate::config::AppAuth;
use crate::state::{AppEntry, FakeState};
use crate::zoom_error::ZoomError;

fn params(query: Option<&str>, body: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Some(q) = query {
        out.extend(form_urlencoded::parse(q.as_bytes()).into_owned());
    }
    out.extend(form_urlencoded::parse(body).into_owned());
    out
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// `POST /oauth/token`.
pub async fn token(
    State(state): State<Arc<FakeState>>,
    tag: Option<axum::Extension<JournalTag>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match issue(&state, tag.map(|t| t.0), query.as_deref(), &headers, &body) {
        Ok(body) => (StatusCode::OK, axum::Json(body)).into_response(),
        Err(e) => e.into_response(),
    }
}

fn issue(
    state: &FakeState,
    tag: Option<JournalTag>,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<serde_json::Value, ZoomError> {
    let params = params(query, body);
    let (client_id, client_secret) = basic_credentials(headers)
        .or_else(|| {
            Some((
                params.get("client_id")?.clone(),
                params.get("client_secret")?.clone(),
            ))
        })
        .ok_or_else(ZoomError::oauth_missing_client)?;
    let app = state
        .app(&client_id)
        .filter(|app| {
            app.auth.secret() == client_secret && !matches!(app.auth, AppAuth::ApiKey { .. })
        })
        .ok_or_else(ZoomError::oauth_invalid_client)?;
    if let Some(tag) = tag {
        tag.set(&app.account_id, &app.name);
    }
    let now = state.now();
    match (params.get("grant_type").map(String::as_str), &app.auth) {
        (Some("account_credentials"), AppAuth::ServerToServerOAuth { .. }) => {
            let account_id = params
                .get("account_id")
                .filter(|a| !a.is_empty())
                .ok_or_else(ZoomError::oauth_missing_account)?;
            if *account_id != app.account_id {
                return Err(ZoomError::oauth_invalid_account());
            }
            Ok(grant_tokens(state, &app, None, now))
        }
        (Some("authorization_code"), AppAuth::UserOAuth { .. }) => {
            let code = params
                .get("code")
                .ok_or_else(|| ZoomError::oauth_missing_parameter("code"))?;
            let redirect = params.get("redirect_uri");
            let verifier = params.get("code_verifier");
            let entry = state.tokens.take_code(
                code,
                &client_id,
                now,
                |entry| {
                    if redirect != Some(&entry.redirect_uri) {
                        return Err(ZoomError::oauth_redirect_mismatch());
                    }
                    if let Some(challenge) = &entry.code_challenge {
                        let verifier = verifier.ok_or_else(ZoomError::oauth_invalid_grant)?;
                        let digest = sha2::Sha256::digest(verifier.as_bytes());
                        let computed =
                            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
                        if &computed != challenge {
                            return Err(ZoomError::oauth_invalid_grant());
                        }
                    }
                    Ok(())
                },
                ZoomError::oauth_invalid_grant,
            )?;
            Ok(grant_tokens(state, &app, Some(entry.user_id), now))
        }
        (Some("refresh_token"), AppAuth::UserOAuth { .. }) => {
            let refresh = params
                .get("refresh_token")
                .ok_or_else(|| ZoomError::oauth_missing_parameter("refresh_token"))?;
            let grant = state
                .tokens
                .take_refresh(refresh, &client_id)
                .ok_or_else(ZoomError::oauth_invalid_grant)?;
            Ok(grant_tokens(state, &app, Some(grant.user_id), now))
        }
        _ => Err(ZoomError::oauth_unsupported_grant()),
    }
}

/// Mint an access token shaped like Zoom's (a JWT-looking string), remember it, and for user
/// apps a rotating refresh token.
fn grant_tokens(
    state: &FakeState,
    app: &AppEntry,
    user_id: Option<String>,
    now: time::OffsetDateTime,
) -> serde_json::Value {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(br#"{"alg":"HS512","v":"2.0","kid":"fake"}"#);
    let payload = b64.encode(
        json!({
            "aud": "https://oauth.zoom.us",
            "iss": format!("zm:cid:{}", app.auth.key()),
            "aid": app.account_id,
            "iat": now.unix_timestamp(),
            "exp": now.unix_timestamp() + ACCESS_TOKEN_SECONDS,
            "jti": state.ids.token(12),
        })
        .to_string(),
    );
    let access = format!("{header}.{payload}.{}", state.ids.token(32));
    state.tokens.insert_access(
        access.clone(),
        AccessToken {
            app_key: app.auth.key().to_string(),
            user_id: user_id.clone(),
            expires_at: now + Duration::seconds(ACCESS_TOKEN_SECONDS),
        },
        now,
    );
    let scope = match &app.grant {
        Grant::Scopes(s) => s.to_space_separated(),
        Grant::Full => String::new(),
    };
    let mut body = json!({
        "access_token": access,
        "token_type": "bearer",
        "expires_in": EXPIRES_IN_REPORTED,
        "scope": scope,
        "api_url": state.base_url,
    });
    if let Some(user_id) = user_id {
        let refresh = format!(
            "{header}.{}.{}",
            b64.encode(state.ids.token(24)),
            state.ids.token(32)
        );
        state.tokens.insert_refresh(
            refresh.clone(),
            RefreshGrant {
                app_key: app.auth.key().to_string(),
                user_id,
            },
        );
        body["refresh_token"] = json!(refresh);
    }
    body
}

/// `GET /oauth/authorize`.
pub async fn authorize(
    State(state): State<Arc<FakeState>>,
    tag: Option<axum::Extension<JournalTag>>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = params(query.as_deref(), b"");
    let Some(app) = params.get("client_id").and_then(|id| state.app(id)) else {
        return ZoomError::oauth_invalid_client().into_response();
    };
    if let Some(tag) = tag {
        tag.0.set(&app.account_id, &app.name);
    }
    let AppAuth::UserOAuth {
        redirect_uri,
        user_id,
        ..
    } = &app.auth
    else {
        return ZoomError::oauth_unsupported_grant().into_response();
    };
    if params.get("response_type").map(String::as_str) != Some("code") {
        return ZoomError::oauth_missing_parameter("response_type").into_response();
    }
    if params.get("redirect_uri") != Some(redirect_uri) {
        return ZoomError::oauth_redirect_mismatch().into_response();
    }
    let challenge = params.get("code_challenge").cloned();
    if challenge.is_some()
        && params.get("code_challenge_method").map(String::as_str) != Some("S256")
    {
        return ZoomError::oauth_missing_parameter("code_challenge_method").into_response();
    }
    // The configured user id may be an email: store the user's id.
    let user = state
        .lock_account(&app.account_id)
        .and_then(|a| a.user(user_id).map(|u| u.id.clone()));
    let Some(user) = user else {
        return ZoomError::oauth_invalid_client().into_response();
    };
    let code = state.ids.token(24);
    state.tokens.insert_code(
        code.clone(),
        AuthCode {
            app_key: app.auth.key().to_string(),
            user_id: user,
            redirect_uri: redirect_uri.clone(),
            code_challenge: challenge,
            expires_at: state.now() + Duration::seconds(AUTH_CODE_SECONDS),
        },
    );
    let mut location = form_urlencoded::Serializer::new(String::new());
    location.append_pair("code", &code);
    if let Some(s) = params.get("state") {
        location.append_pair("state", s);
    }
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    (
        StatusCode::FOUND,
        [(
            header::LOCATION,
            format!("{redirect_uri}{sep}{}", location.finish()),
        )],
    )
        .into_response()
}
