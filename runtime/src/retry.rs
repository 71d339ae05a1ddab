//! Retries as botocore defines them: the `standard` mode (the default), `legacy`, and `adaptive`
//! (standard plus a client-side rate limiter that slows down when the service throttles).
//!
//! - What is retried: HTTP 500, 502, 503 and 504; the transient codes (`RequestTimeout`,
//!   `RequestTimeoutException`, `PriorRequestNotComplete`, and in legacy mode also
//!   `InternalError`); the throttling codes; failed connections and timeouts. Anything else (a
//!   4xx such as `ValidationError` or `AccessDenied`) is returned at once.
//! - Delays: standard and adaptive wait `random() * min(20 s, 2^(attempt - 1) s)`; legacy waits
//!   `random() * 2^(attempt - 1)` seconds without a cap.
//! - Standard and adaptive share a retry quota per client: 500 units, 5 per retry (10 after a
//!   timeout or a failed connection), given back when the retried call succeeds, and 1 more for
//!   each call that succeeds at once. With the quota spent, errors are returned without retrying.

use crate::error::{Error, ErrorKind};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The retry mode (`retry_mode` in the profile, `AWS_RETRY_MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryMode {
    /// botocore's default: 3 attempts, capped backoff, retry quota.
    #[default]
    Standard,
    /// botocore's original mode: 5 attempts, uncapped backoff, no quota.
    Legacy,
    /// Standard, plus a client-side rate limiter driven by throttling answers.
    Adaptive,
}

impl RetryMode {
    /// Attempts in all when nothing sets `max_attempts`.
    pub fn default_max_attempts(self) -> u32 {
        match self {
            RetryMode::Legacy => 5,
            RetryMode::Standard | RetryMode::Adaptive => 3,
        }
    }
}

impl std::str::FromStr for RetryMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "standard" => Ok(RetryMode::Standard),
            "legacy" => Ok(RetryMode::Legacy),
            "adaptive" => Ok(RetryMode::Adaptive),
            other => Err(Error::config(format!(
                "retry_mode must be standard, legacy or adaptive, got {other:?}"
            ))),
        }
    }
}

/// botocore's throttling error codes (`standard.py`'s and `_retry.json`'s, merged).
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Transient error codes.
const TRANSIENT: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retryable {
    /// A throttling code.
    Throttling,
    /// A 5xx or transient code.
    Transient,
    /// A failed connection or a timeout (costs more of the quota).
    Connection,
}

/// Whether `err` may be retried in `mode`, and why.
pub fn classify(mode: RetryMode, err: &Error) -> Option<Retryable> {
    match err.kind() {
        ErrorKind::Transport | ErrorKind::Timeout => return Some(Retryable::Connection),
        ErrorKind::Service => {}
        _ => return None,
    }
    let code = err.code().unwrap_or("");
    // Errors the model marks `retryable` (dynamodb's ReplicatedWriteConflictException).
    let modeled = err.modeled().map_or(0, |m| m.shape().flags);
    if modeled & crate::schema::flags::RETRYABLE_THROTTLING != 0 {
        return Some(Retryable::Throttling);
    }
    if mode != RetryMode::Legacy && modeled & crate::schema::flags::RETRYABLE != 0 {
        return Some(Retryable::Transient);
    }
    if THROTTLING.contains(&code) {
        Some(Retryable::Throttling)
    } else if TRANSIENT.contains(&code)
        || (mode == RetryMode::Legacy && code == "InternalError")
        || matches!(err.status(), Some(500 | 502 | 503 | 504))
    {
        Some(Retryable::Transient)
    } else {
        None
    }
}

const QUOTA: u32 = 500;
const RETRY_COST: u32 = 5;
const CONNECTION_RETRY_COST: u32 = 10;

/// The retry state of one client: its mode, attempts, quota and (adaptive) rate limiter.
#[derive(Debug)]
pub struct Retrier {
    mode: RetryMode,
    max_attempts: u32,
    quota: Mutex<u32>,
    limiter: Option<Mutex<RateLimiter>>,
}

impl Retrier {
    /// A retrier for `mode` with `max_attempts` attempts in all.
    pub fn new(mode: RetryMode, max_attempts: u32) -> Retrier {
        Retrier {
            mode,
            max_attempts: max_attempts.max(1),
            quota: Mutex::new(QUOTA),
            limiter: (mode == RetryMode::Adaptive).then(|| Mutex::new(RateLimiter::new())),
        }
    }

    /// The mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// Attempts in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether attempt `attempt` (1 for the first) that failed with `err` is retried: the error
    /// is retryable, attempts are left, and (standard, adaptive) the quota pays for it. Returns
    /// the quota units taken, to give back if the retry succeeds.
    pub fn should_retry(&self, attempt: u32, err: &Error) -> Option<u32> {
        let why = classify(self.mode, err)?;
        if attempt >= self.max_attempts {
            return None;
        }
        if self.mode == RetryMode::Legacy {
            return Some(0);
        }
        let cost = match why {
            Retryable::Connection => CONNECTION_RETRY_COST,
            _ => RETRY_COST,
        };
        let mut q = self.quota.lock().ok()?;
        if *q < cost {
            return None;
        }
        *q -= cost;
        Some(cost)
    }

    /// A call succeeded; `taken` is the quota its retries took (none if it succeeded at once).
    pub fn succeeded(&self, taken: u32) {
        if self.mode == RetryMode::Legacy {
            return;
        }
        if let Ok(mut q) = self.quota.lock() {
            *q = (*q + taken.max(1)).min(QUOTA);
        }
    }

    /// Quota units left.
    pub fn quota_left(&self) -> u32 {
        self.quota.lock().map(|q| *q).unwrap_or(0)
    }

    /// The wait before attempt `attempt + 1`.
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = 2f64.powi(attempt.saturating_sub(1).min(62) as i32);
        let base = match self.mode {
            RetryMode::Legacy => exp,
            _ => exp.min(20.0),
        };
        Duration::from_secs_f64(base * random_unit())
    }

    /// Adaptive mode: the wait the rate limiter asks for before sending (none otherwise).
    pub fn wait_to_send(&self) -> Duration {
        match &self.limiter {
            Some(l) => l
                .lock()
                .map(|mut l| l.acquire(Instant::now()))
                .unwrap_or_default(),
            None => Duration::ZERO,
        }
    }

    /// Adaptive mode: tells the rate limiter how an attempt was answered.
    pub fn answered(&self, err: Option<&Error>) {
        if let Some(l) = &self.limiter {
            let throttled =
                err.is_some_and(|e| classify(self.mode, e) == Some(Retryable::Throttling));
            if let Ok(mut l) = l.lock() {
                l.update(throttled, Instant::now());
            }
        }
    }
}

/// A number in [0, 1) from the OS's random source (the time's nanoseconds if it fails).
fn random_unit() -> f64 {
    let mut b = [0u8; 8];
    if getrandom::getrandom(&mut b).is_err() {
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        b = u64::from(n).to_le_bytes();
    }
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

/// botocore's `ClientRateLimiter`: a token bucket whose fill rate follows CUBIC, cut by `BETA`
/// on each throttling answer and grown back on successes; off until the first throttling.
#[derive(Debug)]
pub struct RateLimiter {
    enabled: bool,
    fill_rate: f64,
    max_capacity: f64,
    tokens: f64,
    last_refill: Option<Instant>,
    // CUBIC
    last_max_rate: f64,
    last_throttle: Instant,
    time_window: f64,
    // Measured send rate.
    measured_rate: f64,
    last_tx_bucket: f64,
    request_count: u32,
    start: Instant,
}

const BETA: f64 = 0.7;
const SCALE_CONSTANT: f64 = 0.4;
const SMOOTH: f64 = 0.8;
const MIN_FILL_RATE: f64 = 0.5;
const MIN_CAPACITY: f64 = 1.0;

impl RateLimiter {
    fn new() -> RateLimiter {
        let now = Instant::now();
        RateLimiter {
            enabled: false,
            fill_rate: MIN_FILL_RATE,
            max_capacity: MIN_CAPACITY,
            tokens: MIN_CAPACITY,
            last_refill: None,
            last_max_rate: 0.0,
            last_throttle: now,
            time_window: 0.0,
            measured_rate: 0.0,
            last_tx_bucket: 0.0,
            request_count: 0,
            start: now,
        }
    }

    /// Whether throttling has switched the limiter on.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The current fill rate (requests per second).
    pub fn fill_rate(&self) -> f64 {
        self.fill_rate
    }

    fn refill(&mut self, now: Instant) {
        if let Some(last) = self.last_refill {
            let added = now.duration_since(last).as_secs_f64() * self.fill_rate;
            self.tokens = (self.tokens + added).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    /// Takes a token; the wait until one is there (zero when the limiter is off).
    fn acquire(&mut self, now: Instant) -> Duration {
        if !self.enabled {
            return Duration::ZERO;
        }
        self.refill(now);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.fill_rate)
        }
    }

    fn update(&mut self, throttled: bool, now: Instant) {
        let t = now.duration_since(self.start).as_secs_f64();
        // The measured rate of answers, in half-second buckets, smoothed.
        let bucket = (t * 2.0).floor() / 2.0;
        self.request_count += 1;
        if bucket > self.last_tx_bucket {
            let current = f64::from(self.request_count) / (bucket - self.last_tx_bucket);
            self.measured_rate = current * SMOOTH + self.measured_rate * (1.0 - SMOOTH);
            self.request_count = 0;
            self.last_tx_bucket = bucket;
        }
        let new_rate = if throttled {
            let rate = if self.enabled {
                self.measured_rate.min(self.fill_rate)
            } else {
                self.measured_rate
            };
            self.last_max_rate = rate;
            self.time_window = (self.last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
            self.last_throttle = now;
            self.enabled = true;
            rate * BETA
        } else {
            let dt = now.duration_since(self.last_throttle).as_secs_f64();
            SCALE_CONSTANT * (dt - self.time_window).powi(3) + self.last_max_rate
        };
        let new_rate = new_rate.min(2.0 * self.measured_rate.max(MIN_FILL_RATE));
        self.refill(now);
        self.fill_rate = new_rate.max(MIN_FILL_RATE);
        self.max_capacity = self.fill_rate.max(MIN_CAPACITY);
        self.tokens = self.tokens.min(self.max_capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str, status: u16) -> Error {
        Error::service(code, None, status)
    }

    #[test]
    fn what_is_retried() {
        let m = RetryMode::Standard;
        assert_eq!(
            classify(m, &service("ThrottlingException", 400)),
            Some(Retryable::Throttling)
        );
        assert_eq!(
            classify(m, &service("Whatever", 503)),
            Some(Retryable::Transient)
        );
        assert_eq!(
            classify(m, &service("RequestTimeout", 400)),
            Some(Retryable::Transient)
        );
        assert_eq!(classify(m, &service("ValidationError", 400)), None);
        assert_eq!(classify(m, &service("InternalError", 400)), None);
        assert_eq!(
            classify(RetryMode::Legacy, &service("InternalError", 400)),
            Some(Retryable::Transient)
        );
        assert_eq!(
            classify(m, &Error::new(ErrorKind::Transport, "reset")),
            Some(Retryable::Connection)
        );
        assert_eq!(classify(m, &Error::validation("bad input")), None);
    }

    #[test]
    fn the_quota_runs_out_and_comes_back() {
        let r = Retrier::new(RetryMode::Standard, 3);
        let err = service("InternalFailure", 500);
        let mut taken = 0;
        while let Some(c) = r.should_retry(1, &err) {
            taken += c;
        }
        assert_eq!(taken, QUOTA);
        assert_eq!(r.quota_left(), 0);
        assert_eq!(r.should_retry(1, &err), None);
        r.succeeded(RETRY_COST);
        assert_eq!(r.quota_left(), RETRY_COST);
        // A call that succeeds at once adds one unit, up to the full quota.
        r.succeeded(0);
        assert_eq!(r.quota_left(), RETRY_COST + 1);
        // Connection errors cost more.
        let r = Retrier::new(RetryMode::Standard, 3);
        assert_eq!(
            r.should_retry(1, &Error::new(ErrorKind::Timeout, "t")),
            Some(CONNECTION_RETRY_COST)
        );
        // Legacy has no quota; no mode retries past max_attempts.
        let l = Retrier::new(RetryMode::Legacy, 5);
        assert!((0..1000).all(|_| l.should_retry(4, &err).is_some()));
        assert_eq!(l.should_retry(5, &err), None);
    }

    #[test]
    fn delays_are_bounded_by_the_mode() {
        let s = Retrier::new(RetryMode::Standard, 10);
        let l = Retrier::new(RetryMode::Legacy, 10);
        for a in 1..10 {
            assert!(s.delay(a) <= Duration::from_secs(20));
            assert!(s.delay(a) <= Duration::from_secs_f64(2f64.powi(a as i32 - 1)));
            assert!(l.delay(a) <= Duration::from_secs_f64(2f64.powi(a as i32 - 1)));
        }
        let u: Vec<f64> = (0..100).map(|_| random_unit()).collect();
        assert!(u.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(u.iter().any(|x| *x != u[0]), "jitter varies");
    }

    #[test]
    fn throttling_switches_the_limiter_on_and_slows_it() {
        let mut l = RateLimiter::new();
        let t0 = Instant::now();
        assert_eq!(l.acquire(t0), Duration::ZERO);
        // Successes at about 10 per second for 2 s, then a throttle.
        for i in 0..20 {
            l.update(false, t0 + Duration::from_millis(100 * i));
        }
        assert!(!l.enabled());
        let now = t0 + Duration::from_millis(2000);
        l.update(true, now);
        assert!(l.enabled());
        let after = l.fill_rate();
        assert!((MIN_FILL_RATE..10.0).contains(&after), "{after}");
        // Sending faster than the fill rate now waits.
        let waits: Vec<Duration> = (0..5).map(|_| l.acquire(now)).collect();
        assert!(waits.last().unwrap() > &Duration::ZERO, "{waits:?}");
        // Successes grow the rate back over time.
        for i in 1..40 {
            l.update(false, now + Duration::from_millis(250 * i));
        }
        assert!(l.fill_rate() > after, "{} <= {after}", l.fill_rate());
    }
}
