//! THE retry executor (docs/error-handling.md §1–2). Every network call of the client runs through
//! [`Retrier::run`]; no call site loops on its own.
//!
//! - at most 5 attempts; before retry n (n = 0..) a uniform delay in [0, min(16 s, 500 ms·2^n)];
//! - `Retry-After` ≤ 60 s is waited instead of the jitter, a longer one stops and is surfaced;
//! - a token bucket (500; retry 5, retry after a timeout 10, success +1) stops retry storms;
//! - the wait is cancellable and reported as `retrying {attempt, of, next_in_ms, reason}`;
//! - the clock and the random source are injectable so tests assert exact bounds without sleeping.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Operation, OperationKind, Reach, Result, SuggestedAction};

/// Time, for the executor: the wait between attempts and "now" for `Retry-After` dates.
pub trait Clock: Send + Sync {
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
    fn now(&self) -> SystemTime;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(d))
    }
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// The random source of the jitter.
pub trait RandomSource: Send + Sync {
    /// A uniform value in `0..=max`.
    fn up_to(&self, max: u64) -> u64;
}

/// The real random source.
#[derive(Debug, Default, Clone, Copy)]
pub struct ThreadRandom;

impl RandomSource for ThreadRandom {
    fn up_to(&self, max: u64) -> u64 {
        rand::random_range(0..=max)
    }
}

/// The numbers of the policy. `Default` is the product's policy; tests may shrink it.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest `Retry-After` waited for automatically.
    pub max_retry_after: Duration,
    pub budget_capacity: u32,
    pub retry_cost: u32,
    pub timeout_retry_cost: u32,
    pub success_refund: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(16),
            max_retry_after: Duration::from_secs(60),
            budget_capacity: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }
}

impl RetryPolicy {
    /// The upper bound of the full-jitter delay before retry `n` (n = 0 for the first retry).
    pub fn max_delay_before_retry(&self, n: u32) -> Duration {
        let exp = self.base_delay.saturating_mul(1u32.checked_shl(n).unwrap_or(u32::MAX));
        exp.min(self.max_delay)
    }
}

/// Whether resending after an ambiguous failure (sent, no answer) is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Doing it twice is harmless (GET, pre-signed PUT, export, download).
    Idempotent,
    /// Not idempotent, but each attempt after an ambiguous failure first checks whether the
    /// server already acted (docs/error-handling.md §3), so resending is safe.
    Reconciled,
    /// Not idempotent and not reconcilable: an ambiguous failure is surfaced, never resent.
    NotIdempotent,
}

/// What the operation reports while it waits to retry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RetryEvent {
    /// The number of the attempt about to be made (2 for the first retry).
    pub attempt: u32,
    pub of: u32,
    #[ts(type = "number")]
    pub next_in_ms: u64,
    pub reason: String,
}

pub type RetryObserver = Arc<dyn Fn(&RetryEvent) + Send + Sync>;

/// Per-call controls: cancellation and where retry reports go.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub cancel: CancellationToken,
    pub on_retry: Option<RetryObserver>,
}

impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallOptions").field("cancelled", &self.cancel.is_cancelled()).finish()
    }
}

impl CallOptions {
    pub fn with_cancel(cancel: CancellationToken) -> Self {
        CallOptions { cancel, on_retry: None }
    }
    pub fn on_retry(mut self, f: impl Fn(&RetryEvent) + Send + Sync + 'static) -> Self {
        self.on_retry = Some(Arc::new(f));
        self
    }
}

/// What one attempt knows about the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first try.
    pub number: u32,
    /// The previous attempt may have reached the server: reconcile before resending.
    pub after_ambiguous: bool,
}

/// The retry budget (AWS SDK "standard" mode).
#[derive(Debug)]
struct TokenBucket {
    tokens: u32,
    capacity: u32,
}

/// Why a failure may be retried; `None` from [`classify`] means it may not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryReason {
    pub text: String,
    pub after_timeout: bool,
}

/// The classification table of docs/error-handling.md §2.
pub fn classify(e: &Error, op: OperationKind, idem: Idempotency, retried_a_500: bool) -> Option<RetryReason> {
    let reason = |text: &str, after_timeout: bool| Some(RetryReason { text: text.into(), after_timeout });
    match e.reach {
        Reach::Local => None,
        Reach::NotSent => reason("could not connect", false),
        Reach::Ambiguous { timed_out } => {
            if idem == Idempotency::NotIdempotent {
                None
            } else if timed_out {
                reason("no answer in time", true)
            } else {
                reason("connection lost", false)
            }
        }
        Reach::Answered => match e.status.unwrap_or(0) {
            429 if e.kind == ErrorKind::RateLimited => reason("rate limited", false),
            500 if !retried_a_500 => reason("server error (HTTP 500)", false),
            502 => reason("bad gateway (HTTP 502)", false),
            503 => reason("service unavailable (HTTP 503)", false),
            504 if op == OperationKind::Chat && e.is_chat_cap() => None,
            // A gateway timeout: the upstream may still have acted, like any ambiguous failure.
            504 if idem != Idempotency::NotIdempotent => reason("gateway timeout (HTTP 504)", true),
            _ => None,
        },
    }
}

/// Whether the server may have acted on a request that failed this way, judged by what the client
/// knows rather than by the error's name (docs/error-handling.md §3): any byte of the request may have
/// left and no complete answer came back (reset, EOF, timeout, a 2xx whose body was cut or unreadable),
/// or a gateway status that can come after the upstream acted (500, 502, 504).
pub fn may_have_acted(e: &Error) -> bool {
    match e.reach {
        Reach::Ambiguous { .. } => true,
        Reach::Answered => matches!(e.status, Some(s) if (200..300).contains(&s) || s == 500 || s == 502 || s == 504),
        Reach::Local | Reach::NotSent => false,
    }
}

/// The one retry executor of a client. Cheap to clone; clones share the budget.
#[derive(Clone)]
pub struct Retrier {
    policy: Arc<RetryPolicy>,
    budget: Arc<Mutex<TokenBucket>>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn RandomSource>,
}

impl std::fmt::Debug for Retrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retrier").field("policy", &self.policy).field("budget", &self.budget_tokens()).finish()
    }
}

impl Default for Retrier {
    fn default() -> Self {
        Retrier::new(RetryPolicy::default(), Arc::new(TokioClock), Arc::new(ThreadRandom))
    }
}

impl Retrier {
    pub fn new(policy: RetryPolicy, clock: Arc<dyn Clock>, random: Arc<dyn RandomSource>) -> Self {
        let bucket = TokenBucket { tokens: policy.budget_capacity, capacity: policy.budget_capacity };
        Retrier { policy: Arc::new(policy), budget: Arc::new(Mutex::new(bucket)), clock, random }
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Tokens left in the retry budget.
    pub fn budget_tokens(&self) -> u32 {
        self.budget.lock().map(|b| b.tokens).unwrap_or(0)
    }

    fn take_tokens(&self, cost: u32) -> bool {
        let mut b = self.budget.lock().expect("retry budget lock");
        if b.tokens >= cost {
            b.tokens -= cost;
            true
        } else {
            false
        }
    }

    fn refund(&self) {
        let mut b = self.budget.lock().expect("retry budget lock");
        b.tokens = (b.tokens + self.policy.success_refund).min(b.capacity);
    }

    /// Runs `attempt` until it succeeds, fails in a way that may not be retried, the attempts or
    /// the budget run out, or `opts.cancel` fires. The returned error carries `attempts` and `op`.
    pub async fn run<T, F, Fut>(
        &self,
        op: &Operation,
        idem: Idempotency,
        opts: &CallOptions,
        mut attempt: F,
    ) -> Result<T>
    where
        F: FnMut(Attempt) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let p = &self.policy;
        let mut number = 1;
        let mut after_ambiguous = false;
        let mut retried_a_500 = false;
        loop {
            let finish = |mut e: Error, attempts: u32| {
                e.attempts = attempts;
                // A chat turn that fails for the service's sake past the retries: offer another
                // model (docs/error-handling.md §5, step 2); `retryable` still offers a plain retry.
                if op.kind == OperationKind::Chat && e.suggested_action == Some(SuggestedAction::Retry) {
                    e.suggested_action = Some(SuggestedAction::SwitchModel);
                }
                if e.operation.is_none() {
                    e.operation = Some(op.clone());
                }
                e
            };
            if opts.cancel.is_cancelled() {
                return Err(finish(Error::cancelled(), number - 1));
            }
            let result = tokio::select! {
                r = attempt(Attempt { number, after_ambiguous }) => r,
                _ = opts.cancel.cancelled() => Err(Error::cancelled()),
            };
            let e = match result {
                Ok(v) => {
                    self.refund();
                    return Ok(v);
                }
                Err(e) => e,
            };
            let Some(reason) = classify(&e, op.kind, idem, retried_a_500) else {
                if idem == Idempotency::NotIdempotent
                    && e.kind != ErrorKind::Cancelled
                    && may_have_acted(&e)
                    && !matches!(e.status, Some(500..))
                {
                    // Not resent and not reconcilable: say that it may have arrived, never "network error".
                    return Err(finish(Error::unknown_outcome(&e, op, None), number));
                }
                return Err(finish(e, number));
            };
            if number >= p.max_attempts {
                return Err(finish(e, number));
            }
            let delay_ms = match e.retry_after_ms {
                Some(ms) if ms > p.max_retry_after.as_millis() as u64 => return Err(finish(e, number)),
                Some(ms) => ms,
                None => self.random.up_to(p.max_delay_before_retry(number - 1).as_millis() as u64),
            };
            let cost = if reason.after_timeout { p.timeout_retry_cost } else { p.retry_cost };
            if !self.take_tokens(cost) {
                tracing::warn!(operation = ?op.kind, "retry budget empty; not retrying");
                return Err(finish(e, number));
            }
            retried_a_500 |= e.status == Some(500);
            // Sticky: once an attempt may have reached the server, every later one reconciles first,
            // even after an attempt that failed before sending (e.g. a reconciliation that could not connect).
            after_ambiguous |= may_have_acted(&e);
            let event =
                RetryEvent { attempt: number + 1, of: p.max_attempts, next_in_ms: delay_ms, reason: reason.text };
            tracing::info!(operation = ?op.kind, attempt = event.attempt, of = event.of, next_in_ms = delay_ms, reason = %event.reason, "retrying");
            if let Some(cb) = &opts.on_retry {
                cb(&event);
            }
            tokio::select! {
                _ = self.clock.sleep(Duration::from_millis(delay_ms)) => {}
                _ = opts.cancel.cancelled() => return Err(finish(Error::cancelled(), number)),
            }
            number += 1;
        }
    }
}

impl Retrier {
    /// [`Retrier::run`] for an operation that is not idempotent but can be reconciled (docs/error-handling.md
    /// §3). Once an attempt may have reached the server, `reconcile` looks before anything is sent again:
    /// what it finds is the answer, and only when it finds nothing is the request resent. Before giving
    /// up it looks once more; when it cannot reach the service, the error is `unknown_outcome` (the
    /// operation may have been applied), never a plain failure that invites a duplicate.
    pub async fn run_reconciled<T, F, Fut, R, RFut>(
        &self,
        op: &Operation,
        opts: &CallOptions,
        mut attempt: F,
        mut reconcile: R,
    ) -> Result<T>
    where
        F: FnMut(Attempt) -> Fut,
        Fut: Future<Output = Result<T>>,
        R: FnMut() -> RFut,
        RFut: Future<Output = Result<Option<T>>>,
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        // Some attempt may have acted and no look since has said that it did not.
        let unsettled = AtomicBool::new(false);
        let result = self
            .run(op, Idempotency::Reconciled, opts, |a| {
                let unsettled = &unsettled;
                let looked = unsettled.load(Ordering::SeqCst).then(&mut reconcile);
                let sent = attempt(a);
                async move {
                    if let Some(looked) = looked {
                        match looked.await? {
                            Some(found) => return Ok(found),
                            None => unsettled.store(false, Ordering::SeqCst),
                        }
                    }
                    let r = sent.await;
                    if let Err(e) = &r {
                        if may_have_acted(e) {
                            unsettled.store(true, Ordering::SeqCst);
                        }
                    }
                    r
                }
            })
            .await;
        let e = match result {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        if !unsettled.load(Ordering::SeqCst) {
            return Err(e);
        }
        if e.kind == ErrorKind::Cancelled {
            // The user stopped waiting; looking again would make them wait.
            return Err(Error::unknown_outcome(&e, op, None));
        }
        match reconcile().await {
            Ok(Some(found)) => {
                tracing::info!(operation = ?op.kind, "the last attempt had arrived; adopted its result");
                Ok(found)
            }
            Ok(None) => Err(e),
            Err(looking) => {
                let attempts = e.attempts;
                let mut u = Error::unknown_outcome(&e, op, Some(&looking));
                u.attempts = attempts;
                Err(u)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Records every requested sleep and returns at once.
    #[derive(Default)]
    struct FakeClock {
        sleeps: Mutex<Vec<Duration>>,
    }
    impl Clock for FakeClock {
        fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            self.sleeps.lock().unwrap().push(d);
            Box::pin(async {})
        }
        fn now(&self) -> SystemTime {
            SystemTime::UNIX_EPOCH
        }
    }
    /// A clock whose sleep never ends (to cancel mid-wait).
    struct StuckClock;
    impl Clock for StuckClock {
        fn sleep(&self, _: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            Box::pin(std::future::pending())
        }
        fn now(&self) -> SystemTime {
            SystemTime::UNIX_EPOCH
        }
    }
    /// Always the top of the interval, and records the bounds asked for.
    #[derive(Default)]
    struct MaxRandom {
        bounds: Mutex<Vec<u64>>,
    }
    impl RandomSource for MaxRandom {
        fn up_to(&self, max: u64) -> u64 {
            self.bounds.lock().unwrap().push(max);
            max
        }
    }

    fn status_error(status: u16, body: &str, headers: &[(&'static str, &str)]) -> Error {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(*k, v.parse().unwrap());
        }
        Error::from_response(status, &h, body.as_bytes(), "cli_t")
    }

    fn ambiguous(timed_out: bool) -> Error {
        let mut e = Error::local(ErrorKind::Network, "lost");
        e.reach = Reach::Ambiguous { timed_out };
        e
    }
    fn not_sent() -> Error {
        let mut e = Error::local(ErrorKind::Network, "refused");
        e.reach = Reach::NotSent;
        e
    }

    fn rig() -> (Retrier, Arc<FakeClock>, Arc<MaxRandom>) {
        let clock = Arc::new(FakeClock::default());
        let rng = Arc::new(MaxRandom::default());
        (Retrier::new(RetryPolicy::default(), clock.clone(), rng.clone()), clock, rng)
    }

    fn op(kind: OperationKind) -> Operation {
        Operation::new(kind, "test")
    }

    /// Runs with attempts failing with `errors` in turn, then succeeding; returns (result, attempts).
    async fn run_with(r: &Retrier, kind: OperationKind, idem: Idempotency, errors: Vec<Error>) -> (Result<u32>, u32) {
        let calls = AtomicU32::new(0);
        let errors = Mutex::new(errors.into_iter());
        let res = r
            .run(&op(kind), idem, &CallOptions::default(), |a| {
                calls.fetch_add(1, Ordering::SeqCst);
                let next = errors.lock().unwrap().next();
                async move {
                    match next {
                        Some(e) => Err(e),
                        None => Ok(a.number),
                    }
                }
            })
            .await;
        (res, calls.load(Ordering::SeqCst))
    }

    #[tokio::test]
    async fn full_jitter_bounds_are_exact_and_five_attempts_at_most() {
        let (r, clock, rng) = rig();
        let errs = (0..10).map(|_| status_error(503, "{}", &[])).collect();
        let (res, calls) = run_with(&r, OperationKind::Jobs, Idempotency::Idempotent, errs).await;
        let e = res.unwrap_err();
        assert_eq!(calls, 5);
        assert_eq!(e.attempts, 5);
        assert_eq!(*rng.bounds.lock().unwrap(), vec![500, 1000, 2000, 4000]);
        let slept: Vec<u64> = clock.sleeps.lock().unwrap().iter().map(|d| d.as_millis() as u64).collect();
        assert_eq!(slept, vec![500, 1000, 2000, 4000]);
        let p = RetryPolicy::default();
        assert_eq!(p.max_delay_before_retry(5), Duration::from_secs(16));
        assert_eq!(p.max_delay_before_retry(40), Duration::from_secs(16));
    }

    #[tokio::test]
    async fn reports_retrying_events() {
        let (r, _, _) = rig();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s2 = seen.clone();
        let opts = CallOptions::default().on_retry(move |e| s2.lock().unwrap().push(e.clone()));
        let n = AtomicU32::new(0);
        let out = r
            .run(&op(OperationKind::Jobs), Idempotency::Idempotent, &opts, |_| {
                let k = n.fetch_add(1, Ordering::SeqCst);
                async move {
                    if k < 2 {
                        Err(status_error(502, "<html>", &[]))
                    } else {
                        Ok(k)
                    }
                }
            })
            .await
            .unwrap();
        assert_eq!(out, 2);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!((seen[0].attempt, seen[0].of, seen[0].next_in_ms), (2, 5, 500));
        assert_eq!((seen[1].attempt, seen[1].next_in_ms), (3, 1000));
        assert!(seen[0].reason.contains("502"));
    }

    #[tokio::test]
    async fn classification_table() {
        use Idempotency::*;
        use OperationKind::*;
        let cases: Vec<(Error, OperationKind, Idempotency, u32, &str)> = vec![
            (not_sent(), Chat, NotIdempotent, 2, "refused before sending: retried for every op"),
            (ambiguous(true), Jobs, Idempotent, 2, "timeout after send, idempotent"),
            (ambiguous(false), Chat, NotIdempotent, 1, "reset after send, not idempotent"),
            (ambiguous(false), Chat, Reconciled, 2, "reset after send, reconciled"),
            (
                status_error(429, r#"{"detail":"Monthly operation limit (500) reached."}"#, &[]),
                Chat,
                Reconciled,
                1,
                "quota",
            ),
            (
                status_error(429, "{}", &[("x-usage-remaining", "0"), ("retry-after", "1")]),
                Jobs,
                Idempotent,
                1,
                "quota by header wins over Retry-After",
            ),
            (
                status_error(429, r#"{"errors":[{"code":"RATE_LIMITED","message":"x"}]}"#, &[]),
                Chat,
                NotIdempotent,
                2,
                "rate limit",
            ),
            (status_error(402, r#"{"errors":[{"code":"OVER_QUOTA","message":"x"}]}"#, &[]), Jobs, Idempotent, 1, "402"),
            (status_error(502, "", &[]), Chat, NotIdempotent, 2, "502"),
            (status_error(503, "", &[]), Upload, NotIdempotent, 2, "503"),
            (status_error(504, "<html>timeout</html>", &[]), Jobs, Idempotent, 2, "gateway 504 quick call"),
            (status_error(504, r#"{"detail":"Turn exceeded 30 minutes"}"#, &[]), Chat, Reconciled, 1, "chat cap 504"),
            (status_error(400, r#"{"detail":"x"}"#, &[]), Jobs, Idempotent, 1, "400"),
            (status_error(401, r#"{"detail":"x"}"#, &[]), Jobs, Idempotent, 1, "401"),
            (status_error(403, r#"{"detail":"x"}"#, &[]), Jobs, Idempotent, 1, "403"),
            (status_error(404, r#"{"detail":"x"}"#, &[]), Jobs, Idempotent, 1, "404"),
            (status_error(409, r#"{"detail":"x"}"#, &[]), Revert, Idempotent, 1, "409"),
            (status_error(413, r#"{"detail":"x"}"#, &[]), Upload, Idempotent, 1, "413"),
            (status_error(422, r#"{"detail":[]}"#, &[]), Chat, Idempotent, 1, "422"),
            (Error::protocol(200, "not JSON", b"<html>", "c"), Jobs, Idempotent, 1, "2xx not JSON"),
        ];
        for (e, kind, idem, want_calls, what) in cases {
            let (r, _, _) = rig();
            let (_, calls) = run_with(&r, kind, idem, vec![e]).await;
            assert_eq!(calls, want_calls, "{what}");
        }
    }

    #[tokio::test]
    async fn a_chat_turn_that_keeps_failing_offers_another_model() {
        let (r, _, _) = rig();
        let errs = (0..5).map(|_| status_error(502, "", &[])).collect();
        let (res, _) = run_with(&r, OperationKind::Chat, Idempotency::Reconciled, errs).await;
        let e = res.unwrap_err();
        assert_eq!(e.suggested_action, Some(SuggestedAction::SwitchModel));
        assert!(e.retryable);
    }

    #[tokio::test]
    async fn a_500_is_retried_once_only() {
        let (r, _, _) = rig();
        let errs = (0..5).map(|_| status_error(500, r#"{"detail":"boom"}"#, &[])).collect();
        let (res, calls) = run_with(&r, OperationKind::Jobs, Idempotency::Idempotent, errs).await;
        assert_eq!(calls, 2);
        let e = res.unwrap_err();
        assert_eq!((e.kind, e.attempts, e.suggested_action), (ErrorKind::Server, 2, Some(SuggestedAction::Retry)));
    }

    #[tokio::test]
    async fn retry_after_is_waited_exactly_or_surfaced_when_long() {
        let (r, clock, rng) = rig();
        let (res, calls) = run_with(
            &r,
            OperationKind::Jobs,
            Idempotency::Idempotent,
            vec![status_error(503, "", &[("retry-after", "7")])],
        )
        .await;
        assert!(res.is_ok());
        assert_eq!(calls, 2);
        assert_eq!(*clock.sleeps.lock().unwrap(), vec![Duration::from_secs(7)]);
        assert!(rng.bounds.lock().unwrap().is_empty(), "Retry-After replaces the jitter");

        let (r, clock, _) = rig();
        let (res, calls) = run_with(
            &r,
            OperationKind::Chat,
            Idempotency::Reconciled,
            vec![status_error(429, r#"{"errors":[{"code":"RATE_LIMITED","message":"x"}]}"#, &[("retry-after", "61")])],
        )
        .await;
        let e = res.unwrap_err();
        assert_eq!(calls, 1);
        assert_eq!(e.retry_after_ms, Some(61_000));
        assert!(e.retryable);
        assert!(clock.sleeps.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn budget_runs_dry_and_success_refills() {
        let policy = RetryPolicy { budget_capacity: 12, ..RetryPolicy::default() };
        let r = Retrier::new(policy, Arc::new(FakeClock::default()), Arc::new(MaxRandom::default()));
        // 12 tokens: two plain retries (5 + 5), then the bucket (2) cannot pay a third.
        let errs = (0..5).map(|_| status_error(502, "", &[])).collect();
        let (res, calls) = run_with(&r, OperationKind::Jobs, Idempotency::Idempotent, errs).await;
        assert_eq!(calls, 3);
        assert_eq!(res.unwrap_err().attempts, 3);
        assert_eq!(r.budget_tokens(), 2);
        // A timeout retry costs 10: not affordable now.
        let (_, calls) = run_with(&r, OperationKind::Jobs, Idempotency::Idempotent, vec![ambiguous(true)]).await;
        assert_eq!(calls, 1);
        // A success gives one token back (capped at capacity).
        let (res, _) = run_with(&r, OperationKind::Jobs, Idempotency::Idempotent, vec![]).await;
        assert!(res.is_ok());
        assert_eq!(r.budget_tokens(), 3);

        let (r, _, _) = rig();
        let (_, _) =
            run_with(&r, OperationKind::Jobs, Idempotency::Idempotent, vec![ambiguous(true), ambiguous(false)]).await;
        assert_eq!(r.budget_tokens(), 500 - 10 - 5 + 1);
    }

    #[tokio::test]
    async fn cancellation_ends_the_wait_at_once() {
        let r = Retrier::new(RetryPolicy::default(), Arc::new(StuckClock), Arc::new(MaxRandom::default()));
        let cancel = CancellationToken::new();
        let c2 = cancel.clone();
        let opts = CallOptions::with_cancel(cancel.clone()).on_retry(move |_| c2.cancel());
        let calls = AtomicU32::new(0);
        let res: Result<()> = r
            .run(&op(OperationKind::Upload), Idempotency::Idempotent, &opts, |_| {
                calls.fetch_add(1, Ordering::SeqCst);
                async { Err(status_error(503, "", &[])) }
            })
            .await;
        let e = res.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Cancelled);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(e.operation.unwrap().kind, OperationKind::Upload);
    }

    /// Runs `run_reconciled` with scripted attempts and looks; returns (result, attempts made, looks made).
    async fn reconciled(attempts: Vec<Result<u32>>, looks: Vec<Result<Option<u32>>>) -> (Result<u32>, usize, usize) {
        let (r, _, _) = rig();
        let attempts = Mutex::new(attempts.into_iter());
        let looks = Mutex::new(looks.into_iter());
        let (sent, looked) = (AtomicU32::new(0), AtomicU32::new(0));
        let res = r
            .run_reconciled(
                &op(OperationKind::Chat).session("s1"),
                &CallOptions::default(),
                |_| {
                    // Counted when the attempt runs: an attempt a look made needless is built, never run.
                    let sent = &sent;
                    let attempts = &attempts;
                    async move {
                        sent.fetch_add(1, Ordering::SeqCst);
                        attempts.lock().unwrap().next().unwrap_or(Ok(99))
                    }
                },
                || {
                    looked.fetch_add(1, Ordering::SeqCst);
                    let next = looks.lock().unwrap().next().unwrap_or(Ok(None));
                    async move { next }
                },
            )
            .await;
        (res, sent.load(Ordering::SeqCst) as usize, looked.load(Ordering::SeqCst) as usize)
    }

    #[tokio::test]
    async fn a_failed_look_never_turns_into_a_blind_resend() {
        // Sent (maybe acted), then the look cannot connect: the next attempt looks again before sending.
        let (res, sent, looked) = reconciled(vec![Err(ambiguous(false))], vec![Err(not_sent()), Ok(Some(7))]).await;
        assert_eq!((res.unwrap(), sent, looked), (7, 1, 2), "adopted, never sent twice");
    }

    #[tokio::test]
    async fn the_last_attempt_is_looked_for_before_giving_up() {
        let five = (0..5).map(|_| Err(ambiguous(true))).collect();
        // Each retry looks first and finds nothing; after the fifth attempt one more look finds it.
        let (res, sent, looked) = reconciled(five, vec![Ok(None), Ok(None), Ok(None), Ok(None), Ok(Some(5))]).await;
        assert_eq!((res.unwrap(), sent, looked), (5, 5, 5));
    }

    #[tokio::test]
    async fn when_looking_is_impossible_the_outcome_is_unknown() {
        let five: Vec<Result<u32>> = (0..5).map(|_| Err(ambiguous(false))).collect();
        let looks = vec![Ok(None), Ok(None), Ok(None), Ok(None), Err(not_sent())];
        let (res, sent, _) = reconciled(five, looks).await;
        let e = res.unwrap_err();
        assert_eq!(sent, 5);
        assert_eq!(e.kind, ErrorKind::UnknownOutcome);
        assert!(!e.retryable);
        assert_eq!(e.attempts, 5);
        assert!(
            e.message.contains("may have received")
                && e.message.contains("session s1")
                && e.message.contains("request cli_"),
            "{}",
            e.message
        );
        // A failure that did not reach the server is a plain failure: nothing can have happened.
        let refused: Vec<Result<u32>> = (0..5).map(|_| Err(not_sent())).collect();
        let (res, sent, looked) = reconciled(refused, vec![]).await;
        assert_eq!((res.unwrap_err().kind, sent, looked), (ErrorKind::Network, 5, 0));
    }

    #[tokio::test]
    async fn a_call_that_cannot_be_reconciled_reports_an_unknown_outcome() {
        let (r, _, _) = rig();
        let (res, calls) =
            run_with(&r, OperationKind::EmailExport, Idempotency::NotIdempotent, vec![ambiguous(false)]).await;
        assert_eq!((res.unwrap_err().kind, calls), (ErrorKind::UnknownOutcome, 1));
        let cut = Error::protocol(200, "the JSON body was cut short", b"{\"job", "cli_x");
        let (res, _) = run_with(&r, OperationKind::EmailExport, Idempotency::NotIdempotent, vec![cut]).await;
        assert_eq!(res.unwrap_err().kind, ErrorKind::UnknownOutcome, "a 2xx means it arrived");
        let (res, _) = run_with(
            &r,
            OperationKind::EmailExport,
            Idempotency::NotIdempotent,
            vec![not_sent(), not_sent(), not_sent(), not_sent(), not_sent()],
        )
        .await;
        assert_eq!(res.unwrap_err().kind, ErrorKind::Network);
    }

    #[tokio::test]
    async fn after_ambiguous_is_told_to_the_next_attempt() {
        let (r, _, _) = rig();
        let seen = Mutex::new(Vec::new());
        let n = AtomicU32::new(0);
        let _ = r
            .run(&op(OperationKind::Chat), Idempotency::Reconciled, &CallOptions::default(), |a| {
                seen.lock().unwrap().push(a);
                let k = n.fetch_add(1, Ordering::SeqCst);
                async move {
                    match k {
                        0 => Err(not_sent()),
                        1 => Err(ambiguous(false)),
                        _ => Ok(()),
                    }
                }
            })
            .await;
        let flags: Vec<bool> = seen.lock().unwrap().iter().map(|a| a.after_ambiguous).collect();
        assert_eq!(flags, vec![false, false, true]);
    }
}
