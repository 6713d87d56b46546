//! A scenario's starting world as configuration: the fake's account (the scenario's users, a
//! Server-to-Server OAuth app and an API Key/Secret app, plan, limits, paused clock) and the
//! connector's credentials for either app.

use std::time::Duration;

use fake_zoom::config::{
    AccountConfig, AppConfig, ClockConfig, FakeConfig, Plan, Role, UserConfig,
};
use secrecy::SecretString;
use zoom_connector::AuthConfig;

use crate::scenario::Setup;
use crate::scenario::model::{AuthMode, CredentialsSetup, PlanSetup, RoleSetup, UserSetup};

/// The account every scenario's fake has.
pub const ACCOUNT_ID: &str = "harness-account";
/// The Server-to-Server OAuth app's client id.
pub const S2S_CLIENT_ID: &str = "harness-s2s-client";
/// Its secret (a test credential of a throwaway fake; still never printed in reports).
pub const S2S_CLIENT_SECRET: &str = "harness-s2s-secret";
/// The API Key/Secret app's key.
pub const API_KEY: &str = "harness-api-key";
/// Its secret.
pub const API_SECRET: &str = "harness-api-secret";

/// The webhook secret token of both apps (the product stores it with the integration).
pub const WEBHOOK_SECRET: &str = "harness-webhook-secret";

/// Scopes the Server-to-Server app gets when a scenario does not say: every scope the
/// connector's actions need, in Zoom's classic names, account-wide.
pub const DEFAULT_SCOPES: &[&str] = &[
    "meeting:write:admin",
    "meeting:read:admin",
    "user:read:admin",
    "user:write:admin",
    "recording:read:admin",
    "recording:write:admin",
    "webinar:write:admin",
    "webinar:read:admin",
    "report:read:admin",
];

/// Lifetime of the connector's API Key/Secret JWTs in scenarios (see [`super::world::World::connector_config`]).
pub const JWT_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// The default start of the virtual clock: fixed, so runs are repeatable, and in the past, so
/// that JWTs minted on the machine's clock are not yet expired on the fake's.
pub fn default_clock() -> time::OffsetDateTime {
    time::macros::datetime!(2026-12-01 09:00:00 UTC)
}

/// The users of a setup (default: one owner).
pub fn users_of(setup: &Setup) -> Vec<UserSetup> {
    setup.users.clone().unwrap_or_else(|| {
        vec![UserSetup {
            id: "owner".into(),
            email: "owner@example.com".into(),
            first_name: Some("Olive".into()),
            last_name: Some("Owner".into()),
            role: RoleSetup::Owner,
        }]
    })
}

/// The fake's configuration for a scenario: one account with the scenario's users, a
/// Server-to-Server OAuth app and an API Key/Secret app (so that `switch_auth` finds the app
/// it switches to already installed), a paused clock.
pub fn fake_config(setup: &Setup) -> FakeConfig {
    let mut account = AccountConfig::new(ACCOUNT_ID).plan(match setup.plan {
        PlanSetup::Free => Plan::Free,
        PlanSetup::Pro => Plan::Pro,
        PlanSetup::Business => Plan::Business,
    });
    for user in users_of(setup) {
        let role = match user.role {
            RoleSetup::Owner => Role::Owner,
            RoleSetup::Admin => Role::Admin,
            RoleSetup::Member => Role::Member,
        };
        let first = user.first_name.clone().unwrap_or_else(|| user.id.clone());
        let last = user.last_name.clone().unwrap_or_else(|| "User".into());
        account = account.user(
            UserConfig::new(user.id.clone(), user.email.clone())
                .name(first, last)
                .role(role),
        );
    }
    let scopes = setup
        .scopes
        .clone()
        .unwrap_or_else(|| DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect());
    account = account
        .app(AppConfig::server_to_server(
            "runbooks-s2s",
            S2S_CLIENT_ID,
            S2S_CLIENT_SECRET,
            scopes,
        ))
        .app(AppConfig::api_key("runbooks-jwt", API_KEY, API_SECRET));
    account.rate_limits.enabled = setup.rate_limits;
    if let Some(limit) = setup.daily_meeting_writes_per_user {
        account.rate_limits.daily_meeting_writes_per_user = limit;
    }
    if let Some(limit) = setup.recordings.cloud_storage_limit_bytes {
        account.live.recordings.cloud_storage_limit_bytes = Some(limit);
    }
    if let Some(days) = setup.recordings.retention_days {
        account.live.recordings.retention_days = Some(days);
    }
    let mut config = FakeConfig::new();
    config.accounts.push(account);
    config.clock = ClockConfig::Paused {
        start: setup.clock.unwrap_or_else(default_clock),
    };
    config
}

/// The connector's auth configuration for an app of the scenario's fake, with the scenario's
/// credential overrides (to reproduce authentication failures).
pub fn auth_config(mode: AuthMode, overrides: Option<&CredentialsSetup>) -> AuthConfig {
    let pick = |field: Option<&String>, default: &str| {
        field.cloned().unwrap_or_else(|| default.to_string())
    };
    let overrides = overrides.cloned().unwrap_or_default();
    match mode {
        AuthMode::ServerToServerOauth => AuthConfig::ServerToServerOAuth {
            account_id: pick(overrides.account_id.as_ref(), ACCOUNT_ID),
            client_id: pick(overrides.client_id.as_ref(), S2S_CLIENT_ID),
            client_secret: SecretString::from(pick(overrides.secret.as_ref(), S2S_CLIENT_SECRET)),
        },
        AuthMode::ApiKey => AuthConfig::ApiKey {
            api_key: pick(overrides.client_id.as_ref(), API_KEY),
            api_secret: SecretString::from(pick(overrides.secret.as_ref(), API_SECRET)),
        },
    }
}

/// The fake's per-app key (client id or API key) of an auth mode.
pub fn app_key(mode: AuthMode) -> &'static str {
    match mode {
        AuthMode::ServerToServerOauth => S2S_CLIENT_ID,
        AuthMode::ApiKey => API_KEY,
    }
}
