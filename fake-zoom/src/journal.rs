//! The request journal: a bounded ring buffer of what the fake was asked and what it answered.
//! Secrets (client secrets, tokens, JWTs, ZAKs, passwords of the OAuth flow) are scrubbed at the
//! point of recording, so nothing read from the journal can leak them.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

/// Longest body excerpt kept, in characters.
const EXCERPT_CHARS: usize = 2048;

/// What replaces a secret value.
pub const REDACTED: &str = "[redacted]";

/// Keys whose values are secrets wherever they appear (query, form or JSON, any depth).
const SECRET_KEYS: &[&str] = &[
    "access_token",
    "refresh_token",
    "client_secret",
    "api_secret",
    "secret",
    "secret_token",
    "token",
    "zak",
    "obf",
    "code",
    "code_verifier",
    "start_url",
    "authorization",
    "encryptedtoken",
];

/// Whether a key (query parameter, form field, JSON key) holds a secret.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_KEYS.contains(&key.as_str())
}

/// One recorded request.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JournalEntry {
    /// Position in the journal since start (survives the ring buffer dropping old entries).
    pub seq: u64,
    /// When the fake received it, on the fake's clock.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// HTTP method.
    pub method: String,
    /// Path, without the query.
    pub path: String,
    /// The query string, secrets scrubbed.
    pub query: Option<String>,
    /// The status answered (0 when the connection was dropped by a fault).
    pub status: u16,
    /// The account the caller authenticated to, when known.
    pub account_id: Option<String>,
    /// The app's name, when known.
    pub app: Option<String>,
    /// The start of the request body, secrets scrubbed.
    pub body_excerpt: Option<String>,
}

/// The bounded journal.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    inner: Mutex<JournalInner>,
}

#[derive(Debug, Default)]
struct JournalInner {
    next_seq: u64,
    entries: VecDeque<JournalEntry>,
}

impl Journal {
    /// A journal keeping at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            inner: Mutex::new(JournalInner::default()),
        }
    }

    /// Append an entry (its `seq` is assigned here), dropping the oldest when full.
    pub fn record(&self, mut entry: JournalEntry) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        entry.seq = inner.next_seq;
        inner.next_seq += 1;
        if inner.entries.len() == self.capacity {
            inner.entries.pop_front();
        }
        inner.entries.push_back(entry);
    }

    /// A copy of the entries, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.entries.iter().cloned().collect()
    }

    /// Forget everything (sequence numbers keep counting).
    pub fn clear(&self) {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entries
            .clear();
    }
}

/// A query string with secret parameters' values replaced.
pub fn scrub_query(query: &str) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if is_secret_key(&key) {
            out.append_pair(&key, REDACTED);
        } else {
            out.append_pair(&key, &value);
        }
    }
    out.finish()
}

/// A JSON value with every secret key's value replaced, at any depth.
pub fn scrub_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if is_secret_key(key) && !value.is_null() {
                    *value = Value::String(REDACTED.into());
                } else {
                    scrub_json(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_json),
        _ => {}
    }
}

/// A scrubbed excerpt of a request body: JSON with secret keys replaced, a form with secret
/// fields replaced, anything else only described by its length (it could hold anything).
pub fn scrub_body(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    // Fast path: UTF-8 text naming no secret key needs no parsing (every secret key contains
    // one of these fragments, case-insensitively).
    if let Ok(text) = std::str::from_utf8(body)
        && !contains_secret_fragment(body)
        && (text.trim_start().starts_with(['{', '[']) || !text.contains('='))
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
    {
        return Some(truncate(text.to_string()));
    }
    let text = if let Ok(mut json) = serde_json::from_slice::<Value>(body) {
        scrub_json(&mut json);
        json.to_string()
    } else if let Ok(text) = std::str::from_utf8(body)
        && !text.trim_start().starts_with(['{', '['])
        && text.contains('=')
    {
        scrub_query(text)
    } else {
        format!("[{} bytes, not JSON]", body.len())
    };
    Some(truncate(text))
}

fn contains_secret_fragment(body: &[u8]) -> bool {
    const FRAGMENTS: &[&[u8]] = &[
        b"token",
        b"secret",
        b"zak",
        b"obf",
        b"code",
        b"start_url",
        b"authorization",
    ];
    body.windows(3).enumerate().any(|(i, w)| {
        let (a, b, c) = (
            w[0].to_ascii_lowercase(),
            w[1].to_ascii_lowercase(),
            w[2].to_ascii_lowercase(),
        );
        FRAGMENTS.iter().any(|f| {
            f[0] == a
                && f[1] == b
                && f[2] == c
                && body.len() >= i + f.len()
                && body[i..i + f.len()].eq_ignore_ascii_case(f)
        })
    })
}

fn truncate(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(EXCERPT_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_query_json_and_form() {
        assert_eq!(
            scrub_query("grant_type=account_credentials&client_secret=abc"),
            "grant_type=account_credentials&client_secret=%5Bredacted%5D"
        );
        let body = br#"{"topic":"x","nested":{"token":"zzz"},"start_url":"https://s?zak=1"}"#;
        let out = scrub_body(body).unwrap();
        assert!(!out.contains("zzz") && !out.contains("zak=1"), "{out}");
        assert!(out.contains("\"topic\":\"x\""));
        let form = scrub_body(b"grant_type=refresh_token&refresh_token=SECRET").unwrap();
        assert!(!form.contains("SECRET"), "{form}");
        assert_eq!(scrub_body(b"\x00\x01").unwrap(), "[2 bytes, not JSON]");
        // The fast path keeps plain bodies as sent, and never skips a secret.
        assert_eq!(scrub_body(br#"{"topic":"a"}"#).unwrap(), r#"{"topic":"a"}"#);
        let upper = scrub_body(br#"{"Token":"zzz"}"#).unwrap();
        assert!(!upper.contains("zzz"), "{upper}");
        assert_eq!(scrub_body(b"plain text").unwrap(), "[10 bytes, not JSON]");
    }

    #[test]
    fn ring_buffer_drops_oldest() {
        let journal = Journal::new(2);
        for i in 0..3 {
            journal.record(JournalEntry {
                seq: 0,
                at: OffsetDateTime::UNIX_EPOCH,
                method: "GET".into(),
                path: format!("/{i}"),
                query: None,
                status: 200,
                account_id: None,
                app: None,
                body_excerpt: None,
            });
        }
        let entries = journal.entries();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].path, "/1");
        assert_eq!(entries[1].seq, 2);
    }
}
