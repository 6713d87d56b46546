//! Human-readable durations in scenario files: `90s`, `5m`, `2h`, `1h30m`, or a number of seconds.

use std::fmt;
use std::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A duration written as `90s`, `5m`, `2h`, `1h30m`, `1d` or as plain seconds (`45`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HumanDuration(pub Duration);

impl HumanDuration {
    /// Parses the text form.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("an empty duration; write e.g. `90s`, `5m`, `2h` or `1h30m`".into());
        }
        if let Ok(seconds) = text.parse::<u64>() {
            return Ok(HumanDuration(Duration::from_secs(seconds)));
        }
        let mut total: u64 = 0;
        let mut number = String::new();
        for ch in text.chars() {
            if ch.is_ascii_digit() {
                number.push(ch);
                continue;
            }
            let unit = match ch {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                _ => {
                    return Err(format!(
                        "`{text}` is not a duration: unknown unit `{ch}`; use s, m, h or d (e.g. `1h30m`)"
                    ));
                }
            };
            let value: u64 = number.parse().map_err(|_| {
                format!("`{text}` is not a duration: a number must come before `{ch}`")
            })?;
            total = value
                .checked_mul(unit)
                .and_then(|part| total.checked_add(part))
                .ok_or_else(|| format!("`{text}` is too long a duration"))?;
            number.clear();
        }
        if !number.is_empty() {
            return Err(format!(
                "`{text}` is not a duration: `{number}` has no unit; use s, m, h or d"
            ));
        }
        Ok(HumanDuration(Duration::from_secs(total)))
    }
}

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut seconds = self.0.as_secs();
        if seconds == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
            if seconds >= size {
                write!(f, "{}{unit}", seconds / size)?;
                seconds %= size;
            }
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationVisitor;
        impl Visitor<'_> for DurationVisitor {
            type Value = HumanDuration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as `90s`, `5m`, `2h`, `1h30m` or a number of seconds")
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<HumanDuration, E> {
                Ok(HumanDuration(Duration::from_secs(value)))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<HumanDuration, E> {
                u64::try_from(value)
                    .map(|seconds| HumanDuration(Duration::from_secs(seconds)))
                    .map_err(|_| E::custom("a duration cannot be negative"))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<HumanDuration, E> {
                HumanDuration::parse(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(DurationVisitor)
    }
}

impl Serialize for HumanDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_plain_seconds() {
        assert_eq!(HumanDuration::parse("90s").unwrap().0.as_secs(), 90);
        assert_eq!(HumanDuration::parse("1h30m").unwrap().0.as_secs(), 5400);
        assert_eq!(HumanDuration::parse("45").unwrap().0.as_secs(), 45);
        assert_eq!(HumanDuration::parse("20m").unwrap().to_string(), "20m");
    }

    #[test]
    fn rejects_bad_text_with_a_reason() {
        assert!(
            HumanDuration::parse("5x")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(
            HumanDuration::parse("m")
                .unwrap_err()
                .contains("number must come")
        );
        assert!(
            HumanDuration::parse("12m5")
                .unwrap_err()
                .contains("no unit")
        );
    }
}
