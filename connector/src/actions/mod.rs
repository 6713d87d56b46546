//! The runbook actions, one file each. Every file declares `SCOPES` (its requirements, from the
//! mapping in `crate::scopes`) and adds its methods to [`ZoomConnector`](crate::ZoomConnector).
//! Inputs are plain strings: templates are rendered by the runbook layer before an action runs.
//!
//! Inputs are checked before anything is sent, against Zoom's documented limits, so that a bad
//! runbook field fails with a message naming the field rather than an opaque Zoom code 300.

pub mod access_recordings;
pub mod create_meeting;
pub mod create_webinar;
pub mod delete_meeting;
pub mod end_meeting;
pub mod get_zak;
pub mod manage_participants;
pub mod schedule_recurring_meeting;
pub mod update_meeting_settings;

use crate::api::{MeetingSettings, StartTime};
use crate::error::ConnectorError;

fn invalid(field: &'static str, message: impl Into<String>) -> ConnectorError {
    ConnectorError::InvalidInput {
        field,
        message: message.into(),
    }
}

/// Topic: required, at most 200 characters (Zoom's limit).
pub(crate) fn check_topic(topic: &str) -> Result<(), ConnectorError> {
    if topic.trim().is_empty() {
        return Err(invalid("topic", "must not be empty"));
    }
    let len = topic.chars().count();
    if len > 200 {
        return Err(invalid(
            "topic",
            format!("is {len} characters; Zoom allows 200"),
        ));
    }
    Ok(())
}

/// Agenda: at most 2000 characters.
pub(crate) fn check_agenda(agenda: Option<&str>) -> Result<(), ConnectorError> {
    if let Some(agenda) = agenda {
        let len = agenda.chars().count();
        if len > 2000 {
            return Err(invalid(
                "agenda",
                format!("is {len} characters; Zoom allows 2000"),
            ));
        }
    }
    Ok(())
}

/// Duration: 1 to 1440 minutes.
pub(crate) fn check_duration(duration: Option<u32>) -> Result<(), ConnectorError> {
    match duration {
        Some(d) if !(1..=1440).contains(&d) => Err(invalid(
            "duration",
            format!("is {d} minutes; Zoom allows 1 to 1440"),
        )),
        _ => Ok(()),
    }
}

/// Passcode: 1 to 10 characters from Zoom's set `[a-z A-Z 0-9 @ - _ *]` (Zoom's own
/// validation message names that set; account passcode rules on top are Zoom's to enforce).
pub(crate) fn check_passcode(passcode: Option<&str>) -> Result<(), ConnectorError> {
    if let Some(p) = passcode {
        if p.is_empty() || p.chars().count() > 10 {
            return Err(invalid("passcode", "must be 1 to 10 characters"));
        }
        if !p
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '-' | '_' | '*'))
        {
            return Err(invalid(
                "passcode",
                "may only contain the characters [a-z A-Z 0-9 @ - _ *]",
            ));
        }
    }
    Ok(())
}

/// A local (offset-less) start time only means something with a time zone.
pub(crate) fn check_start(
    start: Option<&StartTime>,
    timezone: Option<&str>,
) -> Result<(), ConnectorError> {
    if matches!(start, Some(StartTime::Local(_))) && timezone.is_none_or(|tz| tz.trim().is_empty())
    {
        return Err(invalid(
            "start_time",
            "a local start time needs a timezone (e.g. Europe/Berlin), or give an offset",
        ));
    }
    Ok(())
}

/// Settings Zoom would silently override are refused instead.
pub(crate) fn check_settings(settings: &MeetingSettings) -> Result<(), ConnectorError> {
    if settings.join_before_host == Some(true) && settings.waiting_room == Some(true) {
        return Err(invalid(
            "settings",
            "join before host cannot be on with the waiting room on (Zoom turns join before \
             host off when the waiting room is enabled)",
        ));
    }
    if let Some(jbh) = settings.jbh_time
        && ![0, 5, 10, 15].contains(&jbh)
    {
        return Err(invalid(
            "settings.jbh_time",
            "must be 0, 5, 10 or 15 minutes",
        ));
    }
    if let Some(invitees) = &settings.meeting_invitees {
        for invitee in invitees {
            check_email("settings.meeting_invitees", &invitee.email)?;
        }
    }
    Ok(())
}

/// A plausible email address (Zoom checks the rest).
pub(crate) fn check_email(field: &'static str, email: &str) -> Result<(), ConnectorError> {
    let trimmed = email.trim();
    match trimmed.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !trimmed.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(invalid(field, format!("{email:?} is not an email address"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked() {
        assert!(check_topic("A & B").is_ok());
        assert!(check_topic("  ").is_err());
        assert!(check_topic(&"x".repeat(201)).is_err());
        assert!(check_agenda(Some(&"x".repeat(2001))).is_err());
        assert!(check_duration(Some(0)).is_err());
        assert!(check_duration(Some(1441)).is_err());
        assert!(check_duration(Some(60)).is_ok());
        assert!(check_passcode(Some("abc@-_*123")).is_ok());
        assert!(check_passcode(Some("abc!")).is_err());
        assert!(check_passcode(Some("12345678901")).is_err());
        assert!(check_passcode(Some("a b")).is_err());
        assert!(check_email("e", "a@example.com").is_ok());
        assert!(check_email("e", "nobody").is_err());
    }

    #[test]
    fn conflicting_settings_are_refused() {
        let settings = MeetingSettings {
            join_before_host: Some(true),
            waiting_room: Some(true),
            ..Default::default()
        };
        let err = check_settings(&settings).unwrap_err();
        assert!(err.to_string().contains("waiting room"), "{err}");
    }
}
