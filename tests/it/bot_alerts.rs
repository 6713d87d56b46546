//! The alert sinks: the Slack incoming-webhook sink posts `{"text": ...}` JSON, reports Slack's
//! refusals, and never shows its URL (a secret); the memory sink records.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use secrecy::SecretString;
use zoom_connector::alerts::{Alert, AlertError, AlertSink, MemoryAlertSink, SlackWebhookSink};

pub type Received = Arc<Mutex<Vec<(String, String, serde_json::Value)>>>;

/// A stand-in for Slack's `hooks.slack.com/services/{path}`: the hook `T0/B0/good` exists.
async fn slack(
    State(received): State<Received>,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, &'static str) {
    if path != "T0/B0/good" {
        return (StatusCode::NOT_FOUND, "no_service");
    }
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "invalid_payload");
    };
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    received.lock().unwrap().push((path, content_type, json));
    (StatusCode::OK, "ok")
}

pub async fn start_slack() -> (String, Received) {
    let received: Received = Arc::default();
    let app = Router::new()
        .route("/services/{*path}", post(slack))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, received)
}

#[tokio::test]
async fn slack_sink_posts_the_alert_text_as_json() {
    let (base, received) = start_slack().await;
    let sink =
        SlackWebhookSink::new(SecretString::from(format!("{base}/services/T0/B0/good"))).unwrap();
    sink.send(Alert::zak_not_supported(85746065432))
        .await
        .unwrap();
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0, "T0/B0/good");
    assert!(
        received[0].1.starts_with("application/json"),
        "content-type {}",
        received[0].1
    );
    assert_eq!(
        received[0].2,
        serde_json::json!({"text": "ZAK token generation not supported"})
    );
}

#[tokio::test]
async fn slack_refusal_is_reported_without_the_secret_url() {
    let (base, _) = start_slack().await;
    let url = format!("{base}/services/T0/B0/revoked-secret-part");
    let sink = SlackWebhookSink::new(SecretString::from(url)).unwrap();
    let err = sink.send(Alert::zak_not_supported(1)).await.unwrap_err();
    assert!(
        matches!(&err, AlertError::Rejected { status: 404, body } if body == "no_service"),
        "{err:?}"
    );
    assert!(
        !format!("{sink:?}").contains("revoked-secret-part"),
        "Debug shows the URL: {sink:?}"
    );

    // Unreachable: the network error must not carry the URL either.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let sink = SlackWebhookSink::new(SecretString::from(format!(
        "http://{addr}/services/T0/B0/secret-part"
    )))
    .unwrap();
    let err = sink.send(Alert::zak_not_supported(1)).await.unwrap_err();
    assert!(matches!(err, AlertError::Network(_)), "{err:?}");
    assert!(
        !err.to_string().contains("secret-part"),
        "error shows the URL: {err}"
    );
}

#[tokio::test]
async fn memory_sink_records_in_order_and_clones_share() {
    let sink = MemoryAlertSink::new();
    let view = sink.clone();
    sink.send(Alert::zak_not_supported(1)).await.unwrap();
    sink.send(Alert::zak_not_supported(2)).await.unwrap();
    let ids: Vec<_> = view.alerts().iter().map(|a| a.meeting_id).collect();
    assert_eq!(ids, vec![Some(1), Some(2)]);
    view.clear();
    assert!(sink.alerts().is_empty());
}
