//! Every error body the fake answers, in one place: the REST shape `{"code","message"}` (plus
//! `errors[]` for validation) on `/v2`, and the OAuth shape `{"reason","error"}` on
//! `/oauth/token`. Codes and texts are Zoom's (see `../shared/zoom-api-facts.md` section 3);
//! where Zoom's text is not known the choice is written next to the constructor.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One field of a 300 "Validation Failed." body.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted field path, e.g. `settings.jbh_time`.
    pub field: String,
    /// Zoom's text for the field.
    pub message: String,
}

impl FieldError {
    /// Zoom's generic "Invalid field." for a field.
    pub fn invalid(field: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: "Invalid field.".into(),
        }
    }
    /// A field with a specific message.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum Body {
    Rest {
        code: i64,
        message: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        errors: Vec<FieldError>,
    },
    OAuth {
        reason: String,
        error: String,
    },
}

/// An error response in Zoom's wire format.
#[derive(Debug, Clone)]
pub struct ZoomError {
    status: StatusCode,
    body: Body,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ZoomError {
    /// A REST error `{"code","message"}` with this HTTP status.
    pub fn rest(status: StatusCode, code: i64, message: impl Into<String>) -> Self {
        Self {
            status,
            body: Body::Rest {
                code,
                message: message.into(),
                errors: Vec::new(),
            },
            headers: Vec::new(),
        }
    }

    fn oauth(status: StatusCode, reason: &str, error: &str) -> Self {
        Self {
            status,
            body: Body::OAuth {
                reason: reason.into(),
                error: error.into(),
            },
            headers: Vec::new(),
        }
    }

    /// Add a response header (rate-limit headers, Retry-After).
    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.push((HeaderName::from_static(name), value));
        }
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The Zoom `code` (REST errors only).
    pub fn code(&self) -> Option<i64> {
        match &self.body {
            Body::Rest { code, .. } => Some(*code),
            Body::OAuth { .. } => None,
        }
    }

    /// The body as JSON.
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.body).unwrap_or(serde_json::Value::Null)
    }

    // ---- 401 / 400 code 124: tokens ----

    /// No `Authorization` header or an empty bearer.
    pub fn missing_token() -> Self {
        Self::rest(StatusCode::UNAUTHORIZED, 124, "Requires an access token.")
    }
    /// Unknown, malformed, revoked or wrongly signed token (also `Bearer None`).
    pub fn invalid_token() -> Self {
        Self::rest(StatusCode::UNAUTHORIZED, 124, "Invalid access token.")
    }
    /// A token past its expiry on the fake's clock.
    pub fn expired_token() -> Self {
        Self::rest(StatusCode::UNAUTHORIZED, 124, "Access token is expired.")
    }
    /// An OAuth-only endpoint (ZAK, OBF) called with an API Key/Secret JWT. Zoom documents
    /// exactly this body for OAuth-only endpoints (jointoken/local_recording); the fake uses
    /// it for every OAuth-only endpoint.
    pub fn oauth_only() -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            124,
            "This API only supports OAuth2 authorization.",
        )
    }

    // ---- 4711: scopes ----

    /// The token lacks every scope of the endpoint's set. Zoom names the granular scopes,
    /// comma + space separated, whatever model the app uses.
    pub fn missing_scopes(granular: &[&str]) -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            4711,
            format!(
                "Invalid access token, does not contain scopes:[{}].",
                granular.join(", ")
            ),
        )
    }

    // ---- 300: input ----

    /// 300 "Validation Failed." with the offending fields.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            body: Body::Rest {
                code: 300,
                message: "Validation Failed.".into(),
                errors,
            },
            headers: Vec::new(),
        }
    }
    /// A body that is not a JSON object.
    pub fn invalid_json() -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            300,
            "Request Body should be a valid JSON object.",
        )
    }
    /// A bad query parameter, e.g. `occurrence_id`.
    pub fn invalid_parameter(name: &str) -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            300,
            format!("Invalid parameter: {name}."),
        )
    }
    /// `next_page_token` unknown or expired (Zoom's text from `GET /users`).
    pub fn invalid_page_token() -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            300,
            "The next page token is invalid or expired.",
        )
    }
    /// Body over the size limit. Zoom's answer is not documented; the fake sends HTTP 413 with
    /// a 300 body so clients still get Zoom's shape.
    pub fn body_too_large(limit: usize) -> Self {
        Self::rest(
            StatusCode::PAYLOAD_TOO_LARGE,
            300,
            format!("Request Body is too large (limit {limit} bytes)."),
        )
    }

    // ---- 404 / 400: not found ----

    /// Unknown meeting (GET/PATCH/DELETE/status, and a second DELETE).
    pub fn meeting_not_found(id: impl std::fmt::Display) -> Self {
        Self::rest(
            StatusCode::NOT_FOUND,
            3001,
            format!("Meeting does not exist: {id}."),
        )
    }
    /// Unknown webinar.
    pub fn webinar_not_found(id: impl std::fmt::Display) -> Self {
        Self::rest(
            StatusCode::NOT_FOUND,
            3001,
            format!("Webinar does not exist: {id}."),
        )
    }
    /// Unknown user (id, email or `me`).
    pub fn user_not_found(id: &str) -> Self {
        Self::rest(
            StatusCode::NOT_FOUND,
            1001,
            format!("User does not exist: {id}."),
        )
    }
    /// Unknown user on `/users/me/zak` (Zoom answers 400 there).
    pub fn zak_user_not_found(id: &str) -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            1001,
            format!("User {id} does not exist or does not belong to this account."),
        )
    }
    /// A path no Zoom route has. Zoom's text for unknown endpoints is code 2300 "This API
    /// endpoint is not recognized."; the fake sends it with HTTP 404.
    pub fn unknown_route() -> Self {
        Self::rest(
            StatusCode::NOT_FOUND,
            2300,
            "This API endpoint is not recognized.",
        )
    }

    // ---- 400: state ----

    /// A user without the webinar licence.
    pub fn webinar_plan_missing(user_id: &str) -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            200,
            format!(
                "Webinar plan is missing. You must subscribe to the webinar plan and enable webinars for user {user_id} in order to perform this action."
            ),
        )
    }
    /// A basic or unassigned user asked to host.
    pub fn hosting_not_allowed() -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            3161,
            "Your user account is not allowed meeting hosting and scheduling capabilities.",
        )
    }
    /// Registration on a meeting whose `approval_type` is 2. Zoom's exact text is not in the
    /// fact sheet; this is the devforum-reported one (UNCERTAIN).
    pub fn registration_disabled(id: u64) -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            3000,
            format!("Registration has not been enabled for this meeting: {id}."),
        )
    }
    /// `type=token` on the user token endpoint (deprecated by Zoom). Zoom's spec says the
    /// response carries this text; the fake sends it as a 400 code 300 body (UNCERTAIN).
    pub fn token_type_deprecated() -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            300,
            "Token is no longer supported. Please use ZAK token instead.",
        )
    }

    // ---- 429 ----

    /// Account per-second limit of a category.
    pub fn rate_per_second() -> Self {
        Self::rest(
            StatusCode::TOO_MANY_REQUESTS,
            429,
            "You have reached the maximum per-second rate limit for this API. Try again later.",
        )
    }
    /// Account daily limit of a category.
    pub fn rate_daily() -> Self {
        Self::rest(
            StatusCode::TOO_MANY_REQUESTS,
            429,
            "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.",
        )
    }
    /// The per-host daily meeting create/update cap.
    pub fn user_daily_meeting_writes(limit: u32) -> Self {
        Self::rest(
            StatusCode::TOO_MANY_REQUESTS,
            429,
            format!(
                "You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00."
            ),
        )
    }

    // ---- OAuth endpoint bodies {"reason","error"} ----

    /// Wrong client id or secret (observed Zoom body).
    pub fn oauth_invalid_client() -> Self {
        Self::oauth(
            StatusCode::BAD_REQUEST,
            "Invalid client_id or client_secret",
            "invalid_client",
        )
    }
    /// No Basic auth (Zoom's 4706 text).
    pub fn oauth_missing_client() -> Self {
        Self::oauth(
            StatusCode::BAD_REQUEST,
            "Client ID or client secret is missing.",
            "invalid_request",
        )
    }
    /// Missing or unknown grant type, or a grant the app type cannot use (Zoom's 4705 text).
    pub fn oauth_unsupported_grant() -> Self {
        Self::oauth(
            StatusCode::BAD_REQUEST,
            "Grant type is not supported from token endpoint.",
            "unsupported_grant_type",
        )
    }
    /// `account_id` missing. Zoom's body is not documented (UNCERTAIN).
    pub fn oauth_missing_account() -> Self {
        Self::oauth(
            StatusCode::BAD_REQUEST,
            "Missing account_id",
            "invalid_request",
        )
    }
    /// `account_id` not the app's account. Zoom's body is not documented (UNCERTAIN).
    pub fn oauth_invalid_account() -> Self {
        Self::oauth(
            StatusCode::BAD_REQUEST,
            "Invalid account_id",
            "invalid_request",
        )
    }
    /// Old, unknown or reused refresh token / authorization code (observed Zoom body).
    pub fn oauth_invalid_grant() -> Self {
        Self::oauth(StatusCode::BAD_REQUEST, "Invalid Token!", "invalid_grant")
    }
    /// `redirect_uri` differs from the app's. Zoom's 4709 text is not captured (UNCERTAIN).
    pub fn oauth_redirect_mismatch() -> Self {
        Self::oauth(
            StatusCode::BAD_REQUEST,
            "Redirect URI mismatch.",
            "invalid_request",
        )
    }
    /// A method the OAuth path does not serve (e.g. `GET /oauth/token`). Zoom's body is not
    /// documented; the fake keeps the OAuth shape.
    pub fn oauth_method_not_allowed() -> Self {
        Self::oauth(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method Not Allowed",
            "invalid_request",
        )
    }
    /// A parameter is missing (`code`, `refresh_token`).
    pub fn oauth_missing_parameter(name: &str) -> Self {
        Self::oauth(
            StatusCode::BAD_REQUEST,
            &format!("Missing {name}"),
            "invalid_request",
        )
    }
}

impl IntoResponse for ZoomError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(&self.body)).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

impl std::fmt::Display for ZoomError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}", self.status.as_u16(), self.body_json())
    }
}

impl std::error::Error for ZoomError {}

// ---- live meetings, attendance and recordings (fake-live) ----
impl ZoomError {
    /// Report and live-meeting routes: unknown, not live, or expired meeting.
    pub fn live_meeting_not_found(id: impl std::fmt::Display) -> Self {
        Self::rest(
            StatusCode::NOT_FOUND,
            3001,
            format!("Meeting {id} is not found or has expired."),
        )
    }
    /// No cloud recording for the meeting (or all of it is in the trash).
    pub fn no_recording() -> Self {
        Self::rest(
            StatusCode::NOT_FOUND,
            3301,
            "There is no recording for this meeting.",
        )
    }
    /// The account's cloud storage is full (recording start, recovery from the trash).
    pub fn cloud_storage_full() -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            3309,
            crate::model::recording::STORAGE_FULL_MESSAGE,
        )
    }
    /// Attendance and cloud recordings need a paid plan.
    pub fn paid_account_only(account_id: &str) -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            200,
            format!("Only available for paid account: {account_id}."),
        )
    }
    /// A past meeting more than a year old.
    pub fn meeting_a_year_ago() -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            12702,
            "Can not access a meeting a year ago.",
        )
    }
    /// In-meeting recording control on an account without cloud recording.
    pub fn live_api_not_available() -> Self {
        Self::rest(
            StatusCode::BAD_REQUEST,
            300,
            "This API is not available for this account. Please contact Zoom support.",
        )
    }
    /// AI Companion controls (the fake has no AI Companion).
    pub fn ai_companion_not_allowed() -> Self {
        Self::rest(
            StatusCode::FORBIDDEN,
            2314,
            "Not allowed to manage the AI Companion. To use this feature, enable either the **Allow users to ask AI Companion questions about the meeting** setting or the **Meeting summary with AI Companion** setting in the **Settings** page of the Zoom web portal.",
        )
    }
}
