//! Attendance over HTTP: past meetings, their participants, the participants report.

use fake_zoom::config::Plan;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::live_support::{Live, MEMBER, account};

#[tokio::test]
async fn past_meeting_and_participants_show_each_stay_with_its_duration() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": true})).await;
    let host = live.host_joins(id).await;
    let (guest, _) = live
        .joined(id, json!({"name": "Guest", "role": "external"}))
        .await;
    live.advance(60).await;
    live.act(id, &guest, "admit", Some(&host)).await;
    live.advance(300).await;
    live.act(id, &guest, "waiting_room", Some(&host)).await;
    live.advance(120).await;
    live.act(id, &guest, "admit", Some(&host)).await;
    live.advance(180).await;
    live.end_via_api(id).await;

    let (status, past) = live
        .api(Method::GET, &format!("/past_meetings/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{past}");
    assert_eq!(past["id"], id);
    assert_eq!(past["participants_count"], 2);
    assert_eq!(past["duration"], 11);
    assert_eq!(past["start_time"], "2026-12-04T15:00:00Z");
    assert_eq!(past["end_time"], "2026-12-04T15:11:00Z");
    // host 660 s + guest 300 s + 180 s = 1140 s = 19 min
    assert_eq!(past["total_minutes"], 19);
    let uuid = past["uuid"].as_str().unwrap().to_string();

    let (status, list) = live
        .api(
            Method::GET,
            &format!("/past_meetings/{id}/participants"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let rows = list["participants"].as_array().unwrap();
    assert_eq!(list["total_records"], 3);
    let guest_rows: Vec<_> = rows
        .iter()
        .filter(|r| r["user_id"] == guest.as_str())
        .collect();
    assert_eq!(guest_rows.len(), 2);
    assert_eq!(guest_rows[0]["duration"], 300);
    assert_eq!(guest_rows[0]["join_time"], "2026-12-04T15:01:00Z");
    assert_eq!(guest_rows[0]["leave_time"], "2026-12-04T15:06:00Z");
    assert_eq!(guest_rows[1]["duration"], 180);
    assert_eq!(guest_rows[1]["user_email"], "", "outside the account");
    let host_row = rows.iter().find(|r| r["user_id"] == host.as_str()).unwrap();
    assert_eq!(host_row["duration"], 660);
    assert_eq!(host_row["user_email"], "host@example.com");
    assert_eq!(host_row["internal_user"], true);

    // The same instance by uuid (double-encoded when it has a slash), and the report.
    let encoded = uuid
        .replace('/', "%252F")
        .replace('+', "%2B")
        .replace('=', "%3D");
    let (status, by_uuid) = live
        .api(Method::GET, &format!("/past_meetings/{encoded}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{by_uuid}");
    assert_eq!(by_uuid["uuid"], uuid.as_str());
    let (status, report) = live
        .api(
            Method::GET,
            &format!("/report/meetings/{id}/participants?page_size=2"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["participants"].as_array().unwrap().len(), 2);
    assert_eq!(report["total_records"], 3);
    let token = report["next_page_token"].as_str().unwrap();
    assert!(!token.is_empty());
    let (_, page2) = live
        .api(
            Method::GET,
            &format!("/report/meetings/{id}/participants?page_size=2&next_page_token={token}"),
            None,
        )
        .await;
    assert_eq!(page2["participants"].as_array().unwrap().len(), 1);
    assert_eq!(page2["next_page_token"], "");
}

#[tokio::test]
async fn a_meeting_with_one_participant_returns_no_rows() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": false})).await;
    live.host_joins(id).await;
    live.advance(60).await;
    live.end_via_api(id).await;
    let (status, list) = live
        .api(
            Method::GET,
            &format!("/past_meetings/{id}/participants"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["participants"], json!([]));
    assert_eq!(list["total_records"], 0);
}

#[tokio::test]
async fn unknown_or_live_meetings_have_no_past_instance() {
    let live = Live::start().await;
    let id = live.meeting(json!({})).await;
    let (status, body) = live
        .api(Method::GET, &format!("/past_meetings/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!({"code": 3001, "message": format!("Meeting does not exist: {id}.")})
    );
    let (status, body) = live
        .api(Method::GET, "/report/meetings/12345/participants", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body["message"],
        "Meeting 12345 is not found or has expired."
    );
}

#[tokio::test]
async fn free_accounts_get_no_participant_lists() {
    let live = Live::with_account(account().plan(Plan::Free)).await;
    let id = live
        .meeting(json!({"waiting_room": false, "join_before_host": true}))
        .await;
    live.host_joins(id).await;
    live.joined(
        id,
        json!({"name": "Max", "role": "account_user", "user_id": MEMBER}),
    )
    .await;
    live.end_via_api(id).await;
    let (status, body) = live
        .api(
            Method::GET,
            &format!("/past_meetings/{id}/participants"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], 200);
}
