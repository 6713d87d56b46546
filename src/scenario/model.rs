//! The scenario file format: setup, steps and expectations.
//!
//! One YAML file is one [`Scenario`]. `scenarios/README.md` documents the format with a complete
//! example; the types here are its reference. Unknown keys are errors everywhere, so a typo never
//! becomes a silently ignored expectation.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::duration::HumanDuration;

/// A scenario: a name, the rules it covers, its setup and its steps.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario shows, in a sentence.
    pub name: String,
    /// Longer prose, shown in reports.
    #[serde(default)]
    pub description: Option<String>,
    /// The catalogue rule ids it covers (`BOT-2`, ...), checked against [`crate::rules`].
    pub covers: Vec<Spanned<String>>,
    /// The world the steps start from.
    #[serde(default)]
    pub setup: Setup,
    /// The steps, run in order; the first failing expectation stops the scenario.
    pub steps: Vec<Step>,
}

impl Scenario {
    /// The covered rule ids without their positions.
    pub fn covered_rules(&self) -> Vec<String> {
        self.covers.iter().map(|id| id.value.clone()).collect()
    }
}

/// The auth mode of the Zoom app the connector is configured with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMode {
    /// Server-to-Server OAuth (`account_credentials` grant).
    #[default]
    ServerToServerOauth,
    /// Legacy API Key/Secret (JWT app): all admin rights, no scopes, no ZAK.
    ApiKey,
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthMode::ServerToServerOauth => "server_to_server_oauth",
            AuthMode::ApiKey => "api_key",
        })
    }
}

/// The account's Zoom plan (rate limits follow it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanSetup {
    /// Free.
    Free,
    /// Pro.
    Pro,
    /// Business (the default).
    #[default]
    Business,
}

/// A user's role on the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleSetup {
    /// Account owner.
    Owner,
    /// Admin.
    Admin,
    /// Member (the default).
    #[default]
    Member,
}

/// A user of the account.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSetup {
    /// The Zoom user id; steps may name the user by id or email.
    pub id: String,
    /// Email address.
    pub email: String,
    /// First name (default: the id).
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name (default: "User").
    #[serde(default)]
    pub last_name: Option<String>,
    /// Role (default member).
    #[serde(default)]
    pub role: RoleSetup,
}

/// The incident the runbook actions run on; its fields feed the templates as `Activity.*`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentSetup {
    /// Incident id (`{{Activity.id}}`).
    pub id: String,
    /// Title (`{{Activity.title}}`).
    pub title: String,
    /// Severity (`{{Activity.severity}}`).
    pub severity: String,
    /// Summary (`{{Activity.summary}}`).
    #[serde(default)]
    pub summary: String,
    /// Custom incident fields (`{{Activity.<name>}}`).
    #[serde(default)]
    pub custom: BTreeMap<String, serde_json::Value>,
}

impl Default for IncidentSetup {
    fn default() -> Self {
        IncidentSetup {
            id: "INC-1".into(),
            title: "Checkout latency".into(),
            severity: "SEV2".into(),
            summary: "p99 latency above 2s on checkout".into(),
            custom: BTreeMap::new(),
        }
    }
}

/// The account's cloud recording limits (absent: the fake's defaults, 5 GiB and no retention).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordingsSetup {
    /// Cloud storage limit in bytes.
    #[serde(default)]
    pub cloud_storage_limit_bytes: Option<u64>,
    /// Days after which cloud recordings go to the trash.
    #[serde(default)]
    pub retention_days: Option<u32>,
}

/// Credentials the connector uses instead of the app's (each optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialsSetup {
    /// Account id (Server-to-Server OAuth).
    #[serde(default)]
    pub account_id: Option<String>,
    /// Client id (Server-to-Server OAuth) or API key.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Client secret or API secret.
    #[serde(default)]
    pub secret: Option<String>,
}

/// Where the bot's alerts go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSinkSetup {
    /// The connector's in-memory sink (the default).
    #[default]
    Memory,
    /// The connector's Slack incoming-webhook sink, posting to a stand-in Slack.
    Slack,
}

/// Alert sink settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSetup {
    /// Suppress the ZAK alert (BOT-5); the join behaviour must not change.
    #[serde(default)]
    pub suppress: bool,
    /// Where alerts go (default memory).
    #[serde(default)]
    pub sink: AlertSinkSetup,
}

/// Scribe bot settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BotSetup {
    /// How long the bot waits in the waiting room before giving up (default: the bot's, 20 min).
    #[serde(default)]
    pub waiting_timeout: Option<HumanDuration>,
    /// The bot's display name (default: the bot's, "AI Scribe").
    #[serde(default)]
    pub name: Option<String>,
}

/// The world a scenario starts from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The app's auth mode (default server_to_server_oauth).
    #[serde(default)]
    pub auth: AuthMode,
    /// The app's granted scopes, classic or granular names (default: every scope the connector's
    /// actions need, classic). Not allowed with `auth: api_key` (JWT apps have no scopes).
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// The account's plan (default business).
    #[serde(default)]
    pub plan: PlanSetup,
    /// Users (default: one owner `owner` / `owner@example.com`).
    #[serde(default)]
    pub users: Option<Vec<UserSetup>>,
    /// Where the fake's virtual clock starts (RFC 3339; default 2026-12-01T09:00:00Z). The
    /// clock is always paused: it moves only by `advance` steps.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub clock: Option<time::OffsetDateTime>,
    /// Faults injected before the first step, in the fake's fault-rule JSON.
    #[serde(default)]
    pub faults: Vec<serde_json::Value>,
    /// Whether the fake enforces rate limits (default true).
    #[serde(default = "default_true")]
    pub rate_limits: bool,
    /// Meeting create+update requests per host per UTC day (Zoom's, and the default: 100).
    #[serde(default)]
    pub daily_meeting_writes_per_user: Option<u32>,
    /// Cloud recording limits of the account.
    #[serde(default)]
    pub recordings: RecordingsSetup,
    /// Credentials the connector is configured with, when they differ from the app's (to
    /// reproduce authentication failures); the fake keeps the app's real ones.
    #[serde(default)]
    pub credentials: Option<CredentialsSetup>,
    /// Alert sink settings.
    #[serde(default)]
    pub alerts: AlertSetup,
    /// The incident the runbook actions run on.
    #[serde(default)]
    pub incident: IncidentSetup,
    /// Scribe bot settings.
    #[serde(default)]
    pub bot: BotSetup,
    /// False: no Zoom connector is configured at all (static bridges, RUN-3).
    #[serde(default = "default_true")]
    pub connector: bool,
}

fn default_true() -> bool {
    true
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            auth: AuthMode::default(),
            scopes: None,
            plan: PlanSetup::default(),
            users: None,
            clock: None,
            faults: Vec::new(),
            rate_limits: true,
            daily_meeting_writes_per_user: None,
            credentials: None,
            recordings: RecordingsSetup::default(),
            alerts: AlertSetup::default(),
            incident: IncidentSetup::default(),
            bot: BotSetup::default(),
            connector: true,
        }
    }
}

/// Auto-recording setting of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoRecording {
    /// Record to the cloud.
    Cloud,
    /// Record locally.
    Local,
    /// No recording.
    None,
}

/// Meeting settings a step can set.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingSettings {
    /// Join before host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_before_host: Option<bool>,
    /// Waiting room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_room: Option<bool>,
    /// Auto-recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_recording: Option<AutoRecording>,
    /// Mute upon entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mute_upon_entry: Option<bool>,
    /// Alternative hosts (emails or user ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative_hosts: Option<Vec<String>>,
    /// Registration: 0 automatic approval, 1 manual approval, 2 no registration (Zoom's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_type: Option<u8>,
}

/// `create_meeting`: the Create Zoom Meeting runbook action.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateMeetingStep {
    /// Name later steps use for this meeting (default "meeting").
    #[serde(default, rename = "as")]
    pub alias: Option<String>,
    /// Host user id or email (default: the first user).
    #[serde(default)]
    pub host: Option<String>,
    /// Topic template over the incident.
    pub topic: String,
    /// Agenda template over the incident.
    #[serde(default)]
    pub agenda: Option<String>,
    /// Duration in minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// Start time (RFC 3339).
    #[serde(default)]
    pub start_time: Option<String>,
    /// Settings.
    #[serde(default)]
    pub settings: MeetingSettings,
}

/// `schedule_recurring`: the Schedule Recurring Meetings action (type 8, daily or weekly).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRecurringStep {
    /// Name later steps use for this meeting.
    #[serde(default, rename = "as")]
    pub alias: Option<String>,
    /// Host user id or email (default: the first user).
    #[serde(default)]
    pub host: Option<String>,
    /// Topic template.
    pub topic: String,
    /// Start of the first occurrence (RFC 3339).
    pub start_time: String,
    /// Duration of each occurrence in minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// Repeat every N days.
    #[serde(default)]
    pub every_days: Option<u32>,
    /// Number of occurrences.
    pub occurrences: u32,
}

/// `update_meeting`: Update Meeting Settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeetingStep {
    /// The meeting (alias).
    pub meeting: String,
    /// New topic template.
    #[serde(default)]
    pub topic: Option<String>,
    /// New agenda template.
    #[serde(default)]
    pub agenda: Option<String>,
    /// New duration in minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// Settings to change.
    #[serde(default)]
    pub settings: MeetingSettings,
}

/// A step that names one meeting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingRef {
    /// The meeting (alias given at creation, default "meeting").
    pub meeting: String,
}

/// `get_zak`: fetch a user's ZAK through the connector.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GetZakStep {
    /// User id or email (default: the first user).
    #[serde(default)]
    pub user: Option<String>,
}

/// `add_registrant`: Manage Participants, add a registrant.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddRegistrantStep {
    /// The meeting (alias).
    pub meeting: String,
    /// Registrant email.
    pub email: String,
    /// Registrant first name.
    pub first_name: String,
}

/// Who joins a live meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinRole {
    /// The meeting's host (signs in as the host user).
    Host,
    /// A co-host.
    CoHost,
    /// An alternative host.
    AlternativeHost,
    /// A signed-in user of the account.
    AccountUser,
    /// A user from outside the account.
    External,
}

/// `join`: a person joins a live meeting (through the fake's control API).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinStep {
    /// The meeting (alias).
    pub meeting: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: JoinRole,
    /// The Zoom user (id or email) for host, co-host, alternative host, account user.
    #[serde(default)]
    pub user: Option<String>,
    /// Name later steps use for this participant (default: `name`).
    #[serde(default, rename = "as")]
    pub alias: Option<String>,
}

/// A host or co-host acts on a participant (admit, deny, send back, remove).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantAction {
    /// The participant (alias; `bot` is the scribe bot).
    pub participant: String,
    /// The host or co-host doing it (alias).
    pub by: String,
}

/// A participant acts on its own (leave).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantRef {
    /// The participant (alias; `bot` is the scribe bot).
    pub participant: String,
}

/// `switch_auth`: replace the connector's configuration (AUTH-3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchAuthStep {
    /// The new auth mode; the old app's configuration is removed.
    pub to: AuthMode,
    /// Scopes granted to the new app (default: every scope the connector needs).
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
}

/// One runbook action inside a `run_runbook` step.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RunbookActionSetup {
    /// Create Zoom Meeting with templated topic and agenda.
    CreateMeeting {
        /// Topic template.
        topic: String,
        /// Agenda template.
        #[serde(default)]
        agenda: Option<String>,
        /// Host (default: the first user).
        #[serde(default)]
        host: Option<String>,
        /// Duration in minutes.
        #[serde(default)]
        duration: Option<u32>,
        /// Settings.
        #[serde(default)]
        settings: MeetingSettings,
    },
    /// Share a pre-configured bridge link (needs no connector).
    ShareStaticBridge {
        /// The bridge's join URL.
        url: String,
        /// Label template (default "Incident bridge for {{Activity.id}}").
        #[serde(default)]
        label: Option<String>,
    },
    /// The scribe bot joins the meeting the runbook created.
    BotJoin,
}

/// `run_runbook`: execute a runbook on the incident; results go to its timeline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRunbookStep {
    /// Runbook name.
    pub name: String,
    /// Its actions, in order.
    pub actions: Vec<RunbookActionSetup>,
    /// Name later steps use for the meeting the runbook creates (default "meeting").
    #[serde(default, rename = "as")]
    pub alias: Option<String>,
}

/// What a step does. In YAML, the action is the step's one key besides `expect` and `label`.
#[derive(Debug, Clone)]
pub enum Action {
    /// Create Zoom Meeting.
    CreateMeeting(CreateMeetingStep),
    /// Schedule Recurring Meetings.
    ScheduleRecurring(ScheduleRecurringStep),
    /// Update Meeting Settings.
    UpdateMeeting(UpdateMeetingStep),
    /// End Meeting (connector, `PUT /meetings/{id}/status`).
    EndMeeting(MeetingRef),
    /// Delete a meeting.
    DeleteMeeting(MeetingRef),
    /// Read a meeting back.
    GetMeeting(MeetingRef),
    /// Get a user's ZAK.
    GetZak(GetZakStep),
    /// Add a registrant (Manage Participants).
    AddRegistrant(AddRegistrantStep),
    /// List a meeting's cloud recordings (Access Recordings).
    ListRecordings(MeetingRef),
    /// "Test the connection": per action, ready or missing scopes.
    TestConnection,
    /// Execute a runbook on the incident.
    RunRunbook(RunRunbookStep),
    /// A person joins a live meeting.
    Join(JoinStep),
    /// Host or co-host admits a waiting participant.
    Admit(ParticipantAction),
    /// Host or co-host denies a waiting participant.
    Deny(ParticipantAction),
    /// Host or co-host sends a participant back to the waiting room.
    SendToWaitingRoom(ParticipantAction),
    /// Host or co-host removes a participant.
    Remove(ParticipantAction),
    /// A participant leaves.
    Leave(ParticipantRef),
    /// The host ends the meeting from the Zoom client.
    HostEndsMeeting(MeetingRef),
    /// The scribe bot joins a meeting.
    BotJoin(MeetingRef),
    /// Advance the fake's virtual clock.
    Advance(HumanDuration),
    /// Change the app's granted scopes (an admin-role downgrade).
    SetScopes(Vec<String>),
    /// Revoke the app's tokens.
    RevokeTokens,
    /// Inject a fault (the fake's fault-rule JSON).
    InjectFault(serde_json::Value),
    /// Remove all faults.
    ClearFaults,
    /// Uninstall the app from the Zoom Marketplace (`app_deauthorized`).
    UninstallApp,
    /// Switch the connector to another auth mode.
    SwitchAuth(SwitchAuthStep),
    /// No action: only check expectations.
    Check,
}

/// Every action key, for "expected one of" in errors.
pub const ACTION_KEYS: &[&str] = &[
    "create_meeting",
    "schedule_recurring",
    "update_meeting",
    "end_meeting",
    "delete_meeting",
    "get_meeting",
    "get_zak",
    "add_registrant",
    "list_recordings",
    "test_connection",
    "run_runbook",
    "join",
    "admit",
    "deny",
    "send_to_waiting_room",
    "remove",
    "leave",
    "host_ends_meeting",
    "bot_join",
    "advance",
    "set_scopes",
    "revoke_tokens",
    "inject_fault",
    "clear_faults",
    "uninstall_app",
    "switch_auth",
    "expect",
    "label",
];

impl Action {
    /// The YAML key of the action.
    pub fn key(&self) -> &'static str {
        match self {
            Action::CreateMeeting(_) => "create_meeting",
            Action::ScheduleRecurring(_) => "schedule_recurring",
            Action::UpdateMeeting(_) => "update_meeting",
            Action::EndMeeting(_) => "end_meeting",
            Action::DeleteMeeting(_) => "delete_meeting",
            Action::GetMeeting(_) => "get_meeting",
            Action::GetZak(_) => "get_zak",
            Action::AddRegistrant(_) => "add_registrant",
            Action::ListRecordings(_) => "list_recordings",
            Action::TestConnection => "test_connection",
            Action::RunRunbook(_) => "run_runbook",
            Action::Join(_) => "join",
            Action::Admit(_) => "admit",
            Action::Deny(_) => "deny",
            Action::SendToWaitingRoom(_) => "send_to_waiting_room",
            Action::Remove(_) => "remove",
            Action::Leave(_) => "leave",
            Action::HostEndsMeeting(_) => "host_ends_meeting",
            Action::BotJoin(_) => "bot_join",
            Action::Advance(_) => "advance",
            Action::SetScopes(_) => "set_scopes",
            Action::RevokeTokens => "revoke_tokens",
            Action::InjectFault(_) => "inject_fault",
            Action::ClearFaults => "clear_faults",
            Action::UninstallApp => "uninstall_app",
            Action::SwitchAuth(_) => "switch_auth",
            Action::Check => "expect",
        }
    }

    /// True for steps that go through the connector to Zoom (run in `--live` mode); the others
    /// drive the fake's control surface and are skipped live.
    pub fn is_connector_step(&self) -> bool {
        matches!(
            self,
            Action::CreateMeeting(_)
                | Action::ScheduleRecurring(_)
                | Action::UpdateMeeting(_)
                | Action::EndMeeting(_)
                | Action::DeleteMeeting(_)
                | Action::GetMeeting(_)
                | Action::GetZak(_)
                | Action::AddRegistrant(_)
                | Action::ListRecordings(_)
                | Action::TestConnection
        )
    }
}

/// One step: an action, an optional label (for `repro --until`) and optional expectations.
#[derive(Debug, Clone)]
pub struct Step {
    /// A name for `repro --until` and reports.
    pub label: Option<String>,
    /// What the step does.
    pub action: Action,
    /// What must hold after it.
    pub expect: Option<Expect>,
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(StepVisitor)
    }
}

struct StepVisitor;

impl<'de> Visitor<'de> for StepVisitor {
    type Value = Step;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a step: a map with one action key (create_meeting, join, bot_join, advance, ...) and optional `expect` and `label`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Step, A::Error> {
        let mut label = None;
        let mut action: Option<Action> = None;
        let mut expect = None;
        while let Some(key) = map.next_key::<String>()? {
            let parsed = match key.as_str() {
                "label" => {
                    label = Some(map.next_value()?);
                    continue;
                }
                "expect" => {
                    expect = Some(map.next_value()?);
                    continue;
                }
                "create_meeting" => Action::CreateMeeting(map.next_value()?),
                "schedule_recurring" => Action::ScheduleRecurring(map.next_value()?),
                "update_meeting" => Action::UpdateMeeting(map.next_value()?),
                "end_meeting" => Action::EndMeeting(map.next_value()?),
                "delete_meeting" => Action::DeleteMeeting(map.next_value()?),
                "get_meeting" => Action::GetMeeting(map.next_value()?),
                "get_zak" => Action::GetZak(map.next_value()?),
                "add_registrant" => Action::AddRegistrant(map.next_value()?),
                "list_recordings" => Action::ListRecordings(map.next_value()?),
                "test_connection" => {
                    map.next_value::<Empty>()?;
                    Action::TestConnection
                }
                "run_runbook" => Action::RunRunbook(map.next_value()?),
                "join" => Action::Join(map.next_value()?),
                "admit" => Action::Admit(map.next_value()?),
                "deny" => Action::Deny(map.next_value()?),
                "send_to_waiting_room" => Action::SendToWaitingRoom(map.next_value()?),
                "remove" => Action::Remove(map.next_value()?),
                "leave" => Action::Leave(map.next_value()?),
                "host_ends_meeting" => Action::HostEndsMeeting(map.next_value()?),
                "bot_join" => Action::BotJoin(map.next_value()?),
                "advance" => Action::Advance(map.next_value()?),
                "set_scopes" => Action::SetScopes(map.next_value()?),
                "revoke_tokens" => {
                    map.next_value::<Empty>()?;
                    Action::RevokeTokens
                }
                "inject_fault" => Action::InjectFault(map.next_value()?),
                "clear_faults" => {
                    map.next_value::<Empty>()?;
                    Action::ClearFaults
                }
                "uninstall_app" => {
                    map.next_value::<Empty>()?;
                    Action::UninstallApp
                }
                "switch_auth" => Action::SwitchAuth(map.next_value()?),
                other => return Err(de::Error::unknown_field(other, ACTION_KEYS)),
            };
            if let Some(previous) = &action {
                return Err(de::Error::custom(format!(
                    "a step has exactly one action, but this one has both `{}` and `{key}`; start a new `- ` item for the second",
                    previous.key()
                )));
            }
            action = Some(parsed);
        }
        match (action, &expect) {
            (Some(action), _) => Ok(Step {
                label,
                action,
                expect,
            }),
            (None, Some(_)) => Ok(Step {
                label,
                action: Action::Check,
                expect,
            }),
            (None, None) => Err(de::Error::custom(
                "a step needs an action key (create_meeting, join, bot_join, advance, ...) or an `expect`",
            )),
        }
    }
}

/// The value of a key-only action (`- revoke_tokens: {}` or `- revoke_tokens:`).
struct Empty;

impl<'de> Deserialize<'de> for Empty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EmptyVisitor;
        impl<'de> Visitor<'de> for EmptyVisitor {
            type Value = Empty;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("nothing (`{}` or an empty value); this action takes no arguments")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Empty, E> {
                Ok(Empty)
            }
            fn visit_none<E: de::Error>(self) -> Result<Empty, E> {
                Ok(Empty)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Empty, A::Error> {
                match map.next_key::<String>()? {
                    None => Ok(Empty),
                    Some(key) => Err(de::Error::unknown_field(&key, &[])),
                }
            }
        }
        deserializer.deserialize_any(EmptyVisitor)
    }
}

/// Expected error of a step.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorExpect {
    /// The connector's error kind in snake_case (`insufficient_scopes`, `zak_not_supported`,
    /// `not_configured`, `template`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Zoom's error code (4711, 124, 3001, 1001, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zoom_code: Option<i64>,
    /// HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Text the error message must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Text the error's fix (troubleshooting row) must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The scribe bot's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BotStateExpect {
    /// Not asked to join yet.
    Idle,
    /// Joined with a ZAK, bypassing the waiting room.
    JoinedWithZak,
    /// Joined after a host or co-host admitted it.
    JoinedAfterAdmission,
    /// Joined by a standard join with no waiting room.
    JoinedDirectly,
    /// In the waiting room.
    Waiting,
    /// Waiting for the host to start the meeting.
    WaitingForHost,
    /// Was in the meeting and is no longer (it ended, or the bot was removed): transcript kept.
    Attended,
    /// Missed the meeting.
    Missed,
}

/// Journal expectations: requests as `METHOD /path` (a `*` matches any run of characters).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct JournalExpect {
    /// Each pattern matches at least one request the fake recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<String>,
    /// No request matches any of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_contains: Vec<String>,
    /// Exact number of requests matching a pattern, as `{pattern: count}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub count: BTreeMap<String, usize>,
}

/// What must hold after a step. Every field is optional; only the given ones are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The step succeeded (true) or failed (false) in any way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<bool>,
    /// The step failed with this error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorExpect>,
    /// The step's result (JSON) contains this (a subset match: maps by key, lists by position).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
    /// The scribe bot's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<BotStateExpect>,
    /// The alerts sent so far, in order, each matched by "contains" (`[]`: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Vec<String>>,
    /// The incident timeline has entries containing each of these, in this order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Vec<String>>,
    /// The incident's documentation is complete (false once the bot missed a meeting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_complete: Option<bool>,
    /// A transcript was captured (true) or not (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<bool>,
    /// Participants' statuses as the fake reports them (`in_meeting`, `in_waiting_room`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<BTreeMap<String, String>>,
    /// The fake's view of a meeting (subset match on its state JSON), by alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meetings: Option<BTreeMap<String, serde_json::Value>>,
    /// Requests the fake recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<JournalExpect>,
    /// Webhook events the product's endpoint received and verified, each at least once, in any
    /// order (Zoom promises none), e.g. `meeting.started`, `recording.completed`, `app_deauthorized`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhooks: Option<Vec<String>>,
    /// Whether the product still has a Zoom connector configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector_configured: Option<bool>,
    /// The keys in the product's secret store, exactly (`[]`: every secret removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<String>>,
}
