//! One scenario's world: its own embedded fake Zoom (paused clock), the connector configured
//! for the scenario's app, the in-memory alert sink, the scribe bot, the incident; and the loop
//! that runs the steps, records the exchanges for the sequence diagram and checks expectations.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_zoom::FakeZoom;
use secrecy::SecretString;
use serde_json::{Value, json};
use zoom_connector::alerts::{AlertSink, MemoryAlertSink, SlackWebhookSink};
use zoom_connector::bot::{BotSession, BotState, JoinVia, ScribeBot};
use zoom_connector::runbook::{
    CreateMeetingAction, Incident, Runbook, RunbookAction, RunbookEnv, RunbookRun, TimelineEvent,
};
use zoom_connector::webhook::{MemorySecretStore, SecretStore, WebhookReceiver, ZoomIntegration};
use zoom_connector::{ConnectorConfig, RetryPolicy, ZoomConnector};

use super::Target;
use super::control::Control;
use super::expect::Mismatch;
pub use super::setup::{
    ACCOUNT_ID, API_KEY, API_SECRET, DEFAULT_SCOPES, JWT_TTL, S2S_CLIENT_ID, S2S_CLIENT_SECRET,
    WEBHOOK_SECRET, app_key, auth_config, default_clock, fake_config, users_of,
};
use super::slack_capture::SlackCapture;
use super::steps::{self, StepError, StepOutcome};
use super::webhook_endpoint::WebhookEndpoint;
use crate::fake_room_joiner::FakeRoomJoiner;
use crate::report::{Exchange, Failure, Lane, ScenarioReport, Status, StepReport};
use crate::scenario::model::{
    Action, AlertSinkSetup, AuthMode, BotStateExpect, RunRunbookStep, RunbookActionSetup,
    SwitchAuthStep,
};
use crate::scenario::{Scenario, Setup, Step};

/// How many journal entries a failure shows.
const JOURNAL_TAIL: usize = 8;

/// A scenario's running world.
pub struct World {
    /// The scenario's own fake.
    pub fake: FakeZoom,
    /// Its control API.
    pub control: Control,
    /// The scenario's setup.
    pub setup: Setup,
    /// The app the connector uses now.
    pub auth: AuthMode,
    /// The product's Zoom integration: holds the connector's configuration and secrets.
    pub integration: Arc<ZoomIntegration>,
    /// The product's secret store (the integration's secrets live here).
    pub secrets: Arc<MemorySecretStore>,
    /// The product's webhook endpoint, subscribed to the app's events.
    pub webhooks: Option<WebhookEndpoint>,
    /// Alerts the bot sent (the in-memory sink).
    pub alerts: Arc<MemoryAlertSink>,
    /// The stand-in Slack, when the scenario sends alerts through the Slack sink.
    pub slack: Option<SlackCapture>,
    /// The incident runbooks run on.
    pub incident: Incident,
    /// Meetings by alias: (id, host user).
    pub meetings: BTreeMap<String, (u64, String)>,
    /// Participants by alias: (meeting id, participant id).
    pub participants: BTreeMap<String, (u64, String)>,
    /// The bot session of the last `bot_join` step.
    pub bot_session: Option<BotSession>,
    /// Runbook runs, whose bot sessions are followed.
    pub runs: Vec<RunbookRun>,
    /// Which bot the expectations look at: the last one asked to join.
    pub latest_bot: Option<LatestBot>,
    /// The bot's participant (meeting id, participant id), once it joined anywhere.
    pub bot_participant: Option<(u64, String)>,
    /// Exchanges so far.
    pub exchanges: Vec<Exchange>,
    /// The bot state last shown in the diagram.
    shown_bot_state: Option<BotStateExpect>,
    journal_seen: u64,
    alerts_seen: usize,
}

/// Where the latest bot session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatestBot {
    /// `World::bot_session`.
    Step,
    /// The last session of `World::runs[index]`.
    Runbook(usize),
}

impl World {
    /// Starts the fake on a free port and configures the connector.
    pub async fn start(setup: &Setup) -> Result<World, String> {
        Self::start_on(setup, 0).await
    }

    /// Starts the fake on 127.0.0.1:`port` (0: a free one) and configures the connector.
    pub async fn start_on(setup: &Setup, port: u16) -> Result<World, String> {
        let fake = FakeZoom::builder()
            .config(fake_config(setup))
            .listen(std::net::SocketAddr::from(([127, 0, 0, 1], port)))
            .start()
            .await
            .map_err(|error| format!("the fake did not start: {error}"))?;
        let control = Control::new(fake.base_url());
        for fault in &setup.faults {
            control
                .inject_fault(fault)
                .await
                .map_err(|error| format!("setup fault {}: {}", compact(fault), error.describe()))?;
        }
        let incident_setup = &setup.incident;
        let mut incident = Incident::new(
            incident_setup.id.clone(),
            incident_setup.title.clone(),
            incident_setup.severity.clone(),
            incident_setup.summary.clone(),
        );
        for (name, value) in &incident_setup.custom {
            incident
                .set_field(name.clone(), value.clone())
                .map_err(|error| format!("setup.incident.custom: {error}"))?;
        }
        let secrets = Arc::new(MemorySecretStore::new());
        let mut world = World {
            control,
            setup: setup.clone(),
            auth: setup.auth,
            integration: Arc::new(ZoomIntegration::new(secrets.clone())),
            secrets,
            webhooks: None,
            alerts: Arc::new(MemoryAlertSink::new()),
            slack: None,
            incident,
            meetings: BTreeMap::new(),
            participants: BTreeMap::new(),
            bot_session: None,
            runs: Vec::new(),
            latest_bot: None,
            bot_participant: None,
            exchanges: Vec::new(),
            shown_bot_state: None,
            journal_seen: 0,
            alerts_seen: 0,
            fake,
        };
        if setup.alerts.sink == AlertSinkSetup::Slack {
            world.slack = Some(
                SlackCapture::start()
                    .await
                    .map_err(|error| format!("the stand-in Slack did not start: {error}"))?,
            );
        }
        if setup.connector {
            world
                .integration
                .configure(
                    world.connector_config(setup.auth),
                    Some(SecretString::from(WEBHOOK_SECRET)),
                )
                .map_err(|error| {
                    format!("the connector did not accept its configuration: {error}")
                })?;
            let fake_state = Arc::clone(world.fake.state());
            let receiver = WebhookReceiver::new(world.integration.clone())
                .with_clock(Arc::new(move || fake_state.now()));
            let endpoint = WebhookEndpoint::start(receiver)
                .await
                .map_err(|error| format!("the webhook endpoint did not start: {error}"))?;
            world
                .control
                .subscribe(app_key(setup.auth), &endpoint.url(), WEBHOOK_SECRET)
                .await
                .map_err(|error| {
                    format!("subscribing the webhook endpoint: {}", error.describe())
                })?;
            world.webhooks = Some(endpoint);
        }
        Ok(world)
    }

    /// The connector's configuration for one of the fake's apps. Retries are short so that a
    /// fault never makes a scenario wait long in real time.
    ///
    /// The connector mints API Key/Secret JWTs on the machine's clock while the fake judges
    /// their expiry on its virtual clock, which starts in the past and moves only by `advance`:
    /// a 30-day JWT lifetime keeps them valid across any scenario's advances.
    pub fn connector_config(&self, mode: AuthMode) -> ConnectorConfig {
        // The overrides apply to the app the scenario starts with, not to one it switches to.
        let overrides = (mode == self.setup.auth)
            .then_some(self.setup.credentials.as_ref())
            .flatten();
        ConnectorConfig::new(auth_config(mode, overrides))
            .with_jwt_ttl(JWT_TTL)
            .with_api_base_url(self.fake.api_base_url())
            .with_oauth_url(self.fake.oauth_token_url())
            .with_timeout(Duration::from_secs(10))
            .with_retry(RetryPolicy {
                max_attempts: 3,
                initial_backoff: Duration::from_millis(5),
                max_backoff: Duration::from_millis(20),
                max_retry_after: Duration::from_secs(2),
            })
    }

    /// The configured connector, or the product's "not configured" error.
    pub fn connector(&self) -> Result<ZoomConnector, StepError> {
        self.integration
            .connector()
            .map_err(|error| StepError::connector(&error))
    }

    /// Renders a template over the incident (the connector's strict Mustache subset).
    pub fn render(&self, template: &str) -> Result<String, StepError> {
        zoom_connector::template::render(template, &self.incident.template_context()).map_err(
            |error| StepError {
                kind: "template".into(),
                zoom_code: None,
                http_status: None,
                message: error.to_string(),
                fix: None,
            },
        )
    }

    /// The user id of the first user (the default host).
    pub fn default_user(&self) -> String {
        users_of(&self.setup)
            .first()
            .map(|u| u.id.clone())
            .unwrap_or_else(|| "me".into())
    }

    /// Remembers a meeting under an alias.
    pub fn add_meeting(&mut self, alias: &str, id: u64, host: &str) {
        self.meetings
            .insert(alias.to_string(), (id, host.to_string()));
    }

    /// A meeting's id by alias.
    pub fn meeting(&self, alias: &str) -> Result<u64, StepError> {
        self.meetings.get(alias).map(|(id, _)| *id).ok_or_else(|| {
            StepError::harness(format!(
                "meeting `{alias}` was not created (its creating step failed)"
            ))
        })
    }

    /// The host user a meeting was created for.
    pub fn meeting_host(&self, alias: &str) -> Option<String> {
        self.meetings.get(alias).map(|(_, host)| host.clone())
    }

    /// A participant by alias (`bot`: the scribe bot).
    pub fn participant(&self, alias: &str) -> Result<(u64, String), StepError> {
        if alias == "bot" {
            return self.bot_participant.clone().ok_or_else(|| {
                StepError::harness("the bot has no participant in a meeting (it never joined one)")
            });
        }
        self.participants.get(alias).cloned().ok_or_else(|| {
            StepError::harness(format!(
                "participant `{alias}` did not join (its join step failed)"
            ))
        })
    }

    fn scribe_bot(&self) -> ScribeBot {
        let joiner = Arc::new(FakeRoomJoiner::new(self.fake.base_url()));
        let sink: Arc<dyn AlertSink> = match &self.slack {
            Some(slack) => Arc::new(SlackWebhookSink::with_client(
                SecretString::from(slack.url()),
                reqwest::Client::new(),
            )),
            None => self.alerts.clone(),
        };
        let mut bot = ScribeBot::new(joiner, sink).suppress_zak_alerts(self.setup.alerts.suppress);
        if let Some(timeout) = self.setup.bot.waiting_timeout {
            bot = bot.waiting_timeout(timeout.0);
        }
        if let Some(name) = &self.setup.bot.name {
            bot = bot.name(name.clone());
        }
        bot
    }

    /// `bot_join`: the scribe bot attends a meeting (ZAK of the meeting's host first).
    pub async fn bot_join(&mut self, alias: &str) -> StepOutcome {
        let id = self.meeting(alias)?;
        let host = self
            .meeting_host(alias)
            .unwrap_or_else(|| self.default_user());
        let connector = self.connector()?;
        let session = self
            .scribe_bot()
            .attend(&connector, id, &host)
            .await
            .map_err(|error| StepError::harness(format!("the bot could not join: {error}")))?;
        self.bot_session = Some(session);
        self.latest_bot = Some(LatestBot::Step);
        self.note_bot_participant();
        Ok(
            json!({ "bot": self.bot_state().map(|s| serde_json::to_value(s).unwrap_or_default()), "detail": self.bot_detail() }),
        )
    }

    /// `run_runbook`: executes a runbook on the incident.
    pub async fn run_runbook(&mut self, setup: &RunRunbookStep) -> StepOutcome {
        let mut actions = Vec::new();
        for action in &setup.actions {
            actions.push(match action {
                RunbookActionSetup::CreateMeeting {
                    topic,
                    agenda,
                    host,
                    duration,
                    settings,
                } => RunbookAction::CreateMeeting(CreateMeetingAction {
                    host: host.clone().unwrap_or_else(|| self.default_user()),
                    topic: topic.clone(),
                    agenda: agenda.clone(),
                    duration_minutes: *duration,
                    join_before_host: settings.join_before_host,
                    waiting_room: settings.waiting_room,
                    auto_recording: steps::meeting_settings(settings).auto_recording,
                    ..Default::default()
                }),
                RunbookActionSetup::ShareStaticBridge { url, label } => {
                    RunbookAction::ShareStaticBridge {
                        label: label
                            .clone()
                            .unwrap_or_else(|| "Incident bridge for {{Activity.id}}".into()),
                        join_url: url.clone(),
                    }
                }
                RunbookActionSetup::BotJoin => RunbookAction::JoinScribeBot,
            });
        }
        let runbook = Runbook {
            name: setup.name.clone(),
            actions,
        };
        let env = if self.setup.connector {
            RunbookEnv::new(self.integration.clone())
        } else {
            RunbookEnv::without_connector()
        };
        let fake_state = Arc::clone(self.fake.state());
        let env = env
            .with_bot(self.scribe_bot())
            .with_clock(Arc::new(move || fake_state.now()));
        let before = self.incident.timeline.len();
        let run = runbook.execute(&mut self.incident, &env).await;
        let new_entries: Vec<_> = self.incident.timeline[before..].to_vec();
        let host = setup.actions.iter().find_map(|a| match a {
            RunbookActionSetup::CreateMeeting { host, .. } => {
                Some(host.clone().unwrap_or_else(|| self.default_user()))
            }
            _ => None,
        });
        for entry in &new_entries {
            if let TimelineEvent::MeetingCreated { meeting_id, .. } = &entry.event {
                let host = host.clone().unwrap_or_else(|| self.default_user());
                self.add_meeting(
                    setup.alias.as_deref().unwrap_or("meeting"),
                    *meeting_id,
                    &host,
                );
            }
        }
        let has_sessions = !run.sessions().is_empty();
        let failed = run.failed();
        self.runs.push(run);
        if has_sessions {
            self.latest_bot = Some(LatestBot::Runbook(self.runs.len() - 1));
            self.note_bot_participant();
        }
        let texts: Vec<String> = new_entries.iter().map(|e| e.to_string()).collect();
        if failed {
            let failure = new_entries
                .iter()
                .rev()
                .find_map(|entry| match &entry.event {
                    TimelineEvent::ActionFailed {
                        error, kind, fix, ..
                    } => Some(StepError {
                        kind: serde_json::to_value(kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        zoom_code: None,
                        http_status: None,
                        message: error.clone(),
                        fix: fix.clone(),
                    }),
                    _ => None,
                });
            return Err(failure.unwrap_or_else(|| {
                StepError::harness("the runbook failed without a timeline entry")
            }));
        }
        Ok(json!({ "timeline": texts }))
    }

    /// Polls every bot session that is not finished, so that expectations see the bot's state
    /// after the step (admitted, timed out, meeting ended ...).
    pub async fn poll_bots(&mut self) {
        if let Some(session) = &mut self.bot_session
            && !session.state().is_final()
        {
            // A platform error leaves the state as it was; the next poll tries again.
            let _ = session.poll().await;
        }
        for run in &mut self.runs {
            if !run.is_settled() {
                let _ = run.poll(&mut self.incident).await;
            }
        }
        self.note_bot_participant();
    }

    fn latest_session(&self) -> Option<&BotSession> {
        match self.latest_bot? {
            LatestBot::Step => self.bot_session.as_ref(),
            LatestBot::Runbook(index) => self.runs.get(index)?.sessions().last(),
        }
    }

    fn note_bot_participant(&mut self) {
        let found = self
            .latest_session()
            .and_then(|session| match session.state() {
                BotState::Waiting { participant_id, .. }
                | BotState::WaitingForHost { participant_id, .. }
                | BotState::Joined { participant_id, .. } => {
                    Some((session.meeting_id(), participant_id.clone()))
                }
                _ => None,
            });
        if let Some(found) = found {
            self.bot_participant = Some(found);
        }
    }

    /// The latest bot's state, as scenario files name it.
    pub fn bot_state(&self) -> Option<BotStateExpect> {
        let session = self.latest_session()?;
        Some(match session.state() {
            BotState::Waiting { .. } => BotStateExpect::Waiting,
            BotState::WaitingForHost { .. } => BotStateExpect::WaitingForHost,
            BotState::Joined { via, .. } => match via {
                JoinVia::Zak => BotStateExpect::JoinedWithZak,
                JoinVia::Admitted => BotStateExpect::JoinedAfterAdmission,
                JoinVia::Direct => BotStateExpect::JoinedDirectly,
            },
            BotState::Attended { .. } => BotStateExpect::Attended,
            BotState::Missed { .. } => BotStateExpect::Missed,
        })
    }

    /// The latest bot's state in full, for messages.
    pub fn bot_detail(&self) -> String {
        match self.latest_session() {
            None => "no bot was asked to join".into(),
            Some(session) => format!("{:?}; ZAK: {:?}", session.state(), session.zak_outcome()),
        }
    }

    /// Whether the latest bot captured a transcript.
    pub fn transcript(&self) -> bool {
        self.latest_session()
            .is_some_and(|session| session.transcript().is_some())
    }

    /// Whether the incident's documentation is complete.
    pub fn documentation_complete(&self) -> bool {
        self.incident.documentation_complete()
    }

    /// Texts of the alerts sent so far.
    pub fn alert_texts(&self) -> Vec<String> {
        match &self.slack {
            Some(slack) => slack.messages(),
            None => self
                .alerts
                .alerts()
                .into_iter()
                .map(|alert| alert.text)
                .collect(),
        }
    }

    /// The incident timeline as text.
    pub fn timeline_texts(&self) -> Vec<String> {
        self.incident
            .timeline
            .iter()
            .map(|entry| entry.to_string())
            .collect()
    }

    /// The fake's live view of a meeting (`GET /_fake/meetings/{id}/room`).
    pub async fn meeting_state(&self, id: u64) -> Result<Value, StepError> {
        self.control.room(id).await
    }

    /// `switch_auth`: remove the current configuration and configure the other app.
    pub async fn switch_auth(&mut self, switch: &SwitchAuthStep) -> StepOutcome {
        if let Some(scopes) = &switch.scopes {
            self.control.set_scopes(app_key(switch.to), scopes).await?;
        }
        let config = self.connector_config(switch.to);
        let secret = Some(SecretString::from(WEBHOOK_SECRET));
        let result = match switch.to {
            AuthMode::ServerToServerOauth => self.integration.switch_to_oauth(config, secret),
            AuthMode::ApiKey => {
                self.integration.remove();
                self.integration.configure(config, secret)
            }
        };
        result.map_err(|error| StepError::connector(&error))?;
        // The new app's events (its `app_deauthorized` among them) go to the same endpoint.
        if let Some(endpoint) = &self.webhooks {
            self.control
                .subscribe(app_key(switch.to), &endpoint.url(), WEBHOOK_SECRET)
                .await?;
        }
        self.auth = switch.to;
        Ok(json!({ "auth": switch.to }))
    }

    /// `uninstall_app`: the app is removed in the Zoom Marketplace; Zoom sends
    /// `app_deauthorized`, and the product's webhook receiver removes the connector.
    pub async fn uninstall(&mut self) -> StepOutcome {
        let answer = self.control.uninstall(app_key(self.auth)).await?;
        // Zoom posts `app_deauthorized` to the app's endpoint; deliver it now.
        self.control.settle().await?;
        Ok(json!({
            "uninstalled": answer,
            "connector_configured": self.integration.auth_mode().is_some(),
            "secrets": self.secret_keys(),
        }))
    }

    /// The keys of the product's secret store.
    pub fn secret_keys(&self) -> Vec<String> {
        self.secrets.keys()
    }

    /// Names of the webhook events the product's endpoint verified, after delivering every
    /// pending one.
    pub async fn webhook_events(&self) -> Vec<String> {
        // A failed settle leaves what was delivered so far; the expectation then shows it.
        let _ = self.control.settle().await;
        self.webhooks
            .as_ref()
            .map(|endpoint| {
                endpoint
                    .received()
                    .into_iter()
                    .map(|event| event.event)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Delivers every webhook the step caused before the next step runs. Deliveries are
    /// asynchronous; were one still in flight when a later step advanced the virtual clock, the
    /// receiver would judge its timestamp stale and refuse it.
    pub async fn settle_webhooks(&self) {
        if self.webhooks.is_some() {
            // A failure here shows up in the deliveries of a `webhooks` expectation.
            let _ = self.control.settle().await;
        }
    }

    /// The fake's webhook delivery attempts as `event: outcome (status or error)`, for messages.
    pub async fn delivery_summary(&self) -> String {
        match self.control.deliveries().await {
            Ok(value) => {
                let attempts = value
                    .get("deliveries")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let lines: Vec<String> = attempts
                    .iter()
                    .map(|attempt| {
                        let field = |name: &str| attempt.get(name).map(compact).unwrap_or_default();
                        format!(
                            "{} #{} {} ({})",
                            field("event").trim_matches('"'),
                            field("attempt"),
                            field("outcome").trim_matches('"'),
                            match attempt.get("status").and_then(Value::as_u64) {
                                Some(status) => status.to_string(),
                                None => field("error"),
                            }
                        )
                    })
                    .collect();
                lines.join("; ")
            }
            Err(error) => error.describe(),
        }
    }

    /// The journal as `METHOD /path?query -> status` lines.
    pub fn journal_lines(&self) -> Vec<String> {
        self.fake
            .journal()
            .into_iter()
            .map(|entry| {
                journal_line(
                    &entry.method,
                    &entry.path,
                    entry.query.as_deref(),
                    entry.status,
                )
            })
            .collect()
    }

    /// The journal as (`METHOD /path?query`, `METHOD /path?query -> status`): what journal
    /// patterns match.
    pub fn journal_requests(&self) -> Vec<(String, String)> {
        self.fake
            .journal()
            .into_iter()
            .map(|entry| {
                (
                    request_text(&entry.method, &entry.path, entry.query.as_deref()),
                    journal_line(
                        &entry.method,
                        &entry.path,
                        entry.query.as_deref(),
                        entry.status,
                    ),
                )
            })
            .collect()
    }

    /// Records what happened during step `number` as exchanges: the step itself, the requests
    /// the fake saw since the last step, and alerts sent since.
    fn record_exchanges(&mut self, number: usize, step: &Step, outcome: &StepOutcome) {
        let (actor, direct) = steps::lanes_of(&step.action);
        if actor != Lane::Runner {
            self.exchanges.push(Exchange {
                step: number,
                from: Lane::Runner,
                to: actor,
                label: step.action.key().to_string(),
                reply: Some(match outcome {
                    Ok(_) => "ok".into(),
                    Err(error) => error.short(),
                }),
                is_error: outcome.is_err(),
            });
        }
        let mut saw_control = false;
        for entry in self.fake.journal() {
            if entry.seq < self.journal_seen {
                continue;
            }
            self.journal_seen = entry.seq + 1;
            let control = entry.path.starts_with("/_fake/");
            saw_control |= control;
            let from = if control {
                direct
            } else if actor == Lane::Runner {
                Lane::Runner
            } else {
                Lane::Connector
            };
            self.exchanges.push(Exchange {
                step: number,
                from,
                to: Lane::Zoom,
                label: request_text(&entry.method, &entry.path, entry.query.as_deref()),
                reply: Some(entry.status.to_string()),
                is_error: entry.status >= 400 || entry.status == 0,
            });
        }
        let bot_joined = match &step.action {
            Action::BotJoin(_) => true,
            Action::RunRunbook(runbook) => runbook
                .actions
                .iter()
                .any(|a| matches!(a, RunbookActionSetup::BotJoin)),
            _ => false,
        };
        if bot_joined {
            // The bot's join goes through the fake's control API, which the journal leaves out.
            if let Some(state) = self.bot_state() {
                self.exchanges.push(Exchange {
                    step: number,
                    from: Lane::Bot,
                    to: Lane::Zoom,
                    label: "join the meeting (Meeting SDK)".into(),
                    reply: Some(
                        serde_json::to_value(state)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                    ),
                    is_error: false,
                });
            }
        }
        if actor == Lane::Runner && !saw_control && !matches!(step.action, Action::Check) {
            // The fake does not journal its control API: show the step as a message to it.
            self.exchanges.push(Exchange {
                step: number,
                from: Lane::Runner,
                to: Lane::Zoom,
                label: steps::describe(&step.action),
                reply: Some(match outcome {
                    Ok(value) => value
                        .get("status")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| "ok".into()),
                    Err(error) => error.short(),
                }),
                is_error: outcome.is_err(),
            });
        }
        let state = self.bot_state();
        if !bot_joined && state.is_some() && state != self.shown_bot_state {
            // The bot learns of admissions, ends and timeouts by polling the platform.
            self.exchanges.push(Exchange {
                step: number,
                from: Lane::Zoom,
                to: Lane::Bot,
                label: "participant status (poll)".into(),
                reply: state
                    .and_then(|s| serde_json::to_value(s).ok())
                    .and_then(|v| v.as_str().map(str::to_string)),
                is_error: false,
            });
        }
        self.shown_bot_state = state;
        let alerts = self.alert_texts();
        for alert in alerts.iter().skip(self.alerts_seen) {
            self.exchanges.push(Exchange {
                step: number,
                from: Lane::Bot,
                to: Lane::AlertSink,
                label: alert.clone(),
                reply: None,
                is_error: false,
            });
        }
        self.alerts_seen = alerts.len();
    }

    /// The last journal lines, for a failure.
    fn journal_tail(&self) -> Vec<String> {
        let lines = self.journal_lines();
        lines[lines.len().saturating_sub(JOURNAL_TAIL)..].to_vec()
    }
}

/// `METHOD /path?query`.
pub fn request_text(method: &str, path: &str, query: Option<&str>) -> String {
    match query {
        Some(query) if !query.is_empty() => format!("{method} {path}?{query}"),
        _ => format!("{method} {path}"),
    }
}

/// `METHOD /path?query -> status`.
pub fn journal_line(method: &str, path: &str, query: Option<&str>, status: u16) -> String {
    format!("{} -> {status}", request_text(method, path, query))
}

/// Runs one scenario and reports it.
pub async fn execute(id: &str, scenario: &Scenario, target: &Target) -> ScenarioReport {
    match target {
        Target::Fake => execute_on_fake(id, scenario).await,
        Target::Live(credentials) => super::live::execute(id, scenario, credentials.as_ref()).await,
    }
}

async fn execute_on_fake(id: &str, scenario: &Scenario) -> ScenarioReport {
    let started = Instant::now();
    let mut report = ScenarioReport {
        id: id.to_string(),
        name: scenario.name.clone(),
        covers: scenario.covered_rules(),
        status: Status::Passed,
        skip_reason: None,
        duration: Duration::ZERO,
        steps: Vec::new(),
        failure: None,
        exchanges: Vec::new(),
    };
    let mut world = match World::start(&scenario.setup).await {
        Ok(world) => world,
        Err(error) => {
            report.status = Status::Failed;
            report.failure = Some(Failure {
                step: 0,
                step_summary: "set up the fake and the connector".into(),
                expected: "the setup to succeed".into(),
                actual: error,
                journal_tail: Vec::new(),
            });
            report.duration = started.elapsed();
            return report;
        }
    };
    run_steps(&mut world, scenario, scenario.steps.len(), &mut report).await;
    report.exchanges = std::mem::take(&mut world.exchanges);
    if let Some(endpoint) = world.webhooks.take() {
        endpoint.shutdown().await;
    }
    if let Some(slack) = world.slack.take() {
        slack.shutdown().await;
    }
    world.fake.shutdown().await;
    report.duration = started.elapsed();
    report
}

/// Runs the first `until` steps of a scenario in `world`, filling `report`. Also used by
/// `repro`, which keeps the world afterwards.
pub async fn run_steps(
    world: &mut World,
    scenario: &Scenario,
    until: usize,
    report: &mut ScenarioReport,
) {
    for (index, step) in scenario.steps.iter().enumerate().take(until) {
        let number = index + 1;
        let summary = steps::describe(&step.action);
        if report.status == Status::Failed {
            report.steps.push(StepReport {
                number,
                label: step.label.clone(),
                action: step.action.key().into(),
                summary,
                status: Status::Skipped,
                note: Some("not run: an earlier step failed".into()),
            });
            continue;
        }
        let outcome = steps::run(world, &step.action).await;
        world.settle_webhooks().await;
        world.poll_bots().await;
        world.record_exchanges(number, step, &outcome);
        let checked = check_step(world, step, &outcome).await;
        let status = if checked.is_ok() {
            Status::Passed
        } else {
            Status::Failed
        };
        report.steps.push(StepReport {
            number,
            label: step.label.clone(),
            action: step.action.key().into(),
            summary: summary.clone(),
            status,
            note: None,
        });
        if let Err(mismatch) = checked {
            report.status = Status::Failed;
            report.failure = Some(Failure {
                step: number,
                step_summary: match &step.label {
                    Some(label) => format!("{summary} [{label}]"),
                    None => summary,
                },
                expected: mismatch.expected,
                actual: mismatch.actual,
                journal_tail: world.journal_tail(),
            });
        }
    }
}

/// The outcome must match `ok`/`error`/`result`; then the world must match the rest.
async fn check_step(world: &mut World, step: &Step, outcome: &StepOutcome) -> Result<(), Mismatch> {
    let default = crate::scenario::Expect::default();
    let expect = step.expect.as_ref().unwrap_or(&default);
    steps::check_outcome(expect, outcome)?;
    steps::check_world(world, expect).await
}

/// Turns a value into a one-line JSON text for messages.
pub fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}
