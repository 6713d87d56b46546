//! Property test of live rooms: random sequences of joins (host, account users, externals, bots
//! with and without a ZAK), admissions, denials, sends back, removals, leaves, clock advances and
//! ends, driven through the embedded handle. After every step:
//! * no participant is lost or counted twice: every successful join is found again, once, in
//!   the instance it joined, and the room lists each participant id once;
//! * with the waiting room on, nobody but the host or a valid-ZAK bot is in the meeting without
//!   an admission by the host or a co-host (`entry` is `admitted`, with `admitted_at`);
//! * a bot with a valid ZAK is never put in the waiting room by its join;
//! * after an end, nobody of that instance is still present;
//! * a participant's time in the meeting never exceeds the time since they arrived.

use std::collections::HashMap;

use fake_zoom::control_rooms::JoinRequest;
use fake_zoom::model::room::JoinRole;
use proptest::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::live_support::{HOST, Live, MEMBER};

#[derive(Debug, Clone)]
enum Op {
    JoinHost,
    JoinMember,
    JoinExternal,
    JoinBot { zak: bool },
    Admit { who: usize, by: usize },
    Deny { who: usize, by: usize },
    SendBack { who: usize, by: usize },
    Remove { who: usize, by: usize },
    Leave { who: usize },
    Advance { seconds: u64 },
    End,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::JoinHost),
        1 => Just(Op::JoinMember),
        2 => Just(Op::JoinExternal),
        2 => any::<bool>().prop_map(|zak| Op::JoinBot { zak }),
        3 => (0..12usize, 0..12usize).prop_map(|(who, by)| Op::Admit { who, by }),
        1 => (0..12usize, 0..12usize).prop_map(|(who, by)| Op::Deny { who, by }),
        1 => (0..12usize, 0..12usize).prop_map(|(who, by)| Op::SendBack { who, by }),
        1 => (0..12usize, 0..12usize).prop_map(|(who, by)| Op::Remove { who, by }),
        2 => (0..12usize).prop_map(|who| Op::Leave { who }),
        2 => (1..900u64).prop_map(|seconds| Op::Advance { seconds }),
        2 => Just(Op::End),
    ]
}

struct Joined {
    participant_id: String,
    uuid: String,
    host_like: bool,
    zak: bool,
    arrived: time::OffsetDateTime,
    /// The status the join answered.
    first_status: String,
}

fn check_sequence(
    live: &Live,
    rt: &tokio::runtime::Runtime,
    ops: &[Op],
) -> Result<(), TestCaseError> {
    rt.block_on(live.renew_token());
    let id = rt.block_on(live.meeting(json!({"waiting_room": true, "join_before_host": false})));
    let zak = rt.block_on(live.zak(MEMBER));
    let mut joined: Vec<Joined> = Vec::new();
    let mut ended_instances: Vec<String> = Vec::new();
    for op in ops {
        let pid = |i: usize| {
            joined
                .get(i % joined.len().max(1))
                .map(|j| j.participant_id.clone())
        };
        let join = |request: JoinRequest, host_like: bool, zak: bool, joined: &mut Vec<Joined>| {
            if let Ok(out) = live.fake.join(id, request) {
                joined.push(Joined {
                    participant_id: out.participant_id,
                    uuid: out.meeting_uuid,
                    host_like,
                    zak,
                    arrived: live.fake.now(),
                    first_status: serde_json::to_value(out.status)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default(),
                });
            }
        };
        match op {
            Op::JoinHost => join(
                JoinRequest::new("Host", JoinRole::Host).user(HOST),
                true,
                false,
                &mut joined,
            ),
            Op::JoinMember => join(
                JoinRequest::new("Member", JoinRole::AccountUser).user(MEMBER),
                false,
                false,
                &mut joined,
            ),
            Op::JoinExternal => join(
                JoinRequest::new("Guest", JoinRole::External),
                false,
                false,
                &mut joined,
            ),
            Op::JoinBot { zak: with_zak } => {
                let mut request = JoinRequest::new("Scribe", JoinRole::Bot);
                if *with_zak {
                    request = request.zak(zak.clone());
                }
                join(request, false, *with_zak, &mut joined)
            }
            Op::Admit { who, by }
            | Op::Deny { who, by }
            | Op::SendBack { who, by }
            | Op::Remove { who, by } => {
                if let (Some(w), Some(b)) = (pid(*who), pid(*by)) {
                    let _ = match op {
                        Op::Admit { .. } => live.fake.admit(id, &w, &b),
                        Op::Deny { .. } => live.fake.deny(id, &w, &b),
                        Op::SendBack { .. } => live.fake.send_to_waiting_room(id, &w, &b),
                        _ => live.fake.remove_participant(id, &w, &b),
                    };
                }
            }
            Op::Leave { who } => {
                if let Some(w) = pid(*who) {
                    let _ = live.fake.leave(id, &w);
                }
            }
            Op::Advance { seconds } => live.fake.advance(std::time::Duration::from_secs(*seconds)),
            Op::End => {
                if let Ok(room) = live.fake.room(id)
                    && room["live"] == true
                    && live.fake.end_meeting(id).unwrap_or(false)
                {
                    let uuid = room["uuid"].as_str().unwrap().to_string();
                    ended_instances.push(uuid.clone());
                    check_attendance(live, rt, id, &uuid)?;
                }
            }
        }
        // Invariants.
        let now = live.fake.now();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for j in &joined {
            let p = live.fake.participant(id, &j.participant_id).map_err(|e| {
                TestCaseError::fail(format!("participant {} lost: {e}", j.participant_id))
            })?;
            *seen.entry(p.participant_id.clone()).or_default() += 1;
            prop_assert_eq!(
                &p.meeting_uuid,
                &j.uuid,
                "participant moved between instances"
            );
            prop_assert!(
                p.seconds_in_meeting <= (now - j.arrived).whole_seconds(),
                "more time in the meeting than since arrival: {:?}",
                p
            );
            if p.status == "in_meeting" && !j.host_like && !j.zak {
                // Members are not exempt (the waiting room holds everyone); co-hosts never join here.
                prop_assert_eq!(
                    p.entry.as_deref(),
                    Some("admitted"),
                    "in without admission: {:?}",
                    p
                );
                prop_assert!(p.admitted_at.is_some());
            }
            if j.zak {
                // (The host may still send it back later, as with anyone.)
                prop_assert_ne!(
                    j.first_status.as_str(),
                    "in_waiting_room",
                    "a valid ZAK never waits"
                );
            }
            if ended_instances.contains(&j.uuid) {
                prop_assert!(
                    !matches!(
                        p.status.as_str(),
                        "in_meeting" | "in_waiting_room" | "waiting_for_host"
                    ),
                    "still present after the end: {:?}",
                    p
                );
            }
        }
        prop_assert!(seen.values().all(|n| *n == 1));
        if let Ok(room) = live.fake.room(id) {
            let ids: Vec<&str> = room["participants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["participant_id"].as_str().unwrap())
                .collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), ids.len(), "a participant listed twice");
            let in_this = joined
                .iter()
                .filter(|j| Some(j.uuid.as_str()) == room["uuid"].as_str())
                .count();
            prop_assert_eq!(ids.len(), in_this, "the room lists exactly its joins");
        }
    }
    let _ = rt.block_on(live.api(Method::DELETE, &format!("/meetings/{id}"), None));
    Ok(())
}

/// The attendance report of an ended instance accounts for exactly the time its participants
/// spent in it: the rows' durations add up to the participants' seconds (a stay listed twice or
/// missing would show). Zoom lists nothing for a single attendee.
fn check_attendance(
    live: &Live,
    rt: &tokio::runtime::Runtime,
    id: u64,
    uuid: &str,
) -> Result<(), TestCaseError> {
    let room = live
        .fake
        .room(id)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    if room["uuid"] != uuid || room["started_at"].is_null() {
        return Ok(()); // never started: no past meeting
    }
    let participants = room["participants"].as_array().unwrap();
    let seconds: i64 = participants
        .iter()
        .map(|p| p["seconds_in_meeting"].as_i64().unwrap())
        .sum();
    rt.block_on(live.renew_token());
    let (status, past) = rt.block_on(live.api(Method::GET, &format!("/past_meetings/{id}"), None));
    prop_assert_eq!(status, 200, "{}", past);
    prop_assert_eq!(past["uuid"].as_str(), Some(uuid));
    let (status, report) = rt.block_on(live.api(
        Method::GET,
        &format!("/report/meetings/{id}/participants?page_size=300"),
        None,
    ));
    prop_assert_eq!(status, 200, "{}", report);
    let rows = report["participants"].as_array().unwrap();
    if past["participants_count"].as_u64() == Some(1) {
        prop_assert!(rows.is_empty());
        return Ok(());
    }
    let in_meeting: Vec<&Value> = rows
        .iter()
        .filter(|r| r["status"] == "in_meeting")
        .collect();
    let reported: i64 = in_meeting
        .iter()
        .map(|r| r["duration"].as_i64().unwrap())
        .sum();
    prop_assert_eq!(reported, seconds, "report durations vs time in the meeting");
    Ok(())
}

#[test]
fn rooms_never_lose_or_double_count_and_admission_follows_the_rules() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    // Many meetings in a few real seconds: no per-second limits here.
    let mut account = crate::live_support::account();
    account.rate_limits.enabled = false;
    let live = rt.block_on(Live::with_account(account));
    let config = ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(ops in proptest::collection::vec(op(), 1..40))| {
        check_sequence(&live, &rt, &ops)?;
    });
}
