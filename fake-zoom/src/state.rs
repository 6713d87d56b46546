//! The shared state of one fake server: configuration, clock, journal, faults, the app
//! registry, issued tokens, and the accounts, each behind its own short-held mutex. No lock is
//! ever held across an `.await`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use base64::Engine as _;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::auth::scopes::{Grant, ScopeSet};
use crate::auth::tokens::TokenStore;
use crate::clock::Clock;
use crate::config::{AppAuth, AuthKind, FakeConfig};
use crate::faults::FaultSet;
use crate::journal::{Journal, scrub_json};
use crate::model::account::Account;

/// An installed app as the server knows it at run time.
#[derive(Debug, Clone)]
pub struct AppEntry {
    /// The account it is installed on.
    pub account_id: String,
    /// Its name.
    pub name: String,
    /// Its credentials and mode.
    pub auth: AppAuth,
    /// What it may do (scopes can change at run time).
    pub grant: Grant,
    /// When its tokens were last revoked.
    pub revoked_at: Option<OffsetDateTime>,
}

impl AppEntry {
    /// The auth mode.
    pub fn kind(&self) -> AuthKind {
        self.auth.kind()
    }
}

/// Ids, passcodes and tokens from one seeded generator.
#[derive(Debug)]
pub struct IdGen {
    next: AtomicU64,
    rng: Mutex<StdRng>,
}

impl IdGen {
    fn new(seed: u64) -> Self {
        Self {
            next: AtomicU64::new(0),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        }
    }
    fn rng(&self) -> MutexGuard<'_, StdRng> {
        self.rng.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// A fresh 11-digit meeting or webinar number (unique per server).
    pub fn meeting_id(&self) -> u64 {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        81_000_000_000 + n * 7_919 + self.rng().random_range(0..7_919)
    }
    /// A 10-digit personal meeting id.
    pub fn pmi(&self) -> u64 {
        self.rng().random_range(2_000_000_000..9_999_999_999)
    }
    /// A meeting-instance uuid as Zoom writes them (base64 of 16 bytes).
    pub fn uuid(&self) -> String {
        let mut bytes = [0u8; 16];
        self.rng().fill(&mut bytes);
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }
    /// A URL-safe random token of `bytes` bytes.
    pub fn token(&self, bytes: usize) -> String {
        let mut buf = vec![0u8; bytes];
        self.rng().fill(&mut buf[..]);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
    }
    /// A passcode of `len` letters and digits.
    pub fn passcode(&self, len: usize) -> String {
        const CHARS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = self.rng();
        (0..len)
            .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
            .collect()
    }
    /// A string of `len` digits.
    pub fn digits(&self, len: usize) -> String {
        let mut rng = self.rng();
        (0..len)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect()
    }
    /// A user or registrant id in Zoom's 22-character style.
    pub fn zoom_id(&self) -> String {
        self.token(16)
    }
}

/// The state of one fake server.
#[derive(Debug)]
pub struct FakeState {
    /// The configuration it started from (reset returns to it).
    pub config: FakeConfig,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The virtual clock.
    pub clock: Clock,
    /// The request journal.
    pub journal: Journal,
    /// Injected faults.
    pub faults: FaultSet,
    /// Issued credentials.
    pub tokens: TokenStore,
    /// Ids and secrets.
    pub ids: IdGen,
    /// Live rooms, cloud recordings and webhooks.
    pub live: crate::control_rooms::LiveMeetings,
    apps: RwLock<HashMap<String, Arc<AppEntry>>>,
    accounts: HashMap<String, Arc<Mutex<Account>>>,
    started: std::time::Instant,
}

/// Why a control operation was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ControlError {
    /// No app has this client id / API key.
    #[error("no app has client id or API key {0}")]
    UnknownApp(String),
    /// The scopes are not usable.
    #[error("invalid scopes: {0}")]
    InvalidScopes(String),
}

impl FakeState {
    /// State for a validated configuration, served at `base_url`.
    pub fn new(config: FakeConfig, base_url: String) -> Self {
        let clock = Clock::new(&config.clock);
        let ids = IdGen::new(config.seed);
        let now = clock.now();
        let accounts = config
            .accounts
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    Arc::new(Mutex::new(Account::from_config(a, now, &base_url, || {
                        ids.pmi()
                    }))),
                )
            })
            .collect();
        let state = Self {
            journal: Journal::new(config.journal_capacity),
            apps: RwLock::new(HashMap::new()),
            faults: FaultSet::default(),
            tokens: TokenStore::default(),
            clock,
            ids,
            // The webhook delivery log is bounded like the journal, with the same capacity.
            live: crate::control_rooms::LiveMeetings::with_delivery_log_capacity(
                config.seed,
                config.journal_capacity,
            ),
            accounts,
            base_url,
            config,
            started: std::time::Instant::now(),
        };
        *state.apps.write().unwrap_or_else(|e| e.into_inner()) = state.apps_from_config();
        state
    }

    fn apps_from_config(&self) -> HashMap<String, Arc<AppEntry>> {
        let mut apps = HashMap::new();
        for account in &self.config.accounts {
            for app in &account.apps {
                let grant = match app.auth {
                    AppAuth::ApiKey { .. } => Grant::Full,
                    _ => Grant::Scopes(Arc::new(
                        // Validated with the configuration.
                        ScopeSet::new(app.scopes.clone()).unwrap_or_else(|_| {
                            ScopeSet::new(Vec::new()).expect("empty scope set")
                        }),
                    )),
                };
                apps.insert(
                    app.auth.key().to_string(),
                    Arc::new(AppEntry {
                        account_id: account.id.clone(),
                        name: app.name.clone(),
                        auth: app.auth.clone(),
                        grant,
                        revoked_at: None,
                    }),
                );
            }
        }
        apps
    }

    /// Move the clock forward and let time-driven work (webhook retries, recording retention)
    /// catch up: the one way the handle and the control API advance time.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.clock.advance(by);
        self.live.clock_advanced(self);
    }

    /// The current time on the fake's clock.
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Whole real seconds since the server started (per-second rate-limit windows).
    pub fn real_second(&self) -> u64 {
        self.started.elapsed().as_secs()
    }

    /// An app by client id or API key.
    pub fn app(&self, key: &str) -> Option<Arc<AppEntry>> {
        self.apps
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    /// An account's state.
    pub fn account(&self, id: &str) -> Option<&Arc<Mutex<Account>>> {
        self.accounts.get(id)
    }

    /// Lock an account (short critical sections only; never across `.await`).
    pub fn lock_account(&self, id: &str) -> Option<MutexGuard<'_, Account>> {
        self.accounts
            .get(id)
            .map(|a| a.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Ids of all accounts.
    pub fn account_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.accounts.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// Replace an app's scopes (names must be one model). Applies to tokens already issued.
    pub fn set_app_scopes(&self, key: &str, scopes: Vec<String>) -> Result<(), ControlError> {
        let set = ScopeSet::new(scopes).map_err(ControlError::InvalidScopes)?;
        let mut apps = self.apps.write().unwrap_or_else(|e| e.into_inner());
        let entry = apps
            .get_mut(key)
            .ok_or_else(|| ControlError::UnknownApp(key.to_string()))?;
        if entry.kind() == AuthKind::ApiKey {
            return Err(ControlError::InvalidScopes(
                "API Key/Secret apps have no scopes".into(),
            ));
        }
        let mut updated = (**entry).clone();
        updated.grant = Grant::Scopes(Arc::new(set));
        *entry = Arc::new(updated);
        Ok(())
    }

    /// Revoke every token of an app: access and refresh tokens, codes, ZAK/OBF; API Key JWTs
    /// issued until now.
    pub fn revoke_tokens(&self, key: &str) -> Result<(), ControlError> {
        let now = self.now();
        {
            let mut apps = self.apps.write().unwrap_or_else(|e| e.into_inner());
            let entry = apps
                .get_mut(key)
                .ok_or_else(|| ControlError::UnknownApp(key.to_string()))?;
            let mut updated = (**entry).clone();
            updated.revoked_at = Some(now);
            *entry = Arc::new(updated);
        }
        self.tokens.revoke_app(key);
        Ok(())
    }

    /// Back to the configured state: accounts, apps and scopes, tokens, journal, faults, clock.
    pub fn reset(&self) {
        self.clock.reset(&self.config.clock);
        let now = self.now();
        for account in &self.config.accounts {
            if let Some(slot) = self.accounts.get(&account.id) {
                let fresh = Account::from_config(account, now, &self.base_url, || self.ids.pmi());
                *slot.lock().unwrap_or_else(|e| e.into_inner()) = fresh;
            }
        }
        *self.apps.write().unwrap_or_else(|e| e.into_inner()) = self.apps_from_config();
        self.tokens.clear();
        self.journal.clear();
        self.faults.clear();
        self.live.reset();
    }

    /// Uninstall an app: it disappears (its tokens are refused and no new ones are issued).
    pub fn uninstall_app(&self, key: &str) -> Option<Arc<AppEntry>> {
        let removed = self
            .apps
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
        self.tokens.revoke_app(key);
        removed
    }

    /// A JSON view of the whole state, secrets scrubbed.
    pub fn snapshot(&self) -> Value {
        let now = self.now();
        let live_tokens = self.tokens.live_access_counts(now);
        let apps: Vec<Value> = {
            let apps = self.apps.read().unwrap_or_else(|e| e.into_inner());
            let mut list: Vec<Value> = apps
                .iter()
                .map(|(key, app)| {
                    json!({
                        "key": key,
                        "name": app.name,
                        "account_id": app.account_id,
                        "kind": app.kind(),
                        "scopes": match &app.grant {
                            Grant::Full => Value::Null,
                            Grant::Scopes(s) => json!(s.names()),
                        },
                        "scope_model": match &app.grant {
                            Grant::Full => Value::Null,
                            Grant::Scopes(s) => json!(s.model()),
                        },
                        "live_access_tokens": live_tokens.get(key).copied().unwrap_or(0),
                    })
                })
                .collect();
            list.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
            list
        };
        let mut accounts = Vec::new();
        for id in self.account_ids() {
            if let Some(account) = self.lock_account(&id) {
                let meetings: Vec<Value> = account
                    .meetings
                    .values()
                    .map(|m| {
                        let mut v = m.to_json(None, true);
                        v["registrants"] = json!(m.registrants);
                        v
                    })
                    .collect();
                accounts.push(json!({
                    "id": account.id,
                    "plan": account.plan,
                    "users": account.users,
                    "meetings": meetings,
                    "deleted_meetings": account.deleted_meetings.keys().collect::<Vec<_>>(),
                    "webinars": account.webinars.values().collect::<Vec<_>>(),
                }));
            }
        }
        let mut value = json!({
            "now": crate::model::meeting::zoom_time::format(now),
            "clock_paused": self.clock.is_paused(),
            "apps": apps,
            "accounts": accounts,
            "faults": self.faults.rules(),
            "live": self.live.snapshot(self),
        });
        scrub_json(&mut value);
        value
    }
}
