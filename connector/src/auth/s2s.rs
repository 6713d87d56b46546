//! Server-to-Server OAuth: the `account_credentials` grant. No refresh token: a new grant when
//! the cached token nears its hour.

use super::cache::FetchedToken;
use super::token_endpoint::TokenEndpoint;
use crate::error::ConnectorError;

/// Ask for an account token.
pub(crate) async fn fetch(
    endpoint: &TokenEndpoint,
    account_id: &str,
) -> Result<FetchedToken, ConnectorError> {
    let grant = endpoint
        .request(&[
            ("grant_type", "account_credentials"),
            ("account_id", account_id),
        ])
        .await?;
    Ok(grant.token)
}
