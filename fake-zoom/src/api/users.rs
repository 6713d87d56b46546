//! Users: `GET /v2/users/{userId}` (id, email or `me`) and `GET /v2/users` (paginated).

use std::sync::Arc;

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::{ApiResult, admit, paginate, query, segment};
use crate::auth::Caller;
use crate::auth::scopes::Endpoint;
use crate::state::FakeState;
use crate::zoom_error::ZoomError;

/// `GET /v2/users/{userId}` → 200 user object; unknown → 404 code 1001.
pub async fn get_user(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    user: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let key = segment(user)?;
    let account = admit(&state, &caller, Endpoint::GetUser)?;
    let user = caller
        .resolve_user(&account, &key)
        .ok_or_else(|| ZoomError::user_not_found(&key))?;
    caller.check(Endpoint::GetUser, caller.target(&account, &user.id))?;
    let body = serde_json::to_value(user).unwrap_or(Value::Null);
    drop(account);
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// `GET /v2/users[?status=&page_size=&next_page_token=]` → Zoom's paginated list.
pub async fn list_users(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let q = query(raw.as_deref());
    let status = q
        .get("status")
        .filter(|s| !s.is_empty())
        .map(String::as_str)
        .unwrap_or("active");
    if !matches!(status, "active" | "inactive" | "pending") {
        return Err(ZoomError::invalid_parameter("status"));
    }
    let now = state.now();
    let mut account = admit(&state, &caller, Endpoint::ListUsers)?;
    let account = &mut *account;
    let items: Vec<Value> = account
        .users
        .iter()
        .filter(|u| u.status == status)
        .map(|u| {
            json!({
                "id": u.id,
                "first_name": u.first_name,
                "last_name": u.last_name,
                "display_name": u.display_name,
                "email": u.email,
                "type": u.user_type,
                "pmi": u.pmi,
                "timezone": u.timezone,
                "verified": u.verified,
                "created_at": crate::model::meeting::zoom_time::format(u.created_at),
                "user_created_at": crate::model::meeting::zoom_time::format(u.user_created_at),
                "language": u.language,
                "status": u.status,
                "role_id": match u.role { crate::config::Role::Owner => "0", crate::config::Role::Admin => "1", crate::config::Role::Member => "2" },
            })
        })
        .collect();
    let page = paginate(
        account,
        &state.ids,
        &format!("users:{status}"),
        items,
        &q,
        now,
    )?;
    let mut body = page.fields;
    body["users"] = Value::Array(page.items);
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}
