//! The `/_fake/` control API over HTTP, fault injection, and rate limits.

use std::time::{Duration, Instant};

use fake_zoom::{AccountConfig, AppConfig, FakeZoom, Plan, RateLimitConfig, Role, UserConfig};
use reqwest::Method;
use serde_json::{Value, json};

use crate::fake_support::*;

async fn control(fake: &FakeZoom, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = client().request(method, format!("{}/_fake{path}", fake.base_url()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn clock_state_journal_and_reset_over_http() {
    let fake = start().await;
    assert_eq!(
        control(&fake, Method::GET, "/clock", None).await,
        (200, json!({"now": "2026-12-04T09:00:00Z", "paused": true}))
    );
    let (status, clock) = control(
        &fake,
        Method::POST,
        "/clock/advance",
        Some(json!({"seconds": 90})),
    )
    .await;
    assert_eq!(
        (status, clock["now"].clone()),
        (200, json!("2026-12-04T09:01:30Z"))
    );
    assert_eq!(
        control(
            &fake,
            Method::POST,
            "/clock/advance",
            Some(json!({"seconds": -1}))
        )
        .await
        .0,
        400
    );
    assert_eq!(
        control(
            &fake,
            Method::POST,
            "/clock/advance",
            Some(json!({"minutes": 1}))
        )
        .await
        .0,
        400
    );

    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let id = create_meeting(&fake, &token, "me", json!({"topic": "kept in state"})).await;
    let (_, state) = control(&fake, Method::GET, "/state", None).await;
    let meetings = state["accounts"][0]["meetings"].as_array().unwrap();
    assert_eq!(meetings[0]["id"], id);
    assert_eq!(meetings[0]["start_url"], "[redacted]");
    assert!(!state.to_string().contains(S2S_SECRET) && !state.to_string().contains(&token));
    let granular = state["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == S2S_ID)
        .unwrap()
        .clone();
    assert_eq!(granular["live_access_tokens"], 1);
    assert_eq!(granular["scope_model"], "granular");

    let (_, journal) = control(&fake, Method::GET, "/journal", None).await;
    let entries = journal.as_array().unwrap();
    assert_eq!(entries.len(), 2, "control requests are not journaled");
    assert_eq!(entries[0]["path"], "/oauth/token");
    assert_eq!(entries[1]["status"], 201);
    assert_eq!(entries[1]["app"], "granular");
    let since = entries[1]["seq"].as_u64().unwrap();
    let (_, tail) = control(&fake, Method::GET, &format!("/journal?since={since}"), None).await;
    assert_eq!(tail.as_array().unwrap().len(), 1);

    assert_eq!(control(&fake, Method::POST, "/reset", None).await.0, 204);
    assert_eq!(fake.now().to_string(), "2026-12-04 9:00:00.0 +00:00:00");
    assert!(fake.journal().is_empty());
    let (status, _) = call(&fake, Method::GET, &format!("/meetings/{id}"), &token, None).await;
    assert_eq!(status, 401, "tokens are forgotten on reset");
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    assert_eq!(
        call(&fake, Method::GET, &format!("/meetings/{id}"), &token, None)
            .await
            .0,
        404
    );
}

/// `Date` follows the fake's clock, on Zoom's routes and on the token endpoint, so clients that
/// judge lifetimes by the server's time see the time the fake judges them by.
#[tokio::test]
async fn the_date_header_follows_the_fake_clock() {
    let fake = start().await;
    let date = |response: &reqwest::Response| {
        response.headers()[reqwest::header::DATE]
            .to_str()
            .unwrap()
            .to_string()
    };
    let response = client()
        .get(format!("{}/users/me", fake.api_base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(date(&response), "Fri, 04 Dec 2026 09:00:00 GMT");
    fake.advance(Duration::from_secs(3 * 86_400 + 61));
    let response = client()
        .post(format!("{}?grant_type=nonsense", fake.oauth_token_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(date(&response), "Mon, 07 Dec 2026 09:01:01 GMT");
}

#[tokio::test]
async fn scopes_and_revocation_over_http() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let (status, _) = control(
        &fake,
        Method::PUT,
        &format!("/apps/{S2S_ID}/scopes"),
        Some(json!({"scopes": ["user:read:user:admin"]})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        call(
            &fake,
            Method::POST,
            "/users/me/meetings",
            &token,
            Some(json!({}))
        )
        .await
        .1["code"],
        4711
    );
    assert_eq!(
        control(
            &fake,
            Method::PUT,
            "/apps/nobody/scopes",
            Some(json!({"scopes": []}))
        )
        .await
        .0,
        404
    );
    assert_eq!(
        control(
            &fake,
            Method::PUT,
            &format!("/apps/{API_KEY}/scopes"),
            Some(json!({"scopes": []}))
        )
        .await
        .0,
        400
    );
    assert_eq!(
        control(
            &fake,
            Method::POST,
            &format!("/apps/{S2S_ID}/revoke_tokens"),
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(
        call(&fake, Method::GET, "/users/me", &token, None).await.0,
        401
    );
}

#[tokio::test]
async fn faults_status_storm_latency_and_dropped_connection() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let rule = json!({"path": "/v2/users/*/meetings", "method": "POST", "times": 1,
                      "fault": {"kind": "status", "status": 503, "code": 503, "message": "Service unavailable"}});
    assert_eq!(
        control(&fake, Method::POST, "/faults", Some(rule)).await.0,
        201
    );
    assert_eq!(
        call(
            &fake,
            Method::POST,
            "/users/me/meetings",
            &token,
            Some(json!({}))
        )
        .await,
        (503, json!({"code": 503, "message": "Service unavailable"}))
    );
    assert_eq!(
        call(
            &fake,
            Method::POST,
            "/users/me/meetings",
            &token,
            Some(json!({}))
        )
        .await
        .0,
        201
    );

    let storm = json!({"path": "/v2/**", "times": 2, "fault": {"kind": "rate_limit_storm", "retry_after_seconds": 3}});
    control(&fake, Method::POST, "/faults", Some(storm)).await;
    for _ in 0..2 {
        let r = client()
            .get(format!("{}/users/me", fake.api_base_url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()["retry-after"], "3");
        assert_eq!(r.json::<Value>().await.unwrap()["code"], 429);
    }
    assert_eq!(
        call(&fake, Method::GET, "/users/me", &token, None).await.0,
        200
    );

    control(
        &fake,
        Method::POST,
        "/faults",
        Some(json!({"path": "/v2/users/me", "times": 1, "fault": {"kind": "latency", "ms": 300}})),
    )
    .await;
    let started = Instant::now();
    assert_eq!(
        call(&fake, Method::GET, "/users/me", &token, None).await.0,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(300));

    control(
        &fake,
        Method::POST,
        "/faults",
        Some(json!({"path": "/v2/users/me", "fault": {"kind": "drop_connection"}})),
    )
    .await;
    let (_, rules) = control(&fake, Method::GET, "/faults", None).await;
    assert_eq!(rules.as_array().unwrap().len(), 1);
    let err = client()
        .get(format!("{}/users/me", fake.api_base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.is_request() || err.is_connect() || err.to_string().contains("connection"),
        "{err}"
    );
    assert_eq!(fake.journal().last().unwrap().status, 0);
    assert_eq!(control(&fake, Method::DELETE, "/faults", None).await.0, 204);
    assert_eq!(
        call(&fake, Method::GET, "/users/me", &token, None).await.0,
        200
    );
    assert_eq!(
        control(
            &fake,
            Method::POST,
            "/faults",
            Some(json!({"path": "no-slash", "fault": {"kind": "drop_connection"}}))
        )
        .await
        .0,
        400
    );
}

fn limited_account(plan: Plan, limits: RateLimitConfig) -> AccountConfig {
    AccountConfig::new("acct-rl")
        .plan(plan)
        .rate_limits(limits)
        .user(UserConfig::new("u-owner", "owner@example.com").role(Role::Owner))
        .app(AppConfig::api_key("jwt", API_KEY, API_SECRET))
}

#[tokio::test]
async fn daily_create_update_cap_per_host_resets_at_utc_midnight() {
    let fake = FakeZoom::builder()
        .account(limited_account(
            Plan::Business,
            RateLimitConfig {
                enabled: true,
                daily_meeting_writes_per_user: 3,
            },
        ))
        .paused_clock(time::macros::datetime!(2026-12-04 23:00 UTC))
        .start()
        .await
        .unwrap();
    let token = jwt(&fake, API_KEY, API_SECRET, 7200);
    let id = create_meeting(&fake, &token, "me", json!({})).await;
    create_meeting(&fake, &token, "me", json!({})).await;
    assert_eq!(
        call(
            &fake,
            Method::PATCH,
            &format!("/meetings/{id}"),
            &token,
            Some(json!({"topic": "x"}))
        )
        .await
        .0,
        204
    );
    let capped = json!({"code": 429, "message": "You have exceeded the daily rate limit (3) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00."});
    assert_eq!(
        call(
            &fake,
            Method::POST,
            "/users/me/meetings",
            &token,
            Some(json!({}))
        )
        .await,
        (429, capped.clone())
    );
    assert_eq!(
        call(
            &fake,
            Method::PATCH,
            &format!("/meetings/{id}"),
            &token,
            Some(json!({}))
        )
        .await,
        (429, capped)
    );
    // Reads are not capped.
    assert_eq!(
        call(&fake, Method::GET, &format!("/meetings/{id}"), &token, None)
            .await
            .0,
        200
    );
    fake.advance(Duration::from_secs(3600));
    assert_eq!(
        call(
            &fake,
            Method::POST,
            "/users/me/meetings",
            &token,
            Some(json!({}))
        )
        .await
        .0,
        201
    );
}

#[tokio::test]
async fn per_second_limit_by_plan_and_off_switch() {
    let fake = FakeZoom::builder()
        .account(limited_account(Plan::Free, RateLimitConfig::default()))
        .start()
        .await
        .unwrap();
    let token = jwt(&fake, API_KEY, API_SECRET, 600);
    let mut limited = 0;
    for _ in 0..20 {
        let r = client()
            .get(format!("{}/users/me", fake.api_base_url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if r.status() == 429 {
            limited += 1;
            assert_eq!(r.headers()["x-ratelimit-category"], "Light");
            assert_eq!(r.headers()["x-ratelimit-type"], "QPS");
            assert_eq!(
                r.json::<Value>().await.unwrap(),
                json!({"code": 429, "message": "You have reached the maximum per-second rate limit for this API. Try again later."})
            );
        }
    }
    // Free plan: 4 Light requests per second.
    assert!(limited >= 8, "only {limited} of 20 were limited");

    let unlimited = FakeZoom::builder()
        .account(limited_account(Plan::Free, RateLimitConfig::disabled()))
        .start()
        .await
        .unwrap();
    let token = jwt(&unlimited, API_KEY, API_SECRET, 600);
    for _ in 0..20 {
        assert_eq!(
            call(&unlimited, Method::GET, "/users/me", &token, None)
                .await
                .0,
            200
        );
    }
}
