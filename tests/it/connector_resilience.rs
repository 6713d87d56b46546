//! Rate limits, server errors, dropped connections and timeouts: what is retried, what is
//! reported, and that a create-meeting is never duplicated.

use std::time::{Duration, Instant};

use fake_zoom::config::RateLimitConfig;
use fake_zoom::faults::{Fault, FaultRule};
use zoom_connector::{ConnectorConfig, CreateMeeting, ErrorKind, ZoomConnector};

use crate::connector_support::{
    Mode, OWNER, account, api_key_auth, config, connector, fake, fake_with, journal_text,
    meetings_with_topic, requests,
};

const CREATE: &str = "/v2/users/*/meetings";

#[tokio::test]
async fn per_second_429_waits_for_retry_after_and_creates_exactly_one_meeting() {
    let fake = fake().await;
    fake.inject_fault(
        FaultRule::new(
            CREATE,
            Fault::RateLimitStorm {
                retry_after_seconds: 1,
            },
        )
        .method("POST")
        .times(1),
    )
    .unwrap();
    let connector = connector(&fake, Mode::S2s);
    let started = Instant::now();
    let meeting = connector
        .create_meeting(OWNER, CreateMeeting::new("rate limited bridge"))
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was honoured ({:?})",
        started.elapsed()
    );
    assert!(meeting.id > 0);
    let statuses: Vec<u16> = fake
        .journal()
        .iter()
        .filter(|e| e.method == "POST" && e.path.starts_with("/v2/users/"))
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, vec![429, 201], "{}", journal_text(&fake));
    assert_eq!(meetings_with_topic(&fake, "rate limited bridge"), 1);
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_reported_with_the_wait() {
    let fake = fake().await;
    fake.inject_fault(
        FaultRule::new(
            CREATE,
            Fault::RateLimitStorm {
                retry_after_seconds: 120,
            },
        )
        .method("POST")
        .times(1),
    )
    .unwrap();
    let connector = connector(&fake, Mode::S2s);
    let err = connector
        .create_meeting(OWNER, CreateMeeting::new("too long a wait"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(
        requests(&fake, "POST", CREATE),
        1,
        "{}",
        journal_text(&fake)
    );
}

#[tokio::test]
async fn daily_per_host_cap_is_reported_not_retried() {
    let fake = fake_with(account().rate_limits(RateLimitConfig {
        daily_meeting_writes_per_user: 2,
        ..RateLimitConfig::default()
    }))
    .await;
    let connector = connector(&fake, Mode::S2s);
    for n in 0..2 {
        connector
            .create_meeting(OWNER, CreateMeeting::new(format!("bridge {n}")))
            .await
            .unwrap();
    }
    let err = connector
        .create_meeting(OWNER, CreateMeeting::new("one too many"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DailyLimit, "{err}");
    assert_eq!(err.http_status(), Some(429));
    assert!(err.fix().unwrap().contains("00:00 UTC"));
    assert_eq!(
        requests(&fake, "POST", CREATE),
        3,
        "{}",
        journal_text(&fake)
    );
}

#[tokio::test]
async fn server_error_on_create_is_not_retried() {
    let fake = fake().await;
    fake.inject_fault(
        FaultRule::new(
            CREATE,
            Fault::Status {
                status: 500,
                code: 500,
                message: "Internal error".into(),
            },
        )
        .method("POST")
        .times(1),
    )
    .unwrap();
    let connector = connector(&fake, Mode::S2s);
    let err = connector
        .create_meeting(OWNER, CreateMeeting::new("maybe created"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    assert_eq!(
        requests(&fake, "POST", CREATE),
        1,
        "{}",
        journal_text(&fake)
    );
}

#[tokio::test]
async fn dropped_connection_on_create_is_outcome_unknown_and_not_retried() {
    let fake = fake().await;
    fake.inject_fault(
        FaultRule::new(CREATE, Fault::DropConnection)
            .method("POST")
            .times(1),
    )
    .unwrap();
    let connector = connector(&fake, Mode::S2s);
    let err = connector
        .create_meeting(OWNER, CreateMeeting::new("dropped bridge"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
    assert!(meetings_with_topic(&fake, "dropped bridge") <= 1);
    assert!(
        requests(&fake, "POST", CREATE) <= 1,
        "{}",
        journal_text(&fake)
    );
}

#[tokio::test]
async fn timed_out_create_is_never_sent_twice() {
    let fake = fake().await;
    fake.inject_fault(
        FaultRule::new(CREATE, Fault::Latency { ms: 800 })
            .method("POST")
            .times(1),
    )
    .unwrap();
    let connector =
        ZoomConnector::new(config(&fake, api_key_auth()).with_timeout(Duration::from_millis(300)))
            .unwrap();
    let err = connector
        .create_meeting(OWNER, CreateMeeting::new("slow bridge"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
    assert!(err.to_string().contains("not retried"), "{err}");
    // Let the fake finish whatever it was doing, then count.
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert!(
        meetings_with_topic(&fake, "slow bridge") <= 1,
        "never duplicated"
    );
    assert!(
        requests(&fake, "POST", CREATE) <= 1,
        "{}",
        journal_text(&fake)
    );
}

#[tokio::test]
async fn idempotent_reads_are_retried_through_server_errors_and_drops() {
    let fake = fake().await;
    let connector = connector(&fake, Mode::S2s);
    let meeting = connector
        .create_meeting(OWNER, CreateMeeting::new("read me"))
        .await
        .unwrap();
    fake.inject_fault(
        FaultRule::new(
            "/v2/meetings/*",
            Fault::Status {
                status: 503,
                code: 503,
                message: "Service unavailable".into(),
            },
        )
        .method("GET")
        .times(2),
    )
    .unwrap();
    let read = connector.get_meeting(meeting.id).await.unwrap();
    assert_eq!(read.id, meeting.id);
    fake.inject_fault(
        FaultRule::new("/v2/meetings/*", Fault::DropConnection)
            .method("GET")
            .times(1),
    )
    .unwrap();
    connector.get_meeting(meeting.id).await.unwrap();
}

#[tokio::test]
async fn connection_refused_is_a_network_error_after_retries() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let config = ConnectorConfig::new(api_key_auth())
        .with_api_base_url(format!("http://127.0.0.1:{port}/v2"))
        .with_oauth_url(format!("http://127.0.0.1:{port}/oauth/token"))
        .with_retry(crate::connector_support::quick_retry());
    let connector = ZoomConnector::new(config).unwrap();
    let err = connector
        .create_meeting(OWNER, CreateMeeting::new("nowhere"))
        .await
        .unwrap_err();
    // Nothing was sent, so even the create was retried, and it is not "outcome unknown".
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
}

/// A stand-in Zoom whose create-meeting answers the given 429s first, then 201; counts calls.
async fn stand_in(
    answers: Vec<(Vec<(&'static str, String)>, &'static str)>,
) -> (
    String,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
    tokio::task::JoinHandle<()>,
) {
    use axum::Router;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use axum::routing::post;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let calls = Arc::new(AtomicUsize::new(0));
    let answers = Arc::new(answers);
    let counter = calls.clone();
    let app = Router::new().route(
        "/v2/users/{id}/meetings",
        post(move || {
            let calls = counter.clone();
            let answers = answers.clone();
            async move {
                let n = calls.fetch_add(1, Ordering::SeqCst);
                match answers.get(n) {
                    Some((headers, message)) => {
                        let mut response = (
                            StatusCode::TOO_MANY_REQUESTS,
                            axum::Json(serde_json::json!({"code": 429, "message": message})),
                        )
                            .into_response();
                        for (name, value) in headers {
                            response.headers_mut().insert(*name, value.parse().unwrap());
                        }
                        response
                    }
                    None => (
                        StatusCode::CREATED,
                        axum::Json(serde_json::json!({
                            "id": 123456789u64, "uuid": "u==", "topic": "stand-in", "type": 2,
                            "join_url": "https://zoom.example/j/123456789"
                        })),
                    )
                        .into_response(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v2"), calls, server)
}

fn stand_in_connector(api: String) -> ZoomConnector {
    ZoomConnector::new(
        ConnectorConfig::new(api_key_auth())
            .with_api_base_url(api)
            .with_retry(crate::connector_support::quick_retry()),
    )
    .unwrap()
}

const PER_SECOND: &str =
    "You have reached the maximum per-second rate limit for this API. Try again later.";

#[tokio::test]
async fn retry_after_as_http_date_and_as_iso_timestamp_are_honoured() {
    use time::format_description::well_known::{Rfc2822, Rfc3339};
    // Dates have one-second resolution: two seconds ahead means a wait of more than one.
    let ahead = || time::OffsetDateTime::now_utc() + time::Duration::seconds(2);
    let http_date = || {
        let value = ahead()
            .format(&time::macros::format_description!(
                "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
            ))
            .unwrap();
        assert!(
            time::OffsetDateTime::parse(&value, &Rfc2822).is_ok(),
            "{value}"
        );
        value
    };
    let iso = || {
        ahead()
            .replace_nanosecond(0)
            .unwrap()
            .format(&Rfc3339)
            .unwrap()
    };
    let forms: [&dyn Fn() -> String; 2] = [&http_date, &iso];
    for form in forms {
        // Computed just before use: a date is a deadline, not a duration.
        let value = form();
        let (api, calls, server) =
            stand_in(vec![(vec![("retry-after", value.clone())], PER_SECOND)]).await;
        let started = Instant::now();
        stand_in_connector(api)
            .create_meeting(OWNER, CreateMeeting::new("stand-in"))
            .await
            .unwrap();
        assert!(
            started.elapsed() >= Duration::from_millis(1000),
            "Retry-After: {value} waited only {:?}",
            started.elapsed()
        );
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
        server.abort();
    }
}

#[tokio::test]
async fn daily_limit_header_is_reported_with_its_retry_after_and_not_retried() {
    let tomorrow = (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .replace_time(time::Time::MIDNIGHT)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (api, calls, server) = stand_in(vec![(
        vec![
            ("x-ratelimit-type", "Daily-limit".to_string()),
            ("retry-after", tomorrow),
        ],
        "Too many requests.",
    )])
    .await;
    let err = stand_in_connector(api)
        .create_meeting(OWNER, CreateMeeting::new("stand-in"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DailyLimit, "{err}");
    let wait = err.retry_after().expect("the wait until Zoom's reset");
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(86_400),
        "{wait:?}"
    );
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    server.abort();
}

#[tokio::test]
async fn per_second_429s_give_up_after_the_attempt_budget() {
    let storm: Vec<_> = (0..10)
        .map(|_| (vec![("retry-after", "0".to_string())], PER_SECOND))
        .collect();
    let (api, calls, server) = stand_in(storm).await;
    let err = stand_in_connector(api)
        .create_meeting(OWNER, CreateMeeting::new("stand-in"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
    assert_eq!(
        calls.load(std::sync::atomic::Ordering::SeqCst),
        crate::connector_support::quick_retry().max_attempts as usize
    );
    server.abort();
}
