//! `zoom-harness connector ...`: the real connector from the command line, against real Zoom
//! or against `fake-zoom serve` (only the URLs differ).
//!
//! * `connector test` — authenticate, read the granted scopes, report per action whether it is
//!   ready or which scopes it lacks, and what the auth mode means for the scribe bot.
//! * `connector create-meeting --topic ...` — create a meeting and print it.
//!
//! Credentials and URLs come from flags or the environment: `ZOOM_ACCOUNT_ID`,
//! `ZOOM_CLIENT_ID`, `ZOOM_CLIENT_SECRET` (Server-to-Server OAuth), `ZOOM_API_KEY`,
//! `ZOOM_API_SECRET` (API Key/Secret), `ZOOM_API_BASE_URL`, `ZOOM_OAUTH_URL`. Prefer the
//! environment for secrets: flags show up in process listings. `--help` never prints their values,
//! and the parsed arguments hold them as [`SecretString`]s, so their `Debug` does not either.

use std::convert::Infallible;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use zoom_connector::config::{ZOOM_API_BASE_URL, ZOOM_OAUTH_URL};
use zoom_connector::{
    AuthConfig, AutoRecording, ConnectorConfig, ConnectorError, CreateMeeting, ExposeSecret,
    SecretString, StartTime, ZoomConnector,
};

/// The `connector` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConnectorCommand {
    /// Test the connection: authenticate, list granted scopes, report per action ready or the
    /// scopes it lacks, and how the scribe bot will join.
    Test {
        /// Credentials and URLs.
        #[command(flatten)]
        connection: ConnectionArgs,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Create a meeting (the Create Zoom Meeting runbook action) and print it.
    CreateMeeting {
        /// Credentials and URLs.
        #[command(flatten)]
        connection: ConnectionArgs,
        /// The meeting.
        #[command(flatten)]
        meeting: MeetingArgs,
        /// Print the meeting as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Which auth mode to use when both sets of credentials are present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthChoice {
    /// Server-to-Server OAuth (account id, client id, client secret).
    S2s,
    /// API Key/Secret (legacy JWT app).
    ApiKey,
}

/// Credentials and URLs, from flags or the environment.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Auth mode; inferred from which credentials are given when omitted.
    #[arg(long, value_enum)]
    pub auth: Option<AuthChoice>,
    /// Zoom account id (Server-to-Server OAuth).
    #[arg(long, env = "ZOOM_ACCOUNT_ID")]
    pub account_id: Option<String>,
    /// OAuth client id (Server-to-Server OAuth).
    #[arg(long, env = "ZOOM_CLIENT_ID")]
    pub client_id: Option<String>,
    /// OAuth client secret (Server-to-Server OAuth).
    #[arg(long, env = "ZOOM_CLIENT_SECRET", hide_env_values = true, value_parser = secret)]
    pub client_secret: Option<SecretString>,
    /// API key (API Key/Secret auth).
    #[arg(long, env = "ZOOM_API_KEY")]
    pub api_key: Option<String>,
    /// API secret (API Key/Secret auth).
    #[arg(long, env = "ZOOM_API_SECRET", hide_env_values = true, value_parser = secret)]
    pub api_secret: Option<SecretString>,
    /// REST base URL (e.g. http://127.0.0.1:8080/v2 for fake-zoom serve).
    #[arg(long, env = "ZOOM_API_BASE_URL", default_value = ZOOM_API_BASE_URL)]
    pub api_base_url: String,
    /// OAuth token URL (e.g. http://127.0.0.1:8080/oauth/token).
    #[arg(long, env = "ZOOM_OAUTH_URL", default_value = ZOOM_OAUTH_URL)]
    pub oauth_url: String,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout_secs: u64,
}

impl ConnectionArgs {
    /// The connector configuration these arguments describe.
    pub fn to_config(&self) -> anyhow::Result<ConnectorConfig> {
        let s2s_given = self.account_id.is_some() || self.client_id.is_some();
        let api_key_given = self.api_key.is_some();
        let choice = match self.auth {
            Some(choice) => choice,
            None => match (s2s_given, api_key_given) {
                (true, false) => AuthChoice::S2s,
                (false, true) => AuthChoice::ApiKey,
                (true, true) => bail!(
                    "both Server-to-Server OAuth and API Key credentials are set; choose one \
                     with --auth s2s or --auth api-key"
                ),
                (false, false) => bail!(
                    "Zoom connector not configured: set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and \
                     ZOOM_CLIENT_SECRET (Server-to-Server OAuth) or ZOOM_API_KEY and \
                     ZOOM_API_SECRET (API Key/Secret), or pass them as flags"
                ),
            },
        };
        let auth = match choice {
            AuthChoice::S2s => AuthConfig::ServerToServerOAuth {
                account_id: required(&self.account_id, "--account-id / ZOOM_ACCOUNT_ID")?,
                client_id: required(&self.client_id, "--client-id / ZOOM_CLIENT_ID")?,
                client_secret: required_secret(
                    &self.client_secret,
                    "--client-secret / ZOOM_CLIENT_SECRET",
                )?,
            },
            AuthChoice::ApiKey => AuthConfig::ApiKey {
                api_key: required(&self.api_key, "--api-key / ZOOM_API_KEY")?,
                api_secret: required_secret(&self.api_secret, "--api-secret / ZOOM_API_SECRET")?,
            },
        };
        Ok(ConnectorConfig::new(auth)
            .with_api_base_url(self.api_base_url.clone())
            .with_oauth_url(self.oauth_url.clone())
            .with_timeout(Duration::from_secs(self.timeout_secs.max(1))))
    }
}

/// clap's parser for a secret argument: the value goes straight into a [`SecretString`].
fn secret(value: &str) -> Result<SecretString, Infallible> {
    Ok(SecretString::from(value))
}

fn required(value: &Option<String>, name: &str) -> anyhow::Result<String> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v.clone()),
        _ => bail!("missing {name}"),
    }
}

fn required_secret(value: &Option<SecretString>, name: &str) -> anyhow::Result<SecretString> {
    match value {
        Some(v) if !v.expose_secret().trim().is_empty() => Ok(v.clone()),
        _ => bail!("missing {name}"),
    }
}

/// The meeting to create.
#[derive(Debug, Clone, Args)]
pub struct MeetingArgs {
    /// Host: user id, email, or `me` (user-level apps).
    #[arg(long, default_value = "me")]
    pub host: String,
    /// Topic (plain text).
    #[arg(long)]
    pub topic: String,
    /// Agenda.
    #[arg(long)]
    pub agenda: Option<String>,
    /// Duration in minutes (1-1440).
    #[arg(long)]
    pub duration: Option<u32>,
    /// Start: RFC 3339 (2026-12-05T10:00:00Z) or local time with --timezone (2026-12-05T10:00:00).
    #[arg(long)]
    pub start_time: Option<String>,
    /// IANA time zone, e.g. Europe/Berlin.
    #[arg(long)]
    pub timezone: Option<String>,
    /// Let participants join before the host.
    #[arg(long)]
    pub join_before_host: Option<bool>,
    /// Waiting room on or off.
    #[arg(long)]
    pub waiting_room: Option<bool>,
    /// Automatic recording: cloud, local or none.
    #[arg(long)]
    pub auto_recording: Option<String>,
    /// Passcode (up to 10 characters).
    #[arg(long)]
    pub passcode: Option<String>,
}

impl MeetingArgs {
    /// The action input these arguments describe.
    pub fn to_input(&self) -> anyhow::Result<CreateMeeting> {
        let mut input = CreateMeeting::new(self.topic.clone());
        input.agenda = self.agenda.clone();
        input.duration = self.duration;
        input.start_time = self
            .start_time
            .as_deref()
            .map(StartTime::parse)
            .transpose()
            .map_err(|e| anyhow!(e))?;
        input.timezone = self.timezone.clone();
        input.passcode = self.passcode.clone();
        input.settings.join_before_host = self.join_before_host;
        input.settings.waiting_room = self.waiting_room;
        input.settings.auto_recording = self
            .auto_recording
            .as_deref()
            .map(str::parse::<AutoRecording>)
            .transpose()
            .map_err(|e| anyhow!(e))?;
        Ok(input)
    }
}

/// Run a `connector` subcommand, printing its result to stdout.
pub async fn run(cmd: ConnectorCommand) -> anyhow::Result<()> {
    match cmd {
        ConnectorCommand::Test { connection, json } => {
            let connector = connect(&connection)?;
            let report = connector
                .test_connection()
                .await
                .map_err(explain)
                .context("Zoom connection test failed")?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{report}");
            }
        }
        ConnectorCommand::CreateMeeting {
            connection,
            meeting,
            json,
        } => {
            let input = meeting.to_input()?;
            let connector = connect(&connection)?;
            let created = connector
                .create_meeting(&meeting.host, input)
                .await
                .map_err(explain)
                .context("creating the meeting failed")?;
            if json {
                println!("{}", serde_json::to_string_pretty(&created)?);
            } else {
                println!("Created meeting {} \"{}\"", created.id, created.topic);
                println!("  join url: {}", created.join_url);
                if let Some(password) = &created.password {
                    println!("  passcode: {password}");
                }
                if let Some(settings) = &created.settings {
                    println!(
                        "  waiting room: {}, join before host: {}, auto-recording: {}",
                        show(settings.waiting_room),
                        show(settings.join_before_host),
                        settings
                            .auto_recording
                            .map(|r| format!("{r:?}").to_lowercase())
                            .unwrap_or_else(|| "-".into())
                    );
                }
            }
        }
    }
    Ok(())
}

fn connect(connection: &ConnectionArgs) -> anyhow::Result<ZoomConnector> {
    ZoomConnector::new(connection.to_config()?).map_err(explain)
}

fn show(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "on",
        Some(false) => "off",
        None => "-",
    }
}

/// The error with its fix, when the connector knows one and the message does not already say it.
fn explain(e: ConnectorError) -> anyhow::Error {
    let text = e.to_string();
    match e.fix() {
        Some(fix) if !text.contains(fix) => anyhow!("{text}\nfix: {fix}"),
        _ => anyhow!(text),
    }
}
