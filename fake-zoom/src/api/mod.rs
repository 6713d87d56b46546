//! Zoom's `/v2` routes, one file per resource. Every handler answers Zoom's status codes and
//! bodies; shared request plumbing (path ids, query parameters, pagination, the rate-limit gate)
//! lives here.

pub mod live;
pub mod meetings;
pub mod recordings;
pub mod registrants;
pub mod reports;
pub mod user_tokens;
pub mod users;
pub mod webinars;

use std::collections::HashMap;
use std::sync::{Arc, MutexGuard};

use axum::Router;
use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::routing::{get, post, put};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::auth::Caller;
use crate::auth::scopes::{Endpoint, Target};
use crate::config::Plan;
use crate::model::account::{Account, PageCursor};
use crate::state::FakeState;
use crate::zoom_error::{FieldError, ZoomError};

/// Handler result.
pub type ApiResult = Result<axum::response::Response, ZoomError>;

/// The `/v2` router (without authentication; the server adds it).
pub fn router() -> Router<Arc<FakeState>> {
    Router::new()
        .route("/users", get(users::list_users))
        .route("/users/me/zak", get(user_tokens::my_zak))
        .route("/users/{user_id}", get(users::get_user))
        .route("/users/{user_id}/token", get(user_tokens::user_token))
        .route(
            "/users/{user_id}/meetings",
            post(meetings::create_meeting).get(meetings::list_meetings),
        )
        .route(
            "/meetings/{meeting_id}",
            get(meetings::get_meeting)
                .patch(meetings::update_meeting)
                .delete(meetings::delete_meeting),
        )
        .route(
            "/meetings/{meeting_id}/status",
            put(meetings::meeting_status),
        )
        .route(
            "/meetings/{meeting_id}/registrants",
            get(registrants::list_registrants).post(registrants::add_registrant),
        )
        .route(
            "/meetings/{meeting_id}/registrants/status",
            put(registrants::registrant_status),
        )
        .route(
            "/users/{user_id}/webinars",
            post(webinars::create_webinar).get(webinars::list_webinars),
        )
        .route(
            "/webinars/{webinar_id}",
            get(webinars::get_webinar)
                .patch(webinars::update_webinar)
                .delete(webinars::delete_webinar),
        )
        .route(
            "/webinars/{webinar_id}/status",
            put(webinars::webinar_status),
        )
        .merge(live_routes())
}

/// Attendance, recordings and in-meeting controls (fake-live).
fn live_routes() -> Router<Arc<FakeState>> {
    use axum::routing::patch;
    Router::new()
        .route("/past_meetings/{meeting_id}", get(reports::past_meeting))
        .route(
            "/past_meetings/{meeting_id}/participants",
            get(reports::past_participants),
        )
        .route(
            "/report/meetings/{meeting_id}/participants",
            get(reports::report_participants),
        )
        .route(
            "/live_meetings/{meeting_id}/events",
            patch(live::live_meeting_events),
        )
        .route(
            "/meetings/{meeting_id}/recordings",
            get(recordings::meeting_recordings).delete(recordings::delete_meeting_recordings),
        )
        .route(
            "/meetings/{meeting_id}/recordings/status",
            put(recordings::recover_meeting_recordings),
        )
        .route(
            "/meetings/{meeting_id}/recordings/settings",
            get(recordings::recording_settings).patch(recordings::update_recording_settings),
        )
        .route(
            "/meetings/{meeting_id}/recordings/{recording_id}",
            axum::routing::delete(recordings::delete_recording_file),
        )
        .route(
            "/meetings/{meeting_id}/recordings/{recording_id}/status",
            put(recordings::recover_recording_file),
        )
        .route(
            "/users/{user_id}/recordings",
            get(recordings::user_recordings),
        )
        .route(
            "/meetings/{meeting_id}/jointoken/local_recording",
            get(live::local_recording_token),
        )
}

/// A path segment, with a bad encoding answered in Zoom's shape.
pub fn segment(path: Result<Path<String>, PathRejection>) -> Result<String, ZoomError> {
    path.map(|Path(s)| s)
        .map_err(|_| ZoomError::unknown_route())
}

/// A numeric meeting id from the path; anything else is a meeting that does not exist.
pub fn meeting_id(raw: &str) -> Result<u64, ZoomError> {
    raw.trim()
        .parse::<u64>()
        .map_err(|_| ZoomError::meeting_not_found(raw))
}

/// Query parameters (unknown ones ignored; an empty trailing `&` is fine).
pub fn query(raw: Option<&str>) -> HashMap<String, String> {
    raw.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// A boolean query parameter (`true`/`false`); anything else is Zoom's 300.
pub fn query_bool(q: &HashMap<String, String>, name: &str) -> Result<bool, ZoomError> {
    match q.get(name).map(String::as_str) {
        None | Some("") | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ZoomError::invalid_parameter(name)),
    }
}

/// Scope pre-check (any scope of the endpoint's set), then the account's rate-limit gate.
/// Returns the locked account; keep the critical section short.
pub fn admit<'a>(
    state: &'a FakeState,
    caller: &Caller,
    endpoint: Endpoint,
) -> Result<MutexGuard<'a, Account>, ZoomError> {
    caller.check(endpoint, Target::Own)?;
    let mut guard = state
        .lock_account(caller.account_id())
        .ok_or_else(ZoomError::invalid_token)?;
    let account = &mut *guard;
    account.rate.admit(
        account.plan,
        &account.rate_limits,
        endpoint.requirement().category,
        state.real_second(),
        state.now(),
    )?;
    Ok(guard)
}

/// Zoom checks a token's scopes before it looks the resource up: a caller without any of the
/// endpoint's scopes gets 400 code 4711, never a 404 or 12702 that would reveal whether the
/// meeting or recording exists. Routes that must find a resource (and its host) before
/// [`admit_for_host`] call this first.
pub fn scopes_first(caller: &Caller, endpoint: Endpoint) -> Result<(), ZoomError> {
    caller.check(endpoint, Target::Own)
}

/// [`admit`], then the scope check against the resource's host (another user's resource needs
/// an admin scope). Returns the account's plan.
pub fn admit_for_host(
    state: &FakeState,
    caller: &Caller,
    endpoint: Endpoint,
    host_id: &str,
) -> Result<Plan, ZoomError> {
    let account = admit(state, caller, endpoint)?;
    caller.check(endpoint, caller.target(&account, host_id))?;
    Ok(account.plan)
}

/// The host of meeting `id` in the caller's account, after the endpoint's scope check for that
/// host (own or other user's): 404 code 3001 when there is no such meeting, 4711 when the
/// caller may not act on the host's meetings.
pub fn meeting_host(
    account: &Account,
    caller: &Caller,
    endpoint: Endpoint,
    id: u64,
) -> Result<String, ZoomError> {
    let host_id = &account
        .meetings
        .get(&id)
        .ok_or_else(|| ZoomError::meeting_not_found(id))?
        .host_id;
    caller.check(endpoint, caller.target(account, host_id))?;
    Ok(host_id.clone())
}

/// [`meeting_host`] for webinars.
pub fn webinar_host(
    account: &Account,
    caller: &Caller,
    endpoint: Endpoint,
    id: u64,
) -> Result<String, ZoomError> {
    let host_id = &account
        .webinars
        .get(&id)
        .ok_or_else(|| ZoomError::webinar_not_found(id))?
        .host_id;
    caller.check(endpoint, caller.target(account, host_id))?;
    Ok(host_id.clone())
}

/// Zoom's pagination over a list: `page_size` (default 30, at most 300), `next_page_token`
/// (15 minutes, empty string on the last page) or the deprecated `page_number`.
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The pagination fields of the response.
    pub fields: Value,
}

/// Cut one page of `items` for the list named `list`.
pub fn paginate<T>(
    account: &mut Account,
    ids: &crate::state::IdGen,
    list: &str,
    items: Vec<T>,
    q: &HashMap<String, String>,
    now: OffsetDateTime,
) -> Result<Page<T>, ZoomError> {
    let page_size = match q.get("page_size").filter(|s| !s.is_empty()) {
        None => 30,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if n >= 1 => n.min(300),
            _ => {
                return Err(ZoomError::validation(vec![FieldError::invalid(
                    "page_size",
                )]));
            }
        },
    };
    let mut page_number = 1usize;
    let offset = match q.get("next_page_token").filter(|s| !s.is_empty()) {
        Some(token) => {
            let cursor = account
                .page_tokens
                .get(token)
                .filter(|c| c.list == list && c.expires_at > now)
                .ok_or_else(ZoomError::invalid_page_token)?;
            page_number = cursor.offset / page_size + 1;
            cursor.offset
        }
        None => match q.get("page_number").filter(|s| !s.is_empty()) {
            Some(s) => match s.parse::<usize>() {
                Ok(n) if n >= 1 => {
                    page_number = n;
                    (n - 1).saturating_mul(page_size)
                }
                _ => return Err(ZoomError::invalid_parameter("page_number")),
            },
            None => 0,
        },
    };
    let total = items.len();
    let end = offset.saturating_add(page_size).min(total);
    let next_page_token = if end < total {
        account.page_tokens.retain(|_, c| c.expires_at > now);
        let token = ids.token(24);
        account.page_tokens.insert(
            token.clone(),
            PageCursor {
                list: list.to_string(),
                offset: end,
                expires_at: now + Duration::minutes(15),
            },
        );
        token
    } else {
        String::new()
    };
    let items: Vec<T> = items.into_iter().skip(offset).take(page_size).collect();
    Ok(Page {
        items,
        fields: json!({
            "page_size": page_size,
            "total_records": total,
            "next_page_token": next_page_token,
            "page_count": total.div_ceil(page_size),
            "page_number": page_number,
        }),
    })
}
