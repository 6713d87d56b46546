//! Webinars: `POST|GET /v2/users/{userId}/webinars`, `GET|PATCH|DELETE /v2/webinars/{webinarId}`,
//! `PUT /v2/webinars/{webinarId}/status`.
//!
//! The host needs a webinar licence (else 400 code 200 "Webinar plan is missing..."). Webinar
//! writes count against the same 100-per-host-per-day create/update cap as meetings. Zoom's spec
//! documents a 200 for the status endpoint whose text is an error; the fake answers 204 (the
//! fact sheet's choice).

use std::sync::Arc;

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bytes::Bytes;
use serde_json::{Value, json};

use super::{ApiResult, admit, paginate, query, query_bool, segment, webinar_host};
use crate::auth::Caller;
use crate::auth::scopes::{Endpoint, Target};
use crate::model::input::{Fields, json_object};
use crate::model::meeting::zoom_time;
use crate::model::webinar::{Webinar, WebinarSettings, WebinarStatus, parse_webinar_input};
use crate::state::FakeState;
use crate::zoom_error::{FieldError, ZoomError};

fn webinar_id(raw: &str) -> Result<u64, ZoomError> {
    raw.trim()
        .parse::<u64>()
        .map_err(|_| ZoomError::webinar_not_found(raw))
}

/// `POST /v2/users/{userId}/webinars` → 201 webinar object.
pub async fn create_webinar(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    user: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    let user_key = segment(user)?;
    caller.check(Endpoint::CreateWebinar, Target::Own)?;
    let obj = json_object(&body)?;
    let mut input = parse_webinar_input(&obj).map_err(ZoomError::validation)?;
    let webinar_type = input.meeting_type.unwrap_or(5);
    if webinar_type == 9 && input.recurrence.is_none() {
        return Err(ZoomError::validation(vec![FieldError::new(
            "recurrence",
            "Required field.",
        )]));
    }
    let now = state.now();
    let id = state.ids.meeting_id();
    let uuid = state.ids.uuid();
    let encrypted = state.ids.token(24);
    let start_token = state.ids.token(32);
    let generated = state.ids.passcode(6);
    let numeric = state.ids.digits(6);
    let mut account = admit(&state, &caller, Endpoint::CreateWebinar)?;
    let account = &mut *account;
    let host = caller
        .resolve_user(account, &user_key)
        .ok_or_else(|| ZoomError::user_not_found(&user_key))?
        .clone();
    caller.check(Endpoint::CreateWebinar, caller.target(account, &host.id))?;
    if !host.webinar_license {
        return Err(ZoomError::webinar_plan_missing(&host.id));
    }
    account
        .rate
        .admit_user_write(&account.rate_limits, &host.id, now)?;
    input.resolve_start(&host.timezone);
    let mut settings = WebinarSettings::default();
    if let Some(obj) = &input.settings {
        settings.apply(obj, &mut Vec::new());
    }
    let password = match (&input.password, input.default_password) {
        (Some(p), _) => p.clone(),
        (None, Some(false)) => String::new(),
        (None, _) => generated,
    };
    let join_url = format!("{}/w/{id}?pwd={encrypted}", state.base_url);
    let mut webinar = Webinar {
        id,
        uuid,
        host_id: host.id.clone(),
        host_email: host.email.clone(),
        topic: input.topic.unwrap_or_else(|| "Zoom Webinar".into()),
        webinar_type,
        start_time: input.start_time.filter(|t| *t >= now),
        duration: input.duration.unwrap_or(60),
        timezone: input.timezone.unwrap_or_else(|| host.timezone.clone()),
        agenda: input.agenda.unwrap_or_default(),
        created_at: now,
        start_url: format!("{}/s/{id}?zak={start_token}", state.base_url),
        registration_url: (settings.approval_type != 2)
            .then(|| format!("{}/webinar/register/{id}", state.base_url)),
        join_url,
        encrypted_passcode: if password.is_empty() {
            String::new()
        } else {
            encrypted
        },
        h323_passcode: if password.is_empty() {
            String::new()
        } else {
            numeric
        },
        password,
        settings,
        recurrence: input.recurrence,
        occurrences: Vec::new(),
        is_simulive: false,
        creation_source: "open_api",
        status: WebinarStatus::Waiting,
    };
    webinar.refresh_schedule(now);
    if webinar.webinar_type == 9 && webinar.occurrences.is_empty() {
        return Err(ZoomError::validation(vec![
            crate::model::meeting::no_occurrence_error(),
        ]));
    }
    let body = serde_json::to_value(&webinar).unwrap_or(Value::Null);
    account.webinars.insert(id, webinar);
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// `GET /v2/users/{userId}/webinars` → paginated list.
pub async fn list_webinars(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    user: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let user_key = segment(user)?;
    let q = query(raw.as_deref());
    let now = state.now();
    let mut account = admit(&state, &caller, Endpoint::ListWebinars)?;
    let account = &mut *account;
    let host = caller
        .resolve_user(account, &user_key)
        .ok_or_else(|| ZoomError::user_not_found(&user_key))?
        .clone();
    caller.check(Endpoint::ListWebinars, caller.target(account, &host.id))?;
    let items: Vec<Value> = account
        .webinars
        .values()
        .filter(|w| w.host_id == host.id)
        .map(|w| {
            let mut item = json!({
                "uuid": w.uuid, "id": w.id, "host_id": w.host_id, "topic": w.topic,
                "type": w.webinar_type, "duration": w.duration, "timezone": w.timezone,
                "agenda": w.agenda, "created_at": zoom_time::format(w.created_at),
                "join_url": w.join_url,
            });
            if let Some(t) = w.start_time {
                item["start_time"] = json!(zoom_time::format(t));
            }
            item
        })
        .collect();
    let page = paginate(
        account,
        &state.ids,
        &format!("webinars:{}", host.id),
        items,
        &q,
        now,
    )?;
    let mut body = page.fields;
    body["webinars"] = Value::Array(page.items);
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// `GET /v2/webinars/{webinarId}` → 200.
pub async fn get_webinar(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let raw_id = segment(path)?;
    let q = query(raw.as_deref());
    let show_previous = query_bool(&q, "show_previous_occurrences")?;
    let account = admit(&state, &caller, Endpoint::GetWebinar)?;
    let id = webinar_id(&raw_id)?;
    let webinar = account
        .webinars
        .get(&id)
        .ok_or_else(|| ZoomError::webinar_not_found(id))?;
    caller.check(
        Endpoint::GetWebinar,
        caller.target(&account, &webinar.host_id),
    )?;
    let mut body = serde_json::to_value(webinar).unwrap_or(Value::Null);
    if !show_previous && let Some(Value::Array(items)) = body.get_mut("occurrences") {
        items.retain(|o| o["status"] == "available");
    }
    drop(account);
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// `PATCH /v2/webinars/{webinarId}` → 204.
pub async fn update_webinar(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    let raw_id = segment(path)?;
    caller.check(Endpoint::UpdateWebinar, Target::Own)?;
    let obj = json_object(&body)?;
    let mut input = parse_webinar_input(&obj).map_err(ZoomError::validation)?;
    let now = state.now();
    let mut account = admit(&state, &caller, Endpoint::UpdateWebinar)?;
    let account = &mut *account;
    let id = webinar_id(&raw_id)?;
    let host_id = webinar_host(account, &caller, Endpoint::UpdateWebinar, id)?;
    account
        .rate
        .admit_user_write(&account.rate_limits, &host_id, now)?;
    let webinar = account
        .webinars
        .get_mut(&id)
        .ok_or_else(|| ZoomError::webinar_not_found(id))?;
    input.resolve_start(&webinar.timezone);
    webinar
        .apply_update(input, now)
        .map_err(ZoomError::validation)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /v2/webinars/{webinarId}[?occurrence_id=]` → 204.
pub async fn delete_webinar(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let raw_id = segment(path)?;
    let q = query(raw.as_deref());
    query_bool(&q, "cancel_webinar_reminder")?;
    let occurrence = q.get("occurrence_id").filter(|s| !s.is_empty()).cloned();
    let mut account = admit(&state, &caller, Endpoint::DeleteWebinar)?;
    let account = &mut *account;
    let id = webinar_id(&raw_id)?;
    webinar_host(account, &caller, Endpoint::DeleteWebinar, id)?;
    match occurrence {
        Some(o) => {
            let webinar = account
                .webinars
                .get_mut(&id)
                .ok_or_else(|| ZoomError::webinar_not_found(id))?;
            let occ = webinar
                .occurrences
                .iter_mut()
                .find(|x| x.occurrence_id == o && x.status == "available")
                .ok_or_else(|| ZoomError::invalid_parameter("occurrence_id"))?;
            occ.status = "deleted".into();
        }
        None => {
            account.webinars.remove(&id);
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `PUT /v2/webinars/{webinarId}/status` `{"action":"end"}` (or no `action`) → 204.
pub async fn webinar_status(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    let raw_id = segment(path)?;
    caller.check(Endpoint::WebinarStatus, Target::Own)?;
    let obj = json_object(&body)?;
    // `action` is optional in Zoom's schema and `end` is its only value, so a body without it
    // ends the webinar (the zoomus client sends `{"status": "end"}`).
    let mut f = Fields::new(&obj, "");
    f.str_enum("action", &["end"]);
    let errors = f.into_errors();
    if !errors.is_empty() {
        return Err(ZoomError::validation(errors));
    }
    let mut account = admit(&state, &caller, Endpoint::WebinarStatus)?;
    let account = &mut *account;
    let id = webinar_id(&raw_id)?;
    webinar_host(account, &caller, Endpoint::WebinarStatus, id)?;
    if let Some(w) = account.webinars.get_mut(&id) {
        w.status = WebinarStatus::Waiting;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
