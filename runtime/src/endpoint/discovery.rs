//! Endpoint discovery, as botocore's `discovery.py` does it: some services (timestream-query,
//! timestream-write; dynamodb optionally) name, through an operation of their own
//! (`DescribeEndpoints`), the endpoint each call should go to. Discovered endpoints are cached
//! per discovery key until their `CachePeriodInMinutes` runs out; a failed discovery is not
//! tried again for a minute, and a stale endpoint is used while discovery fails.

use crate::error::{Error, Result};
use crate::schema::{op_flags, Operation};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// botocore's `endpoint_discovery_enabled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscoveryMode {
    /// Only operations that require discovery use it (the default, `auto`).
    Auto,
    /// Every operation that supports discovery uses it (`true`).
    On,
    /// None does; operations that require it fail (`false`).
    Off,
}

impl std::str::FromStr for DiscoveryMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<DiscoveryMode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(DiscoveryMode::Auto),
            "true" => Ok(DiscoveryMode::On),
            "false" => Ok(DiscoveryMode::Off),
            _ => Err(Error::config(format!(
                "endpoint_discovery_enabled must be true, false or auto, got {s:?}"
            ))),
        }
    }
}

/// What a call does about discovery.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Goes to the resolved endpoint.
    Resolved,
    /// Goes to a discovered endpoint (`required`: it fails without one).
    Discover { required: bool },
}

/// One discovered endpoint and when it expires.
#[derive(Debug, Clone)]
struct Found {
    address: String,
    expires: Instant,
}

/// A client's discovered endpoints, per discovery key.
#[derive(Debug)]
pub(crate) struct Discovery {
    mode: DiscoveryMode,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    cache: HashMap<String, Vec<Found>>,
    /// Keys whose discovery failed, and until when it is not tried again.
    failed: HashMap<String, Instant>,
}

/// How long a failed discovery is not tried again.
const FAILURE_BACKOFF: Duration = Duration::from_secs(60);

impl Discovery {
    pub(crate) fn new(mode: DiscoveryMode) -> Discovery {
        Discovery {
            mode,
            state: Mutex::new(State::default()),
        }
    }

    /// Whether a call of `op` is discovered; an error when it must be and discovery is off.
    pub(crate) fn plan(&self, op: &Operation) -> Result<Plan> {
        if op.flags & op_flags::DISCOVERED_ENDPOINT == 0 {
            return Ok(Plan::Resolved);
        }
        let required = op.flags & op_flags::DISCOVERY_REQUIRED != 0;
        match (self.mode, required) {
            (DiscoveryMode::On, _) | (DiscoveryMode::Auto, true) => Ok(Plan::Discover { required }),
            (DiscoveryMode::Off, true) => Err(Error::config(format!(
                "{} requires endpoint discovery, which is turned off (endpoint_discovery_enabled \
                 = false)",
                op.name
            ))),
            _ => Ok(Plan::Resolved),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A cached endpoint for `key` that has not expired.
    pub(crate) fn current(&self, key: &str, now: Instant) -> Option<String> {
        self.state()
            .cache
            .get(key)?
            .iter()
            .find(|f| now < f.expires)
            .map(|f| f.address.clone())
    }

    /// Any cached endpoint for `key`, expired or not (used while discovery fails).
    pub(crate) fn stale(&self, key: &str) -> Option<String> {
        self.state()
            .cache
            .get(key)?
            .first()
            .map(|f| f.address.clone())
    }

    /// Remembers what discovery answered: (address, cache period in minutes) each.
    pub(crate) fn store(&self, key: &str, found: &[(String, u64)], now: Instant) {
        let mut s = self.state();
        s.failed.remove(key);
        s.cache.insert(
            key.to_string(),
            found
                .iter()
                .map(|(a, minutes)| Found {
                    address: a.clone(),
                    expires: now + Duration::from_secs(minutes.saturating_mul(60)),
                })
                .collect(),
        );
    }

    /// Discovery for `key` could not reach the service: not tried again for a minute.
    pub(crate) fn failed(&self, key: &str, now: Instant) {
        self.state()
            .failed
            .insert(key.to_string(), now + FAILURE_BACKOFF);
    }

    /// Discovery for `key` failed less than a minute ago.
    pub(crate) fn recently_failed(&self, key: &str, now: Instant) -> bool {
        let mut s = self.state();
        match s.failed.get(key) {
            Some(until) if now < *until => true,
            Some(_) => {
                s.failed.remove(key);
                false
            }
            None => false,
        }
    }

    /// The service said the endpoint is no longer valid: forget what was discovered for `key`.
    pub(crate) fn forget(&self, key: &str) {
        self.state().cache.remove(key);
    }
}

/// The URL of a discovered endpoint (`https://` unless the address names a scheme), keeping the
/// path and query of `url`.
pub(crate) fn rebase(url: &str, address: &str) -> String {
    let base = if address.starts_with("http") {
        address.to_string()
    } else {
        format!("https://{address}")
    };
    let path = url
        .find("://")
        .and_then(|i| url[i + 3..].find('/').map(|j| &url[i + 3 + j..]))
        .unwrap_or("/");
    format!("{}{path}", base.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_as_botocore_reads_them() {
        assert_eq!(
            " Auto ".parse::<DiscoveryMode>().unwrap(),
            DiscoveryMode::Auto
        );
        assert_eq!("TRUE".parse::<DiscoveryMode>().unwrap(), DiscoveryMode::On);
        assert_eq!(
            "false".parse::<DiscoveryMode>().unwrap(),
            DiscoveryMode::Off
        );
        let err = "yes".parse::<DiscoveryMode>().unwrap_err();
        assert!(err.to_string().contains("true, false or auto"), "{err}");
    }

    #[test]
    fn which_calls_discover() {
        let optional = Operation::new("Get").flags(op_flags::DISCOVERED_ENDPOINT);
        let required = Operation::new("Put")
            .flags(op_flags::DISCOVERED_ENDPOINT | op_flags::DISCOVERY_REQUIRED);
        let plain = Operation::new("List");
        let plan = |mode, op: &Operation| Discovery::new(mode).plan(op).map_err(|e| e.to_string());
        assert_eq!(plan(DiscoveryMode::Auto, &plain), Ok(Plan::Resolved));
        assert_eq!(plan(DiscoveryMode::Auto, &optional), Ok(Plan::Resolved));
        assert_eq!(
            plan(DiscoveryMode::Auto, &required),
            Ok(Plan::Discover { required: true })
        );
        assert_eq!(
            plan(DiscoveryMode::On, &optional),
            Ok(Plan::Discover { required: false })
        );
        assert_eq!(plan(DiscoveryMode::Off, &optional), Ok(Plan::Resolved));
        assert!(plan(DiscoveryMode::Off, &required)
            .unwrap_err()
            .contains("Put requires endpoint discovery"));
    }

    #[test]
    fn the_cache_expires_failures_back_off_and_stale_entries_remain() {
        let d = Discovery::new(DiscoveryMode::On);
        let t0 = Instant::now();
        assert_eq!(d.current("", t0), None);
        d.store("", &[("a.example".into(), 1), ("b.example".into(), 5)], t0);
        assert_eq!(d.current("", t0).as_deref(), Some("a.example"));
        let later = t0 + Duration::from_secs(61);
        assert_eq!(d.current("", later).as_deref(), Some("b.example"));
        let much_later = t0 + Duration::from_secs(301);
        assert_eq!(d.current("", much_later), None);
        assert_eq!(d.stale("").as_deref(), Some("a.example"));
        assert_eq!(d.current("Other", t0), None, "keys are apart");

        d.failed("", t0);
        assert!(d.recently_failed("", t0 + Duration::from_secs(59)));
        assert!(!d.recently_failed("", t0 + Duration::from_secs(60)));
        d.forget("");
        assert_eq!(d.stale(""), None);
    }

    #[test]
    fn discovered_addresses_keep_the_path() {
        assert_eq!(
            rebase(
                "https://ingest.timestream.us-east-1.amazonaws.com/",
                "ingest-cell2.timestream.us-east-1.amazonaws.com"
            ),
            "https://ingest-cell2.timestream.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            rebase("http://127.0.0.1:1/path?x=1", "http://127.0.0.1:2"),
            "http://127.0.0.1:2/path?x=1"
        );
    }
}
