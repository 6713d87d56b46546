//! Loading scenario files: YAML parsing with line and column in every error, then the checks
//! serde cannot do (known rule ids, scopes only for OAuth apps, meetings and participants named
//! before they are used).

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::IgnoredAny;
use serde_saphyr::Spanned;

use super::model::{Action, AuthMode, Scenario};
use crate::rules;

/// A scenario file that cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{path}: cannot read: {error}")]
    Io {
        /// The file or directory.
        path: String,
        /// Why (shown in the message, so not chained as a source).
        error: std::io::Error,
    },
    /// The YAML does not describe a scenario.
    #[error("{path}:{}{message}", position(line, column))]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line, when known.
        line: Option<u64>,
        /// 1-based column, when known.
        column: Option<u64>,
        /// What is wrong and what was expected there (with the YAML snippet when the parser has one).
        message: String,
    },
}

fn position(line: &Option<u64>, column: &Option<u64>) -> PositionText {
    PositionText(*line, *column)
}

struct PositionText(Option<u64>, Option<u64>);

impl fmt::Display for PositionText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(line), Some(column)) => write!(f, "{line}:{column}: "),
            (Some(line), None) => write!(f, "{line}: "),
            _ => f.write_str(" "),
        }
    }
}

impl ScenarioError {
    /// The 1-based line and column the error points at, when known.
    pub fn line_column(&self) -> Option<(u64, u64)> {
        match self {
            ScenarioError::Invalid {
                line: Some(line),
                column: Some(column),
                ..
            } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// Parses a scenario from YAML text; `origin` names it in errors (usually the file path).
pub fn parse_scenario(source: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    let scenario: Scenario = serde_saphyr::from_str(source).map_err(|error| {
        let location = error.location();
        ScenarioError::Invalid {
            path: origin.to_string(),
            line: location.map(|l| l.line()),
            column: location.map(|l| l.column()),
            message: tidy_message(&error.to_string(), origin),
        }
    })?;
    validate(&scenario, &step_positions(source), origin)?;
    Ok(scenario)
}

/// Where each step starts, for the checks made after parsing (a second, lenient pass over the
/// same text: the first already accepted it).
fn step_positions(source: &str) -> Vec<(u64, u64)> {
    #[derive(serde::Deserialize)]
    struct Steps {
        #[serde(default)]
        steps: Vec<Spanned<IgnoredAny>>,
    }
    serde_saphyr::from_str::<Steps>(source)
        .map(|parsed| {
            parsed
                .steps
                .iter()
                .map(|step| (step.referenced.line(), step.referenced.column()))
                .collect()
        })
        .unwrap_or_default()
}

/// serde-saphyr's text repeats the position ("error: line 4 column 9: ...") and calls the source
/// `<input>`; the position is already in front, and the snippet should name the file.
fn tidy_message(text: &str, origin: &str) -> String {
    let text = text.strip_prefix("error: ").unwrap_or(text);
    let text = match text.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(text, |(_, message)| message),
        None => text,
    };
    text.replace("--> <input>:", &format!("--> {origin}:"))
}

/// Reads and parses one scenario file.
pub fn load_scenario(path: &Path) -> Result<Scenario, ScenarioError> {
    let origin = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|error| ScenarioError::Io {
        path: origin.clone(),
        error,
    })?;
    parse_scenario(&source, &origin)
}

fn invalid(origin: &str, message: String) -> ScenarioError {
    ScenarioError::Invalid {
        path: origin.to_string(),
        line: None,
        column: None,
        message,
    }
}

fn validate(
    scenario: &Scenario,
    positions: &[(u64, u64)],
    origin: &str,
) -> Result<(), ScenarioError> {
    if scenario.covers.is_empty() {
        return Err(invalid(
            origin,
            "`covers` is empty: name at least one rule id from DESIGN.md (run `zoom-harness rules` for the list)".into(),
        ));
    }
    for id in &scenario.covers {
        if rules::rule(&id.value).is_none() {
            let known: Vec<&str> = rules::CATALOGUE.iter().map(|rule| rule.id).collect();
            return Err(ScenarioError::Invalid {
                path: origin.to_string(),
                line: Some(id.referenced.line()),
                column: Some(id.referenced.column()),
                message: format!(
                    "unknown rule id `{}` in `covers`, expected one of {}",
                    id.value,
                    known.join(", ")
                ),
            });
        }
    }
    if scenario.setup.auth == AuthMode::ApiKey && scenario.setup.scopes.is_some() {
        return Err(invalid(
            origin,
            "`setup.scopes` with `auth: api_key`: API Key/Secret (JWT) apps have no scopes; remove `scopes`".into(),
        ));
    }
    if scenario.steps.is_empty() {
        return Err(invalid(
            origin,
            "`steps` is empty: a scenario needs at least one step".into(),
        ));
    }
    check_names(scenario, positions, origin)
}

/// Meetings and participants must be named (`as:`) by an earlier step before a step uses them.
fn check_names(
    scenario: &Scenario,
    positions: &[(u64, u64)],
    origin: &str,
) -> Result<(), ScenarioError> {
    let mut meetings: BTreeSet<String> = BTreeSet::new();
    let mut participants: BTreeSet<String> = BTreeSet::from(["bot".to_string()]);
    let mut labels: BTreeSet<String> = BTreeSet::new();
    for (index, step) in scenario.steps.iter().enumerate() {
        let number = index + 1;
        let position = positions.get(index).copied();
        let invalid = |origin: &str, message: String| ScenarioError::Invalid {
            path: origin.to_string(),
            line: position.map(|p| p.0),
            column: position.map(|p| p.1),
            message,
        };
        if let Some(label) = &step.label
            && !labels.insert(label.clone())
        {
            return Err(invalid(
                origin,
                format!("step {number}: the label `{label}` is used twice"),
            ));
        }
        let unknown_meeting = |name: &str, meetings: &BTreeSet<String>| {
            (!meetings.contains(name)).then(|| {
                invalid(
                    origin,
                    format!(
                        "step {number} ({}): no earlier step created a meeting named `{name}` (known: {})",
                        step.action.key(),
                        list(meetings)
                    ),
                )
            })
        };
        let unknown_participant = |name: &str, participants: &BTreeSet<String>| {
            (!participants.contains(name)).then(|| {
                invalid(
                    origin,
                    format!(
                        "step {number} ({}): no earlier `join` named a participant `{name}` (known: {})",
                        step.action.key(),
                        list(participants)
                    ),
                )
            })
        };
        match &step.action {
            Action::CreateMeeting(create) => {
                meetings.insert(create.alias.clone().unwrap_or_else(|| "meeting".into()));
            }
            Action::ScheduleRecurring(create) => {
                meetings.insert(create.alias.clone().unwrap_or_else(|| "meeting".into()));
            }
            Action::RunRunbook(runbook) => {
                meetings.insert(runbook.alias.clone().unwrap_or_else(|| "meeting".into()));
            }
            Action::UpdateMeeting(update) => {
                if let Some(error) = unknown_meeting(&update.meeting, &meetings) {
                    return Err(error);
                }
            }
            Action::EndMeeting(m)
            | Action::DeleteMeeting(m)
            | Action::GetMeeting(m)
            | Action::ListRecordings(m)
            | Action::HostEndsMeeting(m)
            | Action::BotJoin(m) => {
                if let Some(error) = unknown_meeting(&m.meeting, &meetings) {
                    return Err(error);
                }
            }
            Action::AddRegistrant(add) => {
                if let Some(error) = unknown_meeting(&add.meeting, &meetings) {
                    return Err(error);
                }
            }
            Action::Join(join) => {
                if let Some(error) = unknown_meeting(&join.meeting, &meetings) {
                    return Err(error);
                }
                participants.insert(join.alias.clone().unwrap_or_else(|| join.name.clone()));
            }
            Action::Admit(act)
            | Action::Deny(act)
            | Action::SendToWaitingRoom(act)
            | Action::Remove(act) => {
                for name in [&act.participant, &act.by] {
                    if let Some(error) = unknown_participant(name, &participants) {
                        return Err(error);
                    }
                }
            }
            Action::Leave(who) => {
                if let Some(error) = unknown_participant(&who.participant, &participants) {
                    return Err(error);
                }
            }
            _ => {}
        }
        if let Some(expect) = &step.expect {
            for name in expect.participants.iter().flat_map(|p| p.keys()) {
                if let Some(error) = unknown_participant(name, &participants) {
                    return Err(error);
                }
            }
            for name in expect.meetings.iter().flat_map(|m| m.keys()) {
                if let Some(error) = unknown_meeting(name, &meetings) {
                    return Err(error);
                }
            }
        }
    }
    Ok(())
}

fn list(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A scenario file found on disk, with the id used for filtering and partitioning.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScenarioFile {
    /// Stable id: the path relative to the directory given on the command line, with `/`
    /// separators (for a file given directly, its file name).
    pub id: String,
    /// The path to read.
    pub path: PathBuf,
}

/// Finds the scenario files (`*.yaml`, `*.yml`) under the given files and directories,
/// recursively, sorted by id. A path that does not exist is an error.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<ScenarioFile>, ScenarioError> {
    let mut found = Vec::new();
    for root in paths {
        let metadata = std::fs::metadata(root).map_err(|error| ScenarioError::Io {
            path: root.display().to_string(),
            error,
        })?;
        if metadata.is_file() {
            let id = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| root.display().to_string());
            found.push(ScenarioFile {
                id,
                path: root.clone(),
            });
        } else {
            walk(root, root, &mut found)?;
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<ScenarioFile>) -> Result<(), ScenarioError> {
    let entries = std::fs::read_dir(dir).map_err(|error| ScenarioError::Io {
        path: dir.display().to_string(),
        error,
    })?;
    for entry in entries {
        let entry = entry.map_err(|error| ScenarioError::Io {
            path: dir.display().to_string(),
            error,
        })?;
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, found)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let id = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            found.push(ScenarioFile { id, path });
        }
    }
    Ok(())
}
