//! Update Meeting Settings (`PATCH /meetings/{meetingId}`, 204).
//!
//! Every field is an absolute value, so re-sending the PATCH has the effect of sending it once:
//! it is retried like any idempotent request.

use reqwest::Method;

use crate::ZoomConnector;
use crate::api::meetings::MeetingRequest;
use crate::api::{MeetingSettings, StartTime};
use crate::client::Call;
use crate::error::ConnectorError;
use crate::scopes::{Action, MEETING_UPDATE_ADMIN, MEETING_WRITE_UPDATE, ScopeRequirement};

/// The seed's row: `meeting:write`, `meeting:update:admin` (Zoom: `meeting:write:admin`).
pub const SCOPES: &[ScopeRequirement] = &[MEETING_WRITE_UPDATE, MEETING_UPDATE_ADMIN];

/// What to change; fields left `None` stay as they are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateMeeting {
    /// New topic.
    pub topic: Option<String>,
    /// New agenda.
    pub agenda: Option<String>,
    /// New duration in minutes.
    pub duration: Option<u32>,
    /// New start.
    pub start_time: Option<StartTime>,
    /// New time zone.
    pub timezone: Option<String>,
    /// New passcode.
    pub passcode: Option<String>,
    /// Settings to change (unset fields stay).
    pub settings: MeetingSettings,
}

impl UpdateMeeting {
    pub(crate) fn to_request(&self) -> Result<MeetingRequest, ConnectorError> {
        if *self == UpdateMeeting::default() {
            return Err(ConnectorError::InvalidInput {
                field: "update",
                message: "nothing to change".into(),
            });
        }
        if let Some(topic) = &self.topic {
            super::check_topic(topic)?;
        }
        super::check_agenda(self.agenda.as_deref())?;
        super::check_duration(self.duration)?;
        super::check_passcode(self.passcode.as_deref())?;
        super::check_start(self.start_time.as_ref(), self.timezone.as_deref())?;
        super::check_settings(&self.settings)?;
        Ok(MeetingRequest {
            topic: self.topic.clone(),
            meeting_type: None,
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
    /// Change a meeting's settings (and, if given, topic, agenda, time, passcode).
    pub async fn update_meeting_settings(
        &self,
        meeting_id: u64,
        input: UpdateMeeting,
    ) -> Result<(), ConnectorError> {
        let request = input.to_request()?;
        self.patch_meeting(meeting_id, Action::UpdateMeetingSettings, &request)
            .await
    }

    pub(crate) async fn patch_meeting(
        &self,
        meeting_id: u64,
        action: Action,
        request: &MeetingRequest,
    ) -> Result<(), ConnectorError> {
        let call = Call::new(
            Method::PATCH,
            "PATCH /meetings/{meetingId}",
            Some(action),
            ["meetings".to_string(), meeting_id.to_string()],
        )
        .json(request)?;
        self.call_empty(call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_update_is_refused() {
        assert!(UpdateMeeting::default().to_request().is_err());
        let update = UpdateMeeting {
            settings: MeetingSettings {
                waiting_room: Some(false),
                ..Default::default()
            },
            ..Default::default()
        };
        let body = serde_json::to_value(update.to_request().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"settings": {"waiting_room": false}})
        );
    }
}
