//! What a run produced, and its renderings: JUnit XML ([`junit`]), JSON ([`json`]) and a
//! self-contained HTML page with a sequence diagram per scenario ([`html`]).
//!
//! Reports never hold secrets: exchanges come from the fake's journal (scrubbed where it is
//! recorded) and from the connector's error texts, which carry no credentials.

pub mod html;
pub mod json;
pub mod junit;

use std::time::Duration;

use serde::{Serialize, Serializer};

/// Where the scenarios ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    /// Against an embedded fake per scenario.
    Fake,
    /// Connector steps against real Zoom (`run --live`).
    Live,
}

/// A whole run.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// Fake or live.
    pub mode: RunMode,
    /// Wall-clock start (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: time::OffsetDateTime,
    /// Wall time of the whole run.
    #[serde(serialize_with = "millis")]
    pub duration: Duration,
    /// One entry per selected scenario, in id order.
    pub scenarios: Vec<ScenarioReport>,
}

impl RunReport {
    /// Count of scenarios with the given status.
    pub fn count(&self, status: Status) -> usize {
        self.scenarios.iter().filter(|s| s.status == status).count()
    }

    /// True when no scenario failed.
    pub fn passed(&self) -> bool {
        self.count(Status::Failed) == 0
    }

    /// The one-line summary printed at the end of a run.
    pub fn summary_line(&self) -> String {
        format!(
            "{} scenarios: {} passed, {} failed, {} skipped in {:.2}s",
            self.scenarios.len(),
            self.count(Status::Passed),
            self.count(Status::Failed),
            self.count(Status::Skipped),
            self.duration.as_secs_f64()
        )
    }
}

/// Outcome of a scenario or a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every expectation held.
    Passed,
    /// An expectation did not hold, or the scenario could not run.
    Failed,
    /// Not run (live mode without credentials, a fake-only step in live mode, after a failure).
    Skipped,
}

/// One scenario's result.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    /// Stable id (path relative to the scenario directory).
    pub id: String,
    /// The scenario's name (or the id when the file did not load).
    pub name: String,
    /// Rule ids it covers.
    pub covers: Vec<String>,
    /// Outcome.
    pub status: Status,
    /// Why it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// Wall time.
    #[serde(serialize_with = "millis")]
    pub duration: Duration,
    /// Per step.
    pub steps: Vec<StepReport>,
    /// The failure, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// The exchanges between connector, fake, bot and alert sink, in order.
    pub exchanges: Vec<Exchange>,
}

/// One step's result.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    /// 1-based step number.
    pub number: usize,
    /// The step's label, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The action key (`create_meeting`, `join`, ...).
    pub action: String,
    /// A one-line description of what it did.
    pub summary: String,
    /// Outcome.
    pub status: Status,
    /// Why it was skipped, or a note on what it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why a scenario failed.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// The failing step's number (0: loading or setup).
    pub step: usize,
    /// What that step was.
    pub step_summary: String,
    /// What was expected.
    pub expected: String,
    /// What happened.
    pub actual: String,
    /// The last requests the fake recorded (secrets scrubbed), oldest first.
    pub journal_tail: Vec<String>,
}

impl Failure {
    /// The multi-line text shown on the console and in JUnit.
    pub fn render(&self) -> String {
        let mut out = format!(
            "step {}: {}\n  expected: {}\n  actual:   {}\n",
            self.step, self.step_summary, self.expected, self.actual
        );
        if !self.journal_tail.is_empty() {
            out.push_str("  last requests to the fake:\n");
            for line in &self.journal_tail {
                out.push_str(&format!("    {line}\n"));
            }
        }
        out
    }
}

/// A participant of the sequence diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    /// The scenario runner (steps that drive the fake's control surface: joins, admissions, clock).
    Runner,
    /// The zoom-connector.
    Connector,
    /// The scribe bot.
    Bot,
    /// Fake Zoom (or real Zoom in live mode).
    Zoom,
    /// The alert sink (Slack in production).
    AlertSink,
}

impl Lane {
    /// All lanes, left to right in the diagram.
    pub const ALL: [Lane; 5] = [
        Lane::Runner,
        Lane::Connector,
        Lane::Bot,
        Lane::Zoom,
        Lane::AlertSink,
    ];

    /// Display name.
    pub fn title(self) -> &'static str {
        match self {
            Lane::Runner => "runner",
            Lane::Connector => "connector",
            Lane::Bot => "scribe bot",
            Lane::Zoom => "Zoom (fake)",
            Lane::AlertSink => "alert sink",
        }
    }
}

/// One message of the sequence diagram.
#[derive(Debug, Clone, Serialize)]
pub struct Exchange {
    /// The step that caused it.
    pub step: usize,
    /// Sender.
    pub from: Lane,
    /// Receiver.
    pub to: Lane,
    /// What was sent (`POST /v2/users/owner/meetings`, an alert's text, ...).
    pub label: String,
    /// The answer (`201`, `400 code 124`, ...), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// True when the answer was an error.
    pub is_error: bool,
}

fn millis<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}
