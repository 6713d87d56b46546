//! Delete Meeting (`DELETE /meetings/{meetingId}[?occurrence_id=]`, 204).

use reqwest::Method;

use crate::ZoomConnector;
use crate::client::Call;
use crate::connector::non_empty;
use crate::error::ConnectorError;
use crate::scopes::{Action, MEETING_WRITE_DELETE, ScopeRequirement};

/// `meeting:write` (the seed's "create, update, and delete meetings").
pub const SCOPES: &[ScopeRequirement] = &[MEETING_WRITE_DELETE];

impl ZoomConnector {
    /// Delete a meeting, or only one occurrence of a recurring meeting.
    ///
    /// Retried like any idempotent request: a retry after a delete that did happen answers
    /// 404 code 3001, which is reported as the `NotFound` it is.
    pub async fn delete_meeting(
        &self,
        meeting_id: u64,
        occurrence_id: Option<&str>,
    ) -> Result<(), ConnectorError> {
        let mut call = Call::new(
            Method::DELETE,
            "DELETE /meetings/{meetingId}",
            Some(Action::DeleteMeeting),
            ["meetings".to_string(), meeting_id.to_string()],
        );
        if let Some(occurrence) = occurrence_id {
            non_empty("occurrence_id", occurrence)?;
            call = call.query("occurrence_id", occurrence);
        }
        self.call_empty(call).await
    }
}
