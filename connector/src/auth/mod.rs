//! Authentication: one [`Authenticator`] per connector turns the configured credentials into a
//! bearer token for each request.
//!
//! - `s2s`: Server-to-Server OAuth (`account_credentials` grant).
//! - `jwt`: API Key/Secret, an HS256 JWT minted per request.
//! - `user_oauth`: user OAuth with a rotating refresh token and the [`TokenStore`] it lives in.
//! - `cache`: the single-flight token cache the OAuth modes share.
//! - `token_endpoint`: the `/oauth/token` request itself.

mod cache;
mod jwt;
mod s2s;
mod token_endpoint;
mod user_oauth;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::SecretString;

pub(crate) use cache::Bearer;
use cache::TokenCache;
use token_endpoint::TokenEndpoint;
pub use user_oauth::{MemoryTokenStore, TokenStore};

use crate::config::{AuthConfig, AuthMode, ConnectorConfig};
use crate::error::ConnectorError;

enum Source {
    ServerToServer {
        account_id: String,
        endpoint: TokenEndpoint,
    },
    ApiKey {
        api_key: String,
        api_secret: SecretString,
        ttl: Duration,
        /// Seconds Zoom's clock is ahead of ours (negative: behind), learnt from the `Date`
        /// of a 401 code 124. Zoom judges `exp` on its own clock, so a JWT minted on a clock
        /// that lags by more than its lifetime is expired on arrival; minting on Zoom's time
        /// fixes that, for real clock skew as for a fake's virtual clock.
        skew_secs: AtomicI64,
    },
    User {
        endpoint: TokenEndpoint,
        store: Arc<dyn TokenStore>,
    },
}

/// Hands out bearer tokens for one set of credentials.
pub(crate) struct Authenticator {
    source: Source,
    cache: TokenCache,
    mode: AuthMode,
}

impl Authenticator {
    /// Build from the configuration; `http` is the connector's client (timeouts set).
    pub fn new(config: &ConnectorConfig, http: reqwest::Client) -> Result<Self, ConnectorError> {
        let endpoint = |client_id: &str, client_secret: &SecretString| TokenEndpoint {
            http: http.clone(),
            url: config.oauth_url.clone(),
            client_id: client_id.to_string(),
            client_secret: client_secret.clone(),
            retry: config.retry.clone(),
            timeout: config.timeout,
        };
        let source = match &config.auth {
            AuthConfig::ServerToServerOAuth {
                account_id,
                client_id,
                client_secret,
            } => {
                require("account_id", account_id)?;
                require("client_id", client_id)?;
                Source::ServerToServer {
                    account_id: account_id.clone(),
                    endpoint: endpoint(client_id, client_secret),
                }
            }
            AuthConfig::ApiKey {
                api_key,
                api_secret,
            } => {
                require("api_key", api_key)?;
                Source::ApiKey {
                    api_key: api_key.clone(),
                    api_secret: api_secret.clone(),
                    ttl: config.jwt_ttl,
                    skew_secs: AtomicI64::new(0),
                }
            }
            AuthConfig::UserOAuth {
                client_id,
                client_secret,
                store,
            } => {
                require("client_id", client_id)?;
                Source::User {
                    endpoint: endpoint(client_id, client_secret),
                    store: store.clone(),
                }
            }
        };
        Ok(Authenticator {
            source,
            cache: TokenCache::new(config.token_refresh_margin),
            mode: config.auth.mode(),
        })
    }

    /// The auth mode.
    pub fn mode(&self) -> AuthMode {
        self.mode
    }

    /// A token for the next request.
    pub async fn bearer(&self) -> Result<Bearer, ConnectorError> {
        match &self.source {
            Source::ApiKey {
                api_key,
                api_secret,
                ttl,
                skew_secs,
            } => {
                let now = zoom_now(skew_secs);
                Ok(Bearer {
                    token: jwt::mint(api_key, api_secret, *ttl, now)?,
                    // An API Key bearer's generation is its `iat`: later JWTs are newer.
                    generation: unix_seconds(now),
                })
            }
            _ => self.cache.get(|| self.fetch()).await,
        }
    }

    /// A replacement for `rejected`, which Zoom answered with 401 code 124 at `server_time`
    /// (the answer's `Date`, when it had one).
    pub async fn replace(
        &self,
        rejected: &Bearer,
        server_time: Option<time::OffsetDateTime>,
    ) -> Result<Bearer, ConnectorError> {
        match &self.source {
            Source::ApiKey { skew_secs, .. } => {
                if let Some(server_time) = server_time {
                    let skew = (server_time - time::OffsetDateTime::now_utc()).whole_seconds();
                    // Ignore the second or two a Date header is off by anyway.
                    skew_secs.store(if skew.abs() > 5 { skew } else { 0 }, Ordering::Relaxed);
                }
                // A revocation refuses every JWT issued at or before it, in whole seconds
                // (`iat`), so a JWT minted in the refused one's second could not show it is
                // newer: let that second end first. At most a second, once per refused request;
                // a clock just corrected backwards for skew does not wait.
                while unix_seconds(zoom_now(skew_secs)) == rejected.generation {
                    let into_second = zoom_now(skew_secs)
                        .duration_since(UNIX_EPOCH)
                        .map(|d| d.subsec_nanos())
                        .unwrap_or(0);
                    let rest = Duration::from_secs(1) - Duration::from_nanos(into_second.into());
                    tokio::time::sleep(rest + Duration::from_millis(1)).await;
                }
                self.bearer().await
            }
            _ => {
                self.cache
                    .replace(rejected.generation, || self.fetch())
                    .await
            }
        }
    }

    /// Authenticate afresh and return the granted scopes (`None`: API Key/Secret, which has no
    /// scopes). A JWT is only checked by Zoom on use, so for API keys the caller must make a call.
    pub async fn authenticate(&self) -> Result<(Bearer, Option<Vec<String>>), ConnectorError> {
        match &self.source {
            Source::ApiKey { .. } => Ok((self.bearer().await?, None)),
            _ => {
                let (bearer, scopes) = self.cache.force(|| self.fetch()).await?;
                Ok((bearer, Some(scopes)))
            }
        }
    }

    /// Complete a user-OAuth authorization: exchange `code` and store the refresh token.
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
    ) -> Result<(), ConnectorError> {
        match &self.source {
            Source::User { endpoint, store } => {
                user_oauth::exchange_code(endpoint, store.as_ref(), code, redirect_uri).await?;
                self.cache.clear().await;
                Ok(())
            }
            _ => Err(ConnectorError::InvalidConfig(
                "authorization codes are only used by user OAuth apps".into(),
            )),
        }
    }

    async fn fetch(&self) -> Result<cache::FetchedToken, ConnectorError> {
        match &self.source {
            Source::ServerToServer {
                account_id,
                endpoint,
            } => s2s::fetch(endpoint, account_id).await,
            Source::User { endpoint, store } => user_oauth::refresh(endpoint, store.as_ref()).await,
            Source::ApiKey { .. } => unreachable_api_key(),
        }
    }
}

/// Our clock corrected by the skew learnt from Zoom: the clock API Key JWTs are minted on.
fn zoom_now(skew_secs: &AtomicI64) -> SystemTime {
    let skew = skew_secs.load(Ordering::Relaxed);
    if skew >= 0 {
        SystemTime::now() + Duration::from_secs(skew.unsigned_abs())
    } else {
        SystemTime::now() - Duration::from_secs(skew.unsigned_abs())
    }
}

/// Whole seconds since the epoch (0 before it; minting then fails with a clear error).
fn unix_seconds(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn unreachable_api_key() -> Result<cache::FetchedToken, ConnectorError> {
    // API keys mint per request and never reach the cache; say so rather than panic.
    Err(ConnectorError::InvalidConfig(
        "API Key/Secret tokens are minted, not fetched".into(),
    ))
}

fn require(field: &'static str, value: &str) -> Result<(), ConnectorError> {
    if value.trim().is_empty() {
        Err(ConnectorError::InvalidConfig(format!("{field} is empty")))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use secrecy::ExposeSecret;

    fn issued_at(bearer: &Bearer) -> u64 {
        let token = bearer.token.expose_secret();
        let payload = token.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        claims["iat"].as_u64().unwrap()
    }

    /// The JWT that replaces a refused one is issued in a later second: a revocation refuses
    /// every JWT issued at or before it, in whole seconds, so one from the same second as the
    /// refused JWT could not show it is newer.
    #[tokio::test]
    async fn a_refused_api_key_jwt_is_replaced_by_one_issued_in_a_later_second() {
        let config = ConnectorConfig::new(AuthConfig::ApiKey {
            api_key: "k".into(),
            api_secret: SecretString::from("s"),
        });
        let auth = Authenticator::new(&config, reqwest::Client::new()).unwrap();
        let refused = auth.bearer().await.unwrap();
        let replacement = auth.replace(&refused, None).await.unwrap();
        assert!(
            issued_at(&replacement) > issued_at(&refused),
            "{} then {}",
            issued_at(&refused),
            issued_at(&replacement)
        );
    }
}
