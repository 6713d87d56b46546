//! API Key/Secret (legacy JWT app): an HS256 JWT minted per request.
//!
//! Zoom's format: header `{"alg":"HS256","typ":"JWT"}`, payload `{"iss": API_KEY, "exp": ts}`,
//! signed with the API secret. We add `iat` (issued at, on the same clock as `exp`; Zoom
//! accepts it): a revocation refuses the JWTs issued until then, and without `iat` a JWT cannot
//! show it was minted after one, so it would be refused for good (the JWT that replaces a refused
//! one is minted in a later second than it; see `Authenticator::replace`). A fresh token per request
//! with a short `exp` means there is nothing to cache or refresh, and a token that leaks is
//! useless within a minute.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{EncodingKey, Header, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::error::ConnectorError;

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    iat: u64,
    exp: u64,
}

/// Mint a JWT for `api_key` signed with `api_secret`, issued at `now` and expiring `ttl` after it.
pub(crate) fn mint(
    api_key: &str,
    api_secret: &SecretString,
    ttl: Duration,
    now: SystemTime,
) -> Result<SecretString, ConnectorError> {
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_err(|_| ConnectorError::InvalidConfig("system clock is before 1970".into()))?;
    let claims = Claims {
        iss: api_key,
        iat: now.as_secs(),
        exp: (now + ttl).as_secs(),
    };
    let key = EncodingKey::from_secret(api_secret.expose_secret().as_bytes())
        .map_err(|e| ConnectorError::InvalidConfig(format!("unusable API secret: {e}")))?;
    encode(&Header::default(), &claims, &key)
        .map(SecretString::from)
        .map_err(|e| ConnectorError::InvalidConfig(format!("cannot sign the API Key JWT: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use hmac::{KeyInit, Mac};

    #[test]
    fn mints_an_hs256_jwt_with_iss_iat_and_short_exp() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let secret = SecretString::from("api-secret");
        let jwt = mint("the-key", &secret, Duration::from_secs(60), now).unwrap();
        let jwt = jwt.expose_secret();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["alg"], "HS256");
        assert_eq!(header["typ"], "JWT");
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["iss"], "the-key");
        assert_eq!(claims["iat"], 1_800_000_000u64);
        assert_eq!(claims["exp"], 1_800_000_060u64);

        // The signature is HMAC-SHA256 over "header.payload" with the secret.
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"api-secret").unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        mac.verify_slice(&signature).unwrap();
    }

    #[test]
    fn each_mint_uses_its_own_expiry() {
        let secret = SecretString::from("s");
        let a = mint(
            "k",
            &secret,
            Duration::from_secs(60),
            UNIX_EPOCH + Duration::from_secs(10),
        )
        .unwrap();
        let b = mint(
            "k",
            &secret,
            Duration::from_secs(60),
            UNIX_EPOCH + Duration::from_secs(20),
        )
        .unwrap();
        assert_ne!(a.expose_secret(), b.expose_secret());
    }
}
