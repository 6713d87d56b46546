//! Every modelled Zoom route end to end, in both auth modes (S2S OAuth, API Key/Secret JWT)
//! and both scope models (granular, classic). [`exchanges`] is also what the OpenAPI schema
//! test validates.

use fake_zoom::FakeZoom;
use reqwest::Method;
use serde_json::{Value, json};

use crate::fake_support::*;

/// One request/response of the route tour.
pub struct Exchange {
    /// HTTP method.
    pub method: Method,
    /// Zoom's path template, e.g. `/meetings/{meetingId}`.
    pub template: &'static str,
    /// Status answered.
    pub status: u16,
    /// Body answered (Null when empty).
    pub body: Value,
}

/// The auth modes and scope models every route is driven with.
pub async fn tokens(fake: &FakeZoom) -> Vec<(&'static str, String)> {
    vec![
        ("granular", s2s_token(fake, S2S_ID, S2S_SECRET).await),
        ("classic", s2s_token(fake, CLASSIC_ID, CLASSIC_SECRET).await),
        ("api_key", jwt(fake, API_KEY, API_SECRET, 3600)),
    ]
}

/// Drive every route once with `token`, asserting each success status, and return what was
/// exchanged.
pub async fn tour(fake: &FakeZoom, token: &str) -> Vec<Exchange> {
    let mut out = Vec::new();
    let mut go = async |method: Method,
                        template: &'static str,
                        path: String,
                        body: Option<Value>,
                        expect: u16| {
        let (status, answer) = call(fake, method.clone(), &path, token, body).await;
        assert_eq!(status, expect, "{method} {path}: {answer}");
        out.push(Exchange {
            method,
            template,
            status,
            body: answer.clone(),
        });
        answer
    };
    go(
        Method::GET,
        "/users/{userId}",
        "/users/me".into(),
        None,
        200,
    )
    .await;
    go(
        Method::GET,
        "/users/{userId}",
        "/users/member@example.com".into(),
        None,
        200,
    )
    .await;
    let users = go(
        Method::GET,
        "/users",
        "/users?page_size=2".into(),
        None,
        200,
    )
    .await;
    assert_eq!(users["total_records"], 3);
    assert_eq!(users["users"].as_array().unwrap().len(), 2);
    let token_page = users["next_page_token"].as_str().unwrap().to_string();
    let rest = go(
        Method::GET,
        "/users",
        format!("/users?page_size=2&next_page_token={token_page}"),
        None,
        200,
    )
    .await;
    assert_eq!(rest["users"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_page_token"], "");

    // A scheduled meeting with registration, for another user (admin rights).
    let meeting = go(
        Method::POST,
        "/users/{userId}/meetings",
        "/users/u-member/meetings".into(),
        Some(
            json!({"topic": "Incident INC-1", "type": 2, "start_time": "2026-12-05T10:00:00Z",
                    "duration": 30, "timezone": "Europe/Berlin", "agenda": "bridge",
                    "settings": {"approval_type": 0, "waiting_room": true}}),
        ),
        201,
    )
    .await;
    let id = meeting["id"].as_u64().unwrap();
    assert!(meeting["registration_url"].is_string());
    go(
        Method::GET,
        "/meetings/{meetingId}",
        format!("/meetings/{id}"),
        None,
        200,
    )
    .await;
    go(
        Method::PATCH,
        "/meetings/{meetingId}",
        format!("/meetings/{id}"),
        Some(json!({"duration": 50, "settings": {"mute_upon_entry": true}})),
        204,
    )
    .await;
    let listed = go(
        Method::GET,
        "/users/{userId}/meetings",
        "/users/u-member/meetings".into(),
        None,
        200,
    )
    .await;
    assert!(
        listed["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == id)
    );
    go(
        Method::GET,
        "/users/{userId}/meetings",
        "/users/u-member/meetings?type=upcoming&page_size=300".into(),
        None,
        200,
    )
    .await;

    let added = go(
        Method::POST,
        "/meetings/{meetingId}/registrants",
        format!("/meetings/{id}/registrants"),
        Some(json!({"email": "responder@example.com", "first_name": "Rita", "last_name": "Responder"})),
        201,
    )
    .await;
    let registrant_id = added["registrant_id"].as_str().unwrap().to_string();
    let regs = go(
        Method::GET,
        "/meetings/{meetingId}/registrants",
        format!("/meetings/{id}/registrants"),
        None,
        200,
    )
    .await;
    assert_eq!(regs["registrants"][0]["id"], registrant_id.as_str());
    go(
        Method::PUT,
        "/meetings/{meetingId}/registrants/status",
        format!("/meetings/{id}/registrants/status"),
        Some(json!({"action": "cancel", "registrants": [{"id": registrant_id}]})),
        204,
    )
    .await;
    let denied = go(
        Method::GET,
        "/meetings/{meetingId}/registrants",
        format!("/meetings/{id}/registrants?status=denied"),
        None,
        200,
    )
    .await;
    assert_eq!(denied["total_records"], 1);

    go(
        Method::PUT,
        "/meetings/{meetingId}/status",
        format!("/meetings/{id}/status"),
        Some(json!({"action": "end"})),
        204,
    )
    .await;
    go(
        Method::DELETE,
        "/meetings/{meetingId}",
        format!("/meetings/{id}"),
        None,
        204,
    )
    .await;
    go(
        Method::PUT,
        "/meetings/{meetingId}/status",
        format!("/meetings/{id}/status"),
        Some(json!({"action": "recover"})),
        204,
    )
    .await;

    // Recurring with fixed time: weekly on Tuesday and Thursday, four times.
    let recurring = go(
        Method::POST,
        "/users/{userId}/meetings",
        "/users/me/meetings".into(),
        Some(json!({"topic": "Postmortem follow-up", "type": 8, "start_time": "2026-12-07T15:00:00Z", "duration": 60,
                    "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "3,5", "end_times": 4}})),
        201,
    )
    .await;
    let rid = recurring["id"].as_u64().unwrap();
    let occurrences = recurring["occurrences"].as_array().unwrap().clone();
    assert_eq!(occurrences.len(), 4);
    assert_eq!(occurrences[0]["start_time"], "2026-12-08T15:00:00Z");
    assert_eq!(recurring["start_time"], "2026-12-08T15:00:00Z");
    let second = occurrences[1]["occurrence_id"]
        .as_str()
        .unwrap()
        .to_string();
    let one = go(
        Method::GET,
        "/meetings/{meetingId}",
        format!("/meetings/{rid}?occurrence_id={second}"),
        None,
        200,
    )
    .await;
    assert_eq!(one["occurrences"].as_array().unwrap().len(), 1);
    assert_eq!(one["start_time"], "2026-12-10T15:00:00Z");
    go(
        Method::PATCH,
        "/meetings/{meetingId}",
        format!("/meetings/{rid}?occurrence_id={second}"),
        Some(json!({"duration": 90})),
        204,
    )
    .await;
    go(
        Method::DELETE,
        "/meetings/{meetingId}",
        format!("/meetings/{rid}?occurrence_id={second}"),
        None,
        204,
    )
    .await;
    let after = go(
        Method::GET,
        "/meetings/{meetingId}",
        format!("/meetings/{rid}"),
        None,
        200,
    )
    .await;
    assert_eq!(after["occurrences"].as_array().unwrap().len(), 3);
    let all = go(
        Method::GET,
        "/meetings/{meetingId}",
        format!("/meetings/{rid}?show_previous_occurrences=true"),
        None,
        200,
    )
    .await;
    assert_eq!(all["occurrences"][1]["status"], "deleted");
    assert_eq!(all["occurrences"][1]["duration"], 90);

    // Recurring with no fixed time, and an instant meeting.
    let floating = go(
        Method::POST,
        "/users/{userId}/meetings",
        "/users/me/meetings".into(),
        Some(json!({"topic": "Standing bridge", "type": 3})),
        201,
    )
    .await;
    assert!(floating.get("start_time").is_none() && floating.get("occurrences").is_none());
    go(
        Method::POST,
        "/users/{userId}/meetings",
        "/users/me/meetings".into(),
        Some(json!({"type": 1})),
        201,
    )
    .await;

    // Webinars.
    let webinar = go(
        Method::POST,
        "/users/{userId}/webinars",
        "/users/me/webinars".into(),
        Some(json!({"topic": "Customer update", "type": 5, "start_time": "2026-12-06T16:00:00Z", "duration": 60,
                    "settings": {"approval_type": 2, "panelists_video": true}})),
        201,
    )
    .await;
    let wid = webinar["id"].as_u64().unwrap();
    go(
        Method::GET,
        "/webinars/{webinarId}",
        format!("/webinars/{wid}"),
        None,
        200,
    )
    .await;
    go(
        Method::PATCH,
        "/webinars/{webinarId}",
        format!("/webinars/{wid}"),
        Some(json!({"topic": "Customer update #2"})),
        204,
    )
    .await;
    let listed = go(
        Method::GET,
        "/users/{userId}/webinars",
        "/users/me/webinars".into(),
        None,
        200,
    )
    .await;
    assert_eq!(listed["webinars"][0]["topic"], "Customer update #2");
    go(
        Method::PUT,
        "/webinars/{webinarId}/status",
        format!("/webinars/{wid}/status"),
        Some(json!({"action": "end"})),
        204,
    )
    .await;
    go(
        Method::DELETE,
        "/webinars/{webinarId}",
        format!("/webinars/{wid}"),
        None,
        204,
    )
    .await;
    out
}

#[tokio::test]
async fn every_route_succeeds_in_both_auth_modes_and_scope_models() {
    let fake = start().await;
    for (name, token) in tokens(&fake).await {
        let exchanges = tour(&fake, &token).await;
        let routes: std::collections::BTreeSet<(String, &str)> = exchanges
            .iter()
            .map(|e| (e.method.to_string(), e.template))
            .collect();
        // Every modelled route but the OAuth-only token routes (tested in fake_auth).
        assert_eq!(routes.len(), 17, "{name}: {routes:?}");
    }
}

#[tokio::test]
async fn route_errors() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let no_reg = create_meeting(&fake, &token, "me", json!({})).await;
    let cases: Vec<(Method, String, Option<Value>, u16, Value)> = vec![
        (
            Method::POST,
            format!("/meetings/{no_reg}/registrants"),
            Some(json!({"email": "a@example.com", "first_name": "A"})),
            400,
            json!({"code": 3000, "message": format!("Registration has not been enabled for this meeting: {no_reg}.")}),
        ),
        (
            Method::POST,
            format!("/meetings/{no_reg}/registrants"),
            Some(json!({"first_name": "A"})),
            400,
            json!({"code": 300, "message": "Validation Failed.", "errors": [{"field": "email", "message": "Required field."}]}),
        ),
        (
            Method::GET,
            "/meetings/99999999999/registrants".into(),
            None,
            404,
            json!({"code": 3001, "message": "Meeting does not exist: 99999999999."}),
        ),
        (
            Method::PUT,
            format!("/meetings/{no_reg}/status"),
            Some(json!({"action": "pause"})),
            400,
            json!({"code": 300, "message": "Validation Failed.", "errors": [{"field": "action", "message": "Invalid field."}]}),
        ),
        (
            Method::PUT,
            format!("/meetings/{no_reg}/status"),
            Some(json!({})),
            400,
            json!({"code": 300, "message": "Validation Failed.", "errors": [{"field": "action", "message": "Required field."}]}),
        ),
        (
            Method::GET,
            format!("/meetings/{no_reg}?occurrence_id=123"),
            None,
            400,
            json!({"code": 300, "message": "Invalid parameter: occurrence_id."}),
        ),
        (
            Method::DELETE,
            format!("/meetings/{no_reg}?occurrence_id=123"),
            None,
            400,
            json!({"code": 300, "message": "Invalid parameter: occurrence_id."}),
        ),
        (
            Method::POST,
            "/users/me/meetings".into(),
            Some(json!({"type": 8})),
            400,
            json!({"code": 300, "message": "Validation Failed.", "errors": [{"field": "recurrence", "message": "Required field."}]}),
        ),
        (
            Method::POST,
            "/users/me/meetings".into(),
            Some(json!({"type": 8, "recurrence": {"type": 2, "end_times": 61}})),
            400,
            json!({"code": 300, "message": "Validation Failed.", "errors": [
             {"field": "recurrence.weekly_days", "message": "Required field."},
             {"field": "recurrence.end_times", "message": "Invalid field."}]}),
        ),
        (
            Method::GET,
            "/users/me/meetings?type=someday".into(),
            None,
            400,
            json!({"code": 300, "message": "Invalid parameter: type."}),
        ),
        (
            Method::GET,
            "/users/me/meetings?next_page_token=bogus".into(),
            None,
            400,
            json!({"code": 300, "message": "The next page token is invalid or expired."}),
        ),
        (
            Method::GET,
            "/users/me/token".into(),
            None,
            400,
            json!({"code": 300, "message": "Token is no longer supported. Please use ZAK token instead."}),
        ),
        (
            Method::GET,
            "/users/me/token?type=zak&ttl=0".into(),
            None,
            400,
            json!({"code": 300, "message": "Invalid parameter: ttl."}),
        ),
        (
            Method::GET,
            "/users/ghost/token?type=zak".into(),
            None,
            404,
            json!({"code": 1001, "message": "User does not exist: ghost."}),
        ),
        (
            Method::POST,
            "/users/u-basic/webinars".into(),
            Some(json!({"topic": "w"})),
            400,
            json!({"code": 200, "message": "Webinar plan is missing. You must subscribe to the webinar plan and enable webinars for user u-basic in order to perform this action."}),
        ),
        (
            Method::POST,
            "/users/me/webinars".into(),
            Some(json!({"type": 2})),
            400,
            json!({"code": 300, "message": "Validation Failed.", "errors": [{"field": "type", "message": "Invalid field."}]}),
        ),
        (
            Method::GET,
            "/webinars/123".into(),
            None,
            404,
            json!({"code": 3001, "message": "Webinar does not exist: 123."}),
        ),
        (
            Method::PATCH,
            "/webinars/123".into(),
            Some(json!({})),
            404,
            json!({"code": 3001, "message": "Webinar does not exist: 123."}),
        ),
        (
            Method::DELETE,
            "/webinars/123".into(),
            None,
            404,
            json!({"code": 3001, "message": "Webinar does not exist: 123."}),
        ),
        (
            Method::PUT,
            "/webinars/123/status".into(),
            Some(json!({"action": "end"})),
            404,
            json!({"code": 3001, "message": "Webinar does not exist: 123."}),
        ),
        (
            Method::PUT,
            "/meetings/123/status".into(),
            Some(json!({"action": "recover"})),
            404,
            json!({"code": 3001, "message": "Meeting does not exist: 123."}),
        ),
    ];
    for (method, path, body, status, expected) in cases {
        let got = call(&fake, method.clone(), &path, &token, body).await;
        assert_eq!(got, (status, expected), "{method} {path}");
    }
    // Webinar status: `end` is the only action, and the default.
    let (_, webinar) = call(
        &fake,
        Method::POST,
        "/users/me/webinars",
        &token,
        Some(json!({"topic": "w"})),
    )
    .await;
    let wid = webinar["id"].as_u64().unwrap();
    assert_eq!(
        call(
            &fake,
            Method::PUT,
            &format!("/webinars/{wid}/status"),
            &token,
            Some(json!({"action": "pause"}))
        )
        .await,
        (
            400,
            json!({"code": 300, "message": "Validation Failed.", "errors": [{"field": "action", "message": "Invalid field."}]})
        )
    );
    assert_eq!(
        call(
            &fake,
            Method::PUT,
            &format!("/webinars/{wid}/status"),
            &token,
            Some(json!({}))
        )
        .await
        .0,
        204
    );
    // Webinar scopes: the narrow app has none.
    let narrow = s2s_token(&fake, NARROW_ID, NARROW_SECRET).await;
    let (status, body) = call(
        &fake,
        Method::POST,
        "/users/me/webinars",
        &narrow,
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"code": 4711, "message": "Invalid access token, does not contain scopes:[webinar:write:webinar, webinar:write:webinar:admin]."})
        )
    );
}

#[tokio::test]
async fn pagination_walks_every_meeting_once() {
    let fake = start().await;
    let token = jwt(&fake, API_KEY, API_SECRET, 3600);
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(create_meeting(&fake, &token, "me", json!({"topic": format!("m{i}")})).await);
    }
    let mut seen = Vec::new();
    let mut next = String::new();
    loop {
        let (status, page) = call(
            &fake,
            Method::GET,
            &format!("/users/me/meetings?page_size=3&next_page_token={next}"),
            &token,
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(page["total_records"], 7);
        assert_eq!(page["page_count"], 3);
        seen.extend(
            page["meetings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_u64().unwrap()),
        );
        next = page["next_page_token"].as_str().unwrap().to_string();
        if next.is_empty() {
            break;
        }
    }
    seen.sort();
    ids.sort();
    assert_eq!(seen, ids);
    // Page tokens expire after 15 minutes of the fake's clock.
    let (_, page) = call(
        &fake,
        Method::GET,
        "/users/me/meetings?page_size=3",
        &token,
        None,
    )
    .await;
    let stale = page["next_page_token"].as_str().unwrap().to_string();
    fake.advance(std::time::Duration::from_secs(15 * 60));
    let (status, body) = call(
        &fake,
        Method::GET,
        &format!("/users/me/meetings?page_size=3&next_page_token={stale}"),
        &token,
        None,
    )
    .await;
    assert_eq!((status, body["code"].clone()), (400, json!(300)));
    // page_number (deprecated) still works.
    let (_, page3) = call(
        &fake,
        Method::GET,
        "/users/me/meetings?page_size=3&page_number=3",
        &token,
        None,
    )
    .await;
    assert_eq!(page3["meetings"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn recurrence_ending_before_it_starts_is_refused_and_updates_are_all_or_nothing() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let empty = json!({"code": 300, "message": "Validation Failed.", "errors": [
        {"field": "recurrence.end_date_time", "message": "No occurrence falls between start_time and end_date_time."}]});
    let body = json!({"type": 8, "start_time": "2026-12-10T10:00:00Z",
                      "recurrence": {"type": 1, "end_date_time": "2026-12-09T10:00:00Z"}});
    assert_eq!(
        call(
            &fake,
            Method::POST,
            "/users/me/meetings",
            &token,
            Some(body)
        )
        .await,
        (400, empty.clone())
    );
    let id = create_meeting(
        &fake,
        &token,
        "me",
        json!({"topic": "before", "start_time": "2026-12-10T10:00:00Z"}),
    )
    .await;
    let update = json!({"topic": "after", "type": 8, "recurrence": {"type": 1, "end_date_time": "2026-12-09T10:00:00Z"}});
    assert_eq!(
        call(
            &fake,
            Method::PATCH,
            &format!("/meetings/{id}"),
            &token,
            Some(update)
        )
        .await,
        (400, empty)
    );
    let (_, meeting) = call(&fake, Method::GET, &format!("/meetings/{id}"), &token, None).await;
    assert_eq!(
        (meeting["topic"].clone(), meeting["type"].clone()),
        (json!("before"), json!(2))
    );
    // GET on the token endpoint keeps the OAuth error shape.
    let r = client().get(fake.oauth_token_url()).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"reason": "Method Not Allowed", "error": "invalid_request"})
    );
}
