//! Reading Zoom request bodies field by field. Every bad field becomes a `FieldError` (Zoom's
//! 300 "Validation Failed." lists them all), unknown keys are ignored as Zoom ignores them, and
//! `null` counts as absent. Numbers and booleans sent as strings are accepted, as Zoom's own
//! backend accepts them.

use serde_json::{Map, Value};

use crate::zoom_error::{FieldError, ZoomError};

/// Parse a request body that must be a JSON object (Zoom's 300 body otherwise). An empty body
/// is an empty object.
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, ZoomError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ZoomError::invalid_json()),
    }
}

/// Typed reads from one JSON object, collecting field errors.
pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    prefix: String,
    errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    /// Read from `obj`; errors name fields as `prefix.key`.
    pub fn new(obj: &'a Map<String, Value>, prefix: &str) -> Self {
        Self {
            obj,
            prefix: prefix.to_string(),
            errors: Vec::new(),
        }
    }

    /// The dotted name of a key.
    pub fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// Record an error on a key.
    pub fn error(&mut self, key: &str, message: Option<&str>) {
        let field = self.path(key);
        self.errors.push(match message {
            Some(m) => FieldError::new(field, m),
            None => FieldError::invalid(field),
        });
    }

    /// Whether the key is present and not null.
    pub fn has(&self, key: &str) -> bool {
        self.raw(key).is_some()
    }

    /// The raw value, `None` when absent or null.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    /// A string.
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                self.error(key, None);
                None
            }
        }
    }

    /// A string of at most `max` characters.
    pub fn string_max(&mut self, key: &str, max: usize) -> Option<String> {
        let s = self.string(key)?;
        if s.chars().count() > max {
            self.error(key, Some(&format!("Maximum length is {max}.")));
            return None;
        }
        Some(s)
    }

    /// An integer.
    pub fn int(&mut self, key: &str) -> Option<i64> {
        let parsed = match self.raw(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.error(key, None);
        }
        parsed
    }

    /// An integer in `min..=max`.
    pub fn int_range(&mut self, key: &str, min: i64, max: i64) -> Option<i64> {
        let v = self.int(key)?;
        if v < min || v > max {
            self.error(key, None);
            return None;
        }
        Some(v)
    }

    /// An integer from a fixed set.
    pub fn int_enum(&mut self, key: &str, allowed: &[i64]) -> Option<i64> {
        let v = self.int(key)?;
        if !allowed.contains(&v) {
            self.error(key, None);
            return None;
        }
        Some(v)
    }

    /// A boolean.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let parsed = match self.raw(key)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        };
        if parsed.is_none() {
            self.error(key, None);
        }
        parsed
    }

    /// A string from a fixed set.
    pub fn str_enum(&mut self, key: &str, allowed: &[&str]) -> Option<String> {
        let v = self.string(key)?;
        if !allowed.contains(&v.as_str()) {
            self.error(key, None);
            return None;
        }
        Some(v)
    }

    /// A nested object.
    pub fn object(&mut self, key: &str) -> Option<&'a Map<String, Value>> {
        match self.raw(key)? {
            Value::Object(map) => Some(map),
            _ => {
                self.error(key, None);
                None
            }
        }
    }

    /// An array.
    pub fn array(&mut self, key: &str) -> Option<&'a Vec<Value>> {
        match self.raw(key)? {
            Value::Array(items) => Some(items),
            _ => {
                self.error(key, None);
                None
            }
        }
    }

    /// Fold a nested reader's errors into this one.
    pub fn absorb(&mut self, other: Fields<'_>) {
        self.errors.extend(other.errors);
    }

    /// The collected errors.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    /// Whether any error was recorded so far.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// A plausible email (Zoom validates emails; the fake checks the shape only).
pub fn looks_like_email(s: &str) -> bool {
    let mut parts = s.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(l), Some(d), None)
        if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !s.contains(char::is_whitespace))
}
