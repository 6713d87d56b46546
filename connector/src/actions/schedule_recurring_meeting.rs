//! Schedule Recurring Meeting: a type 8 meeting (recurring, fixed time) with Zoom's recurrence
//! rules, checked before sending.
//!
//! Zoom's rules (create-meeting `recurrence` object): `type` 1 daily / 2 weekly / 3 monthly;
//! `repeat_interval` at most 99 days, 50 weeks or 10 months; weekly needs `weekly_days`
//! (1 = Sunday … 7 = Saturday); monthly takes either `monthly_day` (1–31) or `monthly_week`
//! (-1 last, 1–4) with `monthly_week_day`; the series ends after `end_times` (1–60) occurrences
//! or at `end_date_time`, never both. The typed [`RecurrenceRule`] makes the exclusive choices
//! unrepresentable; the ranges are checked in [`RecurrenceRule::to_wire`].

use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

use crate::ZoomConnector;
use crate::api::{Meeting, Recurrence, StartTime};
use crate::connector::non_empty;
use crate::error::ConnectorError;
use crate::scopes::{Action, MEETING_WRITE_CREATE, ScopeRequirement, USER_READ};

use super::create_meeting::CreateMeeting;

/// The seed's row: `meeting:write`, `user:read`.
pub const SCOPES: &[ScopeRequirement] = &[MEETING_WRITE_CREATE, USER_READ];

/// A day of the week (Zoom numbers them 1 = Sunday … 7 = Saturday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weekday {
    /// 1
    Sunday = 1,
    /// 2
    Monday,
    /// 3
    Tuesday,
    /// 4
    Wednesday,
    /// 5
    Thursday,
    /// 6
    Friday,
    /// 7
    Saturday,
}

/// How often the meeting recurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecurrencePattern {
    /// Every `repeat_interval` days.
    Daily,
    /// Every `repeat_interval` weeks on these days.
    Weekly {
        /// The days (at least one).
        days: Vec<Weekday>,
    },
    /// Every `repeat_interval` months.
    Monthly(MonthlyRule),
}

/// Which day of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthlyRule {
    /// This day of the month (1–31).
    Day(u8),
    /// This weekday of this week (-1 = last, 1–4).
    Weekday {
        /// -1 or 1–4.
        week: i8,
        /// The weekday.
        day: Weekday,
    },
}

/// When the series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecurrenceEnd {
    /// After this many occurrences (1–60).
    After(u32),
    /// At this instant (sent as UTC).
    Until(OffsetDateTime),
}

/// A recurrence rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurrenceRule {
    /// Daily, weekly or monthly.
    pub pattern: RecurrencePattern,
    /// Every N days/weeks/months (≥ 1).
    pub repeat_interval: u32,
    /// When it ends.
    pub end: RecurrenceEnd,
}

/// A recurring meeting: the meeting (its start time is the first occurrence and is required)
/// and its rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RecurringMeeting {
    /// The meeting; `start_time` required.
    pub meeting: CreateMeeting,
    /// The rule.
    pub recurrence: RecurrenceRule,
}

const UTC_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

fn invalid(field: &'static str, message: impl Into<String>) -> ConnectorError {
    ConnectorError::InvalidInput {
        field,
        message: message.into(),
    }
}

impl RecurrenceRule {
    /// Check the rule against Zoom's limits and write it in Zoom's wire format.
    pub fn to_wire(&self) -> Result<Recurrence, ConnectorError> {
        let (recurrence_type, max_interval, unit) = match self.pattern {
            RecurrencePattern::Daily => (1, 99, "days"),
            RecurrencePattern::Weekly { .. } => (2, 50, "weeks"),
            RecurrencePattern::Monthly(_) => (3, 10, "months"),
        };
        if !(1..=max_interval).contains(&self.repeat_interval) {
            return Err(invalid(
                "recurrence.repeat_interval",
                format!(
                    "is {}; Zoom allows 1 to {max_interval} {unit}",
                    self.repeat_interval
                ),
            ));
        }
        let mut wire = Recurrence {
            recurrence_type,
            repeat_interval: Some(self.repeat_interval),
            ..Default::default()
        };
        match &self.pattern {
            RecurrencePattern::Daily => {}
            RecurrencePattern::Weekly { days } => {
                if days.is_empty() {
                    return Err(invalid(
                        "recurrence.weekly_days",
                        "a weekly recurrence needs at least one day",
                    ));
                }
                let mut days = days.clone();
                days.sort();
                days.dedup();
                wire.weekly_days = Some(
                    days.iter()
                        .map(|d| (*d as u8).to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                );
            }
            RecurrencePattern::Monthly(MonthlyRule::Day(day)) => {
                if !(1..=31).contains(day) {
                    return Err(invalid(
                        "recurrence.monthly_day",
                        format!("is {day}; must be 1 to 31"),
                    ));
                }
                wire.monthly_day = Some(*day);
            }
            RecurrencePattern::Monthly(MonthlyRule::Weekday { week, day }) => {
                if ![-1, 1, 2, 3, 4].contains(week) {
                    return Err(invalid(
                        "recurrence.monthly_week",
                        format!("is {week}; must be -1 (last) or 1 to 4"),
                    ));
                }
                wire.monthly_week = Some(*week);
                wire.monthly_week_day = Some(*day as u8);
            }
        }
        match self.end {
            RecurrenceEnd::After(times) => {
                if !(1..=60).contains(&times) {
                    return Err(invalid(
                        "recurrence.end_times",
                        format!("is {times}; Zoom allows 1 to 60 occurrences"),
                    ));
                }
                wire.end_times = Some(times);
            }
            RecurrenceEnd::Until(at) => {
                wire.end_date_time = Some(
                    at.to_offset(time::UtcOffset::UTC)
                        .format(UTC_FORMAT)
                        .map_err(|e| invalid("recurrence.end_date_time", e.to_string()))?,
                );
            }
        }
        Ok(wire)
    }
}

impl ZoomConnector {
    /// Schedule a recurring meeting with a fixed time (type 8) hosted by `host`.
    pub async fn schedule_recurring_meeting(
        &self,
        host: &str,
        input: RecurringMeeting,
    ) -> Result<Meeting, ConnectorError> {
        non_empty("host", host)?;
        let Some(start) = input.meeting.start_time else {
            return Err(invalid(
                "start_time",
                "a recurring meeting with a fixed time needs the first occurrence's start time",
            ));
        };
        let recurrence = input.recurrence.to_wire()?;
        if let (StartTime::At(first), RecurrenceEnd::Until(end)) = (start, input.recurrence.end)
            && end <= first
        {
            return Err(invalid(
                "recurrence.end_date_time",
                "the series must end after its first occurrence",
            ));
        }
        let mut request = input.meeting.to_request(8)?;
        request.recurrence = Some(recurrence);
        self.post_meeting(host, Action::ScheduleRecurringMeeting, &request)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn rule(pattern: RecurrencePattern, interval: u32, end: RecurrenceEnd) -> RecurrenceRule {
        RecurrenceRule {
            pattern,
            repeat_interval: interval,
            end,
        }
    }

    #[test]
    fn weekly_rule_in_zooms_format() {
        let wire = rule(
            RecurrencePattern::Weekly {
                days: vec![Weekday::Tuesday, Weekday::Sunday, Weekday::Tuesday],
            },
            1,
            RecurrenceEnd::After(7),
        )
        .to_wire()
        .unwrap();
        assert_eq!(
            serde_json::to_value(wire).unwrap(),
            serde_json::json!({"type": 2, "repeat_interval": 1, "weekly_days": "1,3", "end_times": 7})
        );
    }

    #[test]
    fn monthly_rules_in_zooms_format() {
        let wire = rule(
            RecurrencePattern::Monthly(MonthlyRule::Weekday {
                week: -1,
                day: Weekday::Friday,
            }),
            2,
            RecurrenceEnd::Until(datetime!(2027-06-01 10:00 +02:00)),
        )
        .to_wire()
        .unwrap();
        assert_eq!(
            serde_json::to_value(wire).unwrap(),
            serde_json::json!({"type": 3, "repeat_interval": 2, "monthly_week": -1,
                               "monthly_week_day": 6, "end_date_time": "2027-06-01T08:00:00Z"})
        );
    }

    #[test]
    fn out_of_range_rules_are_refused_naming_the_field() {
        let cases = [
            (
                rule(RecurrencePattern::Daily, 100, RecurrenceEnd::After(3)),
                "repeat_interval",
            ),
            (
                rule(RecurrencePattern::Daily, 0, RecurrenceEnd::After(3)),
                "repeat_interval",
            ),
            (
                rule(
                    RecurrencePattern::Weekly { days: vec![] },
                    1,
                    RecurrenceEnd::After(3),
                ),
                "weekly_days",
            ),
            (
                rule(
                    RecurrencePattern::Weekly {
                        days: vec![Weekday::Monday],
                    },
                    51,
                    RecurrenceEnd::After(3),
                ),
                "repeat_interval",
            ),
            (
                rule(
                    RecurrencePattern::Monthly(MonthlyRule::Day(32)),
                    1,
                    RecurrenceEnd::After(3),
                ),
                "monthly_day",
            ),
            (
                rule(
                    RecurrencePattern::Monthly(MonthlyRule::Weekday {
                        week: 5,
                        day: Weekday::Monday,
                    }),
                    1,
                    RecurrenceEnd::After(3),
                ),
                "monthly_week",
            ),
            (
                rule(RecurrencePattern::Daily, 1, RecurrenceEnd::After(61)),
                "end_times",
            ),
            (
                rule(RecurrencePattern::Daily, 1, RecurrenceEnd::After(0)),
                "end_times",
            ),
        ];
        for (rule, field) in cases {
            let err = rule.to_wire().unwrap_err();
            assert!(err.to_string().contains(field), "{err} should name {field}");
        }
    }
}
