//! Meeting registrants: `GET|POST /v2/meetings/{meetingId}/registrants`,
//! `PUT /v2/meetings/{meetingId}/registrants/status`.
//!
//! Registration must be on (`approval_type` 0 automatic or 1 manual); otherwise code 3000.
//! Automatic approval makes registrants `approved`, manual makes them `pending`. Registering an
//! email twice returns the existing registration, as Zoom does. `cancel` and `deny` both leave
//! the registrant `denied` (the status enum has no other value).

use std::sync::Arc;

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bytes::Bytes;
use serde_json::{Value, json};

use super::{ApiResult, admit, meeting_host, meeting_id, paginate, query, segment};
use crate::auth::Caller;
use crate::auth::scopes::{Endpoint, Target};
use crate::model::input::{Fields, json_object, looks_like_email};
use crate::model::meeting::{Registrant, zoom_time};
use crate::state::FakeState;
use crate::zoom_error::ZoomError;

/// `GET /v2/meetings/{meetingId}/registrants`.
pub async fn list_registrants(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let raw_id = segment(path)?;
    let q = query(raw.as_deref());
    let status = q
        .get("status")
        .filter(|s| !s.is_empty())
        .map(String::as_str)
        .unwrap_or("approved")
        .to_string();
    if !matches!(status.as_str(), "pending" | "approved" | "denied") {
        return Err(ZoomError::invalid_parameter("status"));
    }
    let occurrence = q.get("occurrence_id").filter(|s| !s.is_empty()).cloned();
    let now = state.now();
    let mut account = admit(&state, &caller, Endpoint::ListRegistrants)?;
    let account = &mut *account;
    let id = meeting_id(&raw_id)?;
    let meeting = account
        .meetings
        .get(&id)
        .ok_or_else(|| ZoomError::meeting_not_found(id))?;
    caller.check(
        Endpoint::ListRegistrants,
        caller.target(account, &meeting.host_id),
    )?;
    if let Some(o) = &occurrence
        && meeting.occurrence(o).is_none()
    {
        return Err(ZoomError::invalid_parameter("occurrence_id"));
    }
    let items: Vec<Value> = meeting
        .registrants
        .iter()
        .filter(|r| r.status == status)
        .filter(|r| match &occurrence {
            Some(o) => r.occurrence_ids.is_empty() || r.occurrence_ids.contains(o),
            None => true,
        })
        .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
        .collect();
    let list = format!("registrants:{id}:{status}");
    let page = paginate(account, &state.ids, &list, items, &q, now)?;
    let mut body = page.fields;
    body["registrants"] = Value::Array(page.items);
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// `POST /v2/meetings/{meetingId}/registrants[?occurrence_ids=a,b]` → 201.
pub async fn add_registrant(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> ApiResult {
    let raw_id = segment(path)?;
    caller.check(Endpoint::AddRegistrant, Target::Own)?;
    let q = query(raw.as_deref());
    let obj = json_object(&body)?;
    let mut f = Fields::new(&obj, "");
    let email = f.string_max("email", 128);
    let first_name = f.string_max("first_name", 64);
    let last_name = f.string_max("last_name", 64).unwrap_or_default();
    if !f.has("email") {
        f.error("email", Some("Required field."));
    } else if email.as_deref().is_some_and(|e| !looks_like_email(e)) {
        f.error("email", None);
    }
    if !f.has("first_name") {
        f.error("first_name", Some("Required field."));
    }
    let errors = f.into_errors();
    if !errors.is_empty() {
        return Err(ZoomError::validation(errors));
    }
    let (email, first_name) = (email.unwrap_or_default(), first_name.unwrap_or_default());
    let occurrence_ids: Vec<String> = q
        .get("occurrence_ids")
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let now = state.now();
    let new_id = state.ids.zoom_id();
    let pwd = state.ids.token(16);
    let pin = state.ids.digits(9);
    let mut account = admit(&state, &caller, Endpoint::AddRegistrant)?;
    let account = &mut *account;
    let id = meeting_id(&raw_id)?;
    meeting_host(account, &caller, Endpoint::AddRegistrant, id)?;
    let meeting = account
        .meetings
        .get_mut(&id)
        .ok_or_else(|| ZoomError::meeting_not_found(id))?;
    if meeting.settings.approval_type == 2 {
        return Err(ZoomError::registration_disabled(id));
    }
    if let Some(bad) = occurrence_ids
        .iter()
        .find(|o| meeting.occurrence(o).is_none())
    {
        let _ = bad;
        return Err(ZoomError::invalid_parameter("occurrence_ids"));
    }
    let registrant = match meeting
        .registrants
        .iter()
        .find(|r| r.email.eq_ignore_ascii_case(&email))
    {
        Some(existing) => existing.clone(),
        None => {
            let registrant = Registrant {
                join_url: format!("{}/w/{id}?tk={pwd}", state.base_url),
                id: new_id,
                email,
                first_name,
                last_name,
                status: if meeting.settings.approval_type == 0 {
                    "approved".into()
                } else {
                    "pending".into()
                },
                create_time: now,
                occurrence_ids,
            };
            meeting.registrants.push(registrant.clone());
            registrant
        }
    };
    let occurrences: Vec<Value> = meeting
        .occurrences
        .iter()
        .filter(|o| {
            registrant.occurrence_ids.is_empty()
                || registrant.occurrence_ids.contains(&o.occurrence_id)
        })
        .map(|o| serde_json::to_value(o).unwrap_or(Value::Null))
        .collect();
    let mut body = json!({
        "id": id,
        "join_url": registrant.join_url,
        "registrant_id": registrant.id,
        "topic": meeting.topic,
        "participant_pin_code": pin.parse::<u64>().unwrap_or(0),
    });
    if let Some(t) = meeting.start_time {
        body["start_time"] = json!(zoom_time::format(t));
    }
    if !occurrences.is_empty() {
        body["occurrences"] = Value::Array(occurrences);
    }
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// `PUT /v2/meetings/{meetingId}/registrants/status` `{"action","registrants":[{id|email}]}`.
pub async fn registrant_status(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    let raw_id = segment(path)?;
    caller.check(Endpoint::RegistrantStatus, Target::Own)?;
    let obj = json_object(&body)?;
    let mut f = Fields::new(&obj, "");
    let action = f.str_enum("action", &["approve", "cancel", "deny"]);
    if !f.has("action") {
        f.error("action", Some("Required field."));
    }
    let mut keys: Vec<(Option<String>, Option<String>)> = Vec::new();
    if let Some(items) = f.array("registrants") {
        for item in items {
            let id = item.get("id").and_then(Value::as_str).map(String::from);
            let email = item.get("email").and_then(Value::as_str).map(String::from);
            if id.is_none() && email.is_none() {
                f.error("registrants", None);
                break;
            }
            keys.push((id, email));
        }
    }
    let errors = f.into_errors();
    if !errors.is_empty() {
        return Err(ZoomError::validation(errors));
    }
    let new_status = match action.as_deref() {
        Some("approve") => "approved",
        _ => "denied",
    };
    let mut account = admit(&state, &caller, Endpoint::RegistrantStatus)?;
    let account = &mut *account;
    let id = meeting_id(&raw_id)?;
    meeting_host(account, &caller, Endpoint::RegistrantStatus, id)?;
    let meeting = account
        .meetings
        .get_mut(&id)
        .ok_or_else(|| ZoomError::meeting_not_found(id))?;
    if meeting.settings.approval_type == 2 {
        return Err(ZoomError::registration_disabled(id));
    }
    for r in meeting.registrants.iter_mut() {
        let selected = keys.is_empty()
            || keys.iter().any(|(kid, kemail)| {
                kid.as_deref() == Some(r.id.as_str())
                    || kemail
                        .as_deref()
                        .is_some_and(|e| e.eq_ignore_ascii_case(&r.email))
            });
        if selected {
            r.status = new_status.into();
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
