//! Runbooks executed on incidents (RUN-1 to RUN-3, BOT-4's incident record).
//!
//! An [`Incident`] carries what templates can use (`{{Activity.title}}`, `{{Activity.id}}`,
//! `{{Activity.severity}}`, `{{Activity.summary}}` and its custom fields, also under `Activity`)
//! and a timeline. A [`Runbook`] is a list of [`RunbookAction`]s with templated inputs;
//! [`Runbook::execute`] renders every template first (so a typo creates nothing), then runs the
//! actions in order, appending each result to the timeline: meeting created with its join link,
//! static bridge shared, the scribe bot joined / waiting / missed, errors with their fix. The first
//! failing action stops the run (later actions usually depend on it, e.g. the bot on the meeting).
//!
//! A runbook made only of [`RunbookAction::ShareStaticBridge`] needs no connector (RUN-3): it runs
//! with [`RunbookEnv::without_connector`]. The scribe bot is poll-driven; the returned
//! [`RunbookRun`] keeps its sessions, and [`RunbookRun::poll`] appends what changed.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::bot::{BotSession, BotState, JoinVia, ScribeBot};
use crate::template::{self, TemplateError};
use crate::webhook::ZoomIntegration;
use crate::{AutoRecording, ConnectorError, CreateMeeting, ErrorKind, MeetingSettings, StartTime};

/// The standard incident fields templates can name under `Activity`.
pub const STANDARD_FIELDS: [&str; 4] = ["id", "title", "severity", "summary"];

/// An incident, as the incident-response product holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Incident id (`{{Activity.id}}`).
    pub id: String,
    /// Title (`{{Activity.title}}`).
    pub title: String,
    /// Severity (`{{Activity.severity}}`), e.g. "SEV1".
    pub severity: String,
    /// Summary (`{{Activity.summary}}`).
    pub summary: String,
    /// Custom fields configured in the incident template (`{{Activity.<name>}}`).
    pub custom: BTreeMap<String, Value>,
    /// What runbooks did, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

/// A custom field whose name is taken by a standard field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("custom field `{0}` clashes with the standard incident field of that name")]
pub struct ReservedField(pub String);

impl Incident {
    /// A new incident with an empty timeline and no custom fields.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        severity: impl Into<String>,
        summary: impl Into<String>,
    ) -> Self {
        Incident {
            id: id.into(),
            title: title.into(),
            severity: severity.into(),
            summary: summary.into(),
            custom: BTreeMap::new(),
            timeline: Vec::new(),
        }
    }

    /// Sets a custom field; the standard field names are refused.
    pub fn set_field(
        &mut self,
        name: impl Into<String>,
        value: Value,
    ) -> Result<(), ReservedField> {
        let name = name.into();
        if STANDARD_FIELDS.contains(&name.as_str()) {
            return Err(ReservedField(name));
        }
        self.custom.insert(name, value);
        Ok(())
    }

    /// The template context: `{"Activity": {id, title, severity, summary, ...custom}}`.
    pub fn template_context(&self) -> Value {
        let mut activity: Map<String, Value> = self.custom.clone().into_iter().collect();
        activity.insert("id".into(), json!(self.id));
        activity.insert("title".into(), json!(self.title));
        activity.insert("severity".into(), json!(self.severity));
        activity.insert("summary".into(), json!(self.summary));
        json!({ "Activity": activity })
    }

    /// False once a scribe bot missed a meeting of this incident: no transcript exists for it.
    pub fn documentation_complete(&self) -> bool {
        !self
            .timeline
            .iter()
            .any(|e| matches!(e.event, TimelineEvent::BotMissed { .. }))
    }

    fn record(&mut self, at: OffsetDateTime, runbook: &str, event: TimelineEvent) {
        self.timeline.push(TimelineEntry {
            at,
            runbook: runbook.to_string(),
            event,
        });
    }
}

/// One line of an incident's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    /// When (the runbook environment's clock).
    pub at: OffsetDateTime,
    /// The runbook that produced it.
    pub runbook: String,
    /// What happened.
    pub event: TimelineEvent,
}

impl std::fmt::Display for TimelineEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.runbook, self.event)
    }
}

/// What a runbook did.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineEvent {
    /// A Zoom meeting was created.
    MeetingCreated {
        /// Meeting number.
        meeting_id: u64,
        /// Rendered topic.
        topic: String,
        /// Link responders join with.
        join_url: String,
    },
    /// A pre-configured bridge link was shared (no connector involved).
    BridgeShared {
        /// Label shown with the link.
        label: String,
        /// The bridge's join link.
        join_url: String,
    },
    /// The scribe bot could not get a ZAK and sent (or, suppressed, did not send) the alert.
    ZakUnavailable {
        /// Meeting number.
        meeting_id: u64,
        /// The connector's error.
        error: String,
        /// Whether the alert was sent (false when suppressed or undeliverable).
        alerted: bool,
        /// Why the alert could not be delivered, when it could not.
        alert_error: Option<String>,
    },
    /// The bot is in the meeting, capturing the transcript.
    BotJoined {
        /// Meeting number.
        meeting_id: u64,
        /// How it got in.
        via: JoinVia,
    },
    /// The bot is waiting: in the waiting room, or for the host.
    BotWaiting {
        /// Meeting number.
        meeting_id: u64,
        /// True for the waiting room (someone must admit it), false when waiting for the host.
        waiting_room: bool,
    },
    /// The bot was in the meeting and has left it; the transcript is complete.
    BotAttended {
        /// Meeting number.
        meeting_id: u64,
    },
    /// The bot missed the meeting: no transcript, the documentation is incomplete.
    BotMissed {
        /// Meeting number.
        meeting_id: u64,
        /// Why.
        reason: String,
    },
    /// An action failed.
    ActionFailed {
        /// Which action (e.g. "Create Zoom Meeting").
        action: String,
        /// The error.
        error: String,
        /// The error's kind.
        kind: ErrorKind,
        /// What to do about it, when known.
        fix: Option<String>,
    },
}

impl std::fmt::Display for TimelineEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimelineEvent::MeetingCreated {
                meeting_id,
                topic,
                join_url,
            } => {
                write!(
                    f,
                    "Zoom meeting created: \"{topic}\" ({meeting_id}); join: {join_url}"
                )
            }
            TimelineEvent::BridgeShared { label, join_url } => write!(f, "{label}: {join_url}"),
            TimelineEvent::ZakUnavailable {
                meeting_id,
                error,
                alerted,
                alert_error,
            } => {
                write!(
                    f,
                    "Scribe bot could not get a ZAK for meeting {meeting_id} ({error}); standard join"
                )?;
                match (alerted, alert_error) {
                    (true, _) => write!(f, ", alert sent"),
                    (false, Some(e)) => write!(f, ", alert not delivered: {e}"),
                    (false, None) => write!(f, ", no alert (suppressed)"),
                }
            }
            TimelineEvent::BotJoined { meeting_id, via } => {
                let how = match via {
                    JoinVia::Zak => "with a ZAK, no admission needed",
                    JoinVia::Admitted => "admitted from the waiting room",
                    JoinVia::Direct => "without a waiting room",
                };
                write!(
                    f,
                    "Scribe bot joined meeting {meeting_id} ({how}); transcript capture started"
                )
            }
            TimelineEvent::BotWaiting {
                meeting_id,
                waiting_room: true,
            } => write!(
                f,
                "Scribe bot is in the waiting room of meeting {meeting_id}: a participant must admit it"
            ),
            TimelineEvent::BotWaiting {
                meeting_id,
                waiting_room: false,
            } => {
                write!(
                    f,
                    "Scribe bot is waiting for the host to start meeting {meeting_id}"
                )
            }
            TimelineEvent::BotAttended { meeting_id } => {
                write!(
                    f,
                    "Scribe bot left meeting {meeting_id}; transcript captured"
                )
            }
            TimelineEvent::BotMissed { meeting_id, reason } => write!(
                f,
                "Scribe bot missed meeting {meeting_id}: {reason}. No transcript was captured; \
                 the incident documentation is incomplete"
            ),
            TimelineEvent::ActionFailed {
                action, error, fix, ..
            } => {
                write!(f, "{action} failed: {error}")?;
                if let Some(fix) = fix {
                    write!(f, ". Fix: {fix}")?;
                }
                Ok(())
            }
        }
    }
}

/// Inputs of the Create Zoom Meeting action; `topic` and `agenda` are templates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CreateMeetingAction {
    /// The host's user id or email (`me` for the app's own user, with user OAuth).
    pub host: String,
    /// Topic template, e.g. `{{Activity.title}} - Incident Bridge`.
    pub topic: String,
    /// Agenda template.
    pub agenda: Option<String>,
    /// Duration in minutes.
    pub duration_minutes: Option<u32>,
    /// Scheduled start (none: now).
    pub start_time: Option<StartTime>,
    /// IANA time zone for `start_time`.
    pub timezone: Option<String>,
    /// Join before host.
    pub join_before_host: Option<bool>,
    /// Waiting room.
    pub waiting_room: Option<bool>,
    /// Auto-recording: cloud, local or none.
    pub auto_recording: Option<AutoRecording>,
    /// Passcode.
    pub passcode: Option<String>,
}

/// One step of a runbook.
#[derive(Debug, Clone, PartialEq)]
pub enum RunbookAction {
    /// Create a Zoom meeting through the connector.
    CreateMeeting(CreateMeetingAction),
    /// Share a pre-configured bridge link; `label` is a template. Needs no connector.
    ShareStaticBridge {
        /// Label template, e.g. `Bridge for {{Activity.id}}`.
        label: String,
        /// The bridge's join link.
        join_url: String,
    },
    /// Send the scribe bot into the meeting created by an earlier action of this run.
    JoinScribeBot,
}

impl RunbookAction {
    /// The action's name as the action picker shows it.
    pub fn name(&self) -> &'static str {
        match self {
            RunbookAction::CreateMeeting(_) => "Create Zoom Meeting",
            RunbookAction::ShareStaticBridge { .. } => "Share Static Bridge",
            RunbookAction::JoinScribeBot => "Join AI Scribe Bot",
        }
    }
}

/// A named list of actions.
#[derive(Debug, Clone, PartialEq)]
pub struct Runbook {
    /// Name shown in the timeline.
    pub name: String,
    /// Steps, run in order.
    pub actions: Vec<RunbookAction>,
}

/// A clock for timeline entries (the system clock by default).
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// What a runbook runs with: the Zoom integration (if any), the scribe bot (if any), a clock.
#[derive(Clone)]
pub struct RunbookEnv {
    integration: Option<Arc<ZoomIntegration>>,
    bot: Option<ScribeBot>,
    clock: Clock,
}

impl std::fmt::Debug for RunbookEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunbookEnv")
            .field("integration", &self.integration)
            .field("bot", &self.bot)
            .finish()
    }
}

impl RunbookEnv {
    /// An environment with the project's Zoom integration (configured or not).
    pub fn new(integration: Arc<ZoomIntegration>) -> Self {
        RunbookEnv {
            integration: Some(integration),
            bot: None,
            clock: Arc::new(OffsetDateTime::now_utc),
        }
    }

    /// An environment with no Zoom connector at all: only static bridges can run (RUN-3).
    pub fn without_connector() -> Self {
        RunbookEnv {
            integration: None,
            bot: None,
            clock: Arc::new(OffsetDateTime::now_utc),
        }
    }

    /// Adds the scribe bot.
    pub fn with_bot(mut self, bot: ScribeBot) -> Self {
        self.bot = Some(bot);
        self
    }

    /// Sets the clock stamped on timeline entries.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// An action with its templates rendered.
enum Rendered {
    Create(CreateMeeting, String),
    Bridge { label: String, join_url: String },
    JoinBot,
}

/// The result of executing a runbook: the bot sessions still to follow.
pub struct RunbookRun {
    runbook: String,
    clock: Clock,
    sessions: Vec<BotSession>,
    failed: bool,
}

impl std::fmt::Debug for RunbookRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunbookRun")
            .field("runbook", &self.runbook)
            .field("sessions", &self.sessions)
            .field("failed", &self.failed)
            .finish()
    }
}

impl Runbook {
    /// Executes the runbook on `incident`, appending results to its timeline.
    pub async fn execute(&self, incident: &mut Incident, env: &RunbookEnv) -> RunbookRun {
        let mut run = RunbookRun {
            runbook: self.name.clone(),
            clock: env.clock.clone(),
            sessions: Vec::new(),
            failed: false,
        };
        let rendered = match self.render(incident) {
            Ok(rendered) => rendered,
            Err((action, error)) => {
                run.fail(
                    incident,
                    action,
                    &ConnectorError::Template(error.to_string()),
                    Some(template_fix(&error)),
                );
                return run;
            }
        };
        let mut meeting: Option<(u64, String)> = None;
        for (action, step) in self.actions.iter().zip(rendered) {
            match step {
                Rendered::Bridge { label, join_url } => {
                    incident.record(
                        (env.clock)(),
                        &self.name,
                        TimelineEvent::BridgeShared { label, join_url },
                    );
                }
                Rendered::Create(input, host) => {
                    let created = match connector(env) {
                        Ok(connector) => connector.create_meeting(&host, input).await,
                        Err(e) => Err(e),
                    };
                    match created {
                        Ok(m) => {
                            incident.record(
                                (env.clock)(),
                                &self.name,
                                TimelineEvent::MeetingCreated {
                                    meeting_id: m.id,
                                    topic: m.topic.clone(),
                                    join_url: m.join_url.clone(),
                                },
                            );
                            meeting = Some((m.id, host));
                        }
                        Err(e) => {
                            run.fail(incident, action.name(), &e, None);
                            return run;
                        }
                    }
                }
                Rendered::JoinBot => {
                    let Some((meeting_id, host)) = meeting.clone() else {
                        let e = ConnectorError::InvalidInput {
                            field: "runbook",
                            message:
                                "Join AI Scribe Bot needs a Create Zoom Meeting action before it"
                                    .into(),
                        };
                        run.fail(incident, action.name(), &e, None);
                        return run;
                    };
                    let Some(bot) = &env.bot else {
                        let e = ConnectorError::InvalidConfig("no scribe bot is configured".into());
                        run.fail(incident, action.name(), &e, None);
                        return run;
                    };
                    let connector = match connector(env) {
                        Ok(c) => c,
                        Err(e) => {
                            run.fail(incident, action.name(), &e, None);
                            return run;
                        }
                    };
                    match bot.attend(&connector, meeting_id, &host).await {
                        Ok(session) => {
                            record_zak(incident, &self.name, (env.clock)(), &session);
                            record_state(
                                incident,
                                &self.name,
                                (env.clock)(),
                                meeting_id,
                                None,
                                session.state(),
                            );
                            run.sessions.push(session);
                        }
                        Err(e) => {
                            incident.record(
                                (env.clock)(),
                                &self.name,
                                TimelineEvent::ActionFailed {
                                    action: action.name().to_string(),
                                    error: e.to_string(),
                                    kind: ErrorKind::Network,
                                    fix: None,
                                },
                            );
                            run.failed = true;
                            return run;
                        }
                    }
                }
            }
        }
        run
    }

    /// Renders every template, so that a bad one stops the run before anything is created.
    fn render(&self, incident: &Incident) -> Result<Vec<Rendered>, (&'static str, TemplateError)> {
        let context = incident.template_context();
        self.actions
            .iter()
            .map(|action| {
                let fail = |e| (action.name(), e);
                Ok(match action {
                    RunbookAction::CreateMeeting(a) => {
                        let topic = template::render(&a.topic, &context).map_err(fail)?;
                        let agenda = a
                            .agenda
                            .as_deref()
                            .map(|t| template::render(t, &context))
                            .transpose()
                            .map_err(fail)?;
                        let input = CreateMeeting {
                            topic,
                            agenda,
                            duration: a.duration_minutes,
                            start_time: a.start_time,
                            timezone: a.timezone.clone(),
                            passcode: a.passcode.clone(),
                            settings: MeetingSettings {
                                join_before_host: a.join_before_host,
                                waiting_room: a.waiting_room,
                                auto_recording: a.auto_recording,
                                ..MeetingSettings::default()
                            },
                        };
                        Rendered::Create(input, a.host.clone())
                    }
                    RunbookAction::ShareStaticBridge { label, join_url } => Rendered::Bridge {
                        label: template::render(label, &context).map_err(fail)?,
                        join_url: join_url.clone(),
                    },
                    RunbookAction::JoinScribeBot => Rendered::JoinBot,
                })
            })
            .collect()
    }
}

fn connector(env: &RunbookEnv) -> Result<crate::ZoomConnector, ConnectorError> {
    env.integration
        .as_ref()
        .ok_or(ConnectorError::NotConfigured)?
        .connector()
}

fn template_fix(error: &TemplateError) -> String {
    match error {
        TemplateError::UnknownVariable { .. } => format!(
            "use one of {} or a custom incident field as Activity.<field>",
            STANDARD_FIELDS.map(|f| format!("Activity.{f}")).join(", ")
        ),
        TemplateError::Syntax { .. } => {
            "correct the template's {{ }} tags at the position shown".into()
        }
        TemplateError::NotText { .. } => "name a field holding text or a number".into(),
    }
}

fn record_zak(incident: &mut Incident, runbook: &str, at: OffsetDateTime, session: &BotSession) {
    if let crate::bot::ZakOutcome::Refused { message, .. } = session.zak_outcome() {
        let (alerted, alert_error) = match session.alert() {
            Some(crate::bot::AlertDelivery::Sent(_)) => (true, None),
            Some(crate::bot::AlertDelivery::Failed { error, .. }) => (false, Some(error.clone())),
            None => (false, None),
        };
        incident.record(
            at,
            runbook,
            TimelineEvent::ZakUnavailable {
                meeting_id: session.meeting_id(),
                error: message.clone(),
                alerted,
                alert_error,
            },
        );
    }
}

/// Appends the timeline entry for `state`, unless `before` already said the same.
fn record_state(
    incident: &mut Incident,
    runbook: &str,
    at: OffsetDateTime,
    meeting_id: u64,
    before: Option<&BotState>,
    state: &BotState,
) {
    let same_kind =
        before.is_some_and(|b| std::mem::discriminant(b) == std::mem::discriminant(state));
    if same_kind {
        return;
    }
    let event = match state {
        BotState::Joined { via, .. } => TimelineEvent::BotJoined {
            meeting_id,
            via: *via,
        },
        BotState::Waiting { .. } => TimelineEvent::BotWaiting {
            meeting_id,
            waiting_room: true,
        },
        BotState::WaitingForHost { .. } => TimelineEvent::BotWaiting {
            meeting_id,
            waiting_room: false,
        },
        BotState::Attended { via, .. } => {
            if !matches!(before, Some(BotState::Joined { .. })) {
                // In and out between two polls: say it joined before saying it left.
                incident.record(
                    at,
                    runbook,
                    TimelineEvent::BotJoined {
                        meeting_id,
                        via: *via,
                    },
                );
            }
            TimelineEvent::BotAttended { meeting_id }
        }
        BotState::Missed { reason } => TimelineEvent::BotMissed {
            meeting_id,
            reason: reason.to_string(),
        },
    };
    incident.record(at, runbook, event);
}

impl RunbookRun {
    /// Whether an action failed (the run stopped there).
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// The scribe bot sessions this run started.
    pub fn sessions(&self) -> &[BotSession] {
        &self.sessions
    }

    /// Whether every bot session has reached its end (attended or missed).
    pub fn is_settled(&self) -> bool {
        self.sessions.iter().all(|s| s.state().is_final())
    }

    /// Polls every unsettled bot session and appends what changed to the incident's timeline.
    /// A platform error is returned after the other sessions were polled; nothing is lost.
    pub async fn poll(&mut self, incident: &mut Incident) -> Result<(), crate::bot::JoinError> {
        let mut first_error = None;
        for session in &mut self.sessions {
            if session.state().is_final() {
                continue;
            }
            let before = session.state().clone();
            match session.poll().await {
                Ok(state) => {
                    let state = state.clone();
                    record_state(
                        incident,
                        &self.runbook,
                        (self.clock)(),
                        session.meeting_id(),
                        Some(&before),
                        &state,
                    );
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    fn fail(
        &mut self,
        incident: &mut Incident,
        action: &str,
        error: &ConnectorError,
        fix: Option<String>,
    ) {
        self.failed = true;
        // The entry carries the fix in its own field; drop the copy a Zoom API error's text ends
        // with, so the timeline names it once.
        let text = error.to_string();
        let text = error
            .fix()
            .and_then(|known| text.strip_suffix(&format!(" (fix: {known})")))
            .map_or_else(|| text.clone(), str::to_string);
        incident.record(
            (self.clock)(),
            &self.runbook,
            TimelineEvent::ActionFailed {
                action: action.to_string(),
                error: text,
                kind: error.kind(),
                fix: fix.or_else(|| error.fix().map(str::to_string)),
            },
        );
    }
}
