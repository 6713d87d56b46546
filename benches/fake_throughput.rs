//! Throughput of the fake's `POST /v2/users/{userId}/meetings` (token check, scopes, state,
//! journal) against a bare axum handler that returns a body of the same size, measured in the
//! same run by the same in-process load generator (a shared reqwest client, many concurrent
//! connections). Prints both rates and their ratio; the target is a ratio of at least 0.5.
//!
//! ```text
//! cargo bench --bench fake_throughput
//! FAKE_BENCH_SECONDS=10 FAKE_BENCH_CONCURRENCY=128 cargo bench --bench fake_throughput
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::post;
use fake_zoom::{AccountConfig, AppConfig, FakeZoom, RateLimitConfig, Role, UserConfig};
use serde_json::{Value, json};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn request_body() -> Value {
    json!({"topic": "SEV1 bridge", "type": 2, "duration": 30,
           "settings": {"waiting_room": true, "auto_recording": "cloud"}})
}

/// Drive `url` with `concurrency` workers for `seconds`; returns requests per second.
async fn load(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    concurrency: u64,
    seconds: u64,
) -> f64 {
    let body = serde_json::to_vec(&request_body()).unwrap();
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, url, token, body) = (
            client.clone(),
            url.to_string(),
            token.to_string(),
            body.clone(),
        );
        let (done, stop) = (done.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let response = client
                    .post(&url)
                    .bearer_auth(&token)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("request");
                assert_eq!(response.status(), StatusCode::CREATED);
                let _ = response.bytes().await.expect("body");
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    // Warm up, then count.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let start_count = done.load(Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let count = done.load(Ordering::Relaxed) - start_count;
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    count as f64 / elapsed
}

fn main() {
    let seconds = env_or("FAKE_BENCH_SECONDS", 5);
    let concurrency = env_or("FAKE_BENCH_CONCURRENCY", 64);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let fake = FakeZoom::builder()
            .account(
                AccountConfig::new("bench")
                    .rate_limits(RateLimitConfig::disabled())
                    .user(UserConfig::new("u-owner", "owner@example.com").role(Role::Owner))
                    .app(AppConfig::server_to_server("bench", "cid", "csecret", vec!["meeting:write:meeting:admin".into()])),
            )
            .start()
            .await
            .unwrap();
        let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency as usize).build().unwrap();
        let token: Value = client
            .post(format!("{}?grant_type=account_credentials&account_id=bench", fake.oauth_token_url()))
            .basic_auth("cid", Some("csecret"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = token["access_token"].as_str().unwrap().to_string();

        // The bare handler returns a body of the size the fake answers.
        let sample = client
            .post(format!("{}/users/me/meetings", fake.api_base_url()))
            .bearer_auth(&token)
            .json(&request_body())
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let canned = axum::body::Bytes::from(vec![b' '; sample.len()]);
        let bare = Router::new().route(
            "/v2/users/{user}/meetings",
            post(move || {
                let canned = canned.clone();
                async move { (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json")], canned) }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let bare_url = format!("http://{}/v2/users/me/meetings", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, bare).await.unwrap() });
        let fake_url = format!("{}/users/me/meetings", fake.api_base_url());

        println!("fake_throughput: {concurrency} concurrent connections, {seconds} s per round, body {} bytes", sample.len());
        let mut fake_rates = Vec::new();
        let mut bare_rates = Vec::new();
        for round in 1..=2 {
            let f = load(&client, &fake_url, &token, concurrency, seconds).await;
            let b = load(&client, &bare_url, &token, concurrency, seconds).await;
            println!("  round {round}: fake {f:>9.0} req/s   bare axum {b:>9.0} req/s   ratio {:.2}", f / b);
            fake_rates.push(f);
            bare_rates.push(b);
        }
        let f = fake_rates.iter().sum::<f64>() / fake_rates.len() as f64;
        let b = bare_rates.iter().sum::<f64>() / bare_rates.len() as f64;
        println!("fake_throughput: fake {f:.0} req/s, bare axum {b:.0} req/s, ratio {:.2} (target >= 0.50)", f / b);
        fake.shutdown().await;
    });
}
