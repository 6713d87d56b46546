//! Cloud recordings: what an ended instance leaves in Zoom's cloud, and their life afterwards.
//!
//! * [`RecordingStore`]: every account's cloud recordings, keyed by instance uuid.
//! * [`CloudRecording`] / [`RecordingFile`]: Zoom's recording object and its files.
//! * [`RecordingPolicy`]: per account, the cloud storage limit, the retention period, trash days.
//! * [`RecordingSettings`]: `GET`/`PATCH /meetings/{id}/recordings/settings`.
//!
//! Choices, and the Zoom facts they rest on:
//! * Auto-recording `cloud` records from the instance's start to its end (or between
//!   `recording.start` / `stop` / `pause` / `resume`); each recorded span gives an MP4
//!   (`shared_screen_with_speaker_view`), an M4A (`audio_only`) and a TRANSCRIPT (`audio_transcript`,
//!   VTT), like Zoom with audio transcripts on. Files are `completed` as soon as the instance ends
//!   (Zoom takes minutes to process; the fake's clock would add nothing a test can use).
//! * `local` recording happens on the host's computer: nothing reaches the cloud.
//! * File sizes are deterministic per recorded second ([`BYTES_PER_SECOND_MP4`] etc.).
//! * Storage: files in use count against the account's limit; the trash does not (Zoom answers
//!   3309 "Not enough cloud storage available…" to *recovering* from the trash, which only makes
//!   sense if trashed files do not count). A recording is refused when it would *start* with the
//!   storage already full: `recording.start` answers 400 code 3309 and auto-recording does not
//!   start (the instance shows why). A recording that started below the limit is kept whole,
//!   even if it takes the account over the limit; the next one is then refused.
//! * Retention ("Delete cloud recordings after a specified number of days"): `auto_delete_date` =
//!   the recording's start date + retention days; on that date the recording moves to the trash,
//!   and 30 days after trashing it is deleted for good ("Zoom lets users recover recordings from
//!   trash for up to 30 days"). Both happen when the fake's clock passes those instants.

use std::collections::BTreeMap;

use rand::Rng;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use super::room::{Room, Span};

/// Bytes per recorded second of the MP4 (about 216 MB per hour, as 720p speaker view).
pub const BYTES_PER_SECOND_MP4: u64 = 60_000;
/// Bytes per recorded second of the M4A (about 58 MB per hour).
pub const BYTES_PER_SECOND_M4A: u64 = 16_000;
/// Bytes per recorded second of the VTT transcript.
pub const BYTES_PER_SECOND_TRANSCRIPT: u64 = 40;
/// How long Zoom keeps trashed recordings before deleting them.
pub const TRASH_DAYS: i64 = 30;

/// Zoom's 3309 message, verbatim from the spec.
pub const STORAGE_FULL_MESSAGE: &str = "Not enough cloud storage available. Either purchase additional storage or delete cloud recordings to free up storage.";

/// Per-account recording configuration (part of the account's config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordingPolicy {
    /// Cloud storage limit in bytes; `None` = unlimited. Default 5 GiB (Zoom's Pro allowance).
    pub cloud_storage_limit_bytes: Option<u64>,
    /// "Delete cloud recordings after a specified number of days"; `None` = keep. From 1 to
    /// [`MAX_RETENTION_DAYS`].
    pub retention_days: Option<u32>,
}

/// The longest retention period the config accepts: 100 years (Zoom's own setting offers far
/// less; anything longer is a typo, and dates past year 9999 cannot be represented).
pub const MAX_RETENTION_DAYS: u32 = 36_500;

impl Default for RecordingPolicy {
    fn default() -> Self {
        Self {
            cloud_storage_limit_bytes: Some(5 * 1024 * 1024 * 1024),
            retention_days: None,
        }
    }
}

/// `file_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FileType {
    /// Video.
    Mp4,
    /// Audio only.
    M4a,
    /// Audio transcript (VTT).
    Transcript,
}

impl FileType {
    /// Zoom's `file_extension`.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Mp4 => "MP4",
            Self::M4a => "M4A",
            Self::Transcript => "VTT",
        }
    }
    /// Zoom's `recording_type`.
    pub fn recording_type(self) -> &'static str {
        match self {
            Self::Mp4 => "shared_screen_with_speaker_view",
            Self::M4a => "audio_only",
            Self::Transcript => "audio_transcript",
        }
    }
    fn bytes_per_second(self) -> u64 {
        match self {
            Self::Mp4 => BYTES_PER_SECOND_MP4,
            Self::M4a => BYTES_PER_SECOND_M4A,
            Self::Transcript => BYTES_PER_SECOND_TRANSCRIPT,
        }
    }
}

/// One recording file.
#[derive(Debug, Clone, Serialize)]
pub struct RecordingFile {
    /// File id (uuid).
    pub id: String,
    /// Type.
    pub file_type: FileType,
    /// Recording start.
    #[serde(with = "time::serde::rfc3339")]
    pub recording_start: OffsetDateTime,
    /// Recording end.
    #[serde(with = "time::serde::rfc3339")]
    pub recording_end: OffsetDateTime,
    /// Size in bytes.
    pub file_size: u64,
    /// When it went to the trash, if it is there.
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_time: Option<OffsetDateTime>,
}

/// `GET`/`PATCH /meetings/{id}/recordings/settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingSettings {
    /// `publicly` | `internally` | `none`.
    pub share_recording: String,
    /// Viewers may download.
    pub viewer_download: bool,
    /// Passcode (8–10 characters).
    pub password: String,
    /// Registration required to view.
    pub on_demand: bool,
    /// Registration approval: 0 auto, 1 manual, 2 none.
    pub approval_type: u8,
    /// Only authenticated users may view.
    pub recording_authentication: bool,
    /// Email the host on registration.
    pub send_email_to_host: bool,
    /// Social share buttons on the registration page.
    pub show_social_share_buttons: bool,
    /// Recording name.
    pub topic: String,
    /// Auto-delete on.
    pub auto_delete: bool,
}

/// The fields of a settings update (`PATCH`); absent = unchanged.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecordingSettingsPatch {
    /// See [`RecordingSettings`].
    pub share_recording: Option<String>,
    /// See [`RecordingSettings`].
    pub viewer_download: Option<bool>,
    /// See [`RecordingSettings`].
    pub password: Option<String>,
    /// See [`RecordingSettings`].
    pub on_demand: Option<bool>,
    /// See [`RecordingSettings`].
    pub approval_type: Option<u8>,
    /// See [`RecordingSettings`].
    pub recording_authentication: Option<bool>,
    /// See [`RecordingSettings`].
    pub send_email_to_host: Option<bool>,
    /// See [`RecordingSettings`].
    pub show_social_share_buttons: Option<bool>,
    /// See [`RecordingSettings`].
    pub topic: Option<String>,
    /// See [`RecordingSettings`].
    pub auto_delete: Option<bool>,
    /// Accepted and ignored (the fake keeps no authentication options).
    pub authentication_option: Option<String>,
    /// Accepted and ignored.
    pub authentication_domains: Option<String>,
}

/// A validation failure: the field and its message (Zoom's `errors[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Field name.
    pub field: &'static str,
    /// Message.
    pub message: String,
}

impl RecordingSettings {
    /// Applies a patch, or says which field is invalid (nothing changes then).
    pub fn apply(&mut self, patch: RecordingSettingsPatch) -> Result<(), FieldError> {
        let mut next = self.clone();
        if let Some(v) = patch.share_recording {
            if !matches!(v.as_str(), "publicly" | "internally" | "none") {
                return Err(FieldError {
                    field: "share_recording",
                    message: "Invalid field.".into(),
                });
            }
            next.share_recording = v;
        }
        if let Some(v) = patch.password {
            let len = v.chars().count();
            if !(8..=10).contains(&len) {
                return Err(FieldError {
                    field: "password",
                    message: "Invalid field.".into(),
                });
            }
            next.password = v;
        }
        if let Some(v) = patch.approval_type {
            if v > 2 {
                return Err(FieldError {
                    field: "approval_type",
                    message: "Invalid field.".into(),
                });
            }
            next.approval_type = v;
        }
        if let Some(v) = patch.topic {
            if v.chars().count() > 200 {
                return Err(FieldError {
                    field: "topic",
                    message: "Invalid field.".into(),
                });
            }
            next.topic = v;
        }
        if let Some(v) = patch.viewer_download {
            next.viewer_download = v;
        }
        if let Some(v) = patch.on_demand {
            next.on_demand = v;
        }
        if let Some(v) = patch.recording_authentication {
            next.recording_authentication = v;
        }
        if let Some(v) = patch.send_email_to_host {
            next.send_email_to_host = v;
        }
        if let Some(v) = patch.show_social_share_buttons {
            next.show_social_share_buttons = v;
        }
        if let Some(v) = patch.auto_delete {
            next.auto_delete = v;
        }
        *self = next;
        Ok(())
    }
}

/// One instance's cloud recording (Zoom's recording object).
#[derive(Debug, Clone, Serialize)]
pub struct CloudRecording {
    /// Meeting number.
    pub meeting_id: u64,
    /// Instance uuid.
    pub uuid: String,
    /// Account.
    pub account_id: String,
    /// Host's user id.
    pub host_id: String,
    /// Host's email.
    pub host_email: String,
    /// Meeting type.
    pub meeting_type: u8,
    /// Time zone.
    pub timezone: String,
    /// Instance start.
    #[serde(with = "time::serde::rfc3339")]
    pub start_time: OffsetDateTime,
    /// Instance length in minutes.
    pub duration: i64,
    /// Files (including trashed ones; see `deleted_time`).
    pub files: Vec<RecordingFile>,
    /// Sharing settings.
    pub settings: RecordingSettings,
    /// `recording_play_passcode`.
    pub play_passcode: String,
    /// Share id used in `share_url`.
    pub share_id: String,
}

impl CloudRecording {
    /// Files not in the trash.
    pub fn active_files(&self) -> impl Iterator<Item = &RecordingFile> {
        self.files.iter().filter(|f| f.deleted_time.is_none())
    }
    /// Files in the trash.
    pub fn trashed_files(&self) -> impl Iterator<Item = &RecordingFile> {
        self.files.iter().filter(|f| f.deleted_time.is_some())
    }
    /// Bytes of the files not in the trash.
    pub fn active_size(&self) -> u64 {
        self.active_files().map(|f| f.file_size).sum()
    }
    /// The auto-delete date, when retention is on for this recording. A date beyond what
    /// `OffsetDateTime` can hold is no date (the config check refuses such periods; this keeps
    /// any value from panicking).
    pub fn auto_delete_date(&self, policy: &RecordingPolicy) -> Option<Date> {
        let days = policy.retention_days?;
        if !self.settings.auto_delete {
            return None;
        }
        self.start_time
            .checked_add(Duration::days(i64::from(days)))
            .map(|at| at.date())
    }
}

/// Why a recording operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordingError {
    /// Zoom 404 code 3301.
    #[error("There is no recording for this meeting.")]
    NoRecording,
    /// Zoom 400 code 3309.
    #[error("{STORAGE_FULL_MESSAGE}")]
    StorageFull,
}

/// Whether a delete moves to the trash (Zoom's default) or deletes for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteAction {
    /// `action=trash`.
    Trash,
    /// `action=delete`.
    Delete,
}

/// Every cloud recording.
#[derive(Debug, Default, Serialize)]
pub struct RecordingStore {
    by_uuid: BTreeMap<String, CloudRecording>,
}

fn random_token(rng: &mut impl Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

impl RecordingStore {
    /// Bytes the account's recordings use (the trash excluded).
    pub fn used_bytes(&self, account_id: &str) -> u64 {
        self.by_uuid
            .values()
            .filter(|r| r.account_id == account_id)
            .map(CloudRecording::active_size)
            .sum()
    }

    /// Whether a cloud recording may start now for the account.
    pub fn can_start(
        &self,
        account_id: &str,
        policy: &RecordingPolicy,
    ) -> Result<(), RecordingError> {
        match policy.cloud_storage_limit_bytes {
            Some(limit) if self.used_bytes(account_id) >= limit => Err(RecordingError::StorageFull),
            _ => Ok(()),
        }
    }

    /// Turns an ended instance's recorded spans into files. Returns the recording's uuid, or
    /// `None` when nothing was recorded to the cloud.
    pub fn complete(&mut self, room: &Room, rng: &mut impl Rng) -> Option<String> {
        let spans: Vec<Span> = room
            .recording
            .spans
            .iter()
            .copied()
            // Less than a second recorded leaves no file.
            .filter(|s| s.to.is_some_and(|to| (to - s.from).whole_seconds() >= 1))
            .collect();
        let start_time = room.started_at?;
        if spans.is_empty() {
            return None;
        }
        let mut files = Vec::new();
        for span in &spans {
            let end = span.to.expect("filtered above");
            let seconds = span.seconds(end) as u64;
            for file_type in [FileType::Mp4, FileType::M4a, FileType::Transcript] {
                files.push(RecordingFile {
                    id: uuid_from(rng),
                    file_type,
                    recording_start: span.from,
                    recording_end: end,
                    file_size: seconds * file_type.bytes_per_second(),
                    deleted_time: None,
                });
            }
        }
        let facts = &room.facts;
        let recording = CloudRecording {
            meeting_id: room.meeting_id,
            uuid: room.uuid.clone(),
            account_id: facts.account_id.clone(),
            host_id: facts.host_id.clone(),
            host_email: facts.host_email.clone(),
            meeting_type: facts.meeting_type,
            timezone: facts.timezone.clone(),
            start_time,
            duration: room.duration_minutes(start_time),
            files,
            settings: RecordingSettings {
                share_recording: "publicly".into(),
                viewer_download: true,
                password: random_token(rng, 8),
                on_demand: false,
                approval_type: 2,
                recording_authentication: false,
                send_email_to_host: false,
                show_social_share_buttons: true,
                topic: facts.topic.clone(),
                auto_delete: true,
            },
            play_passcode: random_token(rng, 32),
            share_id: random_token(rng, 40),
        };
        let uuid = recording.uuid.clone();
        self.by_uuid.insert(uuid.clone(), recording);
        Some(uuid)
    }

    /// The recording with this uuid.
    pub fn get(&self, uuid: &str) -> Option<&CloudRecording> {
        self.by_uuid.get(uuid)
    }

    /// The recording for `GET /meetings/{meetingId}/recordings`: by uuid, or the meeting's latest
    /// instance with files outside the trash.
    pub fn find(&self, id_or_uuid: &str) -> Option<&CloudRecording> {
        self.find_where(id_or_uuid, |r| r.active_files().next().is_some())
    }

    /// As [`Self::find`] but for recordings with files in the trash.
    pub fn find_trashed(&self, id_or_uuid: &str) -> Option<&CloudRecording> {
        self.find_where(id_or_uuid, |r| r.trashed_files().next().is_some())
    }

    fn find_where(
        &self,
        id_or_uuid: &str,
        keep: impl Fn(&CloudRecording) -> bool,
    ) -> Option<&CloudRecording> {
        match id_or_uuid.parse::<u64>() {
            Ok(id) => self
                .by_uuid
                .values()
                .filter(|r| r.meeting_id == id && keep(r))
                .max_by_key(|r| r.start_time),
            Err(_) => self.by_uuid.get(id_or_uuid).filter(|r| keep(r)),
        }
    }

    fn find_uuid(&self, id_or_uuid: &str, trashed: bool) -> Result<String, RecordingError> {
        let found = if trashed {
            self.find_trashed(id_or_uuid)
        } else {
            self.find(id_or_uuid)
        };
        found
            .map(|r| r.uuid.clone())
            .ok_or(RecordingError::NoRecording)
    }

    /// A host's recordings: those that started within `[from, to]` (dates, inclusive), or those
    /// with files in the trash when `trash` is set; newest first.
    pub fn list_for_host(
        &self,
        host_id: &str,
        from: Date,
        to: Date,
        trash: bool,
    ) -> Vec<&CloudRecording> {
        let mut list: Vec<&CloudRecording> = self
            .by_uuid
            .values()
            .filter(|r| r.host_id == host_id)
            .filter(|r| {
                if trash {
                    r.trashed_files().next().is_some()
                } else {
                    let day = r.start_time.date();
                    day >= from && day <= to && r.active_files().next().is_some()
                }
            })
            .collect();
        list.sort_by_key(|r| std::cmp::Reverse(r.start_time));
        list
    }

    /// Mutable settings of a meeting's (latest) recording.
    pub fn settings_mut(
        &mut self,
        id_or_uuid: &str,
    ) -> Result<&mut RecordingSettings, RecordingError> {
        let uuid = self.find_uuid(id_or_uuid, false)?;
        Ok(&mut self.by_uuid.get_mut(&uuid).expect("found").settings)
    }

    /// `DELETE /meetings/{id}/recordings`: all files, to the trash or for good.
    pub fn delete_all(
        &mut self,
        id_or_uuid: &str,
        action: DeleteAction,
        now: OffsetDateTime,
    ) -> Result<(), RecordingError> {
        let uuid = match action {
            // A permanent delete also empties what is already in the trash.
            DeleteAction::Delete => self
                .find_uuid(id_or_uuid, false)
                .or_else(|_| self.find_uuid(id_or_uuid, true))?,
            DeleteAction::Trash => self.find_uuid(id_or_uuid, false)?,
        };
        match action {
            DeleteAction::Delete => {
                self.by_uuid.remove(&uuid);
            }
            DeleteAction::Trash => {
                let r = self.by_uuid.get_mut(&uuid).expect("found");
                for f in r.files.iter_mut().filter(|f| f.deleted_time.is_none()) {
                    f.deleted_time = Some(now);
                }
            }
        }
        Ok(())
    }

    /// `DELETE /meetings/{id}/recordings/{recordingId}`.
    pub fn delete_file(
        &mut self,
        id_or_uuid: &str,
        file_id: &str,
        action: DeleteAction,
        now: OffsetDateTime,
    ) -> Result<(), RecordingError> {
        let uuid = self.uuid_holding_file(id_or_uuid, file_id)?;
        let r = self.by_uuid.get_mut(&uuid).expect("found");
        let i = r
            .files
            .iter()
            .position(|f| f.id == file_id)
            .ok_or(RecordingError::NoRecording)?;
        match action {
            DeleteAction::Delete => {
                r.files.remove(i);
                if r.files.is_empty() {
                    self.by_uuid.remove(&uuid);
                }
            }
            DeleteAction::Trash => {
                if r.files[i].deleted_time.is_some() {
                    return Err(RecordingError::NoRecording);
                }
                r.files[i].deleted_time = Some(now);
            }
        }
        Ok(())
    }

    fn uuid_holding_file(&self, id_or_uuid: &str, file_id: &str) -> Result<String, RecordingError> {
        let matches_meeting = |r: &CloudRecording| match id_or_uuid.parse::<u64>() {
            Ok(id) => r.meeting_id == id,
            Err(_) => r.uuid == id_or_uuid,
        };
        self.by_uuid
            .values()
            .find(|r| matches_meeting(r) && r.files.iter().any(|f| f.id == file_id))
            .map(|r| r.uuid.clone())
            .ok_or(RecordingError::NoRecording)
    }

    /// `PUT /meetings/{meetingUUID}/recordings/status {"action":"recover"}` (all files) or
    /// `PUT .../recordings/{recordingId}/status` (one file, `file_id`). Refused with 3309 when the
    /// recovered files would not fit in the account's storage.
    pub fn recover(
        &mut self,
        id_or_uuid: &str,
        file_id: Option<&str>,
        policy: &RecordingPolicy,
    ) -> Result<(), RecordingError> {
        let uuid = match file_id {
            Some(f) => self.uuid_holding_file(id_or_uuid, f)?,
            None => self.find_uuid(id_or_uuid, true)?,
        };
        let r = self.by_uuid.get(&uuid).expect("found");
        let picked =
            |f: &RecordingFile| f.deleted_time.is_some() && file_id.is_none_or(|id| f.id == id);
        let bytes: u64 = r
            .files
            .iter()
            .filter(|f| picked(f))
            .map(|f| f.file_size)
            .sum();
        if !r.files.iter().any(picked) {
            return Err(RecordingError::NoRecording);
        }
        if let Some(limit) = policy.cloud_storage_limit_bytes
            && self.used_bytes(&r.account_id) + bytes > limit
        {
            return Err(RecordingError::StorageFull);
        }
        let r = self.by_uuid.get_mut(&uuid).expect("found");
        for f in r.files.iter_mut().filter(|f| picked(f)) {
            f.deleted_time = None;
        }
        Ok(())
    }

    /// Applies retention and trash expiry up to `now`. `policy_of` gives each account's policy.
    /// Returns the uuids moved to the trash and those deleted for good.
    pub fn sweep(
        &mut self,
        now: OffsetDateTime,
        policy_of: impl Fn(&str) -> RecordingPolicy,
    ) -> (Vec<String>, Vec<String>) {
        let mut trashed = Vec::new();
        for r in self.by_uuid.values_mut() {
            let policy = policy_of(&r.account_id);
            if let Some(date) = r.auto_delete_date(&policy) {
                let at = date.midnight().assume_utc();
                if now >= at && r.active_files().next().is_some() {
                    for f in r.files.iter_mut().filter(|f| f.deleted_time.is_none()) {
                        f.deleted_time = Some(at);
                    }
                    trashed.push(r.uuid.clone());
                }
            }
            r.files.retain(|f| {
                f.deleted_time.is_none_or(|d| {
                    d.checked_add(Duration::days(TRASH_DAYS))
                        .is_none_or(|purge| now < purge)
                })
            });
        }
        let gone: Vec<String> = self
            .by_uuid
            .iter()
            .filter(|(_, r)| r.files.is_empty())
            .map(|(u, _)| u.clone())
            .collect();
        for u in &gone {
            self.by_uuid.remove(u);
        }
        (trashed, gone)
    }

    /// Forgets everything (control reset).
    pub fn clear(&mut self) {
        self.by_uuid.clear();
    }
}

fn uuid_from(rng: &mut impl Rng) -> String {
    uuid::Builder::from_random_bytes(rng.random())
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::room::{
        AutoRecording, Credential, EndCause, JoinRole, Joiner, MeetingFacts, RoomRegistry, UserRef,
        WaitingRoomAudience, ZakPolicy,
    };
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use time::macros::{date, datetime};

    const T0: OffsetDateTime = datetime!(2026-12-04 15:00 UTC);

    fn room(uuid: &str, minutes: i64, spans: Vec<Span>) -> Room {
        let facts = MeetingFacts {
            meeting_id: 111,
            host_id: "host".into(),
            host_email: "host@example.com".into(),
            account_id: "acct".into(),
            topic: "Bridge".into(),
            meeting_type: 2,
            start_time: Some(T0),
            duration: 60,
            timezone: "UTC".into(),
            alternative_hosts: vec![],
            invitees: vec![],
            waiting_room: false,
            waiting_room_audience: WaitingRoomAudience::Everyone,
            join_before_host: false,
            jbh_time: 0,
            auto_recording: AutoRecording::Cloud,
        };
        let mut rooms = RoomRegistry::default();
        let host = Joiner {
            name: "Host".into(),
            role: JoinRole::Host,
            user: Some(UserRef {
                id: "host".into(),
                email: "host@example.com".into(),
                account_id: "acct".into(),
            }),
            email: None,
            credential: Credential::None,
            bypass_waiting_room: false,
        };
        rooms
            .join(&facts, uuid, host, ZakPolicy::default(), T0, &mut rng())
            .unwrap();
        rooms.live_room_mut(111).unwrap().recording.spans = spans;
        rooms
            .end(111, EndCause::HostEnded, T0 + Duration::minutes(minutes))
            .unwrap();
        let mut room = rooms.past_instance("111").unwrap().clone();
        room.uuid = uuid.into();
        room
    }

    fn span(from_min: i64, to_min: i64) -> Span {
        Span {
            from: T0 + Duration::minutes(from_min),
            to: Some(T0 + Duration::minutes(to_min)),
        }
    }

    fn rng() -> StdRng {
        StdRng::seed_from_u64(1)
    }

    #[test]
    fn each_recorded_span_gives_mp4_m4a_and_transcript() {
        let mut store = RecordingStore::default();
        let uuid = store
            .complete(&room("u1", 30, vec![span(0, 10), span(20, 30)]), &mut rng())
            .unwrap();
        let r = store.get(&uuid).unwrap();
        let types: Vec<FileType> = r.files.iter().map(|f| f.file_type).collect();
        assert_eq!(
            types,
            [
                FileType::Mp4,
                FileType::M4a,
                FileType::Transcript,
                FileType::Mp4,
                FileType::M4a,
                FileType::Transcript
            ]
        );
        assert_eq!(r.files[0].file_size, 600 * BYTES_PER_SECOND_MP4);
        assert_eq!(r.duration, 30);
        assert_eq!(store.used_bytes("acct"), 1200 * (60_000 + 16_000 + 40));
        assert!(store.find("111").is_some());
        assert!(store.find("u1").is_some());
    }

    #[test]
    fn nothing_recorded_means_no_cloud_recording() {
        let mut store = RecordingStore::default();
        assert!(
            store
                .complete(&room("u1", 30, vec![]), &mut rng())
                .is_none()
        );
        assert_eq!(store.find("111").map(|r| r.uuid.clone()), None);
    }

    #[test]
    fn storage_limit_blocks_the_next_start_and_recovery() {
        let mut store = RecordingStore::default();
        store.complete(&room("u1", 10, vec![span(0, 10)]), &mut rng());
        let used = store.used_bytes("acct");
        let policy = RecordingPolicy {
            cloud_storage_limit_bytes: Some(used),
            retention_days: None,
        };
        assert_eq!(
            store.can_start("acct", &policy),
            Err(RecordingError::StorageFull)
        );
        assert_eq!(store.can_start("other", &policy), Ok(()));
        store.delete_all("111", DeleteAction::Trash, T0).unwrap();
        assert_eq!(store.used_bytes("acct"), 0, "the trash does not count");
        assert_eq!(store.can_start("acct", &policy), Ok(()));
        store.complete(&room("u2", 1, vec![span(0, 1)]), &mut rng());
        assert_eq!(
            store.recover("u1", None, &policy),
            Err(RecordingError::StorageFull)
        );
        store.delete_all("u2", DeleteAction::Delete, T0).unwrap();
        store.recover("u1", None, &policy).unwrap();
        assert_eq!(store.used_bytes("acct"), used);
    }

    #[test]
    fn delete_one_file_then_recover_it() {
        let mut store = RecordingStore::default();
        let uuid = store
            .complete(&room("u1", 10, vec![span(0, 10)]), &mut rng())
            .unwrap();
        let file = store.get(&uuid).unwrap().files[0].id.clone();
        store
            .delete_file("111", &file, DeleteAction::Trash, T0)
            .unwrap();
        assert_eq!(store.get(&uuid).unwrap().active_files().count(), 2);
        assert_eq!(
            store.delete_file("111", &file, DeleteAction::Trash, T0),
            Err(RecordingError::NoRecording)
        );
        store
            .recover("111", Some(&file), &RecordingPolicy::default())
            .unwrap();
        assert_eq!(store.get(&uuid).unwrap().active_files().count(), 3);
        store
            .delete_file("u1", &file, DeleteAction::Delete, T0)
            .unwrap();
        assert_eq!(store.get(&uuid).unwrap().files.len(), 2);
        assert_eq!(
            store.delete_file("111", "nope", DeleteAction::Delete, T0),
            Err(RecordingError::NoRecording)
        );
    }

    #[test]
    fn no_retention_period_can_overflow_the_date() {
        let mut store = RecordingStore::default();
        store.complete(&room("u1", 10, vec![span(0, 10)]), &mut rng());
        let policy = RecordingPolicy {
            cloud_storage_limit_bytes: None,
            retention_days: Some(u32::MAX),
        };
        assert_eq!(store.get("u1").unwrap().auto_delete_date(&policy), None);
        let (trashed, gone) = store.sweep(T0 + Duration::days(3650), |_| policy);
        assert!(trashed.is_empty() && gone.is_empty());
    }

    #[test]
    fn retention_trashes_then_the_trash_expires() {
        let mut store = RecordingStore::default();
        store.complete(&room("u1", 10, vec![span(0, 10)]), &mut rng());
        let policy = RecordingPolicy {
            cloud_storage_limit_bytes: None,
            retention_days: Some(7),
        };
        assert_eq!(
            store.get("u1").unwrap().auto_delete_date(&policy),
            Some(date!(2026 - 12 - 11))
        );
        let (trashed, gone) = store.sweep(datetime!(2026-12-10 23:59 UTC), |_| policy);
        assert!(trashed.is_empty() && gone.is_empty());
        let (trashed, _) = store.sweep(datetime!(2026-12-11 00:00 UTC), |_| policy);
        assert_eq!(trashed, ["u1"]);
        assert!(store.find("111").is_none());
        assert!(store.find_trashed("111").is_some());
        let (_, gone) = store.sweep(datetime!(2027-01-09 23:59 UTC), |_| policy);
        assert!(gone.is_empty());
        let (_, gone) = store.sweep(datetime!(2027-01-10 00:00 UTC), |_| policy);
        assert_eq!(gone, ["u1"]);
        assert!(store.get("u1").is_none());
    }

    #[test]
    fn settings_patch_validates_and_changes_nothing_on_error() {
        let mut store = RecordingStore::default();
        store.complete(&room("u1", 10, vec![span(0, 10)]), &mut rng());
        let s = store.settings_mut("111").unwrap();
        let before = s.clone();
        let bad = RecordingSettingsPatch {
            viewer_download: Some(false),
            share_recording: Some("everyone".into()),
            ..Default::default()
        };
        assert_eq!(s.apply(bad).unwrap_err().field, "share_recording");
        assert_eq!(*s, before);
        let short = RecordingSettingsPatch {
            password: Some("abc".into()),
            ..Default::default()
        };
        assert_eq!(s.apply(short).unwrap_err().field, "password");
        let good = RecordingSettingsPatch {
            share_recording: Some("internally".into()),
            viewer_download: Some(false),
            password: Some("a1b2c3d4!".into()),
            on_demand: Some(true),
            ..Default::default()
        };
        s.apply(good).unwrap();
        assert_eq!(s.share_recording, "internally");
        assert!(!s.viewer_download && s.on_demand);
        assert_eq!(s.password, "a1b2c3d4!");
    }

    #[test]
    fn host_listing_filters_by_date_and_trash() {
        let mut store = RecordingStore::default();
        store.complete(&room("u1", 10, vec![span(0, 10)]), &mut rng());
        let today = T0.date();
        assert_eq!(store.list_for_host("host", today, today, false).len(), 1);
        assert_eq!(store.list_for_host("other", today, today, false).len(), 0);
        let tomorrow = today.next_day().unwrap();
        assert_eq!(
            store.list_for_host("host", tomorrow, tomorrow, false).len(),
            0
        );
        store.delete_all("111", DeleteAction::Trash, T0).unwrap();
        assert_eq!(store.list_for_host("host", today, today, false).len(), 0);
        assert_eq!(store.list_for_host("host", today, today, true).len(), 1);
    }
}
