//! Zoom's rate limits, on the fake's clock (fact sheet section 5):
//! * per account, per category (Light / Medium / Heavy), per second, by plan, shared by all the
//!   account's apps; Free accounts also have daily caps per category, Pro and Business a
//!   combined daily cap on Heavy. Per-second windows count real seconds (a paused test clock
//!   would otherwise put a whole test run into one second); daily caps follow the fake's clock;
//! * per host user: 100 meeting/webinar create-or-update requests per UTC day (configurable),
//!   reset at 00:00 UTC.
//!
//! A 429 carries Zoom's body; per-second and account-daily ones carry the `X-RateLimit-*`
//! headers and `Retry-After` (seconds for per-second, an ISO timestamp for daily). The per-user
//! cap answers without them, as observed on Zoom.

use std::collections::HashMap;

use time::{Date, OffsetDateTime, Time};

use crate::auth::scopes::RateCategory;
use crate::config::{Plan, RateLimitConfig};
use crate::model::meeting::zoom_time;
use crate::zoom_error::ZoomError;

/// Per-second and per-day limits of a category on a plan.
pub fn limits(plan: Plan, category: RateCategory) -> (u32, Option<u32>) {
    use RateCategory::*;
    match (plan, category) {
        (Plan::Free, Light) => (4, Some(6_000)),
        (Plan::Free, Medium) => (2, Some(2_000)),
        (Plan::Free, Heavy) => (1, Some(1_000)),
        (Plan::Pro, Light) => (30, None),
        (Plan::Pro, Medium) => (20, None),
        (Plan::Pro, Heavy) => (10, Some(30_000)),
        (Plan::Business, Light) => (80, None),
        (Plan::Business, Medium) => (60, None),
        (Plan::Business, Heavy) => (40, Some(60_000)),
    }
}

fn category_name(category: RateCategory) -> &'static str {
    match category {
        RateCategory::Light => "Light",
        RateCategory::Medium => "Medium",
        RateCategory::Heavy => "Heavy",
    }
}

/// One account's counters.
#[derive(Debug, Default)]
pub struct RateCounters {
    per_second: HashMap<RateCategory, (i64, u32)>,
    per_day: HashMap<RateCategory, (Date, u32)>,
    user_writes: HashMap<String, (Date, u32)>,
}

impl RateCounters {
    /// Count one request of `category`; refuse it when over the limit.
    pub fn admit(
        &mut self,
        plan: Plan,
        config: &RateLimitConfig,
        category: RateCategory,
        real_second: u64,
        now: OffsetDateTime,
    ) -> Result<(), ZoomError> {
        if !config.enabled {
            return Ok(());
        }
        let (per_second, per_day) = limits(plan, category);
        let second = real_second as i64;
        let slot = self.per_second.entry(category).or_insert((second, 0));
        if slot.0 != second {
            *slot = (second, 0);
        }
        if slot.1 >= per_second {
            return Err(ZoomError::rate_per_second()
                .with_header("x-ratelimit-category", category_name(category))
                .with_header("x-ratelimit-type", "QPS")
                .with_header("x-ratelimit-limit", &per_second.to_string())
                .with_header("x-ratelimit-remaining", "0")
                .with_header("retry-after", "1"));
        }
        if let Some(per_day) = per_day {
            let day = self.per_day.entry(category).or_insert((now.date(), 0));
            if day.0 != now.date() {
                *day = (now.date(), 0);
            }
            if day.1 >= per_day {
                return Err(ZoomError::rate_daily()
                    .with_header("x-ratelimit-category", category_name(category))
                    .with_header("x-ratelimit-type", "Daily-limit")
                    .with_header("x-ratelimit-limit", &per_day.to_string())
                    .with_header("x-ratelimit-remaining", "0")
                    .with_header("retry-after", &next_midnight(now)));
            }
            day.1 += 1;
        }
        slot.1 += 1;
        Ok(())
    }

    /// Count one meeting/webinar create or update for host `user_id`.
    pub fn admit_user_write(
        &mut self,
        config: &RateLimitConfig,
        user_id: &str,
        now: OffsetDateTime,
    ) -> Result<(), ZoomError> {
        if !config.enabled {
            return Ok(());
        }
        let today = now.date();
        let slot = match self.user_writes.get_mut(user_id) {
            Some(slot) => slot,
            None => self
                .user_writes
                .entry(user_id.to_string())
                .or_insert((today, 0)),
        };
        if slot.0 != today {
            *slot = (today, 0);
        }
        if slot.1 >= config.daily_meeting_writes_per_user {
            return Err(ZoomError::user_daily_meeting_writes(
                config.daily_meeting_writes_per_user,
            ));
        }
        slot.1 += 1;
        Ok(())
    }

    /// Meeting create/update requests counted today for a user.
    pub fn user_writes_today(&self, user_id: &str, now: OffsetDateTime) -> u32 {
        match self.user_writes.get(user_id) {
            Some((day, n)) if *day == now.date() => *n,
            _ => 0,
        }
    }
}

fn next_midnight(now: OffsetDateTime) -> String {
    let tomorrow = now.date().next_day().unwrap_or(now.date());
    zoom_time::format(tomorrow.with_time(Time::MIDNIGHT).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn per_second_and_daily_user_caps() {
        let mut c = RateCounters::default();
        let cfg = RateLimitConfig::default();
        let t = datetime!(2026-12-04 10:00:00 UTC);
        for _ in 0..4 {
            c.admit(Plan::Free, &cfg, RateCategory::Light, 7, t)
                .unwrap();
        }
        let e = c
            .admit(Plan::Free, &cfg, RateCategory::Light, 7, t)
            .unwrap_err();
        assert_eq!(e.status().as_u16(), 429);
        c.admit(Plan::Free, &cfg, RateCategory::Light, 8, t)
            .unwrap();

        let cfg = RateLimitConfig {
            enabled: true,
            daily_meeting_writes_per_user: 2,
        };
        c.admit_user_write(&cfg, "u", t).unwrap();
        c.admit_user_write(&cfg, "u", t).unwrap();
        assert!(c.admit_user_write(&cfg, "u", t).is_err());
        c.admit_user_write(&cfg, "other", t).unwrap();
        // 00:00 UTC resets.
        c.admit_user_write(&cfg, "u", datetime!(2026-12-05 00:00:00 UTC))
            .unwrap();
        assert!(
            c.admit_user_write(&RateLimitConfig::disabled(), "u", t)
                .is_ok()
        );
    }
}
