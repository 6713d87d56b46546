//! Snapshots (insta) of a representative meeting object and of the fake's error bodies.
//! Ids, uuids, links and passcodes are redacted; times come from the paused clock.

use reqwest::Method;
use serde_json::{Value, json};

use crate::fake_support::*;

#[tokio::test]
async fn representative_meeting_object() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let (status, meeting) = call(
        &fake,
        Method::POST,
        "/users/me/meetings",
        &token,
        Some(json!({
            "topic": "SEV1: payments down", "type": 2, "start_time": "2026-12-04T09:30:00Z", "duration": 60,
            "agenda": "Incident bridge", "timezone": "UTC",
            "settings": {"waiting_room": true, "join_before_host": true, "auto_recording": "cloud",
                         "alternative_hosts": "member@example.com",
                         "meeting_invitees": [{"email": "oncall@example.com"}]}
        })),
    )
    .await;
    assert_eq!(status, 201);
    insta::assert_json_snapshot!("meeting_object", meeting, {
        ".id" => "[id]",
        ".uuid" => "[uuid]",
        ".join_url" => "[join_url]",
        ".start_url" => "[start_url]",
        ".password" => "[password]",
        ".h323_password" => "[password]",
        ".pstn_password" => "[password]",
        ".encrypted_password" => "[password]",
    });
}

#[tokio::test]
async fn error_bodies() {
    let fake = start().await;
    let token = s2s_token(&fake, NARROW_ID, NARROW_SECRET).await;
    let api_key = jwt(&fake, API_KEY, API_SECRET, 60);
    let mut bodies: Vec<(String, u16, Value)> = Vec::new();
    let mut record =
        |name: &str, (status, body): (u16, Value)| bodies.push((name.to_string(), status, body));
    record(
        "missing_token",
        call(&fake, Method::GET, "/users/me", "", None).await,
    );
    record(
        "invalid_token",
        call(&fake, Method::GET, "/users/me", "None", None).await,
    );
    record(
        "missing_scope",
        call(&fake, Method::GET, "/users", &token, None).await,
    );
    record(
        "other_users_meeting",
        call(
            &fake,
            Method::POST,
            "/users/u-member/meetings",
            &token,
            Some(json!({})),
        )
        .await,
    );
    record(
        "meeting_not_found",
        call(&fake, Method::GET, "/meetings/81234567890", &token, None).await,
    );
    record(
        "user_not_found",
        call(
            &fake,
            Method::GET,
            "/users/nobody@example.com",
            &token,
            None,
        )
        .await,
    );
    record(
        "zak_with_api_key",
        call(&fake, Method::GET, "/users/me/zak", &api_key, None).await,
    );
    record(
        "validation",
        call(
            &fake,
            Method::POST,
            "/users/me/meetings",
            &token,
            Some(json!({"duration": 0, "settings": {"jbh_time": 3}})),
        )
        .await,
    );
    let malformed = client()
        .post(format!("{}/users/me/meetings", fake.api_base_url()))
        .bearer_auth(&token)
        .body("{not json")
        .send()
        .await
        .unwrap();
    bodies.push((
        "malformed_json".into(),
        malformed.status().as_u16(),
        malformed.json().await.unwrap(),
    ));
    let (status, body) = call(&fake, Method::GET, "/no/such/route", &token, None).await;
    bodies.push(("unknown_route".into(), status, body));
    fake.advance(std::time::Duration::from_secs(3600));
    let (status, body) = call(&fake, Method::GET, "/users/me", &token, None).await;
    bodies.push(("expired_token".into(), status, body));
    let bad_client = client()
        .post(fake.oauth_token_url())
        .basic_auth(S2S_ID, Some("wrong"))
        .query(&[
            ("grant_type", "account_credentials"),
            ("account_id", ACCOUNT),
        ])
        .send()
        .await
        .unwrap();
    bodies.push((
        "oauth_invalid_client".into(),
        bad_client.status().as_u16(),
        bad_client.json().await.unwrap(),
    ));
    let table: Vec<Value> = bodies
        .into_iter()
        .map(|(name, status, body)| json!({"case": name, "status": status, "body": body}))
        .collect();
    insta::assert_json_snapshot!("error_bodies", table);
}
