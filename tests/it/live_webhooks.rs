//! Webhooks over HTTP to a receiver on 127.0.0.1:0: the URL validation handshake, signatures
//! checked independently, retries on 5xx on the fake's clock, none on 4xx, `app_deauthorized`.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::routing::post;
use axum::{Json, Router};
use hmac::{Hmac, KeyInit, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::live_support::{CLIENT_ID, CLIENT_SECRET, Live, s2s_token};

const SECRET: &str = "whsec-live-test";

fn hmac_hex(key: &str, message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

/// One event as received, with its signature already checked.
#[derive(Debug, Clone)]
struct Received {
    body: Value,
    timestamp: i64,
    signature_ok: bool,
}

#[derive(Clone)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    /// Status to answer to events, in turn (then 200).
    statuses: Arc<Mutex<Vec<u16>>>,
    /// Answer url_validation correctly.
    validate: Arc<std::sync::atomic::AtomicBool>,
    /// url_validation requests seen.
    validations: Arc<std::sync::atomic::AtomicUsize>,
    /// When set, event deliveries wait for this before answering.
    gate: Arc<tokio::sync::Notify>,
    gated: bool,
}

async fn receive(
    State(r): State<Receiver>,
    headers: HeaderMap,
    raw: Bytes,
) -> (AxumStatus, Json<Value>) {
    let ts = headers["x-zm-request-timestamp"]
        .to_str()
        .unwrap()
        .to_string();
    let signature = headers["x-zm-signature"].to_str().unwrap().to_string();
    let mut message = format!("v0:{ts}:").into_bytes();
    message.extend_from_slice(&raw);
    let signature_ok = signature == format!("v0={}", hmac_hex(SECRET, &message));
    let body: Value = serde_json::from_slice(&raw).unwrap();
    // Compact JSON: re-serializing the parsed body gives the same bytes (what some receivers sign).
    assert_eq!(serde_json::to_vec(&body).unwrap(), raw.to_vec());
    if body["event"] == "endpoint.url_validation" {
        use std::sync::atomic::Ordering;
        r.validations.fetch_add(1, Ordering::SeqCst);
        let plain = body["payload"]["plainToken"].as_str().unwrap().to_string();
        let key = if r.validate.load(Ordering::SeqCst) {
            SECRET
        } else {
            "wrong"
        };
        return (
            AxumStatus::OK,
            Json(json!({"plainToken": plain, "encryptedToken": hmac_hex(key, plain.as_bytes())})),
        );
    }
    r.got.lock().unwrap().push(Received {
        body,
        timestamp: ts.parse().unwrap(),
        signature_ok,
    });
    if r.gated {
        r.gate.notified().await;
    }
    let next = {
        let mut s = r.statuses.lock().unwrap();
        if s.is_empty() { 200 } else { s.remove(0) }
    };
    (AxumStatus::from_u16(next).unwrap(), Json(json!({})))
}

async fn receiver(statuses: Vec<u16>, validate: bool) -> (String, Receiver) {
    receiver_with(statuses, validate, false).await
}

async fn receiver_with(statuses: Vec<u16>, validate: bool, gated: bool) -> (String, Receiver) {
    let r = Receiver {
        got: Arc::default(),
        statuses: Arc::new(Mutex::new(statuses)),
        validate: Arc::new(std::sync::atomic::AtomicBool::new(validate)),
        validations: Arc::default(),
        gate: Arc::default(),
        gated,
    };
    let app = Router::new()
        .route("/zoom", post(receive))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/zoom", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, r)
}

impl Receiver {
    fn events(&self) -> Vec<String> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.body["event"].as_str().unwrap().to_string())
            .collect()
    }
}

async fn subscribe(live: &Live, url: &str, events: Value) -> (StatusCode, Value) {
    live.control(
        Method::POST,
        "/webhooks/subscriptions",
        Some(json!({"app": CLIENT_ID, "url": url, "secret_token": SECRET, "events": events})),
    )
    .await
}

async fn settle(live: &Live) {
    let (status, _) = live.control(Method::POST, "/webhooks/settle", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn meeting_events_arrive_signed_in_order() {
    let live = Live::start().await;
    let (url, rx) = receiver(vec![], true).await;
    let (status, sub) = subscribe(&live, &url, json!([])).await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    assert!(
        sub.get("secret_token").is_none(),
        "the secret is never shown"
    );
    let id = live
        .meeting(json!({"waiting_room": true, "auto_recording": "cloud"}))
        .await;
    let host = live.host_joins(id).await;
    let (bot, _) = live
        .joined(id, json!({"name": "Scribe", "role": "bot"}))
        .await;
    live.act(id, &bot, "admit", Some(&host)).await;
    live.advance(60).await;
    live.end_via_api(id).await;
    settle(&live).await;
    assert_eq!(
        rx.events(),
        [
            "meeting.started",
            "recording.started",
            "meeting.participant_joined",
            "meeting.participant_joined_waiting_room",
            "meeting.participant_admitted",
            "meeting.participant_joined",
            "meeting.participant_left",
            "meeting.participant_left",
            "meeting.ended",
            "recording.completed",
            "recording.transcript_completed",
        ]
    );
    let got = rx.got.lock().unwrap().clone();
    assert!(
        got.iter().all(|r| r.signature_ok),
        "every signature verifies"
    );
    let started = &got[0];
    assert_eq!(
        started.timestamp,
        crate::live_support::T0.unix_timestamp(),
        "seconds, fake clock"
    );
    assert_eq!(
        started.body["event_ts"],
        crate::live_support::T0.unix_timestamp() * 1000
    );
    assert_eq!(started.body["payload"]["object"]["id"], id.to_string());
    let admitted = &got[4].body["payload"];
    assert_eq!(admitted["object"]["participant"]["user_id"], bot.as_str());
    let completed = &got[9].body;
    assert_eq!(completed["payload"]["object"]["id"], id);
    assert!(completed["download_token"].is_string());
    assert_eq!(
        completed["payload"]["object"]["recording_files"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "video and audio; the transcript comes in its own event"
    );
    let transcript = &got[10].body;
    assert_eq!(
        transcript["payload"]["object"]["recording_files"][0]["file_type"],
        "TRANSCRIPT"
    );
}

#[tokio::test]
async fn a_subscription_whose_endpoint_fails_validation_is_refused() {
    let live = Live::start().await;
    let (url, _) = receiver(vec![], false).await;
    let (status, body) = subscribe(&live, &url, json!([])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("URL validation failed")
    );
    let (_, subs) = live
        .control(Method::GET, "/webhooks/subscriptions", None)
        .await;
    assert_eq!(subs, json!([]));
}

#[tokio::test]
async fn server_errors_are_retried_on_the_fake_clock_client_errors_are_not() {
    let live = Live::start().await;
    let (url, rx) = receiver(vec![500, 502, 200, 404], true).await;
    subscribe(&live, &url, json!(["meeting.started"])).await;
    let id = live.meeting(json!({"waiting_room": false})).await;
    live.host_joins(id).await;
    settle(&live).await;
    assert_eq!(rx.events().len(), 1, "first attempt");
    live.advance(4 * 60 + 59).await;
    settle(&live).await;
    assert_eq!(rx.events().len(), 1, "nothing before +5 min");
    live.advance(1).await;
    settle(&live).await;
    assert_eq!(rx.events().len(), 2, "first retry at +5 min");
    live.advance(20 * 60).await;
    settle(&live).await;
    assert_eq!(
        rx.events().len(),
        3,
        "second retry 20 min later, answered 200"
    );
    live.advance(2 * 3600).await;
    settle(&live).await;
    assert_eq!(rx.events().len(), 3, "delivered: no more attempts");

    // A 4xx is final.
    live.end_via_api(id).await; // meeting.ended is not subscribed
    let id2 = live.meeting(json!({"waiting_room": false})).await;
    live.host_joins(id2).await;
    settle(&live).await;
    assert_eq!(rx.events().len(), 4);
    live.advance(3 * 3600).await;
    settle(&live).await;
    assert_eq!(rx.events().len(), 4, "no retry after 404");
    let (_, log) = live
        .control(Method::GET, "/webhooks/deliveries", None)
        .await;
    let outcomes: Vec<&str> = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        ["retry_scheduled", "retry_scheduled", "delivered", "failed"]
    );
}

#[tokio::test]
async fn uninstalling_the_app_sends_app_deauthorized_and_its_tokens_stop_working() {
    let live = Live::start().await;
    let (url, rx) = receiver(vec![], true).await;
    subscribe(&live, &url, json!(["meeting.started"])).await;
    let (status, body) = live
        .control(Method::POST, &format!("/apps/{CLIENT_ID}/uninstall"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    settle(&live).await;
    assert_eq!(rx.events(), ["app_deauthorized"]);
    let got = rx.got.lock().unwrap().clone();
    assert!(got[0].signature_ok);
    assert_eq!(got[0].body["payload"]["client_id"], CLIENT_ID);
    assert_eq!(
        got[0].body["payload"]["account_id"],
        crate::live_support::ACCOUNT
    );
    let (status, body) = live.api(Method::GET, "/users/me", None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "old token refused: {body}"
    );
    assert_eq!(body["code"], 124);
    let refused = s2s_token(&live.http, &live.fake, CLIENT_ID, CLIENT_SECRET).await;
    assert!(refused.is_err(), "no new token after uninstall");
    let (status, _) = live
        .control(Method::POST, &format!("/apps/{CLIENT_ID}/uninstall"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already uninstalled");
}

#[tokio::test]
async fn a_slow_receiver_never_holds_up_the_fake() {
    let live = Live::start().await;
    let (url, rx) = receiver_with(vec![], true, true).await;
    subscribe(&live, &url, json!([])).await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    // The receiver holds every delivery until released; joins must answer meanwhile.
    let host = live.host_joins(id).await;
    let (bot, status) = live
        .joined(id, json!({"name": "Scribe", "role": "bot"}))
        .await;
    assert_eq!(status, "in_waiting_room");
    assert_eq!(
        live.act(id, &bot, "admit", Some(&host)).await.0,
        StatusCode::OK
    );
    for _ in 0..10 {
        rx.gate.notify_one();
    }
    // The dispatcher has work in flight; settling waits for it once released.
    let settled = async {
        loop {
            rx.gate.notify_one();
            if rx.events().len() >= 5 {
                break;
            }
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(20), settled)
        .await
        .expect("the deliveries arrive once the receiver answers");
}

#[tokio::test]
async fn endpoints_are_revalidated_every_72_hours_and_disabled_after_six_failures() {
    use std::sync::atomic::Ordering;
    let live = Live::start().await;
    let (url, rx) = receiver(vec![], true).await;
    let (_, sub) = subscribe(&live, &url, json!([])).await;
    assert_eq!(rx.validations.load(Ordering::SeqCst), 1);
    live.advance(72 * 3600 - 1).await;
    settle(&live).await;
    assert_eq!(rx.validations.load(Ordering::SeqCst), 1);
    live.advance(1).await;
    settle(&live).await;
    assert_eq!(rx.validations.load(Ordering::SeqCst), 2);
    rx.validate.store(false, Ordering::SeqCst);
    for _ in 0..6 {
        live.advance(72 * 3600).await;
        settle(&live).await;
    }
    assert_eq!(rx.validations.load(Ordering::SeqCst), 8);
    let (_, subs) = live
        .control(Method::GET, "/webhooks/subscriptions", None)
        .await;
    assert_eq!(subs[0]["id"], sub["id"]);
    assert_eq!(subs[0]["disabled"], true);
    assert_eq!(subs[0]["validation_failures"], 6);
    // A disabled subscription gets no events.
    let id = live.meeting(json!({"waiting_room": false})).await;
    live.host_joins(id).await;
    settle(&live).await;
    assert!(rx.events().is_empty());
}

#[tokio::test]
async fn events_outside_the_apps_scopes_or_unknown_are_refused() {
    use fake_zoom::config::AppConfig;
    let account = crate::live_support::account().app(AppConfig::server_to_server(
        "narrow",
        "narrow-id",
        "narrow-secret",
        vec!["meeting:read:meeting:admin".into()],
    ));
    let live = Live::with_account(account).await;
    let (url, _) = receiver(vec![], true).await;
    let body = |events: Value| json!({"app": "narrow-id", "url": url, "secret_token": SECRET, "events": events});
    let (status, _) = live
        .control(
            Method::POST,
            "/webhooks/subscriptions",
            Some(body(json!(["meeting.started"]))),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, refused) = live
        .control(
            Method::POST,
            "/webhooks/subscriptions",
            Some(body(json!(["recording.completed"]))),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .starts_with("The event is not allowed for the app.")
    );
    let (status, _) = live
        .control(
            Method::POST,
            "/webhooks/subscriptions",
            Some(body(json!(["meeting.exploded"]))),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_unreachable_endpoint_is_retried_three_times_then_the_event_is_dropped() {
    // A receiver that answers the validation, then goes away.
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let r = Receiver {
        got: Arc::default(),
        statuses: Arc::default(),
        validate: Arc::new(std::sync::atomic::AtomicBool::new(true)),
        validations: Arc::default(),
        gate: Arc::default(),
        gated: false,
    };
    let app = Router::new().route("/zoom", post(receive)).with_state(r);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/zoom", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
            .unwrap()
    });
    let live = Live::start().await;
    let (status, body) = subscribe(&live, &url, json!(["meeting.started"])).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let _ = tx.send(());
    server.await.unwrap();

    let id = live.meeting(json!({"waiting_room": false})).await;
    live.host_joins(id).await;
    settle(&live).await;
    for minutes in [5, 20, 60, 600] {
        live.advance(minutes * 60).await;
        settle(&live).await;
    }
    let (_, log) = live
        .control(Method::GET, "/webhooks/deliveries", None)
        .await;
    let attempts = log["deliveries"].as_array().unwrap();
    let summary: Vec<(u64, &str, &str)> = attempts
        .iter()
        .map(|a| {
            (
                a["attempt"].as_u64().unwrap(),
                a["at"].as_str().unwrap(),
                a["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, "2026-12-04T15:00:00Z", "retry_scheduled"),
            (2, "2026-12-04T15:05:00Z", "retry_scheduled"),
            (3, "2026-12-04T15:25:00Z", "retry_scheduled"),
            (4, "2026-12-04T16:25:00Z", "dropped"),
        ]
    );
    assert!(attempts.iter().all(|a| {
        a["status"].is_null()
            && a["error"]
                .as_str()
                .is_some_and(|e| e.starts_with("network error"))
    }));
}

#[tokio::test]
async fn the_delivery_log_keeps_only_the_newest_attempts() {
    // The delivery log is bounded like the journal, with the journal's capacity.
    let mut config = fake_zoom::config::FakeConfig::new();
    config.accounts.push(crate::live_support::account());
    config.journal_capacity = 3;
    let live = Live::with_config(config).await;
    let (url, rx) = receiver(vec![], true).await;
    let (status, sub) = subscribe(&live, &url, json!([])).await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    for _ in 0..3 {
        let id = live.meeting(json!({"waiting_room": false})).await;
        live.host_joins(id).await;
        live.end_via_api(id).await;
    }
    settle(&live).await;
    let sent = rx.events();
    assert!(sent.len() > 3, "{sent:?}");
    let (status, log) = live
        .control(Method::GET, "/webhooks/deliveries", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let log = log["deliveries"].as_array().unwrap();
    assert_eq!(log.len(), 3, "{log:?}");
    // The newest three, in order: increasing delivery ids, the last three events sent.
    let ids: Vec<u64> = log
        .iter()
        .map(|a| a["delivery_id"].as_u64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[1] > w[0]), "{ids:?}");
    let logged: Vec<&str> = log.iter().map(|a| a["event"].as_str().unwrap()).collect();
    assert_eq!(logged, sent[sent.len() - 3..], "{log:?}");
}

/// A meeting with cloud recording that the host starts, a bot joins, and that ends.
async fn meeting_with_recording(live: &Live) {
    let id = live
        .meeting(json!({"waiting_room": false, "auto_recording": "cloud"}))
        .await;
    live.host_joins(id).await;
    live.joined(id, json!({"name": "Scribe", "role": "bot"}))
        .await;
    live.advance(60).await;
    live.end_via_api(id).await;
    settle(live).await;
}

#[tokio::test]
async fn a_subscription_without_an_event_list_gets_only_what_the_apps_scopes_allow() {
    use fake_zoom::config::AppConfig;
    let account = crate::live_support::account().app(AppConfig::server_to_server(
        "narrow",
        "narrow-id",
        "narrow-secret",
        vec!["meeting:read:meeting:admin".into()],
    ));
    let live = Live::with_account(account).await;
    let (url, rx) = receiver(vec![], true).await;
    let (status, sub) = live
        .control(
            Method::POST,
            "/webhooks/subscriptions",
            Some(json!({"app": "narrow-id", "url": url, "secret_token": SECRET, "events": []})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    meeting_with_recording(&live).await;
    // meeting:read:meeting covers meeting.started/ended, not participant or recording events.
    assert_eq!(rx.events(), ["meeting.started", "meeting.ended"]);
}

#[tokio::test]
async fn a_scope_change_applies_to_existing_subscriptions() {
    use fake_zoom::config::AppConfig;
    let account = crate::live_support::account().app(AppConfig::server_to_server(
        "watcher",
        "watcher-id",
        "watcher-secret",
        vec![
            "meeting:read:meeting:admin".into(),
            "meeting:read:participant:admin".into(),
            "cloud_recording:read:recording:admin".into(),
        ],
    ));
    let live = Live::with_account(account).await;
    let watch = |url: String, events: Value| json!({"app": "watcher-id", "url": url, "secret_token": SECRET, "events": events});
    let (url, rx) = receiver(vec![], true).await;
    let listed = json!([
        "meeting.started",
        "meeting.participant_joined",
        "recording.completed"
    ]);
    let (status, sub) = live
        .control(
            Method::POST,
            "/webhooks/subscriptions",
            Some(watch(url, listed)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    let (url_all, rx_all) = receiver(vec![], true).await;
    let (status, sub) = live
        .control(
            Method::POST,
            "/webhooks/subscriptions",
            Some(watch(url_all, json!([]))),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    meeting_with_recording(&live).await;
    assert_eq!(
        rx.events(),
        [
            "meeting.started",
            "meeting.participant_joined",
            "meeting.participant_joined",
            "recording.completed"
        ]
    );
    let before = rx_all.events().len();
    assert!(rx_all.events().contains(&"recording.completed".to_string()));

    // An admin-role downgrade: the app keeps only meeting:read:meeting:admin.
    let (status, body) = live
        .control(
            Method::PUT,
            "/apps/watcher-id/scopes",
            Some(json!({"scopes": ["meeting:read:meeting:admin"]})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    meeting_with_recording(&live).await;
    assert_eq!(
        rx.events()[4..],
        ["meeting.started"],
        "listed events the scopes no longer cover stop"
    );
    assert_eq!(
        rx_all.events()[before..],
        ["meeting.started", "meeting.ended"],
        "an empty list follows the app's current scopes"
    );
}
