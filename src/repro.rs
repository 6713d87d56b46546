//! `zoom-harness repro SCENARIO [--until STEP]`: run a scenario's steps on a fake that keeps
//! serving afterwards, and print its URLs and the app's credentials, so that a developer can
//! point any Zoom client at exactly that state.

use std::path::Path;
use std::time::Duration;

use crate::report::{ScenarioReport, Status};
use crate::runner::world::{
    ACCOUNT_ID, API_KEY, API_SECRET, S2S_CLIENT_ID, S2S_CLIENT_SECRET, World, run_steps,
};
use crate::scenario::{Scenario, load_scenario};

/// Why `repro` could not set the state up.
#[derive(Debug, thiserror::Error)]
pub enum ReproError {
    /// The scenario file did not load.
    #[error(transparent)]
    Load(#[from] crate::scenario::ScenarioError),
    /// `--until` names no step.
    #[error("--until {0}: no step has that number or label (the scenario has {1} steps)")]
    UnknownStep(String, usize),
    /// The fake or the connector did not start.
    #[error("{0}")]
    Setup(String),
}

/// The number of steps to run for `--until` (a 1-based number or a label); all without it.
pub fn steps_until(scenario: &Scenario, until: Option<&str>) -> Result<usize, ReproError> {
    let count = scenario.steps.len();
    let Some(until) = until else {
        return Ok(count);
    };
    if let Some(index) = scenario
        .steps
        .iter()
        .position(|step| step.label.as_deref() == Some(until))
    {
        return Ok(index + 1);
    }
    match until.parse::<usize>() {
        Ok(number) if (1..=count).contains(&number) => Ok(number),
        _ => Err(ReproError::UnknownStep(until.to_string(), count)),
    }
}

/// What a developer needs to point a client at the fake.
pub fn connection_text(world: &World) -> String {
    let base = world.fake.base_url();
    let mut text = format!(
        "fake Zoom is serving at {base}\n\
         \x20 API base URL     {api}\n\
         \x20 OAuth token URL  {oauth}\n\
         \x20 control API      {base}/_fake/ (state, clock, journal, meetings/{{id}}/participants ...)\n\
         \x20 account id       {ACCOUNT_ID}\n\
         \x20 Server-to-Server OAuth app: client id {S2S_CLIENT_ID}, client secret {S2S_CLIENT_SECRET}\n\
         \x20 API Key/Secret app:         api key {API_KEY}, api secret {API_SECRET}\n\
         \x20 the connector was using: {auth}\n",
        api = world.fake.api_base_url(),
        oauth = world.fake.oauth_token_url(),
        auth = world.auth,
    );
    for (alias, (id, host)) in &world.meetings {
        text.push_str(&format!("  meeting `{alias}`: {id} (host {host})\n"));
    }
    for (alias, (meeting, participant)) in &world.participants {
        text.push_str(&format!(
            "  participant `{alias}`: {participant} in meeting {meeting}\n"
        ));
    }
    if let Some((meeting, participant)) = &world.bot_participant {
        text.push_str(&format!(
            "  participant `bot`: {participant} in meeting {meeting}\n"
        ));
    }
    text.push_str(&format!(
        "example:\n  curl -s -X POST -u {S2S_CLIENT_ID}:{S2S_CLIENT_SECRET} '{}?grant_type=account_credentials&account_id={ACCOUNT_ID}'\n",
        world.fake.oauth_token_url()
    ));
    text
}

/// Runs the scenario up to `until` on a fake bound to 127.0.0.1:`port`, prints the steps and the
/// connection details, and serves until Ctrl-C.
pub async fn run(path: &Path, until: Option<&str>, port: u16) -> Result<(), ReproError> {
    let scenario = load_scenario(path)?;
    let count = steps_until(&scenario, until)?;
    let mut world = World::start_on(&scenario.setup, port)
        .await
        .map_err(ReproError::Setup)?;
    let mut report = ScenarioReport {
        id: path.display().to_string(),
        name: scenario.name.clone(),
        covers: scenario.covered_rules(),
        status: Status::Passed,
        skip_reason: None,
        duration: Duration::ZERO,
        steps: Vec::new(),
        failure: None,
        exchanges: Vec::new(),
    };
    run_steps(&mut world, &scenario, count, &mut report).await;
    println!(
        "{}: ran {count} of {} steps",
        scenario.name,
        scenario.steps.len()
    );
    for step in &report.steps {
        let status = match step.status {
            Status::Passed => "ok  ",
            Status::Failed => "FAIL",
            Status::Skipped => "skip",
        };
        println!("  {:>2}. {status} {}", step.number, step.summary);
    }
    if let Some(failure) = &report.failure {
        print!(
            "the scenario failed here (the state is kept as it is):\n{}",
            failure.render()
        );
    }
    println!();
    print!("{}", connection_text(&world));
    println!("serving until Ctrl-C");
    let _ = tokio::signal::ctrl_c().await;
    world.fake.shutdown().await;
    Ok(())
}
