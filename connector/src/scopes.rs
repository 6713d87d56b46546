//! Which scopes each runbook action needs, in the seed's names and in Zoom's, and the
//! connection test that reports, per action, whether it is ready.
//!
//! The seed's table mixes Zoom's classic scope names with names Zoom does not have
//! (`meeting:update:admin`, `cloud_recording:read`), and Zoom itself has two scope models:
//! classic (`meeting:write`, `meeting:write:admin`) for older apps and granular
//! (`meeting:write:meeting`, `meeting:update:status:admin`) for new ones. So each requirement
//! below is a [`ScopeRequirement`]: the seed's name (what people are shown), and the real
//! classic and granular scopes that satisfy it *for the call the action makes* (granular scopes
//! are per operation, so the seed's one `meeting:write` is three different granular scopes for
//! create, update and delete). Any one listed real scope satisfies a requirement.
//!
//! Each action file (`crate::actions::*`) declares its requirements from the constants here;
//! this module holds the one mapping from seed names to real scopes.
//!
//! The connector does not refuse an action locally because a scope looks missing: Zoom is the
//! authority (an admin can change an app's scopes at any time, and the seed's table asks for
//! more than some calls need, e.g. `user:read` for creating a meeting), so a refused call comes
//! back as Zoom's error mapped to its fix (`crate::error`), and [`ZoomConnector::test_connection`]
//! is where missing scopes are reported up front.

use std::fmt;

use serde::Serialize;

use crate::ZoomConnector;
use crate::client::Call;
use crate::config::AuthMode;
use crate::error::ConnectorError;

/// A runbook action the connector offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Create a meeting (the incident bridge).
    CreateMeeting,
    /// Change a meeting's settings.
    UpdateMeetingSettings,
    /// End a running meeting.
    EndMeeting,
    /// Delete a meeting (or one occurrence).
    DeleteMeeting,
    /// Invitees, registrants (add / approve / cancel / deny), alternative hosts.
    ManageParticipants,
    /// Cloud recordings per meeting and per user.
    AccessRecordings,
    /// A recurring meeting with a fixed time (type 8).
    ScheduleRecurringMeeting,
    /// A user's ZAK, with which the scribe bot joins as that user.
    GetZak,
    /// Create a webinar.
    CreateWebinar,
}

impl Action {
    /// Every action, in the order reports list them.
    pub const ALL: [Action; 9] = [
        Action::CreateMeeting,
        Action::UpdateMeetingSettings,
        Action::EndMeeting,
        Action::DeleteMeeting,
        Action::ManageParticipants,
        Action::AccessRecordings,
        Action::ScheduleRecurringMeeting,
        Action::GetZak,
        Action::CreateWebinar,
    ];

    /// The name people see.
    pub fn name(self) -> &'static str {
        match self {
            Action::CreateMeeting => "Create Meeting",
            Action::UpdateMeetingSettings => "Update Meeting Settings",
            Action::EndMeeting => "End Meeting",
            Action::DeleteMeeting => "Delete Meeting",
            Action::ManageParticipants => "Manage Participants",
            Action::AccessRecordings => "Access Recordings",
            Action::ScheduleRecurringMeeting => "Schedule Recurring Meeting",
            Action::GetZak => "Get ZAK",
            Action::CreateWebinar => "Create Webinar",
        }
    }

    /// The scopes it needs, as its action file declares them.
    pub fn requirements(self) -> &'static [ScopeRequirement] {
        use crate::actions::*;
        match self {
            Action::CreateMeeting => create_meeting::SCOPES,
            Action::UpdateMeetingSettings => update_meeting_settings::SCOPES,
            Action::EndMeeting => end_meeting::SCOPES,
            Action::DeleteMeeting => delete_meeting::SCOPES,
            Action::ManageParticipants => manage_participants::SCOPES,
            Action::AccessRecordings => access_recordings::SCOPES,
            Action::ScheduleRecurringMeeting => schedule_recurring_meeting::SCOPES,
            Action::GetZak => get_zak::SCOPES,
            Action::CreateWebinar => create_webinar::SCOPES,
        }
    }

    /// The seed's scope names for this action, without repeats.
    pub fn seed_scopes(self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        for requirement in self.requirements() {
            if !names.contains(&requirement.seed) {
                names.push(requirement.seed);
            }
        }
        names
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One scope an action needs: the seed's name, and the real scopes that satisfy it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScopeRequirement {
    /// The name the seed document uses (shown to people).
    pub seed: &'static str,
    /// What the scope is for in this action.
    pub purpose: &'static str,
    /// Classic scopes, any one of which satisfies it.
    pub classic: &'static [&'static str],
    /// Granular scopes, any one of which satisfies it.
    pub granular: &'static [&'static str],
}

impl ScopeRequirement {
    /// Whether `granted` satisfies this requirement.
    pub fn satisfied_by(&self, granted: &[String]) -> bool {
        granted.iter().any(|scope| {
            self.classic.contains(&scope.as_str()) || self.granular.contains(&scope.as_str())
        })
    }

    /// The real scopes to suggest for an app of `model`.
    pub fn suggestions(&self, model: ScopeModel) -> Vec<&'static str> {
        match model {
            ScopeModel::Classic => self.classic.to_vec(),
            ScopeModel::Granular => self.granular.to_vec(),
            ScopeModel::Unknown | ScopeModel::NoScopes => {
                self.classic.iter().chain(self.granular).copied().collect()
            }
        }
    }
}

// The seed's names mapped to Zoom's real scopes, per call (fact sheet section 4).

/// `meeting:write` for `POST /users/{userId}/meetings`.
pub const MEETING_WRITE_CREATE: ScopeRequirement = ScopeRequirement {
    seed: "meeting:write",
    purpose: "create meetings (POST /users/{userId}/meetings)",
    classic: &["meeting:write", "meeting:write:admin"],
    granular: &["meeting:write:meeting", "meeting:write:meeting:admin"],
};
/// `meeting:write` for `PATCH /meetings/{meetingId}`.
pub const MEETING_WRITE_UPDATE: ScopeRequirement = ScopeRequirement {
    seed: "meeting:write",
    purpose: "update meetings (PATCH /meetings/{meetingId})",
    classic: &["meeting:write", "meeting:write:admin"],
    granular: &["meeting:update:meeting", "meeting:update:meeting:admin"],
};
/// `meeting:write` for `DELETE /meetings/{meetingId}`.
pub const MEETING_WRITE_DELETE: ScopeRequirement = ScopeRequirement {
    seed: "meeting:write",
    purpose: "delete meetings (DELETE /meetings/{meetingId})",
    classic: &["meeting:write", "meeting:write:admin"],
    granular: &["meeting:delete:meeting", "meeting:delete:meeting:admin"],
};
/// The seed's invented `meeting:update:admin`: Zoom's `meeting:write:admin`, needed to update
/// meetings another user hosts.
pub const MEETING_UPDATE_ADMIN: ScopeRequirement = ScopeRequirement {
    seed: "meeting:update:admin",
    purpose: "update meetings another user hosts (Zoom has no meeting:update:admin; \
              its classic name is meeting:write:admin)",
    classic: &["meeting:write:admin"],
    granular: &["meeting:update:meeting:admin"],
};
/// `meeting:write:admin` for `PUT /meetings/{meetingId}/status`: incident bridges are usually
/// hosted by someone other than the app's user, so the admin scope (SCOPE-2).
pub const MEETING_WRITE_ADMIN_END: ScopeRequirement = ScopeRequirement {
    seed: "meeting:write:admin",
    purpose: "end meetings, including those other users host (PUT /meetings/{meetingId}/status)",
    classic: &["meeting:write:admin"],
    granular: &["meeting:update:status:admin"],
};
/// `meeting:write` for adding registrants.
pub const MEETING_WRITE_REGISTRANT: ScopeRequirement = ScopeRequirement {
    seed: "meeting:write",
    purpose: "add registrants (POST /meetings/{meetingId}/registrants)",
    classic: &["meeting:write", "meeting:write:admin"],
    granular: &["meeting:write:registrant", "meeting:write:registrant:admin"],
};
/// `meeting:write` for approving, cancelling and denying registrants.
pub const MEETING_WRITE_REGISTRANT_STATUS: ScopeRequirement = ScopeRequirement {
    seed: "meeting:write",
    purpose: "approve, cancel or deny registrants (PUT /meetings/{meetingId}/registrants/status)",
    classic: &["meeting:write", "meeting:write:admin"],
    granular: &[
        "meeting:update:registrant_status",
        "meeting:update:registrant_status:admin",
    ],
};
/// `meeting:read` for listing registrants (beyond the seed's Manage Participants row, which
/// names only write scopes; listing needs a read scope in both of Zoom's models).
pub const MEETING_READ_REGISTRANTS: ScopeRequirement = ScopeRequirement {
    seed: "meeting:read",
    purpose: "list registrants (GET /meetings/{meetingId}/registrants)",
    classic: &["meeting:read", "meeting:read:admin"],
    granular: &[
        "meeting:read:list_registrants",
        "meeting:read:list_registrants:admin",
    ],
};
/// `user:read`: read host and participant users.
pub const USER_READ: ScopeRequirement = ScopeRequirement {
    seed: "user:read",
    purpose: "read the host's and participants' users (GET /users/{userId})",
    classic: &[
        "user:read",
        "user:read:admin",
        "user:write",
        "user:write:admin",
    ],
    granular: &["user:read:user", "user:read:user:admin"],
};
/// `user:write`: the seed asks for it to manage participants' user settings.
pub const USER_WRITE: ScopeRequirement = ScopeRequirement {
    seed: "user:write",
    purpose: "manage user settings for participant management",
    classic: &["user:write", "user:write:admin"],
    granular: &["user:update:user", "user:update:user:admin"],
};
/// `user:read` as Zoom requires it for `GET /users/{userId}/token?type=zak` (not in the seed's
/// table, which has no ZAK row; granular apps need `user:read:token`).
pub const USER_READ_TOKEN: ScopeRequirement = ScopeRequirement {
    seed: "user:read",
    purpose: "get a user's ZAK (GET /users/{userId}/token?type=zak) so the scribe bot joins \
              as that user",
    classic: &[
        "user:read",
        "user:write",
        "user:read:admin",
        "user:write:admin",
        "user_profile",
    ],
    granular: &["user:read:token", "user:read:token:admin"],
};
/// `recording:read`: a meeting's recording files.
pub const RECORDING_READ: ScopeRequirement = ScopeRequirement {
    seed: "recording:read",
    purpose: "list a meeting's recordings (GET /meetings/{meetingId}/recordings)",
    classic: &["recording:read", "recording:read:admin"],
    granular: &[
        "cloud_recording:read:list_recording_files",
        "cloud_recording:read:list_recording_files:admin",
    ],
};
/// The seed's invented `cloud_recording:read`: a user's cloud recordings (classic
/// `recording:read`; granular `cloud_recording:read:list_user_recordings`).
pub const CLOUD_RECORDING_READ: ScopeRequirement = ScopeRequirement {
    seed: "cloud_recording:read",
    purpose: "list a user's cloud recordings (GET /users/{userId}/recordings; Zoom's classic \
              name is recording:read)",
    classic: &["recording:read", "recording:read:admin"],
    granular: &[
        "cloud_recording:read:list_user_recordings",
        "cloud_recording:read:list_user_recordings:admin",
    ],
};
/// `webinar:write`: create webinars.
pub const WEBINAR_WRITE: ScopeRequirement = ScopeRequirement {
    seed: "webinar:write",
    purpose: "create webinars (POST /users/{userId}/webinars)",
    classic: &["webinar:write", "webinar:write:admin"],
    granular: &["webinar:write:webinar", "webinar:write:webinar:admin"],
};

/// Which of Zoom's scope models an app's granted scopes use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeModel {
    /// `resource:action[:admin]`.
    Classic,
    /// `service:action:data_claim[:admin]`.
    Granular,
    /// No scopes were granted (or none recognisable).
    Unknown,
    /// API Key/Secret: no scopes at all, account-admin rights.
    NoScopes,
}

impl ScopeModel {
    /// The model of `granted`.
    pub fn of(granted: &[String]) -> ScopeModel {
        let mut model = ScopeModel::Unknown;
        for scope in granted {
            let base = scope
                .strip_suffix(":admin")
                .or_else(|| scope.strip_suffix(":master"))
                .unwrap_or(scope);
            match base.split(':').count() {
                3.. => return ScopeModel::Granular,
                2 => model = ScopeModel::Classic,
                _ => {}
            }
        }
        model
    }
}

/// A requirement an app lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingScope {
    /// The seed's name.
    pub seed: &'static str,
    /// What it is for.
    pub purpose: &'static str,
    /// Real scopes to add, any one of which will do.
    pub add_one_of: Vec<&'static str>,
}

/// Whether one action can run.
#[derive(Debug, Clone, Serialize)]
pub struct ActionReadiness {
    /// The action.
    pub action: Action,
    /// Its name.
    pub name: &'static str,
    /// The seed's scope names it needs.
    pub seed_scopes: Vec<&'static str>,
    /// Ready to run.
    pub ready: bool,
    /// What is missing.
    pub missing: Vec<MissingScope>,
    /// Why it cannot run other than scopes (e.g. no ZAK with API Key/Secret).
    pub note: Option<String>,
}

/// How the scribe bot will join meetings under this auth mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BotJoin {
    /// With a ZAK: at once, bypassing the waiting room.
    Automatic,
    /// As a standard participant: waits in the waiting room for someone to admit it.
    ManualAdmission,
}

/// What the auth mode means for the scribe bot.
#[derive(Debug, Clone, Serialize)]
pub struct ScribeBotOutlook {
    /// How it will join.
    pub join: BotJoin,
    /// The explanation.
    pub note: String,
}

/// The result of [`ZoomConnector::test_connection`].
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionReport {
    /// The auth mode tested.
    pub auth_mode: AuthMode,
    /// The REST base URL used.
    pub api_base_url: String,
    /// Authentication succeeded (a failure is an `Err` instead, so this is always true).
    pub authenticated: bool,
    /// The scope model of the granted scopes.
    pub scope_model: ScopeModel,
    /// The scopes the token carries (`None` for API Key/Secret, which has none).
    pub granted_scopes: Option<Vec<String>>,
    /// Per action, ready or what is missing.
    pub actions: Vec<ActionReadiness>,
    /// What this means for the scribe bot.
    pub scribe_bot: ScribeBotOutlook,
}

impl ConnectionReport {
    /// Build the report for `mode` and `granted` scopes (`None`: API Key/Secret).
    pub fn evaluate(
        mode: AuthMode,
        api_base_url: String,
        granted: Option<Vec<String>>,
    ) -> ConnectionReport {
        let model = match &granted {
            None => ScopeModel::NoScopes,
            Some(scopes) => ScopeModel::of(scopes),
        };
        let actions: Vec<ActionReadiness> = Action::ALL
            .iter()
            .map(|&action| readiness(action, mode, model, granted.as_deref()))
            .collect();
        let zak_ready = actions
            .iter()
            .any(|a| a.action == Action::GetZak && a.ready);
        let scribe_bot = match (mode, zak_ready) {
            (AuthMode::ApiKey, _) => ScribeBotOutlook {
                join: BotJoin::ManualAdmission,
                note: "API Key/Secret cannot generate ZAK tokens: the scribe bot will join as a \
                       standard participant, land in the waiting room and need manual admission \
                       (Slack alert \"ZAK token generation not supported\"); if nobody admits it, \
                       it misses the meeting. Switch to Server-to-Server OAuth to join \
                       automatically."
                    .into(),
            },
            (_, true) => ScribeBotOutlook {
                join: BotJoin::Automatic,
                note: format!(
                    "{mode}: the scribe bot can get a ZAK and join automatically, bypassing the \
                     waiting room"
                ),
            },
            (_, false) => ScribeBotOutlook {
                join: BotJoin::ManualAdmission,
                note: format!(
                    "{mode}, but the app cannot read ZAK tokens yet: grant {} so the scribe bot \
                     joins automatically; until then it needs manual admission",
                    USER_READ_TOKEN.suggestions(model).join(" or ")
                ),
            },
        };
        ConnectionReport {
            auth_mode: mode,
            api_base_url,
            authenticated: true,
            scope_model: model,
            granted_scopes: granted,
            actions,
            scribe_bot,
        }
    }

    /// The readiness of `action`.
    pub fn action(&self, action: Action) -> Option<&ActionReadiness> {
        self.actions.iter().find(|a| a.action == action)
    }
}

fn readiness(
    action: Action,
    mode: AuthMode,
    model: ScopeModel,
    granted: Option<&[String]>,
) -> ActionReadiness {
    let seed_scopes = action.seed_scopes();
    let Some(granted) = granted else {
        // API Key/Secret: account-admin rights, no scopes, but never a ZAK.
        let zak = action == Action::GetZak;
        return ActionReadiness {
            action,
            name: action.name(),
            seed_scopes,
            ready: !zak,
            missing: Vec::new(),
            note: zak.then(|| {
                format!(
                    "{mode} apps cannot generate ZAK tokens (Zoom answers HTTP 400 code 124 \
                     \"This API only supports OAuth2 authorization.\")"
                )
            }),
        };
    };
    let mut missing: Vec<MissingScope> = Vec::new();
    for requirement in action.requirements() {
        if !requirement.satisfied_by(granted) {
            missing.push(MissingScope {
                seed: requirement.seed,
                purpose: requirement.purpose,
                add_one_of: requirement.suggestions(model),
            });
        }
    }
    ActionReadiness {
        action,
        name: action.name(),
        seed_scopes,
        ready: missing.is_empty(),
        missing,
        note: None,
    }
}

impl fmt::Display for ConnectionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Zoom connection: OK ({}, {})",
            self.auth_mode, self.api_base_url
        )?;
        match &self.granted_scopes {
            None => writeln!(
                f,
                "Scopes: none (API Key/Secret apps act with account-admin rights)"
            )?,
            Some(scopes) if scopes.is_empty() => writeln!(f, "Scopes: none granted")?,
            Some(scopes) => writeln!(
                f,
                "Scopes ({:?} model): {}",
                self.scope_model,
                scopes.join(" ")
            )?,
        }
        writeln!(f, "Actions:")?;
        for action in &self.actions {
            let status = if action.ready { "ready" } else { "NOT READY" };
            writeln!(
                f,
                "  {:<28} {:<10} needs {}",
                action.name,
                status,
                action.seed_scopes.join(", ")
            )?;
            for missing in &action.missing {
                writeln!(
                    f,
                    "      missing {} ({}): add one of {}",
                    missing.seed,
                    missing.purpose,
                    missing.add_one_of.join(", ")
                )?;
            }
            if let Some(note) = &action.note {
                writeln!(f, "      {note}")?;
            }
        }
        writeln!(f, "Scribe bot: {}", self.scribe_bot.note)
    }
}

impl ZoomConnector {
    /// Test the connection: authenticate afresh, read the granted scopes, and report per action
    /// whether it is ready or which scopes it lacks, plus what the auth mode means for the
    /// scribe bot. Fails when the credentials are refused.
    ///
    /// API Key/Secret tokens are only checked when used, so that mode makes one read call
    /// (`GET /users/me`) to prove the key and secret work.
    pub async fn test_connection(&self) -> Result<ConnectionReport, ConnectorError> {
        let auth = self.authenticator()?;
        let granted = match auth.authenticate().await? {
            (_, Some(scopes)) => Some(scopes),
            (_, None) => {
                let call = Call::new(
                    reqwest::Method::GET,
                    "GET /users/{userId}",
                    None,
                    ["users", "me"],
                );
                self.client().empty(&auth, call).await?;
                None
            }
        };
        Ok(ConnectionReport::evaluate(
            auth.mode(),
            self.api_base_url().to_string(),
            granted,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn seed_table_names_are_shown_per_action() {
        assert_eq!(
            Action::CreateMeeting.seed_scopes(),
            vec!["meeting:write", "user:read"]
        );
        assert_eq!(
            Action::EndMeeting.seed_scopes(),
            vec!["meeting:write:admin"]
        );
        assert_eq!(
            Action::UpdateMeetingSettings.seed_scopes(),
            vec!["meeting:write", "meeting:update:admin"]
        );
        assert_eq!(
            Action::AccessRecordings.seed_scopes(),
            vec!["recording:read", "cloud_recording:read"]
        );
        assert_eq!(
            Action::ScheduleRecurringMeeting.seed_scopes(),
            vec!["meeting:write", "user:read"]
        );
        let manage = Action::ManageParticipants.seed_scopes();
        for name in ["meeting:write", "user:read", "user:write"] {
            assert!(manage.contains(&name), "{manage:?}");
        }
    }

    #[test]
    fn invented_seed_names_map_to_real_scopes_only() {
        for action in Action::ALL {
            for requirement in action.requirements() {
                for real in requirement.classic.iter().chain(requirement.granular) {
                    assert_ne!(*real, "meeting:update:admin", "{action}");
                    assert_ne!(*real, "cloud_recording:read", "{action}");
                }
                assert!(!requirement.classic.is_empty() && !requirement.granular.is_empty());
            }
        }
        assert_eq!(MEETING_UPDATE_ADMIN.classic, &["meeting:write:admin"]);
    }

    #[test]
    fn scope_model_detection() {
        assert_eq!(
            ScopeModel::of(&scopes(&["meeting:write:admin", "user:read"])),
            ScopeModel::Classic
        );
        assert_eq!(
            ScopeModel::of(&scopes(&["meeting:write:meeting:admin", "user:read:user"])),
            ScopeModel::Granular
        );
        assert_eq!(ScopeModel::of(&[]), ScopeModel::Unknown);
    }

    #[test]
    fn classic_app_with_seed_basics_lacks_admin_for_end_and_update() {
        let granted = scopes(&["meeting:write", "meeting:read", "user:read"]);
        let report =
            ConnectionReport::evaluate(AuthMode::ServerToServerOAuth, "u".into(), Some(granted));
        assert!(report.action(Action::CreateMeeting).unwrap().ready);
        assert!(
            report
                .action(Action::ScheduleRecurringMeeting)
                .unwrap()
                .ready
        );
        assert!(report.action(Action::DeleteMeeting).unwrap().ready);
        let end = report.action(Action::EndMeeting).unwrap();
        assert!(!end.ready);
        assert_eq!(end.missing[0].seed, "meeting:write:admin");
        assert_eq!(end.missing[0].add_one_of, vec!["meeting:write:admin"]);
        let update = report.action(Action::UpdateMeetingSettings).unwrap();
        assert_eq!(update.missing.len(), 1);
        assert_eq!(update.missing[0].seed, "meeting:update:admin");
        let recordings = report.action(Action::AccessRecordings).unwrap();
        assert_eq!(recordings.missing.len(), 2);
        assert!(report.action(Action::GetZak).unwrap().ready);
        assert_eq!(report.scribe_bot.join, BotJoin::Automatic);
    }

    #[test]
    fn granular_app_gets_granular_suggestions() {
        let granted = scopes(&["meeting:write:meeting:admin", "user:read:user:admin"]);
        let report =
            ConnectionReport::evaluate(AuthMode::ServerToServerOAuth, "u".into(), Some(granted));
        assert!(report.action(Action::CreateMeeting).unwrap().ready);
        let end = report.action(Action::EndMeeting).unwrap();
        assert_eq!(
            end.missing[0].add_one_of,
            vec!["meeting:update:status:admin"]
        );
        let zak = report.action(Action::GetZak).unwrap();
        assert!(!zak.ready);
        assert_eq!(report.scribe_bot.join, BotJoin::ManualAdmission);
        assert!(report.scribe_bot.note.contains("user:read:token"));
    }

    #[test]
    fn api_key_mode_is_ready_for_all_but_zak_and_the_bot_needs_admission() {
        let report = ConnectionReport::evaluate(AuthMode::ApiKey, "u".into(), None);
        assert_eq!(report.scope_model, ScopeModel::NoScopes);
        for action in &report.actions {
            assert_eq!(
                action.ready,
                action.action != Action::GetZak,
                "{}",
                action.name
            );
        }
        assert_eq!(report.scribe_bot.join, BotJoin::ManualAdmission);
        assert!(report.scribe_bot.note.contains("manual admission"));
        let text = report.to_string();
        assert!(
            text.contains("Get ZAK") && text.contains("NOT READY"),
            "{text}"
        );
    }
}
