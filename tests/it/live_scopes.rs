//! Scope checks on the attendance and recording routes come first, as on Zoom: a token without
//! any of the endpoint's scopes gets 400 code 4711 whether or not the meeting or recording
//! exists (never a 404 / 12702 that reveals it).

use fake_zoom::config::AppConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::live_support::{ACCOUNT, HOST, Live, account, s2s_token};

/// Every attendance/recording route, with `{id}` standing for the meeting id or uuid.
const ROUTES: &[(&str, &str, Option<&str>)] = &[
    ("GET", "/past_meetings/{id}", None),
    ("GET", "/past_meetings/{id}/participants", None),
    ("GET", "/report/meetings/{id}/participants", None),
    ("GET", "/meetings/{id}/recordings", None),
    ("DELETE", "/meetings/{id}/recordings", None),
    ("DELETE", "/meetings/{id}/recordings?action=delete", None),
    ("DELETE", "/meetings/{id}/recordings/nofile", None),
    (
        "PUT",
        "/meetings/{id}/recordings/status",
        Some(r#"{"action":"recover"}"#),
    ),
    (
        "PUT",
        "/meetings/{id}/recordings/nofile/status",
        Some(r#"{"action":"recover"}"#),
    ),
    ("GET", "/meetings/{id}/recordings/settings", None),
    (
        "PATCH",
        "/meetings/{id}/recordings/settings",
        Some(r#"{"share_recording":"publicly"}"#),
    ),
    ("GET", "/users/{host}/recordings", None),
    (
        "PATCH",
        "/live_meetings/{id}/events",
        Some(r#"{"method":"recording.start"}"#),
    ),
    ("GET", "/meetings/{id}/jointoken/local_recording", None),
];

async fn call(
    live: &Live,
    token: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let url = format!("{}{}", live.fake.api_base_url(), path);
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = live.http.request(method, url).bearer_auth(token);
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let response = req.send().await.expect("request");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn a_token_without_the_scopes_gets_4711_before_any_lookup() {
    let account = account().app(AppConfig::server_to_server(
        "narrow",
        "narrow-id",
        "narrow-secret",
        vec!["user:read:user".into()],
    ));
    let live = Live::with_account(account).await;
    assert_eq!(ACCOUNT, "acct-live");
    let narrow = s2s_token(&live.http, &live.fake, "narrow-id", "narrow-secret")
        .await
        .expect("narrow token");
    let full = live.token.lock().unwrap().clone();

    // One meeting that ran with cloud recording (so it has a past instance and recordings).
    let id = live
        .meeting(json!({"waiting_room": false, "auto_recording": "cloud"}))
        .await;
    live.host_joins(id).await;
    live.advance(10 * 60).await;
    live.end_via_api(id).await;

    for (method, route, body) in ROUTES {
        for meeting in ["123", &id.to_string()] {
            let path = route.replace("{id}", meeting).replace("{host}", HOST);
            let (status, got) = call(&live, &narrow, method, &path, *body).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}: {got}");
            assert_eq!(got["code"], 4711, "{method} {path}: {got}");
        }
    }
    // The same unknown meeting with a token that has the scopes is a 404 / 3301: the 4711
    // above comes from the scope check, not from the lookup.
    let (status, got) = call(&live, &full, "GET", "/past_meetings/123", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{got}");
    let (status, got) = call(&live, &full, "GET", "/meetings/123/recordings", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{got}");
    assert_eq!(got["code"], 3301, "{got}");
}

#[tokio::test]
async fn an_own_scope_still_needs_the_admin_scope_for_another_hosts_recording() {
    let account = account().app(AppConfig::server_to_server(
        "own",
        "own-id",
        "own-secret",
        vec!["cloud_recording:read:list_recording_files".into()],
    ));
    let live = Live::with_account(account).await;
    let own = s2s_token(&live.http, &live.fake, "own-id", "own-secret")
        .await
        .expect("own token");
    // A meeting hosted by someone other than the account owner the S2S token acts as.
    let (status, created) = live
        .api(
            Method::POST,
            &format!("/users/{}/meetings", crate::live_support::MEMBER),
            Some(
                json!({"topic": "m", "type": 2, "start_time": "2026-12-04T15:00:00Z",
                "duration": 60, "settings": {"waiting_room": false, "auto_recording": "cloud"}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_u64().unwrap();
    let (status, out) = live
        .join(
            id,
            json!({"name": "Max", "role": "host", "user_id": crate::live_support::MEMBER}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    live.advance(5 * 60).await;
    live.end_via_api(id).await;
    let path = format!("/meetings/{id}/recordings");
    let (status, got) = call(&live, &own, "GET", &path, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{got}");
    assert_eq!(
        got["message"],
        "Invalid access token, does not contain scopes:[cloud_recording:read:list_recording_files:admin, cloud_recording:read:list_recording_files:master]."
    );
    let full = live.token.lock().unwrap().clone();
    let (status, got) = call(&live, &full, "GET", &path, None).await;
    assert_eq!(status, StatusCode::OK, "{got}");
}
