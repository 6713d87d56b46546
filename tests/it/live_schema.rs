//! The live routes' response bodies and the webhook bodies, validated against Zoom's own
//! OpenAPI documents in `../shared/zoom-openapi` (the validator of `fake_schema`). Skips with a
//! message when the documents are absent; fails instead when `ZOOM_HARNESS_REQUIRE_SHARED=1`.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use reqwest::Method;
use serde_json::{Value, json};

use crate::fake_schema::{Spec, shared_dir, validate};
use crate::live_support::{CLIENT_ID, HOST, Live};

/// A receiver that answers URL validation and keeps every event body.
async fn collector(secret: &'static str) -> (String, Arc<Mutex<Vec<Value>>>) {
    use hmac::{Hmac, KeyInit, Mac};
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let app = Router::new()
        .route(
            "/hook",
            post(
                move |State(got): State<Arc<Mutex<Vec<Value>>>>, raw: Bytes| async move {
                    let body: Value = serde_json::from_slice(&raw).unwrap();
                    if body["event"] == "endpoint.url_validation" {
                        let plain = body["payload"]["plainToken"].as_str().unwrap().to_string();
                        let mut mac =
                            Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
                        mac.update(plain.as_bytes());
                        let enc = hex::encode(mac.finalize().into_bytes());
                        return axum::Json(json!({"plainToken": plain, "encryptedToken": enc}));
                    }
                    got.lock().unwrap().push(body);
                    axum::Json(json!({}))
                },
            ),
        )
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

#[tokio::test]
async fn live_responses_and_webhooks_match_zooms_schemas() {
    let Some(dir) = shared_dir() else { return };
    let spec = Spec::load(&dir);
    let webhook_docs: Vec<Value> = ["meetings.webhooks.json", "marketplace.webhooks.json"]
        .iter()
        .filter_map(|f| std::fs::read_to_string(dir.join(f)).ok())
        .map(|text| serde_json::from_str(&text).unwrap())
        .collect();

    let live = Live::start().await;
    let (url, events) = collector("schema-secret").await;
    let (status, body) = live
        .control(
            Method::POST,
            "/webhooks/subscriptions",
            Some(json!({"app": CLIENT_ID, "url": url, "secret_token": "schema-secret"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let id = live
        .meeting(json!({"waiting_room": true, "auto_recording": "cloud"}))
        .await;
    let host = live.host_joins(id).await;
    let (guest, _) = live
        .joined(id, json!({"name": "Guest", "role": "external"}))
        .await;
    live.advance(60).await;
    live.act(id, &guest, "admit", Some(&host)).await;
    live.advance(60).await;
    live.act(id, &guest, "waiting_room", Some(&host)).await;
    live.act(id, &guest, "deny", Some(&host)).await;
    live.advance(60).await;
    live.end_via_api(id).await;

    let mut failures = Vec::new();
    let mut checked = 0;
    for (template, path) in [
        ("/past_meetings/{meetingId}", format!("/past_meetings/{id}")),
        (
            "/past_meetings/{meetingId}/participants",
            format!("/past_meetings/{id}/participants"),
        ),
        (
            "/report/meetings/{meetingId}/participants",
            format!("/report/meetings/{id}/participants"),
        ),
        (
            "/meetings/{meetingId}/recordings",
            format!("/meetings/{id}/recordings"),
        ),
        (
            "/meetings/{meetingId}/recordings/settings",
            format!("/meetings/{id}/recordings/settings"),
        ),
        (
            "/users/{userId}/recordings",
            format!("/users/{HOST}/recordings"),
        ),
    ] {
        let (status, body) = live.api(Method::GET, &path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        let schema = spec
            .response_schema(&Method::GET, template, 200)
            .unwrap_or_else(|| panic!("no schema for GET {template}"));
        let mut errors = Vec::new();
        validate(schema, &body, "$", &mut errors);
        checked += 1;
        failures.extend(errors.into_iter().map(|e| format!("GET {template}: {e}")));
    }

    let (status, _) = live.control(Method::POST, "/webhooks/settle", None).await;
    assert_eq!(status, 204);
    live.control(Method::POST, &format!("/apps/{CLIENT_ID}/uninstall"), None)
        .await;
    live.control(Method::POST, "/webhooks/settle", None).await;
    let events = events.lock().unwrap().clone();
    let mut names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() >= 9, "a variety of events: {names:?}");
    for event in &events {
        let name = event["event"].as_str().unwrap();
        let schema = webhook_docs
            .iter()
            .find_map(|d| {
                d["webhooks"][name]["post"]["requestBody"]["content"]["application/json"]
                    .get("schema")
            })
            .unwrap_or_else(|| panic!("no schema for event {name}"));
        let mut errors = Vec::new();
        validate(schema, event, "$", &mut errors);
        // Zoom sends an empty `email` for guests although its schema formats it as an email.
        errors.retain(|e| !e.ends_with("participant.email:  is not an email"));
        checked += 1;
        failures.extend(errors.into_iter().map(|e| format!("event {name}: {e}")));
    }
    assert!(
        failures.is_empty(),
        "{} schema violations in {checked} bodies:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
