//! Issue 4's property test: random sequences of joins, admissions, denials, removals, sends back
//! to the waiting room, leaves (guests and the host), clock
//! advances, bot join attempts, polls and meeting ends, in both auth modes, through the connector
//! and the bot against the embedded fake. After every step and at the end:
//!
//! * OAuth: the bot never waits (neither in the waiting room nor for the host), unless a host
//!   sends it back to the waiting room; and no alert.
//! * API Key/Secret: the bot never holds a ZAK, and exactly one alert is sent per join attempt
//!   (none when suppressed).
//! * The bot has a transcript if and only if the fake says it got into the meeting before the
//!   meeting ended; in particular whenever a host admitted it successfully.
//! * No participant is lost or counted twice: every participant that joined the instance is in
//!   the fake's room exactly once.
//!
//! A failing case prints the shrunk sequence of operations, which replays it.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use zoom_connector::bot::{BotSession, BotState};

use crate::bot_env::{BotWorld, HOST_ID, Mode};

#[derive(Debug, Clone)]
enum Op {
    HostJoins,
    GuestJoins,
    BotAttends,
    AdmitBot(usize),
    DenyBot(usize),
    SendBotBack(usize),
    RemoveBot(usize),
    HostLeaves,
    AdmitGuest(usize),
    GuestLeaves(usize),
    Advance(u64),
    Poll,
    EndMeeting,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::HostJoins),
        2 => Just(Op::GuestJoins),
        3 => Just(Op::BotAttends),
        3 => (0..4usize).prop_map(Op::AdmitBot),
        1 => (0..4usize).prop_map(Op::DenyBot),
        1 => (0..4usize).prop_map(Op::SendBotBack),
        1 => (0..4usize).prop_map(Op::RemoveBot),
        1 => Just(Op::HostLeaves),
        1 => (0..4usize).prop_map(Op::AdmitGuest),
        1 => (0..4usize).prop_map(Op::GuestLeaves),
        2 => (1..15u64).prop_map(Op::Advance),
        3 => Just(Op::Poll),
        1 => Just(Op::EndMeeting),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    mode: Mode,
    waiting_room: bool,
    join_before_host: bool,
    suppress: bool,
    ops: Vec<Op>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop_oneof![Just(Mode::OAuth), Just(Mode::ApiKey)],
        // (waiting room, join before host): Zoom turns join-before-host off with a waiting room.
        prop_oneof![
            Just((true, false)),
            Just((false, false)),
            Just((false, true))
        ],
        any::<bool>(),
        prop::collection::vec(op(), 1..20),
    )
        .prop_map(
            |(mode, (waiting_room, join_before_host), suppress, ops)| Case {
                mode,
                waiting_room,
                join_before_host,
                suppress,
                ops,
            },
        )
}

struct Run {
    world: BotWorld,
    meeting: u64,
    host: Option<String>,
    guests: Vec<String>,
    sessions: Vec<BotSession>,
    /// Sessions a host admitted successfully (indexes into `sessions`).
    admitted: BTreeSet<usize>,
    /// Sessions a host sent back to the waiting room: waiting then is the host's doing, not
    /// the join's, so "never waits" does not apply to them.
    sent_back: BTreeSet<usize>,
    /// Every participant id the fake handed out for this meeting.
    participants: Vec<String>,
    attempts: usize,
    ended: bool,
}

fn bot_participant(session: &BotSession) -> Option<String> {
    match session.state() {
        BotState::Waiting { participant_id, .. }
        | BotState::WaitingForHost { participant_id, .. }
        | BotState::Joined { participant_id, .. } => Some(participant_id.clone()),
        _ => None,
    }
}

impl Run {
    fn check_session(
        &self,
        case: &Case,
        index: usize,
        session: &BotSession,
    ) -> Result<(), TestCaseError> {
        match case.mode {
            Mode::OAuth if self.sent_back.contains(&index) => {}
            Mode::OAuth => prop_assert!(
                !session.state().is_waiting(),
                "OAuth bot waits: {session:?}"
            ),
            Mode::ApiKey => {
                prop_assert!(!session.used_zak(), "API-key bot holds a ZAK: {session:?}")
            }
        }
        Ok(())
    }

    fn check_alerts(&self, case: &Case) -> Result<(), TestCaseError> {
        let expected = if case.mode == Mode::ApiKey && !case.suppress {
            self.attempts
        } else {
            0
        };
        prop_assert_eq!(
            self.world.alerts.alerts().len(),
            expected,
            "alerts after {} attempts",
            self.attempts
        );
        Ok(())
    }

    /// Every participant handed out appears in the room exactly once. Notes when the instance
    /// has ended (also when everyone left), after which nothing joins any more.
    async fn check_room(&mut self) -> Result<(), TestCaseError> {
        if self.participants.is_empty() {
            return Ok(());
        }
        let room = self.world.room(self.meeting).await;
        if room["live"] == Value::Bool(false) {
            self.ended = true;
        }
        let listed: Vec<String> = room["participants"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p["participant_id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let unique: BTreeSet<&String> = listed.iter().collect();
        prop_assert_eq!(
            unique.len(),
            listed.len(),
            "a participant is listed twice: {}",
            room
        );
        for id in &self.participants {
            prop_assert!(unique.contains(id), "participant {} lost: {}", id, room);
        }
        Ok(())
    }

    async fn apply(&mut self, case: &Case, op: &Op) -> Result<(), TestCaseError> {
        if self.ended && !matches!(op, Op::Advance(_) | Op::Poll) {
            return Ok(()); // one instance per case: nothing joins after the end
        }
        match op {
            Op::HostJoins => {
                if self.host.is_none() {
                    let (id, _) = self
                        .world
                        .join(self.meeting, "Hazel Host", "host", Some(HOST_ID))
                        .await;
                    self.participants.push(id.clone());
                    self.host = Some(id);
                }
            }
            Op::GuestJoins => {
                let (id, _) = self
                    .world
                    .join(self.meeting, "Guest", "external", None)
                    .await;
                self.participants.push(id.clone());
                self.guests.push(id);
            }
            Op::BotAttends => {
                let connector = self.world.connector();
                let bot = self.world.bot().suppress_zak_alerts(case.suppress);
                let session = bot
                    .attend(&connector, self.meeting, HOST_ID)
                    .await
                    .map_err(fail)?;
                self.attempts += 1;
                if let Some(id) = bot_participant(&session) {
                    self.participants.push(id);
                }
                self.check_session(case, self.sessions.len(), &session)?;
                self.sessions.push(session);
            }
            Op::AdmitBot(i) | Op::DenyBot(i) | Op::SendBotBack(i) | Op::RemoveBot(i) => {
                let (Some(host), false) = (&self.host, self.sessions.is_empty()) else {
                    return Ok(());
                };
                let index = i % self.sessions.len();
                let Some(pid) = bot_participant(&self.sessions[index]) else {
                    return Ok(());
                };
                let action = match op {
                    Op::AdmitBot(_) => "admit",
                    Op::DenyBot(_) => "deny",
                    Op::SendBotBack(_) => "waiting_room",
                    _ => "remove",
                };
                let path = format!(
                    "/_fake/meetings/{}/participants/{pid}/{action}",
                    self.meeting
                );
                let (code, _) = self
                    .world
                    .control(&path, serde_json::json!({"by": host}))
                    .await;
                match (code < 300, action) {
                    (true, "admit") => self.admitted.insert(index),
                    (true, "waiting_room") => self.sent_back.insert(index),
                    _ => false,
                };
            }
            Op::HostLeaves => {
                if let Some(host) = self.host.take() {
                    self.world.leave(self.meeting, &host).await;
                }
            }
            Op::AdmitGuest(i) => {
                if let (Some(host), false) = (&self.host, self.guests.is_empty()) {
                    let guest = self.guests[i % self.guests.len()].clone();
                    self.world.admit(self.meeting, &guest, host).await;
                }
            }
            Op::GuestLeaves(i) => {
                if !self.guests.is_empty() {
                    let guest = self.guests[i % self.guests.len()].clone();
                    self.world.leave(self.meeting, &guest).await;
                }
            }
            Op::Advance(minutes) => self.world.advance_minutes(*minutes),
            Op::Poll => {
                for session in &mut self.sessions {
                    session.poll().await.map_err(fail)?;
                }
                for (index, session) in self.sessions.iter().enumerate() {
                    self.check_session(case, index, session)?;
                }
            }
            Op::EndMeeting => {
                let (code, _) = self.world.end(self.meeting).await;
                self.ended = code < 300;
            }
        }
        self.check_alerts(case)?;
        self.check_room().await
    }

    /// Ends the meeting, settles every session, and checks the transcript rule.
    async fn finish(&mut self, case: &Case) -> Result<(), TestCaseError> {
        if !self.ended {
            self.world.end(self.meeting).await;
        }
        for session in &mut self.sessions {
            session.poll().await.map_err(fail)?;
        }
        for (index, session) in self.sessions.iter().enumerate() {
            self.check_session(case, index, session)?;
            let Some(pid) = self.participants_of(session) else {
                prop_assert!(
                    session.transcript().is_none(),
                    "transcript without a participant: {session:?}"
                );
                continue;
            };
            let record: Value = self.world.participant(self.meeting, &pid).await;
            let got_in = !record["joined_at"].is_null();
            prop_assert_eq!(
                session.transcript().is_some(),
                got_in,
                "transcript vs the fake's record {} for {:?}",
                record,
                session
            );
            if self.admitted.contains(&index) {
                prop_assert!(
                    session.transcript().is_some(),
                    "admitted but no transcript: {session:?}"
                );
            }
        }
        self.check_alerts(case)
    }

    fn participants_of(&self, session: &BotSession) -> Option<String> {
        session.participant_id().map(str::to_string)
    }
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

async fn run_case(case: Case) -> Result<(), TestCaseError> {
    let world = BotWorld::configured(case.mode).await;
    let connector = world.connector();
    let meeting = world
        .create_meeting(&connector, case.waiting_room, case.join_before_host)
        .await;
    let mut run = Run {
        world,
        meeting,
        host: None,
        guests: Vec::new(),
        sessions: Vec::new(),
        admitted: BTreeSet::new(),
        sent_back: BTreeSet::new(),
        participants: Vec::new(),
        attempts: 0,
        ended: false,
    };
    for op in &case.ops {
        run.apply(&case, op).await?;
    }
    run.finish(&case).await
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn bot_rules_hold_for_random_meetings(case in case()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run_case(case))?;
    }
}
