//! Users: `GET /users/{userId}`, `GET /users/{userId}/token?type=zak`.

use serde::{Deserialize, Serialize};

/// A Zoom user.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct User {
    /// User id.
    pub id: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// 1 Basic, 2 Licensed.
    #[serde(rename = "type", default)]
    pub user_type: Option<u8>,
    /// Account id.
    #[serde(default)]
    pub account_id: Option<String>,
    /// `active`, `pending`, `inactive`.
    #[serde(default)]
    pub status: Option<String>,
}

/// `{"token": "..."}` of the user-token endpoints.
#[derive(Deserialize)]
pub(crate) struct UserToken {
    pub token: secrecy::SecretString,
}
