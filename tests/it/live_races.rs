//! Concurrent control calls on one meeting: the meeting object's `status` and `uuid` always
//! agree with the rooms once the calls have returned (REVIEW 1.5: they used to be written after
//! the live lock was released, so two calls could apply them in the wrong order).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::live_support::{HOST, Live};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_end_and_join_leave_status_and_uuid_consistent_with_the_room() {
    // Rate limits off: the test makes hundreds of calls a second.
    let live = Live::with_account(crate::live_support::account().rate_limits(
        fake_zoom::config::RateLimitConfig {
            enabled: false,
            ..Default::default()
        },
    ))
    .await;
    let id = live.meeting(json!({"waiting_room": false})).await;
    let mut uuids = std::collections::HashSet::new();
    for round in 0..400 {
        live.host_joins(id).await;
        // The host ends the meeting while the host (on another device) joins again.
        let end_path = format!("/meetings/{id}/end");
        let end = live.control(Method::POST, &end_path, None);
        let join = live.join(id, json!({"name": "Hana", "role": "host", "user_id": HOST}));
        let (_, _) = tokio::join!(end, join);
        let (status, room) = live
            .control(Method::GET, &format!("/meetings/{id}/room"), None)
            .await;
        let room_started = status == StatusCode::OK && room["status"] == "started";
        let (status, meeting) = live
            .api(Method::GET, &format!("/meetings/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{meeting}");
        let expected = if room_started { "started" } else { "waiting" };
        assert_eq!(
            meeting["status"], expected,
            "round {round}: meeting {meeting} vs room {room}"
        );
        // Every instance gets a uuid of its own.
        if room_started {
            let uuid = room["uuid"].as_str().unwrap_or_default().to_string();
            assert_eq!(
                meeting["uuid"], room["uuid"],
                "round {round}: the live instance's uuid"
            );
            assert!(
                uuids.insert(uuid.clone()),
                "round {round}: uuid {uuid} reused"
            );
        }
        // Close the round: end whatever is live.
        live.control(Method::POST, &format!("/meetings/{id}/end"), None)
            .await;
    }
}
