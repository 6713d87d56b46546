//! The one table of required scopes: for each Zoom endpoint the fake serves, which classic and
//! which granular scopes satisfy it (any one of the set, as Zoom does), split into the scopes
//! that cover the caller's own resources and the `:admin` scopes that cover everyone's.
//! Source: each operation's `[Scopes]` / `[Granular Scopes]` lines in Zoom's OpenAPI and the fact
//! sheet section 4.
//!
//! Rules kept here and nowhere else:
//! * a granted scope satisfies an endpoint if it is in the endpoint's set;
//! * acting on another user's resources (a meeting hosted by someone else, another user's
//!   token) needs one of the admin scopes;
//! * API Key/Secret apps have no scopes and pass every check (full account-admin rights);
//! * a failed check answers 400 code 4711 naming the granular scopes that would satisfy it
//!   (Zoom names granular scopes even to classic apps; the older 4700 form is not produced).
//!
//! Scope checks read the app's scopes at request time, so a change through the control API
//! (as an admin-role downgrade does) applies to tokens already issued.

use std::collections::HashSet;

use crate::zoom_error::ZoomError;

/// A Zoom endpoint whose scopes are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Endpoint {
    GetUser,
    ListUsers,
    UserToken,
    MyZak,
    CreateMeeting,
    ListMeetings,
    GetMeeting,
    UpdateMeeting,
    DeleteMeeting,
    MeetingStatus,
    ListRegistrants,
    AddRegistrant,
    RegistrantStatus,
    CreateWebinar,
    ListWebinars,
    GetWebinar,
    UpdateWebinar,
    DeleteWebinar,
    WebinarStatus,
    PastMeeting,
    PastParticipants,
    ReportParticipants,
    LiveMeetingEvents,
    MeetingRecordings,
    DeleteMeetingRecordings,
    DeleteRecordingFile,
    UserRecordings,
    RecordingSettings,
    UpdateRecordingSettings,
    LocalRecordingToken,
    RecoverMeetingRecordings,
    RecoverRecordingFile,
}

/// Zoom's rate-limit label of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateCategory {
    /// LIGHT.
    Light,
    /// MEDIUM.
    Medium,
    /// HEAVY.
    Heavy,
}

/// Which scopes satisfy an endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Requirement {
    /// Classic scopes for the caller's own resources.
    pub classic_own: &'static [&'static str],
    /// Classic scopes for any user's resources.
    pub classic_admin: &'static [&'static str],
    /// Granular scopes for the caller's own resources.
    pub granular_own: &'static [&'static str],
    /// Granular scopes for any user's resources.
    pub granular_admin: &'static [&'static str],
    /// Rate-limit label.
    pub category: RateCategory,
}

const fn req(
    classic_own: &'static [&'static str],
    classic_admin: &'static [&'static str],
    granular_own: &'static [&'static str],
    granular_admin: &'static [&'static str],
    category: RateCategory,
) -> Requirement {
    Requirement {
        classic_own,
        classic_admin,
        granular_own,
        granular_admin,
        category,
    }
}

use RateCategory::{Heavy, Light, Medium};

impl Endpoint {
    /// The endpoint's scopes and rate label: the table.
    pub fn requirement(self) -> Requirement {
        match self {
            Endpoint::GetUser => req(
                &["user:read", "user:write", "user_profile", "user_info:read"],
                &["user:read:admin", "user:write:admin"],
                &["user:read:user"],
                &["user:read:user:admin"],
                Light,
            ),
            Endpoint::ListUsers => req(
                &["user:read", "user:write"],
                &["user:read:admin", "user:write:admin"],
                &[],
                &["user:read:list_users:admin"],
                Medium,
            ),
            Endpoint::UserToken => req(
                &["user:read", "user:write", "user_profile"],
                &["user:read:admin", "user:write:admin"],
                &["user:read:token"],
                &["user:read:token:admin"],
                Light,
            ),
            Endpoint::MyZak => req(
                &["user_zak:read"],
                &[],
                &["user:read:zak"],
                &["user:read:zak:admin"],
                Light,
            ),
            Endpoint::CreateMeeting => req(
                &["meeting:write"],
                &["meeting:write:admin"],
                &["meeting:write:meeting"],
                &["meeting:write:meeting:admin"],
                Light,
            ),
            Endpoint::ListMeetings => req(
                &["meeting:read"],
                &["meeting:read:admin"],
                &["meeting:read:list_meetings"],
                &["meeting:read:list_meetings:admin"],
                Medium,
            ),
            Endpoint::GetMeeting => req(
                &["meeting:read"],
                &["meeting:read:admin"],
                &["meeting:read:meeting"],
                &["meeting:read:meeting:admin"],
                Light,
            ),
            Endpoint::UpdateMeeting => req(
                &["meeting:write"],
                &["meeting:write:admin"],
                &["meeting:update:meeting"],
                &["meeting:update:meeting:admin"],
                Light,
            ),
            Endpoint::DeleteMeeting => req(
                &["meeting:write"],
                &["meeting:write:admin"],
                &["meeting:delete:meeting"],
                &["meeting:delete:meeting:admin"],
                Light,
            ),
            Endpoint::MeetingStatus => req(
                &["meeting:write"],
                &["meeting:write:admin"],
                &["meeting:update:status"],
                &["meeting:update:status:admin"],
                Light,
            ),
            Endpoint::ListRegistrants => req(
                &["meeting:read"],
                &["meeting:read:admin"],
                &["meeting:read:list_registrants"],
                &["meeting:read:list_registrants:admin"],
                Medium,
            ),
            Endpoint::AddRegistrant => req(
                &["meeting:write"],
                &["meeting:write:admin"],
                &["meeting:write:registrant"],
                &["meeting:write:registrant:admin"],
                Light,
            ),
            Endpoint::RegistrantStatus => req(
                &["meeting:write"],
                &["meeting:write:admin"],
                &["meeting:update:registrant_status"],
                &["meeting:update:registrant_status:admin"],
                Medium,
            ),
            Endpoint::CreateWebinar => req(
                &["webinar:write"],
                &["webinar:write:admin"],
                &["webinar:write:webinar"],
                &["webinar:write:webinar:admin"],
                Light,
            ),
            Endpoint::ListWebinars => req(
                &["webinar:read"],
                &["webinar:read:admin"],
                &["webinar:read:list_webinars"],
                &["webinar:read:list_webinars:admin"],
                Medium,
            ),
            Endpoint::GetWebinar => req(
                &["webinar:read"],
                &["webinar:read:admin"],
                &["webinar:read:webinar"],
                &["webinar:read:webinar:admin"],
                Light,
            ),
            Endpoint::UpdateWebinar => req(
                &["webinar:write"],
                &["webinar:write:admin"],
                &["webinar:update:webinar"],
                &["webinar:update:webinar:admin"],
                Light,
            ),
            Endpoint::DeleteWebinar => req(
                &["webinar:write"],
                &["webinar:write:admin"],
                &["webinar:delete:webinar"],
                &["webinar:delete:webinar:admin"],
                Light,
            ),
            Endpoint::WebinarStatus => req(
                &["webinar:write"],
                &["webinar:write:admin"],
                &["webinar:update:status"],
                &["webinar:update:status:admin"],
                Light,
            ),
            Endpoint::PastMeeting => req(
                &["meeting:read"],
                &["meeting:read:admin"],
                &["meeting:read:past_meeting"],
                &["meeting:read:past_meeting:admin"],
                Light,
            ),
            Endpoint::PastParticipants => req(
                &["meeting:read"],
                &["meeting:read:admin"],
                &["meeting:read:list_past_participants"],
                &["meeting:read:list_past_participants:admin"],
                Medium,
            ),
            Endpoint::ReportParticipants => req(
                &[],
                &["report:read:admin"],
                &[],
                &["report:read:list_meeting_participants:admin"],
                Heavy,
            ),
            Endpoint::LiveMeetingEvents => req(
                &["meeting:write"],
                &["meeting:write:admin", "meeting:master"],
                &["meeting:update:in_meeting_controls"],
                &["meeting:update:in_meeting_controls:admin"],
                Medium,
            ),
            Endpoint::MeetingRecordings => req(
                &["recording:read"],
                &["recording:read:admin"],
                &["cloud_recording:read:list_recording_files"],
                &[
                    "cloud_recording:read:list_recording_files:admin",
                    "cloud_recording:read:list_recording_files:master",
                ],
                Light,
            ),
            Endpoint::DeleteMeetingRecordings => req(
                &["recording:write"],
                &["recording:write:admin"],
                &["cloud_recording:delete:meeting_recording"],
                &[
                    "cloud_recording:delete:meeting_recording:admin",
                    "cloud_recording:delete:meeting_recording:master",
                ],
                Light,
            ),
            Endpoint::DeleteRecordingFile => req(
                &["recording:write"],
                &["recording:write:admin"],
                &["cloud_recording:delete:recording_file"],
                &[
                    "cloud_recording:delete:recording_file:admin",
                    "cloud_recording:delete:recording_file:master",
                ],
                Light,
            ),
            Endpoint::UserRecordings => req(
                &["recording:read"],
                &["recording:read:admin"],
                &["cloud_recording:read:list_user_recordings"],
                &[
                    "cloud_recording:read:list_user_recordings:admin",
                    "cloud_recording:read:list_user_recordings:master",
                ],
                Medium,
            ),
            Endpoint::RecordingSettings => req(
                &["recording:read"],
                &["recording:read:admin"],
                &["cloud_recording:read:recording_settings"],
                &["cloud_recording:read:recording_settings:admin"],
                Light,
            ),
            Endpoint::UpdateRecordingSettings => req(
                &["recording:write"],
                &["recording:write:admin"],
                &["cloud_recording:update:recording_settings"],
                &["cloud_recording:update:recording_settings:admin"],
                Light,
            ),
            Endpoint::LocalRecordingToken => req(
                &["meeting_token:read:local_recording"],
                &["meeting_token:read:admin:local_recording"],
                &["meeting:read:local_recording_token"],
                &["meeting:read:local_recording_token:admin"],
                Light,
            ),
            Endpoint::RecoverMeetingRecordings => req(
                &["recording:write"],
                &["recording:write:admin"],
                &["cloud_recording:update:recover_meeting_recordings"],
                &["cloud_recording:update:recover_meeting_recordings:admin"],
                Light,
            ),
            Endpoint::RecoverRecordingFile => req(
                &["recording:write"],
                &["recording:write:admin"],
                &["cloud_recording:update:recover_single_recording"],
                &["cloud_recording:update:recover_single_recording:admin"],
                Light,
            ),
        }
    }

    /// Every endpoint (for tests and listings).
    pub const ALL: &'static [Endpoint] = &[
        Endpoint::GetUser,
        Endpoint::ListUsers,
        Endpoint::UserToken,
        Endpoint::MyZak,
        Endpoint::CreateMeeting,
        Endpoint::ListMeetings,
        Endpoint::GetMeeting,
        Endpoint::UpdateMeeting,
        Endpoint::DeleteMeeting,
        Endpoint::MeetingStatus,
        Endpoint::ListRegistrants,
        Endpoint::AddRegistrant,
        Endpoint::RegistrantStatus,
        Endpoint::CreateWebinar,
        Endpoint::ListWebinars,
        Endpoint::GetWebinar,
        Endpoint::UpdateWebinar,
        Endpoint::DeleteWebinar,
        Endpoint::WebinarStatus,
        Endpoint::PastMeeting,
        Endpoint::PastParticipants,
        Endpoint::ReportParticipants,
        Endpoint::LiveMeetingEvents,
        Endpoint::MeetingRecordings,
        Endpoint::DeleteMeetingRecordings,
        Endpoint::DeleteRecordingFile,
        Endpoint::UserRecordings,
        Endpoint::RecordingSettings,
        Endpoint::UpdateRecordingSettings,
        Endpoint::LocalRecordingToken,
        Endpoint::RecoverMeetingRecordings,
        Endpoint::RecoverRecordingFile,
    ];
}

/// The granular admin scopes of every endpoint (what `fake-zoom serve`'s default S2S app gets).
pub const ALL_GRANULAR_ADMIN: &[&str] = &[
    "user:read:user:admin",
    "user:read:list_users:admin",
    "user:read:token:admin",
    "user:read:zak:admin",
    "meeting:write:meeting:admin",
    "meeting:read:list_meetings:admin",
    "meeting:read:meeting:admin",
    "meeting:update:meeting:admin",
    "meeting:delete:meeting:admin",
    "meeting:update:status:admin",
    "meeting:read:list_registrants:admin",
    "meeting:write:registrant:admin",
    "meeting:update:registrant_status:admin",
    "webinar:write:webinar:admin",
    "webinar:read:list_webinars:admin",
    "webinar:read:webinar:admin",
    "webinar:update:webinar:admin",
    "webinar:delete:webinar:admin",
    "webinar:update:status:admin",
    "meeting:read:past_meeting:admin",
    "meeting:read:list_past_participants:admin",
    "report:read:list_meeting_participants:admin",
    "meeting:update:in_meeting_controls:admin",
    "cloud_recording:read:list_recording_files:admin",
    "cloud_recording:delete:meeting_recording:admin",
    "cloud_recording:delete:recording_file:admin",
    "cloud_recording:read:list_user_recordings:admin",
    "cloud_recording:read:recording_settings:admin",
    "cloud_recording:update:recording_settings:admin",
    "meeting:read:local_recording_token:admin",
    "cloud_recording:update:recover_meeting_recordings:admin",
    "cloud_recording:update:recover_single_recording:admin",
    "meeting:read:participant:admin",
    "cloud_recording:read:recording:admin",
];

/// A webhook event the fake sends and the scopes an app needs to receive it: any one of the
/// classic names, or any one of the granular ones, as the app's model is. Empty lists: no scope
/// needed (`app_deauthorized`).
#[derive(Debug, Clone, Copy)]
pub struct EventScopes {
    /// Event name, e.g. `meeting.started`.
    pub event: &'static str,
    /// Classic scopes that allow it.
    pub classic: &'static [&'static str],
    /// Granular scopes that allow it.
    pub granular: &'static [&'static str],
}

const fn event(
    event: &'static str,
    (classic, granular): (&'static [&'static str], &'static [&'static str]),
) -> EventScopes {
    EventScopes {
        event,
        classic,
        granular,
    }
}

const MEETING_EVENT: (&[&str], &[&str]) = (
    &["meeting:read", "meeting:read:admin"],
    &["meeting:read:meeting", "meeting:read:meeting:admin"],
);
const PARTICIPANT_EVENT: (&[&str], &[&str]) = (
    &["meeting:read", "meeting:read:admin"],
    &["meeting:read:participant", "meeting:read:participant:admin"],
);
const RECORDING_EVENT: (&[&str], &[&str]) = (
    &["recording:read", "recording:read:admin"],
    &[
        "cloud_recording:read:recording",
        "cloud_recording:read:recording:admin",
    ],
);

/// Every webhook event the fake sends, with its scopes: the table's event rows. Zoom's webhook
/// spec gives the granular scopes; the classic ones are the read scopes of the same resources
/// (UNCERTAIN: Zoom documents no classic event scopes).
pub const EVENT_SCOPES: &[EventScopes] = &[
    event("meeting.started", MEETING_EVENT),
    event("meeting.ended", MEETING_EVENT),
    event("meeting.participant_joined", PARTICIPANT_EVENT),
    event("meeting.participant_left", PARTICIPANT_EVENT),
    event("meeting.participant_joined_waiting_room", PARTICIPANT_EVENT),
    event("meeting.participant_admitted", PARTICIPANT_EVENT),
    event("meeting.participant_put_in_waiting_room", PARTICIPANT_EVENT),
    event("meeting.participant_left_waiting_room", PARTICIPANT_EVENT),
    event("meeting.participant_jbh_waiting", PARTICIPANT_EVENT),
    event("recording.started", RECORDING_EVENT),
    event("recording.stopped", RECORDING_EVENT),
    event("recording.paused", RECORDING_EVENT),
    event("recording.resumed", RECORDING_EVENT),
    event("recording.completed", RECORDING_EVENT),
    event("recording.transcript_completed", RECORDING_EVENT),
    event("app_deauthorized", (&[], &[])),
];

/// Why an app may not receive a webhook event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EventRefusal {
    /// The fake sends no such event.
    #[error("unknown event")]
    Unknown,
    /// The app's scopes do not cover it.
    #[error("The event is not allowed for the app.")]
    NotAllowed,
}

impl EventScopes {
    /// The row of an event, if the fake sends it.
    pub fn of(event: &str) -> Option<&'static EventScopes> {
        EVENT_SCOPES.iter().find(|e| e.event == event)
    }
}

/// Classic or granular scope names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeModel {
    /// `resource:action[:admin|:master]`.
    Classic,
    /// `service:action:data_claim[:admin|:master]`.
    Granular,
}

impl ScopeModel {
    /// The model of one scope name: granular names have a data claim after the action.
    pub fn of_scope(scope: &str) -> ScopeModel {
        let parts: Vec<&str> = scope.split(':').collect();
        match parts.len() {
            0..=2 => ScopeModel::Classic,
            3 if matches!(parts[2], "admin" | "master") => ScopeModel::Classic,
            _ if scope.starts_with("meeting_token:") => ScopeModel::Classic,
            _ => ScopeModel::Granular,
        }
    }

    /// The model of an app's scope list; an app mixes none. An empty list counts as granular
    /// (new apps are granular).
    pub fn of(scopes: &[String]) -> Result<ScopeModel, String> {
        let mut model = None;
        for scope in scopes {
            if scope.trim().is_empty() || scope.contains(char::is_whitespace) {
                return Err(format!("scope {scope:?} is not a scope name"));
            }
            let this = ScopeModel::of_scope(scope);
            match model {
                None => model = Some(this),
                Some(m) if m != this => {
                    return Err(format!(
                        "scopes mix the classic and granular models ({scope} is {this:?})"
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(model.unwrap_or(ScopeModel::Granular))
    }
}

/// An app's granted scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeSet {
    model: ScopeModel,
    names: Vec<String>,
    set: HashSet<String>,
}

impl ScopeSet {
    /// A scope set; fails when the names mix models.
    pub fn new(names: Vec<String>) -> Result<Self, String> {
        let model = ScopeModel::of(&names)?;
        let set = names.iter().cloned().collect();
        Ok(Self { model, names, set })
    }
    /// The model.
    pub fn model(&self) -> ScopeModel {
        self.model
    }
    /// The names, in configured order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
    /// Space-separated, as the token response's `scope`.
    pub fn to_space_separated(&self) -> String {
        self.names.join(" ")
    }
    fn has_any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.set.contains(*n))
    }
}

/// What a caller may do: everything (API Key/Secret) or what its scopes allow.
#[derive(Debug, Clone)]
pub enum Grant {
    /// API Key/Secret apps: full account-admin rights, no scopes.
    Full,
    /// OAuth apps.
    Scopes(std::sync::Arc<ScopeSet>),
}

/// Whose resource a request touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The caller's own user (for S2S and API Key apps: the account owner).
    Own,
    /// Another user of the account.
    Other,
}

impl Grant {
    /// Check the endpoint's scopes for a target; the error is Zoom's 4711 body.
    pub fn check(&self, endpoint: Endpoint, target: Target) -> Result<(), ZoomError> {
        let scopes = match self {
            Grant::Full => return Ok(()),
            Grant::Scopes(scopes) => scopes,
        };
        let r = endpoint.requirement();
        let (own, admin) = match scopes.model() {
            ScopeModel::Classic => (r.classic_own, r.classic_admin),
            ScopeModel::Granular => (r.granular_own, r.granular_admin),
        };
        let ok = scopes.has_any(admin) || (target == Target::Own && scopes.has_any(own));
        if ok {
            return Ok(());
        }
        let mut named: Vec<&str> = Vec::new();
        if target == Target::Own {
            named.extend(r.granular_own);
        }
        named.extend(r.granular_admin);
        Err(ZoomError::missing_scopes(&named))
    }
}

impl Grant {
    /// Whether the app may receive `event`: checked when a subscription is saved and again
    /// each time an event is sent, so a scope change applies to existing subscriptions.
    pub fn check_event(&self, event: &str) -> Result<(), EventRefusal> {
        let row = EventScopes::of(event).ok_or(EventRefusal::Unknown)?;
        let scopes = match self {
            Grant::Full => return Ok(()),
            Grant::Scopes(scopes) => scopes,
        };
        let wanted = match scopes.model() {
            ScopeModel::Classic => row.classic,
            ScopeModel::Granular => row.granular,
        };
        if wanted.is_empty() || scopes.has_any(wanted) {
            Ok(())
        } else {
            Err(EventRefusal::NotAllowed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn grant(names: &[&str]) -> Grant {
        Grant::Scopes(Arc::new(
            ScopeSet::new(names.iter().map(|s| s.to_string()).collect()).unwrap(),
        ))
    }

    #[test]
    fn models_are_told_apart() {
        assert_eq!(ScopeModel::of_scope("meeting:write"), ScopeModel::Classic);
        assert_eq!(
            ScopeModel::of_scope("meeting:write:admin"),
            ScopeModel::Classic
        );
        assert_eq!(ScopeModel::of_scope("user_zak:read"), ScopeModel::Classic);
        assert_eq!(
            ScopeModel::of_scope("meeting:write:meeting"),
            ScopeModel::Granular
        );
        assert_eq!(
            ScopeModel::of_scope("meeting:write:meeting:admin"),
            ScopeModel::Granular
        );
        assert!(ScopeModel::of(&["meeting:write".into(), "meeting:write:meeting".into()]).is_err());
        for endpoint in Endpoint::ALL {
            let r = endpoint.requirement();
            for s in r.classic_own.iter().chain(r.classic_admin) {
                assert_eq!(ScopeModel::of_scope(s), ScopeModel::Classic, "{s}");
            }
            for s in r.granular_own.iter().chain(r.granular_admin) {
                assert_eq!(ScopeModel::of_scope(s), ScopeModel::Granular, "{s}");
            }
        }
    }

    #[test]
    fn events_follow_the_grant_and_the_default_app_receives_them_all() {
        let meeting = grant(&["meeting:read:meeting:admin"]);
        assert!(meeting.check_event("meeting.started").is_ok());
        assert_eq!(
            meeting.check_event("recording.completed"),
            Err(EventRefusal::NotAllowed)
        );
        assert!(meeting.check_event("app_deauthorized").is_ok());
        assert_eq!(
            Grant::Full.check_event("meeting.exploded"),
            Err(EventRefusal::Unknown)
        );
        assert!(
            grant(&["recording:read"])
                .check_event("recording.completed")
                .is_ok()
        );
        let default_app = grant(ALL_GRANULAR_ADMIN);
        for row in EVENT_SCOPES {
            assert!(default_app.check_event(row.event).is_ok(), "{}", row.event);
            for s in row.classic {
                assert_eq!(ScopeModel::of_scope(s), ScopeModel::Classic, "{s}");
            }
            for s in row.granular {
                assert_eq!(ScopeModel::of_scope(s), ScopeModel::Granular, "{s}");
            }
        }
    }

    #[test]
    fn any_one_scope_of_the_set_suffices_and_admin_covers_others() {
        let own = grant(&["meeting:write"]);
        assert!(own.check(Endpoint::CreateMeeting, Target::Own).is_ok());
        let err = own
            .check(Endpoint::CreateMeeting, Target::Other)
            .unwrap_err();
        assert_eq!(
            err.body_json()["message"],
            "Invalid access token, does not contain scopes:[meeting:write:meeting:admin]."
        );
        let admin = grant(&["meeting:write:meeting:admin"]);
        assert!(admin.check(Endpoint::CreateMeeting, Target::Other).is_ok());
        let err = admin.check(Endpoint::GetMeeting, Target::Own).unwrap_err();
        assert_eq!(err.code(), Some(4711));
        assert_eq!(
            err.body_json()["message"],
            "Invalid access token, does not contain scopes:[meeting:read:meeting, meeting:read:meeting:admin]."
        );
        assert!(
            Grant::Full
                .check(Endpoint::ReportParticipants, Target::Other)
                .is_ok()
        );
    }
}
