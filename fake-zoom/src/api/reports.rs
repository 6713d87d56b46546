//! Attendance: `GET /v2/past_meetings/{meetingId}`, `GET /v2/past_meetings/{meetingId}/participants`
//! and `GET /v2/report/meetings/{meetingId}/participants`, read from the ended instances in
//! [`crate::model::room::RoomRegistry`].
//!
//! Zoom facts (fact sheet §2.3, the Meetings OpenAPI):
//! * `{meetingId}` is a meeting number (the latest ended instance) or an instance uuid; a uuid
//!   starting with `/` or containing `//` arrives double-encoded and is decoded again here.
//! * One row per stay in the meeting: someone sent back to the waiting room and admitted again,
//!   or who left and rejoined, appears once per stay, each with its own `join_time`,
//!   `leave_time` and `duration` (seconds). Someone who only ever waited appears once with
//!   `status: in_waiting_room`. `participants_count` counts people (a signed-in user once).
//! * "The API doesn't return results if there's only one participant in a meeting": with one
//!   attendee both lists are empty (Zoom points to the dashboard metrics API instead).
//! * `user_email` is empty for participants outside the host's account; both lists need a paid
//!   plan (400 code 200 "Only available for paid account: {accountId}."); a meeting more than a
//!   year old answers 400 code 12702.
//! * Errors: past meetings 404 code 3001 "Meeting does not exist: {meetingId}."; the report
//!   404 code 3001 "Meeting {meetingId} is not found or has expired."

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::IntoResponse;
use axum::{Extension, Json};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{ApiResult, admit_for_host, paginate, query, scopes_first, segment};
use crate::auth::Caller;
use crate::auth::scopes::Endpoint;
use crate::config::Plan;
use crate::model::room::{Participant, Room, Span};
use crate::state::FakeState;
use crate::zoom_error::ZoomError;

/// Which list is rendered (the report adds a few fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipantList {
    /// `GET /past_meetings/{id}/participants`.
    PastMeeting,
    /// `GET /report/meetings/{id}/participants`.
    Report,
}

/// Zoom's time format in these lists: RFC 3339 in UTC, whole seconds.
pub fn zoom_time(at: OffsetDateTime) -> String {
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Decodes a path id once more when it still holds percent escapes (double-encoded uuids).
pub fn decode_meeting_key(raw: &str) -> String {
    if !raw.contains('%') {
        return raw.to_string();
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| raw.to_string())
}

/// `GET /past_meetings/{meetingId}`.
pub fn past_meeting_json(
    room: &Room,
    host_email: &str,
    host_name: &str,
    now: OffsetDateTime,
) -> Value {
    let start = room.started_at.unwrap_or(room.opened_at);
    let end = room.ended_at.unwrap_or(now);
    json!({
        "id": room.meeting_id,
        "uuid": room.uuid,
        "duration": room.duration_minutes(now),
        "start_time": zoom_time(start),
        "end_time": zoom_time(end),
        "host_id": room.facts.host_id,
        "dept": "",
        "participants_count": room.attendee_count(),
        "source": "Zoom",
        "topic": room.facts.topic,
        "total_minutes": (room.total_seconds(now) + 59) / 60,
        "type": room.facts.meeting_type,
        "user_email": host_email,
        "user_name": host_name,
        "has_meeting_summary": false,
    })
}

/// One row of a participants list.
struct Row<'a> {
    participant: &'a Participant,
    span: Span,
    status: &'static str,
}

fn rows(room: &Room) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for p in &room.participants {
        if p.in_meeting.is_empty() {
            if let Some(first) = p.waiting.first() {
                let last = p.waiting.last().copied().unwrap_or(*first);
                rows.push(Row {
                    participant: p,
                    span: Span {
                        from: first.from,
                        to: last.to,
                    },
                    status: "in_waiting_room",
                });
            }
            continue;
        }
        for span in &p.in_meeting {
            rows.push(Row {
                participant: p,
                span: *span,
                status: "in_meeting",
            });
        }
    }
    rows.sort_by_key(|r| r.span.from);
    rows
}

/// The rows of a participants list (pagination is applied by the caller).
pub fn participant_rows(room: &Room, list: ParticipantList, now: OffsetDateTime) -> Vec<Value> {
    // Zoom returns nothing for a meeting with a single participant.
    if room.attendee_count() <= 1 {
        return Vec::new();
    }
    rows(room)
        .iter()
        .map(|row| {
            let p = row.participant;
            let internal = p
                .user
                .as_ref()
                .is_some_and(|u| u.account_id == room.facts.account_id);
            let zoom_user_id = p.user.as_ref().map(|u| u.id.clone()).unwrap_or_default();
            let leave = row.span.to.unwrap_or(now);
            let mut item = json!({
                "id": zoom_user_id,
                "name": p.name,
                "user_id": p.participant_id,
                "user_email": if internal { p.email.clone().unwrap_or_default() } else { String::new() },
                "join_time": zoom_time(row.span.from),
                "leave_time": zoom_time(leave),
                "duration": row.span.seconds(now),
                "failover": false,
                "status": row.status,
                "internal_user": internal,
            });
            if list == ParticipantList::Report {
                item["customer_key"] = json!("");
                item["participant_user_id"] = json!(zoom_user_id);
                item["bo_mtg_id"] = json!("");
            }
            item
        })
        .collect()
}

/// The past instance named by the path, if it belongs to the caller's account and is at most a
/// year old. Returns the instance's facts needed by the handlers.
fn past_instance<T>(
    state: &FakeState,
    caller: &Caller,
    raw: &str,
    not_found: impl Fn(&str) -> ZoomError,
    f: impl FnOnce(&Room, OffsetDateTime) -> T,
) -> Result<T, ZoomError> {
    let key = decode_meeting_key(raw);
    let now = state.now();
    state.live.with_rooms(|rooms| {
        let room = rooms
            .past_instance(key.trim())
            .filter(|r| r.facts.account_id == caller.account_id())
            .ok_or_else(|| not_found(raw))?;
        if room
            .ended_at
            .is_some_and(|end| now - end > time::Duration::days(365))
        {
            return Err(ZoomError::meeting_a_year_ago());
        }
        Ok(f(room, now))
    })
}

fn host_of(
    state: &FakeState,
    caller: &Caller,
    raw: &str,
    not_found: impl Fn(&str) -> ZoomError,
) -> Result<String, ZoomError> {
    past_instance(state, caller, raw, not_found, |room, _| {
        room.facts.host_id.clone()
    })
}

/// `GET /v2/past_meetings/{meetingId}`.
pub async fn past_meeting(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult {
    scopes_first(&caller, Endpoint::PastMeeting)?;
    let raw = segment(path)?;
    let not_found = |id: &str| ZoomError::meeting_not_found(id);
    let host_id = host_of(&state, &caller, &raw, not_found)?;
    admit_for_host(&state, &caller, Endpoint::PastMeeting, &host_id)?;
    let (host_email, host_name) = state
        .lock_account(caller.account_id())
        .and_then(|a| {
            a.user(&host_id)
                .map(|u| (u.email.clone(), u.display_name.clone()))
        })
        .unwrap_or_default();
    let body = past_instance(&state, &caller, &raw, not_found, |room, now| {
        past_meeting_json(room, &host_email, &host_name, now)
    })?;
    Ok(Json(body).into_response())
}

async fn participants(
    state: Arc<FakeState>,
    caller: Caller,
    raw: String,
    q: HashMap<String, String>,
    list: ParticipantList,
) -> ApiResult {
    let (endpoint, not_found): (Endpoint, fn(&str) -> ZoomError) = match list {
        ParticipantList::PastMeeting => (Endpoint::PastParticipants, |id| {
            ZoomError::meeting_not_found(id)
        }),
        ParticipantList::Report => (Endpoint::ReportParticipants, |id| {
            ZoomError::live_meeting_not_found(id)
        }),
    };
    scopes_first(&caller, endpoint)?;
    let host_id = host_of(&state, &caller, &raw, not_found)?;
    if admit_for_host(&state, &caller, endpoint, &host_id)? == Plan::Free {
        return Err(ZoomError::paid_account_only(caller.account_id()));
    }
    let (uuid, items) = past_instance(&state, &caller, &raw, not_found, |room, now| {
        (room.uuid.clone(), participant_rows(room, list, now))
    })?;
    let now = state.now();
    let mut account = state
        .lock_account(caller.account_id())
        .ok_or_else(ZoomError::invalid_token)?;
    let list_key = format!("participants:{list:?}:{uuid}");
    let page = paginate(&mut account, &state.ids, &list_key, items, &q, now)?;
    let mut body = page.fields;
    if let Some(obj) = body.as_object_mut() {
        obj.remove("page_number");
    }
    body["participants"] = Value::Array(page.items);
    Ok(Json(body).into_response())
}

/// `GET /v2/past_meetings/{meetingId}/participants`.
pub async fn past_participants(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let raw = segment(path)?;
    participants(
        state,
        caller,
        raw,
        query(q.as_deref()),
        ParticipantList::PastMeeting,
    )
    .await
}

/// `GET /v2/report/meetings/{meetingId}/participants`.
pub async fn report_participants(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let raw = segment(path)?;
    participants(
        state,
        caller,
        raw,
        query(q.as_deref()),
        ParticipantList::Report,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_uuids_are_decoded_again() {
        assert_eq!(decode_meeting_key("%2FabcD%2F%2Fx=="), "/abcD//x==");
        assert_eq!(decode_meeting_key("plain=="), "plain==");
        assert_eq!(decode_meeting_key("bad%zz"), "bad%zz");
    }
}
