//! Manage Participants: invitees, registrants (add / list / approve / cancel / deny) and
//! alternative hosts.
//!
//! Invitees and alternative hosts are meeting settings (`PATCH /meetings/{meetingId}`); the
//! lists given replace the meeting's lists, so re-sending is harmless. Registrants have their
//! own routes; adding one is a POST and, like every create, never retried on an unknown outcome.

use reqwest::Method;

use crate::ZoomConnector;
use crate::api::meetings::MeetingRequest;
use crate::api::registrants::{AddRegistrantRequest, RegistrantStatusRequest};
use crate::api::{
    MeetingInvitee, MeetingSettings, Registrant, RegistrantAction, RegistrantCreated,
    RegistrantList, RegistrantRef,
};
use crate::client::Call;
use crate::error::ConnectorError;
use crate::scopes::{
    Action, MEETING_READ_REGISTRANTS, MEETING_WRITE_REGISTRANT, MEETING_WRITE_REGISTRANT_STATUS,
    MEETING_WRITE_UPDATE, ScopeRequirement, USER_READ, USER_WRITE,
};

/// The seed's row (`meeting:write`, `user:read`, `user:write`), plus `meeting:read` for listing
/// registrants, which both of Zoom's scope models require.
pub const SCOPES: &[ScopeRequirement] = &[
    MEETING_WRITE_UPDATE,
    MEETING_WRITE_REGISTRANT,
    MEETING_WRITE_REGISTRANT_STATUS,
    MEETING_READ_REGISTRANTS,
    USER_READ,
    USER_WRITE,
];

/// Zoom takes at most 30 registrants per status change.
const REGISTRANTS_PER_STATUS_CHANGE: usize = 30;
/// Stop paging after this many pages (300 each): a guard against a server that never ends.
const MAX_PAGES: usize = 100;

/// A person to register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistrant {
    /// Email (required).
    pub email: String,
    /// First name (required by Zoom).
    pub first_name: String,
    /// Last name.
    pub last_name: Option<String>,
}

impl ZoomConnector {
    /// Set the meeting's invitees to `emails` (replacing the list).
    pub async fn set_meeting_invitees(
        &self,
        meeting_id: u64,
        emails: &[&str],
    ) -> Result<(), ConnectorError> {
        for email in emails {
            super::check_email("invitees", email)?;
        }
        let request = MeetingRequest {
            settings: Some(MeetingSettings {
                meeting_invitees: Some(
                    emails
                        .iter()
                        .map(|e| MeetingInvitee {
                            email: e.trim().to_string(),
                        })
                        .collect(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        };
        self.patch_meeting(meeting_id, Action::ManageParticipants, &request)
            .await
    }

    /// Set the meeting's alternative hosts (emails or user ids) to `hosts`, replacing the list;
    /// an empty slice removes them all.
    pub async fn set_alternative_hosts(
        &self,
        meeting_id: u64,
        hosts: &[&str],
    ) -> Result<(), ConnectorError> {
        for host in hosts {
            if host.trim().is_empty() || host.contains(';') {
                return Err(ConnectorError::InvalidInput {
                    field: "alternative_hosts",
                    message: format!("{host:?} is not an email or user id"),
                });
            }
        }
        let request = MeetingRequest {
            settings: Some(MeetingSettings {
                alternative_hosts: Some(
                    hosts.iter().map(|h| h.trim()).collect::<Vec<_>>().join(";"),
                ),
                ..Default::default()
            }),
            ..Default::default()
        };
        self.patch_meeting(meeting_id, Action::ManageParticipants, &request)
            .await
    }

    /// Register someone for a meeting (the meeting must have registration enabled).
    pub async fn add_registrant(
        &self,
        meeting_id: u64,
        registrant: &NewRegistrant,
    ) -> Result<RegistrantCreated, ConnectorError> {
        super::check_email("registrant.email", &registrant.email)?;
        if registrant.first_name.trim().is_empty() {
            return Err(ConnectorError::InvalidInput {
                field: "registrant.first_name",
                message: "must not be empty".into(),
            });
        }
        let call = Call::new(
            Method::POST,
            "POST /meetings/{meetingId}/registrants",
            Some(Action::ManageParticipants),
            [
                "meetings".to_string(),
                meeting_id.to_string(),
                "registrants".into(),
            ],
        )
        .json(&AddRegistrantRequest {
            email: registrant.email.trim(),
            first_name: registrant.first_name.trim(),
            last_name: registrant.last_name.as_deref(),
        })?;
        self.call_json(call).await
    }

    /// All registrants with `status` (`pending`, `approved`, `denied`), every page.
    pub async fn list_registrants(
        &self,
        meeting_id: u64,
        status: &str,
    ) -> Result<Vec<Registrant>, ConnectorError> {
        if !["pending", "approved", "denied"].contains(&status) {
            return Err(ConnectorError::InvalidInput {
                field: "status",
                message: format!("{status:?} is not pending, approved or denied"),
            });
        }
        let mut all = Vec::new();
        let mut page_token = String::new();
        for _ in 0..MAX_PAGES {
            let mut call = Call::new(
                Method::GET,
                "GET /meetings/{meetingId}/registrants",
                Some(Action::ManageParticipants),
                [
                    "meetings".to_string(),
                    meeting_id.to_string(),
                    "registrants".into(),
                ],
            )
            .query("status", status)
            .query("page_size", "300");
            if !page_token.is_empty() {
                call = call.query("next_page_token", page_token.clone());
            }
            let page: RegistrantList = self.call_json(call).await?;
            all.extend(page.registrants);
            match page.next_page_token {
                Some(token) if !token.is_empty() => page_token = token,
                _ => return Ok(all),
            }
        }
        Err(ConnectorError::Decode {
            operation: "GET /meetings/{meetingId}/registrants",
            message: format!("more than {MAX_PAGES} pages"),
        })
    }

    /// Approve, cancel or deny registrants (sent in batches of 30, Zoom's limit).
    pub async fn update_registrants(
        &self,
        meeting_id: u64,
        action: RegistrantAction,
        registrants: &[RegistrantRef],
    ) -> Result<(), ConnectorError> {
        if registrants.is_empty() {
            return Err(ConnectorError::InvalidInput {
                field: "registrants",
                message: "no registrants given".into(),
            });
        }
        if let Some(bad) = registrants
            .iter()
            .find(|r| r.id.is_none() && r.email.is_none())
        {
            return Err(ConnectorError::InvalidInput {
                field: "registrants",
                message: format!("{bad:?} names neither an id nor an email"),
            });
        }
        for batch in registrants.chunks(REGISTRANTS_PER_STATUS_CHANGE) {
            let call = Call::new(
                Method::PUT,
                "PUT /meetings/{meetingId}/registrants/status",
                Some(Action::ManageParticipants),
                [
                    "meetings".to_string(),
                    meeting_id.to_string(),
                    "registrants".into(),
                    "status".into(),
                ],
            )
            .json(&RegistrantStatusRequest {
                action,
                registrants: batch,
            })?;
            self.call_empty(call).await?;
        }
        Ok(())
    }
}
