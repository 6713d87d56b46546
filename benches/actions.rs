//! Create-meeting actions per second through the connector, against the embedded fake, beside a
//! raw reqwest call of the same request in the same run.
//!
//! Both sides send `POST /v2/users/{OWNER}/meetings` with the same JSON body and the same
//! bearer token to the same fake (rate limits off), one request at a time, so the difference is
//! the connector's own cost: input checks, serialising the typed request, the token cache,
//! the retry bookkeeping and decoding the typed `Meeting`.
//!
//! `cargo bench --bench actions` prints criterion's figures (time per action, `thrpt` in
//! actions/s) and then a summary line with both rates and their ratio from a timed loop.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use fake_zoom::FakeZoom;
use fake_zoom::config::{AccountConfig, AppConfig, FakeConfig, RateLimitConfig, Role, UserConfig};
use zoom_connector::{
    AuthConfig, AutoRecording, ConnectorConfig, CreateMeeting, MeetingSettings, SecretString,
    ZoomConnector,
};

const ACCOUNT: &str = "bench-account";
const OWNER: &str = "owner@example.com";
const CLIENT: (&str, &str) = ("bench-client", "bench-secret");

struct Setup {
    runtime: tokio::runtime::Runtime,
    fake: FakeZoom,
    connector: ZoomConnector,
    raw: reqwest::Client,
    raw_url: String,
    raw_token: String,
}

fn input() -> CreateMeeting {
    let mut input = CreateMeeting::new("INC-42 Database outage - Incident Bridge");
    input.agenda = Some("Severity SEV1: primary database unreachable".into());
    input.duration = Some(60);
    input.settings = MeetingSettings {
        join_before_host: Some(false),
        waiting_room: Some(true),
        auto_recording: Some(AutoRecording::Cloud),
        ..Default::default()
    };
    input
}

/// The exact body the connector sends for [`input`].
fn raw_body() -> serde_json::Value {
    serde_json::json!({
        "topic": "INC-42 Database outage - Incident Bridge",
        "type": 2,
        "duration": 60,
        "agenda": "Severity SEV1: primary database unreachable",
        "settings": {"join_before_host": false, "waiting_room": true, "auto_recording": "cloud"}
    })
}

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (fake, connector, raw, raw_url, raw_token) = runtime.block_on(async {
        let mut config = FakeConfig::new();
        config.accounts.push(
            AccountConfig::new(ACCOUNT)
                .user(UserConfig::new("u-owner", OWNER).role(Role::Owner))
                .app(AppConfig::server_to_server(
                    "bench",
                    CLIENT.0,
                    CLIENT.1,
                    vec!["meeting:write:meeting:admin".into()],
                ))
                .rate_limits(RateLimitConfig::disabled()),
        );
        let fake = FakeZoom::builder()
            .config(config)
            .start()
            .await
            .expect("fake starts");
        let connector = ZoomConnector::new(
            ConnectorConfig::new(AuthConfig::ServerToServerOAuth {
                account_id: ACCOUNT.into(),
                client_id: CLIENT.0.into(),
                client_secret: SecretString::from(CLIENT.1),
            })
            .with_api_base_url(fake.api_base_url())
            .with_oauth_url(fake.oauth_token_url()),
        )
        .expect("connector");
        let raw = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        let token: serde_json::Value = raw
            .post(fake.oauth_token_url())
            .basic_auth(CLIENT.0, Some(CLIENT.1))
            .form(&[
                ("grant_type", "account_credentials"),
                ("account_id", ACCOUNT),
            ])
            .send()
            .await
            .expect("token request")
            .json()
            .await
            .expect("token json");
        let raw_token = token["access_token"].as_str().expect("token").to_string();
        let raw_url = format!("{}/users/{OWNER}/meetings", fake.api_base_url());
        // Warm both paths (token cache, connection pools) and check they agree.
        let meeting = connector
            .create_meeting(OWNER, input())
            .await
            .expect("connector create");
        let raw_meeting = raw_create(&raw, &raw_url, &raw_token).await;
        assert_eq!(
            raw_meeting["topic"], meeting.topic,
            "same request both ways"
        );
        (fake, connector, raw, raw_url, raw_token)
    });
    Setup {
        runtime,
        fake,
        connector,
        raw,
        raw_url,
        raw_token,
    }
}

async fn raw_create(raw: &reqwest::Client, url: &str, token: &str) -> serde_json::Value {
    let response = raw
        .post(url)
        .bearer_auth(token)
        .json(&raw_body())
        .send()
        .await
        .expect("raw create");
    assert_eq!(response.status().as_u16(), 201);
    response.json().await.expect("raw json")
}

fn bench(c: &mut Criterion, setup: &Setup) {
    let mut group = c.benchmark_group("create_meeting");
    group.throughput(Throughput::Elements(1));
    group.bench_function("connector", |b| {
        b.to_async(&setup.runtime).iter(|| async {
            setup
                .connector
                .create_meeting(OWNER, input())
                .await
                .expect("create")
        })
    });
    group.bench_function("raw_reqwest", |b| {
        b.to_async(&setup.runtime)
            .iter(|| async { raw_create(&setup.raw, &setup.raw_url, &setup.raw_token).await })
    });
    group.finish();
}

/// A plain timed loop of both, alternating in rounds so that drift hits both alike.
fn summary(setup: &Setup, per_round: Duration, rounds: u32) {
    let mut connector_ops = 0u64;
    let mut connector_time = Duration::ZERO;
    let mut raw_ops = 0u64;
    let mut raw_time = Duration::ZERO;
    setup.runtime.block_on(async {
        for _ in 0..rounds {
            let start = Instant::now();
            while start.elapsed() < per_round {
                setup
                    .connector
                    .create_meeting(OWNER, input())
                    .await
                    .expect("create");
                connector_ops += 1;
            }
            connector_time += start.elapsed();
            let start = Instant::now();
            while start.elapsed() < per_round {
                raw_create(&setup.raw, &setup.raw_url, &setup.raw_token).await;
                raw_ops += 1;
            }
            raw_time += start.elapsed();
        }
    });
    let connector_rate = connector_ops as f64 / connector_time.as_secs_f64();
    let raw_rate = raw_ops as f64 / raw_time.as_secs_f64();
    println!(
        "summary: create_meeting via connector {connector_rate:.0} actions/s, raw reqwest \
         {raw_rate:.0} requests/s, connector/raw = {:.2}",
        connector_rate / raw_rate
    );
}

fn main() {
    let setup = setup();
    let mut criterion = Criterion::default()
        .sample_size(50)
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    bench(&mut criterion, &setup);
    criterion.final_summary();
    // `cargo test --benches` runs benches in test mode: skip the timed summary there.
    if !std::env::args().any(|a| a == "--test" || a == "--list") {
        summary(&setup, Duration::from_millis(500), 6);
    }
    setup.runtime.block_on(setup.fake.shutdown());
}
