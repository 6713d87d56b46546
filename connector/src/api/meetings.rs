//! Meetings: `POST /users/{userId}/meetings`, `GET|PATCH|DELETE /meetings/{meetingId}`,
//! `PUT /meetings/{meetingId}/status`.

use secrecy::SecretString;
use serde::{Deserialize, Serialize, Serializer};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A meeting as Zoom returns it (create 201, get 200).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Meeting {
    /// Meeting number (int64; can exceed 10 digits).
    pub id: u64,
    /// Unique id of this meeting instance.
    #[serde(default)]
    pub uuid: String,
    /// Host user id.
    #[serde(default)]
    pub host_id: Option<String>,
    /// Host email.
    #[serde(default)]
    pub host_email: Option<String>,
    /// Topic.
    #[serde(default)]
    pub topic: String,
    /// 1 instant, 2 scheduled, 3 recurring without fixed time, 8 recurring with fixed time.
    #[serde(rename = "type", default)]
    pub meeting_type: u8,
    /// `waiting`, `started`, `finished` ...
    #[serde(default)]
    pub status: Option<String>,
    /// Start time (`yyyy-MM-ddTHH:mm:ssZ`).
    #[serde(default)]
    pub start_time: Option<String>,
    /// Duration in minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// IANA time zone.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Agenda.
    #[serde(default)]
    pub agenda: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Link for participants.
    #[serde(default)]
    pub join_url: String,
    /// Link that starts the meeting as host; it embeds the host's ZAK, so it is a secret and is
    /// never serialized.
    #[serde(default, skip_serializing)]
    pub start_url: Option<SecretString>,
    /// Passcode.
    #[serde(default)]
    pub password: Option<String>,
    /// Settings.
    #[serde(default)]
    pub settings: Option<MeetingSettings>,
    /// Recurrence (types 3 and 8).
    #[serde(default)]
    pub recurrence: Option<Recurrence>,
    /// Occurrences of a recurring meeting.
    #[serde(default)]
    pub occurrences: Vec<Occurrence>,
}

/// Meeting settings, as sent and as returned (only fields that are set are sent).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct MeetingSettings {
    /// Host video on at start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_video: Option<bool>,
    /// Participants' video on at start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_video: Option<bool>,
    /// Participants may join before the host (Zoom turns it off when the waiting room is on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_before_host: Option<bool>,
    /// Minutes before start that participants may join (0, 5, 10, 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jbh_time: Option<u8>,
    /// Mute participants on entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mute_upon_entry: Option<bool>,
    /// Waiting room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_room: Option<bool>,
    /// Automatic recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_recording: Option<AutoRecording>,
    /// Registration approval: 0 automatic, 1 manual, 2 no registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_type: Option<u8>,
    /// Semicolon-separated emails or ids of alternative hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative_hosts: Option<String>,
    /// Invitees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_invitees: Option<Vec<MeetingInvitee>>,
    /// Only signed-in users may join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_authentication: Option<bool>,
}

/// One invitee.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct MeetingInvitee {
    /// Email address.
    pub email: String,
}

/// `settings.auto_recording`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoRecording {
    /// Record on the host's computer (no cloud files).
    Local,
    /// Record to Zoom's cloud.
    Cloud,
    /// No automatic recording.
    None,
}

impl std::str::FromStr for AutoRecording {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "local" => Ok(AutoRecording::Local),
            "cloud" => Ok(AutoRecording::Cloud),
            "none" => Ok(AutoRecording::None),
            other => Err(format!(
                "auto-recording must be cloud, local or none, not {other:?}"
            )),
        }
    }
}

/// Recurrence as Zoom's wire format has it (answers; requests are built from
/// [`crate::actions::schedule_recurring_meeting::RecurrenceRule`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Recurrence {
    /// 1 daily, 2 weekly, 3 monthly.
    #[serde(rename = "type")]
    pub recurrence_type: u8,
    /// Every N days/weeks/months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_interval: Option<u32>,
    /// Weekly: comma-separated days, 1 = Sunday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_days: Option<String>,
    /// Monthly: day of the month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_day: Option<u8>,
    /// Monthly: week of the month (-1 last, 1..4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_week: Option<i8>,
    /// Monthly: day of that week, 1 = Sunday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_week_day: Option<u8>,
    /// End after this many occurrences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_times: Option<u32>,
    /// End on this UTC date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date_time: Option<String>,
}

/// One occurrence of a recurring meeting.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Occurrence {
    /// Occurrence id (used to delete or update one occurrence).
    pub occurrence_id: String,
    /// Start time.
    #[serde(default)]
    pub start_time: Option<String>,
    /// Duration in minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// `available` or `deleted`.
    #[serde(default)]
    pub status: Option<String>,
}

/// When a meeting starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartTime {
    /// An instant; sent as UTC `yyyy-MM-ddTHH:mm:ssZ`.
    At(OffsetDateTime),
    /// A wall-clock time in the meeting's `timezone` (which must then be set); sent without
    /// an offset, as Zoom expects for local times.
    Local(PrimitiveDateTime),
}

const UTC_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
const LOCAL_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");

impl StartTime {
    /// Zoom's text form.
    pub fn to_zoom(&self) -> String {
        match self {
            StartTime::At(at) => at
                .to_offset(UtcOffset::UTC)
                .format(UTC_FORMAT)
                .unwrap_or_default(),
            StartTime::Local(local) => local.format(LOCAL_FORMAT).unwrap_or_default(),
        }
    }

    /// Parse `2026-12-05T10:00:00Z` / `...+01:00` (an instant) or `2026-12-05T10:00:00`
    /// (wall-clock time in the meeting's time zone).
    pub fn parse(text: &str) -> Result<Self, String> {
        use time::format_description::well_known::Rfc3339;
        if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
            return Ok(StartTime::At(at));
        }
        PrimitiveDateTime::parse(text, LOCAL_FORMAT)
            .map(StartTime::Local)
            .map_err(|_| {
                format!(
                    "start time {text:?} is neither RFC 3339 (2026-12-05T10:00:00Z) nor a local \
                     time (2026-12-05T10:00:00)"
                )
            })
    }
}

impl From<OffsetDateTime> for StartTime {
    fn from(at: OffsetDateTime) -> Self {
        StartTime::At(at)
    }
}

impl Serialize for StartTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_zoom())
    }
}

/// The body of create and update (PATCH) requests.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct MeetingRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub meeting_type: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<StartTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agenda: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<MeetingSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<Recurrence>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn start_times_use_zooms_formats() {
        let at = StartTime::At(datetime!(2026-12-05 11:00:00 +01:00));
        assert_eq!(at.to_zoom(), "2026-12-05T10:00:00Z");
        let local = StartTime::parse("2026-12-05T10:00:00").unwrap();
        assert_eq!(local.to_zoom(), "2026-12-05T10:00:00");
        assert!(StartTime::parse("tomorrow").is_err());
    }

    #[test]
    fn reads_a_zoom_meeting_and_never_writes_the_start_url() {
        let meeting: Meeting = serde_json::from_value(serde_json::json!({
            "id": 85746065432u64, "uuid": "aDYlohsHRtCd4ii1uC2+hA==", "topic": "A & B",
            "type": 2, "status": "waiting", "join_url": "https://zoom.us/j/85746065432?pwd=x",
            "start_url": "https://zoom.us/s/85746065432?zak=secret-zak", "password": "abc123",
            "settings": {"waiting_room": true, "auto_recording": "cloud", "unknown": 1},
            "extra": "ignored"
        }))
        .unwrap();
        assert_eq!(meeting.id, 85746065432);
        assert_eq!(meeting.topic, "A & B");
        let written = serde_json::to_string(&meeting).unwrap();
        assert!(!written.contains("secret-zak"));
        assert!(format!("{meeting:?}").contains("REDACTED"));
        assert!(!format!("{meeting:?}").contains("secret-zak"));
    }
}
