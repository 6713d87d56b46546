//! # fake-zoom
//!
//! A stateful fake of Zoom's REST API and OAuth, embeddable in Rust tests or served standalone
//! (`fake-zoom serve`). A Zoom client pointed at it by base URL sees Zoom's own paths, status
//! codes, JSON field names and error bodies.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use fake_zoom::{AccountConfig, AppConfig, FakeZoom, UserConfig, Role};
//! let fake = FakeZoom::builder()
//!     .account(
//!         AccountConfig::new("acct-1")
//!             .user(UserConfig::new("u-owner", "owner@example.com").role(Role::Owner))
//!             .app(AppConfig::server_to_server("runbooks", "cid", "csecret",
//!                 vec!["meeting:write:meeting:admin".into()])),
//!     )
//!     .start()
//!     .await?;
//! let token_url = fake.oauth_token_url();   // http://127.0.0.1:PORT/oauth/token
//! let api = fake.api_base_url();            // http://127.0.0.1:PORT/v2
//! # let _ = (token_url, api);
//! fake.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The parts:
//! * [`config`]: accounts, users, apps (auth mode, scopes), plan, rate limits, clock;
//! * [`server`]: `run(listener, state, shutdown)`, the router, body limit, faults, journal;
//! * [`state`]: the shared state, one short-held lock per account;
//! * [`clock`]: the virtual clock (real, or paused and advanced);
//! * [`auth`]: `/oauth/token` and `/oauth/authorize`, API Key/Secret JWTs, issued tokens, and
//!   [`auth::scopes`], the one endpoint → scopes table (classic and granular);
//! * [`api`]: Zoom's `/v2` routes, one file per resource;
//! * [`model`]: accounts, users, meetings, webinars, with no HTTP in them;
//! * [`zoom_error`]: every Zoom error body;
//! * [`rate_limit`]: per-account per-category limits and the per-host daily cap;
//! * [`journal`]: the bounded request journal, secrets scrubbed;
//! * [`faults`]: latency, status, 429 storms, dropped connections per route;
//! * [`control`]: the `/_fake/` API, mirrored by the [`FakeZoom`] handle;
//! * [`control_rooms`]: live rooms (participants, waiting room, admission), recordings and
//!   webhooks glued together, their `/_fake/` routes and handle methods;
//! * [`webhooks`]: per-app subscriptions, Zoom's signing and URL validation, delivery with
//!   retries on the fake's clock.

#![warn(missing_docs)]

pub mod api;
pub mod auth;
pub mod clock;
pub mod config;
pub mod control;
pub mod control_rooms;
pub mod faults;
pub mod journal;
pub mod model;
pub mod rate_limit;
pub mod server;
pub mod state;
pub mod webhooks;
pub mod zoom_error;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{
    AccountConfig, AppAuth, AppConfig, AuthKind, ClockConfig, ConfigError, FakeConfig, Plan,
    RateLimitConfig, Role, UserConfig,
};
pub use faults::{Fault, FaultRule};
pub use journal::JournalEntry;
pub use state::{ControlError, FakeState};
pub use zoom_error::ZoomError;

/// Why the fake did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration is inconsistent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// Builds a [`FakeZoom`].
#[derive(Debug, Clone)]
pub struct FakeZoomBuilder {
    config: FakeConfig,
    listen: SocketAddr,
}

impl FakeZoomBuilder {
    /// Use this whole configuration (replaces accounts added before).
    pub fn config(mut self, config: FakeConfig) -> Self {
        self.config = config;
        self
    }
    /// Add an account.
    pub fn account(mut self, account: AccountConfig) -> Self {
        self.config.accounts.push(account);
        self
    }
    /// A paused clock starting at `start`.
    pub fn paused_clock(mut self, start: OffsetDateTime) -> Self {
        self.config.clock = ClockConfig::Paused { start };
        self
    }
    /// Seed ids, passcodes and tokens.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }
    /// Listen here instead of `127.0.0.1:0`.
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }
    /// Validate the configuration, bind, and serve in the background.
    pub async fn start(self) -> Result<FakeZoom, StartError> {
        self.config.validate()?;
        let listener = TcpListener::bind(self.listen)
            .await
            .map_err(|source| StartError::Bind {
                addr: self.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: self.listen,
            source,
        })?;
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        let base_url = if addr.is_ipv6() {
            format!("http://[{host}]:{}", addr.port())
        } else {
            format!("http://{host}:{}", addr.port())
        };
        let state = Arc::new(FakeState::new(self.config, base_url));
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server::run(listener, state.clone(), async move {
            let _ = rx.await;
        }));
        Ok(FakeZoom {
            state,
            addr,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// A running fake Zoom. Dropping it stops the server (without waiting); call
/// [`FakeZoom::shutdown`] to wait for it.
#[derive(Debug)]
pub struct FakeZoom {
    state: Arc<FakeState>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl FakeZoom {
    /// A builder with no accounts, real clock, bound to `127.0.0.1:0`.
    pub fn builder() -> FakeZoomBuilder {
        FakeZoomBuilder {
            config: FakeConfig::new(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }
    /// `http://127.0.0.1:PORT/v2`.
    pub fn api_base_url(&self) -> String {
        format!("{}/v2", self.state.base_url)
    }
    /// `http://127.0.0.1:PORT/oauth/token`.
    pub fn oauth_token_url(&self) -> String {
        format!("{}/oauth/token", self.state.base_url)
    }
    /// The shared state (for in-crate extensions and tests).
    pub fn state(&self) -> &Arc<FakeState> {
        &self.state
    }
    /// The fake's current time.
    pub fn now(&self) -> OffsetDateTime {
        self.state.now()
    }
    /// Move the clock forward.
    pub fn advance(&self, by: Duration) {
        self.state.advance_clock(by);
    }
    /// JSON snapshot of the state, secrets scrubbed.
    pub fn snapshot(&self) -> serde_json::Value {
        self.state.snapshot()
    }
    /// Back to the configured state.
    pub fn reset(&self) {
        self.state.reset();
    }
    /// The recorded requests, oldest first, secrets scrubbed.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.state.journal.entries()
    }
    /// Replace an app's scopes (client id or API key).
    pub fn set_app_scopes(&self, key: &str, scopes: Vec<String>) -> Result<(), ControlError> {
        self.state.set_app_scopes(key, scopes)
    }
    /// Revoke every token of an app.
    pub fn revoke_tokens(&self, key: &str) -> Result<(), ControlError> {
        self.state.revoke_tokens(key)
    }
    /// Install a fault rule.
    pub fn inject_fault(&self, rule: FaultRule) -> Result<(), String> {
        self.state.faults.add(rule)
    }
    /// Remove every fault rule.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }
    /// Stop accepting, finish in-flight requests (at most 5 s), and wait for the server.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeZoom {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
