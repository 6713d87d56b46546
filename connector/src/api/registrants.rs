//! Registrants: `POST|GET /meetings/{meetingId}/registrants`,
//! `PUT /meetings/{meetingId}/registrants/status`.

use serde::{Deserialize, Serialize};

/// The answer to adding a registrant (201).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RegistrantCreated {
    /// Meeting number.
    #[serde(default)]
    pub id: Option<u64>,
    /// Registrant id.
    pub registrant_id: String,
    /// The registrant's personal join link.
    #[serde(default)]
    pub join_url: Option<String>,
    /// Topic.
    #[serde(default)]
    pub topic: Option<String>,
    /// Start time.
    #[serde(default)]
    pub start_time: Option<String>,
}

/// A registrant as listed.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Registrant {
    /// Registrant id.
    #[serde(default)]
    pub id: Option<String>,
    /// Email.
    pub email: String,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// `approved`, `pending`, `denied`.
    #[serde(default)]
    pub status: Option<String>,
    /// Personal join link.
    #[serde(default)]
    pub join_url: Option<String>,
}

/// One page of registrants.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RegistrantList {
    /// Total over all pages.
    #[serde(default)]
    pub total_records: Option<u64>,
    /// Empty on the last page.
    #[serde(default)]
    pub next_page_token: Option<String>,
    /// The registrants.
    #[serde(default)]
    pub registrants: Vec<Registrant>,
}

/// What to do with registrants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrantAction {
    /// Approve pending registrants.
    Approve,
    /// Cancel approved registrations.
    Cancel,
    /// Deny pending registrants.
    Deny,
}

/// A registrant named by id and/or email.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct RegistrantRef {
    /// Registrant id.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RegistrantStatusRequest<'a> {
    pub action: RegistrantAction,
    pub registrants: &'a [RegistrantRef],
}

#[derive(Debug, Serialize)]
pub(crate) struct AddRegistrantRequest<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<&'a str>,
}
