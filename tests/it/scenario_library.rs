//! The whole scenario library passes against the embedded fake, as the README's main command
//! (`zoom-harness run scenarios/`) runs it; a failure prints each failing scenario's step,
//! expected against actual, and the journal tail.

use std::path::PathBuf;

use zoom_harness::report::Status;
use zoom_harness::rules::Coverage;
use zoom_harness::runner::{self, RunOptions};
use zoom_harness::scenario::discover;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_library_scenario_passes_and_every_rule_is_covered() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let loaded = runner::load_all(discover(&[root]).unwrap());
    let named: Vec<(String, Vec<String>)> = loaded
        .iter()
        .filter_map(|l| {
            l.scenario
                .as_ref()
                .ok()
                .map(|s| (l.file.id.clone(), s.covered_rules()))
        })
        .collect();
    let coverage = Coverage::compute(named.iter().map(|(id, ids)| (id.as_str(), ids.as_slice())));
    assert!(
        coverage.uncovered().is_empty(),
        "uncovered rules: {:?}",
        coverage.uncovered()
    );

    let report = runner::run(loaded, &RunOptions::default()).await;
    let failures: Vec<String> = report
        .scenarios
        .iter()
        .filter(|s| s.status != Status::Passed)
        .map(|s| {
            format!(
                "{} ({:?}): {}",
                s.id,
                s.status,
                s.failure.as_ref().map(|f| f.render()).unwrap_or_default()
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        report.scenarios.len() >= 50,
        "the library shrank: {}",
        report.scenarios.len()
    );
}
