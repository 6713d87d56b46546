//! The root package's one integration-test binary: a module per topic (alphabetical).
//! Owners: `fake_*`/`live_*` the fake, `connector_*` the connector, `template_*`/`bot_*`/
//! `runbook_*`/`webhook_receiver` the bot and runbooks, `scenario_*`/`report_*`/`rules_*` the runner.

mod bot_alerts;
mod bot_env;
mod bot_join;
mod bot_properties;
mod connector_actions;
mod connector_auth;
mod connector_cli;
mod connector_connection;
mod connector_errors;
mod connector_recordings;
mod connector_resilience;
mod connector_support;
mod fake_auth;
mod fake_control;
mod fake_meetings;
mod fake_robustness;
mod fake_routes;
mod fake_schema;
mod fake_serve;
mod fake_snapshots;
mod fake_support;
mod live_attendance;
mod live_properties;
mod live_races;
mod live_recordings;
mod live_rooms;
mod live_schema;
mod live_scopes;
mod live_support;
mod live_webhooks;
mod report_snapshots;
mod rules_catalogue;
mod runbook_execution;
mod runbook_scribe;
mod scenario_library;
mod scenario_parse;
mod scenario_runner;
mod template_properties;
mod template_spec;
mod webhook_receiver;
