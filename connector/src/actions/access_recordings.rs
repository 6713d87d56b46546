//! Access Recordings: a meeting's cloud recordings (`GET /meetings/{meetingId}/recordings`) and
//! a user's (`GET /users/{userId}/recordings`, every page).

use reqwest::Method;
use time::Date;
use time::macros::format_description;

use crate::ZoomConnector;
use crate::api::meeting_uuid_segment;
use crate::api::{MeetingRecordings, UserRecordings};
use crate::client::Call;
use crate::connector::non_empty;
use crate::error::ConnectorError;
use crate::scopes::{Action, CLOUD_RECORDING_READ, RECORDING_READ, ScopeRequirement};

/// The seed's row: `recording:read`, `cloud_recording:read`.
pub const SCOPES: &[ScopeRequirement] = &[RECORDING_READ, CLOUD_RECORDING_READ];

const MAX_PAGES: usize = 100;

/// A date range for a user's recordings (Zoom allows at most one month per request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordingRange {
    /// First day (UTC).
    pub from: Date,
    /// Last day (UTC).
    pub to: Date,
}

impl ZoomConnector {
    /// The recordings of a meeting: its number (latest instance) or an instance UUID.
    pub async fn meeting_recordings(
        &self,
        meeting: &str,
    ) -> Result<MeetingRecordings, ConnectorError> {
        non_empty("meeting", meeting)?;
        let call = Call::new(
            Method::GET,
            "GET /meetings/{meetingId}/recordings",
            Some(Action::AccessRecordings),
            [
                "meetings".to_string(),
                meeting_uuid_segment(meeting),
                "recordings".to_string(),
            ],
        );
        self.call_json(call).await
    }

    /// Every meeting with cloud recordings that `user_id` hosted in `range`.
    pub async fn user_recordings(
        &self,
        user_id: &str,
        range: RecordingRange,
    ) -> Result<Vec<MeetingRecordings>, ConnectorError> {
        non_empty("user_id", user_id)?;
        if range.to < range.from {
            return Err(ConnectorError::InvalidInput {
                field: "range",
                message: format!("to ({}) is before from ({})", range.to, range.from),
            });
        }
        if (range.to - range.from).whole_days() > 31 {
            return Err(ConnectorError::InvalidInput {
                field: "range",
                message: "Zoom lists at most one month of recordings per request".into(),
            });
        }
        let day = format_description!("[year]-[month]-[day]");
        let from = range.from.format(&day).unwrap_or_default();
        let to = range.to.format(&day).unwrap_or_default();
        let mut all = Vec::new();
        let mut page_token = String::new();
        for _ in 0..MAX_PAGES {
            let mut call = Call::new(
                Method::GET,
                "GET /users/{userId}/recordings",
                Some(Action::AccessRecordings),
                ["users", user_id, "recordings"],
            )
            .query("from", from.clone())
            .query("to", to.clone())
            .query("page_size", "300");
            if !page_token.is_empty() {
                call = call.query("next_page_token", page_token.clone());
            }
            let page: UserRecordings = self.call_json(call).await?;
            all.extend(page.meetings);
            match page.next_page_token {
                Some(token) if !token.is_empty() => page_token = token,
                _ => return Ok(all),
            }
        }
        Err(ConnectorError::Decode {
            operation: "GET /users/{userId}/recordings",
            message: format!("more than {MAX_PAGES} pages"),
        })
    }
}
