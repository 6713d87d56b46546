//! The control API under `/_fake/`: what Zoom does not expose over REST but tests and people
//! need. Each route mirrors an operation on the [`crate::FakeZoom`] handle.
//!
//! | route | does |
//! | --- | --- |
//! | `GET /_fake/state` | JSON snapshot of the state, secrets scrubbed |
//! | `POST /_fake/reset` | back to the configured state |
//! | `GET /_fake/clock` | `{"now": RFC 3339, "paused": bool}` |
//! | `POST /_fake/clock/advance` | `{"seconds": N}` |
//! | `GET /_fake/journal[?since=SEQ]` | recorded requests, oldest first |
//! | `PUT /_fake/apps/{key}/scopes` | `{"scopes": [...]}` replaces an app's scopes |
//! | `POST /_fake/apps/{key}/revoke_tokens` | revokes every token of the app |
//! | `POST /_fake/faults` | installs a [`crate::faults::FaultRule`] |
//! | `GET /_fake/faults` / `DELETE /_fake/faults` | lists / clears them |
//!
//! Errors: `{"code": <http status>, "message": "..."}`.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::faults::FaultRule;
use crate::state::{ControlError, FakeState};

/// The `/_fake` router.
pub fn router() -> Router<Arc<FakeState>> {
    Router::new()
        .route("/state", get(state_snapshot))
        .route("/reset", post(reset))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route("/journal", get(journal))
        .route("/apps/{key}/scopes", put(set_scopes))
        .route("/apps/{key}/revoke_tokens", post(revoke))
        .route(
            "/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .merge(crate::control_rooms::router())
}

/// A control-API error body.
pub fn control_error(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        axum::Json(json!({"code": status.as_u16(), "message": message.into()})),
    )
        .into_response()
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Box<Response>> {
    serde_json::from_slice(body).map_err(|e| {
        Box::new(control_error(
            StatusCode::BAD_REQUEST,
            format!("invalid body: {e}"),
        ))
    })
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let status = match self {
            ControlError::UnknownApp(_) => StatusCode::NOT_FOUND,
            ControlError::InvalidScopes(_) => StatusCode::BAD_REQUEST,
        };
        control_error(status, self.to_string())
    }
}

async fn state_snapshot(State(state): State<Arc<FakeState>>) -> Response {
    axum::Json(state.snapshot()).into_response()
}

async fn reset(State(state): State<Arc<FakeState>>) -> Response {
    state.reset();
    StatusCode::NO_CONTENT.into_response()
}

fn clock_body(state: &FakeState) -> Value {
    let now = state
        .now()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    json!({"now": now, "paused": state.clock.is_paused()})
}

async fn clock(State(state): State<Arc<FakeState>>) -> Response {
    axum::Json(clock_body(&state)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: f64,
}

async fn advance(State(state): State<Arc<FakeState>>, body: Bytes) -> Response {
    let advance: Advance = match parse(&body) {
        Ok(a) => a,
        Err(e) => return *e,
    };
    if !advance.seconds.is_finite() || advance.seconds < 0.0 || advance.seconds > 3.2e9 {
        return control_error(
            StatusCode::BAD_REQUEST,
            "seconds must be a non-negative number (at most about 100 years)",
        );
    }
    state.advance_clock(Duration::from_secs_f64(advance.seconds));
    axum::Json(clock_body(&state)).into_response()
}

async fn journal(State(state): State<Arc<FakeState>>, RawQuery(raw): RawQuery) -> Response {
    let q = crate::api::query(raw.as_deref());
    let since = match q.get("since").map(|s| s.parse::<u64>()) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return control_error(StatusCode::BAD_REQUEST, "since must be a number"),
    };
    let entries: Vec<_> = state
        .journal
        .entries()
        .into_iter()
        .filter(|e| e.seq >= since)
        .collect();
    axum::Json(entries).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scopes {
    scopes: Vec<String>,
}

async fn set_scopes(
    State(state): State<Arc<FakeState>>,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    let scopes: Scopes = match parse(&body) {
        Ok(s) => s,
        Err(e) => return *e,
    };
    match state.set_app_scopes(&key, scopes.scopes) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn revoke(State(state): State<Arc<FakeState>>, Path(key): Path<String>) -> Response {
    match state.revoke_tokens(&key) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn add_fault(State(state): State<Arc<FakeState>>, body: Bytes) -> Response {
    let rule: FaultRule = match parse(&body) {
        Ok(r) => r,
        Err(e) => return *e,
    };
    match state.faults.add(rule) {
        Ok(()) => StatusCode::CREATED.into_response(),
        Err(e) => control_error(StatusCode::BAD_REQUEST, e),
    }
}

async fn list_faults(State(state): State<Arc<FakeState>>) -> Response {
    axum::Json(state.faults.rules()).into_response()
}

async fn clear_faults(State(state): State<Arc<FakeState>>) -> Response {
    state.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}
