//! Cloud recordings over HTTP: files after the meeting, local recording, settings, the trash,
//! retention on the fake's clock, the storage limit, in-meeting recording control.

use fake_zoom::model::recording::RecordingPolicy;
use fake_zoom::model::room::LiveConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::live_support::{HOST, Live, account};

/// A meeting with cloud auto-recording that ran `minutes` and ended.
async fn recorded_meeting(live: &Live, minutes: u64) -> u64 {
    let id = live
        .meeting(json!({"waiting_room": false, "auto_recording": "cloud"}))
        .await;
    live.host_joins(id).await;
    live.advance(minutes * 60).await;
    live.end_via_api(id).await;
    id
}

fn file_types(rec: &Value) -> Vec<String> {
    rec["recording_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file_type"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn cloud_auto_recording_leaves_files_after_the_meeting() {
    let live = Live::start().await;
    let id = live
        .meeting(json!({"waiting_room": false, "auto_recording": "cloud"}))
        .await;
    live.host_joins(id).await;
    let (status, body) = live
        .api(Method::GET, &format!("/meetings/{id}/recordings"), None)
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!(3301)),
        "not before the end"
    );
    live.advance(600).await;
    live.end_via_api(id).await;
    let (status, rec) = live
        .api(Method::GET, &format!("/meetings/{id}/recordings"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{rec}");
    assert_eq!(file_types(&rec), ["MP4", "M4A", "TRANSCRIPT"]);
    assert_eq!(rec["id"], id);
    assert_eq!(rec["duration"], 10);
    assert_eq!(rec["recording_count"], 3);
    let mp4 = &rec["recording_files"][0];
    assert_eq!(mp4["file_size"], 600 * 60_000);
    assert_eq!(mp4["recording_start"], "2026-12-04T15:00:00Z");
    assert_eq!(mp4["recording_end"], "2026-12-04T15:10:00Z");
    assert_eq!(mp4["status"], "completed");
    let (status, list) = live
        .api(
            Method::GET,
            &format!("/users/{HOST}/recordings?from=2026-12-04T00:00:00Z&to=2026-12-04"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total_records"], 1);
    assert_eq!(list["meetings"][0]["uuid"], rec["uuid"]);
}

#[tokio::test]
async fn local_recording_leaves_nothing_in_the_cloud() {
    let live = Live::start().await;
    let id = live
        .meeting(json!({"waiting_room": false, "auto_recording": "local"}))
        .await;
    live.host_joins(id).await;
    live.advance(600).await;
    live.end_via_api(id).await;
    let (status, body) = live
        .api(Method::GET, &format!("/meetings/{id}/recordings"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!({"code": 3301, "message": "There is no recording for this meeting."})
    );
}

#[tokio::test]
async fn recording_settings_read_and_update() {
    let live = Live::start().await;
    let id = recorded_meeting(&live, 5).await;
    let path = format!("/meetings/{id}/recordings/settings");
    let (status, settings) = live.api(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(settings["share_recording"], "publicly");
    assert_eq!(settings["viewer_download"], true);
    let (status, body) = live
        .api(
            Method::PATCH,
            &path,
            Some(
                json!({"share_recording": "internally", "viewer_download": false,
                "password": "Pa55word!", "on_demand": true}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, settings) = live.api(Method::GET, &path, None).await;
    assert_eq!(settings["share_recording"], "internally");
    assert_eq!(settings["viewer_download"], false);
    assert_eq!(settings["password"], "Pa55word!");
    assert_eq!(settings["on_demand"], true);
    let (status, body) = live
        .api(
            Method::PATCH,
            &path,
            Some(json!({"share_recording": "everyone"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], 300);
    assert_eq!(body["errors"][0]["field"], "share_recording");
    let (status, _) = live
        .api(
            Method::PATCH,
            &path,
            Some(json!({"viewer_download": "maybe"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn trash_recover_and_permanent_delete() {
    let live = Live::start().await;
    let id = recorded_meeting(&live, 5).await;
    let recordings = format!("/meetings/{id}/recordings");
    let (_, rec) = live.api(Method::GET, &recordings, None).await;
    let uuid = rec["uuid"].as_str().unwrap().to_string();
    let file = rec["recording_files"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let (status, _) = live
        .api(
            Method::DELETE,
            &format!("{recordings}/{file}?action=trash"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, rec) = live.api(Method::GET, &recordings, None).await;
    assert_eq!(file_types(&rec), ["M4A", "TRANSCRIPT"]);
    let (status, body) = live
        .api(
            Method::PUT,
            &format!("{recordings}/{file}/status"),
            Some(json!({"action": "recover"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let (status, _) = live.api(Method::DELETE, &recordings, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "trash by default");
    assert_eq!(
        live.api(Method::GET, &recordings, None).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, trash) = live
        .api(
            Method::GET,
            &format!("/users/{HOST}/recordings?trash=true"),
            None,
        )
        .await;
    assert_eq!(
        trash["meetings"][0]["recording_files"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(trash["meetings"][0]["recording_files"][0]["deleted_time"].is_string());
    let encoded = uuid
        .replace('/', "%252F")
        .replace('+', "%2B")
        .replace('=', "%3D");
    let (status, body) = live
        .api(
            Method::PUT,
            &format!("/meetings/{encoded}/recordings/status"),
            Some(json!({"action": "recover"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        file_types(&live.api(Method::GET, &recordings, None).await.1).len(),
        3
    );

    let (status, _) = live
        .api(Method::DELETE, &format!("{recordings}?action=delete"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, trash) = live
        .api(
            Method::GET,
            &format!("/users/{HOST}/recordings?trash=true"),
            None,
        )
        .await;
    assert_eq!(trash["total_records"], 0);
    let (status, body) = live
        .api(Method::DELETE, &format!("{recordings}?action=shred"), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn retention_moves_recordings_to_the_trash_then_deletes_them() {
    let mut acct = account();
    acct.live = LiveConfig {
        recordings: RecordingPolicy {
            retention_days: Some(7),
            ..RecordingPolicy::default()
        },
        ..LiveConfig::default()
    };
    let live = Live::with_account(acct).await;
    let id = recorded_meeting(&live, 5).await;
    let recordings = format!("/meetings/{id}/recordings");
    let (_, rec) = live.api(Method::GET, &recordings, None).await;
    assert_eq!(rec["auto_delete"], true);
    assert_eq!(rec["auto_delete_date"], "2026-12-11");
    live.advance(7 * 86_400).await;
    assert_eq!(
        live.api(Method::GET, &recordings, None).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, trash) = live
        .api(
            Method::GET,
            &format!("/users/{HOST}/recordings?trash=true"),
            None,
        )
        .await;
    assert_eq!(trash["total_records"], 1);
    live.advance(30 * 86_400).await;
    let (_, trash) = live
        .api(
            Method::GET,
            &format!("/users/{HOST}/recordings?trash=true"),
            None,
        )
        .await;
    assert_eq!(trash["total_records"], 0);
}

#[tokio::test]
async fn a_full_cloud_storage_stops_new_recordings() {
    let mut acct = account();
    // Exactly one 10-minute recording fits.
    acct.live.recordings.cloud_storage_limit_bytes = Some(600 * (60_000 + 16_000 + 40));
    let live = Live::with_account(acct).await;
    recorded_meeting(&live, 10).await;
    // Auto-recording does not start: the room says why, nothing reaches the cloud.
    let id = live
        .meeting(json!({"waiting_room": false, "auto_recording": "cloud"}))
        .await;
    live.host_joins(id).await;
    let (_, room) = live
        .control(Method::GET, &format!("/meetings/{id}/room"), None)
        .await;
    assert_eq!(room["recording"]["recording"], false);
    assert!(
        room["recording"]["blocked"]
            .as_str()
            .unwrap()
            .contains("Not enough cloud storage")
    );
    // Starting it by hand is refused as Zoom refuses it.
    let (status, body) = live
        .api(
            Method::PATCH,
            &format!("/live_meetings/{id}/events"),
            Some(json!({"method": "recording.start"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], 3309);
    live.end_via_api(id).await;
    assert_eq!(
        live.api(Method::GET, &format!("/meetings/{id}/recordings"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn in_meeting_recording_control() {
    let live = Live::start().await;
    let id = live.meeting(json!({"waiting_room": false})).await;
    let events = format!("/live_meetings/{id}/events");
    let (status, body) = live
        .api(
            Method::PATCH,
            &events,
            Some(json!({"method": "recording.start"})),
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!(3001)),
        "not live yet"
    );
    live.host_joins(id).await;
    for (method, after) in [
        ("recording.start", 120),
        ("recording.pause", 60),
        ("recording.resume", 180),
        ("recording.stop", 60),
    ] {
        let (status, body) = live
            .api(Method::PATCH, &events, Some(json!({"method": method})))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{method}: {body}");
        live.advance(after).await;
    }
    let (status, body) = live
        .api(
            Method::PATCH,
            &events,
            Some(json!({"method": "waiting_room.update", "params": {"waiting_room_title": "Please wait"}})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let (_, room) = live
        .control(Method::GET, &format!("/meetings/{id}/room"), None)
        .await;
    assert_eq!(room["waiting_room_title"], "Please wait");
    for bad in [
        json!({"method": "recording.explode"}),
        json!({"method": "participant.invite", "params": {"contacts": []}}),
        json!({"params": {}}),
    ] {
        let (status, body) = live.api(Method::PATCH, &events, Some(bad.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["code"], 300);
    }
    let (status, _) = live
        .api(
            Method::PATCH,
            &events,
            Some(json!({"method": "participant.invite", "params": {"contacts": [{"email": "a@b.c"}]}})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    live.end_via_api(id).await;
    let (_, rec) = live
        .api(Method::GET, &format!("/meetings/{id}/recordings"), None)
        .await;
    // Two spans (start→pause, resume→stop): 2 × (MP4, M4A, TRANSCRIPT).
    assert_eq!(rec["recording_files"].as_array().unwrap().len(), 6, "{rec}");
    assert_eq!(rec["recording_files"][0]["file_size"], 120 * 60_000);
    assert_eq!(rec["recording_files"][3]["file_size"], 180 * 60_000);
}

#[test]
fn the_live_section_of_an_account_reads_from_yaml_and_is_checked() {
    let yaml = r#"
accounts:
  - id: acct-1
    live:
      zak_policy: host_zak_only
      recordings: {cloud_storage_limit_bytes: 1000000, retention_days: 30}
"#;
    let config = fake_zoom::config::FakeConfig::from_yaml(yaml).unwrap();
    let live = config.accounts[0].live;
    assert_eq!(
        live.zak_policy,
        fake_zoom::model::room::ZakPolicy::HostZakOnly
    );
    assert_eq!(live.recordings.cloud_storage_limit_bytes, Some(1_000_000));
    assert_eq!(live.recordings.retention_days, Some(30));
    let zero = yaml.replace("retention_days: 30", "retention_days: 0");
    let err = fake_zoom::config::FakeConfig::from_yaml(&zero).unwrap_err();
    assert!(err.to_string().contains("retention_days"), "{err}");
    let typo = yaml.replace("zak_policy", "zak_polcy");
    assert!(fake_zoom::config::FakeConfig::from_yaml(&typo).is_err());
}

#[tokio::test]
async fn an_absurd_retention_period_is_refused_and_the_longest_accepted_one_works() {
    let with_retention = |days: u32| {
        let mut acct = account();
        acct.live = LiveConfig {
            recordings: RecordingPolicy {
                retention_days: Some(days),
                ..RecordingPolicy::default()
            },
            ..LiveConfig::default()
        };
        acct
    };
    for days in [36_501, u32::MAX] {
        let mut config = fake_zoom::config::FakeConfig::new();
        config.accounts.push(with_retention(days));
        let err = match fake_zoom::FakeZoom::builder().config(config).start().await {
            Ok(_) => panic!("retention_days {days} was accepted"),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains(&format!("recordings.retention_days is {days}"))
                && err.contains("at most 36500"),
            "{err}"
        );
    }
    // The same check guards `fake-zoom serve --config` and scenario setups (YAML).
    let yaml = "accounts:\n  - id: a\n    live: {recordings: {retention_days: 4294967295}}\n";
    let err = fake_zoom::config::FakeConfig::from_yaml(yaml).unwrap_err();
    assert!(err.to_string().contains("at most 36500"), "{err}");

    // 100 years is accepted; the recording's dates come out right and the sweep does not panic.
    let live = Live::with_account(with_retention(36_500)).await;
    let id = recorded_meeting(&live, 5).await;
    let (status, rec) = live
        .api(Method::GET, &format!("/meetings/{id}/recordings"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{rec}");
    assert_eq!(rec["auto_delete_date"], "2126-11-10");
    live.advance(86_400).await;
    let (status, list) = live
        .api(
            Method::GET,
            &format!("/users/{HOST}/recordings?from=2026-12-01"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total_records"], 1, "{list}");
}
