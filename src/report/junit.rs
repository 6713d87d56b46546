//! JUnit XML: one `<testsuite>` per scenario topic (the first directory of the id), one
//! `<testcase>` per scenario, the failure's text (step, expected, actual, journal tail) in it.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{RunReport, Status};

/// Renders the run as JUnit XML.
pub fn render(report: &RunReport) -> Result<String, quick_junit::SerializeError> {
    let mut junit = Report::new("zoom-harness");
    junit.set_time(report.duration);
    let mut suites: BTreeMap<String, TestSuite> = BTreeMap::new();
    for scenario in &report.scenarios {
        let topic = scenario
            .id
            .split_once('/')
            .map_or("scenarios", |(topic, _)| topic)
            .to_string();
        let mut status = match scenario.status {
            Status::Passed => TestCaseStatus::success(),
            Status::Failed => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                if let Some(failure) = &scenario.failure {
                    status.set_message(format!(
                        "step {}: expected {}",
                        failure.step, failure.expected
                    ));
                    status.set_description(failure.render());
                }
                status
            }
            Status::Skipped => TestCaseStatus::skipped(),
        };
        if let (Status::Skipped, Some(reason)) = (scenario.status, &scenario.skip_reason) {
            status.set_message(reason.clone());
        }
        let mut case = TestCase::new(scenario.id.clone(), status);
        case.set_classname(format!("{topic}: {}", scenario.name));
        case.set_time(scenario.duration);
        case.add_property(("covers", scenario.covers.join(",").as_str()));
        suites
            .entry(topic.clone())
            .or_insert_with(|| TestSuite::new(topic))
            .add_test_case(case);
    }
    for (_, mut suite) in suites {
        let time = report
            .scenarios
            .iter()
            .filter(|s| s.id.split_once('/').map_or("scenarios", |(t, _)| t) == suite.name.as_str())
            .map(|s| s.duration)
            .sum();
        suite.set_time(time);
        junit.add_test_suite(suite);
    }
    junit.to_string()
}
