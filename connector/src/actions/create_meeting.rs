//! Create Meeting: the incident bridge (`POST /users/{userId}/meetings`, type 2).
//!
//! Never retried when its outcome is unknown: see `crate::client` for why and how.

use reqwest::Method;

use crate::ZoomConnector;
use crate::api::meetings::MeetingRequest;
use crate::api::{Meeting, MeetingSettings, StartTime};
use crate::client::Call;
use crate::connector::non_empty;
use crate::error::ConnectorError;
use crate::scopes::{Action, MEETING_WRITE_CREATE, ScopeRequirement, USER_READ};

/// The seed's row: `meeting:write`, `user:read`.
pub const SCOPES: &[ScopeRequirement] = &[MEETING_WRITE_CREATE, USER_READ];

/// What to create. Topic and agenda are plain text (already rendered): "A & B" stays "A & B".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateMeeting {
    /// Topic (required, ≤ 200 characters).
    pub topic: String,
    /// Agenda (≤ 2000 characters).
    pub agenda: Option<String>,
    /// Duration in minutes (1–1440; Zoom's default 60).
    pub duration: Option<u32>,
    /// Start (absent: now).
    pub start_time: Option<StartTime>,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub timezone: Option<String>,
    /// Passcode (≤ 10 characters; absent: Zoom generates one if the account requires it).
    pub passcode: Option<String>,
    /// Join before host, waiting room, auto-recording (cloud / local / none), and more.
    pub settings: MeetingSettings,
}

impl CreateMeeting {
    /// A meeting with this topic and Zoom's defaults for the rest.
    pub fn new(topic: impl Into<String>) -> Self {
        CreateMeeting {
            topic: topic.into(),
            ..Default::default()
        }
    }

    pub(crate) fn to_request(&self, meeting_type: u8) -> Result<MeetingRequest, ConnectorError> {
        super::check_topic(&self.topic)?;
        super::check_agenda(self.agenda.as_deref())?;
        super::check_duration(self.duration)?;
        super::check_passcode(self.passcode.as_deref())?;
        super::check_start(self.start_time.as_ref(), self.timezone.as_deref())?;
        super::check_settings(&self.settings)?;
        Ok(MeetingRequest {
            topic: Some(self.topic.clone()),
            meeting_type: Some(meeting_type),
            start_time: self.start_time,
            duration: self.duration,
            timezone: self.timezone.clone(),
            agenda: self.agenda.clone(),
            password: self.passcode.clone(),
            settings: (self.settings != MeetingSettings::default()).then(|| self.settings.clone()),
            recurrence: None,
        })
    }
}

impl ZoomConnector {
    /// Create a scheduled meeting hosted by `host` (user id, email, or `me` for user-level apps).
    pub async fn create_meeting(
        &self,
        host: &str,
        input: CreateMeeting,
    ) -> Result<Meeting, ConnectorError> {
        non_empty("host", host)?;
        let request = input.to_request(2)?;
        self.post_meeting(host, Action::CreateMeeting, &request)
            .await
    }

    pub(crate) async fn post_meeting(
        &self,
        host: &str,
        action: Action,
        request: &MeetingRequest,
    ) -> Result<Meeting, ConnectorError> {
        let call = Call::new(
            Method::POST,
            "POST /users/{userId}/meetings",
            Some(action),
            ["users", host, "meetings"],
        )
        .json(request)?;
        self.call_json(call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::AutoRecording;

    #[test]
    fn request_carries_only_what_is_set() {
        let mut input = CreateMeeting::new("A & B");
        input.duration = Some(30);
        input.settings.waiting_room = Some(true);
        input.settings.auto_recording = Some(AutoRecording::Cloud);
        let body = serde_json::to_value(input.to_request(2).unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "topic": "A & B", "type": 2, "duration": 30,
                "settings": {"waiting_room": true, "auto_recording": "cloud"}
            })
        );
    }

    #[test]
    fn local_start_needs_a_timezone() {
        let mut input = CreateMeeting::new("t");
        input.start_time = Some(StartTime::parse("2026-12-05T10:00:00").unwrap());
        assert!(input.to_request(2).is_err());
        input.timezone = Some("Europe/Berlin".into());
        let body = serde_json::to_value(input.to_request(2).unwrap()).unwrap();
        assert_eq!(body["start_time"], "2026-12-05T10:00:00");
    }
}
