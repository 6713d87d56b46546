//! Every response body of the modelled endpoints, validated against Zoom's own OpenAPI schema
//! in `../shared/zoom-openapi` (override the directory with `ZOOM_HARNESS_SHARED_DIR`). Skips with
//! a message when the directory is absent; fails instead when `ZOOM_HARNESS_REQUIRE_SHARED=1`.
//!
//! The validator covers the subset of JSON Schema these documents use for responses: `type`,
//! `properties`, `required`, `items`, `enum`, `allOf`, `format` (`int64`, `date-time`, `email`),
//! `maxLength`, `minimum`/`maximum`, `minItems`/`maxItems`. One known quirk of Zoom's document:
//! `recurrence.weekly_days` is typed as one enum value although Zoom returns a comma list
//! ("3,5"); each element is checked against the enum instead.

use std::path::PathBuf;

use reqwest::Method;
use serde_json::{Value, json};

use crate::fake_routes::{tokens, tour};
use crate::fake_support::*;

pub(crate) fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ZOOM_HARNESS_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
        .join("zoom-openapi");
    if dir.join("meetings.endpoints.json").is_file() && dir.join("users.endpoints.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("ZOOM_HARNESS_REQUIRE_SHARED").as_deref() != Ok("1"),
        "{} is required (ZOOM_HARNESS_REQUIRE_SHARED=1) but missing",
        dir.display()
    );
    eprintln!(
        "skipped: Zoom's OpenAPI documents not found in {}",
        dir.display()
    );
    None
}

pub(crate) struct Spec {
    documents: Vec<Value>,
}

impl Spec {
    pub(crate) fn load(dir: &std::path::Path) -> Spec {
        let documents = ["meetings.endpoints.json", "users.endpoints.json"]
            .iter()
            .map(|f| serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap())
            .collect();
        Spec { documents }
    }

    /// The JSON schema of a response, if the document gives one.
    pub(crate) fn response_schema(
        &self,
        method: &Method,
        template: &str,
        status: u16,
    ) -> Option<&Value> {
        let method = method.as_str().to_ascii_lowercase();
        self.documents.iter().find_map(|d| {
            d["paths"][template][&method]["responses"][status.to_string()]["content"]["application/json"]
                .get("schema")
        })
    }
}

/// Errors of `value` against `schema`, each with its JSON path.
pub(crate) fn validate(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            validate(s, value, path, errors);
        }
    }
    if value.is_null() {
        return;
    }
    if let Some(ty) = schema.get("type").and_then(Value::as_str) {
        let ok = match ty {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: expected {ty}, got {value}"));
            return;
        }
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        let name = path.rsplit('.').next().unwrap_or("");
        let ok = match value.as_str() {
            Some(s) if name == "weekly_days" => {
                s.split(',').all(|part| choices.contains(&json!(part)))
            }
            _ => choices.contains(value),
        };
        if !ok {
            errors.push(format!("{path}: {value} not in {choices:?}"));
        }
    }
    match (schema.get("format").and_then(Value::as_str), value) {
        (Some("int64"), v) if !(v.is_i64() || v.is_u64()) => {
            errors.push(format!("{path}: not int64"))
        }
        (Some("date-time"), Value::String(s))
            if time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .is_err() =>
        {
            errors.push(format!("{path}: {s} is not a date-time"));
        }
        (Some("email"), Value::String(s)) if !s.contains('@') => {
            errors.push(format!("{path}: {s} is not an email"))
        }
        _ => {}
    }
    if let (Some(max), Some(s)) = (
        schema.get("maxLength").and_then(Value::as_u64),
        value.as_str(),
    ) && s.chars().count() as u64 > max
    {
        errors.push(format!("{path}: longer than {max}"));
    }
    if let Some(n) = value.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
        {
            errors.push(format!("{path}: {n} below minimum"));
        }
        if schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n > m)
        {
            errors.push(format!("{path}: {n} above maximum"));
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(key) = required.as_str()
                && !object.contains_key(key)
            {
                errors.push(format!("{path}: missing required {key}"));
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (key, sub) in properties {
                if let Some(v) = object.get(key) {
                    validate(sub, v, &format!("{path}.{key}"), errors);
                }
            }
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(item_schema, item, &format!("{path}[{i}]"), errors);
            }
        }
        if schema
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| (items.len() as u64) < m)
        {
            errors.push(format!("{path}: fewer items than minItems"));
        }
        if schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| (items.len() as u64) > m)
        {
            errors.push(format!("{path}: more items than maxItems"));
        }
    }
}

#[test]
fn the_validator_catches_what_it_claims_to() {
    let schema = json!({"allOf": [{"type": "object", "required": ["id"],
        "properties": {"id": {"type": "integer", "format": "int64"}, "status": {"type": "string", "enum": ["waiting", "started"]},
                       "items": {"type": "array", "items": {"type": "object", "properties": {"t": {"type": "string", "format": "date-time"}}}}}}]});
    let mut errors = Vec::new();
    validate(
        &schema,
        &json!({"id": 1, "status": "waiting", "items": [{"t": "2026-12-04T10:00:00Z"}]}),
        "$",
        &mut errors,
    );
    assert!(errors.is_empty(), "{errors:?}");
    validate(
        &schema,
        &json!({"status": "ended", "items": [{"t": "yesterday"}]}),
        "$",
        &mut errors,
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
    let mut errors = Vec::new();
    validate(&schema, &json!({"id": "12"}), "$", &mut errors);
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[tokio::test]
async fn every_modelled_response_matches_zooms_schema() {
    let Some(dir) = shared_dir() else { return };
    let spec = Spec::load(&dir);
    let fake = start().await;
    let mut checked = 0;
    let mut failures = Vec::new();
    for (mode, token) in tokens(&fake).await {
        let mut exchanges = tour(&fake, &token).await;
        if mode != "api_key" {
            // The OAuth-only token routes.
            for (template, path) in [
                ("/users/{userId}/token", "/users/me/token?type=zak"),
                ("/users/me/zak", "/users/me/zak"),
            ] {
                let (status, body) = call(&fake, Method::GET, path, &token, None).await;
                if status == 200 {
                    exchanges.push(crate::fake_routes::Exchange {
                        method: Method::GET,
                        template,
                        status,
                        body,
                    });
                }
            }
        }
        for e in exchanges {
            if e.body.is_null() {
                continue;
            }
            let schema = spec
                .response_schema(&e.method, e.template, e.status)
                .unwrap_or_else(|| {
                    panic!("no schema for {} {} {}", e.method, e.template, e.status)
                });
            let mut errors = Vec::new();
            validate(schema, &e.body, "$", &mut errors);
            checked += 1;
            for error in errors {
                failures.push(format!(
                    "{mode} {} {} {}: {error}",
                    e.method, e.template, e.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} schema violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The real schema does reject a wrong body (so the check above can fail).
    let schema = spec
        .response_schema(&Method::POST, "/users/{userId}/meetings", 201)
        .unwrap();
    let mut errors = Vec::new();
    validate(
        schema,
        &json!({"id": "82000000000", "status": "ended", "settings": {"jbh_time": 7}}),
        "$",
        &mut errors,
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(checked >= 60, "only {checked} bodies checked");
}
