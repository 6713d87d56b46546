//! End Meeting (`PUT /meetings/{meetingId}/status` `{"action": "end"}`, 204).

use reqwest::Method;

use crate::ZoomConnector;
use crate::client::Call;
use crate::error::ConnectorError;
use crate::scopes::{Action, MEETING_WRITE_ADMIN_END, ScopeRequirement};

/// The seed's row: `meeting:write:admin` (bridges are usually hosted by another user).
pub const SCOPES: &[ScopeRequirement] = &[MEETING_WRITE_ADMIN_END];

impl ZoomConnector {
    /// End a running meeting for everyone in it.
    pub async fn end_meeting(&self, meeting_id: u64) -> Result<(), ConnectorError> {
        let call = Call::new(
            Method::PUT,
            "PUT /meetings/{meetingId}/status",
            Some(Action::EndMeeting),
            [
                "meetings".to_string(),
                meeting_id.to_string(),
                "status".to_string(),
            ],
        )
        .json(&serde_json::json!({"action": "end"}))?;
        self.call_empty(call).await
    }
}
