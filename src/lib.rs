//! zoom-harness: scenario files, the runner, reports and the CLI that pair the real Zoom
//! connector (`zoom-connector`) with the stateful fake Zoom (`fake-zoom`).
//!
//! The parts:
//! * [`rules`]: the behaviour catalogue of `DESIGN.md` (rule ids such as `BOT-2`) and coverage.
//! * [`scenario`]: the scenario file format and its loader (errors with line and column).
//! * [`report`]: what a run produced, rendered as JUnit XML, JSON and HTML.
//!
//! The connector and the fake never depend on each other; they meet here, over HTTP in Zoom's
//! wire format.

pub mod connector_cli;
pub mod report;
pub mod rules;
pub mod scenario;
