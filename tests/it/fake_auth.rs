//! The fake's authentication: `/oauth/token` grants and errors, API Key/Secret JWTs, token
//! expiry on the fake's clock, revocation, scope checks in both models.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::fake_support::*;

#[tokio::test]
async fn account_credentials_in_query_or_form_with_basic_auth() {
    let fake = start().await;
    for in_query in [true, false] {
        let mut request = client()
            .post(fake.oauth_token_url())
            .basic_auth(S2S_ID, Some(S2S_SECRET));
        let params = [
            ("grant_type", "account_credentials"),
            ("account_id", ACCOUNT),
        ];
        request = if in_query {
            request.query(&params)
        } else {
            request.form(&params)
        };
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "bearer");
        assert_eq!(body["expires_in"], 3599);
        assert_eq!(body["api_url"], fake.base_url());
        let scope = body["scope"].as_str().unwrap();
        assert!(
            scope.split(' ').any(|s| s == "meeting:write:meeting:admin"),
            "{scope}"
        );
        assert!(body.get("refresh_token").is_none());
    }
    // Several tokens are valid at once.
    let a = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let b = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    assert_ne!(a, b);
    for token in [&a, &b] {
        assert_eq!(
            call(&fake, Method::GET, "/users/me", token, None).await.0,
            200
        );
    }
}

#[tokio::test]
async fn token_endpoint_errors_use_reason_and_error() {
    let fake = start().await;
    let post = |id: &str, secret: &str, params: Vec<(&'static str, &'static str)>| {
        client()
            .post(fake.oauth_token_url())
            .basic_auth(id.to_string(), Some(secret.to_string()))
            .query(&params)
            .send()
    };
    let cases: Vec<(reqwest::Response, Value)> = vec![
        (
            post(
                S2S_ID,
                "wrong",
                vec![
                    ("grant_type", "account_credentials"),
                    ("account_id", ACCOUNT),
                ],
            )
            .await
            .unwrap(),
            json!({"reason": "Invalid client_id or client_secret", "error": "invalid_client"}),
        ),
        (
            post(
                "nobody",
                "x",
                vec![
                    ("grant_type", "account_credentials"),
                    ("account_id", ACCOUNT),
                ],
            )
            .await
            .unwrap(),
            json!({"reason": "Invalid client_id or client_secret", "error": "invalid_client"}),
        ),
        (
            post(S2S_ID, S2S_SECRET, vec![("grant_type", "password")])
                .await
                .unwrap(),
            json!({"reason": "Grant type is not supported from token endpoint.", "error": "unsupported_grant_type"}),
        ),
        (
            post(
                S2S_ID,
                S2S_SECRET,
                vec![("grant_type", "account_credentials")],
            )
            .await
            .unwrap(),
            json!({"reason": "Missing account_id", "error": "invalid_request"}),
        ),
        (
            post(
                S2S_ID,
                S2S_SECRET,
                vec![
                    ("grant_type", "account_credentials"),
                    ("account_id", "other"),
                ],
            )
            .await
            .unwrap(),
            json!({"reason": "Invalid account_id", "error": "invalid_request"}),
        ),
        (
            // An API Key app has no OAuth client.
            post(
                API_KEY,
                API_SECRET,
                vec![
                    ("grant_type", "account_credentials"),
                    ("account_id", ACCOUNT),
                ],
            )
            .await
            .unwrap(),
            json!({"reason": "Invalid client_id or client_secret", "error": "invalid_client"}),
        ),
    ];
    for (response, expected) in cases {
        assert_eq!(response.status(), 400);
        assert_eq!(response.json::<Value>().await.unwrap(), expected);
    }
    let missing = client()
        .post(fake.oauth_token_url())
        .query(&[
            ("grant_type", "account_credentials"),
            ("account_id", ACCOUNT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    assert_eq!(
        missing.json::<Value>().await.unwrap(),
        json!({"reason": "Client ID or client secret is missing.", "error": "invalid_request"})
    );
}

#[tokio::test]
async fn bearer_errors_are_401_code_124() {
    let fake = start().await;
    let url = format!("{}/users/me", fake.api_base_url());
    let none = client().get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(
        none.json::<Value>().await.unwrap(),
        json!({"code": 124, "message": "Requires an access token."})
    );
    for header in ["Bearer None", "Bearer garbage", "Basic abc"] {
        let r = client()
            .get(&url)
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{header}");
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            json!({"code": 124, "message": "Invalid access token."})
        );
    }
}

#[tokio::test]
async fn oauth_tokens_expire_after_an_hour_of_the_fake_clock() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    fake.advance(Duration::from_secs(3599));
    assert_eq!(
        call(&fake, Method::GET, "/users/me", &token, None).await.0,
        200
    );
    fake.advance(Duration::from_secs(1));
    let (status, body) = call(&fake, Method::GET, "/users/me", &token, None).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"code": 124, "message": "Access token is expired."})
    );
}

#[tokio::test]
async fn api_key_jwt_signature_expiry_and_issuer() {
    let fake = start().await;
    let good = jwt(&fake, API_KEY, API_SECRET, 60);
    let (status, user) = call(&fake, Method::GET, "/users/me", &good, None).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["id"], "u-owner");

    let wrong_secret = jwt(&fake, API_KEY, "not-the-secret", 60);
    let unknown_key = jwt(&fake, "who", API_SECRET, 60);
    for token in [wrong_secret, unknown_key] {
        let (status, body) = call(&fake, Method::GET, "/users/me", &token, None).await;
        assert_eq!(
            (status, body),
            (
                401,
                json!({"code": 124, "message": "Invalid access token."})
            )
        );
    }
    fake.advance(Duration::from_secs(61));
    let (status, body) = call(&fake, Method::GET, "/users/me", &good, None).await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"code": 124, "message": "Access token is expired."})
        )
    );
}

#[tokio::test]
async fn api_key_app_cannot_get_a_zak_or_obf() {
    let fake = start().await;
    let token = jwt(&fake, API_KEY, API_SECRET, 60);
    let oauth_only =
        json!({"code": 124, "message": "This API only supports OAuth2 authorization."});
    for path in [
        "/users/me/zak",
        "/users/me/token?type=zak",
        "/users/u-owner/token?type=onbehalf",
    ] {
        let (status, body) = call(&fake, Method::GET, path, &token, None).await;
        assert_eq!((status, &body), (400, &oauth_only), "{path}");
    }
    // OAuth gets one.
    let s2s = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let (status, body) = call(&fake, Method::GET, "/users/me/token?type=zak", &s2s, None).await;
    assert_eq!(status, 200);
    assert!(body["token"].as_str().unwrap().len() > 20);
    let (status, _) = call(&fake, Method::GET, "/users/me/zak", &s2s, None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn zak_lifetimes_follow_the_fake_clock() {
    let fake = start().await;
    let s2s = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let zak = |body: Value| body["token"].as_str().unwrap().to_string();
    let (_, long) = call(
        &fake,
        Method::GET,
        "/users/u-member/token?type=zak",
        &s2s,
        None,
    )
    .await;
    let (_, short) = call(&fake, Method::GET, "/users/me/zak", &s2s, None).await;
    let (long, short) = (zak(long), zak(short));
    let tokens = &fake.state().tokens;
    use fake_zoom::auth::tokens::{UserTokenError, UserTokenKind};
    assert!(
        tokens
            .use_user_token(&short, UserTokenKind::Zak, fake.now())
            .is_ok()
    );
    fake.advance(Duration::from_secs(300));
    assert_eq!(
        tokens
            .use_user_token(&short, UserTokenKind::Zak, fake.now())
            .unwrap_err(),
        UserTokenError::Expired
    );
    assert!(
        tokens
            .use_user_token(&long, UserTokenKind::Zak, fake.now())
            .is_ok()
    );
    fake.advance(Duration::from_secs(7200));
    assert!(
        tokens
            .use_user_token(&long, UserTokenKind::Zak, fake.now())
            .is_err()
    );
}

#[tokio::test]
async fn scopes_are_checked_in_both_models_and_name_granular_scopes() {
    let fake = start().await;
    let classic = s2s_token(&fake, CLASSIC_ID, CLASSIC_SECRET).await;
    let granular = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let narrow = s2s_token(&fake, NARROW_ID, NARROW_SECRET).await;
    for token in [&classic, &granular, &narrow] {
        create_meeting(&fake, token, "me", json!({"topic": "t"})).await;
    }
    // The classic app lacks user_zak:read; the error names the granular scopes.
    let (status, body) = call(&fake, Method::GET, "/users/me/zak", &classic, None).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"code": 4711, "message": "Invalid access token, does not contain scopes:[user:read:zak, user:read:zak:admin]."})
    );
    // user:read:admin (classic) covers the user token endpoint.
    assert_eq!(
        call(
            &fake,
            Method::GET,
            "/users/me/token?type=zak",
            &classic,
            None
        )
        .await
        .0,
        200
    );
    let (status, body) = call(
        &fake,
        Method::GET,
        "/users/me/token?type=zak",
        &narrow,
        None,
    )
    .await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"code": 4711, "message": "Invalid access token, does not contain scopes:[user:read:token, user:read:token:admin]."})
        )
    );
    // Acting on another user's meetings needs the admin scope.
    let (status, body) = call(
        &fake,
        Method::POST,
        "/users/u-member/meetings",
        &narrow,
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"code": 4711, "message": "Invalid access token, does not contain scopes:[meeting:write:meeting:admin]."})
    );
    let member_meeting = create_meeting(&fake, &granular, "u-member", json!({})).await;
    let (status, body) = call(
        &fake,
        Method::GET,
        &format!("/meetings/{member_meeting}"),
        &narrow,
        None,
    )
    .await;
    assert_eq!((status, body["code"].clone()), (400, json!(4711)));
    let (status, _) = call(
        &fake,
        Method::DELETE,
        &format!("/meetings/{member_meeting}"),
        &narrow,
        None,
    )
    .await;
    assert_eq!(status, 400);
    // Users list is admin-only in the granular model.
    let (status, body) = call(&fake, Method::GET, "/users", &narrow, None).await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"code": 4711, "message": "Invalid access token, does not contain scopes:[user:read:list_users:admin]."})
        )
    );
    assert_eq!(
        call(&fake, Method::GET, "/users", &classic, None).await.0,
        200
    );
}

#[tokio::test]
async fn scope_changes_and_revocation_apply_at_once() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    fake.set_app_scopes(S2S_ID, strings(&["meeting:read:meeting:admin"]))
        .unwrap();
    let (status, body) = call(
        &fake,
        Method::POST,
        "/users/me/meetings",
        &token,
        Some(json!({})),
    )
    .await;
    assert_eq!((status, body["code"].clone()), (400, json!(4711)));
    assert!(
        fake.set_app_scopes(S2S_ID, strings(&["meeting:read", "meeting:read:meeting"]))
            .is_err()
    );
    assert!(fake.set_app_scopes("nobody", vec![]).is_err());

    fake.revoke_tokens(S2S_ID).unwrap();
    let (status, body) = call(&fake, Method::GET, "/users/me", &token, None).await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"code": 124, "message": "Invalid access token."})
        )
    );

    let jwt_before = jwt(&fake, API_KEY, API_SECRET, 600);
    fake.advance(Duration::from_secs(1));
    fake.revoke_tokens(API_KEY).unwrap();
    assert_eq!(
        call(&fake, Method::GET, "/users/me", &jwt_before, None)
            .await
            .0,
        401
    );
    fake.advance(Duration::from_secs(1));
    let jwt_after = jwt(&fake, API_KEY, API_SECRET, 600);
    assert_eq!(
        call(&fake, Method::GET, "/users/me", &jwt_after, None)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn user_oauth_code_and_rotating_refresh_token() {
    let fake = start().await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let authorize = no_redirect
        .get(format!("{}/oauth/authorize", fake.base_url()))
        .query(&[
            ("response_type", "code"),
            ("client_id", USER_APP_ID),
            ("redirect_uri", REDIRECT),
            ("state", "xyz"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(authorize.status(), 302);
    let location = authorize.headers()["location"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        location.starts_with(REDIRECT) && location.contains("state=xyz"),
        "{location}"
    );
    let code = location
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();

    let exchange = |params: Vec<(&'static str, String)>| {
        client()
            .post(fake.oauth_token_url())
            .basic_auth(USER_APP_ID, Some(USER_APP_SECRET))
            .form(&params)
            .send()
    };
    let body: Value = exchange(vec![
        ("grant_type", "authorization_code".into()),
        ("code", code.clone()),
        ("redirect_uri", REDIRECT.into()),
    ])
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let access = body["access_token"].as_str().unwrap().to_string();
    let refresh1 = body["refresh_token"].as_str().unwrap().to_string();
    let (_, me) = call(&fake, Method::GET, "/users/me/zak", &access, None).await;
    assert!(me["token"].is_string());

    // The code is single-use.
    let reused = exchange(vec![
        ("grant_type", "authorization_code".into()),
        ("code", code),
        ("redirect_uri", REDIRECT.into()),
    ])
    .await
    .unwrap();
    assert_eq!(reused.status(), 400);
    assert_eq!(
        reused.json::<Value>().await.unwrap(),
        json!({"reason": "Invalid Token!", "error": "invalid_grant"})
    );

    let rotated: Value = exchange(vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", refresh1.clone()),
    ])
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let refresh2 = rotated["refresh_token"].as_str().unwrap();
    assert_ne!(refresh2, refresh1);
    let old = exchange(vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", refresh1),
    ])
    .await
    .unwrap();
    assert_eq!(old.status(), 400);
    assert_eq!(
        old.json::<Value>().await.unwrap(),
        json!({"reason": "Invalid Token!", "error": "invalid_grant"})
    );
    // `me` is the authorizing user for user-level apps.
    let token = rotated["access_token"].as_str().unwrap();
    let id = create_meeting(&fake, token, "me", json!({})).await;
    let (_, meeting) = call(&fake, Method::GET, &format!("/meetings/{id}"), token, None).await;
    assert_eq!(meeting["host_id"], "u-member");
}

#[tokio::test]
async fn journal_scrubs_secrets() {
    let fake = start().await;
    let token = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let response = client()
        .post(fake.oauth_token_url())
        .basic_auth(S2S_ID, Some(S2S_SECRET))
        .form(&[
            ("grant_type", "account_credentials"),
            ("account_id", ACCOUNT),
            ("client_secret", S2S_SECRET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, zak) = call(&fake, Method::GET, "/users/me/token?type=zak", &token, None).await;
    let journal = fake.journal();
    let text = serde_json::to_string(&journal).unwrap();
    for secret in [S2S_SECRET, token.as_str(), zak["token"].as_str().unwrap()] {
        assert!(!text.contains(secret), "journal leaks a secret: {text}");
    }
    let token_requests = journal.iter().filter(|e| e.path == "/oauth/token").count();
    assert_eq!(token_requests, 2);
    assert!(
        journal
            .iter()
            .all(|e| e.account_id.as_deref() == Some(ACCOUNT))
    );
    assert!(
        !serde_json::to_string(&fake.snapshot())
            .unwrap()
            .contains(S2S_SECRET)
    );
}

#[tokio::test]
async fn obf_tokens_are_single_use_and_bound_to_a_meeting() {
    let fake = start().await;
    let s2s = s2s_token(&fake, S2S_ID, S2S_SECRET).await;
    let (status, body) = call(
        &fake,
        Method::GET,
        "/users/u-member/token?type=onbehalf&meeting_id=81000000001&ttl=600",
        &s2s,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let obf = body["token"].as_str().unwrap().to_string();
    use fake_zoom::auth::tokens::{UserTokenError, UserTokenKind};
    let tokens = &fake.state().tokens;
    assert_eq!(
        tokens
            .use_user_token(&obf, UserTokenKind::Zak, fake.now())
            .unwrap_err(),
        UserTokenError::Invalid
    );
    let used = tokens
        .use_user_token(&obf, UserTokenKind::Obf, fake.now())
        .unwrap();
    assert_eq!(
        (used.user_id.as_str(), used.meeting_id),
        ("u-member", Some(81000000001))
    );
    assert_eq!(
        tokens
            .use_user_token(&obf, UserTokenKind::Obf, fake.now())
            .unwrap_err(),
        UserTokenError::AlreadyUsed
    );
    assert_eq!(
        call(
            &fake,
            Method::GET,
            "/users/me/token?type=onbehalf&meeting_id=abc",
            &s2s,
            None
        )
        .await,
        (
            400,
            json!({"code": 300, "message": "Invalid parameter: meeting_id."})
        )
    );
    assert_eq!(
        call(
            &fake,
            Method::GET,
            "/users/me/token?type=zak&ttl=31536001",
            &s2s,
            None
        )
        .await,
        (
            400,
            json!({"code": 300, "message": "Invalid parameter: ttl."})
        )
    );
    assert_eq!(
        call(&fake, Method::GET, "/users/me/token?type=bogus", &s2s, None).await,
        (
            400,
            json!({"code": 300, "message": "Validation Failed.", "errors": [{"field": "type", "message": "Invalid field."}]})
        )
    );
}

#[tokio::test]
async fn authorize_errors_pkce_and_code_expiry() {
    let fake = start().await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let authorize = |params: Vec<(&'static str, &'static str)>| {
        no_redirect
            .get(format!("{}/oauth/authorize", fake.base_url()))
            .query(&params)
            .send()
    };
    let wrong_redirect = authorize(vec![
        ("response_type", "code"),
        ("client_id", USER_APP_ID),
        ("redirect_uri", "https://evil.example.com"),
    ])
    .await
    .unwrap();
    assert_eq!(wrong_redirect.status(), 400);
    assert_eq!(
        wrong_redirect.json::<Value>().await.unwrap(),
        json!({"reason": "Redirect URI mismatch.", "error": "invalid_request"})
    );
    let unknown = authorize(vec![
        ("response_type", "code"),
        ("client_id", "nobody"),
        ("redirect_uri", REDIRECT),
    ])
    .await
    .unwrap();
    assert_eq!(unknown.status(), 400);
    let s2s_app = authorize(vec![
        ("response_type", "code"),
        ("client_id", S2S_ID),
        ("redirect_uri", REDIRECT),
    ])
    .await
    .unwrap();
    assert_eq!(
        s2s_app.json::<Value>().await.unwrap()["error"],
        "unsupported_grant_type"
    );

    // PKCE (S256): the verifier "abc" hashes to this challenge.
    let challenge = "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0";
    let response = no_redirect
        .get(format!("{}/oauth/authorize", fake.base_url()))
        .query(&[
            ("response_type", "code"),
            ("client_id", USER_APP_ID),
            ("redirect_uri", REDIRECT),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    let code_of = |r: &reqwest::Response| {
        let location = r.headers()["location"].to_str().unwrap().to_string();
        location
            .split("code=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_string()
    };
    let code = code_of(&response);
    let exchange = |code: String, verifier: &'static str| {
        client()
            .post(fake.oauth_token_url())
            .basic_auth(USER_APP_ID, Some(USER_APP_SECRET))
            .form(&[
                ("grant_type", "authorization_code".to_string()),
                ("code", code),
                ("redirect_uri", REDIRECT.to_string()),
                ("code_verifier", verifier.to_string()),
            ])
            .send()
    };
    // A wrong verifier, or another app presenting the code, does not use it up.
    assert_eq!(exchange(code.clone(), "wrong").await.unwrap().status(), 400);
    let thief = client()
        .post(fake.oauth_token_url())
        .basic_auth(S2S_ID, Some(S2S_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(thief.status(), 400);
    let ok = exchange(code, "abc").await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<Value>().await.unwrap()["token_type"], "bearer");
    // Codes live five minutes of the fake's clock.
    let response = authorize(vec![
        ("response_type", "code"),
        ("client_id", USER_APP_ID),
        ("redirect_uri", REDIRECT),
    ])
    .await
    .unwrap();
    let code = code_of(&response);
    fake.advance(Duration::from_secs(301));
    let late = client()
        .post(fake.oauth_token_url())
        .basic_auth(USER_APP_ID, Some(USER_APP_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        late.json::<Value>().await.unwrap(),
        json!({"reason": "Invalid Token!", "error": "invalid_grant"})
    );
}
