//! A scheduled meeting as Zoom stores it: its fields, settings with Zoom's defaults, recurrence
//! and occurrences, registrants, and the rules that tie settings together. No HTTP here; the
//! serialized form is Zoom's meeting object.
//!
//! Rules kept here:
//! * waiting room on forces join-before-host off ([`MeetingSettings::normalize`]);
//! * limits: topic ≤ 200, agenda ≤ 2000, duration 1–1440, passcode ≤ 10 characters of
//!   letters, digits and `@ - _ *` (Zoom's default passcode rule), `jbh_time` 0/5/10/15;
//! * types 1, 2, 3, 8; type 8 needs a recurrence, whose occurrences are generated here
//!   (at most 60, Zoom's cap);
//! * a local `start_time` (no `Z`) is a wall-clock time in the body's `timezone`, else the
//!   host's (create) or the meeting's (update) zone, converted with the bundled tz database;
//!   an unknown `timezone` is a 300 field error.

use serde::Serialize;
use serde_json::{Map, Value};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Weekday};

use crate::model::input::{Fields, looks_like_email};
use crate::zoom_error::FieldError;

/// Zoom time format `yyyy-MM-ddTHH:mm:ssZ`.
pub mod zoom_time {
    use serde::Serializer;
    use time::OffsetDateTime;
    use time::macros::format_description;

    /// Format an instant as Zoom does (UTC, seconds, `Z`).
    pub fn format(t: OffsetDateTime) -> String {
        let t = t.to_offset(time::UtcOffset::UTC);
        t.format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap_or_default()
    }

    /// Serde `serialize_with` for `OffsetDateTime`.
    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*t))
    }

    /// Serde `serialize_with` for `Option<OffsetDateTime>`.
    pub fn serialize_opt<S: Serializer>(
        t: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format(*t)),
            None => s.serialize_none(),
        }
    }

    /// A `start_time` as sent: an instant (`Z` or an offset) or a local wall-clock time.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Start {
        /// With `Z` or an offset.
        Instant(OffsetDateTime),
        /// Without: a time in the meeting's `timezone`.
        Local(time::PrimitiveDateTime),
    }

    impl Start {
        /// The instant, if one was given.
        pub fn instant(self) -> Option<OffsetDateTime> {
            match self {
                Start::Instant(t) => Some(t),
                Start::Local(_) => None,
            }
        }
        /// The local time, if one was given.
        pub fn local(self) -> Option<time::PrimitiveDateTime> {
            match self {
                Start::Local(t) => Some(t),
                Start::Instant(_) => None,
            }
        }
    }

    /// Parse a `start_time`: `yyyy-MM-ddTHH:mm:ssZ` (or an offset) is an instant,
    /// `yyyy-MM-ddTHH:mm:ss` a local time.
    pub fn parse_start(s: &str) -> Option<Start> {
        use time::format_description::well_known::Rfc3339;
        if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
            return Some(Start::Instant(t.to_offset(time::UtcOffset::UTC)));
        }
        let local = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
        time::PrimitiveDateTime::parse(s, local)
            .ok()
            .map(Start::Local)
    }

    /// Whether `name` is an IANA time zone (the fake carries the tz database).
    pub fn known_zone(name: &str) -> bool {
        jiff::tz::TimeZone::get(name).is_ok()
    }

    /// A local wall-clock time in zone `name` as a UTC instant (RFC 5545 disambiguation: a
    /// time in a DST gap moves forward, a time in a fold takes the earlier offset).
    pub fn local_to_utc(local: time::PrimitiveDateTime, name: &str) -> Option<OffsetDateTime> {
        let tz = jiff::tz::TimeZone::get(name).ok()?;
        let civil = jiff::civil::DateTime::new(
            i16::try_from(local.year()).ok()?,
            u8::from(local.month()) as i8,
            local.day() as i8,
            local.hour() as i8,
            local.minute() as i8,
            local.second() as i8,
            0,
        )
        .ok()?;
        let ts = tz.to_timestamp(civil).ok()?;
        OffsetDateTime::from_unix_timestamp(ts.as_second()).ok()
    }

    /// Parse `yyyy-MM-ddTHH:mm:ss[Z|±hh:mm][.fff]`; a time without offset is read as UTC
    /// (Zoom's rule for `recurrence.end_date_time`).
    pub fn parse(s: &str) -> Option<OffsetDateTime> {
        use time::format_description::well_known::Rfc3339;
        if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
            return Some(t.to_offset(time::UtcOffset::UTC));
        }
        let local = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
        time::PrimitiveDateTime::parse(s.trim_end_matches('Z'), local)
            .ok()
            .map(|p| p.assume_utc())
    }
}

/// Meeting status as Zoom shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// Not running.
    Waiting,
    /// A live instance is running.
    Started,
}

/// Who goes to the waiting room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitingRoomOptions {
    /// `follow_setting` (the account's rule) or `custom`.
    pub mode: String,
    /// `everyone`, `users_not_in_account`, `users_not_in_account_or_whitelisted_domains`,
    /// `users_not_on_invite`.
    pub who_goes_to_waiting_room: String,
}

/// One invitee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitee {
    /// Email.
    pub email: String,
}

/// `settings.continuous_meeting_chat`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContinuousMeetingChat {
    /// On or off.
    pub enable: bool,
    /// Add invited external users.
    pub auto_add_invited_external_users: bool,
}

/// A flag object `{ "enable": bool }` (breakout rooms, regions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enable {
    /// On or off.
    pub enable: bool,
}

/// Meeting settings with Zoom's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct MeetingSettings {
    pub host_video: bool,
    pub participant_video: bool,
    pub cn_meeting: bool,
    pub in_meeting: bool,
    pub join_before_host: bool,
    pub jbh_time: i64,
    pub mute_upon_entry: bool,
    pub watermark: bool,
    pub use_pmi: bool,
    pub approval_type: i64,
    pub registration_type: i64,
    pub audio: String,
    pub auto_recording: String,
    pub enforce_login: bool,
    pub enforce_login_domains: String,
    pub alternative_hosts: String,
    pub alternative_hosts_email_notification: bool,
    pub close_registration: bool,
    pub show_share_button: bool,
    pub allow_multiple_devices: bool,
    pub registrants_confirmation_email: bool,
    pub waiting_room: bool,
    pub waiting_room_options: WaitingRoomOptions,
    pub registrants_email_notification: bool,
    pub meeting_authentication: bool,
    pub encryption_type: String,
    pub approved_or_denied_countries_or_regions: Enable,
    pub breakout_room: Enable,
    pub focus_mode: bool,
    pub private_meeting: bool,
    pub email_notification: bool,
    pub host_save_video_order: bool,
    pub meeting_invitees: Vec<Invitee>,
    pub continuous_meeting_chat: ContinuousMeetingChat,
    pub participant_focused_meeting: bool,
    pub push_change_to_calendar: bool,
    pub auto_start_meeting_summary: bool,
    pub auto_start_ai_companion_questions: bool,
    pub device_testing: bool,
}

impl Default for MeetingSettings {
    fn default() -> Self {
        Self {
            host_video: false,
            participant_video: false,
            cn_meeting: false,
            in_meeting: false,
            join_before_host: false,
            jbh_time: 0,
            mute_upon_entry: false,
            watermark: false,
            use_pmi: false,
            approval_type: 2,
            registration_type: 1,
            audio: "both".into(),
            auto_recording: "none".into(),
            enforce_login: false,
            enforce_login_domains: String::new(),
            alternative_hosts: String::new(),
            alternative_hosts_email_notification: true,
            close_registration: false,
            show_share_button: false,
            allow_multiple_devices: false,
            registrants_confirmation_email: true,
            waiting_room: false,
            waiting_room_options: WaitingRoomOptions {
                mode: "follow_setting".into(),
                who_goes_to_waiting_room: "everyone".into(),
            },
            registrants_email_notification: true,
            meeting_authentication: false,
            encryption_type: "enhanced_encryption".into(),
            approved_or_denied_countries_or_regions: Enable { enable: false },
            breakout_room: Enable { enable: false },
            focus_mode: false,
            private_meeting: false,
            email_notification: true,
            host_save_video_order: false,
            meeting_invitees: Vec::new(),
            continuous_meeting_chat: ContinuousMeetingChat {
                enable: false,
                auto_add_invited_external_users: false,
            },
            participant_focused_meeting: false,
            push_change_to_calendar: false,
            auto_start_meeting_summary: false,
            auto_start_ai_companion_questions: false,
            device_testing: false,
        }
    }
}

impl MeetingSettings {
    /// Apply a `settings` object from a create or update body.
    pub fn apply(&mut self, obj: &Map<String, Value>, errors: &mut Vec<FieldError>) {
        let mut f = Fields::new(obj, "settings");
        macro_rules! bools {
            ($($name:ident),*) => { $( if let Some(v) = f.boolean(stringify!($name)) { self.$name = v; } )* };
        }
        bools!(
            host_video,
            participant_video,
            cn_meeting,
            in_meeting,
            join_before_host,
            mute_upon_entry,
            watermark,
            use_pmi,
            enforce_login,
            alternative_hosts_email_notification,
            close_registration,
            show_share_button,
            allow_multiple_devices,
            registrants_confirmation_email,
            waiting_room,
            registrants_email_notification,
            meeting_authentication,
            focus_mode,
            private_meeting,
            email_notification,
            host_save_video_order,
            participant_focused_meeting,
            push_change_to_calendar,
            auto_start_meeting_summary,
            auto_start_ai_companion_questions,
            device_testing
        );
        if let Some(v) = f.int_enum("jbh_time", &[0, 5, 10, 15]) {
            self.jbh_time = v;
        }
        if let Some(v) = f.int_enum("approval_type", &[0, 1, 2]) {
            self.approval_type = v;
        }
        if let Some(v) = f.int_enum("registration_type", &[1, 2, 3]) {
            self.registration_type = v;
        }
        if let Some(v) = f.str_enum("audio", &["both", "telephony", "voip", "thirdParty"]) {
            self.audio = v;
        }
        if let Some(v) = f.str_enum("auto_recording", &["local", "cloud", "none"]) {
            self.auto_recording = v;
        }
        if let Some(v) = f.str_enum("encryption_type", &["enhanced_encryption", "e2ee"]) {
            self.encryption_type = v;
        }
        if let Some(v) = f.string("enforce_login_domains") {
            self.enforce_login_domains = v;
        }
        if let Some(v) = f.string("alternative_hosts") {
            let hosts: Vec<&str> = v
                .split([';', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if hosts
                .iter()
                .any(|h| h.contains('@') && !looks_like_email(h))
            {
                f.error("alternative_hosts", None);
            } else {
                self.alternative_hosts = hosts.join(";");
            }
        }
        if let Some(obj) = f.object("waiting_room_options") {
            let mut w = Fields::new(obj, "settings.waiting_room_options");
            let mode = w.str_enum("mode", &["follow_setting", "custom"]);
            if mode.is_none() && !w.has("mode") {
                w.error("mode", Some("Required field."));
            }
            let who = w.str_enum(
                "who_goes_to_waiting_room",
                &[
                    "everyone",
                    "users_not_in_account",
                    "users_not_in_account_or_whitelisted_domains",
                    "users_not_on_invite",
                ],
            );
            if !w.has_errors() {
                if let Some(mode) = mode {
                    self.waiting_room_options.mode = mode;
                }
                if let Some(who) = who {
                    self.waiting_room_options.who_goes_to_waiting_room = who;
                }
            }
            f.absorb(w);
        }
        if let Some(items) = f.array("meeting_invitees") {
            let mut invitees = Vec::new();
            let mut ok = true;
            for item in items {
                match item.get("email").and_then(Value::as_str) {
                    Some(email) if looks_like_email(email) => invitees.push(Invitee {
                        email: email.to_string(),
                    }),
                    _ => ok = false,
                }
            }
            if ok {
                self.meeting_invitees = invitees;
            } else {
                f.error("meeting_invitees", None);
            }
        }
        if let Some(obj) = f.object("continuous_meeting_chat") {
            let mut c = Fields::new(obj, "settings.continuous_meeting_chat");
            if let Some(v) = c.boolean("enable") {
                self.continuous_meeting_chat.enable = v;
            }
            if let Some(v) = c.boolean("auto_add_invited_external_users") {
                self.continuous_meeting_chat.auto_add_invited_external_users = v;
            }
            f.absorb(c);
        }
        for key in ["breakout_room", "approved_or_denied_countries_or_regions"] {
            if let Some(obj) = f.object(key) {
                let mut c = Fields::new(obj, &format!("settings.{key}"));
                if let Some(v) = c.boolean("enable") {
                    if key == "breakout_room" {
                        self.breakout_room.enable = v;
                    } else {
                        self.approved_or_denied_countries_or_regions.enable = v;
                    }
                }
                f.absorb(c);
            }
        }
        errors.extend(f.into_errors());
        self.normalize();
    }

    /// Zoom's cross-setting rules: the waiting room disables join-before-host.
    pub fn normalize(&mut self) {
        if self.waiting_room {
            self.join_before_host = false;
        }
    }

    /// The alternative hosts (emails or user ids).
    pub fn alternative_host_list(&self) -> impl Iterator<Item = &str> {
        self.alternative_hosts.split(';').filter(|s| !s.is_empty())
    }
}

/// A recurrence rule (`recurrence` object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recurrence {
    /// 1 daily, 2 weekly, 3 monthly.
    #[serde(rename = "type")]
    pub kind: i64,
    /// Every N days / weeks / months.
    pub repeat_interval: i64,
    /// Weekly: days "1".."7" (1 = Sunday), comma-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekly_days: Option<String>,
    /// Monthly: day of the month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_day: Option<i64>,
    /// Monthly: week (-1 last, 1..4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_week: Option<i64>,
    /// Monthly: weekday (1 = Sunday).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_week_day: Option<i64>,
    /// Number of occurrences (0 = no end).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_times: Option<i64>,
    /// Last date.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "zoom_time::serialize_opt"
    )]
    pub end_date_time: Option<OffsetDateTime>,
}

/// Zoom's cap on listed occurrences.
pub const MAX_OCCURRENCES: usize = 60;

impl Recurrence {
    /// Parse and check a `recurrence` object.
    pub fn parse(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Option<Recurrence> {
        let mut f = Fields::new(obj, "recurrence");
        let kind = f.int_enum("type", &[1, 2, 3]);
        if !f.has("type") {
            f.error("type", Some("Required field."));
        }
        let repeat_interval = f.int("repeat_interval").unwrap_or(1);
        let max_interval = match kind {
            Some(1) => 99,
            Some(2) => 50,
            _ => 10,
        };
        if !(1..=max_interval).contains(&repeat_interval) {
            f.error("repeat_interval", None);
        }
        let weekly_days = f.string("weekly_days");
        if let Some(days) = &weekly_days
            && (days.is_empty()
                || days
                    .split(',')
                    .any(|d| !matches!(d.trim(), "1" | "2" | "3" | "4" | "5" | "6" | "7")))
        {
            f.error("weekly_days", None);
        }
        if kind == Some(2) && weekly_days.is_none() {
            f.error("weekly_days", Some("Required field."));
        }
        let monthly_day = f.int_range("monthly_day", 1, 31);
        let monthly_week = f.int_enum("monthly_week", &[-1, 1, 2, 3, 4]);
        let monthly_week_day = f.int_range("monthly_week_day", 1, 7);
        if kind == Some(3)
            && monthly_day.is_none()
            && (monthly_week.is_none() || monthly_week_day.is_none())
            && !f.has_errors()
        {
            f.error("monthly_day", Some("Required field."));
        }
        let end_times = f.int_range("end_times", 0, MAX_OCCURRENCES as i64);
        let end_date_time = match f.string("end_date_time") {
            Some(s) => {
                let t = zoom_time::parse(&s);
                if t.is_none() {
                    f.error("end_date_time", None);
                }
                t
            }
            None => None,
        };
        if end_times.is_some() && end_date_time.is_some() {
            f.error(
                "end_date_time",
                Some("Cannot be used together with end_times."),
            );
        }
        let had_errors = f.has_errors();
        errors.extend(f.into_errors());
        if had_errors {
            return None;
        }
        Some(Recurrence {
            kind: kind?,
            repeat_interval,
            weekly_days,
            monthly_day,
            monthly_week,
            monthly_week_day,
            end_times: if end_date_time.is_none() {
                Some(end_times.unwrap_or(1))
            } else {
                None
            },
            end_date_time,
        })
    }

    /// The occurrence start times from `first` on, at most [`MAX_OCCURRENCES`].
    pub fn occurrence_starts(&self, first: OffsetDateTime) -> Vec<OffsetDateTime> {
        let limit = match self.end_times {
            Some(0) | None => MAX_OCCURRENCES,
            Some(n) => (n as usize).min(MAX_OCCURRENCES),
        };
        let until = self.end_date_time;
        let time_of_day = first.time();
        let mut out = Vec::new();
        let push = |out: &mut Vec<OffsetDateTime>, date: Date| -> bool {
            let t = PrimitiveDateTime::new(date, time_of_day).assume_utc();
            if t < first {
                return true;
            }
            if until.is_some_and(|u| t > u) || out.len() >= limit {
                return false;
            }
            out.push(t);
            true
        };
        let interval = self.repeat_interval.max(1);
        match self.kind {
            1 => {
                let mut date = first.date();
                for _ in 0..(MAX_OCCURRENCES * 2) {
                    if !push(&mut out, date) {
                        break;
                    }
                    date = date.saturating_add(Duration::days(interval));
                }
            }
            2 => {
                let days: Vec<u8> = self
                    .weekly_days
                    .as_deref()
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|d| d.trim().parse().ok())
                    .collect();
                // Weeks start on Sunday (Zoom's day 1).
                let week_start = first.date().saturating_sub(Duration::days(
                    first.weekday().number_days_from_sunday() as i64,
                ));
                'weeks: for week in 0..(MAX_OCCURRENCES as i64 * 8) {
                    if week % interval != 0 {
                        continue;
                    }
                    for offset in 0..7i64 {
                        let date = week_start.saturating_add(Duration::days(week * 7 + offset));
                        if days.contains(&((offset + 1) as u8)) && !push(&mut out, date) {
                            break 'weeks;
                        }
                    }
                }
            }
            _ => {
                let (mut year, mut month) = (first.year(), first.month());
                for _ in 0..(MAX_OCCURRENCES * 12) {
                    if let Some(date) = self.monthly_date(year, month)
                        && !push(&mut out, date)
                    {
                        break;
                    }
                    for _ in 0..interval {
                        month = month.next();
                        if month == time::Month::January {
                            year += 1;
                        }
                    }
                    if out.len() >= limit {
                        break;
                    }
                }
            }
        }
        out
    }

    fn monthly_date(&self, year: i32, month: time::Month) -> Option<Date> {
        if let Some(day) = self.monthly_day {
            return Date::from_calendar_date(year, month, day as u8).ok();
        }
        let week = self.monthly_week?;
        let weekday = weekday_from_zoom(self.monthly_week_day?)?;
        let first = Date::from_calendar_date(year, month, 1).ok()?;
        let mut candidates = Vec::new();
        let mut d = first;
        while d.month() == month {
            if d.weekday() == weekday {
                candidates.push(d);
            }
            d = d.next_day()?;
        }
        if week == -1 {
            candidates.last().copied()
        } else {
            candidates.get((week - 1) as usize).copied()
        }
    }
}

fn weekday_from_zoom(day: i64) -> Option<Weekday> {
    Some(match day {
        1 => Weekday::Sunday,
        2 => Weekday::Monday,
        3 => Weekday::Tuesday,
        4 => Weekday::Wednesday,
        5 => Weekday::Thursday,
        6 => Weekday::Friday,
        7 => Weekday::Saturday,
        _ => return None,
    })
}

/// One occurrence of a recurring meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// Start in epoch milliseconds, as Zoom numbers occurrences.
    pub occurrence_id: String,
    /// Start.
    #[serde(serialize_with = "zoom_time::serialize")]
    pub start_time: OffsetDateTime,
    /// Minutes.
    pub duration: i64,
    /// `available` or `deleted`.
    pub status: String,
}

impl Occurrence {
    /// The occurrences of a recurrence from `first`.
    pub fn generate(recurrence: &Recurrence, first: OffsetDateTime, duration: i64) -> Vec<Self> {
        recurrence
            .occurrence_starts(first)
            .into_iter()
            .map(|t| Occurrence {
                occurrence_id: ((t.unix_timestamp_nanos() / 1_000_000) as i64).to_string(),
                start_time: t,
                duration,
                status: "available".into(),
            })
            .collect()
    }
}

/// A registrant of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registrant {
    /// Registrant id.
    pub id: String,
    /// Email.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// `approved`, `pending` or `denied`.
    pub status: String,
    /// When registered.
    #[serde(serialize_with = "zoom_time::serialize")]
    pub create_time: OffsetDateTime,
    /// The registrant's personal join link.
    pub join_url: String,
    /// Occurrences registered for (empty = all).
    #[serde(skip)]
    pub occurrence_ids: Vec<String>,
}

/// A meeting. Serializes as Zoom's meeting object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    /// int64 meeting number.
    pub id: u64,
    /// The current (or next) instance's uuid.
    pub uuid: String,
    /// Host user id.
    pub host_id: String,
    /// Host email.
    pub host_email: String,
    /// Topic.
    pub topic: String,
    /// 1, 2, 3 or 8.
    #[serde(rename = "type")]
    pub meeting_type: i64,
    /// `waiting` or `started`.
    pub status: MeetingStatus,
    /// Start (absent for type 3).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "zoom_time::serialize_opt"
    )]
    pub start_time: Option<OffsetDateTime>,
    /// Minutes.
    pub duration: i64,
    /// IANA zone as given.
    pub timezone: String,
    /// Agenda.
    pub agenda: String,
    /// Creation time.
    #[serde(serialize_with = "zoom_time::serialize")]
    pub created_at: OffsetDateTime,
    /// Host's start link (carries a ZAK-like token: a secret, scrubbed from journals).
    pub start_url: String,
    /// Join link.
    pub join_url: String,
    /// Registration link when registration is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_url: Option<String>,
    /// Passcode.
    pub password: String,
    /// H.323 passcode.
    pub h323_password: String,
    /// Phone passcode.
    pub pstn_password: String,
    /// Encrypted passcode (in `join_url`).
    pub encrypted_password: String,
    /// Pre-scheduled.
    pub pre_schedule: bool,
    /// Meeting settings.
    pub settings: MeetingSettings,
    /// Recurrence (types 3 and 8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<Recurrence>,
    /// Occurrences (type 8).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub occurrences: Vec<Occurrence>,
    /// Always `open_api` for meetings made through the API.
    pub creation_source: &'static str,
    /// Registrants (not part of the meeting object).
    #[serde(skip)]
    pub registrants: Vec<Registrant>,
}

/// The parsed body of a create or update request.
#[derive(Debug, Default)]
pub struct MeetingInput {
    /// `topic`.
    pub topic: Option<String>,
    /// `type`.
    pub meeting_type: Option<i64>,
    /// `start_time` given with `Z` or an offset.
    pub start_time: Option<OffsetDateTime>,
    /// `start_time` given as local wall-clock time; [`MeetingInput::resolve_start`] turns it
    /// into `start_time` in `timezone` (or the host's zone).
    pub local_start: Option<time::PrimitiveDateTime>,
    /// `duration`.
    pub duration: Option<i64>,
    /// `timezone`.
    pub timezone: Option<String>,
    /// `agenda`.
    pub agenda: Option<String>,
    /// `password`.
    pub password: Option<String>,
    /// `default_password`.
    pub default_password: Option<bool>,
    /// `pre_schedule`.
    pub pre_schedule: Option<bool>,
    /// `recurrence`.
    pub recurrence: Option<Recurrence>,
    /// `settings` (kept raw; applied onto the current settings).
    pub settings: Option<Map<String, Value>>,
}

impl MeetingInput {
    /// Read a create/update body; meeting types allowed are `types`.
    pub fn parse(obj: &Map<String, Value>, types: &[i64]) -> Result<Self, Vec<FieldError>> {
        let mut f = Fields::new(obj, "");
        let mut extra = Vec::new();
        let start = match f.string("start_time") {
            Some(s) => {
                let t = zoom_time::parse_start(&s);
                if t.is_none() {
                    f.error("start_time", None);
                }
                t
            }
            None => None,
        };
        let timezone = f.string_max("timezone", 64);
        if timezone
            .as_deref()
            .is_some_and(|tz| !zoom_time::known_zone(tz))
        {
            f.error("timezone", None);
        }
        let input = MeetingInput {
            topic: f.string_max("topic", 200),
            meeting_type: f.int_enum("type", types),
            start_time: start.and_then(|s| s.instant()),
            local_start: start.and_then(|s| s.local()),
            duration: f.int_range("duration", 1, 1440),
            timezone,
            agenda: f.string_max("agenda", 2000),
            password: match f.string("password") {
                Some(p) if valid_passcode(&p) => Some(p),
                Some(_) => {
                    f.error(
                        "password",
                        Some("Passcode may only contain the following characters: [a-z A-Z 0-9 @ - _ *] and can have a maximum of 10 characters."),
                    );
                    None
                }
                None => None,
            },
            default_password: f.boolean("default_password"),
            pre_schedule: f.boolean("pre_schedule"),
            recurrence: f
                .object("recurrence")
                .and_then(|r| Recurrence::parse(r, &mut extra)),
            settings: f.object("settings").cloned(),
        };
        let mut errors = f.into_errors();
        errors.extend(extra);
        if let Some(settings) = &input.settings {
            // Check settings now so every error is reported at once.
            MeetingSettings::default().apply(settings, &mut errors);
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

impl MeetingInput {
    /// Turn a local `start_time` into an instant: in the body's `timezone`, else in
    /// `fallback_zone` (the host's zone on create, the meeting's on update).
    pub fn resolve_start(&mut self, fallback_zone: &str) {
        if let Some(local) = self.local_start.take() {
            let zone = self.timezone.as_deref().unwrap_or(fallback_zone);
            self.start_time =
                Some(zoom_time::local_to_utc(local, zone).unwrap_or_else(|| local.assume_utc()));
        }
    }
}

/// Zoom's default passcode rule: 1–10 of letters, digits, `@ - _ *`.
pub fn valid_passcode(p: &str) -> bool {
    !p.is_empty()
        && p.chars().count() <= 10
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '-' | '_' | '*'))
}

/// The fields an update sets alike on meetings and webinars, so the rule lives once.
pub(crate) struct SharedFields<'a> {
    pub topic: &'a mut String,
    pub agenda: &'a mut String,
    pub duration: &'a mut i64,
    pub timezone: &'a mut String,
    pub password: &'a mut String,
    pub start_time: &'a mut Option<OffsetDateTime>,
    pub recurrence: &'a mut Option<Recurrence>,
}

impl MeetingInput {
    /// Set each shared field the update gives. A past start time is ignored on update (Zoom).
    pub(crate) fn apply_shared(self, fields: SharedFields<'_>, now: OffsetDateTime) {
        if let Some(v) = self.topic {
            *fields.topic = v;
        }
        if let Some(v) = self.agenda {
            *fields.agenda = v;
        }
        if let Some(v) = self.duration {
            *fields.duration = v;
        }
        if let Some(v) = self.timezone {
            *fields.timezone = v;
        }
        if let Some(v) = self.password {
            *fields.password = v;
        }
        if let Some(t) = self.start_time
            && t >= now
        {
            *fields.start_time = Some(t);
        }
        if let Some(r) = self.recurrence {
            *fields.recurrence = Some(r);
        }
    }
}

impl Meeting {
    /// The occurrence with this id.
    pub fn occurrence(&self, occurrence_id: &str) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.occurrence_id == occurrence_id)
    }

    /// Apply an update (already validated) at `now`, all or nothing. Returns field errors for
    /// rules that need the meeting (a recurring type without recurrence, no occurrence left).
    pub fn apply_update(
        &mut self,
        input: MeetingInput,
        now: OffsetDateTime,
    ) -> Result<(), Vec<FieldError>> {
        let mut next = self.clone();
        next.apply_update_to_copy(input, now)?;
        *self = next;
        Ok(())
    }

    fn apply_update_to_copy(
        &mut self,
        input: MeetingInput,
        now: OffsetDateTime,
    ) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let new_type = input.meeting_type.unwrap_or(self.meeting_type);
        if new_type == 8 && input.recurrence.is_none() && self.recurrence.is_none() {
            errors.push(FieldError::new("recurrence", "Required field."));
        }
        let mut settings = self.settings.clone();
        if let Some(obj) = &input.settings {
            settings.apply(obj, &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Some(v) = input.pre_schedule {
            self.pre_schedule = v;
        }
        input.apply_shared(
            SharedFields {
                topic: &mut self.topic,
                agenda: &mut self.agenda,
                duration: &mut self.duration,
                timezone: &mut self.timezone,
                password: &mut self.password,
                start_time: &mut self.start_time,
                recurrence: &mut self.recurrence,
            },
            now,
        );
        self.meeting_type = new_type;
        self.refresh_schedule(now);
        if self.meeting_type == 8 && self.occurrences.is_empty() {
            return Err(vec![no_occurrence_error()]);
        }
        self.settings = settings;
        self.registration_url = registration_url(&self.join_url, &self.settings);
        Ok(())
    }

    /// Recompute start time and occurrences after a change of type, start or recurrence.
    pub fn refresh_schedule(&mut self, now: OffsetDateTime) {
        let kind = match self.meeting_type {
            3 => ScheduleKind::RecurringNoFixedTime,
            8 => ScheduleKind::RecurringFixedTime,
            _ => ScheduleKind::Single,
        };
        refresh_schedule(
            kind,
            &mut self.start_time,
            self.duration,
            &mut self.recurrence,
            &mut self.occurrences,
            now,
        );
    }

    /// The meeting object, optionally narrowed to one occurrence and with or without
    /// deleted occurrences.
    pub fn to_json(&self, occurrence_id: Option<&str>, show_previous: bool) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            let occurrences: Vec<&Occurrence> = self
                .occurrences
                .iter()
                .filter(|o| match occurrence_id {
                    Some(id) => o.occurrence_id == id,
                    None => show_previous || o.status == "available",
                })
                .collect();
            if let (Some(id), Some(o)) = (occurrence_id, occurrences.first()) {
                let _ = id;
                map.insert(
                    "start_time".into(),
                    Value::String(zoom_time::format(o.start_time)),
                );
                map.insert("duration".into(), Value::from(o.duration));
            }
            if !self.occurrences.is_empty() {
                map.insert(
                    "occurrences".into(),
                    serde_json::to_value(occurrences).unwrap_or(Value::Null),
                );
            }
        }
        value
    }
}

/// How a meeting or webinar type is scheduled (meetings 1/2, 3, 8; webinars 5, 6, 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleKind {
    /// One start time (instant, scheduled, webinar).
    Single,
    /// Recurring with no fixed time: no start time, no occurrences.
    RecurringNoFixedTime,
    /// Recurring with a fixed time: occurrences from the recurrence.
    RecurringFixedTime,
}

/// The schedule rule meetings and webinars share: recurring with no fixed time has neither
/// start nor occurrences; a fixed-time recurrence generates occurrences from the start (or
/// now), and the start becomes the first occurrence; a single one has no recurrence and starts
/// now when no start is given.
pub fn refresh_schedule(
    kind: ScheduleKind,
    start_time: &mut Option<OffsetDateTime>,
    duration: i64,
    recurrence: &mut Option<Recurrence>,
    occurrences: &mut Vec<Occurrence>,
    now: OffsetDateTime,
) {
    match kind {
        ScheduleKind::RecurringNoFixedTime => {
            *start_time = None;
            occurrences.clear();
        }
        ScheduleKind::RecurringFixedTime => {
            let first = start_time.unwrap_or(now);
            *start_time = Some(first);
            if let Some(r) = recurrence {
                *occurrences = Occurrence::generate(r, first, duration);
                if let Some(o) = occurrences.first() {
                    *start_time = Some(o.start_time);
                }
            }
        }
        ScheduleKind::Single => {
            *recurrence = None;
            occurrences.clear();
            if start_time.is_none() {
                *start_time = Some(now);
            }
        }
    }
}

/// The 300 body for a fixed-time recurrence that yields no occurrence.
pub fn no_occurrence_error() -> FieldError {
    FieldError::new(
        "recurrence.end_date_time",
        "No occurrence falls between start_time and end_date_time.",
    )
}

/// The registration link when registration is on (approval type 0 or 1).
pub fn registration_url(join_url: &str, settings: &MeetingSettings) -> Option<String> {
    (settings.approval_type != 2).then(|| {
        let base = join_url.split("/j/").next().unwrap_or(join_url);
        let id = join_url
            .split("/j/")
            .nth(1)
            .and_then(|rest| rest.split('?').next())
            .unwrap_or("");
        format!("{base}/meeting/register/{id}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn waiting_room_forces_join_before_host_off() {
        let mut s = MeetingSettings::default();
        let mut errors = Vec::new();
        let body = serde_json::json!({"join_before_host": true, "waiting_room": true});
        s.apply(body.as_object().unwrap(), &mut errors);
        assert!(errors.is_empty());
        assert!(s.waiting_room && !s.join_before_host);
    }

    #[test]
    fn weekly_recurrence_generates_occurrences() {
        let r = Recurrence {
            kind: 2,
            repeat_interval: 1,
            weekly_days: Some("2,4".into()),
            monthly_day: None,
            monthly_week: None,
            monthly_week_day: None,
            end_times: Some(4),
            end_date_time: None,
        };
        // 2026-12-07 is a Monday.
        let starts = r.occurrence_starts(datetime!(2026-12-07 10:00 UTC));
        assert_eq!(
            starts,
            vec![
                datetime!(2026-12-07 10:00 UTC),
                datetime!(2026-12-09 10:00 UTC),
                datetime!(2026-12-14 10:00 UTC),
                datetime!(2026-12-16 10:00 UTC),
            ]
        );
    }

    #[test]
    fn monthly_last_friday() {
        let r = Recurrence {
            kind: 3,
            repeat_interval: 1,
            weekly_days: None,
            monthly_day: None,
            monthly_week: Some(-1),
            monthly_week_day: Some(6),
            end_times: Some(2),
            end_date_time: None,
        };
        let starts = r.occurrence_starts(datetime!(2026-12-01 09:00 UTC));
        assert_eq!(
            starts,
            vec![
                datetime!(2026-12-25 09:00 UTC),
                datetime!(2027-01-29 09:00 UTC)
            ]
        );
    }

    #[test]
    fn parse_reports_every_bad_field() {
        let body = serde_json::json!({"topic": "x".repeat(201), "duration": 0, "type": 5,
            "settings": {"jbh_time": 7}});
        let errors = MeetingInput::parse(body.as_object().unwrap(), &[1, 2, 3, 8]).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["topic", "type", "duration", "settings.jbh_time"]);
    }
}
