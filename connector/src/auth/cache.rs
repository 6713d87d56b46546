//! The single-flight token cache shared by every request of one connector.
//!
//! One `tokio::sync::Mutex` guards the cached token and is held across the token request, so
//! when 100 actions find the cache empty at once, the first fetches and the other 99 wait for
//! the lock and then find the fresh token: one token request. Each token carries a generation
//! number so that a 401 on an old token never throws away a newer one that another request has
//! already fetched.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use secrecy::SecretString;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::ConnectorError;

/// A token as the token endpoint gave it.
pub(crate) struct FetchedToken {
    pub access_token: SecretString,
    pub expires_in: Duration,
    pub scopes: Vec<String>,
}

/// A token to put on a request, with the generation it belongs to.
#[derive(Clone)]
pub(crate) struct Bearer {
    pub token: SecretString,
    pub generation: u64,
}

struct Cached {
    token: SecretString,
    refresh_at: Instant,
    scopes: Vec<String>,
}

#[derive(Default)]
struct State {
    current: Option<Cached>,
    generation: u64,
    /// Credentials refused by the endpoint: callers that queued behind that request get the
    /// same answer instead of sending the refused credentials again one after another.
    refused: Option<(u64, RefusedCredentials)>,
}

#[derive(Clone)]
struct RefusedCredentials {
    status: u16,
    error: String,
    reason: String,
}

/// Caches one access token until `margin` before it expires.
pub(crate) struct TokenCache {
    state: Mutex<State>,
    /// Token requests finished so far; read without the lock so that a caller knows which
    /// requests finished after it arrived (and so answered it too).
    fetches: AtomicU64,
    margin: Duration,
}

impl TokenCache {
    pub fn new(margin: Duration) -> Self {
        TokenCache {
            state: Mutex::new(State::default()),
            fetches: AtomicU64::new(0),
            margin,
        }
    }

    /// The cached token, fetching one with `fetch` when there is none or it is about to expire.
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<Bearer, ConnectorError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, ConnectorError>>,
    {
        let fetches_before = self.fetches.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        if let Some(cached) = &state.current
            && Instant::now() < cached.refresh_at
        {
            return Ok(Bearer {
                token: cached.token.clone(),
                generation: state.generation,
            });
        }
        self.fetch_locked(&mut state, fetches_before, fetch).await
    }

    /// A replacement for the token of generation `rejected`, which Zoom refused (401 code 124).
    /// If another request already replaced it, that newer token is returned without a fetch.
    pub async fn replace<F, Fut>(&self, rejected: u64, fetch: F) -> Result<Bearer, ConnectorError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, ConnectorError>>,
    {
        let fetches_before = self.fetches.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        if state.generation != rejected
            && let Some(cached) = &state.current
            && Instant::now() < cached.refresh_at
        {
            return Ok(Bearer {
                token: cached.token.clone(),
                generation: state.generation,
            });
        }
        state.current = None;
        self.fetch_locked(&mut state, fetches_before, fetch).await
    }

    /// Fetch a new token whatever is cached (the connection test wants current scopes).
    pub async fn force<F, Fut>(&self, fetch: F) -> Result<(Bearer, Vec<String>), ConnectorError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, ConnectorError>>,
    {
        let fetches_before = self.fetches.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        state.current = None;
        let bearer = self.fetch_locked(&mut state, fetches_before, fetch).await?;
        let scopes = state
            .current
            .as_ref()
            .map(|c| c.scopes.clone())
            .unwrap_or_default();
        Ok((bearer, scopes))
    }

    /// Drop the cached token (credentials removed).
    pub async fn clear(&self) {
        let mut state = self.state.lock().await;
        state.current = None;
        state.generation += 1;
    }

    async fn fetch_locked<F, Fut>(
        &self,
        state: &mut State,
        fetches_before: u64,
        fetch: F,
    ) -> Result<Bearer, ConnectorError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, ConnectorError>>,
    {
        if let Some((at, refused)) = &state.refused
            && *at > fetches_before
        {
            return Err(ConnectorError::Auth {
                status: refused.status,
                error: refused.error.clone(),
                reason: refused.reason.clone(),
            });
        }
        let result = fetch().await;
        let this_fetch = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        match result {
            Ok(fetched) => {
                let lifetime = if fetched.expires_in > self.margin * 2 {
                    fetched.expires_in - self.margin
                } else {
                    // A token shorter-lived than twice the margin is still worth half its life.
                    fetched.expires_in / 2
                };
                state.generation += 1;
                state.refused = None;
                state.current = Some(Cached {
                    token: fetched.access_token.clone(),
                    refresh_at: Instant::now() + lifetime,
                    scopes: fetched.scopes,
                });
                Ok(Bearer {
                    token: fetched.access_token,
                    generation: state.generation,
                })
            }
            Err(err) => {
                if let ConnectorError::Auth {
                    status,
                    error,
                    reason,
                } = &err
                {
                    state.refused = Some((
                        this_fetch,
                        RefusedCredentials {
                            status: *status,
                            error: error.clone(),
                            reason: reason.clone(),
                        },
                    ));
                }
                Err(err)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    fn token(n: usize, secs: u64) -> FetchedToken {
        FetchedToken {
            access_token: SecretString::from(format!("token-{n}")),
            expires_in: Duration::from_secs(secs),
            scopes: vec!["meeting:write".into()],
        }
    }

    #[tokio::test(start_paused = true)]
    async fn hundred_concurrent_callers_cause_one_fetch() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(300)));
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..100 {
            let cache = cache.clone();
            let fetches = fetches.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async {
                        let n = fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(token(n, 3600))
                    })
                    .await
                    .unwrap()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().token.expose_secret(), "token-0");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn token_is_replaced_shortly_before_expiry() {
        let cache = TokenCache::new(Duration::from_secs(300));
        let n = AtomicUsize::new(0);
        let fetch = || async { Ok(token(n.fetch_add(1, Ordering::SeqCst), 3600)) };
        assert_eq!(
            cache.get(fetch).await.unwrap().token.expose_secret(),
            "token-0"
        );
        tokio::time::advance(Duration::from_secs(3299)).await;
        assert_eq!(
            cache.get(fetch).await.unwrap().token.expose_secret(),
            "token-0"
        );
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(
            cache.get(fetch).await.unwrap().token.expose_secret(),
            "token-1"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_rejection_of_an_old_generation_keeps_the_newer_token() {
        let cache = TokenCache::new(Duration::from_secs(300));
        let n = AtomicUsize::new(0);
        let fetch = || async { Ok(token(n.fetch_add(1, Ordering::SeqCst), 3600)) };
        let first = cache.get(fetch).await.unwrap();
        let second = cache.replace(first.generation, fetch).await.unwrap();
        assert_eq!(second.token.expose_secret(), "token-1");
        // A late 401 on the first token must not cause a third fetch.
        let again = cache.replace(first.generation, fetch).await.unwrap();
        assert_eq!(again.token.expose_secret(), "token-1");
        assert_eq!(n.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn refused_credentials_are_not_resent_by_queued_callers() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(300)));
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let cache = cache.clone();
            let fetches = fetches.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Err::<FetchedToken, _>(ConnectorError::Auth {
                            status: 400,
                            error: "invalid_client".into(),
                            reason: "Invalid client_id or client_secret".into(),
                        })
                    })
                    .await
            }));
        }
        for task in tasks {
            assert!(matches!(
                task.await.unwrap(),
                Err(ConnectorError::Auth { .. })
            ));
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }
}
