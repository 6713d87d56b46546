//! Requests to Zoom's OAuth token endpoint (`POST /oauth/token`, Basic client auth, form body).
//!
//! Errors here come as `{"reason", "error"}`, not the REST `{"code", "message"}`. Asking for a
//! token has no side effect worth protecting, so connection failures, 5xx and 429 are retried
//! under the same [`RetryPolicy`] as REST calls; a 4xx refusal is final.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::cache::FetchedToken;
use crate::client::{backoff_delays, parse_retry_after};
use crate::config::RetryPolicy;
use crate::error::ConnectorError;

const OPERATION: &str = "POST /oauth/token";

/// The token endpoint of one app.
pub(crate) struct TokenEndpoint {
    pub http: reqwest::Client,
    pub url: String,
    pub client_id: String,
    pub client_secret: SecretString,
    pub retry: RetryPolicy,
    pub timeout: Duration,
}

/// A successful token answer.
pub(crate) struct TokenGrant {
    pub token: FetchedToken,
    /// Present for user OAuth: the rotated refresh token that replaces the one just used.
    pub refresh_token: Option<SecretString>,
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
}

#[derive(Deserialize, Default)]
struct TokenErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    // Some token errors use the REST shape.
    #[serde(default)]
    message: Option<String>,
}

impl TokenEndpoint {
    /// Ask for a token with the given grant parameters.
    pub async fn request(&self, params: &[(&str, &str)]) -> Result<TokenGrant, ConnectorError> {
        let mut delays = backoff_delays(&self.retry);
        let mut attempt = 1;
        loop {
            let sent = self
                .http
                .post(&self.url)
                .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
                .form(params)
                .send()
                .await;
            let retry_wait = match sent {
                Err(e) => {
                    if attempt >= self.retry.max_attempts {
                        return Err(network_error(e, self.timeout));
                    }
                    delays.next().unwrap_or(self.retry.max_backoff)
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, time::OffsetDateTime::now_utc()));
                    let bytes = response
                        .bytes()
                        .await
                        .map_err(|e| network_error(e, self.timeout))?;
                    if status == 200 {
                        return parse_grant(&bytes);
                    }
                    let retryable = status == 429 || status >= 500;
                    if !retryable || attempt >= self.retry.max_attempts {
                        let body: TokenErrorBody =
                            serde_json::from_slice(&bytes).unwrap_or_default();
                        return Err(ConnectorError::Auth {
                            status,
                            error: body.error.unwrap_or_else(|| format!("HTTP {status}")),
                            reason: body.reason.or(body.message).unwrap_or_default(),
                        });
                    }
                    let backoff = delays.next().unwrap_or(self.retry.max_backoff);
                    match retry_after {
                        Some(wait) if wait > self.retry.max_retry_after => {
                            return Err(ConnectorError::Auth {
                                status,
                                error: "rate_limited".into(),
                                reason: format!("token endpoint asked to wait {wait:?}"),
                            });
                        }
                        Some(wait) => wait.max(backoff),
                        None => backoff,
                    }
                }
            };
            attempt += 1;
            tokio::time::sleep(retry_wait).await;
        }
    }
}

fn parse_grant(bytes: &[u8]) -> Result<TokenGrant, ConnectorError> {
    let body: TokenBody = serde_json::from_slice(bytes).map_err(|e| ConnectorError::Decode {
        operation: OPERATION,
        message: e.to_string(),
    })?;
    if body.access_token.is_empty() {
        return Err(ConnectorError::Decode {
            operation: OPERATION,
            message: "empty access_token".into(),
        });
    }
    Ok(TokenGrant {
        token: FetchedToken {
            access_token: SecretString::from(body.access_token),
            // Zoom's tokens live an hour; assume that when the field is missing.
            expires_in: Duration::from_secs(body.expires_in.unwrap_or(3600)),
            scopes: body
                .scope
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        },
        refresh_token: body.refresh_token.map(SecretString::from),
    })
}

fn network_error(e: reqwest::Error, timeout: Duration) -> ConnectorError {
    if e.is_timeout() {
        ConnectorError::Timeout {
            operation: OPERATION,
            after: timeout,
        }
    } else {
        ConnectorError::Network {
            operation: OPERATION,
            source: e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_zoom_token_answer_with_space_delimited_scopes() {
        let grant = parse_grant(
            br#"{"access_token":"abc","token_type":"bearer","expires_in":3599,"scope":"meeting:write:admin user:read:admin","api_url":"https://api-us.zoom.us"}"#,
        )
        .unwrap();
        assert_eq!(grant.token.access_token.expose_secret(), "abc");
        assert_eq!(grant.token.expires_in, Duration::from_secs(3599));
        assert_eq!(
            grant.token.scopes,
            vec!["meeting:write:admin", "user:read:admin"]
        );
        assert!(grant.refresh_token.is_none());
    }

    #[test]
    fn rejects_an_answer_without_a_token() {
        assert!(matches!(
            parse_grant(br#"{"token_type":"bearer"}"#),
            Err(ConnectorError::Decode { .. })
        ));
    }
}
