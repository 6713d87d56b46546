//! The virtual clock. Real time by default; paused (test mode) it stands still until advanced
//! through the control API or the handle. Token expiry, ZAK lifetimes and daily rate-limit caps
//! all read this clock, never the system time.

use std::sync::RwLock;
use std::time::Duration;

use time::OffsetDateTime;

use crate::config::ClockConfig;

/// The fake's clock.
#[derive(Debug)]
pub struct Clock {
    inner: RwLock<ClockInner>,
}

#[derive(Debug, Clone, Copy)]
enum ClockInner {
    /// Wall time plus the sum of advances.
    Real { offset: time::Duration },
    /// A fixed instant, moved only by advances.
    Paused { now: OffsetDateTime },
}

impl Clock {
    /// A clock in the given mode.
    pub fn new(config: &ClockConfig) -> Self {
        let inner = match config {
            ClockConfig::Real => ClockInner::Real {
                offset: time::Duration::ZERO,
            },
            ClockConfig::Paused { start } => ClockInner::Paused {
                now: start.to_offset(time::UtcOffset::UTC),
            },
        };
        Self {
            inner: RwLock::new(inner),
        }
    }

    /// The fake's current time (UTC).
    pub fn now(&self) -> OffsetDateTime {
        match *self.inner.read().unwrap_or_else(|e| e.into_inner()) {
            ClockInner::Real { offset } => OffsetDateTime::now_utc() + offset,
            ClockInner::Paused { now } => now,
        }
    }

    /// Whether the clock stands still between advances.
    pub fn is_paused(&self) -> bool {
        matches!(
            *self.inner.read().unwrap_or_else(|e| e.into_inner()),
            ClockInner::Paused { .. }
        )
    }

    /// Move the clock forward. The clock never passes [`Clock::LATEST`], so that adding token
    /// lifetimes to "now" can never overflow.
    pub fn advance(&self, by: Duration) {
        let by = time::Duration::try_from(by).unwrap_or(time::Duration::MAX);
        let latest = Self::LATEST;
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        match &mut *inner {
            ClockInner::Real { offset } => {
                let room = latest - OffsetDateTime::now_utc();
                *offset = offset.saturating_add(by).min(room);
            }
            ClockInner::Paused { now } => *now = now.saturating_add(by).min(latest),
        }
    }

    /// The latest instant the clock reaches (year 9000).
    pub const LATEST: OffsetDateTime = time::macros::datetime!(9000-01-01 00:00 UTC);

    /// Back to the configured mode and start.
    pub fn reset(&self, config: &ClockConfig) {
        *self.inner.write().unwrap_or_else(|e| e.into_inner()) = Self::new(config)
            .inner
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
    }
}
