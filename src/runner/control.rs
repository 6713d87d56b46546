//! A client of the fake's control API (`/_fake/`): what a scenario does that Zoom has no REST
//! call for (participants joining and being admitted, the host ending a meeting, the clock,
//! scope changes, faults, uninstalling the app), and the journal. Going over HTTP rather than
//! the Rust handle keeps `repro` and the runner on exactly the same path.

use serde_json::{Value, json};

use super::steps::StepError;

/// The control API of one fake.
#[derive(Debug, Clone)]
pub struct Control {
    base_url: String,
    client: reqwest::Client,
}

impl Control {
    /// A client for the fake at `base_url` (`http://127.0.0.1:PORT`).
    pub fn new(base_url: impl Into<String>) -> Self {
        Control {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            client: reqwest::Client::new(),
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, StepError> {
        let url = format!("{}{path}", self.base_url);
        let mut request = self.client.request(method.clone(), &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|error| {
            StepError::harness(format!("{method} {path}: the fake did not answer: {error}"))
        })?;
        let status = response.status();
        let text = response.text().await.map_err(|error| {
            StepError::harness(format!("{method} {path}: reading the answer: {error}"))
        })?;
        let value: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        if status.is_success() {
            Ok(value)
        } else {
            Err(StepError::fake(status.as_u16(), &value))
        }
    }

    /// `POST /_fake/clock/advance`.
    pub async fn advance(&self, seconds: u64) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::POST,
            "/_fake/clock/advance",
            Some(json!({ "seconds": seconds })),
        )
        .await
    }

    /// `GET /_fake/clock`.
    pub async fn clock(&self) -> Result<Value, StepError> {
        self.call(reqwest::Method::GET, "/_fake/clock", None).await
    }

    /// `PUT /_fake/apps/{app}/scopes`.
    pub async fn set_scopes(&self, app: &str, scopes: &[String]) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::PUT,
            &format!("/_fake/apps/{app}/scopes"),
            Some(json!({ "scopes": scopes })),
        )
        .await
    }

    /// `POST /_fake/apps/{app}/revoke_tokens`.
    pub async fn revoke_tokens(&self, app: &str) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::POST,
            &format!("/_fake/apps/{app}/revoke_tokens"),
            None,
        )
        .await
    }

    /// `POST /_fake/apps/{app}/uninstall`.
    pub async fn uninstall(&self, app: &str) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::POST,
            &format!("/_fake/apps/{app}/uninstall"),
            None,
        )
        .await
    }

    /// `POST /_fake/faults`.
    pub async fn inject_fault(&self, rule: &Value) -> Result<Value, StepError> {
        self.call(reqwest::Method::POST, "/_fake/faults", Some(rule.clone()))
            .await
    }

    /// `DELETE /_fake/faults`.
    pub async fn clear_faults(&self) -> Result<Value, StepError> {
        self.call(reqwest::Method::DELETE, "/_fake/faults", None)
            .await
    }

    /// `POST /_fake/meetings/{id}/participants`.
    pub async fn join(&self, meeting: u64, request: Value) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::POST,
            &format!("/_fake/meetings/{meeting}/participants"),
            Some(request),
        )
        .await
    }

    /// `GET /_fake/meetings/{id}/participants/{pid}`.
    pub async fn participant(&self, meeting: u64, participant: &str) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::GET,
            &format!("/_fake/meetings/{meeting}/participants/{participant}"),
            None,
        )
        .await
    }

    /// `POST /_fake/meetings/{id}/participants/{pid}/{admit|deny|waiting_room|remove}` by a host.
    pub async fn moderate(
        &self,
        meeting: u64,
        participant: &str,
        action: &str,
        by: &str,
    ) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::POST,
            &format!("/_fake/meetings/{meeting}/participants/{participant}/{action}"),
            Some(json!({ "by": by })),
        )
        .await
    }

    /// `POST /_fake/meetings/{id}/participants/{pid}/leave`.
    pub async fn leave(&self, meeting: u64, participant: &str) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::POST,
            &format!("/_fake/meetings/{meeting}/participants/{participant}/leave"),
            None,
        )
        .await
    }

    /// `POST /_fake/meetings/{id}/end`: the host ends the meeting from the client.
    pub async fn end_meeting(&self, meeting: u64) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::POST,
            &format!("/_fake/meetings/{meeting}/end"),
            None,
        )
        .await
    }

    /// `POST /_fake/webhooks/subscriptions`: the app's events go to `url`, signed with `secret`.
    pub async fn subscribe(&self, app: &str, url: &str, secret: &str) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::POST,
            "/_fake/webhooks/subscriptions",
            Some(json!({ "app": app, "url": url, "secret_token": secret })),
        )
        .await
    }

    /// `POST /_fake/webhooks/settle`: deliver every pending webhook now.
    pub async fn settle(&self) -> Result<Value, StepError> {
        self.call(reqwest::Method::POST, "/_fake/webhooks/settle", None)
            .await
    }

    /// `GET /_fake/webhooks/deliveries`: every delivery attempt.
    pub async fn deliveries(&self) -> Result<Value, StepError> {
        self.call(reqwest::Method::GET, "/_fake/webhooks/deliveries", None)
            .await
    }

    /// `GET /_fake/meetings/{id}/room`.
    pub async fn room(&self, meeting: u64) -> Result<Value, StepError> {
        self.call(
            reqwest::Method::GET,
            &format!("/_fake/meetings/{meeting}/room"),
            None,
        )
        .await
    }
}
