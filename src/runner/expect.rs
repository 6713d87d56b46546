//! Comparing what happened with what a step expects. The helpers here are pure; the world
//! gathers the observations ([`super::world`]).

use serde_json::Value;

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// What the scenario expected.
    pub expected: String,
    /// What was observed.
    pub actual: String,
}

impl Mismatch {
    /// A mismatch from two texts.
    pub fn new(expected: impl Into<String>, actual: impl Into<String>) -> Self {
        Mismatch {
            expected: expected.into(),
            actual: actual.into(),
        }
    }
}

/// Whether `actual` contains `expected`: maps by key (extra keys allowed), lists by position
/// (the actual list may be longer), scalars equal (a number equals the same number of another
/// JSON type, e.g. 60 and 60.0). Returns the path of the first difference.
pub fn json_contains(actual: &Value, expected: &Value) -> Result<(), String> {
    contains_at(actual, expected, "$")
}

fn contains_at(actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, value) in want {
                let child = format!("{path}.{key}");
                match have.get(key) {
                    Some(found) => contains_at(found, value, &child)?,
                    None => return Err(format!("{child} is missing")),
                }
            }
            Ok(())
        }
        (Value::Array(want), Value::Array(have)) => {
            if have.len() < want.len() {
                return Err(format!(
                    "{path} has {} items, expected at least {}",
                    have.len(),
                    want.len()
                ));
            }
            for (index, value) in want.iter().enumerate() {
                contains_at(&have[index], value, &format!("{path}[{index}]"))?;
            }
            Ok(())
        }
        (Value::Number(want), Value::Number(have)) => {
            if want == have || want.as_f64() == have.as_f64() {
                Ok(())
            } else {
                Err(format!("{path} is {have}, expected {want}"))
            }
        }
        (want, have) if want == have => Ok(()),
        (want, have) => Err(format!("{path} is {have}, expected {want}")),
    }
}

/// Glob match of a whole text: `*` matches any run of characters (including none); everything
/// else is literal.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, rest) = parts.split_first().unwrap_or((&"", &[]));
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let (last, middle) = rest.split_last().unwrap_or((&"", &[]));
    for part in middle {
        match remaining.find(part) {
            Some(index) => remaining = &remaining[index + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

/// Checks that `entries` contain, in order, an entry containing each of `wanted` (by substring;
/// consecutive texts may match the same entry, so `["joined", "with a ZAK"]` matches one line
/// saying both).
pub fn contains_in_order(entries: &[String], wanted: &[String]) -> Result<(), String> {
    let mut position = 0;
    for want in wanted {
        match entries[position..]
            .iter()
            .position(|entry| entry.contains(want.as_str()))
        {
            Some(offset) => position += offset,
            None => return Err(format!("no entry containing \"{want}\" (in order)")),
        }
    }
    Ok(())
}

/// Formats a list for messages: `["a", "b"]`.
pub fn quoted_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|item| format!("\"{item}\"")).collect();
    format!("[{}]", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subset_matching() {
        let actual =
            json!({"id": 5, "settings": {"waiting_room": true, "x": 1}, "list": [1, 2, 3]});
        assert!(json_contains(&actual, &json!({"settings": {"waiting_room": true}})).is_ok());
        assert!(json_contains(&actual, &json!({"list": [1, 2]})).is_ok());
        assert!(json_contains(&actual, &json!({"id": 5.0})).is_ok());
        assert_eq!(
            json_contains(&actual, &json!({"settings": {"waiting_room": false}})).unwrap_err(),
            "$.settings.waiting_room is true, expected false"
        );
        assert!(
            json_contains(&actual, &json!({"nope": 1}))
                .unwrap_err()
                .contains("missing")
        );
    }

    #[test]
    fn globbing() {
        assert!(glob_match(
            "GET /v2/users/*/token*",
            "GET /v2/users/owner/token?type=zak"
        ));
        assert!(glob_match(
            "POST /oauth/token*",
            "POST /oauth/token?grant_type=account_credentials"
        ));
        assert!(!glob_match(
            "GET /v2/users/*/token",
            "GET /v2/users/owner/token?type=zak"
        ));
        assert!(glob_match("*", ""));
        assert!(!glob_match("a*b*c", "acb"));
        assert!(glob_match("a*b*c", "abc"));
    }

    #[test]
    fn ordered_substrings() {
        let entries = vec![
            "meeting created".to_string(),
            "bot waiting".into(),
            "bot missed".into(),
        ];
        assert!(contains_in_order(&entries, &["created".into(), "missed".into()]).is_ok());
        assert!(contains_in_order(&entries, &["missed".into(), "created".into()]).is_err());
        assert!(contains_in_order(&entries, &["bot".into(), "waiting".into()]).is_ok());
        assert!(contains_in_order(&entries, &["missed".into(), "waiting".into()]).is_err());
    }
}
