//! `run --live`: credentials for real Zoom from the environment.
//!
//! Live mode runs the connector steps of each scenario against real Zoom, to find drift
//! between the fake and Zoom. Steps that need the fake's control surface (joins, admissions,
//! the clock, scope changes, faults, the bot's room) are skipped and say so; expectations on
//! the fake's state are not checked. A scenario whose setup cannot be reproduced on a real
//! account (custom scopes, faults, no connector, an auth mode without credentials) is skipped
//! with the reason.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use secrecy::SecretString;
use serde_json::json;
use zoom_connector::{AuthConfig, ConnectorConfig, ZoomConnector};

use super::steps::{self, ConnectorSide, StepError};
use crate::report::{Exchange, Failure, Lane, ScenarioReport, Status, StepReport};
use crate::scenario::model::AuthMode;
use crate::scenario::{Scenario, Setup};

/// Credentials and URLs for real Zoom, read from `ZOOM_*` environment variables.
#[derive(Debug, Clone)]
pub struct LiveCredentials {
    /// `ZOOM_API_BASE_URL` (default `https://api.zoom.us/v2`).
    pub api_base_url: String,
    /// `ZOOM_OAUTH_URL` (default `https://zoom.us/oauth/token`).
    pub oauth_url: String,
    /// `ZOOM_ACCOUNT_ID`, `ZOOM_CLIENT_ID`, `ZOOM_CLIENT_SECRET`: a Server-to-Server OAuth app.
    pub s2s: Option<(String, String, SecretString)>,
    /// `ZOOM_API_KEY`, `ZOOM_API_SECRET`: an API Key/Secret (JWT) app.
    pub api_key: Option<(String, SecretString)>,
    /// `ZOOM_LIVE_HOST`: the user that hosts the scenarios' meetings (default `me`).
    pub host: String,
}

impl LiveCredentials {
    /// What live mode prints when no credentials are set.
    pub const MISSING_MESSAGE: &'static str = "live mode: no Zoom credentials in the environment \
        (set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET for a Server-to-Server OAuth app, \
        and/or ZOOM_API_KEY and ZOOM_API_SECRET for an API Key/Secret app; optionally ZOOM_LIVE_HOST, \
        ZOOM_API_BASE_URL, ZOOM_OAUTH_URL); every scenario is skipped";

    /// Reads the environment; None when neither app's credentials are complete.
    pub fn from_env() -> Option<Self> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads credentials through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let s2s = match (
            lookup("ZOOM_ACCOUNT_ID"),
            lookup("ZOOM_CLIENT_ID"),
            lookup("ZOOM_CLIENT_SECRET"),
        ) {
            (Some(account), Some(client), Some(secret)) => {
                Some((account, client, SecretString::from(secret)))
            }
            _ => None,
        };
        let api_key = match (lookup("ZOOM_API_KEY"), lookup("ZOOM_API_SECRET")) {
            (Some(key), Some(secret)) => Some((key, SecretString::from(secret))),
            _ => None,
        };
        if s2s.is_none() && api_key.is_none() {
            return None;
        }
        Some(LiveCredentials {
            api_base_url: lookup("ZOOM_API_BASE_URL")
                .unwrap_or_else(|| "https://api.zoom.us/v2".into()),
            oauth_url: lookup("ZOOM_OAUTH_URL")
                .unwrap_or_else(|| "https://zoom.us/oauth/token".into()),
            s2s,
            api_key,
            host: lookup("ZOOM_LIVE_HOST").unwrap_or_else(|| "me".into()),
        })
    }

    /// Which apps are configured, without secrets.
    pub fn describe(&self) -> String {
        let mut apps = Vec::new();
        if let Some((account, client, _)) = &self.s2s {
            apps.push(format!(
                "Server-to-Server OAuth app {client} on account {account}"
            ));
        }
        if let Some((key, _)) = &self.api_key {
            apps.push(format!("API Key/Secret app {key}"));
        }
        apps.join(", ")
    }
}

/// Connector steps against real Zoom: the connector, the incident's template context, and the
/// meetings created (deleted again at the end, so a live run leaves nothing behind).
struct LiveSide {
    connector: ZoomConnector,
    context: serde_json::Value,
    host: String,
    meetings: BTreeMap<String, (u64, String)>,
}

impl ConnectorSide for LiveSide {
    fn connector(&self) -> Result<ZoomConnector, StepError> {
        Ok(self.connector.clone())
    }
    fn render(&self, template: &str) -> Result<String, StepError> {
        zoom_connector::template::render(template, &self.context).map_err(|error| StepError {
            kind: "template".into(),
            zoom_code: None,
            http_status: None,
            message: error.to_string(),
            fix: None,
        })
    }
    fn default_user(&self) -> String {
        self.host.clone()
    }
    fn meeting(&self, alias: &str) -> Result<u64, StepError> {
        self.meetings.get(alias).map(|(id, _)| *id).ok_or_else(|| {
            StepError::harness(format!(
                "meeting `{alias}` was not created live (its step failed or was skipped)"
            ))
        })
    }
    fn add_meeting(&mut self, alias: &str, id: u64, host: &str) {
        self.meetings
            .insert(alias.to_string(), (id, host.to_string()));
    }
}

/// Why a scenario cannot be reproduced against a real account, if it cannot.
fn not_reproducible(scenario: &Scenario, credentials: &LiveCredentials) -> Option<String> {
    let setup = &scenario.setup;
    if !setup.connector {
        return Some("the scenario runs without a connector; nothing to send to Zoom".into());
    }
    if setup.scopes.is_some() {
        return Some("the scenario grants its own scopes; a live app has the scopes it has".into());
    }
    if !setup.faults.is_empty() {
        return Some("the scenario injects faults, which only the fake can".into());
    }
    if setup.credentials.is_some() || setup.daily_meeting_writes_per_user.is_some() {
        return Some("the scenario changes credentials or limits, which only the fake can".into());
    }
    if setup.users.is_some() {
        return Some("the scenario defines its own users; a live account has its own".into());
    }
    match setup.auth {
        AuthMode::ServerToServerOauth if credentials.s2s.is_none() => {
            Some("no Server-to-Server OAuth credentials (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET)".into())
        }
        AuthMode::ApiKey if credentials.api_key.is_none() => {
            Some("no API Key/Secret credentials (ZOOM_API_KEY, ZOOM_API_SECRET)".into())
        }
        _ => None,
    }
}

fn connector_for(setup: &Setup, credentials: &LiveCredentials) -> Result<ZoomConnector, String> {
    let auth = match setup.auth {
        AuthMode::ServerToServerOauth => {
            let (account_id, client_id, client_secret) =
                credentials.s2s.clone().ok_or("no S2S credentials")?;
            AuthConfig::ServerToServerOAuth {
                account_id,
                client_id,
                client_secret,
            }
        }
        AuthMode::ApiKey => {
            let (api_key, api_secret) = credentials
                .api_key
                .clone()
                .ok_or("no API key credentials")?;
            AuthConfig::ApiKey {
                api_key,
                api_secret,
            }
        }
    };
    let config = ConnectorConfig::new(auth)
        .with_api_base_url(credentials.api_base_url.clone())
        .with_oauth_url(credentials.oauth_url.clone());
    ZoomConnector::new(config).map_err(|error| error.to_string())
}

/// Runs a scenario's connector steps against real Zoom.
pub async fn execute(
    id: &str,
    scenario: &Scenario,
    credentials: Option<&LiveCredentials>,
) -> ScenarioReport {
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
    let skip = match credentials {
        None => Some(
            "no Zoom credentials in the environment (see `run --live` in scenarios/README.md)"
                .to_string(),
        ),
        Some(credentials) => not_reproducible(scenario, credentials),
    };
    if let Some(reason) = skip {
        report.status = Status::Skipped;
        report.skip_reason = Some(reason);
        return report;
    }
    let Some(credentials) = credentials else {
        return report;
    };
    let connector = match connector_for(&scenario.setup, credentials) {
        Ok(connector) => connector,
        Err(error) => {
            report.status = Status::Failed;
            report.failure = Some(Failure {
                step: 0,
                step_summary: "configure the connector for real Zoom".into(),
                expected: "a usable configuration".into(),
                actual: error,
                journal_tail: Vec::new(),
            });
            return report;
        }
    };
    let incident = &scenario.setup.incident;
    let mut activity = serde_json::Map::new();
    for (name, value) in &incident.custom {
        activity.insert(name.clone(), value.clone());
    }
    activity.insert("id".into(), json!(incident.id));
    activity.insert("title".into(), json!(incident.title));
    activity.insert("severity".into(), json!(incident.severity));
    activity.insert("summary".into(), json!(incident.summary));
    let mut side = LiveSide {
        connector,
        context: json!({ "Activity": activity }),
        host: credentials.host.clone(),
        meetings: BTreeMap::new(),
    };
    let mut ran = 0;
    for (index, step) in scenario.steps.iter().enumerate() {
        let number = index + 1;
        let summary = steps::describe(&step.action);
        let mut entry = StepReport {
            number,
            label: step.label.clone(),
            action: step.action.key().into(),
            summary: summary.clone(),
            status: Status::Skipped,
            note: None,
        };
        if report.status == Status::Failed {
            entry.note = Some("not run: an earlier step failed".into());
        } else if !step.action.is_connector_step() {
            entry.note = Some("fake-only step, skipped live".into());
        } else if let Some(outcome) = steps::run_connector_action(&mut side, &step.action).await {
            ran += 1;
            report.exchanges.push(Exchange {
                step: number,
                from: Lane::Connector,
                to: Lane::Zoom,
                label: step.action.key().into(),
                reply: Some(match &outcome {
                    Ok(_) => "ok".into(),
                    Err(error) => error.short(),
                }),
                is_error: outcome.is_err(),
            });
            let default = crate::scenario::Expect::default();
            let expect = step.expect.as_ref().unwrap_or(&default);
            match steps::check_outcome(expect, &outcome) {
                Ok(()) => {
                    entry.status = Status::Passed;
                    entry.note = Some("fake-only expectations (bot, alerts, journal, participants) not checked live".into());
                }
                Err(mismatch) => {
                    entry.status = Status::Failed;
                    report.status = Status::Failed;
                    report.failure = Some(Failure {
                        step: number,
                        step_summary: format!("{summary} (live)"),
                        expected: mismatch.expected,
                        actual: mismatch.actual,
                        journal_tail: Vec::new(),
                    });
                }
            }
        }
        report.steps.push(entry);
    }
    // Leave the real account as it was.
    for (id, _) in side.meetings.values() {
        let _ = side.connector.delete_meeting(*id, None).await;
    }
    if ran == 0 && report.status == Status::Passed {
        report.status = Status::Skipped;
        report.skip_reason =
            Some("the scenario has no connector steps; every step is fake-only".into());
    }
    report.duration = started.elapsed();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn needs_a_complete_app_and_never_shows_secrets() {
        let env: HashMap<&str, &str> = HashMap::from([("ZOOM_CLIENT_ID", "cid")]);
        assert!(LiveCredentials::from_lookup(|k| env.get(k).map(|v| v.to_string())).is_none());
        let env: HashMap<&str, &str> = HashMap::from([
            ("ZOOM_ACCOUNT_ID", "acct"),
            ("ZOOM_CLIENT_ID", "cid"),
            ("ZOOM_CLIENT_SECRET", "very-secret"),
        ]);
        let live = LiveCredentials::from_lookup(|k| env.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!(live.host, "me");
        assert!(!format!("{live:?} {}", live.describe()).contains("very-secret"));
    }
}
