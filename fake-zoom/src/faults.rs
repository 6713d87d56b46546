//! Fault injection per route: added latency, a given status with a Zoom error body, a 429 storm,
//! a dropped connection. A rule matches a method (or any) and a path pattern where `*` stands
//! for one segment and a trailing `/**` for any rest; it applies to the next `times` matching
//! requests, or until cleared.
//!
//! ```json
//! {"path": "/v2/users/*/meetings", "method": "POST", "times": 2,
//!  "fault": {"kind": "status", "status": 500, "code": 500, "message": "Internal error"}}
//! ```

use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::zoom_error::ZoomError;

/// One fault rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// HTTP method, any when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Path pattern (`*` = one segment, trailing `/**` = any rest).
    pub path: String,
    /// What happens.
    pub fault: Fault,
    /// How many matching requests it applies to; forever when absent.
    #[serde(default)]
    pub times: Option<u32>,
}

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Wait this long (real time) before handling the request normally.
    Latency {
        /// Milliseconds.
        ms: u64,
    },
    /// Answer this status with a Zoom body `{"code","message"}`.
    Status {
        /// HTTP status.
        status: u16,
        /// Zoom code.
        code: i64,
        /// Zoom message.
        message: String,
    },
    /// Answer Zoom's per-second 429 with `Retry-After`.
    RateLimitStorm {
        /// Seconds in `Retry-After`.
        #[serde(default = "one")]
        retry_after_seconds: u64,
    },
    /// Close the connection without answering.
    DropConnection,
}

fn one() -> u64 {
    1
}

impl FaultRule {
    /// A rule for every method on `path`, forever.
    pub fn new(path: impl Into<String>, fault: Fault) -> Self {
        Self {
            method: None,
            path: path.into(),
            fault,
            times: None,
        }
    }
    /// Only for this method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }
    /// Only the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Check a rule before it is installed.
    pub fn validate(&self) -> Result<(), String> {
        if !self.path.starts_with('/') {
            return Err("path must start with /".into());
        }
        if let Fault::Status { status, .. } = &self.fault
            && StatusCode::from_u16(*status).is_err()
        {
            return Err(format!("status {status} is not an HTTP status"));
        }
        if let Fault::Latency { ms } = &self.fault
            && *ms > 600_000
        {
            return Err("latency above 10 minutes".into());
        }
        Ok(())
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        if let Some(m) = &self.method
            && !m.eq_ignore_ascii_case(method)
        {
            return false;
        }
        path_matches(&self.path, path)
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let mut pat = pattern.trim_end_matches('/').split('/');
    let mut segs = path.trim_end_matches('/').split('/');
    loop {
        match (pat.next(), segs.next()) {
            (Some("**"), _) => return true,
            (Some(p), Some(s)) if p == "*" || p == s => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// What the server must do for a request.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultAction {
    /// Sleep, then handle normally.
    Delay(Duration),
    /// Answer this error.
    Respond(ZoomError),
    /// Close the connection.
    Drop,
}

/// The installed rules.
#[derive(Debug, Default)]
pub struct FaultSet {
    any: AtomicBool,
    rules: RwLock<Vec<FaultRule>>,
}

impl PartialEq for ZoomError {
    fn eq(&self, other: &Self) -> bool {
        self.status() == other.status() && self.body_json() == other.body_json()
    }
}

impl FaultSet {
    /// Install a rule (later rules are checked after earlier ones).
    pub fn add(&self, rule: FaultRule) -> Result<(), String> {
        rule.validate()?;
        let mut rules = self.rules.write().unwrap_or_else(|e| e.into_inner());
        rules.push(rule);
        self.any.store(true, Ordering::Release);
        Ok(())
    }

    /// Remove every rule.
    pub fn clear(&self) {
        self.rules
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.any.store(false, Ordering::Release);
    }

    /// The installed rules.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.rules.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The fault for a request, counting it against the rule's `times`.
    pub fn action_for(&self, method: &str, path: &str) -> Option<FaultAction> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let mut rules = self.rules.write().unwrap_or_else(|e| e.into_inner());
        let index = rules.iter().position(|r| r.matches(method, path))?;
        let rule = &mut rules[index];
        let action = match &rule.fault {
            Fault::Latency { ms } => FaultAction::Delay(Duration::from_millis(*ms)),
            Fault::Status {
                status,
                code,
                message,
            } => FaultAction::Respond(ZoomError::rest(
                StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                *code,
                message.clone(),
            )),
            Fault::RateLimitStorm {
                retry_after_seconds,
            } => FaultAction::Respond(
                ZoomError::rate_per_second()
                    .with_header("x-ratelimit-type", "QPS")
                    .with_header("retry-after", &retry_after_seconds.to_string()),
            ),
            Fault::DropConnection => FaultAction::Drop,
        };
        if let Some(times) = &mut rule.times {
            *times = times.saturating_sub(1);
            if *times == 0 {
                rules.remove(index);
                if rules.is_empty() {
                    self.any.store(false, Ordering::Release);
                }
            }
        }
        Some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_times() {
        assert!(path_matches(
            "/v2/users/*/meetings",
            "/v2/users/me/meetings"
        ));
        assert!(!path_matches("/v2/users/*/meetings", "/v2/users/me"));
        assert!(path_matches("/v2/**", "/v2/meetings/1/status"));
        let set = FaultSet::default();
        set.add(
            FaultRule::new("/v2/meetings/*", Fault::DropConnection)
                .method("get")
                .times(1),
        )
        .unwrap();
        assert_eq!(set.action_for("POST", "/v2/meetings/1"), None);
        assert_eq!(
            set.action_for("GET", "/v2/meetings/1"),
            Some(FaultAction::Drop)
        );
        assert_eq!(set.action_for("GET", "/v2/meetings/1"), None);
        assert!(
            set.add(FaultRule::new("nope", Fault::DropConnection))
                .is_err()
        );
    }
}
