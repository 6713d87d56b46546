//! Get ZAK (`GET /users/{userId}/token?type=zak`): the token with which the scribe bot joins as
//! a Zoom user, bypassing the waiting room. Zoom refuses it to API Key/Secret apps (HTTP 400
//! code 124), which the caller sees as [`ErrorKind::ZakNotSupported`](crate::ErrorKind).

use reqwest::Method;
use secrecy::SecretString;

use crate::ZoomConnector;
use crate::api::users::UserToken;
use crate::client::Call;
use crate::connector::non_empty;
use crate::error::ConnectorError;
use crate::scopes::{Action, ScopeRequirement, USER_READ_TOKEN};

/// Not in the seed's table; Zoom requires classic `user:read` (or `user:read:token` granular).
pub const SCOPES: &[ScopeRequirement] = &[USER_READ_TOKEN];

impl ZoomConnector {
    /// The ZAK of `user_id` (valid about two hours).
    pub async fn get_zak(&self, user_id: &str) -> Result<SecretString, ConnectorError> {
        non_empty("user_id", user_id)?;
        let call = Call::new(
            Method::GET,
            "GET /users/{userId}/token",
            Some(Action::GetZak),
            ["users", user_id, "token"],
        )
        .query("type", "zak");
        let answer: UserToken = self.call_json(call).await?;
        Ok(answer.token)
    }
}
