//! The step executors: one arm per action of the scenario format, and the checks of a step's
//! expectations against the world.

use serde_json::{Value, json};
use zoom_connector::ConnectorError;
use zoom_connector::actions::schedule_recurring_meeting::RecurrencePattern;

use super::expect::{Mismatch, contains_in_order, glob_match, json_contains, quoted_list};
use super::world::{World, app_key, compact};
use crate::report::Lane;
use crate::scenario::model::{
    Action, AutoRecording, BotStateExpect, CreateMeetingStep, ErrorExpect, Expect, JoinRole,
    MeetingSettings, ScheduleRecurringStep, UpdateMeetingStep,
};

/// What a step produced: its result as JSON, or an error.
pub type StepOutcome = Result<Value, StepError>;

/// A failed step: the connector's error (kind, Zoom code, fix), the fake's, or the harness's own.
#[derive(Debug, Clone, PartialEq)]
pub struct StepError {
    /// snake_case kind (`insufficient_scopes`, ...); `harness` when the scenario itself is broken
    /// (a meeting whose creation failed is used later), `fake` for control-API refusals.
    pub kind: String,
    /// Zoom's error code.
    pub zoom_code: Option<i64>,
    /// HTTP status.
    pub http_status: Option<u16>,
    /// The message.
    pub message: String,
    /// The fix the connector suggests.
    pub fix: Option<String>,
}

impl StepError {
    /// An error of the harness itself: always fails the scenario.
    pub fn harness(message: impl Into<String>) -> Self {
        StepError {
            kind: "harness".into(),
            zoom_code: None,
            http_status: None,
            message: message.into(),
            fix: None,
        }
    }

    /// A refusal of the fake's control API (`{"code","message"}`).
    pub fn fake(status: u16, body: &Value) -> Self {
        StepError {
            kind: "fake".into(),
            zoom_code: body.get("code").and_then(Value::as_i64),
            http_status: Some(status),
            message: body
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| compact(body)),
            fix: None,
        }
    }

    /// The connector's error.
    pub fn connector(error: &ConnectorError) -> Self {
        let kind = serde_json::to_value(error.kind())
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| format!("{:?}", error.kind()));
        StepError {
            kind,
            zoom_code: error.zoom_code(),
            http_status: error.http_status(),
            message: error.to_string(),
            fix: error.fix().map(str::to_string),
        }
    }

    /// `kind (HTTP 400, code 4711)`.
    pub fn short(&self) -> String {
        let mut details = Vec::new();
        if let Some(status) = self.http_status {
            details.push(format!("HTTP {status}"));
        }
        if let Some(code) = self.zoom_code {
            details.push(format!("code {code}"));
        }
        if details.is_empty() {
            self.kind.clone()
        } else {
            format!("{} ({})", self.kind, details.join(", "))
        }
    }

    /// The full text for failures.
    pub fn describe(&self) -> String {
        let mut text = format!("error {}: {}", self.short(), self.message);
        if let Some(fix) = &self.fix {
            text.push_str(&format!(" [fix: {fix}]"));
        }
        text
    }
}

/// Who the runner asks to do a step (`actor`), and who talks to the fake's control surface
/// during it (`direct`): for the sequence diagram.
pub fn lanes_of(action: &Action) -> (Lane, Lane) {
    match action {
        Action::BotJoin(_) => (Lane::Bot, Lane::Bot),
        Action::RunRunbook(_) => (Lane::Connector, Lane::Bot),
        action if action.is_connector_step() => (Lane::Connector, Lane::Connector),
        Action::SwitchAuth(_) => (Lane::Connector, Lane::Runner),
        _ => (Lane::Runner, Lane::Runner),
    }
}

/// A one-line description of a step.
pub fn describe(action: &Action) -> String {
    match action {
        Action::CreateMeeting(c) => format!(
            "create meeting `{}`: \"{}\"",
            c.alias.as_deref().unwrap_or("meeting"),
            c.topic
        ),
        Action::ScheduleRecurring(c) => format!(
            "schedule recurring meeting `{}` ({} occurrences)",
            c.alias.as_deref().unwrap_or("meeting"),
            c.occurrences
        ),
        Action::UpdateMeeting(u) => format!("update the settings of `{}`", u.meeting),
        Action::EndMeeting(m) => format!("end meeting `{}` (connector)", m.meeting),
        Action::DeleteMeeting(m) => format!("delete meeting `{}`", m.meeting),
        Action::GetMeeting(m) => format!("read meeting `{}`", m.meeting),
        Action::GetZak(z) => format!(
            "get the ZAK of {}",
            z.user.as_deref().unwrap_or("the first user")
        ),
        Action::AddRegistrant(a) => format!("register {} for `{}`", a.email, a.meeting),
        Action::ListRecordings(m) => format!("list the cloud recordings of `{}`", m.meeting),
        Action::TestConnection => "test the connection".into(),
        Action::RunRunbook(r) => {
            format!("run runbook \"{}\" ({} actions)", r.name, r.actions.len())
        }
        Action::Join(j) => format!(
            "{} joins `{}` as {}",
            j.alias.as_deref().unwrap_or(&j.name),
            j.meeting,
            serde_json::to_value(j.role)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ),
        Action::Admit(p) => format!("`{}` admits `{}`", p.by, p.participant),
        Action::Deny(p) => format!("`{}` denies `{}`", p.by, p.participant),
        Action::SendToWaitingRoom(p) => {
            format!("`{}` sends `{}` to the waiting room", p.by, p.participant)
        }
        Action::Remove(p) => format!("`{}` removes `{}`", p.by, p.participant),
        Action::Leave(p) => format!("`{}` leaves", p.participant),
        Action::HostEndsMeeting(m) => format!("the host ends `{}` from the Zoom client", m.meeting),
        Action::BotJoin(m) => format!("the scribe bot joins `{}`", m.meeting),
        Action::Advance(d) => format!("advance the clock by {d}"),
        Action::SetScopes(s) => format!("grant the app exactly {}", quoted_list(s)),
        Action::RevokeTokens => "revoke the app's tokens".into(),
        Action::InjectFault(f) => format!("inject fault {}", compact(f)),
        Action::ClearFaults => "clear faults".into(),
        Action::UninstallApp => "uninstall the app from the Zoom Marketplace".into(),
        Action::SwitchAuth(s) => format!("switch the connector to {}", s.to),
        Action::Check => "check".into(),
    }
}

/// The connector's meeting settings for the scenario's settings.
pub fn meeting_settings(settings: &MeetingSettings) -> zoom_connector::MeetingSettings {
    zoom_connector::MeetingSettings {
        join_before_host: settings.join_before_host,
        waiting_room: settings.waiting_room,
        auto_recording: settings.auto_recording.map(|recording| match recording {
            AutoRecording::Cloud => zoom_connector::AutoRecording::Cloud,
            AutoRecording::Local => zoom_connector::AutoRecording::Local,
            AutoRecording::None => zoom_connector::AutoRecording::None,
        }),
        mute_upon_entry: settings.mute_upon_entry,
        alternative_hosts: settings
            .alternative_hosts
            .as_ref()
            .map(|hosts| hosts.join(";")),
        approval_type: settings.approval_type,
        ..Default::default()
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> StepOutcome {
    serde_json::to_value(value)
        .map_err(|error| StepError::harness(format!("cannot show the result: {error}")))
}

fn connector_result<T: serde::Serialize>(result: Result<T, ConnectorError>) -> StepOutcome {
    match result {
        Ok(value) => to_json(&value),
        Err(error) => Err(StepError::connector(&error)),
    }
}

/// What connector steps need from where they run: the embedded fake's world, or real Zoom.
pub trait ConnectorSide {
    /// The configured connector, or the product's "not configured" error.
    fn connector(&self) -> Result<zoom_connector::ZoomConnector, StepError>;
    /// Renders a template over the incident.
    fn render(&self, template: &str) -> Result<String, StepError>;
    /// The default host user.
    fn default_user(&self) -> String;
    /// A meeting's id by alias.
    fn meeting(&self, alias: &str) -> Result<u64, StepError>;
    /// Remembers a meeting under an alias.
    fn add_meeting(&mut self, alias: &str, id: u64, host: &str);
}

impl ConnectorSide for World {
    fn connector(&self) -> Result<zoom_connector::ZoomConnector, StepError> {
        World::connector(self)
    }
    fn render(&self, template: &str) -> Result<String, StepError> {
        World::render(self, template)
    }
    fn default_user(&self) -> String {
        World::default_user(self)
    }
    fn meeting(&self, alias: &str) -> Result<u64, StepError> {
        World::meeting(self, alias)
    }
    fn add_meeting(&mut self, alias: &str, id: u64, host: &str) {
        World::add_meeting(self, alias, id, host);
    }
}

/// Runs a connector action (`None` for the other actions).
pub async fn run_connector_action(
    side: &mut impl ConnectorSide,
    action: &Action,
) -> Option<StepOutcome> {
    Some(match action {
        Action::CreateMeeting(create) => create_meeting(side, create).await,
        Action::ScheduleRecurring(recurring) => schedule_recurring(side, recurring).await,
        Action::UpdateMeeting(update) => update_meeting(side, update).await,
        Action::EndMeeting(m) => match (side.connector(), side.meeting(&m.meeting)) {
            (Ok(connector), Ok(id)) => connector
                .end_meeting(id)
                .await
                .map(|()| json!({ "ended": id }))
                .map_err(|error| StepError::connector(&error)),
            (Err(error), _) | (_, Err(error)) => Err(error),
        },
        Action::DeleteMeeting(m) => match (side.connector(), side.meeting(&m.meeting)) {
            (Ok(connector), Ok(id)) => connector
                .delete_meeting(id, None)
                .await
                .map(|()| json!({ "deleted": id }))
                .map_err(|error| StepError::connector(&error)),
            (Err(error), _) | (_, Err(error)) => Err(error),
        },
        Action::GetMeeting(m) => match (side.connector(), side.meeting(&m.meeting)) {
            (Ok(connector), Ok(id)) => connector_result(connector.get_meeting(id).await),
            (Err(error), _) | (_, Err(error)) => Err(error),
        },
        Action::GetZak(z) => match side.connector() {
            // The token itself is a secret: the result says only that there is one.
            Ok(connector) => connector
                .get_zak(&z.user.clone().unwrap_or_else(|| side.default_user()))
                .await
                .map(|_| json!({ "zak": "[redacted]" }))
                .map_err(|error| StepError::connector(&error)),
            Err(error) => Err(error),
        },
        Action::AddRegistrant(add) => match (side.connector(), side.meeting(&add.meeting)) {
            (Ok(connector), Ok(id)) => {
                let registrant = zoom_connector::NewRegistrant {
                    email: add.email.clone(),
                    first_name: add.first_name.clone(),
                    last_name: None,
                };
                connector_result(connector.add_registrant(id, &registrant).await)
            }
            (Err(error), _) | (_, Err(error)) => Err(error),
        },
        Action::ListRecordings(m) => match (side.connector(), side.meeting(&m.meeting)) {
            (Ok(connector), Ok(id)) => {
                connector_result(connector.meeting_recordings(&id.to_string()).await)
            }
            (Err(error), _) | (_, Err(error)) => Err(error),
        },
        Action::TestConnection => match side.connector() {
            Ok(connector) => connector_result(connector.test_connection().await),
            Err(error) => Err(error),
        },
        _ => return None,
    })
}

async fn create_meeting(side: &mut impl ConnectorSide, create: &CreateMeetingStep) -> StepOutcome {
    let connector = side.connector()?;
    let topic = side.render(&create.topic)?;
    let agenda = create
        .agenda
        .as_deref()
        .map(|a| side.render(a))
        .transpose()?;
    let host = create.host.clone().unwrap_or_else(|| side.default_user());
    let mut input = zoom_connector::CreateMeeting::new(topic);
    input.agenda = agenda;
    input.duration = create.duration;
    input.start_time = create
        .start_time
        .as_deref()
        .map(zoom_connector::StartTime::parse)
        .transpose()
        .map_err(|error| StepError::harness(format!("start_time: {error}")))?;
    input.settings = meeting_settings(&create.settings);
    let meeting = connector
        .create_meeting(&host, input)
        .await
        .map_err(|error| StepError::connector(&error))?;
    side.add_meeting(
        create.alias.as_deref().unwrap_or("meeting"),
        meeting.id,
        &host,
    );
    to_json(&meeting)
}

async fn schedule_recurring(
    side: &mut impl ConnectorSide,
    recurring: &ScheduleRecurringStep,
) -> StepOutcome {
    let connector = side.connector()?;
    let host = recurring
        .host
        .clone()
        .unwrap_or_else(|| side.default_user());
    let mut meeting = zoom_connector::CreateMeeting::new(side.render(&recurring.topic)?);
    meeting.duration = recurring.duration;
    meeting.start_time = Some(
        zoom_connector::StartTime::parse(&recurring.start_time)
            .map_err(|error| StepError::harness(format!("start_time: {error}")))?,
    );
    let input = zoom_connector::RecurringMeeting {
        meeting,
        recurrence: zoom_connector::RecurrenceRule {
            pattern: RecurrencePattern::Daily,
            repeat_interval: recurring.every_days.unwrap_or(1),
            end: zoom_connector::RecurrenceEnd::After(recurring.occurrences),
        },
    };
    let created = connector
        .schedule_recurring_meeting(&host, input)
        .await
        .map_err(|error| StepError::connector(&error))?;
    side.add_meeting(
        recurring.alias.as_deref().unwrap_or("meeting"),
        created.id,
        &host,
    );
    to_json(&created)
}

async fn update_meeting(side: &mut impl ConnectorSide, update: &UpdateMeetingStep) -> StepOutcome {
    let connector = side.connector()?;
    let id = side.meeting(&update.meeting)?;
    let input = zoom_connector::UpdateMeeting {
        topic: update
            .topic
            .as_deref()
            .map(|t| side.render(t))
            .transpose()?,
        agenda: update
            .agenda
            .as_deref()
            .map(|a| side.render(a))
            .transpose()?,
        duration: update.duration,
        settings: meeting_settings(&update.settings),
        ..Default::default()
    };
    connector
        .update_meeting_settings(id, input)
        .await
        .map_err(|error| StepError::connector(&error))?;
    Ok(json!({ "updated": id }))
}

/// Runs one step's action on the fake's world.
pub async fn run(world: &mut World, action: &Action) -> StepOutcome {
    if let Some(outcome) = run_connector_action(world, action).await {
        return outcome;
    }
    match action {
        Action::RunRunbook(runbook) => world.run_runbook(runbook).await,
        Action::BotJoin(m) => world.bot_join(&m.meeting).await,
        Action::Join(join) => {
            let id = world.meeting(&join.meeting)?;
            let role = serde_json::to_value(join.role).unwrap_or(Value::Null);
            let mut request = json!({ "name": join.name, "role": role });
            if join.role != JoinRole::External {
                let user = join.user.clone().or_else(|| {
                    (join.role == JoinRole::Host)
                        .then(|| world.meeting_host(&join.meeting))
                        .flatten()
                });
                if let Some(user) = user {
                    request["user_id"] = json!(user);
                }
            }
            let answer = world.control.join(id, request).await?;
            let participant = answer
                .get("participant_id")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    StepError::harness(format!(
                        "the fake's join answer has no participant_id: {}",
                        compact(&answer)
                    ))
                })?;
            world.participants.insert(
                join.alias.clone().unwrap_or_else(|| join.name.clone()),
                (id, participant.to_string()),
            );
            Ok(answer)
        }
        Action::Admit(p) => moderate(world, &p.participant, "admit", &p.by).await,
        Action::Deny(p) => moderate(world, &p.participant, "deny", &p.by).await,
        Action::SendToWaitingRoom(p) => {
            moderate(world, &p.participant, "waiting_room", &p.by).await
        }
        Action::Remove(p) => moderate(world, &p.participant, "remove", &p.by).await,
        Action::Leave(p) => {
            let (meeting, participant) = world.participant(&p.participant)?;
            world.control.leave(meeting, &participant).await
        }
        Action::HostEndsMeeting(m) => {
            let id = world.meeting(&m.meeting)?;
            world.control.end_meeting(id).await
        }
        Action::Advance(duration) => world.control.advance(duration.0.as_secs()).await,
        Action::SetScopes(scopes) => world.control.set_scopes(app_key(world.auth), scopes).await,
        Action::RevokeTokens => world.control.revoke_tokens(app_key(world.auth)).await,
        Action::InjectFault(rule) => world.control.inject_fault(rule).await,
        Action::ClearFaults => world.control.clear_faults().await,
        Action::UninstallApp => world.uninstall().await,
        Action::SwitchAuth(switch) => world.switch_auth(switch).await,
        Action::Check => Ok(Value::Null),
        _ => Err(StepError::harness(format!(
            "{} is handled by the connector side",
            action.key()
        ))),
    }
}

async fn moderate(world: &mut World, participant: &str, action: &str, by: &str) -> StepOutcome {
    let (meeting, target) = world.participant(participant)?;
    let (_, moderator) = world.participant(by)?;
    world
        .control
        .moderate(meeting, &target, action, &moderator)
        .await
}

/// Checks `ok`, `error` and `result` against the step's outcome.
pub fn check_outcome(expect: &Expect, outcome: &StepOutcome) -> Result<(), Mismatch> {
    if let Err(error) = outcome
        && error.kind == "harness"
    {
        return Err(Mismatch::new("the step to run", error.describe()));
    }
    let wants_error = expect.error.is_some() || expect.ok == Some(false);
    match (outcome, wants_error) {
        (Ok(value), true) => {
            return Err(Mismatch::new(
                match &expect.error {
                    Some(error) => format!(
                        "error {}",
                        compact(&serde_json::to_value(error).unwrap_or_default())
                    ),
                    None => "the step to fail".into(),
                },
                format!("success: {}", truncate(&compact(value), 300)),
            ));
        }
        (Err(error), false) => {
            return Err(Mismatch::new("the step to succeed", error.describe()));
        }
        (Err(error), true) => {
            if let Some(want) = &expect.error {
                check_error(want, error)?;
            }
        }
        (Ok(value), false) => {
            if let Some(want) = &expect.result {
                json_contains(value, want).map_err(|difference| {
                    Mismatch::new(
                        format!("result containing {}", compact(want)),
                        format!("{difference}; result: {}", truncate(&compact(value), 400)),
                    )
                })?;
            }
        }
    }
    Ok(())
}

fn check_error(want: &ErrorExpect, got: &StepError) -> Result<(), Mismatch> {
    let wanted = || compact(&serde_json::to_value(want).unwrap_or_default());
    let mismatch = || Mismatch::new(format!("error {}", wanted()), got.describe());
    if want.kind.as_ref().is_some_and(|kind| *kind != got.kind) {
        return Err(mismatch());
    }
    if want.zoom_code.is_some() && want.zoom_code != got.zoom_code {
        return Err(mismatch());
    }
    if want.http_status.is_some() && want.http_status != got.http_status {
        return Err(mismatch());
    }
    if want
        .message
        .as_ref()
        .is_some_and(|text| !got.message.contains(text.as_str()))
    {
        return Err(mismatch());
    }
    if let Some(text) = &want.fix
        && !got
            .fix
            .as_ref()
            .is_some_and(|fix| fix.contains(text.as_str()))
    {
        return Err(mismatch());
    }
    Ok(())
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// Checks the expectations on the world: bot, alerts, timeline, transcript, participants,
/// meetings, journal.
pub async fn check_world(world: &mut World, expect: &Expect) -> Result<(), Mismatch> {
    if let Some(want) = expect.bot {
        let got = world.bot_state();
        if got != Some(want) {
            return Err(Mismatch::new(
                format!("bot {}", name_of(&want)),
                format!(
                    "bot {} ({})",
                    got.map(|g| name_of(&g)).unwrap_or_else(|| "idle".into()),
                    world.bot_detail()
                ),
            ));
        }
    }
    if let Some(want) = &expect.alerts {
        let got = world.alert_texts();
        let matches =
            got.len() == want.len() && got.iter().zip(want).all(|(g, w)| g.contains(w.as_str()));
        if !matches {
            return Err(Mismatch::new(
                format!("alerts {}", quoted_list(want)),
                format!("alerts {}", quoted_list(&got)),
            ));
        }
    }
    if let Some(want) = &expect.timeline {
        let got = world.timeline_texts();
        contains_in_order(&got, want).map_err(|difference| {
            Mismatch::new(
                format!("timeline with {}", quoted_list(want)),
                format!("{difference}; timeline: {}", quoted_list(&got)),
            )
        })?;
    }
    if let Some(want) = expect.documentation_complete {
        let got = world.documentation_complete();
        if got != want {
            return Err(Mismatch::new(
                format!("incident documentation complete: {want}"),
                format!(
                    "complete: {got}; timeline: {}",
                    quoted_list(&world.timeline_texts())
                ),
            ));
        }
    }
    if let Some(want) = expect.transcript {
        let got = world.transcript();
        if got != want {
            return Err(Mismatch::new(
                format!("transcript captured: {want}"),
                format!("transcript captured: {got} ({})", world.bot_detail()),
            ));
        }
    }
    if let Some(want) = &expect.participants {
        for (alias, status) in want {
            let (meeting, participant) = world.participant(alias).map_err(|error| {
                Mismatch::new(format!("participant `{alias}` {status}"), error.message)
            })?;
            let got = world
                .control
                .participant(meeting, &participant)
                .await
                .map_err(|error| {
                    Mismatch::new(format!("participant `{alias}` {status}"), error.describe())
                })?;
            let got_status = got.get("status").and_then(Value::as_str).unwrap_or("?");
            if got_status != status {
                return Err(Mismatch::new(
                    format!("participant `{alias}` {status}"),
                    format!("participant `{alias}` {got_status}: {}", compact(&got)),
                ));
            }
        }
    }
    if let Some(want) = &expect.meetings {
        for (alias, shape) in want {
            let id = world
                .meeting(alias)
                .map_err(|error| Mismatch::new(format!("meeting `{alias}`"), error.message))?;
            let got = world.meeting_state(id).await.map_err(|error| {
                Mismatch::new(
                    format!("meeting `{alias}` {}", compact(shape)),
                    error.describe(),
                )
            })?;
            json_contains(&got, shape).map_err(|difference| {
                Mismatch::new(
                    format!("meeting `{alias}` containing {}", compact(shape)),
                    format!("{difference}; state: {}", truncate(&compact(&got), 400)),
                )
            })?;
        }
    }
    if let Some(want) = &expect.webhooks {
        // Zoom does not promise an order between events (the fake delivers a batch
        // concurrently, as Zoom's dispatch does): each named event must have arrived.
        let got = world.webhook_events().await;
        let missing: Vec<String> = want
            .iter()
            .filter(|event| !got.contains(event))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(Mismatch::new(
                format!("webhooks received {}", quoted_list(want)),
                format!(
                    "missing {}; received {}; the fake's delivery attempts: {}",
                    quoted_list(&missing),
                    quoted_list(&got),
                    world.delivery_summary().await
                ),
            ));
        }
    }
    if let Some(want) = expect.connector_configured {
        let got = world.integration.auth_mode().is_some();
        if got != want {
            return Err(Mismatch::new(
                format!("connector configured: {want}"),
                format!("connector configured: {got}"),
            ));
        }
    }
    if let Some(want) = &expect.secrets {
        let got = world.secret_keys();
        if &got != want {
            return Err(Mismatch::new(
                format!("secrets stored {}", quoted_list(want)),
                format!("secrets stored {}", quoted_list(&got)),
            ));
        }
    }
    if let Some(journal) = &expect.journal {
        // A pattern matches `METHOD /path?query` or, to pin the answer, `... -> STATUS`.
        let requests = world.journal_requests();
        let matches = |pattern: &str, (request, line): &(String, String)| {
            glob_match(pattern, request) || glob_match(pattern, line)
        };
        for pattern in &journal.contains {
            if !requests.iter().any(|r| matches(pattern, r)) {
                return Err(Mismatch::new(
                    format!("a request matching `{pattern}`"),
                    "none in the journal (last requests below)",
                ));
            }
        }
        for pattern in &journal.not_contains {
            if let Some((_, line)) = requests.iter().find(|r| matches(pattern, r)) {
                return Err(Mismatch::new(
                    format!("no request matching `{pattern}`"),
                    format!("`{line}`"),
                ));
            }
        }
        for (pattern, count) in &journal.count {
            let got = requests.iter().filter(|r| matches(pattern, r)).count();
            if got != *count {
                return Err(Mismatch::new(
                    format!("{count} requests matching `{pattern}`"),
                    format!("{got}"),
                ));
            }
        }
    }
    Ok(())
}

fn name_of(state: &BotStateExpect) -> String {
    serde_json::to_value(state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{state:?}"))
}
