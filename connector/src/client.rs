//! The HTTP core: every REST call goes through [`ZoomClient::send`].
//!
//! What it guarantees, per call:
//! - **A timeout on every request** (the configured whole-request timeout plus a connect
//!   timeout, set on the `reqwest::Client`, so token requests have them too).
//! - **401 code 124** (invalid or expired token): the token is replaced once (single-flight, see
//!   `auth::cache`) and the request re-sent once. A second 401 is returned as an auth error.
//!   Zoom did not act on a request it refused to authenticate, so this holds for every method.
//! - **429**: a daily cap — Zoom's 100 meeting create/update requests per host per UTC day, or an
//!   account's daily quota (`X-RateLimit-Type: Daily-limit`, or "daily" in the message) — is
//!   returned at once as [`ErrorKind::DailyLimit`](crate::ErrorKind::DailyLimit); looping on it
//!   would only burn the next day's quota. A per-second 429 is waited out: `Retry-After` (delta
//!   seconds, an HTTP-date, or an ISO 8601 / RFC 3339 timestamp as Zoom documents for daily
//!   limits) or, without one, exponential backoff with jitter, whichever is longer; a wait
//!   beyond [`RetryPolicy::max_retry_after`] is not slept but reported with the wait in it.
//!   A 429 means Zoom did not act, so this also holds for non-idempotent requests.
//! - **5xx and connection errors** are retried with backoff **only for idempotent requests**
//!   (GET, PUT, DELETE, and PATCH with absolute values). A failure to *connect* (DNS, TCP
//!   refused) is retried for every request: nothing was sent.
//!
//! ## Why a create-meeting is never duplicated
//! Zoom's `POST /users/{userId}/meetings` has no idempotency key, and a retried POST whose first
//! attempt reached Zoom creates a second meeting: a second incident bridge with a different join
//! link, half the responders in each. So non-idempotent calls (create meeting, create webinar,
//! add registrant) are re-sent only when Zoom provably did not act on them: a 429, a 401 code
//! 124, or a connection that never opened. When the outcome is unknown — a timeout after the
//! request was sent, a connection dropped mid-request — the call fails with
//! [`ConnectorError::OutcomeUnknown`] and is not retried; a 5xx answer is returned as the Zoom
//! error it is, also without a retry. We considered reconciling instead (list the host's
//! meetings and adopt one with the same topic) and rejected it: runbook topics repeat across
//! incidents ("{{Activity.title}} - Incident Bridge"), and adopting last week's bridge is worse
//! than an honest error the runbook shows on the incident timeline with its fix.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, Url};
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

use crate::auth::Authenticator;
use crate::config::{ConnectorConfig, RetryPolicy};
use crate::error::{ConnectorError, ErrorKind, FieldError, ZoomApiError};
use crate::scopes::Action;

/// Whether a request may be sent again after an unclear failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Sending it twice has the effect of sending it once.
    Idempotent,
    /// Sending it twice does it twice (creates).
    NotIdempotent,
}

/// One REST call.
pub(crate) struct Call {
    pub method: Method,
    /// Path segments below the base URL, each percent-encoded by the client.
    pub segments: Vec<String>,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<serde_json::Value>,
    pub idempotency: Idempotency,
    /// Zoom's name for the operation, e.g. `POST /users/{userId}/meetings`.
    pub operation: &'static str,
    pub action: Option<Action>,
}

impl Call {
    /// A call of `method` to `segments`, idempotent unless it is a POST.
    pub fn new(
        method: Method,
        operation: &'static str,
        action: Option<Action>,
        segments: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let idempotency = if method == Method::POST {
            Idempotency::NotIdempotent
        } else {
            Idempotency::Idempotent
        };
        Call {
            method,
            segments: segments.into_iter().map(Into::into).collect(),
            query: Vec::new(),
            body: None,
            idempotency,
            operation,
            action,
        }
    }

    /// Add a query parameter.
    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }

    /// Set the JSON body.
    pub fn json(mut self, body: &impl serde::Serialize) -> Result<Self, ConnectorError> {
        self.body = Some(
            serde_json::to_value(body).map_err(|e| ConnectorError::InvalidInput {
                field: "body",
                message: e.to_string(),
            })?,
        );
        Ok(self)
    }
}

/// The REST client of one connector.
pub(crate) struct ZoomClient {
    http: reqwest::Client,
    base: Url,
    retry: RetryPolicy,
    timeout: Duration,
}

/// Zoom's REST error body.
#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    errors: Vec<FieldError>,
}

impl ZoomClient {
    /// Build the HTTP client (timeouts set here apply to every request, token requests included).
    pub fn new(config: &ConnectorConfig) -> Result<(Self, reqwest::Client), ConnectorError> {
        let mut base = Url::parse(config.api_base_url.trim_end_matches('/')).map_err(|e| {
            ConnectorError::InvalidConfig(format!("api_base_url {:?}: {e}", config.api_base_url))
        })?;
        if base.cannot_be_a_base() {
            return Err(ConnectorError::InvalidConfig(format!(
                "api_base_url {:?} cannot be a base URL",
                config.api_base_url
            )));
        }
        Url::parse(&config.oauth_url).map_err(|e| {
            ConnectorError::InvalidConfig(format!("oauth_url {:?}: {e}", config.oauth_url))
        })?;
        base.set_query(None);
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("zoom-connector/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ConnectorError::InvalidConfig(format!("HTTP client: {e}")))?;
        Ok((
            ZoomClient {
                http: http.clone(),
                base,
                retry: config.retry.clone(),
                timeout: config.timeout,
            },
            http,
        ))
    }

    fn url(&self, call: &Call) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            for segment in &call.segments {
                path.push(segment);
            }
        }
        url
    }

    /// Send `call` and decode the JSON answer.
    pub async fn json<T: DeserializeOwned>(
        &self,
        auth: &Authenticator,
        call: Call,
    ) -> Result<T, ConnectorError> {
        let operation = call.operation;
        let body = self.send(auth, call).await?;
        serde_json::from_slice(&body).map_err(|e| ConnectorError::Decode {
            operation,
            message: e.to_string(),
        })
    }

    /// Send `call`, expecting no body (204).
    pub async fn empty(&self, auth: &Authenticator, call: Call) -> Result<(), ConnectorError> {
        self.send(auth, call).await.map(drop)
    }

    /// Send `call` with the retry rules of the module docs; the body of a 2xx answer.
    pub async fn send(&self, auth: &Authenticator, call: Call) -> Result<Vec<u8>, ConnectorError> {
        let url = self.url(&call);
        let body = match &call.body {
            Some(value) => {
                Some(
                    serde_json::to_vec(value).map_err(|e| ConnectorError::InvalidInput {
                        field: "body",
                        message: e.to_string(),
                    })?,
                )
            }
            None => None,
        };
        let mut delays = backoff_delays(&self.retry);
        let mut attempt: u32 = 1;
        let mut refreshed = false;
        let mut bearer = auth.bearer().await?;
        loop {
            let mut request = self
                .http
                .request(call.method.clone(), url.clone())
                .bearer_auth(bearer.token.expose_secret());
            if !call.query.is_empty() {
                request = request.query(&call.query);
            }
            if let Some(body) = &body {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            let response = match request.send().await {
                Ok(response) => response,
                Err(e) => {
                    let may_retry = e.is_connect() || call.idempotency == Idempotency::Idempotent;
                    if may_retry && attempt < self.retry.max_attempts {
                        tracing::debug!(operation = call.operation, attempt, error = %e, "retrying after a network error");
                        attempt += 1;
                        tokio::time::sleep(delays.next().unwrap_or(self.retry.max_backoff)).await;
                        continue;
                    }
                    return Err(self.network_error(&call, e));
                }
            };
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let bytes = match response.bytes().await {
                Ok(bytes) => bytes.to_vec(),
                Err(e) => {
                    if call.idempotency == Idempotency::Idempotent
                        && attempt < self.retry.max_attempts
                    {
                        attempt += 1;
                        tokio::time::sleep(delays.next().unwrap_or(self.retry.max_backoff)).await;
                        continue;
                    }
                    return Err(self.network_error(&call, e));
                }
            };
            if (200..300).contains(&status) {
                return Ok(bytes);
            }
            let parsed: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
            tracing::debug!(operation = call.operation, status, code = ?parsed.code, attempt, "Zoom answered an error");

            if status == 401 && parsed.code == Some(124) && !refreshed {
                refreshed = true;
                let server_time = headers
                    .get(reqwest::header::DATE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| OffsetDateTime::parse(v, &Rfc2822).ok());
                bearer = auth.replace(&bearer, server_time).await?;
                continue;
            }

            let message = parsed
                .message
                .clone()
                .unwrap_or_else(|| text_excerpt(&bytes, status));
            let mut error =
                ZoomApiError::classify(call.operation, call.action, status, parsed.code, message);
            error.field_errors = parsed.errors;

            if status == 429 {
                if is_daily_limit(&headers) {
                    error.kind = ErrorKind::DailyLimit;
                }
                let retry_after = headers
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, OffsetDateTime::now_utc()));
                error.retry_after = retry_after;
                if error.kind == ErrorKind::DailyLimit || attempt >= self.retry.max_attempts {
                    return Err(error.into());
                }
                let backoff = delays.next().unwrap_or(self.retry.max_backoff);
                let wait = match retry_after {
                    Some(wait) if wait > self.retry.max_retry_after => return Err(error.into()),
                    Some(wait) => wait.max(backoff),
                    None => backoff,
                };
                tracing::debug!(
                    operation = call.operation,
                    attempt,
                    ?wait,
                    "rate limited; waiting"
                );
                attempt += 1;
                tokio::time::sleep(wait).await;
                continue;
            }

            if status >= 500
                && call.idempotency == Idempotency::Idempotent
                && attempt < self.retry.max_attempts
            {
                attempt += 1;
                tokio::time::sleep(delays.next().unwrap_or(self.retry.max_backoff)).await;
                continue;
            }
            return Err(error.into());
        }
    }

    fn network_error(&self, call: &Call, e: reqwest::Error) -> ConnectorError {
        if call.idempotency == Idempotency::NotIdempotent && !e.is_connect() {
            return ConnectorError::OutcomeUnknown {
                operation: call.operation,
                cause: if e.is_timeout() {
                    format!("no answer within {:?}", self.timeout)
                } else {
                    format!("connection failed after the request was sent: {e}")
                },
            };
        }
        if e.is_timeout() {
            ConnectorError::Timeout {
                operation: call.operation,
                after: self.timeout,
            }
        } else {
            ConnectorError::Network {
                operation: call.operation,
                source: e,
            }
        }
    }
}

fn is_daily_limit(headers: &HeaderMap) -> bool {
    headers
        .get("x-ratelimit-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("daily-limit"))
}

fn text_excerpt(bytes: &[u8], status: u16) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    if text.is_empty() {
        format!("HTTP {status} with no error body")
    } else {
        text.chars().take(200).collect()
    }
}

/// The exponential backoff delays of `policy` (jittered), one per retry.
pub(crate) fn backoff_delays(policy: &RetryPolicy) -> impl Iterator<Item = Duration> + use<> {
    ExponentialBuilder::default()
        .with_min_delay(policy.initial_backoff)
        .with_max_delay(policy.max_backoff)
        .with_max_times(policy.max_attempts as usize)
        .with_jitter()
        .build()
}

/// Parse a `Retry-After` value relative to `now`: delta seconds (`120`), an HTTP-date
/// (`Wed, 21 Oct 2026 07:28:00 GMT`), or an ISO 8601 / RFC 3339 timestamp
/// (`2020-05-31T00:00:00Z`, as Zoom documents for daily limits). A date in the past means
/// "now" (zero). `None` when the value is none of these.
pub fn parse_retry_after(value: &str, now: OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let at = OffsetDateTime::parse(value, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(value, &Rfc2822))
        .ok()?;
    let delta = at - now;
    Some(if delta.is_positive() {
        Duration::try_from(delta).unwrap_or(Duration::ZERO)
    } else {
        Duration::ZERO
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-04 12:00:00 UTC);

    #[test]
    fn retry_after_delta_seconds() {
        assert_eq!(parse_retry_after("3", NOW), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 ", NOW), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_http_date() {
        assert_eq!(
            parse_retry_after("Fri, 04 Dec 2026 12:00:30 GMT", NOW),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn retry_after_iso_timestamp_as_zoom_documents() {
        assert_eq!(
            parse_retry_after("2026-12-05T00:00:00Z", NOW),
            Some(Duration::from_secs(12 * 3600))
        );
        assert_eq!(
            parse_retry_after("2026-12-04T13:00:00+01:00", NOW),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_in_the_past_is_zero_and_garbage_is_none() {
        assert_eq!(
            parse_retry_after("2020-05-31T00:00:00Z", NOW),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", NOW), None);
        assert_eq!(parse_retry_after("", NOW), None);
        assert_eq!(parse_retry_after("-5", NOW), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy {
            max_attempts: 6,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(1),
        };
        let delays: Vec<Duration> = backoff_delays(&policy).collect();
        assert_eq!(delays.len(), 6);
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(1000)));
        assert!(delays[0] >= Duration::from_millis(100));
    }
}
