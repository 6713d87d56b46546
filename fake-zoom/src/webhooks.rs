//! Webhooks: per-app event subscriptions, Zoom's signing, the `endpoint.url_validation`
//! handshake, and delivery with retries on the fake's clock.
//!
//! * [`Webhooks`]: subscriptions, the delivery queue and the delivery log; shared by the
//!   request handlers (which only enqueue: a handler never waits for a receiver) and the
//!   dispatcher task ([`Webhooks::spawn_dispatcher`]) that does the POSTs.
//! * [`envelope`], [`sign`], [`url_validation_answer`]: the wire format, exactly as Zoom sends it.
//! * [`room_event`]: a [`RoomEvent`] as Zoom's `meeting.*` event name and payload.
//!
//! Zoom facts (fact sheet §6, Zoom's "Webhook delays" article):
//! * The body is compact JSON `{"event","event_ts"(ms),"payload":{"account_id","object":{..}}}`;
//!   some official receivers re-serialize the parsed body compactly before checking the signature,
//!   so the fake sends exactly what `serde_json::to_vec` gives (compact, UTF-8 unescaped).
//! * Headers: `x-zm-request-timestamp` (seconds), `x-zm-signature: v0=<hex>` where
//!   `<hex> = hex(HMAC_SHA256(secret token, "v0:{timestamp}:{body}"))`, `x-zm-request-id`,
//!   `x-zm-trackingid`, `user-agent: Zoom Marketplace/1.0a`. The timestamp is the *fake's* clock
//!   (a receiver checking freshness must compare with the fake's clock, not the wall clock).
//! * URL validation: `{"payload":{"plainToken":..},"event_ts":..,"event":"endpoint.url_validation"}`,
//!   signed like any event; the receiver answers 200/204 within 3 s with
//!   `{"plainToken", "encryptedToken": hex(HMAC_SHA256(secret, plainToken))}`. The fake validates
//!   when a subscription is saved (a failure refuses the subscription, as Zoom's "Validate" button
//!   does) and again every 72 h of the fake's clock; 6 failed re-validations in a row disable it.
//! * Delivery succeeds on any 2xx within 3 s. Only a 5xx or a network error (including the 3 s
//!   timeout) is retried: 5 min after the first attempt, 20 min after the first retry, 60 min
//!   after the second; then the event is dropped. 3xx and 4xx are never retried.
//! * Scopes (fact sheet §4): an app receives only the events its scopes allow (the event rows of
//!   the scope table, [`crate::auth::scopes::EVENT_SCOPES`]). They are checked when a
//!   subscription is saved and again for every event sent, against the app's scopes at that
//!   moment, so a later scope change (an admin-role downgrade) stops the events it no longer
//!   covers.
//! * Choices: a subscription with no event list receives every event its app's scopes allow;
//!   `app_deauthorized` goes to all of the app's subscriptions (Zoom sends it to the app's
//!   deauthorization endpoint).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::Sha256;
use time::{Duration, OffsetDateTime};
use tokio::sync::{Notify, watch};

use crate::auth::scopes::Grant;
use crate::model::room::{MeetingFacts, ParticipantRef, RoomEvent};

/// Retry delays after a failed attempt: 5, 20 and 60 minutes (then the event is dropped).
pub const RETRY_DELAYS_MINUTES: [i64; 3] = [5, 20, 60];
/// How long a receiver has to answer.
pub const RECEIVER_TIMEOUT: StdDuration = StdDuration::from_secs(3);
/// How often Zoom re-validates an endpoint.
pub const REVALIDATE_EVERY: Duration = Duration::hours(72);
/// Consecutive failed re-validations after which a subscription is disabled.
pub const MAX_VALIDATION_FAILURES: u32 = 6;
/// Event subscriptions per app (Zoom's Marketplace limit).
pub const MAX_SUBSCRIPTIONS_PER_APP: usize = 20;
/// Delivery attempts kept when no capacity is configured (the journal's default).
pub const DEFAULT_DELIVERY_LOG_CAPACITY: usize = 1024;

/// The clock deliveries are timed on (the fake's virtual clock).
pub trait TimeSource: Send + Sync + 'static {
    /// Now, on the fake's clock.
    fn now(&self) -> OffsetDateTime;
    /// Whether time stands still between advances (then nothing is due until an advance).
    fn is_paused(&self) -> bool;
}

type HmacSha256 = Hmac<Sha256>;

fn hmac_hex(secret: &str, message: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

/// `x-zm-signature` for a body sent at `timestamp` (seconds): `v0=` + hex HMAC-SHA256 of
/// `v0:{timestamp}:{body}` keyed with the subscription's secret token.
pub fn sign(secret: &SecretString, timestamp: i64, body: &[u8]) -> String {
    let mut message = format!("v0:{timestamp}:").into_bytes();
    message.extend_from_slice(body);
    format!("v0={}", hmac_hex(secret.expose_secret(), &message))
}

/// The `encryptedToken` a receiver must return for `plain_token`.
pub fn url_validation_answer(secret: &SecretString, plain_token: &str) -> String {
    hmac_hex(secret.expose_secret(), plain_token.as_bytes())
}

/// A Zoom event body, compact: `{"event","event_ts","payload"}`.
pub fn envelope(event: &str, at: OffsetDateTime, payload: Value) -> Vec<u8> {
    envelope_with(event, at, payload, None)
}

/// As [`envelope`], with one more top-level field (`recording.completed`'s `download_token`).
pub fn envelope_with(
    event: &str,
    at: OffsetDateTime,
    payload: Value,
    extra: Option<(&str, Value)>,
) -> Vec<u8> {
    let mut body = json!({
        "event": event,
        "event_ts": millis(at),
        "payload": payload,
    });
    if let Some((key, value)) = extra {
        body[key] = value;
    }
    serde_json::to_vec(&body).expect("a JSON value always serializes")
}

fn millis(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The `payload.object` common to all `meeting.*` events.
pub fn meeting_object(facts: &MeetingFacts, uuid: &str, start: OffsetDateTime) -> Value {
    json!({
        "id": facts.meeting_id.to_string(),
        "uuid": uuid,
        "host_id": facts.host_id,
        "topic": facts.topic,
        "type": facts.meeting_type,
        "start_time": rfc3339(start),
        "timezone": facts.timezone,
        "duration": facts.duration,
    })
}

fn participant_object(p: &ParticipantRef) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("user_id".into(), json!(p.participant_id));
    m.insert("user_name".into(), json!(p.name));
    m.insert("id".into(), json!(p.user_id.clone().unwrap_or_default()));
    m.insert("participant_uuid".into(), json!(p.participant_uuid));
    // Required by Zoom's schema; empty for guests without one, as Zoom sends it.
    m.insert("email".into(), json!(p.email.clone().unwrap_or_default()));
    m.insert(
        "participant_user_id".into(),
        json!(p.user_id.clone().unwrap_or_default()),
    );
    m
}

/// A room event as Zoom's event name and `payload` (without the envelope). `start` is the
/// instance's start (or arrival time before it started).
pub fn room_event(
    event: &RoomEvent,
    facts: &MeetingFacts,
    start: OffsetDateTime,
) -> (&'static str, Value) {
    let with_participant = |uuid: &str, p: &ParticipantRef, extra: &[(&str, Value)]| {
        let mut object = meeting_object(facts, uuid, start);
        let mut participant = participant_object(p);
        for (k, v) in extra {
            participant.insert((*k).to_string(), v.clone());
        }
        object["participant"] = Value::Object(participant);
        object
    };
    let account = facts.account_id.clone();
    match event {
        RoomEvent::MeetingStarted { uuid, at } => (
            "meeting.started",
            json!({"account_id": account, "object": meeting_object(facts, uuid, *at)}),
        ),
        RoomEvent::MeetingEnded {
            uuid,
            started_at,
            at,
            ..
        } => {
            let mut object = meeting_object(facts, uuid, *started_at);
            object["end_time"] = json!(rfc3339(*at));
            (
                "meeting.ended",
                json!({"account_id": account, "object": object}),
            )
        }
        RoomEvent::JbhWaiting {
            uuid,
            participant,
            at: _,
        } => {
            let mut object = meeting_object(facts, uuid, start);
            object["participant"] = json!({
                "id": participant.user_id.clone().unwrap_or_default(),
                "user_name": participant.name,
            });
            (
                "meeting.participant_jbh_waiting",
                json!({"account_id": account, "object": object}),
            )
        }
        RoomEvent::JoinedWaitingRoom {
            uuid,
            participant,
            at,
        } => (
            "meeting.participant_joined_waiting_room",
            json!({"account_id": account, "object": with_participant(uuid, participant, &[("date_time", json!(rfc3339(*at)))])}),
        ),
        RoomEvent::Admitted {
            uuid,
            participant,
            by,
            at,
        } => (
            "meeting.participant_admitted",
            json!({
                "account_id": account,
                "operator": by.email.clone().unwrap_or_default(),
                "operator_id": by.user_id.clone().unwrap_or_default(),
                "operation": "single",
                "object": with_participant(uuid, participant, &[("date_time", json!(rfc3339(*at)))]),
            }),
        ),
        RoomEvent::PutInWaitingRoom {
            uuid,
            participant,
            by,
            at,
        } => (
            "meeting.participant_put_in_waiting_room",
            json!({
                "account_id": account,
                "operator": by.email.clone().unwrap_or_default(),
                "operator_id": by.user_id.clone().unwrap_or_default(),
                "object": with_participant(uuid, participant, &[("date_time", json!(rfc3339(*at)))]),
            }),
        ),
        RoomEvent::LeftWaitingRoom {
            uuid,
            participant,
            reason,
            at,
        } => (
            "meeting.participant_left_waiting_room",
            json!({"account_id": account, "object": with_participant(uuid, participant, &[
                ("date_time", json!(rfc3339(*at))),
                ("leave_reason", json!(reason)),
            ])}),
        ),
        RoomEvent::Joined {
            uuid,
            participant,
            at,
        } => (
            "meeting.participant_joined",
            json!({"account_id": account, "object": with_participant(uuid, participant, &[
                ("join_time", json!(rfc3339(*at))),
                ("date_time", json!(rfc3339(*at))),
            ])}),
        ),
        RoomEvent::Left {
            uuid,
            participant,
            reason,
            at,
        } => (
            "meeting.participant_left",
            json!({"account_id": account, "object": with_participant(uuid, participant, &[
                ("leave_time", json!(rfc3339(*at))),
                ("leave_reason", json!(reason)),
            ])}),
        ),
        RoomEvent::Recording { uuid, action, at } => {
            let mut object = meeting_object(facts, uuid, start);
            // Recording events carry the meeting id as an integer.
            object["id"] = json!(facts.meeting_id);
            object["recording_file"] = json!({
                "recording_start": rfc3339(*at),
                "recording_end": if *action == "stopped" { json!(rfc3339(*at)) } else { json!("") },
            });
            let name = match *action {
                "started" => "recording.started",
                "stopped" => "recording.stopped",
                "paused" => "recording.paused",
                _ => "recording.resumed",
            };
            (name, json!({"account_id": account, "object": object}))
        }
    }
}

/// A subscription as shown by the control API (no secret).
#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionView {
    /// Subscription id.
    pub id: String,
    /// The app's client id (or API key).
    pub app: String,
    /// The app's account.
    pub account_id: String,
    /// Endpoint URL.
    pub url: String,
    /// Subscribed events (empty = every event the app's scopes allow).
    pub events: Vec<String>,
    /// Last successful validation.
    #[serde(with = "time::serde::rfc3339")]
    pub validated_at: OffsetDateTime,
    /// Failed re-validations in a row.
    pub validation_failures: u32,
    /// Disabled after too many failed re-validations.
    pub disabled: bool,
}

struct Subscription {
    view: SubscriptionView,
    secret: SecretString,
    next_validation: OffsetDateTime,
    /// The app was uninstalled.
    retired: bool,
}

impl Subscription {
    fn wants(&self, event: &str) -> bool {
        !self.view.disabled
            && (self.view.events.is_empty()
                || self.view.events.iter().any(|e| e == event)
                || event == "app_deauthorized")
    }
}

/// One attempt to deliver, as the control API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryAttempt {
    /// Delivery id (one per event and subscription; retries share it).
    pub delivery_id: u64,
    /// Subscription id.
    pub subscription_id: String,
    /// Event name.
    pub event: String,
    /// Endpoint URL.
    pub url: String,
    /// 1 for the first attempt, 2–4 for retries.
    pub attempt: u32,
    /// When (fake clock).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// HTTP status, when the receiver answered.
    pub status: Option<u16>,
    /// Network error, when it did not.
    pub error: Option<String>,
    /// `delivered`, `retry_scheduled`, `dropped` (retries exhausted) or `failed` (3xx/4xx: not retried).
    pub outcome: &'static str,
    /// When the next attempt is due, if one is scheduled.
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_attempt_at: Option<OffsetDateTime>,
}

#[derive(Clone)]
struct Delivery {
    id: u64,
    subscription_id: String,
    event: String,
    body: Arc<Vec<u8>>,
    attempt: u32,
}

enum Job {
    Deliver(Delivery),
    Revalidate(String),
}

#[derive(Default)]
struct Inner {
    subscriptions: BTreeMap<String, Subscription>,
    /// Due time → jobs (in order of scheduling).
    queue: BTreeMap<(OffsetDateTime, u64), Job>,
    seq: u64,
    next_subscription: u64,
    /// The newest attempts, at most [`Webhooks::log_capacity`] (oldest dropped first).
    log: VecDeque<DeliveryAttempt>,
    in_flight: usize,
}

/// Why a subscription was refused.
#[derive(Debug, thiserror::Error)]
pub enum SubscribeError {
    /// The URL is not http(s).
    #[error("the endpoint URL must be an http or https URL: {0}")]
    BadUrl(String),
    /// The secret token is empty.
    #[error("the secret token must not be empty")]
    EmptySecret,
    /// Too many subscriptions.
    #[error("an app has at most {MAX_SUBSCRIPTIONS_PER_APP} event subscriptions")]
    TooMany,
    /// The endpoint did not pass `endpoint.url_validation`.
    #[error("URL validation failed: {0}")]
    ValidationFailed(String),
}

/// The webhook machinery. Cheap to share (`Arc`).
pub struct Webhooks {
    inner: Mutex<Inner>,
    log_capacity: usize,
    wake: Notify,
    settled: Notify,
    client: reqwest::Client,
}

impl std::fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhooks").finish_non_exhaustive()
    }
}

impl Default for Webhooks {
    fn default() -> Self {
        Self::new()
    }
}

impl Webhooks {
    /// No subscriptions yet; the delivery log keeps the newest
    /// [`DEFAULT_DELIVERY_LOG_CAPACITY`] attempts.
    pub fn new() -> Self {
        Self::with_log_capacity(DEFAULT_DELIVERY_LOG_CAPACITY)
    }

    /// No subscriptions yet; the delivery log keeps the newest `capacity` attempts (at least one),
    /// so a long-running fake's memory stays bounded, as the journal's does.
    pub fn with_log_capacity(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            log_capacity: capacity.max(1),
            wake: Notify::new(),
            settled: Notify::new(),
            client: reqwest::Client::builder()
                .timeout(RECEIVER_TIMEOUT)
                .user_agent("Zoom Marketplace/1.0a")
                .build()
                .unwrap_or_default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Saves a subscription after the endpoint passes `endpoint.url_validation` (awaits the
    /// receiver, at most 3 s).
    pub async fn subscribe(
        &self,
        app: &str,
        account_id: &str,
        url: &str,
        secret: SecretString,
        events: Vec<String>,
        now: OffsetDateTime,
    ) -> Result<SubscriptionView, SubscribeError> {
        let parsed = reqwest::Url::parse(url).map_err(|_| SubscribeError::BadUrl(url.into()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(SubscribeError::BadUrl(url.into()));
        }
        if secret.expose_secret().is_empty() {
            return Err(SubscribeError::EmptySecret);
        }
        if self
            .lock()
            .subscriptions
            .values()
            .filter(|s| s.view.app == app)
            .count()
            >= MAX_SUBSCRIPTIONS_PER_APP
        {
            return Err(SubscribeError::TooMany);
        }
        self.validate(url, &secret, now)
            .await
            .map_err(SubscribeError::ValidationFailed)?;
        let mut inner = self.lock();
        inner.next_subscription += 1;
        let id = format!("sub-{}", inner.next_subscription);
        let view = SubscriptionView {
            id: id.clone(),
            app: app.into(),
            account_id: account_id.into(),
            url: url.into(),
            events,
            validated_at: now,
            validation_failures: 0,
            disabled: false,
        };
        let next_validation = now + REVALIDATE_EVERY;
        inner.subscriptions.insert(
            id.clone(),
            Subscription {
                view: view.clone(),
                secret,
                next_validation,
                retired: false,
            },
        );
        schedule(&mut inner, next_validation, Job::Revalidate(id));
        drop(inner);
        self.wake.notify_one();
        Ok(view)
    }

    /// Removes a subscription; `false` if there was none. Pending deliveries to it are dropped.
    pub fn unsubscribe(&self, id: &str) -> bool {
        let mut inner = self.lock();
        let removed = inner.subscriptions.remove(id).is_some();
        inner.queue.retain(|_, job| match job {
            Job::Deliver(d) => d.subscription_id != id,
            Job::Revalidate(s) => s != id,
        });
        removed
    }

    /// All subscriptions.
    pub fn subscriptions(&self) -> Vec<SubscriptionView> {
        self.lock()
            .subscriptions
            .values()
            .map(|s| s.view.clone())
            .collect()
    }

    /// The delivery log (the newest attempts, at most the log's capacity), oldest first.
    pub fn attempts(&self) -> Vec<DeliveryAttempt> {
        self.lock().log.iter().cloned().collect()
    }

    /// How many attempts the delivery log keeps.
    pub fn log_capacity(&self) -> usize {
        self.log_capacity
    }

    /// Forgets subscriptions, queue and log (control reset).
    pub fn clear(&self) {
        let mut inner = self.lock();
        *inner = Inner {
            in_flight: inner.in_flight,
            ..Inner::default()
        };
    }

    /// Queues `event` for every subscription of the account's apps that wants it and whose
    /// app's current grant allows it (`grant_of`: the app's grant by client id or API key,
    /// `None` for an app that no longer exists); due now. Never blocks on a receiver.
    pub fn emit(
        &self,
        account_id: &str,
        event: &str,
        payload: Value,
        now: OffsetDateTime,
        grant_of: impl Fn(&str) -> Option<Grant>,
    ) {
        self.emit_with(account_id, event, payload, None, now, grant_of);
    }

    /// As [`Self::emit`], with one more top-level field in the body.
    pub fn emit_with(
        &self,
        account_id: &str,
        event: &str,
        payload: Value,
        extra: Option<(&str, Value)>,
        now: OffsetDateTime,
        grant_of: impl Fn(&str) -> Option<Grant>,
    ) {
        let body = envelope_with(event, now, payload, extra);
        self.enqueue(
            |s| {
                s.view.account_id == account_id
                    && !s.retired
                    && grant_of(&s.view.app).is_some_and(|g| g.check_event(event).is_ok())
            },
            event,
            body,
            now,
        );
    }

    /// Queues `event` for one app's subscriptions only (`app_deauthorized`).
    pub fn emit_to_app(&self, app: &str, event: &str, payload: Value, now: OffsetDateTime) {
        let body = envelope(event, now, payload);
        self.enqueue(|s| s.view.app == app, event, body, now);
    }

    /// After an uninstall: the app's subscriptions get nothing new (queued deliveries still go).
    pub fn retire_app(&self, app: &str) {
        for s in self.lock().subscriptions.values_mut() {
            if s.view.app == app {
                s.retired = true;
            }
        }
    }

    fn enqueue(
        &self,
        filter: impl Fn(&Subscription) -> bool,
        event: &str,
        body: Vec<u8>,
        now: OffsetDateTime,
    ) {
        let body = Arc::new(body);
        let mut inner = self.lock();
        let targets: Vec<String> = inner
            .subscriptions
            .values()
            .filter(|s| filter(s) && s.wants(event))
            .map(|s| s.view.id.clone())
            .collect();
        if targets.is_empty() {
            return;
        }
        for subscription_id in targets {
            inner.seq += 1;
            let delivery = Delivery {
                id: inner.seq,
                subscription_id,
                event: event.into(),
                body: body.clone(),
                attempt: 1,
            };
            schedule(&mut inner, now, Job::Deliver(delivery));
        }
        drop(inner);
        self.wake.notify_one();
    }

    /// Tells the dispatcher the clock moved (deliveries may have become due).
    pub fn clock_advanced(&self) {
        self.wake.notify_one();
    }

    /// Waits until nothing is due on `clock` and nothing is in flight: every delivery that is
    /// due has been attempted. For tests and the control API (`POST /_fake/webhooks/settle`).
    pub async fn settle(&self, clock: &dyn TimeSource) {
        loop {
            let waiter = self.settled.notified();
            tokio::pin!(waiter);
            waiter.as_mut().enable();
            {
                let inner = self.lock();
                let now = clock.now();
                let due = inner.queue.keys().next().is_some_and(|(at, _)| *at <= now);
                if !due && inner.in_flight == 0 {
                    return;
                }
            }
            self.wake.notify_one();
            waiter.await;
        }
    }

    /// Starts the dispatcher on the current tokio runtime; it stops when `shutdown` turns true.
    pub fn spawn_dispatcher(
        self: &Arc<Self>,
        clock: Arc<dyn TimeSource>,
        mut shutdown: watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                if *shutdown.borrow() {
                    break;
                }
                let now = clock.now();
                let due = this.take_due(now);
                if !due.is_empty() {
                    let mut set = tokio::task::JoinSet::new();
                    for job in due {
                        let this = this.clone();
                        let clock = clock.clone();
                        set.spawn(async move { this.run(job, clock.as_ref()).await });
                    }
                    while set.join_next().await.is_some() {}
                    this.finish_batch();
                    continue;
                }
                let wait = {
                    let inner = this.lock();
                    match inner.queue.keys().next() {
                        Some((at, _)) if !clock.is_paused() => {
                            let secs = (*at - now).as_seconds_f64().max(0.0);
                            Some(StdDuration::from_secs_f64(secs))
                        }
                        _ => None,
                    }
                };
                this.settled.notify_waiters();
                let sleep = async {
                    match wait {
                        Some(d) => tokio::time::sleep(d).await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    _ = this.wake.notified() => {}
                    _ = sleep => {}
                    _ = shutdown.changed() => {}
                }
            }
        })
    }

    fn take_due(&self, now: OffsetDateTime) -> Vec<Job> {
        let mut inner = self.lock();
        let mut due = Vec::new();
        while let Some(entry) = inner.queue.first_entry() {
            if entry.key().0 > now {
                break;
            }
            due.push(entry.remove());
        }
        inner.in_flight += due.len();
        due
    }

    fn finish_batch(&self) {
        // in_flight is decremented per job in `run`; wake settle() waiters to re-check.
        self.settled.notify_waiters();
    }

    async fn run(&self, job: Job, clock: &dyn TimeSource) {
        match job {
            Job::Deliver(d) => self.deliver(d, clock).await,
            Job::Revalidate(id) => self.revalidate(&id, clock).await,
        }
        self.lock().in_flight -= 1;
    }

    async fn deliver(&self, delivery: Delivery, clock: &dyn TimeSource) {
        let Some((url, secret)) = ({
            let inner = self.lock();
            inner
                .subscriptions
                .get(&delivery.subscription_id)
                .map(|s| (s.view.url.clone(), s.secret.clone()))
        }) else {
            return; // unsubscribed meanwhile
        };
        let at = clock.now();
        let result = self.post(&url, &secret, &delivery.body, at).await;
        let (status, error) = match &result {
            Ok(status) => (Some(*status), None),
            Err(e) => (None, Some(e.clone())),
        };
        let retryable = match result {
            Ok(s) if (200..300).contains(&s) => None,
            Ok(s) if s >= 500 => Some(true),
            Ok(_) => Some(false),
            Err(_) => Some(true),
        };
        let mut inner = self.lock();
        let (outcome, next) = match retryable {
            None => ("delivered", None),
            Some(false) => ("failed", None),
            Some(true) => match RETRY_DELAYS_MINUTES.get(delivery.attempt as usize - 1) {
                Some(minutes) => ("retry_scheduled", Some(at + Duration::minutes(*minutes))),
                None => ("dropped", None),
            },
        };
        if inner.log.len() >= self.log_capacity {
            inner.log.pop_front();
        }
        inner.log.push_back(DeliveryAttempt {
            delivery_id: delivery.id,
            subscription_id: delivery.subscription_id.clone(),
            event: delivery.event.clone(),
            url,
            attempt: delivery.attempt,
            at,
            status,
            error,
            outcome,
            next_attempt_at: next,
        });
        if let Some(due) = next {
            let retry = Delivery {
                attempt: delivery.attempt + 1,
                ..delivery
            };
            schedule(&mut inner, due, Job::Deliver(retry));
        }
    }

    async fn post(
        &self,
        url: &str,
        secret: &SecretString,
        body: &[u8],
        at: OffsetDateTime,
    ) -> Result<u16, String> {
        let ts = at.unix_timestamp();
        let request_id = uuid::Uuid::new_v4().to_string();
        let response = self
            .client
            .post(url)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-zm-request-timestamp", ts.to_string())
            .header("x-zm-signature", sign(secret, ts, body))
            .header("x-zm-request-id", request_id.clone())
            .header(
                "x-zm-trackingid",
                format!("v=2.0;clid=fake;rid={request_id}"),
            )
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    "timed out after 3 s".to_string()
                } else {
                    format!("network error: {}", without_url(&e))
                }
            })?;
        Ok(response.status().as_u16())
    }

    /// Runs the handshake: POSTs `endpoint.url_validation` and checks the answer.
    async fn validate(
        &self,
        url: &str,
        secret: &SecretString,
        now: OffsetDateTime,
    ) -> Result<(), String> {
        let plain_token = {
            use base64::Engine as _;
            let bytes: [u8; 16] = rand::random();
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        };
        let body = envelope(
            "endpoint.url_validation",
            now,
            json!({"plainToken": plain_token}),
        );
        let ts = now.unix_timestamp();
        let response = self
            .client
            .post(url)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-zm-request-timestamp", ts.to_string())
            .header("x-zm-signature", sign(secret, ts, &body))
            .body(body)
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    "the endpoint did not answer within 3 s".to_string()
                } else {
                    format!("network error: {}", without_url(&e))
                }
            })?;
        let status = response.status().as_u16();
        if !matches!(status, 200 | 204) {
            return Err(format!("the endpoint answered HTTP {status}"));
        }
        let answer: Value = response
            .json()
            .await
            .map_err(|_| "the endpoint's answer is not JSON".to_string())?;
        if answer["plainToken"] != json!(plain_token) {
            return Err("the answer's plainToken does not match".into());
        }
        if answer["encryptedToken"] != json!(url_validation_answer(secret, &plain_token)) {
            return Err(
                "the answer's encryptedToken is not HMAC-SHA256(secret, plainToken)".into(),
            );
        }
        Ok(())
    }

    async fn revalidate(&self, id: &str, clock: &dyn TimeSource) {
        let Some((url, secret)) = ({
            let inner = self.lock();
            inner
                .subscriptions
                .get(id)
                .filter(|s| !s.view.disabled)
                .map(|s| (s.view.url.clone(), s.secret.clone()))
        }) else {
            return;
        };
        let now = clock.now();
        let result = self.validate(&url, &secret, now).await;
        let mut inner = self.lock();
        let Some(sub) = inner.subscriptions.get_mut(id) else {
            return;
        };
        match result {
            Ok(()) => {
                sub.view.validated_at = now;
                sub.view.validation_failures = 0;
            }
            Err(_) => {
                sub.view.validation_failures += 1;
                sub.view.disabled = sub.view.validation_failures >= MAX_VALIDATION_FAILURES;
            }
        }
        let disabled = sub.view.disabled;
        sub.next_validation = now + REVALIDATE_EVERY;
        let next = sub.next_validation;
        if !disabled {
            schedule(&mut inner, next, Job::Revalidate(id.to_string()));
        }
    }
}

fn schedule(inner: &mut Inner, at: OffsetDateTime, job: Job) {
    inner.seq += 1;
    let key = (at, inner.seq);
    inner.queue.insert(key, job);
}

/// A reqwest error's text without the URL (which may carry a secret in its query).
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "<endpoint>");
    }
    if let Some(source) = std::error::Error::source(e) {
        text = format!("{text}: {source}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn signature_matches_zoom_documented_construction() {
        // Independent computation of HMAC-SHA256("secret", "v0:1700000000:{\"a\":1}").
        let secret = SecretString::from("secret");
        let sig = sign(&secret, 1_700_000_000, br#"{"a":1}"#);
        let mut mac = HmacSha256::new_from_slice(b"secret").unwrap();
        mac.update(b"v0:1700000000:{\"a\":1}");
        assert_eq!(
            sig,
            format!("v0={}", hex::encode(mac.finalize().into_bytes()))
        );
        assert!(sig.starts_with("v0=") && sig.len() == 3 + 64);
        assert_ne!(sig, sign(&secret, 1_700_000_001, br#"{"a":1}"#));
    }

    #[test]
    fn url_validation_answer_is_hex_hmac_of_the_plain_token() {
        // RFC 4231-style known value: HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog").
        let secret = SecretString::from("key");
        assert_eq!(
            url_validation_answer(&secret, "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn envelope_is_compact_with_millisecond_event_ts() {
        let at = datetime!(2026-12-04 15:00:00.123 UTC);
        let body = envelope(
            "meeting.started",
            at,
            json!({"account_id": "a", "object": {"topic": "Café"}}),
        );
        let text = String::from_utf8(body).unwrap();
        assert_eq!(
            text,
            r#"{"event":"meeting.started","event_ts":1796396400123,"payload":{"account_id":"a","object":{"topic":"Café"}}}"#
        );
    }

    struct TestClock(Mutex<OffsetDateTime>);
    impl TimeSource for TestClock {
        fn now(&self) -> OffsetDateTime {
            *self.0.lock().unwrap()
        }
        fn is_paused(&self) -> bool {
            true
        }
    }

    /// A receiver that answers url_validation properly and then the given statuses in turn.
    async fn receiver(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<Value>>>) {
        use axum::{Json, Router, routing::post};
        let seen = Arc::new(Mutex::new(Vec::new()));
        let statuses = Arc::new(Mutex::new(statuses.into_iter()));
        let log = seen.clone();
        let app = Router::new().route(
            "/hook",
            post(move |Json(body): Json<Value>| {
                let log = log.clone();
                let statuses = statuses.clone();
                async move {
                    if body["event"] == "endpoint.url_validation" {
                        let plain = body["payload"]["plainToken"].as_str().unwrap().to_string();
                        let enc = url_validation_answer(&SecretString::from("s3cret"), &plain);
                        return (
                            axum::http::StatusCode::OK,
                            Json(json!({"plainToken": plain, "encryptedToken": enc})),
                        );
                    }
                    log.lock().unwrap().push(body);
                    let code = statuses.lock().unwrap().next().unwrap_or(200);
                    (
                        axum::http::StatusCode::from_u16(code).unwrap(),
                        Json(json!({})),
                    )
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (url, seen)
    }

    #[tokio::test]
    async fn retries_on_5xx_only_on_the_fake_clock() {
        let t0 = datetime!(2026-12-04 15:00 UTC);
        let clock = Arc::new(TestClock(Mutex::new(t0)));
        let hooks = Arc::new(Webhooks::new());
        let (_tx, rx) = watch::channel(false);
        hooks.spawn_dispatcher(clock.clone(), rx);
        let (url, seen) = receiver(vec![503, 500, 404]).await;
        hooks
            .subscribe(
                "app",
                "acct",
                &url,
                SecretString::from("s3cret"),
                vec![],
                t0,
            )
            .await
            .unwrap();
        let full = |_: &str| Some(Grant::Full);
        hooks.emit(
            "acct",
            "meeting.started",
            json!({"account_id": "acct"}),
            t0,
            full,
        );
        hooks.emit("other", "meeting.started", json!({}), t0, full);
        hooks.settle(clock.as_ref()).await;
        assert_eq!(
            seen.lock().unwrap().len(),
            1,
            "first attempt, other accounts ignored"
        );
        let advance = |m: i64| *clock.0.lock().unwrap() += Duration::minutes(m);
        advance(4);
        hooks.clock_advanced();
        hooks.settle(clock.as_ref()).await;
        assert_eq!(seen.lock().unwrap().len(), 1, "not due before +5 min");
        advance(1);
        hooks.clock_advanced();
        hooks.settle(clock.as_ref()).await;
        assert_eq!(seen.lock().unwrap().len(), 2, "retry 1 at +5 min");
        advance(20);
        hooks.clock_advanced();
        hooks.settle(clock.as_ref()).await;
        assert_eq!(
            seen.lock().unwrap().len(),
            3,
            "retry 2 20 min later; it gets a 404"
        );
        advance(600);
        hooks.clock_advanced();
        hooks.settle(clock.as_ref()).await;
        assert_eq!(seen.lock().unwrap().len(), 3, "no retry after a 4xx");
        let outcomes: Vec<_> = hooks
            .attempts()
            .iter()
            .map(|a| (a.attempt, a.outcome))
            .collect();
        assert_eq!(
            outcomes,
            [
                (1, "retry_scheduled"),
                (2, "retry_scheduled"),
                (3, "failed")
            ]
        );
    }

    #[tokio::test]
    async fn subscription_is_refused_when_validation_fails() {
        let t0 = datetime!(2026-12-04 15:00 UTC);
        let hooks = Webhooks::new();
        let (url, _) = receiver(vec![]).await;
        let err = hooks
            .subscribe("app", "acct", &url, SecretString::from("wrong"), vec![], t0)
            .await
            .unwrap_err();
        assert!(matches!(err, SubscribeError::ValidationFailed(_)), "{err}");
        assert!(hooks.subscriptions().is_empty());
    }
}
