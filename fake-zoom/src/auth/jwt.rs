//! Legacy JWT (API Key/Secret) apps: each request carries `Authorization: Bearer <JWT>`, HS256,
//! signed with the API secret, `iss` = API key, `exp` required. Expiry is judged on the fake's
//! clock (the crate's own `exp` check would use the system time). A wrong signature, an unknown
//! `iss` or a malformed token → 401 code 124 "Invalid access token."; past `exp` → 401 code 124
//! "Access token is expired.". Revoking an API Key app's tokens (the control API; on Zoom,
//! regenerating the secret) refuses every JWT issued (`iat`) at or before the revocation, and
//! from then on every JWT without `iat` (nothing tells an old `iat`-less token from a new one),
//! until a reset: clients that want to work after a revocation put `iat` in their JWTs.

use std::collections::HashSet;
use std::sync::Arc;

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use time::OffsetDateTime;

use crate::config::AppAuth;
use crate::state::AppEntry;
use crate::zoom_error::ZoomError;

/// Verify an API Key/Secret JWT; `lookup` finds the app by API key.
pub fn verify(
    token: &str,
    now: OffsetDateTime,
    lookup: impl Fn(&str) -> Option<Arc<AppEntry>>,
) -> Result<Arc<AppEntry>, ZoomError> {
    let claims: Value = jsonwebtoken::dangerous::insecure_decode_claims(token)
        .map_err(|_| ZoomError::invalid_token())?;
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or_else(ZoomError::invalid_token)?;
    let app = lookup(iss).ok_or_else(ZoomError::invalid_token)?;
    let AppAuth::ApiKey { api_secret, .. } = &app.auth else {
        return Err(ZoomError::invalid_token());
    };
    let key =
        DecodingKey::from_secret(api_secret.as_bytes()).map_err(|_| ZoomError::invalid_token())?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims = HashSet::new();
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .map_err(|_| ZoomError::invalid_token())?;
    let exp = claims
        .get("exp")
        .and_then(Value::as_f64)
        .ok_or_else(ZoomError::invalid_token)?;
    if (exp as i64) <= now.unix_timestamp() {
        return Err(ZoomError::expired_token());
    }
    if let Some(revoked_at) = app.revoked_at {
        let iat = claims.get("iat").and_then(Value::as_f64);
        if iat.is_none_or(|iat| (iat as i64) <= revoked_at.unix_timestamp()) {
            return Err(ZoomError::invalid_token());
        }
    }
    Ok(app)
}
