//! Zoom's wire types, one file per resource: what the REST API takes and returns, with Zoom's
//! field names. Actions (`crate::actions`) build these from their typed inputs.
//!
//! Answers are read leniently (unknown fields ignored, most fields optional) because Zoom adds
//! fields freely; requests are written strictly (only fields that are set).

pub mod meetings;
pub mod recordings;
pub mod registrants;
pub mod users;
pub mod webinars;

pub use meetings::{
    AutoRecording, Meeting, MeetingInvitee, MeetingSettings, Occurrence, Recurrence, StartTime,
};
pub use recordings::{MeetingRecordings, RecordingFile, UserRecordings};
pub use registrants::{
    Registrant, RegistrantAction, RegistrantCreated, RegistrantList, RegistrantRef,
};
pub use users::User;
pub use webinars::{Webinar, WebinarSettings};

/// Percent-encode a meeting UUID for a path segment. Zoom: "double encode your UUID … if the
/// UUID begins with a '/' or contains '//'"; the client encodes every segment once more.
pub(crate) fn meeting_uuid_segment(uuid: &str) -> String {
    if uuid.starts_with('/') || uuid.contains("//") {
        let mut out = String::with_capacity(uuid.len() * 3);
        for b in uuid.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    } else {
        uuid.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_with_slashes_are_encoded_once_here() {
        assert_eq!(meeting_uuid_segment("abc=="), "abc==");
        assert_eq!(
            meeting_uuid_segment("/ajXp112QmuoKj4854875=="),
            "%2FajXp112QmuoKj4854875%3D%3D"
        );
        assert_eq!(meeting_uuid_segment("a//b"), "a%2F%2Fb");
    }
}
