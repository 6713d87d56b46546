//! Create Webinar (`POST /users/{userId}/webinars`, type 5), plus reading, ending and deleting
//! it, which the same `webinar:write` / `webinar:read` family covers.

use reqwest::Method;

use crate::ZoomConnector;
use crate::api::webinars::WebinarRequest;
use crate::api::{StartTime, Webinar, WebinarSettings};
use crate::client::Call;
use crate::connector::non_empty;
use crate::error::ConnectorError;
use crate::scopes::{Action, ScopeRequirement, WEBINAR_WRITE};

/// The seed's "Webinar Support": `webinar:write`.
pub const SCOPES: &[ScopeRequirement] = &[WEBINAR_WRITE];

/// What to create.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateWebinar {
    /// Topic (required, ≤ 200 characters).
    pub topic: String,
    /// Agenda.
    pub agenda: Option<String>,
    /// Duration in minutes.
    pub duration: Option<u32>,
    /// Start (absent: now).
    pub start_time: Option<StartTime>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Passcode.
    pub passcode: Option<String>,
    /// Settings.
    pub settings: WebinarSettings,
}

impl CreateWebinar {
    /// A webinar with this topic.
    pub fn new(topic: impl Into<String>) -> Self {
        CreateWebinar {
            topic: topic.into(),
            ..Default::default()
        }
    }
}

impl ZoomConnector {
    /// Create a webinar hosted by `host` (the host needs a webinar licence, or Zoom refuses).
    pub async fn create_webinar(
        &self,
        host: &str,
        input: CreateWebinar,
    ) -> Result<Webinar, ConnectorError> {
        non_empty("host", host)?;
        super::check_topic(&input.topic)?;
        super::check_agenda(input.agenda.as_deref())?;
        super::check_duration(input.duration)?;
        super::check_passcode(input.passcode.as_deref())?;
        super::check_start(input.start_time.as_ref(), input.timezone.as_deref())?;
        let request = WebinarRequest {
            topic: input.topic,
            webinar_type: 5,
            start_time: input.start_time,
            duration: input.duration,
            timezone: input.timezone,
            agenda: input.agenda,
            password: input.passcode,
            settings: (input.settings != WebinarSettings::default()).then_some(input.settings),
        };
        let call = Call::new(
            Method::POST,
            "POST /users/{userId}/webinars",
            Some(Action::CreateWebinar),
            ["users", host, "webinars"],
        )
        .json(&request)?;
        self.call_json(call).await
    }

    /// Read a webinar.
    pub async fn get_webinar(&self, webinar_id: u64) -> Result<Webinar, ConnectorError> {
        let call = Call::new(
            Method::GET,
            "GET /webinars/{webinarId}",
            Some(Action::CreateWebinar),
            ["webinars".to_string(), webinar_id.to_string()],
        );
        self.call_json(call).await
    }

    /// End a running webinar.
    pub async fn end_webinar(&self, webinar_id: u64) -> Result<(), ConnectorError> {
        let call = Call::new(
            Method::PUT,
            "PUT /webinars/{webinarId}/status",
            Some(Action::CreateWebinar),
            [
                "webinars".to_string(),
                webinar_id.to_string(),
                "status".into(),
            ],
        )
        .json(&serde_json::json!({"action": "end"}))?;
        self.call_empty(call).await
    }

    /// Delete a webinar.
    pub async fn delete_webinar(&self, webinar_id: u64) -> Result<(), ConnectorError> {
        let call = Call::new(
            Method::DELETE,
            "DELETE /webinars/{webinarId}",
            Some(Action::CreateWebinar),
            ["webinars".to_string(), webinar_id.to_string()],
        );
        self.call_empty(call).await
    }
}
