//! One error type for the whole connector, its kinds, and the troubleshooting map.
//!
//! Every failure — local validation, the token endpoint, a Zoom REST error body, the network —
//! becomes a [`ConnectorError`]. [`ConnectorError::kind`] sorts it into an [`ErrorKind`] that
//! callers can branch on; [`ConnectorError::fix`] gives the remedy a person should apply.
//!
//! The seed's "Permission Troubleshooting" rows live here and only here ([`Troubleshooting`]):
//!
//! | symptom | fix |
//! | --- | --- |
//! | "Insufficient privileges" | add `meeting:write:admin` |
//! | "Cannot end meeting" | ensure `meeting:write:admin` is granted |
//! | "Recording access denied" | add `recording:read` and `cloud_recording:read` |
//! | "User not found" | verify `user:read` is active |
//!
//! Zoom itself never says "Insufficient privileges": a missing scope is HTTP 400 code 4711
//! (`Invalid access token, does not contain scopes:[...]`, older apps code 4700) and a refused
//! operation code 200 `No permission.`. Which row applies follows from the error *and* the action
//! that met it: a scope error while ending a meeting is "Cannot end meeting", while reading
//! recordings "Recording access denied", anywhere else "Insufficient privileges".

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::scopes::Action;

/// What sort of failure a [`ConnectorError`] is; stable names for callers and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The connector has no credentials (never configured, or removed after `app_deauthorized`).
    NotConfigured,
    /// The configuration itself is unusable (bad URL, empty credential).
    InvalidConfig,
    /// Credentials were refused, or the access token stayed invalid after one refresh.
    Auth,
    /// The token lacks a scope the endpoint needs (Zoom code 4711 / 4700).
    InsufficientScopes,
    /// Zoom refused the operation for this account or user (Zoom code 200 `No permission.`, HTTP 403).
    PermissionDenied,
    /// The meeting, webinar, registrant or recording does not exist (HTTP 404).
    NotFound,
    /// The user does not exist or is not in this account (Zoom codes 1001, 1010).
    UserNotFound,
    /// A per-second rate limit that retries did not outlast.
    RateLimited,
    /// A daily cap (per account, or 100 meeting create/update requests per host per UTC day):
    /// reported at once, never retried in a loop.
    DailyLimit,
    /// Zoom rejected the input (code 300 and other 4xx), or the connector did before sending it.
    Validation,
    /// ZAK tokens cannot be generated with this auth mode (API Key/Secret: HTTP 400 code 124
    /// `This API only supports OAuth2 authorization.`).
    ZakNotSupported,
    /// The connection failed.
    Network,
    /// A request took longer than the configured timeout.
    Timeout,
    /// Zoom answered with a 5xx.
    Server,
    /// A non-idempotent request (create meeting, webinar, registrant) may or may not have taken
    /// effect; it was deliberately not retried.
    OutcomeUnknown,
    /// A topic or agenda template could not be rendered (raised by the runbook layer).
    Template,
    /// The user-OAuth token store failed to load or save the refresh token.
    TokenStore,
    /// Zoom's answer could not be decoded.
    Decode,
    /// Anything else Zoom said.
    Other,
}

/// The seed's "Permission Troubleshooting" rows: a symptom a person sees and its fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Troubleshooting {
    /// "Insufficient privileges" error: add `meeting:write:admin`.
    InsufficientPrivileges,
    /// "Cannot end meeting" error: ensure `meeting:write:admin` is granted.
    CannotEndMeeting,
    /// "Recording access denied": add `recording:read` and `cloud_recording:read`.
    RecordingAccessDenied,
    /// "User not found" errors: verify `user:read` is active.
    UserNotFound,
}

impl Troubleshooting {
    /// Every row, in the seed's order.
    pub const ALL: [Troubleshooting; 4] = [
        Troubleshooting::InsufficientPrivileges,
        Troubleshooting::CannotEndMeeting,
        Troubleshooting::RecordingAccessDenied,
        Troubleshooting::UserNotFound,
    ];

    /// The symptom as the seed names it.
    pub fn symptom(self) -> &'static str {
        match self {
            Troubleshooting::InsufficientPrivileges => "Insufficient privileges",
            Troubleshooting::CannotEndMeeting => "Cannot end meeting",
            Troubleshooting::RecordingAccessDenied => "Recording access denied",
            Troubleshooting::UserNotFound => "User not found",
        }
    }

    /// The fix, in the seed's scope names, with Zoom's real names where they differ.
    pub fn fix(self) -> &'static str {
        match self {
            Troubleshooting::InsufficientPrivileges => {
                "Add the meeting:write:admin scope to the Zoom app \
                 (granular apps: meeting:write:meeting:admin, meeting:update:meeting:admin)"
            }
            Troubleshooting::CannotEndMeeting => {
                "Ensure the meeting:write:admin scope is granted \
                 (granular apps: meeting:update:status:admin)"
            }
            Troubleshooting::RecordingAccessDenied => {
                "Add the recording:read and cloud_recording:read scopes \
                 (Zoom's real names: recording:read or recording:read:admin; granular apps: \
                 cloud_recording:read:list_recording_files, cloud_recording:read:list_user_recordings)"
            }
            Troubleshooting::UserNotFound => {
                "Verify the user:read scope is active (granular apps: user:read:user) \
                 and that the user belongs to this Zoom account"
            }
        }
    }

    /// The row for an error of `kind` met while running `action` (None when no row applies).
    pub fn for_error(kind: ErrorKind, action: Option<Action>, message: &str) -> Option<Self> {
        let lower = message.to_ascii_lowercase();
        // Literal symptoms first: a proxy or a future Zoom message may say them verbatim.
        if lower.contains("cannot end meeting") {
            return Some(Troubleshooting::CannotEndMeeting);
        }
        if lower.contains("recording access denied") {
            return Some(Troubleshooting::RecordingAccessDenied);
        }
        if lower.contains("insufficient privileges") {
            return Some(match action {
                Some(Action::EndMeeting) => Troubleshooting::CannotEndMeeting,
                Some(Action::AccessRecordings) => Troubleshooting::RecordingAccessDenied,
                _ => Troubleshooting::InsufficientPrivileges,
            });
        }
        match kind {
            ErrorKind::UserNotFound => Some(Troubleshooting::UserNotFound),
            // The rows are about meetings and recordings; a webinar, ZAK or plain read refused
            // for scopes gets Zoom's own list of missing scopes instead of a wrong meeting fix.
            ErrorKind::InsufficientScopes | ErrorKind::PermissionDenied => match action? {
                Action::EndMeeting => Some(Troubleshooting::CannotEndMeeting),
                Action::AccessRecordings => Some(Troubleshooting::RecordingAccessDenied),
                Action::CreateMeeting
                | Action::UpdateMeetingSettings
                | Action::DeleteMeeting
                | Action::ManageParticipants
                | Action::ScheduleRecurringMeeting => Some(Troubleshooting::InsufficientPrivileges),
                Action::GetZak | Action::CreateWebinar => None,
            },
            _ => None,
        }
    }
}

impl fmt::Display for Troubleshooting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\": {}", self.symptom(), self.fix())
    }
}

/// One entry of Zoom's `errors` array on a code-300 validation failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldError {
    /// The offending field, e.g. `settings.jbh_time`.
    #[serde(default)]
    pub field: String,
    /// Zoom's message for it.
    #[serde(default)]
    pub message: String,
}

/// A `{"code", "message"}` error answered by Zoom's REST API, classified.
#[derive(Debug, Clone, Serialize)]
pub struct ZoomApiError {
    /// What was being done, e.g. `POST /users/{userId}/meetings`.
    pub operation: &'static str,
    /// The runbook action it was part of, when there is one.
    pub action: Option<Action>,
    /// HTTP status.
    pub status: u16,
    /// Zoom's numeric `code` (endpoint-specific), when the body had one.
    pub code: Option<i64>,
    /// Zoom's `message`, verbatim.
    pub message: String,
    /// The classification.
    pub kind: ErrorKind,
    /// The seed's troubleshooting row, when one applies.
    pub troubleshooting: Option<Troubleshooting>,
    /// Scopes Zoom named as missing (from a 4711/4700 message).
    pub missing_scopes: Vec<String>,
    /// Field errors of a validation failure.
    pub field_errors: Vec<FieldError>,
    /// When Zoom said to come back (429 `Retry-After`).
    #[serde(skip)]
    pub retry_after: Option<Duration>,
}

impl ZoomApiError {
    /// Classify Zoom's answer `status` + `code` + `message` met during `operation` of `action`.
    pub fn classify(
        operation: &'static str,
        action: Option<Action>,
        status: u16,
        code: Option<i64>,
        message: String,
    ) -> Self {
        let kind = classify_kind(status, code, &message);
        let missing_scopes = if kind == ErrorKind::InsufficientScopes {
            parse_missing_scopes(&message)
        } else {
            Vec::new()
        };
        let troubleshooting = Troubleshooting::for_error(kind, action, &message);
        ZoomApiError {
            operation,
            action,
            status,
            code,
            message,
            kind,
            troubleshooting,
            missing_scopes,
            field_errors: Vec::new(),
            retry_after: None,
        }
    }
}

impl fmt::Display for ZoomApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: HTTP {}", self.operation, self.status)?;
        if let Some(code) = self.code {
            write!(f, " code {code}")?;
        }
        write!(f, ": {}", self.message)?;
        for field in &self.field_errors {
            write!(f, " [{}: {}]", field.field, field.message)?;
        }
        if let Some(row) = self.troubleshooting {
            write!(f, " (fix: {})", row.fix())?;
        } else if self.kind == ErrorKind::ZakNotSupported {
            write!(f, " (fix: {ZAK_FIX})")?;
        }
        Ok(())
    }
}

const ZAK_FIX: &str = "Switch the Zoom connector to Server-to-Server OAuth; with API Key/Secret the \
                       scribe bot joins as a standard participant and must be admitted manually";

/// Sort Zoom's `status` + `code` + `message` into a kind.
fn classify_kind(status: u16, code: Option<i64>, message: &str) -> ErrorKind {
    let lower = message.to_ascii_lowercase();
    if status == 429 || code == Some(429) {
        return if lower.contains("daily") {
            ErrorKind::DailyLimit
        } else {
            ErrorKind::RateLimited
        };
    }
    if code == Some(124) && lower.contains("only supports oauth2") {
        return ErrorKind::ZakNotSupported;
    }
    if status == 401 || code == Some(124) {
        return ErrorKind::Auth;
    }
    if matches!(code, Some(4711) | Some(4700))
        || lower.contains("does not contain scopes")
        || lower.contains("insufficient privileges")
    {
        return ErrorKind::InsufficientScopes;
    }
    if matches!(code, Some(1001) | Some(1010))
        || lower.contains("user does not exist")
        || lower.contains("user not found")
    {
        return ErrorKind::UserNotFound;
    }
    if status == 403
        || code == Some(200)
        || lower.contains("cannot end meeting")
        || lower.contains("recording access denied")
    {
        return ErrorKind::PermissionDenied;
    }
    match status {
        404 => ErrorKind::NotFound,
        400..=499 => ErrorKind::Validation,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Other,
    }
}

/// The scopes listed in `... does not contain scopes:[a, b].` (either bracket style).
fn parse_missing_scopes(message: &str) -> Vec<String> {
    let Some(open) = message.find('[') else {
        return Vec::new();
    };
    let Some(close) = message[open..].find(']') else {
        return Vec::new();
    };
    message[open + 1..open + close]
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Every way a connector call can fail.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    /// No credentials: never configured, or removed after the app was uninstalled.
    #[error("Zoom connector not configured")]
    NotConfigured,
    /// The configuration cannot work.
    #[error("invalid Zoom connector configuration: {0}")]
    InvalidConfig(String),
    /// Input refused by the connector before anything was sent to Zoom.
    #[error("invalid {field}: {message}")]
    InvalidInput {
        /// The offending input field.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The OAuth token endpoint refused the credentials or the refresh token
    /// (`{"reason", "error"}` body).
    #[error("Zoom token request failed: HTTP {status}: {error}{}", reason_suffix(.reason))]
    Auth {
        /// HTTP status of the token endpoint.
        status: u16,
        /// OAuth `error`, e.g. `invalid_client`.
        error: String,
        /// Zoom's `reason`, e.g. `Invalid client_id or client_secret`.
        reason: String,
    },
    /// Zoom's REST API answered with an error body.
    #[error("{0}")]
    Zoom(Box<ZoomApiError>),
    /// The request timed out.
    #[error("{operation} timed out after {after:?}")]
    Timeout {
        /// What was being done.
        operation: &'static str,
        /// The configured timeout.
        after: Duration,
    },
    /// The connection failed.
    #[error("{operation} failed: network error: {source}")]
    Network {
        /// What was being done.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A non-idempotent request failed in a way that leaves its effect unknown; not retried, so
    /// that it is never applied twice.
    #[error(
        "{operation}: outcome unknown ({cause}); not retried so as never to create a duplicate — \
         check the host's meetings before trying again"
    )]
    OutcomeUnknown {
        /// What was being done.
        operation: &'static str,
        /// Why the outcome is unknown.
        cause: String,
    },
    /// Zoom's answer was not what its documentation describes.
    #[error("{operation}: could not decode Zoom's answer: {message}")]
    Decode {
        /// What was being done.
        operation: &'static str,
        /// The decoding failure.
        message: String,
    },
    /// The user-OAuth token store failed.
    #[error("token store failed: {0}")]
    TokenStore(String),
    /// A topic or agenda template failed to render (the runbook layer raises this).
    #[error("template error: {0}")]
    Template(String),
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    }
}

impl ConnectorError {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ConnectorError::NotConfigured => ErrorKind::NotConfigured,
            ConnectorError::InvalidConfig(_) => ErrorKind::InvalidConfig,
            ConnectorError::InvalidInput { .. } => ErrorKind::Validation,
            ConnectorError::Auth { .. } => ErrorKind::Auth,
            ConnectorError::Zoom(e) => e.kind,
            ConnectorError::Timeout { .. } => ErrorKind::Timeout,
            ConnectorError::Network { .. } => ErrorKind::Network,
            ConnectorError::OutcomeUnknown { .. } => ErrorKind::OutcomeUnknown,
            ConnectorError::Decode { .. } => ErrorKind::Decode,
            ConnectorError::TokenStore(_) => ErrorKind::TokenStore,
            ConnectorError::Template(_) => ErrorKind::Template,
        }
    }

    /// Zoom's numeric error code, when Zoom's REST API answered.
    pub fn zoom_code(&self) -> Option<i64> {
        match self {
            ConnectorError::Zoom(e) => e.code,
            _ => None,
        }
    }

    /// The HTTP status Zoom answered with, when it answered.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            ConnectorError::Zoom(e) => Some(e.status),
            ConnectorError::Auth { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The seed's troubleshooting row for this error, when one applies.
    pub fn troubleshooting(&self) -> Option<Troubleshooting> {
        match self {
            ConnectorError::Zoom(e) => e.troubleshooting,
            _ => None,
        }
    }

    /// What a person should do about it, when the connector knows.
    pub fn fix(&self) -> Option<&'static str> {
        match self {
            ConnectorError::Zoom(e) if e.kind == ErrorKind::ZakNotSupported => Some(ZAK_FIX),
            ConnectorError::Zoom(e) if e.kind == ErrorKind::DailyLimit => Some(
                "Zoom allows 100 meeting create/update requests per host per day; \
                 wait until 00:00 UTC or use another host",
            ),
            ConnectorError::Zoom(e) if e.troubleshooting.is_some() => {
                e.troubleshooting.map(Troubleshooting::fix)
            }
            ConnectorError::Zoom(e) if e.kind == ErrorKind::InsufficientScopes => {
                Some("Grant the Zoom app one of the scopes Zoom names as missing in the error")
            }
            ConnectorError::NotConfigured => {
                Some("Configure the Zoom connector (Server-to-Server OAuth or API Key/Secret)")
            }
            ConnectorError::Auth { .. } => Some(
                "Check the Zoom app's credentials (account id, client id and secret) and that \
                 the app is activated",
            ),
            _ => None,
        }
    }

    /// How long Zoom asked to wait, for rate-limit errors.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ConnectorError::Zoom(e) => e.retry_after,
            _ => None,
        }
    }

    /// The Zoom error body, when Zoom's REST API answered.
    pub fn zoom_error(&self) -> Option<&ZoomApiError> {
        match self {
            ConnectorError::Zoom(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ZoomApiError> for ConnectorError {
    fn from(e: ZoomApiError) -> Self {
        ConnectorError::Zoom(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zoom(action: Option<Action>, status: u16, code: i64, message: &str) -> ConnectorError {
        ZoomApiError::classify("op", action, status, Some(code), message.to_string()).into()
    }

    #[test]
    fn not_configured_displays_exactly() {
        assert_eq!(
            ConnectorError::NotConfigured.to_string(),
            "Zoom connector not configured"
        );
    }

    #[test]
    fn missing_scope_maps_to_insufficient_privileges_with_scopes_listed() {
        let e = zoom(
            Some(Action::CreateMeeting),
            400,
            4711,
            "Invalid access token, does not contain scopes:[meeting:write:meeting, meeting:write:meeting:admin].",
        );
        assert_eq!(e.kind(), ErrorKind::InsufficientScopes);
        assert_eq!(
            e.troubleshooting(),
            Some(Troubleshooting::InsufficientPrivileges)
        );
        assert!(e.fix().unwrap().contains("meeting:write:admin"));
        assert_eq!(
            e.zoom_error().unwrap().missing_scopes,
            vec!["meeting:write:meeting", "meeting:write:meeting:admin"]
        );
    }

    #[test]
    fn scope_error_while_ending_is_cannot_end_meeting() {
        let e = zoom(
            Some(Action::EndMeeting),
            400,
            4711,
            "Invalid access token, does not contain scopes:[meeting:update:status:admin].",
        );
        assert_eq!(e.troubleshooting(), Some(Troubleshooting::CannotEndMeeting));
        assert!(e.fix().unwrap().contains("meeting:write:admin"));
        let e = zoom(Some(Action::EndMeeting), 400, 200, "No permission.");
        assert_eq!(e.kind(), ErrorKind::PermissionDenied);
        assert_eq!(e.troubleshooting(), Some(Troubleshooting::CannotEndMeeting));
    }

    #[test]
    fn scope_error_on_recordings_is_recording_access_denied() {
        let e = zoom(
            Some(Action::AccessRecordings),
            400,
            4700,
            "Invalid access token, does not contain scopes: [recording:read].",
        );
        assert_eq!(
            e.troubleshooting(),
            Some(Troubleshooting::RecordingAccessDenied)
        );
        let fix = e.fix().unwrap();
        assert!(fix.contains("recording:read") && fix.contains("cloud_recording:read"));
        assert_eq!(
            e.zoom_error().unwrap().missing_scopes,
            vec!["recording:read"]
        );
    }

    #[test]
    fn unknown_user_is_user_not_found() {
        let e = zoom(
            Some(Action::CreateMeeting),
            404,
            1001,
            "User does not exist: nobody@example.com.",
        );
        assert_eq!(e.kind(), ErrorKind::UserNotFound);
        assert_eq!(e.troubleshooting(), Some(Troubleshooting::UserNotFound));
        assert!(e.fix().unwrap().contains("user:read"));
    }

    #[test]
    fn scope_errors_outside_meetings_name_zooms_scopes_not_a_meeting_fix() {
        let e = zoom(
            Some(Action::CreateWebinar),
            400,
            4711,
            "Invalid access token, does not contain scopes:[webinar:write:webinar].",
        );
        assert_eq!(e.kind(), ErrorKind::InsufficientScopes);
        assert_eq!(e.troubleshooting(), None);
        assert!(!e.fix().unwrap().contains("meeting:write:admin"));
        assert!(e.to_string().contains("webinar:write:webinar"));
        let e = zoom(
            None,
            400,
            4711,
            "Invalid access token, does not contain scopes:[user:read:user].",
        );
        assert_eq!(e.troubleshooting(), None);
    }

    #[test]
    fn literal_seed_symptoms_are_recognised() {
        let e = zoom(None, 403, 0, "Insufficient privileges");
        assert_eq!(e.kind(), ErrorKind::InsufficientScopes);
        assert_eq!(
            e.troubleshooting(),
            Some(Troubleshooting::InsufficientPrivileges)
        );
        let e = zoom(None, 403, 0, "Cannot end meeting");
        assert_eq!(e.troubleshooting(), Some(Troubleshooting::CannotEndMeeting));
        let e = zoom(None, 403, 0, "Recording access denied");
        assert_eq!(
            e.troubleshooting(),
            Some(Troubleshooting::RecordingAccessDenied)
        );
        let e = zoom(None, 404, 0, "User not found");
        assert_eq!(e.troubleshooting(), Some(Troubleshooting::UserNotFound));
    }

    #[test]
    fn other_zoom_errors_map_to_kinds() {
        let cases = [
            (401, 124, "Invalid access token.", ErrorKind::Auth),
            (
                400,
                124,
                "This API only supports OAuth2 authorization.",
                ErrorKind::ZakNotSupported,
            ),
            (
                404,
                3001,
                "Meeting does not exist: 123.",
                ErrorKind::NotFound,
            ),
            (400, 300, "Validation Failed.", ErrorKind::Validation),
            (
                429,
                429,
                "You have reached the maximum per-second rate limit for this API. Try again later.",
                ErrorKind::RateLimited,
            ),
            (
                429,
                429,
                "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.",
                ErrorKind::DailyLimit,
            ),
            (500, 0, "Internal error", ErrorKind::Server),
            (
                404,
                3301,
                "There is no recording for this meeting.",
                ErrorKind::NotFound,
            ),
        ];
        for (status, code, message, kind) in cases {
            let e = zoom(None, status, code, message);
            assert_eq!(e.kind(), kind, "{message}");
            assert_eq!(e.http_status(), Some(status));
            assert_eq!(e.zoom_code(), Some(code));
        }
    }

    #[test]
    fn zak_refusal_carries_the_switch_to_oauth_fix() {
        let e = zoom(
            Some(Action::GetZak),
            400,
            124,
            "This API only supports OAuth2 authorization.",
        );
        assert!(e.fix().unwrap().contains("Server-to-Server OAuth"));
        assert!(e.to_string().contains("Server-to-Server OAuth"));
    }
}
