//! Cloud recordings: `GET /meetings/{meetingId}/recordings`, `GET /users/{userId}/recordings`.

use serde::{Deserialize, Serialize};

/// The recordings of one meeting instance.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MeetingRecordings {
    /// Instance UUID.
    #[serde(default)]
    pub uuid: String,
    /// Meeting number.
    #[serde(default)]
    pub id: Option<u64>,
    /// Host user id.
    #[serde(default)]
    pub host_id: Option<String>,
    /// Topic.
    #[serde(default)]
    pub topic: Option<String>,
    /// Start time.
    #[serde(default)]
    pub start_time: Option<String>,
    /// Duration in minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// Bytes over all files.
    #[serde(default)]
    pub total_size: Option<u64>,
    /// Number of files.
    #[serde(default)]
    pub recording_count: Option<u32>,
    /// The files.
    #[serde(default)]
    pub recording_files: Vec<RecordingFile>,
}

/// One recording file.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RecordingFile {
    /// File id.
    #[serde(default)]
    pub id: Option<String>,
    /// `MP4`, `M4A`, `TRANSCRIPT`, `CHAT`, ...
    #[serde(default)]
    pub file_type: Option<String>,
    /// File extension.
    #[serde(default)]
    pub file_extension: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub file_size: Option<u64>,
    /// Where to watch it.
    #[serde(default)]
    pub play_url: Option<String>,
    /// Where to download it (needs an access token).
    #[serde(default)]
    pub download_url: Option<String>,
    /// `completed` or `processing`.
    #[serde(default)]
    pub status: Option<String>,
    /// e.g. `shared_screen_with_speaker_view`, `audio_transcript`.
    #[serde(default)]
    pub recording_type: Option<String>,
    /// Recording start.
    #[serde(default)]
    pub recording_start: Option<String>,
    /// Recording end.
    #[serde(default)]
    pub recording_end: Option<String>,
}

/// One page of a user's recordings.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct UserRecordings {
    /// Range start (yyyy-mm-dd).
    #[serde(default)]
    pub from: Option<String>,
    /// Range end (yyyy-mm-dd).
    #[serde(default)]
    pub to: Option<String>,
    /// Total over all pages.
    #[serde(default)]
    pub total_records: Option<u64>,
    /// Empty on the last page.
    #[serde(default)]
    pub next_page_token: Option<String>,
    /// The meetings with recordings.
    #[serde(default)]
    pub meetings: Vec<MeetingRecordings>,
}
