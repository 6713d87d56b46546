//! Webinars: `POST /users/{userId}/webinars`, `GET|DELETE /webinars/{webinarId}`,
//! `PUT /webinars/{webinarId}/status`.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::meetings::{AutoRecording, StartTime};

/// A webinar as Zoom returns it.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Webinar {
    /// Webinar number.
    pub id: u64,
    /// Instance UUID.
    #[serde(default)]
    pub uuid: String,
    /// Host user id.
    #[serde(default)]
    pub host_id: Option<String>,
    /// Topic.
    #[serde(default)]
    pub topic: String,
    /// 5 webinar, 6 recurring without fixed time, 9 recurring with fixed time.
    #[serde(rename = "type", default)]
    pub webinar_type: u8,
    /// Start time.
    #[serde(default)]
    pub start_time: Option<String>,
    /// Duration in minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// Time zone.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Agenda.
    #[serde(default)]
    pub agenda: Option<String>,
    /// Attendee link.
    #[serde(default)]
    pub join_url: String,
    /// Host start link (embeds a ZAK; never serialized).
    #[serde(default, skip_serializing)]
    pub start_url: Option<SecretString>,
    /// Registration link.
    #[serde(default)]
    pub registration_url: Option<String>,
    /// Passcode.
    #[serde(default)]
    pub password: Option<String>,
    /// Settings.
    #[serde(default)]
    pub settings: Option<WebinarSettings>,
}

/// Webinar settings (the subset the Create Webinar action sets).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct WebinarSettings {
    /// Registration approval: 0 automatic, 1 manual, 2 no registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_type: Option<u8>,
    /// Host video on at start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_video: Option<bool>,
    /// Panelists' video on at start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panelists_video: Option<bool>,
    /// Practice session before going live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practice_session: Option<bool>,
    /// Automatic recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_recording: Option<AutoRecording>,
    /// Semicolon-separated alternative hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative_hosts: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct WebinarRequest {
    pub topic: String,
    #[serde(rename = "type")]
    pub webinar_type: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<StartTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agenda: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<WebinarSettings>,
}
