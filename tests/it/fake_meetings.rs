//! Meetings on the fake: create, get, update, end, recover, delete, with Zoom's errors.

use reqwest::Method;
use serde_json::{Value, json};

use crate::fake_support::*;

#[tokio::test]
async fn meeting_lifecycle_over_http() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let (status, meeting) = call(
        &fake,
        Method::POST,
        "/users/me/meetings",
        &token,
        Some(json!({
            "topic": "SEV1 bridge", "type": 2, "start_time": "2026-12-04T10:00:00Z",
            "duration": 45, "agenda": "triage",
            "settings": {"waiting_room": true, "join_before_host": true, "auto_recording": "cloud",
                         "alternative_hosts": "member@example.com",
                         "meeting_invitees": [{"email": "oncall@example.com"}]}
        })),
    )
    .await;
    assert_eq!(status, 201, "{meeting}");
    let id = meeting["id"].as_u64().unwrap();
    assert!(id > 10_000_000_000);
    assert_eq!(meeting["status"], "waiting");
    assert_eq!(meeting["host_id"], "u-owner");
    assert_eq!(meeting["start_time"], "2026-12-04T10:00:00Z");
    assert_eq!(meeting["duration"], 45);
    assert!(
        meeting["join_url"]
            .as_str()
            .unwrap()
            .contains(&format!("/j/{id}"))
    );
    assert!(meeting["start_url"].is_string() && meeting["uuid"].is_string());
    assert_eq!(meeting["password"].as_str().unwrap().len(), 6);
    let settings = &meeting["settings"];
    assert_eq!(settings["waiting_room"], true);
    assert_eq!(
        settings["join_before_host"], false,
        "waiting room forces JBH off"
    );
    assert_eq!(settings["auto_recording"], "cloud");
    assert_eq!(settings["alternative_hosts"], "member@example.com");
    assert_eq!(
        settings["meeting_invitees"],
        json!([{"email": "oncall@example.com"}])
    );
    assert_eq!(settings["waiting_room_options"]["mode"], "follow_setting");

    let (status, got) = call(&fake, Method::GET, &format!("/meetings/{id}"), &token, None).await;
    assert_eq!((status, &got["topic"]), (200, &json!("SEV1 bridge")));
    assert_eq!(got, meeting);

    let (status, body) = call(
        &fake,
        Method::PATCH,
        &format!("/meetings/{id}"),
        &token,
        Some(json!({"topic": "SEV1 bridge (updated)", "settings": {"waiting_room": false, "join_before_host": true}})),
    )
    .await;
    assert_eq!((status, body), (204, Value::Null));
    let (_, got) = call(&fake, Method::GET, &format!("/meetings/{id}"), &token, None).await;
    assert_eq!(got["topic"], "SEV1 bridge (updated)");
    assert_eq!(got["settings"]["join_before_host"], true);
    assert_eq!(
        got["settings"]["auto_recording"], "cloud",
        "PATCH keeps other settings"
    );

    let status_path = format!("/meetings/{id}/status");
    assert_eq!(
        call(
            &fake,
            Method::PUT,
            &status_path,
            &token,
            Some(json!({"action": "end"}))
        )
        .await
        .0,
        204
    );
    assert_eq!(
        call(
            &fake,
            Method::DELETE,
            &format!("/meetings/{id}"),
            &token,
            None
        )
        .await
        .0,
        204
    );
    let gone = json!({"code": 3001, "message": format!("Meeting does not exist: {id}.")});
    assert_eq!(
        call(&fake, Method::GET, &format!("/meetings/{id}"), &token, None).await,
        (404, gone.clone())
    );
    assert_eq!(
        call(
            &fake,
            Method::DELETE,
            &format!("/meetings/{id}"),
            &token,
            None
        )
        .await,
        (404, gone)
    );
    assert_eq!(
        call(
            &fake,
            Method::PUT,
            &status_path,
            &token,
            Some(json!({"action": "recover"}))
        )
        .await
        .0,
        204
    );
    assert_eq!(
        call(&fake, Method::GET, &format!("/meetings/{id}"), &token, None)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn not_found_and_validation_errors() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    assert_eq!(
        call(
            &fake,
            Method::POST,
            "/users/nobody@example.com/meetings",
            &token,
            Some(json!({}))
        )
        .await,
        (
            404,
            json!({"code": 1001, "message": "User does not exist: nobody@example.com."})
        )
    );
    assert_eq!(
        call(&fake, Method::GET, "/users/ghost", &token, None).await,
        (
            404,
            json!({"code": 1001, "message": "User does not exist: ghost."})
        )
    );
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let body = (method == Method::PATCH).then(|| json!({}));
        assert_eq!(
            call(&fake, method, "/meetings/12345678901", &token, body).await,
            (
                404,
                json!({"code": 3001, "message": "Meeting does not exist: 12345678901."})
            )
        );
    }
    let (status, body) = call(
        &fake,
        Method::POST,
        "/users/me/meetings",
        &token,
        Some(
            json!({"topic": "x".repeat(201), "duration": 1441, "password": "way-too-long-passcode",
                    "settings": {"auto_recording": "tape"}}),
        ),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], 300);
    assert_eq!(body["message"], "Validation Failed.");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["topic", "duration", "password", "settings.auto_recording"]
    );

    // Malformed JSON and non-object bodies.
    for raw in ["{\"topic\": ", "[1,2]", "\"text\""] {
        let response = client()
            .post(format!("{}/users/me/meetings", fake.api_base_url()))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            json!({"code": 300, "message": "Request Body should be a valid JSON object."})
        );
    }
    // A basic user cannot host.
    assert_eq!(
        call(
            &fake,
            Method::POST,
            "/users/u-basic/meetings",
            &token,
            Some(json!({}))
        )
        .await
        .1["code"],
        3161
    );
}

#[tokio::test]
async fn unknown_routes_trailing_slash_and_body_limit() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let unknown = json!({"code": 2300, "message": "This API endpoint is not recognized."});
    assert_eq!(
        call(&fake, Method::GET, "/nothing/here", &token, None).await,
        (404, unknown.clone())
    );
    let r = client()
        .get(format!("{}/nope", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Trailing slash, unknown query parameters, an empty trailing `&`.
    let (status, user) = call(&fake, Method::GET, "/users/me/?id=1&", &token, None).await;
    assert_eq!((status, &user["id"]), (200, &json!("u-owner")));
    let huge = "x".repeat(300 * 1024);
    let response = client()
        .post(format!("{}/users/me/meetings", fake.api_base_url()))
        .bearer_auth(&token)
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], 300);
}

#[tokio::test]
async fn local_start_times_are_read_in_the_meetings_time_zone() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let (status, meeting) = call(
        &fake,
        Method::POST,
        "/users/me/meetings",
        &token,
        Some(json!({"start_time": "2026-12-15T10:00:00", "timezone": "Europe/Berlin"})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(meeting["start_time"], "2026-12-15T09:00:00Z");
    assert_eq!(meeting["timezone"], "Europe/Berlin");
    // An update's local time uses the meeting's zone (summer time: UTC+2).
    let id = meeting["id"].as_u64().unwrap();
    let path = format!("/meetings/{id}");
    assert_eq!(
        call(
            &fake,
            Method::PATCH,
            &path,
            &token,
            Some(json!({"start_time": "2027-07-01T10:00:00"}))
        )
        .await
        .0,
        204
    );
    assert_eq!(
        call(&fake, Method::GET, &path, &token, None).await.1["start_time"],
        "2027-07-01T08:00:00Z"
    );
    // No zone anywhere but the host's (UTC here).
    let (_, utc) = call(
        &fake,
        Method::POST,
        "/users/me/meetings",
        &token,
        Some(json!({"start_time": "2026-12-15T10:00:00"})),
    )
    .await;
    assert_eq!(utc["start_time"], "2026-12-15T10:00:00Z");
    assert_eq!(
        call(
            &fake,
            Method::POST,
            "/users/me/meetings",
            &token,
            Some(json!({"start_time": "2026-12-15T10:00:00", "timezone": "Mars/Olympus"}))
        )
        .await,
        (
            400,
            json!({"code": 300, "message": "Validation Failed.", "errors": [{"field": "timezone", "message": "Invalid field."}]})
        )
    );
}
