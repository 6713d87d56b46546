//! The HTTP server: `run(listener, state, shutdown)` accepts connections (HTTP/1.1, keep-alive)
//! and passes each request through the layers every route shares, then the router:
//! 1. a trailing slash is dropped from the path (Zoom accepts `/v2/users/me/`);
//! 2. the body is read up to the size limit (HTTP 413 with a Zoom body beyond it);
//! 3. injected faults apply (latency, status, 429 storm, dropped connection);
//! 4. the router answers; unknown routes get 404 code 2300;
//! 5. the request is journaled (secrets scrubbed), and `x-zm-trackingid` is set.
//!
//! The control API under `/_fake/` bypasses faults and the journal.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Request, Response, Uri};
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::auth::{self, JournalTag};
use crate::faults::FaultAction;
use crate::journal::{JournalEntry, scrub_body, scrub_query};
use crate::state::FakeState;
use crate::zoom_error::ZoomError;
use crate::{api, control};

/// The full router: OAuth, `/v2` behind bearer authentication, `/_fake` control.
pub fn router(state: Arc<FakeState>) -> Router {
    let v2 = api::router()
        .route_layer(from_fn_with_state(state.clone(), auth::authenticate))
        .method_not_allowed_fallback(unknown_route)
        .fallback(unknown_route);
    Router::new()
        .route(
            "/oauth/token",
            post(auth::oauth::token).fallback(oauth_method_not_allowed),
        )
        .route(
            "/oauth/authorize",
            get(auth::oauth::authorize).fallback(oauth_method_not_allowed),
        )
        .nest("/v2", v2)
        .nest("/_fake", control::router())
        .method_not_allowed_fallback(unknown_route)
        .fallback(unknown_route)
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

/// Another method on an OAuth path: 405 in the OAuth endpoint's `{"reason","error"}` shape.
async fn oauth_method_not_allowed() -> Response<Body> {
    ZoomError::oauth_method_not_allowed().into_response()
}

async fn unknown_route() -> Response<Body> {
    ZoomError::unknown_route().into_response()
}

/// The connection was dropped on purpose (fault injection).
#[derive(Debug)]
struct DroppedConnection;

impl std::fmt::Display for DroppedConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}
impl std::error::Error for DroppedConnection {}

/// Serve until `shutdown` completes, then finish in-flight requests (at most 5 s).
pub async fn run(
    listener: TcpListener,
    state: Arc<FakeState>,
    shutdown: impl Future<Output = ()> + Send,
) {
    let router = router(state.clone());
    // Webhook deliveries run beside the handlers (fake-live).
    let (stop_webhooks, stop_rx) = tokio::sync::watch::channel(false);
    let webhooks = state.live.webhooks.spawn_dispatcher(state.clone(), stop_rx);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let state = state.clone();
                let service = hyper::service::service_fn(move |request| {
                    handle(router.clone(), state.clone(), request)
                });
                let connection = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    let _ = stop_webhooks.send(true);
    let _ = webhooks.await;
}

static TRACKING: AtomicU64 = AtomicU64::new(1);

async fn handle(
    router: Router,
    state: Arc<FakeState>,
    request: Request<Incoming>,
) -> Result<Response<Body>, DroppedConnection> {
    let at = state.now();
    let (mut parts, body) = request.into_parts();
    let method = parts.method.as_str().to_string();
    let raw_path = parts.uri.path();
    let path = if raw_path.len() > 1 && raw_path.ends_with('/') {
        raw_path.trim_end_matches('/').to_string()
    } else {
        raw_path.to_string()
    };
    let query = parts.uri.query().map(str::to_string);
    if path != raw_path {
        let rebuilt = match &query {
            Some(q) => format!("{path}?{q}"),
            None => path.clone(),
        };
        if let Ok(uri) = rebuilt.parse::<Uri>() {
            parts.uri = uri;
        }
    }
    let control = path.starts_with("/_fake");
    let record = |status: u16, tag: Option<&JournalTag>, body: &[u8]| {
        if control {
            return;
        }
        let who = tag.and_then(|t| t.0.get().cloned());
        state.journal.record(JournalEntry {
            seq: 0,
            at,
            method: method.clone(),
            path: path.clone(),
            query: query.as_deref().map(scrub_query),
            status,
            account_id: who.as_ref().map(|w| w.0.clone()),
            app: who.map(|w| w.1),
            body_excerpt: scrub_body(body),
        });
    };

    let limit = state.config.body_limit_bytes;
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            let response = ZoomError::body_too_large(limit).into_response();
            record(response.status().as_u16(), None, b"");
            return Ok(finish(response, at));
        }
        // The client went away mid-body: nothing to answer.
        Err(_) => return Err(DroppedConnection),
    };

    if !control {
        match state.faults.action_for(&method, &path) {
            Some(FaultAction::Delay(d)) => tokio::time::sleep(d).await,
            Some(FaultAction::Respond(error)) => {
                let response = error.into_response();
                record(response.status().as_u16(), None, &bytes);
                return Ok(finish(response, at));
            }
            Some(FaultAction::Drop) => {
                record(0, None, &bytes);
                return Err(DroppedConnection);
            }
            None => {}
        }
    }

    let tag = JournalTag::default();
    parts.extensions.insert(tag.clone());
    let request = Request::from_parts(parts, Body::from(bytes.clone()));
    let response = match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let _: Option<Infallible> = None;
    record(response.status().as_u16(), Some(&tag), &bytes);
    Ok(finish(response, at))
}

/// HTTP's IMF-fixdate, e.g. `Fri, 04 Dec 2026 16:40:00 GMT`.
const HTTP_DATE: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// Sets `x-zm-trackingid`, and `Date` from the fake's clock rather than the machine's: clients
/// that judge token lifetimes by the server's `Date` (as the connector does after a 401) must see
/// the same time the fake judges them by.
fn finish(mut response: Response<Body>, at: OffsetDateTime) -> Response<Body> {
    let n = TRACKING.fetch_add(1, Ordering::Relaxed);
    if let Ok(value) = HeaderValue::from_str(&format!("v=2.0;clid=fake;rid=FAKE_{n:012}")) {
        response.headers_mut().insert("x-zm-trackingid", value);
    }
    let date = at
        .to_offset(time::UtcOffset::UTC)
        .format(HTTP_DATE)
        .ok()
        .and_then(|date| HeaderValue::from_str(&date).ok());
    if let Some(date) = date {
        response
            .headers_mut()
            .insert(axum::http::header::DATE, date);
    }
    response
}
