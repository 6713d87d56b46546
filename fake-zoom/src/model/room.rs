//! Live meeting instances: who is in the meeting, who waits, and why.
//!
//! Zoom has no REST call for joining a meeting (that is the Meeting SDK's or the client's job) and
//! none for admitting someone from the waiting room (fact sheet §2.3: "There is no REST endpoint to
//! admit a waiting-room participant"). The fake therefore lets participants join, and hosts admit
//! them, through its control API; this module holds the state and every decision, with no HTTP in
//! it, so the rules can be tested on their own.
//!
//! * [`RoomRegistry`]: per meeting, the live instance (if any) and the ended ones.
//! * [`Room`]: one instance, with a fresh `uuid`, its [`Participant`]s and cloud-recording spans.
//! * [`decide_admission`]: the pure admission rule; each branch names the Zoom fact it rests on.
//! * [`RoomEvent`]: what happened, in order, for the webhook layer to turn into Zoom's events.
//!
//! The decisions and the Zoom facts they rest on (fact sheet §2.1, §2.3, §7):
//!
//! | situation | outcome | Zoom fact |
//! | --- | --- | --- |
//! | host joins (or a ZAK minted for the host) | in meeting; starts the instance | "the ZAK of the **host** lets the SDK start the meeting as host" |
//! | alternative host joins | in meeting; may start the instance | alternative hosts can start the meeting in the host's absence |
//! | co-host joins | skips the waiting room; cannot start the instance | host and co-hosts are never held in the waiting room |
//! | waiting room on, anyone else | waiting room, unless `waiting_room_options` exempts them | "Waiting room on ⇒ status `in_waiting_room` until admitted" |
//! | bot with a valid ZAK ([`ZakPolicy::AnyValidZak`]) | skips the waiting room | the seed: ZAK tokens "allow the bot to bypass waiting rooms" |
//! | bot with a ZAK of another user ([`ZakPolicy::HostZakOnly`]) | treated as that signed-in user | Recall v1.10: only a ZAK minted for the meeting host skips; a shared service account's does not |
//! | bot with a local-recording join token minted with `bypass_waiting_room=true` | skips the waiting room | Recall's current docs: `GET /meetings/{id}/jointoken/local_recording?bypass_waiting_room=true` (120 s, single use, meeting-scoped) |
//! | bot with an OBF token | a normal participant (waits if the waiting room is on) | OBF only authorises the join; "the bot must be admitted" |
//! | OBF whose owner is not in the meeting | refused | "the authorizing user must already be in the meeting or the join fails" |
//! | OBF owner leaves | the bot leaves too | the app "must leave … when their owner leaves" (UNCERTAIN in edge cases) |
//! | expired ZAK / OBF | refused | ZAK 2 h by default (`/users/me/zak`: 5 min), OBF 2 h; SDK error 3265 "token error" |
//! | join-before-host off, instance not started | waits for the host | SDK "Meeting has not started" (web 3008) — the client waits |
//! | join-before-host on, waiting room off | in meeting; starts the instance | `join_before_host` (only effective with the waiting room off) |
//! | `jbh_time` 5/10/15 and too early | waits for the host | participants may join that many minutes before the start time |
//! | everyone in the meeting has left | the instance ends | Zoom ends a meeting once its last participant leaves |
//!
//! Waiting room and join-before-host interact as Zoom documents: `waiting_room` true disables
//! `join_before_host`, so with the waiting room on nobody but the host (or an alternative host)
//! starts the instance; exempted participants then wait for the host instead.

use std::collections::{HashMap, HashSet};

use base64::Engine as _;
use rand::Rng;
use serde::Serialize;
use time::{Duration, OffsetDateTime};

/// Who is sent to the waiting room (`settings.waiting_room_options.who_goes_to_waiting_room`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum WaitingRoomAudience {
    /// Everyone but the host, alternative hosts and co-hosts (also Zoom's `follow_setting` default).
    #[default]
    Everyone,
    /// Only people who are not signed-in users of the host's account.
    UsersNotInAccount,
    /// As [`Self::UsersNotInAccount`]; the fake keeps no domain allow-list, so no domain is exempt.
    UsersNotInAccountOrWhitelistedDomains,
    /// Only people whose email is not among the meeting's invitees.
    UsersNotOnInvite,
}

impl WaitingRoomAudience {
    /// Parses Zoom's wire value; `None` for a value Zoom does not define.
    pub fn from_zoom(value: &str) -> Option<Self> {
        match value {
            "everyone" => Some(Self::Everyone),
            "users_not_in_account" => Some(Self::UsersNotInAccount),
            "users_not_in_account_or_whitelisted_domains" => {
                Some(Self::UsersNotInAccountOrWhitelistedDomains)
            }
            "users_not_on_invite" => Some(Self::UsersNotOnInvite),
            _ => None,
        }
    }
}

/// Which ZAKs let a bot skip the waiting room (the fact sheet §7 records two readings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ZakPolicy {
    /// The seed's rule and the default: any valid, unexpired ZAK skips the waiting room ("Generates
    /// ZAK tokens that allow the bot to bypass waiting rooms").
    #[default]
    AnyValidZak,
    /// Recall's v1.10 reading: only a ZAK minted for the meeting's host (or an alternative host)
    /// skips it; a ZAK of any other user (e.g. a shared service account) joins as that user.
    HostZakOnly,
}

/// Per-account configuration of live meetings (`live:` in an account's YAML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LiveConfig {
    /// Which ZAKs skip the waiting room.
    pub zak_policy: ZakPolicy,
    /// Cloud storage limit and retention.
    pub recordings: super::recording::RecordingPolicy,
}

impl LiveConfig {
    /// What serde cannot check: a retention period from one day to
    /// [`MAX_RETENTION_DAYS`](super::recording::MAX_RETENTION_DAYS).
    pub fn validate(&self) -> Result<(), String> {
        use super::recording::MAX_RETENTION_DAYS;
        match self.recordings.retention_days {
            Some(0) => Err("recordings.retention_days must be at least 1 (or absent: keep)".into()),
            Some(days) if days > MAX_RETENTION_DAYS => Err(format!(
                "recordings.retention_days is {days}; at most {MAX_RETENTION_DAYS} (100 years) is accepted (or absent: keep)"
            )),
            _ => Ok(()),
        }
    }
}

/// The scheduled meeting as the room needs it, read fresh at every decision (settings can change
/// while the meeting runs).
#[derive(Debug, Clone, Serialize)]
pub struct MeetingFacts {
    /// Meeting number.
    pub meeting_id: u64,
    /// Host's Zoom user id.
    pub host_id: String,
    /// Host's email.
    pub host_email: String,
    /// The host's account.
    pub account_id: String,
    /// Meeting topic (webhook payloads carry it).
    pub topic: String,
    /// Meeting type (1, 2, 3, 8 ...).
    pub meeting_type: u8,
    /// Scheduled start, if any.
    pub start_time: Option<OffsetDateTime>,
    /// Scheduled duration in minutes.
    pub duration: u32,
    /// IANA time zone name, passed through.
    pub timezone: String,
    /// `settings.alternative_hosts`, split on `;` / `,`: user ids or emails.
    pub alternative_hosts: Vec<String>,
    /// `settings.meeting_invitees[].email`.
    pub invitees: Vec<String>,
    /// `settings.waiting_room`.
    pub waiting_room: bool,
    /// `settings.waiting_room_options.who_goes_to_waiting_room`.
    pub waiting_room_audience: WaitingRoomAudience,
    /// `settings.join_before_host`.
    pub join_before_host: bool,
    /// `settings.jbh_time`: 0 = any time, else minutes before `start_time`.
    pub jbh_time: u32,
    /// `settings.auto_recording`.
    pub auto_recording: AutoRecording,
}

impl MeetingFacts {
    fn is_alternative_host(&self, user: &UserRef) -> bool {
        self.alternative_hosts
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&user.id) || a.eq_ignore_ascii_case(&user.email))
    }
    fn is_host(&self, user: &UserRef) -> bool {
        user.id == self.host_id || user.email.eq_ignore_ascii_case(&self.host_email)
    }
    fn is_invited(&self, email: Option<&str>) -> bool {
        email.is_some_and(|e| self.invitees.iter().any(|i| i.eq_ignore_ascii_case(e)))
    }
}

/// `settings.auto_recording`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AutoRecording {
    /// Record to Zoom's cloud from the start.
    Cloud,
    /// Record on the host's computer: nothing reaches the cloud.
    Local,
    /// No automatic recording.
    #[default]
    None,
}

impl AutoRecording {
    /// Parses Zoom's wire value.
    pub fn from_zoom(value: &str) -> Option<Self> {
        match value {
            "cloud" => Some(Self::Cloud),
            "local" => Some(Self::Local),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// A Zoom user, resolved by the caller from an id or email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRef {
    /// Zoom user id.
    pub id: String,
    /// Email.
    pub email: String,
    /// The user's account.
    pub account_id: String,
}

/// The role a participant claims when joining (contract 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinRole {
    /// The meeting's host (must be that user).
    Host,
    /// A co-host: the host made this signed-in user co-host, and Zoom keeps that on rejoin.
    CoHost,
    /// A user listed in `settings.alternative_hosts`.
    AlternativeHost,
    /// A signed-in user of some account (usually the host's).
    AccountUser,
    /// Someone not signed in.
    External,
    /// A Meeting SDK bot (credential decides the rest).
    Bot,
}

/// A join token, resolved by the caller from the token string (the secret never reaches here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenGrant {
    /// A non-secret fingerprint of the token (used to refuse a second use of an OBF token).
    pub fingerprint: String,
    /// The user the token was minted for.
    pub user: UserRef,
    /// Expiry.
    pub expires_at: OffsetDateTime,
    /// OBF only: the meeting it was minted for, if any.
    pub meeting_id: Option<u64>,
}

/// What a joiner presents besides the SDK signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Credential {
    /// No token: a plain join.
    None,
    /// A ZAK (`GET /users/{id}/token?type=zak` or `/users/me/zak`).
    Zak(TokenGrant),
    /// An OBF token (`GET /users/{id}/token?type=onbehalf`).
    Obf(TokenGrant),
}

/// A join request after the caller resolved users and tokens.
#[derive(Debug, Clone)]
pub struct Joiner {
    /// Display name.
    pub name: String,
    /// Claimed role.
    pub role: JoinRole,
    /// The signed-in user (for host, co-host, alternative host, account user).
    pub user: Option<UserRef>,
    /// An email for external users (used by `users_not_on_invite`).
    pub email: Option<String>,
    /// Token presented.
    pub credential: Credential,
    /// A valid local-recording join token minted with `bypass_waiting_room=true` came with the
    /// join (checked by the caller).
    pub bypass_waiting_room: bool,
}

/// A participant's status as the control API shows it (contract 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantStatus {
    /// In the meeting.
    InMeeting,
    /// Held in the waiting room.
    InWaitingRoom,
    /// Join-before-host is off and the instance has not started.
    WaitingForHost,
    /// Left on their own.
    Left,
    /// Removed by the host or a co-host.
    Removed,
    /// Refused entry from the waiting room.
    Denied,
    /// The instance ended while they were present or waiting.
    MeetingEnded,
}

impl ParticipantStatus {
    /// Still attached to the instance (in it or waiting).
    pub fn is_present(self) -> bool {
        matches!(
            self,
            Self::InMeeting | Self::InWaitingRoom | Self::WaitingForHost
        )
    }
}

/// How a participant got in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryPath {
    /// As host or alternative host.
    Host,
    /// Skipped the waiting room with a ZAK.
    Zak,
    /// Skipped the waiting room with a local-recording join token (`bypass_waiting_room=true`).
    JoinToken,
    /// Exempt from the waiting room (co-host, `waiting_room_options`), or no waiting room.
    Direct,
    /// Admitted from the waiting room by the host or a co-host.
    Admitted,
}

/// A period with a start and (once closed) an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Start.
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    /// End; `None` while open.
    #[serde(with = "time::serde::rfc3339::option")]
    pub to: Option<OffsetDateTime>,
}

impl Span {
    fn open(at: OffsetDateTime) -> Self {
        Self { from: at, to: None }
    }
    /// Whole seconds covered (an open span counts up to `now`).
    pub fn seconds(&self, now: OffsetDateTime) -> i64 {
        (self.to.unwrap_or(now) - self.from).whole_seconds().max(0)
    }
}

/// One person's presence in one instance.
#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    /// Per-meeting participant id (Zoom's `user_id` in reports; unique across the meeting's instances).
    pub participant_id: String,
    /// Zoom's `participant_uuid`.
    pub participant_uuid: String,
    /// Display name.
    pub name: String,
    /// Claimed role.
    pub role: JoinRole,
    /// Signed-in Zoom user, if any (for a ZAK join, the ZAK's user).
    pub user: Option<UserRef>,
    /// Email shown in events and reports.
    pub email: Option<String>,
    /// Whether the credential was a ZAK / OBF.
    pub credential: CredentialKind,
    /// Current status.
    pub status: ParticipantStatus,
    /// Why the status is what it is (e.g. "waiting room on").
    pub reason: String,
    /// How they got in, once in.
    pub entry: Option<EntryPath>,
    /// Holds the host role right now.
    pub holds_host: bool,
    /// First arrival (waiting or in).
    #[serde(with = "time::serde::rfc3339")]
    pub arrived_at: OffsetDateTime,
    /// First time in the meeting.
    #[serde(with = "time::serde::rfc3339::option")]
    pub joined_at: Option<OffsetDateTime>,
    /// When admitted from the waiting room (last admission).
    #[serde(with = "time::serde::rfc3339::option")]
    pub admitted_at: Option<OffsetDateTime>,
    /// When they stopped being present.
    #[serde(with = "time::serde::rfc3339::option")]
    pub left_at: Option<OffsetDateTime>,
    /// Periods in the meeting (attendance).
    pub in_meeting: Vec<Span>,
    /// Periods in the waiting room or waiting for the host.
    pub waiting: Vec<Span>,
    /// For an OBF bot: the participant id of the token's owner.
    pub obf_owner: Option<String>,
}

/// The kind of token presented, without the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// No token.
    None,
    /// ZAK.
    Zak,
    /// OBF.
    Obf,
}

impl Participant {
    /// A snapshot for events.
    pub fn reference(&self) -> ParticipantRef {
        ParticipantRef {
            participant_id: self.participant_id.clone(),
            participant_uuid: self.participant_uuid.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            user_id: self.user.as_ref().map(|u| u.id.clone()),
        }
    }
    fn can_manage(&self) -> bool {
        self.status == ParticipantStatus::InMeeting
            && (self.holds_host
                || matches!(self.role, JoinRole::CoHost | JoinRole::AlternativeHost))
    }
    fn person_key(&self) -> String {
        match &self.user {
            Some(u) => format!("user:{}", u.id),
            None => format!("participant:{}", self.participant_id),
        }
    }
    fn close_open_spans(&mut self, at: OffsetDateTime) {
        for span in self.in_meeting.iter_mut().chain(self.waiting.iter_mut()) {
            if span.to.is_none() {
                span.to = Some(at);
            }
        }
    }
}

/// The participant fields webhook payloads carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantRef {
    /// Per-meeting participant id.
    pub participant_id: String,
    /// Participant uuid.
    pub participant_uuid: String,
    /// Display name.
    pub name: String,
    /// Email, if known.
    pub email: Option<String>,
    /// Zoom user id when signed in.
    pub user_id: Option<String>,
}

/// Lifecycle of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomStatus {
    /// People are waiting; nobody able to start it has joined.
    NotStarted,
    /// Running.
    Started,
    /// Over.
    Ended,
}

/// Why an instance ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndCause {
    /// The host ended it in the client (control `POST .../end`).
    HostEnded,
    /// `PUT /v2/meetings/{id}/status {"action":"end"}`.
    ApiEnded,
    /// The last participant in the meeting left.
    EveryoneLeft,
    /// The meeting was deleted.
    MeetingDeleted,
}

/// One live or ended instance of a meeting.
#[derive(Debug, Clone, Serialize)]
pub struct Room {
    /// Meeting number.
    pub meeting_id: u64,
    /// This instance's uuid.
    pub uuid: String,
    /// Lifecycle.
    pub status: RoomStatus,
    /// When the first person arrived.
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    /// When it started.
    #[serde(with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    /// When it ended.
    #[serde(with = "time::serde::rfc3339::option")]
    pub ended_at: Option<OffsetDateTime>,
    /// Why it ended.
    pub end_cause: Option<EndCause>,
    /// Everyone who came, in arrival order.
    pub participants: Vec<Participant>,
    /// Cloud recording.
    pub recording: CloudRecordingState,
    /// The meeting facts as of the last operation (for payloads after the meeting is gone).
    pub facts: MeetingFacts,
    /// Custom waiting-room title / description set by `waiting_room.update`.
    pub waiting_room_title: Option<String>,
    /// See `waiting_room_title`.
    pub waiting_room_description: Option<String>,
    #[serde(skip)]
    consumed_obf: HashSet<String>,
}

/// Cloud recording during an instance.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CloudRecordingState {
    /// Recorded spans (pause or stop closes one).
    pub spans: Vec<Span>,
    /// Paused (a span is closed but the recording is not stopped).
    pub paused: bool,
    /// Why the cloud recording did not start, if it did not (e.g. storage full).
    pub blocked: Option<String>,
}

impl CloudRecordingState {
    /// Recording right now.
    pub fn is_recording(&self) -> bool {
        self.spans.last().is_some_and(|s| s.to.is_none())
    }
    /// Started and not stopped (recording or paused).
    pub fn is_active(&self) -> bool {
        self.is_recording() || self.paused
    }
}

impl Room {
    /// The participant with this id.
    pub fn participant(&self, participant_id: &str) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| p.participant_id == participant_id)
    }
    fn index_of(&self, participant_id: &str) -> Option<usize> {
        self.participants
            .iter()
            .position(|p| p.participant_id == participant_id)
    }
    /// The host role's holder, if in the meeting.
    pub fn host(&self) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| p.holds_host && p.status == ParticipantStatus::InMeeting)
    }
    /// Participants in the meeting now.
    pub fn in_meeting(&self) -> impl Iterator<Item = &Participant> {
        self.participants
            .iter()
            .filter(|p| p.status == ParticipantStatus::InMeeting)
    }
    /// Participants in the waiting room now.
    pub fn in_waiting_room(&self) -> impl Iterator<Item = &Participant> {
        self.participants
            .iter()
            .filter(|p| p.status == ParticipantStatus::InWaitingRoom)
    }
    /// Distinct people who were in the meeting at some point (signed-in users counted once).
    pub fn attendee_count(&self) -> usize {
        self.participants
            .iter()
            .filter(|p| !p.in_meeting.is_empty())
            .map(Participant::person_key)
            .collect::<HashSet<_>>()
            .len()
    }
    /// Sum of everyone's in-meeting seconds.
    pub fn total_seconds(&self, now: OffsetDateTime) -> i64 {
        self.participants
            .iter()
            .flat_map(|p| p.in_meeting.iter())
            .map(|s| s.seconds(now))
            .sum()
    }
    /// Instance length in whole minutes (0 before it started).
    pub fn duration_minutes(&self, now: OffsetDateTime) -> i64 {
        match self.started_at {
            Some(s) => ((self.ended_at.unwrap_or(now) - s).whole_seconds().max(0) + 59) / 60,
            None => 0,
        }
    }
}

/// The pure outcome of [`decide_admission`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// Straight in.
    Enter {
        /// This join starts the instance.
        starts: bool,
        /// Takes the host role (host, or alternative host while no host is present).
        takes_host: bool,
        /// How.
        path: EntryPath,
        /// Why, in words.
        reason: &'static str,
    },
    /// Held in the waiting room.
    WaitingRoom {
        /// Why.
        reason: &'static str,
    },
    /// Waits for the host to start the instance.
    WaitForHost {
        /// Why.
        reason: &'static str,
    },
}

/// Why a join, or an action on a participant, is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoomError {
    /// No such meeting.
    #[error("meeting {0} does not exist")]
    UnknownMeeting(u64),
    /// The meeting has no live instance.
    #[error("meeting {0} is not live")]
    NotLive(u64),
    /// No such participant in the meeting.
    #[error("participant {0} is not in this meeting")]
    UnknownParticipant(String),
    /// The request lacks something it needs.
    #[error("{0}")]
    Invalid(String),
    /// `role: host` from someone who is not the meeting's host.
    #[error("user {0} is not the host of this meeting")]
    NotHost(String),
    /// `role: alternative_host` from someone not listed.
    #[error("user {0} is not an alternative host of this meeting")]
    NotAlternativeHost(String),
    /// The ZAK or OBF token has expired.
    #[error("the {0} token has expired")]
    TokenExpired(&'static str),
    /// The OBF token was minted for another meeting.
    #[error("the OBF token was issued for another meeting")]
    TokenForOtherMeeting,
    /// OBF tokens are single-use.
    #[error("the OBF token has already been used")]
    TokenAlreadyUsed,
    /// The OBF token's owner is not in the meeting.
    #[error("the OBF token's owner ({0}) is not in the meeting")]
    ObfOwnerAbsent(String),
    /// `by` is not the host, an alternative host or a co-host in the meeting.
    #[error("participant {0} is not the host or a co-host in the meeting")]
    NotPermitted(String),
    /// The action does not apply to the participant's status.
    #[error("participant {participant_id} is {status:?}; {action} does not apply")]
    WrongStatus {
        /// Participant.
        participant_id: String,
        /// Their status.
        status: ParticipantStatus,
        /// The action attempted.
        action: &'static str,
    },
    /// The host cannot be removed, denied or sent to the waiting room.
    #[error("the host cannot be {0}")]
    CannotTargetHost(&'static str),
}

/// Who arrives, as [`decide_admission`] sees them.
#[derive(Debug, Clone, Copy)]
pub struct Arrival<'a> {
    /// Claimed role.
    pub role: JoinRole,
    /// The effective signed-in user (a ZAK's user for a ZAK join).
    pub identity: Option<&'a UserRef>,
    /// Email (for `users_not_on_invite`).
    pub email: Option<&'a str>,
    /// Token kind presented (already checked).
    pub credential: CredentialKind,
    /// A local-recording join token with `bypass_waiting_room=true` came with the join.
    pub token_bypass: bool,
}

/// Decides where a joiner goes. `started`: the instance is running. Pure: no state is changed.
///
/// Token validity (expiry, OBF single use and owner presence) is checked before this, in
/// [`RoomRegistry::join`].
pub fn decide_admission(
    facts: &MeetingFacts,
    arrival: &Arrival<'_>,
    zak_policy: ZakPolicy,
    started: bool,
    host_present: bool,
    now: OffsetDateTime,
) -> Admission {
    let Arrival {
        role,
        identity,
        email,
        credential,
        token_bypass,
    } = *arrival;
    let is_host = identity.is_some_and(|u| facts.is_host(u));
    let is_alt = identity.is_some_and(|u| facts.is_alternative_host(u));
    // Host, or a ZAK minted for the host: Zoom lets the host's ZAK start the meeting as host (§7).
    if role == JoinRole::Host || (credential == CredentialKind::Zak && is_host) {
        return Admission::Enter {
            starts: !started,
            takes_host: true,
            path: if credential == CredentialKind::Zak && role == JoinRole::Bot {
                EntryPath::Zak
            } else {
                EntryPath::Host
            },
            reason: "the host starts and enters the meeting",
        };
    }
    // Alternative hosts can start the meeting and hold host controls while the host is away.
    if role == JoinRole::AlternativeHost || (credential == CredentialKind::Zak && is_alt) {
        return Admission::Enter {
            starts: !started,
            takes_host: !host_present,
            path: if role == JoinRole::Bot {
                EntryPath::Zak
            } else {
                EntryPath::Host
            },
            reason: "alternative hosts may start the meeting and skip the waiting room",
        };
    }
    let in_account = identity.is_some_and(|u| u.account_id == facts.account_id);
    let zak_bypass = credential == CredentialKind::Zak && zak_policy == ZakPolicy::AnyValidZak;
    let exempt_by_options = match facts.waiting_room_audience {
        WaitingRoomAudience::Everyone => false,
        WaitingRoomAudience::UsersNotInAccount
        | WaitingRoomAudience::UsersNotInAccountOrWhitelistedDomains => in_account,
        WaitingRoomAudience::UsersNotOnInvite => {
            facts.is_invited(email.or(identity.map(|u| u.email.as_str())))
        }
    };
    // Co-hosts are never held in the waiting room (but cannot start the meeting).
    // Recall's current way: the meeting's local-recording join token, minted with
    // `bypass_waiting_room=true` by the host's side, lets the bot skip the waiting room.
    let skips_waiting_room =
        role == JoinRole::CoHost || zak_bypass || token_bypass || exempt_by_options;
    if facts.waiting_room && !skips_waiting_room {
        // Zoom: with the waiting room on, everyone else waits to be admitted, before and after start.
        return Admission::WaitingRoom {
            reason: "waiting room on",
        };
    }
    let path = match (zak_bypass, token_bypass) {
        (true, _) if facts.waiting_room => EntryPath::Zak,
        (_, true) if facts.waiting_room => EntryPath::JoinToken,
        _ => EntryPath::Direct,
    };
    if started {
        return Admission::Enter {
            starts: false,
            takes_host: false,
            path,
            reason: if path == EntryPath::Zak {
                "a valid ZAK skips the waiting room"
            } else if path == EntryPath::JoinToken {
                "the join token bypasses the waiting room"
            } else if facts.waiting_room {
                "exempt from the waiting room"
            } else {
                "no waiting room"
            },
        };
    }
    // Not started. `waiting_room` true disables `join_before_host` (fact sheet §2.1).
    if !facts.join_before_host || facts.waiting_room {
        return Admission::WaitForHost {
            reason: "join before host is off and the host has not started the meeting",
        };
    }
    if facts.jbh_time > 0
        && let Some(start) = facts.start_time
        && now < start - Duration::minutes(i64::from(facts.jbh_time))
    {
        return Admission::WaitForHost {
            reason: "too early to join before the host (jbh_time)",
        };
    }
    Admission::Enter {
        starts: true,
        takes_host: false,
        path,
        reason: "join before host is on",
    }
}

/// What a join produced.
#[derive(Debug, Clone, Serialize)]
pub struct JoinOutcome {
    /// New participant id.
    pub participant_id: String,
    /// Where they are.
    pub status: ParticipantStatus,
    /// The instance's uuid.
    pub meeting_uuid: String,
    /// Why.
    pub reason: String,
}

/// Something that happened in a room, for webhooks and the journal, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomEvent {
    /// The instance started.
    MeetingStarted {
        /// Instance uuid.
        uuid: String,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// The instance ended.
    MeetingEnded {
        /// Instance uuid.
        uuid: String,
        /// Start.
        #[serde(with = "time::serde::rfc3339")]
        started_at: OffsetDateTime,
        /// End.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        /// Why.
        cause: EndCause,
    },
    /// Someone waits for the host (`meeting.participant_jbh_waiting`).
    JbhWaiting {
        /// Instance uuid.
        uuid: String,
        /// Who.
        participant: ParticipantRef,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// `meeting.participant_joined_waiting_room`.
    JoinedWaitingRoom {
        /// Instance uuid.
        uuid: String,
        /// Who.
        participant: ParticipantRef,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// `meeting.participant_admitted`.
    Admitted {
        /// Instance uuid.
        uuid: String,
        /// Who.
        participant: ParticipantRef,
        /// By whom.
        by: ParticipantRef,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// `meeting.participant_put_in_waiting_room`.
    PutInWaitingRoom {
        /// Instance uuid.
        uuid: String,
        /// Who.
        participant: ParticipantRef,
        /// By whom.
        by: ParticipantRef,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// `meeting.participant_left_waiting_room`.
    LeftWaitingRoom {
        /// Instance uuid.
        uuid: String,
        /// Who.
        participant: ParticipantRef,
        /// Why (Zoom: "Removed by host from waiting room." etc.).
        reason: String,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// `meeting.participant_joined`.
    Joined {
        /// Instance uuid.
        uuid: String,
        /// Who.
        participant: ParticipantRef,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// `meeting.participant_left`.
    Left {
        /// Instance uuid.
        uuid: String,
        /// Who.
        participant: ParticipantRef,
        /// Zoom's `leave_reason`.
        reason: String,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// Cloud recording started, stopped, paused or resumed (`recording.started` ...).
    Recording {
        /// Instance uuid.
        uuid: String,
        /// `started` | `stopped` | `paused` | `resumed`.
        action: &'static str,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

/// All instances of all meetings.
#[derive(Debug, Default, Serialize)]
pub struct RoomRegistry {
    meetings: HashMap<u64, MeetingInstances>,
}

#[derive(Debug, Default, Serialize)]
struct MeetingInstances {
    live: Option<Room>,
    past: Vec<Room>,
    next_participant: u64,
    instances: u64,
}

/// Zoom's participant ids step by 1024 from 16778240 (as seen in Zoom's own reports).
const FIRST_PARTICIPANT_ID: u64 = 16_778_240;

/// A uuid in Zoom's format: base64 of 16 random bytes ("4444AAAiAAAAAiAiAiiAii=="). It may
/// contain `/` (Zoom asks for double encoding then), which the routes handle.
pub fn new_instance_uuid(rng: &mut impl Rng) -> String {
    base64::engine::general_purpose::STANDARD.encode(rng.random::<[u8; 16]>())
}

fn new_participant_uuid(rng: &mut impl Rng) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rng.random::<[u8; 16]>())
}

impl RoomRegistry {
    /// The live instance (started or not) of a meeting.
    pub fn live(&self, meeting_id: u64) -> Option<&Room> {
        self.meetings.get(&meeting_id)?.live.as_ref()
    }
    /// Ended instances that had started (Zoom's past meetings), oldest first.
    pub fn past(&self, meeting_id: u64) -> impl DoubleEndedIterator<Item = &Room> {
        self.meetings
            .get(&meeting_id)
            .into_iter()
            .flat_map(|m| m.past.iter())
            .filter(|r| r.started_at.is_some())
    }
    /// Every ended instance, including those that never started, oldest first.
    pub fn past_all(&self, meeting_id: u64) -> impl DoubleEndedIterator<Item = &Room> {
        self.meetings
            .get(&meeting_id)
            .into_iter()
            .flat_map(|m| m.past.iter())
    }
    /// The latest past instance, or the one with this uuid (`past_meetings/{meetingId}` accepts both).
    pub fn past_instance(&self, id_or_uuid: &str) -> Option<&Room> {
        match id_or_uuid.parse::<u64>() {
            Ok(id) => self.past(id).next_back(),
            Err(_) => self.all_past().find(|r| r.uuid == id_or_uuid),
        }
    }
    /// Every past instance of every meeting.
    pub fn all_past(&self) -> impl Iterator<Item = &Room> {
        self.meetings
            .values()
            .flat_map(|m| m.past.iter())
            .filter(|r| r.started_at.is_some())
    }
    /// A participant, looked up in the live instance first, then in ended ones (newest first).
    pub fn participant(&self, meeting_id: u64, participant_id: &str) -> Option<&Participant> {
        let m = self.meetings.get(&meeting_id)?;
        m.live
            .iter()
            .chain(m.past.iter().rev())
            .find_map(|r| r.participant(participant_id))
    }
    /// The instance with this uuid (live, past, or one that never started).
    pub fn instance(&self, meeting_id: u64, uuid: &str) -> Option<&Room> {
        let m = self.meetings.get(&meeting_id)?;
        m.live.iter().chain(m.past.iter()).find(|r| r.uuid == uuid)
    }
    /// Meeting ids with a live instance.
    pub fn live_meeting_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .meetings
            .iter()
            .filter(|(_, m)| m.live.is_some())
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }
    /// Forgets everything (control reset).
    pub fn clear(&mut self) {
        self.meetings.clear();
    }

    /// A participant arrives. Checks the token, decides (see [`decide_admission`]), records the
    /// participant and what happened. `next_uuid` is the uuid the meeting object shows for its
    /// next instance; an instance opened by this join takes it (the caller gives the meeting a
    /// fresh one when the instance ends, as Zoom gives each instance its own uuid). Empty: a
    /// fresh one is made here.
    #[allow(clippy::too_many_arguments)]
    pub fn join(
        &mut self,
        facts: &MeetingFacts,
        next_uuid: &str,
        joiner: Joiner,
        zak_policy: ZakPolicy,
        now: OffsetDateTime,
        rng: &mut impl Rng,
    ) -> Result<(JoinOutcome, Vec<RoomEvent>), RoomError> {
        let name = joiner.name.trim().to_string();
        if name.is_empty() {
            return Err(RoomError::Invalid("name must not be empty".into()));
        }
        if name.chars().count() > 128 {
            return Err(RoomError::Invalid(
                "name is longer than 128 characters".into(),
            ));
        }
        let needs_user = matches!(
            joiner.role,
            JoinRole::Host | JoinRole::CoHost | JoinRole::AlternativeHost | JoinRole::AccountUser
        );
        if needs_user && joiner.user.is_none() {
            return Err(RoomError::Invalid(format!(
                "role {:?} needs a user_id",
                joiner.role
            )));
        }
        if let Some(user) = &joiner.user {
            match joiner.role {
                JoinRole::Host if !facts.is_host(user) => {
                    return Err(RoomError::NotHost(user.id.clone()));
                }
                JoinRole::AlternativeHost if !facts.is_alternative_host(user) => {
                    return Err(RoomError::NotAlternativeHost(user.id.clone()));
                }
                _ => {}
            }
        }
        let entry = self.meetings.entry(facts.meeting_id).or_default();
        if entry.next_participant == 0 {
            entry.next_participant = FIRST_PARTICIPANT_ID;
        }
        // Token checks. The token string was resolved by the caller; unknown tokens never get here.
        let (identity, kind, obf_owner) = match &joiner.credential {
            Credential::None => (joiner.user.clone(), CredentialKind::None, None),
            Credential::Zak(grant) => {
                if grant.expires_at <= now {
                    return Err(RoomError::TokenExpired("ZAK"));
                }
                (Some(grant.user.clone()), CredentialKind::Zak, None)
            }
            Credential::Obf(grant) => {
                if grant.expires_at <= now {
                    return Err(RoomError::TokenExpired("OBF"));
                }
                if grant.meeting_id.is_some_and(|m| m != facts.meeting_id) {
                    return Err(RoomError::TokenForOtherMeeting);
                }
                let live = entry.live.as_ref();
                if live.is_some_and(|r| r.consumed_obf.contains(&grant.fingerprint)) {
                    return Err(RoomError::TokenAlreadyUsed);
                }
                // "The authorizing user must already be in the meeting or the join fails."
                let owner = live.and_then(|r| {
                    r.in_meeting()
                        .find(|p| p.user.as_ref().is_some_and(|u| u.id == grant.user.id))
                        .map(|p| p.participant_id.clone())
                });
                match owner {
                    Some(owner) => (joiner.user.clone(), CredentialKind::Obf, Some(owner)),
                    None => return Err(RoomError::ObfOwnerAbsent(grant.user.id.clone())),
                }
            }
        };
        // Open an instance if none is live.
        if entry.live.is_none() {
            entry.instances += 1;
            let uuid = if next_uuid.is_empty() {
                new_instance_uuid(rng)
            } else {
                next_uuid.to_string()
            };
            entry.live = Some(Room {
                meeting_id: facts.meeting_id,
                uuid,
                status: RoomStatus::NotStarted,
                opened_at: now,
                started_at: None,
                ended_at: None,
                end_cause: None,
                participants: Vec::new(),
                recording: CloudRecordingState::default(),
                facts: facts.clone(),
                waiting_room_title: None,
                waiting_room_description: None,
                consumed_obf: HashSet::new(),
            });
        }
        let participant_id = entry.next_participant.to_string();
        entry.next_participant += 1024;
        let room = entry.live.as_mut().expect("opened above");
        room.facts = facts.clone();
        if let Credential::Obf(grant) = &joiner.credential {
            room.consumed_obf.insert(grant.fingerprint.clone());
        }
        let email = joiner
            .email
            .clone()
            .or_else(|| identity.as_ref().map(|u| u.email.clone()));
        let arrival = Arrival {
            role: joiner.role,
            identity: identity.as_ref(),
            email: email.as_deref(),
            credential: kind,
            token_bypass: joiner.bypass_waiting_room,
        };
        let decision = decide_admission(
            facts,
            &arrival,
            zak_policy,
            room.status == RoomStatus::Started,
            room.host().is_some(),
            now,
        );
        let mut participant = Participant {
            participant_id: participant_id.clone(),
            participant_uuid: new_participant_uuid(rng),
            name,
            role: joiner.role,
            user: identity,
            email,
            credential: kind,
            status: ParticipantStatus::WaitingForHost,
            reason: String::new(),
            entry: None,
            holds_host: false,
            arrived_at: now,
            joined_at: None,
            admitted_at: None,
            left_at: None,
            in_meeting: Vec::new(),
            waiting: Vec::new(),
            obf_owner,
        };
        let mut events = Vec::new();
        match decision {
            Admission::Enter {
                starts,
                takes_host,
                path,
                reason,
            } => {
                if takes_host {
                    for p in &mut room.participants {
                        p.holds_host = false;
                    }
                    participant.holds_host = true;
                }
                participant.reason = reason.into();
                participant.status = ParticipantStatus::InMeeting;
                participant.entry = Some(path);
                participant.joined_at = Some(now);
                participant.in_meeting.push(Span::open(now));
                let r = participant.reference();
                room.participants.push(participant);
                if starts {
                    start_room(room, now, &mut events);
                }
                events.push(RoomEvent::Joined {
                    uuid: room.uuid.clone(),
                    participant: r,
                    at: now,
                });
                if starts {
                    // People waiting for the host come in once it starts.
                    release_waiting_for_host(room, now, &mut events);
                }
            }
            Admission::WaitingRoom { reason } => {
                participant.reason = reason.into();
                participant.status = ParticipantStatus::InWaitingRoom;
                participant.waiting.push(Span::open(now));
                events.push(RoomEvent::JoinedWaitingRoom {
                    uuid: room.uuid.clone(),
                    participant: participant.reference(),
                    at: now,
                });
                room.participants.push(participant);
            }
            Admission::WaitForHost { reason } => {
                participant.reason = reason.into();
                participant.status = ParticipantStatus::WaitingForHost;
                participant.waiting.push(Span::open(now));
                events.push(RoomEvent::JbhWaiting {
                    uuid: room.uuid.clone(),
                    participant: participant.reference(),
                    at: now,
                });
                room.participants.push(participant);
            }
        }
        let p = room.participant(&participant_id).expect("pushed above");
        let outcome = JoinOutcome {
            participant_id,
            status: p.status,
            meeting_uuid: room.uuid.clone(),
            reason: p.reason.clone(),
        };
        Ok((outcome, events))
    }

    fn live_mut(&mut self, meeting_id: u64) -> Result<&mut Room, RoomError> {
        self.meetings
            .get_mut(&meeting_id)
            .and_then(|m| m.live.as_mut())
            .ok_or(RoomError::NotLive(meeting_id))
    }

    fn manager(room: &Room, by: &str) -> Result<ParticipantRef, RoomError> {
        let p = room
            .participant(by)
            .ok_or_else(|| RoomError::UnknownParticipant(by.into()))?;
        if !p.can_manage() {
            return Err(RoomError::NotPermitted(by.into()));
        }
        Ok(p.reference())
    }

    fn target(room: &Room, participant_id: &str) -> Result<usize, RoomError> {
        room.index_of(participant_id)
            .ok_or_else(|| RoomError::UnknownParticipant(participant_id.into()))
    }

    /// The host or a co-host admits someone from the waiting room.
    pub fn admit(
        &mut self,
        meeting_id: u64,
        participant_id: &str,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<RoomEvent>, RoomError> {
        let room = self.live_mut(meeting_id)?;
        let by = Self::manager(room, by)?;
        let i = Self::target(room, participant_id)?;
        let p = &mut room.participants[i];
        if p.status != ParticipantStatus::InWaitingRoom {
            return Err(RoomError::WrongStatus {
                participant_id: participant_id.into(),
                status: p.status,
                action: "admit",
            });
        }
        let mut events = Vec::new();
        admit_index(room, i, Some(by), now, &mut events);
        Ok(events)
    }

    /// The host or a co-host refuses someone in the waiting room ("Remove" in Zoom's client).
    pub fn deny(
        &mut self,
        meeting_id: u64,
        participant_id: &str,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<RoomEvent>, RoomError> {
        let room = self.live_mut(meeting_id)?;
        Self::manager(room, by)?;
        let i = Self::target(room, participant_id)?;
        let p = &mut room.participants[i];
        if p.status != ParticipantStatus::InWaitingRoom {
            return Err(RoomError::WrongStatus {
                participant_id: participant_id.into(),
                status: p.status,
                action: "deny",
            });
        }
        p.status = ParticipantStatus::Denied;
        p.reason = "removed by host from waiting room".into();
        p.left_at = Some(now);
        p.close_open_spans(now);
        let events = vec![RoomEvent::LeftWaitingRoom {
            uuid: room.uuid.clone(),
            participant: p.reference(),
            reason: "Removed by host from waiting room.".into(),
            at: now,
        }];
        Ok(events)
    }

    /// The host or a co-host sends someone in the meeting back to the waiting room.
    pub fn send_to_waiting_room(
        &mut self,
        meeting_id: u64,
        participant_id: &str,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<RoomEvent>, RoomError> {
        let room = self.live_mut(meeting_id)?;
        let by = Self::manager(room, by)?;
        let i = Self::target(room, participant_id)?;
        let p = &mut room.participants[i];
        if p.holds_host {
            return Err(RoomError::CannotTargetHost("sent to the waiting room"));
        }
        if p.status != ParticipantStatus::InMeeting {
            return Err(RoomError::WrongStatus {
                participant_id: participant_id.into(),
                status: p.status,
                action: "send to the waiting room",
            });
        }
        p.status = ParticipantStatus::InWaitingRoom;
        p.reason = "put in the waiting room by the host".into();
        p.close_open_spans(now);
        p.waiting.push(Span::open(now));
        let r = p.reference();
        let uuid = room.uuid.clone();
        let mut events = vec![
            RoomEvent::Left {
                uuid: uuid.clone(),
                participant: r.clone(),
                reason: format!(
                    "{} left the meeting.<br>Reason: Put in waiting room by host.",
                    r.name
                ),
                at: now,
            },
            RoomEvent::PutInWaitingRoom {
                uuid,
                participant: r,
                by,
                at: now,
            },
        ];
        after_departure(room, participant_id, now, &mut events);
        Ok(events)
    }

    /// The host or a co-host removes someone (in the meeting or waiting).
    pub fn remove(
        &mut self,
        meeting_id: u64,
        participant_id: &str,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<RoomEvent>, RoomError> {
        let room = self.live_mut(meeting_id)?;
        let by_ref = Self::manager(room, by)?;
        let by_is_host = room.participant(by).is_some_and(|p| p.holds_host);
        let i = Self::target(room, participant_id)?;
        let p = &room.participants[i];
        if p.holds_host {
            return Err(RoomError::CannotTargetHost("removed"));
        }
        // Zoom: co-hosts cannot remove the host or other co-hosts; the host can.
        if !by_is_host && matches!(p.role, JoinRole::CoHost | JoinRole::AlternativeHost) {
            return Err(RoomError::NotPermitted(by_ref.participant_id));
        }
        if !p.status.is_present() {
            return Err(RoomError::WrongStatus {
                participant_id: participant_id.into(),
                status: p.status,
                action: "remove",
            });
        }
        let mut events = Vec::new();
        depart(
            room,
            i,
            ParticipantStatus::Removed,
            "removed by the host",
            now,
            &mut events,
        );
        after_departure(room, participant_id, now, &mut events);
        Ok(events)
    }

    /// A participant leaves on their own (from the meeting or while waiting).
    pub fn leave(
        &mut self,
        meeting_id: u64,
        participant_id: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<RoomEvent>, RoomError> {
        let room = self.live_mut(meeting_id)?;
        let i = Self::target(room, participant_id)?;
        let status = room.participants[i].status;
        if !status.is_present() {
            return Err(RoomError::WrongStatus {
                participant_id: participant_id.into(),
                status,
                action: "leave",
            });
        }
        let mut events = Vec::new();
        depart(
            room,
            i,
            ParticipantStatus::Left,
            "left the meeting",
            now,
            &mut events,
        );
        after_departure(room, participant_id, now, &mut events);
        self.retire_if_over(meeting_id);
        Ok(events)
    }

    /// Ends the live instance: everyone still there gets `meeting_ended`. An instance that never
    /// started is dropped (Zoom keeps no past meeting for it). `Ok(None)` when nothing was live.
    pub fn end(
        &mut self,
        meeting_id: u64,
        cause: EndCause,
        now: OffsetDateTime,
    ) -> Result<Vec<RoomEvent>, RoomError> {
        let Some(m) = self.meetings.get_mut(&meeting_id) else {
            return Err(RoomError::NotLive(meeting_id));
        };
        let Some(room) = m.live.as_mut() else {
            return Err(RoomError::NotLive(meeting_id));
        };
        let mut events = Vec::new();
        end_room(room, cause, now, &mut events);
        self.retire_if_over(meeting_id);
        Ok(events)
    }

    /// The meeting's settings changed: turning the waiting room off admits everyone waiting in it,
    /// as Zoom does.
    pub fn settings_changed(
        &mut self,
        facts: &MeetingFacts,
        now: OffsetDateTime,
    ) -> Vec<RoomEvent> {
        let Ok(room) = self.live_mut(facts.meeting_id) else {
            return Vec::new();
        };
        room.facts = facts.clone();
        let mut events = Vec::new();
        if !facts.waiting_room && room.status == RoomStatus::Started {
            let waiting: Vec<usize> = (0..room.participants.len())
                .filter(|&i| room.participants[i].status == ParticipantStatus::InWaitingRoom)
                .collect();
            for i in waiting {
                admit_index(room, i, None, now, &mut events);
            }
        }
        events
    }

    /// Gives mutable access to the live instance (in-meeting controls: recording, waiting-room text).
    pub fn live_room_mut(&mut self, meeting_id: u64) -> Option<&mut Room> {
        self.meetings.get_mut(&meeting_id)?.live.as_mut()
    }

    /// Moves an ended (or abandoned) live instance into the past.
    fn retire_if_over(&mut self, meeting_id: u64) {
        let Some(m) = self.meetings.get_mut(&meeting_id) else {
            return;
        };
        let over = m.live.as_ref().is_some_and(|r| {
            r.status == RoomStatus::Ended
                || (r.status == RoomStatus::NotStarted
                    && !r.participants.iter().any(|p| p.status.is_present()))
        });
        if over {
            // An instance that never started is kept so its participants' statuses stay
            // readable, but it is no past meeting (see `past`).
            let room = m.live.take().expect("checked above");
            m.past.push(room);
        }
    }
}

fn start_room(room: &mut Room, now: OffsetDateTime, events: &mut Vec<RoomEvent>) {
    room.status = RoomStatus::Started;
    room.started_at = Some(now);
    events.push(RoomEvent::MeetingStarted {
        uuid: room.uuid.clone(),
        at: now,
    });
}

fn release_waiting_for_host(room: &mut Room, now: OffsetDateTime, events: &mut Vec<RoomEvent>) {
    for p in &mut room.participants {
        if p.status == ParticipantStatus::WaitingForHost {
            p.close_open_spans(now);
            p.status = ParticipantStatus::InMeeting;
            p.reason = "the host started the meeting".into();
            p.entry = Some(if p.credential == CredentialKind::Zak {
                EntryPath::Zak
            } else {
                EntryPath::Direct
            });
            p.joined_at.get_or_insert(now);
            p.in_meeting.push(Span::open(now));
            events.push(RoomEvent::Joined {
                uuid: room.uuid.clone(),
                participant: p.reference(),
                at: now,
            });
        }
    }
}

fn admit_index(
    room: &mut Room,
    i: usize,
    by: Option<ParticipantRef>,
    now: OffsetDateTime,
    events: &mut Vec<RoomEvent>,
) {
    let uuid = room.uuid.clone();
    let p = &mut room.participants[i];
    p.close_open_spans(now);
    p.status = ParticipantStatus::InMeeting;
    p.reason = match by {
        Some(_) => "admitted from the waiting room".into(),
        None => "the waiting room was turned off".into(),
    };
    p.entry = Some(EntryPath::Admitted);
    p.admitted_at = Some(now);
    p.joined_at.get_or_insert(now);
    p.in_meeting.push(Span::open(now));
    let r = p.reference();
    if let Some(by) = by {
        events.push(RoomEvent::Admitted {
            uuid: uuid.clone(),
            participant: r.clone(),
            by,
            at: now,
        });
    }
    events.push(RoomEvent::Joined {
        uuid,
        participant: r,
        at: now,
    });
}

/// Someone stops being present: closes their spans and emits the event matching where they were.
fn depart(
    room: &mut Room,
    i: usize,
    status: ParticipantStatus,
    reason: &str,
    now: OffsetDateTime,
    events: &mut Vec<RoomEvent>,
) {
    let uuid = room.uuid.clone();
    let p = &mut room.participants[i];
    let was = p.status;
    p.status = status;
    p.reason = reason.into();
    p.left_at = Some(now);
    p.close_open_spans(now);
    let r = p.reference();
    match was {
        ParticipantStatus::InMeeting => events.push(RoomEvent::Left {
            uuid,
            reason: match status {
                ParticipantStatus::Removed => {
                    format!("{} left the meeting.<br>Reason: Removed by host.", r.name)
                }
                ParticipantStatus::MeetingEnded => {
                    format!(
                        "{} left the meeting.<br>Reason: Host ended the meeting.",
                        r.name
                    )
                }
                _ => format!("{} left the meeting.", r.name),
            },
            participant: r,
            at: now,
        }),
        ParticipantStatus::InWaitingRoom => events.push(RoomEvent::LeftWaitingRoom {
            uuid,
            reason: match status {
                ParticipantStatus::Removed => "Removed by host from waiting room.".into(),
                ParticipantStatus::MeetingEnded => "Host ended the meeting.".into(),
                _ => format!("{} left the waiting room.", r.name),
            },
            participant: r,
            at: now,
        }),
        _ => {}
    }
}

/// After someone left the meeting: the host role passes on, OBF bots follow their owner out,
/// and the instance ends once nobody is left in it.
fn after_departure(
    room: &mut Room,
    departed: &str,
    now: OffsetDateTime,
    events: &mut Vec<RoomEvent>,
) {
    // OBF bots must leave when their owner leaves (fact sheet §7).
    let owner_gone = room
        .participant(departed)
        .is_some_and(|p| p.status != ParticipantStatus::InMeeting);
    if owner_gone {
        let bots: Vec<usize> = (0..room.participants.len())
            .filter(|&i| {
                let p = &room.participants[i];
                p.obf_owner.as_deref() == Some(departed) && p.status.is_present()
            })
            .collect();
        for i in bots {
            depart(
                room,
                i,
                ParticipantStatus::Left,
                "the OBF token's owner left the meeting",
                now,
                events,
            );
        }
    }
    if let Some(i) = room.index_of(departed)
        && room.participants[i].holds_host
        && room.participants[i].status != ParticipantStatus::InMeeting
    {
        room.participants[i].holds_host = false;
        // Zoom passes the host role on: a co-host or alternative host first, else the
        // longest-present participant (choice: the earliest arrival among them).
        let next = room
            .participants
            .iter()
            .position(|p| {
                p.status == ParticipantStatus::InMeeting
                    && matches!(p.role, JoinRole::CoHost | JoinRole::AlternativeHost)
            })
            .or_else(|| {
                room.participants
                    .iter()
                    .position(|p| p.status == ParticipantStatus::InMeeting)
            });
        if let Some(n) = next {
            room.participants[n].holds_host = true;
        }
    }
    if room.status == RoomStatus::Started && room.in_meeting().next().is_none() {
        end_room(room, EndCause::EveryoneLeft, now, events);
    }
}

fn end_room(room: &mut Room, cause: EndCause, now: OffsetDateTime, events: &mut Vec<RoomEvent>) {
    if room.status == RoomStatus::Ended {
        return;
    }
    for i in 0..room.participants.len() {
        if room.participants[i].status.is_present() {
            depart(
                room,
                i,
                ParticipantStatus::MeetingEnded,
                "the meeting ended",
                now,
                events,
            );
        }
    }
    for span in &mut room.recording.spans {
        span.to.get_or_insert(now);
    }
    if room.recording.spans.iter().any(|s| s.to == Some(now)) || room.recording.paused {
        room.recording.paused = false;
    }
    let was_started = room.status == RoomStatus::Started;
    room.status = RoomStatus::Ended;
    room.ended_at = Some(now);
    room.end_cause = Some(cause);
    if let (true, Some(started_at)) = (was_started, room.started_at) {
        events.push(RoomEvent::MeetingEnded {
            uuid: room.uuid.clone(),
            started_at,
            at: now,
            cause,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-12-04 15:00 UTC);

    fn user(id: &str) -> UserRef {
        UserRef {
            id: id.into(),
            email: format!("{id}@example.com"),
            account_id: "acct".into(),
        }
    }

    fn facts() -> MeetingFacts {
        MeetingFacts {
            meeting_id: 111,
            host_id: "host".into(),
            host_email: "host@example.com".into(),
            account_id: "acct".into(),
            topic: "Incident bridge".into(),
            meeting_type: 2,
            start_time: Some(T0),
            duration: 60,
            timezone: "UTC".into(),
            alternative_hosts: vec!["alt@example.com".into()],
            invitees: vec!["guest@outside.org".into()],
            waiting_room: true,
            waiting_room_audience: WaitingRoomAudience::Everyone,
            join_before_host: false,
            jbh_time: 0,
            auto_recording: AutoRecording::None,
        }
    }

    fn joiner(name: &str, role: JoinRole, user_id: Option<&str>) -> Joiner {
        Joiner {
            name: name.into(),
            role,
            user: user_id.map(user),
            email: None,
            credential: Credential::None,
            bypass_waiting_room: false,
        }
    }

    fn zak(user_id: &str, expires_at: OffsetDateTime) -> Credential {
        Credential::Zak(TokenGrant {
            fingerprint: format!("zak-{user_id}"),
            user: user(user_id),
            expires_at,
            meeting_id: None,
        })
    }

    struct Fixture {
        rooms: RoomRegistry,
        facts: MeetingFacts,
        rng: StdRng,
        policy: ZakPolicy,
    }

    impl Fixture {
        fn new(facts: MeetingFacts) -> Self {
            Self {
                rooms: RoomRegistry::default(),
                facts,
                rng: StdRng::seed_from_u64(7),
                policy: ZakPolicy::AnyValidZak,
            }
        }
        /// The meeting object's uuid: rotated after each past instance, as the caller does.
        fn next_uuid(&self) -> String {
            format!("uuid-{}", self.rooms.past(111).count() + 1)
        }
        fn join(&mut self, j: Joiner, at: OffsetDateTime) -> Result<JoinOutcome, RoomError> {
            let uuid = self.next_uuid();
            self.rooms
                .join(&self.facts, &uuid, j, self.policy, at, &mut self.rng)
                .map(|(o, _)| o)
        }
        fn join_events(&mut self, j: Joiner, at: OffsetDateTime) -> (JoinOutcome, Vec<RoomEvent>) {
            let uuid = self.next_uuid();
            self.rooms
                .join(&self.facts, &uuid, j, self.policy, at, &mut self.rng)
                .unwrap()
        }
        fn status(&self, pid: &str) -> ParticipantStatus {
            self.rooms.participant(111, pid).unwrap().status
        }
    }

    fn mins(n: i64) -> Duration {
        Duration::minutes(n)
    }

    #[test]
    fn host_join_starts_the_instance_with_the_meeting_uuid() {
        let mut f = Fixture::new(facts());
        let (out, events) = f.join_events(joiner("Host", JoinRole::Host, Some("host")), T0);
        assert_eq!(out.status, ParticipantStatus::InMeeting);
        assert_eq!(out.meeting_uuid, "uuid-1");
        assert!(matches!(events[0], RoomEvent::MeetingStarted { .. }));
        assert!(matches!(events[1], RoomEvent::Joined { .. }));
        assert_eq!(f.rooms.live(111).unwrap().status, RoomStatus::Started);
    }

    #[test]
    fn host_role_from_another_user_is_refused() {
        let mut f = Fixture::new(facts());
        let err = f
            .join(joiner("Mallory", JoinRole::Host, Some("mallory")), T0)
            .unwrap_err();
        assert_eq!(err, RoomError::NotHost("mallory".into()));
        assert!(f.rooms.live(111).is_none(), "a refused join opens nothing");
    }

    #[test]
    fn waiting_room_holds_everyone_but_hosts_and_cohosts() {
        let mut f = Fixture::new(facts());
        f.join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        for (name, role, uid) in [
            ("Member", JoinRole::AccountUser, Some("member")),
            ("Guest", JoinRole::External, None),
            ("Bot", JoinRole::Bot, None),
        ] {
            let out = f.join(joiner(name, role, uid), T0).unwrap();
            assert_eq!(out.status, ParticipantStatus::InWaitingRoom, "{name}");
            assert_eq!(out.reason, "waiting room on");
        }
        let co = f
            .join(joiner("Co", JoinRole::CoHost, Some("co")), T0)
            .unwrap();
        assert_eq!(co.status, ParticipantStatus::InMeeting);
        let alt = f
            .join(joiner("Alt", JoinRole::AlternativeHost, Some("alt")), T0)
            .unwrap();
        assert_eq!(alt.status, ParticipantStatus::InMeeting);
    }

    #[test]
    fn waiting_room_options_exempt_account_users() {
        let mut facts = facts();
        facts.waiting_room_audience = WaitingRoomAudience::UsersNotInAccount;
        let mut f = Fixture::new(facts);
        f.join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let member = f
            .join(joiner("Member", JoinRole::AccountUser, Some("member")), T0)
            .unwrap();
        assert_eq!(member.status, ParticipantStatus::InMeeting);
        let mut other = joiner("Other", JoinRole::AccountUser, Some("other"));
        other.user.as_mut().unwrap().account_id = "elsewhere".into();
        assert_eq!(
            f.join(other, T0).unwrap().status,
            ParticipantStatus::InWaitingRoom
        );
        let guest = f
            .join(joiner("Guest", JoinRole::External, None), T0)
            .unwrap();
        assert_eq!(guest.status, ParticipantStatus::InWaitingRoom);
    }

    #[test]
    fn waiting_room_options_exempt_invitees() {
        let mut facts = facts();
        facts.waiting_room_audience = WaitingRoomAudience::UsersNotOnInvite;
        let mut f = Fixture::new(facts);
        f.join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let mut invited = joiner("Invited", JoinRole::External, None);
        invited.email = Some("Guest@Outside.org".into());
        assert_eq!(
            f.join(invited, T0).unwrap().status,
            ParticipantStatus::InMeeting
        );
        let stranger = joiner("Stranger", JoinRole::External, None);
        assert_eq!(
            f.join(stranger, T0).unwrap().status,
            ParticipantStatus::InWaitingRoom
        );
    }

    #[test]
    fn valid_zak_bypasses_the_waiting_room_under_the_seed_rule() {
        let mut f = Fixture::new(facts());
        f.join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let mut bot = joiner("Scribe", JoinRole::Bot, None);
        bot.credential = zak("service", T0 + mins(120));
        let out = f.join(bot, T0).unwrap();
        assert_eq!(out.status, ParticipantStatus::InMeeting);
        let p = f.rooms.participant(111, &out.participant_id).unwrap();
        assert_eq!(p.entry, Some(EntryPath::Zak));
        assert!(!p.holds_host, "a non-host ZAK does not take the host role");
    }

    #[test]
    fn host_zak_only_policy_holds_a_service_account_zak() {
        let mut f = Fixture::new(facts());
        f.policy = ZakPolicy::HostZakOnly;
        f.join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let mut bot = joiner("Scribe", JoinRole::Bot, None);
        bot.credential = zak("service", T0 + mins(120));
        assert_eq!(
            f.join(bot, T0).unwrap().status,
            ParticipantStatus::InWaitingRoom
        );
        let mut host_zak_bot = joiner("Scribe 2", JoinRole::Bot, None);
        host_zak_bot.credential = zak("host", T0 + mins(120));
        assert_eq!(
            f.join(host_zak_bot, T0).unwrap().status,
            ParticipantStatus::InMeeting
        );
    }

    #[test]
    fn host_zak_starts_the_meeting_as_host() {
        let mut f = Fixture::new(facts());
        let mut bot = joiner("Scribe", JoinRole::Bot, None);
        bot.credential = zak("host", T0 + mins(5));
        let (out, events) = f.join_events(bot, T0);
        assert_eq!(out.status, ParticipantStatus::InMeeting);
        assert!(matches!(events[0], RoomEvent::MeetingStarted { .. }));
        assert!(
            f.rooms
                .participant(111, &out.participant_id)
                .unwrap()
                .holds_host
        );
    }

    #[test]
    fn a_join_token_with_bypass_skips_the_waiting_room() {
        let mut f = Fixture::new(facts());
        f.join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let mut bot = joiner("Recorder", JoinRole::Bot, None);
        bot.bypass_waiting_room = true;
        let out = f.join(bot, T0).unwrap();
        assert_eq!(out.status, ParticipantStatus::InMeeting);
        assert_eq!(
            f.rooms.participant(111, &out.participant_id).unwrap().entry,
            Some(EntryPath::JoinToken)
        );
    }

    #[test]
    fn expired_zak_is_refused_at_the_instant_of_expiry() {
        let mut f = Fixture::new(facts());
        let mut bot = joiner("Scribe", JoinRole::Bot, None);
        bot.credential = zak("service", T0);
        assert_eq!(f.join(bot, T0).unwrap_err(), RoomError::TokenExpired("ZAK"));
    }

    #[test]
    fn zak_bot_before_host_waits_for_the_host_when_jbh_is_off() {
        let mut f = Fixture::new(facts());
        let mut bot = joiner("Scribe", JoinRole::Bot, None);
        bot.credential = zak("service", T0 + mins(120));
        let out = f.join(bot, T0).unwrap();
        assert_eq!(out.status, ParticipantStatus::WaitingForHost);
        let (_, events) = f.join_events(joiner("Host", JoinRole::Host, Some("host")), T0 + mins(3));
        assert_eq!(f.status(&out.participant_id), ParticipantStatus::InMeeting);
        assert_eq!(
            f.rooms.participant(111, &out.participant_id).unwrap().entry,
            Some(EntryPath::Zak)
        );
        let joined: Vec<_> = events
            .iter()
            .filter(|e| matches!(e, RoomEvent::Joined { .. }))
            .collect();
        assert_eq!(joined.len(), 2, "host and bot");
    }

    #[test]
    fn jbh_off_no_waiting_room_waits_for_host_then_enters() {
        let mut facts = facts();
        facts.waiting_room = false;
        let mut f = Fixture::new(facts);
        let (out, events) = f.join_events(joiner("Bot", JoinRole::Bot, None), T0);
        assert_eq!(out.status, ParticipantStatus::WaitingForHost);
        assert!(matches!(events[0], RoomEvent::JbhWaiting { .. }));
        assert_eq!(f.rooms.live(111).unwrap().status, RoomStatus::NotStarted);
        f.join(joiner("Host", JoinRole::Host, Some("host")), T0 + mins(2))
            .unwrap();
        let p = f.rooms.participant(111, &out.participant_id).unwrap();
        assert_eq!(p.status, ParticipantStatus::InMeeting);
        assert_eq!(p.joined_at, Some(T0 + mins(2)));
        assert_eq!(p.waiting[0].seconds(T0), 120);
    }

    #[test]
    fn jbh_on_starts_the_instance_without_host() {
        let mut facts = facts();
        facts.waiting_room = false;
        facts.join_before_host = true;
        let mut f = Fixture::new(facts);
        let (out, events) = f.join_events(joiner("Bot", JoinRole::Bot, None), T0);
        assert_eq!(out.status, ParticipantStatus::InMeeting);
        assert!(matches!(events[0], RoomEvent::MeetingStarted { .. }));
    }

    #[test]
    fn jbh_is_ignored_when_the_waiting_room_is_on() {
        let mut facts = facts();
        facts.join_before_host = true;
        let mut f = Fixture::new(facts);
        let out = f.join(joiner("Bot", JoinRole::Bot, None), T0).unwrap();
        assert_eq!(out.status, ParticipantStatus::InWaitingRoom);
        assert_eq!(f.rooms.live(111).unwrap().status, RoomStatus::NotStarted);
    }

    #[test]
    fn jbh_time_window_is_respected() {
        let mut facts = facts();
        facts.waiting_room = false;
        facts.join_before_host = true;
        facts.jbh_time = 10;
        let mut f = Fixture::new(facts);
        let early = f
            .join(joiner("Early", JoinRole::External, None), T0 - mins(11))
            .unwrap();
        assert_eq!(early.status, ParticipantStatus::WaitingForHost);
        let ok = f
            .join(joiner("OnTime", JoinRole::External, None), T0 - mins(10))
            .unwrap();
        assert_eq!(ok.status, ParticipantStatus::InMeeting);
        assert_eq!(
            f.status(&early.participant_id),
            ParticipantStatus::InMeeting,
            "the start releases those waiting"
        );
    }

    #[test]
    fn cohost_cannot_start_the_meeting() {
        let mut f = Fixture::new(facts());
        let out = f
            .join(joiner("Co", JoinRole::CoHost, Some("co")), T0)
            .unwrap();
        assert_eq!(out.status, ParticipantStatus::WaitingForHost);
    }

    #[test]
    fn alternative_host_starts_and_admits() {
        let mut f = Fixture::new(facts());
        let alt = f
            .join(joiner("Alt", JoinRole::AlternativeHost, Some("alt")), T0)
            .unwrap();
        assert_eq!(alt.status, ParticipantStatus::InMeeting);
        let bot = f.join(joiner("Bot", JoinRole::Bot, None), T0).unwrap();
        f.rooms
            .admit(111, &bot.participant_id, &alt.participant_id, T0 + mins(1))
            .unwrap();
        assert_eq!(f.status(&bot.participant_id), ParticipantStatus::InMeeting);
    }

    #[test]
    fn admission_by_host_or_cohost_only() {
        let mut f = Fixture::new(facts());
        let host = f
            .join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let co = f
            .join(joiner("Co", JoinRole::CoHost, Some("co")), T0)
            .unwrap();
        let a = f.join(joiner("A", JoinRole::External, None), T0).unwrap();
        let b = f.join(joiner("B", JoinRole::External, None), T0).unwrap();
        assert_eq!(
            f.rooms
                .admit(111, &b.participant_id, &a.participant_id, T0)
                .unwrap_err(),
            RoomError::NotPermitted(a.participant_id.clone()),
            "someone in the waiting room cannot admit"
        );
        let events = f
            .rooms
            .admit(111, &a.participant_id, &co.participant_id, T0 + mins(1))
            .unwrap();
        assert!(matches!(events[0], RoomEvent::Admitted { .. }));
        assert!(matches!(events[1], RoomEvent::Joined { .. }));
        assert_eq!(
            f.rooms
                .admit(111, &b.participant_id, &a.participant_id, T0)
                .unwrap_err(),
            RoomError::NotPermitted(a.participant_id.clone()),
            "an admitted attendee cannot admit"
        );
        f.rooms
            .deny(111, &b.participant_id, &host.participant_id, T0 + mins(2))
            .unwrap();
        assert_eq!(f.status(&b.participant_id), ParticipantStatus::Denied);
        let again = f
            .rooms
            .admit(111, &b.participant_id, &host.participant_id, T0)
            .unwrap_err();
        assert!(matches!(again, RoomError::WrongStatus { .. }));
        let p = f.rooms.participant(111, &a.participant_id).unwrap();
        assert_eq!(p.admitted_at, Some(T0 + mins(1)));
        assert_eq!(p.entry, Some(EntryPath::Admitted));
    }

    #[test]
    fn send_back_and_readmit_keeps_one_participant_with_two_spans() {
        let mut f = Fixture::new(facts());
        let host = f
            .join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let a = f.join(joiner("A", JoinRole::External, None), T0).unwrap();
        let h = host.participant_id.as_str();
        f.rooms
            .admit(111, &a.participant_id, h, T0 + mins(1))
            .unwrap();
        f.rooms
            .send_to_waiting_room(111, &a.participant_id, h, T0 + mins(5))
            .unwrap();
        assert_eq!(
            f.status(&a.participant_id),
            ParticipantStatus::InWaitingRoom
        );
        f.rooms
            .admit(111, &a.participant_id, h, T0 + mins(7))
            .unwrap();
        f.rooms
            .leave(111, &a.participant_id, T0 + mins(10))
            .unwrap();
        let room = f.rooms.live(111).unwrap();
        assert_eq!(room.participants.len(), 2);
        let p = room.participant(&a.participant_id).unwrap();
        let secs: Vec<i64> = p.in_meeting.iter().map(|s| s.seconds(T0)).collect();
        assert_eq!(secs, vec![240, 180]);
        assert_eq!(room.attendee_count(), 2);
        assert_eq!(
            f.rooms.send_to_waiting_room(111, h, h, T0).unwrap_err(),
            RoomError::CannotTargetHost("sent to the waiting room")
        );
    }

    #[test]
    fn cohost_cannot_remove_host_or_cohost() {
        let mut f = Fixture::new(facts());
        let host = f
            .join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let co = f
            .join(joiner("Co", JoinRole::CoHost, Some("co")), T0)
            .unwrap();
        let co2 = f
            .join(joiner("Co2", JoinRole::CoHost, Some("co2")), T0)
            .unwrap();
        let c = co.participant_id.as_str();
        assert!(f.rooms.remove(111, &host.participant_id, c, T0).is_err());
        assert!(f.rooms.remove(111, &co2.participant_id, c, T0).is_err());
        f.rooms
            .remove(111, &co2.participant_id, &host.participant_id, T0)
            .unwrap();
        assert_eq!(f.status(&co2.participant_id), ParticipantStatus::Removed);
    }

    #[test]
    fn everyone_leaving_ends_the_instance_and_the_next_gets_a_fresh_uuid() {
        let mut f = Fixture::new(facts());
        let host = f
            .join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let waiting = f.join(joiner("Bot", JoinRole::Bot, None), T0).unwrap();
        let events = f
            .rooms
            .leave(111, &host.participant_id, T0 + mins(30))
            .unwrap();
        assert!(events.iter().any(|e| matches!(
            e,
            RoomEvent::MeetingEnded {
                cause: EndCause::EveryoneLeft,
                ..
            }
        )));
        assert!(f.rooms.live(111).is_none());
        assert_eq!(
            f.status(&waiting.participant_id),
            ParticipantStatus::MeetingEnded
        );
        let past = f.rooms.past_instance("111").unwrap();
        assert_eq!(past.uuid, "uuid-1");
        assert_eq!(past.duration_minutes(T0), 30);
        let past_uuid = past.uuid.clone();
        let again = f
            .join(joiner("Host", JoinRole::Host, Some("host")), T0 + mins(60))
            .unwrap();
        assert_eq!(again.meeting_uuid, "uuid-2");
        assert_ne!(again.participant_id, host.participant_id, "ids stay unique");
        assert!(f.rooms.past_instance(&past_uuid).is_some());
    }

    #[test]
    fn host_leaving_passes_the_host_role_to_a_cohost() {
        let mut f = Fixture::new(facts());
        let host = f
            .join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let a = f.join(joiner("A", JoinRole::External, None), T0).unwrap();
        f.rooms
            .admit(111, &a.participant_id, &host.participant_id, T0)
            .unwrap();
        let co = f
            .join(joiner("Co", JoinRole::CoHost, Some("co")), T0)
            .unwrap();
        f.rooms
            .leave(111, &host.participant_id, T0 + mins(1))
            .unwrap();
        let room = f.rooms.live(111).unwrap();
        assert_eq!(room.host().unwrap().participant_id, co.participant_id);
        // The host rejoining reclaims the role.
        let back = f
            .join(joiner("Host", JoinRole::Host, Some("host")), T0 + mins(2))
            .unwrap();
        assert_eq!(
            f.rooms.live(111).unwrap().host().unwrap().participant_id,
            back.participant_id
        );
        assert_eq!(
            f.rooms.live(111).unwrap().attendee_count(),
            3,
            "the host counted once"
        );
    }

    #[test]
    fn end_sends_everyone_out_and_an_unstarted_instance_leaves_no_past_meeting() {
        let mut f = Fixture::new(facts());
        let bot = f.join(joiner("Bot", JoinRole::Bot, None), T0).unwrap();
        let events = f.rooms.end(111, EndCause::ApiEnded, T0 + mins(1)).unwrap();
        assert!(
            events
                .iter()
                .any(|e| matches!(e, RoomEvent::LeftWaitingRoom { .. }))
        );
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, RoomEvent::MeetingEnded { .. }))
        );
        assert_eq!(
            f.status(&bot.participant_id),
            ParticipantStatus::MeetingEnded
        );
        assert!(f.rooms.past_instance("111").is_none());
        assert_eq!(
            f.rooms.end(111, EndCause::ApiEnded, T0).unwrap_err(),
            RoomError::NotLive(111)
        );
    }

    #[test]
    fn obf_needs_its_owner_in_the_meeting_is_single_use_and_follows_the_owner_out() {
        let mut facts = facts();
        facts.waiting_room = false;
        let mut f = Fixture::new(facts);
        let grant = TokenGrant {
            fingerprint: "obf-1".into(),
            user: user("member"),
            expires_at: T0 + mins(120),
            meeting_id: Some(111),
        };
        let mut bot = joiner("Bot", JoinRole::Bot, None);
        bot.credential = Credential::Obf(grant.clone());
        assert_eq!(
            f.join(bot.clone(), T0).unwrap_err(),
            RoomError::ObfOwnerAbsent("member".into())
        );
        f.join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let owner = f
            .join(joiner("Member", JoinRole::AccountUser, Some("member")), T0)
            .unwrap();
        let b = f.join(bot.clone(), T0).unwrap();
        assert_eq!(b.status, ParticipantStatus::InMeeting);
        assert_eq!(f.join(bot, T0).unwrap_err(), RoomError::TokenAlreadyUsed);
        let mut other = joiner("Bot2", JoinRole::Bot, None);
        other.credential = Credential::Obf(TokenGrant {
            fingerprint: "obf-2".into(),
            meeting_id: Some(222),
            ..grant
        });
        assert_eq!(
            f.join(other, T0).unwrap_err(),
            RoomError::TokenForOtherMeeting
        );
        f.rooms
            .leave(111, &owner.participant_id, T0 + mins(3))
            .unwrap();
        assert_eq!(f.status(&b.participant_id), ParticipantStatus::Left);
    }

    #[test]
    fn turning_the_waiting_room_off_admits_everyone_waiting() {
        let mut f = Fixture::new(facts());
        f.join(joiner("Host", JoinRole::Host, Some("host")), T0)
            .unwrap();
        let a = f.join(joiner("A", JoinRole::External, None), T0).unwrap();
        let mut changed = f.facts.clone();
        changed.waiting_room = false;
        let events = f.rooms.settings_changed(&changed, T0 + mins(1));
        assert_eq!(events.len(), 1);
        assert_eq!(f.status(&a.participant_id), ParticipantStatus::InMeeting);
    }

    #[test]
    fn bad_requests_are_refused_clearly() {
        let mut f = Fixture::new(facts());
        assert!(matches!(
            f.join(joiner("  ", JoinRole::External, None), T0),
            Err(RoomError::Invalid(_))
        ));
        assert!(matches!(
            f.join(joiner("X", JoinRole::AccountUser, None), T0),
            Err(RoomError::Invalid(_))
        ));
        assert_eq!(
            f.join(joiner("X", JoinRole::AlternativeHost, Some("nobody")), T0)
                .unwrap_err(),
            RoomError::NotAlternativeHost("nobody".into())
        );
        assert_eq!(
            f.rooms.leave(111, "1", T0).unwrap_err(),
            RoomError::NotLive(111)
        );
    }
}
