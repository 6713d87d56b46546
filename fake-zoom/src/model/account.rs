//! One Zoom account's state: users, meetings (and deleted meetings that can be recovered),
//! webinars, and the per-account rate-limit counters. Each account sits behind its own mutex in
//! [`crate::state::FakeState`], so accounts never contend with each other.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::OffsetDateTime;

use crate::config::{AccountConfig, Plan, RateLimitConfig, Role};
use crate::model::meeting::{Meeting, zoom_time};
use crate::model::webinar::Webinar;
use crate::rate_limit::RateCounters;

/// A user of the account. Serializes as Zoom's user object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    /// User id.
    pub id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// `first last`.
    pub display_name: String,
    /// Email.
    pub email: String,
    /// 1 basic, 2 licensed, 4 unassigned.
    #[serde(rename = "type")]
    pub user_type: u8,
    /// Personal meeting id.
    pub pmi: u64,
    /// IANA zone.
    pub timezone: String,
    /// 1 verified.
    pub verified: i64,
    /// Language.
    pub language: String,
    /// Role name (`Owner`, `Admin`, `Member`).
    pub role_name: String,
    /// Creation time.
    #[serde(serialize_with = "zoom_time::serialize")]
    pub created_at: OffsetDateTime,
    /// Creation time (newer field).
    #[serde(serialize_with = "zoom_time::serialize")]
    pub user_created_at: OffsetDateTime,
    /// `active`.
    pub status: String,
    /// Account id.
    pub account_id: String,
    /// Personal meeting link.
    pub personal_meeting_url: String,
    /// Role.
    #[serde(skip)]
    pub role: Role,
    /// Webinar licence.
    #[serde(skip)]
    pub webinar_license: bool,
}

impl User {
    /// Whether `key` (id or email) names this user.
    pub fn matches(&self, key: &str) -> bool {
        self.id == key || self.email.eq_ignore_ascii_case(key)
    }
    /// Whether the user may host meetings (basic and unassigned users may not schedule in
    /// the fake; Zoom's code 3161).
    pub fn can_host(&self) -> bool {
        self.user_type == 2
    }
}

/// A deleted meeting, recoverable with `PUT .../status {"action":"recover"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedMeeting {
    /// The meeting as it was.
    pub meeting: Meeting,
    /// When it was deleted.
    pub deleted_at: OffsetDateTime,
}

/// One account's state.
#[derive(Debug)]
pub struct Account {
    /// Account id.
    pub id: String,
    /// Plan.
    pub plan: Plan,
    /// Rate limits.
    pub rate_limits: RateLimitConfig,
    /// Users, owner first.
    pub users: Vec<User>,
    /// Meetings by id.
    pub meetings: BTreeMap<u64, Meeting>,
    /// Deleted meetings by id.
    pub deleted_meetings: BTreeMap<u64, DeletedMeeting>,
    /// Webinars by id.
    pub webinars: BTreeMap<u64, Webinar>,
    /// Rate-limit counters.
    pub rate: RateCounters,
    /// List pagination cursors: token → (list key, offset, expiry).
    pub page_tokens: HashMap<String, PageCursor>,
}

/// Where a `next_page_token` points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCursor {
    /// Which list (e.g. `meetings:<user>:<type>`).
    pub list: String,
    /// Index of the next item.
    pub offset: usize,
    /// Zoom's tokens expire after 15 minutes.
    pub expires_at: OffsetDateTime,
}

impl Account {
    /// Fresh state from configuration, at `now`, with personal meeting ids from `pmi`.
    pub fn from_config(
        config: &AccountConfig,
        now: OffsetDateTime,
        base_url: &str,
        mut pmi: impl FnMut() -> u64,
    ) -> Self {
        let mut users: Vec<User> = config
            .users
            .iter()
            .map(|u| {
                let pmi = pmi();
                User {
                    id: u.id.clone(),
                    first_name: u.first_name.clone(),
                    last_name: u.last_name.clone(),
                    display_name: format!("{} {}", u.first_name, u.last_name)
                        .trim()
                        .to_string(),
                    email: u.email.clone(),
                    user_type: u.user_type,
                    pmi,
                    timezone: u.timezone.clone(),
                    verified: 1,
                    language: "en-US".into(),
                    role_name: u.role.zoom_name().into(),
                    created_at: now,
                    user_created_at: now,
                    status: "active".into(),
                    account_id: config.id.clone(),
                    personal_meeting_url: format!("{base_url}/j/{pmi}"),
                    role: u.role,
                    webinar_license: u.webinar_license,
                }
            })
            .collect();
        // The owner first: S2S and API Key tokens act as the account owner.
        if let Some(pos) = users.iter().position(|u| u.role == Role::Owner) {
            let owner = users.remove(pos);
            users.insert(0, owner);
        }
        Self {
            id: config.id.clone(),
            plan: config.plan,
            rate_limits: config.rate_limits.clone(),
            users,
            meetings: BTreeMap::new(),
            deleted_meetings: BTreeMap::new(),
            webinars: BTreeMap::new(),
            rate: RateCounters::default(),
            page_tokens: HashMap::new(),
        }
    }

    /// The account owner (first `owner`, else the first user).
    pub fn owner(&self) -> Option<&User> {
        self.users.first()
    }

    /// A user by id or email.
    pub fn user(&self, key: &str) -> Option<&User> {
        self.users.iter().find(|u| u.matches(key))
    }
}
