//! The fake's configuration: accounts, their users and apps (auth mode and granted scopes),
//! plan, rate limits and the clock. It is the YAML of `fake-zoom serve --config x.yaml` and
//! the input of [`crate::FakeZoom::builder`].
//!
//! ```yaml
//! clock: {mode: paused, start: "2026-12-04T09:00:00Z"}
//! accounts:
//!   - id: acct-1
//!     plan: business
//!     users:
//!       - {id: u-owner, email: owner@example.com, first_name: Olive, last_name: Owner, role: owner}
//!     apps:
//!       - name: runbooks
//!         auth: {kind: server_to_server_oauth, client_id: cid, client_secret: csecret}
//!         scopes: [meeting:write:meeting:admin, meeting:read:meeting:admin]
//! ```

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::auth::scopes::ScopeModel;

/// Everything one fake server serves.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FakeConfig {
    /// Zoom accounts, isolated from each other.
    #[serde(default)]
    pub accounts: Vec<AccountConfig>,
    /// Real time (default) or a paused clock advanced by the control API.
    #[serde(default)]
    pub clock: ClockConfig,
    /// How many requests the journal keeps (oldest dropped first).
    /// The webhook delivery log keeps as many attempts.
    #[serde(default = "default_journal_capacity")]
    pub journal_capacity: usize,
    /// Largest request body accepted, in bytes; larger bodies get HTTP 413.
    #[serde(default = "default_body_limit")]
    pub body_limit_bytes: usize,
    /// Seed for ids, passcodes and tokens, so that runs are repeatable.
    #[serde(default)]
    pub seed: u64,
}

fn default_journal_capacity() -> usize {
    1024
}
fn default_body_limit() -> usize {
    256 * 1024
}

impl FakeConfig {
    /// An empty configuration (no accounts) with the default limits.
    pub fn new() -> Self {
        Self {
            accounts: Vec::new(),
            clock: ClockConfig::Real,
            journal_capacity: default_journal_capacity(),
            body_limit_bytes: default_body_limit(),
            seed: 0,
        }
    }

    /// Parse the YAML of `fake-zoom serve --config`.
    pub fn from_yaml(text: &str) -> Result<Self, ConfigError> {
        let config: FakeConfig =
            serde_saphyr::from_str(text).map_err(|e| ConfigError::Yaml(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// What `fake-zoom serve` runs with no `--config`: one Business account, an owner, a
    /// member, a Server-to-Server OAuth app with the granular admin scope of every route the
    /// fake serves plus `user:update:user:admin`, and an API Key/Secret app.
    pub fn default_serve() -> Self {
        let mut config = Self::new();
        config.accounts.push(AccountConfig {
            id: "fake-account-1".into(),
            plan: Plan::Business,
            users: vec![
                UserConfig::new("fake-owner-1", "owner@example.com")
                    .name("Olive", "Owner")
                    .role(Role::Owner),
                UserConfig::new("fake-member-1", "member@example.com").name("Max", "Member"),
            ],
            apps: vec![
                AppConfig::server_to_server(
                    "s2s",
                    "fake-s2s-client-id",
                    "fake-s2s-client-secret",
                    crate::auth::scopes::ALL_GRANULAR_ADMIN
                        .iter()
                        .map(|s| s.to_string())
                        // No route of the fake checks it, but clients (our connector's
                        // Manage Participants) ask for it before they act.
                        .chain(["user:update:user:admin".to_string()])
                        .collect(),
                ),
                AppConfig::api_key("jwt", "fake-api-key", "fake-api-secret"),
            ],
            rate_limits: RateLimitConfig::default(),
            live: Default::default(),
        });
        config
    }

    /// Check what serde cannot: unique ids and credentials, users that exist, one scope
    /// model per app.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let ClockConfig::Paused { start } = &self.clock
            && *start > crate::clock::Clock::LATEST
        {
            return Err(ConfigError::Invalid(
                "clock start must be before the year 9000".into(),
            ));
        }
        let mut account_ids = HashSet::new();
        let mut app_keys = HashSet::new();
        for account in &self.accounts {
            if account.id.trim().is_empty() {
                return Err(ConfigError::Invalid("an account has an empty id".into()));
            }
            if !account_ids.insert(account.id.as_str()) {
                return Err(ConfigError::Invalid(format!(
                    "account id {} is used twice",
                    account.id
                )));
            }
            let mut user_keys = HashSet::new();
            for user in &account.users {
                if user.id.is_empty() || user.email.is_empty() {
                    return Err(ConfigError::Invalid(format!(
                        "account {}: a user needs an id and an email",
                        account.id
                    )));
                }
                if !user_keys.insert(user.id.to_lowercase())
                    || !user_keys.insert(user.email.to_lowercase())
                {
                    return Err(ConfigError::Invalid(format!(
                        "account {}: user {} ({}) is listed twice",
                        account.id, user.id, user.email
                    )));
                }
                if !matches!(user.user_type, 1 | 2 | 4) {
                    return Err(ConfigError::Invalid(format!(
                        "user {}: type must be 1 (basic), 2 (licensed) or 4 (unassigned)",
                        user.id
                    )));
                }
            }
            for app in &account.apps {
                let key = app.auth.key();
                if key.is_empty() || app.auth.secret().is_empty() {
                    return Err(ConfigError::Invalid(format!(
                        "app {}: client id / api key and secret must not be empty",
                        app.name
                    )));
                }
                if !app_keys.insert(key.to_string()) {
                    return Err(ConfigError::Invalid(format!(
                        "app credential {key} is used by two apps"
                    )));
                }
                if let AppAuth::UserOAuth { user_id, .. } = &app.auth
                    && !account.users.iter().any(|u| u.matches(user_id))
                {
                    return Err(ConfigError::Invalid(format!(
                        "app {}: user {user_id} is not a user of account {}",
                        app.name, account.id
                    )));
                }
                ScopeModel::of(&app.scopes)
                    .map_err(|e| ConfigError::Invalid(format!("app {}: {e}", app.name)))?;
            }
            account
                .live
                .validate()
                .map_err(|e| ConfigError::Invalid(format!("account {}: live: {e}", account.id)))?;
        }
        Ok(())
    }
}

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The YAML did not parse (the message points at the line and column).
    #[error("config YAML: {0}")]
    Yaml(String),
    /// The configuration parsed but is inconsistent.
    #[error("config: {0}")]
    Invalid(String),
}

/// One Zoom account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    /// The Zoom account id (what `account_credentials` names as `account_id`).
    pub id: String,
    /// The plan; it sets the rate limits.
    #[serde(default)]
    pub plan: Plan,
    /// The account's users; the first `owner` (else the first user) is the account owner,
    /// whom Server-to-Server and API Key/Secret tokens act as.
    #[serde(default)]
    pub users: Vec<UserConfig>,
    /// Apps installed on the account.
    #[serde(default)]
    pub apps: Vec<AppConfig>,
    /// Rate limits; on by default.
    #[serde(default)]
    pub rate_limits: RateLimitConfig,
    /// Live meetings: ZAK policy, cloud storage limit, recording retention.
    #[serde(default)]
    pub live: crate::model::room::LiveConfig,
}

impl AccountConfig {
    /// An account with no users or apps, on the Business plan.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            plan: Plan::Business,
            users: Vec::new(),
            apps: Vec::new(),
            rate_limits: RateLimitConfig::default(),
            live: Default::default(),
        }
    }
    /// Add a user.
    pub fn user(mut self, user: UserConfig) -> Self {
        self.users.push(user);
        self
    }
    /// Add an app.
    pub fn app(mut self, app: AppConfig) -> Self {
        self.apps.push(app);
        self
    }
    /// Set the plan.
    pub fn plan(mut self, plan: Plan) -> Self {
        self.plan = plan;
        self
    }
    /// Set the rate limits.
    pub fn rate_limits(mut self, limits: RateLimitConfig) -> Self {
        self.rate_limits = limits;
        self
    }
}

/// Zoom plans, as far as they change the fake's behaviour (rate limits).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    /// Basic (free).
    Free,
    /// Pro.
    Pro,
    /// Business and above (Business, Education, Enterprise share limits).
    #[default]
    Business,
}

/// A user of an account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Zoom user id.
    pub id: String,
    /// Email; usable as `{userId}` in paths.
    pub email: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Role in the account.
    #[serde(default)]
    pub role: Role,
    /// Zoom user type: 1 basic, 2 licensed, 4 unassigned.
    #[serde(default = "default_user_type", alias = "type")]
    pub user_type: u8,
    /// IANA time zone shown on the user object.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Whether the user holds a webinar licence (webinar routes answer code 200 otherwise).
    #[serde(default = "default_true")]
    pub webinar_license: bool,
}

fn default_user_type() -> u8 {
    2
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_true() -> bool {
    true
}

impl UserConfig {
    /// A licensed member with this id and email.
    pub fn new(id: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            email: email.into(),
            first_name: String::new(),
            last_name: String::new(),
            role: Role::Member,
            user_type: 2,
            timezone: default_timezone(),
            webinar_license: true,
        }
    }
    /// Set first and last name.
    pub fn name(mut self, first: impl Into<String>, last: impl Into<String>) -> Self {
        self.first_name = first.into();
        self.last_name = last.into();
        self
    }
    /// Set the role.
    pub fn role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }
    /// Whether `key` (id or email, case-insensitive for emails) names this user.
    pub fn matches(&self, key: &str) -> bool {
        self.id == key || self.email.eq_ignore_ascii_case(key)
    }
}

/// A user's role in the account.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Account owner.
    Owner,
    /// Account admin.
    Admin,
    /// Plain member.
    #[default]
    Member,
}

impl Role {
    /// Zoom's `role_name` on the user object.
    pub fn zoom_name(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Member => "Member",
        }
    }
}

/// An app installed on an account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    /// A name for people (journal, snapshot).
    pub name: String,
    /// How the app authenticates.
    pub auth: AppAuth,
    /// Granted scopes: Zoom's real names, all classic or all granular. API Key/Secret apps
    /// have no scopes (they act with full admin rights) and this list is ignored for them.
    #[serde(default)]
    pub scopes: Vec<String>,
}

impl AppConfig {
    /// A Server-to-Server OAuth app.
    pub fn server_to_server(
        name: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        scopes: Vec<String>,
    ) -> Self {
        Self {
            name: name.into(),
            auth: AppAuth::ServerToServerOAuth {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
            },
            scopes,
        }
    }
    /// A legacy JWT (API Key/Secret) app.
    pub fn api_key(
        name: impl Into<String>,
        api_key: impl Into<String>,
        api_secret: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            auth: AppAuth::ApiKey {
                api_key: api_key.into(),
                api_secret: api_secret.into(),
            },
            scopes: Vec::new(),
        }
    }
    /// A user-level OAuth app installed by `user_id`.
    pub fn user_oauth(
        name: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uri: impl Into<String>,
        user_id: impl Into<String>,
        scopes: Vec<String>,
    ) -> Self {
        Self {
            name: name.into(),
            auth: AppAuth::UserOAuth {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                redirect_uri: redirect_uri.into(),
                user_id: user_id.into(),
            },
            scopes,
        }
    }
}

/// How an app authenticates. The YAML names the variant with `kind`.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AppAuth {
    /// `grant_type=account_credentials` at `/oauth/token`.
    #[serde(rename = "server_to_server_oauth")]
    ServerToServerOAuth {
        /// OAuth client id.
        client_id: String,
        /// OAuth client secret.
        client_secret: String,
    },
    /// Legacy JWT app: requests carry an HS256 JWT with `iss` = API key. Full admin rights, no
    /// scopes, no OAuth-only endpoints (ZAK, OBF).
    ApiKey {
        /// The API key (`iss` of the JWT).
        api_key: String,
        /// The API secret (the HMAC key).
        api_secret: String,
    },
    /// A user-level OAuth app: `authorization_code` and rotating `refresh_token` grants.
    #[serde(rename = "user_oauth")]
    UserOAuth {
        /// OAuth client id.
        client_id: String,
        /// OAuth client secret.
        client_secret: String,
        /// The registered redirect URI.
        redirect_uri: String,
        /// The user (id or email) who installed the app; `me` is this user.
        user_id: String,
    },
}

impl AppAuth {
    /// The public credential: the client id or the API key.
    pub fn key(&self) -> &str {
        match self {
            AppAuth::ServerToServerOAuth { client_id, .. }
            | AppAuth::UserOAuth { client_id, .. } => client_id,
            AppAuth::ApiKey { api_key, .. } => api_key,
        }
    }
    pub(crate) fn secret(&self) -> &str {
        match self {
            AppAuth::ServerToServerOAuth { client_secret, .. }
            | AppAuth::UserOAuth { client_secret, .. } => client_secret,
            AppAuth::ApiKey { api_secret, .. } => api_secret,
        }
    }
    /// The auth mode, without credentials.
    pub fn kind(&self) -> AuthKind {
        match self {
            AppAuth::ServerToServerOAuth { .. } => AuthKind::ServerToServerOAuth,
            AppAuth::ApiKey { .. } => AuthKind::ApiKey,
            AppAuth::UserOAuth { .. } => AuthKind::UserOAuth,
        }
    }
}

// Secrets stay out of Debug output (configs get logged and printed in test failures).
impl fmt::Debug for AppAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppAuth::ServerToServerOAuth { client_id, .. } => f
                .debug_struct("ServerToServerOAuth")
                .field("client_id", client_id)
                .field("client_secret", &"[redacted]")
                .finish(),
            AppAuth::ApiKey { api_key, .. } => f
                .debug_struct("ApiKey")
                .field("api_key", api_key)
                .field("api_secret", &"[redacted]")
                .finish(),
            AppAuth::UserOAuth {
                client_id,
                redirect_uri,
                user_id,
                ..
            } => f
                .debug_struct("UserOAuth")
                .field("client_id", client_id)
                .field("client_secret", &"[redacted]")
                .field("redirect_uri", redirect_uri)
                .field("user_id", user_id)
                .finish(),
        }
    }
}

/// The auth mode of an app.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// Server-to-Server OAuth.
    #[serde(rename = "server_to_server_oauth")]
    ServerToServerOAuth,
    /// Legacy JWT (API Key/Secret).
    ApiKey,
    /// User-level OAuth.
    #[serde(rename = "user_oauth")]
    UserOAuth,
}

/// Rate limits of one account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Off for benchmarks.
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Meeting/webinar create+update requests per host user per UTC day (Zoom: 100).
    #[serde(default = "default_daily_writes")]
    pub daily_meeting_writes_per_user: u32,
}

fn default_daily_writes() -> u32 {
    100
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            daily_meeting_writes_per_user: default_daily_writes(),
        }
    }
}

impl RateLimitConfig {
    /// No rate limits at all (benchmarks).
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }
}

/// The fake's clock mode.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClockConfig {
    /// Wall-clock time (advances still add an offset).
    #[default]
    Real,
    /// Stands still at `start` until advanced.
    Paused {
        /// Start instant (RFC 3339 in YAML).
        #[serde(with = "time::serde::rfc3339")]
        start: OffsetDateTime,
    },
}
