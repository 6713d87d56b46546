//! In-meeting controls: `PATCH /v2/live_meetings/{meetingId}/events` → 202.
//!
//! Zoom facts (fact sheet §2.3, the Meetings OpenAPI) and choices:
//! * Body `{"method": ..., "params": {...}}`. Methods: `recording.start|stop|pause|resume`,
//!   `participant.invite` (`params.contacts`, 1–10 items each with `email` or `id`),
//!   `participant.invite.callout`, `participant.invite.room_system_callout`,
//!   `waiting_room.update` (`params.waiting_room_title` / `waiting_room_description`),
//!   `ai_companion.start|stop|disable`.
//! * Preconditions: the meeting must be live (started): otherwise 404 code 3001 "Meeting
//!   {meetingId} is not found or has expired."; recording control is for cloud recording only
//!   and needs a paid plan (Free: 400 code 300 "This API is not available for this account.
//!   Please contact Zoom support."); starting a recording with the account's cloud storage full
//!   is 400 code 3309. The fake has no AI Companion: those methods answer 403 code 2314.
//! * The caller must be the host or an alternative host: for an app that is the scope check
//!   against the meeting's host (own scope for the token's user's meetings, `:admin` otherwise).
//! * `GET /v2/meetings/{meetingId}/jointoken/local_recording` (below) mints the join token a
//!   recording bot presents at join (`join_token` on the control API).
//! * Choices: `recording.stop` / `pause` / `resume` when there is nothing to stop, pause or
//!   resume are accepted (202) and change nothing; invitations change nothing in the room (they
//!   are notifications) but are validated.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Map, Value};

use super::{ApiResult, admit, meeting_id, segment};
use crate::auth::Caller;
use crate::auth::scopes::Endpoint;
use crate::config::Plan;
use crate::model::input::json_object;
use crate::model::room::{RoomEvent, Span};
use crate::state::FakeState;
use crate::zoom_error::{FieldError, ZoomError};

/// The methods Zoom defines.
const METHODS: &[&str] = &[
    "recording.start",
    "recording.stop",
    "recording.pause",
    "recording.resume",
    "participant.invite",
    "participant.invite.callout",
    "participant.invite.room_system_callout",
    "waiting_room.update",
    "ai_companion.start",
    "ai_companion.stop",
    "ai_companion.disable",
];

fn validate(method: &str, params: &Map<String, Value>) -> Result<(), ZoomError> {
    let invalid =
        |field: &str| ZoomError::validation(vec![FieldError::invalid(format!("params.{field}"))]);
    match method {
        "participant.invite" => {
            let contacts = params
                .get("contacts")
                .and_then(Value::as_array)
                .ok_or_else(|| invalid("contacts"))?;
            if contacts.is_empty() || contacts.len() > 10 {
                return Err(invalid("contacts"));
            }
            for c in contacts {
                let has = |k: &str| {
                    c.get(k)
                        .and_then(Value::as_str)
                        .is_some_and(|s| !s.is_empty())
                };
                if !has("email") && !has("id") {
                    return Err(invalid("contacts"));
                }
            }
        }
        "participant.invite.callout"
            if !params.get("phone_number").is_some_and(Value::is_string) =>
        {
            return Err(invalid("phone_number"));
        }
        "participant.invite.room_system_callout"
            if !params.get("device_ip").is_some_and(Value::is_string) =>
        {
            return Err(invalid("device_ip"));
        }
        "waiting_room.update" => {
            for key in ["waiting_room_title", "waiting_room_description"] {
                if params
                    .get(key)
                    .is_some_and(|v| !v.is_string() && !v.is_null())
                {
                    return Err(invalid(key));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// `PATCH /v2/live_meetings/{meetingId}/events`.
pub async fn live_meeting_events(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    super::scopes_first(&caller, Endpoint::LiveMeetingEvents)?;
    let raw = segment(path)?;
    let id = meeting_id(&raw).map_err(|_| ZoomError::live_meeting_not_found(&raw))?;
    let obj = json_object(&body)?;
    let method = match obj.get("method").and_then(Value::as_str) {
        Some(m) if METHODS.contains(&m) => m.to_string(),
        _ => return Err(ZoomError::validation(vec![FieldError::invalid("method")])),
    };
    let params = match obj.get("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(p)) => p.clone(),
        Some(_) => return Err(ZoomError::validation(vec![FieldError::invalid("params")])),
    };
    validate(&method, &params)?;
    // The meeting must be in the caller's account; the scope is checked against its host.
    {
        let account = admit(&state, &caller, Endpoint::LiveMeetingEvents)?;
        let meeting = account
            .meetings
            .get(&id)
            .ok_or_else(|| ZoomError::live_meeting_not_found(id))?;
        caller.check(
            Endpoint::LiveMeetingEvents,
            caller.target(&account, &meeting.host_id),
        )?;
    }
    if method.starts_with("ai_companion.") {
        return Err(ZoomError::ai_companion_not_allowed());
    }
    state
        .live
        .control(&state, id, |room, recordings, policy, plan, now| {
            let uuid = room.uuid.clone();
            let rec = &mut room.recording;
            let event = |action: &'static str| RoomEvent::Recording {
                uuid: uuid.clone(),
                action,
                at: now,
            };
            if method.starts_with("recording.") && plan == Plan::Free {
                return Err(ZoomError::live_api_not_available());
            }
            let mut events = Vec::new();
            match method.as_str() {
                "recording.start" if !rec.is_active() => {
                    recordings
                        .can_start(&room.facts.account_id, policy)
                        .map_err(ZoomError::from)?;
                    rec.blocked = None;
                    rec.spans.push(Span {
                        from: now,
                        to: None,
                    });
                    events.push(event("started"));
                }
                "recording.stop" if rec.is_active() => {
                    if let Some(span) = rec.spans.last_mut().filter(|s| s.to.is_none()) {
                        span.to = Some(now);
                    }
                    rec.paused = false;
                    events.push(event("stopped"));
                }
                "recording.pause" if rec.is_recording() => {
                    if let Some(span) = rec.spans.last_mut() {
                        span.to = Some(now);
                    }
                    rec.paused = true;
                    events.push(event("paused"));
                }
                "recording.resume" if rec.paused => {
                    rec.paused = false;
                    rec.spans.push(Span {
                        from: now,
                        to: None,
                    });
                    events.push(event("resumed"));
                }
                "waiting_room.update" => {
                    if let Some(t) = params.get("waiting_room_title").and_then(Value::as_str) {
                        room.waiting_room_title = Some(t.to_string());
                    }
                    if let Some(d) = params
                        .get("waiting_room_description")
                        .and_then(Value::as_str)
                    {
                        room.waiting_room_description = Some(d.to_string());
                    }
                }
                _ => {}
            }
            Ok(events)
        })?;
    Ok(StatusCode::ACCEPTED.into_response())
}

/// `GET /v2/meetings/{meetingId}/jointoken/local_recording[?bypass_waiting_room=true]` →
/// `{"token", "expire_in": 120}`: a single-use, meeting-scoped token that lets a Meeting SDK bot
/// join (and skip the waiting room when asked). OAuth only: an API Key/Secret app gets 400 code
/// 124 "This API only supports OAuth2 authorization.".
pub async fn local_recording_token(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> ApiResult {
    let raw = segment(path)?;
    caller.require_oauth()?;
    super::scopes_first(&caller, Endpoint::LocalRecordingToken)?;
    let q = super::query(q.as_deref());
    let bypass = super::query_bool(&q, "bypass_waiting_room")?;
    let id = meeting_id(&raw)?;
    {
        let account = admit(&state, &caller, Endpoint::LocalRecordingToken)?;
        let meeting = account
            .meetings
            .get(&id)
            .ok_or_else(|| ZoomError::meeting_not_found(id))?;
        caller.check(
            Endpoint::LocalRecordingToken,
            caller.target(&account, &meeting.host_id),
        )?;
    }
    let token = state.live.mint_join_token(id, bypass, state.now());
    Ok(axum::Json(serde_json::json!({
        "token": token,
        "expire_in": crate::control_rooms::JOIN_TOKEN_SECONDS,
    }))
    .into_response())
}
