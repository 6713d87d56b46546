//! Running scenarios: each against its own embedded fake (or real Zoom with `--live`),
//! isolated, in parallel up to the number of cores, on the fake's virtual clock.
//!
//! * [`select`]: `--filter` and `--partition`.
//! * [`setup`]: the fake's account and the connector's credentials for a scenario's setup.
//! * [`world`]: one scenario's world (fake, connector, bot, alert sink, incident) and its setup.
//! * [`steps`]: the step executors.
//! * [`expect`]: checking expectations, and the failure text (expected, actual, journal tail).
//! * [`slack_capture`]: a stand-in Slack incoming webhook for `alerts: {sink: slack}`.
//! * [`progress`]: a progress bar on a terminal, plain lines in CI.

pub mod control;
pub mod expect;
pub mod live;
pub mod progress;
pub mod select;
pub mod setup;
pub mod slack_capture;
pub mod steps;
pub mod webhook_endpoint;
pub mod world;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::report::{Failure, RunMode, RunReport, ScenarioReport, Status};
use crate::scenario::{Scenario, ScenarioFile, load_scenario};
pub use live::LiveCredentials;
pub use progress::{Progress, ProgressStyle};
pub use select::{Partition, PartitionKind};

/// Where connector steps go.
#[derive(Debug, Clone)]
pub enum Target {
    /// An embedded fake per scenario (the default).
    Fake,
    /// Real Zoom, with credentials from the environment; fake-only steps are skipped.
    Live(Option<LiveCredentials>),
}

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Keep scenarios whose id or name contains any of these (case-insensitive); all when empty.
    pub filters: Vec<String>,
    /// Keep only this shard.
    pub partition: Option<Partition>,
    /// Scenarios run at once (default: the number of cores).
    pub jobs: usize,
    /// Fake or live.
    pub target: Target,
    /// Progress output.
    pub progress: ProgressStyle,
    /// Wall-time limit per scenario; a scenario that exceeds it fails (a step hung).
    pub scenario_timeout: Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            filters: Vec::new(),
            partition: None,
            jobs: default_jobs(),
            target: Target::Fake,
            progress: ProgressStyle::Quiet,
            scenario_timeout: Duration::from_secs(60),
        }
    }
}

/// The number of cores (at least 1).
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A scenario file, loaded or not.
#[derive(Debug)]
pub struct LoadedScenario {
    /// Where it came from.
    pub file: ScenarioFile,
    /// The scenario, or why it did not load.
    pub scenario: Result<Scenario, String>,
}

impl LoadedScenario {
    /// The scenario's name, or its id when it did not load.
    pub fn name(&self) -> String {
        match &self.scenario {
            Ok(scenario) => scenario.name.clone(),
            Err(_) => self.file.id.clone(),
        }
    }
}

/// Loads every file; files that fail to load are kept with their error, so they show up as
/// failed scenarios rather than vanishing.
pub fn load_all(files: Vec<ScenarioFile>) -> Vec<LoadedScenario> {
    files
        .into_iter()
        .map(|file| {
            let scenario = load_scenario(&file.path).map_err(|error| error.to_string());
            LoadedScenario { file, scenario }
        })
        .collect()
}

/// Applies `--filter` and `--partition`.
pub fn select_scenarios(loaded: Vec<LoadedScenario>, options: &RunOptions) -> Vec<LoadedScenario> {
    let items: Vec<(String, String)> = loaded
        .iter()
        .map(|l| (l.file.id.clone(), l.name()))
        .collect();
    let keep = select::select(&items, &options.filters, options.partition);
    loaded
        .into_iter()
        .enumerate()
        .filter(|(index, _)| keep.contains(index))
        .map(|(_, scenario)| scenario)
        .collect()
}

/// Runs the selected scenarios and returns the report (in id order).
pub async fn run(selected: Vec<LoadedScenario>, options: &RunOptions) -> RunReport {
    let started_at = time::OffsetDateTime::now_utc();
    let clock = Instant::now();
    let progress = Arc::new(Progress::new(options.progress, selected.len()));
    let permits = Arc::new(Semaphore::new(options.jobs.max(1)));
    let mut tasks = JoinSet::new();
    let total = selected.len();
    for (position, loaded) in selected.into_iter().enumerate() {
        let permits = Arc::clone(&permits);
        let progress = Arc::clone(&progress);
        let target = options.target.clone();
        let timeout = options.scenario_timeout;
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            progress.started(&loaded.file.id);
            let report = run_one(loaded, &target, timeout).await;
            progress.finished(&report);
            (position, report)
        });
    }
    let mut reports: Vec<Option<ScenarioReport>> = (0..total).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((position, report)) => reports[position] = Some(report),
            Err(error) => {
                // A panic in the runner itself; the scenario it belonged to stays `None`
                // and is reported below.
                tracing::error!("a scenario task ended abnormally: {error}");
            }
        }
    }
    progress.done();
    let scenarios = reports
        .into_iter()
        .enumerate()
        .map(|(position, report)| {
            report.unwrap_or_else(|| {
                broken_report(
                    format!("#{position}"),
                    "the runner's task for this scenario ended abnormally (a bug in zoom-harness)",
                )
            })
        })
        .collect();
    RunReport {
        mode: match options.target {
            Target::Fake => RunMode::Fake,
            Target::Live(_) => RunMode::Live,
        },
        started_at,
        duration: clock.elapsed(),
        scenarios,
    }
}

async fn run_one(loaded: LoadedScenario, target: &Target, timeout: Duration) -> ScenarioReport {
    let scenario = match loaded.scenario {
        Ok(scenario) => scenario,
        Err(error) => return broken_report(loaded.file.id, &error),
    };
    let id = loaded.file.id.clone();
    let started = Instant::now();
    let execution = world::execute(&id, &scenario, target);
    match tokio::time::timeout(timeout, execution).await {
        Ok(report) => report,
        Err(_) => {
            let mut report = broken_report(
                id,
                &format!(
                    "the scenario did not finish within {}s of wall time (a step hung)",
                    timeout.as_secs()
                ),
            );
            report.name = scenario.name.clone();
            report.covers = scenario.covered_rules();
            report.duration = started.elapsed();
            report
        }
    }
}

/// A failed report for a scenario that could not run at all (load error, timeout).
fn broken_report(id: String, reason: &str) -> ScenarioReport {
    ScenarioReport {
        name: id.clone(),
        id,
        covers: Vec::new(),
        status: Status::Failed,
        skip_reason: None,
        duration: Duration::ZERO,
        steps: Vec::new(),
        failure: Some(Failure {
            step: 0,
            step_summary: "load and set up the scenario".into(),
            expected: "a scenario that loads and runs".into(),
            actual: reason.to_string(),
            journal_tail: Vec::new(),
        }),
        exchanges: Vec::new(),
    }
}
