//! Bad input never gets a 5xx, a hang or a non-Zoom body: random JSON bodies, random path
//! segments and random query strings against the meeting and user routes.

use proptest::prelude::*;
use reqwest::Method;
use serde_json::Value;

use crate::fake_support::*;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("topic"),
            Just("2026-12-04T10:00:00Z"),
            Just("1,3"),
            Just("cloud"),
            Just("custom")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("topic"),
                        Just("type"),
                        Just("duration"),
                        Just("start_time"),
                        Just("password"),
                        Just("settings"),
                        Just("recurrence"),
                        Just("waiting_room"),
                        Just("jbh_time"),
                        Just("weekly_days"),
                        Just("end_times"),
                        Just("monthly_day"),
                        Just("meeting_invitees"),
                        Just("waiting_room_options"),
                        Just("mode"),
                        Just("email"),
                        Just("action"),
                    ],
                    inner,
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(
                pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        prop::collection::vec(any::<u8>(), 0..64),
    ]
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,20}",
        "[A-Za-z0-9%._~-]{1,16}",
        Just("me".to_string()),
        Just("-1".to_string())
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn bad_input_gets_a_zoom_error_never_a_5xx(
        body in body_bytes(),
        id in segment(),
        query in "[a-z_=&0-9%]{0,24}",
        route in 0usize..6,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let fake = start().await;
            let token = jwt(&fake, API_KEY, API_SECRET, 600);
            let (method, path) = match route {
                0 => (Method::POST, format!("/users/{id}/meetings?{query}")),
                1 => (Method::PATCH, format!("/meetings/{id}?{query}")),
                2 => (Method::PUT, format!("/meetings/{id}/status")),
                3 => (Method::GET, format!("/users/{id}/meetings?{query}")),
                4 => (Method::POST, format!("/meetings/{id}/registrants?{query}")),
                _ => (Method::POST, format!("/users/me/webinars?{query}")),
            };
            let url = format!("{}{path}", fake.api_base_url());
            let response = client()
                .request(method.clone(), &url)
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(body.clone())
                .timeout(std::time::Duration::from_secs(10))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            prop_assert!(status < 500, "{method} {path} -> {status} {text}");
            if status >= 400 {
                let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                prop_assert!(parsed["code"].is_i64() && parsed["message"].is_string(), "{method} {path} -> {status} {text}");
            }
            Ok(())
        })?;
    }
}
