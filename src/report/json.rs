//! JSON: the [`RunReport`] as it is, for dashboards and scripts.

use super::RunReport;

/// Renders the run as pretty-printed JSON.
pub fn render(report: &RunReport) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report)
}
