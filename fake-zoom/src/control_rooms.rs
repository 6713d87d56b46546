//! Live rooms, glued to the rest of the fake, and their control routes (contract 3).
//!
//! * [`LiveMeetings`]: the rooms ([`crate::model::room`]), cloud recordings
//!   ([`crate::model::recording`]) and webhooks ([`crate::webhooks`]) of one server. Every
//!   operation on a room goes through it, so the consequences happen in one place: the meeting
//!   object's `status` and `uuid`, auto cloud recording at start, recording files and
//!   `recording.completed` at the end, and one webhook per room event.
//! * The `/_fake/` routes: participants join (Zoom has no REST join; that is the SDK's job),
//!   the host or a co-host admits, denies, sends back or removes them, participants leave, the
//!   host ends the meeting; webhook subscriptions; uninstalling an app (`app_deauthorized`).
//! * The same operations on the [`crate::FakeZoom`] handle.
//!
//! Locks: the live state has one mutex; it is never held together with an account's lock
//! (meeting facts are read first, meeting updates are written after), and never across `.await`.
//!
//! Control errors are `{"code","message"}` with Meeting SDK codes where Zoom has one: 3001
//! "meeting does not exist", 3265 token error (invalid, expired or used ZAK/OBF), 3003 "Not
//! meeting host." (Zoom's old REST text) for actions by someone without host rights; 300 for
//! a malformed request; 3000 for an action that does not fit the participant's status.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use rand::SeedableRng;
use rand::rngs::StdRng;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::auth::scopes::EventRefusal;
use crate::auth::tokens::{UserTokenError, UserTokenKind};
use crate::config::Plan;
use crate::model::meeting::{Meeting, MeetingStatus};
use crate::model::recording::{RecordingPolicy, RecordingStore};
use crate::model::room::{
    AutoRecording, Credential, EndCause, JoinOutcome, JoinRole, Joiner, LiveConfig, MeetingFacts,
    Participant, RoomError, RoomEvent, RoomRegistry, Span, TokenGrant, UserRef,
    WaitingRoomAudience,
};
use crate::state::FakeState;
use crate::webhooks::{SubscribeError, SubscriptionView, TimeSource, Webhooks};

/// A refused control operation: HTTP status and Zoom-style body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{message} (HTTP {status}, code {code})")]
pub struct LiveError {
    /// HTTP status.
    #[serde(skip)]
    pub status: u16,
    /// Zoom / Meeting SDK code.
    pub code: i64,
    /// Message.
    pub message: String,
}

impl LiveError {
    fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, 300, message)
    }
    fn meeting_not_found(id: impl std::fmt::Display) -> Self {
        Self::new(404, 3001, format!("Meeting does not exist: {id}."))
    }
}

impl From<RoomError> for LiveError {
    fn from(e: RoomError) -> Self {
        let text = e.to_string();
        match e {
            RoomError::UnknownMeeting(id) => Self::meeting_not_found(id),
            RoomError::NotLive(id) => Self::new(409, 3000, format!("Meeting {id} is not live.")),
            RoomError::UnknownParticipant(_) => Self::new(404, 3000, text),
            RoomError::Invalid(_) => Self::bad_request(text),
            RoomError::NotHost(_)
            | RoomError::NotAlternativeHost(_)
            | RoomError::NotPermitted(_) => {
                Self::new(403, 3003, format!("Not meeting host. ({text})"))
            }
            RoomError::TokenExpired(_)
            | RoomError::TokenForOtherMeeting
            | RoomError::TokenAlreadyUsed => Self::new(401, 3265, text),
            RoomError::ObfOwnerAbsent(_) => Self::new(403, 3265, text),
            RoomError::WrongStatus { .. } | RoomError::CannotTargetHost(_) => {
                Self::new(409, 3000, text)
            }
        }
    }
}

impl IntoResponse for LiveError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (
            status,
            Json(json!({"code": self.code, "message": self.message})),
        )
            .into_response()
    }
}

/// `POST /_fake/meetings/{meetingId}/participants`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    /// Display name.
    pub name: String,
    /// Claimed role.
    pub role: JoinRole,
    /// For host, co_host, alternative_host, account_user: a user id or email.
    #[serde(default)]
    pub user_id: Option<String>,
    /// For external participants: an email (`users_not_on_invite`).
    #[serde(default)]
    pub email: Option<String>,
    /// A ZAK (bots only).
    #[serde(default)]
    pub zak: Option<SecretString>,
    /// An OBF token (bots only).
    #[serde(default)]
    pub obf: Option<SecretString>,
    /// A local-recording join token (`GET /meetings/{id}/jointoken/local_recording`; bots only).
    #[serde(default)]
    pub join_token: Option<SecretString>,
}

impl JoinRequest {
    /// A join with no token and no user.
    pub fn new(name: impl Into<String>, role: JoinRole) -> Self {
        Self {
            name: name.into(),
            role,
            user_id: None,
            email: None,
            zak: None,
            obf: None,
            join_token: None,
        }
    }
    /// As this user (id or email).
    pub fn user(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }
    /// With this email.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }
    /// With a ZAK.
    pub fn zak(mut self, zak: impl Into<String>) -> Self {
        self.zak = Some(SecretString::from(zak.into()));
        self
    }
    /// With an OBF token.
    pub fn obf(mut self, obf: impl Into<String>) -> Self {
        self.obf = Some(SecretString::from(obf.into()));
        self
    }
    /// With a local-recording join token.
    pub fn join_token(mut self, token: impl Into<String>) -> Self {
        self.join_token = Some(SecretString::from(token.into()));
        self
    }
}

/// A participant as `GET /_fake/meetings/{id}/participants/{pid}` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    /// Participant id.
    pub participant_id: String,
    /// Name.
    pub name: String,
    /// Status (`in_meeting`, `in_waiting_room`, `waiting_for_host`, `left`, `removed`, `denied`,
    /// `meeting_ended`).
    pub status: String,
    /// Why.
    pub reason: String,
    /// The instance.
    pub meeting_uuid: String,
    /// First time in the meeting.
    pub joined_at: Option<String>,
    /// Last admission from the waiting room.
    pub admitted_at: Option<String>,
    /// When they stopped being present.
    pub left_at: Option<String>,
    /// How they got in (`host`, `zak`, `direct`, `admitted`).
    pub entry: Option<String>,
    /// Holds the host role now.
    pub holds_host: bool,
    /// Seconds in the meeting so far.
    pub seconds_in_meeting: i64,
}

fn rfc3339(at: OffsetDateTime) -> String {
    crate::api::reports::zoom_time(at)
}

/// serde's snake_case name of a unit enum value.
fn snake<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

fn view(p: &Participant, uuid: &str, now: OffsetDateTime) -> ParticipantView {
    ParticipantView {
        participant_id: p.participant_id.clone(),
        name: p.name.clone(),
        status: snake(&p.status),
        reason: p.reason.clone(),
        meeting_uuid: uuid.to_string(),
        joined_at: p.joined_at.map(rfc3339),
        admitted_at: p.admitted_at.map(rfc3339),
        left_at: p.left_at.map(rfc3339),
        entry: p.entry.map(|e| snake(&e)),
        holds_host: p.holds_host,
        seconds_in_meeting: p.in_meeting.iter().map(|s: &Span| s.seconds(now)).sum(),
    }
}

struct LiveInner {
    rooms: RoomRegistry,
    recordings: RecordingStore,
    rng: StdRng,
    /// Local-recording join tokens by token.
    join_tokens: std::collections::HashMap<String, JoinToken>,
}

/// A local-recording join token: meeting-scoped, single use, valid 120 s.
struct JoinToken {
    meeting_id: u64,
    bypass_waiting_room: bool,
    expires_at: OffsetDateTime,
    used: bool,
}

/// How long a local-recording join token lives (Zoom: `expire_in` is always 120).
pub const JOIN_TOKEN_SECONDS: i64 = 120;

impl LiveInner {
    /// Checks and uses up a join token; returns whether it bypasses the waiting room.
    fn use_join_token(
        &mut self,
        token: &SecretString,
        meeting_id: u64,
        now: OffsetDateTime,
    ) -> Result<bool, LiveError> {
        let refuse = |m: &str| LiveError::new(401, 3265, m.to_string());
        let entry = self
            .join_tokens
            .get_mut(token.expose_secret())
            .ok_or_else(|| refuse("The join token is not valid."))?;
        if entry.meeting_id != meeting_id {
            return Err(refuse("The join token was issued for another meeting."));
        }
        if entry.expires_at <= now {
            return Err(refuse("The join token has expired."));
        }
        if entry.used {
            return Err(refuse("The join token has already been used."));
        }
        entry.used = true;
        Ok(entry.bypass_waiting_room)
    }
}

/// Rooms, recordings and webhooks of one fake server.
pub struct LiveMeetings {
    inner: Mutex<LiveInner>,
    /// Webhook subscriptions and delivery.
    pub webhooks: Arc<Webhooks>,
    seed: u64,
}

impl std::fmt::Debug for LiveMeetings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveMeetings").finish_non_exhaustive()
    }
}

/// A meeting found by number: its account and the facts the room needs.
struct Found {
    account_id: String,
    facts: MeetingFacts,
    next_uuid: String,
    config: LiveConfig,
    plan: Plan,
}

/// What must happen to the meeting object after a room operation.
#[derive(Default)]
struct MeetingUpdate {
    /// An instance started: `status` becomes `started`.
    started: bool,
    /// The instance closed: `status` back to `waiting`, and a fresh `uuid`.
    ended: bool,
}

impl TimeSource for FakeState {
    fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }
    fn is_paused(&self) -> bool {
        self.clock.is_paused()
    }
}

impl TimeSource for crate::clock::Clock {
    fn now(&self) -> OffsetDateTime {
        crate::clock::Clock::now(self)
    }
    fn is_paused(&self) -> bool {
        crate::clock::Clock::is_paused(self)
    }
}

/// The facts of a meeting object.
pub fn meeting_facts(meeting: &Meeting, account_id: &str) -> MeetingFacts {
    let s = &meeting.settings;
    let audience = if s.waiting_room_options.mode == "custom" {
        WaitingRoomAudience::from_zoom(&s.waiting_room_options.who_goes_to_waiting_room)
            .unwrap_or_default()
    } else {
        WaitingRoomAudience::Everyone
    };
    MeetingFacts {
        meeting_id: meeting.id,
        host_id: meeting.host_id.clone(),
        host_email: meeting.host_email.clone(),
        account_id: account_id.to_string(),
        topic: meeting.topic.clone(),
        meeting_type: u8::try_from(meeting.meeting_type).unwrap_or(2),
        start_time: meeting.start_time,
        duration: u32::try_from(meeting.duration).unwrap_or(0),
        timezone: meeting.timezone.clone(),
        alternative_hosts: s
            .alternative_hosts
            .split([';', ','])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect(),
        invitees: s.meeting_invitees.iter().map(|i| i.email.clone()).collect(),
        waiting_room: s.waiting_room,
        waiting_room_audience: audience,
        join_before_host: s.join_before_host && !s.waiting_room,
        jbh_time: u32::try_from(s.jbh_time).unwrap_or(0),
        auto_recording: AutoRecording::from_zoom(&s.auto_recording).unwrap_or_default(),
    }
}

fn fingerprint(token: &str) -> String {
    hex::encode(&Sha256::digest(token.as_bytes())[..8])
}

impl LiveMeetings {
    /// Empty state; ids come from `seed`; the webhook delivery log keeps the default number of
    /// attempts.
    pub fn new(seed: u64) -> Self {
        Self::with_delivery_log_capacity(seed, crate::webhooks::DEFAULT_DELIVERY_LOG_CAPACITY)
    }

    /// Empty state; ids come from `seed`; the webhook delivery log keeps the newest
    /// `log_capacity` attempts.
    pub fn with_delivery_log_capacity(seed: u64, log_capacity: usize) -> Self {
        Self {
            inner: Mutex::new(LiveInner {
                rooms: RoomRegistry::default(),
                recordings: RecordingStore::default(),
                rng: StdRng::seed_from_u64(seed ^ 0x11fe),
                join_tokens: std::collections::HashMap::new(),
            }),
            webhooks: Arc::new(Webhooks::with_log_capacity(log_capacity)),
            seed,
        }
    }

    fn lock(&self) -> MutexGuard<'_, LiveInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Back to empty (control reset): rooms, recordings, subscriptions and deliveries.
    pub fn reset(&self) {
        let mut inner = self.lock();
        inner.rooms.clear();
        inner.recordings.clear();
        inner.join_tokens.clear();
        inner.rng = StdRng::seed_from_u64(self.seed ^ 0x11fe);
        drop(inner);
        self.webhooks.clear();
    }

    /// The clock moved: apply recording retention and wake the webhook dispatcher.
    pub fn clock_advanced(&self, state: &FakeState) {
        self.sweep(state);
        self.webhooks.clock_advanced();
    }

    /// Applies recording retention up to now.
    pub fn sweep(&self, state: &FakeState) {
        let now = state.now();
        let policies: Vec<(String, RecordingPolicy)> = state
            .config
            .accounts
            .iter()
            .map(|a| (a.id.clone(), a.live.recordings))
            .collect();
        self.lock().recordings.sweep(now, |account| {
            policies
                .iter()
                .find(|(id, _)| id == account)
                .map(|(_, p)| *p)
                .unwrap_or_default()
        });
    }

    /// Runs `f` on the recordings (after applying retention).
    pub fn with_recordings<T>(
        &self,
        state: &FakeState,
        f: impl FnOnce(&mut RecordingStore) -> T,
    ) -> T {
        self.sweep(state);
        f(&mut self.lock().recordings)
    }

    /// Runs `f` on the rooms.
    pub fn with_rooms<T>(&self, f: impl FnOnce(&RoomRegistry) -> T) -> T {
        f(&self.lock().rooms)
    }

    fn find(&self, state: &FakeState, meeting_id: u64) -> Result<Found, LiveError> {
        for account_id in state.account_ids() {
            let Some(account) = state.lock_account(&account_id) else {
                continue;
            };
            if let Some(meeting) = account.meetings.get(&meeting_id) {
                let config = state
                    .config
                    .accounts
                    .iter()
                    .find(|a| a.id == account_id)
                    .map(|a| a.live)
                    .unwrap_or_default();
                return Ok(Found {
                    facts: meeting_facts(meeting, &account_id),
                    next_uuid: meeting.uuid.clone(),
                    account_id,
                    config,
                    plan: account.plan,
                });
            }
        }
        Err(LiveError::meeting_not_found(meeting_id))
    }

    /// The account a meeting belongs to, if the meeting exists.
    pub fn account_of(&self, state: &FakeState, meeting_id: u64) -> Option<String> {
        self.find(state, meeting_id).ok().map(|f| f.account_id)
    }

    fn resolve_user(&self, state: &FakeState, home: &str, key: &str) -> Result<UserRef, LiveError> {
        let mut order = vec![home.to_string()];
        order.extend(state.account_ids().into_iter().filter(|a| a != home));
        for account_id in order {
            if let Some(account) = state.lock_account(&account_id)
                && let Some(user) = account.user(key)
            {
                return Ok(UserRef {
                    id: user.id.clone(),
                    email: user.email.clone(),
                    account_id,
                });
            }
        }
        Err(LiveError::new(
            404,
            1001,
            format!("User does not exist: {key}."),
        ))
    }

    fn grant(
        &self,
        state: &FakeState,
        home: &str,
        token: &SecretString,
        kind: UserTokenKind,
    ) -> Result<TokenGrant, LiveError> {
        let label = match kind {
            UserTokenKind::Zak => "ZAK",
            UserTokenKind::Obf => "OBF",
        };
        let now = state.now();
        let entry = state
            .tokens
            .use_user_token(token.expose_secret(), kind, now)
            .map_err(|e| {
                LiveError::new(
                    401,
                    3265,
                    match e {
                        UserTokenError::Invalid => format!("The {label} token is not valid."),
                        UserTokenError::Expired => format!("The {label} token has expired."),
                        UserTokenError::AlreadyUsed => {
                            format!("The {label} token has already been used.")
                        }
                    },
                )
            })?;
        let mut user = self.resolve_user(state, home, &entry.user_id)?;
        user.account_id = entry.account_id.clone();
        Ok(TokenGrant {
            fingerprint: fingerprint(token.expose_secret()),
            user,
            expires_at: entry.expires_at,
            meeting_id: entry.meeting_id,
        })
    }

    /// A participant joins (contract 3).
    pub fn join(
        &self,
        state: &FakeState,
        meeting_id: u64,
        request: JoinRequest,
    ) -> Result<JoinOutcome, LiveError> {
        let found = self.find(state, meeting_id)?;
        let needs_user = matches!(
            request.role,
            JoinRole::Host | JoinRole::CoHost | JoinRole::AlternativeHost | JoinRole::AccountUser
        );
        if !needs_user && request.user_id.is_some() {
            return Err(LiveError::bad_request(
                "user_id is only for the roles host, co_host, alternative_host and account_user.",
            ));
        }
        if request.role != JoinRole::Bot
            && (request.zak.is_some() || request.obf.is_some() || request.join_token.is_some())
        {
            return Err(LiveError::bad_request(
                "zak, obf and join_token are only for the role bot.",
            ));
        }
        if request.zak.is_some() && request.obf.is_some() {
            return Err(LiveError::bad_request("Give either zak or obf, not both."));
        }
        let user = match (&request.user_id, needs_user) {
            (Some(key), _) => Some(self.resolve_user(state, &found.account_id, key)?),
            (None, true) => {
                return Err(LiveError::bad_request(format!(
                    "The role {} needs a user_id.",
                    snake(&request.role)
                )));
            }
            (None, false) => None,
        };
        let credential = match (&request.zak, &request.obf) {
            (Some(zak), _) => {
                Credential::Zak(self.grant(state, &found.account_id, zak, UserTokenKind::Zak)?)
            }
            (_, Some(obf)) => {
                Credential::Obf(self.grant(state, &found.account_id, obf, UserTokenKind::Obf)?)
            }
            _ => Credential::None,
        };
        let joiner = Joiner {
            name: request.name,
            role: request.role,
            user,
            email: request.email,
            credential,
            bypass_waiting_room: false,
        };
        let join_token = request.join_token;
        self.operate(
            state,
            &found.account_id,
            meeting_id,
            || LiveError::meeting_not_found(meeting_id),
            |inner, found, now| {
                let mut joiner = joiner;
                if let Some(token) = &join_token {
                    joiner.bypass_waiting_room = inner.use_join_token(token, meeting_id, now)?;
                }
                let (outcome, events) = inner.rooms.join(
                    &found.facts,
                    &found.next_uuid,
                    joiner,
                    found.config.zak_policy,
                    now,
                    &mut inner.rng,
                )?;
                Ok::<_, LiveError>((outcome, Some(events)))
            },
        )
    }

    /// Mints a local-recording join token for a meeting (the caller checked the meeting, the
    /// app and its scopes).
    pub fn mint_join_token(
        &self,
        meeting_id: u64,
        bypass_waiting_room: bool,
        now: OffsetDateTime,
    ) -> String {
        const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyz0123456789";
        let mut inner = self.lock();
        let token: String = (0..8)
            .map(|_| ALPHABET[rand::Rng::random_range(&mut inner.rng, 0..ALPHABET.len())] as char)
            .collect();
        inner.join_tokens.retain(|_, t| t.expires_at > now);
        inner.join_tokens.insert(
            token.clone(),
            JoinToken {
                meeting_id,
                bypass_waiting_room,
                expires_at: now + time::Duration::seconds(JOIN_TOKEN_SECONDS),
                used: false,
            },
        );
        token
    }

    /// Admit, deny, send back or remove a participant, by the host or a co-host.
    pub fn act(
        &self,
        state: &FakeState,
        meeting_id: u64,
        participant_id: &str,
        action: HostAction,
        by: &str,
    ) -> Result<ParticipantView, LiveError> {
        let found = self.find(state, meeting_id)?;
        let now = state.now();
        self.operate(
            state,
            &found.account_id,
            meeting_id,
            || LiveError::meeting_not_found(meeting_id),
            |inner, _, now| {
                let events = match action {
                    HostAction::Admit => inner.rooms.admit(meeting_id, participant_id, by, now),
                    HostAction::Deny => inner.rooms.deny(meeting_id, participant_id, by, now),
                    HostAction::SendToWaitingRoom => {
                        inner
                            .rooms
                            .send_to_waiting_room(meeting_id, participant_id, by, now)
                    }
                    HostAction::Remove => inner.rooms.remove(meeting_id, participant_id, by, now),
                }?;
                Ok::<_, LiveError>(((), Some(events)))
            },
        )?;
        // The view after the consequences (e.g. the meeting ended when the last one was removed).
        Self::participant_in(&self.lock().rooms, meeting_id, participant_id, now)
            .ok_or_else(|| RoomError::UnknownParticipant(participant_id.into()).into())
    }

    /// A participant leaves.
    pub fn leave(
        &self,
        state: &FakeState,
        meeting_id: u64,
        participant_id: &str,
    ) -> Result<ParticipantView, LiveError> {
        let found = self.find(state, meeting_id)?;
        let now = state.now();
        self.operate(
            state,
            &found.account_id,
            meeting_id,
            || LiveError::meeting_not_found(meeting_id),
            |inner, _, now| {
                let events = inner.rooms.leave(meeting_id, participant_id, now)?;
                Ok::<_, LiveError>(((), Some(events)))
            },
        )?;
        Self::participant_in(&self.lock().rooms, meeting_id, participant_id, now)
            .ok_or_else(|| RoomError::UnknownParticipant(participant_id.into()).into())
    }

    /// Ends the live instance (the host in the client, `PUT /meetings/{id}/status`, deletion).
    /// `Ok(false)` when the meeting exists but nothing was live.
    pub fn end(
        &self,
        state: &FakeState,
        meeting_id: u64,
        cause: EndCause,
    ) -> Result<bool, LiveError> {
        let found = self.find(state, meeting_id)?;
        self.operate(
            state,
            &found.account_id,
            meeting_id,
            || LiveError::meeting_not_found(meeting_id),
            |inner, _, now| match inner.rooms.end(meeting_id, cause, now) {
                Ok(events) => Ok((true, Some(events))),
                Err(RoomError::NotLive(_)) => Ok((false, None)),
                Err(e) => Err(LiveError::from(e)),
            },
        )
    }

    /// Ends the live instance of a meeting whose facts are already known (the caller holds the
    /// account lock, e.g. `PUT /meetings/{id}/status`, and updates the meeting object itself).
    /// Returns whether an instance had started (the meeting's `status` goes back to `waiting`
    /// and it needs a fresh `uuid`).
    pub fn end_known(
        &self,
        state: &FakeState,
        meeting: &Meeting,
        account_id: &str,
        cause: EndCause,
    ) -> bool {
        let found = self.found_from(state, meeting, account_id);
        let now = state.now();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let Ok(events) = inner.rooms.end(meeting.id, cause, now) else {
            return false;
        };
        self.consequences(state, inner, &found, &events, now).ended
    }

    /// A meeting's settings changed (`PATCH /meetings/{id}`; the caller holds the account lock):
    /// turning the waiting room off admits everyone in it, as Zoom does.
    pub fn settings_changed(&self, state: &FakeState, meeting: &Meeting, account_id: &str) {
        let found = self.found_from(state, meeting, account_id);
        let now = state.now();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let events = inner.rooms.settings_changed(&found.facts, now);
        if !events.is_empty() {
            self.consequences(state, inner, &found, &events, now);
        }
    }

    fn found_from(&self, state: &FakeState, meeting: &Meeting, account_id: &str) -> Found {
        Found {
            account_id: account_id.to_string(),
            facts: meeting_facts(meeting, account_id),
            next_uuid: meeting.uuid.clone(),
            config: state
                .config
                .accounts
                .iter()
                .find(|a| a.id == account_id)
                .map(|a| a.live)
                .unwrap_or_default(),
            plan: state
                .config
                .accounts
                .iter()
                .find(|a| a.id == account_id)
                .map(|a| a.plan)
                .unwrap_or_default(),
        }
    }

    fn participant_in(
        rooms: &RoomRegistry,
        meeting_id: u64,
        participant_id: &str,
        now: OffsetDateTime,
    ) -> Option<ParticipantView> {
        let p = rooms.participant(meeting_id, participant_id)?;
        let uuid = rooms
            .live(meeting_id)
            .filter(|r| r.participant(participant_id).is_some())
            .map(|r| r.uuid.clone())
            .or_else(|| {
                rooms
                    .past_all(meeting_id)
                    .find(|r| r.participant(participant_id).is_some())
                    .map(|r| r.uuid.clone())
            })
            .unwrap_or_default();
        Some(view(p, &uuid, now))
    }

    /// One participant (live or past instance).
    pub fn participant(
        &self,
        state: &FakeState,
        meeting_id: u64,
        participant_id: &str,
    ) -> Result<ParticipantView, LiveError> {
        self.find(state, meeting_id)?;
        let now = state.now();
        Self::participant_in(&self.lock().rooms, meeting_id, participant_id, now)
            .ok_or_else(|| RoomError::UnknownParticipant(participant_id.into()).into())
    }

    /// The live instance as JSON (or the latest ended one, with `"live": false`).
    pub fn room_json(&self, state: &FakeState, meeting_id: u64) -> Result<Value, LiveError> {
        self.find(state, meeting_id)?;
        let now = state.now();
        let inner = self.lock();
        let (room, live) = match inner.rooms.live(meeting_id) {
            Some(r) => (r, true),
            None => match inner.rooms.past_all(meeting_id).next_back() {
                Some(r) => (r, false),
                None => {
                    return Err(LiveError::new(
                        404,
                        3000,
                        format!("Meeting {meeting_id} has not been joined yet."),
                    ));
                }
            },
        };
        let participants: Vec<ParticipantView> = room
            .participants
            .iter()
            .map(|p| view(p, &room.uuid, now))
            .collect();
        let waiting: Vec<&str> = room
            .in_waiting_room()
            .map(|p| p.participant_id.as_str())
            .collect();
        Ok(json!({
            "meeting_id": meeting_id,
            "uuid": room.uuid,
            "live": live,
            "status": serde_json::to_value(room.status).unwrap_or(Value::Null),
            "started_at": room.started_at.map(rfc3339),
            "ended_at": room.ended_at.map(rfc3339),
            "host": room.host().map(|p| p.participant_id.clone()),
            "participants": participants,
            "waiting_room": waiting,
            "recording": {
                "recording": room.recording.is_recording(),
                "paused": room.recording.paused,
                "blocked": room.recording.blocked,
            },
            "waiting_room_title": room.waiting_room_title,
            "waiting_room_description": room.waiting_room_description,
        }))
    }

    /// Everything, for `GET /_fake/state` (no secrets in it).
    pub fn snapshot(&self, state: &FakeState) -> Value {
        self.sweep(state);
        let inner = self.lock();
        json!({
            "rooms": serde_json::to_value(&inner.rooms).unwrap_or(Value::Null),
            "recordings": serde_json::to_value(&inner.recordings).unwrap_or(Value::Null),
            "webhook_subscriptions": self.webhooks.subscriptions(),
        })
    }

    /// In-meeting controls (`PATCH /live_meetings/{id}/events`) on the live instance; the
    /// closure gets the room and the storage check. Events it returns are processed.
    pub(crate) fn control(
        &self,
        state: &FakeState,
        meeting_id: u64,
        f: impl FnOnce(
            &mut crate::model::room::Room,
            &RecordingStore,
            &RecordingPolicy,
            Plan,
            OffsetDateTime,
        ) -> Result<Vec<RoomEvent>, crate::zoom_error::ZoomError>,
    ) -> Result<(), crate::zoom_error::ZoomError> {
        use crate::zoom_error::ZoomError;
        let not_found = || ZoomError::live_meeting_not_found(meeting_id);
        let found = self.find(state, meeting_id).map_err(|_| not_found())?;
        self.operate(
            state,
            &found.account_id,
            meeting_id,
            not_found,
            |inner, found, now| {
                let room = inner
                    .rooms
                    .live_room_mut(meeting_id)
                    .filter(|room| room.status == crate::model::room::RoomStatus::Started)
                    .ok_or_else(not_found)?;
                let events = f(
                    room,
                    &inner.recordings,
                    &found.config.recordings,
                    found.plan,
                    now,
                )?;
                Ok(((), Some(events)))
            },
        )
    }

    /// What follows from room events: auto cloud recording at start, recording files at the end,
    /// one webhook per event. Runs under the live lock; touches no account.
    fn consequences(
        &self,
        state: &FakeState,
        inner: &mut LiveInner,
        found: &Found,
        events: &[RoomEvent],
        now: OffsetDateTime,
    ) -> MeetingUpdate {
        let mut update = MeetingUpdate::default();
        let mut all: Vec<RoomEvent> = Vec::with_capacity(events.len() + 1);
        for event in events {
            all.push(event.clone());
            if let RoomEvent::MeetingStarted { uuid, at } = event {
                update.started = true;
                if found.facts.auto_recording == AutoRecording::Cloud
                    && let Some(room) = inner.rooms.live_room_mut(found.facts.meeting_id)
                {
                    let allowed = if found.plan == Plan::Free {
                        Err("cloud recording needs a paid plan".to_string())
                    } else {
                        inner
                            .recordings
                            .can_start(&found.account_id, &found.config.recordings)
                            .map_err(|e| e.to_string())
                    };
                    match allowed {
                        Ok(()) => {
                            room.recording.spans.push(Span {
                                from: *at,
                                to: None,
                            });
                            all.push(RoomEvent::Recording {
                                uuid: uuid.clone(),
                                action: "started",
                                at: *at,
                            });
                        }
                        Err(reason) => room.recording.blocked = Some(reason),
                    }
                }
            }
        }
        // Each app's scopes as they are now (a scope change applies to existing subscriptions).
        let grant_of = |app: &str| state.app(app).map(|a| a.grant.clone());
        for event in &all {
            let uuid = event_uuid(event);
            let start = inner
                .rooms
                .instance(found.facts.meeting_id, uuid)
                .map(|r| r.started_at.unwrap_or(r.opened_at))
                .unwrap_or(now);
            let (name, payload) = crate::webhooks::room_event(event, &found.facts, start);
            self.webhooks
                .emit(&found.account_id, name, payload, now, grant_of);
            if let RoomEvent::MeetingEnded { uuid, .. } = event {
                update.ended = true;
                if let Some(room) = inner.rooms.instance(found.facts.meeting_id, uuid).cloned()
                    && let Some(rec_uuid) = inner.recordings.complete(&room, &mut inner.rng)
                    && let Some(rec) = inner.recordings.get(&rec_uuid)
                {
                    for (name, payload, download_token) in crate::api::recordings::completed_events(
                        rec,
                        &state.base_url,
                        &found.config.recordings,
                        &mut inner.rng,
                    ) {
                        self.webhooks.emit_with(
                            &found.account_id,
                            name,
                            payload,
                            Some(("download_token", Value::String(download_token))),
                            now,
                            grant_of,
                        );
                    }
                }
            }
        }
        // Once an instance has closed (ended, or abandoned before it started) the meeting's uuid
        // is spent: the next instance gets a fresh one.
        let id = found.facts.meeting_id;
        if inner.rooms.live(id).is_none()
            && inner.rooms.past_all(id).any(|r| r.uuid == found.next_uuid)
        {
            update.ended = true;
        }
        update
    }

    /// One room operation on a meeting, atomic with respect to the meeting object: under the
    /// account lock, then the live lock (the order the `/v2` handlers use when they call
    /// [`Self::end_known`] and [`Self::settings_changed`]), the meeting's facts are read afresh,
    /// `op` runs on the rooms, its events' consequences run, and the meeting's `status`/`uuid`
    /// are written before either lock is released. So two concurrent control calls apply their
    /// meeting updates in the order of their room events, and a decision never rests on facts a
    /// concurrent `PATCH` has already changed. `op` returns `None` for "no room events" (the
    /// consequences are then skipped); `not_found` answers a meeting deleted meanwhile. Call
    /// nothing that locks an account from `op`.
    fn operate<T, E>(
        &self,
        state: &FakeState,
        account_id: &str,
        meeting_id: u64,
        not_found: impl Fn() -> E,
        op: impl FnOnce(
            &mut LiveInner,
            &Found,
            OffsetDateTime,
        ) -> Result<(T, Option<Vec<RoomEvent>>), E>,
    ) -> Result<T, E> {
        let mut account = state.lock_account(account_id).ok_or_else(&not_found)?;
        let plan = account.plan;
        let meeting = account
            .meetings
            .get_mut(&meeting_id)
            .ok_or_else(&not_found)?;
        let mut found = self.found_from(state, meeting, account_id);
        found.plan = plan;
        let now = state.now();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let (out, events) = op(inner, &found, now)?;
        if let Some(events) = events {
            let update = self.consequences(state, inner, &found, &events, now);
            Self::apply_update(state, meeting, update);
        }
        Ok(out)
    }

    /// Writes the meeting object's `status` and, after an instance, a fresh `uuid` (the caller
    /// holds the account lock and the live lock).
    fn apply_update(state: &FakeState, meeting: &mut Meeting, update: MeetingUpdate) {
        if update.ended {
            meeting.status = MeetingStatus::Waiting;
            meeting.uuid = state.ids.uuid();
        } else if update.started {
            meeting.status = MeetingStatus::Started;
        }
    }

    /// Saves a webhook subscription for an app after the URL validation handshake.
    pub async fn subscribe(
        &self,
        state: &FakeState,
        request: SubscribeRequest,
    ) -> Result<SubscriptionView, LiveError> {
        let app = state.app(&request.app).ok_or_else(|| {
            LiveError::new(
                404,
                3000,
                format!("No app has client id or API key {}.", request.app),
            )
        })?;
        // Zoom refuses events the app's scopes do not cover (checked again at every event, so
        // an empty list means "every event the app's scopes allow").
        for event in &request.events {
            match app.grant.check_event(event) {
                Ok(()) => {}
                Err(EventRefusal::Unknown) => {
                    return Err(LiveError::bad_request(format!("Unknown event {event}.")));
                }
                Err(EventRefusal::NotAllowed) => {
                    return Err(LiveError::new(
                        400,
                        3000,
                        format!("The event is not allowed for the app. ({event})"),
                    ));
                }
            }
        }
        self.webhooks
            .subscribe(
                &request.app,
                &app.account_id,
                &request.url,
                request.secret_token,
                request.events,
                state.now(),
            )
            .await
            .map_err(|e| match e {
                SubscribeError::ValidationFailed(_) => LiveError::new(400, 3000, e.to_string()),
                _ => LiveError::bad_request(e.to_string()),
            })
    }

    /// Uninstalls an app: its tokens are revoked and refused from now on, and `app_deauthorized`
    /// goes to its subscriptions (which receive nothing else afterwards).
    pub fn uninstall(&self, state: &FakeState, app_key: &str) -> Result<Value, LiveError> {
        let app = state.uninstall_app(app_key).ok_or_else(|| {
            LiveError::new(
                404,
                3000,
                format!("No app has client id or API key {app_key}."),
            )
        })?;
        let now = state.now();
        let user_id = match &app.auth {
            crate::config::AppAuth::UserOAuth { user_id, .. } => user_id.clone(),
            _ => state
                .lock_account(&app.account_id)
                .and_then(|a| a.owner().map(|u| u.id.clone()))
                .unwrap_or_default(),
        };
        let signature = {
            let mut inner = self.lock();
            let bytes: [u8; 32] = rand::Rng::random(&mut inner.rng);
            hex::encode(bytes)
        };
        let time = now
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let payload = json!({
            "account_id": app.account_id,
            "user_id": user_id,
            "signature": signature,
            "deauthorization_time": time,
            "client_id": app_key,
            "event_ts": (now.unix_timestamp_nanos() / 1_000_000) as i64,
        });
        self.webhooks
            .emit_to_app(app_key, "app_deauthorized", payload.clone(), now);
        self.webhooks.retire_app(app_key);
        Ok(json!({"client_id": app_key, "account_id": app.account_id, "uninstalled": true}))
    }
}

fn event_uuid(event: &RoomEvent) -> &str {
    match event {
        RoomEvent::MeetingStarted { uuid, .. }
        | RoomEvent::MeetingEnded { uuid, .. }
        | RoomEvent::JbhWaiting { uuid, .. }
        | RoomEvent::JoinedWaitingRoom { uuid, .. }
        | RoomEvent::Admitted { uuid, .. }
        | RoomEvent::PutInWaitingRoom { uuid, .. }
        | RoomEvent::LeftWaitingRoom { uuid, .. }
        | RoomEvent::Joined { uuid, .. }
        | RoomEvent::Left { uuid, .. }
        | RoomEvent::Recording { uuid, .. } => uuid,
    }
}

/// What the host or a co-host does to a participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostAction {
    /// Let in from the waiting room.
    Admit,
    /// Refuse entry from the waiting room.
    Deny,
    /// Send back to the waiting room.
    SendToWaitingRoom,
    /// Remove from the meeting or the waiting room.
    Remove,
}

/// `POST /_fake/webhooks/subscriptions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscribeRequest {
    /// The app's client id (or API key).
    pub app: String,
    /// Endpoint URL.
    pub url: String,
    /// The app's webhook secret token.
    pub secret_token: SecretString,
    /// Events to receive; empty or absent: all.
    #[serde(default)]
    pub events: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ByBody {
    by: String,
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, LiveError> {
    serde_json::from_slice(body)
        .map_err(|e| LiveError::bad_request(format!("Invalid request body: {e}")))
}

fn meeting_number(raw: &str) -> Result<u64, LiveError> {
    raw.trim()
        .parse::<u64>()
        .map_err(|_| LiveError::meeting_not_found(raw))
}

type Shared = State<Arc<FakeState>>;

/// The `/_fake/` routes of contract 3 (merged into the control router).
pub fn router() -> Router<Arc<FakeState>> {
    Router::new()
        .route("/meetings/{meeting_id}/participants", post(join_route))
        .route(
            "/meetings/{meeting_id}/participants/{participant_id}",
            get(participant_route),
        )
        .route(
            "/meetings/{meeting_id}/participants/{participant_id}/{action}",
            post(action_route),
        )
        .route("/meetings/{meeting_id}/end", post(end_route))
        .route("/meetings/{meeting_id}/room", get(room_route))
        .route(
            "/webhooks/subscriptions",
            post(subscribe_route).get(list_subscriptions_route),
        )
        .route("/webhooks/subscriptions/{id}", delete(unsubscribe_route))
        .route("/webhooks/deliveries", get(deliveries_route))
        .route("/webhooks/settle", post(settle_route))
        .route("/apps/{client_id}/uninstall", post(uninstall_route))
}

async fn join_route(
    State(state): Shared,
    Path(meeting_id): Path<String>,
    body: Bytes,
) -> Result<Response, LiveError> {
    let id = meeting_number(&meeting_id)?;
    let request: JoinRequest = parse_json(&body)?;
    let outcome = state.live.join(&state, id, request)?;
    Ok((StatusCode::CREATED, Json(outcome)).into_response())
}

async fn participant_route(
    State(state): Shared,
    Path((meeting_id, participant_id)): Path<(String, String)>,
) -> Result<Json<ParticipantView>, LiveError> {
    let id = meeting_number(&meeting_id)?;
    Ok(Json(state.live.participant(&state, id, &participant_id)?))
}

async fn action_route(
    State(state): Shared,
    Path((meeting_id, participant_id, action)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<Json<ParticipantView>, LiveError> {
    let id = meeting_number(&meeting_id)?;
    let host_action = match action.as_str() {
        "admit" => Some(HostAction::Admit),
        "deny" => Some(HostAction::Deny),
        "waiting_room" => Some(HostAction::SendToWaitingRoom),
        "remove" => Some(HostAction::Remove),
        "leave" => None,
        other => {
            return Err(LiveError::new(
                404,
                3000,
                format!(
                    "Unknown participant action {other}: use admit, deny, waiting_room, remove or leave."
                ),
            ));
        }
    };
    match host_action {
        Some(a) => {
            let by: ByBody = parse_json(&body)?;
            Ok(Json(state.live.act(
                &state,
                id,
                &participant_id,
                a,
                &by.by,
            )?))
        }
        None => Ok(Json(state.live.leave(&state, id, &participant_id)?)),
    }
}

async fn end_route(
    State(state): Shared,
    Path(meeting_id): Path<String>,
) -> Result<Response, LiveError> {
    let id = meeting_number(&meeting_id)?;
    if state.live.end(&state, id, EndCause::HostEnded)? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(RoomError::NotLive(id).into())
    }
}

async fn room_route(
    State(state): Shared,
    Path(meeting_id): Path<String>,
) -> Result<Json<Value>, LiveError> {
    let id = meeting_number(&meeting_id)?;
    Ok(Json(state.live.room_json(&state, id)?))
}

async fn subscribe_route(State(state): Shared, body: Bytes) -> Result<Response, LiveError> {
    let request: SubscribeRequest = parse_json(&body)?;
    let view = state.live.subscribe(&state, request).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

async fn list_subscriptions_route(State(state): Shared) -> Json<Vec<SubscriptionView>> {
    Json(state.live.webhooks.subscriptions())
}

async fn unsubscribe_route(
    State(state): Shared,
    Path(id): Path<String>,
) -> Result<StatusCode, LiveError> {
    if state.live.webhooks.unsubscribe(&id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(LiveError::new(
            404,
            3000,
            format!("No webhook subscription {id}."),
        ))
    }
}

async fn deliveries_route(State(state): Shared) -> Json<Value> {
    Json(json!({"deliveries": state.live.webhooks.attempts()}))
}

async fn settle_route(State(state): Shared) -> StatusCode {
    state.live.webhooks.settle(&state.clock).await;
    StatusCode::NO_CONTENT
}

async fn uninstall_route(
    State(state): Shared,
    Path(client_id): Path<String>,
) -> Result<Json<Value>, LiveError> {
    Ok(Json(state.live.uninstall(&state, &client_id)?))
}

/// Live-room operations on the embedded handle (contract 3).
impl crate::FakeZoom {
    /// A participant joins a meeting.
    pub fn join(&self, meeting_id: u64, request: JoinRequest) -> Result<JoinOutcome, LiveError> {
        self.state.live.join(&self.state, meeting_id, request)
    }
    /// The host or a co-host (`by`) admits someone from the waiting room.
    pub fn admit(
        &self,
        meeting_id: u64,
        participant_id: &str,
        by: &str,
    ) -> Result<ParticipantView, LiveError> {
        self.state.live.act(
            &self.state,
            meeting_id,
            participant_id,
            HostAction::Admit,
            by,
        )
    }
    /// The host or a co-host refuses someone in the waiting room.
    pub fn deny(
        &self,
        meeting_id: u64,
        participant_id: &str,
        by: &str,
    ) -> Result<ParticipantView, LiveError> {
        self.state.live.act(
            &self.state,
            meeting_id,
            participant_id,
            HostAction::Deny,
            by,
        )
    }
    /// The host or a co-host sends someone back to the waiting room.
    pub fn send_to_waiting_room(
        &self,
        meeting_id: u64,
        participant_id: &str,
        by: &str,
    ) -> Result<ParticipantView, LiveError> {
        self.state.live.act(
            &self.state,
            meeting_id,
            participant_id,
            HostAction::SendToWaitingRoom,
            by,
        )
    }
    /// The host or a co-host removes someone.
    pub fn remove_participant(
        &self,
        meeting_id: u64,
        participant_id: &str,
        by: &str,
    ) -> Result<ParticipantView, LiveError> {
        self.state.live.act(
            &self.state,
            meeting_id,
            participant_id,
            HostAction::Remove,
            by,
        )
    }
    /// A participant leaves.
    pub fn leave(
        &self,
        meeting_id: u64,
        participant_id: &str,
    ) -> Result<ParticipantView, LiveError> {
        self.state
            .live
            .leave(&self.state, meeting_id, participant_id)
    }
    /// One participant.
    pub fn participant(
        &self,
        meeting_id: u64,
        participant_id: &str,
    ) -> Result<ParticipantView, LiveError> {
        self.state
            .live
            .participant(&self.state, meeting_id, participant_id)
    }
    /// The host ends the meeting in the client; `Ok(false)` when nothing was live.
    pub fn end_meeting(&self, meeting_id: u64) -> Result<bool, LiveError> {
        self.state
            .live
            .end(&self.state, meeting_id, EndCause::HostEnded)
    }
    /// The live (or latest) instance as JSON.
    pub fn room(&self, meeting_id: u64) -> Result<Value, LiveError> {
        self.state.live.room_json(&self.state, meeting_id)
    }
    /// Subscribes an app's endpoint to webhooks (runs the URL validation handshake).
    pub async fn subscribe_webhooks(
        &self,
        request: SubscribeRequest,
    ) -> Result<SubscriptionView, LiveError> {
        self.state.live.subscribe(&self.state, request).await
    }
    /// Removes a webhook subscription.
    pub fn unsubscribe_webhooks(&self, id: &str) -> bool {
        self.state.live.webhooks.unsubscribe(id)
    }
    /// Every webhook delivery attempt so far.
    pub fn webhook_deliveries(&self) -> Vec<crate::webhooks::DeliveryAttempt> {
        self.state.live.webhooks.attempts()
    }
    /// Waits until every webhook delivery due on the fake's clock has been attempted.
    pub async fn settle_webhooks(&self) {
        self.state.live.webhooks.settle(&self.state.clock).await;
    }
    /// Uninstalls an app (`app_deauthorized`; its tokens are refused afterwards).
    pub fn uninstall_app(&self, client_id: &str) -> Result<Value, LiveError> {
        self.state.live.uninstall(&self.state, client_id)
    }
}
