//! The AI scribe bot's join logic (BOT-1 to BOT-6).
//!
//! How the bot gets into a meeting depends on the connector's auth mode, as the seed document
//! describes it:
//!
//! * **OAuth** (BOT-1): the bot asks the connector for the host's ZAK and joins with it, which
//!   bypasses the waiting room (fact sheet §7: a ZAK minted for the meeting host skips it). No alert.
//! * **API Key/Secret** (BOT-2): the ZAK request fails (Zoom refuses it for JWT-style auth), the
//!   bot sends the alert "ZAK token generation not supported" (unless alerts are suppressed, BOT-5)
//!   and falls back to a standard join. Where the platform puts it then is the platform's decision
//!   (BOT-6): in the meeting (no waiting room), in the waiting room, or waiting for the host.
//! * From the waiting room it is either admitted by a host or co-host (BOT-3: it joins and the
//!   transcript is captured from then on), or it misses the meeting (BOT-4): the meeting ends,
//!   someone denies or removes it, or the waiting timeout passes. The timeout (default 20 minutes,
//!   the figure meeting-bot vendors use, fact sheet §7) counts from the join attempt and is measured
//!   on the meeting platform's clock ([`MeetingJoiner::now`]); waiting for the host counts too.
//!
//! The Meeting SDK is behind the [`MeetingJoiner`] trait; the harness implements it over the fake
//! Zoom's control API. A [`BotSession`] is a poll-driven state machine: [`ScribeBot::attend`]
//! makes the join attempt and [`BotSession::poll`] asks the platform for the bot's status and
//! applies the timeout. Nothing sleeps, so a test can advance the platform's clock and poll.
//! The platform's answer is the truth: if it says the bot is in the meeting when polled, the bot
//! was admitted (at the platform's `admitted_at`), even when the deadline passed meanwhile.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use thiserror::Error;
use time::OffsetDateTime;

use crate::alerts::{Alert, AlertKind, AlertSink, BoxFuture};
use crate::{ErrorKind, ZoomConnector};

/// What the bot sends to the meeting platform to join.
#[derive(Debug, Clone)]
pub struct JoinRequest {
    /// Display name in the meeting.
    pub name: String,
    /// The ZAK to join with, when the connector could get one.
    pub zak: Option<SecretString>,
}

/// A participant's status as the meeting platform reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParticipantStatus {
    /// In the meeting.
    InMeeting,
    /// In the waiting room, until a host or co-host admits it.
    InWaitingRoom,
    /// The meeting has not started and join-before-host is off: waiting for the host.
    WaitingForHost,
    /// Left the meeting.
    Left,
    /// Removed by a host or co-host.
    Removed,
    /// Denied entry from the waiting room.
    Denied,
    /// The meeting instance ended.
    MeetingEnded,
}

/// The platform's answer about one participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinStatus {
    /// The platform's id for the participant.
    pub participant_id: String,
    /// Where the participant is.
    pub status: ParticipantStatus,
    /// Why, when the platform says (e.g. "waiting room on").
    pub reason: Option<String>,
    /// When the participant entered the meeting itself (not the waiting room), if it did.
    pub admitted_at: Option<OffsetDateTime>,
    /// When it left, if it did.
    pub left_at: Option<OffsetDateTime>,
}

/// Why the meeting platform could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JoinError {
    /// The platform refused (unknown meeting, meeting ended, invalid token ...).
    #[error("join refused{}: {message}", code.map(|c| format!(" (code {c})")).unwrap_or_default())]
    Refused {
        /// The platform's error code, if any.
        code: Option<i64>,
        /// The platform's message.
        message: String,
    },
    /// The platform could not be reached or answered something unreadable.
    #[error("meeting platform unavailable: {0}")]
    Unavailable(String),
}

/// The Meeting SDK seam: how the bot joins and watches a meeting.
pub trait MeetingJoiner: Send + Sync {
    /// Joins `meeting_id` and returns where the platform put the bot.
    fn join(
        &self,
        meeting_id: u64,
        request: JoinRequest,
    ) -> BoxFuture<'_, Result<JoinStatus, JoinError>>;
    /// The current status of a participant that joined earlier.
    fn status<'a>(
        &'a self,
        meeting_id: u64,
        participant_id: &'a str,
    ) -> BoxFuture<'a, Result<JoinStatus, JoinError>>;
    /// Leaves the meeting or its waiting room.
    fn leave<'a>(
        &'a self,
        meeting_id: u64,
        participant_id: &'a str,
    ) -> BoxFuture<'a, Result<(), JoinError>>;
    /// The meeting platform's clock.
    fn now(&self) -> BoxFuture<'_, Result<OffsetDateTime, JoinError>>;
}

/// How the bot got into the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinVia {
    /// With the host's ZAK, bypassing the waiting room (OAuth).
    Zak,
    /// Admitted from the waiting room by a host or co-host.
    Admitted,
    /// A standard join let straight in (no waiting room), or in once the host started the meeting.
    Direct,
}

/// Why the bot missed the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MissReason {
    /// The meeting ended while the bot was still waiting.
    MeetingEnded,
    /// Nobody let the bot in within the waiting timeout; it left.
    WaitingTimeout {
        /// The timeout that passed.
        waited: Duration,
    },
    /// A host or co-host denied it entry.
    Denied,
    /// A host or co-host removed it from the waiting room.
    Removed,
    /// It left the waiting room for another reason (the platform says it left).
    Left,
    /// The platform refused the join itself.
    JoinRefused {
        /// The platform's message.
        message: String,
    },
}

impl std::fmt::Display for MissReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MissReason::MeetingEnded => {
                write!(f, "the meeting ended before anyone admitted the bot")
            }
            MissReason::WaitingTimeout { waited } => {
                write!(
                    f,
                    "nobody admitted the bot within {} minutes",
                    waited.as_secs() / 60
                )
            }
            MissReason::Denied => write!(f, "the bot was denied entry"),
            MissReason::Removed => write!(f, "the bot was removed from the waiting room"),
            MissReason::Left => write!(f, "the bot left the waiting room"),
            MissReason::JoinRefused { message } => write!(f, "the join was refused: {message}"),
        }
    }
}

/// Where the bot is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotState {
    /// In the waiting room since `since` (the join attempt).
    Waiting {
        /// The bot's participant id.
        participant_id: String,
        /// When the bot started waiting (platform clock).
        since: OffsetDateTime,
    },
    /// Waiting for the host to start the meeting since `since`.
    WaitingForHost {
        /// The bot's participant id.
        participant_id: String,
        /// When the bot started waiting (platform clock).
        since: OffsetDateTime,
    },
    /// In the meeting, capturing the transcript since `since`.
    Joined {
        /// The bot's participant id.
        participant_id: String,
        /// How it got in.
        via: JoinVia,
        /// When it got in (platform clock).
        since: OffsetDateTime,
    },
    /// It was in the meeting and is no longer (the meeting ended, or it was removed).
    Attended {
        /// How it got in.
        via: JoinVia,
        /// The captured transcript's span.
        transcript: Transcript,
    },
    /// It never got into the meeting: no transcript, documentation incomplete.
    Missed {
        /// Why.
        reason: MissReason,
    },
}

impl BotState {
    /// Whether the bot is done with this meeting (nothing more will change).
    pub fn is_final(&self) -> bool {
        matches!(self, BotState::Attended { .. } | BotState::Missed { .. })
    }

    /// Whether the bot is waiting (in the waiting room or for the host).
    pub fn is_waiting(&self) -> bool {
        matches!(
            self,
            BotState::Waiting { .. } | BotState::WaitingForHost { .. }
        )
    }
}

/// The span of meeting the bot transcribed, on the platform's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transcript {
    /// When capture started (the bot got in).
    pub from: OffsetDateTime,
    /// When capture stopped (the bot left or the meeting ended); `None` while still in.
    pub until: Option<OffsetDateTime>,
}

/// What happened to the bot's ZAK request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZakOutcome {
    /// The connector returned a ZAK and the bot joined with it.
    Granted,
    /// The connector could not get one; the bot made a standard join.
    Refused {
        /// The error's kind (`ZakNotSupported` under API Key/Secret).
        kind: ErrorKind,
        /// The error's message.
        message: String,
        /// The error's fix, if the connector knows one.
        fix: Option<&'static str>,
    },
}

/// The scribe bot: configuration shared by every meeting it attends.
#[derive(Clone)]
pub struct ScribeBot {
    joiner: Arc<dyn MeetingJoiner>,
    alerts: Arc<dyn AlertSink>,
    suppress_zak_alerts: bool,
    waiting_timeout: Duration,
    name: String,
}

impl std::fmt::Debug for ScribeBot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScribeBot")
            .field("name", &self.name)
            .field("suppress_zak_alerts", &self.suppress_zak_alerts)
            .field("waiting_timeout", &self.waiting_timeout)
            .finish()
    }
}

/// The default waiting timeout: 20 minutes.
pub const DEFAULT_WAITING_TIMEOUT: Duration = Duration::from_secs(20 * 60);

impl ScribeBot {
    /// A bot named "AI Scribe" joining through `joiner` and alerting to `alerts`, with the default
    /// 20-minute waiting timeout and alerts on.
    pub fn new(joiner: Arc<dyn MeetingJoiner>, alerts: Arc<dyn AlertSink>) -> Self {
        ScribeBot {
            joiner,
            alerts,
            suppress_zak_alerts: false,
            waiting_timeout: DEFAULT_WAITING_TIMEOUT,
            name: "AI Scribe".to_string(),
        }
    }

    /// BOT-5: suppresses the ZAK alert; the join behaviour is unchanged.
    pub fn suppress_zak_alerts(mut self, suppress: bool) -> Self {
        self.suppress_zak_alerts = suppress;
        self
    }

    /// Sets how long the bot waits (for admission or the host) before giving up.
    pub fn waiting_timeout(mut self, timeout: Duration) -> Self {
        self.waiting_timeout = timeout;
        self
    }

    /// Sets the bot's display name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Makes the bot's join attempt for `meeting_id`, hosted by `host_user_id`: ZAK through
    /// `connector`, alert on failure, join. Returns the session to poll.
    ///
    /// Fails only when the platform's clock cannot be read; a refused join is a missed meeting.
    pub async fn attend(
        &self,
        connector: &ZoomConnector,
        meeting_id: u64,
        host_user_id: &str,
    ) -> Result<BotSession, JoinError> {
        let started = self.joiner.now().await?;
        let (zak, outcome) = match connector.get_zak(host_user_id).await {
            Ok(zak) => (Some(zak), ZakOutcome::Granted),
            Err(error) => {
                tracing::info!(meeting_id, kind = ?error.kind(), "ZAK unavailable; standard join");
                let outcome = ZakOutcome::Refused {
                    kind: error.kind(),
                    message: error.to_string(),
                    fix: error.fix(),
                };
                (None, outcome)
            }
        };
        Ok(self.join_with(meeting_id, started, zak, outcome).await)
    }

    /// The join attempt once the ZAK request is settled: alert if it failed, then join.
    async fn join_with(
        &self,
        meeting_id: u64,
        started: OffsetDateTime,
        zak: Option<SecretString>,
        zak_outcome: ZakOutcome,
    ) -> BotSession {
        let mut session = BotSession {
            meeting_id,
            joiner: self.joiner.clone(),
            waiting_timeout: self.waiting_timeout,
            started,
            joined_with_zak: zak.is_some(),
            zak_outcome,
            alert: None,
            entered: None,
            participant_id: None,
            // Replaced by the join's outcome below, before anyone can see it.
            state: BotState::Missed {
                reason: MissReason::JoinRefused {
                    message: String::new(),
                },
            },
        };
        if let ZakOutcome::Refused { kind, message, .. } = &session.zak_outcome
            && !self.suppress_zak_alerts
        {
            let alert = if *kind == ErrorKind::ZakNotSupported {
                Alert::zak_not_supported(meeting_id)
            } else {
                Alert {
                    kind: AlertKind::ZakFailed,
                    text: format!("ZAK token request failed: {message}"),
                    meeting_id: Some(meeting_id),
                }
            };
            // A failed delivery must not stop the bot: record it for the timeline instead.
            session.alert = Some(match self.alerts.send(alert.clone()).await {
                Ok(()) => AlertDelivery::Sent(alert),
                Err(e) => AlertDelivery::Failed {
                    alert,
                    error: e.to_string(),
                },
            });
        }
        let request = JoinRequest {
            name: self.name.clone(),
            zak,
        };
        match self.joiner.join(meeting_id, request).await {
            Ok(status) => session.observe(&status, started),
            Err(error) => {
                session.state = BotState::Missed {
                    reason: MissReason::JoinRefused {
                        message: error.to_string(),
                    },
                }
            }
        }
        session.apply_deadline(started).await;
        session
    }
}

/// Whether the ZAK alert reached its sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertDelivery {
    /// Delivered.
    Sent(Alert),
    /// The sink failed; the bot carried on.
    Failed {
        /// The alert.
        alert: Alert,
        /// Why it was not delivered.
        error: String,
    },
}

/// The bot's attendance of one meeting: poll it to follow the platform.
pub struct BotSession {
    meeting_id: u64,
    joiner: Arc<dyn MeetingJoiner>,
    waiting_timeout: Duration,
    started: OffsetDateTime,
    joined_with_zak: bool,
    zak_outcome: ZakOutcome,
    alert: Option<AlertDelivery>,
    /// How and when the bot first got into the meeting.
    entered: Option<(JoinVia, OffsetDateTime)>,
    /// The platform's id for the bot, once it answered the join.
    participant_id: Option<String>,
    state: BotState,
}

impl std::fmt::Debug for BotSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BotSession")
            .field("meeting_id", &self.meeting_id)
            .field("state", &self.state)
            .field("zak_outcome", &self.zak_outcome)
            .field("alert", &self.alert)
            .finish()
    }
}

impl BotSession {
    /// The meeting this session attends.
    pub fn meeting_id(&self) -> u64 {
        self.meeting_id
    }

    /// Where the bot is now (as of the last poll).
    pub fn state(&self) -> &BotState {
        &self.state
    }

    /// The platform's participant id for the bot, if the join got that far (kept after it left).
    pub fn participant_id(&self) -> Option<&str> {
        self.participant_id.as_deref()
    }

    /// Whether the bot joined with a ZAK.
    pub fn used_zak(&self) -> bool {
        self.joined_with_zak
    }

    /// What happened to the ZAK request.
    pub fn zak_outcome(&self) -> &ZakOutcome {
        &self.zak_outcome
    }

    /// The ZAK alert, if one was due (not suppressed) and whether it was delivered.
    pub fn alert(&self) -> Option<&AlertDelivery> {
        self.alert.as_ref()
    }

    /// When the join attempt was made (platform clock).
    pub fn started(&self) -> OffsetDateTime {
        self.started
    }

    /// The captured transcript's span, if the bot got into the meeting.
    pub fn transcript(&self) -> Option<Transcript> {
        match &self.state {
            BotState::Attended { transcript, .. } => Some(*transcript),
            _ => self
                .entered
                .map(|(_, from)| Transcript { from, until: None }),
        }
    }

    /// Asks the platform where the bot is, applies the waiting timeout, and returns the new state.
    /// A platform error leaves the state unchanged.
    pub async fn poll(&mut self) -> Result<&BotState, JoinError> {
        let participant_id = match &self.state {
            BotState::Waiting { participant_id, .. }
            | BotState::WaitingForHost { participant_id, .. }
            | BotState::Joined { participant_id, .. } => participant_id.clone(),
            BotState::Attended { .. } | BotState::Missed { .. } => return Ok(&self.state),
        };
        let status = self.joiner.status(self.meeting_id, &participant_id).await?;
        let now = self.joiner.now().await?;
        self.observe(&status, now);
        self.apply_deadline(now).await;
        Ok(&self.state)
    }

    /// Moves to the state the platform's `status` implies; `now` stands in where the platform
    /// gives no time.
    fn observe(&mut self, status: &JoinStatus, now: OffsetDateTime) {
        let participant_id = status.participant_id.clone();
        self.participant_id = Some(participant_id.clone());
        let wait_since = match &self.state {
            BotState::Waiting { since, .. } | BotState::WaitingForHost { since, .. } => *since,
            _ => now,
        };
        // How the bot gets in, should it be in now: judged from where it was before.
        let via = if matches!(self.state, BotState::Waiting { .. }) {
            JoinVia::Admitted
        } else if self.joined_with_zak {
            JoinVia::Zak
        } else {
            JoinVia::Direct
        };
        self.state = match status.status {
            ParticipantStatus::InMeeting => {
                let (via, since) = *self
                    .entered
                    .get_or_insert((via, status.admitted_at.unwrap_or(now)));
                BotState::Joined {
                    participant_id,
                    via,
                    since,
                }
            }
            // Also when a host sends the bot back: the transcript so far is kept, capture pauses.
            ParticipantStatus::InWaitingRoom => BotState::Waiting {
                participant_id,
                since: wait_since,
            },
            ParticipantStatus::WaitingForHost => BotState::WaitingForHost {
                participant_id,
                since: wait_since,
            },
            ended => {
                if let (None, Some(at), false) = (
                    self.entered,
                    status.admitted_at,
                    ended == ParticipantStatus::Denied,
                ) {
                    // In and out again between two polls: the platform says it did get in.
                    self.entered = Some((via, at));
                }
                match self.entered {
                    Some((via, from)) => BotState::Attended {
                        via,
                        transcript: Transcript {
                            from,
                            until: Some(status.left_at.unwrap_or(now)),
                        },
                    },
                    None => BotState::Missed {
                        reason: match ended {
                            ParticipantStatus::Denied => MissReason::Denied,
                            ParticipantStatus::Removed => MissReason::Removed,
                            ParticipantStatus::Left => MissReason::Left,
                            _ => MissReason::MeetingEnded,
                        },
                    },
                }
            }
        };
    }

    /// Gives up once the bot has waited `waiting_timeout` (since its join attempt, or since a host
    /// sent it back to the waiting room): it leaves, and the meeting is missed (or, if it had been
    /// in before, attended up to now).
    async fn apply_deadline(&mut self, now: OffsetDateTime) {
        let (participant_id, since) = match &self.state {
            BotState::Waiting {
                participant_id,
                since,
            }
            | BotState::WaitingForHost {
                participant_id,
                since,
            } => (participant_id.clone(), *since),
            _ => return,
        };
        if now - since < self.waiting_timeout {
            return;
        }
        if let Err(error) = self.joiner.leave(self.meeting_id, &participant_id).await {
            // The platform may already have ended the meeting; the bot is gone either way.
            tracing::info!(meeting_id = self.meeting_id, %error, "leaving the waiting room failed");
        }
        self.state = match self.entered {
            Some((via, from)) => BotState::Attended {
                via,
                transcript: Transcript {
                    from,
                    until: Some(now),
                },
            },
            None => BotState::Missed {
                reason: MissReason::WaitingTimeout {
                    waited: self.waiting_timeout,
                },
            },
        };
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use time::macros::datetime;

    use super::*;
    use crate::alerts::MemoryAlertSink;

    /// A one-participant platform whose answers the test sets.
    struct ScriptedPlatform {
        now: Mutex<OffsetDateTime>,
        status: Mutex<JoinStatus>,
        joins: Mutex<Vec<bool>>,
        left: Mutex<bool>,
    }

    impl ScriptedPlatform {
        fn new(initial: ParticipantStatus) -> Arc<Self> {
            Arc::new(ScriptedPlatform {
                now: Mutex::new(datetime!(2026-12-04 15:00 UTC)),
                status: Mutex::new(JoinStatus {
                    participant_id: "p1".into(),
                    status: initial,
                    reason: None,
                    admitted_at: None,
                    left_at: None,
                }),
                joins: Mutex::new(Vec::new()),
                left: Mutex::new(false),
            })
        }
        fn now(&self) -> OffsetDateTime {
            *self.now.lock().unwrap()
        }
        fn advance(&self, minutes: i64) {
            *self.now.lock().unwrap() += time::Duration::minutes(minutes);
        }
        fn set(&self, status: ParticipantStatus, admitted: bool) {
            let now = self.now();
            let mut s = self.status.lock().unwrap();
            s.status = status;
            if admitted && s.admitted_at.is_none() {
                s.admitted_at = Some(now);
            }
            if !status_present(status) {
                s.left_at = Some(now);
            }
        }
    }

    fn status_present(s: ParticipantStatus) -> bool {
        matches!(
            s,
            ParticipantStatus::InMeeting
                | ParticipantStatus::InWaitingRoom
                | ParticipantStatus::WaitingForHost
        )
    }

    impl MeetingJoiner for ScriptedPlatform {
        fn join(
            &self,
            _: u64,
            request: JoinRequest,
        ) -> BoxFuture<'_, Result<JoinStatus, JoinError>> {
            self.joins.lock().unwrap().push(request.zak.is_some());
            if self.status.lock().unwrap().status == ParticipantStatus::InMeeting {
                let now = self.now();
                self.status.lock().unwrap().admitted_at = Some(now);
            }
            let status = self.status.lock().unwrap().clone();
            Box::pin(async move { Ok(status) })
        }
        fn status<'a>(
            &'a self,
            _: u64,
            _: &'a str,
        ) -> BoxFuture<'a, Result<JoinStatus, JoinError>> {
            let status = self.status.lock().unwrap().clone();
            Box::pin(async move { Ok(status) })
        }
        fn leave<'a>(&'a self, _: u64, _: &'a str) -> BoxFuture<'a, Result<(), JoinError>> {
            *self.left.lock().unwrap() = true;
            self.set(ParticipantStatus::Left, false);
            Box::pin(async { Ok(()) })
        }
        fn now(&self) -> BoxFuture<'_, Result<OffsetDateTime, JoinError>> {
            let now = ScriptedPlatform::now(self);
            Box::pin(async move { Ok(now) })
        }
    }

    fn refused() -> ZakOutcome {
        ZakOutcome::Refused {
            kind: ErrorKind::ZakNotSupported,
            message: "This API only supports OAuth2 authorization.".into(),
            fix: None,
        }
    }

    fn bot(platform: &Arc<ScriptedPlatform>, alerts: &MemoryAlertSink) -> ScribeBot {
        ScribeBot::new(platform.clone(), Arc::new(alerts.clone()))
    }

    async fn api_key_join(bot: &ScribeBot, platform: &ScriptedPlatform) -> BotSession {
        bot.join_with(7, platform.now(), None, refused()).await
    }

    #[tokio::test]
    async fn zak_join_is_immediate_and_silent() {
        let platform = ScriptedPlatform::new(ParticipantStatus::InMeeting);
        let alerts = MemoryAlertSink::new();
        let zak = Some(SecretString::from("zak"));
        let session = bot(&platform, &alerts)
            .join_with(7, platform.now(), zak, ZakOutcome::Granted)
            .await;
        assert!(
            matches!(
                session.state(),
                BotState::Joined {
                    via: JoinVia::Zak,
                    ..
                }
            ),
            "{session:?}"
        );
        assert_eq!(session.transcript().map(|t| t.from), Some(platform.now()));
        assert!(alerts.alerts().is_empty());
        assert_eq!(*platform.joins.lock().unwrap(), vec![true]);
    }

    #[tokio::test]
    async fn api_key_alerts_waits_and_is_admitted() {
        let platform = ScriptedPlatform::new(ParticipantStatus::InWaitingRoom);
        let alerts = MemoryAlertSink::new();
        let bot = bot(&platform, &alerts);
        let mut session = api_key_join(&bot, &platform).await;
        assert_eq!(alerts.alerts(), vec![Alert::zak_not_supported(7)]);
        assert!(matches!(session.state(), BotState::Waiting { .. }));
        assert_eq!(session.transcript(), None);
        platform.advance(5);
        platform.set(ParticipantStatus::InMeeting, true);
        let admitted = platform.now();
        platform.advance(1);
        session.poll().await.unwrap();
        assert!(matches!(
            session.state(),
            BotState::Joined {
                via: JoinVia::Admitted,
                ..
            }
        ));
        assert_eq!(
            session.transcript(),
            Some(Transcript {
                from: admitted,
                until: None
            })
        );
        platform.advance(30);
        platform.set(ParticipantStatus::MeetingEnded, false);
        session.poll().await.unwrap();
        assert_eq!(
            session.state(),
            &BotState::Attended {
                via: JoinVia::Admitted,
                transcript: Transcript {
                    from: admitted,
                    until: Some(platform.now())
                }
            }
        );
        assert_eq!(alerts.alerts().len(), 1, "one alert per join attempt");
    }

    #[tokio::test]
    async fn suppressed_alerts_change_nothing_else() {
        let platform = ScriptedPlatform::new(ParticipantStatus::InWaitingRoom);
        let alerts = MemoryAlertSink::new();
        let bot = bot(&platform, &alerts).suppress_zak_alerts(true);
        let session = api_key_join(&bot, &platform).await;
        assert!(alerts.alerts().is_empty());
        assert!(session.alert().is_none());
        assert!(matches!(session.state(), BotState::Waiting { .. }));
    }

    #[tokio::test]
    async fn waiting_timeout_is_measured_on_the_platform_clock() {
        let platform = ScriptedPlatform::new(ParticipantStatus::InWaitingRoom);
        let alerts = MemoryAlertSink::new();
        let bot = bot(&platform, &alerts);
        let mut session = api_key_join(&bot, &platform).await;
        platform.advance(19);
        assert!(session.poll().await.unwrap().is_waiting());
        assert!(!*platform.left.lock().unwrap());
        platform.advance(1);
        let state = session.poll().await.unwrap().clone();
        assert_eq!(
            state,
            BotState::Missed {
                reason: MissReason::WaitingTimeout {
                    waited: DEFAULT_WAITING_TIMEOUT
                }
            }
        );
        assert!(
            *platform.left.lock().unwrap(),
            "the bot leaves the waiting room when it gives up"
        );
        assert_eq!(session.transcript(), None);
    }

    #[tokio::test]
    async fn custom_timeout_and_waiting_for_host_counts() {
        let platform = ScriptedPlatform::new(ParticipantStatus::WaitingForHost);
        let alerts = MemoryAlertSink::new();
        let bot = bot(&platform, &alerts).waiting_timeout(Duration::from_secs(5 * 60));
        let mut session = api_key_join(&bot, &platform).await;
        assert!(matches!(session.state(), BotState::WaitingForHost { .. }));
        platform.advance(3);
        platform.set(ParticipantStatus::InWaitingRoom, false);
        let state = session.poll().await.unwrap().clone();
        assert!(
            matches!(state, BotState::Waiting { since, .. } if since == session.started()),
            "{state:?}"
        );
        platform.advance(2);
        assert!(matches!(
            session.poll().await.unwrap(),
            BotState::Missed {
                reason: MissReason::WaitingTimeout { .. }
            }
        ));
    }

    #[tokio::test]
    async fn meeting_end_denial_and_quick_admission() {
        for (end, admitted, expect_transcript) in [
            (ParticipantStatus::MeetingEnded, false, false),
            (ParticipantStatus::Denied, false, false),
            (ParticipantStatus::Removed, false, false),
            // Admitted and the meeting ended between two polls: it did attend.
            (ParticipantStatus::MeetingEnded, true, true),
        ] {
            let platform = ScriptedPlatform::new(ParticipantStatus::InWaitingRoom);
            let alerts = MemoryAlertSink::new();
            let bot = bot(&platform, &alerts);
            let mut session = api_key_join(&bot, &platform).await;
            platform.advance(2);
            if admitted {
                platform.set(ParticipantStatus::InMeeting, true);
                platform.advance(2);
            }
            platform.set(end, false);
            session.poll().await.unwrap();
            assert!(session.state().is_final(), "{end:?}: {session:?}");
            assert_eq!(
                session.transcript().is_some(),
                expect_transcript,
                "{end:?}: {session:?}"
            );
        }
    }

    #[tokio::test]
    async fn refused_join_is_a_miss() {
        struct Refusing;
        impl MeetingJoiner for Refusing {
            fn join(&self, _: u64, _: JoinRequest) -> BoxFuture<'_, Result<JoinStatus, JoinError>> {
                Box::pin(async {
                    Err(JoinError::Refused {
                        code: Some(3001),
                        message: "Meeting does not exist: 7.".into(),
                    })
                })
            }
            fn status<'a>(
                &'a self,
                _: u64,
                _: &'a str,
            ) -> BoxFuture<'a, Result<JoinStatus, JoinError>> {
                unreachable!("a refused join is never polled")
            }
            fn leave<'a>(&'a self, _: u64, _: &'a str) -> BoxFuture<'a, Result<(), JoinError>> {
                unreachable!("a refused join never leaves")
            }
            fn now(&self) -> BoxFuture<'_, Result<OffsetDateTime, JoinError>> {
                Box::pin(async { Ok(datetime!(2026-12-04 15:00 UTC)) })
            }
        }
        let bot = ScribeBot::new(Arc::new(Refusing), Arc::new(MemoryAlertSink::new()));
        let mut session = bot
            .join_with(7, datetime!(2026-12-04 15:00 UTC), None, refused())
            .await;
        let state = session.poll().await.unwrap().clone();
        assert!(
            matches!(&state, BotState::Missed { reason: MissReason::JoinRefused { message } } if message.contains("3001")),
            "{state:?}"
        );
    }
}
