//! zoom-harness: scenario files, the runner, reports and the CLI that pair the real Zoom
//! connector (`zoom-connector`) with the stateful fake Zoom (`fake-zoom`).
//!
//! The parts:
//! * [`rules`]: the behaviour catalogue of `DESIGN.md` (rule ids such as `BOT-2`) and coverage.
//! * [`scenario`]: the scenario file format and its loader (errors with line and column).
//! * [`runner`]: runs scenarios, each against its own embedded fake (or real Zoom with
//!   `--live`), in parallel, on the virtual clock; checks expectations.
//! * [`report`]: what a run produced, rendered as JUnit XML, JSON and HTML.
//! * [`repro`]: a scenario's state on a fake that keeps serving, for a developer's own client.
//! * `connector_cli`: the `zoom-harness connector ...` subcommands (owned by the connector).
//!
//! The connector and the fake never depend on each other; they meet here, over HTTP in Zoom's
//! wire format.

pub mod connector_cli;
pub mod fake_room_joiner;
pub mod report;
pub mod repro;
pub mod rules;
pub mod runner;
pub mod scenario;
