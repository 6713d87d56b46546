//! A stand-in for a Slack incoming webhook: a small HTTP server on 127.0.0.1:0 that records the
//! `text` of every message posted to it, so that a scenario can send the bot's alerts through
//! the connector's real Slack sink (`alerts: {sink: slack}`) and check what arrived.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

type Messages = Arc<Mutex<Vec<String>>>;

/// A running stand-in Slack webhook.
#[derive(Debug)]
pub struct SlackCapture {
    messages: Messages,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

async fn receive(
    State(messages): State<Messages>,
    body: axum::body::Bytes,
) -> (StatusCode, &'static str) {
    // Slack answers 400 "invalid_payload" to a body that is not a JSON message with text.
    let Some(text) = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|message| {
            message
                .get("text")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
    else {
        return (StatusCode::BAD_REQUEST, "invalid_payload");
    };
    messages
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(text);
    (StatusCode::OK, "ok")
}

impl SlackCapture {
    /// Starts the stand-in on 127.0.0.1:0.
    pub async fn start() -> std::io::Result<Self> {
        let messages: Messages = Arc::default();
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let addr = listener.local_addr()?;
        let app = Router::new()
            .route("/services/{team}/{channel}/{token}", post(receive))
            .with_state(Arc::clone(&messages));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(SlackCapture {
            messages,
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The incoming-webhook URL to configure the Slack sink with.
    pub fn url(&self) -> String {
        format!(
            "http://{}/services/T000HARNESS/B000HARNESS/scenario",
            self.addr
        )
    }

    /// The texts posted so far, oldest first.
    pub fn messages(&self) -> Vec<String> {
        self.messages
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Stops the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), task).await;
        }
    }
}
