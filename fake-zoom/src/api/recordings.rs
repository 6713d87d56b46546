//! Cloud recordings: `GET`/`DELETE /v2/meetings/{meetingId}/recordings`,
//! `DELETE .../recordings/{recordingId}`, `PUT /v2/meetings/{meetingUUID}/recordings/status` and
//! `PUT .../recordings/{recordingId}/status` (recover from the trash), `GET`/`PATCH
//! .../recordings/settings`, `GET /v2/users/{userId}/recordings`; and the recording object as
//! `recording.completed` carries it.
//!
//! Zoom facts (fact sheet §2.3, the Meetings OpenAPI) and choices:
//! * `{meetingId}` is a meeting number (the latest instance with recordings) or an instance uuid
//!   (double-encoded when it starts with `/` or contains `//`).
//! * No recording (none made, local recording, all in the trash, another account's meeting):
//!   404 code 3301 "There is no recording for this meeting.".
//! * `DELETE ...?action=trash` (the default) moves files to the trash, `action=delete` deletes
//!   them for good: 204. Recovering answers 200 for the whole meeting (as the spec documents) and
//!   204 for one file; 400 code 3309 when the files would not fit in the account's storage.
//! * `GET /users/{userId}/recordings`: `from`/`to` are `yyyy-mm-dd` (a datetime is accepted and
//!   cut to its date, as real clients send one); default from = today, to = today (UTC, fake
//!   clock); `trash=true` lists what is in the trash (dates ignored, as Zoom documents). Free plan:
//!   400 code 200 (cloud recording needs a paid plan).
//! * The recording object's `type` is a string of digits on the REST routes, as the OpenAPI
//!   types it, and an integer in webhooks, as the webhook schemas type it.
//! * `recording.completed` carries the MP4 and M4A files; the transcript follows in
//!   `recording.transcript_completed`, as Zoom announces transcripts separately.
//! * `play_url`, `download_url` and `share_url` point at the fake's base URL; the fake does not
//!   serve media.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use base64::Engine as _;
use rand::Rng;
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

use super::reports::{decode_meeting_key, zoom_time};
use super::{ApiResult, admit, admit_for_host, paginate, query, scopes_first, segment};
use crate::auth::Caller;
use crate::auth::scopes::Endpoint;
use crate::config::Plan;
use crate::model::input::json_object;
use crate::model::recording::{
    CloudRecording, DeleteAction, RecordingError, RecordingPolicy, RecordingSettingsPatch,
};
use crate::state::FakeState;
use crate::zoom_error::{FieldError, ZoomError};

impl From<RecordingError> for ZoomError {
    fn from(e: RecordingError) -> Self {
        match e {
            RecordingError::NoRecording => ZoomError::no_recording(),
            RecordingError::StorageFull => ZoomError::cloud_storage_full(),
        }
    }
}

/// The recording object (`GET /meetings/{id}/recordings`, list items, `recording.completed`).
/// `trash`: show the trashed files (with `deleted_time`) instead of the active ones.
pub fn recording_json(
    rec: &CloudRecording,
    base_url: &str,
    policy: &RecordingPolicy,
    trash: bool,
) -> Value {
    recording_json_of(rec, base_url, policy, |f| f.deleted_time.is_some() == trash)
}

/// The recording object with the files `keep` selects.
fn recording_json_of(
    rec: &CloudRecording,
    base_url: &str,
    policy: &RecordingPolicy,
    keep: impl Fn(&crate::model::recording::RecordingFile) -> bool,
) -> Value {
    let files: Vec<Value> = rec
        .files
        .iter()
        .filter(|f| keep(f))
        .map(|f| {
            let mut item = json!({
                "id": f.id,
                "meeting_id": rec.uuid,
                "recording_start": zoom_time(f.recording_start),
                "recording_end": zoom_time(f.recording_end),
                "file_type": f.file_type,
                "file_extension": f.file_type.extension(),
                "file_size": f.file_size,
                "download_url": format!("{base_url}/rec/download/{}", f.id),
                "status": "completed",
                "recording_type": f.file_type.recording_type(),
            });
            if f.file_type != crate::model::recording::FileType::Transcript {
                item["play_url"] = json!(format!("{base_url}/rec/play/{}", f.id));
            }
            if let Some(d) = f.deleted_time {
                item["deleted_time"] = json!(zoom_time(d));
            }
            item
        })
        .collect();
    let total: u64 = rec
        .files
        .iter()
        .filter(|f| keep(f))
        .map(|f| f.file_size)
        .sum();
    let mut body = json!({
        "uuid": rec.uuid,
        "id": rec.meeting_id,
        "account_id": rec.account_id,
        "host_id": rec.host_id,
        "topic": rec.settings.topic,
        "type": rec.meeting_type.to_string(),
        "start_time": zoom_time(rec.start_time),
        "timezone": rec.timezone,
        "duration": rec.duration,
        "total_size": total,
        "recording_count": files.len(),
        "share_url": format!("{base_url}/rec/share/{}", rec.share_id),
        "recording_play_passcode": rec.play_passcode,
        "password": rec.settings.password,
        "recording_files": files,
    });
    match rec.auto_delete_date(policy) {
        Some(date) => {
            body["auto_delete"] = json!(true);
            body["auto_delete_date"] = json!(date.to_string());
        }
        None => body["auto_delete"] = json!(false),
    }
    body
}

/// The events announcing a finished cloud recording, each with its payload and top-level
/// `download_token`: `recording.completed` with the video and audio files, then
/// `recording.transcript_completed` with the transcript (Zoom processes transcripts after the
/// recording and announces them separately). Webhooks carry the meeting `type` as an integer.
pub fn completed_events(
    rec: &CloudRecording,
    base_url: &str,
    policy: &RecordingPolicy,
    rng: &mut impl Rng,
) -> Vec<(&'static str, Value, String)> {
    use crate::model::recording::FileType;
    let mut events = Vec::new();
    for (name, transcript) in [
        ("recording.completed", false),
        ("recording.transcript_completed", true),
    ] {
        let keep = |f: &crate::model::recording::RecordingFile| {
            f.deleted_time.is_none() && (f.file_type == FileType::Transcript) == transcript
        };
        if !rec.files.iter().any(keep) {
            continue;
        }
        let mut object = recording_json_of(rec, base_url, policy, keep);
        object["type"] = json!(rec.meeting_type);
        object["host_email"] = json!(rec.host_email);
        object["on_prem"] = json!(false);
        let token_bytes: [u8; 32] = rng.random();
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token_bytes);
        events.push((
            name,
            json!({"account_id": rec.account_id, "object": object}),
            token,
        ));
    }
    events
}

fn policy_of(state: &FakeState, account_id: &str) -> RecordingPolicy {
    state
        .config
        .accounts
        .iter()
        .find(|a| a.id == account_id)
        .map(|a| a.live.recordings)
        .unwrap_or_default()
}

/// The host of the meeting's recording (active, or in the trash when `trash`), in the caller's
/// account.
fn recording_host(
    state: &FakeState,
    caller: &Caller,
    key: &str,
    trash: bool,
) -> Result<String, ZoomError> {
    state.live.with_recordings(state, |store| {
        let rec = if trash {
            store.find_trashed(key)
        } else {
            store.find(key)
        };
        rec.filter(|r| r.account_id == caller.account_id())
            .map(|r| r.host_id.clone())
            .ok_or_else(ZoomError::no_recording)
    })
}

fn recording_host_any(state: &FakeState, caller: &Caller, key: &str) -> Result<String, ZoomError> {
    recording_host(state, caller, key, false).or_else(|_| recording_host(state, caller, key, true))
}

fn delete_action(q: &HashMap<String, String>) -> Result<DeleteAction, ZoomError> {
    match q.get("action").map(String::as_str) {
        None | Some("") | Some("trash") => Ok(DeleteAction::Trash),
        Some("delete") => Ok(DeleteAction::Delete),
        Some(_) => Err(ZoomError::invalid_parameter("action")),
    }
}

/// `GET /v2/meetings/{meetingId}/recordings`.
pub async fn meeting_recordings(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    scopes_first(&caller, Endpoint::MeetingRecordings)?;
    let key = decode_meeting_key(&segment(path)?);
    let q = query(q.as_deref());
    let host = recording_host(&state, &caller, &key, false)?;
    admit_for_host(&state, &caller, Endpoint::MeetingRecordings, &host)?;
    let policy = policy_of(&state, caller.account_id());
    let base = state.base_url.clone();
    let want_token = q
        .get("include_fields")
        .is_some_and(|f| f.split(',').any(|f| f.trim() == "download_access_token"));
    let mut body = state.live.with_recordings(&state, |store| {
        store
            .find(&key)
            .map(|r| recording_json(r, &base, &policy, false))
            .ok_or_else(ZoomError::no_recording)
    })?;
    if want_token {
        body["download_access_token"] = json!(state.ids.token(32));
    }
    Ok(Json(body).into_response())
}

/// `DELETE /v2/meetings/{meetingId}/recordings`.
pub async fn delete_meeting_recordings(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    scopes_first(&caller, Endpoint::DeleteMeetingRecordings)?;
    let key = decode_meeting_key(&segment(path)?);
    let action = delete_action(&query(q.as_deref()))?;
    let host = match action {
        DeleteAction::Trash => recording_host(&state, &caller, &key, false)?,
        DeleteAction::Delete => recording_host_any(&state, &caller, &key)?,
    };
    admit_for_host(&state, &caller, Endpoint::DeleteMeetingRecordings, &host)?;
    let now = state.now();
    state
        .live
        .with_recordings(&state, |store| store.delete_all(&key, action, now))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /v2/meetings/{meetingId}/recordings/{recordingId}`.
pub async fn delete_recording_file(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<(String, String)>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    scopes_first(&caller, Endpoint::DeleteRecordingFile)?;
    let (raw, file_id) = path
        .map(|Path(p)| p)
        .map_err(|_| ZoomError::unknown_route())?;
    let key = decode_meeting_key(&raw);
    let action = delete_action(&query(q.as_deref()))?;
    let host = recording_host_any(&state, &caller, &key)?;
    admit_for_host(&state, &caller, Endpoint::DeleteRecordingFile, &host)?;
    let now = state.now();
    state.live.with_recordings(&state, |store| {
        store.delete_file(&key, &file_id, action, now)
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn recover_body(body: &Bytes) -> Result<(), ZoomError> {
    let obj = json_object(body)?;
    match obj.get("action").and_then(Value::as_str) {
        Some("recover") => Ok(()),
        _ => Err(ZoomError::validation(vec![FieldError::invalid("action")])),
    }
}

/// `PUT /v2/meetings/{meetingUUID}/recordings/status` `{"action":"recover"}`.
pub async fn recover_meeting_recordings(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    scopes_first(&caller, Endpoint::RecoverMeetingRecordings)?;
    let key = decode_meeting_key(&segment(path)?);
    recover_body(&body)?;
    let host = recording_host(&state, &caller, &key, true)?;
    admit_for_host(&state, &caller, Endpoint::RecoverMeetingRecordings, &host)?;
    let policy = policy_of(&state, caller.account_id());
    state
        .live
        .with_recordings(&state, |store| store.recover(&key, None, &policy))?;
    Ok(StatusCode::OK.into_response())
}

/// `PUT /v2/meetings/{meetingId}/recordings/{recordingId}/status` `{"action":"recover"}`.
pub async fn recover_recording_file(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    scopes_first(&caller, Endpoint::RecoverRecordingFile)?;
    let (raw, file_id) = path
        .map(|Path(p)| p)
        .map_err(|_| ZoomError::unknown_route())?;
    let key = decode_meeting_key(&raw);
    recover_body(&body)?;
    let host = recording_host_any(&state, &caller, &key)?;
    admit_for_host(&state, &caller, Endpoint::RecoverRecordingFile, &host)?;
    let policy = policy_of(&state, caller.account_id());
    state
        .live
        .with_recordings(&state, |store| store.recover(&key, Some(&file_id), &policy))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v2/meetings/{meetingId}/recordings/settings`.
pub async fn recording_settings(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult {
    scopes_first(&caller, Endpoint::RecordingSettings)?;
    let key = decode_meeting_key(&segment(path)?);
    let host = recording_host(&state, &caller, &key, false)?;
    admit_for_host(&state, &caller, Endpoint::RecordingSettings, &host)?;
    let policy = policy_of(&state, caller.account_id());
    let body = state.live.with_recordings(&state, |store| {
        let rec = store.find(&key).ok_or_else(ZoomError::no_recording)?;
        let mut body = serde_json::to_value(&rec.settings).unwrap_or(Value::Null);
        match rec.auto_delete_date(&policy) {
            Some(date) => body["auto_delete_date"] = json!(date.to_string()),
            None => body["auto_delete"] = json!(false),
        }
        body["authentication_option"] = json!("");
        body["authentication_domains"] = json!("");
        body["authentication_name"] = json!("");
        Ok::<_, ZoomError>(body)
    })?;
    Ok(Json(body).into_response())
}

/// `PATCH /v2/meetings/{meetingId}/recordings/settings`.
pub async fn update_recording_settings(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    scopes_first(&caller, Endpoint::UpdateRecordingSettings)?;
    let key = decode_meeting_key(&segment(path)?);
    let obj = json_object(&body)?;
    let patch: RecordingSettingsPatch =
        serde_json::from_value(Value::Object(obj)).map_err(|e| {
            // A field of the wrong JSON type: name it, as Zoom's 300 body does.
            let field = e
                .to_string()
                .split('`')
                .nth(1)
                .unwrap_or("body")
                .to_string();
            ZoomError::validation(vec![FieldError::invalid(field)])
        })?;
    let host = recording_host(&state, &caller, &key, false)?;
    admit_for_host(&state, &caller, Endpoint::UpdateRecordingSettings, &host)?;
    state.live.with_recordings(&state, |store| {
        store
            .settings_mut(&key)?
            .apply(patch)
            .map_err(|e| ZoomError::validation(vec![FieldError::new(e.field, e.message)]))
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn query_date(q: &HashMap<String, String>, name: &str, default: Date) -> Result<Date, ZoomError> {
    match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => {
            let day = s.get(..10).unwrap_or(s);
            Date::parse(
                day,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map_err(|_| ZoomError::invalid_parameter(name))
        }
    }
}

/// `GET /v2/users/{userId}/recordings`.
pub async fn user_recordings(
    State(state): State<Arc<FakeState>>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    scopes_first(&caller, Endpoint::UserRecordings)?;
    let user_key = segment(path)?;
    let q = query(q.as_deref());
    let now: OffsetDateTime = state.now();
    let today = now.date();
    let from = query_date(&q, "from", today)?;
    let to = query_date(&q, "to", today)?;
    let trash = super::query_bool(&q, "trash")?;
    let (host_id, plan) = {
        let account = admit(&state, &caller, Endpoint::UserRecordings)?;
        let user = caller
            .resolve_user(&account, &user_key)
            .ok_or_else(|| ZoomError::user_not_found(&user_key))?;
        caller.check(Endpoint::UserRecordings, caller.target(&account, &user.id))?;
        (user.id.clone(), account.plan)
    };
    if plan == Plan::Free {
        return Err(ZoomError::paid_account_only(caller.account_id()));
    }
    let meeting_filter = q.get("meeting_id").filter(|s| !s.is_empty()).cloned();
    let policy = policy_of(&state, caller.account_id());
    let base = state.base_url.clone();
    let items: Vec<Value> = state.live.with_recordings(&state, |store| {
        store
            .list_for_host(&host_id, from, to, trash)
            .into_iter()
            .filter(|r| {
                meeting_filter
                    .as_deref()
                    .is_none_or(|m| r.meeting_id.to_string() == m)
            })
            .map(|r| recording_json(r, &base, &policy, trash))
            .collect()
    });
    let mut account = state
        .lock_account(caller.account_id())
        .ok_or_else(ZoomError::invalid_token)?;
    let list = format!("recordings:{host_id}:{from}:{to}:{trash}");
    let page = paginate(&mut account, &state.ids, &list, items, &q, now)?;
    let mut body = page.fields;
    if let Some(obj) = body.as_object_mut() {
        obj.remove("page_number");
    }
    body["from"] = json!(from.to_string());
    body["to"] = json!(to.to_string());
    body["meetings"] = Value::Array(page.items);
    Ok(Json(body).into_response())
}
