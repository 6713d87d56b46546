//! Meetings: `POST|GET /v2/users/{userId}/meetings`, `GET|PATCH|DELETE /v2/meetings/{meetingId}`,
//! `PUT /v2/meetings/{meetingId}/status`.
//!
//! Choices where Zoom is silent: `end` on a meeting that is not running answers 204 and changes
//! nothing; `recover` brings back a deleted meeting (and answers 204 for one that exists);
//! a type 1 (instant) meeting stays listed after it ends, status `waiting`.

use std::sync::Arc;

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bytes::Bytes;
use serde_json::{Value, json};

use super::{ApiResult, admit, meeting_host, meeting_id, paginate, query, query_bool, segment};
use crate::auth::Caller;
use crate::auth::scopes::Endpoint;
use crate::model::account::DeletedMeeting;
use crate::model::input::{Fields, json_object};
use crate::model::meeting::{
    Meeting, MeetingInput, MeetingSettings, MeetingStatus, registration_url, zoom_time,
};
use crate::state::FakeState;
use crate::zoom_error::{FieldError, ZoomError};

const MEETING_TYPES: &[i64] = &[1, 2, 3, 8];

/// `POST /v2/users/{userId}/meetings` → 201 meeting object.
pub async fn create_meeting(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    user: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    let user_key = segment(user)?;
    caller.check(Endpoint::CreateMeeting, crate::auth::scopes::Target::Own)?;
    let obj = json_object(&body)?;
    let mut input = MeetingInput::parse(&obj, MEETING_TYPES).map_err(ZoomError::validation)?;
    let meeting_type = input.meeting_type.unwrap_or(2);
    if meeting_type == 8 && input.recurrence.is_none() {
        return Err(ZoomError::validation(vec![FieldError::new(
            "recurrence",
            "Required field.",
        )]));
    }
    let now = state.now();
    // Secrets and ids come from the generator before the account lock is taken.
    let id = state.ids.meeting_id();
    let uuid = state.ids.uuid();
    let encrypted = state.ids.token(24);
    let start_token = state.ids.token(32);
    let generated_pass = state.ids.passcode(6);
    let numeric_pass = state.ids.digits(6);

    let mut account = admit(&state, &caller, Endpoint::CreateMeeting)?;
    let account = &mut *account;
    let host = caller
        .resolve_user(account, &user_key)
        .ok_or_else(|| ZoomError::user_not_found(&user_key))?
        .clone();
    caller.check(Endpoint::CreateMeeting, caller.target(account, &host.id))?;
    if !host.can_host() {
        return Err(ZoomError::hosting_not_allowed());
    }
    account
        .rate
        .admit_user_write(&account.rate_limits, &host.id, now)?;
    input.resolve_start(&host.timezone);

    let mut settings = MeetingSettings::default();
    if let Some(obj) = &input.settings {
        settings.apply(obj, &mut Vec::new());
    }
    let password = match (&input.password, input.default_password) {
        (Some(p), _) => p.clone(),
        (None, Some(false)) => String::new(),
        (None, _) => generated_pass,
    };
    let join_url = format!("{}/j/{id}?pwd={encrypted}", state.base_url);
    let mut meeting = Meeting {
        id,
        uuid,
        host_id: host.id.clone(),
        host_email: host.email.clone(),
        topic: input.topic.unwrap_or_else(|| "Zoom Meeting".into()),
        meeting_type,
        status: MeetingStatus::Waiting,
        start_time: input.start_time.filter(|t| *t >= now),
        duration: input.duration.unwrap_or(60),
        timezone: input.timezone.unwrap_or_else(|| host.timezone.clone()),
        agenda: input.agenda.unwrap_or_default(),
        created_at: now,
        start_url: format!("{}/s/{id}?zak={start_token}", state.base_url),
        registration_url: registration_url(&join_url, &settings),
        join_url,
        h323_password: if password.is_empty() {
            String::new()
        } else {
            numeric_pass.clone()
        },
        pstn_password: if password.is_empty() {
            String::new()
        } else {
            numeric_pass
        },
        encrypted_password: if password.is_empty() {
            String::new()
        } else {
            encrypted
        },
        password,
        pre_schedule: input.pre_schedule.unwrap_or(false),
        settings,
        recurrence: input.recurrence,
        occurrences: Vec::new(),
        creation_source: "open_api",
        registrants: Vec::new(),
    };
    meeting.refresh_schedule(now);
    if meeting.meeting_type == 8 && meeting.occurrences.is_empty() {
        return Err(ZoomError::validation(vec![
            crate::model::meeting::no_occurrence_error(),
        ]));
    }
    // A new meeting has no deleted occurrences: its serialized form is the meeting object.
    let body = serde_json::to_vec(&meeting).unwrap_or_default();
    account.meetings.insert(id, meeting);
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response())
}

/// `GET /v2/users/{userId}/meetings` → Zoom's paginated list.
pub async fn list_meetings(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    user: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let user_key = segment(user)?;
    let q = query(raw.as_deref());
    let kind = q
        .get("type")
        .filter(|s| !s.is_empty())
        .map(String::as_str)
        .unwrap_or("scheduled");
    if !matches!(
        kind,
        "scheduled" | "live" | "upcoming" | "upcoming_meetings" | "previous_meetings"
    ) {
        return Err(ZoomError::invalid_parameter("type"));
    }
    let now = state.now();
    let mut account = admit(&state, &caller, Endpoint::ListMeetings)?;
    let account = &mut *account;
    let host = caller
        .resolve_user(account, &user_key)
        .ok_or_else(|| ZoomError::user_not_found(&user_key))?
        .clone();
    caller.check(Endpoint::ListMeetings, caller.target(account, &host.id))?;
    let items: Vec<Value> = account
        .meetings
        .values()
        .filter(|m| m.host_id == host.id)
        .filter(|m| {
            let upcoming =
                matches!(m.meeting_type, 3 | 8) || m.start_time.is_some_and(|t| t >= now);
            match kind {
                "live" => m.status == MeetingStatus::Started,
                "upcoming" | "upcoming_meetings" => upcoming,
                "previous_meetings" => !upcoming,
                _ => true,
            }
        })
        .map(list_item)
        .collect();
    let list = format!("meetings:{}:{kind}", host.id);
    let page = paginate(account, &state.ids, &list, items, &q, now)?;
    let mut body = page.fields;
    body["meetings"] = Value::Array(page.items);
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

fn list_item(m: &Meeting) -> Value {
    let mut item = json!({
        "uuid": m.uuid,
        "id": m.id,
        "host_id": m.host_id,
        "topic": m.topic,
        "type": m.meeting_type,
        "duration": m.duration,
        "timezone": m.timezone,
        "agenda": m.agenda.chars().take(250).collect::<String>(),
        "created_at": zoom_time::format(m.created_at),
        "join_url": m.join_url,
    });
    if let Some(t) = m.start_time {
        item["start_time"] = json!(zoom_time::format(t));
    }
    item
}

/// `GET /v2/meetings/{meetingId}` → 200 meeting object.
pub async fn get_meeting(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let raw_id = segment(path)?;
    let q = query(raw.as_deref());
    let show_previous = query_bool(&q, "show_previous_occurrences")?;
    let occurrence = q.get("occurrence_id").filter(|s| !s.is_empty()).cloned();
    let account = admit(&state, &caller, Endpoint::GetMeeting)?;
    let id = meeting_id(&raw_id)?;
    let meeting = account
        .meetings
        .get(&id)
        .ok_or_else(|| ZoomError::meeting_not_found(id))?;
    caller.check(
        Endpoint::GetMeeting,
        caller.target(&account, &meeting.host_id),
    )?;
    if let Some(o) = &occurrence
        && meeting.occurrence(o).is_none()
    {
        return Err(ZoomError::invalid_parameter("occurrence_id"));
    }
    let body = meeting.to_json(occurrence.as_deref(), show_previous);
    drop(account);
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// `PATCH /v2/meetings/{meetingId}[?occurrence_id=]` → 204.
pub async fn update_meeting(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> ApiResult {
    let raw_id = segment(path)?;
    let q = query(raw.as_deref());
    let occurrence = q.get("occurrence_id").filter(|s| !s.is_empty()).cloned();
    caller.check(Endpoint::UpdateMeeting, crate::auth::scopes::Target::Own)?;
    let obj = json_object(&body)?;
    let mut input = MeetingInput::parse(&obj, MEETING_TYPES).map_err(ZoomError::validation)?;
    let now = state.now();
    let mut account = admit(&state, &caller, Endpoint::UpdateMeeting)?;
    let account = &mut *account;
    let id = meeting_id(&raw_id)?;
    let host_id = meeting_host(account, &caller, Endpoint::UpdateMeeting, id)?;
    account
        .rate
        .admit_user_write(&account.rate_limits, &host_id, now)?;
    let account_id = account.id.clone();
    let meeting = account
        .meetings
        .get_mut(&id)
        .ok_or_else(|| ZoomError::meeting_not_found(id))?;
    input.resolve_start(&meeting.timezone);
    match occurrence {
        Some(o) => {
            // One occurrence: its start time and duration (Zoom also takes agenda and a few
            // settings per occurrence; the fake keeps those meeting-wide).
            let duration = input.duration;
            let start = input.start_time;
            let occ = meeting
                .occurrences
                .iter_mut()
                .find(|x| x.occurrence_id == o)
                .ok_or_else(|| ZoomError::invalid_parameter("occurrence_id"))?;
            if let Some(d) = duration {
                occ.duration = d;
            }
            if let Some(t) = start.filter(|t| *t >= now) {
                occ.start_time = t;
            }
            if let Some(a) = input.agenda {
                meeting.agenda = a;
            }
        }
        None => {
            meeting
                .apply_update(input, now)
                .map_err(ZoomError::validation)?;
            // Turning the waiting room off admits those in it (fake-live).
            state.live.settings_changed(&state, meeting, &account_id);
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /v2/meetings/{meetingId}[?occurrence_id=]` → 204; a second delete → 404 3001.
pub async fn delete_meeting(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let raw_id = segment(path)?;
    let q = query(raw.as_deref());
    query_bool(&q, "schedule_for_reminder")?;
    query_bool(&q, "cancel_meeting_reminder")?;
    let occurrence = q.get("occurrence_id").filter(|s| !s.is_empty()).cloned();
    let now = state.now();
    let mut account = admit(&state, &caller, Endpoint::DeleteMeeting)?;
    let account = &mut *account;
    let id = meeting_id(&raw_id)?;
    meeting_host(account, &caller, Endpoint::DeleteMeeting, id)?;
    match occurrence {
        Some(o) => {
            let meeting = account
                .meetings
                .get_mut(&id)
                .ok_or_else(|| ZoomError::meeting_not_found(id))?;
            let occ = meeting
                .occurrences
                .iter_mut()
                .find(|x| x.occurrence_id == o && x.status == "available")
                .ok_or_else(|| ZoomError::invalid_parameter("occurrence_id"))?;
            occ.status = "deleted".into();
        }
        None => {
            if let Some(mut meeting) = account.meetings.remove(&id) {
                // A live instance ends with its meeting (fake-live).
                let cause = crate::model::room::EndCause::MeetingDeleted;
                if state.live.end_known(&state, &meeting, &account.id, cause) {
                    meeting.uuid = state.ids.uuid();
                    meeting.status = crate::model::meeting::MeetingStatus::Waiting;
                }
                account.deleted_meetings.insert(
                    id,
                    DeletedMeeting {
                        meeting,
                        deleted_at: now,
                    },
                );
            }
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `PUT /v2/meetings/{meetingId}/status` `{"action":"end"|"recover"}` → 204.
pub async fn meeting_status(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    let raw_id = segment(path)?;
    caller.check(Endpoint::MeetingStatus, crate::auth::scopes::Target::Own)?;
    let obj = json_object(&body)?;
    let mut f = Fields::new(&obj, "");
    let action = f.str_enum("action", &["end", "recover"]);
    if !f.has("action") {
        f.error("action", Some("Required field."));
    }
    let errors = f.into_errors();
    if !errors.is_empty() {
        return Err(ZoomError::validation(errors));
    }
    let mut account = admit(&state, &caller, Endpoint::MeetingStatus)?;
    let account = &mut *account;
    let id = meeting_id(&raw_id)?;
    match action.as_deref() {
        Some("recover") => {
            let host_id = match (account.meetings.get(&id), account.deleted_meetings.get(&id)) {
                (Some(m), _) => m.host_id.clone(),
                (None, Some(d)) => d.meeting.host_id.clone(),
                (None, None) => return Err(ZoomError::meeting_not_found(id)),
            };
            caller.check(Endpoint::MeetingStatus, caller.target(account, &host_id))?;
            if let Some(deleted) = account.deleted_meetings.remove(&id) {
                account.meetings.insert(id, deleted.meeting);
            }
        }
        _ => {
            let meeting = account
                .meetings
                .get(&id)
                .ok_or_else(|| ZoomError::meeting_not_found(id))?;
            caller.check(
                Endpoint::MeetingStatus,
                caller.target(account, &meeting.host_id),
            )?;
            let account_id = account.id.clone();
            if let Some(meeting) = account.meetings.get_mut(&id) {
                // The live instance ends: participants out, recordings, webhooks (fake-live).
                let cause = crate::model::room::EndCause::ApiEnded;
                if state.live.end_known(&state, meeting, &account_id, cause) {
                    meeting.uuid = state.ids.uuid();
                }
                meeting.status = MeetingStatus::Waiting;
            }
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
