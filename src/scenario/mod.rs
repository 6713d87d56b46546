//! Scenario files: the format ([`model`]), loading with positioned errors ([`parse`]),
//! durations ([`duration`]).

pub mod duration;
pub mod model;
pub mod parse;

pub use model::{Action, Expect, Scenario, Setup, Step};
pub use parse::{ScenarioError, ScenarioFile, discover, load_scenario, parse_scenario};
