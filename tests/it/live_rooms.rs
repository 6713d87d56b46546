//! Live rooms over HTTP: who gets in, who waits, who may admit, how instances start and end.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::live_support::{ALT, HOST, Live, MEMBER};

#[tokio::test]
async fn waiting_room_holds_a_bot_until_the_host_admits_it() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    let host = live.host_joins(id).await;
    let (bot, status) = live
        .joined(id, json!({"name": "Scribe", "role": "bot"}))
        .await;
    assert_eq!(status, "in_waiting_room");
    live.advance(90).await;
    let (code, body) = live.act(id, &bot, "admit", Some(&host)).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "in_meeting");
    assert_eq!(body["entry"], "admitted");
    assert_eq!(body["admitted_at"], "2026-12-04T15:01:30Z");
}

#[tokio::test]
async fn a_valid_zak_skips_the_waiting_room() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    live.host_joins(id).await;
    let zak = live.zak(MEMBER).await;
    let (pid, status) = live
        .joined(id, json!({"name": "Scribe", "role": "bot", "zak": zak}))
        .await;
    assert_eq!(status, "in_meeting");
    let (_, view) = live
        .control(
            Method::GET,
            &format!("/meetings/{id}/participants/{pid}"),
            None,
        )
        .await;
    assert_eq!(view["entry"], "zak");
}

#[tokio::test]
async fn an_expired_or_unknown_zak_is_refused() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    live.host_joins(id).await;
    // `/users/me/zak` tokens expire five minutes after receipt.
    let (status, body) = live.api(Method::GET, "/users/me/zak", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let zak = body["token"].as_str().unwrap().to_string();
    live.advance(5 * 60).await;
    let (status, body) = live
        .join(id, json!({"name": "Scribe", "role": "bot", "zak": zak}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], 3265);
    let (status, body) = live
        .join(
            id,
            json!({"name": "Scribe", "role": "bot", "zak": "not-a-zak"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], 3265);
}

#[tokio::test]
async fn without_join_before_host_the_bot_waits_for_the_host() {
    let live = Live::start().await;
    let id = live
        .meeting(json!({"waiting_room": false, "join_before_host": false}))
        .await;
    let (bot, status) = live
        .joined(id, json!({"name": "Scribe", "role": "bot"}))
        .await;
    assert_eq!(status, "waiting_for_host");
    let (_, meeting) = live
        .api(Method::GET, &format!("/meetings/{id}"), None)
        .await;
    assert_eq!(meeting["status"], "waiting");
    live.host_joins(id).await;
    assert_eq!(live.status_of(id, &bot).await, "in_meeting");
    let (_, meeting) = live
        .api(Method::GET, &format!("/meetings/{id}"), None)
        .await;
    assert_eq!(meeting["status"], "started");
}

#[tokio::test]
async fn join_before_host_lets_the_bot_start_the_meeting() {
    let live = Live::start().await;
    let id = live
        .meeting(json!({"waiting_room": false, "join_before_host": true}))
        .await;
    let (_, status) = live
        .joined(id, json!({"name": "Scribe", "role": "bot"}))
        .await;
    assert_eq!(status, "in_meeting");
    let (_, meeting) = live
        .api(Method::GET, &format!("/meetings/{id}"), None)
        .await;
    assert_eq!(meeting["status"], "started");
}

#[tokio::test]
async fn waiting_room_options_can_exempt_users_of_the_account() {
    let live = Live::start().await;
    let id = live
        .meeting(json!({"waiting_room": true, "waiting_room_options":
            {"mode": "custom", "who_goes_to_waiting_room": "users_not_in_account"}}))
        .await;
    live.host_joins(id).await;
    let (_, member) = live
        .joined(
            id,
            json!({"name": "Max", "role": "account_user", "user_id": MEMBER}),
        )
        .await;
    assert_eq!(member, "in_meeting");
    let (_, guest) = live
        .joined(id, json!({"name": "Guest", "role": "external"}))
        .await;
    assert_eq!(guest, "in_waiting_room");
}

#[tokio::test]
async fn only_the_host_or_a_cohost_admits_denies_sends_back_and_removes() {
    let live = Live::start().await;
    let id = live
        .meeting(json!({"waiting_room": true, "alternative_hosts": "alt@example.com"}))
        .await;
    let host = live.host_joins(id).await;
    let (alt, status) = live
        .joined(
            id,
            json!({"name": "Alma", "role": "alternative_host", "user_id": ALT}),
        )
        .await;
    assert_eq!(status, "in_meeting");
    let (co, _) = live
        .joined(
            id,
            json!({"name": "Co", "role": "co_host", "user_id": MEMBER}),
        )
        .await;
    let (a, _) = live
        .joined(id, json!({"name": "A", "role": "external"}))
        .await;
    let (b, _) = live
        .joined(id, json!({"name": "B", "role": "external"}))
        .await;
    let (code, body) = live.act(id, &b, "admit", Some(&a)).await;
    assert_eq!(
        (code, body["code"].clone()),
        (StatusCode::FORBIDDEN, json!(3003)),
        "{body}"
    );
    assert_eq!(live.act(id, &a, "admit", Some(&co)).await.0, StatusCode::OK);
    assert_eq!(live.act(id, &b, "deny", Some(&alt)).await.0, StatusCode::OK);
    assert_eq!(live.status_of(id, &b).await, "denied");
    assert_eq!(
        live.act(id, &a, "waiting_room", Some(&host)).await.0,
        StatusCode::OK
    );
    assert_eq!(live.status_of(id, &a).await, "in_waiting_room");
    assert_eq!(
        live.act(id, &a, "remove", Some(&host)).await.0,
        StatusCode::OK
    );
    assert_eq!(live.status_of(id, &a).await, "removed");
    let (code, body) = live.act(id, &host, "remove", Some(&co)).await;
    assert_eq!(
        code,
        StatusCode::CONFLICT,
        "the host cannot be removed: {body}"
    );
    let (code, body) = live.act(id, &a, "dance", Some(&host)).await;
    assert_eq!(code, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn ending_through_the_api_ends_the_instance_and_gives_the_next_a_fresh_uuid() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    let (_, before) = live
        .api(Method::GET, &format!("/meetings/{id}"), None)
        .await;
    live.host_joins(id).await;
    let (bot, _) = live
        .joined(id, json!({"name": "Scribe", "role": "bot"}))
        .await;
    let (_, room) = live
        .control(Method::GET, &format!("/meetings/{id}/room"), None)
        .await;
    assert_eq!(
        room["uuid"], before["uuid"],
        "the first instance has the meeting's uuid"
    );
    live.advance(600).await;
    live.end_via_api(id).await;
    assert_eq!(live.status_of(id, &bot).await, "meeting_ended");
    let (_, after) = live
        .api(Method::GET, &format!("/meetings/{id}"), None)
        .await;
    assert_eq!(after["status"], "waiting");
    assert_ne!(after["uuid"], before["uuid"]);
    let (_, past) = live
        .api(Method::GET, &format!("/past_meetings/{id}"), None)
        .await;
    assert_eq!(past["uuid"], before["uuid"]);
    assert_eq!(past["duration"], 10);
    live.host_joins(id).await;
    let (_, room) = live
        .control(Method::GET, &format!("/meetings/{id}/room"), None)
        .await;
    assert_eq!(room["uuid"], after["uuid"]);
}

#[tokio::test]
async fn the_host_ending_it_in_the_client_and_everyone_leaving_both_end_it() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": false})).await;
    let host = live.host_joins(id).await;
    let (status, _) = live
        .control(Method::POST, &format!("/meetings/{id}/end"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = live
        .control(Method::POST, &format!("/meetings/{id}/end"), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(live.status_of(id, &host).await, "meeting_ended");
    let host = live.host_joins(id).await;
    let (code, body) = live.act(id, &host, "leave", None).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "left");
    let (_, room) = live
        .control(Method::GET, &format!("/meetings/{id}/room"), None)
        .await;
    assert_eq!(room["live"], false);
    assert_eq!(room["status"], "ended");
}

#[tokio::test]
async fn concurrent_joins_are_neither_lost_nor_counted_twice() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    live.host_joins(id).await;
    let url = format!("{}/_fake/meetings/{id}/participants", live.fake.base_url());
    let mut set = tokio::task::JoinSet::new();
    for i in 0..40 {
        let http = live.http.clone();
        let url = url.clone();
        set.spawn(async move {
            let r = http
                .post(url)
                .json(&json!({"name": format!("Guest {i}"), "role": "external"}))
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<serde_json::Value>().await.unwrap())
        });
    }
    let mut ids = Vec::new();
    while let Some(joined) = set.join_next().await {
        let (status, body) = joined.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(body["participant_id"].as_str().unwrap().to_string());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40);
    let (_, room) = live
        .control(Method::GET, &format!("/meetings/{id}/room"), None)
        .await;
    assert_eq!(room["participants"].as_array().unwrap().len(), 41);
    assert_eq!(room["waiting_room"].as_array().unwrap().len(), 40);
}

#[tokio::test]
async fn bad_join_requests_get_clear_errors() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    let (status, body) = live.join(999, json!({"name": "X", "role": "bot"})).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!(3001)),
        "{body}"
    );
    for bad in [
        json!({"name": "X", "role": "wizard"}),
        json!({"name": "X", "role": "bot", "colour": "red"}),
        json!({"name": "", "role": "external"}),
        json!({"name": "X", "role": "account_user"}),
        json!({"name": "X", "role": "external", "zak": "abc"}),
        json!({"name": "X", "role": "bot", "user_id": MEMBER}),
    ] {
        let (status, body) = live.join(id, bad.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad} → {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    }
    let (status, body) = live
        .join(id, json!({"name": "X", "role": "host", "user_id": MEMBER}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = live
        .join(
            id,
            json!({"name": "X", "role": "account_user", "user_id": "nobody"}),
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!(1001)),
        "{body}"
    );
    let raw = live
        .http
        .post(format!(
            "{}/_fake/meetings/{id}/participants",
            live.fake.base_url()
        ))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    let _ = HOST;
}

#[tokio::test]
async fn the_handle_offers_the_same_operations() {
    use fake_zoom::control_rooms::JoinRequest;
    use fake_zoom::model::room::JoinRole;
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    let host = live
        .fake
        .join(id, JoinRequest::new("Hana", JoinRole::Host).user(HOST))
        .unwrap();
    let bot = live
        .fake
        .join(id, JoinRequest::new("Scribe", JoinRole::Bot))
        .unwrap();
    assert_eq!(serde_json::to_value(bot.status).unwrap(), "in_waiting_room");
    let view = live
        .fake
        .admit(id, &bot.participant_id, &host.participant_id)
        .unwrap();
    assert_eq!(view.status, "in_meeting");
    assert!(live.fake.end_meeting(id).unwrap());
    assert_eq!(
        live.fake
            .participant(id, &bot.participant_id)
            .unwrap()
            .status,
        "meeting_ended"
    );
}

#[tokio::test]
async fn turning_the_waiting_room_off_admits_everyone_waiting() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    live.host_joins(id).await;
    let (bot, _) = live
        .joined(id, json!({"name": "Scribe", "role": "bot"}))
        .await;
    let (status, body) = live
        .api(
            Method::PATCH,
            &format!("/meetings/{id}"),
            Some(json!({"settings": {"waiting_room": false}})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(live.status_of(id, &bot).await, "in_meeting");
}

#[tokio::test]
async fn deleting_a_live_meeting_ends_its_instance() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": false})).await;
    let host = live.host_joins(id).await;
    live.advance(120).await;
    let (status, _) = live
        .api(Method::DELETE, &format!("/meetings/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // The meeting is gone, so is its room; the instance is a past meeting of the account.
    let (status, _) = live
        .control(
            Method::GET,
            &format!("/meetings/{id}/participants/{host}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, past) = live
        .api(Method::GET, &format!("/past_meetings/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{past}");
    assert_eq!(past["duration"], 2);
}

#[tokio::test]
async fn an_obf_bot_needs_its_owner_in_the_meeting_and_waits_like_anyone() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    let (status, body) = live
        .api(
            Method::GET,
            &format!("/users/{MEMBER}/token?type=onbehalf&meeting_id={id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let obf = body["token"].as_str().unwrap().to_string();
    let host = live.host_joins(id).await;
    let (status, body) = live
        .join(id, json!({"name": "Scribe", "role": "bot", "obf": obf}))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "owner not in the meeting: {body}"
    );
    // A refused join used the single-use token up; get another one.
    let (_, body) = live
        .api(
            Method::GET,
            &format!("/users/{MEMBER}/token?type=onbehalf"),
            None,
        )
        .await;
    let obf = body["token"].as_str().unwrap().to_string();
    let (owner, _) = live
        .joined(
            id,
            json!({"name": "Max", "role": "account_user", "user_id": MEMBER}),
        )
        .await;
    live.act(id, &owner, "admit", Some(&host)).await;
    let (bot, status) = live
        .joined(id, json!({"name": "Scribe", "role": "bot", "obf": obf}))
        .await;
    assert_eq!(status, "in_waiting_room");
    let (status, body) = live
        .join(id, json!({"name": "Again", "role": "bot", "obf": obf}))
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNAUTHORIZED, json!(3265)),
        "single use"
    );
    live.act(id, &bot, "admit", Some(&host)).await;
    live.act(id, &owner, "leave", None).await;
    assert_eq!(
        live.status_of(id, &bot).await,
        "left",
        "the bot leaves with its owner"
    );
}

#[tokio::test]
async fn the_host_zak_only_policy_holds_a_service_account_zak() {
    use fake_zoom::model::room::{LiveConfig, ZakPolicy};
    let mut account = crate::live_support::account();
    account.live = LiveConfig {
        zak_policy: ZakPolicy::HostZakOnly,
        ..LiveConfig::default()
    };
    let live = Live::with_account(account).await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    live.host_joins(id).await;
    let member_zak = live.zak(MEMBER).await;
    let (_, status) = live
        .joined(
            id,
            json!({"name": "Scribe", "role": "bot", "zak": member_zak}),
        )
        .await;
    assert_eq!(status, "in_waiting_room");
    let host_zak = live.zak(HOST).await;
    let (_, status) = live
        .joined(
            id,
            json!({"name": "Scribe 2", "role": "bot", "zak": host_zak}),
        )
        .await;
    assert_eq!(status, "in_meeting");
}

#[tokio::test]
async fn a_local_recording_join_token_with_bypass_skips_the_waiting_room_once() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    live.host_joins(id).await;
    let path = format!("/meetings/{id}/jointoken/local_recording");
    let (status, body) = live
        .api(
            Method::GET,
            &format!("{path}?bypass_waiting_room=true"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["expire_in"], 120);
    let token = body["token"].as_str().unwrap().to_string();
    let (pid, status) = live
        .joined(
            id,
            json!({"name": "Recorder", "role": "bot", "join_token": token}),
        )
        .await;
    assert_eq!(status, "in_meeting");
    let (_, view) = live
        .control(
            Method::GET,
            &format!("/meetings/{id}/participants/{pid}"),
            None,
        )
        .await;
    assert_eq!(view["entry"], "join_token");
    let (status, body) = live
        .join(
            id,
            json!({"name": "Again", "role": "bot", "join_token": token}),
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNAUTHORIZED, json!(3265)),
        "single use"
    );

    // Without bypass_waiting_room the bot waits; an expired token is refused.
    let (_, body) = live.api(Method::GET, &path, None).await;
    let plain = body["token"].as_str().unwrap().to_string();
    let (_, status) = live
        .joined(
            id,
            json!({"name": "Plain", "role": "bot", "join_token": plain}),
        )
        .await;
    assert_eq!(status, "in_waiting_room");
    let (_, body) = live
        .api(
            Method::GET,
            &format!("{path}?bypass_waiting_room=true"),
            None,
        )
        .await;
    let late = body["token"].as_str().unwrap().to_string();
    live.advance(120).await;
    let (status, _) = live
        .join(
            id,
            json!({"name": "Late", "role": "bot", "join_token": late}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // API Key/Secret apps cannot mint one.
    let jwt = crate::fake_support::jwt(&live.fake, "live-api-key", "live-api-secret", 3600);
    let response = live
        .http
        .get(format!("{}{path}", live.fake.api_base_url()))
        .bearer_auth(jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], 124);
}
