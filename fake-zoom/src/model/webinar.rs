//! A webinar as Zoom stores it (types 5 webinar, 6 recurring no fixed time, 9 recurring fixed
//! time). Shares recurrence, occurrences and field limits with meetings; its settings are the
//! webinar subset.

use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::model::input::Fields;
use crate::model::meeting::{
    MeetingInput, Occurrence, Recurrence, ScheduleKind, SharedFields, no_occurrence_error,
    refresh_schedule, zoom_time,
};
use crate::zoom_error::FieldError;

/// Webinar settings with Zoom's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct WebinarSettings {
    pub host_video: bool,
    pub panelists_video: bool,
    pub practice_session: bool,
    pub hd_video: bool,
    pub approval_type: i64,
    pub registration_type: i64,
    pub audio: String,
    pub auto_recording: String,
    pub enforce_login: bool,
    pub alternative_hosts: String,
    pub close_registration: bool,
    pub show_share_button: bool,
    pub allow_multiple_devices: bool,
    pub on_demand: bool,
    pub contact_name: String,
    pub contact_email: String,
    pub registrants_restrict_number: i64,
    pub registrants_confirmation_email: bool,
    pub registrants_email_notification: bool,
    pub meeting_authentication: bool,
    pub post_webinar_survey: bool,
    pub email_language: String,
    pub panelists_invitation_email_notification: bool,
    pub attendees_and_panelists_reminder_email_notification: ReminderFlag,
    pub follow_up_attendees_email_notification: ReminderFlag,
    pub follow_up_absentees_email_notification: ReminderFlag,
}

/// `{ "enable": bool }` reminder flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderFlag {
    /// On or off.
    pub enable: bool,
}

impl Default for WebinarSettings {
    fn default() -> Self {
        Self {
            host_video: false,
            panelists_video: false,
            practice_session: false,
            hd_video: false,
            approval_type: 2,
            registration_type: 1,
            audio: "both".into(),
            auto_recording: "none".into(),
            enforce_login: false,
            alternative_hosts: String::new(),
            close_registration: false,
            show_share_button: false,
            allow_multiple_devices: false,
            on_demand: false,
            contact_name: String::new(),
            contact_email: String::new(),
            registrants_restrict_number: 0,
            registrants_confirmation_email: true,
            registrants_email_notification: true,
            meeting_authentication: false,
            post_webinar_survey: false,
            email_language: "en-US".into(),
            panelists_invitation_email_notification: true,
            attendees_and_panelists_reminder_email_notification: ReminderFlag { enable: true },
            follow_up_attendees_email_notification: ReminderFlag { enable: false },
            follow_up_absentees_email_notification: ReminderFlag { enable: false },
        }
    }
}

impl WebinarSettings {
    /// Apply a `settings` object.
    pub fn apply(&mut self, obj: &Map<String, Value>, errors: &mut Vec<FieldError>) {
        let mut f = Fields::new(obj, "settings");
        macro_rules! bools {
            ($($name:ident),*) => { $( if let Some(v) = f.boolean(stringify!($name)) { self.$name = v; } )* };
        }
        bools!(
            host_video,
            panelists_video,
            practice_session,
            hd_video,
            enforce_login,
            close_registration,
            show_share_button,
            allow_multiple_devices,
            on_demand,
            registrants_confirmation_email,
            registrants_email_notification,
            meeting_authentication,
            post_webinar_survey,
            panelists_invitation_email_notification
        );
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
        if let Some(v) = f.string("alternative_hosts") {
            self.alternative_hosts = v;
        }
        if let Some(v) = f.string_max("contact_name", 255) {
            self.contact_name = v;
        }
        if let Some(v) = f.string_max("contact_email", 255) {
            self.contact_email = v;
        }
        if let Some(v) = f.int_range("registrants_restrict_number", 0, 20000) {
            self.registrants_restrict_number = v;
        }
        if let Some(v) = f.string("email_language") {
            self.email_language = v;
        }
        errors.extend(f.into_errors());
    }
}

/// Webinar status: not running, or started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WebinarStatus {
    /// Not running.
    Waiting,
    /// Running.
    Started,
}

/// A webinar. Serializes as Zoom's webinar object.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct Webinar {
    pub id: u64,
    pub uuid: String,
    pub host_id: String,
    pub host_email: String,
    pub topic: String,
    #[serde(rename = "type")]
    pub webinar_type: i64,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "zoom_time::serialize_opt"
    )]
    pub start_time: Option<OffsetDateTime>,
    pub duration: i64,
    pub timezone: String,
    pub agenda: String,
    #[serde(serialize_with = "zoom_time::serialize")]
    pub created_at: OffsetDateTime,
    pub start_url: String,
    pub join_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_url: Option<String>,
    pub password: String,
    pub encrypted_passcode: String,
    pub h323_passcode: String,
    pub settings: WebinarSettings,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<Recurrence>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub occurrences: Vec<Occurrence>,
    pub is_simulive: bool,
    pub creation_source: &'static str,
    /// Not part of Zoom's object: whether it runs.
    #[serde(skip)]
    pub status: WebinarStatus,
}

/// Webinar types Zoom accepts.
pub const WEBINAR_TYPES: &[i64] = &[5, 6, 9];

/// Check a webinar body: the meeting field rules with webinar types and settings.
pub fn parse_webinar_input(obj: &Map<String, Value>) -> Result<MeetingInput, Vec<FieldError>> {
    // Meeting settings rules do not apply to webinars: check the webinar settings instead.
    let mut without_settings = obj.clone();
    let settings = without_settings.remove("settings");
    let mut errors = Vec::new();
    let mut input = match MeetingInput::parse(&without_settings, WEBINAR_TYPES) {
        Ok(input) => Some(input),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    match settings {
        Some(Value::Object(map)) => {
            WebinarSettings::default().apply(&map, &mut errors);
            if let Some(input) = &mut input {
                input.settings = Some(map);
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => errors.push(FieldError::invalid("settings")),
    }
    match input {
        Some(input) if errors.is_empty() => Ok(input),
        _ => Err(errors),
    }
}

impl Webinar {
    /// Apply a validated update at `now`, all or nothing.
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
        let new_type = input.meeting_type.unwrap_or(self.webinar_type);
        if new_type == 9 && input.recurrence.is_none() && self.recurrence.is_none() {
            errors.push(FieldError::new("recurrence", "Required field."));
        }
        let mut settings = self.settings.clone();
        if let Some(obj) = &input.settings {
            settings.apply(obj, &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors);
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
        self.webinar_type = new_type;
        self.settings = settings;
        self.refresh_schedule(now);
        if self.webinar_type == 9 && self.occurrences.is_empty() {
            return Err(vec![no_occurrence_error()]);
        }
        Ok(())
    }

    /// Recompute start and occurrences (the rule shared with meetings).
    pub fn refresh_schedule(&mut self, now: OffsetDateTime) {
        let kind = match self.webinar_type {
            6 => ScheduleKind::RecurringNoFixedTime,
            9 => ScheduleKind::RecurringFixedTime,
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
}
