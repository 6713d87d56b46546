//! zoom-connector: the Zoom connector an incident-response product ships to its customers.
//!
//! It talks to real Zoom by default (`https://api.zoom.us/v2`, `https://zoom.us/oauth/token`);
//! every URL can be pointed elsewhere (a proxy, the fake in this workspace). It knows nothing of
//! the fake: the two meet only over HTTP in Zoom's wire format.
//!
//! The parts:
//! - [`config`]: [`ConnectorConfig`], [`AuthConfig`] (Server-to-Server OAuth, API Key/Secret,
//!   user OAuth), URLs, timeouts, [`RetryPolicy`]; secrets in `secrecy` types.
//! - [`auth`]: token acquisition per mode and the single-flight token cache; [`TokenStore`]
//!   for user OAuth's rotating refresh token.
//! - `client`: the HTTP core — timeouts, refresh-once on 401 code 124, 429 `Retry-After`,
//!   idempotency-aware retries, and why a create-meeting is never duplicated.
//! - [`api`]: Zoom's request and response types per resource.
//! - [`actions`]: one file per runbook action, each declaring its required scopes.
//! - [`scopes`]: action → the seed's scope names → Zoom's real classic and granular scopes; the
//!   connection test ([`ZoomConnector::test_connection`]).
//! - [`error`]: [`ConnectorError`], its [`ErrorKind`]s and the seed's troubleshooting map.
//! - [`template`]: the Mustache-subset renderer for topics and agendas (plain text, strict).
//! - [`alerts`]: alert sinks (Slack incoming webhook, in memory).
//! - [`bot`]: the AI scribe bot's join logic (ZAK join, fallback, waiting room, timeout, missed).
//! - [`webhook`]: the installed integration, its secret store, and the webhook receiver.
//! - [`runbook`]: incidents, runbooks of templated actions, and the incident timeline.
//!
//! ```no_run
//! # async fn demo() -> Result<(), zoom_connector::ConnectorError> {
//! use zoom_connector::{AuthConfig, ConnectorConfig, CreateMeeting, ZoomConnector};
//! let connector = ZoomConnector::new(ConnectorConfig::new(AuthConfig::ServerToServerOAuth {
//!     account_id: "ACCOUNT".into(),
//!     client_id: "CLIENT".into(),
//!     client_secret: "SECRET".into(),
//! }))?;
//! let meeting = connector
//!     .create_meeting("me", CreateMeeting::new("INC-42 - Incident Bridge"))
//!     .await?;
//! println!("{}", meeting.join_url);
//! # Ok(()) }
//! ```

pub mod actions;
pub mod alerts;
pub mod api;
pub mod auth;
pub mod bot;
mod client;
pub mod config;
mod connector;
pub mod error;
pub mod runbook;
pub mod scopes;
pub mod template;
pub mod webhook;

pub use actions::access_recordings::RecordingRange;
pub use actions::create_meeting::CreateMeeting;
pub use actions::create_webinar::CreateWebinar;
pub use actions::manage_participants::NewRegistrant;
pub use actions::schedule_recurring_meeting::{
    MonthlyRule, RecurrenceEnd, RecurrenceRule, RecurringMeeting, Weekday,
};
pub use actions::update_meeting_settings::UpdateMeeting;
pub use api::{AutoRecording, Meeting, MeetingSettings, StartTime};
pub use auth::{MemoryTokenStore, TokenStore};
pub use client::parse_retry_after;
pub use config::{AuthConfig, AuthMode, ConnectorConfig, RetryPolicy};
pub use connector::ZoomConnector;
pub use error::{ConnectorError, ErrorKind, Troubleshooting};
pub use scopes::{Action, ConnectionReport};
pub use secrecy::{ExposeSecret, SecretString};
