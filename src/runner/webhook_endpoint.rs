//! The product's webhook endpoint in a scenario: a small HTTP server on 127.0.0.1:0 that hands
//! each request to the connector's [`WebhookReceiver`] (signature check, `url_validation`,
//! `app_deauthorized` removing the integration), as the incident-response product's web server
//! would. The fake delivers its events here over HTTP, exactly as Zoom would.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use zoom_connector::webhook::{ReceivedEvent, WebhookReceiver};

/// A running webhook endpoint.
pub struct WebhookEndpoint {
    receiver: Arc<WebhookReceiver>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for WebhookEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookEndpoint")
            .field("addr", &self.addr)
            .finish()
    }
}

async fn receive(
    State(receiver): State<Arc<WebhookReceiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let answer = receiver.handle(&headers, &body);
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(answer.body)).into_response()
}

impl WebhookEndpoint {
    /// Serves `receiver` on 127.0.0.1:0.
    pub async fn start(receiver: WebhookReceiver) -> std::io::Result<Self> {
        let receiver = Arc::new(receiver);
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let addr = listener.local_addr()?;
        let app = Router::new()
            .route("/zoom/webhooks", post(receive))
            .with_state(Arc::clone(&receiver));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(WebhookEndpoint {
            receiver,
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The URL Zoom (the fake) posts to.
    pub fn url(&self) -> String {
        format!("http://{}/zoom/webhooks", self.addr)
    }

    /// The verified events received so far.
    pub fn received(&self) -> Vec<ReceivedEvent> {
        self.receiver.received()
    }

    /// Stops the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            // The fake's delivery client may hold a keep-alive connection open; do not wait
            // on it for long.
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), task).await;
        }
    }
}
