//! The connector's Meeting SDK seam ([`zoom_connector::bot::MeetingJoiner`]) implemented over the
//! fake Zoom's control API, so the scribe bot can join the fake's live rooms.
//!
//! Zoom has no REST call for joining a meeting (that is the Meeting SDK's job), so the fake offers
//! one under `/_fake/`: `POST /_fake/meetings/{id}/participants` (join as a bot, with the ZAK if
//! any), `GET .../participants/{pid}` (status), `POST .../participants/{pid}/leave`, and
//! `GET /_fake/clock` (the platform's clock, virtual when paused). The participant's `joined_at`
//! (first time in the meeting itself, not the waiting room) is what the bot takes as its
//! admission time.

use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use zoom_connector::alerts::BoxFuture;
use zoom_connector::bot::{JoinError, JoinRequest, JoinStatus, MeetingJoiner, ParticipantStatus};

/// A [`MeetingJoiner`] that joins the fake Zoom at `base_url` through its control API.
#[derive(Debug, Clone)]
pub struct FakeRoomJoiner {
    base_url: String,
    client: reqwest::Client,
}

#[derive(Deserialize)]
struct Participant {
    participant_id: String,
    status: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    joined_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    left_at: Option<OffsetDateTime>,
}

#[derive(Deserialize)]
struct Clock {
    #[serde(with = "time::serde::rfc3339")]
    now: OffsetDateTime,
}

impl FakeRoomJoiner {
    /// A joiner for the fake at `base_url` (e.g. `FakeZoom::base_url()`, without `/v2`).
    pub fn new(base_url: impl Into<String>) -> Self {
        FakeRoomJoiner {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            client: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends a request and reads a JSON answer, mapping the fake's `{"code","message"}` errors.
    async fn call(&self, request: reqwest::RequestBuilder) -> Result<Value, JoinError> {
        let response = request
            .send()
            .await
            .map_err(|e| JoinError::Unavailable(e.to_string()))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| JoinError::Unavailable(e.to_string()))?;
        let body: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).map_err(|e| {
                JoinError::Unavailable(format!("HTTP {status}: unreadable answer ({e}): {text}"))
            })?
        };
        if status.is_success() {
            return Ok(body);
        }
        let message = body
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or(text);
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(JoinError::Unavailable(format!("HTTP {status}: {message}")));
        }
        Err(JoinError::Refused {
            code: body.get("code").and_then(Value::as_i64),
            message,
        })
    }

    async fn participant(
        &self,
        meeting_id: u64,
        participant_id: &str,
    ) -> Result<JoinStatus, JoinError> {
        let path = format!("/_fake/meetings/{meeting_id}/participants/{participant_id}");
        let body = self.call(self.client.get(self.url(&path))).await?;
        to_status(body)
    }
}

fn to_status(body: Value) -> Result<JoinStatus, JoinError> {
    let p: Participant = serde_json::from_value(body.clone()).map_err(|e| {
        JoinError::Unavailable(format!("unexpected participant answer ({e}): {body}"))
    })?;
    let status = match p.status.as_str() {
        "in_meeting" => ParticipantStatus::InMeeting,
        "in_waiting_room" => ParticipantStatus::InWaitingRoom,
        "waiting_for_host" => ParticipantStatus::WaitingForHost,
        "left" => ParticipantStatus::Left,
        "removed" => ParticipantStatus::Removed,
        "denied" => ParticipantStatus::Denied,
        "meeting_ended" => ParticipantStatus::MeetingEnded,
        other => {
            return Err(JoinError::Unavailable(format!(
                "unknown participant status `{other}`"
            )));
        }
    };
    Ok(JoinStatus {
        participant_id: p.participant_id,
        status,
        reason: p.reason.filter(|r| !r.is_empty()),
        admitted_at: p.joined_at,
        left_at: p.left_at,
    })
}

impl MeetingJoiner for FakeRoomJoiner {
    fn join(
        &self,
        meeting_id: u64,
        request: JoinRequest,
    ) -> BoxFuture<'_, Result<JoinStatus, JoinError>> {
        Box::pin(async move {
            let mut body = json!({ "name": request.name, "role": "bot" });
            if let Some(zak) = &request.zak {
                body["zak"] = Value::String(zak.expose_secret().to_string());
            }
            let path = format!("/_fake/meetings/{meeting_id}/participants");
            let joined = self
                .call(self.client.post(self.url(&path)).json(&body))
                .await?;
            let participant_id = joined
                .get("participant_id")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    JoinError::Unavailable(format!("join answer has no participant_id: {joined}"))
                })?;
            // The join answer has no times; the participant record has them.
            self.participant(meeting_id, participant_id).await
        })
    }

    fn status<'a>(
        &'a self,
        meeting_id: u64,
        participant_id: &'a str,
    ) -> BoxFuture<'a, Result<JoinStatus, JoinError>> {
        Box::pin(self.participant(meeting_id, participant_id))
    }

    fn leave<'a>(
        &'a self,
        meeting_id: u64,
        participant_id: &'a str,
    ) -> BoxFuture<'a, Result<(), JoinError>> {
        Box::pin(async move {
            let path = format!("/_fake/meetings/{meeting_id}/participants/{participant_id}/leave");
            self.call(self.client.post(self.url(&path)))
                .await
                .map(|_| ())
        })
    }

    fn now(&self) -> BoxFuture<'_, Result<OffsetDateTime, JoinError>> {
        Box::pin(async move {
            let body = self.call(self.client.get(self.url("/_fake/clock"))).await?;
            let clock: Clock = serde_json::from_value(body.clone()).map_err(|e| {
                JoinError::Unavailable(format!("unexpected clock answer ({e}): {body}"))
            })?;
            Ok(clock.now)
        })
    }
}
