//! ZAK and OBF tokens: `GET /v2/users/{userId}/token?type=zak|onbehalf[&ttl=][&meeting_id=]` and
//! `GET /v2/users/me/zak`.
//!
//! Lifetimes (fact sheet 2.3): `type=zak` 2 hours by default, `ttl` up to one year;
//! `type=onbehalf` 2 hours by default, single use at join, optionally bound to `meeting_id`;
//! `/users/me/zak` five minutes. `type=token` (and no `type`, whose default is `token`) is
//! deprecated on Zoom and refused here with its text.
//!
//! **API Key/Secret apps cannot get a ZAK or OBF.** Zoom's only documented body for an
//! endpoint that refuses JWT-app auth is HTTP 400 code 124 "This API only supports OAuth2
//! authorization." (the local-recording join token endpoint); the fake answers exactly that
//! here. This is the behaviour the scribe bot's fallback (BOT-2) rests on.

use std::sync::Arc;

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use base64::Engine as _;
use serde_json::json;
use time::Duration;

use super::{ApiResult, admit, query, segment};
use crate::auth::Caller;
use crate::auth::scopes::Endpoint;
use crate::auth::tokens::{
    ME_ZAK_SECONDS, OBF_DEFAULT_SECONDS, USER_TOKEN_MAX_SECONDS, UserToken, UserTokenKind,
    ZAK_DEFAULT_SECONDS,
};
use crate::state::FakeState;
use crate::zoom_error::{FieldError, ZoomError};

/// `GET /v2/users/{userId}/token`.
pub async fn user_token(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    user: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let key = segment(user)?;
    caller.require_oauth()?;
    let q = query(raw.as_deref());
    let kind = match q.get("type").map(String::as_str).unwrap_or("token") {
        "zak" => UserTokenKind::Zak,
        "onbehalf" => UserTokenKind::Obf,
        "token" | "" => return Err(ZoomError::token_type_deprecated()),
        _ => return Err(ZoomError::validation(vec![FieldError::invalid("type")])),
    };
    let default_ttl = match kind {
        UserTokenKind::Zak => ZAK_DEFAULT_SECONDS,
        UserTokenKind::Obf => OBF_DEFAULT_SECONDS,
    };
    let ttl = match q.get("ttl").filter(|s| !s.is_empty()) {
        None => default_ttl,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=USER_TOKEN_MAX_SECONDS).contains(&n) => n,
            _ => return Err(ZoomError::invalid_parameter("ttl")),
        },
    };
    let meeting_id = match q.get("meeting_id").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            s.parse::<u64>()
                .map_err(|_| ZoomError::invalid_parameter("meeting_id"))?,
        ),
    };
    let account = admit(&state, &caller, Endpoint::UserToken)?;
    let user = caller
        .resolve_user(&account, &key)
        .ok_or_else(|| ZoomError::user_not_found(&key))?;
    caller.check(Endpoint::UserToken, caller.target(&account, &user.id))?;
    let user_id = user.id.clone();
    drop(account);
    let token = mint(&state, &caller, kind, user_id, ttl, meeting_id);
    Ok((StatusCode::OK, axum::Json(json!({ "token": token }))).into_response())
}

/// `GET /v2/users/me/zak` → a ZAK valid five minutes.
pub async fn my_zak(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    caller.require_oauth()?;
    let account = admit(&state, &caller, Endpoint::MyZak)?;
    let me = caller
        .me(&account)
        .ok_or_else(|| ZoomError::zak_user_not_found("me"))?;
    let user_id = me.id.clone();
    drop(account);
    let token = mint(
        &state,
        &caller,
        UserTokenKind::Zak,
        user_id,
        ME_ZAK_SECONDS,
        None,
    );
    Ok((StatusCode::OK, axum::Json(json!({ "token": token }))).into_response())
}

fn mint(
    state: &FakeState,
    caller: &Caller,
    kind: UserTokenKind,
    user_id: String,
    ttl: i64,
    meeting_id: Option<u64>,
) -> String {
    let now = state.now();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
    let payload = b64.encode(
        json!({
            "aud": "clientsm",
            "uid": user_id,
            "iss": "web",
            "sk": "0",
            "sty": if kind == UserTokenKind::Zak { 100 } else { 101 },
            "exp": now.unix_timestamp() + ttl,
            "iat": now.unix_timestamp(),
        })
        .to_string(),
    );
    let token = format!("{header}.{payload}.{}", state.ids.token(32));
    state.tokens.insert_user_token(
        token.clone(),
        UserToken {
            kind,
            account_id: caller.account_id().to_string(),
            user_id,
            app_key: caller.app.auth.key().to_string(),
            expires_at: now + Duration::seconds(ttl),
            meeting_id,
            used: false,
        },
        now,
    );
    token
}
