//! `fake-zoom serve`'s configurations: the default one and the README's YAML example.

use reqwest::Method;
use serde_json::json;

use fake_zoom::{FakeConfig, FakeZoom};

#[test]
fn the_readme_yaml_example_parses() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## fake-zoom serve")
        .nth(1)
        .expect("README has the section");
    let yaml = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a yaml block");
    let config = FakeConfig::from_yaml(yaml).unwrap();
    assert_eq!(config.accounts[0].apps.len(), 3);
    assert_eq!(config.accounts[0].users[1].user_type, 2);
    assert!(matches!(
        config.clock,
        fake_zoom::ClockConfig::Paused { .. }
    ));
}

#[test]
fn bad_yaml_is_a_clear_error() {
    let err = FakeConfig::from_yaml("accounts:\n  - id: a\n    plann: pro\n").unwrap_err();
    assert!(err.to_string().contains("plann"), "{err}");
    let mixed = "accounts:\n  - id: a\n    apps:\n      - name: x\n        auth: {kind: server_to_server_oauth, client_id: c, client_secret: s}\n        scopes: [meeting:write, meeting:write:meeting]\n";
    assert!(
        FakeConfig::from_yaml(mixed)
            .unwrap_err()
            .to_string()
            .contains("mix")
    );
}

#[tokio::test]
async fn the_default_configuration_serves_the_readme_flow() {
    let fake = FakeZoom::builder()
        .config(FakeConfig::default_serve())
        .start()
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let token: serde_json::Value = client
        .post(format!(
            "{}?grant_type=account_credentials&account_id=fake-account-1",
            fake.oauth_token_url()
        ))
        .basic_auth("fake-s2s-client-id", Some("fake-s2s-client-secret"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap();
    let (status, meeting) = crate::fake_support::call(
        &fake,
        Method::POST,
        "/users/me/meetings",
        token,
        Some(json!({"topic": "SEV1 bridge", "type": 2, "duration": 30, "settings": {"waiting_room": true}})),
    )
    .await;
    assert_eq!(status, 201);
    let id = meeting["id"].as_u64().unwrap();
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/meetings/{id}"),
            Some(json!({"topic": "SEV1 bridge (mitigated)"})),
        ),
        (
            Method::PUT,
            format!("/meetings/{id}/status"),
            Some(json!({"action": "end"})),
        ),
        (Method::DELETE, format!("/meetings/{id}"), None),
    ] {
        assert_eq!(
            crate::fake_support::call(&fake, method, &path, token, body)
                .await
                .0,
            204
        );
    }
    // The API Key app of the default configuration works too, and cannot get a ZAK.
    let jwt = crate::fake_support::jwt(&fake, "fake-api-key", "fake-api-secret", 60);
    assert_eq!(
        crate::fake_support::call(&fake, Method::GET, "/users/me", &jwt, None)
            .await
            .0,
        200
    );
    assert_eq!(
        crate::fake_support::call(&fake, Method::GET, "/users/me/zak", &jwt, None)
            .await
            .0,
        400
    );
}
