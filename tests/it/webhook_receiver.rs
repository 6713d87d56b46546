//! The connector's webhook receiver hosted in axum (DIS-1): signature and timestamp checks,
//! the `endpoint.url_validation` handshake, and `app_deauthorized` removing the connector and its
//! secrets, after which actions fail with "Zoom connector not configured".

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use secrecy::SecretString;
use serde_json::{Value, json};
use zoom_connector::ErrorKind;
use zoom_connector::runbook::{
    CreateMeetingAction, Incident, Runbook, RunbookAction, RunbookEnv, TimelineEvent,
};
use zoom_connector::webhook::{
    RECEIVED_HISTORY, SecretStore, WebhookReceiver, sign, url_validation_token,
};

use crate::bot_env::{BotWorld, HOST_ID, Mode, S2S_CLIENT_ID};

const SECRET: &str = "webhook-secret-token";

async fn hook(
    State(receiver): State<Arc<WebhookReceiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, axum::Json<Value>) {
    let response = receiver.handle(&headers, &body);
    (
        StatusCode::from_u16(response.status).unwrap(),
        axum::Json(response.body),
    )
}

struct Hosted {
    world: BotWorld,
    receiver: Arc<WebhookReceiver>,
    url: String,
    http: reqwest::Client,
}

async fn hosted() -> Hosted {
    let world = BotWorld::configured(Mode::OAuth).await;
    let fake = world.fake.clone();
    let receiver = Arc::new(
        WebhookReceiver::new(world.integration.clone()).with_clock(Arc::new(move || fake.now())),
    );
    let app = Router::new()
        .route("/zoom/webhook", post(hook))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/zoom/webhook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Hosted {
        world,
        receiver,
        url,
        http: reqwest::Client::new(),
    }
}

impl Hosted {
    fn now(&self) -> String {
        self.world.fake.now().unix_timestamp().to_string()
    }

    async fn post(&self, timestamp: &str, signature: &str, body: &str) -> (u16, Value) {
        let response = self
            .http
            .post(&self.url)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-zm-request-timestamp", timestamp)
            .header("x-zm-signature", signature)
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    async fn post_signed(&self, body: &Value) -> (u16, Value) {
        let body = body.to_string();
        let ts = self.now();
        let signature = sign(&SecretString::from(SECRET), &ts, body.as_bytes());
        self.post(&ts, &signature, &body).await
    }
}

fn deauthorized(client_id: &str) -> Value {
    json!({
        "event": "app_deauthorized",
        "event_ts": 1_796_000_000_000_i64,
        "payload": {
            "account_id": crate::bot_env::ACCOUNT_ID,
            "user_id": HOST_ID,
            "signature": "ignored",
            "deauthorization_time": "2026-12-04T15:00:00Z",
            "client_id": client_id,
        }
    })
}

#[tokio::test]
async fn url_validation_answers_the_encrypted_token() {
    let h = hosted().await;
    let body = json!({"payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}, "event_ts": 1654503849680_i64, "event": "endpoint.url_validation"});
    let (status, answer) = h.post_signed(&body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer,
        json!({
            "plainToken": "qgg8vlvZRS6UYooatFL8Aw",
            "encryptedToken": url_validation_token(&SecretString::from(SECRET), "qgg8vlvZRS6UYooatFL8Aw"),
        })
    );
}

#[tokio::test]
async fn bad_signatures_and_stale_timestamps_are_refused() {
    let h = hosted().await;
    let body = json!({"event": "meeting.started", "payload": {"object": {"id": "1"}}}).to_string();
    let ts = h.now();
    let good = sign(&SecretString::from(SECRET), &ts, body.as_bytes());
    let wrong_key = sign(&SecretString::from("another-secret"), &ts, body.as_bytes());
    let stale_ts = (h.world.fake.now().unix_timestamp() - 301).to_string();
    let stale = sign(&SecretString::from(SECRET), &stale_ts, body.as_bytes());
    let tampered = body.replace("\"1\"", "\"2\"");

    assert_eq!(h.post(&ts, &good, &body).await.0, 200);
    assert_eq!(h.post(&ts, &wrong_key, &body).await.0, 401, "wrong key");
    assert_eq!(
        h.post(&stale_ts, &stale, &body).await.0,
        401,
        "older than 5 minutes"
    );
    assert_eq!(
        h.post(&ts, &good, &tampered).await.0,
        401,
        "body changed after signing"
    );
    assert_eq!(h.post(&ts, "sha256=abc", &body).await.0, 401, "not v0=");
    assert_eq!(
        h.post("yesterday", &good, &body).await.0,
        401,
        "timestamp not a number"
    );
    let unsigned = h.http.post(&h.url).body(body.clone()).send().await.unwrap();
    assert_eq!(unsigned.status().as_u16(), 401, "no signature headers");
    // Only the verified request was accepted.
    assert_eq!(h.receiver.received().len(), 1);
}

#[tokio::test]
async fn app_deauthorized_removes_the_connector_and_its_secrets() {
    let h = hosted().await;
    assert!(!h.world.secrets.keys().is_empty());

    let (status, answer) = h.post_signed(&deauthorized(S2S_CLIENT_ID)).await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        h.world.secrets.keys().is_empty(),
        "secrets left: {:?}",
        h.world.secrets.keys()
    );
    let err = h.world.integration.connector().unwrap_err();
    assert_eq!(err.to_string(), "Zoom connector not configured");
    assert_eq!(err.kind(), ErrorKind::NotConfigured);

    // A runbook action now fails with the same clear error.
    let runbook = Runbook {
        name: "Open bridge".into(),
        actions: vec![RunbookAction::CreateMeeting(CreateMeetingAction {
            host: HOST_ID.into(),
            topic: "{{Activity.title}}".into(),
            ..Default::default()
        })],
    };
    let mut incident = Incident::new("INC-9", "After uninstall", "SEV3", "");
    runbook
        .execute(&mut incident, &RunbookEnv::new(h.world.integration.clone()))
        .await;
    let [entry] = incident.timeline.as_slice() else {
        panic!("{:#?}", incident.timeline)
    };
    assert!(
        matches!(&entry.event, TimelineEvent::ActionFailed { error, .. } if error == "Zoom connector not configured"),
        "{entry:?}"
    );

    // Later webhooks cannot be verified any more: the secret token is gone too.
    let (status, _) = h
        .post_signed(&json!({"event": "meeting.started", "payload": {}}))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn another_apps_deauthorization_changes_nothing() {
    let h = hosted().await;
    let (status, _) = h.post_signed(&deauthorized("some-other-client")).await;
    assert_eq!(status, 200);
    assert!(h.world.integration.connector().is_ok());
    assert!(!h.world.secrets.keys().is_empty());
}

#[tokio::test]
async fn malformed_bodies_are_refused_after_verification() {
    let h = hosted().await;
    let body = "{not json";
    let ts = h.now();
    let signature = sign(&SecretString::from(SECRET), &ts, body.as_bytes());
    assert_eq!(h.post(&ts, &signature, body).await.0, 400);
    let (status, _) = h
        .post_signed(&json!({"event": "endpoint.url_validation", "payload": {}}))
        .await;
    assert_eq!(status, 400, "url_validation without plainToken");
}

impl Hosted {
    /// Hands `body`, signed now, straight to the receiver (no HTTP round trip).
    fn handle_signed(&self, body: &Value) -> u16 {
        let body = body.to_string();
        let ts = self.now();
        let signature = sign(&SecretString::from(SECRET), &ts, body.as_bytes());
        let mut headers = HeaderMap::new();
        headers.insert("x-zm-request-timestamp", ts.parse().unwrap());
        headers.insert("x-zm-signature", signature.parse().unwrap());
        self.receiver.handle(&headers, body.as_bytes()).status
    }
}

/// A long-running endpoint must not grow without bound: the receiver remembers only the most
/// recent events, oldest dropped first.
#[tokio::test]
async fn the_receiver_remembers_a_bounded_number_of_recent_events() {
    let h = hosted().await;
    let total = RECEIVED_HISTORY + 5;
    for n in 0..total {
        let event =
            json!({"event": "meeting.started", "event_ts": n, "payload": {"object": {"id": n}}});
        assert_eq!(h.handle_signed(&event), 200);
    }
    let received = h.receiver.received();
    assert_eq!(received.len(), RECEIVED_HISTORY);
    // The oldest five were dropped; the rest are kept in order.
    assert_eq!(received[0].event_ts, Some(5));
    assert_eq!(received[0].object_id.as_deref(), Some("5"));
    let last = received.last().unwrap();
    assert_eq!(last.event_ts, Some(total as i64 - 1));
    assert_eq!(last.event, "meeting.started");
}

/// Payloads carry bearer secrets (`recording.completed`'s `download_token`, a deauthorization's
/// `signature`); the receiver's record of an event keeps none of them.
#[tokio::test]
async fn the_record_of_an_event_keeps_no_payload_secrets() {
    let h = hosted().await;
    let completed = json!({
        "event": "recording.completed",
        "event_ts": 1_796_000_000_000_i64,
        "download_token": "download-token-secret",
        "payload": {
            "account_id": crate::bot_env::ACCOUNT_ID,
            "object": {
                "id": 81_000_004_889_i64,
                "uuid": "4444AAAiAAAAAiAiAiiAii==",
                "password": "meeting-passcode-secret",
                "recording_files": [{"download_url": "https://zoom.example/rec/download/file-secret"}],
            },
        },
    });
    assert_eq!(h.handle_signed(&completed), 200);
    let mut deauthorized = deauthorized("some-other-client");
    deauthorized["payload"]["signature"] = json!("deauthorization-signature-secret");
    assert_eq!(h.handle_signed(&deauthorized), 200);

    let received = h.receiver.received();
    let shown = format!("{received:?}");
    for secret in [
        "download-token-secret",
        "meeting-passcode-secret",
        "file-secret",
        "deauthorization-signature-secret",
    ] {
        assert!(!shown.contains(secret), "{secret} kept: {shown}");
    }
    assert_eq!(received[0].event, "recording.completed");
    assert_eq!(received[0].object_id.as_deref(), Some("81000004889"));
    assert_eq!(received[0].event_ts, Some(1_796_000_000_000));
    assert_eq!(received[0].received_at, h.world.fake.now());
    assert_eq!(received[1].event, "app_deauthorized");
}

/// DIS-1 end to end: the fake validates our endpoint when the app subscribes, delivers signed
/// events, and on uninstall sends `app_deauthorized`, which removes the connector and its secrets.
#[tokio::test]
async fn fake_zoom_uninstall_removes_the_connector_end_to_end() {
    let h = hosted().await;
    let (status, sub) = h
        .world
        .control(
            "/_fake/webhooks/subscriptions",
            json!({"app": S2S_CLIENT_ID, "url": h.url, "secret_token": SECRET, "events": []}),
        )
        .await;
    assert_eq!(
        status, 201,
        "subscribe (the fake runs url_validation against us): {sub}"
    );
    let events = |r: &WebhookReceiver| {
        r.received()
            .into_iter()
            .map(|e| e.event)
            .collect::<Vec<_>>()
    };
    assert_eq!(events(&h.receiver), vec!["endpoint.url_validation"]);

    // A live event arrives verified.
    let connector = h.world.connector();
    let meeting = h.world.create_meeting(&connector, true, false).await;
    h.world.host_joins(meeting).await;
    h.world.control("/_fake/webhooks/settle", json!({})).await;
    assert!(
        events(&h.receiver).contains(&"meeting.started".to_string()),
        "{:?}",
        events(&h.receiver)
    );

    let (status, body) = h
        .world
        .control(&format!("/_fake/apps/{S2S_CLIENT_ID}/uninstall"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    h.world.control("/_fake/webhooks/settle", json!({})).await;
    assert!(
        events(&h.receiver).contains(&"app_deauthorized".to_string()),
        "{:?}",
        events(&h.receiver)
    );
    assert!(
        h.world.secrets.keys().is_empty(),
        "secrets left: {:?}",
        h.world.secrets.keys()
    );
    assert_eq!(
        h.world.integration.connector().unwrap_err().to_string(),
        "Zoom connector not configured"
    );
    // A clone of the connector handed out before the uninstall has lost its credentials too.
    let err = connector.get_meeting(meeting).await.unwrap_err();
    assert_eq!(err.to_string(), "Zoom connector not configured");
}
